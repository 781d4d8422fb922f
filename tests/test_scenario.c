/* scenario: the built-in default (= data/default_scenario.yaml, = data/default_sites.csv) and
** every refusal with its file:line:column and key path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>

#include "harness.h"
#include "refdata.h"
#include "wattpivot.h"
#include "wattpivot/scenario.h"
#include "wattpivot/scenario_file.h"
#include "io/scenario_file_int.h"

/* The scenario hash: FNV-1a 64 (published test vectors of the FNV reference code, Fowler, Noll
** and Vo, http://www.isthe.com/chongo/tech/comp/fnv/, test_fnv.c) of the canonical text; the
** same values give the same hash whatever the text looked like; any change moves it. */
static void test_scenario_hash(void)
{
  static const struct {
    const char *in, *hex;
  } vec[] = {{"", "cbf29ce484222325"}, {"a", "af63dc4c8601ec8c"}, {"foobar", "85944171f73967e8"}};
  char hex[WP_SCENARIO_HASH_SIZE];
  for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++) {
    wp_hash_fnv1a64_hex(vec[i].in, strlen(vec[i].in), hex);
    CHECK_STR(hex, vec[i].hex);
  }
  wp_scenario *a = wp_scenario_new(), *b = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  char ha[WP_SCENARIO_HASH_SIZE], hb[WP_SCENARIO_HASH_SIZE], hc[WP_SCENARIO_HASH_SIZE];
  CHECK(wp_scenario_load_default(a, &err) == WP_OK);
  /* the same values from a text with another name, comments stripped and a key moved */
  CHECK(wp_scenario_load_text(b, "other.yaml", wp_scenario_default_text(), &err) == WP_OK);
  snprintf(b->name, sizeof b->name, "a renamed copy");
  CHECK(wp_scenario_hash(a, ha, &err) == WP_OK);
  CHECK(wp_scenario_hash(b, hb, &err) == WP_OK);
  CHECK_STR(ha, hb);
  CHECK_EQ_I64((int64_t)strlen(ha), 16);
  char *text = NULL;
  CHECK(wp_scenario_canonical_text(a, &text, &err) == WP_OK);
  if (CHECK(text != NULL)) {
    wp_hash_fnv1a64_hex(text, strlen(text), hc);
    CHECK_STR(hc, ha);
    CHECK(strstr(text, "\nmarket.btc_price_usd=") != NULL);
    CHECK(strstr(text, "\nsites[0].grid_mw=") != NULL);
    CHECK(strstr(text, "\nsites[0].status=") != NULL);
    CHECK(strstr(text, "scenario.name=") == NULL); /* a label, not a value */
    free(text);
  }
  /* a change moves it; the change undone gives it back; a site's value counts */
  CHECK(wp_scenario_set(b, "market.btc_price_usd=90000", &err) == WP_OK);
  CHECK(wp_scenario_hash(b, hb, &err) == WP_OK);
  CHECK(strcmp(ha, hb) != 0);
  char back[64];
  snprintf(back, sizeof back, "market.btc_price_usd=%.17g", a->market.btc_price_usd);
  CHECK(wp_scenario_set(b, back, &err) == WP_OK);
  CHECK(wp_scenario_hash(b, hb, &err) == WP_OK);
  CHECK_STR(ha, hb);
  CHECK(wp_scenario_set(b, "sites[0].grid_mw=123", &err) == WP_OK);
  CHECK(wp_scenario_hash(b, hb, &err) == WP_OK);
  CHECK(strcmp(ha, hb) != 0);
  CHECK(wp_scenario_hash(NULL, hb, NULL) == WP_EINVAL);
  wp_scenario_free(a);
  wp_scenario_free(b);
}

static void test_default_is_the_data_file(void)
{
  char *text = ref_read_file(WP_SOURCE_DIR "/data/default_scenario.yaml");
  if (!CHECK(text != NULL)) return;
  CHECK(strcmp(text, wp_scenario_default_text()) == 0);
  free(text);
  wp_scenario *a = wp_scenario_new(), *b = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_scenario_load_default(a, &err) == WP_OK);
  CHECK(wp_scenario_load_file(b, WP_SOURCE_DIR "/data/default_scenario.yaml", &err) == WP_OK);
  CHECK_EQ_I64(a->nsites, b->nsites);
  CHECK(memcmp(a->sites, b->sites, sizeof a->sites) == 0);
  CHECK_STR(a->source, "built-in default");
  wp_scenario_free(a);
  wp_scenario_free(b);
}

