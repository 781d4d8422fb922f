/* One month of each business model and of the power bill and fixed opex
** (see wattpivot/revenue.h and docs/model/revenue.md). */
#include <math.h>
#include <string.h>

#include "wattpivot/mining.h"
#include "wattpivot/revenue.h"
#include "revenue_int.h"

#define MAX_TERM_MONTHS 1200 /* 100 years */

double wp_revenue_hours(int days)
{
  return 24.0 * (double)days;
}

static wp_status range(double v, double lo, double hi, const char *model, const char *name,
                       wp_error *err)
{
  if (!isfinite(v) || v < lo || v > hi)
    return wp_error_set(err, WP_EINVAL, "%s %s %g is out of range [%g, %g]", model, name, v, lo,
                        hi);
  return WP_OK;
}

static wp_status irange(int64_t v, int64_t lo, int64_t hi, const char *model, const char *name,
                        wp_error *err)
{
  if (v < lo || v > hi)
    return wp_error_set(err, WP_EINVAL, "%s %s %lld is out of range [%lld, %lld]", model, name,
                        (long long)v, (long long)lo, (long long)hi);
  return WP_OK;
}

/* The market month fields every model reads. */
static wp_status check_market(const wp_market_month *mm, const char *model, wp_error *err)
{
  if (!mm) return wp_error_set(err, WP_EINVAL, "%s: NULL market month", model);
  if (mm->days < 28 || mm->days > 31)
    return wp_error_set(err, WP_EINVAL, "%s: market month has %d days; expected 28..31", model,
                        mm->days);
  /* Wide on purpose: an escalated price decades out may pass any single-year cap. */
  if (!isfinite(mm->power_usd_per_mwh) || mm->power_usd_per_mwh < -1e6 ||
      mm->power_usd_per_mwh > 1e6)
    return wp_error_set(err, WP_EINVAL,
                        "%s: market power price %g USD/MWh is out of range [-1e6, 1e6]", model,
                        mm->power_usd_per_mwh);
  return WP_OK;
}

/* Mining -------------------------------------------------------------------------------*/

static wp_status mining_terms_check(const wp_revenue_mining_terms *t, wp_error *err)
{
  static const char *M = "mining";
  wp_status s;
  if ((s = range(t->it_mw, 0, 1e6, M, "it_mw", err))) return s;
  if ((s = range(t->eff_j_per_th, 1, 1000, M, "eff_j_per_th", err))) return s;
  if ((s = range(t->uptime, 0, 1, M, "uptime", err))) return s;
  if ((s = range(t->pool_fee, 0, 0.99, M, "pool_fee", err))) return s;
  return range(t->pue, 1, 3, M, "pue", err);
}

wp_status wp_revenue_mining_terms_check(const wp_revenue_mining_terms *t, wp_error *err)
{
  if (!t) return wp_error_set(err, WP_EINVAL, "mining terms: NULL");
  return mining_terms_check(t, err);
}

wp_status wp_revenue_mining_month_fast(const wp_revenue_mining_terms *t, const wp_market_month *mm,
                                       wp_revenue_mining_month *out, wp_error *err)
{
  wp_status s;
  if ((s = check_market(mm, "mining", err))) return s;
  if (!isfinite(mm->hashprice_btc_per_ph_day) || mm->hashprice_btc_per_ph_day < 0 ||
      !isfinite(mm->btc_price_usd) || mm->btc_price_usd < 0)
    return wp_error_set(err, WP_EINVAL,
                        "mining: market hashprice %g BTC/PH/day and price %g USD must be >= 0",
                        mm->hashprice_btc_per_ph_day, mm->btc_price_usd);
  memset(out, 0, sizeof *out);
  double keep = 1.0 - t->pool_fee;
  out->ths = t->it_mw * wp_mining_ths_per_mw(t->eff_j_per_th);
  double hours_run = wp_revenue_hours(mm->days) * t->uptime;
  double energy_mwh = wp_revenue_mining_energy_mwh(t->it_mw, t->pue, mm->days, t->uptime);
  wp_revenue_mining_core c = wp_revenue_mining_core_eval(
      WP_REV_PH(out->ths), t->eff_j_per_th, keep, t->pue, t->uptime, t->curtail, (double)mm->days,
      energy_mwh, mm->hashprice_btc_per_ph_day, mm->btc_price_usd, mm->power_usd_per_mwh);
  out->breakeven_power_usd_per_mwh = c.breakeven_usd_per_mwh;
  if (c.curtailed) {
    out->curtailed = 1;
    return WP_OK;
  }
  out->hours_run = hours_run;
  out->btc_mined = c.btc_mined;
  out->revenue_usd = c.revenue_usd;
  out->energy_mwh = energy_mwh;
  out->power_usd = c.power_usd;
  out->margin_usd = out->revenue_usd - out->power_usd;
  return WP_OK;
}

