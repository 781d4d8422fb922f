/*
** wattpivot/risk_assumptions.h — the stochastic market's assumptions (the scenario's risk:
** section): how volatile BTC, fees, GPU and lease prices, power and schedules are, how they
** move together, how hashrate responds, and the BTC return history a block bootstrap draws
** from. Pure data with its checks; the risk engine (wattpivot/risk.h) draws paths from them.
*/
#ifndef WATTPIVOT_RISK_ASSUMPTIONS_H
#define WATTPIVOT_RISK_ASSUMPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Monthly shocks, in the order of the correlation matrix. */
typedef enum wp_risk_factor {
  WP_RISK_BTC = 0, /* BTC log price (GBM, or a block bootstrap of a history) */
  WP_RISK_FEES,    /* log fees per block (mean-reverting) */
  WP_RISK_GPU,     /* log GPU rental price around its decline (random walk) */
  WP_RISK_COLO,    /* log new-lease colocation rent (random walk) */
  WP_RISK_POWER,   /* log power price (mean-reverting) */
  WP_RISK_FACTORS
} wp_risk_factor;

/* How BTC's monthly shock is drawn (risk.btc_model). */
typedef enum wp_risk_btc_model {
  WP_RISK_BTC_GBM = 0,   /* a standard normal: geometric Brownian motion */
  WP_RISK_BTC_BOOTSTRAP  /* blocks of a return history's standardized log returns */
} wp_risk_btc_model;

/* "gbm" or "bootstrap" ("?" for another value). */
WP_API const char *wp_risk_btc_model_name(wp_risk_btc_model m);

/* Most monthly returns a bootstrap history may hold (100 years). */
#define WP_RISK_HISTORY_MAX 1200

/*
** Stochastic market and schedule assumptions (the scenario's risk: section). Volatilities of
** prices are annualized, as fractions (0.6 = 60 %/yr); schedule_vol is a factor on each
** activity's duration spread (0 = most likely, 1 = the template's three-point range).
** WP_RISK_ASSUMPTIONS_DEFAULT (sources; "judgment" where none):
**  btc_vol 0.60 — docs/model/risk.md: BTC volatility ≈ 50–70 %/yr (midpoint; judgment);
**  fees_vol 1.5, fees_reversion_per_yr 6 — judgment: fee spikes (e.g. the April 2024 halving
**   week) fade within weeks; stationary log-sd = vol/sqrt(2 k) ≈ 0.43;
**  gpu_vol 0.30 — judgment: H100 rental fell $8–12 → $2.85 → $1.70 in 2023–25 with swings of
**   tens of percent around the trend (docs/sources/ai-datacenter.md §5.2);
**  colo_vol 0.10 — judgment: miner lease rates spread $102–188/kW-month across 2024–25 deals
**   (docs/sources/mining.md §6), with little movement of the median;
**  power_vol 0.40, power_reversion_per_yr 2 — judgment: wholesale power mean-reverts (half-life
**   ≈ 4 months); stationary log-sd ≈ 0.20;
**  schedule_vol 1 — the templates' own three-point ranges (docs/model/schedule.md);
**  hashrate_elasticity 1, hashrate_lag_months 6, hashrate_adjust_per_month 0.15 — judgment,
**   after docs/sources/mining.md §5 (hashrate follows hashprice with a lag; JPM Dec 2025): after
**   the lag, miners add or remove hashrate until hashprice returns toward its trend;
**  correlations — judgment: BTC–fees 0.3 (activity), BTC–GPU 0.2 (risk appetite), GPU–colo 0.5
**   (AI demand), BTC–power 0.1 (miners' load), others 0;
**  wait_max_month 60, wait_paths 2000 — the value-of-waiting search window and its path count;
**  btc_model gbm — docs/model/risk.md; btc_block_months 12 — judgment: blocks of a year keep the
**   history's autocorrelation within a year (moving-block bootstrap, Künsch 1989; Politis &
**   Romano 1992/1994), short enough that a 137-month history gives 125 distinct blocks;
**  the history (btc_history_*) is empty here: wp_risk_history_load (wattpivot/risk_history.h)
**   fills it, from data/btc_monthly_close.csv (compiled in) or a file; the scenario loader does
**   so when btc_model is bootstrap.
*/
typedef struct wp_risk_assumptions {
  double btc_vol;                   /* annualized volatility of the BTC price, fraction [0, 5] */
  double fees_vol;                  /* annualized volatility of log fees, [0, 10] */
  double fees_reversion_per_yr;     /* mean-reversion speed of log fees, per year [0, 100] */
  double gpu_vol;                   /* annualized volatility of the GPU rental price, [0, 5] */
  double colo_vol;                  /* annualized volatility of new-lease rents, [0, 5] */
  double power_vol;                 /* annualized volatility of log power prices, [0, 5] */
  double power_reversion_per_yr;    /* mean-reversion speed of log power, per year [0, 100] */
  double schedule_vol;              /* factor on the duration spread, [0, 3] */
  double hashrate_elasticity;       /* long-run log difficulty per log revenue, [0, 3] */
  int64_t hashrate_lag_months;      /* months before hashrate responds, [0, 60] */
  double hashrate_adjust_per_month; /* share of the gap closed per month, [0, 1] */
  double corr[WP_RISK_FACTORS][WP_RISK_FACTORS]; /* symmetric, unit diagonal, pos. definite */
  char wait_site[64];     /* value-of-waiting site; "" = first converted by hybrid */
  int64_t wait_max_month; /* latest conversion start tried for the value of waiting */
  int64_t wait_paths;     /* paths used for the value of waiting (the first ones) */
  wp_risk_btc_model btc_model; /* gbm (default) or bootstrap */
  int64_t btc_block_months;    /* bootstrap block length L, months [1, 60] */
  char btc_history_file[256];  /* CSV month,close_usd; "" = the built-in history */
  size_t btc_history_n;        /* N: monthly returns held (bootstrap needs N >= L) */
  double btc_history_vol;      /* the history's own annualized volatility, sd x sqrt(12) */
  double btc_history_std[WP_RISK_HISTORY_MAX]; /* e_j = (r_j - mean) / sd, j < N */
} wp_risk_assumptions;

