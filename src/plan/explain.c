/*
** The words of a plan (src/plan/planner_int.h): each site's reason (what it does, its NPV
** against mining) and, where an optimized plan leaves tranches mining or an expansion unbuilt,
** the best option the limits refused and each limit it would break, where and by how much.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/planner_int.h"
#include "wattpivot/format.h"

/* Append printf-style text to buf (size n), cutting it to fit. */
static void append(char *buf, size_t n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void append(char *buf, size_t n, const char *fmt, ...)
{
  size_t len = strlen(buf);
  if (len + 1 >= n) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + len, n - len, fmt, ap);
  va_end(ap);
}

/* "converts 50 % in 2 tranches (2026-04 colo, 2027-01 gpu-contract) + expansion 2029-01 colo,
** 308 MW IT: NPV $1,234.5M vs mining $254.0M (+$980.5M)". */
static void reason_converted(const plan_options *po, const wp_site_out *o, const char *lead,
                             char *buf, size_t n)
{
  size_t nconv = 0;
  double share = 0;
  for (size_t j = 0; j < o->ntranches; j++)
    if (!o->tranches[j].expansion && o->tranches[j].convert_month >= 0) {
      nconv++;
      share += o->tranches[j].share;
    }
  snprintf(buf, n, "%s", lead);
  if (nconv)
    append(buf, n, "converts %.0f %%%s", share * 100, nconv > 1 ? " in tranches (" : " (");
  size_t k = 0;    /* conversion tranches listed */
  int open = nconv > 0; /* their parenthesis is open */
  for (size_t j = 0; j < o->ntranches; j++) {
    const wp_tranche_out *t = &o->tranches[j];
    if (t->convert_month < 0) continue;
    char m[16];
    wp_format_month(m, sizeof m, po->sc->start, t->convert_month, "");
    if (t->expansion) {
      append(buf, n, "%s%s expansion %s %s", open ? ")" : "", nconv ? " +" : "adds its", m,
             t->business_model);
      open = 0;
    } else {
      append(buf, n, "%s%s %s", k++ ? ", " : "", m, t->business_model);
      if (k == nconv && open) {
        append(buf, n, ")");
        open = 0;
      }
    }
  }
  char a[32], b[32], d[32];
  const double gain = o->npv_usd - o->mining_npv_usd;
  append(buf, n, ", %.0f MW IT: NPV %s vs mining %s (%s%s)", o->ai_it_mw,
         wp_format_musd(a, sizeof a, o->npv_usd), wp_format_musd(b, sizeof b, o->mining_npv_usd),
         gain >= 0 ? "+" : "", wp_format_musd(d, sizeof d, gain));
}

/* The portfolio of a choice of options, linear: cash effect, debt, capex, crews, IT, cover. */
typedef struct usage {
  double *cash, *debt, *crews, *capex_y, *cover_y;
  double *built; /* nopt: at a build's first option, the tranches it builds */
  double region_mw[WP_SCENARIO_MAX_REGIONS];
  double *block;
} usage;

static int usage_init(usage *u, const plan_options *po)
{
  const size_t M = po->months, Y = po->nyears;
  u->block = calloc(3 * M + 2 * Y + po->nopt, sizeof(double));
  if (!u->block) return 0;
  u->cash = u->block;
  u->debt = u->cash + M;
  u->crews = u->debt + M;
  u->capex_y = u->crews + M;
  u->cover_y = u->capex_y + Y;
  u->built = u->cover_y + Y;
  memset(u->region_mw, 0, sizeof u->region_mw);
  for (size_t m = 0; m < M; m++) u->cash[m] = po->base_cash[m];
  for (size_t y = 0; y < Y; y++) u->cover_y[y] = po->base_ebitda_y[y];
  return 1;
}

