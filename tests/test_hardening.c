/*
** Hostile input, end to end through the binary: one test per class of defect a hostile tester
** found (no input crashes, hangs, misreads or lies). Each failed before the fix; each names the
** class it guards.
*/
#include "cli_run.h"

#include <sys/stat.h>

#include "harness.h"
#include "refdata.h"
#include "wattpivot.h"

static cli_result R;

#define DEFAULT_YAML WP_SOURCE_DIR "/data/default_scenario.yaml"

static void write_text(const char *path, const char *text, size_t n)
{
  FILE *f = fopen(path, "wb");
  if (!CHECK(f != NULL)) return;
  CHECK(fwrite(text, 1, n, f) == n);
  fclose(f);
}

/* "FILE:LINE:COL:" somewhere in text. */
static int has_position(const char *text, const char *file)
{
  for (const char *p = strstr(text, file); p; p = strstr(p + 1, file)) {
    int line = 0, col = 0;
    if (sscanf(p + strlen(file), ":%d:%d:", &line, &col) == 2 && line > 0 && col > 0) return 1;
  }
  return 0;
}

/* 1: a scenario from a pipe, standard input or /proc is read, never a crash. */
static void test_pipes_and_proc(void)
{
  cli_shell(&R, "echo 'a: 1' | @WP scenario validate /dev/stdin");
  CHECK_EQ_I64(R.code, 3);
  CHECK(has_position(R.err, "/dev/stdin"));
  cli_shell(&R, "cat " DEFAULT_YAML " | @WP plan - --no-store --json --strategy hybrid");
  CHECK_EQ_I64(R.code, 0);
  CHECK_CONTAINS(R.out, "\"hybrid\"");
  cli_run(&R, "scenario validate /proc/self/status");
  CHECK_EQ_I64(R.code, 3);
  CHECK_CONTAINS(R.err, "/proc/self/status");
}

/* 2: one byte that is not UTF-8, even in a comment, is an error at its line: never a file read
** up to it. */
static void test_non_utf8_byte(void)
{
  char *text = ref_read_file(DEFAULT_YAML);
  if (!CHECK(text != NULL)) return;
  size_t lines = 0;
  for (const char *p = text; *p; p++) lines += *p == '\n';
  char path[] = "/tmp/wp_latin1_XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  size_t n = strlen(text);
  char *both = malloc(n + 64);
  if (!CHECK(both != NULL)) return;
  memcpy(both, text, n);
  memcpy(both + n, "# caf\xe9\n", 7);
  write_text(path, both, n + 7);
  char args[256], want[64];
  snprintf(args, sizeof args, "scenario validate %s", path);
  cli_run(&R, args);
  CHECK_EQ_I64(R.code, 3);
  snprintf(want, sizeof want, ":%zu:6: byte 0xE9 is not UTF-8", lines + 1);
  CHECK_CONTAINS(R.err, want);
  remove(path);
  free(both);
  free(text);
}

/* 3: a list, a mapping or nothing where a name is expected is refused, with its position
** (valgrind once saw these read a stale buffer). */
static void test_non_scalar_names(void)
{
  static const char *const cases[] = {
      "conversion:\n  business: [oops]\n",
      "sites:\n  - {name: A, status: {}, grid_mw: 3, country: Norway}\n",
      "sites:\n  - {name: A, status: , grid_mw: 3, country: Norway}\n",
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    write_text("/tmp/wp_names.yaml", cases[i], strlen(cases[i]));
    cli_run(&R, "scenario validate /tmp/wp_names.yaml");
    CHECK_EQ_I64(R.code, 3);
    CHECK_CONTAINS(R.err, "expected a name");
    CHECK(has_position(R.err, "/tmp/wp_names.yaml"));
  }
  remove("/tmp/wp_names.yaml");
}

/* 4: 40,000 keys in one mapping (the duplicate-key check was quadratic: minutes) answer at once;
** nothing of more than 4 MiB is parsed. */
static void test_many_keys_and_size(void)
{
  FILE *f = fopen("/tmp/wp_keys.yaml", "w");
  if (!CHECK(f != NULL)) return;
  fputs("market:\n", f);
  for (int i = 0; i < 40000; i++) fprintf(f, "  btc_price_usd: %d\n", i + 1);
  fclose(f);
  cli_shell(&R, "timeout 20 @WP scenario validate /tmp/wp_keys.yaml");
  CHECK_EQ_I64(R.code, 3); /* 124 when it hangs */
  CHECK_CONTAINS(R.err, "/tmp/wp_keys.yaml:3:3: market.btc_price_usd: the key is given twice");
  cli_shell(&R, "head -c 5000000 /dev/zero | tr '\\0' '#' | timeout 20 @WP scenario validate -");
  CHECK_EQ_I64(R.code, 3);
  CHECK_CONTAINS(R.err, "larger than");
  remove("/tmp/wp_keys.yaml");
}

