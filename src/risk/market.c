/*
** Stochastic market paths for the risk engine: each driver is its deterministic value times
** exp(shock), the shocks correlated through a Cholesky factor and drawn from a counter-based
** Philox stream keyed by (seed, path) (see wattpivot/risk.h and docs/model/risk.md).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/simd_int.h"
#include "model/philox_int.h"
#include "model/risk_assumptions_int.h"
#include "risk/market_int.h"
#include "wattpivot/btc.h"
#include "wattpivot/mining.h"
#include "wattpivot/risk.h"

#define RISK_STREAM_DOMAIN 0x6d6bu /* "mk": the market's Philox4x32 stream (philox_int.h) */
#define BOOT_STREAM_DOMAIN 0x626f6f74626c6f6bULL /* "bootblok": BTC bootstrap block starts */
#define RISK_TWO_PI        6.283185307179586476925286766559
#define DT_YEARS           (1.0 / 12.0)

struct wp_risk_market {
  wp_risk_assumptions r;
  size_t months;
  wp_market_path base;
  double chol[WP_RISK_FACTORS][WP_RISK_FACTORS]; /* lower-triangular: z = L eps */
  double *gpu_unfloored;                         /* deterministic GPU price before the floor */
  double gpu_floor;                              /* USD per GPU-hour */
  double *fees_half_var;                         /* Var(y_m)/2 of the fees OU process, per month */
  double *power_half_var;                        /* the same for power */
  double fees_phi, fees_sd, power_phi, power_sd; /* OU step: y' = phi y + sd z */
  double boot_drift[60]; /* bootstrap: BTC log drift subtracted at block offset k (< L) */
};


void wp_risk_market_free(wp_risk_market *g)
{
  if (!g) return;
  wp_market_path_release(&g->base);
  free(g->gpu_unfloored);
  free(g);
}

/* Exact discretization of an OU process with speed k (per year) and volatility vol: one
** monthly step y' = phi y + sd z, and the variance of y after m steps from 0. */
static void ou_constants(double k, double vol, size_t months, double *phi, double *sd,
                         double *half_var)
{
  if (k > 0) {
    *phi = exp(-k * DT_YEARS);
    *sd = vol * sqrt((1.0 - *phi * *phi) / (2.0 * k));
  } else {
    *phi = 1.0;
    *sd = vol * sqrt(DT_YEARS);
  }
  double v = 0;
  for (size_t m = 0; m < months; m++) {
    half_var[m] = 0.5 * v;
    v = *phi * *phi * v + *sd * *sd;
  }
}

/*
** The bootstrap's BTC drift per block offset k: with S_k(s) = sum_{i<=k} btc_sd e[s+i] and the
** block start s uniform on [0, N-L], C_k = ln(mean_s exp(S_k(s))) and d_k = C_k - C_{k-1}
** (C_{-1} = 0), so that E[exp(S_k - C_k)] = 1 at every offset: E[price/base] = 1 in every month
** (blocks are independent). With btc_vol 0 every sum is exp(0) = 1 and d_k = ln(1) = 0 exactly.
*/
static void boot_drift(const wp_risk_assumptions *r, double d[60])
{
  const size_t L = (size_t)r->btc_block_months, starts = r->btc_history_n - L + 1;
  const double btc_sd = r->btc_vol * sqrt(DT_YEARS);
  double acc[60] = {0};
  for (size_t s = 0; s < starts; s++) {
    double sum = 0;
    for (size_t k = 0; k < L; k++) {
      sum += btc_sd * r->btc_history_std[s + k];
      acc[k] += exp(sum);
    }
  }
  double prev = 0;
  for (size_t k = 0; k < L; k++) {
    double c = log(acc[k] / (double)starts);
    d[k] = c - prev;
    prev = c;
  }
}

