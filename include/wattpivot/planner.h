/*
** wattpivot/planner.h — the portfolio planner (docs/planner.md): for a scenario, decide by
** optimization, strategy by strategy, which parts of which sites convert to AI, when, and to
** what business model, under every limit of the scenario, and say why.
**
** Projects. A site's grid MW is divided into tranches (strategy.tranches: cumulative shares,
** default 25/50/75/100 %); a site with expandable_mw has one more project: its grid expansion.
** Each tranche is a project with its own ledger, as a phase of a project-financed build is: its
** own construction loan, DSCR-sized term debt and tax. A tranche keeps mining, or converts from a
** start month to colo, gpu-contract or gpu-merchant; an expansion is a new AI hall or nothing.
** The plan's cash flows are the sum of its projects' and the corporate layer's.
**
** Options: every tranche x business model allowed at the site x start month (from
** earliest_convert_month every convert_month_step months) whose last hall energizes inside the
** horizon (an expansion's first hall not before its queue_months). Each option's monthly flows
** come from wp_pathway_run, computed once; a mixed-integer program (CBC) chooses at most one
** option per tranche, tranches in order (tranche j+1 converts only when tranche j does, and not
** earlier), under limits that are all hard:
**   cash floor       corporate cash at every month end >= cash_floor_usd;
**   debt capacity    term debt outstanding at every month end <= debt_capacity_usd;
**   capex budget     conversion capex (AI shell, MEP, soft costs, GPUs) per calendar year
**                    <= capex_usd_per_yr;
**   crews            projects under construction (start to last hall energized) in every month
**                    <= max_concurrent_projects (each tranche is a project of its own: its own
**                    finance and crew, so a plan is exactly the sum of its options; with
**                    strategy.crew_per build, a site's tranches that start and finish together
**                    in one business are one build and take one crew);
**   regional demand  AI IT MW per data-sovereignty region <= its ai_it_mw_max.
** Strategies are objectives and extra limits on the same program:
**   mining-only  nothing converts;
**   all-in       the most grid MW converted (tranches and expansions) the limits allow, then
**                the best NPV among those plans;
**   hybrid       the best NPV, with a further limit, mining cover: in every calendar year the
**                EBITDA of the parts still mining >= (overhead + convertible coupons) x
**                hybrid_floor_cover; an option counts only when its NPV gain over mining
**                exceeds min_uplift_usd_per_mw per grid MW;
**   custom       the file's custom: pathways, checked against every limit.
** A strategy whose limits no plan meets (the cash floor or hybrid's mining cover can be out of
** reach of every plan, even of converting nothing) gets the plan with the least shortfall (the
** lowest peak breach, then the best NPV), flagged infeasible with every breach; a custom plan
** that breaches a limit is flagged the same way. Every reported plan is checked against every
** limit by recomputing its projects' ledgers, not by trusting the solver.
** Strategy NPV = the projects' NPVs (in project order) + the corporate layer's NPV.
*/
#ifndef WATTPIVOT_PLANNER_H
#define WATTPIVOT_PLANNER_H

#include "error.h"
#include "export.h"
#include "pathway.h"
#include "program.h"
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
** bit for bit, but for the solve times (wp_solve_out.seconds) and a plan cut short by the
** solver's time limit (its status says so). Returns WP_EINVAL (bad scenario, empty mask),
** WP_ENOMEM, WP_ESOLVER when the solver itself fails, or the status of the model that failed, with
** its message naming the site.
*/
WP_API wp_status wp_plan_run(const wp_scenario *sc, unsigned mask, wp_plan_out **out,
                             wp_error *err);

/* Options of a plan run (wp_plan_run_opts). */
typedef struct wp_plan_opts {
  unsigned mask;     /* strategies planned (WP_STRATEGY_BIT; WP_STRATEGY_ALL: every one) */
  wp_strategy keep;  /* with program given: the strategy (all-in or hybrid, in mask) whose
                        mixed-integer program is kept, as wp_plan_run_keep */
  /* Called from the calling thread after each optimization (a strategy's plan; with the
     scenario's strategy.price_limits, each limit's re-solve) with the optimizations done and
     the total known so far: all-in's and hybrid's plans from the start, each one's priced
     limits added when its pricing begins. The last call has done == total. May be NULL. */
  void (*progress)(size_t done, size_t total, void *ctx);
  void *progress_ctx;
} wp_plan_opts;
#define WP_PLAN_OPTS_DEFAULT                                                                       \
  { .mask = WP_STRATEGY_ALL, .keep = WP_STRATEGY_HYBRID, .progress = NULL, .progress_ctx = NULL }

