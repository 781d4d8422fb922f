/* store: runs saved to SQLite come back bit for bit; refusals name the file; the runs CLI. */
#include "cli_run.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <sys/stat.h>

/* The harness truncates long strings in failure messages on purpose; GCC cannot tell. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include "harness.h"
#include "wattpivot.h"

static char tmpdir[64];
static char db_path[128];

/* Bitwise equality of doubles; any NaN equals any NaN (NaN is stored as NULL, so its payload
** is not kept). */
static int same_double(double a, double b)
{
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
  return memcmp(&a, &b, sizeof a) == 0;
}

#define CHECK_SAME(got, want)                                                                      \
  do {                                                                                             \
    char m_[200];                                                                                  \
    snprintf(m_, sizeof m_, "%s bit-equal %s: got %.17g, want %.17g", #got, #want, (double)(got),  \
             (double)(want));                                                                      \
    harness_check(same_double(got, want), __FILE__, __LINE__, m_);                                 \
  } while (0)

static const char *names[3] = {"mining-only", "all-in", "hybrid"};

/* A synthetic plan: 3 strategies x 2 sites x 12 months, values chosen to stress the store
** (non-representable fractions, -0.0, a denormal, NaN, Inf, awkward text). variant 1 or 2. */
static wp_plan_out *make_plan(int variant)
{
  wp_plan_out *p = wp_plan_out_new(3, 2, 12);
  if (!p) return NULL;
  snprintf(p->scenario, sizeof p->scenario, variant == 1 ? "scenarios/a.yaml" : "built-in default");
  p->start = (wp_ym){2026, variant == 1 ? 1 : 7};
  p->hurdle_rate = 0.1 + variant / 3.0;
  /* run 1: NPVs 1.5e9, 2.25e9, 1.75e9 -> best all-in; run 2: -3e8, NaN, 1e8 -> best hybrid */
  static const double npv[2][3] = {{1.5e9, 2.25e9, 1.75e9}, {-3e8, NAN, 1e8}};
  for (size_t i = 0; i < 3; i++) {
    wp_strategy_out *st = &p->strategies[i];
    snprintf(st->name, sizeof st->name, "%s", names[i]);
    st->npv_usd = npv[variant - 1][i];
    st->irr = i == 1 ? NAN : 0.123456789 * (double)(i + 1) / 7.0;
    snprintf(st->irr_note, sizeof st->irr_note, "%s",
             i == 1 ? "none: flows never change sign" : "");
    st->peak_funding_usd = 4.1e8 / 3.0 * ((double)i + variant);
    st->min_cash_usd = -1.0 / 3.0 * 1e7 * (double)i;
    st->ai_it_mw_end = i == 0 ? -0.0 : 123.456 * (double)i;
    st->mining_mw_end = 987.654321 - (double)i;
    st->corporate_npv_usd = -2.5e7 / 7.0;
    for (size_t k = 0; k < 2; k++) {
      wp_site_out *s = &st->sites[k];
      snprintf(s->name, sizeof s->name, k == 0 ? "Site \"Alpha\", North" : "Rockdale'; --");
      snprintf(s->country, sizeof s->country, k == 0 ? "US" : "Norway");
      snprintf(s->decision, sizeof s->decision, i == 0 ? "keep mining" : "convert");
      snprintf(s->business_model, sizeof s->business_model, i == 0 ? "" : "colo");
      s->convert_month = i == 0 ? -1 : (int)(3 + k);
      s->energize_month = i == 0 ? -1 : (int)(9 + k);
      s->grid_mw = 100.0 * (double)(k + 1) + 0.1;
      s->converted_grid_mw = i == 0 ? 0.0 : s->grid_mw / 3.0;
      s->ai_it_mw = s->converted_grid_mw / 1.3;
      s->capex_usd = 1e7 * s->ai_it_mw;
      s->npv_usd = st->npv_usd / 3.0 + (double)k;
      s->mining_npv_usd = k == 1 ? NAN : 5e-324;
      snprintf(s->reason, sizeof s->reason,
               "NPV %s by $1.2M; it's \"better\"; DROP TABLE runs; -- variant %d", names[i],
               variant);
    }
    for (int c = 0; c < WP_SERIES_COUNT; c++)
      for (size_t m = 0; m < 12; m++)
        st->series[c][m] = (double)(c + 1) * 1e6 / 7.0 + (double)m / 3.0 + variant;
    st->series[WP_SERIES_CASH_USD][0] = -0.0;
    st->series[WP_SERIES_CAPEX_USD][5] = NAN;
    st->series[WP_SERIES_OPEX_USD][6] = INFINITY;
    st->series[WP_SERIES_POWER_USD][7] = -1.7976931348623157e308;
  }
  return p;
}

