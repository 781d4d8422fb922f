/*
** Contract tests of `wattpivot finance`: JSON keys and sanity per pathway, the ledger CSV
** reproducing npv_usd / IRRs by XNPV / XIRR over its own dates, solve-for round trips, and
** the refusals with their exit codes and messages.
*/
#include "cli_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <wattpivot.h>

#include "harness.h"

static cli_result R; /* large: one static buffer reused by every case */

/* The built-in default scenario written to a file (the --scenario tests read it back). */
static char scenario_path[64] = "";

static void write_default_scenario(void)
{
  snprintf(scenario_path, sizeof scenario_path, "/tmp/wp_fincli_scen_%ld.yaml", (long)getpid());
  FILE *f = fopen(scenario_path, "w");
  if (!CHECK(f != NULL)) return;
  fputs(wp_scenario_default_text(), f);
  fclose(f);
}

/* Run `finance ARGS --json`, expect exit 0 and parse stdout (NULL on failure). */
static cJSON *run_json(const char *args)
{
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "finance %s --json", args);
  cli_run(&R, cmd);
  if (!CHECK(R.code == 0)) {
    fprintf(stderr, "  finance %s: exit %d, stderr: %s\n", args, R.code, R.err);
    return NULL;
  }
  cJSON *doc = cJSON_Parse(R.out);
  CHECK(doc != NULL);
  return doc;
}

static double num(const cJSON *doc, const char *key)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);
  return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static int has_key(const cJSON *doc, const char *key)
{
  return cJSON_GetObjectItemCaseSensitive(doc, key) != NULL;
}

static const char *from_of(const cJSON *doc, const char *input)
{
  const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, "inputs"), *it;
  cJSON_ArrayForEach(it, arr)
  {
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(it, "name");
    if (cJSON_IsString(n) && strcmp(n->valuestring, input) == 0)
      return cJSON_GetObjectItemCaseSensitive(it, "from")->valuestring;
  }
  return NULL;
}

/* The value of an input row (NaN when absent or not a number). */
static double input_value(const cJSON *doc, const char *input)
{
  const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, "inputs"), *it;
  cJSON_ArrayForEach(it, arr)
  {
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(it, "name");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "value");
    if (cJSON_IsString(n) && strcmp(n->valuestring, input) == 0 && cJSON_IsNumber(v))
      return v->valuedouble;
  }
  return NAN;
}

/* ------------------------------------------------------------------ keys and sanity */

