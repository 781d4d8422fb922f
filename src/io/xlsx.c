/*
** The plan and one pathway as Excel workbooks (wattpivot/output.h wp_output_write_xlsx,
** wp_output_write_finance_xlsx), through libxlsxwriter. Live: each site ledger's derived lines
** are formulas over its input lines, the row above and the assumption cells, written as the
** engine computes them (src/model/finance_int.h: same terms, same order); the portfolio ledgers
** sum the site ledgers and the corporate layer in the planner's order; NPVs are XNPV, IRRs XIRR,
** month-end cash the start cash plus the running equity cash flow. Every formula carries our
** value as its cached result (what a viewer shows before recalculating); tests/xlsx
** recalculates with Gnumeric and requires the same numbers (docs/output.md).
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "io/output_int.h"
#include "model/finance_int.h"
#include "plan/pathway_int.h"
#include "io/scenario_file_int.h"
#include "io/yaml_int.h"
#include "wattpivot/format.h"
#include "wattpivot/output.h"
#include "wattpivot/planner.h"

typedef struct book {
  lxw_workbook *wb;
  lxw_format *bold, *usd, *mw, *pct, *date, *num;
  char tmp[4200]; /* written here, beside the target, then renamed into place */
} book;

/* A new workbook beside path, with the formats every sheet uses. */
static wp_status book_open(book *b, const char *path, wp_error *err)
{
  memset(b, 0, sizeof *b);
  snprintf(b->tmp, sizeof b->tmp, "%s.%ld.tmp", path, (long)getpid());
  /* Rows go to disk as they are finished (every sheet is written row by row): a portfolio of
     64 sites has a few hundred ledger sheets. */
  lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
  b->wb = workbook_new_opt(b->tmp, &opts);
  if (!b->wb) return wp_error_set(err, WP_EIO, "cannot create %s", path);
  b->bold = workbook_add_format(b->wb);
  format_set_bold(b->bold);
  format_set_bg_color(b->bold, 0xF2F2F2);
  format_set_text_wrap(b->bold);
  b->usd = workbook_add_format(b->wb);
  format_set_num_format(b->usd, "#,##0;[Red]-#,##0");
  b->mw = workbook_add_format(b->wb);
  format_set_num_format(b->mw, "#,##0.0");
  b->pct = workbook_add_format(b->wb);
  format_set_num_format(b->pct, "0.00%");
  b->date = workbook_add_format(b->wb);
  format_set_num_format(b->date, "yyyy-mm-dd");
  b->num = workbook_add_format(b->wb);
  format_set_num_format(b->num, "General");
  return WP_OK;
}

/* Finish the workbook and rename it into place: whole or not at all. */
static wp_status book_close(book *b, const char *path, wp_error *err)
{
  lxw_error e = workbook_close(b->wb);
  if (e != LXW_NO_ERROR) {
    remove(b->tmp);
    return wp_error_set(err, WP_EIO, "cannot write %s: %s", path, lxw_strerror(e));
  }
  if (rename(b->tmp, path) != 0) {
    int saved = errno;
    remove(b->tmp);
    return wp_error_set(err, WP_EIO, "cannot write %s: %s", path, strerror(saved));
  }
  return WP_OK;
}

/* Excel's serial day number of the last day of month m of the plan (1900 date system). */
static double serial_of(wp_ym start, int64_t m)
{
  wp_ym ym = wp_calendar_add_months(start, m);
  int y = ym.year, mo = ym.month + 1; /* the day before the first of the next month */
  if (mo > 12) mo = 1, y++;
  /* days from 1899-12-30 to y-mo-01 (civil from days, proleptic Gregorian) */
  const int a = (14 - mo) / 12, yy = y + 4800 - a, mm = mo + 12 * a - 3;
  const long jdn = 1 + (153 * mm + 2) / 5 + 365L * yy + yy / 4 - yy / 100 + yy / 400 - 32045;
  return (double)(jdn - 2415019) - 1.0; /* 2415019: JDN of 1899-12-30 */
}

/* ------------------------------------------------------------------ a live site ledger */

/* Columns after the ledger's own: the engine's full-basis depreciation and disposal gains (the
** all-equity project's tax base, docs/model/finance.md) and that project's tax with its own loss
** carry-forward. */
enum { X_DEP_FULL, X_GAIN_FULL, X_TAXABLE_U, X_NOL_USED_U, X_NOL_U, X_COUNT };
static const char *const extra_names[X_COUNT] = {
    "depreciation_full_usd", "disposal_gain_full_usd", "unlevered_taxable_income_usd",
    "unlevered_nol_used_usd", "unlevered_nol_balance_usd"};

#define LEDGER_MAX_COLS 96

/* One site ledger being written: its sheet, its lines and the letters of its columns. */
typedef struct live {
  lxw_worksheet *ws;
  const wp_ledger *L;
  const wp_finance_terms *t;
  const char *tax, *nol; /* the cells of the tax rate and the loss-offset limit */
  const char *rent;      /* the colocation rent's cell (NULL: rev_colo_usd is a value) */
  const double *colo_kw, *colo_step; /* with rent: the hall's billed kW and escalation */
  const char *cap;       /* with rent: the exit cap rate's cell when the last month sells the
                            hall at its exit value (NULL: the sales are values) */
  double exit_v, cap_v;  /* that exit value and the cap rate it was computed at */
  size_t K;              /* ledger columns: sheet columns 1..K, the extras after them */
  char col[LEDGER_MAX_COLS][4];
  unsigned row;      /* the Excel row of the month being written (month + 2) */
  char pool[40][24]; /* references handed out for one formula */
  unsigned next;
} live;

static long lc(const char *name)
{
  return wp_ledger_column_find(name);
}

/* A1 reference to column k (a ledger column, or K + X_* for an extra) in row. */
static const char *at(live *x, long k, unsigned row)
{
  char *p = x->pool[x->next++ % 40], letters[4];
  memcpy(letters, x->col[k], sizeof letters);
  snprintf(p, sizeof x->pool[0], "%s%u", letters, row);
  return p;
}

static const char *cur(live *x, const char *name)
{
  return at(x, lc(name), x->row);
}

static const char *prv(live *x, const char *name)
{
  return x->row > 2 ? at(x, lc(name), x->row - 1) : "0";
}

static void put(live *x, long k, const char *f, double cached, lxw_format *fmt)
{
  worksheet_write_formula_num(x->ws, x->row - 1, (lxw_col_t)(k + 1), f, fmt, cached);
}

/* Sum of the six class lines "prefix<class>_usd" of this row: "=a+b+c+d+e+f". */
static void class_sum(live *x, char *f, size_t n, const char *prefix)
{
  size_t at_ = (size_t)snprintf(f, n, "=");
  for (int c = 0; c < WP_ASSET_COUNT && at_ < n; c++) {
    char name[64];
    snprintf(name, sizeof name, "%s%s_usd", prefix, wp_asset_class_name((wp_asset_class)c));
    at_ += (size_t)snprintf(f + at_, n - at_, "%s%s", c ? "+" : "", cur(x, name));
  }
}

/* The month's sale proceeds of the owned share (the asset sales without a leased class). */
static const char *sales_owned(live *x, char *buf, size_t n)
{
  const wp_finance_terms *t = x->t;
  if (!(t->lease.asset_class >= 0 && t->lease.fraction != 0.0)) return cur(x, "asset_sales_usd");
  size_t at_ = (size_t)snprintf(buf, n, "(");
  for (int c = 0; c < WP_ASSET_COUNT && at_ < n; c++) {
    char name[64];
    snprintf(name, sizeof name, "asset_sale_%s_usd", wp_asset_class_name((wp_asset_class)c));
    at_ += (size_t)snprintf(buf + at_, n - at_, "%s%s*%.17g", c ? "+" : "", cur(x, name),
                            c == t->lease.asset_class ? 1.0 - t->lease.fraction : 1.0);
  }
  if (at_ < n) snprintf(buf + at_, n - at_, ")");
  return buf;
}

/* Whether row m's ledger column k is written by exit_row (the AI classes' sales and the
** disposal gain of the last month of an exit-valued hall). */
static int exit_cell(const live *x, size_t m, size_t k)
{
  if (!x->cap || m + 1 != x->L->months) return 0;
  if (strcmp(wp_ledger_column_name(k), "disposal_gain_usd") == 0) return 1;
  for (int c = 0; c < WP_ASSET_COUNT; c++) {
    char name[64];
    snprintf(name, sizeof name, "asset_sale_%s_usd", wp_asset_class_name((wp_asset_class)c));
    if (wp_pathway_ai_class(c) && strcmp(wp_ledger_column_name(k), name) == 0) return 1;
  }
  return 0;
}

