/*
** The monthly project-finance engine over a wp_ledger (wp_finance_run): totals, lease,
** construction loan, depreciation, CFADS, term debt, convertible, tax, cash flows, metrics.
** Contracts in wattpivot/finance.h; every ledger formula in docs/model/finance.md. XNPV/XIRR and
** the small metrics are in finance_flows.c, the solver in finance_solve.c.
*/
#include <math.h>
#include <string.h>

#include "wattpivot/finance.h"
#include "wattpivot/range.h"
#include "finance_int.h"
#include "ledger_int.h"
#include "ledger_int.h"

const double *wp_fin_depreciation_full(const wp_ledger *l)
{
  return l->scratch_->work[WP_ASSET_COUNT];
}

const double *wp_fin_disposal_gain_full(const wp_ledger *l)
{
  return l->scratch_->work[WP_ASSET_COUNT + 1];
}

const double *wp_fin_discount_factors(const wp_ledger *l)
{
  return l->scratch_->df;
}

const char *wp_debt_shape_name(wp_debt_shape s)
{
  switch (s) {
  case WP_DEBT_SCULPTED: return "sculpted";
  case WP_DEBT_LEVEL: return "level";
  }
  return "?";
}

/* ================================================================== run: validation */

/* WP_OK when lo <= v <= hi (finite), else the range message naming what. */
static wp_status check_in(double v, double lo, double hi, const char *what, wp_error *err)
{
  const wp_range r = {lo, hi, 0, 0, NULL};
  return wp_range_check(&r, v, err, "%s", what);
}

wp_status wp_finance_terms_check(const wp_finance_terms *t, size_t n, wp_error *err)
{
  if (!t) return wp_error_set(err, WP_EINVAL, "finance terms: NULL");
  wp_status st;
  const int64_t months = (int64_t)n;
  if (!isfinite(t->hurdle_rate) || !(t->hurdle_rate > -1.0))
    return wp_error_set(err, WP_EINVAL, "hurdle_rate %g out of range (-1, +inf)", t->hurdle_rate);
  if (t->rate_switch_month > 0 && (!isfinite(t->rate_after) || !(t->rate_after > -1.0)))
    return wp_error_set(err, WP_EINVAL, "rate_after %g out of range (-1, +inf)", t->rate_after);
  if ((st = check_in(t->tax_rate, 0.0, 0.999, "tax_rate", err))) return st;
  if ((st = check_in(t->nol_limit_frac, 1e-9, 1.0, "nol_limit_frac", err))) return st;
  for (int c = 0; c < WP_ASSET_COUNT; c++)
    if (!(isfinite(t->life_years[c]) && t->life_years[c] >= 1.0 / 12.0 &&
          t->life_years[c] <= 100.0))
      return wp_error_set(err, WP_EINVAL,
                          "life_years[%s] %g is out of range; accepted [1/12, 100] years",
                          wp_asset_class_name((wp_asset_class)c), t->life_years[c]);
  const int64_t cs = t->construction.start_month, cod = t->construction.cod_month;
  if (cs < 0 || cs > cod || cod > months)
    return wp_error_set(err, WP_EINVAL,
                        "construction window [start_month %lld, cod_month %lld) must satisfy "
                        "0 <= start <= cod <= %lld months",
                        (long long)cs, (long long)cod, (long long)months);
  if ((st = check_in(t->construction.ltc, 0.0, 1.0, "construction.ltc", err))) return st;
  if ((st = check_in(t->construction.rate, 0.0, 1.0, "construction.rate", err))) return st;
  if (t->term.enabled) {
    if (cod < 1)
      return wp_error_set(err, WP_EINVAL,
                          "term debt needs construction.cod_month >= 1 (it is "
                          "drawn at the end of month cod-1); got %lld",
                          (long long)cod);
    if (t->term.shape != WP_DEBT_SCULPTED && t->term.shape != WP_DEBT_LEVEL)
      return wp_error_set(err, WP_EINVAL, "term.shape %d is neither sculpted (0) nor level (1)",
                          (int)t->term.shape);
    if ((st = check_in(t->term.target_dscr, 1.0, 100.0, "term.target_dscr", err))) return st;
    if ((st = check_in(t->term.max_gearing, 0.0, 1.0, "term.max_gearing", err))) return st;
    if ((st = check_in(t->term.rate, 0.0, 1.0, "term.rate", err))) return st;
    if (t->term.tenor_months < 1 || t->term.tenor_months > 1200)
      return wp_error_set(err, WP_EINVAL, "term.tenor_months %lld out of range [1, 1200]",
                          (long long)t->term.tenor_months);
  }
  if (t->lease.asset_class != -1) {
    if (t->lease.asset_class < 0 || t->lease.asset_class >= WP_ASSET_COUNT)
      return wp_error_set(err, WP_EINVAL,
                          "lease.asset_class %d out of range (-1 = none, "
                          "0..%d)",
                          t->lease.asset_class, WP_ASSET_COUNT - 1);
    if ((st = check_in(t->lease.fraction, 0.0, 1.0, "lease.fraction", err))) return st;
    if ((st = check_in(t->lease.rate_factor, 1e-12, 0.999, "lease.rate_factor", err))) return st;
    if (t->lease.term_months < 1 || t->lease.term_months > 1200)
      return wp_error_set(err, WP_EINVAL, "lease.term_months %lld out of range [1, 1200]",
                          (long long)t->lease.term_months);
    if (t->lease.close_month < -1 || t->lease.close_month >= months)
      return wp_error_set(err, WP_EINVAL,
                          "lease.close_month %lld out of range (-1 = as "
                          "spent, 0..%lld)",
                          (long long)t->lease.close_month, (long long)months - 1);
  }
  if ((st = check_in(t->convertible.principal_usd, 0.0, 1e15, "convertible.principal_usd",
                         err)))
    return st;
  if (t->convertible.principal_usd > 0) {
    if ((st = check_in(t->convertible.coupon_rate, 0.0, 1.0, "convertible.coupon_rate",
                           err)))
      return st;
    if (t->convertible.coupon_period_months < 1 || t->convertible.coupon_period_months > 120)
      return wp_error_set(err, WP_EINVAL,
                          "convertible.coupon_period_months %lld out of range [1, 120]",
                          (long long)t->convertible.coupon_period_months);
    if ((st = check_in(t->convertible.issue_cost_frac, 0.0, 0.999, "convertible.issue_cost_frac",
                           err)))
      return st;
    if (t->convertible.issue_month < 0 || t->convertible.issue_month >= months)
      return wp_error_set(err, WP_EINVAL, "convertible.issue_month %lld out of range [0, %lld]",
                          (long long)t->convertible.issue_month, (long long)months - 1);
    if (t->convertible.maturity_month <= t->convertible.issue_month)
      return wp_error_set(err, WP_EINVAL,
                          "convertible.maturity_month %lld must be after "
                          "issue_month %lld",
                          (long long)t->convertible.maturity_month,
                          (long long)t->convertible.issue_month);
    if ((st = check_in(t->convertible.conversion_price_usd, 1e-9, 1e12, "convertible.conversion_price_usd",
                           err)))
      return st;
    if ((st = check_in(t->convertible.share_price_at_maturity_usd, 0.0, 1e12, "convertible.share_price_at_maturity_usd",
                           err)))
      return st;
  }
  return WP_OK;
}