wp_status wp_risk_market_new(const wp_market_assumptions *a, const wp_risk_assumptions *r,
                             wp_ym start, size_t months, wp_risk_market **out, wp_error *err)
{
  wp_status st;
  if (!a || !r || !out) return wp_error_set(err, WP_EINVAL, "risk market: NULL argument");
  *out = NULL;
  if ((st = wp_risk_assumptions_check(r, err))) return st;
  wp_risk_market *g = calloc(1, sizeof *g);
  if (!g) return wp_error_set(err, WP_ENOMEM, "risk market: out of memory");
  g->r = *r;
  g->months = months;
  if ((st = wp_market_path_init(&g->base, months, err))) goto fail;
  if ((st = wp_market_path_fill_deterministic(&g->base, start, a, err))) goto fail;
  g->gpu_unfloored = calloc(3 * months, sizeof(double));
  if (!g->gpu_unfloored) {
    st = wp_error_set(err, WP_ENOMEM, "risk market: out of memory");
    goto fail;
  }
  g->gpu_floor = a->gpu_floor_usd_per_hour;
  g->fees_half_var = g->gpu_unfloored + months;
  g->power_half_var = g->fees_half_var + months;
  /* The same expression as wp_market_path_fill_deterministic, so a zero shock is exact. */
  for (size_t m = 0; m < months; m++)
    g->gpu_unfloored[m] =
        a->gpu_usd_per_hour * wp_market_growth_factor(-a->gpu_decline_per_yr, (double)m);
  ou_constants(r->fees_reversion_per_yr, r->fees_vol, months, &g->fees_phi, &g->fees_sd,
               g->fees_half_var);
  ou_constants(r->power_reversion_per_yr, r->power_vol, months, &g->power_phi, &g->power_sd,
               g->power_half_var);
  wp_risk_cholesky(r->corr, g->chol); /* checked above */
  if (r->btc_model == WP_RISK_BTC_BOOTSTRAP) boot_drift(r, g->boot_drift);
  *out = g;
  return WP_OK;
fail:
  wp_risk_market_free(g);
  return st;
}

wp_status wp_risk_market_apply_series(wp_risk_market *g, const wp_market_series *s,
                                      const wp_market_assumptions *a, wp_error *err)
{
  if (!g || !s || !a) return wp_error_set(err, WP_EINVAL, "risk market: NULL argument");
  wp_status st = wp_market_path_apply_series(&g->base, s, a, err);
  if (st) return st;
  const int64_t row0 = wp_market_series_row(s, g->base.start);
  for (size_t m = 0; m < g->months; m++) {
    const int64_t r = row0 + (int64_t)m;
    if (r < 0 || (size_t)r >= s->months) continue;
    /* A given hashprice as the difficulty that yields it: the paths shock difficulty, and their
       hashprice follows from it (docs/model/risk.md). */
    if (!isnan(s->hashprice_usd_per_ph_day[r]) && g->base.hashprice_btc_per_ph_day[m] > 0)
      g->base.difficulty[m] = (g->base.subsidy_btc[m] + g->base.fees_btc_per_block[m]) *
                              86400e15 / (g->base.hashprice_btc_per_ph_day[m] * 4294967296.0);
    if (!isnan(s->gpu_usd_per_hour[r])) g->gpu_unfloored[m] = g->base.gpu_usd_per_hour[m];
  }
  return WP_OK;
}

const wp_market_path *wp_risk_market_base(const wp_risk_market *g)
{
  return g ? &g->base : NULL;
}

/* A month inside the market's domain, as wp_market_path_update_hashprice checks it: difficulty
** finite and > 0, price and fees finite and >= 0 (false for NaN). */
static int in_market_domain(double difficulty, double price, double fees)
{
  return difficulty > 0 && difficulty < INFINITY && price >= 0 && price < INFINITY &&
         fees >= 0 && fees < INFINITY;
}

/* x > floor ? x : floor. */
static double floor_at(double x, double floor)
{
  return x > floor ? x : floor;
}

/* The month's six uniforms of path `path`: three Philox4x32 blocks of the market's stream
** (seed; path, month), two words per uniform. */
#define GEN_BLOCKS 3
#define GEN_LANES  4
static void month_uniforms(uint64_t seed, uint64_t path, uint64_t month, double u[6])
{
  const philox4x32_key_t key = wp_philox4x32_key(seed);
  for (uint32_t b = 0; b < GEN_BLOCKS; b++) {
    const philox4x32_ctr_t r =
        philox4x32(wp_philox4x32_ctr(path, (uint32_t)month, RISK_STREAM_DOMAIN, b), key);
    u[2 * b] = wp_philox_u01_2x32(r.v[0], r.v[1]);
    u[2 * b + 1] = wp_philox_u01_2x32(r.v[2], r.v[3]);
  }
}

