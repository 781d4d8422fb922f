/* The monthly ledger: one allocation holding every named line (see wattpivot/ledger.h). */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"
#include "wattpivot/ledger.h"

/* Longest horizon accepted: 100 years of months (the default study is 180). */
#define LEDGER_MAX_MONTHS 1200

typedef struct column {
  const char *name;
  size_t offset; /* of the double * member in wp_ledger */
  int input;
} column;

#define COL(name, field, input)                                                                    \
  {                                                                                                \
    name, offsetof(wp_ledger, field), input                                                        \
  }
#define COLC(name, field, c, input)                                                                \
  {                                                                                                \
    name, offsetof(wp_ledger, field) + (size_t)(c) * sizeof(double *), input                       \
  }

static const column columns[] = {
    COL("rev_mining_usd", rev_mining_usd, 1),
    COL("rev_colo_usd", rev_colo_usd, 1),
    COL("rev_gpu_contract_usd", rev_gpu_contract_usd, 1),
    COL("rev_gpu_merchant_usd", rev_gpu_merchant_usd, 1),
    COL("rev_other_usd", rev_other_usd, 1),
    COL("power_usd", power_usd, 1),
    COL("opex_om_usd", opex_om_usd, 1),
    COL("opex_staff_usd", opex_staff_usd, 1),
    COL("opex_insurance_usd", opex_insurance_usd, 1),
    COL("opex_property_tax_usd", opex_property_tax_usd, 1),
    COL("opex_other_usd", opex_other_usd, 1),
    COLC("capex_mining_facility_usd", capex_usd, WP_ASSET_MINING_FACILITY, 1),
    COLC("capex_asic_usd", capex_usd, WP_ASSET_ASIC, 1),
    COLC("capex_ai_shell_usd", capex_usd, WP_ASSET_AI_SHELL, 1),
    COLC("capex_ai_mep_usd", capex_usd, WP_ASSET_AI_MEP, 1),
    COLC("capex_gpu_usd", capex_usd, WP_ASSET_GPU, 1),
    COLC("capex_soft_usd", capex_usd, WP_ASSET_SOFT, 1),
    COLC("asset_sale_mining_facility_usd", asset_sale_usd, WP_ASSET_MINING_FACILITY, 1),
    COLC("asset_sale_asic_usd", asset_sale_usd, WP_ASSET_ASIC, 1),
    COLC("asset_sale_ai_shell_usd", asset_sale_usd, WP_ASSET_AI_SHELL, 1),
    COLC("asset_sale_ai_mep_usd", asset_sale_usd, WP_ASSET_AI_MEP, 1),
    COLC("asset_sale_gpu_usd", asset_sale_usd, WP_ASSET_GPU, 1),
    COLC("asset_sale_soft_usd", asset_sale_usd, WP_ASSET_SOFT, 1),
    COLC("disposal_frac_mining_facility", disposal_frac, WP_ASSET_MINING_FACILITY, 1),
    COLC("disposal_frac_asic", disposal_frac, WP_ASSET_ASIC, 1),
    COLC("disposal_frac_ai_shell", disposal_frac, WP_ASSET_AI_SHELL, 1),
    COLC("disposal_frac_ai_mep", disposal_frac, WP_ASSET_AI_MEP, 1),
    COLC("disposal_frac_gpu", disposal_frac, WP_ASSET_GPU, 1),
    COLC("disposal_frac_soft", disposal_frac, WP_ASSET_SOFT, 1),
    COL("prepay_received_usd", prepay_received_usd, 1),
    COL("prepay_amortized_usd", prepay_amortized_usd, 1),
    COL("revenue_usd", revenue_usd, 0),
    COL("opex_usd", opex_usd, 0),
    COL("ebitda_usd", ebitda_usd, 0),
    COL("capex_total_usd", capex_total_usd, 0),
    COL("asset_sales_usd", asset_sales_usd, 0),
    COL("prepay_deferred_usd", prepay_deferred_usd, 0),
    COLC("depreciation_mining_facility_usd", depreciation_usd, WP_ASSET_MINING_FACILITY, 0),
    COLC("depreciation_asic_usd", depreciation_usd, WP_ASSET_ASIC, 0),
    COLC("depreciation_ai_shell_usd", depreciation_usd, WP_ASSET_AI_SHELL, 0),
    COLC("depreciation_ai_mep_usd", depreciation_usd, WP_ASSET_AI_MEP, 0),
    COLC("depreciation_gpu_usd", depreciation_usd, WP_ASSET_GPU, 0),
    COLC("depreciation_soft_usd", depreciation_usd, WP_ASSET_SOFT, 0),
    COL("depreciation_idc_usd", depreciation_idc_usd, 0),
    COL("depreciation_total_usd", depreciation_total_usd, 0),
    COL("disposal_gain_usd", disposal_gain_usd, 0),
    COL("lease_funding_usd", lease_funding_usd, 0),
    COL("lease_payment_usd", lease_payment_usd, 0),
    COL("construction_draw_usd", construction_draw_usd, 0),
    COL("construction_interest_usd", construction_interest_usd, 0),
    COL("construction_repay_usd", construction_repay_usd, 0),
    COL("construction_balance_usd", construction_balance_usd, 0),
    COL("term_draw_usd", term_draw_usd, 0),
    COL("term_interest_usd", term_interest_usd, 0),
    COL("term_principal_usd", term_principal_usd, 0),
    COL("term_balance_usd", term_balance_usd, 0),
    COL("debt_service_usd", debt_service_usd, 0),
    COL("cfads_usd", cfads_usd, 0),
    COL("dscr_ratio", dscr_ratio, 0),
    COL("conv_proceeds_usd", conv_proceeds_usd, 0),
    COL("conv_coupon_usd", conv_coupon_usd, 0),
    COL("conv_repay_usd", conv_repay_usd, 0),
    COL("taxable_income_usd", taxable_income_usd, 0),
    COL("nol_used_usd", nol_used_usd, 0),
    COL("nol_balance_usd", nol_balance_usd, 0),
    COL("tax_usd", tax_usd, 0),
    COL("unlevered_tax_usd", unlevered_tax_usd, 0),
    COL("project_cash_flow_usd", project_cash_flow_usd, 0),
    COL("equity_cash_flow_usd", equity_cash_flow_usd, 0),
    COL("cumulative_project_usd", cumulative_project_usd, 0),
    COL("cumulative_equity_usd", cumulative_equity_usd, 0),
};

