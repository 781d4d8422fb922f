/*
** finance module: XNPV/XIRR parity with Gnumeric (tests/data/xnpv_gnumeric.csv), the IRR
** rules (none, several roots -> nearest 10%), and hand-computed ledgers for DSCR sculpting,
** the gearing cap, the negative-EBITDA guard, tax losses carried forward, construction
** interest, depreciation with disposals, equipment leases, convertible notes, solve-for
** round trips, the ledger CSV and the documentation of every ledger line.
*/
#include <errno.h>
#include <stdlib.h>

#include "harness.h"
#include "refdata.h"
#include "wattpivot.h"
#include "xirr_scan_ref.h"

/* ------------------------------------------------------------------ Gnumeric parity */

#define MAXF 512

static double day_of(const char *ymd)
{
  int y = 0, m = 0, d = 0;
  if (sscanf(ymd, "%d-%d-%d", &y, &m, &d) != 3) return NAN;
  return (double)wp_calendar_day_number(y, m, d);
}

typedef struct series {
  char name[64];
  double rate, xnpv, xirr;
  int xirr_none;
  size_t n;
  double flows[MAXF], days[MAXF];
} series;

static void check_series(const series *s)
{
  wp_error err = WP_ERROR_INIT;
  double npv = 0.0;
  harness_state.test = s->name;
  CHECK(wp_finance_xnpv(s->flows, s->days, s->n, s->rate, &npv, &err) == WP_OK);
  CHECK_REL(npv, s->xnpv, 1e-9);
  wp_irr_result r;
  wp_status st = wp_finance_xirr(s->flows, s->days, s->n, &r, &err);
  if (s->xirr_none) {
    CHECK(st == WP_ENOROOT);
    CHECK_CONTAINS(err.msg, "none");
    CHECK(r.irr == 0.0 && r.roots == 0);
    return;
  }
  if (!CHECK(st == WP_OK)) return;
  if (fabs(r.irr - s->xirr) <= 1e-9) {
    CHECK_ABS(r.irr, s->xirr, 1e-9);
    return;
  }
  /* Gnumeric found another root: it must be one of ours and ours the nearest 10%. */
  CHECK(r.several_roots);
  int listed = 0;
  for (size_t k = 0; k < r.roots && k < WP_FINANCE_IRR_MAX_ROOTS; k++) {
    listed |= fabs(r.root[k] - s->xirr) <= 1e-9;
    CHECK(fabs(r.irr - 0.10) <= fabs(r.root[k] - 0.10));
  }
  CHECK(listed);
}

static void test_xnpv_xirr_match_gnumeric(void)
{
  FILE *f = ref_open("xnpv_gnumeric.csv");
  if (!CHECK(f != NULL)) return;
  static series s;
  char line[512], *fld[REF_MAX_FIELDS];
  int nseries = 0, k;
  s.n = 0;
  while ((k = ref_next(f, line, sizeof line, fld)) > 0) {
    if (fld[0][0] == 'S' && k == 5) {
      if (nseries++) check_series(&s);
      snprintf(s.name, sizeof s.name, "gnumeric:%s", fld[1]);
      s.rate = strtod(fld[2], NULL);
      s.xnpv = strtod(fld[3], NULL);
      s.xirr_none = strcmp(fld[4], "none") == 0;
      s.xirr = s.xirr_none ? 0.0 : strtod(fld[4], NULL);
      s.n = 0;
    } else if (fld[0][0] == 'F' && k == 4 && s.n < MAXF) {
      s.days[s.n] = day_of(fld[2]);
      s.flows[s.n++] = strtod(fld[3], NULL);
    }
  }
  if (nseries) check_series(&s);
  fclose(f);
  harness_state.test = "test_xnpv_xirr_match_gnumeric";
  CHECK_EQ_I64(nseries, 26);
}

/* Yearly flows at 2025-12-31, 2026-12-31, 2027-12-31 (365 days apart): NPV is a quadratic in
** x = 1+r with roots a and b when the flows are -100, 100(a+b), -100ab. */
static void test_xirr_several_roots_nearest_10pct(void)
{
  double days[3] = {day_of("2025-12-31"), day_of("2026-12-31"), day_of("2027-12-31")};
  static const struct {
    double a, b, want;
  } cases[] = {
      {1.05, 1.50, 0.05}, /* |0.05-0.10| < |0.50-0.10| */
      {1.00, 1.18, 0.18}, /* 0.08 from 10% beats 0.10 */
      {1.12, 1.30, 0.12},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    double a = cases[i].a, b = cases[i].b;
    double flows[3] = {-100.0, 100.0 * (a + b), -100.0 * a * b};
    wp_irr_result r;
    wp_error err = WP_ERROR_INIT;
    CHECK(wp_finance_xirr(flows, days, 3, &r, &err) == WP_OK);
    CHECK_EQ_I64(r.roots, 2);
    CHECK(r.several_roots == 1);
    CHECK_ABS(r.irr, cases[i].want, 1e-10);
    CHECK_ABS(r.root[0], a - 1.0, 1e-10);
    CHECK_ABS(r.root[1], b - 1.0, 1e-10);
  }
  /* A double root (NPV touches zero at exactly 10% without crossing): found by Newton. */
  double flows[3] = {-100.0, 220.0, -121.0};
  wp_irr_result r;
  CHECK(wp_finance_xirr(flows, days, 3, &r, NULL) == WP_OK);
  CHECK_ABS(r.irr, 0.10, 1e-5);
}

/* Values separated by ';' after the second comma of line into v (at most max); the count. */
static size_t ref_values(char *line, double *v, size_t max)
{
  char *p = strchr(line, ',');
  p = p ? strchr(p + 1, ',') : NULL;
  size_t n = 0;
  while (p && *p && n < max) {
    char *end = NULL;
    v[n++] = strtod(p + 1, &end);
    p = (end && *end == ';') ? end : NULL;
  }
  return n;
}

/*
** The sign-pattern XIRR gives the grid scan's results (tests/xirr_scan_ref.h, commit d1dbf2d) on
** the default portfolio's site and strategy cash flows kept in tests/data/xirr_reference.csv:
** the same rate to 1e-12 relative, the same roots and the same "none".
*/
static void test_xirr_matches_grid_scan_on_default_portfolio(void)
{
  FILE *f = ref_open("xirr_reference.csv");
  if (!CHECK(f != NULL)) return;
  static char line[16384], sline[1024];
  static double days[1300], flows[1300];
  size_t nd = 0, nseries = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == 'D') {
      char *p = line + 1;
      while (*p && nd < 1300) {
        char *end = NULL;
        days[nd++] = strtod(p + 1, &end);
        p = end;
      }
    } else if (line[0] == 'S') {
      size_t len = strlen(line) < sizeof sline - 1 ? strlen(line) : sizeof sline - 1;
      memcpy(sline, line, len);
      sline[len] = '\0';
    } else if (line[0] == 'F') {
      size_t n = ref_values(line, flows, 1300);
      char *name = sline + 2, *irr_s = strchr(name, ',');
      if (!CHECK(irr_s && n == nd)) continue;
      *irr_s++ = '\0';
      harness_state.test = name;
      char *roots_s = strchr(irr_s, ',');
      if (!CHECK(roots_s != NULL)) continue;
      long want_roots = strtol(roots_s + 1, NULL, 10);
      wp_irr_result r, o;
      wp_status st = wp_finance_xirr(flows, days, n, &r, NULL);
      if (strncmp(irr_s, "none", 4) == 0) {
        CHECK(st == WP_ENOROOT && r.roots == 0 && r.irr == 0.0);
      } else {
        double want = strtod(irr_s, NULL);
        CHECK(st == WP_OK);
        CHECK_EQ_I64(r.roots, want_roots);
        CHECK(fabs(r.irr - want) <= 1e-12 * fabs(want));
        if (fabs(r.irr - want) > 1e-12 * fabs(want))
          fprintf(stderr, "  %s: irr %.17g, grid scan %.17g\n", name, r.irr, want);
      }
      /* The frozen grid scan itself still reads the file the same way. */
      wp_status so = wp_xirr_scan_reference(flows, days, n, &o, NULL);
      CHECK(so == st && o.roots == r.roots);
      nseries++;
    }
  }
  fclose(f);
  harness_state.test = "test_xirr_matches_grid_scan_on_default_portfolio";
  CHECK(nd == 180 && nseries >= 30);
}