/* Start of bootstrap block b of path `path`: uniform on [0, N - L] (own stream domain). */
static size_t boot_block_start(const wp_risk_assumptions *r, uint64_t seed, uint64_t path,
                               uint64_t block)
{
  philox4x64_key_t key = {{seed, BOOT_STREAM_DOMAIN}};
  philox4x64_ctr_t c = {{path, block, 0, 0}};
  const size_t starts = r->btc_history_n - (size_t)r->btc_block_months + 1;
  size_t s = (size_t)(wp_philox_u01(philox4x64(c, key).v[0]) * (double)starts);
  return s < starts ? s : starts - 1;
}

/* Check a path of the generator's length and copy the calendar columns into it. */
static wp_status prepare_out(const wp_risk_market *g, wp_market_path *out, wp_error *err)
{
  if (!out) return wp_error_set(err, WP_EINVAL, "risk market: NULL argument");
  if (out->months != g->months || !out->btc_price_usd)
    return wp_error_set(err, WP_EINVAL, "risk market: the path has %zu months; the generator %zu",
                        out->months, g->months);
  const wp_market_path *b = &g->base;
  const size_t M = g->months;
  out->start = b->start;
  memcpy(out->days, b->days, M * sizeof *out->days);
  memcpy(out->height_start, b->height_start, M * sizeof *out->height_start);
  memcpy(out->height_mid, b->height_mid, M * sizeof *out->height_mid);
  memcpy(out->subsidy_btc, b->subsidy_btc, M * sizeof *out->subsidy_btc);
  return WP_OK;
}

/* One path, with the C library's scalar functions, into out or (out NULL) into lane `lane` of
** the interleaved o. */
static void fill_scalar(const wp_risk_market *g, uint64_t seed, uint64_t path,
                        wp_market_path *out, const wp_risk_market_lanes *o, size_t lane)
{
  const wp_market_path *b = &g->base;
  const wp_risk_assumptions *r = &g->r;
  const size_t M = g->months;
  size_t boot_start = 0;
#define T                 double
#define SPLAT(x)          (x)
#define EXP               exp
#define LOG               log
#define SQRT              sqrt
#define COS               cos
#define SIN               sin
#define FLOOR_AT(x, fl)   floor_at((x), (fl))
#define UNIFORMS(m, u)    month_uniforms(seed, path, (m), (u))
#define STORE(f, m, v)    (*(out ? &out->f[m] : &o->f[(m) * GEN_LANES + lane]) = (v))
#define BOOT_EPS(m, k, e)                                                                          \
  do {                                                                                             \
    if ((k) == 0) boot_start = boot_block_start(r, seed, path, ((m) - 1) / boot_len);             \
    (e) = r->btc_history_std[boot_start + (k)];                                                    \
  } while (0)
#include "risk/market_fill.inc" /* undefines its parameters */
}

#if defined(WP_HAVE_LIBMVEC) && defined(WP_VECTOR_BUILD)
/*
** Four paths at once in AVX2 vectors, with glibc's vector math library (libmvec: its 4-lane
** exp, log, sin, cos, lane by lane like the scalar functions but not always to the same last
** bit). Used whenever the CPU has AVX2 — for single paths too (in every lane), so that a path
** is the same whether it is drawn alone or with others.
*/
#pragma GCC push_options
#pragma GCC target("avx2")
#include "model/philox_avx2_int.h"
#include "model/vecmath_int.h"

