/* facility module: racks, hand-computed availability cases (tests/data/availability_cases.csv),
** PUE bands and monotonicity, every refusal, and the `wattpivot design` CLI contract. */
#include "cli_run.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "harness.h"
#include "json_check.h"
#include "refdata.h"
#include "wattpivot.h"

/* Climates for the PUE sanity bands (monthly means, C). Judgment profiles, recalled normals:
** Nordic ~ Lulea (mean ~2 C), hot ~ Gulf coast (Abu Dhabi-like, mean ~28 C), Texas-like. */
static const double nordic_c[12] = {-10, -9, -5, 1, 7, 13, 16, 14, 9, 3, -3, -8};
static const double hot_c[12] = {19, 20, 23, 27, 32, 34, 36, 36, 33, 29, 25, 21};
static const double texas_c[12] = {8, 10, 14, 18, 23, 27, 30, 30, 26, 20, 13, 9};

static wp_design_spec spec_with(wp_cooling c, wp_redundancy r, wp_gpu g, const double *monthly,
                                double design_c)
{
  wp_design_spec s = WP_DESIGN_SPEC_DEFAULT;
  s.cooling = c;
  s.redundancy = r;
  s.gpu = g;
  if (monthly) {
    for (int m = 0; m < 12; m++)
      s.monthly_c[m] = monthly[m];
    s.design_c = design_c;
  }
  return s;
}

/* Annual PUE of a design (or NAN when refused). */
static double annual_pue(wp_cooling c, const double *monthly, double design_c)
{
  wp_design_spec s = spec_with(c, WP_REDUNDANCY_N1, WP_GPU_H100, monthly, design_c);
  s.servers_per_rack = 2; /* 20.4 kW fits every cooling */
  wp_facility f;
  return wp_facility_design(&s, &f, NULL) == WP_OK ? f.pue_annual : NAN;
}

static void test_names_round_trip(void)
{
  for (int i = 0; i < WP_COOLING_COUNT; i++) {
    wp_cooling c;
    CHECK(wp_cooling_from_name(wp_cooling_name((wp_cooling)i), &c, NULL) == WP_OK);
    CHECK_EQ_I64(c, i);
  }
  for (int i = 0; i < WP_REDUNDANCY_COUNT; i++) {
    wp_redundancy r;
    CHECK(wp_redundancy_from_name(wp_redundancy_name((wp_redundancy)i), &r, NULL) == WP_OK);
    CHECK_EQ_I64(r, i);
  }
  for (int i = 0; i < WP_GPU_COUNT; i++) {
    wp_gpu g;
    CHECK(wp_gpu_from_name(wp_gpu_name((wp_gpu)i), &g, NULL) == WP_OK);
    CHECK_EQ_I64(g, i);
  }
  wp_redundancy r;
  CHECK(wp_redundancy_from_name("2n1", &r, NULL) == WP_OK);
  CHECK_EQ_I64(r, WP_REDUNDANCY_2N1);
  wp_cooling c;
  CHECK(wp_cooling_from_name("DLC", &c, NULL) == WP_OK);
  CHECK_EQ_I64(c, WP_COOLING_DLC);
  CHECK_STR(wp_cooling_name((wp_cooling)9), "?");
  CHECK_STR(wp_gpu_name((wp_gpu)-1), "?");
}

