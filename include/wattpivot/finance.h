/*
** wattpivot/finance.h — project finance (docs/model/finance.md):
** XNPV/XIRR exactly as a spreadsheet computes them, the monthly finance engine over a
** wp_ledger (depreciation, tax with losses carried forward, construction loan with
** capitalized interest, DSCR-sized term debt with the SAM guards, equipment lease,
** convertible notes, project and equity cash flows, metrics) and a robust solve-for
** (the price at which NPV = 0). Pure: no I/O; wp_finance_run never allocates.
*/
#ifndef WATTPIVOT_FINANCE_H
#define WATTPIVOT_FINANCE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "export.h"
#include "ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ XNPV / XIRR */

/*
** Net present value of flows[0..n-1] dated dates_days[0..n-1] (day numbers; only differences
** matter): sum flows_i / (1 + rate)^((dates_i - dates_0)/365), exactly as XNPV in Excel,
** Gnumeric and LibreOffice (t0 is the FIRST flow's date, whatever its amount).
** Returns WP_OK, or WP_EINVAL when n == 0, a pointer is NULL, rate <= -1 or a value is not
** finite. Pure: no allocation, thread-safe.
*/
WP_API wp_status wp_finance_xnpv(const double *flows_usd, const double *dates_days, size_t n,
                                 double rate, double *npv_usd, wp_error *err);

#define WP_FINANCE_IRR_MAX_ROOTS 8

/* What wp_finance_xirr found. */
typedef struct wp_irr_result {
  double irr;        /* annual effective rate (XIRR); the root nearest 10% if several */
  size_t roots;      /* distinct roots found in (-99%, +1,000,000%) */
  int several_roots; /* 1 when roots > 1: irr is the one nearest 10% (say so in output) */
  double root[WP_FINANCE_IRR_MAX_ROOTS]; /* the roots found, ascending (first 8) */
} wp_irr_result;

/*
** Internal rate of return of dated flows: the rate r with XNPV(r) = 0 (as XIRR).
** Every root in (-99%, +1,000,000%) is found and the one nearest 10% is reported. When the
** dates are in order (and at most 1,200 flows are nonzero), the roots are bracketed from the
** sign pattern: the sign changes of the discounted flows' running sums bound the roots on each
** side of a point (Laguerre's rule; one sign change of the flows: one root at most, Descartes),
** a convexity bound proves where NPV keeps its sign, and each bracketed root is refined by
** Halley/Newton steps on ln(inflows/outflows) safeguarded by bisection; otherwise NPV(r) is
** scanned on a grid of ln(1+r) (0.01 steps between -30% and +100%, 0.1 outside) and every
** sign change refined (docs/model/finance.md). Returns WP_OK; WP_ENOROOT with a message when
** the flows never change sign ("none") or no root lies in the range; WP_EINVAL on bad
** arguments (as wp_finance_xnpv). On failure out->irr is 0 and out->roots 0 (never a NaN).
** Pure: no allocation (about 42 kB of stack), thread-safe.
*/
WP_API wp_status wp_finance_xirr(const double *flows_usd, const double *dates_days, size_t n,
                                 wp_irr_result *out, wp_error *err);

/*
** The note an IRR must carry, the one rule for every output (plan JSON, terminal, report,
** finance; docs/model/finance.md): note gets "" when the IRR reads plainly, else
**   "none: <why>"                                     no IRR;
**   "<k> IRRs (the flows change sign <c> times): ..."  several roots, the one nearest 10% shown;
**   "a borrowing rate (flows positive first, ...)"     the first nonzero flow is an inflow:
**                                                      money comes in before it goes out;
**   "the flows change sign <c> times: ..."             one root, but more than one sign change.
** The XIRR of the flows is computed here (*irr receives it when not NULL: roots 0 when none).
** Returns WP_OK (also when there is no IRR), or WP_EINVAL for bad flows or dates (as
** wp_finance_xirr) or a NULL or empty note buffer. Pure: no allocation.
*/
WP_API wp_status wp_finance_irr_note(const double *flows_usd, const double *dates_days, size_t n,
                                     wp_irr_result *irr, char *note, size_t note_size,
                                     wp_error *err);

/* ------------------------------------------------------------------ small metrics */

