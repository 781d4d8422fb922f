/*
** risk: the invariants of issue 7 — zero volatility reproduces the plan bit for bit on every
** path, results do not depend on the thread count, the seed decides everything, quantiles are
** ordered; the GBM moments by hand; the CLI contract and its refusals.
*/
#include "cli_run.h"

#include <math.h>

#include <cjson/cJSON.h>

#include "decided.h"
#include "harness.h"
#include "risk/market_int.h"
#include "wattpivot.h"

static wp_scenario *default_scenario(void)
{
  wp_scenario *sc = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(sc && wp_scenario_load_default(sc, &err) == WP_OK)) fprintf(stderr, "%s\n", err.msg);
  return sc;
}

static wp_risk_result *run(const wp_scenario *sc, size_t paths, uint64_t seed, unsigned threads,
                           int wait)
{
  wp_risk_opts o = WP_RISK_OPTS_DEFAULT;
  o.paths = paths;
  o.seed = seed;
  o.threads = threads;
  o.value_of_waiting = wait;
  o.decisions = decided(sc, o.mask); /* one optimization per scenario in this binary */
  wp_risk_result *r = NULL;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_risk_run(sc, &o, &r, &err) == WP_OK)) fprintf(stderr, "%s\n", err.msg);
  return r;
}

/* Counts a run's plan progress calls; the last (done, total). */
typedef struct plan_calls {
  size_t calls, done, total;
} plan_calls;

static void count_plan_progress(size_t done, size_t total, void *ctx)
{
  plan_calls *c = ctx;
  c->calls++;
  c->done = done;
  c->total = total;
}

/* Zero volatility: every path's NPV and lowest cash equal wp_plan_run's exactly (==, bit for
** bit, not a tolerance). */
static void test_zero_vol_equals_plan_bit_for_bit(void)
{
  wp_scenario *sc = default_scenario();
  wp_risk_assumptions_zero_vol(&sc->risk);
  wp_plan_out *plan = NULL;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_plan_run(sc, WP_STRATEGY_ALL, &plan, &err) == WP_OK)) {
    wp_scenario_free(sc);
    return;
  }
  wp_risk_result *r = run(sc, 7, 42, 2, 1);
  { /* the plan decided by the engine itself (no decisions given): the same paths, bit for bit */
    wp_risk_opts o = WP_RISK_OPTS_DEFAULT;
    o.paths = 7;
    o.seed = 42;
    o.threads = 2;
    plan_calls pc = {0};
    o.plan_progress = count_plan_progress;
    o.plan_progress_ctx = &pc;
    wp_risk_result *own = NULL;
    /* its progress: all-in's and hybrid's optimizations */
    CHECK(wp_risk_run(sc, &o, &own, &err) == WP_OK);
    CHECK(pc.calls == 2 && pc.done == 2 && pc.total == 2);
    if (own && r &&
        CHECK(own->nstrategies == r->nstrategies))
      for (size_t k = 0; k < r->nstrategies; k++)
        CHECK(memcmp(own->strategies[k].npv_usd, r->strategies[k].npv_usd,
                     r->paths * sizeof(double)) == 0);
    wp_risk_result_free(own);
  }
  if (r && CHECK(r->nstrategies == plan->nstrategies)) {
    for (size_t k = 0; k < r->nstrategies; k++) {
      const wp_risk_strategy *s = &r->strategies[k];
      CHECK_STR(s->name, plan->strategies[k].name);
      CHECK(s->plan_npv_usd == plan->strategies[k].npv_usd);
      size_t same = 0, cash_same = 0;
      for (size_t p = 0; p < r->paths; p++) {
        same += s->npv_usd[p] == plan->strategies[k].npv_usd;
        cash_same += s->min_cash_usd[p] == plan->strategies[k].min_cash_usd;
      }
      CHECK_EQ_I64(same, r->paths);
      CHECK_EQ_I64(cash_same, r->paths);
      CHECK(s->npv_p5_usd == plan->strategies[k].npv_usd);
      CHECK(s->npv_p95_usd == plan->strategies[k].npv_usd);
      /* The summaries too: the mean and CVaR of equal NPVs are that NPV exactly. */
      CHECK(s->npv_mean_usd == plan->strategies[k].npv_usd);
      CHECK(s->cvar5_usd == plan->strategies[k].npv_usd);
      double want_short = plan->strategies[k].min_cash_usd < sc->strategy.cash_floor_usd;
      CHECK(s->p_cash_shortfall == want_short);
    }
    /* Deterministic value of waiting: the best of never (0) and every fixed month. */
    if (CHECK(r->wait.computed)) {
      double best = 0;
      for (size_t k = 0; k < r->wait.ndecisions; k++)
        best = fmax(best, r->wait.mean_uplift_usd[k]);
      CHECK_REL(r->wait.optimal_usd, best, 1e-12);
      CHECK(r->wait.value_of_waiting_usd >= -1e-6);
    }
  }
  wp_risk_result_free(r);
  wp_plan_out_free(plan);
  wp_scenario_free(sc);
}

