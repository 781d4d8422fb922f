/*
** schedule module: hand-computed CPM networks (every link type, negative lags, the day-0
** clamp), refusals (cycles, unknown predecessors, bad durations), the task-file reader and its
** refusals (tests/data/sched_*.csv), the templates' most-likely finish, Monte Carlo determinism
** and distributions, and the CLI JSON contract.
*/
#include "cli_run.h"

#include <cjson/cJSON.h>
#include <gsl/gsl_cdf.h>
#include <stdlib.h>

#include "harness.h"
#include "json_check.h"
#include "refdata.h"
#include "model/schedule_int.h"
#include "wattpivot.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define DATA(f) WP_SOURCE_DIR "/tests/data/" f

typedef struct want_times {
  const char *id;
  double es, ef, ls, lf, fl;
} want_times;

static void check_times(const wp_schedule *s, const want_times *w, size_t n)
{
  for (size_t k = 0; k < n; k++) {
    size_t i = wp_schedule_index(s, w[k].id);
    if (!CHECK(i != WP_SCHED_NONE)) continue;
    const wp_sched_times *t = wp_schedule_times(s, i);
    CHECK_ABS(t->es_days, w[k].es, 1e-12);
    CHECK_ABS(t->ef_days, w[k].ef, 1e-12);
    CHECK_ABS(t->ls_days, w[k].ls, 1e-12);
    CHECK_ABS(t->lf_days, w[k].lf, 1e-12);
    CHECK_ABS(t->float_days, w[k].fl, 1e-12);
    CHECK(t->critical == (w[k].fl == 0.0));
  }
}

static void check_path(const wp_schedule *s, const char *const *ids, size_t n)
{
  size_t idx[32];
  size_t got = wp_schedule_critical_path(s, idx, COUNT(idx));
  CHECK_EQ_I64(got, n);
  for (size_t k = 0; k < n && k < got; k++) CHECK_STR(wp_schedule_activity(s, idx[k])->id, ids[k]);
}

#define ACT(id, d) {id, id, d, d, d, NULL, 0, 0}

/*
** Network A, finish-to-start with a positive lag.
**   A(3); B(2) FS A; C(4) FS A+2; D(1) FS B, FS C.
** Forward: A 0-3; B 3-5; C max(0, 3+2)=5 -> 5-9; D max(5, 9)=9 -> 9-10. T = 10.
** Backward: D LF 10 LS 9; B LF = LS(D) = 9, LS 7 (float 4); C LF 9 LS 5 (float 0);
**   A LF = min(LS(B)=7, LS(C)-2=3) = 3, LS 0. Critical: A, C, D.
*/
static const wp_sched_activity net_a[] = {ACT("A", 3), ACT("B", 2), ACT("C", 4), ACT("D", 1)};
static const wp_sched_link net_a_links[] = {{"A", "B", WP_SCHED_FS, 0},
                                            {"A", "C", WP_SCHED_FS, 2},
                                            {"B", "D", WP_SCHED_FS, 0},
                                            {"C", "D", WP_SCHED_FS, 0}};

static void test_fs_with_lag(void)
{
  wp_schedule *s = NULL;
  if (!CHECK(wp_schedule_new(net_a, 4, net_a_links, 4, &s, NULL) == WP_OK)) return;
  static const want_times w[] = {{"A", 0, 3, 0, 3, 0}, {"B", 3, 5, 7, 9, 4},
                                 {"C", 5, 9, 5, 9, 0}, {"D", 9, 10, 9, 10, 0}};
  check_times(s, w, COUNT(w));
  CHECK_ABS(wp_schedule_finish_days(s), 10, 0);
  static const char *const cp[] = {"A", "C", "D"};
  check_path(s, cp, COUNT(cp));
  /* no phase flagged: one phase at the project finish */
  CHECK_EQ_I64(wp_schedule_phase_count(s), 1);
  CHECK(wp_schedule_phase(s, 0)->activity == WP_SCHED_NONE);
  CHECK_ABS(wp_schedule_phase(s, 0)->finish_days, 10, 0);
  CHECK_ABS(wp_schedule_months(30.4375 * 18), 18, 1e-12);
  wp_schedule_free(s);
}

/*
** Network B (also tests/data/sched_hand.csv): SS, FF, negative FS and SS lags, day-0 clamp.
**   A(10); B(6) SS A+2; C(5) FF A-3; D(4) FS B, FS C-1; E(3) SS D-10.
** Forward: A 0-10. B: ES >= ES(A)+2 = 2 -> 2-8. C: EF >= EF(A)-3 = 7 -> ES 2, 2-7.
**   D: ES >= max(EF(B)=8, EF(C)-1=6) = 8 -> 8-12. E: ES >= ES(D)-10 = -2, clamped to 0 -> 0-3.
**   T = 12.
** Backward: D LF = T = 12 (E allows LS(D) <= LS(E)+10 = 19, i.e. LF <= 23), LS 8.
**   E LF 12 LS 9 (float 9). B: LF <= LS(D) = 8, LS 2 (float 0). C: LF <= LS(D)+1 = 9, LS 4
**   (float 2). A: SS to B: LS(A) <= LS(B)-2 = 0 -> LF <= 10; FF to C: LF <= LF(C)+3 = 12;
**   LF 10, LS 0. Critical by ES: A(0), B(2), D(8).
*/
static const wp_sched_activity net_b[] = {ACT("A", 10), ACT("B", 6), ACT("C", 5), ACT("D", 4),
                                          ACT("E", 3)};
