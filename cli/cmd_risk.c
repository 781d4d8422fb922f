/* wattpivot risk: Monte Carlo distributions of every strategy's NPV, downside and the value of
** waiting (docs/model/risk.md). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "dist.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

static const cli_command risk_cmd = {
    "risk",
    "wattpivot risk [SCENARIO] --paths N [--seed S] [--threads T] [--wait-site NAME]\n"
    "                      [--no-wait] [--zero-vol] [--set KEY=VALUE] [--out DIR] [--quiet] "
    "[--json]",
    "Monte Carlo over BTC price, difficulty, fees, GPU and lease prices, power prices and\n"
    "conversion schedules: per strategy the NPV distribution (mean, P5/P50/P95, CVaR 5%), the\n"
    "probability that corporate cash falls below the floor and of beating mining-only, and the\n"
    "value of waiting to convert one site (least-squares Monte Carlo).",
    "The strategies' decisions are those of `wattpivot plan` on the same scenario; each path\n"
    "re-evaluates them on a stochastic market. No SCENARIO: the built-in default. The market\n"
    "processes and their defaults are the scenario's risk: section (BTC as GBM, or btc_model:\n"
    "bootstrap for blocks of the 2014-2026 monthly return history; every *_vol key scales one\n"
    "source of randomness; --zero-vol sets them all to 0, which reproduces `plan` exactly).\n"
    "On one machine the same seed gives the same results for any --threads (machines with and\n"
    "without AVX2 differ in the last bits of the draws; WATTPIVOT_SCALAR=1 in the environment\n"
    "computes what one without AVX2 does). Progress goes to stderr unless --quiet or --json\n"
    "(every second; WATTPIVOT_PROGRESS_SECONDS sets the interval).\n"
    "Built with -DWP_MPI=ON, `mpirun -n R wattpivot risk ...` (or srun) splits the paths over R\n"
    "processes, --threads each, and rank 0 prints the same results as one process, byte for\n"
    "byte (docs/distributed.md). The run's statistics are kept in the results store beside the\n"
    "plan runs (`wattpivot runs`; --db FILE, --no-store). --out DIR writes every path's values\n"
    "and a report (docs/output.md). Method and sources: docs/model/risk.md."};

enum {
  O_PATHS,
  O_SEED,
  O_THREADS,
  O_WAITSITE,
  O_NOWAIT,
  O_ZERO,
  O_QUIET,
  O_JSON,
  O_SET,
  O_OUT,
  O_DB,
  O_NOSTORE
};

static cJSON *json_result(const wp_scenario *sc, const wp_risk_result *r)
{
  cJSON *doc = cJSON_CreateObject();
  if (!doc) return NULL;
  cJSON_AddStringToObject(doc, "scenario", sc->name);
  if (r->scenario_hash[0])
    cJSON_AddStringToObject(doc, "scenario_hash", r->scenario_hash);
  else
    cJSON_AddNullToObject(doc, "scenario_hash");
  cJSON_AddStringToObject(doc, "wattpivot_version", wp_version());
  cli_json_add_i64(doc, "paths", (int64_t)r->paths);
  cli_json_add_i64(doc, "seed", (int64_t)r->seed);
  cli_json_add_i64(doc, "months", (int64_t)r->months);
  const wp_risk_assumptions *ra = &r->assumptions;
  cJSON_AddStringToObject(doc, "btc_model", wp_risk_btc_model_name(ra->btc_model));
  cJSON_AddNumberToObject(doc, "btc_vol", ra->btc_vol);
  if (ra->btc_model == WP_RISK_BTC_BOOTSTRAP) {
    cli_json_add_i64(doc, "btc_block_months", ra->btc_block_months);
    cli_json_add_i64(doc, "btc_history_months", (int64_t)ra->btc_history_n);
    cJSON_AddNumberToObject(doc, "btc_history_vol", ra->btc_history_vol);
  }
  cJSON_AddNumberToObject(doc, "cash_floor_usd", r->cash_floor_usd);
  cJSON *arr = cJSON_AddArrayToObject(doc, "strategies");
  for (size_t k = 0; arr && k < r->nstrategies; k++) {
    const wp_risk_strategy *s = &r->strategies[k];
    cJSON *o = cJSON_CreateObject();
    if (!o) break;
    cJSON_AddItemToArray(arr, o);
    cJSON_AddStringToObject(o, "name", s->name);
    cJSON_AddNumberToObject(o, "plan_npv_usd", s->plan_npv_usd);
    cJSON_AddNumberToObject(o, "npv_mean_usd", s->npv_mean_usd);
    cJSON_AddNumberToObject(o, "npv_p5_usd", s->npv_p5_usd);
    cJSON_AddNumberToObject(o, "npv_p50_usd", s->npv_p50_usd);
    cJSON_AddNumberToObject(o, "npv_p95_usd", s->npv_p95_usd);
    cJSON_AddNumberToObject(o, "cvar5_usd", s->cvar5_usd);
    cJSON_AddNumberToObject(o, "p_cash_shortfall", s->p_cash_shortfall);
    cJSON_AddNumberToObject(o, "p_beats_mining_only", s->p_beats_mining_only);
  }
  const wp_risk_wait *w = &r->wait;
  if (!w->computed) {
    cJSON_AddNullToObject(doc, "value_of_waiting");
  } else {
    cJSON *o = cJSON_AddObjectToObject(doc, "value_of_waiting");
    if (o) {
      cJSON_AddStringToObject(o, "site", w->site);
      cli_json_add_i64(o, "paths", (int64_t)w->paths);
      cJSON_AddNumberToObject(o, "convert_now_usd", w->convert_now_usd);
      cJSON_AddNumberToObject(o, "best_fixed_usd", w->best_fixed_usd);
      cli_json_add_i64(o, "best_fixed_month", w->best_fixed_month);
      cJSON_AddNumberToObject(o, "optimal_usd", w->optimal_usd);
      cJSON_AddNumberToObject(o, "value_of_waiting_usd", w->value_of_waiting_usd);
      cJSON_AddNumberToObject(o, "p_never", w->p_never);
      cJSON *months = cJSON_AddArrayToObject(o, "candidates");
      for (size_t k = 0; months && k < w->ndecisions; k++) {
        cJSON *c = cJSON_CreateObject();
        if (!c) break;
        cJSON_AddItemToArray(months, c);
        cli_json_add_i64(c, "convert_month", w->month[k]);
        cJSON_AddNumberToObject(c, "mean_uplift_usd", w->mean_uplift_usd[k]);
      }
    }
  }
  return doc;
}

static void print_result(const wp_scenario *sc, const wp_risk_result *r)
{
  printf("Risk: %s\n", sc->name);
  char floor[48];
  if (isfinite(r->cash_floor_usd))
    snprintf(floor, sizeof floor, "$%.0fM", r->cash_floor_usd / 1e6);
  else
    snprintf(floor, sizeof floor, "none");
  printf("%zu paths, seed %llu, %zu months; cash floor %s; NPV in $M at the hurdle rate\n",
         r->paths, (unsigned long long)r->seed, r->months, floor);
  const wp_risk_assumptions *ra = &r->assumptions;
  if (ra->btc_model == WP_RISK_BTC_BOOTSTRAP)
    printf("BTC model: bootstrap, %lld-month blocks of %zu monthly returns (history vol %.1f%%/yr) "
           "scaled to btc_vol %.1f%%/yr\n\n",
           (long long)ra->btc_block_months, ra->btc_history_n, 100 * ra->btc_history_vol,
           100 * ra->btc_vol);
  else
    printf("BTC model: gbm, btc_vol %.1f%%/yr\n\n", 100 * ra->btc_vol);
  printf("%-12s %9s %9s %9s %9s %9s %9s %9s %9s\n", "strategy", "plan", "mean", "P5", "P50", "P95",
         "CVaR5%", "P(cash<", "P(beats");
  printf("%-12s %9s %9s %9s %9s %9s %9s %9s %9s\n", "", "", "", "", "", "", "", "floor)",
         "mining)");
  for (size_t k = 0; k < r->nstrategies; k++) {
    const wp_risk_strategy *s = &r->strategies[k];
    printf("%-12s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.3f %9.3f\n", s->name,
           s->plan_npv_usd / 1e6, s->npv_mean_usd / 1e6, s->npv_p5_usd / 1e6, s->npv_p50_usd / 1e6,
           s->npv_p95_usd / 1e6, s->cvar5_usd / 1e6, s->p_cash_shortfall, s->p_beats_mining_only);
  }
  const wp_risk_wait *w = &r->wait;
  if (!w->computed) return;
  printf("\nValue of waiting to convert %s (least-squares Monte Carlo, %zu paths)\n", w->site,
         w->paths);
  if (w->ndecisions == 0) {
    printf("  no conversion start month energizes inside the horizon: nothing to wait for\n");
    return;
  }
  printf("  start month   mean NPV uplift over mining ($M)\n");
  for (size_t k = 0; k < w->ndecisions; k++) {
    char ym[16];
    printf("  %4lld %s  %10.1f\n", (long long)w->month[k],
           wp_format_month(ym, sizeof ym, r->start, w->month[k], ""), w->mean_uplift_usd[k] / 1e6);
  }
  printf("  convert now            $%.1fM\n", w->convert_now_usd / 1e6);
  printf("  best fixed month       $%.1fM (month %lld)\n", w->best_fixed_usd / 1e6,
         (long long)w->best_fixed_month);
  printf("  optimal stopping       $%.1fM (never converts on %.1f%% of paths)\n",
         w->optimal_usd / 1e6, 100.0 * w->p_never);
  printf("  value of waiting       $%.1fM\n", w->value_of_waiting_usd / 1e6);
}

int cmd_risk(int argc, char **argv)
{
  cli_opt opts[] = {
      [O_PATHS] = {.name = "paths",
                   .kind = CLI_INT,
                   .meta = "N",
                   .help = "Number of Monte Carlo paths (required).",
                   .min = 1,
                   .max = 1e8},
      [O_SEED] = {.name = "seed",
                  .kind = CLI_INT,
                  .meta = "S",
                  .help = "Random seed (default 1); same seed, same results.",
                  .min = 0,
                  .max = 1e15},
      [O_THREADS] = {.name = "threads",
                     .kind = CLI_INT,
                     .meta = "T",
                     .help = "Worker threads (default: all cores).",
                     .min = 1,
                     .max = 1024},
      [O_WAITSITE] = {.name = "wait-site",
                      .kind = CLI_STR,
                      .meta = "NAME",
                      .help = "Site of the value-of-waiting study (default risk.wait_site, else "
                              "the first site hybrid converts)."},
      [O_SET] = CLI_SET_OPTION,
      [O_DB] = {.name = "db",
                .kind = CLI_STR,
                .meta = "FILE",
                .help = "Results store (SQLite) the run is kept in, beside the plan runs. Default: "
                        "$WATTPIVOT_DB, else $XDG_DATA_HOME/wattpivot/runs.db."},
      [O_NOSTORE] = {.name = "no-store", .kind = CLI_FLAG, .help = "Do not record the run."},
      [O_OUT] = {.name = "out",
                 .kind = CLI_STR,
                 .meta = "DIR",
                 .help = "Write summary.json, npv_paths.csv, npv_quantiles.csv, wait.csv, "
                         "report.html and meta.json into DIR."},
      [O_NOWAIT] = {.name = "no-wait",
                    .kind = CLI_FLAG,
                    .help = "Skip the value-of-waiting study."},
      [O_ZERO] = {.name = "zero-vol",
                  .kind = CLI_FLAG,
                  .help = "Set every *_vol key to 0 (each path then equals the plan)."},
      [O_QUIET] = {.name = "quiet", .kind = CLI_FLAG, .help = "No progress on stderr."},
      [O_JSON] = {.name = "json", .kind = CLI_FLAG, .help = "Machine-readable output."},
  };
  const char *pos[1] = {NULL};
  size_t npos = 0;
  int rc = cli_parse(&risk_cmd, argc, argv, opts, NOPTS(opts), pos, 1, &npos);
  if (!rc && !opts[O_PATHS].set)
    rc = cli_fail("risk", CLI_EXIT_USAGE, "--paths N is required (e.g. --paths 10000)");
  wp_scenario *sc = NULL;
  if (!rc) rc = cli_load_scenario("risk", npos ? pos[0] : NULL, &sc, NULL);
  if (!rc) rc = cli_apply_sets("risk", sc, &opts[O_SET]);
  /* The store (rank 0 keeps the run), opened before any work: one that cannot take the run is
     said first. */
  wp_store *store = NULL;
  int in_data_dir = 0;
  const char *db = opts[O_DB].set ? opts[O_DB].str : cli_default_db(&in_data_dir);
  if (!rc && opts[O_DB].set && opts[O_NOSTORE].set)
    rc = cli_fail("risk", CLI_EXIT_USAGE, "give --db or --no-store, not both");
  if (!rc && !opts[O_NOSTORE].set && cli_dist_rank() == 0) {
    wp_error e = WP_ERROR_INIT;
    if (in_data_dir) rc = cli_make_parent_dirs("risk", db);
    if (!rc && wp_store_open(db, &store, &e)) rc = cli_fail_status("risk", &e);
  }
  if (!rc && opts[O_OUT].set && cli_dist_rank() == 0) { /* said before any work */
    wp_error e = WP_ERROR_INIT;
    if (strcmp(opts[O_OUT].str, "-") == 0)
      rc = cli_fail("risk", CLI_EXIT_USAGE,
                    "--out takes a folder, not '-' (--json prints the "
                    "summary on standard output)");
    else if (wp_output_check_dir(opts[O_OUT].str, &e))
      rc = cli_fail("risk", CLI_EXIT_BADINPUT, "--out: %s", e.msg);
  }
  /* The processes of an MPI run go on together or stop together (each reports its own error). */
  if (!cli_dist_all_ok(rc == 0)) {
    wp_scenario_free(sc);
    wp_store_close(store);
    if (rc == CLI_HELP_SHOWN) return CLI_EXIT_OK;
    if (rc) return rc;
    return cli_fail("risk", CLI_EXIT_INTERNAL,
                    "another process of the split run failed (it "
                    "reports why); no result");
  }
  wp_error err = WP_ERROR_INIT;
  wp_status st;
  wp_risk_request rq = {.opts = WP_RISK_OPTS_DEFAULT,
                        .zero_vol = opts[O_ZERO].set,
                        .wait_site = opts[O_WAITSITE].set ? opts[O_WAITSITE].str : NULL};
  wp_risk_opts *ro = &rq.opts;
  ro->paths = (size_t)opts[O_PATHS].i64;
  if (opts[O_SEED].set) ro->seed = (uint64_t)opts[O_SEED].i64;
  if (opts[O_THREADS].set) ro->threads = (unsigned)opts[O_THREADS].i64;
  /* Split over the processes of an MPI run; by default they share this machine's cores. */
  ro->exchange = cli_dist_exchange(ro->paths);
  if (ro->exchange && !opts[O_THREADS].set) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long each = (cores > 0 ? cores : 1) / cli_dist_local_size();
    ro->threads = each > 0 ? (unsigned)each : 1u;
  }
  ro->value_of_waiting = !opts[O_NOWAIT].set;
  cli_progress_state ps = cli_progress_start("risk", "paths");
  cli_progress_state pp = cli_progress_start("risk: deciding the plan", "plans");
  if (!opts[O_QUIET].set && !opts[O_JSON].set && cli_dist_rank() == 0) {
    ro->progress = cli_progress;
    ro->progress_ctx = &ps;
    ro->plan_progress = cli_progress;
    ro->plan_progress_ctx = &pp;
  }
  wp_risk_result *res = NULL;
  if ((st = wp_study_risk(sc, &rq, &res, &err))) {
    /* the root says when another process failed; that process says why */
    rc = st == WP_EPEER && cli_dist_rank() > 0 ? cli_exit_for(st) : cli_fail_status("risk", &err);
    wp_scenario_free(sc);
    wp_store_close(store);
    return rc;
  }
  if (!res) { /* a process of a split run other than the root: rank 0 prints the results */
    wp_scenario_free(sc);
    wp_store_close(store);
    return CLI_EXIT_OK;
  }
  if (opts[O_OUT].set) {
    cJSON *doc = json_result(sc, res);
    char *text = doc ? cJSON_Print(doc) : NULL;
    cJSON_Delete(doc);
    if (!text || wp_risk_write_dir(res, sc->name, text, opts[O_OUT].str, &err)) {
      rc = text ? cli_fail("risk", CLI_EXIT_BADINPUT, "--out: %s", err.msg)
                : cli_fail("risk", CLI_EXIT_INTERNAL, "out of memory");
      cJSON_free(text);
      wp_risk_result_free(res);
      wp_scenario_free(sc);
      wp_store_close(store);
      return rc;
    }
    cJSON_free(text);
  }
  int64_t run_id = 0;
  if (store) { /* kept beside the plan runs: wattpivot runs list */
    wp_run_meta meta = WP_RUN_META_INIT;
    snprintf(meta.scenario, sizeof meta.scenario, "%s", sc->source);
    wp_run_meta_set_command(&meta, argc, argv);
    meta.wall_s = res->seconds;
    if (wp_store_save_risk(store, res, sc->name, sc->finance.hurdle_rate, &meta, &run_id, &err)) {
      rc = cli_fail_status("risk", &err);
      wp_risk_result_free(res);
      wp_scenario_free(sc);
      wp_store_close(store);
      return rc;
    }
  }
  if (opts[O_JSON].set) {
    rc = cli_print_json(json_result(sc, res));
  } else {
    print_result(sc, res);
    if (opts[O_OUT].set)
      printf("\nFolder %s: summary.json, npv_paths.csv, npv_quantiles.csv, wait.csv, report.html, "
             "meta.json\n",
             opts[O_OUT].str);
    if (ro->exchange) {
      double waiting, gathering;
      cli_dist_seconds(&waiting, &gathering);
      printf("\nSplit over %d processes x %u threads: paths %.3f s on rank 0, then waiting for "
             "the others %.3f s, gathering %.3f s\n",
             cli_dist_size(), res->threads, res->seconds, waiting, gathering);
    }
    rc = CLI_EXIT_OK;
  }
  /* --json stays silent on stderr (and its bytes independent of the store): text mode only */
  if (rc == CLI_EXIT_OK && run_id && !opts[O_JSON].set)
    printf("\nStored as run %lld in %s (wattpivot runs show %lld).\n", (long long)run_id, db,
           (long long)run_id);
  wp_risk_result_free(res);
  wp_scenario_free(sc);
  wp_store_close(store);
  return rc;
}
