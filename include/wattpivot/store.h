/*
** wattpivot/store.h — the results store: every plan run kept in a SQLite database file
** (default "wattpivot.db"), so runs can be listed, shown again and compared. A run is the
** whole wp_plan_out (strategies, site rows, monthly series) plus its wp_run_meta (scenario
** source and text, version, command line, time). docs/store.md describes the schema.
**
** Guarantees: a run is stored whole or not at all (one transaction); doubles round-trip bit
** for bit, NaN is stored as NULL and comes back as NaN; two processes may write the same file
** at once (each waits up to WP_STORE_BUSY_TIMEOUT_MS for the other's lock). A handle is for one
** thread at a time.
*/
#ifndef WATTPIVOT_STORE_H
#define WATTPIVOT_STORE_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "error.h"
#include "export.h"
#include "results.h"
#include "risk.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Schema version this wattpivot writes (PRAGMA user_version). Older stores are upgraded on
** open; a newer one is refused. */
#define WP_STORE_SCHEMA_VERSION 2 /* 2: risk runs (risk_runs, risk_strategies) */

/* Default database file, relative to the working directory. */
#define WP_STORE_DEFAULT_PATH "wattpivot.db"

/* Largest scenario text a run may carry (bytes). Judgment: the default portfolio's YAML is a
** few kB; 4 MiB leaves room for large fleets without letting a stray file bloat the store. */
#define WP_STORE_SCENARIO_TEXT_MAX ((size_t)4 << 20)

/* How long a call waits for another process's lock before failing with WP_EDB (ms).
** Judgment: a run's insert takes milliseconds; 10 s covers a slow disk. */
#define WP_STORE_BUSY_TIMEOUT_MS 10000

typedef struct wp_store wp_store;

/* Who, what and when of a run (everything the store keeps besides the wp_plan_out). */
typedef struct wp_run_meta {
  char scenario[1024]; /* scenario source: the file path as given, or "built-in default" */
  /* Full scenario text (NUL-terminated, at most WP_STORE_SCENARIO_TEXT_MAX bytes) so the
  ** run can be reproduced; NULL when not available. Save: borrowed, not freed. Load: owned by
  ** the meta, allocated by wp_store_load_run, freed by wp_run_meta_release. */
  char *scenario_text;
  char version[32];   /* wattpivot version; save: "" means wp_version() */
  char command[4096]; /* command line (see wp_run_meta_set_command) */
  /* When the run started, UTC, "YYYY-MM-DDTHH:MM:SSZ". Save: "" means now (time()); tests
  ** and imports pass their own. */
  char created_utc[32];
  double wall_s; /* wall time of the run, seconds; NaN when not measured */
} wp_run_meta;

/* clang-format off */
#define WP_RUN_META_INIT { "", NULL, "", "", "", NAN }
/* clang-format on */

/* Fill meta->command with argv[0..argc-1] joined by spaces, each word quoted for a POSIX shell
** when it needs it (so the line can be pasted back). A line longer than meta->command ends in
** " ..." (truncated). */
WP_API void wp_run_meta_set_command(wp_run_meta *meta, int argc, char *const *argv);

/* Free what wp_store_load_run allocated in meta (scenario_text) and set it to NULL. Only for
** metas filled by wp_store_load_run. NULL is a no-op. */
WP_API void wp_run_meta_release(wp_run_meta *meta);

/* One line of wp_store_list_runs. */
typedef struct wp_run_summary {
  int64_t id;             /* run id: increasing in the order runs were stored, never reused */
  char created_utc[32];   /* "YYYY-MM-DDTHH:MM:SSZ" */
  char scenario[1024];    /* scenario source */
  char version[32];       /* wattpivot version that stored it */
  wp_ym start;            /* month 0 of the run */
  size_t months;          /* horizon */
  size_t nstrategies;     /* number of strategies */
  char best_strategy[32]; /* the strategy with the highest NPV (risk: mean NPV); "" when none */
  double best_npv_usd;    /* its NPV; NaN when none */
  char kind[8];           /* "plan" or "risk" */
  size_t paths;           /* risk: Monte Carlo paths; 0 for a plan */
} wp_run_summary;

