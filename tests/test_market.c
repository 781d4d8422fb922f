/* market module: the deterministic path against hand computations, the halving month, the
** published Nov-2025 hashprice, and the refusals. Every expected number below is worked out
** in the comment next to it (by hand / a calculator, not by calling the library). */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "wattpivot.h"

static const wp_ym NOV_2025 = {2025, 11};

/* A path from 2025-11 (the default anchor month) over 48 months with the defaults. */
static int fill_default(wp_market_path *p, size_t months)
{
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_market_path_init(p, months, &err) == WP_OK)) return 0;
  return CHECK(wp_market_path_fill_deterministic(p, NOV_2025, &a, &err) == WP_OK);
}

static void test_month0_equals_assumptions(void)
{
  wp_market_path p = WP_MARKET_PATH_INIT;
  if (!fill_default(&p, 48)) goto done;
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  CHECK_EQ_I64(p.months, 48);
  CHECK_EQ_I64(p.start.year, 2025);
  CHECK_EQ_I64(p.start.month, 11);
  CHECK_REL(p.btc_price_usd[0], a.btc_price_usd, 1e-15);
  CHECK_REL(p.difficulty[0], a.difficulty, 1e-15);
  CHECK_REL(p.fees_btc_per_block[0], a.fees_btc_per_block, 1e-15);
  CHECK_REL(p.gpu_usd_per_hour[0], a.gpu_usd_per_hour, 1e-15);
  CHECK_REL(p.power_usd_per_mwh[0], a.power_usd_per_mwh, 1e-15);
  CHECK_REL(p.colo_usd_per_kw_month[0], a.colo_usd_per_kw_month, 1e-15);
  /* The anchor month's mid-month height is the anchor itself. */
  CHECK_EQ_I64(p.height_mid[0], a.anchor_height);
  CHECK_EQ_I64(p.days[0], 30);
  CHECK_EQ_I64(p.days[1], 31);
  CHECK_REL(p.subsidy_btc[0], 3.125, 1e-15);
done:
  wp_market_path_release(&p);
}

static void test_growth_compounds_monthly(void)
{
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  a.btc_price_growth_per_yr = 0.10;
  a.fees_growth_per_yr = -0.5;
  wp_market_path p = WP_MARKET_PATH_INIT;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_market_path_init(&p, 30, &err) == WP_OK)) return;
  if (!CHECK(wp_market_path_fill_deterministic(&p, (wp_ym){2026, 1}, &a, &err) == WP_OK)) goto done;
  /* Month 12: exactly one year of each rate. */
  CHECK_REL(p.difficulty[12], 153.33e12 * 1.35, 1e-12);  /* 206.9955e12 */
  CHECK_REL(p.btc_price_usd[12], 96532.0 * 1.10, 1e-12); /* 106,185.2 */
  CHECK_REL(p.fees_btc_per_block[12], 0.0095, 1e-12);    /* 0.019 × 0.5 */
  CHECK_REL(p.power_usd_per_mwh[12], 38.76, 1e-12);      /* 38 × 1.02 */
  CHECK_REL(p.colo_usd_per_kw_month[12], 157.85, 1e-12); /* 154 × 1.025 */
  /* Month 6: half a year is the square root of the annual factor: 1.35^0.5 = 1.161895. */
  CHECK_REL(p.difficulty[6], 153.33e12 * 1.1618950038622251, 1e-12);
  /* Month 24: two years. 1.35^2 = 1.8225. */
  CHECK_REL(p.difficulty[24], 153.33e12 * 1.8225, 1e-12);
  CHECK_REL(wp_market_growth_factor(0.35, 24), 1.8225, 1e-14);
  CHECK_REL(wp_market_growth_factor(0.0, 17), 1.0, 0);
done:
  wp_market_path_release(&p);
}

static void test_gpu_decline_and_floor(void)
{
  wp_market_path p = WP_MARKET_PATH_INIT;
  if (!fill_default(&p, 48)) goto done;
  /* $2.35 × 0.78^(m/12), floor $1.65; the floor binds after ln(1.65/2.35)/ln(0.78) = 1.4233
  ** years = month 17.08. */
  CHECK_REL(p.gpu_usd_per_hour[12], 1.833, 1e-12);              /* 2.35 × 0.78 */
  CHECK_REL(p.gpu_usd_per_hour[17], 1.6527298948344398, 1e-12); /* 2.35 × 0.78^(17/12) */
  CHECK_REL(p.gpu_usd_per_hour[18], 1.65, 0);                   /* 2.35 × 0.78^1.5 = 1.6189 */
  CHECK_REL(p.gpu_usd_per_hour[47], 1.65, 0);
done:
  wp_market_path_release(&p);
}

