/*
** risk, BTC block bootstrap (btc_model: bootstrap; docs/model/risk.md): the built-in history
** against an independent source, its standardization, zero vol = the plan bit for bit, blocks
** that are contiguous runs of the history, E[price] = the plan's price, the scenario keys and
** the history file's refusals, and the CLI (JSON, thread invariance, exit codes).
*/
#include "cli_run.h"

#include <math.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "harness.h"
#include "refdata.h"
#include "wattpivot.h"

#define HIST_MAX 2000

/* A month,value series read from a CSV (month column mc, value column vc). */
typedef struct series {
  size_t n;
  char month[HIST_MAX][8];
  double v[HIST_MAX];
} series;

static int read_series(const char *path, int mc, int vc, series *s)
{
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return 0;
  }
  char line[512], *fld[REF_MAX_FIELDS];
  int k, header = 1;
  s->n = 0;
  while ((k = ref_next(f, line, sizeof line, fld)) > 0) {
    if (header) { /* the first data line names the columns */
      header = 0;
      continue;
    }
    if (k <= mc || k <= vc || s->n >= HIST_MAX) break;
    snprintf(s->month[s->n], sizeof s->month[0], "%s", fld[mc]);
    s->v[s->n++] = strtod(fld[vc], NULL);
  }
  fclose(f);
  return 1;
}

static double mean_of(const double *x, size_t n)
{
  double s = 0;
  for (size_t i = 0; i < n; i++)
    s += x[i];
  return s / (double)n;
}

static double sd_of(const double *x, size_t n)
{
  double m = mean_of(x, n), ss = 0;
  for (size_t i = 0; i < n; i++)
    ss += (x[i] - m) * (x[i] - m);
  return sqrt(ss / (double)(n - 1));
}

/* Yahoo Finance (data/btc_monthly_close.csv) against CryptoCompare month-end closes
** (tests/data/btc_month_end_cryptocompare.csv) over their common consecutive months: the
** annualized vol of monthly log returns within 5 % relative, the returns' correlation > 0.97. */
static void test_history_cross_source(void)
{
  static series y, c;
  static double ry[HIST_MAX], rc[HIST_MAX];
  if (!CHECK(read_series(WP_SOURCE_DIR "/data/btc_monthly_close.csv", 0, 1, &y))) return;
  if (!CHECK(read_series(WP_SOURCE_DIR "/tests/data/btc_month_end_cryptocompare.csv", 1, 2, &c)))
    return;
  CHECK_EQ_I64(y.n, 137); /* 2014-09 .. 2026-01 */
  CHECK_STR(y.month[0], "2014-09");
  CHECK_STR(y.month[y.n - 1], "2026-01");
  /* Both files are consecutive months: align on the first common month. */
  size_t iy = 0, ic = 0;
  while (iy < y.n && strcmp(y.month[iy], c.month[0]) < 0)
    iy++;
  while (ic < c.n && strcmp(c.month[ic], y.month[iy]) < 0)
    ic++;
  size_t common = 0;
  while (iy + common < y.n && ic + common < c.n &&
         strcmp(y.month[iy + common], c.month[ic + common]) == 0)
    common++;
  CHECK_EQ_I64(common, 134); /* 2014-12 .. 2026-01 */
  size_t n = common - 1;
  for (size_t j = 0; j < n; j++) {
    ry[j] = log(y.v[iy + j + 1] / y.v[iy + j]);
    rc[j] = log(c.v[ic + j + 1] / c.v[ic + j]);
  }
  double vy = sd_of(ry, n) * sqrt(12.0), vc = sd_of(rc, n) * sqrt(12.0);
  double my = mean_of(ry, n), mc = mean_of(rc, n), cov = 0;
  for (size_t j = 0; j < n; j++)
    cov += (ry[j] - my) * (rc[j] - mc);
  double corr = cov / (double)(n - 1) / (sd_of(ry, n) * sd_of(rc, n));
  printf("  cross-source %s..%s (%zu returns): vol Yahoo %.4f, CryptoCompare %.4f (rel %.4f); "
         "corr %.5f\n",
         y.month[iy], y.month[iy + common - 1], n, vy, vc, fabs(vy - vc) / vy, corr);
  CHECK(fabs(vy - vc) / vy < 0.05);
  CHECK(corr > 0.97);
}

