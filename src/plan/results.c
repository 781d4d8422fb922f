/* Allocation and naming of plan results (see wattpivot/results.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wattpivot/results.h"

static const struct {
  const char *name;
  const char *unit;
} series_info[WP_SERIES_COUNT] = {
  [WP_SERIES_MINING_GRID_MW] = {"mining_grid_mw", "MW"},
  [WP_SERIES_AI_GRID_MW] = {"ai_grid_mw", "MW"},
  [WP_SERIES_AI_IT_MW] = {"ai_it_mw", "MW"},
  [WP_SERIES_CONSTRUCTION_GRID_MW] = {"construction_grid_mw", "MW"},
  [WP_SERIES_REVENUE_MINING_USD] = {"revenue_mining_usd", "USD"},
  [WP_SERIES_REVENUE_AI_USD] = {"revenue_ai_usd", "USD"},
  [WP_SERIES_POWER_USD] = {"power_usd", "USD"},
  [WP_SERIES_OPEX_USD] = {"opex_usd", "USD"},
  [WP_SERIES_CAPEX_USD] = {"capex_usd", "USD"},
  [WP_SERIES_PROJECT_CF_USD] = {"project_cash_flow_usd", "USD"},
  [WP_SERIES_EQUITY_CF_USD] = {"equity_cash_flow_usd", "USD"},
  [WP_SERIES_CASH_USD] = {"cash_usd", "USD"},
};

static const struct {
  const char *name;
  const char *unit;
} limit_info[WP_LIMIT_COUNT] = {
  [WP_LIMIT_CASH_FLOOR] = {"cash floor", "USD"},
  [WP_LIMIT_DEBT_CAPACITY] = {"debt capacity", "USD"},
  [WP_LIMIT_CAPEX_BUDGET] = {"capex budget", "USD"},
  [WP_LIMIT_CREWS] = {"crews", "projects"},
  [WP_LIMIT_REGIONAL_DEMAND] = {"regional demand", "MW"},
  [WP_LIMIT_MINING_COVER] = {"mining cover", "USD"},
};

const char *wp_limit_name(wp_limit l)
{
  return (unsigned)l < WP_LIMIT_COUNT ? limit_info[l].name : "unknown";
}

const char *wp_limit_unit(wp_limit l)
{
  return (unsigned)l < WP_LIMIT_COUNT ? limit_info[l].unit : "";
}

const char *wp_series_name(wp_series s)
{
  return (unsigned)s < WP_SERIES_COUNT ? series_info[s].name : "unknown";
}

const char *wp_series_unit(wp_series s)
{
  return (unsigned)s < WP_SERIES_COUNT ? series_info[s].unit : "";
}

void wp_plan_out_free(wp_plan_out *out)
{
  if (!out) return;
  for (size_t i = 0; out->strategies && i < out->nstrategies; i++) {
    wp_strategy_out *st = &out->strategies[i];
    for (size_t k = 0; st->sites && k < st->nsites; k++) free(st->sites[k].tranches);
    free(st->sites);
    free(st->limits);
    free(st->breaches);
    for (int s = 0; s < WP_SERIES_COUNT; s++) free(out->strategies[i].series[s]);
    for (int s = 0; s < WP_SEGMENT_COUNT; s++) free(out->strategies[i].ebitda_usd[s]);
  }
  free(out->strategies);
  for (int k = 0; k < WP_PLAN_MARKET_COUNT; k++) free(out->market[k]);
  free(out);
}

wp_plan_out *wp_plan_out_new(size_t nstrategies, size_t nsites, size_t months)
{
  wp_plan_out *out = calloc(1, sizeof *out);
  if (!out) return NULL;
  out->months = months;
  out->cash_floor_usd = NAN;
  out->nstrategies = nstrategies;
  out->strategies = calloc(nstrategies ? nstrategies : 1, sizeof *out->strategies);
  if (!out->strategies) goto fail;
  for (size_t i = 0; i < nstrategies; i++) {
    wp_strategy_out *st = &out->strategies[i];
    st->irr = NAN;
    st->solve.bound = NAN;
    st->nsites = nsites;
    st->sites = calloc(nsites ? nsites : 1, sizeof *st->sites);
    if (!st->sites) goto fail;
    for (size_t k = 0; k < nsites; k++) {
      st->sites[k].convert_month = -1;
      st->sites[k].energize_month = -1;
    }
    for (int s = 0; s < WP_SERIES_COUNT; s++) {
      st->series[s] = calloc(months ? months : 1, sizeof(double));
      if (!st->series[s]) goto fail;
    }
  }
  return out;
fail:
  wp_plan_out_free(out);
  return NULL;
}

wp_status wp_plan_out_set_tranches(wp_plan_out *out, size_t k, size_t i, size_t n, wp_error *err)
{
  if (!out || k >= out->nstrategies || i >= out->strategies[k].nsites)
    return wp_error_set(err, WP_EINVAL, "plan result: no strategy %zu, site %zu", k, i);
  wp_site_out *s = &out->strategies[k].sites[i];
  wp_tranche_out *t = calloc(n ? n : 1, sizeof *t);
  if (!t) return wp_error_set(err, WP_ENOMEM, "plan result: out of memory");
  for (size_t j = 0; j < n; j++) t[j].convert_month = t[j].energize_month = -1;
  free(s->tranches);
  s->tranches = t;
  s->ntranches = n;
  return WP_OK;
}

wp_status wp_plan_out_set_limits(wp_plan_out *out, size_t k, size_t n, wp_error *err)
{
  if (!out || k >= out->nstrategies)
    return wp_error_set(err, WP_EINVAL, "plan result: no strategy %zu", k);
  wp_strategy_out *st = &out->strategies[k];
  wp_limit_out *l = calloc(n ? n : 1, sizeof *l);
  if (!l) return wp_error_set(err, WP_ENOMEM, "plan result: out of memory");
  for (size_t j = 0; j < n; j++) l[j].relax_npv_usd = l[j].relax_ai_it_mw = NAN;
  free(st->limits);
  st->limits = l;
  st->nlimits = n;
  return WP_OK;
}

wp_status wp_plan_out_set_breaches(wp_plan_out *out, size_t k, size_t n, wp_error *err)
{
  if (!out || k >= out->nstrategies)
    return wp_error_set(err, WP_EINVAL, "plan result: no strategy %zu", k);
  wp_strategy_out *st = &out->strategies[k];
  wp_breach_out *b = calloc(n ? n : 1, sizeof *b);
  if (!b) return wp_error_set(err, WP_ENOMEM, "plan result: out of memory");
  free(st->breaches);
  st->breaches = b;
  st->nbreaches = n;
  return WP_OK;
}
