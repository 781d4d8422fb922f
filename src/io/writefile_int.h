/*
** src/io/writefile_int.h — every file the project writes goes out through here (private to
** src/io): the bytes are written to a temporary file beside the target and renamed into place
** when complete, so a target is either whole and new or untouched (a full disk or a kill leaves
** at most a stray temporary, never half a file); "-" means standard output. Every write, flush
** and close is checked.
*/
#ifndef WP_IO_WRITEFILE_INT_H
#define WP_IO_WRITEFILE_INT_H

#include <stddef.h>

#include "wattpivot/error.h"

/* A file written beside its target, not yet renamed into place. */
typedef struct wp_io_staged {
  char path[4096];
  char tmp[4160];
} wp_io_staged;

/* Write text[0..n-1] to a temporary file beside path (WP_EIO naming path and the reason). */
wp_status wp_io_stage(const char *path, const char *text, size_t n, wp_io_staged *s,
                      wp_error *err);
/* Rename a staged file into place (WP_EIO; the temporary is removed on failure). */
wp_status wp_io_commit(wp_io_staged *s, wp_error *err);
/* Remove a staged file that will not be committed. */
void wp_io_discard(wp_io_staged *s);

/* Stage and commit text to path at once; path "-" writes to standard output (flushed), and an
** existing device or pipe (/dev/stdout, a FIFO) is written directly. */
wp_status wp_io_write_file(const char *path, const char *text, size_t n, wp_error *err);

#endif
