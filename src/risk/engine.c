/*
** The risk engine: the plan's decisions re-evaluated on stochastic market paths and drawn
** schedules, in parallel, with results independent of the thread count (wattpivot/risk.h,
** docs/model/risk.md). This file sets the engine up (the distinct pathways, the kernel caches,
** the schedule template), runs the workers and gathers the results.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "risk/engine_int.h"

static int same_project(const wp_plan_project *a, const wp_plan_project *b)
{
  return a->expansion == b->expansion && a->share == b->share && a->business == b->business &&
         (a->business == WP_BUSINESS_MINING || a->convert_month == b->convert_month);
}

/*
** The distinct projects of each site and which strategies have them. Strategy by strategy, a
** project reuses a distinct one already listed after the strategy's previous project at that
** site, else is listed anew: every strategy then meets its projects in its own order.
*/
static wp_status build_unique(engine *e, wp_error *err)
{
  const size_t S = e->nsites, K = e->nstrat;
  const size_t total = e->dec->first[K];
  e->u = calloc(total ? total : 1, sizeof *e->u);
  e->u_first = calloc(S + 1, sizeof *e->u_first);
  if (!e->u || !e->u_first) return wp_error_set(err, WP_ENOMEM, "risk: out of memory");
  e->nu = 0;
  for (size_t i = 0; i < S; i++) {
    e->u_first[i] = e->nu;
    for (size_t k = 0; k < K; k++) {
      size_t n = 0;
      const wp_plan_project *p = wp_plan_projects(e->dec, k, &n);
      size_t after = e->u_first[i]; /* this strategy's next project comes after this */
      for (size_t j = 0; j < n; j++) {
        if (p[j].site != i) continue;
        size_t u = after;
        while (u < e->nu && !same_project(&e->u[u].proj, &p[j])) u++;
        if (u == e->nu) {
          unique_pw *x = &e->u[e->nu++];
          x->site = i;
          x->proj = p[j];
          x->s = wp_plan_project_site(&e->dec->sites[i], &p[j]);
          x->p = wp_plan_project_pathway(e->sc, &p[j]);
          x->converting = p[j].business != WP_BUSINESS_MINING;
          x->whole_mine = !x->converting && !p[j].expansion && p[j].share == 1.0;
        }
        e->u[u].uses |= 1u << k;
        after = u + 1;
      }
    }
  }
  e->u_first[S] = e->nu;
  return WP_OK;
}

static void engine_release(engine *e)
{
  for (size_t u = 0; e->cache && u < e->nu; u++) {
    wp_risk_cache_release(&e->cache[u]);
  }
  free(e->cache);
  free(e->wait_v);
  free(e->wait_month);
  free(e->npv);
  free(e->min_cash);
  free(e->mode_days);
  free(e->u);
  free(e->u_first);
  wp_schedule_free(e->tmpl);
  wp_risk_market_free(e->gen);
  wp_plan_decisions_free(e->owned);
}

void wp_risk_result_free(wp_risk_result *r)
{
  if (!r) return;
  for (size_t k = 0; k < r->nstrategies; k++) {
    free(r->strategies[k].npv_usd);
    free(r->strategies[k].min_cash_usd);
  }
  free(r->strategies);
  free(r->wait.month);
  free(r->wait.mean_uplift_usd);
  free(r);
}

