/*
** The planner's mixed-integer program and its solves (src/plan/planner_int.h; the formulation is
** written out in docs/planner.md "The program").
**
** Columns: per option offered, an integer count (how many tranches of its group take it; each
** tranche is a project of its own finance, so flows add exactly); per group, the tranches it
** converts; per build that a crews row counts, a binary (the build starts: its options' tranches
** are built together and take one crew);
** the constant part of the NPV (K, fixed at 1); two shortfalls (>= 0, million USD), of the cash
** floor and of hybrid's mining cover, which those rows may use when no plan meets them. Money
** is in million USD in the program.
** Rows: tranches per group; groups in order; a build's options only when it starts; conversion
** capex per calendar year; crews per month (builds under construction, where more could be than
** crews); AI IT MW per region; the mining cover per year (hybrid); all-in's converted MW (its
** last phase); the cash floor and the debt capacity per month. The monthly rows are dense (an
** option moves cash and debt in every month after its start): a small program holds them all;
** a larger one starts from the months its LP relaxation presses and adds the worst month of
** each run of broken months as solutions break them, until none is broken (the last solution
** then meets every row of the full program, and is optimal for it when its solve is).
** Phases: when converting nothing breaks the cash floor (or hybrid's cover), first the least
** shortfall (kept as bounds); then the best NPV; all-in then the most grid MW converted, from
** that plan (and hybrid's, given as a hint), and the best NPV among plans converting as much.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/planner_int.h"
#include "plan/solve_int.h"

#define MUSD 1e-6            /* USD to million USD */
#define MARGIN_MUSD 1e-4     /* money rows are tightened by $100: solver tolerances never break a limit */
#define POLISH_WORK 1e9      /* nonzeros a polish looks at, at most (measured: the default's
                                polishes look at < 3e6, a 100-site portfolio's < 1e7) */
#define MAX_ROUNDS 200       /* row-generation solves per phase, at most */
#define DENSE_ROWS_MAX 2000000 /* monthly nonzeros a program holds from the start, at most */
#define TIGHT_USD 50e6       /* a larger program starts from the months the LP leaves less room in
                                than this (judgment: measured on the default, docs/planner.md) */

typedef enum objective { OBJ_SHORTFALL, OBJ_MW, OBJ_NPV } objective;

typedef struct model {
  const plan_options *po;
  wp_strategy s;
  const plan_limits *lim;
  long *col;               /* nopt: the option's count column, -1 when not offered */
  long *gcol;              /* nsites x GROUPS: the tranches a group converts, or -1 */
  long *zcol;              /* nopt: at a build's first option, its binary (it starts), or -1 */
  unsigned char *crew_in;  /* months: more builds could be under construction than crews */
  size_t nx, col_k, col_s, col_c, ncols; /* col_s: the cash shortfall; col_c: the cover's */
  unsigned char *cash_in;  /* months: the cash row is in the program */
  unsigned char *debt_in;  /* months: the debt row is in the program */
  size_t *idx;             /* row scratch */
  double *val;
  double *lost;            /* nopt x years: mining EBITDA one tranche gives up (hybrid) */
  double *costs_y;         /* years: corporate costs */
  double s_hi, c_hi;       /* the shortfalls' upper bounds (million USD) */
  double mw_min;           /* all-in's best NPV phase: grid MW converted at least (-inf: none) */
  size_t pruned;           /* options offered but dominated by another (not in the program) */
  int lp_seed;             /* 1: rows are generated; each phase seeds them from its LP */
  /* counting instead of building (program == NULL) */
  size_t count_rows, count_nz;
} model;

static int offered(const plan_options *po, wp_strategy s, const plan_option *o)
{
  if (!o->fits) return 0;
  if (s != WP_STRATEGY_HYBRID) return 1;
  const plan_group *g = &po->site[o->site].group[o->group];
  return o->gain_usd > po->sc->strategy.min_uplift_usd_per_mw * g->grid_mw;
}

/* Add the row (idx/val hold n terms), or count it when p is NULL. Drops zero terms. */
static wp_status emit(model *md, wp_program *p, const char *name, size_t n, double lo, double hi,
                      wp_error *err)
{
  size_t kept = 0;
  for (size_t k = 0; k < n; k++)
    if (md->val[k] != 0.0) {
      md->idx[kept] = md->idx[k];
      md->val[kept++] = md->val[k];
    }
  if (!p) {
    md->count_rows++;
    md->count_nz += kept;
    return WP_OK;
  }
  return wp_program_add_row(p, name, kept, md->idx, md->val, lo, hi, err);
}

static const char *biz_code(wp_business b)
{
  return b == WP_BUSINESS_COLO ? "colo" : b == WP_BUSINESS_GPU_CONTRACT ? "gpuc" : "gpum";
}

#define TERM(c, v) (md->idx[n] = (size_t)(c), md->val[n++] = (v))
#define GROUPS (WP_SCENARIO_MAX_TRANCHES + 1)

