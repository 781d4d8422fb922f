/*
** Every public function that takes a `wp_error *err` accepts err == NULL (wattpivot/error.h):
** each is called here on a failing path with NULL and must return a failing status, not crash
** (ASan/UBSan in CI). The deep paths are among them: a plan whose conversion design is refused
** by the engineering model, risk on a bad scenario, a file with a cross-field error. The test
** reads the public headers and fails when a function with an err parameter is missing here.
*/
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "refdata.h"
#include "wattpivot.h"

#define FAILS(call) CHECK((call) != WP_OK)

/* The default scenario with its conversion refused by the engineering model: GB300 racks
** (132 kW) cannot be air-cooled (30 kW at most). */
static wp_scenario *refused_design(void)
{
  wp_scenario *sc = wp_scenario_new();
  if (!sc || wp_scenario_load_default(sc, NULL) != WP_OK) return sc;
  sc->conversion.cooling = WP_COOLING_AIR;
  return sc;
}

static wp_status fails_npv(double x, void *ctx, double *npv, wp_error *err)
{
  (void)x, (void)ctx, (void)npv;
  return wp_error_set(err, WP_EINVAL, "no NPV here");
}

static void test_core_and_model(void)
{
  double d = 0, f = 0;
  CHECK(wp_error_set(NULL, WP_EINVAL, "x %d", 1) == WP_EINVAL);
  CHECK(wp_error_prefix(NULL, WP_EIO, "y") == WP_EIO);
  {
    const char *const names[] = {"air", "dlc"};
    CHECK(wp_error_unknown_name(NULL, "cooling", "ar", names, 2) == WP_EINVAL);
  }
  wp_error_clear(NULL);
  const wp_range r = {0, 1, 0, 0, "MW"};
  FAILS(wp_range_check(&r, 2.0, NULL, "grid_mw"));
  wp_ym ym;
  FAILS(wp_calendar_parse_ym("2026-13", &ym, NULL));
  FAILS(wp_btc_retarget(-1, 1, &d, &f, NULL));
  FAILS(wp_btc_difficulty_from_nbits(0, &d, NULL));
  wp_cooling c;
  wp_redundancy rd;
  wp_gpu g;
  wp_business b;
  wp_strategy s;
  wp_sched_plan sp;
  wp_sched_dist sd;
  wp_solve_var sv;
  FAILS(wp_cooling_from_name("water", &c, NULL));
  FAILS(wp_redundancy_from_name("3N", &rd, NULL));
  FAILS(wp_gpu_from_name("tpu", &g, NULL));
  FAILS(wp_business_from_name("hosting", &b, NULL));
  FAILS(wp_strategy_from_name("maybe", &s, NULL));
  FAILS(wp_schedule_plan_parse("slow", &sp, NULL));
  FAILS(wp_schedule_dist_parse("normal", &sd, NULL));
  FAILS(wp_solve_var_from_name("rent", &sv, NULL));

  wp_design_spec spec = WP_DESIGN_SPEC_DEFAULT;
  spec.cooling = WP_COOLING_AIR;
  spec.gpu = WP_GPU_GB300;
  wp_facility fac;
  wp_rack_plan rp;
  wp_availability av;
  wp_pue_point pp;
  wp_reliability rel = WP_RELIABILITY_DEFAULT;
  FAILS(wp_facility_design(&spec, &fac, NULL));
  FAILS(wp_facility_design_rel(&spec, &rel, &fac, NULL));
  FAILS(wp_facility_racks(WP_GPU_H100, 0, -1.0, &rp, NULL));
  FAILS(wp_facility_availability((wp_redundancy)99, &rel, &av, NULL));
  FAILS(wp_facility_pue_at(WP_COOLING_AIR, WP_REDUNDANCY_N, 99.0, &pp, NULL));
  wp_capex cx;
  FAILS(wp_capex_design(&spec, NULL, NULL, &cx, NULL));
  FAILS(wp_capex_mining_facility(-1.0, NULL, &cx, NULL));
  wp_capex_opts co = WP_CAPEX_OPTS_DEFAULT;
  co.soft_share = 2.0;
  FAILS(wp_capex_opts_check(&co, NULL));

  wp_mining_inputs mi = WP_MINING_INPUTS_DEFAULT;
  wp_mining_result mr;
  mi.difficulty = -1;
  FAILS(wp_mining_inputs_check(&mi, NULL));
  FAILS(wp_mining_evaluate(&mi, &mr, NULL));

  const double flows[3] = {1, 2, 3}, dates[3] = {0, 31, 59};
  wp_irr_result irr;
  FAILS(wp_finance_xnpv(flows, dates, 3, -2.0, &d, NULL));
  FAILS(wp_finance_xirr(flows, dates, 3, &irr, NULL));
  FAILS(wp_finance_irr_note(flows, dates, 3, &irr, NULL, 0, NULL));
  wp_finance_solve_opts so = WP_FINANCE_SOLVE_OPTS_DEFAULT;
  wp_finance_solve_result sr;
  FAILS(wp_finance_solve_npv_zero(fails_npv, NULL, &so, &sr, NULL));
  wp_ledger *L = NULL;
  FAILS(wp_ledger_new((wp_ym){2026, 1}, 0, &L, NULL));
  CHECK(wp_ledger_new((wp_ym){2026, 1}, 12, &L, NULL) == WP_OK);
  wp_finance_terms ft = WP_FINANCE_TERMS_DEFAULT;
  wp_finance_metrics fm;
  ft.tax_rate = 2.0;
  FAILS(wp_finance_terms_check(&ft, 12, NULL));
  FAILS(wp_finance_run(L, &ft, &fm, NULL));
  FAILS(wp_ledger_write_csv(L, "/nonexistent-dir/ledger.csv", NULL));
  wp_ledger_free(L);

  wp_market_assumptions ma = WP_MARKET_ASSUMPTIONS_DEFAULT;
  wp_market_path mp = WP_MARKET_PATH_INIT;
  wp_market_month mm;
  ma.btc_price_usd = -1;
  FAILS(wp_market_assumptions_check(&ma, NULL));
  FAILS(wp_market_path_init(&mp, 0, NULL));
  FAILS(wp_market_path_fill_deterministic(&mp, (wp_ym){2026, 1}, &ma, NULL));
  FAILS(wp_market_path_fill_calendar(&mp, (wp_ym){2026, 1}, -1, (wp_ym){2026, 1}, NULL));
  FAILS(wp_market_path_update_hashprice(&mp, NULL));
  FAILS(wp_market_path_month(&mp, 5, &mm, NULL));
  wp_market_series ms = WP_MARKET_SERIES_INIT;
  FAILS(wp_market_series_init(&ms, (wp_ym){2026, 1}, 0, NULL));
  FAILS(wp_market_path_apply_series(&mp, &ms, NULL, NULL));
  FAILS(wp_market_path_fill_equilibrium(&mp, &ma, NULL));
  FAILS(wp_market_apply_preset(&ma, WP_MARKET_PRESET_COUNT, NULL));

  wp_revenue_mining_terms mt = WP_REVENUE_MINING_TERMS_DEFAULT;
  wp_revenue_colo_terms ct = WP_REVENUE_COLO_TERMS_DEFAULT;
  wp_revenue_gpu_contract_terms gct = WP_REVENUE_GPU_CONTRACT_TERMS_DEFAULT;
  wp_revenue_gpu_merchant_terms gmt = WP_REVENUE_GPU_MERCHANT_TERMS_DEFAULT;
  wp_revenue_ppa_terms ppt = WP_REVENUE_PPA_TERMS_DEFAULT;
  wp_revenue_opex_terms ot = WP_REVENUE_OPEX_TERMS_AI_DEFAULT;
  wp_revenue_mining_month rmm;
  wp_revenue_colo_month rcm;
  wp_revenue_gpu_contract_month rgc;
  wp_revenue_gpu_merchant_month rgm;
  wp_revenue_ppa_month rpm;
  wp_revenue_opex_month rom;
  mt.uptime = 2.0;
  ct.load_factor = 2.0;
  gct.term_months = 0;
  gmt.utilization = 2.0;
  ppt.fixed_mw = -1;
  ot.om_usd_per_kw_yr = -1;
  memset(&mm, 0, sizeof mm);
  FAILS(wp_revenue_mining_terms_check(&mt, NULL));
  FAILS(wp_revenue_mining_month_eval(&mt, &mm, &rmm, NULL));
  FAILS(wp_revenue_mining_month_fast(&mt, NULL, &rmm, NULL));
  FAILS(wp_revenue_colo_terms_check(&ct, NULL));
  FAILS(wp_revenue_colo_month_eval(&ct, 0, &mm, &rcm, NULL));
  FAILS(wp_revenue_colo_month_fast(&ct, 0, NULL, &rcm, NULL));
  FAILS(wp_revenue_gpu_contract_terms_check(&gct, NULL));
  FAILS(wp_revenue_gpu_contract_month_eval(&gct, 0, &mm, &rgc, NULL));
  FAILS(wp_revenue_gpu_merchant_terms_check(&gmt, NULL));
  FAILS(wp_revenue_gpu_merchant_month_eval(&gmt, 0, &mm, &rgm, NULL));
  FAILS(wp_revenue_ppa_month_eval(&ppt, 0, 1.0, &mm, &rpm, NULL));
  FAILS(wp_revenue_opex_terms_check(&ot, NULL));
  FAILS(wp_revenue_opex_month_eval(&ot, 0, 1.0, 1.0, &rom, NULL));

  const wp_sched_activity acts[2] = {{"A", "a", 1, 2, 3, NULL, 0, 0},
                                     {"B", "b", 1, 2, 3, NULL, 0, 0}};
  const wp_sched_link links[2] = {{"A", "B", WP_SCHED_FS, 0}, {"B", "A", WP_SCHED_FS, 0}};
  wp_schedule *sch = NULL;
  FAILS(wp_schedule_new(acts, 2, links, 2, &sch, NULL)); /* a cycle */
  wp_sched_template_opts to = {(wp_sched_plan)99, 0};
  FAILS(wp_schedule_template(&to, &sch, NULL));
  wp_sched_mc_opts mco = WP_SCHED_MC_OPTS_DEFAULT;
  wp_sched_mc_result mcr;
  mco.draws = 0;
  FAILS(wp_schedule_monte_carlo(NULL, &mco, &mcr, NULL, NULL, NULL, NULL));

  wp_risk_assumptions ra = WP_RISK_ASSUMPTIONS_DEFAULT;
  ra.btc_vol = 99;
  FAILS(wp_risk_assumptions_check(&ra, NULL));
  const double closes[2] = {1, 2};
  FAILS(wp_risk_history_standardize(closes, 2, &ra, NULL));
  wp_risk_market *gen = NULL;
  FAILS(wp_risk_market_new(&ma, &ra, (wp_ym){2026, 1}, 12, &gen, NULL));
  FAILS(wp_risk_market_apply_series(NULL, NULL, &ma, NULL));
  FAILS(wp_risk_market_fill(NULL, 1, 0, &mp, NULL));
  wp_market_path_release(&mp);
}

