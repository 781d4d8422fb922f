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

/* Every command's and subcommand's --help keeps within 100 columns (the man pages are made from
** it): the options' texts and long usage lines wrap (0.3.0's ran to 237 columns). */
static void test_help_within_100_columns(void)
{
  cli_shell(&R,
            "@WP --help | awk '/^Commands:/{on=1;next} on&&/^  [a-z]/{print $1} on&&!/^  /{on=0}' |"
            " while read c; do @WP $c --help; @WP $c --help | awk '/^Subcommands:/{on=1;next} "
            "on&&/^  [a-z]/{print $1} on&&!/^  /{on=0}' | sort -u | while read s; do "
            "@WP $c $s --help; done; done | awk '{n++} length>100{print \"over 100: \" $0} "
            "/^Usage: wattpivot scenario generate/{g++} END{print n \" lines, \" g \" sub\"}'");
  CHECK_EQ_I64(R.code, 0);
  if (!CHECK(strstr(R.out, "over 100: ") == NULL)) fprintf(stderr, "%s", R.out);
  long n = 0, g = 0;
  CHECK(sscanf(R.out, "%ld lines, %ld sub", &n, &g) == 2);
  CHECK(n > 400); /* every command's help was read, */
  CHECK(g == 1);  /* the subcommands' too */
  /* a wrapped option keeps its text under its column, the range included */
  cli_run(&R, "finance --help");
  CHECK_CONTAINS(R.out, "\n  --grid-mw G                  Grid MW of the site (required without "
                        "--site; overrides the site's).\n                               Range "
                        "(0, 10000].\n");
}

static void test_version(void)
{
  char want[64];
  snprintf(want, sizeof want, "wattpivot %d.%d.%d\n", WP_VERSION_MAJOR, WP_VERSION_MINOR,
           WP_VERSION_PATCH);
  const char *forms[] = {"-V",      "--version",         "plan --version", "plan -V",
                         "risk -V", "finance --version", "btc -V",         "scenario --version"};
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
      {"plan --stratgy hybrid --no-store",
       "unknown option '--stratgy'; did you mean '--strategy'?"},
      {"risk --path 10", "did you mean '--paths'?"},
      {"plan --strategy hybird --no-store", "did you mean 'hybrid'? accepted: all, mining-only"},
      {"finance --pathway colo1 --grid-mw 10", "did you mean 'colo'?"},
      {"design --grid-mw 10 --cooling ar --redundancy N --gpu h100", "did you mean 'air'?"},
      {"finance --pathway colo --grid-mw 10 --term-debt of",
       "did you mean 'on'? accepted: on, off"},
      {"schedule --plan fasttrack", "did you mean 'fast-track'?"},
      {"btc subsidyy", "subcommand 'subsidyy' is unknown; did you mean 'subsidy'?"},
      {"scenario valdate x.yaml", "did you mean 'validate'?"},
      {"runs lst", "did you mean 'list'?"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cli_run(&R, cases[i].args);
    CHECK(R.code == 2 || R.code == 3);
    CHECK_CONTAINS(R.err, cases[i].want);
  }
  /* An option of one value given twice with two values is refused (the last used to win,
     silently); the same value twice is harmless. */
  cli_run(&R, "finance --pathway colo --grid-mw 10 --pathway mining");
  CHECK_EQ_I64(R.code, 2);
  CHECK_CONTAINS(R.err, "finance: --pathway is given twice ('colo', then 'mining'); it takes one "
                        "value");
  cli_run(&R, "mining --pue 1.1 --json --pue=1.1");
  CHECK_EQ_I64(R.code, 0);
  /* Nothing close: no suggestion, the accepted list only. */
  cli_run(&R, "plan --strategy zzzzzz --no-store");
  CHECK(strstr(R.err, "did you mean") == NULL);
  CHECK_CONTAINS(R.err, "accepted: all, mining-only, all-in, hybrid, custom");
}

