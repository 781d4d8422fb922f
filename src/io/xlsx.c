/*
** The plan as an Excel workbook (wattpivot/output.h wp_output_write_xlsx), through libxlsxwriter.
** Live where the identities are exact: a strategy's NPV is XNPV(hurdle, project cash flow,
** month-end dates), its IRR XIRR over the same, peak funding the deepest cumulative project cash
** flow, month-end cash the start cash plus the running equity cash flow, and whether it holds the
** cash floor — all formulas over the ledger columns and the Assumptions cells, so changing the
** hurdle rate, the start cash or the floor moves them. Every formula carries our value as its
** cached result (what a viewer shows before recalculating); tests/xlsx recalculates with
** Gnumeric and requires the same numbers.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "io/output_int.h"
#include "io/scenario_file_int.h"
#include "io/yaml_int.h"
#include "wattpivot/format.h"
#include "wattpivot/output.h"

typedef struct book {
  lxw_workbook *wb;
  lxw_format *bold, *usd, *mw, *pct, *date, *num;
  char tmp[4200]; /* written here, beside the target, then renamed into place */
} book;

/* A new workbook beside path, with the formats every sheet uses. */
static wp_status book_open(book *b, const char *path, wp_error *err)
{
  memset(b, 0, sizeof *b);
  snprintf(b->tmp, sizeof b->tmp, "%s.%ld.tmp", path, (long)getpid());
  b->wb = workbook_new(b->tmp);
  if (!b->wb) return wp_error_set(err, WP_EIO, "cannot create %s", path);
  b->bold = workbook_add_format(b->wb);
  format_set_bold(b->bold);
  format_set_bg_color(b->bold, 0xF2F2F2);
  format_set_text_wrap(b->bold);
  b->usd = workbook_add_format(b->wb);
  format_set_num_format(b->usd, "#,##0;[Red]-#,##0");
  b->mw = workbook_add_format(b->wb);
  format_set_num_format(b->mw, "#,##0.0");
  b->pct = workbook_add_format(b->wb);
  format_set_num_format(b->pct, "0.00%");
  b->date = workbook_add_format(b->wb);
  format_set_num_format(b->date, "yyyy-mm-dd");
  b->num = workbook_add_format(b->wb);
  format_set_num_format(b->num, "General");
  return WP_OK;
}

/* Finish the workbook and rename it into place: whole or not at all. */
static wp_status book_close(book *b, const char *path, wp_error *err)
{
  lxw_error e = workbook_close(b->wb);
  if (e != LXW_NO_ERROR) {
    remove(b->tmp);
    return wp_error_set(err, WP_EIO, "cannot write %s: %s", path, lxw_strerror(e));
  }
  if (rename(b->tmp, path) != 0) {
    int saved = errno;
    remove(b->tmp);
    return wp_error_set(err, WP_EIO, "cannot write %s: %s", path, strerror(saved));
  }
  return WP_OK;
}

/* Excel's serial day number of the last day of month m of the plan (1900 date system). */
static double serial_of(wp_ym start, int64_t m)
{
  wp_ym ym = wp_calendar_add_months(start, m);
  int y = ym.year, mo = ym.month + 1; /* the day before the first of the next month */
  if (mo > 12) mo = 1, y++;
  /* days from 1899-12-30 to y-mo-01 (civil from days, proleptic Gregorian) */
  const int a = (14 - mo) / 12, yy = y + 4800 - a, mm = mo + 12 * a - 3;
  const long jdn = 1 + (153 * mm + 2) / 5 + 365L * yy + yy / 4 - yy / 100 + yy / 400 - 32045;
  return (double)(jdn - 2415019) - 1.0; /* 2415019: JDN of 1899-12-30 */
}