/* The built-in history is the data file, and its standardization is the equation's. */
static void test_builtin_history(void)
{
  static series y;
  static double r[HIST_MAX];
  if (!CHECK(read_series(WP_SOURCE_DIR "/data/btc_monthly_close.csv", 0, 1, &y))) return;
  FILE *f = fopen(WP_SOURCE_DIR "/data/btc_monthly_close.csv", "rb");
  static char text[65536];
  size_t len = f ? fread(text, 1, sizeof text - 1, f) : 0;
  text[len] = '\0';
  if (f) fclose(f);
  CHECK(strcmp(text, wp_risk_history_default_text()) == 0); /* compiled in verbatim */

  static wp_risk_assumptions ra = WP_RISK_ASSUMPTIONS_DEFAULT;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_risk_history_load(&ra, NULL, &err) == WP_OK)) {
    fprintf(stderr, "%s\n", err.msg);
    return;
  }
  size_t N = y.n - 1;
  CHECK_EQ_I64(ra.btc_history_n, N);
  for (size_t j = 0; j < N; j++)
    r[j] = log(y.v[j + 1] / y.v[j]);
  double m = mean_of(r, N), sd = sd_of(r, N);
  CHECK_REL(ra.btc_history_vol, sd * sqrt(12.0), 1e-12);
  size_t close = 0;
  for (size_t j = 0; j < N; j++)
    close += fabs(ra.btc_history_std[j] - (r[j] - m) / sd) < 1e-12;
  CHECK_EQ_I64(close, N);
  printf("  built-in history: %zu returns, mean %.5f, sd %.5f, annualized vol %.4f\n", N, m, sd,
         ra.btc_history_vol);
  /* Within the 50-70 %/yr band of btc_vol (docs/model/risk.md). */
  CHECK(ra.btc_history_vol > 0.5 && ra.btc_history_vol < 0.7);
}

/* Assumptions with the built-in history and btc_model bootstrap. */
static int boot_assumptions(wp_risk_assumptions *ra)
{
  wp_risk_assumptions d = WP_RISK_ASSUMPTIONS_DEFAULT;
  *ra = d;
  ra->btc_model = WP_RISK_BTC_BOOTSTRAP;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_risk_history_load(ra, NULL, &err) == WP_OK)) {
    fprintf(stderr, "%s\n", err.msg);
    return 0;
  }
  return 1;
}

/* Zero vol with the bootstrap on: the base path bit for bit, every array. */
static void test_zero_vol_is_base(void)
{
  static wp_risk_assumptions ra;
  if (!boot_assumptions(&ra)) return;
  wp_risk_assumptions_zero_vol(&ra);
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  const size_t M = 180;
  wp_risk_market *g = NULL;
  wp_market_path p = WP_MARKET_PATH_INIT;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_risk_market_new(&a, &ra, (wp_ym){2026, 1}, M, &g, &err) == WP_OK)) return;
  CHECK(wp_market_path_init(&p, M, &err) == WP_OK);
  const wp_market_path *b = wp_risk_market_base(g);
  for (uint64_t path = 0; path < 5; path++) {
    CHECK(wp_risk_market_fill(g, 77, path, &p, &err) == WP_OK);
    const double *const got[] = {p.btc_price_usd,
                                 p.difficulty,
                                 p.fees_btc_per_block,
                                 p.gpu_usd_per_hour,
                                 p.colo_usd_per_kw_month,
                                 p.power_usd_per_mwh,
                                 p.hashprice_usd_per_ph_day,
                                 p.hashprice_btc_per_ph_day};
    const double *const want[] = {b->btc_price_usd,
                                  b->difficulty,
                                  b->fees_btc_per_block,
                                  b->gpu_usd_per_hour,
                                  b->colo_usd_per_kw_month,
                                  b->power_usd_per_mwh,
                                  b->hashprice_usd_per_ph_day,
                                  b->hashprice_btc_per_ph_day};
    for (size_t i = 0; i < sizeof got / sizeof got[0]; i++)
      CHECK(memcmp(got[i], want[i], M * sizeof(double)) == 0);
  }
  wp_risk_market_free(g);
  wp_market_path_release(&p);
}

/* The documented drift d_k (docs/model/risk.md), computed here on its own. */
static void drift_by_hand(const wp_risk_assumptions *ra, double *d)
{
  size_t L = (size_t)ra->btc_block_months, S = ra->btc_history_n - L + 1;
  double step = ra->btc_vol * sqrt(1.0 / 12.0), prev = 0;
  for (size_t k = 0; k < L; k++) {
    double acc = 0;
    for (size_t s = 0; s < S; s++) {
      double sum = 0;
      for (size_t i = 0; i <= k; i++)
        sum += step * ra->btc_history_std[s + i];
      acc += exp(sum);
    }
    d[k] = log(acc / (double)S) - prev;
    prev += d[k];
  }
}