/* The last month of a colocation hall sold at its exit value (docs/model/pathway.md step 4):
** V = 12 x NOI / cap rate, with NOI moving one for one with the rent line (the hall's power and
** opex do not depend on the rent), the AI classes' sales V in the engine's shares, and the
** disposal gains (the sponsor's, owned share; the all-equity project's, full) moved by what the
** sale moves. So an edited rent or cap-rate cell reaches the NPV through the exit too. */
/* The exit value of row m as a formula: 12 x (rent cell - (the engine's rent - its NOI)) / the
** cap-rate cell, parenthesized. */
static const char *exit_value(live *x, size_t m, char *tv, size_t n)
{
  const double noi = x->exit_v * x->cap_v / 12.0;
  snprintf(tv, n, "(12*(%s-(%.17g))/%s)", cur(x, "rev_colo_usd"),
           wp_ledger_column(x->L, (size_t)lc("rev_colo_usd"))[m] - noi, x->cap);
  return tv;
}

static void exit_row(live *x, const book *b, size_t m)
{
  const wp_ledger *L = x->L;
  char tv[160], f[256];
  const double V0 = x->exit_v;
  exit_value(x, m, tv, sizeof tv);
  double owned = 0.0; /* the owned share of a dollar of exit value */
  for (int c = 0; c < WP_ASSET_COUNT; c++) {
    if (!wp_pathway_ai_class(c)) continue;
    char name[64];
    snprintf(name, sizeof name, "asset_sale_%s_usd", wp_asset_class_name((wp_asset_class)c));
    const double v = wp_ledger_column(L, (size_t)lc(name))[m], share = v / V0;
    const int leased = x->t->lease.asset_class == c && x->t->lease.fraction != 0.0;
    owned += share * (leased ? 1.0 - x->t->lease.fraction : 1.0);
    snprintf(f, sizeof f, "=%.17g*%s", share, tv);
    put(x, lc(name), f, v, b->usd);
  }
  const double gain = wp_ledger_column(L, (size_t)lc("disposal_gain_usd"))[m];
  snprintf(f, sizeof f, "=%.17g+%.17g*%s", gain - owned * V0, owned, tv);
  put(x, lc("disposal_gain_usd"), f, gain, b->usd);
}

/* Row m's derived lines as formulas over the row's inputs, the row above and the rate cells;
** the engine's schedules (depreciation, lease, construction loan, term debt sculpting, the
** convertible) as values. u holds the all-equity project's loss balance and use. */
static void live_row(live *x, const book *b, size_t m, double *nol_u, double *used_u)
{
  const wp_ledger *L = x->L;
  char f[1400], so[400];
  x->row = (unsigned)m + 2;
  x->next = 0;
#define V(name) wp_ledger_column(L, (size_t)lc(name))[m]
  if (x->rent) { /* the colocation rent: billed kW x (first-year rent x escalation) */
    const long K = (long)x->K;
    worksheet_write_number(x->ws, x->row - 1, (lxw_col_t)(K + X_COUNT + 1), x->colo_kw[m], b->mw);
    worksheet_write_number(x->ws, x->row - 1, (lxw_col_t)(K + X_COUNT + 2), x->colo_step[m],
                           b->num);
    snprintf(f, sizeof f, "=%s*(%s*%s)", at(x, K + X_COUNT, x->row), x->rent,
             at(x, K + X_COUNT + 1, x->row));
    put(x, lc("rev_colo_usd"), f, V("rev_colo_usd"), b->usd);
  }
  snprintf(f, sizeof f, "=%s+%s+%s+%s+%s", cur(x, "rev_mining_usd"), cur(x, "rev_colo_usd"),
           cur(x, "rev_gpu_contract_usd"), cur(x, "rev_gpu_merchant_usd"), cur(x, "rev_other_usd"));
  put(x, lc("revenue_usd"), f, V("revenue_usd"), b->usd);
  snprintf(f, sizeof f, "=%s+%s+%s+%s+%s", cur(x, "opex_om_usd"), cur(x, "opex_staff_usd"),
           cur(x, "opex_insurance_usd"), cur(x, "opex_property_tax_usd"), cur(x, "opex_other_usd"));
  put(x, lc("opex_usd"), f, V("opex_usd"), b->usd);
  snprintf(f, sizeof f, "=%s-%s-%s", cur(x, "revenue_usd"), cur(x, "power_usd"),
           cur(x, "opex_usd"));
  put(x, lc("ebitda_usd"), f, V("ebitda_usd"), b->usd);
  class_sum(x, f, sizeof f, "capex_");
  put(x, lc("capex_total_usd"), f, V("capex_total_usd"), b->usd);
  if (x->cap && m + 1 == L->months) exit_row(x, b, m);
  class_sum(x, f, sizeof f, "asset_sale_");
  put(x, lc("asset_sales_usd"), f, V("asset_sales_usd"), b->usd);
  class_sum(x, f, sizeof f, "depreciation_");
  snprintf(f + strlen(f), sizeof f - strlen(f), "+%s", cur(x, "depreciation_idc_usd"));
  put(x, lc("depreciation_total_usd"), f, V("depreciation_total_usd"), b->usd);
  snprintf(f, sizeof f, "=%s+%s", cur(x, "term_interest_usd"), cur(x, "term_principal_usd"));
  put(x, lc("debt_service_usd"), f, V("debt_service_usd"), b->usd);
  snprintf(f, sizeof f, "=%s+%s-%s-(%s-%s)-%s", cur(x, "ebitda_usd"), cur(x, "prepay_received_usd"),
           cur(x, "prepay_amortized_usd"), cur(x, "capex_total_usd"), cur(x, "lease_funding_usd"),
           cur(x, "lease_payment_usd"));
  put(x, lc("cfads_usd"), f, V("cfads_usd"), b->usd);
  snprintf(f, sizeof f, "=IF(%s>0,%s/%s,0)", cur(x, "debt_service_usd"), cur(x, "cfads_usd"),
           cur(x, "debt_service_usd"));
  put(x, lc("dscr_ratio"), f, V("debt_service_usd") > 0 ? V("dscr_ratio") : 0.0, b->num);
  /* the sponsor's tax, losses carried forward */
  snprintf(f, sizeof f, "=%s-%s-%s-%s-%s+%s", cur(x, "ebitda_usd"),
           cur(x, "depreciation_total_usd"), cur(x, "term_interest_usd"),
           cur(x, "lease_payment_usd"), cur(x, "conv_coupon_usd"), cur(x, "disposal_gain_usd"));
  put(x, lc("taxable_income_usd"), f, V("taxable_income_usd"), b->usd);
  const char *X = cur(x, "taxable_income_usd");
  snprintf(f, sizeof f, "=IF(%s<=0,0,MIN(%s,%s*%s))", X, prv(x, "nol_balance_usd"), x->nol, X);
  put(x, lc("nol_used_usd"), f, V("nol_used_usd"), b->usd);
  snprintf(f, sizeof f, "=IF(%s<=0,%s-%s,%s-%s)", X, prv(x, "nol_balance_usd"), X,
           prv(x, "nol_balance_usd"), cur(x, "nol_used_usd"));
  put(x, lc("nol_balance_usd"), f, V("nol_balance_usd"), b->usd);
  snprintf(f, sizeof f, "=IF(%s<=0,0,%s*(%s-%s))", X, x->tax, X, cur(x, "nol_used_usd"));
  put(x, lc("tax_usd"), f, V("tax_usd"), b->usd);
  /* the all-equity project's tax (full-basis depreciation and gains: engine schedules) */
  const long K = (long)x->K;
  const double *dep_full = wp_fin_depreciation_full(L), *gain_full = wp_fin_disposal_gain_full(L);
  worksheet_write_number(x->ws, x->row - 1, (lxw_col_t)(K + X_DEP_FULL + 1), dep_full[m], b->usd);
  if (x->cap && m + 1 == L->months) { /* the exit value moves the full-basis gain one for one */
    char tv[160];
    snprintf(f, sizeof f, "=%.17g+%s", gain_full[m] - x->exit_v,
             exit_value(x, m, tv, sizeof tv));
    put(x, K + X_GAIN_FULL, f, gain_full[m], b->usd);
  } else {
    worksheet_write_number(x->ws, x->row - 1, (lxw_col_t)(K + X_GAIN_FULL + 1), gain_full[m],
                           b->usd);
  }
  const double xu = WP_FIN_TAXABLE_UNLEVERED(V("ebitda_usd"), dep_full[m], gain_full[m]);
  snprintf(f, sizeof f, "=%s-%s+%s", cur(x, "ebitda_usd"), at(x, K + X_DEP_FULL, x->row),
           at(x, K + X_GAIN_FULL, x->row));
  put(x, K + X_TAXABLE_U, f, xu, b->usd);
  (void)wp_fin_tax_month(xu, x->t->tax_rate, x->t->nol_limit_frac, nol_u, used_u);
  const char *XU = at(x, K + X_TAXABLE_U, x->row);
  const char *NP = x->row > 2 ? at(x, K + X_NOL_U, x->row - 1) : "0";
  snprintf(f, sizeof f, "=IF(%s<=0,0,MIN(%s,%s*%s))", XU, NP, x->nol, XU);
  put(x, K + X_NOL_USED_U, f, *used_u, b->usd);
  XU = at(x, K + X_TAXABLE_U, x->row);
  NP = x->row > 2 ? at(x, K + X_NOL_U, x->row - 1) : "0";
  snprintf(f, sizeof f, "=IF(%s<=0,%s-%s,%s-%s)", XU, NP, XU, NP, at(x, K + X_NOL_USED_U, x->row));
  put(x, K + X_NOL_U, f, *nol_u, b->usd);
  XU = at(x, K + X_TAXABLE_U, x->row);
  snprintf(f, sizeof f, "=IF(%s<=0,0,%s*(%s-%s))", XU, x->tax, XU, at(x, K + X_NOL_USED_U, x->row));
  put(x, lc("unlevered_tax_usd"), f, V("unlevered_tax_usd"), b->usd);
  /* the cash flows and their running sums */
  snprintf(f, sizeof f, "=%s+%s-%s-%s+%s-%s", cur(x, "ebitda_usd"), cur(x, "prepay_received_usd"),
           cur(x, "prepay_amortized_usd"), cur(x, "capex_total_usd"), cur(x, "asset_sales_usd"),
           cur(x, "unlevered_tax_usd"));
  put(x, lc("project_cash_flow_usd"), f, V("project_cash_flow_usd"), b->usd);
  snprintf(f, sizeof f, "=%s+%s-%s-%s+%s+%s-%s-%s+%s-%s+%s-%s-%s+%s-%s-%s", cur(x, "ebitda_usd"),
           cur(x, "prepay_received_usd"), cur(x, "prepay_amortized_usd"), cur(x, "capex_total_usd"),
           cur(x, "lease_funding_usd"), sales_owned(x, so, sizeof so), cur(x, "lease_payment_usd"),
           cur(x, "tax_usd"), cur(x, "construction_draw_usd"), cur(x, "construction_repay_usd"),
           cur(x, "term_draw_usd"), cur(x, "term_interest_usd"), cur(x, "term_principal_usd"),
           cur(x, "conv_proceeds_usd"), cur(x, "conv_coupon_usd"), cur(x, "conv_repay_usd"));
  put(x, lc("equity_cash_flow_usd"), f, V("equity_cash_flow_usd"), b->usd);
  if (m == 0) {
    snprintf(f, sizeof f, "=%s", cur(x, "project_cash_flow_usd"));
    put(x, lc("cumulative_project_usd"), f, V("cumulative_project_usd"), b->usd);
    snprintf(f, sizeof f, "=%s", cur(x, "equity_cash_flow_usd"));
    put(x, lc("cumulative_equity_usd"), f, V("cumulative_equity_usd"), b->usd);
  } else {
    snprintf(f, sizeof f, "=%s+%s", prv(x, "cumulative_project_usd"),
             cur(x, "project_cash_flow_usd"));
    put(x, lc("cumulative_project_usd"), f, V("cumulative_project_usd"), b->usd);
    snprintf(f, sizeof f, "=%s+%s", prv(x, "cumulative_equity_usd"),
             cur(x, "equity_cash_flow_usd"));
    put(x, lc("cumulative_equity_usd"), f, V("cumulative_equity_usd"), b->usd);
  }
#undef V
}

