/* Schema-driven YAML reading with file:line:column diagnostics (see src/io/yaml_int.h). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/readfile_int.h"
#include "io/yaml_int.h"
#include "wattpivot/calendar.h"
#include "wattpivot/format.h"
#include "wattpivot/range.h"

struct diag_capture {
  char msg[200];
};

/* Keep the first message, trimmed of surrounding blanks. */
static void capture_diag(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
  struct diag_capture *cap = user;
  (void)diag;
  if (cap->msg[0] || len == 0) return;
  while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
    len--;
  while (len > 0 && *buf == ' ')
    buf++, len--;
  if (len >= sizeof cap->msg) len = sizeof cap->msg - 1;
  memcpy(cap->msg, buf, len);
  cap->msg[len] = '\0';
}

/* libfyaml formats "<source>:LINE:COL: error: text": find LINE and COL, return the text. */
static const char *diag_position(const char *msg, int *line, int *col)
{
  for (const char *p = msg; *p; p++) {
    int l = 0, c = 0, used = 0;
    if (*p == ':' && sscanf(p, ":%d:%d: %n", &l, &c, &used) == 2 && used > 0) {
      const char *rest = p + used;
      if (strncmp(rest, "error: ", 7) == 0) rest += 7;
      *line = l;
      *col = c;
      return rest;
    }
  }
  return msg;
}

wp_status wp_yaml_load(wp_yaml *y, const char *name, const char *path, const char *text,
                       wp_error *err)
{
  memset(y, 0, sizeof *y);
  snprintf(y->name, sizeof y->name, "%s", name ? name : (path ? path : "<text>"));
  /* Every file is read whole by our reader and checked as UTF-8 text, then parsed from memory
     (libfyaml's own file input fails on pipes and /proc). */
  char *owned = NULL;
  size_t len = 0, skip = 0;
  wp_status st;
  if (!text) {
    if (!path) return wp_error_set(err, WP_EINVAL, "YAML: no path and no text");
    if ((st = wp_io_read_text(path, WP_YAML_MAX_BYTES, &owned, &len, err))) return st;
    text = owned;
  } else {
    len = strlen(text);
    if ((st = wp_io_check_text(y->name, text, len, &skip, err))) return st;
    text += skip;
    len -= skip;
  }
  if (len == 0 || strspn(text, " \t\r\n") == len) {
    free(owned);
    return wp_error_set(err, WP_EPARSE, "%s:1:1: the file is empty", y->name);
  }
  /* Collect the first diagnostic through the output callback (libfyaml 0.7's collected-error
     list leaks its entries, so we do not use fy_diag_set_collect_errors). */
  struct diag_capture cap = {{0}};
  struct fy_diag_cfg dcfg;
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = NULL;
  dcfg.output_fn = capture_diag;
  dcfg.user = &cap;
  dcfg.colorize = false;
  struct fy_diag *diag = fy_diag_create(&dcfg);
  if (!diag) {
    free(owned);
    return wp_error_set(err, WP_ENOMEM, "cannot create the YAML diagnostics");
  }
  /* Duplicate keys are found by wp_yaml_bind in one pass (libfyaml's own check is quadratic in
     the keys of a mapping). */
  struct fy_parse_cfg cfg = {.search_path = NULL,
                             .flags = FYPCF_QUIET | FYPCF_ALLOW_DUPLICATE_KEYS,
                             .userdata = NULL,
                             .diag = diag};
  y->doc = fy_document_build_from_string(&cfg, text, len);
  y->text = owned; /* the document's scalars point into it: kept until wp_yaml_release */
  st = WP_OK;
  if (!y->doc) {
    free(y->text);
    y->text = NULL;
    int line = 0, col = 0;
    const char *text_part = diag_position(cap.msg, &line, &col);
    if (line > 0)
      st = wp_error_set(err, WP_EPARSE, "%s:%d:%d: YAML syntax error: %s", y->name, line, col,
                        text_part);
    else if (cap.msg[0])
      st = wp_error_set(err, WP_EPARSE, "%s: YAML syntax error: %s", y->name, cap.msg);
    else
      st = wp_error_set(err, WP_EPARSE, "%s: not a valid YAML document", y->name);
  }
  fy_diag_unref(diag);
  return st;
}

void wp_yaml_release(wp_yaml *y)
{
  if (!y) return;
  if (y->doc) fy_document_destroy(y->doc);
  free(y->text);
  y->doc = NULL;
  y->text = NULL;
}

