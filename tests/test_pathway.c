/* pathway: one site's months — MW bookkeeping, capex, energization, ASIC resale, refusals. */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "wattpivot.h"
#include "wattpivot/pathway.h"
#include "wattpivot/calendar.h"

#define MONTHS 120

static wp_site test_site(void)
{
  wp_site s;
  memset(&s, 0, sizeof s);
  snprintf(s.name, sizeof s.name, "Test");
  snprintf(s.country, sizeof s.country, "Norway");
  snprintf(s.region, sizeof s.region, "EU");
  s.grid_mw = 100;
  s.power_usd_per_mwh = 40;
  double t[12] = {-5, -4, -1, 3, 8, 12, 14, 13, 9, 4, 0, -3};
  memcpy(s.monthly_c, t, sizeof t);
  s.design_c = 25;
  s.tax_rate = 0.22;
  s.ai_ready = 1;
  s.fleet_eff_j_per_th = 16.5;
  s.mining_pue = 1.03;
  s.mining_uptime = 0.97;
  s.pool_fee = 0.02;
  s.asic_resale_usd_per_th = 5.3;
  wp_revenue_ppa_terms ppa = WP_REVENUE_PPA_TERMS_DEFAULT;
  s.ppa = ppa;
  return s;
}

typedef struct fixture {
  wp_market_path mp;
  wp_pathway_eval *ev;
  wp_finance_terms ft;
} fixture;

static int setup(fixture *f)
{
  wp_ym start = {2026, 1};
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  wp_finance_terms ft = WP_FINANCE_TERMS_DEFAULT;
  f->ft = ft;
  f->mp = (wp_market_path)WP_MARKET_PATH_INIT;
  return wp_market_path_init(&f->mp, MONTHS, NULL) == WP_OK &&
         wp_market_path_fill_deterministic(&f->mp, start, &a, NULL) == WP_OK &&
         wp_pathway_eval_new(start, MONTHS, &f->ev, NULL) == WP_OK;
}

static void teardown(fixture *f)
{
  wp_pathway_eval_free(f->ev);
  wp_market_path_release(&f->mp);
}

static void test_mining_pathway_matches_the_month_model(void)
{
  fixture f;
  if (!CHECK(setup(&f))) return;
  wp_site s = test_site();
  wp_pathway p = wp_pathway_default();
  wp_pathway_result r;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r, NULL) == WP_OK);
  const wp_ledger *L = wp_pathway_ledger(f.ev);
  /* Month 0 by hand from the revenue module: 100 MW / 1.03 of 16.5 J/TH miners. */
  wp_market_month mm;
  CHECK(wp_market_path_month(&f.mp, 0, &mm, NULL) == WP_OK);
  mm.power_usd_per_mwh = 40;
  wp_revenue_mining_terms mt = WP_REVENUE_MINING_TERMS_DEFAULT;
  mt.it_mw = 100 / 1.03;
  mt.eff_j_per_th = 16.5;
  mt.pue = 1.03;
  wp_revenue_mining_month want;
  CHECK(wp_revenue_mining_month_eval(&mt, &mm, &want, NULL) == WP_OK);
  CHECK_REL(L->rev_mining_usd[0], want.revenue_usd, 1e-12);
  CHECK_REL(L->power_usd[0], want.power_usd, 1e-12);
  CHECK(want.revenue_usd > 0);
  for (size_t m = 0; m < MONTHS; m++) {
    CHECK_REL(wp_pathway_series_data(f.ev, WP_PW_MINING_GRID_MW)[m], 100.0, 0);
    CHECK_REL(wp_pathway_series_data(f.ev, WP_PW_AI_GRID_MW)[m], 0.0, 0);
    CHECK_REL(L->capex_total_usd[m], 0.0, 0);
  }
  CHECK_EQ_I64(r.energize_full_month, -1);
  teardown(&f);
}

