/*
** wattpivot/facility.h — conversion engineering: the four steps of turning a mine into an AI
** hall (docs/model/engineering.md). (1) Racks: GPU platform catalog, racks and GPUs for an IT load.
** (2) Power redundancy: availability of N / N+1 / 2N / 2N+1 from component MTBF/MTTR.
** (3) Cooling: rack-density limits and PUE against ambient temperature (Lei & Masanet 2020
** structure). (4) Standardization checklist. wp_facility_design() runs all four for a site.
** Pure: no allocation, no state, thread-safe. docs/model/engineering.md has the equations.
*/
#ifndef WATTPIVOT_FACILITY_H
#define WATTPIVOT_FACILITY_H

#include <stddef.h>

#include "error.h"
#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- enums and their names ------------------------------------------------------------ */

typedef enum wp_cooling {
  WP_COOLING_AIR = 0,  /* chilled-water CRAH with hot/cold aisle containment */
  WP_COOLING_RDHX,     /* rear-door heat exchanger on every rack */
  WP_COOLING_DLC,      /* direct-to-chip cold plates on warm water (W32) + residual air */
  WP_COOLING_IMMERSION /* single-phase immersion tanks on warm water */
} wp_cooling;
#define WP_COOLING_COUNT 4

typedef enum wp_redundancy {
  WP_REDUNDANCY_N = 0, /* just enough capacity, one path */
  WP_REDUNDANCY_N1,    /* one spare module per group, one path */
  WP_REDUNDANCY_2N,    /* two independent full-capacity paths (A/B) */
  WP_REDUNDANCY_2N1    /* 2N with a spare module on each side */
} wp_redundancy;
#define WP_REDUNDANCY_COUNT 4

typedef enum wp_gpu {
  WP_GPU_H100 = 0, /* NVIDIA DGX/HGX H100, 8 GPUs per server */
  WP_GPU_B200,     /* NVIDIA DGX B200, 8 GPUs per server */
  WP_GPU_GB200,    /* NVIDIA GB200 NVL72 rack, 72 GPUs */
  WP_GPU_GB300     /* NVIDIA GB300 NVL72 rack, 72 GPUs */
} wp_gpu;
#define WP_GPU_COUNT 4

/* Names as used on the command line and in scenario files: "air" "rdhx" "dlc" "immersion";
** "N" "N+1" "2N" "2N+1"; "h100" "b200" "gb200" "gb300". An out-of-range value gives "?". */
WP_API const char *wp_cooling_name(wp_cooling c);
WP_API const char *wp_redundancy_name(wp_redundancy r);
WP_API const char *wp_gpu_name(wp_gpu g);

/* Parse a name (case-insensitive; redundancy also accepts "N1", "2N1"). Returns WP_EINVAL
** with a message listing the accepted names when name is unknown or NULL. */
WP_API wp_status wp_cooling_from_name(const char *name, wp_cooling *out, wp_error *err);
WP_API wp_status wp_redundancy_from_name(const char *name, wp_redundancy *out, wp_error *err);
WP_API wp_status wp_gpu_from_name(const char *name, wp_gpu *out, wp_error *err);

/* ---- step 1: racks -------------------------------------------------------------------- */

/* One GPU platform of the catalog; every number cites docs/sources/ai-datacenter.md §1. */
typedef struct wp_gpu_platform {
  const char *name;          /* "gb300" */
  const char *system;        /* "GB300 NVL72 rack" */
  double server_kw;          /* max input power of one server (or of the whole rack-scale system) */
  unsigned gpus_per_server;  /* GPUs in one server / rack-scale system */
  unsigned servers_per_rack; /* default population; rack-scale systems: 1 */
  int rack_scale;            /* 1: the rack is the system (NVL72); its population is fixed */
  const char *source;        /* where server_kw comes from */
} wp_gpu_platform;

/* The catalog entry of gpu, or NULL when gpu is out of range. */
WP_API const wp_gpu_platform *wp_gpu_platform_get(wp_gpu gpu);

/* Scale-out network (switches outside the GPU racks) as a share of GPU rack power: 5%, the
** low end of "add about 5-10% for cluster network switches" (docs/sources/ai-datacenter.md
** §1.2). */
#define WP_NETWORK_IT_SHARE 0.05

/* Floor space per MW of IT: AI hall 5,000 ft2/MW vs a mine 1,000 ft2/MW (Sabre56 via
** docs/sources/ai-datacenter.md §1.3). */
#define WP_AI_FLOOR_FT2_PER_IT_MW  5000.0
#define WP_MINING_FLOOR_FT2_PER_MW 1000.0

