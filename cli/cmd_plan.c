/* wattpivot plan: strategies side by side, per-site decisions, report folder, run store. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

static const cli_command plan_cmd = {
    "plan",
    "wattpivot plan [SCENARIO] [--strategy all|mining-only|all-in|hybrid|custom] [--out DIR]\n"
    "                      [--json] [--xlsx FILE] [--set KEY=VALUE] [--db FILE | --no-store]\n"
    "                      [--write-model FILE.lp|FILE.mps] [--price-limits] [--quiet]",
    "Compare strategies for a portfolio of powered sites and decide, site by site, what to\n"
    "convert to AI, when and how, and why.",
    "SCENARIO is a YAML file (see `wattpivot scenario init`; '-' reads standard input); without\n"
    "it the built-in default portfolio is planned: an illustrative 3 GW fleet in five countries,\n"
    "not any company's books.\n"
    "Strategies: mining-only; all-in (convert the most grid MW the limits allow, then the best\n"
    "NPV); hybrid (the best NPV with kept mining EBITDA covering corporate costs every year);\n"
    "custom (the file's custom: pathways, checked against every limit). All-in and hybrid are\n"
    "chosen by a mixed-integer program (CBC) over every site's tranches, start months and\n"
    "business models, under the cash floor, debt capacity, capex budget, crews and regional\n"
    "demand; the output gives each one's solver status and gap (docs/planner.md).\n"
    "--out DIR writes summary.json, sites.csv, ledger.csv, report.html and meta.json. Every run\n"
    "is kept in a SQLite file (~/.local/share/wattpivot/runs.db, or\n"
    "$XDG_DATA_HOME/wattpivot/runs.db; $WATTPIVOT_DB or --db to change, --no-store to skip); see\n"
    "`wattpivot runs`."};

enum { O_STRATEGY, O_OUT, O_JSON, O_DB, O_NOSTORE, O_SET, O_XLSX, O_MODEL, O_PRICE, O_QUIET };

int cmd_plan(int argc, char **argv)
{
  cli_opt opts[] = {
      [O_SET] = CLI_SET_OPTION,
      [O_XLSX] = {.name = "xlsx",
                  .kind = CLI_STR,
                  .meta = "FILE",
                  .help = "Write the plan as an Excel workbook with live formulas (NPV, IRR, "
                          "cash) over its ledgers and assumptions."},
      [O_STRATEGY] = {.name = "strategy",
                      .kind = CLI_STR,
                      .meta = "NAME",
                      .help = "all (default), mining-only, all-in, hybrid or custom."},
      [O_OUT] = {.name = "out",
                 .kind = CLI_STR,
                 .meta = "DIR",
                 .help =
                     "Write summary.json, sites.csv, ledger.csv, report.html, meta.json into DIR."},
      [O_JSON] = {.name = "json", .kind = CLI_FLAG, .help = "Machine-readable output on stdout."},
      [O_DB] = {.name = "db",
                .kind = CLI_STR,
                .meta = "FILE",
                .help = "Results store (SQLite). Default: $WATTPIVOT_DB, else "
                        "$XDG_DATA_HOME/wattpivot/runs.db (~/.local/share/wattpivot/runs.db)."},
      [O_NOSTORE] = {.name = "no-store", .kind = CLI_FLAG, .help = "Do not record the run."},
      [O_MODEL] = {.name = "write-model",
                   .kind = CLI_STR,
                   .meta = "FILE",
                   .help = "With --strategy all-in or hybrid: write its mixed-integer program as "
                           "FILE.lp (CPLEX LP) or FILE.mps (free MPS), for any MILP solver."},
      [O_PRICE] = {.name = "price-limits",
                   .kind = CLI_FLAG,
                   .help = "Price every limit of all-in and hybrid: the NPV gained by relaxing it "
                           "by strategy.relax_fraction (one re-solve per limit)."},
      [O_QUIET] = {.name = "quiet",
                   .kind = CLI_FLAG,
                   .help = "No progress on stderr (it shows, after the first second, the plans "
                           "optimized: all-in's, hybrid's and each priced limit's re-solve; "
                           "WATTPIVOT_PROGRESS_SECONDS sets the interval)."},
  };
  const char *pos[1] = {NULL};
  size_t npos = 0;
  int rc = cli_parse(&plan_cmd, argc, argv, opts, NOPTS(opts), pos, 1, &npos);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  if (opts[O_DB].set && opts[O_NOSTORE].set)
    return cli_fail("plan", CLI_EXIT_USAGE, "give --db or --no-store, not both");
  if (opts[O_OUT].set && strcmp(opts[O_OUT].str, "-") == 0)
    return cli_fail("plan", CLI_EXIT_USAGE,
                    "--out takes a folder, not '-' (--json prints the summary on standard output)");
  unsigned mask = WP_STRATEGY_ALL;
  wp_error err = WP_ERROR_INIT;
  if (opts[O_STRATEGY].set && strcmp(opts[O_STRATEGY].str, "all") != 0) {
    wp_strategy s;
    if (wp_strategy_from_name(opts[O_STRATEGY].str, &s, &err) != WP_OK)
      return cli_fail_status("plan", &err);
    mask = WP_STRATEGY_BIT(s);
  }
  if (opts[O_XLSX].set && strcmp(opts[O_XLSX].str, "-") != 0) { /* its folder, before any work */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", opts[O_XLSX].str);
    char *slash = strrchr(dir, '/');
    if (slash) {
      if (slash == dir)
        slash[1] = '\0';
      else
        *slash = '\0';
      if (access(dir, W_OK | X_OK) != 0)
        return cli_fail("plan", CLI_EXIT_BADINPUT, "--xlsx: cannot create %s: %s: %s",
                        opts[O_XLSX].str, dir, strerror(errno));
    }
  }
  if (opts[O_MODEL].set) {
    wp_strategy ms = WP_STRATEGY_MINING_ONLY;
    if (!opts[O_STRATEGY].set ||
        wp_strategy_from_name(opts[O_STRATEGY].str, &ms, NULL) != WP_OK ||
        (ms != WP_STRATEGY_ALL_IN && ms != WP_STRATEGY_HYBRID))
      return cli_fail("plan", CLI_EXIT_USAGE,
                      "--write-model needs --strategy all-in or --strategy hybrid (the strategies "
                      "the optimizer decides)");
  }
  const char *path = npos ? pos[0] : NULL;
  wp_scenario *sc = NULL;
  char *text = NULL;
  if ((rc = cli_load_scenario("plan", path, &sc, opts[O_NOSTORE].set ? NULL : &text))) return rc;
  if ((rc = cli_apply_sets("plan", sc, &opts[O_SET]))) {
    wp_scenario_free(sc);
    free(text);
    return rc;
  }
  if (opts[O_PRICE].set) sc->strategy.price_limits = 1;
  int in_data_dir = 0;
  const char *db = opts[O_DB].set ? opts[O_DB].str : cli_default_db(&in_data_dir);
  if (!opts[O_NOSTORE].set && in_data_dir && (rc = cli_make_parent_dirs("plan", db))) {
    wp_scenario_free(sc);
    free(text);
    return rc;
  }
  wp_plan_request req = WP_PLAN_REQUEST_INIT;
  req.strategies = mask;
  req.out_dir = opts[O_OUT].set ? opts[O_OUT].str : NULL;
  req.db_path = opts[O_NOSTORE].set ? NULL : db;
  if (opts[O_MODEL].set) {
    req.model_path = opts[O_MODEL].str;
    (void)wp_strategy_from_name(opts[O_STRATEGY].str, &req.model_strategy, NULL);
  }
  req.scenario_text = text;
  req.argc = argc;
  req.argv = argv;
  char source[256];
  snprintf(source, sizeof source, "%s", sc->source);
  req.scenario_label = source;
  cli_progress_state ps = cli_progress_start("plan", "plans");
  if (!opts[O_QUIET].set && !opts[O_JSON].set) {
    req.progress = cli_progress;
    req.progress_ctx = &ps;
  }
  wp_plan_study *s = NULL;
  wp_status st = wp_study_plan(sc, &req, &s, &err);
  if (st == WP_OK && opts[O_XLSX].set &&
      (st = wp_output_write_xlsx(s->plan, sc, opts[O_XLSX].str, &err)) != WP_OK) {
    wp_plan_study_free(s);
    wp_scenario_free(sc);
    free(text);
    return cli_fail("plan", cli_exit_for(st), "--xlsx: %s", err.msg);
  }
  wp_scenario_free(sc);
  free(text);
  if (st != WP_OK) return cli_fail_status("plan", &err);
  const int json = opts[O_JSON].set;
  if (json) {
    char *doc = NULL;
    if ((st = wp_output_json(s->plan, &doc, &err)) != WP_OK) {
      rc = cli_fail_status("plan", &err);
    } else {
      rc = fputs(doc, stdout) >= 0 ? CLI_EXIT_OK : CLI_EXIT_INTERNAL;
      free(doc);
    }
  } else {
    rc = wp_output_summary_text(s->plan, stdout) == WP_OK ? CLI_EXIT_OK : CLI_EXIT_INTERNAL;
    printf("\nSource: %s. Planned in %.3f s.\n", path ? source : "built-in default scenario",
           s->wall_s);
  }
  FILE *notes = json ? stderr : stdout;
  if (rc == CLI_EXIT_OK && req.out_dir)
    fprintf(notes, "Wrote %s/summary.json, sites.csv, ledger.csv, report.html and meta.json.\n",
            req.out_dir);
  if (rc == CLI_EXIT_OK && opts[O_XLSX].set) fprintf(notes, "Wrote %s.\n", opts[O_XLSX].str);
  if (rc == CLI_EXIT_OK && req.db_path)
    fprintf(notes, "Stored as run %lld in %s (wattpivot runs show %lld).\n", (long long)s->run_id,
            db, (long long)s->run_id);
  wp_plan_study_free(s);
  return rc;
}
