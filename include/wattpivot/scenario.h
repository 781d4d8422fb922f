/*
** wattpivot/scenario.h — a planning scenario: time grid, market assumptions, finance terms,
** the conversion design and business terms, strategy constraints, the corporate layer, and the
** sites. Loaded from YAML (every error names file:line:column, the key path and the accepted
** values; unknown keys are refused with a "did you mean") or from the built-in default, which is
** itself a YAML text (data/default_scenario.yaml) compiled into the library: `scenario init`
** writes it out, and planning that file gives the same results as the default.
** Keys and their units: docs/scenario.md.
*/
#ifndef WATTPIVOT_SCENARIO_H
#define WATTPIVOT_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "error.h"
#include "finance.h"
#include "market.h"
#include "pathway.h"
#include "risk.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WP_SCENARIO_MAX_SITES 64
#define WP_SCENARIO_MAX_COUNTRIES 32
#define WP_SCENARIO_MAX_REGIONS 16
#define WP_SCENARIO_MAX_CUSTOM 64

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

/* Constraints and choices of the strategies. */
typedef struct wp_strategy_opts {
  double capex_usd_per_yr;          /* conversion capex per calendar year, at most */
  int64_t max_concurrent_projects;  /* crews: conversions under construction at once */
  double debt_capacity_usd;         /* term debt drawn across all sites, at most */
  double cash_floor_usd;            /* the corporate cash balance must stay above this */
  int64_t earliest_convert_month;   /* no construction starts before this month */
  int64_t convert_month_step;       /* months between the start dates the planner tries */
  double hybrid_floor_cover;        /* hybrid: mining EBITDA >= this x corporate costs */
  double min_uplift_usd_per_mw;     /* hybrid converts a site only above this NPV uplift */
} wp_strategy_opts;

/* Corporate layer: what no single site carries. */
typedef struct wp_corporate {
  double cash_start_usd;       /* cash at the start of month 0 */
  double overhead_usd_per_yr;  /* corporate G&A, paid monthly */
} wp_corporate;

/* A pathway fixed by the user for one site (strategy "custom"). */
typedef struct wp_custom_pathway {
  char site[64];
  wp_business business;
  int64_t convert_month;
  double convert_fraction;
} wp_custom_pathway;

typedef struct wp_scenario {
  char name[128];
  char source[256];            /* the file it came from, or "built-in default" */
  wp_ym start;                 /* month 0 */
  int64_t horizon_months;
  double hurdle_rate;          /* fraction per year */
  wp_market_assumptions market;
  wp_finance_terms finance;    /* tax_rate is replaced per site by its country's rate */
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
} wp_scenario;

/* Allocate a scenario (heap: it is large) holding the library defaults and no sites.
** NULL when out of memory. Free with wp_scenario_free (NULL is a no-op). */
wp_scenario *wp_scenario_new(void);
void wp_scenario_free(wp_scenario *sc);

/* Load a YAML scenario file into sc (which wp_scenario_new made). Missing keys keep the
** defaults; unknown keys, values out of range, a site naming an unknown country, duplicate
** site names and custom pathways naming unknown sites are refused (WP_EPARSE or WP_EINVAL,
** the message starting with "FILE:LINE:COLUMN: key.path: "). WP_EIO when unreadable. */
wp_status wp_scenario_load_file(wp_scenario *sc, const char *path, wp_error *err);

/* The same from text (name is used in messages). */
wp_status wp_scenario_load_text(wp_scenario *sc, const char *name, const char *text,
                                wp_error *err);

/* Load the built-in default (name "built-in default"). */
wp_status wp_scenario_load_default(wp_scenario *sc, wp_error *err);

/* The built-in default as YAML text: fully commented with units and sources. */
const char *wp_scenario_default_text(void);

/* Read a scenario file's whole text (for the results store: a run keeps the text it planned).
** *text is malloc'd and NUL-terminated; the caller frees it. WP_EIO naming the path and the
** system's reason; WP_EINVAL when it exceeds max_bytes. */
wp_status wp_scenario_read_text(const char *path, size_t max_bytes, char **text, wp_error *err);

/* Write the built-in default scenario's text to path ("-" = standard output). An existing
** file is refused (WP_EIO "... exists; use --force") unless overwrite is 1. The file is written
** under a temporary name and renamed into place, so a failure never leaves half a file. */
wp_status wp_scenario_write_default(const char *path, int overwrite, wp_error *err);

/* The site a file gets for keys it leaves out: an air-cooled S21 XP mine on the scenario's
** market power price, temperate climate, AI-ready, no PPA (docs/scenario.md lists each value
** and its source). Name, country and region are empty; grid_mw is 0. */
wp_site wp_scenario_site_default(const wp_scenario *sc);

/* Cross-field checks: sites, countries, regions and custom pathways agree. */
wp_status wp_scenario_check(const wp_scenario *sc, wp_error *err);

/* The tax rate of a country (WP_EINVAL naming it and the known ones when unknown). */
wp_status wp_scenario_tax_rate(const wp_scenario *sc, const char *country, double *rate,
                               wp_error *err);

/* Index of the site called name, or -1. */
long wp_scenario_site_index(const wp_scenario *sc, const char *name);

#ifdef __cplusplus
}
#endif
#endif