static void test_halving_month(void)
{
  wp_market_path p = WP_MARKET_PATH_INIT;
  if (!fill_default(&p, 48)) goto done;
  /* Anchor 922,656 on 2025-11-15. 2028-03-01 is 837 days later, 2028-04-01 868, 2028-05-01
  ** 898, 2028-06-01 929 (2028 is a leap year). At 144 blocks/day:
  **   Mar 2028 (month 28): blocks 1,043,184 .. 1,047,648 -> all 3.125 BTC;
  **   Apr 2028 (month 29): blocks 1,047,648 .. 1,051,968 -> 2,352 at 3.125 and 1,968 at 1.5625:
  **     mean = (2352 × 3.125 + 1968 × 1.5625) / 4320 = 10425 / 4320 = 2.4131944...;
  **   May 2028 (month 30): 1,051,968 .. 1,056,432 -> all 1.5625 BTC. */
  CHECK_EQ_I64(p.height_start[28], 1043184);
  CHECK_EQ_I64(p.height_start[29], 1047648);
  CHECK_EQ_I64(p.height_start[30], 1051968);
  CHECK_EQ_I64(p.height_mid[29], 1049664); /* 1,047,648 + 14 × 144: still before the halving */
  CHECK_REL(p.subsidy_btc[28], 3.125, 0);
  CHECK_REL(p.subsidy_btc[29], 10425.0 / 4320.0, 1e-15);
  CHECK_REL(p.subsidy_btc[30], 1.5625, 0);
  CHECK_REL(p.subsidy_btc[30] / p.subsidy_btc[28], 0.5, 0);
  /* Hashprice carries it: HP_BTC(May)/HP_BTC(Mar) = (1.5625 + 0.019)/(3.125 + 0.019) / 1.35^(2/12)
  ** = 0.503021 / 1.051289 = 0.478481. */
  double want = (1.5625 + 0.019) / (3.125 + 0.019) / pow(1.35, 2.0 / 12.0);
  CHECK_REL(p.hashprice_btc_per_ph_day[30] / p.hashprice_btc_per_ph_day[28], want, 1e-12);
  CHECK_REL(want, 0.4784806, 1e-6);
done:
  wp_market_path_release(&p);
}

static void test_hashprice_matches_luxor_nov_2025(void)
{
  wp_market_path p = WP_MARKET_PATH_INIT;
  if (!fill_default(&p, 1)) goto done;
  /* (3.125 + 0.019) × 86400e15 / (153.33e12 × 2^32) = 0.000412486 BTC/PH/day; × $96,532 =
  ** $39.8181. Published (Luxor Nov-2025 lookback, docs/sources/mining.md §2.3 H1): $39.82. */
  CHECK_REL(p.hashprice_btc_per_ph_day[0], 0.00041248606646557745, 1e-9);
  CHECK_REL(p.hashprice_usd_per_ph_day[0], 39.82, 0.01);
  wp_market_month mm;
  CHECK(wp_market_path_month(&p, 0, &mm, NULL) == WP_OK);
  CHECK_REL(mm.hashprice_usd_per_ph_day, p.hashprice_usd_per_ph_day[0], 0);
  CHECK_EQ_I64(mm.ym.year, 2025);
  CHECK_EQ_I64(mm.days, 30);
done:
  wp_market_path_release(&p);
}

/* The risk engine writes drivers itself and re-derives hashprice. */
static void test_caller_written_drivers(void)
{
  wp_market_path p = WP_MARKET_PATH_INIT;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_market_path_init(&p, 3, &err) == WP_OK)) return;
  CHECK(wp_market_path_fill_calendar(&p, NOV_2025, 922656, NOV_2025, &err) == WP_OK);
  for (size_t m = 0; m < 3; m++) {
    p.btc_price_usd[m] = 50000.0 * (double)(m + 1);
    p.difficulty[m] = 100e12;
    p.fees_btc_per_block[m] = 0.0;
  }
  CHECK(wp_market_path_update_hashprice(&p, &err) == WP_OK);
  /* 3.125 × 86400e15 / (100e12 × 2^32) = 0.000628643 BTC/PH/day; × $100,000 = $62.8643. */
  CHECK_REL(p.hashprice_btc_per_ph_day[1], 3.125 * 86400e15 / (100e12 * 4294967296.0), 1e-15);
  CHECK_REL(p.hashprice_usd_per_ph_day[1], 62.864274, 1e-7);
  p.difficulty[2] = 0.0;
  CHECK(wp_market_path_update_hashprice(&p, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "month 2");
  wp_market_path_release(&p);
}

