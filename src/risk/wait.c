/*
** The value of waiting to convert one site: every candidate start month on the first paths,
** then least-squares Monte Carlo (Longstaff-Schwartz) on the start month (docs/model/risk.md).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_multifit.h>

#include "risk/engine_int.h"

#define NBASIS 6

wp_status wp_risk_wait_setup(engine *e, const wp_risk_opts *o, wp_error *err)
{
  e->wait_site = -1;
  if (!o->value_of_waiting) return WP_OK;
  const wp_scenario *sc = e->sc;
  if (sc->risk.wait_site[0]) {
    e->wait_site = wp_scenario_site_index(sc, sc->risk.wait_site);
    if (e->wait_site < 0)
      return wp_error_set(err, WP_EINVAL, "risk.wait_site: no site is called '%s'",
                          sc->risk.wait_site);
    if (!sc->sites[e->wait_site].ai_ready)
      return wp_error_set(err, WP_EINVAL,
                          "risk.wait_site: site %s is not AI-ready; it cannot convert",
                          sc->risk.wait_site);
  } else {
    for (size_t k = 0; k < e->nstrat && e->wait_site < 0; k++)
      if (e->dec->strategies[k] == WP_STRATEGY_HYBRID) {
        size_t n = 0;
        const wp_plan_project *p = wp_plan_projects(e->dec, k, &n);
        for (size_t j = 0; j < n && e->wait_site < 0; j++)
          if (p[j].business != WP_BUSINESS_MINING && !p[j].expansion)
            e->wait_site = (long)p[j].site;
      }
    for (size_t i = 0; i < e->nsites && e->wait_site < 0; i++)
      if (sc->sites[i].ai_ready) e->wait_site = (long)i;
    if (e->wait_site < 0) return WP_OK;
  }
  int64_t step = sc->strategy.convert_month_step > 0 ? sc->strategy.convert_month_step : 6;
  e->wait_k = 0;
  for (int64_t t = sc->strategy.earliest_convert_month;
       t <= sc->risk.wait_max_month && t < (int64_t)e->months; t += step)
    e->wait_k++;
  if (e->wait_k == 0) {
    e->wait_site = -1;
    return WP_OK;
  }
  e->wait_month = calloc(e->wait_k, sizeof *e->wait_month);
  if (!e->wait_month) return wp_error_set(err, WP_ENOMEM, "risk: out of memory");
  for (size_t k = 0; k < e->wait_k; k++)
    e->wait_month[k] = sc->strategy.earliest_convert_month + (int64_t)k * step;
  e->wait_paths = (size_t)sc->risk.wait_paths < e->paths ? (size_t)sc->risk.wait_paths : e->paths;
  /* This process's share of the studied paths: its block cut at wait_paths. */
  const size_t end = e->first + e->count < e->wait_paths ? e->first + e->count : e->wait_paths;
  return wp_risk_wait_alloc(e, end > e->first ? end - e->first : 0, err);
}

wp_status wp_risk_wait_alloc(engine *e, size_t count, wp_error *err)
{
  free(e->wait_v);
  e->wait_count = count;
  e->wait_v = calloc(count * e->wait_k * 3 + 1, sizeof(double));
  if (!e->wait_v) return wp_error_set(err, WP_ENOMEM, "risk: out of memory");
  e->wait_x = e->wait_v + count * e->wait_k;
  return WP_OK;
}

wp_status wp_risk_wait_path(wp_pathway_eval *ev, const engine *e, const wp_market_path *mp,
                            uint64_t p, double npv_mine, wp_error *err)
{
  const wp_market_path *base = wp_risk_market_base(e->gen);
  size_t i = (size_t)e->wait_site;
  for (size_t k = 0; k < e->wait_k; k++) {
    wp_plan_project d = {.site = i, .share = 1.0,
                         .business = e->sc->conversion.business == WP_BUSINESS_MINING
                                         ? WP_BUSINESS_COLO
                                         : e->sc->conversion.business,
                         .convert_month = e->wait_month[k]};
    wp_pathway pw = wp_plan_project_pathway(e->sc, &d);
    double npv = 0.0;
    wp_status st = wp_risk_run_pathway(ev, e, &e->dec->sites[i], &pw, mp, &npv, p, err);
    if (st) return st;
    size_t t = (size_t)e->wait_month[k], b = (size_t)p - e->first; /* b: in the block */
    e->wait_v[b * e->wait_k + k] = npv - npv_mine;
    e->wait_x[(b * e->wait_k + k) * 2] =
        log(mp->hashprice_usd_per_ph_day[t] / base->hashprice_usd_per_ph_day[t]);
    e->wait_x[(b * e->wait_k + k) * 2 + 1] =
        log(mp->colo_usd_per_kw_month[t] / base->colo_usd_per_kw_month[t]);
  }
  return WP_OK;
}

