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

typedef enum solve_var { SOLVE_NONE = 0, SOLVE_LEASE, SOLVE_GPU, SOLVE_HASHPRICE } solve_var;

/* Everything one evaluation needs; the solver's callback changes one input and re-runs. */
typedef struct fin_ctx {
  wp_site site;
  wp_pathway pw;
  wp_market_assumptions market; /* effective assumptions of the run */
  wp_finance_terms terms;
  wp_ym start;
  size_t months;
  wp_market_path path;
  wp_pathway_eval *ev;
  solve_var var;
  double gpu_start0, gpu_floor0; /* the scenario's GPU price level (scaling base) */
  double hp_btc0;                /* month-0 hashprice, BTC/PH/day (independent of price) */
} fin_ctx;

/* ------------------------------------------------------------------ inputs table */

#define MAX_INPUTS 40

typedef struct input_row {
  const char *name; /* JSON key */
  const char *unit; /* "" when none */
  const char *from; /* option, site, scenario, built-in default, generic site */
  int is_num;
  double num;
  char text[272];
} input_row;

typedef struct inputs {
  size_t n;
  input_row row[MAX_INPUTS];
} inputs;

static void in_num(inputs *in, const char *name, double v, const char *unit, const char *from)
{
  if (in->n >= MAX_INPUTS) return;
  input_row *r = &in->row[in->n++];
  r->name = name;
  r->unit = unit;
  r->from = from;
  r->is_num = 1;
  r->num = v;
  snprintf(r->text, sizeof r->text, "%.6g", v);
}

static void in_str(inputs *in, const char *name, const char *v, const char *unit, const char *from)
{
  if (in->n >= MAX_INPUTS) return;
  input_row *r = &in->row[in->n++];
  r->name = name;
  r->unit = unit;
  r->from = from;
  r->is_num = 0;
  r->num = 0;
  snprintf(r->text, sizeof r->text, "%s", v);
}

/* ------------------------------------------------------------------ evaluation */

/* The GPU price level: month-0 price x, the floor kept in proportion (so the whole path
** scales with x). */
static void set_gpu_level(fin_ctx *c, double x)
{
  c->market.gpu_usd_per_hour = x;
  c->market.gpu_floor_usd_per_hour =
      c->gpu_start0 > 0 ? c->gpu_floor0 * x / c->gpu_start0 : c->gpu_floor0;
}

/* BTC price such that month-0 hashprice is x USD/PH/day (hashprice_usd = hashprice_btc·P). */
static void set_hashprice(fin_ctx *c, double x)
{
  c->market.btc_price_usd = x / c->hp_btc0;
}

static wp_status run_once(fin_ctx *c, int compute_irr, wp_pathway_result *r, wp_error *err)
{
  wp_status st = wp_market_path_fill_deterministic(&c->path, c->start, &c->market, err);
  if (st) return st;
  wp_finance_terms t = c->terms;
  t.compute_irr = compute_irr;
  return wp_pathway_run(c->ev, &c->site, &c->pw, &c->path, &t, r, err);
}

static wp_status npv_of(double x, void *vctx, double *npv_usd, wp_error *err)
{
  fin_ctx *c = vctx;
  switch (c->var) {
  case SOLVE_LEASE:
    c->pw.colo.rent_usd_per_kw_month = x;
    break;
  case SOLVE_GPU:
    set_gpu_level(c, x);
    break;
  case SOLVE_HASHPRICE:
    set_hashprice(c, x);
    break;
  case SOLVE_NONE:
    break;
  }
  wp_pathway_result r;
  wp_status st = run_once(c, 0, &r, err);
  if (st == WP_OK) *npv_usd = r.metrics.npv_usd;
  return st;
}

/* What a solve-for variable is called, its unit, its JSON key and where it is sensible. */
typedef struct solve_spec {
  const char *name;
  solve_var var;
  const char *what;
  const char *unit;
  const char *key;
  wp_business business;
  double lo, hi, x_min, x_max; /* initial bracket and the limits it may grow to */
} solve_spec;

/* Brackets: judgment, wide around today's prices (colo $102–188/kW-month, H100 ~$2/h, hashprice
** ~$40–60/PH/day; docs/sources/mining.md §2.3, §6, docs/sources/ai-datacenter.md §5.2). The lower
** limit is the price 0 (hashprice: a millionth, since the BTC price must be > 0). */
static const solve_spec solve_specs[] = {
    {"lease", SOLVE_LEASE, "lease rate", "USD/kW-month", "breakeven_lease_usd_per_kw_month",
     WP_BUSINESS_COLO, 50.0, 300.0, 0.0, 100000.0},
    {"gpu-price", SOLVE_GPU, "GPU price", "USD/GPU-hour", "breakeven_gpu_usd_per_hour",
     WP_BUSINESS_GPU_MERCHANT, 0.5, 5.0, 0.0, 10000.0},
    {"hashprice", SOLVE_HASHPRICE, "hashprice", "USD/PH/day", "breakeven_hashprice_usd_per_ph_day",
     WP_BUSINESS_MINING, 10.0, 100.0, 1e-6, 1e6},
};

