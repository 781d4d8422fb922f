/*
** wattpivot/output.h — the writers of a plan result (wattpivot/results.h): the JSON document
** (--json and summary.json), the terminal summary, and the output folder (summary.json,
** sites.csv, ledger.csv, report.html). Writers only read the wp_plan_out; the same result always
** gives byte-identical files. docs/output.md lists every file, column and unit.
**
** Every writer first checks the result's shape and returns WP_EINVAL (naming the field) when
** plan is NULL, the start month is invalid, months > 12000, a strategy has nsites > 0 but no
** site rows, or months > 0 but a missing series.
** Non-finite numbers are never printed as numbers: JSON null, an empty CSV cell, "n/a" in text
** and HTML (charts leave them out). Text fields are read up to their array size even when the
** planner forgot the terminating NUL.
*/
#ifndef WATTPIVOT_OUTPUT_H
#define WATTPIVOT_OUTPUT_H

#include <stdio.h>

#include "error.h"
#include "export.h"
#include "results.h"
#include "risk.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
** The plan as a JSON document (formatted, no trailing newline) in *text, which the caller
** frees with free(). Contract (keys in this order; extra keys may be added, never removed):
**   {"scenario", "start": "YYYY-MM", "months", "hurdle_rate",
**    "strategies": [{"name", "npv_usd", "irr" (fraction per year, null when it does not exist),
**      "irr_note", "peak_funding_usd", "min_cash_usd", "ai_it_mw_end", "mining_mw_end",
**      "corporate_npv_usd",
**      "sites": [{"name", "country", "decision", "business_model",
**                 "convert_month", "convert_date": "YYYY-MM", "energize_month", "energize_date",
**                 "grid_mw", "converted_grid_mw", "ai_it_mw", "capex_usd", "npv_usd",
**                 "mining_npv_usd", "reason"}]}]}
** Month indices count from the scenario's start month (0); a site that is not converted has
** null month indices and dates. When irr is NaN, "irr" is null and "irr_note" says why (the
** planner's note, or "none: the IRR does not exist"). Numbers are printed by cJSON (shortest of
** %.15g/%.17g that reads back exactly), so the same input gives byte-identical text.
** Returns WP_OK, WP_EINVAL (see above) or WP_ENOMEM; *text is NULL on failure.
*/
WP_API wp_status wp_output_json(const wp_plan_out *plan, char **text, wp_error *err);

/*
** The terminal summary on out, readable in 100 columns: a heading (scenario, start month,
** horizon, hurdle rate); strategies side by side (one row each: NPV $M, IRR %, peak funding $M,
** minimum cash $M, AI IT MW and mining MW at the last month; the best NPV marked with '*'); then,
** for every strategy, its site table (site, country, decision, conversion month YYYY-MM,
** converted grid MW, NPV $M, reason), long reasons word-wrapped in the last column.
** Returns WP_OK, WP_EINVAL (plan or out NULL, or a malformed plan) or WP_EIO when writing to out
** failed (ferror). No wp_error: the caller knows the stream it passed.
*/
WP_API wp_status wp_output_summary_text(const wp_plan_out *plan, FILE *out);

/*
** The self-contained HTML report in *text (caller frees): title, scenario, start month and
** horizon; inline SVG charts (MW mix over time per strategy as stacked areas, month-end cash
** balance per strategy, NPV by strategy, NPV by site for every strategy); tables of strategy
** metrics and site decisions with reasons. No scripts, no external resources, no URLs; all text
** HTML-escaped; the page is well-formed XML (xmllint --noout accepts it). Handles negative
** values, all-zero series, 1-month horizons, NaN IRR and zero sites.
** Returns WP_OK, WP_EINVAL or WP_ENOMEM; *text is NULL on failure.
*/
WP_API wp_status wp_output_report_html(const wp_plan_out *plan, char **text, wp_error *err);

/*
** Write the output folder dir (created with its parents when missing, like mkdir -p):
**   summary.json  = wp_output_json's text plus a newline
**   sites.csv     one row per strategy and site, every wp_site_out field
**   ledger.csv    one row per strategy and month: strategy, month-end date, month index and
**                 every series of wp_series (named by wp_series_name), full precision
**   report.html   = wp_output_report_html's text
** The folder is written as a whole: a new folder is built under a temporary sibling name and
** renamed into place; in an existing folder the four files are all written beside their
** targets first and renamed into place only when every one is complete (existing files of these
** names are replaced, other files are left alone). So a failure (a full disk) never leaves a
** folder mixing files of this run with files of an earlier one. Returns WP_OK, WP_EINVAL,
** WP_ENOMEM, or WP_EIO naming the path and the system's reason.
*/
WP_API wp_status wp_output_write_dir(const wp_plan_out *plan, const char *dir, wp_error *err);

/* Write files names[i] = texts[i] (NUL-terminated) into dir as a whole, as wp_output_write_dir
** does (a new folder built aside and renamed into place; in an existing folder all files staged,
** then renamed; other files left alone). At most 16 files. WP_EIO naming the path and reason. */
WP_API wp_status wp_output_write_folder(const char *dir, const char *const *names,
                                        char *const *texts, size_t nfiles, wp_error *err);

