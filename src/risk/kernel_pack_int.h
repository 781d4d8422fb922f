/*
** src/risk/kernel_pack_int.h — internal to the risk kernel (kernel.c, kernel_lanes.c): a
** prepared pathway's market-independent lines by month, packed for the evaluations.
*/
#ifndef WP_RISK_KERNEL_PACK_INT_H
#define WP_RISK_KERNEL_PACK_INT_H
#include <stddef.h>
#include <stdint.h>

#include "model/finance_int.h"
#include "risk/kernel_int.h"

/* Per-month arrays of the kernel, in one allocation (see wp_pathway_fast below). */
enum {
  /* recorded by the run */
  PF_THS,         /* mining fleet TH/s */
  PF_MINE_ENERGY, /* grid MWh the mine draws when running */
  PF_OM_MINE,     /* the mine's O&M when running (0 when curtailed) */
  PF_OM_AI,       /* the AI hall's O&M, added after the mine's when PF_OM_AI_ON */
  PF_E1,          /* energy of the first AI stream (colo / contract / merchant), MWh */
  PF_E2,          /* energy of the second (the re-let hall after a contract), MWh */
  PF_RELET_KW,    /* re-let billed kW */
  PF_RELET_STEP,  /* re-let rent escalation factor */
  PF_GPU_HOURS,   /* merchant GPU-hours sold */
  /* from the ledger after the run, or derived from it */
  PF_OPEX_RUN,    /* opex total when the mine runs */
  PF_OPEX_CURT,   /* opex total when it is curtailed */
  PF_REV_COLO,    /* colocation rent (contract price: market-independent) */
  PF_REV_GPUC,    /* contracted GPU revenue */
  PF_REV_OTHER,
  PF_PREPAY_IN,
  PF_PREPAY_AM,
  PF_CAPEX,
  PF_SALES,
  PF_SALES_OWNED,
  PF_DEP,
  PF_GAIN,
  PF_DEP_FULL,
  PF_GAIN_FULL,
  PF_LEASE_FUND,
  PF_LEASE_PAY,
  PF_CONS_DRAW,
  PF_CONS_REPAY,
  PF_CONV_PROCEEDS,
  PF_CONV_COUPON,
  PF_CONV_REPAY,
  PF_DF,
  PF_COUNT
};

/* Groups of packed fields that are often all +0. */
enum {
  PF_ZERO_REV_GPUC = 1u << 0,
  PF_ZERO_REV_OTHER = 1u << 1,
  PF_ZERO_PREPAY = 1u << 2,  /* prepay_in and prepay_am */
  PF_ZERO_LEASE = 1u << 3,   /* lease_fund and lease_pay */
  PF_ZERO_CONV = 1u << 4,    /* conv_proceeds, conv_coupon, conv_repay */
  PF_ZERO_CONS = 1u << 5,    /* cons_draw and cons_repay */
  PF_ZERO_CAPEX = 1u << 6,
  PF_ZERO_REV_COLO = 1u << 7
};

/* Per-month flags. */
enum { PF_OM_AI_ON, PF_ON1, PF_ON2, PF_RELET_ON, PF_GPU_ON, PF_FLAG_COUNT };

/*
** The market-independent values of a month, packed in two records: the fields every converting
** pathway reads (hot: one short memory stream per evaluation; the kernels of drawn schedules
** are many and mostly out of cache, so the bytes read per month set the pace) and the fields
** only some pathways have (cold: a second AI stream, re-let rent, merchant GPU-hours, static
** revenue, prepayment, lease, convertible, and the owned share of sales under a lease), read
** only when some lane needs them. A hot record is two cache lines, aligned. Flags are select
** masks: all ones when on, else 0. ph: the fleet's PH/s (WP_REV_PH of the recorded TH/s).
** dep_full, gain_full: the full-basis depreciation and gains of the unlevered project (they
** differ from dep and gain when financing costs are capitalized).
*/
typedef struct pf_hot { /* in the pairs the lanes load together (pathway_fast.c, hot_pair) */
  double ph, mine_energy;
  double e1;
  uint64_t on1;
  double opex_run, opex_curt, rev_colo, capex, dep_full, gain_full, sales, df; /* pass 1 */
  double dep, gain, cons_draw, cons_repay;                                      /* pass 2 */
} pf_hot;
#define PF_HOT_ALIGN 64

typedef struct pf_cold {
  double e2, relet_kw, relet_step, gpu_hours, rev_gpuc, rev_other, prepay_in, prepay_am;
  double lease_fund, lease_pay, sales_owned, conv_coupon, conv_proceeds, conv_repay;
  uint64_t on2, relet_on, gpu_on;
} pf_cold;

/* The month of a mining pathway without financing, packed for the specialized loop (ph: the
** fleet's PH/s, WP_REV_PH of the recorded TH/s). */
typedef struct pf_mine_month {
  double ph, energy_mwh, opex_run, opex_curt, dep, gain, capex, sales, sales_owned, df;
} pf_mine_month;

struct wp_pathway_fast {
  size_t months;
  int usable;
  /* The recorded and captured lines, by month: a workspace that exists during a
     preparation only (the evaluations read the packed months). */
  double *a[PF_COUNT];
  uint8_t *flag[PF_FLAG_COUNT];
  double *block;
  uint8_t *fblock;
  pf_hot *hot;
  pf_cold *cold;
  /* A mining pathway with no financing, no AI stream, no prepayment or static revenue, and
     the levered tax equal to the unlevered one: one pass over packed months. */
  int mine_only;
  /* Packed fields that are +0 in every month (PF_ZERO_* bits), and whether the owned sales
     equal the sales (no leased share): the evaluations then use a zero or the equal hot field
     instead of loading a cold one (the same values, fewer loads). */
  unsigned zero_fields;
  int sales_all_owned;
  pf_mine_month *mine; /* allocated for such a pathway only */
  /* Mining constants (no fleet refresh: one fleet for the whole run). */
  double eff_j_per_th, keep, pue, uptime;
  int curtail;
  /* AI streams. */
  wp_business business;
  int ai_terms;           /* power terms added after the mine's: 0, 1 or 2 */
  int64_t relet_start;    /* month of the re-let rent (>= months: none) */
  double gpu_price_multiple;
  /* Finance. */
  wp_finance_terms terms; /* of the run (site tax rate, construction window, term debt) */
  wp_fin_term_plan tplan; /* the term loan's constants (when terms.term.enabled) */
  int plain;              /* no financing lines */
  double project_cost_usd;
};

/* Two doubles with the same bits (a -0 is not a +0). */
static inline int wp_kernel_same_bits(double a, double b)
{
  return memcmp(&a, &b, sizeof a) == 0;
}

#endif
