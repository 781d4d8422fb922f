/*
** One site's pathway through project finance (wattpivot/study.h; docs/finance-cli.md): the site
** (a scenario's, or a generic one), the pathway and terms with the request's overrides, the run
** as given with its IRR notes and every input's origin, and the break-even price on request.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf_int.h"
#include "plan/pathway_int.h"
#include "wattpivot/calendar.h"
#include "wattpivot/format.h"
#include "wattpivot/scenario_file.h"
#include "wattpivot/study.h"

/* ------------------------------------------------------------------ break-even variables */

/* What a break-even variable is called, its unit, its JSON key, the business it applies to and
** the solver's bracket. Brackets: judgment, wide around today's prices (colo $102-188/kW-month,
** docs/sources/mining.md §6; H100 ~$2/h, docs/sources/ai-datacenter.md §5.2; hashprice
** ~$40-60/PH/day, docs/sources/mining.md §2.3 and §6). The lower limit is the price 0
** (hashprice: a millionth, since the BTC price must be > 0). */
static const struct solve_spec {
  const char *name, *what, *unit, *key;
  wp_business business;
  double lo, hi, x_min, x_max; /* initial bracket and the limits it may grow to */
} solve_specs[WP_SOLVE_COUNT] = {
    [WP_SOLVE_NONE] = {"none", "", "", "", WP_BUSINESS_MINING, 0, 0, 0, 0},
    [WP_SOLVE_LEASE] = {"lease", "lease rate", "USD/kW-month", "breakeven_lease_usd_per_kw_month",
                        WP_BUSINESS_COLO, 50.0, 300.0, 0.0, 100000.0},
    [WP_SOLVE_GPU_PRICE] = {"gpu-price", "GPU price", "USD/GPU-hour",
                            "breakeven_gpu_usd_per_hour", WP_BUSINESS_GPU_MERCHANT, 0.5, 5.0, 0.0,
                            10000.0},
    [WP_SOLVE_HASHPRICE] = {"hashprice", "hashprice", "USD/PH/day",
                            "breakeven_hashprice_usd_per_ph_day", WP_BUSINESS_MINING, 10.0, 100.0,
                            1e-6, 1e6},
};

const char *wp_solve_var_name(wp_solve_var v)
{
  return (unsigned)v < WP_SOLVE_COUNT ? solve_specs[v].name : "?";
}

wp_status wp_solve_var_from_name(const char *name, wp_solve_var *out, wp_error *err)
{
  for (int v = WP_SOLVE_LEASE; name && out && v < WP_SOLVE_COUNT; v++)
    if (strcmp(name, solve_specs[v].name) == 0) {
      *out = (wp_solve_var)v;
      return WP_OK;
    }
  const char *accepted[WP_SOLVE_COUNT - 1];
  for (int v = WP_SOLVE_LEASE; v < WP_SOLVE_COUNT; v++) accepted[v - 1] = solve_specs[v].name;
  return wp_error_unknown_name(err, "break-even variable", name, accepted, WP_SOLVE_COUNT - 1);
}

wp_business wp_solve_var_business(wp_solve_var v)
{
  return (unsigned)v < WP_SOLVE_COUNT ? solve_specs[v].business : WP_BUSINESS_MINING;
}

const char *wp_solve_var_unit(wp_solve_var v)
{
  return (unsigned)v < WP_SOLVE_COUNT ? solve_specs[v].unit : "";
}

const char *wp_solve_var_key(wp_solve_var v)
{
  return (unsigned)v < WP_SOLVE_COUNT ? solve_specs[v].key : "";
}

/* ------------------------------------------------------------------ the evaluation */

/* Everything one evaluation needs; the solver's callback changes one input and re-runs. */
typedef struct fin_ctx {
  wp_finance_study *st;
  wp_market_assumptions market; /* the run's market assumptions */
  wp_market_path path;
  wp_pathway_eval *ev;          /* the run as given (its ledger is the study's) */
  wp_pathway_eval *ev_solve;    /* the solver's runs */
  wp_solve_var var;
  double gpu_start0, gpu_floor0; /* the scenario's GPU price level (scaling base) */
  double hp_btc0;                /* month-0 hashprice, BTC/PH/day (independent of the price) */
  double *held_difficulty;       /* the scenario's difficulty path, held while a hashprice is
                                    set (NULL otherwise) */
  wp_pathway pathway;            /* the solver's pathway (its lease changes) */
  const wp_market_series *series; /* the scenario's market_file months (NULL: none) */
} fin_ctx;

