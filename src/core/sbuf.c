/* A growing text buffer (see sbuf_int.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf_int.h"

static int sbuf_grow(wp_sbuf *b, size_t extra)
{
  if (b->failed) return 0;
  if (b->len + extra + 1 <= b->cap) return 1;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + extra + 1) {
    if (cap > ((size_t)-1) / 2) {
      b->failed = 1;
      return 0;
    }
    cap *= 2;
  }
  char *p = realloc(b->p, cap);
  if (!p) {
    b->failed = 1;
    return 0;
  }
  b->p = p;
  b->cap = cap;
  return 1;
}

void wp_sbuf_add(wp_sbuf *b, const char *s, size_t n)
{
  if (!sbuf_grow(b, n)) return;
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

void wp_sbuf_puts(wp_sbuf *b, const char *s)
{
  wp_sbuf_add(b, s, strlen(s));
}

void wp_sbuf_printf(wp_sbuf *b, const char *fmt, ...)
{
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->failed = 1;
    return;
  }
  if ((size_t)n < sizeof small) {
    wp_sbuf_add(b, small, (size_t)n);
    return;
  }
  if (!sbuf_grow(b, (size_t)n)) return;
  va_start(ap, fmt);
  vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

char *wp_sbuf_take(wp_sbuf *b)
{
  if (b->failed || !sbuf_grow(b, 0)) {
    wp_sbuf_release(b);
    return NULL;
  }
  char *p = b->p;
  p[b->len] = '\0'; /* also when nothing was ever added */
  b->p = NULL;
  b->len = b->cap = 0;
  return p;
}

void wp_sbuf_release(wp_sbuf *b)
{
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}