/* The YAML sites agree with the site table they were written from (data/default_sites.csv). */
static void test_default_sites_match_csv(void)
{
  wp_scenario *sc = wp_scenario_new();
  CHECK(wp_scenario_load_default(sc, NULL) == WP_OK);
  FILE *f = fopen(WP_SOURCE_DIR "/data/default_sites.csv", "r");
  if (!CHECK(f != NULL)) {
    wp_scenario_free(sc);
    return;
  }
  char line[2048], *fld[40];
  int k = 0;
  double total = 0;
  fgets(line, sizeof line, f); /* header */
  while (fgets(line, sizeof line, f)) {
    int n = 0;
    char *p = line;
    fld[n++] = p;
    while ((p = strchr(p, ',')) != NULL && n < 40) *p++ = '\0', fld[n++] = p;
    if (n < 29) continue;
    long i = wp_scenario_site_index(sc, fld[0]);
    if (!CHECK(i >= 0)) continue;
    const wp_site *s = &sc->sites[i];
    CHECK_STR(s->country, fld[1]);
    CHECK_REL(s->grid_mw, strtod(fld[4], NULL), 0);
    CHECK_REL(s->power_usd_per_mwh, strtod(fld[7], NULL), 0);
    CHECK_EQ_I64(s->ai_ready, strcmp(fld[9], "true") == 0);
    CHECK_REL(s->fleet_eff_j_per_th, strtod(fld[11], NULL), 0);
    for (int m = 0; m < 12; m++) CHECK_REL(s->monthly_c[m], strtod(fld[13 + m], NULL), 0);
    CHECK_REL(s->design_c, strtod(fld[25], NULL), 0);
    total += s->grid_mw;
    k++;
  }
  fclose(f);
  CHECK_EQ_I64(k, 14);
  CHECK_EQ_I64(sc->nsites, 14);
  CHECK_REL(total, 3038.0, 0); /* ~3 GW in five countries */
  double rate = 0;
  CHECK(wp_scenario_tax_rate(sc, "Norway", &rate, NULL) == WP_OK);
  CHECK_REL(rate, 0.22, 0);
  wp_scenario_free(sc);
}

static const char *base = "scenario: {name: t, start: 2026-01, horizon_months: 60}\n"
                          "countries:\n  - {name: Norway, tax_rate: 0.22}\n"
                          "sites:\n  - {name: A, country: Norway, grid_mw: 10}\n";

static void test_minimal_file_takes_defaults(void)
{
  wp_scenario *sc = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_scenario_load_text(sc, "mini.yaml", base, &err) == WP_OK);
  CHECK_EQ_I64(sc->horizon_months, 60);
  CHECK_EQ_I64(sc->nsites, 1);
  CHECK_REL(sc->sites[0].mining_pue, 1.05, 0);
  CHECK_REL(sc->market.difficulty, 153.33e12, 0);
  wp_scenario_free(sc);
}

/* market.preset: its values first, then the section's own keys over them, in either order;
** --set market.preset applies it over the values in force. */
static void test_market_preset(void)
{
  static const char *const orders[] = {"market: {preset: bull, marginal_power_usd_per_mwh: 65}\n",
                                       "market: {marginal_power_usd_per_mwh: 65, preset: bull}\n"};
  for (int k = 0; k < 2; k++) {
    wp_scenario *sc = wp_scenario_new();
    wp_error err = WP_ERROR_INIT;
    char text[1024];
    snprintf(text, sizeof text, "%s%s", base, orders[k]);
    if (CHECK(wp_scenario_load_text(sc, "p.yaml", text, &err) == WP_OK)) {
      CHECK(sc->market.preset == WP_MARKET_PRESET_BULL);
      CHECK_REL(sc->market.btc_price_growth_per_yr, 0.20, 0);  /* from the preset */
      CHECK_REL(sc->market.marginal_power_usd_per_mwh, 65, 0); /* the explicit key wins */
      CHECK_REL(sc->market.difficulty, 153.33e12, 0);          /* untouched */
    }
    wp_scenario_free(sc);
  }
  wp_scenario *sc = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  if (CHECK(wp_scenario_load_text(sc, "p.yaml", base, &err) == WP_OK)) {
    CHECK(sc->market.difficulty_model == WP_DIFFICULTY_EQUILIBRIUM);
    CHECK(wp_scenario_set(sc, "market.preset=bear", &err) == WP_OK);
    CHECK_REL(sc->market.btc_price_growth_per_yr, -0.10, 0);
    CHECK_REL(sc->market.marginal_power_usd_per_mwh, 50, 0);
    CHECK(wp_scenario_set(sc, "market.marginal_power_usd_per_mwh=55", &err) == WP_OK);
    CHECK_REL(sc->market.marginal_power_usd_per_mwh, 55, 0);
    CHECK(wp_scenario_set(sc, "market.difficulty_model=exogenous", &err) == WP_OK);
    CHECK(sc->market.difficulty_model == WP_DIFFICULTY_EXOGENOUS);
    CHECK(wp_scenario_set(sc, "market.preset=wild", &err) != WP_OK);
    CHECK_CONTAINS(err.msg, "bear, base, bull");
  }
  wp_scenario_free(sc);
  sc = wp_scenario_new();
  char text[1024];
  snprintf(text, sizeof text, "%smarket: {deploy_lag_months: 40}\n", base);
  CHECK(wp_scenario_load_text(sc, "p.yaml", text, &err) != WP_OK);
  CHECK_CONTAINS(err.msg, "p.yaml:6");
  CHECK_CONTAINS(err.msg, "deploy_lag_months");
  CHECK_CONTAINS(err.msg, "[0, 36]");
  wp_scenario_free(sc);
}

