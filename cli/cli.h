/*
** cli/cli.h — shared plumbing of the wattpivot command: exit codes, option parsing with
** range checks, and output helpers. Commands live in cmd_<name>.c and use only <wattpivot/...>.
*/
#ifndef WP_CLI_H
#define WP_CLI_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <wattpivot.h>

/* Exit codes (docs/architecture.md "Command line"): */
enum { CLI_EXIT_OK = 0, CLI_EXIT_INTERNAL = 1, CLI_EXIT_USAGE = 2, CLI_EXIT_BADINPUT = 3 };

/* Returned by cli_parse when --help was given and printed: the command exits 0. */
#define CLI_HELP_SHOWN (-1)

typedef enum cli_kind {
  CLI_FLAG, /* present or not */
  CLI_NUM,  /* a finite double, range-checked */
  CLI_INT,  /* a whole number (int64), range-checked */
  CLI_STR   /* any string; the command validates it */
} cli_kind;

#define CLI_MAX_VALUES 32 /* a repeatable option given more often is a usage error */

typedef struct cli_opt {
  const char *name; /* long name without dashes: "difficulty" -> --difficulty */
  cli_kind kind;
  const char *meta; /* value placeholder in help: "D" */
  const char *help; /* one line: meaning, unit, default */
  double min, max;  /* accepted range for CLI_NUM / CLI_INT */
  int min_open;     /* 1: min itself is not accepted (x > min) */
  int max_open;     /* 1: max itself is not accepted (x < max) */
  int multi;        /* CLI_STR: may be given several times (values[], in order) */
  /* filled by cli_parse: */
  int set;
  const char *values[CLI_MAX_VALUES]; /* multi: every value given */
  size_t nvalues;
  double num;
  int64_t i64;
  const char *str;
} cli_opt;

typedef struct cli_command {
  const char *name;     /* "mining" */
  const char *usage;    /* "wattpivot mining [options]" */
  const char *summary;  /* one line for the command list */
  const char *details;  /* paragraph printed by --help (may be NULL) */
} cli_command;

/*
** Parse argv[1..argc-1] (argv[0] is the command name) against opts. --help and -h print the
** command's help to stdout and return CLI_HELP_SHOWN. Positional words are collected into
** positional[0..max_positional-1]. Accepts --name value and --name=value.
** Returns 0, CLI_HELP_SHOWN, CLI_EXIT_USAGE (unknown option, missing value, too many
** words) or CLI_EXIT_BADINPUT (a value that is not a number or is out of range); errors are
** printed to stderr naming the option, the value and the accepted range.
*/
int cli_parse(const cli_command *cmd, int argc, char **argv, cli_opt *opts, size_t nopts,
              const char **positional, size_t max_positional, size_t *npositional);

/* Print the help of cmd with its options to stdout. */
void cli_print_help(const cli_command *cmd, const cli_opt *opts, size_t nopts);

/* The option called name in opts (NULL if none; a programming error). */
cli_opt *cli_find(cli_opt *opts, size_t nopts, const char *name);

/* Print "wattpivot <cmd>: <message>" to stderr and return code. */
int cli_fail(const char *cmd, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Map a library status to an exit code: WP_EINVAL/WP_EPARSE/WP_EIO -> 3, others -> 1. */
int cli_exit_for(wp_status st);

/* Report a library failure (message from err) and return its exit code. */
int cli_fail_status(const char *cmd, const wp_error *err);

/* Print a JSON document (formatted, trailing newline) to stdout and free it. Returns 0 or
** CLI_EXIT_INTERNAL when the document could not be built (NULL) or printed. */
int cli_print_json(cJSON *doc);
/* The same on the stream to. */
int cli_print_json_to(cJSON *doc, FILE *to);

/* Add a number, or null when it is not finite (JSON has no NaN or Inf). */
void cli_json_add_num(cJSON *obj, const char *key, double v);

/* Add an exact int64 number (cJSON stores doubles; this keeps every digit). */
cJSON *cli_json_add_i64(cJSON *obj, const char *key, int64_t v);

/*
** Load the scenario named on the command line (path NULL = the built-in default) into a new
** scenario. With text non-NULL, also return the file's text (NULL for the default), for the
** results store. Errors are printed (file:line:column: key: message) and the exit code is
** returned (0 on success); on failure *out is NULL.
*/
int cli_load_scenario(const char *cmd, const char *path, wp_scenario **out, char **text);

/* Progress of a long run on stderr, about once a second ("risk: 1200/10000 paths (12%), 950
** paths/s, ETA 9 s"; under one unit a second, its seconds each: "plan: 1/2 plans (50%), 6.9 s
** each, ETA 7 s"; the last line whenever the run took a second or more); nothing for a run
** over within the first second. WATTPIVOT_PROGRESS_SECONDS in the environment sets the
** seconds between lines (0: a line at every step, the last line always). cli_progress is a
** progress callback of the library (ctx: a cli_progress_state from cli_progress_start). */
typedef struct cli_progress_state {
  const char *cmd, *unit; /* "risk", "paths" */
  double t0, last;
  double every; /* seconds between lines */
  int tty;
} cli_progress_state;
cli_progress_state cli_progress_start(const char *cmd, const char *unit);
void cli_progress(size_t done, size_t total, void *ctx);

/* The run store when --db is not given: $WATTPIVOT_DB, else $XDG_DATA_HOME/wattpivot/runs.db,
** else ~/.local/share/wattpivot/runs.db, else wattpivot.db in the working directory (no home).
** *is_default_dir: 1 when the path is in the data directory (whose folders may need creating). */
const char *cli_default_db(int *is_default_dir);

/* Create the folders above path (mode 0700) when missing; an error names the folder and the
** system's reason. */
int cli_make_parent_dirs(const char *cmd, const char *path);

/* Apply every --set KEY.PATH=VALUE of opt (a multi option; unset: nothing) to sc, then check
** the scenario's cross-field agreement again. Prints the error and returns its exit code. */
int cli_apply_sets(const char *cmd, wp_scenario *sc, const cli_opt *opt);

/* The --set option every scenario-reading command takes. */
#define CLI_SET_OPTION                                                                             \
  {                                                                                                \
    .name = "set", .kind = CLI_STR, .meta = "KEY=VALUE", .multi = 1,                               \
    .help = "Change one scenario key, e.g. market.btc_price_usd=80000 or "                         \
            "sites[Childress].grid_mw=500; checked like the file; repeatable."                     \
  }

/* Standard input already read (by scenario validate): the next cli_load_scenario of "-" takes
** this text (owned) instead of reading again. */
void cli_stdin_keep(char *text);

/* A subcommand: name and entry point (argv[0] is the subcommand). */
typedef struct cli_sub {
  const char *name;
  int (*run)(int argc, char **argv);
} cli_sub;

/* Run the subcommand named by argv[1] (argv[0] is the command). No subcommand prints the help
** and returns CLI_EXIT_USAGE; --help prints it and returns 0; an unknown one is a usage error
** listing the known subcommands. */
int cli_dispatch(const cli_command *cmd, const cli_sub *subs, size_t nsubs, int argc, char **argv);

#endif