/* The uniforms of months m0 .. m0 + n - 1 of GEN_LANES paths as month_uniforms draws them,
** each uniform a vector of the lanes: u[j][k] is uniform k of month m0 + j. Drawn ahead of the
** month loop, the months' three groups of four blocks side by side. */
#define GEN_CHUNK 30 /* months of uniforms drawn at a time */
static void chunk_uniforms(uint64_t seed, const uint64_t path[GEN_LANES], uint64_t m0, size_t n,
                           __m256d u[GEN_CHUNK][6])
{
  const philox4x32_key_t key = wp_philox4x32_key(seed);
  /* The counters' words (wp_philox4x32_ctr): the lanes differ in the path's two words only. */
  philox4x32_ctr_t c0[GEN_LANES];
  for (int l = 0; l < GEN_LANES; l++) c0[l] = wp_philox4x32_ctr(path[l], 0, RISK_STREAM_DOMAIN, 0);
  const wp_philox4x32_v4 base = wp_philox4x32_v4_of(c0);
  for (size_t j = 0; j < n; j++) {
    wp_philox4x32_v4 x[GEN_BLOCKS];
    for (uint32_t b = 0; b < GEN_BLOCKS; b++) {
      x[b].w[0] = base.w[0];
      x[b].w[1] = base.w[1];
      x[b].w[2] = _mm256_set1_epi64x((uint32_t)(m0 + j));
      x[b].w[3] = _mm256_add_epi64(base.w[3], _mm256_set1_epi64x(b));
    }
    wp_philox4x32_avx2_n(GEN_BLOCKS, x, key);
    for (int b = 0; b < GEN_BLOCKS; b++) {
      u[j][2 * b] = wp_philox_u01_2x32_avx2(x[b].w[0], x[b].w[1]);
      u[j][2 * b + 1] = wp_philox_u01_2x32_avx2(x[b].w[2], x[b].w[3]);
    }
  }
}

typedef wp_vm4d gen_v4d;
#define v4_exp  wp_vm4_exp
#define v4_log  wp_vm4_log
#define v4_sin  wp_vm4_sin
#define v4_cos  wp_vm4_cos
#define v4_sqrt wp_vm4_sqrt
static inline gen_v4d v4_floor_at(gen_v4d x, double fl)
{
  return (gen_v4d)_mm256_max_pd((__m256d)x, _mm256_set1_pd(fl)) ; /* x > fl ? x : fl */
}

/* Into the lanes' paths out[], or (out NULL) into the interleaved o: one vector per store. */
static inline __attribute__((always_inline)) void
fill_lanes_to(const wp_risk_market *g, uint64_t seed, const uint64_t path[GEN_LANES],
              wp_market_path *const *out, const wp_risk_market_lanes *o)
{
  const wp_market_path *b = &g->base;
  const wp_risk_assumptions *r = &g->r;
  const size_t M = g->months;
  size_t boot_start[GEN_LANES] = {0};
  __m256d uchunk[GEN_CHUNK][6];
#define T                 gen_v4d
#define SPLAT(x)          ((gen_v4d){(x), (x), (x), (x)})
#define EXP               v4_exp
#define LOG               v4_log
#define SQRT              v4_sqrt
#define COS               v4_cos
#define SIN               v4_sin
#define FLOOR_AT(x, fl)   v4_floor_at((x), (fl))
#define UNIFORMS(m, u)                                                                             \
  do {                                                                                             \
    const size_t j_ = ((m) - 1) % GEN_CHUNK; /* month 0 draws none */                              \
    if (j_ == 0)                                                                                   \
      chunk_uniforms(seed, path, (m), M - (m) < GEN_CHUNK ? M - (m) : GEN_CHUNK, uchunk);          \
    memcpy((u), uchunk[j_], sizeof uchunk[j_]);                                                    \
  } while (0)
#define STORE(f, m, v)                                                                             \
  do {                                                                                             \
    const gen_v4d v_ = (v);                                                                        \
    if (!out) {                                                                                    \
      memcpy(o->f + (m) * GEN_LANES, &v_, sizeof v_);                                              \
    } else {                                                                                       \
      out[0]->f[m] = v_[0];                                                                        \
      out[1]->f[m] = v_[1];                                                                        \
      out[2]->f[m] = v_[2];                                                                        \
      out[3]->f[m] = v_[3];                                                                        \
    }                                                                                              \
  } while (0)
#define BOOT_EPS(m, k, e)                                                                          \
  do {                                                                                             \
    for (int l_ = 0; l_ < GEN_LANES; l_++) {                                                       \
      if ((k) == 0) boot_start[l_] = boot_block_start(r, seed, path[l_], ((m) - 1) / boot_len);   \
      (e)[l_] = r->btc_history_std[boot_start[l_] + (k)];                                          \
    }                                                                                              \
  } while (0)
#include "risk/market_fill.inc" /* undefines its parameters */
}