/* The run's market path: the parametric path of c->market, then the market_file's months over
** it (as plan: docs/model/market.md §4.1). */
static wp_status fill_path(fin_ctx *c, wp_error *err)
{
  wp_status st = wp_market_path_fill_deterministic(&c->path, c->st->start, &c->market, err);
  if (!st && c->series &&
      (st = wp_market_path_apply_series(&c->path, c->series, &c->market, err)))
    return wp_error_prefix(err, st, "market_file");
  return st;
}

/* 1 when a market_file column gives a value in any month. */
static int series_gives(const double *col, size_t n)
{
  for (size_t m = 0; col && m < n; m++)
    if (!isnan(col[m])) return 1;
  return 0;
}

/* The GPU price level: month-0 price x, the floor kept in proportion (so the whole path scales
** with x). */
static void set_gpu_level(fin_ctx *c, double x)
{
  c->market.gpu_usd_per_hour = x;
  c->market.gpu_floor_usd_per_hour =
      c->gpu_start0 > 0 ? c->gpu_floor0 * x / c->gpu_start0 : c->gpu_floor0;
}

/* BTC price such that month-0 hashprice is x USD/PH/day (hashprice_usd = hashprice_btc·P).
** The network's difficulty path is held at the scenario's (run_once), so the whole hashprice
** path scales with x; the hashprice equilibrium would otherwise move hashrate against the
** price and leave later hashprice where miners' costs put it (docs/model/market.md §5). */
static void set_hashprice(fin_ctx *c, double x)
{
  c->market.btc_price_usd = x / c->hp_btc0;
}

static wp_status run_once(fin_ctx *c, wp_pathway_eval *ev, const wp_pathway *p, int compute_irr,
                          wp_pathway_result *r, wp_error *err)
{
  wp_status st = fill_path(c, err);
  if (st) return st;
  if (c->held_difficulty) {
    memcpy(c->path.difficulty, c->held_difficulty, c->path.months * sizeof(double));
    if ((st = wp_market_path_update_hashprice(&c->path, err))) return st;
  }
  wp_finance_terms t = c->st->terms;
  t.compute_irr = compute_irr;
  return wp_pathway_run(ev, &c->st->site, p, &c->path, &t, r, err);
}

static wp_status npv_of(double x, void *vctx, double *npv_usd, wp_error *err)
{
  fin_ctx *c = vctx;
  switch (c->var) {
  case WP_SOLVE_LEASE: c->pathway.colo.rent_usd_per_kw_month = x; break;
  case WP_SOLVE_GPU_PRICE: set_gpu_level(c, x); break;
  case WP_SOLVE_HASHPRICE: set_hashprice(c, x); break;
  case WP_SOLVE_NONE: break;
  }
  wp_pathway_result r;
  wp_status st = run_once(c, c->ev_solve, &c->pathway, 0, &r, err);
  if (st == WP_OK) *npv_usd = r.metrics.npv_usd;
  return st;
}

