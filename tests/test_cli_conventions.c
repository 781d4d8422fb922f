/*
** The command's conventions (issue 18; clig.dev): `help CMD` and `-V`/`--version` everywhere,
** "did you mean" for commands, options and enum values (one edit-distance helper,
** wattpivot/format.h, shared with the scenario binder). Each check failed on the build before
** these conventions (bc-era main: `help plan` printed the global help, `-V` and
** `plan --version` exited 2, no suggestion for `pln`, `--stratgy`, `hybird`).
*/
#include "cli_run.h"

#include "harness.h"
#include "wattpivot.h"

static cli_result R;

static void test_help_cmd(void)
{
  cli_run(&R, "help plan");
  CHECK_EQ_I64(R.code, 0);
  CHECK_CONTAINS(R.out, "Usage: wattpivot plan");
  cli_run(&R, "help risk");
  CHECK_CONTAINS(R.out, "Usage: wattpivot risk");
  cli_run(&R, "help pln");
  CHECK_EQ_I64(R.code, 2);
  CHECK_CONTAINS(R.err, "did you mean 'plan'");
}

static void test_version(void)
{
  char want[64];
  snprintf(want, sizeof want, "wattpivot %d.%d.%d\n", WP_VERSION_MAJOR, WP_VERSION_MINOR,
           WP_VERSION_PATCH);
  const char *forms[] = {"-V", "--version", "plan --version", "plan -V", "risk -V",
                         "finance --version"};
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
    cli_run(&R, forms[i]);
    CHECK_EQ_I64(R.code, 0);
    CHECK(strcmp(R.out, want) == 0);
  }
}

static void test_did_you_mean(void)
{
  static const struct {
    const char *args, *want;
  } cases[] = {
      {"pln", "unknown command 'pln'; did you mean 'plan'?"},
      {"finanse --help", "did you mean 'finance'?"},
      {"plan --stratgy hybrid --no-store", "unknown option '--stratgy'; did you mean '--strategy'?"},
      {"risk --path 10", "did you mean '--paths'?"},
      {"plan --strategy hybird --no-store", "did you mean 'hybrid'? accepted: all, mining-only"},
      {"finance --pathway colo1 --grid-mw 10", "did you mean 'colo'?"},
      {"design --grid-mw 10 --cooling ar --redundancy N --gpu h100", "did you mean 'air'?"},
      {"finance --pathway colo --grid-mw 10 --term-debt of", "did you mean 'on'? accepted: on, off"},
      {"schedule --plan fasttrack", "did you mean 'fast-track'?"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cli_run(&R, cases[i].args);
    CHECK(R.code == 2 || R.code == 3);
    CHECK_CONTAINS(R.err, cases[i].want);
  }
  /* Nothing close: no suggestion, the accepted list only. */
  cli_run(&R, "plan --strategy zzzzzz --no-store");
  CHECK(strstr(R.err, "did you mean") == NULL);
  CHECK_CONTAINS(R.err, "accepted: all, mining-only, all-in, hybrid, custom");
}

int main(void)
{
  wp_init();
  RUN(test_help_cmd);
  RUN(test_version);
  RUN(test_did_you_mean);
  return harness_report();
}