/*
** Name the first non-finite input (slow path: only called once a sum turned out non-finite,
** since any Inf/NaN input makes the line sums non-finite). WP_OK if none (an overflow).
*/
static wp_status find_nonfinite_input(const wp_ledger *l, wp_error *err)
{
  for (size_t k = 0; k < wp_ledger_column_count(); k++) {
    if (!wp_ledger_column_is_input(k)) continue;
    const double *v = wp_ledger_column(l, k);
    for (size_t m = 0; m < l->months; m++)
      if (!isfinite(v[m]))
        return wp_error_set(err, WP_EINVAL, "ledger line %s month %zu is %g: inputs must be finite",
                            wp_ledger_column_name(k), m, v[m]);
  }
  return WP_OK;
}

#define ABOVE_ONE 0x400FFFFFFFFFFFFFULL /* 2^63 - (bits of 1.0) - 1 */

static uint64_t double_bits(double x)
{
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}

/*
** Disposal fractions lie in [0, 1] (they do not enter the sums, so they are checked here).
** Also marks the classes with any capex or sale (active[c]): a class with neither has zero
** depreciation and zero disposal gain whatever its disposal fractions, so its lines are skipped.
*/
static wp_status check_disposals(const wp_ledger *l, int active[WP_ASSET_COUNT], wp_error *err)
{
  for (int c = 0; c < WP_ASSET_COUNT; c++) {
    const double *frac = l->disposal_frac[c], *capex = l->capex_usd[c],
                 *sale = l->asset_sale_usd[c];
    /* A fast scan on the bit patterns: a double in [+0, 1] has bits <= those of 1.0 (negatives,
       NaN and values above 1 have more), and an OR of values that are all +-0 has no bit
       beside the sign. Only when some fraction may be out of range (incl. -0, which is
       accepted) does the slow loop look for the first bad one by value. */
    uint64_t out_bits = 0, or_bits = 0;
    for (size_t m = 0; m < l->months; m++) {
      /* Bit 63 of f + ABOVE_ONE is set when f > bits of 1.0 (f < 2^63); negative values
         carry it in f itself. Only ORs and adds: no dependency but the accumulators. */
      uint64_t f = double_bits(frac[m]);
      out_bits |= f | (f + ABOVE_ONE);
      or_bits |= double_bits(capex[m]) | double_bits(sale[m]);
    }
    const int any = (or_bits << 1) != 0, bad = (out_bits >> 63) != 0;
    for (size_t m = 0; bad && m < l->months; m++) {
      double v = frac[m];
      if (!(v >= 0.0 && v <= 1.0))
        return wp_error_set(err, WP_EINVAL,
                            "ledger line disposal_frac_%s month %zu is %g: out of range [0, 1]",
                            wp_asset_class_name((wp_asset_class)c), m, v);
    }
    active[c] = any;
  }
  return WP_OK;
}

