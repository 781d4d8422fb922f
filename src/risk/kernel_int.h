/*
** src/risk/kernel_int.h — internal: a pathway prepared for re-evaluation on many market paths: the
** risk engine's kernel (docs/model/risk.md, "Fast kernel").
**
** A full pathway run (wattpivot/pathway.h) books every ledger line and runs the whole finance
** engine. Across Monte Carlo paths most of that does not change: capex, asset sales,
** depreciation, fixed opex, leases, the construction loan, the discount factors. Preparing a
** pathway runs it once in full and records those market-independent lines; each evaluation
** then recomputes only what the market moves — mining revenue and curtailment, power bills,
** re-let and merchant GPU revenue, EBITDA, term debt sized on the path's CFADS, tax with loss
** carry-forward, the cash flows and the NPV — with the ledger's own arithmetic (the shared
** expressions of src/model/finance_int.h and revenue_int.h), so the results are the full
** run's bit for bit. Preparation checks exactly that on its market path and reports the
** pathway unusable otherwise (and for what the kernel does not cover: a PPA, a mining fleet
** refresh, whose decisions depend on the market); callers then use wp_pathway_run.
*/
#ifndef WP_RISK_KERNEL_INT_H
#define WP_RISK_KERNEL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "wattpivot/error.h"
#include "wattpivot/market.h"
#include "plan/pathway_int.h"
#include "wattpivot/pathway.h"


typedef struct wp_pathway_fast wp_pathway_fast;

/* A kernel for months months (1..1200): O(months) memory, allocated once. WP_EINVAL, WP_ENOMEM. */
wp_status wp_pathway_fast_new(size_t months, wp_pathway_fast **out, wp_error *err);
void wp_pathway_fast_free(wp_pathway_fast *f);

/*
** Prepare f for pathway p of site s: runs wp_pathway_run(ev, s, p, mp, ft, out) (with the
** evaluator's current phase override, which the preparation is then specific to), records the
** market-independent lines and checks that wp_pathway_fast_eval on mp gives the run's NPV and
** equity cash flows bit for bit. *usable is 1 when it does; 0 when f must not be used (a PPA,
** a fleet refresh, or a mismatch). Errors: those of wp_pathway_run.
*/
wp_status wp_pathway_fast_prepare(wp_pathway_fast *f, wp_pathway_eval *ev, const wp_site *s,
                                  const wp_pathway *p, const wp_market_path *mp,
                                  const wp_finance_terms *ft, wp_pathway_result *out, int *usable,
                                  wp_error *err);

/* 1 when f was prepared and passed its check. */
int wp_pathway_fast_usable(const wp_pathway_fast *f);

/* Doubles of scratch an evaluation needs (8 x months). */
size_t wp_pathway_fast_scratch_len(size_t months);

/*
** Evaluate a usable prepared pathway on market path mp (the months and start it was prepared
** for) with the site's power prices pw (wp_pathway_site_power of mp): returns the project NPV
** (metrics.npv_usd of wp_pathway_run on mp) and, when equity_cf is not NULL, writes the
** equity cash flow of each month. scratch has wp_pathway_fast_scratch_len(months) doubles.
** No checks, no allocation; f is only read, so threads may share it (each with its scratch).
*/
double wp_pathway_fast_eval(const wp_pathway_fast *f, const wp_market_path *mp, const double *pw,
                            double *equity_cf, double *scratch);

/* Paths one lanes evaluation takes. */
#define WP_PATHWAY_FAST_LANES 4

/*
** The market of a group of WP_PATHWAY_FAST_LANES paths, lane-interleaved: field[m * LANES + l] is
** path l's value in month m (what vector instructions load in one go). Fill it from the paths
** with wp_pathway_lanes_market_fill; its arrays are the caller's (5 x months x LANES doubles).
*/
typedef struct wp_pathway_lanes_market {
  size_t months;
  const int *days; /* the paths' calendar (the same for every lane) */
  double *hashprice_btc_per_ph_day, *btc_price_usd, *gpu_usd_per_hour, *colo_usd_per_kw_month,
      *power_usd_per_mwh;
} wp_pathway_lanes_market;

/* sums[s][i] += x[i] for each of the nsums arrays, over months x LANES lane-interleaved values
** (each lane's sums as one by one; x read once). */
void wp_pathway_lanes_add(double *const *sums, size_t nsums, const double *x, size_t months);

/* Each lane's lowest running balance: cash = start, then for each month cash += flow[m * LANES
** + l] + common[m]; low[l] is the least cash (+inf when months is 0). */
void wp_pathway_lanes_low_balance(double start, const double *flow, const double *common,
                                  size_t months, double low[WP_PATHWAY_FAST_LANES]);

/* Interleave the paths mp[0..LANES-1] (of the market's months) into mk's arrays. */
void wp_pathway_lanes_market_fill(wp_pathway_lanes_market *mk,
                                  const wp_market_path *const mp[WP_PATHWAY_FAST_LANES]);

/* Site s's power prices of the group's paths, lane-interleaved (months x LANES values): for
** each lane what wp_pathway_site_power gives for its path. */
void wp_pathway_site_power_lanes(const wp_site *s, const wp_pathway_lanes_market *mk,
                                 double *usd_per_mwh);

/*
** Evaluate WP_PATHWAY_FAST_LANES prepared kernels on the group's paths at once: lane l is kernel
** f[l] (the same kernel may serve several lanes) on path l of mk with power prices pw
** (wp_pathway_site_power_lanes); writes npv[l] and, when equity_cf is not NULL, the equity cash
** flows lane-interleaved (equity_cf[m * LANES + l]). Each lane gives exactly what
** wp_pathway_fast_eval gives for its path; the lanes only share the arithmetic (SIMD). Returns
** 0 without evaluating when the CPU lacks AVX2 or the kernels differ in structure (business
** model, financing, fleet, tax terms) or one is not usable: evaluate those lanes one by one.
** scratch has WP_PATHWAY_FAST_LANES x wp_pathway_fast_scratch_len(months) doubles.
*/
int wp_pathway_fast_eval_lanes(const wp_pathway_fast *const f[WP_PATHWAY_FAST_LANES],
                               const wp_pathway_lanes_market *mk, const double *pw,
                               double *equity_cf, double *scratch,
                               double npv[WP_PATHWAY_FAST_LANES]);

#endif
