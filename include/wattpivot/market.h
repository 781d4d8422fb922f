/*
** wattpivot/market.h — the market path: BTC price, difficulty, fees, block height and subsidy,
** hashprice, GPU rental price, power price and colocation rent for each month of the grid
** (docs/model/market.md). The deterministic fill compounds annual rates monthly; the risk engine
** fills the same struct stochastically (drivers first, then wp_market_path_fill_calendar and
** wp_market_path_update_hashprice derive the rest). Equations: docs/model/market.md.
**
** Growth convention: a quantity with annual rate g is x_m = x_0 * (1 + g)^(m/12) in month m
** (month 0 of the path carries exactly the assumption's start value).
*/
#ifndef WATTPIVOT_MARKET_H
#define WATTPIVOT_MARKET_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "error.h"
#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How the deterministic path moves difficulty (docs/model/market.md §5). */
typedef enum wp_difficulty_model {
  WP_DIFFICULTY_EQUILIBRIUM = 0, /* hashrate follows the marginal miner's margin (the default) */
  WP_DIFFICULTY_EXOGENOUS = 1,   /* difficulty compounds difficulty_growth_per_yr */
  WP_DIFFICULTY_MODEL_COUNT
} wp_difficulty_model;

/* Market presets (docs/model/market.md §6): bear, base (= the defaults), bull. */
typedef enum wp_market_preset {
  WP_MARKET_PRESET_BEAR = 0,
  WP_MARKET_PRESET_BASE = 1,
  WP_MARKET_PRESET_BULL = 2,
  WP_MARKET_PRESET_COUNT
} wp_market_preset;

/* "equilibrium", "exogenous"; "bear", "base", "bull" ("?" when out of range). */
WP_API const char *wp_difficulty_model_name(wp_difficulty_model m);
WP_API const char *wp_market_preset_name(wp_market_preset p);

/* The marginal-miner defaults (docs/model/market.md §5.3): the power price is the middle of the
** $50-70/MWh band of hosted machines (docs/sources/mining.md §4.2); the floor is the most
** efficient machine on sale, Antminer S23 Hyd at 9.5 J/TH (docs/sources/mining.md §3); the other
** five are fitted on the 2019-2023 quarterly network history (bench/calibrate_market.c; 2024-2025
** is the out-of-sample test), to six digits (efficiency as of Nov 2025, the month of the start
** values above; six digits: the fit's dynamics are sensitive to rounding). */
#define WP_MARKET_MARGINAL_J_PER_TH    24.2607
#define WP_MARKET_MARGINAL_GAIN        0.207261
#define WP_MARKET_MARGINAL_FLOOR       9.5
#define WP_MARKET_MARGINAL_POWER       60.0
#define WP_MARKET_HASHRATE_RESPONSE    97.9446
#define WP_MARKET_HASHRATE_GROWTH_MAX  0.88627
#define WP_MARKET_HASHRATE_DECLINE_MAX 1.10329
#define WP_MARKET_DEPLOY_LAG           10