static void test_refusals(void)
{
  static const struct {
    const char *text;
    const char *says[3];
  } cases[] = {
      {"scenaro: {name: x}\n", {"t.yaml:1:1:", "scenaro", "did you mean 'scenario'"}},
      {"market: {difficulty: -1}\n", {"t.yaml:1:22:", "market.difficulty", "[1, 1e+20]"}},
      {"sites:\n  - {name: A, country: Norway, grid_mw: 10, ai_ready: maybe}\n",
       {"t.yaml:2:", "sites[0].ai_ready", "true or false"}},
      {"sites:\n  - {name: A, country: Norway}\n",
       {"t.yaml:2:", "sites[0]", "'grid_mw' is required"}},
      {"sites:\n  - {country: Norway, grid_mw: 5}\n",
       {"t.yaml:2:", "sites[0]", "'name' is required"}},
      {"sites:\n  - {name: A, country: Narnia, grid_mw: 5}\n",
       {"t.yaml", "sites[0].country", "Narnia"}},
      {"sites:\n  - {name: A, country: Norway, grid_mw: 5}\n  - {name: A, country: Norway, "
       "grid_mw: 5}\n",
       {"t.yaml", "sites[1].name", "used twice"}},
      {"sites:\n  - {name: A, country: Norway, grid_mw: 5, monthly_c: [1,2,3]}\n",
       {"t.yaml:2:", "sites[0].monthly_c", "12 numbers"}},
      {"sites:\n  - {name: A, country: Norway, grid_mw: 5, design_c: 5, monthly_c: "
       "[1,2,3,4,5,6,7,8,9,10,11,12]}\n",
       {"t.yaml:2:", "design_c 5 is below", "hottest"}},
      {"custom:\n  - {site: Nowhere, business: colo}\n", {"t.yaml", "custom[0].site", "Nowhere"}},
      {"sites:\n  - {name: A, country: Norway, grid_mw: 5, ai_ready: false}\ncustom:\n  - {site: "
       "A, business: colo}\n",
       {"t.yaml", "custom[0]", "not AI-ready"}},
      {"conversion: {cooling: water}\n", {"t.yaml:1:23:", "conversion.cooling", "air, rdhx, dlc"}},
      {"strategy: {max_concurrent_projects: 0}\n",
       {"t.yaml:1:37:", "strategy.max_concurrent_projects", "[1, 1000]"}},
      {"strategy: {crew_per: site}\n", {"t.yaml:1:22:", "strategy.crew_per", "tranche, build"}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    /* A valid remainder follows each case, so only the case's own error can fire and its
       line numbers stay as written. */
    char text[1024];
    int has_sites = strncmp(cases[i].text, "sites:", 6) == 0;
    snprintf(text, sizeof text, "%scountries:\n  - {name: Norway, tax_rate: 0.22}\n%s",
             cases[i].text, has_sites ? "" : "sites:\n  - {name: A, country: Norway, grid_mw: 10}\n");
    wp_scenario *sc = wp_scenario_new();
    wp_error err = WP_ERROR_INIT;
    wp_status st = wp_scenario_load_text(sc, "t.yaml", text, &err);
    CHECK(st == WP_EPARSE || st == WP_EINVAL);
    for (int k = 0; k < 3; k++) CHECK_CONTAINS(err.msg, cases[i].says[k]);
    wp_scenario_free(sc);
  }
}

static void test_missing_file(void)
{
  wp_scenario *sc = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_scenario_load_file(sc, "/nonexistent/plan.yaml", &err) == WP_EIO);
  CHECK_CONTAINS(err.msg, "/nonexistent/plan.yaml");
  wp_scenario_free(sc);
}

