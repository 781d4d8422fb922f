/*
** The conversion schedule as an activity network: validation, topological order, CPM passes
** with FS/SS/FF links and lags, Monte Carlo over three-point durations (see wattpivot/schedule.h).
** Templates (the const tables with a source per duration) live in schedule_templates.c.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "core/simd_int.h"
#include "philox_int.h"
#include "schedule_int.h"
#include "wattpivot/schedule.h"

typedef struct id_entry {
  const char *id;
  size_t idx;
} id_entry;

struct wp_schedule {
  size_t n, m;
  wp_sched_activity *act; /* copies; strings point into pool */
  char *pool;
  id_entry *by_id;        /* sorted by id, for lookup */
  size_t *topo;           /* topological order */
  /* incoming links (CSR by successor) and outgoing links (CSR by predecessor) */
  size_t *in_start, *in_pred;
  size_t *out_start, *out_succ;
  unsigned char *in_type, *out_type;
  double *in_lag, *out_lag;
  /* most-likely pass */
  wp_sched_times *times;
  double finish_days;
  size_t *crit, ncrit;
  wp_sched_phase *phase;
  size_t nphase;
  struct pert_shape *pert; /* per activity: the PERT draw's constants (pert_shape_of) */
};

/*
** A PERT activity's draw constants, computed once per schedule: the range, the beta shapes
** a = 1 + 4 (mode - min) / range and b = 1 + 4 (max - mode) / range, and for each shape
** Marsaglia & Tsang's d = shape - 1/3 and c = 1 / sqrt(9 d) (MT_D, MT_C below).
*/
#define MT_D(a) ((a) - 1.0 / 3.0)
#define MT_C(d) (1.0 / sqrt(9.0 * (d)))
typedef struct pert_shape {
  double range, alpha, beta, d[2], c[2];
} pert_shape;

static pert_shape pert_shape_of(const wp_sched_activity *a)
{
  pert_shape p = {0};
  p.range = a->max_days - a->min_days;
  if (!(p.range > 0)) return p; /* a fixed duration: never drawn */
  p.alpha = 1.0 + 4.0 * (a->mode_days - a->min_days) / p.range;
  p.beta = 1.0 + 4.0 * (a->max_days - a->mode_days) / p.range;
  const double shape[2] = {p.alpha, p.beta};
  for (int j = 0; j < 2; j++) {
    p.d[j] = MT_D(shape[j]);
    p.c[j] = MT_C(p.d[j]);
  }
  return p;
}

static int cmp_id(const void *a, const void *b)
{
  return strcmp(((const id_entry *)a)->id, ((const id_entry *)b)->id);
}

static size_t lookup(const id_entry *by_id, size_t n, const char *id)
{
  id_entry key = {id, 0};
  const id_entry *hit = bsearch(&key, by_id, n, sizeof *by_id, cmp_id);
  return hit ? hit->idx : WP_SCHED_NONE;
}

/* Append text to buf (capacity cap) without overflowing; marks truncation with "...". */
static void buf_append(char *buf, size_t cap, size_t *len, const char *text)
{
  size_t t = strlen(text);
  if (*len + t + 4 >= cap) {
    if (*len + 4 < cap && (*len < 3 || strcmp(buf + *len - 3, "...") != 0)) {
      memcpy(buf + *len, "...", 4);
      *len += 3;
    }
    return;
  }
  memcpy(buf + *len, text, t + 1);
  *len += t;
}

static int durations_ok(const wp_sched_activity *a)
{
  return isfinite(a->min_days) && isfinite(a->mode_days) && isfinite(a->max_days) &&
         a->min_days >= 0 && a->min_days <= a->mode_days && a->mode_days <= a->max_days &&
         a->max_days <= WP_SCHED_MAX_DAYS;
}

static wp_status check_activities(const wp_sched_activity *acts, size_t n, size_t *pool_len,
                                  wp_error *err)
{
  size_t len = 0;
  for (size_t i = 0; i < n; i++) {
    const wp_sched_activity *a = &acts[i];
    if (!a->id || !a->id[0])
      return wp_error_set(err, WP_EINVAL, "activity %zu has an empty id", i + 1);
    if (!durations_ok(a))
      return wp_error_set(err, WP_EINVAL,
                          "activity '%s': durations min %g, mode %g, max %g days must satisfy "
                          "0 <= min <= mode <= max <= %g (100 years)",
                          a->id, a->min_days, a->mode_days, a->max_days, WP_SCHED_MAX_DAYS);
    len += strlen(a->id) + 1 + (a->name ? strlen(a->name) + 1 : 0) +
           (a->source ? strlen(a->source) + 1 : 0);
  }
  *pool_len = len;
  return WP_OK;
}

static const char *pool_copy(char **cursor, const char *text)
{
  if (!text) return NULL;
  size_t t = strlen(text) + 1;
  char *dst = *cursor;
  memcpy(dst, text, t);
  *cursor += t;
  return dst;
}

