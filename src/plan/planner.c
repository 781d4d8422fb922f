/*
** The portfolio planner: candidate pathways per site, strategies chosen under constraints,
** results rolled up with the corporate layer (see wattpivot/planner.h, docs/planner.md).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattpivot/format.h"
#include "wattpivot/planner.h"

static const char *const strategy_names[WP_STRATEGY_COUNT] = {"mining-only", "all-in", "hybrid",
                                                              "custom"};

const char *wp_strategy_name(wp_strategy s)
{
  return (unsigned)s < WP_STRATEGY_COUNT ? strategy_names[s] : "?";
}

wp_status wp_strategy_from_name(const char *name, wp_strategy *out, wp_error *err)
{
  for (int i = 0; name && i < WP_STRATEGY_COUNT; i++)
    if (strcmp(name, strategy_names[i]) == 0) {
      *out = (wp_strategy)i;
      return WP_OK;
    }
  /* "all" is every strategy (the command's --strategy all) */
  static const char *const accepted[] = {"all", "mining-only", "all-in", "hybrid", "custom"};
  return wp_error_unknown_name(err, "strategy", name, accepted, sizeof accepted / sizeof *accepted);
}

/* One conversion start month tried for a site. */
typedef struct candidate {
  int64_t t;            /* construction starts */
  int64_t te_full;      /* last hall energized (horizon when beyond it) */
  double npv_usd;       /* project NPV of the site with this conversion */
  double it_mw;
  double term_debt_usd;
  double *equity_cf;    /* months values */
  double *capex_year;   /* capex per calendar year of the grid */
} candidate;

typedef struct site_eval {
  wp_site site;          /* with its country's tax rate */
  double npv_mine_usd;
  double ebitda_y1_usd;  /* mining EBITDA over months 0..11 */
  double *equity_cf_mine;
  size_t ncand;
  candidate *cand;
  long region;           /* index into sc->regions, -1 when unconstrained */
} site_eval;

/* A site's decision under a strategy. */
typedef struct choice {
  int convert;           /* 0: keep mining */
  wp_business business;
  int64_t t;
  double fraction;
  long cand;             /* candidate index (-1 for custom/mining) */
  char reason[256];
} choice;

typedef struct planner {
  const wp_scenario *sc;
  size_t months, nyears, nsites;
  wp_market_path path;
  wp_pathway_eval *ev;
  wp_finance_terms site_terms; /* scenario finance without the corporate convertible */
  site_eval *sites;
  double *dates;               /* month-end day offsets from month 0 (XNPV dates) */
  double *corp_project_cf, *corp_equity_cf, *corp_opex;
  double corp_npv_usd, corp_costs_per_yr_usd;
  double *scratch;             /* months values */
  double *block;               /* the allocation behind candidate arrays */
  size_t *cand_order;          /* scratch: candidate indices of one site, sorted */
} planner;

static size_t year_of(const planner *pl, int64_t m)
{
  return (size_t)((pl->sc->start.month - 1 + m) / 12);
}

static void planner_release(planner *pl)
{
  if (pl->sites)
    for (size_t i = 0; i < pl->nsites; i++) free(pl->sites[i].cand);
  free(pl->sites);
  free(pl->block);
  free(pl->cand_order);
  free(pl->dates);
  wp_pathway_eval_free(pl->ev);
  wp_market_path_release(&pl->path);
}

/* The pathway of site i for a decision. */
static wp_pathway pathway_for(const planner *pl, wp_business b, int64_t t, double fraction)
{
  wp_pathway p = pl->sc->conversion;
  p.business = b;
  p.convert_month = t;
  p.convert_fraction = fraction;
  return p;
}

static wp_status run_site(planner *pl, const wp_site *s, const wp_pathway *p,
                          wp_pathway_result *r, wp_error *err)
{
  wp_status st = wp_pathway_run(pl->ev, s, p, &pl->path, &pl->site_terms, r, err);
  if (st && !(err && strstr(err->msg, s->name))) /* say which site, unless the message does */
    return wp_error_prefix(err, st, "site %s", s->name);
  return st;
}