static const wp_sched_link net_b_links[] = {{"A", "B", WP_SCHED_SS, 2},
                                            {"A", "C", WP_SCHED_FF, -3},
                                            {"B", "D", WP_SCHED_FS, 0},
                                            {"C", "D", WP_SCHED_FS, -1},
                                            {"D", "E", WP_SCHED_SS, -10}};
static const want_times net_b_want[] = {{"A", 0, 10, 0, 10, 0}, {"B", 2, 8, 2, 8, 0},
                                        {"C", 2, 7, 4, 9, 2},   {"D", 8, 12, 8, 12, 0},
                                        {"E", 0, 3, 9, 12, 9}};
static const char *const net_b_cp[] = {"A", "B", "D"};

static void test_ss_ff_negative_lags(void)
{
  wp_schedule *s = NULL;
  if (!CHECK(wp_schedule_new(net_b, 5, net_b_links, 5, &s, NULL) == WP_OK)) return;
  check_times(s, net_b_want, COUNT(net_b_want));
  CHECK_ABS(wp_schedule_finish_days(s), 12, 0);
  check_path(s, net_b_cp, COUNT(net_b_cp));
  wp_schedule_free(s);
}

/*
** Network C: a driving FF link and a driving negative FS lag.
**   A(5); B(2) FF A+3; C(4) FS B-2.
** Forward: A 0-5; B: EF >= 5+3 = 8 -> 6-8; C: ES >= 8-2 = 6 -> 6-10. T = 10.
** Backward: C LF 10 LS 6; B LF <= LS(C)+2 = 8, LS 6; A LF <= LF(B)-3 = 5, LS 0. All critical,
** ordered by ES then EF: A, B (EF 8), C (EF 10).
*/
static void test_ff_and_negative_fs(void)
{
  static const wp_sched_activity acts[] = {ACT("A", 5), ACT("B", 2), ACT("C", 4)};
  static const wp_sched_link links[] = {{"A", "B", WP_SCHED_FF, 3}, {"B", "C", WP_SCHED_FS, -2}};
  wp_schedule *s = NULL;
  if (!CHECK(wp_schedule_new(acts, 3, links, 2, &s, NULL) == WP_OK)) return;
  static const want_times w[] = {{"A", 0, 5, 0, 5, 0}, {"B", 6, 8, 6, 8, 0},
                                 {"C", 6, 10, 6, 10, 0}};
  check_times(s, w, COUNT(w));
  static const char *const cp[] = {"A", "B", "C"};
  check_path(s, cp, COUNT(cp));
  /* the allocation-free per-draw pass agrees, and reacts to other durations */
  double d[3] = {5, 2, 4}, work[6];
  CHECK_EQ_I64(wp_schedule_work_len(s), 6);
  CHECK_ABS(wp_schedule_finish_days_for(s, d, work), 10, 0);
  d[0] = 9; /* B: EF >= 12 -> 10-12; C: 10-14 */
  CHECK_ABS(wp_schedule_finish_days_for(s, d, work), 14, 0);
  CHECK_ABS(work[3 + 1], 12, 0); /* EF of B */
  wp_schedule_free(s);
}

