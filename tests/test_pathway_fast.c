/*
** pathway_fast: the risk kernel gives wp_pathway_run's project NPV and equity cash flows bit
** for bit (==, not a tolerance) — on the deterministic market it was prepared on and on
** stochastic market paths it was not — for every pathway of the default portfolio's plan, for
** each business model, with drawn schedules and with financing lines (lease, construction
** loan, term debt); and it declines what it does not cover (a PPA, a fleet refresh).
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "risk/kernel_int.h"
#include "wattpivot.h"

#define PATHS 12

typedef struct fixture {
  wp_scenario *sc;
  wp_plan_decisions *dec;
  wp_risk_market *gen;
  wp_pathway_eval *ev;
  wp_pathway_fast *f;
  wp_market_path mp;
  double *pw, *eq, *scratch;
} fixture;

static int setup(fixture *x)
{
  memset(x, 0, sizeof *x);
  x->mp = (wp_market_path)WP_MARKET_PATH_INIT;
  wp_error err = WP_ERROR_INIT;
  x->sc = wp_scenario_new();
  if (!CHECK(x->sc && wp_scenario_load_default(x->sc, &err) == WP_OK)) goto fail;
  const size_t M = (size_t)x->sc->horizon_months;
  if (!CHECK(wp_plan_decide(x->sc, WP_STRATEGY_ALL, &x->dec, &err) == WP_OK)) goto fail;
  if (!CHECK(wp_risk_market_new(&x->sc->market, &x->sc->risk, x->sc->start, M, &x->gen, &err) ==
             WP_OK))
    goto fail;
  if (!CHECK(wp_pathway_eval_new(x->sc->start, M, &x->ev, &err) == WP_OK)) goto fail;
  if (!CHECK(wp_pathway_fast_new(M, &x->f, &err) == WP_OK)) goto fail;
  if (!CHECK(wp_market_path_init(&x->mp, M, &err) == WP_OK)) goto fail;
  x->pw = calloc(2 * M + wp_pathway_fast_scratch_len(M), sizeof(double));
  x->eq = x->pw + M;
  x->scratch = x->eq + M;
  return CHECK(x->pw != NULL);
fail:
  fprintf(stderr, "%s\n", err.msg);
  return 0;
}

static void teardown(fixture *x)
{
  free(x->pw);
  wp_market_path_release(&x->mp);
  wp_pathway_fast_free(x->f);
  wp_pathway_eval_free(x->ev);
  wp_risk_market_free(x->gen);
  wp_plan_decisions_free(x->dec);
  wp_scenario_free(x->sc);
}

/* A test with a fresh fixture: name(void) runs name_body(x) between setup and teardown. */
#define FIXTURE_TEST(name)                                                                         \
  static void name##_body(fixture *x);                                                             \
  static void name(void)                                                                           \
  {                                                                                                \
    fixture fx;                                                                                    \
    if (setup(&fx)) name##_body(&fx);                                                              \
    teardown(&fx);                                                                                 \
  }                                                                                                \
  static void name##_body(fixture *x)

static int same_bits(double a, double b)
{
  return memcmp(&a, &b, sizeof a) == 0;
}

