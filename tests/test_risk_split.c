/*
** risk split over processes (wattpivot/risk.h wp_risk_exchange, docs/distributed.md), without
** MPI: R threads play R processes, exchanging through a barrier. The root's results must equal
** one process running every path bit for bit (every per-path value, every statistic, the value
** of waiting), for any split, thread count and empty blocks; a process that fails ends the
** others with WP_EPEER instead of leaving them waiting.
*/
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "decided.h"
#include "harness.h"
#include "wattpivot.h"

#define MAXP 8

/* What the processes share: a barrier and one slot each. */
typedef struct shared {
  pthread_barrier_t bar;
  int nproc;
  int ok[MAXP];
  const double *mine[MAXP];
  size_t n[MAXP];
} shared;

typedef struct proc {
  shared *sh;
  int rank;
  const wp_scenario *sc;
  wp_risk_opts o;
  wp_risk_exchange x;
  wp_risk_result *res;
  wp_status st;
  wp_error err;
  int calls; /* all_ok calls */
} proc;

static int all_ok(void *ctx, int ok)
{
  proc *p = ctx;
  shared *sh = p->sh;
  p->calls++;
  sh->ok[p->rank] = ok;
  pthread_barrier_wait(&sh->bar);
  int all = 1;
  for (int r = 0; r < sh->nproc; r++)
    all &= sh->ok[r];
  pthread_barrier_wait(&sh->bar); /* every process has read the slots */
  return all;
}

static int gather(void *ctx, const double *mine, size_t n, double *all, size_t n_all)
{
  proc *p = ctx;
  shared *sh = p->sh;
  sh->mine[p->rank] = mine;
  sh->n[p->rank] = n;
  pthread_barrier_wait(&sh->bar);
  int bad = 0;
  if (p->rank == 0) {
    size_t at = 0;
    for (int r = 0; r < sh->nproc; r++)
      at += sh->n[r];
    bad = at != n_all || !all;
    for (int r = 0, off = 0; !bad && r < sh->nproc; off += (int)sh->n[r], r++)
      memcpy(all + off, sh->mine[r], sh->n[r] * sizeof *all);
  }
  pthread_barrier_wait(&sh->bar); /* the blocks stay valid until the root has copied them */
  return bad;
}

static void *proc_main(void *arg)
{
  proc *p = arg;
  p->err = (wp_error)WP_ERROR_INIT;
  p->st = wp_risk_run(p->sc, &p->o, &p->res, &p->err);
  return NULL;
}

/* Run paths split over nproc processes of `threads` threads each; process `bad` (or -1) runs
** scenario sc_bad instead. The processes' statuses in st, the root's result returned. */
static wp_risk_result *run_split(const wp_scenario *sc, const wp_scenario *sc_bad, int bad,
                                 size_t paths, int nproc, unsigned threads, wp_status *st)
{
  shared sh = {.nproc = nproc};
  proc ps[MAXP];
  pthread_t th[MAXP];
  pthread_barrier_init(&sh.bar, NULL, (unsigned)nproc);
  for (int r = 0; r < nproc; r++) {
    proc *p = &ps[r];
    memset(p, 0, sizeof *p);
    p->sh = &sh;
    p->rank = r;
    p->sc = r == bad ? sc_bad : sc;
    p->o = (wp_risk_opts)WP_RISK_OPTS_DEFAULT;
    p->o.paths = paths;
    p->o.seed = 11;
    p->o.threads = threads;
    p->o.decisions = r == bad ? NULL : decided(sc, p->o.mask);
    p->x = (wp_risk_exchange){.first = paths * (size_t)r / (size_t)nproc,
                              .count = paths * (size_t)(r + 1) / (size_t)nproc -
                                       paths * (size_t)r / (size_t)nproc,
                              .root = r == 0,
                              .all_ok = all_ok,
                              .gather = gather,
                              .ctx = p};
    p->o.exchange = &p->x;
    pthread_create(&th[r], NULL, proc_main, p);
  }
  for (int r = 0; r < nproc; r++)
    pthread_join(th[r], NULL);
  pthread_barrier_destroy(&sh.bar);
  for (int r = 0; r < nproc; r++) {
    st[r] = ps[r].st;
    CHECK_EQ_I64(ps[r].calls, 1); /* every process agreed once, failed or not */
    if (r > 0) {
      CHECK(ps[r].res == NULL); /* only the root holds a result */
      wp_risk_result_free(ps[r].res);
    }
  }
  return ps[0].res;
}

static wp_scenario *default_scenario(void)
{
  wp_scenario *sc = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(sc && wp_scenario_load_default(sc, &err) == WP_OK)) fprintf(stderr, "%s\n", err.msg);
  return sc;
}

/* Bit for bit: the same bytes, not a tolerance. */
static int same(const void *a, const void *b, size_t n)
{
  return memcmp(a, b, n) == 0;
}

