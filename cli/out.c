/* Output helpers shared by the commands: JSON documents and human-readable numbers. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, isatty */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int cli_print_json(cJSON *doc)
{
  return cli_print_json_to(doc, stdout);
}

int cli_print_json_to(cJSON *doc, FILE *to)
{
  if (!doc) {
    fprintf(stderr, "wattpivot: could not build the JSON output (out of memory)\n");
    return CLI_EXIT_INTERNAL;
  }
  char *text = cJSON_Print(doc);
  cJSON_Delete(doc);
  if (!text) {
    fprintf(stderr, "wattpivot: could not print the JSON output (out of memory)\n");
    return CLI_EXIT_INTERNAL;
  }
  int ok = fputs(text, to) >= 0 && fputc('\n', to) != EOF;
  free(text);
  return ok ? CLI_EXIT_OK : CLI_EXIT_INTERNAL;
}

void cli_json_add_num(cJSON *obj, const char *key, double v)
{
  if (isfinite(v))
    cJSON_AddNumberToObject(obj, key, v);
  else
    cJSON_AddNullToObject(obj, key);
}

cJSON *cli_json_add_i64(cJSON *obj, const char *key, int64_t v)
{
  char buf[32];
  snprintf(buf, sizeof buf, "%" PRId64, v);
  return cJSON_AddRawToObject(obj, key, buf);
}

static double monotonic_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Seconds between progress lines: WATTPIVOT_PROGRESS_SECONDS in [0, 3600] (0: every step and
** the last line whatever the run took; scripts and tests), else 1. A bad value is said once. */
static double progress_every(void)
{
  static int warned;
  static const wp_range every = {0, 3600, 0, 0, "s"};
  const char *env = getenv("WATTPIVOT_PROGRESS_SECONDS");
  if (!env || !*env) return 1.0;
  char *end;
  errno = 0;
  const double v = strtod(env, &end);
  const int number = errno == 0 && end != env && *end == '\0';
  if (number && wp_range_contains(&every, v)) return v;
  if (!warned++) {
    char range[64];
    wp_range_format(range, sizeof range, &every);
    fprintf(stderr,
            "wattpivot: WATTPIVOT_PROGRESS_SECONDS='%s' is %s; accepted %s; progress every 1 s\n",
            env, number ? "out of range" : "not a number", range);
  }
  return 1.0;
}

cli_progress_state cli_progress_start(const char *cmd, const char *unit)
{
  cli_progress_state ps = {
      .cmd = cmd, .unit = unit, .t0 = monotonic_s(), .tty = isatty(2), .every = progress_every()};
  ps.last = ps.t0;
  return ps;
}

void cli_progress(size_t done, size_t total, void *ctx)
{
  cli_progress_state *ps = ctx;
  double t = monotonic_s();
  if (done == 0 && ps->last == ps->t0) { /* the first unit starts now (after other work) */
    ps->t0 = ps->last = t;
    return;
  }
  int final = done >= total;
  if (!final && t - ps->last < ps->every) return;
  if (final && ps->last == ps->t0 && t - ps->t0 < ps->every) return; /* over within a second */
  ps->last = t;
  double el = t - ps->t0, rate = el > 0 ? (double)done / el : 0;
  double eta = rate > 0 && !final ? (double)(total - done) / rate : 0;
  char pace[64]; /* slow units (a plan's optimizations) by their seconds each */
  if (rate >= 1.0 || done == 0)
    snprintf(pace, sizeof pace, "%.0f %s/s", rate, ps->unit);
  else
    snprintf(pace, sizeof pace, "%.1f s each", el / (double)done);
  fprintf(stderr, "%s%s: %zu/%zu %s (%.0f%%), %s, ETA %.0f s%s", ps->tty ? "\r" : "", ps->cmd,
          done, total, ps->unit, total ? 100.0 * (double)done / (double)total : 100.0, pace, eta,
          ps->tty && !final ? "" : "\n");
  fflush(stderr);
}