#define WP_RISK_ASSUMPTIONS_DEFAULT                                                                \
  {                                                                                                \
    .btc_vol = 0.60, .fees_vol = 1.5, .fees_reversion_per_yr = 6.0, .gpu_vol = 0.30,               \
    .colo_vol = 0.10, .power_vol = 0.40, .power_reversion_per_yr = 2.0, .schedule_vol = 1.0,       \
    .hashrate_elasticity = 1.0, .hashrate_lag_months = 6, .hashrate_adjust_per_month = 0.15,       \
    .corr = {{1.0, 0.3, 0.2, 0.0, 0.1},                                                            \
             {0.3, 1.0, 0.0, 0.0, 0.0},                                                            \
             {0.2, 0.0, 1.0, 0.5, 0.0},                                                            \
             {0.0, 0.0, 0.5, 1.0, 0.0},                                                            \
             {0.1, 0.0, 0.0, 0.0, 1.0}},                                                           \
    .wait_site = "", .wait_max_month = 60, .wait_paths = 2000, .btc_model = WP_RISK_BTC_GBM,      \
    .btc_block_months = 12, .btc_history_file = "", .btc_history_n = 0, .btc_history_vol = 0       \
  }

/* Check ranges, symmetry and positive definiteness (the message names the key and value); with
** btc_model bootstrap, a history of at least btc_block_months finite standardized returns. */
WP_API wp_status wp_risk_assumptions_check(const wp_risk_assumptions *r, wp_error *err);

/* Set every _vol key to 0 (the deterministic limit). */
WP_API void wp_risk_assumptions_zero_vol(wp_risk_assumptions *r);

/*
** Pure: turn n monthly closes into r->btc_history_std (n - 1 standardized log returns),
** r->btc_history_n and r->btc_history_vol (sd x sqrt(12)). WP_EINVAL when n < 3, n - 1 >
** WP_RISK_HISTORY_MAX, a close is not positive and finite, or the returns have no spread.
*/
WP_API wp_status wp_risk_history_standardize(const double *close_usd, size_t n,
                                             wp_risk_assumptions *r, wp_error *err);

#ifdef __cplusplus
}
#endif
#endif
