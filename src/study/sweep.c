/*
** Sensitivity sweeps (wattpivot/study.h): every point a full plan of the scenario with the
** point's values set as --set sets them, in parallel over the points; each point's result
** depends on the point only, so any thread count or split gives the same numbers.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/sbuf_int.h"
#include "io/output_int.h"
#include "study/strategies_int.h"
#include "wattpivot/format.h"
#include "wattpivot/output.h"
#include "wattpivot/planner.h"
#include "wattpivot/scenario_file.h"
#include "wattpivot/study.h"

wp_status wp_sweep_axis_parse(const char *text, wp_sweep_axis *out, wp_error *err)
{
  memset(out, 0, sizeof *out);
  const char *eq = text ? strrchr(text, '=') : NULL;
  if (!eq || eq == text)
    return wp_error_set(err, WP_EINVAL,
                        "--vary '%s': expected KEY=LO:HI:STEPS (e.g. "
                        "market.btc_price_usd=60000:140000:9)",
                        text ? text : "");
  if ((size_t)(eq - text) >= sizeof out->key)
    return wp_error_set(err, WP_EINVAL, "--vary '%s': the key is too long", text);
  snprintf(out->key, sizeof out->key, "%.*s", (int)(eq - text), text);
  char *end = NULL;
  out->lo = strtod(eq + 1, &end);
  if (end == eq + 1 || *end != ':' || !isfinite(out->lo))
    return wp_error_set(err, WP_EINVAL, "--vary '%s': LO is not a number", text);
  const char *h = end + 1;
  out->hi = strtod(h, &end);
  if (end == h || *end != ':' || !isfinite(out->hi))
    return wp_error_set(err, WP_EINVAL, "--vary '%s': HI is not a number", text);
  const char *s = end + 1;
  long long steps = strtoll(s, &end, 10);
  if (end == s || *end != '\0' || steps < 1 || steps > WP_SWEEP_MAX_STEPS)
    return wp_error_set(err, WP_EINVAL, "--vary '%s': STEPS is out of range; accepted [1, %d]",
                        text, WP_SWEEP_MAX_STEPS);
  out->steps = (size_t)steps;
  return WP_OK;
}

double wp_sweep_axis_value(const wp_sweep_axis *a, size_t k)
{
  if (a->steps <= 1) return a->lo;
  if (k + 1 == a->steps) return a->hi; /* exactly HI, not HI within a rounding */
  return a->lo + (a->hi - a->lo) * (double)k / (double)(a->steps - 1);
}

size_t wp_sweep_points(const wp_sweep_request *req)
{
  size_t n = req->grid ? 1 : 0;
  for (size_t a = 0; a < req->naxes; a++)
    n = req->grid ? n * req->axes[a].steps : n + req->axes[a].steps;
  return n;
}

void wp_sweep_result_free(wp_sweep_result *r)
{
  if (!r) return;
  free(r->site);
  free(r->value);
  free(r->metric);
  free(r->changed);
  free(r);
}

/* Axis values of point p (NaN: the scenario's own). */
static void point_values(const wp_sweep_request *req, size_t p, double *v)
{
  if (req->grid) {
    for (size_t a = req->naxes; a-- > 0;) {
      v[a] = wp_sweep_axis_value(&req->axes[a], p % req->axes[a].steps);
      p /= req->axes[a].steps;
    }
    return;
  }
  for (size_t a = 0; a < req->naxes; a++) {
    v[a] = NAN;
    if (p < req->axes[a].steps) {
      v[a] = wp_sweep_axis_value(&req->axes[a], p);
      for (size_t b = a + 1; b < req->naxes; b++)
        v[b] = NAN;
      return;
    }
    p -= req->axes[a].steps;
  }
}

/* Whether site i decides differently under s than under the base plan b. */
static int decision_differs(const wp_site_out *s, const wp_site_out *b)
{
  return strcmp(s->decision, b->decision) != 0 ||
         strcmp(s->business_model, b->business_model) != 0 ||
         s->convert_month != b->convert_month || s->converted_grid_mw != b->converted_grid_mw;
}

typedef struct sweep_job {
  const wp_scenario *sc;
  const wp_sweep_request *req;
  unsigned mask;
  const wp_plan_out *base;
  wp_sweep_result *r;
  atomic_size_t next, done;
  atomic_int stop;
  pthread_mutex_t lock; /* the first failure */
  wp_status st;
  wp_error err;
} sweep_job;