typedef struct wp_rack_plan {
  double rack_kw;       /* IT power of one GPU rack (servers_per_rack x server_kw) */
  double it_kw_per_gpu; /* all-in IT kW per GPU incl. the scale-out network share */
  unsigned servers_per_rack;
  size_t racks;     /* GPU racks that fit in the IT load (rounded down) */
  size_t gpus;      /* racks x GPUs per rack */
  double floor_ft2; /* building floor area for the IT load */
} wp_rack_plan;

/*
** Racks and GPUs that fit in it_mw of critical IT: racks = floor(it_mw*1000 /
** (rack_kw*(1+WP_NETWORK_IT_SHARE))). servers_per_rack 0 means the platform default;
** a rack-scale platform (NVL72) accepts only 0 or 1.
** Returns WP_EINVAL for it_mw < 0 or not finite, an unknown gpu, or a bad servers_per_rack.
*/
WP_API wp_status wp_facility_racks(wp_gpu gpu, unsigned servers_per_rack, double it_mw,
                                   wp_rack_plan *out, wp_error *err);

/* ---- step 2: power redundancy and availability ---------------------------------------- */

/* Inherent availability of a repairable unit: MTBF / (MTBF + MTTR); NAN unless
** mtbf_h > 0 and mttr_h >= 0 (both finite). */
WP_API double wp_avail_unit(double mtbf_h, double mttr_h);

/* Availability of a k-of-n block of identical independent units of availability a:
** sum_{i=k..n} C(n,i) a^i (1-a)^(n-i). k == 0 gives 1. NAN when k > n, n > 64 or a is
** outside [0, 1]. */
WP_API double wp_avail_k_of_n(double a, unsigned k, unsigned n);

/* One component class: mean time between failures and mean time to repair, hours. */
typedef struct wp_component_rel {
  double mtbf_h;
  double mttr_h;
} wp_component_rel;

/*
** The reliability model of one electrical lineup + its cooling (a block of the hall; every
** rack sees one block). Unit counts are the N of the block; the topology adds the spares.
** Defaults (WP_RELIABILITY_DEFAULT) are judgment informed by the ranges in
** docs/sources/ai-datacenter.md §3.3 (IEEE 493 / TM 5-698-5 rows could not be retrieved; see
** docs/model/engineering.md for each value's basis).
*/
typedef struct wp_reliability {
  wp_component_rel utility;     /* grid supply at the site (common to both paths) */
  wp_component_rel generator;   /* one standby diesel genset */
  wp_component_rel ats;         /* automatic transfer switch (one per path) */
  wp_component_rel switchgear;  /* MV/LV switchgear lineup (one per path) */
  wp_component_rel transformer; /* unit substation transformer (one per path) */
  wp_component_rel ups;         /* one UPS module */
  wp_component_rel pdu;         /* PDU / busway feeding the racks (one per path) */
  wp_component_rel cooling;     /* one cooling unit (chiller/dry cooler/CDU train) */
  unsigned generators_n;        /* gensets needed to carry the block (N) */
  unsigned ups_n;               /* UPS modules needed (N) */
  unsigned cooling_n;           /* cooling units needed (N) */
} wp_reliability;

/*
** Default values (hours): utility 7,964/1.8 = US average ~1.1 interruptions and ~2 h per year
** excluding major events (EIA-861 SAIFI/SAIDI, recalled [U]); switchgear 876,000/24 and
** transformer 876,000/48 = 0.01 failures per unit-year, inside IEEE 493 Gold Book ranges
** 0.005-0.02 and 0.005-0.015 (secondary table, docs/sources/ai-datacenter.md §3.3), repair times
** judgment; UPS module 125,000/8 (Kohler single-module MTBF [U], same §3.3; MTTR judgment);
** generator 2,000/24, ATS 200,000/8, PDU 500,000/4, cooling unit 20,000/24 and the block of 2
** gensets, 4 UPS modules and 4 cooling units are judgment. TM 5-698-5 Appendix B (public domain)
** should replace them when its rows are transcribed.
*/
#define WP_RELIABILITY_DEFAULT                                                                     \
  {                                                                                                \
    .utility = {7964.0, 1.8}, .generator = {2000.0, 24.0}, .ats = {200000.0, 8.0},                 \
    .switchgear = {876000.0, 24.0}, .transformer = {876000.0, 48.0}, .ups = {125000.0, 8.0},       \
    .pdu = {500000.0, 4.0}, .cooling = {20000.0, 24.0}, .generators_n = 2, .ups_n = 4,             \
    .cooling_n = 4                                                                                 \
  }

