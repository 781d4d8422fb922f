/*
** src/risk/engine_int.h — internal: the risk engine's state shared by its parts: the engine
** (engine.c: set-up, distinct pathways, results), the workers (workers.c: groups of lanes of
** paths), the kernel cache (cache.c), the statistics (stats.c) and the value of waiting
** (wait.c). docs/model/risk.md describes the method; wattpivot/risk.h the contract.
*/
#ifndef WP_RISK_ENGINE_INT_H
#define WP_RISK_ENGINE_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "risk/kernel_int.h"
#include "wattpivot/planner.h"
#include "wattpivot/risk.h"
#include "wattpivot/scenario.h"

/* Prepared kernels kept per pathway, one per distinct drawn schedule (in months), shared by
** the workers. The fast-track template's drawn phase months take 73 distinct values in 20,000
** draws (measured); schedules beyond the slots run in full (the same results, slower). */
#define CACHE_SLOTS 256

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

/* A distinct project of a site: evaluated once per path, shared by the strategies that have it
** (bit k of uses: the k-th decided strategy). A site's projects are ordered so that every
** strategy meets its own in its own order: its NPV and cash sum as the plan's do, bit for bit. */
typedef struct unique_pw {
  size_t site;        /* its site: power prices and schedule draws are the site's */
  wp_plan_project proj;
  wp_site s;          /* the site the project runs as (wp_plan_project_site) */
  wp_pathway p;
  int converting;
  int whole_mine;     /* the whole site mining (the value-of-waiting study's baseline) */
  unsigned uses;
} unique_pw;

typedef struct engine {
  const wp_scenario *sc;
  const wp_plan_decisions *dec; /* the plan evaluated: the caller's, or owned */
  wp_plan_decisions *owned;     /* decided here (freed with the engine), or NULL */
  wp_risk_market *gen;
  size_t paths, months, nsites, nstrat, nu;
  size_t first, count; /* the paths this process runs (a split run: its block; else all) */
  uint64_t seed;
  unique_pw *u;
  fast_cache *cache;      /* [nu]: each pathway's prepared kernels, shared by the workers */
  size_t *u_first; /* nsites + 1: site i's distinct projects are u[u_first[i]..] */
  size_t mining_k; /* index of mining-only among the decided strategies */
  /* Schedule draws: the template every conversion of the scenario uses. */
  wp_schedule *tmpl;
  size_t tmpl_count, nphases;
  double *mode_days;
  int draw_schedule;
  /* Per-path results of paths first .. first + count - 1 (p: a path's index in the block). */
  double *npv;      /* [k * count + p] */
  double *min_cash; /* [k * count + p] */
  /* Value of waiting: on paths 0 .. wait_paths - 1, of which this process runs
     first .. first + wait_count - 1. */
  long wait_site;
  size_t wait_k, wait_paths, wait_count;
  int64_t *wait_month; /* wait_k candidate start months */
  double *wait_v; /* [p * wait_k + k]: uplift over mining of converting at month k */
  double *wait_x; /* [(p * wait_k + k) * 2 + j]: state at month k */
  /* Progress and errors. */
  atomic_size_t done;
  atomic_int stop;
} engine;

/* ---- cache.c */

/* Initialize an empty cache; release its kernels. */
void wp_risk_cache_init(fast_cache *c);
void wp_risk_cache_release(fast_cache *c);

/* Slots published so far (a reader scans slots [0, this) without the lock). */
size_t wp_risk_cache_count(const fast_cache *c);

/* The published slot of schedule key among slots [from, to) of c, or NULL. */
const fast_slot *wp_risk_cache_find(const fast_cache *c, size_t from, size_t to,
                                    const int64_t *key, size_t nkey);

/* Publish kernel f (usable or not) for schedule key, unless a slot published since `seen`
** has the same key or no slot is left; takes f (freed when not published). */
void wp_risk_cache_publish(fast_cache *c, size_t seen, const int64_t *key, size_t nkey,
                           wp_pathway_fast *f, int usable);

/* ---- workers.c */

/* Run the workers over contiguous blocks of paths; report progress from this thread. */
wp_status wp_risk_run_workers(engine *e, const wp_risk_opts *o, unsigned threads,
                              wp_error *err);

/* Pathway p of site s run in full on market path mp: its NPV (errors name the path and site). */
static inline wp_status wp_risk_run_pathway(wp_pathway_eval *ev, const engine *e,
                                            const wp_site *s, const wp_pathway *p,
                                            const wp_market_path *mp, double *npv_usd,
                                            uint64_t path, wp_error *err)
{
  wp_pathway_result r;
  wp_status st = wp_pathway_run(ev, s, p, mp, &e->dec->site_terms, &r, err);
  if (st)
    return wp_error_prefix(err, st, "path %llu, site %s", (unsigned long long)path, s->name);
  *npv_usd = r.metrics.npv_usd;
  return WP_OK;
}

/* ---- stats.c */

/* Strategy k's distribution over the paths (sorted: scratch of paths doubles). */
void wp_risk_summarize(const engine *e, size_t k, double *sorted, wp_risk_strategy *s);

/* ---- wait.c */

/* The value-of-waiting site and its candidate start months (wait_site -1: no study). */
wp_status wp_risk_wait_setup(engine *e, const wp_risk_opts *o, wp_error *err);

/* Room for the study's samples of count paths (wait_v, wait_x; wait_count = count). */
wp_status wp_risk_wait_alloc(engine *e, size_t count, wp_error *err);

/* The study's path p: mining (npv_mine) and every candidate start month on market mp. */
wp_status wp_risk_wait_path(wp_pathway_eval *ev, const engine *e, const wp_market_path *mp,
                            uint64_t p, double npv_mine, wp_error *err);

/* Least-squares Monte Carlo over the studied paths into w. */
wp_status wp_risk_wait_solve(const engine *e, wp_risk_wait *w, wp_error *err);

#endif