static void test_rack_catalog(void)
{
  /* docs/model/engineering.md "Step 1": DGX H100 10.2 kW x 4 = 40.8 kW; DGX B200 14.3 kW; NVL72
  ** 120-140 kW; all-in IT kW per GPU ~1.3 (H100) to ~1.9 (GB300). */
  static const struct {
    wp_gpu g;
    double rack_kw;
    double per_gpu_lo, per_gpu_hi;
  } cases[] = {
      {WP_GPU_H100, 40.8, 1.25, 1.40},
      {WP_GPU_B200, 57.2, 1.70, 1.95},
      {WP_GPU_GB200, 120.0, 1.60, 1.85},
      {WP_GPU_GB300, 132.0, 1.80, 2.00},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    wp_rack_plan p;
    CHECK(wp_facility_racks(cases[i].g, 0, 100.0, &p, NULL) == WP_OK);
    CHECK_REL(p.rack_kw, cases[i].rack_kw, 1e-12);
    CHECK(p.it_kw_per_gpu >= cases[i].per_gpu_lo && p.it_kw_per_gpu <= cases[i].per_gpu_hi);
    CHECK_REL(p.floor_ft2, 500000.0, 1e-12); /* 5,000 ft2 per MW (Sabre56) */
  }
  /* GB300 in 100 MW of IT: floor(100000 / (132 x 1.05)) = floor(721.5) = 721 racks, x 72. */
  wp_rack_plan p;
  CHECK(wp_facility_racks(WP_GPU_GB300, 0, 100.0, &p, NULL) == WP_OK);
  CHECK_EQ_I64(p.racks, 721);
  CHECK_EQ_I64(p.gpus, 721 * 72);
  /* An exact fit does not round down: 10 H100 racks of 2 servers = 10 x 20.4 x 1.05 kW. */
  CHECK(wp_facility_racks(WP_GPU_H100, 2, 0.2142, &p, NULL) == WP_OK);
  CHECK_EQ_I64(p.racks, 10);
  CHECK_EQ_I64(p.gpus, 160);
  CHECK(wp_facility_racks(WP_GPU_H100, 0, 0.0, &p, NULL) == WP_OK);
  CHECK_EQ_I64(p.racks, 0);
}

static void test_availability_reference(void)
{
  FILE *f = ref_open("availability_cases.csv");
  if (!CHECK(f != NULL)) return;
  char line[512], *fld[REF_MAX_FIELDS];
  int rows = 0, n;
  while ((n = ref_next(f, line, sizeof line, fld)) > 0) {
    rows++;
    if (strcmp(fld[0], "kofn") == 0 && n == 6) {
      double got = wp_avail_k_of_n(strtod(fld[1], NULL), (unsigned)strtoul(fld[2], NULL, 10),
                                   (unsigned)strtoul(fld[3], NULL, 10));
      CHECK_ABS(got, strtod(fld[4], NULL), strtod(fld[5], NULL) + 1e-16);
    } else if (strcmp(fld[0], "topology") == 0 && n == 6) {
      wp_reliability rel = WP_RELIABILITY_DEFAULT;
      rel.utility = (wp_component_rel){999.0, 1.0};
      rel.generator = (wp_component_rel){99.0, 1.0};
      rel.ups = (wp_component_rel){999.0, 1.0};
      rel.cooling = (wp_component_rel){99.0, 1.0};
      rel.ats = rel.switchgear = rel.transformer = rel.pdu = (wp_component_rel){1000.0, 0.0};
      rel.generators_n = rel.ups_n = rel.cooling_n = 2;
      wp_redundancy r;
      CHECK(wp_redundancy_from_name(fld[1], &r, NULL) == WP_OK);
      wp_availability a;
      CHECK(wp_facility_availability(r, &rel, &a, NULL) == WP_OK);
      CHECK_ABS(a.power_availability, strtod(fld[2], NULL), 1e-14);
      CHECK_ABS(a.cooling_availability, strtod(fld[3], NULL), 1e-14);
      CHECK_ABS(a.availability, strtod(fld[4], NULL), 1e-14);
      CHECK_ABS(a.downtime_h_per_yr, strtod(fld[5], NULL), 1e-9);
    } else {
      CHECK(!"unknown row in availability_cases.csv");
    }
  }
  fclose(f);
  CHECK_EQ_I64(rows, 12);
}

