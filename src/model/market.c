/* The market path: per-month drivers and the quantities derived from them
** (see wattpivot/market.h and docs/model/market.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wattpivot/btc.h"
#include "wattpivot/market.h"
#include "wattpivot/range.h"
#include "wattpivot/mining.h"

#define MAX_MONTHS      12000 /* 1,000 years: far beyond any horizon, keeps sizes sane */
#define N_DOUBLE_ARRAYS 9
#define N_I64_ARRAYS    2
#define GROWTH_MIN      (-0.99)
#define GROWTH_MAX      10.0
#define MAX_LAG         36 /* deploy_lag_months: three years of ASIC orders is already extreme */
#define HOURS_PER_DAY   24.0

double wp_market_growth_factor(double g_per_yr, double months)
{
  return pow(1.0 + g_per_yr, months / 12.0);
}

static wp_status check_range(double v, double lo, double hi, const char *name, wp_error *err)
{
  const wp_range r = {lo, hi, 0, 0, NULL};
  return wp_range_check(&r, v, err, "market %s", name);
}

/* (lo, hi]: a lower bound excluded. */
static wp_status check_open_lo(double v, double lo, double hi, const char *name, wp_error *err)
{
  const wp_range r = {lo, hi, 1, 0, NULL};
  return wp_range_check(&r, v, err, "market %s", name);
}

static wp_status check_growth(double g, const char *name, wp_error *err)
{
  return check_range(g, GROWTH_MIN, GROWTH_MAX, name, err);
}

wp_status wp_market_assumptions_check(const wp_market_assumptions *a, wp_error *err)
{
  if (!a) return wp_error_set(err, WP_EINVAL, "market assumptions: NULL pointer");
  wp_status s;
  if (!isfinite(a->btc_price_usd) || a->btc_price_usd <= 0)
    return wp_error_set(err, WP_EINVAL, "market btc_price_usd %g must be a finite number > 0",
                        a->btc_price_usd);
  if (!isfinite(a->difficulty) || a->difficulty <= 0)
    return wp_error_set(err, WP_EINVAL, "market difficulty %g must be a finite number > 0",
                        a->difficulty);
  if ((s = check_growth(a->btc_price_growth_per_yr, "btc_price_growth_per_yr", err))) return s;
  if ((s = check_growth(a->difficulty_growth_per_yr, "difficulty_growth_per_yr", err))) return s;
  if ((s = check_range(a->fees_btc_per_block, 0, 50, "fees_btc_per_block", err))) return s;
  if ((s = check_growth(a->fees_growth_per_yr, "fees_growth_per_yr", err))) return s;
  if (a->anchor_height < 0 || a->anchor_height > WP_BTC_MAX_HEIGHT)
    return wp_error_set(err, WP_EINVAL, "market anchor_height %lld is out of range [0, %lld]",
                        (long long)a->anchor_height, (long long)WP_BTC_MAX_HEIGHT);
  if (!wp_calendar_valid(a->anchor_ym))
    return wp_error_set(err, WP_EINVAL, "market anchor month %d-%02d is not a valid month",
                        a->anchor_ym.year, a->anchor_ym.month);
  if ((s = check_range(a->gpu_usd_per_hour, 0, 1000, "gpu_usd_per_hour", err))) return s;
  if ((s = check_range(a->gpu_decline_per_yr, 0, 0.99, "gpu_decline_per_yr", err))) return s;
  if ((s = check_range(a->gpu_floor_usd_per_hour, 0, 1000, "gpu_floor_usd_per_hour", err)))
    return s;
  if ((s = check_range(a->power_usd_per_mwh, 0, 10000, "power_usd_per_mwh", err))) return s;
  if ((s = check_growth(a->power_escalator_per_yr, "power_escalator_per_yr", err))) return s;
  if ((s = check_range(a->colo_usd_per_kw_month, 0, 10000, "colo_usd_per_kw_month", err))) return s;
  if ((s = check_growth(a->colo_growth_per_yr, "colo_growth_per_yr", err))) return s;
  if ((int)a->difficulty_model < 0 || a->difficulty_model >= WP_DIFFICULTY_MODEL_COUNT)
    return wp_error_set(err, WP_EINVAL,
                        "market difficulty_model %d is not one of equilibrium, exogenous",
                        (int)a->difficulty_model);
  if ((int)a->preset < 0 || a->preset >= WP_MARKET_PRESET_COUNT)
    return wp_error_set(err, WP_EINVAL, "market preset %d is not one of bear, base, bull",
                        (int)a->preset);
  if ((s = check_open_lo(a->marginal_j_per_th, 0, 500, "marginal_j_per_th", err))) return s;
  if ((s = check_range(a->marginal_efficiency_gain_per_yr, 0, 0.9,
                       "marginal_efficiency_gain_per_yr", err)))
    return s;
  if ((s = check_open_lo(a->marginal_j_per_th_floor, 0, 500, "marginal_j_per_th_floor", err)))
    return s;
  if ((s = check_open_lo(a->marginal_power_usd_per_mwh, 0, 10000, "marginal_power_usd_per_mwh",
                         err)))
    return s;
  if ((s = check_range(a->hashrate_response_per_yr, 0, 1000, "hashrate_response_per_yr", err)))
    return s;
  if ((s = check_range(a->hashrate_growth_max_per_yr, 0, 5, "hashrate_growth_max_per_yr", err)))
    return s;
  if ((s = check_range(a->hashrate_decline_max_per_yr, 0, 5, "hashrate_decline_max_per_yr", err)))
    return s;
  if (a->deploy_lag_months < 0 || a->deploy_lag_months > MAX_LAG)
    return wp_error_set(err, WP_EINVAL, "market deploy_lag_months %lld is out of range [0, %d]",
                        (long long)a->deploy_lag_months, MAX_LAG);
  return WP_OK;
}

