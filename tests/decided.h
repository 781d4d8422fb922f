/*
** tests/decided.h: a test binary's decided plans, kept by scenario hash and strategy mask, so
** that risk studies of one scenario decide its plan (an optimization: seconds) once per binary
** (wp_risk_opts.decisions). A scenario changed in place hashes differently and is decided anew.
*/
#ifndef WP_TESTS_DECIDED_H
#define WP_TESTS_DECIDED_H

#include <string.h>

#include "wattpivot.h"

#define DECIDED_MAX 8

/* The plan of sc for mask (mining-only added, as the risk engine decides it), or NULL when it
** cannot be decided (the risk run then decides it and says why). Owned here until exit. */
static inline const wp_plan_decisions *decided(const wp_scenario *sc, unsigned mask)
{
  static struct {
    char hash[WP_SCENARIO_HASH_SIZE];
    unsigned mask;
    wp_plan_decisions *d;
  } kept[DECIDED_MAX];
  static size_t n;
  char h[WP_SCENARIO_HASH_SIZE];
  mask = (mask & WP_STRATEGY_ALL) | WP_STRATEGY_BIT(WP_STRATEGY_MINING_ONLY);
  if (wp_scenario_hash(sc, h, NULL) != WP_OK) return NULL;
  for (size_t i = 0; i < n; i++)
    if (kept[i].mask == mask && strcmp(kept[i].hash, h) == 0) return kept[i].d;
  wp_plan_decisions *d = NULL;
  if (wp_plan_decide(sc, mask, &d, NULL) != WP_OK) return NULL;
  const size_t at = n < DECIDED_MAX ? n++ : 0; /* full: replace the oldest kept */
  wp_plan_decisions_free(kept[at].d);
  memcpy(kept[at].hash, h, sizeof h);
  kept[at].mask = mask;
  kept[at].d = d;
  return d;
}

#endif