/* The bytes of field f of the section sec in sc. */
static const void *field_at(const wp_scenario *sc, const wp_scenario_section *sec,
                            const wp_field *f)
{
  return (const char *)sc + sec->offset + f->offset;
}

static size_t field_size(const wp_field *f)
{
  switch (f->kind) {
  case WP_F_NUM: return sizeof(double);
  case WP_F_INT: return sizeof(int64_t);
  case WP_F_BOOL:
  case WP_F_ENUM: return sizeof(int);
  case WP_F_STR: return f->size;
  case WP_F_YM: return sizeof(wp_ym);
  case WP_F_NUM12: return 12 * sizeof(double);
  case WP_F_NUMS: return sizeof(size_t) + f->size * sizeof(double);
  case WP_F_ENUMSET: return sizeof(unsigned);
  }
  return 0;
}

/* The library's defaults are the built-in default file's values, key by key (one source of
** truth: a file that leaves a key out gets what the default file says), and its countries. */
static void test_library_defaults_are_the_default_file(void)
{
  wp_scenario *lib = wp_scenario_new(), *file = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_scenario_load_default(file, &err) == WP_OK)) return;
  size_t nsec = 0, nkeys = 0;
  const wp_scenario_section *sec = wp_scenario_sections(&nsec);
  for (size_t k = 0; k < nsec; k++)
    for (size_t j = 0; j < sec[k].nfields; j++) {
      const wp_field *f = &sec[k].fields[j];
      if (strcmp(sec[k].key, "scenario") == 0 && strcmp(f->key, "name") == 0) continue;
      char what[128];
      snprintf(what, sizeof what, "%s.%s: the library default equals the default file's",
               sec[k].key, f->key);
      nkeys++;
      if (f->kind == WP_F_STR)
        harness_check(strcmp(field_at(lib, &sec[k], f), field_at(file, &sec[k], f)) == 0,
                      __FILE__, __LINE__, what);
      else
        harness_check(memcmp(field_at(lib, &sec[k], f), field_at(file, &sec[k], f),
                             field_size(f)) == 0,
                      __FILE__, __LINE__, what);
    }
  CHECK(nkeys > 100);
  CHECK_EQ_I64(lib->ncountries, file->ncountries);
  for (size_t i = 0; i < lib->ncountries && i < file->ncountries; i++) {
    CHECK_STR(lib->countries[i].name, file->countries[i].name);
    CHECK_REL(lib->countries[i].tax_rate, file->countries[i].tax_rate, 0);
  }
  CHECK_EQ_I64(lib->nsites, 0);
  CHECK_EQ_I64(lib->nregions, 0);
  CHECK_EQ_I64(lib->ncustom, 0);
  wp_scenario_free(lib);
  wp_scenario_free(file);
}

