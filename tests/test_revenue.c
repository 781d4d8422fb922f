/* revenue module: each business model pinned on a hand-computed month (the arithmetic is in the
** comment above each check), the PPA blend, opex, the miner->AI deal table (data/deals.csv)
** and the refusals. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "refdata.h"
#include "wattpivot.h"

/* A 30-day market month at power price p (fields the AI models read). */
static wp_market_month month_at(int days, double power_usd_per_mwh)
{
  wp_market_month mm;
  memset(&mm, 0, sizeof mm);
  mm.ym = (wp_ym){2026, 6};
  mm.days = days;
  mm.power_usd_per_mwh = power_usd_per_mwh;
  mm.gpu_usd_per_hour = 2.35;
  return mm;
}

static void test_mining_month_nov_2025(void)
{
  /* Month 0 of the default path = Luxor's Nov-2025 averages: D 153.33T, $96,532, fees 0.019,
  ** 30 days. HP_BTC = 3.144 × 86400e15 / (153.33e12 × 2^32) = 0.00041248607 BTC/PH/day,
  ** HP_USD = $39.8181 (published $39.82, docs/sources/mining.md §2.3 H1).
  ** Fleet: 10 MW of 13.5 J/TH -> 740,740.74 TH/s; uptime 0.97, pool fee 2 %, PUE 1.05, $38/MWh.
  **   BTC = 740.74074 PH × 0.00041248607 × 30 × 0.97 × 0.98 = 8.713539 BTC
  **   revenue = 8.713539 × 96,532 = $841,135.35
  **   energy = 10 × 1.05 × 720 × 0.97 = 7,333.2 MWh;  power = × $38 = $278,661.60
  **   break-even = 39.8181 / (0.024 × 13.5) × 0.98 / 1.05 = $114.702/MWh */
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  wp_market_path p = WP_MARKET_PATH_INIT;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_market_path_init(&p, 1, &err) == WP_OK)) return;
  CHECK(wp_market_path_fill_deterministic(&p, (wp_ym){2025, 11}, &a, &err) == WP_OK);
  wp_market_month mm;
  CHECK(wp_market_path_month(&p, 0, &mm, &err) == WP_OK);
  CHECK_REL(mm.hashprice_usd_per_ph_day, 39.82, 0.01);
  wp_revenue_mining_terms t = WP_REVENUE_MINING_TERMS_DEFAULT;
  t.it_mw = 10.0;
  wp_revenue_mining_month out;
  CHECK(wp_revenue_mining_month_eval(&t, &mm, &out, &err) == WP_OK);
  CHECK_REL(out.ths, 740740.7407407408, 1e-12);
  CHECK_REL(out.btc_mined, 8.71353899515951, 1e-9);
  CHECK_REL(out.revenue_usd, 841135.3462807378, 1e-9);
  CHECK_REL(out.energy_mwh, 7333.2, 1e-12);
  CHECK_REL(out.power_usd, 278661.6, 1e-12);
  CHECK_REL(out.margin_usd, 562473.7462807378, 1e-9);
  CHECK_REL(out.breakeven_power_usd_per_mwh, 114.70235999028225, 1e-9);
  CHECK_REL(out.hours_run, 698.4, 1e-12);
  CHECK(!out.curtailed);

  /* Curtailment: at $120/MWh (> $114.70) the fleet stops; at $110 it runs. */
  mm.power_usd_per_mwh = 120.0;
  CHECK(wp_revenue_mining_month_eval(&t, &mm, &out, &err) == WP_OK);
  CHECK(out.curtailed);
  CHECK_REL(out.revenue_usd, 0.0, 0);
  CHECK_REL(out.power_usd, 0.0, 0);
  CHECK_REL(out.energy_mwh, 0.0, 0);
  mm.power_usd_per_mwh = 110.0;
  CHECK(wp_revenue_mining_month_eval(&t, &mm, &out, &err) == WP_OK);
  CHECK(!out.curtailed);
  CHECK_REL(out.power_usd, 7333.2 * 110.0, 1e-12);
  /* Without curtailment the fleet runs at a loss: margin = 841,135.35 − 7,333.2 × 120. */
  t.curtail = 0;
  mm.power_usd_per_mwh = 120.0;
  CHECK(wp_revenue_mining_month_eval(&t, &mm, &out, &err) == WP_OK);
  CHECK_REL(out.margin_usd, 841135.3462807378 - 879984.0, 1e-9);
  wp_market_path_release(&p);
}

