/* wattpivot runs show: one stored plan run, its meta and strategies side by side. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

/* The plan's own JSON (wattpivot plan --json: one schema for both commands), with the run's
** metadata added and, on request, each strategy's monthly series. */
static int show_json(int64_t id, const wp_plan_out *p, const wp_run_meta *meta, int with_series)
{
  char *text = NULL;
  wp_error err = WP_ERROR_INIT;
  if (wp_output_json(p, &text, &err) != WP_OK) return cli_fail_status("runs show", &err);
  cJSON *doc = cJSON_Parse(text);
  free(text);
  if (!doc) return cli_print_json(NULL);
  cli_json_add_i64(doc, "run_id", id);
  cJSON_AddStringToObject(doc, "created_utc", meta->created_utc);
  cJSON_AddStringToObject(doc, "scenario_source", meta->scenario);
  cJSON_AddStringToObject(doc, "version", meta->version);
  cJSON_AddStringToObject(doc, "command", meta->command);
  cli_json_add_num(doc, "wall_s", meta->wall_s);
  if (meta->scenario_text)
    cli_json_add_i64(doc, "scenario_text_bytes", (int64_t)strlen(meta->scenario_text));
  else
    cJSON_AddNullToObject(doc, "scenario_text_bytes");
  cJSON *arr = cJSON_GetObjectItem(doc, "strategies");
  for (size_t i = 0; with_series && i < p->nstrategies; i++) {
    cJSON *series = cJSON_AddObjectToObject(cJSON_GetArrayItem(arr, (int)i), "series");
    for (int k = 0; series && k < WP_SERIES_COUNT; k++) {
      cJSON *vals = cJSON_AddArrayToObject(series, wp_series_name((wp_series)k));
      for (size_t m = 0; vals && m < p->months; m++) {
        double v = p->strategies[i].series[k][m];
        cJSON_AddItemToArray(vals, isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull());
      }
    }
  }
  return cli_print_json(doc);
}

/* Strategy column width of the side-by-side tables. */
#define COL 17

/* The headline metrics of the side-by-side table: label, value, scale, decimals. */
static const struct {
  const char *label;
  double scale;
  int decimals;
} metrics[] = {
    {"NPV ($M)", 1e6, 1},
    {"IRR (%)", 0.01, 2},
    {"peak funding ($M)", 1e6, 1},
    {"min cash ($M)", 1e6, 1},
    {"corporate NPV ($M)", 1e6, 1},
    {"AI IT at end (MW)", 1, 1},
    {"mining at end (grid MW)", 1, 1},
};

static double metric_value(const wp_strategy_out *x, size_t k)
{
  const double v[] = {x->npv_usd,           x->irr,          x->peak_funding_usd, x->min_cash_usd,
                      x->corporate_npv_usd, x->ai_it_mw_end, x->mining_mw_end};
  return v[k];
}

