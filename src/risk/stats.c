/*
** The risk engine's statistics of a strategy over the paths: mean, quantiles, CVaR, the
** probabilities of a cash shortfall and of beating mining-only (docs/model/risk.md).
*/
#include <stdlib.h>
#include <string.h>

#include "risk/engine_int.h"

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Quantile q of sorted[0..n-1] by linear interpolation between order statistics at index
** q (n - 1) — GSL's definition (gsl_stats_quantile_from_sorted_data), written as
** v[i] + f (v[i+1] - v[i]) so that equal values give exactly that value. */
static double quantile_sorted(const double *v, size_t n, double q)
{
  double idx = q * (double)(n - 1);
  size_t i = (size_t)idx;
  double f = idx - (double)i;
  if (i + 1 >= n) return v[n - 1];
  return f > 0 ? v[i] + f * (v[i + 1] - v[i]) : v[i];
}

/* Mean of v[0..n-1] as v[0] + mean(v - v[0]): the deviations are small and exact for equal
** values, so equal NPVs (zero volatility) average to exactly that NPV. */
static double mean_about_first(const double *v, size_t n)
{
  double dev = 0;
  for (size_t i = 0; i < n; i++)
    dev += v[i] - v[0];
  return v[0] + dev / (double)n;
}

void wp_risk_summarize(const engine *e, size_t k, double *sorted, wp_risk_strategy *s)
{
  const size_t n = e->paths;
  const double *v = e->npv + k * n, *mo = e->npv + e->mining_k * n, *mc = e->min_cash + k * n;
  size_t short_n = 0, beats = 0;
  for (size_t p = 0; p < n; p++) {
    if (mc[p] < e->sc->strategy.cash_floor_usd) short_n++;
    if (v[p] > mo[p]) beats++;
  }
  memcpy(sorted, v, n * sizeof *sorted);
  qsort(sorted, n, sizeof *sorted, cmp_double);
  s->npv_mean_usd = mean_about_first(v, n);
  s->npv_p5_usd = quantile_sorted(sorted, n, 0.05);
  s->npv_p50_usd = quantile_sorted(sorted, n, 0.50);
  s->npv_p95_usd = quantile_sorted(sorted, n, 0.95);
  size_t tail = (n + 19) / 20; /* ceil(5 % of n) */
  s->cvar5_usd = mean_about_first(sorted, tail);
  s->p_cash_shortfall = (double)short_n / (double)n;
  s->p_beats_mining_only = (double)beats / (double)n;
}
