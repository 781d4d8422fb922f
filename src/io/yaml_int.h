/*
** src/io/yaml_int.h — the schema-driven YAML reader behind scenario files (private to src/io
** and its tests). A schema is a table of wp_field rows: key, type, offset into a C struct,
** accepted range, unit and help. Binding a YAML mapping to a struct checks every value against
** its row and refuses unknown keys with a "did you mean"; every message starts with
** FILE:LINE:COLUMN and names the key path (e.g. "sites[2].grid_mw") and the accepted values.
** The same rows document the file (scenario init writes them as comments).
*/
#ifndef WP_IO_YAML_INT_H
#define WP_IO_YAML_INT_H

#include <stddef.h>

#include <libfyaml.h>

#include "wattpivot/error.h"

/* Limits of a scenario file: its size, and the keys of one mapping's schema. */
#define WP_YAML_MAX_BYTES    ((size_t)4 << 20)
#define WP_YAML_MAX_FIELDS   64
#define WP_YAML_MAX_SECTIONS 16

/* Every error of a pass that goes on after the first (scenario validate): up to max kept. */
typedef struct wp_yaml_sink {
  wp_error *items;
  size_t max, n; /* n: errors found (may exceed max) */
} wp_yaml_sink;

/* Record e in sink (NULL: nothing). */
void wp_yaml_sink_add(wp_yaml_sink *sink, const wp_error *e);

typedef struct wp_yaml {
  struct fy_document *doc;
  char *text;     /* the text read from a file (the document points into it), or NULL */
  char name[256]; /* file name used in messages */
  wp_yaml_sink *sink; /* NULL: binding stops at the first error; else every error goes here and
                         binding goes on with the next key */
} wp_yaml;

typedef enum wp_field_kind {
  WP_F_NUM,   /* double, range-checked */
  WP_F_INT,   /* int64_t, range-checked */
  WP_F_BOOL,  /* int: true/false */
  WP_F_STR,   /* char[size] */
  WP_F_ENUM,  /* int: index into names[] */
  WP_F_YM,    /* wp_ym: "YYYY-MM" */
  WP_F_NUM12, /* double[12]: a sequence of exactly 12 numbers, each range-checked */
  WP_F_NUMS,  /* a list of 1..size numbers, each range-checked, stored as a size_t count followed
                 by double[size] (wp_tranche_levels' layout) */
  WP_F_ENUMSET /* unsigned: a set of names (a list, or one name), bit i for name_of(i), i in
                  [min, count) */
} wp_field_kind;

typedef struct wp_field {
  const char *key;          /* snake_case with its unit: grid_mw, power_usd_per_mwh */
  wp_field_kind kind;
  size_t offset;            /* offsetof the member in the target struct */
  size_t size;              /* WP_F_STR: the buffer size; WP_F_NUMS: the most values */
  double min, max;          /* accepted range (WP_F_NUM, WP_F_INT, WP_F_NUM12, WP_F_NUMS);
                               WP_F_ENUMSET: min is the first name accepted */
  int min_open, max_open;   /* 1: the bound itself is not accepted */
  const char *unit;         /* "MW", "USD/MWh", "" */
  const char *help;         /* meaning, and the default's source */
  /* WP_F_ENUM: the accepted names are name_of(0..count-1), the value stored is the index
     (name_of is the model's own name function, so the file and the model never disagree). */
  const char *(*name_of)(int);
  int count;
} wp_field;

/* Parse a YAML document from path (text == NULL; "-" = standard input; read whole, at most
** WP_YAML_MAX_BYTES, by src/io/readfile_int.h) or from text (named name in messages). The text
** must be UTF-8 (a byte that is not, a NUL or UTF-16 is WP_EPARSE with its line and column); an
** empty document is WP_EPARSE "name:1:1: the file is empty". Syntax errors come back as
** WP_EPARSE "name:line:col: message"; an unreadable file as WP_EIO naming the path and the
** system's reason. */
wp_status wp_yaml_load(wp_yaml *y, const char *name, const char *path, const char *text,
                       wp_error *err);

/* Release the document (y may be zeroed or already released). */
void wp_yaml_release(wp_yaml *y);

/* The root node (NULL for an empty document). */
struct fy_node *wp_yaml_root(const wp_yaml *y);

/* The 1-based line and column of node (a scalar's own, else the first key or item inside it);
** 0 when it has none (an empty value). */
int wp_yaml_position(struct fy_node *node, int *line, int *column);

/* Set err to "name:line:col: path: message" for node (which may be NULL: no position); also
** record it in y->sink. */
wp_status wp_yaml_error(const wp_yaml *y, struct fy_node *node, wp_status code, const char *path,
                        wp_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/*
** Bind the mapping node map (at key path `path`, "" for the root) to target using fields (at
** most WP_YAML_MAX_FIELDS; sections at most WP_YAML_MAX_SECTIONS). A key given twice is refused
** naming both lines.
** Keys listed in sections (NULL-terminated, may be NULL) are accepted and left to the caller.
** seen (may be NULL) receives 1 for each field present. A value that does not fit its row
** fails with WP_EPARSE naming file:line:col, the key path, the value and the accepted range.
** With y->sink, every key that fails is recorded and the others still bound; the first
** failure's status is returned.
*/
wp_status wp_yaml_bind(const wp_yaml *y, struct fy_node *map, const char *path,
                       const wp_field *fields, size_t nfields, const char *const *sections,
                       void *target, unsigned char *seen, wp_error *err);

/* The value node of key in mapping map, or NULL. */
struct fy_node *wp_yaml_get(struct fy_node *map, const char *key);

/* The key node of key in mapping map (for positions in messages), or NULL. */
struct fy_node *wp_yaml_key_node(struct fy_node *map, const char *key);

/* The node a key path names ("sites[3].country", "finance"; its first len bytes): the key node
** of its last key, or the item of its last index; as far as it resolves (NULL when not even its
** first part does). For positions in messages. */
struct fy_node *wp_yaml_find(struct fy_node *root, const char *path, size_t len);


#endif