static void test_colo_month(void)
{
  /* 10,000 kW at $150/kW-month, 3 %/yr, rent starts grid month 6, 12-month ramp, 120-month term,
  ** modified gross (operator pays power) at load 0.8, PUE 1.2, 30-day month at $50/MWh. */
  wp_revenue_colo_terms t = WP_REVENUE_COLO_TERMS_DEFAULT;
  t.leased_it_kw = 10000.0;
  t.rent_usd_per_kw_month = 150.0;
  t.escalator_per_yr = 0.03;
  t.start_month = 6;
  t.ramp_months = 12;
  t.term_months = 120;
  t.basis = WP_LEASE_GROSS;
  wp_market_month mm = month_at(30, 50.0);
  wp_revenue_colo_month out;
  wp_error err = WP_ERROR_INIT;
  /* Month 10 (k = 4): ramp 5/12 -> 4,166.67 kW billed; year 1 rate $150;
  **   rent = 4,166.67 × 150 = $625,000; energy = 4.16667 MW × 0.8 × 1.2 × 720 h = 2,880 MWh;
  **   power = 2,880 × $50 = $144,000. */
  CHECK(wp_revenue_colo_month_eval(&t, 10, &mm, &out, &err) == WP_OK);
  CHECK(out.active);
  CHECK_REL(out.ramp_fraction, 5.0 / 12.0, 1e-15);
  CHECK_REL(out.rent_usd, 625000.0, 1e-12);
  CHECK_REL(out.energy_mwh, 2880.0, 1e-12);
  CHECK_REL(out.power_usd, 144000.0, 1e-12);
  /* Month 20 (k = 14): fully ramped, second lease year: 10,000 × 150 × 1.03 = $1,545,000. */
  CHECK(wp_revenue_colo_month_eval(&t, 20, &mm, &out, &err) == WP_OK);
  CHECK_REL(out.rent_usd_per_kw_month, 154.5, 1e-12);
  CHECK_REL(out.rent_usd, 1545000.0, 1e-12);
  /* Month 17 (k = 11) is still year 1 and the last ramp month: 10,000 × 150. */
  CHECK(wp_revenue_colo_month_eval(&t, 17, &mm, &out, &err) == WP_OK);
  CHECK_REL(out.rent_usd, 1500000.0, 1e-12);
  /* Last month (k = 119): year 10, 150 × 1.03^9 = $195.71598 -> $1,957,159.78. */
  CHECK(wp_revenue_colo_month_eval(&t, 125, &mm, &out, &err) == WP_OK);
  CHECK_REL(out.rent_usd, 1957159.7757438673, 1e-12);
  /* After the term and before the start: nothing. */
  CHECK(wp_revenue_colo_month_eval(&t, 126, &mm, &out, &err) == WP_OK);
  CHECK(!out.active && out.rent_usd == 0.0 && out.power_usd == 0.0);
  CHECK(wp_revenue_colo_month_eval(&t, 5, &mm, &out, &err) == WP_OK);
  CHECK(!out.active && out.rent_usd == 0.0);
  /* Modified gross (and triple net): same rent, the tenant pays its power: the operator's
     power line is zero, energy still reported. */
  t.basis = WP_LEASE_MODIFIED_GROSS;
  CHECK(wp_revenue_colo_month_eval(&t, 10, &mm, &out, &err) == WP_OK);
  CHECK_REL(out.rent_usd, 625000.0, 1e-12);
  CHECK_REL(out.power_usd, 0.0, 0);
  CHECK_REL(out.energy_mwh, 2880.0, 1e-12);
}