static void test_conversion_bookkeeping(void)
{
  fixture f;
  if (!CHECK(setup(&f))) return;
  wp_site s = test_site();
  wp_pathway p = wp_pathway_default();
  p.business = WP_BUSINESS_COLO;
  p.convert_month = 6;
  p.convert_fraction = 0.5;
  wp_pathway_result r;
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r, &err) == WP_OK);
  const wp_ledger *L = wp_pathway_ledger(f.ev);
  const double *mine = wp_pathway_series_data(f.ev, WP_PW_MINING_GRID_MW);
  const double *ai = wp_pathway_series_data(f.ev, WP_PW_AI_GRID_MW);
  const double *con = wp_pathway_series_data(f.ev, WP_PW_CONSTRUCTION_GRID_MW);
  CHECK_REL(r.converted_grid_mw, 50.0, 1e-15);
  CHECK(r.it_mw > 35 && r.it_mw < 50); /* 50 grid MW / design PUE */
  CHECK(r.energize_first_month > 6 && r.energize_full_month >= r.energize_first_month);
  double capex = 0;
  for (size_t m = 0; m < MONTHS; m++) {
    CHECK(mine[m] + ai[m] + con[m] <= 100.0 + 1e-9);
    if (m < 6) CHECK_REL(mine[m], 100.0, 0);
    if (m >= 6) CHECK_REL(mine[m], 50.0, 0);
    if ((int64_t)m >= r.energize_full_month) CHECK_REL(ai[m], 50.0, 1e-12);
    if ((int64_t)m < r.energize_first_month) CHECK_REL(L->rev_colo_usd[m], 0.0, 0);
    for (int c = 0; c < WP_ASSET_COUNT; c++)
      capex += L->capex_usd[c][m];
  }
  CHECK(L->rev_colo_usd[r.energize_full_month] > 0);
  CHECK_REL(capex, r.ai_capex_usd, 1e-9); /* the facility capex, spread over construction */
  /* The converted half of the fleet is sold when construction starts: 48.5 MW of miners. */
  double ths = 50.0 / 1.03 * 1e6 / 16.5;
  CHECK_REL(L->asset_sale_usd[WP_ASSET_ASIC][6], ths * 5.3, 1e-12);
  CHECK_REL(r.asic_resale_usd, ths * 5.3, 1e-12);
  teardown(&f);
}

/* Capex escalation (docs/model/pathway.md): each month's facility capex is the unescalated
** month's x (1 + e)^(m/12), m months after month 0. Hand check on a colo conversion from month 6
** at 3 %/yr. */
static void test_capex_escalation(void)
{
  fixture f;
  if (!CHECK(setup(&f))) return;
  wp_site s = test_site();
  wp_pathway p = wp_pathway_default();
  p.business = WP_BUSINESS_COLO;
  p.convert_month = 6;
  wp_pathway_result r0, r1;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r0, NULL) == WP_OK);
  static double flat[MONTHS][WP_ASSET_COUNT];
  const wp_ledger *L = wp_pathway_ledger(f.ev);
  for (size_t m = 0; m < MONTHS; m++)
    for (int c = 0; c < WP_ASSET_COUNT; c++)
      flat[m][c] = L->capex_usd[c][m];
  p.capex_escalation_per_yr = 0.03;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r1, NULL) == WP_OK);
  L = wp_pathway_ledger(f.ev);
  double total0 = 0, total1 = 0;
  for (size_t m = 0; m < MONTHS; m++)
    for (int c = 0; c < WP_ASSET_COUNT; c++) {
      const double g = c == WP_ASSET_GPU ? 1.0 : pow(1.03, (double)m / 12.0);
      CHECK_REL(L->capex_usd[c][m], flat[m][c] * g, 1e-14);
      total0 += flat[m][c];
      total1 += L->capex_usd[c][m];
    }
  CHECK(total0 > 0);
  CHECK(total1 > total0 * pow(1.03, 0.5));        /* nothing is spent before month 6 */
  CHECK_REL(r1.ai_capex_usd, r0.ai_capex_usd, 0); /* the design's capex stays at month-0 prices */
  CHECK(r1.metrics.npv_usd < r0.metrics.npv_usd);
  wp_error err = WP_ERROR_INIT;
  p.capex_escalation_per_yr = 1.5;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r1, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "capex_escalation_per_yr 1.5");
  CHECK_CONTAINS(err.msg, "[-0.5, 1]");
  p.capex_escalation_per_yr = NAN;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r1, &err) == WP_EINVAL);
  teardown(&f);
}

