/* Writers of a plan result: JSON, the terminal summary, CSV files and the output folder
** (see wattpivot/output.h; the HTML report is in report_html.c). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "io/output_int.h"
#include "io/writefile_int.h"
#include "wattpivot/format.h"
#include "wattpivot/output.h"
#include "wattpivot/pathway.h"

/* ---- JSON ---- */

static int json_num(cJSON *obj, const char *key, double v)
{
  return (isfinite(v) ? cJSON_AddNumberToObject(obj, key, v) : cJSON_AddNullToObject(obj, key)) !=
         NULL;
}

static int json_str(cJSON *obj, const char *key, const char *v)
{
  return cJSON_AddStringToObject(obj, key, v) != NULL;
}

/* A month index and its "YYYY-MM", both null when the site is not converted (index < 0). */
static int json_month(cJSON *obj, const char *ikey, const char *dkey, wp_ym start, int m)
{
  char ym[16];
  if (m < 0) return cJSON_AddNullToObject(obj, ikey) && cJSON_AddNullToObject(obj, dkey);
  return cJSON_AddNumberToObject(obj, ikey, m) &&
         json_str(obj, dkey, wp_format_month(ym, sizeof ym, start, m, ""));
}

/* A site's projects: its converted tranches, its share mining, its expansion. */
static int json_tranches(cJSON *o, const wp_plan_out *plan, const wp_site_out *s)
{
  char t[40];
  cJSON *arr = cJSON_AddArrayToObject(o, "tranches");
  if (!arr) return 0;
  for (size_t k = 0; k < s->ntranches; k++) {
    const wp_tranche_out *q = &s->tranches[k];
    cJSON *x = cJSON_CreateObject();
    if (!x) return 0;
    cJSON_AddItemToArray(arr, x);
    if (!(cJSON_AddBoolToObject(x, "expansion", q->expansion) && json_num(x, "share", q->share) &&
          json_num(x, "grid_mw", q->grid_mw) &&
          json_str(x, "business_model", WP_OUT_FIELD(t, q->business_model)) &&
          json_month(x, "convert_month", "convert_date", plan->start, q->convert_month) &&
          json_month(x, "energize_month", "energize_date", plan->start, q->energize_month) &&
          json_num(x, "ai_it_mw", q->ai_it_mw) && json_num(x, "capex_usd", q->capex_usd) &&
          json_num(x, "npv_usd", q->npv_usd)))
      return 0;
  }
  return 1;
}

static int json_site(cJSON *arr, const wp_plan_out *plan, const wp_site_out *s)
{
  char t[520];
  cJSON *o = cJSON_CreateObject();
  if (!o) return 0;
  cJSON_AddItemToArray(arr, o);
  return json_str(o, "name", WP_OUT_FIELD(t, s->name)) &&
         json_str(o, "country", WP_OUT_FIELD(t, s->country)) &&
         json_str(o, "decision", WP_OUT_FIELD(t, s->decision)) &&
         json_str(o, "business_model", WP_OUT_FIELD(t, s->business_model)) &&
         json_month(o, "convert_month", "convert_date", plan->start, s->convert_month) &&
         json_month(o, "energize_month", "energize_date", plan->start, s->energize_month) &&
         json_num(o, "grid_mw", s->grid_mw) &&
         json_num(o, "converted_grid_mw", s->converted_grid_mw) &&
         json_num(o, "ai_it_mw", s->ai_it_mw) && json_num(o, "capex_usd", s->capex_usd) &&
         json_num(o, "npv_usd", s->npv_usd) && json_num(o, "mining_npv_usd", s->mining_npv_usd) &&
         json_str(o, "reason", WP_OUT_FIELD(t, s->reason)) &&
         json_str(o, "refused", WP_OUT_FIELD(t, s->refused)) && json_tranches(o, plan, s);
}

/* How the plan was found: the solver's status, objective, bound, gap and program size (null
** where it has none: a fixed plan). Its wall time is in meta.json, not here: the same inputs give
** the same JSON, byte for byte. */
static int json_solve(cJSON *o, const wp_strategy_out *st)
{
  const wp_solve_out *v = &st->solve;
  char t[48];
  cJSON *x = cJSON_AddObjectToObject(o, "solve");
  return x && json_str(x, "status", WP_OUT_FIELD(t, v->status)) &&
         cJSON_AddBoolToObject(x, "feasible", v->feasible) &&
         json_num(x, "objective_usd", v->objective) && json_num(x, "bound_usd", v->bound) &&
         json_num(x, "gap", v->gap) && cJSON_AddNumberToObject(x, "solves", (double)v->solves) &&
         cJSON_AddNumberToObject(x, "polish_moves", (double)v->polish_moves) &&
         cJSON_AddNumberToObject(x, "rows", (double)v->rows) &&
         cJSON_AddNumberToObject(x, "columns", (double)v->cols) &&
         cJSON_AddNumberToObject(x, "integers", (double)v->integers) &&
         cJSON_AddNumberToObject(x, "nonzeros", (double)v->nonzeros) &&
         json_num(x, "shortfall_usd", v->shortfall_usd);
}