/*
** Payback month of flows[0..n-1]: the first month from which the running sum never goes
** negative again; 0 when it never is negative, -1 when it is still negative at the end.
*/
WP_API int64_t wp_finance_payback_month(const double *flows_usd, size_t n);

/* Multiple on invested capital: sum of positive flows / -(sum of negative flows);
** 0 when there is no negative flow (nothing invested). */
WP_API double wp_finance_moic(const double *flows_usd, size_t n);

/* Peak funding: the largest cumulative outlay, max(0, -min_k sum_{i<=k} flows_i). */
WP_API double wp_finance_peak_funding(const double *flows_usd, size_t n);

/* ------------------------------------------------------------------ terms */

typedef enum wp_debt_shape {
  WP_DEBT_SCULPTED = 0, /* payment_i = CFADS_i / DSCR (SAM Single Owner's DSCR mode) */
  WP_DEBT_LEVEL = 1     /* level monthly payment: the largest keeping every DSCR >= target */
} wp_debt_shape;
#define WP_DEBT_SHAPE_COUNT 2

/* "sculpted", "level" ("?" when out of range). */
WP_API const char *wp_debt_shape_name(wp_debt_shape s);

/* Why the term debt has the size it has. */
typedef enum wp_debt_limit {
  WP_DEBT_NONE = 0,   /* no term debt requested */
  WP_DEBT_BY_DSCR,    /* sized by CFADS / target DSCR */
  WP_DEBT_BY_GEARING, /* capped at max_gearing x project cost (DSCR raised) */
  WP_DEBT_NO_CFADS    /* no month with positive EBITDA and CFADS in the tenor: no debt */
} wp_debt_limit;

/*
** Financing and tax terms of one run. Months are ledger month indices. Rates are annual;
** loan rates are nominal with monthly compounding (monthly = annual / 12).
**
** Defaults (WP_FINANCE_TERMS_DEFAULT; all-equity until the caller enables debt, because the
** construction window belongs to the pathway):
**  hurdle 10% — judgment (10% is also the IRR root preference, docs/model/finance.md);
**  tax 21% — US federal corporate rate (26 U.S.C. §11(b), since 2018); the per-country table
**   is the planner's; losses carried forward may offset 80% of taxable income (26 U.S.C.
**   §172(a)(2), losses from 2018 on); monthly tax with carry-forward (docs/model/finance.md);
**  lives: mining facility 15 yr and AI M&E 15 yr (SAM's 15-yr class for electrical and
**   mechanical, docs/sources/energy.md §1.3 item 8), ASICs 4 yr (docs/model/mining.md §4:
**   3–5), AI shell 39 yr (SAM SL-39 for buildings, same source; docs/sources/ai-datacenter.md
**   §5.4: 30–40), GPUs 5 yr (docs/sources/ai-datacenter.md §5.4: hyperscalers 5–6, CoreWeave 6,
**   Nebius 4; suggested default 5), soft costs 15 yr (judgment: follow the M&E they serve);
**  construction loan: 8.5%/yr (SAM's term rate default, docs/sources/energy.md §1.3 item 4;
**   judgment for construction), loan-to-cost 0 (off);
**  term debt: DSCR 1.35 (docs/model/finance.md: 1.30–1.50), max gearing 0.75
**   (docs/model/finance.md: 70–85%; Hut 8 up to 85%), rate 8.5% (SAM default), tenor 120 months
**   (SAM default 10 yr; keep <= the contract term), sculpted;
**  equipment lease: off; when used, 36 months (docs/model/finance.md: 3–5 yr) and a rate factor of
**   0.032/month (judgment: the annuity factor of a 36-month lease at ~10%/yr is 0.0323);
**  convertible: off; example (docs, tests) Bitdeer Nov-2025: $400M, 4.00%, due 2031,
**   56.2635 shares per $1,000 (~$17.77), semiannual coupons, net proceeds $388.0M
**   (3.0% issue cost) — docs/sources/mining.md §6.1.
*/
typedef struct wp_finance_terms {
  double hurdle_rate; /* annual effective discount rate for npv_usd (> -1) */
  int compute_irr;    /* 1: compute project/equity IRR; 0: skip (fast risk runs) */
  /* A second business from a month on, discounted at its own rate (docs/model/finance.md
     "Discount rate by business"): months >= rate_switch_month are discounted at rate_after
     (> -1) from month 0; rate_switch_month <= 0: none (every month at hurdle_rate; a zeroed
     struct has none). */
  int64_t rate_switch_month;
  double rate_after;

  double tax_rate;                   /* income tax rate [0, 1) */
  double nol_limit_frac;             /* share of taxable income carried losses may offset (0, 1] */
  double life_years[WP_ASSET_COUNT]; /* straight-line depreciable life per class (> 0, <= 100) */

  struct {
    int64_t start_month; /* first construction month (>= 0) */
    int64_t cod_month;   /* first operating month; window = [start, cod); 0 = none */
    double ltc;          /* share of net construction capex drawn on the loan [0, 1] */
    double rate;         /* annual nominal; interest capitalized monthly */
  } construction;

  struct {
    int enabled; /* 0: no term debt */
    wp_debt_shape shape;
    double target_dscr;   /* >= 1 */
    double max_gearing;   /* term debt <= max_gearing x project cost, [0, 1] */
    double rate;          /* annual nominal */
    int64_t tenor_months; /* from cod (truncated at the horizon) */
  } term;

  struct {
    int asset_class;     /* wp_asset_class leased, or -1 for no lease */
    double fraction;     /* share of that class's capex the lessor pays [0, 1] */
    double rate_factor;  /* monthly payment per USD funded (0, 1) */
    int64_t term_months; /* payments per funded amount (> 0) */
    int64_t close_month; /* -1: funded as spent; m: sale-leaseback closing at month m
                            (capex spent earlier is reimbursed then) */
  } lease;

  struct {
    double principal_usd;         /* 0: no convertible */
    double coupon_rate;           /* annual, on principal */
    int64_t coupon_period_months; /* coupons every k months after issue (> 0) */
    double issue_cost_frac;       /* share of principal lost to issue costs [0, 1) */
    int64_t issue_month;
    int64_t maturity_month;      /* > issue_month; after the horizon: outstanding at the end */
    double conversion_price_usd; /* USD per share (> 0) */
    double share_price_at_maturity_usd; /* converts when > conversion price */
  } convertible;
} wp_finance_terms;

