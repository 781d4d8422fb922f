/*
** wattpivot finance: one site's pathway (keep mining, or convert to colo / contracted GPU /
** merchant GPU) through the project-finance engine — NPV, IRRs, DSCR, payback, the monthly
** ledger as CSV, and the break-even lease rate, GPU price or hashprice (docs/finance-cli.md).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "finance_print.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))
#define CMD      "finance"

static const cli_command finance_cmd = {
    "finance",
    "wattpivot finance --pathway mining|colo|gpu-contract|gpu-merchant --grid-mw G "
    "[--scenario F --site NAME] [--hurdle-rate R] [--lease-usd-per-kw-month X] "
    "[--solve-for lease|gpu-price|hashprice] [--ledger FILE.csv] [--json] [options]",
    "Evaluate one site's pathway through the project-finance engine: NPV at the hurdle rate,\n"
    "project and equity IRR, payback, DSCR, peak funding, MOIC; optionally the monthly ledger\n"
    "as CSV and the break-even price at which NPV = 0.",
    "The site: with --scenario F --site NAME, that site (its country's tax rate, climate, power\n"
    "price, fleet) and the file's market, conversion design, business and finance terms.\n"
    "Without --scenario: the built-in default scenario's market, conversion and finance terms\n"
    "and a generic site of --grid-mw MW: temperate climate, power at the market price, United\n"
    "States tax, an Antminer S21 XP fleet (13.5 J/TH) at mining PUE 1.05. The output lists\n"
    "every input and where it came from. A site that is not AI-ready may still be evaluated\n"
    "with a conversion pathway (a what-if): a warning says so.\n"
    "--solve-for finds the value at which the project NPV at the hurdle rate is zero:\n"
    "  lease      colo rent, USD/kW-month of IT (--pathway colo);\n"
    "  gpu-price  month-0 GPU index price, USD/GPU-hour; the whole price path and its floor\n"
    "             scale with it (--pathway gpu-merchant);\n"
    "  hashprice  month-0 hashprice, USD/PH/day, by scaling the BTC price path (--pathway "
    "mining).\n"
    "Passing the solution back (--lease-usd-per-kw-month, --gpu-usd-per-hour,\n"
    "--hashprice-usd-per-ph-day) reproduces NPV = 0. The ledger CSV has one row per month, a\n"
    "date column (month end) and project_cash_flow_usd / equity_cash_flow_usd: XNPV and XIRR\n"
    "of those in a spreadsheet reproduce npv_usd, project_irr and equity_irr."};

/* Options that only a conversion reads. */
static const char *const conversion_only[] = {
    "convert-month", "convert-fraction",  "cooling", "redundancy", "gpu",
    "plan",          "substation-upgrade"};

/* The usage rules: what is required and what goes together (exit 2 when broken). */
static int check_usage(cli_opt *opts, size_t nopts, wp_business business, wp_solve_var solve)
{
#define OPT(n) cli_find(opts, nopts, n)
  if (OPT("site")->set && !OPT("scenario")->set)
    return cli_fail(CMD, CLI_EXIT_USAGE,
                    "--site needs --scenario FILE (the file that defines the site); without "
                    "--scenario the site is generic and sized by --grid-mw");
  if (!OPT("site")->set && !OPT("grid-mw")->set)
    return cli_fail(CMD, CLI_EXIT_USAGE,
                    "--grid-mw is required without --site (the generic site's grid MW)");
  const wp_business needs = wp_solve_var_business(solve);
  if (solve != WP_SOLVE_NONE && needs != business)
    return cli_fail(CMD, CLI_EXIT_USAGE,
                    "--solve-for %s needs --pathway %s (it only changes that pathway's NPV); got "
                    "--pathway %s",
                    wp_solve_var_name(solve), wp_business_name(needs), wp_business_name(business));
  if (OPT("lease-usd-per-kw-month")->set && business != WP_BUSINESS_COLO)
    return cli_fail(CMD, CLI_EXIT_USAGE,
                    "--lease-usd-per-kw-month applies to --pathway colo; got --pathway %s",
                    wp_business_name(business));
  if (business == WP_BUSINESS_MINING)
    for (size_t i = 0; i < NOPTS(conversion_only); i++)
      if (OPT(conversion_only[i])->set)
        return cli_fail(CMD, CLI_EXIT_USAGE,
                        "--%s applies to a conversion (--pathway colo|gpu-contract|"
                        "gpu-merchant); --pathway mining converts nothing",
                        conversion_only[i]);
  static const struct {
    const char *opt;
    wp_solve_var var;
  } exclusive[] = {{"hashprice-usd-per-ph-day", WP_SOLVE_HASHPRICE},
                   {"gpu-usd-per-hour", WP_SOLVE_GPU_PRICE},
                   {"lease-usd-per-kw-month", WP_SOLVE_LEASE}};
  for (size_t i = 0; i < NOPTS(exclusive); i++)
    if (OPT(exclusive[i].opt)->set && solve == exclusive[i].var)
      return cli_fail(CMD, CLI_EXIT_USAGE, "--%s and --solve-for %s exclude each other",
                      exclusive[i].opt, wp_solve_var_name(solve));
  return 0;
#undef OPT
}

