/*
** The risk kernel on lanes of paths: WP_PATHWAY_FAST_LANES prepared pathways evaluated at once in
** AVX2 vectors, each lane giving exactly its scalar evaluation's bits (kernel.c), and the small
** lane-interleaved helpers of the workers (strategy sums, lowest cash, site power prices).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/simd_int.h"
#include "model/finance_int.h"
#include "model/revenue_int.h"
#include "risk/kernel_int.h"
#include "risk/kernel_pack_int.h"

/* ---------------------------------------------------------------- lanes of paths */

/*
** The lanes code is compiled for AVX2 (four doubles per instruction) on x86-64 and used only
** when the CPU has it (checked at run time; otherwise, and on other machines, callers evaluate
** lane by lane: the same results). AVX2 brings no FMA, and contraction is off anyway.
*/
#ifdef WP_VECTOR_BUILD
#define WP_HAVE_LANES 1
#pragma GCC push_options
#pragma GCC target("avx2")

#include "model/lanes_int.h"

_Static_assert(WP_LANES == WP_PATHWAY_FAST_LANES, "lanes of the kernel and of the API");

/* Lanes may share one evaluation loop when their kernels have the same structure and the
** same scalars (the arithmetic differs only in the lanes' data). */
static int same_structure(const wp_pathway_fast *a, const wp_pathway_fast *b)
{
  return a->usable && b->usable && a->months == b->months && a->business == b->business &&
         a->mine_only == b->mine_only && a->plain == b->plain &&
         a->terms.term.enabled == b->terms.term.enabled && a->ai_terms == b->ai_terms &&
         a->curtail == b->curtail && wp_kernel_same_bits(a->eff_j_per_th, b->eff_j_per_th) &&
         wp_kernel_same_bits(a->keep, b->keep) && wp_kernel_same_bits(a->pue, b->pue) &&
         wp_kernel_same_bits(a->uptime, b->uptime) && wp_kernel_same_bits(a->terms.tax_rate, b->terms.tax_rate) &&
         wp_kernel_same_bits(a->terms.nol_limit_frac, b->terms.nol_limit_frac) &&
         wp_kernel_same_bits(a->gpu_price_multiple, b->gpu_price_multiple);
}

/* Lane l's value of a double field at byte offset off of records x[l] (written out: a loop
** over the lanes goes through memory). */
static inline double field_at(const void *x, size_t off)
{
  double v;
  memcpy(&v, (const char *)x + off, sizeof v);
  return v;
}
static inline wp_v4d gather(const void *const x[WP_LANES], size_t off)
{
  return (wp_v4d){field_at(x[0], off), field_at(x[1], off), field_at(x[2], off),
                  field_at(x[3], off)};
}
#define GATHER(x, type, field) gather((const void *const *)(x), offsetof(type, field))

/* Month m of a lane-interleaved array; and storing one. */
static inline wp_v4d load_lanes(const double *a, size_t m)
{
  wp_v4d v;
  memcpy(&v, a + m * WP_LANES, sizeof v);
  return v;
}
static inline void store_lanes(double *a, size_t m, wp_v4d v)
{
  memcpy(a + m * WP_LANES, &v, sizeof v);
}


