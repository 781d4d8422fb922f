/*
** bench_plan: wall time of the deterministic plan of the built-in default portfolio (14 sites ×
** 180 months) without its solves: the option table (every tranche's candidate pathways), the
** ledgers and the limits, planned with mining-only (the solves of all-in and hybrid are
** bench_optimizer's). Baseline in the same run: one site's mining pathway evaluated alone, so the
** report also says how many pathway-equivalents a plan costs; then generated portfolios of 14 to
** 256 sites (wattpivot scenario generate, seed 1: how the table scales).
** Usage: bench_plan [REPEATS]   (default 20)
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

#include "wattpivot.h"
#include "wattpivot/scenario_file.h"

int main(int argc, char **argv)
{
  long reps = bench_count_arg(argc, argv, 20, "bench_plan", "REPEATS");
  if (reps == 0) return 2;
  wp_init();
  wp_error err = WP_ERROR_INIT;
  wp_scenario *sc = wp_scenario_new();
  if (!sc || wp_scenario_load_default(sc, &err) != WP_OK) {
    fprintf(stderr, "bench_plan: %s\n", err.msg);
    return 1;
  }
  /* Baseline: one mining pathway of the first site. */
  size_t months = (size_t)sc->horizon_months;
  wp_market_path mp = WP_MARKET_PATH_INIT;
  wp_pathway_eval *ev = NULL;
  if (wp_market_path_init(&mp, months, &err) || 
      wp_market_path_fill_deterministic(&mp, sc->start, &sc->market, &err) ||
      wp_pathway_eval_new(sc->start, months, &ev, &err)) {
    fprintf(stderr, "bench_plan: %s\n", err.msg);
    return 1;
  }
  wp_site site = sc->sites[0];
  wp_scenario_tax_rate(sc, site.country, &site.tax_rate, NULL);
  wp_pathway p = wp_pathway_default();
  wp_finance_terms ft = sc->finance;
  ft.compute_irr = 0;
  wp_pathway_result r;
  long base_reps = reps * 100;
  double t0 = bench_now_s();
  for (long i = 0; i < base_reps; i++) wp_pathway_run(ev, &site, &p, &mp, &ft, &r, NULL);
  double base_s = (bench_now_s() - t0) / (double)base_reps;

  double best = 1e9, total = 0;
  for (long i = 0; i < reps; i++) {
    wp_plan_out *out = NULL;
    t0 = bench_now_s();
    if (wp_plan_run(sc, WP_STRATEGY_BIT(WP_STRATEGY_MINING_ONLY), &out, &err) != WP_OK) {
      fprintf(stderr, "bench_plan: %s\n", err.msg);
      return 1;
    }
    double dt = bench_now_s() - t0;
    total += dt;
    if (dt < best) best = dt;
    wp_plan_out_free(out);
  }
  printf("bench_plan: default portfolio, %zu sites x %zu months, the option table without "
         "solves (mining-only), %ld runs\n",
         sc->nsites, months, reps);
  printf("  one mining pathway (baseline)   %10.1f us\n", base_s * 1e6);
  printf("  plan, mean                      %10.4f s  (%.0f pathway-equivalents)\n",
         total / (double)reps, total / (double)reps / base_s);
  printf("  plan, best                      %10.4f s\n", best);
  /* Generated portfolios (wattpivot scenario generate, seed 1): how a plan scales with sites. */
  static const size_t sizes[] = {14, 50, 100, 256};
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    char *yaml = NULL;
    wp_scenario *g = wp_scenario_new();
    if (!g || wp_scenario_generate(sizes[k], 1, &yaml, &err) != WP_OK ||
        wp_scenario_load_text(g, "generated", yaml, &err) != WP_OK) {
      fprintf(stderr, "bench_plan: %s\n", err.msg);
      return 1;
    }
    double gbest = 1e9;
    const long greps = reps > 3 ? 3 : reps;
    for (long i = 0; i < greps; i++) {
      wp_plan_out *out = NULL;
      t0 = bench_now_s();
      if (wp_plan_run(g, WP_STRATEGY_BIT(WP_STRATEGY_MINING_ONLY), &out, &err) != WP_OK) {
        fprintf(stderr, "bench_plan: %s\n", err.msg);
        return 1;
      }
      double dt = bench_now_s() - t0;
      if (dt < gbest) gbest = dt;
      wp_plan_out_free(out);
    }
    printf("  generated, %3zu sites, best     %10.4f s  (%.0f pathway-equivalents per site)\n",
           sizes[k], gbest, gbest / base_s / (double)sizes[k]);
    free(yaml);
    wp_scenario_free(g);
  }
  wp_pathway_eval_free(ev);
  wp_market_path_release(&mp);
  wp_scenario_free(sc);
  return 0;
}