/* With btc_vol = the history's own vol and no correlation, each block's BTC log increments
** (plus the drift) are a contiguous run of the history's scaled returns; starts vary; the seed
** and path decide everything. */
static void test_blocks_are_history_runs(void)
{
  static wp_risk_assumptions ra;
  if (!boot_assumptions(&ra)) return;
  ra.btc_vol = ra.btc_history_vol;
  for (int i = 0; i < WP_RISK_FACTORS; i++)
    for (int j = 0; j < WP_RISK_FACTORS; j++)
      ra.corr[i][j] = i == j;
  const size_t L = (size_t)ra.btc_block_months, N = ra.btc_history_n, B = 4;
  const size_t M = 1 + B * L;
  double d[60];
  drift_by_hand(&ra, d);
  const double step = ra.btc_vol * sqrt(1.0 / 12.0);
  /* sd_hist * sqrt(12) * sqrt(1/12) e_j = r_j - mean: the history's own demeaned returns. */
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  wp_risk_market *g = NULL;
  wp_market_path p = WP_MARKET_PATH_INIT, q = WP_MARKET_PATH_INIT;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_risk_market_new(&a, &ra, (wp_ym){2026, 1}, M, &g, &err) == WP_OK)) return;
  CHECK(wp_market_path_init(&p, M, &err) == WP_OK);
  CHECK(wp_market_path_init(&q, M, &err) == WP_OK);
  const wp_market_path *b = wp_risk_market_base(g);
  const size_t P = 200;
  static unsigned char seen[HIST_MAX];
  memset(seen, 0, sizeof seen);
  size_t matched = 0, unique = 0, blocks_differ = 0;
  for (uint64_t path = 0; path < P; path++) {
    wp_risk_market_fill(g, 2026, path, &p, &err);
    size_t start[4];
    for (size_t blk = 0; blk < B; blk++) {
      double inc[60];
      for (size_t k = 0; k < L; k++) {
        size_t m = 1 + blk * L + k;
        inc[k] = log(p.btc_price_usd[m] / b->btc_price_usd[m]) -
                 log(p.btc_price_usd[m - 1] / b->btc_price_usd[m - 1]) + d[k];
      }
      size_t hits = 0;
      for (size_t s = 0; s + L <= N; s++) {
        size_t k = 0;
        while (k < L && fabs(inc[k] - step * ra.btc_history_std[s + k]) < 1e-9)
          k++;
        if (k == L) {
          if (hits == 0) start[blk] = s;
          hits++;
        }
      }
      matched += hits >= 1;
      unique += hits == 1;
      if (hits >= 1) seen[start[blk]] = 1;
    }
    blocks_differ += start[0] != start[1] || start[1] != start[2];
  }
  CHECK_EQ_I64(matched, P * B);
  CHECK_EQ_I64(unique, P * B);
  size_t distinct = 0;
  for (size_t s = 0; s + L <= N; s++)
    distinct += seen[s];
  /* 800 uniform draws over 125 starts leave a given start unseen with probability
     (124/125)^800 = 0.16 %: about 125 distinct expected; 100 is far below any plausible draw. */
  printf("  %zu blocks matched contiguous history runs; %zu of %zu starts drawn\n", matched,
         distinct, N - L + 1);
  CHECK(distinct > 100);
  CHECK(blocks_differ >= P - 2);
  /* Same (seed, path): the same path; another path or seed: other BTC draws. */
  wp_risk_market_fill(g, 2026, 7, &p, &err);
  wp_risk_market_fill(g, 2026, 7, &q, &err);
  CHECK(memcmp(p.btc_price_usd, q.btc_price_usd, M * sizeof(double)) == 0);
  wp_risk_market_fill(g, 2026, 8, &q, &err);
  CHECK(memcmp(p.btc_price_usd, q.btc_price_usd, M * sizeof(double)) != 0);
  wp_risk_market_fill(g, 2027, 7, &q, &err);
  CHECK(memcmp(p.btc_price_usd, q.btc_price_usd, M * sizeof(double)) != 0);
  wp_risk_market_free(g);

  /* The other drivers' normals are unchanged by the model switch: GBM and bootstrap paths
     have the same fees, GPU, colo and power (no correlation with BTC here, elasticity 0). */
  ra.hashrate_elasticity = 0;
  static wp_risk_assumptions rg;
  rg = ra;
  rg.btc_model = WP_RISK_BTC_GBM;
  wp_risk_market *gb = NULL, *gg = NULL;
  if (CHECK(wp_risk_market_new(&a, &ra, (wp_ym){2026, 1}, M, &gb, &err) == WP_OK) &&
      CHECK(wp_risk_market_new(&a, &rg, (wp_ym){2026, 1}, M, &gg, &err) == WP_OK)) {
    wp_risk_market_fill(gb, 3, 11, &p, &err);
    wp_risk_market_fill(gg, 3, 11, &q, &err);
    CHECK(memcmp(p.fees_btc_per_block, q.fees_btc_per_block, M * sizeof(double)) == 0);
    CHECK(memcmp(p.gpu_usd_per_hour, q.gpu_usd_per_hour, M * sizeof(double)) == 0);
    CHECK(memcmp(p.power_usd_per_mwh, q.power_usd_per_mwh, M * sizeof(double)) == 0);
    CHECK(memcmp(p.btc_price_usd, q.btc_price_usd, M * sizeof(double)) != 0);
  }
  wp_risk_market_free(gb);
  wp_risk_market_free(gg);
  wp_market_path_release(&p);
  wp_market_path_release(&q);
}