/* A site's choice rows: tranches per group, phase indicators, groups in order. */
static wp_status site_rows(model *md, wp_program *p, size_t i, wp_error *err)
{
  const plan_options *po = md->po;
  const plan_site *ps = &po->site[i];
  wp_status st;
  char name[64];
  /* A group's tranches converted: the sum of its options' (a column of its own, bounded by
     the group's size, that branching can use). */
  for (size_t g = 0; g < ps->ngroups + (size_t)ps->expansion; g++) {
    const plan_group *gr = &ps->group[g];
    const long gc = md->gcol[i * GROUPS + g];
    if (gc < 0) continue;
    size_t n = 0;
    for (size_t q = gr->first; q < gr->first + gr->count; q++)
      if (md->col[q] >= 0) TERM(md->col[q], 1.0);
    TERM(gc, -1.0);
    snprintf(name, sizeof name, g < ps->ngroups ? "tranches_s%zu_g%zu" : "expand_s%zu", i, g + 1);
    if ((st = emit(md, p, name, n, 0.0, 0.0, err))) return st;
  }
  /* An option's tranches only when its build starts: n <= (tranches of its group) x z. */
  for (size_t g = 0; g < ps->ngroups + (size_t)ps->expansion; g++) {
    const plan_group *gr = &ps->group[g];
    for (size_t q = gr->first; q < gr->first + gr->count; q++) {
      const long zc = md->zcol[po->opt[q].build];
      if (md->col[q] < 0 || zc < 0) continue;
      size_t n = 0;
      TERM(md->col[q], 1.0);
      TERM(zc, -(double)gr->n);
      snprintf(name, sizeof name, "build_s%zu_q%zu", i, q);
      if ((st = emit(md, p, name, n, -INFINITY, 0.0, err))) return st;
    }
  }
  /* Group g+1 converts only once group g has converted whole, and not earlier: for every start
     month m, started(g+1, by m) <= n(g+1) x (started(g, by m) - n(g) + 1). */
  for (size_t g = 0; g + 1 < ps->ngroups; g++) {
    const plan_group *a = &ps->group[g], *b = &ps->group[g + 1];
    const double c0 = (double)a->n, c1 = (double)b->n;
    for (size_t qb = b->first; qb < b->first + b->count; qb++) {
      if (md->col[qb] < 0) continue;
      const int64_t tau = po->run[po->opt[qb].run].t;
      /* one row per distinct start month of group g+1 (its first option with that month) */
      int seen = 0;
      for (size_t q = b->first; q < qb && !seen; q++)
        seen = md->col[q] >= 0 && po->run[po->opt[q].run].t == tau;
      if (seen) continue;
      size_t n = 0;
      for (size_t q = b->first; q < b->first + b->count; q++)
        if (md->col[q] >= 0 && po->run[po->opt[q].run].t <= tau) TERM(md->col[q], 1.0);
      for (size_t q = a->first; q < a->first + a->count; q++)
        if (md->col[q] >= 0 && po->run[po->opt[q].run].t <= tau) TERM(md->col[q], -c1);
      snprintf(name, sizeof name, "after_s%zu_g%zu_m%lld", i, g + 2, (long long)tau);
      if ((st = emit(md, p, name, n, -INFINITY, c1 * (1.0 - c0), err))) return st;
    }
  }
  return WP_OK;
}

/* Rows every phase has: the sites' choices, capex, crews, regions, cover, all-in's MW. */
static wp_status static_rows(model *md, wp_program *p, wp_error *err)
{
  const plan_options *po = md->po;
  const wp_scenario *sc = po->sc;
  const plan_limits *lim = md->lim;
  const size_t M = po->months, Y = po->nyears;
  wp_status st;
  char name[64];
  for (size_t i = 0; i < po->nsites; i++)
    if ((st = site_rows(md, p, i, err))) return st;
  for (size_t y = 0; y < Y; y++) {
    size_t n = 0;
    for (size_t q = 0; q < po->nopt; q++)
      if (md->col[q] >= 0 && po->run[po->opt[q].run].capex_y[y] != 0.0)
        TERM(md->col[q], po->run[po->opt[q].run].capex_y[y] * MUSD);
    if (!n) continue;
    snprintf(name, sizeof name, "capex_%d", sc->start.year + (int)y);
    if ((st = emit(md, p, name, n, -INFINITY, lim->capex_usd_per_yr * MUSD - MARGIN_MUSD, err)))
      return st;
  }
  for (size_t m = 0; m < M; m++) {
    if (!md->crew_in[m]) continue; /* cannot bind */
    size_t n = 0;
    for (size_t q = 0; q < po->nopt; q++) {
      const plan_run *r = &po->run[po->opt[q].run];
      if (r->t > (int64_t)m || (int64_t)m >= r->te_full) continue;
      if (md->zcol[q] >= 0)
        TERM(md->zcol[q], 1.0); /* a build under construction */
      else if (md->col[q] >= 0 && po->sc->strategy.crew_per == WP_CREW_PER_TRANCHE)
        TERM(md->col[q], 1.0); /* each tranche under construction */
    }
    snprintf(name, sizeof name, "crews_m%zu", m);
    if ((st = emit(md, p, name, n, -INFINITY, lim->crews, err))) return st;
  }
  for (size_t r = 0; r < sc->nregions; r++) {
    size_t n = 0;
    for (size_t q = 0; q < po->nopt; q++)
      if (md->col[q] >= 0 && po->site[po->opt[q].site].region == (long)r)
        TERM(md->col[q], po->run[po->opt[q].run].it_mw);
    if (!n) continue;
    snprintf(name, sizeof name, "region_%s", sc->regions[r].name);
    if ((st = emit(md, p, name, n, -INFINITY, lim->region_mw[r], err))) return st;
  }
  if (lim->cover_on)
    for (size_t y = 0; y < Y; y++) {
      size_t n = 0;
      for (size_t q = 0; q < po->nopt; q++)
        if (md->col[q] >= 0) TERM(md->col[q], md->lost[q * Y + y] * MUSD);
      TERM(md->col_c, -1.0);
      snprintf(name, sizeof name, "cover_%d", sc->start.year + (int)y);
      double hi = (po->base_ebitda_y[y] - lim->cover * md->costs_y[y]) * MUSD - MARGIN_MUSD;
      if ((st = emit(md, p, name, n, -INFINITY, hi, err))) return st;
    }
  if (md->mw_min > -INFINITY) {
    size_t n = 0;
    for (size_t i = 0; i < po->nsites; i++)
      for (size_t g = 0; g < GROUPS; g++)
        if (md->gcol[i * GROUPS + g] >= 0)
          TERM(md->gcol[i * GROUPS + g], po->site[i].group[g].grid_mw);
    if ((st = emit(md, p, "converted_mw", n, md->mw_min, INFINITY, err))) return st;
  }
  return WP_OK;
}

