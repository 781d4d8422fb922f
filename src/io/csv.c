/* The one CSV reader: libcsv for the fields, positions, comments, headers and cells here (see
** src/io/csv_int.h). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "io/csv_int.h"
#include "io/readfile_int.h"
#include "wattpivot/format.h"

/* What the libcsv callbacks see: the output and the position of the field being read. */
typedef struct feed {
  wp_csv *c;
  int line, col;    /* start of the current field (valid when !pending) */
  int pending;      /* the current field's first character has not been seen yet */
  int in_record;    /* a field of the current record has begun */
  size_t row_first; /* first field of the current record */
  int row_line;
  int enomem;
} feed;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
  if (need <= *cap) return 1;
  size_t nc = *cap ? *cap : 64;
  while (nc < need)
    nc *= 2;
  void *q = realloc(*p, nc * size);
  if (!q) return 0;
  *p = q;
  *cap = nc;
  return 1;
}

static void on_field(void *s, size_t len, void *data)
{
  feed *fd = data;
  wp_csv *c = fd->c;
  if (fd->enomem) return;
  if (!grow((void **)&c->text, &c->text_cap, c->text_len + len + 1, 1) ||
      !grow((void **)&c->fields, &c->fields_cap, c->nfields + 1, sizeof *c->fields)) {
    fd->enomem = 1;
    return;
  }
  if (len) memcpy(c->text + c->text_len, s, len);
  c->text[c->text_len + len] = '\0';
  if (!fd->in_record) { /* an empty first field ("" or ",x"): the record starts here */
    fd->in_record = 1;
    fd->row_first = c->nfields;
    fd->row_line = fd->line;
  }
  c->fields[c->nfields++] = (wp_csv_field){c->text_len, len, fd->line, fd->col};
  c->text_len += len + 1;
  fd->pending = 1;
}

static void on_row(int ch, void *data)
{
  feed *fd = data;
  wp_csv *c = fd->c;
  (void)ch;
  if (fd->enomem || !fd->in_record) return;
  if (!grow((void **)&c->rows, &c->rows_cap, c->nrows + 1, sizeof *c->rows)) {
    fd->enomem = 1;
    return;
  }
  c->rows[c->nrows++] = (wp_csv_row){fd->row_first, c->nfields - fd->row_first, fd->row_line};
  fd->in_record = 0;
  fd->pending = 1;
}

void wp_csv_release(wp_csv *c)
{
  if (!c) return;
  free(c->text);
  free(c->fields);
  free(c->rows);
  memset(c, 0, sizeof *c);
}

static int is_blank(char ch)
{
  return ch == ' ' || ch == '\t';
}

/* Feed text[0..len-1] to p, tracking lines and columns: runs of ordinary bytes go in one call,
** each ',', CR and LF alone, so a callback always fires at a known byte. */
static wp_status feed_all(struct csv_parser *p, feed *fd, const char *text, size_t len,
                          unsigned flags, wp_error *err)
{
  wp_csv *c = fd->c;
  int line = 1;
  size_t line_start = 0, i = 0;
  while (i < len) {
    if (i == line_start && !fd->in_record && (flags & WP_CSV_COMMENTS)) {
      size_t k = i;
      while (k < len && is_blank(text[k]))
        k++;
      if (k < len && text[k] == '#') { /* a comment line: skip to its end */
        while (k < len && text[k] != '\n' && text[k] != '\r')
          k++;
        i = k;
        continue;
      }
    }
    size_t j = i;
    while (j < len && text[j] != ',' && text[j] != '\n' && text[j] != '\r')
      j++;
    if (fd->pending) {
      size_t k = i;
      while (k < j && is_blank(text[k]))
        k++;
      if (k < j) {
        fd->pending = 0;
        fd->line = line;
        fd->col = (int)(k - line_start + 1);
        if (!fd->in_record) {
          fd->in_record = 1;
          fd->row_first = c->nfields;
          fd->row_line = line;
        }
      }
    }
    size_t done = j > i ? csv_parse(p, text + i, j - i, on_field, on_row, fd) : 0;
    if (done != j - i)
      return wp_error_set(err, WP_EPARSE,
                          "%s:%d:%d: malformed quoting (a '\"' inside an unquoted field, or text "
                          "after a closing '\"'): quote a whole field, and write a '\"' inside "
                          "it as \"\"",
                          c->name, line, (int)(i + done - line_start + 1));
    if (j == len) break;
    if (fd->pending) { /* an empty field ends at this byte */
      fd->line = line;
      fd->col = (int)(j - line_start + 1);
    }
    if (csv_parse(p, text + j, 1, on_field, on_row, fd) != 1)
      return wp_error_set(err, WP_EPARSE, "%s:%d:%d: malformed quoting before this character",
                          c->name, line, (int)(j - line_start + 1));
    if (fd->enomem) return wp_error_set(err, WP_ENOMEM, "reading %s: out of memory", c->name);
    i = j + 1;
    if (text[j] == '\n' || (text[j] == '\r' && (i == len || text[i] != '\n'))) {
      line++;
      line_start = i;
    }
  }
  c->end_line = line_start == len ? line : line + 1;
  return WP_OK;
}