#define WP_FINANCE_TERMS_DEFAULT                                                                   \
  {                                                                                                \
    .hurdle_rate = 0.10, .compute_irr = 1, .rate_switch_month = -1, .rate_after = 0.10,            \
    .tax_rate = 0.21, .nol_limit_frac = 0.80,                                                      \
    .life_years = {15.0, 4.0, 39.0, 15.0, 5.0, 15.0},                                              \
    .construction = {.start_month = 0, .cod_month = 0, .ltc = 0.0, .rate = 0.085},                 \
    .term = {.enabled = 0,                                                                         \
             .shape = WP_DEBT_SCULPTED,                                                            \
             .target_dscr = 1.35,                                                                  \
             .max_gearing = 0.75,                                                                  \
             .rate = 0.085,                                                                        \
             .tenor_months = 120},                                                                 \
    .lease = {.asset_class = -1,                                                                   \
              .fraction = 0.0,                                                                     \
              .rate_factor = 0.032,                                                                \
              .term_months = 36,                                                                   \
              .close_month = -1},                                                                  \
    .convertible = {                                                                               \
      .principal_usd = 0.0,                                                                        \
      .coupon_rate = 0.04,                                                                         \
      .coupon_period_months = 6,                                                                   \
      .issue_cost_frac = 0.03,                                                                     \
      .issue_month = 0,                                                                            \
      .maturity_month = 72,                                                                        \
      .conversion_price_usd = 1000.0 / 56.2635,                                                    \
      .share_price_at_maturity_usd = 0.0                                                           \
    }                                                                                              \
  }

/* ------------------------------------------------------------------ run */

