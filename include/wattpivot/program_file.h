/*
** wattpivot/program_file.h — a mixed-integer program (wattpivot/program.h) as a file any MILP
** solver reads: CPLEX LP format, or free MPS. Numbers are written with 17 significant digits
** (read back exactly); a row with two finite, different bounds becomes two rows (NAME_lo,
** NAME_hi) in LP format and a RANGES entry in MPS; every column's bounds are written.
*/
#ifndef WATTPIVOT_PROGRAM_FILE_H
#define WATTPIVOT_PROGRAM_FILE_H

#include "export.h"
#include "error.h"
#include "program.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum wp_program_format {
  WP_PROGRAM_LP = 0, /* CPLEX LP */
  WP_PROGRAM_MPS     /* free MPS, with OBJSENSE */
} wp_program_format;

/* The format a file name asks for: ".lp" LP, ".mps" MPS; WP_EINVAL for any other name. */
WP_API wp_status wp_program_format_of(const char *path, wp_program_format *out, wp_error *err);

/* The program as text in *out (free with free()). WP_ENOMEM. */
WP_API wp_status wp_program_text(const wp_program *p, wp_program_format f, char **out, wp_error *err);

/* Write the program to path in the format its name asks for, whole or not at all ("-": LP on
** standard output). WP_EINVAL (the name), WP_EIO (the reason), WP_ENOMEM. */
WP_API wp_status wp_program_write(const wp_program *p, const char *path, wp_error *err);

#ifdef __cplusplus
}
#endif
#endif