static void test_plan_and_pathways(void)
{
  wp_scenario *sc = refused_design();
  if (!CHECK(sc != NULL)) return;
  wp_plan_out *out = NULL;
  wp_plan_decisions *dec = NULL;
  FAILS(wp_plan_run(sc, WP_STRATEGY_ALL, &out, NULL));
  FAILS(wp_plan_decide(sc, WP_STRATEGY_ALL, &dec, NULL));
  wp_program *prog = NULL;
  FAILS(wp_plan_program(sc, WP_STRATEGY_HYBRID, &prog, NULL));
  FAILS(wp_plan_run_keep(sc, WP_STRATEGY_ALL, WP_STRATEGY_HYBRID, &out, &prog, NULL));
  wp_plan_opts po = WP_PLAN_OPTS_DEFAULT;
  FAILS(wp_plan_run_opts(sc, &po, &out, &prog, NULL));
  FAILS(wp_plan_decide_opts(sc, &po, &dec, NULL));
  double rate = 0;
  FAILS(wp_scenario_tax_rate(sc, "Atlantis", &rate, NULL));
  wp_site bad = sc->sites[0];
  bad.grid_mw = -1;
  FAILS(wp_site_check(&bad, NULL));
  wp_scenario *empty = wp_scenario_new();
  FAILS(wp_scenario_check(empty, NULL));
  wp_scenario_free(empty);

  wp_pathway_eval *ev = NULL;
  FAILS(wp_pathway_eval_new(sc->start, 0, &ev, NULL));
  CHECK(wp_pathway_eval_new(sc->start, (size_t)sc->horizon_months, &ev, NULL) == WP_OK);
  const double days[1] = {-1};
  FAILS(wp_pathway_eval_set_phase_days(ev, days, 1, NULL));
  wp_market_path mp = WP_MARKET_PATH_INIT;
  CHECK(wp_market_path_init(&mp, (size_t)sc->horizon_months, NULL) == WP_OK);
  CHECK(wp_market_path_fill_deterministic(&mp, sc->start, &sc->market, NULL) == WP_OK);
  wp_pathway p = sc->conversion;
  p.business = WP_BUSINESS_COLO;
  wp_finance_terms ft = wp_scenario_site_terms(sc);
  wp_pathway_result pr;
  FAILS(wp_pathway_run(ev, &sc->sites[0], &p, &mp, &ft, &pr, NULL));
  wp_market_path short_path = WP_MARKET_PATH_INIT; /* never filled: not initialized */
  FAILS(wp_scenario_market_path(sc, &short_path, NULL));
  FAILS(wp_scenario_market_path(NULL, &mp, NULL));
  wp_market_path_release(&mp);
  wp_pathway_eval_free(ev);

  wp_risk_opts ro = WP_RISK_OPTS_DEFAULT;
  ro.paths = 8;
  ro.threads = 1;
  wp_risk_result *rr = NULL;
  FAILS(wp_risk_run(sc, &ro, &rr, NULL)); /* the plan it re-evaluates is refused */
  sc->conversion.cooling = WP_COOLING_DLC;
  sc->risk.btc_vol = 99;
  FAILS(wp_risk_run(sc, &ro, &rr, NULL)); /* bad assumptions */
  wp_scenario_free(sc);
}

