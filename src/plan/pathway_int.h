/*
** src/plan/pathway_int.h — internal: a pathway run's trace. A run books every month into the
** ledger; a few of a month's quantities are moved by the market before they reach it (the
** mine's O&M before curtailment, the energy drawn when running, the AI streams' energy and
** activity). A caller that re-evaluates the pathway on other market paths (the risk kernel,
** src/risk/kernel.c) attaches a trace before a run and reads it after: the run writes the
** trace and does not know who reads it.
*/
#ifndef WP_PLAN_PATHWAY_INT_H
#define WP_PLAN_PATHWAY_INT_H
#include <stddef.h>
#include <stdint.h>

#include "wattpivot/finance.h"
#include "wattpivot/pathway.h"

typedef struct wp_pathway_trace {
  /* Per month: arrays of the evaluator's months, the caller's (zeroed by the caller). */
  double *ths;             /* mining fleet TH/s in service */
  double *mine_energy_mwh; /* grid MWh the mine draws when it runs */
  double *om_mine_usd;     /* the mine's O&M when it runs (booked 0 when curtailed) */
  double *om_ai_usd;       /* the AI hall's O&M, booked after the mine's */
  uint8_t *om_ai_on;       /* 1: om_ai_usd is booked this month */
  double *e1_mwh;          /* energy of the first AI stream (colo, contract or merchant GPUs) */
  double *e2_mwh;          /* energy of the second (the hall re-let after a GPU contract) */
  uint8_t *on1, *on2;      /* 1: the stream's operator-paid energy is billed this month */
  double *relet_kw;        /* re-let billed kW */
  double *relet_step;      /* re-let rent escalation factor */
  double *colo_kw;         /* a colocation hall's billed kW (NULL: not kept) */
  double *colo_step;       /* its rent escalation factor: rent = kW x (rent x step) */
  uint8_t *relet_on;       /* 1: the re-let rent runs this month */
  double *gpu_hours;       /* merchant GPU-hours sold */
  uint8_t *gpu_on;         /* 1: the merchant GPUs sell this month */
  /* Constants of the run, written by it. */
  int mining_set;          /* the fleet's constants below were written */
  int fleet_changed;       /* 1: they changed within the run (a fleet refresh) */
  double eff_j_per_th, keep, pue, uptime; /* the fleet; keep = 1 - pool fee */
  int curtail;             /* the fleet is curtailed above its break-even */
  int ai_streams;          /* AI streams whose energy the operator pays: 0, 1 or 2 */
  int64_t relet_start;     /* month the re-let rent starts (the caller sets months: none) */
  double gpu_price_multiple;
} wp_pathway_trace;

/* Attach (or detach with NULL) the trace the evaluator's next runs write. */
void wp_pathway_eval_set_trace(wp_pathway_eval *ev, wp_pathway_trace *t);

/* The site's power price in each month of mp, USD/MWh (months values): its month-0 price
** moved like the market path's power price — what wp_pathway_run charges. */
void wp_pathway_site_power(const wp_site *s, const wp_market_path *mp, double *usd_per_mwh);

/* The site's power_file months (if any) written over usd_per_mwh[m * stride + l], l < stride,
** for the months m of a path from start that the series covers with a value. */
void wp_pathway_site_power_override(const wp_site *s, wp_ym start, size_t months, size_t stride,
                                    double *usd_per_mwh);

/* The finance terms of the evaluator's last run (the site's tax, the construction window). */
const wp_finance_terms *wp_pathway_eval_last_terms(const wp_pathway_eval *ev);

/* The asset classes of an AI hall (shell, M&E, GPUs, soft costs): what an exit value replaces
** the book value of in the last month (docs/model/pathway.md step 4). */
static inline int wp_pathway_ai_class(int c)
{
  return c == WP_ASSET_AI_SHELL || c == WP_ASSET_AI_MEP || c == WP_ASSET_GPU || c == WP_ASSET_SOFT;
}

/* b's name in a scenario key (valuation.discount_rate_<key>): "mining", "colo", "gpu_contract",
** "gpu_merchant"; "?" out of range. */
const char *wp_business_key(wp_business b);

#endif