/* Solve npv_of(x) = 0; on no root say on which side NPV stays. Exit code or 0. */
static int solve(fin_ctx *c, const solve_spec *sp, wp_finance_solve_result *res)
{
  wp_error err = WP_ERROR_INIT;
  wp_finance_solve_opts o = WP_FINANCE_SOLVE_OPTS_DEFAULT;
  o.lo = sp->lo;
  o.hi = sp->hi;
  o.x_min = sp->x_min;
  o.x_max = sp->x_max;
  wp_status st = wp_finance_solve_npv_zero(npv_of, c, &o, res, &err);
  if (st == WP_OK) return 0;
  if (st != WP_ENOROOT) return cli_fail_status(CMD, &err);
  double at_min = 0, at_max = 0;
  wp_error e2 = WP_ERROR_INIT;
  if (npv_of(sp->x_min, c, &at_min, &e2) || npv_of(sp->x_max, c, &at_max, &e2))
    return cli_fail_status(CMD, &e2);
  char b1[64], b2[64];
  if (at_min > 0 && at_max > 0)
    return cli_fail(CMD, CLI_EXIT_BADINPUT,
                    "--solve-for %s: no break-even; NPV stays positive even at %g %s "
                    "(NPV $%s)",
                    sp->name, sp->x_min, sp->unit, wp_format_grouped(b1, sizeof b1, at_min, 0));
  if (at_min < 0 && at_max < 0)
    return cli_fail(CMD, CLI_EXIT_BADINPUT,
                    "--solve-for %s: no break-even; NPV stays negative even at %g %s "
                    "(NPV $%s)",
                    sp->name, sp->x_max, sp->unit, wp_format_grouped(b2, sizeof b2, at_max, 0));
  return cli_fail(CMD, CLI_EXIT_BADINPUT, "--solve-for %s: %s", sp->name, err.msg);
}

/* ------------------------------------------------------------------ output */

/* Why an IRR does not exist (the solver's own words), or why it is ambiguous. */
static void irr_note(const fin_ctx *c, const double *flows, int found, size_t roots, char *buf,
                     size_t n)
{
  buf[0] = '\0';
  if (found) {
    double first = 0;
    for (size_t m = 0; m < c->months && first == 0; m++)
      first = flows[m];
    if (roots > 1)
      snprintf(buf, n,
               "%zu IRRs exist (cash flows change sign more than once); reported the "
               "one nearest 10%%",
               roots);
    else if (first > 0)
      snprintf(buf, n,
               "the cash flows start positive: this IRR is the cost of money received "
               "first (NPV > 0 when the hurdle rate is above it)");
    return;
  }
  double dates[1200];
  size_t months = c->months < 1200 ? c->months : 1200;
  for (size_t m = 0; m < months; m++)
    dates[m] = (double)wp_calendar_month_end_day(c->start, (int64_t)m);
  wp_irr_result ir;
  wp_error err = WP_ERROR_INIT;
  if (wp_finance_xirr(flows, dates, months, &ir, &err) != WP_OK)
    snprintf(buf, n, "none: %s", err.msg);
  else
    snprintf(buf, n, "none");
}

typedef struct report {
  const char *site_label;
  const char *scenario_label;
  wp_pathway_result r;
  char project_irr_note[256];
  char equity_irr_note[256];
  const char *ledger_path;
  const solve_spec *solved;
  wp_finance_solve_result sol;
  double npv_at_solution_usd;
  char warning[512];
} report;

static void add_num_or_null(cJSON *doc, const char *key, int ok, double v)
{
  if (ok)
    cJSON_AddNumberToObject(doc, key, v);
  else
    cJSON_AddNullToObject(doc, key);
}

