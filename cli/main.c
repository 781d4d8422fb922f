/* wattpivot: the command-line client. Dispatches to cli/cmd_<name>.c from a table. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "dist.h"

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} commands[] = {
    {"plan", cmd_plan, "the main job: strategies side by side, per-site decisions, report"},
    {"risk", cmd_risk,
     "Monte Carlo per strategy: NPV P5/P50/P95, CVaR, cash shortfall, value of waiting"},
    {"sweep", cmd_sweep,
     "sensitivity: the plan over a range of one key or a grid of two; tidy CSV"},
    {"scenario", cmd_scenario, "scenario files: init, validate, show"},
    {"runs", cmd_runs, "stored plan and risk runs: list them, show one (SQLite results store)"},
    {"finance", cmd_finance, "one site's pathway: NPV, IRR, DSCR, payback, ledger CSV, break-even"},
    {"design", cmd_design, "conversion engineering: IT MW, PUE by month, availability, capex"},
    {"schedule", cmd_schedule, "conversion schedule: critical path, float, phases, P50/P80/P90"},
    {"mining", cmd_mining, "hashprice, revenue per MWh, break-even power price, margin per MW"},
    {"btc", cmd_btc, "protocol facts: subsidy, supply, difficulty <-> hashrate, retarget, nBits"},
};

static void usage(FILE *to)
{
  fprintf(to, "Usage: wattpivot COMMAND [options]   (wattpivot COMMAND --help for details)\n\n"
              "Decide where each megawatt earns more: mining bitcoin or hosting AI.\n\n"
              "Commands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(to, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(to,
          "\nEvery command accepts --help (or: wattpivot help COMMAND) and -V/--version; those\n"
          "that print results accept --json. A mistyped command, option or value gets a\n"
          "suggestion. Man pages: man wattpivot-COMMAND (after cmake --install).\n"
          "Exit codes: 0 ok, 1 internal failure, 2 usage error, 3 bad input.\n");
}

/* Whatever a command printed must have reached standard output: a write that failed (a full
** disk, /dev/full) is reported and the exit code is not 0. */
static int finish(int rc)
{
  errno = 0;
  int failed = fflush(stdout) != 0 || ferror(stdout);
  int saved = errno;
  if (fclose(stdout) != 0 && !failed) {
    failed = 1;
    saved = errno;
  }
  if (!failed) return rc;
  fprintf(stderr, "wattpivot: cannot write the output to standard output: %s\n",
          saved ? strerror(saved) : "write error");
  return rc ? rc : CLI_EXIT_INTERNAL;
}

/* "unknown command 'pln'; did you mean 'plan'?" and the command list. */
static int unknown_command(const char *word)
{
  const char *names[sizeof commands / sizeof commands[0]];
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    names[i] = commands[i].name;
  const char *close = wp_closest_name(word, names, sizeof names / sizeof names[0]);
  if (close)
    fprintf(stderr, "wattpivot: unknown command '%s'; did you mean '%s'?\n\n", word, close);
  else
    fprintf(stderr, "wattpivot: unknown command '%s'\n\n", word);
  usage(stderr);
  return CLI_EXIT_USAGE;
}

static int run(int argc, char **argv)
{
  if (argc < 2) {
    usage(stderr);
    return CLI_EXIT_USAGE;
  }
  if (strcmp(argv[1], "help") == 0 && argc > 2) { /* help CMD: CMD's own --help */
    static char help_flag[] = "--help";
    char *args[] = {argv[2], help_flag, NULL};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
      if (strcmp(argv[2], commands[i].name) == 0) return commands[i].run(2, args);
    return unknown_command(argv[2]);
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return CLI_EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
    printf("wattpivot %s\n", wp_version());
    return CLI_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(argv[1], commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
  return unknown_command(argv[1]);
}

int main(int argc, char **argv)
{
  wp_init();
  cli_dist_init(&argc, &argv);
  /* Under mpirun only `risk` and `sweep` are split over the processes; rank 0 runs any other
     command alone (docs/distributed.md). */
  const int split = argc > 1 && (strcmp(argv[1], "risk") == 0 || strcmp(argv[1], "sweep") == 0);
  int rc = split || cli_dist_rank() == 0 ? finish(run(argc, argv)) : CLI_EXIT_OK;
  cli_dist_finalize();
  return rc;
}
