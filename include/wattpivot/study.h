/*
** wattpivot/study.h — what a client asks, each one library call: plan a scenario (and keep the
** run and its report folder), evaluate one site's pathway through project finance with a
** break-even price, run the risk engine. A study takes a scenario (wattpivot/scenario.h; files
** are read with wattpivot/scenario_file.h) and a request of plain values; it decides nothing the
** model layers do not already decide, it only assembles them. The command line (`wattpivot plan`,
** `finance`, `risk`) is a thin client of these calls.
*/
#ifndef WATTPIVOT_STUDY_H
#define WATTPIVOT_STUDY_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "export.h"
#include "pathway.h"
#include "planner.h"
#include "results.h"
#include "risk.h"
#include "scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- plan */

typedef struct wp_plan_request {
  unsigned strategies;        /* WP_STRATEGY_BIT mask; 0 = all */
  const char *out_dir;        /* write summary.json, sites.csv, ledger.csv, report.html; NULL: no */
  const char *db_path;        /* keep the run in this SQLite store; NULL: do not keep it */
  const char *scenario_label; /* the scenario as the store names it (its path, or "built-in
                                 default"); NULL: the scenario's source */
  const char *scenario_text;  /* the file's text, kept with the run (NULL: none) */
  int argc;                   /* the command line kept with the run (0: none) */
  char *const *argv;
  const char *model_path;     /* write model_strategy's program here (.lp or .mps); NULL: no */
  wp_strategy model_strategy; /* all-in or hybrid (wattpivot/planner.h) */
  /* the planning's progress, as wp_plan_opts.progress (NULL: none) */
  void (*progress)(size_t done, size_t total, void *ctx);
  void *progress_ctx;
} wp_plan_request;
#define WP_PLAN_REQUEST_INIT                                                                       \
  {0, NULL, NULL, NULL, NULL, 0, NULL, NULL, WP_STRATEGY_HYBRID, NULL, NULL}

typedef struct wp_plan_study {
  wp_plan_out *plan; /* the strategies side by side (wattpivot/results.h) */
  double wall_s;     /* seconds the planning took */
  int64_t run_id;    /* the stored run's id (0 when not stored) */
} wp_plan_study;

/*
** Plan sc for the requested strategies, then write the report folder and keep the run when the
** request asks for them, in that order; a failure at any step returns its status and no study
** (a folder or store that fails after the plan names itself in the message). Free *out with
** wp_plan_study_free (NULL is a no-op).
*/
WP_API wp_status wp_study_plan(const wp_scenario *sc, const wp_plan_request *req,
                               wp_plan_study **out, wp_error *err);
WP_API void wp_plan_study_free(wp_plan_study *s);

/* ---------------------------------------------------------------- one site's finance */

/* The input a break-even solves for (NPV at the hurdle rate = 0). */
typedef enum wp_solve_var {
  WP_SOLVE_NONE = 0,
  WP_SOLVE_LEASE,     /* colo rent, USD/kW-month of IT (business colo) */
  WP_SOLVE_GPU_PRICE, /* month-0 GPU index price, USD/GPU-hour; its path and floor scale with it
                         (business gpu-merchant) */
  WP_SOLVE_HASHPRICE  /* month-0 hashprice, USD/PH/day, by scaling the BTC price (mining) */
} wp_solve_var;
#define WP_SOLVE_COUNT 4

/* "lease", "gpu-price", "hashprice" ("none" for WP_SOLVE_NONE, "?" out of range). */
WP_API const char *wp_solve_var_name(wp_solve_var v);
/* Parse one of those names; WP_EINVAL listing the accepted ones. */
WP_API wp_status wp_solve_var_from_name(const char *name, wp_solve_var *out, wp_error *err);
/* The business a break-even applies to, its unit ("USD/kW-month") and its JSON key
** ("breakeven_lease_usd_per_kw_month"). */
WP_API wp_business wp_solve_var_business(wp_solve_var v);
WP_API const char *wp_solve_var_unit(wp_solve_var v);
WP_API const char *wp_solve_var_key(wp_solve_var v);

