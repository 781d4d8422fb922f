/*
** polish: the local search that improves a node-limited plan (src/plan/polish.c), held to what
** a local search promises, checked here by enumerating its neighbourhood independently:
** - the result meets every row the start met (and breaks none the start met further);
** - its objective is at least the start's; continuous columns keep their values;
** - no move of two integer columns of an equation by one unit each that keeps the equation is
**   both feasible and improving at the end;
** - a hand-worked program ends where the hand says (a local optimum below the global one:
**   polishing is no proof).
** And the matrix by column (wp_program_csc_of) against the rows it was built from.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "plan/solve_int.h"
#include "wattpivot.h"

#define TOL 1e-7

static size_t col(wp_program *p, const char *name, double lo, double hi, double obj, int integer)
{
  size_t j = 0;
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_program_add_col(p, name, lo, hi, obj, integer, &j, &err) == WP_OK);
  return j;
}

static void row(wp_program *p, const char *name, size_t n, const size_t *idx, const double *val,
                double lo, double hi)
{
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_program_add_row(p, name, n, idx, val, lo, hi, &err) == WP_OK);
}

/* How far x is beyond row i's bounds (0 inside). */
static double breach(const wp_program *p, size_t i, const double *x)
{
  const wp_program_row r = wp_program_row_at(p, i);
  double a = 0;
  for (size_t k = 0; k < r.n; k++) a += r.val[k] * x[r.idx[k]];
  return a < r.lo ? r.lo - a : a > r.hi ? a - r.hi : 0.0;
}

static int feasible(const wp_program *p, const double *x)
{
  for (size_t j = 0; j < wp_program_cols(p); j++) {
    const wp_program_col *c = wp_program_col_at(p, j);
    if (x[j] < c->lo - TOL || x[j] > c->hi + TOL) return 0;
  }
  for (size_t i = 0; i < wp_program_rows(p); i++)
    if (breach(p, i, x) > TOL) return 0;
  return 1;
}

/* The better objective in the program's sense. */
static double gain(const wp_program *p, const double *x, const double *y)
{
  const double d = wp_program_objective(p, y) - wp_program_objective(p, x);
  return wp_program_maximize(p) ? d : -d;
}

/* Is there a feasible improving move of two integer columns of one equation by one unit each,
** keeping it? Enumerated here, without the search's code. */
static int improving_move_left(const wp_program *p, const double *x)
{
  const size_t nc = wp_program_cols(p);
  double *y = malloc(nc * sizeof *y);
  int found = 0;
  for (size_t j = 0; j < nc && !found; j++)
    for (size_t k = j + 1; k < nc && !found; k++)
      for (int dj = -1; dj <= 1 && !found; dj += 2)
        for (int dk = -1; dk <= 1 && !found; dk += 2) {
          if (!wp_program_col_at(p, j)->integer || !wp_program_col_at(p, k)->integer) continue;
          memcpy(y, x, nc * sizeof *y);
          y[j] += dj;
          y[k] += dk;
          int shared = 0; /* both in an equation that the move keeps */
          for (size_t i = 0; i < wp_program_rows(p) && !shared; i++) {
            const wp_program_row r = wp_program_row_at(p, i);
            if (r.lo != r.hi) continue;
            int a = 0, b = 0;
            for (size_t t = 0; t < r.n; t++) a |= r.idx[t] == j, b |= r.idx[t] == k;
            shared = a && b && breach(p, i, y) <= TOL;
          }
          if (!shared) continue;
          found = feasible(p, y) && gain(p, x, y) > 1e-7;
        }
  free(y);
  return found;
}

/* Options a, b, c of one group (n_a + n_b + n_c = N, at most 2), capacity 3a + 2b + c <= 4,
** maximize 5a + 4b + c. From c alone the best move adds an a (+5; 3 + 1 <= 4), and then none
** improves: a = c = 1, worth 6. The optimum is b = 2, worth 8, beyond moves of one tranche. */
static void test_hand_worked(void)
{
  wp_program *p = wp_program_new("hand");
  wp_program_set_maximize(p, 1);
  const size_t a = col(p, "a", 0, 2, 5, 1), b = col(p, "b", 0, 2, 4, 1),
               c = col(p, "c", 0, 2, 1, 1), N = col(p, "N", 0, 2, 0, 1);
  row(p, "group", 4, (size_t[]){a, b, c, N}, (double[]){1, 1, 1, -1}, 0, 0);
  row(p, "capacity", 3, (size_t[]){a, b, c}, (double[]){3, 2, 1}, -INFINITY, 4);
  double x[4] = {0, 0, 1, 1};
  CHECK(wp_program_polish(p, x, 1e9) == 1);
  CHECK(x[a] == 1 && x[b] == 0 && x[c] == 1 && x[N] == 2);
  CHECK_ABS(wp_program_objective(p, x), 6.0, 0);
  CHECK(!improving_move_left(p, x));
  double y[4] = {0, 0, 1, 1};
  CHECK(wp_program_polish(p, y, 0) == 0); /* no work allowed: unchanged */
  CHECK(y[c] == 1 && y[N] == 1);
  wp_program_free(p);
}

