/*
** wattpivot/taskfile.h — read a schedule task file (CSV) into activities and links for
** wp_schedule_new. Format (the project's one CSV reader, docs/scenario.md "Your own time series":
** RFC 4180 quoting, a UTF-8 byte-order mark, LF or CRLF; '#' lines and blank lines skipped):
**   id,name,min_days,mode_days,max_days,predecessors
**   DES,Design,60,90,150,
**   ORD,"Order switchgear, transformers",300,336,560,DES:SS+0
**   WRK,Works,60,90,120,DES;ORD:FF-14
** The header names these six columns (any order, each once, no others). id: unique, no
** spaces, ';', ':' or '"'. Durations: numbers with 0 <= min_days <= mode_days <= max_days.
** predecessors: ';'-separated entries, each ID (finish-to-start, lag 0) or ID:FS, ID:FS+L,
** ID:SS-L, ID:FF+L with L a lag in days (a sign is required; negative lags allowed).
** Every error names the file and line (and the column number for a cell), the column or entry,
** the value and what is accepted.
*/
#ifndef WATTPIVOT_TASKFILE_H
#define WATTPIVOT_TASKFILE_H

#include <stddef.h>

#include "error.h"
#include "export.h"
#include "schedule.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wp_taskfile wp_taskfile;

/*
** Parse text[0..len-1] (need not be NUL-terminated); name is used in messages ("FILE:LINE:").
** Returns WP_OK and *out, or WP_EPARSE (bad header, field count, quoting, number, duration
** order, id, predecessor syntax, duplicate id, unknown predecessor; the message starts with
** "name:line:"), WP_EINVAL (NULL arguments), WP_ENOMEM.
*/
WP_API wp_status wp_taskfile_parse(const char *text, size_t len, const char *name,
                                   wp_taskfile **out, wp_error *err);

/* Read and parse the file at path (at most 64 MiB). WP_EIO when it cannot be read. */
WP_API wp_status wp_taskfile_read(const char *path, wp_taskfile **out, wp_error *err);

/* Release tf; NULL is a no-op. */
WP_API void wp_taskfile_free(wp_taskfile *tf);

/* The tasks in file order (strings owned by tf) and their count in *n. */
WP_API const wp_sched_activity *wp_taskfile_activities(const wp_taskfile *tf, size_t *n);
/* The links (FS with lag 0 for a bare ID) and their count in *n. */
WP_API const wp_sched_link *wp_taskfile_links(const wp_taskfile *tf, size_t *n);
/* 1-based line of task i in the file (0 when i is out of range). */
WP_API size_t wp_taskfile_line(const wp_taskfile *tf, size_t i);

/* Read path and build its schedule; the network's refusals (e.g. a cycle) are prefixed with
** "path: ". Same statuses as wp_taskfile_read and wp_schedule_new. */
WP_API wp_status wp_taskfile_schedule(const char *path, wp_schedule **out, wp_error *err);

#ifdef __cplusplus
}
#endif
#endif
