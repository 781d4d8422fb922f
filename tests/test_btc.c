/* btc module: Bitcoin Core's own vectors (tests/data/btc_vectors.csv) and the CLI contract. */
#include "cli_run.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "harness.h"
#include "json_check.h"
#include "refdata.h"
#include "wattpivot.h"

static void test_reference_vectors(void)
{
  FILE *f = ref_open("btc_vectors.csv");
  if (!CHECK(f != NULL)) return;
  char line[512], *fld[REF_MAX_FIELDS];
  int rows = 0;
  while (ref_next(f, line, sizeof line, fld) == 4) {
    const char *kind = fld[0];
    double tol = strtod(fld[3], NULL);
    rows++;
    if (strcmp(kind, "subsidy") == 0) {
      CHECK_EQ_I64(wp_btc_subsidy_sat(strtoll(fld[1], NULL, 10)), strtoll(fld[2], NULL, 10));
    } else if (strcmp(kind, "supply") == 0) {
      CHECK_EQ_I64(wp_btc_total_supply_sat(), strtoll(fld[2], NULL, 10));
    } else if (strcmp(kind, "nbits") == 0) {
      double d = 0;
      CHECK(wp_btc_difficulty_from_nbits((uint32_t)strtoul(fld[1], NULL, 16), &d, NULL) == WP_OK);
      CHECK_REL(d, strtod(fld[2], NULL), tol);
    } else if (strcmp(kind, "retarget") == 0) {
      double nd = 0, factor = 0;
      CHECK(wp_btc_retarget(2.0, strtod(fld[1], NULL), &nd, &factor, NULL) == WP_OK);
      CHECK_REL(factor, strtod(fld[2], NULL), tol);
      CHECK_REL(nd, 2.0 * strtod(fld[2], NULL), tol);
    } else if (strcmp(kind, "hashrate_ehs") == 0) {
      CHECK_REL(wp_btc_hashrate_hs(strtod(fld[1], NULL)) / 1e18, strtod(fld[2], NULL), tol);
    } else {
      CHECK(!"unknown kind in btc_vectors.csv");
    }
  }
  fclose(f);
  CHECK(rows >= 30);
}

static void test_supply_by_brute_force(void)
{
  /* Core's subsidy_limit_test: heights 0..14,000,000 in steps of 1000, each worth 1000. */
  int64_t sum = 0;
  for (int64_t h = 0; h < 14000000; h += 1000) sum += wp_btc_subsidy_sat(h) * 1000;
  CHECK_EQ_I64(sum, 2099999997690000LL);
}

static void test_halvings(void)
{
  CHECK_EQ_I64(wp_btc_halvings(839999), 3);
  CHECK_EQ_I64(wp_btc_halvings(840000), 4);
  CHECK_EQ_I64(wp_btc_next_halving_height(923000), 1050000);
  CHECK_EQ_I64(wp_btc_next_halving_height(1050000), 1260000);
  CHECK_EQ_I64(wp_btc_next_halving_height(6929999), 6930000);
  CHECK_EQ_I64(wp_btc_next_halving_height(6930000), -1); /* subsidy already 0 */
  CHECK_EQ_I64(wp_btc_subsidy_sat(-1), -1);
  /* The DefiLlama bug class: a linear divide gives 12.5 or 16.67 BTC at 630,000. */
  CHECK_EQ_I64(wp_btc_subsidy_sat(630000), 625000000);
}

static void test_difficulty_hashrate_round_trip(void)
{
  double d = 153.33e12;
  CHECK_REL(wp_btc_difficulty_for_hashrate(wp_btc_hashrate_hs(d)), d, 1e-15);
  CHECK_REL(wp_btc_epoch_timespan_s(600), 1209000.0, 0);
  double nd = 0, f = 0;
  CHECK(wp_btc_retarget(1.0, wp_btc_epoch_timespan_s(600), &nd, &f, NULL) == WP_OK);
  CHECK_REL(f - 1.0, 0.000496277915633, 1e-9); /* +0.0496% per epoch at exactly 600 s */
}

