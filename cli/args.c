/* Option parsing with range checks and help printing for every wattpivot command. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

cli_opt *cli_find(cli_opt *opts, size_t nopts, const char *name)
{
  for (size_t i = 0; i < nopts; i++)
    if (strcmp(opts[i].name, name) == 0) return &opts[i];
  return NULL;
}

int cli_fail(const char *cmd, int code, const char *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "wattpivot %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return code;
}

int cli_exit_for(wp_status st)
{
  switch (st) {
  case WP_OK:
    return CLI_EXIT_OK;
  case WP_EINVAL:
  case WP_EPARSE:
  case WP_EIO:
  case WP_EINFEASIBLE:
    return CLI_EXIT_BADINPUT;
  case WP_ENOMEM:
  case WP_EDB:
  case WP_ENOROOT:
  case WP_EPEER:
  case WP_ESOLVER: return CLI_EXIT_INTERNAL;
  }
  return CLI_EXIT_INTERNAL;
}

int cli_fail_status(const char *cmd, const wp_error *err)
{
  return cli_fail(cmd, cli_exit_for(err->code), "%s",
                  err->msg[0] ? err->msg : wp_strerror(err->code));
}

static int set_value(const cli_command *cmd, cli_opt *o, const char *val)
{
  char range[96];
  char *end = NULL;
  const wp_range r = {o->min, o->max, o->min_open, o->max_open, NULL};
  wp_range_format(range, sizeof range, &r);
  if (o->set && !o->multi && strcmp(o->str, val) != 0) /* the same value again is harmless */
    return cli_fail(cmd->name, CLI_EXIT_USAGE,
                    "--%s is given twice ('%s', then '%s'); it takes one value", o->name, o->str,
                    val);
  o->set = 1;
  o->str = val;
  if (o->kind == CLI_STR && o->multi) {
    if (o->nvalues >= CLI_MAX_VALUES)
      return cli_fail(cmd->name, CLI_EXIT_USAGE, "--%s is given more than %d times", o->name,
                      CLI_MAX_VALUES);
    o->values[o->nvalues++] = val;
  }
  if (o->kind == CLI_STR) return 0;
  errno = 0;
  if (o->kind == CLI_INT) {
    long long v = strtoll(val, &end, 10);
    if (end == val || *end != '\0')
      return cli_fail(cmd->name, CLI_EXIT_BADINPUT,
                      "--%s '%s' is not a whole number; accepted range %s", o->name, val, range);
    if (errno == ERANGE || !wp_range_contains(&r, (double)v))
      return cli_fail(cmd->name, CLI_EXIT_BADINPUT, "--%s %s is out of range; accepted %s", o->name,
                      val, range);
    o->i64 = (int64_t)v;
    o->num = (double)v;
    return 0;
  }
  double v = strtod(val, &end);
  if (end == val || *end != '\0' || !isfinite(v))
    return cli_fail(cmd->name, CLI_EXIT_BADINPUT,
                    "--%s '%s' is not a finite number; accepted range %s", o->name, val, range);
  char hint[96];
  if (!wp_range_contains(&r, v))
    return cli_fail(cmd->name, CLI_EXIT_BADINPUT, "--%s %s is out of range; accepted %s%s", o->name,
                    val, range, wp_range_hint(hint, sizeof hint, &r, v));
  o->num = v;
  return 0;
}

/* "unknown option '--stratgy'; did you mean '--strategy'?" (name: the len bytes after --). */
static int unknown_option(const cli_command *cmd, const cli_opt *opts, size_t nopts,
                          const char *arg, size_t len)
{
  char word[64];
  snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), arg + 2);
  const char *names[64];
  size_t n = 0;
  for (size_t k = 0; k < nopts && n < 62; k++)
    names[n++] = opts[k].name;
  names[n++] = "help";
  names[n++] = "version";
  const char *close = wp_closest_name(word, names, n);
  if (close)
    return cli_fail(cmd->name, CLI_EXIT_USAGE,
                    "unknown option '%s'; did you mean '--%s'? (see --help)", arg, close);
  return cli_fail(cmd->name, CLI_EXIT_USAGE, "unknown option '%s' (see --help)", arg);
}

int cli_parse(const cli_command *cmd, int argc, char **argv, cli_opt *opts, size_t nopts,
              const char **positional, size_t max_positional, size_t *npositional)
{
  size_t npos = 0;
  for (size_t i = 0; i < nopts; i++) {
    opts[i].set = 0;
    opts[i].str = NULL;
    opts[i].nvalues = 0;
  }
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      cli_print_help(cmd, opts, nopts);
      return CLI_HELP_SHOWN;
    }
    if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
      printf("wattpivot %s\n", wp_version());
      return CLI_HELP_SHOWN;
    }
    if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
      if (a[0] == '-' && a[1] != '\0' && !(a[1] >= '0' && a[1] <= '9'))
        return cli_fail(cmd->name, CLI_EXIT_USAGE, "unknown option '%s' (see --help)", a);
      if (npos >= max_positional)
        return cli_fail(cmd->name, CLI_EXIT_USAGE, "unexpected argument '%s' (see --help)", a);
      positional[npos++] = a;
      continue;
    }
    const char *name = a + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    cli_opt *o = NULL;
    for (size_t k = 0; k < nopts; k++)
      if (strlen(opts[k].name) == len && strncmp(opts[k].name, name, len) == 0) o = &opts[k];
    if (!o) return unknown_option(cmd, opts, nopts, a, len);
    if (o->kind == CLI_FLAG) {
      if (eq) return cli_fail(cmd->name, CLI_EXIT_USAGE, "option --%s takes no value", o->name);
      o->set = 1;
      continue;
    }
    const char *val = eq ? eq + 1 : NULL;
    if (!val) {
      if (i + 1 >= argc)
        return cli_fail(cmd->name, CLI_EXIT_USAGE, "option --%s needs a value %s", o->name,
                        o->meta ? o->meta : "");
      val = argv[++i];
    }
    int rc = set_value(cmd, o, val);
    if (rc) return rc;
  }
  if (npositional) *npositional = npos;
  return 0;
}

