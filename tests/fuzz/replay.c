/*
** Replays a fuzz target's corpus without libFuzzer: every file of the directories (or the files)
** given is passed to LLVMFuzzerTestOneInput once. Run by ctest in every build (and under ASan +
** UBSan in CI), so every input that once crashed stays a regression test. Prints
** "N passed, N failed" (a failure is a crash: the process dies).
*/
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  uint8_t *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? 2 * cap : 65536;
      uint8_t *b = realloc(buf, cap);
      if (!b) break;
      buf = b;
    }
    size_t k = fread(buf + n, 1, cap - n, f);
    if (k == 0) break;
    n += k;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(buf ? buf : (const uint8_t *)"", n);
  free(buf);
  return 1;
}

int main(int argc, char **argv)
{
  int runs = 0;
  for (int i = 1; i < argc; i++) {
    struct stat sb;
    if (stat(argv[i], &sb) != 0) {
      fprintf(stderr, "replay: cannot open %s\n", argv[i]);
      printf("%d passed, 1 failed\n", runs);
      return 1;
    }
    if (!S_ISDIR(sb.st_mode)) {
      runs += run_file(argv[i]);
      continue;
    }
    DIR *d = opendir(argv[i]);
    for (struct dirent *de; d && (de = readdir(d));) {
      if (de->d_name[0] == '.') continue;
      char path[4096];
      snprintf(path, sizeof path, "%s/%s", argv[i], de->d_name);
      runs += run_file(path);
    }
    if (d) closedir(d);
  }
  printf("%d passed, %d failed\n", runs, runs > 0 ? 0 : 1);
  return runs > 0 ? 0 : 1;
}