/* The cash row of month m: cash effect of the chosen options + s >= floor - cash of mining. */
static wp_status cash_row(model *md, wp_program *p, size_t m, wp_error *err)
{
  const plan_options *po = md->po;
  size_t n = 0;
  for (size_t q = 0; q < po->nopt; q++)
    if (md->col[q] >= 0) TERM(md->col[q], po->run[po->opt[q].run].dcum[m] * MUSD);
  TERM(md->col_s, 1.0);
  char name[64];
  snprintf(name, sizeof name, "cash_m%zu", m);
  double lo = (md->lim->cash_floor_usd - po->base_cash[m]) * MUSD + MARGIN_MUSD;
  return emit(md, p, name, n, lo, INFINITY, err);
}

static wp_status debt_row(model *md, wp_program *p, size_t m, wp_error *err)
{
  const plan_options *po = md->po;
  size_t n = 0;
  for (size_t q = 0; q < po->nopt; q++)
    if (md->col[q] >= 0) TERM(md->col[q], po->run[po->opt[q].run].debt[m] * MUSD);
  if (!n) return WP_OK;
  char name[64];
  snprintf(name, sizeof name, "debt_m%zu", m);
  return emit(md, p, name, n, -INFINITY, md->lim->debt_capacity_usd * MUSD - MARGIN_MUSD, err);
}

/* The program of a phase: the columns, the static rows and the monthly rows in (all of them
** when full). p NULL: count rows and nonzeros only. */
static wp_status build(model *md, objective obj, int full, wp_program *p, wp_error *err)
{
  const plan_options *po = md->po;
  wp_status st;
  md->count_rows = md->count_nz = 0;
  if (p) {
    wp_program_set_maximize(p, obj != OBJ_SHORTFALL);
    size_t c;
    if ((st = wp_program_add_col(p, "K", 1, 1, obj == OBJ_NPV ? po->base_npv_usd * MUSD : 0, 0,
                                 &c, err)) ||
        (st = wp_program_add_col(p, "shortfall_cash", 0, md->s_hi, obj == OBJ_SHORTFALL ? 1 : 0,
                                 0, &c, err)) ||
        (st = wp_program_add_col(p, "shortfall_cover", 0, md->c_hi, obj == OBJ_SHORTFALL ? 1 : 0,
                                 0, &c, err)))
      return st;
    for (size_t q = 0; q < po->nopt; q++) {
      if (md->col[q] < 0) continue;
      const plan_option *o = &po->opt[q];
      const plan_site *ps = &po->site[o->site];
      const plan_run *r = &po->run[o->run];
      char name[64];
      if (o->group < ps->ngroups)
        snprintf(name, sizeof name, "n_s%zu_g%zu_%s_m%lld", o->site, o->group + 1,
                 biz_code(r->business), (long long)r->t);
      else
        snprintf(name, sizeof name, "n_s%zu_x_%s_m%lld", o->site, biz_code(r->business),
                 (long long)r->t);
      double c_obj = obj == OBJ_NPV ? o->gain_usd * MUSD : 0.0;
      if ((st = wp_program_add_col(p, name, 0, (double)ps->group[o->group].n, c_obj, 1, &c, err)))
        return st;
    }
    for (size_t i = 0; i < po->nsites; i++)
      for (size_t g = 0; g < GROUPS; g++) {
        if (md->gcol[i * GROUPS + g] < 0) continue;
        char name[64];
        snprintf(name, sizeof name, g < po->site[i].ngroups ? "N_s%zu_g%zu" : "N_s%zu_x", i, g + 1);
        const double c_obj = obj == OBJ_MW ? po->site[i].group[g].grid_mw : 0.0;
        if ((st = wp_program_add_col(p, name, 0, (double)po->site[i].group[g].n, c_obj, 1, &c,
                                     err)))
          return st;
      }
    for (size_t q = 0; q < po->nopt; q++) {
      if (md->zcol[q] < 0) continue;
      const plan_option *o = &po->opt[q];
      const plan_run *r = &po->run[o->run];
      char name[64];
      snprintf(name, sizeof name, "z_s%zu_g%zu_%s_m%lld", o->site, o->group + 1,
               biz_code(r->business), (long long)r->t);
      if ((st = wp_program_add_col(p, name, 0, 1, 0, 1, &c, err))) return st;
    }
  }
  if ((st = static_rows(md, p, err))) return st;
  for (size_t m = 0; m < po->months; m++) {
    if ((full || md->cash_in[m]) && (st = cash_row(md, p, m, err))) return st;
    if ((full || md->debt_in[m]) && (st = debt_row(md, p, m, err))) return st;
  }
  return WP_OK;
}