static void test_keys_and_sanity_each_pathway(void)
{
  static const char *const keys[] = {
      "npv_usd",          "project_irr", "equity_irr",  "payback_month", "min_dscr", "avg_dscr",
      "peak_funding_usd", "moic",        "hurdle_rate", "inputs",        "warnings"};
  static const struct {
    const char *pathway;
    int converts;
  } cases[] = {{"mining", 0}, {"colo", 1}, {"gpu-contract", 1}, {"gpu-merchant", 1}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char args[256];
    snprintf(args, sizeof args, "--pathway %s --grid-mw 50", cases[i].pathway);
    cJSON *doc = run_json(args);
    if (!doc) continue;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
      CHECK(has_key(doc, keys[k]));
    CHECK_STR(cJSON_GetObjectItem(doc, "pathway")->valuestring, cases[i].pathway);
    CHECK(isfinite(num(doc, "npv_usd")));
    CHECK_REL(num(doc, "hurdle_rate"), 0.10, 0); /* the default scenario's hurdle */
    CHECK(num(doc, "peak_funding_usd") >= 0);
    /* Both peaks, named: the equity's is the metrics' peak_funding_usd; the project's is that
       of the unlevered flows, at least the equity's when debt funds part of the cost. */
    CHECK_REL(num(doc, "peak_equity_funding_usd"), num(doc, "peak_funding_usd"), 0);
    CHECK(num(doc, "peak_project_funding_usd") >= 0);
    CHECK(num(doc, "moic") > 0);
    /* IRR: a number, or null with a note saying why (never NaN). */
    const cJSON *irr = cJSON_GetObjectItem(doc, "project_irr");
    CHECK(cJSON_IsNumber(irr) || (cJSON_IsNull(irr) && has_key(doc, "project_irr_note")));
    const cJSON *mn = cJSON_GetObjectItem(doc, "min_dscr");
    if (cJSON_IsNumber(mn)) CHECK(mn->valuedouble <= num(doc, "avg_dscr") + 1e-12);
    if (cases[i].converts) {
      /* Sellable IT MW is below the converted grid MW (PUE > 1), capex is spent, halls
         energize inside the 180-month horizon and term debt (on in the default) is serviced. */
      CHECK(num(doc, "it_mw") > 0 && num(doc, "it_mw") < 50);
      CHECK(num(doc, "ai_capex_usd") > 0);
      CHECK(num(doc, "energize_full_month") > 0 && num(doc, "energize_full_month") < 180);
      /* Term debt is sized on contracted cash flow: none against merchant GPU revenue. */
      if (strcmp(cases[i].pathway, "gpu-merchant") == 0)
        CHECK(cJSON_IsNull(mn));
      else
        CHECK(cJSON_IsNumber(mn) && mn->valuedouble >= 1.0);
      CHECK(num(doc, "peak_funding_usd") > 0);
      if (strcmp(cases[i].pathway, "gpu-merchant") != 0) /* debt-funded: equity needs less */
        CHECK(num(doc, "peak_project_funding_usd") > num(doc, "peak_equity_funding_usd"));
    } else {
      CHECK_REL(num(doc, "ai_capex_usd"), 0, 0);
      CHECK(cJSON_IsNull(mn)); /* a mine has no term debt */
    }
    /* Inputs say where they came from: the generic site's defaults are marked. */
    CHECK_STR(from_of(doc, "grid_mw"), "option");
    CHECK_STR(from_of(doc, "fleet_eff_j_per_th"), "generic-site default");
    CHECK_STR(from_of(doc, "hurdle_rate"), "built-in default");
    cJSON_Delete(doc);
  }
}

/* Colo NPV rises with the lease rate; a higher hurdle lowers it. */
static void test_npv_moves_the_right_way(void)
{
  double npv[3];
  const char *args[3] = {"--pathway colo --grid-mw 50 --lease-usd-per-kw-month 120",
                         "--pathway colo --grid-mw 50 --lease-usd-per-kw-month 180",
                         "--pathway colo --grid-mw 50 --lease-usd-per-kw-month 180 "
                         "--hurdle-rate 0.15"};
  for (int i = 0; i < 3; i++) {
    cJSON *doc = run_json(args[i]);
    npv[i] = doc ? num(doc, "npv_usd") : NAN;
    if (i == 2 && doc) CHECK_REL(num(doc, "hurdle_rate"), 0.15, 0);
    cJSON_Delete(doc);
  }
  CHECK(npv[1] > npv[0]);
  CHECK(npv[2] < npv[1]);
}

/* ------------------------------------------------------------------ ledger CSV */

typedef struct csv_cols {
  size_t rows;
  double dates[1200];
  double project[1200];
  double equity[1200];
  char first_date[16];
} csv_cols;

