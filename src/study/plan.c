/*
** Plan a scenario and keep what the request asks for: the report folder and the run in the
** results store (wattpivot/study.h).
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "study/strategies_int.h"
#include "wattpivot/output.h"
#include "wattpivot/planner.h"
#include "wattpivot/scenario_file.h"
#include "wattpivot/program_file.h"
#include "wattpivot/store.h"
#include "wattpivot/study.h"

static double seconds_since(const struct timespec *t0)
{
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* Keep the run in the open store; its id in *id. */
static wp_status store_run(wp_store *store, const wp_scenario *sc, const wp_plan_request *req,
                           const wp_plan_study *s, int64_t *id, wp_error *err)
{
  wp_run_meta meta = WP_RUN_META_INIT;
  snprintf(meta.scenario, sizeof meta.scenario, "%s",
           req->scenario_label ? req->scenario_label : sc->source);
  meta.scenario_text = (char *)req->scenario_text; /* read only by the store */
  if (req->argc > 0 && req->argv) wp_run_meta_set_command(&meta, req->argc, req->argv);
  meta.wall_s = s->wall_s;
  return wp_store_save_run(store, s->plan, &meta, id, err);
}

void wp_plan_study_free(wp_plan_study *s)
{
  if (!s) return;
  wp_plan_out_free(s->plan);
  free(s);
}

wp_status wp_study_plan(const wp_scenario *sc, const wp_plan_request *req, wp_plan_study **out,
                        wp_error *err)
{
  if (!sc || !req || !out) return wp_error_set(err, WP_EINVAL, "plan study: NULL argument");
  *out = NULL;
  unsigned mask = 0;
  wp_status st = wp_study_strategies(sc, req->strategies, &mask, err);
  if (st) return st;
  wp_plan_study *s = calloc(1, sizeof *s);
  if (!s) return wp_error_set(err, WP_ENOMEM, "plan study: out of memory");
  /* The report folder and the store are checked first: one that cannot take the results is
     said before any work. */
  if (req->out_dir && (st = wp_output_check_dir(req->out_dir, err))) {
    wp_plan_study_free(s);
    return st;
  }
  wp_store *store = NULL;
  st = req->db_path ? wp_store_open(req->db_path, &store, err) : WP_OK;
  if (st) {
    wp_plan_study_free(s);
    return st;
  }
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  wp_program *program = NULL;
  wp_program_format format;
  if (req->model_path && strcmp(req->model_path, "-") != 0)
    st = wp_program_format_of(req->model_path, &format, err);
  if (st == WP_OK) {
    wp_plan_opts o = WP_PLAN_OPTS_DEFAULT;
    o.mask = mask;
    o.keep = req->model_strategy;
    o.progress = req->progress;
    o.progress_ctx = req->progress_ctx;
    st = wp_plan_run_opts(sc, &o, &s->plan, req->model_path ? &program : NULL, err);
  }
  s->wall_s = seconds_since(&t0);
  if (st == WP_OK) st = wp_scenario_hash(sc, s->plan->scenario_hash, err);
  if (st == WP_OK) st = wp_output_now_utc(s->plan->created_utc, sizeof s->plan->created_utc, err);
  if (st == WP_OK && program) st = wp_program_write(program, req->model_path, err);
  wp_program_free(program);
  if (st == WP_OK && req->out_dir) st = wp_output_write_dir(s->plan, req->out_dir, err);
  if (st == WP_OK && store) st = store_run(store, sc, req, s, &s->run_id, err);
  wp_store_close(store);
  if (st) {
    wp_plan_study_free(s);
    return st;
  }
  *out = s;
  return WP_OK;
}