const char *wp_difficulty_model_name(wp_difficulty_model m)
{
  switch (m) {
  case WP_DIFFICULTY_EQUILIBRIUM:
    return "equilibrium";
  case WP_DIFFICULTY_EXOGENOUS:
    return "exogenous";
  default:
    return "?";
  }
}

const char *wp_market_preset_name(wp_market_preset p)
{
  switch (p) {
  case WP_MARKET_PRESET_BEAR:
    return "bear";
  case WP_MARKET_PRESET_BASE:
    return "base";
  case WP_MARKET_PRESET_BULL:
    return "bull";
  default:
    return "?";
  }
}

wp_status wp_market_path_init(wp_market_path *path, size_t months, wp_error *err)
{
  if (!path) return wp_error_set(err, WP_EINVAL, "market path: NULL pointer");
  memset(path, 0, sizeof *path);
  if (months == 0 || months > MAX_MONTHS)
    return wp_error_set(err, WP_EINVAL, "market path months %zu is out of range [1, %d]", months,
                        MAX_MONTHS);
  /* One block: the 8-byte arrays first, the int array last, so every array is aligned. */
  size_t bytes =
      months * (N_DOUBLE_ARRAYS * sizeof(double) + N_I64_ARRAYS * sizeof(int64_t) + sizeof(int));
  unsigned char *block = calloc(1, bytes);
  if (!block)
    return wp_error_set(err, WP_ENOMEM, "market path: cannot allocate %zu bytes for %zu months",
                        bytes, months);
  double *d = (double *)(void *)block;
  path->btc_price_usd = d;
  path->difficulty = d + months;
  path->fees_btc_per_block = d + 2 * months;
  path->subsidy_btc = d + 3 * months;
  path->hashprice_btc_per_ph_day = d + 4 * months;
  path->hashprice_usd_per_ph_day = d + 5 * months;
  path->gpu_usd_per_hour = d + 6 * months;
  path->power_usd_per_mwh = d + 7 * months;
  path->colo_usd_per_kw_month = d + 8 * months;
  int64_t *h = (int64_t *)(void *)(d + N_DOUBLE_ARRAYS * months);
  path->height_start = h;
  path->height_mid = h + months;
  path->days = (int *)(void *)(h + N_I64_ARRAYS * months);
  path->months = months;
  return WP_OK;
}