static wp_run_meta make_meta(int variant)
{
  wp_run_meta m = WP_RUN_META_INIT;
  snprintf(m.scenario, sizeof m.scenario, variant == 1 ? "scenarios/a.yaml" : "built-in default");
  m.scenario_text = variant == 1 ? "name: a\nsites:\n  - {name: \"Alpha\", grid_mw: 100}\n" : NULL;
  snprintf(m.created_utc, sizeof m.created_utc, "2025-11-0%dT10:00:0%dZ", variant, variant);
  snprintf(m.command, sizeof m.command, "wattpivot plan %s", m.scenario);
  m.wall_s = 0.125 * variant + 1e-9;
  return m;
}

static void compare_plans(const wp_plan_out *got, const wp_plan_out *want)
{
  CHECK_STR(got->scenario, want->scenario);
  CHECK_EQ_I64(got->start.year, want->start.year);
  CHECK_EQ_I64(got->start.month, want->start.month);
  CHECK_EQ_I64(got->months, want->months);
  CHECK_SAME(got->hurdle_rate, want->hurdle_rate);
  if (!CHECK(got->nstrategies == want->nstrategies)) return;
  for (size_t i = 0; i < want->nstrategies; i++) {
    const wp_strategy_out *g = &got->strategies[i], *w = &want->strategies[i];
    CHECK_STR(g->name, w->name);
    CHECK_SAME(g->npv_usd, w->npv_usd);
    CHECK_SAME(g->irr, w->irr);
    CHECK_STR(g->irr_note, w->irr_note);
    CHECK_SAME(g->peak_funding_usd, w->peak_funding_usd);
    CHECK_SAME(g->min_cash_usd, w->min_cash_usd);
    CHECK_SAME(g->ai_it_mw_end, w->ai_it_mw_end);
    CHECK_SAME(g->mining_mw_end, w->mining_mw_end);
    CHECK_SAME(g->corporate_npv_usd, w->corporate_npv_usd);
    if (!CHECK(g->nsites == w->nsites)) continue;
    for (size_t k = 0; k < w->nsites; k++) {
      const wp_site_out *gs = &g->sites[k], *ws = &w->sites[k];
      CHECK_STR(gs->name, ws->name);
      CHECK_STR(gs->country, ws->country);
      CHECK_STR(gs->decision, ws->decision);
      CHECK_STR(gs->business_model, ws->business_model);
      CHECK_EQ_I64(gs->convert_month, ws->convert_month);
      CHECK_EQ_I64(gs->energize_month, ws->energize_month);
      CHECK_SAME(gs->grid_mw, ws->grid_mw);
      CHECK_SAME(gs->converted_grid_mw, ws->converted_grid_mw);
      CHECK_SAME(gs->ai_it_mw, ws->ai_it_mw);
      CHECK_SAME(gs->capex_usd, ws->capex_usd);
      CHECK_SAME(gs->npv_usd, ws->npv_usd);
      CHECK_SAME(gs->mining_npv_usd, ws->mining_npv_usd);
      CHECK_STR(gs->reason, ws->reason);
    }
    int all_same = 1;
    for (int c = 0; c < WP_SERIES_COUNT; c++)
      for (size_t m = 0; m < want->months; m++)
        if (!same_double(g->series[c][m], w->series[c][m])) {
          all_same = 0;
          CHECK_SAME(g->series[c][m], w->series[c][m]);
        }
    CHECK(all_same);
  }
}

static int64_t run_ids[2];

