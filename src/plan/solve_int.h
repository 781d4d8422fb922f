/*
** src/plan/solve_int.h — solving a wp_program (wattpivot/program.h) with a MILP solver: CBC,
** through its C interface (coinor-libcbc-dev). Only src/plan/solve_cbc.c includes the solver.
*/
#ifndef WP_PLAN_SOLVE_INT_H
#define WP_PLAN_SOLVE_INT_H

#include <stddef.h>

#include "wattpivot/error.h"
#include "wattpivot/program.h"

typedef struct wp_solve_opts {
  double gap;          /* stop when (best bound - best plan) / |best plan| is within this */
  double abs_gap;      /* ... or when best bound - best plan is within this (0: no) */
  double seconds;      /* time limit */
  long nodes;          /* branch-and-bound node limit */
  int relax;           /* 1: solve the linear relaxation only (every column continuous) */
  const double *start; /* a feasible solution (cols values): only better ones are searched for;
                          NULL: none */
} wp_solve_opts;

typedef enum wp_solved {
  WP_SOLVED_OPTIMAL = 0, /* proven optimal within the gap */
  WP_SOLVED_LIMIT,       /* stopped by the node or time limit with a solution (its gap is larger) */
  WP_SOLVED_INFEASIBLE,  /* no solution exists */
  WP_SOLVED_NONE,        /* stopped by a limit before any solution */
  WP_SOLVED_NOTHING_BETTER /* no solution better than the start exists: the start is optimal */
} wp_solved;

typedef struct wp_solution {
  wp_solved status;
  int time_limit;   /* 1: the time limit stopped it (results may differ between machines) */
  double objective; /* of x (in the program's sense) */
  double bound;     /* the solver's best bound on the optimum */
  double seconds;   /* wall time of the solve */
  double *x;        /* cols values, integers rounded; owned by the caller */
} wp_solution;

/* A program's matrix by column: column j's nonzeros are index/value[start[j] .. start[j+1])
** (int, as CBC 2.10 loads them). */
typedef struct wp_program_csc {
  int *start, *index;
  double *value;
} wp_program_csc;

/* Fill c (freed by wp_program_csc_free, also after a failure). WP_ESOLVER when the program has
** more than INT_MAX nonzeros, WP_ENOMEM. */
wp_status wp_program_csc_of(const wp_program *p, wp_program_csc *c, wp_error *err);
void wp_program_csc_free(wp_program_csc *c);

/* Improve x, a solution of p with integer values on its integer columns, by moves of two
** integer columns of an equation by one unit each that keep it (in the planner's programs, where
** every integer column is in a group's equation: another start month or business for a
** tranche, one tranche more or fewer). Each round takes, for every equation in turn, the move
** that improves the objective most and keeps every row within its bounds (1e-7; a row x already
** breaks may not get worse), until no move improves or about max_work nonzeros have been looked
** at. Continuous columns keep their values. Deterministic (no clock). Returns the number of moves
** made (0 on out of memory: x is unchanged). */
size_t wp_program_polish(const wp_program *p, double *x, double max_work);

/* "CBC 2.10.8". */
const char *wp_solver_name(void);

/* Solve p into s (s->x must hold wp_program_cols(p) values). WP_ESOLVER when the solver fails
** (numerical trouble, an unbounded relaxation), WP_ENOMEM. Deterministic: one thread. */
wp_status wp_program_solve(const wp_program *p, const wp_solve_opts *o, wp_solution *s,
                           wp_error *err);

#endif
