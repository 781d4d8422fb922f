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
      {"plan --no-store --set strategy.start_step_months=6", /* words, not letters, in common */
       "strategy.start_step_months: unknown key; did you mean 'convert_month_step'?"},
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

/* Count the lines of text. */
static size_t lines(const char *s)
{
  size_t n = 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

/* The CSV: one row per point and strategy; a point at the scenario's own value equals the base
** plan exactly (change 0, no decision changes); a point equals `plan --set` at its value; the
** same bytes for any thread count. */
static void test_sweep_csv(void)
{
  cli_run(&R, "sweep --vary market.btc_price_usd=60000:140000:5 --vary "
              "strategy.capex_usd_per_yr=4e9:4e9:1 --csv - --threads 1");
  CHECK_EQ_I64(R.code, 0);
  CHECK(strncmp(R.out,
                "key,value,key2,value2,strategy,npv_usd,npv_change_usd,min_cash_usd,"
                "ai_it_mw_end,decision_changes,changed_sites\n",
                105) == 0);
  CHECK_EQ_I64(lines(R.out), 1 + 6 * 4); /* 5 + 1 points, 4 strategies */
  /* capex_usd_per_yr 4e9 is the default's value: the base plan exactly (change 0, no
     decision changes, no site named) */
  const char *row = strstr(R.out, "strategy.capex_usd_per_yr,4000000000,,,hybrid,");
  if (CHECK(row != NULL)) {
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int)strcspn(row, "\n"), row);
    const char *c = line;
    for (int commas = 0; commas < 6 && (c = strchr(c, ',')); commas++)
      c++;
    CHECK(c && strncmp(c, "0,", 2) == 0); /* npv_change_usd */
    CHECK(strlen(line) > 3 && strcmp(line + strlen(line) - 3, ",0,") == 0);
  }
  static char one[1 << 20];
  snprintf(one, sizeof one, "%s", R.out);
  cli_run(&R, "sweep --vary market.btc_price_usd=60000:140000:5 --vary "
              "strategy.capex_usd_per_yr=4e9:4e9:1 --csv - --threads 2");
  CHECK(strcmp(one, R.out) == 0);
  /* the point at 80000 equals plan --set market.btc_price_usd=80000 */
  cli_run(&R, "plan --no-store --json --strategy hybrid --set market.btc_price_usd=80000");
  const char *npv = strstr(R.out, "\"npv_usd\":\t");
  char want[64] = "";
  if (CHECK(npv != NULL))
    snprintf(want, sizeof want, "%.*s", (int)strcspn(npv + 11, ",\n"), npv + 11);
  char *at = strstr(one, "market.btc_price_usd,80000,,,hybrid,");
  if (CHECK(at != NULL)) {
    double got = strtod(at + strlen("market.btc_price_usd,80000,,,hybrid,"), NULL);
    CHECK_REL(got, strtod(want, NULL), 1e-12);
  }
}

/* A two-way grid: every combination, key2 and value2 filled; the text shows the matrix. */
static void test_sweep_grid(void)
{
  cli_run(&R, "sweep --grid --vary market.btc_price_usd=70000:110000:2 --vary "
              "market.colo_usd_per_kw_month=120:180:3 --strategy hybrid --csv -");
  CHECK_EQ_I64(R.code, 0);
  CHECK_EQ_I64(lines(R.out), 1 + 6);
  CHECK_CONTAINS(R.out, "market.btc_price_usd,110000,market.colo_usd_per_kw_month,180,hybrid,");
  cli_shell(&R, "WATTPIVOT_PROGRESS_SECONDS=0 @WP sweep --grid --vary "
                "market.btc_price_usd=70000:110000:2 --vary "
                "market.colo_usd_per_kw_month=120:180:3 --strategy hybrid");
  CHECK_CONTAINS(R.out, "2 x 3");
  CHECK_CONTAINS(R.err, "sweep: planning the base: 1/1 plans (100%), ");
  CHECK_CONTAINS(R.err, "sweep: 6/6 points (100%), ");
  CHECK_CONTAINS(R.out,
                 "hybrid: NPV $M, rows market.btc_price_usd, columns market.colo_usd_per_kw_month");
  cli_run(&R, "sweep --vary market.btc_price_usd=70000:110000:2 --json --strategy hybrid");
  CHECK_EQ_I64(R.code, 0);
  CHECK_CONTAINS(R.out, "\"design\":\t\"one-at-a-time\"");
  CHECK_CONTAINS(R.out, "\"changed_sites\"");
}

/* --out DIR: the folder's CSV is --csv's, and its report holds the charts. */
static void test_sweep_folder(void)
{
  cli_shell(&R,
            "rm -rf /tmp/wp_sweep_dir; @WP sweep --vary market.btc_price_usd=70000:110000:3 "
            "--quiet --out /tmp/wp_sweep_dir > /dev/null && @WP sweep --vary "
            "market.btc_price_usd=70000:110000:3 --quiet --csv - | cmp - "
            "/tmp/wp_sweep_dir/sweep.csv && echo same && ls /tmp/wp_sweep_dir && grep -c '<svg' "
            "/tmp/wp_sweep_dir/report.html");
  CHECK_CONTAINS(R.out, "same\nmeta.json\nreport.html\nsummary.json\nsweep.csv\n4\n");
  cli_shell(&R, "rm -rf /tmp/wp_sweep_dir; touch /tmp/wp_sweep_file; @WP sweep --vary "
                "market.btc_price_usd=1:2:2 --out /tmp/wp_sweep_file");
  CHECK_EQ_I64(R.code, 3);
  CHECK_CONTAINS(R.err, "--out: /tmp/wp_sweep_file exists and is not a folder");
  remove("/tmp/wp_sweep_file");
}

static void test_sweep_refusals(void)
{
  static const struct {
    const char *args, *want;
    int code;
  } cases[] = {
      {"sweep", "--vary KEY=LO:HI:STEPS is required", 2},
      {"sweep --vary market.btc_price_usd=1:2", "HI is not a number", 3},
      {"sweep --vary market.btc_price_usd", "expected KEY=LO:HI:STEPS", 3},
      {"sweep --vary market.btc_price_usd=1:2:0", "STEPS is out of range; accepted [1, 1000]", 3},
      {"sweep --vary market.btc_price_usd=1e3:-5:3", "market.btc_price_usd: -5 is out of range", 3},
      {"sweep --vary markt.btc_price_usd=1:2:2", "did you mean 'market'?", 3},
      {"sweep --grid --vary market.btc_price_usd=1:2:2", "--grid needs exactly two --vary", 2},
      {"sweep --vary strategy.convert_month_step=1:2:3", "is not a whole number", 3},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cli_run(&R, cases[i].args);
    CHECK_EQ_I64(R.code, cases[i].code);
    CHECK_CONTAINS(R.err, cases[i].want);
  }
}

int main(void)
{
  wp_init();
  RUN(test_set_equals_file);
  RUN(test_set_refusals);
  RUN(test_sweep_csv);
  RUN(test_sweep_grid);
  RUN(test_sweep_folder);
  RUN(test_sweep_refusals);
  return harness_report();
}
