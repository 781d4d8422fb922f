/* src/io/yaml: schema binding, file:line:column messages, did-you-mean, range refusals. */
#include <stddef.h>
#include <stdint.h>

#include "harness.h"
#include "io/yaml_int.h"
#include "wattpivot.h"

typedef struct site {
  char name[32];
  double grid_mw;
  int64_t queue_months;
  int ai_ready;
  int cooling;
  wp_ym start;
  double t_c[12];
} site;

static const char *cooling_of(int i)
{
  return wp_cooling_name((wp_cooling)i);
}

static const wp_field fields[] = {
  {"name", WP_F_STR, offsetof(site, name), sizeof(((site *)0)->name), 0, 0, 0, 0, "", "Name.",
   NULL, 0},
  {"grid_mw", WP_F_NUM, offsetof(site, grid_mw), 0, 0, 10000, 1, 0, "MW", "Grid MW.", NULL, 0},
  {"queue_months", WP_F_INT, offsetof(site, queue_months), 0, 0, 240, 0, 0, "months", "Queue.",
   NULL, 0},
  {"ai_ready", WP_F_BOOL, offsetof(site, ai_ready), 0, 0, 0, 0, 0, "", "AI-ready.", NULL, 0},
  {"cooling", WP_F_ENUM, offsetof(site, cooling), 0, 0, 0, 0, 0, "", "Cooling.", cooling_of, WP_COOLING_COUNT},
  {"start", WP_F_YM, offsetof(site, start), 0, 0, 0, 0, 0, "", "Start month.", NULL, 0},
  {"monthly_c", WP_F_NUM12, offsetof(site, t_c), 0, -60, 60, 0, 0, "C", "Temps.", NULL, 0},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

static wp_status bind_text(const char *text, site *s, wp_error *err)
{
  wp_yaml y;
  wp_status st = wp_yaml_load(&y, "site.yaml", NULL, text, err);
  if (st) return st;
  static const char *const sections[] = {"fleet", NULL};
  st = wp_yaml_bind(&y, wp_yaml_root(&y), "sites[0]", fields, NFIELDS, sections, s, NULL, err);
  wp_yaml_release(&y);
  return st;
}

static void test_good_document(void)
{
  site s = {0};
  wp_error err = WP_ERROR_INIT;
  const char *text = "name: Tydal\n"
                     "grid_mw: 175\n"
                     "queue_months: 0\n"
                     "ai_ready: true\n"
                     "cooling: dlc\n"
                     "start: 2026-01\n"
                     "monthly_c: [-6, -5, -2, 3, 8, 12, 14, 13, 9, 4, -1, -4]\n"
                     "fleet: {ignored: 1}\n";
  CHECK(bind_text(text, &s, &err) == WP_OK);
  CHECK_STR(s.name, "Tydal");
  CHECK_REL(s.grid_mw, 175, 0);
  CHECK_EQ_I64(s.ai_ready, 1);
  CHECK_EQ_I64(s.cooling, 2);
  CHECK_EQ_I64(s.start.year, 2026);
  CHECK_EQ_I64(s.start.month, 1);
  CHECK_REL(s.t_c[11], -4, 0);
}

static void test_refusals_name_file_line_column_key(void)
{
  static const struct {
    const char *text;
    const char *says[3];
  } cases[] = {
      {"name: A\ngrid_mv: 10\n", {"site.yaml:2:1:", "sites[0].grid_mv", "did you mean 'grid_mw'"}},
      {"name: A\ngrid_mw: -10\n", {"site.yaml:2:10:", "sites[0].grid_mw", "(0, 10000] MW"}},
      {"grid_mw: ten\n", {"site.yaml:1:10:", "'ten' is not a number", "(0, 10000] MW"}},
      {"queue_months: 2.5\n", {"site.yaml:1:15:", "not a whole number", "[0, 240] months"}},
      {"ai_ready: yes please\n", {"site.yaml:1:11:", "sites[0].ai_ready", "true or false"}},
      {"cooling: water\n", {"site.yaml:1:10:", "'water' is not accepted", "air, rdhx, dlc"}},
      {"start: 2026-13\n", {"site.yaml:1:8:", "sites[0].start", "YYYY-MM"}},
      {"monthly_c: [1, 2, 3]\n", {"site.yaml:1:", "sites[0].monthly_c", "12 numbers"}},
      {"monthly_c: [1,2,3,4,5,6,7,8,9,10,11,99]\n", {"site.yaml:1:", "monthly_c[11]", "[-60, 60]"}},
      {"name: [a, b]\n", {"site.yaml:1:", "sites[0].name", "non-empty text"}},
      {"zzz: 1\n", {"site.yaml:1:1:", "sites[0].zzz", "unknown key"}},
      /* not spelt close, but sharing a word (plural or not) with one key: that key */
      {"months_in_queue: 3\n",
       {"site.yaml:1:1:", "sites[0].months_in_queue", "unknown key; did you mean 'queue_months'?"}},
      {"cooling_kind: dlc\n",
       {"site.yaml:1:1:", "sites[0].cooling_kind", "did you mean 'cooling'?"}},
      {"ready_for_ai: true\n",
       {"site.yaml:1:1:", "sites[0].ready_for_ai", "did you mean 'ai_ready'?"}},
      {"grid_mw: 10\n  bad: [\n", {"site.yaml:", "YAML syntax error", ""}},
      {"- 1\n- 2\n", {"site.yaml:1:", "expected a mapping", ""}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    site s = {0};
    wp_error err = WP_ERROR_INIT;
    CHECK(bind_text(cases[i].text, &s, &err) == WP_EPARSE);
    for (int k = 0; k < 3; k++) CHECK_CONTAINS(err.msg, cases[i].says[k]);
  }
}

static void test_missing_file(void)
{
  wp_yaml y;
  wp_error err = WP_ERROR_INIT;
  CHECK(wp_yaml_load(&y, NULL, "/nonexistent/scenario.yaml", NULL, &err) == WP_EIO);
  CHECK_CONTAINS(err.msg, "/nonexistent/scenario.yaml");
  CHECK_CONTAINS(err.msg, "No such file");
  wp_yaml_release(&y);
}

static void test_edit_distance(void)
{
  CHECK_EQ_I64(wp_edit_distance("grid_mw", "grid_mw"), 0);
  CHECK_EQ_I64(wp_edit_distance("grid_mv", "grid_mw"), 1);
  CHECK_EQ_I64(wp_edit_distance("kitten", "sitting"), 3);
  CHECK_EQ_I64(wp_edit_distance("", "abc"), 3);
  {
    const char *const names[] = {"plan", "risk", "finance", "btc"};
    CHECK_STR(wp_closest_name("pln", names, 4), "plan");
    CHECK_STR(wp_closest_name("finanse", names, 4), "finance");
    CHECK(wp_closest_name("xyz", names, 4) == NULL); /* 3 edits from btc: its whole length */
    CHECK(wp_closest_name("scenario", names, 4) == NULL);
  }
}

int main(void)
{
  RUN(test_good_document);
  RUN(test_refusals_name_file_line_column_key);
  RUN(test_missing_file);
  RUN(test_edit_distance);
  return harness_report();
}
