/* The one CSV reader (src/io/csv.c), held to the same cases for every CSV the project reads: the
** BTC history, schedule task files, sites_file, market_file and power_file (a UTF-8 byte-order
** mark, CRLF, quoted fields, comments and blank lines, a bad numeric cell, a missing, unknown or
** misspelt column, an empty file, a ragged row, an unclosed quote); then the same values given
** as CSV and as YAML plan identically. */
#include "cli_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "harness.h"
#include "io/csv_int.h"
#include "io/market_file_int.h"
#include "io/scenario_file_int.h"
#include "wattpivot.h"

/* --- one entry point per format: parse text, return a fingerprint of what was read -------- */

static wp_status parse_history(const char *text, size_t len, double *fp, wp_error *err)
{
  (void)len; /* the history takes a C string */
  double close[16];
  size_t n = 0;
  wp_status st = wp_risk_history_parse(text, "t.csv", 2, close, 16, &n, err);
  *fp = (double)n;
  for (size_t i = 0; i < n; i++)
    *fp += close[i] * (double)(i + 1);
  return st;
}

static wp_status parse_tasks(const char *text, size_t len, double *fp, wp_error *err)
{
  wp_taskfile *tf = NULL;
  wp_status st = wp_taskfile_parse(text, len, "t.csv", &tf, err);
  *fp = 0;
  if (st == WP_OK) {
    size_t n = 0, nl = 0;
    const wp_sched_activity *a = wp_taskfile_activities(tf, &n);
    wp_taskfile_links(tf, &nl);
    *fp = (double)(n * 100 + nl);
    for (size_t i = 0; i < n; i++)
      *fp += a[i].min_days + 10 * a[i].mode_days + 100 * a[i].max_days + (double)strlen(a[i].name);
  }
  wp_taskfile_free(tf);
  return st;
}

static wp_status parse_sites(const char *text, size_t len, double *fp, wp_error *err)
{
  wp_scenario *sc = wp_scenario_new();
  char(*pf)[256] = calloc(WP_SCENARIO_MAX_SITES, sizeof *pf);
  wp_status st = wp_scenario_sites_csv_parse(sc, text, len, "t.csv", pf, NULL, err);
  *fp = 0;
  if (st == WP_OK)
    for (size_t i = 0; i < sc->nsites; i++)
      *fp += sc->sites[i].grid_mw + 1000 * sc->sites[i].power_usd_per_mwh +
             (double)strlen(sc->sites[i].name);
  free(pf);
  wp_scenario_free(sc);
  return st;
}

static double series_fp(const wp_market_series *s)
{
  double fp = (double)s->months + s->start.year * 12.0 + s->start.month;
  const double *cols[] = {
      s->btc_price_usd,     s->difficulty,       s->hashprice_usd_per_ph_day, s->fees_btc_per_block,
      s->power_usd_per_mwh, s->gpu_usd_per_hour, s->colo_usd_per_kw_month};
  for (size_t k = 0; k < 7; k++)
    for (size_t i = 0; i < s->months; i++)
      if (!isnan(cols[k][i])) fp += cols[k][i] * (double)(k + 1) * (double)(i + 1);
  return fp;
}

static wp_status parse_market(const char *text, size_t len, double *fp, wp_error *err)
{
  wp_market_series s = WP_MARKET_SERIES_INIT;
  wp_status st = wp_market_file_parse(text, len, "t.csv", WP_MARKET_FILE_ALL, &s, err);
  *fp = st == WP_OK ? series_fp(&s) : 0;
  wp_market_series_release(&s);
  return st;
}

static wp_status parse_power(const char *text, size_t len, double *fp, wp_error *err)
{
  wp_market_series s = WP_MARKET_SERIES_INIT;
  wp_status st = wp_market_file_parse(text, len, "t.csv", WP_MARKET_FILE_POWER_ONLY, &s, err);
  *fp = st == WP_OK ? series_fp(&s) : 0;
  wp_market_series_release(&s);
  return st;
}

