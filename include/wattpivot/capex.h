/*
** wattpivot/capex.h — capital cost of an AI hall by component: electrical by topology,
** mechanical by cooling (chillers by climate), shell, site, substation, land, fit-out, the
** standardization items, soft costs and contingency; for a brownfield conversion of a mine
** (credits for its substation, interconnect, land and reusable site works; ASIC removal) and
** for a greenfield build; and for a bitcoin mine itself. Optional operator-owned IT.
** Calibrated to the market's quotes (docs/model/engineering.md "Capex by component",
** docs/sources/ai-datacenter.md §4); every default cites its source below. Pure: no allocation,
** thread-safe.
*/
#ifndef WATTPIVOT_CAPEX_H
#define WATTPIVOT_CAPEX_H

#include <stddef.h>

#include "error.h"
#include "export.h"
#include "facility.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WP_CAPEX_MAX_LINES 32

/* What a capex line buys, for depreciation by asset class in the finance ledger. */
typedef enum wp_capex_kind {
  WP_CAPEX_KIND_SHELL = 0, /* building shell, site, land, fit-out, standardization items */
  WP_CAPEX_KIND_MEP,       /* power and cooling plant: electrical, mechanical, substation */
  WP_CAPEX_KIND_SOFT,      /* soft costs, contingency, decommissioning */
  WP_CAPEX_KIND_IT         /* operator-owned GPUs and network */
} wp_capex_kind;

typedef struct wp_capex_line {
  const char *name;   /* static text, e.g. "electrical (2N)" */
  double usd;         /* negative for a credit */
  wp_capex_kind kind; /* a credit carries the kind of what it credits */
} wp_capex_line;

typedef struct wp_capex {
  wp_capex_line lines[WP_CAPEX_MAX_LINES];
  size_t n_lines;
  double capex_usd;           /* sum of the lines */
  double capex_usd_per_it_mw; /* capex_usd / it_mw (per grid MW for a mine) */
  double it_mw;               /* the IT load the capex buys (grid MW for a mine) */
} wp_capex;

/*
** Unit costs and shares. All "per IT MW" figures are USD per MW of critical IT.
** Calibration: the default greenfield design (100 grid MW, dlc, N+1, gb300, temperate)
** totals ~$11.2M per IT MW excluding IT, between JLL 2025 ($10.7M) and Cushman & Wakefield
** 2025 ($11.7M), with C&W's split (critical power+cooling 53%, shell 21%, site 10%, white
** space 10%, back of house 4%, office 2%) as the proportions of the hard-cost lines; the
** default conversion lands at ~$10.2M, inside the miners' reported $8-11M (TeraWulf $8-10M,
** Cipher $9-11M); a mine at ~$0.36M per grid MW (seed $0.35-0.4M; Sabre56 $0.30-0.35M).
*/
typedef struct wp_capex_opts {
  double electrical_n1_usd_per_it_mw;            /* N+1 switchgear, UPS, gensets, PDUs, busway */
  double electrical_factor[WP_REDUNDANCY_COUNT]; /* x the N+1 cost for N, N+1, 2N, 2N+1 */
  double mechanical_usd_per_it_mw[WP_COOLING_COUNT]; /* without chillers */
  double chillers_usd_per_it_mw; /* chiller plant for all the heat; x design share */
  double shell_usd_per_it_mw;
  double site_usd_per_it_mw;         /* civil works, roads, drainage, yard */
  double substation_usd_per_grid_mw; /* HV substation + interconnect */
  double land_usd_per_it_mw;
  double fitout_usd_per_it_mw;            /* white space: containment, busway taps, cabling */
  double boh_office_usd_per_it_mw;        /* back of house + office */
  double std_usd_per_it_mw[WP_STD_COUNT]; /* each standardization item, new build */
  double std_reduced_share;               /* cost share of an item at "reduced" scope */
  double brown_site_reuse;                /* share of site works a mine already has */
  double brown_shell_reuse;               /* share of the shell a mine's pads/structure save */
  double brown_security_reuse;            /* share of security a mine already has */
  double decommission_usd_per_grid_mw;    /* ASIC racks out: removal, packing, disposal */
  double asic_resale_usd;                 /* resale of the removed ASICs (>= 0): a credit */
  double soft_share;                      /* design, permits, project management: x hard */
  double contingency_share;               /* owner contingency: x (hard + soft) */
  int operator_it;                        /* 1: add GPUs + network owned by the operator */
  double it_usd_per_it_mw;                /* operator-owned IT per IT MW */
  /* the bitcoin mine (per grid MW) */
  double mine_electrical_usd_per_mw;
  double mine_building_usd_per_mw; /* sheds/containers, fans, evaporative pads */
  double mine_site_usd_per_mw;     /* civil, fence, security */
  double mine_controls_usd_per_mw; /* network, SCADA, pool connectivity */
} wp_capex_opts;