static wp_status resolve_links(const wp_schedule *s, const wp_sched_link *links,
                               size_t *pred, size_t *succ, wp_error *err)
{
  for (size_t e = 0; e < s->m; e++) {
    const wp_sched_link *l = &links[e];
    if (!l->pred_id || !l->succ_id)
      return wp_error_set(err, WP_EINVAL, "link %zu has a NULL activity id", e + 1);
    succ[e] = lookup(s->by_id, s->n, l->succ_id);
    pred[e] = lookup(s->by_id, s->n, l->pred_id);
    if (succ[e] == WP_SCHED_NONE)
      return wp_error_set(err, WP_EINVAL, "link %s -> %s: unknown successor '%s'", l->pred_id,
                          l->succ_id, l->succ_id);
    if (pred[e] == WP_SCHED_NONE)
      return wp_error_set(err, WP_EINVAL, "activity '%s': unknown predecessor '%s'",
                          l->succ_id, l->pred_id);
    if ((int)l->type < (int)WP_SCHED_FS || (int)l->type > (int)WP_SCHED_FF)
      return wp_error_set(err, WP_EINVAL, "link %s -> %s: link type %d is not FS, SS or FF",
                          l->pred_id, l->succ_id, (int)l->type);
    if (!isfinite(l->lag_days) || fabs(l->lag_days) > WP_SCHED_MAX_DAYS)
      return wp_error_set(err, WP_EINVAL,
                          "link %s -> %s: lag %g days is out of range; accepted [-%g, %g] (100 "
                          "years)",
                          l->pred_id, l->succ_id, l->lag_days, WP_SCHED_MAX_DAYS,
                          WP_SCHED_MAX_DAYS);
  }
  return WP_OK;
}

/* Compressed adjacency: start[n+1] offsets, and for each link its slot in key order. */
static void build_csr(size_t n, size_t m, const size_t *key, const size_t *other,
                      const wp_sched_link *links, size_t *start, size_t *nb, unsigned char *type,
                      double *lag)
{
  memset(start, 0, (n + 1) * sizeof *start);
  for (size_t e = 0; e < m; e++) start[key[e] + 1]++;
  for (size_t i = 0; i < n; i++) start[i + 1] += start[i];
  /* fill in link order: stable, so results do not depend on anything but the input order */
  for (size_t e = 0; e < m; e++) {
    size_t slot = start[key[e]]++;
    nb[slot] = other[e];
    type[slot] = (unsigned char)links[e].type;
    lag[slot] = links[e].lag_days;
  }
  for (size_t i = n; i > 0; i--) start[i] = start[i - 1];
  start[0] = 0;
}

/* Name one cycle among the activities Kahn's algorithm could not order (done[i] == 0). */
static wp_status report_cycle(const wp_schedule *s, const unsigned char *done, size_t *walk,
                              size_t *pos, wp_error *err)
{
  size_t v = 0;
  while (v < s->n && done[v]) v++;
  for (size_t i = 0; i < s->n; i++) pos[i] = WP_SCHED_NONE;
  size_t len = 0;
  /* every unordered activity has an unordered predecessor: walk back until one repeats */
  while (pos[v] == WP_SCHED_NONE) {
    pos[v] = len;
    walk[len++] = v;
    size_t next = WP_SCHED_NONE;
    for (size_t e = s->in_start[v]; e < s->in_start[v + 1]; e++)
      if (!done[s->in_pred[e]]) {
        next = s->in_pred[e];
        break;
      }
    if (next == WP_SCHED_NONE) break; /* cannot happen: kept for safety */
    v = next;
  }
  char buf[200];
  size_t blen = 0;
  buf[0] = '\0';
  size_t j = pos[v];
  /* walk[t+1] precedes walk[t]; forward: walk[j] -> walk[len-1] -> ... -> walk[j] */
  buf_append(buf, sizeof buf, &blen, s->act[walk[j]].id);
  for (size_t t = len; t-- > j;) {
    buf_append(buf, sizeof buf, &blen, " -> ");
    buf_append(buf, sizeof buf, &blen, s->act[walk[t]].id);
  }
  return wp_error_set(err, WP_EINFEASIBLE, "the links contain a cycle: %s", buf);
}

static wp_status topo_sort(wp_schedule *s, wp_error *err)
{
  wp_status st = WP_OK;
  size_t *indeg = calloc(s->n, sizeof *indeg);
  size_t *pos = malloc(s->n * sizeof *pos);
  unsigned char *done = calloc(s->n, 1);
  if (!indeg || !pos || !done) {
    st = wp_error_set(err, WP_ENOMEM, "out of memory ordering %zu activities", s->n);
    goto out;
  }
  for (size_t i = 0; i < s->n; i++) indeg[i] = s->in_start[i + 1] - s->in_start[i];
  size_t head = 0, tail = 0;
  for (size_t i = 0; i < s->n; i++)
    if (indeg[i] == 0) s->topo[tail++] = i;
  while (head < tail) {
    size_t v = s->topo[head++];
    done[v] = 1;
    for (size_t e = s->out_start[v]; e < s->out_start[v + 1]; e++)
      if (--indeg[s->out_succ[e]] == 0) s->topo[tail++] = s->out_succ[e];
  }
  if (tail < s->n) st = report_cycle(s, done, indeg /* reused as walk */, pos, err);
out:
  free(done);
  free(pos);
  free(indeg);
  return st;
}

