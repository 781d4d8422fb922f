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

/* wp_revenue_mining_core_eval for lanes: revenue and power (+0 when curtailed) and which lanes
** are curtailed (none when the fleet never curtails). */
typedef struct wp_v4_mining {
  wp_v4i curtailed; /* the lanes whose power price is above the break-even (when curtailing) */
  wp_v4d revenue, power;
} wp_v4_mining;

/*
** The lanes whose power price p is above the break-even WP_REV_BREAKEVEN(hp_usd, eff, keep,
** pue): exactly the comparison with the break-even and its two divisions, decided with the
** reciprocals' products when p is clear of it. The product is within 9 units in the last place
** of the break-even (three roundings there, five here); a lane within 2^-40 of it (relative, or
** 2^-1000 absolute) or not finite takes the divisions. On this machine a division is about
** twenty multiplications' time, and prices almost never fall that close.
*/
static inline wp_v4i wp_v4_above_breakeven(wp_v4d p, wp_v4d hp_usd, double eff_j_per_th,
                                           double keep, double pue)
{
  const double inv_rev = 1.0 / (0.024 * eff_j_per_th), inv_pue = 1.0 / pue;
  const wp_v4d approx = hp_usd * inv_rev * keep * inv_pue;
  const wp_v4i magnitude = ~(wp_v4i)wp_v4_splat(-0.0); /* clears the sign bit */
  const wp_v4d dist = (wp_v4d)((wp_v4i)(p - approx) & magnitude);
  const wp_v4d band = (wp_v4d)((wp_v4i)approx & magnitude) * 0x1p-40 + 0x1p-1000;
  if (_mm256_movemask_pd((__m256d)(dist > band)) == 0xf) return p > approx;
  return p > WP_REV_BREAKEVEN(hp_usd, eff_j_per_th, keep, pue);
}

static inline wp_v4_mining wp_v4_mining_core(wp_v4d ph, double eff_j_per_th, double keep,
                                             double pue, double uptime, int curtail, double days,
                                             wp_v4d energy_mwh, wp_v4d hashprice_btc,
                                             wp_v4d btc_price_usd, wp_v4d power_usd_per_mwh)
{
  const wp_v4d zero = {0.0, 0.0, 0.0, 0.0};
  wp_v4_mining o;
  wp_v4d hp_usd = WP_REV_HASHPRICE_USD(hashprice_btc, btc_price_usd);
  const wp_v4i none = {0, 0, 0, 0}; /* p > +inf: never */
  o.curtailed = curtail ? wp_v4_above_breakeven(power_usd_per_mwh, hp_usd, eff_j_per_th, keep, pue)
                        : none;
  wp_v4d btc = WP_REV_BTC_MINED(ph, hashprice_btc, days, uptime, keep);
  o.revenue = wp_v4_blend(o.curtailed, zero, btc * btc_price_usd);
  o.power = wp_v4_blend(o.curtailed, zero, energy_mwh * power_usd_per_mwh);
  return o;
}

#endif
