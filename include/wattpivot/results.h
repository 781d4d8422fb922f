/*
** wattpivot/results.h — the results of a plan run, as every writer sees them: the terminal
** summary, --json, the output folder (summary.json, sites.csv, ledger.csv, report.html) and
** the SQLite store. The planner fills a wp_plan_out; writers only read it.
**
** Shape: a plan run compares strategies; each strategy has headline metrics, one row per
** site (the decision and why) and monthly portfolio series (MW mix, cash flows, cash balance).
** Monthly series are indexed by month 0..months-1 of the scenario grid (month-end dates from
** wattpivot/calendar.h). Money in nominal USD; MW as named.
*/
#ifndef WATTPIVOT_RESULTS_H
#define WATTPIVOT_RESULTS_H

#include <stddef.h>

#include "calendar.h"
#include "error.h"
#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Monthly portfolio series of a strategy. Keep wp_series_name/unit in step. */
typedef enum wp_series {
  WP_SERIES_MINING_GRID_MW,       /* grid MW drawn by miners (month average) */
  WP_SERIES_AI_GRID_MW,           /* grid MW of energized AI halls */
  WP_SERIES_AI_IT_MW,             /* critical IT MW of energized AI halls */
  WP_SERIES_CONSTRUCTION_GRID_MW, /* grid MW out of service while being converted */
  WP_SERIES_REVENUE_MINING_USD,   /* mining revenue in the month */
  WP_SERIES_REVENUE_AI_USD,       /* colocation + GPU cloud revenue in the month */
  WP_SERIES_POWER_USD,            /* power cost paid by the operator */
  WP_SERIES_OPEX_USD,             /* other operating costs, incl. corporate overhead */
  WP_SERIES_CAPEX_USD,            /* capital spending */
  WP_SERIES_PROJECT_CF_USD,       /* unlevered (project) cash flow */
  WP_SERIES_EQUITY_CF_USD,        /* cash flow to equity after financing */
  WP_SERIES_CASH_USD,             /* corporate cash balance at month end */
  WP_SERIES_COUNT
} wp_series;

/* Column name with its unit, e.g. "mining_grid_mw", "revenue_ai_usd". */
WP_API const char *wp_series_name(wp_series s);
/* Unit label, e.g. "MW", "USD". */
WP_API const char *wp_series_unit(wp_series s);

/* One project of a site under a strategy (wattpivot/planner.h): a tranche of its grid MW, the
** share that keeps mining, or its grid expansion. */
typedef struct wp_tranche_out {
  int expansion;            /* 1: the site's grid expansion */
  double share;             /* share of the site's grid MW (1 for an expansion) */
  double grid_mw;           /* grid MW of the project */
  char business_model[32];  /* "mining", "colo", "gpu-contract", "gpu-merchant" */
  int convert_month;        /* month index construction starts, -1 when mining */
  int energize_month;       /* month index the last hall energizes, -1 when mining or never */
  double ai_it_mw;          /* sellable IT MW (0 when mining) */
  double capex_usd;         /* facility capex of the conversion (GPUs excluded) */
  double npv_usd;           /* the project's NPV at the hurdle rate */
} wp_tranche_out;

/* One site under one strategy: the sum of its projects. */
typedef struct wp_site_out {
  char name[64];
  char country[48];
  char decision[32];        /* "keep mining", "convert", "convert part" (expansion alone:
                               "expand") */
  char business_model[32];  /* its conversions' business models joined by '+' ("colo",
                               "colo+gpu-contract"), "" when mining */
  int convert_month;        /* month index the first construction starts, -1 when none */
  int energize_month;       /* month index the last hall energizes, -1 when none */
  double grid_mw;           /* the site's grid MW */
  double converted_grid_mw; /* grid MW converted to AI (0 when mining; expansions excluded) */
  double ai_it_mw;          /* sellable IT MW of its conversions and expansion */
  double capex_usd;         /* facility capex of its conversions and expansion */
  double npv_usd;           /* the site's NPV at the hurdle rate under this strategy */
  double mining_npv_usd;    /* the same site kept mining, for comparison */
  char reason[512];         /* why: the numbers that decided it */
  char refused[256];        /* for a site (or tranches) left mining: the best option refused and
                               the limits that refused it; "" when nothing was refused */
  size_t ntranches;
  wp_tranche_out *tranches; /* its projects, in plan order */
} wp_site_out;

