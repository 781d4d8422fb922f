/*
** wattpivot/risk.h — the risk engine (docs/model/risk.md): Monte Carlo over
** market paths and conversion schedules. The strategies' decisions are taken once on the
** deterministic plan (the decisions *are* the strategy); each path re-evaluates those fixed
** pathways on a stochastic market and drawn schedules, giving per strategy the NPV
** distribution, its downside (P5, CVaR 5 %), the probability of a cash shortfall and of beating
** mining-only; least-squares Monte Carlo gives one site's value of waiting to convert.
**
** Randomness: counter-based Random123 Philox streams keyed by the seed, with the stream's domain
** and the path index in the counter (docs/model/risk.md), so every path's draws depend only on
** (seed, path): the results are identical for any number of threads. Every source of
** randomness is scaled by a key ending in _vol; with all of them 0 every path equals the
** deterministic plan bit for bit.
*/
#ifndef WATTPIVOT_RISK_H
#define WATTPIVOT_RISK_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "export.h"
#include "market.h"
#include "risk_assumptions.h"
#include "planner.h"
#include "scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
** A stochastic market generator: the deterministic base path of the scenario's market
** assumptions, the Cholesky factor of the correlations and per-month constants. Immutable
** after wp_risk_market_new: one generator serves every thread.
*/
typedef struct wp_risk_market wp_risk_market;

/* Build a generator for months months from start. WP_EINVAL (bad assumptions, a correlation
** matrix that is not positive definite), WP_ENOMEM. */
WP_API wp_status wp_risk_market_new(const wp_market_assumptions *a, const wp_risk_assumptions *r,
                             wp_ym start, size_t months, wp_risk_market **out, wp_error *err);
WP_API void wp_risk_market_free(wp_risk_market *g);

/*
** Centre generator g on a market_file (docs/scenario.md): its base path takes s's months as plan's
** path does (wp_market_path_apply_series with a: prices, the equilibrium answering them,
** difficulties, hashprice), a month whose hashprice s gives carries the difficulty that yields it,
** and a month whose GPU price s gives shocks around that price. With every volatility 0 a path
** is then plan's (hashprice columns to rounding). Call once, before any fill. WP_EINVAL (s's
** values a path cannot hold, naming the month).
*/
WP_API wp_status wp_risk_market_apply_series(wp_risk_market *g, const wp_market_series *s,
                                             const wp_market_assumptions *a, wp_error *err);

/* The deterministic base path (what wp_market_path_fill_deterministic gives, and a
** market_file's months when wp_risk_market_apply_series was called). */
WP_API const wp_market_path *wp_risk_market_base(const wp_risk_market *g);

/*
** Fill path (initialized for the generator's months) with path number `path` of stream
** `seed`: each driver is its deterministic value times exp(shock), shocks starting at 0 in
** month 0 (equations in docs/model/risk.md). With btc_model bootstrap, BTC's independent
** shock is the history's standardized return e[start_b + (m-1) mod L] (block b = (m-1)/L, its
** start uniform on [0, N-L] from a stream keyed by (seed, path, b)), and the drift makes
** E[price/base] = 1 in every month. With every vol 0 the path equals the base bit for
** bit. Allocation-free and thread-safe. Returns WP_EINVAL for a path of another length.
*/
WP_API wp_status wp_risk_market_fill(const wp_risk_market *g, uint64_t seed, uint64_t path,
                              wp_market_path *out, wp_error *err);

/*
** A run split over several processes (docs/distributed.md). Process r of R runs a contiguous
** block of the paths, [first, first + count); the blocks, in process order, cover every path
** once. The per-path results (each strategy's NPV and lowest cash, the value-of-waiting
** samples) are then gathered, in path order, to the root process, which computes every
** statistic from the full set exactly as one process running every path would: the same
** results, bit for bit, for any number of processes and threads. Memory per process: its own
** block's per-path values (the root: every path's).
**
** The transport is the caller's (the CLI's MPI build uses MPI_Allreduce and MPI_Gatherv). Both
** calls are collective: every process makes them, in the same order, whatever happened before.
** all_ok: and-reduce of ok over the processes (1: all are ok), called exactly once per run,
** also by a process whose run failed, so the others end with an error instead of waiting.
** gather: concatenate every process's n values, in process order, into all (n_all values) on
** the root (all is NULL elsewhere). Both return 0 on success, nonzero when the transport fails.
*/
typedef struct wp_risk_exchange {
  size_t first, count; /* this process's block of paths (count 0: none, it still takes part) */
  int root;            /* 1: this process receives the full set and returns the result */
  int (*all_ok)(void *ctx, int ok);
  int (*gather)(void *ctx, const double *mine, size_t n, double *all, size_t n_all);
  void *ctx;
} wp_risk_exchange;

