/*
** Scenario files: YAML -> wp_scenario through schema tables (src/io/yaml_int.h), plus the
** built-in default, which is the YAML text of data/default_scenario.yaml compiled in
** (wattpivot/scenario_file.h). The scenario itself, its defaults and checks: src/plan/scenario.c.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "core/sbuf_int.h"
#include "io/csv_int.h"
#include "io/market_file_int.h"
#include "io/readfile_int.h"
#include "io/scenario_file_int.h"
#include "io/yaml_int.h"
#include "wattpivot/risk_history.h"
#include "wattpivot/scenario_file.h"

/* Generated from data/default_scenario.yaml by cmake/embed.cmake (bytes of the UTF-8 text). */
extern const unsigned char wp_default_scenario_yaml[];

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define INF  INFINITY

/* The accepted names of each enum key are the model's own (wp_*_name), by index. */
#define NAME_OF(fn, type)                                                                          \
  static const char *fn##_of(int i)                                                                \
  {                                                                                                \
    return fn((type)i);                                                                            \
  }
NAME_OF(wp_cooling_name, wp_cooling)
NAME_OF(wp_redundancy_name, wp_redundancy)
NAME_OF(wp_gpu_name, wp_gpu)
NAME_OF(wp_schedule_plan_name, wp_sched_plan)
NAME_OF(wp_business_name, wp_business)
NAME_OF(wp_debt_shape_name, wp_debt_shape)
NAME_OF(wp_risk_btc_model_name, wp_risk_btc_model)
NAME_OF(wp_refresh_rule_name, wp_refresh_rule)
NAME_OF(wp_difficulty_model_name, wp_difficulty_model)
NAME_OF(wp_market_preset_name, wp_market_preset)
NAME_OF(wp_terminal_name, wp_terminal)
NAME_OF(wp_lease_basis_name, wp_lease_basis)
NAME_OF(wp_crew_per_name, wp_crew_per)

/* A site's status is informational (wp_site.status holds the text): the names live here. */
static const char *const status_names[] = {"operating", "energizing", "planned"};
static const char *status_name_of(int i)
{
  return i >= 0 && i < (int)N(status_names) ? status_names[i] : "?";
}

/* Field rows: key, kind, offset, size, min, max, min_open, max_open, unit, help, name_of, count. */
#define NUM(T, key, member, lo, hi, unit)                                                     \
  {key, WP_F_NUM, offsetof(T, member), 0, lo, hi, 0, 0, unit, NULL, NULL, 0}
#define NUMX(T, key, member, lo, hi, unit) /* lower bound excluded */                         \
  {key, WP_F_NUM, offsetof(T, member), 0, lo, hi, 1, 0, unit, NULL, NULL, 0}
#define INT(T, key, member, lo, hi, unit)                                                     \
  {key, WP_F_INT, offsetof(T, member), 0, lo, hi, 0, 0, unit, NULL, NULL, 0}
#define BOOL(T, key, member)                                                                  \
  {key, WP_F_BOOL, offsetof(T, member), 0, 0, 0, 0, 0, "", NULL, NULL, 0}
#define STR(T, key, member)                                                                   \
  {key, WP_F_STR, offsetof(T, member), sizeof(((T *)0)->member), 0, 0, 0, 0, "", NULL, NULL, 0}
#define ENUM(T, key, member, name_of, count)                                                   \
  {key, WP_F_ENUM, offsetof(T, member), 0, 0, 0, 0, 0, "", NULL, name_of, count}
#define YM(T, key, member) {key, WP_F_YM, offsetof(T, member), 0, 0, 0, 0, 0, "", NULL, NULL, 0}
/* A set of conversion business models (colo, gpu-contract, gpu-merchant: names 1..3). */
#define ENUMSET(T, key, member)                                                                   \
  {key, WP_F_ENUMSET, offsetof(T, member), 0, WP_BUSINESS_COLO, 0, 0, 0, "", NULL,               \
   wp_business_name_of, WP_BUSINESS_COUNT}

static const wp_field scenario_fields[] = {
    STR(wp_scenario, "name", name),
    YM(wp_scenario, "start", start),
    INT(wp_scenario, "horizon_months", horizon_months, 12, 600, "months"),
    NUMX(wp_scenario, "hurdle_rate", finance.hurdle_rate, -1, 1, "per year"),
};

static const wp_field market_fields[] = {
    NUMX(wp_market_assumptions, "btc_price_usd", btc_price_usd, 0, 1e8, "USD"),
    NUM(wp_market_assumptions, "btc_price_growth_per_yr", btc_price_growth_per_yr, -0.99, 10, ""),
    NUM(wp_market_assumptions, "difficulty", difficulty, 1, 1e20, ""),
    NUM(wp_market_assumptions, "difficulty_growth_per_yr", difficulty_growth_per_yr, -0.99, 10, ""),
    NUM(wp_market_assumptions, "fees_btc_per_block", fees_btc_per_block, 0, 50, "BTC"),
    NUM(wp_market_assumptions, "fees_growth_per_yr", fees_growth_per_yr, -0.99, 10, ""),
    INT(wp_market_assumptions, "anchor_height", anchor_height, 0, 2147483647, ""),
    YM(wp_market_assumptions, "anchor_month", anchor_ym),
    NUM(wp_market_assumptions, "gpu_usd_per_hour", gpu_usd_per_hour, 0, 1000, "USD/GPU-hour"),
    NUM(wp_market_assumptions, "gpu_decline_per_yr", gpu_decline_per_yr, 0, 0.99, ""),
    NUM(wp_market_assumptions, "gpu_floor_usd_per_hour", gpu_floor_usd_per_hour, 0, 1000,
        "USD/GPU-hour"),
    NUM(wp_market_assumptions, "power_usd_per_mwh", power_usd_per_mwh, 0, 10000, "USD/MWh"),
    NUM(wp_market_assumptions, "power_escalator_per_yr", power_escalator_per_yr, -0.99, 10, ""),
    NUM(wp_market_assumptions, "colo_usd_per_kw_month", colo_usd_per_kw_month, 0, 10000,
        "USD/kW-month"),
    NUM(wp_market_assumptions, "colo_growth_per_yr", colo_growth_per_yr, -0.99, 10, ""),
    /* The hashprice equilibrium (docs/model/market.md §5) and the presets (§6). */
    ENUM(wp_market_assumptions, "preset", preset, wp_market_preset_name_of, WP_MARKET_PRESET_COUNT),
    ENUM(wp_market_assumptions, "difficulty_model", difficulty_model, wp_difficulty_model_name_of,
         WP_DIFFICULTY_MODEL_COUNT),
    NUMX(wp_market_assumptions, "marginal_j_per_th", marginal_j_per_th, 0, 500, "J/TH"),
    NUM(wp_market_assumptions, "marginal_efficiency_gain_per_yr", marginal_efficiency_gain_per_yr,
        0, 0.9, ""),
    NUMX(wp_market_assumptions, "marginal_j_per_th_floor", marginal_j_per_th_floor, 0, 500, "J/TH"),
    NUMX(wp_market_assumptions, "marginal_power_usd_per_mwh", marginal_power_usd_per_mwh, 0, 10000,
         "USD/MWh"),
    NUM(wp_market_assumptions, "hashrate_response_per_yr", hashrate_response_per_yr, 0, 1000, ""),
    NUM(wp_market_assumptions, "hashrate_growth_max_per_yr", hashrate_growth_max_per_yr, 0, 5, ""),
    NUM(wp_market_assumptions, "hashrate_decline_max_per_yr", hashrate_decline_max_per_yr, 0, 5,
        ""),
    INT(wp_market_assumptions, "deploy_lag_months", deploy_lag_months, 0, 36, "months"),
};

/* An asset's life: a month at least (the finance engine depreciates by month). */
#define LIFE_MIN (1.0 / 12.0)

static const wp_field finance_fields[] = {
    {"nol_limit_frac", WP_F_NUM, offsetof(wp_finance_terms, nol_limit_frac), 0, 0, 1, 1, 0, "",
     NULL, NULL, 0},
    NUM(wp_finance_terms, "life_years_mining_facility", life_years[WP_ASSET_MINING_FACILITY],
        LIFE_MIN, 100, "years"),
    NUM(wp_finance_terms, "life_years_asic", life_years[WP_ASSET_ASIC], LIFE_MIN, 100, "years"),
    NUM(wp_finance_terms, "life_years_ai_shell", life_years[WP_ASSET_AI_SHELL], LIFE_MIN, 100,
        "years"),
    NUM(wp_finance_terms, "life_years_ai_mep", life_years[WP_ASSET_AI_MEP], LIFE_MIN, 100, "years"),
    NUM(wp_finance_terms, "life_years_gpu", life_years[WP_ASSET_GPU], LIFE_MIN, 100, "years"),
    NUM(wp_finance_terms, "life_years_soft", life_years[WP_ASSET_SOFT], LIFE_MIN, 100, "years"),
    NUM(wp_finance_terms, "construction_ltc", construction.ltc, 0, 1, ""),
    NUM(wp_finance_terms, "construction_rate", construction.rate, 0, 1, "per year"),
    BOOL(wp_finance_terms, "term_debt", term.enabled),
    ENUM(wp_finance_terms, "debt_shape", term.shape, wp_debt_shape_name_of, WP_DEBT_SHAPE_COUNT),
    NUM(wp_finance_terms, "target_dscr", term.target_dscr, 1, 10, ""),
    NUM(wp_finance_terms, "max_gearing", term.max_gearing, 0, 1, ""),
    NUM(wp_finance_terms, "debt_rate", term.rate, 0, 1, "per year"),
    INT(wp_finance_terms, "debt_tenor_months", term.tenor_months, 1, 600, "months"),
    NUM(wp_finance_terms, "convertible_principal_usd", convertible.principal_usd, 0, 1e12, "USD"),
    NUM(wp_finance_terms, "convertible_coupon_rate", convertible.coupon_rate, 0, 1, "per year"),
    INT(wp_finance_terms, "convertible_coupon_period_months", convertible.coupon_period_months, 1,
        120, "months"),
    NUM(wp_finance_terms, "convertible_issue_cost_frac", convertible.issue_cost_frac, 0, 0.999, ""),
    INT(wp_finance_terms, "convertible_issue_month", convertible.issue_month, 0, 1200, "months"),
    INT(wp_finance_terms, "convertible_maturity_month", convertible.maturity_month, 1, 1200,
        "months"),
    NUMX(wp_finance_terms, "convertible_conversion_price_usd", convertible.conversion_price_usd, 0,
         1e9, "USD/share"),
    NUM(wp_finance_terms, "convertible_share_price_at_maturity_usd",
        convertible.share_price_at_maturity_usd, 0, 1e9, "USD/share"),
};

