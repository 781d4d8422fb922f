/*
** wattpivot/revenue.h — one month of each business model on the same megawatts
** (docs/model/revenue.md): self-mining, colocation lease, contracted GPU cloud, merchant GPU cloud;
** the PPA blend of the power bill; and fixed opex. Each model is a terms struct with a cited
** ..._DEFAULT initializer and a function that evaluates grid month m (0 = scenario start)
** against one market month (wp_market_path_month). Pure, allocation-free, thread-safe: a
** planner calls them inside its month loop. Equations and sources: docs/model/revenue.md.
**
** Sign convention: every output is a non-negative amount; its name says whether it is
** revenue, cost, capex or cash received. Months outside a contract give zeros, not errors.
*/
#ifndef WATTPIVOT_REVENUE_H
#define WATTPIVOT_REVENUE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "export.h"
#include "market.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Mining -------------------------------------------------------------------------------*/

/*
** A self-mining fleet. Defaults: 1 MW of Antminer S21 XP (13.5 J/TH, docs/sources/mining.md
** §3), uptime 0.97 (1mining.ca pro-forma, docs/sources/mining.md §4.3), pool fee 0.02
** (judgment: FPPS pools charge ~1–2.5 %; Luxor hashprice is gross of it), PUE 1.05 (air-cooled
** mine, docs/model/mining.md §4), curtail on (docs/model/revenue.md §1: the fleet runs only
** when power is below break-even).
*/
typedef struct wp_revenue_mining_terms {
  double it_mw;        /* miner load, MW (>= 0) */
  double eff_j_per_th; /* fleet efficiency, J/TH (> 0) */
  double uptime;       /* fraction of hours hashing, [0, 1] */
  double pool_fee;     /* fraction of revenue kept by the pool, [0, 1) */
  double pue;          /* grid MW per miner MW, [1, 3] */
  int curtail;         /* 1: stop the month when power price > break-even; 0: always run */
} wp_revenue_mining_terms;

#define WP_REVENUE_MINING_TERMS_DEFAULT                                                            \
  {                                                                                                \
    .it_mw = 1.0, .eff_j_per_th = 13.5, .uptime = 0.97, .pool_fee = 0.02, .pue = 1.05,             \
    .curtail = 1                                                                                   \
  }

typedef struct wp_revenue_mining_month {
  double ths;                         /* installed fleet hashrate, TH/s */
  double breakeven_power_usd_per_mwh; /* revenue per grid MWh: HP (1 − fee) / (0.024 E PUE) */
  int curtailed;                      /* 1 when the month was not run (price > break-even) */
  double hours_run;                   /* hours × uptime (0 when curtailed) */
  double btc_mined;                   /* BTC credited after the pool fee */
  double revenue_usd;                 /* btc_mined × price */
  double energy_mwh;                  /* grid MWh drawn: MW × PUE × hours_run */
  double power_usd;                   /* energy_mwh × power price */
  double margin_usd;                  /* revenue − power */
} wp_revenue_mining_month;

/*
** One month of self-mining:
**   TH = it_mw · 1e6 / E;  hours_run = 24 · days · uptime;
**   btc_mined = TH/1000 · HP_BTC · days · uptime · (1 − pool_fee);  revenue = btc · price;
**   power = it_mw · PUE · hours_run · mm->power_usd_per_mwh.
** Curtailment (monthly approximation, docs/model/revenue.md §1): with curtail = 1 and a power price
** above the break-even, the fleet stands still for the whole month (revenue, energy, power 0).
** For a PPA site pass the PPA-blended price in mm->power_usd_per_mwh.
*/
WP_API wp_status wp_revenue_mining_month_eval(const wp_revenue_mining_terms *t,
                                              const wp_market_month *mm,
                                              wp_revenue_mining_month *out, wp_error *err);

