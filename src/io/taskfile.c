/* Schedule task files (CSV) -> activities and links for wp_schedule_new (wattpivot/taskfile.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/readfile_int.h"
#include "wattpivot/taskfile.h"

#define TASKFILE_MAX_BYTES (64u << 20)
#define TASKFILE_MAX_FIELDS 16

enum { COL_ID, COL_NAME, COL_MIN, COL_MODE, COL_MAX, COL_PRED, NCOL };
static const char *const col_names[NCOL] = {"id",        "name",     "min_days",
                                            "mode_days", "max_days", "predecessors"};
#define HEADER_TEXT "id,name,min_days,mode_days,max_days,predecessors"

struct wp_taskfile {
  char *text;               /* owned copy; fields point into it */
  wp_sched_activity *act;
  size_t *line;             /* line of each activity */
  const char **preds;       /* raw predecessors field of each activity */
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
  while (is_blank(*s)) s++;
  size_t n = strlen(s);
  while (n > 0 && is_blank(s[n - 1])) s[--n] = '\0';
  return s;
}

/*
** Split a line (modified in place) into fields; quoted fields lose their quotes and ""
** becomes ". Returns the field count, or -1 for an unterminated quote or text after a
** closing quote.
*/
static int split_fields(char *line, char **fields)
{
  int k = 0;
  char *p = line;
  for (;;) {
    while (is_blank(*p)) p++;
    char *start = p;
    if (*p == '"') {
      char *w = p;
      p++;
      for (;;) {
        if (*p == '\0') return -1;
        if (*p == '"') {
          if (p[1] == '"') {
            *w++ = '"';
            p += 2;
            continue;
          }
          p++;
          break;
        }
        *w++ = *p++;
      }
      while (is_blank(*p)) p++;
      if (*p != ',' && *p != '\0') return -1;
      char sep = *p;
      *w = '\0';
      if (k < TASKFILE_MAX_FIELDS) fields[k] = start;
      k++;
      if (sep == '\0') return k;
      p++;
      continue;
    }
    while (*p && *p != ',') p++;
    char sep = *p;
    *p = '\0';
    if (k < TASKFILE_MAX_FIELDS) fields[k] = trim(start);
    k++;
    if (sep == '\0') return k;
    p++;
  }
}

static wp_status parse_header(char **f, int nf, const char *name, size_t line, int *col,
                              wp_error *err)
{
  for (int c = 0; c < NCOL; c++) col[c] = -1;
  for (int i = 0; i < nf && i < TASKFILE_MAX_FIELDS; i++) {
    int c = 0;
    while (c < NCOL && strcmp(f[i], col_names[c]) != 0) c++;
    if (c == NCOL)
      return wp_error_set(err, WP_EPARSE,
                          "%s:%zu: unknown column '%s' in the header; expected " HEADER_TEXT,
                          name, line, f[i]);
    if (col[c] >= 0)
      return wp_error_set(err, WP_EPARSE, "%s:%zu: column '%s' appears twice in the header",
                          name, line, f[i]);
    col[c] = i;
  }
  for (int c = 0; c < NCOL; c++)
    if (col[c] < 0)
      return wp_error_set(err, WP_EPARSE,
                          "%s:%zu: missing column '%s' in the header; expected " HEADER_TEXT,
                          name, line, col_names[c]);
  return WP_OK;
}

static wp_status parse_days(const char *text, const char *name, size_t line, const char *key,
                            double *out, wp_error *err)
{
  char *end = NULL;
  errno = 0;
  double v = strtod(text, &end);
  if (text[0] == '\0' || end == text || *end != '\0' || errno == ERANGE || !isfinite(v))
    return wp_error_set(err, WP_EPARSE, "%s:%zu: column %s: '%s' is not a number (days >= 0)",
                        name, line, key, text);
  if (v < 0 || v > WP_SCHED_MAX_DAYS)
    return wp_error_set(err, WP_EPARSE,
                        "%s:%zu: column %s: %g is out of range; accepted [0, %g] days (100 years)",
                        name, line, key, v, WP_SCHED_MAX_DAYS);
  *out = v;
  return WP_OK;
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
  while (nc < need) nc *= 2;
  void *p = realloc(*arr, nc * size);
  if (!p) return WP_ENOMEM;
  *arr = p;
  *cap = nc;
  return WP_OK;
}