static void test_refusals(void)
{
  wp_error err = WP_ERROR_INIT;
  wp_schedule *s = (wp_schedule *)&err; /* must be reset to NULL on failure */
  /* cycle A -> B -> C -> A with D downstream of it: only the cycle is named */
  static const wp_sched_activity acts[] = {ACT("A", 1), ACT("B", 1), ACT("C", 1), ACT("D", 1)};
  static const wp_sched_link cyc[] = {{"A", "B", WP_SCHED_FS, 0}, {"B", "C", WP_SCHED_SS, 1},
                                      {"C", "A", WP_SCHED_FF, 0}, {"C", "D", WP_SCHED_FS, 0}};
  CHECK(wp_schedule_new(acts, 4, cyc, 4, &s, &err) == WP_EINFEASIBLE);
  CHECK(s == NULL);
  CHECK_CONTAINS(err.msg, "cycle");
  CHECK_CONTAINS(err.msg, "A -> B -> C -> A");
  CHECK(strchr(err.msg, 'D') == NULL);
  /* a self-link is a cycle too */
  static const wp_sched_link self[] = {{"B", "B", WP_SCHED_SS, 0}};
  CHECK(wp_schedule_new(acts, 4, self, 1, &s, &err) == WP_EINFEASIBLE);
  CHECK_CONTAINS(err.msg, "B -> B");
  /* unknown predecessor, named with its successor */
  static const wp_sched_link unk[] = {{"Z", "B", WP_SCHED_FS, 0}};
  CHECK(wp_schedule_new(acts, 4, unk, 1, &s, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "unknown predecessor 'Z'");
  CHECK_CONTAINS(err.msg, "'B'");
  /* durations out of order, duplicate ids, NaN lag, no activities */
  static const wp_sched_activity bad[] = {{"X", "x", 5, 3, 9, NULL, 0, 0}};
  CHECK(wp_schedule_new(bad, 1, NULL, 0, &s, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "'X'");
  static const wp_sched_activity dup[] = {ACT("A", 1), ACT("B", 1), ACT("A", 2)};
  CHECK(wp_schedule_new(dup, 3, NULL, 0, &s, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "duplicate activity id 'A'");
  static const wp_sched_link nanlag[] = {{"A", "B", WP_SCHED_FS, NAN}};
  CHECK(wp_schedule_new(acts, 4, nanlag, 1, &s, &err) == WP_EINVAL);
  CHECK(wp_schedule_new(acts, 0, NULL, 0, &s, &err) == WP_EINVAL);
  /* phases: two milestones on phase 1; fractions not summing to 1 */
  static const wp_sched_activity ph2[] = {{"A", "a", 1, 1, 1, NULL, 1, 0.5},
                                          {"B", "b", 1, 1, 1, NULL, 1, 0.5}};
  CHECK(wp_schedule_new(ph2, 2, NULL, 0, &s, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "energize_phase 1");
  static const wp_sched_activity phs[] = {{"A", "a", 1, 1, 1, NULL, 1, 0.5},
                                          {"B", "b", 1, 1, 1, NULL, 2, 0.4}};
  CHECK(wp_schedule_new(phs, 2, NULL, 0, &s, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "sum");
  wp_schedule_free(NULL); /* a no-op */
}

static wp_schedule *template_of(wp_sched_plan plan, int substation)
{
  wp_sched_template_opts o = WP_SCHED_TEMPLATE_OPTS_DEFAULT;
  o.plan = plan;
  o.substation_upgrade = substation;
  wp_schedule *s = NULL;
  wp_error err = WP_ERROR_INIT;
  if (wp_schedule_template(&o, &s, &err) != WP_OK) fprintf(stderr, "template: %s\n", err.msg);
  return s;
}

static void test_templates(void)
{
  wp_schedule *seq = template_of(WP_SCHED_SEQUENTIAL, 0), *ft = template_of(WP_SCHED_FAST_TRACK, 0);
  wp_schedule *gf = template_of(WP_SCHED_GREENFIELD, 0);
  wp_schedule *seq_sub = template_of(WP_SCHED_SEQUENTIAL, 1);
  wp_schedule *ft_sub = template_of(WP_SCHED_FAST_TRACK, 1);
  if (!CHECK(seq && ft && gf && seq_sub && ft_sub)) goto out;
  /* Sequential critical path, most-likely days: DES 120 + PER 90 + PRC 45 + GEN 364 + SET 30
  ** + L2 14 + L3 14 + L4 21 + L5 14 + INS 14 = 726 days = 23.85 months (seed: ~24). */
  CHECK_ABS(wp_schedule_finish_days(seq), 726, 0);
  double m = wp_schedule_months(wp_schedule_finish_days(seq));
  CHECK(m >= 22 && m <= 26);
  static const char *const seq_cp[] = {"DES", "PER", "PRC", "GEN", "CDU", "SET", "L2",
                                       "L3",  "L4",  "L5",  "INS", "ENE"};
  check_path(seq, seq_cp, COUNT(seq_cp));
  /* Fast-track: DES 120 + PER 90 + CIV 90 + ELE 120 + FIT1..3 3x40 + L4H3 14 + L5H3 10 = 564
  ** days = 18.53 months (seed: ~18); long-lead items are off the critical path. */
  CHECK_ABS(wp_schedule_finish_days(ft), 564, 0);
  m = wp_schedule_months(wp_schedule_finish_days(ft));
  CHECK(m >= 16 && m <= 20);
  CHECK(wp_schedule_times(ft, wp_schedule_index(ft, "GEN"))->float_days > 0);
  CHECK(wp_schedule_times(ft, wp_schedule_index(ft, "DEC"))->es_days ==
        wp_schedule_times(ft, wp_schedule_index(ft, "PER"))->es_days);
  CHECK(wp_schedule_times(ft, wp_schedule_index(ft, "SWG"))->es_days == 0);
  /* phases: three halls, fractions sum to 1, dates non-decreasing, the last = finish */
  CHECK_EQ_I64(wp_schedule_phase_count(ft), 3);
  double sum = 0, prev = 0;
  for (size_t k = 0; k < 3; k++) {
    const wp_sched_phase *p = wp_schedule_phase(ft, k);
    sum += p->fraction;
    CHECK(p->finish_days >= prev);
    prev = p->finish_days;
  }
  CHECK_ABS(sum, 1, 1e-12);
  CHECK_ABS(prev, 564, 0);
  CHECK_ABS(wp_schedule_phase(ft, 0)->finish_days, 516, 0); /* hall 1: ~17 months */
  CHECK_EQ_I64(wp_schedule_phase_count(seq), 1);
  /* greenfield: the queue (4 years most likely) drives the date */
  size_t q = wp_schedule_index(gf, "IXQ");
  if (CHECK(q != WP_SCHED_NONE)) {
    CHECK_ABS(wp_schedule_activity(gf, q)->mode_days, 1461, 0);
    CHECK(wp_schedule_times(gf, q)->critical);
  }
  CHECK(wp_schedule_months(wp_schedule_finish_days(gf)) > 48);
  /* substation upgrade: transformers only when asked, and they push the date out */
  CHECK(wp_schedule_index(seq, "XFM") == WP_SCHED_NONE);
  CHECK(wp_schedule_index(seq_sub, "XFM") != WP_SCHED_NONE);
  CHECK(wp_schedule_finish_days(seq_sub) > wp_schedule_finish_days(seq));
  CHECK(wp_schedule_finish_days(ft_sub) > wp_schedule_finish_days(ft));
  /* every duration cites a source (or says judgment) */
  const wp_schedule *all[] = {seq, ft, gf, seq_sub};
  for (size_t t = 0; t < COUNT(all); t++)
    for (size_t i = 0; i < wp_schedule_count(all[t]); i++) {
      const wp_sched_activity *a = wp_schedule_activity(all[t], i);
      CHECK(a->source && strlen(a->source) > 5);
    }
  wp_sched_plan p;
  CHECK(wp_schedule_plan_parse("fast-track", &p, NULL) == WP_OK && p == WP_SCHED_FAST_TRACK);
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_schedule_plan_parse("fast", &p, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "sequential, fast-track, greenfield");
out:
  wp_schedule_free(ft_sub);
  wp_schedule_free(seq_sub);
  wp_schedule_free(gf);
  wp_schedule_free(ft);
  wp_schedule_free(seq);
}

static void test_monte_carlo_constant_durations(void)
{
  /* min == mode == max: every draw is network A's deterministic pass */
  wp_schedule *s = NULL;
  if (!CHECK(wp_schedule_new(net_a, 4, net_a_links, 4, &s, NULL) == WP_OK)) return;
  wp_sched_mc_opts o = {.draws = 50, .seed = 3, .dist = WP_SCHED_PERT};
  wp_sched_mc_result r;
  double crit[4];
  CHECK(wp_schedule_monte_carlo(s, &o, &r, crit, NULL, NULL, NULL) == WP_OK);
  CHECK_ABS(r.p50_days, 10, 0);
  CHECK_ABS(r.p90_days, 10, 0);
  CHECK_ABS(crit[0], 1, 0);
  CHECK_ABS(crit[1], 0, 0);
  CHECK_ABS(crit[2], 1, 0);
  CHECK_ABS(crit[3], 1, 0);
  wp_error err = WP_ERROR_INIT;
  o.draws = 0;
  CHECK(wp_schedule_monte_carlo(s, &o, &r, NULL, NULL, NULL, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "draws");
  wp_schedule_free(s);
}

/* Draws in lanes: each lane depends on its draw only (a group equals its lanes drawn alone, in
** every lane), and equals the scalar draw up to the last bits of the vector math (to 1e-12 of
** the activity's range), for PERT and triangular. */
static void test_draw_lanes(void)
{
  wp_schedule *s = template_of(WP_SCHED_FAST_TRACK, 0);
  if (!CHECK(s != NULL)) return;
  const size_t n = wp_schedule_count(s);
  CHECK(n <= 64);
  static const wp_sched_dist dists[] = {WP_SCHED_PERT, WP_SCHED_TRIANGULAR};
  double lane[WP_SCHED_DRAW_LANES][64], alone[WP_SCHED_DRAW_LANES][64], one[64];
  double *lp[WP_SCHED_DRAW_LANES], *ap[WP_SCHED_DRAW_LANES];
  for (int l = 0; l < WP_SCHED_DRAW_LANES; l++) {
    lp[l] = lane[l];
    ap[l] = alone[l];
  }
  size_t same_alone = 0, close = 0, total = 0, exact = 0;
  for (size_t d = 0; d < 2; d++)
    for (uint64_t g = 0; g < 200; g += WP_SCHED_DRAW_LANES) {
      const uint64_t draws[WP_SCHED_DRAW_LANES] = {g, g + 1, g + 2, g + 3};
      wp_schedule_draw_durations_lanes(s, dists[d], 7, draws, lp);
      for (int l = 0; l < WP_SCHED_DRAW_LANES; l++) {
        const uint64_t mine[WP_SCHED_DRAW_LANES] = {draws[l], draws[l], draws[l], draws[l]};
        wp_schedule_draw_durations_lanes(s, dists[d], 7, mine, ap);
        same_alone += memcmp(alone[0], lane[l], n * sizeof(double)) == 0;
        wp_schedule_draw_durations(s, dists[d], 7, draws[l], one);
        for (size_t i = 0; i < n; i++, total++) {
          const wp_sched_activity *a = wp_schedule_activity(s, i);
          close += fabs(one[i] - lane[l][i]) <= 1e-12 * (a->max_days - a->min_days + 1.0);
          exact += one[i] == lane[l][i];
        }
      }
    }
  CHECK_EQ_I64(same_alone, 2 * 200);
  CHECK_EQ_I64(close, total);
  CHECK(exact > total / 2); /* fixed activities and triangular draws are exact */
  wp_schedule_free(s);
}

/* Phase finishes in lanes equal each lane's wp_schedule_finish_days_for and
** wp_schedule_phase_days_for bit for bit: the fast-track template's phases on drawn durations,
** and network B's SS, FF and negative lags (with the day-0 clamp; every activity a phase, so
** every EF is compared) on perturbed durations. */
static void test_phase_days_lanes(void)
{
  enum { NL = WP_SCHED_DRAW_LANES };
  /* Network B with every activity a phase: its phase finishes are every activity's EF. */
  wp_sched_activity phased[5];
  for (int i = 0; i < 5; i++) {
    phased[i] = net_b[i];
    phased[i].energize_phase = (unsigned)i + 1;
    phased[i].energize_fraction = 0.2;
  }
  wp_schedule *t = template_of(WP_SCHED_FAST_TRACK, 0), *b = NULL;
  if (!CHECK(t != NULL && wp_schedule_new(phased, 5, net_b_links, 5, &b, NULL) == WP_OK)) {
    wp_schedule_free(t);
    return;
  }
  wp_schedule *const nets[] = {t, b};
  size_t same = 0, total = 0;
  uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (size_t k = 0; k < 2; k++) {
    const wp_schedule *s = nets[k];
    const size_t n = wp_schedule_count(s), np = wp_schedule_phase_count(s);
    if (!CHECK(n <= 64 && np <= 8)) continue;
    double dur[NL][64], ph[NL][8], one[8], work[NL * 128], w1[128];
    double *dp[NL], *pp[NL];
    for (int l = 0; l < NL; l++) {
      dp[l] = dur[l];
      pp[l] = ph[l];
    }
    for (uint64_t g = 0; g < 400; g += NL) {
      const uint64_t draws[NL] = {g, g + 1, g + 2, g + 3};
      wp_schedule_draw_durations_lanes(s, WP_SCHED_PERT, 11, draws, dp);
      if (k == 1) /* network B's fixed durations, perturbed so the negative lags bind or not */
        for (int l = 0; l < NL; l++)
          for (size_t i = 0; i < n; i++)
          {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            /* full-mantissa durations from 0.3 to 3.3 x the mode: reordered sums round apart */
            dur[l][i] = wp_schedule_activity(s, i)->mode_days *
                        (0.3 + 3.0 * (double)(x >> 11) * 0x1p-53);
          }
      wp_schedule_phase_days_lanes(s, (const double *const *)dp, work, pp);
      for (int l = 0; l < NL; l++) {
        wp_schedule_finish_days_for(s, dur[l], w1);
        wp_schedule_phase_days_for(s, w1 + n, one);
        total++;
        same += memcmp(one, ph[l], np * sizeof(double)) == 0;
      }
    }
  }
  CHECK_EQ_I64(same, total);
  CHECK_EQ_I64(total, 2 * 100 * NL);
  wp_schedule_free(t);
  wp_schedule_free(b);
}

static void test_monte_carlo_determinism(void)
{
  wp_schedule *s = template_of(WP_SCHED_FAST_TRACK, 0);
  if (!CHECK(s != NULL)) return;
  size_t n = wp_schedule_count(s);
  double c1[64], c2[64], c3[64], ph50[3], ph80[3];
  wp_sched_mc_result r1, r2, r3;
  wp_sched_mc_opts o = {.draws = 2000, .seed = 42, .dist = WP_SCHED_PERT};
  CHECK(n <= 64);
  CHECK(wp_schedule_monte_carlo(s, &o, &r1, c1, ph50, ph80, NULL) == WP_OK);
  CHECK(wp_schedule_monte_carlo(s, &o, &r2, c2, NULL, NULL, NULL) == WP_OK);
  CHECK(r1.p50_days == r2.p50_days && r1.p80_days == r2.p80_days && r1.p90_days == r2.p90_days);
  CHECK(memcmp(c1, c2, n * sizeof *c1) == 0);
  o.seed = 43;
  CHECK(wp_schedule_monte_carlo(s, &o, &r3, c3, NULL, NULL, NULL) == WP_OK);
  CHECK(r3.p50_days != r1.p50_days);
  CHECK(memcmp(c1, c3, n * sizeof *c1) != 0);
  /* ordering, and the uncertainty pushes the date beyond the most-likely pass */
  CHECK(r1.min_days <= r1.p50_days && r1.p50_days <= r1.p80_days && r1.p80_days <= r1.p90_days &&
        r1.p90_days <= r1.max_days);
  CHECK(r1.p50_days > wp_schedule_finish_days(s));
  CHECK(ph50[0] <= ph50[2] && ph50[2] <= ph80[2]);
  /* the final milestone is critical in every draw; criticality is a fraction */
  CHECK_ABS(c1[wp_schedule_index(s, "ENE3")], 1, 0);
  for (size_t i = 0; i < n; i++) CHECK(c1[i] >= 0 && c1[i] <= 1);
  /* triangular is a different, equally deterministic stream */
  o.seed = 42;
  o.dist = WP_SCHED_TRIANGULAR;
  CHECK(wp_schedule_monte_carlo(s, &o, &r3, NULL, NULL, NULL, NULL) == WP_OK);
  CHECK(wp_schedule_monte_carlo(s, &o, &r2, NULL, NULL, NULL, NULL) == WP_OK);
  CHECK(r3.p80_days == r2.p80_days && r3.p80_days != r1.p80_days);
  /* a draw depends on (seed, draw index) only, not on the order of calls */
  double a[64], b[64], tmp[64];
  wp_schedule_draw_durations(s, WP_SCHED_PERT, 9, 7, a);
  wp_schedule_draw_durations(s, WP_SCHED_PERT, 9, 3, tmp);
  wp_schedule_draw_durations(s, WP_SCHED_PERT, 9, 7, b);
  CHECK(memcmp(a, b, n * sizeof *a) == 0);
  CHECK(memcmp(a, tmp, n * sizeof *a) != 0);
  /* draws stay within [min, max] */
  int inside = 1;
  for (uint64_t k = 0; k < 500; k++)
    for (int dist = 0; dist < 2; dist++) {
      wp_schedule_draw_durations(s, (wp_sched_dist)dist, 5, k, a);
      for (size_t i = 0; i < n; i++) {
        const wp_sched_activity *act = wp_schedule_activity(s, i);
        if (!(a[i] >= act->min_days && a[i] <= act->max_days)) inside = 0;
      }
    }
  CHECK(inside);
  wp_schedule_free(s);
}

/*
** Sampling checks against closed forms, one activity (min 0, mode 1, max 10), 20,000 draws.
** PERT-beta: a = 1.4, b = 4.6, mean (0 + 4*1 + 10)/6 = 2.3333, sd 1.5986 (SE of the mean
** 0.011); CDF(2) = I_0.2(1.4, 4.6) from GSL. Triangular: mean 11/3, sd 2.249 (SE 0.016),
** CDF(1) = 0.1, CDF(5) = 1 - 5^2/(10*9) = 0.72222. Tolerances ~4 standard errors.
*/
static void test_distributions(void)
{
  static const wp_sched_activity one[] = {{"X", "x", 0, 1, 10, NULL, 0, 0}};
  wp_schedule *s = NULL;
  if (!CHECK(wp_schedule_new(one, 1, NULL, 0, &s, NULL) == WP_OK)) return;
  const int n = 20000;
  double sum_p = 0, sum_t = 0, below2 = 0, below1 = 0, below5 = 0, d;
  for (int k = 0; k < n; k++) {
    wp_schedule_draw_durations(s, WP_SCHED_PERT, 11, (uint64_t)k, &d);
    sum_p += d;
    below2 += d <= 2.0;
    wp_schedule_draw_durations(s, WP_SCHED_TRIANGULAR, 11, (uint64_t)k, &d);
    sum_t += d;
    below1 += d <= 1.0;
    below5 += d <= 5.0;
  }
  CHECK_ABS(sum_p / n, 14.0 / 6.0, 0.045);
  CHECK_ABS(below2 / n, gsl_cdf_beta_P(0.2, 1.4, 4.6), 0.015);
  CHECK_ABS(sum_t / n, 11.0 / 3.0, 0.065);
  CHECK_ABS(below1 / n, 0.1, 0.009);
  CHECK_ABS(below5 / n, 1.0 - 25.0 / 90.0, 0.013);
  wp_schedule_free(s);
}

static void test_taskfile_hand_network(void)
{
  wp_taskfile *tf = NULL;
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_taskfile_read(DATA("sched_hand.csv"), &tf, &err) == WP_OK)) {
    fprintf(stderr, "%s\n", err.msg);
    return;
  }
  size_t na, nl;
  const wp_sched_activity *a = wp_taskfile_activities(tf, &na);
  const wp_sched_link *l = wp_taskfile_links(tf, &nl);
  CHECK_EQ_I64(na, 5);
  CHECK_EQ_I64(nl, 5);
  CHECK_STR(a[1].name, "Starts 2 days after A starts, SS"); /* quoted, with a comma */
  CHECK_EQ_I64(wp_taskfile_line(tf, 0), 4);
  if (nl == 5) {
    CHECK(l[0].type == WP_SCHED_SS && l[0].lag_days == 2);
    CHECK(l[1].type == WP_SCHED_FF && l[1].lag_days == -3);
    CHECK(l[2].type == WP_SCHED_FS && l[2].lag_days == 0 && strcmp(l[2].pred_id, "B") == 0);
    CHECK(l[3].type == WP_SCHED_FS && l[3].lag_days == -1);
    CHECK(l[4].type == WP_SCHED_SS && l[4].lag_days == -10);
  }
  wp_taskfile_free(tf);
  wp_schedule *s = NULL;
  if (CHECK(wp_taskfile_schedule(DATA("sched_hand.csv"), &s, NULL) == WP_OK)) {
    check_times(s, net_b_want, COUNT(net_b_want));
    check_path(s, net_b_cp, COUNT(net_b_cp));
  }
  wp_schedule_free(s);
  wp_taskfile_free(NULL);
}

static void test_taskfile_refusals(void)
{
  static const struct {
    const char *file;
    wp_status st;
    const char *needle1, *needle2;
  } cases[] = {
    {"sched_bad_missing_column.csv", WP_EPARSE, "sched_bad_missing_column.csv:2:", "mode_days"},
    {"sched_bad_nonnumeric.csv", WP_EPARSE, "sched_bad_nonnumeric.csv:3:", "mode_days: 'two'"},
    {"sched_bad_order.csv", WP_EPARSE, "sched_bad_order.csv:4:", "min_days 30, mode_days 20"},
    {"sched_bad_duplicate.csv", WP_EPARSE, "sched_bad_duplicate.csv:4:", "first defined on line 2"},
    {"sched_bad_unknown_pred.csv", WP_EPARSE, "sched_bad_unknown_pred.csv:3:", "'Z'"},
    {"sched_bad_link.csv", WP_EPARSE, "sched_bad_link.csv:3:", "'A:XX+3'"},
    {"sched_bad_fields.csv", WP_EPARSE, "sched_bad_fields.csv:3:", "5 fields"},
    {"sched_bad_cycle.csv", WP_EINFEASIBLE, "sched_bad_cycle.csv: ", "A -> B -> C -> A"},
    {"no_such_file.csv", WP_EIO, "no_such_file.csv", "cannot open"},
  };
  for (size_t k = 0; k < COUNT(cases); k++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/%s", WP_SOURCE_DIR, cases[k].file);
    wp_error err = WP_ERROR_INIT;
    wp_schedule *s = NULL;
    CHECK_EQ_I64(wp_taskfile_schedule(path, &s, &err), cases[k].st);
    CHECK(s == NULL);
    CHECK_CONTAINS(err.msg, cases[k].needle1);
    CHECK_CONTAINS(err.msg, cases[k].needle2);
  }
}

static void test_taskfile_syntax(void)
{
  static const struct {
    const char *text;
    wp_status st;
    const char *needle;
  } cases[] = {
    /* CRLF, a BOM, comments, lower-case link types, a quoted "" */
    {"\xEF\xBB\xBFid,name,min_days,mode_days,max_days,predecessors\r\n# c\r\n"
     "A,\"say \"\"hi\"\"\",1,2,3,\r\nB,b,0,0,0,A:fs ; A:ss-1.5\r\n",
     WP_OK, NULL},
    {"predecessors,max_days,mode_days,min_days,name,id\n,3,2,1,a,A\n", WP_OK, NULL},
    {"id,name,min_days,mode_days,max_days,predecessors\nA,a,1,2,3,\nB,b,1,2,3,A:FS5\n", WP_EPARSE,
     ":3:"},
    {"id,name,min_days,mode_days,max_days,predecessors\nA,a,1,2,3,\nB,b,1,2,3,A;\n", WP_EPARSE,
     "has no id"},
    {"id,name,min_days,mode_days,max_days,predecessors\nA,a,-1,2,3,\n", WP_EPARSE, "is out of range; accepted [0, 36500] days"},
    {"id,name,min_days,mode_days,max_days,predecessors\nA B,a,1,2,3,\n", WP_EPARSE, "column id"},
    {"id,name,min_days,mode_days,max_days,predecessors\nA,\"a,1,2,3,\n", WP_EPARSE, "quote"},
    {"id,name,min_days,mode_days,max_days,predecessors,extra\n", WP_EPARSE, "unknown column"},
    {"id,name,min_days,mode_days,max_days,predecessors\n", WP_EPARSE, "no tasks"},
    {"# nothing\n", WP_EPARSE, "no header"},
    {"id,name,min_days,mode_days,max_days,predecessors\nA,a,1,2,inf,\n", WP_EPARSE, "max_days"},
  };
  for (size_t k = 0; k < COUNT(cases); k++) {
    wp_taskfile *tf = NULL;
    wp_error err = WP_ERROR_INIT;
    wp_status st = wp_taskfile_parse(cases[k].text, strlen(cases[k].text), "t.csv", &tf, &err);
    CHECK_EQ_I64(st, cases[k].st);
    if (cases[k].needle) CHECK_CONTAINS(err.msg, cases[k].needle);
    if (st == WP_OK && k == 0) {
      size_t na, nl;
      const wp_sched_activity *a = wp_taskfile_activities(tf, &na);
      const wp_sched_link *l = wp_taskfile_links(tf, &nl);
      CHECK_STR(a[0].name, "say \"hi\"");
      CHECK_EQ_I64(nl, 2);
      if (nl == 2) CHECK(l[1].type == WP_SCHED_SS && l[1].lag_days == -1.5);
    }
    wp_taskfile_free(tf);
  }
}

static cJSON *run_json(cli_result *r, const char *args)
{
  cli_run(r, args);
  CHECK_EQ_I64(r->code, 0);
  cJSON *doc = cJSON_Parse(r->out);
  CHECK(doc != NULL);
  return doc;
}

static void test_cli_json(void)
{
  static cli_result r, r2;
  cJSON *doc = run_json(&r, "schedule --json");
  if (doc) {
    CHECK_ABS(json_num(doc, "finish_days"), 726, 1e-9);
    const cJSON *cp = cJSON_GetObjectItemCaseSensitive(doc, "critical_path");
    CHECK(cJSON_IsArray(cp) && cJSON_GetArraySize(cp) == 12);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(cp, 0)), "DES");
    const cJSON *t0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "tasks"), 0);
    static const char *const keys[] = {"id", "es", "ef", "ls", "lf", "float"};
    for (size_t k = 0; k < COUNT(keys); k++)
      CHECK(cJSON_GetObjectItemCaseSensitive(t0, keys[k]) != NULL);
    CHECK(cJSON_GetObjectItemCaseSensitive(doc, "p50_days") == NULL); /* no draws asked */
    cJSON_Delete(doc);
  }
  doc = run_json(&r, "schedule --tasks " DATA("sched_hand.csv") " --json");
  if (doc) {
    CHECK_ABS(json_num(doc, "finish_days"), 12, 0);
    const cJSON *cp = cJSON_GetObjectItemCaseSensitive(doc, "critical_path");
    CHECK(cJSON_GetArraySize(cp) == 3);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(cp, 2)), "D");
    const cJSON *tasks = cJSON_GetObjectItemCaseSensitive(doc, "tasks");
    const cJSON *e = cJSON_GetArrayItem(tasks, 4);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id")), "E");
    CHECK_ABS(json_num(e, "es"), 0, 0);
    CHECK_ABS(json_num(e, "ls"), 9, 0);
    CHECK_ABS(json_num(e, "float"), 9, 0);
    CHECK_ABS(json_num(cJSON_GetArrayItem(tasks, 2), "float"), 2, 0);
    cJSON_Delete(doc);
  }
  doc = run_json(&r, "schedule --plan fast-track --draws 400 --seed 7 --json");
  cli_run(&r2, "schedule --plan fast-track --draws 400 --seed 7 --json");
  CHECK(strcmp(r.out, r2.out) == 0); /* same seed, same bytes */
  if (doc) {
    double p50 = json_num(doc, "p50_days"), p80 = json_num(doc, "p80_days"), p90 = json_num(doc, "p90_days");
    CHECK(p50 <= p80 && p80 <= p90);
    CHECK_ABS(json_num(doc, "finish_days"), 564, 0);
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(doc, "criticality");
    CHECK_ABS(json_num(c, "ENE3"), 1, 0);
    CHECK(json_num(c, "UPS") >= 0 && json_num(c, "UPS") <= 1);
    CHECK_EQ_I64(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "phases")), 3);
    cJSON_Delete(doc);
  }
  cli_run(&r2, "schedule --plan fast-track --draws 400 --seed 8 --json");
  CHECK(strcmp(r.out, r2.out) != 0);
  cli_run(&r, "schedule --plan greenfield");
  CHECK_EQ_I64(r.code, 0);
  CHECK_CONTAINS(r.out, "IXQ");
  cli_run(&r, "schedule --help");
  CHECK_EQ_I64(r.code, 0);
}