/* Solve npv_of(x) = 0 into the study; when there is no root, say on which side NPV stays. */
static wp_status solve(fin_ctx *c, wp_error *err)
{
  const struct solve_spec *sp = &solve_specs[c->var];
  wp_finance_solve_opts o = WP_FINANCE_SOLVE_OPTS_DEFAULT;
  o.lo = sp->lo;
  o.hi = sp->hi;
  o.x_min = sp->x_min;
  o.x_max = sp->x_max;
  wp_finance_solve_result res;
  wp_status st = wp_finance_solve_npv_zero(npv_of, c, &o, &res, err);
  if (st == WP_ENOROOT) {
    double at_min = 0, at_max = 0;
    char b[64];
    if ((st = npv_of(sp->x_min, c, &at_min, err)) || (st = npv_of(sp->x_max, c, &at_max, err)))
      return st;
    if (at_min > 0 && at_max > 0)
      return wp_error_set(err, WP_ENOROOT,
                          "%s: no break-even; NPV stays positive even at %g %s (NPV $%s)",
                          sp->name, sp->x_min, sp->unit,
                          wp_format_grouped(b, sizeof b, at_min, 0));
    if (at_min < 0 && at_max < 0)
      return wp_error_set(err, WP_ENOROOT,
                          "%s: no break-even; NPV stays negative even at %g %s (NPV $%s)",
                          sp->name, sp->x_max, sp->unit,
                          wp_format_grouped(b, sizeof b, at_max, 0));
    return wp_error_prefix(err, WP_ENOROOT, "%s", sp->name);
  }
  if (st) return st;
  c->st->solved = c->var;
  c->st->solution = res.x;
  c->st->solve_evaluations = res.evaluations;
  return npv_of(res.x, c, &c->st->npv_at_solution_usd, err); /* the NPV there */
}

/* The note of an IRR: the one rule of every output (wp_finance_irr_note). */
static void irr_note(const wp_finance_study *s, const double *flows, char *buf, size_t n)
{
  double dates[1200];
  size_t months = s->months < 1200 ? s->months : 1200;
  for (size_t m = 0; m < months; m++)
    dates[m] = (double)wp_calendar_month_end_day(s->start, (int64_t)m);
  if (wp_finance_irr_note(flows, dates, months, NULL, buf, n, NULL) != WP_OK) buf[0] = '\0';
}

/* ------------------------------------------------------------------ inputs and their origin */

#define MAX_INPUTS 40

static void in_num(wp_finance_study *s, const char *name, double v, const char *unit,
                   const char *from)
{
  if (s->ninputs >= MAX_INPUTS) return;
  wp_finance_input *r = &s->inputs[s->ninputs++];
  *r = (wp_finance_input){.name = name, .unit = unit, .from = from, .is_num = 1, .num = v};
  snprintf(r->text, sizeof r->text, "%.6g", v);
}

static void in_str(wp_finance_study *s, const char *name, const char *v, const char *unit,
                   const char *from)
{
  if (s->ninputs >= MAX_INPUTS) return;
  wp_finance_input *r = &s->inputs[s->ninputs++];
  *r = (wp_finance_input){.name = name, .unit = unit, .from = from};
  snprintf(r->text, sizeof r->text, "%s", v);
}