/* A format: its header and two good rows; `number`, a numeric column that is required (the
** bad-cell and missing-column cases use it). */
typedef struct format {
  const char *what;
  wp_status (*parse)(const char *text, size_t len, double *fp, wp_error *err);
  size_t ncols;
  const char *cols[8];
  const char *rows[2][8];
  size_t number;
  size_t required; /* a required column (the missing-column case drops it) */
} format;

static const format formats[] = {
    {"BTC history",
     parse_history,
     2,
     {"month", "close_usd"},
     {{"2020-01", "8000.5"}, {"2020-02", "9000.25"}},
     1,
     1},
    {"task file",
     parse_tasks,
     6,
     {"id", "name", "min_days", "mode_days", "max_days", "predecessors"},
     {{"A", "Design", "1", "2", "3", ""}, {"B", "Build", "2", "3", "5", "A:SS+1"}},
     2,
     2},
    {"sites_file",
     parse_sites,
     4,
     {"name", "country", "grid_mw", "power_usd_per_mwh"},
     {{"North", "Norway", "10", "40"}, {"South", "Norway", "20.5", "45"}},
     2,
     2},
    {"market_file",
     parse_market,
     3,
     {"month", "btc_price_usd", "difficulty"},
     {{"2026-01", "90000", "1.5e14"}, {"2026-02", "91000", ""}},
     1,
     0},
    {"power_file",
     parse_power,
     2,
     {"month", "power_usd_per_mwh"},
     {{"2026-01", "41.5"}, {"2026-03", "43"}},
     1,
     0},
};

/* How a case writes the file. */
typedef struct style {
  const char *bom, *eol, *pre; /* a leading byte-order mark, the line end, lines before */
  int quote;                   /* quote every field */
  int drop_col;                /* -1, or a column left out of the header and rows */
  const char *extra_col;       /* NULL, or a column appended (value 1) */
  const char *rename;          /* NULL, or the new name of column `number` in the header */
  int bad_cell;                /* row 1's `number` cell is "abc" */
  int ragged;                  /* row 2 loses its last field */
  int unclosed;                /* row 2's first field opens a quote never closed */
  const char *post;            /* text after the last row */
} style;

static void put_field(char *buf, size_t n, const char *v, int quote, int first)
{
  size_t at = strlen(buf);
  snprintf(buf + at, n - at, "%s%s%s%s", first ? "" : ",", quote ? "\"" : "", v, quote ? "\"" : "");
}

/* Write the format f in style s into buf; *bad_col = the 1-based column of the bad cell. */
static void write_case(const format *f, const style *s, char *buf, size_t n, int *bad_col)
{
  snprintf(buf, n, "%s%s", s->bom, s->pre);
  int first = 1;
  for (size_t k = 0; k < f->ncols; k++) {
    if ((int)k == s->drop_col) continue;
    put_field(buf, n, s->rename && k == f->number ? s->rename : f->cols[k], s->quote, first);
    first = 0;
  }
  if (s->extra_col) put_field(buf, n, s->extra_col, s->quote, 0);
  snprintf(buf + strlen(buf), n - strlen(buf), "%s", s->eol);
  for (size_t r = 0; r < 2; r++) {
    size_t line_start = strlen(buf);
    first = 1;
    for (size_t k = 0; k < f->ncols; k++) {
      if ((int)k == s->drop_col || (s->ragged && r == 1 && k == f->ncols - 1)) continue;
      const char *v = f->rows[r][k];
      if (s->bad_cell && r == 0 && k == f->number) {
        *bad_col = (int)(strlen(buf) - line_start) + (first ? 1 : 2);
        v = "abc";
      }
      if (s->unclosed && r == 1 && first) {
        snprintf(buf + strlen(buf), n - strlen(buf), "\"%s", v);
        first = 0;
        continue;
      }
      put_field(buf, n, v, s->quote, first);
      first = 0;
    }
    if (s->extra_col) put_field(buf, n, "1", s->quote, 0);
    snprintf(buf + strlen(buf), n - strlen(buf), "%s", s->eol);
  }
  snprintf(buf + strlen(buf), n - strlen(buf), "%s", s->post);
}

