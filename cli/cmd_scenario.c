/* wattpivot scenario: init (write the default, commented), validate, show. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

static const cli_command scenario_cmd = {
    "scenario", "wattpivot scenario init|validate|show|generate ...",
    "Scenario files: write the default, check a file, show what a scenario holds.",
    "Subcommands:\n"
    "  init FILE [--force]     write the built-in default scenario, commented with units and\n"
    "                          sources (FILE '-' = standard output); planning that file gives\n"
    "                          the same results as the default\n"
    "  validate FILE [--json]  check a file ('-' standard input): every error names\n"
    "                          file:line:column and the key\n"
    "  show [FILE] [--json]    the scenario's settings and sites (default: built-in);\n"
    "       [--resolved]       every value in force with its origin (file:line, --set,\n"
    "       [--set K=V]...     preset, sites_file or default)\n"
    "  generate --sites N [--seed S] FILE [--force]\n"
    "                          a portfolio of N sites drawn around the default's 14\n"
    "Keys and units: docs/scenario.md."};

static int scenario_generate(int argc, char **argv)
{
  static const cli_command cmd = {
      "scenario generate",
      "wattpivot scenario generate --sites N [--seed S] FILE [--force]",
      "Write a generated portfolio to FILE ('-': stdout): the default scenario's sections with N "
      "sites drawn around its 14 (sizes, prices and climates varied; docs/scenario.md, "
      "\"Generated portfolios\"). The same N and seed give the same file on every machine.",
      NULL};
  cli_opt opts[] = {{.name = "sites",
                     .kind = CLI_INT,
                     .meta = "N",
                     .min = 1,
                     .max = WP_SCENARIO_MAX_SITES,
                     .help = "Number of sites."},
                    {.name = "seed",
                     .kind = CLI_INT,
                     .meta = "S",
                     .min = 0,
                     .max = 9007199254740992.0,
                     .help = "Random seed (default 1)."},
                    {.name = "force", .kind = CLI_FLAG, .help = "Overwrite an existing FILE."}};
  const char *pos[1] = {NULL};
  size_t npos = 0;
  int rc = cli_parse(&cmd, argc, argv, opts, NOPTS(opts), pos, 1, &npos);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  if (npos != 1) return cli_fail(cmd.name, CLI_EXIT_USAGE, "FILE is required (or '-')");
  if (!opts[0].set) return cli_fail(cmd.name, CLI_EXIT_USAGE, "--sites N is required");
  wp_error err = WP_ERROR_INIT;
  char *text = NULL;
  const uint64_t seed = opts[1].set ? (uint64_t)opts[1].i64 : 1;
  if (wp_scenario_generate((size_t)opts[0].i64, seed, &text, &err) != WP_OK ||
      wp_scenario_write_text(pos[0], text, opts[2].set, &err) != WP_OK) {
    free(text);
    return cli_fail_status(cmd.name, &err);
  }
  free(text);
  if (strcmp(pos[0], "-") != 0)
    printf("Wrote a generated portfolio of %lld sites (seed %llu) to %s: wattpivot plan %s\n",
           (long long)opts[0].i64, (unsigned long long)seed, pos[0], pos[0]);
  return CLI_EXIT_OK;
}

static int scenario_init(int argc, char **argv)
{
  static const cli_command cmd = {"scenario init", "wattpivot scenario init FILE [--force]",
                                  "Write the built-in default scenario to FILE ('-': stdout).",
                                  NULL};
  cli_opt opts[] = {{.name = "force", .kind = CLI_FLAG, .help = "Overwrite an existing FILE."}};
  const char *pos[1] = {NULL};
  size_t npos = 0;
  int rc = cli_parse(&cmd, argc, argv, opts, NOPTS(opts), pos, 1, &npos);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  if (npos != 1) return cli_fail(cmd.name, CLI_EXIT_USAGE, "FILE is required (or '-')");
  wp_error err = WP_ERROR_INIT;
  if (wp_scenario_write_default(pos[0], opts[0].set, &err) != WP_OK)
    return cli_fail_status(cmd.name, &err);
  if (strcmp(pos[0], "-") != 0)
    printf("Wrote the default scenario to %s; edit it, then: wattpivot plan %s\n", pos[0], pos[0]);
  return CLI_EXIT_OK;
}

static double total_mw(const wp_scenario *sc)
{
  double t = 0;
  for (size_t i = 0; i < sc->nsites; i++)
    t += sc->sites[i].grid_mw;
  return t;
}

static cJSON *scenario_json(const wp_scenario *sc)
{
  cJSON *doc = cJSON_CreateObject();
  if (!doc) return NULL;
  char ym[16];
  wp_format_ym(ym, sizeof ym, sc->start);
  cJSON_AddStringToObject(doc, "name", sc->name);
  cJSON_AddStringToObject(doc, "source", sc->source);
  cJSON_AddStringToObject(doc, "start", ym);
  cli_json_add_i64(doc, "horizon_months", sc->horizon_months);
  cJSON_AddNumberToObject(doc, "hurdle_rate", sc->finance.hurdle_rate);
  cJSON_AddNumberToObject(doc, "grid_mw_total", total_mw(sc));
  cJSON *conv = cJSON_AddObjectToObject(doc, "conversion");
  if (conv) {
    cJSON_AddStringToObject(conv, "business", wp_business_name(sc->conversion.business));
    cJSON_AddStringToObject(conv, "cooling", wp_cooling_name(sc->conversion.cooling));
    cJSON_AddStringToObject(conv, "redundancy", wp_redundancy_name(sc->conversion.redundancy));
    cJSON_AddStringToObject(conv, "gpu", wp_gpu_name(sc->conversion.gpu));
    cJSON_AddStringToObject(conv, "plan", wp_schedule_plan_name(sc->conversion.plan));
  }
  cJSON *sites = cJSON_AddArrayToObject(doc, "sites");
  for (size_t i = 0; sites && i < sc->nsites; i++) {
    const wp_site *s = &sc->sites[i];
    cJSON *o = cJSON_CreateObject();
    if (!o) break;
    cJSON_AddItemToArray(sites, o);
    double mean = 0;
    for (int m = 0; m < 12; m++)
      mean += s->monthly_c[m] / 12.0;
    cJSON_AddStringToObject(o, "name", s->name);
    cJSON_AddStringToObject(o, "country", s->country);
    cJSON_AddStringToObject(o, "region", s->region);
    cJSON_AddStringToObject(o, "status", s->status);
    cJSON_AddNumberToObject(o, "grid_mw", s->grid_mw);
    cJSON_AddNumberToObject(o, "power_usd_per_mwh", s->power_usd_per_mwh);
    cJSON_AddBoolToObject(o, "ai_ready", s->ai_ready);
    cJSON_AddNumberToObject(o, "fleet_eff_j_per_th", s->fleet_eff_j_per_th);
    cJSON_AddNumberToObject(o, "mean_c", mean);
    cJSON_AddNumberToObject(o, "design_c", s->design_c);
  }
  return doc;
}

static void scenario_print(const wp_scenario *sc)
{
  char a[48];
  printf("Scenario  %s\n", sc->name);
  printf("Source    %s\n", sc->source);
  char ym[16];
  printf("Grid      %s + %lld months, hurdle rate %.1f %%/yr\n",
         wp_format_ym(ym, sizeof ym, sc->start), (long long)sc->horizon_months,
         sc->finance.hurdle_rate * 100);
  const wp_market_assumptions *mk = &sc->market;
  printf("Market    %s preset: BTC $%s (%+.0f %%/yr), fees %.3f BTC/block\n",
         wp_market_preset_name(mk->preset), wp_format_grouped(a, sizeof a, mk->btc_price_usd, 0),
         mk->btc_price_growth_per_yr * 100, mk->fees_btc_per_block);
  if (mk->difficulty_model == WP_DIFFICULTY_EQUILIBRIUM)
    printf("          difficulty %.2fT, equilibrium: marginal fleet %.1f J/TH (-%.0f %%/yr, "
           "floor %.1f) at $%.0f/MWh, lag %lld months\n",
           mk->difficulty / 1e12, mk->marginal_j_per_th, mk->marginal_efficiency_gain_per_yr * 100,
           mk->marginal_j_per_th_floor, mk->marginal_power_usd_per_mwh,
           (long long)mk->deploy_lag_months);
  else
    printf("          difficulty %.2fT, exogenous (%+.0f %%/yr)\n", mk->difficulty / 1e12,
           mk->difficulty_growth_per_yr * 100);
  printf("          GPU $%.2f/h (-%.0f %%/yr, floor $%.2f), colo $%.0f/kW-month\n",
         sc->market.gpu_usd_per_hour, sc->market.gpu_decline_per_yr * 100,
         sc->market.gpu_floor_usd_per_hour, sc->market.colo_usd_per_kw_month);
  printf("Convert   %s, %s cooling, %s, %s racks, %s schedule\n",
         wp_business_name(sc->conversion.business), wp_cooling_name(sc->conversion.cooling),
         wp_redundancy_name(sc->conversion.redundancy), wp_gpu_name(sc->conversion.gpu),
         wp_schedule_plan_name(sc->conversion.plan));
  printf("Limits    %lld concurrent projects (a crew per %s), capex $%s M/yr, cash floor $%s M\n",
         (long long)sc->strategy.max_concurrent_projects, wp_crew_per_name(sc->strategy.crew_per),
         wp_format_grouped(a, sizeof a, sc->strategy.capex_usd_per_yr / 1e6, 0),
         wp_format_grouped(a + 24, 24, sc->strategy.cash_floor_usd / 1e6, 0));
  printf("\n%-16s %-14s %-6s %-10s %8s %8s %4s %6s %7s %7s\n", "site", "country", "region",
         "status", "grid MW", "$/MWh", "AI", "J/TH", "mean C", "design C");
  for (size_t i = 0; i < sc->nsites; i++) {
    const wp_site *s = &sc->sites[i];
    double mean = 0;
    for (int m = 0; m < 12; m++)
      mean += s->monthly_c[m] / 12.0;
    printf("%-16.16s %-14.14s %-6.6s %-10.10s %8.1f %8.2f %4s %6.1f %7.1f %7.1f\n", s->name,
           s->country, s->region, s->status, s->grid_mw, s->power_usd_per_mwh,
           s->ai_ready ? "yes" : "no", s->fleet_eff_j_per_th, mean, s->design_c);
  }
  printf("%-16s %-14s %-6s %-10s %8.1f\n", "total", "", "", "", total_mw(sc));
}

/* Every error of the file in one pass (wp_scenario_validate): each on stderr and, with --json,
** as {"file", "valid": false, "error_count", "errors": [{"message", "line", "column"}]} on
** stdout. Returns 0 when the file is valid (standard input, read once, is then kept for the
** load that follows: cli_stdin_keep). */
#define MAX_REPORTED 100
static int validate_all(const char *cmd, const char *path, int json)
{
  static wp_error errs[MAX_REPORTED];
  size_t n = 0;
  wp_status st;
  if (strcmp(path, "-") == 0) { /* read once: validated here, loaded from the same text */
    char *text = NULL;
    wp_error e = WP_ERROR_INIT;
    st = wp_scenario_read_text("-", WP_STORE_SCENARIO_TEXT_MAX, &text, &e);
    if (st) return cli_fail_status(cmd, &e);
    st = wp_scenario_validate(NULL, text, "standard input", errs, MAX_REPORTED, &n);
    if (st == WP_OK) {
      cli_stdin_keep(text); /* cli_load_scenario reads it from here */
    } else {
      free(text);
    }
  } else {
    st = wp_scenario_validate(path, NULL, path, errs, MAX_REPORTED, &n);
  }
  if (st == WP_OK) return CLI_EXIT_OK;
  for (size_t i = 0; i < n && i < MAX_REPORTED; i++)
    fprintf(stderr, "wattpivot %s: %s\n", cmd, errs[i].msg);
  if (n > MAX_REPORTED)
    fprintf(stderr, "wattpivot %s: ... and %zu more errors\n", cmd, n - MAX_REPORTED);
  else if (n > 1)
    fprintf(stderr, "wattpivot %s: %zu errors\n", cmd, n);
  if (json) {
    cJSON *doc = cJSON_CreateObject();
    cJSON *arr = doc ? cJSON_AddArrayToObject(doc, "errors") : NULL;
    if (doc) {
      cJSON_AddStringToObject(doc, "file", strcmp(path, "-") == 0 ? "standard input" : path);
      cJSON_AddBoolToObject(doc, "valid", 0);
      cli_json_add_i64(doc, "error_count", (int64_t)n);
    }
    for (size_t i = 0; arr && i < n && i < MAX_REPORTED; i++) {
      cJSON *o = cJSON_CreateObject();
      if (!o) break;
      cJSON_AddItemToArray(arr, o);
      cJSON_AddStringToObject(o, "message", errs[i].msg);
      /* "FILE:LINE:COLUMN: ..." -> line and column (the last such pair before ": ") */
      int line = 0, col = 0;
      const char *m = errs[i].msg;
      for (const char *p = strchr(m, ':'); p; p = strchr(p + 1, ':'))
        if (sscanf(p, ":%d:%d: ", &line, &col) == 2)
          break;
        else
          line = col = 0;
      if (line > 0) {
        cli_json_add_i64(o, "line", line);
        cli_json_add_i64(o, "column", col);
      }
    }
    cli_print_json(doc);
  }
  return cli_exit_for(st);
}

