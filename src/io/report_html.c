/* The self-contained HTML report of a plan result: inline SVG charts drawn here, tables, no
** scripts and no external resources (see wattpivot/output.h). The page is well-formed XML so
** xmllint can check it; every chart coordinate comes from finite, clamped numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/output_int.h"
#include "wattpivot/format.h"
#include "wattpivot/output.h"

#define PAGE_W 960 /* chart width, px */

/* Okabe & Ito's colour-blind-safe palette (judgment: a common choice for categorical data). */
static const char *const strategy_colors[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                              "#E69F00", "#56B4E9", "#000000", "#8C6D1F"};
#define NCOLORS (sizeof strategy_colors / sizeof strategy_colors[0])
static const char *const mix_colors[3] = {"#E69F00", "#0072B2", "#A0A0A0"};
static const char *const mix_labels[3] = {"mining (grid MW)", "AI halls (grid MW)",
                                          "under construction (grid MW)"};
static const wp_series mix_series[3] = {WP_SERIES_MINING_GRID_MW, WP_SERIES_AI_GRID_MW,
                                        WP_SERIES_CONSTRUCTION_GRID_MW};

static const char *color_of(size_t i)
{
  return strategy_colors[i % NCOLORS];
}

void wp_out_html(wp_sbuf *b, const char *s)
{
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    switch (c) {
    case '&':
      wp_sbuf_puts(b, "&amp;");
      break;
    case '<':
      wp_sbuf_puts(b, "&lt;");
      break;
    case '>':
      wp_sbuf_puts(b, "&gt;");
      break;
    case '"':
      wp_sbuf_puts(b, "&quot;");
      break;
    case '\'':
      wp_sbuf_puts(b, "&#39;");
      break;
    default:
      wp_sbuf_add(b, c < 0x20 || c == 0x7F ? " " : s, 1);
    }
  }
}

/* At most max code points of s, with "…" when cut (UTF-8 boundaries kept). */
static const char *shorten(char *buf, size_t n, const char *s, size_t max)
{
  size_t i = 0, cols = 0;
  while (s[i] && cols < max) {
    i++;
    while (((unsigned char)s[i] & 0xC0) == 0x80)
      i++;
    cols++;
  }
  if (!s[i]) {
    snprintf(buf, n, "%s", s);
  } else {
    size_t keep = i;
    /* step back one code point to make room for the ellipsis */
    while (keep > 0 && ((unsigned char)s[--keep] & 0xC0) == 0x80) {
    }
    snprintf(buf, n, "%.*s\xE2\x80\xA6", (int)keep, s);
  }
  return buf;
}

static double finite_or(double v, double dflt)
{
  return isfinite(v) ? v : dflt;
}

/* ---- axes ---- */

/* A value axis from lo to hi (always including 0) with round tick steps. */
typedef struct axis {
  double lo, hi, step;
  int decimals; /* of the tick labels */
} axis;

static axis nice_axis(double lo, double hi, int ticks)
{
  axis a;
  /* clamped so hi - lo stays finite for absurd inputs */
  lo = fmax(fmin(finite_or(lo, 0), 0), -1e300);
  hi = fmin(fmax(finite_or(hi, 0), 0), 1e300);
  if (hi - lo < 1e-9 * fmax(fabs(lo), fabs(hi)) || hi - lo <= 0) hi = lo + 1;
  double raw = (hi - lo) / ticks, mag = pow(10, floor(log10(raw))), f = raw / mag;
  a.step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
  a.lo = floor(lo / a.step + 1e-9) * a.step;
  a.hi = ceil(hi / a.step - 1e-9) * a.step;
  if (a.hi <= a.lo) a.hi = a.lo + a.step;
  double d = ceil(-log10(a.step) + 1e-9);
  if (a.step / mag == 2.5 && a.step < 10) d += 1;
  a.decimals = d < 0 ? 0 : d > 6 ? 6 : (int)d;
  return a;
}

/* A chart's plot area in px and its data ranges: x along [xlo, xhi], y along the axis. */
typedef struct chart {
  wp_sbuf *b;
  double x0, y0, w, h;
  double xlo, xhi;
  axis v;
} chart;

static double px_x(const chart *c, double x)
{
  double t = (x - c->xlo) / (c->xhi - c->xlo);
  return c->x0 + fmin(fmax(finite_or(t, 0), -0.01), 1.01) * c->w;
}

static double px_y(const chart *c, double y)
{
  double t = (finite_or(y, 0) - c->v.lo) / (c->v.hi - c->v.lo);
  return c->y0 + c->h - fmin(fmax(t, -0.01), 1.01) * c->h;
}

/* Same mapping when the value axis runs along x (horizontal bars). */
static double px_vx(const chart *c, double v)
{
  double t = (finite_or(v, 0) - c->v.lo) / (c->v.hi - c->v.lo);
  return c->x0 + fmin(fmax(t, -0.01), 1.01) * c->w;
}

static void svg_open(wp_sbuf *b, int w, int h, const char *title)
{
  wp_sbuf_printf(b,
                 "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                 "role=\"img\"><title>",
                 w, h, w, h);
  wp_out_html(b, title);
  wp_sbuf_puts(b, "</title>\n");
}