static const wp_field conversion_fields[] = {
    ENUM(wp_pathway, "business", business, wp_business_name_of, WP_BUSINESS_COUNT),
    ENUM(wp_pathway, "cooling", cooling, wp_cooling_name_of, WP_COOLING_COUNT),
    ENUM(wp_pathway, "redundancy", redundancy, wp_redundancy_name_of, WP_REDUNDANCY_COUNT),
    ENUM(wp_pathway, "gpu", gpu, wp_gpu_name_of, WP_GPU_COUNT),
    ENUM(wp_pathway, "plan", plan, wp_schedule_plan_name_of, WP_SCHED_PLAN_COUNT),
    BOOL(wp_pathway, "substation_upgrade", substation_upgrade),
    NUM(wp_pathway, "capex_escalation_per_yr", capex_escalation_per_yr, -0.5, 1, "per year"),
    NUM(wp_pathway, "colo_rent_usd_per_kw_month", colo.rent_usd_per_kw_month, 0, 10000,
        "USD/kW-month"),
    NUM(wp_pathway, "colo_escalator_per_yr", colo.escalator_per_yr, -0.5, 1, ""),
    INT(wp_pathway, "colo_term_months", colo.term_months, 1, 600, "months"),
    ENUM(wp_pathway, "colo_lease_basis", colo.basis, wp_lease_basis_name_of, WP_LEASE_BASIS_COUNT),
    NUM(wp_pathway, "colo_load_factor", colo.load_factor, 0, 1, ""),
    NUMX(wp_pathway, "gpu_contract_value_usd", gpu_contract.contract_value_usd, 0, 1e13, "USD"),
    NUMX(wp_pathway, "gpu_contract_it_mw", gpu_contract.it_mw, 0, 1e5, "MW"),
    INT(wp_pathway, "gpu_contract_term_months", gpu_contract.term_months, 1, 600, "months"),
    NUM(wp_pathway, "gpu_contract_prepay_fraction", gpu_contract.prepay_fraction, 0, 1, ""),
    NUM(wp_pathway, "gpu_contract_gpu_capex_usd", gpu_contract.gpu_capex_usd, 0, 1e13, "USD"),
    NUM(wp_pathway, "gpu_contract_residual_fraction", gpu_contract.gpu_residual_fraction, 0, 1, ""),
    NUM(wp_pathway, "gpu_merchant_it_kw_per_gpu", gpu_merchant.it_kw_per_gpu, 0.01, 10, "kW"),
    NUM(wp_pathway, "gpu_merchant_utilization", gpu_merchant.utilization, 0, 1, ""),
    NUM(wp_pathway, "gpu_merchant_price_multiple", gpu_merchant.price_multiple, 0.01, 20, ""),
    INT(wp_pathway, "gpu_merchant_refresh_months", gpu_merchant.refresh_months, 0, 600, "months"),
    NUM(wp_pathway, "gpu_merchant_capex_usd_per_gpu", gpu_merchant.capex_usd_per_gpu, 0, 1e7,
        "USD"),
};

static const wp_field strategy_fields[] = {
    NUMX(wp_strategy_opts, "capex_usd_per_yr", capex_usd_per_yr, 0, INF, "USD"),
    INT(wp_strategy_opts, "max_concurrent_projects", max_concurrent_projects, 1, 1000, ""),
    ENUM(wp_strategy_opts, "crew_per", crew_per, wp_crew_per_name_of, WP_CREW_PER_COUNT),
    NUM(wp_strategy_opts, "debt_capacity_usd", debt_capacity_usd, 0, INF, "USD"),
    NUM(wp_strategy_opts, "cash_floor_usd", cash_floor_usd, -INF, INF, "USD"),
    INT(wp_strategy_opts, "earliest_convert_month", earliest_convert_month, 0, 1200, "months"),
    INT(wp_strategy_opts, "convert_month_step", convert_month_step, 1, 120, "months"),
    NUM(wp_strategy_opts, "hybrid_floor_cover", hybrid_floor_cover, 0, 100, ""),
    NUM(wp_strategy_opts, "min_uplift_usd_per_mw", min_uplift_usd_per_mw, -INF, INF, "USD/MW"),
    {"tranches", WP_F_NUMS, offsetof(wp_strategy_opts, tranches), WP_SCENARIO_MAX_TRANCHES, 0, 1, 1,
     0, "", NULL, NULL, 0},
    ENUMSET(wp_strategy_opts, "business_models", business_models),
    NUM(wp_strategy_opts, "mip_gap", mip_gap, 1e-9, 0.5, ""),
    INT(wp_strategy_opts, "solver_nodes", solver_nodes, 1, 1000000000, "nodes"),
    NUMX(wp_strategy_opts, "solver_seconds", solver_seconds, 0, 86400, "s"),
    NUMX(wp_strategy_opts, "relax_fraction", relax_fraction, 0, 1, ""),
    BOOL(wp_strategy_opts, "price_limits", price_limits),
};
/* The list binding's layout (a count, then the values) is wp_tranche_levels'. */
_Static_assert(offsetof(wp_tranche_levels, level) == sizeof(size_t), "wp_tranche_levels layout");

static const wp_field corporate_fields[] = {
    NUM(wp_corporate, "cash_start_usd", cash_start_usd, -INF, INF, "USD"),
    NUM(wp_corporate, "overhead_usd_per_yr", overhead_usd_per_yr, 0, INF, "USD"),
};

#define CORR(key, a, b)                                                                            \
  {                                                                                                \
    key, WP_F_NUM, offsetof(wp_risk_assumptions, corr[a][b]), 0, -1, 1, 0, 0, "", NULL, NULL, 0    \
  }
static const wp_field risk_fields[] = {
    NUM(wp_risk_assumptions, "btc_vol", btc_vol, 0, 5, "per year"),
    NUM(wp_risk_assumptions, "fees_vol", fees_vol, 0, 10, "per year"),
    NUM(wp_risk_assumptions, "fees_reversion_per_yr", fees_reversion_per_yr, 0, 100, "per year"),
    NUM(wp_risk_assumptions, "gpu_vol", gpu_vol, 0, 5, "per year"),
    NUM(wp_risk_assumptions, "colo_vol", colo_vol, 0, 5, "per year"),
    NUM(wp_risk_assumptions, "power_vol", power_vol, 0, 5, "per year"),
    NUM(wp_risk_assumptions, "power_reversion_per_yr", power_reversion_per_yr, 0, 100, "per year"),
    NUM(wp_risk_assumptions, "schedule_vol", schedule_vol, 0, 3, ""),
    NUM(wp_risk_assumptions, "hashrate_elasticity", hashrate_elasticity, 0, 3, ""),
    INT(wp_risk_assumptions, "hashrate_lag_months", hashrate_lag_months, 0, 60, "months"),
    NUM(wp_risk_assumptions, "hashrate_adjust_per_month", hashrate_adjust_per_month, 0, 1, ""),
    CORR("corr_btc_fees", WP_RISK_BTC, WP_RISK_FEES),
    CORR("corr_btc_gpu", WP_RISK_BTC, WP_RISK_GPU),
    CORR("corr_btc_colo", WP_RISK_BTC, WP_RISK_COLO),
    CORR("corr_btc_power", WP_RISK_BTC, WP_RISK_POWER),
    CORR("corr_fees_gpu", WP_RISK_FEES, WP_RISK_GPU),
    CORR("corr_fees_colo", WP_RISK_FEES, WP_RISK_COLO),
    CORR("corr_fees_power", WP_RISK_FEES, WP_RISK_POWER),
    CORR("corr_gpu_colo", WP_RISK_GPU, WP_RISK_COLO),
    CORR("corr_gpu_power", WP_RISK_GPU, WP_RISK_POWER),
    CORR("corr_colo_power", WP_RISK_COLO, WP_RISK_POWER),
    STR(wp_risk_assumptions, "wait_site", wait_site),
    INT(wp_risk_assumptions, "wait_max_month", wait_max_month, 0, 1200, "months"),
    INT(wp_risk_assumptions, "wait_paths", wait_paths, 1, 10000000, "paths"),
    ENUM(wp_risk_assumptions, "btc_model", btc_model, wp_risk_btc_model_name_of, 2),
    INT(wp_risk_assumptions, "btc_block_months", btc_block_months, 1, 60, "months"),
    STR(wp_risk_assumptions, "btc_history_file", btc_history_file),
};

static const wp_field country_fields[] = {
    STR(wp_country, "name", name),
    NUM(wp_country, "tax_rate", tax_rate, 0, 0.99, ""),
};

static const wp_field region_fields[] = {
    STR(wp_region, "name", name),
    NUM(wp_region, "ai_it_mw_max", ai_it_mw_max, 0, INF, "MW"),
};

/* A site as written in the file: the wp_site plus file-only fields. */
typedef struct site_row {
  wp_site site;
  int status;
  char power_file[256]; /* power_file: a monthly CSV month,power_usd_per_mwh (read after binding) */
} site_row;