static void test_gpu_contract_month(void)
{
  /* IREN–Microsoft shape: $9.7B over 60 months, 20 % prepaid ($1.94B) two months before the
  ** service starts in grid month 3; GPUs $5.8B paid in month 3; residual 10 % at term end;
  ** 200 MW IT × 0.8 load × PUE 1.2 at $38/MWh in a 30-day month. */
  wp_revenue_gpu_contract_terms t = WP_REVENUE_GPU_CONTRACT_TERMS_DEFAULT;
  t.start_month = 3;
  t.prepay_lead_months = 2;
  wp_market_month mm = month_at(30, 38.0);
  wp_revenue_gpu_contract_month out;
  wp_error err = WP_ERROR_INIT;
  /* Month 1: the prepayment arrives; no revenue yet; deferred revenue $1.94B. */
  CHECK(wp_revenue_gpu_contract_month_eval(&t, 1, &mm, &out, &err) == WP_OK);
  CHECK(!out.active);
  CHECK_REL(out.prepayment_in_usd, 1.94e9, 1e-15);
  CHECK_REL(out.cash_in_usd, 1.94e9, 1e-15);
  CHECK_REL(out.deferred_revenue_usd, 1.94e9, 1e-15);
  CHECK_REL(out.revenue_usd, 0.0, 0);
  /* Month 3 (k = 0): revenue 9.7e9/60 = $161,666,666.67; the prepayment credit 1.94e9/60 =
  ** $32,333,333.33 -> billed cash $129,333,333.33; deferred 1.94e9 − 32.333e6 =
  ** $1,907,666,666.67; GPUs $5.8B; power 200 × 0.8 × 1.2 × 720 × 38 = $5,253,120. */
  CHECK(wp_revenue_gpu_contract_month_eval(&t, 3, &mm, &out, &err) == WP_OK);
  CHECK(out.active);
  CHECK_REL(out.revenue_usd, 161666666.66666666, 1e-12);
  CHECK_REL(out.billed_cash_usd, 129333333.33333333, 1e-12);
  CHECK_REL(out.cash_in_usd, 129333333.33333333, 1e-12);
  CHECK_REL(out.deferred_revenue_usd, 1907666666.6666667, 1e-12);
  CHECK_REL(out.gpu_capex_usd, 5.8e9, 1e-15);
  CHECK_REL(out.energy_mwh, 138240.0, 1e-12);
  CHECK_REL(out.power_usd, 5253120.0, 1e-12);
  CHECK_REL(out.gpu_residual_usd, 0.0, 0);
  /* Month 13 (k = 10): deferred 1.94e9 × (1 − 11/60) = $1,584,333,333.33. */
  CHECK(wp_revenue_gpu_contract_month_eval(&t, 13, &mm, &out, &err) == WP_OK);
  CHECK_REL(out.deferred_revenue_usd, 1584333333.3333333, 1e-12);
  /* Month 62 (k = 59, the last): residual 0.10 × 5.8e9 = $580M; deferred fully earned. */
  CHECK(wp_revenue_gpu_contract_month_eval(&t, 62, &mm, &out, &err) == WP_OK);
  CHECK_REL(out.gpu_residual_usd, 580e6, 1e-15);
  CHECK_ABS(out.deferred_revenue_usd, 0.0, 1e-3);
  /* Over the whole grid, recognized revenue and cash both sum to the contract value. */
  double rev = 0, cash = 0, capex = 0;
  for (int64_t m = 0; m < 80; m++) {
    CHECK(wp_revenue_gpu_contract_month_eval(&t, m, &mm, &out, &err) == WP_OK);
    rev += out.revenue_usd;
    cash += out.cash_in_usd;
    capex += out.gpu_capex_usd;
  }
  CHECK_REL(rev, 9.7e9, 1e-12);
  CHECK_REL(cash, 9.7e9, 1e-12);
  CHECK_REL(capex, 5.8e9, 1e-15);
}

