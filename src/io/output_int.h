/*
** src/io/output_int.h — helpers shared by the plan writers (output.c, report_html.c): a growing
** text buffer, number formatting, bounded reads of the result's fixed-size text fields, and the
** shape check every writer runs first.
*/
#ifndef WP_IO_OUTPUT_INT_H
#define WP_IO_OUTPUT_INT_H

#include <stddef.h>

#include "wattpivot/error.h"
#include "wattpivot/results.h"

/* A growing NUL-terminated text; after an allocation failure every append is a no-op and
** failed is set (checked once at the end). */
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

/* A fixed-size text field of the result as a C string, copied into buf (at least n + 1 bytes)
** so a missing terminating NUL is harmless. */
#define WP_OUT_FIELD(buf, field) wp_out_field((buf), sizeof(buf), (field), sizeof(field))
const char *wp_out_field(char *buf, size_t bufsize, const char *field, size_t fieldsize);

/* Shortest of %.15g/%.16g/%.17g that reads back as exactly v ("" when v is not finite). */
const char *wp_out_exact(char *buf, size_t n, double v);

/* v with thousands separators and the given decimals, "-0.0" printed as "0.0"; "n/a" when v
** is not finite. */
const char *wp_out_grouped(char *buf, size_t n, double v, int decimals);

/* "YYYY-MM" of month index m of the grid starting at start ("" when m < 0). */
const char *wp_out_month(char *buf, size_t n, wp_ym start, long m);

/* The strategy's irr_note, or a default sentence when the IRR is NaN and no note was given. */
const char *wp_out_irr_note(char *buf, size_t n, const wp_strategy_out *st);

/* Index of the strategy with the strictly highest finite NPV; nstrategies (no best) when there
** are fewer than two strategies, no finite NPV, or a tie at the top. */
size_t wp_out_best(const wp_plan_out *plan);

/* WP_OK, or WP_EINVAL naming the first malformed field (NULL plan, missing sites or series,
** invalid start month). */
wp_status wp_out_check(const wp_plan_out *plan, wp_error *err);

#endif