static void test_cli_refusals(void)
{
  static const struct {
    const char *args;
    int code;
    const char *needle;
  } cases[] = {
    {"schedule --tasks " DATA("sched_bad_nonnumeric.csv"), 3, "sched_bad_nonnumeric.csv:3:"},
    {"schedule --tasks " DATA("sched_bad_missing_column.csv"), 3, ":2: missing column"},
    {"schedule --tasks " DATA("sched_bad_order.csv"), 3, ":4:"},
    {"schedule --tasks " DATA("sched_bad_duplicate.csv"), 3, ":4: duplicate id 'A'"},
    {"schedule --tasks " DATA("sched_bad_cycle.csv"), 3, "cycle"},
    {"schedule --tasks " DATA("sched_bad_unknown_pred.csv"), 3, "predecessor 'Z'"},
    {"schedule --tasks /nonexistent/x.csv", 3, "cannot open"},
    {"schedule --plan quick", 3, "accepted: sequential, fast-track, greenfield"},
    {"schedule --dist normal", 3, "pert, triangular"},
    {"schedule --draws 0", 3, "--draws"},
    {"schedule --draws 2.5", 3, "--draws"},
    {"schedule --plan fast-track --tasks x.csv", 2, "exclude"},
    {"schedule --bogus", 2, "unknown option"},
  };
  static cli_result r;
  for (size_t k = 0; k < COUNT(cases); k++) {
    cli_run(&r, cases[k].args);
    CHECK_EQ_I64(r.code, cases[k].code);
    CHECK_CONTAINS(r.err, cases[k].needle);
  }
}

int main(void)
{
  wp_init();
  RUN(test_fs_with_lag);
  RUN(test_ss_ff_negative_lags);
  RUN(test_ff_and_negative_fs);
  RUN(test_refusals);
  RUN(test_templates);
  RUN(test_monte_carlo_constant_durations);
  RUN(test_monte_carlo_determinism);
  RUN(test_draw_lanes);
  RUN(test_phase_days_lanes);
  RUN(test_distributions);
  RUN(test_taskfile_hand_network);
  RUN(test_taskfile_refusals);
  RUN(test_taskfile_syntax);
  RUN(test_cli_json);
  RUN(test_cli_refusals);
  return harness_report();
}
