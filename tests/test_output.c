/* output: JSON, terminal summary, CSV files and the HTML report of a synthetic plan result.
** The plan is hand-built here (4 strategies, 3 sites, 24 months from 2026-01) with the cases
** writers get wrong: a NaN IRR, negative NPVs, a site name with a comma, quotes and '<', UTF-8,
** a text field without its terminating NUL. Expected values are the numbers set below.
** Set WP_OUTPUT_KEEP=DIR to keep the synthetic output folder (scripts/check-report uses it). */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "harness.h"
#include "refdata.h"
#include "wattpivot.h"

#define NSTRAT 4
#define NSITES 3
#define MONTHS 24

static const char *const strategy_names[NSTRAT] = {"mining-only", "all-in", "hybrid", "custom"};
static const char *const site_names[NSITES] = {"Rockdale, TX <North> \"A\"", "Itaipú Paraguay",
                                               "Kvarntorp"};
/* NPV per strategy, $: custom loses money; mining-only has no IRR. */
static const double strategy_npv[NSTRAT] = {412345678.25, 1234567890.125, 1500000000.5,
                                            -98765432.0625};
static const double strategy_irr[NSTRAT] = {NAN, 0.1875, 0.2125, -0.03125};

static wp_plan_out *synthetic_plan(size_t nstrat, size_t nsites, size_t months)
{
  wp_plan_out *p = wp_plan_out_new(nstrat, nsites, months);
  if (!p) return NULL;
  snprintf(p->scenario, sizeof p->scenario, "synthetic & <test> fleet");
  p->start = (wp_ym){2026, 1};
  p->hurdle_rate = 0.1;
  for (size_t i = 0; i < nstrat; i++) {
    wp_strategy_out *st = &p->strategies[i];
    snprintf(st->name, sizeof st->name, "%s", strategy_names[i % NSTRAT]);
    st->npv_usd = strategy_npv[i % NSTRAT];
    st->irr = strategy_irr[i % NSTRAT];
    if (i == 0) snprintf(st->irr_note, sizeof st->irr_note, "none: flows never change sign");
    st->peak_funding_usd = 250e6 * (double)i;
    st->peak_equity_funding_usd = 40e6 * (double)i;
    st->min_cash_usd = 100e6 - 150e6 * (double)i;
    st->ai_it_mw_end = 75.5 * (double)i;
    st->mining_mw_end = 300.0 - 100.0 * (double)i;
    st->corporate_npv_usd = -12345678.5;
    for (size_t k = 0; k < nsites; k++) {
      wp_site_out *s = &st->sites[k];
      snprintf(s->name, sizeof s->name, "%s", site_names[k % NSITES]);
      snprintf(s->country, sizeof s->country, "%s", k == 1 ? "Paraguay" : "United States");
      s->grid_mw = 100.0 * (double)(k + 1);
      s->mining_npv_usd = 50e6 * (double)(k + 1);
      s->npv_usd = i == 3 && k == 2 ? -45678901.5 : s->mining_npv_usd * (1.0 + (double)i);
      if (i == 0 || k == 1) {
        snprintf(s->decision, sizeof s->decision, "keep mining");
        snprintf(s->reason, sizeof s->reason, "mining NPV beats AI at the 10%% hurdle");
      } else {
        snprintf(s->decision, sizeof s->decision, "%s", i == 2 ? "convert part" : "convert");
        snprintf(s->business_model, sizeof s->business_model, "colo");
        s->convert_month = (int)(3 * k + i); /* 2026-03, 2026-04, ... */
        s->energize_month = s->convert_month + 18;
        s->converted_grid_mw = s->grid_mw * (i == 2 ? 0.5 : 1.0);
        s->ai_it_mw = s->converted_grid_mw / 1.3;
        s->capex_usd = s->ai_it_mw * 10e6;
        snprintf(s->reason, sizeof s->reason,
                 "AI colocation NPV $%.1fM beats mining $%.1fM at the 10%% hurdle; lease signed "
                 "with a hyperscaler for 15 years, \"take-or-pay\", energized in phases of 50 MW "
                 "after an 18-month build",
                 s->npv_usd / 1e6, s->mining_npv_usd / 1e6);
      }
    }
    for (size_t m = 0; m < months; m++) {
      double f = months > 1 ? (double)m / (double)(months - 1) : 1.0;
      st->series[WP_SERIES_MINING_GRID_MW][m] = 600.0 - 100.0 * (double)i * f;
      st->series[WP_SERIES_AI_GRID_MW][m] = m >= 18 ? 100.0 * (double)i * f : 0.0;
      st->series[WP_SERIES_AI_IT_MW][m] = st->series[WP_SERIES_AI_GRID_MW][m] / 1.3;
      st->series[WP_SERIES_CONSTRUCTION_GRID_MW][m] = m >= 3 && m < 18 ? 40.0 * (double)i : 0.0;
      st->series[WP_SERIES_REVENUE_MINING_USD][m] = 1234567.891234567 + (double)m;
      st->series[WP_SERIES_CASH_USD][m] = 100e6 - 150e6 * (double)i * sin(3.0 * f);
      st->series[WP_SERIES_CAPEX_USD][m] = i ? 0.1 + 0.2 : 0.0; /* 17 digits to read back */
    }
  }
  return p;
}