/* Terminal value of a leased hall (docs/model/pathway.md step 4), by hand from the ledger's
** own lines: at exit, the AI classes are sold for 12 x (rent - operator power - AI opex) of the
** last month over the cap rate, shared by their book; at book, each class for its remaining
** straight-line book. The mining classes are untouched by the choice. */
static void test_colo_terminal_exit_and_book(void)
{
  fixture f;
  if (!CHECK(setup(&f))) return;
  wp_site s = test_site();
  wp_pathway p = wp_pathway_default();
  p.business = WP_BUSINESS_COLO;
  p.convert_month = 0;
  p.valuation.terminal_colo = WP_TERMINAL_BOOK;
  wp_pathway_result rb, rx;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &rb, NULL) == WP_OK);
  const wp_ledger *L = wp_pathway_ledger(f.ev);
  const size_t last = MONTHS - 1;
  static const int ai[] = {WP_ASSET_AI_SHELL, WP_ASSET_AI_MEP, WP_ASSET_GPU, WP_ASSET_SOFT};
  double book[WP_ASSET_COUNT] = {0}, ai_book = 0;
  for (int c = 0; c < WP_ASSET_COUNT; c++) {
    /* remaining book: each month's capex x (1 - age / life), age counted to the end of the
       last month */
    for (size_t m = 0; m < MONTHS; m++) {
      double left = 1.0 - ((double)(last - m) + 1.0) / (f.ft.life_years[c] * 12.0);
      if (left > 0) book[c] += L->capex_usd[c][m] * left;
    }
  }
  for (size_t k = 0; k < 4; k++) {
    CHECK_REL(L->asset_sale_usd[ai[k]][last], book[ai[k]], 1e-12);
    ai_book += book[ai[k]];
  }
  CHECK(ai_book > 0);
  /* The last month's NOI, from the ledger: the hall is the only business left at full
     conversion, so revenue - power - opex is the hall's. */
  CHECK(rb.energize_full_month < (int64_t)last);
  const double noi = L->rev_colo_usd[last] - L->power_usd[last] - L->opex_om_usd[last] -
                     L->opex_staff_usd[last] - L->opex_insurance_usd[last] -
                     L->opex_property_tax_usd[last] - L->opex_other_usd[last];
  CHECK(noi > 0);
  const double mining_sale = L->asset_sale_usd[WP_ASSET_MINING_FACILITY][last];
  const double gain_book = L->disposal_gain_usd[last];
  p.valuation.terminal_colo = WP_TERMINAL_EXIT;
  p.valuation.exit_cap_rate_colo = 0.08;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &rx, NULL) == WP_OK);
  L = wp_pathway_ledger(f.ev);
  const double v = 12.0 * noi / 0.08;
  double sold = 0;
  for (size_t k = 0; k < 4; k++) {
    CHECK_REL(L->asset_sale_usd[ai[k]][last], v * book[ai[k]] / ai_book, 1e-12);
    sold += L->asset_sale_usd[ai[k]][last];
  }
  CHECK_REL(sold, v, 1e-12);
  CHECK_REL(L->asset_sale_usd[WP_ASSET_MINING_FACILITY][last], mining_sale, 0);
  /* The sale above book is a taxable gain: the same book is retired as at book, so the last
     month's disposal gain grows by exactly what the sale grows by (every class owned). */
  CHECK_REL(L->disposal_gain_usd[last] - gain_book, v - ai_book, 1e-9);
  CHECK(v > ai_book);
  CHECK(rx.metrics.npv_usd > rb.metrics.npv_usd);
  /* Halving the cap rate doubles the exit value. */
  p.valuation.exit_cap_rate_colo = 0.04;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &rx, NULL) == WP_OK);
  L = wp_pathway_ledger(f.ev);
  sold = 0;
  for (size_t k = 0; k < 4; k++) sold += L->asset_sale_usd[ai[k]][last];
  CHECK_REL(sold, 2.0 * v, 1e-12);
  /* A lease that has ended by the last month falls back to book. */
  p.colo.term_months = 12;
  p.valuation.exit_cap_rate_colo = 0.08;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &rx, NULL) == WP_OK);
  L = wp_pathway_ledger(f.ev);
  CHECK_REL(L->asset_sale_usd[WP_ASSET_AI_SHELL][last], book[WP_ASSET_AI_SHELL], 1e-12);
  /* Out of range: named with its range. */
  wp_error err = WP_ERROR_INIT;
  p.valuation.exit_cap_rate_colo = 0;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &rx, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "exit_cap_rate_colo 0 is out of range; accepted (0, 1]");
  teardown(&f);
}

