/*
** wattpivot/program.h — a mixed-integer linear program as the planner builds it
** (wattpivot/planner.h, docs/planner.md "The program"): named columns with bounds, an objective
** coefficient and an integer flag; named rows lo <= sum(a_k x_k) <= hi; a sense. The planner
** solves it with CBC; wattpivot/program_file.h writes it as LP or MPS for any other solver.
** Row and column names are at most WP_PROGRAM_NAME_MAX - 1 characters of [A-Za-z0-9_.].
*/
#ifndef WATTPIVOT_PROGRAM_H
#define WATTPIVOT_PROGRAM_H

#include <stddef.h>

#include "export.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WP_PROGRAM_NAME_MAX 32

typedef struct wp_program wp_program;

/* An empty program called name (minimize until wp_program_set_maximize). NULL: out of memory. */
WP_API wp_program *wp_program_new(const char *name);
WP_API void wp_program_free(wp_program *p);

/* 1: maximize the objective; 0: minimize it. */
WP_API void wp_program_set_maximize(wp_program *p, int maximize);
WP_API int wp_program_maximize(const wp_program *p);

/* Add a column lo <= x <= hi (either may be infinite) with objective coefficient obj, integer
** when integer != 0; *index receives its index. WP_EINVAL for lo > hi or a NaN, WP_ENOMEM. */
WP_API wp_status wp_program_add_col(wp_program *p, const char *name, double lo, double hi, double obj,
                             int integer, size_t *index, wp_error *err);
/* Change a column's objective coefficient or bounds. */
WP_API void wp_program_set_obj(wp_program *p, size_t col, double obj);
WP_API void wp_program_set_bounds(wp_program *p, size_t col, double lo, double hi);

/* Add the row lo <= sum over k < n of val[k] x[idx[k]] <= hi (lo -inf: a <= row; hi +inf: a >=
** row; lo == hi: an equation). Zero coefficients are dropped; a column may appear once.
** WP_EINVAL for an unknown column, a repeated one, a NaN or lo > hi; WP_ENOMEM. */
WP_API wp_status wp_program_add_row(wp_program *p, const char *name, size_t n, const size_t *idx,
                             const double *val, double lo, double hi, wp_error *err);
/* Change a row's bounds. */
WP_API void wp_program_set_row_bounds(wp_program *p, size_t row, double lo, double hi);

typedef struct wp_program_col {
  char name[WP_PROGRAM_NAME_MAX];
  double lo, hi, obj;
  int integer;
} wp_program_col;

typedef struct wp_program_row {
  const char *name;
  double lo, hi;
  size_t n;          /* nonzeros */
  const size_t *idx; /* their columns, in the order given */
  const double *val;
} wp_program_row;

WP_API const char *wp_program_name(const wp_program *p);
WP_API size_t wp_program_cols(const wp_program *p);
WP_API size_t wp_program_rows(const wp_program *p);
WP_API size_t wp_program_nonzeros(const wp_program *p);
WP_API size_t wp_program_integers(const wp_program *p);
/* Column j / row i (NULL / zeroed when out of range); valid until the program changes. */
WP_API const wp_program_col *wp_program_col_at(const wp_program *p, size_t j);
WP_API wp_program_row wp_program_row_at(const wp_program *p, size_t i);

/* Objective value of x (cols values). */
WP_API double wp_program_objective(const wp_program *p, const double *x);

#ifdef __cplusplus
}
#endif
#endif
