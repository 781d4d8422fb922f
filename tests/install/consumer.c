/* A program of a library user (tests/install/test_install.sh): built against the installed
** headers and library only, with pkg-config and with CMake's find_package. */
#include <stdio.h>
#include <string.h>

#include <wattpivot.h>

int main(void)
{
  wp_init();
  char v[32];
  snprintf(v, sizeof v, "%d.%d.%d", WP_VERSION_MAJOR, WP_VERSION_MINOR, WP_VERSION_PATCH);
  if (strcmp(v, wp_version()) != 0) {
    fprintf(stderr, "headers %s, library %s\n", v, wp_version());
    return 1;
  }
  /* The genesis block's subsidy: 50 BTC (Bitcoin Core's GetBlockSubsidy). */
  if (wp_btc_subsidy_sat(0) != 5000000000LL) {
    fprintf(stderr, "subsidy %lld\n", (long long)wp_btc_subsidy_sat(0));
    return 1;
  }
  wp_scenario *sc = wp_scenario_new();
  wp_error err = WP_ERROR_INIT;
  if (!sc || wp_scenario_load_default(sc, &err) != WP_OK) {
    fprintf(stderr, "default scenario: %s\n", err.msg);
    wp_scenario_free(sc);
    return 1;
  }
  printf("wattpivot %s: default scenario with %zu sites\n", wp_version(), sc->nsites);
  wp_scenario_free(sc);
  return 0;
}