/* ================================================================== run: the pieces */

/*
** Groups of derived lines whose content is often all zero (no lease, no construction window,
** no term debt, no convertible, a class without capex): the ledger remembers which ones hold
** only +0 from the last run, so a run that would write zeros again skips them.
*/
enum {
  ZERO_LEASE = 1u << 0,
  ZERO_CONSTRUCTION = 1u << 1,
  ZERO_TERM = 1u << 2,
  ZERO_CONV = 1u << 3,
  ZERO_IDC = 1u << 4,
  ZERO_DEP_TOTALS = 1u << 5, /* depreciation total, disposal gain, IDC line, their scratch */
  ZERO_DEP0 = 1u << 6        /* + class: depreciation_usd[c] */
};

/* Set lines[0..k-1] to +0 unless the group is known to be zero already. */
static void zero_group(wp_ledger *l, unsigned group, double *const *lines, size_t k)
{
  if (l->scratch_->zero & group) return;
  for (size_t i = 0; i < k; i++)
    memset(lines[i], 0, l->months * sizeof(double));
  l->scratch_->zero |= group;
}

/* A sum turned out non-finite in month m: name the input, or say the sums overflowed. */
static wp_status nonfinite(const wp_ledger *l, size_t m, wp_error *err)
{
  wp_status st = find_nonfinite_input(l, err);
  return st ? st
            : wp_error_set(err, WP_EINVAL,
                           "ledger sums overflow in month %zu (inputs above 1e308 USD)", m);
}

static int64_t life_months(double years)
{
  int64_t k = (int64_t)llround(years * 12.0);
  return k < 1 ? 1 : k;
}

/* Revenue, opex, capex and sales totals, deferred revenue. The totals add the active classes
** only: the others add exact zeros. */
static wp_status operating_lines(wp_ledger *l, const int active[WP_ASSET_COUNT], wp_error *err)
{
  double deferred = 0.0, received = 0.0;
  int cls[WP_ASSET_COUNT], ncls = 0;
  for (int c = 0; c < WP_ASSET_COUNT; c++)
    if (active[c]) cls[ncls++] = c;
  for (size_t m = 0; m < l->months; m++) {
    l->revenue_usd[m] = wp_fin_sum5(l->rev_mining_usd[m], l->rev_colo_usd[m],
                                    l->rev_gpu_contract_usd[m], l->rev_gpu_merchant_usd[m],
                                    l->rev_other_usd[m]);
    l->opex_usd[m] = wp_fin_sum5(l->opex_om_usd[m], l->opex_staff_usd[m],
                                 l->opex_insurance_usd[m], l->opex_property_tax_usd[m],
                                 l->opex_other_usd[m]);
    double capex = 0.0, sales = 0.0;
    for (int i = 0; i < ncls; i++) {
      capex += l->capex_usd[cls[i]][m];
      sales += l->asset_sale_usd[cls[i]][m];
    }
    l->capex_total_usd[m] = capex;
    l->asset_sales_usd[m] = sales;
    received += fabs(l->prepay_received_usd[m]);
    deferred += l->prepay_received_usd[m] - l->prepay_amortized_usd[m];
    l->prepay_deferred_usd[m] = deferred;
    if (!isfinite(l->revenue_usd[m]) || !isfinite(l->opex_usd[m]) || !isfinite(capex) ||
        !isfinite(sales) || !isfinite(deferred))
      return nonfinite(l, m, err);
    if (deferred < -1e-9 * (received > 1.0 ? received : 1.0)) /* fmax: both finite here */
      return wp_error_set(err, WP_EINVAL,
                          "prepay_amortized_usd exceeds prepayments received "
                          "by month %zu (deferred balance %.2f USD < 0)",
                          m, deferred);
  }
  return WP_OK;
}