/* Whether ledger column k is written as a formula by live_row (else it is a value: an input
** line, or a schedule of the engine). */
static int live_formula(size_t k)
{
  static const char *const names[] = {"revenue_usd",
                                      "opex_usd",
                                      "ebitda_usd",
                                      "capex_total_usd",
                                      "asset_sales_usd",
                                      "depreciation_total_usd",
                                      "debt_service_usd",
                                      "cfads_usd",
                                      "dscr_ratio",
                                      "taxable_income_usd",
                                      "nol_used_usd",
                                      "nol_balance_usd",
                                      "tax_usd",
                                      "unlevered_tax_usd",
                                      "project_cash_flow_usd",
                                      "equity_cash_flow_usd",
                                      "cumulative_project_usd",
                                      "cumulative_equity_usd"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(wp_ledger_column_name(k), names[i]) == 0) return 1;
  return 0;
}

/* A site's ledger on sheet ws: the month-end date, every ledger line (inputs and the engine's
** schedules as values, the rest live), then the extras. t: the terms it was run under; tax and
** nol: the cells of its tax rate and loss-offset limit. */
static void live_ledger(book *b, lxw_worksheet *ws, const wp_ledger *L, const wp_finance_terms *t,
                        const char *tax, const char *nol, const char *rent, const double *colo_kw,
                        const double *colo_step, const char *cap, double exit_v, double cap_v)
{
  live x;
  memset(&x, 0, sizeof x);
  x.ws = ws;
  x.L = L;
  x.t = t;
  x.tax = tax;
  x.nol = nol;
  x.rent = rent && colo_kw && colo_step ? rent : NULL;
  x.colo_kw = colo_kw;
  x.colo_step = colo_step;
  /* An exit value is live where the rent is (its NOI moves with the rent line). */
  x.cap = x.rent && cap && exit_v > 0 && cap_v > 0 ? cap : NULL;
  x.exit_v = exit_v;
  x.cap_v = cap_v;
  x.K = wp_ledger_column_count();
  const long rev_colo = lc("rev_colo_usd");
  for (size_t k = 0; k < x.K + X_COUNT + 2 && k < LEDGER_MAX_COLS; k++)
    lxw_col_to_name(x.col[k], (lxw_col_t)(k + 1), LXW_FALSE);
  worksheet_write_string(ws, 0, 0, "date", b->bold);
  worksheet_set_column(ws, 0, 0, 12, NULL);
  worksheet_set_column(ws, 1, (lxw_col_t)(x.K + X_COUNT + 2), 16, NULL);
  worksheet_freeze_panes(ws, 1, 1);
  for (size_t k = 0; k < x.K; k++)
    worksheet_write_string(ws, 0, (lxw_col_t)(k + 1), wp_ledger_column_name(k), b->bold);
  for (size_t e = 0; e < X_COUNT; e++)
    worksheet_write_string(ws, 0, (lxw_col_t)(x.K + e + 1), extra_names[e], b->bold);
  if (x.rent) {
    worksheet_write_string(ws, 0, (lxw_col_t)(x.K + X_COUNT + 1), "colo_billed_kw", b->bold);
    worksheet_write_string(ws, 0, (lxw_col_t)(x.K + X_COUNT + 2), "colo_rent_escalation", b->bold);
  }
  double nol_u = 0.0, used_u = 0.0;
  for (size_t m = 0; m < L->months; m++) {
    worksheet_write_number(ws, (lxw_row_t)m + 1, 0, serial_of(L->start, (int64_t)m), b->date);
    for (size_t k = 0; k < x.K; k++)
      if (!live_formula(k) && !(x.rent && (long)k == rev_colo) && !exit_cell(&x, m, k))
        worksheet_write_number(ws, (lxw_row_t)m + 1, (lxw_col_t)(k + 1), wp_ledger_column(L, k)[m],
                               NULL);
    live_row(&x, b, m, &nol_u, &used_u);
  }
}

/* The cells (A1 form, on the Assumptions sheet) the live formulas read. */
enum {
  CELL_HURDLE,
  CELL_CASH_START,
  CELL_FLOOR,
  CELL_NOL_LIMIT,
  CELL_OVERHEAD,
  CELL_COLO_RENT,
  CELL_EXIT_CAP,
  NCELLS
};

