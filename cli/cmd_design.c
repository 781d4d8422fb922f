/* wattpivot design: conversion engineering for a site — IT MW, PUE, availability, capex. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

static const cli_command design_cmd = {
    "design",
    "wattpivot design --grid-mw G --cooling air|rdhx|dlc|immersion --redundancy N|N+1|2N|2N+1 "
    "--gpu h100|b200|gb200|gb300 [--monthly-c \"t1,...,t12\"] [--design-c T] [--greenfield] "
    "[--json]",
    "Conversion engineering for a site: racks and GPUs, availability, PUE by month, capex.",
    "The four steps of turning a mine into an AI hall (docs/model/engineering.md):\n"
    "  1 racks: GPU platform -> rack kW, racks and GPUs in the sellable IT MW;\n"
    "  2 power redundancy: availability from component MTBF/MTTR, downtime h/yr, tier label;\n"
    "  3 cooling: rack-density limit, PUE for 12 monthly means and the design temperature;\n"
    "    sellable IT MW = grid MW / design PUE;\n"
    "  4 standardization: envelope, dust, fire, monitoring, security, audit (checklist + capex).\n"
    "Capex is a conversion of an existing mine (credits for its substation, interconnect, land)\n"
    "unless --greenfield. Without --monthly-c the climate is temperate (Frankfurt-like normals,\n"
    "a judgment) with a 32 C design temperature. A rack denser than the cooling's limit is\n"
    "refused (exit 3) with the coolings that would work."};

/* Parse "t1,...,t12" into out[12]; errors name the position and the value. */
static int parse_monthly(const char *text, double out[12])
{
  const char *p = text;
  int n = 0;
  while (1) {
    char field[64];
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    if (n >= 12)
      return cli_fail(design_cmd.name, CLI_EXIT_BADINPUT,
                      "--monthly-c has more than 12 values; expected 12 (Jan..Dec), C");
    if (len >= sizeof field) len = sizeof field - 1;
    memcpy(field, p, len);
    field[len] = '\0';
    char *end = NULL;
    errno = 0;
    double v = strtod(field, &end);
    while (end && *end == ' ')
      end++;
    if (len == 0 || end == field || *end != '\0' || !isfinite(v))
      return cli_fail(design_cmd.name, CLI_EXIT_BADINPUT,
                      "--monthly-c value %d '%s' is not a number; expected 12 temperatures in "
                      "C, each in [-60, 60]",
                      n + 1, field);
    if (v < -60 || v > 60)
      return cli_fail(design_cmd.name, CLI_EXIT_BADINPUT,
                      "--monthly-c value %d = %s C is out of range; accepted [-60, 60]", n + 1,
                      field);
    out[n++] = v;
    if (!comma) break;
    p = comma + 1;
  }
  if (n != 12)
    return cli_fail(design_cmd.name, CLI_EXIT_BADINPUT,
                    "--monthly-c has %d value%s; expected 12 (Jan..Dec), C", n, n == 1 ? "" : "s");
  return 0;
}

static cJSON *design_json(const wp_facility *f, const wp_capex *k)
{
  cJSON *doc = cJSON_CreateObject();
  if (!doc) return NULL;
  cJSON_AddNumberToObject(doc, "it_mw", f->it_mw);
  cJSON_AddNumberToObject(doc, "pue_annual", f->pue_annual);
  cJSON_AddNumberToObject(doc, "pue_design", f->pue_design);
  cJSON *months = cJSON_AddArrayToObject(doc, "pue_monthly");
  for (int m = 0; months && m < 12; m++)
    cJSON_AddItemToArray(months, cJSON_CreateNumber(f->pue_monthly[m]));
  cJSON_AddNumberToObject(doc, "rack_kw", f->rack_kw);
  cJSON_AddNumberToObject(doc, "racks", (double)f->plan.racks);
  cJSON_AddNumberToObject(doc, "gpus", (double)f->plan.gpus);
  cJSON_AddNumberToObject(doc, "availability", f->avail.availability);
  cJSON_AddNumberToObject(doc, "downtime_h_per_yr", f->avail.downtime_h_per_yr);
  cJSON_AddStringToObject(doc, "tier_label", f->avail.tier_label);
  cJSON_AddNumberToObject(doc, "capex_usd", k->capex_usd);
  cJSON_AddNumberToObject(doc, "capex_usd_per_it_mw", k->capex_usd_per_it_mw);
  cJSON *lines = cJSON_AddArrayToObject(doc, "capex_lines");
  for (size_t i = 0; lines && i < k->n_lines; i++) {
    cJSON *l = cJSON_CreateObject();
    if (!l) break;
    cJSON_AddStringToObject(l, "name", k->lines[i].name);
    cJSON_AddNumberToObject(l, "usd", k->lines[i].usd);
    cJSON_AddItemToArray(lines, l);
  }
  cJSON *checks = cJSON_AddArrayToObject(doc, "checklist");
  for (size_t i = 0; checks && i < f->n_checklist; i++) {
    cJSON *c = cJSON_CreateObject();
    if (!c) break;
    cJSON_AddStringToObject(c, "item", f->checklist[i].item);
    cJSON_AddStringToObject(c, "status", wp_check_status_name(f->checklist[i].status));
    cJSON_AddItemToArray(checks, c);
  }
  return doc;
}