/*
** Prepare pathway p of site s on the base market, then on PATHS stochastic paths compare the
** kernel with a full run. Returns the number of paths that matched bit for bit (NPV and every
** month's equity cash flow); -1 when the preparation declined.
*/
static int compare(fixture *x, const wp_site *s, const wp_pathway *p, const wp_finance_terms *ft,
                   uint64_t seed)
{
  wp_error err = WP_ERROR_INIT;
  wp_pathway_result r;
  int usable = 0;
  const wp_market_path *base = wp_risk_market_base(x->gen);
  if (!CHECK(wp_pathway_fast_prepare(x->f, x->ev, s, p, base, ft, &r, &usable, &err) == WP_OK)) {
    fprintf(stderr, "%s\n", err.msg);
    return 0;
  }
  if (!usable) return -1;
  int matched = 0;
  const size_t M = x->mp.months;
  for (uint64_t path = 0; path < PATHS; path++) {
    if (!CHECK(wp_risk_market_fill(x->gen, seed, path, &x->mp, &err) == WP_OK)) return 0;
    wp_pathway_site_power(s, &x->mp, x->pw);
    double npv = wp_pathway_fast_eval(x->f, &x->mp, x->pw, x->eq, x->scratch);
    if (!CHECK(wp_pathway_run(x->ev, s, p, &x->mp, ft, &r, &err) == WP_OK)) return 0;
    const double *eq = wp_pathway_ledger(x->ev)->equity_cash_flow_usd;
    int ok = same_bits(npv, r.metrics.npv_usd);
    for (size_t m = 0; ok && m < M; m++)
      ok = same_bits(x->eq[m], eq[m]);
    if (!ok)
      fprintf(stderr, "  %s %s month %lld path %llu: kernel %.17g, full run %.17g\n", s->name,
              wp_business_name(p->business), (long long)p->convert_month,
              (unsigned long long)path, npv, r.metrics.npv_usd);
    matched += ok;
  }
  return matched;
}

/* The scenario's conversion design with a business, a start month and a share of the site. */
static wp_pathway conversion(const wp_scenario *sc, wp_business b, int64_t month, double fraction)
{
  wp_pathway p = sc->conversion;
  p.business = b;
  p.convert_month = month;
  p.convert_fraction = fraction;
  return p;
}

/* Every project of the default plan's strategies: tranches, mining shares, expansions. */
FIXTURE_TEST(test_default_plan_pathways)
{
  size_t n = 0, converting = 0, expansions = 0;
  for (size_t k = 0; k < x->dec->nstrategies; k++) {
    size_t np = 0;
    const wp_plan_project *pr = wp_plan_projects(x->dec, k, &np);
    for (size_t j = 0; j < np; j++) {
      wp_site s = wp_plan_project_site(&x->dec->sites[pr[j].site], &pr[j]);
      wp_pathway p = wp_plan_project_pathway(x->sc, &pr[j]);
      int got = compare(x, &s, &p, &x->dec->site_terms, 7);
      CHECK_EQ_I64(got, PATHS);
      n++;
      converting += p.business != WP_BUSINESS_MINING;
      expansions += (size_t)pr[j].expansion;
    }
  }
  CHECK(n >= x->dec->nstrategies * x->dec->nsites);
  CHECK(converting > 0); /* the default plan converts sites: the AI side is exercised */
  (void)expansions;
}

/* A grid expansion (a new build on new grid capacity: no mine) through the kernel. */
FIXTURE_TEST(test_expansion_new_build)
{
  for (size_t i = 0; i < x->dec->nsites; i++) {
    if (!(x->dec->sites[i].expandable_mw > 0)) continue;
    for (size_t b = 0; b < 3; b++) {
      static const wp_business biz[] = {WP_BUSINESS_COLO, WP_BUSINESS_GPU_CONTRACT,
                                        WP_BUSINESS_GPU_MERCHANT};
      const wp_plan_project pr = {.site = i, .expansion = 1, .share = 1.0, .business = biz[b],
                                  .convert_month = 24};
      wp_site s = wp_plan_project_site(&x->dec->sites[i], &pr);
      wp_pathway p = wp_plan_project_pathway(x->sc, &pr);
      CHECK(p.new_build == 1);
      CHECK_EQ_I64(compare(x, &s, &p, &x->dec->site_terms, 91 + b), PATHS);
    }
    return;
  }
  CHECK(0); /* the default portfolio has expansions */
}

/* The conversion business models. */
static const wp_business conversions[] = {WP_BUSINESS_COLO, WP_BUSINESS_GPU_CONTRACT,
                                          WP_BUSINESS_GPU_MERCHANT};

/* The site terms with financing lines: half the MEP class leased. */
static wp_finance_terms leased_terms(const fixture *x)
{
  wp_finance_terms ft = x->dec->site_terms;
  ft.lease.asset_class = WP_ASSET_AI_MEP;
  ft.lease.fraction = 0.5;
  return ft;
}

