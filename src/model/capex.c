/*
** Capex by component for an AI hall (conversion or greenfield) and for a bitcoin mine (see
** wattpivot/capex.h for the defaults and their sources; docs/model/engineering.md §5).
*/
#include <math.h>
#include <string.h>

#include "wattpivot/capex.h"
#include "wattpivot/range.h"

/* The most lines wp_capex_design writes: 9 plant/building lines, the standardization items,
** decommissioning + 5 credits, soft costs + contingency, ASIC resale + operator IT. The
** array can never overflow, so no line is ever dropped. */
#define DESIGN_LINES_MAX (9 + WP_STD_COUNT + 6 + 2 + 2)
_Static_assert(DESIGN_LINES_MAX <= WP_CAPEX_MAX_LINES, "WP_CAPEX_MAX_LINES too small");

static void add_line(wp_capex *c, wp_capex_kind kind, const char *name, double usd)
{
  if (c->n_lines >= WP_CAPEX_MAX_LINES) return; /* unreachable: see DESIGN_LINES_MAX */
  c->lines[c->n_lines].name = name;
  c->lines[c->n_lines].usd = usd;
  c->lines[c->n_lines].kind = kind;
  c->n_lines++;
  c->capex_usd += usd;
}

wp_status wp_capex_opts_check(const wp_capex_opts *o, wp_error *err)
{
  if (!o) return wp_error_set(err, WP_EINVAL, "capex options: NULL");
  const struct {
    const char *name;
    double v;
  } money[] = {
      {"electrical_n1_usd_per_it_mw", o->electrical_n1_usd_per_it_mw},
      {"chillers_usd_per_it_mw", o->chillers_usd_per_it_mw},
      {"shell_usd_per_it_mw", o->shell_usd_per_it_mw},
      {"site_usd_per_it_mw", o->site_usd_per_it_mw},
      {"substation_usd_per_grid_mw", o->substation_usd_per_grid_mw},
      {"land_usd_per_it_mw", o->land_usd_per_it_mw},
      {"fitout_usd_per_it_mw", o->fitout_usd_per_it_mw},
      {"boh_office_usd_per_it_mw", o->boh_office_usd_per_it_mw},
      {"decommission_usd_per_grid_mw", o->decommission_usd_per_grid_mw},
      {"asic_resale_usd", o->asic_resale_usd},
      {"it_usd_per_it_mw", o->it_usd_per_it_mw},
      {"mine_electrical_usd_per_mw", o->mine_electrical_usd_per_mw},
      {"mine_building_usd_per_mw", o->mine_building_usd_per_mw},
      {"mine_site_usd_per_mw", o->mine_site_usd_per_mw},
      {"mine_controls_usd_per_mw", o->mine_controls_usd_per_mw},
      {"electrical_factor[N]", o->electrical_factor[0]},
      {"electrical_factor[N+1]", o->electrical_factor[1]},
      {"electrical_factor[2N]", o->electrical_factor[2]},
      {"electrical_factor[2N+1]", o->electrical_factor[3]},
      {"mechanical_usd_per_it_mw[air]", o->mechanical_usd_per_it_mw[0]},
      {"mechanical_usd_per_it_mw[rdhx]", o->mechanical_usd_per_it_mw[1]},
      {"mechanical_usd_per_it_mw[dlc]", o->mechanical_usd_per_it_mw[2]},
      {"mechanical_usd_per_it_mw[immersion]", o->mechanical_usd_per_it_mw[3]},
  };
  const wp_range money_range = {0, INFINITY, 0, 0, "USD"}, share_range = {0, 1, 0, 0, NULL};
  wp_status st;
  for (size_t i = 0; i < sizeof money / sizeof money[0]; i++)
    if ((st = wp_range_check(&money_range, money[i].v, err, "capex option %s", money[i].name)))
      return st;
  for (int i = 0; i < WP_STD_COUNT; i++)
    if ((st = wp_range_check(&money_range, o->std_usd_per_it_mw[i], err,
                             "capex option std_usd_per_it_mw[%s]",
                             wp_std_item_name((wp_std_item)i))))
      return st;
  const struct {
    const char *name;
    double v;
  } shares[] = {{"std_reduced_share", o->std_reduced_share},
                {"brown_site_reuse", o->brown_site_reuse},
                {"brown_shell_reuse", o->brown_shell_reuse},
                {"brown_security_reuse", o->brown_security_reuse},
                {"soft_share", o->soft_share},
                {"contingency_share", o->contingency_share}};
  for (size_t i = 0; i < sizeof shares / sizeof shares[0]; i++)
    if ((st = wp_range_check(&share_range, shares[i].v, err, "capex option %s", shares[i].name)))
      return st;
  return WP_OK;
}

