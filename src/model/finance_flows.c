/*
** Cash-flow arithmetic as a spreadsheet computes it: XNPV and XIRR on Actual/365 dates, payback,
** MOIC and peak funding (wattpivot/finance.h; docs/model/finance.md).
*/
#include <math.h>
#include <string.h>

#include "core/simd_int.h"
#include "wattpivot/finance.h"

/* ================================================================== XNPV / XIRR */

static wp_status check_flows(const double *flows, const double *dates, size_t n, wp_error *err)
{
  if (!flows || !dates) return wp_error_set(err, WP_EINVAL, "flows or dates is NULL");
  if (n == 0) return wp_error_set(err, WP_EINVAL, "no cash flows (n = 0)");
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(flows[i]))
      return wp_error_set(err, WP_EINVAL, "cash flow %zu is %g: must be finite", i, flows[i]);
    if (!isfinite(dates[i]))
      return wp_error_set(err, WP_EINVAL, "date %zu is %g: must be finite", i, dates[i]);
  }
  return WP_OK;
}

wp_status wp_finance_xnpv(const double *flows_usd, const double *dates_days, size_t n, double rate,
                          double *npv_usd, wp_error *err)
{
  wp_status st = check_flows(flows_usd, dates_days, n, err);
  if (st) return st;
  if (!npv_usd) return wp_error_set(err, WP_EINVAL, "npv_usd is NULL");
  if (!(rate > -1.0) || !isfinite(rate))
    return wp_error_set(err, WP_EINVAL, "discount rate %g out of range (-1, +inf)", rate);
  double npv = 0.0, base = 1.0 + rate;
  for (size_t i = 0; i < n; i++)
    npv += flows_usd[i] / pow(base, (dates_days[i] - dates_days[0]) / 365.0);
  *npv_usd = npv;
  return WP_OK;
}

/* NPV as a function of x = ln(1 + r) (smooth and monotone in each term), and d/dx: the plain
** sum, for the scan of unsorted or very long series and the tangent search. */
static double npv_x(const double *cf, const double *d, size_t n, double x, double *dfdx)
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

/* An NPV of x = ln(1 + r) with its derivative, for the root refinement. */
typedef double (*npv_fn)(void *ctx, double x, double *dfdx);

typedef struct plain_flows {
  const double *cf, *d;
  size_t n;
} plain_flows;

static double plain_npv(void *ctx, double x, double *dfdx)
{
  const plain_flows *p = ctx;
  return npv_x(p->cf, p->d, p->n, x, dfdx);
}

/*
** Newton safeguarded by bisection on [a, b] where f(a), f(b) have opposite signs, from x in
** (a, b) where f = fx, f' = gx (evaluated when have_x is 0). Stops when the step falls below
** 1e-15 (1 + |x|), or one step earlier when quadratic convergence (the last two Newton steps)
** puts the error of the next step below that.
*/
static double refine_from(npv_fn fn, void *ctx, double a, double fa, double b, double x, int have_x,
                          double fx, double gx)
{
  double lo = fa < 0 ? a : b, hi = fa < 0 ? b : a;
  if (!(x > fmin(a, b) && x < fmax(a, b))) {
    x = 0.5 * (a + b);
    have_x = 0;
  }
  double dxold = fabs(b - a), dx = dxold, g = gx, newton_prev = 0.0;
  double f = have_x ? fx : fn(ctx, x, &g);
  for (int it = 0; it < 300 && f != 0.0; it++) {
    if (((x - hi) * g - f) * ((x - lo) * g - f) > 0.0 || fabs(2.0 * f) > fabs(dxold * g)) {
      dxold = dx;
      dx = 0.5 * (hi - lo);
      x = lo + dx;
      newton_prev = 0.0;
    } else {
      dxold = dx;
      dx = f / g;
      x -= dx;
      double tol = 1e-15 * (1.0 + fabs(x));
      if (newton_prev != 0.0 && fabs(dx) <= 1e-6 * (1.0 + fabs(x)) &&
          fabs(dx) * (fabs(dx) / (newton_prev * newton_prev)) * fabs(dx) <= tol)
        break;
      newton_prev = dx;
    }
    if (fabs(dx) <= 1e-15 * (1.0 + fabs(x))) break;
    f = fn(ctx, x, &g);
    if (f < 0)
      lo = x;
    else
      hi = x;
  }
  return x;
}

static double refine_root(npv_fn fn, void *ctx, double a, double fa, double b, double x0)
{
  return refine_from(fn, ctx, a, fa, b, x0, 0, 0.0, 0.0);
}

