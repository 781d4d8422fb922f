/* wattpivot sweep: sensitivity of the plan to scenario keys (wattpivot/study.h wp_study_sweep). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "dist.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

static const cli_command sweep_cmd = {
    "sweep",
    "wattpivot sweep [SCENARIO] --vary KEY=LO:HI:STEPS [--vary ...] [--grid]\n"
    "                       [--strategy NAME] [--set KEY=VALUE] [--threads T] [--csv FILE]\n"
    "                       [--out DIR] [--json]",
    "How the plan moves with its assumptions: each point a full plan with one key (or, with\n"
    "--grid, two keys) changed; per strategy the NPV, lowest cash, AI IT MW and the sites whose\n"
    "decision changes.",
    "--vary KEY=LO:HI:STEPS takes any scenario key as --set does (market.btc_price_usd,\n"
    "strategy.capex_usd_per_yr, sites[Childress].power_usd_per_mwh ...), STEPS values evenly\n"
    "from LO to HI. Several --vary: one at a time, the others at the scenario's values (a\n"
    "tornado, widest NPV swing first); --grid with exactly two: every combination (a two-way\n"
    "grid). The points run in parallel on the cores (--threads), with progress on stderr; under\n"
    "mpirun (MPI build) they are split over the ranks with the same results\n"
    "(docs/distributed.md). --csv FILE ('-' standard output) writes the tidy table: key, value,\n"
    "key2, value2, strategy, npv_usd, npv_change_usd, min_cash_usd, ai_it_mw_end,\n"
    "decision_changes, changed_sites. Method: docs/sweep.md."};

enum { O_VARY, O_GRID, O_STRATEGY, O_SET, O_THREADS, O_CSV, O_OUT, O_JSON, O_QUIET };

/* A split run (MPI): every rank's block to rank 0, which then holds every point. */
static int gather_blocks(wp_sweep_result *r, size_t total)
{
  const size_t A = r->naxes, K = r->nstrategies, S = r->nsites;
  const int root = cli_dist_rank() == 0;
  double *v = root ? calloc(total * A + 1, sizeof *v) : NULL;
  double *m = root ? calloc(total * K * WP_SWEEP_METRICS + 1, sizeof *m) : NULL;
  double *c = root ? calloc(total * K * S + 1, sizeof *c) : NULL;
  int bad = root && (!v || !m || !c);
  if (!cli_dist_all_ok(!bad) || cli_dist_gather(r->value, r->npoints * A, v, total * A) ||
      cli_dist_gather(r->metric, r->npoints * K * WP_SWEEP_METRICS, m,
                      total * K * WP_SWEEP_METRICS) ||
      cli_dist_gather(r->changed, r->npoints * K * S, c, total * K * S)) {
    free(v);
    free(m);
    free(c);
    return 1;
  }
  if (root) {
    free(r->value);
    free(r->metric);
    free(r->changed);
    r->value = v;
    r->metric = m;
    r->changed = c;
    r->first = 0;
    r->npoints = total;
  }
  return 0;
}

/* Per strategy: each axis's NPV range and the sites that flip, widest swing first. */
static void print_tornado(const wp_sweep_result *r, const wp_sweep_request *req)
{
  const size_t K = r->nstrategies, S = r->nsites;
  for (size_t k = 0; k < K; k++) {
    printf("\n%s: base NPV $%.1fM\n", wp_strategy_name(r->strategy[k]),
           r->base[k * WP_SWEEP_METRICS] / 1e6);
    printf("  %-46s %14s %14s %12s %12s  %s\n", "key (LO .. HI)", "NPV at LO $M", "NPV at HI $M",
           "swing $M", "min cash $M", "sites whose decision changes");
    size_t order[WP_SWEEP_MAX_AXES], first[WP_SWEEP_MAX_AXES + 1];
    double swing[WP_SWEEP_MAX_AXES];
    first[0] = 0;
    for (size_t a = 0; a < req->naxes; a++) {
      first[a + 1] = first[a] + req->axes[a].steps;
      double lo = INFINITY, hi = -INFINITY;
      for (size_t p = first[a]; p < first[a + 1]; p++) {
        double npv = r->metric[(p * K + k) * WP_SWEEP_METRICS + WP_SWEEP_NPV];
        lo = fmin(lo, npv);
        hi = fmax(hi, npv);
      }
      swing[a] = hi - lo;
      order[a] = a;
    }
    for (size_t a = 1; a < req->naxes; a++) /* widest swing first */
      for (size_t b = a; b > 0 && swing[order[b]] > swing[order[b - 1]]; b--) {
        size_t t = order[b];
        order[b] = order[b - 1];
        order[b - 1] = t;
      }
    for (size_t n = 0; n < req->naxes; n++) {
      const size_t a = order[n], p0 = first[a], p1 = first[a + 1] - 1;
      double cash = INFINITY;
      char label[224], sites[512] = "";
      for (size_t p = p0; p <= p1; p++)
        cash = fmin(cash, r->metric[(p * K + k) * WP_SWEEP_METRICS + WP_SWEEP_MIN_CASH]);
      for (size_t i = 0; i < S; i++) {
        int flips = 0;
        for (size_t p = p0; p <= p1 && !flips; p++)
          flips = r->changed[(p * K + k) * S + i] != 0;
        if (flips && strlen(sites) + strlen(r->site[i]) + 3 < sizeof sites) {
          if (sites[0]) strcat(sites, ", ");
          strcat(sites, r->site[i]);
        }
      }
      snprintf(label, sizeof label, "%s (%g .. %g)", req->axes[a].key, req->axes[a].lo,
               req->axes[a].hi);
      printf("  %-46s %14.1f %14.1f %12.1f %12.1f  %s\n", label,
             r->metric[(p0 * K + k) * WP_SWEEP_METRICS] / 1e6,
             r->metric[(p1 * K + k) * WP_SWEEP_METRICS] / 1e6, swing[a] / 1e6, cash / 1e6,
             sites[0] ? sites : "none");
    }
  }
}