void wp_market_path_release(wp_market_path *path)
{
  if (!path) return;
  free(path->btc_price_usd); /* the start of the single block */
  memset(path, 0, sizeof *path);
}

static wp_status check_path(const wp_market_path *path, wp_error *err)
{
  if (!path || path->months == 0 || !path->btc_price_usd)
    return wp_error_set(err, WP_EINVAL,
                        "market path is not initialized (call wp_market_path_init first)");
  return WP_OK;
}

/* Mean subsidy (BTC) over the blocks [h0, h1), split exactly at halving boundaries. */
static double mean_subsidy_btc(int64_t h0, int64_t h1)
{
  if (h1 <= h0) return (double)wp_btc_subsidy_sat(h0) / (double)WP_BTC_COIN_SAT;
  int64_t sum_sat = 0;
  for (int64_t h = h0; h < h1;) {
    int64_t era_end = (h / WP_BTC_HALVING_INTERVAL + 1) * WP_BTC_HALVING_INTERVAL;
    int64_t seg_end = era_end < h1 ? era_end : h1;
    sum_sat += (seg_end - h) * wp_btc_subsidy_sat(h);
    h = seg_end;
  }
  return (double)sum_sat / (double)(h1 - h0) / (double)WP_BTC_COIN_SAT;
}

wp_status wp_market_path_fill_calendar(wp_market_path *path, wp_ym start, int64_t anchor_height,
                                       wp_ym anchor_ym, wp_error *err)
{
  wp_status s = check_path(path, err);
  if (s) return s;
  wp_ym last = wp_calendar_add_months(start, (int64_t)path->months - 1);
  if (!wp_calendar_valid(start) || !wp_calendar_valid(last))
    return wp_error_set(err, WP_EINVAL,
                        "market path start %d-%02d: the path of %zu months must lie within "
                        "years 1..9999",
                        start.year, start.month, path->months);
  if (!wp_calendar_valid(anchor_ym) || anchor_height < 0 || anchor_height > WP_BTC_MAX_HEIGHT)
    return wp_error_set(err, WP_EINVAL, "market anchor %lld at %d-%02d is invalid",
                        (long long)anchor_height, anchor_ym.year, anchor_ym.month);
  path->start = start;
  int64_t anchor_day = wp_calendar_day_number(anchor_ym.year, anchor_ym.month, 15);
  for (size_t m = 0; m < path->months; m++) {
    wp_ym ym = wp_calendar_add_months(start, (int64_t)m);
    wp_ym next = wp_calendar_add_months(ym, 1);
    int64_t d0 = wp_calendar_day_number(ym.year, ym.month, 1);
    int64_t d1 = wp_calendar_day_number(next.year, next.month, 1);
    int64_t h0 = wp_btc_height_after_days(anchor_height, (double)(d0 - anchor_day));
    int64_t h1 = wp_btc_height_after_days(anchor_height, (double)(d1 - anchor_day));
    path->days[m] = wp_calendar_days_in_month(ym);
    path->height_start[m] = h0;
    path->height_mid[m] = wp_btc_height_after_days(anchor_height, (double)(d0 + 14 - anchor_day));
    path->subsidy_btc[m] = mean_subsidy_btc(h0, h1);
  }
  return WP_OK;
}

wp_status wp_market_path_update_hashprice(wp_market_path *path, wp_error *err)
{
  wp_status s = check_path(path, err);
  if (s) return s;
  for (size_t m = 0; m < path->months; m++) {
    double d = path->difficulty[m], p = path->btc_price_usd[m], f = path->fees_btc_per_block[m];
    if (!isfinite(d) || d <= 0 || !isfinite(p) || p < 0 || !isfinite(f) || f < 0)
      return wp_error_set(err, WP_EINVAL,
                          "market path month %zu: difficulty %g must be > 0, price %g and fees "
                          "%g must be >= 0",
                          m, d, p, f);
    double hp = wp_mining_hashprice_btc_per_ph_day(path->subsidy_btc[m] + f, d);
    path->hashprice_btc_per_ph_day[m] = hp;
    path->hashprice_usd_per_ph_day[m] = hp * p;
  }
  return WP_OK;
}