/* The Assumptions sheet: every key of every section, with its value, unit and section; returns
** the cells (A1 form) of the hurdle rate, start cash and cash floor in *cells. */
static void assumptions(book *b, const wp_plan_out *plan, const wp_scenario *sc, char cells[3][32])
{
  lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Assumptions");
  worksheet_set_column(ws, 0, 0, 42, NULL);
  worksheet_set_column(ws, 1, 1, 22, NULL);
  worksheet_set_column(ws, 2, 3, 16, NULL);
  worksheet_freeze_panes(ws, 1, 0);
  worksheet_write_string(ws, 0, 0, "key", b->bold);
  worksheet_write_string(ws, 0, 1, "value", b->bold);
  worksheet_write_string(ws, 0, 2, "unit", b->bold);
  worksheet_write_string(ws, 0, 3, "source", b->bold);
  lxw_row_t r = 1;
  char t[160];
  worksheet_write_string(ws, r, 0, "scenario", NULL);
  worksheet_write_string(ws, r++, 1, WP_OUT_FIELD(t, plan->scenario), NULL);
  worksheet_write_string(ws, r, 0, "wattpivot version", NULL);
  worksheet_write_string(ws, r++, 1, wp_version(), NULL);
  worksheet_write_string(ws, r, 0, "scenario hash", NULL);
  worksheet_write_string(
      ws, r, 1, plan->scenario_hash[0] ? WP_OUT_FIELD(t, plan->scenario_hash) : "n/a", NULL);
  worksheet_write_string(ws, r++, 3, "FNV-1a 64 of the resolved scenario (docs/output.md)", NULL);
  worksheet_write_string(ws, r, 0, "run at (UTC)", NULL);
  worksheet_write_string(ws, r++, 1,
                         plan->created_utc[0] ? WP_OUT_FIELD(t, plan->created_utc) : "n/a", NULL);
  size_t n = 0;
  const wp_scenario_section *secs = wp_scenario_sections(&n);
  for (size_t s = 0; sc && s < n; s++) {
    const char *base = (const char *)sc + secs[s].offset;
    for (size_t f = 0; f < secs[s].nfields; f++) {
      const wp_field *fd = &secs[s].fields[f];
      const void *v = base + fd->offset;
      char key[160];
      snprintf(key, sizeof key, "%s.%s", secs[s].key, fd->key);
      worksheet_write_string(ws, r, 0, key, NULL);
      switch (fd->kind) {
      case WP_F_NUM: {
        double d;
        memcpy(&d, v, sizeof d);
        worksheet_write_number(ws, r, 1, d, b->num);
        break;
      }
      case WP_F_INT: {
        int64_t i;
        memcpy(&i, v, sizeof i);
        worksheet_write_number(ws, r, 1, (double)i, NULL);
        break;
      }
      case WP_F_BOOL: {
        int i;
        memcpy(&i, v, sizeof i);
        worksheet_write_boolean(ws, r, 1, i, NULL);
        break;
      }
      case WP_F_ENUM: {
        int i;
        memcpy(&i, v, sizeof i);
        worksheet_write_string(ws, r, 1, fd->name_of ? fd->name_of(i) : "", NULL);
        break;
      }
      case WP_F_STR:
        worksheet_write_string(ws, r, 1, (const char *)v, NULL);
        break;
      case WP_F_YM: {
        wp_ym ym;
        memcpy(&ym, v, sizeof ym);
        worksheet_write_string(ws, r, 1, wp_format_ym(t, sizeof t, ym), NULL);
        break;
      }
      case WP_F_NUM12:
        worksheet_write_string(ws, r, 1, "(12 monthly values)", NULL);
        break;
      }
      worksheet_write_string(ws, r, 2, fd->unit ? fd->unit : "", NULL);
      worksheet_write_string(ws, r, 3, fd->help ? fd->help : "docs/scenario.md", NULL);
      if (strcmp(key, "scenario.hurdle_rate") == 0)
        snprintf(cells[0], 32, "Assumptions!$B$%u", r + 1);
      if (strcmp(key, "corporate.cash_start_usd") == 0)
        snprintf(cells[1], 32, "Assumptions!$B$%u", r + 1);
      if (strcmp(key, "strategy.cash_floor_usd") == 0)
        snprintf(cells[2], 32, "Assumptions!$B$%u", r + 1);
      r++;
    }
  }
}

static void sheet_name(char *buf, size_t n, const char *prefix, const char *name)
{
  snprintf(buf, n, "%s %.20s", prefix, name);
  for (char *p = buf; *p; p++)
    if (strchr("[]:*?/\\", *p)) *p = '_';
}