/* E[price / base] = 1 in every month (months 6, 12, 24; default correlations, btc_vol 0.6).
** Tolerance: 4 standard errors of the mean, the sample sd over sqrt(paths). The single-constant
** drift c = ln mean exp(sigma sqrt(dt) e) would give 1.19 at month 12 (docs/model/risk.md), some
** 25 standard errors away, so this test separates the two. */
static void test_mean_price_is_base(void)
{
  static wp_risk_assumptions ra;
  if (!boot_assumptions(&ra)) return;
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  const size_t M = 25, P = 20000;
  const size_t at[] = {6, 12, 24};
  wp_risk_market *g = NULL;
  wp_market_path p = WP_MARKET_PATH_INIT;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_risk_market_new(&a, &ra, (wp_ym){2026, 1}, M, &g, &err) == WP_OK)) return;
  CHECK(wp_market_path_init(&p, M, &err) == WP_OK);
  const wp_market_path *b = wp_risk_market_base(g);
  double s1[3] = {0}, s2[3] = {0};
  for (uint64_t path = 0; path < P; path++) {
    wp_risk_market_fill(g, 99, path, &p, &err);
    for (size_t i = 0; i < 3; i++) {
      double x = p.btc_price_usd[at[i]] / b->btc_price_usd[at[i]];
      s1[i] += x;
      s2[i] += x * x;
    }
  }
  for (size_t i = 0; i < 3; i++) {
    double mean = s1[i] / (double)P, sd = sqrt((s2[i] / (double)P - mean * mean));
    double se = sd / sqrt((double)P);
    printf("  month %2zu: mean price/base %.4f, sd %.3f, 4 se = %.4f\n", at[i], mean, sd, 4 * se);
    CHECK_ABS(mean, 1.0, 4 * se);
  }
  wp_risk_market_free(g);
  wp_market_path_release(&p);
}

/* The default scenario's text with `from` replaced by `to` (malloc'd). */
static char *default_with(const char *from, const char *to)
{
  const char *t = wp_scenario_default_text();
  const char *at = strstr(t, from);
  if (!CHECK(at != NULL)) return NULL;
  size_t n = strlen(t) + strlen(to) + 1;
  char *s = malloc(n);
  if (!s) return NULL;
  snprintf(s, n, "%.*s%s%s", (int)(at - t), t, to, at + strlen(from));
  return s;
}

static wp_status load_with(const char *from, const char *to, wp_scenario *sc, wp_error *err)
{
  char *text = default_with(from, to);
  if (!text) return WP_ENOMEM;
  wp_status st = wp_scenario_load_text(sc, "boot.yaml", text, err);
  free(text);
  return st;
}

static int write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  if (!f) return 0;
  int ok = fputs(text, f) >= 0;
  return fclose(f) == 0 && ok;
}

static char tmpdir[64];

