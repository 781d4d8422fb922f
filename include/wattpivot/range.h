/*
** wattpivot/range.h — an accepted range of a number with its unit, and the message that
** refuses a value outside it. Every check of an input against its range (scenario keys,
** command options, model terms) says it the same way: "grid_mw 0 is out of range; accepted
** (0, 10000] MW". Thread-safe.
*/
#ifndef WATTPIVOT_RANGE_H
#define WATTPIVOT_RANGE_H

#include <stddef.h>

#include "error.h"
#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wp_range {
  double min, max;            /* bounds; -INFINITY / INFINITY for none */
  int min_open, max_open;     /* 1: the bound itself is not accepted */
  const char *unit;           /* "MW", "USD/MWh"; NULL or "" when none */
} wp_range;

/* Whether v is finite and lies in r. */
WP_API int wp_range_contains(const wp_range *r, double v);

/* "[0, 1]", "(0, 10000] MW", "(-inf, inf) USD": bounds printed %.15g, an infinite
** bound shown open. */
WP_API const char *wp_range_format(char *buf, size_t n, const wp_range *r);

/* A hint for a value out of r that looks like a percent written for a fraction (r within
** [-1, 1], 1 < |v| <= 100 and v / 100 in r): "; rates are fractions: 10 % is 0.1" into buf;
** otherwise "". Returns buf. */
WP_API const char *wp_range_hint(char *buf, size_t n, const wp_range *r, double v);

/* WP_OK when v lies in r; else WP_EINVAL with "<what> <v> is out of range; accepted <range>"
** (v printed %g) and wp_range_hint's hint, what given printf-style ("site %s: grid_mw", name).
** err may be NULL. */
WP_API wp_status wp_range_check(const wp_range *r, double v, wp_error *err, const char *what, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#ifdef __cplusplus
}
#endif
#endif
