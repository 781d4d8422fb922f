/* wattpivot plan / scenario: the CLI contract of issue 6, end to end through the binary. */
#include "cli_run.h"

#include <cjson/cJSON.h>
#include <sys/stat.h>

#include "harness.h"
#include "refdata.h"
#include "wattpivot.h"

static cli_result r1, r2;

/* The same scenario hash on every output of plan, risk, sweep and finance (docs/output.md): the
** JSON, meta.json and the reports (the workbook's: tests/xlsx); --set moves it. */
static void test_scenario_hash_on_every_output(void)
{
  CHECK_EQ_I64(cli_run(&r1, "plan --json --no-store")->code, 0);
  cJSON *j = cJSON_Parse(r1.out);
  const cJSON *h = j ? cJSON_GetObjectItem(j, "scenario_hash") : NULL;
  if (!CHECK(cJSON_IsString(h) && strlen(h->valuestring) == 16)) {
    cJSON_Delete(j);
    return;
  }
  char hash[17];
  snprintf(hash, sizeof hash, "%s", h->valuestring);
  CHECK(cJSON_IsString(cJSON_GetObjectItem(j, "wattpivot_version")));
  cJSON_Delete(j);
  char script[2048];
  snprintf(
      script, sizeof script,
      "d=$(mktemp -d) && cd $d && "
      "@WP plan --no-store --out p >/dev/null && "
      "@WP risk --no-store --paths 50 --quiet --out r --json > r.json && "
      "@WP sweep --vary market.btc_price_usd=80000:100000:2 --quiet --out s --json > s.json && "
      "for f in p/summary.json p/meta.json p/report.html r.json r/meta.json r/report.html "
      "s.json s/meta.json s/report.html; do grep -q %s $f || echo \"missing in $f\"; done; "
      "grep -q created_utc p/meta.json || echo 'no date in meta.json'; "
      "grep -q ', run 20' p/report.html || echo 'no date in report.html'; "
      "@WP plan --no-store --json --set market.btc_price_usd=90000 | grep -q %s && "
      "echo '--set kept the hash'; "
      "@WP finance --pathway colo --grid-mw 10 --json | grep -q '\"scenario_hash\"' || "
      "echo 'missing in finance'; cd / && rm -rf $d",
      hash, hash);
  cli_shell(&r2, script);
  CHECK_EQ_I64(r2.code, 0);
  if (!CHECK(strcmp(r2.out, "") == 0)) fprintf(stderr, "%s\n%s\n", r2.out, r2.err);
}

static void test_json_contract_and_determinism(void)
{
  CHECK_EQ_I64(cli_run(&r1, "plan --json --no-store")->code, 0);
  CHECK_EQ_I64(cli_run(&r2, "plan --json --no-store")->code, 0);
  CHECK(strcmp(r1.out, r2.out) == 0); /* the same input gives byte-identical JSON */
  cJSON *j = cJSON_Parse(r1.out);
  if (!CHECK(j != NULL)) return;
  CHECK(cJSON_IsString(cJSON_GetObjectItem(j, "scenario")));
  cJSON *strategies = cJSON_GetObjectItem(j, "strategies");
  CHECK_EQ_I64(cJSON_GetArraySize(strategies), 4);
  static const char *skeys[] = {"name",         "npv_usd",      "irr",          "peak_funding_usd",
                                "min_cash_usd", "ai_it_mw_end", "mining_mw_end", "sites"};
  static const char *sitekeys[] = {"name",           "decision",          "convert_month",
                                   "converted_grid_mw", "npv_usd",        "reason"};
  cJSON *s;
  cJSON_ArrayForEach(s, strategies)
  {
    for (size_t k = 0; k < sizeof skeys / sizeof skeys[0]; k++)
      CHECK(cJSON_GetObjectItem(s, skeys[k]) != NULL);
    cJSON *site;
    CHECK_EQ_I64(cJSON_GetArraySize(cJSON_GetObjectItem(s, "sites")), 14);
    cJSON_ArrayForEach(site, cJSON_GetObjectItem(s, "sites"))
    for (size_t k = 0; k < sizeof sitekeys / sizeof sitekeys[0]; k++)
      CHECK(cJSON_GetObjectItem(site, sitekeys[k]) != NULL);
  }
  cJSON_Delete(j);
  CHECK_EQ_I64(cli_run(&r2, "plan --json --no-store --strategy hybrid")->code, 0);
  j = cJSON_Parse(r2.out);
  CHECK(j && cJSON_GetArraySize(cJSON_GetObjectItem(j, "strategies")) == 1);
  cJSON_Delete(j);
}