/*
** Deterministic market assumptions. Start values belong to month 0 of the path.
** WP_MARKET_ASSUMPTIONS_DEFAULT (sources):
**  btc_price_usd 96,532, difficulty 153.33e12, fees 0.019 BTC/block — Luxor Hashrate Index,
**   November 2025 monthly averages (docs/sources/mining.md §2.3 H1; as WP_MINING_INPUTS_DEFAULT);
**  btc_price_growth_per_yr 0 — judgment: no price view in the deterministic base case (risk runs
**   add volatility, docs/model/risk.md);
**  difficulty_growth_per_yr 0.35 — 2025 growth ≈ +35 % (109.8T Jan → 148.3T Dec,
**   docs/sources/mining.md §2.4);
**  fees_growth_per_yr 0 — judgment (fees 0.55–0.75 % of rewards, flat,
**   docs/sources/mining.md §2.4);
**  anchor 922,656 at 2025-11 (height on the 15th) — the 840,000 halving block (20 Apr 2024) +
**   574 days at 144 blocks/day (as WP_MINING_INPUTS_DEFAULT); puts height 1,050,000 in Apr 2028;
**  gpu_usd_per_hour 2.35 — H100 1-year contract index, Mar 2026 (SemiAnalysis via
**   docs/sources/ai-datacenter.md §5.2);
**  gpu_decline_per_yr 0.22 — RBC: average H100 rental −22 % in 2025
**   (docs/sources/ai-datacenter.md §5.2);
**  gpu_floor_usd_per_hour 1.65 — Latent Space: below ~$1.65/h an H100 never recoups its capex
**   (docs/sources/ai-datacenter.md §5.2); the Oct 2025 cycle low was $1.70;
**  power_usd_per_mwh 38 — IREN FY2025 net electricity cost (docs/sources/mining.md §4.2);
**  power_escalator_per_yr 0.02 — judgment (≈ long-run inflation);
**  colo_usd_per_kw_month 154 — median ($154.2, TeraWulf–Fluidstack) of the nine colocation rows
**   of data/deals.csv (docs/sources/mining.md §6: $102–188; CBRE wholesale $184,
**   docs/sources/ai-datacenter.md §5.1);
**  colo_growth_per_yr 0.025 — judgment: new-lease rates track the 2–3 %/yr escalators of
**   docs/sources/ai-datacenter.md §5.1 (CBRE rents rose 12.6 % in 2024; not extrapolated);
**  difficulty_model equilibrium and the marginal-miner parameters (marginal_*, hashrate_*,
**   deploy_lag_months) — fitted on 2019–2025 network history (data/btc_network_quarterly.csv,
**   docs/model/market.md §5 "Hashprice equilibrium", the backtest there).
*/
typedef struct wp_market_assumptions {
  double btc_price_usd;            /* month-0 BTC price, USD (> 0) */
  double btc_price_growth_per_yr;  /* annual drift of the BTC price, fraction (-0.99..10) */
  double difficulty;               /* month-0 network difficulty (> 0) */
  double difficulty_growth_per_yr; /* annual difficulty growth, fraction (-0.99..10) */
  double fees_btc_per_block;       /* month-0 average fees per block, BTC (>= 0) */
  double fees_growth_per_yr;       /* annual fee growth, fraction (-0.99..10) */
  int64_t anchor_height;           /* block height at 00:00 UTC on the 15th of anchor_ym */
  wp_ym anchor_ym;                 /* month of the height anchor */
  double gpu_usd_per_hour;         /* month-0 GPU rental price, USD per GPU-hour (>= 0) */
  double gpu_decline_per_yr;       /* annual decline of the GPU price, fraction [0, 1) */
  double gpu_floor_usd_per_hour;   /* the GPU price never falls below this (>= 0) */
  double power_usd_per_mwh;        /* month-0 market power price, USD/MWh (>= 0) */
  double power_escalator_per_yr;   /* annual power price growth, fraction (-0.99..10) */
  double colo_usd_per_kw_month;    /* month-0 colocation rent for a new lease, USD/kW-month IT */
  double colo_growth_per_yr;       /* annual growth of new-lease rents, fraction (-0.99..10) */
  /* How difficulty moves (docs/model/market.md §5): */
  wp_difficulty_model difficulty_model; /* equilibrium (default) or exogenous growth */
  double marginal_j_per_th; /* month-0 efficiency of the marginal fleet, J/TH (0, 500] */
  double marginal_efficiency_gain_per_yr; /* its annual improvement, fraction [0, 0.9] */
  double marginal_j_per_th_floor;         /* it never gets better than this, J/TH (0, 500] */
  double marginal_power_usd_per_mwh;  /* marginal miner's month-0 power cost, USD/MWh (0, 10000];
                                         escalates with power_escalator_per_yr */
  double hashrate_response_per_yr;    /* hashrate growth per year per unit of margin [0, 1000] */
  double hashrate_growth_max_per_yr;  /* cap on that growth, log per year [0, 5] */
  double hashrate_decline_max_per_yr; /* cap on the decline below cost, log per year [0, 5] */
  int64_t deploy_lag_months;          /* months from margin to hashrate change [0, 36] */
  wp_market_preset preset; /* the preset the values came from (informational; keys override it) */
} wp_market_assumptions;