#define NCOLUMNS (sizeof columns / sizeof columns[0])
/* Scratch arrays after the columns: days, df and work[] (ledger_int.h). */
#define NSCRATCH (2 + WP_ASSET_COUNT + 2)

const char *wp_asset_class_name(wp_asset_class c)
{
  static const char *const names[WP_ASSET_COUNT] = {"mining_facility", "asic", "ai_shell",
                                                    "ai_mep",          "gpu",  "soft"};
  return (c >= 0 && c < WP_ASSET_COUNT) ? names[c] : "?";
}

static double **member(wp_ledger *l, size_t k)
{
  return (double **)(void *)((char *)l + columns[k].offset);
}

wp_status wp_ledger_new(wp_ym start, size_t months, wp_ledger **out, wp_error *err)
{
  if (!out) return wp_error_set(err, WP_EINVAL, "wp_ledger_new: out is NULL");
  *out = NULL;
  if (!wp_calendar_valid(start))
    return wp_error_set(err, WP_EINVAL,
                        "ledger start %04d-%02d is not a valid month "
                        "(year 1..9999, month 1..12)",
                        start.year, start.month);
  if (months == 0 || months > LEDGER_MAX_MONTHS)
    return wp_error_set(err, WP_EINVAL, "ledger months %zu out of range [1, %d]", months,
                        LEDGER_MAX_MONTHS);
  /* The ledger and its scratch in one allocation, the lines and scratch arrays in another. */
  wp_ledger *l = calloc(1, sizeof *l + sizeof(struct wp_ledger_scratch));
  if (!l) goto nomem;
  l->scratch_ = (struct wp_ledger_scratch *)(void *)(l + 1);
  l->scratch_->block = calloc((NCOLUMNS + NSCRATCH) * months, sizeof(double));
  if (!l->scratch_->block) goto nomem;
  l->start = start;
  l->months = months;
  for (size_t k = 0; k < NCOLUMNS; k++)
    *member(l, k) = l->scratch_->block + k * months;
  double *s = l->scratch_->block + NCOLUMNS * months;
  l->scratch_->days = s;
  l->scratch_->df = s + months;
  for (size_t k = 0; k < WP_ASSET_COUNT + 2; k++)
    l->scratch_->work[k] = s + (2 + k) * months;
  int64_t d0 = wp_calendar_month_end_day(start, 0);
  for (size_t m = 0; m < months; m++)
    l->scratch_->days[m] = (double)(wp_calendar_month_end_day(start, (int64_t)m) - d0);
  l->scratch_->df_rate = NAN;
  l->scratch_->df_switch = -1;
  l->scratch_->df_rate_after = NAN;
  l->scratch_->zero = ~0u;
  *out = l;
  return WP_OK;
nomem:
  free(l);
  return wp_error_set(err, WP_ENOMEM, "cannot allocate a ledger of %zu months", months);
}

void wp_ledger_free(wp_ledger *l)
{
  if (!l) return;
  free(l->scratch_->block);
  free(l);
}

void wp_ledger_zero(wp_ledger *l)
{
  if (!l) return;
  memset(l->scratch_->block, 0, NCOLUMNS * l->months * sizeof(double));
  /* and the finance scratch (not days and df, which depend on the start and rate only), so
     the ledger is as new: every derived group known zero */
  for (size_t k = 0; k < WP_ASSET_COUNT + 2; k++)
    memset(l->scratch_->work[k], 0, l->months * sizeof(double));
  l->scratch_->zero = ~0u;
}

void wp_ledger_zero_inputs(wp_ledger *l)
{
  if (!l) return;
  /* The input columns come first in the table and in the block. */
  size_t k = 0;
  while (k < NCOLUMNS && columns[k].input)
    k++;
  memset(l->scratch_->block, 0, k * l->months * sizeof(double));
}

size_t wp_ledger_column_count(void)
{
  return NCOLUMNS;
}

const char *wp_ledger_column_name(size_t k)
{
  return k < NCOLUMNS ? columns[k].name : NULL;
}

int wp_ledger_column_is_input(size_t k)
{
  return k < NCOLUMNS ? columns[k].input : 0;
}

const double *wp_ledger_column(const wp_ledger *l, size_t k)
{
  if (!l || k >= NCOLUMNS) return NULL;
  return *(double *const *)(const void *)((const char *)l + columns[k].offset);
}

long wp_ledger_column_find(const char *name)
{
  if (!name) return -1;
  for (size_t k = 0; k < NCOLUMNS; k++)
    if (strcmp(columns[k].name, name) == 0) return (long)k;
  return -1;
}