/* A named choice of an option (-1 when not given): the model's parser, exit 3 when unknown. */
#define CHOICE(opt, type, parse, field)                                                            \
  do {                                                                                             \
    type v_;                                                                                       \
    if ((opt)->set) {                                                                              \
      if (parse((opt)->str, &v_, &err)) return cli_fail(CMD, CLI_EXIT_BADINPUT, "%s", err.msg);    \
      (field) = (int)v_;                                                                           \
    }                                                                                              \
  } while (0)

/* The study request from the options (exit code, 0 when it holds). */
static int build_request(cli_opt *opts, size_t nopts, wp_finance_request *q)
{
#define OPT(n) cli_find(opts, nopts, n)
  wp_error err = WP_ERROR_INIT;
  cli_opt *o;
  if (OPT("site")->set) q->site = OPT("site")->str;
  if ((o = OPT("grid-mw"))->set) q->grid_mw = o->num;
  if ((o = OPT("power-usd-per-mwh"))->set) q->power_usd_per_mwh = o->num;
  if ((o = OPT("hurdle-rate"))->set) q->hurdle_rate = o->num;
  if ((o = OPT("lease-usd-per-kw-month"))->set) q->lease_usd_per_kw_month = o->num;
  if ((o = OPT("gpu-usd-per-hour"))->set) q->gpu_usd_per_hour = o->num;
  if ((o = OPT("hashprice-usd-per-ph-day"))->set) q->hashprice_usd_per_ph_day = o->num;
  if ((o = OPT("convert-month"))->set) q->convert_month = o->i64;
  if ((o = OPT("convert-fraction"))->set) q->convert_fraction = o->num;
  CHOICE(OPT("cooling"), wp_cooling, wp_cooling_from_name, q->cooling);
  CHOICE(OPT("redundancy"), wp_redundancy, wp_redundancy_from_name, q->redundancy);
  CHOICE(OPT("gpu"), wp_gpu, wp_gpu_from_name, q->gpu);
  CHOICE(OPT("plan"), wp_sched_plan, wp_schedule_plan_parse, q->plan);
  if (OPT("substation-upgrade")->set) q->substation_upgrade = 1;
  if ((o = OPT("horizon-months"))->set) q->horizon_months = o->i64;
  if ((o = OPT("start"))->set && wp_calendar_parse_ym(o->str, &q->start, &err))
    return cli_fail(CMD, CLI_EXIT_BADINPUT, "--start: %s", err.msg);
  if ((o = OPT("term-debt"))->set) {
    static const char *const on_off[] = {"on", "off"};
    if (strcmp(o->str, "on") != 0 && strcmp(o->str, "off") != 0) {
      wp_error_unknown_name(&err, "--term-debt", o->str, on_off, 2);
      return cli_fail(CMD, CLI_EXIT_BADINPUT, "%s", err.msg);
    }
    q->term_debt = strcmp(o->str, "on") == 0;
  }
  return 0;
#undef OPT
}