static wp_status build_phases(wp_schedule *s, wp_error *err)
{
  size_t k = 0;
  double sum = 0;
  for (size_t i = 0; i < s->n; i++)
    if (s->act[i].energize_phase > 0) k++;
  s->nphase = k ? k : 1;
  s->phase = calloc(s->nphase, sizeof *s->phase);
  if (!s->phase) return wp_error_set(err, WP_ENOMEM, "out of memory for phases");
  if (k == 0) {
    s->phase[0] = (wp_sched_phase){1, WP_SCHED_NONE, 1.0, 0.0};
    return WP_OK;
  }
  for (size_t i = 0; i < s->n; i++) {
    const wp_sched_activity *a = &s->act[i];
    if (a->energize_phase == 0) continue;
    if (a->energize_phase > k)
      return wp_error_set(err, WP_EINVAL,
                          "activity '%s': energize_phase %u out of range; %zu flagged "
                          "milestones must number the phases 1..%zu",
                          a->id, a->energize_phase, k, k);
    wp_sched_phase *p = &s->phase[a->energize_phase - 1];
    if (p->phase != 0)
      return wp_error_set(err, WP_EINVAL, "energize_phase %u is flagged on both '%s' and '%s'",
                          a->energize_phase, s->act[p->activity].id, a->id);
    if (!(a->energize_fraction > 0 && a->energize_fraction <= 1))
      return wp_error_set(err, WP_EINVAL,
                          "activity '%s': energize_fraction %g must be in (0, 1]", a->id,
                          a->energize_fraction);
    *p = (wp_sched_phase){a->energize_phase, i, a->energize_fraction, 0.0};
    sum += a->energize_fraction;
  }
  if (fabs(sum - 1.0) > 1e-9)
    return wp_error_set(err, WP_EINVAL, "the phases' energize_fraction sum to %.12g, not 1", sum);
  return WP_OK;
}

/* Most-likely pass, critical list and phase dates, stored in s. */
static wp_status run_most_likely(wp_schedule *s, wp_error *err)
{
  size_t n = s->n;
  double *w = calloc(5 * n, sizeof *w); /* zeroed: GCC cannot see the topological order */
  if (!w) return wp_error_set(err, WP_ENOMEM, "out of memory for the most-likely pass");
  double *d = w, *es = w + n, *ef = w + 2 * n, *ls = w + 3 * n, *lf = w + 4 * n;
  for (size_t i = 0; i < n; i++) d[i] = s->act[i].mode_days;
  s->finish_days = wp_schedule_pass(s, d, es, ef, ls, lf);
  double tol = wp_schedule_critical_tol_days(s->finish_days);
  for (size_t i = 0; i < n; i++) {
    double fl = ls[i] - es[i];
    s->times[i] = (wp_sched_times){es[i], ef[i], ls[i], lf[i], fl, fl <= tol};
  }
  /* critical activities in topological order, then a stable insertion sort by (ES, EF) */
  s->ncrit = 0;
  for (size_t k = 0; k < n; k++)
    if (s->times[s->topo[k]].critical) s->crit[s->ncrit++] = s->topo[k];
  for (size_t a = 1; a < s->ncrit; a++) {
    size_t v = s->crit[a], b = a;
    const wp_sched_times *tv = &s->times[v];
    while (b > 0) {
      const wp_sched_times *tu = &s->times[s->crit[b - 1]];
      if (tu->es_days < tv->es_days || (tu->es_days == tv->es_days && tu->ef_days <= tv->ef_days))
        break;
      s->crit[b] = s->crit[b - 1];
      b--;
    }
    s->crit[b] = v;
  }
  double *pf = w; /* d no longer needed: reuse for the phase dates */
  wp_schedule_phase_days_for(s, ef, pf);
  for (size_t k = 0; k < s->nphase; k++) s->phase[k].finish_days = pf[k];
  free(w);
  return WP_OK;
}

