/* bench/bench.h — the clock every benchmark reads (monotonic, seconds). */
#ifndef WP_BENCH_H
#define WP_BENCH_H

#include <time.h>

static inline double bench_now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
