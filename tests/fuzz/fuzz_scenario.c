/* Fuzz target: a scenario file, loaded as `wattpivot plan` does (first error) and validated as
** `wattpivot scenario validate` does (every error in one pass); both agree on validity. */
#include "fuzz.h"
#include "wattpivot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static int ready;
  if (!ready) {
    wp_init();
    ready = 1;
  }
  char *text = fuzz_text(data, size);
  wp_scenario *sc = wp_scenario_new();
  if (text && sc) {
    wp_error err = WP_ERROR_INIT;
    wp_status st = wp_scenario_load_text(sc, "fuzz.yaml", text, &err);
    wp_error errs[8];
    size_t n = 0;
    wp_status all = wp_scenario_validate(NULL, text, "fuzz.yaml", errs, 8, &n);
    /* The same verdict, and the first error the same: one pass misses nothing, adds nothing. */
    if ((st == WP_OK) != (all == WP_OK) || (st != WP_OK) != (n > 0)) abort();
    if (st != WP_OK && n > 0 && strcmp(err.msg, errs[0].msg) != 0) abort();
  }
  wp_scenario_free(sc);
  free(text);
  return 0;
}