/* Line names carry the design choice so a capex table reads on its own. */
static const char *const electrical_names[WP_REDUNDANCY_COUNT] = {
    "electrical plant (N)", "electrical plant (N+1)", "electrical plant (2N)",
    "electrical plant (2N+1)"};
static const char *const mechanical_names[WP_COOLING_COUNT] = {
    "mechanical: air with containment", "mechanical: rear-door heat exchangers",
    "mechanical: direct-to-chip liquid", "mechanical: immersion"};
static const char *const std_line_names[WP_STD_COUNT] = {"std: sealed envelope and insulation",
                                                         "std: dust filtration",
                                                         "std: fire detection and suppression",
                                                         "std: monitoring (BMS/DCIM)",
                                                         "std: physical security",
                                                         "std: audit and certification"};

wp_status wp_capex_design(const wp_design_spec *spec, const wp_facility *fac,
                          const wp_capex_opts *opts, wp_capex *out, wp_error *err)
{
  static const wp_capex_opts defaults = WP_CAPEX_OPTS_DEFAULT;
  if (!spec || !fac || !out) return wp_error_set(err, WP_EINVAL, "capex: NULL argument");
  const wp_capex_opts *o = opts ? opts : &defaults;
  wp_status st = wp_capex_opts_check(o, err);
  if (st != WP_OK) return st;
  if ((unsigned)spec->cooling >= WP_COOLING_COUNT ||
      (unsigned)spec->redundancy >= WP_REDUNDANCY_COUNT)
    return wp_error_set(err, WP_EINVAL, "capex: cooling %d or redundancy %d is unknown",
                        (int)spec->cooling, (int)spec->redundancy);
  if (!isfinite(fac->it_mw) || fac->it_mw <= 0 || !isfinite(spec->grid_mw) || spec->grid_mw <= 0)
    return wp_error_set(err, WP_EINVAL,
                        "capex: IT load %g MW and grid %g MW must be > 0 (run the design first)",
                        fac->it_mw, spec->grid_mw);
  memset(out, 0, sizeof *out);
  double it = fac->it_mw, grid = spec->grid_mw;
  int brown = !spec->greenfield;

  /* Hard costs as a greenfield build; the conversion's credits follow as negative lines. */
  double elec = o->electrical_n1_usd_per_it_mw * o->electrical_factor[spec->redundancy] * it;
  double shell = o->shell_usd_per_it_mw * it;
  double site = o->site_usd_per_it_mw * it;
  double substation = o->substation_usd_per_grid_mw * grid;
  double land = o->land_usd_per_it_mw * it;
  add_line(out, WP_CAPEX_KIND_MEP, electrical_names[spec->redundancy], elec);
  add_line(out, WP_CAPEX_KIND_MEP, mechanical_names[spec->cooling], o->mechanical_usd_per_it_mw[spec->cooling] * it);
  /* Chillers only for the heat they carry at the design temperature. */
  add_line(out, WP_CAPEX_KIND_MEP, "mechanical: chiller plant (design share)",
           o->chillers_usd_per_it_mw * fac->chiller_design_frac * it);
  add_line(out, WP_CAPEX_KIND_SHELL, "shell", shell);
  add_line(out, WP_CAPEX_KIND_SHELL, "site and civil", site);
  add_line(out, WP_CAPEX_KIND_MEP, "substation and interconnect", substation);
  add_line(out, WP_CAPEX_KIND_SHELL, "land", land);
  add_line(out, WP_CAPEX_KIND_SHELL, "white space fit-out and network cabling", o->fitout_usd_per_it_mw * it);
  add_line(out, WP_CAPEX_KIND_SHELL, "back of house and office", o->boh_office_usd_per_it_mw * it);
  double security = 0;
  for (int i = 0; i < WP_STD_COUNT; i++) {
    wp_check_status cs = wp_std_item_status(spec, (wp_std_item)i);
    double usd = o->std_usd_per_it_mw[i] * it;
    if (cs == WP_CHECK_REDUCED) usd *= o->std_reduced_share;
    if (i == WP_STD_SECURITY) security = usd;
    add_line(out, WP_CAPEX_KIND_SHELL, std_line_names[i], usd);
  }
  if (brown) {
    add_line(out, WP_CAPEX_KIND_SOFT, "ASIC racks out: decommissioning", o->decommission_usd_per_grid_mw * grid);
    add_line(out, WP_CAPEX_KIND_MEP, "credit: existing substation and interconnect", -substation);
    add_line(out, WP_CAPEX_KIND_SHELL, "credit: existing land", -land);
    add_line(out, WP_CAPEX_KIND_SHELL, "credit: reusable site works", -o->brown_site_reuse * site);
    add_line(out, WP_CAPEX_KIND_SHELL, "credit: reusable pads and structure", -o->brown_shell_reuse * shell);
    add_line(out, WP_CAPEX_KIND_SHELL, "credit: existing fence and cameras", -o->brown_security_reuse * security);
  }
  /* Soft costs on hard costs without land; contingency on hard + soft. */
  double land_net = brown ? 0.0 : land;
  double hard = out->capex_usd - land_net;
  double soft = o->soft_share * hard;
  add_line(out, WP_CAPEX_KIND_SOFT, "soft costs (design, permits, management)", soft);
  add_line(out, WP_CAPEX_KIND_SOFT, "contingency", o->contingency_share * (hard + soft));
  if (brown && o->asic_resale_usd > 0) add_line(out, WP_CAPEX_KIND_SOFT, "credit: ASIC resale", -o->asic_resale_usd);
  if (o->operator_it) add_line(out, WP_CAPEX_KIND_IT, "operator-owned IT (GPUs + network)", o->it_usd_per_it_mw * it);
  out->it_mw = it;
  out->capex_usd_per_it_mw = out->capex_usd / it;
  return WP_OK;
}