struct fy_node *wp_yaml_root(const wp_yaml *y)
{
  return y->doc ? fy_document_root(y->doc) : NULL;
}

/* Position of a node: its scalar token, else the first key or item inside it. */
static const struct fy_mark *node_mark(struct fy_node *n)
{
  for (int depth = 0; n && depth < 8; depth++) {
    if (fy_node_is_scalar(n)) {
      struct fy_token *t = fy_node_get_scalar_token(n);
      return t ? fy_token_start_mark(t) : NULL;
    }
    void *it = NULL;
    if (fy_node_is_mapping(n)) {
      struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
      n = p ? fy_node_pair_key(p) : NULL;
    } else {
      n = fy_node_sequence_iterate(n, &it);
    }
  }
  return NULL;
}

int wp_yaml_position(struct fy_node *node, int *line, int *column)
{
  const struct fy_mark *m = node_mark(node);
  if (!m) return 0;
  *line = m->line + 1;
  *column = m->column + 1;
  return 1;
}

void wp_yaml_sink_add(wp_yaml_sink *sink, const wp_error *e)
{
  if (!sink) return;
  if (sink->n < sink->max) sink->items[sink->n] = *e;
  sink->n++;
}

wp_status wp_yaml_error(const wp_yaml *y, struct fy_node *node, wp_status code, const char *path,
                        wp_error *err, const char *fmt, ...)
{
  char msg[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  const struct fy_mark *m = node_mark(node);
  wp_error e = WP_ERROR_INIT;
  if (m)
    wp_error_set(&e, code, "%s:%d:%d: %s: %s", y->name, m->line + 1, m->column + 1,
                 path && path[0] ? path : "(top level)", msg);
  else
    wp_error_set(&e, code, "%s: %s: %s", y->name, path && path[0] ? path : "(top level)", msg);
  wp_yaml_sink_add(y->sink, &e);
  if (err) *err = e;
  return code;
}

/* The pair of key in mapping map, or NULL. */
static struct fy_node_pair *find_pair(struct fy_node *map, const char *key)
{
  void *it = NULL;
  struct fy_node_pair *p;
  if (!map || !fy_node_is_mapping(map)) return NULL;
  while ((p = fy_node_mapping_iterate(map, &it)) != NULL) {
    struct fy_node *k = fy_node_pair_key(p);
    size_t len = 0;
    const char *s = k && fy_node_is_scalar(k) ? fy_node_get_scalar(k, &len) : NULL;
    if (s && len == strlen(key) && memcmp(s, key, len) == 0) return p;
  }
  return NULL;
}

struct fy_node *wp_yaml_key_node(struct fy_node *map, const char *key)
{
  struct fy_node_pair *p = find_pair(map, key);
  return p ? fy_node_pair_key(p) : NULL;
}

struct fy_node *wp_yaml_get(struct fy_node *map, const char *key)
{
  struct fy_node_pair *p = find_pair(map, key);
  return p ? fy_node_pair_value(p) : NULL;
}

struct fy_node *wp_yaml_find(struct fy_node *root, const char *path, size_t len)
{
  struct fy_node *n = root, *at = NULL;
  size_t i = 0;
  while (n && i < len) {
    if (path[i] == '[') { /* an item of a sequence */
      char *end = NULL;
      long k = strtol(path + i + 1, &end, 10);
      if (!end || *end != ']' || !fy_node_is_sequence(n) || k < 0 ||
          k >= fy_node_sequence_item_count(n))
        break;
      n = at = fy_node_sequence_get_by_index(n, (int)k);
      i = (size_t)(end - path) + 1;
    } else { /* a key of a mapping */
      if (path[i] == '.') i++;
      size_t j = i;
      while (j < len && path[j] != '.' && path[j] != '[')
        j++;
      char key[128];
      if (j - i >= sizeof key || !fy_node_is_mapping(n)) break;
      memcpy(key, path + i, j - i);
      key[j - i] = '\0';
      struct fy_node *k = wp_yaml_key_node(n, key);
      if (!k) break;
      at = k;
      n = wp_yaml_get(n, key);
      i = j;
    }
  }
  return at;
}

/* The scalar text of n copied into buf; 0 when n is not a scalar. */
static int scalar_text(struct fy_node *n, char *buf, size_t size)
{
  size_t len = 0;
  const char *s = n && fy_node_is_scalar(n) ? fy_node_get_scalar(n, &len) : NULL;
  buf[0] = '\0'; /* a caller that quotes buf after a failure quotes nothing, never stale text */
  if (!s) return 0;
  if (len >= size) len = size - 1;
  memcpy(buf, s, len);
  buf[len] = '\0';
  return 1;
}

static wp_status bind_number(const wp_yaml *y, struct fy_node *v, struct fy_node *pos,
                             const char *path, const wp_field *f, double *out, wp_error *err)
{
  char text[128], range[96];
  const wp_range r = {f->min, f->max, f->min_open, f->max_open, f->unit};
  wp_range_format(range, sizeof range, &r);
  if (!scalar_text(v, text, sizeof text))
    return wp_yaml_error(y, pos, WP_EPARSE, path, err, "expected a number; accepted %s", range);
  char *end = NULL;
  errno = 0;
  double d = strtod(text, &end);
  if (end == text || *end != '\0' || errno == ERANGE || !isfinite(d))
    return wp_yaml_error(y, pos, WP_EPARSE, path, err, "'%s' is not a number; accepted %s", text,
                         range);
  if (f->kind == WP_F_INT && d != floor(d))
    return wp_yaml_error(y, pos, WP_EPARSE, path, err, "'%s' is not a whole number; accepted %s",
                         text, range);
  char hint[96];
  if (!wp_range_contains(&r, d))
    return wp_yaml_error(y, pos, WP_EPARSE, path, err, "%s is out of range; accepted %s%s", text,
                         range, wp_range_hint(hint, sizeof hint, &r, d));
  *out = d;
  return WP_OK;
}

static wp_status bind_field(const wp_yaml *y, struct fy_node *v, struct fy_node *pos,
                            const char *path, const wp_field *f, void *target, wp_error *err)
{
  char *dst = (char *)target + f->offset;
  char text[256];
  double d = 0;
  wp_status st;
  switch (f->kind) {
  case WP_F_NUM:
  case WP_F_INT:
    if ((st = bind_number(y, v, pos, path, f, &d, err))) return st;
    if (f->kind == WP_F_NUM)
      memcpy(dst, &d, sizeof d);
    else {
      int64_t i = (int64_t)d;
      memcpy(dst, &i, sizeof i);
    }
    return WP_OK;
  case WP_F_BOOL: {
    int b = -1;
    if (scalar_text(v, text, sizeof text)) {
      if (strcmp(text, "true") == 0) b = 1;
      if (strcmp(text, "false") == 0) b = 0;
    }
    if (b < 0) return wp_yaml_error(y, pos, WP_EPARSE, path, err, "expected true or false");
    memcpy(dst, &b, sizeof b);
    return WP_OK;
  }
  case WP_F_STR:
    if (!scalar_text(v, text, sizeof text) || text[0] == '\0')
      return wp_yaml_error(y, pos, WP_EPARSE, path, err, "expected a non-empty text");
    if (strlen(text) >= f->size)
      return wp_yaml_error(y, pos, WP_EPARSE, path, err, "'%s' is longer than %zu characters", text,
                           f->size - 1);
    memcpy(dst, text, strlen(text) + 1);
    return WP_OK;
  case WP_F_ENUM: {
    char accepted[200] = "";
    for (int i = 0; i < f->count; i++) {
      strncat(accepted, i ? ", " : "", sizeof accepted - strlen(accepted) - 1);
      strncat(accepted, f->name_of(i), sizeof accepted - strlen(accepted) - 1);
    }
    if (!scalar_text(v, text, sizeof text) || !text[0])
      return wp_yaml_error(y, pos, WP_EPARSE, path, err, "expected a name; accepted: %s", accepted);
    for (int i = 0; i < f->count; i++)
      if (strcmp(text, f->name_of(i)) == 0) {
        memcpy(dst, &i, sizeof i);
        return WP_OK;
      }
    return wp_yaml_error(y, pos, WP_EPARSE, path, err, "'%s' is not accepted; accepted: %s", text,
                         accepted);
  }
  case WP_F_YM: {
    wp_ym ym;
    wp_error inner = WP_ERROR_INIT;
    if (!scalar_text(v, text, sizeof text))
      return wp_yaml_error(y, pos, WP_EPARSE, path, err, "expected a month YYYY-MM");
    if (wp_calendar_parse_ym(text, &ym, &inner) != WP_OK)
      return wp_yaml_error(y, pos, WP_EPARSE, path, err, "'%s' is not a month; expected YYYY-MM",
                           text);
    memcpy(dst, &ym, sizeof ym);
    return WP_OK;
  }
  case WP_F_NUM12: {
    double vals[12];
    int n = v && fy_node_is_sequence(v) ? fy_node_sequence_item_count(v) : -1;
    if (n != 12)
      return wp_yaml_error(y, pos, WP_EPARSE, path, err,
                           "expected a list of 12 numbers (January..December), got %s",
                           n < 0 ? "no list" : "a different count");
    for (int i = 0; i < 12; i++) {
      char item_path[448];
      snprintf(item_path, sizeof item_path, "%s[%d]", path, i);
      if ((st = bind_number(y, fy_node_sequence_get_by_index(v, i), pos, item_path, f, &vals[i],
                            err)))
        return st;
    }
    memcpy(dst, vals, sizeof vals);
    return WP_OK;
  }
  case WP_F_NUMS: {
    int n = v && fy_node_is_sequence(v) ? fy_node_sequence_item_count(v) : -1;
    if (n < 1 || (size_t)n > f->size)
      return wp_yaml_error(y, pos, WP_EPARSE, path, err, "expected a list of 1 to %zu numbers, got %s",
                           f->size, n < 0 ? "no list" : n == 0 ? "an empty list" : "more");
    size_t count = (size_t)n;
    memcpy(dst, &count, sizeof count);
    for (int i = 0; i < n; i++) {
      char item_path[448];
      struct fy_node *item = fy_node_sequence_get_by_index(v, i);
      snprintf(item_path, sizeof item_path, "%s[%d]", path, i);
      if ((st = bind_number(y, item, node_mark(item) ? item : pos, item_path, f, &d, err)))
        return st;
      memcpy(dst + sizeof count + (size_t)i * sizeof d, &d, sizeof d);
    }
    return WP_OK;
  }
  case WP_F_ENUMSET: {
    char accepted[200] = "";
    const int first = (int)f->min;
    for (int i = first; i < f->count; i++) {
      strncat(accepted, i > first ? ", " : "", sizeof accepted - strlen(accepted) - 1);
      strncat(accepted, f->name_of(i), sizeof accepted - strlen(accepted) - 1);
    }
    int n = v && fy_node_is_sequence(v) ? fy_node_sequence_item_count(v) : -1;
    if (n == 0)
      return wp_yaml_error(y, pos, WP_EPARSE, path, err, "the list is empty; accepted: %s",
                           accepted);
    unsigned set = 0;
    for (int k = 0; k < (n < 0 ? 1 : n); k++) {
      struct fy_node *item = n < 0 ? v : fy_node_sequence_get_by_index(v, k);
      struct fy_node *at = node_mark(item) ? item : pos;
      char item_path[448];
      snprintf(item_path, sizeof item_path, n < 0 ? "%s" : "%s[%d]", path, k);
      if (!scalar_text(item, text, sizeof text) || !text[0])
        return wp_yaml_error(y, at, WP_EPARSE, item_path, err, "expected a name; accepted: %s",
                             accepted);
      int i = first;
      while (i < f->count && strcmp(text, f->name_of(i)) != 0) i++;
      if (i == f->count)
        return wp_yaml_error(y, at, WP_EPARSE, item_path, err, "'%s' is not accepted; accepted: %s",
                             text, accepted);
      if (set & (1u << i))
        return wp_yaml_error(y, at, WP_EPARSE, item_path, err, "'%s' is listed twice", text);
      set |= 1u << i;
    }
    memcpy(dst, &set, sizeof set);
    return WP_OK;
  }
  }
  return wp_yaml_error(y, pos, WP_EPARSE, path, err, "unsupported field kind");
}

/* The words of a (split at '_', '-', '.'; four letters or more) that b has too, a word matching
** its plural or any word it begins ("month" and "months"): "start_step_months" and
** "convert_month_step" share two. */
static int shared_words(const char *a, const char *b)
{
  static const char seps[] = "_-.";
  int n = 0;
  for (const char *p = a; *p;) {
    const size_t lp = strcspn(p, seps);
    int found = 0;
    for (const char *q = b; lp >= 4 && *q && !found;) {
      const size_t lq = strcspn(q, seps);
      const size_t l = lp < lq ? lp : lq;
      found = lq >= 4 && strncmp(p, q, l) == 0;
      q += lq + (q[lq] != '\0');
    }
    n += found;
    p += lp + (p[lp] != '\0');
  }
  return n;
}

wp_status wp_yaml_bind(const wp_yaml *y, struct fy_node *map, const char *path,
                       const wp_field *fields, size_t nfields, const char *const *sections,
                       void *target, unsigned char *seen, wp_error *err)
{
  if (!map || !fy_node_is_mapping(map))
    return wp_yaml_error(y, map, WP_EPARSE, path, err, "expected a mapping of key: value");
  /* Every accepted key is a field or a section (any other key is refused at once), so a
     duplicate is found by marking them: one pass, whatever the number of keys. */
  unsigned char got[WP_YAML_MAX_FIELDS + WP_YAML_MAX_SECTIONS] = {0};
  if (nfields > WP_YAML_MAX_FIELDS)
    return wp_yaml_error(y, map, WP_EINVAL, path, err, "schema of %zu keys; at most %d", nfields,
                         WP_YAML_MAX_FIELDS);
  /* A key that fails: stop, or (with a sink) go on with the next key. */
  wp_status first = WP_OK;
#define KEY_FAILS(expr)                                                                            \
  do {                                                                                             \
    wp_status st_ = (expr);                                                                        \
    if (!y->sink) return st_;                                                                      \
    if (!first) first = st_;                                                                       \
    goto next_key;                                                                                 \
  } while (0)
  void *it = NULL;
  struct fy_node_pair *p;
  while ((p = fy_node_mapping_iterate(map, &it)) != NULL) {
    struct fy_node *k = fy_node_pair_key(p);
    char key[128], sub[384];
    if (!scalar_text(k, key, sizeof key) || !key[0])
      KEY_FAILS(wp_yaml_error(y, k ? k : map, WP_EPARSE, path, err, "a key must be plain text"));
    snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", key);
    /* i: the key's index among the fields, then the sections; SIZE_MAX when unknown. */
    size_t i = 0;
    while (i < nfields && strcmp(fields[i].key, key) != 0)
      i++;
    if (i == nfields) {
      size_t s = 0;
      while (sections && sections[s] && strcmp(sections[s], key) != 0)
        s++;
      i = sections && sections[s] && s < WP_YAML_MAX_SECTIONS ? nfields + s : SIZE_MAX;
    }
    if (i != SIZE_MAX) {
      if (got[i]) {
        struct fy_token *t = fy_node_get_scalar_token(wp_yaml_key_node(map, key));
        const struct fy_mark *first_at = t ? fy_token_start_mark(t) : NULL;
        KEY_FAILS(wp_yaml_error(y, k, WP_EPARSE, sub, err,
                                "the key is given twice (first at line %d)",
                                first_at ? first_at->line + 1 : 0));
      }
      got[i] = 1;
      if (i >= nfields) continue; /* a section: the caller binds it */
      struct fy_node *v = fy_node_pair_value(p);
      /* An empty value has no position of its own: its key's stands for it. */
      wp_status st = bind_field(y, v, node_mark(v) ? v : k, sub, &fields[i], target, err);
      if (st) KEY_FAILS(st);
      if (seen) seen[i] = 1;
      continue;
    }
    /* Unknown key: suggest the closest known one. */
    const char *best = NULL;
    int best_d = 99;
    for (size_t f = 0; f < nfields; f++) {
      int d = wp_edit_distance(key, fields[f].key);
      if (d < best_d) best_d = d, best = fields[f].key;
    }
    for (size_t s = 0; sections && sections[s]; s++) {
      int d = wp_edit_distance(key, sections[s]);
      if (d < best_d) best_d = d, best = sections[s];
    }
    if (!best || best_d > 3) { /* nothing spelt close: the key sharing the most words */
      int most = 0;
      for (size_t f = 0; f < nfields; f++) {
        const int w = shared_words(key, fields[f].key);
        if (w > most) most = w, best = fields[f].key, best_d = 0;
      }
      for (size_t s = 0; sections && sections[s]; s++) {
        const int w = shared_words(key, sections[s]);
        if (w > most) most = w, best = sections[s], best_d = 0;
      }
    }
    if (best && best_d <= 3)
      KEY_FAILS(wp_yaml_error(y, k, WP_EPARSE, sub, err, "unknown key; did you mean '%s'?", best));
    KEY_FAILS(wp_yaml_error(y, k, WP_EPARSE, sub, err, "unknown key"));
  next_key:;
  }
#undef KEY_FAILS
  return first;
}
