/* Fuzz target: the user time series CSVs (market_file, power_file, sites_file), each parsed from
** the same bytes through the one CSV reader; a market series is applied to a path. */
#include "fuzz.h"
#include "io/market_file_int.h"
#include "io/scenario_file_int.h"
#include "wattpivot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *text = (const char *)data;
  wp_error err = WP_ERROR_INIT;
  wp_market_series s = WP_MARKET_SERIES_INIT;
  if (wp_market_file_parse(text, size, "fuzz.csv", WP_MARKET_FILE_ALL, &s, &err) == WP_OK) {
    wp_market_path p = WP_MARKET_PATH_INIT;
    wp_market_assumptions a = WP_MARKET_ASSUMPTIONS_DEFAULT;
    if (wp_market_path_init(&p, 24, &err) == WP_OK &&
        wp_market_path_fill_deterministic(&p, (wp_ym){2026, 1}, &a, &err) == WP_OK)
      (void)wp_market_path_apply_series(&p, &s, NULL, &err);
    wp_market_path_release(&p);
  }
  wp_market_series_release(&s);
  (void)wp_market_file_parse(text, size, "fuzz.csv", WP_MARKET_FILE_POWER_ONLY, &s, &err);
  wp_market_series_release(&s);
  wp_scenario *sc = wp_scenario_new();
  char(*pf)[256] = calloc(WP_SCENARIO_MAX_SITES, sizeof *pf);
  if (sc && pf) (void)wp_scenario_sites_csv_parse(sc, text, size, "fuzz.csv", pf, NULL, &err);
  free(pf);
  wp_scenario_free(sc);
  return 0;
}