/* ---- helpers ---- */

/* No "nan"/"inf" token (letters around it mean a word such as "finance" or "info"). */
static int has_nonfinite_token(const char *s)
{
  for (const char *p = s; *p; p++) {
    if (strncasecmp(p, "nan", 3) != 0 && strncasecmp(p, "inf", 3) != 0) continue;
    int before = p > s && isalpha((unsigned char)p[-1]);
    int after = isalpha((unsigned char)p[3]) && strncasecmp(p + 3, "inity", 5) != 0;
    if (!before && !after) return 1;
  }
  return 0;
}

/* RFC 4180 records: rows[r][c] (NULL-terminated arrays of strings), returns the row count. */
typedef struct csv {
  size_t nrows;
  size_t ncols[512];
  char *cell[512][24];
} csv;

static void csv_free(csv *c)
{
  for (size_t r = 0; r < c->nrows; r++)
    for (size_t k = 0; k < c->ncols[r]; k++)
      free(c->cell[r][k]);
  c->nrows = 0;
}

static int csv_parse(const char *s, csv *c)
{
  memset(c, 0, sizeof *c);
  while (*s) {
    if (c->nrows >= 512) return 0;
    size_t r = c->nrows++;
    for (;;) {
      char field[512];
      size_t n = 0;
      if (*s == '"') {
        for (s++;; s++) {
          if (!*s) return 0;
          if (*s == '"' && s[1] == '"')
            s++;
          else if (*s == '"')
            break;
          if (n + 1 < sizeof field) field[n++] = *s;
        }
        s++;
      } else {
        while (*s && *s != ',' && *s != '\n') {
          if (*s == '"' || *s == '\r') return 0; /* a bare quote must have been quoted */
          if (n + 1 < sizeof field) field[n++] = *s;
          s++;
        }
      }
      field[n] = '\0';
      if (c->ncols[r] >= 24) return 0;
      c->cell[r][c->ncols[r]++] = strdup(field);
      if (*s == ',') {
        s++;
        continue;
      }
      if (*s == '\n')
        s++;
      else if (*s)
        return 0;
      break;
    }
  }
  return 1;
}

/* Tags balance (a stack of names), '&' starts only a known entity, one <html> element. */
static int markup_balanced(const char *s, char *why, size_t nwhy)
{
  char stack[64][24];
  size_t depth = 0;
  int htmls = 0;
  for (const char *p = s; *p; p++) {
    if (*p == '&') {
      static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
      int ok = 0;
      for (size_t e = 0; e < 5; e++)
        ok |= strncmp(p, ents[e], strlen(ents[e])) == 0;
      if (!ok) return snprintf(why, nwhy, "bare & at %.20s", p), 0;
      continue;
    }
    if (*p != '<') continue;
    const char *end = strchr(p, '>');
    if (!end) return snprintf(why, nwhy, "unclosed tag at %.20s", p), 0;
    if (p[1] == '!') { /* <!DOCTYPE html> */
      p = end;
      continue;
    }
    int closing = p[1] == '/', selfclose = end[-1] == '/';
    const char *name = p + 1 + closing;
    size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
    if (n == 0 || n >= 24) return snprintf(why, nwhy, "bad tag at %.20s", p), 0;
    if (closing) {
      if (depth == 0 || strncmp(stack[depth - 1], name, n) != 0 || stack[depth - 1][n])
        return snprintf(why, nwhy, "</%.*s> closes <%s>", (int)n, name,
                        depth ? stack[depth - 1] : "(nothing)"),
               0;
      depth--;
    } else if (!selfclose) {
      if (depth == 64) return snprintf(why, nwhy, "nesting too deep"), 0;
      memcpy(stack[depth], name, n);
      stack[depth++][n] = '\0';
      if (n == 4 && strncmp(name, "html", 4) == 0) htmls++;
    }
    p = end;
  }
  if (depth) return snprintf(why, nwhy, "<%s> never closed", stack[depth - 1]), 0;
  if (htmls != 1) return snprintf(why, nwhy, "%d <html> elements", htmls), 0;
  return 1;
}

static size_t count(const char *s, const char *needle)
{
  size_t n = 0;
  for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
    n++;
  return n;
}

static void check_html(const char *html, size_t want_svgs)
{
  char why[128] = "";
  if (!CHECK(html != NULL)) return;
  CHECK_EQ_I64(count(html, "<svg"), want_svgs);
  CHECK_EQ_I64(count(html, "</svg>"), want_svgs);
  int ok = markup_balanced(html, why, sizeof why);
  CHECK_CONTAINS(ok ? "balanced" : why, "balanced");
  CHECK(strstr(html, "http") == NULL);
  CHECK(strstr(html, "<script") == NULL);
  CHECK(strstr(html, "url(") == NULL);
  CHECK(!has_nonfinite_token(html));
}

/* ---- tests ---- */