/* Horizontal grid lines and labels of the value axis (vertical charts); title rotated. */
static void y_axis(const chart *c, const char *title)
{
  char t[48];
  long n = lround((c->v.hi - c->v.lo) / c->v.step);
  for (long k = 0; k <= n; k++) {
    double v = c->v.lo + (double)k * c->v.step, y = px_y(c, v);
    int zero = fabs(v) < c->v.step * 1e-6;
    wp_sbuf_printf(c->b,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"%s\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>\n",
                   c->x0, y, c->x0 + c->w, y, zero ? "zero" : "grid", c->x0 - 6, y + 4,
                   wp_format_grouped(t, sizeof t, zero ? 0.0 : v, c->v.decimals));
  }
  wp_sbuf_printf(c->b,
                 "<text x=\"14\" y=\"%.1f\" class=\"axis\" text-anchor=\"middle\" "
                 "transform=\"rotate(-90 14 %.1f)\">",
                 c->y0 + c->h / 2, c->y0 + c->h / 2);
  wp_out_html(c->b, title);
  wp_sbuf_puts(c->b, "</text>\n");
}

/* Vertical grid lines and labels of the value axis (horizontal bars), title below. */
static void x_value_axis(const chart *c, const char *title)
{
  char t[48];
  long n = lround((c->v.hi - c->v.lo) / c->v.step);
  for (long k = 0; k <= n; k++) {
    double v = c->v.lo + (double)k * c->v.step, x = px_vx(c, v);
    int zero = fabs(v) < c->v.step * 1e-6;
    wp_sbuf_printf(c->b,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"%s\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%s</text>\n",
                   x, c->y0, x, c->y0 + c->h, zero ? "zero" : "grid", x, c->y0 + c->h + 16,
                   wp_format_grouped(t, sizeof t, zero ? 0.0 : v, c->v.decimals));
  }
  wp_sbuf_printf(c->b, "<text x=\"%.1f\" y=\"%.1f\" class=\"axis\" text-anchor=\"middle\">",
                 c->x0 + c->w / 2, c->y0 + c->h + 34);
  wp_out_html(c->b, title);
  wp_sbuf_puts(c->b, "</text>\n");
}

/* Month ticks along x (x = k is the start of month k), on calendar-aligned round steps. */
static void month_axis(const chart *c, wp_ym start, size_t months)
{
  static const long steps[] = {1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000};
  long step = steps[0];
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
    step = steps[i];
    if ((long)months / step <= 10) break;
  }
  long base = (long)start.year * 12 + start.month - 1;
  for (long k = 0; k <= (long)months; k++) {
    if ((base + k) % step != 0 && !(k == 0 && months < 2)) continue;
    wp_ym ym = wp_calendar_add_months(start, k);
    double x = px_x(c, (double)k);
    wp_sbuf_printf(c->b,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"tickmark\"/>", x,
                   c->y0 + c->h, x, c->y0 + c->h + 5);
    if (step >= 12)
      wp_sbuf_printf(c->b,
                     "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" "
                     "text-anchor=\"middle\">%04d</text>\n",
                     x, c->y0 + c->h + 18, ym.year);
    else
      wp_sbuf_printf(c->b,
                     "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" "
                     "text-anchor=\"middle\">%04d-%02d</text>\n",
                     x, c->y0 + c->h + 18, ym.year, ym.month);
  }
  wp_sbuf_printf(c->b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"frame\"/>\n",
                 c->x0, c->y0 + c->h, c->x0 + c->w, c->y0 + c->h);
}

/* A legend row of colour swatches starting at (x, y). */
static void legend(wp_sbuf *b, double x, double y, const char *const *labels,
                   const char *const *colors, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    wp_sbuf_printf(b,
                   "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" class=\"legend\">",
                   x, y - 10, colors[i], x + 16, y);
    wp_out_html(b, labels[i]);
    wp_sbuf_puts(b, "</text>\n");
    x += 16 + 7.0 * (double)strlen(labels[i]) + 22;
  }
}

static void strategy_legend(wp_sbuf *b, const wp_plan_out *plan, double x, double y)
{
  char names[8][40], full[40];
  const char *labels[8], *colors[8];
  for (size_t i = 0; i < plan->nstrategies; i += 8) {
    size_t n = 0;
    for (; n < 8 && i + n < plan->nstrategies; n++) {
      WP_OUT_FIELD(full, plan->strategies[i + n].name);
      labels[n] = shorten(names[n], sizeof names[n], full, 24);
      colors[n] = color_of(i + n);
    }
    legend(b, x, y + (double)(i / 8) * 18, labels, colors, n);
  }
}

/* ---- the four charts ---- */

