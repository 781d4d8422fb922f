/*
** The planner's option table (src/plan/options_int.h): the corporate layer, every site mining,
** and every tranche's and expansion's conversion options, each run once through the pathway.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/options_int.h"

wp_site wp_plan_project_site(const wp_site *site, const wp_plan_project *p)
{
  wp_site s = *site;
  if (p->expansion) {
    /* A new hall on new grid capacity: no mine, no PPA block, no ASICs to sell. */
    s.grid_mw = site->expandable_mw;
    s.online_month = 0;
    s.ai_ready = 1;
    s.asic_resale_usd_per_th = 0;
    s.ppa.fixed_mw = 0;
  } else if (p->share != 1.0) {
    s.grid_mw = site->grid_mw * p->share;
    s.ppa.fixed_mw = site->ppa.fixed_mw * p->share;
  }
  s.expandable_mw = 0;
  return s;
}

wp_pathway wp_plan_project_pathway(const wp_scenario *sc, const wp_plan_project *p)
{
  wp_pathway pw = sc->conversion;
  pw.convert_fraction = 1.0;
  pw.new_build = p->expansion;
  if (p->business == WP_BUSINESS_MINING) {
    pw.business = WP_BUSINESS_MINING;
    pw.convert_month = 0;
  } else {
    pw.business = p->business;
    pw.convert_month = p->convert_month;
  }
  return pw;
}

wp_plan_project plan_option_project(const plan_options *po, const plan_option *o, size_t n)
{
  const plan_site *ps = &po->site[o->site];
  const plan_run *r = &po->run[o->run];
  const int expansion = o->group == ps->ngroups;
  wp_plan_project p = {.site = o->site,
                       .expansion = expansion,
                       .share = expansion ? 1.0 : ps->group[o->group].share * (double)n,
                       .business = r->business,
                       .convert_month = r->t};
  return p;
}

void plan_capex_by_year(const plan_options *po, const wp_ledger *L, double *out)
{
  static const wp_asset_class conversion[] = {WP_ASSET_AI_SHELL, WP_ASSET_AI_MEP, WP_ASSET_SOFT,
                                              WP_ASSET_GPU};
  memset(out, 0, po->nyears * sizeof *out);
  for (size_t m = 0; m < po->months; m++)
    for (size_t k = 0; k < sizeof conversion / sizeof conversion[0]; k++)
      out[po->year[m]] += L->capex_usd[conversion[k]][m];
}

wp_status plan_run_project(plan_options *po, const wp_plan_project *p, wp_pathway_result *r,
                           wp_error *err)
{
  const wp_site *site = &po->site[p->site].site;
  wp_site s = wp_plan_project_site(site, p);
  wp_pathway pw = wp_plan_project_pathway(po->sc, p);
  wp_status st = wp_pathway_run(po->ev, &s, &pw, &po->path, &po->site_terms, r, err);
  if (st && !(err && strstr(err->msg, site->name))) /* say which site, unless the message does */
    return wp_error_prefix(err, st, "site %s", site->name);
  return st;
}

/* A new run slot with room for its arrays (mining: eq, ebitda; conversion: eq, debt, capex_y). */
static wp_status new_run(plan_options *po, int mining, size_t *index, wp_error *err)
{
  if (po->nruns == po->cap_runs) {
    size_t n = po->cap_runs ? 2 * po->cap_runs : 256;
    plan_run *r = realloc(po->run, n * sizeof *r);
    if (!r) return wp_error_set(err, WP_ENOMEM, "planner: out of memory");
    po->run = r;
    po->cap_runs = n;
  }
  plan_run *r = &po->run[po->nruns];
  memset(r, 0, sizeof *r);
  const size_t M = po->months;
  double *b = calloc(mining ? 2 * M : 2 * M + po->nyears, sizeof *b);
  if (!b) return wp_error_set(err, WP_ENOMEM, "planner: out of memory");
  if (mining) {
    r->eq = b;
    r->ebitda = b + M;
  } else {
    r->dcum = b;
    r->debt = b + M;
    r->capex_y = b + 2 * M;
  }
  *index = po->nruns++;
  return WP_OK;
}

