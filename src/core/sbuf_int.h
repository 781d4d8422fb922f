/*
** src/core/sbuf_int.h — internal: a growing NUL-terminated text (reports, CSV, messages built
** piece by piece). After an allocation failure every append is a no-op and `failed` is set, so
** callers append freely and check once at the end (wp_sbuf_take returns NULL then).
*/
#ifndef WP_CORE_SBUF_INT_H
#define WP_CORE_SBUF_INT_H

#include <stddef.h>

typedef struct wp_sbuf {
  char *p;
  size_t len, cap;
  int failed;
} wp_sbuf;

#define WP_SBUF_INIT                                                                               \
  {                                                                                                \
    NULL, 0, 0, 0                                                                                  \
  }

void wp_sbuf_add(wp_sbuf *b, const char *s, size_t n);
void wp_sbuf_puts(wp_sbuf *b, const char *s);
void wp_sbuf_printf(wp_sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Hand the text to the caller (NULL when an append failed; the buffer is freed then). */
char *wp_sbuf_take(wp_sbuf *b);
void wp_sbuf_release(wp_sbuf *b);

#endif
