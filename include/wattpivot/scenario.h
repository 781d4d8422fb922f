/*
** wattpivot/scenario.h — a planning scenario: time grid, market assumptions, finance terms,
** the conversion design and business terms, strategy constraints, the corporate layer, and the
** sites; its defaults and its cross-field checks. A pure struct: files are read and written by
** wattpivot/scenario_file.h (YAML, and the built-in default, data/default_scenario.yaml).
** Keys and their units: docs/scenario.md.
*/
#ifndef WATTPIVOT_SCENARIO_H
#define WATTPIVOT_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "error.h"
#include "export.h"
#include "finance.h"
#include "market.h"
#include "pathway.h"
#include "risk_assumptions.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WP_SCENARIO_MAX_SITES 256
#define WP_SCENARIO_MAX_COUNTRIES 32
#define WP_SCENARIO_MAX_REGIONS 16
#define WP_SCENARIO_MAX_CUSTOM 64
#define WP_SCENARIO_MAX_TRANCHES 8

/* The tranches a site's grid MW is divided into, as cumulative shares: levels 0.25, 0.5, 0.75,
** 1.0 are four tranches of 25 % each (tranche j is the share level[j] - level[j-1]). Strictly
** increasing in (0, 1]; a share above the last level never converts. */
typedef struct wp_tranche_levels {
  size_t n;
  double level[WP_SCENARIO_MAX_TRANCHES];
} wp_tranche_levels;

/* Income tax by country. */
typedef struct wp_country {
  char name[48];
  double tax_rate; /* fraction [0, 1) */
} wp_country;

/* AI demand a region can absorb (data sovereignty: a tenant's data stays in its region). */
typedef struct wp_region {
  char name[16];       /* "US", "CA", "EU", "AF", "ASIA" */
  double ai_it_mw_max; /* critical IT MW of AI the region's tenants take, in all */
} wp_region;

/* What holds a crew while it is under construction (wattpivot/planner.h, docs/planner.md
** "Crews"): each tranche (the default), or each build (a site's tranches that start and energize
** their last hall in the same months, in one business: built together, one crew). */
typedef enum wp_crew_per {
  WP_CREW_PER_TRANCHE = 0,
  WP_CREW_PER_BUILD,
  WP_CREW_PER_COUNT
} wp_crew_per;

/* "tranche", "build" ("?" out of range). */
WP_API const char *wp_crew_per_name(wp_crew_per c);

/* Limits and choices of the strategies (wattpivot/planner.h). */
typedef struct wp_strategy_opts {
  double capex_usd_per_yr;          /* conversion capex per calendar year, at most */
  int64_t max_concurrent_projects;  /* crews: projects under construction in any month, at most */
  wp_crew_per crew_per;             /* what a project is: a tranche, or a build */
  double debt_capacity_usd;         /* term debt outstanding across all projects, at most */
  double cash_floor_usd;            /* corporate cash at every month end, at least */
  int64_t earliest_convert_month;   /* no construction starts before this month */
  int64_t convert_month_step;       /* months between the start months the planner offers */
  double hybrid_floor_cover;        /* hybrid: kept mining EBITDA >= this x corporate costs */
  double min_uplift_usd_per_mw;     /* hybrid: an option counts only above this NPV gain per MW */
  wp_tranche_levels tranches;       /* how each site's grid MW is divided */
  unsigned business_models;         /* what a conversion may sell (WP_BUSINESS_BIT set) */
  double mip_gap;                   /* the solver stops at this relative optimality gap */
  int64_t solver_nodes;             /* branch-and-bound nodes of one solve, at most */
  double solver_seconds;            /* time limit of one solve (a safety net: the node limit
                                       keeps results the same on every machine) */
  double relax_fraction;            /* "value of relaxing": each limit relaxed by this share */
  int price_limits;                 /* 1: price every limit of an optimized strategy (a re-solve
                                       per limit; plan --price-limits) */
} wp_strategy_opts;

/* Corporate layer: what no single site carries. */
typedef struct wp_corporate {
  double cash_start_usd;       /* cash at the start of month 0 */
  double overhead_usd_per_yr;  /* corporate G&A, paid monthly */
} wp_corporate;

/* A pathway fixed by the user for one site (strategy "custom"). A site may be named several
** times (phases: each entry converts its own share, the shares adding up to at most 1); an
** entry with expansion set builds the site's grid expansion instead. */
typedef struct wp_custom_pathway {
  char site[64];
  wp_business business;
  int64_t convert_month;
  double convert_fraction; /* share of the site's grid MW (expansion: ignored) */
  int expansion;           /* 1: the site's expandable_mw, energized after its queue_months */
} wp_custom_pathway;

