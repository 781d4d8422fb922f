/*
** bench_mining: throughput of the mining economics kernel, the innermost per-site-month work
** of a risk run. Reports evaluations per second and the ratio to a baseline in the same run:
** the bare hashprice formula inlined (what no validation, no struct, no subsidy lookup costs).
** Usage: bench_mining [N]   (default 20,000,000 evaluations)
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

#include "wattpivot.h"

int main(int argc, char **argv)
{
  long n = bench_count_arg(argc, argv, 20000000L, "bench_mining", "N");
  if (n == 0) return 2;
  wp_init();
  wp_mining_inputs in = WP_MINING_INPUTS_DEFAULT;
  wp_mining_result r;
  volatile double sink = 0;

  double t0 = bench_now_s();
  for (long i = 0; i < n; i++) {
    double d = 150e12 + (double)(i & 1023) * 1e9;
    sink += 3.144 * 86400.0 * 1e15 / (d * 4294967296.0) * 96532.0;
  }
  double base_s = bench_now_s() - t0;

  t0 = bench_now_s();
  for (long i = 0; i < n; i++) {
    in.difficulty = 150e12 + (double)(i & 1023) * 1e9;
    in.height = 900000 + (i & 262143);
    wp_mining_evaluate(&in, &r, NULL);
    sink += r.margin_usd_per_mw_day;
  }
  double eval_s = bench_now_s() - t0;

  printf("bench_mining: %ld evaluations\n", n);
  printf("  baseline (inline hashprice formula)   %8.1f M/s\n", (double)n / base_s / 1e6);
  printf("  wp_mining_evaluate (checked, full)     %8.1f M/s  (%.1fx the baseline's time)\n",
         (double)n / eval_s / 1e6, eval_s / base_s);
  return sink == 0.123456 ? 1 : 0;
}