static int same_results(const wp_risk_result *a, const wp_risk_result *b)
{
  if (!a || !b || a->nstrategies != b->nstrategies || a->paths != b->paths) return 0;
  for (size_t k = 0; k < a->nstrategies; k++) {
    const wp_risk_strategy *x = &a->strategies[k], *y = &b->strategies[k];
    if (memcmp(x->npv_usd, y->npv_usd, a->paths * sizeof(double)) != 0) return 0;
    if (memcmp(x->min_cash_usd, y->min_cash_usd, a->paths * sizeof(double)) != 0) return 0;
    if (x->npv_mean_usd != y->npv_mean_usd || x->npv_p5_usd != y->npv_p5_usd ||
        x->cvar5_usd != y->cvar5_usd || x->p_cash_shortfall != y->p_cash_shortfall ||
        x->p_beats_mining_only != y->p_beats_mining_only)
      return 0;
  }
  return a->wait.optimal_usd == b->wait.optimal_usd &&
         a->wait.convert_now_usd == b->wait.convert_now_usd;
}

static void test_threads_and_seeds(void)
{
  wp_scenario *sc = default_scenario();
  sc->risk.wait_paths = 40;
  wp_risk_result *t1 = run(sc, 41, 7, 1, 1), *t2 = run(sc, 41, 7, 2, 1), *t3 = run(sc, 41, 7, 3, 1);
  wp_risk_result *again = run(sc, 41, 7, 2, 1), *other = run(sc, 41, 8, 2, 1);
  CHECK(same_results(t1, t2));
  CHECK(same_results(t1, t3));
  CHECK(same_results(t2, again));
  CHECK(!same_results(t1, other));
  /* A path depends on (seed, path) only: the first 20 paths of a 41-path run are a 20-path run. */
  wp_risk_result *short_run = run(sc, 20, 7, 2, 0);
  if (t1 && short_run)
    for (size_t k = 0; k < t1->nstrategies; k++)
      CHECK(memcmp(t1->strategies[k].npv_usd, short_run->strategies[k].npv_usd,
                   20 * sizeof(double)) == 0);
  wp_risk_result_free(short_run);
  wp_risk_result_free(t1);
  wp_risk_result_free(t2);
  wp_risk_result_free(t3);
  wp_risk_result_free(again);
  wp_risk_result_free(other);
  wp_scenario_free(sc);
}

static void test_distribution_invariants(void)
{
  wp_scenario *sc = default_scenario();
  wp_risk_result *r = run(sc, 200, 3, 2, 0);
  for (size_t k = 0; r && k < r->nstrategies; k++) {
    const wp_risk_strategy *s = &r->strategies[k];
    CHECK(s->npv_p5_usd <= s->npv_p50_usd);
    CHECK(s->npv_p50_usd <= s->npv_p95_usd);
    CHECK(s->cvar5_usd <= s->npv_p5_usd);
    CHECK(s->p_cash_shortfall >= 0 && s->p_cash_shortfall <= 1);
    CHECK(s->p_beats_mining_only >= 0 && s->p_beats_mining_only <= 1);
    CHECK(s->npv_p95_usd > s->npv_p5_usd); /* the market moves the outcome */
    /* CVaR by hand: the mean of the 10 lowest of 200 path NPVs. */
    double v[200];
    memcpy(v, s->npv_usd, sizeof v);
    for (size_t a = 1; a < 200; a++)
      for (size_t b = a; b > 0 && v[b] < v[b - 1]; b--) {
        double t = v[b];
        v[b] = v[b - 1];
        v[b - 1] = t;
      }
    double tail = 0;
    for (size_t p = 0; p < 10; p++)
      tail += v[p];
    CHECK_REL(s->cvar5_usd, tail / 10, 1e-12);
    /* GSL's P5 of 200 sorted values: v[9] + 0.95 (v[10] - v[9]). */
    CHECK_REL(s->npv_p5_usd, v[9] + 0.95 * (v[10] - v[9]), 1e-12);
  }
  if (r) {
    CHECK_STR(r->strategies[0].name, "mining-only");
    CHECK(r->strategies[0].p_beats_mining_only == 0.0);
  }
  wp_risk_result_free(r);
  wp_scenario_free(sc);
}

