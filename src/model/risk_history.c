/*
** The BTC return history of the risk engine's block bootstrap, made standard: monthly log
** returns, centred and scaled to unit sample standard deviation (wattpivot/risk_history.h,
** docs/model/risk.md). Pure.
*/
#include <math.h>
#include <string.h>

#include "wattpivot/risk_history.h"

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
