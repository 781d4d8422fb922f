/*
** Built-in schedule templates: a mine-to-AI conversion (sequential, fast-track) and a greenfield
** build behind the grid-interconnection queue. Const tables; every duration names its source
** or says "judgment" (docs/model/schedule.md discusses each choice).
*/
#include <stdlib.h>
#include <string.h>

#include "wattpivot/schedule.h"

/* Sources (see docs/sources/ai-datacenter.md §6 unless a URL is given). Tags: [P] primary,
** [S] secondary, [U] uncertain, as in docs/sources/. The strings are printed with the schedule. */
#define SRC_SWG                                                                                 \
  "C&W 2025 p.6-7: switchgear 46-48 weeks [P]; McKinsey: MV switchgear up to 80 weeks [S] "     \
  "(docs/sources/ai-datacenter.md §6)"
#define SRC_GEN                                                                                 \
  "C&W 2025 p.6-7: generators and chillers >30 weeks, up to 110 [P] "                          \
  "(docs/sources/ai-datacenter.md §6); mode 52 weeks: judgment"
#define SRC_UPS                                                                                 \
  "C&W 2025 p.6-7: UPS 28-36 weeks [P] (docs/sources/ai-datacenter.md §6); mode: midpoint"
#define SRC_XFM                                                                                 \
  "Wood Mackenzie 2024: large transformers 2-2.5 years, large units up to 4 [S]; PwC 2026: up "  \
  "to 4 years [S] (docs/sources/ai-datacenter.md §6)"
#define SRC_CX                                                                                  \
  "gantt-chart.co.uk/construction/data-center-commissioning-timeline: on-site L2-L5 about 8 "    \
  "weeks, 12-16 when troubled [U]; split per level: judgment"
#define SRC_L1                                                                                  \
  "L1 factory witness tests run during manufacturing (gantt-chart.co.uk [U]); durations and "   \
  "the 14-day shipping lag: judgment"
#define SRC_QUEUE                                                                               \
  "JLL 2026 via constructionowners.com: large-load grid connection ~4 years US average, ~7 for " \
  "100 MW in N. Virginia [S]; 2-year floor: judgment (docs/model/schedule.md; 2-4 years in "     \
  "docs/sources/ai-datacenter.md §6)"
#define SRC_PERMIT_GF                                                                           \
  "b2bdaily.com 'How to speed U.S. data center permits': ground-up 6-18 months to building "     \
  "permit, outliers > 2 years [U]"
#define SRC_PERMIT_BF                                                                           \
  "judgment: alteration permits for an existing industrial building, shorter than ground-up "   \
  "(6-18 months, b2bdaily.com [U])"
#define SRC_SITE                                                                                \
  "build.inc data-center development timeline: site control and feasibility 6-12 months [U]; "   \
  "min: judgment"
#define SRC_SHELL                                                                               \
  "judgment, within JLL 2026's 18-24 months groundbreaking to commissioned facility [S]"
#define JUDGMENT "judgment"
#define MILESTONE "milestone (zero duration)"

/* Activities shared by the templates: {id, name, min, mode, max (days), source, phase, frac}. */
#define A_DES {"DES", "Design and engineering: basis of design to issued-for-construction", \
               75, 120, 180, JUDGMENT, 0, 0}
#define A_SWG {"SWG", "Long lead: MV/LV switchgear, order to delivery", 322, 336, 560, SRC_SWG, 0, 0}
#define A_GEN {"GEN", "Long lead: standby generators, order to delivery", 210, 364, 770, SRC_GEN, 0, 0}
#define A_UPS {"UPS", "Long lead: UPS systems, order to delivery", 196, 224, 252, SRC_UPS, 0, 0}
#define A_CDU {"CDU", "Long lead: chillers, dry coolers and CDUs, order to delivery", 210, 364, \
               770, SRC_GEN, 0, 0}
#define A_XFM {"XFM", "Long lead: large power transformers (the substation grows)", 730, 822, \
               1461, SRC_XFM, 0, 0}
#define A_SUB {"SUB", "Substation expansion: install, test, utility energization", 60, 90, 180, \
               JUDGMENT, 0, 0}
#define A_L1 {"L1", "Commissioning L1: factory witness tests", 5, 10, 20, SRC_L1, 0, 0}
#define A_ELE {"ELE", "Electrical works: MV/LV distribution, busway, N+1/2N paths", 90, 120, 180, \
               JUDGMENT, 0, 0}