#define WP_MARKET_ASSUMPTIONS_DEFAULT                                                              \
  {                                                                                                \
    .btc_price_usd = 96532.0, .btc_price_growth_per_yr = 0.0, .difficulty = 153.33e12,             \
    .difficulty_growth_per_yr = 0.35, .fees_btc_per_block = 0.019, .fees_growth_per_yr = 0.0,      \
    .anchor_height = 922656, .anchor_ym = {2025, 11}, .gpu_usd_per_hour = 2.35,                    \
    .gpu_decline_per_yr = 0.22, .gpu_floor_usd_per_hour = 1.65, .power_usd_per_mwh = 38.0,         \
    .power_escalator_per_yr = 0.02, .colo_usd_per_kw_month = 154.0, .colo_growth_per_yr = 0.025,   \
    .difficulty_model = WP_DIFFICULTY_EQUILIBRIUM,                                                 \
    .marginal_j_per_th = WP_MARKET_MARGINAL_J_PER_TH,                                              \
    .marginal_efficiency_gain_per_yr = WP_MARKET_MARGINAL_GAIN,                                    \
    .marginal_j_per_th_floor = WP_MARKET_MARGINAL_FLOOR,                                           \
    .marginal_power_usd_per_mwh = WP_MARKET_MARGINAL_POWER,                                        \
    .hashrate_response_per_yr = WP_MARKET_HASHRATE_RESPONSE,                                       \
    .hashrate_growth_max_per_yr = WP_MARKET_HASHRATE_GROWTH_MAX,                                   \
    .hashrate_decline_max_per_yr = WP_MARKET_HASHRATE_DECLINE_MAX,                                 \
    .deploy_lag_months = WP_MARKET_DEPLOY_LAG, .preset = WP_MARKET_PRESET_BASE                     \
  }

/* Check every field of a against its range (the message names the field, value and range). */
WP_API wp_status wp_market_assumptions_check(const wp_market_assumptions *a, wp_error *err);

/*
** One market path: per-month arrays of length `months`, month 0 = `start`. Owned by the path
** (one allocation in wp_market_path_init). Drivers: btc_price_usd, difficulty,
** fees_btc_per_block, gpu_usd_per_hour, power_usd_per_mwh, colo_usd_per_kw_month. Derived
** from the calendar and the anchor: days, height_start, height_mid, subsidy_btc. Derived from
** drivers: hashprice_btc_per_ph_day, hashprice_usd_per_ph_day.
*/
typedef struct wp_market_path {
  size_t months;                    /* number of months (array length) */
  wp_ym start;                      /* calendar month of month 0 */
  int *days;                        /* days in the month */
  int64_t *height_start;            /* height at 00:00 UTC on the 1st (144 blocks/day) */
  int64_t *height_mid;              /* height at 00:00 UTC on the 15th */
  double *subsidy_btc;              /* block-weighted mean subsidy over the month's blocks */
  double *btc_price_usd;            /* USD per BTC */
  double *difficulty;               /* network difficulty */
  double *fees_btc_per_block;       /* BTC per block */
  double *hashprice_btc_per_ph_day; /* (subsidy + fees) * 86400e15 / (D * 2^32) */
  double *hashprice_usd_per_ph_day; /* hashprice_btc * price */
  double *gpu_usd_per_hour;         /* USD per GPU-hour (market index) */
  double *power_usd_per_mwh;        /* market power price, USD/MWh */
  double *colo_usd_per_kw_month;    /* rent for a lease signed this month, USD/kW-month IT */
} wp_market_path;

/* A zeroed path: safe to release. */
#define WP_MARKET_PATH_INIT                                                                        \
  {                                                                                                \
    .months = 0                                                                                    \
  }