static void fill_lanes(const wp_risk_market *g, uint64_t seed, const uint64_t path[GEN_LANES],
                       wp_market_path *const out[GEN_LANES])
{
  fill_lanes_to(g, seed, path, out, NULL);
}

static void fill_lanes_interleaved(const wp_risk_market *g, uint64_t seed,
                                   const uint64_t path[GEN_LANES], const wp_risk_market_lanes *o)
{
  fill_lanes_to(g, seed, path, NULL, o);
}

/* The interleaved hashprice (wp_market_path_update_hashprice's expression, lane by lane) in
** vectors; 0 when some lane's month is outside the domain that function checks. */
static int hashprice_lanes(const wp_risk_market *g, const wp_risk_market_lanes *o)
{
  const gen_v4d zero = {0.0, 0.0, 0.0, 0.0}, inf = {INFINITY, INFINITY, INFINITY, INFINITY};
  __m256i ok = _mm256_set1_epi64x(-1);
  for (size_t m = 0; m < g->months; m++) {
    gen_v4d d, p, f;
    memcpy(&d, o->difficulty + m * GEN_LANES, sizeof d);
    memcpy(&p, o->btc_price_usd + m * GEN_LANES, sizeof p);
    memcpy(&f, o->fees_btc_per_block + m * GEN_LANES, sizeof f);
    /* in_market_domain lane by lane */
    ok &= (__m256i)((d > zero) & (d < inf) & (p >= zero) & (p < inf) & (f >= zero) & (f < inf));
    const gen_v4d hp = WP_MINING_HASHPRICE_BTC_PER_PH_DAY(g->base.subsidy_btc[m] + f, d);
    memcpy(o->hashprice_btc_per_ph_day + m * GEN_LANES, &hp, sizeof hp);
  }
  return _mm256_movemask_pd((__m256d)ok) == 0xf;
}
#pragma GCC pop_options

static int use_lanes(void)
{
  return wp_simd_enabled();
}
#else
static int use_lanes(void)
{
  return 0;
}
static void fill_lanes(const wp_risk_market *g, uint64_t seed, const uint64_t path[GEN_LANES],
                       wp_market_path *const out[GEN_LANES])
{
  for (int l = 0; l < GEN_LANES; l++)
    fill_scalar(g, seed, path[l], out[l], NULL, 0);
}
static void fill_lanes_interleaved(const wp_risk_market *g, uint64_t seed,
                                   const uint64_t path[GEN_LANES], const wp_risk_market_lanes *o)
{
  for (int l = 0; l < GEN_LANES; l++)
    fill_scalar(g, seed, path[l], NULL, o, (size_t)l);
}
static int hashprice_lanes(const wp_risk_market *g, const wp_risk_market_lanes *o)
{
  int ok = 1;
  for (size_t i = 0; i < g->months * GEN_LANES; i++) {
    const double d = o->difficulty[i], p = o->btc_price_usd[i], f = o->fees_btc_per_block[i];
    ok = ok && in_market_domain(d, p, f);
    o->hashprice_btc_per_ph_day[i] =
        WP_MINING_HASHPRICE_BTC_PER_PH_DAY(g->base.subsidy_btc[i / GEN_LANES] + f, d);
  }
  return ok;
}
#endif

wp_status wp_risk_market_fill(const wp_risk_market *g, uint64_t seed, uint64_t path,
                              wp_market_path *out, wp_error *err)
{
  if (!g) return wp_error_set(err, WP_EINVAL, "risk market: NULL argument");
  wp_status st = prepare_out(g, out, err);
  if (st) return st;
  if (use_lanes()) {
    const uint64_t paths[GEN_LANES] = {path, path, path, path};
    wp_market_path *const outs[GEN_LANES] = {out, out, out, out};
    fill_lanes(g, seed, paths, outs);
  } else {
    fill_scalar(g, seed, path, out, NULL, 0);
  }
  return wp_market_path_update_hashprice(out, err);
}