static void test_init_file_plans_like_the_default(void)
{
  char dir[] = "/tmp/wp_plan_cli_XXXXXX", cmd[512];
  if (!CHECK(mkdtemp(dir) != NULL)) return;
  snprintf(cmd, sizeof cmd, "scenario init %s/s.yaml", dir);
  CHECK_EQ_I64(cli_run(&r1, cmd)->code, 0);
  CHECK_EQ_I64(cli_run(&r1, cmd)->code, 3); /* refuses to overwrite */
  CHECK_CONTAINS(r1.err, "--force");
  snprintf(cmd, sizeof cmd, "scenario validate %s/s.yaml", dir);
  CHECK_EQ_I64(cli_run(&r1, cmd)->code, 0);
  CHECK_CONTAINS(r1.out, "valid");
  snprintf(cmd, sizeof cmd, "plan %s/s.yaml --json --no-store", dir);
  CHECK_EQ_I64(cli_run(&r1, cmd)->code, 0);
  CHECK_EQ_I64(cli_run(&r2, "plan --json --no-store")->code, 0);
  CHECK(strcmp(r1.out, r2.out) == 0);
  /* Output folder and results store. */
  snprintf(cmd, sizeof cmd, "plan --out %s/out --db %s/runs.db", dir, dir);
  CHECK_EQ_I64(cli_run(&r1, cmd)->code, 0);
  CHECK_CONTAINS(r1.out, "Stored as run 1");
  static const char *files[] = {"summary.json", "sites.csv", "ledger.csv", "report.html"};
  for (size_t i = 0; i < 4; i++) {
    char path[600];
    struct stat st;
    snprintf(path, sizeof path, "%s/out/%s", dir, files[i]);
    CHECK(stat(path, &st) == 0 && st.st_size > 100);
  }
  { /* The hashprice path in the ledger and the report (issue 16): the default's first row ends
       with the Nov-2025 BTC price and hashprice ($39.818, docs/model/market.md §4). */
    char path[600];
    snprintf(path, sizeof path, "%s/out/ledger.csv", dir);
    char *text = ref_read_file(path);
    if (CHECK(text != NULL)) {
      CHECK_CONTAINS(text, ",btc_price_usd,hashprice_usd_per_ph_day\n");
      CHECK_CONTAINS(text, ",96532,39.818104968055124\n");
      free(text);
    }
    snprintf(path, sizeof path, "%s/out/report.html", dir);
    text = ref_read_file(path);
    if (CHECK(text != NULL)) {
      CHECK_CONTAINS(text, "Hashprice");
      CHECK_CONTAINS(text, "USD/PH/day");
      free(text);
    }
  }
  snprintf(cmd, sizeof cmd, "runs list --db %s/runs.db --json", dir);
  CHECK_EQ_I64(cli_run(&r1, cmd)->code, 0);
  CHECK_CONTAINS(r1.out, "built-in default");
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
}