/* The inputs table: each value in force and where it came from. */
static void list_inputs(wp_finance_study *s, const fin_ctx *c, const wp_finance_request *q,
                        const char *scen_from, const char *site_from, const char *tax_from)
{
  const wp_business b = q->business;
  const wp_pathway *p = &s->pathway;
  const wp_market_assumptions *mk = &c->market;
  const int on_site = q->site != NULL;
  char ym[16];
  in_str(s, "scenario", s->scenario_label, "", scen_from);
  in_str(s, "site", s->site.name, "", site_from);
  in_str(s, "pathway", wp_business_name(b), "", "option");
  in_num(s, "grid_mw", s->site.grid_mw, "MW", !isnan(q->grid_mw) ? "option" : site_from);
  in_str(s, "country", s->site.country, "", site_from);
  in_num(s, "tax_rate", s->site.tax_rate, "fraction", tax_from);
  in_num(s, "power_usd_per_mwh", s->site.power_usd_per_mwh, "USD/MWh",
         !isnan(q->power_usd_per_mwh) ? "option"
         : on_site                    ? "site"
                                      : "generic-site default (market price)");
  in_num(s, "design_c", s->site.design_c, "C",
         on_site ? "site" : "generic-site default (temperate)");
  in_num(s, "fleet_eff_j_per_th", s->site.fleet_eff_j_per_th, "J/TH", site_from);
  in_num(s, "mining_pue", s->site.mining_pue, "", site_from);
  in_str(s, "start", wp_format_ym(ym, sizeof ym, s->start), "YYYY-MM",
         wp_calendar_valid(q->start) ? "option" : scen_from);
  in_num(s, "horizon_months", (double)s->months, "months",
         q->horizon_months > 0 ? "option" : scen_from);
  in_num(s, "hurdle_rate", s->terms.hurdle_rate, "per yr",
         !isnan(q->hurdle_rate) ? "option" : scen_from);
  in_str(s, "term_debt", s->terms.term.enabled ? "on" : "off", "",
         q->term_debt >= 0 ? "option" : scen_from);
  if (s->terms.term.enabled) in_num(s, "target_dscr", s->terms.term.target_dscr, "", scen_from);
  in_num(s, "construction_ltc", s->terms.construction.ltc, "fraction", scen_from);
  const int hp = !isnan(q->hashprice_usd_per_ph_day);
  in_num(s, "btc_price_usd", mk->btc_price_usd, "USD", hp ? "option (hashprice)" : scen_from);
  in_num(s, "hashprice_usd_per_ph_day", c->hp_btc0 * mk->btc_price_usd, "USD/PH/day",
         hp ? "option" : "market path, month 0");
  in_str(s, "difficulty_model", wp_difficulty_model_name(mk->difficulty_model), "", scen_from);
  if (mk->difficulty_model == WP_DIFFICULTY_EXOGENOUS) {
    in_num(s, "difficulty_growth_per_yr", mk->difficulty_growth_per_yr, "per yr", scen_from);
  } else {
    in_num(s, "marginal_j_per_th", mk->marginal_j_per_th, "J/TH", scen_from);
    in_num(s, "marginal_power_usd_per_mwh", mk->marginal_power_usd_per_mwh, "USD/MWh", scen_from);
  }
  if (b != WP_BUSINESS_MINING) {
    in_num(s, "convert_month", (double)p->convert_month, "month",
           q->convert_month >= 0 ? "option" : "command default");
    in_num(s, "convert_fraction", p->convert_fraction, "fraction",
           !isnan(q->convert_fraction) ? "option" : "command default");
    in_str(s, "cooling", wp_cooling_name(p->cooling), "", q->cooling >= 0 ? "option" : scen_from);
    in_str(s, "redundancy", wp_redundancy_name(p->redundancy), "",
           q->redundancy >= 0 ? "option" : scen_from);
    in_str(s, "gpu", wp_gpu_name(p->gpu), "", q->gpu >= 0 ? "option" : scen_from);
    in_str(s, "plan", wp_schedule_plan_name(p->plan), "", q->plan >= 0 ? "option" : scen_from);
  }
  if (b == WP_BUSINESS_COLO) {
    in_num(s, "lease_usd_per_kw_month", p->colo.rent_usd_per_kw_month, "USD/kW-month",
           !isnan(q->lease_usd_per_kw_month) ? "option" : scen_from);
    in_num(s, "lease_term_months", (double)p->colo.term_months, "months", scen_from);
  }
  const int gpu_price = !isnan(q->gpu_usd_per_hour);
  if (b == WP_BUSINESS_GPU_MERCHANT || b == WP_BUSINESS_GPU_CONTRACT) {
    in_num(s, "gpu_usd_per_hour", mk->gpu_usd_per_hour, "USD/GPU-hour",
           gpu_price ? "option" : scen_from);
    in_num(s, "gpu_floor_usd_per_hour", mk->gpu_floor_usd_per_hour, "USD/GPU-hour",
           gpu_price ? "option (scaled)" : scen_from);
    in_num(s, "gpu_decline_per_yr", mk->gpu_decline_per_yr, "per yr", scen_from);
  }
  if (b == WP_BUSINESS_GPU_CONTRACT) {
    in_num(s, "gpu_contract_usd_per_it_mw",
           p->gpu_contract.it_mw > 0 ? p->gpu_contract.contract_value_usd / p->gpu_contract.it_mw
                                     : 0,
           "USD per IT MW", scen_from);
    in_num(s, "gpu_contract_term_months", (double)p->gpu_contract.term_months, "months",
           scen_from);
  }
}

/* ------------------------------------------------------------------ the site and the pathway */