static void test_io_and_studies(void)
{
  wp_scenario *sc = wp_scenario_new();
  FAILS(wp_scenario_load_file(sc, "/nonexistent/plan.yaml", NULL));
  FAILS(wp_scenario_set(sc, "market.btc_price_usd=-5", NULL));
  FAILS(wp_scenario_set(sc, "nothing", NULL));
  {
    char hex[WP_SCENARIO_HASH_SIZE], *text = NULL;
    FAILS(wp_scenario_hash(NULL, hex, NULL));
    FAILS(wp_scenario_canonical_text(NULL, &text, NULL));
    wp_scenario_value *vals = NULL;
    size_t nvals = 0;
    FAILS(wp_scenario_values(NULL, NULL, "x: 1", NULL, 0, &vals, &nvals, NULL));
    FAILS(wp_scenario_values(sc, NULL, "::: [", NULL, 0, &vals, &nvals, NULL));
    char *gen = NULL;
    FAILS(wp_scenario_generate(0, 1, &gen, NULL));
    FAILS(wp_scenario_write_text(NULL, "x", 0, NULL));
  }
  FAILS(wp_output_write_text("/proc/wp-nonexistent/x.txt", "x", NULL));
  {
    char small[8];
    FAILS(wp_output_now_utc(small, sizeof small, NULL)); /* too small for a timestamp */
  }
  FAILS(wp_store_save_risk(NULL, NULL, "s", 0.1, NULL, NULL, NULL));
  FAILS(wp_store_load_risk(NULL, 1, NULL, 0, NULL, NULL, NULL, NULL));
  {
    wp_risk_result empty;
    memset(&empty, 0, sizeof empty);
    FAILS(wp_risk_write_dir(&empty, "s", "{}", "/proc/wp-nonexistent/out", NULL));
    const char *names[1] = {"a.txt"};
    char *texts[1] = {NULL};
    FAILS(wp_output_write_folder("/proc/wp-nonexistent/out", names, texts, 1, NULL));
    wp_sweep_result none;
    memset(&none, 0, sizeof none);
    wp_sweep_request rq0 = {0};
    FAILS(wp_sweep_write_dir(&none, &rq0, "s", "{}", "/proc/wp-nonexistent/out", NULL));
    FAILS(wp_output_write_xlsx(NULL, NULL, "/proc/wp-nonexistent/x.xlsx", NULL));
    FAILS(wp_output_write_finance_xlsx(NULL, (wp_ym){2026, 1}, 1, NULL, NULL, 0, NULL, 0,
                                       "/proc/wp-nonexistent/x.xlsx", NULL));
  }
  {
    wp_sweep_axis ax;
    FAILS(wp_sweep_axis_parse("market.btc_price_usd=1:2:0", &ax, NULL));
    CHECK(wp_sweep_axis_parse("market.btc_price_usd=1:2:2", &ax, NULL) == WP_OK);
    wp_sweep_request rq = {.axes = &ax, .naxes = 1};
    wp_sweep_result *res = NULL;
    snprintf(ax.key, sizeof ax.key, "market.nope");
    FAILS(wp_study_sweep(sc, &rq, &res, NULL));
    CHECK(res == NULL);
  }
  FAILS(wp_output_check_dir("/proc/wp-nonexistent/a/b", NULL));
  {
    size_t nerr = 9;
    FAILS(wp_scenario_validate("/nonexistent/plan.yaml", NULL, NULL, NULL, 0, &nerr));
    CHECK(nerr == 1); /* counted, none kept */
    FAILS(wp_scenario_validate(NULL, "a: [", "t.yaml", NULL, 0, NULL));
  }
  FAILS(wp_scenario_load_text(sc, "dup.yaml",
                              "sites:\n  - {name: A, country: Norway, grid_mw: 5}\n"
                              "  - {name: A, country: Norway, grid_mw: 5}\n",
                              NULL));
  FAILS(wp_scenario_load_text(sc, "bad.yaml", "market: {difficulty: -1}\n", NULL));
  char *text = NULL;
  FAILS(wp_scenario_read_text("/nonexistent/plan.yaml", 100, &text, NULL));
  FAILS(wp_scenario_write_default("/nonexistent-dir/s.yaml", 0, NULL));
  CHECK(wp_scenario_load_default(sc, NULL) == WP_OK);
  FAILS(wp_scenario_load_default(NULL, NULL));

  wp_plan_out *plan = wp_plan_out_new(1, 1, 12);
  char *doc = NULL;
  FAILS(wp_plan_out_set_tranches(plan, 5, 0, 1, NULL)); /* no strategy 5 */
  FAILS(wp_plan_out_set_limits(plan, 5, 1, NULL));
  FAILS(wp_plan_out_set_breaches(plan, 5, 1, NULL));
  wp_program *prog = wp_program_new("t");
  size_t col = 0, idx[1] = {7};
  double val[1] = {1};
  wp_program_format fmt;
  FAILS(wp_program_add_col(prog, "x", 1, 0, 0, 0, &col, NULL)); /* lo > hi */
  FAILS(wp_program_add_row(prog, "r", 1, idx, val, 0, 1, NULL)); /* no column 7 */
  FAILS(wp_program_format_of("model.txt", &fmt, NULL));
  FAILS(wp_program_text(NULL, WP_PROGRAM_LP, &doc, NULL));
  FAILS(wp_program_write(prog, "/nonexistent-dir/m.lp", NULL));
  wp_program_free(prog);
  if (plan) plan->start = (wp_ym){0, 0}; /* malformed */
  FAILS(wp_output_json(plan, &doc, NULL));
  FAILS(wp_output_report_html(plan, &doc, NULL));
  FAILS(wp_output_write_dir(plan, "/proc/nonexistent/out", NULL));
  wp_plan_out_free(plan);

  wp_store *store = NULL;
  size_t count = 0, n = 0;
  int64_t id = 0;
  wp_run_summary rows[1];
  wp_plan_out *loaded = NULL;
  FAILS(wp_store_open("/nonexistent-dir/runs.db", &store, NULL));
  FAILS(wp_store_open_readonly("/nonexistent-dir/runs.db", &store, NULL));
  FAILS(wp_store_save_run(NULL, NULL, NULL, &id, NULL));
  FAILS(wp_store_count_runs(NULL, &count, NULL, NULL, NULL));
  FAILS(wp_store_list_runs(NULL, rows, 1, &n, NULL));
  FAILS(wp_store_load_run(NULL, 1, &loaded, NULL, NULL));

  wp_taskfile *tf = NULL;
  wp_schedule *sch = NULL;
  FAILS(wp_taskfile_parse("id,name\n", 8, "t.csv", &tf, NULL));
  FAILS(wp_taskfile_read("/nonexistent/tasks.csv", &tf, NULL));
  FAILS(wp_taskfile_schedule("/nonexistent/tasks.csv", &sch, NULL));
  double closes[4];
  wp_risk_assumptions ra = WP_RISK_ASSUMPTIONS_DEFAULT;
  FAILS(wp_risk_history_parse("month,close_usd\n2020-01,-5\n", "h.csv", 1, closes, 4, &n, NULL));
  FAILS(wp_risk_history_load(&ra, "/nonexistent/history.csv", NULL));

  wp_plan_request preq = WP_PLAN_REQUEST_INIT;
  preq.out_dir = "/proc/nonexistent/out";
  wp_plan_study *ps = NULL;
  FAILS(wp_study_plan(sc, &preq, &ps, NULL));
  wp_finance_request freq = WP_FINANCE_REQUEST_INIT;
  wp_finance_study *fs = NULL;
  freq.business = WP_BUSINESS_COLO;
  freq.site = "Atlantis";
  FAILS(wp_study_finance(sc, &freq, &fs, NULL));
  freq.site = NULL;
  freq.grid_mw = 50;
  freq.cooling = WP_COOLING_AIR; /* GB300 racks cannot be air-cooled */
  FAILS(wp_study_finance(sc, &freq, &fs, NULL));
  freq.cooling = -1;
  freq.convert_month = 175; /* never energizes: no lease break-even */
  freq.solve_for = WP_SOLVE_LEASE;
  FAILS(wp_study_finance(sc, &freq, &fs, NULL));
  wp_risk_request rreq = {.opts = WP_RISK_OPTS_DEFAULT, .zero_vol = 0, .wait_site = "Atlantis"};
  wp_risk_result *rr = NULL;
  FAILS(wp_study_risk(sc, &rreq, &rr, NULL));
  wp_scenario_free(sc);
}

