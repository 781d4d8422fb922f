/*
** Fit the hashprice equilibrium's marginal-miner parameters on 2019-2023 network history and
** test them on 2024-2025 (docs/model/market.md §5.3). Not a benchmark and not run by ctest:
**   ./build/calibrate_market [SOURCE_DIR]
** prints the fitted values (WP_MARKET_* in include/wattpivot/market.h are these, rounded) and the
** backtest table quoted in the doc. The marginal miner's power price is held at its default
** ($60/MWh, docs/sources/mining.md §4.2): it enters only through E·c, so E is fitted.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "market_history.h"

#define NPAR 5

static const double lo[NPAR] = {1.6094379124341003, 0.0, 0.0, 0.0, 0.0}; /* ln 5 */
static double hi[NPAR] = {5.298317366548036, 0.5, 100.0, 3.0, 3.0};      /* ln 200 */

static void to_assumptions(const double x[NPAR], int lag, wp_market_assumptions *a)
{
  *a = (wp_market_assumptions)WP_MARKET_ASSUMPTIONS_DEFAULT;
  a->marginal_j_per_th = exp(x[0]);
  a->marginal_efficiency_gain_per_yr = x[1];
  a->hashrate_response_per_yr = x[2];
  a->hashrate_growth_max_per_yr = x[3];
  a->hashrate_decline_max_per_yr = x[4];
  a->deploy_lag_months = lag;
}

static double objective(mh_history *h, const double x[NPAR], int lag, int all)
{
  wp_market_assumptions a;
  to_assumptions(x, lag, &a);
  wp_market_assumptions b = mh_rolled_back(&a, h);
  mh_stats st;
  if (mh_score(h, &b, &st)) return INFINITY;
  return all ? st.rmse_all : st.rmse_in;
}

/* Coordinate descent with a shrinking step, inside the bounds. */
static double descend(mh_history *h, double x[NPAR], int lag, int all)
{
  double best = objective(h, x, lag, all);
  for (double step = 0.25; step > 1e-5; step *= 0.5) {
    int improved = 1;
    while (improved) {
      improved = 0;
      for (int i = 0; i < NPAR; i++)
        for (int dir = -1; dir <= 1; dir += 2) {
          double keep = x[i];
          x[i] += dir * step * (hi[i] - lo[i]);
          if (x[i] < lo[i]) x[i] = lo[i];
          if (x[i] > hi[i]) x[i] = hi[i];
          double f = objective(h, x, lag, all);
          if (f < best - 1e-12) {
            best = f;
            improved = 1;
          } else {
            x[i] = keep;
          }
        }
    }
  }
  return best;
}

static void fit(mh_history *h, int all, double xbest[NPAR], int *lag_best)
{
  double fbest = INFINITY;
  srand(12345);
  for (int lag = 0; lag <= 12; lag++)
    for (int start = 0; start < 64; start++) {
      double x[NPAR];
      for (int i = 0; i < NPAR; i++)
        x[i] = lo[i] + (hi[i] - lo[i]) * ((double)rand() / RAND_MAX);
      double f = descend(h, x, lag, all);
      if (f < fbest) {
        fbest = f;
        *lag_best = lag;
        for (int i = 0; i < NPAR; i++)
          xbest[i] = x[i];
      }
    }
}