#define PLAIN "", "\n", ""
static const struct {
  const char *name;
  style s;
  wp_status want;
  const char *says[3]; /* "@L" in an entry: the format's bad-cell position "t.csv:2:COL:" */
} cases[] = {
    {"plain", {PLAIN, 0, -1, NULL, NULL, 0, 0, 0, ""}, WP_OK, {NULL}},
    {"byte-order mark", {"\xEF\xBB\xBF", "\n", "", 0, -1, NULL, NULL, 0, 0, 0, ""}, WP_OK, {NULL}},
    {"CRLF", {"", "\r\n", "", 0, -1, NULL, NULL, 0, 0, 0, ""}, WP_OK, {NULL}},
    {"BOM + CRLF + quoted",
     {"\xEF\xBB\xBF", "\r\n", "", 1, -1, NULL, NULL, 0, 0, 0, ""},
     WP_OK,
     {NULL}},
    {"quoted fields", {PLAIN, 1, -1, NULL, NULL, 0, 0, 0, ""}, WP_OK, {NULL}},
    {"comments, blank lines, no final line end",
     {"", "\n", "# a comment\n\n  # indented comment\n", 0, -1, NULL, NULL, 0, 0, 0, "\n\n \n"},
     WP_OK,
     {NULL}},
    {"bad numeric cell",
     {PLAIN, 0, -1, NULL, NULL, 1, 0, 0, ""},
     WP_EPARSE,
     {"@L", "'abc' is not a number", "accepted"}},
    {"bad numeric cell, quoted, CRLF",
     {"", "\r\n", "", 1, -1, NULL, NULL, 1, 0, 0, ""},
     WP_EPARSE,
     {"@L", "'abc' is not a number", "accepted"}},
    {"missing column",
     {PLAIN, 0, -2, NULL, NULL, 0, 0, 0, ""},
     WP_EPARSE,
     {"t.csv:1: missing column", NULL}},
    {"unknown column",
     {PLAIN, 0, -1, "bogus", NULL, 0, 0, 0, ""},
     WP_EPARSE,
     {"t.csv:1:", "unknown column 'bogus'", "accepted:"}},
    {"misspelt column",
     {PLAIN, 0, -1, NULL, "@typo", 0, 0, 0, ""},
     WP_EPARSE,
     {"t.csv:1:", "unknown column", "did you mean"}},
    {"ragged row",
     {PLAIN, 0, -1, NULL, NULL, 0, 1, 0, ""},
     WP_EPARSE,
     {"t.csv:3:", "fields; expected", NULL}},
    {"unclosed quote",
     {PLAIN, 0, -1, NULL, NULL, 0, 0, 1, ""},
     WP_EPARSE,
     {"t.csv:3:1:", "never closed", NULL}},
};