/* Lessor funding (as spent, or reimbursed at a sale-leaseback close) and lease payments. */
static void lease_lines(wp_ledger *l, const wp_finance_terms *t)
{
  const size_t n = l->months;
  if (t->lease.asset_class < 0 || t->lease.fraction <= 0.0) {
    double *const lines[] = {l->lease_funding_usd, l->lease_payment_usd};
    zero_group(l, ZERO_LEASE, lines, 2);
    return;
  }
  l->scratch_->zero &= ~(unsigned)ZERO_LEASE;
  for (size_t m = 0; m < n; m++)
    l->lease_funding_usd[m] = l->lease_payment_usd[m] = 0.0;
  const double *capex = l->capex_usd[t->lease.asset_class];
  const int64_t close = t->lease.close_month, term = t->lease.term_months;
  double pending = 0.0, window = 0.0;
  for (size_t m = 0; m < n; m++) {
    double spent = t->lease.fraction * capex[m];
    if (close < 0 || (int64_t)m > close) {
      l->lease_funding_usd[m] = spent;
    } else {
      pending += spent;
      if ((int64_t)m == close) l->lease_funding_usd[m] = pending;
    }
    /* Payments of a funded amount run for term months from the month after funding. */
    if (m >= 1) window += l->lease_funding_usd[m - 1];
    if ((int64_t)m - 1 - term >= 0) window -= l->lease_funding_usd[(size_t)((int64_t)m - 1 - term)];
    l->lease_payment_usd[m] = t->lease.rate_factor * window;
  }
}

/* Construction loan: pro-rata draws, capitalized interest, repaid at the end of month cod-1. */
static double construction_lines(wp_ledger *l, const wp_finance_terms *t, double *cost)
{
  const int64_t cs = t->construction.start_month, cod = t->construction.cod_month;
  const double rc = t->construction.rate / 12.0;
  double bal = 0.0, idc = 0.0, capex = 0.0;
  if (cs == cod) { /* no window: every line is 0, no cost */
    double *const lines[] = {l->construction_draw_usd, l->construction_interest_usd,
                             l->construction_repay_usd, l->construction_balance_usd};
    zero_group(l, ZERO_CONSTRUCTION, lines, 4);
    *cost = 0.0;
    return 0.0;
  }
  l->scratch_->zero &= ~(unsigned)ZERO_CONSTRUCTION;
  for (size_t m = 0; m < l->months; m++) {
    double draw = 0.0, interest = 0.0, repay = 0.0;
    if ((int64_t)m >= cs && (int64_t)m < cod) {
      capex += l->capex_total_usd[m];
      interest = bal * rc;
      draw = t->construction.ltc * fmax(0.0, l->capex_total_usd[m] - l->lease_funding_usd[m]);
      bal += draw + interest;
      idc += interest;
      if ((int64_t)m == cod - 1) {
        repay = bal;
        bal = 0.0;
      }
    }
    l->construction_draw_usd[m] = draw;
    l->construction_interest_usd[m] = interest;
    l->construction_repay_usd[m] = repay;
    l->construction_balance_usd[m] = bal;
  }
  *cost = capex + idc;
  return idc;
}

/*
** Straight-line depreciation of one class on the full (100%-owned) basis, with disposals.
** eff[p] is the monthly charge of the vintage placed in month p (scaled down by later
** disposals); the charge in month m is the sum over the vintages placed in (m - life, m].
** Writes the full-basis charge to dep and the full-basis disposal gain to gain (added).
*/
static void depreciate_class(wp_ledger *l, const wp_finance_terms *t, int c, double *eff,
                             double *dep, double *gain)
{
  const size_t n = l->months;
  const int64_t life = life_months(t->life_years[c]);
  const int64_t cs = t->construction.start_month, cod = t->construction.cod_month;
  const double *capex = l->capex_usd[c], *frac = l->disposal_frac[c];
  for (size_t m = 0; m < n; m++)
    eff[m] = 0.0;
  for (size_t m = 0; m < n; m++) {
    if (capex[m] == 0.0) continue;
    int64_t p = ((int64_t)m >= cs && (int64_t)m < cod) ? cod : (int64_t)m;
    if (p < (int64_t)n) eff[p] += capex[m] / (double)life;
  }
  double rate = 0.0, nbv = 0.0;
  long active = 0;
  for (size_t m = 0; m < n; m++) {
    int64_t mm = (int64_t)m;
    if (eff[m] != 0.0) {
      rate += eff[m];
      nbv += eff[m] * (double)life;
      active++;
    }
    if (mm - life >= 0 && eff[mm - life] != 0.0) {
      rate -= eff[mm - life];
      active--;
    }
    if (active == 0) rate = 0.0;
    dep[m] = rate;
    nbv -= rate;
    if (active == 0) nbv = 0.0;
    double written_off = 0.0;
    if (frac[m] > 0.0) {
      written_off = frac[m] * nbv;
      nbv -= written_off;
      rate *= 1.0 - frac[m];
      int64_t from = mm - life + 1 < 0 ? 0 : mm - life + 1;
      for (int64_t p = from; p <= mm; p++) {
        if (eff[p] == 0.0) continue;
        eff[p] *= 1.0 - frac[m];
        if (eff[p] == 0.0) active--;
      }
      if (active == 0) rate = nbv = 0.0;
    }
    gain[m] += l->asset_sale_usd[c][m] - written_off;
  }
}