static void mix_chart(wp_sbuf *b, const wp_plan_out *plan, const wp_strategy_out *st, axis v)
{
  char title[160], name[40];
  int H = 270;
  chart c = {b, 80, 40, PAGE_W - 100, H - 40 - 50, 0, (double)plan->months, v};
  snprintf(title, sizeof title, "Grid MW by use, month by month: %s", WP_OUT_FIELD(name, st->name));
  svg_open(b, PAGE_W, H, title);
  wp_sbuf_puts(b, "<text x=\"80\" y=\"16\" class=\"ctitle\">");
  wp_out_html(b, name);
  wp_sbuf_puts(b, "</text>\n");
  legend(b, 80, 33, mix_labels, mix_colors, 3);
  y_axis(&c, "grid MW");
  /* Stacked step areas: month m covers [m, m+1]; negative or missing MW count as 0. */
  for (int layer = 2; layer >= 0; layer--) {
    wp_sbuf_printf(b, "<path fill=\"%s\" stroke=\"none\" d=\"", mix_colors[layer]);
    for (size_t m = 0; m < plan->months; m++) {
      double top = 0;
      for (int l = 0; l <= layer; l++)
        top += fmax(finite_or(st->series[mix_series[l]][m], 0), 0);
      wp_sbuf_printf(b, "%s%.1f %.1fL%.1f %.1f", m ? "L" : "M", px_x(&c, (double)m), px_y(&c, top),
                     px_x(&c, (double)m + 1), px_y(&c, top));
    }
    wp_sbuf_printf(b, "L%.1f %.1fL%.1f %.1fZ\"/>\n", px_x(&c, (double)plan->months), px_y(&c, 0),
                   px_x(&c, 0), px_y(&c, 0));
  }
  month_axis(&c, plan->start, plan->months);
  wp_sbuf_puts(b, "</svg>\n");
}

static void mix_charts(wp_sbuf *b, const wp_plan_out *plan)
{
  double hi = 0;
  for (size_t i = 0; i < plan->nstrategies; i++)
    for (size_t m = 0; m < plan->months; m++) {
      double top = 0;
      for (int l = 0; l < 3; l++)
        top += fmax(finite_or(plan->strategies[i].series[mix_series[l]][m], 0), 0);
      hi = fmax(hi, top);
    }
  axis v = nice_axis(0, hi, 5); /* one scale for every strategy, so heights compare */
  for (size_t i = 0; i < plan->nstrategies; i++)
    mix_chart(b, plan, &plan->strategies[i], v);
}

static void cash_chart(wp_sbuf *b, const wp_plan_out *plan)
{
  double lo = 0, hi = 0;
  for (size_t i = 0; i < plan->nstrategies; i++)
    for (size_t m = 0; m < plan->months; m++) {
      double v = plan->strategies[i].series[WP_SERIES_CASH_USD][m] / 1e6;
      if (isfinite(v)) lo = fmin(lo, v), hi = fmax(hi, v);
    }
  if (isfinite(plan->cash_floor_usd))
    lo = fmin(lo, plan->cash_floor_usd / 1e6), hi = fmax(hi, plan->cash_floor_usd / 1e6);
  int H = 340;
  chart c = {b, 80, 40, PAGE_W - 100, H - 40 - 50, 0, (double)plan->months, nice_axis(lo, hi, 6)};
  svg_open(b, PAGE_W, H, "Month-end cash balance by strategy");
  strategy_legend(b, plan, 80, 22);
  y_axis(&c, "cash balance, $M");
  /* Month-end balances sit at the end of their month (x = m + 1); gaps at missing values. */
  for (size_t i = 0; i < plan->nstrategies; i++) {
    const double *cash = plan->strategies[i].series[WP_SERIES_CASH_USD];
    wp_sbuf_printf(b, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"", color_of(i));
    int pen = 0;
    for (size_t m = 0; m < plan->months; m++) {
      if (!isfinite(cash[m])) {
        pen = 0;
        continue;
      }
      wp_sbuf_printf(b, "%s%.1f %.1f", pen ? "L" : "M", px_x(&c, (double)m + 1),
                     px_y(&c, cash[m] / 1e6));
      pen = 1;
    }
    wp_sbuf_puts(b, "\"/>\n");
    if (plan->months == 1 && isfinite(cash[0]))
      wp_sbuf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>\n", px_x(&c, 1),
                     px_y(&c, cash[0] / 1e6), color_of(i));
  }
  if (isfinite(plan->cash_floor_usd)) { /* the floor every strategy must hold */
    const double y = px_y(&c, plan->cash_floor_usd / 1e6);
    wp_sbuf_printf(b,
                   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#c0392b\" "
                   "stroke-dasharray=\"6 3\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                   "fill=\"#c0392b\">cash floor $%.0fM</text>\n",
                   px_x(&c, 0), px_x(&c, (double)plan->months), y, y, px_x(&c, 0) + 4, y - 4,
                   plan->cash_floor_usd / 1e6);
  }
  month_axis(&c, plan->start, plan->months);
  wp_sbuf_puts(b, "</svg>\n");
}

