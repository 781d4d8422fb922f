/* A mixed-integer linear program in memory: columns, rows in compressed form (wattpivot/program.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattpivot/program.h"

struct wp_program {
  char name[WP_PROGRAM_NAME_MAX];
  int maximize;
  wp_program_col *col;
  size_t ncols, cap_cols, nint;
  /* Rows: row i's nonzeros are idx/val[start[i] .. start[i+1]). */
  char (*row_name)[WP_PROGRAM_NAME_MAX];
  double *row_lo, *row_hi;
  size_t *start;
  size_t nrows, cap_rows;
  size_t *idx;
  double *val;
  size_t nnz, cap_nnz;
  unsigned *mark; /* scratch: a row's columns, for repeats (cap_cols) */
  unsigned stamp;
};

/* Copy a name, keeping [A-Za-z0-9_.] and replacing anything else by '_'. */
static void copy_name(char *dst, const char *src)
{
  size_t n = 0;
  for (; src && src[n] && n + 1 < WP_PROGRAM_NAME_MAX; n++) {
    char c = src[n];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_' || c == '.';
    dst[n] = ok ? c : '_';
  }
  dst[n] = '\0';
}

wp_program *wp_program_new(const char *name)
{
  wp_program *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  copy_name(p->name, name ? name : "wattpivot");
  p->start = calloc(1, sizeof *p->start);
  if (!p->start) {
    free(p);
    return NULL;
  }
  return p;
}

void wp_program_free(wp_program *p)
{
  if (!p) return;
  free(p->col);
  free(p->row_name);
  free(p->row_lo);
  free(p->row_hi);
  free(p->start);
  free(p->idx);
  free(p->val);
  free(p->mark);
  free(p);
}

void wp_program_set_maximize(wp_program *p, int maximize)
{
  p->maximize = maximize != 0;
}

int wp_program_maximize(const wp_program *p)
{
  return p->maximize;
}

/* The capacity to grow to for need elements (doubling from 64), or 0 when cap suffices. */
static size_t new_cap(size_t cap, size_t need)
{
  if (need <= cap) return 0;
  size_t n = cap ? cap : 64;
  while (n < need) n *= 2;
  return n;
}

/* realloc *buf to n elements of size; 0 on failure (the old buffer is kept). */
static int resize(void **buf, size_t n, size_t size)
{
  void *b = realloc(*buf, n * size);
  if (!b) return 0;
  *buf = b;
  return 1;
}

wp_status wp_program_add_col(wp_program *p, const char *name, double lo, double hi, double obj,
                             int integer, size_t *index, wp_error *err)
{
  if (isnan(lo) || isnan(hi) || !isfinite(obj) || lo > hi)
    return wp_error_set(err, WP_EINVAL, "program: column %s has bounds [%g, %g], objective %g",
                        name ? name : "?", lo, hi, obj);
  size_t n = new_cap(p->cap_cols, p->ncols + 1);
  if (n) {
    if (!resize((void **)&p->col, n, sizeof *p->col) ||
        !resize((void **)&p->mark, n, sizeof *p->mark))
      return wp_error_set(err, WP_ENOMEM, "program: out of memory");
    for (size_t j = p->cap_cols; j < n; j++) p->mark[j] = 0;
    p->cap_cols = n;
  }
  wp_program_col *c = &p->col[p->ncols];
  copy_name(c->name, name);
  c->lo = lo;
  c->hi = hi;
  c->obj = obj;
  c->integer = integer != 0;
  p->nint += (size_t)c->integer;
  if (index) *index = p->ncols;
  p->ncols++;
  return WP_OK;
}

void wp_program_set_obj(wp_program *p, size_t col, double obj)
{
  if (col < p->ncols) p->col[col].obj = obj;
}

void wp_program_set_bounds(wp_program *p, size_t col, double lo, double hi)
{
  if (col < p->ncols) {
    p->col[col].lo = lo;
    p->col[col].hi = hi;
  }
}

wp_status wp_program_add_row(wp_program *p, const char *name, size_t n, const size_t *idx,
                             const double *val, double lo, double hi, wp_error *err)
{
  if (isnan(lo) || isnan(hi) || lo > hi)
    return wp_error_set(err, WP_EINVAL, "program: row %s has bounds [%g, %g]", name ? name : "?",
                        lo, hi);
  if (++p->stamp == 0) { /* the stamp wrapped: clear the marks once */
    memset(p->mark, 0, p->cap_cols * sizeof *p->mark);
    p->stamp = 1;
  }
  for (size_t k = 0; k < n; k++) {
    if (idx[k] >= p->ncols || !isfinite(val[k]) || p->mark[idx[k]] == p->stamp)
      return wp_error_set(err, WP_EINVAL, "program: row %s, term %zu: column %zu, coefficient %g",
                          name ? name : "?", k, idx[k], val[k]);
    p->mark[idx[k]] = p->stamp;
  }
  size_t rc = new_cap(p->cap_rows, p->nrows + 1);
  if (rc) {
    if (!resize((void **)&p->row_lo, rc, sizeof *p->row_lo) ||
        !resize((void **)&p->row_hi, rc, sizeof *p->row_hi) ||
        !resize((void **)&p->row_name, rc, sizeof *p->row_name) ||
        !resize((void **)&p->start, rc + 1, sizeof *p->start))
      return wp_error_set(err, WP_ENOMEM, "program: out of memory");
    p->cap_rows = rc;
  }
  size_t nc = new_cap(p->cap_nnz, p->nnz + n);
  if (nc) {
    if (!resize((void **)&p->idx, nc, sizeof *p->idx) ||
        !resize((void **)&p->val, nc, sizeof *p->val))
      return wp_error_set(err, WP_ENOMEM, "program: out of memory");
    p->cap_nnz = nc;
  }
  size_t at = p->nnz;
  for (size_t k = 0; k < n; k++) {
    if (val[k] == 0.0) continue;
    p->idx[at] = idx[k];
    p->val[at] = val[k];
    at++;
  }
  copy_name(p->row_name[p->nrows], name);
  p->row_lo[p->nrows] = lo;
  p->row_hi[p->nrows] = hi;
  p->nrows++;
  p->nnz = at;
  p->start[p->nrows] = at;
  return WP_OK;
}

void wp_program_set_row_bounds(wp_program *p, size_t row, double lo, double hi)
{
  if (row < p->nrows) {
    p->row_lo[row] = lo;
    p->row_hi[row] = hi;
  }
}

const char *wp_program_name(const wp_program *p)
{
  return p->name;
}

size_t wp_program_cols(const wp_program *p)
{
  return p->ncols;
}

size_t wp_program_rows(const wp_program *p)
{
  return p->nrows;
}

size_t wp_program_nonzeros(const wp_program *p)
{
  return p->nnz;
}

size_t wp_program_integers(const wp_program *p)
{
  return p->nint;
}

const wp_program_col *wp_program_col_at(const wp_program *p, size_t j)
{
  return j < p->ncols ? &p->col[j] : NULL;
}

wp_program_row wp_program_row_at(const wp_program *p, size_t i)
{
  wp_program_row r = {0};
  if (i >= p->nrows) return r;
  r.name = p->row_name[i];
  r.lo = p->row_lo[i];
  r.hi = p->row_hi[i];
  r.n = p->start[i + 1] - p->start[i];
  r.idx = p->idx + p->start[i];
  r.val = p->val + p->start[i];
  return r;
}

double wp_program_objective(const wp_program *p, const double *x)
{
  double s = 0;
  for (size_t j = 0; j < p->ncols; j++) s += p->col[j].obj * x[j];
  return s;
}
