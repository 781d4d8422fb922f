/* Numbers, money and months as every text prints them (see wattpivot/format.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattpivot/format.h"

const char *wp_format_ym(char *buf, size_t n, wp_ym ym)
{
  snprintf(buf, n, "%04d-%02d", ym.year, ym.month);
  return buf;
}

const char *wp_format_month(char *buf, size_t n, wp_ym start, int64_t m, const char *none)
{
  if (m < 0) {
    snprintf(buf, n, "%s", none ? none : "");
    return buf;
  }
  return wp_format_ym(buf, n, wp_calendar_add_months(start, m));
}

const char *wp_format_grouped(char *buf, size_t n, double v, int decimals)
{
  char raw[400], out[600];
  if (!isfinite(v)) {
    snprintf(buf, n, "n/a");
    return buf;
  }
  snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
  const char *dot = strchr(raw, '.');
  size_t int_len = dot ? (size_t)(dot - raw) : strlen(raw), o = 0;
  if (v < 0 && strspn(raw, "0.") != strlen(raw)) out[o++] = '-';
  for (size_t i = 0; i < int_len && o + 2 < sizeof out; i++) {
    out[o++] = raw[i];
    size_t left = int_len - 1 - i;
    if (left > 0 && left % 3 == 0) out[o++] = ',';
  }
  out[o] = '\0';
  snprintf(buf, n, "%s%s", out, dot ? dot : "");
  return buf;
}

const char *wp_format_musd(char *buf, size_t n, double usd)
{
  char g[400];
  if (!isfinite(usd)) {
    snprintf(buf, n, "n/a");
    return buf;
  }
  wp_format_grouped(g, sizeof g, fabs(usd) / 1e6, 1);
  snprintf(buf, n, "%s$%sM", usd < 0 && strcmp(g, "0.0") != 0 ? "-" : "", g);
  return buf;
}

const char *wp_format_exact(char *buf, size_t n, double v)
{
  if (!isfinite(v)) {
    buf[0] = '\0';
    return buf;
  }
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, n, "%.*g", prec, v);
    if (strtod(buf, NULL) == v) break;
  }
  return buf;
}

int wp_edit_distance(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  int row[64];
  if (la >= 63 || lb >= 63) return 99;
  for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
  for (size_t i = 1; i <= la; i++) {
    int diag = row[0];
    row[0] = (int)i;
    for (size_t j = 1; j <= lb; j++) {
      int up = row[j];
      int best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[lb] > 99 ? 99 : row[lb];
}

size_t wp_text_columns(const char *text, size_t len)
{
  size_t w = 0;
  for (size_t i = 0; i < len; i++)
    w += ((unsigned char)text[i] & 0xC0) != 0x80; /* continuation bytes are 10xxxxxx */
  return w;
}

size_t wp_wrap_line(const char *text, size_t len, size_t width, int usage, size_t *next)
{
  /* fit: the bytes of the first width code points */
  size_t fit = 0;
  for (size_t cols = 0; fit < len && cols < width; cols++) {
    fit++;
    while (fit < len && ((unsigned char)text[fit] & 0xC0) == 0x80)
      fit++;
  }
  size_t cut = len;
  if (fit < len) {
    cut = 0;
    if (text[fit] == ' ') cut = fit; /* the line ends at a word's end */
    for (size_t i = 0, depth = 0; usage && i < fit; i++) {
      depth += text[i] == '[' ? 1 : text[i] == ']' && depth ? (size_t)-1 : 0;
      if (!depth && text[i] == ' ' && (text[i + 1] == '[' || text[i + 1] == '-')) cut = i;
    }
    for (size_t i = fit; cut == 0 && i > 0; i--)
      if (text[i - 1] == ' ') cut = i - 1;
    while (cut > 0 && text[cut - 1] == ' ') /* no blanks at a line's end */
      cut--;
    if (cut == 0) { /* no blank within width: the long word stays whole */
      cut = fit;
      while (cut < len && text[cut] != ' ')
        cut++;
    }
  }
  size_t skip = cut;
  while (skip < len && text[skip] == ' ')
    skip++;
  *next = skip;
  return cut;
}

const char *wp_closest_name(const char *word, const char *const *names, size_t n)
{
  const char *best = NULL;
  int best_d = 99;
  for (size_t i = 0; word && i < n; i++) {
    if (!names[i]) continue;
    int d = wp_edit_distance(word, names[i]);
    if (d < best_d && d <= 3 && (size_t)d < strlen(names[i])) best_d = d, best = names[i];
  }
  return best;
}
