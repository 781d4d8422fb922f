/* Ledger CSV writer (see wattpivot/ledger_csv.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/sbuf_int.h"
#include "io/readfile_int.h"
#include "io/writefile_int.h"
#include "wattpivot/ledger_csv.h"

/* The header line (without its newline). */
static void header(wp_sbuf *b)
{
  wp_sbuf_puts(b, "date");
  for (size_t k = 0; k < wp_ledger_column_count(); k++)
    wp_sbuf_printf(b, ",%s", wp_ledger_column_name(k));
}

static void rows(const wp_ledger *l, wp_sbuf *b)
{
  const size_t ncol = wp_ledger_column_count();
  header(b);
  wp_sbuf_puts(b, "\n");
  for (size_t m = 0; m < l->months; m++) {
    char date[16];
    wp_sbuf_puts(b, wp_calendar_format(wp_calendar_month_end_day(l->start, (int64_t)m), date,
                                       sizeof date));
    for (size_t k = 0; k < ncol; k++) {
      double v = wp_ledger_column(l, k)[m];
      wp_sbuf_printf(b, ",%.17g", v == 0.0 ? 0.0 : v); /* no "-0" cells */
    }
    wp_sbuf_puts(b, "\n");
  }
}

/* An existing file at path that is not a ledger CSV (its first line is not the header). */
static int foreign_file(const char *path)
{
  char *text = NULL;
  struct stat sb;
  if (stat(path, &sb) != 0) return 0;    /* nothing there */
  if (!S_ISREG(sb.st_mode)) return 0;   /* a device or a pipe: written as it is */
  if (wp_io_read_file(path, (size_t)64 << 20, &text, NULL, NULL) != WP_OK)
    return 1; /* there but unreadable: not ours to replace */
  wp_sbuf h = WP_SBUF_INIT;
  header(&h);
  char *want = wp_sbuf_take(&h);
  int ours = want && strncmp(text, want, strlen(want)) == 0 &&
             (text[strlen(want)] == '\n' || text[strlen(want)] == '\r');
  free(want);
  free(text);
  return !ours;
}

wp_status wp_ledger_write_csv(const wp_ledger *ledger, const char *path, wp_error *err)
{
  if (!ledger || !path) return wp_error_set(err, WP_EINVAL, "ledger CSV: NULL argument");
  if (strcmp(path, "-") != 0 && foreign_file(path))
    return wp_error_set(err, WP_EIO,
                        "%s exists and is not a wattpivot ledger CSV; name a new file (it is "
                        "never overwritten)",
                        path);
  wp_sbuf b = WP_SBUF_INIT;
  rows(ledger, &b);
  size_t n = b.len;
  char *text = wp_sbuf_take(&b);
  if (!text) return wp_error_set(err, WP_ENOMEM, "ledger CSV: out of memory");
  wp_status st = wp_io_write_file(path, text, n, err);
  free(text);
  return st;
}
