/*
** The portfolio planner (wattpivot/planner.h, docs/planner.md): the option table once, then per
** strategy its plan (fixed, or optimized), the plan recomputed from its projects' ledgers,
** checked against every limit, priced limit by limit, and explained.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/planner_int.h"
#include "plan/solve_int.h"

/* Every site mining, whole. */
static void projects_mining(const plan_options *po, wp_plan_project *p, size_t *n)
{
  for (size_t i = 0; i < po->nsites; i++)
    p[i] = (wp_plan_project){.site = i, .share = 1.0, .business = WP_BUSINESS_MINING,
                             .convert_month = -1};
  *n = po->nsites;
}

/* The custom: list as projects: per site its converting entries in file order, the share left
** mining, its expansion. */
static void projects_custom(const plan_options *po, wp_plan_project *p, size_t *n)
{
  const wp_scenario *sc = po->sc;
  *n = 0;
  for (size_t i = 0; i < po->nsites; i++) {
    double converted = 0;
    const wp_custom_pathway *expansion = NULL;
    for (size_t k = 0; k < sc->ncustom; k++) {
      const wp_custom_pathway *c = &sc->custom[k];
      if (wp_scenario_site_index(sc, c->site) != (long)i || c->business == WP_BUSINESS_MINING)
        continue;
      if (c->expansion) {
        expansion = c;
        continue;
      }
      p[(*n)++] = (wp_plan_project){.site = i, .share = c->convert_fraction,
                                    .business = c->business, .convert_month = c->convert_month};
      converted += c->convert_fraction;
    }
    if (converted < 1.0 - 1e-12)
      p[(*n)++] = (wp_plan_project){.site = i, .share = converted > 0 ? 1.0 - converted : 1.0,
                                    .business = WP_BUSINESS_MINING, .convert_month = -1};
    if (expansion)
      p[(*n)++] = (wp_plan_project){.site = i, .expansion = 1, .share = 1.0,
                                    .business = expansion->business,
                                    .convert_month = expansion->convert_month};
  }
}

/* Limit row q of strategy k relaxed by the scenario's relax_fraction (0 when it cannot be: a
** limit of zero has no fraction). */
static int relaxed(const plan_options *po, const wp_limit_out *row, const plan_limits *lim,
                   plan_limits *out)
{
  const double f = po->sc->strategy.relax_fraction;
  *out = *lim;
  switch (row->limit) {
  case WP_LIMIT_CASH_FLOOR: {
    double step = lim->cash_floor_usd != 0 ? fabs(lim->cash_floor_usd)
                                           : po->sc->corporate.overhead_usd_per_yr;
    out->cash_floor_usd -= f * step;
    return step > 0;
  }
  case WP_LIMIT_DEBT_CAPACITY: out->debt_capacity_usd *= 1 + f; return lim->debt_capacity_usd > 0;
  case WP_LIMIT_CAPEX_BUDGET: out->capex_usd_per_yr *= 1 + f; return 1;
  case WP_LIMIT_CREWS: out->crews = fmax(lim->crews + 1, ceil(lim->crews * (1 + f))); return 1;
  case WP_LIMIT_REGIONAL_DEMAND:
    for (size_t r = 0; r < po->sc->nregions; r++)
      if (strcmp(po->sc->regions[r].name, row->scope) == 0) {
        out->region_mw[r] *= 1 + f;
        return lim->region_mw[r] > 0;
      }
    return 0;
  case WP_LIMIT_MINING_COVER: out->cover *= 1 - f; return lim->cover > 0;
  case WP_LIMIT_COUNT: break;
  }
  return 0;
}

/* The optimizations of a run, counted for its progress callback (wp_plan_opts). */
typedef struct plan_progress {
  void (*fn)(size_t done, size_t total, void *ctx); /* NULL: none */
  void *ctx;
  size_t done, total;
} plan_progress;

static void progress_step(plan_progress *pg)
{
  pg->done++;
  if (pg->fn) pg->fn(pg->done, pg->total, pg->ctx);
}

/* Price each limit of an optimized strategy: the NPV (and all-in's AI MW) of the plan re-solved
** with that limit relaxed, against the plan's. */
static wp_status price_limits(const plan_options *po, wp_strategy s, const plan_limits *lim,
                              const plan_solved *base, wp_strategy_out *so, plan_progress *pg,
                              wp_error *err)
{
  plan_solved r = {0};
  r.x = calloc(po->nopt ? po->nopt : 1, 1);
  if (!r.x) return wp_error_set(err, WP_ENOMEM, "planner: out of memory");
  wp_status st = WP_OK;
  plan_limits l;
  for (size_t q = 0; q < so->nlimits; q++) pg->total += (size_t)relaxed(po, &so->limits[q], lim, &l);
  for (size_t q = 0; q < so->nlimits && st == WP_OK; q++) {
    if (!relaxed(po, &so->limits[q], lim, &l)) continue;
    st = plan_optimize(po, s, &l, base, NULL, &r, NULL, err);
    if (st) break;
    progress_step(pg);
    so->solve.solves += r.info.solves;
    so->solve.seconds += r.info.seconds;
    so->limits[q].relax_npv_usd = r.info.objective - base->info.objective;
    if (s == WP_STRATEGY_ALL_IN) so->limits[q].relax_ai_it_mw = r.ai_it_mw - base->ai_it_mw;
  }
  free(r.x);
  return st;
}