static void test_malformed_scenarios(void)
{
  char dir[] = "/tmp/wp_plan_bad_XXXXXX", path[256], cmd[512];
  if (!CHECK(mkdtemp(dir) != NULL)) return;
  snprintf(path, sizeof path, "%s/bad.yaml", dir);
  FILE *f = fopen(path, "w");
  if (!CHECK(f != NULL)) return;
  fputs("scenario:\n  name: bad\ncountries:\n  - {name: Norway, tax_rate: 0.22}\n"
        "sites:\n  - name: A\n    country: Norway\n    grid_mw: lots\n",
        f);
  fclose(f);
  snprintf(cmd, sizeof cmd, "plan %s --no-store", path);
  CHECK_EQ_I64(cli_run(&r1, cmd)->code, 3);
  CHECK_CONTAINS(r1.err, "bad.yaml:8:14:");
  CHECK_CONTAINS(r1.err, "sites[0].grid_mw");
  CHECK_CONTAINS(r1.err, "'lots' is not a number");
  snprintf(cmd, sizeof cmd, "scenario validate %s", path);
  CHECK_EQ_I64(cli_run(&r1, cmd)->code, 3);
  CHECK_EQ_I64(cli_run(&r1, "plan /nonexistent.yaml --no-store")->code, 3);
  CHECK_CONTAINS(r1.err, "/nonexistent.yaml");
  CHECK_EQ_I64(cli_run(&r1, "plan --strategy yolo --no-store")->code, 3);
  CHECK_CONTAINS(r1.err, "mining-only");
  CHECK_EQ_I64(cli_run(&r1, "plan a.yaml b.yaml")->code, 2);
  CHECK_EQ_I64(cli_run(&r1, "plan --db x.db --no-store")->code, 2);
  CHECK_EQ_I64(cli_run(&r1, "scenario frobnicate")->code, 2);
  CHECK_EQ_I64(cli_run(&r1, "plan --help")->code, 0);
  CHECK_CONTAINS(r1.out, "--strategy");
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
}

/* A plan says how far it is on stderr (after each second; WATTPIVOT_PROGRESS_SECONDS=0: at
** every step, however short the run), unless --quiet (or --json); a bad interval is said once. */
static void test_progress(void)
{
  CHECK_EQ_I64(
      cli_shell(&r1, "WATTPIVOT_PROGRESS_SECONDS=0 @WP plan --no-store --strategy hybrid")->code,
      0);
  CHECK_CONTAINS(r1.err, "plan: 1/1 plans (100%), ");
  CHECK_CONTAINS(r1.err, ", ETA 0 s\n");
  CHECK_CONTAINS(r1.out, "hybrid");
  CHECK_EQ_I64(
      cli_shell(&r1, "WATTPIVOT_PROGRESS_SECONDS=0 @WP plan --no-store --strategy hybrid --quiet")
          ->code,
      0);
  if (!CHECK(r1.err[0] == '\0')) fprintf(stderr, "stderr: %s\n", r1.err);
  CHECK_CONTAINS(r1.out, "hybrid");
  CHECK_EQ_I64(cli_shell(&r1, "WATTPIVOT_PROGRESS_SECONDS=-1 @WP plan --no-store --strategy "
                              "mining-only")
                   ->code,
               0);
  CHECK_CONTAINS(r1.err, "WATTPIVOT_PROGRESS_SECONDS='-1' is out of range; accepted [0, "
                         "3600] s; progress every 1 s\n");
  CHECK(strstr(strstr(r1.err, "WATTPIVOT") + 1, "WATTPIVOT") == NULL); /* said once */
  CHECK_EQ_I64(cli_shell(&r1, "WATTPIVOT_PROGRESS_SECONDS=soon @WP plan --no-store --strategy "
                              "mining-only")
                   ->code,
               0);
  CHECK_CONTAINS(r1.err, "WATTPIVOT_PROGRESS_SECONDS='soon' is not a number; accepted [0, "
                         "3600] s; progress every 1 s\n");
}

static void test_scenario_show(void)
{
  CHECK_EQ_I64(cli_run(&r1, "scenario show --json")->code, 0);
  cJSON *j = cJSON_Parse(r1.out);
  if (CHECK(j != NULL)) {
    CHECK_EQ_I64(cJSON_GetArraySize(cJSON_GetObjectItem(j, "sites")), 14);
    CHECK_REL(cJSON_GetObjectItem(j, "grid_mw_total")->valuedouble, 3038.0, 0);
  }
  cJSON_Delete(j);
  CHECK_EQ_I64(cli_run(&r1, "scenario show")->code, 0);
  CHECK_CONTAINS(r1.out, "Tydal");
}

int main(void)
{
  RUN(test_json_contract_and_determinism);
  RUN(test_scenario_hash_on_every_output);
  RUN(test_init_file_plans_like_the_default);
  RUN(test_malformed_scenarios);
  RUN(test_scenario_show);
  RUN(test_progress);
  return harness_report();
}