static void test_every_csv_passes_the_same_cases(void)
{
  for (size_t fi = 0; fi < sizeof formats / sizeof formats[0]; fi++) {
    const format *f = &formats[fi];
    double plain_fp = NAN;
    for (size_t ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
      style s = cases[ci].s;
      if (s.drop_col == -2) s.drop_col = (int)f->required;
      char typo[64];
      if (s.rename) { /* the number column's name with one letter dropped */
        snprintf(typo, sizeof typo, "%s", f->cols[f->number]);
        memmove(typo + 1, typo + 2, strlen(typo + 1));
        s.rename = typo;
      }
      char text[2048];
      int bad_col = 0;
      write_case(f, &s, text, sizeof text, &bad_col);
      wp_error err = WP_ERROR_INIT;
      double fp = 0;
      wp_status st = f->parse(text, strlen(text), &fp, &err);
      char what[512];
      snprintf(what, sizeof what, "%s, %s: status %d (want %d): %s", f->what, cases[ci].name,
               (int)st, (int)cases[ci].want, err.msg);
      harness_check(st == cases[ci].want, __FILE__, __LINE__, what);
      if (st == WP_OK && cases[ci].want == WP_OK) {
        if (ci == 0) plain_fp = fp;
        snprintf(what, sizeof what, "%s, %s: reads as the plain file (%.17g vs %.17g)", f->what,
                 cases[ci].name, fp, plain_fp);
        harness_check(fp == plain_fp, __FILE__, __LINE__, what);
      }
      for (size_t k = 0; k < 3 && cases[ci].says[k]; k++) {
        char want[128];
        if (!strcmp(cases[ci].says[k], "@L"))
          snprintf(want, sizeof want, "t.csv:2:%d: column %s:", bad_col, f->cols[f->number]);
        else if (!strcmp(cases[ci].says[k], "t.csv:1: missing column"))
          snprintf(want, sizeof want, "t.csv:1: missing column '%s'", f->cols[f->required]);
        else
          snprintf(want, sizeof want, "%s", cases[ci].says[k]);
        snprintf(what, sizeof what, "%s, %s: the message says \"%s\": %s", f->what, cases[ci].name,
                 want, err.msg);
        harness_check(strstr(err.msg, want) != NULL, __FILE__, __LINE__, what);
      }
    }
    /* An empty file, and one of comments only. */
    const char *empties[] = {"", "\xEF\xBB\xBF", "# only a comment\n\n"};
    for (size_t e = 0; e < 3; e++) {
      wp_error err = WP_ERROR_INIT;
      double fp;
      char what[400];
      wp_status st = f->parse(empties[e], strlen(empties[e]), &fp, &err);
      snprintf(what, sizeof what, "%s, empty file %zu: refused naming t.csv (%s)", f->what, e,
               err.msg);
      harness_check(st == WP_EPARSE && strstr(err.msg, "t.csv:") != NULL, __FILE__, __LINE__, what);
    }
  }
}

/* The reader's own positions and quoting, on one text. */
static void test_reader_positions_and_quoting(void)
{
  const char *text = "\xEF\xBB\xBF# note\r\na, \"b,\"\"c\"\"\" ,\r\n\r\n\"multi\nline\",x,  y  \n";
  wp_csv c = WP_CSV_INIT;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_csv_parse(&c, "p.csv", text, strlen(text), WP_CSV_COMMENTS, &err) == WP_OK)) return;
  CHECK_EQ_I64(c.nrows, 2);
  CHECK_EQ_I64(c.rows[0].nfields, 3);
  CHECK_STR(wp_csv_cell(&c, 0, 0), "a");
  CHECK_STR(wp_csv_cell(&c, 0, 1), "b,\"c\"");
  CHECK_STR(wp_csv_cell(&c, 0, 2), "");
  CHECK_EQ_I64(c.rows[0].line, 2);
  CHECK_EQ_I64(c.fields[c.rows[0].first + 1].col, 4);  /* the opening quote */
  CHECK_EQ_I64(c.fields[c.rows[0].first + 2].col, 15); /* an empty field: where it ends */
  CHECK_EQ_I64(c.rows[1].line, 4);
  CHECK_STR(wp_csv_cell(&c, 1, 0), "multi\nline");
  CHECK_EQ_I64(c.fields[c.rows[1].first + 1].line, 5); /* after the embedded newline */
  CHECK_EQ_I64(c.fields[c.rows[1].first + 1].col, 7);
  CHECK_STR(wp_csv_cell(&c, 1, 2), "y");
  CHECK_EQ_I64(c.fields[c.rows[1].first + 2].col, 11);
  /* Misplaced quotes, with their positions. */
  static const struct {
    const char *text, *says;
  } bad[] = {
      {"a,b\"c,d\n", "q.csv:1:4: malformed quoting"},
      {"a,\"b\"c,d\n", "q.csv:1:6: malformed quoting"},
      {"a,b\nc,\"d\n", "q.csv:2:3: a quoted field is never closed"},
      {"a,b\nc\0d,e\n", "q.csv:2:2"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    size_t len = strlen(bad[i].text);
    if (i == 3) len = 10;
    err = (wp_error)WP_ERROR_INIT;
    CHECK(wp_csv_parse(&c, "q.csv", bad[i].text, len, 0, &err) == WP_EPARSE);
    CHECK_CONTAINS(err.msg, bad[i].says);
  }
  wp_csv_release(&c);
}