typedef struct wp_scenario {
  char name[128];
  char source[256];            /* the file it came from, or "built-in default" */
  wp_ym start;                 /* month 0 */
  int64_t horizon_months;
  wp_market_assumptions market;
  wp_finance_terms finance;    /* finance.hurdle_rate: the discount rate of every NPV (the file's
                                  scenario.hurdle_rate); tax_rate is replaced per site by its
                                  country's rate */
  wp_pathway conversion;       /* design, plan and business terms of a conversion */
  wp_strategy_opts strategy;
  wp_corporate corporate;
  wp_risk_assumptions risk;    /* stochastic market and schedule (wattpivot risk) */
  size_t ncountries;
  wp_country countries[WP_SCENARIO_MAX_COUNTRIES];
  size_t nregions;
  wp_region regions[WP_SCENARIO_MAX_REGIONS];
  size_t nsites;
  wp_site sites[WP_SCENARIO_MAX_SITES];
  size_t ncustom;
  wp_custom_pathway custom[WP_SCENARIO_MAX_CUSTOM];
  /* market_file: monthly values replacing the deterministic market path's for the months they
     cover (wp_market_path_apply_series), or NULL. Owned by the scenario (wp_scenario_free). */
  wp_market_series *market_series;
  /* The sites' power_file: series (wp_site.power_series points at these); owned, as above. A
     scenario copied byte for byte (memcpy) shares them: the copy must not outlive the original
     and is released with free(), not wp_scenario_free. */
  size_t nseries;
  wp_market_series *series[WP_SCENARIO_MAX_SITES];
} wp_scenario;

/*
** Allocate a scenario (heap: it is large) holding the library defaults: every value of the
** built-in default scenario (data/default_scenario.yaml) except its portfolio, so a file that
** leaves a section out gets the default's values for it. Countries (statutory tax rates) are
** the default's too; sites, regions and custom pathways are empty: they describe a portfolio.
** NULL when out of memory. Free with wp_scenario_free (NULL is a no-op).
*/
WP_API wp_scenario *wp_scenario_new(void);
WP_API void wp_scenario_free(wp_scenario *sc);

/* The site a file gets for keys it leaves out: an air-cooled S21 XP mine on the scenario's
** market power price, temperate climate, AI-ready, no PPA (docs/scenario.md lists each value
** and its source). Name, country and region are empty; grid_mw is 0. */
WP_API wp_site wp_scenario_site_default(const wp_scenario *sc);

/* Cross-field checks: sites, countries, regions and custom pathways agree. */
WP_API wp_status wp_scenario_check(const wp_scenario *sc, wp_error *err);

/* As wp_scenario_check, but going on after a failed check: each (when not NULL) receives every
** error, in the order of the checks (a site's errors together); err the first. Returns the
** first error's status, WP_OK when there is none. */
WP_API wp_status wp_scenario_check_each(const wp_scenario *sc,
                                        void (*each)(void *ctx, const wp_error *e), void *ctx,
                                        wp_error *err);

/* The tax rate of a country (WP_EINVAL naming it and the known ones when unknown). */
WP_API wp_status wp_scenario_tax_rate(const wp_scenario *sc, const char *country, double *rate,
                               wp_error *err);

/* Index of the site called name, or -1. */
WP_API long wp_scenario_site_index(const wp_scenario *sc, const char *name);

/*
** The finance terms a site's pathway runs under: the scenario's, without the convertible notes
** (corporate: the corporate layer carries them, not a site) and without IRRs (compute_irr 0).
** Each site's country rate replaces tax_rate when its pathway runs; the discount rate is
** finance.hurdle_rate.
*/
WP_API wp_finance_terms wp_scenario_site_terms(const wp_scenario *sc);

/*
** The scenario's deterministic market path, as plan runs it: path (initialized with
** wp_market_path_init for the months wanted) filled from sc->start with sc->market, then the
** market_file's months over it (wp_market_path_apply_series, the equilibrium answering the
** file's prices). Every writer that re-runs a plan's pathways (the workbook) uses this, so its
** ledgers are the plan's. WP_EINVAL (errors of the file's series prefixed "market_file").
*/
WP_API wp_status wp_scenario_market_path(const wp_scenario *sc, wp_market_path *path,
                                         wp_error *err);

#ifdef __cplusplus
}
#endif
#endif