/* 5: every command that prints results fails, and says so, when its output cannot be written. */
static void test_write_errors(void)
{
  static const char *const commands[] = {
      "plan --no-store",
      "plan --no-store --json",
      "risk --paths 8 --json --quiet",
      "finance --pathway colo --grid-mw 10",
      "scenario show --json",
      "mining",
      "schedule",
      "design --grid-mw 10 --cooling dlc --redundancy N --gpu h100",
      "btc supply",
      "runs list --db /nonexistent.db",
  };
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    char args[256];
    snprintf(args, sizeof args, "%s > /dev/full", commands[i]);
    cli_run(&R, args);
    if (!CHECK(R.code != 0)) fprintf(stderr, "  %s exited 0\n", commands[i]);
    CHECK(R.err[0] != '\0');
  }
}

/* 6: a report folder is never left mixing files of two runs: a run that fails while writing
** (here: the file size limit, as on a full disk) leaves the earlier run's files untouched. */
static void test_report_folder_whole(void)
{
  static const char *const files[] = {"summary.json", "sites.csv", "ledger.csv", "report.html"};
  char *before[4];
  cli_run(&R, "plan --no-store --out /tmp/wp_report --strategy all");
  if (!CHECK(R.code == 0)) return;
  for (int i = 0; i < 4; i++) {
    char path[128];
    snprintf(path, sizeof path, "/tmp/wp_report/%s", files[i]);
    before[i] = ref_read_file(path);
    CHECK(before[i] != NULL);
  }
  /* Another run (another hurdle rate: every file differs) under a file size limit of 100
     blocks of 512 bytes: summary.json and sites.csv fit, ledger.csv does not. */
  cli_shell(&R, "sed 's/^  hurdle_rate: 0.10 /  hurdle_rate: 0.12 /' " DEFAULT_YAML " > "
                "/tmp/wp_report.yaml; trap '' XFSZ; ulimit -f 100; "
                "@WP plan /tmp/wp_report.yaml --no-store --out /tmp/wp_report");
  CHECK(R.code != 0);
  CHECK_CONTAINS(R.err, "/tmp/wp_report");
  for (int i = 0; i < 4; i++) {
    char path[128];
    snprintf(path, sizeof path, "/tmp/wp_report/%s", files[i]);
    char *after = ref_read_file(path);
    CHECK(after && before[i] && strcmp(after, before[i]) == 0);
    free(after);
    free(before[i]);
  }
  cli_shell(&R, "ls -A /tmp/wp_report | grep -c tmp");
  CHECK_CONTAINS(R.out, "0"); /* no stray temporary */
  cli_shell(&R, "rm -rf /tmp/wp_report /tmp/wp_report.yaml");
}

/* 7: what validate accepts, plan accepts; what plan refuses, validate refuses first, with a
** position. */
static void test_validate_is_plan(void)
{
  static const char *const cases[] = {
      "finance:\n  life_years_asic: 0.01\n",
      "finance:\n  convertible_issue_month: 10\n  convertible_maturity_month: 5\n",
      "scenario:\n  start: 9999-12\n",
      "conversion:\n  cooling: air\n",
      "market:\n  fees_btc_per_block: 50\n",
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[512];
    snprintf(text, sizeof text, "%ssites:\n  - {name: A, country: Norway, grid_mw: 10}\n",
             cases[i]);
    write_text("/tmp/wp_vp.yaml", text, strlen(text));
    cli_run(&R, "scenario validate /tmp/wp_vp.yaml");
    const int validate = R.code;
    const int positioned = has_position(R.err, "/tmp/wp_vp.yaml");
    cli_run(&R, "plan /tmp/wp_vp.yaml --no-store --json");
    if (!CHECK(validate == R.code))
      fprintf(stderr, "  case %zu: validate %d, plan %d: %s\n", i, validate, R.code, R.err);
    if (validate && !CHECK(positioned)) fprintf(stderr, "  case %zu: %s\n", i, R.err);
  }
  remove("/tmp/wp_vp.yaml");
}

/* 8: every refusal of a file carries file:line:column: cross-field ones, empty values, empty,
** UTF-16 and NUL-containing files. */
static void test_positions(void)
{
  static const struct {
    const char *text;
    size_t n;
  } cases[] = {
      {"regions:\n  - {name: EU, ai_it_mw_max: 5}\nsites:\n  - {name: A, country: Norway, "
       "grid_mw: 10, region: US}\n", 0},
      {"sites:\n  - {name: A, country: Norway, grid_mw: 10}\n  - {name: A, country: Norway, "
       "grid_mw: 10}\n", 0},
      {"sites:\n  - {name: A, country: Norway, grid_mw: }\n", 0},
      {"", 0},
      {"\xff\xfe" "s\0i\0", 6},
      {"sites:\n  - {name: A\0}\n", 22},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n = cases[i].n ? cases[i].n : strlen(cases[i].text);
    write_text("/tmp/wp_pos.yaml", cases[i].text, n);
    cli_run(&R, "scenario validate /tmp/wp_pos.yaml");
    CHECK_EQ_I64(R.code, 3);
    if (!CHECK(has_position(R.err, "/tmp/wp_pos.yaml")))
      fprintf(stderr, "  case %zu: %s\n", i, R.err);
  }
  remove("/tmp/wp_pos.yaml");
}

