/*
** src/risk/market_int.h — internal: the market generator's draws for a group of lanes of paths
** at once, as the risk engine's workers and kernels read them (lane-interleaved arrays).
*/
#ifndef WP_RISK_MARKET_INT_H
#define WP_RISK_MARKET_INT_H

#include <stddef.h>
#include <stdint.h>

#include "wattpivot/risk.h"

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

#endif
