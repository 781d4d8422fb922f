/*
** What every writer of a plan result reads the same way (src/io/output_int.h): its text fields,
** its IRR note, the best strategy, and the shape check each writer runs first.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/output_int.h"
#include "wattpivot/format.h"

const char *wp_out_field(char *buf, size_t bufsize, const char *field, size_t fieldsize)
{
  size_t n = 0;
  while (n < fieldsize && n + 1 < bufsize && field[n])
    n++;
  memcpy(buf, field, n);
  buf[n] = '\0';
  return buf;
}

const char *wp_out_irr_note(char *buf, size_t n, const wp_plan_out *plan, const wp_strategy_out *st)
{
  /* The planner wrote the note by the one rule (wp_finance_irr_note); a run stored without one
  ** and without an IRR still says so. */
  (void)plan;
  wp_out_field(buf, n, st->irr_note, sizeof st->irr_note);
  if (!buf[0] && !isfinite(st->irr)) snprintf(buf, n, "none: the IRR does not exist");
  return buf;
}

int wp_out_holds_floor(const wp_plan_out *plan, size_t i)
{
  return !isfinite(plan->cash_floor_usd) ||
         !(plan->strategies[i].min_cash_usd < plan->cash_floor_usd);
}

int wp_out_feasible(const wp_plan_out *plan, size_t i)
{
  return wp_out_holds_floor(plan, i) && plan->strategies[i].nbreaches == 0;
}

int wp_out_same_plan(const wp_plan_out *plan, size_t a, size_t b)
{
  const wp_strategy_out *x = &plan->strategies[a], *y = &plan->strategies[b];
  if (x->npv_usd != y->npv_usd || x->nsites != y->nsites) return 0;
  for (size_t i = 0; i < x->nsites; i++) {
    const wp_site_out *p = &x->sites[i], *q = &y->sites[i];
    if (p->convert_month != q->convert_month || p->converted_grid_mw != q->converted_grid_mw ||
        strcmp(p->business_model, q->business_model) != 0)
      return 0;
  }
  return 1;
}

size_t wp_out_best(const wp_plan_out *plan)
{
  size_t best = plan->nstrategies;
  int tie = 0;
  if (plan->nstrategies < 2) return plan->nstrategies;
  for (size_t i = 0; i < plan->nstrategies; i++) {
    double v = plan->strategies[i].npv_usd;
    if (!isfinite(v) || !wp_out_feasible(plan, i)) continue;
    if (best == plan->nstrategies || v > plan->strategies[best].npv_usd) {
      best = i;
      tie = 0;
    } else if (v == plan->strategies[best].npv_usd && !wp_out_same_plan(plan, best, i)) {
      tie = 1; /* two different plans worth the same: no single best (the same plan is one) */
    }
  }
  return tie ? plan->nstrategies : best;
}

wp_status wp_out_check(const wp_plan_out *plan, wp_error *err)
{
  if (!plan) return wp_error_set(err, WP_EINVAL, "plan result is NULL");
  if (!wp_calendar_valid(plan->start))
    return wp_error_set(err, WP_EINVAL,
                        "plan start month %d-%d is not a valid month (year 1..9999, month 1..12)",
                        plan->start.year, plan->start.month);
  if (plan->months > 12000)
    return wp_error_set(err, WP_EINVAL, "plan horizon %zu months exceeds 12000 (1000 years)",
                        plan->months);
  if (plan->nstrategies > 0 && !plan->strategies)
    return wp_error_set(err, WP_EINVAL, "plan has %zu strategies but no strategy array",
                        plan->nstrategies);
  for (size_t i = 0; i < plan->nstrategies; i++) {
    const wp_strategy_out *st = &plan->strategies[i];
    if (st->nsites > 0 && !st->sites)
      return wp_error_set(err, WP_EINVAL, "strategy %zu has %zu sites but no site rows", i,
                          st->nsites);
    for (int s = 0; s < WP_SERIES_COUNT; s++)
      if (plan->months > 0 && !st->series[s])
        return wp_error_set(err, WP_EINVAL, "strategy %zu has no %s series", i,
                            wp_series_name((wp_series)s));
  }
  return WP_OK;
}

/* s as HTML or as plain text. */
static void put(wp_sbuf *b, int html, const char *s)
{
  if (html)
    wp_out_html(b, s);
  else
    wp_sbuf_puts(b, s);
}