static void test_availability_rules(void)
{
  CHECK_REL(wp_avail_unit(999.0, 1.0), 0.999, 1e-15);
  CHECK(isnan(wp_avail_unit(0.0, 1.0)));
  CHECK(isnan(wp_avail_unit(100.0, -1.0)));
  CHECK(isnan(wp_avail_k_of_n(0.9, 3, 2)));
  CHECK(isnan(wp_avail_k_of_n(1.1, 1, 2)));
  /* docs/sources/ai-datacenter.md §3.4: a 4+1 UPS group with q = 1e-3 gives U ~ C(5,2) q^2
  ** = 1e-5. */
  CHECK_REL(1.0 - wp_avail_k_of_n(0.999, 4, 5), 1e-5, 0.01);
  /* Tier labels at the Uptime thresholds (labels only). */
  CHECK_STR(wp_tier_label(0.99995), "Tier IV");
  CHECK_STR(wp_tier_label(0.999949), "Tier III");
  CHECK_STR(wp_tier_label(0.99982), "Tier III");
  CHECK_STR(wp_tier_label(0.99741), "Tier II");
  CHECK_STR(wp_tier_label(0.99671), "Tier I");
  CHECK_STR(wp_tier_label(0.9967), "below Tier I");
  /* Defaults: more redundancy, more availability; N+1 and 2N land on Tier III/IV labels. */
  wp_reliability rel = WP_RELIABILITY_DEFAULT;
  wp_availability a[WP_REDUNDANCY_COUNT];
  for (int r = 0; r < WP_REDUNDANCY_COUNT; r++)
    CHECK(wp_facility_availability((wp_redundancy)r, &rel, &a[r], NULL) == WP_OK);
  CHECK(a[0].availability < a[1].availability);
  CHECK(a[1].availability < a[2].availability);
  CHECK(a[2].availability < a[3].availability);
  CHECK_STR(a[1].tier_label, "Tier III");
  CHECK_STR(a[2].tier_label, "Tier IV");
  for (int r = 0; r < WP_REDUNDANCY_COUNT; r++)
    CHECK_REL(a[r].downtime_h_per_yr, (1.0 - a[r].availability) * 8760.0, 1e-12);
}

static void test_pue_bands(void)
{
  /* docs/model/engineering.md "Step 3" anchors: Nordic free cooling 1.07-1.15; hot climate +
  ** air 1.3-1.5. */
  double nordic_dlc = annual_pue(WP_COOLING_DLC, nordic_c, 26.0);
  double nordic_imm = annual_pue(WP_COOLING_IMMERSION, nordic_c, 26.0);
  double hot_air = annual_pue(WP_COOLING_AIR, hot_c, 46.0);
  CHECK(nordic_dlc >= 1.07 && nordic_dlc <= 1.15);
  CHECK(nordic_imm >= 1.07 && nordic_imm <= 1.15);
  CHECK(hot_air >= 1.30 && hot_air <= 1.50);
  /* Modern liquid-cooled 1.10-1.25 in the default temperate climate. */
  double temperate_dlc = annual_pue(WP_COOLING_DLC, NULL, 0);
  CHECK(temperate_dlc >= 1.10 && temperate_dlc <= 1.25);
  /* Liquid <= air at equal climate, for every climate. */
  const double *climates[] = {nordic_c, hot_c, texas_c, NULL};
  const double design[] = {26.0, 46.0, 38.0, 0.0};
  for (int k = 0; k < 4; k++) {
    double air = annual_pue(WP_COOLING_AIR, climates[k], design[k]);
    double rdhx = annual_pue(WP_COOLING_RDHX, climates[k], design[k]);
    double dlc = annual_pue(WP_COOLING_DLC, climates[k], design[k]);
    double imm = annual_pue(WP_COOLING_IMMERSION, climates[k], design[k]);
    CHECK(dlc <= air);
    CHECK(rdhx <= air);
    CHECK(imm <= dlc);
  }
}

static void test_pue_monotonic(void)
{
  /* Hotter -> higher PUE, at every cooling and topology, one degree at a time. */
  for (int c = 0; c < WP_COOLING_COUNT; c++)
    for (int r = 0; r < WP_REDUNDANCY_COUNT; r++) {
      wp_pue_point prev, cur;
      CHECK(wp_facility_pue_at((wp_cooling)c, (wp_redundancy)r, -60.0, &prev, NULL) == WP_OK);
      int ok = 1;
      for (double t = -59.0; t <= 60.0; t += 1.0) {
        if (wp_facility_pue_at((wp_cooling)c, (wp_redundancy)r, t, &cur, NULL) != WP_OK) ok = 0;
        if (cur.pue < prev.pue - 1e-12) ok = 0;
        prev = cur;
      }
      CHECK(ok);
      CHECK(prev.pue > 1.1); /* at 60 C chillers work hard */
    }
  /* Shifting a climate 5 K warmer raises the annual PUE; design >= every month. */
  for (int c = 0; c < WP_COOLING_COUNT; c++) {
    double warm[12];
    for (int m = 0; m < 12; m++)
      warm[m] = texas_c[m] + 5.0;
    CHECK(annual_pue((wp_cooling)c, warm, 43.0) > annual_pue((wp_cooling)c, texas_c, 43.0));
  }
  /* Liquid at the same condition beats air point by point. */
  for (double t = -20.0; t <= 50.0; t += 5.0) {
    wp_pue_point air, dlc;
    wp_facility_pue_at(WP_COOLING_AIR, WP_REDUNDANCY_N1, t, &air, NULL);
    wp_facility_pue_at(WP_COOLING_DLC, WP_REDUNDANCY_N1, t, &dlc, NULL);
    CHECK(dlc.pue <= air.pue);
  }
}