/* Run project p and keep what the optimizer needs in a new run; a conversion's cash effect is
** taken against mining run mine (SIZE_MAX: against nothing, an expansion). */
static wp_status keep_run(plan_options *po, const wp_plan_project *p, size_t mine, size_t *index,
                          wp_error *err)
{
  wp_pathway_result r;
  wp_status st = plan_run_project(po, p, &r, err);
  if (st) return st;
  const int mining = p->business == WP_BUSINESS_MINING;
  if ((st = new_run(po, mining, index, err))) return st;
  plan_run *run = &po->run[*index];
  const wp_ledger *L = wp_pathway_ledger(po->ev);
  const size_t M = po->months;
  run->business = p->business;
  run->t = mining ? -1 : p->convert_month;
  run->te_first = mining ? -1 : r.energize_first_month;
  run->te_full = mining ? -1 : r.energize_full_month;
  run->npv_usd = r.metrics.npv_usd;
  run->it_mw = r.it_mw;
  run->capex_usd = r.ai_capex_usd;
  if (mining) {
    memcpy(run->eq, L->equity_cash_flow_usd, M * sizeof(double));
    memcpy(run->ebitda, L->ebitda_usd, M * sizeof(double));
  } else {
    const double *base = mine == SIZE_MAX ? NULL : po->run[mine].eq;
    double c = 0;
    for (size_t m = 0; m < M; m++) {
      c += L->equity_cash_flow_usd[m] - (base ? base[m] : 0.0);
      run->dcum[m] = c;
    }
    memcpy(run->debt, L->term_balance_usd, M * sizeof(double));
    plan_capex_by_year(po, L, run->capex_y);
  }
  return WP_OK;
}

static wp_status add_option(plan_options *po, const plan_option *o, wp_error *err)
{
  if (po->nopt == po->cap_opt) {
    size_t n = po->cap_opt ? 2 * po->cap_opt : 1024;
    plan_option *a = realloc(po->opt, n * sizeof *a);
    if (!a) return wp_error_set(err, WP_ENOMEM, "planner: out of memory");
    po->opt = a;
    po->cap_opt = n;
  }
  po->opt[po->nopt++] = *o;
  return WP_OK;
}

/* The limit an option breaks on its own (NULL when none): then no plan can hold it. */
static const char *misfit(const plan_options *po, const plan_site *ps, const plan_run *r)
{
  const wp_strategy_opts *o = &po->sc->strategy;
  if (ps->region >= 0 && r->it_mw > po->sc->regions[ps->region].ai_it_mw_max) return "regional demand";
  for (size_t y = 0; y < po->nyears; y++)
    if (r->capex_y[y] > o->capex_usd_per_yr) return "capex budget";
  for (size_t m = 0; m < po->months; m++)
    if (r->debt[m] > o->debt_capacity_usd) return "debt capacity";
  return NULL;
}

/*
** The conversion runs of one share of site i (or its expansion): every allowed business model
** at every start month whose last hall energizes inside the horizon (an expansion's first hall
** not before its queue). Their run indices go to runs[], *n of them.
*/
static wp_status conversion_runs(plan_options *po, size_t i, double share, int expansion,
                                 size_t mine, size_t *runs, size_t *n, wp_error *err)
{
  const wp_scenario *sc = po->sc;
  const plan_site *ps = &po->site[i];
  const int64_t step = sc->strategy.convert_month_step;
  *n = 0;
  for (int b = WP_BUSINESS_COLO; b < WP_BUSINESS_COUNT; b++) {
    if (!(ps->businesses & WP_BUSINESS_BIT(b))) continue;
    for (int64_t t = sc->strategy.earliest_convert_month; t < (int64_t)po->months; t += step) {
      wp_plan_project p = {.site = i, .expansion = expansion, .share = share,
                           .business = (wp_business)b, .convert_month = t};
      size_t k;
      wp_status st = keep_run(po, &p, mine, &k, err);
      if (st) return st;
      const plan_run *r = &po->run[k];
      const int late = r->te_full < 0; /* energizes after the horizon: so will a later start */
      if (late || (expansion && r->te_first < ps->site.queue_months)) { /* or before the grid */
        po->nruns--;
        free(po->run[po->nruns].dcum);
        if (late) break;
        continue;
      }
      runs[(*n)++] = k;
    }
  }
  return WP_OK;
}

/* The options of group g of site i from the runs of its share. */
static wp_status group_options(plan_options *po, size_t i, size_t g, const size_t *runs, size_t n,
                               wp_error *err)
{
  plan_site *ps = &po->site[i];
  plan_group *gr = &ps->group[g];
  gr->first = po->nopt;
  gr->count = n;
  for (size_t k = 0; k < n; k++) {
    const plan_run *r = &po->run[runs[k]];
    plan_option o = {.site = i, .group = g, .run = runs[k], .mine = gr->mine};
    o.gain_usd = r->npv_usd - (gr->mine == SIZE_MAX ? 0.0 : po->run[gr->mine].npv_usd);
    o.misfit = misfit(po, ps, r);
    o.fits = o.misfit == NULL;
    wp_status st = add_option(po, &o, err);
    if (st) return st;
  }
  return WP_OK;
}