static void check_keys(const cJSON *obj, const char *const *keys, size_t n)
{
  size_t got = 0;
  for (const cJSON *it = obj ? obj->child : NULL; it; it = it->next, got++) {
    int known = 0;
    for (size_t k = 0; k < n; k++)
      known |= strcmp(it->string, keys[k]) == 0;
    CHECK_CONTAINS(known ? "known" : it->string, "known");
  }
  CHECK_EQ_I64(got, n);
  for (size_t k = 0; k < n; k++)
    CHECK_CONTAINS(cJSON_HasObjectItem(obj, keys[k]) ? "has" : keys[k], "has");
}

static double num(const cJSON *obj, const char *key)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *obj, const char *key)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The decision: with a cash floor, a strategy whose cash falls below it is set aside, never
** recommended, whatever its NPV; without a floor (unknown) the best NPV is recommended. */
static void test_decision_respects_floor(void)
{
  wp_plan_out *p = synthetic_plan(NSTRAT, NSITES, MONTHS);
  if (!CHECK(p != NULL)) return;
  char *text = NULL;
  wp_error err = WP_ERROR_INIT;
  /* min cash is 100e6 - 150e6 * i: with a floor of 0 only strategy 0 holds it */
  p->cash_floor_usd = 0;
  if (CHECK(wp_output_json(p, &text, &err) == WP_OK)) {
    cJSON *doc = cJSON_Parse(text);
    CHECK_STR(str(doc, "recommended"), strategy_names[0]);
    CHECK_REL(num(doc, "cash_floor_usd"), 0, 0);
    const char *d = str(doc, "decision");
    CHECK_CONTAINS(d ? d : "", "Set aside: ");
    CHECK_CONTAINS(d ? d : "", "below the floor");
    cJSON_Delete(doc);
  }
  free(text);
  text = NULL;
  /* a floor no strategy holds: none is recommended, and the text says so */
  p->cash_floor_usd = 1e12;
  if (CHECK(wp_output_json(p, &text, &err) == WP_OK)) {
    cJSON *doc = cJSON_Parse(text);
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(doc, "recommended")));
    const char *d = str(doc, "decision");
    CHECK_CONTAINS(d ? d : "", "No strategy keeps month-end cash above the");
    cJSON_Delete(doc);
  }
  free(text);
  text = NULL;
  /* Two strategies that reach the same plan (same NPV, same site decisions) are one
     recommendation, the first, and the text says so; equal NPVs from different plans tie. */
  p->cash_floor_usd = -1e12;
  wp_strategy_out *s0 = &p->strategies[0], *s1 = &p->strategies[1];
  s0->npv_usd = s1->npv_usd = 1e13; /* above every other strategy */
  for (size_t k = 0; k < s0->nsites; k++)
    s1->sites[k] = s0->sites[k];
  if (CHECK(wp_output_json(p, &text, &err) == WP_OK)) {
    cJSON *doc = cJSON_Parse(text);
    CHECK_STR(str(doc, "recommended"), strategy_names[0]);
    const char *d = str(doc, "decision");
    char same[64];
    snprintf(same, sizeof same, "%s gives the same plan.", strategy_names[1]);
    CHECK_CONTAINS(d ? d : "", same);
    cJSON_Delete(doc);
  }
  free(text);
  text = NULL;
  s1->sites[0].convert_month = s0->sites[0].convert_month + 1;
  if (CHECK(wp_output_json(p, &text, &err) == WP_OK)) {
    cJSON *doc = cJSON_Parse(text);
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(doc, "recommended")));
    cJSON_Delete(doc);
  }
  free(text);
  text = NULL;
  wp_plan_out_free(p);
  p = synthetic_plan(NSTRAT, NSITES, MONTHS);
  if (!CHECK(p != NULL)) return;
  char *html = NULL;
  p->cash_floor_usd = 0;
  if (CHECK(wp_output_report_html(p, &html, &err) == WP_OK)) {
    CHECK_CONTAINS(html, "<h2>Decision</h2>");
    CHECK_CONTAINS(html, "cash floor $0M"); /* the line on the cash chart */
    CHECK_CONTAINS(html, "<td class=\"warn\">breaks</td>");
  }
  free(html);
  wp_plan_out_free(p);
}

/* An IRR above the hurdle beside a negative NPV (issue 16: "IRR 14.1 % beside NPV -$205M" with
** no note) is explained: the note the planner writes by the one rule (wp_finance_irr_note) for
** flows positive first and negative later reaches the JSON and the terminal. */
static void test_irr_note_borrowing(void)
{
  wp_plan_out *p = synthetic_plan(NSTRAT, NSITES, MONTHS);
  if (!CHECK(p != NULL)) return;
  wp_strategy_out *st = &p->strategies[1];
  double dates[MONTHS];
  for (size_t m = 0; m < MONTHS; m++) {
    dates[m] = (double)(wp_calendar_month_end_day(p->start, (int64_t)m) -
                        wp_calendar_month_end_day(p->start, 0));
    st->series[WP_SERIES_PROJECT_CF_USD][m] = m < MONTHS / 2 ? 10e6 : -12e6;
  }
  wp_irr_result irr;
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_finance_irr_note(st->series[WP_SERIES_PROJECT_CF_USD], dates, MONTHS, &irr,
                            st->irr_note, sizeof st->irr_note, &err) == WP_OK);
  st->irr = irr.irr;
  st->npv_usd = -205e6;
  char *text = NULL;
  if (CHECK(wp_output_json(p, &text, &err) == WP_OK)) {
    cJSON *doc = cJSON_Parse(text);
    const cJSON *s1 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "strategies"), 1);
    const char *note = str(s1, "irr_note");
    CHECK_CONTAINS(note ? note : "", "a borrowing rate (flows positive first, negative later)");
    cJSON_Delete(doc);
  }
  free(text);
  wp_plan_out_free(p);
}

