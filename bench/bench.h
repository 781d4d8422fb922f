/* bench/bench.h — the clock every benchmark reads (monotonic, seconds). */
#ifndef WP_BENCH_H
#define WP_BENCH_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The benchmark's one optional argument: a positive whole number (default fallback). Prints
** "NAME: WHAT must be a positive whole number" and returns 0 on anything else. */
static inline long bench_count_arg(int argc, char **argv, long fallback, const char *name,
                                   const char *what)
{
  if (argc < 2) return fallback;
  char *end = NULL;
  errno = 0;
  long v = strtol(argv[1], &end, 10);
  if (end == argv[1] || *end != '\0' || errno == ERANGE || v <= 0) {
    fprintf(stderr, "%s: %s must be a positive whole number, got '%s'\n", name, what, argv[1]);
    return 0;
  }
  return v;
}

#endif