double wp_market_marginal_cost_usd_per_ph_day(const wp_market_assumptions *a, double m)
{
  /* 1 PH/s at E J/TH draws E kW: 0.024·E MWh a day (docs/sources/mining.md §2.2). */
  double e = a->marginal_j_per_th * wp_market_growth_factor(-a->marginal_efficiency_gain_per_yr, m);
  if (e < a->marginal_j_per_th_floor) e = a->marginal_j_per_th_floor;
  double c = a->marginal_power_usd_per_mwh * wp_market_growth_factor(a->power_escalator_per_yr, m);
  return HOURS_PER_DAY * 1e-3 * e * c;
}

wp_status wp_market_path_fill_equilibrium(wp_market_path *path, const wp_market_assumptions *a,
                                          wp_error *err)
{
  wp_status s = check_path(path, err);
  if (s) return s;
  if ((s = wp_market_assumptions_check(a, err))) return s;
  const size_t L = (size_t)a->deploy_lag_months;
  const double k = a->hashrate_response_per_yr, up = a->hashrate_growth_max_per_yr,
               down = -a->hashrate_decline_max_per_yr;
  double ring[MAX_LAG + 1]; /* margin[m - L .. m], by m mod (L + 1) */
  double d = a->difficulty;
  for (size_t m = 0; m < path->months; m++) {
    double p = path->btc_price_usd[m], f = path->fees_btc_per_block[m];
    if (!isfinite(p) || p < 0 || !isfinite(f) || f < 0)
      return wp_error_set(err, WP_EINVAL,
                          "market path month %zu: price %g and fees %g must be finite and >= 0", m,
                          p, f);
    double hp = wp_mining_hashprice_btc_per_ph_day(path->subsidy_btc[m] + f, d);
    path->difficulty[m] = d;
    path->hashprice_btc_per_ph_day[m] = hp;
    path->hashprice_usd_per_ph_day[m] = hp * p;
    double margin = hp * p / wp_market_marginal_cost_usd_per_ph_day(a, (double)m) - 1.0;
    if (m == 0)
      for (size_t j = 0; j <= L; j++)
        ring[j] = margin; /* before the path: as month 0 */
    ring[m % (L + 1)] = margin;
    /* Deployment answers the margin of L months ago (margin[m - L] is the oldest entry:
       (m - L) mod (L + 1) = (m + 1) mod (L + 1)); switching off answers this month's. */
    double grow = k * ring[(m + 1) % (L + 1)], shrink = k * margin;
    grow = grow > up ? up : grow > 0 ? grow : 0;
    shrink = shrink < down ? down : shrink < 0 ? shrink : 0;
    d *= exp((grow + shrink) / 12.0); /* difficulty is proportional to hashrate: D = H·600/2^32 */
  }
  return WP_OK;
}

/* The drivers other than difficulty, and the calendar. */
static wp_status fill_drivers(wp_market_path *path, wp_ym start, const wp_market_assumptions *a,
                              wp_error *err)
{
  wp_status s = wp_market_path_fill_calendar(path, start, a->anchor_height, a->anchor_ym, err);
  if (s) return s;
  for (size_t m = 0; m < path->months; m++) {
    double t = (double)m;
    path->btc_price_usd[m] =
        a->btc_price_usd * wp_market_growth_factor(a->btc_price_growth_per_yr, t);
    path->fees_btc_per_block[m] =
        a->fees_btc_per_block * wp_market_growth_factor(a->fees_growth_per_yr, t);
    double gpu = a->gpu_usd_per_hour * wp_market_growth_factor(-a->gpu_decline_per_yr, t);
    path->gpu_usd_per_hour[m] = gpu > a->gpu_floor_usd_per_hour ? gpu : a->gpu_floor_usd_per_hour;
    path->power_usd_per_mwh[m] =
        a->power_usd_per_mwh * wp_market_growth_factor(a->power_escalator_per_yr, t);
    path->colo_usd_per_kw_month[m] =
        a->colo_usd_per_kw_month * wp_market_growth_factor(a->colo_growth_per_yr, t);
  }
  return WP_OK;
}