/*
** Hot loops (a pathway's months, run for every Monte Carlo path): check the terms once with
** wp_revenue_mining_terms_check (the checks wp_revenue_mining_month_eval makes of t), then
** evaluate each month with wp_revenue_mining_month_fast — the same arithmetic, the market month
** still checked, the terms not. t, mm, out must be non-NULL and t must have passed the check.
*/
WP_API wp_status wp_revenue_mining_terms_check(const wp_revenue_mining_terms *t, wp_error *err);
WP_API wp_status wp_revenue_mining_month_fast(const wp_revenue_mining_terms *t,
                                              const wp_market_month *mm,
                                              wp_revenue_mining_month *out, wp_error *err);

/* Colocation lease ---------------------------------------------------------------------*/

/*
** Who pays what under a lease (docs/model/revenue.md §2): gross, the landlord pays the tenant's
** power and the hall's operating costs (the rent includes them); modified gross, the tenant
** pays its power, the landlord the hall's operating costs (O&M, staff, insurance, property
** tax) — the TeraWulf and Cipher deals the default rent comes from, NOI margins 80-90 %; triple
** net, the tenant pays its power and the operating costs too (Hut 8-Fluidstack).
*/
typedef enum wp_lease_basis {
  WP_LEASE_GROSS = 0,
  WP_LEASE_MODIFIED_GROSS,
  WP_LEASE_TRIPLE_NET,
  WP_LEASE_BASIS_COUNT
} wp_lease_basis;

/* "gross", "modified-gross", "triple-net"; "?" out of range. */
WP_API const char *wp_lease_basis_name(wp_lease_basis b);

/*
** A powered-shell / colocation lease of critical IT kW. Defaults: 1 MW (1,000 kW), rent
** $154/kW-month (median colo deal of data/deals.csv, docs/sources/mining.md §6), escalator
** 2.5 %/yr (midpoint of 2–3 %, docs/sources/ai-datacenter.md §5.1), term 180 months (15 years:
** Hut 8, Cipher–AWS; 10–15 yr band, docs/sources/mining.md §6), ramp 12 months (judgment:
** halls energize in phases, docs/model/schedule.md), modified gross (the basis of the deals the
** rent is the median of, docs/sources/mining.md §6), load factor 0.8 and PUE 1.2 for the
** operator's power bill under a gross lease (judgment; liquid cooled 1.10–1.25,
** docs/model/engineering.md "Step 3").
*/
typedef struct wp_revenue_colo_terms {
  double leased_it_kw;          /* contracted critical IT, kW (>= 0) */
  double rent_usd_per_kw_month; /* rent in the first lease year, USD/kW-month */
  double escalator_per_yr;      /* rent steps up by this fraction on each lease anniversary */
  int64_t start_month;          /* grid month of rent commencement */
  int64_t ramp_months;          /* billed kW ramps linearly over these months (0 = none) */
  int64_t term_months;          /* lease term from start_month (> 0) */
  wp_lease_basis basis;         /* gross: the operator pays the tenant's power; modified gross
                                   and triple net: the tenant does (the hall's opex: pathway) */
  double load_factor;           /* tenant's mean IT draw / billed kW, [0, 1] */
  double pue;                   /* facility MW per IT MW, [1, 3] */
} wp_revenue_colo_terms;

#define WP_REVENUE_COLO_TERMS_DEFAULT                                                              \
  {                                                                                                \
    .leased_it_kw = 1000.0, .rent_usd_per_kw_month = 154.0, .escalator_per_yr = 0.025,             \
    .start_month = 0, .ramp_months = 12, .term_months = 180,                                 \
    .basis = WP_LEASE_MODIFIED_GROSS, .load_factor = 0.8,         \
    .pue = 1.2                                                                                     \
  }

typedef struct wp_revenue_colo_month {
  int active;                   /* 1 inside [start, start + term) */
  double ramp_fraction;         /* share of leased kW billed this month, [0, 1] */
  double billed_kw;             /* leased kW × ramp fraction */
  double rent_usd_per_kw_month; /* escalated rate this month */
  double rent_usd;              /* billed kW × rate: the operator's revenue */
  double energy_mwh;            /* facility MWh of the tenant load (either payer) */
  double power_usd;             /* operator's power cost: 0 unless the lease is gross */
} wp_revenue_colo_month;

