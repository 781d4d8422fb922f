/* src/io/readfile_int.h — read a whole file into memory (private to src/io). */
#ifndef WP_IO_READFILE_INT_H
#define WP_IO_READFILE_INT_H

#include <stddef.h>

#include "wattpivot/error.h"

/*
** Read all of path into a malloc'd, NUL-terminated buffer (*text, *len bytes before the NUL).
** WP_EIO naming the path and the system's reason when it cannot be opened or read; WP_EINVAL
** when it is larger than max_bytes; WP_ENOMEM. On failure *text is NULL.
*/
wp_status wp_io_read_file(const char *path, size_t max_bytes, char **text, size_t *len,
                          wp_error *err);

#endif