/* The Assumptions sheet: every key of every section, with its value, unit and section, then
** every country's tax rate; returns the cells of the ones the formulas read in cells and each
** country's tax rate's in tax. */
static void assumptions(book *b, const wp_plan_out *plan, const wp_scenario *sc,
                        char cells[NCELLS][32], char (*tax)[32])
{
  lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Assumptions");
  worksheet_set_column(ws, 0, 0, 42, NULL);
  worksheet_set_column(ws, 1, 1, 22, NULL);
  worksheet_set_column(ws, 2, 3, 16, NULL);
  worksheet_freeze_panes(ws, 1, 0);
  worksheet_write_string(ws, 0, 0, "key", b->bold);
  worksheet_write_string(ws, 0, 1, "value", b->bold);
  worksheet_write_string(ws, 0, 2, "unit", b->bold);
  worksheet_write_string(ws, 0, 3, "source", b->bold);
  lxw_row_t r = 1;
  char t[160];
  worksheet_write_string(ws, r, 0, "scenario", NULL);
  worksheet_write_string(ws, r++, 1, WP_OUT_FIELD(t, plan->scenario), NULL);
  worksheet_write_string(ws, r, 0, "wattpivot version", NULL);
  worksheet_write_string(ws, r++, 1, wp_version(), NULL);
  worksheet_write_string(ws, r, 0, "scenario hash", NULL);
  worksheet_write_string(
      ws, r, 1, plan->scenario_hash[0] ? WP_OUT_FIELD(t, plan->scenario_hash) : "n/a", NULL);
  worksheet_write_string(ws, r++, 3, "FNV-1a 64 of the resolved scenario (docs/output.md)", NULL);
  worksheet_write_string(ws, r, 0, "run at (UTC)", NULL);
  worksheet_write_string(ws, r++, 1,
                         plan->created_utc[0] ? WP_OUT_FIELD(t, plan->created_utc) : "n/a", NULL);
  size_t n = 0;
  const wp_scenario_section *secs = wp_scenario_sections(&n);
  for (size_t s = 0; sc && s < n; s++) {
    const char *base = (const char *)sc + secs[s].offset;
    for (size_t f = 0; f < secs[s].nfields; f++) {
      const wp_field *fd = &secs[s].fields[f];
      const void *v = base + fd->offset;
      char key[160];
      snprintf(key, sizeof key, "%s.%s", secs[s].key, fd->key);
      worksheet_write_string(ws, r, 0, key, NULL);
      switch (fd->kind) {
      case WP_F_NUM: {
        double d;
        memcpy(&d, v, sizeof d);
        if (isnan(d)) /* an unset rate (valuation.discount_rate_*): the hurdle's */
          worksheet_write_string(ws, r, 1, "unset (the hurdle rate)", NULL);
        else
          worksheet_write_number(ws, r, 1, d, b->num);
        break;
      }
      case WP_F_INT: {
        int64_t i;
        memcpy(&i, v, sizeof i);
        worksheet_write_number(ws, r, 1, (double)i, NULL);
        break;
      }
      case WP_F_BOOL: {
        int i;
        memcpy(&i, v, sizeof i);
        worksheet_write_boolean(ws, r, 1, i, NULL);
        break;
      }
      case WP_F_ENUM: {
        int i;
        memcpy(&i, v, sizeof i);
        worksheet_write_string(ws, r, 1, fd->name_of ? fd->name_of(i) : "", NULL);
        break;
      }
      case WP_F_STR:
        worksheet_write_string(ws, r, 1, (const char *)v, NULL);
        break;
      case WP_F_YM: {
        wp_ym ym;
        memcpy(&ym, v, sizeof ym);
        worksheet_write_string(ws, r, 1, wp_format_ym(t, sizeof t, ym), NULL);
        break;
      }
      case WP_F_NUM12:
        worksheet_write_string(ws, r, 1, "(12 monthly values)", NULL);
        break;
      case WP_F_NUMS:
      case WP_F_ENUMSET:
        worksheet_write_string(ws, r, 1, "(a list: see the scenario file)", NULL);
        break;
      }
      worksheet_write_string(ws, r, 2, fd->unit ? fd->unit : "", NULL);
      worksheet_write_string(ws, r, 3, fd->help ? fd->help : "docs/scenario.md", NULL);
      if (strcmp(key, "scenario.hurdle_rate") == 0)
        snprintf(cells[0], 32, "Assumptions!$B$%u", r + 1);
      if (strcmp(key, "corporate.cash_start_usd") == 0)
        snprintf(cells[1], 32, "Assumptions!$B$%u", r + 1);
      if (strcmp(key, "strategy.cash_floor_usd") == 0)
        snprintf(cells[2], 32, "Assumptions!$B$%u", r + 1);
      if (strcmp(key, "finance.nol_limit_frac") == 0)
        snprintf(cells[CELL_NOL_LIMIT], 32, "Assumptions!$B$%u", r + 1);
      if (strcmp(key, "corporate.overhead_usd_per_yr") == 0)
        snprintf(cells[CELL_OVERHEAD], 32, "Assumptions!$B$%u", r + 1);
      if (strcmp(key, "conversion.colo_rent_usd_per_kw_month") == 0)
        snprintf(cells[CELL_COLO_RENT], 32, "Assumptions!$B$%u", r + 1);
      if (strcmp(key, "valuation.exit_cap_rate_colo") == 0)
        snprintf(cells[CELL_EXIT_CAP], 32, "Assumptions!$B$%u", r + 1);
      r++;
    }
  }
  for (size_t j = 0; sc && j < sc->ncountries; j++, r++) { /* the site ledgers' tax rates */
    char key[96];
    snprintf(key, sizeof key, "countries[%s].tax_rate", WP_OUT_FIELD(t, sc->countries[j].name));
    worksheet_write_string(ws, r, 0, key, NULL);
    worksheet_write_number(ws, r, 1, sc->countries[j].tax_rate, b->num);
    worksheet_write_string(ws, r, 2, "fraction", NULL);
    worksheet_write_string(ws, r, 3,
                           "income tax rate of the sites in the country (docs/scenario.md)", NULL);
    snprintf(tax[j], 32, "Assumptions!$B$%u", r + 1);
  }
}

static void sheet_name(char *buf, size_t n, const char *prefix, const char *name)
{
  snprintf(buf, n, "%s %.20s", prefix, name);
  for (char *p = buf; *p; p++)
    if (strchr("[]:*?/\\", *p)) *p = '_';
}

/* A site sheet's name: "PREFIX INDEX NAME", at most 31 characters, no character a sheet name or
** a quoted reference refuses; the index keeps two sites alike in their first letters apart. */
static void site_sheet_name(char *buf, size_t n, const char *prefix, size_t i, const char *name)
{
  char whole[160] = "";
  snprintf(whole, sizeof whole, "%.16s %zu %.63s", prefix, i + 1, name);
  const size_t keep = n < 32 ? n : 32; /* 31 characters and the NUL */
  memcpy(buf, whole, keep - 1);
  buf[keep - 1] = '\0';
  for (char *p = buf; *p; p++)
    if (strchr("[]:*?/\\'", *p)) *p = '_';
}

/* The workbook's project ledgers: one sheet per distinct project of the plan (a project taken n
** times, as the n tranches of one conversion option, is one sheet counted n times), and every
** site mining whole (the Sites sheet's comparison). Strategy k's uses are use[first[k] ..
** first[k + 1]), in the plan's project order. */
typedef struct book_use {
  size_t sheet, site;
  unsigned count;
} book_use;

typedef struct site_books {
  size_t nsites, nstrategies, nsheets;
  char (*sheet)[32];
  wp_plan_project *proj; /* nsheets: the project each sheet runs */
  size_t *mine;          /* nsites: the sheet of the site mining whole */
  size_t *first;         /* nstrategies + 1 */
  book_use *use;
  char pcf[4], rev_mining[4], colo[4], contract[4], merchant[4], power[4], opex[4], capex[4],
      ecf[4]; /* the ledger's column letters */
} site_books;

static void site_books_free(site_books *sb)
{
  free(sb->sheet);
  free(sb->proj);
  free(sb->mine);
  free(sb->first);
  free(sb->use);
}

/* Append "+" (unless first), "n*" when n > 1, then "'sheet'!" and the letters (several summed
** in parentheses) at row. Returns the new length. */
static size_t add_term(char *f, size_t n, size_t at_, int first, unsigned count, const char *sh,
                       const char *const *letters, size_t nletters, unsigned row)
{
  if (at_ < n) at_ += (size_t)snprintf(f + at_, n - at_, "%s", first ? "" : "+");
  if (count > 1 && at_ < n) at_ += (size_t)snprintf(f + at_, n - at_, "%u*", count);
  if ((nletters > 1 || count > 1) && at_ < n) at_ += (size_t)snprintf(f + at_, n - at_, "(");
  for (size_t l = 0; l < nletters && at_ < n; l++)
    at_ += (size_t)snprintf(f + at_, n - at_, "%s'%s'!%s%u", l ? "+" : "", sh, letters[l], row);
  if ((nletters > 1 || count > 1) && at_ < n) at_ += (size_t)snprintf(f + at_, n - at_, ")");
  return at_;
}