#define A_MEC {"MEC", "Mechanical works: liquid-cooling loops, heat-rejection piping", 75, 105, \
               165, JUDGMENT, 0, 0}
#define A_SET {"SET", "Set and terminate the long-lead equipment", 21, 30, 60, JUDGMENT, 0, 0}
#define A_L2 {"L2", "Commissioning L2: site acceptance of delivered equipment", 7, 14, 21, SRC_CX, 0, 0}
#define A_L3 {"L3", "Commissioning L3: pre-functional checks and start-up", 10, 14, 28, SRC_CX, 0, 0}
#define A_INS {"INS", "Final inspection, certificate of occupancy, utility sign-off", 7, 14, 30, \
               JUDGMENT, 0, 0}
/* Brownfield only */
#define A_PER_BF {"PER", "Permits for the conversion: building, electrical, fire", 30, 90, 180, \
                  SRC_PERMIT_BF, 0, 0}
#define A_DEC {"DEC", "ASIC decommissioning: de-energize, remove miners, racks, containers", 21, \
               45, 90, JUDGMENT, 0, 0}
#define A_CIV {"CIV", "Building works: envelope, insulation, dust sealing, fire suppression", 60, \
               90, 150, JUDGMENT, 0, 0}
/* Three halls energized in phases (fast-track, greenfield) */
#define THIRD (1.0 / 3.0)
#define A_HALLS                                                                                   \
  {"FIT1", "Hall 1 fit-out: containment, rack positions, manifolds, monitoring", 30, 40, 60,      \
   JUDGMENT, 0, 0},                                                                               \
  {"FIT2", "Hall 2 fit-out", 30, 40, 60, JUDGMENT, 0, 0},                                         \
  {"FIT3", "Hall 3 fit-out", 30, 40, 60, JUDGMENT, 0, 0},                                         \
  {"L4H1", "Commissioning L4, hall 1: functional performance tests", 10, 14, 21, SRC_CX, 0, 0},   \
  {"L4H2", "Commissioning L4, hall 2", 10, 14, 21, SRC_CX, 0, 0},                                 \
  {"L4H3", "Commissioning L4, hall 3", 10, 14, 21, SRC_CX, 0, 0},                                 \
  {"L5H1", "Commissioning L5, hall 1: integrated systems test", 7, 10, 21, SRC_CX, 0, 0},         \
  {"L5H2", "Commissioning L5, hall 2", 7, 10, 21, SRC_CX, 0, 0},                                  \
  {"L5H3", "Commissioning L5, hall 3", 7, 10, 21, SRC_CX, 0, 0},                                  \
  {"ENE1", "Energize hall 1", 0, 0, 0, MILESTONE, 1, THIRD},                                      \
  {"ENE2", "Energize hall 2", 0, 0, 0, MILESTONE, 2, THIRD},                                      \
  {"ENE3", "Energize hall 3", 0, 0, 0, MILESTONE, 3, THIRD}

#define FS(p, s, l) {p, s, WP_SCHED_FS, l}
#define SS(p, s, l) {p, s, WP_SCHED_SS, l}
#define FF(p, s, l) {p, s, WP_SCHED_FF, l}

/* Links shared by every template: equipment to set-in-place, L1 before delivery, L2, L3. */
#define L_EQUIPMENT                                                                            \
  FS("SWG", "SET", 0), FS("GEN", "SET", 0), FS("UPS", "SET", 0), FS("CDU", "SET", 0),          \
  FS("ELE", "SET", 0), FS("MEC", "SET", 0),                                                    \
  /* L1 (factory tests) ends 14 days before each delivery: transport, judgment */              \
  FF("SWG", "L1", -14), FF("GEN", "L1", -14), FF("UPS", "L1", -14), FF("CDU", "L1", -14),      \
  FS("SET", "L2", 0), FS("L1", "L2", 0), FS("L2", "L3", 0)

