/* A mixed-integer program written as CPLEX LP or free MPS (wattpivot/program_file.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf_int.h"
#include "io/writefile_int.h"
#include "wattpivot/program_file.h"

wp_status wp_program_format_of(const char *path, wp_program_format *out, wp_error *err)
{
  size_t n = path ? strlen(path) : 0;
  if (n >= 3 && strcmp(path + n - 3, ".lp") == 0) {
    *out = WP_PROGRAM_LP;
    return WP_OK;
  }
  if (n >= 4 && strcmp(path + n - 4, ".mps") == 0) {
    *out = WP_PROGRAM_MPS;
    return WP_OK;
  }
  return wp_error_set(err, WP_EINVAL,
                      "'%s': name the file FILE.lp (CPLEX LP) or FILE.mps (free MPS)",
                      path ? path : "(null)");
}

/* A coefficient with its sign: " + 2.5 x", " - 1 y". */
static void term(wp_sbuf *b, double v, const char *name)
{
  wp_sbuf_printf(b, " %c %.17g %s", v < 0 ? '-' : '+', fabs(v), name);
}

/* Terms of a linear expression, a new line every few terms (LP readers limit line lengths). */
static void expression(wp_sbuf *b, const wp_program *p, size_t n, const size_t *idx,
                       const double *val)
{
  for (size_t k = 0; k < n; k++) {
    if (k && k % 4 == 0) wp_sbuf_puts(b, "\n  ");
    term(b, val[k], wp_program_col_at(p, idx[k])->name);
  }
  if (!n) wp_sbuf_printf(b, " 0 %s", wp_program_col_at(p, 0)->name);
}

static void write_lp(wp_sbuf *b, const wp_program *p)
{
  const size_t nc = wp_program_cols(p), nr = wp_program_rows(p);
  wp_sbuf_printf(b, "\\ %s: %zu rows, %zu columns (%zu integer), %zu nonzeros\n",
                 wp_program_name(p), nr, nc, wp_program_integers(p), wp_program_nonzeros(p));
  wp_sbuf_puts(b, wp_program_maximize(p) ? "Maximize\n obj:" : "Minimize\n obj:");
  size_t k = 0;
  for (size_t j = 0; j < nc; j++) {
    const wp_program_col *c = wp_program_col_at(p, j);
    if (c->obj == 0.0) continue;
    if (k && k % 4 == 0) wp_sbuf_puts(b, "\n  ");
    term(b, c->obj, c->name);
    k++;
  }
  if (!k) wp_sbuf_printf(b, " 0 %s", nc ? wp_program_col_at(p, 0)->name : "x");
  wp_sbuf_puts(b, "\nSubject To\n");
  for (size_t i = 0; i < nr; i++) {
    wp_program_row r = wp_program_row_at(p, i);
    const int lo = isfinite(r.lo), hi = isfinite(r.hi);
    if (lo && hi && r.lo == r.hi) {
      wp_sbuf_printf(b, " %s:", r.name);
      expression(b, p, r.n, r.idx, r.val);
      wp_sbuf_printf(b, " = %.17g\n", r.lo);
      continue;
    }
    if (lo) {
      wp_sbuf_printf(b, " %s%s:", r.name, hi ? "_lo" : "");
      expression(b, p, r.n, r.idx, r.val);
      wp_sbuf_printf(b, " >= %.17g\n", r.lo);
    }
    if (hi) {
      wp_sbuf_printf(b, " %s%s:", r.name, lo ? "_hi" : "");
      expression(b, p, r.n, r.idx, r.val);
      wp_sbuf_printf(b, " <= %.17g\n", r.hi);
    }
  }
  wp_sbuf_puts(b, "Bounds\n");
  for (size_t j = 0; j < nc; j++) {
    const wp_program_col *c = wp_program_col_at(p, j);
    if (c->lo == c->hi)
      wp_sbuf_printf(b, " %s = %.17g\n", c->name, c->lo);
    else if (isfinite(c->lo) && isfinite(c->hi))
      wp_sbuf_printf(b, " %.17g <= %s <= %.17g\n", c->lo, c->name, c->hi);
    else if (isfinite(c->lo))
      wp_sbuf_printf(b, " %s >= %.17g\n", c->name, c->lo);
    else if (isfinite(c->hi))
      wp_sbuf_printf(b, " -inf <= %s <= %.17g\n", c->name, c->hi);
    else
      wp_sbuf_printf(b, " %s free\n", c->name);
  }
  int any = 0;
  for (size_t j = 0; j < nc; j++) {
    const wp_program_col *c = wp_program_col_at(p, j);
    if (!c->integer) continue;
    if (!any++) wp_sbuf_puts(b, "General\n");
    wp_sbuf_printf(b, " %s\n", c->name);
  }
  wp_sbuf_puts(b, "End\n");
}

