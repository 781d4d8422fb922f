/* Schedule task files (CSV) -> activities and links for wp_schedule_new (wattpivot/taskfile.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_int.h"
#include "io/readfile_int.h"
#include "wattpivot/taskfile.h"

#define TASKFILE_MAX_BYTES (64u << 20)

enum { COL_ID, COL_NAME, COL_MIN, COL_MODE, COL_MAX, COL_PRED, NCOL };
static const wp_csv_column columns[NCOL] = {{"id", 1},        {"name", 1},     {"min_days", 1},
                                            {"mode_days", 1}, {"max_days", 1}, {"predecessors", 1}};
#define HEADER_TEXT "id,name,min_days,mode_days,max_days,predecessors"

struct wp_taskfile {
  wp_csv csv; /* the parsed file; the fields point into its text */
  wp_sched_activity *act;
  size_t *line;       /* line of each activity */
  const char **preds; /* raw predecessors field of each activity */
  size_t n, cap;
  wp_sched_link *link;
  size_t nlink, caplink;
};

typedef struct id_line {
  const char *id;
  size_t line;
} id_line;

static int cmp_id_line(const void *a, const void *b)
{
  const id_line *x = a, *y = b;
  int c = strcmp(x->id, y->id);
  return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int is_blank(char c)
{
  return c == ' ' || c == '\t';
}

static char *trim(char *s)
{
  while (is_blank(*s))
    s++;
  size_t n = strlen(s);
  while (n > 0 && is_blank(s[n - 1]))
    s[--n] = '\0';
  return s;
}

static wp_status parse_days(const wp_csv *c, size_t r, const int *col, int k, double *out,
                            wp_error *err)
{
  const wp_range days = {0, WP_SCHED_MAX_DAYS, 0, 0, "days"};
  return wp_csv_number(c, r, (size_t)col[k], columns[k].name, &days, 0, out, err);
}

static wp_status check_id(const char *id, const char *name, size_t line, wp_error *err)
{
  if (id[0] == '\0') return wp_error_set(err, WP_EPARSE, "%s:%zu: column id is empty", name, line);
  if (strpbrk(id, " \t;:\""))
    return wp_error_set(err, WP_EPARSE,
                        "%s:%zu: column id: '%s' contains a space, ';', ':' or '\"' (not allowed)",
                        name, line, id);
  return WP_OK;
}

static wp_status grow(void **arr, size_t *cap, size_t need, size_t size)
{
  if (need <= *cap) return WP_OK;
  size_t nc = *cap ? 2 * *cap : 64;
  while (nc < need)
    nc *= 2;
  void *p = realloc(*arr, nc * size);
  if (!p) return WP_ENOMEM;
  *arr = p;
  *cap = nc;
  return WP_OK;
}

static wp_status add_task(wp_taskfile *tf, size_t r, const int *col, wp_error *err)
{
  wp_csv *c = &tf->csv;
  const char *name = c->name;
  const size_t line = (size_t)c->rows[r].line;
  char *f[NCOL];
  for (int k = 0; k < NCOL; k++)
    f[k] = c->text + c->fields[c->rows[r].first + (size_t)col[k]].off;
  wp_sched_activity a = {0};
  wp_status st;
  a.id = f[COL_ID];
  a.name = f[COL_NAME];
  a.source = NULL;
  if ((st = check_id(a.id, name, line, err)) != WP_OK) return st;
  if ((st = parse_days(c, r, col, COL_MIN, &a.min_days, err)) != WP_OK ||
      (st = parse_days(c, r, col, COL_MODE, &a.mode_days, err)) != WP_OK ||
      (st = parse_days(c, r, col, COL_MAX, &a.max_days, err)) != WP_OK)
    return st;
  if (!(a.min_days <= a.mode_days && a.mode_days <= a.max_days))
    return wp_error_set(err, WP_EPARSE,
                        "%s:%zu: task '%s': min_days %g, mode_days %g, max_days %g; need "
                        "min_days <= mode_days <= max_days",
                        name, line, a.id, a.min_days, a.mode_days, a.max_days);
  size_t cap_l = tf->cap, cap_p = tf->cap, cap_a = tf->cap;
  if (grow((void **)&tf->act, &cap_a, tf->n + 1, sizeof *tf->act) ||
      grow((void **)&tf->line, &cap_l, tf->n + 1, sizeof *tf->line) ||
      grow((void **)&tf->preds, &cap_p, tf->n + 1, sizeof *tf->preds))
    return wp_error_set(err, WP_ENOMEM, "out of memory reading %s", name);
  tf->cap = cap_a;
  tf->act[tf->n] = a;
  tf->line[tf->n] = line;
  tf->preds[tf->n] = f[COL_PRED];
  tf->n++;
  return WP_OK;
}

/* One predecessor entry "ID", "ID:FS", "ID:SS+5", "ID:FF-10" (modified in place). */
static wp_status parse_pred(wp_taskfile *tf, char *entry, const wp_sched_activity *succ,
                            const char *name, size_t line, wp_error *err)
{
  char shown[96];
  snprintf(shown, sizeof shown, "%s", entry);
  wp_sched_link l = {entry, succ->id, WP_SCHED_FS, 0.0};
  char *colon = strchr(entry, ':');
  if (colon) {
    *colon = '\0';
    const char *t = trim(colon + 1);
    static const struct {
      const char *name;
      wp_sched_link_type type;
    } types[] = {{"FS", WP_SCHED_FS}, {"SS", WP_SCHED_SS}, {"FF", WP_SCHED_FF}};
    int found = 0;
    for (size_t k = 0; k < 3; k++) {
      const char *tn = types[k].name;
      if ((t[0] == tn[0] || t[0] == tn[0] + 32) && (t[1] == tn[1] || t[1] == tn[1] + 32)) {
        l.type = types[k].type;
        found = 1;
      }
    }
    const char *lag = t + (found ? 2 : 0);
    if (found && *lag != '\0') {
      char *end = NULL;
      errno = 0;
      double v = strtod(lag, &end);
      if ((*lag != '+' && *lag != '-') || end == lag || *end != '\0' || errno == ERANGE ||
          !isfinite(v))
        found = 0;
      else if (fabs(v) > WP_SCHED_MAX_DAYS)
        return wp_error_set(err, WP_EPARSE,
                            "%s:%zu: task '%s': predecessors entry '%s': lag %g days is out of "
                            "range; accepted [-%g, %g] (100 years)",
                            name, line, succ->id, shown, v, WP_SCHED_MAX_DAYS, WP_SCHED_MAX_DAYS);
      else
        l.lag_days = v;
    }
    if (!found)
      return wp_error_set(err, WP_EPARSE,
                          "%s:%zu: task '%s': predecessors entry '%s' is not ID, ID:FS, "
                          "ID:FS+L, ID:SS-L or ID:FF+L (L a lag in days, sign required)",
                          name, line, succ->id, shown);
  }
  l.pred_id = trim(entry);
  if (l.pred_id[0] == '\0')
    return wp_error_set(err, WP_EPARSE, "%s:%zu: task '%s': predecessors entry '%s' has no id",
                        name, line, succ->id, shown);
  if (grow((void **)&tf->link, &tf->caplink, tf->nlink + 1, sizeof *tf->link))
    return wp_error_set(err, WP_ENOMEM, "out of memory reading %s", name);
  tf->link[tf->nlink++] = l;
  return WP_OK;
}

static wp_status parse_all_preds(wp_taskfile *tf, const char *name, wp_error *err)
{
  for (size_t i = 0; i < tf->n; i++) {
    char *p = (char *)tf->preds[i];
    if (*trim(p) == '\0') continue;
    for (;;) {
      char *semi = strchr(p, ';');
      if (semi) *semi = '\0';
      wp_status st = parse_pred(tf, p, &tf->act[i], name, tf->line[i], err);
      if (st != WP_OK) return st;
      if (!semi) break;
      p = semi + 1;
    }
  }
  return WP_OK;
}

/* Duplicate ids and predecessors that name no task, reported with their lines. */
static wp_status check_ids(const wp_taskfile *tf, const char *name, wp_error *err)
{
  wp_status st = WP_OK;
  id_line *ix = malloc((tf->n ? tf->n : 1) * sizeof *ix);
  if (!ix) return wp_error_set(err, WP_ENOMEM, "out of memory reading %s", name);
  for (size_t i = 0; i < tf->n; i++)
    ix[i] = (id_line){tf->act[i].id, tf->line[i]};
  qsort(ix, tf->n, sizeof *ix, cmp_id_line);
  size_t dup = WP_SCHED_NONE;
  for (size_t i = 1; i < tf->n; i++)
    if (strcmp(ix[i - 1].id, ix[i].id) == 0 && (dup == WP_SCHED_NONE || ix[i].line < ix[dup].line))
      dup = i;
  if (dup != WP_SCHED_NONE) {
    st = wp_error_set(err, WP_EPARSE, "%s:%zu: duplicate id '%s' (first defined on line %zu)", name,
                      ix[dup].line, ix[dup].id, ix[dup - 1].line);
    goto out;
  }
  for (size_t e = 0; e < tf->nlink; e++) {
    id_line key = {tf->link[e].pred_id, 0};
    const id_line *lo = ix, *hi = ix + tf->n;
    while (lo < hi) { /* lower bound on id */
      const id_line *mid = lo + (hi - lo) / 2;
      if (strcmp(mid->id, key.id) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo == ix + tf->n || strcmp(lo->id, key.id) != 0) {
      size_t i = 0;
      while (strcmp(tf->act[i].id, tf->link[e].succ_id) != 0)
        i++;
      st = wp_error_set(err, WP_EPARSE, "%s:%zu: task '%s': predecessor '%s' is not a task id",
                        name, tf->line[i], tf->link[e].succ_id, key.id);
      goto out;
    }
  }
out:
  free(ix);
  return st;
}

static wp_status parse_rows(wp_taskfile *tf, wp_error *err)
{
  const wp_csv *c = &tf->csv;
  int col[NCOL];
  wp_status st = wp_csv_header(c, 0, columns, NCOL, col, err);
  if (st != WP_OK) return st;
  for (size_t r = 1; r < c->nrows; r++)
    if ((st = wp_csv_check_width(c, r, NCOL, HEADER_TEXT, err)) != WP_OK ||
        (st = add_task(tf, r, col, err)) != WP_OK)
      return st;
  if (tf->n == 0) return wp_error_set(err, WP_EPARSE, "%s: no tasks after the header", c->name);
  return WP_OK;
}

wp_status wp_taskfile_parse(const char *text, size_t len, const char *name, wp_taskfile **out,
                            wp_error *err)
{
  wp_status st;
  if (!out) return wp_error_set(err, WP_EINVAL, "out is NULL");
  *out = NULL;
  if (!text) return wp_error_set(err, WP_EINVAL, "text is NULL");
  if (!name) name = "(tasks)";
  wp_taskfile *tf = calloc(1, sizeof *tf);
  if (!tf) return wp_error_set(err, WP_ENOMEM, "out of memory reading %s", name);
  if ((st = wp_csv_parse(&tf->csv, name, text, len, WP_CSV_COMMENTS, err)) != WP_OK ||
      (st = parse_rows(tf, err)) != WP_OK || (st = parse_all_preds(tf, name, err)) != WP_OK ||
      (st = check_ids(tf, name, err)) != WP_OK) {
    wp_taskfile_free(tf);
    return st;
  }
  *out = tf;
  return WP_OK;
}

wp_status wp_taskfile_read(const char *path, wp_taskfile **out, wp_error *err)
{
  if (!path || !out) return wp_error_set(err, WP_EINVAL, "path or out is NULL");
  *out = NULL;
  char *buf = NULL;
  size_t len = 0;
  wp_status st = wp_io_read_text(path, TASKFILE_MAX_BYTES, &buf, &len, err);
  if (st == WP_OK) st = wp_taskfile_parse(buf, len, path, out, err);
  free(buf);
  return st;
}

void wp_taskfile_free(wp_taskfile *tf)
{
  if (!tf) return;
  free(tf->link);
  free(tf->preds);
  free(tf->line);
  free(tf->act);
  wp_csv_release(&tf->csv);
  free(tf);
}

const wp_sched_activity *wp_taskfile_activities(const wp_taskfile *tf, size_t *n)
{
  *n = tf->n;
  return tf->act;
}

const wp_sched_link *wp_taskfile_links(const wp_taskfile *tf, size_t *n)
{
  *n = tf->nlink;
  return tf->link;
}

size_t wp_taskfile_line(const wp_taskfile *tf, size_t i)
{
  return i < tf->n ? tf->line[i] : 0;
}

wp_status wp_taskfile_schedule(const char *path, wp_schedule **out, wp_error *err)
{
  wp_taskfile *tf = NULL;
  wp_status st = wp_taskfile_read(path, &tf, err);
  if (st != WP_OK) return st;
  size_t na, nl;
  const wp_sched_activity *a = wp_taskfile_activities(tf, &na);
  const wp_sched_link *l = wp_taskfile_links(tf, &nl);
  wp_error inner = WP_ERROR_INIT;
  st = wp_schedule_new(a, na, l, nl, out, &inner);
  if (st != WP_OK) wp_error_set(err, st, "%s: %s", path, inner.msg);
  wp_taskfile_free(tf);
  return st;
}
