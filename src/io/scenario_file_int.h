/*
** src/io/scenario_file_int.h — internal: the schema of a scenario file's mapping sections (the
** same rows that bind the YAML), for the tests that hold the library's defaults, the built-in
** default file and docs/scenario.md against each other.
*/
#ifndef WP_IO_SCENARIO_FILE_INT_H
#define WP_IO_SCENARIO_FILE_INT_H

#include <stddef.h>

#include "io/yaml_int.h"

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

#endif
