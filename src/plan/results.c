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
    free(out->strategies[i].sites);
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
