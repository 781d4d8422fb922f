/*
** wattpivot/ledger.h — the monthly project-finance ledger (docs/model/finance.md): named per-month
** lines, one double per month each, allocated once and reused (e.g. across Monte Carlo paths).
** The caller (revenue/market side) fills the INPUT lines; wp_finance_run (finance.h) computes
** every DERIVED line from them and overwrites all of them on each run (derived lines belong to
** wp_finance_run: callers read them and never write them). All money is nominal
** USD per month; costs are positive numbers. Month m is dated at its last calendar day
** (wp_calendar_month_end_day(start, m)). Every line is documented in docs/model/finance.md.
*/
#ifndef WATTPIVOT_LEDGER_H
#define WATTPIVOT_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "error.h"
#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
** Asset classes: one capex line, one depreciation line (straight-line, life in the finance
** terms) and one asset-sale line each.
*/
typedef enum wp_asset_class {
  WP_ASSET_MINING_FACILITY = 0, /* mining shell, electrical, cooling (not the ASICs) */
  WP_ASSET_ASIC,                /* bitcoin mining machines */
  WP_ASSET_AI_SHELL,            /* AI data-center building shell and site */
  WP_ASSET_AI_MEP,              /* AI power and cooling plant (mechanical/electrical) */
  WP_ASSET_GPU,                 /* GPUs, servers and networking */
  WP_ASSET_SOFT,                /* soft costs and contingency (capitalized) */
  WP_ASSET_COUNT
} wp_asset_class;

/* Short name of an asset class ("mining_facility", "asic", "ai_shell", "ai_mep", "gpu",
** "soft"), as used in the ledger line names; "?" when out of range. */
WP_API const char *wp_asset_class_name(wp_asset_class c);

struct wp_ledger_scratch; /* src/model/ledger_int.h */