/* eval_mine_only for lanes; shared: one kernel for every lane (its fields broadcast). */
static inline __attribute__((always_inline)) void
lanes_mine_only_impl(const wp_pathway_fast *const f[WP_LANES], const wp_pathway_lanes_market *mk,
                     const double *pw, double *equity_cf, double npv_out[WP_LANES],
                     const int shared, const int curtail)
{
  /* The kernel's scalars in locals: kept in registers (the stores below could alias them). */
  const wp_pathway_fast *f0 = f[0];
  const size_t n = f0->months;
  const double rate = f0->terms.tax_rate, limit = f0->terms.nol_limit_frac;
  const double eff = f0->eff_j_per_th, keep = f0->keep, pue = f0->pue, uptime = f0->uptime;
  const pf_mine_month *const mine[WP_LANES] = {f[0]->mine, f[1]->mine, f[2]->mine, f[3]->mine};
  const wp_v4d zero = {0.0, 0.0, 0.0, 0.0};
  const wp_v4_financing none = {zero, zero, zero, zero, zero, zero, zero, zero, zero, zero};
  wp_v4d nol = zero, used = zero, npv = zero;
  for (size_t m = 0; m < n; m++) {
    const void *xr[WP_LANES] = {&mine[0][m], &mine[1][m], &mine[2][m], &mine[3][m]};
    const wp_v4d p = load_lanes(pw, m);
#define MINE_FIELD(name)                                                                           \
  (shared ? wp_v4_splat(mine[0][m].name) : GATHER(xr, pf_mine_month, name))
    wp_v4_mining mc = wp_v4_mining_core(
        MINE_FIELD(ph), eff, keep, pue, uptime, curtail, (double)mk->days[m],
        MINE_FIELD(energy_mwh), load_lanes(mk->hashprice_btc_per_ph_day, m),
        load_lanes(mk->btc_price_usd, m), p);
    const wp_v4_month x = {
        .revenue = mc.revenue,
        .power = mc.power,
        .opex = wp_v4_select_gt(p, mc.curtail_above, MINE_FIELD(opex_curt), MINE_FIELD(opex_run)),
        .prepay_in = zero,
        .prepay_am = zero,
        .capex = MINE_FIELD(capex),
        .lease_fund = zero,
        .lease_pay = zero,
        .dep = MINE_FIELD(dep),
        .gain = MINE_FIELD(gain),
        .sales = MINE_FIELD(sales),
        .sales_owned = MINE_FIELD(sales_owned)};
    wp_v4_step o;
    WP_FIN_STEP_OPERATIONS(x, o);
    WP_FIN_STEP_SPONSOR(wp_v4_tax_month, 1, x, none, o, rate, limit, &nol, &used);
    o.tax_u = o.tax;
    WP_FIN_STEP_PROJECT_FLOW(x, o);
    npv += o.project_cf * MINE_FIELD(df);
    if (equity_cf) store_lanes(equity_cf, m, o.equity_cf);
  }
  for (int l = 0; l < WP_LANES; l++) npv_out[l] = npv[l];
#undef MINE_FIELD
}

static void lanes_mine_only(const wp_pathway_fast *const f[WP_LANES],
                            const wp_pathway_lanes_market *mk, const double *pw,
                            double *equity_cf, double npv_out[WP_LANES])
{
  const int shared = f[0] == f[1] && f[1] == f[2] && f[2] == f[3];
  if (shared && f[0]->curtail)
    lanes_mine_only_impl(f, mk, pw, equity_cf, npv_out, 1, 1);
  else if (shared)
    lanes_mine_only_impl(f, mk, pw, equity_cf, npv_out, 1, 0);
  else
    lanes_mine_only_impl(f, mk, pw, equity_cf, npv_out, 0, f[0]->curtail);
}