wp_status wp_schedule_new(const wp_sched_activity *activities, size_t n_activities,
                          const wp_sched_link *links, size_t n_links, wp_schedule **out,
                          wp_error *err)
{
  wp_status st;
  size_t pool_len = 0, *pred = NULL, *succ = NULL;
  wp_schedule *s = NULL;
  if (!out) return wp_error_set(err, WP_EINVAL, "out is NULL");
  *out = NULL;
  if (!activities || n_activities == 0)
    return wp_error_set(err, WP_EINVAL, "a schedule needs at least one activity");
  if (n_links > 0 && !links) return wp_error_set(err, WP_EINVAL, "links is NULL");
  if ((st = check_activities(activities, n_activities, &pool_len, err)) != WP_OK) return st;

  size_t n = n_activities, m = n_links;
  s = calloc(1, sizeof *s);
  if (!s) return wp_error_set(err, WP_ENOMEM, "out of memory for the schedule");
  s->n = n;
  s->m = m;
  s->act = malloc(n * sizeof *s->act);
  s->pool = malloc(pool_len ? pool_len : 1);
  s->by_id = malloc(n * sizeof *s->by_id);
  s->topo = malloc(n * sizeof *s->topo);
  s->in_start = malloc((n + 1) * sizeof *s->in_start);
  s->out_start = malloc((n + 1) * sizeof *s->out_start);
  s->in_pred = malloc((m ? m : 1) * sizeof *s->in_pred);
  s->out_succ = malloc((m ? m : 1) * sizeof *s->out_succ);
  s->in_type = malloc(m ? m : 1);
  s->out_type = malloc(m ? m : 1);
  s->in_lag = malloc((m ? m : 1) * sizeof *s->in_lag);
  s->out_lag = malloc((m ? m : 1) * sizeof *s->out_lag);
  s->times = malloc(n * sizeof *s->times);
  s->crit = malloc(n * sizeof *s->crit);
  s->pert = malloc(n * sizeof *s->pert);
  pred = malloc((m ? m : 1) * sizeof *pred);
  succ = malloc((m ? m : 1) * sizeof *succ);
  if (!s->act || !s->pool || !s->by_id || !s->topo || !s->in_start || !s->out_start ||
      !s->in_pred || !s->out_succ || !s->in_type || !s->out_type || !s->in_lag ||
      !s->out_lag || !s->times || !s->crit || !s->pert || !pred || !succ) {
    st = wp_error_set(err, WP_ENOMEM, "out of memory for %zu activities", n);
    goto fail;
  }
  char *cursor = s->pool;
  for (size_t i = 0; i < n; i++) {
    s->act[i] = activities[i];
    s->act[i].id = pool_copy(&cursor, activities[i].id);
    s->act[i].name = pool_copy(&cursor, activities[i].name);
    s->act[i].source = pool_copy(&cursor, activities[i].source);
    s->by_id[i] = (id_entry){s->act[i].id, i};
    s->pert[i] = pert_shape_of(&s->act[i]);
  }
  qsort(s->by_id, n, sizeof *s->by_id, cmp_id);
  for (size_t i = 1; i < n; i++)
    if (strcmp(s->by_id[i - 1].id, s->by_id[i].id) == 0) {
      st = wp_error_set(err, WP_EINVAL, "duplicate activity id '%s' (activities %zu and %zu)",
                        s->by_id[i].id, s->by_id[i - 1].idx + 1, s->by_id[i].idx + 1);
      goto fail;
    }
  if ((st = resolve_links(s, links, pred, succ, err)) != WP_OK) goto fail;
  build_csr(n, m, succ, pred, links, s->in_start, s->in_pred, s->in_type, s->in_lag);
  build_csr(n, m, pred, succ, links, s->out_start, s->out_succ, s->out_type, s->out_lag);
  if ((st = topo_sort(s, err)) != WP_OK) goto fail;
  if ((st = build_phases(s, err)) != WP_OK) goto fail;
  if ((st = run_most_likely(s, err)) != WP_OK) goto fail;
  free(succ);
  free(pred);
  *out = s;
  return WP_OK;
fail:
  free(succ);
  free(pred);
  wp_schedule_free(s);
  return st;
}

void wp_schedule_free(wp_schedule *s)
{
  if (!s) return;
  free(s->pert);
  free(s->phase);
  free(s->crit);
  free(s->times);
  free(s->out_lag);
  free(s->in_lag);
  free(s->out_type);
  free(s->in_type);
  free(s->out_succ);
  free(s->in_pred);
  free(s->out_start);
  free(s->in_start);
  free(s->topo);
  free(s->by_id);
  free(s->pool);
  free(s->act);
  free(s);
}

size_t wp_schedule_count(const wp_schedule *s)
{
  return s ? s->n : 0;
}

const wp_sched_activity *wp_schedule_activity(const wp_schedule *s, size_t i)
{
  return s && i < s->n ? &s->act[i] : NULL;
}

size_t wp_schedule_index(const wp_schedule *s, const char *id)
{
  return s && id ? lookup(s->by_id, s->n, id) : WP_SCHED_NONE;
}

const wp_sched_times *wp_schedule_times(const wp_schedule *s, size_t i)
{
  return s && i < s->n ? &s->times[i] : NULL;
}

double wp_schedule_finish_days(const wp_schedule *s)
{
  return s->finish_days;
}

double wp_schedule_months(double days)
{
  return days / WP_SCHED_DAYS_PER_MONTH;
}

size_t wp_schedule_critical_path(const wp_schedule *s, size_t *idx, size_t cap)
{
  for (size_t k = 0; k < s->ncrit && k < cap; k++) idx[k] = s->crit[k];
  return s->ncrit;
}

size_t wp_schedule_phase_count(const wp_schedule *s)
{
  return s->nphase;
}