/* The limits (headroom, where they bind, what relaxing each is worth) and the breaches. */
static int json_limits(cJSON *o, const wp_plan_out *plan, const wp_strategy_out *st)
{
  char t[100];
  cJSON *lim = cJSON_AddArrayToObject(o, "limits"), *br;
  if (!lim) return 0;
  for (size_t k = 0; k < st->nlimits; k++) {
    const wp_limit_out *l = &st->limits[k];
    cJSON *x = cJSON_CreateObject();
    if (!x) return 0;
    cJSON_AddItemToArray(lim, x);
    if (!(json_str(x, "limit", wp_limit_name(l->limit)) &&
          json_str(x, "unit", wp_limit_unit(l->limit)) &&
          json_str(x, "scope", WP_OUT_FIELD(t, l->scope)) && json_num(x, "value", l->value) &&
          json_num(x, "headroom", l->headroom) &&
          json_month(x, "at_month", "at_date", plan->start, l->at_month) &&
          cJSON_AddBoolToObject(x, "binding", l->binding) &&
          json_str(x, "binding_months", WP_OUT_FIELD(t, l->binding_months)) &&
          json_num(x, "relax_npv_usd", l->relax_npv_usd) &&
          json_num(x, "relax_ai_it_mw", l->relax_ai_it_mw)))
      return 0;
  }
  if (!(br = cJSON_AddArrayToObject(o, "breaches"))) return 0;
  for (size_t k = 0; k < st->nbreaches; k++) {
    const wp_breach_out *b = &st->breaches[k];
    cJSON *x = cJSON_CreateObject();
    if (!x) return 0;
    cJSON_AddItemToArray(br, x);
    if (!(json_str(x, "limit", wp_limit_name(b->limit)) &&
          json_str(x, "unit", wp_limit_unit(b->limit)) &&
          json_str(x, "scope", WP_OUT_FIELD(t, b->scope)) &&
          json_month(x, "month", "date", plan->start, b->month) &&
          json_num(x, "amount", b->amount)))
      return 0;
  }
  return 1;
}

static int json_strategy(cJSON *arr, const wp_plan_out *plan, const wp_strategy_out *st)
{
  char t[72], note[260];
  cJSON *o = cJSON_CreateObject(), *sites;
  if (!o) return 0;
  cJSON_AddItemToArray(arr, o);
  if (!(json_str(o, "name", WP_OUT_FIELD(t, st->name)) && json_num(o, "npv_usd", st->npv_usd) &&
        json_num(o, "irr", st->irr) &&
        json_str(o, "irr_note", wp_out_irr_note(note, sizeof note, plan, st)) &&
        json_num(o, "peak_funding_usd", st->peak_funding_usd) &&
        json_num(o, "peak_project_funding_usd", st->peak_funding_usd) &&
        json_num(o, "peak_equity_funding_usd", st->peak_equity_funding_usd) &&
        json_num(o, "min_cash_usd", st->min_cash_usd) &&
        json_num(o, "ai_it_mw_end", st->ai_it_mw_end) &&
        json_num(o, "mining_mw_end", st->mining_mw_end) &&
        json_num(o, "corporate_npv_usd", st->corporate_npv_usd) && json_solve(o, st) &&
        json_limits(o, plan, st) && (sites = cJSON_AddArrayToObject(o, "sites")) != NULL))
    return 0;
  for (size_t k = 0; k < st->nsites; k++)
    if (!json_site(sites, plan, &st->sites[k])) return 0;
  return 1;
}

/* "key": the text, or null when it is empty (not known, e.g. a run loaded from the store). */
static int json_str_or_null(cJSON *obj, const char *key, const char *v)
{
  return v[0] ? json_str(obj, key, v) : cJSON_AddNullToObject(obj, key) != NULL;
}

wp_status wp_output_json(const wp_plan_out *plan, char **text, wp_error *err)
{
  char t[132];
  if (!text) return wp_error_set(err, WP_EINVAL, "text out-parameter is NULL");
  *text = NULL;
  wp_status st = wp_out_check(plan, err);
  if (st != WP_OK) return st;
  cJSON *doc = cJSON_CreateObject(), *arr;
  int ok = doc && json_str(doc, "scenario", WP_OUT_FIELD(t, plan->scenario)) &&
           json_str_or_null(doc, "scenario_hash", WP_OUT_FIELD(t, plan->scenario_hash)) &&
           json_str(doc, "wattpivot_version", wp_version()) &&
           json_str(doc, "start", wp_format_month(t, sizeof t, plan->start, 0, "")) &&
           cJSON_AddNumberToObject(doc, "months", (double)plan->months) &&
           json_num(doc, "hurdle_rate", plan->hurdle_rate) &&
           (arr = cJSON_AddArrayToObject(doc, "strategies")) != NULL;
  for (size_t i = 0; ok && i < plan->nstrategies; i++)
    ok = json_strategy(arr, plan, &plan->strategies[i]);
  /* The decision: the floor, the recommended strategy (null: none) and the sentences. */
  if (ok) ok = json_num(doc, "cash_floor_usd", plan->cash_floor_usd);
  const size_t best = wp_out_best(plan);
  if (ok && best < plan->nstrategies)
    ok = json_str(doc, "recommended", WP_OUT_FIELD(t, plan->strategies[best].name));
  else if (ok)
    ok = cJSON_AddNullToObject(doc, "recommended") != NULL;
  if (ok && plan->nstrategies > 1) {
    wp_sbuf d = WP_SBUF_INIT;
    wp_out_decision(&d, plan, 0);
    char *decision = wp_sbuf_take(&d);
    ok = decision && json_str(doc, "decision", decision);
    free(decision);
  }
  if (ok) *text = cJSON_Print(doc);
  cJSON_Delete(doc);
  if (!*text) return wp_error_set(err, WP_ENOMEM, "out of memory building the plan JSON");
  return WP_OK;
}