/* Hall-by-hall fit-out and commissioning; the first energization waits for INS. */
#define L_HALLS                                                                                \
  FS("ELE", "FIT1", 0), FS("MEC", "FIT1", 0), FS("FIT1", "FIT2", 0), FS("FIT2", "FIT3", 0),    \
  FS("L3", "L4H1", 0), FS("FIT1", "L4H1", 0), FS("L4H1", "L5H1", 0), FS("L5H1", "INS", 0),     \
  FS("INS", "ENE1", 0),                                                                        \
  FS("L4H1", "L4H2", 0), FS("FIT2", "L4H2", 0), FS("L4H2", "L5H2", 0), FS("L5H1", "L5H2", 0),  \
  FS("L5H2", "ENE2", 0), FS("INS", "ENE2", 0),                                                 \
  FS("L4H2", "L4H3", 0), FS("FIT3", "L4H3", 0), FS("L4H3", "L5H3", 0), FS("L5H2", "L5H3", 0),  \
  FS("L5H3", "ENE3", 0), FS("INS", "ENE3", 0)

/* Sequential: design, permits, tender, then orders and works; one energization. */
static const wp_sched_activity seq_acts[] = {
  A_DES, A_PER_BF,
  {"PRC", "Tender and award: equipment and construction contracts", 21, 45, 90, JUDGMENT, 0, 0},
  A_SWG, A_GEN, A_UPS, A_CDU, A_L1, A_DEC, A_CIV, A_ELE, A_MEC, A_SET, A_L2, A_L3,
  {"FIT", "White-space fit-out: containment, rack positions, manifolds, monitoring", 45, 60, 90,
   JUDGMENT, 0, 0},
  {"L4", "Commissioning L4: functional performance tests", 14, 21, 35, SRC_CX, 0, 0},
  {"L5", "Commissioning L5: integrated systems test", 7, 14, 28, SRC_CX, 0, 0},
  A_INS,
  {"ENE", "Energize all halls", 0, 0, 0, MILESTONE, 1, 1.0},
};
static const wp_sched_link seq_links[] = {
  FS("DES", "PER", 0), FS("PER", "PRC", 0),
  FS("PRC", "SWG", 0), FS("PRC", "GEN", 0), FS("PRC", "UPS", 0), FS("PRC", "CDU", 0),
  /* mining stops when the works start: decommissioning once contracts are awarded */
  FS("PRC", "DEC", 0), FS("DEC", "CIV", 0), FS("CIV", "ELE", 0), FS("CIV", "MEC", 0),
  L_EQUIPMENT,
  FS("ELE", "FIT", 0), FS("MEC", "FIT", 0),
  FS("L3", "L4", 0), FS("FIT", "L4", 0), FS("L4", "L5", 0), FS("L5", "INS", 0),
  FS("INS", "ENE", 0),
};

/* Fast-track: long-lead ordered at design start, decommissioning during permits, phased halls. */
static const wp_sched_activity ft_acts[] = {
  A_DES, A_PER_BF, A_SWG, A_GEN, A_UPS, A_CDU, A_L1, A_DEC, A_CIV, A_ELE, A_MEC, A_SET, A_L2,
  A_L3, A_INS, A_HALLS,
};
static const wp_sched_link ft_links[] = {
  FS("DES", "PER", 0),
  SS("DES", "SWG", 0), SS("DES", "GEN", 0), SS("DES", "UPS", 0), SS("DES", "CDU", 0),
  SS("PER", "DEC", 0), /* demolition in parallel with permits */
  FS("DEC", "CIV", 0), FS("PER", "CIV", 0), FS("CIV", "ELE", 0), FS("CIV", "MEC", 0),
  L_EQUIPMENT, L_HALLS,
};

/* Greenfield: fast-track logic on a new site; start-up waits for the grid and the substation. */
static const wp_sched_activity gf_acts[] = {
  {"SITE", "Site control, feasibility and entitlements", 90, 180, 365, SRC_SITE, 0, 0},
  {"IXQ", "Grid interconnection queue: request to energized service", 730, 1461, 2557, SRC_QUEUE,
   0, 0},
  A_DES,
  {"PER", "Permits for a ground-up data centre", 180, 365, 730, SRC_PERMIT_GF, 0, 0},
  A_SWG, A_GEN, A_UPS, A_CDU, A_XFM, A_SUB, A_L1,
  {"SHL", "Ground-up shell and core", 180, 270, 365, SRC_SHELL, 0, 0},
  A_ELE, A_MEC, A_SET, A_L2, A_L3, A_INS, A_HALLS,
};
static const wp_sched_link gf_links[] = {
  SS("SITE", "IXQ", 0), FS("SITE", "DES", 0), FS("DES", "PER", 0),
  SS("DES", "SWG", 0), SS("DES", "GEN", 0), SS("DES", "UPS", 0), SS("DES", "CDU", 0),
  SS("DES", "XFM", 0), FS("XFM", "SUB", 0),
  FS("PER", "SHL", 0), FS("SHL", "ELE", 0), FS("SHL", "MEC", 0),
  L_EQUIPMENT, FS("SUB", "L3", 0), FS("IXQ", "L3", 0), L_HALLS,
};

