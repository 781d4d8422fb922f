/*
** wattpivot/mining.h — bitcoin mining economics: hashprice (Luxor's definition), fleet
** hashrate per MW, revenue per MWh, break-even power price, revenue and margin per MW, the
** ASIC catalog with sources, and fleet capex. Pure functions: no allocation, thread-safe.
**
** Units: hashprice in BTC or USD per PH/s per day; efficiency in J/TH; power in MW of miner
** load ("IT MW") unless the name says grid; prices in USD/MWh. Equations: docs/model/mining.md.
*/
#ifndef WATTPIVOT_MINING_H
#define WATTPIVOT_MINING_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
** Market and fleet inputs for one mining evaluation. Every field carries its unit.
** WP_MINING_INPUTS_DEFAULT is the late-2025 network of the built-in default scenario:
**  difficulty 153.33T, BTC $96,532, fees 0.019 BTC/block — Luxor Hashrate Index, November
**  2025 monthly averages (hashrateindex.com/blog/luxor-hashrate-lookback-series-november-2025,
**  docs/sources/mining.md §2.3 H1);
**  height 922,656 — derived: the 840,000 halving block (20 Apr 2024) + 574 days to
**  15 Nov 2025 at 144 blocks/day (the subsidy, 3.125 BTC, is the same anywhere in that era);
**  efficiency 13.5 J/TH — Antminer S21 XP, the benchmark machine priced by Hashrate Index in
**  Nov 2025 (docs/sources/mining.md §3);
**  power $38/MWh — IREN FY2025 net electricity cost (docs/sources/mining.md §4.2; large-miner
**  band $30–45/MWh);
**  uptime 0.97 — the 1mining.ca 20 MW pro-forma; docs/sources/mining.md §4.3 suggests 97–98%;
**  pool fee 0 — hashprice is quoted gross of pool fees (Luxor); set your pool's fee;
**  PUE 1.0 — results per MW at the miners' plugs; set ~1.05 (air) / ~1.03 (hydro, immersion)
**  to include facility overhead (docs/model/mining.md §4).
*/
typedef struct wp_mining_inputs {
  double difficulty;         /* network difficulty (bdiff) */
  double btc_price_usd;      /* USD per BTC */
  double fees_btc_per_block; /* average transaction fees per block, BTC */
  int64_t height;            /* block height: selects the subsidy */
  double eff_j_per_th;       /* fleet efficiency, J/TH (> 0) */
  double power_usd_per_mwh;  /* all-in power price, USD/MWh (>= 0) */
  double uptime;             /* fraction of hours the fleet hashes, [0, 1] */
  double pool_fee;           /* fraction of revenue kept by the pool, [0, 1) */
  double pue;                /* grid MW per MW of miner load, [1, 3] */
} wp_mining_inputs;

#define WP_MINING_INPUTS_DEFAULT                                                          \
  {.difficulty = 153.33e12, .btc_price_usd = 96532.0, .fees_btc_per_block = 0.019,       \
   .height = 922656, .eff_j_per_th = 13.5, .power_usd_per_mwh = 38.0, .uptime = 0.97,    \
   .pool_fee = 0.0, .pue = 1.0}

/* Results of wp_mining_evaluate; per MW means per MW of miner load. */
typedef struct wp_mining_result {
  double subsidy_btc;                 /* block subsidy at the height */
  double hashprice_btc_per_ph_day;    /* (subsidy + fees) * 86400 * 1e15 / (D * 2^32) */
  double hashprice_usd_per_ph_day;    /* hashprice_btc * price */
  double ths_per_mw;                  /* 1e6 / E */
  double revenue_usd_per_mwh;         /* per MWh drawn at the meter, net of pool fee */
  double breakeven_power_usd_per_mwh; /* power price at which the margin is zero */
  double revenue_usd_per_mw_day;      /* uptime and pool fee applied */
  double power_usd_per_mw_day;        /* power paid for the hours run, PUE applied */
  double margin_usd_per_mw_day;       /* revenue - power */
} wp_mining_result;

/* Check every field of in against its range (named in the message). */
WP_API wp_status wp_mining_inputs_check(const wp_mining_inputs *in, wp_error *err);