/* ---- terminal summary ---- */

#define TEXT_WIDTH WP_TEXT_COLUMNS

/* Write s in a cell of width columns: padded, or cut with "~" at a code-point boundary. */
static void put_cell(FILE *out, const char *s, size_t width, int right)
{
  size_t bytes = strlen(s), w = wp_text_columns(s, bytes);
  if (w > width) {
    size_t keep = width ? width - 1 : 0, cols = 0;
    bytes = 0;
    while (s[bytes] && cols < keep) {
      bytes++;
      while (((unsigned char)s[bytes] & 0xC0) == 0x80)
        bytes++;
      cols++;
    }
    fprintf(out, "%.*s%s", (int)bytes, s, width ? "~" : "");
    return;
  }
  if (right) fprintf(out, "%*s", (int)(width - w), "");
  fputs(s, out);
  if (!right) fprintf(out, "%*s", (int)(width - w), "");
}

/* Money in millions of USD, one decimal. */
static const char *fmt_musd(char *buf, size_t n, double usd)
{
  return wp_format_grouped(buf, n, usd / 1e6, 1);
}

/* Text wrapped at blanks to lines of width code points (wp_wrap_line) after indent blanks; the
** first line after lead instead of the blanks when lead is given (lead: indent columns wide). */
static void put_hanging(FILE *out, const char *lead, const char *text, size_t indent,
                        size_t width)
{
  const char *p = text + strspn(text, " ");
  size_t len = strlen(p);
  while (len) {
    size_t next;
    const size_t cut = wp_wrap_line(p, len, width, 0, &next);
    if (lead)
      fputs(lead, out);
    else
      fprintf(out, "%*s", (int)indent, "");
    fprintf(out, "%.*s\n", (int)cut, p);
    lead = NULL;
    p += next;
    len -= next;
  }
}

static void put_wrapped(FILE *out, const char *text, size_t indent, size_t width)
{
  put_hanging(out, NULL, text, indent, width);
}

static size_t col_width(const wp_strategy_out *st, size_t off, size_t fsize, size_t min, size_t max)
{
  char t[260];
  size_t w = min;
  for (size_t k = 0; k < st->nsites; k++) {
    const char *f = (const char *)&st->sites[k] + off;
    const char *v = wp_out_field(t, sizeof t, f, fsize);
    size_t n = wp_text_columns(v, strlen(v));
    if (n > w) w = n;
  }
  return w < max ? w : max;
}

static void summary_sites(FILE *out, const wp_plan_out *plan, const wp_strategy_out *st, int best)
{
  char t[520], a[48], b[48];
  fprintf(out, "\nSites under %s%s\n", WP_OUT_FIELD(t, st->name), best ? " (best NPV)" : "");
  if (st->nsites == 0) {
    fputs("  (no sites)\n", out);
    return;
  }
  size_t ws = col_width(st, offsetof(wp_site_out, name), sizeof st->sites[0].name, 4, 26);
  size_t wc = col_width(st, offsetof(wp_site_out, country), sizeof st->sites[0].country, 7, 16);
  size_t wd = col_width(st, offsetof(wp_site_out, decision), sizeof st->sites[0].decision, 8, 14);
  fputs("  ", out);
  put_cell(out, "site", ws, 0);
  fputs("  ", out);
  put_cell(out, "country", wc, 0);
  fputs("  ", out);
  put_cell(out, "decision", wd, 0);
  fputs("  convert  conv. grid MW      NPV $M\n", out);
  fputs("      reason\n", out);
  for (size_t k = 0; k < st->nsites; k++) {
    const wp_site_out *s = &st->sites[k];
    fputs("  ", out);
    put_cell(out, WP_OUT_FIELD(t, s->name), ws, 0);
    fputs("  ", out);
    put_cell(out, WP_OUT_FIELD(t, s->country), wc, 0);
    fputs("  ", out);
    put_cell(out, WP_OUT_FIELD(t, s->decision), wd, 0);
    wp_format_month(a, sizeof a, plan->start, s->convert_month, "");
    fprintf(out, "  %-7s  %13s  %10s\n", a[0] ? a : "-",
            wp_format_grouped(b, sizeof b, s->converted_grid_mw, 1),
            fmt_musd(t, sizeof t, s->npv_usd));
    if (s->reason[0]) put_wrapped(out, WP_OUT_FIELD(t, s->reason), 6, TEXT_WIDTH - 6);
  }
}