/* The first AI-ready site of the default portfolio. */
static const wp_site *ai_site(const fixture *x)
{
  for (size_t i = 0; i < x->dec->nsites; i++)
    if (x->dec->sites[i].ai_ready) return &x->dec->sites[i];
  return NULL;
}

/* Each business model, early and late conversions, partial conversions, and financing: a
** lease of the MEP class, a construction loan and term debt (gpu-contract), no tax. */
FIXTURE_TEST(test_each_business_and_financing)
{
  const wp_site *s = ai_site(x);
  if (!CHECK(s != NULL)) return;
  static const int64_t months[] = {0, 30, 150};
  static const double fractions[] = {1.0, 0.4};
  for (size_t b = 0; b < 3; b++)
    for (size_t mi = 0; mi < 3; mi++)
      for (size_t fi = 0; fi < 2; fi++) {
        wp_pathway p = conversion(x->sc, conversions[b], months[mi], fractions[fi]);
        CHECK_EQ_I64(compare(x, s, &p, &x->dec->site_terms, 11 + b), PATHS);
      }
  const wp_finance_terms ft = leased_terms(x);
  for (size_t b = 0; b < 3; b++) {
    wp_pathway p = conversion(x->sc, conversions[b], 12, 1.0);
    CHECK_EQ_I64(compare(x, s, &p, &ft, 21 + b), PATHS);
  }
}

/* Exit valuation (docs/model/pathway.md step 4): a triple-net lease's exit value is fixed, and
** the kernel matches the full run on every path, at book and at exit; a gross lease (the
** operator pays the power) makes it move with the market, so the kernel declines it at exit
** and takes it at book. */
FIXTURE_TEST(test_exit_valuation)
{
  const wp_site *s = ai_site(x);
  if (!CHECK(s != NULL)) return;
  const wp_plan_project d = {.share = 1.0, .business = WP_BUSINESS_COLO, .convert_month = 3};
  wp_pathway p = wp_plan_project_pathway(x->sc, &d);
  CHECK(p.valuation.terminal_colo == WP_TERMINAL_EXIT);
  CHECK_EQ_I64(compare(x, s, &p, &x->dec->site_terms, 41), PATHS);
  p.valuation.terminal_colo = WP_TERMINAL_BOOK;
  CHECK_EQ_I64(compare(x, s, &p, &x->dec->site_terms, 42), PATHS);
  /* Each business at its own rate: the kernel discounts with the run's own factors. */
  p.valuation.discount_rate[WP_BUSINESS_MINING] = 0.14;
  p.valuation.discount_rate[WP_BUSINESS_COLO] = 0.075;
  CHECK_EQ_I64(compare(x, s, &p, &x->dec->site_terms, 47), PATHS);
  p.valuation.discount_rate[WP_BUSINESS_MINING] = NAN;
  p.valuation.discount_rate[WP_BUSINESS_COLO] = NAN;
  p.colo.basis = WP_LEASE_TRIPLE_NET; /* the tenant's opex: none booked, the kernel follows */
  CHECK_EQ_I64(compare(x, s, &p, &x->dec->site_terms, 45), PATHS);
  p.valuation.terminal_colo = WP_TERMINAL_EXIT;
  CHECK_EQ_I64(compare(x, s, &p, &x->dec->site_terms, 46), PATHS);
  p.valuation.terminal_colo = WP_TERMINAL_BOOK;
  p.colo.basis = WP_LEASE_GROSS;
  CHECK_EQ_I64(compare(x, s, &p, &x->dec->site_terms, 43), PATHS);
  p.valuation.terminal_colo = WP_TERMINAL_EXIT;
  CHECK_EQ_I64(compare(x, s, &p, &x->dec->site_terms, 44), -1);
}

