/*
** wattpivot/error.h — status codes, error detail and library initialization.
** Every fallible function returns a wp_status (WP_OK == 0) and, when it fails, fills a
** caller-owned wp_error with a message that names the offending value and the accepted range.
** The library never prints, exits or aborts. Every function that takes a `wp_error *err`
** accepts err == NULL: it then returns the same status and keeps no detail.
*/
#ifndef WATTPIVOT_ERROR_H
#define WATTPIVOT_ERROR_H

#include <stddef.h>

#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum wp_status {
  WP_OK = 0,       /* success */
  WP_EINVAL,       /* an argument is out of its accepted range */
  WP_ENOMEM,       /* allocation failed */
  WP_EIO,          /* a file could not be read or written */
  WP_EPARSE,       /* malformed input text (YAML, CSV, numbers) */
  WP_EDB,          /* the SQLite results store failed */
  WP_ENOROOT,      /* a solver found no root / no sign change */
  WP_EINFEASIBLE,  /* constraints cannot all be met */
  WP_EPEER,        /* another process of a split run failed (wattpivot/risk.h) */
  WP_ESOLVER       /* the optimization solver failed (not the model: the solver itself) */
} wp_status;

/* Detail of the last failure; msg is always NUL-terminated. */
typedef struct wp_error {
  wp_status code;
  char msg[256];
} wp_error;

#define WP_ERROR_INIT { WP_OK, "" }

/* Short, static, human-readable name of a status ("invalid argument", ...). Never NULL. */
WP_API const char *wp_strerror(wp_status code);

/*
** Record code and a printf-style message in err (err may be NULL: then only the code is
** returned). Returns code, so `return wp_error_set(err, WP_EINVAL, "...", v);` reads well.
*/
/*
** A name that is none of names[0..n-1]: WP_EINVAL with "WHAT 'name' is unknown; did you mean
** 'x'? accepted: a, b, c" (the suggestion only for a likely typo, wattpivot/format.h
** wp_closest_name). Returns WP_EINVAL.
*/
WP_API wp_status wp_error_unknown_name(wp_error *err, const char *what, const char *name,
                                       const char *const *names, size_t n);

WP_API wp_status wp_error_set(wp_error *err, wp_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/*
** Put a printf-style prefix before the message already in err ("site Tydal: " + the model's
** message), set its code to code and return code. err may be NULL (then only code is
** returned). The prefix and the old message are joined by ": ".
*/
WP_API wp_status wp_error_prefix(wp_error *err, wp_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Reset err to WP_OK with an empty message (err may be NULL). */
WP_API void wp_error_clear(wp_error *err);

/*
** Initialize the library once per process before other calls: turns off GSL's default
** error handler (which aborts) so numeric failures come back as statuses. Idempotent and
** safe to call more than once; call it from the main thread before starting workers.
*/
WP_API void wp_init(void);

/*
** 1 when the risk engine's vector code runs: the CPU has AVX2 (x86-64) and the environment
** variable WATTPIVOT_SCALAR is unset or "0". Otherwise every vector path runs its scalar
** counterpart: the same results, except the last bits of the market's and the schedules'
** vector math (glibc's libmvec against libm). The tests run both ways; WATTPIVOT_SCALAR=1 shows
** what a machine without AVX2 computes. Read once; thread-safe.
*/
WP_API int wp_simd_enabled(void);

/* Library version, e.g. "0.1.0". */
WP_API const char *wp_version(void);

#ifdef __cplusplus
}
#endif
#endif
