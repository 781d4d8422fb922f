/* planner: the invariants of issue 6 on the built-in default and on a small hand-made fleet. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "wattpivot/scenario_file.h"
#include "wattpivot.h"
#include "wattpivot/planner.h"

static wp_plan_out *plan_default(unsigned mask)
{
  wp_scenario *sc = wp_scenario_new();
  wp_plan_out *out = NULL;
  wp_error err = WP_ERROR_INIT;
  if (CHECK(wp_scenario_load_default(sc, &err) == WP_OK))
    if (!CHECK(wp_plan_run(sc, mask, &out, &err) == WP_OK)) fprintf(stderr, "%s\n", err.msg);
  wp_scenario_free(sc);
  return out;
}

static const wp_strategy_out *find(const wp_plan_out *o, const char *name)
{
  for (size_t i = 0; o && i < o->nstrategies; i++)
    if (strcmp(o->strategies[i].name, name) == 0) return &o->strategies[i];
  return NULL;
}

/* Grid MW a strategy converts: its tranches' and expansions' that start construction. */
static double converted_mw(const wp_strategy_out *s)
{
  double mw = 0;
  for (size_t i = 0; i < s->nsites; i++)
    for (size_t j = 0; j < s->sites[i].ntranches; j++)
      if (s->sites[i].tranches[j].convert_month >= 0) mw += s->sites[i].tranches[j].grid_mw;
  return mw;
}

static void test_invariants_on_the_default(void)
{
  wp_plan_out *o = plan_default(WP_STRATEGY_ALL);
  if (!o) return;
  CHECK_EQ_I64(o->nstrategies, 4);
  const wp_strategy_out *mo = find(o, "mining-only");
  if (!CHECK(mo != NULL)) return;
  for (size_t i = 0; i < mo->nsites; i++) {
    CHECK_STR(mo->sites[i].decision, "keep mining"); /* mining-only converts nothing */
    CHECK_REL(mo->sites[i].converted_grid_mw, 0.0, 0);
  }
  double grid_total = 0; /* the sites' grid MW and what their grid expansions add */
  for (size_t i = 0; i < mo->nsites; i++) grid_total += mo->sites[i].grid_mw;
  wp_scenario *sc = wp_scenario_new();
  if (CHECK(sc && wp_scenario_load_default(sc, NULL) == WP_OK))
    for (size_t i = 0; i < sc->nsites; i++) grid_total += sc->sites[i].expandable_mw;
  wp_scenario_free(sc);
  for (size_t k = 0; k < o->nstrategies; k++) {
    const wp_strategy_out *s = &o->strategies[k];
    /* Every reason whole (not cut at its field's size) and well formed (0.3.0 first printed
       "colo)) + expansion" and cut the refusal's amount). */
    for (size_t i = 0; i < s->nsites; i++) {
      const char *r = s->sites[i].reason;
      CHECK(strlen(r) > 0 && strlen(r) + 1 < sizeof s->sites[i].reason);
      if (!CHECK(strstr(r, "))") == NULL && strstr(r, "break fits") == NULL))
        fprintf(stderr, "  %s: %s\n", s->sites[i].name, r);
      /* a site kept mining gives its refusal whole in its reason */
      if (strcmp(s->sites[i].decision, "keep mining") == 0 && s->sites[i].refused[0])
        CHECK_CONTAINS(r, s->sites[i].refused);
    }
    /* Site NPVs plus the corporate layer add up to the strategy NPV. */
    double sum = s->corporate_npv_usd;
    for (size_t i = 0; i < s->nsites; i++) sum += s->sites[i].npv_usd;
    CHECK_REL(sum, s->npv_usd, 1e-12);
    /* Mining + AI + under construction never exceeds the fleet's grid MW. */
    for (size_t m = 0; m < o->months; m++)
      CHECK(s->series[WP_SERIES_MINING_GRID_MW][m] + s->series[WP_SERIES_AI_GRID_MW][m] +
                s->series[WP_SERIES_CONSTRUCTION_GRID_MW][m] <=
            grid_total + 1e-6);
    /* Cash balance is the running sum of equity flows from the starting cash. */
    CHECK(s->min_cash_usd <= s->series[WP_SERIES_CASH_USD][o->months - 1]);
    /* Peak funding, project and equity, named the same way everywhere: the largest deficit of
       the running sum of the unlevered and of the equity cash flows (0 when never negative);
       the equity's low point is the cash balance's, less the starting cash. */
    double cp = 0, ce = 0, low_p = 0, low_e = 0;
    for (size_t m = 0; m < o->months; m++) {
      cp += s->series[WP_SERIES_PROJECT_CF_USD][m];
      ce += s->series[WP_SERIES_EQUITY_CF_USD][m];
      low_p = fmin(low_p, cp);
      low_e = fmin(low_e, ce);
    }
    CHECK_REL(s->peak_funding_usd, -low_p, 1e-12);
    CHECK_REL(s->peak_equity_funding_usd, -low_e, 1e-12);
    if (low_e < 0)
      CHECK_REL(s->min_cash_usd, s->series[WP_SERIES_CASH_USD][0] -
                                     s->series[WP_SERIES_EQUITY_CF_USD][0] + low_e, 1e-9);
    /* Not-AI-ready sites never convert. */
    for (size_t i = 0; i < s->nsites; i++)
      if (strstr(s->sites[i].reason, "not AI-ready")) CHECK_STR(s->sites[i].decision, "keep mining");
  }
  /* Hybrid respects the cash floor ($100M in the default); all-in converts at least as much
     grid MW (its first objective; grid expansions count). */
  const wp_strategy_out *hy = find(o, "hybrid"), *ai = find(o, "all-in");
  if (CHECK(hy && ai)) {
    CHECK(hy->min_cash_usd >= 100e6);
    CHECK(converted_mw(ai) >= converted_mw(hy));
  }
  wp_plan_out_free(o);
}

