/* The strategies' names (wattpivot/planner.h), in a file of their own: the planner and its
** program (optimize.c) both name strategies, and neither should include the other for it. */
#include <string.h>

#include "wattpivot/planner.h"

static const char *const strategy_names[WP_STRATEGY_COUNT] = {"mining-only", "all-in", "hybrid",
                                                              "custom"};

const char *wp_strategy_name(wp_strategy s)
{
  return (unsigned)s < WP_STRATEGY_COUNT ? strategy_names[s] : "?";
}

wp_status wp_strategy_from_name(const char *name, wp_strategy *out, wp_error *err)
{
  for (int i = 0; name && i < WP_STRATEGY_COUNT; i++)
    if (strcmp(name, strategy_names[i]) == 0) {
      *out = (wp_strategy)i;
      return WP_OK;
    }
  /* "all" is every strategy (the command's --strategy all) */
  static const char *const accepted[] = {"all", "mining-only", "all-in", "hybrid", "custom"};
  return wp_error_unknown_name(err, "strategy", name, accepted, sizeof accepted / sizeof *accepted);
}
