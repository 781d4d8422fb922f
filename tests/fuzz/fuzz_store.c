/* Fuzz target: a results store file (SQLite), opened read-only, listed and every run read. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <unistd.h>

#include "fuzz.h"
#include "wattpivot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char path[64];
  snprintf(path, sizeof path, "/tmp/wp-fuzz-store-%ld.db", (long)getpid());
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  int ok = fwrite(data, 1, size, f) == size;
  ok = fclose(f) == 0 && ok;
  wp_store *st = NULL;
  wp_error err = WP_ERROR_INIT;
  if (ok && wp_store_open_readonly(path, &st, &err) == WP_OK) {
    wp_run_summary rows[16];
    size_t n = 0, count = 0;
    int64_t lo = 0, hi = 0;
    (void)wp_store_count_runs(st, &count, &lo, &hi, &err);
    if (wp_store_list_runs(st, rows, 16, &n, &err) == WP_OK)
      for (size_t i = 0; i < n; i++) {
        wp_plan_out *p = NULL;
        wp_run_meta meta = WP_RUN_META_INIT;
        if (wp_store_load_run(st, rows[i].id, &p, &meta, &err) == WP_OK) wp_run_meta_release(&meta);
        wp_plan_out_free(p);
      }
  }
  wp_store_close(st);
  unlink(path);
  return 0;
}