/* The pathway as a workbook (wattpivot/output.h wp_output_write_finance_xlsx). */
static int write_xlsx(const wp_finance_study *s, const char *path)
{
  const wp_finance_metrics *m = &s->result.metrics;
  const wp_output_metric metrics[] = {
      {"project NPV USD", m->npv_usd, WP_METRIC_PROJECT_NPV},
      {"equity NPV USD", m->equity_npv_usd, WP_METRIC_EQUITY_NPV},
      {"project IRR", m->project_irr_found ? m->project_irr : NAN, WP_METRIC_PROJECT_IRR},
      {"equity IRR", m->equity_irr_found ? m->equity_irr : NAN, WP_METRIC_EQUITY_IRR},
      {"payback month", m->payback_month >= 0 ? (double)m->payback_month : NAN, WP_METRIC_VALUE},
      {"min DSCR", m->min_dscr, WP_METRIC_VALUE},
      {"avg DSCR", m->avg_dscr, WP_METRIC_VALUE},
      {"peak funding (equity) USD", m->peak_funding_usd, WP_METRIC_USD},
      {"peak funding (project) USD",
       wp_finance_peak_funding(s->ledger->project_cash_flow_usd, s->months), WP_METRIC_USD},
      {"MOIC", m->moic, WP_METRIC_VALUE},
      {"term debt USD", m->term_debt_usd, WP_METRIC_USD},
      {"tax paid USD", m->tax_paid_usd, WP_METRIC_USD}};
  wp_output_input *in = calloc(s->ninputs + 3, sizeof *in);
  if (!in) return cli_fail(CMD, CLI_EXIT_INTERNAL, "out of memory");
  for (size_t i = 0; i < s->ninputs; i++)
    in[i] = (wp_output_input){.name = s->inputs[i].name,
                              .unit = s->inputs[i].unit,
                              .origin = s->inputs[i].from,
                              .is_num = s->inputs[i].is_num,
                              .num = s->inputs[i].num,
                              .text = s->inputs[i].text};
  /* who made it, when, from what (docs/output.md: scenario hash) */
  char created[32] = "n/a";
  wp_output_now_utc(created, sizeof created, NULL);
  in[s->ninputs] = (wp_output_input){.name = "scenario_hash",
                                     .unit = "",
                                     .text = s->scenario_hash,
                                     .origin = "FNV-1a 64 of the scenario and these inputs"};
  in[s->ninputs + 1] =
      (wp_output_input){.name = "created_utc", .unit = "", .text = created, .origin = wp_version()};
  wp_error err = WP_ERROR_INIT;
  wp_status st = wp_output_write_finance_xlsx(s->ledger, s->start, s->months, &s->run_terms, metrics,
                                              sizeof metrics / sizeof metrics[0], in,
                                              s->ninputs + 2, path, &err);
  free(in);
  if (st) return cli_fail(CMD, cli_exit_for(st), "--xlsx: %s", err.msg);
  return CLI_EXIT_OK;
}

