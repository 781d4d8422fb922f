/* mining module: published hashprice and revenue-per-MWh values, ASIC catalog, CLI contract. */
#include "cli_run.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "harness.h"
#include "json_check.h"
#include "refdata.h"
#include "wattpivot.h"

static void test_published_hashprice(void)
{
  FILE *f = ref_open("hashprice_published.csv");
  if (!CHECK(f != NULL)) return;
  char line[512], *fld[REF_MAX_FIELDS];
  int rows = 0;
  while (ref_next(f, line, sizeof line, fld) == 8) {
    double d = strtod(fld[1], NULL), reward = strtod(fld[2], NULL), p = strtod(fld[3], NULL);
    double tol = strtod(fld[6], NULL);
    double hp_btc = wp_mining_hashprice_btc_per_ph_day(reward, d);
    CHECK_REL(hp_btc * p, strtod(fld[4], NULL), tol);
    if (strcmp(fld[5], "-") != 0) CHECK_REL(hp_btc, strtod(fld[5], NULL), 0.01);
    rows++;
  }
  fclose(f);
  CHECK_EQ_I64(rows, 4);
}

static void test_published_revenue_per_mwh(void)
{
  FILE *f = ref_open("revenue_per_mwh_published.csv");
  if (!CHECK(f != NULL)) return;
  char line[256], *fld[REF_MAX_FIELDS];
  int rows = 0;
  while (ref_next(f, line, sizeof line, fld) == 4) {
    double got = wp_mining_revenue_usd_per_mwh(strtod(fld[0], NULL), strtod(fld[1], NULL));
    CHECK_ABS(got, strtod(fld[2], NULL), 0.05);             /* the recomputed value */
    CHECK_REL(got, strtod(fld[3], NULL), 0.01);             /* the published tier, within 1% */
    rows++;
  }
  fclose(f);
  CHECK_EQ_I64(rows, 3);
}

static void test_evaluate_default_network(void)
{
  wp_mining_inputs in = WP_MINING_INPUTS_DEFAULT;
  wp_mining_result r;
  CHECK(wp_mining_evaluate(&in, &r, NULL) == WP_OK);
  /* Luxor's November-2025 average: 0.00041249 BTC and $39.82 per PH/s per day. */
  CHECK_REL(r.hashprice_btc_per_ph_day, 0.00041249, 1e-4);
  CHECK_ABS(r.hashprice_usd_per_ph_day, 39.82, 0.005);
  CHECK_REL(r.ths_per_mw, 74074.074, 1e-6); /* 1 MW of 13.5 J/TH = 74,074 TH/s */
  /* Hand computation: revenue/day = 74.074 PH * 39.8181 $/PH/day * 0.97 = 2,861.00;
     power/day = 24 h * 0.97 * $38 = 884.64; margin = 1,976.36. */
  CHECK_ABS(r.revenue_usd_per_mw_day, 2861.00, 0.01);
  CHECK_ABS(r.power_usd_per_mw_day, 884.64, 1e-9);
  CHECK_ABS(r.margin_usd_per_mw_day, 1976.36, 0.01);
  CHECK_REL(r.breakeven_power_usd_per_mwh, 39.818105 / (0.024 * 13.5), 1e-6);
  /* At the break-even price the margin is zero, whatever the uptime and pool fee. */
  in.pool_fee = 0.02;
  in.pue = 1.05;
  in.uptime = 0.9;
  CHECK(wp_mining_evaluate(&in, &r, NULL) == WP_OK);
  in.power_usd_per_mwh = r.breakeven_power_usd_per_mwh;
  CHECK(wp_mining_evaluate(&in, &r, NULL) == WP_OK);
  CHECK_ABS(r.margin_usd_per_mw_day, 0.0, 1e-9);
}

