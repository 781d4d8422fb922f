/* market module: the deterministic path against hand computations, the halving month, the
** published Nov-2025 hashprice, and the refusals. Every expected number below is worked out
** in the comment next to it (by hand / a calculator, not by calling the library). */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "wattpivot.h"

static const wp_ym NOV_2025 = {2025, 11};

/* The default hashprice, USD per PH/s-day, at 2026-01, 2028-01, 2030-01, 2035-01, 2040-01 with
** the scenario start 2026-01 (docs/model/market.md §5.4). */
#define HP_2026_01 39.818105
#define HP_2028_01 24.405133
#define HP_2030_01 18.330623
#define HP_2035_01 17.292841
#define HP_2040_01 17.772797

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
  /* The exogenous difficulty option (the default is the equilibrium, tested below). */
  a.difficulty_model = WP_DIFFICULTY_EXOGENOUS;
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
  /* Exogenous difficulty (+35 %/yr), so the hashprice ratio below is a hand computation. */
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  a.difficulty_model = WP_DIFFICULTY_EXOGENOUS;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_market_path_init(&p, 48, &err) == WP_OK)) return;
  if (!CHECK(wp_market_path_fill_deterministic(&p, NOV_2025, &a, &err) == WP_OK)) goto done;
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

/* The network answers a file's prices (docs/model/market.md §4.1, §5.1): with the equilibrium's
** assumptions, a BTC price given for the first year moves difficulty after the deployment lag
** and not before; a difficulty given for a month still wins over the equilibrium's. */
static void test_series_prices_move_the_equilibrium(void)
{
  const size_t M = 60;
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  wp_market_path p = WP_MARKET_PATH_INIT, q = WP_MARKET_PATH_INIT;
  wp_market_series s = WP_MARKET_SERIES_INIT;
  wp_error err = WP_ERROR_INIT;
  CHECK(a.difficulty_model == WP_DIFFICULTY_EQUILIBRIUM);
  if (!fill_default(&p, M) || !fill_default(&q, M)) return;
  if (!CHECK(wp_market_series_init(&s, NOV_2025, 12, &err) == WP_OK)) return;
  for (size_t m = 0; m < 12; m++)
    s.btc_price_usd[m] = 2.0 * a.btc_price_usd;
  s.difficulty[11] = 1e12;
  CHECK(wp_market_path_apply_series(&p, &s, &a, &err) == WP_OK);
  CHECK(memcmp(&p.difficulty[0], &q.difficulty[0], 8) == 0); /* month 0: the start value */
  CHECK(p.difficulty[(size_t)a.deploy_lag_months + 2] >
        q.difficulty[(size_t)a.deploy_lag_months + 2]);
  CHECK_REL(p.difficulty[11], 1e12, 0); /* the file's difficulty wins */
  /* Without the assumptions (NULL) the difficulty stays the path's (an exogenous model's). */
  wp_market_path_release(&p);
  if (!fill_default(&p, M)) return;
  s.difficulty[11] = NAN;
  CHECK(wp_market_path_apply_series(&p, &s, NULL, &err) == WP_OK);
  CHECK(memcmp(p.difficulty, q.difficulty, M * sizeof *p.difficulty) == 0);
  wp_market_series_release(&s);
  wp_market_path_release(&p);
  wp_market_path_release(&q);
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
  CHECK(wp_market_path_apply_series(&p, &s, NULL, &err) == WP_OK);
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
  CHECK(wp_market_path_apply_series(&p, &s, NULL, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "month 2");
  wp_market_series_release(&s);
  CHECK(wp_market_path_apply_series(&p, &s, NULL, &err) == WP_EINVAL);
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

/* ------------------------------------------------------------------ hashprice equilibrium */

/* A 240-month path whose subsidy, price and fees the test writes: 3.125 BTC, $100,000, no fees. */
static int flat_path(wp_market_path *p, size_t months)
{
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_market_path_init(p, months, &err) == WP_OK)) return 0;
  if (!CHECK(wp_market_path_fill_deterministic(p, (wp_ym){2026, 1}, &a, &err) == WP_OK)) return 0;
  for (size_t m = 0; m < months; m++) {
    p->subsidy_btc[m] = 3.125;
    p->btc_price_usd[m] = 100000.0;
    p->fees_btc_per_block[m] = 0.0;
  }
  return 1;
}

