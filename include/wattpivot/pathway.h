/*
** wattpivot/pathway.h — one site's pathway over the monthly grid: keep mining, or convert a
** share of its grid MW to an AI hall at a month, with a design, a schedule plan and a business
** model (docs/architecture.md "The central computation"; docs/model/pathway.md). It joins the
** modules: facility + capex (what is built and what it costs), schedule (when halls energize),
** market path + revenue (what each month earns and costs) and finance (ledger, tax, debt, metrics).
**
** An evaluator holds every buffer (ledger, MW series, schedule templates), so evaluating a
** pathway allocates nothing: the planner tries many pathways per site and the risk engine runs
** the same pathway over many market paths with one evaluator per worker.
*/
#ifndef WATTPIVOT_PATHWAY_H
#define WATTPIVOT_PATHWAY_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "capex.h"
#include "error.h"
#include "export.h"
#include "facility.h"
#include "finance.h"
#include "ledger.h"
#include "market.h"
#include "revenue.h"
#include "schedule.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the converted megawatts sell. */
typedef enum wp_business {
  WP_BUSINESS_MINING = 0,   /* no conversion: keep mining the whole site */
  WP_BUSINESS_COLO,         /* colocation / powered-shell lease of critical IT kW */
  WP_BUSINESS_GPU_CONTRACT, /* contracted GPU cloud, operator-owned GPUs (IREN–Microsoft) */
  WP_BUSINESS_GPU_MERCHANT  /* merchant GPU cloud at the market's $/GPU-hour */
} wp_business;
#define WP_BUSINESS_COUNT 4
/* A business model's bit in a set of them; the conversions (colo, gpu-contract, gpu-merchant). */
#define WP_BUSINESS_BIT(b) (1u << (unsigned)(b))
#define WP_BUSINESS_CONVERSIONS                                                                    \
  (WP_BUSINESS_BIT(WP_BUSINESS_COLO) | WP_BUSINESS_BIT(WP_BUSINESS_GPU_CONTRACT) |                 \
   WP_BUSINESS_BIT(WP_BUSINESS_GPU_MERCHANT))

/* "mining", "colo", "gpu-contract", "gpu-merchant" ("?" when out of range). */
WP_API const char *wp_business_name(wp_business b);
/* Parse a name; WP_EINVAL listing the accepted names when unknown. */
WP_API wp_status wp_business_from_name(const char *name, wp_business *out, wp_error *err);

/* How a leased hall is valued in the horizon's last month (docs/model/pathway.md, "Terminal
** value"): exit = its run-rate net operating income over an exit cap rate, as the market prices
** a leased data centre; book = the remaining straight-line book value of what was built. */
typedef enum wp_terminal { WP_TERMINAL_EXIT = 0, WP_TERMINAL_BOOK, WP_TERMINAL_COUNT } wp_terminal;

/* "exit", "book"; "?" out of range. */
WP_API const char *wp_terminal_name(wp_terminal t);

/* The valuation of what a conversion leaves at the horizon's end. Mining and GPU businesses are
** always valued at book: their income past the horizon needs hardware the horizon does not buy
** (ASICs last ~4 years, GPUs ~5), so a multiple of their last earnings would count income without
** its capex. A leased hall earns rent from a tenant that owns the IT. */
typedef struct wp_valuation {
  wp_terminal terminal_colo;  /* a colocation conversion whose lease runs in the last month,
                                 fully energized (a hall re-let after a GPU contract is at book:
                                 its market-rent re-let is itself a judgment) */
  double discount_rate[WP_BUSINESS_COUNT]; /* each business's own discount rate, per year, by
                                             wp_business (mining, colo, gpu-contract,
                                             gpu-merchant); NaN: the hurdle rate (default) */
  double exit_cap_rate_colo;  /* annual NOI / value, (0, 1]: 0.07, the top of JLL's Q1 2026
                                 colocation range (6-7 %; stabilized hyperscale 5.5-6.5 %): a
                                 converted mine is not a core market (docs/sources/ai-datacenter.md
                                 §5.1) */
} wp_valuation;