/* docs/sources/mining.md §6 "mining comparator": 1 MW of S21 XP at hashprice $40/PH/day and
** $40/MWh power -> revenue $1.08M/yr, power $0.35M/yr, gross margin $0.73M/yr. */
static void test_mining_comparator_from_research(void)
{
  wp_mining_inputs in = WP_MINING_INPUTS_DEFAULT;
  in.uptime = 1.0;
  in.power_usd_per_mwh = 40.0;
  /* The BTC price that makes the default network's hashprice exactly $40/PH/day. */
  in.btc_price_usd = 40.0 / wp_mining_hashprice_btc_per_ph_day(
                                wp_mining_reward_btc_per_block(in.height, in.fees_btc_per_block),
                                in.difficulty);
  wp_mining_result r;
  CHECK(wp_mining_evaluate(&in, &r, NULL) == WP_OK);
  CHECK_REL(r.hashprice_usd_per_ph_day, 40.0, 1e-12);
  CHECK_REL(r.revenue_usd_per_mw_day * 365 / 1e6, 1.08, 0.005);
  CHECK_REL(r.power_usd_per_mw_day * 365 / 1e6, 0.35, 0.005);
  CHECK_REL(r.margin_usd_per_mw_day * 365 / 1e6, 0.73, 0.005);
}

static void test_halving_halves_hashprice(void)
{
  double before = wp_mining_hashprice_btc_per_ph_day(
      wp_mining_reward_btc_per_block(1049999, 0.0), 150e12);
  double after = wp_mining_hashprice_btc_per_ph_day(
      wp_mining_reward_btc_per_block(1050000, 0.0), 150e12);
  CHECK_REL(after, before / 2, 1e-15);
  CHECK_REL(wp_mining_reward_btc_per_block(1050000, 0.02), 1.5625 + 0.02, 1e-15);
}