const wp_sched_phase *wp_schedule_phase(const wp_schedule *s, size_t k)
{
  return s && k < s->nphase ? &s->phase[k] : NULL;
}

double wp_schedule_critical_tol_days(double finish_days)
{
  return 1e-9 * fmax(1.0, fabs(finish_days));
}

double wp_schedule_pass(const wp_schedule *s, const double *d, double *es, double *ef,
                        double *ls, double *lf)
{
  double finish = 0.0;
  for (size_t k = 0; k < s->n; k++) {
    size_t i = s->topo[k];
    double start = 0.0; /* nothing starts before day 0 */
    for (size_t e = s->in_start[i]; e < s->in_start[i + 1]; e++) {
      size_t p = s->in_pred[e];
      double c;
      switch ((wp_sched_link_type)s->in_type[e]) {
      case WP_SCHED_SS: c = es[p] + s->in_lag[e]; break;
      case WP_SCHED_FF: c = ef[p] + s->in_lag[e] - d[i]; break;
      case WP_SCHED_FS:
      default: c = ef[p] + s->in_lag[e]; break;
      }
      if (c > start) start = c;
    }
    es[i] = start;
    ef[i] = start + d[i];
    if (ef[i] > finish) finish = ef[i];
  }
  if (!ls || !lf) return finish;
  for (size_t k = s->n; k-- > 0;) {
    size_t i = s->topo[k];
    double fin = finish;
    for (size_t e = s->out_start[i]; e < s->out_start[i + 1]; e++) {
      size_t q = s->out_succ[e];
      double c;
      switch ((wp_sched_link_type)s->out_type[e]) {
      case WP_SCHED_SS: c = ls[q] - s->out_lag[e] + d[i]; break;
      case WP_SCHED_FF: c = lf[q] - s->out_lag[e]; break;
      case WP_SCHED_FS:
      default: c = ls[q] - s->out_lag[e]; break;
      }
      if (c < fin) fin = c;
    }
    lf[i] = fin;
    ls[i] = fin - d[i];
    /* the early schedule is feasible, so LS >= ES exactly; guard round-off (as GLPK's glp_cpp) */
    if (ls[i] < es[i]) {
      ls[i] = es[i];
      lf[i] = ef[i];
    }
  }
  return finish;
}

size_t wp_schedule_work_len(const wp_schedule *s)
{
  return 2 * s->n;
}

double wp_schedule_finish_days_for(const wp_schedule *s, const double *durations_days,
                                   double *work)
{
  return wp_schedule_pass(s, durations_days, work, work + s->n, NULL, NULL);
}

void wp_schedule_phase_days_for(const wp_schedule *s, const double *ef_days,
                                double *phase_finish_days)
{
  double finish = 0.0;
  for (size_t i = 0; i < s->n; i++)
    if (ef_days[i] > finish) finish = ef_days[i];
  for (size_t k = 0; k < s->nphase; k++) {
    size_t a = s->phase[k].activity;
    phase_finish_days[k] = a == WP_SCHED_NONE ? finish : ef_days[a];
  }
}

const char *wp_schedule_dist_name(wp_sched_dist dist)
{
  switch (dist) {
  case WP_SCHED_PERT: return "pert";
  case WP_SCHED_TRIANGULAR: return "triangular";
  }
  return NULL;
}

wp_status wp_schedule_dist_parse(const char *name, wp_sched_dist *dist, wp_error *err)
{
  if (name && strcmp(name, "pert") == 0) {
    *dist = WP_SCHED_PERT;
    return WP_OK;
  }
  if (name && strcmp(name, "triangular") == 0) {
    *dist = WP_SCHED_TRIANGULAR;
    return WP_OK;
  }
  static const char *const accepted[] = {"pert", "triangular"};
  return wp_error_unknown_name(err, "distribution", name, accepted, 2);
}

/* ---- Counter-based random stream: Philox4x32-10 (philox_int.h), key the seed, counter
**      (draw, activity, domain, block). Two uniforms per block. ---- */

#define SCHED_STREAM_DOMAIN 0x7363u /* "sc": separates from other modules' streams */
#define SCHED_TWO_PI 6.283185307179586476925286766559 /* 2 pi (M_PI is not C11) */

typedef struct stream {
  philox4x32_key_t key;
  uint64_t draw;
  uint32_t activity, block;
  philox4x32_ctr_t out;
  unsigned pos;
  int has_spare;
  double spare;
} stream;

static void stream_init(stream *st, uint64_t seed, uint64_t draw, uint64_t activity)
{
  st->key = wp_philox4x32_key(seed);
  st->draw = draw;
  st->activity = (uint32_t)activity;
  st->block = 0;
  st->pos = 2;
  st->has_spare = 0;
  st->spare = 0;
}

/* Uniform on (0, 1]: 53 random bits, centred in their cell (wp_philox_u01). */
static double u01(stream *st)
{
  if (st->pos == 2) {
    st->out = philox4x32(
        wp_philox4x32_ctr(st->draw, st->activity, SCHED_STREAM_DOMAIN, st->block++), st->key);
    st->pos = 0;
  }
  const unsigned k = 2 * st->pos++;
  return wp_philox_u01_2x32(st->out.v[k], st->out.v[k + 1]);
}