/* 9: no absurd number is printed, no cap is silent. */
static void test_absurd_values_and_caps(void)
{
  write_text("/tmp/wp_tasks.csv",
             "id,name,min_days,mode_days,max_days,predecessors\nA,a,1,2,1e308,\n", 63);
  cli_run(&R, "schedule --tasks /tmp/wp_tasks.csv --draws 10");
  CHECK_EQ_I64(R.code, 3);
  CHECK_CONTAINS(R.err, "/tmp/wp_tasks.csv:2:9: column max_days");
  remove("/tmp/wp_tasks.csv");
  cli_run(&R, "finance --pathway colo --grid-mw 10 --convert-fraction 1e-320");
  CHECK_EQ_I64(R.code, 3);
  CHECK(!strstr(R.out, "nan") && !strstr(R.out, "inf"));
  cli_run(&R, "mining --btc-price-usd 1e80");
  CHECK_EQ_I64(R.code, 3);
  /* The value-of-waiting study takes every candidate month (it stopped at 64 without a word). */
  /* (monthly starts make the planner's program three times larger: a short search suffices) */
  cli_shell(&R, "sed 's/^  convert_month_step: 3 /  convert_month_step: 1 /; "
                "s/^  solver_nodes: 200 /  solver_nodes: 5 /; "
                "s/^  wait_max_month: 60 /  wait_max_month: 100 /' " DEFAULT_YAML
                " | @WP risk - --paths 16 --json --quiet");
  CHECK_EQ_I64(R.code, 0);
  int candidates = 0;
  for (const char *p = strstr(R.out, "\"mean_uplift_usd\""); p; p = strstr(p + 1, "\"mean_uplift_usd\""))
    candidates++;
  CHECK_EQ_I64(candidates, 101);
}

/* 10: never overwrite what the user did not name as output; "-" is standard output; a store
** that cannot be written is bad input (3) said before any work. */
static void test_overwrites(void)
{
  write_text("/tmp/wp_notes.db", "SQLite format 3\n", 16);
  cli_run(&R, "finance --pathway colo --grid-mw 10 --ledger /tmp/wp_notes.db");
  CHECK_EQ_I64(R.code, 3);
  CHECK_CONTAINS(R.err, "is not a wattpivot ledger CSV");
  char *kept = ref_read_file("/tmp/wp_notes.db");
  CHECK(kept && strcmp(kept, "SQLite format 3\n") == 0);
  free(kept);
  remove("/tmp/wp_notes.db");
  cli_shell(&R, "@WP finance --pathway colo --grid-mw 10 --ledger - > /tmp/wp_ledger.csv");
  CHECK_EQ_I64(R.code, 0);
  CHECK_CONTAINS(R.err, "project NPV"); /* the report goes to stderr: stdout is the CSV */
  char *csv = ref_read_file("/tmp/wp_ledger.csv");
  CHECK(csv && strncmp(csv, "date,rev_mining_usd,", 20) == 0 && !strstr(csv, "project NPV"));
  free(csv);
  remove("/tmp/wp_ledger.csv");
  CHECK(access("-", F_OK) != 0); /* no file named "-" */
  cli_run(&R, "plan --no-store --out -");
  CHECK_EQ_I64(R.code, 2);
  CHECK_CONTAINS(R.err, "--out takes a folder");
  CHECK(access("-", F_OK) != 0); /* no folder named "-" either */
  cli_run(&R, "plan --db /proc/wp.db");
  CHECK_EQ_I64(R.code, 3);
  CHECK_CONTAINS(R.err, "cannot be opened for writing");
  CHECK_CONTAINS(R.err, "--no-store");
  CHECK(strstr(R.out, "NPV") == NULL); /* said before the plan ran: nothing printed */
}

int main(void)
{
  RUN(test_pipes_and_proc);
  RUN(test_non_utf8_byte);
  RUN(test_non_scalar_names);
  RUN(test_many_keys_and_size);
  RUN(test_write_errors);
  RUN(test_report_folder_whole);
  RUN(test_validate_is_plan);
  RUN(test_positions);
  RUN(test_absurd_values_and_caps);
  RUN(test_overwrites);
  return harness_report();
}