typedef struct plan_state {
  plan_options po;
  plan_totals tot;
  wp_plan_project *proj; /* room for one strategy's projects */
  plan_solved solved;
  plan_solved hybrid;    /* hybrid solved ahead of all-in (its hint), when both are planned */
  plan_progress progress;
} plan_state;

/* Plan strategy s into strategy k of out: its projects in st->proj (*nproj). */
static wp_status plan_strategy(plan_state *ps, wp_strategy s, wp_plan_out *out, size_t k,
                               size_t *nproj, wp_program **keep, wp_error *err)
{
  plan_options *po = &ps->po;
  wp_status st;
  const plan_limits lim = plan_limits_of(po->sc, s);
  wp_strategy_out *so = &out->strategies[k];
  snprintf(so->name, sizeof so->name, "%s", wp_strategy_name(s));
  const int optimized = s == WP_STRATEGY_ALL_IN || s == WP_STRATEGY_HYBRID;
  memset(ps->solved.x, 0, po->nopt ? po->nopt : 1);
  if (s == WP_STRATEGY_MINING_ONLY) projects_mining(po, ps->proj, nproj);
  if (s == WP_STRATEGY_CUSTOM) projects_custom(po, ps->proj, nproj);
  if (optimized && s == WP_STRATEGY_HYBRID && ps->hybrid.done) { /* solved ahead */
    memcpy(ps->solved.x, ps->hybrid.x, po->nopt ? po->nopt : 1);
    unsigned char *x = ps->solved.x;
    ps->solved = ps->hybrid;
    ps->solved.x = x;
  } else if (optimized) {
    const plan_solved *hint = s == WP_STRATEGY_ALL_IN && ps->hybrid.done ? &ps->hybrid : NULL;
    if ((st = plan_optimize(po, s, &lim, NULL, hint, &ps->solved, keep, err))) return st;
    progress_step(&ps->progress);
  }
  if (optimized) plan_projects_of_choice(po, ps->solved.x, ps->proj, nproj);
  if ((st = plan_evaluate(po, ps->proj, *nproj, out, k, &ps->tot, err))) return st;
  size_t nb = 0;
  if ((st = plan_limits_fill(po, &lim, &ps->tot, out, k, &nb, err))) return st;
  if (optimized) {
    so->solve = ps->solved.info;
  } else {
    snprintf(so->solve.status, sizeof so->solve.status, "fixed");
    so->solve.objective = so->npv_usd;
    so->solve.bound = NAN;
  }
  so->solve.feasible = nb == 0;
  /* The solver's plan is held to its limits on the recomputed ledgers: a breach beyond its own
     least shortfall is said in the status, never hidden. */
  if (optimized && nb > 0 && ps->solved.shortfall_musd <= 1e-6)
    snprintf(so->solve.status, sizeof so->solve.status, "breaks a limit when recomputed");
  if (optimized && po->sc->strategy.price_limits &&
      (st = price_limits(po, s, &lim, &ps->solved, so, &ps->progress, err)))
    return st;
  plan_explain(po, s, &lim, optimized ? ps->solved.x : NULL, optimized ? &ps->solved : NULL, out,
               k);
  return WP_OK;
}

static void state_release(plan_state *ps)
{
  plan_totals_release(&ps->tot);
  free(ps->proj);
  free(ps->solved.x);
  free(ps->hybrid.x);
  plan_options_release(&ps->po);
}

static wp_status state_init(plan_state *ps, const wp_scenario *sc, wp_error *err)
{
  memset(ps, 0, sizeof *ps);
  wp_status st = plan_options_build(&ps->po, sc, err);
  if (st) return st;
  if ((st = plan_totals_init(&ps->tot, &ps->po, err))) return st;
  ps->proj = calloc(ps->po.nsites * (WP_SCENARIO_MAX_TRANCHES + 2) + sc->ncustom + 1,
                    sizeof *ps->proj);
  ps->solved.x = calloc(ps->po.nopt ? ps->po.nopt : 1, 1);
  ps->hybrid.x = calloc(ps->po.nopt ? ps->po.nopt : 1, 1);
  if (!ps->proj || !ps->solved.x || !ps->hybrid.x)
    return wp_error_set(err, WP_ENOMEM, "planner: out of memory");
  return WP_OK;
}