static void test_save_list_load(void)
{
  wp_error err = WP_ERROR_INIT;
  wp_store *st = NULL;
  if (!CHECK(wp_store_open(db_path, &st, &err) == WP_OK)) {
    fprintf(stderr, "%s\n", err.msg);
    return;
  }
  for (int v = 1; v <= 2; v++) {
    wp_plan_out *p = make_plan(v);
    wp_run_meta meta = make_meta(v);
    CHECK(p != NULL);
    CHECK(wp_store_save_run(st, p, &meta, &run_ids[v - 1], &err) == WP_OK);
    wp_plan_out_free(p);
  }
  CHECK(run_ids[1] > run_ids[0]);

  size_t count = 0;
  int64_t lo = 0, hi = 0;
  CHECK(wp_store_count_runs(st, &count, &lo, &hi, &err) == WP_OK);
  CHECK_EQ_I64(count, 2);
  CHECK_EQ_I64(lo, run_ids[0]);
  CHECK_EQ_I64(hi, run_ids[1]);

  wp_run_summary rows[5];
  size_t n = 0;
  CHECK(wp_store_list_runs(st, rows, 5, &n, &err) == WP_OK);
  CHECK_EQ_I64(n, 2);
  if (n == 2) {
    CHECK_EQ_I64(rows[0].id, run_ids[1]); /* newest first */
    CHECK_EQ_I64(rows[1].id, run_ids[0]);
    CHECK_STR(rows[0].scenario, "built-in default");
    CHECK_STR(rows[0].created_utc, "2025-11-02T10:00:02Z");
    CHECK_STR(rows[0].version, wp_version());
    CHECK_EQ_I64(rows[0].start.month, 7);
    CHECK_EQ_I64(rows[0].months, 12);
    CHECK_EQ_I64(rows[0].nstrategies, 3);
    CHECK_STR(rows[0].best_strategy, "hybrid"); /* the NaN NPV is not a candidate */
    CHECK_SAME(rows[0].best_npv_usd, 1e8);
    CHECK_STR(rows[1].best_strategy, "all-in");
    CHECK_SAME(rows[1].best_npv_usd, 2.25e9);
  }
  CHECK(wp_store_list_runs(st, rows, 1, &n, &err) == WP_OK);
  CHECK_EQ_I64(n, 1);
  CHECK_EQ_I64(rows[0].id, run_ids[1]);

  for (int v = 1; v <= 2; v++) {
    wp_plan_out *want = make_plan(v), *got = NULL;
    wp_run_meta wm = make_meta(v), gm = WP_RUN_META_INIT;
    if (CHECK(wp_store_load_run(st, run_ids[v - 1], &got, &gm, &err) == WP_OK)) {
      compare_plans(got, want);
      CHECK(isnan(got->strategies[1].irr));
      CHECK(signbit(got->strategies[0].series[WP_SERIES_CASH_USD][0]));
      CHECK_STR(gm.scenario, wm.scenario);
      CHECK_STR(gm.created_utc, wm.created_utc);
      CHECK_STR(gm.version, wp_version());
      CHECK_STR(gm.command, wm.command);
      CHECK_SAME(gm.wall_s, wm.wall_s);
      if (wm.scenario_text)
        CHECK_STR(gm.scenario_text, wm.scenario_text);
      else
        CHECK(gm.scenario_text == NULL);
    } else {
      fprintf(stderr, "%s\n", err.msg);
    }
    wp_run_meta_release(&gm);
    wp_plan_out_free(got);
    wp_plan_out_free(want);
  }
  wp_store_close(st);
}

