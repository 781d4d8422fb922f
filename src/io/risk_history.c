/*
** Reading a BTC close history (CSV month,close_usd) for the risk engine's block bootstrap,
** and the built-in one, data/btc_monthly_close.csv compiled in (wattpivot/risk_history.h).
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_int.h"
#include "io/readfile_int.h"
#include "wattpivot/calendar.h"
#include "wattpivot/risk_history.h"

/* Generated from data/btc_monthly_close.csv by cmake/embed.cmake (bytes of the text). */
extern const unsigned char wp_btc_monthly_close_csv[];

const char *wp_risk_history_default_text(void)
{
  return (const char *)wp_btc_monthly_close_csv;
}

static const wp_csv_column history_columns[] = {{"month", 1}, {"close_usd", 1}};

/* The rows of a parsed history into close_usd (the header is row 0). */
static wp_status history_rows(const wp_csv *c, size_t min_rows, double *close_usd, size_t max,
                              size_t *n, wp_error *err)
{
  int col[2];
  wp_status st = wp_csv_header(c, 0, history_columns, 2, col, err);
  if (st) return st;
  const wp_range price = {0, INFINITY, 1, 0, "USD"};
  wp_ym prev = {0, 0};
  for (size_t r = 1; r < c->nrows; r++) {
    wp_ym ym;
    double v;
    if ((st = wp_csv_check_width(c, r, 2, "month,close_usd", err)) ||
        (st = wp_csv_month(c, r, (size_t)col[0], "month", &ym, err)) ||
        (st = wp_csv_number(c, r, (size_t)col[1], "close_usd", &price, 0, &v, err)))
      return st;
    if (*n > 0) {
      wp_ym want = wp_calendar_add_months(prev, 1);
      if (ym.year != want.year || ym.month != want.month)
        return wp_csv_error(c, r, (size_t)col[0], "month", WP_EPARSE, err,
                            "%s follows %04d-%02d; expected %04d-%02d (consecutive months: no "
                            "gap, no repeat)",
                            wp_csv_cell(c, r, (size_t)col[0]), prev.year, prev.month, want.year,
                            want.month);
    }
    if (*n >= max)
      return wp_error_set(err, WP_EPARSE, "%s:%d: more than %zu rows; at most %zu are accepted",
                          c->name, c->rows[r].line, max, max);
    close_usd[(*n)++] = v;
    prev = ym;
  }
  if (*n < min_rows)
    return wp_error_set(err, WP_EPARSE,
                        "%s:%d: %zu rows (from line %d); at least %zu are needed "
                        "(btc_block_months + 1)",
                        c->name, c->end_line, *n, c->nrows > 1 ? c->rows[1].line : c->end_line,
                        min_rows);
  return WP_OK;
}

wp_status wp_risk_history_parse(const char *text, const char *name, size_t min_rows,
                                double *close_usd, size_t max, size_t *n, wp_error *err)
{
  if (!text || !close_usd || !n) return wp_error_set(err, WP_EINVAL, "BTC history: NULL argument");
  *n = 0;
  wp_csv c = WP_CSV_INIT;
  wp_status st =
      wp_csv_parse(&c, name ? name : "BTC history", text, strlen(text), WP_CSV_COMMENTS, err);
  if (st == WP_OK) st = history_rows(&c, min_rows, close_usd, max, n, err);
  wp_csv_release(&c);
  return st;
}

wp_status wp_risk_history_load(wp_risk_assumptions *r, const char *path, wp_error *err)
{
  if (!r) return wp_error_set(err, WP_EINVAL, "BTC history: NULL argument");
  if (r->btc_block_months < 1 || r->btc_block_months > 60)
    return wp_error_set(err, WP_EINVAL, "btc_block_months %lld is out of range; accepted [1, 60]",
                        (long long)r->btc_block_months);
  const int builtin = !path || !path[0];
  char *text = NULL;
  wp_status st;
  if (!builtin && (st = wp_io_read_text(path, (size_t)1 << 20, &text, NULL, err))) return st;
  double *close = malloc((WP_RISK_HISTORY_MAX + 1) * sizeof *close);
  if (!close) {
    free(text);
    return wp_error_set(err, WP_ENOMEM, "BTC history: out of memory");
  }
  size_t n = 0;
  st = wp_risk_history_parse(builtin ? wp_risk_history_default_text() : text,
                             builtin ? "data/btc_monthly_close.csv (built-in)" : path,
                             (size_t)r->btc_block_months + 1, close, WP_RISK_HISTORY_MAX + 1, &n,
                             err);
  if (st == WP_OK) {
    wp_error inner = WP_ERROR_INIT;
    if ((st = wp_risk_history_standardize(close, n, r, &inner)))
      wp_error_set(err, st, "%s: %s", builtin ? "data/btc_monthly_close.csv" : path, inner.msg);
  }
  free(close);
  free(text);
  return st;
}
