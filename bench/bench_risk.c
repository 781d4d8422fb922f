/*
** bench_risk: throughput of the risk engine on the built-in default portfolio — site-months
** per second per core with 1 and with 2 threads (and the scaling), plus the market generator
** alone. A "site-month" is one site for one month of one path (every strategy of the path
** included); "pathway-months" counts what is actually evaluated: the distinct (site,
** decision) pathways of a path, each once, times months; "strategy-site-months" counts each
** strategy's sites separately (what evaluating the strategies one by one would be).
** Each thread count runs three times, interleaved; the best and the median run are reported.
** Usage: bench_risk [PATHS]   (default 2,000; the value-of-waiting study is off)
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "risk/market_int.h"
#include "wattpivot.h"

/* Distinct projects a path evaluates (a project several strategies share, once). */
static size_t distinct_pathways(const wp_plan_decisions *d)
{
  size_t n = 0;
  for (size_t k = 0; k < d->nstrategies; k++) {
    size_t nk = 0;
    const wp_plan_project *x = wp_plan_projects(d, k, &nk);
    for (size_t a = 0; a < nk; a++) {
      int seen = 0;
      for (size_t j = 0; j < k && !seen; j++) {
        size_t nj = 0;
        const wp_plan_project *y = wp_plan_projects(d, j, &nj);
        for (size_t b = 0; b < nj && !seen; b++)
          seen = x[a].site == y[b].site && x[a].expansion == y[b].expansion &&
                 x[a].share == y[b].share && x[a].business == y[b].business &&
                 (x[a].business == WP_BUSINESS_MINING ||
                  x[a].convert_month == y[b].convert_month);
      }
      n += !seen;
    }
  }
  return n;
}

int main(int argc, char **argv)
{
  long paths = bench_count_arg(argc, argv, 2000L, "bench_risk", "PATHS");
  if (paths == 0) return 2;
  wp_init();
  wp_error err = WP_ERROR_INIT;
  wp_scenario *sc = wp_scenario_new();
  wp_plan_decisions *dec = NULL;
  if (!sc || wp_scenario_load_default(sc, &err) ||
      wp_plan_decide(sc, WP_STRATEGY_ALL, &dec, &err)) {
    fprintf(stderr, "bench_risk: %s\n", err.msg);
    return 1;
  }
  const double months = (double)sc->horizon_months, sites = (double)sc->nsites;
  const size_t nu = distinct_pathways(dec);

  /* The market generator alone (one core), as the risk engine draws it: WP_RISK_MARKET_LANES
     paths at a time into lane-interleaved arrays. */
  wp_risk_market *g = NULL;
  const size_t ml = (size_t)months * WP_RISK_MARKET_LANES;
  double *series = calloc(7 * ml, sizeof *series);
  const wp_risk_market_lanes il = {(size_t)months,  series,          series + ml,
                                   series + 2 * ml, series + 3 * ml, series + 4 * ml,
                                   series + 5 * ml, series + 6 * ml};
  if (!series ||
      wp_risk_market_new(&sc->market, &sc->risk, sc->start, (size_t)months, &g, &err) != WP_OK) {
    fprintf(stderr, "bench_risk: %s\n", series ? err.msg : "out of memory");
    return 1;
  }
  double t0 = bench_now_s();
  for (long i = 0; i < paths * 10; i += WP_RISK_MARKET_LANES) {
    uint64_t ids[WP_RISK_MARKET_LANES];
    for (int l = 0; l < WP_RISK_MARKET_LANES; l++) ids[l] = (uint64_t)(i + l);
    if (wp_risk_market_fill_interleaved(g, 1, ids, &il, &err) != WP_OK) {
      fprintf(stderr, "bench_risk: %s\n", err.msg);
      return 1;
    }
  }
  double gen_s = bench_now_s() - t0;

  printf("bench_risk: default portfolio, %.0f sites x %.0f months x %zu strategies, %ld paths\n",
         sites, months, dec->nstrategies, paths);
  printf("  distinct pathways evaluated per path: %zu\n", nu);
  printf("  market generator: %.0f paths/s, %.1f M path-months/s (one core)\n",
         (double)(paths * 10) / gen_s, (double)(paths * 10) * months / gen_s / 1e6);
  /* Each thread count runs REPS times, interleaved (1, 2, 1, 2, ...): this machine's
     neighbours slow some runs by 10-20 %, so the best run is the machine's rate and the median
     shows the spread. Every run includes its warm-up (the kernels' preparation). */
  enum { REPS = 3 };
  double secs[2][REPS];
  for (int rep = 0; rep < REPS; rep++)
    for (unsigned t = 1; t <= 2; t++) {
      wp_risk_opts o = WP_RISK_OPTS_DEFAULT;
      o.paths = (size_t)paths;
      o.threads = t;
      o.value_of_waiting = 0;
      wp_risk_result *r = NULL;
      if (wp_risk_run(sc, &o, &r, &err)) {
        fprintf(stderr, "bench_risk: %s\n", err.msg);
        return 1;
      }
      secs[t - 1][rep] = r->seconds;
      wp_risk_result_free(r);
    }
  double best[2], median[2];
  for (unsigned t = 1; t <= 2; t++) {
    double *x = secs[t - 1];
    for (int i = 1; i < REPS; i++) /* insertion sort of three */
      for (int j = i; j > 0 && x[j] < x[j - 1]; j--) {
        double tmp = x[j];
        x[j] = x[j - 1];
        x[j - 1] = tmp;
      }
    best[t - 1] = x[0];
    median[t - 1] = x[REPS / 2];
    const double sm = (double)paths * sites * months / best[t - 1];
    const double pm = (double)paths * (double)nu * months / best[t - 1];
    const double km = sm * (double)dec->nstrategies;
    const double sm_med = (double)paths * sites * months / median[t - 1];
    printf("  %u thread%s: best of %d %.2f s, %.0f paths/s, %.2f M site-months/s (%.2f M per "
           "core; median run %.2f M per core), %.2f M pathway-months/s per core, %.2f M "
           "strategy-site-months/s per core\n",
           t, t > 1 ? "s" : " ", REPS, best[t - 1], (double)paths / best[t - 1], sm / 1e6,
           sm / 1e6 / t, sm_med / 1e6 / t, pm / 1e6 / t, km / 1e6 / t);
  }
  printf("  scaling 1 -> 2 threads: %.2fx (best runs), %.2fx (median runs)\n", best[0] / best[1],
         median[0] / median[1]);
  printf("  projected 100,000 paths on 2 threads: %.1f s (median run)\n",
         median[1] * 100000.0 / (double)paths);
  free(series);
  wp_risk_market_free(g);
  wp_plan_decisions_free(dec);
  wp_scenario_free(sc);
  return 0;
}
