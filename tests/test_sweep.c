/*
** Sensitivity (issue 17): --set KEY.PATH=VALUE on plan, risk and finance (any scenario key,
** checked like the file), and `wattpivot sweep` (one key at a time, or a two-way grid; each
** point a full plan; tidy CSV with the decisions that change).
*/
#include "cli_run.h"

#include <math.h>

#include "harness.h"
#include "wattpivot.h"

static cli_result R;

/* --set changes the plan exactly as the same change in the file does. */
static void test_set_equals_file(void)
{
  cli_shell(&R, "@WP scenario init - | sed 's/^  btc_price_usd: 96532 /  btc_price_usd: 70000 /' "
                "> /tmp/wp_sweep_70k.yaml && @WP plan /tmp/wp_sweep_70k.yaml --no-store --json "
                "--strategy hybrid > /tmp/wp_sweep_file.json && "
                "@WP plan --no-store --json --strategy hybrid --set market.btc_price_usd=70000 "
                "> /tmp/wp_sweep_set.json && grep -v '\"source\"\\|\"scenario\"' "
                "/tmp/wp_sweep_file.json > /tmp/a.json; grep -v '\"source\"\\|\"scenario\"' "
                "/tmp/wp_sweep_set.json > /tmp/b.json; cmp /tmp/a.json /tmp/b.json && echo same");
  CHECK_CONTAINS(R.out, "same");
  /* a site by name and by index, a list value, a bool, an int */
  cli_run(&R, "plan --no-store --strategy hybrid --json --set sites[Childress].grid_mw=100 "
              "--set 'sites[Tydal].monthly_c=[0,0,0,5,10,15,18,16,10,5,0,0]' "
              "--set sites[Clarington].ai_ready=false --set strategy.convert_month_step=12");
  CHECK_EQ_I64(R.code, 0);
  CHECK_CONTAINS(R.out, "\"name\":\t\"Clarington\"");
  cli_run(&R, "finance --pathway colo --scenario - --site Childress --set sites[1].grid_mw=100 "
              "--json < " WP_SOURCE_DIR "/data/default_scenario.yaml");
  CHECK_EQ_I64(R.code, 0);
  CHECK_CONTAINS(R.out, "\"grid_mw\"");
  remove("/tmp/wp_sweep_70k.yaml");
  remove("/tmp/wp_sweep_file.json");
  remove("/tmp/wp_sweep_set.json");
}

static void test_set_refusals(void)
{
  static const struct {
    const char *args, *want;
  } cases[] = {
      {"plan --no-store --set market.btc_price_usd=-5",
       "--set market.btc_price_usd=-5: market.btc_price_usd: -5 is out of range; accepted (0, "
       "1e+08] USD"},
      {"plan --no-store --set scenario.hurdle_rate=10", "rates are fractions: 10 % is 0.1"},
      {"plan --no-store --set markt.btc_price_usd=5",
       "section 'markt' is unknown; did you mean 'market'?"},
      {"plan --no-store --set market.btc_prce_usd=5", "did you mean 'btc_price_usd'?"},
      {"plan --no-store --set sites[Nope].grid_mw=5", "no site Nope (the scenario has 14 sites)"},
      {"plan --no-store --set sites[0].country=Narnia",
       "after --set: sites[0].country: country 'Narnia'"},
      {"plan --no-store --set market", "expected KEY.PATH=VALUE"},
      {"risk --paths 5 --set market.difficulty=0", "market.difficulty: 0 is out of range"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cli_run(&R, cases[i].args);
    CHECK_EQ_I64(R.code, 3);
    CHECK_CONTAINS(R.err, cases[i].want);
  }
}

int main(void)
{
  wp_init();
  RUN(test_set_equals_file);
  RUN(test_set_refusals);
  return harness_report();
}
