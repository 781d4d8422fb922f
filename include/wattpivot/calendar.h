/*
** wattpivot/calendar.h — the monthly time grid (docs/model/finance.md "Time, discounting, IRR"):
** month 0 is the scenario's start month; each month's cash flow is dated at the month's last
** calendar day. Proleptic Gregorian calendar; day numbers count days since 1970-01-01 (so
** differences of day numbers are the Actual day counts XNPV/XIRR use). Pure functions, thread-safe.
*/
#ifndef WATTPIVOT_CALENDAR_H
#define WATTPIVOT_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A calendar month: year (1..9999) and month (1..12). */
typedef struct wp_ym {
  int year;
  int month;
} wp_ym;

/* Whether ym is a valid month (year 1..9999, month 1..12). */
WP_API int wp_calendar_valid(wp_ym ym);

/* Days in the month (28..31; leap years per the Gregorian rule). */
WP_API int wp_calendar_days_in_month(wp_ym ym);

/* ym shifted by k months (k may be negative). */
WP_API wp_ym wp_calendar_add_months(wp_ym ym, int64_t k);

/* Day number (days since 1970-01-01) of year-month-day. */
WP_API int64_t wp_calendar_day_number(int year, int month, int day);

/* Day number of the last day of month index m of a grid starting at start (month 0). */
WP_API int64_t wp_calendar_month_end_day(wp_ym start, int64_t m);

/* The calendar date of a day number. */
WP_API void wp_calendar_civil(int64_t day_number, int *year, int *month, int *day);

/* Write "YYYY-MM-DD" of a day number into buf (at least 11 bytes). Returns buf. */
WP_API char *wp_calendar_format(int64_t day_number, char *buf, size_t n);

/* Parse "YYYY-MM" into ym. Returns WP_EPARSE (naming the text and the expected form) when it
** is not a valid month. */
WP_API wp_status wp_calendar_parse_ym(const char *text, wp_ym *ym, wp_error *err);

#ifdef __cplusplus
}
#endif
#endif
