/* results: allocation of plan results and the names/units of the monthly series. */
#include <math.h>

#include "harness.h"
#include "wattpivot.h"

static void test_alloc_and_defaults(void)
{
  wp_plan_out *out = wp_plan_out_new(4, 15, 180);
  if (!CHECK(out != NULL)) return;
  CHECK_EQ_I64(out->nstrategies, 4);
  CHECK_EQ_I64(out->months, 180);
  for (size_t i = 0; i < out->nstrategies; i++) {
    CHECK(isnan(out->strategies[i].irr));
    CHECK_EQ_I64(out->strategies[i].nsites, 15);
    CHECK_EQ_I64(out->strategies[i].sites[14].convert_month, -1);
    CHECK_REL(out->strategies[i].series[WP_SERIES_CASH_USD][179], 0.0, 0);
  }
  wp_plan_out_free(out);
  wp_plan_out_free(NULL);
  out = wp_plan_out_new(0, 0, 0);
  CHECK(out != NULL);
  wp_plan_out_free(out);
}

static void test_series_names(void)
{
  for (int s = 0; s < WP_SERIES_COUNT; s++) {
    const char *name = wp_series_name((wp_series)s), *unit = wp_series_unit((wp_series)s);
    size_t n = strlen(name);
    /* Every column carries its unit in its name. */
    if (strcmp(unit, "MW") == 0)
      CHECK(n > 3 && strcmp(name + n - 3, "_mw") == 0);
    else
      CHECK(n > 4 && strcmp(name + n - 4, "_usd") == 0);
    for (int t = 0; t < s; t++) CHECK(strcmp(name, wp_series_name((wp_series)t)) != 0);
  }
  CHECK_STR(wp_series_name(WP_SERIES_COUNT), "unknown");
}

int main(void)
{
  RUN(test_alloc_and_defaults);
  RUN(test_series_names);
  return harness_report();
}
