/*
** wattpivot/format.h — how numbers, money and months read in every text the library and the
** command print: months as YYYY-MM, thousands separators, money in millions. One definition
** each, so a table, a report and a reason sentence never disagree. Each writes a NUL-terminated
** text into buf (n bytes, n > 0; cut to fit) and returns buf. Thread-safe.
*/
#ifndef WATTPIVOT_FORMAT_H
#define WATTPIVOT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "YYYY-MM" of ym, e.g. "2026-01". */
WP_API const char *wp_format_ym(char *buf, size_t n, wp_ym ym);

/* "YYYY-MM" of month index m of the grid starting at start (month 0 = start); the text none
** (e.g. "", "-", "after the horizon") when m < 0. */
WP_API const char *wp_format_month(char *buf, size_t n, wp_ym start, int64_t m, const char *none);

/* v with thousands separators and `decimals` decimals: "1,234.50"; a negative value that rounds
** to zero prints without its sign ("0.0", never "-0.0"); "n/a" when v is not finite. */
WP_API const char *wp_format_grouped(char *buf, size_t n, double v, int decimals);

/* Money in millions of USD with one decimal and thousands separators, as in a sentence: "$12.3M",
** "-$4.0M", "$4,985.0M" (a negative value that rounds to zero: "$0.0M"); "n/a" when usd is not
** finite. */
WP_API const char *wp_format_musd(char *buf, size_t n, double usd);

/* The shortest of %.15g, %.16g, %.17g that reads back as exactly v ("" when v is not finite):
** what a CSV cell needs so that a spreadsheet gets the same double. */
WP_API const char *wp_format_exact(char *buf, size_t n, double v);

/* The columns every wrapped text of the command keeps within: --help (and the man pages made
** from it), the terminal summary. */
#define WP_TEXT_COLUMNS 100

/* Display columns of UTF-8 text (its first len bytes): one per code point. */
WP_API size_t wp_text_columns(const char *text, size_t len);

/* Where the first line of text (its first len bytes, no newline) ends when the text is wrapped to
** width display columns (code points): the bytes the line takes, cut at the last blank that keeps
** it within width; a word wider than width stays whole (the line ends after it). *next gets the
** bytes to skip to the next line's start (the line and the blanks after it); the whole text
** (*next = len) when it fits. usage (a command's usage line): prefer to break before an option,
** a blank followed by '[' or '-' outside brackets, when one fits. What --help and the terminal
** summary wrap with. */
WP_API size_t wp_wrap_line(const char *text, size_t len, size_t width, int usage, size_t *next);

/* Edit distance (Levenshtein: insertions, deletions, substitutions) between a and b, capped at
** 99 (texts of 63 bytes or more count as 99). */
WP_API int wp_edit_distance(const char *a, const char *b);

/* The name of names[0..n-1] closest to word when it is a likely typo of it (edit distance at
** most 3 and less than the name's length), else NULL: what "did you mean" suggests. */
WP_API const char *wp_closest_name(const char *word, const char *const *names, size_t n);

#ifdef __cplusplus
}
#endif
#endif