typedef struct wp_availability {
  double availability;       /* of the block: power path x cooling, [0, 1] */
  double power_availability; /* electrical path incl. the utility/generator source */
  double cooling_availability;
  double downtime_h_per_yr; /* (1 - availability) x 8760 */
  const char *tier_label;   /* nearest Uptime tier at or below: a label, not a rating */
} wp_availability;

/*
** Availability of topology r. Per path: D = ATS x switchgear x transformer x UPS(k-of-n) x
** PDU, gensets G = k-of-n, utility U common to both paths. N/N+1 (one path):
** A_p = D x (1 - (1-U)(1-G)). 2N/2N+1 (two independent paths sharing U):
** A_p = U x (1-(1-D)^2) + (1-U) x (1-(1-D G)^2). Spares: N+1 and 2N+1 use k-of-(k+1).
** Cooling: k-of-n units, two independent sides for 2N/2N+1. A = A_p x A_c.
** Returns WP_EINVAL for a NULL rel, an unknown topology, a zero unit count or a bad MTBF/MTTR.
*/
WP_API wp_status wp_facility_availability(wp_redundancy r, const wp_reliability *rel,
                                          wp_availability *out, wp_error *err);

/* "Tier IV" (>= 99.995%), "Tier III" (>= 99.982%), "Tier II" (>= 99.741%), "Tier I"
** (>= 99.671%) or "below Tier I": the Uptime white paper's observed site availabilities
** (docs/sources/ai-datacenter.md §3.1), used only as labels. */
WP_API const char *wp_tier_label(double availability);

/* ---- step 3: cooling and PUE ---------------------------------------------------------- */

/* Highest rack density (kW per rack) the cooling can serve (docs/sources/ai-datacenter.md §1.3):
** air 30, rdhx 80, dlc 150, immersion 250. NAN for an unknown cooling. */
WP_API double wp_cooling_rack_kw_max(wp_cooling c);

/* PUE at one ambient condition, with its overhead terms as fractions of IT power. */
typedef struct wp_pue_point {
  double pue;
  double free_cooling_frac; /* share of the heat rejected without chillers */
  double chiller_cop;       /* COP of the chillers when they run */
  double ups_loss;          /* each of these: kW per kW of IT */
  double distribution_loss;
  double lighting;
  double fans;
  double pumps;
  double heat_rejection; /* dry-cooler fans */
  double chillers;
} wp_pue_point;

/*
** PUE at dry-bulb ambient_c (one steady condition, no spread) for cooling c and topology r.
** PUE = 1 + UPS loss + distribution loss + lighting + fans + pumps + dry coolers + chillers,
** all per kW of IT (docs/model/engineering.md). Returns WP_EINVAL for an unknown cooling or
** topology, or ambient_c outside [-60, 60] or not finite.
*/
WP_API wp_status wp_facility_pue_at(wp_cooling c, wp_redundancy r, double ambient_c,
                                    wp_pue_point *out, wp_error *err);

/* Hour-to-hour spread of temperature within a month around its mean (a normal distribution,
** standard deviation in K) used to turn a monthly mean into free-cooling hours and a
** monthly PUE. Judgment: mid-latitude hourly temperatures scatter 4-6 K around the month's
** mean; 4 K is the low end. */
#define WP_MONTH_SPREAD_C 4.0

/* A temperate default climate: monthly mean dry-bulb temperatures close to Frankfurt am Main
** climate normals, and a design (hottest) temperature of 32 C. Judgment: recalled normals,
** not looked up; state this climate wherever it is used. */
#define WP_CLIMATE_TEMPERATE_MONTHLY_C                                                             \
  {                                                                                                \
    1.6, 2.6, 6.2, 10.3, 14.4, 17.8, 19.8, 19.3, 15.2, 10.4, 5.7, 2.6                              \
  }
#define WP_CLIMATE_TEMPERATE_DESIGN_C 32.0
#define WP_CLIMATE_TEMPERATE_NAME     "temperate (Frankfurt-like normals, judgment), design 32 C"

/* ---- step 4: facility standardization checklist --------------------------------------- */

typedef enum wp_std_item {
  WP_STD_ENVELOPE = 0, /* sealed envelope and insulation */
  WP_STD_DUST,         /* dust filtration and room pressurization */
  WP_STD_FIRE,         /* fire detection (aspirating) and suppression (pre-action / agent) */
  WP_STD_MONITORING,   /* BMS / DCIM monitoring */
  WP_STD_SECURITY,     /* physical security: perimeter, access control, CCTV */
  WP_STD_AUDIT         /* commissioning, audit and certification */
} wp_std_item;
#define WP_STD_COUNT 6