/* "='A'!X5+2*('B'!X5)+..." over the projects of strategy k (parts: one letter, or three summed
** in parentheses), then "+tail" when tail is given. */
static void sum_sites(char *f, size_t n, const site_books *sb, size_t k, unsigned row,
                      const char *const *letters, size_t nletters, const char *tail)
{
  size_t at_ = (size_t)snprintf(f, n, "=");
  for (size_t u = sb->first[k]; u < sb->first[k + 1]; u++)
    at_ = add_term(f, n, at_, u == sb->first[k], sb->use[u].count, sb->sheet[sb->use[u].sheet],
                   letters, nletters, row);
  if (tail && at_ < n)
    snprintf(f + at_, n - at_, "%s%s", sb->first[k + 1] > sb->first[k] ? "+" : "", tail);
}

/* One strategy's monthly ledger: the MW series as values; revenue, power, opex, capex and the
** cash flows as sums over its sites' ledgers and the corporate layer; EBITDA, the cumulative
** project cash flow and the month-end cash over those. */
static void ledger(book *b, const wp_plan_out *plan, size_t k, const char *start_cash,
                   const site_books *sb)
{
  const wp_strategy_out *st = &plan->strategies[k];
  char name[40], t[40];
  sheet_name(name, sizeof name, "Ledger", WP_OUT_FIELD(t, st->name));
  lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
  static const char *const head[] = {"date",
                                     "month",
                                     "mining grid MW",
                                     "AI grid MW",
                                     "AI IT MW",
                                     "construction grid MW",
                                     "revenue mining USD",
                                     "revenue AI USD",
                                     "power USD",
                                     "opex USD",
                                     "capex USD",
                                     "project cash flow USD",
                                     "equity cash flow USD",
                                     "cumulative project cash flow USD",
                                     "month-end cash USD",
                                     "EBITDA USD"};
  static const wp_series cols[] = {WP_SERIES_MINING_GRID_MW,     WP_SERIES_AI_GRID_MW,
                                   WP_SERIES_AI_IT_MW,           WP_SERIES_CONSTRUCTION_GRID_MW,
                                   WP_SERIES_REVENUE_MINING_USD, WP_SERIES_REVENUE_AI_USD,
                                   WP_SERIES_POWER_USD,          WP_SERIES_OPEX_USD,
                                   WP_SERIES_CAPEX_USD,          WP_SERIES_PROJECT_CF_USD,
                                   WP_SERIES_EQUITY_CF_USD};
  for (lxw_col_t c = 0; c < 16; c++)
    worksheet_write_string(ws, 0, c, head[c], b->bold);
  worksheet_set_column(ws, 0, 0, 12, NULL);
  worksheet_set_column(ws, 1, 1, 7, NULL);
  worksheet_set_column(ws, 2, 5, 12, NULL);
  worksheet_set_column(ws, 6, 15, 18, NULL);
  worksheet_freeze_panes(ws, 1, 1);
  double cum = 0;
  for (size_t m = 0; m < plan->months; m++) {
    const lxw_row_t r = (lxw_row_t)m + 1;
    worksheet_write_number(ws, r, 0, serial_of(plan->start, (int64_t)m), b->date);
    worksheet_write_number(ws, r, 1, (double)m, NULL);
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
      if (c < 4 || !sb)
        worksheet_write_number(ws, r, (lxw_col_t)(2 + c), st->series[cols[c]][m],
                               c < 4 ? b->mw : b->usd);
    if (sb) { /* the sums, in the planner's order: site by site, then the corporate layer */
      char f[4096], tail[48];
      const unsigned row = (unsigned)r + 1;
      const char *l1[1], *l3[3] = {sb->colo, sb->contract, sb->merchant};
      static const struct {
        wp_series s;
        const char *corp; /* the Corporate sheet's column added, or NULL */
      } sums[] = {{WP_SERIES_REVENUE_MINING_USD, NULL}, {WP_SERIES_REVENUE_AI_USD, NULL},
                  {WP_SERIES_POWER_USD, NULL},          {WP_SERIES_OPEX_USD, "B"},
                  {WP_SERIES_CAPEX_USD, NULL},          {WP_SERIES_PROJECT_CF_USD, "C"},
                  {WP_SERIES_EQUITY_CF_USD, "E"}};
      const char *letter[] = {sb->rev_mining, NULL,    sb->power, sb->opex,
                              sb->capex,      sb->pcf, sb->ecf};
      for (size_t q = 0; q < sizeof sums / sizeof sums[0]; q++) {
        if (sums[q].corp) snprintf(tail, sizeof tail, "Corporate!%s%u", sums[q].corp, row);
        l1[0] = letter[q];
        sum_sites(f, sizeof f, sb, k, row, letter[q] ? l1 : l3, letter[q] ? 1 : 3,
                  sums[q].corp ? tail : NULL);
        worksheet_write_formula_num(ws, r, (lxw_col_t)(6 + q), f, b->usd, st->series[sums[q].s][m]);
      }
      snprintf(f, sizeof f, "=G%u+H%u-I%u-J%u", row, row, row, row);
      worksheet_write_formula_num(
          ws, r, 15, f, b->usd,
          st->series[WP_SERIES_REVENUE_MINING_USD][m] + st->series[WP_SERIES_REVENUE_AI_USD][m] -
              st->series[WP_SERIES_POWER_USD][m] - st->series[WP_SERIES_OPEX_USD][m]);
    }
    char f[96];
    cum += st->series[WP_SERIES_PROJECT_CF_USD][m];
    if (m == 0)
      snprintf(f, sizeof f, "=L2");
    else
      snprintf(f, sizeof f, "=N%u+L%u", r, r + 1);
    worksheet_write_formula_num(ws, r, 13, f, b->usd, cum);
    if (m == 0)
      snprintf(f, sizeof f, "=%s+M2", start_cash);
    else
      snprintf(f, sizeof f, "=O%u+M%u", r, r + 1);
    worksheet_write_formula_num(ws, r, 14, f, b->usd, st->series[WP_SERIES_CASH_USD][m]);
  }
}

/* The strategies: NPV, IRR, peak funding, lowest cash and the floor test as formulas over their
** ledgers and the Assumptions cells. */
static void strategies(book *b, const wp_plan_out *plan, char cells[NCELLS][32])
{
  lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Strategies");
  static const char *const head[] = {"strategy",         "NPV USD",          "IRR",
                                     "peak funding USD", "min cash USD",     "cash floor",
                                     "AI IT MW at end",  "mining MW at end", "recommended"};
  for (lxw_col_t c = 0; c < 9; c++)
    worksheet_write_string(ws, 0, c, head[c], b->bold);
  worksheet_set_column(ws, 0, 0, 16, NULL);
  worksheet_set_column(ws, 1, 8, 18, NULL);
  worksheet_freeze_panes(ws, 1, 1);
  const size_t best = wp_out_best(plan);
  const unsigned last = (unsigned)plan->months + 1;
  for (size_t k = 0; k < plan->nstrategies; k++) {
    const wp_strategy_out *st = &plan->strategies[k];
    const lxw_row_t r = (lxw_row_t)k + 1;
    char name[40], t[40], f[512];
    sheet_name(name, sizeof name, "Ledger", WP_OUT_FIELD(t, st->name));
    worksheet_write_string(ws, r, 0, t, NULL);
    snprintf(f, sizeof f, "=XNPV(%s,'%s'!L2:L%u,'%s'!A2:A%u)", cells[0], name, last, name, last);
    worksheet_write_formula_num(ws, r, 1, f, b->usd, st->npv_usd);
    if (isfinite(st->irr)) {
      snprintf(f, sizeof f, "=XIRR('%s'!L2:L%u,'%s'!A2:A%u,%.17g)", name, last, name, last,
               st->irr);
      worksheet_write_formula_num(ws, r, 2, f, b->pct, st->irr);
    } else {
      worksheet_write_string(ws, r, 2, "n/a", NULL);
    }
    snprintf(f, sizeof f, "=-MIN(0,MIN('%s'!N2:N%u))", name, last);
    worksheet_write_formula_num(ws, r, 3, f, b->usd, st->peak_funding_usd);
    snprintf(f, sizeof f, "=MIN('%s'!O2:O%u)", name, last);
    worksheet_write_formula_num(ws, r, 4, f, b->usd, st->min_cash_usd);
    snprintf(f, sizeof f, "=IF(E%u>=%s,\"holds\",\"breaks\")", r + 1, cells[2]);
    worksheet_write_formula_str(ws, r, 5, f, NULL,
                                wp_out_holds_floor(plan, k) ? "holds" : "breaks");
    worksheet_write_number(ws, r, 6, st->ai_it_mw_end, b->mw);
    worksheet_write_number(ws, r, 7, st->mining_mw_end, b->mw);
    worksheet_write_string(ws, r, 8, k == best ? "yes" : "", NULL);
  }
}