/* Tranches of option q in the program's solution x. */
static double count_of(const model *md, const double *x, size_t q)
{
  return md->col[q] >= 0 ? x[md->col[q]] : 0.0;
}

/* Cash and debt of x (program columns) by month, checked against the limits: mark the worst
** month of each run of broken months; the number marked. */
static size_t add_broken_rows(model *md, const double *x)
{
  const plan_options *po = md->po;
  const size_t M = po->months;
  const double s_usd = x[md->col_s] / MUSD;
  size_t added = 0;
  for (int fam = 0; fam < 2; fam++) {
    unsigned char *in = fam ? md->debt_in : md->cash_in;
    size_t worst = SIZE_MAX;
    double worst_v = 0;
    for (size_t m = 0; m <= M; m++) {
      double v = 0; /* how far month m is beyond the limit, USD */
      if (m < M) {
        double sum = 0;
        for (size_t q = 0; q < po->nopt; q++) {
          double n = count_of(md, x, q);
          if (n > 0)
            sum += n * (fam ? po->run[po->opt[q].run].debt[m] : po->run[po->opt[q].run].dcum[m]);
        }
        v = fam ? sum - md->lim->debt_capacity_usd
                : md->lim->cash_floor_usd - (po->base_cash[m] + sum) - s_usd;
      }
      if (m < M && v > 1.0) {
        if (worst == SIZE_MAX || v > worst_v) worst = m, worst_v = v;
        continue;
      }
      if (worst != SIZE_MAX && !in[worst]) {
        in[worst] = 1;
        added++;
      }
      worst = SIZE_MAX;
    }
  }
  return added;
}

/* Mark the months where x (the LP relaxation's solution) leaves less than TIGHT_USD of room in
** the cash or the debt row. */
static void add_tight_rows(model *md, const double *x)
{
  const plan_options *po = md->po;
  const double s_usd = x[md->col_s] / MUSD;
  for (size_t m = 0; m < po->months; m++) {
    double cash = 0, debt = 0;
    for (size_t q = 0; q < po->nopt; q++) {
      double n = count_of(md, x, q);
      if (n > 0) {
        cash += n * po->run[po->opt[q].run].dcum[m];
        debt += n * po->run[po->opt[q].run].debt[m];
      }
    }
    const double th = TIGHT_USD;
    if (po->base_cash[m] + cash + s_usd - md->lim->cash_floor_usd < th) md->cash_in[m] = 1;
    if (md->lim->debt_capacity_usd - debt < th) md->debt_in[m] = 1;
  }
}

typedef struct phase_result {
  int limited;             /* a solve stopped at its node or time limit */
  int time_limit;          /* ... at its time limit */
  double objective, bound; /* in the program's units (bound NaN: unknown) */
  double seconds;
  size_t solves;
  size_t polish_moves;     /* moves that polished node-limited plans (src/plan/polish.c) */
} phase_result;