/* Decide and roll up the strategies in mask into *out; record the decisions in dec (may be
** NULL); keep the program of strategy keep_s in *keep (keep NULL: none); report progress to
** fn(ctx) (may be NULL). */
static wp_status plan_strategies(const wp_scenario *sc, unsigned mask, wp_plan_out **out,
                                 wp_plan_decisions *dec, wp_strategy keep_s, wp_program **keep,
                                 void (*fn)(size_t, size_t, void *), void *ctx, wp_error *err)
{
  size_t nstrat = 0;
  for (int s = 0; s < WP_STRATEGY_COUNT; s++)
    if (mask & WP_STRATEGY_BIT(s)) nstrat++;
  plan_state ps;
  wp_status st = state_init(&ps, sc, err);
  ps.progress = (plan_progress){.fn = fn, .ctx = ctx};
  for (int s = WP_STRATEGY_ALL_IN; s <= WP_STRATEGY_HYBRID; s++) /* the optimized ones */
    if (mask & WP_STRATEGY_BIT(s)) ps.progress.total++;
  wp_plan_out *res = NULL;
  if (!st) {
    res = wp_plan_out_new(nstrat, ps.po.nsites, ps.po.months);
    if (!res) st = wp_error_set(err, WP_ENOMEM, "plan: out of memory");
  }
  const size_t room = ps.po.nsites * (WP_SCENARIO_MAX_TRANCHES + 2) + sc->ncustom + 1;
  if (!st && dec) {
    dec->nstrategies = nstrat;
    dec->nsites = ps.po.nsites;
    dec->months = ps.po.months;
    dec->project = calloc(nstrat * room, sizeof *dec->project);
    dec->sites = calloc(ps.po.nsites ? ps.po.nsites : 1, sizeof *dec->sites);
    dec->corporate_equity_cf_usd = calloc(ps.po.months, sizeof(double));
    if (!dec->project || !dec->sites || !dec->corporate_equity_cf_usd)
      st = wp_error_set(err, WP_ENOMEM, "plan: out of memory");
  }
  if (!st && dec) {
    dec->site_terms = ps.po.site_terms;
    dec->corporate_npv_usd = ps.po.corp_npv_usd;
    memcpy(dec->corporate_equity_cf_usd, ps.po.corp_eq, ps.po.months * sizeof(double));
    for (size_t i = 0; i < ps.po.nsites; i++) dec->sites[i] = ps.po.site[i].site;
  }
  if (!st) {
    snprintf(res->scenario, sizeof res->scenario, "%s", sc->name);
    res->start = sc->start;
    res->hurdle_rate = sc->finance.hurdle_rate;
    res->cash_floor_usd = sc->strategy.cash_floor_usd;
    /* the market path the strategies were valued on */
    const double *from[WP_PLAN_MARKET_COUNT] = {
        ps.po.path.btc_price_usd, ps.po.path.hashprice_usd_per_ph_day,
        ps.po.path.power_usd_per_mwh, ps.po.path.gpu_usd_per_hour,
        ps.po.path.colo_usd_per_kw_month};
    for (int q = 0; q < WP_PLAN_MARKET_COUNT && from[q]; q++)
      if ((res->market[q] = malloc(ps.po.months * sizeof(double))))
        memcpy(res->market[q], from[q], ps.po.months * sizeof(double));
  }
  /* Hybrid ahead of all-in when both are planned: its plan is where all-in's most-MW search
     starts too, so all-in converts at least as much (docs/planner.md "Strategies"). */
  const unsigned both = WP_STRATEGY_BIT(WP_STRATEGY_ALL_IN) | WP_STRATEGY_BIT(WP_STRATEGY_HYBRID);
  if (!st && (mask & both) == both) {
    const plan_limits lim = plan_limits_of(sc, WP_STRATEGY_HYBRID);
    st = plan_optimize(&ps.po, WP_STRATEGY_HYBRID, &lim, NULL, NULL, &ps.hybrid,
                       keep && keep_s == WP_STRATEGY_HYBRID ? keep : NULL, err);
    ps.hybrid.done = st == WP_OK;
    if (!st) progress_step(&ps.progress);
  }
  size_t k = 0;
  for (int s = 0; s < WP_STRATEGY_COUNT && !st; s++) {
    if (!(mask & WP_STRATEGY_BIT(s))) continue;
    size_t n = 0;
    const int kept_ahead = s == WP_STRATEGY_HYBRID && ps.hybrid.done;
    st = plan_strategy(&ps, (wp_strategy)s, res, k, &n,
                       keep && s == (int)keep_s && !kept_ahead ? keep : NULL, err);
    if (!st && dec) {
      dec->strategies[k] = (wp_strategy)s;
      dec->npv_usd[k] = res->strategies[k].npv_usd;
      dec->min_cash_usd[k] = res->strategies[k].min_cash_usd;
      dec->first[k + 1] = dec->first[k] + n;
      memcpy(dec->project + dec->first[k], ps.proj, n * sizeof *ps.proj);
    }
    k++;
  }
  state_release(&ps);
  if (st || !out) {
    wp_plan_out_free(res);
    return st;
  }
  *out = res;
  return WP_OK;
}

