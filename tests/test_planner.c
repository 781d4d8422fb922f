/* planner: the invariants of issue 6 on the built-in default and on a small hand-made fleet. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
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
  double grid_total = 0;
  for (size_t i = 0; i < mo->nsites; i++) grid_total += mo->sites[i].grid_mw;
  for (size_t k = 0; k < o->nstrategies; k++) {
    const wp_strategy_out *s = &o->strategies[k];
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
    /* Not-AI-ready sites never convert. */
    for (size_t i = 0; i < s->nsites; i++)
      if (strstr(s->sites[i].reason, "not AI-ready")) CHECK_STR(s->sites[i].decision, "keep mining");
  }
  /* Hybrid respects the cash floor ($100M in the default); all-in converts at least as much. */
  const wp_strategy_out *hy = find(o, "hybrid"), *ai = find(o, "all-in");
  if (CHECK(hy && ai)) {
    CHECK(hy->min_cash_usd >= 100e6);
    CHECK(ai->ai_it_mw_end >= hy->ai_it_mw_end);
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

/* Two identical AI-ready sites, one crew: the second conversion waits for the first. */
static void test_crews_serialize_conversions(void)
{
  const char *text =
      "scenario: {name: crews, start: 2026-01, horizon_months: 120}\n"
      "strategy: {max_concurrent_projects: 1, convert_month_step: 3}\n"
      "countries:\n  - {name: Norway, tax_rate: 0.22}\n"
      "sites:\n"
      "  - {name: A, country: Norway, grid_mw: 50, power_usd_per_mwh: 45}\n"
      "  - {name: B, country: Norway, grid_mw: 50, power_usd_per_mwh: 45}\n";
  wp_scenario *sc = wp_scenario_new();
  wp_plan_out *o = NULL;
  wp_error err = WP_ERROR_INIT;
  if (CHECK(wp_scenario_load_text(sc, "crews.yaml", text, &err) == WP_OK) &&
      CHECK(wp_plan_run(sc, WP_STRATEGY_BIT(WP_STRATEGY_ALL_IN), &o, &err) == WP_OK)) {
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
  wp_scenario_free(sc);
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

int main(void)
{
  wp_init();
  RUN(test_invariants_on_the_default);
  RUN(test_same_input_same_bytes);
  RUN(test_single_strategy_selection);
  RUN(test_crews_serialize_conversions);
  RUN(test_irr_notes_follow_the_rule);
  return harness_report();
}
