/*
** The risk engine's workers: each takes a contiguous block of paths in groups of lanes, draws
** the group's markets and schedules, evaluates every site's distinct pathways through the
** shared prepared kernels (or in full), and keeps per-path scalars (docs/model/risk.md).
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/schedule_int.h"
#include "risk/engine_int.h"
#include "risk/market_int.h"

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

/* Add project u (NPV and equity flows eq[m]) to the strategies of lane l that have it. */
static void accumulate(const engine *e, group *g, size_t l, size_t u, double npv,
                       const double *eq)
{
  const size_t M = e->months;
  lane *ln = &g->lanes[l];
  if (e->u[u].whole_mine) ln->npv_mine = npv;
  for (size_t k = 0; k < e->nstrat; k++) {
    if (!(e->u[u].uses & (1u << k))) continue;
    ln->acc[k] += npv;
    double *c = g->cf4 + k * M * L + l;
    for (size_t m = 0; m < M; m++)
      c[m * L] += eq[m];
  }
}

/* The same for the lanes of a lanes call (flows lane-interleaved in g->eq4); pending[l]: lane
** l's result is from that call. */
static void accumulate_lanes(const engine *e, group *g, size_t u, const double *npv,
                             const int *pending)
{
  const size_t M = e->months;
  int all = 1;
  for (size_t l = 0; l < L; l++) {
    all = all && pending[l];
    if (pending[l] && e->u[u].whole_mine) g->lanes[l].npv_mine = npv[l];
  }
  double *sums[WP_STRATEGY_COUNT];
  size_t nsums = 0;
  for (size_t k = 0; k < e->nstrat; k++) {
    if (!(e->u[u].uses & (1u << k))) continue;
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
** Project u of site i on the group's lanes. A lane whose schedule has a usable prepared kernel
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
    const size_t seen = wp_risk_cache_count(c);
    const fast_slot *s = wp_risk_cache_find(c, 0, seen, ln->key, nkey);
    if (s && s->usable) {
      k[l] = s->f;
      pending[l] = 1;
      if (!npend++) first = l;
      continue;
    }
    if (up->converting && (st = use_schedule(ev, e, ln, err))) return st;
    const wp_market_path *mp;
    if ((st = lane_path(e, g, l, &mp, err))) return st;
    double npv = 0.0;
    int prepared = 0;
    if (!s && seen < CACHE_SLOTS) {
      /* A new schedule: prepare its kernel (a full run, whose result this lane uses) outside
         the lock, then publish it unless another worker published the same schedule first. */
      wp_pathway_fast *nf = NULL;
      int usable = 0;
      wp_pathway_result r;
      st = wp_pathway_fast_new(e->months, &nf, err);
      if (!st)
        st = wp_pathway_fast_prepare(nf, ev, &up->s, &up->p, mp, &e->dec->site_terms, &r,
                                     &usable, err);
      if (st) {
        wp_pathway_fast_free(nf);
        return wp_error_prefix(err, st, "path %llu, site %s", (unsigned long long)ln->path,
                               up->s.name);
      }
      npv = r.metrics.npv_usd;
      prepared = 1;
      wp_risk_cache_publish(c, seen, ln->key, nkey, nf, usable);
    }
    /* Declined, or no slot left: the full run. */
    if (!prepared && (st = wp_risk_run_pathway(ev, e, &up->s, &up->p, mp, &npv, ln->path, err)))
      return st;
    accumulate(e, g, l, u, npv, wp_pathway_ledger(ev)->equity_cash_flow_usd);
  }
  if (!npend) return WP_OK;
  /* Lanes that are done run a pending lane's kernel on their own market: valid work whose
     result is discarded (cheaper than a second pass). */
  if (nl == L && npend >= 2) {
    double npv[L];
    for (size_t l = 0; l < nl; l++)
      if (!pending[l]) k[l] = k[first];
    if (wp_pathway_fast_eval_lanes(k, &g->mk, g->pw4, g->eq4, scratch, npv)) {
      accumulate_lanes(e, g, u, npv, pending);
      return WP_OK;
    }
  }
  if ((st = split_power(e, g, i, err))) return st;
  for (size_t l = 0; l < nl; l++)
    if (pending[l]) {
      lane *ln = &g->lanes[l];
      double npv = wp_pathway_fast_eval(k[l], &ln->mp, ln->pw, ln->eq, scratch);
      accumulate(e, g, l, u, npv, ln->eq);
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
  if (g->nl == L) {
    wp_pathway_site_power_lanes(&e->dec->sites[i], &g->mk, g->pw4);
    wp_pathway_site_power_override(&e->dec->sites[i], e->sc->start, g->mk.months, L, g->pw4);
  } else if ((st = split_power(e, g, i, err)))
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
      const wp_plan_project whole = {.site = i, .share = 1.0, .business = WP_BUSINESS_MINING,
                                     .convert_month = -1};
      wp_pathway mine = wp_plan_project_pathway(e->sc, &whole);
      if ((st = wp_risk_run_pathway(ev, e, &e->dec->sites[i], &mine, mp, &ln->npv_mine, ln->path,
                                    err)))
        return st;
    }
    if ((st = wp_risk_wait_path(ev, e, mp, ln->path, ln->npv_mine, err))) return st;
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
        e->npv[k * e->count + (ln->path - e->first)] = ln->acc[k];
        e->min_cash[k * e->count + (ln->path - e->first)] = lo[l];
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

wp_status wp_risk_run_workers(engine *e, const wp_risk_opts *o, unsigned threads,
                              wp_error *err)
{
  worker *ws = calloc(threads, sizeof *ws);
  if (!ws) return wp_error_set(err, WP_ENOMEM, "risk: out of memory");
  unsigned started = 0;
  wp_status st = WP_OK;
  for (unsigned t = 0; t < threads; t++) {
    ws[t].e = e;
    ws[t].begin = e->first + e->count * t / threads;
    ws[t].end = e->first + e->count * (t + 1) / threads;
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
      o->progress(atomic_load(&e->done), e->count, o->progress_ctx);
      if (fin == threads) break;
      struct timespec nap = {0, 250000000L};
      nanosleep(&nap, NULL);
    }
  }
  for (unsigned t = 0; t < started; t++)
    pthread_join(ws[t].thread, NULL);
  for (unsigned t = 0; t < started && st == WP_OK; t++)
    if (ws[t].st) {
      if (err) *err = ws[t].err;
      st = ws[t].st;
    }
  free(ws);
  return st;
}