/* Standard normal by Box-Muller, both values used. */
static double normal(stream *st)
{
  if (st->has_spare) {
    st->has_spare = 0;
    return st->spare;
  }
  double r = sqrt(-2.0 * log(u01(st))), th = SCHED_TWO_PI * u01(st);
  st->spare = r * sin(th);
  st->has_spare = 1;
  return r * cos(th);
}

/* Marsaglia-Tsang's expressions, for one value or a vector of them (the lanes below): the
** squeeze and the log test (the shape's d and c: MT_D, MT_C above). */
#define MT_SQUEEZE(u, x2)            ((u) < 1.0 - 0.0331 * (x2) * (x2))
#define MT_LOG_TEST(logu, x2, d, v, logv) ((logu) < 0.5 * (x2) + (d) * (1.0 - (v) + (logv)))

/*
** Gamma(shape j of p, 1) (shapes >= 1) by Marsaglia & Tsang (2000), "A simple method for
** generating gamma variables", ACM TOMS 26(3). Acceptance > 95% per try; returns -1 after 64
** rejections (probability < 1e-80) so the caller falls back to an exact inverse CDF.
*/
static double gamma_mt(stream *st, const pert_shape *p, int j)
{
  const double dd = p->d[j], c = p->c[j];
  for (int tries = 0; tries < 64; tries++) {
    double x = normal(st), v = 1.0 + c * x;
    if (v <= 0.0) continue;
    v = v * v * v;
    double u = u01(st), x2 = x * x;
    if (MT_SQUEEZE(u, x2)) return dd * v;
    if (MT_LOG_TEST(log(u), x2, dd, v, log(v))) return dd * v;
  }
  return -1.0;
}

static double draw_pert(stream *st, const wp_sched_activity *a, const pert_shape *p)
{
  double x = gamma_mt(st, p, 0), y = gamma_mt(st, p, 1), frac;
  if (x < 0 || y < 0)
    frac = gsl_cdf_beta_Pinv(u01(st), p->alpha, p->beta);
  else
    frac = x / (x + y);
  return a->min_days + frac * p->range;
}

static double draw_triangular(stream *st, const wp_sched_activity *a)
{
  double lo = a->min_days, c = a->mode_days, hi = a->max_days, range = hi - lo;
  double u = u01(st), fc = (c - lo) / range;
  if (u < fc) return lo + sqrt(u * range * (c - lo));
  return hi - sqrt((1.0 - u) * range * (hi - c));
}

void wp_schedule_draw_durations(const wp_schedule *s, wp_sched_dist dist, uint64_t seed,
                                uint64_t draw, double *durations_days)
{
  for (size_t i = 0; i < s->n; i++) {
    const wp_sched_activity *a = &s->act[i];
    if (!(a->max_days > a->min_days)) {
      durations_days[i] = a->min_days;
      continue;
    }
    stream st;
    stream_init(&st, seed, draw, (uint64_t)i);
    durations_days[i] =
        dist == WP_SCHED_TRIANGULAR ? draw_triangular(&st, a) : draw_pert(&st, a, &s->pert[i]);
  }
}

#if defined(WP_HAVE_LIBMVEC) && defined(WP_VECTOR_BUILD)
#pragma GCC push_options
#pragma GCC target("avx2")
#include "philox_avx2_int.h"
#include "vecmath_int.h"

typedef int64_t sched_v4i __attribute__((vector_size(4 * sizeof(int64_t))));

