/* The SQLite results store (see wattpivot/store.h and docs/store.md): schema, migrations,
** saving a run in one transaction and reading it back. Only prepared statements with bound
** parameters touch user text; the few SQL strings built here are made of our own names. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wattpivot/calendar.h"
#include "wattpivot/output.h"
#include "wattpivot/store.h"

/* PRAGMA application_id: "WPVT", so a store is told apart from other SQLite files. */
#define STORE_APP_ID 0x57505654

struct wp_store {
  sqlite3 *db;
  int readonly;
  int empty;      /* read-only file without any schema: a store with no runs */
  int64_t schema; /* its schema version (a read-only store may be older: then no risk runs) */
  char path[];
};

/* ---------------------------------------------------------------- errors and helpers */

/* err = "results store 'PATH': <what>: <sqlite message>" with code; call before finalizing. */
static wp_status db_fail(const wp_store *s, wp_error *err, wp_status code, const char *what)
{
  return wp_error_set(err, code, "results store '%s': %s: %s", s->path, what,
                      sqlite3_errmsg(s->db));
}

/* Run constant SQL (never user text). */
static wp_status exec_sql(const wp_store *s, const char *sql, const char *what, wp_error *err)
{
  if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) return db_fail(s, err, WP_EDB, what);
  return WP_OK;
}

static wp_status prepare(const wp_store *s, const char *sql, sqlite3_stmt **st, wp_error *err)
{
  *st = NULL;
  if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
    return db_fail(s, err, WP_EDB, "preparing a statement");
  return WP_OK;
}