/* Per strategy: the NPV ($M) over the grid, rows the first key, columns the second. */
static void print_grid(const wp_sweep_result *r, const wp_sweep_request *req)
{
  const size_t K = r->nstrategies, n1 = req->axes[0].steps, n2 = req->axes[1].steps;
  for (size_t k = 0; k < K; k++) {
    printf("\n%s: NPV $M, rows %s, columns %s (base $%.1fM)\n", wp_strategy_name(r->strategy[k]),
           req->axes[0].key, req->axes[1].key, r->base[k * WP_SWEEP_METRICS] / 1e6);
    printf("  %12s", "");
    for (size_t j = 0; j < n2; j++)
      printf(" %11.4g", wp_sweep_axis_value(&req->axes[1], j));
    printf("\n");
    for (size_t i = 0; i < n1; i++) {
      printf("  %12.4g", wp_sweep_axis_value(&req->axes[0], i));
      for (size_t j = 0; j < n2; j++)
        printf(" %11.1f", r->metric[((i * n2 + j) * K + k) * WP_SWEEP_METRICS] / 1e6);
      printf("\n");
    }
  }
}

static cJSON *json_result(const wp_sweep_result *r, const wp_sweep_request *req)
{
  cJSON *doc = cJSON_CreateObject();
  if (!doc) return NULL;
  cJSON_AddStringToObject(doc, "design", req->grid ? "grid" : "one-at-a-time");
  cJSON_AddStringToObject(doc, "scenario_hash", r->scenario_hash);
  cJSON_AddStringToObject(doc, "wattpivot_version", wp_version());
  cJSON *axes = cJSON_AddArrayToObject(doc, "keys");
  for (size_t a = 0; axes && a < req->naxes; a++) {
    cJSON *o = cJSON_CreateObject();
    if (!o) break;
    cJSON_AddItemToArray(axes, o);
    cJSON_AddStringToObject(o, "key", req->axes[a].key);
    cJSON_AddNumberToObject(o, "lo", req->axes[a].lo);
    cJSON_AddNumberToObject(o, "hi", req->axes[a].hi);
    cli_json_add_i64(o, "steps", (int64_t)req->axes[a].steps);
  }
  cJSON *base = cJSON_AddArrayToObject(doc, "base");
  for (size_t k = 0; base && k < r->nstrategies; k++) {
    cJSON *o = cJSON_CreateObject();
    if (!o) break;
    cJSON_AddItemToArray(base, o);
    cJSON_AddStringToObject(o, "strategy", wp_strategy_name(r->strategy[k]));
    cJSON_AddNumberToObject(o, "npv_usd", r->base[k * WP_SWEEP_METRICS + WP_SWEEP_NPV]);
    cJSON_AddNumberToObject(o, "min_cash_usd", r->base[k * WP_SWEEP_METRICS + WP_SWEEP_MIN_CASH]);
  }
  cJSON *pts = cJSON_AddArrayToObject(doc, "points");
  const size_t K = r->nstrategies, S = r->nsites;
  for (size_t p = 0; pts && p < r->npoints; p++) {
    cJSON *o = cJSON_CreateObject();
    if (!o) break;
    cJSON_AddItemToArray(pts, o);
    cJSON *vals = cJSON_AddObjectToObject(o, "values");
    for (size_t a = 0; vals && a < req->naxes; a++)
      if (!isnan(r->value[p * req->naxes + a]))
        cJSON_AddNumberToObject(vals, req->axes[a].key, r->value[p * req->naxes + a]);
    cJSON *st = cJSON_AddArrayToObject(o, "strategies");
    for (size_t k = 0; st && k < K; k++) {
      const double *m = &r->metric[(p * K + k) * WP_SWEEP_METRICS];
      cJSON *s = cJSON_CreateObject();
      if (!s) break;
      cJSON_AddItemToArray(st, s);
      cJSON_AddStringToObject(s, "strategy", wp_strategy_name(r->strategy[k]));
      cJSON_AddNumberToObject(s, "npv_usd", m[WP_SWEEP_NPV]);
      cJSON_AddNumberToObject(s, "min_cash_usd", m[WP_SWEEP_MIN_CASH]);
      cJSON_AddNumberToObject(s, "ai_it_mw_end", m[WP_SWEEP_AI_IT_MW]);
      cJSON *ch = cJSON_AddArrayToObject(s, "changed_sites");
      for (size_t i = 0; ch && i < S; i++)
        if (r->changed[(p * K + k) * S + i] != 0)
          cJSON_AddItemToArray(ch, cJSON_CreateString(r->site[i]));
    }
  }
  return doc;
}

