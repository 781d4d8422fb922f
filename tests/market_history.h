/*
** The 2019-2025 market history the hashprice equilibrium is fitted on and backtested against
** (docs/model/market.md §5.3): quarterly network samples (data/btc_network_quarterly.csv) and
** monthly BTC closes (data/btc_monthly_close.csv) turned into a market path of 2019-01..2025-12,
** plus the backtest's error statistics. Shared by tests/test_market_backtest.c and
** bench/calibrate_market.c; header-only (static functions), test-side code.
*/
#ifndef WP_TESTS_MARKET_HISTORY_H
#define WP_TESTS_MARKET_HISTORY_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wattpivot/calendar.h"
#include "wattpivot/market.h"

#define MH_START_YEAR 2019
#define MH_MONTHS     84   /* 2019-01 .. 2025-12 */
#define MH_MAX        64   /* network samples */
#define MH_FIT_END    2024 /* the split: samples before 2024 fit, 2024-2025 test out of sample */
/* Months from the history's month 0 (2019-01) to the forward path's month-0 values (Nov 2025,
** the month the default difficulty, price and fees describe). */
#define MH_TO_DEFAULT_MONTH0 82

typedef struct mh_sample {
  int year, month, day;
  double difficulty, fees_btc_per_block;
  size_t m; /* month index in the history path */
} mh_sample;

typedef struct mh_history {
  mh_sample s[MH_MAX];
  size_t n;
  double close[MH_MONTHS + 1]; /* close[0] = 2018-12, close[i] = month i-1 of the history */
  wp_market_path path;
} mh_history;

/* Read the network samples; 0 on success. */
static int mh_read_network(mh_history *h, const char *path)
{
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char line[512];
  int header = 0;
  h->n = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#') continue;
    if (!header) {
      header = 1;
      continue;
    }
    mh_sample x = {0};
    double hr, fees, price;
    int blocks;
    if (sscanf(line, "%d-%d-%d,%lf,%d,%lf,%lf,%lf,%lf", &x.year, &x.month, &x.day, &hr, &blocks,
               &fees, &price, &x.difficulty, &x.fees_btc_per_block) != 9 ||
        h->n >= MH_MAX) {
      fclose(f);
      return -1;
    }
    x.m = (size_t)((x.year - MH_START_YEAR) * 12 + x.month - 1);
    h->s[h->n++] = x;
  }
  fclose(f);
  return h->n > 1 ? 0 : -1;
}

/* Read the monthly closes 2018-12..2025-12; 0 on success. */
static int mh_read_closes(mh_history *h, const char *path)
{
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char line[256];
  int got = 0;
  while (fgets(line, sizeof line, f)) {
    int y, mo;
    double c;
    if (line[0] == '#' || sscanf(line, "%d-%d,%lf", &y, &mo, &c) != 3) continue;
    int i = (y - MH_START_YEAR) * 12 + mo; /* 2018-12 -> 0 */
    if (i >= 0 && i <= MH_MONTHS) {
      h->close[i] = c;
      got++;
    }
  }
  fclose(f);
  return got == MH_MONTHS + 1 ? 0 : -1;
}

/* Mean subsidy of month (y, mo) with the halvings on their real days (block 630,000 on
** 2020-05-11, block 840,000 on 2024-04-20; docs/sources/mining.md §1.1), weighted by days. */
static double mh_subsidy(int y, int mo)
{
  static const struct {
    int y, mo, day;
  } halving[] = {{2020, 5, 11}, {2024, 4, 20}};
  double before = 12.5;
  for (int k = 0; k < 2; k++) {
    int cmp = (y - halving[k].y) * 12 + (mo - halving[k].mo);
    if (cmp > 0) before /= 2;
    if (cmp == 0) {
      int days = wp_calendar_days_in_month((wp_ym){y, mo});
      double share = (double)(halving[k].day - 1) / days;
      return before * share + before / 2 * (1 - share);
    }
  }
  return before;
}