/* Read the date and the two cash-flow columns of a ledger CSV (found by header name). */
static int read_ledger(const char *path, csv_cols *out)
{
  FILE *f = fopen(path, "r");
  if (!CHECK(f != NULL)) return 0;
  static char line[65536];
  long c_date = -1, c_proj = -1, c_eq = -1;
  out->rows = 0;
  if (fgets(line, sizeof line, f)) {
    long k = 0;
    for (char *p = line, *tok; p; k++) {
      tok = p;
      p = strpbrk(p, ",\r\n");
      if (p) *p++ = '\0';
      if (strcmp(tok, "date") == 0) c_date = k;
      if (strcmp(tok, "project_cash_flow_usd") == 0) c_proj = k;
      if (strcmp(tok, "equity_cash_flow_usd") == 0) c_eq = k;
      if (p && (*p == '\0' || *p == '\n')) break;
    }
  }
  CHECK_EQ_I64(c_date, 0);
  int ok = CHECK(c_proj > 0) & CHECK(c_eq > 0);
  while (ok && out->rows < 1200 && fgets(line, sizeof line, f)) {
    long k = 0;
    for (char *p = line, *tok; p && *p && *p != '\n'; k++) {
      tok = p;
      p = strchr(p, ',');
      if (p) *p++ = '\0';
      if (k == c_date) {
        int y = 0, m = 0, d = 0;
        if (sscanf(tok, "%d-%d-%d", &y, &m, &d) != 3) ok = 0;
        if (out->rows == 0) snprintf(out->first_date, sizeof out->first_date, "%.10s", tok);
        out->dates[out->rows] = (double)wp_calendar_day_number(y, m, d);
      }
      if (k == c_proj) out->project[out->rows] = strtod(tok, NULL);
      if (k == c_eq) out->equity[out->rows] = strtod(tok, NULL);
    }
    out->rows++;
  }
  fclose(f);
  CHECK(ok); /* every date parsed as YYYY-MM-DD */
  return ok;
}

static void check_ledger_reproduces(const char *pathway, const char *extra)
{
  static csv_cols cols;
  char path[96], args[512];
  snprintf(path, sizeof path, "/tmp/wp_fincli_ledger_%ld_%s.csv", (long)getpid(), pathway);
  snprintf(args, sizeof args, "--pathway %s --grid-mw 40 %s --ledger %s", pathway, extra, path);
  cJSON *doc = run_json(args);
  if (!doc) return;
  CHECK_STR(cJSON_GetObjectItem(doc, "ledger")->valuestring, path);
  if (read_ledger(path, &cols)) {
    long months = (long)num(doc, "horizon_months");
    CHECK_EQ_I64((long)cols.rows, months);
    CHECK_STR(cols.first_date, "2026-01-31"); /* month 0 = 2026-01, dated at month end */
    /* Dates are month ends: the day after each is the 1st. */
    size_t month_ends = 0;
    for (size_t m = 0; m < cols.rows; m++) {
      int y, mo, d;
      wp_calendar_civil((int64_t)cols.dates[m] + 1, &y, &mo, &d);
      month_ends += d == 1;
    }
    CHECK_EQ_I64((long)month_ends, (long)cols.rows);
    double hurdle = num(doc, "hurdle_rate"), npv = NAN, eq_npv = NAN;
    wp_error err = WP_ERROR_INIT;
    CHECK(wp_finance_xnpv(cols.project, cols.dates, cols.rows, hurdle, &npv, &err) == WP_OK);
    CHECK_REL(npv, num(doc, "npv_usd"), 1e-9);
    CHECK(wp_finance_xnpv(cols.equity, cols.dates, cols.rows, hurdle, &eq_npv, &err) == WP_OK);
    CHECK_REL(eq_npv, num(doc, "equity_npv_usd"), 1e-9);
    wp_irr_result ir;
    const cJSON *pirr = cJSON_GetObjectItem(doc, "project_irr");
    if (CHECK(cJSON_IsNumber(pirr))) {
      CHECK(wp_finance_xirr(cols.project, cols.dates, cols.rows, &ir, &err) == WP_OK);
      CHECK_REL(ir.irr, pirr->valuedouble, 1e-6);
    }
    const cJSON *eirr = cJSON_GetObjectItem(doc, "equity_irr");
    if (CHECK(cJSON_IsNumber(eirr))) {
      CHECK(wp_finance_xirr(cols.equity, cols.dates, cols.rows, &ir, &err) == WP_OK);
      CHECK_REL(ir.irr, eirr->valuedouble, 1e-6);
    }
  }
  remove(path);
  cJSON_Delete(doc);
}