/* A site's business models ("colo+gpu-contract", as wp_site_out.business_model) in the 9
** columns the decisions leave them: "colo", "contract", "merchant" alone (gpu-contract,
** gpu-merchant); in a mix of tranches "colo+ctr", "ctr+mer"; "3 models" when all three. */
static const char *matrix_business(char *buf, size_t n, const char *models)
{
  /* short names of the conversions, alone and in a mix; the long ones are wp_business_name()'s */
  static const char *const alone[WP_BUSINESS_COUNT] = {[WP_BUSINESS_COLO] = "colo",
                                                       [WP_BUSINESS_GPU_CONTRACT] = "contract",
                                                       [WP_BUSINESS_GPU_MERCHANT] = "merchant"};
  static const char *const mixed[WP_BUSINESS_COUNT] = {[WP_BUSINESS_COLO] = "colo",
                                                       [WP_BUSINESS_GPU_CONTRACT] = "ctr",
                                                       [WP_BUSINESS_GPU_MERCHANT] = "mer"};
  int found[WP_BUSINESS_COUNT];
  size_t np = 0;
  for (const char *p = models; *p;) {
    const size_t len = strcspn(p, "+");
    int b = WP_BUSINESS_COLO;
    while (b < WP_BUSINESS_COUNT && !(strlen(wp_business_name((wp_business)b)) == len &&
                                      strncmp(p, wp_business_name((wp_business)b), len) == 0))
      b++;
    if (b == WP_BUSINESS_COUNT || np == WP_BUSINESS_COUNT - 1) {
      snprintf(buf, n, "%s", models); /* not a conversion of this version, or a fourth: as it is */
      return buf;
    }
    found[np++] = b;
    p += len + (p[len] == '+');
  }
  if (np == 3) {
    snprintf(buf, n, "3 models");
  } else if (np == 2) {
    snprintf(buf, n, "%s+%s", mixed[found[0]], mixed[found[1]]);
  } else {
    snprintf(buf, n, "%s", np ? alone[found[0]] : models);
  }
  return buf;
}

/* Decisions side by side: one row per site, one column per strategy ("mine", or the
** construction start and the business model). */
static void summary_matrix(FILE *out, const wp_plan_out *plan)
{
  char t[260], a[48], cell[96];
  const wp_strategy_out *first = &plan->strategies[0];
  if (first->nsites == 0) return;
  size_t ws = col_width(first, offsetof(wp_site_out, name), sizeof first->sites[0].name, 4, 22);
  fputs("\nDecisions by site (first construction start and business models; mine = keep mining;\n"
        "contract or ctr = gpu-contract, merchant or mer = gpu-merchant, short in a mix of "
        "tranches)\n  ",
        out);
  put_cell(out, "site", ws, 0);
  for (size_t i = 0; i < plan->nstrategies; i++) {
    fputs("  ", out);
    put_cell(out, WP_OUT_FIELD(t, plan->strategies[i].name), 17, 0);
  }
  fputs("\n", out);
  for (size_t k = 0; k < first->nsites; k++) {
    fputs("  ", out);
    put_cell(out, WP_OUT_FIELD(t, first->sites[k].name), ws, 0);
    for (size_t i = 0; i < plan->nstrategies; i++) {
      const wp_site_out *s = k < plan->strategies[i].nsites ? &plan->strategies[i].sites[k] : NULL;
      if (!s || s->convert_month < 0) {
        snprintf(cell, sizeof cell, "mine");
      } else {
        wp_format_month(a, sizeof a, plan->start, s->convert_month, "");
        char biz[32];
        snprintf(cell, sizeof cell, "%s %s", a,
                 matrix_business(biz, sizeof biz, s->business_model));
      }
      fputs("  ", out);
      put_cell(out, cell, 17, 0);
    }
    fputs("\n", out);
  }
}

/* How each optimized plan was found (solver status, gap, time, program size) and the limits
** that bind it. */
static void summary_solves(FILE *out, const wp_plan_out *plan)
{
  char t[100], c[4][48];
  int head = 0;
  for (size_t i = 0; i < plan->nstrategies; i++) {
    const wp_strategy_out *st = &plan->strategies[i];
    const wp_solve_out *v = &st->solve;
    if (!v->status[0] || strcmp(v->status, "fixed") == 0) continue;
    if (!head++)
      fputs("\nHow the plans were found (mixed-integer program; gap: how far the best bound is "
            "above the plan)\n",
            out);
    /* "  all-in        " then the solve, and "binding: ..." under it, wrapped at 100 columns */
    char lead[64];
    snprintf(lead, sizeof lead, "  %-13.13s ", WP_OUT_FIELD(t, st->name));
    wp_sbuf b = WP_SBUF_INIT;
    wp_sbuf_printf(&b, "%s; NPV %s, bound %s, gap %s %%", WP_OUT_FIELD(t, v->status),
                   fmt_musd(c[0], sizeof c[0], v->objective), fmt_musd(c[1], sizeof c[1], v->bound),
                   wp_format_grouped(c[2], sizeof c[2], v->gap * 100.0, 2));
    char *text = wp_sbuf_take(&b);
    if (text) put_hanging(out, lead, text, 16, TEXT_WIDTH - 16);
    free(text);
    wp_sbuf_printf(&b, "%zu solve%s, %zu polish move%s, %.1f s; %zu rows x %zu columns (%zu "
                       "integer)",
                   v->solves, v->solves == 1 ? "" : "s", v->polish_moves,
                   v->polish_moves == 1 ? "" : "s", v->seconds, v->rows, v->cols, v->integers);
    text = wp_sbuf_take(&b);
    if (text) put_wrapped(out, text, 16, TEXT_WIDTH - 16);
    free(text);
    int any = 0;
    for (size_t k = 0; k < st->nlimits; k++) {
      const wp_limit_out *l = &st->limits[k];
      if (!l->binding) continue;
      wp_sbuf_printf(&b, "%s%s", any++ ? "; " : "", wp_limit_name(l->limit));
      if (l->scope[0]) wp_sbuf_printf(&b, " %s", WP_OUT_FIELD(t, l->scope));
      if (l->binding_months[0]) wp_sbuf_printf(&b, " (%s)", WP_OUT_FIELD(t, l->binding_months));
      if (isfinite(l->relax_npv_usd))
        wp_sbuf_printf(&b, ", +%s NPV if relaxed", fmt_musd(c[3], sizeof c[3], l->relax_npv_usd));
    }
    text = wp_sbuf_take(&b);
    if (text && any) put_hanging(out, "                binding: ", text, 25, TEXT_WIDTH - 25);
    free(text);
  }
}