/*
** Sources (docs/sources/ai-datacenter.md §4 unless said): C&W 2025 split on $11.7M; trade split
** electrical 35-45% vs mechanical 20-25% (cortexconstruct [U]) divides the 53%; topology
** factors, per-cooling mechanical costs and the chiller plant are judgment (T&T: AI halls
** carry a 7-10% premium); fire 3-5% and BMS 2-4% of construction (cortexconstruct [U]);
** land: C&W $244k/acre x 0.6 acre per IT MW (judgment); substation $0.25M per grid MW,
** decommissioning $15k per grid MW, reuse shares, soft 4% and contingency 5% are judgment;
** IT $29M per IT MW = IREN's $5.8B for 200 MW (marketchameleon, [S]).
*/
#define WP_CAPEX_OPTS_DEFAULT                                                                      \
  {                                                                                                \
    .electrical_n1_usd_per_it_mw = 3.2e6, .electrical_factor = {0.85, 1.0, 1.22, 1.32},            \
    .mechanical_usd_per_it_mw = {1.20e6, 1.35e6, 1.45e6, 1.60e6}, .chillers_usd_per_it_mw = 0.6e6, \
    .shell_usd_per_it_mw = 1.5e6, .site_usd_per_it_mw = 0.7e6,                                     \
    .substation_usd_per_grid_mw = 0.25e6, .land_usd_per_it_mw = 0.15e6,                            \
    .fitout_usd_per_it_mw = 0.8e6, .boh_office_usd_per_it_mw = 0.45e6,                             \
    .std_usd_per_it_mw = {0.25e6, 0.06e6, 0.35e6, 0.25e6, 0.10e6, 0.12e6},                         \
    .std_reduced_share = 0.5, .brown_site_reuse = 0.5, .brown_shell_reuse = 0.1,                   \
    .brown_security_reuse = 0.5, .decommission_usd_per_grid_mw = 15e3, .asic_resale_usd = 0.0,     \
    .soft_share = 0.04, .contingency_share = 0.05, .operator_it = 0, .it_usd_per_it_mw = 29e6,     \
    .mine_electrical_usd_per_mw = 170e3, .mine_building_usd_per_mw = 120e3,                        \
    .mine_site_usd_per_mw = 30e3, .mine_controls_usd_per_mw = 10e3                                 \
  }

/* The checks of the capex options (every cost >= 0, every share in [0, 1]). */
WP_API wp_status wp_capex_opts_check(const wp_capex_opts *o, wp_error *err);

/*
** Capex of the design spec engineered as fac (from wp_facility_design with the same spec):
** a conversion when spec->greenfield == 0, else a greenfield build. Lines: electrical,
** mechanical, chillers, shell, site, substation, land, fit-out, back of house, the six
** standardization items, [ASIC decommissioning, brownfield credits (negative)], soft costs,
** contingency, [operator-owned IT]. opts NULL = WP_CAPEX_OPTS_DEFAULT.
** Returns WP_EINVAL for a NULL spec/fac/out, fac->it_mw <= 0, or a negative/non-finite
** option (shares must lie in [0, 1]).
*/
WP_API wp_status wp_capex_design(const wp_design_spec *spec, const wp_facility *fac,
                          const wp_capex_opts *opts, wp_capex *out, wp_error *err);

/* Capex of a bitcoin mine of grid_mw (electrical, building, site, controls, soft costs,
** contingency); capex_usd_per_it_mw is per grid MW here. WP_EINVAL when grid_mw <= 0. */
WP_API wp_status wp_capex_mining_facility(double grid_mw, const wp_capex_opts *opts, wp_capex *out,
                                   wp_error *err);

#ifdef __cplusplus
}
#endif
#endif