wp_status wp_risk_market_fill_lanes(const wp_risk_market *g, uint64_t seed,
                                    const uint64_t path[WP_RISK_MARKET_LANES],
                                    wp_market_path *const out[WP_RISK_MARKET_LANES], wp_error *err)
{
  if (!g || !path || !out) return wp_error_set(err, WP_EINVAL, "risk market: NULL argument");
  wp_status st;
  for (int l = 0; l < WP_RISK_MARKET_LANES; l++)
    if ((st = prepare_out(g, out[l], err))) return st;
  if (use_lanes())
    fill_lanes(g, seed, path, out);
  else
    for (int l = 0; l < WP_RISK_MARKET_LANES; l++)
      fill_scalar(g, seed, path[l], out[l], NULL, 0);
  for (int l = 0; l < WP_RISK_MARKET_LANES; l++)
    if ((st = wp_market_path_update_hashprice(out[l], err))) return st;
  return WP_OK;
}

wp_status wp_risk_market_lane_path(const wp_risk_market *g, const wp_risk_market_lanes *in,
                                   size_t lane, wp_market_path *out, wp_error *err)
{
  if (!g || !in || lane >= GEN_LANES)
    return wp_error_set(err, WP_EINVAL, "risk market: NULL argument or lane %zu of %d", lane,
                        GEN_LANES);
  if (in->months != g->months)
    return wp_error_set(err, WP_EINVAL, "risk market: lanes of %zu months; the generator %zu",
                        in->months, g->months);
  wp_status st = prepare_out(g, out, err);
  if (st) return st;
  for (size_t m = 0; m < g->months; m++) {
    const size_t i = m * GEN_LANES + lane;
    out->btc_price_usd[m] = in->btc_price_usd[i];
    out->fees_btc_per_block[m] = in->fees_btc_per_block[i];
    out->difficulty[m] = in->difficulty[i];
    out->gpu_usd_per_hour[m] = in->gpu_usd_per_hour[i];
    out->colo_usd_per_kw_month[m] = in->colo_usd_per_kw_month[i];
    out->power_usd_per_mwh[m] = in->power_usd_per_mwh[i];
  }
  return wp_market_path_update_hashprice(out, err);
}

wp_status wp_risk_market_fill_interleaved(const wp_risk_market *g, uint64_t seed,
                                          const uint64_t path[WP_RISK_MARKET_LANES],
                                          const wp_risk_market_lanes *out, wp_error *err)
{
  if (!g || !path || !out) return wp_error_set(err, WP_EINVAL, "risk market: NULL argument");
  if (out->months != g->months)
    return wp_error_set(err, WP_EINVAL, "risk market: lanes of %zu months; the generator %zu",
                        out->months, g->months);
  if (use_lanes())
    fill_lanes_interleaved(g, seed, path, out);
  else
    for (int l = 0; l < WP_RISK_MARKET_LANES; l++)
      fill_scalar(g, seed, path[l], NULL, out, (size_t)l);
  if (hashprice_lanes(g, out)) return WP_OK;
  /* Some lane left the domain: name its path and month as the whole-path check does. */
  for (size_t m = 0; m < g->months; m++)
    for (size_t l = 0; l < WP_RISK_MARKET_LANES; l++) {
      const size_t i = m * WP_RISK_MARKET_LANES + l;
      const double d = out->difficulty[i], p = out->btc_price_usd[i],
                   f = out->fees_btc_per_block[i];
      if (!in_market_domain(d, p, f))
        return wp_error_set(err, WP_EINVAL,
                            "market path %llu month %zu: difficulty %g must be > 0, price %g "
                            "and fees %g must be >= 0",
                            (unsigned long long)path[l], m, d, p, f);
    }
  return wp_error_set(err, WP_EINVAL, "risk market: a path left the market's domain");
}