static const wp_field site_fields[] = {
    STR(site_row, "name", site.name),
    STR(site_row, "country", site.country),
    STR(site_row, "region", site.region),
    ENUM(site_row, "status", status, status_name_of, (int)N(status_names)),
    INT(site_row, "online_month", site.online_month, 0, 1200, "months"),
    NUMX(site_row, "grid_mw", site.grid_mw, 0, 10000, "MW"),
    NUM(site_row, "power_usd_per_mwh", site.power_usd_per_mwh, 0, 10000, "USD/MWh"),
    {"monthly_c", WP_F_NUM12, offsetof(site_row, site.monthly_c), 0, -60, 60, 0, 0, "C", NULL, NULL,
     0},
    NUM(site_row, "design_c", site.design_c, -60, 60, "C"),
    BOOL(site_row, "ai_ready", site.ai_ready),
    NUM(site_row, "fleet_eff_j_per_th", site.fleet_eff_j_per_th, 1, 1000, "J/TH"),
    NUM(site_row, "mining_pue", site.mining_pue, 1, 3, ""),
    NUM(site_row, "mining_uptime", site.mining_uptime, 0, 1, ""),
    NUM(site_row, "pool_fee", site.pool_fee, 0, 0.99, ""),
    NUM(site_row, "asic_resale_usd_per_th", site.asic_resale_usd_per_th, 0, 1000, "USD/TH"),
    NUM(site_row, "ppa_mw", site.ppa.fixed_mw, 0, 10000, "MW"),
    NUM(site_row, "ppa_usd_per_mwh", site.ppa.price_usd_per_mwh, 0, 10000, "USD/MWh"),
    NUM(site_row, "ppa_escalator_per_yr", site.ppa.escalator_per_yr, -0.5, 1, ""),
    INT(site_row, "ppa_start_month", site.ppa.start_month, 0, 1200, "months"),
    INT(site_row, "ppa_term_months", site.ppa.term_months, 1, 1200, "months"),
    BOOL(site_row, "ppa_take_or_pay", site.ppa.take_or_pay),
    STR(site_row, "power_file", power_file),
    NUM(site_row, "expandable_mw", site.expandable_mw, 0, 10000, "MW"),
    INT(site_row, "queue_months", site.queue_months, 0, 1200, "months"),
    ENUMSET(site_row, "business_models", site.business_models),
};

static const wp_field custom_fields[] = {
  STR(wp_custom_pathway, "site", site),
  ENUM(wp_custom_pathway, "business", business, wp_business_name_of, WP_BUSINESS_COUNT),
  INT(wp_custom_pathway, "convert_month", convert_month, 0, 1200, "months"),
  {"convert_fraction", WP_F_NUM, offsetof(wp_custom_pathway, convert_fraction), 0, 0, 1, 1, 0,
   "", NULL, NULL, 0},
  BOOL(wp_custom_pathway, "expansion", expansion),
};

/* The mining fleet's replacement policy (section mining:). */
static const wp_field mining_fields[] = {
    INT(wp_mining_refresh, "refresh_every_months", every_months, 0, 600, "months"),
    NUMX(wp_mining_refresh, "refresh_eff_j_per_th", eff_j_per_th, 0, 1000, "J/TH"),
    NUM(wp_mining_refresh, "refresh_usd_per_th", usd_per_th, 0, 10000, "USD/TH"),
    ENUM(wp_mining_refresh, "refresh_rule", rule, wp_refresh_rule_name_of, WP_REFRESH_RULE_COUNT),
};

static const wp_field valuation_fields[] = {
    ENUM(wp_valuation, "terminal_colo", terminal_colo, wp_terminal_name_of, WP_TERMINAL_COUNT),
    NUMX(wp_valuation, "exit_cap_rate_colo", exit_cap_rate_colo, 0, 1, "per year"),
    NUMX(wp_valuation, "discount_rate_mining", discount_rate[WP_BUSINESS_MINING], -1, 1, "per year"),
    NUMX(wp_valuation, "discount_rate_colo", discount_rate[WP_BUSINESS_COLO], -1, 1, "per year"),
    NUMX(wp_valuation, "discount_rate_gpu_contract", discount_rate[WP_BUSINESS_GPU_CONTRACT], -1, 1,
         "per year"),
    NUMX(wp_valuation, "discount_rate_gpu_merchant", discount_rate[WP_BUSINESS_GPU_MERCHANT], -1, 1,
         "per year"),
};

/* The mapping sections, each bound to its struct inside wp_scenario. */
static const wp_scenario_section sections[] = {
    {"scenario", scenario_fields, N(scenario_fields), 0},
    {"market", market_fields, N(market_fields), offsetof(wp_scenario, market)},
    {"finance", finance_fields, N(finance_fields), offsetof(wp_scenario, finance)},
    {"conversion", conversion_fields, N(conversion_fields), offsetof(wp_scenario, conversion)},
    {"strategy", strategy_fields, N(strategy_fields), offsetof(wp_scenario, strategy)},
    {"mining", mining_fields, N(mining_fields), offsetof(wp_scenario, conversion.refresh)},
    {"valuation", valuation_fields, N(valuation_fields), offsetof(wp_scenario, conversion.valuation)},
    {"corporate", corporate_fields, N(corporate_fields), offsetof(wp_scenario, corporate)},
    {"risk", risk_fields, N(risk_fields), offsetof(wp_scenario, risk)},
};

/* Every top-level key: the mapping sections, then the lists. */
static const char *const top_sections[] = {
    "scenario",  "market", "finance",   "conversion", "strategy", "mining",     "valuation",
    "corporate", "risk",   "countries", "regions",    "sites",    "custom",     "sites_file",
    "market_file", NULL};

const wp_scenario_section *wp_scenario_sections(size_t *n)
{
  *n = N(sections);
  return sections;
}

const wp_scenario_section *wp_scenario_lists(size_t *n)
{
  /* Each item's schema (offsets into the item: a site_row for sites, whose first member is the
     wp_site). */
  static const wp_scenario_section lists[] = {
      {"countries", country_fields, N(country_fields), 0},
      {"regions", region_fields, N(region_fields), 0},
      {"sites", site_fields, N(site_fields), 0},
      {"custom", custom_fields, N(custom_fields), 0},
  };
  *n = N(lists);
  return lists;
}

/* market.preset first: its values, then every key the section gives over them (a name the
** presets do not know is left to the binding, which names the accepted ones). */
static void apply_market_preset(struct fy_node *market, wp_market_assumptions *a)
{
  struct fy_node *n = fy_node_is_mapping(market) ? wp_yaml_get(market, "preset") : NULL;
  size_t len = 0;
  const char *t = n && fy_node_is_scalar(n) ? fy_node_get_scalar(n, &len) : NULL;
  for (int p = 0; t && p < WP_MARKET_PRESET_COUNT; p++) {
    const char *name = wp_market_preset_name((wp_market_preset)p);
    if (strlen(name) == len && strncmp(name, t, len) == 0)
      wp_market_apply_preset(a, (wp_market_preset)p, NULL);
  }
}

/* Bind an optional mapping section. */
static wp_status bind_section(const wp_yaml *y, struct fy_node *root,
                              const wp_scenario_section *sec, wp_scenario *sc, wp_error *err)
{
  struct fy_node *node = wp_yaml_get(root, sec->key);
  if (!node) return WP_OK;
  if (strcmp(sec->key, "market") == 0) apply_market_preset(node, &sc->market);
  /* A key of 0.1 renamed in 0.2: say what it became (docs/changes.md). */
  struct fy_node *old = strcmp(sec->key, "conversion") == 0 && fy_node_is_mapping(node)
                            ? wp_yaml_key_node(node, "colo_triple_net")
                            : NULL;
  if (old)
    return wp_yaml_error(y, old, WP_EINVAL, "conversion.colo_triple_net", err,
                         "replaced in wattpivot 0.2 by colo_lease_basis: gross | modified-gross "
                         "| triple-net (true was modified-gross: the tenant pays its power, the "
                         "landlord the hall's operating costs; false was gross)");
  return wp_yaml_bind(y, node, sec->key, sec->fields, sec->nfields, NULL, (char *)sc + sec->offset,
                      NULL, err);
}

/* Bind a sequence of mappings into items of size `size` (at most max). */
static wp_status bind_list(const wp_yaml *y, struct fy_node *root, const char *key,
                           const wp_field *f, size_t n, void *items, size_t size, size_t max,
                           size_t *count, const void *item_default, const char *required,
                           wp_error *err)
{
  struct fy_node *seq = wp_yaml_get(root, key);
  if (!seq) return WP_OK; /* a list the file leaves out keeps its default */
  if (!fy_node_is_sequence(seq))
    return wp_yaml_error(
        y, wp_yaml_position(seq, &(int){0}, &(int){0}) ? seq : wp_yaml_key_node(root, key),
        WP_EPARSE, key, err, "expected a list (- item per entry)");
  int len = fy_node_sequence_item_count(seq);
  if (len > (int)max)
    return wp_yaml_error(y, seq, WP_EPARSE, key, err, "%d entries; at most %zu are accepted", len,
                         max);
  wp_status first = WP_OK; /* with a sink: every item is bound, the first error returned */
  for (int i = 0; i < len; i++) {
    char path[64];
    snprintf(path, sizeof path, "%s[%d]", key, i);
    struct fy_node *item = fy_node_sequence_get_by_index(seq, i);
    char *dst = (char *)items + (size_t)i * size;
    if (item_default) memcpy(dst, item_default, size);
    unsigned char seen[64] = {0};
    wp_status st = wp_yaml_bind(y, item, path, f, n, NULL, dst, seen, err);
    if (st && !y->sink) return st;
    if (required && fy_node_is_mapping(item) && !wp_yaml_get(item, required)) {
      wp_status r =
          wp_yaml_error(y, item, WP_EPARSE, path, err, "the key '%s' is required", required);
      if (!y->sink) return r;
      if (!st) st = r;
    }
    if (st && !first) first = st;
  }
  *count = (size_t)len;
  return first;
}

/* A file named in the scenario at path (NULL for a text: used as given) into out: relative names
** resolve against the scenario file's directory. 0 when out is too small. */
static int resolve(const char *path, const char *file, char *out, size_t n)
{
  const char *slash = path ? strrchr(path, '/') : NULL;
  int k = file[0] != '/' && slash ? snprintf(out, n, "%.*s/%s", (int)(slash - path), path, file)
                                  : snprintf(out, n, "%s", file);
  return k >= 0 && (size_t)k < n;
}