/* Solve a phase to the end of its row generation. x: in, a plan meeting every row of the phase,
** monthly ones included (the start, and the fallback when a limit stops a solve before a plan);
** out, the solution. abs_gap: an absolute gap to stop at as well (0: none); nodes: the node
** limit of each solve. */
static wp_status solve_phase(model *md, objective obj, double *x, double abs_gap, long nodes,
                             phase_result *pr, wp_error *err)
{
  const wp_strategy_opts *so = &md->po->sc->strategy;
  wp_status st = WP_OK;
  memset(pr, 0, sizeof *pr);
  double *sol = calloc(2 * md->ncols, sizeof *sol), *safe = sol + md->ncols;
  if (!sol) return wp_error_set(err, WP_ENOMEM, "planner: out of memory");
  memcpy(safe, x, md->ncols * sizeof *x);
  int have_start = 1;
  if (md->nx == 0) { /* no option offered: the start (converting nothing) is the only plan */
    wp_program *p = wp_program_new(wp_strategy_name(md->s));
    if (!p || (st = build(md, obj, 1, p, err)) != WP_OK) {
      wp_program_free(p);
      free(sol);
      return st ? st : wp_error_set(err, WP_ENOMEM, "planner: out of memory");
    }
    pr->objective = pr->bound = wp_program_objective(p, x);
    wp_program_free(p);
    free(sol);
    return WP_OK;
  }
  if (md->lp_seed) { /* the monthly rows start where the LP relaxation presses them */
    for (int round = 0; round < MAX_ROUNDS && st == WP_OK; round++) {
      wp_program *p = wp_program_new(wp_strategy_name(md->s));
      if (!p) {
        st = wp_error_set(err, WP_ENOMEM, "planner: out of memory");
        break;
      }
      if ((st = build(md, obj, 0, p, err)) == WP_OK) {
        wp_solve_opts o = {.gap = so->mip_gap, .seconds = so->solver_seconds, .relax = 1};
        wp_solution s = {.x = sol};
        st = wp_program_solve(p, &o, &s, err);
        pr->solves++;
        pr->seconds += s.seconds;
        if (st == WP_OK && s.status == WP_SOLVED_OPTIMAL && !add_broken_rows(md, sol)) {
          add_tight_rows(md, sol);
          round = MAX_ROUNDS;
        } else if (st == WP_OK && s.status != WP_SOLVED_OPTIMAL) {
          round = MAX_ROUNDS; /* no relaxation to learn from: the rows come as plans break them */
        }
      }
      wp_program_free(p);
    }
    if (st) {
      free(sol);
      return st;
    }
  }
  for (int round = 0; round < MAX_ROUNDS; round++) {
    wp_program *p = wp_program_new(wp_strategy_name(md->s));
    if (!p) {
      st = wp_error_set(err, WP_ENOMEM, "planner: out of memory");
      break;
    }
    if ((st = build(md, obj, 0, p, err))) {
      wp_program_free(p);
      break;
    }
    wp_solve_opts o = {.gap = so->mip_gap, .abs_gap = abs_gap, .seconds = so->solver_seconds,
                       .nodes = nodes, .start = have_start ? x : NULL};
    wp_solution s = {.x = sol};
    st = wp_program_solve(p, &o, &s, err);
    const double safe_obj = wp_program_objective(p, safe);
    if (st == WP_OK && s.status == WP_SOLVED_LIMIT && !md->lp_seed) {
      /* A node-limited plan, polished by moves of one tranche (the program holds every row,
         so a polished plan meets them all). */
      pr->polish_moves += wp_program_polish(p, sol, POLISH_WORK);
      s.objective = wp_program_objective(p, sol);
    }
    wp_program_free(p);
    pr->solves++;
    pr->seconds += s.seconds;
    if (st) break;
    pr->limited |= s.status == WP_SOLVED_LIMIT || s.status == WP_SOLVED_NONE;
    pr->time_limit |= s.time_limit;
    if (s.status == WP_SOLVED_INFEASIBLE && have_start) {
      /* Nothing better than the start (it is the search's cutoff): the start is optimal. */
      memcpy(x, safe, md->ncols * sizeof *x);
      pr->objective = pr->bound = safe_obj;
      if (add_broken_rows(md, x)) { /* never: the start meets every row */
        pr->limited = 1;
        pr->bound = NAN;
      }
      break;
    }
    if (s.status == WP_SOLVED_NONE || s.status == WP_SOLVED_INFEASIBLE) {
      /* No plan under the rows added since the start (a limit came first; or, which the start
         rules out, none exists): the start holds, with no bound. */
      memcpy(x, safe, md->ncols * sizeof *x);
      pr->objective = safe_obj;
      pr->bound = NAN;
      pr->limited = 1;
      break;
    }
    memcpy(x, sol, md->ncols * sizeof *x);
    pr->objective = s.objective;
    pr->bound = s.bound;
    if (!add_broken_rows(md, x)) break;
    have_start = 0; /* the new rows cut this solution off */
  }
  free(sol);
  if (st) return st;
  return WP_OK;
}

/* How far converting nothing is beyond the cash floor (cash) and hybrid's cover (cover),
** million USD. */
static void baseline_shortfall(const model *md, double *cash, double *cover)
{
  const plan_options *po = md->po;
  *cash = *cover = 0;
  for (size_t m = 0; m < po->months; m++)
    *cash = fmax(*cash, md->lim->cash_floor_usd - po->base_cash[m]);
  if (md->lim->cover_on)
    for (size_t y = 0; y < po->nyears; y++)
      *cover = fmax(*cover, md->lim->cover * md->costs_y[y] - po->base_ebitda_y[y]);
  *cash *= MUSD;
  *cover *= MUSD;
}

/*
** 1 when option a is worth at least what b is and asks no more of any limit, so that a plan
** taking b is never better than the same plan taking a instead: the same group (the same
** tranches, the same grid MW converted), NPV gain, month-end cash added in every month and, no
** more debt in any month, capex in any year, IT MW in its region, mining EBITDA given up in any
** year (hybrid's cover), months under construction (a crew), and the same start month when the
** site's tranche groups are ordered by it. Ties keep the earlier option.
*/
static int dominates(const model *md, size_t a, size_t b)
{
  const plan_options *po = md->po;
  const plan_option *oa = &po->opt[a], *ob = &po->opt[b];
  const plan_run *ra = &po->run[oa->run], *rb = &po->run[ob->run];
  if (oa->site != ob->site || oa->group != ob->group || oa->gain_usd < ob->gain_usd ||
      ra->it_mw > rb->it_mw || ra->t < rb->t || ra->te_full > rb->te_full)
    return 0;
  if (po->site[oa->site].ngroups > 1 && ra->t != rb->t) return 0;
  /* b's crew may be one another option's build already takes; a's may not */
  if (ob->build_shared && oa->build != ob->build) return 0;
  for (size_t m = 0; m < po->months; m++)
    if (ra->dcum[m] < rb->dcum[m] || ra->debt[m] > rb->debt[m]) return 0;
  for (size_t y = 0; y < po->nyears; y++)
    if (ra->capex_y[y] > rb->capex_y[y] ||
        (md->lost && md->lost[a * po->nyears + y] > md->lost[b * po->nyears + y]))
      return 0;
  /* equal in every respect: the earlier option stays */
  if (oa->gain_usd == ob->gain_usd && ra->t == rb->t && ra->te_full == rb->te_full) return a < b;
  return 1;
}

/* Drop the offered options (col 0) another offered option dominates (col -1); their number. */
static size_t prune_dominated(model *md)
{
  const plan_options *po = md->po;
  size_t n = 0;
  for (size_t i = 0; i < po->nsites; i++) {
    const plan_site *ps = &po->site[i];
    for (size_t g = 0; g < ps->ngroups + (size_t)ps->expansion; g++) {
      const plan_group *gr = &ps->group[g];
      for (size_t b = gr->first; b < gr->first + gr->count; b++) {
        if (md->col[b] < 0) continue;
        for (size_t a = gr->first; a < gr->first + gr->count; a++)
          if (a != b && md->col[a] == 0 && dominates(md, a, b)) {
            md->col[b] = -1;
            n++;
            break;
          }
      }
    }
  }
  return n;
}