static void test_unknown_id_and_bad_input(void)
{
  wp_error err = WP_ERROR_INIT;
  wp_store *st = NULL;
  wp_plan_out *got = (wp_plan_out *)&err; /* must be reset to NULL */
  if (!CHECK(wp_store_open_readonly(db_path, &st, &err) == WP_OK)) return;
  CHECK(wp_store_load_run(st, 42, &got, NULL, &err) == WP_EINVAL);
  CHECK(got == NULL);
  CHECK_CONTAINS(err.msg, "run 42 not found");
  CHECK_CONTAINS(err.msg, db_path);
  char ids[64];
  snprintf(ids, sizeof ids, "%" PRId64 "..%" PRId64, run_ids[0], run_ids[1]);
  CHECK_CONTAINS(err.msg, ids);
  /* a read-only handle refuses to write */
  wp_plan_out *p = make_plan(1);
  CHECK(wp_store_save_run(st, p, NULL, NULL, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "read-only");
  wp_store_close(st);

  CHECK(wp_store_open(db_path, &st, &err) == WP_OK);
  wp_run_meta meta = make_meta(1);
  snprintf(meta.created_utc, sizeof meta.created_utc, "2025-13-01T00:00:00Z");
  CHECK(wp_store_save_run(st, p, &meta, NULL, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "2025-13-01T00:00:00Z");
  p->start = (wp_ym){2026, 0};
  CHECK(wp_store_save_run(st, p, NULL, NULL, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "2026-00");
  p->start = (wp_ym){2026, 1};
  CHECK(wp_store_save_run(st, NULL, NULL, NULL, &err) == WP_EINVAL);
  /* a scenario text above the cap is refused, naming the scenario and the cap */
  char *text = malloc(WP_STORE_SCENARIO_TEXT_MAX + 2);
  if (CHECK(text != NULL)) {
    memset(text, 'y', WP_STORE_SCENARIO_TEXT_MAX + 1);
    text[WP_STORE_SCENARIO_TEXT_MAX + 1] = '\0';
    meta = make_meta(1);
    meta.scenario_text = text;
    CHECK(wp_store_save_run(st, p, &meta, NULL, &err) == WP_EINVAL);
    CHECK_CONTAINS(err.msg, "scenarios/a.yaml");
    CHECK_CONTAINS(err.msg, "4194304 bytes");
    free(text);
  }
  size_t count = 0;
  CHECK(wp_store_count_runs(st, &count, NULL, NULL, &err) == WP_OK);
  CHECK_EQ_I64(count, 2); /* refusals stored nothing */
  wp_plan_out_free(p);
  wp_store_close(st);
  wp_store_close(NULL);
}

/* Set the raw schema version / add objects behind the store's back. */
static int raw_exec(const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open(path, &db);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  sqlite3_close(db);
  return rc;
}

static int64_t raw_count(const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  int64_t v = -1;
  if (sqlite3_open(path, &db) == SQLITE_OK &&
      sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

static void test_schema_refusals(void)
{
  char path[160];
  wp_error err = WP_ERROR_INIT;
  wp_store *st = NULL;

  snprintf(path, sizeof path, "%s/newer.db", tmpdir);
  CHECK(wp_store_open(path, &st, &err) == WP_OK);
  wp_store_close(st);
  CHECK_EQ_I64(raw_count(path, "PRAGMA user_version"), WP_STORE_SCHEMA_VERSION);
  CHECK(raw_exec(path, "PRAGMA user_version = 7") == SQLITE_OK);
  st = (wp_store *)&err;
  CHECK(wp_store_open(path, &st, &err) == WP_EINVAL);
  CHECK(st == NULL);
  CHECK_CONTAINS(err.msg, "schema version 7");
  CHECK_CONTAINS(err.msg, "newer wattpivot");
  CHECK_CONTAINS(err.msg, path);
  CHECK(wp_store_open_readonly(path, &st, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "schema version 7");
  CHECK_EQ_I64(raw_count(path, "PRAGMA user_version"), 7); /* left alone */
  static cli_result r;
  char args[512];
  snprintf(args, sizeof args, "runs list --db %s", path);
  cli_run(&r, args);
  CHECK_EQ_I64(r.code, 3);
  CHECK_CONTAINS(r.err, "newer wattpivot");
  unlink(path);

  snprintf(path, sizeof path, "%s/foreign.db", tmpdir);
  CHECK(raw_exec(path, "CREATE TABLE accounts(id INTEGER)") == SQLITE_OK);
  CHECK(wp_store_open(path, &st, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "another program");
  CHECK_EQ_I64(raw_count(path, "SELECT count(*) FROM sqlite_schema"), 1); /* untouched */
  unlink(path);

  snprintf(path, sizeof path, "%s/text.db", tmpdir);
  FILE *f = fopen(path, "w");
  if (f) {
    fputs("this is not a database, it is a long enough line of plain text to be read\n", f);
    fclose(f);
  }
  CHECK(wp_store_open(path, &st, &err) == WP_EIO);
  CHECK_CONTAINS(err.msg, path);
  CHECK_CONTAINS(err.msg, "not a database");
  unlink(path);

  CHECK(wp_store_open("/nonexistent-wp-dir/sub/x.db", &st, &err) == WP_EIO);
  CHECK_CONTAINS(err.msg, "/nonexistent-wp-dir/sub/x.db");
  CHECK(wp_store_open(tmpdir, &st, &err) != WP_OK); /* a directory */
  CHECK_CONTAINS(err.msg, tmpdir);
  CHECK(wp_store_open("", &st, &err) == WP_EINVAL);

  snprintf(path, sizeof path, "%s/missing.db", tmpdir);
  CHECK(wp_store_open_readonly(path, &st, &err) == WP_EIO);
  CHECK_CONTAINS(err.msg, "no runs stored yet");
  CHECK(access(path, F_OK) != 0); /* not created */

  /* an empty file opened read-only: a store with no runs */
  f = fopen(path, "w");
  if (f) fclose(f);
  if (CHECK(wp_store_open_readonly(path, &st, &err) == WP_OK)) {
    size_t n = 9;
    wp_run_summary row;
    CHECK(wp_store_list_runs(st, &row, 1, &n, &err) == WP_OK);
    CHECK_EQ_I64(n, 0);
    wp_plan_out *p = NULL;
    CHECK(wp_store_load_run(st, 1, &p, NULL, &err) == WP_EINVAL);
    CHECK_CONTAINS(err.msg, "no runs stored yet");
    wp_store_close(st);
  }
  unlink(path);
}

/* A failure in the middle of a run's inserts leaves nothing of the run behind. */
static void test_all_or_nothing(void)
{
  char path[160];
  wp_error err = WP_ERROR_INIT;
  wp_store *st = NULL;
  snprintf(path, sizeof path, "%s/atomic.db", tmpdir);
  if (!CHECK(wp_store_open(path, &st, &err) == WP_OK)) return;
  wp_plan_out *p = make_plan(1);
  CHECK(wp_store_save_run(st, p, NULL, NULL, &err) == WP_OK);
  CHECK(raw_exec(path,
                 "CREATE TRIGGER boom BEFORE INSERT ON series WHEN NEW.month = 11 AND "
                 "NEW.strategy_idx = 2 BEGIN SELECT RAISE(ABORT, 'disk full'); END") == SQLITE_OK);
  CHECK(wp_store_save_run(st, p, NULL, NULL, &err) == WP_EDB);
  CHECK_CONTAINS(err.msg, "disk full");
  CHECK_CONTAINS(err.msg, path);
  CHECK_EQ_I64(raw_count(path, "SELECT count(*) FROM runs"), 1);
  CHECK_EQ_I64(raw_count(path, "SELECT count(*) FROM strategies"), 3);
  CHECK_EQ_I64(raw_count(path, "SELECT count(*) FROM sites"), 6);
  CHECK_EQ_I64(raw_count(path, "SELECT count(*) FROM series"), 36);
  /* the store stays usable after the failure */
  CHECK(raw_exec(path, "DROP TRIGGER boom") == SQLITE_OK);
  int64_t id = 0;
  CHECK(wp_store_save_run(st, p, NULL, &id, &err) == WP_OK);
  CHECK_EQ_I64(raw_count(path, "SELECT count(*) FROM runs"), 2);
  /* created_utc defaults to now, in the documented form */
  wp_run_meta gm = WP_RUN_META_INIT;
  wp_plan_out *got = NULL;
  if (CHECK(wp_store_load_run(st, id, &got, &gm, &err) == WP_OK)) {
    CHECK_EQ_I64(strlen(gm.created_utc), 20);
    CHECK(gm.created_utc[10] == 'T' && gm.created_utc[19] == 'Z');
    CHECK(strncmp(gm.created_utc, "20", 2) == 0);
    CHECK(isnan(gm.wall_s));
    compare_plans(got, p);
  }
  wp_run_meta_release(&gm);
  wp_plan_out_free(got);
  /* a damaged run is reported, not half-loaded */
  CHECK(raw_exec(path, "DELETE FROM series WHERE month = 4 AND run_id = 1") == SQLITE_OK);
  got = NULL;
  CHECK(wp_store_load_run(st, 1, &got, NULL, &err) == WP_EDB);
  CHECK(got == NULL);
  CHECK_CONTAINS(err.msg, "damaged");
  wp_plan_out_free(p);
  wp_store_close(st);
  unlink(path);
}

/* Two processes writing the same file at once: each waits for the other's lock. */
static void test_concurrent_writers(void)
{
  enum { PER_PROCESS = 8 };
  char path[160];
  snprintf(path, sizeof path, "%s/concurrent.db", tmpdir);
  fflush(NULL);
  pid_t child = fork();
  if (child == 0) {
    wp_error err = WP_ERROR_INIT;
    wp_store *st = NULL;
    wp_plan_out *p = make_plan(2);
    int ok = p && wp_store_open(path, &st, &err) == WP_OK;
    for (int i = 0; ok && i < PER_PROCESS; i++)
      ok = wp_store_save_run(st, p, NULL, NULL, &err) == WP_OK;
    if (!ok) fprintf(stderr, "child: %s\n", err.msg);
    wp_store_close(st);
    wp_plan_out_free(p);
    _exit(ok ? 0 : 1);
  }
  if (!CHECK(child > 0)) return;
  wp_error err = WP_ERROR_INIT;
  wp_store *st = NULL;
  wp_plan_out *p = make_plan(1);
  int ok = wp_store_open(path, &st, &err) == WP_OK;
  for (int i = 0; ok && i < PER_PROCESS; i++)
    ok = wp_store_save_run(st, p, NULL, NULL, &err) == WP_OK;
  if (!ok) fprintf(stderr, "parent: %s\n", err.msg);
  CHECK(ok);
  int status = 0;
  CHECK(waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  size_t count = 0;
  CHECK(wp_store_count_runs(st, &count, NULL, NULL, &err) == WP_OK);
  CHECK_EQ_I64(count, 2 * PER_PROCESS);
  CHECK_EQ_I64(raw_count(path, "SELECT count(*) FROM series"), 2 * PER_PROCESS * 36);
  wp_store_close(st);
  wp_plan_out_free(p);
  unlink(path);
}

static void test_command_line(void)
{
  wp_run_meta m = WP_RUN_META_INIT;
  char *argv[] = {"wattpivot", "plan", "my scenario.yaml", "--db", "it's.db", "", "--x=1"};
  wp_run_meta_set_command(&m, 7, argv);
  CHECK_STR(m.command, "wattpivot plan 'my scenario.yaml' --db 'it'\\''s.db' '' --x=1");
  static char big[5000];
  memset(big, 'a', sizeof big - 1);
  char *argv2[] = {"wattpivot", big};
  wp_run_meta_set_command(&m, 2, argv2);
  size_t len = strlen(m.command);
  CHECK(len < sizeof m.command);
  CHECK(len > 4 && strcmp(m.command + len - 4, " ...") == 0);
  wp_run_meta_set_command(&m, 0, NULL);
  CHECK_STR(m.command, "");
}

static double json_double(const cJSON *o, const char *key)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static void test_cli_list(void)
{
  static cli_result r;
  char args[512];
  snprintf(args, sizeof args, "runs list --db %s --json", db_path);
  cli_run(&r, args);
  CHECK_EQ_I64(r.code, 0);
  cJSON *doc = cJSON_Parse(r.out);
  if (!CHECK(doc != NULL)) return;
  CHECK_EQ_I64(json_double(doc, "total"), 2);
  const cJSON *runs = cJSON_GetObjectItemCaseSensitive(doc, "runs");
  if (CHECK(cJSON_GetArraySize(runs) == 2)) {
    const cJSON *first = cJSON_GetArrayItem(runs, 0), *second = cJSON_GetArrayItem(runs, 1);
    CHECK_EQ_I64(json_double(first, "run_id"), run_ids[1]);
    CHECK_EQ_I64(json_double(second, "run_id"), run_ids[0]);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(first, "best_strategy")), "hybrid");
    CHECK_SAME(json_double(first, "best_npv_usd"), 1e8);
    CHECK_SAME(json_double(second, "best_npv_usd"), 2.25e9);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(second, "scenario")), "scenarios/a.yaml");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(second, "start")), "2026-01");
    CHECK_EQ_I64(json_double(second, "months"), 12);
    CHECK_EQ_I64(json_double(second, "nstrategies"), 3);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(second, "created_utc")),
              "2025-11-01T10:00:01Z");
  }
  cJSON_Delete(doc);

  snprintf(args, sizeof args, "runs list --db %s", db_path);
  cli_run(&r, args);
  CHECK_EQ_I64(r.code, 0);
  CHECK_CONTAINS(r.out, "created (UTC)");
  CHECK_CONTAINS(r.out, "NPV ($M)");
  CHECK_CONTAINS(r.out, "2,250.0");
  CHECK_CONTAINS(r.out, "2026-07 +12 mo");
  CHECK(strstr(r.out, "hybrid") < strstr(r.out, "all-in")); /* newest first */

  snprintf(args, sizeof args, "runs list --db %s --limit 1", db_path);
  cli_run(&r, args);
  CHECK_EQ_I64(r.code, 0);
  CHECK(strstr(r.out, "all-in") == NULL);
  CHECK_CONTAINS(r.out, "1 older runs not shown");

  cli_run(&r, "runs list --db /nonexistent.db");
  CHECK_EQ_I64(r.code, 3);
  CHECK_CONTAINS(r.err, "no runs stored yet");
  CHECK_CONTAINS(r.err, "/nonexistent.db");
  CHECK(access("/nonexistent.db", F_OK) != 0);
  cli_run(&r, "runs list --db /nonexistent.db --json");
  CHECK_EQ_I64(r.code, 3);
  CHECK_EQ_I64(strlen(r.out), 0);
  cli_run(&r, "runs list --limit 0");
  CHECK_EQ_I64(r.code, 3);
  cli_run(&r, "runs");
  CHECK_EQ_I64(r.code, 2);
  cli_run(&r, "runs purge");
  CHECK_EQ_I64(r.code, 2);
  CHECK_CONTAINS(r.err, "list, show");
}