/* Every value the file schema accepts for a key on its own, the model accepts too (validate and
** plan never disagree on one key): each numeric key of the default scenario set to each end of
** its accepted range (just inside an open end) must pass the whole scenario check. Keys whose
** model range depends on another key are listed with the rule that ties them. */
static void test_schema_ranges_agree_with_the_model(void)
{
  static const char *const cross[] = {
      "finance.convertible_issue_month",    /* < horizon_months */
      "finance.convertible_maturity_month", /* > convertible_issue_month */
      "sites.ppa_mw",                       /* <= the site's grid_mw */
      "sites.design_c",                     /* >= every monthly mean */
  };
  wp_scenario *def = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  if (!CHECK(wp_scenario_load_default(def, &err) == WP_OK)) return;
  def->ncustom = 0; /* custom pathways tie their months to the horizon */
  size_t nsec = 0, nlists = 0, tried = 0;
  const wp_scenario_section *maps = wp_scenario_sections(&nsec), *lists = wp_scenario_lists(&nlists);
  /* The mapping sections, then a site's keys (on the first site; a site_row's first member is
     the wp_site, so its offsets are the wp_site's). */
  wp_scenario_section all[16];
  memcpy(all, maps, nsec * sizeof *maps);
  for (size_t k = 0; k < nlists; k++)
    if (!strcmp(lists[k].key, "sites")) {
      all[nsec] = lists[k];
      all[nsec++].offset = offsetof(wp_scenario, sites);
    }
  const wp_scenario_section *sec = all;
  wp_scenario *sc = wp_scenario_new();
  for (size_t k = 0; k < nsec; k++)
    for (size_t j = 0; j < sec[k].nfields; j++) {
      const wp_field *f = &sec[k].fields[j];
      if (f->kind != WP_F_NUM && f->kind != WP_F_INT) continue;
      char name[128];
      snprintf(name, sizeof name, "%s.%s", sec[k].key, f->key);
      int exempt = 0;
      for (size_t c = 0; c < sizeof cross / sizeof cross[0]; c++) exempt |= !strcmp(name, cross[c]);
      if (exempt) continue;
      for (int end = 0; end < 2; end++) {
        double b = end ? f->max : f->min;
        if (!isfinite(b)) continue;
        const int open = end ? f->max_open : f->min_open;
        double span = isfinite(f->max - f->min) ? f->max - f->min : 1.0;
        double v = open ? b + (end ? -1 : 1) * 1e-6 * span : b;
        if (f->kind == WP_F_INT) v = open ? (end ? b - 1 : b + 1) : b;
        memcpy(sc, def, sizeof *sc);
        char *at = (char *)sc + sec[k].offset + f->offset;
        if (f->kind == WP_F_NUM) {
          memcpy(at, &v, sizeof v);
        } else {
          int64_t iv = (int64_t)v;
          memcpy(at, &iv, sizeof iv);
        }
        if (!strcmp(sec[k].key, "risk") && !strncmp(f->key, "corr_", 5)) continue; /* the matrix
                                                         must stay positive definite: below */
        wp_error e = WP_ERROR_INIT;
        char what[400];
        int ok = wp_scenario_check(sc, &e) == WP_OK;
        snprintf(what, sizeof what, "%s = %g (the schema's %s end) passes the model: %.200s", name,
                 v, end ? "upper" : "lower", e.msg);
        harness_check(ok, __FILE__, __LINE__, what);
        tried++;
      }
    }
  CHECK(tried > 160);
  wp_scenario_free(sc);
  wp_scenario_free(def);
}

/* The default text without the top-level section key (its lines up to the next top-level key). */
static char *without_section(const char *text, const char *key)
{
  char head[64];
  snprintf(head, sizeof head, "\n%s:", key);
  const char *a = strstr(text, head);
  if (!a) return NULL;
  a++;
  const char *b = strchr(a, '\n');
  while (b && b[1] && (b[1] == ' ' || b[1] == '#' || b[1] == '\n' || b[1] == '-'))
    b = strchr(b + 1, '\n');
  size_t n = strlen(text);
  char *out = malloc(n + 1);
  if (!out) return NULL;
  size_t la = (size_t)(a - text), lb = b ? (size_t)(b + 1 - text) : n;
  memcpy(out, text, la);
  memcpy(out + la, text + lb, n - lb + 1);
  return out;
}

/* A scenario with a whole section deleted plans as the default: "the default minus nothing".
** Its resolved values hash as the default's (every value, the optimizer's settings and limits
** included), and its fixed strategies plan the same bits (this test also runs under valgrind,
** where an optimized plan takes minutes; the same values give the same optimized plan:
** test_plan_cli). */
#define FIXED (WP_STRATEGY_BIT(WP_STRATEGY_MINING_ONLY) | WP_STRATEGY_BIT(WP_STRATEGY_CUSTOM))
static void test_deleted_section_plans_as_the_default(void)
{
  static const char *const keys[] = {"market", "finance", "conversion", "strategy",
                                     "mining", "corporate", "risk", "countries"};
  wp_error err = WP_ERROR_INIT;
  wp_scenario *def = wp_scenario_new();
  wp_plan_out *want = NULL;
  if (!CHECK(wp_scenario_load_default(def, &err) == WP_OK) ||
      !CHECK(wp_plan_run(def, FIXED, &want, &err) == WP_OK))
    return;
  char hash_def[WP_SCENARIO_HASH_SIZE] = "";
  CHECK(wp_scenario_hash(def, hash_def, &err) == WP_OK);
  for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
    char *text = without_section(wp_scenario_default_text(), keys[k]);
    if (!CHECK(text != NULL)) continue;
    CHECK(strstr(text, "\nsites:") != NULL);
    wp_scenario *sc = wp_scenario_new();
    wp_plan_out *got = NULL;
    char hash[WP_SCENARIO_HASH_SIZE] = "";
    if (CHECK(wp_scenario_load_text(sc, keys[k], text, &err) == WP_OK) &&
        CHECK(wp_scenario_hash(sc, hash, &err) == WP_OK))
      harness_check(strcmp(hash, hash_def) == 0, __FILE__, __LINE__, keys[k]);
    if (CHECK(wp_plan_run(sc, FIXED, &got, &err) == WP_OK)) {
      for (size_t s = 0; s < want->nstrategies; s++)
        harness_check(memcmp(&got->strategies[s].npv_usd, &want->strategies[s].npv_usd,
                             sizeof(double)) == 0,
                      __FILE__, __LINE__, keys[k]);
    }
    wp_plan_out_free(got);
    wp_scenario_free(sc);
    free(text);
  }
  wp_plan_out_free(want);
  wp_scenario_free(def);
}