static int print_json(const fin_ctx *c, const inputs *in, const report *rp)
{
  const wp_finance_metrics *fm = &rp->r.metrics;
  char b[32];
  cJSON *doc = cJSON_CreateObject();
  if (!doc) return cli_print_json(NULL);
  cJSON_AddStringToObject(doc, "pathway", wp_business_name(rp->r.business));
  cJSON_AddStringToObject(doc, "site", rp->site_label);
  cJSON_AddStringToObject(doc, "scenario", rp->scenario_label);
  wp_format_ym(b, sizeof b, c->start);
  cJSON_AddStringToObject(doc, "start", b);
  cli_json_add_i64(doc, "horizon_months", (int64_t)c->months);
  cJSON_AddNumberToObject(doc, "hurdle_rate", c->terms.hurdle_rate);
  cJSON_AddNumberToObject(doc, "npv_usd", fm->npv_usd);
  cJSON_AddNumberToObject(doc, "equity_npv_usd", fm->equity_npv_usd);
  add_num_or_null(doc, "project_irr", fm->project_irr_found, fm->project_irr);
  if (rp->project_irr_note[0])
    cJSON_AddStringToObject(doc, "project_irr_note", rp->project_irr_note);
  add_num_or_null(doc, "equity_irr", fm->equity_irr_found, fm->equity_irr);
  if (rp->equity_irr_note[0]) cJSON_AddStringToObject(doc, "equity_irr_note", rp->equity_irr_note);
  if (fm->payback_month >= 0) {
    cli_json_add_i64(doc, "payback_month", fm->payback_month);
    cJSON_AddStringToObject(doc, "payback_date", wp_format_month(b, sizeof b, c->start, fm->payback_month, "after the horizon"));
  } else {
    cJSON_AddNullToObject(doc, "payback_month");
    cJSON_AddStringToObject(doc, "payback_note",
                            "never: cumulative project cash flow is still negative at the end");
  }
  add_num_or_null(doc, "min_dscr", fm->dscr_months > 0, fm->min_dscr);
  add_num_or_null(doc, "avg_dscr", fm->dscr_months > 0, fm->avg_dscr);
  if (fm->dscr_months == 0) cJSON_AddStringToObject(doc, "dscr_note", "no term debt service");
  cli_json_add_i64(doc, "dscr_months", (int64_t)fm->dscr_months);
  cJSON_AddNumberToObject(doc, "peak_funding_usd", fm->peak_funding_usd);
  cJSON_AddNumberToObject(doc, "moic", fm->moic);
  cJSON_AddNumberToObject(doc, "term_debt_usd", fm->term_debt_usd);
  cJSON_AddNumberToObject(doc, "project_cost_usd", fm->project_cost_usd);
  cJSON_AddNumberToObject(doc, "tax_paid_usd", fm->tax_paid_usd);
  cJSON_AddNumberToObject(doc, "it_mw", rp->r.it_mw);
  cJSON_AddNumberToObject(doc, "converted_grid_mw", rp->r.converted_grid_mw);
  cJSON_AddNumberToObject(doc, "ai_capex_usd", rp->r.ai_capex_usd);
  cJSON_AddNumberToObject(doc, "gpu_capex_usd", rp->r.gpu_capex_usd);
  cJSON_AddNumberToObject(doc, "asic_resale_usd", rp->r.asic_resale_usd);
  cJSON_AddNumberToObject(doc, "construction_months", rp->r.schedule_months);
  if (rp->r.business != WP_BUSINESS_MINING) {
    cli_json_add_i64(doc, "energize_first_month", rp->r.energize_first_month);
    cli_json_add_i64(doc, "energize_full_month", rp->r.energize_full_month);
    cJSON_AddStringToObject(doc, "energize_full_date",
                            wp_format_month(b, sizeof b, c->start, rp->r.energize_full_month, "after the horizon"));
  }
  if (rp->solved) {
    cJSON_AddStringToObject(doc, "solve_for", rp->solved->name);
    cJSON_AddNumberToObject(doc, rp->solved->key, rp->sol.x);
    cJSON_AddNumberToObject(doc, "npv_usd_at_breakeven", rp->npv_at_solution_usd);
    cli_json_add_i64(doc, "solve_evaluations", rp->sol.evaluations);
  }
  if (rp->ledger_path) cJSON_AddStringToObject(doc, "ledger", rp->ledger_path);
  cJSON *warn = cJSON_AddArrayToObject(doc, "warnings");
  if (warn && rp->warning[0]) cJSON_AddItemToArray(warn, cJSON_CreateString(rp->warning));
  cJSON *arr = cJSON_AddArrayToObject(doc, "inputs");
  for (size_t i = 0; arr && i < in->n; i++) {
    const input_row *ir = &in->row[i];
    cJSON *o = cJSON_CreateObject();
    if (!o) break;
    cJSON_AddStringToObject(o, "name", ir->name);
    if (ir->is_num)
      cJSON_AddNumberToObject(o, "value", ir->num);
    else
      cJSON_AddStringToObject(o, "value", ir->text);
    cJSON_AddStringToObject(o, "unit", ir->unit);
    cJSON_AddStringToObject(o, "from", ir->from);
    cJSON_AddItemToArray(arr, o);
  }
  return cli_print_json(doc);
}

