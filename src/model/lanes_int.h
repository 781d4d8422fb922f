/*
** Internal: lanes of Monte Carlo paths. The risk kernel evaluates WP_LANES paths at once in a
** GCC vector of doubles; each operation is the IEEE operation of the scalar code lane by lane
** (no reassociation, no contraction: the build passes -ffp-contract=off), and the expressions
** are the scalar code's own macros (finance_int.h, revenue_int.h), so a lane gives exactly the
** bits of the scalar evaluation (tests/test_pathway_fast.c checks it).
*/
#ifndef WP_LANES_INT_H
#define WP_LANES_INT_H
#include <math.h>
#include <stdint.h>
#if defined(__AVX__)
#include <immintrin.h>
#endif

#include "finance_int.h"
#include "revenue_int.h"

#define WP_LANES 4
typedef double wp_v4d __attribute__((vector_size(WP_LANES * sizeof(double))));
typedef int64_t wp_v4i __attribute__((vector_size(WP_LANES * sizeof(int64_t))));

static inline wp_v4d wp_v4_splat(double x)
{
  return (wp_v4d){x, x, x, x};
}

/* mask ? a : b lane by lane (mask lanes all ones or all zeros, as comparisons give). With AVX
** (the lanes code is compiled for AVX2) one floating-point blend, which takes a lane by its
** mask's sign bit: the same selection, without moving the values to the integer units. */
static inline wp_v4d wp_v4_blend(wp_v4i mask, wp_v4d a, wp_v4d b)
{
#if defined(__AVX__)
  return (wp_v4d)_mm256_blendv_pd((__m256d)b, (__m256d)a, (__m256d)mask);
#else
  return (wp_v4d)(((wp_v4i)a & mask) | ((wp_v4i)b & ~mask));
#endif
}
/* x > y ? a : b */
static inline wp_v4d wp_v4_select_gt(wp_v4d x, wp_v4d y, wp_v4d a, wp_v4d b)
{
  return wp_v4_blend(x > y, a, b);
}
/* x <= y ? a : b */
static inline wp_v4d wp_v4_select_le(wp_v4d x, wp_v4d y, wp_v4d a, wp_v4d b)
{
  return wp_v4_blend(x <= y, a, b);
}
/* a < b ? a : b */
static inline wp_v4d wp_v4_min(wp_v4d a, wp_v4d b)
{
  return wp_v4_blend(a < b, a, b);
}

/* A month's record, its steps' outputs and its financing, in lanes (finance_int.h, "A month's
** finance"). */
typedef struct wp_v4_month {
  WP_FIN_MONTH_FIELDS(wp_v4d)
} wp_v4_month;
typedef struct wp_v4_step {
  WP_FIN_STEP_FIELDS(wp_v4d)
} wp_v4_step;
typedef struct wp_v4_financing {
  wp_v4d lease_funding, lease_payment, construction_draw, construction_repay, term_draw,
      term_interest, term_principal, conv_proceeds, conv_coupon, conv_repay;
} wp_v4_financing;

/* wp_fin_tax_month for lanes. */
static inline wp_v4d wp_v4_tax_month(wp_v4d taxable, double rate, double limit, wp_v4d *nol,
                                     wp_v4d *used)
{
  const wp_v4d zero = {0.0, 0.0, 0.0, 0.0};
  wp_v4d tax;
  WP_FIN_TAX_MONTH(wp_v4d, wp_v4_select_le, wp_v4_min, zero, taxable, rate, limit, nol, used,
                   &tax);
  return tax;
}

/* wp_revenue_mining_core_eval for lanes: revenue and power (+0 when curtailed) and the price
** above which a lane is curtailed (+inf when the fleet never curtails). */
typedef struct wp_v4_mining {
  wp_v4d curtail_above, revenue, power;
} wp_v4_mining;

static inline wp_v4_mining wp_v4_mining_core(wp_v4d ph, double eff_j_per_th, double keep,
                                             double pue, double uptime, int curtail, double days,
                                             wp_v4d energy_mwh, wp_v4d hashprice_btc,
                                             wp_v4d btc_price_usd, wp_v4d power_usd_per_mwh)
{
  const wp_v4d zero = {0.0, 0.0, 0.0, 0.0};
  wp_v4_mining o;
  wp_v4d hp_usd = WP_REV_HASHPRICE_USD(hashprice_btc, btc_price_usd);
  o.curtail_above =
      curtail ? WP_REV_BREAKEVEN(hp_usd, eff_j_per_th, keep, pue) : wp_v4_splat(HUGE_VAL);
  wp_v4d btc = WP_REV_BTC_MINED(ph, hashprice_btc, days, uptime, keep);
  o.revenue = wp_v4_select_gt(power_usd_per_mwh, o.curtail_above, zero, btc * btc_price_usd);
  o.power =
      wp_v4_select_gt(power_usd_per_mwh, o.curtail_above, zero, energy_mwh * power_usd_per_mwh);
  return o;
}

#endif
