/* Accepted ranges and the message that refuses a value (see wattpivot/range.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "wattpivot/range.h"

int wp_range_contains(const wp_range *r, double v)
{
  if (!isfinite(v)) return 0;
  if (r->min_open ? !(v > r->min) : !(v >= r->min)) return 0;
  if (r->max_open ? !(v < r->max) : !(v <= r->max)) return 0;
  return 1;
}

/* A bound as short as it reads back exactly: "%g" when it does (1e+12, 0.99), else the shortest
** of %.15g..%.17g (2147483647, 0.0833333333333333). */
static void format_bound(char *buf, size_t n, double v)
{
  if (isinf(v)) {
    snprintf(buf, n, "%sinf", v < 0 ? "-" : "");
    return;
  }
  snprintf(buf, n, "%g", v);
  for (int prec = 15; strtod(buf, NULL) != v && prec <= 17; prec++)
    snprintf(buf, n, "%.*g", prec, v);
}

const char *wp_range_format(char *buf, size_t n, const wp_range *r)
{
  char lo[40], hi[40];
  format_bound(lo, sizeof lo, r->min);
  format_bound(hi, sizeof hi, r->max);
  const int unit = r->unit && r->unit[0];
  snprintf(buf, n, "%c%s, %s%c%s%s", r->min_open || isinf(r->min) ? '(' : '[', lo, hi,
           r->max_open || isinf(r->max) ? ')' : ']', unit ? " " : "", unit ? r->unit : "");
  return buf;
}

const char *wp_range_hint(char *buf, size_t n, const wp_range *r, double v)
{
  buf[0] = '\0';
  const double a = fabs(v);
  if (r->min >= -1.0 && r->max <= 1.0 && a > 1.0 && a <= 100.0 && wp_range_contains(r, v / 100))
    snprintf(buf, n, "; rates are fractions: %g %% is %g", v, v / 100);
  return buf;
}

wp_status wp_range_check(const wp_range *r, double v, wp_error *err, const char *what, ...)
{
  if (wp_range_contains(r, v)) return WP_OK;
  char range[128], name[160];
  va_list ap;
  va_start(ap, what);
  vsnprintf(name, sizeof name, what, ap);
  va_end(ap);
  char hint[96];
  return wp_error_set(err, WP_EINVAL, "%s %g is out of range; accepted %s%s", name, v,
                      wp_range_format(range, sizeof range, r),
                      wp_range_hint(hint, sizeof hint, r, v));
}