/*
** Issue 16's "done when": on the default scenario (hashprice equilibrium), a site earns mining
** revenue in every month its machines cover their power cost, and the market never makes that
** impossible. "Cover" by hand, per PH/s-day: hashprice × (1 − pool fee) > 0.024 × J/TH × PUE ×
** the site's power price (the site's price moves with the market power price; a 1 % band keeps
** the comparison away from the boundary). Each site is run keep-mining on the scenario's path.
*/
static void test_default_mining_earns_when_it_covers_power(void)
{
  wp_scenario *sc = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  wp_market_path mp = WP_MARKET_PATH_INIT;
  wp_pathway_eval *ev = NULL;
  if (!CHECK(wp_scenario_load_default(sc, &err) == WP_OK)) goto done;
  size_t M = (size_t)sc->horizon_months;
  CHECK(sc->market.difficulty_model == WP_DIFFICULTY_EQUILIBRIUM);
  if (!CHECK(wp_market_path_init(&mp, M, &err) == WP_OK) ||
      !CHECK(wp_market_path_fill_deterministic(&mp, sc->start, &sc->market, &err) == WP_OK) ||
      !CHECK(wp_pathway_eval_new(sc->start, M, &ev, &err) == WP_OK))
    goto done;
  /* The market: hashprice above $8/PH/day in every month (the old default fell to $0.08). */
  for (size_t m = 0; m < M; m++)
    CHECK(mp.hashprice_usd_per_ph_day[m] > 8.0);
  wp_finance_terms ft = wp_scenario_site_terms(sc);
  wp_pathway p = wp_pathway_default();
  size_t covered = 0, earned = 0, checked_sites = 0;
  for (size_t i = 0; i < sc->nsites; i++) {
    const wp_site *s = &sc->sites[i];
    if (s->ppa.fixed_mw > 0) continue; /* a PPA block prices power otherwise */
    checked_sites++;
    wp_pathway_result r;
    if (!CHECK(wp_pathway_run(ev, s, &p, &mp, &ft, &r, &err) == WP_OK)) {
      fprintf(stderr, "%s: %s\n", s->name, err.msg);
      continue;
    }
    const wp_ledger *L = wp_pathway_ledger(ev);
    const double *mw = wp_pathway_series_data(ev, WP_PW_MINING_GRID_MW);
    for (size_t m = 0; m < M; m++) {
      double power = s->power_usd_per_mwh * mp.power_usd_per_mwh[m] / mp.power_usd_per_mwh[0];
      double cost = 0.024 * s->fleet_eff_j_per_th * s->mining_pue * power;
      double rev = mp.hashprice_usd_per_ph_day[m] * (1 - s->pool_fee);
      if (!(mw[m] > 0) || !(rev > 1.01 * cost)) continue; /* not mining, or not covering */
      covered++;
      if (L->rev_mining_usd[m] > 0)
        earned++;
      else
        fprintf(stderr, "  %s month %zu: covers its power cost, earns nothing\n", s->name, m);
    }
  }
  CHECK(checked_sites >= 10);
  CHECK_EQ_I64(earned, covered);
  /* Not vacuous: every site covers its power cost through the first two years at least. */
  CHECK(covered >= 24 * checked_sites);
  printf("  %zu site-months cover their power cost; all earn\n", covered);
done:
  wp_pathway_eval_free(ev);
  wp_market_path_release(&mp);
  wp_scenario_free(sc);
}