static void print_irr(const char *label, int found, double irr, const char *note)
{
  if (found)
    printf("  %-24s %.4f %%/yr\n", label, irr * 100);
  else
    printf("  %-24s %s\n", label, note);
  if (found && note[0]) printf("  %-24s (%s)\n", "", note);
}

static void print_human(const fin_ctx *c, const inputs *in, const report *rp)
{
  const wp_pathway_result *r = &rp->r;
  const wp_finance_metrics *fm = &r->metrics;
  char b1[64], b2[64];
  printf("wattpivot finance: %s, site %s, scenario %s\n", wp_business_name(r->business),
         rp->site_label, rp->scenario_label);
  if (rp->warning[0]) printf("warning: %s\n", rp->warning);
  printf("\ninputs                     value                unit            from\n");
  for (size_t i = 0; i < in->n; i++)
    printf("  %-24s %-20s %-15s %s\n", in->row[i].name, in->row[i].text, in->row[i].unit,
           in->row[i].from);
  printf("\npathway\n");
  if (r->business == WP_BUSINESS_MINING) {
    printf("  %-24s the whole site keeps mining; no conversion capex\n", "mining");
  } else {
    printf("  %-24s %s MW of %s MW\n", "converted grid",
           wp_format_grouped(b1, sizeof b1, r->converted_grid_mw, 1),
           wp_format_grouped(b2, sizeof b2, c->site.grid_mw, 1));
    printf("  %-24s %s MW (PUE design %.3f)\n", "sellable IT",
           wp_format_grouped(b1, sizeof b1, r->it_mw, 2), r->facility.pue_design);
    printf("  %-24s $%s ($%s per IT MW)\n", "facility capex",
           wp_format_grouped(b1, sizeof b1, r->ai_capex_usd, 0),
           wp_format_grouped(b2, sizeof b2, r->it_mw > 0 ? r->ai_capex_usd / r->it_mw : 0, 0));
    if (r->gpu_capex_usd > 0)
      printf("  %-24s $%s over the horizon\n", "GPU capex",
             wp_format_grouped(b1, sizeof b1, r->gpu_capex_usd, 0));
    printf("  %-24s $%s\n", "ASIC resale", wp_format_grouped(b1, sizeof b1, r->asic_resale_usd, 0));
    printf("  %-24s %.1f months (%s), starts %s\n", "construction", r->schedule_months,
           wp_schedule_plan_name(c->pw.plan),
           wp_format_month(b1, sizeof b1, c->start, c->pw.convert_month, "after the horizon"));
    printf("  %-24s first hall %s, full %s\n", "energized",
           wp_format_month(b1, sizeof b1, c->start, r->energize_first_month, "after the horizon"),
           wp_format_month(b2, sizeof b2, c->start, r->energize_full_month, "after the horizon"));
  }
  printf("\nmetrics (hurdle %.2f %%/yr, %zu months from %s)\n", c->terms.hurdle_rate * 100,
         c->months, wp_format_ym(b1, sizeof b1, c->start));
  printf("  %-24s $%s\n", "project NPV", wp_format_grouped(b1, sizeof b1, fm->npv_usd, 0));
  printf("  %-24s $%s\n", "equity NPV", wp_format_grouped(b1, sizeof b1, fm->equity_npv_usd, 0));
  print_irr("project IRR", fm->project_irr_found, fm->project_irr, rp->project_irr_note);
  print_irr("equity IRR", fm->equity_irr_found, fm->equity_irr, rp->equity_irr_note);
  if (fm->payback_month >= 0)
    printf("  %-24s month %lld (%s)\n", "payback", (long long)fm->payback_month,
           wp_format_month(b1, sizeof b1, c->start, fm->payback_month, "after the horizon"));
  else
    printf("  %-24s never (cumulative project cash flow still negative at the end)\n", "payback");
  if (fm->dscr_months > 0)
    printf("  %-24s min %.3f, avg %.3f over %zu months; term debt $%s (gearing %.1f %%)\n", "DSCR",
           fm->min_dscr, fm->avg_dscr, fm->dscr_months,
           wp_format_grouped(b1, sizeof b1, fm->term_debt_usd, 0), fm->gearing * 100);
  else
    printf("  %-24s none (no term debt service)\n", "DSCR");
  printf("  %-24s $%s\n", "peak funding", wp_format_grouped(b1, sizeof b1, fm->peak_funding_usd, 0));
  printf("  %-24s %.3f x\n", "MOIC", fm->moic);
  printf("  %-24s $%s\n", "tax paid", wp_format_grouped(b1, sizeof b1, fm->tax_paid_usd, 0));
  if (rp->solved) {
    printf("\nsolve-for %s\n", rp->solved->name);
    printf("  %-24s %.10g %s\n", "break-even", rp->sol.x, rp->solved->unit);
    printf("  %-24s $%s (re-run at the break-even; %d evaluations)\n", "NPV there",
           wp_format_grouped(b1, sizeof b1, rp->npv_at_solution_usd, 2), rp->sol.evaluations);
  }
  if (rp->ledger_path)
    printf("\nledger                     %s (%zu months; XNPV of project_cash_flow_usd over "
           "date at %.4g = npv_usd)\n",
           rp->ledger_path, c->months, c->terms.hurdle_rate);
}