/*
** One lease month m. k = m − start_month; outside 0 <= k < term everything is 0.
**   ramp = ramp_months > 0 ? min(1, (k+1)/ramp_months) : 1;  billed = leased_kw · ramp;
**   rate = rent · (1 + escalator)^floor(k/12)   (annual steps on anniversaries);
**   rent_usd = billed · rate;  energy = billed/1000 · load_factor · PUE · 24 · days;
**   power_usd = basis == gross ? energy · price : 0.
** The tenant's own power (modified gross, triple net) is a pass-through, neither revenue nor
** cost here; energy_mwh is still reported for PPA sizing.
*/
WP_API wp_status wp_revenue_colo_month_eval(const wp_revenue_colo_terms *t, int64_t m,
                                     const wp_market_month *mm, wp_revenue_colo_month *out,
                                     wp_error *err);

/* The checks wp_revenue_colo_month_eval makes of t; then, for hot loops, the same month
** without them (as wp_revenue_mining_month_fast). */
WP_API wp_status wp_revenue_colo_terms_check(const wp_revenue_colo_terms *t, wp_error *err);
/* As wp_revenue_mining_month_fast: t checked once by wp_revenue_colo_terms_check. */
WP_API wp_status wp_revenue_colo_month_fast(const wp_revenue_colo_terms *t, int64_t m,
                                     const wp_market_month *mm, wp_revenue_colo_month *out,
                                     wp_error *err);

/* Contracted GPU cloud -----------------------------------------------------------------*/

/*
** A take-or-pay GPU-cloud contract, operator owns the GPUs (IREN–Microsoft, docs/sources/mining.md
** §6, docs/sources/ai-datacenter.md §4.2): $9.7B over 60 months, 20 % prepaid, ~200 MW IT, GPUs and
** ancillaries $5.8B. Defaults reproduce that deal; scale all four by the caller's MW.
** prepay_lead_months 0 (judgment: prepayment at service start; set the months from signing),
** GPU capex in the start month (gpu_capex_lead_months 0, judgment), GPU residual 0.10 of cost
** at term end (judgment: 5-yr term vs 5–6-yr useful life, docs/sources/ai-datacenter.md §5.4),
** load factor 0.8 (judgment) and PUE 1.2 (docs/model/engineering.md "Step 3": liquid cooled
** 1.10–1.25).
*/
typedef struct wp_revenue_gpu_contract_terms {
  double contract_value_usd;     /* total contract value over the term, USD */
  int64_t term_months;           /* service term (> 0) */
  int64_t start_month;           /* grid month the service and revenue start */
  double prepay_fraction;        /* share of the value paid in advance, [0, 1] */
  int64_t prepay_lead_months;    /* prepayment arrives this many months before start (>= 0) */
  double it_mw;                  /* critical IT MW serving the contract */
  double gpu_capex_usd;          /* GPUs + networking the operator buys, USD */
  int64_t gpu_capex_lead_months; /* GPUs paid this many months before start (>= 0) */
  double gpu_residual_fraction;  /* resale value at term end, fraction of gpu_capex, [0, 1] */
  double load_factor;            /* mean IT draw / IT MW, [0, 1] */
  double pue;                    /* facility MW per IT MW, [1, 3] */
} wp_revenue_gpu_contract_terms;

#define WP_REVENUE_GPU_CONTRACT_TERMS_DEFAULT                                                      \
  {                                                                                                \
    .contract_value_usd = 9.7e9, .term_months = 60, .start_month = 0, .prepay_fraction = 0.20,     \
    .prepay_lead_months = 0, .it_mw = 200.0, .gpu_capex_usd = 5.8e9, .gpu_capex_lead_months = 0,   \
    .gpu_residual_fraction = 0.10, .load_factor = 0.8, .pue = 1.2                                  \
  }