static void test_pue_terms(void)
{
  /* Cold: full free cooling, no chillers; the electrical terms are exact. */
  wp_pue_point p;
  CHECK(wp_facility_pue_at(WP_COOLING_DLC, WP_REDUNDANCY_N1, -20.0, &p, NULL) == WP_OK);
  CHECK_ABS(p.chillers, 0.0, 0);
  CHECK_ABS(p.free_cooling_frac, 1.0, 1e-15);
  CHECK_REL(p.ups_loss, 1.0 / 0.965 - 1.0, 1e-12);
  CHECK_REL(p.distribution_loss, 1.0 / 0.985 - 1.0, 1e-12);
  CHECK_REL(p.pue,
            1.0 + p.ups_loss + p.distribution_loss + p.lighting + p.fans + p.pumps +
                p.heat_rejection + p.chillers,
            1e-15);
  /* Hot: air runs on chillers only, with a COP in the chiller range (COP 6-7 nominal). */
  CHECK(wp_facility_pue_at(WP_COOLING_AIR, WP_REDUNDANCY_N1, 35.0, &p, NULL) == WP_OK);
  CHECK_ABS(p.free_cooling_frac, 0.0, 1e-15);
  CHECK(p.chiller_cop > 3.0 && p.chiller_cop < 8.0);
  /* 2N runs UPS modules at lower load: a larger UPS loss than N. */
  wp_pue_point n, twon;
  wp_facility_pue_at(WP_COOLING_DLC, WP_REDUNDANCY_N, 10.0, &n, NULL);
  wp_facility_pue_at(WP_COOLING_DLC, WP_REDUNDANCY_2N, 10.0, &twon, NULL);
  CHECK(twon.ups_loss > n.ups_loss);
}

static void test_design_default(void)
{
  wp_design_spec s = WP_DESIGN_SPEC_DEFAULT;
  wp_facility f;
  CHECK(wp_facility_design(&s, &f, NULL) == WP_OK);
  CHECK_REL(f.it_mw, s.grid_mw / f.pue_design, 1e-15);
  CHECK(f.pue_design >= f.pue_annual);
  double sum = 0;
  static const double days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int m = 0; m < 12; m++)
    sum += f.pue_monthly[m] * days[m] * 24.0;
  CHECK_REL(f.pue_annual, sum / 8760.0, 1e-14);
  CHECK_REL(f.grid_mwh_per_yr, f.it_mw * 8760.0 * f.pue_annual, 1e-14);
  /* W32 warm water runs chiller-less most of the year in a temperate climate. */
  CHECK(f.free_cooling_h_per_yr > 0.5 * 8760.0);
  CHECK_REL(f.rack_kw, 132.0, 1e-12);
  CHECK_REL(f.rack_kw_limit, 150.0, 1e-12);
  CHECK_EQ_I64(f.plan.gpus, f.plan.racks * 72);
  CHECK_EQ_I64(f.n_checklist, 2 + WP_STD_COUNT);
  /* Brownfield upgrades what a mine has; fire suppression and certification are new. */
  CHECK_STR(f.checklist[2].item, "sealed envelope and insulation");
  CHECK_EQ_I64(f.checklist[2].status, WP_CHECK_UPGRADE);
  CHECK_STR(f.checklist[4].item, "fire detection and suppression");
  CHECK_EQ_I64(f.checklist[4].status, WP_CHECK_INCLUDED);
  s.greenfield = 1;
  s.cooling = WP_COOLING_IMMERSION;
  CHECK(wp_facility_design(&s, &f, NULL) == WP_OK);
  CHECK_EQ_I64(f.checklist[2].status, WP_CHECK_INCLUDED);
  CHECK_EQ_I64(f.checklist[3].status, WP_CHECK_REDUCED); /* dust: sealed tanks */
}

