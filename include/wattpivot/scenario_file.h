/*
** wattpivot/scenario_file.h — scenario files: YAML text bound to a wp_scenario (every error
** names file:line:column, the key path and the accepted values; unknown keys are refused with a
** "did you mean"), and the built-in default, which is itself a YAML text
** (data/default_scenario.yaml) compiled into the library: `scenario init` writes it out, and
** planning that file gives the same results as the default. Keys and units: docs/scenario.md.
*/
#ifndef WATTPIVOT_SCENARIO_FILE_H
#define WATTPIVOT_SCENARIO_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "export.h"
#include "scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Load a YAML scenario file into sc (which wp_scenario_new made). Missing keys keep the
** defaults; unknown keys, values out of range, a site naming an unknown country, duplicate
** site names and custom pathways naming unknown sites are refused (WP_EPARSE or WP_EINVAL,
** the message starting with "FILE:LINE:COLUMN: key.path: "). WP_EIO when unreadable. */
WP_API wp_status wp_scenario_load_file(wp_scenario *sc, const char *path, wp_error *err);

/*
** Check a scenario file (path; "-" standard input) or text (named name in messages) reporting
** every error in one pass: every key that does not fit its row (each file:line:column: key:
** message), every entry that misses a required key, then, when every key fits, every
** cross-field check (each pointing at the key it is about). errs receives the first max of them
** in the order of the checks, section by section (max 0: none kept); *nerrs the number found (0: valid). Returns WP_OK when
** valid, else the first error's status (an unreadable file or a YAML syntax error is the only
** error).
*/
WP_API wp_status wp_scenario_validate(const char *path, const char *text, const char *name,
                                      wp_error *errs, size_t max, size_t *nerrs);

/*
** Change one key of a loaded scenario: "section.key=VALUE" (market.btc_price_usd=80000,
** strategy.tranches=[0.5, 1.0]) or "sites[INDEX or NAME].key=VALUE" (sites[Childress].grid_mw=
** 500). The value is read as the file would read it and checked against the same row (range,
** unit, accepted names); messages start with "--set ASSIGNMENT". Cross-field agreement is the
** caller's to check afterwards (wp_scenario_check), once every change is made.
*/
WP_API wp_status wp_scenario_set(wp_scenario *sc, const char *assignment, wp_error *err);

/* The same from text (name is used in messages). */
WP_API wp_status wp_scenario_load_text(wp_scenario *sc, const char *name, const char *text,
                                wp_error *err);

/* Load the built-in default (name "built-in default"). */
WP_API wp_status wp_scenario_load_default(wp_scenario *sc, wp_error *err);

/* The built-in default as YAML text: fully commented with units and sources. */
WP_API const char *wp_scenario_default_text(void);

/* Read a scenario file's whole text (for the results store: a run keeps the text it planned).
** *text is malloc'd and NUL-terminated; the caller frees it. WP_EIO naming the path and the
** system's reason; WP_EINVAL when it exceeds max_bytes. */
WP_API wp_status wp_scenario_read_text(const char *path, size_t max_bytes, char **text,
                                       wp_error *err);

/* Write the built-in default scenario's text to path ("-" = standard output). An existing
** file is refused (WP_EIO "... exists; use --force") unless overwrite is 1. The file is written
** under a temporary name and renamed into place, so a failure never leaves half a file. */
WP_API wp_status wp_scenario_write_default(const char *path, int overwrite, wp_error *err);

/* The same for any scenario text (e.g. wp_scenario_generate's): FILE, or '-' = standard output. */
WP_API wp_status wp_scenario_write_text(const char *path, const char *text, int overwrite,
                                        wp_error *err);

/*
** The scenario's canonical text: every value a run can depend on, one "key=value" line each, in
** schema order (the sections, then countries[i], regions[i], sites[i] and custom[i] item by
** item, then every value the market_file and each site's power_file give, as
** "market_file[YYYY-MM].column=value" and "sites[i].power_file[YYYY-MM].column=value", then a
** bootstrap BTC history's standardized returns); numbers as %.17g (they read back
** exactly), names of choices, strings with '\\' and line breaks escaped. The scenario's name and
** source are left out: they label a scenario, they change no result. So a file and the same
** file with comments, other key order, defaults written out or --set changes that land on the
** same values give the same text. *text is malloc'd (the caller frees it); WP_ENOMEM.
*/
WP_API wp_status wp_scenario_canonical_text(const wp_scenario *sc, char **text, wp_error *err);

/*
** A generated portfolio (docs/scenario.md "Generated portfolios"): the built-in default scenario's
** sections and countries, nsites (1..WP_SCENARIO_MAX_SITES) sites drawn around the default's
** (a template site each, its grid MW x lognormal(0, 0.5) in [5, 2000], its power price x
** U(0.85, 1.15), its climate shifted by N(0, 1.5) C; named "G001 Childress", ...), the regions'
** demand scaled by the portfolio's grid MW over the default's, no custom pathways. The same
** (nsites, seed) gives the same text on every machine; site i does not depend on nsites.
** *yaml is malloc'd. WP_EINVAL (nsites out of range), WP_ENOMEM.
*/
WP_API wp_status wp_scenario_generate(size_t nsites, uint64_t seed, char **yaml, wp_error *err);

/* One value in force and where it came from (wp_scenario_values). */
typedef struct wp_scenario_value {
  char key[160];    /* "market.btc_price_usd", "sites[Childress].grid_mw" */
  char value[400];  /* as the canonical text writes it (numbers %.17g) */
  char unit[24];    /* "USD", "per year", ... ("" when none) */
  char origin[320]; /* "FILE:LINE", "--set", "preset bear", "sites_file" or "default" */
} wp_scenario_value;

/*
** Every value in force in sc (the sections' keys in schema order, then each list item's), each
** with its origin: "--set" when one of sets (the KEY=VALUE assignments applied to sc, as given
** to wp_scenario_set) names it; else "FILE:LINE" when text (the YAML sc was loaded from; file
** names it in origins, NULL: "built-in default") writes it; else "preset NAME" for a market key
** a preset other than base set; "sites_file" for a site read from the sites CSV; else "default".
** *out is malloc'd (n rows; the caller frees it). WP_EINVAL, WP_ENOMEM, the YAML's errors.
*/
WP_API wp_status wp_scenario_values(const wp_scenario *sc, const char *file, const char *text,
                                    const char *const *sets, size_t nsets,
                                    wp_scenario_value **out, size_t *n, wp_error *err);

/* Bytes of a scenario hash: 16 lowercase hex digits and a NUL. */
#define WP_SCENARIO_HASH_SIZE 17

/*
** The scenario hash written on every output (docs/output.md): FNV-1a 64 (offset basis
** 0xcbf29ce484222325, prime 0x100000001b3) of the canonical text, as 16 lowercase hex digits.
** Identifies the resolved scenario (not a security digest). WP_EINVAL (NULL), WP_ENOMEM.
*/
WP_API wp_status wp_scenario_hash(const wp_scenario *sc, char hex[WP_SCENARIO_HASH_SIZE],
                                  wp_error *err);

/* FNV-1a 64 of n bytes as 16 lowercase hex digits (the scenario hash's function, for callers
** that hash a scenario's text with their own inputs). */
WP_API void wp_hash_fnv1a64_hex(const void *bytes, size_t n, char hex[WP_SCENARIO_HASH_SIZE]);

#ifdef __cplusplus
}
#endif
#endif
