/*
** The risk engine: the plan's decisions re-evaluated on stochastic market paths and drawn
** schedules, in parallel, with results independent of the thread count (wattpivot/risk.h,
** docs/model/risk.md).
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>

#include "model/schedule_int.h"
#include "risk/kernel_int.h"
#include "risk/market_int.h"
#include "wattpivot/planner.h"
#include "wattpivot/risk.h"
#include "wattpivot/scenario.h"

#define MAX_WAIT 64
#define NBASIS   6
/* Prepared kernels kept per pathway, one per distinct drawn schedule (in months), shared by
** the workers. The fast-track template's drawn phase months take 73 distinct values in 20,000
** draws (measured); schedules beyond the slots run in full (the same results, slower). */
#define CACHE_SLOTS 256

struct fast_cache;

/* A distinct (site, decision) pair: evaluated once per path, shared by the strategies. */
typedef struct unique_pw {
  size_t site;
  wp_plan_decision d;
  wp_pathway p;
  int converting;
} unique_pw;

typedef struct engine {
  const wp_scenario *sc;
  wp_plan_decisions *dec;
  wp_risk_market *gen;
  size_t paths, months, nsites, nstrat, nu;
  uint64_t seed;
  unique_pw *u;
  struct fast_cache *cache; /* [nu]: each pathway's prepared kernels, shared by the workers */
  size_t *u_of;    /* [k * nsites + i] -> index into u */
  size_t *u_first; /* nsites + 1: site i's unique pathways are u[u_first[i]..] */
  size_t mining_k; /* index of mining-only among the decided strategies */
  /* Schedule draws: the template every conversion of the scenario uses. */
  wp_schedule *tmpl;
  size_t tmpl_count, nphases;
  double *mode_days;
  int draw_schedule;
  /* Per-path results. */
  double *npv;      /* [k * paths + p] */
  double *min_cash; /* [k * paths + p] */
  /* Value of waiting. */
  long wait_site;
  size_t wait_k, wait_paths;
  int64_t wait_month[MAX_WAIT];
  double *wait_v; /* [p * wait_k + k]: uplift over mining of converting at month k */
  double *wait_x; /* [(p * wait_k + k) * 2 + j]: state at month k */
  /* Progress and errors. */
  atomic_size_t done;
  atomic_int stop;
} engine;

/* A prepared kernel for one schedule (key: each phase's energization offset in months). */
typedef struct fast_slot {
  int64_t key[WP_PATHWAY_MAX_PHASES];
  wp_pathway_fast *f; /* NULL: not allocated yet */
  int usable;         /* 0: the kernel declined this pathway; run it in full */
} fast_slot;

/*
** A pathway's kernels. A worker that misses prepares the kernel on its own, then under the lock
** publishes it in the next slot and raises count (release), unless the same schedule was
** published meanwhile (its copy is then dropped); readers scan the first count slots without
** the lock (acquire). A published slot never changes again, so the kernels are only read while
** paths use them. A kernel depends on its pathway and schedule key only, not on the worker or
** the path that prepared it, so sharing changes no result.
*/
typedef struct fast_cache {
  pthread_mutex_t lock;
  atomic_size_t count;
  fast_slot slot[CACHE_SLOTS];
} fast_cache;

typedef struct worker {
  engine *e;
  size_t begin, end;
  pthread_t thread;
  wp_status st;
  wp_error err;
  atomic_int finished;
} worker;

