/*
** format: the numbers, money and months every text prints (wattpivot/format.h), against values
** worked by hand here and against the C library's own reading of the text (strtod).
*/
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "wattpivot.h"

static void test_grouped(void)
{
  char b[64];
  CHECK_STR(wp_format_grouped(b, sizeof b, 0.0, 1), "0.0");
  CHECK_STR(wp_format_grouped(b, sizeof b, 999.94, 1), "999.9");
  CHECK_STR(wp_format_grouped(b, sizeof b, 999.96, 1), "1,000.0"); /* rounding adds a digit */
  CHECK_STR(wp_format_grouped(b, sizeof b, 1234567.891, 2), "1,234,567.89");
  CHECK_STR(wp_format_grouped(b, sizeof b, -4985.04, 1), "-4,985.0");
  CHECK_STR(wp_format_grouped(b, sizeof b, 123456, 0), "123,456");
  CHECK_STR(wp_format_grouped(b, sizeof b, -0.04, 1), "0.0"); /* never "-0.0" */
  CHECK_STR(wp_format_grouped(b, sizeof b, NAN, 1), "n/a");
  CHECK_STR(wp_format_grouped(b, sizeof b, -INFINITY, 1), "n/a");
  /* the largest double: every digit grouped, no overflow of the caller's buffer */
  char big[512];
  wp_format_grouped(big, sizeof big, DBL_MAX, 0);
  CHECK(strlen(big) == 309 + 102); /* 309 digits, 102 commas */
  char small[8];
  CHECK_STR(wp_format_grouped(small, sizeof small, 1234567.0, 0), "1,234,5"); /* truncated, ended */
}

static void test_musd(void)
{
  char b[64];
  CHECK_STR(wp_format_musd(b, sizeof b, 12.34e6), "$12.3M");
  CHECK_STR(wp_format_musd(b, sizeof b, -4e6), "-$4.0M");
  CHECK_STR(wp_format_musd(b, sizeof b, 4985.04e6), "$4,985.0M");
  CHECK_STR(wp_format_musd(b, sizeof b, -1305.2e6), "-$1,305.2M");
  CHECK_STR(wp_format_musd(b, sizeof b, 1.2e15), "$1,200,000,000.0M");
  CHECK_STR(wp_format_musd(b, sizeof b, -40.0), "$0.0M"); /* -$0.00004M rounds to zero */
  CHECK_STR(wp_format_musd(b, sizeof b, 0.0), "$0.0M");
  CHECK_STR(wp_format_musd(b, sizeof b, NAN), "n/a");
  CHECK_STR(wp_format_musd(b, sizeof b, INFINITY), "n/a");
}

static void test_exact(void)
{
  char b[64];
  const double v[] = {0.1, 1.0 / 3.0, 96532.0, 39.818104968055124, -1e-300, DBL_MAX, DBL_MIN,
                      5e-324};
  for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
    CHECK(strtod(wp_format_exact(b, sizeof b, v[k]), NULL) == v[k]); /* reads back exactly */
  CHECK_STR(wp_format_exact(b, sizeof b, 0.1), "0.1"); /* the shortest that does */
  CHECK_STR(wp_format_exact(b, sizeof b, 96532.0), "96532");
  CHECK_STR(wp_format_exact(b, sizeof b, NAN), "");
}

static void test_months(void)
{
  char b[32];
  const wp_ym start = {2026, 1};
  CHECK_STR(wp_format_ym(b, sizeof b, start), "2026-01");
  CHECK_STR(wp_format_month(b, sizeof b, start, 0, "-"), "2026-01");
  CHECK_STR(wp_format_month(b, sizeof b, start, 11, "-"), "2026-12");
  CHECK_STR(wp_format_month(b, sizeof b, start, 12, "-"), "2027-01");
  CHECK_STR(wp_format_month(b, sizeof b, start, 179, "-"), "2040-12");
  CHECK_STR(wp_format_month(b, sizeof b, start, -1, "after the horizon"), "after the horizon");
  CHECK_STR(wp_format_month(b, sizeof b, start, -1, NULL), "");
}

/* Where a line breaks (cut, next) for text wrapped to width columns; the cuts counted by hand. */
static void wraps(const char *text, size_t width, int usage, size_t cut, size_t next)
{
  size_t got_next = 0;
  const size_t got = wp_wrap_line(text, strlen(text), width, usage, &got_next);
  CHECK_EQ_I64((int64_t)got, (int64_t)cut);
  CHECK_EQ_I64((int64_t)got_next, (int64_t)next);
}

static void test_wrap(void)
{
  wraps("hello world", 20, 0, 11, 11);     /* fits */
  wraps("hello world foo", 11, 0, 11, 12); /* the width ends at a word's end */
  wraps("hello world foo", 10, 0, 5, 6);   /* back to the last blank */
  wraps("hello   world", 7, 0, 5, 8);      /* the blanks after the cut are skipped */
  wraps("abcdefghij klm", 4, 0, 10, 11);   /* a word wider than the width stays whole */
  wraps("abcdefghij", 4, 0, 10, 10);
  /* columns are code points: "ab\u00d7cd" is 5 columns in 6 bytes and fits 5 */
  wraps("ab\xc3\x97"
        "cd ef",
        5, 0, 6, 7);
  CHECK_EQ_I64((int64_t)wp_text_columns("ab\xc3\x97"
                                        "cd",
                                        6),
               5);
  CHECK_EQ_I64((int64_t)wp_text_columns("\xe2\x80\x93", 3), 1); /* an en dash */
  /* a usage line breaks before an option outside brackets */
  wraps("wattpivot plan [--a A] [--bb B]", 30, 1, 22, 23);
  wraps("wattpivot plan [--a A] [--bb B]", 30, 0, 28, 29);
  wraps("cmd [--x X | -y] [--z Z]", 12, 1, 3, 4);
  wraps("cmd [--x X | -y] [--z Z]", 12, 0, 12, 13);
}

int main(void)
{
  RUN(test_grouped);
  RUN(test_musd);
  RUN(test_exact);
  RUN(test_months);
  RUN(test_wrap);
  return harness_report();
}