static void test_cli_show(void)
{
  static cli_result r;
  char args[512];
  snprintf(args, sizeof args, "runs show %" PRId64 " --db %s --json --series", run_ids[0], db_path);
  cli_run(&r, args);
  CHECK_EQ_I64(r.code, 0);
  cJSON *doc = cJSON_Parse(r.out);
  if (!CHECK(doc != NULL)) return;
  wp_plan_out *want = make_plan(1);
  wp_run_meta wm = make_meta(1);
  CHECK_EQ_I64(json_double(doc, "run_id"), run_ids[0]);
  CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "created_utc")), wm.created_utc);
  CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "scenario_source")), wm.scenario);
  CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "command")), wm.command);
  CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "start")), "2026-01");
  CHECK_SAME(json_double(doc, "hurdle_rate"), want->hurdle_rate);
  CHECK_EQ_I64(json_double(doc, "scenario_text_bytes"), strlen(wm.scenario_text));
  const cJSON *strats = cJSON_GetObjectItemCaseSensitive(doc, "strategies");
  if (CHECK(cJSON_GetArraySize(strats) == 3)) {
    for (int i = 0; i < 3; i++) {
      const cJSON *s = cJSON_GetArrayItem(strats, i);
      const wp_strategy_out *w = &want->strategies[i];
      CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(s, "name")), w->name);
      CHECK_SAME(json_double(s, "npv_usd"), w->npv_usd);
      CHECK_SAME(json_double(s, "peak_funding_usd"), w->peak_funding_usd);
      CHECK_SAME(json_double(s, "corporate_npv_usd"), w->corporate_npv_usd);
      if (isnan(w->irr))
        CHECK(cJSON_IsNull(cJSON_GetObjectItem(s, "irr")));
      else
        CHECK_SAME(json_double(s, "irr"), w->irr);
      const cJSON *sites = cJSON_GetObjectItemCaseSensitive(s, "sites");
      if (CHECK(cJSON_GetArraySize(sites) == 2)) {
        const cJSON *s0 = cJSON_GetArrayItem(sites, 0);
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(s0, "name")), "Site \"Alpha\", North");
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(s0, "reason")), w->sites[0].reason);
        /* The plan's JSON schema: a site that does not convert has convert_month null. */
        if (w->sites[0].convert_month < 0)
          CHECK(cJSON_IsNull(cJSON_GetObjectItem(s0, "convert_month")));
        else
          CHECK_EQ_I64(json_double(s0, "convert_month"), w->sites[0].convert_month);
        CHECK_SAME(json_double(s0, "capex_usd"), w->sites[0].capex_usd);
      }
      const cJSON *cash = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "series"), "cash_usd");
      const cJSON *capex = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "series"), "capex_usd");
      if (CHECK(cJSON_GetArraySize(cash) == 12 && cJSON_GetArraySize(capex) == 12)) {
        for (int m = 0; m < 12; m++)
          CHECK_SAME(cJSON_GetArrayItem(cash, m)->valuedouble, w->series[WP_SERIES_CASH_USD][m]);
        CHECK(cJSON_IsNull(cJSON_GetArrayItem(capex, 5))); /* NaN -> null */
        CHECK_SAME(cJSON_GetArrayItem(capex, 4)->valuedouble, w->series[WP_SERIES_CAPEX_USD][4]);
      }
    }
  }
  cJSON_Delete(doc);
  wp_plan_out_free(want);

  snprintf(args, sizeof args, "runs show %" PRId64 " --db %s --json", run_ids[0], db_path);
  cli_run(&r, args);
  CHECK_EQ_I64(r.code, 0);
  CHECK(strstr(r.out, "\"series\"") == NULL);

  snprintf(args, sizeof args, "runs show %" PRId64 " --db %s", run_ids[0], db_path);
  cli_run(&r, args);
  CHECK_EQ_I64(r.code, 0);
  CHECK_CONTAINS(r.out, "NPV ($M)");
  CHECK_CONTAINS(r.out, "2,250.0");
  CHECK_CONTAINS(r.out, "IRR of all-in: none: flows never change sign");
  CHECK_CONTAINS(r.out, "convert 2026-04"); /* month 3 of a grid starting 2026-01 */

  snprintf(args, sizeof args, "runs show %" PRId64 " --db %s --scenario", run_ids[0], db_path);
  cli_run(&r, args);
  CHECK_EQ_I64(r.code, 0);
  CHECK_STR(r.out, wm.scenario_text);
  snprintf(args, sizeof args, "runs show %" PRId64 " --db %s --scenario", run_ids[1], db_path);
  cli_run(&r, args);
  CHECK_EQ_I64(r.code, 3);
  CHECK_CONTAINS(r.err, "no stored scenario text");

  snprintf(args, sizeof args, "runs show 999 --db %s --json", db_path);
  cli_run(&r, args);
  CHECK_EQ_I64(r.code, 3);
  CHECK_CONTAINS(r.err, "run 999 not found");
  CHECK_EQ_I64(strlen(r.out), 0);
  snprintf(args, sizeof args, "runs show abc --db %s", db_path);
  cli_run(&r, args);
  CHECK_EQ_I64(r.code, 3);
  CHECK_CONTAINS(r.err, "'abc'");
  snprintf(args, sizeof args, "runs show --db %s", db_path);
  cli_run(&r, args);
  CHECK_EQ_I64(r.code, 2);
  cli_run(&r, "runs show 1 --db /nonexistent.db");
  CHECK_EQ_I64(r.code, 3);
  CHECK_CONTAINS(r.err, "no runs stored yet");
}