/* A drawn schedule: the preparation is specific to the evaluator's phase override. */
FIXTURE_TEST(test_drawn_schedule)
{
  const wp_site *s = ai_site(x);
  if (!CHECK(s != NULL)) return;
  wp_pathway p = conversion(x->sc, WP_BUSINESS_COLO, 6, 1.0);
  const wp_schedule *tm = wp_pathway_eval_template(x->ev, p.plan, p.substation_upgrade);
  size_t nph = wp_schedule_phase_count(tm);
  double days[WP_PATHWAY_MAX_PHASES];
  for (size_t k = 0; k < nph && k < WP_PATHWAY_MAX_PHASES; k++)
    days[k] = wp_schedule_phase(tm, k)->finish_days * (1.3 + 0.1 * (double)k);
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_pathway_eval_set_phase_days(x->ev, days, nph, &err) == WP_OK);
  CHECK_EQ_I64(compare(x, s, &p, &x->dec->site_terms, 31), PATHS);
  CHECK(wp_pathway_eval_set_phase_days(x->ev, NULL, 0, &err) == WP_OK);
}

/* What the kernel does not cover is declined, and the full run's result is still returned. */
FIXTURE_TEST(test_declines_ppa_and_refresh)
{
  const wp_site *site = ai_site(x);
  if (!CHECK(site != NULL)) return;
  wp_site s = *site;
  wp_pathway mine = conversion(x->sc, WP_BUSINESS_MINING, 0, 1.0);
  CHECK_EQ_I64(compare(x, &s, &mine, &x->dec->site_terms, 41), PATHS);
  s.ppa.fixed_mw = 10;
  s.ppa.price_usd_per_mwh = 40;
  s.ppa.term_months = 120;
  CHECK_EQ_I64(compare(x, &s, &mine, &x->dec->site_terms, 41), -1);
  CHECK(!wp_pathway_fast_usable(x->f));
  s = *site;
  wp_pathway refresh = mine;
  refresh.refresh.every_months = 36;
  refresh.refresh.rule = WP_REFRESH_ALWAYS;
  CHECK_EQ_I64(compare(x, &s, &refresh, &x->dec->site_terms, 41), -1);
  /* Declining still ran the pathway in full: its NPV is the full run's. */
  wp_pathway_result r1, r2;
  int usable = 1;
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_pathway_fast_prepare(x->f, x->ev, &s, &refresh, wp_risk_market_base(x->gen),
                                &x->dec->site_terms, &r1, &usable, &err) == WP_OK);
  CHECK(!usable);
  CHECK(wp_pathway_run(x->ev, &s, &refresh, wp_risk_market_base(x->gen), &x->dec->site_terms, &r2,
                       &err) == WP_OK);
  CHECK(same_bits(r1.metrics.npv_usd, r2.metrics.npv_usd));
  /* Bad arguments. */
  CHECK(wp_pathway_fast_prepare(NULL, x->ev, &s, &mine, &x->mp, &x->dec->site_terms, &r1, &usable,
                                &err) == WP_EINVAL);
  wp_pathway_fast *g = NULL;
  CHECK(wp_pathway_fast_new(0, &g, &err) == WP_EINVAL && g == NULL);
  CHECK(strstr(err.msg, "accepted [1, 1200]") != NULL);
}

