/*
** Reading a BTC close history (CSV month,close_usd) for the risk engine's block bootstrap,
** and the built-in one, data/btc_monthly_close.csv compiled in (wattpivot/risk_history.h).
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/readfile_int.h"
#include "wattpivot/calendar.h"
#include "wattpivot/risk_history.h"

/* Generated from data/btc_monthly_close.csv by cmake/embed.cmake (bytes of the text). */
extern const unsigned char wp_btc_monthly_close_csv[];

#define HISTORY_FORM "accepted: month,close_usd rows, YYYY-MM consecutive, close > 0 finite"

const char *wp_risk_history_default_text(void)
{
  return (const char *)wp_btc_monthly_close_csv;
}

/* Trim spaces and tabs at both ends (in place). */
static char *trim(char *s)
{
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    s[--n] = '\0';
  return s;
}

wp_status wp_risk_history_parse(const char *text, const char *name, size_t min_rows,
                                double *close_usd, size_t max, size_t *n, wp_error *err)
{
  if (!text || !close_usd || !n) return wp_error_set(err, WP_EINVAL, "BTC history: NULL argument");
  if (!name) name = "BTC history";
  *n = 0;
  int header = 0;
  long line_no = 0, first_line = 0;
  wp_ym prev = {0, 0};
  const char *p = text;
  while (*p) {
    const char *eol = strchr(p, '\n');
    size_t len = eol ? (size_t)(eol - p) : strlen(p);
    line_no++;
    char line[256];
    if (len >= sizeof line)
      return wp_error_set(err, WP_EPARSE, "%s:%ld: the line is longer than %zu characters; %s",
                          name, line_no, sizeof line - 1, HISTORY_FORM);
    memcpy(line, p, len);
    line[len] = '\0';
    p += eol ? len + 1 : len;
    if (len > 0 && line[len - 1] == '\r') line[len - 1] = '\0';
    char *s = trim(line);
    if (s[0] == '#' || s[0] == '\0') continue;
    char *comma = strchr(s, ',');
    if (!comma || strchr(comma + 1, ','))
      return wp_error_set(err, WP_EPARSE, "%s:%ld: '%s' does not have 2 columns; %s", name, line_no,
                          s, HISTORY_FORM);
    *comma = '\0';
    char *month = trim(s), *value = trim(comma + 1);
    if (!header) {
      if (strcmp(month, "month") != 0 || strcmp(value, "close_usd") != 0)
        return wp_error_set(err, WP_EPARSE, "%s:%ld: header '%s,%s'; %s", name, line_no, month,
                            value, HISTORY_FORM);
      header = 1;
      continue;
    }
    wp_ym ym;
    wp_error inner = WP_ERROR_INIT;
    if (wp_calendar_parse_ym(month, &ym, &inner) != WP_OK)
      return wp_error_set(err, WP_EPARSE, "%s:%ld: month %s; %s", name, line_no, inner.msg,
                          HISTORY_FORM);
    char *end = NULL;
    errno = 0;
    double v = strtod(value, &end);
    if (end == value || *end != '\0' || errno == ERANGE || !isfinite(v) || !(v > 0))
      return wp_error_set(err, WP_EPARSE,
                          "%s:%ld: close_usd '%s' is not a positive finite price; %s", name,
                          line_no, value, HISTORY_FORM);
    if (*n > 0) {
      wp_ym want = wp_calendar_add_months(prev, 1);
      if (ym.year != want.year || ym.month != want.month)
        return wp_error_set(err, WP_EPARSE,
                            "%s:%ld: month %s follows %04d-%02d; expected %04d-%02d (consecutive "
                            "months: no gap, no repeat)",
                            name, line_no, month, prev.year, prev.month, want.year, want.month);
    } else {
      first_line = line_no;
    }
    if (*n >= max)
      return wp_error_set(err, WP_EPARSE, "%s:%ld: more than %zu rows; at most %zu are accepted",
                          name, line_no, max, max);
    close_usd[(*n)++] = v;
    prev = ym;
  }
  if (!header)
    return wp_error_set(err, WP_EPARSE, "%s:%ld: no header line; %s", name, line_no, HISTORY_FORM);
  if (*n < min_rows)
    return wp_error_set(err, WP_EPARSE,
                        "%s:%ld: %zu rows (from line %ld); at least %zu are needed "
                        "(btc_block_months + 1)",
                        name, line_no, *n, first_line, min_rows);
  return WP_OK;
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