/* The corporate layer: overhead (a project cost) and the convertible notes (financing). */
static wp_status corporate_layer(planner *pl, wp_error *err)
{
  const wp_scenario *sc = pl->sc;
  wp_ledger *L = NULL;
  wp_status st = wp_ledger_new(sc->start, pl->months, &L, err);
  if (st) return st;
  for (size_t m = 0; m < pl->months; m++) L->opex_other_usd[m] = sc->corporate.overhead_usd_per_yr / 12.0;
  wp_finance_terms ft = sc->finance;
  ft.tax_rate = 0; /* no taxable income of its own: judgment, overhead gets no tax shield */
  ft.term.enabled = 0;
  ft.compute_irr = 0;
  wp_finance_metrics fm;
  if ((st = wp_finance_run(L, &ft, &fm, err)) == WP_OK) {
    for (size_t m = 0; m < pl->months; m++) {
      pl->corp_project_cf[m] = L->project_cash_flow_usd[m];
      pl->corp_equity_cf[m] = L->equity_cash_flow_usd[m];
      pl->corp_opex[m] = L->opex_usd[m];
    }
    pl->corp_npv_usd = fm.npv_usd;
    double coupons = 0;
    if (sc->finance.convertible.principal_usd > 0)
      coupons = sc->finance.convertible.principal_usd * sc->finance.convertible.coupon_rate;
    pl->corp_costs_per_yr_usd = sc->corporate.overhead_usd_per_yr + coupons;
  }
  wp_ledger_free(L);
  return st;
}

static void capex_by_year(const planner *pl, const wp_ledger *L, double *out)
{
  memset(out, 0, pl->nyears * sizeof *out);
  for (size_t m = 0; m < pl->months; m++) out[year_of(pl, (int64_t)m)] += L->capex_total_usd[m];
}

/* Evaluate mining and every candidate conversion of every site. */
static wp_status evaluate_sites(planner *pl, wp_error *err)
{
  const wp_scenario *sc = pl->sc;
  wp_status st;
  int64_t step = sc->strategy.convert_month_step > 0 ? sc->strategy.convert_month_step : 6;
  size_t max_cand = 0;
  for (int64_t t = sc->strategy.earliest_convert_month; t < (int64_t)pl->months; t += step)
    max_cand++;
  size_t per_cand = pl->months + pl->nyears;
  pl->block = calloc(pl->nsites * (pl->months + max_cand * per_cand) + 1, sizeof(double));
  pl->cand_order = calloc(max_cand + 1, sizeof *pl->cand_order);
  if (!pl->block || !pl->cand_order) return wp_error_set(err, WP_ENOMEM, "planner: out of memory");
  double *next = pl->block;
  for (size_t i = 0; i < pl->nsites; i++) {
    site_eval *se = &pl->sites[i];
    se->site = sc->sites[i];
    if ((st = wp_scenario_tax_rate(sc, se->site.country, &se->site.tax_rate, err))) return st;
    se->region = -1;
    for (size_t r = 0; r < sc->nregions; r++)
      if (strcmp(sc->regions[r].name, se->site.region) == 0) se->region = (long)r;
    wp_pathway p = pathway_for(pl, WP_BUSINESS_MINING, 0, 1.0);
    wp_pathway_result r;
    if ((st = run_site(pl, &se->site, &p, &r, err))) return st;
    const wp_ledger *L = wp_pathway_ledger(pl->ev);
    se->npv_mine_usd = r.metrics.npv_usd;
    se->equity_cf_mine = next;
    next += pl->months;
    memcpy(se->equity_cf_mine, L->equity_cash_flow_usd, pl->months * sizeof(double));
    se->ebitda_y1_usd = 0;
    for (size_t m = 0; m < pl->months && m < 12; m++) se->ebitda_y1_usd += L->ebitda_usd[m];
    if (!se->site.ai_ready) continue;
    se->cand = calloc(max_cand, sizeof *se->cand);
    if (!se->cand) return wp_error_set(err, WP_ENOMEM, "planner: out of memory");
    for (int64_t t = sc->strategy.earliest_convert_month; t < (int64_t)pl->months; t += step) {
      p = pathway_for(pl, sc->conversion.business == WP_BUSINESS_MINING ? WP_BUSINESS_COLO
                                                                        : sc->conversion.business,
                      t, 1.0);
      if ((st = run_site(pl, &se->site, &p, &r, err))) return st;
      /* A conversion that energizes after the horizon earns nothing: not a candidate. */
      if (r.energize_full_month < 0) break;
      L = wp_pathway_ledger(pl->ev);
      candidate *c = &se->cand[se->ncand++];
      c->t = t;
      c->te_full = r.energize_full_month >= 0 ? r.energize_full_month : (int64_t)pl->months;
      c->npv_usd = r.metrics.npv_usd;
      c->it_mw = r.it_mw;
      c->term_debt_usd = r.metrics.term_debt_usd;
      c->equity_cf = next;
      next += pl->months;
      c->capex_year = next;
      next += pl->nyears;
      memcpy(c->equity_cf, L->equity_cash_flow_usd, pl->months * sizeof(double));
      capex_by_year(pl, L, c->capex_year);
    }
  }
  return WP_OK;
}