/* A powered site: what it has today. */
typedef struct wp_site {
  char name[64];
  char country[48];
  char region[16];            /* data-sovereignty region: a tenant's data stays in it */
  char status[16];            /* "operating", "energizing", "planned" (informational) */
  int64_t online_month;       /* first month the site draws power (0: already operating) */
  double grid_mw;             /* what the site may draw at its meter, MW (> 0) */
  double power_usd_per_mwh;   /* month-0 price; follows the market path's power escalation */
  double monthly_c[12];       /* monthly mean dry-bulb temperature, C */
  double design_c;            /* design (hottest) temperature, C */
  double tax_rate;            /* income tax rate of the site's country, [0, 1) */
  int ai_ready;               /* 1: the site and building can host an AI hall */
  double fleet_eff_j_per_th;  /* the mining fleet's efficiency, J/TH */
  double mining_pue;          /* grid MW per MW of miners (1.05 air, 1.03 hydro/immersion) */
  double mining_uptime;       /* fraction of hours the fleet hashes */
  double pool_fee;            /* fraction of mining revenue kept by the pool */
  double asic_resale_usd_per_th; /* what removed ASICs fetch when a conversion starts */
  wp_revenue_ppa_terms ppa;   /* fixed-price power block (fixed_mw 0: all market) */
  /* Monthly power prices that replace the parametric one for the months they cover and give
     (a scenario's power_file:, only its power_usd_per_mwh column is read), or NULL. Not owned:
     the scenario that loaded it keeps it (docs/scenario.md). */
  const wp_market_series *power_series;
  /* Planning facts (the pathway does not read them): */
  double expandable_mw;       /* further grid MW the site can get (0: none) */
  int64_t queue_months;       /* ... from this month on (grid-connection queue) */
  unsigned business_models;   /* what its conversions may sell (WP_BUSINESS_BIT); 0: any the
                                 scenario allows */
} wp_site;

/* Replacing a site's mining fleet with new machines (docs/model/mining.md §4: ASIC life 3-5
** years). */
typedef enum wp_refresh_rule {
  WP_REFRESH_IF_PROFITABLE = 0, /* buy when the month's margin gain over the interval repays it */
  WP_REFRESH_ALWAYS             /* buy at every decision month */
} wp_refresh_rule;
#define WP_REFRESH_RULE_COUNT 2

/* "if-profitable", "always" ("?" when out of range). */
WP_API const char *wp_refresh_rule_name(wp_refresh_rule r);

typedef struct wp_mining_refresh {
  int64_t every_months; /* months between refresh decisions (first at this month); 0 = never */
  double eff_j_per_th;  /* efficiency of the machines bought, J/TH */
  double usd_per_th;    /* their price, USD/TH */
  wp_refresh_rule rule;
} wp_mining_refresh;

/* A site pathway. The revenue terms' sizing and timing fields (leased kW, IT MW, start months)
** are set by the evaluator from the design and the schedule; their prices and terms are used
** as given. gpu_contract.contract_value_usd and gpu_capex_usd are for gpu_contract.it_mw and
** scale with the pathway's IT MW. */
typedef struct wp_pathway {
  wp_business business;         /* WP_BUSINESS_MINING: keep mining, nothing else is read */
  double convert_fraction;      /* share of the site's grid MW converted, (0, 1] */
  int64_t convert_month;        /* first construction month; the converted MW stop mining */
  wp_cooling cooling;
  wp_redundancy redundancy;
  wp_gpu gpu;
  wp_sched_plan plan;           /* sequential or fast-track (greenfield for new sites) */
  int substation_upgrade;       /* 1: the substation must grow (transformer lead times) */
  wp_valuation valuation;       /* what the conversion is worth at the horizon's end */
  double capex_escalation_per_yr; /* growth of the conversion's facility capex (every class
                                     but GPUs) from month 0 to the month it is spent, per
                                     year, [-0.5, 1]; 0: the capex lines' month-0 prices
                                     (docs/model/pathway.md "Capex escalation") */
  int new_build;                /* 1: the hall is built on new grid capacity (a grid expansion):
                                   nothing mines on it, no ASICs are sold, the capex is a new
                                   build's (greenfield); the schedule is plan's */
  wp_revenue_colo_terms colo;
  wp_revenue_gpu_contract_terms gpu_contract;
  wp_revenue_gpu_merchant_terms gpu_merchant;
  wp_revenue_opex_terms opex_ai;
  wp_revenue_opex_terms opex_mining;
  wp_capex_opts capex;
  wp_mining_refresh refresh; /* the mining fleet's replacement policy (every_months 0: none) */
} wp_pathway;

/* Keep mining; conversion fields hold the defaults used when business is changed. */
WP_API wp_pathway wp_pathway_default(void);

/* Monthly MW series of an evaluated pathway (month averages). */
typedef enum wp_pathway_series {
  WP_PW_MINING_GRID_MW = 0,   /* grid MW of miners in service */
  WP_PW_AI_GRID_MW,           /* grid MW of energized AI halls */
  WP_PW_AI_IT_MW,             /* critical IT MW energized */
  WP_PW_CONSTRUCTION_GRID_MW, /* converted grid MW not yet energized */
  WP_PW_MINING_EBITDA_USD,    /* the mine's share of the ledger's EBITDA: mining revenue less the
                                 mine's opex and its share of the month's power (a PPA re-prices
                                 the site's power as a whole: split pro rata to the market-priced
                                 power of each load); the rest of ebitda_usd is the AI business's
                                 (docs/output.md) */
  WP_PW_SERIES_COUNT
} wp_pathway_series;