static void test_gpu_merchant_month(void)
{
  /* 10 MW IT of H100-class at 1.3 kW/GPU -> floor(7,692.3) = 7,692 GPUs; 31-day month
  ** (744 h), utilization 0.8, index $2.35/GPU-h:
  **   GPU-hours sold = 7,692 × 744 × 0.8 = 4,578,278.4; revenue = × 2.35 = $10,758,954.24;
  **   energy = 10 × 0.8 × 1.2 × 744 = 7,142.4 MWh; power at $38 = $271,411.20.
  ** Capex at install and each 60-month refresh: 7,692 × $24,875 = $191,338,500;
  ** resale at refresh 10 % = $19,133,850. */
  wp_revenue_gpu_merchant_terms t = WP_REVENUE_GPU_MERCHANT_TERMS_DEFAULT;
  t.it_mw = 10.0;
  t.start_month = 4;
  wp_market_month mm = month_at(31, 38.0);
  wp_revenue_gpu_merchant_month out;
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_revenue_gpu_merchant_month_eval(&t, 5, &mm, &out, &err) == WP_OK);
  CHECK_REL(out.gpus, 7692.0, 0);
  CHECK_REL(out.gpu_hours_sold, 4578278.4, 1e-12);
  CHECK_REL(out.revenue_usd, 10758954.24, 1e-12);
  CHECK_REL(out.energy_mwh, 7142.4, 1e-12);
  CHECK_REL(out.power_usd, 271411.2, 1e-12);
  CHECK(!out.install && !out.refresh);
  CHECK_REL(out.capex_usd, 0.0, 0);
  CHECK(wp_revenue_gpu_merchant_month_eval(&t, 4, &mm, &out, &err) == WP_OK);
  CHECK(out.install && !out.refresh);
  CHECK_REL(out.capex_usd, 191338500.0, 1e-15);
  CHECK_REL(out.resale_usd, 0.0, 0);
  CHECK(wp_revenue_gpu_merchant_month_eval(&t, 64, &mm, &out, &err) == WP_OK);
  CHECK(out.install && out.refresh);
  CHECK_REL(out.capex_usd, 191338500.0, 1e-15);
  CHECK_REL(out.resale_usd, 19133850.0, 1e-15);
  CHECK(wp_revenue_gpu_merchant_month_eval(&t, 3, &mm, &out, &err) == WP_OK);
  CHECK(!out.active && out.revenue_usd == 0.0 && out.capex_usd == 0.0);
  /* A GB300-class fleet: 1.9 kW/GPU -> floor(5,263.16) = 5,263 GPUs; price multiple 1.5. */
  t.it_kw_per_gpu = 1.9;
  t.price_multiple = 1.5;
  CHECK(wp_revenue_gpu_merchant_month_eval(&t, 5, &mm, &out, &err) == WP_OK);
  CHECK_REL(out.gpus, 5263.0, 0);
  CHECK_REL(out.revenue_usd, 5263.0 * 744 * 0.8 * 2.35 * 1.5, 1e-12);
}