/* A file with six errors of different kinds: every one reported in one pass, with its line and
** column, also as JSON (the build before printed the first only, and nothing on stdout with
** --json). Rates written as percents get the hint. */
static void test_every_error_in_one_pass(void)
{
  const char *yaml = "scenario: {name: x, hurdle_rate: 10}\n"
                     "finance: {debt_rate: 8.5, bogus: 1}\n"
                     "market: {btc_price_usd: -5}\n"
                     "sites:\n"
                     "  - {name: A, grid_mw: 10}\n"
                     "  - {name: B, grid_mw: -3}\n"
                     "  - {grid_mw: 5}\n";
  FILE *f = fopen("/tmp/wp_conv_multi.yaml", "w");
  if (!CHECK(f != NULL)) return;
  fputs(yaml, f);
  fclose(f);
  cli_run(&R, "scenario validate /tmp/wp_conv_multi.yaml");
  CHECK_EQ_I64(R.code, 3);
  CHECK_CONTAINS(R.err, "wp_conv_multi.yaml:1:34: scenario.hurdle_rate: 10 is out of range");
  CHECK_CONTAINS(R.err, "rates are fractions: 10 % is 0.1");
  CHECK_CONTAINS(R.err, "wp_conv_multi.yaml:2:22: finance.debt_rate: 8.5 is out of range");
  CHECK_CONTAINS(R.err, "wp_conv_multi.yaml:2:27: finance.bogus: unknown key");
  CHECK_CONTAINS(R.err, "wp_conv_multi.yaml:3:25: market.btc_price_usd: -5");
  CHECK_CONTAINS(R.err, "wp_conv_multi.yaml:6:24: sites[1].grid_mw: -3");
  CHECK_CONTAINS(R.err, "wp_conv_multi.yaml:7:6: sites[2]: the key 'name' is required");
  CHECK_CONTAINS(R.err, "6 errors");
  cli_run(&R, "scenario validate --json /tmp/wp_conv_multi.yaml");
  CHECK_EQ_I64(R.code, 3);
  CHECK_CONTAINS(R.out, "\"valid\":\tfalse");
  CHECK_CONTAINS(R.out, "\"error_count\":\t6");
  CHECK_CONTAINS(R.out, "\"line\":\t7");
  /* The same from standard input, and a valid file read from it still loads. */
  cli_shell(&R, "@WP scenario validate - < /tmp/wp_conv_multi.yaml");
  CHECK_CONTAINS(R.err, "standard input:6:24: sites[1].grid_mw");
  cli_shell(&R, "@WP scenario init - | @WP scenario validate -");
  CHECK_EQ_I64(R.code, 0);
  CHECK_CONTAINS(R.out, "standard input: valid: 14 sites");
  /* Cross-field errors, all of them, each at its key. */
  f = fopen("/tmp/wp_conv_cross.yaml", "w");
  if (!CHECK(f != NULL)) return;
  fputs("sites:\n  - {name: A, grid_mw: 10, country: Narnia}\n  - {name: A, grid_mw: 5}\n", f);
  fclose(f);
  cli_run(&R, "scenario validate /tmp/wp_conv_cross.yaml");
  CHECK_CONTAINS(R.err, "wp_conv_cross.yaml:2:28: sites[0].country: country 'Narnia'");
  CHECK_CONTAINS(R.err, "wp_conv_cross.yaml:3:6: sites[1].name: 'A' is used twice");
  /* The command line too. */
  cli_run(&R, "finance --pathway colo --grid-mw 10 --hurdle-rate 10");
  CHECK_EQ_I64(R.code, 3);
  CHECK_CONTAINS(R.err, "--hurdle-rate 10 is out of range; accepted (-1, 1]; rates are fractions");
  remove("/tmp/wp_conv_multi.yaml");
  remove("/tmp/wp_conv_cross.yaml");
}

