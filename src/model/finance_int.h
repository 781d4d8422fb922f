/*
** Internal: the per-month arithmetic of wp_finance_run that depends on the market (revenue
** down to the cash flows), shared with the risk engine's fast pathway kernel
** (src/risk/kernel.c) so that both give the same bits. Each expression is written once,
** here; the order of the terms is part of the contract (floating-point addition is not
** associative).
*/
#ifndef WP_FINANCE_INT_H
#define WP_FINANCE_INT_H
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wattpivot/finance.h"
#include "wattpivot/ledger.h"

/*
** Selects without a branch (whether a month is curtailed or makes a loss is unpredictable on a
** Monte Carlo path, and a mispredicted branch costs more than computing both outcomes). They
** give the same bits as the conditional expressions they are named after, NaN included (an
** ordered comparison with NaN is false). On x86-64 the mask comes from an SSE2 comparison and
** stays in the floating-point registers; elsewhere it is built from the integer comparison.
*/
#if defined(__SSE2__)
#include <emmintrin.h>
static inline double wp_fin_blend(__m128d mask, double a, double b)
{
  return _mm_cvtsd_f64(
      _mm_or_pd(_mm_and_pd(mask, _mm_set_sd(a)), _mm_andnot_pd(mask, _mm_set_sd(b))));
}
/* x > y ? a : b */
static inline double wp_fin_select_gt(double x, double y, double a, double b)
{
  return wp_fin_blend(_mm_cmpgt_sd(_mm_set_sd(x), _mm_set_sd(y)), a, b);
}
/* x <= y ? a : b */
static inline double wp_fin_select_le(double x, double y, double a, double b)
{
  return wp_fin_blend(_mm_cmple_sd(_mm_set_sd(x), _mm_set_sd(y)), a, b);
}
#else
static inline double wp_fin_select_bits(int c, double a, double b)
{
  uint64_t x, y, mask = (uint64_t)0 - (uint64_t)(c != 0);
  memcpy(&x, &a, sizeof x);
  memcpy(&y, &b, sizeof y);
  x = (x & mask) | (y & ~mask);
  memcpy(&a, &x, sizeof a);
  return a;
}
static inline double wp_fin_select_gt(double x, double y, double a, double b)
{
  return wp_fin_select_bits(x > y, a, b);
}
static inline double wp_fin_select_le(double x, double y, double a, double b)
{
  return wp_fin_select_bits(x <= y, a, b);
}
#endif

/*
** The expressions, each written once: the inline functions below use them for one month
** (double), the risk kernel's lanes (src/model/lanes_int.h) for four paths at once (a GCC
** vector of doubles; every operation is the same IEEE operation lane by lane, so a lane gives
** the bits the scalar gives). Arguments are evaluated once each, in the order written.
*/
#define WP_FIN_SUM5(a, b, c, d, e) ((a) + (b) + (c) + (d) + (e))
#define WP_FIN_EBITDA(revenue, power, opex) ((revenue) - (power) - (opex))
#define WP_FIN_CFADS(ebitda, prepay_in, prepay_am, capex, lease_funding, lease_payment)            \
  ((ebitda) + (prepay_in) - (prepay_am) - ((capex) - (lease_funding)) - (lease_payment))
#define WP_FIN_OPERATING(ebitda, prepay_in, prepay_am, capex)                                      \
  ((ebitda) + (prepay_in) - (prepay_am) - (capex))
#define WP_FIN_TAXABLE_PLAIN(ebitda, dep, gain) ((ebitda) - (dep) + (gain))
#define WP_FIN_TAXABLE_LEVERED(ebitda, dep, term_interest, lease_payment, coupon, gain)            \
  ((ebitda) - (dep) - (term_interest) - (lease_payment) - (coupon) + (gain))
#define WP_FIN_TAXABLE_UNLEVERED(ebitda, dep_full, gain_full) ((ebitda) - (dep_full) + (gain_full))
#define WP_FIN_PROJECT_CF(operating, sales, unlevered_tax) ((operating) + (sales) - (unlevered_tax))
#define WP_FIN_EQUITY_CF_PLAIN(operating, sales_owned, tax) ((operating) + (sales_owned) - (tax))
/* F: a struct with the fields of wp_fin_financing (doubles or lanes). */
#define WP_FIN_EQUITY_CF(operating, sales_owned, tax, F)                                           \
  ((operating) + (F).lease_funding + (sales_owned) - (F).lease_payment - (tax) +                   \
   (F).construction_draw - (F).construction_repay + (F).term_draw - (F).term_interest -           \
   (F).term_principal + (F).conv_proceeds - (F).conv_coupon - (F).conv_repay)
