/* Solving a wp_program with CBC through its C interface (src/plan/solve_int.h). */
#define _POSIX_C_SOURCE 200809L
#include <float.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <coin/Cbc_C_Interface.h>

#include "plan/solve_int.h"

/* One CBC solve at a time in a process: CBC 2.10's solve (CbcMain1 under Cbc_solve) keeps state
** in statics, so two threads solving at once (sweep points, risk studies) could change each
** other's plans: a sweep's CSV differed from run to run under load (the MPI stage of .ci/run).
** A model's life, from its making to its deletion, holds the lock: the solves of a process are
** serialized; everything around them stays parallel. */
static pthread_mutex_t cbc_lock = PTHREAD_MUTEX_INITIALIZER;

const char *wp_solver_name(void)
{
  static char name[48];
  if (!name[0]) snprintf(name, sizeof name, "CBC %s", Cbc_getVersion());
  return name;
}

/* CBC's infinity is DBL_MAX. */
static double bound(double v)
{
  return v == INFINITY ? DBL_MAX : v == -INFINITY ? -DBL_MAX : v;
}

static double now_s(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The program as CBC loads it: its matrix by column (src/plan/polish.c), bounds with CBC's
** infinity, the objective of a minimization. */
typedef struct columns {
  wp_program_csc m;
  double *lo, *hi, *obj, *rlo, *rhi;
} columns;

static void columns_free(columns *c)
{
  wp_program_csc_free(&c->m);
  free(c->lo);
  free(c->hi);
  free(c->obj);
  free(c->rlo);
  free(c->rhi);
}

static wp_status transpose(const wp_program *p, columns *c, wp_error *err)
{
  const size_t nc = wp_program_cols(p), nr = wp_program_rows(p);
  memset(c, 0, sizeof *c);
  wp_status st = wp_program_csc_of(p, &c->m, err);
  if (st) return st;
  c->lo = malloc((nc ? nc : 1) * sizeof *c->lo);
  c->hi = malloc((nc ? nc : 1) * sizeof *c->hi);
  c->obj = malloc((nc ? nc : 1) * sizeof *c->obj);
  c->rlo = malloc((nr ? nr : 1) * sizeof *c->rlo);
  c->rhi = malloc((nr ? nr : 1) * sizeof *c->rhi);
  if (!c->lo || !c->hi || !c->obj || !c->rlo || !c->rhi)
    return wp_error_set(err, WP_ENOMEM, "solver: out of memory");
  for (size_t i = 0; i < nr; i++) {
    wp_program_row r = wp_program_row_at(p, i);
    c->rlo[i] = bound(r.lo);
    c->rhi[i] = bound(r.hi);
  }
  for (size_t j = 0; j < nc; j++) {
    const wp_program_col *col = wp_program_col_at(p, j);
    c->lo[j] = bound(col->lo);
    c->hi[j] = bound(col->hi);
    c->obj[j] = wp_program_maximize(p) ? -col->obj : col->obj; /* CBC minimizes (below) */
  }
  return WP_OK;
}

wp_status wp_program_solve(const wp_program *p, const wp_solve_opts *o, wp_solution *s,
                           wp_error *err)
{
  const size_t nc = wp_program_cols(p), nr = wp_program_rows(p);
  columns c;
  wp_status st = transpose(p, &c, err);
  if (st) {
    columns_free(&c);
    return st;
  }
  pthread_mutex_lock(&cbc_lock); /* from the model's making to its deletion */
  Cbc_Model *m = Cbc_newModel();
  if (!m) {
    pthread_mutex_unlock(&cbc_lock);
    columns_free(&c);
    return wp_error_set(err, WP_ENOMEM, "solver: out of memory");
  }
  const double t0 = now_s();
  Cbc_setProblemName(m, wp_program_name(p));
  Cbc_loadProblem(m, (int)nc, (int)nr, c.m.start, c.m.index, c.m.value, c.lo, c.hi, c.obj, c.rlo, c.rhi);
  for (size_t j = 0; j < nc; j++) {
    const wp_program_col *col = wp_program_col_at(p, j);
    if (col->integer && !o->relax) Cbc_setInteger(m, (int)j);
    Cbc_setColName(m, (int)j, col->name); /* a MIP start names its columns */
  }
  /* Always a minimization (a maximum as the minimum of the negated objective): with a MIP start
     and the maximizing sense, CBC 2.10.8's C interface took the start's objective with the wrong
     sign as its cutoff and called a program with better plans "infeasible" (tests/
     test_optimizer.c, the brute-force portfolios). */
  Cbc_setObjSense(m, 1.0);
  Cbc_setLogLevel(m, 0);
  Cbc_setAllowableFractionGap(m, o->gap);
  Cbc_setAllowableGap(m, o->abs_gap > 0 ? o->abs_gap : 1e-9);
  Cbc_setMaximumSeconds(m, o->seconds);
  if (o->nodes > 0) Cbc_setMaximumNodes(m, o->nodes > 0x7fffffff ? 0x7fffffff : (int)o->nodes);
  Cbc_setParameter(m, "threads", "0");
  Cbc_setParameter(m, "integerTolerance", "1e-9");
  /* No cut generators: on the planner's programs their cuts never stay active at the root (CBC's
     own statistics on the default scenario's hybrid program: 455 cuts, 0 active) and they take
     most of the root's time (docs/performance.md "The planner"). */
  Cbc_setParameter(m, "cuts", "off");
  /* A known feasible solution starts the search (by name: the interface's by-index form looks
     names up one past the end). */
  if (o->start) {
    const char **names = malloc((nc ? nc : 1) * sizeof *names);
    if (names) {
      for (size_t j = 0; j < nc; j++) names[j] = wp_program_col_at(p, j)->name;
      Cbc_setMIPStart(m, (int)nc, names, o->start);
      free(names);
    }
  }
  Cbc_solve(m);
  s->seconds = now_s() - t0;
  const int status = Cbc_status(m), secondary = Cbc_secondaryStatus(m);
  const double *best = o->relax ? (Cbc_isProvenOptimal(m) ? Cbc_getColSolution(m) : NULL)
                                : Cbc_bestSolution(m);
  if (Cbc_isProvenInfeasible(m) || secondary == 1) {
    s->status = WP_SOLVED_INFEASIBLE;
  } else if (status == 2 || Cbc_isContinuousUnbounded(m) || secondary == 7) {
    st = wp_error_set(err, WP_ESOLVER, "%s: the solve was abandoned (status %d/%d)",
                      wp_solver_name(), status, secondary);
  } else if (!best) {
    s->status = WP_SOLVED_NONE;
  } else {
    s->status = status == 1 ? WP_SOLVED_LIMIT : WP_SOLVED_OPTIMAL;
    for (size_t j = 0; j < nc; j++)
      s->x[j] = wp_program_col_at(p, j)->integer && !o->relax ? nearbyint(best[j]) : best[j];
    s->objective = wp_program_objective(p, s->x);
    s->bound = Cbc_getBestPossibleObjValue(m);
    if (wp_program_maximize(p)) s->bound = -s->bound;
    /* a bound can only lie on the far side of the plan (CBC leaves it unset when it proves
       the plan optimal at the root) */
    if (!isfinite(s->bound) || (wp_program_maximize(p) ? s->bound < s->objective
                                                       : s->bound > s->objective))
      s->bound = s->objective;
  }
  s->time_limit = secondary == 4;
  Cbc_deleteModel(m);
  pthread_mutex_unlock(&cbc_lock);
  columns_free(&c);
  return st;
}
