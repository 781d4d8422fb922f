/*
** wattpivot/planner.h — the portfolio planner (MODEL.md §9; docs/planner.md): for a scenario,
** evaluate strategies side by side and decide, site by site, what to convert, when and how,
** with the numbers that decided it.
**
** Strategies:
**  mining-only  every site keeps mining;
**  all-in       every AI-ready site converts as early as crews, the yearly capex budget, debt
**               capacity and regional AI demand allow (best NPV uplift per MW first);
**  hybrid       mining stays the cash base: a site converts only when its best conversion
**               (over the start months tried) beats mining by more than min_uplift_usd_per_mw,
**               the constraints allow it, the corporate cash stays above the floor, and the
**               first-year EBITDA of the sites still mining keeps covering the corporate costs
**               (overhead + convertible coupons) x hybrid_floor_cover;
**  custom       the pathways listed in the scenario's custom: section; other sites mine.
** Strategy NPV = sum of the sites' project NPVs + the corporate layer's NPV (overhead).
*/
#ifndef WATTPIVOT_PLANNER_H
#define WATTPIVOT_PLANNER_H

#include "error.h"
#include "results.h"
#include "scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum wp_strategy {
  WP_STRATEGY_MINING_ONLY = 0,
  WP_STRATEGY_ALL_IN,
  WP_STRATEGY_HYBRID,
  WP_STRATEGY_CUSTOM
} wp_strategy;
#define WP_STRATEGY_COUNT 4

/* "mining-only", "all-in", "hybrid", "custom" ("?" out of range). */
const char *wp_strategy_name(wp_strategy s);
/* Parse a strategy name; WP_EINVAL listing the accepted names. */
wp_status wp_strategy_from_name(const char *name, wp_strategy *out, wp_error *err);

/* Bit of a strategy in a selection mask; WP_STRATEGY_ALL selects every strategy. */
#define WP_STRATEGY_BIT(s) (1u << (unsigned)(s))
#define WP_STRATEGY_ALL ((1u << WP_STRATEGY_COUNT) - 1u)

/*
** Plan the scenario for the strategies in mask (in enum order) and return the results in
** *out (free with wp_plan_out_free). Deterministic: the same scenario gives the same result
** bit for bit. Returns WP_EINVAL (bad scenario, empty mask), WP_ENOMEM, or the status of the
** model that failed, with its message naming the site.
*/
wp_status wp_plan_run(const wp_scenario *sc, unsigned mask, wp_plan_out **out, wp_error *err);

#ifdef __cplusplus
}
#endif
#endif