/* Scenario keys: bootstrap loads the built-in history; the refusals name key, file and line. */
static void test_scenario_keys(void)
{
  wp_scenario *sc = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(sc)) return;
  CHECK(sc->risk.btc_model == WP_RISK_BTC_GBM && sc->risk.btc_block_months == 12);
  if (!CHECK(load_with("btc_model: gbm", "btc_model: bootstrap", sc, &err) == WP_OK))
    fprintf(stderr, "%s\n", err.msg);
  CHECK(sc->risk.btc_model == WP_RISK_BTC_BOOTSTRAP);
  CHECK_EQ_I64(sc->risk.btc_history_n, 136);
  CHECK_STR(wp_risk_btc_model_name(sc->risk.btc_model), "bootstrap");
  wp_scenario_free(sc);

  static const struct {
    const char *from, *to, *says[2];
  } bad[] = {
      {"btc_model: gbm", "btc_model: garch", {"risk.btc_model", "gbm, bootstrap"}},
      {"btc_block_months: 12", "btc_block_months: 0", {"risk.btc_block_months", "[1, 60]"}},
      {"btc_block_months: 12", "btc_block_months: 61", {"risk.btc_block_months", "61"}},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sc = wp_scenario_new();
    err = (wp_error)WP_ERROR_INIT;
    CHECK(load_with(bad[i].from, bad[i].to, sc, &err) == WP_EPARSE);
    CHECK_CONTAINS(err.msg, "boot.yaml:");
    CHECK_CONTAINS(err.msg, bad[i].says[0]);
    CHECK_CONTAINS(err.msg, bad[i].says[1]);
    wp_scenario_free(sc);
  }

  /* History files next to a scenario file, named relatively. */
  static const struct {
    const char *csv, *says[3];
    wp_status st;
  } files[] = {
      {"# note\nmonth,close_usd\n2020-01,10\n2020-02,-2\n",
       {"h.csv:4:9:", "column close_usd: -2 is out of range", "accepted (0, inf) USD"},
       WP_EPARSE},
      {"month,close_usd\n2020-01,10\n2020-02,abc\n",
       {"h.csv:3:9:", "column close_usd: 'abc'", "not a number"},
       WP_EPARSE},
      {"month,close_usd\n2020-01,10\n2020-02,11\n2020-04,12\n",
       {"h.csv:4:", "2020-04 follows 2020-02", "expected 2020-03"},
       WP_EPARSE},
      {"month,close_usd\n2020-01,10\n2020-01,11\n",
       {"h.csv:3:", "expected 2020-02", "repeat"},
       WP_EPARSE},
      {"month,close_usd\n2020-13,10\n", {"h.csv:2:", "2020-13", "YYYY-MM"}, WP_EPARSE},
      {"date,price\n2020-01,10\n",
       {"h.csv:1:1:", "unknown column 'date'", "month,close_usd"},
       WP_EPARSE},
      {"month,close_usd\n2020-01,10,3\n",
       {"h.csv:2:", "3 fields; expected 2", "month,close_usd"},
       WP_EPARSE},
      {"month,close_usd\n2020-01,10\n2020-02,11\n2020-03,12\n",
       {"h.csv:", "3 rows", "at least 13"},
       WP_EPARSE},
  };
  char scen[128], hist[128];
  snprintf(scen, sizeof scen, "%s/s.yaml", tmpdir);
  snprintf(hist, sizeof hist, "%s/h.csv", tmpdir);
  char *text = default_with("btc_model: gbm", "btc_model: bootstrap\n  btc_history_file: h.csv");
  if (!CHECK(text && write_file(scen, text))) {
    free(text);
    return;
  }
  free(text);
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    CHECK(write_file(hist, files[i].csv));
    sc = wp_scenario_new();
    err = (wp_error)WP_ERROR_INIT;
    CHECK_EQ_I64(wp_scenario_load_file(sc, scen, &err), files[i].st);
    CHECK_CONTAINS(err.msg, "risk.btc_history_file");
    for (size_t k = 0; k < 3; k++)
      CHECK_CONTAINS(err.msg, files[i].says[k]);
    wp_scenario_free(sc);
  }
  /* A good file: the built-in history's text, read from beside the scenario. */
  CHECK(write_file(hist, wp_risk_history_default_text()));
  sc = wp_scenario_new();
  if (CHECK(wp_scenario_load_file(sc, scen, &err) == WP_OK)) {
    static wp_risk_assumptions builtin;
    boot_assumptions(&builtin);
    CHECK_EQ_I64(sc->risk.btc_history_n, builtin.btc_history_n);
    CHECK(memcmp(sc->risk.btc_history_std, builtin.btc_history_std,
                 sizeof builtin.btc_history_std) == 0);
  } else {
    fprintf(stderr, "%s\n", err.msg);
  }
  wp_scenario_free(sc);
  /* A missing file: named with the system's reason. */
  remove(hist);
  sc = wp_scenario_new();
  CHECK_EQ_I64(wp_scenario_load_file(sc, scen, &err), WP_EIO);
  CHECK(strstr(err.msg, hist) != NULL); /* the resolved path, tmpdir/h.csv */
  CHECK_CONTAINS(err.msg, "risk.btc_history_file");
  wp_scenario_free(sc);

  /* The library refuses a bootstrap without a history (programmatic use). */
  wp_risk_assumptions *r = malloc(sizeof *r);
  if (CHECK(r)) {
    wp_risk_assumptions d = WP_RISK_ASSUMPTIONS_DEFAULT;
    *r = d;
    r->btc_model = WP_RISK_BTC_BOOTSTRAP;
    CHECK(wp_risk_assumptions_check(r, &err) == WP_EINVAL);
    CHECK_CONTAINS(err.msg, "btc_model bootstrap");
    CHECK_CONTAINS(err.msg, "0 monthly returns");
    free(r);
  }
}

