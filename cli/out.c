/* Output helpers shared by the commands: JSON documents and human-readable numbers. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_print_json(cJSON *doc)
{
  if (!doc) {
    fprintf(stderr, "wattpivot: could not build the JSON output (out of memory)\n");
    return CLI_EXIT_INTERNAL;
  }
  char *text = cJSON_Print(doc);
  cJSON_Delete(doc);
  if (!text) {
    fprintf(stderr, "wattpivot: could not print the JSON output (out of memory)\n");
    return CLI_EXIT_INTERNAL;
  }
  int ok = fputs(text, stdout) >= 0 && fputc('\n', stdout) != EOF;
  free(text);
  return ok ? CLI_EXIT_OK : CLI_EXIT_INTERNAL;
}

cJSON *cli_json_add_i64(cJSON *obj, const char *key, int64_t v)
{
  char buf[32];
  snprintf(buf, sizeof buf, "%" PRId64, v);
  return cJSON_AddRawToObject(obj, key, buf);
}

const char *cli_fmt_num(char *buf, size_t n, double v, int decimals)
{
  char raw[64];
  if (!isfinite(v)) {
    snprintf(buf, n, "%s", isnan(v) ? "n/a" : (v > 0 ? "inf" : "-inf"));
    return buf;
  }
  snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
  const char *dot = strchr(raw, '.');
  size_t int_len = dot ? (size_t)(dot - raw) : strlen(raw);
  char out[96];
  size_t o = 0;
  /* "-0.00" is printed as "0.00" */
  int negative = v < 0 && strspn(raw, "0.") != strlen(raw);
  if (negative) out[o++] = '-';
  for (size_t i = 0; i < int_len; i++) {
    out[o++] = raw[i];
    size_t left = int_len - 1 - i;
    if (left > 0 && left % 3 == 0) out[o++] = ',';
  }
  if (dot) {
    size_t rest = strlen(dot);
    memcpy(out + o, dot, rest);
    o += rest;
  }
  out[o] = '\0';
  snprintf(buf, n, "%s", out);
  return buf;
}
