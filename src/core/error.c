/* Status codes, error detail and library initialization (see wattpivot/error.h). */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "core/simd_int.h"
#include "wattpivot/error.h"
#include "wattpivot/format.h"

const char *wp_strerror(wp_status code)
{
  switch (code) {
  case WP_OK: return "ok";
  case WP_EINVAL: return "invalid argument";
  case WP_ENOMEM: return "out of memory";
  case WP_EIO: return "input/output error";
  case WP_EPARSE: return "parse error";
  case WP_EDB: return "results database error";
  case WP_ENOROOT: return "no root found";
  case WP_EINFEASIBLE: return "infeasible";
  case WP_EPEER: return "another process failed";
  case WP_ESOLVER: return "optimization solver failure";
  }
  return "unknown status";
}

wp_status wp_error_set(wp_error *err, wp_status code, const char *fmt, ...)
{
  if (err) {
    va_list ap;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return code;
}

wp_status wp_error_prefix(wp_error *err, wp_status code, const char *fmt, ...)
{
  if (err) {
    char text[2 * sizeof err->msg + 2];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof err->msg, fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof err->msg ? (size_t)n : sizeof err->msg - 1;
    memcpy(text + len, ": ", 2);
    len += 2;
    size_t old = 0;
    while (old + 1 < sizeof err->msg && err->msg[old]) old++;
    memcpy(text + len, err->msg, old);
    len += old;
    if (len >= sizeof err->msg) len = sizeof err->msg - 1; /* cut to the message size */
    memcpy(err->msg, text, len);
    err->msg[len] = '\0';
    err->code = code;
  }
  return code;
}

void wp_error_clear(wp_error *err)
{
  if (err) {
    err->code = WP_OK;
    err->msg[0] = '\0';
  }
}

void wp_init(void)
{
  gsl_set_error_handler_off();
  (void)wp_simd_enabled(); /* read the environment before any worker starts */
}

int wp_simd_enabled(void)
{
  static atomic_int state = -1; /* -1: not read yet */
  int v = atomic_load_explicit(&state, memory_order_relaxed);
  if (v < 0) {
    const char *off = getenv("WATTPIVOT_SCALAR");
    v = !(off && *off && strcmp(off, "0") != 0);
#ifdef WP_VECTOR_BUILD
    v = v && __builtin_cpu_supports("avx2");
#else
    v = 0;
#endif
    atomic_store_explicit(&state, v, memory_order_relaxed);
  }
  return v;
}

const char *wp_version(void)
{
  return WP_VERSION_STRING;
}

wp_status wp_error_unknown_name(wp_error *err, const char *what, const char *name,
                                const char *const *names, size_t n)
{
  char list[512] = "", hint[160] = "";
  size_t at = 0;
  for (size_t i = 0; i < n && at < sizeof list; i++)
    at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? ", " : "", names[i]);
  const char *close = name ? wp_closest_name(name, names, n) : NULL;
  if (close) snprintf(hint, sizeof hint, "did you mean '%s'? ", close);
  return wp_error_set(err, WP_EINVAL, "%s '%s' is unknown; %saccepted: %s", what,
                      name ? name : "(null)", hint, list);
}