wp_status wp_capex_mining_facility(double grid_mw, const wp_capex_opts *opts, wp_capex *out,
                                   wp_error *err)
{
  static const wp_capex_opts defaults = WP_CAPEX_OPTS_DEFAULT;
  if (!out) return wp_error_set(err, WP_EINVAL, "mining capex: output pointer is NULL");
  const wp_capex_opts *o = opts ? opts : &defaults;
  wp_status st = wp_capex_opts_check(o, err);
  if (st != WP_OK) return st;
  if (!isfinite(grid_mw) || grid_mw <= 0 || grid_mw > 100000)
    return wp_error_set(err, WP_EINVAL, "grid_mw %g is out of range; accepted (0, 100000] MW",
                        grid_mw);
  memset(out, 0, sizeof *out);
  add_line(out, WP_CAPEX_KIND_MEP, "mine: electrical (transformers, switchboards, PDUs)",
           o->mine_electrical_usd_per_mw * grid_mw);
  add_line(out, WP_CAPEX_KIND_SHELL, "mine: buildings/containers and air handling",
           o->mine_building_usd_per_mw * grid_mw);
  add_line(out, WP_CAPEX_KIND_SHELL, "mine: site, fence and security", o->mine_site_usd_per_mw * grid_mw);
  add_line(out, WP_CAPEX_KIND_MEP, "mine: controls and network", o->mine_controls_usd_per_mw * grid_mw);
  double hard = out->capex_usd;
  double soft = o->soft_share * hard;
  add_line(out, WP_CAPEX_KIND_SOFT, "soft costs (design, permits, management)", soft);
  add_line(out, WP_CAPEX_KIND_SOFT, "contingency", o->contingency_share * (hard + soft));
  out->it_mw = grid_mw;
  out->capex_usd_per_it_mw = out->capex_usd / grid_mw;
  return WP_OK;
}