/* Multi-root and edge series built to stress the search: the same roots as the grid scan. */
static void test_xirr_matches_grid_scan_on_edge_cases(void)
{
  double days[121];
  for (int m = 0; m <= 120; m++)
    days[m] = (double)(wp_calendar_month_end_day((wp_ym){2026, 1}, m) -
                       wp_calendar_month_end_day((wp_ym){2026, 1}, 0));
  static double flows[121];
  /* (a) mine, refresh, mine; (b) borrowing: in first, out later; (c) two roots far apart;
  ** (d) root exactly at 10% (the search's first point); (e) a long-gap series (quarterly). */
  for (int c = 0; c < 5; c++) {
    memset(flows, 0, sizeof flows);
    for (int m = 0; m <= 120; m++) {
      switch (c) {
      case 0:
        flows[m] = m == 0 ? -1000 : (m == 48 || m == 96) ? -600 : 30;
        break;
      case 1:
        flows[m] = m < 60 ? 20 : -25;
        break;
      case 2:
        flows[m] = m == 0 ? -100 : m == 1 ? 230 : m == 120 ? -140 : 0;
        break;
      case 3:
        flows[m] = m == 0 ? -100 : m == 12 ? 110 : 0;
        break;
      case 4:
        flows[m] = m % 3 ? 0 : (m < 30 ? -10 : 4);
        break;
      }
    }
    char name[32];
    snprintf(name, sizeof name, "edge case %d", c);
    harness_state.test = name;
    wp_irr_result r, o;
    wp_status st = wp_finance_xirr(flows, days, 121, &r, NULL);
    wp_status so = wp_xirr_scan_reference(flows, days, 121, &o, NULL);
    CHECK(st == so);
    CHECK_EQ_I64(r.roots, o.roots);
    for (size_t k = 0; k < r.roots && k < o.roots && k < WP_FINANCE_IRR_MAX_ROOTS; k++)
      CHECK(fabs(r.root[k] - o.root[k]) <= 1e-12 * fmax(fabs(o.root[k]), 1e-3));
    CHECK(r.irr == r.irr && o.irr == o.irr);
  }
  harness_state.test = "test_xirr_matches_grid_scan_on_edge_cases";
}

/* A small deterministic generator for the random series below (numerical recipes' LCG). */
static double lcg_u01(uint32_t *s)
{
  *s = *s * 1664525u + 1013904223u;
  return (double)(*s >> 8) / 16777216.0;
}

/*
** 3,000 random series of six shapes (one outlay then income, periodic refits, positive then
** negative, random signs with zeros, two close roots, refits every two years), monthly and at
** irregular dates: the same roots as the grid scan (count, and each rate to 1e-12 relative
** or 1e-14 absolute near 0%).
*/
static void test_xirr_matches_grid_scan_on_random_series(void)
{
  static double monthly[240], irregular[240], flows[240];
  for (int i = 0; i < 240; i++)
    monthly[i] = (double)(wp_calendar_month_end_day((wp_ym){2026, 1}, i) -
                          wp_calendar_month_end_day((wp_ym){2026, 1}, 0));
  uint32_t seed = 12345u;
  double day = 0.0;
  for (int i = 0; i < 240; i++) {
    irregular[i] = day;
    day += 1.0 + floor(lcg_u01(&seed) * 100.0);
  }
  int differ = 0;
  for (int it = 0; it < 3000; it++) {
    int n = 12 + (int)(lcg_u01(&seed) * 228.0), shape = it % 6;
    const double *days = (it / 6) % 2 ? irregular : monthly;
    for (int i = 0; i < n; i++) {
      double u = lcg_u01(&seed);
      switch (shape) {
      case 0:
        flows[i] = i < 3 ? -100 * u : 10 * u - 1;
        break;
      case 1:
        flows[i] = i % 37 == 0 ? -200 * u : 8 * u;
        break;
      case 2:
        flows[i] = i < n / 2 ? 20 * u : -25 * u;
        break;
      case 3:
        flows[i] = lcg_u01(&seed) < 0.2 ? 0.0 : (u - 0.45) * 100;
        break;
      case 4:
        flows[i] = i == 0 ? -100 : i == 1 ? 230 : i == n - 1 ? -140 + 20 * u : 0;
        break;
      default:
        flows[i] = i < 2 ? -50 * u : i % 24 == 0 ? -60 * u : 5 * u;
        break;
      }
    }
    wp_irr_result r, o;
    wp_status st = wp_finance_xirr(flows, days, (size_t)n, &r, NULL);
    wp_status so = wp_xirr_scan_reference(flows, days, (size_t)n, &o, NULL);
    int same = st == so && r.roots == o.roots;
    for (size_t k = 0; same && k < r.roots && k < WP_FINANCE_IRR_MAX_ROOTS; k++)
      same = fabs(r.root[k] - o.root[k]) <= fmax(1e-12 * fabs(o.root[k]), 1e-14);
    if (!same && differ++ < 3)
      fprintf(stderr, "  series %d (shape %d, n %d): %zu roots, irr %.17g; scan %zu, %.17g\n", it,
              shape, n, r.roots, r.irr, o.roots, o.irr);
  }
  CHECK_EQ_I64(differ, 0);
}

