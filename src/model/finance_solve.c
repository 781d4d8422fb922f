/*
** Solve-for: the input value at which a pathway's NPV is zero, by bracketing and Brent's method
** (wattpivot/finance.h; docs/model/finance.md).
*/
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "wattpivot/finance.h"

/* ================================================================== solve-for */

typedef struct solve_ctx {
  wp_finance_npv_fn fn;
  void *ctx;
  wp_error *err;
  wp_status st;
  int evaluations;
} solve_ctx;

static double solve_eval(double x, void *p)
{
  solve_ctx *s = p;
  double npv = 0.0;
  if (s->st) return NAN;
  s->evaluations++;
  s->st = s->fn(x, s->ctx, &npv, s->err);
  if (!s->st && !isfinite(npv))
    s->st = wp_error_set(s->err, WP_EINVAL, "NPV callback returned %g at x = %.17g", npv, x);
  return s->st ? NAN : npv;
}

static int opposite(double a, double b)
{
  return (a <= 0 && b >= 0) || (a >= 0 && b <= 0);
}

wp_status wp_finance_solve_npv_zero(wp_finance_npv_fn npv_of, void *ctx,
                                    const wp_finance_solve_opts *o, wp_finance_solve_result *out,
                                    wp_error *err)
{
  if (!npv_of || !o || !out) return wp_error_set(err, WP_EINVAL, "solve: NULL argument");
  memset(out, 0, sizeof *out);
  if (!(o->lo < o->hi) || !(o->x_min <= o->lo) || !(o->hi <= o->x_max) || !isfinite(o->lo) ||
      !isfinite(o->hi))
    return wp_error_set(err, WP_EINVAL,
                        "solve: bracket [%g, %g] must satisfy x_min %g <= lo < "
                        "hi <= x_max %g",
                        o->lo, o->hi, o->x_min, o->x_max);
  if (!(o->rel_tol > 0) || o->max_iterations < 1 || o->max_expansions < 0)
    return wp_error_set(err, WP_EINVAL,
                        "solve: rel_tol %g must be > 0, max_iterations %d >= 1, "
                        "max_expansions %d >= 0",
                        o->rel_tol, o->max_iterations, o->max_expansions);
  solve_ctx s = {npv_of, ctx, err, WP_OK, 0};
  double lo = o->lo, hi = o->hi, flo = solve_eval(lo, &s), fhi = s.st ? 0 : solve_eval(hi, &s);
  double a = lo, b = hi, fa = flo, fb = fhi;
  int found = !s.st && opposite(flo, fhi);
  for (int k = 0; !s.st && !found && k < o->max_expansions; k++) {
    double w = hi - lo;
    int moved = 0;
    if (lo > o->x_min) {
      double nlo = fmax(o->x_min, lo - w), f = solve_eval(nlo, &s);
      if (s.st) break;
      if (opposite(f, flo)) {
        a = nlo;
        fa = f;
        b = lo;
        fb = flo;
        found = 1;
      }
      lo = nlo;
      flo = f;
      moved = 1;
    }
    if (!found && hi < o->x_max) {
      double nhi = fmin(o->x_max, hi + w), f = solve_eval(nhi, &s);
      if (s.st) break;
      if (opposite(f, fhi)) {
        a = hi;
        fa = fhi;
        b = nhi;
        fb = f;
        found = 1;
      }
      hi = nhi;
      fhi = f;
      moved = 1;
    }
    if (!moved) break;
  }
  out->evaluations = s.evaluations;
  if (s.st) return s.st;
  if (!found)
    return wp_error_set(err, WP_ENOROOT,
                        "solve: NPV does not change sign for x in [%.6g, %.6g] "
                        "(NPV %.6g and %.6g USD): no value makes NPV = 0 there",
                        lo, hi, flo, fhi);
  out->bracket_lo = a;
  out->bracket_hi = b;
  if (fa == 0.0 || fb == 0.0) {
    out->x = fa == 0.0 ? a : b;
    out->npv_usd = 0.0;
    return WP_OK;
  }
  gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
  if (!solver) return wp_error_set(err, WP_ENOMEM, "solve: cannot allocate the GSL solver");
  gsl_function F = {solve_eval, &s};
  wp_status rc = WP_OK;
  if (gsl_root_fsolver_set(solver, &F, a, b) != GSL_SUCCESS) {
    rc = s.st ? s.st : wp_error_set(err, WP_ENOROOT, "solve: GSL rejected bracket [%g, %g]", a, b);
    goto done;
  }
  double x = 0.5 * (a + b);
  int status = GSL_CONTINUE;
  for (int it = 0; it < o->max_iterations && status == GSL_CONTINUE; it++) {
    int gs = gsl_root_fsolver_iterate(solver);
    if (s.st) {
      rc = s.st;
      goto done;
    }
    if (gs != GSL_SUCCESS) {
      rc = wp_error_set(err, WP_ENOROOT, "solve: GSL Brent failed (%s) in [%g, %g]",
                        gsl_strerror(gs), a, b);
      goto done;
    }
    x = gsl_root_fsolver_root(solver);
    status = gsl_root_test_interval(gsl_root_fsolver_x_lower(solver),
                                    gsl_root_fsolver_x_upper(solver), 1e-300, o->rel_tol);
  }
  if (status != GSL_SUCCESS) {
    rc = wp_error_set(err, WP_ENOROOT, "solve: no convergence in %d iterations (x = %.17g)",
                      o->max_iterations, x);
    goto done;
  }
  out->x = x;
  out->npv_usd = solve_eval(x, &s);
  out->evaluations = s.evaluations;
  if (s.st) rc = s.st;
done:
  gsl_root_fsolver_free(solver);
  return rc;
}