static uint64_t next(uint64_t *s)
{
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static double uniform(uint64_t *s) { return (double)(next(s) >> 11) * 0x1.0p-53; }

/* Random programs shaped like the planner's: groups of options (counts up to the group's size,
** an equation with the group's column), dense capacity rows, a continuous column in them that
** the search leaves alone; maximized or minimized; started from converting nothing (or from a
** start that breaks a row). */
static void test_random_programs(void)
{
  for (uint64_t seed = 1; seed <= 40; seed++) {
    uint64_t s = 0x9e3779b97f4a7c15ULL * seed;
    wp_program *p = wp_program_new("random");
    const int maximize = seed % 4 != 0;
    wp_program_set_maximize(p, maximize);
    const size_t groups = 2 + seed % 3, per = 3 + seed % 4, rows = 3 + seed % 3;
    size_t nc = 0, idx[64];
    double val[64];
    char name[64];
    for (size_t g = 0; g < groups; g++) {
      const double size = (double)(1 + next(&s) % 3);
      size_t first = nc;
      for (size_t o = 0; o < per; o++, nc++) {
        snprintf(name, sizeof name, "n%zu_%zu", g, o);
        const double obj = (maximize ? 1 : -1) * (uniform(&s) * 10 - 2);
        col(p, name, 0, size, obj, 1);
      }
      snprintf(name, sizeof name, "N%zu", g);
      const size_t G = col(p, name, 0, size, 0, 1);
      nc++;
      size_t n = 0;
      for (size_t j = first; j < first + per; j++) idx[n] = j, val[n++] = 1;
      idx[n] = G, val[n++] = -1;
      snprintf(name, sizeof name, "group%zu", g);
      row(p, name, n, idx, val, 0, 0);
    }
    const size_t cont = col(p, "s", 0, 10, maximize ? -1 : 1, 0);
    nc++;
    for (size_t r = 0; r < rows; r++) {
      size_t n = 0;
      for (size_t j = 0; j < cont; j++)
        if (!strchr(wp_program_col_at(p, j)->name, 'N')) idx[n] = j, val[n++] = 1 + 4 * uniform(&s);
      idx[n] = cont, val[n++] = -1;
      snprintf(name, sizeof name, "cap%zu", r);
      row(p, name, n, idx, val, -INFINITY, 4 + 8 * uniform(&s));
    }
    double *x = calloc(nc, sizeof *x), *x0 = calloc(nc, sizeof *x0);
    x[cont] = x0[cont] = seed % 5 == 0 ? 0.0 : 1.0;
    if (seed % 7 == 0) { /* a start that breaks a capacity row: the search may not make it worse */
      x[0] = x0[0] = wp_program_col_at(p, 0)->hi;
      x[per] = x0[per] = x[0];
    }
    double before[8] = {0};
    for (size_t i = 0; i < wp_program_rows(p) && i < 8; i++) before[i] = breach(p, i, x0);
    const size_t moves = wp_program_polish(p, x, 1e9);
    int no_worse = 1;
    for (size_t i = 0; i < wp_program_rows(p) && i < 8; i++)
      no_worse &= breach(p, i, x) <= fmax(before[i], 0) + TOL;
    CHECK(no_worse);
    CHECK(x[cont] == x0[cont]);
    CHECK(gain(p, x0, x) >= (moves ? 1e-7 : 0.0));
    if (feasible(p, x0)) {
      CHECK(feasible(p, x));
      CHECK(!improving_move_left(p, x));
    }
    for (size_t j = 0; j < nc; j++) CHECK(x[j] == floor(x[j]) || j == cont);
    free(x);
    free(x0);
    wp_program_free(p);
  }
}

/* Column j's nonzeros, from the rows. */
static void test_columns_of_rows(void)
{
  wp_program *p = wp_program_new("csc");
  const size_t u = col(p, "u", 0, 1, 1, 1), v = col(p, "v", 0, 1, 1, 1), w = col(p, "w", 0, 1, 0, 0);
  row(p, "r0", 2, (size_t[]){v, u}, (double[]){2, 3}, 0, 5);
  row(p, "r1", 1, (size_t[]){w}, (double[]){-1}, -1, 0);
  row(p, "r2", 2, (size_t[]){u, w}, (double[]){7, 8}, 0, 9);
  wp_program_csc c;
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_program_csc_of(p, &c, &err) == WP_OK);
  CHECK(c.start[0] == 0 && c.start[1] == 2 && c.start[2] == 3 && c.start[3] == 5);
  CHECK(c.index[0] == 0 && c.value[0] == 3 && c.index[1] == 2 && c.value[1] == 7); /* u */
  CHECK(c.index[2] == 0 && c.value[2] == 2);                                       /* v */
  CHECK(c.index[3] == 1 && c.value[3] == -1 && c.index[4] == 2 && c.value[4] == 8); /* w */
  wp_program_csc_free(&c);
  wp_program_free(p);
}

int main(void)
{
  RUN(test_hand_worked);
  RUN(test_random_programs);
  RUN(test_columns_of_rows);
  return harness_report();
}