wp_status wp_revenue_mining_month_eval(const wp_revenue_mining_terms *t, const wp_market_month *mm,
                                       wp_revenue_mining_month *out, wp_error *err)
{
  wp_status s;
  if (!t || !out) return wp_error_set(err, WP_EINVAL, "mining month: NULL argument");
  if ((s = check_market(mm, "mining", err))) return s;
  if ((s = mining_terms_check(t, err))) return s;
  return wp_revenue_mining_month_fast(t, mm, out, err);
}

/* Colocation ---------------------------------------------------------------------------*/

static wp_status colo_terms_check(const wp_revenue_colo_terms *t, wp_error *err)
{
  static const char *M = "colocation";
  wp_status s;
  if ((s = range(t->leased_it_kw, 0, 1e9, M, "leased_it_kw", err))) return s;
  if ((s = range(t->rent_usd_per_kw_month, 0, 1e5, M, "rent_usd_per_kw_month", err))) return s;
  if ((s = range(t->escalator_per_yr, -0.5, 1, M, "escalator_per_yr", err))) return s;
  if ((s = irange(t->ramp_months, 0, MAX_TERM_MONTHS, M, "ramp_months", err))) return s;
  if ((s = irange(t->term_months, 1, MAX_TERM_MONTHS, M, "term_months", err))) return s;
  if ((s = range(t->load_factor, 0, 1, M, "load_factor", err))) return s;
  if ((unsigned)t->basis >= WP_LEASE_BASIS_COUNT)
    return wp_error_set(err, WP_EINVAL,
                        "%s: lease basis %d; accepted gross, modified-gross, triple-net", M,
                        (int)t->basis);
  return range(t->pue, 1, 3, M, "pue", err);
}

const char *wp_lease_basis_name(wp_lease_basis b)
{
  static const char *const names[] = {"gross", "modified-gross", "triple-net"};
  return (unsigned)b < WP_LEASE_BASIS_COUNT ? names[b] : "?";
}

wp_status wp_revenue_colo_terms_check(const wp_revenue_colo_terms *t, wp_error *err)
{
  if (!t) return wp_error_set(err, WP_EINVAL, "colocation terms: NULL");
  return colo_terms_check(t, err);
}

wp_status wp_revenue_colo_month_fast(const wp_revenue_colo_terms *t, int64_t m,
                                     const wp_market_month *mm, wp_revenue_colo_month *out,
                                     wp_error *err)
{
  wp_status s;
  if ((s = check_market(mm, "colocation", err))) return s;
  memset(out, 0, sizeof *out);
  int64_t k = m - t->start_month;
  if (k < 0 || k >= t->term_months) return WP_OK;
  out->active = 1;
  out->ramp_fraction =
      t->ramp_months > 0 ? fmin(1.0, (double)(k + 1) / (double)t->ramp_months) : 1.0;
  out->billed_kw = t->leased_it_kw * out->ramp_fraction;
  out->rent_usd_per_kw_month = t->rent_usd_per_kw_month * wp_revenue_annual_step(t->escalator_per_yr, k);
  out->rent_usd = out->billed_kw * out->rent_usd_per_kw_month;
  out->energy_mwh = out->billed_kw / 1000.0 * t->load_factor * t->pue * wp_revenue_hours(mm->days);
  out->power_usd = t->basis == WP_LEASE_GROSS ? out->energy_mwh * mm->power_usd_per_mwh : 0.0;
  return WP_OK;
}