/* wp_plan_run with options: progress, and strategy o->keep's program in *program when program is
** not NULL (as wp_plan_run_keep). Errors as wp_plan_run_keep. */
WP_API wp_status wp_plan_run_opts(const wp_scenario *sc, const wp_plan_opts *o, wp_plan_out **out,
                                  wp_program **program, wp_error *err);

/*
** The mixed-integer program of strategy s (all-in or hybrid; the others have no choice to make)
** as the planner last solved it, with every monthly row, in *out (free with wp_program_free;
** wattpivot/program_file.h writes it as LP or MPS). Its objective is the strategy NPV in
** million USD (the constant part is a column K fixed at 1), so any MILP solver finds the NPV
** wp_plan_run reports (within the gap). Errors: WP_EINVAL (a strategy without a program, a bad
** scenario), and those of wp_plan_run.
*/
WP_API wp_status wp_plan_program(const wp_scenario *sc, wp_strategy s, wp_program **out,
                          wp_error *err);

/* wp_plan_run that also keeps strategy keep's program (all-in or hybrid, in mask) in *program:
** one plan, its program as solved. Errors as both. */
WP_API wp_status wp_plan_run_keep(const wp_scenario *sc, unsigned mask, wp_strategy keep,
                           wp_plan_out **out, wp_program **program, wp_error *err);

/* One project of a plan: a share of a site's grid, or its grid expansion, and what it does. */
typedef struct wp_plan_project {
  size_t site;           /* index into the scenario's sites */
  int expansion;         /* 0: a share of the site's grid MW; 1: its grid expansion */
  double share;          /* share of the site's grid MW, (0, 1]; 1 for an expansion */
  wp_business business;  /* WP_BUSINESS_MINING: the share keeps mining (never an expansion) */
  int64_t convert_month; /* first construction month; -1 when mining */
} wp_plan_project;

/* The site a project runs as: the site with grid_mw (and a PPA block) scaled to the share; an
** expansion is a new hall of expandable_mw with no mine and no PPA, AI-ready. */
WP_API wp_site wp_plan_project_site(const wp_site *site, const wp_plan_project *p);

/* The pathway a project runs: the scenario's conversion design and terms with the project's
** business and month, the whole of the project's site (mining: keep mining). */
WP_API wp_pathway wp_plan_project_pathway(const wp_scenario *sc, const wp_plan_project *p);

/*
** The decisions of a deterministic plan and what re-evaluating them needs: the sites (with
** their country's tax rate), the finance terms a project is run under, and the corporate layer
** (which no market path moves). Strategy k's projects are project[first[k] .. first[k+1]), in
** site order; within a site its converted tranches in order, then its mining share (when any
** remains), then its expansion. Strategy NPV on any market path = corporate_npv_usd + the sum, in
** that order, of the NPVs of wp_plan_project_pathway(sc, p) run for wp_plan_project_site(site,
** p) on that path with site_terms: on the deterministic path it equals wp_plan_run's npv_usd bit
** for bit. The corporate cash balance: cash_start + running sum over months of (the projects'
** equity cash flows, then + corporate_equity_cf_usd[m]).
*/
typedef struct wp_plan_decisions {
  size_t nstrategies;                       /* strategies decided, in enum order */
  wp_strategy strategies[WP_STRATEGY_COUNT];
  size_t nsites, months;
  size_t first[WP_STRATEGY_COUNT + 1];
  wp_plan_project *project;
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

/* wp_plan_decide with options: o->mask and o->progress (o->keep is not used). Errors as
** wp_plan_decide. */
WP_API wp_status wp_plan_decide_opts(const wp_scenario *sc, const wp_plan_opts *o,
                                     wp_plan_decisions **out, wp_error *err);

/* The projects of the k-th decided strategy (*n of them; NULL when k is out of range). */
WP_API const wp_plan_project *wp_plan_projects(const wp_plan_decisions *d, size_t k, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