/* The builds of a site's options opt[first ..]: with strategy.crew_per build, tranches (the
** expansion apart) of one business that start and energize their last hall in the same months
** are built together; with crew_per tranche, each option is a build of its own. */
static void mark_builds(plan_options *po, size_t first)
{
  const int together = po->sc->strategy.crew_per == WP_CREW_PER_BUILD;
  for (size_t q = first; q < po->nopt; q++) {
    plan_option *o = &po->opt[q];
    const plan_run *r = &po->run[o->run];
    const int expansion = o->group == po->site[o->site].ngroups;
    o->build = q;
    o->build_shared = 0;
    for (size_t a = first; together && a < q && o->build == q; a++) {
      const plan_run *ra = &po->run[po->opt[a].run];
      if ((po->opt[a].group == po->site[o->site].ngroups) == expansion &&
          ra->business == r->business && ra->t == r->t && ra->te_full == r->te_full) {
        o->build = po->opt[a].build;
        o->build_shared = po->opt[o->build].build_shared = 1;
      }
    }
  }
  for (size_t q = first; q < po->nopt; q++)
    po->opt[q].build_shared = po->opt[po->opt[q].build].build_shared;
}

/* Site i: its mining run, its tranches in groups of equal share (with their mining runs and
** options), its expansion. */
static wp_status build_site(plan_options *po, size_t i, size_t *runs, wp_error *err)
{
  const wp_scenario *sc = po->sc;
  plan_site *ps = &po->site[i];
  wp_status st;
  ps->site = sc->sites[i];
  if ((st = wp_scenario_tax_rate(sc, ps->site.country, &ps->site.tax_rate, err))) return st;
  ps->region = -1;
  for (size_t r = 0; r < sc->nregions; r++)
    if (strcmp(sc->regions[r].name, ps->site.region) == 0) ps->region = (long)r;
  ps->businesses = ps->site.business_models ? ps->site.business_models
                                            : sc->strategy.business_models;
  wp_plan_project whole = {.site = i, .share = 1.0, .business = WP_BUSINESS_MINING,
                           .convert_month = -1};
  if ((st = keep_run(po, &whole, SIZE_MAX, &ps->mine_full, err))) return st;
  /* Tranches: the scenario's levels; a site too small for them converts whole. */
  const wp_tranche_levels *lv = &sc->strategy.tranches;
  size_t nl = lv->n;
  memcpy(ps->level, lv->level, nl * sizeof *ps->level);
  for (size_t j = 0; j < nl; j++)
    if ((ps->level[j] - (j ? ps->level[j - 1] : 0.0)) * ps->site.grid_mw <
        WP_PATHWAY_MIN_CONVERT_MW) {
      ps->level[0] = 1.0;
      nl = 1;
      break;
    }
  ps->ntranches = ps->site.ai_ready && ps->site.grid_mw >= WP_PATHWAY_MIN_CONVERT_MW ? nl : 0;
  ps->ngroups = 0;
  const size_t first = po->nopt; /* the site's options, from here */
  for (size_t j = 0; j < ps->ntranches;) {
    const double share = ps->level[j] - (j ? ps->level[j - 1] : 0.0);
    size_t e = j + 1;
    while (e < ps->ntranches && fabs(ps->level[e] - ps->level[e - 1] - share) <= 1e-12) e++;
    plan_group *gr = &ps->group[ps->ngroups++];
    gr->share = share;
    gr->grid_mw = share * ps->site.grid_mw;
    gr->n = e - j;
    gr->before = j;
    wp_plan_project part = {.site = i, .share = share, .business = WP_BUSINESS_MINING,
                            .convert_month = -1};
    if (share == 1.0)
      gr->mine = ps->mine_full;
    else if ((st = keep_run(po, &part, SIZE_MAX, &gr->mine, err)))
      return st;
    size_t n = 0;
    if ((st = conversion_runs(po, i, share, 0, gr->mine, runs, &n, err))) return st;
    if ((st = group_options(po, i, ps->ngroups - 1, runs, n, err))) return st;
    j = e;
  }
  ps->expansion = ps->site.expandable_mw > 0;
  if (ps->expansion) {
    plan_group *gr = &ps->group[ps->ngroups];
    gr->share = 1.0;
    gr->grid_mw = ps->site.expandable_mw;
    gr->n = 1;
    gr->before = ps->ntranches;
    gr->mine = SIZE_MAX;
    size_t n = 0;
    if ((st = conversion_runs(po, i, 1.0, 1, SIZE_MAX, runs, &n, err))) return st;
    if ((st = group_options(po, i, ps->ngroups, runs, n, err))) return st;
  }
  mark_builds(po, first);
  return WP_OK;
}

