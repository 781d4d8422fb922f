/* calendar module: day numbers against Python's datetime, month-end grid, parsing. */
#include <stdlib.h>

#include "harness.h"
#include "refdata.h"
#include "wattpivot.h"

static void test_day_numbers_match_python(void)
{
  FILE *f = ref_open("calendar_days.csv");
  if (!CHECK(f != NULL)) return;
  char line[256], *fld[REF_MAX_FIELDS];
  int rows = 0;
  while (ref_next(f, line, sizeof line, fld) == 4) {
    int y = (int)strtol(fld[0], NULL, 10), m = (int)strtol(fld[1], NULL, 10), d = (int)strtol(fld[2], NULL, 10);
    int64_t want = strtoll(fld[3], NULL, 10);
    CHECK_EQ_I64(wp_calendar_day_number(y, m, d), want);
    int yy = 0, mm = 0, dd = 0;
    wp_calendar_civil(want, &yy, &mm, &dd);
    CHECK_EQ_I64(yy, y);
    CHECK_EQ_I64(mm, m);
    CHECK_EQ_I64(dd, d);
    rows++;
  }
  fclose(f);
  CHECK_EQ_I64(rows, 8);
}

static void test_month_end_grid(void)
{
  wp_ym start = {2026, 1};
  char buf[16];
  CHECK_STR(wp_calendar_format(wp_calendar_month_end_day(start, 0), buf, sizeof buf),
            "2026-01-31");
  CHECK_STR(wp_calendar_format(wp_calendar_month_end_day(start, 1), buf, sizeof buf),
            "2026-02-28");
  CHECK_STR(wp_calendar_format(wp_calendar_month_end_day(start, 25), buf, sizeof buf),
            "2028-02-29");
  CHECK_STR(wp_calendar_format(wp_calendar_month_end_day(start, 179), buf, sizeof buf),
            "2040-12-31");
  wp_ym back = wp_calendar_add_months(start, -13);
  CHECK_EQ_I64(back.year, 2024);
  CHECK_EQ_I64(back.month, 12);
  /* Every month-end is one month's days after the previous one. */
  for (int64_t m = 1; m < 600; m++) {
    wp_ym ym = wp_calendar_add_months(start, m);
    CHECK_EQ_I64(wp_calendar_month_end_day(start, m) - wp_calendar_month_end_day(start, m - 1),
                 wp_calendar_days_in_month(ym));
  }
}

static void test_parse(void)
{
  wp_ym ym = {0, 0};
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_calendar_parse_ym("2026-07", &ym, &err) == WP_OK);
  CHECK_EQ_I64(ym.year, 2026);
  CHECK_EQ_I64(ym.month, 7);
  CHECK(wp_calendar_parse_ym("2026-13", &ym, &err) == WP_EPARSE);
  CHECK_CONTAINS(err.msg, "2026-13");
  CHECK(wp_calendar_parse_ym("2026-1", &ym, &err) == WP_EPARSE);
  CHECK(wp_calendar_parse_ym("26-01-01", &ym, &err) == WP_EPARSE);
}

int main(void)
{
  RUN(test_day_numbers_match_python);
  RUN(test_month_end_grid);
  RUN(test_parse);
  return harness_report();
}