/* Add n tranches of option q to u (n < 0: take them away). */
static void usage_add(usage *u, const plan_options *po, size_t q, double n)
{
  const plan_option *o = &po->opt[q];
  const plan_run *r = &po->run[o->run];
  const double was = u->built[o->build];
  u->built[o->build] += n;
  /* a tranche, a crew; or (crew_per build) a build, a crew: one more when it starts, one fewer
     when it no longer does */
  const double crew = po->sc->strategy.crew_per == WP_CREW_PER_TRANCHE
                          ? n
                          : (double)(u->built[o->build] > 0.5) - (double)(was > 0.5);
  for (size_t m = 0; m < po->months; m++) {
    u->cash[m] += n * r->dcum[m];
    u->debt[m] += n * r->debt[m];
    if (r->t <= (int64_t)m && (int64_t)m < r->te_full) u->crews[m] += crew;
    if (o->mine != SIZE_MAX && (int64_t)m >= r->t)
      u->cover_y[po->year[m]] -= n * po->run[o->mine].ebitda[m];
  }
  for (size_t y = 0; y < po->nyears; y++) u->capex_y[y] += n * r->capex_y[y];
  long reg = po->site[o->site].region;
  if (reg >= 0) u->region_mw[reg] += n * r->it_mw;
}

/* The limits u breaks (beyond the plan's own shortfall), written to buf; 1 when any. */
static int broken(const plan_options *po, const plan_limits *lim, const usage *u,
                  double short_cash_usd, double short_cover_usd, long region, char *buf, size_t n)
{
  const size_t M = po->months, Y = po->nyears;
  double costs[128] = {0};
  for (size_t m = 0; m < M && Y <= 128; m++) costs[po->year[m]] += po->corp_costs[m];
  int any = 0;
  char when[16], amt[32];
  /* worst month of each monthly limit */
  struct {
    const char *name;
    const double *v;
    double limit, sign; /* breach = sign * (v - limit) */
    int money;
  } monthly[3] = {{"cash floor", u->cash, lim->cash_floor_usd - short_cash_usd, -1, 1},
                  {"debt capacity", u->debt, lim->debt_capacity_usd, 1, 1},
                  {"crews", u->crews, lim->crews, 1, 0}};
  for (int f = 0; f < 3; f++) {
    double worst = monthly[f].money ? 1.0 : 1e-9;
    size_t at = SIZE_MAX;
    for (size_t m = 0; m < M; m++) {
      double b = monthly[f].sign * (monthly[f].v[m] - monthly[f].limit);
      if (b > worst) worst = b, at = m;
    }
    if (at == SIZE_MAX) continue;
    wp_format_month(when, sizeof when, po->sc->start, (int64_t)at, "");
    if (monthly[f].money)
      append(buf, n, "%s%s in %s by %s", any ? "; " : "", monthly[f].name, when,
             wp_format_musd(amt, sizeof amt, worst));
    else
      append(buf, n, "%s%s in %s (%.0f projects at once)", any ? "; " : "", monthly[f].name, when,
             monthly[f].v[at]);
    any = 1;
  }
  for (size_t y = 0; y < Y; y++) {
    if (u->capex_y[y] - lim->capex_usd_per_yr > 1.0) {
      append(buf, n, "%scapex budget in %d by %s", any ? "; " : "", po->sc->start.year + (int)y,
             wp_format_musd(amt, sizeof amt, u->capex_y[y] - lim->capex_usd_per_yr));
      any = 1;
      break;
    }
  }
  if (region >= 0 && u->region_mw[region] - lim->region_mw[region] > 1e-9) {
    append(buf, n, "%sregional demand %s by %.0f MW", any ? "; " : "",
           po->sc->regions[region].name, u->region_mw[region] - lim->region_mw[region]);
    any = 1;
  }
  for (size_t y = 0; lim->cover_on && y < Y && Y <= 128; y++) {
    double gap = lim->cover * costs[y] - short_cover_usd - u->cover_y[y];
    if (gap > 1.0) {
      append(buf, n, "%smining cover in %d by %s", any ? "; " : "", po->sc->start.year + (int)y,
             wp_format_musd(amt, sizeof amt, gap));
      any = 1;
      break;
    }
  }
  return any;
}

