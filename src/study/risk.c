/* Run the risk engine with a request's overrides on a copy of the scenario (wattpivot/study.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattpivot/study.h"

wp_status wp_study_risk(const wp_scenario *sc, const wp_risk_request *req, wp_risk_result **out,
                        wp_error *err)
{
  if (!sc || !req || !out) return wp_error_set(err, WP_EINVAL, "risk study: NULL argument");
  *out = NULL;
  if (req->wait_site && wp_scenario_site_index(sc, req->wait_site) < 0)
    return wp_error_set(err, WP_EINVAL, "wait_site '%s': no site of the scenario has this name",
                        req->wait_site);
  wp_scenario *copy = malloc(sizeof *copy);
  if (!copy) return wp_error_set(err, WP_ENOMEM, "risk study: out of memory");
  memcpy(copy, sc, sizeof *copy);
  if (req->wait_site)
    snprintf(copy->risk.wait_site, sizeof copy->risk.wait_site, "%s", req->wait_site);
  if (req->zero_vol) wp_risk_assumptions_zero_vol(&copy->risk);
  wp_status st = wp_risk_run(copy, &req->opts, out, err);
  free(copy);
  return st;
}