wp_status wp_revenue_colo_month_eval(const wp_revenue_colo_terms *t, int64_t m,
                                     const wp_market_month *mm, wp_revenue_colo_month *out,
                                     wp_error *err)
{
  wp_status s;
  if (!t || !out) return wp_error_set(err, WP_EINVAL, "colocation month: NULL argument");
  if ((s = check_market(mm, "colocation", err))) return s;
  if ((s = colo_terms_check(t, err))) return s;
  return wp_revenue_colo_month_fast(t, m, mm, out, err);
}

/* Contracted GPU cloud -----------------------------------------------------------------*/

wp_status wp_revenue_gpu_contract_terms_check(const wp_revenue_gpu_contract_terms *t,
                                              wp_error *err)
{
  static const char *M = "gpu contract";
  wp_status s;
  if (!t) return wp_error_set(err, WP_EINVAL, "gpu contract terms: NULL");
  if ((s = range(t->contract_value_usd, 0, 1e13, M, "contract_value_usd", err))) return s;
  if ((s = irange(t->term_months, 1, MAX_TERM_MONTHS, M, "term_months", err))) return s;
  if ((s = range(t->prepay_fraction, 0, 1, M, "prepay_fraction", err))) return s;
  if ((s = irange(t->prepay_lead_months, 0, MAX_TERM_MONTHS, M, "prepay_lead_months", err)))
    return s;
  if ((s = range(t->it_mw, 0, 1e6, M, "it_mw", err))) return s;
  if ((s = range(t->gpu_capex_usd, 0, 1e13, M, "gpu_capex_usd", err))) return s;
  if ((s = irange(t->gpu_capex_lead_months, 0, MAX_TERM_MONTHS, M, "gpu_capex_lead_months", err)))
    return s;
  if ((s = range(t->gpu_residual_fraction, 0, 1, M, "gpu_residual_fraction", err))) return s;
  if ((s = range(t->load_factor, 0, 1, M, "load_factor", err))) return s;
  return range(t->pue, 1, 3, M, "pue", err);
}

wp_status wp_revenue_gpu_contract_month_eval(const wp_revenue_gpu_contract_terms *t, int64_t m,
                                             const wp_market_month *mm,
                                             wp_revenue_gpu_contract_month *out, wp_error *err)
{
  wp_status s;
  if (!t || !out) return wp_error_set(err, WP_EINVAL, "gpu contract month: NULL argument");
  if ((s = check_market(mm, "gpu contract", err))) return s;
  if ((s = wp_revenue_gpu_contract_terms_check(t, err))) return s;
  memset(out, 0, sizeof *out);
  int64_t k = m - t->start_month, T = t->term_months;
  double term = (double)T;
  double prepay = t->prepay_fraction * t->contract_value_usd;
  if (m == t->start_month - t->prepay_lead_months) out->prepayment_in_usd = prepay;
  if (m >= t->start_month - t->prepay_lead_months) {
    int64_t served = k + 1 < 0 ? 0 : (k + 1 > T ? T : k + 1);
    out->deferred_revenue_usd = prepay - prepay * (double)served / term;
  }
  if (m == t->start_month - t->gpu_capex_lead_months) out->gpu_capex_usd = t->gpu_capex_usd;
  if (k >= 0 && k < T) {
    out->active = 1;
    out->revenue_usd = t->contract_value_usd / term;
    out->billed_cash_usd = out->revenue_usd - prepay / term;
    out->energy_mwh = t->it_mw * t->load_factor * t->pue * wp_revenue_hours(mm->days);
    out->power_usd = out->energy_mwh * mm->power_usd_per_mwh;
    if (k == T - 1) out->gpu_residual_usd = t->gpu_residual_fraction * t->gpu_capex_usd;
  }
  out->cash_in_usd = out->prepayment_in_usd + out->billed_cash_usd;
  return WP_OK;
}