/* Evaluate the mining economics of in. Returns WP_EINVAL (naming the field, the value and
** the accepted range) for out-of-range inputs. */
WP_API wp_status wp_mining_evaluate(const wp_mining_inputs *in, wp_mining_result *out,
                                    wp_error *err);

/* Hashprice in BTC per PH/s per day for a block reward (subsidy + fees, BTC) and difficulty:
** reward * 86400 * 1e15 / (D * 2^32). Requires difficulty > 0. */
WP_API double wp_mining_hashprice_btc_per_ph_day(double reward_btc_per_block, double difficulty);
/* Its expression, for a value or a vector of values (the risk generator's lanes). */
#define WP_MINING_HASHPRICE_BTC_PER_PH_DAY(reward_btc_per_block, difficulty)                      \
  ((reward_btc_per_block) * 86400.0 * 1e15 / ((difficulty) * WP_BTC_HASHES_PER_DIFFICULTY))

/* Subsidy at height (BTC) + fees per block (BTC). */
WP_API double wp_mining_reward_btc_per_block(int64_t height, double fees_btc_per_block);

/* TH/s that one MW of miners at eff_j_per_th delivers: 1e6 / E. */
WP_API double wp_mining_ths_per_mw(double eff_j_per_th);

/* Revenue per MWh consumed: HP_USD / (0.024 * E), the break-even power price at PUE 1 with
** no pool fee (Hashrate Index's revenue-per-MWh table). An inline definition (C11; the
** external one is in mining.c) so that per-month kernels evaluate it without a call. */
/* 1 PH/s at E J/TH draws E kW, i.e. 0.024 * E MWh per day. The expression, also for a vector
** of hashprices (the risk engine's lanes of paths). */
#define WP_MINING_REVENUE_USD_PER_MWH(hashprice_usd_per_ph_day, eff_j_per_th)                      \
  ((hashprice_usd_per_ph_day) / (0.024 * (eff_j_per_th)))
WP_API inline double wp_mining_revenue_usd_per_mwh(double hashprice_usd_per_ph_day,
                                                   double eff_j_per_th)
{
  return WP_MINING_REVENUE_USD_PER_MWH(hashprice_usd_per_ph_day, eff_j_per_th);
}

/* Capex of a fleet of ths TH/s bought at usd_per_th. */
WP_API double wp_mining_fleet_capex_usd(double ths, double usd_per_th);

/* ASIC catalog ---------------------------------------------------------------------------*/

typedef enum wp_asic_cooling { WP_ASIC_AIR, WP_ASIC_HYDRO, WP_ASIC_IMMERSION } wp_asic_cooling;

typedef struct wp_asic {
  const char *id;          /* command-line name, e.g. "s21-xp-hyd" */
  const char *name;        /* "Antminer S21 XP Hyd" */
  double ths;              /* nameplate hashrate, TH/s */
  double watts;            /* nameplate power at the wall, W */
  double eff_j_per_th;     /* nameplate efficiency, J/TH */
  wp_asic_cooling cooling; /* air, hydro or immersion */
  double price_usd_per_th; /* a cited market price, or NaN when none is cited */
  const char *source;      /* where the figures come from */
} wp_asic;

/* Number of catalog entries; entry i (NULL when i is out of range). */
WP_API size_t wp_asic_count(void);
WP_API const wp_asic *wp_asic_at(size_t i);

/* Find by id or name, ignoring case, spaces, '-', '_' and a leading maker name ("Antminer",
** "Whatsminer", "Bitdeer", "Canaan"): "S21 XP Hyd", "s21-xp-hyd", "antminer s21xp hyd" all
** match. Returns NULL when nothing matches. */
WP_API const wp_asic *wp_asic_find(const char *name);

/* "air", "hydro", "immersion". */
WP_API const char *wp_asic_cooling_name(wp_asic_cooling c);

/* Default ASIC price, USD/TH: Antminer S21 XP at $25.70/TH, Hashrate Index roundup of
** 3 Nov 2025 (docs/sources/mining.md §3). */
#define WP_ASIC_PRICE_USD_PER_TH_DEFAULT 25.70

#ifdef __cplusplus
}
#endif
#endif