/* Shared state of the constraints while a strategy accepts conversions. */
typedef struct ledger_state {
  int *crews;           /* projects under construction per month */
  double *capex_year;   /* accepted conversion capex per year */
  double debt_usd;
  double region_it[WP_SCENARIO_MAX_REGIONS];
  double *equity_cf;    /* portfolio equity cash flow (sites + corporate) */
} ledger_state;

/* Why candidate c of site i does not fit, or NULL when it does. */
static const char *infeasible(const planner *pl, const ledger_state *ls, size_t i,
                              const candidate *c)
{
  const wp_strategy_opts *o = &pl->sc->strategy;
  const site_eval *se = &pl->sites[i];
  int64_t end = c->te_full < (int64_t)pl->months ? c->te_full : (int64_t)pl->months;
  for (int64_t m = c->t; m < end; m++)
    if (ls->crews[m] + 1 > o->max_concurrent_projects) return "crews";
  for (size_t y = 0; y < pl->nyears; y++)
    if (c->capex_year[y] > 0 && ls->capex_year[y] + c->capex_year[y] > o->capex_usd_per_yr)
      return "capex budget";
  if (ls->debt_usd + c->term_debt_usd > o->debt_capacity_usd) return "debt capacity";
  if (se->region >= 0 &&
      ls->region_it[se->region] + c->it_mw > pl->sc->regions[se->region].ai_it_mw_max + 1e-9)
    return "regional AI demand";
  return NULL;
}

/* Add why to the list of distinct blocking reasons in buf ("crews, capex budget"). */
static void note_block(char *buf, size_t n, const char *why)
{
  if (!why || strstr(buf, why)) return;
  if (buf[0]) strncat(buf, ", ", n - strlen(buf) - 1);
  strncat(buf, why, n - strlen(buf) - 1);
}

static void accept(const planner *pl, ledger_state *ls, size_t i, const candidate *c)
{
  const site_eval *se = &pl->sites[i];
  int64_t end = c->te_full < (int64_t)pl->months ? c->te_full : (int64_t)pl->months;
  for (int64_t m = c->t; m < end; m++) ls->crews[m]++;
  for (size_t y = 0; y < pl->nyears; y++) ls->capex_year[y] += c->capex_year[y];
  ls->debt_usd += c->term_debt_usd;
  if (se->region >= 0) ls->region_it[se->region] += c->it_mw;
  for (size_t m = 0; m < pl->months; m++)
    ls->equity_cf[m] += c->equity_cf[m] - se->equity_cf_mine[m];
}

/* Lowest month-end cash of the portfolio equity flow plus delta (may be NULL). */
static double min_cash(const planner *pl, const double *equity_cf, const double *delta_a,
                       const double *delta_b)
{
  double cash = pl->sc->corporate.cash_start_usd, lo = INFINITY;
  for (size_t m = 0; m < pl->months; m++) {
    cash += equity_cf[m] + (delta_a ? delta_a[m] - delta_b[m] : 0.0);
    if (cash < lo) lo = cash;
  }
  return lo;
}

/* Sites with AI-ready candidates, best NPV uplift per grid MW first. */
static void order_by_uplift(const planner *pl, size_t *order, size_t *n)
{
  *n = 0;
  for (size_t i = 0; i < pl->nsites; i++)
    if (pl->sites[i].ncand > 0) order[(*n)++] = i;
  for (size_t a = 1; a < *n; a++)
    for (size_t b = a; b > 0; b--) {
      const site_eval *x = &pl->sites[order[b - 1]], *y = &pl->sites[order[b]];
      double bx = -INFINITY, by = -INFINITY;
      for (size_t k = 0; k < x->ncand; k++) bx = fmax(bx, x->cand[k].npv_usd);
      for (size_t k = 0; k < y->ncand; k++) by = fmax(by, y->cand[k].npv_usd);
      double ux = (bx - x->npv_mine_usd) / x->site.grid_mw;
      double uy = (by - y->npv_mine_usd) / y->site.grid_mw;
      if (uy > ux) {
        size_t tmp = order[b - 1];
        order[b - 1] = order[b];
        order[b] = tmp;
      } else {
        break;
      }
    }
}

static void reason_mining(const planner *pl, size_t i, choice *ch, const char *why)
{
  const site_eval *se = &pl->sites[i];
  char m[32];
  snprintf(ch->reason, sizeof ch->reason, "keep mining: %s; mining NPV %s", why,
           wp_format_musd(m, sizeof m, se->npv_mine_usd));
}

