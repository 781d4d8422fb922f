/*
** A program's matrix by column, and a local search that improves an integer solution by moves of
** two columns of an equation (src/plan/solve_int.h). The planner polishes the plan of a solve stopped by
** its node limit with it (docs/planner.md "Performance and limits of the optimizer").
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/solve_int.h"

/* Both in the program's own units. The planner's: money rows and the NPV objective in million
   USD (1e-7 = $0.10), tranche and crew rows in counts, region and MW rows (and all-in's MW
   objective) in MW; its money rows are already tightened by $100 (src/plan/optimize.c), so a
   move within FEAS_TOL never breaks a limit. */
#define FEAS_TOL 1e-7 /* how far a row may go beyond its bounds */
#define GAIN_MIN 1e-7 /* the least objective gain a move must bring */

wp_status wp_program_csc_of(const wp_program *p, wp_program_csc *c, wp_error *err)
{
  const size_t nc = wp_program_cols(p), nr = wp_program_rows(p), nz = wp_program_nonzeros(p);
  memset(c, 0, sizeof *c);
  if (nz > (size_t)0x7fffffff || nc > (size_t)0x7fffffff || nr > (size_t)0x7fffffff)
    return wp_error_set(err, WP_ESOLVER, "program too large for CBC: %zu nonzeros", nz);
  c->start = calloc(nc + 1, sizeof *c->start);
  c->index = malloc((nz ? nz : 1) * sizeof *c->index);
  c->value = malloc((nz ? nz : 1) * sizeof *c->value);
  int *fill = calloc(nc ? nc : 1, sizeof *fill);
  if (!c->start || !c->index || !c->value || !fill) {
    free(fill);
    return wp_error_set(err, WP_ENOMEM, "solver: out of memory");
  }
  for (size_t i = 0; i < nr; i++) {
    wp_program_row r = wp_program_row_at(p, i);
    for (size_t k = 0; k < r.n; k++) c->start[r.idx[k] + 1]++;
  }
  for (size_t j = 0; j < nc; j++) c->start[j + 1] += c->start[j];
  for (size_t i = 0; i < nr; i++) {
    wp_program_row r = wp_program_row_at(p, i);
    for (size_t k = 0; k < r.n; k++) {
      const size_t j = r.idx[k];
      const int at = c->start[j] + fill[j]++;
      c->index[at] = (int)i;
      c->value[at] = r.val[k];
    }
  }
  free(fill);
  return WP_OK;
}

void wp_program_csc_free(wp_program_csc *c)
{
  free(c->start);
  free(c->index);
  free(c->value);
  memset(c, 0, sizeof *c);
}

typedef struct move {
  double gain;
  size_t j, k;
  int dj, dk;
} move;

typedef struct search {
  const wp_program *p;
  wp_program_csc c;
  double *x, *act, *lo, *hi, *delta;
  int *touched;
  double sense; /* 1 maximizing, -1 minimizing */
  double work, max_work;
  move *cand;
  size_t ncand, cap;
} search;

static int by_gain(const void *a, const void *b)
{
  const move *u = a, *v = b;
  if (u->gain != v->gain) return u->gain < v->gain ? 1 : -1;
  if (u->j != v->j) return u->j < v->j ? -1 : 1; /* ties in a fixed order: deterministic */
  if (u->k != v->k) return u->k < v->k ? -1 : 1;
  return u->dj != v->dj ? (u->dj < v->dj ? -1 : 1) : (u->dk < v->dk ? -1 : 1);
}

static int in_bounds(const search *S, size_t j, int d)
{
  const wp_program_col *col = wp_program_col_at(S->p, j);
  const double v = S->x[j] + d;
  return col->integer && v >= col->lo - FEAS_TOL && v <= col->hi + FEAS_TOL;
}

static double gain_of(const search *S, size_t j, int d)
{
  return S->sense * wp_program_col_at(S->p, j)->obj * d;
}

static void offer(search *S, size_t j, int dj, size_t k, int dk)
{
  if (!in_bounds(S, j, dj) || !in_bounds(S, k, dk)) return;
  const double g = gain_of(S, j, dj) + gain_of(S, k, dk);
  if (!(g > GAIN_MIN)) return;
  if (S->ncand == S->cap) {
    size_t cap = S->cap ? 2 * S->cap : 256;
    move *m = realloc(S->cand, cap * sizeof *m);
    if (!m) return; /* fewer candidates: still a correct search */
    S->cand = m;
    S->cap = cap;
  }
  S->cand[S->ncand++] = (move){g, j, k, dj, dk};
}

