/*
** tests/harness.h — the in-house test harness. Each check prints both values on failure;
** numeric checks treat NaN and Inf explicitly (a NaN never equals anything, Inf only itself).
** A test binary calls its tests with RUN(fn) and ends with `return harness_report();`, which
** prints "N passed, N failed" and returns non-zero on any failure.
*/
#ifndef WP_TEST_HARNESS_H
#define WP_TEST_HARNESS_H

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static struct { int passed, failed; const char *test; } harness_state;

static inline int harness_check(int ok, const char *file, int line, const char *what)
{
  if (ok) {
    harness_state.passed++;
  } else {
    harness_state.failed++;
    fprintf(stderr, "FAIL %s:%d [%s] %s\n", file, line,
            harness_state.test ? harness_state.test : "?", what);
  }
  return ok;
}

static inline int harness_close(double got, double want, double abs_tol, double rel_tol)
{
  if (isnan(got) || isnan(want)) return 0;
  if (isinf(got) || isinf(want)) return got == want;
  double diff = fabs(got - want);
  if (abs_tol >= 0 && diff <= abs_tol) return 1;
  if (rel_tol >= 0 && diff <= rel_tol * fabs(want)) return 1;
  return 0;
}

#define CHECK(cond) harness_check(!!(cond), __FILE__, __LINE__, #cond)

#define CHECK_EQ_I64(got, want)                                                          \
  do {                                                                                   \
    int64_t g_ = (int64_t)(got), w_ = (int64_t)(want);                                   \
    char m_[256];                                                                        \
    snprintf(m_, sizeof m_, "%s == %s: got %" PRId64 ", want %" PRId64, #got, #want, g_, \
             w_);                                                                        \
    harness_check(g_ == w_, __FILE__, __LINE__, m_);                                     \
  } while (0)

#define CHECK_NUM_(got, want, abs_tol, rel_tol, kind, tol)                                \
  do {                                                                                    \
    double g_ = (double)(got), w_ = (double)(want);                                       \
    char m_[2400];                                                                         \
    snprintf(m_, sizeof m_, "%s ~ %s (%s %g): got %.17g, want %.17g", #got, #want, kind,  \
             (double)(tol), g_, w_);                                                      \
    harness_check(harness_close(g_, w_, abs_tol, rel_tol), __FILE__, __LINE__, m_);       \
  } while (0)

/* |got - want| <= tol * |want| */
#define CHECK_REL(got, want, tol) CHECK_NUM_(got, want, -1.0, (double)(tol), "rel", tol)
/* |got - want| <= tol */
#define CHECK_ABS(got, want, tol) CHECK_NUM_(got, want, (double)(tol), -1.0, "abs", tol)

#define CHECK_STR(got, want)                                                       \
  do {                                                                             \
    const char *g_ = (got), *w_ = (want);                                          \
    char m_[2400];                                                                  \
    snprintf(m_, sizeof m_, "%s == %s: got \"%s\", want \"%s\"", #got, #want,      \
             g_ ? g_ : "(null)", w_ ? w_ : "(null)");                              \
    harness_check(g_ && w_ && strcmp(g_, w_) == 0, __FILE__, __LINE__, m_);        \
  } while (0)

/* The string got contains needle. */
#define CHECK_CONTAINS(got, needle)                                                \
  do {                                                                             \
    const char *g_ = (got), *n_ = (needle);                                        \
    char m_[2400];                                                                  \
    snprintf(m_, sizeof m_, "%s contains \"%s\": got \"%.200s\"", #got, n_,        \
             g_ ? g_ : "(null)");                                                  \
    harness_check(g_ && strstr(g_, n_) != NULL, __FILE__, __LINE__, m_);           \
  } while (0)

#define RUN(fn)                  \
  do {                           \
    harness_state.test = #fn;    \
    fn();                        \
    harness_state.test = NULL;   \
  } while (0)

static inline int harness_report(void)
{
  printf("%d passed, %d failed\n", harness_state.passed, harness_state.failed);
  return harness_state.failed ? 1 : 0;
}

#endif
