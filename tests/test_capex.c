/* capex module: calibration bands against the market's published figures, line arithmetic,
** conversion credits, operator-owned IT, the mine, and every refusal. */
#include <stdlib.h>

#include "harness.h"
#include "wattpivot.h"

/* Published calibration bands (docs/sources/ai-datacenter.md §4;
** docs/model/engineering.md "Capex by component"), USD per MW: JLL 2025 $10.7M and Cushman &
** Wakefield 2025 $11.7M per MW of critical IT excluding IT (C&W market range $9.3-15.0M); miner
** conversions $8-11M per IT MW (TeraWulf $8-10M, Cipher $9-11M); a bitcoin mine $0.35-0.40M per
** grid MW (seed article; Sabre56 $0.30-0.35M). */
#define JLL_USD_PER_MW            10.7e6
#define CW_USD_PER_MW             11.7e6
#define CW_MIN_USD_PER_MW         9.3e6
#define CW_MAX_USD_PER_MW         15.0e6
#define CONVERSION_MIN_USD_PER_MW 8.0e6
#define CONVERSION_MAX_USD_PER_MW 11.0e6
#define MINE_MIN_USD_PER_MW       0.35e6
#define MINE_MAX_USD_PER_MW       0.40e6

static wp_capex capex_of(wp_design_spec s, const wp_capex_opts *o, wp_facility *f_out)
{
  wp_facility f;
  wp_capex k;
  memset(&k, 0, sizeof k);
  CHECK(wp_facility_design(&s, &f, NULL) == WP_OK);
  CHECK(wp_capex_design(&s, &f, o, &k, NULL) == WP_OK);
  if (f_out) *f_out = f;
  return k;
}

static double line_usd(const wp_capex *k, const char *prefix)
{
  double sum = 0;
  for (size_t i = 0; i < k->n_lines; i++)
    if (strncmp(k->lines[i].name, prefix, strlen(prefix)) == 0) sum += k->lines[i].usd;
  return sum;
}

static void test_calibration(void)
{
  wp_design_spec s = WP_DESIGN_SPEC_DEFAULT; /* 100 grid MW, dlc, N+1, gb300, temperate */
  wp_capex conv = capex_of(s, NULL, NULL);
  CHECK(conv.capex_usd_per_it_mw >= CONVERSION_MIN_USD_PER_MW &&
        conv.capex_usd_per_it_mw <= CONVERSION_MAX_USD_PER_MW);
  s.greenfield = 1;
  wp_capex green = capex_of(s, NULL, NULL);
  CHECK(green.capex_usd_per_it_mw >= JLL_USD_PER_MW && green.capex_usd_per_it_mw <= CW_USD_PER_MW);
  CHECK(conv.capex_usd < green.capex_usd);
  /* 2N conversion also inside the miners' band; every greenfield variant inside C&W's range. */
  s.greenfield = 0;
  s.redundancy = WP_REDUNDANCY_2N;
  wp_capex conv2n = capex_of(s, NULL, NULL);
  CHECK(conv2n.capex_usd_per_it_mw >= CONVERSION_MIN_USD_PER_MW &&
        conv2n.capex_usd_per_it_mw <= CONVERSION_MAX_USD_PER_MW);
  for (int c = 0; c < WP_COOLING_COUNT; c++)
    for (int r = 0; r < WP_REDUNDANCY_COUNT; r++) {
      wp_design_spec g = WP_DESIGN_SPEC_DEFAULT;
      g.greenfield = 1;
      g.cooling = (wp_cooling)c;
      g.redundancy = (wp_redundancy)r;
      g.gpu = WP_GPU_H100;
      g.servers_per_rack = 2;
      wp_capex k = capex_of(g, NULL, NULL);
      CHECK(k.capex_usd_per_it_mw >= CW_MIN_USD_PER_MW &&
            k.capex_usd_per_it_mw <= CW_MAX_USD_PER_MW);
    }
  /* C&W split: critical power + cooling = 53% of construction; ours within 45-60% of the
  ** hard costs (soft costs and contingency excluded, as C&W excludes them). */
  double critical = line_usd(&green, "electrical") + line_usd(&green, "mechanical");
  double hard = green.capex_usd - line_usd(&green, "soft costs") - line_usd(&green, "contingency");
  CHECK(critical / hard >= 0.45 && critical / hard <= 0.60);
  /* The mine. */
  wp_capex mine;
  CHECK(wp_capex_mining_facility(100.0, NULL, &mine, NULL) == WP_OK);
  CHECK(mine.capex_usd_per_it_mw >= MINE_MIN_USD_PER_MW &&
        mine.capex_usd_per_it_mw <= MINE_MAX_USD_PER_MW);
  /* docs/model/engineering.md "Capex by component": converting costs ~25-30x a mine per MW. */
  double ratio = conv.capex_usd_per_it_mw / mine.capex_usd_per_it_mw;
  CHECK(ratio >= 20.0 && ratio <= 32.0);
}