/* docs/scenario.md states each numeric key's accepted range as the schema does (one source: the
** schema table; the doc is held against it). */
static void test_documented_ranges_are_the_schema(void)
{
  char *doc = ref_read_file(WP_SOURCE_DIR "/docs/scenario.md");
  if (!CHECK(doc != NULL)) return;
  for (int lists = 0; lists < 2; lists++) {
  size_t nsec = 0;
  const wp_scenario_section *sec = lists ? wp_scenario_lists(&nsec) : wp_scenario_sections(&nsec);
  for (size_t k = 0; k < nsec; k++)
    for (size_t j = 0; j < sec[k].nfields; j++) {
      const wp_field *f = &sec[k].fields[j];
      if (f->kind != WP_F_NUM && f->kind != WP_F_INT) continue;
      if (!strncmp(f->key, "corr_", 5)) continue; /* one row for the matrix: [-1, 1] */
      char key[96], range[128];
      snprintf(key, sizeof key, "`%s`", f->key);
      const wp_range r = {f->min, f->max, f->min_open, f->max_open, NULL};
      wp_range_format(range, sizeof range, &r);
      /* A table row ("| `key` ...") of the section that holds the range. */
      char head[128];
      snprintf(head, sizeof head, "\n## %s", sec[k].key);
      const char *from = strstr(doc, head);
      int found = 0;
      for (const char *row = from ? strstr(from, key) : NULL; row && !found;
           row = strstr(row + 1, key)) {
        const char *bol = row;
        while (bol > doc && bol[-1] != '\n') bol--;
        const char *eol = strchr(row, '\n');
        char line[1024];
        snprintf(line, sizeof line, "%.*s", eol ? (int)(eol - bol) : 1000, bol);
        found = line[0] == '|' && strstr(line, range) != NULL;
      }
      char what[400];
      snprintf(what, sizeof what, "docs/scenario.md, section %s: a row of `%s` says %s",
               sec[k].key, f->key, range);
      harness_check(found, __FILE__, __LINE__, what);
    }
  }
  free(doc);
}

/* Every key the default file uses is documented in docs/scenario.md. */
static void test_every_key_is_documented(void)
{
  char *doc = ref_read_file(WP_SOURCE_DIR "/docs/scenario.md");
  if (!CHECK(doc != NULL)) return;
  const char *p = wp_scenario_default_text();
  int keys = 0;
  while (*p) {
    const char *eol = strchr(p, '\n');
    size_t len = eol ? (size_t)(eol - p) : strlen(p);
    char line[512];
    if (len >= sizeof line) len = sizeof line - 1;
    memcpy(line, p, len);
    line[len] = '\0';
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    for (char *q = line; *q; q++) {
      if (!((*q >= 'a' && *q <= 'z') || *q == '_')) continue;
      if (q > line && ((q[-1] >= 'a' && q[-1] <= 'z') || q[-1] == '_' || q[-1] == '-' ||
                       (q[-1] >= '0' && q[-1] <= '9') || (q[-1] >= 'A' && q[-1] <= 'Z')))
        continue;
      size_t n = strspn(q, "abcdefghijklmnopqrstuvwxyz_");
      if (q[n] == ':' && (q[n + 1] == ' ' || q[n + 1] == '\0')) {
        char key[96];
        snprintf(key, sizeof key, "`%.*s`", (int)n, q);
        char sect[96];
        snprintf(sect, sizeof sect, "## %.*s", (int)n, q);
        if (!strstr(doc, sect)) CHECK_CONTAINS(doc, key); /* names the missing key */
        keys++;
      }
      q += n - 1;
    }
    p += eol ? (size_t)(eol - p) + 1 : strlen(p);
  }
  CHECK(keys > 100);
  free(doc);
}