static void test_refusals(void)
{
  wp_error err = WP_ERROR_INIT;
  double d = 0, f = 0;
  CHECK(wp_btc_retarget(0.0, 1e6, &d, &f, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "difficulty");
  CHECK(wp_btc_retarget(1.0, -5, &d, &f, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "timespan");
  CHECK(wp_btc_retarget(NAN, 1e6, &d, &f, &err) == WP_EINVAL);
  CHECK(wp_btc_difficulty_from_nbits(0x1d000000u, &d, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "mantissa");
  CHECK(wp_btc_difficulty_from_nbits(0x1d800001u, &d, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "sign");
}

static void test_height_after_days(void)
{
  CHECK_EQ_I64(wp_btc_height_after_days(840000, 1.0), 840144);
  CHECK_EQ_I64(wp_btc_height_after_days(100, -10.0), 0);
}

static void test_cli_contract(void)
{
  static cli_result r;
  cJSON *j;
  CHECK_EQ_I64(cli_run(&r, "btc subsidy --height 840000 --json")->code, 0);
  j = json_of(&r);
  CHECK_EQ_I64(json_num(j, "height"), 840000);
  CHECK_EQ_I64(json_num(j, "subsidy_sat"), 312500000);
  CHECK_EQ_I64(json_num(j, "halvings"), 4);
  CHECK_EQ_I64(json_num(j, "next_halving_height"), 1050000);
  cJSON_Delete(j);

  CHECK_EQ_I64(cli_run(&r, "btc supply --json")->code, 0);
  CHECK_CONTAINS(r.out, "\"total_supply_sat\":\t2099999997690000");

  CHECK_EQ_I64(cli_run(&r, "btc hashrate --difficulty 153.33e12 --json")->code, 0);
  j = json_of(&r);
  CHECK_REL(json_num(j, "hashrate_ehs"), 1097.6, 1e-4);
  CHECK_REL(json_num(j, "difficulty"), 153.33e12, 1e-15);
  cJSON_Delete(j);

  CHECK_EQ_I64(cli_run(&r, "btc retarget --difficulty 100 --timespan-s 151200 --json")->code, 0);
  j = json_of(&r);
  CHECK_REL(json_num(j, "factor"), 4.0, 0);
  CHECK_REL(json_num(j, "new_difficulty"), 400.0, 0);
  cJSON_Delete(j);

  CHECK_EQ_I64(cli_run(&r, "btc nbits --bits 0x1b0404cb --json")->code, 0);
  j = json_of(&r);
  CHECK_REL(json_num(j, "difficulty"), 16307.420938523983, 1e-15);
  cJSON_Delete(j);
}

static void test_cli_errors(void)
{
  static cli_result r;
  CHECK_EQ_I64(cli_run(&r, "btc subsidy --height 2147483648")->code, 3);
  CHECK_CONTAINS(r.err, "--height");
  CHECK_CONTAINS(r.err, "[0, 2147483647]");
  CHECK_EQ_I64(cli_run(&r, "btc subsidy --height abc")->code, 3);
  CHECK_CONTAINS(r.err, "not a whole number");
  CHECK_EQ_I64(cli_run(&r, "btc subsidy")->code, 2);
  CHECK_EQ_I64(cli_run(&r, "btc subsidy --bogus 1")->code, 2);
  CHECK_EQ_I64(cli_run(&r, "btc frobnicate")->code, 2);
  CHECK_EQ_I64(cli_run(&r, "btc hashrate --difficulty -1")->code, 3);
  CHECK_EQ_I64(cli_run(&r, "btc hashrate --difficulty nan")->code, 3);
  CHECK_EQ_I64(cli_run(&r, "btc nbits --bits 0xzz")->code, 3);
  CHECK_EQ_I64(cli_run(&r, "btc nbits --bits 0x1d000000")->code, 3);
  CHECK_CONTAINS(r.err, "mantissa");
  CHECK_EQ_I64(cli_run(&r, "btc subsidy --help")->code, 0);
  CHECK_CONTAINS(r.out, "--height");
  CHECK_EQ_I64(cli_run(&r, "nosuchcommand")->code, 2);
}

int main(void)
{
  wp_init();
  RUN(test_reference_vectors);
  RUN(test_supply_by_brute_force);
  RUN(test_halvings);
  RUN(test_difficulty_hashrate_round_trip);
  RUN(test_refusals);
  RUN(test_height_after_days);
  RUN(test_cli_contract);
  RUN(test_cli_errors);
  return harness_report();
}