/*
** One site's pathway. Every override is optional: NaN (numbers), -1 (choices and months), 0
** (horizon), an invalid month (start) or NULL (site) keep the scenario's value.
*/
typedef struct wp_finance_request {
  wp_business business;            /* the pathway: keep mining, or convert to this business */
  const char *site;                /* a site of the scenario; NULL: a generic site of grid_mw */
  double grid_mw;                  /* the site's grid MW (required for the generic site) */
  double power_usd_per_mwh;        /* the site's month-0 power price */
  double hurdle_rate;              /* discount rate of npv_usd, fraction per year */
  double lease_usd_per_kw_month;   /* colo rent in the first lease year (colo) */
  double gpu_usd_per_hour;         /* month-0 GPU index price; its path and floor scale */
  double hashprice_usd_per_ph_day; /* month-0 hashprice (sets the BTC price path) */
  int64_t convert_month;           /* construction starts (a conversion); -1: month 0 */
  double convert_fraction;         /* share of the grid MW converted; NaN: 1 */
  int cooling, redundancy, gpu;    /* wp_cooling, wp_redundancy, wp_gpu; -1: the scenario's */
  int plan;                        /* wp_sched_plan; -1: the scenario's */
  int substation_upgrade;          /* 0, 1; -1: the scenario's */
  int64_t horizon_months;          /* months evaluated; 0: the scenario's */
  wp_ym start;                     /* month 0 (its market start values belong to it); {0, 0}:
                                      the scenario's */
  int term_debt;                   /* 0 off, 1 on; -1: the scenario's */
  wp_solve_var solve_for;          /* a break-even to find, or WP_SOLVE_NONE */
} wp_finance_request;
#define WP_FINANCE_REQUEST_INIT                                                                    \
  {                                                                                                \
    WP_BUSINESS_MINING, NULL, NAN, NAN, NAN, NAN, NAN, NAN, -1, NAN, -1, -1, -1, -1, -1, 0,       \
        {0, 0}, -1, WP_SOLVE_NONE                                                                  \
  }

/* One input of the evaluation, with where its value came from: "option" (the request),
** "site", "scenario", "built-in default", "generic-site default ...", "market path, month 0". */
typedef struct wp_finance_input {
  const char *name; /* JSON key, e.g. "grid_mw" */
  const char *unit; /* "MW"; "" when none */
  const char *from;
  int is_num;       /* 1: num holds the value; 0: text does */
  double num;
  char text[272];   /* the value as printed (%.6g for numbers) */
} wp_finance_input;

typedef struct wp_finance_study {
  char site_name[64];
  char scenario_label[256];    /* the scenario's source */
  wp_site site;                /* as evaluated (its country's tax rate) */
  wp_pathway pathway;          /* as evaluated */
  wp_finance_terms terms;      /* as evaluated (hurdle, term debt) */
  wp_finance_terms run_terms;  /* what the run used: the site's tax, the construction window
                                  and each business's discount rate (hurdle_rate before
                                  rate_switch_month, rate_after from it; docs/model/finance.md) */
  wp_ym start;
  size_t months;
  wp_pathway_result result;    /* NPV, IRRs, DSCR, payback, ... of the run as given */
  const wp_ledger *ledger;     /* that run's monthly ledger (valid until the study is freed) */
  char project_irr_note[256];  /* "" or why the IRR is missing or ambiguous */
  char equity_irr_note[256];
  char warning[512];           /* "" or a what-if warning (a conversion of a site that is not
                                  AI-ready) */
  size_t ninputs;
  wp_finance_input *inputs;    /* every input with its origin */
  wp_solve_var solved;         /* the break-even found (WP_SOLVE_NONE: none asked) */
  double solution;             /* its value, in wp_solve_var_unit */
  double npv_at_solution_usd;  /* NPV re-run at the solution (~0) */
  int solve_evaluations;
  char scenario_hash[17]; /* FNV-1a 64 of the scenario's canonical text followed by every
                             input in force (wattpivot/scenario_file.h, docs/output.md) */
} wp_finance_study;

/*
** Evaluate one site's pathway of sc through project finance as requested, and the break-even
** when asked. Returns WP_EINVAL naming the request field for a refused request (an unknown
** site, a convert month outside the horizon, a break-even for another business, a generic site
** without grid_mw), WP_ENOROOT when no break-even exists in the solver's range (the message says
** on which side NPV stays), or the failing model's status. Free *out with
** wp_finance_study_free (NULL is a no-op).
*/
WP_API wp_status wp_study_finance(const wp_scenario *sc, const wp_finance_request *req,
                           wp_finance_study **out, wp_error *err);
WP_API void wp_finance_study_free(wp_finance_study *s);

/* ---------------------------------------------------------------- risk */

typedef struct wp_risk_request {
  wp_risk_opts opts;     /* paths, seed, threads, strategies, value of waiting, progress */
  int zero_vol;          /* 1: every *_vol key 0 (each path then equals the plan) */
  const char *wait_site; /* the value-of-waiting site; NULL: the scenario's risk.wait_site */
} wp_risk_request;

/*
** Run the risk engine on sc with the request's overrides (sc is not changed). WP_EINVAL naming
** an unknown wait_site; otherwise as wp_risk_run (a split run: *out on the root only). Free
** *out with wp_risk_result_free.
*/
WP_API wp_status wp_study_risk(const wp_scenario *sc, const wp_risk_request *req,
                               wp_risk_result **out, wp_error *err);

/* ---------------------------------------------------------------- sweep */

#define WP_SWEEP_MAX_AXES 16
#define WP_SWEEP_MAX_STEPS 1000
#define WP_SWEEP_MAX_POINTS 100000

/* One key varied: steps values evenly from lo to hi (steps 1: lo alone). */
typedef struct wp_sweep_axis {
  char key[160]; /* a scenario key path as --set takes it: market.btc_price_usd, sites[A].grid_mw */
  double lo, hi;
  size_t steps; /* 1 .. WP_SWEEP_MAX_STEPS */
} wp_sweep_axis;