/* Every public function with a wp_error *err parameter is called above. */
static void test_every_function_is_covered(void)
{
  char *self = ref_read_file(WP_SOURCE_DIR "/tests/test_null_err.c");
  DIR *dir = opendir(WP_SOURCE_DIR "/include/wattpivot");
  if (!CHECK(self != NULL) || !CHECK(dir != NULL)) return;
  size_t functions = 0;
  for (struct dirent *de; (de = readdir(dir));) {
    if (!strstr(de->d_name, ".h")) continue;
    char path[512];
    snprintf(path, sizeof path, WP_SOURCE_DIR "/include/wattpivot/%s", de->d_name);
    char *h = ref_read_file(path);
    if (!CHECK(h != NULL)) continue;
    for (char *c = strstr(h, "/*"); c; c = strstr(c, "/*")) { /* comments out */
      char *e = strstr(c + 2, "*/");
      size_t len = e ? (size_t)(e + 2 - c) : strlen(c);
      memset(c, ' ', len);
    }
    /* A prototype: "wp_status name(" or "void name(" ... up to ";" containing "wp_error *err". */
    for (char *p = strstr(h, "wp_error *err"); p; p = strstr(p + 1, "wp_error *err")) {
      char *open = p;
      while (open > h && *open != '(' && *open != ';' && *open != '}')
        open--;
      if (*open != '(') continue;
      char *end = open;
      while (end > h && (end[-1] == ' '))
        end--;
      char *start = end;
      while (start > h && (start[-1] == '_' || (start[-1] >= 'a' && start[-1] <= 'z') ||
                           (start[-1] >= '0' && start[-1] <= '9')))
        start--;
      char name[96], call[100];
      snprintf(name, sizeof name, "%.*s", (int)(end - start), start);
      if (strncmp(name, "wp_", 3) != 0) continue; /* a typedef's parameter list */
      snprintf(call, sizeof call, "%s(", name);
      functions++;
      char what[160];
      snprintf(what, sizeof what, "%.96s is called here with err == NULL", name);
      harness_check(strstr(self, call) != NULL, __FILE__, __LINE__, what);
    }
    free(h);
  }
  closedir(dir);
  CHECK(functions > 80);
  free(self);
}

int main(void)
{
  wp_init();
  RUN(test_core_and_model);
  RUN(test_plan_and_pathways);
  RUN(test_io_and_studies);
  RUN(test_every_function_is_covered);
  return harness_report();
}