/* Risk runs (schema 2) beside plan runs: kept with their statistics bit for bit, listed with
** their kind and paths, shown by `runs show`; a version-1 store (the fuzz corpus's, made before
** risk runs) still reads read-only and upgrades when opened to write, its run intact. */
static void test_risk_runs(void)
{
  char path[160], v1[160], cmd[512];
  snprintf(path, sizeof path, "%s/risk.db", tmpdir);
  wp_scenario *sc = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(sc && wp_scenario_load_default(sc, &err) == WP_OK)) return;
  wp_risk_opts o = WP_RISK_OPTS_DEFAULT;
  o.paths = 64;
  o.seed = 3;
  wp_risk_result *res = NULL;
  if (!CHECK(wp_risk_run(sc, &o, &res, &err) == WP_OK)) return;
  wp_store *st = NULL;
  int64_t id = 0;
  if (CHECK(wp_store_open(path, &st, &err) == WP_OK)) {
    wp_run_meta meta = WP_RUN_META_INIT;
    snprintf(meta.scenario, sizeof meta.scenario, "built-in default");
    CHECK(wp_store_save_risk(st, res, sc->name, 0.1, &meta, &id, &err) == WP_OK);
    wp_risk_row rows[8];
    size_t n = 0, paths = 0;
    uint64_t seed = 0;
    CHECK(wp_store_load_risk(st, id, rows, 8, &n, &paths, &seed, &err) == WP_OK);
    CHECK_EQ_I64(n, res->nstrategies);
    CHECK_EQ_I64(paths, 64);
    CHECK_EQ_I64(seed, 3);
    for (size_t k = 0; k < n && k < res->nstrategies; k++) {
      CHECK_STR(rows[k].name, res->strategies[k].name);
      CHECK(same_double(rows[k].npv_mean_usd, res->strategies[k].npv_mean_usd));
      CHECK(same_double(rows[k].cvar5_usd, res->strategies[k].cvar5_usd));
      CHECK(same_double(rows[k].p_cash_shortfall, res->strategies[k].p_cash_shortfall));
    }
    wp_run_summary sum[4];
    CHECK(wp_store_list_runs(st, sum, 4, &n, &err) == WP_OK);
    CHECK_EQ_I64(n, 1);
    CHECK_STR(sum[0].kind, "risk");
    CHECK_EQ_I64(sum[0].paths, 64);
    /* a plan id is not a risk run */
    CHECK(wp_store_load_risk(st, id + 1, rows, 8, &n, NULL, NULL, &err) == WP_EINVAL);
    wp_store_close(st);
  }
  wp_risk_result_free(res);
  wp_scenario_free(sc);
  /* the command: risk keeps its run unless --no-store; runs list and show see it */
  snprintf(cmd, sizeof cmd,
           "@WP risk --paths 32 --quiet --db %s > /dev/null && @WP risk --paths 32 --quiet "
           "--no-store > /dev/null && @WP runs list --db %s && @WP runs show 2 --db %s",
           path, path, path);
  static cli_result r;
  cli_shell(&r, cmd);
  CHECK_EQ_I64(r.code, 0);
  CHECK_CONTAINS(r.out, "     2  risk");
  CHECK(strstr(r.out, "     3  ") == NULL); /* --no-store kept nothing */
  CHECK_CONTAINS(r.out, "Risk run 2 in");
  CHECK_CONTAINS(r.out, "32 paths, seed 1");
  /* a version-1 store: readable as it is, upgraded on a write, its plan run intact */
  snprintf(v1, sizeof v1, "%s/v1.db", tmpdir);
  snprintf(cmd, sizeof cmd, "cp %s/tests/fuzz/corpus/store/one-run.db %s", WP_SOURCE_DIR, v1);
  CHECK(system(cmd) == 0);
  CHECK_EQ_I64(raw_count(v1, "PRAGMA user_version"), 1);
  snprintf(cmd, sizeof cmd, "runs list --db %s --json", v1);
  cli_run(&r, cmd);
  CHECK_EQ_I64(r.code, 0);
  CHECK_CONTAINS(r.out, "\"kind\":\t\"plan\"");
  snprintf(cmd, sizeof cmd, "risk --paths 8 --quiet --db %s", v1);
  cli_run(&r, cmd);
  CHECK_EQ_I64(r.code, 0);
  CHECK_EQ_I64(raw_count(v1, "PRAGMA user_version"), WP_STORE_SCHEMA_VERSION);
  snprintf(cmd, sizeof cmd, "runs list --db %s", v1);
  cli_run(&r, cmd);
  CHECK_CONTAINS(r.out, "     1  plan");
  CHECK_CONTAINS(r.out, "     2  risk");
  unlink(path);
  unlink(v1);
}

int main(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/wp_store_XXXXXX");
  if (!mkdtemp(tmpdir)) {
    perror("mkdtemp");
    return 1;
  }
  snprintf(db_path, sizeof db_path, "%s/runs.db", tmpdir);
  RUN(test_save_list_load);
  RUN(test_unknown_id_and_bad_input);
  RUN(test_schema_refusals);
  RUN(test_all_or_nothing);
  RUN(test_concurrent_writers);
  RUN(test_command_line);
  RUN(test_cli_list);
  RUN(test_cli_show);
  RUN(test_risk_runs);
  unlink(db_path);
  if (rmdir(tmpdir) != 0) {
    perror(tmpdir);
    harness_check(0, __FILE__, __LINE__, "temporary directory left non-empty");
  }
  return harness_report();
}