static size_t spread(search *S, size_t j, int d, size_t n)
{
  for (int a = S->c.start[j]; a < S->c.start[j + 1]; a++) {
    const int r = S->c.index[a];
    if (S->delta[r] == 0.0) S->touched[n++] = r;
    S->delta[r] += S->c.value[a] * d;
  }
  S->work += S->c.start[j + 1] - S->c.start[j];
  return n;
}

/* Does the move keep every row it touches within its bounds (or no worse than it was)? */
static int feasible(search *S, const move *m)
{
  const size_t n = spread(S, m->k, m->dk, spread(S, m->j, m->dj, 0));
  int ok = 1;
  for (size_t t = 0; t < n; t++) {
    const int r = S->touched[t];
    const double d = S->delta[r], a = S->act[r] + d;
    if ((a < S->lo[r] - FEAS_TOL && d < 0) || (a > S->hi[r] + FEAS_TOL && d > 0)) ok = 0;
    S->delta[r] = 0.0;
  }
  return ok;
}

static void apply(search *S, const move *m)
{
  const int d[2] = {m->dj, m->dk};
  const size_t col[2] = {m->j, m->k};
  for (int u = 0; u < 2; u++) {
    for (int a = S->c.start[col[u]]; a < S->c.start[col[u] + 1]; a++)
      S->act[S->c.index[a]] += S->c.value[a] * d[u];
    S->x[col[u]] += d[u];
  }
}

/* Take the best feasible candidate, if any. */
static int take_best(search *S)
{
  if (!S->ncand) return 0; /* (no array yet: qsort takes none) */
  qsort(S->cand, S->ncand, sizeof *S->cand, by_gain);
  for (size_t t = 0; t < S->ncand && S->work < S->max_work; t++)
    if (feasible(S, &S->cand[t])) {
      apply(S, &S->cand[t]);
      return 1;
    }
  return 0;
}

/* Pairs of an equation's integer columns whose unit moves keep it. */
static int improve_equation(search *S, size_t i)
{
  const wp_program_row r = wp_program_row_at(S->p, i);
  S->ncand = 0;
  for (size_t a = 0; a < r.n; a++)
    for (size_t b = a + 1; b < r.n; b++)
      for (int sa = -1; sa <= 1; sa += 2)
        for (int sb = -1; sb <= 1; sb += 2)
          if (r.val[a] * sa + r.val[b] * sb == 0.0) offer(S, r.idx[a], sa, r.idx[b], sb);
  return take_best(S);
}

size_t wp_program_polish(const wp_program *p, double *x, double max_work)
{
  const size_t nr = wp_program_rows(p);
  search S = {.p = p, .x = x, .sense = wp_program_maximize(p) ? 1.0 : -1.0, .max_work = max_work};
  size_t moves = 0;
  if (wp_program_csc_of(p, &S.c, NULL) != WP_OK) goto done;
  S.act = calloc(4 * (nr ? nr : 1), sizeof *S.act);
  S.touched = malloc((nr ? nr : 1) * sizeof *S.touched);
  if (!S.act || !S.touched) goto done;
  S.lo = S.act + nr;
  S.hi = S.lo + nr;
  S.delta = S.hi + nr;
  for (size_t i = 0; i < nr; i++) {
    const wp_program_row r = wp_program_row_at(p, i);
    S.lo[i] = r.lo;
    S.hi[i] = r.hi;
    for (size_t k = 0; k < r.n; k++) S.act[i] += r.val[k] * x[r.idx[k]];
  }
  for (int more = 1; more && S.work < max_work;) {
    more = 0;
    for (size_t i = 0; i < nr && S.work < max_work; i++) {
      const wp_program_row r = wp_program_row_at(p, i);
      if (r.lo != r.hi) continue;
      while (S.work < max_work && improve_equation(&S, i)) moves++, more = 1;
    }
  }
done:
  wp_program_csc_free(&S.c);
  free(S.act);
  free(S.touched);
  free(S.cand);
  return moves;
}