/* Build the history path: calendar, subsidy, monthly price (mean of the closes around the
** month), fees interpolated linearly between the samples. 0 on success. */
static int mh_build(mh_history *h, const char *network_csv, const char *closes_csv)
{
  memset(h, 0, sizeof *h);
  if (mh_read_network(h, network_csv) || mh_read_closes(h, closes_csv)) return -1;
  if (wp_market_path_init(&h->path, MH_MONTHS, NULL)) return -1;
  /* Heights are unused here (the subsidy is set from the real halving days). */
  if (wp_market_path_fill_calendar(&h->path, (wp_ym){MH_START_YEAR, 1}, 630461, (wp_ym){2020, 5},
                                   NULL))
    return -1;
  for (size_t m = 0; m < MH_MONTHS; m++) {
    wp_ym ym = wp_calendar_add_months((wp_ym){MH_START_YEAR, 1}, (int64_t)m);
    h->path.subsidy_btc[m] = mh_subsidy(ym.year, ym.month);
    h->path.btc_price_usd[m] = 0.5 * (h->close[m] + h->close[m + 1]);
    /* Fees: linear in time between the samples around mid-month, held beyond the ends. */
    double t = (double)m + 0.5;
    double fees = h->s[0].fees_btc_per_block;
    for (size_t i = 0; i < h->n; i++) {
      double ti = (double)h->s[i].m + (h->s[i].day - 1) / 30.0;
      if (t >= ti) fees = h->s[i].fees_btc_per_block;
      if (t >= ti && i + 1 < h->n) {
        double tj = (double)h->s[i + 1].m + (h->s[i + 1].day - 1) / 30.0;
        if (t < tj)
          fees =
              h->s[i].fees_btc_per_block +
              (h->s[i + 1].fees_btc_per_block - h->s[i].fees_btc_per_block) * (t - ti) / (tj - ti);
      }
    }
    h->path.fees_btc_per_block[m] = fees;
  }
  return 0;
}

/* a (whose values describe the forward path's month 0, Nov 2025) rolled back to the history's
** month 0: marginal efficiency and power cost undone over MH_TO_DEFAULT_MONTH0 months,
** difficulty = the first sample's. */
static wp_market_assumptions mh_rolled_back(const wp_market_assumptions *a, const mh_history *h)
{
  wp_market_assumptions b = *a;
  b.marginal_j_per_th =
      a->marginal_j_per_th /
      wp_market_growth_factor(-a->marginal_efficiency_gain_per_yr, MH_TO_DEFAULT_MONTH0);
  b.marginal_power_usd_per_mwh =
      a->marginal_power_usd_per_mwh /
      wp_market_growth_factor(a->power_escalator_per_yr, MH_TO_DEFAULT_MONTH0);
  b.difficulty = h->s[0].difficulty;
  b.difficulty_model = WP_DIFFICULTY_EQUILIBRIUM;
  return b;
}

typedef struct mh_stats {
  double rmse_in, rmse_out, rmse_all; /* of ln(model/actual) */
  double mean_in, mean_out;           /* mean of ln(model/actual) */
  double max_abs_all;                 /* max |model/actual - 1| */
  size_t n_in, n_out;
} mh_stats;

/* Run the equilibrium on the history path with b (already rolled back) and score it against
** the samples after the first. Returns 0, or -1 when the model cannot run. */
static int mh_score(mh_history *h, const wp_market_assumptions *b, mh_stats *st)
{
  memset(st, 0, sizeof *st);
  if (wp_market_path_fill_equilibrium(&h->path, b, NULL)) return -1;
  double ss_in = 0, ss_out = 0;
  for (size_t i = 1; i < h->n; i++) {
    double e = log(h->path.difficulty[h->s[i].m] / h->s[i].difficulty);
    double rel = fabs(exp(e) - 1);
    if (rel > st->max_abs_all) st->max_abs_all = rel;
    if (h->s[i].year < MH_FIT_END) {
      ss_in += e * e;
      st->mean_in += e;
      st->n_in++;
    } else {
      ss_out += e * e;
      st->mean_out += e;
      st->n_out++;
    }
  }
  st->rmse_in = sqrt(ss_in / (double)st->n_in);
  st->rmse_out = st->n_out ? sqrt(ss_out / (double)st->n_out) : 0;
  st->rmse_all = sqrt((ss_in + ss_out) / (double)(st->n_in + st->n_out));
  st->mean_in /= (double)st->n_in;
  if (st->n_out) st->mean_out /= (double)st->n_out;
  return 0;
}

#endif