static void test_lines_add_up(void)
{
  for (int green = 0; green < 2; green++) {
    wp_design_spec s = WP_DESIGN_SPEC_DEFAULT;
    s.greenfield = green;
    wp_facility f;
    wp_capex k = capex_of(s, NULL, &f);
    double sum = 0;
    int credits = 0;
    for (size_t i = 0; i < k.n_lines; i++) {
      sum += k.lines[i].usd;
      CHECK(k.lines[i].name != NULL);
      if (k.lines[i].usd < 0) {
        credits++;
        CHECK(strncmp(k.lines[i].name, "credit:", 7) == 0);
      }
    }
    CHECK_REL(k.capex_usd, sum, 1e-12);
    CHECK_REL(k.capex_usd_per_it_mw, k.capex_usd / f.it_mw, 1e-12);
    CHECK_EQ_I64(credits, green ? 0 : 5);
    CHECK(k.n_lines <= WP_CAPEX_MAX_LINES);
    /* Six standardization lines, one per checklist item. */
    int std_lines = 0;
    for (size_t i = 0; i < k.n_lines; i++)
      if (strncmp(k.lines[i].name, "std: ", 5) == 0) std_lines++;
    CHECK_EQ_I64(std_lines, WP_STD_COUNT);
    /* Contingency = 5% x (hard + soft), soft = 4% x hard without land (greenfield). */
    double soft = line_usd(&k, "soft costs"), cont = line_usd(&k, "contingency");
    double hard = k.capex_usd - soft - cont;
    double land_net = green ? line_usd(&k, "land") : 0.0;
    CHECK_REL(soft, 0.04 * (hard - land_net), 1e-12);
    CHECK_REL(cont, 0.05 * (hard + soft - land_net), 1e-12);
  }
  /* Brownfield credits cancel the substation and land exactly. */
  wp_design_spec s = WP_DESIGN_SPEC_DEFAULT;
  wp_capex k = capex_of(s, NULL, NULL);
  CHECK_REL(line_usd(&k, "credit: existing substation"), -line_usd(&k, "substation"), 1e-15);
  CHECK_REL(line_usd(&k, "credit: existing land"), -line_usd(&k, "land"), 1e-15);
  CHECK_REL(line_usd(&k, "substation"), 0.25e6 * 100.0, 1e-15); /* per grid MW */
  CHECK_REL(line_usd(&k, "ASIC racks out"), 15e3 * 100.0, 1e-15);
}

static void test_design_drives_cost(void)
{
  /* More redundancy costs more. */
  double prev = 0;
  for (int r = 0; r < WP_REDUNDANCY_COUNT; r++) {
    wp_design_spec s = WP_DESIGN_SPEC_DEFAULT;
    s.redundancy = (wp_redundancy)r;
    wp_capex k = capex_of(s, NULL, NULL);
    CHECK(k.capex_usd_per_it_mw > prev);
    prev = k.capex_usd_per_it_mw;
  }
  /* A Nordic climate needs fewer chillers than the temperate default at design. */
  static const double nordic_c[12] = {-10, -9, -5, 1, 7, 13, 16, 14, 9, 3, -3, -8};
  wp_design_spec s = WP_DESIGN_SPEC_DEFAULT;
  wp_capex temperate = capex_of(s, NULL, NULL);
  for (int m = 0; m < 12; m++)
    s.monthly_c[m] = nordic_c[m];
  s.design_c = 26.0;
  wp_facility f;
  wp_capex nordic = capex_of(s, NULL, &f);
  CHECK_REL(line_usd(&nordic, "mechanical: chiller"), 0.6e6 * f.chiller_design_frac * f.it_mw,
            1e-12);
  CHECK(line_usd(&nordic, "mechanical: chiller") / nordic.it_mw <
        line_usd(&temperate, "mechanical: chiller") / temperate.it_mw);
  /* Immersion halves dust filtration (sealed tanks). */
  s = (wp_design_spec)WP_DESIGN_SPEC_DEFAULT;
  s.cooling = WP_COOLING_IMMERSION;
  wp_capex imm = capex_of(s, NULL, NULL);
  CHECK_REL(line_usd(&imm, "std: dust"), 0.5 * 0.06e6 * imm.it_mw, 1e-12);
}

static void test_options(void)
{
  wp_design_spec s = WP_DESIGN_SPEC_DEFAULT;
  wp_capex base = capex_of(s, NULL, NULL);
  wp_capex_opts o = WP_CAPEX_OPTS_DEFAULT;
  o.operator_it = 1;
  o.asic_resale_usd = 12e6;
  wp_capex k = capex_of(s, &o, NULL);
  /* IREN: $5.8B of GPUs and ancillary equipment for 200 MW = $29M per IT MW. */
  CHECK_REL(line_usd(&k, "operator-owned IT"), 29e6 * k.it_mw, 1e-12);
  CHECK_REL(line_usd(&k, "credit: ASIC resale"), -12e6, 1e-15);
  CHECK_REL(k.capex_usd, base.capex_usd + 29e6 * k.it_mw - 12e6, 1e-12);
  CHECK_EQ_I64(k.n_lines, 25); /* every line at once still fits the fixed array */
  /* Greenfield has no ASICs to sell. */
  s.greenfield = 1;
  k = capex_of(s, &o, NULL);
  CHECK_ABS(line_usd(&k, "credit: ASIC resale"), 0.0, 0);
}

