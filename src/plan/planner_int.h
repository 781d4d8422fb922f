/*
** src/plan/planner_int.h — the planner's parts (wattpivot/planner.h): the limits a plan must
** meet, a plan recomputed from its projects' ledgers (evaluate.c), how it stands against each
** limit (limits.c), the mixed-integer program and its solves (optimize.c), and the words that
** explain a plan (explain.c).
*/
#ifndef WP_PLAN_PLANNER_INT_H
#define WP_PLAN_PLANNER_INT_H

#include <stddef.h>

#include "plan/options_int.h"
#include "wattpivot/program.h"

/* The values of the limits a strategy meets (the scenario's, or relaxed ones). */
typedef struct plan_limits {
  double cash_floor_usd;
  double debt_capacity_usd;
  double capex_usd_per_yr;
  double crews;
  double region_mw[WP_SCENARIO_MAX_REGIONS];
  int cover_on;        /* hybrid only: the mining cover */
  double cover;        /* kept mining EBITDA >= corporate costs x cover */
} plan_limits;

plan_limits plan_limits_of(const wp_scenario *sc, wp_strategy s);

/* A plan recomputed from its projects' ledgers. */
typedef struct plan_totals {
  double npv_usd;          /* corporate + the projects, in project order */
  double ai_it_mw;         /* IT MW of every conversion and expansion */
  double *cash;            /* months: month-end corporate cash */
  double *debt;            /* months: term debt outstanding */
  double *crews;           /* months: projects under construction */
  double *capex_y;         /* years: conversion capex */
  double *mining_ebitda_y; /* years: EBITDA of the parts still mining */
  double region_mw[WP_SCENARIO_MAX_REGIONS];
  double *scratch_y;       /* years: one project's capex */
  double *block;
} plan_totals;

wp_status plan_totals_init(plan_totals *t, const plan_options *po, wp_error *err);
void plan_totals_release(plan_totals *t);

/*
** Run the n projects (in order) and add them up into t; when out is not NULL, also fill strategy
** k of out: its sites (rows, tranches), series and headline metrics. Errors: the failing
** pathway's (naming its site), WP_ENOMEM.
*/
wp_status plan_evaluate(plan_options *po, const wp_plan_project *p, size_t n, wp_plan_out *out,
                        size_t k, plan_totals *t, wp_error *err);

/* How totals t stand against lim: strategy k's limit rows (headroom, binding months) and its
** breaches (beyond a dollar, or any crew or MW). Returns the number of breaches in *nbreach. */
wp_status plan_limits_fill(const plan_options *po, const plan_limits *lim, const plan_totals *t,
                           wp_plan_out *out, size_t k, size_t *nbreach, wp_error *err);

/* What the optimizer found for a strategy. */
typedef struct plan_solved {
  unsigned char *x;        /* nopt: 1 when the option is chosen */
  wp_solve_out info;       /* status, objective, bound, gap, time, sizes */
  double ai_it_mw;         /* all-in: the most AI IT MW found */
  double shortfall_musd;   /* the least peak breaches' sum (million USD); 0 when the limits hold */
  double short_cash_musd;  /* ... of the cash floor */
  double short_cover_musd; /* ... of hybrid's mining cover */
  int done;                /* 1: solved (a hint kept for a strategy planned later) */
} plan_solved;

/*
** Choose the options of strategy s (all-in or hybrid) under lim: at most one per tranche, in
** order, every limit hard, the least shortfall first when no plan meets them (docs/planner.md).
** base (may be NULL): a plan meeting lim (a relaxation of its limits): the search starts from
** it and keeps its shortfall. hint (may be NULL; all-in only): hybrid's plan of the same
** scenario, which meets every limit of all-in when it has no cash shortfall: all-in's most-MW
** search starts from it too, so all-in converts at least as much. keep (may be NULL): receives the
** final program with every monthly row (free with wp_program_free). WP_ESOLVER, WP_ENOMEM.
*/
wp_status plan_optimize(const plan_options *po, wp_strategy s, const plan_limits *lim,
                        const plan_solved *base, const plan_solved *hint, plan_solved *out,
                        wp_program **keep, wp_error *err);

/* The projects of a choice of options (site order; a site's converted tranches, its mining
** share, its expansion) into p (room for nsites x (WP_SCENARIO_MAX_TRANCHES + 2)); *n set. */
void plan_projects_of_choice(const plan_options *po, const unsigned char *x, wp_plan_project *p,
                             size_t *n);

/* The site rows' reasons under strategy k of out, and for sites with tranches left mining the
** best option the limits refused (x: the chosen options, or NULL for a plan not optimized). */
void plan_explain(const plan_options *po, wp_strategy s, const plan_limits *lim,
                  const unsigned char *x, const plan_solved *solved, wp_plan_out *out, size_t k);

#endif
