/* Whole-file reads for the I/O layer, checked as UTF-8 text (see src/io/readfile_int.h). */
#include <errno.h>
#include <stdint.h>
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
  const int std_in = strcmp(path, "-") == 0;
  const char *name = std_in ? "standard input" : path;
  FILE *f = std_in ? stdin : fopen(path, "rb");
  if (!f) return wp_error_set(err, WP_EIO, "cannot open %s: %s", path, strerror(errno));
  /* No size is asked of the file (a pipe or /proc has none): read until the end, at most
     max_bytes + 1 bytes. */
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap);
  wp_status st = buf ? WP_OK : wp_error_set(err, WP_ENOMEM, "reading %s: out of memory", name);
  while (st == WP_OK) {
    if (n + 1 >= cap) {
      char *bigger = cap <= max_bytes ? realloc(buf, cap * 2) : NULL;
      if (!bigger) {
        st = cap > max_bytes
                 ? wp_error_set(err, WP_EINVAL, "%s is larger than %zu bytes", name, max_bytes)
                 : wp_error_set(err, WP_ENOMEM, "reading %s: out of memory", name);
        break;
      }
      buf = bigger;
      cap *= 2;
    }
    size_t k = fread(buf + n, 1, cap - 1 - n, f);
    n += k;
    if (k == 0) {
      if (ferror(f)) st = wp_error_set(err, WP_EIO, "cannot read %s: %s", name, strerror(errno));
      break;
    }
    if (n > max_bytes) break;
  }
  if (!std_in) fclose(f);
  if (st == WP_OK && n > max_bytes)
    st = wp_error_set(err, WP_EINVAL, "%s is larger than %zu bytes", name, max_bytes);
  if (st != WP_OK) {
    free(buf);
    return st;
  }
  buf[n] = '\0';
  *text = buf;
  if (len) *len = n;
  return WP_OK;
}

/* Length of the UTF-8 sequence starting at s[0..n-1] (1..4), or 0 when it is not valid UTF-8
** (overlong forms, surrogates and code points above U+10FFFF are not). */
static size_t utf8_length(const unsigned char *s, size_t n)
{
  const unsigned c = s[0];
  if (c < 0x80) return 1;
  size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (k == 0 || c > 0xF4 || k > n) return 0;
  for (size_t i = 1; i < k; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  if (c == 0xE0 && s[1] < 0xA0) return 0; /* overlong */
  if (c == 0xED && s[1] >= 0xA0) return 0; /* UTF-16 surrogates */
  if (c == 0xF0 && s[1] < 0x90) return 0; /* overlong */
  if (c == 0xF4 && s[1] >= 0x90) return 0; /* above U+10FFFF */
  return k;
}

wp_status wp_io_check_text(const char *name, const char *text, size_t len, size_t *skip,
                           wp_error *err)
{
  const unsigned char *s = (const unsigned char *)text;
  *skip = 0;
  if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
    return wp_error_set(err, WP_EPARSE,
                        "%s:1:1: the file is UTF-16 (or UTF-32); save it as UTF-8", name);
  if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) *skip = 3;
  size_t line = 1, col = 1;
  for (size_t i = *skip; i < len;) {
    if (s[i] == 0)
      return wp_error_set(err, WP_EPARSE,
                          "%s:%zu:%zu: a NUL byte; the file is binary or UTF-16, not UTF-8 "
                          "text",
                          name, line, col);
    size_t k = utf8_length(s + i, len - i);
    if (k == 0)
      return wp_error_set(err, WP_EPARSE,
                          "%s:%zu:%zu: byte 0x%02X is not UTF-8 (a Latin-1 or Windows-1252 "
                          "character?); save the file as UTF-8",
                          name, line, col, s[i]);
    if (s[i] == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
    i += k;
  }
  return WP_OK;
}

wp_status wp_io_read_text(const char *path, size_t max_bytes, char **text, size_t *len,
                          wp_error *err)
{
  size_t n = 0, skip = 0;
  wp_status st = wp_io_read_file(path, max_bytes, text, &n, err);
  if (st) return st;
  const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
  if ((st = wp_io_check_text(name, *text, n, &skip, err))) {
    free(*text);
    *text = NULL;
    return st;
  }
  if (skip) {
    memmove(*text, *text + skip, n - skip + 1);
    n -= skip;
  }
  if (len) *len = n;
  return WP_OK;
}