/* =XNPV(hurdle, the project cash flow of sheet, its dates) */
static size_t site_npv(char *f, size_t n, size_t at_, const char *hurdle, const site_books *sb,
                       const char *sheet, unsigned count, unsigned last)
{
  char c[16] = "";
  if (count > 1) snprintf(c, sizeof c, "%u*", count);
  if (at_ < n)
    at_ += (size_t)snprintf(f + at_, n - at_, "%s%sXNPV(%s,'%s'!%s2:%s%u,'%s'!A2:A%u)",
                            at_ > 1 ? "+" : "", c, hurdle, sheet, sb->pcf, sb->pcf, last, sheet,
                            last);
  return at_;
}

/* Every strategy's site decisions; the NPVs are XNPV over the sites' ledgers (with sb). */
static void sites(book *b, const wp_plan_out *plan, const char *hurdle, const site_books *sb)
{
  lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Sites");
  static const char *const head[] = {
      "strategy",       "site",          "country", "decision",
      "business model", "convert month", "grid MW", "converted grid MW",
      "AI IT MW",       "capex USD",     "NPV USD", "mining NPV USD",
      "reason"};
  for (lxw_col_t c = 0; c < 13; c++)
    worksheet_write_string(ws, 0, c, head[c], b->bold);
  worksheet_set_column(ws, 0, 4, 15, NULL);
  worksheet_set_column(ws, 5, 11, 15, NULL);
  worksheet_set_column(ws, 12, 12, 90, NULL);
  worksheet_freeze_panes(ws, 1, 2);
  lxw_row_t r = 1;
  char t[520];
  for (size_t k = 0; k < plan->nstrategies; k++)
    for (size_t i = 0; i < plan->strategies[k].nsites; i++, r++) {
      const wp_site_out *s = &plan->strategies[k].sites[i];
      worksheet_write_string(ws, r, 0, WP_OUT_FIELD(t, plan->strategies[k].name), NULL);
      worksheet_write_string(ws, r, 1, WP_OUT_FIELD(t, s->name), NULL);
      worksheet_write_string(ws, r, 2, WP_OUT_FIELD(t, s->country), NULL);
      worksheet_write_string(ws, r, 3, WP_OUT_FIELD(t, s->decision), NULL);
      worksheet_write_string(ws, r, 4, WP_OUT_FIELD(t, s->business_model), NULL);
      if (s->convert_month >= 0)
        worksheet_write_string(
            ws, r, 5, wp_format_month(t, sizeof t, plan->start, s->convert_month, ""), NULL);
      worksheet_write_number(ws, r, 6, s->grid_mw, b->mw);
      worksheet_write_number(ws, r, 7, s->converted_grid_mw, b->mw);
      worksheet_write_number(ws, r, 8, s->ai_it_mw, b->mw);
      worksheet_write_number(ws, r, 9, s->capex_usd, b->usd);
      if (sb) {
        char f[4096];
        const unsigned last = (unsigned)plan->months + 1;
        size_t at_ = (size_t)snprintf(f, sizeof f, "=");
        for (size_t u = sb->first[k]; u < sb->first[k + 1]; u++)
          if (sb->use[u].site == i)
            at_ = site_npv(f, sizeof f, at_, hurdle, sb, sb->sheet[sb->use[u].sheet],
                           sb->use[u].count, last);
        worksheet_write_formula_num(ws, r, 10, f, b->usd, s->npv_usd);
        snprintf(f, sizeof f, "=");
        site_npv(f, sizeof f, 1, hurdle, sb, sb->sheet[sb->mine[i]], 1, last);
        worksheet_write_formula_num(ws, r, 11, f, b->usd, s->mining_npv_usd);
      } else {
        worksheet_write_number(ws, r, 10, s->npv_usd, b->usd);
        worksheet_write_number(ws, r, 11, s->mining_npv_usd, b->usd);
      }
      worksheet_write_string(ws, r, 12, WP_OUT_FIELD(t, s->reason), NULL);
    }
}

/* The corporate layer (wattpivot/planner.h): overhead as an operating cost of overhead/12 a
** month (a formula over the Assumptions cell), its project cash flow (the overhead, no tax
** shield), the convertible notes' flows (values) and the equity cash flow. */
static void corporate(book *b, const wp_plan_out *plan, const wp_scenario *sc,
                      const wp_plan_decisions *dec, const char *overhead)
{
  lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Corporate");
  static const char *const head[] = {"date", "overhead USD", "project cash flow USD",
                                     "convertible notes flow USD", "equity cash flow USD"};
  for (lxw_col_t c = 0; c < 5; c++)
    worksheet_write_string(ws, 0, c, head[c], b->bold);
  worksheet_set_column(ws, 0, 0, 12, NULL);
  worksheet_set_column(ws, 1, 4, 18, NULL);
  worksheet_freeze_panes(ws, 1, 1);
  const double opex = sc->corporate.overhead_usd_per_yr / 12.0;
  for (size_t m = 0; m < plan->months; m++) {
    const lxw_row_t r = (lxw_row_t)m + 1;
    const unsigned row = (unsigned)r + 1;
    char f[96];
    worksheet_write_number(ws, r, 0, serial_of(plan->start, (int64_t)m), b->date);
    snprintf(f, sizeof f, "=%s/12", overhead);
    worksheet_write_formula_num(ws, r, 1, f, b->usd, opex);
    snprintf(f, sizeof f, "=-B%u", row);
    worksheet_write_formula_num(ws, r, 2, f, b->usd, -opex);
    worksheet_write_number(ws, r, 3, dec->corporate_equity_cf_usd[m] - -opex, b->usd);
    snprintf(f, sizeof f, "=C%u+D%u", row, row);
    worksheet_write_formula_num(ws, r, 4, f, b->usd, dec->corporate_equity_cf_usd[m]);
  }
}

/* The sheet of project p, added when no earlier sheet runs the same project. */
static size_t book_sheet(site_books *sb, const wp_plan_decisions *d, const wp_plan_project *p)
{
  for (size_t j = 0; j < sb->nsheets; j++) {
    const wp_plan_project *q = &sb->proj[j];
    if (q->site == p->site && q->expansion == p->expansion && q->share == p->share &&
        q->business == p->business && q->convert_month == p->convert_month)
      return j;
  }
  static const char *const prefix[WP_BUSINESS_COUNT] = {"Mine", "Colo", "GPUc", "GPUm"};
  const size_t j = sb->nsheets++;
  sb->proj[j] = *p;
  char pre[16];
  snprintf(pre, sizeof pre, "%s%s", p->expansion ? "X" : "", prefix[p->business]);
  site_sheet_name(sb->sheet[j], 32, pre, j, d->sites[p->site].name);
  return j;
}

