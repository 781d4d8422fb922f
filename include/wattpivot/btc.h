/*
** wattpivot/btc.h — the bitcoin protocol facts the economics rest on, exact to Bitcoin Core:
** block subsidy by height (GetBlockSubsidy, src/validation.cpp), halvings, total supply,
** difficulty <-> hashrate, one difficulty retarget (CalculateNextWorkRequired, src/pow.cpp)
** and compact nBits -> difficulty (GetDifficulty, src/rpc/blockchain.cpp).
** Pure functions: no allocation, no state, thread-safe. Satoshis are int64_t.
*/
#ifndef WATTPIVOT_BTC_H
#define WATTPIVOT_BTC_H

#include <stdint.h>

#include "error.h"
#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WP_BTC_COIN_SAT 100000000LL          /* satoshis per BTC (consensus/amount.h) */
#define WP_BTC_HALVING_INTERVAL 210000       /* nSubsidyHalvingInterval (chainparams.cpp) */
#define WP_BTC_TARGET_SPACING_S 600          /* nPowTargetSpacing */
#define WP_BTC_RETARGET_INTERVAL 2016        /* DifficultyAdjustmentInterval() */
#define WP_BTC_TARGET_TIMESPAN_S 1209600     /* nPowTargetTimespan: two weeks */
#define WP_BTC_BLOCKS_PER_DAY 144.0          /* 86400 / 600 expected */
#define WP_BTC_MAX_HEIGHT 2147483647LL       /* Core's nHeight is an int */
/*
** Hashes per unit of difficulty. Industry convention 2^32 (Luxor, pools, most calculators);
** Bitcoin Core's exact figure is 2^48/0xFFFF = 4,295,032,833 (1.5e-5 higher). We use 2^32
** so our hashprice matches published indices; see docs/model/mining.md.
*/
#define WP_BTC_HASHES_PER_DIFFICULTY 4294967296.0

/* Block subsidy in satoshis at height (0 <= height <= WP_BTC_MAX_HEIGHT): 50 BTC shifted
** right once per 210,000 blocks, 0 from 64 halvings on. Returns -1 for a negative height. */
WP_API int64_t wp_btc_subsidy_sat(int64_t height);

/* Number of halvings that have happened at height (height / 210,000); -1 if height < 0. */
WP_API int64_t wp_btc_halvings(int64_t height);

/* First height of the next halving after height, or -1 when the subsidy at height is
** already 0 (no further halving changes anything) or height < 0. */
WP_API int64_t wp_btc_next_halving_height(int64_t height);

/* Sum of the subsidy over every height: 2,099,999,997,690,000 sat (Core's
** subsidy_limit_test). Computed era by era, not looked up. */
WP_API int64_t wp_btc_total_supply_sat(void);

/* Expected network hashrate in H/s for difficulty: D * 2^32 / 600. */
WP_API double wp_btc_hashrate_hs(double difficulty);

/* Difficulty whose expected hashrate is hashrate_hs (inverse of wp_btc_hashrate_hs). */
WP_API double wp_btc_difficulty_for_hashrate(double hashrate_hs);

/*
** One retarget: the epoch's measured timespan (first to last block of the 2016, i.e. 2015
** intervals) is clamped to [T/4, 4T] with T = 1,209,600 s, and difficulty scales by
** T / clamped. Writes the new difficulty and the factor applied.
** Returns WP_EINVAL when difficulty <= 0 or timespan_s <= 0 or either is not finite.
** Precision: the real chain re-encodes the target in 24-bit compact form, so chain values
** differ from this exact ratio by up to ~2^-15 relative.
*/
WP_API wp_status wp_btc_retarget(double difficulty, double timespan_s, double *new_difficulty,
                          double *factor, wp_error *err);

/* Timespan of an epoch of 2016 blocks spaced exactly spacing_s apart: 2015 intervals, so at
** 600 s difficulty still rises by 1,209,600/1,209,000 - 1 = +0.0496% (Core's off-by-one). */
WP_API double wp_btc_epoch_timespan_s(double spacing_s);

/*
** Difficulty of compact target bits (GetDifficulty): 0x1d00ffff -> 1.0,
** 0x1b0404cb -> 16307.420938523983. Returns WP_EINVAL when the 23-bit mantissa is 0
** (no valid target) or the sign bit 0x00800000 is set (a negative target is invalid).
*/
WP_API wp_status wp_btc_difficulty_from_nbits(uint32_t nbits, double *difficulty, wp_error *err);

/* Height reached days after an anchor (height0 at day 0) at 144 blocks/day, rounded down.
** Negative days go back in time; the result is clamped at 0. */
WP_API int64_t wp_btc_height_after_days(int64_t height0, double days);

#ifdef __cplusplus
}
#endif
#endif