/* Now as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into buf (n >= 21); WP_EIO when the clock is unavailable
** (buf is then ""). Every date the project writes (stored runs, meta.json, reports) is this. */
WP_API wp_status wp_output_now_utc(char *buf, size_t n, wp_error *err);

/* Write text to path whole or not at all (a temporary beside it, renamed when complete); "-" is
** standard output. WP_EIO naming the path and the reason. */
WP_API wp_status wp_output_write_text(const char *path, const char *text, wp_error *err);

/*
** A risk run's folder, written as a whole like the plan's: summary.json (summary_json, the
** command's --json text), npv_paths.csv (every path: each strategy's NPV and lowest cash, full
** precision), npv_quantiles.csv (each strategy's NPV and lowest cash at percentiles 0..100,
** interpolated as the engine's P5/P50/P95), wait.csv (value-of-waiting candidates), report.html
** (self-contained: statistics, each strategy's histogram and CDF with P5, P50, P95 and CVaR 5 %
** marked, P(cash < floor) flagged) and meta.json (version, date, scenario, paths, seed).
*/
WP_API wp_status wp_risk_write_dir(const wp_risk_result *r, const char *scenario,
                                   const char *summary_json, const char *dir, wp_error *err);

/*
** The plan as an Excel workbook (.xlsx) at path, whole or not at all (docs/output.md): sheets
** Assumptions (every scenario key with its value and unit, each country's tax rate), Strategies,
** one portfolio Ledger per strategy, Sites, Corporate and a live ledger per site kept mining and
** per conversion (the plan's decisions made again from sc: wp_plan_decide). Live formulas: each
** site ledger's revenue, opex, EBITDA, CFADS, debt service, taxable income, losses carried
** forward, tax (its country's rate cell), cash flows and running sums; the portfolio ledgers'
** money columns as sums over the site ledgers and the corporate layer; NPVs (XNPV), IRRs
** (XIRR), peak funding, lowest cash, the floor test and every month-end cash; each formula's
** cached value is ours. WP_EINVAL for '-' (a workbook is binary), an empty plan, sc NULL or a
** scenario that does not give this plan; WP_EIO naming the path.
*/
WP_API wp_status wp_output_write_xlsx(const wp_plan_out *plan, const wp_scenario *sc,
                                      const char *path, wp_error *err);

/* One pathway's workbook (wp_output_write_finance_xlsx): its metrics and inputs. */
typedef enum wp_metric_kind {
  WP_METRIC_VALUE,       /* a plain number (months, a ratio) */
  WP_METRIC_USD,         /* money, as computed */
  WP_METRIC_PROJECT_NPV, /* a formula: XNPV of the project cash flow at the hurdle rate */
  WP_METRIC_EQUITY_NPV,  /* a formula: XNPV of the equity cash flow */
  WP_METRIC_PROJECT_IRR, /* a formula: XIRR of the project cash flow (from our value) */
  WP_METRIC_EQUITY_IRR   /* a formula: XIRR of the equity cash flow */
} wp_metric_kind;
typedef struct wp_output_metric {
  const char *name;
  double value; /* ours (a formula's cached result); NaN: n/a */
  wp_metric_kind kind;
} wp_output_metric;
typedef struct wp_output_input {
  const char *name, *unit, *origin;
  int is_num;       /* 1: num; 0: text */
  double num;
  const char *text;
} wp_output_input;

/*
** One site's pathway as an Excel workbook at path, whole or not at all: Inputs (the hurdle rate,
** the loss-offset limit, then every input with its unit and origin; an input named "tax_rate"
** equal to terms->tax_rate is the tax rate cell, else one is added), Ledger (the live ledger:
** every line by month with month-end dates, the derived lines as formulas over the inputs and
** the rate cells, as plan --xlsx's site ledgers) and Metrics, where the project and equity NPVs
** (XNPV at the Inputs' hurdle rate) and IRRs (XIRR) are formulas over the ledger's cash flows.
** ledger: the last wp_finance_run's, under terms (hurdle, tax, loss limit, lease). WP_EINVAL for
** '-', no months, or a start or months other than the ledger's; WP_EIO naming the path.
*/
WP_API wp_status wp_output_write_finance_xlsx(const wp_ledger *ledger, wp_ym start, size_t months,
                                              const wp_finance_terms *terms,
                                              const wp_output_metric *metrics, size_t nmetrics,
                                              const wp_output_input *inputs, size_t ninputs,
                                              const char *path, wp_error *err);

/* Whether wp_output_write_dir can write dir, checked before any work: dir is an existing folder
** (written to) or a name whose parent folder exists and takes new entries. WP_EIO naming the
** path and the reason otherwise. (A full disk can still fail the write itself.) */
WP_API wp_status wp_output_check_dir(const char *dir, wp_error *err);

#ifdef __cplusplus
}
#endif
#endif