/* Decide the plan's strategies again (the same decisions: wp_plan_decide) and name a ledger
** sheet for every distinct project of the plan and every site mining whole. */
static wp_status plan_site_books(const wp_plan_out *plan, const wp_scenario *sc, site_books *sb,
                                 wp_plan_decisions **dec, wp_error *err)
{
  unsigned mask = 0;
  for (size_t k = 0; k < plan->nstrategies; k++) {
    wp_strategy s;
    char t[40];
    if (wp_strategy_from_name(WP_OUT_FIELD(t, plan->strategies[k].name), &s, err)) return WP_EINVAL;
    mask |= WP_STRATEGY_BIT(s);
  }
  wp_status st = wp_plan_decide(sc, mask, dec, err);
  if (st) return st;
  const wp_plan_decisions *d = *dec;
  int same = d->nstrategies == plan->nstrategies && d->months == plan->months;
  for (size_t k = 0; same && k < plan->nstrategies; k++)
    same = plan->strategies[k].nsites == d->nsites &&
           strncmp(wp_strategy_name(d->strategies[k]), plan->strategies[k].name,
                   sizeof plan->strategies[k].name) == 0 &&
           d->npv_usd[k] == plan->strategies[k].npv_usd;
  if (!same)
    return wp_error_set(err, WP_EINVAL,
                        "workbook: the scenario does not give this plan's results (the site "
                        "ledgers are planned again from it)");
  const size_t nproj = d->first[d->nstrategies];
  sb->nsites = d->nsites;
  sb->nstrategies = d->nstrategies;
  sb->sheet = calloc(nproj + d->nsites + 1, sizeof *sb->sheet);
  sb->proj = calloc(nproj + d->nsites + 1, sizeof *sb->proj);
  sb->mine = calloc(d->nsites + 1, sizeof *sb->mine);
  sb->first = calloc(d->nstrategies + 1, sizeof *sb->first);
  sb->use = calloc(nproj + 1, sizeof *sb->use);
  if (!sb->sheet || !sb->proj || !sb->mine || !sb->first || !sb->use)
    return wp_error_set(err, WP_ENOMEM, "workbook: out of memory");
  for (size_t i = 0; i < d->nsites; i++) {
    const wp_plan_project whole = {.site = i, .share = 1.0, .business = WP_BUSINESS_MINING,
                                   .convert_month = -1};
    sb->mine[i] = book_sheet(sb, d, &whole);
  }
  size_t nuse = 0;
  for (size_t k = 0; k < d->nstrategies; k++) {
    size_t n = 0;
    const wp_plan_project *p = wp_plan_projects(d, k, &n);
    sb->first[k] = nuse;
    size_t chars = 0; /* the longest formula summing the strategy's projects */
    for (size_t q = 0; q < n; q++) {
      const size_t j = book_sheet(sb, d, &p[q]);
      if (nuse > sb->first[k] && sb->use[nuse - 1].sheet == j) {
        sb->use[nuse - 1].count++; /* the next tranche of the same option */
        continue;
      }
      sb->use[nuse++] = (book_use){.sheet = j, .site = p[q].site, .count = 1};
      chars += 3 * (strlen(sb->sheet[j]) + 16);
    }
    if (chars > 8000)
      return wp_error_set(err, WP_EINVAL,
                          "workbook: strategy %s has %zu project ledgers; the formula summing "
                          "them would pass a spreadsheet's 8,192 characters (write --json or "
                          "--csv for a plan this large)",
                          wp_strategy_name(d->strategies[k]), nuse - sb->first[k]);
  }
  sb->first[d->nstrategies] = nuse;
  static const struct {
    const char *line;
    size_t off;
  } letters[] = {
      {"project_cash_flow_usd", offsetof(site_books, pcf)},
      {"rev_mining_usd", offsetof(site_books, rev_mining)},
      {"rev_colo_usd", offsetof(site_books, colo)},
      {"rev_gpu_contract_usd", offsetof(site_books, contract)},
      {"rev_gpu_merchant_usd", offsetof(site_books, merchant)},
      {"power_usd", offsetof(site_books, power)},
      {"opex_usd", offsetof(site_books, opex)},
      {"capex_total_usd", offsetof(site_books, capex)},
      {"equity_cash_flow_usd", offsetof(site_books, ecf)},
  };
  for (size_t q = 0; q < sizeof letters / sizeof letters[0]; q++)
    lxw_col_to_name((char *)sb + letters[q].off, (lxw_col_t)(lc(letters[q].line) + 1), LXW_FALSE);
  return WP_OK;
}

/* The site ledgers: every site kept mining, then every conversion of every strategy, each run
** again through its pathway as the planner ran it and written live (live_ledger). */
static wp_status site_ledgers(book *b, const wp_plan_out *plan, const wp_scenario *sc,
                              const wp_plan_decisions *d, const site_books *sb,
                              char cells[NCELLS][32], char (*tax)[32], wp_error *err)
{
  wp_market_path path = WP_MARKET_PATH_INIT;
  wp_pathway_eval *ev = NULL;
  /* A trace of the runs (src/plan/pathway_int.h) for the colocation halls' billed kW and rent
     escalation: every array of it, since a run writes them all. */
  const size_t M = plan->months, trace_bytes = M * (11 * sizeof(double) + 5);
  unsigned char *trace_block = calloc(1, trace_bytes);
  wp_pathway_trace trace;
  memset(&trace, 0, sizeof trace);
  if (trace_block) {
    double *dv = (double *)(void *)trace_block;
    double **dp[] = {&trace.ths,       &trace.mine_energy_mwh, &trace.om_mine_usd,
                     &trace.om_ai_usd, &trace.e1_mwh,          &trace.e2_mwh,
                     &trace.relet_kw,  &trace.relet_step,      &trace.gpu_hours,
                     &trace.colo_kw,   &trace.colo_step};
    for (size_t q = 0; q < 11; q++)
      *dp[q] = dv + q * M;
    uint8_t *u = trace_block + 11 * M * sizeof(double);
    uint8_t **up[] = {&trace.om_ai_on, &trace.on1, &trace.on2, &trace.relet_on, &trace.gpu_on};
    for (size_t q = 0; q < 5; q++)
      *up[q] = u + q * M;
  }
  wp_status st = trace_block ? wp_market_path_init(&path, plan->months, err)
                             : wp_error_set(err, WP_ENOMEM, "workbook: out of memory");
  if (!st) st = wp_scenario_market_path(sc, &path, err); /* the plan's own path */
  if (!st) st = wp_pathway_eval_new(sc->start, plan->months, &ev, err);
  if (!st) wp_pathway_eval_set_trace(ev, &trace);
  for (size_t q = 0; !st && q < sb->nsheets; q++) {
    const wp_plan_project *pp = &sb->proj[q];
    const size_t i = pp->site;
    {
      const wp_site site = wp_plan_project_site(&d->sites[i], pp);
      const wp_pathway p = wp_plan_project_pathway(sc, pp);
      wp_pathway_result r;
      memset(trace_block, 0, trace_bytes);
      if ((st = wp_pathway_run(ev, &site, &p, &path, &d->site_terms, &r, err))) break;
      long j = -1;
      for (size_t c = 0; c < sc->ncountries; c++)
        if (strcmp(sc->countries[c].name, d->sites[i].country) == 0) j = (long)c;
      if (j < 0) {
        st = wp_error_set(err, WP_EINVAL, "workbook: site %s: no country %s in the scenario",
                          d->sites[i].name, d->sites[i].country);
        break;
      }
      lxw_worksheet *ws = workbook_add_worksheet(b->wb, sb->sheet[q]);
      if (!ws) {
        st = wp_error_set(err, WP_EINVAL, "workbook: cannot add sheet '%s'", sb->sheet[q]);
        break;
      }
      const int colo = p.business == WP_BUSINESS_COLO;
      live_ledger(b, ws, wp_pathway_ledger(ev), wp_pathway_eval_last_terms(ev), tax[j],
                  cells[CELL_NOL_LIMIT], colo ? cells[CELL_COLO_RENT] : NULL, trace.colo_kw,
                  trace.colo_step, cells[CELL_EXIT_CAP][0] ? cells[CELL_EXIT_CAP] : NULL,
                  r.exit_value_usd, p.valuation.exit_cap_rate_colo);
    }
  }
  wp_pathway_eval_free(ev);
  wp_market_path_release(&path);
  free(trace_block);
  return st;
}

wp_status wp_output_write_xlsx(const wp_plan_out *plan, const wp_scenario *sc, const char *path,
                               wp_error *err)
{
  if (!path || !path[0]) return wp_error_set(err, WP_EINVAL, "workbook: no file name");
  if (strcmp(path, "-") == 0)
    return wp_error_set(err, WP_EINVAL,
                        "workbook: a file name is needed (not '-': a workbook "
                        "is binary)");
  wp_status st = wp_out_check(plan, err);
  if (st) return st;
  if (plan->months == 0 || plan->nstrategies == 0)
    return wp_error_set(err, WP_EINVAL, "workbook: nothing to write (no months or strategies)");
  if (!sc)
    return wp_error_set(err, WP_EINVAL,
                        "workbook: the scenario is needed (its values fill Assumptions and its "
                        "sites' ledgers are planned again)");
  for (int k = 0; k < WP_BUSINESS_COUNT; k++) {
    const double r = sc->conversion.valuation.discount_rate[k];
    if (!isnan(r) && r != sc->finance.hurdle_rate)
      return wp_error_set(err, WP_EINVAL,
                          "workbook: valuation.discount_rate_%s %g differs from the hurdle rate %g: "
                          "the workbook's NPV formulas discount at one rate (XNPV), so it is not "
                          "written (plan without --xlsx, or leave the business rates unset)",
                          wp_business_key((wp_business)k), r, sc->finance.hurdle_rate);
  }
  book b; /* written beside the target and renamed into place: whole or not at all */
  if ((st = book_open(&b, path, err))) return st;
  char cells[NCELLS][32] = {"", "", "", "", "", ""}, tax[WP_SCENARIO_MAX_COUNTRIES][32];
  site_books sb = {0};
  wp_plan_decisions *dec = NULL;
  assumptions(&b, plan, sc, cells, tax);
  for (int c = 0; c < NCELLS && !st; c++)
    if (!cells[c][0])
      st = wp_error_set(err, WP_EINVAL,
                        "workbook: the scenario's hurdle rate, start cash, cash floor, loss "
                        "offset limit, overhead or colocation rent is missing");
  if (!st) st = plan_site_books(plan, sc, &sb, &dec, err);
  if (!st) {
    strategies(&b, plan, cells);
    for (size_t k = 0; k < plan->nstrategies; k++)
      ledger(&b, plan, k, cells[CELL_CASH_START], &sb);
    sites(&b, plan, cells[CELL_HURDLE], &sb);
    corporate(&b, plan, sc, dec, cells[CELL_OVERHEAD]);
    st = site_ledgers(&b, plan, sc, dec, &sb, cells, tax, err);
  }
  site_books_free(&sb);
  wp_plan_decisions_free(dec);
  if (st) {
    workbook_close(b.wb);
    remove(b.tmp);
    return st;
  }
  return book_close(&b, path, err);
}