/*
** Monthly tax with losses carried forward (offsetting at most limit x taxable income): a loss
** (taxable <= 0) adds to the balance; a profit uses min(balance, limit x taxable) of it. Both
** outcomes are computed and one selected (no branch). T: the type; SEL_LE(x, y, a, b) is
** x <= y ? a : b and MIN(a, b) is a < b ? a : b for T; zero: T's 0.0. *nol and *used are
** updated, *tax written.
*/
#define WP_FIN_TAX_MONTH(T, SEL_LE, MIN, zero, taxable, rate, limit, nol, used, tax)               \
  do {                                                                                             \
    const T x_ = (taxable), cap_ = (limit) * x_, u_ = MIN(*(nol), cap_);                           \
    *(used) = SEL_LE(x_, (zero), (zero), u_);                                                      \
    *(nol) = SEL_LE(x_, (zero), *(nol) - x_, *(nol) - u_);                                         \
    *(tax) = SEL_LE(x_, (zero), (zero), (rate) * (x_ - u_));                                       \
  } while (0)

/*
** A month's finance, step by step, in the one order every evaluation follows: the ledger engine
** (wp_finance_run) and the risk kernel's scalar and lane loops (src/risk/kernel*.c) are these
** steps and nothing else.
**   1 WP_FIN_STEP_OPERATIONS  EBITDA = revenue - power - opex; CFADS, on which term debt is
**                             sized; the operating cash flow (EBITDA + prepayment timing - capex)
**   2 term debt               sized on the CFADS of its whole window (wp_fin_term_debt): after
**                             step 1 of every month, before step 4
**   3 WP_FIN_STEP_PROJECT     the all-equity project's taxable income, its tax with losses
**                             carried forward, the project cash flow: needs step 1 only
**   4 WP_FIN_STEP_SPONSOR     taxable income after interest, lease and coupons, its tax with
**                             losses carried forward, the equity cash flow: needs step 2
** A mining pathway without financing has the same levered and unlevered taxable income (the
** risk kernel proves it when it prepares one): it takes step 4's tax as step 3's
** (WP_FIN_STEP_PROJECT_FLOW). The steps are macros over a month's record x (WP_FIN_MONTH_FIELDS),
** its financing F (wp_fin_financing's fields) and the step's outputs o (WP_FIN_STEP_FIELDS),
** whose fields share one type: double here, a vector of lanes in lanes_int.h. TAX is the tax
** month of that type (wp_fin_tax_month, wp_v4_tax_month); plain: no financing lines.
*/
#define WP_FIN_MONTH_FIELDS(T)                                                                     \
  T revenue, power, opex;       /* revenue and opex totals (WP_FIN_SUM5); operator-paid power */ \
  T prepay_in, prepay_am;       /* prepayment received, and amortized into revenue */            \
  T capex, lease_fund, lease_pay; /* capex total; lessor funding and lease payment */            \
  T dep, gain;                  /* owned depreciation and disposal gains (the sponsor's tax) */  \
  T dep_full, gain_full;        /* full-basis ones (the all-equity project's tax) */             \
  T sales, sales_owned;         /* asset sales; their owned share */
#define WP_FIN_STEP_FIELDS(T) T ebitda, cfads, operating, tax_u, project_cf, taxable, tax, equity_cf;

#define WP_FIN_STEP_OPERATIONS(x, o)                                                               \
  do {                                                                                             \
    (o).ebitda = WP_FIN_EBITDA((x).revenue, (x).power, (x).opex);                                  \
    (o).cfads = WP_FIN_CFADS((o).ebitda, (x).prepay_in, (x).prepay_am, (x).capex,                  \
                             (x).lease_fund, (x).lease_pay);                                       \
    (o).operating = WP_FIN_OPERATING((o).ebitda, (x).prepay_in, (x).prepay_am, (x).capex);         \
  } while (0)

#define WP_FIN_STEP_PROJECT_FLOW(x, o)                                                             \
  ((o).project_cf = WP_FIN_PROJECT_CF((o).operating, (x).sales, (o).tax_u))