/*
** With btc_model bootstrap, read the BTC history into sc->risk: btc_history_file resolved
** against the directory of the scenario file (path; NULL for a text: used as given), else the
** built-in one. Errors name the scenario key, then the history's file:line.
*/
static wp_status load_btc_history(wp_scenario *sc, const wp_yaml *y, struct fy_node *root,
                                  const char *path, wp_error *err)
{
  wp_risk_assumptions *r = &sc->risk;
  if (r->btc_model != WP_RISK_BTC_BOOTSTRAP) return WP_OK;
  const char *file = r->btc_history_file;
  char resolved[4096];
  if (file[0] && !resolve(path, file, resolved, sizeof resolved))
    return wp_error_set(err, WP_EINVAL, "%s: risk.btc_history_file: path too long", y->name);
  if (file[0]) file = resolved;
  wp_error inner = WP_ERROR_INIT;
  wp_status st = wp_risk_history_load(r, file, &inner);
  if (st == WP_OK) return WP_OK;
  struct fy_node *risk = wp_yaml_get(root, "risk");
  const char *key = r->btc_history_file[0] ? "btc_history_file" : "btc_model";
  char where[64];
  snprintf(where, sizeof where, "risk.%s", key);
  return wp_yaml_error(y, risk ? wp_yaml_get(risk, key) : NULL, st, where, err, "%s", inner.msg);
}

/* The sites list: each site starts from the file's site defaults (wp_scenario_site_default);
** grid_mw is required; a PPA block fits the site; the design temperature is the hottest. */
static wp_status bind_sites(wp_scenario *sc, const wp_yaml *y, struct fy_node *root,
                            char (*power_file)[256], wp_error *err)
{
  if (!wp_yaml_get(root, "sites")) return WP_OK;
  site_row *rows = calloc(WP_SCENARIO_MAX_SITES, sizeof *rows);
  if (!rows) return wp_error_set(err, WP_ENOMEM, "scenario: out of memory");
  site_row def = {.site = wp_scenario_site_default(sc), .status = 0};
  wp_status st = bind_list(y, root, "sites", site_fields, N(site_fields), rows, sizeof *rows,
                           WP_SCENARIO_MAX_SITES, &sc->nsites, &def, "name", err);
  /* With a sink, the sites are checked even after an error (every error in one pass). */
  for (size_t i = 0; (st == WP_OK || y->sink) && i < sc->nsites; i++) {
    sc->sites[i] = rows[i].site;
    snprintf(sc->sites[i].status, sizeof sc->sites[i].status, "%s", status_name_of(rows[i].status));
    memcpy(power_file[i], rows[i].power_file, sizeof power_file[i]);
    struct fy_node *item = fy_node_sequence_get_by_index(wp_yaml_get(root, "sites"), (int)i);
    char path[32];
    snprintf(path, sizeof path, "sites[%zu]", i);
    wp_status e = WP_OK;
    if (!wp_yaml_get(item, "grid_mw"))
      e = wp_yaml_error(y, item, WP_EPARSE, path, err, "the key 'grid_mw' is required");
    else if (sc->sites[i].ppa.fixed_mw > sc->sites[i].grid_mw)
      e = wp_yaml_error(y, wp_yaml_get(item, "ppa_mw"), WP_EPARSE, path, err,
                        "ppa_mw %g exceeds the site's grid_mw %g", sc->sites[i].ppa.fixed_mw,
                        sc->sites[i].grid_mw);
    else {
      for (int k = 0; k < 12; k++)
        if (sc->sites[i].monthly_c[k] > sc->sites[i].design_c) {
          e = wp_yaml_error(y, wp_yaml_get(item, "design_c"), WP_EPARSE, path, err,
                            "design_c %g is below monthly_c[%d] %g; the design temperature is "
                            "the hottest condition",
                            sc->sites[i].design_c, k, sc->sites[i].monthly_c[k]);
          break;
        }
    }
    if (e && !st) st = e;
  }
  free(rows);
  return st;
}

/* The sites CSV's columns: the site keys, monthly_c as 12 columns (monthly_c_jan ..). */
static const char *const month_suffix[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                             "jul", "aug", "sep", "oct", "nov", "dec"};
#define SITE_COLUMNS_MAX (N(site_fields) + 11)

static size_t site_columns(wp_csv_column *cols, const wp_field **field, int *month,
                           char (*names)[32])
{
  size_t n = 0;
  for (size_t k = 0; k < N(site_fields); k++) {
    const wp_field *f = &site_fields[k];
    const int required = !strcmp(f->key, "name") || !strcmp(f->key, "grid_mw");
    for (int m = 0; m < (f->kind == WP_F_NUM12 ? 12 : 1); m++) {
      if (f->kind == WP_F_NUM12)
        snprintf(names[n], sizeof names[n], "%s_%s", f->key, month_suffix[m]);
      else
        snprintf(names[n], sizeof names[n], "%s", f->key);
      cols[n] = (wp_csv_column){names[n], required};
      field[n] = f;
      month[n++] = m;
    }
  }
  return n;
}

/* One cell of a sites CSV into row (an empty cell keeps the default). */
static wp_status site_cell(const wp_csv *c, size_t r, size_t at, const char *column,
                           const wp_field *f, int month, site_row *row, wp_error *err)
{
  if (wp_csv_empty(c, r, at)) return WP_OK;
  char *dst = (char *)row + f->offset;
  const char *text = wp_csv_cell(c, r, at);
  const wp_range range = {f->min, f->max, f->min_open, f->max_open, f->unit};
  double d;
  wp_status st;
  switch (f->kind) {
  case WP_F_NUM:
  case WP_F_NUM12:
    if ((st = wp_csv_number(c, r, at, column, &range, 0, &d, err))) return st;
    memcpy(dst + (size_t)month * sizeof d, &d, sizeof d);
    return WP_OK;
  case WP_F_INT: {
    if ((st = wp_csv_number(c, r, at, column, &range, 1, &d, err))) return st;
    int64_t i = (int64_t)d;
    memcpy(dst, &i, sizeof i);
    return WP_OK;
  }
  case WP_F_BOOL: {
    int b = !strcmp(text, "true") || !strcmp(text, "TRUE")     ? 1
            : !strcmp(text, "false") || !strcmp(text, "FALSE") ? 0
                                                               : -1;
    if (b < 0)
      return wp_csv_error(c, r, at, column, WP_EPARSE, err, "'%.60s' is not true or false", text);
    memcpy(dst, &b, sizeof b);
    return WP_OK;
  }
  case WP_F_STR:
    if (strlen(text) >= f->size)
      return wp_csv_error(c, r, at, column, WP_EPARSE, err, "'%.60s' is longer than %zu characters",
                          text, f->size - 1);
    memcpy(dst, text, strlen(text) + 1);
    return WP_OK;
  case WP_F_ENUM: {
    char accepted[200] = "";
    for (int i = 0; i < f->count; i++) {
      if (!strcmp(text, f->name_of(i))) {
        memcpy(dst, &i, sizeof i);
        return WP_OK;
      }
      strncat(accepted, i ? ", " : "", sizeof accepted - strlen(accepted) - 1);
      strncat(accepted, f->name_of(i), sizeof accepted - strlen(accepted) - 1);
    }
    return wp_csv_error(c, r, at, column, WP_EPARSE, err, "'%.60s' is not accepted; accepted: %s",
                        text, accepted);
  }
  case WP_F_ENUMSET: { /* names separated by ';' (a cell holds no list) */
    unsigned set = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", text);
    for (char *t = buf, *next; t; t = next) {
      next = strchr(t, ';');
      if (next) *next++ = '\0';
      while (*t == ' ') t++;
      int i = (int)f->min;
      while (i < f->count && strcmp(t, f->name_of(i)) != 0) i++;
      if (i == f->count)
        return wp_csv_error(c, r, at, column, WP_EPARSE, err,
                            "'%.60s' is not accepted; accepted: names separated by ';'", t);
      set |= 1u << i;
    }
    memcpy(dst, &set, sizeof set);
    return WP_OK;
  }
  case WP_F_YM:
  case WP_F_NUMS:
    break;
  }
  return wp_csv_error(c, r, at, column, WP_EPARSE, err, "unsupported column kind");
}

/* A row's checks that the YAML sites get in bind_sites, positioned in the CSV. */
static wp_status site_row_check(const wp_csv *c, size_t r, const int *at, size_t ncols,
                                const char (*names)[32], const site_row *row, wp_error *err)
{
  size_t k_name = 0, k_grid = 0, k_ppa = 0, k_design = 0;
  for (size_t k = 0; k < ncols; k++) {
    if (!strcmp(names[k], "name")) k_name = k;
    if (!strcmp(names[k], "grid_mw")) k_grid = k;
    if (!strcmp(names[k], "ppa_mw")) k_ppa = k;
    if (!strcmp(names[k], "design_c")) k_design = k;
  }
  if (wp_csv_empty(c, r, (size_t)at[k_name]))
    return wp_csv_error(c, r, (size_t)at[k_name], "name", WP_EPARSE, err,
                        "empty; every site needs a name");
  if (wp_csv_empty(c, r, (size_t)at[k_grid]))
    return wp_csv_error(c, r, (size_t)at[k_grid], "grid_mw", WP_EPARSE, err,
                        "empty; every site needs its grid MW");
  const wp_site *s = &row->site;
  if (s->ppa.fixed_mw > s->grid_mw)
    return wp_csv_error(c, r, at[k_ppa] >= 0 ? (size_t)at[k_ppa] : 0, "ppa_mw", WP_EPARSE, err,
                        "%g exceeds the site's grid_mw %g", s->ppa.fixed_mw, s->grid_mw);
  for (int m = 0; m < 12; m++)
    if (s->monthly_c[m] > s->design_c)
      return wp_csv_error(c, r, at[k_design] >= 0 ? (size_t)at[k_design] : 0, "design_c", WP_EPARSE,
                          err,
                          "design_c %g is below monthly_c_%s %g; the design temperature is the "
                          "hottest condition",
                          s->design_c, month_suffix[m], s->monthly_c[m]);
  return WP_OK;
}

