/*
** How a plan stands against each limit, from its recomputed totals (src/plan/planner_int.h):
** the least room left and where, where the limit binds, and every month (or year) it is broken.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plan/planner_int.h"
#include "wattpivot/format.h"

plan_limits plan_limits_of(const wp_scenario *sc, wp_strategy s)
{
  plan_limits l;
  memset(&l, 0, sizeof l);
  l.cash_floor_usd = sc->strategy.cash_floor_usd;
  l.debt_capacity_usd = sc->strategy.debt_capacity_usd;
  l.capex_usd_per_yr = sc->strategy.capex_usd_per_yr;
  l.crews = (double)sc->strategy.max_concurrent_projects;
  for (size_t r = 0; r < sc->nregions; r++) l.region_mw[r] = sc->regions[r].ai_it_mw_max;
  l.cover_on = s == WP_STRATEGY_HYBRID && sc->strategy.hybrid_floor_cover > 0;
  l.cover = sc->strategy.hybrid_floor_cover;
  return l;
}

/* One limit's room per period: n periods, room[q] at month month_of[q] (NULL: q itself). */
typedef struct standing {
  wp_limit limit;
  const char *scope;
  double value;       /* the limit as reported */
  double binding_at;  /* room at or below this binds */
  double tolerance;   /* room below -tolerance is a breach */
  size_t n;
  int yearly;
  const int *month_of;
  double room[1200];
} standing;

/* Month ranges where the room binds: "2027-01..2027-06, 2029-03" (years: "2027..2028"). */
static void binding_text(const plan_options *po, const standing *s, char *buf, size_t size)
{
  buf[0] = '\0';
  for (size_t q = 0; q < s->n; q++) {
    if (!(s->room[q] <= s->binding_at)) continue;
    size_t e = q;
    while (e + 1 < s->n && s->room[e + 1] <= s->binding_at) e++;
    char a[16], b[16], item[40];
    int ma = s->month_of ? s->month_of[q] : (int)q, mb = s->month_of ? s->month_of[e] : (int)e;
    wp_format_month(a, sizeof a, po->sc->start, ma, "");
    wp_format_month(b, sizeof b, po->sc->start, mb, "");
    if (s->yearly) {
      a[4] = b[4] = '\0';
    }
    if (e > q)
      snprintf(item, sizeof item, "%s%s..%s", buf[0] ? ", " : "", a, b);
    else
      snprintf(item, sizeof item, "%s%s", buf[0] ? ", " : "", a);
    if (strlen(buf) + strlen(item) + 4 >= size) {
      strncat(buf, ", ...", size - strlen(buf) - 1);
      return;
    }
    strncat(buf, item, size - strlen(buf) - 1);
    q = e;
  }
}

/* Fill row lo from standing s; count its breaches into *nb (and write them when b != NULL). */
static void fill_row(const plan_options *po, const standing *s, wp_limit_out *lo,
                     wp_breach_out *b, size_t *nb)
{
  double least = INFINITY;
  int at = -1;
  for (size_t q = 0; q < s->n; q++) {
    if (s->room[q] < least) {
      least = s->room[q];
      at = s->month_of ? s->month_of[q] : (int)q;
    }
    if (s->room[q] < -s->tolerance) {
      if (b) {
        wp_breach_out *x = &b[*nb];
        x->limit = s->limit;
        snprintf(x->scope, sizeof x->scope, "%s", s->scope);
        x->month = s->month_of ? s->month_of[q] : (int)q;
        x->amount = -s->room[q];
      }
      (*nb)++;
    }
  }
  if (!lo) return;
  lo->limit = s->limit;
  snprintf(lo->scope, sizeof lo->scope, "%s", s->scope);
  lo->value = s->value;
  lo->headroom = s->n ? least : 0.0;
  lo->at_month = at;
  lo->binding = s->n && least <= s->binding_at;
  binding_text(po, s, lo->binding_months, sizeof lo->binding_months);
}