/* Lines over the months (n of them, ys[i][m] / scale), on axis v, with a legend and a title. */
static void line_chart(wp_sbuf *b, const wp_plan_out *plan, const char *title, const char *unit,
                       const double *const *ys, const char *const *labels,
                       const char *const *colors, size_t n, double scale, axis v)
{
  int H = 240;
  chart c = {b, 80, 40, PAGE_W - 100, H - 40 - 50, 0, (double)plan->months, v};
  svg_open(b, PAGE_W, H, title);
  wp_sbuf_puts(b, "<text x=\"80\" y=\"16\" class=\"ctitle\">");
  wp_out_html(b, title);
  wp_sbuf_puts(b, "</text>\n");
  legend(b, 80, 33, labels, colors, n);
  y_axis(&c, unit);
  for (size_t i = 0; i < n; i++) {
    wp_sbuf_printf(b, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"", colors[i]);
    for (size_t m = 0; m < plan->months; m++)
      wp_sbuf_printf(b, "%s%.1f %.1f", m ? "L" : "M", px_x(&c, (double)m + 0.5),
                     px_y(&c, finite_or(ys[i][m], 0) / scale));
    wp_sbuf_puts(b, "\"/>\n");
  }
  month_axis(&c, plan->start, plan->months);
  wp_sbuf_puts(b, "</svg>\n");
}

/* Revenue of each business, month by month, one chart per strategy on one scale. */
static void revenue_charts(wp_sbuf *b, const wp_plan_out *plan)
{
  static const char *const labels[2] = {"mining revenue", "AI revenue (colocation, GPU cloud)"};
  static const char *const colors[2] = {"#E69F00", "#0072B2"};
  double hi = 0;
  for (size_t i = 0; i < plan->nstrategies; i++)
    for (size_t m = 0; m < plan->months; m++)
      hi = fmax(hi, fmax(finite_or(plan->strategies[i].series[WP_SERIES_REVENUE_MINING_USD][m], 0),
                         finite_or(plan->strategies[i].series[WP_SERIES_REVENUE_AI_USD][m], 0)));
  axis v = nice_axis(0, hi / 1e6, 5);
  for (size_t i = 0; i < plan->nstrategies; i++) {
    const wp_strategy_out *st = &plan->strategies[i];
    const double *ys[2] = {st->series[WP_SERIES_REVENUE_MINING_USD],
                           st->series[WP_SERIES_REVENUE_AI_USD]};
    char name[40], title[96];
    snprintf(title, sizeof title, "Revenue by business: %s", WP_OUT_FIELD(name, st->name));
    line_chart(b, plan, title, "$M per month", ys, labels, colors, 2, 1e6, v);
  }
}

/* EBITDA of each business (mining, AI, corporate overhead), month by month, one chart per
** strategy on one scale; the three lines sum to the strategy's EBITDA. */
static void ebitda_charts(wp_sbuf *b, const wp_plan_out *plan)
{
  static const char *const labels[WP_SEGMENT_COUNT] = {
      "mining EBITDA", "AI EBITDA (colocation, GPU cloud)", "corporate overhead"};
  static const char *const colors[WP_SEGMENT_COUNT] = {"#E69F00", "#0072B2", "#999999"};
  double lo = 0, hi = 0;
  for (size_t i = 0; i < plan->nstrategies; i++)
    for (int s = 0; s < WP_SEGMENT_COUNT; s++)
      for (size_t m = 0; m < plan->months; m++) {
        const double v = finite_or(plan->strategies[i].ebitda_usd[s][m], 0) / 1e6;
        lo = fmin(lo, v);
        hi = fmax(hi, v);
      }
  axis v = nice_axis(lo, hi, 5);
  for (size_t i = 0; i < plan->nstrategies; i++) {
    const wp_strategy_out *st = &plan->strategies[i];
    const double *ys[WP_SEGMENT_COUNT];
    for (int s = 0; s < WP_SEGMENT_COUNT; s++)
      ys[s] = st->ebitda_usd[s];
    char name[40], title[96];
    snprintf(title, sizeof title, "EBITDA by business: %s", WP_OUT_FIELD(name, st->name));
    line_chart(b, plan, title, "$M per month", ys, labels, colors, WP_SEGMENT_COUNT, 1e6, v);
  }
}

/* Whether every strategy carries its EBITDA by business (a stored run does not). */
static int has_ebitda(const wp_plan_out *plan)
{
  for (size_t i = 0; i < plan->nstrategies; i++)
    for (int s = 0; s < WP_SEGMENT_COUNT; s++)
      if (!plan->strategies[i].ebitda_usd[s]) return 0;
  return plan->nstrategies > 0;
}

/* The market path the plan was valued on: one chart per price. */
static void market_charts(wp_sbuf *b, const wp_plan_out *plan)
{
  static const char *const titles[WP_PLAN_MARKET_COUNT] = {
      "BTC price", "Hashprice", "Power price (market)", "GPU cloud price (index)",
      "Colocation rent (new leases)"};
  static const char *const units[WP_PLAN_MARKET_COUNT] = {"USD", "USD/PH/day", "USD/MWh",
                                                          "USD/GPU-hour", "USD/kW-month"};
  static const char *const color[1] = {"#333333"};
  for (int q = 0; q < WP_PLAN_MARKET_COUNT; q++) {
    const double *y = plan->market[q];
    if (!y) continue;
    double hi = 0;
    for (size_t m = 0; m < plan->months; m++)
      hi = fmax(hi, finite_or(y[m], 0));
    const char *label[1] = {titles[q]};
    line_chart(b, plan, titles[q], units[q], &y, label, color, 1, 1, nice_axis(0, hi, 5));
  }
}

