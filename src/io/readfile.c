/* Whole-file reads for the I/O layer (see src/io/readfile_int.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/readfile_int.h"

wp_status wp_io_read_file(const char *path, size_t max_bytes, char **text, size_t *len,
                          wp_error *err)
{
  if (!path || !text) return wp_error_set(err, WP_EINVAL, "read file: NULL argument");
  *text = NULL;
  if (len) *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f) return wp_error_set(err, WP_EIO, "cannot open %s: %s", path, strerror(errno));
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap);
  wp_status st = buf ? WP_OK : wp_error_set(err, WP_ENOMEM, "reading %s: out of memory", path);
  while (st == WP_OK) {
    if (n + 1 >= cap) {
      char *bigger = cap <= max_bytes ? realloc(buf, cap * 2) : NULL;
      if (!bigger) {
        st = cap > max_bytes
                 ? wp_error_set(err, WP_EINVAL, "%s is larger than %zu bytes", path, max_bytes)
                 : wp_error_set(err, WP_ENOMEM, "reading %s: out of memory", path);
        break;
      }
      buf = bigger;
      cap *= 2;
    }
    size_t k = fread(buf + n, 1, cap - 1 - n, f);
    n += k;
    if (k == 0) {
      if (ferror(f)) st = wp_error_set(err, WP_EIO, "cannot read %s: %s", path, strerror(errno));
      break;
    }
  }
  fclose(f);
  if (st == WP_OK && n > max_bytes)
    st = wp_error_set(err, WP_EINVAL, "%s is larger than %zu bytes", path, max_bytes);
  if (st != WP_OK) {
    free(buf);
    return st;
  }
  buf[n] = '\0';
  *text = buf;
  if (len) *len = n;
  return WP_OK;
}
