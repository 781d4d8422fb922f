/*
** wattpivot/risk.h — the risk engine (docs/model/risk.md): Monte Carlo over
** market paths and conversion schedules. The strategies' decisions are taken once on the
** deterministic plan (the decisions *are* the strategy); each path re-evaluates those fixed
** pathways on a stochastic market and drawn schedules, giving per strategy the NPV
** distribution, its downside (P5, CVaR 5 %), the probability of a cash shortfall and of beating
** mining-only; least-squares Monte Carlo gives one site's value of waiting to convert.
**
** Randomness: counter-based Random123 Philox streams keyed by the seed, with the stream's domain
** and the path index in the counter (docs/model/risk.md), so every path's draws depend only on
** (seed, path): the results are identical for any number of threads. Every source of
** randomness is scaled by a key ending in _vol; with all of them 0 every path equals the
** deterministic plan bit for bit.
*/
#ifndef WATTPIVOT_RISK_H
#define WATTPIVOT_RISK_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "market.h"

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
const char *wp_risk_btc_model_name(wp_risk_btc_model m);

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
wp_status wp_risk_assumptions_check(const wp_risk_assumptions *r, wp_error *err);

/* Set every _vol key to 0 (the deterministic limit). */
void wp_risk_assumptions_zero_vol(wp_risk_assumptions *r);

/*
** A stochastic market generator: the deterministic base path of the scenario's market
** assumptions, the Cholesky factor of the correlations and per-month constants. Immutable
** after wp_risk_market_new: one generator serves every thread.
*/
typedef struct wp_risk_market wp_risk_market;

/* Build a generator for months months from start. WP_EINVAL (bad assumptions, a correlation
** matrix that is not positive definite), WP_ENOMEM. */
wp_status wp_risk_market_new(const wp_market_assumptions *a, const wp_risk_assumptions *r,
                             wp_ym start, size_t months, wp_risk_market **out, wp_error *err);
void wp_risk_market_free(wp_risk_market *g);

/* The deterministic base path (what wp_market_path_fill_deterministic gives). */
const wp_market_path *wp_risk_market_base(const wp_risk_market *g);

/*
** Fill path (initialized for the generator's months) with path number `path` of stream
** `seed`: each driver is its deterministic value times exp(shock), shocks starting at 0 in
** month 0 (equations in docs/model/risk.md). With btc_model bootstrap, BTC's independent
** shock is the history's standardized return e[start_b + (m-1) mod L] (block b = (m-1)/L, its
** start uniform on [0, N-L] from a stream keyed by (seed, path, b)), and the drift makes
** E[price/base] = 1 in every month. With every vol 0 the path equals the base bit for
** bit. Allocation-free and thread-safe. Returns WP_EINVAL for a path of another length.
*/
wp_status wp_risk_market_fill(const wp_risk_market *g, uint64_t seed, uint64_t path,
                              wp_market_path *out, wp_error *err);

/* Paths wp_risk_market_fill_lanes draws at once. */
#define WP_RISK_MARKET_LANES 4

/*
** Fill out[l] with path path[l] of stream seed for each lane l: the same paths as
** wp_risk_market_fill gives one by one, drawn together (with AVX2, in vector instructions and
** glibc's vector math library; results are reproducible on machines with the same instruction
** set and C library). Returns WP_EINVAL for a NULL argument or a path of another length.
*/
wp_status wp_risk_market_fill_lanes(const wp_risk_market *g, uint64_t seed,
                                    const uint64_t path[WP_RISK_MARKET_LANES],
                                    wp_market_path *const out[WP_RISK_MARKET_LANES],
                                    wp_error *err);

/*
** The markets of WP_RISK_MARKET_LANES paths, lane-interleaved: series[m * LANES + l] is month m
** of lane l, as the risk kernel's lanes read them. The caller owns the arrays (months x LANES
** doubles each) and sets months to the generator's.
*/
typedef struct wp_risk_market_lanes {
  size_t months;
  double *btc_price_usd, *fees_btc_per_block, *difficulty, *gpu_usd_per_hour,
      *colo_usd_per_kw_month, *power_usd_per_mwh, *hashprice_btc_per_ph_day;
} wp_risk_market_lanes;