/* Each business at its own discount rate (docs/model/finance.md "Discount rate by business"):
** the months before construction at the mining rate, the months from it at the business's,
** each from month 0: NPV = sum of project_cf[m] x (1 + r(m))^(-days(m)/365), by hand from the
** ledger; unset rates (NaN) are the hurdle's and change nothing, bit for bit. */
static void test_discount_rate_by_business(void)
{
  fixture f;
  if (!CHECK(setup(&f))) return;
  wp_site s = test_site();
  wp_pathway p = wp_pathway_default();
  p.business = WP_BUSINESS_COLO;
  p.convert_month = 6;
  wp_pathway_result r0, r1;
  CHECK(isnan(p.valuation.discount_rate[WP_BUSINESS_COLO]));
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r0, NULL) == WP_OK);
  p.valuation.discount_rate[WP_BUSINESS_MINING] = f.ft.hurdle_rate; /* = the hurdle: no change */
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r1, NULL) == WP_OK);
  CHECK(memcmp(&r0.metrics.npv_usd, &r1.metrics.npv_usd, sizeof(double)) == 0);
  p.valuation.discount_rate[WP_BUSINESS_MINING] = 0.15;
  p.valuation.discount_rate[WP_BUSINESS_COLO] = 0.07;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r1, NULL) == WP_OK);
  const wp_ledger *L = wp_pathway_ledger(f.ev);
  const int64_t d0 = wp_calendar_month_end_day(L->start, 0);
  double npv = 0, npv_e = 0;
  for (size_t m = 0; m < MONTHS; m++) {
    const double days = (double)(wp_calendar_month_end_day(L->start, (int64_t)m) - d0);
    const double df = pow(m < 6 ? 1.15 : 1.07, -days / 365.0);
    npv += L->project_cash_flow_usd[m] * df;
    npv_e += L->equity_cash_flow_usd[m] * df;
  }
  CHECK_REL(r1.metrics.npv_usd, npv, 1e-12);
  CHECK_REL(r1.metrics.equity_npv_usd, npv_e, 1e-12);
  CHECK(r1.metrics.npv_usd > r0.metrics.npv_usd); /* the long lease at a lower rate */
  /* A mine is all at the mining rate. */
  p.business = WP_BUSINESS_MINING;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r1, NULL) == WP_OK);
  L = wp_pathway_ledger(f.ev);
  npv = 0;
  for (size_t m = 0; m < MONTHS; m++)
    npv += L->project_cash_flow_usd[m] *
           pow(1.15, -(double)(wp_calendar_month_end_day(L->start, (int64_t)m) - d0) / 365.0);
  CHECK_REL(r1.metrics.npv_usd, npv, 1e-12);
  wp_error err = WP_ERROR_INIT;
  p.valuation.discount_rate[WP_BUSINESS_GPU_MERCHANT] = -1.0;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r1, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "valuation.discount_rate_gpu_merchant -1 is out of range; accepted (-1, 1]");
  teardown(&f);
}