#define WP_FIN_STEP_PROJECT(TAX, x, o, rate, limit, nol_u, used)                                   \
  do {                                                                                             \
    (o).tax_u = TAX(WP_FIN_TAXABLE_UNLEVERED((o).ebitda, (x).dep_full, (x).gain_full), (rate),     \
                    (limit), (nol_u), (used));                                                     \
    WP_FIN_STEP_PROJECT_FLOW(x, o);                                                                \
  } while (0)

#define WP_FIN_STEP_SPONSOR(TAX, plain, x, F, o, rate, limit, nol, used)                           \
  do {                                                                                             \
    (o).taxable = (plain) ? WP_FIN_TAXABLE_PLAIN((o).ebitda, (x).dep, (x).gain)                    \
                          : WP_FIN_TAXABLE_LEVERED((o).ebitda, (x).dep, (F).term_interest,         \
                                                   (F).lease_payment, (F).conv_coupon, (x).gain);  \
    (o).tax = TAX((o).taxable, (rate), (limit), (nol), (used));                                    \
    (o).equity_cf = (plain) ? WP_FIN_EQUITY_CF_PLAIN((o).operating, (x).sales_owned, (o).tax)      \
                            : WP_FIN_EQUITY_CF((o).operating, (x).sales_owned, (o).tax, F);        \
  } while (0)

/* a < b ? a : b (what fmin gives for finite values, without the call). */
static inline double wp_fin_min(double a, double b)
{
  return a < b ? a : b;
}

/* revenue = rev_mining + rev_colo + rev_gpu_contract + rev_gpu_merchant + rev_other, and
** opex = om + staff + insurance + property tax + other: five lines in ledger order. */
static inline double wp_fin_sum5(double a, double b, double c, double d, double e)
{
  return WP_FIN_SUM5(a, b, c, d, e);
}

/* No lease, no construction window, no term debt, no convertible: the financing lines are all
** +0, and the tax and cash-flow loops leave them out (subtracting +0 changes no bit; adding it
** can only turn a -0 into +0, which no later result distinguishes). */
static inline int wp_fin_unfinanced(const wp_finance_terms *t)
{
  return (t->lease.asset_class < 0 || t->lease.fraction <= 0.0) &&
         t->construction.start_month == t->construction.cod_month && !t->term.enabled &&
         !(t->convertible.principal_usd > 0.0);
}

/* Monthly tax with losses carried forward (WP_FIN_TAX_MONTH). */
static inline double wp_fin_tax_month(double taxable, double rate, double limit, double *nol,
                                      double *used)
{
  double tax;
  WP_FIN_TAX_MONTH(double, wp_fin_select_le, wp_fin_min, 0.0, taxable, rate, limit, nol, used,
                   &tax);
  return tax;
}

/* Sale proceeds of the owned share of the assets in month m. Without a leased share every
** class is fully owned: the owned sales are the sales total (the same sum in the same order,
** so the same bits). */
static inline double wp_fin_sales_owned(const wp_ledger *l, const wp_finance_terms *t, size_t m)
{
  const int leased = t->lease.asset_class >= 0 && t->lease.fraction != 0.0;
  double sales_owned = leased ? 0.0 : l->asset_sales_usd[m];
  for (int c = 0; leased && c < WP_ASSET_COUNT; c++)
    sales_owned +=
        l->asset_sale_usd[c][m] * ((c == t->lease.asset_class) ? 1.0 - t->lease.fraction : 1.0);
  return sales_owned;
}

/* The financing lines of a month that reach the sponsor's equity (all +0 when plain). */
typedef struct wp_fin_financing {
  double lease_funding, lease_payment, construction_draw, construction_repay, term_draw,
      term_interest, term_principal, conv_proceeds, conv_coupon, conv_repay;
} wp_fin_financing;

/* A month's record and its steps' outputs, in doubles (WP_FIN_STEP_*). */
typedef struct wp_fin_month {
  WP_FIN_MONTH_FIELDS(double)
} wp_fin_month;
typedef struct wp_fin_step {
  WP_FIN_STEP_FIELDS(double)
} wp_fin_step;

