/*
** src/io/output_int.h — what the plan writers (output.c, report_html.c) read the same way,
** defined in plan_view.c: bounded reads of the result's fixed-size text fields, the IRR note,
** the best strategy, and the shape check every writer runs first; also what every report and
** folder writer shares (the HTML escaper, the whole-folder writer), including the study layer's
** sweep report above io.
*/
#ifndef WP_IO_OUTPUT_INT_H
#define WP_IO_OUTPUT_INT_H

#include <stddef.h>

#include "core/sbuf_int.h"
#include "wattpivot/error.h"
#include "wattpivot/results.h"

/* A fixed-size text field of the result as a C string, copied into buf (at least n + 1 bytes)
** so a missing terminating NUL is harmless. */
#define WP_OUT_FIELD(buf, field) wp_out_field((buf), sizeof(buf), (field), sizeof(field))
const char *wp_out_field(char *buf, size_t bufsize, const char *field, size_t fieldsize);

/* The strategy's irr_note, or a default sentence when the IRR is NaN and no note was given. */
const char *wp_out_irr_note(char *buf, size_t n, const wp_plan_out *plan,
                            const wp_strategy_out *st);

/* Whether strategy i's month-end cash stays at or above the plan's cash floor (1 when the floor
** is not known). */
int wp_out_holds_floor(const wp_plan_out *plan, size_t i);
/* 1 when strategy i holds the floor and breaks no limit (wp_strategy_out.breaches). */
int wp_out_feasible(const wp_plan_out *plan, size_t i);

/* The recommended strategy: the strictly highest finite NPV among those that hold the cash floor;
** nstrategies (none) when there are fewer than two strategies, none holds the floor with a
** finite NPV, or two different plans tie at the top (strategies that reach the same plan are one:
** the first is recommended). A strategy that breaks the floor is never "best". */
size_t wp_out_best(const wp_plan_out *plan);

/* 1 when strategies a and b of plan are the same plan: equal NPV and, site by site, the same
** conversion month, converted MW and business model (two rules may reach one plan: then it is
** one recommendation, not a tie). */
int wp_out_same_plan(const wp_plan_out *plan, size_t a, size_t b);

/* The decision in a few sentences (HTML when html, else plain text): the recommended strategy,
** what it does site by site, the strategies set aside for breaking the cash floor, and the
** caveats. */
void wp_out_decision(wp_sbuf *b, const wp_plan_out *plan, int html);

/* WP_OK, or WP_EINVAL naming the first malformed field (NULL plan, missing sites or series,
** invalid start month). */
wp_status wp_out_check(const wp_plan_out *plan, wp_error *err);

/* s as HTML (and XML) text: & < > " ' escaped, control characters become blanks. */
void wp_out_html(wp_sbuf *b, const char *s);

/* Write files names[i] = texts[i] into dir as a whole (wattpivot/output.h wp_output_write_dir:
** a new folder built aside and renamed into place; in an existing one every file staged beside
** its target, renamed only when all are complete). At most 16 files. */
wp_status wp_out_write_folder(const char *dir, const char *const *names, char *const *texts,
                              size_t nfiles, wp_error *err);

#endif