/* splitmix64: decorrelates the per-site schedule seeds from the market seed. */
static uint64_t mix64(uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/* Site i's drawn durations for the paths path[0..LANES-1] (one stream per site). */
static void draw_durations(const engine *e, size_t i, const uint64_t *path, double *const *dur)
{
  wp_schedule_draw_durations_lanes(e->tmpl, WP_SCHED_PERT, mix64(e->seed ^ mix64(i + 1)), path,
                                   dur);
}

/* Drawn durations dur scaled by the schedule vol around the most likely. */
static void scale_durations(const engine *e, double *dur)
{
  const double v = e->sc->risk.schedule_vol;
  for (size_t a = 0; a < e->tmpl_count; a++) {
    double d = e->mode_days[a] + v * (dur[a] - e->mode_days[a]);
    dur[a] = d > 0 ? d : 0.0;
  }
}

static wp_status run_one(wp_pathway_eval *ev, const engine *e, size_t i, const wp_pathway *p,
                         const wp_market_path *mp, double *npv_usd, uint64_t path, wp_error *err)
{
  wp_pathway_result r;
  wp_status st = wp_pathway_run(ev, &e->dec->sites[i], p, mp, &e->dec->site_terms, &r, err);
  if (st) {
    wp_error inner = *err;
    return wp_error_set(err, st, "path %llu, site %s: %s", (unsigned long long)path,
                        e->dec->sites[i].name, inner.msg);
  }
  *npv_usd = r.metrics.npv_usd;
  return WP_OK;
}

/* The published slot of schedule key among slots [from, to) of c, or NULL. */
static const fast_slot *cache_find(const fast_cache *c, size_t from, size_t to,
                                   const int64_t *key, size_t nkey)
{
  for (size_t k = from; k < to; k++) {
    const fast_slot *s = &c->slot[k];
    if ((nkey == 0 || s->key[0] == key[0]) && memcmp(s->key, key, nkey * sizeof *key) == 0)
      return s;
  }
  return NULL;
}

/* One path of a group of lanes: its market, schedule draw, strategy sums and buffers. */
typedef struct lane {
  uint64_t path;
  wp_market_path mp;
  double acc[WP_STRATEGY_COUNT]; /* the strategies' NPV */
  double *pw, *eq;              /* the current site's power prices (when evaluated one by one);
                                   an equity buffer */
  double *phase_days;           /* the current site's drawn phase finishes */
  int64_t key[WP_PATHWAY_MAX_PHASES];
  double npv_mine;              /* the current site's mining NPV (NaN: not evaluated) */
} lane;

/* A group of up to LANES paths and their lane-interleaved buffers ([m * LANES + l]). */
enum { L = WP_PATHWAY_FAST_LANES };
typedef struct group {
  lane lanes[L];
  size_t nl;                  /* paths in the group (L but for a worker's last group) */
  wp_risk_market_lanes mkt;   /* the paths' markets, lane-interleaved (filled when nl == L) */
  int mp_ready[L];            /* lanes[l].mp holds lane l's whole path */
  wp_pathway_lanes_market mk; /* the kernels' view of mkt */
  double *pw4, *eq4;          /* the current site's power prices; equity of a lanes call */
  double *cf4;                /* nstrat x months x L: the strategies' equity flows */
  int pw_split;               /* the lanes' pw arrays hold the current site's prices */
} group;

/* The evaluator's schedule for lane ln's conversions (the drawn one, or the most likely). */
static wp_status use_schedule(wp_pathway_eval *ev, const engine *e, const lane *ln,
                              wp_error *err)
{
  return wp_pathway_eval_set_phase_days(ev, e->draw_schedule ? ln->phase_days : NULL,
                                        e->nphases, err);
}

/* Add pathway u of site i (NPV and equity flows eq[m]) to the strategies of lane l that
** chose it. */
static void accumulate(const engine *e, group *g, size_t l, size_t i, size_t u, double npv,
                       const double *eq)
{
  const size_t M = e->months;
  lane *ln = &g->lanes[l];
  if (!e->u[u].converting) ln->npv_mine = npv;
  for (size_t k = 0; k < e->nstrat; k++) {
    if (e->u_of[k * e->nsites + i] != u) continue;
    ln->acc[k] += npv;
    double *c = g->cf4 + k * M * L + l;
    for (size_t m = 0; m < M; m++)
      c[m * L] += eq[m];
  }
}

/* The same for the lanes of a lanes call (flows lane-interleaved in g->eq4); pending[l]: lane
** l's result is from that call. */
static void accumulate_lanes(const engine *e, group *g, size_t i, size_t u, const double *npv,
                             const int *pending)
{
  const size_t M = e->months;
  int all = 1;
  for (size_t l = 0; l < L; l++) {
    all = all && pending[l];
    if (pending[l] && !e->u[u].converting) g->lanes[l].npv_mine = npv[l];
  }
  double *sums[WP_STRATEGY_COUNT];
  size_t nsums = 0;
  for (size_t k = 0; k < e->nstrat; k++) {
    if (e->u_of[k * e->nsites + i] != u) continue;
    double *c = g->cf4 + k * M * L;
    for (size_t l = 0; l < L; l++)
      if (pending[l]) g->lanes[l].acc[k] += npv[l];
    if (all) {
      sums[nsums++] = c;
      continue;
    }
    for (size_t l = 0; l < L; l++)
      for (size_t m = 0; pending[l] && m < M; m++)
        c[m * L + l] += g->eq4[m * L + l];
  }
  if (nsums) wp_pathway_lanes_add(sums, nsums, g->eq4, M);
}

/* Lane l's whole market path, made from the group's interleaved markets the first time a full
** run or a one-by-one evaluation needs it. */
static wp_status lane_path(const engine *e, group *g, size_t l, const wp_market_path **mp,
                           wp_error *err)
{
  wp_status st = WP_OK;
  if (!g->mp_ready[l]) st = wp_risk_market_lane_path(e->gen, &g->mkt, l, &g->lanes[l].mp, err);
  g->mp_ready[l] = st == WP_OK;
  *mp = &g->lanes[l].mp;
  return st;
}

/* The current site's power prices of each lane, one array per lane (the one-by-one path). */
static wp_status split_power(const engine *e, group *g, size_t i, wp_error *err)
{
  if (g->pw_split) return WP_OK;
  for (size_t l = 0; l < g->nl; l++) {
    const wp_market_path *mp;
    wp_status st = lane_path(e, g, l, &mp, err);
    if (st) return st;
    wp_pathway_site_power(&e->dec->sites[i], mp, g->lanes[l].pw);
  }
  g->pw_split = 1;
  return WP_OK;
}

/*
** Pathway u of site i on the group's lanes. A lane whose schedule has a usable prepared kernel
** waits for the lanes evaluation; a new schedule prepares a kernel (a full run, whose result is
** used) and publishes it; a pathway the kernel declines, or a schedule beyond the slots, runs
** in full.
*/
static wp_status eval_pathway(wp_pathway_eval *ev, const engine *e, size_t i, size_t u,
                              group *g, double *scratch, wp_error *err)
{
  const unique_pw *up = &e->u[u];
  fast_cache *c = &e->cache[u];
  const size_t nkey = up->converting ? (e->nphases < WP_PATHWAY_MAX_PHASES ? e->nphases
                                                                           : WP_PATHWAY_MAX_PHASES)
                                     : 0;
  const size_t nl = g->nl;
  const wp_pathway_fast *k[L] = {NULL};
  int pending[L] = {0};
  size_t npend = 0, first = 0;
  wp_status st;
  for (size_t l = 0; l < nl; l++) {
    lane *ln = &g->lanes[l];
    const size_t seen = atomic_load_explicit(&c->count, memory_order_acquire);
    const fast_slot *s = cache_find(c, 0, seen, ln->key, nkey);
    if (s && s->usable) {
      k[l] = s->f;
      pending[l] = 1;
      if (!npend++) first = l;
      continue;
    }
    if (up->converting && (st = use_schedule(ev, e, ln, err))) return st;
    const wp_market_path *mp;
    if ((st = lane_path(e, g, l, &mp, err))) return st;
    double npv;
    int prepared = 0;
    if (!s && seen < CACHE_SLOTS) {
      /* A new schedule: prepare its kernel (a full run, whose result this lane uses) outside
         the lock, then publish it unless another worker published the same schedule first. */
      wp_pathway_fast *nf = NULL;
      int usable = 0;
      wp_pathway_result r;
      st = wp_pathway_fast_new(e->months, &nf, err);
      if (!st)
        st = wp_pathway_fast_prepare(nf, ev, &e->dec->sites[i], &up->p, mp, &e->dec->site_terms,
                                     &r, &usable, err);
      if (st) {
        wp_pathway_fast_free(nf);
        wp_error inner = *err;
        return wp_error_set(err, st, "path %llu, site %s: %s", (unsigned long long)ln->path,
                            e->dec->sites[i].name, inner.msg);
      }
      npv = r.metrics.npv_usd;
      prepared = 1;
      pthread_mutex_lock(&c->lock);
      const size_t n = atomic_load_explicit(&c->count, memory_order_relaxed);
      if (n < CACHE_SLOTS && !cache_find(c, seen, n, ln->key, nkey)) {
        fast_slot *ns = &c->slot[n];
        memcpy(ns->key, ln->key, nkey * sizeof *ln->key);
        ns->f = nf;
        ns->usable = usable;
        nf = NULL;
        atomic_store_explicit(&c->count, n + 1, memory_order_release);
      }
      pthread_mutex_unlock(&c->lock);
      wp_pathway_fast_free(nf); /* not published: another worker's copy serves */
    }
    /* Declined, or no slot left: the full run. */
    if (!prepared && (st = run_one(ev, e, i, &up->p, mp, &npv, ln->path, err))) return st;
    accumulate(e, g, l, i, u, npv, wp_pathway_ledger(ev)->equity_cash_flow_usd);
  }
  if (!npend) return WP_OK;
  /* Lanes that are done run a pending lane's kernel on their own market: valid work whose
     result is discarded (cheaper than a second pass). */
  if (nl == L && npend >= 2) {
    double npv[L];
    for (size_t l = 0; l < nl; l++)
      if (!pending[l]) k[l] = k[first];
    if (wp_pathway_fast_eval_lanes(k, &g->mk, g->pw4, g->eq4, scratch, npv)) {
      accumulate_lanes(e, g, i, u, npv, pending);
      return WP_OK;
    }
  }
  if ((st = split_power(e, g, i, err))) return st;
  for (size_t l = 0; l < nl; l++)
    if (pending[l]) {
      lane *ln = &g->lanes[l];
      double npv = wp_pathway_fast_eval(k[l], &ln->mp, ln->pw, ln->eq, scratch);
      accumulate(e, g, l, i, u, npv, ln->eq);
    }
  return WP_OK;
}

/* The value-of-waiting study of one path: mining and every candidate start month. */
static wp_status wait_path(wp_pathway_eval *ev, const engine *e, const wp_market_path *mp,
                           uint64_t p, double npv_mine, wp_error *err)
{
  const wp_market_path *base = wp_risk_market_base(e->gen);
  size_t i = (size_t)e->wait_site;
  for (size_t k = 0; k < e->wait_k; k++) {
    wp_plan_decision d = {.business = e->sc->conversion.business == WP_BUSINESS_MINING
                                          ? WP_BUSINESS_COLO
                                          : e->sc->conversion.business,
                          .convert_month = e->wait_month[k],
                          .convert_fraction = 1.0};
    wp_pathway pw = wp_plan_pathway(e->sc, &d);
    double npv;
    wp_status st = run_one(ev, e, i, &pw, mp, &npv, p, err);
    if (st) return st;
    size_t t = (size_t)e->wait_month[k];
    e->wait_v[p * e->wait_k + k] = npv - npv_mine;
    e->wait_x[(p * e->wait_k + k) * 2] =
        log(mp->hashprice_usd_per_ph_day[t] / base->hashprice_usd_per_ph_day[t]);
    e->wait_x[(p * e->wait_k + k) * 2 + 1] =
        log(mp->colo_usd_per_kw_month[t] / base->colo_usd_per_kw_month[t]);
  }
  return WP_OK;
}

/* Site i on the group's lanes: power prices and schedule draws, each distinct pathway, the
** value-of-waiting study. */
static wp_status eval_site(wp_pathway_eval *ev, const engine *e, size_t i,
                           group *g, double *dur, double *work, double *scratch, wp_error *err)
{
  wp_status st;
  const int wait_site = (long)i == e->wait_site;
  int converting = 0;
  for (size_t u = e->u_first[i]; u < e->u_first[i + 1]; u++)
    converting |= e->u[u].converting;
  const size_t nkey = e->nphases < WP_PATHWAY_MAX_PHASES ? e->nphases : WP_PATHWAY_MAX_PHASES;
  g->pw_split = 0;
  if (g->nl == L)
    wp_pathway_site_power_lanes(&e->dec->sites[i], &g->mk, g->pw4);
  else if ((st = split_power(e, g, i, err)))
    return st;
  int any_wait = 0;
  for (size_t l = 0; l < g->nl; l++) any_wait |= wait_site && g->lanes[l].path < e->wait_paths;
  const int draw = e->draw_schedule && (converting || any_wait);
  if (draw) { /* the group's draws at once; a last short group repeats its first path */
    uint64_t paths[L];
    double *durs[L];
    for (size_t l = 0; l < L; l++) {
      paths[l] = g->lanes[l < g->nl ? l : 0].path;
      durs[l] = dur + l * e->tmpl_count;
    }
    draw_durations(e, i, paths, durs);
    /* Each phase's finish (days from construction start) of the scaled durations. */
    double *phase_days[L];
    for (size_t l = 0; l < L; l++) {
      scale_durations(e, durs[l]);
      phase_days[l] = g->lanes[l].phase_days;
    }
    wp_schedule_phase_days_lanes(e->tmpl, (const double *const *)durs, work, phase_days);
  }
  for (size_t l = 0; l < g->nl; l++) {
    lane *ln = &g->lanes[l];
    ln->npv_mine = NAN;
    memset(ln->key, 0, sizeof ln->key);
    if (draw) {
      for (size_t k = 0; k < nkey; k++)
        ln->key[k] = wp_pathway_phase_offset_months(ln->phase_days[k]);
    }
  }
  for (size_t u = e->u_first[i]; u < e->u_first[i + 1]; u++)
    if ((st = eval_pathway(ev, e, i, u, g, scratch, err))) return st;
  for (size_t l = 0; wait_site && l < g->nl; l++) {
    lane *ln = &g->lanes[l];
    if (ln->path >= e->wait_paths) continue;
    if ((st = use_schedule(ev, e, ln, err))) return st;
    const wp_market_path *mp;
    if ((st = lane_path(e, g, l, &mp, err))) return st;
    if (isnan(ln->npv_mine)) {
      wp_pathway mine = wp_plan_pathway(e->sc, NULL);
      if ((st = run_one(ev, e, i, &mine, mp, &ln->npv_mine, ln->path, err))) return st;
    }
    if ((st = wait_path(ev, e, mp, ln->path, ln->npv_mine, err))) return st;
  }
  return WP_OK;
}

static wp_status worker_loop(worker *w)
{
  engine *e = w->e;
  wp_error *err = &w->err;
  const size_t M = e->months, K = e->nstrat;
  wp_pathway_eval *ev = NULL;
  group grp, *g = &grp;
  memset(g, 0, sizeof *g);
  for (size_t l = 0; l < L; l++) g->lanes[l].mp = (wp_market_path)WP_MARKET_PATH_INIT;
  double *buf = NULL;
  wp_status st = wp_pathway_eval_new(e->sc->start, M, &ev, err);
  for (size_t l = 0; l < L && st == WP_OK; l++) st = wp_market_path_init(&g->lanes[l].mp, M, err);
  if (st) goto done;
  /* Per lane: site power, equity, phase days. Interleaved: the market (7 series), power,
     equity, the strategies' flows. Shared: the lanes' drawn durations and the CPM work
     and their phase passes ((LANES + 2 LANES) x count), the kernels' scratch. */
  const size_t per_lane = 2 * M + e->nphases + 1;
  const size_t nbuf = L * per_lane + (9 + K) * M * L + 3 * L * e->tmpl_count +
                      L * wp_pathway_fast_scratch_len(M);
  buf = calloc(nbuf, sizeof(double));
  if (!buf) {
    st = wp_error_set(err, WP_ENOMEM, "risk worker: out of memory");
    goto done;
  }
  double *b = buf;
  for (size_t l = 0; l < L; l++, b += per_lane) {
    g->lanes[l].pw = b;
    g->lanes[l].eq = b + M;
    g->lanes[l].phase_days = b + 2 * M;
  }
  g->mkt = (wp_risk_market_lanes){.months = M,
                                  .hashprice_btc_per_ph_day = b,
                                  .btc_price_usd = b + M * L,
                                  .gpu_usd_per_hour = b + 2 * M * L,
                                  .colo_usd_per_kw_month = b + 3 * M * L,
                                  .power_usd_per_mwh = b + 4 * M * L,
                                  .fees_btc_per_block = b + 5 * M * L,
                                  .difficulty = b + 6 * M * L};
  g->mk = (wp_pathway_lanes_market){.months = M,
                                    .days = wp_risk_market_base(e->gen)->days,
                                    .hashprice_btc_per_ph_day = g->mkt.hashprice_btc_per_ph_day,
                                    .btc_price_usd = g->mkt.btc_price_usd,
                                    .gpu_usd_per_hour = g->mkt.gpu_usd_per_hour,
                                    .colo_usd_per_kw_month = g->mkt.colo_usd_per_kw_month,
                                    .power_usd_per_mwh = g->mkt.power_usd_per_mwh};
  g->pw4 = b + 7 * M * L;
  g->eq4 = b + 8 * M * L;
  g->cf4 = b + 9 * M * L;
  b += (9 + K) * M * L;
  double *dur = b, *work = dur + L * e->tmpl_count, *scratch = work + 2 * L * e->tmpl_count;
  const double *corp_cf = e->dec->corporate_equity_cf_usd;
  for (size_t p0 = w->begin; p0 < w->end; p0 += L) {
    if (atomic_load_explicit(&e->stop, memory_order_relaxed)) break;
    g->nl = w->end - p0 < L ? w->end - p0 : L;
    _Static_assert(WP_RISK_MARKET_LANES == L, "market lanes and kernel lanes");
    /* A full group's markets interleaved (each lane's whole path made when needed); a short
       group's paths one by one. */
    for (size_t l = 0; l < L; l++) g->mp_ready[l] = g->nl < L;
    if (g->nl == L) {
      const uint64_t paths[L] = {p0, p0 + 1, p0 + 2, p0 + 3};
      if ((st = wp_risk_market_fill_interleaved(e->gen, e->seed, paths, &g->mkt, err)))
        goto done;
    }
    memset(g->cf4, 0, K * M * L * sizeof *g->cf4);
    for (size_t l = 0; l < g->nl; l++) {
      lane *ln = &g->lanes[l];
      ln->path = p0 + l;
      if (g->nl < L && (st = wp_risk_market_fill(e->gen, e->seed, ln->path, &ln->mp, err)))
        goto done;
      for (size_t k = 0; k < K; k++)
        ln->acc[k] = e->dec->corporate_npv_usd;
    }
    for (size_t i = 0; i < e->nsites; i++)
      if ((st = eval_site(ev, e, i, g, dur, work, scratch, err))) goto done;
    for (size_t k = 0; k < K; k++) {
      double lo[L];
      wp_pathway_lanes_low_balance(e->sc->corporate.cash_start_usd, g->cf4 + k * M * L, corp_cf,
                                   M, lo);
      for (size_t l = 0; l < g->nl; l++) {
        const lane *ln = &g->lanes[l];
        e->npv[k * e->paths + ln->path] = ln->acc[k];
        e->min_cash[k * e->paths + ln->path] = lo[l];
      }
    }
    atomic_fetch_add_explicit(&e->done, g->nl, memory_order_relaxed);
  }
done:
  free(buf);
  for (size_t l = 0; l < L; l++) wp_market_path_release(&g->lanes[l].mp);
  wp_pathway_eval_free(ev);
  return st;
}

static void *worker_main(void *arg)
{
  worker *w = arg;
  w->st = worker_loop(w);
  if (w->st) atomic_store(&w->e->stop, 1);
  atomic_store(&w->finished, 1);
  return NULL;
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Run the workers over contiguous blocks of paths; report progress from this thread. */
static wp_status run_workers(engine *e, const wp_risk_opts *o, unsigned threads, wp_error *err)
{
  worker *ws = calloc(threads, sizeof *ws);
  if (!ws) return wp_error_set(err, WP_ENOMEM, "risk: out of memory");
  unsigned started = 0;
  wp_status st = WP_OK;
  for (unsigned t = 0; t < threads; t++) {
    ws[t].e = e;
    ws[t].begin = e->paths * t / threads;
    ws[t].end = e->paths * (t + 1) / threads;
    ws[t].err = (wp_error)WP_ERROR_INIT;
    atomic_init(&ws[t].finished, 0);
    if (pthread_create(&ws[t].thread, NULL, worker_main, &ws[t]) != 0) {
      st = wp_error_set(err, WP_ENOMEM, "risk: cannot start thread %u of %u", t + 1, threads);
      atomic_store(&e->stop, 1);
      break;
    }
    started++;
  }
  if (o->progress && started == threads) {
    for (;;) {
      unsigned fin = 0;
      for (unsigned t = 0; t < threads; t++)
        fin += (unsigned)atomic_load(&ws[t].finished);
      o->progress(atomic_load(&e->done), e->paths, o->progress_ctx);
      if (fin == threads) break;
      struct timespec nap = {0, 250000000L};
      nanosleep(&nap, NULL);
    }
  }
  for (unsigned t = 0; t < started; t++)
    pthread_join(ws[t].thread, NULL);
  for (unsigned t = 0; t < started && st == WP_OK; t++)
    if (ws[t].st) {
      *err = ws[t].err;
      st = ws[t].st;
    }
  free(ws);
  return st;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Quantile q of sorted[0..n-1] by linear interpolation between order statistics at index
** q (n - 1) — GSL's definition (gsl_stats_quantile_from_sorted_data), written as
** v[i] + f (v[i+1] - v[i]) so that equal values give exactly that value. */
static double quantile_sorted(const double *v, size_t n, double q)
{
  double idx = q * (double)(n - 1);
  size_t i = (size_t)idx;
  double f = idx - (double)i;
  if (i + 1 >= n) return v[n - 1];
  return f > 0 ? v[i] + f * (v[i + 1] - v[i]) : v[i];
}

/* Mean of v[0..n-1] as v[0] + mean(v - v[0]): the deviations are small and exact for equal
** values, so equal NPVs (zero volatility) average to exactly that NPV. */
static double mean_about_first(const double *v, size_t n)
{
  double dev = 0;
  for (size_t i = 0; i < n; i++)
    dev += v[i] - v[0];
  return v[0] + dev / (double)n;
}

static void summarize(const engine *e, size_t k, double *sorted, wp_risk_strategy *s)
{
  const size_t n = e->paths;
  const double *v = e->npv + k * n, *mo = e->npv + e->mining_k * n, *mc = e->min_cash + k * n;
  size_t short_n = 0, beats = 0;
  for (size_t p = 0; p < n; p++) {
    if (mc[p] < e->sc->strategy.cash_floor_usd) short_n++;
    if (v[p] > mo[p]) beats++;
  }
  memcpy(sorted, v, n * sizeof *sorted);
  qsort(sorted, n, sizeof *sorted, cmp_double);
  s->npv_mean_usd = mean_about_first(v, n);
  s->npv_p5_usd = quantile_sorted(sorted, n, 0.05);
  s->npv_p50_usd = quantile_sorted(sorted, n, 0.50);
  s->npv_p95_usd = quantile_sorted(sorted, n, 0.95);
  size_t tail = (n + 19) / 20; /* ceil(5 % of n) */
  s->cvar5_usd = mean_about_first(sorted, tail);
  s->p_cash_shortfall = (double)short_n / (double)n;
  s->p_beats_mining_only = (double)beats / (double)n;
}

/* Least-squares fit of y on the basis of the state over n paths at decision k; writes the
** fitted values into fit. Falls back to the mean when the fit is impossible or degenerate
** (e.g. a state that does not vary: month 0, or zero volatility). */
static void fit_on_state(const engine *e, size_t k, const double *y, double *fit, gsl_matrix *X,
                         gsl_vector *yv, gsl_vector *c, gsl_matrix *cov,
                         gsl_multifit_linear_workspace *ws)
{
  const size_t n = e->wait_paths, K = e->wait_k;
  double mean = 0;
  for (size_t p = 0; p < n; p++)
    mean += y[p];
  mean /= (double)n;
  int fitted = 0;
  if (n > 2 * NBASIS) {
    for (size_t p = 0; p < n; p++) {
      const double *x = &e->wait_x[(p * K + k) * 2];
      double row[NBASIS] = {1.0, x[0], x[1], x[0] * x[0], x[1] * x[1], x[0] * x[1]};
      for (int j = 0; j < NBASIS; j++)
        gsl_matrix_set(X, p, (size_t)j, row[j]);
      gsl_vector_set(yv, p, y[p]);
    }
    size_t rank = 0;
    double chisq;
    fitted =
        gsl_multifit_linear_tsvd(X, yv, 1e-9, c, cov, &chisq, &rank, ws) == GSL_SUCCESS && rank > 1;
  }
  for (size_t p = 0; p < n; p++) {
    if (!fitted) {
      fit[p] = mean;
      continue;
    }
    double f = 0;
    for (int j = 0; j < NBASIS; j++)
      f += gsl_matrix_get(X, p, (size_t)j) * gsl_vector_get(c, (size_t)j);
    fit[p] = f;
  }
}

/*
** Least-squares Monte Carlo (Longstaff-Schwartz) on the start month. The payoff of converting
** at month t_k is the NPV uplift over mining of the whole remaining life, which is not known
** at t_k; so both it and the value of holding on are regressed on the state known at t_k (log
** hashprice and log colocation rent relative to the base path; basis 1, x, y, x^2, y^2, xy).
** Backwards over the candidate months, a path converts at t_k when the fitted payoff is
** positive and beats the fitted continuation; its realized value is then its own uplift. The
** last month converts when the fitted payoff is positive, else never (value 0).
*/
static wp_status least_squares_wait(const engine *e, wp_risk_wait *w, wp_error *err)
{
  const size_t n = e->wait_paths, K = e->wait_k;
  double *cash = calloc(4 * n, sizeof *cash);
  size_t *when = calloc(n, sizeof *when);
  gsl_matrix *X = gsl_matrix_alloc(n, NBASIS);
  gsl_vector *yv = gsl_vector_alloc(n), *c = gsl_vector_alloc(NBASIS);
  gsl_matrix *cov = gsl_matrix_alloc(NBASIS, NBASIS);
  gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc(n, NBASIS);
  wp_status st = WP_OK;
  if (!cash || !when || !X || !yv || !c || !cov || !ws) {
    st = wp_error_set(err, WP_ENOMEM, "value of waiting: out of memory");
    goto done;
  }
  double *v = cash + n, *fit_v = v + n, *fit_c = fit_v + n;
  for (size_t p = 0; p < n; p++) {
    cash[p] = 0;
    when[p] = K;
  }
  for (size_t kk = K; kk-- > 0;) {
    for (size_t p = 0; p < n; p++)
      v[p] = e->wait_v[p * K + kk];
    fit_on_state(e, kk, v, fit_v, X, yv, c, cov, ws);
    fit_on_state(e, kk, cash, fit_c, X, yv, c, cov, ws);
    for (size_t p = 0; p < n; p++)
      if (fit_v[p] > 0 && fit_v[p] > fit_c[p]) {
        cash[p] = v[p];
        when[p] = kk;
      }
  }
  double opt = 0;
  size_t never = 0;
  for (size_t p = 0; p < n; p++) {
    opt += cash[p];
    if (when[p] == K) never++;
  }
  w->optimal_usd = opt / (double)n;
  w->p_never = (double)never / (double)n;
  for (size_t k = 0; k < K; k++) {
    double s = 0;
    for (size_t p = 0; p < n; p++)
      s += e->wait_v[p * K + k];
    w->month[k] = e->wait_month[k];
    w->mean_uplift_usd[k] = s / (double)n;
    if (k == 0 || w->mean_uplift_usd[k] > w->best_fixed_usd) {
      w->best_fixed_usd = w->mean_uplift_usd[k];
      w->best_fixed_month = e->wait_month[k];
    }
  }
  w->convert_now_usd = w->mean_uplift_usd[0];
  w->value_of_waiting_usd = w->optimal_usd - w->convert_now_usd;
  w->ndecisions = K;
  w->paths = n;
  w->computed = 1;
done:
  gsl_multifit_linear_free(ws);
  gsl_matrix_free(cov);
  gsl_vector_free(c);
  gsl_vector_free(yv);
  gsl_matrix_free(X);
  free(when);
  free(cash);
  return st;
}

static int same_decision(const wp_plan_decision *a, const wp_plan_decision *b)
{
  if (a->business == WP_BUSINESS_MINING || b->business == WP_BUSINESS_MINING)
    return a->business == b->business;
  return a->business == b->business && a->convert_month == b->convert_month &&
         a->convert_fraction == b->convert_fraction;
}

/* Distinct pathways per site, and which one each strategy uses. */
static wp_status build_unique(engine *e, wp_error *err)
{
  const size_t S = e->nsites, K = e->nstrat;
  e->u = calloc(S * K, sizeof *e->u);
  e->u_of = calloc(S * K, sizeof *e->u_of);
  e->u_first = calloc(S + 1, sizeof *e->u_first);
  if (!e->u || !e->u_of || !e->u_first) return wp_error_set(err, WP_ENOMEM, "risk: out of memory");
  e->nu = 0;
  for (size_t i = 0; i < S; i++) {
    e->u_first[i] = e->nu;
    for (size_t k = 0; k < K; k++) {
      const wp_plan_decision *d = wp_plan_decision_at(e->dec, k, i);
      size_t u = e->u_first[i];
      while (u < e->nu && !same_decision(&e->u[u].d, d))
        u++;
      if (u == e->nu) {
        e->u[u].site = i;
        e->u[u].d = *d;
        e->u[u].p = wp_plan_pathway(e->sc, d);
        e->u[u].converting = d->business != WP_BUSINESS_MINING;
        e->nu++;
      }
      e->u_of[k * S + i] = u;
    }
  }
  e->u_first[S] = e->nu;
  return WP_OK;
}

/* The value-of-waiting site and its candidate start months. */
static wp_status setup_wait(engine *e, const wp_risk_opts *o, wp_error *err)
{
  e->wait_site = -1;
  if (!o->value_of_waiting) return WP_OK;
  const wp_scenario *sc = e->sc;
  if (sc->risk.wait_site[0]) {
    e->wait_site = wp_scenario_site_index(sc, sc->risk.wait_site);
    if (e->wait_site < 0)
      return wp_error_set(err, WP_EINVAL, "risk.wait_site: no site is called '%s'",
                          sc->risk.wait_site);
    if (!sc->sites[e->wait_site].ai_ready)
      return wp_error_set(err, WP_EINVAL,
                          "risk.wait_site: site %s is not AI-ready; it cannot convert",
                          sc->risk.wait_site);
  } else {
    for (size_t k = 0; k < e->nstrat && e->wait_site < 0; k++)
      if (e->dec->strategies[k] == WP_STRATEGY_HYBRID)
        for (size_t i = 0; i < e->nsites && e->wait_site < 0; i++)
          if (wp_plan_decision_at(e->dec, k, i)->business != WP_BUSINESS_MINING)
            e->wait_site = (long)i;
    for (size_t i = 0; i < e->nsites && e->wait_site < 0; i++)
      if (sc->sites[i].ai_ready) e->wait_site = (long)i;
    if (e->wait_site < 0) return WP_OK;
  }
  int64_t step = sc->strategy.convert_month_step > 0 ? sc->strategy.convert_month_step : 6;
  e->wait_k = 0;
  for (int64_t t = sc->strategy.earliest_convert_month;
       t <= sc->risk.wait_max_month && t < (int64_t)e->months && e->wait_k < MAX_WAIT; t += step)
    e->wait_month[e->wait_k++] = t;
  if (e->wait_k == 0) {
    e->wait_site = -1;
    return WP_OK;
  }
  e->wait_paths = (size_t)sc->risk.wait_paths < e->paths ? (size_t)sc->risk.wait_paths : e->paths;
  e->wait_v = calloc(e->wait_paths * e->wait_k * 3, sizeof(double));
  if (!e->wait_v) return wp_error_set(err, WP_ENOMEM, "risk: out of memory");
  e->wait_x = e->wait_v + e->wait_paths * e->wait_k;
  return WP_OK;
}

static void engine_release(engine *e)
{
  for (size_t u = 0; e->cache && u < e->nu; u++) {
    for (size_t k = 0; k < CACHE_SLOTS; k++)
      wp_pathway_fast_free(e->cache[u].slot[k].f);
    pthread_mutex_destroy(&e->cache[u].lock);
  }
  free(e->cache);
  free(e->wait_v);
  free(e->npv);
  free(e->min_cash);
  free(e->mode_days);
  free(e->u);
  free(e->u_of);
  free(e->u_first);
  wp_schedule_free(e->tmpl);
  wp_risk_market_free(e->gen);
  wp_plan_decisions_free(e->dec);
}

void wp_risk_result_free(wp_risk_result *r)
{
  if (!r) return;
  for (size_t k = 0; k < r->nstrategies; k++) {
    free(r->strategies[k].npv_usd);
    free(r->strategies[k].min_cash_usd);
  }
  free(r);
}

static unsigned online_cores(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (unsigned)n : 1u;
}

wp_status wp_risk_run(const wp_scenario *sc, const wp_risk_opts *o, wp_risk_result **out,
                      wp_error *err)
{
  if (!sc || !o || !out) return wp_error_set(err, WP_EINVAL, "risk: NULL argument");
  *out = NULL;
  if (o->paths == 0)
    return wp_error_set(err, WP_EINVAL, "risk: paths 0 is out of range; accepted >= 1");
  if (!(o->mask & WP_STRATEGY_ALL))
    return wp_error_set(err, WP_EINVAL, "risk: no strategy selected");
  gsl_set_error_handler_off();
  engine e;
  memset(&e, 0, sizeof e);
  e.sc = sc;
  e.paths = o->paths;
  e.seed = o->seed;
  atomic_init(&e.done, 0);
  atomic_init(&e.stop, 0);
  wp_risk_result *res = NULL;
  double *sorted = NULL;
  wp_status st = wp_risk_assumptions_check(&sc->risk, err);
  if (st) {
    wp_error inner = *err;
    return wp_error_set(err, st, "risk: %s", inner.msg);
  }
  unsigned mask = (o->mask & WP_STRATEGY_ALL) | WP_STRATEGY_BIT(WP_STRATEGY_MINING_ONLY);
  if ((st = wp_plan_decide(sc, mask, &e.dec, err))) goto done;
  e.nstrat = e.dec->nstrategies;
  e.nsites = e.dec->nsites;
  e.months = e.dec->months;
  for (size_t k = 0; k < e.nstrat; k++)
    if (e.dec->strategies[k] == WP_STRATEGY_MINING_ONLY) e.mining_k = k;
  if ((st = wp_risk_market_new(&sc->market, &sc->risk, sc->start, e.months, &e.gen, err)))
    goto done;
  if ((st = build_unique(&e, err))) goto done;
  if (!(e.cache = calloc(e.nu ? e.nu : 1, sizeof *e.cache))) {
    st = wp_error_set(err, WP_ENOMEM, "risk: out of memory");
    goto done;
  }
  for (size_t u = 0; u < e.nu; u++) {
    pthread_mutex_init(&e.cache[u].lock, NULL);
    atomic_init(&e.cache[u].count, 0);
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
  e.npv = calloc(e.nstrat * e.paths, sizeof *e.npv);
  e.min_cash = calloc(e.nstrat * e.paths, sizeof *e.min_cash);
  e.mode_days = calloc(e.tmpl_count + 1, sizeof *e.mode_days);
  sorted = calloc(e.paths, sizeof *sorted);
  res = calloc(1, sizeof *res);
  if (!e.npv || !e.min_cash || !e.mode_days || !sorted || !res) {
    st = wp_error_set(err, WP_ENOMEM, "risk: out of memory for %zu paths", e.paths);
    goto done;
  }
  if ((st = setup_wait(&e, o, err))) goto done;
  unsigned threads = o->threads ? o->threads : online_cores();
  if (threads > e.paths) threads = (unsigned)e.paths;
  for (size_t a = 0; a < e.tmpl_count; a++)
    e.mode_days[a] = wp_schedule_activity(e.tmpl, a)->mode_days;
  double t0 = now_s();
  if ((st = run_workers(&e, o, threads, err))) goto done;
  res->seconds = now_s() - t0;
  res->threads = threads;
  res->paths = e.paths;
  res->seed = e.seed;
  res->months = e.months;
  res->nsites = e.nsites;
  res->cash_floor_usd = sc->strategy.cash_floor_usd;
  for (size_t k = 0; k < e.nstrat; k++) {
    if (!(o->mask & WP_STRATEGY_BIT(e.dec->strategies[k]))) continue;
    wp_risk_strategy *s = &res->strategies[res->nstrategies++];
    snprintf(s->name, sizeof s->name, "%s", wp_strategy_name(e.dec->strategies[k]));
    s->plan_npv_usd = e.dec->npv_usd[k];
    summarize(&e, k, sorted, s);
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
    if ((st = least_squares_wait(&e, &res->wait, err))) goto done;
  }
done:
  free(sorted);
  engine_release(&e);
  if (st) {
    wp_risk_result_free(res);
    return st;
  }
  *out = res;
  return WP_OK;
}