/* Point p (global index; block index p - first) into the result. */
static wp_status run_point(sweep_job *j, wp_scenario *sc, size_t p, wp_error *err)
{
  const wp_sweep_request *req = j->req;
  wp_sweep_result *r = j->r;
  const size_t b = p - r->first, K = r->nstrategies, S = r->nsites;
  double *v = &r->value[b * r->naxes];
  point_values(req, p, v);
  memcpy(sc, j->sc, sizeof *sc);
  for (size_t a = 0; a < req->naxes; a++) {
    if (isnan(v[a])) continue;
    char set[256];
    snprintf(set, sizeof set, "%s=%.17g", req->axes[a].key, v[a]);
    wp_status st = wp_scenario_set(sc, set, err);
    if (st) return st;
  }
  wp_status st = wp_scenario_check(sc, err);
  if (st) return wp_error_prefix(err, st, "sweep point %zu", p);
  wp_plan_out *plan = NULL;
  if ((st = wp_plan_run(sc, j->mask, &plan, err)))
    return wp_error_prefix(err, st, "sweep point %zu", p);
  for (size_t k = 0; k < K; k++) {
    const wp_strategy_out *so = &plan->strategies[k], *bo = &j->base->strategies[k];
    double *m = &r->metric[(b * K + k) * WP_SWEEP_METRICS];
    double *c = &r->changed[(b * K + k) * S];
    size_t changes = 0;
    for (size_t i = 0; i < S && i < so->nsites; i++) {
      c[i] = decision_differs(&so->sites[i], &bo->sites[i]);
      changes += c[i] != 0;
    }
    m[WP_SWEEP_NPV] = so->npv_usd;
    m[WP_SWEEP_MIN_CASH] = so->min_cash_usd;
    m[WP_SWEEP_AI_IT_MW] = so->ai_it_mw_end;
    m[WP_SWEEP_CHANGES] = (double)changes;
  }
  wp_plan_out_free(plan);
  return WP_OK;
}

static void *worker(void *arg)
{
  sweep_job *j = arg;
  wp_scenario *sc = malloc(sizeof *sc);
  wp_error err = WP_ERROR_INIT;
  wp_status st = sc ? WP_OK : wp_error_set(&err, WP_ENOMEM, "sweep: out of memory");
  for (size_t p; !st && !atomic_load(&j->stop) &&
                 (p = atomic_fetch_add(&j->next, 1)) < j->r->first + j->r->npoints;) {
    st = run_point(j, sc, p, &err);
    atomic_fetch_add(&j->done, 1);
  }
  if (st) {
    atomic_store(&j->stop, 1);
    pthread_mutex_lock(&j->lock);
    if (!j->st) {
      j->st = st;
      j->err = err;
    }
    pthread_mutex_unlock(&j->lock);
  }
  free(sc);
  return NULL;
}