/* The corporate layer: overhead (a project cost) and the convertible notes (financing). */
static wp_status corporate_layer(plan_options *po, wp_error *err)
{
  const wp_scenario *sc = po->sc;
  wp_ledger *L = NULL;
  wp_status st = wp_ledger_new(sc->start, po->months, &L, err);
  if (st) return st;
  for (size_t m = 0; m < po->months; m++)
    L->opex_other_usd[m] = sc->corporate.overhead_usd_per_yr / 12.0;
  wp_finance_terms ft = sc->finance;
  ft.tax_rate = 0; /* no taxable income of its own: judgment, overhead gets no tax shield */
  ft.term.enabled = 0;
  ft.compute_irr = 0;
  wp_finance_metrics fm;
  if ((st = wp_finance_run(L, &ft, &fm, err)) == WP_OK) {
    for (size_t m = 0; m < po->months; m++) {
      po->corp_project[m] = L->project_cash_flow_usd[m];
      po->corp_eq[m] = L->equity_cash_flow_usd[m];
      po->corp_opex[m] = L->opex_usd[m];
      po->corp_costs[m] = L->opex_usd[m] + L->conv_coupon_usd[m];
    }
    po->corp_npv_usd = fm.npv_usd;
  }
  wp_ledger_free(L);
  return st;
}

/* Mining-only: cash, mining EBITDA by year, NPV (corporate first, then the sites in order). */
static void baseline(plan_options *po)
{
  const size_t M = po->months;
  double cash = po->sc->corporate.cash_start_usd;
  memset(po->base_ebitda_y, 0, po->nyears * sizeof(double));
  for (size_t m = 0; m < M; m++) {
    double eq = 0;
    for (size_t i = 0; i < po->nsites; i++) {
      const plan_run *r = &po->run[po->site[i].mine_full];
      eq += r->eq[m];
      po->base_ebitda_y[po->year[m]] += r->ebitda[m];
    }
    cash += eq + po->corp_eq[m];
    po->base_cash[m] = cash;
  }
  po->base_npv_usd = po->corp_npv_usd;
  for (size_t i = 0; i < po->nsites; i++) po->base_npv_usd += po->run[po->site[i].mine_full].npv_usd;
}

wp_status plan_options_build(plan_options *po, const wp_scenario *sc, wp_error *err)
{
  wp_status st;
  memset(po, 0, sizeof *po);
  po->sc = sc;
  po->path = (wp_market_path)WP_MARKET_PATH_INIT;
  if ((st = wp_scenario_check(sc, err))) return st;
  const size_t M = (size_t)sc->horizon_months;
  po->months = M;
  po->nyears = (size_t)((sc->start.month - 1 + (int64_t)M - 1) / 12) + 1;
  po->nsites = sc->nsites;
  po->site_terms = wp_scenario_site_terms(sc);
  po->year = calloc(M, sizeof *po->year);
  po->year_first = calloc(po->nyears, sizeof *po->year_first);
  po->dates = calloc(6 * M + po->nyears, sizeof(double));
  po->site = calloc(po->nsites, sizeof *po->site);
  size_t *runs = calloc((size_t)WP_BUSINESS_COUNT * (M + 1), sizeof *runs);
  if (!po->year || !po->year_first || !po->dates || !po->site || !runs) {
    free(runs);
    return wp_error_set(err, WP_ENOMEM, "planner: out of memory");
  }
  po->corp_eq = po->dates + M;
  po->corp_project = po->corp_eq + M;
  po->corp_opex = po->corp_project + M;
  po->corp_costs = po->corp_opex + M;
  po->base_cash = po->corp_costs + M;
  po->base_ebitda_y = po->base_cash + M;
  const int64_t d0 = wp_calendar_month_end_day(sc->start, 0);
  for (size_t m = 0; m < M; m++) {
    po->dates[m] = (double)(wp_calendar_month_end_day(sc->start, (int64_t)m) - d0);
    po->year[m] = (int)((sc->start.month - 1 + (int64_t)m) / 12);
    if (m == 0 || po->year[m] != po->year[m - 1]) po->year_first[po->year[m]] = (int)m;
  }
  if ((st = wp_market_path_init(&po->path, M, err)) ||
      (st = wp_scenario_market_path(sc, &po->path, err)) || /* market_file included */
      (st = wp_pathway_eval_new(sc->start, M, &po->ev, err)) || (st = corporate_layer(po, err))) {
    free(runs);
    return st;
  }
  for (size_t i = 0; i < po->nsites && st == WP_OK; i++) st = build_site(po, i, runs, err);
  free(runs);
  if (st == WP_OK) baseline(po);
  return st;
}

void plan_options_release(plan_options *po)
{
  for (size_t k = 0; po->run && k < po->nruns; k++)
    free(po->run[k].eq ? po->run[k].eq : po->run[k].dcum);
  free(po->run);
  free(po->opt);
  free(po->site);
  free(po->year);
  free(po->year_first);
  free(po->dates);
  wp_pathway_eval_free(po->ev);
  wp_market_path_release(&po->path);
  memset(po, 0, sizeof *po);
}
