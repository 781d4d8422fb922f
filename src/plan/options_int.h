/*
** src/plan/options_int.h — the planner's option table (wattpivot/planner.h): every site's
** tranches and grid expansion, each with its mining baseline and its conversion options, each
** option's monthly effect on the limits, computed once from wp_pathway_run. The optimizer
** (optimize.c) chooses among the options; the plan's projects are then run again (limits.c).
*/
#ifndef WP_PLAN_OPTIONS_INT_H
#define WP_PLAN_OPTIONS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "wattpivot/planner.h"

/* One pathway run of a share of a site (or of its expansion). */
typedef struct plan_run {
  wp_business business;
  int64_t t;          /* construction start (-1: mining) */
  int64_t te_first;   /* first hall energized (-1: never in the horizon) */
  int64_t te_full;    /* last hall energized (-1: never in the horizon) */
  double npv_usd;     /* the project's NPV */
  double it_mw;       /* sellable IT MW */
  double capex_usd;   /* facility capex (GPUs excluded) */
  double *eq;         /* months: equity cash flow (mining runs; NULL otherwise) */
  double *dcum;       /* months: running sum of (equity flow - that of the share kept mining):
                         what choosing it adds to month-end cash (conversions; NULL: mining) */
  double *debt;       /* months: term debt outstanding at month end (NULL: mining) */
  double *capex_y;    /* years: conversion capex (AI shell, MEP, soft, GPUs) (NULL: mining) */
  double *ebitda;     /* months: EBITDA (mining runs only; NULL otherwise) */
} plan_run;

/*
** A conversion option of a group of tranches (or of the expansion): one business model from one
** start month. The program chooses how many of the group's tranches take it; each tranche is a
** project of its own finance and adds the option's flows once. Tranches of a site that are built
** together (the same business, the same start and last-hall months; the expansion apart) are one
** build and take one crew between them, whatever their number (docs/planner.md "Crews").
*/
typedef struct plan_option {
  size_t site, group;    /* group == the site's ngroups: the expansion */
  size_t run;            /* its pathway run (one tranche's share) */
  size_t mine;           /* the tranche's mining run (SIZE_MAX for the expansion) */
  double gain_usd;       /* NPV gain of one tranche over it keeping mining */
  int fits;              /* 0: one tranche of it breaks a limit on its own (never offered) */
  const char *misfit;    /* the limit it breaks on its own, or NULL */
  size_t build;          /* the site's first option built together with it (itself when none
                            comes before it): options with the same build share a crew */
  int build_shared;      /* 1: another option of the site has the same build */
} plan_option;

/* Consecutive tranches of a site with the same share: interchangeable, so the program counts
** them instead of naming each (no symmetric plans to search). */
typedef struct plan_group {
  double share;          /* one tranche's share of the site's grid MW (expansion: 1) */
  double grid_mw;        /* one tranche's grid MW */
  size_t n;              /* tranches in the group (expansion: 1) */
  size_t before;         /* the site's tranches in earlier groups */
  size_t mine;           /* one tranche's mining run (SIZE_MAX for the expansion) */
  size_t first, count;   /* its options: opt[first .. first + count) */
} plan_group;

typedef struct plan_site {
  wp_site site;          /* with its country's tax rate */
  long region;           /* index into the scenario's regions; -1: unconstrained */
  unsigned businesses;   /* WP_BUSINESS_BIT set its conversions may sell */
  size_t mine_full;      /* the whole site mining */
  size_t ntranches;      /* conversion tranches (0: not AI-ready) */
  double level[WP_SCENARIO_MAX_TRANCHES]; /* cumulative shares of its tranches, as given */
  size_t ngroups;        /* groups of its tranches */
  int expansion;         /* 1: group[ngroups] is the grid expansion */
  plan_group group[WP_SCENARIO_MAX_TRANCHES + 1];
} plan_site;


typedef struct plan_options {
  const wp_scenario *sc;
  size_t months, nyears, nsites;
  int *year;             /* months: calendar-year index of each month */
  int *year_first;       /* nyears: first month of each year in the grid */
  double *dates;         /* months: day offsets of the month ends (XNPV) */
  wp_market_path path;
  wp_finance_terms site_terms;
  plan_site *site;
  plan_run *run;
  size_t nruns, cap_runs;
  plan_option *opt;
  size_t nopt, cap_opt;
  /* The corporate layer (overhead, convertible): no market path moves it. */
  double corp_npv_usd;
  double *corp_eq;       /* months: equity flows */
  double *corp_project;  /* months: project flows */
  double *corp_opex;     /* months: overhead */
  double *corp_costs;    /* months: overhead + convertible coupons (hybrid's mining cover) */
  /* Mining-only, the plan every strategy starts from. */
  double base_npv_usd;   /* corporate + every site mining */
  double *base_cash;     /* months: month-end cash */
  double *base_ebitda_y; /* years: mining EBITDA of every site */
  wp_pathway_eval *ev;
} plan_options;

/* Build the table for sc (checked). WP_ENOMEM, or the status of a pathway that failed (naming
** its site). Release with plan_options_release whatever the status. */
wp_status plan_options_build(plan_options *po, const wp_scenario *sc, wp_error *err);
void plan_options_release(plan_options *po);

/* Run project p of site i into the evaluator po->ev (its ledger and series then hold it). */
wp_status plan_run_project(plan_options *po, const wp_plan_project *p, wp_pathway_result *r,
                           wp_error *err);

/* The project of an option taken by n tranches of its group (a phase; an expansion: n 1). */
wp_plan_project plan_option_project(const plan_options *po, const plan_option *o, size_t n);

/* Conversion capex of a ledger by calendar year (AI shell, MEP, soft costs, GPUs). */
void plan_capex_by_year(const plan_options *po, const wp_ledger *L, double *out);

#endif