/* The best option of site i the plan x left out (one more tranche, from the last converted one's
** start; or its expansion), and what refuses it. */
static void refused(const plan_options *po, wp_strategy s, const plan_limits *lim,
                    const unsigned char *x, const plan_solved *solved, size_t i, usage *u,
                    char *buf, size_t n)
{
  const plan_site *ps = &po->site[i];
  buf[0] = '\0';
  size_t converted = 0;
  int64_t after = 0;
  for (size_t g = 0; g < ps->ngroups; g++)
    for (size_t q = ps->group[g].first; q < ps->group[g].first + ps->group[g].count; q++)
      if (x[q]) {
        converted += x[q];
        if (po->run[po->opt[q].run].t > after) after = po->run[po->opt[q].run].t;
      }
  for (int pass = 0; pass < 2 && !buf[0]; pass++) {
    size_t g = ps->ngroups; /* pass 0: the group of the next tranche; pass 1: the expansion */
    if (pass == 0) {
      if (converted >= ps->ntranches) continue;
      for (g = 0; g + 1 < ps->ngroups && converted >= ps->group[g].before + ps->group[g].n; g++) {
      }
    } else {
      if (!ps->expansion) continue;
      int built = 0;
      for (size_t q = ps->group[g].first; q < ps->group[g].first + ps->group[g].count; q++)
        built |= x[q] != 0;
      if (built) continue;
    }
    const plan_group *gr = &ps->group[g];
    size_t best = SIZE_MAX;
    for (size_t q = gr->first; q < gr->first + gr->count; q++) {
      const plan_run *r = &po->run[po->opt[q].run];
      if (pass == 0 && r->t < after) continue;
      if (best == SIZE_MAX) {
        best = q;
        continue;
      }
      const plan_run *rb = &po->run[po->opt[best].run];
      int better = s == WP_STRATEGY_ALL_IN && r->it_mw != rb->it_mw
                       ? r->it_mw > rb->it_mw
                       : po->opt[q].gain_usd > po->opt[best].gain_usd;
      if (better) best = q;
    }
    if (best == SIZE_MAX) continue;
    const plan_option *o = &po->opt[best];
    const plan_run *r = &po->run[o->run];
    char m[16], gain[32];
    wp_format_month(m, sizeof m, po->sc->start, r->t, "");
    snprintf(buf, n, "%s %s from %s (%s%s NPV): ",
             pass ? "expansion" : ps->ntranches > 1 ? "next tranche" : "conversion",
             wp_business_name(r->business), m, o->gain_usd >= 0 ? "+" : "",
             wp_format_musd(gain, sizeof gain, o->gain_usd));
    const double threshold = po->sc->strategy.min_uplift_usd_per_mw * gr->grid_mw;
    if (s == WP_STRATEGY_HYBRID && !(o->gain_usd > threshold)) {
      char th[32];
      append(buf, n, "gains no more than %s over mining", wp_format_musd(th, sizeof th, threshold));
      continue;
    }
    if (o->misfit) {
      append(buf, n, "breaks the %s on its own", o->misfit);
      continue;
    }
    usage_add(u, po, best, 1.0);
    if (!broken(po, lim, u, solved ? solved->short_cash_musd * 1e6 : 0.0,
                solved ? solved->short_cover_musd * 1e6 : 0.0, ps->region, buf, n))
      append(buf, n, "fits every limit; left out within the solver's gap");
    usage_add(u, po, best, -1.0);
  }
}