/* The businesses a strategy's EBITDA is split into (wp_strategy_out.ebitda_usd). */
typedef enum wp_segment {
  WP_SEGMENT_MINING,    /* mining: its revenue less the mine's opex and share of the power */
  WP_SEGMENT_AI,        /* AI halls (colocation, GPU cloud): the rest of the sites' EBITDA */
  WP_SEGMENT_CORPORATE, /* corporate overhead (a cost: negative) */
  WP_SEGMENT_COUNT
} wp_segment;
/* The limits of a plan (wattpivot/planner.h). Keep wp_limit_name/unit in step. */
typedef enum wp_limit {
  WP_LIMIT_CASH_FLOOR = 0, /* monthly: corporate cash >= floor (USD) */
  WP_LIMIT_DEBT_CAPACITY,  /* monthly: term debt outstanding <= capacity (USD) */
  WP_LIMIT_CAPEX_BUDGET,   /* yearly: conversion capex <= budget (USD) */
  WP_LIMIT_CREWS,          /* monthly: projects under construction <= crews (projects) */
  WP_LIMIT_REGIONAL_DEMAND,/* per region: AI IT MW <= demand (MW) */
  WP_LIMIT_MINING_COVER,   /* yearly, hybrid: kept mining EBITDA >= costs x cover (USD) */
  WP_LIMIT_COUNT
} wp_limit;

/* "cash floor", "debt capacity", "capex budget", "crews", "regional demand", "mining cover". */
WP_API const char *wp_limit_name(wp_limit l);
/* "USD", "projects", "MW". */
WP_API const char *wp_limit_unit(wp_limit l);

/* How a plan stands against one limit (a region's demand is one row per region). */
typedef struct wp_limit_out {
  wp_limit limit;
  char scope[16];          /* the region for regional demand, else "" */
  double value;            /* the limit: floor, capacity, budget, crews, MW, costs x cover */
  double headroom;         /* least room left over its months or years, in the limit's unit
                              (negative: breached by that much) */
  int at_month;            /* month index of the least room (a year's: its first month) */
  int binding;             /* 1: the least room is within 1 % of the limit (crews: 0 free) */
  char binding_months[96]; /* where it binds, as month ranges ("2027-01..2027-06, 2029-03") */
  double relax_npv_usd;    /* NPV gained by relaxing it by relax_fraction (NaN: not solved) */
  double relax_ai_it_mw;   /* AI IT MW gained the same way (all-in; NaN: not solved) */
} wp_limit_out;

/* One month (or year) in which a plan breaks a limit. */
typedef struct wp_breach_out {
  wp_limit limit;
  char scope[16];          /* region, or "" */
  int month;               /* month index (a year's first month for yearly limits) */
  double amount;           /* how far beyond the limit, in its unit (> 0) */
} wp_breach_out;

/* How a strategy's plan was found. */
typedef struct wp_solve_out {
  char status[40];         /* "optimal", "node limit", "time limit", "least shortfall" (with
                              ", node limit" when a limit stopped it), "breaks a limit when
                              recomputed" (never expected: the ledgers disagree with the
                              program),
                              "fixed" (mining-only, custom: nothing to choose) */
  int feasible;            /* 1: the plan meets every limit (checked on its recomputed ledgers) */
  double objective;        /* the final objective: strategy NPV, USD */
  double bound;            /* the solver's best bound on it, USD (NaN when fixed) */
  double gap;              /* relative gap between them (0 when fixed) */
  double seconds;          /* wall time of the solves (not part of the result's identity) */
  size_t rows, cols, integers, nonzeros; /* the full program (every monthly row) */
  size_t solves;           /* solver calls: phases, rows added, relaxations */
  size_t polish_moves;     /* moves of one tranche (start month, business, one more or fewer)
                              that improved node-limited plans after their solve */
  double shortfall_usd;    /* least-shortfall plans: the peak breach the solver minimized */
} wp_solve_out;