static void test_ppa_blend(void)
{
  /* 60 MW fixed at $40/MWh escalating 2 %/yr from month 0 for 120 months; month 14 is PPA year
  ** 2 -> $40.80; 30-day month (720 h); market $55/MWh. */
  wp_revenue_ppa_terms t = WP_REVENUE_PPA_TERMS_DEFAULT;
  t.fixed_mw = 60.0;
  t.price_usd_per_mwh = 40.0;
  wp_market_month mm = month_at(30, 55.0);
  wp_revenue_ppa_month out;
  wp_error err = WP_ERROR_INIT;
  /* Load 100 MW: 60 × 720 × 40.80 + 40 × 720 × 55 = 1,762,560 + 1,584,000 = $3,346,560;
  ** blended = 3,346,560 / 72,000 MWh = $46.48. */
  CHECK(wp_revenue_ppa_month_eval(&t, 14, 100.0, &mm, &out, &err) == WP_OK);
  CHECK_REL(out.fixed_price_usd_per_mwh, 40.8, 1e-14);
  CHECK_REL(out.fixed_mwh, 43200.0, 1e-15);
  CHECK_REL(out.market_mwh, 28800.0, 1e-15);
  CHECK_REL(out.cost_usd, 3346560.0, 1e-12);
  CHECK_REL(out.blended_usd_per_mwh, 46.48, 1e-12);
  /* Load 50 MW, take-or-pay: the block costs 1,762,560 and 10 MW × 720 h = 7,200 MWh are sold
  ** back at $55 = $396,000 -> $1,366,560; blended / 36,000 MWh = $37.96. */
  CHECK(wp_revenue_ppa_month_eval(&t, 14, 50.0, &mm, &out, &err) == WP_OK);
  CHECK_REL(out.surplus_mwh, 7200.0, 1e-15);
  CHECK_REL(out.cost_usd, 1366560.0, 1e-12);
  CHECK_REL(out.blended_usd_per_mwh, 37.96, 1e-12);
  /* Without take-or-pay: 36,000 MWh × 40.80 = $1,468,800, blended = the PPA price. */
  t.take_or_pay = 0;
  CHECK(wp_revenue_ppa_month_eval(&t, 14, 50.0, &mm, &out, &err) == WP_OK);
  CHECK_REL(out.cost_usd, 1468800.0, 1e-12);
  CHECK_REL(out.blended_usd_per_mwh, 40.8, 1e-12);
  /* After the term (month 120): all at market, $55. */
  CHECK(wp_revenue_ppa_month_eval(&t, 120, 50.0, &mm, &out, &err) == WP_OK);
  CHECK_REL(out.blended_usd_per_mwh, 55.0, 1e-15);
  CHECK_REL(out.fixed_mwh, 0.0, 0);
  /* Zero load: blended falls back to the market price, no division by zero. */
  CHECK(wp_revenue_ppa_month_eval(&t, 14, 0.0, &mm, &out, &err) == WP_OK);
  CHECK_REL(out.blended_usd_per_mwh, 55.0, 1e-15);
  CHECK_REL(out.cost_usd, 0.0, 0);
}

static void test_opex_month(void)
{
  /* AI defaults, 10 MW IT, $107M insured capex, month 13 (year 2: escalator 1.02):
  **   O&M = 10,000 kW × 120 × 1.02 / 12 = $102,000; staff = 10 × 60,000 × 1.02 / 12 = $51,000;
  **   insurance = property tax = 107e6 × 0.005 / 12 = $44,583.33; total $242,166.67. */
  wp_revenue_opex_terms t = WP_REVENUE_OPEX_TERMS_AI_DEFAULT;
  wp_revenue_opex_month out;
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_revenue_opex_month_eval(&t, 13, 10.0, 107e6, &out, &err) == WP_OK);
  CHECK_REL(out.om_usd, 102000.0, 1e-12);
  CHECK_REL(out.staff_usd, 51000.0, 1e-12);
  CHECK_REL(out.insurance_usd, 44583.333333333336, 1e-12);
  CHECK_REL(out.property_tax_usd, 44583.333333333336, 1e-12);
  CHECK_REL(out.total_usd, 242166.6666666667, 1e-12);
  /* The cross-check in revenue.h: AI opex at $10.7M/MW capex is ≈ 15 % of $154/kW-month rent
  ** (NOI margins 80–90 %): (120 + 60 + 2 × 0.005 × 10,700) / (154 × 12) = 287 / 1,848 = 15.5 %. */
  CHECK(wp_revenue_opex_month_eval(&t, 0, 1.0, 10.7e6, &out, &err) == WP_OK);
  double share = out.total_usd / (154.0 * 1000.0);
  CHECK(share > 0.10 && share < 0.20);
  wp_revenue_opex_terms mt = WP_REVENUE_OPEX_TERMS_MINING_DEFAULT;
  CHECK(mt.om_usd_per_kw_yr < t.om_usd_per_kw_yr);
}