static void test_json_contract(void)
{
  static const char *const top[] = {
      "scenario",   "scenario_hash",  "wattpivot_version", "start",   "months", "hurdle_rate",
      "strategies", "cash_floor_usd", "recommended",       "decision"};
  static const char *const strat[] = {
      "name",         "npv_usd",      "irr",           "irr_note",          "peak_funding_usd",
      "peak_project_funding_usd",     "peak_equity_funding_usd",
      "min_cash_usd", "ai_it_mw_end", "mining_mw_end", "corporate_npv_usd", "solve",
      "limits",       "breaches",     "sites"};
  static const char *const site[] = {
      "name",         "country",        "decision",      "business_model", "convert_month",
      "convert_date", "energize_month", "energize_date", "grid_mw",        "converted_grid_mw",
      "ai_it_mw",     "capex_usd",      "npv_usd",       "mining_npv_usd", "reason",
      "refused",      "tranches"};
  wp_plan_out *p = synthetic_plan(NSTRAT, NSITES, MONTHS);
  char *text = NULL;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(p && wp_output_json(p, &text, &err) == WP_OK)) goto done;
  CHECK(!has_nonfinite_token(text));
  cJSON *doc = cJSON_Parse(text);
  if (!CHECK(doc != NULL)) goto done;
  check_keys(doc, top, sizeof top / sizeof top[0]);
  CHECK_STR(str(doc, "scenario"), "synthetic & <test> fleet");
  CHECK(cJSON_IsNull(cJSON_GetObjectItem(doc, "scenario_hash"))); /* not known: null */
  CHECK_STR(str(doc, "wattpivot_version"), wp_version());
  CHECK_STR(str(doc, "start"), "2026-01");
  CHECK_REL(num(doc, "months"), 24, 0);
  CHECK_REL(num(doc, "hurdle_rate"), 0.1, 0);
  const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, "strategies");
  CHECK_EQ_I64(cJSON_GetArraySize(arr), NSTRAT);
  for (int i = 0; i < cJSON_GetArraySize(arr) && i < NSTRAT; i++) {
    const cJSON *s = cJSON_GetArrayItem(arr, i);
    check_keys(s, strat, sizeof strat / sizeof strat[0]);
    CHECK_STR(str(s, "name"), strategy_names[i]);
    CHECK_REL(num(s, "npv_usd"), strategy_npv[i], 0); /* exact: cJSON prints round-trippably */
    CHECK_REL(num(s, "peak_funding_usd"), 250e6 * i, 0);
    CHECK_REL(num(s, "peak_project_funding_usd"), 250e6 * i, 0); /* the same, named */
    CHECK_REL(num(s, "peak_equity_funding_usd"), 40e6 * i, 0);
    CHECK_REL(num(s, "min_cash_usd"), 100e6 - 150e6 * i, 0);
    CHECK_REL(num(s, "ai_it_mw_end"), 75.5 * i, 0);
    CHECK_REL(num(s, "mining_mw_end"), 300.0 - 100.0 * i, 0);
    CHECK_REL(num(s, "corporate_npv_usd"), -12345678.5, 0);
    if (i == 0) {
      CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s, "irr")));
      CHECK_STR(str(s, "irr_note"), "none: flows never change sign");
    } else {
      CHECK_REL(num(s, "irr"), strategy_irr[i], 0);
      CHECK_STR(str(s, "irr_note"), "");
    }
    const cJSON *sites = cJSON_GetObjectItemCaseSensitive(s, "sites");
    CHECK_EQ_I64(cJSON_GetArraySize(sites), NSITES);
    for (int k = 0; k < cJSON_GetArraySize(sites); k++) {
      const cJSON *o = cJSON_GetArrayItem(sites, k);
      const wp_site_out *w = &p->strategies[i].sites[k];
      check_keys(o, site, sizeof site / sizeof site[0]);
      CHECK_STR(str(o, "name"), site_names[k]);
      CHECK_STR(str(o, "decision"), w->decision);
      CHECK_REL(num(o, "npv_usd"), w->npv_usd, 0);
      CHECK_REL(num(o, "converted_grid_mw"), w->converted_grid_mw, 0);
      CHECK(str(o, "reason") && strcmp(str(o, "reason"), w->reason) == 0);
      if (w->convert_month < 0) {
        CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "convert_month")));
        CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "convert_date")));
      } else {
        CHECK_REL(num(o, "convert_month"), w->convert_month, 0);
      }
    }
  }
  /* hybrid, site 2: construction starts in month 3*2+2 = 8 = 2026-09, AI revenue 18 later */
  const cJSON *o =
      cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(arr, 2), "sites"), 2);
  CHECK_STR(str(o, "convert_date"), "2026-09");
  CHECK_STR(str(o, "energize_date"), "2028-03");
  CHECK_STR(str(o, "business_model"), "colo");
  cJSON_Delete(doc);
