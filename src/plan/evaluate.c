/*
** A plan recomputed from its projects: every project's pathway run again, its ledger added up
** into the portfolio (cash, debt, crews, capex, mining EBITDA, regional IT MW) and, for the
** results, into the sites' rows and the monthly series (src/plan/planner_int.h).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/planner_int.h"

wp_status plan_totals_init(plan_totals *t, const plan_options *po, wp_error *err)
{
  memset(t, 0, sizeof *t);
  const size_t M = po->months, Y = po->nyears;
  t->block = calloc(3 * M + 3 * Y, sizeof(double));
  if (!t->block) return wp_error_set(err, WP_ENOMEM, "planner: out of memory");
  t->cash = t->block;
  t->debt = t->cash + M;
  t->crews = t->debt + M;
  t->capex_y = t->crews + M;
  t->mining_ebitda_y = t->capex_y + Y;
  t->scratch_y = t->mining_ebitda_y + Y;
  return WP_OK;
}

void plan_totals_release(plan_totals *t)
{
  free(t->block);
  memset(t, 0, sizeof *t);
}

static void totals_zero(plan_totals *t, const plan_options *po)
{
  double *b = t->block;
  memset(b, 0, (3 * po->months + 2 * po->nyears) * sizeof *b);
  memset(t->region_mw, 0, sizeof t->region_mw);
  t->npv_usd = po->corp_npv_usd;
  t->ai_it_mw = 0;
}

/* The business models of a site's conversions, joined by '+' in order of appearance. */
static void add_business(char *buf, size_t n, const char *name)
{
  if (strstr(buf, name)) return;
  if (buf[0]) strncat(buf, "+", n - strlen(buf) - 1);
  strncat(buf, name, n - strlen(buf) - 1);
}

/* Project p's run (in po->ev) added to the site row, its tranche row and the series. */
static void roll_up(const plan_options *po, const wp_plan_project *p, const wp_pathway_result *r,
                    wp_strategy_out *so, wp_tranche_out *tr)
{
  const wp_ledger *L = wp_pathway_ledger(po->ev);
  const size_t M = po->months;
  const double *ebitda_mine = wp_pathway_series_data(po->ev, WP_PW_MINING_EBITDA_USD);
  const double *mw[4] = {wp_pathway_series_data(po->ev, WP_PW_MINING_GRID_MW),
                         wp_pathway_series_data(po->ev, WP_PW_AI_GRID_MW),
                         wp_pathway_series_data(po->ev, WP_PW_AI_IT_MW),
                         wp_pathway_series_data(po->ev, WP_PW_CONSTRUCTION_GRID_MW)};
  for (size_t m = 0; m < M; m++) {
    so->series[WP_SERIES_MINING_GRID_MW][m] += mw[0][m];
    so->series[WP_SERIES_AI_GRID_MW][m] += mw[1][m];
    so->series[WP_SERIES_AI_IT_MW][m] += mw[2][m];
    so->series[WP_SERIES_CONSTRUCTION_GRID_MW][m] += mw[3][m];
    so->series[WP_SERIES_REVENUE_MINING_USD][m] += L->rev_mining_usd[m];
    so->series[WP_SERIES_REVENUE_AI_USD][m] +=
        L->rev_colo_usd[m] + L->rev_gpu_contract_usd[m] + L->rev_gpu_merchant_usd[m];
    so->series[WP_SERIES_POWER_USD][m] += L->power_usd[m];
    so->series[WP_SERIES_OPEX_USD][m] += L->opex_usd[m];
    so->series[WP_SERIES_CAPEX_USD][m] += L->capex_total_usd[m];
    so->series[WP_SERIES_PROJECT_CF_USD][m] += L->project_cash_flow_usd[m];
    so->series[WP_SERIES_EQUITY_CF_USD][m] += L->equity_cash_flow_usd[m];
    so->ebitda_usd[WP_SEGMENT_MINING][m] += ebitda_mine[m];
    so->ebitda_usd[WP_SEGMENT_AI][m] += L->ebitda_usd[m] - ebitda_mine[m];
  }
  const plan_site *ps = &po->site[p->site];
  wp_site_out *o = &so->sites[p->site];
  const int converting = p->business != WP_BUSINESS_MINING;
  tr->expansion = p->expansion;
  tr->share = p->share;
  tr->grid_mw = p->expansion ? ps->site.expandable_mw : ps->site.grid_mw * p->share;
  snprintf(tr->business_model, sizeof tr->business_model, "%s", wp_business_name(p->business));
  tr->convert_month = converting ? (int)p->convert_month : -1;
  tr->energize_month = converting ? (int)r->energize_full_month : -1;
  tr->ai_it_mw = r->it_mw;
  tr->capex_usd = r->ai_capex_usd;
  tr->npv_usd = r->metrics.npv_usd;
  o->npv_usd += r->metrics.npv_usd;
  if (!converting) return;
  add_business(o->business_model, sizeof o->business_model, wp_business_name(p->business));
  if (o->convert_month < 0 || p->convert_month < o->convert_month)
    o->convert_month = (int)p->convert_month;
  if (r->energize_full_month > o->energize_month) o->energize_month = (int)r->energize_full_month;
  if (!p->expansion) o->converted_grid_mw += r->converted_grid_mw;
  o->ai_it_mw += r->it_mw;
  o->capex_usd += r->ai_capex_usd;
}