/* The generic site of a what-if: the scenario's site defaults in the United States. */
static wp_site generic_site(const wp_scenario *sc, double grid_mw)
{
  wp_site s = wp_scenario_site_default(sc);
  snprintf(s.name, sizeof s.name, "generic");
  snprintf(s.country, sizeof s.country, "United States");
  snprintf(s.region, sizeof s.region, "US");
  s.grid_mw = grid_mw;
  return s;
}

/* The United States tax rate: the scenario's, else (*from says so) the library default's (the
** built-in default scenario's countries). */
static wp_status us_tax_rate(const wp_scenario *sc, double *rate, const char **from,
                             wp_error *err)
{
  if (wp_scenario_tax_rate(sc, "United States", rate, NULL) == WP_OK) return WP_OK;
  wp_scenario *def = wp_scenario_new();
  if (!def) return wp_error_set(err, WP_ENOMEM, "out of memory");
  wp_status st = wp_scenario_tax_rate(def, "United States", rate, err);
  wp_scenario_free(def);
  *from = "built-in default";
  return st;
}

/* The site: the scenario's named one (its country's tax rate) or the generic one; overrides. */
static wp_status choose_site(wp_finance_study *s, const wp_scenario *sc,
                             const wp_finance_request *q, const char **tax_from, wp_error *err)
{
  wp_status st;
  if (q->site) {
    long k = wp_scenario_site_index(sc, q->site);
    if (k < 0) {
      char known[1024] = "";
      for (size_t i = 0; i < sc->nsites; i++) {
        size_t len = strlen(known);
        snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "", sc->sites[i].name);
      }
      return wp_error_set(err, WP_EINVAL, "site '%s' is not in %s; known sites: %s", q->site,
                          sc->source, sc->nsites ? known : "(none)");
    }
    s->site = sc->sites[k];
    if ((st = wp_scenario_tax_rate(sc, s->site.country, &s->site.tax_rate, err))) return st;
  } else {
    if (isnan(q->grid_mw))
      return wp_error_set(err, WP_EINVAL, "grid_mw is required for the generic site (no site)");
    s->site = generic_site(sc, q->grid_mw);
    if ((st = us_tax_rate(sc, &s->site.tax_rate, tax_from, err))) return st;
  }
  if (!isnan(q->grid_mw)) s->site.grid_mw = q->grid_mw;
  if (!isnan(q->power_usd_per_mwh)) s->site.power_usd_per_mwh = q->power_usd_per_mwh;
  snprintf(s->site_name, sizeof s->site_name, "%s", s->site.name);
  if (q->business != WP_BUSINESS_MINING && !s->site.ai_ready) {
    snprintf(s->warning, sizeof s->warning,
             "site %s is not AI-ready (ai_ready: false in %s): the %s conversion is a what-if "
             "the planner would not consider",
             s->site.name, sc->source, wp_business_name(q->business));
    s->site.ai_ready = 1;
  }
  return WP_OK;
}

/* The pathway, the time grid and the finance terms with the request's overrides. */
static wp_status choose_pathway(wp_finance_study *s, const wp_scenario *sc,
                                const wp_finance_request *q, wp_error *err)
{
  wp_pathway *p = &s->pathway;
  *p = sc->conversion;
  p->business = q->business;
  p->convert_month = q->convert_month >= 0 ? q->convert_month : 0;
  p->convert_fraction = !isnan(q->convert_fraction) ? q->convert_fraction : 1.0;
  if (q->cooling >= 0) p->cooling = (wp_cooling)q->cooling;
  if (q->redundancy >= 0) p->redundancy = (wp_redundancy)q->redundancy;
  if (q->gpu >= 0) p->gpu = (wp_gpu)q->gpu;
  if (q->plan >= 0) p->plan = (wp_sched_plan)q->plan;
  if (q->substation_upgrade >= 0) p->substation_upgrade = q->substation_upgrade;
  if (!isnan(q->lease_usd_per_kw_month)) p->colo.rent_usd_per_kw_month = q->lease_usd_per_kw_month;
  s->start = wp_calendar_valid(q->start) ? q->start : sc->start;
  s->months = (size_t)(q->horizon_months > 0 ? q->horizon_months : sc->horizon_months);
  if (q->business != WP_BUSINESS_MINING && (size_t)p->convert_month >= s->months)
    return wp_error_set(err, WP_EINVAL,
                        "convert_month %lld is outside the horizon; accepted [0, %zu] "
                        "(horizon_months %zu)",
                        (long long)p->convert_month, s->months - 1, s->months);
  s->terms = wp_scenario_site_terms(sc);
  if (!isnan(q->hurdle_rate)) s->terms.hurdle_rate = q->hurdle_rate;
  if (q->term_debt >= 0) s->terms.term.enabled = q->term_debt;
  return WP_OK;
}