wp_status wp_market_path_fill_deterministic(wp_market_path *path, wp_ym start,
                                            const wp_market_assumptions *a, wp_error *err)
{
  wp_status s = check_path(path, err);
  if (s) return s;
  if ((s = wp_market_assumptions_check(a, err))) return s;
  if ((s = fill_drivers(path, start, a, err))) return s;
  if (a->difficulty_model == WP_DIFFICULTY_EQUILIBRIUM) {
    if ((s = wp_market_path_fill_equilibrium(path, a, err))) return s;
  } else {
    for (size_t m = 0; m < path->months; m++)
      path->difficulty[m] =
          a->difficulty * wp_market_growth_factor(a->difficulty_growth_per_yr, (double)m);
  }
  return wp_market_path_update_hashprice(path, err);
}

wp_status wp_market_path_month(const wp_market_path *path, size_t m, wp_market_month *out,
                               wp_error *err)
{
  wp_status s = check_path(path, err);
  if (s) return s;
  if (!out) return wp_error_set(err, WP_EINVAL, "market month: NULL output");
  if (m >= path->months)
    return wp_error_set(err, WP_EINVAL, "market month %zu is out of range [0, %zu]", m,
                        path->months - 1);
  out->ym = wp_calendar_add_months(path->start, (int64_t)m);
  out->days = path->days[m];
  out->height_mid = path->height_mid[m];
  out->subsidy_btc = path->subsidy_btc[m];
  out->btc_price_usd = path->btc_price_usd[m];
  out->difficulty = path->difficulty[m];
  out->fees_btc_per_block = path->fees_btc_per_block[m];
  out->hashprice_btc_per_ph_day = path->hashprice_btc_per_ph_day[m];
  out->hashprice_usd_per_ph_day = path->hashprice_usd_per_ph_day[m];
  out->gpu_usd_per_hour = path->gpu_usd_per_hour[m];
  out->power_usd_per_mwh = path->power_usd_per_mwh[m];
  out->colo_usd_per_kw_month = path->colo_usd_per_kw_month[m];
  return WP_OK;
}

wp_status wp_market_series_init(wp_market_series *s, wp_ym start, size_t months, wp_error *err)
{
  if (!s) return wp_error_set(err, WP_EINVAL, "market series: NULL pointer");
  memset(s, 0, sizeof *s);
  if (months == 0 || months > MAX_MONTHS)
    return wp_error_set(err, WP_EINVAL, "market series months %zu is out of range [1, %d]", months,
                        MAX_MONTHS);
  if (!wp_calendar_valid(start) ||
      !wp_calendar_valid(wp_calendar_add_months(start, (int64_t)months - 1)))
    return wp_error_set(err, WP_EINVAL, "market series start %d-%02d is not a valid month",
                        start.year, start.month);
  double *d = malloc(7 * months * sizeof *d);
  if (!d) return wp_error_set(err, WP_ENOMEM, "market series: out of memory (%zu months)", months);
  for (size_t i = 0; i < 7 * months; i++)
    d[i] = NAN;
  s->start = start;
  s->months = months;
  s->btc_price_usd = d;
  s->difficulty = d + months;
  s->hashprice_usd_per_ph_day = d + 2 * months;
  s->fees_btc_per_block = d + 3 * months;
  s->power_usd_per_mwh = d + 4 * months;
  s->gpu_usd_per_hour = d + 5 * months;
  s->colo_usd_per_kw_month = d + 6 * months;
  return WP_OK;
}