static void test_ledger_reproduces_metrics(void)
{
  check_ledger_reproduces("colo", "");
  /* Term debt on: equity flows differ from project flows. */
  check_ledger_reproduces("gpu-merchant", "--convert-month 6 --horizon-months 120");
  check_ledger_reproduces("gpu-contract", "--term-debt off --hurdle-rate 0.08");
}

/* ------------------------------------------------------------------ solve-for */

static void check_round_trip(const char *base, const char *solve, const char *key, const char *opt,
                             const char *input)
{
  char args[512];
  snprintf(args, sizeof args, "%s --solve-for %s", base, solve);
  cJSON *doc = run_json(args);
  if (!doc) return;
  double x = num(doc, key), at = num(doc, "npv_usd_at_breakeven");
  double capex = fmax(num(doc, "ai_capex_usd") + num(doc, "gpu_capex_usd"), 0);
  double tol = fmax(1000.0, 1e-6 * capex);
  CHECK(isfinite(x) && x > 0);
  CHECK(fabs(at) < tol);
  CHECK_STR(cJSON_GetObjectItem(doc, "solve_for")->valuestring, solve);
  cJSON_Delete(doc);
  /* Re-run with the solution as an input: NPV ~ 0. */
  snprintf(args, sizeof args, "%s --%s %.17g", base, opt, x);
  doc = run_json(args);
  if (!doc) return;
  double npv = num(doc, "npv_usd");
  /* The option sets exactly the quantity that was solved (e.g. month-0 hashprice). */
  CHECK_REL(input_value(doc, input), x, 1e-12);
  if (!CHECK(fabs(npv) < tol)) fprintf(stderr, "  %s at %.17g: NPV %.6g\n", solve, x, npv);
  /* The project IRR at break-even is the hurdle rate. */
  const cJSON *irr = cJSON_GetObjectItem(doc, "project_irr");
  if (cJSON_IsNumber(irr) && !has_key(doc, "project_irr_note"))
    CHECK_ABS(irr->valuedouble, num(doc, "hurdle_rate"), 1e-6);
  cJSON_Delete(doc);
}

static void test_solve_for_round_trips(void)
{
  check_round_trip("--pathway colo --grid-mw 60", "lease", "breakeven_lease_usd_per_kw_month",
                   "lease-usd-per-kw-month", "lease_usd_per_kw_month");
  check_round_trip("--pathway gpu-merchant --grid-mw 60 --term-debt off", "gpu-price",
                   "breakeven_gpu_usd_per_hour", "gpu-usd-per-hour", "gpu_usd_per_hour");
  check_round_trip("--pathway mining --grid-mw 60", "hashprice",
                   "breakeven_hashprice_usd_per_ph_day", "hashprice-usd-per-ph-day",
                   "hashprice_usd_per_ph_day");
  /* Default colo earns more than the hurdle at $154/kW-month: break-even is below it. */
  cJSON *doc = run_json("--pathway colo --grid-mw 60 --solve-for lease");
  cJSON *book = run_json("--pathway colo --grid-mw 60 --solve-for lease "
                         "--set valuation.terminal_colo=book");
  if (doc && book) {
    CHECK(num(doc, "npv_usd") > 0);
    CHECK(num(doc, "breakeven_lease_usd_per_kw_month") < 154.0);
    /* External anchor: the miner-to-AI leases signed in 2024-25 priced $102-188/kW-month of
       IT (data/deals.csv, docs/sources/mining.md §6); valued at book (nothing after the
       horizon but undepreciated cost), a 10 % hurdle break-even must lie there. */
    CHECK(num(book, "breakeven_lease_usd_per_kw_month") > 102.0);
    CHECK(num(book, "breakeven_lease_usd_per_kw_month") < 154.0);
    /* Sold at a 7 % cap rate at the end, the lease is worth more than its book: a 10 % hurdle
       then needs less rent (the developer's spread between yield on cost and exit cap rate). */
    CHECK(num(doc, "breakeven_lease_usd_per_kw_month") <
          num(book, "breakeven_lease_usd_per_kw_month"));
    CHECK(num(doc, "breakeven_lease_usd_per_kw_month") > 0.5 * 102.0);
  }
  cJSON_Delete(doc);
  cJSON_Delete(book);
}