/* Why site i's first conversion waits: the option of its group worth more that would start
** earlier, and the limits it would break in place of one tranche of the first (appended to buf;
** nothing when no earlier option is worth more). */
static void waited(const plan_options *po, wp_strategy s, const plan_limits *lim,
                   const unsigned char *x, const plan_solved *solved, size_t i, usage *u,
                   char *buf, size_t n)
{
  const plan_site *ps = &po->site[i];
  size_t first = SIZE_MAX;
  for (size_t g = 0; g < ps->ngroups + (size_t)ps->expansion; g++)
    for (size_t q = ps->group[g].first; q < ps->group[g].first + ps->group[g].count; q++)
      if (x[q] && (first == SIZE_MAX || po->run[po->opt[q].run].t < po->run[po->opt[first].run].t))
        first = q;
  if (first == SIZE_MAX) return;
  const plan_group *gr = &ps->group[po->opt[first].group];
  const int64_t t0 = po->run[po->opt[first].run].t;
  const double threshold = po->sc->strategy.min_uplift_usd_per_mw * gr->grid_mw;
  size_t best = SIZE_MAX;
  for (size_t q = gr->first; q < gr->first + gr->count; q++) {
    const plan_option *o = &po->opt[q];
    if (po->run[o->run].t >= t0 || !o->fits || o->gain_usd <= po->opt[first].gain_usd) continue;
    if (s == WP_STRATEGY_HYBRID && !(o->gain_usd > threshold)) continue;
    if (best == SIZE_MAX || o->gain_usd > po->opt[best].gain_usd) best = q;
  }
  if (best == SIZE_MAX) return;
  const plan_run *r = &po->run[po->opt[best].run];
  char m[16], gain[32], why[256] = "";
  wp_format_month(m, sizeof m, po->sc->start, r->t, "");
  usage_add(u, po, first, -1.0);
  usage_add(u, po, best, 1.0);
  const int breaks =
      broken(po, lim, u, solved ? solved->short_cash_musd * 1e6 : 0.0,
             solved ? solved->short_cover_musd * 1e6 : 0.0, ps->region, why, sizeof why);
  usage_add(u, po, best, -1.0);
  usage_add(u, po, first, 1.0);
  append(buf, n, "; waits: %s from %s (%s NPV) %s%s", wp_business_name(r->business), m,
         wp_format_musd(gain, sizeof gain, po->opt[best].gain_usd),
         breaks ? "would break "
                : "in place of one tranche fits every limit; not taken within "
                  "the solver's gap",
         why);
}

void plan_explain(const plan_options *po, wp_strategy s, const plan_limits *lim,
                  const unsigned char *x, const plan_solved *solved, wp_plan_out *out, size_t k)
{
  wp_strategy_out *so = &out->strategies[k];
  usage u = {0};
  int have_usage = x && usage_init(&u, po);
  for (size_t q = 0; have_usage && q < po->nopt; q++)
    if (x[q]) usage_add(&u, po, q, (double)x[q]);
  for (size_t i = 0; i < po->nsites; i++) {
    wp_site_out *o = &so->sites[i];
    const plan_site *ps = &po->site[i];
    const int converts = o->convert_month >= 0;
    char m[32];
    if (converts) {
      reason_converted(po, o, s == WP_STRATEGY_CUSTOM ? "custom: " : "", o->reason,
                       sizeof o->reason);
    } else if (!ps->ntranches && !ps->expansion) {
      snprintf(o->reason, sizeof o->reason, "keep mining: site is not AI-ready; mining NPV %s",
               wp_format_musd(m, sizeof m, o->mining_npv_usd));
    } else if (s == WP_STRATEGY_MINING_ONLY || s == WP_STRATEGY_CUSTOM) {
      snprintf(o->reason, sizeof o->reason, "keep mining: %s; mining NPV %s",
               s == WP_STRATEGY_CUSTOM ? "no custom pathway for it" : "strategy keeps it mining",
               wp_format_musd(m, sizeof m, o->mining_npv_usd));
    }
    if (!have_usage) continue;
    if (converts) waited(po, s, lim, x, solved, i, &u, o->reason, sizeof o->reason);
    refused(po, s, lim, x, solved, i, &u, o->refused, sizeof o->refused);
    if (!converts && (ps->ntranches || ps->expansion))
      snprintf(o->reason, sizeof o->reason, "keep mining (mining NPV %s); %s",
               wp_format_musd(m, sizeof m, o->mining_npv_usd),
               o->refused[0] ? o->refused : "no option offered within the horizon");
  }
  free(u.block);
}