/* The headline metrics of strategy so from its series (corporate layer added first). */
static wp_status headline(const plan_options *po, wp_strategy_out *so, const plan_totals *t,
                          wp_error *err)
{
  const size_t M = po->months;
  double cash = po->sc->corporate.cash_start_usd;
  so->min_cash_usd = INFINITY;
  for (size_t m = 0; m < M; m++) {
    so->series[WP_SERIES_OPEX_USD][m] += po->corp_opex[m];
    so->ebitda_usd[WP_SEGMENT_CORPORATE][m] = -po->corp_opex[m];
    so->series[WP_SERIES_PROJECT_CF_USD][m] += po->corp_project[m];
    so->series[WP_SERIES_EQUITY_CF_USD][m] += po->corp_eq[m];
    cash += so->series[WP_SERIES_EQUITY_CF_USD][m];
    so->series[WP_SERIES_CASH_USD][m] = cash;
    if (cash < so->min_cash_usd) so->min_cash_usd = cash;
  }
  so->npv_usd = t->npv_usd;
  so->corporate_npv_usd = po->corp_npv_usd;
  so->peak_funding_usd = wp_finance_peak_funding(so->series[WP_SERIES_PROJECT_CF_USD], M);
  so->peak_equity_funding_usd = wp_finance_peak_funding(so->series[WP_SERIES_EQUITY_CF_USD], M);
  so->ai_it_mw_end = so->series[WP_SERIES_AI_IT_MW][M - 1];
  so->mining_mw_end = so->series[WP_SERIES_MINING_GRID_MW][M - 1];
  wp_irr_result irr; /* the IRR and its note by the one rule of every output */
  wp_status st = wp_finance_irr_note(so->series[WP_SERIES_PROJECT_CF_USD], po->dates, M, &irr,
                                     so->irr_note, sizeof so->irr_note, err);
  so->irr = irr.roots ? irr.irr : NAN;
  return st;
}

/* Site rows before their projects are added. */
static wp_status sites_start(const plan_options *po, const wp_plan_project *p, size_t n,
                             wp_plan_out *out, size_t k, wp_error *err)
{
  wp_strategy_out *so = &out->strategies[k];
  for (int s = 0; s < WP_SERIES_COUNT; s++) memset(so->series[s], 0, po->months * sizeof(double));
  for (int s = 0; s < WP_SEGMENT_COUNT; s++) {
    if (!so->ebitda_usd[s] && !(so->ebitda_usd[s] = malloc(po->months * sizeof(double))))
      return wp_error_set(err, WP_ENOMEM, "planner: out of memory");
    memset(so->ebitda_usd[s], 0, po->months * sizeof(double));
  }
  for (size_t i = 0; i < po->nsites; i++) {
    size_t count = 0;
    for (size_t j = 0; j < n; j++) count += p[j].site == i;
    wp_status st = wp_plan_out_set_tranches(out, k, i, count, err);
    if (st) return st;
    wp_site_out *o = &so->sites[i];
    const plan_site *ps = &po->site[i];
    snprintf(o->name, sizeof o->name, "%s", ps->site.name);
    snprintf(o->country, sizeof o->country, "%s", ps->site.country);
    o->business_model[0] = '\0';
    o->convert_month = o->energize_month = -1;
    o->grid_mw = ps->site.grid_mw;
    o->converted_grid_mw = o->ai_it_mw = o->capex_usd = o->npv_usd = 0;
    o->mining_npv_usd = po->run[ps->mine_full].npv_usd;
    o->reason[0] = o->refused[0] = '\0';
  }
  return WP_OK;
}

