/* Bitcoin mining economics: hashprice, revenue per MWh, break-even, margin per MW
** (docs/model/mining.md). */
#include <math.h>

#include "wattpivot/btc.h"
#include "wattpivot/mining.h"

double wp_mining_reward_btc_per_block(int64_t height, double fees_btc_per_block)
{
  return (double)wp_btc_subsidy_sat(height) / (double)WP_BTC_COIN_SAT + fees_btc_per_block;
}

double wp_mining_hashprice_btc_per_ph_day(double reward_btc_per_block, double difficulty)
{
  /* Blocks a PH/s finds per day: 86400 s * 1e15 H/s / (D * 2^32 hashes per block). */
  return WP_MINING_HASHPRICE_BTC_PER_PH_DAY(reward_btc_per_block, difficulty);
}

double wp_mining_ths_per_mw(double eff_j_per_th)
{
  return 1e6 / eff_j_per_th;
}

extern inline double wp_mining_revenue_usd_per_mwh(double hashprice_usd_per_ph_day,
                                                   double eff_j_per_th);

double wp_mining_fleet_capex_usd(double ths, double usd_per_th)
{
  return ths * usd_per_th;
}

static wp_status check_range(const char *name, double v, double lo, double hi, int lo_open,
                             int hi_open, const char *unit, wp_error *err)
{
  int ok = isfinite(v) && (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
  if (ok) return WP_OK;
  if (isinf(hi))
    return wp_error_set(err, WP_EINVAL, "%s %g is out of range; accepted %c%g, inf)%s%s", name,
                        v, lo_open ? '(' : '[', lo, unit[0] ? " " : "", unit);
  return wp_error_set(err, WP_EINVAL, "%s %g is out of range; accepted %c%g, %g%c%s%s", name, v,
                      lo_open ? '(' : '[', lo, hi, hi_open ? ')' : ']', unit[0] ? " " : "", unit);
}

wp_status wp_mining_inputs_check(const wp_mining_inputs *in, wp_error *err)
{
  wp_status st;
  if (!in) return wp_error_set(err, WP_EINVAL, "mining inputs: NULL");
  if ((st = check_range("difficulty", in->difficulty, 0, INFINITY, 1, 1, "", err))) return st;
  if ((st = check_range("btc_price_usd", in->btc_price_usd, 0, INFINITY, 0, 1, "USD", err)))
    return st;
  if ((st = check_range("fees_btc_per_block", in->fees_btc_per_block, 0, 1000, 0, 0, "BTC",
                        err)))
    return st;
  if (in->height < 0 || in->height > WP_BTC_MAX_HEIGHT)
    return wp_error_set(err, WP_EINVAL, "height %lld is out of range; accepted [0, %lld]",
                        (long long)in->height, (long long)WP_BTC_MAX_HEIGHT);
  if ((st = check_range("eff_j_per_th", in->eff_j_per_th, 0, 1000, 1, 0, "J/TH", err)))
    return st;
  if ((st = check_range("power_usd_per_mwh", in->power_usd_per_mwh, 0, 10000, 0, 0, "USD/MWh",
                        err)))
    return st;
  if ((st = check_range("uptime", in->uptime, 0, 1, 0, 0, "", err))) return st;
  if ((st = check_range("pool_fee", in->pool_fee, 0, 1, 0, 1, "", err))) return st;
  return check_range("pue", in->pue, 1, 3, 0, 0, "", err);
}

wp_status wp_mining_evaluate(const wp_mining_inputs *in, wp_mining_result *out, wp_error *err)
{
  if (!out) return wp_error_set(err, WP_EINVAL, "mining result: NULL");
  wp_status st = wp_mining_inputs_check(in, err);
  if (st) return st;
  const double e = in->eff_j_per_th;
  out->subsidy_btc = (double)wp_btc_subsidy_sat(in->height) / (double)WP_BTC_COIN_SAT;
  out->hashprice_btc_per_ph_day = wp_mining_hashprice_btc_per_ph_day(
      wp_mining_reward_btc_per_block(in->height, in->fees_btc_per_block), in->difficulty);
  out->hashprice_usd_per_ph_day = out->hashprice_btc_per_ph_day * in->btc_price_usd;
  out->ths_per_mw = wp_mining_ths_per_mw(e);
  /* Per MWh drawn at the meter: the miners' MWh times PUE, net of the pool's cut. */
  out->revenue_usd_per_mwh = wp_mining_revenue_usd_per_mwh(out->hashprice_usd_per_ph_day, e) *
                             (1.0 - in->pool_fee) / in->pue;
  out->breakeven_power_usd_per_mwh = out->revenue_usd_per_mwh;
  out->revenue_usd_per_mw_day = out->ths_per_mw / 1000.0 * out->hashprice_usd_per_ph_day *
                                in->uptime * (1.0 - in->pool_fee);
  out->power_usd_per_mw_day = 24.0 * in->uptime * in->pue * in->power_usd_per_mwh;
  out->margin_usd_per_mw_day = out->revenue_usd_per_mw_day - out->power_usd_per_mw_day;
  return WP_OK;
}