static void reason_convert(const planner *pl, size_t i, const candidate *c, choice *ch,
                           const char *delayed_by)
{
  const site_eval *se = &pl->sites[i];
  char t[16], e[16], a[32], b[32];
  double up = c->npv_usd - se->npv_mine_usd;
  snprintf(ch->reason, sizeof ch->reason,
           "convert %s -> %s, %.0f MW IT energized %s: NPV %s vs mining %s "
           "(%+.1fM, %+.2fM per grid MW)%s%s",
           wp_format_month(t, sizeof t, pl->sc->start, c->t, ""), wp_business_name(ch->business), c->it_mw,
           c->te_full < (int64_t)pl->months ? wp_format_month(e, sizeof e, pl->sc->start, c->te_full, "")
                                            : "after the horizon",
           wp_format_musd(a, sizeof a, c->npv_usd), wp_format_musd(b, sizeof b, se->npv_mine_usd), up / 1e6,
           up / se->site.grid_mw / 1e6, delayed_by ? "; earlier starts blocked by " : "",
           delayed_by ? delayed_by : "");
}

static void decide_all_in(const planner *pl, ledger_state *ls, choice *ch, size_t *order,
                          size_t n)
{
  for (size_t k = 0; k < n; k++) {
    size_t i = order[k];
    const site_eval *se = &pl->sites[i];
    char blocks[96] = "";
    for (size_t c = 0; c < se->ncand; c++) {
      const char *why = infeasible(pl, ls, i, &se->cand[c]);
      if (why) {
        note_block(blocks, sizeof blocks, why);
        continue;
      }
      ch[i].convert = 1;
      ch[i].business = pl->sc->conversion.business;
      ch[i].t = se->cand[c].t;
      ch[i].fraction = 1.0;
      ch[i].cand = (long)c;
      accept(pl, ls, i, &se->cand[c]);
      reason_convert(pl, i, &se->cand[c], &ch[i], c > 0 ? blocks : NULL);
      break;
    }
    if (!ch[i].convert) {
      char why[160];
      snprintf(why, sizeof why, "no start month fits (%s)", blocks[0] ? blocks : "horizon");
      reason_mining(pl, i, &ch[i], why);
    }
  }
}

static void decide_hybrid(const planner *pl, ledger_state *ls, choice *ch, size_t *order,
                          size_t n)
{
  const wp_strategy_opts *o = &pl->sc->strategy;
  double base = 0;
  for (size_t i = 0; i < pl->nsites; i++) base += pl->sites[i].ebitda_y1_usd;
  const double floor_usd = o->hybrid_floor_cover * pl->corp_costs_per_yr_usd;
  for (size_t k = 0; k < n; k++) {
    size_t i = order[k];
    const site_eval *se = &pl->sites[i];
    /* Candidates by NPV, best first: waiting is chosen when it is worth more. */
    size_t *idx = pl->cand_order;
    size_t nc = se->ncand;
    for (size_t c = 0; c < nc; c++) idx[c] = c;
    for (size_t a = 1; a < nc; a++)
      for (size_t b = a; b > 0 && se->cand[idx[b]].npv_usd > se->cand[idx[b - 1]].npv_usd; b--) {
        size_t tmp = idx[b];
        idx[b] = idx[b - 1];
        idx[b - 1] = tmp;
      }
    char why[160] = "";
    const double best_up = nc ? se->cand[idx[0]].npv_usd - se->npv_mine_usd : -INFINITY;
    if (!(best_up > o->min_uplift_usd_per_mw * se->site.grid_mw)) {
      char g[32], th[32];
      snprintf(why, sizeof why, "best conversion gains %s, not above the %s threshold",
               wp_format_musd(g, sizeof g, best_up),
               wp_format_musd(th, sizeof th, o->min_uplift_usd_per_mw * se->site.grid_mw));
      reason_mining(pl, i, &ch[i], why);
      continue;
    }
    if (base - se->ebitda_y1_usd < floor_usd) {
      char e1[32], fl[32];
      snprintf(why, sizeof why,
               "its mining EBITDA (%s in year 1) is needed for the cash base covering %s/yr of "
               "corporate costs",
               wp_format_musd(e1, sizeof e1, se->ebitda_y1_usd), wp_format_musd(fl, sizeof fl, floor_usd));
      reason_mining(pl, i, &ch[i], why);
      continue;
    }
    char blocks[96] = "";
    for (size_t c = 0; c < nc; c++) {
      const candidate *cd = &se->cand[idx[c]];
      if (cd->npv_usd - se->npv_mine_usd <= o->min_uplift_usd_per_mw * se->site.grid_mw) break;
      const char *w = infeasible(pl, ls, i, cd);
      if (!w && min_cash(pl, ls->equity_cf, cd->equity_cf, se->equity_cf_mine) <
                    o->cash_floor_usd)
        w = "cash floor";
      if (w) {
        note_block(blocks, sizeof blocks, w);
        continue;
      }
      ch[i].convert = 1;
      ch[i].business = pl->sc->conversion.business;
      ch[i].t = cd->t;
      ch[i].fraction = 1.0;
      ch[i].cand = (long)idx[c];
      accept(pl, ls, i, cd);
      base -= se->ebitda_y1_usd;
      reason_convert(pl, i, cd, &ch[i], c > 0 ? blocks : NULL);
      break;
    }
    if (!ch[i].convert) {
      snprintf(why, sizeof why, "no profitable start month fits (%s)",
               blocks[0] ? blocks : "constraints");
      reason_mining(pl, i, &ch[i], why);
    }
  }
}