done:
  free(text);
  wp_plan_out_free(p);
}

static void test_json_is_deterministic(void)
{
  wp_plan_out *a = synthetic_plan(NSTRAT, NSITES, MONTHS),
              *b = synthetic_plan(NSTRAT, NSITES, MONTHS);
  char *t1 = NULL, *t2 = NULL, *t3 = NULL;
  if (CHECK(a && b)) {
    CHECK(wp_output_json(a, &t1, NULL) == WP_OK);
    CHECK(wp_output_json(a, &t2, NULL) == WP_OK);
    CHECK(wp_output_json(b, &t3, NULL) == WP_OK); /* an equal result built separately */
    CHECK(t1 && t2 && t3 && strcmp(t1, t2) == 0 && strcmp(t1, t3) == 0);
  }
  free(t1);
  free(t2);
  free(t3);
  wp_plan_out_free(a);
  wp_plan_out_free(b);
}

/* Widest line of text in code points. */
static size_t widest_line(const char *text)
{
  size_t col = 0, widest = 0;
  for (const char *c = text; *c; c++) {
    if (*c == '\n')
      col = 0;
    else if (((unsigned char)*c & 0xC0) != 0x80)
      col++;
    if (col > widest) widest = col;
  }
  return widest;
}

/* An optimized strategy's solve and binding limits, and mixes of business models, stay within
** 100 columns and say every model (no cut "colo+gpu-"). */
static void test_summary_text_solves_and_mixes(void)
{
  wp_plan_out *p = synthetic_plan(NSTRAT, NSITES, MONTHS);
  char *text = NULL;
  size_t len = 0;
  if (!CHECK(p != NULL)) return;
  wp_strategy_out *st = &p->strategies[2];
  snprintf(st->solve.status, sizeof st->solve.status, "least shortfall, node limit");
  st->solve.objective = 4968.6e6;
  st->solve.bound = 5198.4e6;
  st->solve.gap = 0.0462;
  st->solve.solves = 10;
  st->solve.polish_moves = 4;
  st->solve.seconds = 16.9;
  st->solve.rows = 579;
  st->solve.cols = 900;
  st->solve.integers = 897;
  if (CHECK(wp_plan_out_set_limits(p, 2, 2, NULL) == WP_OK)) {
    st->limits[0] = (wp_limit_out){.limit = WP_LIMIT_CREWS, .binding = 1, .relax_npv_usd = 593.9e6,
                                   .relax_ai_it_mw = NAN};
    snprintf(st->limits[0].binding_months, sizeof st->limits[0].binding_months,
             "2026-01..2027-07, 2027-10..2029-04, 2029-07..2031-01, 2032-07..2032-10, 2033-04");
    st->limits[1] = (wp_limit_out){.limit = WP_LIMIT_REGIONAL_DEMAND, .binding = 1,
                                   .relax_npv_usd = NAN, .relax_ai_it_mw = NAN};
    snprintf(st->limits[1].scope, sizeof st->limits[1].scope, "ASIA");
  }
  snprintf(st->sites[0].business_model, sizeof st->sites[0].business_model, "colo+gpu-contract");
  snprintf(st->sites[2].business_model, sizeof st->sites[2].business_model,
           "colo+gpu-contract+gpu-merchant");
  st->sites[0].convert_month = st->sites[2].convert_month = 3;
  snprintf(p->strategies[3].sites[2].business_model, sizeof p->strategies[3].sites[2].business_model,
           "gpu-merchant");
  FILE *f = open_memstream(&text, &len);
  if (!CHECK(f != NULL)) return;
  CHECK(wp_output_summary_text(p, f) == WP_OK);
  fclose(f);
  CHECK_CONTAINS(text, "least shortfall, node limit; NPV 4,968.6, bound 5,198.4, gap 4.62 %\n");
  CHECK_CONTAINS(text, "10 solves, 4 polish moves, 16.9 s; 579 rows x 900 columns (897 integer)");
  CHECK_CONTAINS(text, "                binding: crews (2026-01..2027-07, ");
  CHECK_CONTAINS(text, ", +593.9 NPV if relaxed; regional demand ASIA\n");
  CHECK_CONTAINS(text, "2026-04 colo+ctr ");
  CHECK_CONTAINS(text, "2026-04 3 models ");
  CHECK_CONTAINS(text, " merchant");
  CHECK(strstr(text, "gpu- ") == NULL);
  const size_t w = widest_line(text);
  if (!CHECK(w <= 100)) fprintf(stderr, "widest line: %zu columns\n%s", w, text);
  free(text);
  wp_plan_out_free(p);
}