/*
** PERT durations of four draws in vectors: each lane's first Philox block gives the
** Box-Muller pair (u1, u2) and the two acceptance uniforms (u3 for Gamma(alpha), u4 for
** Gamma(beta)), as draw_pert's first try consumes them. A lane whose first try is accepted
** for both variates takes x / (x + y) as draw_pert does; any other lane is drawn by draw_pert.
*/
static void draw_pert_lanes(const wp_schedule *s, uint64_t seed, const uint64_t draw[4],
                            double *const out[4])
{
  const wp_vm4d one = {1.0, 1.0, 1.0, 1.0}, zero = {0.0, 0.0, 0.0, 0.0};
  /* The lanes' stream counters (wp_philox4x32_ctr) differ in the draw's two words only. */
  const philox4x32_key_t key = wp_philox4x32_key(seed);
  philox4x32_ctr_t c0[4];
  for (int l = 0; l < 4; l++) c0[l] = wp_philox4x32_ctr(draw[l], 0, SCHED_STREAM_DOMAIN, 0);
  const wp_philox4x32_v4 base = wp_philox4x32_v4_of(c0);
  for (size_t i = 0; i < s->n; i++) {
    const wp_sched_activity *a = &s->act[i];
    if (!(a->max_days > a->min_days)) {
      for (int l = 0; l < 4; l++) out[l][i] = a->min_days;
      continue;
    }
    const pert_shape *ps = &s->pert[i];
    /* Each lane's first two blocks (the stream's first four uniforms), in vectors. */
    wp_philox4x32_v4 blk[2];
    for (uint32_t b = 0; b < 2; b++) {
      blk[b].w[0] = base.w[0];
      blk[b].w[1] = base.w[1];
      blk[b].w[2] = _mm256_set1_epi64x((uint32_t)i);
      blk[b].w[3] = _mm256_add_epi64(base.w[3], _mm256_set1_epi64x(b));
    }
    wp_philox4x32_avx2_n(2, blk, key);
    wp_vm4d u[4];
    for (int b = 0; b < 2; b++) {
      u[2 * b] = (wp_vm4d)wp_philox_u01_2x32_avx2(blk[b].w[0], blk[b].w[1]);
      u[2 * b + 1] = (wp_vm4d)wp_philox_u01_2x32_avx2(blk[b].w[2], blk[b].w[3]);
    }
    wp_vm4d r = wp_vm4_sqrt(-2.0 * wp_vm4_log(u[0])), th = SCHED_TWO_PI * u[1];
    const wp_vm4d n[2] = {r * wp_vm4_cos(th), r * wp_vm4_sin(th)};
    wp_vm4d g[2];
    sched_v4i ok = {-1, -1, -1, -1};
    for (int j = 0; j < 2; j++) { /* gamma_mt's first try for each shape */
      const double dd = ps->d[j], c = ps->c[j];
      const wp_vm4d x = n[j], uu = u[2 + j];
      wp_vm4d v = 1.0 + c * x;
      const sched_v4i positive = v > zero;
      v = v * v * v;
      const wp_vm4d x2 = x * x;
      sched_v4i accept = MT_SQUEEZE(uu, x2); /* ~98 % of tries */
      const sched_v4i undecided = positive & ~accept;
      if (undecided[0] | undecided[1] | undecided[2] | undecided[3]) { /* the log test */
        const wp_vm4d safe_v =
            (wp_vm4d)(((sched_v4i)v & positive) | ((sched_v4i)one & ~positive));
        accept |= MT_LOG_TEST(wp_vm4_log(uu), x2, dd, safe_v, wp_vm4_log(safe_v));
      }
      ok &= positive & accept;
      g[j] = dd * v;
    }
    const wp_vm4d frac = g[0] / (g[0] + g[1]);
    const wp_vm4d dur = a->min_days + frac * ps->range;
    for (int l = 0; l < 4; l++) {
      if (ok[l]) {
        out[l][i] = dur[l];
      } else {
        stream st;
        stream_init(&st, seed, draw[l], (uint64_t)i);
        out[l][i] = draw_pert(&st, a, ps);
      }
    }
  }
}
/* wp_schedule_phase_days_lanes in vectors: the forward pass of wp_schedule_pass for four
** duration sets (the same operations lane by lane; `if (c > start) start = c` as a select),
** then the phases' finishes as wp_schedule_phase_days_for takes them. */
/* `if (c > t) t = c` lane by lane (a NaN c leaves t). */
static inline wp_vm4d later_of(wp_vm4d t, wp_vm4d c)
{
  return (wp_vm4d)_mm256_blendv_pd((__m256d)t, (__m256d)c,
                                   _mm256_cmp_pd((__m256d)c, (__m256d)t, _CMP_GT_OQ));
}
/* Vector k of the lane-interleaved doubles w (any double alignment); and storing one. */
static inline wp_vm4d v4_at(const double *w, size_t k)
{
  wp_vm4d v;
  memcpy(&v, w + 4 * k, sizeof v);
  return v;
}
static inline void v4_put(double *w, size_t k, wp_vm4d v)
{
  memcpy(w + 4 * k, &v, sizeof v);
}
static void phase_days_v4(const wp_schedule *s, const double *const dur[4], double *work,
                          double *const phase_days[4])
{
  double *es = work, *ef = work + 4 * s->n; /* lane-interleaved ES and EF */
  for (size_t k = 0; k < s->n; k++) {
    const size_t i = s->topo[k];
    const wp_vm4d d = {dur[0][i], dur[1][i], dur[2][i], dur[3][i]};
    wp_vm4d start = {0.0, 0.0, 0.0, 0.0}; /* nothing starts before day 0 */
    for (size_t e = s->in_start[i]; e < s->in_start[i + 1]; e++) {
      const size_t p = s->in_pred[e];
      wp_vm4d c;
      switch ((wp_sched_link_type)s->in_type[e]) {
      case WP_SCHED_SS: c = v4_at(es, p) + s->in_lag[e]; break;
      case WP_SCHED_FF: c = v4_at(ef, p) + s->in_lag[e] - d; break;
      case WP_SCHED_FS:
      default: c = v4_at(ef, p) + s->in_lag[e]; break;
      }
      start = later_of(start, c);
    }
    v4_put(es, i, start);
    v4_put(ef, i, start + d);
  }
  wp_vm4d finish = {0.0, 0.0, 0.0, 0.0};
  for (size_t i = 0; i < s->n; i++)
    finish = later_of(finish, v4_at(ef, i));
  for (size_t k = 0; k < s->nphase; k++) {
    const size_t a = s->phase[k].activity;
    const wp_vm4d v = a == WP_SCHED_NONE ? finish : v4_at(ef, a);
    for (int l = 0; l < 4; l++) phase_days[l][k] = v[l];
  }
}
#pragma GCC pop_options
#define SCHED_HAVE_LANES 1
#endif