/*
** The paths path[0..LANES-1] of stream seed, lane-interleaved into out: bit for bit what
** wp_risk_market_fill_lanes gives each lane, without whole paths (the risk engine makes a
** lane's path only when a full run needs it: wp_risk_market_lane_path). Allocation-free.
** Returns WP_EINVAL for a NULL argument, arrays of another length, or a month outside the
** market's domain (the message names the path).
*/
wp_status wp_risk_market_fill_interleaved(const wp_risk_market *g, uint64_t seed,
                                          const uint64_t path[WP_RISK_MARKET_LANES],
                                          const wp_risk_market_lanes *out, wp_error *err);

/* Lane `lane` of in as a whole path (calendar columns and hashprice in BTC and USD included):
** what wp_risk_market_fill_lanes gives for that lane. */
wp_status wp_risk_market_lane_path(const wp_risk_market *g, const wp_risk_market_lanes *in,
                                   size_t lane, wp_market_path *out, wp_error *err);

/* Options of a risk run. */
typedef struct wp_risk_opts {
  size_t paths;         /* number of Monte Carlo paths (>= 1) */
  uint64_t seed;        /* same seed, same results, any thread count */
  unsigned threads;     /* 0 = all online cores */
  unsigned mask;        /* strategies (WP_STRATEGY_BIT); mining-only is always evaluated */
  int value_of_waiting; /* 1: run the least-squares Monte Carlo of the waiting option */
  /* Called from the calling thread about twice a second with the paths done (may be NULL). */
  void (*progress)(size_t done, size_t total, void *ctx);
  void *progress_ctx;
} wp_risk_opts;
#define WP_RISK_OPTS_DEFAULT                                                                       \
  {                                                                                                \
    .paths = 10000, .seed = 1, .threads = 0, .mask = 0xFu, .value_of_waiting = 1,                  \
    .progress = NULL, .progress_ctx = NULL                                                         \
  }

/* Distribution of one strategy over the paths. */
typedef struct wp_risk_strategy {
  char name[32];
  double plan_npv_usd; /* the deterministic plan's NPV of the strategy */
  double npv_mean_usd;
  double npv_p5_usd, npv_p50_usd, npv_p95_usd; /* quantiles, linear interpolation (GSL) */
  double cvar5_usd;                            /* mean of the worst ceil(5 % x paths) NPVs */
  double p_cash_shortfall;    /* share of paths whose month-end cash falls below the floor */
  double p_beats_mining_only; /* share of paths with NPV > mining-only's on the same path */
  double *npv_usd;            /* per path (paths values) */
  double *min_cash_usd;       /* per path lowest month-end corporate cash */
} wp_risk_strategy;

/* The value of waiting to convert one site (least-squares Monte Carlo, docs/model/risk.md). */
typedef struct wp_risk_wait {
  int computed; /* 0: no AI-ready site to study, or not requested */
  char site[64];
  size_t paths;               /* paths used */
  size_t ndecisions;          /* candidate start months */
  int64_t month[64];          /* candidate start months */
  double mean_uplift_usd[64]; /* mean NPV uplift over mining of converting at month[k] */
  double convert_now_usd;     /* mean uplift of converting at the first candidate month */
  double best_fixed_usd;      /* best mean uplift over a fixed start month */
  int64_t best_fixed_month;
  double optimal_usd;          /* LSM value of choosing the month as the market unfolds */
  double value_of_waiting_usd; /* optimal_usd - convert_now_usd */
  double p_never;              /* share of paths on which the LSM rule never converts */
} wp_risk_wait;

typedef struct wp_risk_result {
  size_t paths;
  uint64_t seed;
  size_t months, nsites;
  double cash_floor_usd;
  size_t nstrategies;
  wp_risk_strategy strategies[4];
  wp_risk_wait wait;
  double seconds;   /* wall time of the path loop (not part of the results) */
  unsigned threads; /* threads used (not part of the results) */
} wp_risk_result;

struct wp_scenario;

/*
** Run the Monte Carlo on scenario sc (its risk: section) and return *out (free with
** wp_risk_result_free). Memory: per worker one evaluator, one market path and O(sites x
** months) buffers; per path only scalars. Returns WP_EINVAL (paths 0, a bad scenario or risk
** section, an unknown wait_site), WP_ENOMEM, or the failing model's status naming the site
** and path.
*/
wp_status wp_risk_run(const struct wp_scenario *sc, const wp_risk_opts *opts, wp_risk_result **out,
                      wp_error *err);
void wp_risk_result_free(wp_risk_result *r);

#ifdef __cplusplus
}
#endif
#endif