static void test_gpu_contract_relet_and_terminal_value(void)
{
  fixture f;
  if (!CHECK(setup(&f))) return;
  wp_site s = test_site();
  wp_pathway p = wp_pathway_default();
  p.business = WP_BUSINESS_GPU_CONTRACT;
  p.convert_month = 0;
  wp_pathway_result r;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r, NULL) == WP_OK);
  const wp_ledger *L = wp_pathway_ledger(f.ev);
  int64_t end = r.energize_full_month + p.gpu_contract.term_months;
  CHECK(end < MONTHS);
  CHECK(L->rev_gpu_contract_usd[end - 1] > 0);
  CHECK_REL(L->rev_gpu_contract_usd[end], 0.0, 0);
  CHECK(L->rev_colo_usd[end] > 0); /* re-let as colocation */
  /* GPU capex scales with IT MW from IREN's $5.8B for 200 MW. */
  CHECK_REL(r.gpu_capex_usd, 5.8e9 * r.it_mw / 200.0, 1e-9);
  /* Terminal value: the shell (39-year life) is sold at book in the last month. */
  CHECK(L->asset_sale_usd[WP_ASSET_AI_SHELL][MONTHS - 1] > 0);
  teardown(&f);
}

/* External anchor: miner-to-AI colocation leases report NOI margins of 80-90 % (TeraWulf ~85 %,
** Cipher/Fluidstack 80-85 %, docs/sources/ai-datacenter.md §5.1). A triple-net colo conversion's
** steady year must land there: (rent - opex - operator power) / rent. */
static void test_colo_noi_margin_matches_reported_deals(void)
{
  fixture f;
  if (!CHECK(setup(&f))) return;
  wp_site s = test_site();
  wp_pathway p = wp_pathway_default();
  p.business = WP_BUSINESS_COLO;
  wp_pathway_result r;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r, NULL) == WP_OK);
  const wp_ledger *L = wp_pathway_ledger(f.ev);
  size_t y0 = (size_t)r.energize_full_month + 12; /* a full year after the last hall */
  double rent = 0, cost = 0;
  for (size_t m = y0; m < y0 + 12 && m < MONTHS; m++) {
    rent += L->rev_colo_usd[m];
    cost += L->opex_usd[m] + L->power_usd[m];
  }
  CHECK(rent > 0);
  double margin = (rent - cost) / rent;
  CHECK(p.colo.basis == WP_LEASE_MODIFIED_GROSS); /* the deals' basis is the default */
  CHECK(margin >= 0.80 && margin <= 0.90);
  /* The lease basis (docs/model/revenue.md §2), month by month against the modified-gross run:
     triple net moves the hall's opex to the tenant (none booked once energized, the rent and the
     power line unchanged); gross adds the tenant's power at the market price. */
  double opex_mg[MONTHS], power_mg[MONTHS], rent_mg[MONTHS];
  for (size_t m = 0; m < MONTHS; m++) {
    opex_mg[m] = L->opex_usd[m];
    power_mg[m] = L->power_usd[m];
    rent_mg[m] = L->rev_colo_usd[m];
  }
  p.colo.basis = WP_LEASE_TRIPLE_NET;
  wp_pathway_result rt;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &rt, NULL) == WP_OK);
  L = wp_pathway_ledger(f.ev);
  for (size_t m = (size_t)r.energize_full_month; m < MONTHS; m++) {
    CHECK_REL(L->opex_usd[m], 0.0, 0); /* the whole site is the hall (convert_fraction 1) */
    CHECK_REL(L->rev_colo_usd[m], rent_mg[m], 0);
    CHECK_REL(L->power_usd[m], power_mg[m], 0);
  }
  CHECK(rt.metrics.npv_usd > r.metrics.npv_usd);
  p.colo.basis = WP_LEASE_GROSS;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &rt, NULL) == WP_OK);
  L = wp_pathway_ledger(f.ev);
  for (size_t m = (size_t)r.energize_full_month; m < MONTHS; m++) {
    CHECK_REL(L->opex_usd[m], opex_mg[m], 0);
    CHECK(L->power_usd[m] > power_mg[m]);
  }
  CHECK(rt.metrics.npv_usd < r.metrics.npv_usd);
  teardown(&f);
}

