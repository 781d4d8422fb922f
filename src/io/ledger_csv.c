/* Ledger CSV writer (see wattpivot/ledger_csv.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "wattpivot/ledger_csv.h"

static int write_rows(const wp_ledger *l, FILE *f)
{
  size_t ncol = wp_ledger_column_count();
  if (fputs("date", f) == EOF) return -1;
  for (size_t k = 0; k < ncol; k++)
    if (fprintf(f, ",%s", wp_ledger_column_name(k)) < 0) return -1;
  if (fputc('\n', f) == EOF) return -1;
  for (size_t m = 0; m < l->months; m++) {
    char date[16];
    wp_calendar_format(wp_calendar_month_end_day(l->start, (int64_t)m), date, sizeof date);
    if (fputs(date, f) == EOF) return -1;
    for (size_t k = 0; k < ncol; k++) {
      double v = wp_ledger_column(l, k)[m];
      if (fprintf(f, ",%.17g", v == 0.0 ? 0.0 : v) < 0) return -1; /* no "-0" cells */
    }
    if (fputc('\n', f) == EOF) return -1;
  }
  return 0;
}

wp_status wp_ledger_write_csv(const wp_ledger *ledger, const char *path, wp_error *err)
{
  if (!ledger || !path) return wp_error_set(err, WP_EINVAL, "ledger CSV: NULL argument");
  errno = 0;
  FILE *f = fopen(path, "w");
  if (!f)
    return wp_error_set(err, WP_EIO, "cannot open ledger CSV '%s' for writing: %s", path,
                        strerror(errno));
  int bad = write_rows(ledger, f);
  int saved = errno;
  if (fclose(f) != 0 && !bad) {
    bad = -1;
    saved = errno;
  }
  if (bad)
    return wp_error_set(err, WP_EIO, "cannot write ledger CSV '%s': %s", path,
                        saved ? strerror(saved) : "write error");
  return WP_OK;
}