typedef struct wp_finance_metrics {
  double npv_usd;           /* XNPV(hurdle, project_cash_flow_usd) */
  double equity_npv_usd;    /* XNPV(hurdle, equity_cash_flow_usd) */
  double project_irr;       /* XIRR of project flows (valid when project_irr_found) */
  int project_irr_found;    /* 0: "none" (no sign change / no root / not computed) */
  size_t project_irr_roots; /* > 1: several roots, project_irr is the one nearest 10% */
  double equity_irr;
  int equity_irr_found;
  size_t equity_irr_roots;
  int64_t payback_month; /* project flows; -1 never, 0 never negative */
  int64_t equity_payback_month;
  double min_dscr;             /* over months with term debt service; 0 when none */
  double avg_dscr;             /* arithmetic mean of the monthly DSCRs; 0 when none */
  size_t dscr_months;          /* months with term debt service */
  double peak_funding_usd;     /* largest cumulative equity outlay */
  double moic;                 /* equity distributions / equity contributions */
  double project_cost_usd;     /* construction-window capex + capitalized interest */
  double idc_usd;              /* capitalized construction interest */
  double term_debt_usd;        /* term debt drawn */
  double gearing;              /* term_debt_usd / project_cost_usd (0 when no cost) */
  double effective_dscr;       /* target DSCR after the gearing cap (0 when no debt) */
  wp_debt_limit debt_limit;    /* what sized the term debt */
  int64_t tenor_months;        /* tenor actually used (after truncation at the horizon) */
  double tax_paid_usd;         /* sum of tax_usd */
  double nol_end_usd;          /* losses still carried forward at the end */
  int conv_converted;          /* 1: converted at maturity (no cash repaid) */
  int conv_outstanding_at_end; /* 1: matures after the horizon */
  double conv_dilution_shares; /* principal / conversion price when converted, else 0 */
} wp_finance_metrics;

/*
** The checks wp_finance_run makes of t for a ledger of months months: every rate, share, life,
** tenor and the construction, lease and convertible windows (WP_EINVAL naming the term, its
** value and the accepted range).
*/
WP_API wp_status wp_finance_terms_check(const wp_finance_terms *t, size_t months, wp_error *err);

/*
** Compute every derived ledger line and the metrics from the input lines and terms
** (docs/model/finance.md gives each formula). O(months) except the IRR scan when flows
** change sign several times; never allocates; deterministic. Returns WP_OK, or WP_EINVAL
** naming the field/line, month and accepted range when a term is out of range, an input
** is not finite, a disposal fraction is outside [0, 1], more prepayment is amortized than
** received, or term debt is requested without a construction window ending at cod >= 1.
** An IRR that does not exist is not an error: *_irr_found = 0.
*/
WP_API wp_status wp_finance_run(wp_ledger *ledger, const wp_finance_terms *terms,
                                wp_finance_metrics *out, wp_error *err);

/* ------------------------------------------------------------------ solve-for */

/* NPV as a function of the solved quantity x (e.g. a lease rate in USD/kW-month): rebuild
** the ledger for x, run it, store the NPV. Return WP_OK or a status (with err filled). */
typedef wp_status (*wp_finance_npv_fn)(double x, void *ctx, double *npv_usd, wp_error *err);

typedef struct wp_finance_solve_opts {
  double lo, hi;       /* initial bracket guess (lo < hi) */
  double x_min, x_max; /* the bracket may expand within these limits only */
  int max_expansions;  /* bracket doublings tried when NPV(lo), NPV(hi) share a sign */
  double rel_tol;      /* stop when the bracket is narrower than rel_tol * |x| (+1e-300) */
  int max_iterations;
} wp_finance_solve_opts;

#define WP_FINANCE_SOLVE_OPTS_DEFAULT                                                              \
  {                                                                                                \
    .lo = 0.0, .hi = 1.0, .x_min = -1e300, .x_max = 1e300, .max_expansions = 60, .rel_tol = 1e-12, \
    .max_iterations = 200                                                                          \
  }

typedef struct wp_finance_solve_result {
  double x;                      /* the solution */
  double npv_usd;                /* NPV at x as last evaluated */
  int evaluations;               /* calls of npv_of */
  double bracket_lo, bracket_hi; /* the sign-change bracket that was refined */
} wp_finance_solve_result;

/*
** Find x with npv_of(x) = 0: evaluate the bracket, expand it (doubling its width within
** [x_min, x_max]) until NPV changes sign, then refine with GSL's Brent solver (call wp_init
** first). Returns WP_OK; WP_ENOROOT naming the widest bracket and its NPVs when NPV never
** changes sign; WP_EINVAL for bad options; the callback's status when it fails (its message
** is kept). Allocates one GSL solver per call (not for hot loops).
*/
WP_API wp_status wp_finance_solve_npv_zero(wp_finance_npv_fn npv_of, void *ctx,
                                           const wp_finance_solve_opts *opts,
                                           wp_finance_solve_result *out, wp_error *err);

#ifdef __cplusplus
}
#endif
#endif