static void check_equal(const wp_risk_result *a, const wp_risk_result *b)
{
  if (!CHECK(a && b)) return;
  CHECK_EQ_I64(a->paths, b->paths);
  if (!CHECK(a->nstrategies == b->nstrategies)) return;
  for (size_t k = 0; k < a->nstrategies; k++) {
    const wp_risk_strategy *s = &a->strategies[k], *t = &b->strategies[k];
    CHECK(same(s->npv_usd, t->npv_usd, a->paths * sizeof(double)));
    CHECK(same(s->min_cash_usd, t->min_cash_usd, a->paths * sizeof(double)));
    CHECK(same(&s->npv_mean_usd, &t->npv_mean_usd, sizeof(double)));
    CHECK(same(&s->npv_p5_usd, &t->npv_p5_usd, sizeof(double)));
    CHECK(same(&s->npv_p50_usd, &t->npv_p50_usd, sizeof(double)));
    CHECK(same(&s->npv_p95_usd, &t->npv_p95_usd, sizeof(double)));
    CHECK(same(&s->cvar5_usd, &t->cvar5_usd, sizeof(double)));
    CHECK(same(&s->p_cash_shortfall, &t->p_cash_shortfall, sizeof(double)));
    CHECK(same(&s->p_beats_mining_only, &t->p_beats_mining_only, sizeof(double)));
  }
  const wp_risk_wait *w = &a->wait, *v = &b->wait;
  CHECK_EQ_I64(w->computed, v->computed);
  CHECK_EQ_I64(w->paths, v->paths);
  if (!CHECK(w->ndecisions == v->ndecisions)) return;
  CHECK(same(w->mean_uplift_usd, v->mean_uplift_usd, w->ndecisions * sizeof(double)));
  CHECK(same(&w->optimal_usd, &v->optimal_usd, sizeof(double)));
  CHECK(same(&w->value_of_waiting_usd, &v->value_of_waiting_usd, sizeof(double)));
  CHECK(same(&w->p_never, &v->p_never, sizeof(double)));
  CHECK_EQ_I64(w->best_fixed_month, v->best_fixed_month);
}

/* Splits of 1001 paths over 1 to 5 processes, 1 or 2 threads each, the value-of-waiting study
** cut at 500 paths (inside a block): the root's results equal one process's bit for bit. */
static void test_split_equals_single(void)
{
  wp_scenario *sc = default_scenario();
  if (!sc) return;
  sc->risk.wait_paths = 500;
  wp_risk_opts o = WP_RISK_OPTS_DEFAULT;
  o.paths = 1001;
  o.seed = 11;
  o.threads = 2;
  o.decisions = decided(sc, o.mask);
  wp_risk_result *one = NULL;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_risk_run(sc, &o, &one, &err) == WP_OK)) fprintf(stderr, "%s\n", err.msg);
  CHECK(one && one->wait.computed && one->wait.paths == 500);
  for (int nproc = 1; nproc <= 5; nproc += 2)
    for (unsigned threads = 1; threads <= 2; threads++) {
      wp_status st[MAXP];
      wp_risk_result *r = run_split(sc, sc, -1, 1001, nproc, threads, st);
      for (int p = 0; p < nproc; p++)
        CHECK_EQ_I64(st[p], WP_OK);
      check_equal(r, one);
      wp_risk_result_free(r);
    }
  wp_risk_result_free(one);
  wp_scenario_free(sc);
}

/* More processes than paths: empty blocks (the root's among them) still take part. */
static void test_empty_blocks(void)
{
  wp_scenario *sc = default_scenario();
  if (!sc) return;
  wp_risk_opts o = WP_RISK_OPTS_DEFAULT;
  o.paths = 3;
  o.seed = 11;
  o.threads = 1;
  o.decisions = decided(sc, o.mask);
  wp_risk_result *one = NULL;
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_risk_run(sc, &o, &one, &err) == WP_OK);
  wp_status st[MAXP];
  wp_risk_result *r = run_split(sc, sc, -1, 3, 5, 1, st); /* blocks of 0, 0, 1, 1, 1 paths */
  for (int p = 0; p < 5; p++)
    CHECK_EQ_I64(st[p], WP_OK);
  check_equal(r, one);
  wp_risk_result_free(r);
  wp_risk_result_free(one);
  wp_scenario_free(sc);
}

/* One process fails (its scenario's risk section is refused inside the engine): it returns its
** own error, every other one WP_EPEER, the root no result, and nobody waits forever. */
static void test_failure_ends_everyone(void)
{
  wp_scenario *sc = default_scenario(), *bad = default_scenario();
  if (!sc || !bad) return;
  bad->risk.btc_vol = -1.0;
  for (int who = 0; who < 3; who++) {
    wp_status st[MAXP];
    wp_risk_result *r = run_split(sc, bad, who, 600, 3, 1, st);
    CHECK(r == NULL);
    for (int p = 0; p < 3; p++)
      CHECK_EQ_I64(st[p], p == who ? WP_EINVAL : WP_EPEER);
    wp_risk_result_free(r);
  }
  wp_scenario_free(sc);
  wp_scenario_free(bad);
}

/* A block outside the paths is refused by that process (and still ends the others). */
static void test_bad_block(void)
{
  wp_scenario *sc = default_scenario();
  if (!sc) return;
  wp_risk_opts o = WP_RISK_OPTS_DEFAULT;
  o.paths = 10;
  wp_risk_exchange x = {.first = 8, .count = 5, .root = 1, .all_ok = NULL, .gather = NULL};
  o.exchange = &x;
  wp_risk_result *r = NULL;
  wp_error err = WP_ERROR_INIT;
  CHECK_EQ_I64(wp_risk_run(sc, &o, &r, &err), WP_EINVAL);
  CHECK(strstr(err.msg, "[8, 13)") != NULL);
  CHECK(r == NULL);
  wp_scenario_free(sc);
}

int main(void)
{
  wp_init();
  RUN(test_split_equals_single);
  RUN(test_empty_blocks);
  RUN(test_failure_ends_everyone);
  RUN(test_bad_block);
  return harness_report();
}