static const int no_month = -1; /* a region's demand is not a month's */

/* The standing of limit number q of the strategy (rows in wp_limit order, a row per region);
** returns 0 past the last row. */
static int standing_of(const plan_options *po, const plan_limits *lim, const plan_totals *t,
                       size_t q, standing *s)
{
  const wp_scenario *sc = po->sc;
  const size_t M = po->months, Y = po->nyears;
  memset(s, 0, offsetof(standing, room));
  s->scope = "";
  if (q < 4) {
    s->limit = (wp_limit)q;
    s->n = q == 2 ? Y : M;
    s->yearly = q == 2;
    s->month_of = q == 2 ? po->year_first : NULL;
    for (size_t k = 0; k < s->n; k++)
      s->room[k] = q == 0 ? t->cash[k] - lim->cash_floor_usd
                   : q == 1 ? lim->debt_capacity_usd - t->debt[k]
                   : q == 2 ? lim->capex_usd_per_yr - t->capex_y[k]
                            : lim->crews - t->crews[k];
    const double v[4] = {lim->cash_floor_usd, lim->debt_capacity_usd, lim->capex_usd_per_yr,
                         lim->crews};
    s->value = v[q];
    s->tolerance = q == 3 ? 1e-9 : 1.0;
    s->binding_at = q == 3 ? 0.5 : 0.01 * (q == 0 ? fmax(fabs(v[0]), 1e6) : fmax(v[q], 1.0));
    return 1;
  }
  q -= 4;
  if (q < sc->nregions) {
    s->limit = WP_LIMIT_REGIONAL_DEMAND;
    s->scope = sc->regions[q].name;
    s->n = 1;
    s->value = lim->region_mw[q];
    s->room[0] = lim->region_mw[q] - t->region_mw[q];
    s->month_of = &no_month;
    s->tolerance = 1e-9;
    s->binding_at = fmax(0.01 * lim->region_mw[q], 1e-6);
    int sites = 0; /* a region with no site of the portfolio binds nothing */
    for (size_t i = 0; i < po->nsites; i++) sites |= po->site[i].region == (long)q;
    if (!sites) s->binding_at = -INFINITY;
    return 1;
  }
  if (q > sc->nregions || !lim->cover_on) return 0;
  s->limit = WP_LIMIT_MINING_COVER;
  s->n = Y;
  s->yearly = 1;
  s->month_of = po->year_first;
  double worst_costs = 0;
  for (size_t y = 0; y < Y; y++) {
    double costs = 0;
    for (size_t m = 0; m < M; m++)
      if ((size_t)po->year[m] == y) costs += po->corp_costs[m];
    s->room[y] = t->mining_ebitda_y[y] - lim->cover * costs;
    if (y == 0 || lim->cover * costs > worst_costs) worst_costs = lim->cover * costs;
  }
  s->value = worst_costs;
  s->tolerance = 1.0;
  s->binding_at = 0.01 * fmax(worst_costs, 1e6);
  return 1;
}

wp_status plan_limits_fill(const plan_options *po, const plan_limits *lim, const plan_totals *t,
                           wp_plan_out *out, size_t k, size_t *nbreach, wp_error *err)
{
  standing s;
  size_t nrows = 0, nb = 0;
  while (standing_of(po, lim, t, nrows, &s)) {
    fill_row(po, &s, NULL, NULL, &nb);
    nrows++;
  }
  *nbreach = nb;
  if (!out) return WP_OK;
  wp_status st;
  if ((st = wp_plan_out_set_limits(out, k, nrows, err)) ||
      (st = wp_plan_out_set_breaches(out, k, nb, err)))
    return st;
  wp_strategy_out *so = &out->strategies[k];
  nb = 0;
  for (size_t q = 0; q < nrows; q++) {
    standing_of(po, lim, t, q, &s);
    fill_row(po, &s, &so->limits[q], so->breaches, &nb);
  }
  return WP_OK;
}