wp_status wp_output_summary_text(const wp_plan_out *plan, FILE *out)
{
  char t[260], c[7][48];
  if (!out || wp_out_check(plan, NULL) != WP_OK) return WP_EINVAL;
  size_t best = wp_out_best(plan);
  wp_format_month(c[0], sizeof c[0], plan->start, 0, "");
  wp_format_month(c[1], sizeof c[1], plan->start, plan->months ? (long)plan->months - 1 : 0, "");
  fprintf(out, "Plan: %s\n", WP_OUT_FIELD(t, plan->scenario));
  fprintf(out, "Start %s, %zu month%s (to %s), hurdle rate %s %%/yr\n", c[0], plan->months,
          plan->months == 1 ? "" : "s", c[1],
          wp_format_grouped(c[2], sizeof c[2], plan->hurdle_rate * 100.0, 1));
  fprintf(out, "\nStrategies (NPV at the hurdle rate; MW at the last month%s)\n",
          best < plan->nstrategies ? "; * recommended" : "");
  fputs("  strategy         NPV $M    IRR %  peak proj $M  peak eq $M  min cash $M  AI MW end"
        "  mine MW end\n",
        out);
  for (size_t i = 0; i < plan->nstrategies; i++) {
    const wp_strategy_out *st = &plan->strategies[i];
    fputs(i == best ? "* " : "  ", out);
    put_cell(out, WP_OUT_FIELD(t, st->name), 13, 0);
    fprintf(out, " %10s  %7s  %12s  %10s  %11s  %9s  %11s\n",
            fmt_musd(c[0], sizeof c[0], st->npv_usd),
            wp_format_grouped(c[1], sizeof c[1], st->irr * 100.0, 1),
            fmt_musd(c[2], sizeof c[2], st->peak_funding_usd),
            fmt_musd(c[6], sizeof c[6], st->peak_equity_funding_usd),
            fmt_musd(c[3], sizeof c[3], st->min_cash_usd),
            wp_format_grouped(c[4], sizeof c[4], st->ai_it_mw_end, 1),
            wp_format_grouped(c[5], sizeof c[5], st->mining_mw_end, 1));
  }
  for (size_t i = 0; i < plan->nstrategies; i++) {
    const wp_strategy_out *st = &plan->strategies[i];
    char note[260];
    if (!wp_out_irr_note(note, sizeof note, plan, st)[0]) continue;
    fprintf(out, "  IRR of %s: ", WP_OUT_FIELD(t, st->name));
    fprintf(out, "%s\n", note);
  }
  if (plan->nstrategies > 1) {
    /* The decision, wrapped at 96 columns. */
    wp_sbuf d = WP_SBUF_INIT;
    wp_out_decision(&d, plan, 0);
    char *text = wp_sbuf_take(&d);
    if (text) {
      fputs("\n", out);
      size_t col = 0;
      for (char *w = strtok(text, " "); w; w = strtok(NULL, " ")) {
        size_t n = strlen(w);
        if (col && col + 1 + n > 96) {
          fputs("\n", out);
          col = 0;
        }
        fprintf(out, "%s%s", col ? " " : "", w);
        col += (col ? 1 : 0) + n;
      }
      fputs("\n", out);
      free(text);
    }
    summary_matrix(out, plan);
  }
  summary_solves(out, plan);
  /* The reasons of one strategy: the best one (or the only one); every strategy's are in
     --json and sites.csv. */
  size_t shown = best < plan->nstrategies ? best : 0;
  if (plan->nstrategies > 0) summary_sites(out, plan, &plan->strategies[shown], shown == best);
  if (plan->nstrategies > 1)
    fputs("\nEvery strategy's per-site reasons: --json, or --out DIR (sites.csv, report.html).\n",
          out);
  fflush(out);
  return ferror(out) ? WP_EIO : WP_OK;
}

/* ---- CSV ---- */

/* A CSV field (RFC 4180): quoted when it holds a comma, quote, line break or edge blank. */
static void csv_text(wp_sbuf *b, const char *s)
{
  size_t n = strlen(s);
  if (!strpbrk(s, ",\"\r\n") && (n == 0 || (s[0] != ' ' && s[n - 1] != ' '))) {
    wp_sbuf_add(b, s, n);
    return;
  }
  wp_sbuf_add(b, "\"", 1);
  for (const char *p = s; *p; p++) {
    if (*p == '"')
      wp_sbuf_add(b, "\"\"", 2);
    else
      wp_sbuf_add(b, p, 1);
  }
  wp_sbuf_add(b, "\"", 1);
}

