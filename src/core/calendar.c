/* The monthly time grid: month-end dates as day numbers (see wattpivot/calendar.h). */
#include <stdlib.h>
#include <string.h>

#include "wattpivot/calendar.h"

static int is_leap(int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int wp_calendar_valid(wp_ym ym)
{
  return ym.year >= 1 && ym.year <= 9999 && ym.month >= 1 && ym.month <= 12;
}

int wp_calendar_days_in_month(wp_ym ym)
{
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (ym.month == 2 && is_leap(ym.year)) return 29;
  return days[(ym.month - 1) % 12];
}

wp_ym wp_calendar_add_months(wp_ym ym, int64_t k)
{
  int64_t idx = (int64_t)ym.year * 12 + (ym.month - 1) + k;
  int64_t y = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
  wp_ym out = {(int)y, (int)(idx - y * 12) + 1};
  return out;
}

/* Days from civil: the standard era-based algorithm for the proleptic Gregorian calendar. */
int64_t wp_calendar_day_number(int year, int month, int day)
{
  int64_t y = (int64_t)year - (month <= 2);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t mp = (month + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int64_t wp_calendar_month_end_day(wp_ym start, int64_t m)
{
  wp_ym ym = wp_calendar_add_months(start, m);
  return wp_calendar_day_number(ym.year, ym.month, wp_calendar_days_in_month(ym));
}

void wp_calendar_civil(int64_t z, int *year, int *month, int *day)
{
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t mo = mp < 10 ? mp + 3 : mp - 9;
  *year = (int)(y + (mo <= 2));
  *month = (int)mo;
  *day = (int)d;
}

char *wp_calendar_format(int64_t day_number, char *buf, size_t n)
{
  int y, m, d;
  wp_calendar_civil(day_number, &y, &m, &d);
  if (n >= 11) {
    /* Fixed-width digits without stdio: the model layer does no I/O. */
    int v[3] = {y, m, d}, w[3] = {4, 2, 2};
    size_t pos = 0;
    for (int f = 0; f < 3; f++) {
      for (int k = w[f] - 1; k >= 0; k--) {
        int p = 1;
        for (int t = 0; t < k; t++) p *= 10;
        buf[pos++] = (char)('0' + (v[f] / p) % 10);
      }
      if (f < 2) buf[pos++] = '-';
    }
    buf[pos] = '\0';
  } else if (n > 0) {
    buf[0] = '\0';
  }
  return buf;
}

wp_status wp_calendar_parse_ym(const char *text, wp_ym *ym, wp_error *err)
{
  if (!text || !ym) return wp_error_set(err, WP_EINVAL, "month: NULL argument");
  int ok = strlen(text) == 7 && text[4] == '-';
  for (int i = 0; ok && i < 7; i++)
    if (i != 4 && (text[i] < '0' || text[i] > '9')) ok = 0;
  wp_ym v = {0, 0};
  if (ok) {
    v.year = (int)strtol(text, NULL, 10);
    v.month = (int)strtol(text + 5, NULL, 10);
    ok = wp_calendar_valid(v);
  }
  if (!ok)
    return wp_error_set(err, WP_EPARSE, "'%s' is not a month; expected YYYY-MM, e.g. 2026-01",
                        text);
  *ym = v;
  return WP_OK;
}