wp_status wp_scenario_sites_csv_parse(wp_scenario *sc, const char *text, size_t len,
                                      const char *name, char (*power_file)[256], int *lines,
                                      wp_error *err)
{
  wp_csv c = WP_CSV_INIT;
  wp_csv_column cols[SITE_COLUMNS_MAX];
  const wp_field *field[SITE_COLUMNS_MAX];
  int month[SITE_COLUMNS_MAX], at[SITE_COLUMNS_MAX];
  char names[SITE_COLUMNS_MAX][32];
  const size_t ncols = site_columns(cols, field, month, names);
  wp_status st = wp_csv_parse(&c, name, text, len, WP_CSV_COMMENTS, err);
  if (!st) st = wp_csv_header(&c, 0, cols, ncols, at, err);
  if (!st && c.nrows < 2)
    st = wp_error_set(err, WP_EPARSE, "%s:%d: no sites after the header", c.name, c.end_line);
  if (!st && c.nrows - 1 > WP_SCENARIO_MAX_SITES)
    st = wp_error_set(err, WP_EPARSE, "%s:%d: %zu sites; at most %d are accepted", c.name,
                      c.rows[WP_SCENARIO_MAX_SITES + 1].line, c.nrows - 1, WP_SCENARIO_MAX_SITES);
  const site_row def = {.site = wp_scenario_site_default(sc), .status = 0};
  for (size_t r = 1; !st && r < c.nrows; r++) {
    site_row row = def;
    st = wp_csv_check_width(&c, r, c.rows[0].nfields, "the header's columns", err);
    for (size_t k = 0; !st && k < ncols; k++)
      if (at[k] >= 0) st = site_cell(&c, r, (size_t)at[k], names[k], field[k], month[k], &row, err);
    if (!st) st = site_row_check(&c, r, at, ncols, (const char(*)[32])names, &row, err);
    if (st) break;
    sc->sites[r - 1] = row.site;
    snprintf(sc->sites[r - 1].status, sizeof sc->sites[r - 1].status, "%s",
             status_name_of(row.status));
    memcpy(power_file[r - 1], row.power_file, sizeof power_file[r - 1]);
    if (lines) lines[r - 1] = c.rows[r].line;
    sc->nsites = r;
  }
  wp_csv_release(&c);
  return st;
}

/* The value v of a top-level file key (a scalar path) resolved against the scenario's path. */
static wp_status file_key(const wp_yaml *y, struct fy_node *v, const char *key, const char *path,
                          char *resolved, size_t n, wp_error *err)
{
  size_t len = 0;
  const char *name = fy_node_is_scalar(v) ? fy_node_get_scalar(v, &len) : NULL;
  char file[1024];
  if (!name || len == 0 || len >= sizeof file)
    return wp_yaml_error(y, v, WP_EPARSE, key, err, "expected the path of a CSV file");
  snprintf(file, sizeof file, "%.*s", (int)len, name);
  if (!resolve(path, file, resolved, n))
    return wp_yaml_error(y, v, WP_EINVAL, key, err, "path too long");
  return WP_OK;
}

/* Where the sites came from when a sites_file gave them: its path and each site's line, so the
** cross-field checks ("sites[3].country: ...") point into the CSV. */
typedef struct sites_origin {
  int set;
  char file[4096];
  int line[WP_SCENARIO_MAX_SITES];
} sites_origin;

/* sites_file: the site list from a CSV (relative to the scenario's directory); not with sites:. */
static wp_status load_sites_file(wp_scenario *sc, const wp_yaml *y, struct fy_node *root,
                                 const char *path, char (*power_file)[256], sites_origin *so,
                                 wp_error *err)
{
  struct fy_node *v = wp_yaml_get(root, "sites_file");
  char resolved[4096];
  if (!v) return WP_OK;
  if (wp_yaml_get(root, "sites"))
    return wp_yaml_error(y, wp_yaml_key_node(root, "sites_file"), WP_EPARSE, "sites_file", err,
                         "give the sites either as a list (sites:) or as a CSV (sites_file:), "
                         "not both");
  wp_status st = file_key(y, v, "sites_file", path, resolved, sizeof resolved, err);
  if (st) return st;
  char *text = NULL;
  size_t n = 0;
  wp_error inner = WP_ERROR_INIT;
  st = wp_io_read_file(resolved, WP_YAML_MAX_BYTES, &text, &n, &inner);
  if (!st) st = wp_scenario_sites_csv_parse(sc, text, n, resolved, power_file, so->line, &inner);
  free(text);
  if (st) return wp_yaml_error(y, v, st, "sites_file", err, "%s", inner.msg);
  so->set = 1;
  snprintf(so->file, sizeof so->file, "%s", resolved);
  return WP_OK;
}

/* Take ownership of a series loaded for sc. */
static wp_status own_series(wp_scenario *sc, wp_market_series *s, wp_market_series **out,
                            wp_error *err)
{
  wp_market_series *p = malloc(sizeof *p);
  if (!p) {
    wp_market_series_release(s);
    return wp_error_set(err, WP_ENOMEM, "scenario: out of memory");
  }
  *p = *s;
  if (out)
    *out = p;
  else
    sc->series[sc->nseries++] = p;
  return WP_OK;
}

/* Each site's power_file (relative to the scenario's directory). */
static wp_status load_power_files(wp_scenario *sc, const wp_yaml *y, struct fy_node *root,
                                  const char *path, char (*power_file)[256], wp_error *err)
{
  const int from_csv = wp_yaml_get(root, "sites_file") != NULL;
  for (size_t i = 0; i < sc->nsites; i++) {
    sc->sites[i].power_series = NULL;
    if (!power_file[i][0]) continue;
    char where[48], resolved[4096];
    snprintf(where, sizeof where, "sites[%zu].power_file", i);
    struct fy_node *at =
        from_csv ? wp_yaml_get(root, "sites_file")
                 : wp_yaml_get(fy_node_sequence_get_by_index(wp_yaml_get(root, "sites"), (int)i),
                               "power_file");
    if (!resolve(path, power_file[i], resolved, sizeof resolved))
      return wp_yaml_error(y, at, WP_EINVAL, where, err, "path too long");
    wp_market_series s = WP_MARKET_SERIES_INIT;
    wp_error inner = WP_ERROR_INIT;
    wp_status st = wp_market_file_read(resolved, WP_MARKET_FILE_POWER_ONLY, &s, &inner);
    if (!st) st = own_series(sc, &s, NULL, &inner);
    if (st) return wp_yaml_error(y, at, st, where, err, "%s", inner.msg);
    sc->sites[i].power_series = sc->series[sc->nseries - 1];
  }
  return WP_OK;
}

/* market_file: monthly overrides of the deterministic market path. */
static wp_status load_market_file(wp_scenario *sc, const wp_yaml *y, struct fy_node *root,
                                  const char *path, wp_error *err)
{
  struct fy_node *v = wp_yaml_get(root, "market_file");
  char resolved[4096];
  if (!v) return WP_OK;
  wp_status st = file_key(y, v, "market_file", path, resolved, sizeof resolved, err);
  if (st) return st;
  wp_market_series s = WP_MARKET_SERIES_INIT;
  wp_error inner = WP_ERROR_INIT;
  st = wp_market_file_read(resolved, WP_MARKET_FILE_ALL, &s, &inner);
  if (!st) st = own_series(sc, &s, &sc->market_series, &inner);
  if (st) return wp_yaml_error(y, v, st, "market_file", err, "%s", inner.msg);
  return WP_OK;
}

/* Series of an earlier load of sc, released before a new one. */
static void release_series(wp_scenario *sc)
{
  wp_market_series_release(sc->market_series);
  free(sc->market_series);
  sc->market_series = NULL;
  for (size_t i = 0; i < sc->nseries; i++) {
    wp_market_series_release(sc->series[i]);
    free(sc->series[i]);
  }
  sc->nseries = 0;
  for (size_t i = 0; i < WP_SCENARIO_MAX_SITES; i++)
    sc->sites[i].power_series = NULL;
}

static wp_status load_doc(wp_scenario *sc, const wp_yaml *y, const char *file, sites_origin *so,
                          wp_error *err)
{
  struct fy_node *root = wp_yaml_root(y);
  if (!root)
    return wp_error_set(err, WP_EPARSE, "%s: the scenario is empty; see `wattpivot scenario init`",
                        y->name);
  /* Each part in turn; with a sink every part is bound whatever failed before (the first
     failure returned), without one the first failure ends the load. */
  wp_status first = WP_OK;
#define PART(expr)                                                                                 \
  do {                                                                                             \
    const size_t seen_ = y->sink ? y->sink->n : 0;                                                 \
    wp_status st_ = (expr);                                                                        \
    if (st_ && !y->sink) return st_;                                                               \
    if (st_ && err && y->sink->n == seen_) wp_yaml_sink_add(y->sink, err); /* not said by yaml */  \
    if (st_ && !first) first = st_;                                                                \
  } while (0)
  /* PART with power_file to free on the way out. */
#define PART_FREE(expr)                                                                            \
  do {                                                                                             \
    const size_t seen_ = y->sink ? y->sink->n : 0;                                                 \
    wp_status st_ = (expr);                                                                        \
    if (st_ && !y->sink) {                                                                         \
      free(power_file);                                                                            \
      return st_;                                                                                  \
    }                                                                                              \
    if (st_ && err && y->sink->n == seen_) wp_yaml_sink_add(y->sink, err);                         \
    if (st_ && !first) first = st_;                                                                \
  } while (0)
  PART(wp_yaml_bind(y, root, "", NULL, 0, top_sections, sc, NULL, err));
  for (size_t k = 0; k < N(sections); k++)
    PART(bind_section(y, root, &sections[k], sc, err));
  /* The file names each pair once (upper triangle); the matrix is symmetric. */
  for (int a = 0; a < WP_RISK_FACTORS; a++)
    for (int b = a + 1; b < WP_RISK_FACTORS; b++)
      sc->risk.corr[b][a] = sc->risk.corr[a][b];
  PART(load_btc_history(sc, y, root, file, err));
  PART(bind_list(y, root, "countries", country_fields, N(country_fields), sc->countries,
                 sizeof sc->countries[0], WP_SCENARIO_MAX_COUNTRIES, &sc->ncountries, NULL, "name",
                 err));
  PART(bind_list(y, root, "regions", region_fields, N(region_fields), sc->regions,
                 sizeof sc->regions[0], WP_SCENARIO_MAX_REGIONS, &sc->nregions, NULL, "name", err));
  release_series(sc);
  char(*power_file)[256] = calloc(WP_SCENARIO_MAX_SITES, sizeof *power_file);
  if (!power_file) return wp_error_set(err, WP_ENOMEM, "scenario: out of memory");
  PART_FREE(bind_sites(sc, y, root, power_file, err));
  PART_FREE(load_sites_file(sc, y, root, file, power_file, so, err));
  PART_FREE(load_power_files(sc, y, root, file, power_file, err));
  free(power_file);
  PART(load_market_file(sc, y, root, file, err));
  PART(bind_list(y, root, "custom", custom_fields, N(custom_fields), sc->custom,
                 sizeof sc->custom[0], WP_SCENARIO_MAX_CUSTOM, &sc->ncustom, NULL, "site", err));
#undef PART
#undef PART_FREE
  for (size_t i = 0; i < sc->ncustom; i++)
    if (sc->custom[i].convert_fraction <= 0) sc->custom[i].convert_fraction = 1.0;
  return first;
}