/* scenario show --resolved (wp_scenario_values): every key once, each with the origin of its
** value: the file's line, --set, the preset, or the default. */
static const char *origin_of(const wp_scenario_value *v, size_t n, const char *key,
                             const char **value)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(v[i].key, key) == 0) {
      if (value) *value = v[i].value;
      return v[i].origin;
    }
  return "(missing)";
}

static void test_values_and_origins(void)
{
  static const char text[] =
      "market:\n"
      "  preset: bull\n"
      "  fees_btc_per_block: 0.03\n"
      "countries:\n"
      "  - {name: United States, tax_rate: 0.21}\n"
      "sites:\n"
      "  - name: A\n"
      "    country: United States\n"
      "    region: US\n"
      "    grid_mw: 10\n"
      "    power_usd_per_mwh: 40\n"
      "    monthly_c: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]\n"
      "    design_c: 30\n"
      "    fleet_eff_j_per_th: 20\n";
  wp_scenario *sc = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  const char *sets[] = {"market.btc_price_usd = 80000", "sites[A].power_usd_per_mwh=45"};
  if (!CHECK(wp_scenario_load_text(sc, "t.yaml", text, &err) == WP_OK)) goto done;
  for (size_t i = 0; i < 2; i++) CHECK(wp_scenario_set(sc, sets[i], &err) == WP_OK);
  wp_scenario_value *v = NULL;
  size_t n = 0;
  if (!CHECK(wp_scenario_values(sc, "t.yaml", text, sets, 2, &v, &n, &err) == WP_OK)) goto done;
  const char *val = NULL;
  CHECK_STR(origin_of(v, n, "market.btc_price_usd", &val), "--set");
  CHECK_STR(val, "80000");
  CHECK_STR(origin_of(v, n, "market.preset", &val), "t.yaml:2");
  CHECK_STR(val, "bull");
  CHECK_STR(origin_of(v, n, "market.fees_btc_per_block", &val), "t.yaml:3");
  CHECK_STR(val, "0.03");
  CHECK_STR(origin_of(v, n, "market.btc_price_growth_per_yr", &val), "preset bull");
  CHECK_STR(val, "0.2");
  CHECK_STR(origin_of(v, n, "finance.debt_rate", &val), "default");
  CHECK_STR(val, "0.085");
  CHECK_STR(origin_of(v, n, "sites[A].grid_mw", &val), "t.yaml:10");
  CHECK_STR(val, "10");
  CHECK_STR(origin_of(v, n, "sites[A].power_usd_per_mwh", &val), "--set");
  CHECK_STR(val, "45");
  CHECK_STR(origin_of(v, n, "sites[A].mining_pue", NULL), "default");
  CHECK_STR(origin_of(v, n, "countries[United States].tax_rate", NULL), "t.yaml:5");
  /* Every key of every section once, and every field of every item. */
  size_t ns = 0, nl = 0, want = 0;
  const wp_scenario_section *sec = wp_scenario_sections(&ns), *lists = wp_scenario_lists(&nl);
  for (size_t i = 0; i < ns; i++) want += sec[i].nfields;
  for (size_t i = 0; i < nl; i++) {
    size_t items = strcmp(lists[i].key, "countries") == 0 ? sc->ncountries
                   : strcmp(lists[i].key, "regions") == 0 ? sc->nregions
                   : strcmp(lists[i].key, "sites") == 0   ? sc->nsites
                                                          : sc->ncustom;
    want += items * lists[i].nfields;
  }
  CHECK_EQ_I64(n, want);
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++) CHECK(strcmp(v[i].key, v[j].key) != 0);
  free(v);
  /* A preset set on the command line wins over the file's explicit key, and says so. */
  const char *bear[] = {"market.preset=bear"};
  CHECK(wp_scenario_set(sc, bear[0], &err) == WP_OK);
  if (CHECK(wp_scenario_values(sc, "t.yaml", text, bear, 1, &v, &n, &err) == WP_OK)) {
    CHECK_STR(origin_of(v, n, "market.btc_price_growth_per_yr", &val), "--set market.preset=bear");
    CHECK_STR(val, "-0.1");
    free(v);
  }
  CHECK(wp_scenario_values(NULL, "t.yaml", text, NULL, 0, &v, &n, &err) == WP_EINVAL);
  /* A key of 0.1 renamed in 0.2 names its successor and what its values were. */
  wp_scenario *old = wp_scenario_new();
  CHECK(wp_scenario_load_text(old, "old.yaml", "conversion:\n  colo_triple_net: true\n", &err) ==
        WP_EINVAL);
  CHECK_CONTAINS(err.msg, "old.yaml:2:");
  CHECK_CONTAINS(err.msg, "colo_lease_basis");
  CHECK_CONTAINS(err.msg, "true was modified-gross");
  wp_scenario_free(old);