/* EBITDA by business adds up to the strategy's revenue - power - opex; mining-only earns no AI
** EBITDA; the corporate line is the overhead. */
static void test_ebitda_by_business(void)
{
  wp_plan_out *o = plan_default(WP_STRATEGY_ALL);
  if (!o) return;
  for (size_t k = 0; k < o->nstrategies; k++) {
    const wp_strategy_out *s = &o->strategies[k];
    if (!CHECK(s->ebitda_usd[0] && s->ebitda_usd[1] && s->ebitda_usd[2])) continue;
    for (size_t m = 0; m < o->months; m++) {
      const double want = s->series[WP_SERIES_REVENUE_MINING_USD][m] +
                          s->series[WP_SERIES_REVENUE_AI_USD][m] -
                          s->series[WP_SERIES_POWER_USD][m] - s->series[WP_SERIES_OPEX_USD][m];
      const double got = s->ebitda_usd[WP_SEGMENT_MINING][m] + s->ebitda_usd[WP_SEGMENT_AI][m] +
                         s->ebitda_usd[WP_SEGMENT_CORPORATE][m];
      CHECK_ABS(got, want, 1e-6 * (1 + fabs(want)));
      CHECK(s->ebitda_usd[WP_SEGMENT_CORPORATE][m] <= 0);
      if (strcmp(s->name, "mining-only") == 0) CHECK_ABS(s->ebitda_usd[WP_SEGMENT_AI][m], 0, 1e-6);
    }
  }
  wp_plan_out_free(o);
}

static void test_same_input_same_bytes(void)
{
  wp_plan_out *a = plan_default(WP_STRATEGY_ALL), *b = plan_default(WP_STRATEGY_ALL);
  char *ja = NULL, *jb = NULL;
  if (a && b && CHECK(wp_output_json(a, &ja, NULL) == WP_OK) &&
      CHECK(wp_output_json(b, &jb, NULL) == WP_OK))
    CHECK(strcmp(ja, jb) == 0);
  free(ja);
  free(jb);
  wp_plan_out_free(a);
  wp_plan_out_free(b);
}

static void test_single_strategy_selection(void)
{
  wp_plan_out *o = plan_default(WP_STRATEGY_BIT(WP_STRATEGY_HYBRID));
  if (!o) return;
  CHECK_EQ_I64(o->nstrategies, 1);
  CHECK_STR(o->strategies[0].name, "hybrid");
  wp_plan_out_free(o);
  wp_strategy s;
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_strategy_from_name("all-in", &s, NULL) == WP_OK && s == WP_STRATEGY_ALL_IN);
  CHECK(wp_strategy_from_name("yolo", &s, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "mining-only");
}

/* All-in's plan of a scenario given as text (NULL, with a failed check, when it does not plan). */
static wp_plan_out *plan_all_in_of(const char *name, const char *text)
{
  wp_scenario *sc = wp_scenario_new();
  wp_plan_out *o = NULL;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(sc && wp_scenario_load_text(sc, name, text, &err) == WP_OK) ||
      !CHECK(wp_plan_run(sc, WP_STRATEGY_BIT(WP_STRATEGY_ALL_IN), &o, &err) == WP_OK)) {
    fprintf(stderr, "  %s: %s\n", name, err.msg);
    wp_plan_out_free(o);
    o = NULL;
  }
  wp_scenario_free(sc);
  return o;
}