static void decide_custom(const planner *pl, choice *ch)
{
  const wp_scenario *sc = pl->sc;
  for (size_t k = 0; k < sc->ncustom; k++) {
    long i = wp_scenario_site_index(sc, sc->custom[k].site);
    if (i < 0) continue; /* wp_scenario_check refuses this */
    choice *c = &ch[i];
    c->convert = sc->custom[k].business != WP_BUSINESS_MINING;
    c->business = sc->custom[k].business;
    c->t = sc->custom[k].convert_month;
    c->fraction = sc->custom[k].convert_fraction;
    snprintf(c->reason, sizeof c->reason, "custom pathway from the scenario file");
  }
}

/* Evaluate the chosen pathways and roll them up into st. */
static wp_status roll_up(planner *pl, const choice *ch, wp_strategy_out *so, wp_error *err)
{
  wp_status st;
  const size_t M = pl->months;
  for (int s = 0; s < WP_SERIES_COUNT; s++) memset(so->series[s], 0, M * sizeof(double));
  for (int s = 0; s < WP_SEGMENT_COUNT; s++) {
    if (!so->ebitda_usd[s] && !(so->ebitda_usd[s] = malloc(M * sizeof(double))))
      return wp_error_set(err, WP_ENOMEM, "plan: out of memory");
    memset(so->ebitda_usd[s], 0, M * sizeof(double));
  }
  double npv = pl->corp_npv_usd;
  for (size_t i = 0; i < pl->nsites; i++) {
    const site_eval *se = &pl->sites[i];
    wp_pathway p = ch[i].convert ? pathway_for(pl, ch[i].business, ch[i].t, ch[i].fraction)
                                 : pathway_for(pl, WP_BUSINESS_MINING, 0, 1.0);
    wp_pathway_result r;
    if ((st = run_site(pl, &se->site, &p, &r, err))) return st;
    const wp_ledger *L = wp_pathway_ledger(pl->ev);
    const double *mw_mine = wp_pathway_series_data(pl->ev, WP_PW_MINING_GRID_MW);
    const double *mw_ai = wp_pathway_series_data(pl->ev, WP_PW_AI_GRID_MW);
    const double *mw_it = wp_pathway_series_data(pl->ev, WP_PW_AI_IT_MW);
    const double *mw_con = wp_pathway_series_data(pl->ev, WP_PW_CONSTRUCTION_GRID_MW);
    const double *ebitda_mine = wp_pathway_series_data(pl->ev, WP_PW_MINING_EBITDA_USD);
    for (size_t m = 0; m < M; m++) {
      so->ebitda_usd[WP_SEGMENT_MINING][m] += ebitda_mine[m];
      so->ebitda_usd[WP_SEGMENT_AI][m] += L->ebitda_usd[m] - ebitda_mine[m];
      so->series[WP_SERIES_MINING_GRID_MW][m] += mw_mine[m];
      so->series[WP_SERIES_AI_GRID_MW][m] += mw_ai[m];
      so->series[WP_SERIES_AI_IT_MW][m] += mw_it[m];
      so->series[WP_SERIES_CONSTRUCTION_GRID_MW][m] += mw_con[m];
      so->series[WP_SERIES_REVENUE_MINING_USD][m] += L->rev_mining_usd[m];
      so->series[WP_SERIES_REVENUE_AI_USD][m] +=
          L->rev_colo_usd[m] + L->rev_gpu_contract_usd[m] + L->rev_gpu_merchant_usd[m];
      so->series[WP_SERIES_POWER_USD][m] += L->power_usd[m];
      so->series[WP_SERIES_OPEX_USD][m] += L->opex_usd[m];
      so->series[WP_SERIES_CAPEX_USD][m] += L->capex_total_usd[m];
      so->series[WP_SERIES_PROJECT_CF_USD][m] += L->project_cash_flow_usd[m];
      so->series[WP_SERIES_EQUITY_CF_USD][m] += L->equity_cash_flow_usd[m];
    }
    wp_site_out *o = &so->sites[i];
    snprintf(o->name, sizeof o->name, "%s", se->site.name);
    snprintf(o->country, sizeof o->country, "%s", se->site.country);
    snprintf(o->decision, sizeof o->decision, "%s",
             !ch[i].convert ? "keep mining" : ch[i].fraction < 1.0 ? "convert part" : "convert");
    snprintf(o->business_model, sizeof o->business_model, "%s",
             ch[i].convert ? wp_business_name(ch[i].business) : "");
    o->convert_month = ch[i].convert ? (int)ch[i].t : -1;
    o->energize_month = ch[i].convert ? (int)r.energize_full_month : -1;
    o->grid_mw = se->site.grid_mw;
    o->converted_grid_mw = r.converted_grid_mw;
    o->ai_it_mw = r.it_mw;
    o->capex_usd = r.ai_capex_usd;
    o->npv_usd = r.metrics.npv_usd;
    o->mining_npv_usd = se->npv_mine_usd;
    snprintf(o->reason, sizeof o->reason, "%s", ch[i].reason);
    if (ch[i].convert && ch[i].cand < 0) { /* custom: say what it did */
      double up = r.metrics.npv_usd - se->npv_mine_usd;
      char t[16], e[40], a[32], b[32];
      if (r.energize_full_month >= 0)
        wp_format_month(e, sizeof e, pl->sc->start, r.energize_full_month, "");
      else
        snprintf(e, sizeof e, "after the horizon");
      snprintf(o->reason, sizeof o->reason,
               "custom: convert %s -> %s, %.0f MW IT energized %s: NPV %s vs mining %s (%+.1fM)",
               wp_format_month(t, sizeof t, pl->sc->start, ch[i].t, ""), wp_business_name(ch[i].business), r.it_mw, e,
               wp_format_musd(a, sizeof a, r.metrics.npv_usd), wp_format_musd(b, sizeof b, se->npv_mine_usd),
               up / 1e6);
    }
    npv += r.metrics.npv_usd;
  }
  double cash = pl->sc->corporate.cash_start_usd;
  so->min_cash_usd = INFINITY;
  for (size_t m = 0; m < M; m++) {
    so->series[WP_SERIES_OPEX_USD][m] += pl->corp_opex[m];
    so->ebitda_usd[WP_SEGMENT_CORPORATE][m] = -pl->corp_opex[m];
    so->series[WP_SERIES_PROJECT_CF_USD][m] += pl->corp_project_cf[m];
    so->series[WP_SERIES_EQUITY_CF_USD][m] += pl->corp_equity_cf[m];
    cash += so->series[WP_SERIES_EQUITY_CF_USD][m];
    so->series[WP_SERIES_CASH_USD][m] = cash;
    if (cash < so->min_cash_usd) so->min_cash_usd = cash;
  }
  so->npv_usd = npv;
  so->corporate_npv_usd = pl->corp_npv_usd;
  so->peak_funding_usd = wp_finance_peak_funding(so->series[WP_SERIES_PROJECT_CF_USD], M);
  so->peak_equity_funding_usd = wp_finance_peak_funding(so->series[WP_SERIES_EQUITY_CF_USD], M);
  so->ai_it_mw_end = so->series[WP_SERIES_AI_IT_MW][M - 1];
  so->mining_mw_end = so->series[WP_SERIES_MINING_GRID_MW][M - 1];
  wp_irr_result irr; /* the IRR and its note by the one rule of every output */
  if ((st = wp_finance_irr_note(so->series[WP_SERIES_PROJECT_CF_USD], pl->dates, M, &irr,
                                so->irr_note, sizeof so->irr_note, err)))
    return st;
  so->irr = irr.roots ? irr.irr : NAN;
  return WP_OK;
}