wp_status wp_study_sweep(const wp_scenario *sc, const wp_sweep_request *req, wp_sweep_result **out,
                         wp_error *err)
{
  if (!sc || !req || !out || (req->naxes && !req->axes))
    return wp_error_set(err, WP_EINVAL, "sweep: NULL argument");
  *out = NULL;
  if (req->naxes < 1 || req->naxes > WP_SWEEP_MAX_AXES || (req->grid && req->naxes != 2))
    return wp_error_set(err, WP_EINVAL,
                        "sweep: %zu keys to vary; accepted 1 to %d, or exactly 2 for a grid",
                        req->naxes, WP_SWEEP_MAX_AXES);
  const size_t total = wp_sweep_points(req);
  if (total > WP_SWEEP_MAX_POINTS)
    return wp_error_set(err, WP_EINVAL, "sweep: %zu points; at most %d (fewer steps)", total,
                        WP_SWEEP_MAX_POINTS);
  const size_t count = req->count ? req->count : total - (req->first < total ? req->first : total);
  if (req->first > total || count > total - req->first)
    return wp_error_set(err, WP_EINVAL, "sweep: points [%zu, %zu) are not within the %zu points",
                        req->first, req->first + count, total);
  unsigned mask;
  wp_status st = wp_study_strategies(sc, req->strategies, &mask, err);
  if (st) return st;
  /* Every key is checked on a copy first, at LO and HI: a refused value is said before work. */
  wp_scenario *probe = malloc(sizeof *probe);
  if (!probe) return wp_error_set(err, WP_ENOMEM, "sweep: out of memory");
  for (size_t a = 0; a < req->naxes && !st; a++)
    for (int end = 0; end < 2 && !st; end++) {
      char set[256];
      snprintf(set, sizeof set, "%s=%.17g", req->axes[a].key,
               end ? req->axes[a].hi : req->axes[a].lo);
      memcpy(probe, sc, sizeof *probe);
      st = wp_scenario_set(probe, set, err);
    }
  free(probe);
  if (st) return st;
  wp_plan_out *base = NULL;
  wp_plan_opts po = WP_PLAN_OPTS_DEFAULT;
  po.mask = mask;
  po.progress = req->plan_progress;
  po.progress_ctx = req->plan_progress_ctx;
  if ((st = wp_plan_run_opts(sc, &po, &base, NULL, err))) return st;
  wp_sweep_result *r = calloc(1, sizeof *r);
  const size_t K = base->nstrategies, S = K ? base->strategies[0].nsites : 0;
  if (r) {
    r->first = req->first;
    r->npoints = count;
    r->naxes = req->naxes;
    r->nstrategies = K;
    r->nsites = S;
    r->site = calloc(S + 1, sizeof *r->site);
    r->value = calloc(count * req->naxes + 1, sizeof *r->value);
    r->metric = calloc(count * K * WP_SWEEP_METRICS + 1, sizeof *r->metric);
    r->changed = calloc(count * K * S + 1, sizeof *r->changed);
  }
  if (!r || !r->site || !r->value || !r->metric || !r->changed) {
    wp_sweep_result_free(r);
    wp_plan_out_free(base);
    return wp_error_set(err, WP_ENOMEM, "sweep: out of memory for %zu points", count);
  }
  for (size_t k = 0; k < K; k++) {
    wp_strategy s = WP_STRATEGY_MINING_ONLY;
    wp_strategy_from_name(base->strategies[k].name, &s, NULL);
    r->strategy[k] = s;
    double *m = &r->base[k * WP_SWEEP_METRICS];
    m[WP_SWEEP_NPV] = base->strategies[k].npv_usd;
    m[WP_SWEEP_MIN_CASH] = base->strategies[k].min_cash_usd;
    m[WP_SWEEP_AI_IT_MW] = base->strategies[k].ai_it_mw_end;
    m[WP_SWEEP_CHANGES] = 0;
  }
  for (size_t i = 0; i < S; i++)
    snprintf(r->site[i], sizeof r->site[i], "%s", base->strategies[0].sites[i].name);
  if ((st = wp_scenario_hash(sc, r->scenario_hash, err))) {
    wp_sweep_result_free(r);
    wp_plan_out_free(base);
    return st;
  }
  sweep_job j = {
      .sc = sc, .req = req, .mask = mask, .base = base, .r = r, .st = WP_OK, .err = WP_ERROR_INIT};
  atomic_init(&j.next, req->first);
  atomic_init(&j.done, 0);
  atomic_init(&j.stop, 0);
  pthread_mutex_init(&j.lock, NULL);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  size_t threads = req->threads ? req->threads : (cores > 0 ? (size_t)cores : 1);
  if (threads > count) threads = count ? count : 1;
  pthread_t th[64];
  if (threads > 64) threads = 64;
  size_t started = 0;
  for (; started < threads; started++)
    if (pthread_create(&th[started], NULL, worker, &j) != 0) break;
  if (started == 0) worker(&j); /* no thread could start: this one does the work */
  while (req->progress && started > 0) {
    size_t done = atomic_load(&j.done);
    req->progress(done, count, req->progress_ctx);
    if (done >= count || atomic_load(&j.stop)) break;
    struct timespec nap = {0, 250000000L};
    nanosleep(&nap, NULL);
  }
  for (size_t t = 0; t < started; t++)
    pthread_join(th[t], NULL);
  pthread_mutex_destroy(&j.lock);
  wp_plan_out_free(base);
  if (j.st) {
    if (err) *err = j.err;
    wp_sweep_result_free(r);
    return j.st;
  }
  *out = r;
  return WP_OK;
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void csv_field(wp_sbuf *b, const char *s)
{
  if (strcspn(s, ",\"\r\n") == strlen(s)) {
    wp_sbuf_puts(b, s);
    return;
  }
  wp_sbuf_puts(b, "\"");
  for (const char *p = s; *p; p++) {
    if (*p == '"') wp_sbuf_puts(b, "\""); /* a quote is doubled */
    wp_sbuf_add(b, p, 1);
  }
  wp_sbuf_puts(b, "\"");
}

char *wp_sweep_csv(const wp_sweep_result *r, const wp_sweep_request *req)
{
  wp_sbuf b = WP_SBUF_INIT;
  char num[64];
  wp_sbuf_puts(&b, "key,value,key2,value2,strategy,npv_usd,npv_change_usd,min_cash_usd,"
                   "ai_it_mw_end,decision_changes,changed_sites\n");
  const size_t K = r->nstrategies, S = r->nsites;
  for (size_t p = 0; p < r->npoints; p++) {
    const double *v = &r->value[p * r->naxes];
    size_t a1 = 0;
    while (a1 + 1 < r->naxes && isnan(v[a1]))
      a1++;
    for (size_t k = 0; k < K; k++) {
      const double *m = &r->metric[(p * K + k) * WP_SWEEP_METRICS];
      csv_field(&b, req->axes[a1].key);
      wp_sbuf_printf(&b, ",%s,", wp_format_exact(num, sizeof num, v[a1]));
      if (req->grid) {
        csv_field(&b, req->axes[1].key);
        wp_sbuf_printf(&b, ",%s", wp_format_exact(num, sizeof num, v[1]));
      } else {
        wp_sbuf_puts(&b, ",");
      }
      wp_sbuf_printf(&b, ",%s", wp_strategy_name(r->strategy[k]));
      wp_sbuf_printf(&b, ",%s", wp_format_exact(num, sizeof num, m[WP_SWEEP_NPV]));
      wp_sbuf_printf(
          &b, ",%s",
          wp_format_exact(num, sizeof num, m[WP_SWEEP_NPV] - r->base[k * WP_SWEEP_METRICS]));
      wp_sbuf_printf(&b, ",%s", wp_format_exact(num, sizeof num, m[WP_SWEEP_MIN_CASH]));
      wp_sbuf_printf(&b, ",%s", wp_format_exact(num, sizeof num, m[WP_SWEEP_AI_IT_MW]));
      wp_sbuf_printf(&b, ",%.0f,", m[WP_SWEEP_CHANGES]);
      wp_sbuf b2 = WP_SBUF_INIT;
      for (size_t i = 0, n = 0; i < S; i++)
        if (r->changed[(p * K + k) * S + i] != 0) {
          if (n++) wp_sbuf_puts(&b2, ";");
          wp_sbuf_puts(&b2, r->site[i]);
        }
      char *sites = wp_sbuf_take(&b2);
      csv_field(&b, sites ? sites : "");
      free(sites);
      wp_sbuf_puts(&b, "\n");
    }
  }
  return wp_sbuf_take(&b);
}

/* Points [p0, p1] of strategy k: lowest and highest NPV. */
static void npv_range(const wp_sweep_result *r, size_t k, size_t p0, size_t p1, double *lo,
                      double *hi)
{
  *lo = INFINITY;
  *hi = -INFINITY;
  for (size_t p = p0; p <= p1; p++) {
    const double v = r->metric[(p * r->nstrategies + k) * WP_SWEEP_METRICS + WP_SWEEP_NPV];
    *lo = fmin(*lo, v);
    *hi = fmax(*hi, v);
  }
}

/* One strategy's tornado: a bar per key from its lowest to its highest NPV, around the base. */
static void tornado_svg(wp_sbuf *b, const wp_sweep_result *r, const wp_sweep_request *req, size_t k)
{
  const size_t A = req->naxes, K = r->nstrategies, S = r->nsites;
  size_t first[WP_SWEEP_MAX_AXES + 1], order[WP_SWEEP_MAX_AXES];
  double lo[WP_SWEEP_MAX_AXES], hi[WP_SWEEP_MAX_AXES], all_lo, all_hi;
  const double base = r->base[k * WP_SWEEP_METRICS + WP_SWEEP_NPV];
  all_lo = all_hi = base;
  first[0] = 0;
  for (size_t a = 0; a < A; a++) {
    first[a + 1] = first[a] + req->axes[a].steps;
    npv_range(r, k, first[a], first[a + 1] - 1, &lo[a], &hi[a]);
    all_lo = fmin(all_lo, lo[a]);
    all_hi = fmax(all_hi, hi[a]);
    order[a] = a;
  }
  for (size_t a = 1; a < A; a++) /* widest swing first */
    for (size_t c = a; c > 0 && hi[order[c]] - lo[order[c]] > hi[order[c - 1]] - lo[order[c - 1]];
         c--) {
      size_t t = order[c];
      order[c] = order[c - 1];
      order[c - 1] = t;
    }
  const double W = 420, X0 = 260, ROW = 26, span = all_hi > all_lo ? all_hi - all_lo : 1;
  const double H = ROW * (double)A + 30;
  wp_sbuf_printf(b, "<svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\">\n",
                 X0 + W + 110, H, X0 + W + 110, H);
  const double xb = X0 + (base - all_lo) / span * W;
  for (size_t n = 0; n < A; n++) {
    const size_t a = order[n];
    const double y = 10 + ROW * (double)n, x1 = X0 + (lo[a] - all_lo) / span * W,
                 x2 = X0 + (hi[a] - all_lo) / span * W;
    wp_sbuf_printf(b, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">", X0 - 6,
                   y + 13);
    wp_out_html(b, req->axes[a].key);
    wp_sbuf_printf(b, " (%g..%g)</text>\n", req->axes[a].lo, req->axes[a].hi);
    int flips = 0;
    for (size_t p = first[a]; p < first[a + 1] && !flips; p++)
      for (size_t i = 0; i < S && !flips; i++)
        flips = r->changed[(p * K + k) * S + i] != 0;
    wp_sbuf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\"/>\n",
                   x1, y, fmax(x2 - x1, 1), ROW - 6, flips ? "#e67e22" : "#5d8aa8");
    wp_sbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">%.0f .. %.0f</text>\n",
                   fmax(x2, x1 + 1) + 4, y + 13, lo[a] / 1e6, hi[a] / 1e6);
  }
  wp_sbuf_printf(b,
                 "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"4\" y2=\"%.0f\" stroke=\"#333\"/>"
                 "<text x=\"%.1f\" y=\"%.0f\" font-size=\"10\" text-anchor=\"middle\">base "
                 "$%.0fM</text>\n</svg>\n",
                 xb, xb, H - 16, xb, H - 4, base / 1e6);
}

