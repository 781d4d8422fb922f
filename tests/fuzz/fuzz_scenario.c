/* Fuzz target: a scenario file, bound and checked as `wattpivot scenario validate` does. */
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
    (void)wp_scenario_load_text(sc, "fuzz.yaml", text, &err);
  }
  wp_scenario_free(sc);
  free(text);
  return 0;
}
