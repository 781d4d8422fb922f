/*
** wattpivot/ledger_csv.h — write a wp_ledger as CSV for spreadsheets and audits: one row per
** month, a `date` column (YYYY-MM-DD, the month's last day) then every ledger line in
** wp_ledger_column order, each header carrying its unit (..._usd, disposal_frac_*,
** dscr_ratio). Numbers are printed with 17 significant digits, so reading them back gives
** the same doubles and XNPV/XIRR over the `date` and `project_cash_flow_usd` /
** `equity_cash_flow_usd` columns reproduce npv_usd, project_irr and equity_irr.
*/
#ifndef WATTPIVOT_LEDGER_CSV_H
#define WATTPIVOT_LEDGER_CSV_H

#include "error.h"
#include "export.h"
#include "ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write ledger to path ("-" = standard output). The file is written beside path and renamed
** into place, so it is complete or untouched; an existing file is replaced only when it is a
** ledger CSV (its first line is the ledger's header): any other file is refused, never
** overwritten. Returns WP_OK, WP_EINVAL (NULL argument) or WP_EIO naming the path and the
** system's reason. */
WP_API wp_status wp_ledger_write_csv(const wp_ledger *ledger, const char *path, wp_error *err);

#ifdef __cplusplus
}
#endif
#endif
