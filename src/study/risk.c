/* Run the risk engine with a request's overrides on a copy of the scenario (wattpivot/study.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/strategies_int.h"
#include "wattpivot/scenario_file.h"
#include "wattpivot/study.h"

wp_status wp_study_risk(const wp_scenario *sc, const wp_risk_request *req, wp_risk_result **out,
                        wp_error *err)
{
  if (!sc || !req || !out) return wp_error_set(err, WP_EINVAL, "risk study: NULL argument");
  *out = NULL;
  /* A process of a split run that fails here still tells the others (wattpivot/risk.h). */
  const wp_risk_exchange *x = req->opts.exchange;
  wp_scenario *copy = NULL;
  wp_risk_opts opts = req->opts;
  wp_status st = wp_study_strategies(sc, req->opts.mask, &opts.mask, err);
  if (!st && req->wait_site && wp_scenario_site_index(sc, req->wait_site) < 0)
    st = wp_error_set(err, WP_EINVAL, "wait_site '%s': no site of the scenario has this name",
                      req->wait_site);
  if (!st && !(copy = malloc(sizeof *copy)))
    st = wp_error_set(err, WP_ENOMEM, "risk study: out of memory");
  if (st) {
    if (x && x->all_ok) x->all_ok(x->ctx, 0);
    return st;
  }
  memcpy(copy, sc, sizeof *copy);
  if (req->wait_site)
    snprintf(copy->risk.wait_site, sizeof copy->risk.wait_site, "%s", req->wait_site);
  if (req->zero_vol) wp_risk_assumptions_zero_vol(&copy->risk);
  st = wp_risk_run(copy, &opts, out, err);
  if (st == WP_OK && *out && (st = wp_scenario_hash(copy, (*out)->scenario_hash, err))) {
    wp_risk_result_free(*out);
    *out = NULL;
  }
  free(copy);
  return st;
}