/* Depreciation lines (owned share), IDC depreciation, disposal gains. */
static void depreciation_lines(wp_ledger *l, const wp_finance_terms *t, double idc,
                               const int active[WP_ASSET_COUNT])
{
  const size_t n = l->months;
  double *dep_full_total = l->scratch_->work[WP_ASSET_COUNT];
  double *gain_full = l->scratch_->work[WP_ASSET_COUNT + 1];
  int any = 0;
  for (int c = 0; c < WP_ASSET_COUNT; c++)
    any |= active[c];
  if (!any && !(idc > 0.0)) { /* nothing to depreciate: every line (and the totals) is 0 */
    double *const totals[] = {dep_full_total, gain_full, l->depreciation_total_usd,
                              l->disposal_gain_usd, l->depreciation_idc_usd};
    zero_group(l, ZERO_DEP_TOTALS, totals, 5);
    for (int c = 0; c < WP_ASSET_COUNT; c++)
      zero_group(l, (unsigned)ZERO_DEP0 << c, &l->depreciation_usd[c], 1);
    return;
  }
  l->scratch_->zero &= ~(unsigned)ZERO_DEP_TOTALS;
  for (size_t m = 0; m < n; m++) {
    dep_full_total[m] = gain_full[m] = 0.0;
    l->depreciation_total_usd[m] = l->disposal_gain_usd[m] = 0.0;
  }
  for (int c = 0; c < WP_ASSET_COUNT; c++) {
    double own = (c == t->lease.asset_class) ? 1.0 - t->lease.fraction : 1.0;
    double *dep = l->depreciation_usd[c];
    if (!active[c]) { /* no capex, no sale: every charge and gain is 0 (adding 0 is exact) */
      zero_group(l, (unsigned)ZERO_DEP0 << c, &dep, 1);
      continue;
    }
    l->scratch_->zero &= ~((unsigned)ZERO_DEP0 << c);
    /* work[c] holds the class's vintage charges; the unlevered-tax line (recomputed later
       by flow_lines) serves as the per-class gain buffer so nothing is allocated. */
    double *eff = l->scratch_->work[c], *gbuf = l->unlevered_tax_usd;
    for (size_t m = 0; m < n; m++)
      gbuf[m] = 0.0;
    depreciate_class(l, t, c, eff, dep, gbuf);
    for (size_t m = 0; m < n; m++) {
      dep_full_total[m] += dep[m];
      gain_full[m] += gbuf[m];
      dep[m] *= own;
      l->depreciation_total_usd[m] += dep[m];
      l->disposal_gain_usd[m] += own * gbuf[m];
    }
  }
  const int64_t cod = t->construction.cod_month, life = life_months(t->life_years[WP_ASSET_SOFT]);
  if (!(idc > 0.0)) { /* no capitalized interest: the line is 0 and adds 0 to the total */
    double *line = l->depreciation_idc_usd;
    zero_group(l, ZERO_IDC, &line, 1);
    return;
  }
  l->scratch_->zero &= ~(unsigned)ZERO_IDC;
  for (size_t m = 0; m < n; m++) {
    int64_t mm = (int64_t)m;
    double d = (idc > 0.0 && mm >= cod && mm < cod + life) ? idc / (double)life : 0.0;
    l->depreciation_idc_usd[m] = d;
    l->depreciation_total_usd[m] += d;
  }
}

/* The operating cash flow of step 1, which the ledger keeps in scratch for steps 3 and 4 (the
** depreciation's vintage buffer work[0] is free once the depreciation lines are done). */
static double *operating_scratch(wp_ledger *l)
{
  return l->scratch_->work[0];
}