/* Least-squares fit of y on the basis of the state over n paths at decision k; writes the
** fitted values into fit. Falls back to the mean when the fit is impossible or degenerate
** (e.g. a state that does not vary: month 0, or zero volatility). */
static void fit_on_state(const engine *e, size_t k, const double *y, double *fit, gsl_matrix *X,
                         gsl_vector *yv, gsl_vector *c, gsl_matrix *cov,
                         gsl_multifit_linear_workspace *ws)
{
  const size_t n = e->wait_paths, K = e->wait_k;
  double mean = 0;
  for (size_t p = 0; p < n; p++)
    mean += y[p];
  mean /= (double)n;
  int fitted = 0;
  if (n > 2 * NBASIS) {
    for (size_t p = 0; p < n; p++) {
      const double *x = &e->wait_x[(p * K + k) * 2];
      double row[NBASIS] = {1.0, x[0], x[1], x[0] * x[0], x[1] * x[1], x[0] * x[1]};
      for (int j = 0; j < NBASIS; j++)
        gsl_matrix_set(X, p, (size_t)j, row[j]);
      gsl_vector_set(yv, p, y[p]);
    }
    size_t rank = 0;
    double chisq;
    fitted =
        gsl_multifit_linear_tsvd(X, yv, 1e-9, c, cov, &chisq, &rank, ws) == GSL_SUCCESS && rank > 1;
  }
  for (size_t p = 0; p < n; p++) {
    if (!fitted) {
      fit[p] = mean;
      continue;
    }
    double f = 0;
    for (int j = 0; j < NBASIS; j++)
      f += gsl_matrix_get(X, p, (size_t)j) * gsl_vector_get(c, (size_t)j);
    fit[p] = f;
  }
}

/*
** Least-squares Monte Carlo (Longstaff-Schwartz) on the start month. The payoff of converting
** at month t_k is the NPV uplift over mining of the whole remaining life, which is not known
** at t_k; so both it and the value of holding on are regressed on the state known at t_k (log
** hashprice and log colocation rent relative to the base path; basis 1, x, y, x^2, y^2, xy).
** Backwards over the candidate months, a path converts at t_k when the fitted payoff is
** positive and beats the fitted continuation; its realized value is then its own uplift. The
** last month converts when the fitted payoff is positive, else never (value 0).
*/
wp_status wp_risk_wait_solve(const engine *e, wp_risk_wait *w, wp_error *err)
{
  const size_t n = e->wait_paths, K = e->wait_k;
  double *cash = calloc(4 * n, sizeof *cash);
  size_t *when = calloc(n, sizeof *when);
  gsl_matrix *X = gsl_matrix_alloc(n, NBASIS);
  gsl_vector *yv = gsl_vector_alloc(n), *c = gsl_vector_alloc(NBASIS);
  gsl_matrix *cov = gsl_matrix_alloc(NBASIS, NBASIS);
  gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc(n, NBASIS);
  wp_status st = WP_OK;
  if (!cash || !when || !X || !yv || !c || !cov || !ws) {
    st = wp_error_set(err, WP_ENOMEM, "value of waiting: out of memory");
    goto done;
  }
  double *v = cash + n, *fit_v = v + n, *fit_c = fit_v + n;
  for (size_t p = 0; p < n; p++) {
    cash[p] = 0;
    when[p] = K;
  }
  for (size_t kk = K; kk-- > 0;) {
    for (size_t p = 0; p < n; p++)
      v[p] = e->wait_v[p * K + kk];
    fit_on_state(e, kk, v, fit_v, X, yv, c, cov, ws);
    fit_on_state(e, kk, cash, fit_c, X, yv, c, cov, ws);
    for (size_t p = 0; p < n; p++)
      if (fit_v[p] > 0 && fit_v[p] > fit_c[p]) {
        cash[p] = v[p];
        when[p] = kk;
      }
  }
  double opt = 0;
  size_t never = 0;
  for (size_t p = 0; p < n; p++) {
    opt += cash[p];
    if (when[p] == K) never++;
  }
  w->month = calloc(K, sizeof *w->month);
  w->mean_uplift_usd = calloc(K, sizeof *w->mean_uplift_usd);
  if (!w->month || !w->mean_uplift_usd) {
    st = wp_error_set(err, WP_ENOMEM, "value of waiting: out of memory");
    goto done;
  }
  w->optimal_usd = opt / (double)n;
  w->p_never = (double)never / (double)n;
  for (size_t k = 0; k < K; k++) {
    double s = 0;
    for (size_t p = 0; p < n; p++)
      s += e->wait_v[p * K + k];
    w->month[k] = e->wait_month[k];
    w->mean_uplift_usd[k] = s / (double)n;
    if (k == 0 || w->mean_uplift_usd[k] > w->best_fixed_usd) {
      w->best_fixed_usd = w->mean_uplift_usd[k];
      w->best_fixed_month = e->wait_month[k];
    }
  }
  w->convert_now_usd = w->mean_uplift_usd[0];
  w->value_of_waiting_usd = w->optimal_usd - w->convert_now_usd;
  w->ndecisions = K;
  w->paths = n;
  w->computed = 1;
done:
  gsl_multifit_linear_free(ws);
  gsl_matrix_free(cov);
  gsl_vector_free(c);
  gsl_vector_free(yv);
  gsl_matrix_free(X);
  free(when);
  free(cash);
  return st;
}