/* User series over a filled path (market_file:): the months covered take the series' values in
** the documented order, hashprice recomputed from the overridden drivers, hashprice overrides
** last; the months outside stay the parametric path's, bit for bit. */
static void test_series_overrides(void)
{
  wp_market_path p = WP_MARKET_PATH_INIT, q = WP_MARKET_PATH_INIT;
  wp_market_series s = WP_MARKET_SERIES_INIT;
  wp_error err = WP_ERROR_INIT;
  if (!fill_default(&p, 4) || !fill_default(&q, 4)) return;
  if (!CHECK(wp_market_series_init(&s, (wp_ym){2025, 12}, 2, &err) == WP_OK)) return;
  CHECK(isnan(s.btc_price_usd[0]) && isnan(s.colo_usd_per_kw_month[1]));
  CHECK_EQ_I64(wp_market_series_row(&s, NOV_2025), -1);
  s.btc_price_usd[0] = 100000.0; /* Dec 2025 = path month 1 */
  s.difficulty[0] = 100e12;
  s.fees_btc_per_block[0] = 0.0;
  s.power_usd_per_mwh[0] = 55.0;
  s.difficulty[1] = 1e12;               /* Jan 2026: a difficulty and a hashprice given: */
  s.hashprice_usd_per_ph_day[1] = 50.0; /* the hashprice wins (applied last) */
  CHECK(wp_market_path_apply_series(&p, &s, &err) == WP_OK);
  /* Dec 2025 subsidy 3.125: 3.125 × 86400e15 / (100e12 × 2^32) BTC/PH/day × $100,000 = $62.8643 */
  CHECK_REL(p.hashprice_btc_per_ph_day[1], 3.125 * 86400e15 / (100e12 * 4294967296.0), 1e-15);
  CHECK_REL(p.hashprice_usd_per_ph_day[1], 62.864274, 1e-7);
  CHECK_REL(p.power_usd_per_mwh[1], 55.0, 0);
  CHECK_REL(p.gpu_usd_per_hour[1], q.gpu_usd_per_hour[1], 0); /* not given: parametric */
  CHECK_REL(p.difficulty[2], 1e12, 0);
  CHECK_REL(p.hashprice_usd_per_ph_day[2], 50.0, 0);
  CHECK_REL(p.hashprice_btc_per_ph_day[2], 50.0 / 96532.0, 1e-15); /* usd / the path's price */
  for (size_t m = 0; m < 4; m += 3) { /* Nov 2025 and Feb 2026: outside the series */
    CHECK(memcmp(&p.hashprice_usd_per_ph_day[m], &q.hashprice_usd_per_ph_day[m], 8) == 0);
    CHECK(memcmp(&p.btc_price_usd[m], &q.btc_price_usd[m], 8) == 0);
    CHECK(memcmp(&p.power_usd_per_mwh[m], &q.power_usd_per_mwh[m], 8) == 0);
  }
  s.hashprice_usd_per_ph_day[1] = -1.0;
  CHECK(wp_market_path_apply_series(&p, &s, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "month 2");
  wp_market_series_release(&s);
  CHECK(wp_market_path_apply_series(&p, &s, &err) == WP_EINVAL);
  CHECK(wp_market_series_init(&s, NOV_2025, 0, &err) == WP_EINVAL);
  wp_market_path_release(&p);
  wp_market_path_release(&q);
}

static void test_refusals(void)
{
  wp_error err = WP_ERROR_INIT;
  wp_market_path p = WP_MARKET_PATH_INIT;
  CHECK(wp_market_path_init(&p, 0, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "months 0");
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  /* Not initialized. */
  CHECK(wp_market_path_fill_deterministic(&p, NOV_2025, &a, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "not initialized");
  if (!CHECK(wp_market_path_init(&p, 12, &err) == WP_OK)) return;
  a.btc_price_usd = -5;
  CHECK(wp_market_path_fill_deterministic(&p, NOV_2025, &a, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "btc_price_usd -5");
  a = (wp_market_assumptions)WP_MARKET_ASSUMPTIONS_DEFAULT;
  a.gpu_decline_per_yr = 1.0;
  CHECK(wp_market_path_fill_deterministic(&p, NOV_2025, &a, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "gpu_decline_per_yr");
  a = (wp_market_assumptions)WP_MARKET_ASSUMPTIONS_DEFAULT;
  a.difficulty_growth_per_yr = NAN;
  CHECK(wp_market_path_fill_deterministic(&p, NOV_2025, &a, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "difficulty_growth_per_yr");
  a = (wp_market_assumptions)WP_MARKET_ASSUMPTIONS_DEFAULT;
  a.anchor_ym.month = 13;
  CHECK(wp_market_path_fill_deterministic(&p, NOV_2025, &a, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "anchor month");
  a = (wp_market_assumptions)WP_MARKET_ASSUMPTIONS_DEFAULT;
  CHECK(wp_market_path_fill_deterministic(&p, (wp_ym){9999, 6}, &a, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "9999-06");
  CHECK(wp_market_path_fill_deterministic(&p, NOV_2025, &a, &err) == WP_OK);
  wp_market_month mm;
  CHECK(wp_market_path_month(&p, 12, &mm, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "[0, 11]");
  wp_market_path_release(&p);
  wp_market_path_release(&p); /* twice is a no-op */
  wp_market_path_release(NULL);
  CHECK(p.months == 0 && p.btc_price_usd == NULL);
}

int main(void)
{
  RUN(test_month0_equals_assumptions);
  RUN(test_growth_compounds_monthly);
  RUN(test_gpu_decline_and_floor);
  RUN(test_halving_month);
  RUN(test_hashprice_matches_luxor_nov_2025);
  RUN(test_caller_written_drivers);
  RUN(test_series_overrides);
  RUN(test_refusals);
  return harness_report();
}