/* ------------------------------------------------------------------ the study */

/* A study and the evaluator whose ledger it lends out (the public struct first). */
typedef struct study_box {
  wp_finance_study pub;
  wp_pathway_eval *ev;
} study_box;

void wp_finance_study_free(wp_finance_study *s)
{
  if (!s) return;
  study_box *box = (study_box *)(void *)s;
  wp_pathway_eval_free(box->ev);
  free(s->inputs);
  free(box);
}

static wp_status check_request(const wp_finance_request *q, wp_error *err)
{
  if ((unsigned)q->business >= WP_BUSINESS_COUNT)
    return wp_error_set(err, WP_EINVAL, "business %d is not a business model", (int)q->business);
  if ((unsigned)q->solve_for >= WP_SOLVE_COUNT)
    return wp_error_set(err, WP_EINVAL, "solve_for %d is not a break-even variable",
                        (int)q->solve_for);
  if (q->solve_for != WP_SOLVE_NONE && solve_specs[q->solve_for].business != q->business)
    return wp_error_set(err, WP_EINVAL, "solve_for %s needs business %s; got %s",
                        solve_specs[q->solve_for].name,
                        wp_business_name(solve_specs[q->solve_for].business),
                        wp_business_name(q->business));
  return WP_OK;
}

/* The study's hash: the scenario's canonical text, then every input in force (a finance run
** overrides the scenario with its options), numbers at full precision. */
static wp_status hash_inputs(wp_finance_study *s, const wp_scenario *sc, wp_error *err)
{
  char *text = NULL;
  wp_status st = wp_scenario_canonical_text(sc, &text, err);
  if (st) return st;
  wp_sbuf b = WP_SBUF_INIT;
  wp_sbuf_puts(&b, text);
  free(text);
  for (size_t i = 0; i < s->ninputs; i++) {
    const wp_finance_input *in = &s->inputs[i];
    if (in->is_num)
      wp_sbuf_printf(&b, "finance_input.%s=%.17g\n", in->name, in->num);
    else
      wp_sbuf_printf(&b, "finance_input.%s=%s\n", in->name, in->text);
  }
  if (!(text = wp_sbuf_take(&b)))
    return wp_error_set(err, WP_ENOMEM, "finance study: out of memory");
  wp_hash_fnv1a64_hex(text, strlen(text), s->scenario_hash);
  free(text);
  return WP_OK;
}

