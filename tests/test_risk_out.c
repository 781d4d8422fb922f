/*
** risk --out DIR (issue 17): the folder a risk run leaves for analysts. Every path's values read
** back equal the library's bit for bit; the quantile table's P5/P50/P95 equal the engine's; the
** report holds one chart per strategy with its markers; a folder that cannot be written is said
** before any work.
*/
#include "cli_run.h"

#include <math.h>

#include "harness.h"
#include "wattpivot.h"

static cli_result R;

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
    free(s);
    s = NULL;
  }
  if (s) s[n] = '\0';
  fclose(f);
  return s;
}

static void test_folder(void)
{
  cli_shell(&R, "rm -rf /tmp/wp_risk_out; @WP risk --paths 500 --seed 4 --quiet --out "
                "/tmp/wp_risk_out");
  CHECK_EQ_I64(R.code, 0);
  CHECK_CONTAINS(R.out, "Folder /tmp/wp_risk_out: summary.json");
  /* the library's own run with the same seed */
  wp_scenario *sc = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(sc && wp_scenario_load_default(sc, &err) == WP_OK)) return;
  wp_risk_opts o = WP_RISK_OPTS_DEFAULT;
  o.paths = 500;
  o.seed = 4;
  wp_risk_result *res = NULL;
  if (!CHECK(wp_risk_run(sc, &o, &res, &err) == WP_OK)) return;
  char *paths = slurp("/tmp/wp_risk_out/npv_paths.csv");
  if (CHECK(paths != NULL)) {
    const char *line = strchr(paths, '\n');
    size_t rows = 0, same = 0;
    while (line && line[1]) {
      const char *p = line + 1;
      char *end;
      size_t path = (size_t)strtoul(p, &end, 10);
      for (size_t k = 0; k < res->nstrategies && *end == ','; k++) {
        double npv = strtod(end + 1, &end), cash = strtod(end + 1, &end);
        same += npv == res->strategies[k].npv_usd[path] &&
                cash == res->strategies[k].min_cash_usd[path];
      }
      rows++;
      line = strchr(p, '\n');
    }
    CHECK_EQ_I64(rows, 500);
    CHECK_EQ_I64(same, 500 * res->nstrategies); /* every value read back exactly */
  }
  free(paths);
  char *q = slurp("/tmp/wp_risk_out/npv_quantiles.csv");
  if (CHECK(q != NULL)) {
    for (size_t k = 0; k < res->nstrategies; k++) {
      const wp_risk_strategy *s = &res->strategies[k];
      const int pct[3] = {5, 50, 95};
      const double want[3] = {s->npv_p5_usd, s->npv_p50_usd, s->npv_p95_usd};
      for (int i = 0; i < 3; i++) {
        char key[64];
        snprintf(key, sizeof key, "\n%s,%d,", s->name, pct[i]);
        const char *at = strstr(q, key);
        if (CHECK(at != NULL)) CHECK_REL(strtod(at + strlen(key), NULL), want[i], 1e-12);
      }
    }
  }
  free(q);
  char *html = slurp("/tmp/wp_risk_out/report.html");
  if (CHECK(html != NULL)) {
    size_t svgs = 0;
    for (const char *p = html; (p = strstr(p, "<svg")); p++)
      svgs++;
    CHECK_EQ_I64(svgs, res->nstrategies);
    CHECK_CONTAINS(html, "P(cash &lt; floor)");
    CHECK_CONTAINS(html, ">CVaR 5% $");
    CHECK_CONTAINS(html, "Value of waiting to convert");
  }
  free(html);
  char *meta = slurp("/tmp/wp_risk_out/meta.json");
  if (CHECK(meta != NULL)) {
    CHECK_CONTAINS(meta, wp_version());
    CHECK_CONTAINS(meta, "\"paths\":\t500");
  }
  free(meta);
  char *summary = slurp("/tmp/wp_risk_out/summary.json");
  cli_run(&R, "risk --paths 500 --seed 4 --json");
  if (CHECK(summary != NULL)) CHECK(strcmp(summary, R.out) == 0); /* = the --json output */
  free(summary);
  wp_risk_result_free(res);
  wp_scenario_free(sc);
  cli_shell(&R, "rm -rf /tmp/wp_risk_out");
}

static void test_folder_checked_first(void)
{
  cli_shell(&R, "touch /tmp/wp_risk_file; @WP risk --paths 100000000 --out /tmp/wp_risk_file/x");
  CHECK_EQ_I64(R.code, 3);
  CHECK_CONTAINS(R.err, "--out: cannot use /tmp/wp_risk_file/x: Not a directory");
  cli_run(&R, "risk --paths 10 --out -");
  CHECK_EQ_I64(R.code, 2);
  remove("/tmp/wp_risk_file");
}

int main(void)
{
  wp_init();
  RUN(test_folder);
  RUN(test_folder_checked_first);
  return harness_report();
}
