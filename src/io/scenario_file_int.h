/*
** src/io/scenario_file_int.h — internal: the schema of a scenario file's mapping sections (the
** same rows that bind the YAML), for the tests that hold the library's defaults, the built-in
** default file and docs/scenario.md against each other.
*/
#ifndef WP_IO_SCENARIO_FILE_INT_H
#define WP_IO_SCENARIO_FILE_INT_H

#include <stddef.h>

#include "io/yaml_int.h"
#include "wattpivot/scenario.h"

typedef struct wp_scenario_section {
  const char *key;        /* "market" */
  const wp_field *fields; /* its keys */
  size_t nfields;
  size_t offset;          /* offsetof the section's struct in wp_scenario */
} wp_scenario_section;

/* The mapping sections in file order (*n of them). */
const wp_scenario_section *wp_scenario_sections(size_t *n);

/* The lists (countries, regions, sites, custom) and their items' keys (offset 0). */
const wp_scenario_section *wp_scenario_lists(size_t *n);

/*
** Parse a sites CSV (the sites_file: format, docs/scenario.md: the site keys as columns, monthly_c
** as monthly_c_jan .. monthly_c_dec; name and grid_mw required, an empty cell keeps the key's
** default) named name into sc->sites / sc->nsites, each site from wp_scenario_site_default(sc);
** the power_file column of site i goes to power_file[i] (not read here), its line to lines[i]
** (lines may be NULL). WP_EPARSE naming
** name:LINE:COL and the column; sites already in sc are replaced only up to the failing row.
*/
wp_status wp_scenario_sites_csv_parse(wp_scenario *sc, const char *text, size_t len,
                                      const char *name, char (*power_file)[256], int *lines,
                                      wp_error *err);

#endif