/*
** One site's pathway as a workbook (wp_finance_write_xlsx): Inputs (every input in force with
** its unit and where it came from), Ledger (every ledger line, month by month, as computed) and
** Metrics, whose NPVs (XNPV) and IRRs (XIRR) are formulas over the ledger's cash flows and the
** hurdle-rate cell.
*/
wp_status wp_output_write_finance_xlsx(const wp_ledger *ledger, wp_ym start, size_t months,
                                       const wp_finance_terms *terms,
                                       const wp_output_metric *metrics, size_t nmetrics,
                                       const wp_output_input *inputs, size_t ninputs,
                                       const char *path, wp_error *err)
{
  if (!ledger || !terms || !path || !path[0] || (nmetrics && !metrics) || (ninputs && !inputs))
    return wp_error_set(err, WP_EINVAL, "workbook: NULL argument");
  if (months != ledger->months)
    return wp_error_set(err, WP_EINVAL, "workbook: %zu months asked of a ledger of %zu", months,
                        ledger->months);
  if (start.year != ledger->start.year || start.month != ledger->start.month)
    return wp_error_set(err, WP_EINVAL, "workbook: start %04d-%02d is not the ledger's %04d-%02d",
                        start.year, start.month, ledger->start.year, ledger->start.month);
  if (terms->rate_switch_month > 0 && terms->rate_after != terms->hurdle_rate)
    return wp_error_set(err, WP_EINVAL,
                        "workbook: the pathway discounts its conversion at %g and its mining at %g "
                        "(valuation.discount_rate_*): the workbook's XNPV takes one rate, so it is "
                        "not written",
                        terms->rate_after, terms->hurdle_rate);
  if (strcmp(path, "-") == 0)
    return wp_error_set(err, WP_EINVAL,
                        "workbook: a file name is needed (not '-': a workbook "
                        "is binary)");
  if (months == 0) return wp_error_set(err, WP_EINVAL, "workbook: no months");
  const long pcf = wp_ledger_column_find("project_cash_flow_usd"),
             ecf = wp_ledger_column_find("equity_cash_flow_usd");
  if (pcf < 0 || ecf < 0)
    return wp_error_set(err, WP_EINVAL, "workbook: the ledger has no cash flow columns");
  book b;
  wp_status st = book_open(&b, path, err);
  if (st) return st;
  /* Inputs, the hurdle rate first (the metrics' formulas use B2). */
  lxw_worksheet *in = workbook_add_worksheet(b.wb, "Inputs");
  worksheet_set_column(in, 0, 0, 30, NULL);
  worksheet_set_column(in, 1, 1, 22, NULL);
  worksheet_set_column(in, 2, 3, 30, NULL);
  worksheet_freeze_panes(in, 1, 0);
  static const char *const ih[] = {"input", "value", "unit", "from"};
  for (lxw_col_t c = 0; c < 4; c++)
    worksheet_write_string(in, 0, c, ih[c], b.bold);
  worksheet_write_string(in, 1, 0, "hurdle_rate", NULL);
  worksheet_write_number(in, 1, 1, terms->hurdle_rate, NULL);
  worksheet_write_string(in, 1, 2, "per year", NULL);
  worksheet_write_string(in, 1, 3, "discount rate of the NPVs below", NULL);
  worksheet_write_string(in, 2, 0, "nol_limit_frac", NULL);
  worksheet_write_number(in, 2, 1, terms->nol_limit_frac, NULL);
  worksheet_write_string(in, 2, 2, "fraction", NULL);
  worksheet_write_string(
      in, 2, 3, "share of taxable income carried losses may offset (the ledger's tax)", NULL);
  char tax_cell[32] = "";
  for (size_t i = 0; i < ninputs; i++) {
    const lxw_row_t r = (lxw_row_t)i + 3;
    if (inputs[i].is_num && inputs[i].name && strcmp(inputs[i].name, "tax_rate") == 0 &&
        inputs[i].num == terms->tax_rate)
      snprintf(tax_cell, sizeof tax_cell, "Inputs!$B$%u", r + 1);
    worksheet_write_string(in, r, 0, inputs[i].name ? inputs[i].name : "", NULL);
    if (inputs[i].is_num)
      worksheet_write_number(in, r, 1, inputs[i].num, NULL);
    else
      worksheet_write_string(in, r, 1, inputs[i].text ? inputs[i].text : "", NULL);
    worksheet_write_string(in, r, 2, inputs[i].unit ? inputs[i].unit : "", NULL);
    worksheet_write_string(in, r, 3, inputs[i].origin ? inputs[i].origin : "", NULL);
  }
  if (!tax_cell[0]) { /* the tax rate the ledger was run with, when no input gave it */
    const lxw_row_t r = (lxw_row_t)ninputs + 3;
    worksheet_write_string(in, r, 0, "tax_rate", NULL);
    worksheet_write_number(in, r, 1, terms->tax_rate, NULL);
    worksheet_write_string(in, r, 2, "fraction", NULL);
    worksheet_write_string(in, r, 3, "income tax rate the ledger was run with", NULL);
    snprintf(tax_cell, sizeof tax_cell, "Inputs!$B$%u", r + 1);
  }
  /* The ledger: a column per line, a row per month; the derived lines live (docs/output.md). */
  lxw_worksheet *ws = workbook_add_worksheet(b.wb, "Ledger");
  live_ledger(&b, ws, ledger, terms, tax_cell, "Inputs!$B$3", NULL, NULL, NULL, NULL, -1.0, 0.0);
  /* Metrics: NPVs and IRRs as formulas; the rest as computed. */
  lxw_worksheet *mt = workbook_add_worksheet(b.wb, "Metrics");
  worksheet_set_column(mt, 0, 0, 26, NULL);
  worksheet_set_column(mt, 1, 1, 20, NULL);
  worksheet_set_column(mt, 2, 2, 60, NULL);
  worksheet_write_string(mt, 0, 0, "metric", b.bold);
  worksheet_write_string(mt, 0, 1, "value", b.bold);
  worksheet_write_string(mt, 0, 2, "how", b.bold);
  lxw_col_t pc = (lxw_col_t)(pcf + 1), ec = (lxw_col_t)(ecf + 1);
  char pcol[8], ecol[8];
  lxw_col_to_name(pcol, pc, LXW_FALSE);
  lxw_col_to_name(ecol, ec, LXW_FALSE);
  const unsigned last = (unsigned)months + 1;
  for (size_t i = 0; i < nmetrics; i++) {
    const wp_output_metric *m = &metrics[i];
    const lxw_row_t r = (lxw_row_t)i + 1;
    char f[256] = "";
    const char *col =
        m->kind == WP_METRIC_PROJECT_NPV || m->kind == WP_METRIC_PROJECT_IRR ? pcol : ecol;
    if (m->kind == WP_METRIC_PROJECT_NPV || m->kind == WP_METRIC_EQUITY_NPV)
      snprintf(f, sizeof f, "=XNPV(Inputs!$B$2,Ledger!%s2:%s%u,Ledger!A2:A%u)", col, col, last,
               last);
    else if ((m->kind == WP_METRIC_PROJECT_IRR || m->kind == WP_METRIC_EQUITY_IRR) &&
             isfinite(m->value))
      snprintf(f, sizeof f, "=XIRR(Ledger!%s2:%s%u,Ledger!A2:A%u,%.17g)", col, col, last, last,
               m->value);
    worksheet_write_string(mt, r, 0, m->name, NULL);
    lxw_format *fmt =
        m->kind == WP_METRIC_PROJECT_IRR || m->kind == WP_METRIC_EQUITY_IRR ? b.pct : b.usd;
    if (f[0])
      worksheet_write_formula_num(mt, r, 1, f, fmt, m->value);
    else if (isfinite(m->value))
      worksheet_write_number(mt, r, 1, m->value, m->kind == WP_METRIC_VALUE ? NULL : fmt);
    else
      worksheet_write_string(mt, r, 1, "n/a", NULL);
    worksheet_write_string(mt, r, 2, f[0] ? "formula over the ledger" : "as computed", NULL);
  }
  return book_close(&b, path, err);
}
