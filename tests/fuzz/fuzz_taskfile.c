/* Fuzz target: a schedule task file (CSV), parsed and built into a network. */
#include "fuzz.h"
#include "wattpivot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  wp_taskfile *tf = NULL;
  wp_error err = WP_ERROR_INIT;
  if (wp_taskfile_parse((const char *)data, size, "fuzz.csv", &tf, &err) == WP_OK) {
    size_t na = 0, nl = 0;
    const wp_sched_activity *a = wp_taskfile_activities(tf, &na);
    const wp_sched_link *l = wp_taskfile_links(tf, &nl);
    wp_schedule *s = NULL;
    if (wp_schedule_new(a, na, l, nl, &s, &err) == WP_OK) {
      wp_sched_mc_opts o = WP_SCHED_MC_OPTS_DEFAULT;
      wp_sched_mc_result r;
      o.draws = 8;
      (void)wp_schedule_monte_carlo(s, &o, &r, NULL, NULL, NULL, &err);
    }
    wp_schedule_free(s);
  }
  wp_taskfile_free(tf);
  return 0;
}