static void npv_strategy_chart(wp_sbuf *b, const wp_plan_out *plan)
{
  char t[48], name[40], full[40];
  double lo = 0, hi = 0;
  size_t n = plan->nstrategies;
  for (size_t i = 0; i < n; i++) {
    double v = plan->strategies[i].npv_usd / 1e6;
    if (isfinite(v)) lo = fmin(lo, v), hi = fmax(hi, v);
  }
  int H = 320;
  chart c = {b, 80, 30, PAGE_W - 100, H - 30 - 50, 0, (double)n, nice_axis(lo, hi, 5)};
  svg_open(b, PAGE_W, H, "NPV by strategy");
  y_axis(&c, "NPV, $M");
  double slot = c.w / (double)n, bw = fmin(slot * 0.6, 140);
  for (size_t i = 0; i < n; i++) {
    double v = plan->strategies[i].npv_usd / 1e6, xm = c.x0 + slot * ((double)i + 0.5);
    double y0 = px_y(&c, 0), y1 = px_y(&c, v);
    wp_sbuf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                   xm - bw / 2, fmin(y0, y1), bw, fabs(y1 - y0), color_of(i));
    /* value label outside the bar's end: above a positive bar, below a negative one */
    wp_sbuf_printf(b,
                   "<text x=\"%.1f\" y=\"%.1f\" class=\"value\" text-anchor=\"middle\">%s</text>",
                   xm, v < 0 ? y1 + 14 : y1 - 5, wp_format_grouped(t, sizeof t, v, 1));
    wp_sbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">", xm,
                   c.y0 + c.h + 18);
    WP_OUT_FIELD(full, plan->strategies[i].name);
    wp_out_html(b, shorten(name, sizeof name, full, (size_t)(slot / 7.5)));
    wp_sbuf_puts(b, "</text>\n");
  }
  wp_sbuf_puts(b, "</svg>\n");
}

static void npv_site_chart(wp_sbuf *b, const wp_plan_out *plan)
{
  char t[48], name[260], full[72];
  size_t ns = plan->nstrategies, nsites = plan->strategies[0].nsites;
  for (size_t i = 1; i < ns; i++)
    if (plan->strategies[i].nsites < nsites) nsites = plan->strategies[i].nsites;
  double lo = 0, hi = 0, bar = 14, gap = 14, group = (double)ns * bar + gap;
  for (size_t i = 0; i < ns; i++)
    for (size_t k = 0; k < nsites; k++) {
      double v = plan->strategies[i].sites[k].npv_usd / 1e6;
      if (isfinite(v)) lo = fmin(lo, v), hi = fmax(hi, v);
    }
  int H = (int)(50 + (double)nsites * group + 50 + 18 * (double)((ns - 1) / 8));
  double top = 50 + 18 * (double)((ns - 1) / 8);
  chart c = {b, 220, top, PAGE_W - 250, (double)nsites * group, 0, 1, nice_axis(lo, hi, 6)};
  svg_open(b, PAGE_W, H, "NPV by site and strategy");
  strategy_legend(b, plan, 220, 22);
  x_value_axis(&c, "site NPV, $M");
  for (size_t k = 0; k < nsites; k++) {
    double gy = c.y0 + (double)k * group + gap / 2;
    wp_sbuf_puts(b, "<g><title>");
    wp_out_html(b, WP_OUT_FIELD(full, plan->strategies[0].sites[k].name));
    wp_sbuf_printf(b, "</title><text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">",
                   c.x0 - 8, gy + (double)ns * bar / 2 + 4);
    wp_out_html(b, shorten(name, sizeof name, full, 28));
    wp_sbuf_puts(b, "</text>\n");
    for (size_t i = 0; i < ns; i++) {
      double v = plan->strategies[i].sites[k].npv_usd / 1e6;
      double x0 = px_vx(&c, 0), x1 = px_vx(&c, v), y = gy + (double)i * bar;
      wp_sbuf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                     fmin(x0, x1), y + 1, fabs(x1 - x0), bar - 2, color_of(i));
      wp_sbuf_printf(b,
                     "<text x=\"%.1f\" y=\"%.1f\" class=\"value\" text-anchor=\"%s\">%s</text>\n",
                     v < 0 ? x1 - 4 : x1 + 4, y + bar - 3, v < 0 ? "end" : "start",
                     wp_format_grouped(t, sizeof t, v, 1));
    }
    wp_sbuf_puts(b, "</g>\n");
  }
  wp_sbuf_puts(b, "</svg>\n");
}

/* ---- tables ---- */