/* Two identical AI-ready sites in Norway, A and B (the end of a scenario's text). */
#define TWO_SITES                                                                                  \
  "countries:\n  - {name: Norway, tax_rate: 0.22}\n"                                               \
  "sites:\n"                                                                                       \
  "  - {name: A, country: Norway, grid_mw: 50, power_usd_per_mwh: 45}\n"                           \
  "  - {name: B, country: Norway, grid_mw: 50, power_usd_per_mwh: 45}\n"

/* Two identical AI-ready sites, one crew: the second conversion waits for the first. */
static void test_crews_serialize_conversions(void)
{
  const char *text =
      "scenario: {name: crews, start: 2026-01, horizon_months: 120}\n"
      "strategy: {max_concurrent_projects: 1, convert_month_step: 3, tranches: [1.0]}\n" TWO_SITES;
  wp_plan_out *o = plan_all_in_of("crews.yaml", text);
  if (o) {
    const wp_strategy_out *s = &o->strategies[0];
    CHECK_STR(s->sites[0].decision, "convert");
    CHECK_STR(s->sites[1].decision, "convert");
    const wp_site_out *first = &s->sites[0], *second = &s->sites[1];
    if (first->convert_month > second->convert_month) first = &s->sites[1], second = &s->sites[0];
    /* The second starts only when the first is energized (one crew). */
    CHECK(second->convert_month >= first->energize_month);
    CHECK_CONTAINS(second->reason, "crews");
    for (size_t m = 0; m < o->months; m++)
      CHECK(s->series[WP_SERIES_CONSTRUCTION_GRID_MW][m] <= 50.0 + 1e-9);
  }
  wp_plan_out_free(o);
}

/* All-in on the two sites in two 50 % tranches each, two crews, money no limit; crew_per as
** given (tranche, build). */
static wp_plan_out *plan_two_crews(const char *crew_per)
{
  char text[1024];
  snprintf(text, sizeof text,
           "scenario: {name: crews2, start: 2026-01, horizon_months: 120}\n"
           "strategy: {max_concurrent_projects: 2, crew_per: %s, cash_floor_usd: 0,\n"
           "           debt_capacity_usd: 1e11, capex_usd_per_yr: 1e11, convert_month_step: 3,\n"
           "           tranches: [0.5, 1.0], business_models: [colo]}\n"
           "corporate: {cash_start_usd: 1e10}\n" TWO_SITES,
           crew_per);
  return plan_all_in_of("crews2.yaml", text);
}

/* Reasons count a crew per tranche, as the program and the ledgers do: two crews, A converts
** both its tranches in the first month, so B starting then would make 3 projects at once (0.3.0
** counted A's two tranches as one project and wrote "would break fits every limit"). */
static void test_reasons_count_a_crew_per_tranche(void)
{
  wp_plan_out *o = plan_two_crews("tranche");
  if (o) {
    const wp_strategy_out *s = &o->strategies[0];
    const wp_site_out *first = &s->sites[0], *second = &s->sites[1];
    if (first->convert_month > second->convert_month) first = &s->sites[1], second = &s->sites[0];
    CHECK_EQ_I64(first->convert_month, 0);
    CHECK_CONTAINS(first->reason, "converts 100 % in tranches (2026-01 colo, 2026-01 colo)");
    CHECK_CONTAINS(second->reason,
                   " would break crews in 2026-01 (3 projects at once)");
    CHECK_CONTAINS(second->reason, "; waits: colo from 2026-01 (");
    for (size_t i = 0; i < s->nsites; i++)
      CHECK(strstr(s->sites[i].reason, "break fits") == NULL);
  }
  wp_plan_out_free(o);
}