typedef struct wp_revenue_gpu_contract_month {
  int active;                  /* 1 inside the service term */
  double revenue_usd;          /* recognized: value / term in each service month */
  double prepayment_in_usd;    /* prepayment cash received this month */
  double billed_cash_usd;      /* cash billed for service: revenue − prepayment credit */
  double cash_in_usd;          /* prepayment_in + billed_cash */
  double deferred_revenue_usd; /* unearned prepayment balance at month end */
  double gpu_capex_usd;        /* GPU purchase paid this month */
  double gpu_residual_usd;     /* GPU resale value realized (last service month) */
  double energy_mwh;           /* IT MW × load × PUE × hours */
  double power_usd;            /* operator pays power: energy × price */
} wp_revenue_gpu_contract_month;

/* The checks wp_revenue_gpu_contract_month_eval makes of t (ranges of every term). */
WP_API wp_status wp_revenue_gpu_contract_terms_check(const wp_revenue_gpu_contract_terms *t,
                                              wp_error *err);

/*
** One contract month m. k = m − start_month. Revenue V/T for 0 <= k < T; the prepayment
** P = f·V arrives in month start − prepay_lead and is credited evenly: billed cash V/T − P/T;
** deferred revenue = P − P·(service months elapsed)/T from the prepayment month on. Cash over
** the contract sums to V. GPU capex in month start − gpu_capex_lead; residual f_r·capex in
** month start + T − 1.
*/
WP_API wp_status wp_revenue_gpu_contract_month_eval(const wp_revenue_gpu_contract_terms *t,
                                                    int64_t m, const wp_market_month *mm,
                                                    wp_revenue_gpu_contract_month *out,
                                                    wp_error *err);

/* Merchant GPU cloud -------------------------------------------------------------------*/

/*
** Rent GPU-hours at the market index. Defaults: H100-class, 1.3 IT kW per GPU (DGX H100
** 10.2 kW / 8, docs/sources/ai-datacenter.md §1.2), price multiple 1.0 of the path's H100
** index, utilization 0.80 (docs/sources/ai-datacenter.md §5.2 example; Bitdeer reported 87 %,
** docs/sources/mining.md §6.1), refresh every 60 months (5-year GPU life,
** docs/sources/ai-datacenter.md §5.4), capex $24,875 per GPU (DGX H100 list ≈ $199k / 8 [U],
** docs/sources/ai-datacenter.md §4.2; excludes cluster networking), resale at refresh 0.10
** (judgment), load 0.8 (judgment), PUE 1.2 (docs/model/engineering.md "Step 3").
*/
typedef struct wp_revenue_gpu_merchant_terms {
  double it_mw;             /* critical IT MW of GPU servers */
  double it_kw_per_gpu;     /* all-in IT kW per GPU, (0, 10]: 1.3 H100 … 1.9 GB300 */
  double price_multiple;    /* this fleet's $/GPU-hour ÷ the path's index, (0, 20] */
  double utilization;       /* sold GPU-hours / available GPU-hours, [0, 1] */
  int64_t start_month;      /* grid month the fleet starts earning (first install) */
  int64_t refresh_months;   /* GPUs replaced every this many months (0 = never) */
  double capex_usd_per_gpu; /* purchase price per GPU incl. its server share, USD */
  double resale_fraction;   /* value of a retired GPU at refresh, fraction of capex */
  double load_factor;       /* mean IT draw / IT MW, [0, 1] */
  double pue;               /* facility MW per IT MW, [1, 3] */
} wp_revenue_gpu_merchant_terms;

#define WP_REVENUE_GPU_MERCHANT_TERMS_DEFAULT                                                      \
  {                                                                                                \
    .it_mw = 1.0, .it_kw_per_gpu = 1.3, .price_multiple = 1.0, .utilization = 0.80,                \
    .start_month = 0, .refresh_months = 60, .capex_usd_per_gpu = 24875.0, .resale_fraction = 0.10, \
    .load_factor = 0.8, .pue = 1.2                                                                 \
  }