/* Options of a risk run. */
typedef struct wp_risk_opts {
  size_t paths;         /* number of Monte Carlo paths (>= 1) */
  uint64_t seed;        /* same seed, same results, any thread count */
  unsigned threads;     /* 0 = all online cores */
  unsigned mask;        /* strategies (WP_STRATEGY_BIT); mining-only is always evaluated */
  int value_of_waiting; /* 1: run the least-squares Monte Carlo of the waiting option */
  /* Called from the calling thread about twice a second with the paths done (may be NULL);
     in a split run, this process's paths done and its block's size. */
  void (*progress)(size_t done, size_t total, void *ctx);
  void *progress_ctx;
  /* NULL: this process runs every path; otherwise its share of a split run. */
  const wp_risk_exchange *exchange;
  /* NULL: decide the scenario's plan (wp_plan_decide, an optimization of all-in and hybrid);
     otherwise that plan, already decided for this scenario with the mask's strategies and
     mining-only (wp_plan_decide(sc, mask | mining-only)): studies of one plan decide it once.
     WP_EINVAL when its sites, horizon or strategies are not the run's. */
  const wp_plan_decisions *decisions;
  /* With decisions NULL: called after each optimization of the plan the run decides (as
     wp_plan_opts.progress: all-in's and hybrid's), before the paths; may be NULL. */
  void (*plan_progress)(size_t done, size_t total, void *ctx);
  void *plan_progress_ctx;
} wp_risk_opts;
#define WP_RISK_OPTS_DEFAULT                                                                       \
  {                                                                                                \
    .paths = 10000, .seed = 1, .threads = 0, .mask = 0xFu, .value_of_waiting = 1,                  \
    .progress = NULL, .progress_ctx = NULL, .exchange = NULL, .decisions = NULL,                   \
    .plan_progress = NULL, .plan_progress_ctx = NULL                                               \
  }

/* Distribution of one strategy over the paths. */
typedef struct wp_risk_strategy {
  char name[32];
  double plan_npv_usd; /* the deterministic plan's NPV of the strategy */
  double npv_mean_usd;
  double npv_p5_usd, npv_p50_usd, npv_p95_usd; /* quantiles, linear interpolation (GSL) */
  double cvar5_usd;                            /* mean of the worst ceil(5 % x paths) NPVs */
  double p_cash_shortfall;    /* share of paths whose month-end cash falls below the floor */
  double p_beats_mining_only; /* share of paths with NPV > mining-only's on the same path */
  double *npv_usd;            /* per path (paths values) */
  double *min_cash_usd;       /* per path lowest month-end corporate cash */
} wp_risk_strategy;

/* The value of waiting to convert one site (least-squares Monte Carlo, docs/model/risk.md). */
typedef struct wp_risk_wait {
  int computed; /* 0: no AI-ready site to study, or not requested */
  char site[64];
  size_t paths;               /* paths used */
  size_t ndecisions;          /* candidate start months (every one the scenario allows) */
  int64_t *month;             /* ndecisions candidate start months */
  double *mean_uplift_usd;    /* ndecisions: mean NPV uplift over mining of converting at month[k] */
  double convert_now_usd;     /* mean uplift of converting at the first candidate month */
  double best_fixed_usd;      /* best mean uplift over a fixed start month */
  int64_t best_fixed_month;
  double optimal_usd;          /* LSM value of choosing the month as the market unfolds */
  double value_of_waiting_usd; /* optimal_usd - convert_now_usd */
  double p_never;              /* share of paths on which the LSM rule never converts */
} wp_risk_wait;

typedef struct wp_risk_result {
  size_t paths;
  uint64_t seed;
  wp_ym start;                     /* month 0 of the scenario */
  size_t months, nsites;
  wp_risk_assumptions assumptions; /* the stochastic market the paths were drawn from */
  double cash_floor_usd;
  size_t nstrategies;
  wp_risk_strategy *strategies; /* nstrategies, in wattpivot/planner.h's order */
  wp_risk_wait wait;
  char scenario_hash[17]; /* the scenario as run (wattpivot/scenario_file.h wp_scenario_hash;
                             wattpivot/study.h fills it); "" when not known */
  double seconds;   /* wall time of the path loop (not part of the results) */
  unsigned threads; /* threads used (not part of the results) */
} wp_risk_result;



/*
** Run the Monte Carlo on scenario sc (its risk: section) and return *out (free with
** wp_risk_result_free). Memory: per worker one evaluator, one market path and O(sites x
** months) buffers; per path only scalars. Returns WP_EINVAL (paths 0, a bad scenario or risk
** section, an unknown wait_site, an exchange block outside the paths), WP_ENOMEM, or the
** failing model's status naming the site and path. In a split run (opts->exchange), *out is
** the result on the root and NULL elsewhere; WP_EIO when the transport fails, WP_EPEER when
** another process's run failed (that process returns its own error).
*/
WP_API wp_status wp_risk_run(const wp_scenario *sc, const wp_risk_opts *opts, wp_risk_result **out,
                      wp_error *err);
WP_API void wp_risk_result_free(wp_risk_result *r);

#ifdef __cplusplus
}
#endif
#endif