/* One strategy's monthly ledger: its series as values, cumulative project cash flow and
** month-end cash as formulas. */
static void ledger(book *b, const wp_plan_out *plan, size_t k, const char *start_cash)
{
  const wp_strategy_out *st = &plan->strategies[k];
  char name[40], t[40];
  sheet_name(name, sizeof name, "Ledger", WP_OUT_FIELD(t, st->name));
  lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
  static const char *const head[] = {"date",
                                     "month",
                                     "mining grid MW",
                                     "AI grid MW",
                                     "AI IT MW",
                                     "construction grid MW",
                                     "revenue mining USD",
                                     "revenue AI USD",
                                     "power USD",
                                     "opex USD",
                                     "capex USD",
                                     "project cash flow USD",
                                     "equity cash flow USD",
                                     "cumulative project cash flow USD",
                                     "month-end cash USD"};
  static const wp_series cols[] = {WP_SERIES_MINING_GRID_MW,     WP_SERIES_AI_GRID_MW,
                                   WP_SERIES_AI_IT_MW,           WP_SERIES_CONSTRUCTION_GRID_MW,
                                   WP_SERIES_REVENUE_MINING_USD, WP_SERIES_REVENUE_AI_USD,
                                   WP_SERIES_POWER_USD,          WP_SERIES_OPEX_USD,
                                   WP_SERIES_CAPEX_USD,          WP_SERIES_PROJECT_CF_USD,
                                   WP_SERIES_EQUITY_CF_USD};
  for (lxw_col_t c = 0; c < 15; c++)
    worksheet_write_string(ws, 0, c, head[c], b->bold);
  worksheet_set_column(ws, 0, 0, 12, NULL);
  worksheet_set_column(ws, 1, 1, 7, NULL);
  worksheet_set_column(ws, 2, 5, 12, NULL);
  worksheet_set_column(ws, 6, 14, 18, NULL);
  worksheet_freeze_panes(ws, 1, 1);
  double cum = 0;
  for (size_t m = 0; m < plan->months; m++) {
    const lxw_row_t r = (lxw_row_t)m + 1;
    worksheet_write_number(ws, r, 0, serial_of(plan->start, (int64_t)m), b->date);
    worksheet_write_number(ws, r, 1, (double)m, NULL);
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
      worksheet_write_number(ws, r, (lxw_col_t)(2 + c), st->series[cols[c]][m],
                             c < 4 ? b->mw : b->usd);
    char f[96];
    cum += st->series[WP_SERIES_PROJECT_CF_USD][m];
    if (m == 0)
      snprintf(f, sizeof f, "=L2");
    else
      snprintf(f, sizeof f, "=N%u+L%u", r, r + 1);
    worksheet_write_formula_num(ws, r, 13, f, b->usd, cum);
    if (m == 0)
      snprintf(f, sizeof f, "=%s+M2", start_cash);
    else
      snprintf(f, sizeof f, "=O%u+M%u", r, r + 1);
    worksheet_write_formula_num(ws, r, 14, f, b->usd, st->series[WP_SERIES_CASH_USD][m]);
  }
}