static wp_status add_task(wp_taskfile *tf, char **f, const int *col, const char *name,
                          size_t line, wp_error *err)
{
  wp_sched_activity a = {0};
  wp_status st;
  a.id = f[col[COL_ID]];
  a.name = f[col[COL_NAME]];
  a.source = NULL;
  if ((st = check_id(a.id, name, line, err)) != WP_OK) return st;
  if ((st = parse_days(f[col[COL_MIN]], name, line, "min_days", &a.min_days, err)) != WP_OK ||
      (st = parse_days(f[col[COL_MODE]], name, line, "mode_days", &a.mode_days, err)) != WP_OK ||
      (st = parse_days(f[col[COL_MAX]], name, line, "max_days", &a.max_days, err)) != WP_OK)
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
  tf->preds[tf->n] = f[col[COL_PRED]];
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
    static const struct { const char *name; wp_sched_link_type type; } types[] = {
      {"FS", WP_SCHED_FS}, {"SS", WP_SCHED_SS}, {"FF", WP_SCHED_FF}};
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
  for (size_t i = 0; i < tf->n; i++) ix[i] = (id_line){tf->act[i].id, tf->line[i]};
  qsort(ix, tf->n, sizeof *ix, cmp_id_line);
  size_t dup = WP_SCHED_NONE;
  for (size_t i = 1; i < tf->n; i++)
    if (strcmp(ix[i - 1].id, ix[i].id) == 0 && (dup == WP_SCHED_NONE || ix[i].line < ix[dup].line))
      dup = i;
  if (dup != WP_SCHED_NONE) {
    st = wp_error_set(err, WP_EPARSE, "%s:%zu: duplicate id '%s' (first defined on line %zu)",
                      name, ix[dup].line, ix[dup].id, ix[dup - 1].line);
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
      while (strcmp(tf->act[i].id, tf->link[e].succ_id) != 0) i++;
      st = wp_error_set(err, WP_EPARSE, "%s:%zu: task '%s': predecessor '%s' is not a task id",
                        name, tf->line[i], tf->link[e].succ_id, key.id);
      goto out;
    }
  }
out:
  free(ix);
  return st;
}

static wp_status parse_lines(wp_taskfile *tf, const char *name, wp_error *err)
{
  char *p = tf->text, *f[TASKFILE_MAX_FIELDS];
  int col[NCOL], have_header = 0;
  size_t line = 0;
  if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
    p += 3; /* UTF-8 byte-order mark */
  while (*p) {
    char *nl = strchr(p, '\n'), *next = nl ? nl + 1 : p + strlen(p);
    if (nl) *nl = '\0';
    line++;
    size_t len = strlen(p);
    if (len > 0 && p[len - 1] == '\r') p[len - 1] = '\0';
    char *t = p;
    while (is_blank(*t)) t++;
    if (*t == '\0' || *t == '#') {
      p = next;
      continue;
    }
    int nf = split_fields(p, f);
    wp_status st;
    if (nf < 0)
      return wp_error_set(err, WP_EPARSE, "%s:%zu: unterminated or misplaced '\"' quote", name,
                          line);
    if (!have_header) {
      if ((st = parse_header(f, nf, name, line, col, err)) != WP_OK) return st;
      have_header = 1;
    } else {
      if (nf != NCOL)
        return wp_error_set(err, WP_EPARSE, "%s:%zu: %d fields; expected %d (" HEADER_TEXT ")",
                            name, line, nf, NCOL);
      if ((st = add_task(tf, f, col, name, line, err)) != WP_OK) return st;
    }
    p = next;
  }
  if (!have_header)
    return wp_error_set(err, WP_EPARSE, "%s:%zu: no header; expected " HEADER_TEXT, name,
                        line + 1);
  if (tf->n == 0)
    return wp_error_set(err, WP_EPARSE, "%s: no tasks after the header", name);
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
  if (memchr(text, '\0', len))
    return wp_error_set(err, WP_EPARSE, "%s: contains a NUL byte (not a text file)", name);
  wp_taskfile *tf = calloc(1, sizeof *tf);
  if (!tf || !(tf->text = malloc(len + 1))) {
    free(tf);
    return wp_error_set(err, WP_ENOMEM, "out of memory reading %s", name);
  }
  memcpy(tf->text, text, len);
  tf->text[len] = '\0';
  if ((st = parse_lines(tf, name, err)) != WP_OK || (st = parse_all_preds(tf, name, err)) != WP_OK ||
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
  free(tf->text);
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