/* Marginal fleet 20 J/TH at $50/MWh, no efficiency gain, no escalation:
** cost = 0.024 × 20 × 50 = $24 per PH/s-day in every month. */
static wp_market_assumptions flat_assumptions(void)
{
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  a.difficulty = 100e12;
  a.marginal_j_per_th = 20;
  a.marginal_efficiency_gain_per_yr = 0;
  a.marginal_j_per_th_floor = 1;
  a.marginal_power_usd_per_mwh = 50;
  a.power_escalator_per_yr = 0;
  a.hashrate_response_per_yr = 3;
  a.hashrate_growth_max_per_yr = 5;
  a.hashrate_decline_max_per_yr = 5;
  a.deploy_lag_months = 0;
  return a;
}

/* Constant price and fees: hashrate grows while the margin is positive and stops where
** hashprice meets the marginal cost. By hand, at D = 100e12:
**   HP_BTC = 3.125 × 86400e15 / (100e12 × 2^32) = 3.125 × 2.0116567e-4 = 6.2864274e-4 BTC,
**   HP_USD = $62.864274, margin = 62.864274/24 − 1 = 1.6193447, growth = 3 × 1.6193447 = 4.858034
**   per year (under the cap 5), so D[1] = 100e12 × exp(4.858034/12) = 100e12 × 1.4990569.
** The equilibrium: HP ∝ 1/D, so D* = 100e12 × 62.864274/24 = 261.93447e12. */
static void test_equilibrium_converges_to_cost(void)
{
  wp_market_path p = WP_MARKET_PATH_INIT;
  wp_market_assumptions a = flat_assumptions();
  wp_error err = WP_ERROR_INIT;
  if (!flat_path(&p, 240)) goto done;
  if (!CHECK(wp_market_path_fill_equilibrium(&p, &a, &err) == WP_OK)) goto done;
  CHECK_REL(wp_market_marginal_cost_usd_per_ph_day(&a, 37), 24.0, 1e-15);
  CHECK_REL(p.difficulty[0], 100e12, 0);
  CHECK_REL(p.hashprice_usd_per_ph_day[0], 62.864274, 1e-7);
  double hp_btc = 3.125 * 86400e15 / (100e12 * 4294967296.0);
  double g0 = 3.0 * (hp_btc * 1e5 / 24.0 - 1.0);
  CHECK_REL(p.difficulty[1], 100e12 * exp(g0 / 12.0), 1e-12);
  CHECK_REL(p.difficulty[1], 149.90569e12, 1e-7);
  double dstar = 100e12 * hp_btc * 1e5 / 24.0; /* 261.93447e12 */
  CHECK_REL(dstar, 261.93447e12, 1e-7);
  int monotone = 1;
  for (size_t m = 1; m < p.months; m++)
    if (p.difficulty[m] < p.difficulty[m - 1] || p.difficulty[m] > dstar * (1 + 1e-12))
      monotone = 0;
  CHECK(monotone); /* no overshoot without a lag at this response */
  CHECK_REL(p.difficulty[239], dstar, 1e-9);
  CHECK_REL(p.hashprice_usd_per_ph_day[239], 24.0, 1e-9);
  /* The same path is what update_hashprice derives from the difficulty written. */
  double hp239 = p.hashprice_usd_per_ph_day[239];
  CHECK(wp_market_path_update_hashprice(&p, &err) == WP_OK);
  CHECK_REL(p.hashprice_usd_per_ph_day[239], hp239, 0);
done:
  wp_market_path_release(&p);
}