/* Unbracketed Newton from 10% for a root where NPV touches zero without crossing (a double
** root): accepted once |NPV| is at the rounding-noise level of its terms. */
static int tangent_root(const double *cf, const double *d, size_t n, double *xr)
{
  double x = log1p(0.10), g = 0.0;
  for (int it = 0; it < 200; it++) {
    double f = npv_x(cf, d, n, x, &g), scale = 0.0;
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

/* Record root r (deduplicated; the list keeps the smallest WP_FINANCE_IRR_MAX_ROOTS, ascending). */
static void add_root(wp_irr_result *out, double r)
{
  size_t kept = out->roots < WP_FINANCE_IRR_MAX_ROOTS ? out->roots : WP_FINANCE_IRR_MAX_ROOTS;
  for (size_t k = 0; k < kept; k++)
    if (fabs(out->root[k] - r) <= 1e-9 * (1.0 + fabs(r))) return;
  size_t at = kept;
  while (at > 0 && out->root[at - 1] > r)
    at--;
  if (at < WP_FINANCE_IRR_MAX_ROOTS) {
    size_t move = (kept < WP_FINANCE_IRR_MAX_ROOTS ? kept : WP_FINANCE_IRR_MAX_ROOTS - 1) - at;
    memmove(out->root + at + 1, out->root + at, move * sizeof *out->root);
    out->root[at] = r;
  }
  out->roots++;
}

/* The grid scan (docs/model/finance.md): NPV on a grid of x, every sign change refined. For
** dates out of order or more nonzero flows than the sign-pattern search holds. */
static void scan_roots(const double *cf, const double *d, size_t n, double xlo, double xhi,
                       wp_irr_result *out)
{
  plain_flows pf = {cf, d, n};
  const double band_lo = log(0.7), band_hi = log(2.0);
  double xa = xlo, fa = npv_x(cf, d, n, xa, NULL);
  if (fa == 0.0) add_root(out, expm1(xa));
  while (xa < xhi) {
    double step = (xa >= band_lo - 1e-12 && xa < band_hi) ? 0.01 : 0.1;
    double xb = fmin(xa + step, xhi);
    if (xa < band_lo && xb > band_lo) xb = band_lo;
    double fb = npv_x(cf, d, n, xb, NULL);
    if (fb == 0.0)
      add_root(out, expm1(xb));
    else if (fa != 0.0 && (fa < 0) != (fb < 0))
      add_root(out, expm1(refine_root(plain_npv, &pf, xa, fa, xb, 0.5 * (xa + xb))));
    xa = xb;
    fa = fb;
  }
}

/* ------------------------------------------------------------------ sign-pattern search */

/*
** The nonzero flows in date order, for the search that brackets roots from the sign pattern
** of discounted partial sums (docs/model/finance.md, "XIRR"). NPV is evaluated without one
** exp() per flow: the flows form four interleaved streams (flow k is in stream k mod 4), and a
** flow's discount factor is the factor of its stream's previous flow times the factor of the
** gap between them (a table of whole-day gaps: monthly flows have four); every IRR_ANCHOR-th
** factor of a stream (and any gap not in the table) is an exact exp(), so rounding never
** compounds over more products. Four streams are four vector lanes (AVX2) or four short
** dependency chains.
*/
#define IRR_TERMS   1200     /* nonzero flows held: 100 years of months */
#define IRR_GAPS    8        /* distinct gaps between a stream's flows (monthly: 120..123 days) */
#define IRR_NOGAP   IRR_GAPS /* the gap slot whose factor is 0: the flow's factor is exact */
#define IRR_ANCHOR  48       /* products between exact factors, per stream */
#define IRR_STREAMS 4

typedef struct irr_terms {
  size_t k, ngaps;
  double gap_years[IRR_GAPS];
  double c[IRR_TERMS];          /* the nonzero flows */
  double t[IRR_TERMS];          /* their dates, years after the first date */
  unsigned char gap[IRR_TERMS]; /* gap slot to the stream's previous flow, or IRR_NOGAP */
  size_t nexact;
  unsigned short exact[IRR_TERMS]; /* the flows whose factor is an exact exp() */
  double xe[IRR_TERMS];            /* those exact factors (0 for every other flow) */
  double y[IRR_TERMS];             /* the discounted flows of the last evaluation */
  double pos, neg;                 /* their positive sum and minus their negative sum */
  double dpos, dneg;               /* the slopes of both (<= 0) */
  int unresolved;                  /* 1: an interval that may hide a double root was left */
  int changes; /* sign changes of the flows: no more real roots than that (Descartes) */
} irr_terms;

/*
** Fill T from the flows in one pass: 1 when they fit and their dates are in order, none before
** the first date (the search's premises: ordered exponents for the sign rule, every discount
** factor falling in x), with T->changes the sign changes of the flows; 0 when not (the caller
** scans instead); -1 when a flow or a date is not finite.
*/
static int terms_build(irr_terms *T, const double *cf, const double *d, size_t n)
{
  T->ngaps = T->nexact = 0;
  T->unresolved = 0;
  unsigned char slot[256]; /* gap of a whole number of days -> its slot in gap_years */
  memset(slot, IRR_NOGAP, sizeof slot);
  const double d0 = d[0];
  double tprev = 0.0, zc = 0.0, zd = 0.0; /* sums: finite unless a value is not (or overflow) */
  double dlast[IRR_STREAMS] = {0};        /* each stream's last date */
  int run[IRR_STREAMS] = {IRR_ANCHOR, IRR_ANCHOR, IRR_ANCHOR, IRR_ANCHOR};
  int changes = 0, last_neg = 0;
  for (size_t i = 0; i < n; i++) /* the first nonzero flow's sign: no change counted there */
    if (cf[i] != 0.0 || cf[i] != cf[i]) {
      last_neg = cf[i] < 0;
      break;
    }
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    const double c = cf[i], di = d[i];
    zc += c;
    zd += di;
    if (c == 0.0) continue;
    const double t = (di - d0) * (1.0 / 365.0); /* a product: one division per flow would cost
                                                  a good part of the search */
    if (k == IRR_TERMS || !(t >= tprev)) return check_flows(cf, d, n, NULL) ? -1 : 0;
    tprev = t;
    const int neg = c < 0;
    changes += neg ^ last_neg;
    last_neg = neg;
    const size_t l = k % IRR_STREAMS;
    const double gd = di - dlast[l]; /* >= 0: in order */
    unsigned char gi = IRR_NOGAP;
    if (run[l] < IRR_ANCHOR && gd < 256.0) {
      const int gw = (int)gd;
      if ((double)gw == gd) {
        if (slot[gw] == IRR_NOGAP && T->ngaps < IRR_GAPS) {
          T->gap_years[T->ngaps] = gd * (1.0 / 365.0);
          slot[gw] = (unsigned char)T->ngaps++;
        }
        gi = slot[gw];
      }
    }
    if (gi == IRR_NOGAP) {
      T->exact[T->nexact++] = (unsigned short)k;
      run[l] = 0;
    } else {
      run[l]++;
    }
    T->c[k] = c;
    T->t[k] = t;
    T->xe[k] = 0.0;
    T->gap[k++] = gi;
    dlast[l] = di;
  }
  if (!isfinite(zc) || !isfinite(zd)) /* a sum overflowing is no error: look at each value */
    if (check_flows(cf, d, n, NULL)) return -1;
  T->k = k;
  T->changes = changes;
  return 1;
}

/* The sums over the discounted flows y = c e: y, |y|, t y, t |y|, t^2 y, t^2 |y| (d/dx of the
** first two are minus the next two, d2/dx2 plus the last two). G: the gaps' factors, G[IRR_NOGAP]
** = 0 so that e = e G + xe is the chained factor or the exact one. */
enum { SUM_Y, SUM_A, SUM_TY, SUM_TA, SUM_TTY, SUM_TTA, SUM_COUNT };

/* One discounted flow y = c e at t into the sums (and into T->y[k]). */
static inline void sum_term(irr_terms *T, size_t k, double e, double s[SUM_COUNT])
{
  const double y = T->c[k] * e, a = fabs(y), t = T->t[k], ty = t * y, ta = t * a;
  T->y[k] = y;
  s[SUM_Y] += y;
  s[SUM_A] += a;
  s[SUM_TY] += ty;
  s[SUM_TA] += ta;
  s[SUM_TTY] += t * ty;
  s[SUM_TTA] += t * ta;
}

static void terms_sums_scalar(irr_terms *T, const double *G, size_t from, double e[IRR_STREAMS],
                              double sums[SUM_COUNT])
{
  const double *xe = T->xe;
  const unsigned char *gap = T->gap;
  double s[SUM_COUNT];
  for (int j = 0; j < SUM_COUNT; j++)
    s[j] = sums[j];
  size_t k = from;
  if (k % IRR_STREAMS == 0) { /* whole blocks: the four streams in four registers */
    double e0 = e[0], e1 = e[1], e2 = e[2], e3 = e[3];
    for (; k + IRR_STREAMS <= T->k; k += IRR_STREAMS) {
      e0 = e0 * G[gap[k]] + xe[k];
      e1 = e1 * G[gap[k + 1]] + xe[k + 1];
      e2 = e2 * G[gap[k + 2]] + xe[k + 2];
      e3 = e3 * G[gap[k + 3]] + xe[k + 3];
      sum_term(T, k, e0, s);
      sum_term(T, k + 1, e1, s);
      sum_term(T, k + 2, e2, s);
      sum_term(T, k + 3, e3, s);
    }
    e[0] = e0;
    e[1] = e1;
    e[2] = e2;
    e[3] = e3;
  }
  for (; k < T->k; k++) { /* the flows past the last whole block */
    const size_t l = k % IRR_STREAMS;
    e[l] = e[l] * G[gap[k]] + xe[k];
    sum_term(T, k, e[l], s);
  }
  for (int j = 0; j < SUM_COUNT; j++)
    sums[j] = s[j];
}

#if defined(WP_VECTOR_BUILD)
#pragma GCC push_options
#pragma GCC target("avx2")
#include <immintrin.h>

/* The four streams in the four lanes; the flows past the last whole block go on in scalar. */
static void terms_sums_avx2(irr_terms *T, const double *G, double sums[SUM_COUNT])
{
  const size_t blocks = T->k / IRR_STREAMS * IRR_STREAMS;
  const __m256d absmask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
  __m256d e = _mm256_setzero_pd(), v[SUM_COUNT];
  for (int j = 0; j < SUM_COUNT; j++)
    v[j] = _mm256_setzero_pd();
  for (size_t k = 0; k < blocks; k += 4) {
    const unsigned char *g = T->gap + k;
    const __m256d gv = _mm256_set_pd(G[g[3]], G[g[2]], G[g[1]], G[g[0]]);
    e = _mm256_add_pd(_mm256_mul_pd(e, gv), _mm256_loadu_pd(T->xe + k));
    const __m256d y = _mm256_mul_pd(_mm256_loadu_pd(T->c + k), e), t = _mm256_loadu_pd(T->t + k);
    const __m256d a = _mm256_and_pd(y, absmask), ty = _mm256_mul_pd(t, y), ta = _mm256_mul_pd(t, a);
    _mm256_storeu_pd(T->y + k, y);
    v[SUM_Y] = _mm256_add_pd(v[SUM_Y], y);
    v[SUM_A] = _mm256_add_pd(v[SUM_A], a);
    v[SUM_TY] = _mm256_add_pd(v[SUM_TY], ty);
    v[SUM_TA] = _mm256_add_pd(v[SUM_TA], ta);
    v[SUM_TTY] = _mm256_add_pd(v[SUM_TTY], _mm256_mul_pd(t, ty));
    v[SUM_TTA] = _mm256_add_pd(v[SUM_TTA], _mm256_mul_pd(t, ta));
  }
  double lanes[4], el[IRR_STREAMS];
  for (int j = 0; j < SUM_COUNT; j++) {
    _mm256_storeu_pd(lanes, v[j]);
    sums[j] = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
  }
  _mm256_storeu_pd(el, e);
  /* Clean upper halves before the SSE code that follows: GCC does not always insert this under
  ** a target pragma, and a dirty state slows every later SSE instruction (measured: the site
  ** evaluation 9 -> 16 us). */
  _mm256_zeroupper();
  terms_sums_scalar(T, G, blocks, el, sums);
}
#pragma GCC pop_options
#endif

/*
** The function whose roots are the IRRs, at x: ln(pos/neg), where pos and neg are the sums of
** the positive and (minus) the negative discounted flows. Same roots and same sign as NPV but
** nearly straight in x (exactly so for one outflow and one inflow), so Newton converges in a
** few steps from far away; the NPV itself when a sum is 0 or not finite. In *dfdx the slope
** for a Halley step: d1 (1 - phi d2 / (2 d1^2)), which converges cubically; plain Newton's d1
** where that correction is large (far from a simple root).
*/
static double terms_npv(void *ctx, double x, double *dfdx)
{
  irr_terms *T = ctx;
  double G[IRR_GAPS + 1], sums[SUM_COUNT] = {0};
  for (size_t j = 0; j < T->ngaps; j++)
    G[j] = exp(-x * T->gap_years[j]);
  G[IRR_NOGAP] = 0.0;
  for (size_t j = 0; j < T->nexact; j++) /* the exact factors first: no call in the sums */
    T->xe[T->exact[j]] = exp(-T->t[T->exact[j]] * x);
#if defined(WP_VECTOR_BUILD)
  if (wp_simd_enabled())
    terms_sums_avx2(T, G, sums);
  else
#endif
  {
    double e[IRR_STREAMS] = {0};
    terms_sums_scalar(T, G, 0, e, sums);
  }
  const double sum = sums[SUM_Y], mag = sums[SUM_A], dsum = -sums[SUM_TY], dmag = -sums[SUM_TA];
  double pos = 0.5 * (mag + sum), neg = 0.5 * (mag - sum);
  T->pos = pos;
  T->neg = neg;
  T->dpos = 0.5 * (dmag + dsum);
  T->dneg = 0.5 * (dmag - dsum);
  if (pos > 0 && neg > 0 && isfinite(pos) && isfinite(neg)) {
    const double lp = T->dpos / pos, ln = T->dneg / neg;
    const double phi = log(pos / neg), d1 = lp - ln;
    const double hs = sums[SUM_TTY], hm = sums[SUM_TTA];
    const double d2 = 0.5 * (hm + hs) / pos - lp * lp - 0.5 * (hm - hs) / neg + ln * ln;
    const double h = d1 != 0.0 ? phi * d2 / (2.0 * d1 * d1) : 0.0;
    if (dfdx) *dfdx = (h > -0.5 && h < 0.5) ? d1 * (1.0 - h) : d1;
    return phi;
  }
  if (dfdx) *dfdx = dsum;
  return sum;
}

/*
** A point of the search: ln(pos/neg) (the sign of NPV) and its slope, the sums of its positive
** and negative discounted flows and their slopes (both sums fall as x grows), and the sign
** changes of the running sums that bound the roots on each side (Laguerre's rule: roots above x
** <= changes of the running sums of the discounted flows, roots below x <= changes of their
** sums from the end).
*/
typedef struct irr_point {
  double x, f, g, pos, neg, dpos, dneg;
  int above, below;
  int known;
} irr_point;

/*
** Sign changes of the running sums of the discounted flows from the first (*above) and from the
** last (*below). A sum exactly 0 counts as positive, which can only add changes (a larger
** bound: more splitting, never a missed root). Both directions and two flows per step: short
** dependency chains.
*/
static void sum_sign_changes(const double *y, size_t n, int *above, int *below)
{
  int ca = 0, cb = 0, la = n && y[0] < 0, lb = n && y[n - 1] < 0;
  double sf = 0.0, sb = 0.0;
  size_t i = 0;
  for (; i + 1 < n; i += 2) {
    const int f1 = sf + y[i] < 0, b1 = sb + y[n - 1 - i] < 0;
    sf += y[i] + y[i + 1];
    sb += y[n - 1 - i] + y[n - 2 - i];
    const int f2 = sf < 0, b2 = sb < 0;
    ca += (f1 ^ la) + (f2 ^ f1);
    cb += (b1 ^ lb) + (b2 ^ b1);
    la = f2;
    lb = b2;
  }
  if (i < n) {
    const int f1 = sf + y[i] < 0, b1 = sb + y[0] < 0;
    ca += f1 ^ la;
    cb += b1 ^ lb;
  }
  *above = ca;
  *below = cb;
}

static void terms_point(irr_terms *T, irr_point *p, wp_irr_result *out)
{
  p->f = terms_npv(T, p->x, &p->g);
  p->known = 1;
  sum_sign_changes(T->y, T->k, &p->above, &p->below);
  p->pos = T->pos;
  p->neg = T->neg;
  p->dpos = T->dpos;
  p->dneg = T->dneg;
  if (p->f == 0.0) add_root(out, expm1(p->x));
}

static int opposite(double a, double b)
{
  return (a < 0 && b > 0) || (a > 0 && b < 0);
}

/* The one root between p and q (no other may lie there): Newton from p towards q while it
** stays on p's side of the root; once a step crosses, or leaves the interval, the safeguarded
** refinement on the bracket. q is evaluated only when needed. */
static void single_root(irr_terms *T, irr_point p, irr_point *q, wp_irr_result *out)
{
  double newton_prev = 0.0;
  if (p.f == 0.0) { /* p is a root itself (recorded): start just inside, towards q */
    p.x += copysign(1e-9 * (1.0 + fabs(p.x)), q->x - p.x);
    p.f = terms_npv(T, p.x, &p.g);
  }
  for (int it = 0; it < 100 && p.g != 0.0 && p.f != 0.0; it++) {
    double dx = p.f / p.g, x = p.x - dx, tol = 1e-15 * (1.0 + fabs(x));
    int inside = x > fmin(p.x, q->x) && x < fmax(p.x, q->x);
    /* Converged; or a root within rounding of p on the other side (the counts at p are then
    ** decided by noise); or quadratic convergence puts this step's error below rounding. */
    if (fabs(dx) <= tol || (!inside && fabs(dx) <= 1e3 * tol) ||
        (inside && newton_prev != 0.0 && fabs(dx) <= 1e-6 * (1.0 + fabs(x)) &&
         fabs(dx) * (fabs(dx) / (newton_prev * newton_prev)) * fabs(dx) <= tol)) {
      add_root(out, expm1(x));
      return;
    }
    if (!inside) break;
    double g, f = terms_npv(T, x, &g);
    if (f == 0.0) {
      add_root(out, expm1(x));
      return;
    }
    if (opposite(f, p.f)) {
      add_root(out, expm1(refine_from(terms_npv, T, p.x, p.f, x, x, 1, f, g)));
      return;
    }
    newton_prev = dx;
    p = (irr_point){.x = x, .f = f, .g = g, .known = 1};
  }
  if (!q->known) terms_point(T, q, out);
  if (opposite(p.f, q->f))
    add_root(out, expm1(refine_root(terms_npv, T, p.x, p.f, q->x, q->x - q->f / q->g)));
}

/* Smallest interval the search splits: 1/64 of the scan's grid step (0.01 of ln(1+r) for r in
** [-30%, +100%], 0.1 outside); there NPV not changing sign means no root. Only an interval
** the sign rule and the convexity bound both leave open gets this far: a near-double root. */
static double min_width(double x)
{
  return (x >= log(0.7) && x < log(2.0)) ? 0.01 / 64 : 0.1 / 64;
}

/*
** 1 when NPV keeps the sign it has at a and b over all of [a, b]. pos and neg are sums of
** decreasing exponentials: convex and falling in x, so each lies above its tangents and below
** its chord. Where NPV > 0 at both ends, NPV >= max(tangents of pos at a and b) - chord of neg,
** a convex broken line whose least value is at an end or where the tangents meet; where NPV < 0,
** NPV <= chord of pos - max(tangents of neg). Rounding aside, this is a proof, and it tightens
** as the interval shrinks (unlike the sign rule near a pair of complex roots).
*/
static int no_root_by_convexity(const irr_point *a, const irr_point *b)
{
  const double w = b->x - a->x;
  if (!(w > 0)) return 0;
  const int up = a->f > 0 && b->f > 0, down = a->f < 0 && b->f < 0;
  if (!up && !down) return 0;
  /* The convex function (pos when up, neg when down) and the other one (its chord). */
  const double ca = up ? a->pos : a->neg, cb = up ? b->pos : b->neg;
  const double da = up ? a->dpos : a->dneg, db = up ? b->dpos : b->dneg;
  const double oa = up ? a->neg : a->pos, ob = up ? b->neg : b->pos;
  if (!(da != db)) return 0;
  const double xi = (cb - ca + da * a->x - db * b->x) / (da - db); /* the tangents meet */
  if (!(xi > a->x && xi < b->x)) return 0; /* ends only: already of one sign */
  const double tangent = ca + da * (xi - a->x), chord = oa + (ob - oa) * (xi - a->x) / w;
  return up ? tangent - chord > 0 : chord - tangent < 0;
}

/*
** Every root in (a, b), at most bound of them. nl roots were found at or below a and nr at or
** above b: the sign rule's counts at a and b include them, so they are taken off.
*/
static void isolate(irr_terms *T, irr_point *a, irr_point *b, int bound, size_t nl, size_t nr,
                    wp_irr_result *out)
{
  if ((int)out->roots + bound > T->changes) bound = T->changes - (int)out->roots;
  if (bound <= 0) return;
  if (bound == 1 && a->known != b->known) {
    if (a->known)
      single_root(T, *a, b, out);
    else
      single_root(T, *b, a, out);
    return;
  }
  if (!a->known) terms_point(T, a, out);
  if (!b->known) terms_point(T, b, out);
  if (a->above - (int)nr < bound) bound = a->above - (int)nr;
  if (b->below - (int)nl < bound) bound = b->below - (int)nl;
  if (bound <= 0) return;
  if (no_root_by_convexity(a, b)) return;
  int cross = opposite(a->f, b->f), zero_end = a->f == 0.0 || b->f == 0.0;
  if (!zero_end && ((cross && bound <= 2) || (!cross && bound <= 1))) {
    if (cross) single_root(T, *a, b, out); /* an odd count <= 2: one root */
    return;                                /* an even count <= 1: none */
  }
  if (b->x - a->x < min_width(a->x)) {
    if (cross)
      add_root(out, expm1(refine_root(terms_npv, T, a->x, a->f, b->x, 0.5 * (a->x + b->x))));
    else
      T->unresolved = 1;
    return;
  }
  /* Split at a Newton step from an end when it lands well inside (it heads for the nearest
  ** root), else where the tangents at a and b meet (near the dip between two roots), else in the
  ** middle; the upper half first: the roots it finds tighten the count of the lower half. */
  const double w = b->x - a->x, lo = a->x + w / 16, hi = b->x - w / 16;
  double xm = 0.5 * (a->x + b->x), xa = a->x - a->f / a->g, xb = b->x - b->f / b->g;
  if (xa > lo && xa < hi)
    xm = xa;
  else if (xb > lo && xb < hi)
    xm = xb;
  else if (a->g != b->g) {
    double xt = (b->f - a->f + a->g * a->x - b->g * b->x) / (a->g - b->g);
    if (xt > lo && xt < hi) xm = xt;
  }
  irr_point m = {.x = xm};
  size_t before = out->roots;
  terms_point(T, &m, out);
  isolate(T, &m, b, bound, nl, nr, out);
  isolate(T, a, &m, bound, nl, nr + (out->roots - before), out);
}

/* Every root in [xlo, xhi]: the search starts at 10% (where most IRRs are), finds the roots
** above it, then those below, and splits only where the sign pattern allows several roots. */
static void pattern_roots(irr_terms *T, double xlo, double xhi, wp_irr_result *out)
{
  irr_point lo = {.x = xlo}, hi = {.x = xhi}, p10 = {.x = log1p(0.10)};
  if (T->changes == 1) {
    /* One sign change: one root at most on the whole line (Descartes), on the side where NPV
    ** has the other sign: the first flow's far above (it is discounted least), the last's far
    ** below. No partial sums needed. */
    p10.f = terms_npv(T, p10.x, &p10.g);
    p10.known = 1;
    if (p10.f == 0.0) {
      add_root(out, expm1(p10.x));
    } else if ((p10.f > 0) != (T->c[0] > 0)) {
      single_root(T, p10, &hi, out);
    } else {
      single_root(T, p10, &lo, out);
    }
    if (hi.known && hi.f == 0.0) add_root(out, expm1(hi.x));
    return;
  }
  terms_point(T, &p10, out);
  size_t before = out->roots;
  isolate(T, &p10, &hi, p10.above, 0, 0, out);
  isolate(T, &lo, &p10, p10.below, 0, out->roots - before, out);
  if (hi.known && hi.f == 0.0) add_root(out, expm1(hi.x));
}

wp_status wp_finance_xirr(const double *flows_usd, const double *dates_days, size_t n,
                          wp_irr_result *out, wp_error *err)
{
  if (!out) return wp_error_set(err, WP_EINVAL, "IRR result is NULL");
  memset(out, 0, sizeof *out);
  if (!flows_usd || !dates_days || n == 0) return check_flows(flows_usd, dates_days, n, err);
  irr_terms T;
  const int fast = terms_build(&T, flows_usd, dates_days, n);
  if (fast < 0) return check_flows(flows_usd, dates_days, n, err); /* names the value */
  int changes = 0;
  double tmax = 0.0;
  if (fast) {
    changes = T.changes;
    tmax = T.k ? T.t[T.k - 1] : 0.0; /* the latest nonzero flow: the only ones discounted */
  } else {
    int last = 0;
    for (size_t i = 0; i < n; i++) {
      int sg = (flows_usd[i] > 0) - (flows_usd[i] < 0);
      if (sg && last && sg != last) changes++;
      if (sg) last = sg;
      tmax = fmax(tmax, fabs(dates_days[i] - dates_days[0]) / 365.0);
    }
  }
  if (changes == 0)
    return wp_error_set(err, WP_ENOROOT, "IRR: none — the cash flows never change sign");
  /* Domain of x = ln(1+r): r in (-99%, +1,000,000%); keep exp() finite on long series. */
  double xlo = log(0.01), xhi = log1p(1e4);
  if (tmax > 0 && -700.0 / tmax > xlo) xlo = -700.0 / tmax;
  int tangent = changes > 1; /* the scan cannot tell where a double root may hide */
  if (fast) {
    pattern_roots(&T, xlo, xhi, out);
    tangent = T.unresolved;
  } else {
    scan_roots(flows_usd, dates_days, n, xlo, xhi, out);
  }
  double xt;
  if (out->roots == 0 && tangent && tangent_root(flows_usd, dates_days, n, &xt))
    add_root(out, expm1(xt));
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

/* The note's text, built without stdio (the model does no formatting I/O): parts are strings
** and whole numbers, appended while they fit (the last part is cut at the buffer's end). */
typedef struct note_buf {
  char *s;
  size_t size, len;
} note_buf;

static void note_str(note_buf *b, const char *t)
{
  while (*t && b->len + 1 < b->size)
    b->s[b->len++] = *t++;
  b->s[b->len] = '\0';
}

static void note_num(note_buf *b, size_t v)
{
  char t[24];
  size_t i = sizeof t - 1;
  t[i] = '\0';
  do {
    t[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  note_str(b, t + i);
}

wp_status wp_finance_irr_note(const double *flows_usd, const double *dates_days, size_t n,
                              wp_irr_result *irr, char *note, size_t note_size, wp_error *err)
{
  if (!note || note_size == 0) return wp_error_set(err, WP_EINVAL, "IRR note buffer is NULL");
  note_buf b = {note, note_size, 0};
  note[0] = '\0';
  wp_irr_result r;
  wp_error e = WP_ERROR_INIT;
  wp_status st = wp_finance_xirr(flows_usd, dates_days, n, &r, &e);
  if (irr) *irr = r;
  if (st == WP_EINVAL) return wp_error_set(err, st, "%s", e.msg);
  if (st != WP_OK) { /* "IRR: none — why": the note is "none: why" */
    const char *why = strstr(e.msg, "none — ");
    note_str(&b, "none: ");
    note_str(&b, why ? why + strlen("none — ") : e.msg);
    return WP_OK;
  }
  size_t changes = 0;
  int last = 0, first = 0;
  for (size_t i = 0; i < n; i++) {
    int s = (flows_usd[i] > 0) - (flows_usd[i] < 0);
    if (s && last && s != last) changes++;
    if (s) last = s;
    if (!first) first = s;
  }
  if (r.roots > 1) {
    note_num(&b, r.roots);
    note_str(&b, " IRRs (the flows change sign ");
    note_num(&b, changes);
    note_str(&b, " times): this is the one nearest 10%; decide by NPV");
  } else if (first > 0 && changes == 1) {
    note_str(&b, "a borrowing rate (flows positive first, negative later): decide by NPV");
  } else if (first > 0) {
    note_str(&b, "a borrowing rate (flows positive first, then change sign ");
    note_num(&b, changes);
    note_str(&b, " times): decide by NPV");
  } else if (changes > 1) {
    note_str(&b, "the flows change sign ");
    note_num(&b, changes);
    note_str(&b, " times: one IRR, but decide by NPV");
  }
  return WP_OK;
}

/* ================================================================== small metrics */

int64_t wp_finance_payback_month(const double *flows_usd, size_t n)
{
  if (!flows_usd || n == 0) return -1;
  double cum = 0.0;
  int64_t last_negative = -1;
  for (size_t m = 0; m < n; m++) {
    cum += flows_usd[m];
    if (cum < 0) last_negative = (int64_t)m;
  }
  if (last_negative == (int64_t)n - 1) return -1;
  return last_negative + 1;
}

double wp_finance_moic(const double *flows_usd, size_t n)
{
  double in = 0.0, outflow = 0.0;
  for (size_t m = 0; flows_usd && m < n; m++) {
    if (flows_usd[m] > 0)
      in += flows_usd[m];
    else
      outflow -= flows_usd[m];
  }
  return outflow > 0 ? in / outflow : 0.0;
}

double wp_finance_peak_funding(const double *flows_usd, size_t n)
{
  double cum = 0.0, low = 0.0;
  for (size_t m = 0; flows_usd && m < n; m++) {
    cum += flows_usd[m];
    if (cum < low) low = cum;
  }
  return -low;
}