typedef struct wp_revenue_gpu_merchant_month {
  int active;              /* 1 from start_month on */
  double gpus;             /* floor(it_mw · 1000 / it_kw_per_gpu) */
  int install;             /* 1 in start_month and every refresh month */
  int refresh;             /* 1 in a refresh month (install, not the first) */
  double gpu_usd_per_hour; /* index × price_multiple */
  double gpu_hours_sold;   /* gpus × 24 · days × utilization */
  double revenue_usd;      /* gpu_hours_sold × price */
  double capex_usd;        /* gpus × capex_per_gpu in install months */
  double resale_usd;       /* gpus × capex_per_gpu × resale_fraction in refresh months */
  double energy_mwh;       /* IT MW × load × PUE × hours */
  double power_usd;        /* energy × price (operator pays) */
} wp_revenue_gpu_merchant_month;

/* The checks wp_revenue_gpu_merchant_month_eval makes of t (ranges of every term). */
WP_API wp_status wp_revenue_gpu_merchant_terms_check(const wp_revenue_gpu_merchant_terms *t,
                                              wp_error *err);

/*
** One merchant month m (k = m − start_month >= 0): revenue = gpus · 24 · days · utilization ·
** mm->gpu_usd_per_hour · price_multiple. Install months: k == 0 and, with refresh_months R > 0,
** k % R == 0. A refresh buys the same count of GPUs and does not reset the price (the path's
** floor stands in for newer generations; docs/model/revenue.md).
*/
WP_API wp_status wp_revenue_gpu_merchant_month_eval(const wp_revenue_gpu_merchant_terms *t,
                                                    int64_t m, const wp_market_month *mm,
                                                    wp_revenue_gpu_merchant_month *out,
                                                    wp_error *err);

/* PPA ----------------------------------------------------------------------------------*/

/*
** A fixed-price block of power: fixed_mw at price (escalating annually) for term months from
** start; the rest at market. take_or_pay = 1: the block is bought whatever the load and unused
** MWh are sold back at the market price (Riot's Rockdale PPA, docs/sources/mining.md §4.3);
** 0: only the MWh used are bought at the fixed price. Defaults: none (fixed_mw 0 = all market);
** price $38/MWh (docs/sources/mining.md §4.2 large-miner band), escalator 0.02 (judgment),
** term 120 months (judgment; Riot's blocks run 3–6 years), take_or_pay 1.
*/
typedef struct wp_revenue_ppa_terms {
  double fixed_mw;          /* MW covered by the fixed price (>= 0) */
  double price_usd_per_mwh; /* fixed price in the first PPA year */
  double escalator_per_yr;  /* annual step of the fixed price */
  int64_t start_month;      /* grid month the PPA starts */
  int64_t term_months;      /* PPA length (> 0) */
  int take_or_pay;          /* 1: buy the whole block, sell the surplus at market */
} wp_revenue_ppa_terms;

#define WP_REVENUE_PPA_TERMS_DEFAULT                                                               \
  {                                                                                                \
    .fixed_mw = 0.0, .price_usd_per_mwh = 38.0, .escalator_per_yr = 0.02, .start_month = 0,        \
    .term_months = 120, .take_or_pay = 1                                                           \
  }

typedef struct wp_revenue_ppa_month {
  double energy_mwh;              /* load MWh: load_mw × hours */
  double fixed_price_usd_per_mwh; /* escalated PPA price this month (0 outside the term) */
  double fixed_mwh;               /* MWh bought at the fixed price */
  double market_mwh;              /* MWh bought at market (load above the block) */
  double surplus_mwh;             /* block MWh sold back at market (take-or-pay, load < block) */
  double cost_usd;                /* fixed + market purchases − surplus sales */
  double blended_usd_per_mwh;     /* cost / energy (the market price when energy is 0) */
} wp_revenue_ppa_month;

