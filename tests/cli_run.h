/*
** tests/cli_run.h — run the built wattpivot command (WP_CLI_PATH) with arguments through
** the shell and capture stdout, stderr and the exit code, for CLI contract tests.
** Include before any other header (it needs POSIX popen).
*/
#ifndef WP_TEST_CLI_RUN_H
#define WP_TEST_CLI_RUN_H

#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct cli_result {
  int code;         /* exit code, or -1 if it did not exit normally */
  char out[1 << 20]; /* stdout (truncated) */
  char err[8192];   /* stderr (truncated) */
} cli_result;

static void cli_slurp(FILE *f, char *buf, size_t n)
{
  size_t got = 0;
  if (f)
    while (got + 1 < n) {
      size_t k = fread(buf + got, 1, n - 1 - got, f);
      if (k == 0) break;
      got += k;
    }
  buf[got] = '\0';
}

/* Run the shell text `script` in which every "@WP" stands for the wattpivot binary; its stdout,
** stderr and exit code into r. */
static cli_result *cli_shell(cli_result *r, const char *script)
{
  char errpath[] = "/tmp/wp_cli_err_XXXXXX";
  int fd = mkstemp(errpath);
  char body[8192], cmd[8400];
  size_t n = 0;
  for (const char *p = script; *p && n + sizeof WP_CLI_PATH < sizeof body;) {
    if (strncmp(p, "@WP", 3) == 0) {
      memcpy(body + n, WP_CLI_PATH, sizeof WP_CLI_PATH - 1);
      n += sizeof WP_CLI_PATH - 1;
      p += 3;
    } else {
      body[n++] = *p++;
    }
  }
  body[n] = '\0';
  snprintf(cmd, sizeof cmd, "{ %s\n} 2>%s", body, errpath);
  FILE *p = popen(cmd, "r");
  cli_slurp(p, r->out, sizeof r->out);
  int st = p ? pclose(p) : -1;
  r->code = (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
  FILE *e = fopen(errpath, "r");
  cli_slurp(e, r->err, sizeof r->err);
  if (e) fclose(e);
  if (fd >= 0) close(fd);
  unlink(errpath);
  return r;
}

/* Run `wattpivot ARGS` (ARGS is shell text). Returns r for chaining. */
static cli_result *cli_run(cli_result *r, const char *args)
{
  char script[4096];
  snprintf(script, sizeof script, "@WP %s", args);
  return cli_shell(r, script);
}

#endif