typedef struct wp_pathway_result {
  wp_business business;
  double converted_grid_mw;   /* f · grid MW (0 when mining) */
  double it_mw;               /* sellable IT MW of the conversion */
  double ai_capex_usd;        /* facility capex of the conversion (excl. GPUs) */
  double gpu_capex_usd;       /* GPUs bought over the horizon (contract/merchant) */
  double asic_resale_usd;     /* ASICs sold when construction starts */
  double schedule_months;     /* most-likely construction duration, months */
  int64_t energize_first_month; /* first hall energized (-1: none in the horizon) */
  int64_t energize_full_month;  /* last hall energized (-1: none in the horizon) */
  wp_facility facility;       /* the engineered design (zeroed when mining) */
  wp_capex capex;             /* its capex lines */
  wp_finance_metrics metrics; /* NPV, IRR, DSCR, payback, peak funding, ... */
  double exit_value_usd;      /* a leased hall's exit value booked in the last month (< 0: its
                                 assets went at book; docs/model/pathway.md step 4) */
} wp_pathway_result;

typedef struct wp_pathway_eval wp_pathway_eval;

/* An evaluator for a grid of months from start: ledger, series and schedule templates
** preallocated. WP_EINVAL for months outside 1..1200; WP_ENOMEM. */
WP_API wp_status wp_pathway_eval_new(wp_ym start, size_t months, wp_pathway_eval **out,
                                     wp_error *err);
WP_API void wp_pathway_eval_free(wp_pathway_eval *ev);

/*
** Evaluate pathway p of site s on market path mp (same start and months as ev) under finance
** terms ft (the site's tax rate replaces ft->tax_rate; the construction loan window is set
** from the schedule). Fills the evaluator's ledger and MW series and *out. Allocation-free.
** Returns WP_EINVAL naming the field for a bad site or pathway (e.g. a conversion of a site
** that is not AI-ready, a rack density beyond the cooling's limit, a convert month outside
** the horizon), or the status of the failing module with its message.
*/
WP_API wp_status wp_pathway_run(wp_pathway_eval *ev, const wp_site *s, const wp_pathway *p,
                         const wp_market_path *mp, const wp_finance_terms *ft,
                         wp_pathway_result *out, wp_error *err);

#define WP_PATHWAY_MAX_PHASES 16 /* energization phases a conversion may have */

/* The least grid MW a conversion may convert: 0.1 MW (100 kW, a few racks; judgment: below it
** the finance is of pennies and its ratios are noise). */
#define WP_PATHWAY_MIN_CONVERT_MW 0.1

/*
** Risk runs: replace the most-likely energization milestones of the conversions the next runs
** evaluate by drawn ones. phase_finish_days[k] is phase k's finish in days from the
** construction start (as wp_schedule_phase_days_for writes for drawn durations of the
** template wp_pathway_eval_template returns); the n values are copied. NULL restores the
** most-likely pass. A later run whose template has another phase count fails with WP_EINVAL.
** Returns WP_EINVAL for n outside 1..WP_PATHWAY_MAX_PHASES or a negative/non-finite day.
** Passing the template's own most-likely phase finishes reproduces the default run exactly.
*/
WP_API wp_status wp_pathway_eval_set_phase_days(wp_pathway_eval *ev,
                                                const double *phase_finish_days, size_t n,
                                                wp_error *err);

/* Months from the construction start to the month a phase finishing finish_days after it
** energizes (the first whole month after the milestone). Runs whose phase finishes give the
** same offsets book the same conversion. */
WP_API int64_t wp_pathway_phase_offset_months(double finish_days);

/* The evaluator's schedule template for a plan and substation option (NULL when out of
** range); read-only, valid until the evaluator is freed. */
WP_API const wp_schedule *wp_pathway_eval_template(const wp_pathway_eval *ev, wp_sched_plan plan,
                                            int substation_upgrade);

/* The ledger of the last run (valid until the next run or free). */
WP_API const wp_ledger *wp_pathway_ledger(const wp_pathway_eval *ev);
/* A monthly MW series of the last run (months values). */
WP_API const double *wp_pathway_series_data(const wp_pathway_eval *ev, wp_pathway_series which);

/* Check a site's fields (names the field, value and accepted range). */
WP_API wp_status wp_site_check(const wp_site *s, wp_error *err);

#ifdef __cplusplus
}
#endif
#endif