/*
** Lanes: four paths at once give each path's scalar evaluation bit for bit — for every pathway
** of the default plan and each business model with financing, with lanes sharing a kernel and
** lanes on kernels of different drawn schedules.
*/
static int lanes_match(fixture *x, const wp_site *s, const wp_pathway *p,
                       const wp_finance_terms *ft, uint64_t seed, int shared)
{
  enum { L = WP_PATHWAY_FAST_LANES };
  const size_t M = x->mp.months;
  wp_error err = WP_ERROR_INIT;
  wp_pathway_fast *own[L] = {NULL};
  const wp_pathway_fast *k[L];
  wp_market_path mp[L];
  /* Per lane: power, equity one by one; interleaved: market (5), power, equity; scratch. */
  double *buf = calloc((size_t)L * (2 * M) + 7 * M * L + (size_t)L * wp_pathway_fast_scratch_len(M),
                       sizeof(double));
  int ok = CHECK(buf != NULL);
  const wp_schedule *tm = wp_pathway_eval_template(x->ev, p->plan, p->substation_upgrade);
  const size_t nph = wp_schedule_phase_count(tm);
  for (int l = 0; l < L; l++) {
    mp[l] = (wp_market_path)WP_MARKET_PATH_INIT;
    ok = ok && CHECK(wp_market_path_init(&mp[l], M, &err) == WP_OK);
  }
  /* Lanes 0 and 1 share the most-likely schedule's kernel; lanes 2 and 3 have drawn ones
     (shared: every lane uses lane 0's kernel). */
  for (int l = 0; ok && l < L; l++) {
    if (l == 1 || (shared && l > 0)) {
      k[l] = k[0];
      continue;
    }
    double days[WP_PATHWAY_MAX_PHASES];
    for (size_t j = 0; j < nph && j < WP_PATHWAY_MAX_PHASES; j++)
      days[j] = wp_schedule_phase(tm, j)->finish_days * (l == 0 ? 1.0 : 1.0 + 0.25 * l);
    ok = CHECK(wp_pathway_eval_set_phase_days(x->ev, days, nph, &err) == WP_OK) &&
         CHECK(wp_pathway_fast_new(M, &own[l], &err) == WP_OK);
    wp_pathway_result r;
    int usable = 0;
    ok = ok && CHECK(wp_pathway_fast_prepare(own[l], x->ev, s, p, wp_risk_market_base(x->gen),
                                             ft, &r, &usable, &err) == WP_OK) &&
         CHECK(usable);
    k[l] = own[l];
  }
  CHECK(wp_pathway_eval_set_phase_days(x->ev, NULL, 0, &err) == WP_OK);
  int matched = 0;
  double *il = buf + (size_t)L * 2 * M, *pw4 = il + 5 * M * L, *eq4 = pw4 + M * L,
         *lscratch = eq4 + M * L;
  wp_pathway_lanes_market mk = {.months = M,
                                .hashprice_btc_per_ph_day = il,
                                .btc_price_usd = il + M * L,
                                .gpu_usd_per_hour = il + 2 * M * L,
                                .colo_usd_per_kw_month = il + 3 * M * L,
                                .power_usd_per_mwh = il + 4 * M * L};
  for (uint64_t path = 0; ok && path < PATHS; path += L) {
    const wp_market_path *mpl[L];
    double npv[L];
    for (int l = 0; l < L; l++) {
      CHECK(wp_risk_market_fill(x->gen, seed, path + (uint64_t)l, &mp[l], &err) == WP_OK);
      mpl[l] = &mp[l];
    }
    wp_pathway_lanes_market_fill(&mk, mpl);
    wp_pathway_site_power_lanes(s, &mk, pw4);
    if (wp_pathway_fast_eval_lanes(k, &mk, pw4, eq4, lscratch, npv) != 1) {
      /* Kernels of different structure (a drawn schedule moved a hall or a contract's end
         across the horizon) are declined, to be evaluated one by one; one kernel in every
         lane never is. */
      CHECK(!shared);
      matched = -1;
      break;
    }
    for (int l = 0; l < L; l++) {
      double *pw = buf + (size_t)l * 2 * M, *one = pw + M;
      wp_pathway_site_power(s, mpl[l], pw);
      double v = wp_pathway_fast_eval(k[l], mpl[l], pw, one, x->scratch);
      int same = same_bits(v, npv[l]);
      for (size_t m = 0; same && m < M; m++)
        same = same_bits(one[m], eq4[m * L + (size_t)l]) && same_bits(pw[m], pw4[m * L + (size_t)l]);
      if (!same)
        fprintf(stderr, "  %s %s lane %d path %llu: lanes %.17g, one by one %.17g\n", s->name,
                wp_business_name(p->business), l, (unsigned long long)(path + (uint64_t)l),
                npv[l], v);
      matched += same;
    }
  }
  for (int l = 0; l < L; l++) {
    wp_market_path_release(&mp[l]);
    wp_pathway_fast_free(own[l]);
  }
  free(buf);
  return matched;
}