/* The market generator alone: zero vol is the base path; GBM log-return moments by hand. */
static void test_market_generator(void)
{
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  wp_risk_assumptions r = WP_RISK_ASSUMPTIONS_DEFAULT;
  wp_ym start = {2026, 1};
  const size_t M = 180;
  wp_error err = WP_ERROR_INIT;
  wp_risk_market *g = NULL;
  wp_market_path p = WP_MARKET_PATH_INIT;
  wp_risk_assumptions_zero_vol(&r);
  if (!CHECK(wp_risk_market_new(&a, &r, start, M, &g, &err) == WP_OK)) return;
  CHECK(wp_market_path_init(&p, M, &err) == WP_OK);
  CHECK(wp_risk_market_fill(g, 9, 123, &p, &err) == WP_OK);
  const wp_market_path *b = wp_risk_market_base(g);
  const double *const got[] = {
      p.btc_price_usd,         p.difficulty,        p.fees_btc_per_block,      p.gpu_usd_per_hour,
      p.colo_usd_per_kw_month, p.power_usd_per_mwh, p.hashprice_usd_per_ph_day};
  const double *const want[] = {b->btc_price_usd,           b->difficulty,
                                b->fees_btc_per_block,      b->gpu_usd_per_hour,
                                b->colo_usd_per_kw_month,   b->power_usd_per_mwh,
                                b->hashprice_usd_per_ph_day};
  for (size_t i = 0; i < 7; i++)
    CHECK(memcmp(got[i], want[i], M * sizeof(double)) == 0);
  wp_risk_market_free(g);

  /* GBM only, drift 10 %/yr, vol 60 %/yr: monthly log returns have mean ln(1.1)/12 - 0.36/24
     = -0.0070057 and variance 0.36/12 = 0.03 (hand computation). Price shocks move
     difficulty with elasticity 0 not at all. */
  a.btc_price_growth_per_yr = 0.10;
  r.btc_vol = 0.60;
  r.hashrate_elasticity = 0;
  g = NULL;
  if (!CHECK(wp_risk_market_new(&a, &r, start, M, &g, &err) == WP_OK)) return;
  const size_t N = 4000;
  double sum = 0, sum2 = 0, ratio12 = 0;
  size_t n = 0, diff_same = 0;
  for (size_t path = 0; path < N; path++) {
    wp_risk_market_fill(g, 2026, path, &p, &err);
    for (size_t m = 1; m < M; m++) {
      double x = log(p.btc_price_usd[m] / p.btc_price_usd[m - 1]);
      sum += x;
      sum2 += x * x;
      n++;
    }
    ratio12 += p.btc_price_usd[12] / wp_risk_market_base(g)->btc_price_usd[12];
    diff_same += memcmp(p.difficulty, wp_risk_market_base(g)->difficulty, M * sizeof(double)) == 0;
  }
  double mean = sum / (double)n, var = sum2 / (double)n - mean * mean;
  CHECK_ABS(mean, log(1.1) / 12 - 0.36 / 24, 4e-4); /* 4.4 standard errors of 9e-5 */
  CHECK_REL(var, 0.03, 0.01);
  /* E[P_12] = the deterministic P_12 (the -sigma^2/2 correction): sd of the mean 0.66/sqrt(N). */
  CHECK_ABS(ratio12 / (double)N, 1.0, 0.045);
  CHECK_EQ_I64(diff_same, N);
  wp_risk_market_free(g);

  /* With the hashrate response on, a higher price raises difficulty after the lag. */
  r.hashrate_elasticity = 1.0;
  g = NULL;
  if (!CHECK(wp_risk_market_new(&a, &r, start, M, &g, &err) == WP_OK)) return;
  size_t agree = 0;
  for (size_t path = 0; path < 200; path++) {
    wp_risk_market_fill(g, 5, path, &p, &err);
    const wp_market_path *bb = wp_risk_market_base(g);
    double up_p = p.btc_price_usd[60] > bb->btc_price_usd[60];
    double up_d = p.difficulty[90] > bb->difficulty[90];
    agree += up_p == up_d;
  }
  CHECK(agree > 140); /* the response follows the price path most of the time */
  wp_risk_market_free(g);
  wp_market_path_release(&p);
}