/* One strategy's heat map over the grid: a cell per point, coloured from lowest to highest NPV,
** its value ($M) written in it; a cell where a decision changes is outlined. */
static void heatmap_svg(wp_sbuf *b, const wp_sweep_result *r, const wp_sweep_request *req, size_t k)
{
  const size_t n1 = req->axes[0].steps, n2 = req->axes[1].steps, K = r->nstrategies;
  double lo, hi;
  npv_range(r, k, 0, r->npoints - 1, &lo, &hi);
  const double CW = 64, CH = 24, X0 = 90, Y0 = 24, span = hi > lo ? hi - lo : 1;
  wp_sbuf_printf(b, "<svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\">\n",
                 X0 + CW * (double)n2 + 10, Y0 + CH * (double)n1 + 10, X0 + CW * (double)n2 + 10,
                 Y0 + CH * (double)n1 + 10);
  for (size_t j = 0; j < n2; j++)
    wp_sbuf_printf(b,
                   "<text x=\"%.0f\" y=\"16\" font-size=\"10\" text-anchor=\"middle\">%g</text>\n",
                   X0 + CW * ((double)j + 0.5), wp_sweep_axis_value(&req->axes[1], j));
  for (size_t i = 0; i < n1; i++) {
    wp_sbuf_printf(b,
                   "<text x=\"%.0f\" y=\"%.0f\" font-size=\"10\" text-anchor=\"end\">%g</text>\n",
                   X0 - 4, Y0 + CH * ((double)i + 0.65), wp_sweep_axis_value(&req->axes[0], i));
    for (size_t j = 0; j < n2; j++) {
      const size_t p = i * n2 + j;
      const double v = r->metric[(p * K + k) * WP_SWEEP_METRICS + WP_SWEEP_NPV];
      const double t = (v - lo) / span; /* 0 red .. 1 blue */
      const int red = (int)(220 - 170 * t), blue = (int)(60 + 170 * t);
      const int changed = r->metric[(p * K + k) * WP_SWEEP_METRICS + WP_SWEEP_CHANGES] > 0;
      wp_sbuf_printf(b,
                     "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" "
                     "fill=\"rgb(%d,120,%d)\"%s/><text x=\"%.0f\" y=\"%.0f\" font-size=\"10\" "
                     "fill=\"#fff\" text-anchor=\"middle\">%.0f</text>\n",
                     X0 + CW * (double)j, Y0 + CH * (double)i, CW - 2, CH - 2, red, blue,
                     changed ? " stroke=\"#111\" stroke-width=\"2\"" : "",
                     X0 + CW * ((double)j + 0.5), Y0 + CH * ((double)i + 0.65), v / 1e6);
    }
  }
  wp_sbuf_puts(b, "</svg>\n");
}