wp_status wp_study_finance(const wp_scenario *sc, const wp_finance_request *q,
                           wp_finance_study **out, wp_error *err)
{
  if (!sc || !q || !out) return wp_error_set(err, WP_EINVAL, "finance study: NULL argument");
  *out = NULL;
  wp_status st = check_request(q, err);
  if (st) return st;
  study_box *box = calloc(1, sizeof *box);
  wp_finance_study *s = box ? &box->pub : NULL;
  fin_ctx c;
  memset(&c, 0, sizeof c);
  c.path = (wp_market_path)WP_MARKET_PATH_INIT;
  c.st = s;
  if (!s || !(s->inputs = calloc(MAX_INPUTS, sizeof *s->inputs))) {
    st = wp_error_set(err, WP_ENOMEM, "finance study: out of memory");
    goto done;
  }
  snprintf(s->scenario_label, sizeof s->scenario_label, "%s", sc->source);
  const char *scen_from = strcmp(sc->source, "built-in default") == 0 ? "built-in default"
                                                                      : "scenario";
  const char *site_from = q->site ? "site" : "generic-site default";
  const char *tax_from = q->site ? "scenario (the site's country)" : scen_from;
  if ((st = choose_site(s, sc, q, &tax_from, err)) || (st = choose_pathway(s, sc, q, err)))
    goto done;

  /* The market: the scenario's, with the request's GPU price level and month-0 hashprice. */
  c.market = sc->market;
  c.gpu_start0 = sc->market.gpu_usd_per_hour;
  c.gpu_floor0 = sc->market.gpu_floor_usd_per_hour;
  if (!isnan(q->gpu_usd_per_hour)) set_gpu_level(&c, q->gpu_usd_per_hour);
  /* The scenario's market_file, as plan uses it; a price it gives cannot also be set or solved
     for here (the file's months would not move). */
  c.series = sc->market_series;
  if (c.series) {
    const wp_market_series *ms = c.series;
    const int btc = series_gives(ms->btc_price_usd, ms->months) ||
                    series_gives(ms->difficulty, ms->months) ||
                    series_gives(ms->hashprice_usd_per_ph_day, ms->months);
    const int gpu = series_gives(ms->gpu_usd_per_hour, ms->months);
    if (btc && (!isnan(q->hashprice_usd_per_ph_day) || q->solve_for == WP_SOLVE_HASHPRICE)) {
      st = wp_error_set(err, WP_EINVAL,
                        "the scenario's market_file gives BTC prices, difficulty or hashprice: "
                        "--hashprice-usd-per-ph-day and --solve-for hashprice would not move its "
                        "months (use a scenario without those columns)");
      goto done;
    }
    if (gpu && (!isnan(q->gpu_usd_per_hour) || q->solve_for == WP_SOLVE_GPU_PRICE)) {
      st = wp_error_set(err, WP_EINVAL,
                        "the scenario's market_file gives GPU prices: --gpu-usd-per-hour and "
                        "--solve-for gpu-price would not move its months (use a scenario without "
                        "that column)");
      goto done;
    }
  }
  if ((st = wp_market_path_init(&c.path, s->months, err)) || (st = fill_path(&c, err)) ||
      (st = wp_pathway_eval_new(s->start, s->months, &box->ev, err)))
    goto done;
  c.ev = box->ev;
  c.hp_btc0 = c.path.hashprice_btc_per_ph_day[0];
  if (!isnan(q->hashprice_usd_per_ph_day) || q->solve_for == WP_SOLVE_HASHPRICE) {
    c.held_difficulty = malloc(s->months * sizeof(double));
    if (!c.held_difficulty) {
      st = wp_error_set(err, WP_ENOMEM, "finance: out of memory");
      goto done;
    }
    memcpy(c.held_difficulty, c.path.difficulty, s->months * sizeof(double));
  }
  if (!isnan(q->hashprice_usd_per_ph_day)) set_hashprice(&c, q->hashprice_usd_per_ph_day);
  list_inputs(s, &c, q, scen_from, site_from, tax_from);
  if ((st = hash_inputs(s, sc, err))) goto done;

  /* The run as given: metrics, ledger, IRR notes. */
  if ((st = run_once(&c, c.ev, &s->pathway, 1, &s->result, err))) goto done;
  s->ledger = wp_pathway_ledger(c.ev);
  s->run_terms = *wp_pathway_eval_last_terms(c.ev);
  irr_note(s, s->ledger->project_cash_flow_usd, s->project_irr_note, sizeof s->project_irr_note);
  irr_note(s, s->ledger->equity_cash_flow_usd, s->equity_irr_note, sizeof s->equity_irr_note);

  /* The break-even, on its own evaluator (the run as given keeps its ledger). */
  if (q->solve_for != WP_SOLVE_NONE) {
    c.var = q->solve_for;
    c.pathway = s->pathway;
    if ((st = wp_pathway_eval_new(s->start, s->months, &c.ev_solve, err)) ||
        (st = solve(&c, err)))
      goto done;
  }
done:
  wp_pathway_eval_free(c.ev_solve);
  wp_market_path_release(&c.path);
  free(c.held_difficulty);
  if (st) {
    wp_finance_study_free(s);
    return st;
  }
  *out = s;
  return WP_OK;
}