int cmd_finance(int argc, char **argv)
{
  cli_opt opts[] = {
      {.name = "pathway",
       .kind = CLI_STR,
       .meta = "P",
       .help = "mining | colo | gpu-contract | gpu-merchant (required)."},
      {.name = "grid-mw",
       .kind = CLI_NUM,
       .meta = "G",
       .help = "Grid MW of the site (required without --site; overrides the site's).",
       .min = 0,
       .min_open = 1,
       .max = 10000},
      {.name = "scenario",
       .kind = CLI_STR,
       .meta = "F",
       .help = "Scenario YAML file, '-' standard input (default: the built-in default scenario)."},
      {.name = "site", .kind = CLI_STR, .meta = "NAME", .help = "Site of --scenario to evaluate."},
      {.name = "xlsx",
       .kind = CLI_STR,
       .meta = "FILE",
       .help = "Write inputs, the ledger and the metrics as an Excel workbook (NPVs and IRRs live "
               "formulas over the ledger)."},
      CLI_SET_OPTION,
      {.name = "hurdle-rate",
       .kind = CLI_NUM,
       .meta = "R",
       .help = "Discount rate of npv_usd, fraction per year (default: the scenario's).",
       .min = -1, /* the scenario's scenario.hurdle_rate range */
       .min_open = 1,
       .max = 1},
      {.name = "lease-usd-per-kw-month",
       .kind = CLI_NUM,
       .meta = "X",
       .help = "Colo rent in the first lease year, USD/kW-month of IT (colo).",
       .min = 0,
       .max = 100000},
      {.name = "gpu-usd-per-hour",
       .kind = CLI_NUM,
       .meta = "X",
       .help = "Month-0 GPU index price, USD/GPU-hour; path and floor scale with it.",
       .min = 0,
       .max = 10000},
      {.name = "hashprice-usd-per-ph-day",
       .kind = CLI_NUM,
       .meta = "X",
       .help = "Month-0 hashprice, USD/PH/day (sets the BTC price path).",
       .min = 0,
       .min_open = 1,
       .max = 1e6},
      {.name = "power-usd-per-mwh",
       .kind = CLI_NUM,
       .meta = "X",
       .help = "The site's month-0 power price, USD/MWh.",
       .min = 0,
       .max = 10000},
      {.name = "solve-for",
       .kind = CLI_STR,
       .meta = "V",
       .help = "lease | gpu-price | hashprice: the value at which NPV = 0."},
      {.name = "convert-month",
       .kind = CLI_INT,
       .meta = "M",
       .help = "Month construction starts (default 0).",
       .min = 0,
       .max = 1199},
      {.name = "convert-fraction",
       .kind = CLI_NUM,
       .meta = "F",
       .help = "Share of the grid MW converted (default 1).",
       .min = 0,
       .min_open = 1,
       .max = 1},
      {.name = "cooling",
       .kind = CLI_STR,
       .meta = "C",
       .help = "air | rdhx | dlc | immersion (default: the scenario's)."},
      {.name = "redundancy",
       .kind = CLI_STR,
       .meta = "R",
       .help = "N | N+1 | 2N | 2N+1 (default: the scenario's)."},
      {.name = "gpu",
       .kind = CLI_STR,
       .meta = "P",
       .help = "h100 | b200 | gb200 | gb300 (default: the scenario's)."},
      {.name = "plan",
       .kind = CLI_STR,
       .meta = "PLAN",
       .help = "sequential | fast-track | greenfield (default: the scenario's)."},
      {.name = "substation-upgrade",
       .kind = CLI_FLAG,
       .help = "The substation must grow (transformer lead times)."},
      {.name = "horizon-months",
       .kind = CLI_INT,
       .meta = "N",
       .help = "Months evaluated (default: the scenario's).",
       .min = 1,
       .max = 1200},
      {.name = "start",
       .kind = CLI_STR,
       .meta = "YYYY-MM",
       .help = "Month 0 (default: the scenario's); market start values belong to it."},
      {.name = "term-debt",
       .kind = CLI_STR,
       .meta = "on|off",
       .help = "DSCR-sized term debt for the conversion (default: the scenario's)."},
      {.name = "ledger",
       .kind = CLI_STR,
       .meta = "FILE.csv",
       .help = "Write the monthly ledger (of the inputs as given) as CSV; '-' standard output "
               "(the report then goes to standard error). Never overwrites a file that is not a "
               "ledger."},
      {.name = "json", .kind = CLI_FLAG, .help = "Machine-readable output."},
  };
  int rc = cli_parse(&finance_cmd, argc, argv, opts, NOPTS(opts), NULL, 0, NULL);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  cli_opt *o_pathway = cli_find(opts, NOPTS(opts), "pathway");
  cli_opt *o_solve = cli_find(opts, NOPTS(opts), "solve-for");
  cli_opt *o_ledger = cli_find(opts, NOPTS(opts), "ledger");
  cli_opt *o_scen = cli_find(opts, NOPTS(opts), "scenario");
  wp_error err = WP_ERROR_INIT;
  wp_finance_request q = WP_FINANCE_REQUEST_INIT;
  if (!o_pathway->set)
    return cli_fail(CMD, CLI_EXIT_USAGE,
                    "--pathway is required: mining, colo, gpu-contract or gpu-merchant");
  if (wp_business_from_name(o_pathway->str, &q.business, &err))
    return cli_fail(CMD, CLI_EXIT_BADINPUT, "--pathway: %s", err.msg);
  if (o_solve->set && wp_solve_var_from_name(o_solve->str, &q.solve_for, &err))
    return cli_fail(CMD, CLI_EXIT_BADINPUT, "--solve-for %s", err.msg);
  if ((rc = check_usage(opts, NOPTS(opts), q.business, q.solve_for)) ||
      (rc = build_request(opts, NOPTS(opts), &q)))
    return rc;

  wp_scenario *sc = NULL;
  if ((rc = cli_load_scenario(CMD, o_scen->set ? o_scen->str : NULL, &sc, NULL))) return rc;
  if ((rc = cli_apply_sets(CMD, sc, cli_find(opts, NOPTS(opts), "set")))) {
    wp_scenario_free(sc);
    return rc;
  }
  wp_finance_study *s = NULL;
  wp_status st = wp_study_finance(sc, &q, &s, &err);
  wp_scenario_free(sc);
  if (st == WP_ENOROOT) return cli_fail(CMD, CLI_EXIT_BADINPUT, "--solve-for %s", err.msg);
  if (st) return cli_fail_status(CMD, &err);
  if (s->warning[0]) fprintf(stderr, "wattpivot finance: warning: %s\n", s->warning);
  cli_opt *o_xlsx = cli_find(opts, NOPTS(opts), "xlsx");
  if (o_xlsx->set && (rc = write_xlsx(s, o_xlsx->str))) {
    wp_finance_study_free(s);
    return rc;
  }
  if (o_ledger->set && (st = wp_ledger_write_csv(s->ledger, o_ledger->str, &err))) {
    wp_finance_study_free(s);
    return cli_fail(CMD, CLI_EXIT_BADINPUT, "--ledger: %s", err.msg);
  }
  const char *ledger = o_ledger->set ? o_ledger->str : NULL;
  /* --ledger - puts the CSV on standard output: the report goes to standard error. */
  FILE *to = ledger && strcmp(ledger, "-") == 0 ? stderr : stdout;
  if (cli_find(opts, NOPTS(opts), "json")->set)
    rc = finance_print_json(s, ledger, to);
  else
    finance_print_text(s, ledger, to);
  wp_finance_study_free(s);
  return rc;
}