/* --- the same values as CSV and as YAML plan identically ---------------------------------- */

static char tmpdir[64];

static int write_file(const char *name, const char *text)
{
  char path[256];
  snprintf(path, sizeof path, "%s/%s", tmpdir, name);
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  int ok = fputs(text, f) >= 0;
  return (fclose(f) == 0) && ok;
}

/* The default scenario's text with `from` replaced by `to` (first occurrence). */
static char *default_with(const char *from, const char *to)
{
  const char *d = wp_scenario_default_text(), *at = strstr(d, from);
  if (!at) return NULL;
  size_t n = strlen(d) - strlen(from) + strlen(to) + 1;
  char *out = malloc(n);
  if (out) snprintf(out, n, "%.*s%s%s", (int)(at - d), d, to, at + strlen(from));
  /* A short search: these cases compare two ways of giving the same values, which plan the same
     bit for bit at any node limit (the solver is deterministic). */
  char *nodes = out ? strstr(out, "solver_nodes: 200 ") : NULL;
  if (nodes) memcpy(nodes, "solver_nodes: 20  ", 18);
  return out;
}

/* Plan the scenario files a and b (in tmpdir) and compare the fixed strategies' NPV and cash bit
** for bit (mining-only and custom carry every market and power value; the optimized strategies'
** plans follow from the same values by a deterministic solver, and the CLI cases below compare
** all four): this test also runs under valgrind, where a solve takes minutes. */
#define FIXED (WP_STRATEGY_BIT(WP_STRATEGY_MINING_ONLY) | WP_STRATEGY_BIT(WP_STRATEGY_CUSTOM))

static void plans_identical(const char *a, const char *b, const char *what)
{
  char pa[256], pb[256];
  snprintf(pa, sizeof pa, "%s/%s", tmpdir, a);
  snprintf(pb, sizeof pb, "%s/%s", tmpdir, b);
  wp_scenario *sa = wp_scenario_new(), *sb = wp_scenario_new();
  wp_plan_out *oa = NULL, *ob = NULL;
  wp_error err = WP_ERROR_INIT;
  int ok = wp_scenario_load_file(sa, pa, &err) == WP_OK &&
           wp_scenario_load_file(sb, pb, &err) == WP_OK &&
           wp_plan_run(sa, FIXED, &oa, &err) == WP_OK && wp_plan_run(sb, FIXED, &ob, &err) == WP_OK;
  char msg[400];
  snprintf(msg, sizeof msg, "%s: both plan (%s)", what, err.msg);
  if (harness_check(ok, __FILE__, __LINE__, msg)) {
    int same = oa->nstrategies == ob->nstrategies;
    for (size_t k = 0; same && k < oa->nstrategies; k++)
      same = memcmp(&oa->strategies[k].npv_usd, &ob->strategies[k].npv_usd, sizeof(double)) == 0 &&
             memcmp(&oa->strategies[k].min_cash_usd, &ob->strategies[k].min_cash_usd,
                    sizeof(double)) == 0;
    snprintf(msg, sizeof msg, "%s: the same NPVs bit for bit (%.17g vs %.17g)", what,
             oa->strategies[0].npv_usd, ob->strategies[0].npv_usd);
    harness_check(same, __FILE__, __LINE__, msg);
  }
  wp_plan_out_free(oa);
  wp_plan_out_free(ob);
  wp_scenario_free(sa);
  wp_scenario_free(sb);
}