wp_status wp_plan_run_opts(const wp_scenario *sc, const wp_plan_opts *o, wp_plan_out **out,
                           wp_program **program, wp_error *err)
{
  if (!sc || !o || !out) return wp_error_set(err, WP_EINVAL, "plan: NULL argument");
  *out = NULL;
  if (program) *program = NULL;
  const unsigned mask = o->mask & WP_STRATEGY_ALL;
  if (!mask) return wp_error_set(err, WP_EINVAL, "plan: no strategy selected");
  if (program && o->keep != WP_STRATEGY_ALL_IN && o->keep != WP_STRATEGY_HYBRID)
    return wp_error_set(err, WP_EINVAL,
                        "strategy %s has no program: only all-in and hybrid are optimized",
                        wp_strategy_name(o->keep));
  if (program && !(mask & WP_STRATEGY_BIT(o->keep)))
    return wp_error_set(err, WP_EINVAL, "plan: strategy %s is not among those planned",
                        wp_strategy_name(o->keep));
  wp_status st = plan_strategies(sc, mask, out, NULL, program ? o->keep : WP_STRATEGY_MINING_ONLY,
                                 program, o->progress, o->progress_ctx, err);
  if (st && program) {
    wp_program_free(*program);
    *program = NULL;
  }
  return st;
}

wp_status wp_plan_run(const wp_scenario *sc, unsigned mask, wp_plan_out **out, wp_error *err)
{
  wp_plan_opts o = WP_PLAN_OPTS_DEFAULT;
  o.mask = mask;
  return wp_plan_run_opts(sc, &o, out, NULL, err);
}

wp_status wp_plan_run_keep(const wp_scenario *sc, unsigned mask, wp_strategy keep,
                           wp_plan_out **out, wp_program **program, wp_error *err)
{
  if (!program) return wp_error_set(err, WP_EINVAL, "plan: NULL argument");
  wp_plan_opts o = WP_PLAN_OPTS_DEFAULT;
  o.mask = mask;
  o.keep = keep;
  return wp_plan_run_opts(sc, &o, out, program, err);
}

wp_status wp_plan_program(const wp_scenario *sc, wp_strategy s, wp_program **out, wp_error *err)
{
  wp_plan_out *res = NULL;
  wp_status st = wp_plan_run_keep(sc, WP_STRATEGY_BIT(s), s, &res, out, err);
  wp_plan_out_free(res);
  return st;
}

void wp_plan_decisions_free(wp_plan_decisions *d)
{
  if (!d) return;
  free(d->project);
  free(d->sites);
  free(d->corporate_equity_cf_usd);
  free(d);
}

wp_status wp_plan_decide(const wp_scenario *sc, unsigned mask, wp_plan_decisions **out,
                         wp_error *err)
{
  wp_plan_opts o = WP_PLAN_OPTS_DEFAULT;
  o.mask = mask;
  return wp_plan_decide_opts(sc, &o, out, err);
}

wp_status wp_plan_decide_opts(const wp_scenario *sc, const wp_plan_opts *o,
                              wp_plan_decisions **out, wp_error *err)
{
  if (!sc || !o || !out) return wp_error_set(err, WP_EINVAL, "plan: NULL argument");
  *out = NULL;
  const unsigned mask = o->mask & WP_STRATEGY_ALL;
  if (!mask) return wp_error_set(err, WP_EINVAL, "plan: no strategy selected");
  wp_plan_decisions *d = calloc(1, sizeof *d);
  if (!d) return wp_error_set(err, WP_ENOMEM, "plan: out of memory");
  wp_status st = plan_strategies(sc, mask, NULL, d, WP_STRATEGY_MINING_ONLY, NULL, o->progress,
                                 o->progress_ctx, err);
  if (st) {
    wp_plan_decisions_free(d);
    return st;
  }
  *out = d;
  return WP_OK;
}

const wp_plan_project *wp_plan_projects(const wp_plan_decisions *d, size_t k, size_t *n)
{
  if (!d || k >= d->nstrategies) {
    if (n) *n = 0;
    return NULL;
  }
  if (n) *n = d->first[k + 1] - d->first[k];
  return d->project + d->first[k];
}