/*
** Power bill of month m for a mean grid load load_mw at market price mm->power_usd_per_mwh:
**   h = 24 · days; fixed price = price · (1+esc)^floor(k/12) inside the term, k = m − start;
**   take_or_pay: cost = F·h·p_f + max(0, L−F)·h·p_m − max(0, F−L)·h·p_m;
**   otherwise:   cost = min(L,F)·h·p_f + max(0, L−F)·h·p_m.
*/
WP_API wp_status wp_revenue_ppa_month_eval(const wp_revenue_ppa_terms *t, int64_t m, double load_mw,
                                    const wp_market_month *mm, wp_revenue_ppa_month *out,
                                    wp_error *err);

/* Opex ---------------------------------------------------------------------------------*/

/*
** Fixed operating costs per month of an operating site. All four numbers are judgment (no
** public per-line source was found; docs/sources/energy.md §3.3 notes the gap), cross-checked
** against the 80–90 % NOI margins of miner→AI leases (docs/sources/ai-datacenter.md §5.1): the AI
** default totals ≈ $287/kW-yr at $10.7M/MW capex ≈ 15.5 % of $154/kW-month rent.
** AI: O&M $120/kW-yr, staff $60k/MW-yr, insurance 0.5 %/yr and property tax 0.5 %/yr of the
** insured/assessed capex.  Mining: O&M $20/kW-yr, staff $15k/MW-yr, same 0.5 % + 0.5 %.
** Escalator 0.02/yr (judgment) on O&M and staff, annual steps from grid month 0.
*/
typedef struct wp_revenue_opex_terms {
  double om_usd_per_kw_yr;    /* maintenance, repairs, consumables per kW of IT per year */
  double staff_usd_per_mw_yr; /* site staff per MW of IT per year */
  double insurance_per_yr;    /* fraction of capex per year */
  double property_tax_per_yr; /* fraction of capex per year */
  double escalator_per_yr;    /* annual step of O&M and staff */
} wp_revenue_opex_terms;

#define WP_REVENUE_OPEX_TERMS_AI_DEFAULT                                                           \
  {                                                                                                \
    .om_usd_per_kw_yr = 120.0, .staff_usd_per_mw_yr = 60000.0, .insurance_per_yr = 0.005,          \
    .property_tax_per_yr = 0.005, .escalator_per_yr = 0.02                                         \
  }
#define WP_REVENUE_OPEX_TERMS_MINING_DEFAULT                                                       \
  {                                                                                                \
    .om_usd_per_kw_yr = 20.0, .staff_usd_per_mw_yr = 15000.0, .insurance_per_yr = 0.005,           \
    .property_tax_per_yr = 0.005, .escalator_per_yr = 0.02                                         \
  }

typedef struct wp_revenue_opex_month {
  double om_usd;           /* it_mw · 1000 · om · esc / 12 */
  double staff_usd;        /* it_mw · staff · esc / 12 */
  double insurance_usd;    /* capex · insurance / 12 */
  double property_tax_usd; /* capex · property tax / 12 */
  double total_usd;        /* sum of the four */
} wp_revenue_opex_month;

/* Opex of grid month m (m >= 0) for it_mw of operating IT and capex_usd of insured/assessed
** assets; esc = (1 + escalator)^floor(m/12). */
WP_API wp_status wp_revenue_opex_month_eval(const wp_revenue_opex_terms *t, int64_t m, double it_mw,
                                     double capex_usd, wp_revenue_opex_month *out, wp_error *err);

/* The checks wp_revenue_opex_month_eval makes of t (non-NULL, rates in range). */
WP_API wp_status wp_revenue_opex_terms_check(const wp_revenue_opex_terms *t, wp_error *err);
/* The same arithmetic without any check, for hot loops: t passed wp_revenue_opex_terms_check,
** m >= 0, it_mw in [0, 1e6], capex_usd in [0, 1e13] (the caller guarantees the ranges). */
WP_API void wp_revenue_opex_month_fast(const wp_revenue_opex_terms *t, int64_t m, double it_mw,
                                double capex_usd, wp_revenue_opex_month *out);

/* Hours in a month of `days` days: 24 · days. */
WP_API double wp_revenue_hours(int days);

#ifdef __cplusplus
}
#endif
#endif