/* The crews rows: the months where more projects could be under construction than crews (each
** tranche a project; or, with strategy.crew_per build, each build) and, per build, a binary for
** each offered build under construction in one of them. */
static void crews_rows(model *md)
{
  const plan_options *po = md->po;
  const size_t M = po->months;
  const int per_build = po->sc->strategy.crew_per == WP_CREW_PER_BUILD;
  for (size_t q = 0; q < po->nopt; q++)
    md->zcol[q] = -1;
  for (size_t q = 0; q < po->nopt; q++) /* offered builds, marked at their first option */
    if (md->col[q] >= 0) md->zcol[po->opt[q].build] = 0;
  for (size_t m = 0; m < M; m++) {
    double most = 0;
    for (size_t q = 0; q < po->nopt; q++) {
      const plan_option *o = &po->opt[q];
      const plan_run *r = &po->run[o->run];
      if (r->t > (int64_t)m || (int64_t)m >= r->te_full) continue;
      if (per_build)
        most += md->zcol[q] == 0;
      else if (md->col[q] >= 0)
        most += (double)po->site[o->site].group[o->group].n;
    }
    md->crew_in[m] = most > md->lim->crews;
  }
  for (size_t q = 0; q < po->nopt; q++) {
    if (!per_build) {
      md->zcol[q] = -1;
      continue;
    }
    if (md->zcol[q] < 0) continue;
    const plan_run *r = &po->run[po->opt[q].run];
    int counted = 0;
    for (int64_t m = r->t; m < r->te_full && m < (int64_t)M && !counted; m++)
      counted = md->crew_in[m];
    md->zcol[q] = counted ? (long)md->ncols++ : -1;
  }
}

static wp_status model_init(model *md, const plan_options *po, wp_strategy s,
                            const plan_limits *lim, wp_error *err)
{
  memset(md, 0, sizeof *md);
  md->po = po;
  md->s = s;
  md->lim = lim;
  const size_t M = po->months, Y = po->nyears, Q = po->nopt ? po->nopt : 1;
  md->col = malloc((2 * Q + po->nsites * GROUPS) * sizeof *md->col);
  md->cash_in = calloc(3 * M, 1);
  md->idx = malloc((Q + 3) * sizeof *md->idx);
  md->val = malloc((Q + 3) * sizeof *md->val);
  md->costs_y = calloc(Y, sizeof *md->costs_y);
  md->lost = lim->cover_on ? calloc(Q * Y, sizeof *md->lost) : NULL;
  if (!md->col || !md->cash_in || !md->idx || !md->val || !md->costs_y ||
      (lim->cover_on && !md->lost))
    return wp_error_set(err, WP_ENOMEM, "planner: out of memory");
  md->gcol = md->col + Q;
  md->zcol = md->gcol + po->nsites * GROUPS;
  md->debt_in = md->cash_in + M;
  md->crew_in = md->debt_in + M;
  md->col_k = 0;
  md->col_s = 1;
  md->col_c = 2;
  md->ncols = 3;
  for (size_t m = 0; m < M; m++) md->costs_y[po->year[m]] += po->corp_costs[m];
  if (md->lost)
    for (size_t q = 0; q < po->nopt; q++) {
      const plan_option *o = &po->opt[q];
      if (o->mine == SIZE_MAX) continue;
      const double *e = po->run[o->mine].ebitda;
      for (size_t m = (size_t)po->run[o->run].t; m < M; m++)
        md->lost[q * Y + (size_t)po->year[m]] += e[m];
    }
  for (size_t q = 0; q < po->nopt; q++) md->col[q] = offered(po, s, &po->opt[q]) ? 0 : -1;
  md->pruned = prune_dominated(md);
  for (size_t q = 0; q < po->nopt; q++)
    if (md->col[q] == 0) md->col[q] = (long)md->ncols++;
  for (size_t i = 0; i < po->nsites; i++)
    for (size_t g = 0; g < GROUPS; g++) {
      const plan_site *ps = &po->site[i];
      long c = -1;
      if (g < ps->ngroups + (size_t)ps->expansion)
        for (size_t q = ps->group[g].first; q < ps->group[g].first + ps->group[g].count; q++)
          if (md->col[q] >= 0) c = 0;
      md->gcol[i * GROUPS + g] = c < 0 ? -1 : (long)md->ncols++;
    }
  crews_rows(md);
  md->nx = md->ncols - 3;
  /* Every monthly row from the start when the program stays small (no rounds of solves);
     otherwise rows join as solutions break them, from each year's lowest month of converting
     nothing. */
  size_t dense = 0;
  for (size_t q = 0; q < po->nopt; q++)
    if (md->col[q] >= 0) dense += 2 * (M - (size_t)po->run[po->opt[q].run].t);
  if (dense <= DENSE_ROWS_MAX)
    memset(md->cash_in, 1, 2 * M);
  else
    md->lp_seed = 1;
  for (size_t y = 0; y < Y; y++) {
    size_t best = SIZE_MAX;
    for (size_t m = 0; m < M; m++)
      if ((size_t)po->year[m] == y && (best == SIZE_MAX || po->base_cash[m] < po->base_cash[best]))
        best = m;
    if (best != SIZE_MAX) md->cash_in[best] = 1;
  }
  md->mw_min = -INFINITY;
  return WP_OK;
}