static void csv_num(wp_sbuf *b, double v)
{
  char buf[40];
  wp_sbuf_add(b, ",", 1);
  wp_sbuf_puts(b, wp_format_exact(buf, sizeof buf, v));
}

static void csv_month(wp_sbuf *b, wp_ym start, int m)
{
  char buf[16];
  if (m < 0) {
    wp_sbuf_add(b, ",,", 2);
    return;
  }
  wp_sbuf_printf(b, ",%d,%s", m, wp_format_month(buf, sizeof buf, start, m, ""));
}

static const char sites_header[] =
    "strategy,site,country,decision,business_model,convert_month,convert_date,energize_month,"
    "energize_date,grid_mw,converted_grid_mw,ai_it_mw,capex_usd,npv_usd,mining_npv_usd,reason\n";

static char *sites_csv(const wp_plan_out *plan)
{
  wp_sbuf b = WP_SBUF_INIT;
  char t[520];
  wp_sbuf_puts(&b, sites_header);
  for (size_t i = 0; i < plan->nstrategies; i++) {
    const wp_strategy_out *st = &plan->strategies[i];
    for (size_t k = 0; k < st->nsites; k++) {
      const wp_site_out *s = &st->sites[k];
      csv_text(&b, WP_OUT_FIELD(t, st->name));
      const struct {
        const char *f;
        size_t n;
      } cols[] = {{s->name, sizeof s->name},
                  {s->country, sizeof s->country},
                  {s->decision, sizeof s->decision},
                  {s->business_model, sizeof s->business_model}};
      for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
        wp_sbuf_add(&b, ",", 1);
        csv_text(&b, wp_out_field(t, sizeof t, cols[c].f, cols[c].n));
      }
      csv_month(&b, plan->start, s->convert_month);
      csv_month(&b, plan->start, s->energize_month);
      csv_num(&b, s->grid_mw);
      csv_num(&b, s->converted_grid_mw);
      csv_num(&b, s->ai_it_mw);
      csv_num(&b, s->capex_usd);
      csv_num(&b, s->npv_usd);
      csv_num(&b, s->mining_npv_usd);
      wp_sbuf_add(&b, ",", 1);
      csv_text(&b, WP_OUT_FIELD(t, s->reason));
      wp_sbuf_add(&b, "\n", 1);
    }
  }
  return wp_sbuf_take(&b);
}

static char *ledger_csv(const wp_plan_out *plan)
{
  wp_sbuf b = WP_SBUF_INIT;
  char t[40], name[40];
  wp_sbuf_puts(&b, "strategy,date,month");
  for (int s = 0; s < WP_SERIES_COUNT; s++)
    wp_sbuf_printf(&b, ",%s", wp_series_name((wp_series)s));
  /* The market path the month was valued on (the same in every strategy; empty when the plan
     was loaded from the store, which keeps no market path). */
  wp_sbuf_puts(&b, ",btc_price_usd,hashprice_usd_per_ph_day");
  wp_sbuf_add(&b, "\n", 1);
  const double *price = plan->market[WP_PLAN_MARKET_BTC_PRICE_USD],
               *hashprice = plan->market[WP_PLAN_MARKET_HASHPRICE_USD_PER_PH_DAY];
  for (size_t i = 0; i < plan->nstrategies; i++) {
    const wp_strategy_out *st = &plan->strategies[i];
    WP_OUT_FIELD(name, st->name);
    for (size_t m = 0; m < plan->months; m++) {
      csv_text(&b, name);
      wp_sbuf_printf(
          &b, ",%s,%zu",
          wp_calendar_format(wp_calendar_month_end_day(plan->start, (int64_t)m), t, sizeof t), m);
      for (int s = 0; s < WP_SERIES_COUNT; s++)
        csv_num(&b, st->series[s][m]);
      csv_num(&b, price ? price[m] : NAN);
      csv_num(&b, hashprice ? hashprice[m] : NAN);
      wp_sbuf_add(&b, "\n", 1);
    }
  }
  return wp_sbuf_take(&b);
}

/* ---- the output folder ---- */

static wp_status make_dirs(const char *dir, wp_error *err)
{
  char path[4096];
  struct stat sb;
  size_t n = strlen(dir);
  if (n == 0) return wp_error_set(err, WP_EINVAL, "output directory is an empty string");
  if (n >= sizeof path)
    return wp_error_set(err, WP_EINVAL, "output directory path is %zu bytes (at most %zu)", n,
                        sizeof path - 1);
  memcpy(path, dir, n + 1);
  /* Create every parent in turn ("a", "a/b", ...), then dir itself. */
  for (size_t i = 1; i <= n; i++) {
    if (path[i] != '/' && path[i] != '\0') continue;
    if (path[i - 1] == '/') continue;
    char keep = path[i];
    path[i] = '\0';
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
      return wp_error_set(err, WP_EIO, "cannot create directory %s: %s", path, strerror(errno));
    path[i] = keep;
  }
  if (stat(dir, &sb) != 0)
    return wp_error_set(err, WP_EIO, "cannot use output directory %s: %s", dir, strerror(errno));
  if (!S_ISDIR(sb.st_mode))
    return wp_error_set(err, WP_EIO, "cannot use output directory %s: %s", dir, strerror(ENOTDIR));
  return WP_OK;
}