/* "KEY=LO:HI:STEPS" (e.g. market.btc_price_usd=60000:140000:9); WP_EINVAL naming the part. */
WP_API wp_status wp_sweep_axis_parse(const char *text, wp_sweep_axis *out, wp_error *err);

/* Value of step k of axis a. */
WP_API double wp_sweep_axis_value(const wp_sweep_axis *a, size_t k);

typedef struct wp_sweep_request {
  const wp_sweep_axis *axes;
  size_t naxes;         /* 1 .. WP_SWEEP_MAX_AXES (grid: exactly 2) */
  int grid;             /* 0: one axis at a time, the others at the scenario's value (tornado);
                           1: every combination of the two axes (a two-way grid) */
  unsigned strategies;  /* WP_STRATEGY_BIT mask; 0 = all (as plan) */
  unsigned threads;     /* 0 = all online cores */
  size_t first, count;  /* the points to run: [first, first + count); count 0 = every point */
  /* Called from the calling thread about twice a second (may be NULL). */
  void (*progress)(size_t done, size_t total, void *ctx);
  void *progress_ctx;
  /* Called after each optimization of the base plan (the scenario as it is), before the
     points, as wp_plan_opts.progress (may be NULL). */
  void (*plan_progress)(size_t done, size_t total, void *ctx);
  void *plan_progress_ctx;
} wp_sweep_request;

/* Number of points: the sum of the axes' steps (tornado) or their product (grid). */
WP_API size_t wp_sweep_points(const wp_sweep_request *req);

/* Per point and strategy, in this order (WP_SWEEP_METRICS of them). */
enum { WP_SWEEP_NPV, WP_SWEEP_MIN_CASH, WP_SWEEP_AI_IT_MW, WP_SWEEP_CHANGES, WP_SWEEP_METRICS };

/*
** A sweep's results for points [first, first + npoints) (the arrays are malloc'd; a caller that
** gathers a split run's blocks may replace them with the full set). Point p (block index):
**   value[p * naxes + a]   axis a's value there (NaN: the scenario's own value, tornado);
**   metric[(p * nstrategies + k) * WP_SWEEP_METRICS + m]  strategy k's NPV (USD), lowest
**                          month-end cash (USD), AI IT MW at the end, sites whose decision
**                          differs from the base plan's (count);
**   changed[(p * nstrategies + k) * nsites + i]  1 when site i's decision differs.
** base[k * WP_SWEEP_METRICS + m]: the scenario as given (changes 0).
*/
typedef struct wp_sweep_result {
  size_t first, npoints, naxes, nstrategies, nsites;
  wp_strategy strategy[WP_STRATEGY_COUNT];
  char (*site)[64]; /* nsites names */
  double *value, *metric, *changed;
  double base[WP_STRATEGY_COUNT * WP_SWEEP_METRICS];
  char scenario_hash[17]; /* the base scenario's hash (wattpivot/scenario_file.h) */
} wp_sweep_result;

/*
** Plan sc at every point of the request (each a full plan, in parallel on the threads; the same
** results for any thread count or split). A point is sc with each of its axis values applied as
** --set does (wattpivot/scenario_file.h wp_scenario_set) and checked again: WP_EINVAL naming the
** point when a value is refused (e.g. a fraction out of its range at HI). Free with
** wp_sweep_result_free.
*/
WP_API wp_status wp_study_sweep(const wp_scenario *sc, const wp_sweep_request *req,
                                wp_sweep_result **out, wp_error *err);
WP_API void wp_sweep_result_free(wp_sweep_result *r);

/*
** The sweep as tidy CSV, one row per point and strategy (malloc'd text; NULL when out of memory):
** key,value,key2,value2,strategy,npv_usd,npv_change_usd,min_cash_usd,ai_it_mw_end,
** decision_changes,changed_sites — value empty where a tornado point keeps the scenario's value
** (never: each row names the key it varies), key2/value2 only in a grid; npv_change_usd against
** the scenario as given; changed_sites the sites (";"-separated) whose decision differs from
** the base plan's. Numbers in full precision (a spreadsheet reads back the same doubles).
*/
WP_API char *wp_sweep_csv(const wp_sweep_result *r, const wp_sweep_request *req);

/*
** The sweep's folder, written as a whole (wattpivot/output.h wp_output_write_folder): sweep.csv
** (wp_sweep_csv), summary.json (summary_json, the command's --json text), meta.json (version,
** UTC date, scenario, design, points) and report.html: self-contained, per strategy a tornado
** chart (one key at a time: each key's NPV from LO to HI around the base, widest swing first,
** with the sites whose decision changes) or a heat map (grid: NPV over the two keys), each
** cell's value written in it.
*/
WP_API wp_status wp_sweep_write_dir(const wp_sweep_result *r, const wp_sweep_request *req,
                                    const char *scenario, const char *summary_json,
                                    const char *dir, wp_error *err);

#ifdef __cplusplus
}
#endif
#endif
