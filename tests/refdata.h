/*
** tests/refdata.h — read reference-value files kept in tests/data/: CSV lines split into
** fields, '#' lines and blank lines skipped. Used by the table-driven tests.
*/
#ifndef WP_TEST_REFDATA_H
#define WP_TEST_REFDATA_H

#include <stdio.h>
#include <string.h>

#define REF_MAX_FIELDS 16

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