static void show_table(const char *db, int64_t id, const wp_plan_out *p, const wp_run_meta *m)
{
  char a[64], b[64];
  printf("Run %" PRId64 " in %s\n", id, db);
  printf("  created (UTC)   %s\n", m->created_utc);
  printf("  scenario        %s\n", m->scenario);
  printf("  version         wattpivot %s\n", m->version);
  printf("  command         %s\n", m->command[0] ? m->command : "-");
  printf(
      "  horizon         %s .. %s (%zu months)\n", wp_format_month(a, sizeof a, p->start, 0, "-"),
      p->months ? wp_format_month(b, sizeof b, p->start, (int)p->months - 1, "-") : "-", p->months);
  printf("  hurdle rate     %s %%/yr\n", wp_format_grouped(a, sizeof a, p->hurdle_rate * 100, 2));
  printf("  wall time       %s s\n", wp_format_grouped(a, sizeof a, m->wall_s, 3));
  if (m->scenario_text)
    printf("  scenario text   stored, %zu bytes (--scenario prints it)\n",
           strlen(m->scenario_text));
  else
    printf("  scenario text   not stored\n");
  if (p->nstrategies == 0) {
    printf("\nNo strategies in this run.\n");
    return;
  }
  printf("\n  %-24s", "strategy");
  for (size_t i = 0; i < p->nstrategies; i++)
    printf(" %*.*s", COL, COL, p->strategies[i].name);
  printf("\n");
  for (size_t k = 0; k < NOPTS(metrics); k++) {
    printf("  %-24s", metrics[k].label);
    for (size_t i = 0; i < p->nstrategies; i++)
      printf(" %*s", COL,
             wp_format_grouped(a, sizeof a, metric_value(&p->strategies[i], k) / metrics[k].scale,
                               metrics[k].decimals));
    printf("\n");
  }
  for (size_t i = 0; i < p->nstrategies; i++)
    if (p->strategies[i].irr_note[0])
      printf("  IRR of %s: %s\n", p->strategies[i].name, p->strategies[i].irr_note);

  size_t nsites = 0;
  for (size_t i = 0; i < p->nstrategies; i++)
    if (p->strategies[i].nsites > nsites) nsites = p->strategies[i].nsites;
  if (nsites == 0) return;
  printf("\n  %-24s", "site: decision (start)");
  for (size_t i = 0; i < p->nstrategies; i++)
    printf(" %*.*s", COL, COL, p->strategies[i].name);
  printf("\n");
  for (size_t k = 0; k < nsites; k++) {
    const wp_site_out *first = &p->strategies[0].sites[k];
    char label[96];
    snprintf(label, sizeof label, "%.16s (%.5s)", first->name, first->country);
    printf("  %-24s", label);
    for (size_t i = 0; i < p->nstrategies; i++) {
      char cell[64], ym[16];
      if (k >= p->strategies[i].nsites) {
        snprintf(cell, sizeof cell, "-");
      } else {
        const wp_site_out *x = &p->strategies[i].sites[k];
        if (x->convert_month >= 0)
          snprintf(cell, sizeof cell, "%.8s %s", x->decision,
                   wp_format_month(ym, sizeof ym, p->start, x->convert_month, "-"));
        else
          snprintf(cell, sizeof cell, "%s", x->decision);
      }
      printf(" %*.*s", COL, COL, cell);
    }
    printf("\n");
  }
}

/* A run id: a whole number >= 1. */
static int parse_id(const char *text, int64_t *id)
{
  char *end = NULL;
  errno = 0;
  long long v = strtoll(text, &end, 10);
  if (end == text || *end != '\0' || errno == ERANGE || v < 1) return 0;
  *id = (int64_t)v;
  return 1;
}

/* A stored risk run: its strategies' statistics. */
static int show_risk(const char *cmd, const char *db, int64_t id, const wp_risk_row *rows, size_t n,
                     size_t paths, uint64_t seed, int json, int scenario)
{
  if (scenario)
    return cli_fail(cmd, CLI_EXIT_BADINPUT,
                    "run %" PRId64 " is a risk run: it keeps no scenario text", id);
  if (json) {
    cJSON *doc = cJSON_CreateObject();
    cJSON *arr = doc ? cJSON_AddArrayToObject(doc, "strategies") : NULL;
    if (doc) {
      cli_json_add_i64(doc, "run_id", id);
      cJSON_AddStringToObject(doc, "kind", "risk");
      cli_json_add_i64(doc, "paths", (int64_t)paths);
      cli_json_add_i64(doc, "seed", (int64_t)seed);
    }
    for (size_t k = 0; arr && k < n; k++) {
      cJSON *o = cJSON_CreateObject();
      if (!o) break;
      cJSON_AddItemToArray(arr, o);
      cJSON_AddStringToObject(o, "name", rows[k].name);
      cli_json_add_num(o, "plan_npv_usd", rows[k].plan_npv_usd);
      cli_json_add_num(o, "npv_mean_usd", rows[k].npv_mean_usd);
      cli_json_add_num(o, "npv_p5_usd", rows[k].npv_p5_usd);
      cli_json_add_num(o, "npv_p50_usd", rows[k].npv_p50_usd);
      cli_json_add_num(o, "npv_p95_usd", rows[k].npv_p95_usd);
      cli_json_add_num(o, "cvar5_usd", rows[k].cvar5_usd);
      cli_json_add_num(o, "p_cash_shortfall", rows[k].p_cash_shortfall);
      cli_json_add_num(o, "p_beats_mining_only", rows[k].p_beats_mining_only);
    }
    return cli_print_json(doc);
  }
  printf("Risk run %" PRId64 " in %s: %zu paths, seed %llu; NPV in $M at the hurdle rate\n\n", id,
         db, paths, (unsigned long long)seed);
  printf("%-12s %9s %9s %9s %9s %9s %9s %9s %9s\n", "strategy", "plan", "mean", "P5", "P50", "P95",
         "CVaR5%", "P(cash<", "P(beats");
  printf("%-12s %9s %9s %9s %9s %9s %9s %9s %9s\n", "", "", "", "", "", "", "", "floor)",
         "mining)");
  for (size_t k = 0; k < n; k++)
    printf("%-12s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.3f %9.3f\n", rows[k].name,
           rows[k].plan_npv_usd / 1e6, rows[k].npv_mean_usd / 1e6, rows[k].npv_p5_usd / 1e6,
           rows[k].npv_p50_usd / 1e6, rows[k].npv_p95_usd / 1e6, rows[k].cvar5_usd / 1e6,
           rows[k].p_cash_shortfall, rows[k].p_beats_mining_only);
  return CLI_EXIT_OK;
}