/* Cross-field checks with positions: the check's message starts with the key path it is about
** ("sites[3].country: ...", "finance: ...", "scenario.horizon_months 600 ..."), which is looked up
** in the document for its line and column (as far as the file has it). */
/* A cross-field error with its position: the check's message starts with the key path it is
** about ("sites[3].country: ...", "finance: ...", "scenario.horizon_months 600 ..."), which is
** looked up in the document for its line and column (as far as the file has it). */
typedef struct check_ctx {
  const wp_yaml *y;
  const sites_origin *so;
} check_ctx;

static void with_position(const check_ctx *cx, const wp_error *e, wp_error *out)
{
  const wp_yaml *y = cx->y;
  size_t len = strcspn(e->msg, ": ");
  size_t i = 0;
  int used = 0;
  if (cx->so->set && sscanf(e->msg, "sites[%zu]%n", &i, &used) == 1 && used > 0 &&
      i < WP_SCENARIO_MAX_SITES) {
    wp_error_set(out, e->code, "%s: sites_file: %s:%d: %s", y->name, cx->so->file, cx->so->line[i],
                 e->msg);
    return;
  }
  struct fy_node *at = wp_yaml_find(wp_yaml_root(y), e->msg, len);
  int line = 0, col = 0;
  if (at && wp_yaml_position(at, &line, &col))
    wp_error_set(out, e->code, "%s:%d:%d: %s", y->name, line, col, e->msg);
  else
    wp_error_set(out, e->code, "%s: %s", y->name, e->msg);
}

static void add_with_position(void *ctx, const wp_error *e)
{
  const check_ctx *cx = ctx;
  wp_error p = WP_ERROR_INIT;
  with_position(cx, e, &p);
  wp_yaml_sink_add(cx->y->sink, &p);
}

/* Cross-field checks (wattpivot/scenario.h), each error with its position; with a sink, every
** one of them. */
static wp_status check_with_positions(const wp_scenario *sc, const wp_yaml *y,
                                      const sites_origin *so, wp_error *err)
{
  wp_error e = WP_ERROR_INIT;
  check_ctx cx = {y, so};
  wp_status st = wp_scenario_check_each(sc, y->sink ? add_with_position : NULL, &cx, &e);
  if (st) with_position(&cx, &e, err ? err : &(wp_error)WP_ERROR_INIT);
  return st;
}

static wp_status load(wp_scenario *sc, const char *name, const char *path, const char *text,
                      wp_yaml_sink *sink, wp_error *err)
{
  wp_yaml y;
  wp_status st = wp_yaml_load(&y, name, path, text, err);
  if (st) {
    if (sink && err) wp_yaml_sink_add(sink, err);
    return st;
  }
  y.sink = sink;
  sites_origin *so = calloc(1, sizeof *so);
  if (!so) {
    wp_yaml_release(&y);
    return wp_error_set(err, WP_ENOMEM, "scenario: out of memory");
  }
  st = load_doc(sc, &y, path, so, err);
  /* Cross-field checks read bound values: only when every key bound. */
  if (st == WP_OK) st = check_with_positions(sc, &y, so, err);
  free(so);
  wp_yaml_release(&y);
  return st;
}

wp_status wp_scenario_validate(const char *path, const char *text, const char *name, wp_error *errs,
                               size_t max, size_t *nerrs)
{
  if (nerrs) *nerrs = 0;
  if ((!path && !text) || (max && !errs))
    return wp_error_set(max ? errs : NULL, WP_EINVAL, "scenario validate: NULL argument");
  wp_scenario *sc = wp_scenario_new();
  if (!sc) return WP_ENOMEM;
  wp_yaml_sink sink = {.items = errs, .max = max, .n = 0};
  wp_error first = WP_ERROR_INIT;
  wp_status st = load(sc,
                      name   ? name
                      : path ? path
                             : "text",
                      text ? NULL : path, text, &sink, &first);
  wp_scenario_free(sc);
  if (st && sink.n == 0) wp_yaml_sink_add(&sink, &first);
  if (nerrs) *nerrs = sink.n;
  return st;
}

wp_status wp_scenario_load_file(wp_scenario *sc, const char *path, wp_error *err)
{
  if (!sc || !path) return wp_error_set(err, WP_EINVAL, "scenario: NULL argument");
  wp_status st = load(sc, path, path, NULL, NULL, err);
  if (st == WP_OK) snprintf(sc->source, sizeof sc->source, "%s", path);
  return st;
}

wp_status wp_scenario_load_text(wp_scenario *sc, const char *name, const char *text, wp_error *err)
{
  if (!sc || !text) return wp_error_set(err, WP_EINVAL, "scenario: NULL argument");
  wp_status st = load(sc, name, NULL, text, NULL, err);
  if (st == WP_OK) snprintf(sc->source, sizeof sc->source, "%s", name ? name : "<text>");
  return st;
}

wp_status wp_scenario_load_default(wp_scenario *sc, wp_error *err)
{
  return wp_scenario_load_text(sc, "built-in default", wp_scenario_default_text(), err);
}

const char *wp_scenario_default_text(void)
{
  return (const char *)wp_default_scenario_yaml;
}

wp_status wp_scenario_read_text(const char *path, size_t max_bytes, char **text, wp_error *err)
{
  return wp_io_read_text(path, max_bytes, text, NULL, err);
}

wp_status wp_scenario_write_default(const char *path, int overwrite, wp_error *err)
{
  return wp_scenario_write_text(path, wp_scenario_default_text(), overwrite, err);
}

wp_status wp_scenario_write_text(const char *path, const char *text, int overwrite, wp_error *err)
{
  if (!path || !text) return wp_error_set(err, WP_EINVAL, "scenario write: NULL argument");
  size_t len = strlen(text);
  if (strcmp(path, "-") == 0) {
    if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
      return wp_error_set(err, WP_EIO, "cannot write to standard output: %s", strerror(errno));
    return WP_OK;
  }
  if (!overwrite && access(path, F_OK) == 0)
    return wp_error_set(err, WP_EIO, "%s exists; use --force to overwrite it", path);
  char tmp[4096];
  if ((size_t)snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid()) >= sizeof tmp)
    return wp_error_set(err, WP_EINVAL, "path too long: %s", path);
  FILE *f = fopen(tmp, "wb");
  if (!f) return wp_error_set(err, WP_EIO, "cannot create %s: %s", path, strerror(errno));
  int ok = fwrite(text, 1, len, f) == len;
  ok = (fclose(f) == 0) && ok;
  if (!ok || rename(tmp, path) != 0) {
    wp_status st = wp_error_set(err, WP_EIO, "cannot write %s: %s", path, strerror(errno));
    remove(tmp);
    return st;
  }
  return WP_OK;
}

/* value as one YAML scalar (double-quoted unless it is a flow list "[...]" or plain-safe). */
static void yaml_value(char *out, size_t n, const char *value)
{
  if (value[0] == '[' || strcspn(value, ":#{}[],&*!|>'\"%@`\\") == strlen(value)) {
    snprintf(out, n, "%s", value);
    return;
  }
  size_t at = 0;
  if (at + 1 < n) out[at++] = '"';
  for (const char *p = value; *p && at + 3 < n; p++) {
    if (*p == '"' || *p == '\\') out[at++] = '\\';
    out[at++] = *p;
  }
  if (at + 1 < n) out[at++] = '"';
  out[at < n ? at : n - 1] = '\0';
}

/* Bind the one-key text "key: value" with fields into target, messages naming where. */
static wp_status set_one(const char *where, const char *path, const char *key, const char *value,
                         const wp_field *fields, size_t nfields, void *target, wp_error *err)
{
  char text[1024], v[900];
  yaml_value(v, sizeof v, value);
  if ((size_t)snprintf(text, sizeof text, "%s: %s\n", key, v) >= sizeof text)
    return wp_error_set(err, WP_EINVAL, "%s: the value is too long", where);
  wp_yaml y;
  wp_status st = wp_yaml_load(&y, where, NULL, text, err);
  if (st) return st;
  st = wp_yaml_bind(&y, wp_yaml_root(&y), path, fields, nfields, NULL, target, NULL, err);
  wp_yaml_release(&y);
  /* The one-line text's line and column say nothing: "--set A=B:1:16: msg" -> "--set A=B: msg" */
  size_t wl = strlen(where);
  int line, col, used = 0;
  if (st && err && strncmp(err->msg, where, wl) == 0 &&
      sscanf(err->msg + wl, ":%d:%d: %n", &line, &col, &used) == 2 && used > 0)
    memmove(err->msg + wl + 2, err->msg + wl + used, strlen(err->msg + wl + used) + 1),
        err->msg[wl] = ':', err->msg[wl + 1] = ' ';
  return st;
}

