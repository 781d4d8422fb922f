/* wattpivot schedule: conversion schedule — critical path, float, phases, Monte Carlo dates. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_DRAWS 1000000

static const cli_command schedule_cmd = {
  "schedule",
  "wattpivot schedule [--plan sequential|fast-track|greenfield] [--tasks FILE.csv] "
  "[--draws N] [--seed S] [--dist pert|triangular] [--substation-upgrade] [--json]",
  "Conversion schedule: early/late dates, float, critical path, energization phases; with\n"
  "--draws, Monte Carlo P50/P80/P90 finish and each activity's criticality index.",
  "Durations are three-point (min, most likely, max) days; the deterministic dates use the\n"
  "most likely. --tasks FILE.csv replaces the built-in template; header:\n"
  "  id,name,min_days,mode_days,max_days,predecessors\n"
  "predecessors: ';'-separated ID (finish-to-start) or ID:FS+L, ID:SS-L, ID:FF+L (lag L days).\n"
  "Templates cite the source of every duration (--json shows each task's source);\n"
  "see docs/model/schedule.md."};

typedef struct mc_out {
  int on;
  wp_sched_mc_opts opts;
  wp_sched_mc_result res;
  double *crit, *phase_p50, *phase_p80;
} mc_out;

static cJSON *json_tasks(const wp_schedule *s, const mc_out *mc)
{
  cJSON *arr = cJSON_CreateArray();
  for (size_t i = 0; arr && i < wp_schedule_count(s); i++) {
    const wp_sched_activity *a = wp_schedule_activity(s, i);
    const wp_sched_times *t = wp_schedule_times(s, i);
    cJSON *o = cJSON_CreateObject();
    if (!o) {
      cJSON_Delete(arr);
      return NULL;
    }
    cJSON_AddItemToArray(arr, o);
    cJSON_AddStringToObject(o, "id", a->id);
    cJSON_AddStringToObject(o, "name", a->name ? a->name : "");
    cJSON_AddNumberToObject(o, "min_days", a->min_days);
    cJSON_AddNumberToObject(o, "mode_days", a->mode_days);
    cJSON_AddNumberToObject(o, "max_days", a->max_days);
    cJSON_AddNumberToObject(o, "es", t->es_days);
    cJSON_AddNumberToObject(o, "ef", t->ef_days);
    cJSON_AddNumberToObject(o, "ls", t->ls_days);
    cJSON_AddNumberToObject(o, "lf", t->lf_days);
    cJSON_AddNumberToObject(o, "float", t->float_days);
    cJSON_AddBoolToObject(o, "critical", t->critical);
    if (mc->on) cJSON_AddNumberToObject(o, "criticality", mc->crit[i]);
    if (a->source) cJSON_AddStringToObject(o, "source", a->source);
  }
  return arr;
}

static int print_json(const wp_schedule *s, const char *plan, const mc_out *mc)
{
  cJSON *doc = cJSON_CreateObject();
  if (!doc) return cli_print_json(NULL);
  double fin = wp_schedule_finish_days(s);
  cJSON_AddStringToObject(doc, "plan", plan);
  cJSON_AddNumberToObject(doc, "finish_days", fin);
  cJSON_AddNumberToObject(doc, "finish_months", wp_schedule_months(fin));
  size_t n = wp_schedule_count(s);
  size_t *cp = malloc(n * sizeof *cp);
  cJSON *cpa = cJSON_AddArrayToObject(doc, "critical_path");
  if (!cp || !cpa) {
    free(cp);
    cJSON_Delete(doc);
    return cli_print_json(NULL);
  }
  size_t ncp = wp_schedule_critical_path(s, cp, n);
  for (size_t k = 0; k < ncp; k++)
    cJSON_AddItemToArray(cpa, cJSON_CreateString(wp_schedule_activity(s, cp[k])->id));
  free(cp);
  cJSON *ph = cJSON_AddArrayToObject(doc, "phases");
  for (size_t k = 0; ph && k < wp_schedule_phase_count(s); k++) {
    const wp_sched_phase *p = wp_schedule_phase(s, k);
    cJSON *o = cJSON_CreateObject();
    if (!o) break;
    cJSON_AddItemToArray(ph, o);
    cJSON_AddNumberToObject(o, "phase", p->phase);
    if (p->activity == WP_SCHED_NONE)
      cJSON_AddNullToObject(o, "id");
    else
      cJSON_AddStringToObject(o, "id", wp_schedule_activity(s, p->activity)->id);
    cJSON_AddNumberToObject(o, "fraction", p->fraction);
    cJSON_AddNumberToObject(o, "finish_days", p->finish_days);
    cJSON_AddNumberToObject(o, "finish_months", wp_schedule_months(p->finish_days));
    if (mc->on) {
      cJSON_AddNumberToObject(o, "p50_days", mc->phase_p50[k]);
      cJSON_AddNumberToObject(o, "p80_days", mc->phase_p80[k]);
    }
  }
  cJSON_AddItemToObject(doc, "tasks", json_tasks(s, mc));
  if (mc->on) {
    cli_json_add_i64(doc, "draws", (int64_t)mc->res.draws);
    char seed[32];
    snprintf(seed, sizeof seed, "%" PRIu64, mc->opts.seed);
    cJSON_AddRawToObject(doc, "seed", seed);
    cJSON_AddStringToObject(doc, "distribution", wp_schedule_dist_name(mc->opts.dist));
    cJSON_AddNumberToObject(doc, "p50_days", mc->res.p50_days);
    cJSON_AddNumberToObject(doc, "p80_days", mc->res.p80_days);
    cJSON_AddNumberToObject(doc, "p90_days", mc->res.p90_days);
    cJSON_AddNumberToObject(doc, "mean_days", mc->res.mean_days);
    cJSON *c = cJSON_AddObjectToObject(doc, "criticality");
    for (size_t i = 0; c && i < n; i++)
      cJSON_AddNumberToObject(c, wp_schedule_activity(s, i)->id, mc->crit[i]);
  }
  return cli_print_json(doc);
}

static void print_table(const wp_schedule *s, const char *plan, const mc_out *mc)
{
  double fin = wp_schedule_finish_days(s);
  size_t n = wp_schedule_count(s);
  printf("plan           %s\n", plan);
  printf("finish         %.1f days = %.1f months (most-likely durations)\n", fin,
         wp_schedule_months(fin));
  for (size_t k = 0; k < wp_schedule_phase_count(s); k++) {
    const wp_sched_phase *p = wp_schedule_phase(s, k);
    printf("phase %-8u %.1f days = %.1f months, %.0f%% of IT MW (%s)", p->phase, p->finish_days,
           wp_schedule_months(p->finish_days), 100.0 * p->fraction,
           p->activity == WP_SCHED_NONE ? "project finish"
                                        : wp_schedule_activity(s, p->activity)->id);
    if (mc->on)
      printf("; P50 %.1f, P80 %.1f days", mc->phase_p50[k], mc->phase_p80[k]);
    printf("\n");
  }
  printf("critical path  ");
  int first = 1;
  size_t *cp = malloc((n ? n : 1) * sizeof *cp);
  size_t ncp = cp ? wp_schedule_critical_path(s, cp, n) : 0;
  for (size_t k = 0; k < ncp; k++) {
    printf("%s%s", first ? "" : " -> ", wp_schedule_activity(s, cp[k])->id);
    first = 0;
  }
  free(cp);
  printf("\n\n%-6s %-44s %6s %6s %6s %7s %7s %7s %7s %6s %s\n", "id", "name", "min", "mode",
         "max", "ES", "EF", "LS", "LF", "float", mc->on ? "crit.idx" : "crit");
  for (size_t i = 0; i < n; i++) {
    const wp_sched_activity *a = wp_schedule_activity(s, i);
    const wp_sched_times *t = wp_schedule_times(s, i);
    printf("%-6s %-44.44s %6.0f %6.0f %6.0f %7.1f %7.1f %7.1f %7.1f %6.1f ", a->id,
           a->name ? a->name : "", a->min_days, a->mode_days, a->max_days, t->es_days,
           t->ef_days, t->ls_days, t->lf_days, t->float_days);
    if (mc->on)
      printf("%5.1f%%%s\n", 100.0 * mc->crit[i], t->critical ? " *" : "");
    else
      printf("%s\n", t->critical ? "*" : "");
  }
  if (mc->on)
    printf("\nMonte Carlo: %zu draws, %s, seed %" PRIu64 "\n"
           "  P50 %.1f days (%.1f months)  P80 %.1f (%.1f)  P90 %.1f (%.1f)  mean %.1f\n",
           mc->res.draws, wp_schedule_dist_name(mc->opts.dist), mc->opts.seed,
           mc->res.p50_days, wp_schedule_months(mc->res.p50_days), mc->res.p80_days,
           wp_schedule_months(mc->res.p80_days), mc->res.p90_days,
           wp_schedule_months(mc->res.p90_days), mc->res.mean_days);
}

int cmd_schedule(int argc, char **argv)
{
  cli_opt opts[] = {
    {.name = "plan", .kind = CLI_STR, .meta = "PLAN",
     .help = "Built-in template: sequential (default), fast-track, greenfield."},
    {.name = "tasks", .kind = CLI_STR, .meta = "FILE.csv",
     .help = "Task file instead of a template (see above)."},
    {.name = "draws", .kind = CLI_INT, .meta = "N",
     .help = "Monte Carlo draws (default: none, deterministic only).", .min = 1,
     .max = MAX_DRAWS},
    {.name = "seed", .kind = CLI_INT, .meta = "S", .help = "Random stream (default 1).",
     .min = 0, .max = 9.2e18},
    {.name = "dist", .kind = CLI_STR, .meta = "D",
     .help = "Duration distribution: pert (default) or triangular."},
    {.name = "substation-upgrade", .kind = CLI_FLAG,
     .help = "Templates: the substation must grow (large transformers, 2-4 years)."},
    {.name = "json", .kind = CLI_FLAG, .help = "Machine-readable output."},
  };
  int rc = cli_parse(&schedule_cmd, argc, argv, opts, NOPTS(opts), NULL, 0, NULL);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  cli_opt *o_plan = &opts[0], *o_tasks = &opts[1], *o_draws = &opts[2], *o_seed = &opts[3],
          *o_dist = &opts[4], *o_sub = &opts[5], *o_json = &opts[6];
  if (o_plan->set && o_tasks->set)
    return cli_fail("schedule", CLI_EXIT_USAGE, "--plan and --tasks exclude each other");
  if (o_sub->set && o_tasks->set)
    return cli_fail("schedule", CLI_EXIT_USAGE,
                    "--substation-upgrade applies to templates, not to --tasks");

  wp_error err = WP_ERROR_INIT;
  mc_out mc = {0};
  mc.opts = (wp_sched_mc_opts)WP_SCHED_MC_OPTS_DEFAULT;
  if (o_seed->set) mc.opts.seed = (uint64_t)o_seed->i64;
  if (o_dist->set && wp_schedule_dist_parse(o_dist->str, &mc.opts.dist, &err) != WP_OK)
    return cli_fail("schedule", CLI_EXIT_BADINPUT, "--dist: %s", err.msg);
  wp_sched_template_opts topts = WP_SCHED_TEMPLATE_OPTS_DEFAULT;
  topts.substation_upgrade = o_sub->set;
  if (o_plan->set && wp_schedule_plan_parse(o_plan->str, &topts.plan, &err) != WP_OK)
    return cli_fail("schedule", CLI_EXIT_BADINPUT, "--plan: %s", err.msg);

  wp_schedule *s = NULL;
  wp_status st = o_tasks->set ? wp_taskfile_schedule(o_tasks->str, &s, &err)
                              : wp_schedule_template(&topts, &s, &err);
  if (st != WP_OK) return cli_fail_status("schedule", &err);
  const char *plan = o_tasks->set ? o_tasks->str : wp_schedule_plan_name(topts.plan);

  if (o_draws->set) {
    size_t n = wp_schedule_count(s), np = wp_schedule_phase_count(s);
    mc.on = 1;
    mc.opts.draws = (size_t)o_draws->i64;
    mc.crit = malloc(n * sizeof *mc.crit);
    mc.phase_p50 = malloc(np * sizeof *mc.phase_p50);
    mc.phase_p80 = malloc(np * sizeof *mc.phase_p80);
    if (!mc.crit || !mc.phase_p50 || !mc.phase_p80) {
      st = wp_error_set(&err, WP_ENOMEM, "out of memory");
    } else {
      st = wp_schedule_monte_carlo(s, &mc.opts, &mc.res, mc.crit, mc.phase_p50, mc.phase_p80,
                                   &err);
    }
    if (st != WP_OK) rc = cli_fail_status("schedule", &err);
  }
  if (st == WP_OK) {
    if (o_json->set)
      rc = print_json(s, plan, &mc);
    else
      print_table(s, plan, &mc);
  }
  free(mc.phase_p80);
  free(mc.phase_p50);
  free(mc.crit);
  wp_schedule_free(s);
  return rc;
}