/* ------------------------------------------------------------------ setup */

/* A generic site: the lead's what-if defaults when no --site is given. */
static wp_site generic_site(const wp_scenario *sc, double grid_mw)
{
  wp_site s = wp_scenario_site_default(sc);
  snprintf(s.name, sizeof s.name, "generic");
  snprintf(s.country, sizeof s.country, "United States");
  snprintf(s.region, sizeof s.region, "US");
  s.grid_mw = grid_mw;
  return s;
}

/* The United States tax rate: from the scenario, else (*from set to say so) from the built-in
** default. */
static wp_status us_tax_rate(const wp_scenario *sc, double *rate, const char **from, wp_error *err)
{
  if (wp_scenario_tax_rate(sc, "United States", rate, err) == WP_OK) return WP_OK;
  wp_scenario *def = wp_scenario_new();
  if (!def) return wp_error_set(err, WP_ENOMEM, "out of memory");
  wp_status st = wp_scenario_load_default(def, err);
  if (st == WP_OK) st = wp_scenario_tax_rate(def, "United States", rate, err);
  wp_scenario_free(def);
  *from = "built-in default";
  return st;
}

/* Options that only a conversion reads. */
static const char *const conversion_only[] = {
    "convert-month", "convert-fraction",  "cooling", "redundancy", "gpu",
    "plan",          "substation-upgrade"};

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
       .help = "Scenario YAML file (default: the built-in default scenario)."},
      {.name = "site", .kind = CLI_STR, .meta = "NAME", .help = "Site of --scenario to evaluate."},
      {.name = "hurdle-rate",
       .kind = CLI_NUM,
       .meta = "R",
       .help = "Discount rate of npv_usd, fraction per year (default: the scenario's).",
       .min = -0.99,
       .max = 10},
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
       .help = "Write the monthly ledger (of the inputs as given) as CSV."},
      {.name = "json", .kind = CLI_FLAG, .help = "Machine-readable output."},
  };
  int rc = cli_parse(&finance_cmd, argc, argv, opts, NOPTS(opts), NULL, 0, NULL);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