void wp_out_decision(wp_sbuf *b, const wp_plan_out *plan, int html)
{
  char t[160], m1[48], m2[48], ym[16];
  const size_t best = wp_out_best(plan);
  const int floor_known = isfinite(plan->cash_floor_usd);
  if (best < plan->nstrategies) {
    const wp_strategy_out *st = &plan->strategies[best];
    put(b, html, "Recommended: ");
    put(b, html, WP_OUT_FIELD(t, st->name));
    wp_sbuf_printf(b, ", NPV %s, the highest of the strategies that meet every limit",
                   wp_format_musd(m1, sizeof m1, st->npv_usd));
    if (floor_known)
      wp_sbuf_printf(b, " (month-end cash stays above the %s floor, lowest %s)",
                     wp_format_musd(m2, sizeof m2, plan->cash_floor_usd),
                     wp_format_musd(m1, sizeof m1, st->min_cash_usd));
    put(b, html, ". ");
    for (size_t i = 0; i < plan->nstrategies; i++)
      if (i != best && wp_out_same_plan(plan, best, i)) {
        put(b, html, WP_OUT_FIELD(t, plan->strategies[i].name));
        put(b, html, " gives the same plan. ");
      }
    size_t converts = 0, mining = 0;
    for (size_t i = 0; i < st->nsites; i++) {
      const wp_site_out *s = &st->sites[i];
      if (s->converted_grid_mw > 0) {
        put(b, html, converts++ ? "; " : "It converts ");
        put(b, html, WP_OUT_FIELD(t, s->name));
        wp_sbuf_printf(b, " (%.0f of %.0f grid MW, ", s->converted_grid_mw, s->grid_mw);
        put(b, html, WP_OUT_FIELD(t, s->business_model));
        wp_sbuf_printf(b, " from %s)",
                       wp_format_month(ym, sizeof ym, plan->start, s->convert_month, "?"));
      } else {
        mining++;
      }
    }
    if (converts)
      wp_sbuf_printf(b, " and keeps %zu site%s mining. ", mining, mining == 1 ? "" : "s");
    else
      wp_sbuf_printf(b, "It keeps every site mining. ");
  } else if (plan->nstrategies >= 2) {
    int any = 0, floor_held = 0;
    for (size_t i = 0; i < plan->nstrategies; i++) {
      any |= wp_out_feasible(plan, i);
      floor_held |= wp_out_holds_floor(plan, i);
    }
    if (!any && !floor_held && floor_known)
      wp_sbuf_printf(b,
                     "No strategy keeps month-end cash above the %s floor: none is recommended "
                     "as planned; lower the floor, add funding or change the conversions. ",
                     wp_format_musd(m1, sizeof m1, plan->cash_floor_usd));
    else if (!any)
      put(b, html, "No strategy meets every limit: none is recommended as planned (each one's "
                   "breaches follow; relax a limit, add funding or change the conversions). ");
    else
      put(b, html, "No single strategy is best (a tie or no finite NPV). ");
  }
  for (size_t i = 0; i < plan->nstrategies; i++) {
    const wp_strategy_out *st = &plan->strategies[i];
    if (wp_out_feasible(plan, i)) continue;
    put(b, html, "Set aside: ");
    put(b, html, WP_OUT_FIELD(t, st->name));
    wp_sbuf_printf(b, " (NPV %s): ", wp_format_musd(m1, sizeof m1, st->npv_usd));
    if (st->nbreaches == 0) { /* a run from the store: only its cash is known */
      size_t at = 0;
      const double *cash = st->series[WP_SERIES_CASH_USD];
      for (size_t m = 0; cash && m < plan->months; m++)
        if (cash[m] < cash[at]) at = m;
      wp_sbuf_printf(b, "its cash falls to %s in %s, below the floor. ",
                     wp_format_musd(m2, sizeof m2, st->min_cash_usd),
                     wp_format_month(ym, sizeof ym, plan->start, (int64_t)at, "?"));
      continue;
    }
    /* the worst breach of each limit, with how many months or years it is broken */
    int said = 0;
    for (int l = 0; l < WP_LIMIT_COUNT; l++) {
      size_t worst = st->nbreaches, n = 0;
      for (size_t k = 0; k < st->nbreaches; k++)
        if ((int)st->breaches[k].limit == l) {
          n++;
          if (worst == st->nbreaches || st->breaches[k].amount > st->breaches[worst].amount)
            worst = k;
        }
      if (worst == st->nbreaches) continue;
      const wp_breach_out *w = &st->breaches[worst];
      const int money = strcmp(wp_limit_unit(w->limit), "USD") == 0;
      const int yearly = w->limit == WP_LIMIT_CAPEX_BUDGET || w->limit == WP_LIMIT_MINING_COVER;
      char amt[48];
      if (money)
        wp_format_musd(amt, sizeof amt, w->amount);
      else
        snprintf(amt, sizeof amt, "%.1f %s", w->amount, wp_limit_unit(w->limit));
      wp_sbuf_printf(b, "%sbreaks the %s", said++ ? "; " : "", wp_limit_name(w->limit));
      if (w->scope[0]) {
        put(b, html, " of ");
        put(b, html, WP_OUT_FIELD(t, w->scope));
      }
      if (yearly)
        wp_sbuf_printf(b, " in %zu year%s, worst %d by %s", n, n == 1 ? "" : "s",
                       plan->start.year + (plan->start.month - 1 + w->month) / 12, amt);
      else
        wp_sbuf_printf(b, " in %zu month%s, worst %s by %s", n, n == 1 ? "" : "s",
                       wp_format_month(ym, sizeof ym, plan->start, w->month, "?"), amt);
    }
    put(b, html, ". ");
  }
  put(b, html,
      "Caveats: one deterministic market path (run `wattpivot risk` for the spread of "
      "outcomes and the probability of a cash shortfall, `wattpivot sweep` for what moves "
      "the decision); all-in and hybrid are chosen by a mixed-integer program within a node "
      "limit: each one's solver status and gap say how close to the proven optimum it is "
      "(docs/planner.md).");
}