void wp_schedule_phase_days_lanes(const wp_schedule *s,
                                  const double *const durations_days[WP_SCHED_DRAW_LANES],
                                  double *work, double *const phase_days[WP_SCHED_DRAW_LANES])
{
#ifdef SCHED_HAVE_LANES
  if (wp_simd_enabled()) {
    phase_days_v4(s, durations_days, work, phase_days);
    return;
  }
#endif
  for (int l = 0; l < WP_SCHED_DRAW_LANES; l++) {
    double *w = work + (size_t)l * wp_schedule_work_len(s);
    wp_schedule_finish_days_for(s, durations_days[l], w);
    wp_schedule_phase_days_for(s, w + s->n, phase_days[l]);
  }
}

void wp_schedule_draw_durations_lanes(const wp_schedule *s, wp_sched_dist dist, uint64_t seed,
                                      const uint64_t draw[WP_SCHED_DRAW_LANES],
                                      double *const durations_days[WP_SCHED_DRAW_LANES])
{
#ifdef SCHED_HAVE_LANES
  if (dist == WP_SCHED_PERT && wp_simd_enabled()) {
    draw_pert_lanes(s, seed, draw, durations_days);
    return;
  }
#endif
  for (int l = 0; l < WP_SCHED_DRAW_LANES; l++)
    wp_schedule_draw_durations(s, dist, seed, draw[l], durations_days[l]);
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

wp_status wp_schedule_monte_carlo(const wp_schedule *s, const wp_sched_mc_opts *opts,
                                  wp_sched_mc_result *out, double *criticality,
                                  double *phase_p50_days, double *phase_p80_days,
                                  wp_error *err)
{
  if (!s || !opts || !out) return wp_error_set(err, WP_EINVAL, "schedule, opts or out is NULL");
  if (opts->draws == 0) return wp_error_set(err, WP_EINVAL, "draws 0 must be >= 1");
  if (!wp_schedule_dist_name(opts->dist))
    return wp_error_set(err, WP_EINVAL, "distribution %d is unknown", (int)opts->dist);
  size_t n = s->n, nd = opts->draws, np = s->nphase;
  int want_phase = phase_p50_days || phase_p80_days;
  if (nd > ((size_t)-1) / sizeof(double) / (2 + np))
    return wp_error_set(err, WP_EINVAL, "draws %zu is too many", nd);
  size_t len = 6 * n + np + nd + (want_phase ? nd * np : 0);
  double *w = calloc(len, sizeof *w);
  if (!w) return wp_error_set(err, WP_ENOMEM, "out of memory for %zu draws", nd);
  double *d = w, *es = d + n, *ef = es + n, *ls = ef + n, *lf = ls + n, *count = lf + n;
  double *pf = count + n, *fin = pf + np, *pfin = fin + nd;
  memset(count, 0, n * sizeof *count);
  double sum = 0;
  for (size_t k = 0; k < nd; k++) {
    wp_schedule_draw_durations(s, opts->dist, opts->seed, (uint64_t)k, d);
    double t = wp_schedule_pass(s, d, es, ef, ls, lf), tol = wp_schedule_critical_tol_days(t);
    fin[k] = t;
    sum += t;
    for (size_t i = 0; i < n; i++)
      if (ls[i] - es[i] <= tol) count[i] += 1.0;
    if (want_phase) {
      wp_schedule_phase_days_for(s, ef, pf);
      for (size_t p = 0; p < np; p++) pfin[p * nd + k] = pf[p];
    }
  }
  qsort(fin, nd, sizeof *fin, cmp_double);
  out->draws = nd;
  out->p50_days = gsl_stats_quantile_from_sorted_data(fin, 1, nd, 0.50);
  out->p80_days = gsl_stats_quantile_from_sorted_data(fin, 1, nd, 0.80);
  out->p90_days = gsl_stats_quantile_from_sorted_data(fin, 1, nd, 0.90);
  out->mean_days = sum / (double)nd;
  out->min_days = fin[0];
  out->max_days = fin[nd - 1];
  if (criticality)
    for (size_t i = 0; i < n; i++) criticality[i] = count[i] / (double)nd;
  if (want_phase)
    for (size_t p = 0; p < np; p++) {
      double *col = pfin + p * nd;
      qsort(col, nd, sizeof *col, cmp_double);
      if (phase_p50_days) phase_p50_days[p] = gsl_stats_quantile_from_sorted_data(col, 1, nd, 0.5);
      if (phase_p80_days) phase_p80_days[p] = gsl_stats_quantile_from_sorted_data(col, 1, nd, 0.8);
    }
  free(w);
  return WP_OK;
}