/* scenario show --resolved (or with --set): every value in force and its origin. */
static int show_resolved(const char *cmd, const char *path, int json, int resolved,
                         const cli_opt *set)
{
  wp_scenario *sc = NULL;
  char *text = NULL;
  int rc = cli_load_scenario(cmd, path, &sc, &text);
  if (rc) return rc;
  if ((rc = cli_apply_sets(cmd, sc, set))) {
    wp_scenario_free(sc);
    free(text);
    return rc;
  }
  if (!resolved) { /* --set alone: the summary of the changed scenario */
    rc = json ? cli_print_json(scenario_json(sc)) : (scenario_print(sc), CLI_EXIT_OK);
    wp_scenario_free(sc);
    free(text);
    return rc;
  }
  wp_scenario_value *v = NULL;
  size_t n = 0;
  wp_error err = WP_ERROR_INIT;
  wp_status st = wp_scenario_values(sc, text ? sc->source : NULL,
                                    text ? text : wp_scenario_default_text(),
                                    set->set ? set->values : NULL, set->set ? set->nvalues : 0, &v,
                                    &n, &err);
  if (st) {
    rc = cli_fail_status(cmd, &err);
  } else if (json) {
    cJSON *doc = cJSON_CreateObject(), *arr = doc ? cJSON_AddArrayToObject(doc, "values") : NULL;
    if (doc) cJSON_AddStringToObject(doc, "scenario", sc->source);
    for (size_t i = 0; arr && i < n; i++) {
      cJSON *o = cJSON_CreateObject();
      if (!o) break;
      cJSON_AddItemToArray(arr, o);
      cJSON_AddStringToObject(o, "key", v[i].key);
      cJSON_AddStringToObject(o, "value", v[i].value);
      cJSON_AddStringToObject(o, "unit", v[i].unit);
      cJSON_AddStringToObject(o, "origin", v[i].origin);
    }
    rc = cli_print_json(doc);
  } else {
    printf("Scenario %s: every value in force (key, value, unit, origin)\n", sc->source);
    for (size_t i = 0; i < n; i++)
      printf("%-48s %-22s %-14s %s\n", v[i].key, v[i].value, v[i].unit, v[i].origin);
    rc = CLI_EXIT_OK;
  }
  free(v);
  wp_scenario_free(sc);
  free(text);
  return rc;
}

