/*
** What every writer of a plan result reads the same way (src/io/output_int.h): its text fields,
** its IRR note, the best strategy, and the shape check each writer runs first.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/output_int.h"

const char *wp_out_field(char *buf, size_t bufsize, const char *field, size_t fieldsize)
{
  size_t n = 0;
  while (n < fieldsize && n + 1 < bufsize && field[n])
    n++;
  memcpy(buf, field, n);
  buf[n] = '\0';
  return buf;
}

const char *wp_out_irr_note(char *buf, size_t n, const wp_strategy_out *st)
{
  wp_out_field(buf, n, st->irr_note, sizeof st->irr_note);
  if (!buf[0] && !isfinite(st->irr)) snprintf(buf, n, "none: the IRR does not exist");
  return buf;
}

size_t wp_out_best(const wp_plan_out *plan)
{
  size_t best = plan->nstrategies;
  int tie = 0;
  if (plan->nstrategies < 2) return plan->nstrategies;
  for (size_t i = 0; i < plan->nstrategies; i++) {
    double v = plan->strategies[i].npv_usd;
    if (!isfinite(v)) continue;
    if (best == plan->nstrategies || v > plan->strategies[best].npv_usd) {
      best = i;
      tie = 0;
    } else if (v == plan->strategies[best].npv_usd) {
      tie = 1;
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