/* Fleet refresh: with rule "always" every 24 months the ledger buys new machines at 24, 48, ...,
** sells the old ones the month before, mines with the new efficiency, and the last fleet's
** remaining book comes back as terminal value. With "if-profitable" in a market where mining
** cannot pay, nothing is bought. */
static void test_fleet_refresh(void)
{
  fixture f;
  if (!CHECK(setup(&f))) return;
  wp_site s = test_site();
  wp_pathway p = wp_pathway_default(), plain = wp_pathway_default();
  p.refresh.every_months = 24;
  p.refresh.rule = WP_REFRESH_ALWAYS;
  wp_pathway_result r;
  CHECK(wp_pathway_run(f.ev, &s, &plain, &f.mp, &f.ft, &r, NULL) == WP_OK);
  double rev_plain_24 = wp_pathway_ledger(f.ev)->rev_mining_usd[24];
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r, NULL) == WP_OK);
  const wp_ledger *L = wp_pathway_ledger(f.ev);
  double ths_new = 100.0 / 1.03 * 1e6 / 13.5, ths_old = 100.0 / 1.03 * 1e6 / 16.5;
  for (size_t m = 0; m < MONTHS; m++) {
    int buy = m > 0 && m % 24 == 0;
    CHECK_REL(L->capex_usd[WP_ASSET_ASIC][m], buy ? ths_new * 25.70 : 0.0, 1e-12);
    if (m == 23) CHECK_REL(L->asset_sale_usd[WP_ASSET_ASIC][m], ths_old * 5.3, 1e-12);
    if (m == 47) CHECK_REL(L->asset_sale_usd[WP_ASSET_ASIC][m], ths_new * 5.3, 1e-12);
  }
  /* 16.5 -> 13.5 J/TH on the same MW: 22 % more hashrate, so more revenue (if not curtailed). */
  if (rev_plain_24 > 0) CHECK_REL(L->rev_mining_usd[24], rev_plain_24 * 16.5 / 13.5, 1e-9);
  /* Terminal value: the month-96 fleet (4-year life) has 24 of 48 months left at month 119. */
  CHECK_REL(L->asset_sale_usd[WP_ASSET_ASIC][MONTHS - 1], ths_new * 25.70 * 0.5, 1e-9);
  /* if-profitable in a market where no fleet can pay: nothing is bought. */
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  a.difficulty *= 1000;
  wp_ym start = {2026, 1};
  CHECK(wp_market_path_fill_deterministic(&f.mp, start, &a, NULL) == WP_OK);
  p.refresh.rule = WP_REFRESH_IF_PROFITABLE;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r, NULL) == WP_OK);
  L = wp_pathway_ledger(f.ev);
  double bought = 0;
  for (size_t m = 0; m < MONTHS; m++)
    bought += L->capex_usd[WP_ASSET_ASIC][m];
  CHECK_REL(bought, 0.0, 0);
  teardown(&f);
}