/* data/deals.csv: recompute each implied rent and compare with the figure of the table in
** docs/sources/mining.md §6; the default colocation rent is the median of the colo rows. */
static void test_deals_table(void)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/data/deals.csv", WP_SOURCE_DIR);
  FILE *f = fopen(path, "r");
  if (!CHECK(f != NULL)) return;
  char line[1024], *fld[REF_MAX_FIELDS];
  double colo[32];
  int rows = 0, n_colo = 0, header = 1;
  while (ref_next(f, line, sizeof line, fld) == 8) {
    if (header) {
      CHECK_STR(fld[0], "deal");
      CHECK_STR(fld[5], "implied_usd_per_kw_month");
      header = 0;
      continue;
    }
    double value = strtod(fld[2], NULL), years = strtod(fld[3], NULL), mw = strtod(fld[4], NULL);
    double published = strtod(fld[5], NULL);
    double implied = (value / years) / (mw * 1000.0) / 12.0;
    CHECK_REL(implied, published, 0.005);
    if (strcmp(fld[1], "colo") == 0 && n_colo < 32) colo[n_colo++] = implied;
    rows++;
  }
  fclose(f);
  CHECK_EQ_I64(rows, 10);
  CHECK_EQ_I64(n_colo, 9);
  /* Median of the nine colo rows (insertion sort, then the middle one). */
  for (int i = 1; i < n_colo; i++)
    for (int j = i; j > 0 && colo[j - 1] > colo[j]; j--) {
      double tmp = colo[j];
      colo[j] = colo[j - 1];
      colo[j - 1] = tmp;
    }
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  wp_revenue_colo_terms c = WP_REVENUE_COLO_TERMS_DEFAULT;
  CHECK_REL(colo[n_colo / 2], 154.1666666666667, 1e-12); /* TeraWulf: 3.7e9/10/200,000/12 */
  CHECK_REL(a.colo_usd_per_kw_month, colo[n_colo / 2], 0.005);
  CHECK_REL(c.rent_usd_per_kw_month, colo[n_colo / 2], 0.005);
}