static void design_print(const wp_design_spec *s, const wp_facility *f, const wp_capex *k,
                         int user_climate)
{
  static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const wp_gpu_platform *p = wp_gpu_platform_get(s->gpu);
  char b1[64], b2[64];
  printf("design      %s: %s cooling, %s, %s\n",
         s->greenfield ? "greenfield build" : "conversion of a mine (brownfield)",
         wp_cooling_name(s->cooling), wp_redundancy_name(s->redundancy), p->system);
  if (user_climate)
    printf("climate     user monthly means, design %.1f C\n", s->design_c);
  else
    printf("climate     %s\n", WP_CLIMATE_TEMPERATE_NAME);
  printf("\n1 racks\n");
  printf("  grid                 %s MW\n", wp_format_grouped(b1, sizeof b1, s->grid_mw, 1));
  printf("  sellable IT          %s MW (grid / design PUE)\n",
         wp_format_grouped(b1, sizeof b1, f->it_mw, 2));
  printf("  rack                 %.1f kW (%u x %.1f kW), limit %g kW for %s\n", f->rack_kw,
         f->plan.servers_per_rack, p->server_kw, f->rack_kw_limit, wp_cooling_name(s->cooling));
  printf("  racks                %s\n", wp_format_grouped(b1, sizeof b1, (double)f->plan.racks, 0));
  printf("  GPUs                 %s (%.2f kW IT per GPU incl. network)\n",
         wp_format_grouped(b1, sizeof b1, (double)f->plan.gpus, 0), f->plan.it_kw_per_gpu);
  printf("  floor space          %s ft2 (a mine of this grid MW: ~%s ft2)\n",
         wp_format_grouped(b1, sizeof b1, f->plan.floor_ft2, 0),
         wp_format_grouped(b2, sizeof b2, s->grid_mw * WP_MINING_FLOOR_FT2_PER_MW, 0));
  printf("\n2 power redundancy (%s)\n", wp_redundancy_name(s->redundancy));
  printf("  availability         %.5f%% (power %.5f%%, cooling %.5f%%)\n",
         f->avail.availability * 100, f->avail.power_availability * 100,
         f->avail.cooling_availability * 100);
  printf("  expected downtime    %.2f h/yr\n", f->avail.downtime_h_per_yr);
  printf("  tier label           %s (label only, not an Uptime rating)\n", f->avail.tier_label);
  printf("\n3 cooling (%s)\n", wp_cooling_name(s->cooling));
  printf("  PUE annual           %.3f\n", f->pue_annual);
  printf("  PUE design           %.3f at %.1f C\n", f->pue_design, s->design_c);
  printf("  free cooling         %s h/yr\n",
         wp_format_grouped(b1, sizeof b1, f->free_cooling_h_per_yr, 0));
  printf("  month   mean C   PUE\n");
  for (int m = 0; m < 12; m++)
    printf("  %-5s %8.1f  %6.3f\n", mon[m], s->monthly_c[m], f->pue_monthly[m]);
  printf("  grid energy          %s MWh/yr at full IT load\n",
         wp_format_grouped(b1, sizeof b1, f->grid_mwh_per_yr, 0));
  printf("\n4 standardization checklist\n");
  for (size_t i = 0; i < f->n_checklist; i++)
    printf("  %-48s %s\n", f->checklist[i].item, wp_check_status_name(f->checklist[i].status));
  printf("\ncapex (USD)                                          total      per IT MW\n");
  for (size_t i = 0; i < k->n_lines; i++)
    printf("  %-46s %14s %12s\n", k->lines[i].name, wp_format_grouped(b1, sizeof b1, k->lines[i].usd, 0),
           wp_format_grouped(b2, sizeof b2, k->lines[i].usd / k->it_mw, 0));
  printf("  %-46s %14s %12s\n", "total", wp_format_grouped(b1, sizeof b1, k->capex_usd, 0),
         wp_format_grouped(b2, sizeof b2, k->capex_usd_per_it_mw, 0));
}

