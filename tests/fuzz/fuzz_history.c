/* Fuzz target: a BTC return history (CSV month,close_usd), parsed and made standard. */
#include "fuzz.h"
#include "wattpivot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  enum { MAX = WP_RISK_HISTORY_MAX + 1 };
  static double closes[MAX];
  static wp_risk_assumptions r = WP_RISK_ASSUMPTIONS_DEFAULT;
  char *text = fuzz_text(data, size);
  size_t n = 0;
  wp_error err = WP_ERROR_INIT;
  if (text && wp_risk_history_parse(text, "fuzz.csv", 2, closes, MAX, &n, &err) == WP_OK)
    (void)wp_risk_history_standardize(closes, n, &r, &err);
  free(text);
  return 0;
}
