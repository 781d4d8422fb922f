/*
** wattpivot/planner.h — the portfolio planner (docs/planner.md): for a scenario,
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
#include "export.h"
#include "pathway.h"
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
WP_API const char *wp_strategy_name(wp_strategy s);
/* Parse a strategy name; WP_EINVAL listing the accepted names. */
WP_API wp_status wp_strategy_from_name(const char *name, wp_strategy *out, wp_error *err);

/* Bit of a strategy in a selection mask; WP_STRATEGY_ALL selects every strategy. */
#define WP_STRATEGY_BIT(s) (1u << (unsigned)(s))
#define WP_STRATEGY_ALL ((1u << WP_STRATEGY_COUNT) - 1u)

/*
** Plan the scenario for the strategies in mask (in enum order) and return the results in
** *out (free with wp_plan_out_free). Deterministic: the same scenario gives the same result
** bit for bit. Returns WP_EINVAL (bad scenario, empty mask), WP_ENOMEM, or the status of the
** model that failed, with its message naming the site.
*/
WP_API wp_status wp_plan_run(const wp_scenario *sc, unsigned mask, wp_plan_out **out,
                             wp_error *err);

/* A site's decision under a strategy: what the strategy *is*, independent of the market. */
typedef struct wp_plan_decision {
  wp_business business;    /* WP_BUSINESS_MINING: keep mining (the other fields unused) */
  int64_t convert_month;   /* first construction month (-1 when mining) */
  double convert_fraction; /* share of the site's grid MW converted (0 when mining) */
} wp_plan_decision;

/*
** The decisions of a deterministic plan and what re-evaluating them needs: the sites (with
** their country's tax rate), the finance terms a site is run under, and the corporate layer
** (which no market path moves). Strategy NPV on any market path =
** corporate_npv_usd + sum over sites i (in order) of the site NPV of
** wp_plan_pathway(sc, decision(k, i)) run on that path with site_terms — summed in exactly
** this order, it equals wp_plan_run's npv_usd bit for bit on the deterministic path.
** The corporate cash balance: cash_start + running sum over months of
** (sum over sites of equity cash flow, then + corporate_equity_cf_usd[m]).
*/
typedef struct wp_plan_decisions {
  size_t nstrategies;                       /* strategies decided, in enum order */
  wp_strategy strategies[WP_STRATEGY_COUNT];
  size_t nsites, months;
  wp_plan_decision *decision;               /* [k * nsites + i] */
  wp_site *sites;                           /* nsites, tax_rate from the site's country */
  wp_finance_terms site_terms;              /* hurdle from the scenario, no convertible, no IRR */
  double corporate_npv_usd;                 /* NPV of overhead + convertible notes */
  double *corporate_equity_cf_usd;          /* months: the corporate layer's equity flows */
  double npv_usd[WP_STRATEGY_COUNT];        /* the plan's strategy NPV (as wp_plan_run) */
  double min_cash_usd[WP_STRATEGY_COUNT];   /* the plan's lowest month-end cash */
} wp_plan_decisions;

/*
** Plan the scenario (as wp_plan_run, the same decisions) and return the decisions in *out
** (free with wp_plan_decisions_free). Errors as wp_plan_run.
*/
WP_API wp_status wp_plan_decide(const wp_scenario *sc, unsigned mask, wp_plan_decisions **out,
                         wp_error *err);
WP_API void wp_plan_decisions_free(wp_plan_decisions *d);

/* The decision of site i under the k-th decided strategy (NULL when out of range). */
WP_API const wp_plan_decision *wp_plan_decision_at(const wp_plan_decisions *d, size_t k, size_t i);

/* The pathway the planner runs for a decision: the scenario's conversion design and terms with
** the decision's business, month and fraction (keep mining for WP_BUSINESS_MINING). */
WP_API wp_pathway wp_plan_pathway(const wp_scenario *sc, const wp_plan_decision *d);

#ifdef __cplusplus
}
#endif
#endif