static wp_status planner_init(planner *pl, const wp_scenario *sc, wp_error *err)
{
  wp_status st;
  memset(pl, 0, sizeof *pl);
  pl->sc = sc;
  if ((st = wp_scenario_check(sc, err))) return st;
  pl->months = (size_t)sc->horizon_months;
  pl->nyears = year_of(pl, (int64_t)pl->months - 1) + 1;
  pl->nsites = sc->nsites;
  pl->site_terms = wp_scenario_site_terms(sc);
  pl->path = (wp_market_path)WP_MARKET_PATH_INIT;
  if ((st = wp_market_path_init(&pl->path, pl->months, err))) return st;
  if ((st = wp_scenario_market_path(sc, &pl->path, err))) return st;
  if ((st = wp_pathway_eval_new(sc->start, pl->months, &pl->ev, err))) return st;
  pl->sites = calloc(pl->nsites, sizeof *pl->sites);
  pl->dates = calloc(pl->months * 5, sizeof(double));
  if (!pl->sites || !pl->dates) return wp_error_set(err, WP_ENOMEM, "planner: out of memory");
  pl->corp_project_cf = pl->dates + pl->months;
  pl->corp_equity_cf = pl->corp_project_cf + pl->months;
  pl->corp_opex = pl->corp_equity_cf + pl->months;
  pl->scratch = pl->corp_opex + pl->months;
  int64_t d0 = wp_calendar_month_end_day(sc->start, 0);
  for (size_t m = 0; m < pl->months; m++)
    pl->dates[m] = (double)(wp_calendar_month_end_day(sc->start, (int64_t)m) - d0);
  if ((st = corporate_layer(pl, err))) return st;
  return evaluate_sites(pl, err);
}