#define HELP_WIDTH WP_TEXT_COLUMNS /* columns of --help (and of the man pages made from it) */
#define HELP_COL   31  /* where an option's text starts */

/* One line of text (len bytes, no newline) that starts at column col, wrapped to keep within
** HELP_WIDTH (wp_wrap_line: a word wider than the room stays whole); its next lines start at
** column indent. usage: break before an option ("[--x X]", "--x X") where one fits. */
static void put_line_wrapped(const char *s, size_t len, size_t col, size_t indent, int usage)
{
  for (;;) {
    size_t next;
    const size_t cut = wp_wrap_line(s, len, HELP_WIDTH > col ? HELP_WIDTH - col : 0, usage, &next);
    fwrite(s, 1, cut, stdout);
    if (next >= len) break;
    printf("\n%*s", (int)indent, "");
    s += next;
    len -= next;
    col = indent;
  }
}

/* Text of lines (as written: a line starting with spaces keeps them on its wrapped lines), its
** first line at column col with its next lines at column indent; then a newline. */
static void put_text_wrapped(const char *text, size_t col, size_t indent, int usage)
{
  for (const char *p = text;;) {
    const size_t len = strcspn(p, "\n");
    const size_t lead = strspn(p, " ");
    put_line_wrapped(p, len, col, p == text ? indent : lead < len ? lead : 0, usage);
    putchar('\n');
    if (!p[len]) break;
    p += len + 1;
    col = 0;
  }
}

void cli_print_help(const cli_command *cmd, const cli_opt *opts, size_t nopts)
{
  /* the usage's next lines start under its first option ("wattpivot plan [SCENARIO]" + ...) */
  const char *first_opt = strstr(cmd->usage, " [");
  const char *dash = strstr(cmd->usage, " -");
  if (!first_opt || (dash && dash < first_opt)) first_opt = dash;
  const size_t under = first_opt && (size_t)(first_opt - cmd->usage) + 8 < HELP_WIDTH / 2
                           ? (size_t)(first_opt - cmd->usage) + 8
                           : 8;
  fputs("Usage: ", stdout);
  put_text_wrapped(cmd->usage, 7, under, 1);
  putchar('\n');
  put_text_wrapped(cmd->summary, 0, 0, 0);
  if (cmd->details) {
    putchar('\n');
    put_text_wrapped(cmd->details, 0, 0, 0);
  }
  printf("\nOptions:\n");
  for (size_t i = 0; i < nopts; i++) {
    char left[64], text[1024];
    if (opts[i].kind == CLI_FLAG)
      snprintf(left, sizeof left, "--%s", opts[i].name);
    else
      snprintf(left, sizeof left, "--%s %s", opts[i].name, opts[i].meta ? opts[i].meta : "X");
    size_t n = (size_t)snprintf(text, sizeof text, "%s", opts[i].help);
    if ((opts[i].kind == CLI_NUM || opts[i].kind == CLI_INT) && n < sizeof text) {
      char range[96];
      const wp_range r = {opts[i].min, opts[i].max, opts[i].min_open, opts[i].max_open, NULL};
      wp_range_format(range, sizeof range, &r);
      snprintf(text + n, sizeof text - n, " Range %s.", range);
    }
    printf("  %-28s ", left);
    put_text_wrapped(text, strlen(left) > 28 ? 3 + strlen(left) : HELP_COL, HELP_COL, 0);
  }
  printf("  %-28s %s\n", "--help", "Show this help.");
  printf("\nExit codes: 0 ok, 1 internal failure, 2 usage error, 3 bad input.\n");
}

int cli_dispatch(const cli_command *cmd, const cli_sub *subs, size_t nsubs, int argc, char **argv)
{
  if (argc < 2) {
    cli_print_help(cmd, NULL, 0);
    return CLI_EXIT_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    cli_print_help(cmd, NULL, 0);
    return CLI_EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
    printf("wattpivot %s\n", wp_version());
    return CLI_EXIT_OK;
  }
  const char *names[16];
  size_t n = 0;
  for (size_t i = 0; i < nsubs; i++) {
    if (strcmp(argv[1], subs[i].name) == 0) return subs[i].run(argc - 1, argv + 1);
    if (n < 16) names[n++] = subs[i].name;
  }
  wp_error err = WP_ERROR_INIT;
  wp_error_unknown_name(&err, "subcommand", argv[1], names, n);
  return cli_fail(cmd->name, CLI_EXIT_USAGE, "%s", err.msg);
}