/* Merchant GPU cloud -------------------------------------------------------------------*/

wp_status wp_revenue_gpu_merchant_terms_check(const wp_revenue_gpu_merchant_terms *t,
                                              wp_error *err)
{
  static const char *M = "gpu merchant";
  wp_status s;
  if (!t) return wp_error_set(err, WP_EINVAL, "gpu merchant terms: NULL");
  if ((s = range(t->it_mw, 0, 1e6, M, "it_mw", err))) return s;
  if ((s = range(t->it_kw_per_gpu, 0.01, 10, M, "it_kw_per_gpu", err))) return s;
  if ((s = range(t->price_multiple, 0.01, 20, M, "price_multiple", err))) return s;
  if ((s = range(t->utilization, 0, 1, M, "utilization", err))) return s;
  if ((s = irange(t->refresh_months, 0, MAX_TERM_MONTHS, M, "refresh_months", err))) return s;
  if ((s = range(t->capex_usd_per_gpu, 0, 1e7, M, "capex_usd_per_gpu", err))) return s;
  if ((s = range(t->resale_fraction, 0, 1, M, "resale_fraction", err))) return s;
  if ((s = range(t->load_factor, 0, 1, M, "load_factor", err))) return s;
  return range(t->pue, 1, 3, M, "pue", err);
}

wp_status wp_revenue_gpu_merchant_month_eval(const wp_revenue_gpu_merchant_terms *t, int64_t m,
                                             const wp_market_month *mm,
                                             wp_revenue_gpu_merchant_month *out, wp_error *err)
{
  wp_status s;
  if (!t || !out) return wp_error_set(err, WP_EINVAL, "gpu merchant month: NULL argument");
  if ((s = check_market(mm, "gpu merchant", err))) return s;
  if ((s = wp_revenue_gpu_merchant_terms_check(t, err))) return s;
  if (!isfinite(mm->gpu_usd_per_hour) || mm->gpu_usd_per_hour < 0)
    return wp_error_set(err, WP_EINVAL, "gpu merchant: market price %g USD/GPU-hour must be >= 0",
                        mm->gpu_usd_per_hour);
  memset(out, 0, sizeof *out);
  out->gpus = floor(t->it_mw * 1000.0 / t->it_kw_per_gpu + 1e-9);
  int64_t k = m - t->start_month;
  if (k < 0) return WP_OK;
  out->active = 1;
  out->install = k == 0 || (t->refresh_months > 0 && k % t->refresh_months == 0);
  out->refresh = out->install && k > 0;
  double hours = wp_revenue_hours(mm->days);
  out->gpu_usd_per_hour = mm->gpu_usd_per_hour * t->price_multiple;
  out->gpu_hours_sold = out->gpus * hours * t->utilization;
  out->revenue_usd = out->gpu_hours_sold * out->gpu_usd_per_hour;
  if (out->install) out->capex_usd = out->gpus * t->capex_usd_per_gpu;
  if (out->refresh) out->resale_usd = out->gpus * t->capex_usd_per_gpu * t->resale_fraction;
  out->energy_mwh = t->it_mw * t->load_factor * t->pue * hours;
  out->power_usd = out->energy_mwh * mm->power_usd_per_mwh;
  return WP_OK;
}

/* PPA ----------------------------------------------------------------------------------*/