static const char *json_str(const cJSON *o, const char *k)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : "";
}

/* The CLI: bootstrap runs, says so, is thread-invariant; a bad history file is exit 3. */
static void test_cli(void)
{
  static cli_result a, b, c;
  char scen[128], hist[128], args[512];
  snprintf(scen, sizeof scen, "%s/s.yaml", tmpdir);
  snprintf(hist, sizeof hist, "%s/h.csv", tmpdir);
  CHECK(write_file(hist, wp_risk_history_default_text()));
  snprintf(args, sizeof args, "risk %s --paths 200 --seed 3 --threads 1 --json", scen);
  cli_run(&a, args);
  snprintf(args, sizeof args, "risk %s --paths 200 --seed 3 --threads 2 --json", scen);
  cli_run(&b, args);
  CHECK_EQ_I64(a.code, 0);
  CHECK_EQ_I64(b.code, 0);
  CHECK(a.out[0] != '\0' && strcmp(a.out, b.out) == 0);
  cJSON *doc = cJSON_Parse(a.out);
  if (CHECK(doc != NULL)) {
    CHECK_STR(json_str(doc, "btc_model"), "bootstrap");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(doc, "btc_history_months");
    CHECK(cJSON_IsNumber(n) && n->valuedouble == 136);
    CHECK_EQ_I64(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "strategies")), 4);
    cJSON_Delete(doc);
  }
  /* The default scenario says gbm; the human header names the model. */
  cli_run(&c, "risk --paths 4 --no-wait --json");
  doc = cJSON_Parse(c.out);
  if (CHECK(c.code == 0 && doc != NULL)) CHECK_STR(json_str(doc, "btc_model"), "gbm");
  cJSON_Delete(doc);
  snprintf(args, sizeof args, "risk %s --paths 4 --no-wait --quiet", scen);
  cli_run(&c, args);
  CHECK_EQ_I64(c.code, 0);
  CHECK_CONTAINS(c.out, "BTC model: bootstrap, 12-month blocks of 136 monthly returns");
  /* A gap in the history: exit 3, file:line on stderr. */
  CHECK(write_file(hist, "month,close_usd\n2020-01,1\n2020-03,2\n"));
  snprintf(args, sizeof args, "risk %s --paths 4", scen);
  cli_run(&c, args);
  CHECK_EQ_I64(c.code, 3);
  CHECK_CONTAINS(c.err, "h.csv:3:");
  CHECK_CONTAINS(c.err, "expected 2020-02");
  remove(hist);
  remove(scen);
}

int main(void)
{
  wp_init();
  snprintf(tmpdir, sizeof tmpdir, "/tmp/wp_boot_XXXXXX");
  if (!mkdtemp(tmpdir)) {
    perror("mkdtemp");
    return 1;
  }
  RUN(test_history_cross_source);
  RUN(test_builtin_history);
  RUN(test_zero_vol_is_base);
  RUN(test_blocks_are_history_runs);
  RUN(test_mean_price_is_base);
  RUN(test_scenario_keys);
  RUN(test_cli);
  rmdir(tmpdir);
  return harness_report();
}