/* Decide and roll up the strategies in mask into res; record the decisions in dec (may be
** NULL). */
static wp_status plan_strategies(const wp_scenario *sc, unsigned mask, wp_plan_out **out,
                                 wp_plan_decisions *dec, wp_error *err)
{
  wp_status st;
  size_t nstrat = 0;
  for (int s = 0; s < WP_STRATEGY_COUNT; s++)
    if (mask & WP_STRATEGY_BIT(s)) nstrat++;
  planner pl;
  st = planner_init(&pl, sc, err);
  wp_plan_out *res = NULL;
  choice *ch = NULL;
  size_t *order = NULL;
  ledger_state ls = {0};
  if (st) goto done;
  res = wp_plan_out_new(nstrat, pl.nsites, pl.months);
  ch = calloc(pl.nsites, sizeof *ch);
  order = calloc(pl.nsites, sizeof *order);
  ls.crews = calloc(pl.months, sizeof *ls.crews);
  ls.capex_year = calloc(pl.nyears, sizeof *ls.capex_year);
  ls.equity_cf = calloc(pl.months, sizeof *ls.equity_cf);
  if (!res || !ch || !order || !ls.crews || !ls.capex_year || !ls.equity_cf) {
    st = wp_error_set(err, WP_ENOMEM, "plan: out of memory");
    goto done;
  }
  if (dec) {
    dec->nstrategies = nstrat;
    dec->nsites = pl.nsites;
    dec->months = pl.months;
    dec->decision = calloc(nstrat * pl.nsites, sizeof *dec->decision);
    dec->sites = calloc(pl.nsites, sizeof *dec->sites);
    dec->corporate_equity_cf_usd = calloc(pl.months, sizeof(double));
    if (!dec->decision || !dec->sites || !dec->corporate_equity_cf_usd) {
      st = wp_error_set(err, WP_ENOMEM, "plan: out of memory");
      goto done;
    }
    dec->site_terms = pl.site_terms;
    dec->corporate_npv_usd = pl.corp_npv_usd;
    memcpy(dec->corporate_equity_cf_usd, pl.corp_equity_cf, pl.months * sizeof(double));
    for (size_t i = 0; i < pl.nsites; i++) dec->sites[i] = pl.sites[i].site;
  }
  snprintf(res->scenario, sizeof res->scenario, "%s", sc->name);
  res->start = sc->start;
  res->hurdle_rate = sc->finance.hurdle_rate;
  res->cash_floor_usd = sc->strategy.cash_floor_usd;
  { /* the market path the strategies were valued on */
    const double *from[WP_PLAN_MARKET_COUNT] = {
        pl.path.btc_price_usd, pl.path.hashprice_usd_per_ph_day, pl.path.power_usd_per_mwh,
        pl.path.gpu_usd_per_hour, pl.path.colo_usd_per_kw_month};
    for (int q = 0; q < WP_PLAN_MARKET_COUNT && from[q]; q++)
      if ((res->market[q] = malloc(pl.months * sizeof(double))))
        memcpy(res->market[q], from[q], pl.months * sizeof(double));
  }
  size_t k = 0;
  for (int s = 0; s < WP_STRATEGY_COUNT; s++) {
    if (!(mask & WP_STRATEGY_BIT(s))) continue;
    memset(ch, 0, pl.nsites * sizeof *ch);
    memset(ls.crews, 0, pl.months * sizeof *ls.crews);
    memset(ls.capex_year, 0, pl.nyears * sizeof *ls.capex_year);
    memset(ls.region_it, 0, sizeof ls.region_it);
    ls.debt_usd = 0;
    for (size_t m = 0; m < pl.months; m++) {
      ls.equity_cf[m] = pl.corp_equity_cf[m];
      for (size_t i = 0; i < pl.nsites; i++) ls.equity_cf[m] += pl.sites[i].equity_cf_mine[m];
    }
    for (size_t i = 0; i < pl.nsites; i++) {
      ch[i].cand = -1;
      reason_mining(&pl, i, &ch[i], pl.sites[i].site.ai_ready ? "strategy keeps it mining"
                                                              : "site is not AI-ready");
    }
    size_t n = 0;
    order_by_uplift(&pl, order, &n);
    if (s == WP_STRATEGY_ALL_IN) decide_all_in(&pl, &ls, ch, order, n);
    if (s == WP_STRATEGY_HYBRID) decide_hybrid(&pl, &ls, ch, order, n);
    if (s == WP_STRATEGY_CUSTOM) decide_custom(&pl, ch);
    wp_strategy_out *so = &res->strategies[k];
    snprintf(so->name, sizeof so->name, "%s", wp_strategy_name((wp_strategy)s));
    if ((st = roll_up(&pl, ch, so, err))) goto done;
    if (dec) {
      dec->strategies[k] = (wp_strategy)s;
      dec->npv_usd[k] = so->npv_usd;
      dec->min_cash_usd[k] = so->min_cash_usd;
      for (size_t i = 0; i < pl.nsites; i++) {
        wp_plan_decision *d = &dec->decision[k * pl.nsites + i];
        d->business = ch[i].convert ? ch[i].business : WP_BUSINESS_MINING;
        d->convert_month = ch[i].convert ? ch[i].t : -1;
        d->convert_fraction = ch[i].convert ? ch[i].fraction : 0.0;
      }
    }
    k++;
  }
done:
  free(ls.crews);
  free(ls.capex_year);
  free(ls.equity_cf);
  free(order);
  free(ch);
  planner_release(&pl);
  if (st || !out) {
    wp_plan_out_free(res);
    return st;
  }
  *out = res;
  return WP_OK;
}