/* With strategy.crew_per build, a site's tranches built together take one crew: the same two
** sites and two crews as above, and both sites now convert whole from the first month (each
** build one crew), where a crew per tranche made B wait. */
static void test_crew_per_build(void)
{
  wp_plan_out *o = plan_two_crews("build");
  if (o) {
    const wp_strategy_out *s = &o->strategies[0];
    for (size_t i = 0; i < s->nsites; i++) {
      CHECK_EQ_I64(s->sites[i].convert_month, 0);
      CHECK_CONTAINS(s->sites[i].reason, "converts 100 % in tranches (2026-01 colo, 2026-01 colo)");
    }
    CHECK_STR(s->solve.status, "optimal");
    CHECK(s->solve.feasible && s->nbreaches == 0);
  }
  wp_plan_out_free(o);
}

/* Every strategy's IRR note is the one rule's (wp_finance_irr_note) on its project flows: the
** default's mining-only flows come in first and go out later (issue 16: "IRR 14.1 % beside NPV
** -$205M" had no note). */
static void test_irr_notes_follow_the_rule(void)
{
  wp_plan_out *o = plan_default(WP_STRATEGY_ALL);
  if (!o) return;
  double dates[1200];
  for (size_t m = 0; m < o->months && m < 1200; m++)
    dates[m] = (double)(wp_calendar_month_end_day(o->start, (int64_t)m) -
                        wp_calendar_month_end_day(o->start, 0));
  for (size_t i = 0; i < o->nstrategies; i++) {
    const wp_strategy_out *st = &o->strategies[i];
    char note[128];
    wp_irr_result r;
    CHECK(wp_finance_irr_note(st->series[WP_SERIES_PROJECT_CF_USD], dates, o->months, &r, note,
                              sizeof note, NULL) == WP_OK);
    CHECK_STR(st->irr_note, note);
    CHECK(r.roots ? st->irr == r.irr : isnan(st->irr));
  }
  const wp_strategy_out *mo = find(o, "mining-only");
  if (CHECK(mo != NULL)) CHECK_CONTAINS(mo->irr_note, "a borrowing rate");
  wp_plan_out_free(o);
}

/* A generated portfolio of 100 sites (wp_scenario_generate) plans, and its sums hold: site
** NPVs plus the corporate layer are the strategy NPV; the sites' grid MW are the portfolio's. */
static void test_generated_portfolio_plans(void)
{
  char *yaml = NULL;
  wp_error err = WP_ERROR_INIT;
  wp_scenario *sc = wp_scenario_new();
  wp_plan_out *o = NULL;
  if (!CHECK(wp_scenario_generate(100, 11, &yaml, &err) == WP_OK) ||
      !CHECK(wp_scenario_load_text(sc, "generated", yaml, &err) == WP_OK) ||
      !CHECK(wp_plan_run(sc, WP_STRATEGY_ALL, &o, &err) == WP_OK)) {
    fprintf(stderr, "%s\n", err.msg);
    goto done;
  }
  CHECK_EQ_I64(o->nstrategies, 4);
  /* no custom pathways in a generated portfolio: "custom" keeps every site mining */
  const wp_strategy_out *mo = find(o, "mining-only"), *cu = find(o, "custom");
  if (CHECK(mo && cu)) CHECK(memcmp(&mo->npv_usd, &cu->npv_usd, sizeof mo->npv_usd) == 0);
  for (size_t k = 0; k < o->nstrategies; k++) {
    const wp_strategy_out *st = &o->strategies[k];
    CHECK_EQ_I64(st->nsites, 100);
    double sum = st->corporate_npv_usd;
    for (size_t i = 0; i < st->nsites; i++) sum += st->sites[i].npv_usd;
    CHECK_REL(sum, st->npv_usd, 1e-12);
  }
done:
  wp_plan_out_free(o);
  wp_scenario_free(sc);
  free(yaml);
}

int main(void)
{
  wp_init();
  RUN(test_invariants_on_the_default);
  RUN(test_generated_portfolio_plans);
  RUN(test_default_mining_earns_when_it_covers_power);
  RUN(test_ebitda_by_business);
  RUN(test_same_input_same_bytes);
  RUN(test_single_strategy_selection);
  RUN(test_crews_serialize_conversions);
  RUN(test_reasons_count_a_crew_per_tranche);
  RUN(test_crew_per_build);
  RUN(test_irr_notes_follow_the_rule);
  return harness_report();
}