static unsigned online_cores(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (unsigned)n : 1u;
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A split run's full set of per-path results, on the root (NULL elsewhere). */
typedef struct full_set {
  double *npv, *min_cash; /* [k * paths + p] */
  double *wait;           /* wait_paths x wait_k values, then their states (wp_risk_wait_alloc) */
} full_set;

static void full_set_free(full_set *f)
{
  free(f->npv);
  free(f->min_cash);
  free(f->wait);
  memset(f, 0, sizeof *f);
}

/* Room for the full set on the root, taken before the processes agree, so that running out of
** memory there ends every process instead of leaving them waiting in a gather. */
static wp_status full_set_alloc(const engine *e, const wp_risk_exchange *x, full_set *f,
                                wp_error *err)
{
  memset(f, 0, sizeof *f);
  if (!x->root) return WP_OK;
  const size_t K = e->nstrat, n = e->paths;
  f->npv = calloc(K * n, sizeof *f->npv);
  f->min_cash = calloc(K * n, sizeof *f->min_cash);
  f->wait = calloc(e->wait_site >= 0 ? e->wait_paths * e->wait_k * 3 + 1 : 1, sizeof *f->wait);
  if (!f->npv || !f->min_cash || !f->wait) {
    full_set_free(f);
    return wp_error_set(err, WP_ENOMEM, "risk: out of memory for the %zu paths' results", n);
  }
  return WP_OK;
}

/* One collective gather of every process's n values into all (n_all values; root only). */
static wp_status gather(const wp_risk_exchange *x, const double *mine, size_t n, double *all,
                        size_t n_all, wp_error *err)
{
  if (x->gather(x->ctx, mine, n, x->root ? all : NULL, n_all))
    return wp_error_set(err, WP_EIO, "risk: gathering the paths' results failed");
  return WP_OK;
}

/* Every process's per-path results into the root's full set, which then replaces its block
** (first 0, count paths): the root goes on as if it had run every path. */
static wp_status gather_paths(engine *e, const wp_risk_exchange *x, full_set *f, wp_error *err)
{
  const size_t K = e->nstrat, n = e->paths;
  wp_status st = WP_OK;
  for (size_t k = 0; k < K && !st; k++)
    st = gather(x, e->npv + k * e->count, e->count, f->npv ? f->npv + k * n : NULL, n, err);
  for (size_t k = 0; k < K && !st; k++)
    st = gather(x, e->min_cash + k * e->count, e->count, f->min_cash ? f->min_cash + k * n : NULL,
                n, err);
  /* The value-of-waiting samples: the blocks cut at wait_paths; values, then states. */
  const size_t Kw = e->wait_k, nw = e->wait_paths;
  if (!st && e->wait_site >= 0)
    st = gather(x, e->wait_v, e->wait_count * Kw, f->wait, nw * Kw, err);
  if (!st && e->wait_site >= 0)
    st = gather(x, e->wait_x, e->wait_count * Kw * 2, f->wait ? f->wait + nw * Kw : NULL,
                nw * Kw * 2, err);
  if (st || !x->root) return st;
  free(e->npv);
  free(e->min_cash);
  free(e->wait_v);
  e->npv = f->npv;
  e->min_cash = f->min_cash;
  e->wait_v = f->wait;
  e->wait_x = f->wait + nw * Kw;
  e->wait_count = nw;
  memset(f, 0, sizeof *f);
  e->first = 0;
  e->count = n;
  return WP_OK;
}

wp_status wp_risk_run(const wp_scenario *sc, const wp_risk_opts *o, wp_risk_result **out,
                      wp_error *err)
{
  if (!sc || !o || !out) return wp_error_set(err, WP_EINVAL, "risk: NULL argument");
  *out = NULL;
  const wp_risk_exchange *x = o->exchange;
  gsl_set_error_handler_off();
  engine e;
  memset(&e, 0, sizeof e);
  e.sc = sc;
  e.paths = o->paths;
  e.seed = o->seed;
  e.first = x ? x->first : 0;
  e.count = x ? x->count : o->paths;
  atomic_init(&e.done, 0);
  atomic_init(&e.stop, 0);
  wp_risk_result *res = NULL;
  double *sorted = NULL;
  int agreed = 0; /* a split run: all_ok called */
  full_set full = {0};
  wp_status st = WP_OK;
  if (o->paths == 0)
    st = wp_error_set(err, WP_EINVAL, "risk: paths 0 is out of range; accepted >= 1");
  else if (!(o->mask & WP_STRATEGY_ALL))
    st = wp_error_set(err, WP_EINVAL, "risk: no strategy selected");
  else if (x && (x->first > o->paths || x->count > o->paths - x->first || !x->all_ok || !x->gather))
    st = wp_error_set(err, WP_EINVAL,
                      "risk: this process's paths [%zu, %zu) are not a block of the %zu paths "
                      "(or the exchange has no calls)",
                      x->first, x->first + x->count, o->paths);
  else if ((st = wp_risk_assumptions_check(&sc->risk, err)))
    st = wp_error_prefix(err, st, "risk");
  if (st) goto done;
  unsigned mask = (o->mask & WP_STRATEGY_ALL) | WP_STRATEGY_BIT(WP_STRATEGY_MINING_ONLY);
  if (o->decisions) { /* the caller's plan of sc: the strategies asked for, mining-only first */
    const wp_plan_decisions *d = o->decisions;
    size_t want = 0;
    int same = d->nsites == sc->nsites && d->months == (size_t)sc->horizon_months;
    for (int s = 0; s < WP_STRATEGY_COUNT; s++)
      if (mask & WP_STRATEGY_BIT(s))
        same = same && want < d->nstrategies && d->strategies[want++] == (wp_strategy)s;
    if (!same || want != d->nstrategies) {
      st = wp_error_set(err, WP_EINVAL,
                        "risk: the decisions given are not a plan of this scenario's sites, "
                        "horizon and strategies (decide them with wp_plan_decide(sc, the mask "
                        "with mining-only))");
      goto done;
    }
    e.dec = d;
  } else if ((st = wp_plan_decide_opts(sc,
                                       &(wp_plan_opts){.mask = mask,
                                                       .keep = WP_STRATEGY_HYBRID,
                                                       .progress = o->plan_progress,
                                                       .progress_ctx = o->plan_progress_ctx},
                                       &e.owned, err))) {
    goto done;
  } else {
    e.dec = e.owned;
  }
  e.nstrat = e.dec->nstrategies;
  e.nsites = e.dec->nsites;
  e.months = e.dec->months;
  for (size_t k = 0; k < e.nstrat; k++)
    if (e.dec->strategies[k] == WP_STRATEGY_MINING_ONLY) e.mining_k = k;
  if ((st = wp_risk_market_new(&sc->market, &sc->risk, sc->start, e.months, &e.gen, err)))
    goto done;
  /* The paths centre on the plan's own path: the market_file's months over the parametric. */
  if (sc->market_series &&
      (st = wp_risk_market_apply_series(e.gen, sc->market_series, &sc->market, err))) {
    st = wp_error_prefix(err, st, "market_file");
    goto done;
  }
  if ((st = build_unique(&e, err))) goto done;
  if (!(e.cache = calloc(e.nu ? e.nu : 1, sizeof *e.cache))) {
    st = wp_error_set(err, WP_ENOMEM, "risk: out of memory");
    goto done;
  }
  for (size_t u = 0; u < e.nu; u++) {
    wp_risk_cache_init(&e.cache[u]);
  }
  {
    /* The conversion template: the network every conversion of the scenario follows (the
       evaluators build the same one), immutable and shared by the workers for the draws. */
    wp_sched_template_opts to = {.plan = sc->conversion.plan,
                                 .substation_upgrade = sc->conversion.substation_upgrade};
    if ((st = wp_schedule_template(&to, &e.tmpl, err))) goto done;
    e.tmpl_count = wp_schedule_count(e.tmpl);
    e.nphases = wp_schedule_phase_count(e.tmpl);
  }
  e.draw_schedule = sc->risk.schedule_vol > 0;
  e.npv = calloc(e.nstrat * e.count + 1, sizeof *e.npv);
  e.min_cash = calloc(e.nstrat * e.count + 1, sizeof *e.min_cash);
  e.mode_days = calloc(e.tmpl_count + 1, sizeof *e.mode_days);
  if (!e.npv || !e.min_cash || !e.mode_days) {
    st = wp_error_set(err, WP_ENOMEM, "risk: out of memory for %zu paths", e.count);
    goto done;
  }
  if ((st = wp_risk_wait_setup(&e, o, err))) goto done;
  unsigned threads = o->threads ? o->threads : online_cores();
  if (threads > e.count) threads = e.count ? (unsigned)e.count : 1u; /* an empty block: none */
  for (size_t a = 0; a < e.tmpl_count; a++)
    e.mode_days[a] = wp_schedule_activity(e.tmpl, a)->mode_days;
  double t0 = now_s();
  if ((st = wp_risk_run_workers(&e, o, threads, err))) goto done;
  double seconds = now_s() - t0;
  if (x) {
    if ((st = full_set_alloc(&e, x, &full, err))) goto done;
    /* Every process's run went well, or none presents a result. */
    agreed = 1;
    if (!x->all_ok(x->ctx, 1)) {
      st = wp_error_set(err, WP_EPEER,
                        "risk: another process of the split run failed (it reports why); no "
                        "result");
      goto done;
    }
    if ((st = gather_paths(&e, x, &full, err)) || !x->root) goto done;
  }
  sorted = calloc(e.paths, sizeof *sorted);
  res = calloc(1, sizeof *res);
  if (res) res->strategies = calloc(e.nstrat, sizeof *res->strategies);
  if (!sorted || !res || !res->strategies) {
    st = wp_error_set(err, WP_ENOMEM, "risk: out of memory for %zu paths", e.paths);
    goto done;
  }
  res->seconds = seconds;
  res->threads = threads;
  res->paths = e.paths;
  res->seed = e.seed;
  res->start = sc->start;
  res->assumptions = sc->risk;
  res->months = e.months;
  res->nsites = e.nsites;
  res->cash_floor_usd = sc->strategy.cash_floor_usd;
  for (size_t k = 0; k < e.nstrat; k++) {
    if (!(o->mask & WP_STRATEGY_BIT(e.dec->strategies[k]))) continue;
    wp_risk_strategy *s = &res->strategies[res->nstrategies++];
    snprintf(s->name, sizeof s->name, "%s", wp_strategy_name(e.dec->strategies[k]));
    s->plan_npv_usd = e.dec->npv_usd[k];
    wp_risk_summarize(&e, k, sorted, s);
    s->npv_usd = malloc(e.paths * sizeof *s->npv_usd);
    s->min_cash_usd = malloc(e.paths * sizeof *s->min_cash_usd);
    if (!s->npv_usd || !s->min_cash_usd) {
      st = wp_error_set(err, WP_ENOMEM, "risk: out of memory");
      goto done;
    }
    memcpy(s->npv_usd, e.npv + k * e.paths, e.paths * sizeof(double));
    memcpy(s->min_cash_usd, e.min_cash + k * e.paths, e.paths * sizeof(double));
  }
  if (e.wait_site >= 0) {
    snprintf(res->wait.site, sizeof res->wait.site, "%s", sc->sites[e.wait_site].name);
    if ((st = wp_risk_wait_solve(&e, &res->wait, err))) goto done;
  }
done:
  if (x && !agreed && x->all_ok) x->all_ok(x->ctx, 0); /* the others end too */
  full_set_free(&full);
  free(sorted);
  engine_release(&e);
  if (st) {
    wp_risk_result_free(res);
    return st;
  }
  *out = res;
  return WP_OK;
}