static void report(mh_history *h, const double x[NPAR], int lag, const char *what)
{
  wp_market_assumptions a;
  to_assumptions(x, lag, &a);
  wp_market_assumptions b = mh_rolled_back(&a, h);
  mh_stats st;
  mh_score(h, &b, &st);
  printf("== %s\n", what);
  printf("marginal_j_per_th %.6g (Nov 2025; %.2f at 2019-01)\n", a.marginal_j_per_th,
         b.marginal_j_per_th);
  printf("marginal_efficiency_gain_per_yr %.6g\nhashrate_response_per_yr %.6g\n"
         "hashrate_growth_max_per_yr %.6g\nhashrate_decline_max_per_yr %.6g\n"
         "deploy_lag_months %lld\n",
         a.marginal_efficiency_gain_per_yr, a.hashrate_response_per_yr,
         a.hashrate_growth_max_per_yr, a.hashrate_decline_max_per_yr,
         (long long)a.deploy_lag_months);
  printf("RMSE ln(model/actual): 2019-2023 %.4f (n %zu), 2024-2025 %.4f (n %zu), all %.4f\n",
         st.rmse_in, st.n_in, st.rmse_out, st.n_out, st.rmse_all);
  printf("mean ln(model/actual): 2019-2023 %+.4f, 2024-2025 %+.4f; max |model/actual-1| %.3f\n",
         st.mean_in, st.mean_out, st.max_abs_all);
  printf("| date | actual D (T) | model D (T) | error |\n|---|---:|---:|---:|\n");
  for (size_t i = 0; i < h->n; i++) {
    double dm = h->path.difficulty[h->s[i].m];
    printf("| %d-%02d-%02d | %.2f | %.2f | %+.1f %% |\n", h->s[i].year, h->s[i].month, h->s[i].day,
           h->s[i].difficulty / 1e12, dm / 1e12, 100 * (dm / h->s[i].difficulty - 1));
  }
}

int main(int argc, char **argv)
{
  const char *dir = argc > 1 ? argv[1] : ".";
  if (argc > 2) hi[2] = atof(argv[2]); /* a cap on the response, to explore stability */
  char net[1024], closes[1024];
  snprintf(net, sizeof net, "%s/data/btc_network_quarterly.csv", dir);
  snprintf(closes, sizeof closes, "%s/data/btc_monthly_close.csv", dir);
  static mh_history h;
  if (mh_build(&h, net, closes)) {
    fprintf(stderr, "calibrate_market: cannot read %s or %s\n", net, closes);
    return 1;
  }
  double x[NPAR];
  int lag = 0;
  fit(&h, 0, x, &lag);
  report(&h, x, lag, "fit on 2019-2023, 2024-2025 out of sample");
  fit(&h, 1, x, &lag);
  report(&h, x, lag, "fit on 2019-2025 (for comparison)");
  /* The defaults as compiled (after rounding). */
  wp_market_assumptions d = WP_MARKET_ASSUMPTIONS_DEFAULT;
  double xd[NPAR] = {log(d.marginal_j_per_th > 0 ? d.marginal_j_per_th : 1),
                     d.marginal_efficiency_gain_per_yr, d.hashrate_response_per_yr,
                     d.hashrate_growth_max_per_yr, d.hashrate_decline_max_per_yr};
  report(&h, xd, (int)d.deploy_lag_months, "compiled defaults (WP_MARKET_*)");
  /* Baseline: the exogenous model (difficulty compounding a constant rate from 2019-01), with
     the rate fitted by least squares on ln D, and with the old default +35 %/yr. */
  double sxy = 0, sxx = 0;
  for (size_t i = 1; i < h.n; i++) {
    double t = (double)h.s[i].m / 12.0, y = log(h.s[i].difficulty / h.s[0].difficulty);
    sxy += t * y;
    sxx += t * t;
  }
  double rates[2] = {exp(sxy / sxx) - 1, 0.35};
  for (int r = 0; r < 2; r++) {
    double ss = 0, mx = 0;
    for (size_t i = 1; i < h.n; i++) {
      double e = log(h.s[0].difficulty * wp_market_growth_factor(rates[r], (double)h.s[i].m) /
                     h.s[i].difficulty);
      ss += e * e;
      if (fabs(exp(e) - 1) > mx) mx = fabs(exp(e) - 1);
    }
    printf(
        "== exogenous %+.4f/yr from 2019-01%s: RMSE ln %.4f (n %zu), max |model/actual-1| %.3f\n",
        rates[r], r ? " (the old default rate)" : " (least-squares rate)",
        sqrt(ss / (double)(h.n - 1)), h.n - 1, mx);
  }
  wp_market_path_release(&h.path);
  return 0;
}