/*
** Fields q and q + 1 (pf_hot's order; flags as bit patterns) of the four lanes' hot records x0..x3
** as two vectors: a 16-byte load of each lane, two lanes put together, unpacked (three
** instructions a field where field-by-field gathers take five). The records are four separate
** pointers: kept as an array, GCC builds the addresses in a vector and takes them apart again.
*/
_Static_assert(sizeof(pf_hot) == 16 * sizeof(double), "a hot record is 16 doubles");
static inline __attribute__((always_inline)) void hot_pair(const pf_hot *x0, const pf_hot *x1,
                                                           const pf_hot *x2, const pf_hot *x3,
                                                           size_t q, wp_v4d *a, wp_v4d *b)
{
  const __m256d t0 = _mm256_insertf128_pd(
      _mm256_castpd128_pd256(_mm_loadu_pd((const double *)(const void *)x0 + q)),
      _mm_loadu_pd((const double *)(const void *)x2 + q), 1);
  const __m256d t1 = _mm256_insertf128_pd(
      _mm256_castpd128_pd256(_mm_loadu_pd((const double *)(const void *)x1 + q)),
      _mm_loadu_pd((const double *)(const void *)x3 + q), 1);
  *a = (wp_v4d)_mm256_unpacklo_pd(t0, t1);
  *b = (wp_v4d)_mm256_unpackhi_pd(t0, t1);
}
/* The hot fields x and y (adjacent, x first) of month m's records hm0..hm3 into hot_x, hot_y. */
#define HOT_PAIR(x, y)                                                                             \
  wp_v4d hot_##x, hot_##y;                                                                         \
  hot_pair(hm0, hm1, hm2, hm3, offsetof(pf_hot, x) / sizeof(double), &hot_##x, &hot_##y);         \
  _Static_assert(offsetof(pf_hot, y) == offsetof(pf_hot, x) + sizeof(double), #x " " #y)

/* a > 0 && b > 0 ? x : y, lane by lane. */
static inline wp_v4d v4_select_both_positive(wp_v4d a, wp_v4d b, wp_v4d x, wp_v4d y)
{
  const wp_v4d zero = {0.0, 0.0, 0.0, 0.0};
  return wp_v4_blend((a > zero) & (b > zero), x, y);
}

static inline wp_v4i v4i_splat(int64_t x)
{
  return (wp_v4i){x, x, x, x};
}

/* The lanes' term loans (term_debt_lanes): lines lane-interleaved over months [lo, hi), +0
** outside; the draw (debt, in the month before a lane's COD) is rebuilt from cod and debt. */
typedef struct lanes_term {
  size_t lo, hi;
  wp_v4i cod, has; /* has: the lane borrows */
  wp_v4d debt;
  double *interest, *principal;
} lanes_term;

/*
** wp_fin_term_debt for lanes: each lane's loan sized on its own CFADS over its own window (its
** kernel's plan), from lane-interleaved EBITDA and CFADS e4 and cf4. A lane's operations are
** wp_fin_term_debt's in its order; selects keep a lane's values outside its window. svc4,
** int4, prin4: n x WP_LANES scratch each.
*/
static lanes_term term_debt_lanes(const wp_pathway_fast *const f[WP_LANES], size_t n,
                                  const double *e4, const double *cf4, double *svc4,
                                  double *int4, double *prin4)
{
  const wp_v4d zero = {0.0, 0.0, 0.0, 0.0};
  lanes_term o = {.lo = n, .hi = 0, .interest = int4, .principal = prin4};
  wp_v4i end = {0, 0, 0, 0}, level_shape = end;
  wp_v4d r = zero, v = zero, dscr = zero;
  for (int l = 0; l < WP_LANES; l++) {
    const wp_fin_term_plan *p = &f[l]->tplan;
    o.cod[l] = (int64_t)p->cod;
    end[l] = (int64_t)p->end;
    level_shape[l] = p->level ? -1 : 0;
    r[l] = p->r;
    v[l] = p->v;
    dscr[l] = p->dscr;
    if (p->cod < o.lo) o.lo = p->cod;
    if (p->end > o.hi) o.hi = p->end;
  }
  if (o.hi < o.lo) o.hi = o.lo;
  wp_v4d disc = wp_v4_splat(1.0), pv = zero, level = wp_v4_splat(HUGE_VAL);
  for (size_t i = o.lo; i < o.hi; i++) {
    const wp_v4i ii = v4i_splat((int64_t)i), act = (ii >= o.cod) & (ii < end);
    disc = wp_v4_blend(act, disc * v, disc);
    const wp_v4d pay = WP_FIN_SIZING_PAY(v4_select_both_positive, load_lanes(e4, i),
                                         load_lanes(cf4, i), dscr, zero);
    store_lanes(svc4, i, pay);
    pv = wp_v4_blend(act, pv + pay * disc, pv);
    level = wp_v4_blend(act, wp_v4_blend(pay < level, pay, level), level);
  }
  wp_v4d scale = zero, bal;
  for (int l = 0; l < WP_LANES; l++) {
    int limit;
    double s;
    o.debt[l] = wp_fin_term_size(&f[l]->tplan, pv[l], level[l], &s, &limit);
    scale[l] = s;
    o.has[l] = o.debt[l] > 0.0 ? -1 : 0;
  }
  bal = o.debt;
  for (size_t i = o.lo; i < o.hi; i++) {
    const wp_v4i ii = v4i_splat((int64_t)i), act = (ii >= o.cod) & (ii < end) & o.has;
    const wp_v4d interest = WP_FIN_AMORT_INTEREST(bal, r);
    const wp_v4d pay = wp_v4_blend(level_shape, level, load_lanes(svc4, i));
    const wp_v4d principal =
        wp_v4_blend(ii == end - 1, bal, WP_FIN_AMORT_PRINCIPAL(pay, scale, interest));
    bal = wp_v4_blend(act, bal - principal, bal);
    store_lanes(int4, i, wp_v4_blend(act, interest, zero));
    store_lanes(prin4, i, wp_v4_blend(act, principal, zero));
  }
  return o;
}

/*
** The general evaluation for lanes (wp_pathway_fast_eval after its mine-only test), with the
** pathway's shape as arguments: called with constants for the common shape of a conversion
** (the compiler then drops the absent lines and every test on them), and with the lanes' own
** values otherwise. zf: PF_ZERO_* bits of fields +0 in every lane (a subset of the true set is
** valid: a +0 field loaded gives the same +0); owned_full: every lane's owned sales are its
** sales (no leased share).
*/
static inline __attribute__((always_inline)) void
lanes_general_impl(const wp_pathway_fast *const f[WP_LANES], const wp_pathway_lanes_market *mk,
                   const double *pw, double *equity_cf, double *scratch, double npv_out[WP_LANES],
                   const int relet, const int merchant, const int term, const int plain,
                   const int ai_terms, const unsigned zf, const int owned_full)
{
  const wp_pathway_fast *f0 = f[0];
  const size_t n = f0->months;
  const wp_v4d zero = {0.0, 0.0, 0.0, 0.0};
  const double eff = f0->eff_j_per_th, keep = f0->keep, pue = f0->pue, uptime = f0->uptime;
  const int curtail = f0->curtail;
  const double gpu_multiple = f0->gpu_price_multiple;
  const double rate = f0->terms.tax_rate, limit = f0->terms.nol_limit_frac;
  const pf_hot *const h0 = f[0]->hot, *const h1 = f[1]->hot, *const h2 = f[2]->hot,
                     *const h3 = f[3]->hot;
  const pf_cold *const c[WP_LANES] = {f[0]->cold, f[1]->cold, f[2]->cold, f[3]->cold};
  wp_v4d rent0 = zero;
  for (int l = 0; l < WP_LANES; l++)
    if (relet && f[l]->relet_start < (int64_t)n)
      rent0[l] = mk->colo_usd_per_kw_month[(size_t)f[l]->relet_start * WP_LANES + (size_t)l];
  /* Lane-interleaved scratch: pass 1's EBITDA, operating cash flow and CFADS for pass 2 and the
     term loans; the loans' payments, interest and principal. */
  double *e4 = scratch, *op4 = e4 + WP_LANES * n, *cf4 = op4 + WP_LANES * n;
  double *svc4 = cf4 + WP_LANES * n, *int4 = svc4 + WP_LANES * n, *prin4 = int4 + WP_LANES * n;
#define LANE_RECORDS(m)                                                                            \
  const void *xc[WP_LANES] = {&c[0][m], &c[1][m], &c[2][m], &c[3][m]};                            \
  const pf_hot *hm0 = h0 + (m), *hm1 = h1 + (m), *hm2 = h2 + (m), *hm3 = h3 + (m);               \
  (void)xc
#define HOT(name)        (hot_##name)
#define COLD(name)       GATHER(xc, pf_cold, name)
#define FIELD(name, bit) ((zf & (bit)) ? zero : COLD(name)) /* cold, often +0 */
#define HOTZ(name, bit)  ((zf & (bit)) ? zero : HOT(name))  /* hot, +0 in some pathways */

  /* Pass 1: the month's operations down to EBITDA (and CFADS for debt sizing), and the project
     side: unlevered tax, project cash flow, NPV. */
  wp_v4d nol = zero, nol_u = zero, used = zero, npv = zero;
  for (size_t m = 0; m < n; m++) {
    LANE_RECORDS(m);
    HOT_PAIR(ph, mine_energy);
    HOT_PAIR(e1, on1);
    HOT_PAIR(opex_run, opex_curt);
    HOT_PAIR(rev_colo, capex);
    HOT_PAIR(dep_full, gain_full);
    HOT_PAIR(sales, df);
    const wp_v4d p = load_lanes(pw, m);
    wp_v4_mining mc = wp_v4_mining_core(HOT(ph), eff, keep, pue, uptime, curtail,
                                        (double)mk->days[m], HOT(mine_energy),
                                        load_lanes(mk->hashprice_btc_per_ph_day, m),
                                        load_lanes(mk->btc_price_usd, m), p);
    wp_v4d power = mc.power;
    if (ai_terms >= 1) power += wp_v4_blend((wp_v4i)HOT(on1), HOT(e1) * p, zero);
    if (ai_terms >= 2) power += wp_v4_blend((wp_v4i)COLD(on2), COLD(e2) * p, zero);
    wp_v4d rev_colo = HOTZ(rev_colo, PF_ZERO_REV_COLO), rev_merchant = zero;
    if (relet)
      rev_colo = 0.0 + wp_v4_blend((wp_v4i)COLD(relet_on),
                                   COLD(relet_kw) * (rent0 * COLD(relet_step)), zero);
    if (merchant)
      rev_merchant = wp_v4_blend(
          (wp_v4i)COLD(gpu_on),
          COLD(gpu_hours) * (load_lanes(mk->gpu_usd_per_hour, m) * gpu_multiple), zero);
    const wp_v4_month x = {
        .revenue = WP_FIN_SUM5(mc.revenue, rev_colo, FIELD(rev_gpuc, PF_ZERO_REV_GPUC),
                               rev_merchant, FIELD(rev_other, PF_ZERO_REV_OTHER)),
        .power = power,
        .opex = wp_v4_select_gt(p, mc.curtail_above, HOT(opex_curt), HOT(opex_run)),
        .prepay_in = FIELD(prepay_in, PF_ZERO_PREPAY),
        .prepay_am = FIELD(prepay_am, PF_ZERO_PREPAY),
        .capex = HOTZ(capex, PF_ZERO_CAPEX),
        .lease_fund = term ? FIELD(lease_fund, PF_ZERO_LEASE) : zero,
        .lease_pay = term ? FIELD(lease_pay, PF_ZERO_LEASE) : zero,
        .dep_full = HOT(dep_full),
        .gain_full = HOT(gain_full),
        .sales = HOT(sales)};
    wp_v4_step o;
    WP_FIN_STEP_OPERATIONS(x, o);
    if (term) store_lanes(cf4, m, o.cfads);
    /* The project side does not depend on the term debt: its tax, cash flow and NPV here. */
    WP_FIN_STEP_PROJECT(wp_v4_tax_month, x, o, rate, limit, &nol_u, &used);
    npv += o.project_cf * HOT(df);
    store_lanes(e4, m, o.ebitda);
    store_lanes(op4, m, o.operating);
  }
  for (int l = 0; l < WP_LANES; l++) npv_out[l] = npv[l];
  if (!equity_cf) return;

  /* Term debt sized on each lane's CFADS (as wp_finance_run does). */
  lanes_term tl = {.lo = 0, .hi = 0};
  if (term) tl = term_debt_lanes(f, n, e4, cf4, svc4, int4, prin4);

  /* Pass 2: the sponsor's side: levered tax with losses carried forward, equity cash flows. */
  for (size_t m = 0; m < n; m++) {
    LANE_RECORDS(m);
    HOT_PAIR(dep, gain);
    HOT_PAIR(cons_draw, cons_repay);
    HOT_PAIR(sales, df); /* the discount factor only rides along */
    (void)hot_df;
    const int in_loan = term && m >= tl.lo && m < tl.hi;
    const wp_v4_month x = {.dep = HOT(dep),
                           .gain = HOT(gain),
                           .sales_owned = owned_full ? HOT(sales) : COLD(sales_owned)};
    wp_v4_step o = {.ebitda = load_lanes(e4, m), .operating = load_lanes(op4, m)};
    wp_v4_financing fin = {zero, zero, zero, zero, zero, zero, zero, zero, zero, zero};
    if (!plain)
      fin = (wp_v4_financing){
          FIELD(lease_fund, PF_ZERO_LEASE),
          FIELD(lease_pay, PF_ZERO_LEASE),
          HOTZ(cons_draw, PF_ZERO_CONS),
          HOTZ(cons_repay, PF_ZERO_CONS),
          term ? wp_v4_blend((v4i_splat((int64_t)m + 1) == tl.cod) & tl.has, tl.debt, zero)
               : zero,
          in_loan ? load_lanes(tl.interest, m) : zero,
          in_loan ? load_lanes(tl.principal, m) : zero,
          FIELD(conv_proceeds, PF_ZERO_CONV),
          FIELD(conv_coupon, PF_ZERO_CONV),
          FIELD(conv_repay, PF_ZERO_CONV)};
    WP_FIN_STEP_SPONSOR(wp_v4_tax_month, plain, x, fin, o, rate, limit, &nol, &used);
    store_lanes(equity_cf, m, o.equity_cf);
  }
#undef HOT
#undef COLD
#undef FIELD
#undef HOTZ
#undef LANE_RECORDS
}

/* The optional lines a conversion financed the usual way does not have: contracted GPU and
** static revenue, prepayment, lease, convertible. */
#define PF_ZERO_USUAL                                                                              \
  (PF_ZERO_REV_GPUC | PF_ZERO_REV_OTHER | PF_ZERO_PREPAY | PF_ZERO_LEASE | PF_ZERO_CONV)

static void lanes_general(const wp_pathway_fast *const f[WP_LANES],
                          const wp_pathway_lanes_market *mk, const double *pw, double *equity_cf,
                          double *scratch, double npv_out[WP_LANES])
{
  const wp_pathway_fast *f0 = f[0];
  const int relet = f0->business == WP_BUSINESS_GPU_CONTRACT;
  const int merchant = f0->business == WP_BUSINESS_GPU_MERCHANT;
  const int term = f0->terms.term.enabled, plain = f0->plain, ai_terms = f0->ai_terms;
  const unsigned zf =
      f[0]->zero_fields & f[1]->zero_fields & f[2]->zero_fields & f[3]->zero_fields;
  const int owned_full = f[0]->sales_all_owned && f[1]->sales_all_owned &&
                         f[2]->sales_all_owned && f[3]->sales_all_owned;
  /* The usual conversion: one AI stream, no re-let or merchant GPUs, project finance (term
     debt and the construction loan), none of the optional lines. */
  if (!relet && !merchant && term && !plain && ai_terms == 1 && owned_full &&
      (zf & PF_ZERO_USUAL) == PF_ZERO_USUAL)
    lanes_general_impl(f, mk, pw, equity_cf, scratch, npv_out, 0, 0, 1, 0, 1, PF_ZERO_USUAL, 1);
  else
    lanes_general_impl(f, mk, pw, equity_cf, scratch, npv_out, relet, merchant, term, plain,
                       ai_terms, zf, owned_full);
}

/* c[s][i] += x[i] for s < nc, i < n (n a multiple of the lanes), in vectors; nc known at
** compile time in each instance (add_lanes_v4 picks it), so x is loaded once per vector. */
static inline __attribute__((always_inline)) void add_lanes_nc(double *const *c, size_t nc,
                                                               const double *x, size_t n)
{
  double *d[4];
  for (size_t s = 0; s < nc; s++) d[s] = c[s];
  for (size_t i = 0; i < n; i += WP_LANES) {
    wp_v4d b;
    memcpy(&b, x + i, sizeof b);
#pragma GCC unroll 4
    for (size_t s = 0; s < nc; s++) {
      wp_v4d a;
      memcpy(&a, d[s] + i, sizeof a);
      a += b;
      memcpy(d[s] + i, &a, sizeof a);
    }
  }
}

static void add_lanes_v4(double *const *c, size_t nc, const double *x, size_t n)
{
  switch (nc) {
  case 1: add_lanes_nc(c, 1, x, n); break;
  case 2: add_lanes_nc(c, 2, x, n); break;
  case 3: add_lanes_nc(c, 3, x, n); break;
  case 4: add_lanes_nc(c, 4, x, n); break;
  default:
    for (size_t s = 0; s < nc; s++) add_lanes_nc(c + s, 1, x, n);
    break;
  }
}

/* wp_pathway_lanes_low_balance in vectors. */
static void low_balance_v4(double start, const double *flow, const double *common, size_t n,
                           double low[WP_LANES])
{
  wp_v4d cash = wp_v4_splat(start), lo = wp_v4_splat(INFINITY);
  for (size_t m = 0; m < n; m++) {
    cash += load_lanes(flow, m) + common[m];
    lo = wp_v4_blend(cash < lo, cash, lo);
  }
  memcpy(low, &lo, sizeof lo);
}

/* wp_pathway_site_power_lanes in vectors: lanes whose month-0 price is not > 0 take the site's
** price. */
static void site_power_lanes_v4(double site, const double *market, double *out, size_t n)
{
  const wp_v4d p0 = load_lanes(market, 0), zero = {0.0, 0.0, 0.0, 0.0};
  const wp_v4d sv = wp_v4_splat(site);
  const wp_v4i positive = p0 > zero;
  for (size_t m = 0; m < n; m++)
    store_lanes(out, m, wp_v4_blend(positive, sv * load_lanes(market, m) / p0, sv));
}

#pragma GCC pop_options
#endif

int wp_pathway_fast_eval_lanes(const wp_pathway_fast *const f[WP_PATHWAY_FAST_LANES],
                               const wp_pathway_lanes_market *mk, const double *pw,
                               double *equity_cf, double *scratch,
                               double npv[WP_PATHWAY_FAST_LANES])
{
#ifdef WP_HAVE_LANES
  if (!wp_simd_enabled()) return 0;
  for (int l = 0; l < WP_PATHWAY_FAST_LANES; l++)
    if (!f[l] || !same_structure(f[0], f[l]) || mk->months != f[0]->months) return 0;
  if (f[0]->mine_only)
    lanes_mine_only(f, mk, pw, equity_cf, npv);
  else
    lanes_general(f, mk, pw, equity_cf, scratch, npv);
  return 1;
#else
  (void)f, (void)mk, (void)pw, (void)equity_cf, (void)scratch, (void)npv;
  return 0;
#endif
}

void wp_pathway_site_power_lanes(const wp_site *s, const wp_pathway_lanes_market *mk,
                                 double *usd_per_mwh)
{
  /* wp_pathway_site_power's expression, lane by lane. */
  const size_t L = WP_PATHWAY_FAST_LANES;
  const double site = s->power_usd_per_mwh;
  const double *restrict market = mk->power_usd_per_mwh;
  double *restrict out = usd_per_mwh;
#ifdef WP_HAVE_LANES
  if (wp_simd_enabled()) {
    site_power_lanes_v4(site, market, out, mk->months);
    return;
  }
#endif
  for (size_t l = 0; l < L; l++) {
    const double p0 = market[l];
    if (p0 > 0)
      for (size_t m = 0; m < mk->months; m++)
        out[m * L + l] = site * market[m * L + l] / p0;
    else
      for (size_t m = 0; m < mk->months; m++)
        out[m * L + l] = site;
  }
}

void wp_pathway_lanes_add(double *const *sums, size_t nsums, const double *x, size_t months)
{
  const size_t n = months * WP_PATHWAY_FAST_LANES;
#ifdef WP_HAVE_LANES
  if (wp_simd_enabled()) {
    add_lanes_v4(sums, nsums, x, n);
    return;
  }
#endif
  for (size_t i = 0; i < n; i++)
    for (size_t s = 0; s < nsums; s++) sums[s][i] += x[i];
}

void wp_pathway_lanes_low_balance(double start, const double *flow, const double *common,
                                  size_t months, double low[WP_PATHWAY_FAST_LANES])
{
#ifdef WP_HAVE_LANES
  if (wp_simd_enabled()) {
    low_balance_v4(start, flow, common, months, low);
    return;
  }
#endif
  for (size_t l = 0; l < WP_PATHWAY_FAST_LANES; l++) {
    double cash = start, lo = INFINITY;
    for (size_t m = 0; m < months; m++) {
      cash += flow[m * WP_PATHWAY_FAST_LANES + l] + common[m];
      if (cash < lo) lo = cash;
    }
    low[l] = lo;
  }
}

void wp_pathway_lanes_market_fill(wp_pathway_lanes_market *mk,
                                  const wp_market_path *const mp[WP_PATHWAY_FAST_LANES])
{
  const size_t L = WP_PATHWAY_FAST_LANES;
  mk->days = mp[0]->days;
  for (size_t m = 0; m < mk->months; m++)
    for (size_t l = 0; l < L; l++) {
      mk->hashprice_btc_per_ph_day[m * L + l] = mp[l]->hashprice_btc_per_ph_day[m];
      mk->btc_price_usd[m * L + l] = mp[l]->btc_price_usd[m];
      mk->gpu_usd_per_hour[m * L + l] = mp[l]->gpu_usd_per_hour[m];
      mk->colo_usd_per_kw_month[m * L + l] = mp[l]->colo_usd_per_kw_month[m];
      mk->power_usd_per_mwh[m * L + l] = mp[l]->power_usd_per_mwh[m];
    }
}