wp_status wp_plan_run(const wp_scenario *sc, unsigned mask, wp_plan_out **out, wp_error *err)
{
  if (!sc || !out) return wp_error_set(err, WP_EINVAL, "plan: NULL argument");
  *out = NULL;
  mask &= WP_STRATEGY_ALL;
  if (!mask) return wp_error_set(err, WP_EINVAL, "plan: no strategy selected");
  return plan_strategies(sc, mask, out, NULL, err);
}

void wp_plan_decisions_free(wp_plan_decisions *d)
{
  if (!d) return;
  free(d->decision);
  free(d->sites);
  free(d->corporate_equity_cf_usd);
  free(d);
}

wp_status wp_plan_decide(const wp_scenario *sc, unsigned mask, wp_plan_decisions **out,
                         wp_error *err)
{
  if (!sc || !out) return wp_error_set(err, WP_EINVAL, "plan: NULL argument");
  *out = NULL;
  mask &= WP_STRATEGY_ALL;
  if (!mask) return wp_error_set(err, WP_EINVAL, "plan: no strategy selected");
  wp_plan_decisions *d = calloc(1, sizeof *d);
  if (!d) return wp_error_set(err, WP_ENOMEM, "plan: out of memory");
  wp_status st = plan_strategies(sc, mask, NULL, d, err);
  if (st) {
    wp_plan_decisions_free(d);
    return st;
  }
  *out = d;
  return WP_OK;
}

const wp_plan_decision *wp_plan_decision_at(const wp_plan_decisions *d, size_t k, size_t i)
{
  if (!d || k >= d->nstrategies || i >= d->nsites) return NULL;
  return &d->decision[k * d->nsites + i];
}

wp_pathway wp_plan_pathway(const wp_scenario *sc, const wp_plan_decision *d)
{
  wp_pathway p = sc->conversion;
  if (!d || d->business == WP_BUSINESS_MINING) {
    p.business = WP_BUSINESS_MINING;
    p.convert_month = 0;
    p.convert_fraction = 1.0;
  } else {
    p.business = d->business;
    p.convert_month = d->convert_month;
    p.convert_fraction = d->convert_fraction;
  }
  return p;
}