static void write_mps(wp_sbuf *b, const wp_program *p)
{
  const size_t nc = wp_program_cols(p), nr = wp_program_rows(p);
  wp_sbuf_printf(b, "* %s: %zu rows, %zu columns (%zu integer), %zu nonzeros\n", wp_program_name(p),
                 nr, nc, wp_program_integers(p), wp_program_nonzeros(p));
  wp_sbuf_printf(b, "NAME %s\nOBJSENSE\n    %s\nROWS\n N obj\n", wp_program_name(p),
                 wp_program_maximize(p) ? "MAX" : "MIN");
  /* Columns are listed in MPS by column: gather each column's rows. */
  size_t *count = calloc(nc + 1, sizeof *count);
  for (size_t i = 0; i < nr; i++) {
    wp_program_row r = wp_program_row_at(p, i);
    const int lo = isfinite(r.lo), hi = isfinite(r.hi);
    wp_sbuf_printf(b, " %c %s\n", lo && hi && r.lo == r.hi ? 'E' : hi ? 'L' : lo ? 'G' : 'N', r.name);
    for (size_t k = 0; count && k < r.n; k++) count[r.idx[k] + 1]++;
  }
  size_t *rows = NULL;
  double *vals = NULL;
  const size_t nz = wp_program_nonzeros(p);
  if (count) {
    for (size_t j = 0; j < nc; j++) count[j + 1] += count[j];
    rows = malloc((nz ? nz : 1) * sizeof *rows);
    vals = malloc((nz ? nz : 1) * sizeof *vals);
  }
  if (!count || !rows || !vals) {
    b->failed = 1;
    free(count);
    free(rows);
    free(vals);
    return;
  }
  for (size_t i = 0; i < nr; i++) {
    wp_program_row r = wp_program_row_at(p, i);
    for (size_t k = 0; k < r.n; k++) {
      size_t at = count[r.idx[k]]++;
      rows[at] = i;
      vals[at] = r.val[k];
    }
  }
  wp_sbuf_puts(b, "COLUMNS\n");
  int in_int = 0;
  size_t from = 0;
  for (size_t j = 0; j < nc; j++) {
    const wp_program_col *c = wp_program_col_at(p, j);
    if (c->integer != in_int) {
      wp_sbuf_printf(b, "    MARKER 'MARKER' %s\n", c->integer ? "'INTORG'" : "'INTEND'");
      in_int = c->integer;
    }
    const size_t to = count[j]; /* after the fill, count[j] is column j's end */
    if (c->obj != 0.0 || from == to) wp_sbuf_printf(b, "    %s obj %.17g\n", c->name, c->obj);
    for (size_t k = from; k < to; k++)
      wp_sbuf_printf(b, "    %s %s %.17g\n", c->name, wp_program_row_at(p, rows[k]).name,
                     vals[k]);
    from = to;
  }
  if (in_int) wp_sbuf_puts(b, "    MARKER 'MARKER' 'INTEND'\n");
  wp_sbuf_puts(b, "RHS\n");
  for (size_t i = 0; i < nr; i++) {
    wp_program_row r = wp_program_row_at(p, i);
    double rhs = isfinite(r.hi) ? r.hi : isfinite(r.lo) ? r.lo : 0.0;
    if (isfinite(r.lo) && isfinite(r.hi) && r.lo != r.hi) rhs = r.hi;
    if (rhs != 0.0) wp_sbuf_printf(b, "    RHS %s %.17g\n", r.name, rhs);
  }
  int ranges = 0;
  for (size_t i = 0; i < nr; i++) {
    wp_program_row r = wp_program_row_at(p, i);
    if (!(isfinite(r.lo) && isfinite(r.hi) && r.lo != r.hi)) continue;
    if (!ranges++) wp_sbuf_puts(b, "RANGES\n");
    wp_sbuf_printf(b, "    RNG %s %.17g\n", r.name, r.hi - r.lo);
  }
  wp_sbuf_puts(b, "BOUNDS\n");
  for (size_t j = 0; j < nc; j++) {
    const wp_program_col *c = wp_program_col_at(p, j);
    if (c->lo == c->hi) {
      wp_sbuf_printf(b, " FX BND %s %.17g\n", c->name, c->lo);
      continue;
    }
    if (!isfinite(c->lo))
      wp_sbuf_printf(b, " MI BND %s\n", c->name);
    else
      wp_sbuf_printf(b, " LO BND %s %.17g\n", c->name, c->lo);
    if (isfinite(c->hi))
      wp_sbuf_printf(b, " UP BND %s %.17g\n", c->name, c->hi);
    else
      wp_sbuf_printf(b, " PL BND %s\n", c->name);
  }
  wp_sbuf_puts(b, "ENDATA\n");
  free(count);
  free(rows);
  free(vals);
}

wp_status wp_program_text(const wp_program *p, wp_program_format f, char **out, wp_error *err)
{
  if (!p || !out) return wp_error_set(err, WP_EINVAL, "program: NULL argument");
  wp_sbuf b = WP_SBUF_INIT;
  if (f == WP_PROGRAM_MPS)
    write_mps(&b, p);
  else
    write_lp(&b, p);
  *out = wp_sbuf_take(&b);
  return *out ? WP_OK : wp_error_set(err, WP_ENOMEM, "program: out of memory");
}

wp_status wp_program_write(const wp_program *p, const char *path, wp_error *err)
{
  if (!p || !path) return wp_error_set(err, WP_EINVAL, "program: NULL argument");
  wp_program_format f = WP_PROGRAM_LP;
  wp_status st = strcmp(path, "-") == 0 ? WP_OK : wp_program_format_of(path, &f, err);
  if (st) return st;
  char *text = NULL;
  if ((st = wp_program_text(p, f, &text, err))) return st;
  st = wp_io_write_file(path, text, strlen(text), err);
  free(text);
  return st;
}
