/*
** bench_optimizer: the optimizing planner (issue 15, docs/planner.md) on the built-in default
** (all four strategies) and on generated portfolios (wattpivot scenario generate, seed 1): wall
** time, and per optimized strategy the solver's status, gap, solves and program size. Baseline
** in the same run: the same portfolio planned with mining-only alone (the option table and the
** ledgers without any solve), so the report says what the solver adds.
** Usage: bench_optimizer [SITES...]   (default: 14 100; 14 is the built-in default)
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wattpivot.h"
#include "wattpivot/scenario_file.h"

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int plan_timed(const wp_scenario *sc, unsigned mask, wp_plan_out **out, double *secs)
{
  wp_error err = WP_ERROR_INIT;
  const double t0 = now_s();
  if (wp_plan_run(sc, mask, out, &err) != WP_OK) {
    fprintf(stderr, "bench_optimizer: %s\n", err.msg);
    return 0;
  }
  *secs = now_s() - t0;
  return 1;
}

static int bench(size_t nsites)
{
  wp_error err = WP_ERROR_INIT;
  wp_scenario *sc = wp_scenario_new();
  char *yaml = NULL;
  int ok = sc != NULL;
  if (ok && nsites == 14)
    ok = wp_scenario_load_default(sc, &err) == WP_OK;
  else if (ok)
    ok = wp_scenario_generate(nsites, 1, &yaml, &err) == WP_OK &&
         wp_scenario_load_text(sc, "generated", yaml, &err) == WP_OK;
  free(yaml);
  if (!ok) {
    fprintf(stderr, "bench_optimizer: %s\n", err.msg);
    wp_scenario_free(sc);
    return 0;
  }
  wp_plan_out *base = NULL, *out = NULL;
  double t_base = 0, t_all = 0;
  ok = plan_timed(sc, WP_STRATEGY_BIT(WP_STRATEGY_MINING_ONLY), &base, &t_base) &&
       plan_timed(sc, WP_STRATEGY_ALL, &out, &t_all);
  if (ok) {
    printf("%s (%zu sites): every strategy %.2f s; baseline (mining-only, no solve) %.3f s; "
           "ratio %.0fx\n",
           nsites == 14 ? "default" : "generated", nsites, t_all, t_base, t_all / t_base);
    for (size_t k = 0; k < out->nstrategies; k++) {
      const wp_strategy_out *s = &out->strategies[k];
      if (strcmp(s->solve.status, "fixed") == 0) continue;
      printf("  %-8s %-28s NPV %10.1f $M  bound %10.1f $M  gap %6.2f %%  %2zu solves "
             "%2zu polish moves %6.2f s  %zu rows x %zu columns (%zu integer), %zu nonzeros\n",
             s->name, s->solve.status, s->npv_usd / 1e6, s->solve.bound / 1e6,
             100.0 * s->solve.gap, s->solve.solves, s->solve.polish_moves, s->solve.seconds,
             s->solve.rows,
             s->solve.cols, s->solve.integers, s->solve.nonzeros);
    }
  }
  wp_plan_out_free(base);
  wp_plan_out_free(out);
  wp_scenario_free(sc);
  return ok;
}

int main(int argc, char **argv)
{
  wp_init();
  static const size_t dflt[] = {14, 100};
  size_t n = argc > 1 ? (size_t)(argc - 1) : 2;
  for (size_t i = 0; i < n; i++) {
    size_t sites = dflt[i < 2 ? i : 0];
    if (argc > 1) {
      char *end = NULL;
      long v = strtol(argv[i + 1], &end, 10);
      if (!end || *end || v < 1 || v > WP_SCENARIO_MAX_SITES) {
        fprintf(stderr, "bench_optimizer: SITES must be 1..%d, got '%s'\n",
                WP_SCENARIO_MAX_SITES, argv[i + 1]);
        return 2;
      }
      sites = (size_t)v;
    }
    if (!bench(sites)) return 1;
  }
  return 0;
}