/* ------------------------------------------------------------------ sites and notes */

static void test_scenario_site(void)
{
  char args[512];
  /* Childress (United States, 750 MW, AI-ready) from the default scenario written out. */
  snprintf(args, sizeof args, "--pathway colo --scenario %s --site Childress", scenario_path);
  cJSON *doc = run_json(args);
  if (doc) {
    CHECK_STR(cJSON_GetObjectItem(doc, "site")->valuestring, "Childress");
    CHECK_REL(num(doc, "converted_grid_mw"), 750, 0);
    CHECK_STR(from_of(doc, "grid_mw"), "site");
    CHECK_EQ_I64(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "warnings")), 0);
    cJSON_Delete(doc);
  }
  /* --grid-mw overrides the site's. */
  snprintf(args, sizeof args, "--pathway colo --scenario %s --site Childress --grid-mw 100",
           scenario_path);
  if ((doc = run_json(args)) != NULL) {
    CHECK_REL(num(doc, "converted_grid_mw"), 100, 0);
    CHECK_STR(from_of(doc, "grid_mw"), "option");
    cJSON_Delete(doc);
  }
  /* Rockdale is not AI-ready: evaluated as a what-if, with a warning on stderr and in JSON. */
  snprintf(args, sizeof args, "--pathway colo --scenario %s --site Rockdale", scenario_path);
  if ((doc = run_json(args)) != NULL) {
    CHECK_CONTAINS(R.err, "not AI-ready");
    const cJSON *w = cJSON_GetObjectItem(doc, "warnings");
    CHECK_EQ_I64(cJSON_GetArraySize(w), 1);
    if (cJSON_GetArraySize(w) == 1)
      CHECK_CONTAINS(cJSON_GetArrayItem(w, 0)->valuestring, "what-if");
    cJSON_Delete(doc);
  }
}

static void test_irr_none_and_human_output(void)
{
  /* Two years of a mine at a high hashprice: every month earns, so no IRR exists. */
  cJSON *doc = run_json("--pathway mining --grid-mw 20 --horizon-months 24 "
                        "--hashprice-usd-per-ph-day 200");
  if (doc) {
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(doc, "project_irr")));
    const cJSON *note = cJSON_GetObjectItem(doc, "project_irr_note");
    if (CHECK(cJSON_IsString(note))) CHECK_CONTAINS(note->valuestring, "none");
    cJSON_Delete(doc);
  }
  cli_run(&R, "finance --pathway mining --grid-mw 20 --horizon-months 24 "
              "--hashprice-usd-per-ph-day 200");
  CHECK_EQ_I64(R.code, 0);
  CHECK_CONTAINS(R.out, "project IRR              none");
  CHECK(strstr(R.out, " nan") == NULL && strstr(R.out, "-nan") == NULL &&
        strstr(R.out, "NaN") == NULL);
  cli_run(&R, "finance --pathway colo --grid-mw 50 --solve-for lease --ledger /dev/null");
  CHECK_EQ_I64(R.code, 0);
  CHECK_CONTAINS(R.out, "generic-site default");
  CHECK_CONTAINS(R.out, "USD/kW-month");
  CHECK_CONTAINS(R.out, "energized");
  CHECK_CONTAINS(R.out, "break-even");
  CHECK_CONTAINS(R.out, "ledger");
}

/* ------------------------------------------------------------------ refusals */

