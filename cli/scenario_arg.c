/* The [SCENARIO] argument shared by plan, scenario and risk: a YAML file, "-" for standard
** input, or the built-in default. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static char *g_stdin_text; /* standard input read earlier (cli_stdin_keep) */

void cli_stdin_keep(char *text)
{
  free(g_stdin_text);
  g_stdin_text = text;
}

int cli_load_scenario(const char *cmd, const char *path, wp_scenario **out, char **text)
{
  wp_error err = WP_ERROR_INIT;
  *out = NULL;
  if (text) *text = NULL;
  wp_scenario *sc = wp_scenario_new();
  if (!sc) return cli_fail(cmd, CLI_EXIT_INTERNAL, "out of memory");
  wp_status st;
  if (path && strcmp(path, "-") == 0) {
    /* Standard input can be read once: the text is loaded and kept from the same read. */
    char *in = g_stdin_text;
    g_stdin_text = NULL;
    st = in ? WP_OK : wp_scenario_read_text("-", WP_STORE_SCENARIO_TEXT_MAX, &in, &err);
    if (st == WP_OK) st = wp_scenario_load_text(sc, "standard input", in, &err);
    if (st == WP_OK && text)
      *text = in;
    else
      free(in);
  } else {
    st = path ? wp_scenario_load_file(sc, path, &err) : wp_scenario_load_default(sc, &err);
    if (st == WP_OK && path && text)
      st = wp_scenario_read_text(path, WP_STORE_SCENARIO_TEXT_MAX, text, &err);
  }
  if (st != WP_OK) {
    if (text) {
      free(*text);
      *text = NULL;
    }
    wp_scenario_free(sc);
    return cli_fail_status(cmd, &err);
  }
  *out = sc;
  return CLI_EXIT_OK;
}

int cli_apply_sets(const char *cmd, wp_scenario *sc, const cli_opt *opt)
{
  if (!opt || !opt->set) return CLI_EXIT_OK;
  wp_error err = WP_ERROR_INIT;
  for (size_t i = 0; i < opt->nvalues; i++)
    if (wp_scenario_set(sc, opt->values[i], &err)) return cli_fail_status(cmd, &err);
  if (wp_scenario_check(sc, &err)) {
    cli_fail(cmd, CLI_EXIT_BADINPUT, "after --set: %s", err.msg);
    return CLI_EXIT_BADINPUT;
  }
  return CLI_EXIT_OK;
}
