/*
** tests/refdata.h — read reference-value files kept in tests/data/: CSV lines split into
** fields, '#' lines and blank lines skipped. Used by the table-driven tests.
*/
#ifndef WP_TEST_REFDATA_H
#define WP_TEST_REFDATA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF_MAX_FIELDS 16

/* The whole file at path as a NUL-terminated text (malloc'd; NULL when unreadable). */
static inline char *ref_read_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
  if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
      fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  if (buf) buf[n] = '\0';
  fclose(f);
  return buf;
}

/* Open tests/data/<name> in the source tree (NULL and a message when missing). */
static inline FILE *ref_open(const char *name)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/data/%s", WP_SOURCE_DIR, name);
  FILE *f = fopen(path, "r");
  if (!f) fprintf(stderr, "cannot open reference data %s\n", path);
  return f;
}

/* Next data line split on ',' into fields (in line's own buffer). Returns the field count,
** 0 at end of file. */
static inline int ref_next(FILE *f, char *line, size_t n, char **fields)
{
  while (fgets(line, (int)n, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '#' || line[0] == '\0') continue;
    int k = 0;
    char *p = line;
    fields[k++] = p;
    while ((p = strchr(p, ',')) != NULL && k < REF_MAX_FIELDS) {
      *p++ = '\0';
      fields[k++] = p;
    }
    return k;
  }
  return 0;
}

#endif
