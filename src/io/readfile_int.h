/*
** src/io/readfile_int.h — every file the project reads comes in through here (private to
** src/io): read whole into memory — from a regular file, a pipe, /proc or standard input ("-")
** alike — bounded in size, then checked as text before any parser sees it: UTF-8 only (a byte
** that is not is an error with its line and column, never a silent truncation), no NUL byte,
** no UTF-16; a UTF-8 byte-order mark (Excel's "CSV UTF-8") is dropped.
*/
#ifndef WP_IO_READFILE_INT_H
#define WP_IO_READFILE_INT_H

#include <stddef.h>

#include "wattpivot/error.h"

/*
** Read all of path ("-" = standard input) into a malloc'd, NUL-terminated buffer (*text, *len
** bytes before the NUL). WP_EIO naming the path and the system's reason when it cannot be opened
** or read; WP_EINVAL when it is larger than max_bytes (nothing beyond max_bytes + 1 is read);
** WP_ENOMEM. On failure *text is NULL. The bytes are not checked: see wp_io_read_text.
*/
wp_status wp_io_read_file(const char *path, size_t max_bytes, char **text, size_t *len,
                          wp_error *err);

/*
** Check text[0..len-1] as the text of name: WP_EPARSE "name:LINE:COL: ..." for a NUL byte, a
** UTF-16 or UTF-32 file (by its byte-order mark) or a byte sequence that is not UTF-8 (naming
** the byte and saying to save the file as UTF-8). *skip is set to the length of a leading UTF-8
** byte-order mark (0 or 3), which the caller drops.
*/
wp_status wp_io_check_text(const char *name, const char *text, size_t len, size_t *skip,
                           wp_error *err);

/* wp_io_read_file, then wp_io_check_text; a UTF-8 byte-order mark is removed from *text. */
wp_status wp_io_read_text(const char *path, size_t max_bytes, char **text, size_t *len,
                          wp_error *err);

#endif
