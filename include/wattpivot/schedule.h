/*
** wattpivot/schedule.h — the conversion project as an activity network (CPM + Monte Carlo).
** Activities carry three-point durations (min, most likely, max) in days; links are
** finish-to-start, start-to-start or finish-to-finish with a lag in days (negative allowed).
** A forward and a backward pass give early/late start and finish, total float and the
** critical path; Monte Carlo over PERT-beta or triangular durations gives P50/P80/P90 finish
** and each activity's criticality index. Built-in templates model a mine-to-AI conversion
** (sequential, fast-track) and a greenfield build behind the grid-interconnection queue.
** See docs/model/schedule.md for the equations, the templates and every duration's source.
**
** Conventions. Time is in days (double) from project start (day 0); no activity starts before
** day 0. For a link P -> S with lag L and durations d:
**   FS: ES(S) >= EF(P) + L        SS: ES(S) >= ES(P) + L        FF: EF(S) >= EF(P) + L
** EF = ES + d; the project finish T is the largest EF. The backward pass takes LF <= T for
** every activity and the mirror of each link; total float = LS - ES = LF - EF.
**
** A wp_schedule is immutable after wp_schedule_new (it holds the most-likely pass), so every
** function taking a const wp_schedule * is thread-safe. The per-draw functions
** (wp_schedule_draw_durations, wp_schedule_pass, wp_schedule_finish_days_for,
** wp_schedule_phase_days_for) never allocate: the risk engine calls them per path.
*/
#ifndef WATTPIVOT_SCHEDULE_H
#define WATTPIVOT_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WP_SCHED_DAYS_PER_MONTH 30.4375 /* 365.25 / 12: the Gregorian mean month */
#define WP_SCHED_NONE ((size_t)-1)      /* "no such activity" index */

typedef enum wp_sched_link_type {
  WP_SCHED_FS = 0, /* finish-to-start: ES(succ) >= EF(pred) + lag */
  WP_SCHED_SS,     /* start-to-start:  ES(succ) >= ES(pred) + lag */
  WP_SCHED_FF      /* finish-to-finish: EF(succ) >= EF(pred) + lag */
} wp_sched_link_type;

/* The longest duration or lag an activity or link may have, days: 100 years (anything longer is
** an input error, not a schedule). */
#define WP_SCHED_MAX_DAYS 36500.0

/* One activity. Strings are copied by wp_schedule_new. */
typedef struct wp_sched_activity {
  const char *id;          /* unique, non-empty, e.g. "SWG" */
  const char *name;        /* human label (may be NULL) */
  double min_days;         /* 0 <= min_days <= mode_days <= max_days, all finite */
  double mode_days;        /* most likely duration */
  double max_days;
  const char *source;      /* where the durations come from, or "judgment" (may be NULL) */
  unsigned energize_phase; /* 0: none; k >= 1: hall phase k is energized when this finishes */
  double energize_fraction; /* share of the site's converted IT MW energized by phase k */
} wp_sched_activity;

/* One precedence link, by activity id. */
typedef struct wp_sched_link {
  const char *pred_id;     /* predecessor id */
  const char *succ_id;     /* successor id */
  wp_sched_link_type type;
  double lag_days;         /* finite, may be negative */
} wp_sched_link;

/* Results of the most-likely pass for one activity. */
typedef struct wp_sched_times {
  double es_days, ef_days; /* early start / finish */
  double ls_days, lf_days; /* late start / finish */
  double float_days;       /* total float LS - ES (>= 0) */
  int critical;            /* 1 when float_days <= the critical tolerance */
} wp_sched_times;

/* An energization phase: revenue on energize_fraction of the IT MW starts at finish_days. */
typedef struct wp_sched_phase {
  unsigned phase;           /* 1, 2, ... */
  size_t activity;          /* index of the milestone, or WP_SCHED_NONE (= project finish) */
  double fraction;          /* share of IT MW; the phases' fractions sum to 1 */
  double finish_days;       /* most-likely finish of the milestone */
} wp_sched_phase;

typedef struct wp_schedule wp_schedule;