/* The one rule of IRR notes (plan JSON, terminal, report and finance all call it). */
static void test_irr_note_rule(void)
{
  double days[4] = {day_of("2025-12-31"), day_of("2026-12-31"), day_of("2027-12-31"),
                    day_of("2028-12-31")};
  static const struct {
    double flows[4];
    const char *note; /* "" or a part of the note */
    int irr;          /* 1: an IRR exists */
  } cases[] = {
      {{-100, 0, 0, 121}, "", 1},                              /* invest, then earn: plain */
      {{100, 0, 0, -121}, "a borrowing rate (flows positive first, negative later)", 1},
      {{-100, 230, -132, 0}, "2 IRRs (the flows change sign 2 times)", 1}, /* 10% and 20% */
      {{-100, 60, -5, 70}, "the flows change sign 3 times: one IRR, but decide by NPV", 1},
      {{100, -50, 10, -80}, "a borrowing rate (flows positive first, then change sign 3", 1},
      {{1, 2, 3, 0}, "none: the cash flows never change sign", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char note[160];
    wp_irr_result r;
    wp_error err = WP_ERROR_INIT;
    harness_state.test = cases[i].note[0] ? cases[i].note : "(plain)";
    CHECK(wp_finance_irr_note(cases[i].flows, days, 4, &r, note, sizeof note, &err) == WP_OK);
    CHECK_EQ_I64(r.roots > 0, cases[i].irr);
    if (cases[i].note[0])
      CHECK_CONTAINS(note, cases[i].note);
    else
      CHECK_STR(note, "");
  }
  harness_state.test = "test_irr_note_rule";
  double nan_flows[2] = {-1, NAN}, d2[2] = {0, 365};
  char note[64];
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_finance_irr_note(nan_flows, d2, 2, NULL, note, sizeof note, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "cash flow 1");
  CHECK(wp_finance_irr_note(d2, d2, 2, NULL, NULL, 0, &err) == WP_EINVAL);
}

static void test_xirr_and_xnpv_refusals(void)
{
  double days[3] = {0, 31, 59}, flows[3] = {-1, 2, 3}, npv = 1.0;
  wp_error err = WP_ERROR_INIT;
  wp_irr_result r;
  CHECK(wp_finance_xnpv(flows, days, 0, 0.1, &npv, &err) == WP_EINVAL);
  CHECK(wp_finance_xnpv(flows, days, 3, -1.0, &npv, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "-1");
  flows[1] = NAN;
  CHECK(wp_finance_xirr(flows, days, 3, &r, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "cash flow 1");
  flows[1] = 2;
  flows[0] = 1;
  CHECK(wp_finance_xirr(flows, days, 3, &r, &err) == WP_ENOROOT);
  CHECK_CONTAINS(err.msg, "never change sign");
  CHECK(r.irr == 0.0 && !isnan(r.irr));
}

static void test_small_metrics(void)
{
  static const double f1[] = {-100, 30, 30, 30, 30, -5, 10};
  CHECK_EQ_I64(wp_finance_payback_month(f1, 7), 4); /* cum: -100,-70,-40,-10,20,15,25 */
  CHECK_ABS(wp_finance_moic(f1, 7), 130.0 / 105.0, 1e-15);
  CHECK_ABS(wp_finance_peak_funding(f1, 7), 100.0, 0);
  static const double f2[] = {-100, 30, 80, -20}; /* cum: -100,-70,10,-10 */
  CHECK_EQ_I64(wp_finance_payback_month(f2, 4), -1);
  static const double f3[] = {5, -3, 10};
  CHECK_EQ_I64(wp_finance_payback_month(f3, 3), 0);
  CHECK_ABS(wp_finance_moic(f3, 3), 5.0, 1e-15);
  CHECK_ABS(wp_finance_peak_funding(f3, 3), 0.0, 0);
  static const double f4[] = {5, 10};
  CHECK_ABS(wp_finance_moic(f4, 2), 0.0, 0);
}

/* ------------------------------------------------------------------ ledgers */

static wp_ledger *ledger(size_t months)
{
  wp_ledger *l = NULL;
  wp_ym start = {2026, 1};
  wp_error err = WP_ERROR_INIT;
  if (wp_ledger_new(start, months, &l, &err) != WP_OK) fprintf(stderr, "%s\n", err.msg);
  return l;
}

static void test_ledger_lifecycle_and_columns(void)
{
  wp_ledger *l = NULL;
  wp_error err = WP_ERROR_INIT;
  wp_ym start = {2026, 1}, bad = {2026, 13};
  CHECK(wp_ledger_new(start, 0, &l, &err) == WP_EINVAL && l == NULL);
  CHECK_CONTAINS(err.msg, "months 0");
  CHECK(wp_ledger_new(bad, 12, &l, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "2026-13");
  wp_ledger_free(NULL);
  if (!CHECK(wp_ledger_new(start, 180, &l, &err) == WP_OK)) return;
  size_t n = wp_ledger_column_count();
  CHECK(n > 60);
  for (size_t i = 0; i < n; i++) {
    const char *name = wp_ledger_column_name(i);
    CHECK_EQ_I64(wp_ledger_column_find(name), (int64_t)i);
    CHECK(wp_ledger_column(l, i) != NULL && wp_ledger_column(l, i)[179] == 0.0);
    CHECK(strstr(name, "_usd") || strstr(name, "disposal_frac_") || !strcmp(name, "dscr_ratio"));
  }
  CHECK(wp_ledger_column_name(n) == NULL && wp_ledger_column(l, n) == NULL);
  CHECK(wp_ledger_column(l, (size_t)wp_ledger_column_find("capex_gpu_usd")) ==
        l->capex_usd[WP_ASSET_GPU]);
  CHECK(wp_ledger_column(l, (size_t)wp_ledger_column_find("project_cash_flow_usd")) ==
        l->project_cash_flow_usd);
  CHECK_STR(wp_asset_class_name(WP_ASSET_AI_MEP), "ai_mep");
  l->rev_colo_usd[5] = 7.0;
  wp_ledger_zero(l);
  CHECK(l->rev_colo_usd[5] == 0.0);
  wp_ledger_free(l);
}

/* Terms for hand cases: no tax unless set, no IRR needed, 12%/yr loan (1%/month). */
static wp_finance_terms hand_terms(void)
{
  wp_finance_terms t = WP_FINANCE_TERMS_DEFAULT;
  t.tax_rate = 0.0;
  return t;
}

/*
** DSCR sculpting by hand. Capex 1000 in month 0 (construction window [0,1), COD month 1),
** revenue 125, 250, 375, 500 in months 1..4, no costs: CFADS = revenue. Target DSCR 1.25:
** payments 100, 200, 300, 400. Loan 12%/yr -> 1%/month. Debt = 100/1.01 + 200/1.01^2 +
** 300/1.01^3 + 400/1.01^4 = 99.00990099 + 196.05920988 + 291.17704438 + 384.39213779
** = 970.63829304. Month 1: interest 9.70638293, principal 90.29361707, balance 880.34467597;
** month 2: interest 8.80344676, principal 191.19655324, balance 689.14812273; month 3:
** interest 6.89148123, principal 293.10851877, balance 396.03960396 (= 400/1.01); month 4:
** interest 3.96039604, principal 396.03960396, balance 0. DSCR 1.25 every month.
*/
static void fill_sculpt_case(wp_ledger *l)
{
  l->capex_usd[WP_ASSET_AI_MEP][0] = 1000.0;
  for (size_t m = 1; m <= 4; m++)
    l->rev_colo_usd[m] = 125.0 * (double)m;
}

static wp_finance_terms sculpt_terms(void)
{
  wp_finance_terms t = hand_terms();
  t.construction.start_month = 0;
  t.construction.cod_month = 1;
  t.term.enabled = 1;
  t.term.target_dscr = 1.25;
  t.term.rate = 0.12;
  t.term.tenor_months = 4;
  t.term.max_gearing = 1.0;
  return t;
}

static void test_dscr_sculpting_by_hand(void)
{
  wp_ledger *l = ledger(5);
  if (!CHECK(l != NULL)) return;
  fill_sculpt_case(l);
  wp_finance_terms t = sculpt_terms();
  wp_finance_metrics m;
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_finance_run(l, &t, &m, &err) == WP_OK);
  CHECK_ABS(m.term_debt_usd, 970.63829304, 1e-8);
  CHECK(m.debt_limit == WP_DEBT_BY_DSCR);
  CHECK_ABS(l->term_draw_usd[0], 970.63829304, 1e-8);
  CHECK_ABS(l->term_interest_usd[1], 9.70638293, 1e-8);
  CHECK_ABS(l->term_principal_usd[1], 90.29361707, 1e-8);
  CHECK_ABS(l->term_balance_usd[1], 880.34467597, 1e-8);
  CHECK_ABS(l->term_balance_usd[2], 689.14812273, 1e-8);
  CHECK_ABS(l->term_balance_usd[3], 396.03960396, 1e-8);
  CHECK_ABS(l->term_principal_usd[4], 396.03960396, 1e-8);
  CHECK_ABS(l->term_balance_usd[4], 0.0, 1e-9);
  for (size_t i = 1; i <= 4; i++) {
    CHECK_ABS(l->debt_service_usd[i], 100.0 * (double)i, 1e-9);
    CHECK_ABS(l->dscr_ratio[i], 1.25, 1e-12);
    CHECK_ABS(l->equity_cash_flow_usd[i], 25.0 * (double)i, 1e-9);
  }
  CHECK_ABS(m.min_dscr, 1.25, 1e-12);
  CHECK_ABS(m.avg_dscr, 1.25, 1e-12);
  CHECK_EQ_I64(m.dscr_months, 4);
  CHECK_ABS(l->equity_cash_flow_usd[0], -1000.0 + 970.63829304, 1e-8);
  CHECK_ABS(m.gearing, 0.97063829304, 1e-10);
  CHECK_ABS(m.peak_funding_usd, 1000.0 - 970.63829304, 1e-8);
  /* Project flows ignore financing: -1000, 125, 250, 375, 500. */
  CHECK_ABS(l->project_cash_flow_usd[0], -1000.0, 0);
  CHECK_ABS(l->project_cash_flow_usd[4], 500.0, 0);
  CHECK_EQ_I64(m.payback_month, 4);

  /* Level: the largest level payment with DSCR >= 1.25 every month is 125/1.25 = 100;
     debt = 100 * (1/1.01 + ... + 1/1.01^4) = 390.19655517. */
  t.term.shape = WP_DEBT_LEVEL;
  CHECK(wp_finance_run(l, &t, &m, &err) == WP_OK);
  CHECK_ABS(m.term_debt_usd, 390.19655517, 1e-8);
  for (size_t i = 1; i <= 4; i++)
    CHECK_ABS(l->debt_service_usd[i], 100.0, 1e-9);
  CHECK_ABS(m.min_dscr, 1.25, 1e-12);
  CHECK_ABS(l->term_balance_usd[4], 0.0, 1e-9);
  wp_ledger_free(l);
}

/* Max gearing 50%: debt capped at 500 (of cost 1000), payments scaled by 500/970.63829304,
** so every DSCR = 1.25 * 970.63829304 / 500 = 2.42659573. */
static void test_gearing_cap_binds(void)
{
  wp_ledger *l = ledger(5);
  if (!CHECK(l != NULL)) return;
  fill_sculpt_case(l);
  wp_finance_terms t = sculpt_terms();
  t.term.max_gearing = 0.5;
  wp_finance_metrics m;
  CHECK(wp_finance_run(l, &t, &m, NULL) == WP_OK);
  CHECK(m.debt_limit == WP_DEBT_BY_GEARING);
  CHECK_ABS(m.term_debt_usd, 500.0, 1e-9);
  CHECK_ABS(m.gearing, 0.5, 1e-12);
  CHECK_ABS(m.effective_dscr, 2.42659573261, 1e-9);
  CHECK_ABS(m.min_dscr, 2.42659573261, 1e-9);
  CHECK_ABS(m.avg_dscr, 2.42659573261, 1e-9);
  CHECK_ABS(l->term_balance_usd[4], 0.0, 1e-9);
  wp_ledger_free(l);
}

/*
** Never lend against negative EBITDA (SAM #550/#534). Month 1: revenue 0, power 50
** (EBITDA -50) but a 500 customer prepayment arrives (CFADS 450 > 0): month 1 carries no
** payment. Debt = 200/1.01^2 + 300/1.01^3 + 400/1.01^4 = 871.62839205; month-1 interest
** 8.71628392 is capitalized (principal -8.71628392, balance 880.34467597, the same as the
** sculpted case's month-1 balance since both equal the PV of the remaining payments).
** The 500 is amortized as revenue in months 2..4 (included in rev_gpu_contract).
*/
static void test_negative_ebitda_guard(void)
{
  wp_ledger *l = ledger(5);
  if (!CHECK(l != NULL)) return;
  fill_sculpt_case(l);
  l->rev_colo_usd[1] = 0.0;
  l->power_usd[1] = 50.0;
  l->prepay_received_usd[1] = 500.0;
  for (size_t m = 2; m <= 4; m++) {
    l->rev_gpu_contract_usd[m] = 500.0 / 3.0;
    l->prepay_amortized_usd[m] = 500.0 / 3.0;
  }
  wp_finance_terms t = sculpt_terms();
  wp_finance_metrics m;
  CHECK(wp_finance_run(l, &t, &m, NULL) == WP_OK);
  CHECK_ABS(l->cfads_usd[1], 450.0, 1e-12);
  CHECK_ABS(l->ebitda_usd[1], -50.0, 0);
  CHECK_ABS(l->prepay_deferred_usd[1], 500.0, 0);
  CHECK_ABS(l->prepay_deferred_usd[4], 0.0, 1e-12);
  CHECK_ABS(m.term_debt_usd, 871.62839205, 1e-8);
  CHECK_ABS(l->term_principal_usd[1], -8.71628392, 1e-8);
  CHECK_ABS(l->term_balance_usd[1], 880.34467597, 1e-8);
  CHECK_ABS(l->debt_service_usd[1], 0.0, 1e-12);
  CHECK_EQ_I64(m.dscr_months, 3);
  CHECK_ABS(m.min_dscr, 1.25, 1e-12);
  /* CFADS in months 2..4 includes the prepayment amortization reversal (no cash). */
  CHECK_ABS(l->cfads_usd[2], 250.0, 1e-9);

  /* No month with positive EBITDA: no term debt at all, equity = project. */
  wp_ledger_zero(l);
  l->capex_usd[WP_ASSET_AI_MEP][0] = 1000.0;
  for (size_t i = 1; i <= 4; i++)
    l->power_usd[i] = 10.0;
  CHECK(wp_finance_run(l, &t, &m, NULL) == WP_OK);
  CHECK(m.debt_limit == WP_DEBT_NO_CFADS);
  CHECK_ABS(m.term_debt_usd, 0.0, 0);
  for (size_t i = 0; i < 5; i++)
    CHECK_ABS(l->equity_cash_flow_usd[i], l->project_cash_flow_usd[i], 0);
  CHECK(m.project_irr_found == 0); /* all flows negative: IRR "none", not NaN */
  CHECK(!isnan(m.project_irr));
  wp_ledger_free(l);
}

/*
** Tax 25%, EBITDA -100, -50, 80, 40, 100, 10. With losses fully usable: losses 100, 150;
** month 2 uses 80 (left 70), month 3 uses 40 (left 30), month 4 uses 30 -> tax 0.25*70 =
** 17.5, month 5 tax 2.5. With the 80% limit: month 2 uses 64 -> tax 4 (left 86); month 3
** uses 32 -> tax 2 (left 54); month 4 uses 54 -> tax 11.5; month 5 tax 2.5.
*/
static void test_tax_loss_carry_forward(void)
{
  wp_ledger *l = ledger(6);
  if (!CHECK(l != NULL)) return;
  static const double ebitda[6] = {-100, -50, 80, 40, 100, 10};
  for (size_t m = 0; m < 6; m++) {
    if (ebitda[m] > 0)
      l->rev_mining_usd[m] = ebitda[m];
    else
      l->power_usd[m] = -ebitda[m];
  }
  wp_finance_terms t = hand_terms();
  t.tax_rate = 0.25;
  t.nol_limit_frac = 1.0;
  wp_finance_metrics m;
  CHECK(wp_finance_run(l, &t, &m, NULL) == WP_OK);
  static const double tax1[6] = {0, 0, 0, 0, 17.5, 2.5}, nol1[6] = {100, 150, 70, 30, 0, 0};
  for (size_t i = 0; i < 6; i++) {
    CHECK_ABS(l->tax_usd[i], tax1[i], 1e-12);
    CHECK_ABS(l->nol_balance_usd[i], nol1[i], 1e-12);
    CHECK_ABS(l->unlevered_tax_usd[i], tax1[i], 1e-12);
  }
  CHECK_ABS(m.tax_paid_usd, 20.0, 1e-12);
  t.nol_limit_frac = 0.8;
  CHECK(wp_finance_run(l, &t, &m, NULL) == WP_OK);
  static const double tax2[6] = {0, 0, 4, 2, 11.5, 2.5}, used2[6] = {0, 0, 64, 32, 54, 0};
  for (size_t i = 0; i < 6; i++) {
    CHECK_ABS(l->tax_usd[i], tax2[i], 1e-12);
    CHECK_ABS(l->nol_used_usd[i], used2[i], 1e-12);
  }
  CHECK_ABS(m.nol_end_usd, 0.0, 1e-12);
  CHECK_ABS(l->equity_cash_flow_usd[4], 100.0 - 11.5, 1e-12);
  wp_ledger_free(l);
}

/*
** Construction loan: capex 100 in months 0, 1, 2 (window [0,3), COD 3), 60% drawn, 12%/yr.
** m0: draw 60, balance 60; m1: interest 0.6, draw 60, balance 120.6; m2: interest 1.206,
** draw 60, balance 181.806 -> repaid at the end of m2. IDC 1.806, project cost 301.806,
** depreciated (soft life 1 yr) at 0.1505/month from month 3. Equity: -40, -40,
** -40 - 181.806 (no term debt).
*/
static void test_construction_loan_idc(void)
{
  wp_ledger *l = ledger(18);
  if (!CHECK(l != NULL)) return;
  for (size_t m = 0; m < 3; m++)
    l->capex_usd[WP_ASSET_AI_SHELL][m] = 100.0;
  wp_finance_terms t = hand_terms();
  t.construction.start_month = 0;
  t.construction.cod_month = 3;
  t.construction.ltc = 0.6;
  t.construction.rate = 0.12;
  t.life_years[WP_ASSET_SOFT] = 1.0;
  t.life_years[WP_ASSET_AI_SHELL] = 1.0;
  wp_finance_metrics m;
  CHECK(wp_finance_run(l, &t, &m, NULL) == WP_OK);
  CHECK_ABS(m.idc_usd, 1.806, 1e-12);
  CHECK_ABS(m.project_cost_usd, 301.806, 1e-12);
  CHECK_ABS(l->construction_interest_usd[2], 1.206, 1e-12);
  CHECK_ABS(l->construction_balance_usd[1], 120.6, 1e-12);
  CHECK_ABS(l->construction_repay_usd[2], 181.806, 1e-12);
  CHECK_ABS(l->construction_balance_usd[2], 0.0, 0);
  CHECK_ABS(l->equity_cash_flow_usd[0], -40.0, 1e-12);
  CHECK_ABS(l->equity_cash_flow_usd[2], -221.806, 1e-12);
  CHECK_ABS(l->depreciation_idc_usd[2], 0.0, 0);
  CHECK_ABS(l->depreciation_idc_usd[3], 0.1505, 1e-12);
  CHECK_ABS(l->depreciation_idc_usd[14], 0.1505, 1e-12);
  CHECK_ABS(l->depreciation_idc_usd[15], 0.0, 0);
  /* Construction capex is placed in service at COD: 300/12 = 25 a month, months 3..14. */
  CHECK_ABS(l->depreciation_usd[WP_ASSET_AI_SHELL][2], 0.0, 0);
  CHECK_ABS(l->depreciation_usd[WP_ASSET_AI_SHELL][3], 25.0, 1e-12);
  CHECK_ABS(l->depreciation_usd[WP_ASSET_AI_SHELL][14], 25.0, 1e-12);
  CHECK_ABS(l->depreciation_usd[WP_ASSET_AI_SHELL][15], 0.0, 0);

  /* With term debt: drawn at the end of month 2, it repays the construction loan. */
  for (size_t i = 3; i < 18; i++)
    l->rev_colo_usd[i] = 30.0;
  t.term.enabled = 1;
  t.term.rate = 0.12;
  t.term.target_dscr = 1.5;
  t.term.tenor_months = 12;
  CHECK(wp_finance_run(l, &t, &m, NULL) == WP_OK);
  /* payment 30/1.5 = 20 for 12 months at 1%: 20 * (1 - 1.01^-12)/0.01 = 225.10154947;
     gearing cap 0.75 * 301.806 = 226.3545 does not bind. */
  CHECK(m.debt_limit == WP_DEBT_BY_DSCR);
  CHECK_ABS(m.term_debt_usd, 225.10154947, 1e-8);
  CHECK_ABS(l->equity_cash_flow_usd[2], -40.0 - 181.806 + 225.10154947, 1e-8);
  wp_ledger_free(l);
}

/*
** Depreciation and disposals: ASICs 1200 in month 0, life 1 yr -> 100/month. Selling the
** whole fleet for 300 in month 5: depreciation 100 in months 0..5 (600), book value 600
** written off, gain 300 - 600 = -300, nothing after. Selling half: 300 written off, gain 0,
** then 50/month in months 6..11.
*/
static void test_depreciation_and_disposal(void)
{
  wp_ledger *l = ledger(15);
  if (!CHECK(l != NULL)) return;
  wp_finance_terms t = hand_terms();
  t.life_years[WP_ASSET_ASIC] = 1.0;
  l->capex_usd[WP_ASSET_ASIC][0] = 1200.0;
  wp_finance_metrics m;
  CHECK(wp_finance_run(l, &t, &m, NULL) == WP_OK);
  double sum = 0;
  for (size_t i = 0; i < 15; i++)
    sum += l->depreciation_usd[WP_ASSET_ASIC][i];
  CHECK_ABS(sum, 1200.0, 1e-9);
  CHECK_ABS(l->depreciation_usd[WP_ASSET_ASIC][11], 100.0, 1e-12);
  CHECK_ABS(l->depreciation_usd[WP_ASSET_ASIC][12], 0.0, 0);

  l->disposal_frac[WP_ASSET_ASIC][5] = 1.0;
  l->asset_sale_usd[WP_ASSET_ASIC][5] = 300.0;
  CHECK(wp_finance_run(l, &t, &m, NULL) == WP_OK);
  CHECK_ABS(l->depreciation_usd[WP_ASSET_ASIC][5], 100.0, 1e-12);
  CHECK_ABS(l->depreciation_usd[WP_ASSET_ASIC][6], 0.0, 0);
  CHECK_ABS(l->depreciation_usd[WP_ASSET_ASIC][11], 0.0, 0);
  CHECK_ABS(l->disposal_gain_usd[5], -300.0, 1e-9);
  CHECK_ABS(l->asset_sales_usd[5], 300.0, 0);
  CHECK_ABS(l->project_cash_flow_usd[5], 300.0, 1e-12);

  l->disposal_frac[WP_ASSET_ASIC][5] = 0.5;
  CHECK(wp_finance_run(l, &t, &m, NULL) == WP_OK);
  CHECK_ABS(l->disposal_gain_usd[5], 0.0, 1e-9);
  CHECK_ABS(l->depreciation_usd[WP_ASSET_ASIC][6], 50.0, 1e-12);
  CHECK_ABS(l->depreciation_usd[WP_ASSET_ASIC][11], 50.0, 1e-12);
  CHECK_ABS(l->depreciation_usd[WP_ASSET_ASIC][12], 0.0, 0);
  wp_ledger_free(l);
}

/*
** Equipment lease: GPUs 1000 in month 1, 80% funded by the lessor, rate factor 0.05/month,
** 3 months: funding 800 in month 1, payments 40 in months 2, 3, 4. The project depreciates
** its 20% (GPU life 1 yr: 200/12 a month) and keeps 20% of the GPUs' resale. A sale-leaseback
** closing in month 3 reimburses the 800 then, payments in months 4, 5, 6.
*/
static void test_equipment_lease_and_saleleaseback(void)
{
  wp_ledger *l = ledger(10);
  if (!CHECK(l != NULL)) return;
  l->capex_usd[WP_ASSET_GPU][1] = 1000.0;
  l->asset_sale_usd[WP_ASSET_GPU][9] = 100.0;
  wp_finance_terms t = hand_terms();
  t.life_years[WP_ASSET_GPU] = 1.0;
  t.lease.asset_class = WP_ASSET_GPU;
  t.lease.fraction = 0.8;
  t.lease.rate_factor = 0.05;
  t.lease.term_months = 3;
  wp_finance_metrics m;
  CHECK(wp_finance_run(l, &t, &m, NULL) == WP_OK);
  CHECK_ABS(l->lease_funding_usd[1], 800.0, 1e-12);
  static const double pay[10] = {0, 0, 40, 40, 40, 0, 0, 0, 0, 0};
  for (size_t i = 0; i < 10; i++)
    CHECK_ABS(l->lease_payment_usd[i], pay[i], 1e-12);
  CHECK_ABS(l->depreciation_usd[WP_ASSET_GPU][1], 200.0 / 12.0, 1e-12);
  CHECK_ABS(l->equity_cash_flow_usd[1], -200.0, 1e-12);
  CHECK_ABS(l->equity_cash_flow_usd[2], -40.0, 1e-12);
  CHECK_ABS(l->equity_cash_flow_usd[9], 20.0, 1e-12);
  CHECK_ABS(l->project_cash_flow_usd[1], -1000.0, 0);
  CHECK_ABS(l->project_cash_flow_usd[9], 100.0, 0);
  t.lease.close_month = 3;
  CHECK(wp_finance_run(l, &t, &m, NULL) == WP_OK);
  CHECK_ABS(l->lease_funding_usd[1], 0.0, 0);
  CHECK_ABS(l->lease_funding_usd[3], 800.0, 1e-12);
  static const double pay2[10] = {0, 0, 0, 0, 40, 40, 40, 0, 0, 0};
  for (size_t i = 0; i < 10; i++)
    CHECK_ABS(l->lease_payment_usd[i], pay2[i], 1e-12);
  CHECK_ABS(l->equity_cash_flow_usd[1], -1000.0, 1e-12);
  CHECK_ABS(l->equity_cash_flow_usd[3], 800.0, 1e-12);
  wp_ledger_free(l);
}

/*
** Convertible notes, Bitdeer Nov-2025 terms (docs/sources/mining.md §6.1): $400M, 4.00%,
** semiannual coupons of 400e6 * 0.04 / 2 = 8e6, six years (maturity month 72), 56.2635
** shares per $1,000 (conversion price $17.7735), net proceeds 388e6 (3%). Converted when the
** share price at maturity is above $17.77: 400e6 * 56.2635 / 1000 = 22,505,400 new shares,
** no cash repaid; otherwise 400e6 repaid in month 72.
*/
static void test_convertible_repaid_or_converted(void)
{
  wp_ledger *l = ledger(80);
  if (!CHECK(l != NULL)) return;
  wp_finance_terms t = hand_terms();
  t.convertible.principal_usd = 400e6;
  t.convertible.issue_month = 0;
  t.convertible.maturity_month = 72;
  t.convertible.share_price_at_maturity_usd = 25.0;
  wp_finance_metrics m;
  CHECK(wp_finance_run(l, &t, &m, NULL) == WP_OK);
  CHECK_ABS(l->conv_proceeds_usd[0], 388e6, 1e-6);
  double coupons = 0;
  int ncoupons = 0;
  for (size_t i = 0; i < 80; i++)
    if (l->conv_coupon_usd[i] != 0) {
      coupons += l->conv_coupon_usd[i];
      ncoupons++;
      CHECK_ABS(l->conv_coupon_usd[i], 8e6, 1e-6);
      CHECK_EQ_I64(i % 6, 0);
    }
  CHECK_EQ_I64(ncoupons, 12);
  CHECK_ABS(coupons, 96e6, 1e-6);
  CHECK(m.conv_converted == 1);
  CHECK_ABS(m.conv_dilution_shares, 22505400.0, 1e-6);
  CHECK_ABS(l->conv_repay_usd[72], 0.0, 0);
  CHECK_ABS(l->equity_cash_flow_usd[72], -8e6, 1e-6);

  t.convertible.share_price_at_maturity_usd = 15.0;
  CHECK(wp_finance_run(l, &t, &m, NULL) == WP_OK);
  CHECK(m.conv_converted == 0);
  CHECK_ABS(m.conv_dilution_shares, 0.0, 0);
  CHECK_ABS(l->conv_repay_usd[72], 400e6, 0);
  CHECK_ABS(l->equity_cash_flow_usd[72], -408e6, 1e-6);
  /* Cost of the notes to the equity: 4% coupons on 97% proceeds -> a little above 4.6%. */
  CHECK(m.equity_irr_found);
  CHECK(m.equity_irr > 0.045 && m.equity_irr < 0.048);

  t.convertible.maturity_month = 96; /* beyond the 80-month horizon */
  CHECK(wp_finance_run(l, &t, &m, NULL) == WP_OK);
  CHECK(m.conv_outstanding_at_end == 1 && m.conv_converted == 0);
  wp_ledger_free(l);
}

static void test_run_refusals(void)
{
  wp_ledger *l = ledger(12);
  if (!CHECK(l != NULL)) return;
  wp_finance_metrics m;
  wp_error err = WP_ERROR_INIT;
  wp_finance_terms t = WP_FINANCE_TERMS_DEFAULT;
  t.tax_rate = 1.5;
  CHECK(wp_finance_run(l, &t, &m, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "tax_rate 1.5");
  t = (wp_finance_terms)WP_FINANCE_TERMS_DEFAULT;
  t.term.enabled = 1;
  CHECK(wp_finance_run(l, &t, &m, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "cod_month");
  t = (wp_finance_terms)WP_FINANCE_TERMS_DEFAULT;
  t.construction.cod_month = 13;
  CHECK(wp_finance_run(l, &t, &m, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "cod_month 13");
  t = (wp_finance_terms)WP_FINANCE_TERMS_DEFAULT;
  l->power_usd[7] = NAN;
  CHECK(wp_finance_run(l, &t, &m, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "power_usd month 7");
  l->power_usd[7] = 0;
  l->disposal_frac[WP_ASSET_GPU][3] = 1.5;
  CHECK(wp_finance_run(l, &t, &m, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "disposal_frac_gpu month 3");
  l->disposal_frac[WP_ASSET_GPU][3] = 0;
  l->prepay_amortized_usd[2] = 10;
  CHECK(wp_finance_run(l, &t, &m, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "month 2");
  wp_ledger_free(l);
}

/* ------------------------------------------------------------------ a realistic pathway */

/* 120 months: capex 10M/month in months 0..11 (shell 30%, M&E 70%), 5 MW of IT leased from
** month 12 at x USD/kW-month, opex 150k/month, 60% construction LTC, sculpted term debt. */
typedef struct pathway {
  wp_ledger *l;
  wp_finance_terms t;
  wp_finance_metrics m;
} pathway;

static wp_status pathway_npv(double x, void *ctx, double *npv, wp_error *err)
{
  pathway *p = ctx;
  wp_ledger *l = p->l;
  for (size_t i = 0; i < l->months; i++) {
    if (i < 12) {
      l->capex_usd[WP_ASSET_AI_SHELL][i] = 3e6;
      l->capex_usd[WP_ASSET_AI_MEP][i] = 7e6;
    } else {
      l->rev_colo_usd[i] = x * 5000.0 * pow(1.025, (double)(i - 12) / 12.0);
      l->opex_om_usd[i] = 150e3;
    }
  }
  wp_status st = wp_finance_run(l, &p->t, &p->m, err);
  if (!st) *npv = p->m.npv_usd;
  return st;
}

static void test_pathway_and_csv_parity(void)
{
  pathway p = {.l = ledger(120), .t = WP_FINANCE_TERMS_DEFAULT};
  if (!CHECK(p.l != NULL)) return;
  p.t.construction.cod_month = 12;
  p.t.construction.ltc = 0.6;
  p.t.term.enabled = 1;
  double npv = 0;
  wp_error err = WP_ERROR_INIT;
  CHECK(pathway_npv(3000.0, &p, &npv, &err) == WP_OK);
  CHECK(p.m.project_irr_found && p.m.equity_irr_found);
  CHECK(p.m.term_debt_usd > 0 && p.m.min_dscr >= 1.35 - 1e-9);
  /* Write the CSV, read it back: XNPV/XIRR of the columns reproduce the metrics. */
  char path[1024];
  snprintf(path, sizeof path, "test_finance_ledger.csv"); /* in the build directory */
  if (!CHECK(wp_ledger_write_csv(p.l, path, &err) == WP_OK)) return;
  FILE *f = fopen(path, "r");
  if (!CHECK(f != NULL)) return;
  static char line[1 << 16];
  CHECK(fgets(line, sizeof line, f) != NULL);
  CHECK(strncmp(line, "date,rev_mining_usd,", 20) == 0);
  CHECK_CONTAINS(line, ",project_cash_flow_usd,equity_cash_flow_usd,");
  long kp = wp_ledger_column_find("project_cash_flow_usd") + 1;
  long ke = wp_ledger_column_find("equity_cash_flow_usd") + 1;
  static double days[120], proj[120], eq[120];
  size_t rows = 0;
  while (rows < 120 && fgets(line, sizeof line, f)) {
    char *s = line;
    days[rows] = day_of(s);
    if (rows == 0) CHECK(strncmp(s, "2026-01-31,", 11) == 0);
    if (rows == 119) CHECK(strncmp(s, "2035-12-31,", 11) == 0);
    for (long k = 0; k <= ke; k++) {
      char *end = strchr(s, ',');
      if (k == kp) proj[rows] = strtod(s, NULL);
      if (k == ke) eq[rows] = strtod(s, NULL);
      if (!end) break;
      s = end + 1;
    }
    CHECK(proj[rows] == p.l->project_cash_flow_usd[rows]); /* exact round trip */
    rows++;
  }
  fclose(f);
  remove(path);
  CHECK_EQ_I64(rows, 120);
  double v = 0;
  wp_irr_result r;
  CHECK(wp_finance_xnpv(proj, days, 120, p.t.hurdle_rate, &v, &err) == WP_OK);
  CHECK_REL(v, p.m.npv_usd, 1e-12);
  CHECK(wp_finance_xnpv(eq, days, 120, p.t.hurdle_rate, &v, &err) == WP_OK);
  CHECK_REL(v, p.m.equity_npv_usd, 1e-12);
  CHECK(wp_finance_xirr(proj, days, 120, &r, &err) == WP_OK);
  CHECK_ABS(r.irr, p.m.project_irr, 1e-12);
  CHECK(wp_finance_xirr(eq, days, 120, &r, &err) == WP_OK);
  CHECK_ABS(r.irr, p.m.equity_irr, 1e-12);

  /* Accounting identities on every month. */
  for (size_t i = 0; i < 120; i++) {
    wp_ledger *l = p.l;
    CHECK_ABS(l->ebitda_usd[i], l->revenue_usd[i] - l->power_usd[i] - l->opex_usd[i], 1e-6);
    CHECK(l->term_balance_usd[i] >= -1e-6 && l->construction_balance_usd[i] >= 0);
  }
  CHECK_ABS(p.l->term_balance_usd[119], 0.0, 1e-4);

  /* Failing to write names the path and the reason. */
  CHECK(wp_ledger_write_csv(p.l, "/nonexistent-dir/ledger.csv", &err) == WP_EIO);
  CHECK_CONTAINS(err.msg, "/nonexistent-dir/ledger.csv");
  CHECK_CONTAINS(err.msg, strerror(ENOENT));
  wp_ledger_free(p.l);
}

/* Solve for the lease rate at which NPV = 0 at the hurdle, then re-run: NPV ~ 0. */
static void test_solve_for_round_trip(void)
{
  pathway p = {.l = ledger(120), .t = WP_FINANCE_TERMS_DEFAULT};
  if (!CHECK(p.l != NULL)) return;
  p.t.construction.cod_month = 12;
  p.t.construction.ltc = 0.6;
  p.t.term.enabled = 1;
  wp_finance_solve_opts o = WP_FINANCE_SOLVE_OPTS_DEFAULT;
  o.lo = 50.0;
  o.hi = 60.0; /* far too low: the bracket must expand */
  o.x_min = 0.0;
  wp_finance_solve_result res;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_finance_solve_npv_zero(pathway_npv, &p, &o, &res, &err) == WP_OK)) {
    fprintf(stderr, "%s\n", err.msg);
    wp_ledger_free(p.l);
    return;
  }
  CHECK(res.x > 60.0);
  double npv = 1;
  CHECK(pathway_npv(res.x, &p, &npv, &err) == WP_OK);
  CHECK_ABS(npv, 0.0, 1e-3); /* USD, on a ~120 M USD project */
  CHECK_ABS(p.m.project_irr, p.t.hurdle_rate, 1e-9);

  /* Tax off, no debt: the NPV is linear in x, so the solution is also checkable by a
     secant through two runs. */
  p.t.tax_rate = 0.0;
  p.t.term.enabled = 0;
  double n1 = 0, n2 = 0;
  CHECK(pathway_npv(100.0, &p, &n1, &err) == WP_OK);
  CHECK(pathway_npv(200.0, &p, &n2, &err) == WP_OK);
  double x_lin = 100.0 - n1 * 100.0 / (n2 - n1);
  CHECK(wp_finance_solve_npv_zero(pathway_npv, &p, &o, &res, &err) == WP_OK);
  CHECK_REL(res.x, x_lin, 1e-9);

  /* No sign change within the limits: a clean refusal. */
  o.x_max = 70.0;
  CHECK(wp_finance_solve_npv_zero(pathway_npv, &p, &o, &res, &err) == WP_ENOROOT);
  CHECK_CONTAINS(err.msg, "does not change sign");
  /* The callback's own failure comes back unchanged. */
  p.t.tax_rate = 2.0;
  o = (wp_finance_solve_opts)WP_FINANCE_SOLVE_OPTS_DEFAULT;
  CHECK(wp_finance_solve_npv_zero(pathway_npv, &p, &o, &res, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "tax_rate 2");
  o.lo = 5;
  o.hi = 1;
  CHECK(wp_finance_solve_npv_zero(pathway_npv, &p, &o, &res, &err) == WP_EINVAL);
  wp_ledger_free(p.l);
}

/* All-equity, no lease, no tax shield differences: equity flows equal project flows. */
static void test_all_equity_identity(void)
{
  pathway p = {.l = ledger(120), .t = WP_FINANCE_TERMS_DEFAULT};
  if (!CHECK(p.l != NULL)) return;
  p.t.construction.cod_month = 12;
  double npv;
  CHECK(pathway_npv(150.0, &p, &npv, NULL) == WP_OK);
  for (size_t i = 0; i < 120; i++)
    CHECK_ABS(p.l->equity_cash_flow_usd[i], p.l->project_cash_flow_usd[i], 0);
  CHECK_ABS(p.m.npv_usd, p.m.equity_npv_usd, 0);
  CHECK_ABS(p.m.peak_funding_usd, 120e6, 1e-3);
  CHECK_EQ_I64(p.m.debt_limit, WP_DEBT_NONE);
  wp_ledger_free(p.l);
}

/* docs/model/finance.md documents every ledger line (each name appears in backticks). */
/*
** A ledger reused across runs gives exactly what a fresh ledger gives: wp_finance_run skips
** rewriting derived lines it knows are zero and classes without capex, so a run with a lease,
** construction loan, term debt, convertible and disposals followed by a plain one (and back)
** must leave no trace. Compared bit for bit, every column and the metrics.
*/
static void fill_financed(wp_ledger *l)
{
  for (size_t m = 0; m < l->months; m++) {
    l->rev_colo_usd[m] = m >= 4 ? 120.0 + (double)m : 0.0;
    l->power_usd[m] = 20.0;
    l->opex_staff_usd[m] = 5.0;
  }
  l->capex_usd[WP_ASSET_AI_SHELL][1] = 300.0;
  l->capex_usd[WP_ASSET_GPU][2] = 500.0;
  l->capex_usd[WP_ASSET_AI_MEP][3] = 250.0;
  l->asset_sale_usd[WP_ASSET_ASIC][1] = 40.0;
  l->disposal_frac[WP_ASSET_ASIC][1] = 1.0;
  l->asset_sale_usd[WP_ASSET_GPU][30] = 90.0;
  l->disposal_frac[WP_ASSET_GPU][30] = 1.0;
  l->prepay_received_usd[2] = 60.0;
  l->prepay_amortized_usd[5] = 60.0;
}

static wp_finance_terms financed_terms(void)
{
  wp_finance_terms t = WP_FINANCE_TERMS_DEFAULT;
  t.construction.start_month = 1;
  t.construction.cod_month = 4;
  t.construction.ltc = 0.6;
  t.term.enabled = 1;
  t.term.tenor_months = 24;
  t.lease.asset_class = WP_ASSET_GPU;
  t.lease.fraction = 0.5;
  t.convertible.principal_usd = 100.0;
  t.convertible.maturity_month = 20;
  return t;
}

static void fill_plain(wp_ledger *l)
{
  for (size_t m = 0; m < l->months; m++) {
    l->rev_mining_usd[m] = 50.0 + 3.0 * (double)(m % 7);
    l->power_usd[m] = 30.0;
    l->opex_insurance_usd[m] = 2.5;
  }
}

static int same_ledgers(const wp_ledger *a, const wp_ledger *b)
{
  for (size_t k = 0; k < wp_ledger_column_count(); k++)
    if (memcmp(wp_ledger_column(a, k), wp_ledger_column(b, k), a->months * sizeof(double)) != 0) {
      fprintf(stderr, "  column %s differs\n", wp_ledger_column_name(k));
      return 0;
    }
  return 1;
}

static void test_reused_ledger_equals_fresh(void)
{
  wp_ledger *l = ledger(40), *fresh = ledger(40);
  if (!CHECK(l != NULL && fresh != NULL)) return;
  wp_finance_terms tf = financed_terms(), tp = WP_FINANCE_TERMS_DEFAULT;
  tf.compute_irr = tp.compute_irr = 0;
  wp_finance_metrics m1, m2;
  for (int round = 0; round < 2; round++) {
    /* financed, then plain on the same ledger (inputs refilled, derived left as they are) */
    wp_ledger_zero_inputs(l);
    fill_financed(l);
    CHECK(wp_finance_run(l, &tf, &m1, NULL) == WP_OK);
    CHECK(m1.term_debt_usd > 0 && m1.idc_usd > 0);
    wp_ledger_zero(fresh);
    fill_financed(fresh);
    CHECK(wp_finance_run(fresh, &tf, &m2, NULL) == WP_OK);
    CHECK(same_ledgers(l, fresh));
    CHECK(memcmp(&m1, &m2, sizeof m1) == 0);
    wp_ledger_zero_inputs(l);
    fill_plain(l);
    CHECK(wp_finance_run(l, &tp, &m1, NULL) == WP_OK);
    wp_ledger_zero(fresh);
    fill_plain(fresh);
    CHECK(wp_finance_run(fresh, &tp, &m2, NULL) == WP_OK);
    CHECK(same_ledgers(l, fresh));
    CHECK(memcmp(&m1, &m2, sizeof m1) == 0);
  }
  /* wp_ledger_zero_inputs zeroes the inputs and leaves the derived lines. */
  double eq = l->equity_cash_flow_usd[3];
  wp_ledger_zero_inputs(l);
  CHECK_ABS(l->rev_mining_usd[3], 0.0, 0);
  CHECK_ABS(l->equity_cash_flow_usd[3], eq, 0);
  CHECK(eq != 0.0);
  wp_ledger_free(fresh);
  wp_ledger_free(l);
}

static void test_docs_cover_every_line(void)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/docs/model/finance.md", WP_SOURCE_DIR);
  FILE *f = fopen(path, "r");
  if (!CHECK(f != NULL)) return;
  static char doc[1 << 17];
  size_t n = fread(doc, 1, sizeof doc - 1, f);
  doc[n] = '\0';
  fclose(f);
  for (size_t k = 0; k < wp_ledger_column_count(); k++) {
    char want[96];
    snprintf(want, sizeof want, "`%s`", wp_ledger_column_name(k));
    CHECK_CONTAINS(doc, want);
  }
}

int main(void)
{
  wp_init();
  RUN(test_xnpv_xirr_match_gnumeric);
  RUN(test_xirr_several_roots_nearest_10pct);
  RUN(test_xirr_and_xnpv_refusals);
  RUN(test_xirr_matches_grid_scan_on_default_portfolio);
  RUN(test_xirr_matches_grid_scan_on_edge_cases);
  RUN(test_xirr_matches_grid_scan_on_random_series);
  RUN(test_irr_note_rule);
  RUN(test_small_metrics);
  RUN(test_ledger_lifecycle_and_columns);
  RUN(test_dscr_sculpting_by_hand);
  RUN(test_gearing_cap_binds);
  RUN(test_negative_ebitda_guard);
  RUN(test_tax_loss_carry_forward);
  RUN(test_construction_loan_idc);
  RUN(test_depreciation_and_disposal);
  RUN(test_equipment_lease_and_saleleaseback);
  RUN(test_convertible_repaid_or_converted);
  RUN(test_run_refusals);
  RUN(test_pathway_and_csv_parity);
  RUN(test_solve_for_round_trip);
  RUN(test_all_equity_identity);
  RUN(test_docs_cover_every_line);
  RUN(test_reused_ledger_equals_fresh);
  return harness_report();
}