static void model_release(model *md)
{
  free(md->col);
  free(md->cash_in);
  free(md->idx);
  free(md->val);
  free(md->costs_y);
  free(md->lost);
}

/* Program columns of a choice of options (tranche counts; NULL: none) with K = 1 and
** shortfalls s (cash) and c (cover). */
static void columns_of_choice(const model *md, const unsigned char *choice, double s, double c,
                              double *x)
{
  memset(x, 0, md->ncols * sizeof *x);
  x[md->col_k] = 1.0;
  x[md->col_s] = s;
  x[md->col_c] = c;
  for (size_t q = 0; choice && q < md->po->nopt; q++) {
    if (md->col[q] < 0 || !choice[q]) continue;
    x[md->col[q]] = (double)choice[q];
    const plan_option *o = &md->po->opt[q];
    x[md->gcol[o->site * GROUPS + o->group]] += (double)choice[q];
    if (md->zcol[o->build] >= 0) x[md->zcol[o->build]] = 1.0;
  }
}

/* 1 when choice h (another strategy's) is a plan of this program: every option it takes is in
** it, and it has no cash shortfall beyond this program's. */
static int hint_usable(const model *md, const plan_solved *h)
{
  if (h->short_cash_musd > md->s_hi) return 0;
  for (size_t q = 0; q < md->po->nopt; q++)
    if (h->x[q] && md->col[q] < 0) return 0;
  return 1;
}

/* Grid MW converted (expansions included) by x. */
static double converted_mw_of(const model *md, const double *x)
{
  double mw = 0;
  for (size_t i = 0; i < md->po->nsites; i++)
    for (size_t g = 0; g < GROUPS; g++)
      if (md->gcol[i * GROUPS + g] >= 0)
        mw += x[md->gcol[i * GROUPS + g]] * md->po->site[i].group[g].grid_mw;
  return mw;
}

static double ai_mw_of(const model *md, const double *x)
{
  double mw = 0;
  for (size_t q = 0; q < md->po->nopt; q++)
    mw += count_of(md, x, q) * md->po->run[md->po->opt[q].run].it_mw;
  return mw;
}

static void add_phase(wp_solve_out *info, const phase_result *pr, int *limited, int *time_limit)
{
  info->solves += pr->solves;
  info->polish_moves += pr->polish_moves;
  info->seconds += pr->seconds;
  *limited |= pr->limited;
  *time_limit |= pr->time_limit;
}