/* Step 1 of every month: EBITDA, the pre-tax CFADS (SAM Single Owner's: EBITDA + prepayment
** cash timing - net capex - lease) that term debt is sized on, the operating cash flow. */
static wp_status operations_lines(wp_ledger *l, wp_error *err)
{
  double *operating = operating_scratch(l);
  for (size_t m = 0; m < l->months; m++) {
    const wp_fin_month x = {.revenue = l->revenue_usd[m],
                            .power = l->power_usd[m],
                            .opex = l->opex_usd[m],
                            .prepay_in = l->prepay_received_usd[m],
                            .prepay_am = l->prepay_amortized_usd[m],
                            .capex = l->capex_total_usd[m],
                            .lease_fund = l->lease_funding_usd[m],
                            .lease_pay = l->lease_payment_usd[m]};
    wp_fin_step o;
    WP_FIN_STEP_OPERATIONS(x, o);
    l->ebitda_usd[m] = o.ebitda;
    l->cfads_usd[m] = o.cfads;
    operating[m] = o.operating;
    if (!isfinite(o.ebitda)) return nonfinite(l, m, err);
  }
  return WP_OK;
}

/* a > 0 && b > 0 ? x : y */
static double select_both_positive(double a, double b, double x, double y)
{
  return (a > 0.0 && b > 0.0) ? x : y;
}

void wp_fin_term_debt(const double *ebitda, const double *cfads, size_t n,
                      const wp_finance_terms *t, double project_cost, const wp_fin_term_lines *ln,
                      wp_finance_metrics *out)
{
  const wp_fin_term_plan p = wp_fin_term_plan_of(t, n, project_cost);
  out->tenor_months = (int64_t)(p.end > p.cod ? p.end - p.cod : 0);
  double pv = 0.0, disc = 1.0, level = HUGE_VAL;
  /* Each month's payment is kept in the service line until the amortization below reads it
     back (and overwrites it): one division per month. */
  for (size_t i = p.cod; i < p.end; i++) {
    disc *= p.v;
    double pay = WP_FIN_SIZING_PAY(select_both_positive, ebitda[i], cfads[i], p.dscr, 0.0);
    ln->service[i] = pay;
    pv += pay * disc;
    level = pay < level ? pay : level; /* fmin for these finite, non-negative values */
  }
  double scale;
  int limit;
  const double debt = wp_fin_term_size(&p, pv, level, &scale, &limit);
  out->debt_limit = limit;
  if (!(debt > 0.0)) {
    for (size_t i = p.cod; i < p.end; i++)
      ln->service[i] = 0.0;
    return;
  }
  out->term_debt_usd = debt;
  out->effective_dscr = p.dscr / scale;
  ln->draw[p.cod - 1] = debt;
  double bal = debt;
  for (size_t i = p.cod; i < p.end; i++) {
    double interest = WP_FIN_AMORT_INTEREST(bal, p.r);
    double principal = (i == p.end - 1)
                           ? bal
                           : WP_FIN_AMORT_PRINCIPAL(p.level ? level : ln->service[i], scale,
                                                    interest);
    bal -= principal;
    ln->interest[i] = interest;
    ln->principal[i] = principal;
    ln->balance[i] = bal;
    ln->service[i] = interest + principal;
  }
  for (size_t i = 0; i < p.cod; i++)
    ln->balance[i] = (i == p.cod - 1) ? debt : 0.0;
}

/* Term debt sized on CFADS by the target DSCR, capped by gearing; amortization lines. */
static void term_debt_lines(wp_ledger *l, const wp_finance_terms *t, double project_cost,
                            wp_finance_metrics *out)
{
  const size_t n = l->months;
  out->debt_limit = WP_DEBT_NONE;
  if (!t->term.enabled) {
    double *const lines[] = {l->term_draw_usd,    l->term_interest_usd, l->term_principal_usd,
                             l->term_balance_usd, l->debt_service_usd,  l->dscr_ratio};
    zero_group(l, ZERO_TERM, lines, 6);
    return;
  }
  l->scratch_->zero &= ~(unsigned)ZERO_TERM;
  for (size_t m = 0; m < n; m++)
    l->term_draw_usd[m] = l->term_interest_usd[m] = l->term_principal_usd[m] =
        l->term_balance_usd[m] = l->debt_service_usd[m] = l->dscr_ratio[m] = 0.0;
  wp_fin_term_lines ln = {l->term_draw_usd, l->term_interest_usd, l->term_principal_usd,
                          l->term_balance_usd, l->debt_service_usd};
  wp_fin_term_debt(l->ebitda_usd, l->cfads_usd, n, t, project_cost, &ln, out);
}