/* Start at the equilibrium D* (margin 0) and halve the subsidy from month 12: hashprice halves
** at once, machines below cost switch off at the capped rate (−0.6/yr: exp(−0.05) a month)
** until hashprice is back at cost, at half of D*. Doubling the price instead: the margin turns
** +1 at month 12 and new machines arrive only after the 6-month deployment lag. */
static void test_equilibrium_halving_and_lag(void)
{
  wp_market_path p = WP_MARKET_PATH_INIT;
  wp_market_assumptions a = flat_assumptions();
  a.hashrate_decline_max_per_yr = 0.6;
  a.hashrate_growth_max_per_yr = 0.9;
  a.deploy_lag_months = 6;
  wp_error err = WP_ERROR_INIT;
  if (!flat_path(&p, 240)) goto done;
  a.difficulty = 100e12 * (3.125 * 86400e15 / (100e12 * 4294967296.0)) * 1e5 / 24.0; /* D* */
  for (size_t m = 12; m < p.months; m++)
    p.subsidy_btc[m] = 1.5625;
  if (!CHECK(wp_market_path_fill_equilibrium(&p, &a, &err) == WP_OK)) goto done;
  CHECK_REL(p.hashprice_usd_per_ph_day[11], 24.0, 1e-12);
  CHECK_REL(p.difficulty[12], a.difficulty, 1e-12); /* flat up to the halving month */
  CHECK_REL(p.hashprice_usd_per_ph_day[12], 12.0, 1e-12);
  /* margin −0.5, 3 × −0.5 = −1.5 per year, capped at −0.6. */
  CHECK_REL(p.difficulty[13], a.difficulty * exp(-0.05), 1e-12);
  CHECK_REL(p.difficulty[14], a.difficulty * exp(-0.10), 1e-12);
  int falling = 1;
  for (size_t m = 13; m < 24; m++)
    if (p.difficulty[m] >= p.difficulty[m - 1]) falling = 0;
  CHECK(falling);
  CHECK_REL(p.difficulty[239], a.difficulty / 2, 1e-6);
  CHECK_REL(p.hashprice_usd_per_ph_day[239], 24.0, 1e-6);

  /* The price doubles at month 12 instead (subsidy back to 3.125). */
  for (size_t m = 0; m < p.months; m++) {
    p.subsidy_btc[m] = 3.125;
    p.btc_price_usd[m] = m < 12 ? 100000.0 : 200000.0;
  }
  if (!CHECK(wp_market_path_fill_equilibrium(&p, &a, &err) == WP_OK)) goto done;
  /* margin[12] = 1; growth answers margin[m − 6]: months 13..18 still see margin 0. */
  for (size_t m = 13; m <= 18; m++)
    CHECK_REL(p.difficulty[m], a.difficulty, 1e-12);
  /* Month 18 -> 19 answers margin[12] = 1: 3 × 1 = 3 per year, capped at 0.9. */
  CHECK_REL(p.difficulty[19], a.difficulty * exp(0.9 / 12), 1e-12);
  /* Machines ordered in the boom keep arriving after the margin turns negative, and the
     immediate switch-off takes them back: the long run is hashprice at cost, D = 2·D*. */
  CHECK_REL(p.difficulty[239], 2 * a.difficulty, 1e-3);
done:
  wp_market_path_release(&p);
}