static void test_refusals(void)
{
  fixture f;
  if (!CHECK(setup(&f))) return;
  wp_pathway_result r;
  wp_error err = WP_ERROR_INIT;
  wp_site s = test_site();
  wp_pathway p = wp_pathway_default();
  p.business = WP_BUSINESS_COLO;
  s.ai_ready = 0;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "not AI-ready");
  s = test_site();
  p.convert_month = MONTHS;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "convert_month");
  p.convert_month = 0;
  p.convert_fraction = 1.5;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "(0, 1]");
  p.convert_fraction = 1;
  p.cooling = WP_COOLING_AIR; /* GB300 at 132 kW per rack on air */
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "exceeds");
  s.grid_mw = -3;
  CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &r, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "grid_mw");
  wp_business b;
  CHECK(wp_business_from_name("gpu-merchant", &b, NULL) == WP_OK && b == WP_BUSINESS_GPU_MERCHANT);
  CHECK(wp_business_from_name("lease", &b, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "colo");
  teardown(&f);
}

/*
** One evaluator running a sequence of pathways (it caches designs, zeroes only what a run may
** have left, reuses opex months) gives the same ledger, series and result as a fresh evaluator
** for each run, bit for bit.
*/
static void test_reused_evaluator_equals_fresh(void)
{
  fixture f;
  if (!CHECK(setup(&f))) return;
  wp_site s = test_site();
  static const struct {
    wp_business b;
    int64_t month;
    double fraction;
  } seq[] = {{WP_BUSINESS_MINING, 0, 1},        {WP_BUSINESS_COLO, 6, 0.5},
             {WP_BUSINESS_MINING, 0, 1},        {WP_BUSINESS_GPU_CONTRACT, 0, 1},
             {WP_BUSINESS_GPU_MERCHANT, 12, 1}, {WP_BUSINESS_COLO, 6, 0.5},
             {WP_BUSINESS_MINING, 0, 1},        {WP_BUSINESS_MINING, 0, 1}};
  for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
    wp_pathway p = wp_pathway_default();
    p.business = seq[i].b;
    p.convert_month = seq[i].month;
    p.convert_fraction = seq[i].fraction;
    wp_pathway_eval *fresh = NULL;
    wp_ym start = {2026, 1};
    if (!CHECK(wp_pathway_eval_new(start, MONTHS, &fresh, NULL) == WP_OK)) break;
    wp_pathway_result a, b;
    CHECK(wp_pathway_run(f.ev, &s, &p, &f.mp, &f.ft, &a, NULL) == WP_OK);
    CHECK(wp_pathway_run(fresh, &s, &p, &f.mp, &f.ft, &b, NULL) == WP_OK);
    CHECK(memcmp(&a.metrics, &b.metrics, sizeof a.metrics) == 0);
    CHECK(memcmp(&a.capex, &b.capex, sizeof a.capex) == 0);
    CHECK(memcmp(&a.facility, &b.facility, sizeof a.facility) == 0);
    const wp_ledger *la = wp_pathway_ledger(f.ev), *lb = wp_pathway_ledger(fresh);
    for (size_t k = 0; k < wp_ledger_column_count(); k++)
      CHECK(memcmp(wp_ledger_column(la, k), wp_ledger_column(lb, k), MONTHS * sizeof(double)) == 0);
    for (int k = 0; k < WP_PW_SERIES_COUNT; k++)
      CHECK(memcmp(wp_pathway_series_data(f.ev, (wp_pathway_series)k),
                   wp_pathway_series_data(fresh, (wp_pathway_series)k),
                   MONTHS * sizeof(double)) == 0);
    wp_pathway_eval_free(fresh);
  }
  teardown(&f);
}

int main(void)
{
  wp_init();
  RUN(test_mining_pathway_matches_the_month_model);
  RUN(test_conversion_bookkeeping);
  RUN(test_capex_escalation);
  RUN(test_colo_terminal_exit_and_book);
  RUN(test_discount_rate_by_business);
  RUN(test_gpu_contract_relet_and_terminal_value);
  RUN(test_colo_noi_margin_matches_reported_deals);
  RUN(test_fleet_refresh);
  RUN(test_refusals);
  RUN(test_reused_evaluator_equals_fresh);
  return harness_report();
}
