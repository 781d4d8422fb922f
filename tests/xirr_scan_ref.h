/*
** tests/xirr_scan_ref.h — the XIRR of commit d1dbf2d (grid scan of ln(1+r) over (-99%, +1e6%),
** every bracketed root refined by safeguarded Newton), frozen as the reference the faster
** wp_finance_xirr must match (tests/test_finance.c, bench/bench_xirr.c,
** tests/data/xirr_reference.csv). Not used by the library.
*/
#ifndef WP_TEST_XIRR_SCAN_REF_H
#define WP_TEST_XIRR_SCAN_REF_H

#include <math.h>
#include <string.h>

#include "wattpivot/finance.h"

/* NPV as a function of x = ln(1 + r) (smooth and monotone in each term), and d/dx. */
static inline double scan_npv_x(const double *cf, const double *d, size_t n, double x, double *dfdx)
{
  double f = 0.0, g = 0.0;
  for (size_t i = 0; i < n; i++) {
    if (cf[i] == 0.0) continue;
    double t = (d[i] - d[0]) / 365.0;
    double term = cf[i] * exp(-t * x);
    f += term;
    g -= t * term;
  }
  if (dfdx) *dfdx = g;
  return f;
}

/* Newton safeguarded by bisection on [a, b] where f(a), f(b) have opposite signs. */
static inline double scan_refine_root(const double *cf, const double *d, size_t n, double a,
                                      double fa, double b, double x0)
{
  double lo = fa < 0 ? a : b, hi = fa < 0 ? b : a;
  double x = (x0 > fmin(a, b) && x0 < fmax(a, b)) ? x0 : 0.5 * (a + b);
  double dxold = fabs(b - a), dx = dxold, g = 0.0;
  double f = scan_npv_x(cf, d, n, x, &g);
  for (int it = 0; it < 300 && f != 0.0; it++) {
    if (((x - hi) * g - f) * ((x - lo) * g - f) > 0.0 || fabs(2.0 * f) > fabs(dxold * g)) {
      dxold = dx;
      dx = 0.5 * (hi - lo);
      x = lo + dx;
    } else {
      dxold = dx;
      dx = f / g;
      x -= dx;
    }
    if (fabs(dx) <= 1e-15 * (1.0 + fabs(x))) break;
    f = scan_npv_x(cf, d, n, x, &g);
    if (f < 0)
      lo = x;
    else
      hi = x;
  }
  return x;
}

/* Unbracketed Newton from 10% for a root where NPV touches zero without crossing (a double
** root): accepted once |NPV| is at the rounding-noise level of its terms. */
static inline int scan_tangent_root(const double *cf, const double *d, size_t n, double *xr)
{
  double x = log1p(0.10), g = 0.0;
  for (int it = 0; it < 200; it++) {
    double f = scan_npv_x(cf, d, n, x, &g), scale = 0.0;
    for (size_t i = 0; i < n; i++)
      scale += fabs(cf[i]) * exp(-(d[i] - d[0]) / 365.0 * x);
    if (fabs(f) <= 1e-13 * scale) {
      *xr = x;
      return 1;
    }
    if (g == 0.0 || !isfinite(f)) return 0;
    x -= f / g;
    if (!isfinite(x) || x < log(0.01) || x > log1p(1e4)) return 0;
  }
  return 0;
}

static inline void scan_add_root(wp_irr_result *out, double r)
{
  for (size_t k = 0; k < out->roots && k < WP_FINANCE_IRR_MAX_ROOTS; k++)
    if (fabs(out->root[k] - r) <= 1e-9 * (1.0 + fabs(r))) return;
  if (out->roots < WP_FINANCE_IRR_MAX_ROOTS) out->root[out->roots] = r;
  out->roots++;
}

static inline wp_status wp_xirr_scan_reference(const double *flows_usd, const double *dates_days,
                                               size_t n, wp_irr_result *out, wp_error *err)
{
  if (!out) return wp_error_set(err, WP_EINVAL, "IRR result is NULL");
  memset(out, 0, sizeof *out);
  double npv0;
  wp_status st = wp_finance_xnpv(flows_usd, dates_days, n, 0.0, &npv0, err);
  if (st) return st;
  int changes = 0, last = 0;
  double tmax = 0.0;
  for (size_t i = 0; i < n; i++) {
    int s = (flows_usd[i] > 0) - (flows_usd[i] < 0);
    if (s && last && s != last) changes++;
    if (s) last = s;
    tmax = fmax(tmax, fabs(dates_days[i] - dates_days[0]) / 365.0);
  }
  if (changes == 0)
    return wp_error_set(err, WP_ENOROOT, "IRR: none — the cash flows never change sign");
  /* Domain of x = ln(1+r): r in (-99%, +1,000,000%); keep exp() finite on long series. */
  double xlo = log(0.01), xhi = log1p(1e4);
  if (tmax > 0 && -700.0 / tmax > xlo) xlo = -700.0 / tmax;
  const double x10 = log1p(0.10);
  if (changes == 1) {
    double flo = scan_npv_x(flows_usd, dates_days, n, xlo, NULL);
    double fhi = scan_npv_x(flows_usd, dates_days, n, xhi, NULL);
    if (flo == 0.0)
      scan_add_root(out, expm1(xlo));
    else if (fhi == 0.0)
      scan_add_root(out, expm1(xhi));
    else if ((flo < 0) != (fhi < 0))
      scan_add_root(out, expm1(scan_refine_root(flows_usd, dates_days, n, xlo, flo, xhi, x10)));
  } else {
    const double band_lo = log(0.7), band_hi = log(2.0);
    double xa = xlo, fa = scan_npv_x(flows_usd, dates_days, n, xa, NULL);
    if (fa == 0.0) scan_add_root(out, expm1(xa));
    while (xa < xhi) {
      double step = (xa >= band_lo - 1e-12 && xa < band_hi) ? 0.01 : 0.1;
      double xb = fmin(xa + step, xhi);
      if (xa < band_lo && xb > band_lo) xb = band_lo;
      double fb = scan_npv_x(flows_usd, dates_days, n, xb, NULL);
      if (fb == 0.0)
        scan_add_root(out, expm1(xb));
      else if (fa != 0.0 && (fa < 0) != (fb < 0))
        scan_add_root(
            out, expm1(scan_refine_root(flows_usd, dates_days, n, xa, fa, xb, 0.5 * (xa + xb))));
      xa = xb;
      fa = fb;
    }
    double xt;
    if (out->roots == 0 && scan_tangent_root(flows_usd, dates_days, n, &xt))
      scan_add_root(out, expm1(xt));
  }
  if (out->roots == 0)
    return wp_error_set(err, WP_ENOROOT,
                        "IRR: none — NPV(r) has no root for r in (-99%%, +1,000,000%%)");
  size_t kept = out->roots < WP_FINANCE_IRR_MAX_ROOTS ? out->roots : WP_FINANCE_IRR_MAX_ROOTS;
  size_t best = 0;
  for (size_t k = 1; k < kept; k++)
    if (fabs(out->root[k] - 0.10) < fabs(out->root[best] - 0.10)) best = k;
  out->irr = out->root[best];
  out->several_roots = out->roots > 1;
  return WP_OK;
}

#endif