/* The strategies: NPV, IRR, peak funding, lowest cash and the floor test as formulas over their
** ledgers and the Assumptions cells. */
static void strategies(book *b, const wp_plan_out *plan, char cells[3][32])
{
  lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Strategies");
  static const char *const head[] = {"strategy",         "NPV USD",          "IRR",
                                     "peak funding USD", "min cash USD",     "cash floor",
                                     "AI IT MW at end",  "mining MW at end", "recommended"};
  for (lxw_col_t c = 0; c < 9; c++)
    worksheet_write_string(ws, 0, c, head[c], b->bold);
  worksheet_set_column(ws, 0, 0, 16, NULL);
  worksheet_set_column(ws, 1, 8, 18, NULL);
  worksheet_freeze_panes(ws, 1, 1);
  const size_t best = wp_out_best(plan);
  const unsigned last = (unsigned)plan->months + 1;
  for (size_t k = 0; k < plan->nstrategies; k++) {
    const wp_strategy_out *st = &plan->strategies[k];
    const lxw_row_t r = (lxw_row_t)k + 1;
    char name[40], t[40], f[256];
    sheet_name(name, sizeof name, "Ledger", WP_OUT_FIELD(t, st->name));
    worksheet_write_string(ws, r, 0, t, NULL);
    snprintf(f, sizeof f, "=XNPV(%s,'%s'!L2:L%u,'%s'!A2:A%u)", cells[0], name, last, name, last);
    worksheet_write_formula_num(ws, r, 1, f, b->usd, st->npv_usd);
    if (isfinite(st->irr)) {
      snprintf(f, sizeof f, "=XIRR('%s'!L2:L%u,'%s'!A2:A%u,%.17g)", name, last, name, last,
               st->irr);
      worksheet_write_formula_num(ws, r, 2, f, b->pct, st->irr);
    } else {
      worksheet_write_string(ws, r, 2, "n/a", NULL);
    }
    snprintf(f, sizeof f, "=-MIN(0,MIN('%s'!N2:N%u))", name, last);
    worksheet_write_formula_num(ws, r, 3, f, b->usd, st->peak_funding_usd);
    snprintf(f, sizeof f, "=MIN('%s'!O2:O%u)", name, last);
    worksheet_write_formula_num(ws, r, 4, f, b->usd, st->min_cash_usd);
    snprintf(f, sizeof f, "=IF(E%u>=%s,\"holds\",\"breaks\")", r + 1, cells[2]);
    worksheet_write_formula_str(ws, r, 5, f, NULL,
                                wp_out_holds_floor(plan, k) ? "holds" : "breaks");
    worksheet_write_number(ws, r, 6, st->ai_it_mw_end, b->mw);
    worksheet_write_number(ws, r, 7, st->mining_mw_end, b->mw);
    worksheet_write_string(ws, r, 8, k == best ? "yes" : "", NULL);
  }
}

/* Every strategy's site decisions, as values. */
static void sites(book *b, const wp_plan_out *plan)
{
  lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Sites");
  static const char *const head[] = {
      "strategy",       "site",          "country", "decision",
      "business model", "convert month", "grid MW", "converted grid MW",
      "AI IT MW",       "capex USD",     "NPV USD", "mining NPV USD",
      "reason"};
  for (lxw_col_t c = 0; c < 13; c++)
    worksheet_write_string(ws, 0, c, head[c], b->bold);
  worksheet_set_column(ws, 0, 4, 15, NULL);
  worksheet_set_column(ws, 5, 11, 15, NULL);
  worksheet_set_column(ws, 12, 12, 90, NULL);
  worksheet_freeze_panes(ws, 1, 2);
  lxw_row_t r = 1;
  char t[300];
  for (size_t k = 0; k < plan->nstrategies; k++)
    for (size_t i = 0; i < plan->strategies[k].nsites; i++, r++) {
      const wp_site_out *s = &plan->strategies[k].sites[i];
      worksheet_write_string(ws, r, 0, WP_OUT_FIELD(t, plan->strategies[k].name), NULL);
      worksheet_write_string(ws, r, 1, WP_OUT_FIELD(t, s->name), NULL);
      worksheet_write_string(ws, r, 2, WP_OUT_FIELD(t, s->country), NULL);
      worksheet_write_string(ws, r, 3, WP_OUT_FIELD(t, s->decision), NULL);
      worksheet_write_string(ws, r, 4, WP_OUT_FIELD(t, s->business_model), NULL);
      if (s->convert_month >= 0)
        worksheet_write_string(
            ws, r, 5, wp_format_month(t, sizeof t, plan->start, s->convert_month, ""), NULL);
      worksheet_write_number(ws, r, 6, s->grid_mw, b->mw);
      worksheet_write_number(ws, r, 7, s->converted_grid_mw, b->mw);
      worksheet_write_number(ws, r, 8, s->ai_it_mw, b->mw);
      worksheet_write_number(ws, r, 9, s->capex_usd, b->usd);
      worksheet_write_number(ws, r, 10, s->npv_usd, b->usd);
      worksheet_write_number(ws, r, 11, s->mining_npv_usd, b->usd);
      worksheet_write_string(ws, r, 12, WP_OUT_FIELD(t, s->reason), NULL);
    }
}