static char *sweep_report(const wp_sweep_result *r, const wp_sweep_request *req,
                          const char *scenario, const char *created)
{
  wp_sbuf b = WP_SBUF_INIT;
  wp_sbuf_puts(&b,
               "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sweep: ");
  wp_out_html(&b, scenario);
  wp_sbuf_puts(&b, "</title>\n<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:64em}"
                   "</style></head><body>\n<h1>Sweep: ");
  wp_out_html(&b, scenario);
  wp_sbuf_printf(&b,
                 "</h1>\n<p>%zu points, %s; NPV in $M at the hurdle rate. wattpivot %s, %s; "
                 "scenario hash %s.</p>\n",
                 r->npoints,
                 req->grid ? "a two-way grid"
                           : "one key at a time, the others at the "
                             "scenario's values",
                 wp_version(), created, r->scenario_hash[0] ? r->scenario_hash : "n/a");
  if (!req->grid)
    wp_sbuf_puts(&b, "<p>Each bar spans the NPV over the key's range (widest swing first); orange: "
                     "some site's decision changes within the range.</p>\n");
  else
    wp_sbuf_puts(&b, "<p>Rows: the first key; columns: the second; red the lowest NPV, blue the "
                     "highest. Outlined cells: some site's decision differs from the base plan "
                     "there.</p>\n");
  for (size_t k = 0; k < r->nstrategies; k++) {
    wp_sbuf_printf(&b, "<h2>%s</h2>\n", wp_strategy_name(r->strategy[k]));
    if (req->grid)
      heatmap_svg(&b, r, req, k);
    else
      tornado_svg(&b, r, req, k);
  }
  wp_sbuf_puts(&b, "</body></html>\n");
  return wp_sbuf_take(&b);
}

