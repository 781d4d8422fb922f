/*
** src/model/ledger_int.h — internal: the finance engine's scratch behind a wp_ledger
** (ledger.c allocates it with the ledger; finance.c uses it). Not API: callers see only the
** ledger's lines.
*/
#ifndef WP_MODEL_LEDGER_INT_H
#define WP_MODEL_LEDGER_INT_H

#include <stdint.h>

#include "wattpivot/ledger.h"

struct wp_ledger_scratch {
  double *days;    /* month-end day minus month-0 day (Actual days) */
  double *df;      /* (1 + df_rate)^(-days/365) */
  double df_rate;  /* rate df was computed for (NaN: not yet) */
  int64_t df_switch;    /* ... the month its second rate starts (-1: none) */
  double df_rate_after; /* ... and that second rate */
  double *work[WP_ASSET_COUNT + 2];
  unsigned zero;   /* groups of derived lines known to be all +0 (wp_finance_run's bookkeeping:
                      it skips rewriting them; wp_ledger_new and wp_ledger_zero set every bit).
                      So derived lines are written by wp_finance_run only, never by callers. */
  double *block;   /* the single allocation behind every line and this scratch */
};

#endif
