/*
** wattpivot/risk_history.h — the BTC return history behind the risk engine's block bootstrap
** (risk.btc_model: bootstrap; docs/model/risk.md). A history is a CSV of monthly closes,
** `month,close_usd` (YYYY-MM, consecutive months, positive finite closes, '#' comment lines; read
** by the project's one CSV reader: a UTF-8 byte-order mark, CRLF and quoted fields are fine);
** the built-in one is data/btc_monthly_close.csv (Yahoo Finance BTC-USD monthly closes
** 2014-09..2026-01), compiled into the library. It becomes standardized monthly log returns
** e_j = (r_j - mean) / sd, r_j = ln(close_j / close_{j-1}), sd the sample standard deviation.
*/
#ifndef WATTPIVOT_RISK_HISTORY_H
#define WATTPIVOT_RISK_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "export.h"
#include "risk_assumptions.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
** Parse a history CSV text (named name in messages) into closes (at most max of them, *n set).
** Needs at least min_rows data rows. Every refusal is WP_EPARSE "name:LINE:COL: ..." (or
** "name:LINE: ..." for the header, a row's width and the row count) naming the column, the bad
** value and the accepted form.
*/
WP_API wp_status wp_risk_history_parse(const char *text, const char *name, size_t min_rows,
                                double *close_usd, size_t max, size_t *n, wp_error *err);

/*
** Load a history into r: path NULL or "" = the built-in data/btc_monthly_close.csv, else the
** CSV at path (used as given; the scenario loader resolves it against the scenario's
** directory). Needs at least r->btc_block_months + 1 rows. WP_EIO (unreadable, naming the path
** and the reason), WP_EPARSE (a bad row: file:line), WP_EINVAL, WP_ENOMEM.
*/
WP_API wp_status wp_risk_history_load(wp_risk_assumptions *r, const char *path, wp_error *err);

/* The built-in history's CSV text. */
WP_API const char *wp_risk_history_default_text(void);

#ifdef __cplusplus
}
#endif
#endif