done:
  wp_scenario_free(sc);
}

/* scenario generate (wp_scenario_generate): a valid scenario of n sites around the default's,
** the same bytes for the same (n, seed), site i independent of n, sizes in range, the regions'
** demand scaled with the portfolio. */
static void test_generate(void)
{
  char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
  wp_error err = WP_ERROR_INIT;
  wp_scenario *sc = wp_scenario_new(), *def = wp_scenario_new();
  if (!CHECK(wp_scenario_generate(30, 7, &a, &err) == WP_OK) ||
      !CHECK(wp_scenario_generate(30, 7, &b, &err) == WP_OK) ||
      !CHECK(wp_scenario_generate(30, 8, &c, &err) == WP_OK) ||
      !CHECK(wp_scenario_generate(10, 7, &d, &err) == WP_OK))
    goto done;
  CHECK_STR(a, b);
  CHECK(strcmp(a, c) != 0);
  /* the first 10 sites of 30 are the 10 sites of 10 */
  const char *sa = strstr(a, "\nsites:"), *sd = strstr(d, "\nsites:");
  if (CHECK(sa && sd)) CHECK(strncmp(sa, sd, strlen(sd)) == 0);
  if (!CHECK(wp_scenario_load_text(sc, "gen", a, &err) == WP_OK)) {
    fprintf(stderr, "%s\n", err.msg);
    goto done;
  }
  CHECK(wp_scenario_load_default(def, &err) == WP_OK);
  CHECK_EQ_I64(sc->nsites, 30);
  CHECK_EQ_I64(sc->ncustom, 0);
  CHECK_STR(sc->name, "Generated portfolio, 30 sites (seed 7)");
  CHECK(strncmp(sc->sites[0].name, "G001 ", 5) == 0);
  double grid = 0, grid_def = 0;
  for (size_t i = 0; i < sc->nsites; i++) {
    CHECK(sc->sites[i].grid_mw >= 5.0 && sc->sites[i].grid_mw <= 2000.0);
    grid += sc->sites[i].grid_mw;
  }
  for (size_t i = 0; i < def->nsites; i++) grid_def += def->sites[i].grid_mw;
  /* the sections are the default's: the market and finance the same */
  CHECK(memcmp(&sc->market, &def->market, sizeof sc->market) == 0);
  CHECK_REL(sc->finance.hurdle_rate, def->finance.hurdle_rate, 0);
  CHECK_EQ_I64(sc->nregions, def->nregions);
  for (size_t r = 0; r < sc->nregions && r < def->nregions; r++)
    CHECK_ABS(sc->regions[r].ai_it_mw_max, def->regions[r].ai_it_mw_max * grid / grid_def, 0.5);
  free(a);
  a = NULL;
  CHECK(wp_scenario_generate(0, 1, &a, &err) == WP_EINVAL);
  CHECK_CONTAINS(err.msg, "out of range [1, 256]");
  CHECK(wp_scenario_generate(WP_SCENARIO_MAX_SITES + 1, 1, &a, &err) == WP_EINVAL);
  CHECK(a == NULL);
  CHECK(wp_scenario_generate(WP_SCENARIO_MAX_SITES, 1, &a, &err) == WP_OK);
done:
  free(a);
  free(b);
  free(c);
  free(d);
  wp_scenario_free(sc);
  wp_scenario_free(def);
}

int main(void)
{
  RUN(test_every_key_is_documented);
  wp_init();
  RUN(test_default_is_the_data_file);
  RUN(test_library_defaults_are_the_default_file);
  RUN(test_deleted_section_plans_as_the_default);
  RUN(test_schema_ranges_agree_with_the_model);
  RUN(test_documented_ranges_are_the_schema);
  RUN(test_default_sites_match_csv);
  RUN(test_minimal_file_takes_defaults);
  RUN(test_scenario_hash);
  RUN(test_refusals);
  RUN(test_market_preset);
  RUN(test_values_and_origins);
  RUN(test_generate);
  RUN(test_missing_file);
  return harness_report();
}