/* Roll back an open transaction, keeping the error already recorded. */
static void rollback(const wp_store *s)
{
  if (!sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Length of a fixed-size char field that may lack its terminator. */
static int field_len(const char *field, size_t size)
{
  return (int)strnlen(field, size);
}

static int bind_field(sqlite3_stmt *st, int i, const char *field, size_t size)
{
  return sqlite3_bind_text(st, i, field, field_len(field, size), SQLITE_STATIC);
}

/* NaN is stored as NULL: SQLite has no NaN. */
static int bind_real(sqlite3_stmt *st, int i, double v)
{
  return isnan(v) ? sqlite3_bind_null(st, i) : sqlite3_bind_double(st, i, v);
}

static double column_real(sqlite3_stmt *st, int i)
{
  return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

/* Copy a TEXT column into dst[0..n-1] (truncated, always terminated; NULL -> ""). */
static void column_copy(sqlite3_stmt *st, int i, char *dst, size_t n)
{
  const unsigned char *t = sqlite3_column_text(st, i);
  size_t len = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
  if (len >= n) len = n - 1;
  if (len) memcpy(dst, t, len);
  dst[len] = '\0';
}

/* ---------------------------------------------------------------- schema */

/* Judgment: each wp_series is one column of `series`; adding a series needs a schema version
** (a migration adding the column) so old stores keep loading. */
_Static_assert(WP_SERIES_COUNT == 12, "a new wp_series needs a store schema migration");

/* Doubles are declared without a type: a REAL column would store -0.0 as integer 0, and the
** store promises bit-for-bit round trips. */
/* clang-format off */
static const char schema_v1_fixed[] =
  "CREATE TABLE runs("
  "\n  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "\n  created_utc TEXT NOT NULL,"
  "\n  scenario TEXT NOT NULL,"
  "\n  scenario_name TEXT NOT NULL,"
  "\n  scenario_text TEXT,"
  "\n  version TEXT NOT NULL,"
  "\n  command TEXT NOT NULL,"
  "\n  start_ym TEXT NOT NULL,"
  "\n  months INTEGER NOT NULL,"
  "\n  hurdle_rate,"
  "\n  wall_s\n);"
  "\nCREATE INDEX runs_created ON runs(created_utc);"
  "\nCREATE TABLE strategies("
  "\n  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  "\n  idx INTEGER NOT NULL,"
  "\n  name TEXT NOT NULL,"
  "\n  npv_usd, irr, irr_note TEXT NOT NULL, peak_funding_usd, min_cash_usd,"
  "\n  ai_it_mw_end, mining_mw_end, corporate_npv_usd,"
  "\n  nsites INTEGER NOT NULL,"
  "\n  PRIMARY KEY(run_id, idx)\n);"
  "\nCREATE TABLE sites("
  "\n  run_id INTEGER NOT NULL, strategy_idx INTEGER NOT NULL, idx INTEGER NOT NULL,"
  "\n  name TEXT NOT NULL, country TEXT NOT NULL, decision TEXT NOT NULL,"
  "\n  business_model TEXT NOT NULL, convert_month INTEGER NOT NULL,"
  "\n  energize_month INTEGER NOT NULL, grid_mw, converted_grid_mw, ai_it_mw, capex_usd,"
  "\n  npv_usd, mining_npv_usd, reason TEXT NOT NULL,"
  "\n  PRIMARY KEY(run_id, strategy_idx, idx),"
  "\n  FOREIGN KEY(run_id, strategy_idx) REFERENCES strategies(run_id, idx) ON DELETE CASCADE\n);\n";
/* clang-format on */

/* "a, b, c" of the series columns (our names, from wp_series_name). */
static wp_status series_columns(char *buf, size_t n, wp_error *err)
{
  size_t used = 0;
  buf[0] = '\0';
  for (int k = 0; k < WP_SERIES_COUNT; k++) {
    int w = snprintf(buf + used, n - used, "%s%s", k ? ", " : "", wp_series_name((wp_series)k));
    if (w < 0 || (size_t)w >= n - used)
      return wp_error_set(err, WP_ENOMEM, "series column list exceeds %zu bytes", n);
    used += (size_t)w;
  }
  return WP_OK;
}

static wp_status migrate_0_to_1(wp_store *s, wp_error *err)
{
  char cols[1024], sql[2048];
  wp_status rc = exec_sql(s, schema_v1_fixed, "creating the schema", err);
  if (rc) return rc;
  if ((rc = series_columns(cols, sizeof cols, err))) return rc;
  snprintf(sql, sizeof sql,
           "CREATE TABLE series(\n  run_id INTEGER NOT NULL, strategy_idx INTEGER NOT NULL,"
           " month INTEGER NOT NULL,\n  %s,\n  PRIMARY KEY(run_id, strategy_idx, month),\n"
           "  FOREIGN KEY(run_id, strategy_idx) REFERENCES strategies(run_id, idx)"
           " ON DELETE CASCADE\n);",
           cols);
  return exec_sql(s, sql, "creating the series table", err);
}

/* Version 2: risk runs. A risk run is a row of runs (who, what, when) with its statistics here;
** the per-path values are not kept (risk --out writes them). */
static wp_status migrate_1_to_2(wp_store *s, wp_error *err)
{
  return exec_sql(s,
                  "CREATE TABLE risk_runs(\n"
                  "  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,\n"
                  "  paths INTEGER NOT NULL, seed INTEGER NOT NULL, btc_model TEXT NOT NULL,\n"
                  "  wait_site TEXT NOT NULL, value_of_waiting_usd\n);\n"
                  "CREATE TABLE risk_strategies(\n"
                  "  run_id INTEGER NOT NULL REFERENCES risk_runs(run_id) ON DELETE CASCADE,\n"
                  "  idx INTEGER NOT NULL, name TEXT NOT NULL,\n"
                  "  plan_npv_usd, npv_mean_usd, npv_p5_usd, npv_p50_usd, npv_p95_usd, cvar5_usd,\n"
                  "  p_cash_shortfall, p_beats_mining_only,\n"
                  "  PRIMARY KEY(run_id, idx)\n);",
                  "creating the risk tables", err);
}

/* migrations[v] upgrades schema version v to v+1. */
static wp_status (*const migrations[WP_STORE_SCHEMA_VERSION])(wp_store *, wp_error *) = {
    migrate_0_to_1,
    migrate_1_to_2,
};

static wp_status refuse_newer(const wp_store *s, int64_t version, wp_error *err)
{
  return wp_error_set(err, WP_EINVAL,
                      "results store '%s' has schema version %" PRId64
                      ", written by a newer wattpivot; this wattpivot %s reads versions up to "
                      "%d: upgrade wattpivot or choose another file with --db",
                      s->path, version, wp_version(), WP_STORE_SCHEMA_VERSION);
}

static wp_status refuse_foreign(const wp_store *s, wp_error *err)
{
  return wp_error_set(err, WP_EINVAL,
                      "'%s' is a SQLite database of another program, not a wattpivot results "
                      "store; choose another file with --db",
                      s->path);
}

/* The first read of the file: tells "not a database" from other failures. */
static wp_status read_version(const wp_store *s, int64_t *version, int64_t *app_id,
                              int64_t *ntables, wp_error *err)
{
  sqlite3_stmt *st;
  wp_status rc = prepare(s,
                         "SELECT (SELECT user_version FROM pragma_user_version),"
                         " (SELECT application_id FROM pragma_application_id),"
                         " (SELECT count(*) FROM sqlite_schema)",
                         &st, err);
  if (rc) {
    int ec = sqlite3_errcode(s->db) & 0xff; /* primary code of an extended one */
    if (ec == SQLITE_NOTADB || ec == SQLITE_CANTOPEN || ec == SQLITE_IOERR)
      rc = wp_error_set(err, WP_EIO,
                        "results store '%s' cannot be read: %s; choose another file with --db",
                        s->path, sqlite3_errmsg(s->db));
    return rc;
  }
  if (sqlite3_step(st) != SQLITE_ROW) {
    rc = db_fail(s, err, WP_EDB, "reading the schema version");
  } else {
    *version = sqlite3_column_int64(st, 0);
    *app_id = sqlite3_column_int64(st, 1);
    *ntables = sqlite3_column_int64(st, 2);
  }
  sqlite3_finalize(st);
  return rc;
}

/* Under the write lock: re-read the version (another process may have just migrated), check
** the file is ours, run the missing migrations, stamp version and application id. */
static wp_status migrate(wp_store *s, wp_error *err)
{
  int64_t version = 0, app_id = 0, ntables = 0;
  char sql[96];
  wp_status rc = exec_sql(s, "BEGIN IMMEDIATE", "locking the store to create its schema", err);
  if (rc) return rc;
  if ((rc = read_version(s, &version, &app_id, &ntables, err))) goto fail;
  if (version > WP_STORE_SCHEMA_VERSION) {
    rc = refuse_newer(s, version, err);
    goto fail;
  }
  if (app_id != STORE_APP_ID && (version > 0 || ntables > 0)) {
    rc = refuse_foreign(s, err);
    goto fail;
  }
  for (int64_t v = version; v < WP_STORE_SCHEMA_VERSION; v++)
    if ((rc = migrations[v](s, err))) goto fail;
  snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d",
           WP_STORE_SCHEMA_VERSION, STORE_APP_ID);
  if ((rc = exec_sql(s, sql, "stamping the schema version", err))) goto fail;
  return exec_sql(s, "COMMIT", "committing the schema", err);
fail:
  rollback(s);
  return rc;
}

/* ---------------------------------------------------------------- open and close */

/* A store to write must be a file this process can open for writing (or create): tried with
** open(2) itself, so the message says the system's real reason (access(2) says yes to root for
** what it then cannot write, and SQLite's errno is of another call). A file this creates is
** left empty: SQLite takes an empty file as a new store. */
static wp_status check_writable(const char *path, wp_error *err)
{
  int fd = open(path, O_RDWR | O_CREAT, 0666);
  if (fd >= 0) {
    close(fd);
    return WP_OK;
  }
  int e = errno;
  return wp_error_set(err, WP_EIO,
                      "results store '%s' cannot be opened for writing: %s (--db FILE chooses "
                      "another store, --no-store skips it)",
                      path, strerror(e));
}

static wp_status open_db(const char *path, int readonly, wp_store **out, wp_error *err)
{
  if (!out) return wp_error_set(err, WP_EINVAL, "wp_store_open: out is NULL");
  *out = NULL;
  if (!path || !path[0])
    return wp_error_set(err, WP_EINVAL, "results store path is empty; give a file name");
  size_t len = strlen(path);
  wp_store *s = calloc(1, sizeof *s + len + 1);
  if (!s) return wp_error_set(err, WP_ENOMEM, "out of memory opening '%s'", path);
  memcpy(s->path, path, len + 1);
  s->readonly = readonly;
  if (!readonly) { /* say the real cause before SQLite does (its errno is of another call) */
    wp_status rc = check_writable(path, err);
    if (rc) {
      free(s);
      return rc;
    }
  }
  int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  int orc = sqlite3_open_v2(path, &s->db, flags, NULL);
  if (orc != SQLITE_OK) {
    int sys = s->db ? sqlite3_system_errno(s->db) : 0;
    wp_status rc;
    if (readonly && sys == ENOENT)
      rc = wp_error_set(err, WP_EIO,
                        "no runs stored yet: '%s' does not exist (wattpivot plan records "
                        "every run there; --db selects another file)",
                        path);
    else
      rc = wp_error_set(err, WP_EIO, "cannot %s results store '%s': %s%s%s",
                        readonly ? "open" : "open or create", path,
                        s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(orc), sys ? ": " : "",
                        sys ? strerror(sys) : "");
    wp_store_close(s);
    return rc;
  }
  sqlite3_extended_result_codes(s->db, 1);
  sqlite3_busy_timeout(s->db, WP_STORE_BUSY_TIMEOUT_MS);
  *out = s;
  return WP_OK;
}

static wp_status check_schema(wp_store *s, wp_error *err)
{
  int64_t version = 0, app_id = 0, ntables = 0;
  wp_status rc = read_version(s, &version, &app_id, &ntables, err);
  if (rc) return rc;
  if (version > WP_STORE_SCHEMA_VERSION) return refuse_newer(s, version, err);
  if (app_id != STORE_APP_ID && (version > 0 || ntables > 0)) return refuse_foreign(s, err);
  s->schema = version;
  if (version == WP_STORE_SCHEMA_VERSION) return WP_OK;
  if (!s->readonly) {
    s->schema = WP_STORE_SCHEMA_VERSION;
    return migrate(s, err);
  }
  if (version == 0) { /* an empty file: nothing stored yet */
    s->empty = 1;
    return WP_OK;
  }
  if (version == 1) return WP_OK; /* readable as it is: plan runs only */
  return wp_error_set(err, WP_EINVAL,
                      "results store '%s' has the older schema version %" PRId64
                      "; open it once read-write (e.g. any 'wattpivot plan --db %s') to "
                      "upgrade it to version %d",
                      s->path, version, s->path, WP_STORE_SCHEMA_VERSION);
}

static wp_status open_store(const char *path, int readonly, wp_store **out, wp_error *err)
{
  wp_store *s;
  if (out) *out = NULL;
  wp_status rc = open_db(path, readonly, &s, err);
  if (rc) return rc;
  if (!readonly &&
      (rc = exec_sql(s, "PRAGMA foreign_keys = ON", "enabling foreign keys", err)) != WP_OK)
    goto fail;
  if ((rc = check_schema(s, err))) goto fail;
  *out = s;
  return WP_OK;
fail:
  wp_store_close(s);
  return rc;
}

wp_status wp_store_open(const char *path, wp_store **out, wp_error *err)
{
  return open_store(path, 0, out, err);
}

wp_status wp_store_open_readonly(const char *path, wp_store **out, wp_error *err)
{
  return open_store(path, 1, out, err);
}

void wp_store_close(wp_store *store)
{
  if (!store) return;
  sqlite3_close_v2(store->db);
  free(store);
}

const char *wp_store_path(const wp_store *store)
{
  return store ? store->path : "";
}

/* ---------------------------------------------------------------- run meta */

void wp_run_meta_release(wp_run_meta *meta)
{
  if (!meta) return;
  free(meta->scenario_text);
  meta->scenario_text = NULL;
}

/* Characters a POSIX shell leaves alone outside quotes. */
static int shell_plain(const char *w)
{
  if (!*w) return 0;
  for (; *w; w++)
    if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,+@%-", *w))
      return 0;
  return 1;
}

struct appender {
  char *buf;
  size_t n, used;
  int full;
};

static void append(struct appender *a, const char *text, size_t len)
{
  if (a->full) return;
  if (a->used + len >= a->n) {
    a->full = 1;
    return;
  }
  memcpy(a->buf + a->used, text, len);
  a->used += len;
  a->buf[a->used] = '\0';
}

void wp_run_meta_set_command(wp_run_meta *meta, int argc, char *const *argv)
{
  static const char more[] = " ...";
  if (!meta) return;
  /* Keep room for the truncation mark. */
  struct appender a = {meta->command, sizeof meta->command - (sizeof more - 1), 0, 0};
  meta->command[0] = '\0';
  for (int i = 0; i < argc && argv && argv[i] && !a.full; i++) {
    const char *w = argv[i];
    if (i) append(&a, " ", 1);
    if (shell_plain(w)) {
      append(&a, w, strlen(w));
      continue;
    }
    append(&a, "'", 1);
    for (const char *p = w; *p; p++)
      if (*p == '\'')
        append(&a, "'\\''", 4);
      else
        append(&a, p, 1);
    append(&a, "'", 1);
  }
  if (a.full) memcpy(meta->command + a.used, more, sizeof more);
}

/* "YYYY-MM-DDTHH:MM:SSZ" with plausible fields. */
static int valid_utc(const char *t, size_t size)
{
  static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
  int y, mo, d, h, mi, se;
  if ((size_t)field_len(t, size) != sizeof form - 1) return 0;
  for (size_t i = 0; i < sizeof form - 1; i++)
    if (form[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != form[i]) return 0;
  if (sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) != 6) return 0;
  return mo >= 1 && mo <= 12 && d >= 1 && d <= wp_calendar_days_in_month((wp_ym){y, mo}) &&
         h < 24 && mi < 60 && se <= 60;
}

/* Now, UTC. POSIX time_t counts seconds since 1970-01-01 without leap seconds, the same
** origin as calendar day numbers. */

/* ---------------------------------------------------------------- save */

static wp_status check_plan(const wp_plan_out *plan, const wp_run_meta *meta, wp_error *err)
{
  if (!plan) return wp_error_set(err, WP_EINVAL, "wp_store_save_run: plan is NULL");
  if (!wp_calendar_valid(plan->start))
    return wp_error_set(err, WP_EINVAL,
                        "plan start month %04d-%02d is not a valid month (year 1..9999, "
                        "month 1..12)",
                        plan->start.year, plan->start.month);
  if (plan->nstrategies && !plan->strategies)
    return wp_error_set(err, WP_EINVAL, "plan announces %zu strategies but has none",
                        plan->nstrategies);
  for (size_t i = 0; i < plan->nstrategies; i++) {
    const wp_strategy_out *st = &plan->strategies[i];
    if (st->nsites && !st->sites)
      return wp_error_set(err, WP_EINVAL, "strategy %zu announces %zu sites but has none", i,
                          st->nsites);
    for (int k = 0; k < WP_SERIES_COUNT; k++)
      if (plan->months && !st->series[k])
        return wp_error_set(err, WP_EINVAL, "strategy %zu has no %s series", i,
                            wp_series_name((wp_series)k));
  }
  if (meta && meta->created_utc[0] && !valid_utc(meta->created_utc, sizeof meta->created_utc))
    return wp_error_set(err, WP_EINVAL,
                        "created_utc '%.32s' is not a UTC time of the form "
                        "YYYY-MM-DDTHH:MM:SSZ",
                        meta->created_utc);
  if (meta && meta->scenario_text &&
      strnlen(meta->scenario_text, WP_STORE_SCENARIO_TEXT_MAX + 1) > WP_STORE_SCENARIO_TEXT_MAX)
    return wp_error_set(err, WP_EINVAL,
                        "scenario text of '%.200s' exceeds %zu bytes, the most a stored run "
                        "keeps",
                        meta->scenario, WP_STORE_SCENARIO_TEXT_MAX);
  return WP_OK;
}

/* Step an INSERT; SQLITE_DONE is success. */
static wp_status step_done(const wp_store *s, sqlite3_stmt *st, int bind_rc, const char *what,
                           wp_error *err)
{
  if (bind_rc != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) return db_fail(s, err, WP_EDB, what);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return WP_OK;
}

static wp_status insert_run(wp_store *s, const wp_plan_out *plan, const wp_run_meta *meta,
                            int64_t *id, wp_error *err)
{
  static const wp_run_meta defaults = WP_RUN_META_INIT;
  char created[32], start[16];
  const char *version;
  sqlite3_stmt *st;
  wp_status rc;
  if (!meta) meta = &defaults;
  if (meta->created_utc[0])
    snprintf(created, sizeof created, "%.*s", field_len(meta->created_utc, 32), meta->created_utc);
  else if ((rc = wp_output_now_utc(created, sizeof created, err)))
    return rc;
  version = meta->version[0] ? meta->version : wp_version();
  snprintf(start, sizeof start, "%04d-%02d", plan->start.year, plan->start.month);
  if ((rc = prepare(s,
                    "INSERT INTO runs(created_utc, scenario, scenario_name, scenario_text,"
                    " version, command, start_ym, months, hurdle_rate, wall_s)"
                    " VALUES(?,?,?,?,?,?,?,?,?,?)",
                    &st, err)))
    return rc;
  int b = sqlite3_bind_text(st, 1, created, -1, SQLITE_STATIC);
  /* The source defaults to the plan's scenario name when the caller gives none. */
  if (meta->scenario[0])
    b |= bind_field(st, 2, meta->scenario, sizeof meta->scenario);
  else
    b |= bind_field(st, 2, plan->scenario, sizeof plan->scenario);
  b |= bind_field(st, 3, plan->scenario, sizeof plan->scenario);
  b |= meta->scenario_text ? sqlite3_bind_text(st, 4, meta->scenario_text, -1, SQLITE_STATIC)
                           : sqlite3_bind_null(st, 4);
  b |= sqlite3_bind_text(st, 5, version, field_len(version, sizeof meta->version), SQLITE_STATIC);
  b |= bind_field(st, 6, meta->command, sizeof meta->command);
  b |= sqlite3_bind_text(st, 7, start, -1, SQLITE_STATIC);
  b |= sqlite3_bind_int64(st, 8, (sqlite3_int64)plan->months);
  b |= bind_real(st, 9, plan->hurdle_rate);
  b |= bind_real(st, 10, meta->wall_s);
  rc = step_done(s, st, b, "storing the run", err);
  sqlite3_finalize(st);
  if (!rc) *id = sqlite3_last_insert_rowid(s->db);
  return rc;
}

static wp_status insert_strategies(wp_store *s, const wp_plan_out *plan, int64_t id, wp_error *err)
{
  sqlite3_stmt *st;
  wp_status rc = prepare(s,
                         "INSERT INTO strategies(run_id, idx, name, npv_usd, irr, irr_note,"
                         " peak_funding_usd, min_cash_usd, ai_it_mw_end, mining_mw_end,"
                         " corporate_npv_usd, nsites) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
                         &st, err);
  for (size_t i = 0; !rc && i < plan->nstrategies; i++) {
    const wp_strategy_out *x = &plan->strategies[i];
    int b = sqlite3_bind_int64(st, 1, id);
    b |= sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
    b |= bind_field(st, 3, x->name, sizeof x->name);
    b |= bind_real(st, 4, x->npv_usd);
    b |= bind_real(st, 5, x->irr);
    b |= bind_field(st, 6, x->irr_note, sizeof x->irr_note);
    b |= bind_real(st, 7, x->peak_funding_usd);
    b |= bind_real(st, 8, x->min_cash_usd);
    b |= bind_real(st, 9, x->ai_it_mw_end);
    b |= bind_real(st, 10, x->mining_mw_end);
    b |= bind_real(st, 11, x->corporate_npv_usd);
    b |= sqlite3_bind_int64(st, 12, (sqlite3_int64)x->nsites);
    rc = step_done(s, st, b, "storing a strategy", err);
  }
  sqlite3_finalize(st);
  return rc;
}

static wp_status insert_sites(wp_store *s, const wp_plan_out *plan, int64_t id, wp_error *err)
{
  sqlite3_stmt *st;
  wp_status rc = prepare(s,
                         "INSERT INTO sites(run_id, strategy_idx, idx, name, country, decision,"
                         " business_model, convert_month, energize_month, grid_mw,"
                         " converted_grid_mw, ai_it_mw, capex_usd, npv_usd, mining_npv_usd,"
                         " reason) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         &st, err);
  for (size_t i = 0; !rc && i < plan->nstrategies; i++)
    for (size_t k = 0; !rc && k < plan->strategies[i].nsites; k++) {
      const wp_site_out *x = &plan->strategies[i].sites[k];
      int b = sqlite3_bind_int64(st, 1, id);
      b |= sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
      b |= sqlite3_bind_int64(st, 3, (sqlite3_int64)k);
      b |= bind_field(st, 4, x->name, sizeof x->name);
      b |= bind_field(st, 5, x->country, sizeof x->country);
      b |= bind_field(st, 6, x->decision, sizeof x->decision);
      b |= bind_field(st, 7, x->business_model, sizeof x->business_model);
      b |= sqlite3_bind_int(st, 8, x->convert_month);
      b |= sqlite3_bind_int(st, 9, x->energize_month);
      b |= bind_real(st, 10, x->grid_mw);
      b |= bind_real(st, 11, x->converted_grid_mw);
      b |= bind_real(st, 12, x->ai_it_mw);
      b |= bind_real(st, 13, x->capex_usd);
      b |= bind_real(st, 14, x->npv_usd);
      b |= bind_real(st, 15, x->mining_npv_usd);
      b |= bind_field(st, 16, x->reason, sizeof x->reason);
      rc = step_done(s, st, b, "storing a site row", err);
    }
  sqlite3_finalize(st);
  return rc;
}

static wp_status insert_series(wp_store *s, const wp_plan_out *plan, int64_t id, wp_error *err)
{
  char cols[1024], sql[2048];
  sqlite3_stmt *st;
  wp_status rc = series_columns(cols, sizeof cols, err);
  if (rc) return rc;
  size_t used = (size_t)snprintf(sql, sizeof sql,
                                 "INSERT INTO series(run_id, strategy_idx, month, %s) "
                                 "VALUES(?,?,?",
                                 cols);
  for (int k = 0; k < WP_SERIES_COUNT && used < sizeof sql; k++)
    used += (size_t)snprintf(sql + used, sizeof sql - used, ",?");
  if (used + 2 > sizeof sql) return wp_error_set(err, WP_ENOMEM, "series INSERT too long");
  memcpy(sql + used, ")", 2);
  if ((rc = prepare(s, sql, &st, err))) return rc;
  for (size_t i = 0; !rc && i < plan->nstrategies; i++)
    for (size_t m = 0; !rc && m < plan->months; m++) {
      int b = sqlite3_bind_int64(st, 1, id);
      b |= sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
      b |= sqlite3_bind_int64(st, 3, (sqlite3_int64)m);
      for (int k = 0; k < WP_SERIES_COUNT; k++)
        b |= bind_real(st, 4 + k, plan->strategies[i].series[k][m]);
      rc = step_done(s, st, b, "storing a monthly series row", err);
    }
  sqlite3_finalize(st);
  return rc;
}

wp_status wp_store_save_run(wp_store *store, const wp_plan_out *plan, const wp_run_meta *meta,
                            int64_t *run_id, wp_error *err)
{
  int64_t id = 0;
  if (!store) return wp_error_set(err, WP_EINVAL, "wp_store_save_run: store is NULL");
  if (store->readonly)
    return wp_error_set(err, WP_EINVAL, "results store '%s' was opened read-only", store->path);
  wp_status rc = check_plan(plan, meta, err);
  if (rc) return rc;
  /* IMMEDIATE: take the write lock now, so a concurrent writer waits (busy timeout) instead
  ** of failing when a read lock is upgraded. */
  if ((rc = exec_sql(store, "BEGIN IMMEDIATE", "locking the store for writing", err))) return rc;
  if ((rc = insert_run(store, plan, meta, &id, err))) goto fail;
  if ((rc = insert_strategies(store, plan, id, err))) goto fail;
  if ((rc = insert_sites(store, plan, id, err))) goto fail;
  if ((rc = insert_series(store, plan, id, err))) goto fail;
  if ((rc = exec_sql(store, "COMMIT", "committing the run", err))) goto fail;
  if (run_id) *run_id = id;
  return WP_OK;
fail:
  rollback(store);
  return rc;
}

/* ---------------------------------------------------------------- read */

wp_status wp_store_count_runs(wp_store *store, size_t *count, int64_t *min_id, int64_t *max_id,
                              wp_error *err)
{
  int64_t c = 0, lo = 0, hi = 0;
  if (!store) return wp_error_set(err, WP_EINVAL, "wp_store_count_runs: store is NULL");
  if (!store->empty) {
    sqlite3_stmt *st;
    wp_status rc = prepare(store,
                           "SELECT count(*), coalesce(min(id), 0), coalesce(max(id), 0)"
                           " FROM runs",
                           &st, err);
    if (rc) return rc;
    if (sqlite3_step(st) != SQLITE_ROW) {
      rc = db_fail(store, err, WP_EDB, "counting runs");
      sqlite3_finalize(st);
      return rc;
    }
    c = sqlite3_column_int64(st, 0);
    lo = sqlite3_column_int64(st, 1);
    hi = sqlite3_column_int64(st, 2);
    sqlite3_finalize(st);
  }
  if (count) *count = (size_t)c;
  if (min_id) *min_id = lo;
  if (max_id) *max_id = hi;
  return WP_OK;
}

static void parse_start(const char *text, wp_ym *ym)
{
  wp_error ignored = WP_ERROR_INIT;
  if (wp_calendar_parse_ym(text, ym, &ignored) != WP_OK) *ym = (wp_ym){0, 0};
}

wp_status wp_store_list_runs(wp_store *store, wp_run_summary *rows, size_t max, size_t *n,
                             wp_error *err)
{
  if (!store || !n || (!rows && max))
    return wp_error_set(err, WP_EINVAL, "wp_store_list_runs: store, rows or n is NULL");
  *n = 0;
  if (store->empty || max == 0) return WP_OK;
  sqlite3_stmt *st;
  /* Plan runs' best by NPV; risk runs' (schema 2) by mean NPV, with their paths. */
  wp_status rc =
      prepare(store,
              store->schema >= 2
                  ? "SELECT r.id, r.created_utc, r.scenario, r.version, r.start_ym, r.months,"
                    " CASE WHEN k.run_id IS NULL"
                    "  THEN (SELECT count(*) FROM strategies s WHERE s.run_id = r.id)"
                    "  ELSE (SELECT count(*) FROM risk_strategies s WHERE s.run_id = r.id) END,"
                    " coalesce(b.name, q.name), coalesce(b.npv_usd, q.npv_mean_usd), k.paths"
                    " FROM runs r LEFT JOIN risk_runs k ON k.run_id = r.id"
                    " LEFT JOIN strategies b ON b.run_id = r.id AND b.idx ="
                    "  (SELECT s.idx FROM strategies s WHERE s.run_id = r.id"
                    "   AND s.npv_usd IS NOT NULL ORDER BY s.npv_usd DESC, s.idx LIMIT 1)"
                    " LEFT JOIN risk_strategies q ON q.run_id = r.id AND q.idx ="
                    "  (SELECT s.idx FROM risk_strategies s WHERE s.run_id = r.id"
                    "   AND s.npv_mean_usd IS NOT NULL ORDER BY s.npv_mean_usd DESC, s.idx LIMIT 1)"
                    " ORDER BY r.id DESC LIMIT ?"
                  : "SELECT r.id, r.created_utc, r.scenario, r.version, r.start_ym,"
                    " r.months,"
                    " (SELECT count(*) FROM strategies s WHERE s.run_id = r.id),"
                    " b.name, b.npv_usd, NULL"
                    " FROM runs r LEFT JOIN strategies b ON b.run_id = r.id AND b.idx ="
                    "  (SELECT s.idx FROM strategies s WHERE s.run_id = r.id"
                    "   AND s.npv_usd IS NOT NULL ORDER BY s.npv_usd DESC, s.idx LIMIT 1)"
                    " ORDER BY r.id DESC LIMIT ?",
              &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, max > INT64_MAX ? INT64_MAX : (sqlite3_int64)max);
  int step = SQLITE_DONE;
  size_t k = 0;
  char start[16];
  while (k < max && (step = sqlite3_step(st)) == SQLITE_ROW) {
    wp_run_summary *r = &rows[k++];
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    column_copy(st, 1, r->created_utc, sizeof r->created_utc);
    column_copy(st, 2, r->scenario, sizeof r->scenario);
    column_copy(st, 3, r->version, sizeof r->version);
    column_copy(st, 4, start, sizeof start);
    parse_start(start, &r->start);
    r->months = (size_t)sqlite3_column_int64(st, 5);
    r->nstrategies = (size_t)sqlite3_column_int64(st, 6);
    column_copy(st, 7, r->best_strategy, sizeof r->best_strategy);
    r->best_npv_usd = column_real(st, 8);
    const int risk = sqlite3_column_type(st, 9) != SQLITE_NULL;
    snprintf(r->kind, sizeof r->kind, "%s", risk ? "risk" : "plan");
    r->paths = risk ? (size_t)sqlite3_column_int64(st, 9) : 0;
  }
  if (k < max && step != SQLITE_DONE) rc = db_fail(store, err, WP_EDB, "listing runs");
  sqlite3_finalize(st);
  *n = k;
  return rc;
}

static wp_status not_found(wp_store *s, int64_t id, wp_error *err)
{
  size_t count = 0;
  int64_t lo = 0, hi = 0;
  wp_status rc = wp_store_count_runs(s, &count, &lo, &hi, err);
  if (rc) return rc;
  if (count == 0)
    return wp_error_set(err, WP_EINVAL, "run %" PRId64 " not found: no runs stored yet in '%s'", id,
                        s->path);
  return wp_error_set(err, WP_EINVAL,
                      "run %" PRId64 " not found in '%s'; stored runs: %zu with ids %" PRId64
                      "..%" PRId64 " (wattpivot runs list)",
                      id, s->path, count, lo, hi);
}

static wp_status damaged(const wp_store *s, int64_t id, const char *what, wp_error *err)
{
  return wp_error_set(err, WP_EDB, "results store '%s': run %" PRId64 " is damaged: %s", s->path,
                      id, what);
}

/* The runs row: plan header and meta. *found = 0 when there is no such id. */
static wp_status load_header(wp_store *s, int64_t id, wp_plan_out *hdr, wp_run_meta *meta,
                             int *found, wp_error *err)
{
  sqlite3_stmt *st;
  char start[16];
  wp_status rc = prepare(s,
                         "SELECT created_utc, scenario, scenario_text, version, command,"
                         " start_ym, months, hurdle_rate, wall_s, scenario_name"
                         " FROM runs WHERE id = ?",
                         &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  int step = sqlite3_step(st);
  *found = step == SQLITE_ROW;
  if (step == SQLITE_ROW) {
    column_copy(st, 9, hdr->scenario, sizeof hdr->scenario);
    column_copy(st, 5, start, sizeof start);
    int64_t months = sqlite3_column_int64(st, 6);
    hdr->months = months < 0 ? 0 : (size_t)months;
    hdr->hurdle_rate = column_real(st, 7);
    if (wp_calendar_parse_ym(start, &hdr->start, NULL) != WP_OK || months < 0) {
      rc = damaged(s, id, "its start month or horizon is not valid", err);
    } else if (meta) {
      column_copy(st, 0, meta->created_utc, sizeof meta->created_utc);
      column_copy(st, 1, meta->scenario, sizeof meta->scenario);
      column_copy(st, 3, meta->version, sizeof meta->version);
      column_copy(st, 4, meta->command, sizeof meta->command);
      meta->wall_s = column_real(st, 8);
      meta->scenario_text = NULL;
      if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
        const unsigned char *t = sqlite3_column_text(st, 2);
        size_t len = (size_t)sqlite3_column_bytes(st, 2);
        meta->scenario_text = malloc(len + 1);
        if (!meta->scenario_text || !t) {
          rc = wp_error_set(err, WP_ENOMEM, "out of memory reading the scenario of run %" PRId64,
                            id);
        } else {
          memcpy(meta->scenario_text, t, len);
          meta->scenario_text[len] = '\0';
        }
      }
    }
  } else if (step != SQLITE_DONE) {
    rc = db_fail(s, err, WP_EDB, "reading a run");
  }
  sqlite3_finalize(st);
  return rc;
}

/* Counts that size the allocation, checked against each other before allocating. */
static wp_status load_shape(wp_store *s, int64_t id, size_t months, size_t *nstrat,
                            size_t *max_sites, wp_error *err)
{
  sqlite3_stmt *st;
  wp_status rc = prepare(s,
                         "SELECT (SELECT count(*) FROM strategies WHERE run_id = ?1),"
                         " (SELECT coalesce(max(nsites), 0) FROM strategies WHERE run_id = ?1),"
                         " (SELECT coalesce(sum(nsites), 0) FROM strategies WHERE run_id = ?1),"
                         " (SELECT count(*) FROM sites WHERE run_id = ?1),"
                         " (SELECT count(*) FROM series WHERE run_id = ?1)",
                         &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  if (sqlite3_step(st) != SQLITE_ROW) {
    rc = db_fail(s, err, WP_EDB, "reading the shape of a run");
  } else {
    int64_t ns = sqlite3_column_int64(st, 0), maxs = sqlite3_column_int64(st, 1);
    int64_t sums = sqlite3_column_int64(st, 2), nsite_rows = sqlite3_column_int64(st, 3);
    int64_t nseries = sqlite3_column_int64(st, 4);
    if (maxs < 0 || sums != nsite_rows)
      rc = damaged(s, id, "its site rows do not match its strategies' site counts", err);
    else if ((uint64_t)nseries != (uint64_t)ns * (uint64_t)months)
      rc = damaged(s, id, "its monthly series rows do not cover every strategy and month", err);
    *nstrat = (size_t)ns;
    *max_sites = (size_t)(maxs < 0 ? 0 : maxs);
  }
  sqlite3_finalize(st);
  return rc;
}

static wp_status load_strategies(wp_store *s, int64_t id, wp_plan_out *p, wp_error *err)
{
  sqlite3_stmt *st;
  size_t i = 0;
  int step = SQLITE_DONE;
  wp_status rc = prepare(s,
                         "SELECT idx, name, npv_usd, irr, irr_note, peak_funding_usd,"
                         " min_cash_usd, ai_it_mw_end, mining_mw_end, corporate_npv_usd, nsites"
                         " FROM strategies WHERE run_id = ? ORDER BY idx",
                         &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
    if (i >= p->nstrategies || sqlite3_column_int64(st, 0) != (int64_t)i) {
      rc = damaged(s, id, "its strategies are not numbered 0..n-1", err);
      break;
    }
    wp_strategy_out *x = &p->strategies[i++];
    column_copy(st, 1, x->name, sizeof x->name);
    x->npv_usd = column_real(st, 2);
    x->irr = column_real(st, 3);
    column_copy(st, 4, x->irr_note, sizeof x->irr_note);
    x->peak_funding_usd = column_real(st, 5);
    x->min_cash_usd = column_real(st, 6);
    x->ai_it_mw_end = column_real(st, 7);
    x->mining_mw_end = column_real(st, 8);
    x->corporate_npv_usd = column_real(st, 9);
    x->nsites = (size_t)sqlite3_column_int64(st, 10);
  }
  if (!rc && step != SQLITE_DONE) rc = db_fail(s, err, WP_EDB, "reading strategies");
  sqlite3_finalize(st);
  return rc;
}

/* Reject month indexes that do not fit an int (a hand-edited store). */
static int column_month(sqlite3_stmt *st, int i, int *out)
{
  int64_t v = sqlite3_column_int64(st, i);
  if (v < -1 || v > INT32_MAX) return 0;
  *out = (int)v;
  return 1;
}

static wp_status load_sites(wp_store *s, int64_t id, wp_plan_out *p, wp_error *err)
{
  sqlite3_stmt *st;
  size_t want_strat = 0, want_site = 0;
  int step = SQLITE_DONE;
  wp_status rc = prepare(s,
                         "SELECT strategy_idx, idx, name, country, decision, business_model,"
                         " convert_month, energize_month, grid_mw, converted_grid_mw, ai_it_mw,"
                         " capex_usd, npv_usd, mining_npv_usd, reason"
                         " FROM sites WHERE run_id = ? ORDER BY strategy_idx, idx",
                         &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
    while (want_strat < p->nstrategies && want_site >= p->strategies[want_strat].nsites)
      want_strat++, want_site = 0;
    if (want_strat >= p->nstrategies || sqlite3_column_int64(st, 0) != (int64_t)want_strat ||
        sqlite3_column_int64(st, 1) != (int64_t)want_site) {
      rc = damaged(s, id, "its site rows are not numbered 0..nsites-1 per strategy", err);
      break;
    }
    wp_site_out *x = &p->strategies[want_strat].sites[want_site++];
    column_copy(st, 2, x->name, sizeof x->name);
    column_copy(st, 3, x->country, sizeof x->country);
    column_copy(st, 4, x->decision, sizeof x->decision);
    column_copy(st, 5, x->business_model, sizeof x->business_model);
    if (!column_month(st, 6, &x->convert_month) || !column_month(st, 7, &x->energize_month)) {
      rc = damaged(s, id, "a site's convert or energize month is out of range", err);
      break;
    }
    x->grid_mw = column_real(st, 8);
    x->converted_grid_mw = column_real(st, 9);
    x->ai_it_mw = column_real(st, 10);
    x->capex_usd = column_real(st, 11);
    x->npv_usd = column_real(st, 12);
    x->mining_npv_usd = column_real(st, 13);
    column_copy(st, 14, x->reason, sizeof x->reason);
  }
  if (!rc && step != SQLITE_DONE) rc = db_fail(s, err, WP_EDB, "reading site rows");
  sqlite3_finalize(st);
  return rc;
}

static wp_status load_series(wp_store *s, int64_t id, wp_plan_out *p, wp_error *err)
{
  char cols[1024], sql[2048];
  sqlite3_stmt *st;
  size_t row = 0;
  int step = SQLITE_DONE;
  wp_status rc = series_columns(cols, sizeof cols, err);
  if (rc) return rc;
  snprintf(sql, sizeof sql,
           "SELECT strategy_idx, month, %s FROM series WHERE run_id = ?"
           " ORDER BY strategy_idx, month",
           cols);
  if ((rc = prepare(s, sql, &st, err))) return rc;
  sqlite3_bind_int64(st, 1, id);
  while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
    size_t i = p->months ? row / p->months : 0, m = p->months ? row % p->months : 0;
    if (i >= p->nstrategies || sqlite3_column_int64(st, 0) != (int64_t)i ||
        sqlite3_column_int64(st, 1) != (int64_t)m) {
      rc = damaged(s, id, "its series rows are not numbered 0..months-1 per strategy", err);
      break;
    }
    for (int k = 0; k < WP_SERIES_COUNT; k++)
      p->strategies[i].series[k][m] = column_real(st, 2 + k);
    row++;
  }
  if (!rc && step != SQLITE_DONE) rc = db_fail(s, err, WP_EDB, "reading monthly series");
  sqlite3_finalize(st);
  return rc;
}

wp_status wp_store_load_run(wp_store *store, int64_t id, wp_plan_out **out, wp_run_meta *meta_out,
                            wp_error *err)
{
  wp_plan_out hdr, *p = NULL;
  size_t nstrat = 0, max_sites = 0;
  int found = 0;
  wp_status rc;
  if (!store || !out)
    return wp_error_set(err, WP_EINVAL, "wp_store_load_run: store or out is NULL");
  *out = NULL;
  if (meta_out) *meta_out = (wp_run_meta)WP_RUN_META_INIT;
  if (store->empty) return not_found(store, id, err);
  memset(&hdr, 0, sizeof hdr);
  /* A consistent snapshot across the five SELECTs even while another process writes. */
  if ((rc = exec_sql(store, "BEGIN", "starting a read", err))) return rc;
  if ((rc = load_header(store, id, &hdr, meta_out, &found, err))) goto fail;
  if (!found) {
    rc = not_found(store, id, err);
    goto fail;
  }
  if ((rc = load_shape(store, id, hdr.months, &nstrat, &max_sites, err))) goto fail;
  p = wp_plan_out_new(nstrat, max_sites, hdr.months);
  if (!p) {
    rc = wp_error_set(err, WP_ENOMEM, "out of memory loading run %" PRId64, id);
    goto fail;
  }
  memcpy(p->scenario, hdr.scenario, sizeof p->scenario);
  p->start = hdr.start;
  p->hurdle_rate = hdr.hurdle_rate;
  if ((rc = load_strategies(store, id, p, err))) goto fail;
  if ((rc = load_sites(store, id, p, err))) goto fail;
  if ((rc = load_series(store, id, p, err))) goto fail;
  exec_sql(store, "COMMIT", "ending a read", NULL);
  *out = p;
  return WP_OK;
fail:
  rollback(store);
  wp_plan_out_free(p);
  wp_run_meta_release(meta_out);
  return rc;
}

/* ---------------------------------------------------------------- risk runs */

wp_status wp_store_save_risk(wp_store *store, const wp_risk_result *r, const char *scenario_name,
                             double hurdle_rate, const wp_run_meta *meta, int64_t *id,
                             wp_error *err)
{
  if (!store || !r || !scenario_name || !id)
    return wp_error_set(err, WP_EINVAL, "wp_store_save_risk: NULL argument");
  if (store->readonly) return wp_error_set(err, WP_EINVAL, "store '%s' is read-only", store->path);
  if (r->nstrategies == 0) return wp_error_set(err, WP_EINVAL, "a risk run without strategies");
  /* The run's header as a plan's (no strategies, no series): insert_run wants a plan shape. */
  wp_plan_out hdr;
  memset(&hdr, 0, sizeof hdr);
  snprintf(hdr.scenario, sizeof hdr.scenario, "%s", scenario_name);
  hdr.start = r->start;
  hdr.months = r->months;
  hdr.hurdle_rate = hurdle_rate;
  wp_status rc = exec_sql(store, "BEGIN IMMEDIATE", "starting to store the risk run", err);
  if (rc) return rc;
  sqlite3_stmt *st = NULL;
  if ((rc = insert_run(store, &hdr, meta, id, err))) goto fail;
  if ((rc = prepare(store,
                    "INSERT INTO risk_runs(run_id, paths, seed, btc_model, wait_site,"
                    " value_of_waiting_usd) VALUES(?,?,?,?,?,?)",
                    &st, err)))
    goto fail;
  int b = sqlite3_bind_int64(st, 1, *id);
  b |= sqlite3_bind_int64(st, 2, (sqlite3_int64)r->paths);
  b |= sqlite3_bind_int64(st, 3, (sqlite3_int64)r->seed);
  b |=
      sqlite3_bind_text(st, 4, wp_risk_btc_model_name(r->assumptions.btc_model), -1, SQLITE_STATIC);
  b |= bind_field(st, 5, r->wait.computed ? r->wait.site : "", sizeof r->wait.site);
  b |= r->wait.computed ? bind_real(st, 6, r->wait.value_of_waiting_usd) : sqlite3_bind_null(st, 6);
  rc = step_done(store, st, b, "storing the risk run", err);
  sqlite3_finalize(st);
  st = NULL;
  if (rc) goto fail;
  if ((rc = prepare(store,
                    "INSERT INTO risk_strategies(run_id, idx, name, plan_npv_usd, npv_mean_usd,"
                    " npv_p5_usd, npv_p50_usd, npv_p95_usd, cvar5_usd, p_cash_shortfall,"
                    " p_beats_mining_only) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                    &st, err)))
    goto fail;
  for (size_t k = 0; k < r->nstrategies && !rc; k++) {
    const wp_risk_strategy *s = &r->strategies[k];
    sqlite3_reset(st);
    b = sqlite3_bind_int64(st, 1, *id);
    b |= sqlite3_bind_int64(st, 2, (sqlite3_int64)k);
    b |= bind_field(st, 3, s->name, sizeof s->name);
    const double v[8] = {s->plan_npv_usd,     s->npv_mean_usd,       s->npv_p5_usd,
                         s->npv_p50_usd,      s->npv_p95_usd,        s->cvar5_usd,
                         s->p_cash_shortfall, s->p_beats_mining_only};
    for (int j = 0; j < 8; j++)
      b |= bind_real(st, 4 + j, v[j]);
    rc = step_done(store, st, b, "storing the risk run's strategies", err);
  }
  sqlite3_finalize(st);
  if (rc) goto fail;
  return exec_sql(store, "COMMIT", "committing the risk run", err);
fail:
  rollback(store);
  return rc;
}

wp_status wp_store_load_risk(wp_store *store, int64_t id, wp_risk_row *rows, size_t max, size_t *n,
                             size_t *paths, uint64_t *seed, wp_error *err)
{
  if (!store || !n || (!rows && max))
    return wp_error_set(err, WP_EINVAL, "wp_store_load_risk: NULL argument");
  *n = 0;
  if (store->empty || store->schema < 2)
    return wp_error_set(err, WP_EINVAL, "no risk run %" PRId64 " in '%s'", id, store->path);
  sqlite3_stmt *st;
  wp_status rc = prepare(store, "SELECT paths, seed FROM risk_runs WHERE run_id = ?", &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    if (paths) *paths = (size_t)sqlite3_column_int64(st, 0);
    if (seed) *seed = (uint64_t)sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  if (step != SQLITE_ROW)
    return wp_error_set(err, WP_EINVAL,
                        "no risk run %" PRId64 " in '%s' (a plan run? wattpivot runs show %" PRId64
                        ")",
                        id, store->path, id);
  if ((rc = prepare(store,
                    "SELECT name, plan_npv_usd, npv_mean_usd, npv_p5_usd, npv_p50_usd,"
                    " npv_p95_usd, cvar5_usd, p_cash_shortfall, p_beats_mining_only"
                    " FROM risk_strategies WHERE run_id = ? ORDER BY idx",
                    &st, err)))
    return rc;
  sqlite3_bind_int64(st, 1, id);
  size_t k = 0;
  while (k < max && (step = sqlite3_step(st)) == SQLITE_ROW) {
    wp_risk_row *w = &rows[k++];
    memset(w, 0, sizeof *w);
    column_copy(st, 0, w->name, sizeof w->name);
    double *v[8] = {&w->plan_npv_usd,     &w->npv_mean_usd,       &w->npv_p5_usd,
                    &w->npv_p50_usd,      &w->npv_p95_usd,        &w->cvar5_usd,
                    &w->p_cash_shortfall, &w->p_beats_mining_only};
    for (int j = 0; j < 8; j++)
      *v[j] = column_real(st, 1 + j);
  }
  sqlite3_finalize(st);
  *n = k;
  return WP_OK;
}