static void test_refusals(void)
{
  wp_error err = WP_ERROR_INIT;
  wp_design_spec s = WP_DESIGN_SPEC_DEFAULT;
  wp_facility f;
  wp_capex k;
  CHECK(wp_facility_design(&s, &f, NULL) == WP_OK);
  CHECK(wp_capex_design(NULL, &f, NULL, &k, &err) == WP_EINVAL);
  CHECK(wp_capex_design(&s, NULL, NULL, &k, &err) == WP_EINVAL);
  wp_facility zero = f;
  zero.it_mw = 0;
  CHECK(wp_capex_design(&s, &zero, NULL, &k, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "IT load 0 MW");
  wp_capex_opts o = WP_CAPEX_OPTS_DEFAULT;
  o.shell_usd_per_it_mw = -1;
  CHECK(wp_capex_design(&s, &f, &o, &k, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "shell_usd_per_it_mw -1 is out of range; accepted [0, inf) USD");
  o = (wp_capex_opts)WP_CAPEX_OPTS_DEFAULT;
  o.contingency_share = 1.5;
  CHECK(wp_capex_design(&s, &f, &o, &k, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "contingency_share 1.5 is out of range; accepted [0, 1]");
  o = (wp_capex_opts)WP_CAPEX_OPTS_DEFAULT;
  o.std_usd_per_it_mw[WP_STD_FIRE] = NAN;
  CHECK(wp_capex_design(&s, &f, &o, &k, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "fire detection");
  o = (wp_capex_opts)WP_CAPEX_OPTS_DEFAULT;
  o.electrical_factor[WP_REDUNDANCY_2N] = -0.1;
  CHECK(wp_capex_design(&s, &f, &o, &k, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "electrical_factor[2N]");
  s.redundancy = (wp_redundancy)9;
  CHECK(wp_capex_design(&s, &f, NULL, &k, &err) == WP_EINVAL);
  CHECK(wp_capex_mining_facility(0.0, NULL, &k, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "grid_mw 0");
  CHECK(wp_capex_mining_facility(NAN, NULL, &k, &err) == WP_EINVAL);
  CHECK(wp_capex_mining_facility(10.0, NULL, NULL, &err) == WP_EINVAL);
}

/* Every line carries the kind the finance ledger depreciates it as; the kinds partition the
** total and each kind holds what its name says. */
static void test_line_kinds(void)
{
  wp_design_spec spec = WP_DESIGN_SPEC_DEFAULT;
  wp_facility fac;
  wp_capex k;
  wp_capex_opts o = WP_CAPEX_OPTS_DEFAULT;
  o.operator_it = 1;
  CHECK(wp_facility_design(&spec, &fac, NULL) == WP_OK);
  CHECK(wp_capex_design(&spec, &fac, &o, &k, NULL) == WP_OK);
  double by_kind[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < k.n_lines; i++) {
    const wp_capex_line *l = &k.lines[i];
    CHECK((unsigned)l->kind <= WP_CAPEX_KIND_IT);
    by_kind[l->kind] += l->usd;
    if (strncmp(l->name, "electrical", 10) == 0 || strncmp(l->name, "mechanical", 10) == 0)
      CHECK(l->kind == WP_CAPEX_KIND_MEP);
    if (strcmp(l->name, "shell") == 0) CHECK(l->kind == WP_CAPEX_KIND_SHELL);
    if (strcmp(l->name, "contingency") == 0) CHECK(l->kind == WP_CAPEX_KIND_SOFT);
  }
  CHECK_REL(by_kind[0] + by_kind[1] + by_kind[2] + by_kind[3], k.capex_usd, 1e-12);
  CHECK_REL(by_kind[WP_CAPEX_KIND_IT], o.it_usd_per_it_mw * fac.it_mw, 1e-12);
  /* Power and cooling plant is the largest block (C&W: 53% of hard costs). */
  CHECK(by_kind[WP_CAPEX_KIND_MEP] > by_kind[WP_CAPEX_KIND_SHELL]);
  CHECK(by_kind[WP_CAPEX_KIND_SOFT] > 0);
}

int main(void)
{
  RUN(test_line_kinds);
  RUN(test_calibration);
  RUN(test_lines_add_up);
  RUN(test_design_drives_cost);
  RUN(test_options);
  RUN(test_refusals);
  return harness_report();
}