/* Substation upgrade on a brownfield site: transformers ordered with the other long-lead
** items, and start-up (L3) waits for the expanded substation. */
static const wp_sched_activity sub_acts[] = {A_XFM, A_SUB};
static const wp_sched_link sub_links_seq[] = {FS("PRC", "XFM", 0), FS("XFM", "SUB", 0),
                                              FS("SUB", "L3", 0)};
static const wp_sched_link sub_links_ft[] = {SS("DES", "XFM", 0), FS("XFM", "SUB", 0),
                                             FS("SUB", "L3", 0)};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *wp_schedule_plan_name(wp_sched_plan plan)
{
  switch (plan) {
  case WP_SCHED_SEQUENTIAL: return "sequential";
  case WP_SCHED_FAST_TRACK: return "fast-track";
  case WP_SCHED_GREENFIELD: return "greenfield";
  }
  return NULL;
}

wp_status wp_schedule_plan_parse(const char *name, wp_sched_plan *plan, wp_error *err)
{
  static const wp_sched_plan all[] = {WP_SCHED_SEQUENTIAL, WP_SCHED_FAST_TRACK,
                                      WP_SCHED_GREENFIELD};
  for (size_t i = 0; name && i < COUNT(all); i++)
    if (strcmp(name, wp_schedule_plan_name(all[i])) == 0) {
      *plan = all[i];
      return WP_OK;
    }
  const char *accepted[COUNT(all)];
  for (size_t i = 0; i < COUNT(all); i++) accepted[i] = wp_schedule_plan_name(all[i]);
  return wp_error_unknown_name(err, "plan", name, accepted, COUNT(all));
}

wp_status wp_schedule_template(const wp_sched_template_opts *opts, wp_schedule **out,
                               wp_error *err)
{
  const wp_sched_activity *acts = NULL;
  const wp_sched_link *links = NULL, *extra_links = NULL;
  size_t na = 0, nl = 0, nea = 0, nel = 0;
  if (!opts || !out) return wp_error_set(err, WP_EINVAL, "opts or out is NULL");
  switch (opts->plan) {
  case WP_SCHED_SEQUENTIAL:
    acts = seq_acts, na = COUNT(seq_acts), links = seq_links, nl = COUNT(seq_links);
    extra_links = sub_links_seq, nel = COUNT(sub_links_seq);
    break;
  case WP_SCHED_FAST_TRACK:
    acts = ft_acts, na = COUNT(ft_acts), links = ft_links, nl = COUNT(ft_links);
    extra_links = sub_links_ft, nel = COUNT(sub_links_ft);
    break;
  case WP_SCHED_GREENFIELD: /* already has its substation */
    acts = gf_acts, na = COUNT(gf_acts), links = gf_links, nl = COUNT(gf_links);
    break;
  }
  if (!acts) return wp_error_set(err, WP_EINVAL, "plan %d is unknown", (int)opts->plan);
  if (!opts->substation_upgrade || opts->plan == WP_SCHED_GREENFIELD) nel = 0;
  nea = nel ? COUNT(sub_acts) : 0;
  if (nea == 0) return wp_schedule_new(acts, na, links, nl, out, err);

  wp_status st;
  wp_sched_activity *a = malloc((na + nea) * sizeof *a);
  wp_sched_link *l = malloc((nl + nel) * sizeof *l);
  if (!a || !l) {
    st = wp_error_set(err, WP_ENOMEM, "out of memory building the template");
  } else {
    memcpy(a, acts, na * sizeof *a);
    memcpy(a + na, sub_acts, nea * sizeof *a);
    memcpy(l, links, nl * sizeof *l);
    memcpy(l + nl, extra_links, nel * sizeof *l);
    st = wp_schedule_new(a, na + nea, l, nl + nel, out, err);
  }
  free(l);
  free(a);
  return st;
}