static void test_summary_text(void)
{
  wp_plan_out *p = synthetic_plan(NSTRAT, NSITES, MONTHS);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!CHECK(p && f)) return;
  CHECK(wp_output_summary_text(p, f) == WP_OK);
  fclose(f);
  CHECK_CONTAINS(text, "Plan: synthetic & <test> fleet");
  CHECK_CONTAINS(text, "Start 2026-01, 24 months (to 2027-12), hurdle rate 10.0 %/yr");
  CHECK_CONTAINS(text, "NPV $M    IRR %  peak proj $M  peak eq $M  min cash $M  AI MW end");
  /* hybrid is the best: 1,500.0 $M, IRR 21.3 % (21.25 rounds half to even or up), marked */
  CHECK_CONTAINS(text, "* hybrid           1,500.0");
  CHECK_CONTAINS(text, "  mining-only        412.3      n/a");
  CHECK_CONTAINS(text, "IRR of mining-only: none: flows never change sign");
  CHECK_CONTAINS(text, "custom             -98.8     -3.1");
  CHECK_CONTAINS(text, "Sites under hybrid (best NPV)");
  CHECK_CONTAINS(text, "2026-09");
  CHECK_CONTAINS(text, "Decisions by site");
  CHECK_CONTAINS(text, "Every strategy's per-site reasons");
  CHECK(!has_nonfinite_token(text));
  /* Every line fits in 100 columns (counting UTF-8 code points). */
  const size_t widest = widest_line(text);
  CHECK(widest <= 100 && widest > 60);
  free(text);
  CHECK(wp_output_summary_text(NULL, stdout) == WP_EINVAL);
  CHECK(wp_output_summary_text(p, NULL) == WP_EINVAL);
  wp_plan_out_free(p);
}

static void test_report_html(void)
{
  wp_plan_out *p = synthetic_plan(NSTRAT, NSITES, MONTHS);
  char *html = NULL;
  if (!CHECK(p && wp_output_report_html(p, &html, NULL) == WP_OK)) goto done;
  /* per strategy a MW mix and a revenue chart, cash, NPV by strategy, by site */
  check_html(html, 2 * NSTRAT + 3);
  CHECK_CONTAINS(html, "Rockdale, TX &lt;North&gt; &quot;A&quot;");
  CHECK_CONTAINS(html, "synthetic &amp; &lt;test&gt; fleet");
  CHECK_CONTAINS(html, "Itaipú Paraguay");
  CHECK_CONTAINS(html, "Start 2026-01, horizon 24 months (2026-01 to 2027-12)");
  CHECK_CONTAINS(html, "cash balance, $M");
  CHECK_CONTAINS(html, "none: flows never change sign");
  CHECK_CONTAINS(html, ">-98.8<");                    /* the negative strategy NPV bar's label */
  CHECK_CONTAINS(html, "<td class=\"num\">n/a</td>"); /* NaN IRR in the table */
  CHECK_EQ_I64(count(html, "<html"), 1);
done:
  free(html);
  wp_plan_out_free(p);
}

/* Shapes that break charts: 1 month, no sites, all-zero series, no strategies. */
static void test_edge_shapes(void)
{
  static const struct {
    size_t nstrat, nsites, months;
    int zero;
    size_t svgs;
  } cases[] = {
      /* per strategy a MW mix and a revenue chart; cash; NPV by strategy; NPV by site */
      {2, 3, 1, 0, 2 * 2 + 3}, {3, 0, 24, 0, 2 * 3 + 2}, {2, 3, 24, 1, 2 * 2 + 3},
      {0, 0, 24, 0, 0},        {1, 1, 0, 0, 2},          {4, 3, 180, 0, 2 * 4 + 3},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    wp_plan_out *p = synthetic_plan(cases[c].nstrat, cases[c].nsites, cases[c].months);
    if (!CHECK(p)) continue;
    if (cases[c].zero)
      for (size_t i = 0; i < p->nstrategies; i++) {
        wp_strategy_out *st = &p->strategies[i];
        st->npv_usd = st->peak_funding_usd = st->min_cash_usd = 0;
        for (size_t k = 0; k < st->nsites; k++)
          st->sites[k].npv_usd = 0;
        for (int s = 0; s < WP_SERIES_COUNT; s++)
          memset(st->series[s], 0, p->months * sizeof(double));
      }
    char *html = NULL, *json = NULL, *out = NULL;
    size_t len = 0;
    CHECK(wp_output_report_html(p, &html, NULL) == WP_OK);
    check_html(html, cases[c].svgs);
    if (html && cases[c].zero) CHECK(strstr(html, "(recommended)") == NULL); /* a tie: none */
    if (html && cases[c].months == 1) CHECK_CONTAINS(html, "horizon 1 month (2026-01 to 2026-01)");
    CHECK(wp_output_json(p, &json, NULL) == WP_OK);
    cJSON *doc = json ? cJSON_Parse(json) : NULL;
    CHECK(doc != NULL);
    cJSON_Delete(doc);
    FILE *f = open_memstream(&out, &len);
    if (CHECK(f)) {
      CHECK(wp_output_summary_text(p, f) == WP_OK);
      fclose(f);
      CHECK(!has_nonfinite_token(out));
    }
    free(out);
    free(json);
    free(html);
    wp_plan_out_free(p);
  }
}