/* The strategies' NPVs of `plan --json` (key "npv_usd") or `risk --json` ("npv_mean_usd"). */
static int strategy_npvs(const char *json, const char *key, double *npv, int max)
{
  cJSON *root = cJSON_Parse(json);
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "strategies"), *it;
  int n = 0;
  cJSON_ArrayForEach(it, st)
  {
    if (n < max) npv[n++] = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(it, key));
  }
  cJSON_Delete(root);
  return n;
}

/* With no volatility, the risk engine's paths of scenario name (in tmpdir) equal its plan, bit
** for bit, in full lanes (8 paths) and split ones (3), vector or scalar (WATTPIVOT_SCALAR). */
static void risk_zero_vol_is_plan(const char *name)
{
  static cli_result plan, risk;
  char cmd[512];
  double want[8], got[8];
  snprintf(cmd, sizeof cmd, "plan %s/%s --json --no-store", tmpdir, name);
  cli_run(&plan, cmd);
  int n = strategy_npvs(plan.out, "npv_usd", want, 8);
  CHECK(n == 4);
  for (int v = 0; v < 4; v++) {
    snprintf(cmd, sizeof cmd, "risk %s/%s --zero-vol --paths %d --json --no-store", tmpdir, name,
             v & 2 ? 8 : 3);
    if (v & 1) {
      char shell[600];
      snprintf(shell, sizeof shell, "WATTPIVOT_SCALAR=1 @WP %s", cmd);
      cli_shell(&risk, shell);
    } else {
      cli_run(&risk, cmd);
    }
    CHECK_EQ_I64(risk.code, 0);
    CHECK(strategy_npvs(risk.out, "npv_mean_usd", got, 8) == n);
    for (int k = 0; k < n && k < 8; k++)
      CHECK(memcmp(&got[k], &want[k], sizeof got[k]) == 0);
  }
}

/* The scenario hash of file name in tmpdir into hex; 1 when it loaded. */
static int scenario_hash_of(const char *name, char hex[WP_SCENARIO_HASH_SIZE])
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", tmpdir, name);
  wp_scenario *sc = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  int ok = sc && wp_scenario_load_file(sc, path, &err) == WP_OK &&
           wp_scenario_hash(sc, hex, &err) == WP_OK;
  wp_scenario_free(sc);
  return ok;
}