/* A stored risk run's strategy: its distribution statistics (wattpivot/risk.h). */
typedef struct wp_risk_row {
  char name[32];
  double plan_npv_usd, npv_mean_usd, npv_p5_usd, npv_p50_usd, npv_p95_usd, cvar5_usd;
  double p_cash_shortfall, p_beats_mining_only;
} wp_risk_row;

/*
** Keep a risk run (its statistics per strategy and the value of waiting; not the per-path
** values) as run *id beside the plan runs: `runs list` shows both. meta as for
** wp_store_save_run; scenario_name is the scenario's name. WP_EINVAL for a result with no
** strategy; WP_EDB/WP_EIO as wp_store_save_run.
*/
WP_API wp_status wp_store_save_risk(wp_store *store, const wp_risk_result *r,
                                    const char *scenario_name, double hurdle_rate,
                                    const wp_run_meta *meta, int64_t *id, wp_error *err);

/*
** A stored risk run: its strategies' rows (the first max; *n of them), paths and seed.
** WP_EINVAL naming the id when no risk run has it (a plan run: wp_store_load_run).
*/
WP_API wp_status wp_store_load_risk(wp_store *store, int64_t id, wp_risk_row *rows, size_t max,
                                    size_t *n, size_t *paths, uint64_t *seed, wp_error *err);

/*
** Open the store at path for reading and writing, creating the file and its schema when
** missing and upgrading an older schema. *out is set on success (close with wp_store_close).
** Fails, naming path, with WP_EIO when the file cannot be opened or created, or is not a
** SQLite database; WP_EINVAL when it is a SQLite database of another program or a store of a
** newer wattpivot (schema version above WP_STORE_SCHEMA_VERSION); WP_EDB on other SQLite
** failures (e.g. still locked after WP_STORE_BUSY_TIMEOUT_MS).
*/
WP_API wp_status wp_store_open(const char *path, wp_store **out, wp_error *err);

/*
** Open an existing store read-only: never creates or changes the file. Fails with WP_EIO
** "no runs stored yet: 'path' does not exist" when the file is missing, otherwise as
** wp_store_open (an older schema is refused: open it read-write once to upgrade it). An empty
** file opens as a store with no runs.
*/
WP_API wp_status wp_store_open_readonly(const char *path, wp_store **out, wp_error *err);

/* Close the store (NULL is a no-op). */
WP_API void wp_store_close(wp_store *store);

/* The path the store was opened with. */
WP_API const char *wp_store_path(const wp_store *store);

/*
** Store plan and meta as a new run in one transaction; *run_id (may be NULL) receives its id.
** Validates first: WP_EINVAL when plan is NULL or inconsistent (a NULL array where rows are
** announced, an invalid start month), meta->created_utc is neither "" nor of the form
** "YYYY-MM-DDTHH:MM:SSZ", or the scenario text exceeds WP_STORE_SCENARIO_TEXT_MAX. WP_EDB
** when SQLite fails (nothing of the run is left behind). meta may be NULL (all defaults).
** Strings are read up to their array size even when not NUL-terminated.
*/
WP_API wp_status wp_store_save_run(wp_store *store, const wp_plan_out *plan,
                                   const wp_run_meta *meta, int64_t *run_id, wp_error *err);

/* Number of stored runs and the lowest and highest id (0 and 0 when none; the pointers may be
** NULL). */
WP_API wp_status wp_store_count_runs(wp_store *store, size_t *count, int64_t *min_id,
                                     int64_t *max_id, wp_error *err);

/*
** Summaries of the newest runs (highest id first) into rows[0..max-1]; *n receives the number
** written (min(max, stored runs)). WP_EINVAL when rows is NULL with max > 0 or n is NULL.
*/
WP_API wp_status wp_store_list_runs(wp_store *store, wp_run_summary *rows, size_t max, size_t *n,
                             wp_error *err);

/*
** Rebuild run id: *out receives a new wp_plan_out (free with wp_plan_out_free) equal field
** for field to the one saved, and meta_out (may be NULL) its meta (release its scenario_text
** with wp_run_meta_release). WP_EINVAL "run 42 not found in FILE; stored runs: 1..7" for an
** unknown id; WP_EDB when the rows are inconsistent (a damaged or hand-edited store).
*/
WP_API wp_status wp_store_load_run(wp_store *store, int64_t id, wp_plan_out **out,
                                   wp_run_meta *meta_out, wp_error *err);

#ifdef __cplusplus
}
#endif
#endif
