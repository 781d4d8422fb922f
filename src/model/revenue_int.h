/*
** Internal: the per-month arithmetic of revenue.c that the risk engine's fast pathway kernel
** (src/risk/kernel.c) must reproduce bit for bit. One definition, used by both.
*/
#ifndef WP_REVENUE_INT_H
#define WP_REVENUE_INT_H
#include <math.h>
#include <stdint.h>

#include "wattpivot/mining.h"
#include "finance_int.h"

/* Annual step of an escalator: (1 + e)^floor(k / 12) for k >= 0. The whole-number power by
** repeated squaring: a few multiplications instead of pow(), which dominated risk runs (this is
** evaluated for every month of every pathway of every path). */
static inline double wp_revenue_annual_step(double e, int64_t k)
{
  double base = 1.0 + e, r = 1.0;
  for (int64_t n = k / 12; n > 0; n >>= 1) {
    if (n & 1) r *= base;
    base *= base;
  }
  return r;
}

/* Grid MWh a running fleet draws in a month: MW x PUE x hours x uptime. */
static inline double wp_revenue_mining_energy_mwh(double it_mw, double pue, int days,
                                                  double uptime)
{
  return it_mw * pue * (24.0 * (double)days * uptime);
}

/* One mining month's money (wp_revenue_mining_month_fast): the break-even price per grid MWh,
** then, unless curtailed, what was mined and the power bill. keep = 1 - pool fee. */
typedef struct wp_revenue_mining_core {
  double breakeven_usd_per_mwh;
  double curtail_above_usd_per_mwh; /* break-even when curtailing, else +inf */
  int curtailed;
  double btc_mined, revenue_usd, power_usd;
} wp_revenue_mining_core;

/* The expressions of a mining month, for one month (double) or lanes of paths (a vector). */
#define WP_REV_HASHPRICE_USD(hashprice_btc, btc_price_usd) ((hashprice_btc) * (btc_price_usd))
#define WP_REV_BREAKEVEN(hashprice_usd, eff_j_per_th, keep, pue)                                   \
  (WP_MINING_REVENUE_USD_PER_MWH(hashprice_usd, eff_j_per_th) * (keep) / (pue))
/* The fleet's PH/s (what the kernels store: the division done once) and the BTC it mines. */
#define WP_REV_PH(ths) ((ths) / 1000.0)
#define WP_REV_BTC_MINED(ph, hashprice_btc, days, uptime, keep)                                    \
  ((ph) * (hashprice_btc) * (days) * (uptime) * (keep))

/* ph: the fleet's PH/s, WP_REV_PH(TH/s). */
static inline wp_revenue_mining_core wp_revenue_mining_core_eval(
    double ph, double eff_j_per_th, double keep, double pue, double uptime, int curtail,
    double days, double energy_mwh, double hashprice_btc_per_ph_day, double btc_price_usd,
    double power_usd_per_mwh)
{
  wp_revenue_mining_core o;
  double hp_usd = WP_REV_HASHPRICE_USD(hashprice_btc_per_ph_day, btc_price_usd);
  o.breakeven_usd_per_mwh = WP_REV_BREAKEVEN(hp_usd, eff_j_per_th, keep, pue);
  o.curtailed = curtail && power_usd_per_mwh > o.breakeven_usd_per_mwh;
  /* Both outcomes, then a select: whether a month is curtailed is unpredictable on a
     Monte Carlo path, a branch on it mispredicts. A curtailed month is +0 throughout. */
  const double be = curtail ? o.breakeven_usd_per_mwh : HUGE_VAL; /* never above +inf */
  o.curtail_above_usd_per_mwh = be;
  double btc = WP_REV_BTC_MINED(ph, hashprice_btc_per_ph_day, days, uptime, keep);
  o.btc_mined = wp_fin_select_gt(power_usd_per_mwh, be, 0.0, btc);
  o.revenue_usd = wp_fin_select_gt(power_usd_per_mwh, be, 0.0, btc * btc_price_usd);
  o.power_usd =
      wp_fin_select_gt(power_usd_per_mwh, be, 0.0, energy_mwh * power_usd_per_mwh);
  return o;
}

#endif