static void td_text(wp_sbuf *b, const char *s, const char *cls)
{
  wp_sbuf_printf(b, "<td%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
  wp_out_html(b, s);
  wp_sbuf_puts(b, "</td>");
}

static void td_num(wp_sbuf *b, double v, double scale, int decimals)
{
  char t[48];
  wp_sbuf_printf(b, "<td class=\"num\">%s</td>",
                 wp_format_grouped(t, sizeof t, v / scale, decimals));
}

static void strategy_table(wp_sbuf *b, const wp_plan_out *plan, size_t best)
{
  char t[260];
  wp_sbuf_puts(
      b, "<table><thead><tr><th>strategy</th><th>NPV $M</th><th>IRR %</th>"
         "<th>peak project funding $M</th><th>peak equity funding $M</th><th>min cash $M</th><th>cash floor</th><th>AI IT MW at end</th>"
         "<th>mining MW at end</th><th>corporate NPV $M</th><th>IRR note</th>"
         "</tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < plan->nstrategies; i++) {
    const wp_strategy_out *st = &plan->strategies[i];
    wp_sbuf_printf(b, "<tr%s><td><span class=\"swatch\" style=\"background:%s\"></span>",
                   i == best ? " class=\"best\"" : "", color_of(i));
    wp_out_html(b, WP_OUT_FIELD(t, st->name));
    wp_sbuf_puts(b, i == best ? " (recommended)</td>" : "</td>");
    td_num(b, st->npv_usd, 1e6, 1);
    td_num(b, st->irr, 0.01, 1);
    td_num(b, st->peak_funding_usd, 1e6, 1);
    td_num(b, st->peak_equity_funding_usd, 1e6, 1);
    td_num(b, st->min_cash_usd, 1e6, 1);
    if (!isfinite(plan->cash_floor_usd))
      td_text(b, "n/a", NULL);
    else
      td_text(b, wp_out_holds_floor(plan, i) ? "holds" : "breaks",
              wp_out_holds_floor(plan, i) ? NULL : "warn");
    td_num(b, st->ai_it_mw_end, 1, 1);
    td_num(b, st->mining_mw_end, 1, 1);
    td_num(b, st->corporate_npv_usd, 1e6, 1);
    td_text(b, wp_out_irr_note(t, sizeof t, plan, st), NULL);
    wp_sbuf_puts(b, "</tr>\n");
  }
  wp_sbuf_puts(b, "</tbody></table>\n");
}

/* How each plan was found and how it stands against every limit: the solver's status, bound and
** gap, each limit's least room and where it binds (the value of relaxing it when priced), and
** every breach. */
static void solve_table(wp_sbuf *b, const wp_plan_out *plan)
{
  char t[260], m[16];
  wp_sbuf_puts(b, "<table><thead><tr><th>strategy</th><th>status</th><th>meets every limit</th>"
                  "<th>NPV $M</th><th>bound $M</th><th>gap %</th><th>solves</th>"
                  "<th>program (rows x columns, integer)</th></tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < plan->nstrategies; i++) {
    const wp_strategy_out *st = &plan->strategies[i];
    const wp_solve_out *v = &st->solve;
    wp_sbuf_puts(b, "<tr>");
    td_text(b, WP_OUT_FIELD(t, st->name), NULL);
    td_text(b, v->status[0] ? WP_OUT_FIELD(t, v->status) : "n/a", NULL);
    td_text(b, wp_out_feasible(plan, i) ? "yes" : "no", wp_out_feasible(plan, i) ? NULL : "warn");
    td_num(b, st->npv_usd, 1e6, 1);
    if (v->rows == 0) { /* a fixed plan: nothing solved */
      wp_sbuf_puts(b, "<td>n/a</td><td>n/a</td><td class=\"num\">0</td><td></td></tr>\n");
      continue;
    }
    td_num(b, v->bound, 1e6, 1);
    td_num(b, v->gap, 0.01, 2);
    wp_sbuf_printf(b, "<td class=\"num\">%zu</td><td>%zu x %zu (%zu)</td></tr>\n", v->solves,
                   v->rows, v->cols, v->integers);
  }
  wp_sbuf_puts(b, "</tbody></table>\n");
  wp_sbuf_puts(b, "<table><thead><tr><th>strategy</th><th>limit</th><th>value</th><th>least "
                  "room</th><th>at</th><th>binds in</th><th>NPV $M if relaxed</th>"
                  "<th>breaches (month or year: amount)</th></tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < plan->nstrategies; i++) {
    const wp_strategy_out *st = &plan->strategies[i];
    for (size_t k = 0; k < st->nlimits; k++) {
      const wp_limit_out *l = &st->limits[k];
      const int money = strcmp(wp_limit_unit(l->limit), "USD") == 0;
      wp_sbuf_puts(b, "<tr>");
      td_text(b, WP_OUT_FIELD(t, st->name), NULL);
      snprintf(t, sizeof t, "%s%s%s (%s)", wp_limit_name(l->limit), l->scope[0] ? " " : "",
               l->scope, money ? "$M" : wp_limit_unit(l->limit));
      td_text(b, t, NULL);
      td_num(b, l->value, money ? 1e6 : 1, 1);
      td_num(b, l->headroom, money ? 1e6 : 1, 1);
      td_text(b, l->at_month >= 0 ? wp_format_month(m, sizeof m, plan->start, l->at_month, "")
                                  : "",
              NULL);
      td_text(b, l->binding ? WP_OUT_FIELD(t, l->binding_months) : "", NULL);
      if (isfinite(l->relax_npv_usd))
        td_num(b, l->relax_npv_usd, 1e6, 1);
      else
        td_text(b, "", NULL);
      wp_sbuf_puts(b, "<td>");
      size_t shown = 0, n = 0;
      for (size_t q = 0; q < st->nbreaches; q++) {
        const wp_breach_out *w = &st->breaches[q];
        if (w->limit != l->limit || strcmp(w->scope, l->scope) != 0) continue;
        if (n++ >= 6) continue;
        wp_sbuf_printf(b, "%s%s: %s%s", shown++ ? "; " : "",
                       wp_format_month(m, sizeof m, plan->start, w->month, ""),
                       wp_format_grouped(t, sizeof t, w->amount / (money ? 1e6 : 1), 1),
                       money ? " $M" : "");
      }
      if (n > shown) wp_sbuf_printf(b, "; and %zu more", n - shown);
      wp_sbuf_puts(b, "</td></tr>\n");
    }
  }
  wp_sbuf_puts(b, "</tbody></table>\n");
}

static void site_table(wp_sbuf *b, const wp_plan_out *plan, const wp_strategy_out *st)
{
  char t[520];
  wp_sbuf_puts(b, "<h3>");
  wp_out_html(b, WP_OUT_FIELD(t, st->name));
  wp_sbuf_puts(b, "</h3>\n");
  if (st->nsites == 0) {
    wp_sbuf_puts(b, "<p>No sites.</p>\n");
    return;
  }
  wp_sbuf_puts(b, "<table><thead><tr><th>site</th><th>country</th><th>decision</th>"
                  "<th>business model</th><th>construction starts</th><th>AI revenue starts</th>"
                  "<th>grid MW</th><th>converted grid MW</th><th>AI IT MW</th><th>capex $M</th>"
                  "<th>NPV $M</th><th>NPV kept mining $M</th><th>reason</th></tr></thead>\n"
                  "<tbody>\n");
  for (size_t k = 0; k < st->nsites; k++) {
    const wp_site_out *s = &st->sites[k];
    wp_sbuf_puts(b, "<tr>");
    td_text(b, WP_OUT_FIELD(t, s->name), NULL);
    td_text(b, WP_OUT_FIELD(t, s->country), NULL);
    td_text(b, WP_OUT_FIELD(t, s->decision), NULL);
    td_text(b, WP_OUT_FIELD(t, s->business_model), NULL);
    td_text(b,
            s->convert_month < 0 ? "-"
                                 : wp_format_month(t, sizeof t, plan->start, s->convert_month, ""),
            "num");
    td_text(b,
            s->energize_month < 0
                ? "-"
                : wp_format_month(t, sizeof t, plan->start, s->energize_month, ""),
            "num");
    td_num(b, s->grid_mw, 1, 1);
    td_num(b, s->converted_grid_mw, 1, 1);
    td_num(b, s->ai_it_mw, 1, 1);
    td_num(b, s->capex_usd, 1e6, 1);
    td_num(b, s->npv_usd, 1e6, 1);
    td_num(b, s->mining_npv_usd, 1e6, 1);
    td_text(b, WP_OUT_FIELD(t, s->reason), "reason");
    wp_sbuf_puts(b, "</tr>\n");
  }
  wp_sbuf_puts(b, "</tbody></table>\n");
}

/* ---- the page ---- */

static const char page_style[] =
    "body{font-family:sans-serif;margin:24px;color:#222;max-width:1400px}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;"
    "border-bottom:1px solid #ccc}h3{font-size:15px;margin:18px 0 6px}"
    ".meta{color:#555;margin:0 0 12px}"
    "svg.chart{display:block;max-width:100%;height:auto;margin:6px 0 14px}"
    "svg text{font-family:sans-serif;fill:#222}"
    ".tick{font-size:11px}.axis{font-size:12px}.legend{font-size:12px}"
    ".ctitle{font-size:13px;font-weight:bold}.value{font-size:11px}"
    ".grid{stroke:#e4e4e4;stroke-width:1}.zero{stroke:#444;stroke-width:1.2}"
    ".frame,.tickmark{stroke:#444;stroke-width:1}"
    "table{border-collapse:collapse;font-size:13px;margin:6px 0 14px}"
    "th,td{border:1px solid #ccc;padding:3px 7px;vertical-align:top;white-space:nowrap}"
    "th{background:#f2f2f2;text-align:left;white-space:normal}td.num{text-align:right;white-space:"
    "nowrap}"
    "td.reason{white-space:normal;min-width:260px;max-width:480px}tr.best td{background:#eef6ff}"
    ".swatch{display:inline-block;width:10px;height:10px;margin-right:6px}"
    "p.note{color:#555;font-size:13px}.warn{color:#c0392b;font-weight:600}"
    "p.decision{font-size:15px;background:#f6f9fc;border-left:4px solid #0072B2;padding:.6em 1em}";

/* Who made the page, when, and from which scenario (its hash: docs/output.md). */
static void made_by(wp_sbuf *b, const wp_plan_out *plan)
{
  char t[32];
  wp_sbuf_printf(b, "<p class=\"meta\">wattpivot %s", wp_version());
  if (plan->created_utc[0]) {
    wp_sbuf_puts(b, ", run ");
    wp_out_html(b, WP_OUT_FIELD(t, plan->created_utc));
  }
  wp_sbuf_puts(b, "; scenario hash ");
  wp_out_html(b, plan->scenario_hash[0] ? WP_OUT_FIELD(t, plan->scenario_hash) : "n/a");
  wp_sbuf_puts(b, " (FNV-1a 64 of the resolved scenario).</p>\n");
}

static void page_head(wp_sbuf *b, const wp_plan_out *plan, size_t best)
{
  char t[160], a[16], z[16], h[48];
  WP_OUT_FIELD(t, plan->scenario);
  wp_sbuf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                  "<title>wattpivot plan: ");
  wp_out_html(b, t);
  wp_sbuf_printf(b,
                 "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>wattpivot plan: ", page_style);
  wp_out_html(b, t);
  wp_format_month(a, sizeof a, plan->start, 0, "");
  wp_format_month(z, sizeof z, plan->start, plan->months ? (long)plan->months - 1 : 0, "");
  wp_sbuf_printf(b,
                 "</h1>\n<p class=\"meta\">Start %s, horizon %zu month%s (%s to %s), "
                 "hurdle rate %s %%/yr; money in nominal USD, NPVs at the hurdle rate.",
                 a, plan->months, plan->months == 1 ? "" : "s", a, z,
                 wp_format_grouped(h, sizeof h, plan->hurdle_rate * 100, 1));
  if (best < plan->nstrategies) {
    const wp_strategy_out *st = &plan->strategies[best];
    wp_sbuf_puts(b, " Recommended: ");
    wp_out_html(b, WP_OUT_FIELD(t, st->name));
    wp_sbuf_printf(b, " ($%sM).", wp_format_grouped(h, sizeof h, st->npv_usd / 1e6, 1));
  }
  wp_sbuf_puts(b, "</p>\n");
  made_by(b, plan);
}