/* How many of the paths' nine monthly series are equal bit for bit (adds 9 to *total). */
static size_t equal_series(const wp_market_path *a, const wp_market_path *b, size_t M,
                           size_t *total)
{
  const double *const x[] = {a->btc_price_usd,          a->difficulty,
                             a->fees_btc_per_block,     a->gpu_usd_per_hour,
                             a->colo_usd_per_kw_month,  a->power_usd_per_mwh,
                             a->hashprice_usd_per_ph_day, a->hashprice_btc_per_ph_day,
                             a->subsidy_btc};
  const double *const y[] = {b->btc_price_usd,          b->difficulty,
                             b->fees_btc_per_block,     b->gpu_usd_per_hour,
                             b->colo_usd_per_kw_month,  b->power_usd_per_mwh,
                             b->hashprice_usd_per_ph_day, b->hashprice_btc_per_ph_day,
                             b->subsidy_btc};
  size_t same = 0;
  for (size_t i = 0; i < 9; i++) same += memcmp(x[i], y[i], M * sizeof(double)) == 0;
  *total += 9;
  return same;
}

/* A group's paths of M months (out[l] = &lane[l]) and one more. */
static void init_lane_paths(wp_market_path lane[WP_RISK_MARKET_LANES],
                            wp_market_path *out[WP_RISK_MARKET_LANES], wp_market_path *extra,
                            size_t M)
{
  wp_error err = WP_ERROR_INIT;
  for (int l = 0; l < WP_RISK_MARKET_LANES; l++) {
    lane[l] = (wp_market_path)WP_MARKET_PATH_INIT;
    CHECK(wp_market_path_init(&lane[l], M, &err) == WP_OK);
    out[l] = &lane[l];
  }
  CHECK(wp_market_path_init(extra, M, &err) == WP_OK);
}

/* Four paths drawn together are the paths drawn one by one, bit for bit (every series): a path
** does not depend on the others of its group. */
static void test_market_lanes_equal_single(void)
{
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  wp_risk_assumptions r = WP_RISK_ASSUMPTIONS_DEFAULT;
  const size_t M = 180;
  wp_error err = WP_ERROR_INIT;
  wp_risk_market *g = NULL;
  if (!CHECK(wp_risk_market_new(&a, &r, (wp_ym){2026, 1}, M, &g, &err) == WP_OK)) return;
  wp_market_path lane[WP_RISK_MARKET_LANES], one = WP_MARKET_PATH_INIT;
  wp_market_path *out[WP_RISK_MARKET_LANES];
  init_lane_paths(lane, out, &one, M);
  static const uint64_t groups[][WP_RISK_MARKET_LANES] = {{5, 6, 7, 100}, {9, 9, 3, 0}};
  size_t same = 0, total = 0;
  for (size_t k = 0; k < 2; k++) {
    CHECK(wp_risk_market_fill_lanes(g, 42, groups[k], out, &err) == WP_OK);
    if (k == 0) /* paths 5 and 6 differ: the lanes are not copies of one another */
      CHECK(memcmp(lane[0].btc_price_usd, lane[1].btc_price_usd, M * sizeof(double)) != 0);
    for (int l = 0; l < WP_RISK_MARKET_LANES; l++) {
      CHECK(wp_risk_market_fill(g, 42, groups[k][l], &one, &err) == WP_OK);
      same += equal_series(&one, &lane[l], M, &total);
    }
  }
  CHECK_EQ_I64(same, total);
  /* Refusals: a path of another length. */
  wp_market_path short_path = WP_MARKET_PATH_INIT;
  CHECK(wp_market_path_init(&short_path, 12, &err) == WP_OK);
  out[2] = &short_path;
  CHECK(wp_risk_market_fill_lanes(g, 42, groups[0], out, &err) == WP_EINVAL);
  CHECK(strstr(err.msg, "12 months") != NULL);
  CHECK(wp_risk_market_fill_lanes(g, 42, NULL, out, &err) == WP_EINVAL);
  wp_market_path_release(&short_path);
  for (int l = 0; l < WP_RISK_MARKET_LANES; l++) wp_market_path_release(&lane[l]);
  wp_market_path_release(&one);
  wp_risk_market_free(g);
}

