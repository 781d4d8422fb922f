/* wattpivot runs: read back the plan runs kept in the SQLite results store. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

/* Judgment: a screenful by default; --limit shows more. */
#define RUNS_LIST_DEFAULT_LIMIT 50

static const cli_command runs_cmd = {
    "runs", "wattpivot runs SUBCOMMAND [options]",
    "The plan and risk runs kept in the results store (SQLite; every 'wattpivot plan' "
    "and\n'wattpivot risk' records one unless --no-store).",
    "Subcommands:\n"
    "  list [--db FILE] [--limit N] [--json]          stored runs, newest first\n"
    "  show ID [--db FILE] [--json] [--series]        one run: meta, strategies side by side\n"
    "  show ID --scenario [--db FILE]                 the run's scenario text, to run it again\n"
    "The store is $WATTPIVOT_DB, else $XDG_DATA_HOME/wattpivot/runs.db (by default\n"
    "~/.local/share/wattpivot/runs.db), unless --db names another file.\n"
    "docs/store.md describes the tables, for queries with the sqlite3 shell.\n"
    "Run 'wattpivot runs SUBCOMMAND --help' for each one's options."};

/* The last width-1 characters of text, prefixed "..." when cut (keeps a path's file name). */
static const char *tail(char *buf, size_t n, const char *text, size_t width)
{
  size_t len = strlen(text);
  if (len <= width || width < 4)
    snprintf(buf, n, "%s", text);
  else
    snprintf(buf, n, "...%s", text + len - (width - 3));
  return buf;
}

/* ---------------------------------------------------------------- list */

static int list_json(const char *db, const wp_run_summary *rows, size_t n, size_t total)
{
  cJSON *doc = cJSON_CreateObject();
  cJSON *arr = doc ? cJSON_CreateArray() : NULL;
  if (!arr) {
    cJSON_Delete(doc);
    return cli_print_json(NULL);
  }
  cJSON_AddStringToObject(doc, "db", db);
  cli_json_add_i64(doc, "total", (int64_t)total);
  cJSON_AddItemToObject(doc, "runs", arr);
  for (size_t i = 0; i < n; i++) {
    const wp_run_summary *r = &rows[i];
    char start[16];
    cJSON *o = cJSON_CreateObject();
    if (!o) {
      cJSON_Delete(doc);
      return cli_print_json(NULL);
    }
    cJSON_AddItemToArray(arr, o);
    wp_format_ym(start, sizeof start, r->start);
    cli_json_add_i64(o, "run_id", r->id);
    cJSON_AddStringToObject(o, "kind", r->kind);
    if (r->paths) cli_json_add_i64(o, "paths", (int64_t)r->paths);
    cJSON_AddStringToObject(o, "created_utc", r->created_utc);
    cJSON_AddStringToObject(o, "scenario", r->scenario);
    cJSON_AddStringToObject(o, "version", r->version);
    cJSON_AddStringToObject(o, "start", start);
    cli_json_add_i64(o, "months", (int64_t)r->months);
    cli_json_add_i64(o, "nstrategies", (int64_t)r->nstrategies);
    if (r->best_strategy[0])
      cJSON_AddStringToObject(o, "best_strategy", r->best_strategy);
    else
      cJSON_AddNullToObject(o, "best_strategy");
    cli_json_add_num(o, "best_npv_usd", r->best_npv_usd);
  }
  return cli_print_json(doc);
}

static void list_table(const char *db, const wp_run_summary *rows, size_t n, size_t total)
{
  if (total == 0) {
    printf("No runs stored yet in %s (wattpivot plan and risk record each run there).\n", db);
    return;
  }
  printf("Runs in %s, newest first (%zu of %zu)\n\n", db, n, total);
  printf("%6s  %-4s  %-20s  %-30s  %-17s  %-16s  %12s\n", "id", "kind", "created (UTC)", "scenario",
         "horizon", "best strategy", "NPV ($M)");
  for (size_t i = 0; i < n; i++) {
    const wp_run_summary *r = &rows[i];
    char scen[64], horizon[40], npv[48];
    char ym[16];
    snprintf(horizon, sizeof horizon, "%s +%zu mo", wp_format_ym(ym, sizeof ym, r->start),
             r->months);
    printf("%6" PRId64 "  %-4s  %-20s  %-30s  %-17s  %-16s  %12s%s\n", r->id, r->kind,
           r->created_utc, tail(scen, sizeof scen, r->scenario, 30), horizon,
           r->best_strategy[0] ? r->best_strategy : "-",
           wp_format_grouped(npv, sizeof npv, r->best_npv_usd / 1e6, 1), r->paths ? " (mean)" : "");
  }
  if (n < total) printf("\n(%zu older runs not shown; --limit N shows more)\n", total - n);
}

static int runs_list(int argc, char **argv)
{
  static const cli_command cmd = {
      "runs list", "wattpivot runs list [--db FILE] [--limit N] [--json]",
      "Stored plan and risk runs, newest first: id, kind, time, scenario, horizon, best strategy "
      "and its NPV (a risk run's: the highest mean NPV).",
      NULL};
  enum { O_DB, O_LIMIT, O_JSON };
  cli_opt opts[] = {
      [O_DB] = {.name = "db",
                .kind = CLI_STR,
                .meta = "FILE",
                .help = "Results store (default $WATTPIVOT_DB, else "
                        "$XDG_DATA_HOME/wattpivot/runs.db or ~/.local/share/wattpivot/runs.db)."},
      [O_LIMIT] = {.name = "limit",
                   .kind = CLI_INT,
                   .meta = "N",
                   .help = "Show at most N runs (default 50).",
                   .min = 1,
                   .max = 1000000},
      [O_JSON] = {.name = "json", .kind = CLI_FLAG, .help = "Machine-readable output."},
  };
  int rc = cli_parse(&cmd, argc, argv, opts, NOPTS(opts), NULL, 0, NULL);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  int in_data_dir = 0;
  const char *db = opts[O_DB].set ? opts[O_DB].str : cli_default_db(&in_data_dir);
  size_t limit = opts[O_LIMIT].set ? (size_t)opts[O_LIMIT].i64 : RUNS_LIST_DEFAULT_LIMIT;
  wp_error err = WP_ERROR_INIT;
  wp_store *store = NULL;
  wp_run_summary *rows = NULL;
  size_t total = 0, n = 0;
  if (wp_store_open_readonly(db, &store, &err) ||
      wp_store_count_runs(store, &total, NULL, NULL, &err)) {
    rc = cli_fail_status(cmd.name, &err);
    goto done;
  }
  if (limit > total) limit = total;
  rows = calloc(limit ? limit : 1, sizeof *rows);
  if (!rows) {
    rc = cli_fail(cmd.name, CLI_EXIT_INTERNAL, "out of memory listing %zu runs", limit);
    goto done;
  }
  if (wp_store_list_runs(store, rows, limit, &n, &err)) {
    rc = cli_fail_status(cmd.name, &err);
    goto done;
  }
  if (opts[O_JSON].set) {
    rc = list_json(db, rows, n, total);
  } else {
    list_table(db, rows, n, total);
    rc = CLI_EXIT_OK;
  }
done:
  free(rows);
  wp_store_close(store);
  return rc;
}

int cmd_runs(int argc, char **argv)
{
  static const cli_sub subs[] = {{"list", runs_list}, {"show", runs_show}};
  return cli_dispatch(&runs_cmd, subs, NOPTS(subs), argc, argv);
}
