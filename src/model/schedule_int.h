/*
** src/model/schedule_int.h — internal: the schedule's draws and passes for a group of lanes of
** Monte Carlo paths at once, which only the risk engine's workers call (src/risk).
*/
#ifndef WP_MODEL_SCHEDULE_INT_H
#define WP_MODEL_SCHEDULE_INT_H

#include <stdint.h>

#include "wattpivot/schedule.h"

/* Draws wp_schedule_draw_durations_lanes takes at once. */
#define WP_SCHED_DRAW_LANES 4

/*
** Draw durations for draws draw[0..LANES-1] of stream seed at once (the risk engine's groups of
** paths), into durations_days[l] (count values each). Each lane is a function of (seed,
** draw[l]) only — the same whether drawn with others or with itself in every lane — and is
** wp_schedule_draw_durations's draw, except that with AVX2 and glibc's vector math library
** the first try of each PERT draw (Box-Muller normals, the gamma acceptance tests) runs in
** vector instructions, whose last bits may differ from the scalar functions'; a lane whose
** first try is rejected takes the scalar algorithm. Triangular draws are scalar.
*/
void wp_schedule_draw_durations_lanes(const wp_schedule *s, wp_sched_dist dist, uint64_t seed,
                                      const uint64_t draw[WP_SCHED_DRAW_LANES],
                                      double *const durations_days[WP_SCHED_DRAW_LANES]);

/*
** Each phase's finish for the durations of WP_SCHED_DRAW_LANES draws at once: phase_days[l] is
** what wp_schedule_finish_days_for then wp_schedule_phase_days_for give for durations_days[l],
** bit for bit (with AVX2 the lanes' forward passes run in vectors). work has
** WP_SCHED_DRAW_LANES x wp_schedule_work_len doubles.
*/
void wp_schedule_phase_days_lanes(const wp_schedule *s,
                                  const double *const durations_days[WP_SCHED_DRAW_LANES],
                                  double *work,
                                  double *const phase_days[WP_SCHED_DRAW_LANES]);

#endif
