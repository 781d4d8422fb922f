/*
** A risk run's folder (wattpivot/output.h wp_risk_write_dir): the summary, every path's results,
** the distribution's quantiles, the value-of-waiting candidates, a self-contained report with
** each strategy's NPV histogram and CDF (P5, P50, P95, CVaR 5 % and the cash-floor probability
** marked), and meta.json. Written as a whole (output_int.h wp_out_write_folder).
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "core/sbuf_int.h"
#include "io/output_int.h"
#include "wattpivot/format.h"
#include "wattpivot/output.h"
#include "wattpivot/planner.h"

static int cmp_double(const void *a, const void *b)
{
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Quantile q of sorted x[0..n-1], linear between order statistics (GSL's
** gsl_stats_quantile_from_sorted_data, as the engine's P5/P50/P95). */
static double quantile(const double *x, size_t n, double q)
{
  const double h = (double)(n - 1) * q;
  const size_t lo = (size_t)floor(h);
  if (lo + 1 >= n) return x[n - 1];
  return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

static char *paths_csv(const wp_risk_result *r)
{
  wp_sbuf b = WP_SBUF_INIT;
  char num[64];
  wp_sbuf_puts(&b, "path");
  for (size_t k = 0; k < r->nstrategies; k++)
    wp_sbuf_printf(&b, ",%s_npv_usd,%s_min_cash_usd", r->strategies[k].name, r->strategies[k].name);
  wp_sbuf_puts(&b, "\n");
  for (size_t p = 0; p < r->paths; p++) {
    wp_sbuf_printf(&b, "%zu", p);
    for (size_t k = 0; k < r->nstrategies; k++) {
      wp_sbuf_printf(&b, ",%s", wp_format_exact(num, sizeof num, r->strategies[k].npv_usd[p]));
      wp_sbuf_printf(&b, ",%s", wp_format_exact(num, sizeof num, r->strategies[k].min_cash_usd[p]));
    }
    wp_sbuf_puts(&b, "\n");
  }
  return wp_sbuf_take(&b);
}

/* Each strategy's NPV at every percentile 0..100, and the sorted copies for the report. */
static char *quantiles_csv(const wp_risk_result *r, double *const *sorted)
{
  wp_sbuf b = WP_SBUF_INIT;
  char num[64];
  wp_sbuf_puts(&b, "strategy,percentile,npv_usd,min_cash_usd\n");
  for (size_t k = 0; k < r->nstrategies; k++)
    for (int q = 0; q <= 100; q++) {
      wp_sbuf_printf(&b, "%s,%d,", r->strategies[k].name, q);
      wp_sbuf_puts(&b,
                   wp_format_exact(num, sizeof num, quantile(sorted[2 * k], r->paths, q / 100.0)));
      wp_sbuf_printf(
          &b, ",%s\n",
          wp_format_exact(num, sizeof num, quantile(sorted[2 * k + 1], r->paths, q / 100.0)));
    }
  return wp_sbuf_take(&b);
}

static char *wait_csv(const wp_risk_result *r)
{
  wp_sbuf b = WP_SBUF_INIT;
  char num[64], ym[16];
  wp_sbuf_puts(&b, "convert_month,month,mean_uplift_usd\n");
  const wp_risk_wait *w = &r->wait;
  for (size_t k = 0; w->computed && k < w->ndecisions; k++)
    wp_sbuf_printf(&b, "%lld,%s,%s\n", (long long)w->month[k],
                   wp_format_month(ym, sizeof ym, r->start, w->month[k], ""),
                   wp_format_exact(num, sizeof num, w->mean_uplift_usd[k]));
  return wp_sbuf_take(&b);
}

/* One strategy's histogram (bins over [lo, hi]) and CDF as inline SVG, its markers labelled. */
static void svg_strategy(wp_sbuf *b, const wp_risk_strategy *s, const double *sorted, size_t n,
                         double lo, double hi, double floor_usd)
{
  enum { W = 640, H = 180, BINS = 40 };
  size_t count[BINS] = {0}, most = 1;
  const double span = hi > lo ? hi - lo : 1.0;
  for (size_t p = 0; p < n; p++) {
    size_t i = (size_t)((sorted[p] - lo) / span * BINS);
    count[i >= BINS ? BINS - 1 : i]++;
  }
  for (int i = 0; i < BINS; i++)
    if (count[i] > most) most = count[i];
  wp_sbuf_printf(b,
                 "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
                 "aria-label=\"NPV distribution of %s\">\n",
                 W + 90, H + 48, W + 90, H + 48, s->name);
  for (int i = 0; i < BINS; i++) {
    const double h = (double)count[i] / (double)most * (H - 10);
    wp_sbuf_printf(b,
                   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                   "fill=\"#8fb3d9\"/>\n",
                   (double)i * W / BINS, H - h, (double)W / BINS - 1, h);
  }
  /* the CDF over the bars */
  wp_sbuf_puts(b, "<polyline fill=\"none\" stroke=\"#1f4e79\" stroke-width=\"1.5\" points=\"");
  for (int i = 0; i <= 100; i++) {
    const double v = quantile(sorted, n, i / 100.0);
    wp_sbuf_printf(b, "%.1f,%.1f ", (v - lo) / span * W, H - (double)i / 100.0 * (H - 10));
  }
  wp_sbuf_puts(b, "\"/>\n");
  const struct {
    const char *label, *color;
    double v;
  } marks[] = {{"P5", "#c0392b", s->npv_p5_usd},
               {"P50", "#2c3e50", s->npv_p50_usd},
               {"P95", "#27ae60", s->npv_p95_usd},
               {"CVaR 5%", "#8e44ad", s->cvar5_usd}};
  for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
    const double x = (marks[m].v - lo) / span * W;
    char money[48];
    wp_sbuf_printf(b,
                   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%d\" stroke=\"%s\" "
                   "stroke-dasharray=\"4 2\"/><text x=\"%.1f\" y=\"%d\" font-size=\"10\" "
                   "fill=\"%s\">%s %s</text>\n",
                   x, x, (int)H, marks[m].color, x + 2, (int)H + 10 + 9 * (int)m, marks[m].color,
                   marks[m].label, wp_format_musd(money, sizeof money, marks[m].v));
  }
  (void)floor_usd;
  wp_sbuf_puts(b, "</svg>\n");
}