/* Convertible notes: proceeds, coupons, repayment or conversion at maturity. */
static void convertible_lines(wp_ledger *l, const wp_finance_terms *t, wp_finance_metrics *out)
{
  const size_t n = l->months;
  const double p = t->convertible.principal_usd;
  if (!(p > 0.0)) {
    double *const lines[] = {l->conv_proceeds_usd, l->conv_coupon_usd, l->conv_repay_usd};
    zero_group(l, ZERO_CONV, lines, 3);
    return;
  }
  l->scratch_->zero &= ~(unsigned)ZERO_CONV;
  for (size_t m = 0; m < n; m++)
    l->conv_proceeds_usd[m] = l->conv_coupon_usd[m] = l->conv_repay_usd[m] = 0.0;
  const int64_t issue = t->convertible.issue_month, mat = t->convertible.maturity_month;
  const int64_t k = t->convertible.coupon_period_months;
  l->conv_proceeds_usd[issue] = p * (1.0 - t->convertible.issue_cost_frac);
  int64_t last = issue;
  for (int64_t m = issue + 1; m < (int64_t)n && m <= mat; m++) {
    if ((m - issue) % k == 0 || m == mat) {
      l->conv_coupon_usd[m] = p * t->convertible.coupon_rate * (double)(m - last) / 12.0;
      last = m;
    }
  }
  if (mat >= (int64_t)n) {
    out->conv_outstanding_at_end = 1;
  } else if (t->convertible.share_price_at_maturity_usd > t->convertible.conversion_price_usd) {
    out->conv_converted = 1;
    out->conv_dilution_shares = p / t->convertible.conversion_price_usd;
  } else {
    l->conv_repay_usd[mat] = p;
  }
}

/* Running sums of the cash flow loop that the metrics need (the same sums, in the same order,
** as wp_finance_payback_month, wp_finance_peak_funding and wp_finance_moic compute). */
typedef struct flow_stats {
  int64_t last_negative_p, last_negative_e; /* last month with a negative running sum */
  double low_e;                             /* lowest running equity sum, <= 0 */
  double in_e, out_e;                       /* equity inflows, outflows (positive) */
} flow_stats;

/* Steps 3 and 4 of every month: the all-equity project's tax and cash flow, the sponsor's tax
** and equity cash flow (after term debt and the convertible), their running sums. */
static void flow_lines(wp_ledger *l, const wp_finance_terms *t, wp_finance_metrics *out,
                       flow_stats *fs)
{
  const double rate = t->tax_rate, limit = t->nol_limit_frac;
  double nol = 0.0, nol_u = 0.0, used_u = 0.0, cum_p = 0.0, cum_e = 0.0;
  fs->last_negative_p = fs->last_negative_e = -1;
  fs->low_e = fs->in_e = fs->out_e = 0.0;
  const int plain = wp_fin_unfinanced(t);
  const double *operating = operating_scratch(l), *dep_full = wp_fin_depreciation_full(l),
               *gain_full = wp_fin_disposal_gain_full(l);
  for (size_t m = 0; m < l->months; m++) {
    const wp_fin_month x = {.dep = l->depreciation_total_usd[m],
                            .gain = l->disposal_gain_usd[m],
                            .dep_full = dep_full[m],
                            .gain_full = gain_full[m],
                            .sales = l->asset_sales_usd[m],
                            .sales_owned = wp_fin_sales_owned(l, t, m)};
    wp_fin_step o = {.ebitda = l->ebitda_usd[m], .operating = operating[m]};
    WP_FIN_STEP_PROJECT(wp_fin_tax_month, x, o, rate, limit, &nol_u, &used_u);
    wp_fin_financing f = {0};
    if (!plain)
      f = (wp_fin_financing){l->lease_funding_usd[m], l->lease_payment_usd[m],
                             l->construction_draw_usd[m], l->construction_repay_usd[m],
                             l->term_draw_usd[m], l->term_interest_usd[m],
                             l->term_principal_usd[m], l->conv_proceeds_usd[m],
                             l->conv_coupon_usd[m], l->conv_repay_usd[m]};
    WP_FIN_STEP_SPONSOR(wp_fin_tax_month, plain, x, f, o, rate, limit, &nol,
                        &l->nol_used_usd[m]);
    l->taxable_income_usd[m] = o.taxable;
    l->tax_usd[m] = o.tax;
    l->nol_balance_usd[m] = nol;
    l->unlevered_tax_usd[m] = o.tax_u;
    l->project_cash_flow_usd[m] = o.project_cf;
    l->equity_cash_flow_usd[m] = o.equity_cf;
    out->tax_paid_usd += o.tax;
    cum_p += o.project_cf;
    cum_e += o.equity_cf;
    l->cumulative_project_usd[m] = cum_p;
    l->cumulative_equity_usd[m] = cum_e;
    const double fe = o.equity_cf;
    if (cum_p < 0) fs->last_negative_p = (int64_t)m;
    if (cum_e < 0) fs->last_negative_e = (int64_t)m;
    if (cum_e < fs->low_e) fs->low_e = cum_e;
    if (fe > 0)
      fs->in_e += fe;
    else
      fs->out_e -= fe;
  }
  out->nol_end_usd = nol;
}