#define MAX_FOLDER_FILES 16

/* Write the files into dir: each first beside its target; only when all are complete are they
** renamed into place, so a failure leaves the folder's earlier files as they were. */
static wp_status write_files(const char *dir, const char *const *names, char *const *texts,
                             size_t nfiles, wp_error *err)
{
  wp_io_staged staged[MAX_FOLDER_FILES];
  wp_status st = WP_OK;
  size_t n = 0;
  for (; st == WP_OK && n < nfiles; n++) {
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[n]) >= sizeof path)
      st = wp_error_set(err, WP_EINVAL, "output directory path too long: %.200s...", dir);
    else
      st = wp_io_stage(path, texts[n], strlen(texts[n]), &staged[n], err);
    if (st) break;
  }
  for (size_t i = 0; i < n; i++) {
    if (st)
      wp_io_discard(&staged[i]);
    else if ((st = wp_io_commit(&staged[i], err)))
      for (size_t j = i + 1; j < n; j++)
        wp_io_discard(&staged[j]);
  }
  return st;
}

/* A new folder: built under a temporary sibling name, then renamed into place as a whole. */
static wp_status write_new_dir(const char *dir, const char *const *names, char *const *texts,
                               size_t nfiles, wp_error *err)
{
  char tmp[4160];
  snprintf(tmp, sizeof tmp, "%s.%ld.tmp", dir, (long)getpid());
  if (mkdir(tmp, 0777) != 0)
    return wp_error_set(err, WP_EIO, "cannot create directory %s: %s", tmp, strerror(errno));
  wp_status st = write_files(tmp, names, texts, nfiles, err);
  if (st == WP_OK && rename(tmp, dir) != 0)
    st = wp_error_set(err, WP_EIO, "cannot move the new folder into place as %s: %s", dir,
                      strerror(errno));
  if (st) {
    for (size_t i = 0; i < nfiles; i++) {
      char path[4300];
      snprintf(path, sizeof path, "%s/%s", tmp, names[i]);
      remove(path);
    }
    rmdir(tmp);
  }
  return st;
}

wp_status wp_out_write_folder(const char *dir, const char *const *names, char *const *texts,
                              size_t nfiles, wp_error *err)
{
  if (!dir) return wp_error_set(err, WP_EINVAL, "output directory is NULL");
  if (!dir[0]) return wp_error_set(err, WP_EINVAL, "output directory is an empty string");
  if (nfiles > MAX_FOLDER_FILES) return wp_error_set(err, WP_EINVAL, "too many files for a folder");
  struct stat sb;
  const int exists = stat(dir, &sb) == 0;
  if (exists && !S_ISDIR(sb.st_mode))
    return wp_error_set(err, WP_EIO, "cannot use output directory %s: %s", dir, strerror(ENOTDIR));
  if (exists) return write_files(dir, names, texts, nfiles, err);
  /* The parents first ("a/b" of "a/b/out"), then the folder itself as a whole. */
  char parent[4096];
  snprintf(parent, sizeof parent, "%s", dir);
  char *slash = strrchr(parent, '/');
  while (slash && slash > parent && slash[1] == '\0') { /* "out/" */
    *slash = '\0';
    slash = strrchr(parent, '/');
  }
  wp_status st = WP_OK;
  if (slash && slash > parent) {
    *slash = '\0';
    st = make_dirs(parent, err);
  }
  return st ? st : write_new_dir(dir, names, texts, nfiles, err);
}

/* meta.json: who made the folder and when, beside what (the plan's own keys repeat the JSON's). */
static char *meta_json(const wp_plan_out *plan)
{
  char created[32] = "", t[132];
  if (plan->created_utc[0]) /* the run's own date, as its report shows it */
    WP_OUT_FIELD(created, plan->created_utc);
  else
    wp_output_now_utc(created, sizeof created, NULL);
  cJSON *doc = cJSON_CreateObject();
  const size_t best = wp_out_best(plan);
  int ok = doc && json_str(doc, "wattpivot_version", wp_version()) &&
           json_str(doc, "created_utc", created) &&
           json_str(doc, "scenario", WP_OUT_FIELD(t, plan->scenario)) &&
           json_str_or_null(doc, "scenario_hash", WP_OUT_FIELD(t, plan->scenario_hash)) &&
           json_str(doc, "start", wp_format_month(t, sizeof t, plan->start, 0, "")) &&
           cJSON_AddNumberToObject(doc, "months", (double)plan->months) &&
           json_num(doc, "hurdle_rate", plan->hurdle_rate) &&
           json_num(doc, "cash_floor_usd", plan->cash_floor_usd) &&
           (best < plan->nstrategies
                ? json_str(doc, "recommended", WP_OUT_FIELD(t, plan->strategies[best].name))
                : cJSON_AddNullToObject(doc, "recommended") != NULL);
  cJSON *secs = ok ? cJSON_AddObjectToObject(doc, "solve_seconds") : NULL;
  ok = ok && secs;
  for (size_t k = 0; ok && k < plan->nstrategies; k++) /* the solver's wall time, per strategy */
    ok = json_num(secs, WP_OUT_FIELD(t, plan->strategies[k].name),
                  plan->strategies[k].solve.seconds);
  char *text = ok ? cJSON_Print(doc) : NULL;
  cJSON_Delete(doc);
  if (!text) return NULL;
  size_t n = strlen(text);
  char *out = malloc(n + 2);
  if (out) snprintf(out, n + 2, "%s\n", text);
  cJSON_free(text);
  return out;
}