/* Properties: a higher price never lowers difficulty; the default path keeps hashprice near
** the marginal cost after its start, and month 0 carries the assumptions. */
static void test_equilibrium_properties(void)
{
  wp_market_path lo = WP_MARKET_PATH_INIT, hi = WP_MARKET_PATH_INIT;
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT, b = a;
  b.btc_price_usd *= 1.5;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_market_path_init(&lo, 180, &err) == WP_OK) ||
      !CHECK(wp_market_path_init(&hi, 180, &err) == WP_OK))
    goto done;
  if (!CHECK(wp_market_path_fill_deterministic(&lo, (wp_ym){2026, 1}, &a, &err) == WP_OK) ||
      !CHECK(wp_market_path_fill_deterministic(&hi, (wp_ym){2026, 1}, &b, &err) == WP_OK))
    goto done;
  int never_lower = 1;
  for (size_t m = 0; m < 180; m++)
    if (hi.difficulty[m] < lo.difficulty[m]) never_lower = 0;
  CHECK(never_lower);
  CHECK(hi.difficulty[60] > 1.2 * lo.difficulty[60]);
  CHECK_REL(lo.difficulty[0], a.difficulty, 0);
  /* After the first two years, hashprice stays within [0.4, 1.3] × the marginal cost (the
     halving months fall to ~0.5 before switch-offs bring it back) and above $8/PH/day. */
  double rmin = 1e9, rmax = 0, hpmin = 1e9;
  for (size_t m = 24; m < 180; m++) {
    double r =
        lo.hashprice_usd_per_ph_day[m] / wp_market_marginal_cost_usd_per_ph_day(&a, (double)m);
    rmin = r < rmin ? r : rmin;
    rmax = r > rmax ? r : rmax;
    hpmin = lo.hashprice_usd_per_ph_day[m] < hpmin ? lo.hashprice_usd_per_ph_day[m] : hpmin;
  }
  CHECK(rmin > 0.4 && rmax < 1.3);
  CHECK(hpmin > 8.0);
  /* The marginal cost: 0.024 × 24.2607 J/TH × $60/MWh = $34.93 in month 0; in month 120 the
     fleet is at its 9.5 J/TH floor (24.2607 × 0.792739^10 = 2.38 < 9.5) and power has risen
     1.02^10 = 1.2189944: 0.024 × 9.5 × 60 × 1.2189944 = $16.676. */
  CHECK_REL(wp_market_marginal_cost_usd_per_ph_day(&a, 0), 0.024 * 24.2607 * 60, 1e-12);
  CHECK_REL(wp_market_marginal_cost_usd_per_ph_day(&a, 120), 16.67584, 1e-6);
  /* The exogenous option ignores the marginal miner. */
  b = a;
  b.difficulty_model = WP_DIFFICULTY_EXOGENOUS;
  b.marginal_power_usd_per_mwh = 5;
  if (CHECK(wp_market_path_fill_deterministic(&hi, (wp_ym){2026, 1}, &b, &err) == WP_OK))
    CHECK_REL(hi.difficulty[12], a.difficulty * 1.35, 1e-12);
done:
  wp_market_path_release(&lo);
  wp_market_path_release(&hi);
}

/* The default hashprice path at a few dates (docs/model/market.md §5.4 quotes them): a pin, so a
** change to the defaults or the model is a deliberate one. */
static void test_default_hashprice_path(void)
{
  wp_market_path p = WP_MARKET_PATH_INIT;
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_market_path_init(&p, 180, &err) == WP_OK)) return;
  if (!CHECK(wp_market_path_fill_deterministic(&p, (wp_ym){2026, 1}, &a, &err) == WP_OK)) goto done;
  static const struct {
    size_t m;
    double hp;
  } pin[] = {
      {0, HP_2026_01}, {24, HP_2028_01}, {48, HP_2030_01}, {108, HP_2035_01}, {168, HP_2040_01}};
  for (size_t i = 0; i < sizeof pin / sizeof pin[0]; i++)
    CHECK_REL(p.hashprice_usd_per_ph_day[pin[i].m], pin[i].hp, 1e-6);
  for (size_t m = 0; m < 180; m++)
    CHECK(p.hashprice_usd_per_ph_day[m] > 0);
done:
  wp_market_path_release(&p);
}