/* Allocate the arrays for months (1..12,000) months, zero-filled. Returns WP_EINVAL for a bad
** count, WP_ENOMEM when allocation fails (path is then left zeroed). */
WP_API wp_status wp_market_path_init(wp_market_path *path, size_t months, wp_error *err);

/* Free the arrays and zero the struct; NULL or an already released path is a no-op. */
WP_API void wp_market_path_release(wp_market_path *path);

/*
** Fill path deterministically from a (checked first): every driver compounds monthly from its
** start value, x_m = x_0 (1+g)^(m/12); gpu_usd_per_hour = max(floor, p_0 (1−d)^(m/12)); then the
** calendar fields; then difficulty — by wp_market_path_fill_equilibrium (difficulty_model
** equilibrium, the default) or compounding difficulty_growth_per_yr (exogenous) — and hashprice
** as below. Allocation-free.
** Returns WP_EINVAL for a bad start month, an uninitialized path or out-of-range assumptions.
*/
WP_API wp_status wp_market_path_fill_deterministic(wp_market_path *path, wp_ym start,
                                                   const wp_market_assumptions *a, wp_error *err);

/*
** Hashprice equilibrium (docs/model/market.md §5): from the path's calendar (subsidy_btc),
** btc_price_usd and fees_btc_per_block — already filled, so a price or fee override written
** before is respected — fill difficulty and hashprice_btc/usd for every month. Month 0 carries
** a->difficulty; network hashrate H = D·2^32/600 (so D moves with H) then follows
**   H[m+1] = H[m] · exp((grow[m] + shrink[m]) / 12),
**   grow[m]   = min(growth_max, max(0, k · margin[m−L]))   (machines ordered L months ago arrive)
**   shrink[m] = max(−decline_max, min(0, k · margin[m]))   (machines below cost switch off now)
**   margin[m] = HP_usd[m] / cost[m] − 1,  cost[m] = 0.024 · E[m] · c[m]  (USD per PH/s-day),
**   E[m] = max(marginal_j_per_th_floor,
**              marginal_j_per_th · (1 − marginal_efficiency_gain_per_yr)^(m/12)),
**   c[m] = marginal_power_usd_per_mwh · (1 + power_escalator_per_yr)^(m/12),
** k = hashrate_response_per_yr, L = deploy_lag_months, margin[m−L] = margin[0] for m < L.
** Pure and allocation-free; a->difficulty_model is not read (the caller chooses). Returns
** WP_EINVAL for an uninitialized path, out-of-range assumptions or a month whose price/fees are
** negative or not finite (named).
*/
WP_API wp_status wp_market_path_fill_equilibrium(wp_market_path *path,
                                                 const wp_market_assumptions *a, wp_error *err);

/* The marginal fleet's cash cost in month m of a path, USD per PH/s per day (as above). */
WP_API double wp_market_marginal_cost_usd_per_ph_day(const wp_market_assumptions *a, double m);

/*
** Apply preset p to a: overwrite the fields the preset sets (docs/model/market.md §6) and
** record it in a->preset; every other field keeps its value. Returns WP_EINVAL for an unknown
** preset.
*/
WP_API wp_status wp_market_apply_preset(wp_market_assumptions *a, wp_market_preset p,
                                        wp_error *err);

/*
** Set path->start and the calendar fields: days; heights from the anchor at 144 blocks/day
** (wp_btc_height_after_days from 00:00 UTC on the 15th of anchor_ym); subsidy_btc = the mean
** subsidy over the blocks [height_start[m], height_start[m+1]), so a halving inside a month
** splits that month pro rata by blocks. Allocation-free.
*/
WP_API wp_status wp_market_path_fill_calendar(wp_market_path *path, wp_ym start,
                                              int64_t anchor_height, wp_ym anchor_ym,
                                              wp_error *err);

/* Recompute hashprice_btc/usd for every month from subsidy, fees, difficulty and price
** (after a caller — e.g. the risk engine — has written the drivers). Returns WP_EINVAL naming
** the month when a difficulty is not > 0 or a price/fee is negative or not finite. */
WP_API wp_status wp_market_path_update_hashprice(wp_market_path *path, wp_error *err);