wp_status wp_output_write_dir(const wp_plan_out *plan, const char *dir, wp_error *err)
{
  char *texts[5] = {NULL, NULL, NULL, NULL, NULL};
  if (!dir) return wp_error_set(err, WP_EINVAL, "output directory is NULL");
  if (!dir[0]) return wp_error_set(err, WP_EINVAL, "output directory is an empty string");
  wp_status st = wp_output_json(plan, &texts[0], err);
  if (st == WP_OK) {
    size_t n = strlen(texts[0]);
    char *p = realloc(texts[0], n + 2);
    if (p) {
      p[n] = '\n';
      p[n + 1] = '\0';
      texts[0] = p;
    } else {
      st = wp_error_set(err, WP_ENOMEM, "out of memory building summary.json");
    }
  }
  if (st == WP_OK) st = wp_output_report_html(plan, &texts[3], err);
  if (st == WP_OK) {
    texts[1] = sites_csv(plan);
    texts[2] = ledger_csv(plan);
    if (!texts[1] || !texts[2])
      st = wp_error_set(err, WP_ENOMEM, "out of memory building sites.csv/ledger.csv");
  }
  if (st == WP_OK && !(texts[4] = meta_json(plan)))
    st = wp_error_set(err, WP_ENOMEM, "out of memory building meta.json");
  static const char *const names[] = {"summary.json", "sites.csv", "ledger.csv", "report.html",
                                      "meta.json"};
  if (st == WP_OK) st = wp_out_write_folder(dir, names, texts, 5, err);
  for (int i = 4; i >= 0; i--)
    free(texts[i]);
  return st;
}

wp_status wp_output_check_dir(const char *dir, wp_error *err)
{
  if (!dir || !dir[0]) return wp_error_set(err, WP_EINVAL, "report folder: empty path");
  struct stat sb;
  if (stat(dir, &sb) == 0) {
    if (!S_ISDIR(sb.st_mode))
      return wp_error_set(err, WP_EIO, "%s exists and is not a folder; choose another --out", dir);
    if (access(dir, W_OK | X_OK) != 0)
      return wp_error_set(err, WP_EIO, "cannot write into %s: %s", dir, strerror(errno));
    return WP_OK;
  }
  if (errno != ENOENT) return wp_error_set(err, WP_EIO, "cannot use %s: %s", dir, strerror(errno));
  /* A new folder: its parent must take it (it is made beside it under a temporary name). */
  char parent[4096];
  snprintf(parent, sizeof parent, "%s", dir);
  size_t n = strlen(parent);
  while (n > 1 && parent[n - 1] == '/')
    parent[--n] = '\0';
  char *slash = strrchr(parent, '/');
  if (!slash)
    snprintf(parent, sizeof parent, ".");
  else if (slash == parent)
    parent[1] = '\0';
  else
    *slash = '\0';
  if (stat(parent, &sb) != 0)
    return wp_error_set(err, WP_EIO, "cannot create %s: %s: %s", dir, parent, strerror(errno));
  if (!S_ISDIR(sb.st_mode))
    return wp_error_set(err, WP_EIO, "cannot create %s: %s is not a folder", dir, parent);
  if (access(parent, W_OK | X_OK) != 0)
    return wp_error_set(err, WP_EIO, "cannot create %s in %s: %s", dir, parent, strerror(errno));
  return WP_OK;
}

wp_status wp_output_write_text(const char *path, const char *text, wp_error *err)
{
  if (!path || !text) return wp_error_set(err, WP_EINVAL, "write: NULL argument");
  return wp_io_write_file(path, text, strlen(text), err);
}

wp_status wp_output_write_folder(const char *dir, const char *const *names, char *const *texts,
                                 size_t nfiles, wp_error *err)
{
  if (!names || !texts) return wp_error_set(err, WP_EINVAL, "write folder: NULL argument");
  for (size_t i = 0; i < nfiles; i++)
    if (!names[i] || !texts[i]) return wp_error_set(err, WP_EINVAL, "write folder: NULL file");
  return wp_out_write_folder(dir, names, texts, nfiles, err);
}

wp_status wp_output_now_utc(char *buf, size_t n, wp_error *err)
{
  if (!buf || n < 21) return wp_error_set(err, WP_EINVAL, "clock: a buffer of 21 bytes is needed");
  buf[0] = '\0';
  time_t t = time(NULL);
  if (t == (time_t)-1) return wp_error_set(err, WP_EIO, "the system clock is unavailable");
  int64_t secs = (int64_t)t, day = secs / 86400, rem = secs % 86400;
  if (rem < 0) rem += 86400, day--;
  int y, m, d;
  wp_calendar_civil(day, &y, &m, &d);
  snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(rem / 3600),
           (int)(rem / 60 % 60), (int)(rem % 60));
  return WP_OK;
}
