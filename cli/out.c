/* Output helpers shared by the commands: JSON documents and human-readable numbers. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_print_json(cJSON *doc)
{
  return cli_print_json_to(doc, stdout);
}

int cli_print_json_to(cJSON *doc, FILE *to)
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
  int ok = fputs(text, to) >= 0 && fputc('\n', to) != EOF;
  free(text);
  return ok ? CLI_EXIT_OK : CLI_EXIT_INTERNAL;
}

void cli_json_add_num(cJSON *obj, const char *key, double v)
{
  if (isfinite(v))
    cJSON_AddNumberToObject(obj, key, v);
  else
    cJSON_AddNullToObject(obj, key);
}

cJSON *cli_json_add_i64(cJSON *obj, const char *key, int64_t v)
{
  char buf[32];
  snprintf(buf, sizeof buf, "%" PRId64, v);
  return cJSON_AddRawToObject(obj, key, buf);
}