/*
** Lines of the last wp_finance_run on l that the ledger keeps as scratch rather than as columns
** (months values each, valid until the next run): the unlevered project's full-basis
** depreciation and disposal gains (its tax), and the discount factors at the hurdle rate of
** each month-end (npv_usd = sum of project_cash_flow_usd x these). The risk kernel records
** them when it prepares a pathway.
*/
const double *wp_fin_depreciation_full(const wp_ledger *l);
const double *wp_fin_disposal_gain_full(const wp_ledger *l);
const double *wp_fin_discount_factors(const wp_ledger *l);

/* The lines term debt writes (months values each; only the months it sets are written, so
** the caller zeroes them first). */
typedef struct wp_fin_term_lines {
  double *draw, *interest, *principal, *balance, *service;
} wp_fin_term_lines;

/*
** The term loan's market-independent constants (wp_fin_term_debt; the risk kernel's lanes keep
** them per pathway): the sizing window [cod, end) (the tenor from the COD, truncated at the
** horizon of n months), the monthly rate r and discount factor v, the target DSCR, the
** gearing cap (max gearing x project cost) and, for a level shape, the annuity of the window.
*/
typedef struct wp_fin_term_plan {
  size_t cod, end;
  double r, v, dscr, cap_usd, annuity; /* r per month; v = 1 / (1 + r) */
  int level; /* WP_DEBT_LEVEL: the level payment; else each month's own */
} wp_fin_term_plan;

static inline wp_fin_term_plan wp_fin_term_plan_of(const wp_finance_terms *t, size_t n,
                                                   double project_cost)
{
  wp_fin_term_plan p;
  p.cod = (size_t)t->construction.cod_month;
  p.end = (size_t)fmin((double)n, (double)p.cod + (double)t->term.tenor_months);
  p.r = t->term.rate / 12.0;
  p.v = 1.0 / (1.0 + p.r);
  p.dscr = t->term.target_dscr;
  p.cap_usd = t->term.max_gearing * project_cost;
  p.level = t->term.shape == WP_DEBT_LEVEL;
  p.annuity = 0.0;
  double disc = 1.0;
  for (size_t i = p.cod; p.level && i < p.end; i++)
    p.annuity += (disc *= p.v);
  return p;
}

/* The payment month i may carry before scaling: nothing against non-positive EBITDA/CFADS.
** POS2(a, b, x, y): a > 0 && b > 0 ? x : y for T; zero: T's 0.0. */
#define WP_FIN_SIZING_PAY(POS2, ebitda, cfads, dscr, zero) POS2(ebitda, cfads, (cfads) / (dscr), zero)

/* The debt in USD of the sizing sums (the PV of the payments, or the lowest payment for a level
** shape) after the gearing cap, and the scale of the payments; 0 when nothing can be borrowed.
** *limit: WP_DEBT_NO_CFADS, WP_DEBT_BY_DSCR or WP_DEBT_BY_GEARING. */
static inline double wp_fin_term_size(const wp_fin_term_plan *p, double pv_usd,
                                      double level_usd, double *scale, int *limit)
{
  double debt = p->level
                    ? ((level_usd > 0.0 && isfinite(level_usd)) ? level_usd * p->annuity : 0.0)
                    : pv_usd;
  *scale = 1.0;
  if (!(debt > 0.0)) {
    *limit = WP_DEBT_NO_CFADS;
    return 0.0;
  }
  *limit = WP_DEBT_BY_DSCR;
  if (debt > p->cap_usd) {
    *scale = p->cap_usd / debt;
    debt = p->cap_usd;
    *limit = WP_DEBT_BY_GEARING;
  }
  return debt > 0.0 ? debt : 0.0;
}

/* A month of the amortization: interest on the balance, principal (the whole balance in the
** last month), the balance after. pay: the month's payment before scaling. */
#define WP_FIN_AMORT_INTEREST(bal, r)                  ((bal) * (r))
#define WP_FIN_AMORT_PRINCIPAL(pay, scale, interest)   ((pay) * (scale) - (interest))

/*
** Term debt sized on CFADS by the target DSCR over the tenor from the COD, capped by gearing
** x project_cost; writes the amortization into `lines` and debt_limit, tenor_months,
** term_debt_usd and effective_dscr into out. t->term.enabled must be 1. (finance.c)
*/
void wp_fin_term_debt(const double *ebitda, const double *cfads, size_t months,
                      const wp_finance_terms *t, double project_cost, const wp_fin_term_lines *lines,
                      wp_finance_metrics *out);

#endif