static void test_refusals(void)
{
  char unknown_site[256];
  snprintf(unknown_site, sizeof unknown_site,
           "finance --pathway colo --scenario %s --site Atlantis", scenario_path);
  const struct {
    const char *args;
    int code;
    const char *says[3];
  } cases[] = {
      {"finance --pathway hosting --grid-mw 10", 3, {"hosting", "mining, colo, gpu-contract", ""}},
      {"finance --grid-mw 10", 2, {"--pathway is required", "", ""}},
      {"finance --pathway colo", 2, {"--grid-mw is required", "", ""}},
      {"finance --pathway colo --site Childress", 2, {"--site needs --scenario", "", ""}},
      {unknown_site, 3, {"Atlantis", "known sites:", "Childress"}},
      {"finance --pathway mining --grid-mw 10 --solve-for lease",
       2,
       {"--solve-for lease needs --pathway colo", "mining", ""}},
      {"finance --pathway colo --grid-mw 10 --solve-for rent",
       3,
       {"rent", "lease, gpu-price, hashprice", ""}},
      {"finance --pathway colo --grid-mw 0", 3, {"--grid-mw 0", "(0, 10000]", ""}},
      {"finance --pathway colo --grid-mw 10 --start 2026-13", 3, {"--start", "2026-13", ""}},
      {"finance --pathway colo --grid-mw 10 --convert-fraction 1.5",
       3,
       {"--convert-fraction 1.5", "(0, 1]", ""}},
      {"finance --pathway colo --grid-mw 10 --horizon-months 60 --convert-month 60",
       3,
       {"convert_month 60", "[0, 59]", ""}},
      {"finance --pathway colo --grid-mw 10 --cooling water", 3, {"water", "air", "immersion"}},
      {"finance --pathway colo --grid-mw 10 --plan slow", 3, {"slow", "fast-track", ""}},
      {"finance --pathway colo --grid-mw 10 --term-debt maybe", 3, {"maybe", "on, off", ""}},
      {"finance --pathway mining --grid-mw 10 --convert-month 6", 2, {"--convert-month", "", ""}},
      {"finance --pathway gpu-merchant --grid-mw 10 --lease-usd-per-kw-month 150",
       2,
       {"--lease-usd-per-kw-month applies to --pathway colo", "", ""}},
      {"finance --pathway colo --grid-mw 10 --hurdle-rate -2", 3, {"--hurdle-rate -2", "", ""}},
      /* Construction starting in month 175 of 180 never energizes: rent cannot reach NPV 0. */
      {"finance --pathway colo --grid-mw 10 --convert-month 175 --solve-for lease",
       3,
       {"no break-even", "NPV stays positive even at 0 USD/kW-month", ""}},
      {"finance --pathway colo --grid-mw 10 --ledger /nonexistent-dir/x.csv",
       3,
       {"--ledger", "/nonexistent-dir/x.csv", ""}},
      {"finance --pathway colo --scenario /nonexistent.yaml --site X",
       3,
       {"/nonexistent.yaml", "", ""}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cli_run(&R, cases[i].args);
    if (!CHECK(R.code == cases[i].code))
      fprintf(stderr, "  %s: exit %d, want %d; stderr: %s\n", cases[i].args, R.code, cases[i].code,
              R.err);
    for (int k = 0; k < 3; k++)
      if (cases[i].says[k][0]) CHECK_CONTAINS(R.err, cases[i].says[k]);
  }
  cli_run(&R, "finance --help");
  CHECK_EQ_I64(R.code, 0);
  CHECK_CONTAINS(R.out, "--solve-for");
}

int main(void)
{
  wp_init();
  write_default_scenario();
  RUN(test_keys_and_sanity_each_pathway);
  RUN(test_npv_moves_the_right_way);
  RUN(test_ledger_reproduces_metrics);
  RUN(test_solve_for_round_trips);
  RUN(test_scenario_site);
  RUN(test_irr_none_and_human_output);
  RUN(test_refusals);
  if (scenario_path[0]) remove(scenario_path);
  return harness_report();
}
