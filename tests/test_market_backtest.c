/* The hashprice equilibrium against 2019-2025 network history (docs/model/market.md §5.3): the
** data file checked against independent references, then the backtest statistics of the
** compiled defaults, which the doc quotes. */
#include <math.h>

#include "harness.h"
#include "market_history.h"
#include "wattpivot.h"

static mh_history h;

static int load(void)
{
  return CHECK(mh_build(&h, WP_SOURCE_DIR "/data/btc_network_quarterly.csv",
                        WP_SOURCE_DIR "/data/btc_monthly_close.csv") == 0);
}

/* The file's derived columns against outside references. */
static void test_data_file(void)
{
  CHECK_EQ_I64(h.n, 28);
  CHECK_EQ_I64(h.s[0].year, 2019);
  CHECK_EQ_I64(h.s[27].year, 2025);
  for (size_t i = 1; i < h.n; i++)
    CHECK(h.s[i].m > h.s[i - 1].m); /* one sample a quarter, in order */
  /* 2024-04-15: the difficulty of block 840,000 (20 Apr 2024, the same epoch), 86,388,558,925,171
     by Bitcoin Core's getblock (docs/sources/mining.md §2.6). */
  CHECK_REL(h.s[21].difficulty, 86388558925171.0, 1e-6);
  /* 2025-10-15: ~150.8T, between the 2025 path of docs/sources/mining.md §2.4 (148.3T in December)
     and the 155.97T high of 29 Oct 2025. */
  CHECK(h.s[27].difficulty > 148e12 && h.s[27].difficulty < 156e12);
  /* The halvings' months: mean subsidy by day. May 2020 (block 630,000 on the 11th): 10 days at
     12.5 and 21 at 6.25 -> (10 × 12.5 + 21 × 6.25)/31 = 8.2661290. */
  CHECK_REL(mh_subsidy(2020, 5), 256.25 / 31.0, 1e-15);
  CHECK_REL(mh_subsidy(2024, 4), (19 * 6.25 + 11 * 3.125) / 30.0, 1e-15);
  CHECK_REL(mh_subsidy(2019, 1), 12.5, 0);
  CHECK_REL(mh_subsidy(2025, 12), 3.125, 0);
  /* The monthly price: mean of the closes of 2018-12 and 2019-01 (data/btc_monthly_close.csv:
     3,742.70 and 3,457.79). */
  CHECK_REL(h.path.btc_price_usd[0], 0.5 * (h.close[0] + h.close[1]), 0);
  CHECK(h.close[0] > 3742 && h.close[0] < 3743);
}

/* The backtest of the defaults (the figures of docs/model/market.md §5.3). */
static void test_backtest_of_defaults(void)
{
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  wp_market_assumptions b = mh_rolled_back(&a, &h);
  mh_stats st;
  if (!CHECK(mh_score(&h, &b, &st) == 0)) return;
  CHECK_EQ_I64(st.n_in, 19);
  CHECK_EQ_I64(st.n_out, 8);
  printf("  backtest: RMSE ln(model/actual) 2019-2023 %.4f, 2024-2025 %.4f, all %.4f; "
         "max |err| %.3f\n",
         st.rmse_in, st.rmse_out, st.rmse_all, st.max_abs_all);
  CHECK_ABS(st.rmse_in, 0.1335, 5e-5);
  CHECK_ABS(st.rmse_out, 0.1318, 5e-5);
  CHECK_ABS(st.rmse_all, 0.1330, 5e-5);
  CHECK_ABS(st.max_abs_all, 0.343, 5e-4);
  /* The marginal fleet rolled back to 2019-01: ~119 J/TH, an Antminer S9 (~98 J/TH) era fleet. */
  CHECK(b.marginal_j_per_th > 100 && b.marginal_j_per_th < 130);
  /* Better than the best constant growth (least squares on ln D: +62.9 %/yr, RMSE 0.2022) and
     than the old default +35 %/yr (RMSE 0.780). */
  double sxy = 0, sxx = 0, ss = 0;
  for (size_t i = 1; i < h.n; i++) {
    double t = (double)h.s[i].m / 12.0, y = log(h.s[i].difficulty / h.s[0].difficulty);
    sxy += t * y;
    sxx += t * t;
  }
  double g = sxy / sxx;
  for (size_t i = 1; i < h.n; i++) {
    double e = log(h.s[0].difficulty / h.s[i].difficulty) + g * (double)h.s[i].m / 12.0;
    ss += e * e;
  }
  double rmse_exo = sqrt(ss / (double)(h.n - 1));
  CHECK_ABS(rmse_exo, 0.2022, 5e-5);
  CHECK(st.rmse_all < 0.7 * rmse_exo);
}

int main(void)
{
  if (load()) {
    RUN(test_data_file);
    RUN(test_backtest_of_defaults);
  }
  wp_market_path_release(&h.path);
  return harness_report();
}