int runs_show(int argc, char **argv)
{
  static const cli_command cmd = {
      "runs show", "wattpivot runs show ID [--db FILE] [--json] [--series] [--scenario]",
      "One stored run: its meta (time, scenario, version, command) and its strategies side by\n"
      "side (NPV, IRR, funding, cash, MW mix) with each site's decision; a risk run: its\n"
      "strategies' NPV distribution (mean, P5/P50/P95, CVaR 5%, P(cash < floor)).",
      NULL};
  enum { O_DB, O_JSON, O_SERIES, O_SCEN };
  cli_opt opts[] = {
      [O_DB] = {.name = "db",
                .kind = CLI_STR,
                .meta = "FILE",
                .help = "Results store (default $WATTPIVOT_DB, else "
                        "$XDG_DATA_HOME/wattpivot/runs.db or ~/.local/share/wattpivot/runs.db)."},
      [O_JSON] = {.name = "json",
                  .kind = CLI_FLAG,
                  .help = "Machine-readable output: meta, strategies and their site rows."},
      [O_SERIES] = {.name = "series",
                    .kind = CLI_FLAG,
                    .help = "With --json: add each strategy's monthly series."},
      [O_SCEN] = {.name = "scenario",
                  .kind = CLI_FLAG,
                  .help = "Print only the run's stored scenario text (to run it again)."},
  };
  const char *pos[1] = {NULL};
  size_t npos = 0;
  int rc = cli_parse(&cmd, argc, argv, opts, NOPTS(opts), pos, 1, &npos);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  if (npos == 0)
    return cli_fail(cmd.name, CLI_EXIT_USAGE, "a run ID is required (wattpivot runs list)");
  int64_t id = 0;
  if (!parse_id(pos[0], &id))
    return cli_fail(cmd.name, CLI_EXIT_BADINPUT,
                    "run ID '%s' is not a whole number >= 1 (wattpivot runs list)", pos[0]);
  if (opts[O_SERIES].set && !opts[O_JSON].set)
    return cli_fail(cmd.name, CLI_EXIT_USAGE, "--series needs --json");
  if (opts[O_SCEN].set && (opts[O_JSON].set || opts[O_SERIES].set))
    return cli_fail(cmd.name, CLI_EXIT_USAGE, "--scenario prints text; drop --json/--series");
  int in_data_dir = 0;
  const char *db = opts[O_DB].set ? opts[O_DB].str : cli_default_db(&in_data_dir);
  wp_error err = WP_ERROR_INIT;
  wp_store *store = NULL;
  wp_plan_out *plan = NULL;
  wp_run_meta meta = WP_RUN_META_INIT;
  wp_risk_row risk[16];
  size_t nrisk = 0, paths = 0;
  uint64_t seed = 0;
  if (!wp_store_open_readonly(db, &store, &err) &&
      wp_store_load_risk(store, id, risk, 16, &nrisk, &paths, &seed, NULL) == WP_OK) {
    rc = show_risk(cmd.name, db, id, risk, nrisk, paths, seed, opts[O_JSON].set, opts[O_SCEN].set);
  } else if (store == NULL || wp_store_load_run(store, id, &plan, &meta, &err)) {
    rc = cli_fail_status(cmd.name, &err);
  } else if (opts[O_SCEN].set) {
    if (meta.scenario_text)
      rc = fputs(meta.scenario_text, stdout) >= 0 ? CLI_EXIT_OK : CLI_EXIT_INTERNAL;
    else
      rc = cli_fail(cmd.name, CLI_EXIT_BADINPUT,
                    "run %" PRId64 " in %s has no stored scenario text (scenario: %s)", id, db,
                    meta.scenario);
  } else if (opts[O_JSON].set) {
    rc = show_json(id, plan, &meta, opts[O_SERIES].set);
  } else {
    show_table(db, id, plan, &meta);
    rc = CLI_EXIT_OK;
  }
  wp_run_meta_release(&meta);
  wp_plan_out_free(plan);
  wp_store_close(store);
  return rc;
}