/* market_file: a flat BTC price and fees for every month = the same start values with no growth
** (the default's growth is 0); power_file: a site's price for every month with no escalation. */
static void test_csv_and_yaml_plan_identically(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/wp_csv_XXXXXX");
  if (!CHECK(mkdtemp(tmpdir) != NULL)) return;
  /* market_file */
  char *y2 = default_with("  btc_price_usd: 96532 ", "  btc_price_usd: 80000 ");
  char *t = y2 ? strstr(y2, "fees_btc_per_block: 0.019") : NULL;
  if (t) memcpy(t, "fees_btc_per_block: 0.050", 25);
  char *csv_scen = default_with("\ncountries:", "\nmarket_file: market.csv\n\ncountries:");
  char market[16384] = "month,btc_price_usd,fees_btc_per_block\n";
  for (int m = 0; m < 180; m++)
    snprintf(market + strlen(market), sizeof market - strlen(market), "%04d-%02d,80000,0.05\n",
             2026 + m / 12, m % 12 + 1);
  if (CHECK(y2 && csv_scen) && CHECK(write_file("a.yaml", y2)) &&
      CHECK(write_file("b.yaml", csv_scen)) && CHECK(write_file("market.csv", market)))
    plans_identical("a.yaml", "b.yaml", "market_file vs market: keys");
  /* The scenario hash covers the file's values: one cell changed, another hash. */
  char h1[WP_SCENARIO_HASH_SIZE] = "", h2[WP_SCENARIO_HASH_SIZE] = "", h3[WP_SCENARIO_HASH_SIZE] = "";
  CHECK(scenario_hash_of("b.yaml", h1) && scenario_hash_of("b.yaml", h2));
  CHECK_STR(h1, h2);
  char *cell = strstr(market, "2030-06,80000");
  if (CHECK(cell != NULL)) memcpy(cell, "2030-06,80001", 13);
  CHECK(write_file("market.csv", market) && scenario_hash_of("b.yaml", h3));
  CHECK(strcmp(h1, h3) != 0);
  /* finance reads the market_file as plan does: the same NPV as the keys bit for bit (the file
     restored); a price the file gives cannot be solved for. */
  if (cell) memcpy(cell, "2030-06,80000", 13);
  if (CHECK(write_file("market.csv", market))) {
    static cli_result fa, fb, fc;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "finance --scenario %s/a.yaml --pathway mining --grid-mw 50 --json",
             tmpdir);
    cli_run(&fa, cmd);
    snprintf(cmd, sizeof cmd, "finance --scenario %s/b.yaml --pathway mining --grid-mw 50 --json",
             tmpdir);
    cli_run(&fb, cmd);
    CHECK_EQ_I64(fa.code, 0);
    CHECK_EQ_I64(fb.code, 0);
    cJSON *ja = cJSON_Parse(fa.out), *jb = cJSON_Parse(fb.out);
    const cJSON *na = cJSON_GetObjectItemCaseSensitive(ja, "npv_usd"),
                *nb = cJSON_GetObjectItemCaseSensitive(jb, "npv_usd");
    if (CHECK(cJSON_IsNumber(na) && cJSON_IsNumber(nb)))
      CHECK(memcmp(&na->valuedouble, &nb->valuedouble, sizeof(double)) == 0);
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    snprintf(cmd, sizeof cmd,
             "finance --scenario %s/b.yaml --pathway mining --grid-mw 50 --solve-for hashprice",
             tmpdir);
    cli_run(&fc, cmd);
    CHECK_EQ_I64(fc.code, 3);
    CHECK_CONTAINS(fc.err, "market_file gives BTC prices");
    /* risk centres its paths on the file's months */
    risk_zero_vol_is_plan("b.yaml");
  }
  free(y2);
  free(csv_scen);
  /* power_file: Rockdale at 60 USD/MWh flat, with the market's escalator 0 in both files */
  char *a = default_with("power_escalator_per_yr: 0.02", "power_escalator_per_yr: 0.0 ");
  char *b = default_with("power_escalator_per_yr: 0.02", "power_escalator_per_yr: 0.0 ");
  char *a2 = NULL, *b2 = NULL;
  if (a && b) {
    const char *rock = "    power_usd_per_mwh: 35\n";
    char *at = strstr(a, rock), *bt = strstr(b, rock);
    if (at && bt) {
      size_t n = strlen(a) + 64;
      a2 = malloc(n);
      b2 = malloc(n);
      snprintf(a2, n, "%.*s    power_usd_per_mwh: 60\n%s", (int)(at - a), a, at + strlen(rock));
      snprintf(b2, n, "%.*s    power_usd_per_mwh: 35\n    power_file: rockdale_power.csv\n%s",
               (int)(bt - b), b, bt + strlen(rock));
    }
  }
  char power[16384] = "# Rockdale, USD/MWh\nmonth,power_usd_per_mwh\n";
  for (int m = 0; m < 180; m++)
    snprintf(power + strlen(power), sizeof power - strlen(power), "%04d-%02d,60\r\n", 2026 + m / 12,
             m % 12 + 1);
  if (CHECK(a2 && b2) && CHECK(write_file("c.yaml", a2)) && CHECK(write_file("d.yaml", b2)) &&
      CHECK(write_file("rockdale_power.csv", power))) {
    plans_identical("c.yaml", "d.yaml", "power_file vs the site's power_usd_per_mwh");
    /* The risk engine prices the site with its power_file too */
    risk_zero_vol_is_plan("d.yaml");
  }
  free(a);
  free(b);
  free(a2);
  free(b2);
  /* sites_file: the example next to the default, planned by the command: the same JSON. */
  static cli_result r1, r2;
  cli_run(&r1, "plan " WP_SOURCE_DIR "/data/default_scenario.yaml --json --no-store");
  cli_run(&r2, "plan " WP_SOURCE_DIR "/data/examples/sites_file.yaml --json --no-store");
  CHECK_EQ_I64(r1.code, 0);
  CHECK_EQ_I64(r2.code, 0);
  /* The scenario's path is the only field that may differ: mask both. */
  const char *paths[2] = {WP_SOURCE_DIR "/data/default_scenario.yaml",
                          WP_SOURCE_DIR "/data/examples/sites_file.yaml"};
  cli_result *rs[2] = {&r1, &r2};
  for (int k = 0; k < 2; k++)
    for (char *p = strstr(rs[k]->out, paths[k]); p; p = strstr(p, paths[k]))
      memset(p, '*', strlen(paths[k])),
          memmove(p + 1, p + strlen(paths[k]), strlen(p + strlen(paths[k])) + 1);
  CHECK(strlen(r1.out) > 1000);
  CHECK(strcmp(r1.out, r2.out) == 0);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  CHECK(system(cmd) == 0);
}