wp_status wp_revenue_ppa_month_eval(const wp_revenue_ppa_terms *t, int64_t m, double load_mw,
                                    const wp_market_month *mm, wp_revenue_ppa_month *out,
                                    wp_error *err)
{
  static const char *M = "ppa";
  wp_status s;
  if (!t || !out) return wp_error_set(err, WP_EINVAL, "ppa month: NULL argument");
  if ((s = check_market(mm, M, err))) return s;
  if ((s = range(load_mw, 0, 1e6, M, "load_mw", err))) return s;
  if ((s = range(t->fixed_mw, 0, 1e6, M, "fixed_mw", err))) return s;
  if ((s = range(t->price_usd_per_mwh, -10000, 10000, M, "price_usd_per_mwh", err))) return s;
  if ((s = range(t->escalator_per_yr, -0.5, 1, M, "escalator_per_yr", err))) return s;
  if ((s = irange(t->term_months, 1, MAX_TERM_MONTHS, M, "term_months", err))) return s;
  memset(out, 0, sizeof *out);
  double h = wp_revenue_hours(mm->days), pm = mm->power_usd_per_mwh;
  int64_t k = m - t->start_month;
  double fixed_mw = (k >= 0 && k < t->term_months) ? t->fixed_mw : 0.0;
  out->energy_mwh = load_mw * h;
  if (fixed_mw > 0) {
    out->fixed_price_usd_per_mwh = t->price_usd_per_mwh * wp_revenue_annual_step(t->escalator_per_yr, k);
    double used_fixed_mw = fmin(load_mw, fixed_mw);
    out->fixed_mwh = (t->take_or_pay ? fixed_mw : used_fixed_mw) * h;
    out->surplus_mwh = t->take_or_pay ? (fixed_mw - used_fixed_mw) * h : 0.0;
  }
  out->market_mwh = out->energy_mwh - fmin(load_mw, fixed_mw) * h;
  out->cost_usd =
      out->fixed_mwh * out->fixed_price_usd_per_mwh + out->market_mwh * pm - out->surplus_mwh * pm;
  out->blended_usd_per_mwh = out->energy_mwh > 0 ? out->cost_usd / out->energy_mwh : pm;
  return WP_OK;
}

/* Opex ---------------------------------------------------------------------------------*/

wp_status wp_revenue_opex_terms_check(const wp_revenue_opex_terms *t, wp_error *err)
{
  static const char *M = "opex";
  wp_status s;
  if (!t) return wp_error_set(err, WP_EINVAL, "opex terms: NULL");
  if ((s = range(t->om_usd_per_kw_yr, 0, 1e5, M, "om_usd_per_kw_yr", err))) return s;
  if ((s = range(t->staff_usd_per_mw_yr, 0, 1e8, M, "staff_usd_per_mw_yr", err))) return s;
  if ((s = range(t->insurance_per_yr, 0, 0.2, M, "insurance_per_yr", err))) return s;
  if ((s = range(t->property_tax_per_yr, 0, 0.2, M, "property_tax_per_yr", err))) return s;
  return range(t->escalator_per_yr, -0.5, 1, M, "escalator_per_yr", err);
}

void wp_revenue_opex_month_fast(const wp_revenue_opex_terms *t, int64_t m, double it_mw,
                                double capex_usd, wp_revenue_opex_month *out)
{
  double esc = wp_revenue_annual_step(t->escalator_per_yr, m);
  out->om_usd = it_mw * 1000.0 * t->om_usd_per_kw_yr * esc / 12.0;
  out->staff_usd = it_mw * t->staff_usd_per_mw_yr * esc / 12.0;
  out->insurance_usd = capex_usd * t->insurance_per_yr / 12.0;
  out->property_tax_usd = capex_usd * t->property_tax_per_yr / 12.0;
  out->total_usd = out->om_usd + out->staff_usd + out->insurance_usd + out->property_tax_usd;
}

wp_status wp_revenue_opex_month_eval(const wp_revenue_opex_terms *t, int64_t m, double it_mw,
                                     double capex_usd, wp_revenue_opex_month *out, wp_error *err)
{
  static const char *M = "opex";
  wp_status s;
  if (!t || !out) return wp_error_set(err, WP_EINVAL, "opex month: NULL argument");
  if ((s = irange(m, 0, INT64_MAX, M, "month", err))) return s;
  if ((s = range(it_mw, 0, 1e6, M, "it_mw", err))) return s;
  if ((s = range(capex_usd, 0, 1e13, M, "capex_usd", err))) return s;
  if ((s = wp_revenue_opex_terms_check(t, err))) return s;
  wp_revenue_opex_month_fast(t, m, it_mw, capex_usd, out);
  return WP_OK;
}
