/*
** src/io/csv_int.h — the one CSV reader behind every CSV the project reads (the BTC history,
** schedule task files, sites_file, market_file, power_file; private to src/io and its tests).
** Fields are split by libcsv (RFC 4180: quoted fields with embedded commas, quotes written "",
** and newlines; strict quoting); this layer adds what libcsv leaves out: the 1-based line and
** column of every field, a UTF-8 byte-order mark dropped (Excel's "CSV UTF-8"), LF, CRLF or CR
** line ends, '#' comment lines where a format allows them, blank lines skipped, header lookup
** by column name (unknown names refused with a "did you mean"), and cell parsers whose errors
** read "FILE:LINE:COLUMN: column NAME: 'TEXT' is not a number; accepted RANGE".
*/
#ifndef WP_IO_CSV_INT_H
#define WP_IO_CSV_INT_H

#include <stddef.h>

#include "wattpivot/calendar.h"
#include "wattpivot/error.h"
#include "wattpivot/range.h"

/* Parse options (bit flags). */
#define WP_CSV_COMMENTS                                                                            \
  1u /* a line whose first non-blank character is '#' is skipped (outside                          \
        quoted fields only) */

typedef struct wp_csv_field {
  size_t off;    /* text at wp_csv.text + off, NUL-terminated */
  size_t len;    /* bytes before the NUL (a field may hold a NUL only if the input did: refused) */
  int line, col; /* 1-based position of the field's first character (its opening quote) */
} wp_csv_field;

typedef struct wp_csv_row {
  size_t first;   /* index of its first field in wp_csv.fields */
  size_t nfields; /* fields in the row (>= 1) */
  int line;       /* line of its first field */
} wp_csv_row;

/* A parsed file: rows of fields. Zero it (or use WP_CSV_INIT) before the first parse. */
typedef struct wp_csv {
  char name[256]; /* the name used in messages (the path) */
  char *text;     /* the fields' texts, each NUL-terminated */
  size_t text_len, text_cap;
  wp_csv_field *fields;
  size_t nfields, fields_cap;
  wp_csv_row *rows; /* non-blank, non-comment records in file order */
  size_t nrows, rows_cap;
  int end_line; /* the line after the last one (for "no header"-style messages) */
} wp_csv;

#define WP_CSV_INIT                                                                                \
  {                                                                                                \
    {0}, NULL, 0, 0, NULL, 0, 0, NULL, 0, 0, 0                                                     \
  }

/*
** Parse text[0..len-1] (need not be NUL-terminated) named name in messages into c (released
** first, so a wp_csv may be parsed into again). The text is checked as UTF-8 first (a NUL, a
** UTF-16 mark or a byte that is not UTF-8 is WP_EPARSE with its line and column); a leading
** byte-order mark is dropped. Spaces and tabs around an unquoted field are dropped; a quoted
** field keeps them. Malformed quoting (a quote inside an unquoted field, text after a closing
** quote, a quote never closed) is WP_EPARSE "name:LINE:COL: ...". WP_ENOMEM. An empty file
** gives zero rows (the caller says what it expected).
*/
wp_status wp_csv_parse(wp_csv *c, const char *name, const char *text, size_t len, unsigned flags,
                       wp_error *err);

/* Read path (at most max_bytes; "-" = standard input) and parse it as wp_csv_parse, named by
** its path. WP_EIO when it cannot be read. */
wp_status wp_csv_read(wp_csv *c, const char *path, size_t max_bytes, unsigned flags, wp_error *err);

/* Free what c holds and zero it; a zeroed wp_csv is a no-op. */
void wp_csv_release(wp_csv *c);

/* Text of field f of row r ("" when the row has fewer fields). */
const char *wp_csv_cell(const wp_csv *c, size_t r, size_t f);

/* One column of a format: its name and whether a file must have it. */
typedef struct wp_csv_column {
  const char *name;
  int required;
} wp_csv_column;

/*
** Read row r as the header against cols[0..ncols-1]: index[k] = the field index of column k,
** or -1 when the header leaves an optional column out. WP_EPARSE "name:LINE:COL: unknown
** column 'x'; did you mean 'y'? accepted: a, b" for a name not in cols, "... column 'x' appears
** twice", and "name:LINE: missing column 'x'; expected: a, b" for a required one left out.
*/
wp_status wp_csv_header(const wp_csv *c, size_t r, const wp_csv_column *cols, size_t ncols,
                        int *index, wp_error *err);

/* WP_OK when row r has exactly n fields (the header's count), else WP_EPARSE "name:LINE: K
** fields; expected N (what)" — what (may be NULL) names the columns. */
wp_status wp_csv_check_width(const wp_csv *c, size_t r, size_t n, const char *what, wp_error *err);

/* Whether field f of row r is empty (not given). */
int wp_csv_empty(const wp_csv *c, size_t r, size_t f);

/*
** Field f of row r (under column `column`) as a number in range (whole when whole != 0):
** WP_EPARSE "name:LINE:COL: column NAME: 'TEXT' is not a number; accepted RANGE", "... is not a
** whole number ...", "... TEXT is out of range; accepted RANGE" (with wp_range_hint's hint).
** An empty cell is not a number.
*/
wp_status wp_csv_number(const wp_csv *c, size_t r, size_t f, const char *column,
                        const wp_range *range, int whole, double *out, wp_error *err);

/* Field f of row r as a month YYYY-MM: WP_EPARSE "name:LINE:COL: column NAME: 'TEXT' is not a
** month; expected YYYY-MM". */
wp_status wp_csv_month(const wp_csv *c, size_t r, size_t f, const char *column, wp_ym *out,
                       wp_error *err);

/* Set err to "name:LINE:COL: column NAME: " + the printf-style message for field f of row r
** (column may be NULL: then no column part). Returns code. */
wp_status wp_csv_error(const wp_csv *c, size_t r, size_t f, const char *column, wp_status code,
                       wp_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

#endif