static char *report_html(const wp_risk_result *r, const char *scenario, double *const *sorted,
                         const char *created)
{
  wp_sbuf b = WP_SBUF_INIT;
  wp_sbuf_puts(&b,
               "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Risk: ");
  wp_out_html(&b, scenario);
  wp_sbuf_printf(&b, "</title>\n<style>body{font:14px system-ui,sans-serif;"
                     "margin:2em;max-width:60em}table{border-collapse:collapse}td,th{padding:"
                     ".2em .6em;border-bottom:1px solid #ddd;text-align:right}th:first-child,"
                     "td:first-child{text-align:left}.warn{color:#c0392b;font-weight:600}"
                     "</style></head><body>\n<h1>Risk: ");
  wp_out_html(&b, scenario);
  wp_sbuf_printf(&b,
                 "</h1>\n<p>%zu paths, seed %llu, %zu months from %04d-%02d; "
                 "NPV at the hurdle rate. wattpivot %s, %s; scenario hash %s.</p>\n",
                 r->paths, (unsigned long long)r->seed, r->months, r->start.year, r->start.month,
                 wp_version(), created, r->scenario_hash[0] ? r->scenario_hash : "n/a");
  wp_sbuf_puts(&b, "<table><tr><th>strategy</th><th>plan $M</th><th>mean $M</th><th>P5 $M</th>"
                   "<th>P50 $M</th><th>P95 $M</th><th>CVaR 5% $M</th><th>P(cash &lt; floor)</th>"
                   "<th>P(beats mining-only)</th></tr>\n");
  double lo = INFINITY, hi = -INFINITY;
  for (size_t k = 0; k < r->nstrategies; k++) {
    const wp_risk_strategy *s = &r->strategies[k];
    lo = fmin(lo, sorted[2 * k][0]);
    hi = fmax(hi, sorted[2 * k][r->paths - 1]);
    wp_sbuf_printf(&b,
                   "<tr><td>%s</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td>"
                   "<td>%.1f</td><td>%.1f</td><td%s>%.3f</td><td>%.3f</td></tr>\n",
                   s->name, s->plan_npv_usd / 1e6, s->npv_mean_usd / 1e6, s->npv_p5_usd / 1e6,
                   s->npv_p50_usd / 1e6, s->npv_p95_usd / 1e6, s->cvar5_usd / 1e6,
                   s->p_cash_shortfall > 0 ? " class=\"warn\"" : "", s->p_cash_shortfall,
                   s->p_beats_mining_only);
  }
  wp_sbuf_printf(&b,
                 "</table>\n<p>Cash floor $%.0fM: P(cash &lt; floor) is the share of paths "
                 "whose lowest month-end corporate cash falls below it.</p>\n",
                 r->cash_floor_usd / 1e6);
  for (size_t k = 0; k < r->nstrategies; k++) {
    const wp_risk_strategy *s = &r->strategies[k];
    wp_sbuf_printf(&b,
                   "<h2>%s</h2>\n<p>NPV histogram (bars) and cumulative distribution (line), "
                   "$M axis from %.0f to %.0f; P(cash &lt; floor) <span%s>%.1f %%</span>.</p>\n",
                   s->name, lo / 1e6, hi / 1e6, s->p_cash_shortfall > 0 ? " class=\"warn\"" : "",
                   100 * s->p_cash_shortfall);
    svg_strategy(&b, s, sorted[2 * k], r->paths, lo, hi, r->cash_floor_usd);
  }
  const wp_risk_wait *w = &r->wait;
  if (w->computed && w->ndecisions > 0) {
    wp_sbuf_puts(&b, "<h2>Value of waiting to convert ");
    wp_out_html(&b, w->site);
    wp_sbuf_puts(&b, "</h2>\n<table><tr><th>start month</th><th>mean NPV uplift over mining "
                     "$M</th></tr>\n");
    char ym[16];
    for (size_t k = 0; k < w->ndecisions; k++)
      wp_sbuf_printf(&b, "<tr><td>%s</td><td>%.1f</td></tr>\n",
                     wp_format_month(ym, sizeof ym, r->start, w->month[k], ""),
                     w->mean_uplift_usd[k] / 1e6);
    wp_sbuf_printf(&b,
                   "</table>\n<p>Convert now $%.1fM; best fixed month $%.1fM; optimal "
                   "stopping $%.1fM; value of waiting $%.1fM.</p>\n",
                   w->convert_now_usd / 1e6, w->best_fixed_usd / 1e6, w->optimal_usd / 1e6,
                   w->value_of_waiting_usd / 1e6);
  }
  wp_sbuf_puts(&b, "</body></html>\n");
  return wp_sbuf_take(&b);
}