/* A file without custom: plans no "custom" strategy (it would be mining-only again), and asking
** for it by name says why. The build before listed custom identical to mining-only. */
static void test_custom_only_when_given(void)
{
  FILE *f = fopen("/tmp/wp_conv_nocustom.yaml", "w");
  if (!CHECK(f != NULL)) return;
  fputs("sites:\n  - {name: A, grid_mw: 10, country: United States}\n", f);
  fclose(f);
  cli_run(&R, "plan /tmp/wp_conv_nocustom.yaml --no-store --json");
  CHECK_EQ_I64(R.code, 0);
  CHECK_CONTAINS(R.out, "\"hybrid\"");
  CHECK(strstr(R.out, "\"custom\"") == NULL);
  cli_run(&R, "plan /tmp/wp_conv_nocustom.yaml --no-store --strategy custom");
  CHECK_EQ_I64(R.code, 3);
  CHECK_CONTAINS(R.err, "the scenario has no custom: section");
  cli_run(&R, "risk /tmp/wp_conv_nocustom.yaml --paths 4 --no-wait --json");
  CHECK_EQ_I64(R.code, 0);
  CHECK(strstr(R.out, "\"custom\"") == NULL);
  cli_run(&R, "plan --no-store --json"); /* the default has custom: */
  CHECK_CONTAINS(R.out, "\"custom\"");
  remove("/tmp/wp_conv_nocustom.yaml");
}

/* The run store defaults to the user's data directory, not the working directory (the build
** before left wattpivot.db wherever plan ran, e.g. the source tree); WATTPIVOT_DB and --db
** override it. */
static void test_store_in_data_dir(void)
{
  char script[1024];
  snprintf(script, sizeof script,
           "rm -rf /tmp/wp_conv_xdg /tmp/wp_conv_cwd && mkdir -p /tmp/wp_conv_cwd && "
           "cd /tmp/wp_conv_cwd && export XDG_DATA_HOME=/tmp/wp_conv_xdg && "
           "@WP plan --strategy mining-only > /dev/null && ls /tmp/wp_conv_cwd && "
           "test -s /tmp/wp_conv_xdg/wattpivot/runs.db && @WP runs list --json");
  cli_shell(&R, script);
  CHECK_EQ_I64(R.code, 0);
  CHECK(strstr(R.out, "wattpivot.db") == NULL); /* nothing in the working directory */
  CHECK_CONTAINS(R.out, "\"run_id\":\t1");
  cli_shell(&R, "cd /tmp/wp_conv_cwd && WATTPIVOT_DB=/tmp/wp_conv_cwd/env.db "
                "@WP plan --strategy mining-only");
  CHECK_CONTAINS(R.out, "Stored as run 1 in /tmp/wp_conv_cwd/env.db");
  cli_shell(&R, "HOME=/tmp/wp_conv_cwd XDG_DATA_HOME= @WP plan --strategy mining-only");
  CHECK_CONTAINS(R.out, "/tmp/wp_conv_cwd/.local/share/wattpivot/runs.db");
  cli_shell(&R, "rm -rf /tmp/wp_conv_xdg /tmp/wp_conv_cwd");
}

/* A report folder that cannot be made is said before any work: no plan, no stored run. */
static void test_out_checked_first(void)
{
  /* (an old build that made the folders anyway would create them: they are removed first) */
  cli_shell(&R,
            "rm -rf /tmp/wp_conv_missing /tmp/wp_conv_out.db; "
            "@WP plan --out /tmp/wp_conv_missing/dir/out --db /tmp/wp_conv_out.db; "
            "echo rc=$?; test -e /tmp/wp_conv_out.db && echo stored; rm -rf /tmp/wp_conv_missing");
  CHECK_CONTAINS(R.out, "rc=3");
  CHECK(strstr(R.out, "stored") == NULL);
  CHECK(strstr(R.out, "Strategies") == NULL);
  CHECK_CONTAINS(R.err, "cannot create /tmp/wp_conv_missing/dir/out: /tmp/wp_conv_missing/dir");
  remove("/tmp/wp_conv_out.db");
  cli_shell(&R, "touch /tmp/wp_conv_file && @WP plan --no-store --out /tmp/wp_conv_file");
  CHECK_EQ_I64(R.code, 3);
  CHECK_CONTAINS(R.err, "/tmp/wp_conv_file exists and is not a folder");
  remove("/tmp/wp_conv_file");
}

int main(void)
{
  wp_init();
  RUN(test_help_cmd);
  RUN(test_help_within_100_columns);
  RUN(test_version);
  RUN(test_did_you_mean);
  RUN(test_every_error_in_one_pass);
  RUN(test_custom_only_when_given);
  RUN(test_store_in_data_dir);
  RUN(test_out_checked_first);
  return harness_report();
}
