/* Whole-file writes through a temporary renamed into place (see src/io/writefile_int.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/writefile_int.h"

wp_status wp_io_stage(const char *path, const char *text, size_t n, wp_io_staged *s,
                      wp_error *err)
{
  s->tmp[0] = '\0';
  if ((size_t)snprintf(s->path, sizeof s->path, "%s", path) >= sizeof s->path)
    return wp_error_set(err, WP_EINVAL, "path too long: %.200s...", path);
  const char *slash = strrchr(path, '/');
  const int dir_len = slash ? (int)(slash - path + 1) : 0;
  snprintf(s->tmp, sizeof s->tmp, "%.*s.%s.%ld.tmp", dir_len, path, slash ? slash + 1 : path,
           (long)getpid());
  FILE *f = fopen(s->tmp, "wb");
  if (!f) {
    int e = errno;
    s->tmp[0] = '\0';
    return wp_error_set(err, WP_EIO, "cannot create %s: %s", path, strerror(e));
  }
  errno = 0;
  int ok = fwrite(text, 1, n, f) == n && fflush(f) == 0;
  int e = errno;
  if (fclose(f) != 0 && ok) {
    ok = 0;
    e = errno;
  }
  if (!ok) {
    wp_io_discard(s);
    return wp_error_set(err, WP_EIO, "cannot write %s: %s", path, e ? strerror(e) : "write error");
  }
  return WP_OK;
}

wp_status wp_io_commit(wp_io_staged *s, wp_error *err)
{
  if (rename(s->tmp, s->path) != 0) {
    int e = errno;
    wp_io_discard(s);
    return wp_error_set(err, WP_EIO, "cannot move the new %s into place: %s", s->path,
                        strerror(e));
  }
  s->tmp[0] = '\0';
  return WP_OK;
}

void wp_io_discard(wp_io_staged *s)
{
  if (s->tmp[0]) remove(s->tmp);
  s->tmp[0] = '\0';
}

/* Write to an open stream, checked. */
static wp_status write_stream(FILE *f, const char *name, const char *text, size_t n, int close,
                              wp_error *err)
{
  errno = 0;
  int ok = fwrite(text, 1, n, f) == n && fflush(f) == 0;
  int e = errno;
  if (close && fclose(f) != 0 && ok) {
    ok = 0;
    e = errno;
  }
  return ok ? WP_OK
            : wp_error_set(err, WP_EIO, "cannot write %s: %s", name, e ? strerror(e) : "write error");
}

wp_status wp_io_write_file(const char *path, const char *text, size_t n, wp_error *err)
{
  if (strcmp(path, "-") == 0) return write_stream(stdout, "standard output", text, n, 0, err);
  /* A device or a pipe (/dev/stdout, a FIFO) is written as it is: nothing to rename over. */
  struct stat sb;
  if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
    FILE *f = fopen(path, "wb");
    if (!f) return wp_error_set(err, WP_EIO, "cannot open %s: %s", path, strerror(errno));
    return write_stream(f, path, text, n, 1, err);
  }
  wp_io_staged s;
  wp_status st = wp_io_stage(path, text, n, &s, err);
  return st ? st : wp_io_commit(&s, err);
}