wp_status wp_output_report_html(const wp_plan_out *plan, char **text, wp_error *err)
{
  if (!text) return wp_error_set(err, WP_EINVAL, "text out-parameter is NULL");
  *text = NULL;
  wp_status st = wp_out_check(plan, err);
  if (st != WP_OK) return st;
  wp_sbuf b = WP_SBUF_INIT;
  size_t best = wp_out_best(plan);
  page_head(&b, plan, best);
  wp_sbuf_puts(&b, "<h2>Decision</h2>\n<p class=\"decision\">");
  wp_out_decision(&b, plan, 1);
  wp_sbuf_puts(&b, "</p>\n");
  if (plan->nstrategies == 0 || plan->months == 0) {
    wp_sbuf_printf(&b, "<p class=\"note\">Nothing to chart: %zu strategies over %zu months.</p>\n",
                   plan->nstrategies, plan->months);
  } else {
    wp_sbuf_puts(&b, "<h2>MW mix over time</h2>\n<p class=\"note\">Grid MW of each site "
                     "by use at each month (one scale for all strategies).</p>\n");
    mix_charts(&b, plan);
    wp_sbuf_puts(&b, "<h2>Cash balance</h2>\n");
    cash_chart(&b, plan);
    wp_sbuf_puts(&b, "<h2>Revenue by business</h2>\n");
    revenue_charts(&b, plan);
    if (has_ebitda(plan)) {
      wp_sbuf_puts(&b, "<h2>EBITDA by business</h2>\n<p class=\"note\">Revenue less power and "
                       "operating costs of each business; the mine's power is its share of the "
                       "site's bill (docs/output.md). The three lines add up to the strategy's "
                       "EBITDA.</p>\n");
      ebitda_charts(&b, plan);
    }
    if (plan->market[0]) {
      wp_sbuf_puts(&b, "<h2>Market path</h2>\n<p class=\"note\">The deterministic prices every "
                       "strategy was valued on (scenario market: section; docs/model/market.md). "
                       "Run wattpivot risk for their spread.</p>\n");
      market_charts(&b, plan);
    }
  }
  if (plan->nstrategies > 0) {
    wp_sbuf_puts(&b, "<h2>NPV by strategy</h2>\n");
    npv_strategy_chart(&b, plan);
    wp_sbuf_puts(&b, "<h2>NPV by site</h2>\n");
    if (plan->strategies[0].nsites == 0)
      wp_sbuf_puts(&b, "<p class=\"note\">No sites in this plan.</p>\n");
    else
      npv_site_chart(&b, plan);
  }
  wp_sbuf_puts(&b, "<h2>Strategies</h2>\n");
  strategy_table(&b, plan, best);
  wp_sbuf_puts(&b, "<h2>How the plans were found, and the limits</h2>\n<p class=\"note\">All-in "
                   "and hybrid are chosen by a mixed-integer program; the gap is how far the "
                   "solver's bound lies above the plan. A limit binds when its least room is "
                   "within 1 % of it (docs/planner.md).</p>\n");
  solve_table(&b, plan);
  wp_sbuf_puts(&b, "<h2>Site decisions</h2>\n");
  for (size_t i = 0; i < plan->nstrategies; i++)
    site_table(&b, plan, &plan->strategies[i]);
  wp_sbuf_printf(&b,
                 "<p class=\"note\">Generated by wattpivot %s. Money in millions of nominal USD "
                 "($M); n/a marks a value that does not exist.</p>\n</body>\n</html>\n",
                 wp_version());
  *text = wp_sbuf_take(&b);
  if (!*text) return wp_error_set(err, WP_ENOMEM, "out of memory building the HTML report");
  return WP_OK;
}