wp_status wp_risk_write_dir(const wp_risk_result *r, const char *scenario, const char *summary_json,
                            const char *dir, wp_error *err)
{
  if (!r || !scenario || !summary_json || !dir)
    return wp_error_set(err, WP_EINVAL, "risk folder: NULL argument");
  if (r->paths == 0 || r->nstrategies == 0)
    return wp_error_set(err, WP_EINVAL, "risk folder: no paths or no strategy");
  enum { NF = 6 };
  static const char *const names[NF] = {"summary.json", "npv_paths.csv", "npv_quantiles.csv",
                                        "wait.csv",     "report.html",   "meta.json"};
  char *texts[NF] = {0};
  double *sorted[2 * WP_STRATEGY_COUNT] = {0};
  wp_status st = WP_OK;
  for (size_t k = 0; k < r->nstrategies && !st; k++)
    for (int j = 0; j < 2 && !st; j++) {
      sorted[2 * k + (size_t)j] = malloc(r->paths * sizeof(double));
      if (!sorted[2 * k + (size_t)j]) {
        st = wp_error_set(err, WP_ENOMEM, "risk folder: out of memory");
        break;
      }
      memcpy(sorted[2 * k + (size_t)j],
             j ? r->strategies[k].min_cash_usd : r->strategies[k].npv_usd,
             r->paths * sizeof(double));
      qsort(sorted[2 * k + (size_t)j], r->paths, sizeof(double), cmp_double);
    }
  char created[32] = "";
  wp_output_now_utc(created, sizeof created, NULL);
  if (!st) {
    size_t n = strlen(summary_json);
    texts[0] = malloc(n + 2);
    if (texts[0])
      snprintf(texts[0], n + 2, "%s%s", summary_json, n && summary_json[n - 1] == '\n' ? "" : "\n");
    texts[1] = paths_csv(r);
    texts[2] = quantiles_csv(r, sorted);
    texts[3] = wait_csv(r);
    texts[4] = report_html(r, scenario, sorted, created);
    cJSON *meta = cJSON_CreateObject();
    if (meta) {
      cJSON_AddStringToObject(meta, "wattpivot_version", wp_version());
      cJSON_AddStringToObject(meta, "created_utc", created);
      cJSON_AddStringToObject(meta, "scenario", scenario);
      if (r->scenario_hash[0])
        cJSON_AddStringToObject(meta, "scenario_hash", r->scenario_hash);
      else
        cJSON_AddNullToObject(meta, "scenario_hash");
      cJSON_AddNumberToObject(meta, "paths", (double)r->paths);
      cJSON_AddNumberToObject(meta, "seed", (double)r->seed);
      char *text = cJSON_Print(meta);
      cJSON_Delete(meta);
      if (text) {
        size_t len = strlen(text);
        texts[5] = malloc(len + 2);
        if (texts[5]) snprintf(texts[5], len + 2, "%s\n", text);
        cJSON_free(text);
      }
    }
    for (int i = 0; i < NF; i++)
      if (!texts[i])
        st = wp_error_set(err, WP_ENOMEM, "risk folder: out of memory building %s", names[i]);
  }
  if (!st) st = wp_out_write_folder(dir, names, texts, NF, err);
  for (int i = 0; i < NF; i++)
    free(texts[i]);
  for (size_t k = 0; k < 2 * WP_STRATEGY_COUNT; k++)
    free(sorted[k]);
  return st;
}