wp_status wp_sweep_write_dir(const wp_sweep_result *r, const wp_sweep_request *req,
                             const char *scenario, const char *summary_json, const char *dir,
                             wp_error *err)
{
  if (!r || !req || !scenario || !summary_json || !dir)
    return wp_error_set(err, WP_EINVAL, "sweep folder: NULL argument");
  if (r->npoints == 0 || r->nstrategies == 0)
    return wp_error_set(err, WP_EINVAL, "sweep folder: no points");
  char created[32] = "";
  wp_output_now_utc(created, sizeof created, NULL);
  static const char *const names[] = {"sweep.csv", "summary.json", "meta.json", "report.html"};
  char *texts[4] = {wp_sweep_csv(r, req), NULL, NULL, sweep_report(r, req, scenario, created)};
  wp_sbuf s = WP_SBUF_INIT;
  wp_sbuf_printf(&s, "%s%s", summary_json,
                 summary_json[0] && summary_json[strlen(summary_json) - 1] == '\n' ? "" : "\n");
  texts[1] = wp_sbuf_take(&s);
  wp_sbuf m = WP_SBUF_INIT;
  wp_sbuf_printf(&m,
                 "{\n\t\"wattpivot_version\":\t\"%s\",\n\t\"created_utc\":\t\"%s\",\n"
                 "\t\"scenario\":\t\"",
                 wp_version(), created);
  for (const char *c = scenario; *c; c++) { /* JSON string escapes */
    if (*c == '"' || *c == '\\') wp_sbuf_puts(&m, "\\");
    if ((unsigned char)*c < 0x20)
      wp_sbuf_printf(&m, "\\u%04x", (unsigned)(unsigned char)*c);
    else
      wp_sbuf_add(&m, c, 1);
  }
  wp_sbuf_printf(
      &m, "\",\n\t\"scenario_hash\":\t\"%s\",\n\t\"design\":\t\"%s\",\n\t\"points\":\t%zu\n}\n",
      r->scenario_hash, req->grid ? "grid" : "one-at-a-time", r->npoints);
  texts[2] = wp_sbuf_take(&m);
  wp_status st = WP_OK;
  for (int i = 0; i < 4 && !st; i++)
    if (!texts[i]) st = wp_error_set(err, WP_ENOMEM, "sweep folder: out of memory");
  if (!st) st = wp_output_write_folder(dir, names, texts, 4, err);
  for (int i = 0; i < 4; i++)
    free(texts[i]);
  return st;
}