wp_status wp_scenario_set(wp_scenario *sc, const char *assignment, wp_error *err)
{
  if (!sc || !assignment) return wp_error_set(err, WP_EINVAL, "--set: NULL argument");
  char where[160];
  snprintf(where, sizeof where, "--set %s", assignment);
  const char *eq = strchr(assignment, '=');
  if (!eq || eq == assignment || !eq[1])
    return wp_error_set(err, WP_EINVAL, "%s: expected KEY.PATH=VALUE (e.g. market.btc_price_usd=80000)",
                        where);
  char path[160];
  if ((size_t)(eq - assignment) >= sizeof path)
    return wp_error_set(err, WP_EINVAL, "%s: the key path is too long", where);
  snprintf(path, sizeof path, "%.*s", (int)(eq - assignment), assignment);
  const char *value = eq + 1;
  if (strncmp(path, "sites[", 6) == 0) {
    /* sites[INDEX].key or sites[NAME].key */
    const char *close = strchr(path, ']');
    if (!close || close[1] != '.' || !close[2])
      return wp_error_set(err, WP_EINVAL, "%s: expected sites[INDEX or NAME].key", where);
    char which[96];
    snprintf(which, sizeof which, "%.*s", (int)(close - path - 6), path + 6);
    char *end = NULL;
    long i = strtol(which, &end, 10);
    if (!which[0] || *end != '\0') i = wp_scenario_site_index(sc, which);
    if (i < 0 || (size_t)i >= sc->nsites)
      return wp_error_set(err, WP_EINVAL, "%s: no site %s (the scenario has %zu sites)", where,
                          which, sc->nsites);
    if (strcmp(close + 2, "power_file") == 0)
      return wp_error_set(err, WP_EINVAL,
                          "%s: power_file is read when the scenario file loads; set it in the file",
                          where);
    site_row row = {.site = sc->sites[i], .status = 0};
    for (int s = 0; s < (int)N(status_names); s++)
      if (strcmp(sc->sites[i].status, status_names[s]) == 0) row.status = s;
    char item[32];
    snprintf(item, sizeof item, "sites[%ld]", i);
    wp_status st = set_one(where, item, close + 2, value, site_fields, N(site_fields), &row, err);
    if (st) return st;
    sc->sites[i] = row.site;
    snprintf(sc->sites[i].status, sizeof sc->sites[i].status, "%s", status_name_of(row.status));
    return WP_OK;
  }
  const char *dot = strchr(path, '.');
  size_t seclen = dot ? (size_t)(dot - path) : strlen(path);
  for (size_t k = 0; k < N(sections); k++) {
    const wp_scenario_section *sec = &sections[k];
    if (strlen(sec->key) != seclen || strncmp(sec->key, path, seclen) != 0) continue;
    if (!dot || !dot[1])
      return wp_error_set(err, WP_EINVAL, "%s: name a key of %s: (e.g. %s.%s)", where, sec->key,
                          sec->key, sec->fields[0].key);
    wp_status st = set_one(where, sec->key, dot + 1, value, sec->fields, sec->nfields,
                           (char *)sc + sec->offset, err);
    if (st) return st;
    /* --set market.preset=NAME applies the preset's values over the current ones (a later
       --set of one of its keys overrides it again). */
    if (strcmp(sec->key, "market") == 0 && strcmp(dot + 1, "preset") == 0)
      wp_market_apply_preset(&sc->market, sc->market.preset, NULL);
    for (int a = 0; a < WP_RISK_FACTORS; a++) /* a correlation names its pair once */
      for (int b = a + 1; b < WP_RISK_FACTORS; b++) sc->risk.corr[b][a] = sc->risk.corr[a][b];
    return WP_OK;
  }
  const char *names[N(sections) + 1];
  for (size_t k = 0; k < N(sections); k++) names[k] = sections[k].key;
  names[N(sections)] = "sites[...]";
  char sec[64];
  snprintf(sec, sizeof sec, "%.*s", (int)(seclen < 63 ? seclen : 63), path);
  wp_error e = WP_ERROR_INIT;
  wp_error_unknown_name(&e, "section", sec, names, N(sections) + 1);
  return wp_error_set(err, WP_EINVAL, "%s: %s", where, e.msg);
}

/* ---------------------------------------------------------------- canonical text and hash */

/* d as the shortest of %.15g, %.16g, %.17g that reads back exactly (for people). */
static void shortest_num(wp_sbuf *b, double d)
{
  char t[40];
  for (int p = 15; p <= 17; p++) {
    snprintf(t, sizeof t, "%.*g", p, d);
    if (p == 17 || strtod(t, NULL) == d) break;
  }
  wp_sbuf_puts(b, t);
}

/* d as %.17g (the canonical text: it reads back exactly), or with shortest as shortest_num. */
static void put_num(wp_sbuf *b, double d, int shortest)
{
  if (shortest)
    shortest_num(b, d);
  else
    wp_sbuf_printf(b, "%.17g", d);
}

/* The value of field f of the struct at base, as text: numbers %.17g (they read back exactly;
** the canonical text), or with shortest the shortest text that reads back exactly. */
static void field_text(wp_sbuf *b, const wp_field *f, const char *base, int shortest)
{
  const void *v = base + f->offset;
  switch (f->kind) {
  case WP_F_NUM: {
    double d;
    memcpy(&d, v, sizeof d);
    if (shortest && isnan(d))
      wp_sbuf_puts(b, "unset"); /* a rate left to its default (the hurdle's) */
    else
      put_num(b, d, shortest);
    break;
  }
  case WP_F_INT: {
    int64_t i;
    memcpy(&i, v, sizeof i);
    wp_sbuf_printf(b, "%lld", (long long)i);
    break;
  }
  case WP_F_BOOL: {
    int i;
    memcpy(&i, v, sizeof i);
    wp_sbuf_puts(b, i ? "true" : "false");
    break;
  }
  case WP_F_ENUM: {
    int i;
    memcpy(&i, v, sizeof i);
    wp_sbuf_puts(b, f->name_of ? f->name_of(i) : "?");
    break;
  }
  case WP_F_STR: {
    const char *t = (const char *)v;
    for (size_t k = 0; k < f->size && t[k]; k++) {
      if (t[k] == '\\')
        wp_sbuf_puts(b, "\\\\");
      else if (t[k] == '\n')
        wp_sbuf_puts(b, "\\n");
      else if (t[k] == '\r')
        wp_sbuf_puts(b, "\\r");
      else
        wp_sbuf_add(b, &t[k], 1);
    }
    break;
  }
  case WP_F_YM: {
    wp_ym ym;
    memcpy(&ym, v, sizeof ym);
    wp_sbuf_printf(b, "%04d-%02d", ym.year, ym.month);
    break;
  }
  case WP_F_NUMS: {
    size_t count;
    memcpy(&count, v, sizeof count);
    for (size_t k = 0; k < count && k < f->size; k++) {
      double d;
      memcpy(&d, (const char *)v + sizeof count + k * sizeof d, sizeof d);
      if (k) wp_sbuf_puts(b, ",");
      put_num(b, d, shortest);
    }
    break;
  }
  case WP_F_ENUMSET: {
    unsigned set;
    memcpy(&set, v, sizeof set);
    int first = 1;
    for (int i = 0; i < f->count; i++)
      if (set & (1u << i)) {
        wp_sbuf_printf(b, "%s%s", first ? "" : ";", f->name_of(i));
        first = 0;
      }
    break;
  }
  case WP_F_NUM12: {
    double d[12];
    memcpy(d, v, sizeof d);
    for (int k = 0; k < 12; k++) {
      if (k) wp_sbuf_puts(b, ",");
      put_num(b, d[k], shortest);
    }
    break;
  }
  }
}

/* One "prefix.key=value" line for field f of the struct at base. */
static void canon_field(wp_sbuf *b, const char *prefix, const wp_field *f, const char *base)
{
  wp_sbuf_printf(b, "%s.%s=", prefix, f->key);
  field_text(b, f, base, 0);
  wp_sbuf_puts(b, "\n");
}

static void canon_item(wp_sbuf *b, const char *list, size_t i, const wp_scenario_section *l,
                       const void *item)
{
  char prefix[48];
  snprintf(prefix, sizeof prefix, "%s[%zu]", list, i);
  for (size_t f = 0; f < l->nfields; f++)
    canon_field(b, prefix, &l->fields[f], item);
}

/* "prefix[YYYY-MM].column=value" for every value a series gives (NaN: not given). */
static void canon_series(wp_sbuf *b, const char *prefix, const wp_market_series *s)
{
  const struct {
    const char *name;
    const double *v;
  } cols[] = {{"btc_price_usd", s->btc_price_usd},
              {"difficulty", s->difficulty},
              {"hashprice_usd_per_ph_day", s->hashprice_usd_per_ph_day},
              {"fees_btc_per_block", s->fees_btc_per_block},
              {"power_usd_per_mwh", s->power_usd_per_mwh},
              {"gpu_usd_per_hour", s->gpu_usd_per_hour},
              {"colo_usd_per_kw_month", s->colo_usd_per_kw_month}};
  for (size_t m = 0; m < s->months; m++) {
    const wp_ym ym = wp_calendar_add_months(s->start, (int64_t)m);
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
      if (cols[c].v && !isnan(cols[c].v[m]))
        wp_sbuf_printf(b, "%s[%04d-%02d].%s=%.17g\n", prefix, ym.year, ym.month, cols[c].name,
                       cols[c].v[m]);
  }
}

wp_status wp_scenario_canonical_text(const wp_scenario *sc, char **text, wp_error *err)
{
  if (!sc || !text) return wp_error_set(err, WP_EINVAL, "scenario canonical text: NULL argument");
  *text = NULL;
  wp_sbuf b = WP_SBUF_INIT;
  wp_sbuf_puts(&b, "wattpivot scenario 1\n"); /* the text's own format version */
  for (size_t s = 0; s < N(sections); s++)
    for (size_t f = 0; f < sections[s].nfields; f++) {
      if (s == 0 && strcmp(sections[s].fields[f].key, "name") == 0) continue; /* a label */
      canon_field(&b, sections[s].key, &sections[s].fields[f],
                  (const char *)sc + sections[s].offset);
    }
  size_t nl = 0;
  const wp_scenario_section *lists = wp_scenario_lists(&nl);
  for (size_t l = 0; l < nl; l++) {
    const char *key = lists[l].key;
    if (strcmp(key, "countries") == 0)
      for (size_t i = 0; i < sc->ncountries; i++)
        canon_item(&b, key, i, &lists[l], &sc->countries[i]);
    else if (strcmp(key, "regions") == 0)
      for (size_t i = 0; i < sc->nregions; i++)
        canon_item(&b, key, i, &lists[l], &sc->regions[i]);
    else if (strcmp(key, "custom") == 0)
      for (size_t i = 0; i < sc->ncustom; i++)
        canon_item(&b, key, i, &lists[l], &sc->custom[i]);
    else if (strcmp(key, "sites") == 0)
      for (size_t i = 0; i < sc->nsites; i++) {
        /* a site's row as the file binds it: the site, and its status as a choice */
        site_row row = {.site = sc->sites[i], .status = 0};
        for (int k = 0; k < (int)N(status_names); k++)
          if (strcmp(sc->sites[i].status, status_names[k]) == 0) row.status = k;
        canon_item(&b, key, i, &lists[l], &row);
      }
  }
  /* The files' months (market_file:, each site's power_file:): every value given. */
  if (sc->market_series) canon_series(&b, "market_file", sc->market_series);
  for (size_t i = 0; i < sc->nsites; i++)
    if (sc->sites[i].power_series) {
      char prefix[48];
      snprintf(prefix, sizeof prefix, "sites[%zu].power_file", i);
      canon_series(&b, prefix, sc->sites[i].power_series);
    }
  const wp_risk_assumptions *r = &sc->risk;
  if (r->btc_model == WP_RISK_BTC_BOOTSTRAP)
    for (size_t j = 0; j < r->btc_history_n && j < WP_RISK_HISTORY_MAX; j++)
      wp_sbuf_printf(&b, "risk.btc_history_std[%zu]=%.17g\n", j, r->btc_history_std[j]);
  *text = wp_sbuf_take(&b);
  if (!*text) return wp_error_set(err, WP_ENOMEM, "scenario canonical text: out of memory");
  return WP_OK;
}