/* One month of a path, by value (a view the revenue functions take; the caller may override
** e.g. power_usd_per_mwh with a PPA-blended price). */
typedef struct wp_market_month {
  wp_ym ym;                        /* calendar month */
  int days;                        /* days in the month */
  int64_t height_mid;              /* block height on the 15th */
  double subsidy_btc;              /* mean subsidy of the month's blocks */
  double btc_price_usd;            /* USD per BTC */
  double difficulty;               /* network difficulty */
  double fees_btc_per_block;       /* BTC per block */
  double hashprice_btc_per_ph_day; /* BTC per PH/s per day */
  double hashprice_usd_per_ph_day; /* USD per PH/s per day */
  double gpu_usd_per_hour;         /* USD per GPU-hour */
  double power_usd_per_mwh;        /* USD/MWh */
  double colo_usd_per_kw_month;    /* USD/kW-month of IT */
} wp_market_month;

/* Copy month m of path into out. Returns WP_EINVAL when m >= path->months. */
WP_API wp_status wp_market_path_month(const wp_market_path *path, size_t m, wp_market_month *out,
                                      wp_error *err);

/*
** User time series (scenario keys market_file: and a site's power_file:, docs/scenario.md): a
** run of consecutive calendar months, one array per market column, NaN where a month gives no
** value. Values replace the parametric path's for the months they cover; the path is
** parametric before and after. Every array holds `months` values (one allocation, owned).
*/
typedef struct wp_market_series {
  wp_ym start;                      /* calendar month of row 0 */
  size_t months;                    /* rows: start, start + 1, ... */
  double *btc_price_usd;            /* USD per BTC */
  double *difficulty;               /* network difficulty */
  double *hashprice_usd_per_ph_day; /* USD per PH/s per day */
  double *fees_btc_per_block;       /* BTC per block */
  double *power_usd_per_mwh;        /* USD/MWh */
  double *gpu_usd_per_hour;         /* USD per GPU-hour */
  double *colo_usd_per_kw_month;    /* USD/kW-month of IT */
} wp_market_series;

#define WP_MARKET_SERIES_INIT                                                                      \
  {                                                                                                \
    .months = 0                                                                                    \
  }

/* Allocate the arrays of s for months (1..12,000) months from start, every value NaN (not
** given). WP_EINVAL for a bad count or month, WP_ENOMEM (s is then left zeroed). */
WP_API wp_status wp_market_series_init(wp_market_series *s, wp_ym start, size_t months,
                                       wp_error *err);

/* Free the arrays and zero s; NULL or a released series is a no-op. */
WP_API void wp_market_series_release(wp_market_series *s);

/* The row of s that holds calendar month ym: may be < 0 or >= s->months (not covered). */
WP_API int64_t wp_market_series_row(const wp_market_series *s, wp_ym ym);

/*
** Apply s to a filled path (pure; allocation-free): the months s covers and gives a value for
** take it, in this order: BTC price, fees, power, GPU and colo overrides; then, when a is not
** NULL and its difficulty_model is equilibrium, the equilibrium difficulty again over the whole
** path (wp_market_path_fill_equilibrium), so the network answers the file's prices and fees;
** then difficulty overrides; then hashprice recomputed for every month from
** (subsidy + fees) / difficulty and the price (wp_market_path_update_hashprice); then hashprice
** overrides (USD/PH/day; the BTC hashprice becomes usd / price). Months outside s, and NaN
** values, keep the path's. a NULL: the path's difficulty stands (as an exogenous model's).
** WP_EINVAL for an uninitialized path or series, or a value a path cannot hold (naming the
** month), and a's range errors.
*/
WP_API wp_status wp_market_path_apply_series(wp_market_path *path, const wp_market_series *s,
                                             const wp_market_assumptions *a, wp_error *err);

/* (1 + g)^(m/12): the factor by which a quantity growing g per year changes in m months. */
WP_API double wp_market_growth_factor(double g_per_yr, double months);

#ifdef __cplusplus
}
#endif
#endif