wp_status plan_optimize(const plan_options *po, wp_strategy s, const plan_limits *lim,
                        const plan_solved *base, const plan_solved *hint, plan_solved *out,
                        wp_program **keep, wp_error *err)
{
  model md;
  wp_status st = model_init(&md, po, s, lim, err);
  double *x = st ? NULL : calloc(md.ncols, sizeof *x);
  if (!st && !x) st = wp_error_set(err, WP_ENOMEM, "planner: out of memory");
  wp_solve_out *info = &out->info;
  memset(info, 0, sizeof *info);
  int limited = 0, time_limit = 0;
  phase_result pr = {0};
  /* A relaxation prices a limit: a quarter of the search of the plan itself (judgment). */
  const long full = (long)po->sc->strategy.solver_nodes;
  const long nodes = base ? (full / 4 > 0 ? full / 4 : 1) : full;
  /* A relaxation starts from the base plan (it still meets every row) and keeps its shortfall;
     otherwise, when converting nothing breaks a limit, the least shortfall comes first (to a
     million dollars or 1 %). */
  double short_cash = 0, short_cover = 0;
  if (!st && !base) baseline_shortfall(&md, &short_cash, &short_cover);
  out->short_cash_musd = base ? base->short_cash_musd : 0;
  out->short_cover_musd = base ? base->short_cover_musd : 0;
  if (!st && base) {
    md.s_hi = base->short_cash_musd + 1e-6;
    md.c_hi = base->short_cover_musd + 1e-6;
    columns_of_choice(&md, base->x, base->short_cash_musd, base->short_cover_musd, x);
  } else if (!st && short_cash + short_cover > 0) {
    md.s_hi = md.c_hi = INFINITY;
    columns_of_choice(&md, NULL, short_cash + 2 * MARGIN_MUSD,
                      short_cover > 0 ? short_cover + 2 * MARGIN_MUSD : 0, x); /* nothing */
    const double base_short = short_cash + short_cover;
    st = solve_phase(&md, OBJ_SHORTFALL, x, fmax(1.0, 0.01 * base_short), nodes, &pr, err);
    add_phase(info, &pr, &limited, &time_limit);
    out->short_cash_musd = x[md.col_s];
    out->short_cover_musd = x[md.col_c];
    md.s_hi = x[md.col_s] + 1e-6;
    md.c_hi = x[md.col_c] + 1e-6;
  } else if (!st) {
    md.s_hi = md.c_hi = 0;
    columns_of_choice(&md, NULL, 0, 0, x); /* converting nothing meets every limit */
  }
  out->shortfall_musd = out->short_cash_musd + out->short_cover_musd;
  /* The best NPV. All-in then converts the most grid MW, searching from that plan (a plan of
     high value converts much: it starts the search far above converting little), and takes
     the best NPV among the plans that convert as much (kept as a row). */
  if (!st) {
    st = solve_phase(&md, OBJ_NPV, x, 0, nodes, &pr, err);
    add_phase(info, &pr, &limited, &time_limit);
  }
  const double mw_npv = st ? 0 : converted_mw_of(&md, x); /* the best-NPV plan's */
  if (!st && s == WP_STRATEGY_ALL_IN) {
    if (hint && hint_usable(&md, hint)) { /* hybrid's plan, when it converts more */
      double *y = calloc(md.ncols, sizeof *y);
      if (!y) {
        st = wp_error_set(err, WP_ENOMEM, "planner: out of memory");
      } else {
        columns_of_choice(&md, hint->x, x[md.col_s], x[md.col_c], y);
        if (converted_mw_of(&md, y) > mw_npv) memcpy(x, y, md.ncols * sizeof *x);
        free(y);
      }
    }
  }
  if (!st && s == WP_STRATEGY_ALL_IN) {
    phase_result mw;
    st = solve_phase(&md, OBJ_MW, x, 0, nodes / 4 > 0 ? nodes / 4 : 1, &mw, err);
    add_phase(info, &mw, &limited, &time_limit);
    md.mw_min = converted_mw_of(&md, x) - 1e-6;
    if (!st && md.mw_min > mw_npv) { /* more MW than the best NPV plan: its best NPV */
      st = solve_phase(&md, OBJ_NPV, x, 0, nodes, &pr, err);
      add_phase(info, &pr, &limited, &time_limit);
    }
  }
  if (!st) {
    for (size_t q = 0; q < po->nopt; q++)
      out->x[q] = (unsigned char)nearbyint(count_of(&md, x, q));
    out->ai_it_mw = ai_mw_of(&md, x);
    double npv = po->base_npv_usd;
    for (size_t q = 0; q < po->nopt; q++) npv += (double)out->x[q] * po->opt[q].gain_usd;
    info->objective = npv;
    info->bound = isfinite(pr.bound) ? fmax(pr.bound / MUSD, npv) : NAN;
    info->gap = isfinite(info->bound) ? (info->bound - npv) / fmax(fabs(npv), 1e-12) : NAN;
    const char *limit = time_limit ? "time limit" : "node limit";
    if (out->shortfall_musd > 1e-6)
      snprintf(info->status, sizeof info->status, "least shortfall%s%s", limited ? ", " : "",
               limited ? limit : "");
    else
      snprintf(info->status, sizeof info->status, "%s", limited ? limit : "optimal");
    info->shortfall_usd = out->shortfall_musd / MUSD;
    /* The full program: its size, and the program itself when asked for. */
    st = build(&md, OBJ_NPV, 1, NULL, err);
    info->rows = md.count_rows;
    info->nonzeros = md.count_nz;
    info->cols = md.ncols;
    info->integers = md.nx;
    if (!st && keep) {
      *keep = wp_program_new(wp_strategy_name(s));
      if (!*keep) st = wp_error_set(err, WP_ENOMEM, "planner: out of memory");
      if (!st) st = build(&md, OBJ_NPV, 1, *keep, err);
    }
  }
  free(x);
  model_release(&md);
  return st;
}

/* The order of a site's phases: by start month, then option order. */
static int phase_before(const plan_options *po, size_t a, size_t b)
{
  const int64_t ta = po->run[po->opt[a].run].t, tb = po->run[po->opt[b].run].t;
  return ta != tb ? ta < tb : a < b;
}

void plan_projects_of_choice(const plan_options *po, const unsigned char *x, wp_plan_project *p,
                             size_t *n)
{
  *n = 0;
  for (size_t i = 0; i < po->nsites; i++) {
    const plan_site *ps = &po->site[i];
    /* The conversion phases, earliest first. */
    size_t first = *n, converted = 0;
    for (size_t g = 0; g < ps->ngroups; g++) {
      const plan_group *gr = &ps->group[g];
      for (size_t q = gr->first; q < gr->first + gr->count; q++) {
        /* Each tranche is a project of its own (its own finance; its own crew unless crew_per
           build makes it share its build's), so a plan's flows are exactly the sum of its
           options' (docs/planner.md "Tranches"). */
        for (unsigned c = 0; c < x[q]; c++) {
          p[*n] = plan_option_project(po, &po->opt[q], 1);
          p[*n].convert_month = (int64_t)q; /* the option, until sorted */
          (*n)++;
        }
        converted += x[q];
      }
    }
    for (size_t a = first + 1; a < *n; a++)
      for (size_t b = a; b > first && phase_before(po, (size_t)p[b].convert_month,
                                                   (size_t)p[b - 1].convert_month); b--) {
        wp_plan_project t = p[b];
        p[b] = p[b - 1];
        p[b - 1] = t;
      }
    for (size_t a = first; a < *n; a++)
      p[a].convert_month = po->run[po->opt[(size_t)p[a].convert_month].run].t;
    /* The share still mining: 1 - the level of the tranches converted. */
    const double level = converted ? ps->level[converted - 1] : 0.0;
    if (level < 1.0)
      p[(*n)++] = (wp_plan_project){.site = i, .share = converted ? 1.0 - level : 1.0,
                                    .business = WP_BUSINESS_MINING, .convert_month = -1};
    if (ps->expansion) {
      const plan_group *gr = &ps->group[ps->ngroups];
      for (size_t q = gr->first; q < gr->first + gr->count; q++)
        if (x[q]) p[(*n)++] = plan_option_project(po, &po->opt[q], 1);
    }
  }
}
