/* Monthly market and power CSV files -> wp_market_series (src/io/market_file_int.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_int.h"
#include "io/market_file_int.h"

#define NCOL 7

/* The columns in wp_market_series order, with the ranges of the matching scenario keys
** (src/io/scenario_file.c market_fields; docs/scenario.md). */
static const struct {
  const char *name;
  unsigned bit;
  wp_range range;
} market_columns[NCOL] = {
    {"btc_price_usd", WP_MARKET_FILE_BTC_PRICE, {0, 1e8, 1, 0, "USD"}},
    {"difficulty", WP_MARKET_FILE_DIFFICULTY, {1, 1e20, 0, 0, NULL}},
    {"hashprice_usd_per_ph_day", WP_MARKET_FILE_HASHPRICE, {0, 1e6, 0, 0, "USD/PH/day"}},
    {"fees_btc_per_block", WP_MARKET_FILE_FEES, {0, 50, 0, 0, "BTC"}},
    {"power_usd_per_mwh", WP_MARKET_FILE_POWER, {0, 10000, 0, 0, "USD/MWh"}},
    {"gpu_usd_per_hour", WP_MARKET_FILE_GPU, {0, 1000, 0, 0, "USD/GPU-hour"}},
    {"colo_usd_per_kw_month", WP_MARKET_FILE_COLO, {0, 10000, 0, 0, "USD/kW-month"}},
};

/* The array of s that holds market column k. */
static double *column_of(wp_market_series *s, int k)
{
  double *const cols[NCOL] = {
      s->btc_price_usd,     s->difficulty,       s->hashprice_usd_per_ph_day, s->fees_btc_per_block,
      s->power_usd_per_mwh, s->gpu_usd_per_hour, s->colo_usd_per_kw_month};
  return cols[k];
}

static wp_status parse_rows(const wp_csv *c, unsigned columns, wp_market_series *out, wp_error *err)
{
  wp_csv_column cols[1 + NCOL];
  int kind[1 + NCOL], at[1 + NCOL];
  size_t n = 0;
  cols[n] = (wp_csv_column){"month", 1};
  kind[n++] = -1;
  for (int k = 0; k < NCOL; k++)
    if (columns & market_columns[k].bit) {
      cols[n] = (wp_csv_column){market_columns[k].name, 0};
      kind[n++] = k;
    }
  wp_status st = wp_csv_header(c, 0, cols, n, at, err);
  if (st) return st;
  size_t given = 0;
  for (size_t j = 1; j < n; j++)
    given += at[j] >= 0;
  if (given == 0)
    return wp_error_set(err, WP_EPARSE,
                        "%s:%d: the header names no value column; give at least "
                        "one of the columns after month",
                        c->name, c->rows[0].line);
  if (c->nrows < 2)
    return wp_error_set(err, WP_EPARSE, "%s:%d: no months after the header", c->name, c->end_line);
  /* Months first: the series spans the first to the last. */
  wp_ym first, prev = {0, 0};
  for (size_t r = 1; r < c->nrows; r++) {
    wp_ym ym;
    if ((st = wp_csv_check_width(c, r, c->rows[0].nfields, "the header's columns", err)) ||
        (st = wp_csv_month(c, r, (size_t)at[0], "month", &ym, err)))
      return st;
    if (r == 1)
      first = ym;
    else if (ym.year * 12 + ym.month <= prev.year * 12 + prev.month)
      return wp_csv_error(c, r, (size_t)at[0], "month", WP_EPARSE, err,
                          "%s follows %04d-%02d; months must increase (no repeat)",
                          wp_csv_cell(c, r, (size_t)at[0]), prev.year, prev.month);
    prev = ym;
  }
  const size_t months = (size_t)((prev.year - first.year) * 12 + (prev.month - first.month) + 1);
  wp_error inner = WP_ERROR_INIT;
  if ((st = wp_market_series_init(out, first, months, &inner)))
    return wp_error_set(err, st, "%s: %s", c->name, inner.msg);
  for (size_t r = 1; r < c->nrows; r++) {
    wp_ym ym;
    wp_csv_month(c, r, (size_t)at[0], "month", &ym, NULL);
    const int64_t row = wp_market_series_row(out, ym);
    for (size_t j = 1; j < n; j++) {
      if (at[j] < 0 || wp_csv_empty(c, r, (size_t)at[j])) continue;
      const int k = kind[j];
      double v;
      if ((st = wp_csv_number(c, r, (size_t)at[j], market_columns[k].name, &market_columns[k].range,
                              0, &v, err)))
        return st;
      column_of(out, k)[row] = v;
    }
  }
  return WP_OK;
}

/* The rows of c (parsed with status st) into out: released first, zeroed on failure. */
static wp_status from_csv(wp_csv *c, wp_status st, unsigned columns, wp_market_series *out,
                          wp_error *err)
{
  wp_market_series_release(out);
  if (st == WP_OK) st = parse_rows(c, columns & WP_MARKET_FILE_ALL, out, err);
  if (st) wp_market_series_release(out);
  wp_csv_release(c);
  return st;
}

wp_status wp_market_file_parse(const char *text, size_t len, const char *name, unsigned columns,
                               wp_market_series *out, wp_error *err)
{
  if (!text || !out) return wp_error_set(err, WP_EINVAL, "market file: NULL argument");
  wp_csv c = WP_CSV_INIT;
  wp_status st = wp_csv_parse(&c, name ? name : "market file", text, len, WP_CSV_COMMENTS, err);
  return from_csv(&c, st, columns, out, err);
}

wp_status wp_market_file_read(const char *path, unsigned columns, wp_market_series *out,
                              wp_error *err)
{
  if (!path || !out) return wp_error_set(err, WP_EINVAL, "market file: NULL argument");
  wp_csv c = WP_CSV_INIT;
  wp_status st = wp_csv_read(&c, path, WP_MARKET_FILE_MAX_BYTES, WP_CSV_COMMENTS, err);
  return from_csv(&c, st, columns, out, err);
}