/* Non-finite values everywhere and a name without its NUL: never "nan", never overflow. */
static void test_nonfinite_and_unterminated(void)
{
  wp_plan_out *p = synthetic_plan(2, 2, 12);
  if (!CHECK(p)) return;
  wp_strategy_out *st = &p->strategies[1];
  st->npv_usd = NAN;
  st->min_cash_usd = -INFINITY;
  st->sites[0].npv_usd = INFINITY;
  st->series[WP_SERIES_CASH_USD][5] = NAN;
  st->series[WP_SERIES_MINING_GRID_MW][6] = NAN;
  st->series[WP_SERIES_AI_GRID_MW][7] = 1e308; /* stacks overflow to Inf */
  st->series[WP_SERIES_CONSTRUCTION_GRID_MW][7] = 1e308;
  p->strategies[0].sites[1].npv_usd = -1e308;
  st->sites[1].npv_usd = 1e308;
  memset(st->sites[1].name, 'x', sizeof st->sites[1].name);
  memset(st->name, 'y', sizeof st->name);
  char *json = NULL, *html = NULL;
  CHECK(wp_output_json(p, &json, NULL) == WP_OK);
  CHECK(wp_output_report_html(p, &html, NULL) == WP_OK);
  if (json) {
    CHECK(!has_nonfinite_token(json));
    cJSON *doc = cJSON_Parse(json);
    const cJSON *s1 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "strategies"), 1);
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s1, "npv_usd")));
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s1, "min_cash_usd")));
    CHECK_EQ_I64(strlen(str(s1, "name") ? str(s1, "name") : ""), 32);
    const cJSON *site1 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s1, "sites"), 1);
    CHECK_EQ_I64(strlen(str(site1, "name") ? str(site1, "name") : ""), 64);
    cJSON_Delete(doc);
  }
  check_html(html, 2 * 2 + 3);
  free(json);
  free(html);
  wp_plan_out_free(p);
}

static void test_write_dir(void)
{
  char root[] = "/tmp/wp_test_output_XXXXXX", dir[256], path[320];
  wp_plan_out *p = synthetic_plan(NSTRAT, NSITES, MONTHS);
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(p && mkdtemp(root))) return;
  snprintf(dir, sizeof dir, "%s/a/b/out", root); /* parents are created */
  CHECK(wp_output_write_dir(p, dir, &err) == WP_OK);
  CHECK_STR(err.msg, "");
  CHECK(wp_output_write_dir(p, dir, &err) == WP_OK); /* again: files replaced */

  snprintf(path, sizeof path, "%s/summary.json", dir);
  char *summary = ref_read_file(path), *json = NULL;
  CHECK(wp_output_json(p, &json, NULL) == WP_OK);
  CHECK(summary && json && strlen(summary) == strlen(json) + 1 &&
        strncmp(summary, json, strlen(json)) == 0 && summary[strlen(json)] == '\n');

  csv c;
  snprintf(path, sizeof path, "%s/sites.csv", dir);
  char *sites = ref_read_file(path);
  if (CHECK(sites && csv_parse(sites, &c))) {
    CHECK_EQ_I64(c.nrows, 1 + NSTRAT * NSITES);
    CHECK_EQ_I64(c.ncols[0], 16);
    CHECK_STR(c.cell[0][0], "strategy");
    CHECK_STR(c.cell[0][9], "grid_mw");
    CHECK_STR(c.cell[0][15], "reason");
    for (size_t r = 1; r < c.nrows; r++)
      CHECK_EQ_I64(c.ncols[r], 16);
    CHECK_STR(c.cell[1][1], site_names[0]); /* comma, quotes and < read back intact */
    CHECK_STR(c.cell[1][5], "");            /* mining-only: not converted */
    /* row of hybrid (strategy 2), site 2 (Kvarntorp) */
    size_t r = 1 + 2 * NSITES + 2;
    CHECK_STR(c.cell[r][0], "hybrid");
    CHECK_STR(c.cell[r][5], "8");
    CHECK_STR(c.cell[r][6], "2026-09");
    CHECK_STR(c.cell[r][8], "2028-03");
    CHECK_REL(strtod(c.cell[r][12], NULL), p->strategies[2].sites[2].capex_usd, 0);
    CHECK(strcmp(c.cell[r][15], p->strategies[2].sites[2].reason) == 0);
    CHECK(!has_nonfinite_token(sites));
    csv_free(&c);
  }
  snprintf(path, sizeof path, "%s/ledger.csv", dir);
  char *ledger = ref_read_file(path);
  if (CHECK(ledger && csv_parse(ledger, &c))) {
    CHECK_EQ_I64(c.nrows, 1 + NSTRAT * MONTHS);
    /* The series, then the market path (issue 16: the hashprice path in the ledger); this
       hand-made plan has no market path, so its cells are empty. */
    CHECK_EQ_I64(c.ncols[0], 3 + WP_SERIES_COUNT + 2);
    CHECK_STR(c.cell[0][3 + WP_SERIES_COUNT], "btc_price_usd");
    CHECK_STR(c.cell[0][4 + WP_SERIES_COUNT], "hashprice_usd_per_ph_day");
    CHECK_STR(c.cell[1][4 + WP_SERIES_COUNT], "");
    CHECK_STR(c.cell[0][1], "date");
    CHECK_STR(c.cell[0][3], "mining_grid_mw");
    CHECK_STR(c.cell[0][3 + WP_SERIES_CASH_USD], "cash_usd");
    CHECK_STR(c.cell[1][1], "2026-01-31");
    CHECK_STR(c.cell[2][1], "2026-02-28");
    CHECK_STR(c.cell[24][1], "2027-12-31");
    CHECK_STR(c.cell[25][0], "all-in");
    CHECK_STR(c.cell[25][2], "0");
    /* full precision: every number reads back exactly */
    CHECK_STR(c.cell[25][3 + WP_SERIES_CAPEX_USD], "0.30000000000000004");
    CHECK_STR(c.cell[25][3 + WP_SERIES_AI_GRID_MW], "0"); /* shortest form */
    CHECK_REL(strtod(c.cell[30][3 + WP_SERIES_REVENUE_MINING_USD], NULL), 1234567.891234567 + 5, 0);
    CHECK_REL(strtod(c.cell[30][3 + WP_SERIES_CASH_USD], NULL),
              p->strategies[1].series[WP_SERIES_CASH_USD][5], 0);
    CHECK(!has_nonfinite_token(ledger));
    csv_free(&c);
  }
  snprintf(path, sizeof path, "%s/report.html", dir);
  char *html = ref_read_file(path);
  check_html(html, 2 * NSTRAT + 3);

  /* Nothing else in the folder: the temporary files were renamed away. */
  DIR *d = opendir(dir);
  int files = 0;
  for (struct dirent *e; d && (e = readdir(d)) != NULL;)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) files++;
  if (d) closedir(d);
  CHECK_EQ_I64(files, 5); /* the four results and meta.json */

  const char *keep = getenv("WP_OUTPUT_KEEP");
  if (keep && *keep) CHECK(wp_output_write_dir(p, keep, &err) == WP_OK);

  free(html);
  free(ledger);
  free(sites);
  free(json);
  free(summary);
  snprintf(path, sizeof path, "%s/meta.json", dir);
  char *meta = ref_read_file(path);
  if (CHECK(meta != NULL)) {
    CHECK_CONTAINS(meta, wp_version());
    CHECK_CONTAINS(meta, "\"created_utc\":\t\"20");
  }
  free(meta);
  static const char *const names[] = {"summary.json", "sites.csv", "ledger.csv", "report.html",
                                      "meta.json"};
  for (size_t i = 0; i < 5; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    CHECK(remove(path) == 0);
  }
  static const char *const dirs[] = {"/a/b/out", "/a/b", "/a", ""};
  for (size_t i = 0; i < 4; i++) {
    snprintf(path, sizeof path, "%s%s", root, dirs[i]);
    CHECK(rmdir(path) == 0);
  }
  wp_plan_out_free(p);
}