int cmd_sweep(int argc, char **argv)
{
  cli_opt opts[] = {
      [O_VARY] = {.name = "vary",
                  .kind = CLI_STR,
                  .multi = 1,
                  .meta = "KEY=LO:HI:STEPS",
                  .help = "A scenario key and its range; repeatable (required)."},
      [O_GRID] = {.name = "grid",
                  .kind = CLI_FLAG,
                  .help = "Every combination of exactly two --vary keys."},
      [O_STRATEGY] = {.name = "strategy",
                      .kind = CLI_STR,
                      .meta = "NAME",
                      .help = "all (default), mining-only, all-in, hybrid or custom."},
      [O_SET] = CLI_SET_OPTION,
      [O_THREADS] = {.name = "threads",
                     .kind = CLI_INT,
                     .meta = "T",
                     .help = "Points planned at once (default: all cores).",
                     .min = 1,
                     .max = 64},
      [O_CSV] = {.name = "csv",
                 .kind = CLI_STR,
                 .meta = "FILE",
                 .help = "Write the tidy table as CSV ('-' standard output)."},
      [O_OUT] = {.name = "out",
                 .kind = CLI_STR,
                 .meta = "DIR",
                 .help = "Write sweep.csv, summary.json, meta.json and report.html (tornado or "
                         "heat map) into DIR."},
      [O_JSON] = {.name = "json", .kind = CLI_FLAG, .help = "Machine-readable output."},
      [O_QUIET] = {.name = "quiet", .kind = CLI_FLAG, .help = "No progress on stderr."},
  };
  const char *pos[1] = {NULL};
  size_t npos = 0;
  int rc = cli_parse(&sweep_cmd, argc, argv, opts, NOPTS(opts), pos, 1, &npos);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  if (!opts[O_VARY].set)
    return cli_fail(
        "sweep", CLI_EXIT_USAGE,
        "--vary KEY=LO:HI:STEPS is required (e.g. --vary market.btc_price_usd=60000:140000:9)");
  if (opts[O_VARY].nvalues > WP_SWEEP_MAX_AXES)
    return cli_fail("sweep", CLI_EXIT_USAGE, "at most %d --vary", WP_SWEEP_MAX_AXES);
  if (opts[O_GRID].set && opts[O_VARY].nvalues != 2)
    return cli_fail("sweep", CLI_EXIT_USAGE, "--grid needs exactly two --vary (got %zu)",
                    opts[O_VARY].nvalues);
  if (opts[O_JSON].set && opts[O_CSV].set && strcmp(opts[O_CSV].str, "-") == 0)
    return cli_fail("sweep", CLI_EXIT_USAGE, "--json and --csv - both want standard output");
  wp_error err = WP_ERROR_INIT;
  wp_sweep_axis axes[WP_SWEEP_MAX_AXES];
  for (size_t a = 0; a < opts[O_VARY].nvalues; a++)
    if (wp_sweep_axis_parse(opts[O_VARY].values[a], &axes[a], &err))
      return cli_fail_status("sweep", &err);
  unsigned mask = 0;
  if (opts[O_STRATEGY].set && strcmp(opts[O_STRATEGY].str, "all") != 0) {
    wp_strategy s;
    if (wp_strategy_from_name(opts[O_STRATEGY].str, &s, &err))
      return cli_fail_status("sweep", &err);
    mask = WP_STRATEGY_BIT(s);
  }
  if (opts[O_OUT].set && cli_dist_rank() == 0) { /* said before any work */
    if (strcmp(opts[O_OUT].str, "-") == 0)
      return cli_fail("sweep", CLI_EXIT_USAGE, "--out takes a folder (--csv - prints the table)");
    if (wp_output_check_dir(opts[O_OUT].str, &err))
      return cli_fail("sweep", CLI_EXIT_BADINPUT, "--out: %s", err.msg);
  }
  wp_scenario *sc = NULL;
  if ((rc = cli_load_scenario("sweep", npos ? pos[0] : NULL, &sc, NULL))) return rc;
  if ((rc = cli_apply_sets("sweep", sc, &opts[O_SET]))) {
    wp_scenario_free(sc);
    return rc;
  }
  wp_sweep_request req = {.axes = axes,
                          .naxes = opts[O_VARY].nvalues,
                          .grid = opts[O_GRID].set,
                          .strategies = mask,
                          .threads = opts[O_THREADS].set ? (unsigned)opts[O_THREADS].i64 : 0};
  /* Split over the ranks of an MPI run: rank r plans its block of the points. */
  const size_t total = wp_sweep_points(&req), R = (size_t)cli_dist_size(),
               r = (size_t)cli_dist_rank();
  if (R > 1) {
    req.first = total * r / R;
    req.count = total * (r + 1) / R - req.first;
    if (!req.count) req.first = 0; /* an empty block still takes part */
  }
  cli_progress_state ps = cli_progress_start("sweep", "points");
  cli_progress_state pp = cli_progress_start("sweep: planning the base", "plans");
  if (!opts[O_QUIET].set && !opts[O_JSON].set && r == 0) {
    req.progress = cli_progress;
    req.progress_ctx = &ps;
    req.plan_progress = cli_progress;
    req.plan_progress_ctx = &pp;
  }
  wp_sweep_result *res = NULL;
  wp_status st = (R > 1 && !req.count) ? WP_OK : wp_study_sweep(sc, &req, &res, &err);
  if (R > 1 && !req.count && !st) { /* nothing to plan here: an empty result of the right shape */
    wp_sweep_request one = req;
    one.first = 0;
    one.count = 1;
    one.progress = NULL;
    one.plan_progress = NULL;
    st = wp_study_sweep(sc, &one, &res, &err);
    if (res) res->npoints = 0;
  }
  if (!cli_dist_all_ok(st == WP_OK)) {
    if (st)
      rc = cli_fail_status("sweep", &err);
    else
      rc = cli_fail("sweep", CLI_EXIT_INTERNAL, "another process of the split run failed");
    wp_sweep_result_free(res);
    wp_scenario_free(sc);
    return rc;
  }
  if (R > 1 && gather_blocks(res, total)) {
    wp_sweep_result_free(res);
    wp_scenario_free(sc);
    return cli_fail("sweep", CLI_EXIT_INTERNAL, "gathering the points' results failed");
  }
  rc = CLI_EXIT_OK;
  if (r == 0) {
    if (opts[O_CSV].set) {
      char *csv = wp_sweep_csv(res, &req);
      if (!csv || wp_output_write_text(opts[O_CSV].str, csv, &err))
        rc = csv ? cli_fail("sweep", CLI_EXIT_BADINPUT, "--csv: %s", err.msg)
                 : cli_fail("sweep", CLI_EXIT_INTERNAL, "out of memory");
      free(csv);
    }
    if (!rc && opts[O_OUT].set) {
      cJSON *doc = json_result(res, &req);
      char *text = doc ? cJSON_Print(doc) : NULL;
      cJSON_Delete(doc);
      if (!text || wp_sweep_write_dir(res, &req, sc->name, text, opts[O_OUT].str, &err))
        rc = text ? cli_fail("sweep", CLI_EXIT_BADINPUT, "--out: %s", err.msg)
                  : cli_fail("sweep", CLI_EXIT_INTERNAL, "out of memory");
      cJSON_free(text);
    }
    if (!rc && opts[O_JSON].set) {
      rc = cli_print_json(json_result(res, &req));
    } else if (!rc && !(opts[O_CSV].set && strcmp(opts[O_CSV].str, "-") == 0)) {
      if (req.grid)
        printf("Sweep: %s, %zu points (a two-way grid, %zu x %zu)\n", sc->name, total,
               axes[0].steps, axes[1].steps);
      else
        printf("Sweep: %s, %zu points (one key at a time)\n", sc->name, total);
      if (req.grid)
        print_grid(res, &req);
      else
        print_tornado(res, &req);
      if (opts[O_OUT].set)
        printf("\nFolder %s: sweep.csv, summary.json, meta.json, report.html\n", opts[O_OUT].str);
    }
  }
  wp_sweep_result_free(res);
  wp_scenario_free(sc);
  return rc;
}