wp_status wp_csv_parse(wp_csv *c, const char *name, const char *text, size_t len, unsigned flags,
                       wp_error *err)
{
  if (!c || !text) return wp_error_set(err, WP_EINVAL, "CSV: NULL argument");
  wp_csv_release(c);
  snprintf(c->name, sizeof c->name, "%s", name ? name : "CSV");
  size_t skip = 0;
  wp_status st = wp_io_check_text(c->name, text, len, &skip, err);
  if (st) return st;
  struct csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
    return wp_error_set(err, WP_ENOMEM, "reading %s: out of memory", c->name);
  feed fd = {.c = c, .pending = 1};
  st = feed_all(&p, &fd, text + skip, len - skip, flags, err);
  if (st == WP_OK) {
    const int line = fd.line, col = fd.col, open = !fd.pending;
    if (csv_fini(&p, on_field, on_row, &fd) != 0)
      st = wp_error_set(err, WP_EPARSE, "%s:%d:%d: a quoted field is never closed (no ending '\"')",
                        c->name, open ? line : c->end_line, open ? col : 1);
    else if (fd.enomem)
      st = wp_error_set(err, WP_ENOMEM, "reading %s: out of memory", c->name);
  }
  csv_free(&p);
  if (st) wp_csv_release(c), snprintf(c->name, sizeof c->name, "%s", name ? name : "CSV");
  return st;
}

wp_status wp_csv_read(wp_csv *c, const char *path, size_t max_bytes, unsigned flags, wp_error *err)
{
  if (!c || !path) return wp_error_set(err, WP_EINVAL, "CSV: NULL argument");
  char *buf = NULL;
  size_t len = 0;
  wp_status st = wp_io_read_file(path, max_bytes, &buf, &len, err);
  if (st == WP_OK) st = wp_csv_parse(c, path, buf, len, flags, err);
  free(buf);
  return st;
}

const char *wp_csv_cell(const wp_csv *c, size_t r, size_t f)
{
  if (r >= c->nrows || f >= c->rows[r].nfields) return "";
  return c->text + c->fields[c->rows[r].first + f].off;
}

int wp_csv_empty(const wp_csv *c, size_t r, size_t f)
{
  return wp_csv_cell(c, r, f)[0] == '\0';
}

/* Position of field f of row r (the row's line, column 1, when the row is shorter). */
static void position(const wp_csv *c, size_t r, size_t f, int *line, int *col)
{
  *line = r < c->nrows ? c->rows[r].line : c->end_line;
  *col = 1;
  if (r < c->nrows && f < c->rows[r].nfields) {
    const wp_csv_field *x = &c->fields[c->rows[r].first + f];
    *line = x->line;
    *col = x->col;
  }
}

