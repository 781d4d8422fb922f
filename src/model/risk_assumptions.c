/*
** The stochastic market's assumptions: names, checks, the deterministic limit, the Cholesky
** factor of the correlations, and the BTC return history of the block bootstrap made standard
** (monthly log returns, centred and scaled to unit sample standard deviation)
** (wattpivot/risk_assumptions.h, docs/model/risk.md). Pure.
*/
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "risk_assumptions_int.h"
#include "wattpivot/risk_assumptions.h"

static const char *const factor_names[WP_RISK_FACTORS] = {"btc", "fees", "gpu", "colo", "power"};

const char *wp_risk_btc_model_name(wp_risk_btc_model m)
{
  switch (m) {
  case WP_RISK_BTC_GBM:
    return "gbm";
  case WP_RISK_BTC_BOOTSTRAP:
    return "bootstrap";
  }
  return "?";
}

void wp_risk_assumptions_zero_vol(wp_risk_assumptions *r)
{
  if (!r) return;
  r->btc_vol = r->fees_vol = r->gpu_vol = r->colo_vol = r->power_vol = 0;
  r->schedule_vol = 0;
}

int wp_risk_cholesky(const double c[WP_RISK_FACTORS][WP_RISK_FACTORS],
                    double l[WP_RISK_FACTORS][WP_RISK_FACTORS])
{
  memset(l, 0, sizeof(double) * WP_RISK_FACTORS * WP_RISK_FACTORS);
  for (int i = 0; i < WP_RISK_FACTORS; i++)
    for (int j = 0; j <= i; j++) {
      double s = c[i][j];
      for (int k = 0; k < j; k++)
        s -= l[i][k] * l[j][k];
      if (i == j) {
        if (!(s > 1e-12)) return 0;
        l[i][i] = sqrt(s);
      } else {
        l[i][j] = s / l[j][j];
      }
    }
  return 1;
}

wp_status wp_risk_assumptions_check(const wp_risk_assumptions *r, wp_error *err)
{
  if (!r) return wp_error_set(err, WP_EINVAL, "risk assumptions: NULL");
  static const struct {
    const char *name;
    size_t off;
    double lo, hi;
  } rows[] = {
      {"btc_vol", offsetof(wp_risk_assumptions, btc_vol), 0, 5},
      {"fees_vol", offsetof(wp_risk_assumptions, fees_vol), 0, 10},
      {"fees_reversion_per_yr", offsetof(wp_risk_assumptions, fees_reversion_per_yr), 0, 100},
      {"gpu_vol", offsetof(wp_risk_assumptions, gpu_vol), 0, 5},
      {"colo_vol", offsetof(wp_risk_assumptions, colo_vol), 0, 5},
      {"power_vol", offsetof(wp_risk_assumptions, power_vol), 0, 5},
      {"power_reversion_per_yr", offsetof(wp_risk_assumptions, power_reversion_per_yr), 0, 100},
      {"schedule_vol", offsetof(wp_risk_assumptions, schedule_vol), 0, 3},
      {"hashrate_elasticity", offsetof(wp_risk_assumptions, hashrate_elasticity), 0, 3},
      {"hashrate_adjust_per_month", offsetof(wp_risk_assumptions, hashrate_adjust_per_month), 0, 1},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    double v = *(const double *)(const void *)((const char *)r + rows[i].off);
    if (!isfinite(v) || v < rows[i].lo || v > rows[i].hi)
      return wp_error_set(err, WP_EINVAL, "%s %g is out of range; accepted [%g, %g]", rows[i].name,
                          v, rows[i].lo, rows[i].hi);
  }
  if (r->hashrate_lag_months < 0 || r->hashrate_lag_months > 60)
    return wp_error_set(err, WP_EINVAL,
                        "hashrate_lag_months %lld is out of range; accepted [0, 60]",
                        (long long)r->hashrate_lag_months);
  if (r->wait_max_month < 0 || r->wait_max_month > 1200)
    return wp_error_set(err, WP_EINVAL, "wait_max_month %lld is out of range; accepted [0, 1200]",
                        (long long)r->wait_max_month);
  if (r->wait_paths < 1 || r->wait_paths > 10000000)
    return wp_error_set(err, WP_EINVAL, "wait_paths %lld is out of range; accepted [1, 10000000]",
                        (long long)r->wait_paths);
  if (r->btc_model != WP_RISK_BTC_GBM && r->btc_model != WP_RISK_BTC_BOOTSTRAP)
    return wp_error_set(err, WP_EINVAL, "btc_model %d is not a model; accepted gbm, bootstrap",
                        (int)r->btc_model);
  if (r->btc_block_months < 1 || r->btc_block_months > 60)
    return wp_error_set(err, WP_EINVAL, "btc_block_months %lld is out of range; accepted [1, 60]",
                        (long long)r->btc_block_months);
  if (r->btc_model == WP_RISK_BTC_BOOTSTRAP) {
    if (r->btc_history_n > WP_RISK_HISTORY_MAX || r->btc_history_n < (size_t)r->btc_block_months)
      return wp_error_set(err, WP_EINVAL,
                          "btc_model bootstrap: the BTC history has %zu monthly returns; it needs "
                          "btc_block_months %lld to %d (wp_risk_history_load fills it)",
                          r->btc_history_n, (long long)r->btc_block_months, WP_RISK_HISTORY_MAX);
    for (size_t j = 0; j < r->btc_history_n; j++)
      if (!isfinite(r->btc_history_std[j]))
        return wp_error_set(err, WP_EINVAL, "btc_history_std[%zu] is %g; accepted a finite value",
                            j, r->btc_history_std[j]);
  }
  for (int a = 0; a < WP_RISK_FACTORS; a++) {
    if (r->corr[a][a] != 1.0)
      return wp_error_set(err, WP_EINVAL, "correlation of %s with itself is %g; it must be 1",
                          factor_names[a], r->corr[a][a]);
    for (int b = a + 1; b < WP_RISK_FACTORS; b++) {
      double c = r->corr[a][b];
      if (!isfinite(c) || c < -1 || c > 1 || c != r->corr[b][a])
        return wp_error_set(err, WP_EINVAL,
                            "corr_%s_%s %g is out of range or not symmetric; accepted [-1, 1]",
                            factor_names[a], factor_names[b], c);
    }
  }
  double l[WP_RISK_FACTORS][WP_RISK_FACTORS];
  if (!wp_risk_cholesky(r->corr, l))
    return wp_error_set(err, WP_EINVAL,
                        "the correlations (corr_*) do not form a positive-definite matrix; "
                        "lower the largest ones");
  return WP_OK;
}