typedef struct wp_strategy_out {
  char name[32];           /* "mining-only", "all-in", "hybrid", "custom" */
  double npv_usd;          /* strategy NPV at the hurdle rate (sites + corporate layer) */
  double irr;              /* project IRR; NaN when it does not exist (see irr_note) */
  char irr_note[128];      /* "" or why the IRR needs care (wp_finance_irr_note) */
  double peak_funding_usd; /* peak project funding: the largest cumulative need of the
                              unlevered (project) cash flows, before any debt (>= 0) */
  double peak_equity_funding_usd; /* the same of the cash flows to equity, after project debt,
                                     leases and the convertible: what the owners put in */
  double min_cash_usd;     /* lowest month-end cash balance */
  double ai_it_mw_end;     /* IT MW of AI at the last month */
  double mining_mw_end;    /* grid MW mining at the last month */
  double corporate_npv_usd;/* NPV of the corporate layer (overhead, notes); sites + this = npv */
  size_t nsites;
  wp_site_out *sites;      /* nsites rows */
  double *series[WP_SERIES_COUNT]; /* each months values */
  double *ebitda_usd[WP_SEGMENT_COUNT]; /* EBITDA by business, each months values (the three
                                           sum to revenue - power - opex); NULL when not known
                                           (a run loaded from the store) */
  wp_solve_out solve;      /* how the plan was found */
  size_t nlimits;
  wp_limit_out *limits;    /* the strategy's limits, in wp_limit order (a row per region) */
  size_t nbreaches;
  wp_breach_out *breaches; /* every month or year a limit is broken (empty when feasible) */
} wp_strategy_out;

/* The deterministic market path every strategy of a plan was valued on (for charts and sheets). */
typedef enum wp_plan_market {
  WP_PLAN_MARKET_BTC_PRICE_USD,
  WP_PLAN_MARKET_HASHPRICE_USD_PER_PH_DAY,
  WP_PLAN_MARKET_POWER_USD_PER_MWH,
  WP_PLAN_MARKET_GPU_USD_PER_HOUR,
  WP_PLAN_MARKET_COLO_USD_PER_KW_MONTH,
  WP_PLAN_MARKET_COUNT
} wp_plan_market;

typedef struct wp_plan_out {
  char scenario[128];      /* scenario name ("built-in default" or the file's name) */
  wp_ym start;             /* month 0 */
  size_t months;           /* horizon */
  double hurdle_rate;      /* discount rate of every NPV, fraction per year */
  double cash_floor_usd;   /* the scenario's corporate cash floor (NaN: not known, e.g. a run
                              stored before it was kept): a strategy whose month-end cash falls
                              below it is never the recommended one */
  size_t nstrategies;
  wp_strategy_out *strategies;
  char scenario_hash[17]; /* the resolved scenario's hash (wattpivot/scenario_file.h
                             wp_scenario_hash); "" when not known */
  char created_utc[24];   /* when the run was made, "YYYY-MM-DDTHH:MM:SSZ"; "" when not known */
  double *market[WP_PLAN_MARKET_COUNT]; /* each months values; NULL when not known (a run loaded
                                           from the store keeps no market path) */
} wp_plan_out;

/* Allocate a result for nstrategies strategies of nsites sites over months months: every
** array zeroed, irr NaN, convert/energize months -1, cash floor NaN, no tranches, limits or
** breaches. Returns NULL on allocation failure. */
WP_API wp_plan_out *wp_plan_out_new(size_t nstrategies, size_t nsites, size_t months);

/* Give site i of strategy k room for n tranches (zeroed, months -1), strategy k room for n limits
** or n breaches; each replaces what was there. WP_ENOMEM. */
WP_API wp_status wp_plan_out_set_tranches(wp_plan_out *out, size_t k, size_t i, size_t n,
                                   wp_error *err);
WP_API wp_status wp_plan_out_set_limits(wp_plan_out *out, size_t k, size_t n, wp_error *err);
WP_API wp_status wp_plan_out_set_breaches(wp_plan_out *out, size_t k, size_t n, wp_error *err);

/* Free (NULL is a no-op). */
WP_API void wp_plan_out_free(wp_plan_out *out);

#ifdef __cplusplus
}
#endif
#endif