void wp_hash_fnv1a64_hex(const void *bytes, size_t n, char hex[WP_SCENARIO_HASH_SIZE])
{
  uint64_t h = 0xcbf29ce484222325u;
  const unsigned char *p = bytes;
  for (size_t i = 0; p && i < n; i++) {
    h ^= p[i];
    h *= 0x100000001b3u;
  }
  snprintf(hex, WP_SCENARIO_HASH_SIZE, "%016llx", (unsigned long long)h);
}

wp_status wp_scenario_hash(const wp_scenario *sc, char hex[WP_SCENARIO_HASH_SIZE], wp_error *err)
{
  if (!hex) return wp_error_set(err, WP_EINVAL, "scenario hash: NULL argument");
  hex[0] = '\0';
  char *text = NULL;
  wp_status st = wp_scenario_canonical_text(sc, &text, err);
  if (st) return st;
  wp_hash_fnv1a64_hex(text, strlen(text), hex);
  free(text);
  return WP_OK;
}

/* ---------------------------------------------------------------- every value and its origin */

/* Whether one of the --set assignments changes key ("section.key", "sites[NAME].key" or
** "sites[INDEX].key" for item i named name). */
static int set_by_assignment(const char *const *sets, size_t nsets, const char *list,
                             size_t i, const char *name, const char *key)
{
  char a[160], b[160], c[160];
  if (list) {
    snprintf(a, sizeof a, "%s[%s].%s=", list, name ? name : "", key);
    snprintf(b, sizeof b, "%s[%zu].%s=", list, i, key);
  } else {
    snprintf(a, sizeof a, "%s=", key);
    b[0] = 0;
  }
  for (size_t k = 0; k < nsets; k++) {
    snprintf(c, sizeof c, "%s", sets[k]);
    char *eq = strchr(c, '=');
    if (!eq) continue;
    /* tolerate blanks around '=' as wp_scenario_set does */
    char *e = eq;
    while (e > c && (e[-1] == ' ' || e[-1] == '\t')) e--;
    memmove(e, eq, strlen(eq) + 1);
    if (strncmp(c, a, strlen(a)) == 0 || (b[0] && strncmp(c, b, strlen(b)) == 0)) return 1;
  }
  return 0;
}

static wp_status push_value(wp_scenario_value **out, size_t *n, size_t *cap, const char *key,
                            const char *value, const char *unit, const char *origin,
                            wp_error *err)
{
  if (*n == *cap) {
    size_t nc = *cap ? 2 * *cap : 256;
    wp_scenario_value *p = realloc(*out, nc * sizeof *p);
    if (!p) return wp_error_set(err, WP_ENOMEM, "scenario values: out of memory");
    *out = p;
    *cap = nc;
  }
  wp_scenario_value *v = &(*out)[(*n)++];
  snprintf(v->key, sizeof v->key, "%s", key);
  snprintf(v->value, sizeof v->value, "%s", value);
  snprintf(v->unit, sizeof v->unit, "%s", unit ? unit : "");
  snprintf(v->origin, sizeof v->origin, "%s", origin);
  return WP_OK;
}

/* Where the value of key node kn came from: "FILE:LINE". */
static void origin_line(char *o, size_t n, const char *file, struct fy_node *kn)
{
  int line = 0, col = 0;
  wp_yaml_position(kn, &line, &col);
  snprintf(o, n, "%s:%d", file, line);
}

wp_status wp_scenario_values(const wp_scenario *sc, const char *file, const char *text,
                             const char *const *sets, size_t nsets, wp_scenario_value **out,
                             size_t *n, wp_error *err)
{
  if (!sc || !text || !out || !n || (nsets && !sets))
    return wp_error_set(err, WP_EINVAL, "scenario values: NULL argument");
  *out = NULL;
  *n = 0;
  const char *where = file ? file : "built-in default";
  wp_yaml y;
  wp_status st = wp_yaml_load(&y, where, NULL, text, err);
  if (st) return st;
  struct fy_node *root = wp_yaml_root(&y);
  size_t cap = 0;
  wp_sbuf b = WP_SBUF_INIT;
  char key[160], origin[320];
  /* The preset's own values: the market fields a preset other than base sets. */
  wp_market_assumptions base = WP_MARKET_ASSUMPTIONS_DEFAULT, pre = base;
  const int preset = sc->market.preset != WP_MARKET_PRESET_BASE &&
                     wp_market_apply_preset(&pre, sc->market.preset, NULL) == WP_OK;
  const int preset_set = set_by_assignment(sets, nsets, NULL, 0, NULL, "market.preset");
  for (size_t s = 0; !st && s < N(sections); s++) {
    const wp_scenario_section *sec = &sections[s];
    struct fy_node *map = root ? wp_yaml_get(root, sec->key) : NULL;
    for (size_t f = 0; !st && f < sec->nfields; f++) {
      const wp_field *fd = &sec->fields[f];
      snprintf(key, sizeof key, "%s.%s", sec->key, fd->key);
      struct fy_node *kn = map && fy_node_is_mapping(map) ? wp_yaml_key_node(map, fd->key) : NULL;
      const int by_preset = preset && sec->offset == offsetof(wp_scenario, market) &&
                            memcmp((const char *)&pre + fd->offset,
                                   (const char *)&base + fd->offset,
                                   fd->kind == WP_F_NUM ? sizeof(double) : sizeof(int)) != 0;
      if (set_by_assignment(sets, nsets, NULL, 0, NULL, key))
        snprintf(origin, sizeof origin, "--set");
      else if (by_preset && preset_set) /* a preset set on the command line wins over the file */
        snprintf(origin, sizeof origin, "--set market.preset=%s",
                 wp_market_preset_name(sc->market.preset));
      else if (kn)
        origin_line(origin, sizeof origin, where, kn);
      else if (by_preset)
        snprintf(origin, sizeof origin, "preset %s", wp_market_preset_name(sc->market.preset));
      else
        snprintf(origin, sizeof origin, "default");
      b.len = 0;
      if (b.p) b.p[0] = '\0';
      field_text(&b, fd, (const char *)sc + sec->offset, 1);
      st = b.failed ? wp_error_set(err, WP_ENOMEM, "scenario values: out of memory")
                    : push_value(out, n, &cap, key, b.p ? b.p : "", fd->unit, origin, err);
    }
  }
  /* The lists, item by item. */
  size_t nl = 0;
  const wp_scenario_section *lists = wp_scenario_lists(&nl);
  for (size_t l = 0; !st && l < nl; l++) {
    const char *lk = lists[l].key;
    struct fy_node *seq = root ? wp_yaml_get(root, lk) : NULL;
    const int from_csv = strcmp(lk, "sites") == 0 && !seq && root && wp_yaml_get(root, "sites_file");
    size_t count = strcmp(lk, "countries") == 0 ? sc->ncountries
                   : strcmp(lk, "regions") == 0 ? sc->nregions
                   : strcmp(lk, "sites") == 0   ? sc->nsites
                                                : sc->ncustom;
    for (size_t i = 0; !st && i < count; i++) {
      site_row row;
      const void *item;
      const char *name;
      if (strcmp(lk, "countries") == 0) {
        item = &sc->countries[i];
        name = sc->countries[i].name;
      } else if (strcmp(lk, "regions") == 0) {
        item = &sc->regions[i];
        name = sc->regions[i].name;
      } else if (strcmp(lk, "sites") == 0) {
        memset(&row, 0, sizeof row);
        row.site = sc->sites[i];
        for (int k = 0; k < (int)N(status_names); k++)
          if (strcmp(sc->sites[i].status, status_names[k]) == 0) row.status = k;
        item = &row;
        name = sc->sites[i].name;
      } else {
        item = &sc->custom[i];
        name = sc->custom[i].site;
      }
      struct fy_node *it = seq && fy_node_is_sequence(seq) ? fy_node_sequence_get_by_index(seq, (int)i)
                                                          : NULL;
      for (size_t f = 0; !st && f < lists[l].nfields; f++) {
        const wp_field *fd = &lists[l].fields[f];
        snprintf(key, sizeof key, "%s[%s].%s", lk, name, fd->key);
        struct fy_node *kn = it && fy_node_is_mapping(it) ? wp_yaml_key_node(it, fd->key) : NULL;
        if (set_by_assignment(sets, nsets, lk, i, name, fd->key))
          snprintf(origin, sizeof origin, "--set");
        else if (kn)
          origin_line(origin, sizeof origin, where, kn);
        else if (from_csv)
          snprintf(origin, sizeof origin, "sites_file");
        else
          snprintf(origin, sizeof origin, "default");
        b.len = 0;
        if (b.p) b.p[0] = '\0';
        field_text(&b, fd, (const char *)item, 1);
        st = b.failed ? wp_error_set(err, WP_ENOMEM, "scenario values: out of memory")
                      : push_value(out, n, &cap, key, b.p ? b.p : "", fd->unit, origin, err);
      }
    }
  }
  wp_sbuf_release(&b);
  wp_yaml_release(&y);
  if (st) {
    free(*out);
    *out = NULL;
    *n = 0;
  }
  return st;
}