/*
** Build and validate a network, then run the most-likely pass. Copies every input.
** Phases: activities with energize_phase > 0 must number the phases 1..K, each exactly once,
** with fractions in (0, 1] summing to 1 (1e-9); with none flagged there is one phase (the
** project finish, fraction 1).
** Returns WP_OK and *out, or (with *out = NULL):
**   WP_EINVAL  n_activities == 0, a NULL pointer, an empty or duplicate id, durations not
**              0 <= min <= mode <= max (finite), a non-finite lag, a link naming an unknown
**              activity (the message names both ids), a link type out of range, bad phases;
**   WP_EINFEASIBLE  the links contain a cycle: the message lists it, e.g. "A -> B -> C -> A";
**   WP_ENOMEM.
*/
WP_API wp_status wp_schedule_new(const wp_sched_activity *activities, size_t n_activities,
                          const wp_sched_link *links, size_t n_links, wp_schedule **out,
                          wp_error *err);

/* Release s; wp_schedule_free(NULL) is a no-op. */
WP_API void wp_schedule_free(wp_schedule *s);

/* Built-in templates. */
typedef enum wp_sched_plan {
  WP_SCHED_SEQUENTIAL = 0, /* mine -> AI: design, permits, then order, build, commission */
  WP_SCHED_FAST_TRACK,     /* long-lead ordered at design start, decommissioning during
                              permits, three halls energized in phases */
  WP_SCHED_GREENFIELD      /* new site: grid-interconnection queue, ground-up shell */
} wp_sched_plan;
#define WP_SCHED_PLAN_COUNT 3

typedef struct wp_sched_template_opts {
  wp_sched_plan plan;
  int substation_upgrade; /* 1: the substation must grow: large transformers (2-4 years) and
                             substation works gate start-up. Always on for greenfield. */
} wp_sched_template_opts;
#define WP_SCHED_TEMPLATE_OPTS_DEFAULT { .plan = WP_SCHED_SEQUENTIAL, .substation_upgrade = 0 }

/* Build a template's network (each activity's source says where its durations come from).
** With defaults the most-likely finish is ~24 months (sequential), ~18 (fast-track), ~51
** (greenfield). Returns WP_EINVAL for an unknown plan, WP_ENOMEM. */
WP_API wp_status wp_schedule_template(const wp_sched_template_opts *opts, wp_schedule **out,
                               wp_error *err);

/* "sequential", "fast-track", "greenfield"; NULL for an unknown plan. */
WP_API const char *wp_schedule_plan_name(wp_sched_plan plan);

/* Parse a plan name (as above). Returns WP_EINVAL naming the accepted names. */
WP_API wp_status wp_schedule_plan_parse(const char *name, wp_sched_plan *plan, wp_error *err);

/* --- Inspecting the network and its most-likely pass (indices 0..count-1) --- */

WP_API size_t wp_schedule_count(const wp_schedule *s);
/* Activity i as stored (strings owned by s), NULL when i is out of range. */
WP_API const wp_sched_activity *wp_schedule_activity(const wp_schedule *s, size_t i);
/* Index of the activity with this id, or WP_SCHED_NONE. */
WP_API size_t wp_schedule_index(const wp_schedule *s, const char *id);
/* Most-likely times of activity i, NULL when i is out of range. */
WP_API const wp_sched_times *wp_schedule_times(const wp_schedule *s, size_t i);
/* Most-likely project finish in days (largest early finish). */
WP_API double wp_schedule_finish_days(const wp_schedule *s);
/* Days -> months of 30.4375 days, to place dates on the planner's monthly grid. */
WP_API double wp_schedule_months(double days);
/*
** The critical activities (zero float) of the most-likely pass, ordered by early start, then
** early finish, then topological order. Writes up to cap indices into idx (idx may be NULL
** when cap == 0) and returns how many there are.
*/
WP_API size_t wp_schedule_critical_path(const wp_schedule *s, size_t *idx, size_t cap);
/* Number of energization phases (>= 1). */
WP_API size_t wp_schedule_phase_count(const wp_schedule *s);
/* Phase k (0-based) with its most-likely finish; NULL when k is out of range. */
WP_API const wp_sched_phase *wp_schedule_phase(const wp_schedule *s, size_t k);