#define OPT(n) cli_find(opts, NOPTS(opts), n)
  cli_opt *o_pathway = OPT("pathway"), *o_grid = OPT("grid-mw"), *o_scen = OPT("scenario"),
          *o_site = OPT("site"), *o_solve = OPT("solve-for"),
          *o_lease = OPT("lease-usd-per-kw-month"), *o_ledger = OPT("ledger");
  wp_error err = WP_ERROR_INIT;

  /* Usage first: what is required and what goes together. */
  if (!o_pathway->set)
    return cli_fail(CMD, CLI_EXIT_USAGE,
                    "--pathway is required: mining, colo, gpu-contract or gpu-merchant");
  wp_business business;
  if (wp_business_from_name(o_pathway->str, &business, &err))
    return cli_fail(CMD, CLI_EXIT_BADINPUT, "--pathway: %s", err.msg);
  if (o_site->set && !o_scen->set)
    return cli_fail(CMD, CLI_EXIT_USAGE,
                    "--site needs --scenario FILE (the file that defines the site); without "
                    "--scenario the site is generic and sized by --grid-mw");
  if (!o_site->set && !o_grid->set)
    return cli_fail(CMD, CLI_EXIT_USAGE,
                    "--grid-mw is required without --site (the generic site's grid MW)");
  const solve_spec *sp = NULL;
  if (o_solve->set) {
    for (size_t i = 0; i < NOPTS(solve_specs); i++)
      if (strcmp(o_solve->str, solve_specs[i].name) == 0) sp = &solve_specs[i];
    if (!sp)
      return cli_fail(CMD, CLI_EXIT_BADINPUT,
                      "--solve-for '%s' is unknown; accepted: lease, gpu-price, hashprice",
                      o_solve->str);
    if (sp->business != business)
      return cli_fail(CMD, CLI_EXIT_USAGE,
                      "--solve-for %s needs --pathway %s (the %s only changes that pathway's "
                      "NPV); got --pathway %s",
                      sp->name, wp_business_name(sp->business), sp->what,
                      wp_business_name(business));
  }
  if (o_lease->set && business != WP_BUSINESS_COLO)
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
  if (OPT("hashprice-usd-per-ph-day")->set && sp && sp->business == WP_BUSINESS_MINING)
    return cli_fail(CMD, CLI_EXIT_USAGE,
                    "--hashprice-usd-per-ph-day and --solve-for hashprice "
                    "exclude each other");
  if (OPT("gpu-usd-per-hour")->set && sp && sp->business == WP_BUSINESS_GPU_MERCHANT)
    return cli_fail(CMD, CLI_EXIT_USAGE,
                    "--gpu-usd-per-hour and --solve-for gpu-price exclude each other");
  if (o_lease->set && sp && sp->business == WP_BUSINESS_COLO)
    return cli_fail(CMD, CLI_EXIT_USAGE,
                    "--lease-usd-per-kw-month and --solve-for lease exclude each other");

  fin_ctx c;
  memset(&c, 0, sizeof c);
  c.path = (wp_market_path)WP_MARKET_PATH_INIT;
  report rp;
  memset(&rp, 0, sizeof rp);
  inputs *in = calloc(1, sizeof *in);
  wp_scenario *sc = wp_scenario_new();
  if (!in || !sc) {
    rc = cli_fail(CMD, CLI_EXIT_INTERNAL, "out of memory");
    goto done;
  }
  wp_status st = o_scen->set ? wp_scenario_load_file(sc, o_scen->str, &err)
                             : wp_scenario_load_default(sc, &err);
  if (st) {
    rc = cli_fail_status(CMD, &err);
    goto done;
  }
  const char *scen_from = o_scen->set ? "scenario" : "built-in default";
  rp.scenario_label = sc->source;

  /* The site. */
  const char *site_from = "generic-site default";
  if (o_site->set) {
    long k = wp_scenario_site_index(sc, o_site->str);
    if (k < 0) {
      char known[1024] = "";
      for (size_t i = 0; i < sc->nsites; i++) {
        size_t len = strlen(known);
        snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "", sc->sites[i].name);
      }
      rc = cli_fail(CMD, CLI_EXIT_BADINPUT, "--site '%s' is not in %s; known sites: %s",
                    o_site->str, o_scen->str, sc->nsites ? known : "(none)");
      goto done;
    }
    c.site = sc->sites[k];
    site_from = "site";
    if ((st = wp_scenario_tax_rate(sc, c.site.country, &c.site.tax_rate, &err))) {
      rc = cli_fail_status(CMD, &err);
      goto done;
    }
  } else {
    c.site = generic_site(sc, o_grid->num);
  }
  const char *tax_from = o_site->set ? "scenario (the site's country)" : scen_from;
  if (!o_site->set && (st = us_tax_rate(sc, &c.site.tax_rate, &tax_from, &err))) {
    rc = cli_fail_status(CMD, &err);
    goto done;
  }
  if (o_grid->set) c.site.grid_mw = o_grid->num;
  if (OPT("power-usd-per-mwh")->set) c.site.power_usd_per_mwh = OPT("power-usd-per-mwh")->num;
  rp.site_label = c.site.name;
  if (business != WP_BUSINESS_MINING && !c.site.ai_ready) {
    snprintf(rp.warning, sizeof rp.warning,
             "site %s is not AI-ready (ai_ready: false in %s): the %s conversion is a what-if "
             "the planner would not consider",
             c.site.name, sc->source, wp_business_name(business));
    c.site.ai_ready = 1;
    fprintf(stderr, "wattpivot finance: warning: %s\n", rp.warning);
  }

  /* The pathway. */
  c.pw = sc->conversion;
  c.pw.business = business;
  c.pw.convert_month = OPT("convert-month")->set ? OPT("convert-month")->i64 : 0;
  c.pw.convert_fraction = OPT("convert-fraction")->set ? OPT("convert-fraction")->num : 1.0;
  if ((OPT("cooling")->set && wp_cooling_from_name(OPT("cooling")->str, &c.pw.cooling, &err)) ||
      (OPT("redundancy")->set &&
       wp_redundancy_from_name(OPT("redundancy")->str, &c.pw.redundancy, &err)) ||
      (OPT("gpu")->set && wp_gpu_from_name(OPT("gpu")->str, &c.pw.gpu, &err)) ||
      (OPT("plan")->set && wp_schedule_plan_parse(OPT("plan")->str, &c.pw.plan, &err))) {
    rc = cli_fail(CMD, CLI_EXIT_BADINPUT, "%s", err.msg);
    goto done;
  }
  if (OPT("substation-upgrade")->set) c.pw.substation_upgrade = 1;
  if (o_lease->set) c.pw.colo.rent_usd_per_kw_month = o_lease->num;

  /* Time grid, market and finance terms. */
  c.start = sc->start;
  if (OPT("start")->set && wp_calendar_parse_ym(OPT("start")->str, &c.start, &err)) {
    rc = cli_fail(CMD, CLI_EXIT_BADINPUT, "--start: %s", err.msg);
    goto done;
  }
  c.months = (size_t)(OPT("horizon-months")->set ? OPT("horizon-months")->i64 : sc->horizon_months);
  if (business != WP_BUSINESS_MINING && (size_t)c.pw.convert_month >= c.months) {
    rc = cli_fail(CMD, CLI_EXIT_BADINPUT,
                  "--convert-month %lld is outside the horizon; accepted [0, %zu] "
                  "(--horizon-months %zu)",
                  (long long)c.pw.convert_month, c.months - 1, c.months);
    goto done;
  }
  c.market = sc->market;
  c.gpu_start0 = sc->market.gpu_usd_per_hour;
  c.gpu_floor0 = sc->market.gpu_floor_usd_per_hour;
  if (OPT("gpu-usd-per-hour")->set) set_gpu_level(&c, OPT("gpu-usd-per-hour")->num);
  c.terms = wp_scenario_site_terms(sc);
  if (OPT("hurdle-rate")->set) c.terms.hurdle_rate = OPT("hurdle-rate")->num;
  if (OPT("term-debt")->set) {
    const char *v = OPT("term-debt")->str;
    if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
      rc = cli_fail(CMD, CLI_EXIT_BADINPUT, "--term-debt '%s' is unknown; accepted: on, off", v);
      goto done;
    }
    c.terms.term.enabled = strcmp(v, "on") == 0;
  }

  if ((st = wp_market_path_init(&c.path, c.months, &err)) ||
      (st = wp_market_path_fill_deterministic(&c.path, c.start, &c.market, &err)) ||
      (st = wp_pathway_eval_new(c.start, c.months, &c.ev, &err))) {
    rc = cli_fail_status(CMD, &err);
    goto done;
  }
  c.hp_btc0 = c.path.hashprice_btc_per_ph_day[0];
  if (OPT("hashprice-usd-per-ph-day")->set) set_hashprice(&c, OPT("hashprice-usd-per-ph-day")->num);

  /* The inputs, each with where it came from. */
  char ym[16];
  in_str(in, "scenario", sc->source, "", scen_from);
  in_str(in, "site", c.site.name, "", site_from);
  in_str(in, "pathway", wp_business_name(business), "", "option");
  in_num(in, "grid_mw", c.site.grid_mw, "MW", o_grid->set ? "option" : site_from);
  in_str(in, "country", c.site.country, "", site_from);
  in_num(in, "tax_rate", c.site.tax_rate, "fraction", tax_from);
  in_num(in, "power_usd_per_mwh", c.site.power_usd_per_mwh, "USD/MWh",
         OPT("power-usd-per-mwh")->set ? "option"
         : o_site->set                 ? "site"
                                       : "generic-site default (market price)");
  in_num(in, "design_c", c.site.design_c, "C",
         o_site->set ? "site" : "generic-site default (temperate)");
  in_num(in, "fleet_eff_j_per_th", c.site.fleet_eff_j_per_th, "J/TH", site_from);
  in_num(in, "mining_pue", c.site.mining_pue, "", site_from);
  wp_format_ym(ym, sizeof ym, c.start);
  in_str(in, "start", ym, "YYYY-MM", OPT("start")->set ? "option" : scen_from);
  in_num(in, "horizon_months", (double)c.months, "months",
         OPT("horizon-months")->set ? "option" : scen_from);
  in_num(in, "hurdle_rate", c.terms.hurdle_rate, "per yr",
         OPT("hurdle-rate")->set ? "option" : scen_from);
  in_str(in, "term_debt", c.terms.term.enabled ? "on" : "off", "",
         OPT("term-debt")->set ? "option" : scen_from);
  if (c.terms.term.enabled) in_num(in, "target_dscr", c.terms.term.target_dscr, "", scen_from);
  in_num(in, "construction_ltc", c.terms.construction.ltc, "fraction", scen_from);
  in_num(in, "btc_price_usd", c.market.btc_price_usd, "USD",
         OPT("hashprice-usd-per-ph-day")->set ? "option (hashprice)" : scen_from);
  in_num(in, "hashprice_usd_per_ph_day", c.hp_btc0 * c.market.btc_price_usd, "USD/PH/day",
         OPT("hashprice-usd-per-ph-day")->set ? "option" : "market path, month 0");
  in_num(in, "difficulty_growth_per_yr", c.market.difficulty_growth_per_yr, "per yr", scen_from);
  if (business != WP_BUSINESS_MINING) {
    in_num(in, "convert_month", (double)c.pw.convert_month, "month",
           OPT("convert-month")->set ? "option" : "command default");
    in_num(in, "convert_fraction", c.pw.convert_fraction, "fraction",
           OPT("convert-fraction")->set ? "option" : "command default");
    in_str(in, "cooling", wp_cooling_name(c.pw.cooling), "",
           OPT("cooling")->set ? "option" : scen_from);
    in_str(in, "redundancy", wp_redundancy_name(c.pw.redundancy), "",
           OPT("redundancy")->set ? "option" : scen_from);
    in_str(in, "gpu", wp_gpu_name(c.pw.gpu), "", OPT("gpu")->set ? "option" : scen_from);
    in_str(in, "plan", wp_schedule_plan_name(c.pw.plan), "",
           OPT("plan")->set ? "option" : scen_from);
  }
  if (business == WP_BUSINESS_COLO) {
    in_num(in, "lease_usd_per_kw_month", c.pw.colo.rent_usd_per_kw_month, "USD/kW-month",
           o_lease->set ? "option" : scen_from);
    in_num(in, "lease_term_months", (double)c.pw.colo.term_months, "months", scen_from);
  }
  if (business == WP_BUSINESS_GPU_MERCHANT || business == WP_BUSINESS_GPU_CONTRACT) {
    in_num(in, "gpu_usd_per_hour", c.market.gpu_usd_per_hour, "USD/GPU-hour",
           OPT("gpu-usd-per-hour")->set ? "option" : scen_from);
    in_num(in, "gpu_floor_usd_per_hour", c.market.gpu_floor_usd_per_hour, "USD/GPU-hour",
           OPT("gpu-usd-per-hour")->set ? "option (scaled)" : scen_from);
    in_num(in, "gpu_decline_per_yr", c.market.gpu_decline_per_yr, "per yr", scen_from);
  }
  if (business == WP_BUSINESS_GPU_CONTRACT) {
    in_num(in, "gpu_contract_usd_per_it_mw",
           c.pw.gpu_contract.it_mw > 0
               ? c.pw.gpu_contract.contract_value_usd / c.pw.gpu_contract.it_mw
               : 0,
           "USD per IT MW", scen_from);
    in_num(in, "gpu_contract_term_months", (double)c.pw.gpu_contract.term_months, "months",
           scen_from);
  }

  /* The run as given: metrics and ledger. */
  if ((st = run_once(&c, 1, &rp.r, &err))) {
    rc = cli_fail_status(CMD, &err);
    goto done;
  }
  const wp_ledger *L = wp_pathway_ledger(c.ev);
  irr_note(&c, L->project_cash_flow_usd, rp.r.metrics.project_irr_found,
           rp.r.metrics.project_irr_roots, rp.project_irr_note, sizeof rp.project_irr_note);
  irr_note(&c, L->equity_cash_flow_usd, rp.r.metrics.equity_irr_found,
           rp.r.metrics.equity_irr_roots, rp.equity_irr_note, sizeof rp.equity_irr_note);
  if (o_ledger->set) {
    if ((st = wp_ledger_write_csv(L, o_ledger->str, &err))) {
      rc = cli_fail(CMD, CLI_EXIT_BADINPUT, "--ledger: %s", err.msg);
      goto done;
    }
    rp.ledger_path = o_ledger->str;
  }

  /* Break-even, then one more run at it to report the NPV there. */
  if (sp) {
    c.var = sp->var;
    if ((rc = solve(&c, sp, &rp.sol)) != 0) goto done;
    rp.solved = sp;
    double npv = 0;
    if ((st = npv_of(rp.sol.x, &c, &npv, &err))) {
      rc = cli_fail_status(CMD, &err);
      goto done;
    }
    rp.npv_at_solution_usd = npv;
  }

  if (OPT("json")->set)
    rc = print_json(&c, in, &rp);
  else
    print_human(&c, in, &rp);
done:
  wp_pathway_eval_free(c.ev);
  wp_market_path_release(&c.path);
  wp_scenario_free(sc);
  free(in);
  return rc;
#undef OPT
}