static void test_design_refusals(void)
{
  wp_error err = WP_ERROR_INIT;
  wp_facility f;
  wp_design_spec s = WP_DESIGN_SPEC_DEFAULT;
  s.cooling = WP_COOLING_AIR; /* GB300 on air */
  CHECK(wp_facility_design(&s, &f, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "132.0 kW");
  CHECK_CONTAINS(err.msg, "30 kW");
  CHECK_CONTAINS(err.msg, "dlc (150 kW), immersion (250 kW)");
  CHECK(strstr(err.msg, "rdhx") == NULL);
  s.cooling = WP_COOLING_RDHX; /* 132 kW > 80 kW */
  CHECK(wp_facility_design(&s, &f, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "80 kW");
  s = (wp_design_spec)WP_DESIGN_SPEC_DEFAULT;
  s.gpu = WP_GPU_H100;
  s.cooling = WP_COOLING_AIR; /* 40.8 kW > 30: suggest depopulating */
  CHECK(wp_facility_design(&s, &f, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "40.8 kW");
  CHECK_CONTAINS(err.msg, "rdhx (80 kW)");
  CHECK_CONTAINS(err.msg, "2 per rack (20.4 kW)");
  s.servers_per_rack = 2;
  CHECK(wp_facility_design(&s, &f, &err) == WP_OK);

  static const struct {
    double grid_mw;
    int month;
    double month_c;
    double design_c;
    const char *needle;
  } bad[] = {
      {0.0, -1, 0, 32, "grid_mw 0"},
      {-5.0, -1, 0, 32, "grid_mw -5"},
      {NAN, -1, 0, 32, "grid_mw"},
      {1e6, -1, 0, 32, "(0, 100000]"},
      {100, 3, 61.0, 70, "month 4"},
      {100, 0, -61.0, 32, "[-60, 60]"},
      {100, 0, NAN, 32, "month 1"},
      {100, -1, 0, 61.0, "design temperature 61"},
      {100, -1, 0, 15.0, "hottest monthly mean 19.8"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    s = (wp_design_spec)WP_DESIGN_SPEC_DEFAULT;
    s.grid_mw = bad[i].grid_mw;
    if (bad[i].month >= 0) s.monthly_c[bad[i].month] = bad[i].month_c;
    s.design_c = bad[i].design_c;
    err = (wp_error)WP_ERROR_INIT;
    CHECK(wp_facility_design(&s, &f, &err) == WP_EINVAL);
    CHECK_CONTAINS(err.msg, bad[i].needle);
  }
  s = (wp_design_spec)WP_DESIGN_SPEC_DEFAULT;
  s.cooling = (wp_cooling)7;
  CHECK(wp_facility_design(&s, &f, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "cooling 7");
  s = (wp_design_spec)WP_DESIGN_SPEC_DEFAULT;
  s.redundancy = (wp_redundancy)4;
  CHECK(wp_facility_design(&s, &f, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "redundancy 4");
  s = (wp_design_spec)WP_DESIGN_SPEC_DEFAULT;
  s.gpu = (wp_gpu)4;
  CHECK(wp_facility_design(&s, &f, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "gpu 4");
  s = (wp_design_spec)WP_DESIGN_SPEC_DEFAULT;
  s.servers_per_rack = 2; /* NVL72 is a rack-scale system */
  CHECK(wp_facility_design(&s, &f, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "rack-scale");
  s.gpu = WP_GPU_B200;
  s.servers_per_rack = 9;
  CHECK(wp_facility_design(&s, &f, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "1..8");
  CHECK(wp_facility_design(NULL, &f, &err) == WP_EINVAL);

  wp_cooling c;
  CHECK(wp_cooling_from_name("water", &c, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "air, rdhx, dlc, immersion");
  wp_gpu g;
  CHECK(wp_gpu_from_name(NULL, &g, &err) == WP_EINVAL);
  wp_redundancy r;
  CHECK(wp_redundancy_from_name("3N", &r, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "N, N+1, 2N, 2N+1");

  wp_pue_point p;
  CHECK(wp_facility_pue_at(WP_COOLING_AIR, WP_REDUNDANCY_N, 60.5, &p, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "60.5");
  wp_reliability rel = WP_RELIABILITY_DEFAULT;
  wp_availability a;
  rel.ups.mtbf_h = 0;
  CHECK(wp_facility_availability(WP_REDUNDANCY_N, &rel, &a, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "ups MTBF 0");
  rel = (wp_reliability)WP_RELIABILITY_DEFAULT;
  rel.cooling_n = 0;
  CHECK(wp_facility_availability(WP_REDUNDANCY_N, &rel, &a, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "cooling 0");
}

/* ---- CLI contract --------------------------------------------------------------------- */

static void test_cli_json(void)
{
  static cli_result r;
  static const char *const keys[] = {"it_mw",       "pue_annual",   "pue_design",
                                     "pue_monthly", "rack_kw",      "racks",
                                     "gpus",        "availability", "downtime_h_per_yr",
                                     "tier_label",  "capex_usd",    "capex_usd_per_it_mw",
                                     "capex_lines", "checklist"};
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 100 --cooling dlc --redundancy N+1 --gpu gb300 "
                           "--json")
                   ->code,
               0);
  cJSON *j = json_of(&r);
  if (!j) return;
  CHECK_EQ_I64(cJSON_GetArraySize(j), (int)(sizeof keys / sizeof keys[0])); /* exactly these */
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    CHECK(cJSON_GetObjectItemCaseSensitive(j, keys[i]) != NULL);
  /* Values equal the library's for the same design. */
  wp_design_spec s = WP_DESIGN_SPEC_DEFAULT;
  wp_facility f;
  wp_capex k;
  CHECK(wp_facility_design(&s, &f, NULL) == WP_OK);
  CHECK(wp_capex_design(&s, &f, NULL, &k, NULL) == WP_OK);
  CHECK_REL(json_num(j, "it_mw"), f.it_mw, 1e-12);
  CHECK_REL(json_num(j, "pue_annual"), f.pue_annual, 1e-12);
  CHECK_REL(json_num(j, "pue_design"), f.pue_design, 1e-12);
  CHECK_REL(json_num(j, "rack_kw"), 132.0, 1e-12);
  CHECK_EQ_I64(json_num(j, "racks"), f.plan.racks);
  CHECK_EQ_I64(json_num(j, "gpus"), f.plan.gpus);
  CHECK_REL(json_num(j, "availability"), f.avail.availability, 1e-12);
  CHECK_REL(json_num(j, "downtime_h_per_yr"), f.avail.downtime_h_per_yr, 1e-9);
  CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "tier_label")), "Tier III");
  CHECK_REL(json_num(j, "capex_usd"), k.capex_usd, 1e-12);
  CHECK_REL(json_num(j, "capex_usd_per_it_mw"), k.capex_usd_per_it_mw, 1e-12);
  const cJSON *months = cJSON_GetObjectItemCaseSensitive(j, "pue_monthly");
  CHECK_EQ_I64(cJSON_GetArraySize(months), 12);
  const cJSON *lines = cJSON_GetObjectItemCaseSensitive(j, "capex_lines");
  CHECK_EQ_I64(cJSON_GetArraySize(lines), (int)k.n_lines);
  double sum = 0;
  const cJSON *it;
  cJSON_ArrayForEach(it, lines)
  {
    CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(it, "name")));
    sum += json_num(it, "usd");
  }
  CHECK_REL(sum, k.capex_usd, 1e-9);
  const cJSON *checks = cJSON_GetObjectItemCaseSensitive(j, "checklist");
  CHECK_EQ_I64(cJSON_GetArraySize(checks), (int)f.n_checklist);
  cJSON_ArrayForEach(it, checks)
  {
    CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(it, "item")));
    CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(it, "status")));
  }
  cJSON_Delete(j);

  /* A user climate and greenfield. */
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 50 --cooling immersion --redundancy 2N --gpu b200 "
                           "--monthly-c \"-10,-9,-5,1,7,13,16,14,9,3,-3,-8\" --design-c 26 "
                           "--greenfield --json")
                   ->code,
               0);
  j = json_of(&r);
  if (!j) return;
  CHECK(json_num(j, "pue_annual") >= 1.07 && json_num(j, "pue_annual") <= 1.15);
  CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "tier_label")), "Tier IV");
  cJSON_Delete(j);
}