wp_status wp_risk_history_standardize(const double *close_usd, size_t n, wp_risk_assumptions *r,
                                      wp_error *err)
{
  if (!close_usd || !r) return wp_error_set(err, WP_EINVAL, "BTC history: NULL argument");
  if (n < 3)
    return wp_error_set(err, WP_EINVAL,
                        "BTC history: %zu closes; at least 3 are needed (2 returns)", n);
  if (n - 1 > WP_RISK_HISTORY_MAX)
    return wp_error_set(err, WP_EINVAL, "BTC history: %zu closes; at most %d are accepted", n,
                        WP_RISK_HISTORY_MAX + 1);
  for (size_t i = 0; i < n; i++)
    if (!isfinite(close_usd[i]) || !(close_usd[i] > 0))
      return wp_error_set(err, WP_EINVAL,
                          "BTC history: close %zu is %g; accepted: a positive finite price", i,
                          close_usd[i]);
  const size_t N = n - 1;
  double *e = r->btc_history_std;
  double sum = 0;
  for (size_t j = 0; j < N; j++) {
    e[j] = log(close_usd[j + 1] / close_usd[j]);
    sum += e[j];
  }
  const double mean = sum / (double)N;
  double ss = 0;
  for (size_t j = 0; j < N; j++)
    ss += (e[j] - mean) * (e[j] - mean);
  const double sd = sqrt(ss / (double)(N - 1));
  if (!(sd > 0) || !isfinite(sd))
    return wp_error_set(err, WP_EINVAL,
                        "BTC history: the %zu monthly returns have no spread (sd %g)", N, sd);
  for (size_t j = 0; j < N; j++)
    e[j] = (e[j] - mean) / sd;
  memset(e + N, 0, (WP_RISK_HISTORY_MAX - N) * sizeof *e);
  r->btc_history_n = N;
  r->btc_history_vol = sd * sqrt(12.0);
  return WP_OK;
}