/* The interleaved fill gives each lane what wp_risk_market_fill_lanes gives (every series and
** the hashprice, bit for bit), and a lane's whole path made from it is that lane's path (every
** column, the calendar and the USD hashprice included). Refusals name what is wrong. */
static void test_market_interleaved_equals_lanes(void)
{
  wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
  wp_risk_assumptions r = WP_RISK_ASSUMPTIONS_DEFAULT;
  enum { M = 180, NL = WP_RISK_MARKET_LANES };
  wp_error err = WP_ERROR_INIT;
  wp_risk_market *g = NULL;
  if (!CHECK(wp_risk_market_new(&a, &r, (wp_ym){2026, 1}, M, &g, &err) == WP_OK)) return;
  static double store[7][M * NL];
  wp_risk_market_lanes il = {M,        store[0], store[1], store[2],
                             store[3], store[4], store[5], store[6]};
  wp_market_path lane[NL], made = WP_MARKET_PATH_INIT;
  wp_market_path *out[NL];
  init_lane_paths(lane, out, &made, M);
  const uint64_t paths[NL] = {11, 12, 400, 3};
  CHECK(wp_risk_market_fill_lanes(g, 7, paths, out, &err) == WP_OK);
  CHECK(wp_risk_market_fill_interleaved(g, 7, paths, &il, &err) == WP_OK);
  size_t same = 0, total = 0;
  for (size_t l = 0; l < NL; l++) {
    for (size_t m = 0; m < M; m++) {
      const size_t i = m * NL + l;
      const double x[] = {il.btc_price_usd[i],         il.fees_btc_per_block[i],
                          il.difficulty[i],            il.gpu_usd_per_hour[i],
                          il.colo_usd_per_kw_month[i], il.power_usd_per_mwh[i],
                          il.hashprice_btc_per_ph_day[i]};
      const double y[] = {lane[l].btc_price_usd[m],         lane[l].fees_btc_per_block[m],
                          lane[l].difficulty[m],            lane[l].gpu_usd_per_hour[m],
                          lane[l].colo_usd_per_kw_month[m], lane[l].power_usd_per_mwh[m],
                          lane[l].hashprice_btc_per_ph_day[m]};
      for (size_t k = 0; k < 7; k++, total++) same += memcmp(&x[k], &y[k], sizeof x[k]) == 0;
    }
    CHECK(wp_risk_market_lane_path(g, &il, l, &made, &err) == WP_OK);
    same += equal_series(&made, &lane[l], M, &total);
    CHECK(memcmp(made.days, lane[l].days, M * sizeof *made.days) == 0);
    CHECK(made.start.year == lane[l].start.year && made.start.month == lane[l].start.month);
  }
  CHECK_EQ_I64(same, total);
  /* Refusals: arrays of another length, a lane out of range, NULL. */
  il.months = 12;
  CHECK(wp_risk_market_fill_interleaved(g, 7, paths, &il, &err) == WP_EINVAL);
  CHECK(strstr(err.msg, "12 months") != NULL);
  il.months = M;
  CHECK(wp_risk_market_lane_path(g, &il, NL, &made, &err) == WP_EINVAL);
  CHECK(wp_risk_market_fill_interleaved(g, 7, NULL, &il, &err) == WP_EINVAL);
  for (int l = 0; l < NL; l++) wp_market_path_release(&lane[l]);
  wp_market_path_release(&made);
  wp_risk_market_free(g);
}

/* Pathways the fast kernel declines (a PPA site; fleet refresh) run in full inside the groups
** of lanes: the zero-vol identity with the plan and the thread invariance hold for them too,
** with a last group of fewer than four paths. */
static void test_declined_pathways_end_to_end(void)
{
  wp_scenario *sc = default_scenario();
  sc->sites[0].ppa.fixed_mw = 200;
  sc->sites[0].ppa.price_usd_per_mwh = 30;
  sc->sites[0].ppa.term_months = 120;
  sc->conversion.refresh.every_months = 48;
  wp_risk_result *r1 = run(sc, 203, 3, 1, 0), *r2 = run(sc, 203, 3, 2, 0);
  if (r1 && r2 && CHECK(r1->nstrategies == r2->nstrategies)) {
    size_t same = 0;
    for (size_t k = 0; k < r1->nstrategies; k++)
      same += memcmp(r1->strategies[k].npv_usd, r2->strategies[k].npv_usd, 203 * sizeof(double)) ==
                  0 &&
              memcmp(r1->strategies[k].min_cash_usd, r2->strategies[k].min_cash_usd,
                     203 * sizeof(double)) == 0;
    CHECK_EQ_I64(same, r1->nstrategies);
  }
  wp_risk_result_free(r1);
  wp_risk_result_free(r2);
  wp_risk_assumptions_zero_vol(&sc->risk);
  wp_plan_out *plan = NULL;
  wp_error err = WP_ERROR_INIT;
  wp_risk_result *r0 = run(sc, 7, 3, 2, 0);
  if (CHECK(wp_plan_run(sc, WP_STRATEGY_ALL, &plan, &err) == WP_OK) && r0) {
    for (size_t k = 0; k < r0->nstrategies; k++)
      for (size_t p = 0; p < r0->paths; p++)
        CHECK(r0->strategies[k].npv_usd[p] == plan->strategies[k].npv_usd);
  }
  wp_plan_out_free(plan);
  wp_risk_result_free(r0);
  wp_scenario_free(sc);
}