static void test_write_dir_refusals(void)
{
  char file[] = "/tmp/wp_test_output_file_XXXXXX", dir[128];
  wp_plan_out *p = synthetic_plan(2, 1, 3);
  wp_error err = WP_ERROR_INIT;
  int fd = mkstemp(file);
  if (!CHECK(p && fd >= 0)) return;
  close(fd);
  /* A directory below a regular file cannot exist (ENOTDIR even for root). */
  snprintf(dir, sizeof dir, "%s/out", file);
  CHECK(wp_output_write_dir(p, dir, &err) == WP_EIO);
  CHECK_CONTAINS(err.msg, file);
  CHECK_CONTAINS(err.msg, strerror(ENOTDIR));
  /* The path is a file, not a directory. */
  CHECK(wp_output_write_dir(p, file, &err) == WP_EIO);
  CHECK_CONTAINS(err.msg, file);
  CHECK_CONTAINS(err.msg, "Not a directory");
  CHECK(wp_output_write_dir(p, "", &err) == WP_EINVAL);
  CHECK(wp_output_write_dir(p, NULL, &err) == WP_EINVAL);
  CHECK(wp_output_write_dir(NULL, "/tmp", &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "NULL");
  /* A malformed result is refused with the field named, before any file is touched. */
  free(p->strategies[1].sites);
  p->strategies[1].sites = NULL;
  char *text = (char *)"untouched";
  CHECK(wp_output_json(p, &text, &err) == WP_EINVAL);
  CHECK(text == NULL);
  CHECK_CONTAINS(err.msg, "strategy 1 has 1 sites but no site rows");
  CHECK(wp_output_report_html(p, &text, &err) == WP_EINVAL);
  p->start.month = 13;
  CHECK(wp_output_json(p, &text, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "2026-13");
  remove(file);
  wp_plan_out_free(p);
}

int main(void)
{
  RUN(test_json_contract);
  RUN(test_decision_respects_floor);
  RUN(test_irr_note_borrowing);
  RUN(test_json_is_deterministic);
  RUN(test_summary_text);
  RUN(test_summary_text_solves_and_mixes);
  RUN(test_report_html);
  RUN(test_edge_shapes);
  RUN(test_nonfinite_and_unterminated);
  RUN(test_write_dir);
  RUN(test_write_dir_refusals);
  return harness_report();
}
