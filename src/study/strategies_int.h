/*
** src/study/strategies_int.h — which strategies a study runs. "custom" plans the file's custom:
** pathways; a scenario without them would list a custom strategy identical to mining-only, so
** "all" leaves it out there, and asking for it by name is refused with the reason.
*/
#ifndef WP_STUDY_STRATEGIES_INT_H
#define WP_STUDY_STRATEGIES_INT_H

#include "wattpivot/planner.h"
#include "wattpivot/scenario.h"

/* The mask to run for mask (0 or WP_STRATEGY_ALL: every strategy that means something for sc);
** WP_EINVAL when custom is asked for by name and sc has no custom pathways. */
static inline wp_status wp_study_strategies(const wp_scenario *sc, unsigned mask, unsigned *out,
                                            wp_error *err)
{
  const unsigned custom = WP_STRATEGY_BIT(WP_STRATEGY_CUSTOM);
  *out = 0;
  if (mask == 0 || (mask & WP_STRATEGY_ALL) == WP_STRATEGY_ALL) {
    *out = sc->ncustom ? WP_STRATEGY_ALL : WP_STRATEGY_ALL & ~custom;
    return WP_OK;
  }
  if ((mask & custom) && sc->ncustom == 0)
    return wp_error_set(err, WP_EINVAL,
                        "strategy custom: the scenario has no custom: section (the pathways it "
                        "plans); add one (docs/scenario.md) or choose another strategy");
  *out = mask;
  return WP_OK;
}

#endif