void wp_market_series_release(wp_market_series *s)
{
  if (!s) return;
  free(s->btc_price_usd); /* the start of the single block */
  memset(s, 0, sizeof *s);
}

int64_t wp_market_series_row(const wp_market_series *s, wp_ym ym)
{
  return ((int64_t)ym.year - s->start.year) * 12 + (ym.month - s->start.month);
}

/* Overwrite dst[m] with src[row] for the path months the series covers with a value. */
static void override(double *dst, const double *src, int64_t row0, size_t path_months,
                     size_t series_months)
{
  for (size_t m = 0; m < path_months; m++) {
    int64_t r = row0 + (int64_t)m;
    if (r >= 0 && (size_t)r < series_months && !isnan(src[r])) dst[m] = src[r];
  }
}

wp_status wp_market_path_apply_series(wp_market_path *path, const wp_market_series *s,
                                      const wp_market_assumptions *a, wp_error *err)
{
  wp_status st = check_path(path, err);
  if (st) return st;
  if (!s || s->months == 0 || !s->btc_price_usd)
    return wp_error_set(err, WP_EINVAL, "market series is not initialized");
  const int64_t row0 = wp_market_series_row(s, path->start);
  const size_t M = path->months, N = s->months;
  override(path->btc_price_usd, s->btc_price_usd, row0, M, N);
  override(path->fees_btc_per_block, s->fees_btc_per_block, row0, M, N);
  override(path->power_usd_per_mwh, s->power_usd_per_mwh, row0, M, N);
  override(path->gpu_usd_per_hour, s->gpu_usd_per_hour, row0, M, N);
  override(path->colo_usd_per_kw_month, s->colo_usd_per_kw_month, row0, M, N);
  /* The network answers the prices and fees in force (docs/model/market.md §4.1, §5.1). */
  if (a && a->difficulty_model == WP_DIFFICULTY_EQUILIBRIUM &&
      (st = wp_market_path_fill_equilibrium(path, a, err)))
    return st;
  override(path->difficulty, s->difficulty, row0, M, N);
  if ((st = wp_market_path_update_hashprice(path, err))) return st;
  for (size_t m = 0; m < M; m++) {
    int64_t r = row0 + (int64_t)m;
    if (r < 0 || (size_t)r >= N || isnan(s->hashprice_usd_per_ph_day[r])) continue;
    const double usd = s->hashprice_usd_per_ph_day[r], p = path->btc_price_usd[m];
    if (!(usd >= 0) || !isfinite(usd) || !(p > 0))
      return wp_error_set(err, WP_EINVAL,
                          "market month %zu: hashprice %g USD/PH/day needs a finite value >= 0 "
                          "and a BTC price > 0 (got %g)",
                          m, usd, p);
    path->hashprice_usd_per_ph_day[m] = usd;
    path->hashprice_btc_per_ph_day[m] = usd / p;
  }
  return WP_OK;
}

/* The presets' values (docs/model/market.md §6). Only these fields differ between them. */
static const struct {
  double btc_price_growth_per_yr, marginal_power_usd_per_mwh;
} presets[WP_MARKET_PRESET_COUNT] = {
    [WP_MARKET_PRESET_BEAR] = {-0.10, 50.0},
    [WP_MARKET_PRESET_BASE] = {0.0, WP_MARKET_MARGINAL_POWER},
    [WP_MARKET_PRESET_BULL] = {0.20, 70.0},
};

wp_status wp_market_apply_preset(wp_market_assumptions *a, wp_market_preset p, wp_error *err)
{
  if (!a) return wp_error_set(err, WP_EINVAL, "market preset: NULL assumptions");
  if ((int)p < 0 || p >= WP_MARKET_PRESET_COUNT)
    return wp_error_set(err, WP_EINVAL, "market preset %d is not one of bear, base, bull", (int)p);
  a->btc_price_growth_per_yr = presets[p].btc_price_growth_per_yr;
  a->marginal_power_usd_per_mwh = presets[p].marginal_power_usd_per_mwh;
  a->preset = p;
  return WP_OK;
}