wp_status wp_output_write_xlsx(const wp_plan_out *plan, const wp_scenario *sc, const char *path,
                               wp_error *err)
{
  if (!path || !path[0]) return wp_error_set(err, WP_EINVAL, "workbook: no file name");
  if (strcmp(path, "-") == 0)
    return wp_error_set(err, WP_EINVAL,
                        "workbook: a file name is needed (not '-': a workbook "
                        "is binary)");
  wp_status st = wp_out_check(plan, err);
  if (st) return st;
  if (plan->months == 0 || plan->nstrategies == 0)
    return wp_error_set(err, WP_EINVAL, "workbook: nothing to write (no months or strategies)");
  book b; /* written beside the target and renamed into place: whole or not at all */
  if ((st = book_open(&b, path, err))) return st;
  char cells[3][32] = {"", "", ""};
  assumptions(&b, plan, sc, cells);
  if (!cells[0][0] || !cells[1][0] || !cells[2][0]) {
    workbook_close(b.wb);
    remove(b.tmp);
    return wp_error_set(err, WP_EINVAL,
                        "workbook: the scenario's hurdle rate, start cash or "
                        "cash floor is missing");
  }
  strategies(&b, plan, cells);
  for (size_t k = 0; k < plan->nstrategies; k++)
    ledger(&b, plan, k, cells[1]);
  sites(&b, plan);
  return book_close(&b, path, err);
}