static void metrics(wp_ledger *l, const wp_finance_terms *t, const flow_stats *fs,
                    wp_finance_metrics *out)
{
  const size_t n = l->months;
  /* A second rate from a month on (a business of its own): each month at its business's rate,
     from month 0. The factors are cached for the (rate, switch, second rate) they were made for. */
  const int64_t sw = t->rate_switch_month > 0 && t->rate_switch_month < (int64_t)n
                         ? t->rate_switch_month
                         : -1;
  const double r2 = sw >= 0 ? t->rate_after : t->hurdle_rate;
  if (!(l->scratch_->df_rate == t->hurdle_rate) || l->scratch_->df_switch != sw ||
      !(l->scratch_->df_rate_after == r2)) {
    for (size_t m = 0; m < n; m++)
      l->scratch_->df[m] = pow(1.0 + (sw >= 0 && (int64_t)m >= sw ? r2 : t->hurdle_rate),
                               -l->scratch_->days[m] / 365.0);
    l->scratch_->df_rate = t->hurdle_rate;
    l->scratch_->df_switch = sw;
    l->scratch_->df_rate_after = r2;
  }
  double npv = 0.0, npv_e = 0.0, dsum = 0.0, dmin = HUGE_VAL;
  size_t dn = 0;
  for (size_t m = 0; m < n; m++) {
    npv += l->project_cash_flow_usd[m] * l->scratch_->df[m];
    npv_e += l->equity_cash_flow_usd[m] * l->scratch_->df[m];
    if (l->debt_service_usd[m] > 0.0) {
      l->dscr_ratio[m] = l->cfads_usd[m] / l->debt_service_usd[m];
      dsum += l->dscr_ratio[m];
      dmin = fmin(dmin, l->dscr_ratio[m]);
      dn++;
    }
  }
  out->npv_usd = npv;
  out->equity_npv_usd = npv_e;
  out->dscr_months = dn;
  out->min_dscr = dn ? dmin : 0.0;
  out->avg_dscr = dn ? dsum / (double)dn : 0.0;
  if (t->compute_irr) {
    wp_irr_result r;
    if (wp_finance_xirr(l->project_cash_flow_usd, l->scratch_->days, n, &r, NULL) == WP_OK) {
      out->project_irr = r.irr;
      out->project_irr_found = 1;
      out->project_irr_roots = r.roots;
    }
    /* All-equity (no debt, lease or notes): the same flows, the same IRR. */
    if (memcmp(l->equity_cash_flow_usd, l->project_cash_flow_usd, n * sizeof(double)) == 0) {
      out->equity_irr = out->project_irr;
      out->equity_irr_found = out->project_irr_found;
      out->equity_irr_roots = out->project_irr_roots;
    } else if (wp_finance_xirr(l->equity_cash_flow_usd, l->scratch_->days, n, &r, NULL) ==
               WP_OK) {
      out->equity_irr = r.irr;
      out->equity_irr_found = 1;
      out->equity_irr_roots = r.roots;
    }
  }
  /* As wp_finance_payback_month, wp_finance_peak_funding and wp_finance_moic. */
  const int64_t last = (int64_t)n - 1;
  out->payback_month = fs->last_negative_p == last ? -1 : fs->last_negative_p + 1;
  out->equity_payback_month = fs->last_negative_e == last ? -1 : fs->last_negative_e + 1;
  out->peak_funding_usd = -fs->low_e;
  out->moic = fs->out_e > 0 ? fs->in_e / fs->out_e : 0.0;
}

wp_status wp_finance_run(wp_ledger *l, const wp_finance_terms *t, wp_finance_metrics *out,
                         wp_error *err)
{
  if (!l || !t || !out) return wp_error_set(err, WP_EINVAL, "wp_finance_run: NULL argument");
  memset(out, 0, sizeof *out);
  out->payback_month = out->equity_payback_month = -1;
  int active[WP_ASSET_COUNT];
  wp_status st = wp_finance_terms_check(t, l->months, err);
  if (!st) st = check_disposals(l, active, err);
  if (!st) st = operating_lines(l, active, err);
  if (st) return st;
  double cost = 0.0;
  lease_lines(l, t);
  out->idc_usd = construction_lines(l, t, &cost);
  out->project_cost_usd = cost;
  depreciation_lines(l, t, out->idc_usd, active);
  if ((st = operations_lines(l, err))) return st;
  term_debt_lines(l, t, cost, out);
  out->gearing = cost > 0.0 ? out->term_debt_usd / cost : 0.0;
  convertible_lines(l, t, out);
  flow_stats fs;
  flow_lines(l, t, out, &fs);
  metrics(l, t, &fs, out);
  return WP_OK;
}