static void test_cli_table_and_errors(void)
{
  static cli_result r;
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 100 --cooling dlc --redundancy 2N --gpu gb200")->code,
               0);
  CHECK_CONTAINS(r.out, "temperate (Frankfurt-like normals, judgment), design 32 C");
  CHECK_CONTAINS(r.out, "MW (grid / design PUE)");
  CHECK_CONTAINS(r.out, "h/yr");
  CHECK_CONTAINS(r.out, "total");
  CHECK_EQ_I64(cli_run(&r, "design --help")->code, 0);
  CHECK_CONTAINS(r.out, "--monthly-c");

  /* Refusals: exit 3 with the numbers and what would work. */
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 100 --cooling air --redundancy N+1 --gpu gb300")->code,
               3);
  CHECK_CONTAINS(r.err, "132.0 kW");
  CHECK_CONTAINS(r.err, "30 kW");
  CHECK_CONTAINS(r.err, "dlc (150 kW)");
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 100 --cooling rdhx --redundancy N --gpu gb200")->code,
               3);
  CHECK_CONTAINS(r.err, "120.0 kW");
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 0 --cooling dlc --redundancy N --gpu b200")->code, 3);
  CHECK_CONTAINS(r.err, "--grid-mw");
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 10 --cooling water --redundancy N --gpu b200")->code,
               3);
  CHECK_CONTAINS(r.err, "water");
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 10 --cooling dlc --redundancy 3N --gpu b200")->code,
               3);
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 10 --cooling dlc --redundancy N --gpu a100")->code, 3);
  CHECK_CONTAINS(r.err, "h100, b200, gb200, gb300");
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 10 --cooling dlc --redundancy N --gpu b200 "
                           "--monthly-c \"1,2,x,4,5,6,7,8,9,10,11,12\" --design-c 30")
                   ->code,
               3);
  CHECK_CONTAINS(r.err, "value 3 'x'");
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 10 --cooling dlc --redundancy N --gpu b200 "
                           "--monthly-c \"1,2,3\" --design-c 30")
                   ->code,
               3);
  CHECK_CONTAINS(r.err, "3 values; expected 12");
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 10 --cooling dlc --redundancy N --gpu b200 "
                           "--monthly-c \"1,2,3,4,5,6,7,8,9,10,11,12,13\" --design-c 30")
                   ->code,
               3);
  CHECK_CONTAINS(r.err, "more than 12");
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 10 --cooling dlc --redundancy N --gpu b200 "
                           "--monthly-c \"1,2,3,4,5,6,7,99,9,10,11,12\" --design-c 30")
                   ->code,
               3);
  CHECK_CONTAINS(r.err, "value 8 = 99");
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 10 --cooling dlc --redundancy N --gpu b200 "
                           "--monthly-c \"1,2,3,4,5,6,7,8,9,10,11,35\" --design-c 30")
                   ->code,
               3);
  CHECK_CONTAINS(r.err, "hottest monthly mean 35");
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 10 --cooling dlc --redundancy N --gpu b200 "
                           "--design-c 75")
                   ->code,
               3);
  CHECK_CONTAINS(r.err, "--design-c");
  /* Usage errors: exit 2. */
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 10 --cooling dlc --redundancy N")->code, 2);
  CHECK_CONTAINS(r.err, "required");
  CHECK_EQ_I64(cli_run(&r, "design --grid-mw 10 --cooling dlc --redundancy N --gpu b200 "
                           "--monthly-c \"1,2,3,4,5,6,7,8,9,10,11,12\"")
                   ->code,
               2);
  CHECK_CONTAINS(r.err, "--design-c");
  CHECK_EQ_I64(cli_run(&r, "design --frobnicate")->code, 2);
}

int main(void)
{
  RUN(test_names_round_trip);
  RUN(test_rack_catalog);
  RUN(test_availability_reference);
  RUN(test_availability_rules);
  RUN(test_pue_bands);
  RUN(test_pue_monotonic);
  RUN(test_pue_terms);
  RUN(test_design_default);
  RUN(test_design_refusals);
  RUN(test_cli_json);
  RUN(test_cli_table_and_errors);
  return harness_report();
}