static void sites_finish(const plan_options *po, wp_strategy_out *so)
{
  for (size_t i = 0; i < po->nsites; i++) {
    wp_site_out *o = &so->sites[i];
    int expands = 0;
    for (size_t j = 0; j < o->ntranches; j++)
      expands |= o->tranches[j].expansion && o->tranches[j].convert_month >= 0;
    const char *d = o->converted_grid_mw <= 0 ? (expands ? "expand" : "keep mining")
                    : o->converted_grid_mw < o->grid_mw * (1 - 1e-9) ? "convert part"
                                                                     : "convert";
    snprintf(o->decision, sizeof o->decision, "%s", d);
  }
}

/* 1 when conversion j is built together with an earlier one (the same site, business, start and
** last-hall months; expansions apart): one build, one crew (src/plan/options_int.h). */
static int built_with_earlier(const wp_plan_project *p, const int64_t *end, size_t j)
{
  for (size_t a = 0; a < j; a++)
    if (p[a].site == p[j].site && p[a].business != WP_BUSINESS_MINING &&
        p[a].expansion == p[j].expansion && p[a].business == p[j].business &&
        p[a].convert_month == p[j].convert_month && end[a] == end[j])
      return 1;
  return 0;
}

wp_status plan_evaluate(plan_options *po, const wp_plan_project *p, size_t n, wp_plan_out *out,
                        size_t k, plan_totals *t, wp_error *err)
{
  wp_status st;
  const size_t M = po->months;
  const wp_scenario *sc = po->sc;
  totals_zero(t, po);
  wp_strategy_out *so = out ? &out->strategies[k] : NULL;
  if (so && (st = sites_start(po, p, n, out, k, err))) return st;
  size_t *next = calloc(po->nsites ? po->nsites : 1, sizeof *next); /* tranche rows filled */
  int64_t *end = malloc((n ? n : 1) * sizeof *end); /* projects: last hall energized */
  if (!next || !end) {
    free(next);
    free(end);
    return wp_error_set(err, WP_ENOMEM, "planner: out of memory");
  }
  double *eq = t->cash; /* the running equity flow, summed into cash below */
  for (size_t j = 0; j < n; j++) {
    wp_pathway_result r;
    if ((st = plan_run_project(po, &p[j], &r, err))) break;
    const wp_ledger *L = wp_pathway_ledger(po->ev);
    const plan_site *ps = &po->site[p[j].site];
    const int converting = p[j].business != WP_BUSINESS_MINING;
    t->npv_usd += r.metrics.npv_usd;
    plan_capex_by_year(po, L, t->scratch_y);
    for (size_t y = 0; y < po->nyears; y++) t->capex_y[y] += t->scratch_y[y];
    for (size_t m = 0; m < M; m++) {
      eq[m] += L->equity_cash_flow_usd[m];
      t->debt[m] += L->term_balance_usd[m];
      /* Mining EBITDA: a mining share's all along, a conversion's before construction. */
      if (!converting || (int64_t)m < p[j].convert_month)
        t->mining_ebitda_y[po->year[m]] += p[j].expansion ? 0.0 : L->ebitda_usd[m];
    }
    if (converting) {
      end[j] = r.energize_full_month >= 0 ? r.energize_full_month : (int64_t)M;
      if (sc->strategy.crew_per == WP_CREW_PER_TRANCHE || !built_with_earlier(p, end, j))
        for (int64_t m = p[j].convert_month; m < end[j] && m < (int64_t)M; m++)
          t->crews[m] += 1;
      if (ps->region >= 0) t->region_mw[ps->region] += r.it_mw;
      t->ai_it_mw += r.it_mw;
    }
    if (so) roll_up(po, &p[j], &r, so, &so->sites[p[j].site].tranches[next[p[j].site]++]);
  }
  free(next);
  free(end);
  if (st) return st;
  double cash = sc->corporate.cash_start_usd;
  for (size_t m = 0; m < M; m++) {
    cash += eq[m] + po->corp_eq[m];
    t->cash[m] = cash;
  }
  if (so) {
    if ((st = headline(po, so, t, err))) return st;
    sites_finish(po, so);
  }
  return WP_OK;
}