static void test_refusals(void)
{
  wp_error err = WP_ERROR_INIT;
  wp_market_month mm = month_at(30, 40.0);
  wp_revenue_mining_terms mt = WP_REVENUE_MINING_TERMS_DEFAULT;
  wp_revenue_mining_month mo;
  mt.uptime = 1.5;
  CHECK(wp_revenue_mining_month_eval(&mt, &mm, &mo, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "uptime 1.5");
  wp_revenue_colo_terms ct = WP_REVENUE_COLO_TERMS_DEFAULT;
  wp_revenue_colo_month co;
  ct.term_months = 0;
  CHECK(wp_revenue_colo_month_eval(&ct, 0, &mm, &co, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "term_months 0");
  ct = (wp_revenue_colo_terms)WP_REVENUE_COLO_TERMS_DEFAULT;
  mm.days = 0;
  CHECK(wp_revenue_colo_month_eval(&ct, 0, &mm, &co, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "0 days");
  mm = month_at(30, NAN);
  CHECK(wp_revenue_colo_month_eval(&ct, 0, &mm, &co, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "power price");
  mm = month_at(30, 40.0);
  wp_revenue_gpu_contract_terms gt = WP_REVENUE_GPU_CONTRACT_TERMS_DEFAULT;
  wp_revenue_gpu_contract_month go;
  gt.prepay_fraction = -0.1;
  CHECK(wp_revenue_gpu_contract_month_eval(&gt, 0, &mm, &go, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "prepay_fraction");
  wp_revenue_gpu_merchant_terms gm = WP_REVENUE_GPU_MERCHANT_TERMS_DEFAULT;
  wp_revenue_gpu_merchant_month gmo;
  gm.it_kw_per_gpu = 0.0;
  CHECK(wp_revenue_gpu_merchant_month_eval(&gm, 0, &mm, &gmo, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "it_kw_per_gpu 0");
  wp_revenue_ppa_terms pt = WP_REVENUE_PPA_TERMS_DEFAULT;
  wp_revenue_ppa_month po;
  CHECK(wp_revenue_ppa_month_eval(&pt, 0, -1.0, &mm, &po, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "load_mw -1");
  wp_revenue_opex_terms ot = WP_REVENUE_OPEX_TERMS_AI_DEFAULT;
  wp_revenue_opex_month oo;
  CHECK(wp_revenue_opex_month_eval(&ot, -1, 1.0, 0.0, &oo, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "month -1");
  CHECK(wp_revenue_opex_month_eval(NULL, 0, 1.0, 0.0, &oo, &err) == WP_EINVAL);
}

/* The split kernels: wp_revenue_*_terms_check refuses what _month_eval refuses (same message),
** and _month_fast gives the same bits as _month_eval on every month of a table. */
static void test_fast_kernels_equal_eval(void)
{
  wp_error err = WP_ERROR_INIT, err2 = WP_ERROR_INIT;
  wp_revenue_mining_terms mt = WP_REVENUE_MINING_TERMS_DEFAULT;
  wp_revenue_colo_terms ct = WP_REVENUE_COLO_TERMS_DEFAULT;
  wp_revenue_opex_terms ot = WP_REVENUE_OPEX_TERMS_AI_DEFAULT;
  mt.it_mw = 37.5;
  ct.leased_it_kw = 42000;
  ct.start_month = 3;
  ct.ramp_months = 7;
  ct.basis = WP_LEASE_GROSS;
  CHECK(wp_revenue_mining_terms_check(&mt, NULL) == WP_OK);
  CHECK(wp_revenue_colo_terms_check(&ct, NULL) == WP_OK);
  CHECK(wp_revenue_opex_terms_check(&ot, NULL) == WP_OK);
  for (int64_t m = 0; m < 40; m++) {
    /* Power from cheap to above the fleet's break-even, so some months curtail. */
    wp_market_month mm = month_at(28 + (int)(m % 4), 10.0 + 4.0 * (double)m);
    mm.btc_price_usd = 96532.0;
    mm.hashprice_btc_per_ph_day = 0.00041248607;
    wp_revenue_mining_month a, b;
    CHECK(wp_revenue_mining_month_eval(&mt, &mm, &a, NULL) == WP_OK);
    CHECK(wp_revenue_mining_month_fast(&mt, &mm, &b, NULL) == WP_OK);
    CHECK(memcmp(&a, &b, sizeof a) == 0);
    wp_revenue_colo_month ca, cb;
    CHECK(wp_revenue_colo_month_eval(&ct, m, &mm, &ca, NULL) == WP_OK);
    CHECK(wp_revenue_colo_month_fast(&ct, m, &mm, &cb, NULL) == WP_OK);
    CHECK(memcmp(&ca, &cb, sizeof ca) == 0);
    wp_revenue_opex_month oa, ob;
    CHECK(wp_revenue_opex_month_eval(&ot, m, 12.5, 3.2e8, &oa, NULL) == WP_OK);
    wp_revenue_opex_month_fast(&ot, m, 12.5, 3.2e8, &ob);
    CHECK(memcmp(&oa, &ob, sizeof oa) == 0);
  }
  wp_market_month mm = month_at(30, 40.0);
  wp_revenue_mining_month mo;
  mt.pool_fee = 1.2;
  CHECK(wp_revenue_mining_terms_check(&mt, &err) == WP_EINVAL);
  CHECK(wp_revenue_mining_month_eval(&mt, &mm, &mo, &err2) == WP_EINVAL);
  CHECK(strcmp(err.msg, err2.msg) == 0); /* the same refusal */
  ct.escalator_per_yr = 2.0;
  wp_revenue_colo_month co;
  CHECK(wp_revenue_colo_terms_check(&ct, &err) == WP_EINVAL);
  CHECK(wp_revenue_colo_month_eval(&ct, 0, &mm, &co, &err2) == WP_EINVAL);
  CHECK(strcmp(err.msg, err2.msg) == 0); /* the same refusal */
  ot.insurance_per_yr = -0.01;
  wp_revenue_opex_month ox;
  CHECK(wp_revenue_opex_terms_check(&ot, &err) == WP_EINVAL);
  CHECK(wp_revenue_opex_month_eval(&ot, 0, 1.0, 1.0, &ox, &err2) == WP_EINVAL);
  CHECK(strcmp(err.msg, err2.msg) == 0); /* the same refusal */
  CHECK(wp_revenue_mining_terms_check(NULL, &err) == WP_EINVAL);
}

int main(void)
{
  RUN(test_mining_month_nov_2025);
  RUN(test_colo_month);
  RUN(test_gpu_contract_month);
  RUN(test_gpu_merchant_month);
  RUN(test_ppa_blend);
  RUN(test_opex_month);
  RUN(test_deals_table);
  RUN(test_refusals);
  RUN(test_fast_kernels_equal_eval);
  return harness_report();
}
