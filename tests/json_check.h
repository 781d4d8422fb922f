/*
** tests/json_check.h — reading the CLI's --json output in tests: parse a run's stdout, and read
** a number that must be there (a missing or non-numeric key is a failed check and gives NaN,
** which no CHECK_REL accepts). Include after harness.h and cli_run.h.
*/
#ifndef WP_TEST_JSON_CHECK_H
#define WP_TEST_JSON_CHECK_H

#include <cjson/cJSON.h>
#include <math.h>

static inline cJSON *json_of(const cli_result *r)
{
  cJSON *j = cJSON_Parse(r->out);
  CHECK(j != NULL);
  return j;
}

static inline double json_num(const cJSON *j, const char *key)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
  CHECK(cJSON_IsNumber(v));
  return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

#endif