FIXTURE_TEST(test_lanes_equal_one_by_one)
{
#if defined(__x86_64__) && defined(__GNUC__)
  if (!wp_simd_enabled()) { /* no lanes here: callers evaluate one by one */
    CHECK(wp_pathway_fast_eval_lanes(NULL, NULL, NULL, NULL, NULL, NULL) == 0);
    return;
  }
#else
  return;
#endif
  const int want = (PATHS / WP_PATHWAY_FAST_LANES) * WP_PATHWAY_FAST_LANES;
  size_t projects = 0, declined = 0;
  for (size_t k = 0; k < x->dec->nstrategies; k++) {
    size_t np = 0;
    const wp_plan_project *pr = wp_plan_projects(x->dec, k, &np);
    for (size_t j = 0; j < np; j++) {
      wp_site ps = wp_plan_project_site(&x->dec->sites[pr[j].site], &pr[j]);
      wp_pathway p = wp_plan_project_pathway(x->sc, &pr[j]);
      const int drawn = lanes_match(x, &ps, &p, &x->dec->site_terms, 51, 0);
      projects++;
      if (drawn < 0)
        declined++;
      else
        CHECK_EQ_I64(drawn, want);
      CHECK_EQ_I64(lanes_match(x, &ps, &p, &x->dec->site_terms, 52, 1), want);
    }
  }
  CHECK(declined * 4 < projects); /* the lanes serve most projects */
  const wp_site *s = ai_site(x);
  if (!CHECK(s != NULL)) return;
  const wp_finance_terms leased = leased_terms(x);
  for (size_t b = 0; b < 3; b++) {
    wp_pathway p = conversion(x->sc, conversions[b], 12, 1.0);
    CHECK_EQ_I64(lanes_match(x, s, &p, &x->dec->site_terms, 61 + b, 0), want);
    CHECK_EQ_I64(lanes_match(x, s, &p, &x->dec->site_terms, 81 + b, 1), want);
    CHECK_EQ_I64(lanes_match(x, s, &p, &leased, 71 + b, 0), want);
  }
}

/* The lanes' lowest running balance equals each lane's own loop, bit for bit, with a
** balance that falls, recovers and falls again, and a NaN flow in one lane. */
static void test_low_balance(void)
{
  enum { M = 37, NL = WP_PATHWAY_FAST_LANES };
  double flow[M * NL], common[M], low[NL];
  uint64_t x = 88172645463325252ULL;
  for (size_t m = 0; m < M; m++) {
    common[m] = -1.0e6 / 3.0 + 1.0e5 * (double)(m % 7);
    for (size_t l = 0; l < NL; l++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      flow[m * NL + l] = ((double)(x >> 11) * 0x1p-53 - 0.45) * 1.0e7 / (double)(l + 1);
    }
  }
  flow[5 * NL + 2] = NAN;
  wp_pathway_lanes_low_balance(2.5e6, flow, common, M, low);
  for (size_t l = 0; l < NL; l++) {
    double cash = 2.5e6, lo = INFINITY;
    for (size_t m = 0; m < M; m++) {
      cash += flow[m * NL + l] + common[m];
      if (cash < lo) lo = cash;
    }
    CHECK(memcmp(&lo, &low[l], sizeof lo) == 0);
  }
  wp_pathway_lanes_low_balance(1.0, flow, common, 0, low);
  for (size_t l = 0; l < NL; l++) CHECK(low[l] == INFINITY);
}

int main(void)
{
  wp_init();
  RUN(test_low_balance);
  RUN(test_default_plan_pathways);
  RUN(test_expansion_new_build);
  RUN(test_each_business_and_financing);
  RUN(test_exit_valuation);
  RUN(test_drawn_schedule);
  RUN(test_declines_ppa_and_refresh);
  RUN(test_lanes_equal_one_by_one);
  return harness_report();
}