static void test_refusals(void)
{
  wp_risk_assumptions r = WP_RISK_ASSUMPTIONS_DEFAULT;
  wp_error err = WP_ERROR_INIT;
  r.corr[0][2] = r.corr[2][0] = 0.99;
  r.corr[2][3] = r.corr[3][2] = 0.99;
  r.corr[0][3] = r.corr[3][0] = -0.99;
  CHECK(wp_risk_assumptions_check(&r, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "positive-definite");
  wp_risk_assumptions r2 = WP_RISK_ASSUMPTIONS_DEFAULT;
  r2.btc_vol = -0.1;
  CHECK(wp_risk_assumptions_check(&r2, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "btc_vol -0.1");
  /* From a file: the key, the value and the range are named. */
  wp_scenario *sc = default_scenario();
  char text[200000];
  snprintf(text, sizeof text, "%s", wp_scenario_default_text());
  char *at = strstr(text, "  btc_vol: 0.60");
  if (CHECK(at != NULL)) {
    memcpy(at, "  btc_vol: 9.00", 15);
    wp_scenario *bad = wp_scenario_new();
    CHECK(wp_scenario_load_text(bad, "bad.yaml", text, &err) != WP_OK);
    CHECK_CONTAINS(err.msg, "9");
    CHECK_CONTAINS(err.msg, "btc_vol");
    CHECK_CONTAINS(err.msg, "bad.yaml:");
    wp_scenario_free(bad);
    memcpy(at, "  btc_vol: 0.60", 15);
    at = strstr(text, "  # wait_site: Childress");
    if (CHECK(at != NULL)) {
      memcpy(at, "  wait_site: Nowhere    ", 24);
      bad = wp_scenario_new();
      CHECK(wp_scenario_load_text(bad, "bad.yaml", text, &err) == WP_EINVAL);
      CHECK_CONTAINS(err.msg, "risk.wait_site: no site is called 'Nowhere'");
      wp_scenario_free(bad);
    }
  }
  snprintf(sc->risk.wait_site, sizeof sc->risk.wait_site, "Rockdale"); /* not AI-ready */
  wp_risk_opts o = WP_RISK_OPTS_DEFAULT;
  o.paths = 2;
  wp_risk_result *res = NULL;
  /* decisions of other strategies than the run's */
  o.decisions = decided(sc, WP_STRATEGY_BIT(WP_STRATEGY_CUSTOM));
  CHECK(wp_risk_run(sc, &o, &res, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "the decisions given are not a plan of this scenario");
  o.mask = WP_STRATEGY_BIT(WP_STRATEGY_CUSTOM);
  CHECK(wp_risk_run(sc, &o, &res, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "not AI-ready");
  o.paths = 0;
  CHECK(wp_risk_run(sc, &o, &res, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "paths 0");
  wp_scenario_free(sc);
}

/* The drawn-schedule override: the template's own most-likely milestones change nothing;
** later milestones delay energization. */
static void test_phase_override(void)
{
  wp_scenario *sc = default_scenario();
  wp_error err = WP_ERROR_INIT;
  wp_pathway_eval *ev = NULL;
  wp_market_path mp = WP_MARKET_PATH_INIT;
  if (!CHECK(wp_pathway_eval_new(sc->start, 180, &ev, &err) == WP_OK)) return;
  CHECK(wp_market_path_init(&mp, 180, &err) == WP_OK);
  CHECK(wp_market_path_fill_deterministic(&mp, sc->start, &sc->market, &err) == WP_OK);
  long i = wp_scenario_site_index(sc, "Childress");
  wp_site s = sc->sites[i];
  s.tax_rate = 0.21;
  wp_pathway p = sc->conversion;
  p.business = WP_BUSINESS_COLO;
  p.convert_month = 6;
  p.convert_fraction = 1.0;
  wp_finance_terms ft = sc->finance;
  ft.compute_irr = 0;
  wp_pathway_result a, b, c;
  CHECK(wp_pathway_run(ev, &s, &p, &mp, &ft, &a, &err) == WP_OK);
  const wp_schedule *t = wp_pathway_eval_template(ev, p.plan, p.substation_upgrade);
  double days[WP_PATHWAY_MAX_PHASES], later[WP_PATHWAY_MAX_PHASES];
  size_t np = wp_schedule_phase_count(t);
  for (size_t k = 0; k < np; k++) {
    days[k] = wp_schedule_phase(t, k)->finish_days;
    later[k] = days[k] + 200;
  }
  CHECK(wp_pathway_eval_set_phase_days(ev, days, np, &err) == WP_OK);
  CHECK(wp_pathway_run(ev, &s, &p, &mp, &ft, &b, &err) == WP_OK);
  CHECK(a.metrics.npv_usd == b.metrics.npv_usd);
  CHECK(wp_pathway_eval_set_phase_days(ev, later, np, &err) == WP_OK);
  CHECK(wp_pathway_run(ev, &s, &p, &mp, &ft, &c, &err) == WP_OK);
  CHECK(c.energize_full_month > a.energize_full_month);
  /* One phase more than the template has: a valid array, refused when the run meets it. */
  if (np < WP_PATHWAY_MAX_PHASES) later[np] = later[np - 1] + 10;
  CHECK(wp_pathway_eval_set_phase_days(ev, later, np + 1, &err) == WP_OK);
  CHECK(wp_pathway_run(ev, &s, &p, &mp, &ft, &c, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "phase override");
  later[0] = -1;
  CHECK(wp_pathway_eval_set_phase_days(ev, later, np, &err) == WP_EINVAL);
  wp_market_path_release(&mp);
  wp_pathway_eval_free(ev);
  wp_scenario_free(sc);
}

/* Schedule risk alone moves the converting strategies only. */
static void test_schedule_vol_alone(void)
{
  wp_scenario *sc = default_scenario();
  wp_risk_assumptions_zero_vol(&sc->risk);
  sc->risk.schedule_vol = 1.0;
  wp_risk_result *r = run(sc, 30, 11, 2, 0);
  for (size_t k = 0; r && k < r->nstrategies; k++) {
    const wp_risk_strategy *s = &r->strategies[k];
    if (strcmp(s->name, "mining-only") == 0)
      CHECK(s->npv_p5_usd == s->plan_npv_usd && s->npv_p95_usd == s->plan_npv_usd);
    else
      CHECK(s->npv_p95_usd > s->npv_p5_usd);
  }
  wp_risk_result_free(r);
  wp_scenario_free(sc);
}

static double json_num(const cJSON *o, const char *k)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* The vector code and its scalar counterpart (WATTPIVOT_SCALAR=1: what a machine without AVX2
** runs) give the same distributions: their paths differ only in the last bits of the vector
** math, so every statistic agrees to 1e-9 and the shares to one path in the 400. */
static void test_scalar_and_vector_agree(void)
{
  static cli_result v, sc;
  char prev[32] = "";
  const char *p = getenv("WATTPIVOT_SCALAR");
  const int had = p != NULL;
  if (had) snprintf(prev, sizeof prev, "%s", p);
  unsetenv("WATTPIVOT_SCALAR");
  cli_run(&v, "risk --paths 400 --seed 3 --no-wait --json");
  setenv("WATTPIVOT_SCALAR", "1", 1);
  cli_run(&sc, "risk --paths 400 --seed 3 --no-wait --json");
  if (had)
    setenv("WATTPIVOT_SCALAR", prev, 1);
  else
    unsetenv("WATTPIVOT_SCALAR");
  cJSON *a = cJSON_Parse(v.out), *b = cJSON_Parse(sc.out);
  if (CHECK(v.code == 0 && sc.code == 0 && a != NULL && b != NULL)) {
    const cJSON *sa = cJSON_GetObjectItemCaseSensitive(a, "strategies");
    const cJSON *sb = cJSON_GetObjectItemCaseSensitive(b, "strategies");
    CHECK_EQ_I64(cJSON_GetArraySize(sa), cJSON_GetArraySize(sb));
    static const char *const usd[] = {"npv_mean_usd", "npv_p5_usd", "npv_p50_usd", "npv_p95_usd",
                                      "cvar5_usd"};
    static const char *const shares[] = {"p_cash_shortfall", "p_beats_mining_only"};
    for (int k = 0; k < cJSON_GetArraySize(sa); k++) {
      const cJSON *x = cJSON_GetArrayItem(sa, k), *y = cJSON_GetArrayItem(sb, k);
      for (size_t i = 0; i < sizeof usd / sizeof usd[0]; i++)
        CHECK_REL(json_num(x, usd[i]), json_num(y, usd[i]), 1e-9);
      for (size_t i = 0; i < sizeof shares / sizeof shares[0]; i++)
        CHECK_ABS(json_num(x, shares[i]), json_num(y, shares[i]), 1.0 / 400.0 + 1e-12);
    }
  }
  cJSON_Delete(a);
  cJSON_Delete(b);
}

static void test_cli_contract(void)
{
  static cli_result a, b, c;
  cli_run(&a, "risk --paths 24 --seed 5 --threads 1 --json");
  cli_run(&b, "risk --paths 24 --seed 5 --threads 2 --json");
  CHECK_EQ_I64(a.code, 0);
  CHECK_EQ_I64(b.code, 0);
  CHECK(strcmp(a.out, b.out) == 0); /* thread count never changes the output */
  CHECK(a.err[0] == '\0');          /* --json is silent on stderr */
  cJSON *doc = cJSON_Parse(a.out);
  if (CHECK(doc != NULL)) {
    CHECK(json_num(doc, "paths") == 24);
    CHECK(json_num(doc, "seed") == 5);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, "strategies");
    CHECK_EQ_I64(cJSON_GetArraySize(arr), 4);
    static const char *const keys[] = {"npv_mean_usd",       "npv_p5_usd", "npv_p50_usd",
                                       "npv_p95_usd",        "cvar5_usd",  "p_cash_shortfall",
                                       "p_beats_mining_only"};
    const cJSON *s;
    cJSON_ArrayForEach(s, arr)
    {
      CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(s, "name")));
      for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        CHECK(isfinite(json_num(s, keys[i])));
      CHECK(json_num(s, "npv_p5_usd") <= json_num(s, "npv_p50_usd"));
    }
    CHECK(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(doc, "value_of_waiting")));
    cJSON_Delete(doc);
  }
  /* Zero vol through the CLI: P50 is the plan's NPV. */
  cli_run(&c, "risk --paths 3 --zero-vol --no-wait --json");
  doc = cJSON_Parse(c.out);
  if (CHECK(c.code == 0 && doc != NULL)) {
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(doc, "strategies"))
        CHECK(json_num(s, "npv_p50_usd") == json_num(s, "plan_npv_usd"));
    cJSON_Delete(doc);
  }
  /* Same seed, same bytes; another seed, other numbers. */
  cli_run(&c, "risk --paths 24 --seed 5 --json");
  CHECK(strcmp(c.out, a.out) == 0);
  cli_run(&c, "risk --paths 24 --seed 6 --json");
  CHECK(strcmp(c.out, a.out) != 0);
  /* Refusals: exit 3 naming the option and the value; 2 for usage. */
  static const struct {
    const char *args;
    int code;
    const char *says;
  } bad[] = {
      {"risk --paths 0", 3, "0"},
      {"risk --paths 0", 3, "paths"},
      {"risk --paths 10 --threads 0", 3, "threads"},
      {"risk --paths 10 --seed -1", 3, "-1"},
      {"risk --paths 10 --seed abc", 3, "abc"},
      {"risk --paths x", 3, "x"},
      {"risk", 2, "--paths"},
      {"risk --paths 10 --bogus", 2, "bogus"},
      {"risk /nonexistent.yaml --paths 10", 3, "/nonexistent.yaml"},
      {"risk --paths 10 --wait-site Nowhere", 3, "Nowhere"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    cli_run(&c, bad[i].args);
    CHECK_EQ_I64(c.code, bad[i].code);
    CHECK_CONTAINS(c.err, bad[i].says);
  }
  /* Progress: 8 paths are over within a second: no line for them; at every step
     (WATTPIVOT_PROGRESS_SECONDS=0) the plan's optimizations, then the paths. */
  cli_run(&c, "risk --paths 8");
  CHECK_EQ_I64(c.code, 0);
  CHECK(strstr(c.err, " paths (") == NULL);
  cli_shell(&c, "WATTPIVOT_PROGRESS_SECONDS=0 @WP risk --paths 8");
  CHECK_EQ_I64(c.code, 0);
  CHECK_CONTAINS(c.err, "risk: deciding the plan: 2/2 plans (100%), ");
  CHECK_CONTAINS(c.err, "risk: 8/8 paths (100%), ");
  CHECK(strstr(c.err, "plans (100%)") < strstr(c.err, "paths (100%)"));
  /* Human output and progress: a table and no crash. */
  cli_run(&c, "risk --paths 8 --quiet");
  CHECK_EQ_I64(c.code, 0);
  CHECK_CONTAINS(c.out, "hybrid");
  CHECK_CONTAINS(c.out, "value of waiting");
  CHECK(c.err[0] == '\0');
}

int main(void)
{
  wp_init();
  RUN(test_zero_vol_equals_plan_bit_for_bit);
  RUN(test_threads_and_seeds);
  RUN(test_distribution_invariants);
  RUN(test_market_generator);
  RUN(test_market_lanes_equal_single);
  RUN(test_market_interleaved_equals_lanes);
  RUN(test_declined_pathways_end_to_end);
  RUN(test_refusals);
  RUN(test_phase_override);
  RUN(test_schedule_vol_alone);
  RUN(test_cli_contract);
  RUN(test_scalar_and_vector_agree);
  return harness_report();
}