static int scenario_validate_or_show(int argc, char **argv, int show)
{
  static const cli_command vcmd = {"scenario validate", "wattpivot scenario validate FILE [--json]",
                                   "Check a scenario file; exit 0 when valid, 3 with every "
                                   "error found in one pass (file:line:column: key: message; "
                                   "--json: a list).",
                                   NULL};
  static const cli_command scmd = {
      "scenario show", "wattpivot scenario show [FILE] [--json] [--resolved] [--set KEY=VALUE]...",
      "Show a scenario's settings and sites (default: built-in). With --resolved: every value in "
      "force, one per line, with its unit and origin (FILE:LINE, --set, preset NAME, sites_file "
      "or default).",
      NULL};
  const cli_command *cmd = show ? &scmd : &vcmd;
  cli_opt opts[] = {{.name = "json", .kind = CLI_FLAG, .help = "Machine-readable output."},
                    {.name = "resolved",
                     .kind = CLI_FLAG,
                     .help = "Every value in force with its unit and origin (show only)."},
                    CLI_SET_OPTION};
  const char *pos[1] = {NULL};
  size_t npos = 0;
  /* validate takes --json only */
  int rc = cli_parse(cmd, argc, argv, opts, show ? NOPTS(opts) : 1, pos, 1, &npos);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  if (!show && npos != 1) return cli_fail(cmd->name, CLI_EXIT_USAGE, "FILE is required");
  if (!show && (rc = validate_all(cmd->name, pos[0], opts[0].set)) != CLI_EXIT_OK) return rc;
  if (show && (opts[1].set || opts[2].set)) return show_resolved(cmd->name, npos ? pos[0] : NULL,
                                                               opts[0].set, opts[1].set, &opts[2]);
  wp_scenario *sc = NULL;
  if ((rc = cli_load_scenario(cmd->name, npos ? pos[0] : NULL, &sc, NULL))) return rc;
  if (opts[0].set) {
    cJSON *doc = show ? scenario_json(sc) : cJSON_CreateObject();
    if (doc && !show) {
      cJSON_AddStringToObject(doc, "file", sc->source);
      cJSON_AddBoolToObject(doc, "valid", 1);
      cli_json_add_i64(doc, "sites", (int64_t)sc->nsites);
      cJSON_AddNumberToObject(doc, "grid_mw_total", total_mw(sc));
    }
    rc = cli_print_json(doc);
  } else if (show) {
    scenario_print(sc);
  } else {
    char ym[16];
    printf("%s: valid: %zu sites, %.1f grid MW, %s + %lld months\n", sc->source, sc->nsites,
           total_mw(sc), wp_format_ym(ym, sizeof ym, sc->start), (long long)sc->horizon_months);
  }
  wp_scenario_free(sc);
  return rc;
}

static int scenario_validate(int argc, char **argv)
{
  return scenario_validate_or_show(argc, argv, 0);
}

static int scenario_show(int argc, char **argv)
{
  return scenario_validate_or_show(argc, argv, 1);
}

int cmd_scenario(int argc, char **argv)
{
  static const cli_sub subs[] = {
      {"init", scenario_init},
      {"validate", scenario_validate},
      {"show", scenario_show},
      {"generate", scenario_generate}};
  return cli_dispatch(&scenario_cmd, subs, NOPTS(subs), argc, argv);
}