static void test_presets(void)
{
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT, d = a;
  wp_error err = WP_ERROR_INIT;
  CHECK(a.preset == WP_MARKET_PRESET_BASE);
  CHECK(wp_market_apply_preset(&a, WP_MARKET_PRESET_BULL, &err) == WP_OK);
  CHECK_REL(a.btc_price_growth_per_yr, 0.20, 0);
  CHECK_REL(a.marginal_power_usd_per_mwh, 70, 0);
  CHECK(a.preset == WP_MARKET_PRESET_BULL);
  CHECK_REL(a.difficulty, d.difficulty, 0); /* the rest is untouched */
  CHECK_REL(a.hashrate_response_per_yr, d.hashrate_response_per_yr, 0);
  CHECK(wp_market_apply_preset(&a, WP_MARKET_PRESET_BEAR, &err) == WP_OK);
  CHECK_REL(a.btc_price_growth_per_yr, -0.10, 0);
  CHECK_REL(a.marginal_power_usd_per_mwh, 50, 0);
  CHECK(wp_market_apply_preset(&a, WP_MARKET_PRESET_BASE, &err) == WP_OK);
  CHECK(memcmp(&a, &d, sizeof a) == 0); /* base is the defaults */
  CHECK(wp_market_apply_preset(&a, (wp_market_preset)7, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "bear, base, bull");
  CHECK_STR(wp_market_preset_name(WP_MARKET_PRESET_BULL), "bull");
  CHECK_STR(wp_difficulty_model_name(WP_DIFFICULTY_EXOGENOUS), "exogenous");
  /* Bear below base below bull: month-60 hashprice. */
  double hp[3];
  for (int k = 0; k < 3; k++) {
    wp_market_assumptions x = WP_MARKET_ASSUMPTIONS_DEFAULT;
    wp_market_path p = WP_MARKET_PATH_INIT;
    wp_market_apply_preset(&x, (wp_market_preset)k, NULL);
    hp[k] = 0;
    if (CHECK(wp_market_path_init(&p, 120, &err) == WP_OK) &&
        CHECK(wp_market_path_fill_deterministic(&p, (wp_ym){2026, 1}, &x, &err) == WP_OK))
      hp[k] = p.hashprice_usd_per_ph_day[60];
    wp_market_path_release(&p);
  }
  CHECK(hp[0] < hp[1] && hp[1] < hp[2]);
}

static void test_equilibrium_refusals(void)
{
  wp_error err = WP_ERROR_INIT;
  wp_market_path p = WP_MARKET_PATH_INIT;
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  CHECK(wp_market_path_fill_equilibrium(&p, &a, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "not initialized");
  if (!CHECK(wp_market_path_init(&p, 12, &err) == WP_OK)) return;
  CHECK(wp_market_path_fill_deterministic(&p, NOV_2025, &a, &err) == WP_OK);
  a.deploy_lag_months = 37;
  CHECK(wp_market_path_fill_equilibrium(&p, &a, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "deploy_lag_months 37");
  CHECK_CONTAINS(err.msg, "[0, 36]");
  a = (wp_market_assumptions)WP_MARKET_ASSUMPTIONS_DEFAULT;
  a.marginal_j_per_th = 0;
  CHECK(wp_market_assumptions_check(&a, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "marginal_j_per_th");
  a = (wp_market_assumptions)WP_MARKET_ASSUMPTIONS_DEFAULT;
  a.hashrate_growth_max_per_yr = 6;
  CHECK(wp_market_assumptions_check(&a, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "hashrate_growth_max_per_yr");
  a = (wp_market_assumptions)WP_MARKET_ASSUMPTIONS_DEFAULT;
  a.difficulty_model = (wp_difficulty_model)5;
  CHECK(wp_market_assumptions_check(&a, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "equilibrium, exogenous");
  a = (wp_market_assumptions)WP_MARKET_ASSUMPTIONS_DEFAULT;
  p.btc_price_usd[4] = NAN;
  CHECK(wp_market_path_fill_equilibrium(&p, &a, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "month 4");
  wp_market_path_release(&p);
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
  RUN(test_series_prices_move_the_equilibrium);
  RUN(test_refusals);
  RUN(test_equilibrium_converges_to_cost);
  RUN(test_equilibrium_halving_and_lag);
  RUN(test_equilibrium_properties);
  RUN(test_default_hashprice_path);
  RUN(test_presets);
  RUN(test_equilibrium_refusals);
  return harness_report();
}
