/* Where the run store lives by default (cli.h cli_default_db; docs/store.md). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

const char *cli_default_db(int *is_default_dir)
{
  static char path[4096];
  const char *env = getenv("WATTPIVOT_DB");
  *is_default_dir = 0;
  if (env && env[0]) return env;
  const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
  /* The XDG base directory rule: an XDG_DATA_HOME that is not absolute is ignored. */
  if (xdg && xdg[0] == '/')
    snprintf(path, sizeof path, "%s/wattpivot/runs.db", xdg);
  else if (home && home[0] == '/')
    snprintf(path, sizeof path, "%s/.local/share/wattpivot/runs.db", home);
  else
    return WP_STORE_DEFAULT_PATH; /* no home: the working directory, as before */
  *is_default_dir = 1;
  return path;
}

int cli_make_parent_dirs(const char *cmd, const char *path)
{
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (!slash || slash == dir) return CLI_EXIT_OK;
  *slash = '\0';
  for (char *p = dir + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
      return cli_fail(cmd, CLI_EXIT_BADINPUT, "cannot create the store's folder %s: %s", dir,
                      strerror(errno));
    *p = '/';
  }
  if (mkdir(dir, 0700) != 0 && errno != EEXIST)
    return cli_fail(cmd, CLI_EXIT_BADINPUT,
                    "cannot create the store's folder %s: %s (choose a file with --db, or "
                    "--no-store)",
                    dir, strerror(errno));
  return CLI_EXIT_OK;
}