/* The scenario keys' own refusals: each names the scenario key and the CSV's file:line. */
static void test_scenario_key_refusals(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/wp_csv_XXXXXX");
  if (!CHECK(mkdtemp(tmpdir) != NULL)) return;
  static const struct {
    const char *yaml, *csv, *says[3];
  } refusals[] = {
      {"sites_file: s.csv\n",
       "name,country,grid_mw\nA,Norway,10\nB,Narnia,5\n",
       {"sites_file: ", "s.csv:3: sites[1].country", "Narnia"}},
      {"sites_file: s.csv\n",
       "name,country,grid_mw\nA,Norway,\n",
       {"sites_file:", "s.csv:2:10: column grid_mw", "empty"}},
      {"sites_file: s.csv\nsites:\n  - {name: A, country: Norway, grid_mw: 5}\n",
       "",
       {"sites_file", "not both", NULL}},
      {"sites_file: missing.csv\n", "", {"sites_file", "missing.csv", NULL}},
      {"sites:\n  - {name: A, country: Norway, grid_mw: 5, power_file: s.csv}\n",
       "month,power_usd_per_mwh\n2026-01,-3\n",
       {"sites[0].power_file", "s.csv:2:9: column power_usd_per_mwh", "[0, 10000] USD/MWh"}},
      {"market_file: s.csv\n",
       "month,difficulty\n2026-01,1e14\n2025-12,1e14\n",
       {"market_file", "s.csv:3:1: column month", "increase"}},
      {"market_file: s.csv\n", "month\n2026-01\n", {"market_file", "s.csv:1:", "no value column"}},
  };
  for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
    char yaml[512], path[256];
    snprintf(yaml, sizeof yaml, "scenario: {name: t, start: 2026-01, horizon_months: 60}\n%s",
             refusals[i].yaml);
    CHECK(write_file("t.yaml", yaml));
    CHECK(write_file("s.csv", refusals[i].csv));
    snprintf(path, sizeof path, "%s/t.yaml", tmpdir);
    wp_scenario *sc = wp_scenario_new();
    wp_error err = WP_ERROR_INIT;
    CHECK(wp_scenario_load_file(sc, path, &err) != WP_OK);
    for (size_t k = 0; k < 3 && refusals[i].says[k]; k++)
      CHECK_CONTAINS(err.msg, refusals[i].says[k]);
    wp_scenario_free(sc);
  }
  wp_scenario *sc = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_scenario_load_default(sc, &err) == WP_OK);
  CHECK(wp_scenario_set(sc, "sites[0].power_file=x.csv", &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "set it in the file");
  wp_scenario_free(sc);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  CHECK(system(cmd) == 0);
}

int main(void)
{
  wp_init();
  RUN(test_reader_positions_and_quoting);
  RUN(test_every_csv_passes_the_same_cases);
  RUN(test_csv_and_yaml_plan_identically);
  RUN(test_scenario_key_refusals);
  return harness_report();
}