/*
** One site's pathway as a workbook (wp_finance_write_xlsx): Inputs (every input in force with
** its unit and where it came from), Ledger (every ledger line, month by month, as computed) and
** Metrics, whose NPVs (XNPV) and IRRs (XIRR) are formulas over the ledger's cash flows and the
** hurdle-rate cell.
*/
wp_status wp_output_write_finance_xlsx(const wp_ledger *ledger, wp_ym start, size_t months,
                                       double hurdle_rate, const wp_output_metric *metrics,
                                       size_t nmetrics, const wp_output_input *inputs,
                                       size_t ninputs, const char *path, wp_error *err)
{
  if (!ledger || !path || !path[0] || (nmetrics && !metrics) || (ninputs && !inputs))
    return wp_error_set(err, WP_EINVAL, "workbook: NULL argument");
  if (strcmp(path, "-") == 0)
    return wp_error_set(err, WP_EINVAL,
                        "workbook: a file name is needed (not '-': a workbook "
                        "is binary)");
  if (months == 0) return wp_error_set(err, WP_EINVAL, "workbook: no months");
  const long pcf = wp_ledger_column_find("project_cash_flow_usd"),
             ecf = wp_ledger_column_find("equity_cash_flow_usd");
  if (pcf < 0 || ecf < 0)
    return wp_error_set(err, WP_EINVAL, "workbook: the ledger has no cash flow columns");
  book b;
  wp_status st = book_open(&b, path, err);
  if (st) return st;
  /* Inputs, the hurdle rate first (the metrics' formulas use B2). */
  lxw_worksheet *in = workbook_add_worksheet(b.wb, "Inputs");
  worksheet_set_column(in, 0, 0, 30, NULL);
  worksheet_set_column(in, 1, 1, 22, NULL);
  worksheet_set_column(in, 2, 3, 30, NULL);
  worksheet_freeze_panes(in, 1, 0);
  static const char *const ih[] = {"input", "value", "unit", "from"};
  for (lxw_col_t c = 0; c < 4; c++)
    worksheet_write_string(in, 0, c, ih[c], b.bold);
  worksheet_write_string(in, 1, 0, "hurdle_rate", NULL);
  worksheet_write_number(in, 1, 1, hurdle_rate, NULL);
  worksheet_write_string(in, 1, 2, "per year", NULL);
  worksheet_write_string(in, 1, 3, "discount rate of the NPVs below", NULL);
  for (size_t i = 0; i < ninputs; i++) {
    const lxw_row_t r = (lxw_row_t)i + 2;
    worksheet_write_string(in, r, 0, inputs[i].name ? inputs[i].name : "", NULL);
    if (inputs[i].is_num)
      worksheet_write_number(in, r, 1, inputs[i].num, NULL);
    else
      worksheet_write_string(in, r, 1, inputs[i].text ? inputs[i].text : "", NULL);
    worksheet_write_string(in, r, 2, inputs[i].unit ? inputs[i].unit : "", NULL);
    worksheet_write_string(in, r, 3, inputs[i].origin ? inputs[i].origin : "", NULL);
  }
  /* The ledger: a column per line, a row per month. */
  lxw_worksheet *ws = workbook_add_worksheet(b.wb, "Ledger");
  const size_t K = wp_ledger_column_count();
  worksheet_write_string(ws, 0, 0, "date", b.bold);
  worksheet_set_column(ws, 0, 0, 12, NULL);
  worksheet_set_column(ws, 1, (lxw_col_t)K, 16, NULL);
  worksheet_freeze_panes(ws, 1, 1);
  for (size_t k = 0; k < K; k++)
    worksheet_write_string(ws, 0, (lxw_col_t)(k + 1), wp_ledger_column_name(k), b.bold);
  for (size_t m = 0; m < months; m++) {
    worksheet_write_number(ws, (lxw_row_t)m + 1, 0, serial_of(start, (int64_t)m), b.date);
    for (size_t k = 0; k < K; k++) {
      const double *col = wp_ledger_column(ledger, k);
      if (col) worksheet_write_number(ws, (lxw_row_t)m + 1, (lxw_col_t)(k + 1), col[m], NULL);
    }
  }
  /* Metrics: NPVs and IRRs as formulas; the rest as computed. */
  lxw_worksheet *mt = workbook_add_worksheet(b.wb, "Metrics");
  worksheet_set_column(mt, 0, 0, 26, NULL);
  worksheet_set_column(mt, 1, 1, 20, NULL);
  worksheet_set_column(mt, 2, 2, 60, NULL);
  worksheet_write_string(mt, 0, 0, "metric", b.bold);
  worksheet_write_string(mt, 0, 1, "value", b.bold);
  worksheet_write_string(mt, 0, 2, "how", b.bold);
  lxw_col_t pc = (lxw_col_t)(pcf + 1), ec = (lxw_col_t)(ecf + 1);
  char pcol[8], ecol[8];
  lxw_col_to_name(pcol, pc, LXW_FALSE);
  lxw_col_to_name(ecol, ec, LXW_FALSE);
  const unsigned last = (unsigned)months + 1;
  for (size_t i = 0; i < nmetrics; i++) {
    const wp_output_metric *m = &metrics[i];
    const lxw_row_t r = (lxw_row_t)i + 1;
    char f[256] = "";
    const char *col =
        m->kind == WP_METRIC_PROJECT_NPV || m->kind == WP_METRIC_PROJECT_IRR ? pcol : ecol;
    if (m->kind == WP_METRIC_PROJECT_NPV || m->kind == WP_METRIC_EQUITY_NPV)
      snprintf(f, sizeof f, "=XNPV(Inputs!$B$2,Ledger!%s2:%s%u,Ledger!A2:A%u)", col, col, last,
               last);
    else if ((m->kind == WP_METRIC_PROJECT_IRR || m->kind == WP_METRIC_EQUITY_IRR) &&
             isfinite(m->value))
      snprintf(f, sizeof f, "=XIRR(Ledger!%s2:%s%u,Ledger!A2:A%u,%.17g)", col, col, last, last,
               m->value);
    worksheet_write_string(mt, r, 0, m->name, NULL);
    lxw_format *fmt =
        m->kind == WP_METRIC_PROJECT_IRR || m->kind == WP_METRIC_EQUITY_IRR ? b.pct : b.usd;
    if (f[0])
      worksheet_write_formula_num(mt, r, 1, f, fmt, m->value);
    else if (isfinite(m->value))
      worksheet_write_number(mt, r, 1, m->value, m->kind == WP_METRIC_VALUE ? NULL : fmt);
    else
      worksheet_write_string(mt, r, 1, "n/a", NULL);
    worksheet_write_string(mt, r, 2, f[0] ? "formula over the ledger" : "as computed", NULL);
  }
  return book_close(&b, path, err);
}