int cmd_design(int argc, char **argv)
{
  cli_opt opts[] = {
      {.name = "grid-mw",
       .kind = CLI_NUM,
       .meta = "G",
       .help = "Grid MW the site may draw at its meter (required).",
       .min = 0,
       .min_open = 1,
       .max = 100000},
      {.name = "cooling",
       .kind = CLI_STR,
       .meta = "C",
       .help = "air | rdhx | dlc | immersion (required)."},
      {.name = "redundancy",
       .kind = CLI_STR,
       .meta = "R",
       .help = "N | N+1 | 2N | 2N+1, power path and cooling (required)."},
      {.name = "gpu",
       .kind = CLI_STR,
       .meta = "P",
       .help = "h100 | b200 | gb200 | gb300 (required)."},
      {.name = "monthly-c",
       .kind = CLI_STR,
       .meta = "\"t1,...,t12\"",
       .help = "Monthly mean dry-bulb temperatures Jan..Dec, C (needs --design-c)."},
      {.name = "design-c",
       .kind = CLI_NUM,
       .meta = "T",
       .help = "Design (hottest) dry-bulb temperature, C; default 32.",
       .min = -60,
       .max = 60},
      {.name = "greenfield", .kind = CLI_FLAG, .help = "A new site instead of converting a mine."},
      {.name = "servers-per-rack",
       .kind = CLI_INT,
       .meta = "S",
       .help = "DGX servers per rack; 0 = platform default (4; NVL72 1).",
       .min = 0,
       .max = 8},
      {.name = "operator-it",
       .kind = CLI_FLAG,
       .help = "Add operator-owned IT (GPUs + network, $29M per IT MW) to the capex."},
      {.name = "json", .kind = CLI_FLAG, .help = "Machine-readable output."},
  };
  int rc = cli_parse(&design_cmd, argc, argv, opts, NOPTS(opts), NULL, 0, NULL);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  cli_opt *grid = cli_find(opts, NOPTS(opts), "grid-mw");
  cli_opt *cool = cli_find(opts, NOPTS(opts), "cooling");
  cli_opt *red = cli_find(opts, NOPTS(opts), "redundancy");
  cli_opt *gpu = cli_find(opts, NOPTS(opts), "gpu");
  cli_opt *monthly = cli_find(opts, NOPTS(opts), "monthly-c");
  cli_opt *design_c = cli_find(opts, NOPTS(opts), "design-c");
  if (!grid->set || !cool->set || !red->set || !gpu->set)
    return cli_fail(design_cmd.name, CLI_EXIT_USAGE,
                    "--grid-mw, --cooling, --redundancy and --gpu are required (see --help)");
  if (monthly->set && !design_c->set)
    return cli_fail(design_cmd.name, CLI_EXIT_USAGE,
                    "--monthly-c needs --design-c (the design, hottest, temperature in C)");
  wp_design_spec spec = WP_DESIGN_SPEC_DEFAULT;
  wp_error err = WP_ERROR_INIT;
  spec.grid_mw = grid->num;
  if (wp_cooling_from_name(cool->str, &spec.cooling, &err) != WP_OK ||
      wp_redundancy_from_name(red->str, &spec.redundancy, &err) != WP_OK ||
      wp_gpu_from_name(gpu->str, &spec.gpu, &err) != WP_OK)
    return cli_fail_status(design_cmd.name, &err);
  if (monthly->set && (rc = parse_monthly(monthly->str, spec.monthly_c)) != 0) return rc;
  if (design_c->set) spec.design_c = design_c->num;
  spec.greenfield = cli_find(opts, NOPTS(opts), "greenfield")->set;
  spec.servers_per_rack = (unsigned)cli_find(opts, NOPTS(opts), "servers-per-rack")->i64;
  wp_capex_opts copts = WP_CAPEX_OPTS_DEFAULT;
  copts.operator_it = cli_find(opts, NOPTS(opts), "operator-it")->set;

  wp_facility fac;
  wp_capex capex;
  if (wp_facility_design(&spec, &fac, &err) != WP_OK ||
      wp_capex_design(&spec, &fac, &copts, &capex, &err) != WP_OK)
    return cli_fail_status(design_cmd.name, &err);
  if (cli_find(opts, NOPTS(opts), "json")->set) return cli_print_json(design_json(&fac, &capex));
  design_print(&spec, &fac, &capex, monthly->set);
  return CLI_EXIT_OK;
}