/* --- Per-draw functions (allocation-free, thread-safe on a const schedule) --- */

/* Tolerance (days) under which a float counts as zero: 1e-9 * max(1, finish). */
WP_API double wp_schedule_critical_tol_days(double finish_days);

/*
** Forward and backward pass for the given durations (durations_days[i] for activity i,
** each >= 0 and finite; not checked here). Writes es/ef (length count, required) and ls/lf
** (length count, both NULL to skip the backward pass). Returns the project finish in days.
*/
WP_API double wp_schedule_pass(const wp_schedule *s, const double *durations_days, double *es_days,
                        double *ef_days, double *ls_days, double *lf_days);

/* Doubles of scratch wp_schedule_finish_days_for needs: 2 * count. */
WP_API size_t wp_schedule_work_len(const wp_schedule *s);

/* Project finish in days for the given durations; work has wp_schedule_work_len doubles and
** holds ES then EF on return (work[count + i] = EF of activity i). */
WP_API double wp_schedule_finish_days_for(const wp_schedule *s, const double *durations_days,
                                   double *work);

/* Finish of each phase (length wp_schedule_phase_count) from early finishes ef_days (as
** written by wp_schedule_pass or the EF half of wp_schedule_finish_days_for's work). */
WP_API void wp_schedule_phase_days_for(const wp_schedule *s, const double *ef_days,
                                double *phase_finish_days);

typedef enum wp_sched_dist {
  WP_SCHED_PERT = 0,  /* PERT-beta: a = 1 + 4(mode-min)/(max-min), b = 1 + 4(max-mode)/(max-min) */
  WP_SCHED_TRIANGULAR /* triangular(min, mode, max) by inverse CDF */
} wp_sched_dist;

/* "pert", "triangular"; NULL when unknown. */
WP_API const char *wp_schedule_dist_name(wp_sched_dist dist);
WP_API wp_status wp_schedule_dist_parse(const char *name, wp_sched_dist *dist, wp_error *err);

/*
** Draw every activity's duration for draw number `draw` of stream `seed` into
** durations_days (length count). Counter-based (Random123 Philox4x32-10 keyed by seed; the
** counter holds draw and activity index), so a draw depends only on (seed, draw, activity):
** not on the order of calls, the thread, or other activities. Activities with min == max
** get exactly that value. PERT-beta uses X/(X+Y) with X~Gamma(a), Y~Gamma(b) drawn by
** Marsaglia-Tsang; triangular uses the closed-form inverse CDF.
*/
WP_API void wp_schedule_draw_durations(const wp_schedule *s, wp_sched_dist dist, uint64_t seed,
                                uint64_t draw, double *durations_days);

/* --- Monte Carlo --- */

typedef struct wp_sched_mc_opts {
  size_t draws;       /* number of draws, >= 1 */
  uint64_t seed;      /* same seed, same results */
  wp_sched_dist dist;
} wp_sched_mc_opts;
#define WP_SCHED_MC_OPTS_DEFAULT { .draws = 10000, .seed = 1, .dist = WP_SCHED_PERT }

typedef struct wp_sched_mc_result {
  size_t draws;
  double p50_days, p80_days, p90_days; /* finish quantiles (GSL linear interpolation) */
  double mean_days, min_days, max_days;
} wp_sched_mc_result;

/*
** Monte Carlo: draws 0..draws-1 of wp_schedule_draw_durations, a full pass each.
** criticality (length count, may be NULL) receives each activity's criticality index: the
** fraction of draws in which its float is within wp_schedule_critical_tol_days.
** phase_p50_days/phase_p80_days (length wp_schedule_phase_count, may be NULL) receive each
** phase's P50/P80 finish. Allocates once before the draw loop; the loop allocates nothing.
** Returns WP_EINVAL (draws == 0, unknown dist, NULL s/out), WP_ENOMEM.
*/
WP_API wp_status wp_schedule_monte_carlo(const wp_schedule *s, const wp_sched_mc_opts *opts,
                                  wp_sched_mc_result *out, double *criticality,
                                  double *phase_p50_days, double *phase_p80_days,
                                  wp_error *err);

#ifdef __cplusplus
}
#endif
#endif