static void test_range_errors(void)
{
  static const struct {
    const char *field;
    double bad;
  } cases[] = {{"eff_j_per_th", 0.0}, {"eff_j_per_th", -3.0}, {"uptime", 1.01},
               {"uptime", -0.1},      {"pool_fee", 1.0},    {"pue", 0.9},
               {"difficulty", 0.0},   {"btc_price_usd", -1}, {"power_usd_per_mwh", NAN}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    wp_mining_inputs in = WP_MINING_INPUTS_DEFAULT;
    wp_mining_result r;
    wp_error err = WP_ERROR_INIT;
    double *field = NULL;
    if (strcmp(cases[i].field, "eff_j_per_th") == 0) field = &in.eff_j_per_th;
    if (strcmp(cases[i].field, "uptime") == 0) field = &in.uptime;
    if (strcmp(cases[i].field, "pool_fee") == 0) field = &in.pool_fee;
    if (strcmp(cases[i].field, "pue") == 0) field = &in.pue;
    if (strcmp(cases[i].field, "difficulty") == 0) field = &in.difficulty;
    if (strcmp(cases[i].field, "btc_price_usd") == 0) field = &in.btc_price_usd;
    if (strcmp(cases[i].field, "power_usd_per_mwh") == 0) field = &in.power_usd_per_mwh;
    *field = cases[i].bad;
    CHECK(wp_mining_evaluate(&in, &r, &err) == WP_EINVAL);
    CHECK_CONTAINS(err.msg, cases[i].field);
    CHECK_CONTAINS(err.msg, "accepted");
  }
  wp_mining_inputs in = WP_MINING_INPUTS_DEFAULT;
  wp_mining_result r;
  wp_error err = WP_ERROR_INIT;
  in.height = -1;
  CHECK(wp_mining_evaluate(&in, &r, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "height");
}

static void test_asic_catalog(void)
{
  static const char *required[] = {"s19j-pro", "s19-xp", "s21", "s21-pro", "s21-xp", "s21-xp-hyd",
                                   "s23-hyd", "m60s", "m66s+", "sealminer-a2",
                                   "sealminer-a2-hyd", "avalon-a16", "avalon-a16-xp"};
  for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
    CHECK(wp_asic_find(required[i]) != NULL);
  for (size_t i = 0; i < wp_asic_count(); i++) {
    const wp_asic *a = wp_asic_at(i);
    /* Nameplate power = TH/s * J/TH within the +/-3-5% the makers quote. */
    CHECK_REL(a->watts, a->ths * a->eff_j_per_th, 0.05);
    CHECK(a->source && strlen(a->source) > 10);
    CHECK(wp_asic_find(a->id) == a);
    CHECK(wp_asic_find(a->name) == a);
  }
  CHECK(wp_asic_at(wp_asic_count()) == NULL);
  CHECK(wp_asic_find("Antminer S21 XP Hyd") == wp_asic_find("s21-xp-hyd"));
  CHECK(wp_asic_find("S21XP") == wp_asic_find("s21-xp"));
  CHECK(wp_asic_find("s21 xp") != wp_asic_find("s21-xp-hyd"));
  CHECK(wp_asic_find("nosuch") == NULL);
  CHECK(wp_asic_find("") == NULL);
  CHECK_REL(wp_mining_fleet_capex_usd(wp_mining_ths_per_mw(13.5), 25.70), 1903703.7, 1e-7);
}

static void test_cli_contract(void)
{
  static cli_result r;
  CHECK_EQ_I64(cli_run(&r, "mining --difficulty 153.33e12 --btc-price-usd 96532 --fees-btc 0.019 "
                           "--efficiency-j-th 17 --power-usd-mwh 40 --json")->code, 0);
  cJSON *j = cJSON_Parse(r.out);
  if (CHECK(j != NULL)) {
    static const char *keys[] = {"hashprice_btc_per_ph_day", "hashprice_usd_per_ph_day",
                                 "ths_per_mw", "revenue_usd_per_mwh",
                                 "breakeven_power_usd_per_mwh", "revenue_usd_per_mw_day",
                                 "margin_usd_per_mw_day"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) CHECK(!isnan(json_num(j, keys[i])));
    CHECK_ABS(json_num(j, "hashprice_usd_per_ph_day"), 39.82, 0.005);
    CHECK_REL(json_num(j, "ths_per_mw"), 1e6 / 17, 1e-12);
    CHECK_REL(json_num(j, "revenue_usd_per_mwh"), 39.818105 / (0.024 * 17), 1e-6);
    /* revenue 58.8235 PH * 39.818105 * 0.97 = 2,271.974; power 24 * 0.97 * 40 = 931.2 */
    CHECK_ABS(json_num(j, "margin_usd_per_mw_day"), 2271.974 - 931.2, 0.01);
    cJSON_Delete(j);
  }
  CHECK_EQ_I64(cli_run(&r, "mining --asic 'S21 XP Hyd' --json")->code, 0);
  CHECK_CONTAINS(r.out, "\"eff_j_per_th\":\t12");
  CHECK_EQ_I64(cli_run(&r, "mining")->code, 0);
  CHECK_CONTAINS(r.out, "defaults of the built-in scenario");
  CHECK_CONTAINS(r.out, "$39.82/PH/day");
  CHECK_EQ_I64(cli_run(&r, "mining --list-asics")->code, 0);
  CHECK_CONTAINS(r.out, "sealminer-a2-hyd");
  CHECK_EQ_I64(cli_run(&r, "mining --list-asics --json")->code, 0);
  j = cJSON_Parse(r.out);
  CHECK(j && cJSON_GetArraySize(cJSON_GetObjectItem(j, "asics")) == (int)wp_asic_count());
  cJSON_Delete(j);
}

static void test_cli_refusals(void)
{
  static cli_result r;
  static const struct {
    const char *args;
    int code;
    const char *says;
  } cases[] = {
    {"mining --efficiency-j-th 0", 3, "(0, 1000]"},
    {"mining --efficiency-j-th -5", 3, "--efficiency-j-th"},
    {"mining --uptime 1.2", 3, "[0, 1]"},
    {"mining --uptime x", 3, "not a finite number"},
    {"mining --asic S99", 3, "known: s19j-pro"},
    {"mining --height 2147483648", 3, "--height"},
    {"mining --height 99999999999999999999", 3, "--height"},
    {"mining --pool-fee 1", 3, "[0, 1)"},
    {"mining --asic s21 --efficiency-j-th 17", 2, "not both"},
    {"mining --frobnicate", 2, "unknown option"},
    {"mining --power-usd-mwh", 2, "needs a value"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    CHECK_EQ_I64(cli_run(&r, cases[i].args)->code, cases[i].code);
    CHECK_CONTAINS(r.err, cases[i].says);
  }
}

int main(void)
{
  wp_init();
  RUN(test_published_hashprice);
  RUN(test_published_revenue_per_mwh);
  RUN(test_evaluate_default_network);
  RUN(test_mining_comparator_from_research);
  RUN(test_halving_halves_hashprice);
  RUN(test_range_errors);
  RUN(test_asic_catalog);
  RUN(test_cli_contract);
  RUN(test_cli_refusals);
  return harness_report();
}