wp_status wp_csv_error(const wp_csv *c, size_t r, size_t f, const char *column, wp_status code,
                       wp_error *err, const char *fmt, ...)
{
  char msg[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  int line, col;
  position(c, r, f, &line, &col);
  if (column)
    return wp_error_set(err, code, "%s:%d:%d: column %s: %s", c->name, line, col, column, msg);
  return wp_error_set(err, code, "%s:%d:%d: %s", c->name, line, col, msg);
}

/* "a,b,c": the column names (ncols of them) into buf; a list too long for a message ends with
** ",... (N columns)" after the names that fit. */
static const char *column_list(char *buf, size_t n, const wp_csv_column *cols, size_t ncols)
{
  enum { FIT = 100 };
  size_t at = 0;
  buf[0] = '\0';
  for (size_t k = 0; k < ncols && at < n; k++) {
    size_t len = strlen(cols[k].name) + (k ? 1 : 0);
    if (at + len > FIT && k + 1 < ncols) {
      snprintf(buf + at, n - at, ",... (%zu columns)", ncols);
      break;
    }
    at += (size_t)snprintf(buf + at, n - at, "%s%s", k ? "," : "", cols[k].name);
  }
  return buf;
}

wp_status wp_csv_header(const wp_csv *c, size_t r, const wp_csv_column *cols, size_t ncols,
                        int *index, wp_error *err)
{
  char list[160];
  column_list(list, sizeof list, cols, ncols);
  for (size_t k = 0; k < ncols; k++)
    index[k] = -1;
  if (r >= c->nrows)
    return wp_error_set(err, WP_EPARSE, "%s:%d: no header line; expected the columns %s", c->name,
                        c->end_line, list);
  for (size_t f = 0; f < c->rows[r].nfields; f++) {
    const char *name = wp_csv_cell(c, r, f);
    size_t k = 0;
    while (k < ncols && strcmp(cols[k].name, name) != 0)
      k++;
    if (k == ncols) {
      const char *names[128];
      size_t n = ncols < 128 ? ncols : 128;
      for (size_t i = 0; i < n; i++)
        names[i] = cols[i].name;
      const char *best = wp_closest_name(name, names, n);
      if (best)
        return wp_csv_error(c, r, f, NULL, WP_EPARSE, err,
                            "unknown column '%s' in the header; did you mean '%s'? accepted: %s",
                            name, best, list);
      return wp_csv_error(c, r, f, NULL, WP_EPARSE, err,
                          "unknown column '%s' in the header; accepted: %s", name, list);
    }
    if (index[k] >= 0)
      return wp_csv_error(c, r, f, NULL, WP_EPARSE, err,
                          "column '%s' appears twice in the header (also column %d)", name,
                          index[k] + 1);
    index[k] = (int)f;
  }
  for (size_t k = 0; k < ncols; k++)
    if (cols[k].required && index[k] < 0)
      return wp_error_set(err, WP_EPARSE, "%s:%d: missing column '%s' in the header; expected %s",
                          c->name, c->rows[r].line, cols[k].name, list);
  return WP_OK;
}

wp_status wp_csv_check_width(const wp_csv *c, size_t r, size_t n, const char *what, wp_error *err)
{
  if (c->rows[r].nfields == n) return WP_OK;
  return wp_error_set(err, WP_EPARSE, "%s:%d: %zu fields; expected %zu%s%s%s", c->name,
                      c->rows[r].line, c->rows[r].nfields, n, what ? " (" : "", what ? what : "",
                      what ? ")" : "");
}

wp_status wp_csv_number(const wp_csv *c, size_t r, size_t f, const char *column,
                        const wp_range *range, int whole, double *out, wp_error *err)
{
  char accepted[96], hint[96];
  wp_range_format(accepted, sizeof accepted, range);
  const char *text = wp_csv_cell(c, r, f);
  char *end = NULL;
  errno = 0;
  double v = strtod(text, &end);
  if (text[0] == '\0' || end == text || *end != '\0' || errno == ERANGE || !isfinite(v))
    return wp_csv_error(c, r, f, column, WP_EPARSE, err, "'%.60s' is not a number; accepted %s",
                        text, accepted);
  if (whole && v != floor(v))
    return wp_csv_error(c, r, f, column, WP_EPARSE, err,
                        "'%.60s' is not a whole number; accepted %s", text, accepted);
  if (!wp_range_contains(range, v))
    return wp_csv_error(c, r, f, column, WP_EPARSE, err, "%.60s is out of range; accepted %s%s",
                        text, accepted, wp_range_hint(hint, sizeof hint, range, v));
  *out = v;
  return WP_OK;
}

wp_status wp_csv_month(const wp_csv *c, size_t r, size_t f, const char *column, wp_ym *out,
                       wp_error *err)
{
  const char *text = wp_csv_cell(c, r, f);
  wp_error inner = WP_ERROR_INIT;
  if (wp_calendar_parse_ym(text, out, &inner) != WP_OK)
    return wp_csv_error(c, r, f, column, WP_EPARSE, err,
                        "'%.60s' is not a month; expected YYYY-MM (%s)", text, inner.msg);
  return WP_OK;
}
