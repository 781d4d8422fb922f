/* The [SCENARIO] argument shared by plan, scenario and risk: a YAML file or the default. */
#include <stdlib.h>

#include "cli.h"

int cli_load_scenario(const char *cmd, const char *path, wp_scenario **out, char **text)
{
  wp_error err = WP_ERROR_INIT;
  *out = NULL;
  if (text) *text = NULL;
  wp_scenario *sc = wp_scenario_new();
  if (!sc) return cli_fail(cmd, CLI_EXIT_INTERNAL, "out of memory");
  wp_status st = path ? wp_scenario_load_file(sc, path, &err) : wp_scenario_load_default(sc, &err);
  if (st == WP_OK && path && text) st = wp_scenario_read_text(path, WP_STORE_SCENARIO_TEXT_MAX, text, &err);
  if (st != WP_OK) {
    wp_scenario_free(sc);
    return cli_fail_status(cmd, &err);
  }
  *out = sc;
  return CLI_EXIT_OK;
}