typedef struct wp_ledger {
  wp_ym start;   /* month 0 */
  size_t months; /* number of months (> 0) */

  /* ---- INPUT lines (filled by the caller; zero after wp_ledger_new) ---- */
  double *rev_mining_usd;            /* mining revenue (block rewards sold), recognized */
  double *rev_colo_usd;              /* colocation / powered-shell rent, recognized */
  double *rev_gpu_contract_usd;      /* contracted GPU cloud, recognized (incl. prepay amortized) */
  double *rev_gpu_merchant_usd;      /* merchant GPU cloud */
  double *rev_other_usd;             /* demand-response credits and other operating revenue */
  double *power_usd;                 /* power cost (PPA + market), operator-paid */
  double *opex_om_usd;               /* operations and maintenance */
  double *opex_staff_usd;            /* site staff */
  double *opex_insurance_usd;        /* insurance */
  double *opex_property_tax_usd;     /* property tax */
  double *opex_other_usd;            /* site lease, decommissioning and other operating costs */
  double *capex_usd[WP_ASSET_COUNT]; /* capital spend by asset class (cash, this month) */
  double *asset_sale_usd[WP_ASSET_COUNT]; /* proceeds from selling assets of the class */
  double *disposal_frac[WP_ASSET_COUNT];  /* share [0,1] of the class's in-service book value
                                             retired this month (1 = the whole fleet sold) */
  double *prepay_received_usd;            /* customer prepayment cash received (deferred revenue) */
  double *prepay_amortized_usd;           /* prepayment recognized as revenue this month (already
                                             included in the rev_* lines) */

  /* ---- DERIVED lines (computed by wp_finance_run) ---- */
  double *revenue_usd;                      /* sum of rev_* */
  double *opex_usd;                         /* sum of opex_* */
  double *ebitda_usd;                       /* revenue - power - opex */
  double *capex_total_usd;                  /* sum of capex_* */
  double *asset_sales_usd;                  /* sum of asset_sale_* (100% of the assets) */
  double *prepay_deferred_usd;              /* deferred-revenue balance at month end */
  double *depreciation_usd[WP_ASSET_COUNT]; /* owned share of each class, straight-line */
  double *depreciation_idc_usd;             /* capitalized construction interest, straight-line */
  double *depreciation_total_usd;           /* sum of depreciation lines */
  double *disposal_gain_usd;                /* owned sale proceeds - owned book value retired */
  double *lease_funding_usd;                /* capex paid by the equipment lessor */
  double *lease_payment_usd;                /* equipment lease payments */
  double *construction_draw_usd;            /* construction-loan draws (pro-rata with capex) */
  double *construction_interest_usd;        /* construction interest, capitalized (non-cash) */
  double *construction_repay_usd;   /* construction loan repaid at the end of construction */
  double *construction_balance_usd; /* construction-loan balance at month end */
  double *term_draw_usd;            /* term debt drawn (end of the last construction month) */
  double *term_interest_usd;        /* term-debt interest paid */
  double *term_principal_usd;     /* term-debt principal repaid (negative = interest capitalized) */
  double *term_balance_usd;       /* term-debt balance at month end */
  double *debt_service_usd;       /* term interest + principal */
  double *cfads_usd;              /* cash flow available for debt service (pre-tax) */
  double *dscr_ratio;             /* cfads / debt service; 0 where there is no debt service */
  double *conv_proceeds_usd;      /* convertible notes issued, net of issue costs */
  double *conv_coupon_usd;        /* convertible coupons paid */
  double *conv_repay_usd;         /* convertible principal repaid in cash at maturity */
  double *taxable_income_usd;     /* levered taxable income before loss carry-forward */
  double *nol_used_usd;           /* carried-forward losses used this month */
  double *nol_balance_usd;        /* losses carried forward at month end */
  double *tax_usd;                /* income tax paid (levered) */
  double *unlevered_tax_usd;      /* tax of the all-equity, no-lease project (project flow) */
  double *project_cash_flow_usd;  /* unlevered after-tax project cash flow */
  double *equity_cash_flow_usd;   /* cash flow to the sponsor's equity */
  double *cumulative_project_usd; /* running sum of project_cash_flow_usd */
  double *cumulative_equity_usd;  /* running sum of equity_cash_flow_usd */

  /* ---- the finance engine's scratch (not API; preallocated so wp_finance_run never
     allocates): the month-end day offsets, discount factors, work lines ---- */
  struct wp_ledger_scratch *scratch_;
} wp_ledger;

/*
** Allocate a zeroed ledger of months months starting at start (one allocation). Returns
** WP_EINVAL (months == 0, > 1200, invalid start, NULL out) or WP_ENOMEM. *out is NULL on
** failure. Free with wp_ledger_free.
*/
WP_API wp_status wp_ledger_new(wp_ym start, size_t months, wp_ledger **out, wp_error *err);

/* Free a ledger (NULL is a no-op). */
WP_API void wp_ledger_free(wp_ledger *ledger);

/* Zero every line (inputs and derived), e.g. before refilling for another path. */
WP_API void wp_ledger_zero(wp_ledger *ledger);

/* Zero the INPUT lines only: enough before refilling, since wp_finance_run overwrites every
** derived line (about half the memory traffic of wp_ledger_zero). */
WP_API void wp_ledger_zero_inputs(wp_ledger *ledger);

/*
** The ledger's lines as columns, in CSV order (inputs, then derived lines). Names carry the
** unit: "..._usd" USD per month, "disposal_frac_*" a fraction, "dscr_ratio" a ratio.
*/
WP_API size_t wp_ledger_column_count(void);
/* Name of column k (NULL when k is out of range). */
WP_API const char *wp_ledger_column_name(size_t k);
/* Whether column k is an input line (1) or derived by wp_finance_run (0). */
WP_API int wp_ledger_column_is_input(size_t k);
/* The month array of column k in ledger (NULL when k is out of range). */
WP_API const double *wp_ledger_column(const wp_ledger *ledger, size_t k);
/* Index of the column named name, or -1. */
WP_API long wp_ledger_column_find(const char *name);

#ifdef __cplusplus
}
#endif
#endif