typedef enum wp_check_status {
  WP_CHECK_PASS = 0, /* an engineering check the design meets */
  WP_CHECK_INCLUDED, /* built new and costed in the capex */
  WP_CHECK_UPGRADE,  /* a mining-grade element raised to data-center grade, costed */
  WP_CHECK_REDUCED   /* needed at reduced scope for this design, costed */
} wp_check_status;

/* "pass" "included" "upgrade" "reduced" ("?" when out of range). */
WP_API const char *wp_check_status_name(wp_check_status s);

/* Checklist item name, e.g. "fire detection and suppression" ("?" when out of range). */
WP_API const char *wp_std_item_name(wp_std_item item);

#define WP_CHECKLIST_MAX 12

struct wp_design_spec;
/* Status of a standardization item for a design: greenfield items are "included"; a
** conversion "upgrade"s what a mine has (open sheds, coarse filters, SCADA, fences) and
** builds fire suppression and certification new; immersion needs "reduced" dust filtration.
** spec must be valid (see wp_facility_design). */
WP_API wp_check_status wp_std_item_status(const struct wp_design_spec *spec, wp_std_item item);

typedef struct wp_check {
  const char *item; /* static text: an engineering check or a wp_std_item_name() */
  wp_check_status status;
} wp_check;

/* ---- the whole design ----------------------------------------------------------------- */

typedef struct wp_design_spec {
  double grid_mw; /* what the site may draw at its meter, MW (> 0) */
  wp_cooling cooling;
  wp_redundancy redundancy; /* applied to the power path and to cooling */
  wp_gpu gpu;
  double monthly_c[12];      /* monthly mean dry-bulb temperatures, C, Jan..Dec */
  double design_c;           /* design (hottest) dry-bulb temperature, C, >= every month */
  int greenfield;            /* 0: conversion of an existing mine (brownfield); 1: new site */
  unsigned servers_per_rack; /* 0: the platform default (4 DGX per rack; 1 NVL72) */
} wp_design_spec;

#define WP_DESIGN_SPEC_DEFAULT                                                                     \
  {                                                                                                \
    .grid_mw = 100.0, .cooling = WP_COOLING_DLC, .redundancy = WP_REDUNDANCY_N1,                   \
    .gpu = WP_GPU_GB300, .monthly_c = WP_CLIMATE_TEMPERATE_MONTHLY_C,                              \
    .design_c = WP_CLIMATE_TEMPERATE_DESIGN_C, .greenfield = 0, .servers_per_rack = 0              \
  }

typedef struct wp_facility {
  double it_mw;      /* sellable critical IT: grid_mw / pue_design */
  double pue_annual; /* energy-weighted mean of the 12 months */
  double pue_design; /* at design_c, no spread */
  double pue_monthly[12];
  double free_cooling_h_per_yr; /* hours with full free cooling of the main heat path */
  double chiller_design_frac;   /* share of heat through chillers at design_c */
  double grid_mwh_per_yr;       /* energy at full IT load: it_mw x 8760 x pue_annual */
  double rack_kw;
  double rack_kw_limit; /* the cooling's limit */
  wp_rack_plan plan;    /* racks, GPUs, floor space */
  wp_availability avail;
  wp_check checklist[WP_CHECKLIST_MAX];
  size_t n_checklist;
} wp_facility;

/*
** Engineer one site: racks (step 1), availability with WP_RELIABILITY_DEFAULT (step 2),
** monthly/annual/design PUE and sellable IT MW = grid_mw / pue_design (step 3), and the
** standardization checklist (step 4). Returns WP_EINVAL, with a message naming the value
** and the accepted range, when grid_mw <= 0 or not finite, an enum is out of range, a
** temperature is outside [-60, 60] C, design_c is below a monthly mean, or the rack density
** exceeds the cooling's limit (the message names the rack kW, the limit and the coolings
** that would work). Pure: no allocation.
*/
WP_API wp_status wp_facility_design(const wp_design_spec *spec, wp_facility *out, wp_error *err);

/* Same as wp_facility_design with a caller-supplied reliability model (NULL = default). */
WP_API wp_status wp_facility_design_rel(const wp_design_spec *spec, const wp_reliability *rel,
                                 wp_facility *out, wp_error *err);

#ifdef __cplusplus
}
#endif
#endif
