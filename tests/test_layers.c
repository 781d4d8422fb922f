/*
** The layering rule of docs/architecture.md, checked on the whole #include graph of src/,
** include/ and cli/: layers bottom to top
**   core -> model -> plan -> risk -> io -> study -> cli
** each file includes only from its own layer or below, never in a circle; a public header
** (include/wattpivot/<module>.h) belongs to the layer of its module (the table below: a new
** header must be placed in it); internal headers (*_int.h) live under src/ and no public header
** or CLI file includes one; only the CLI includes the umbrella <wattpivot.h>. src/model is pure:
** no I/O, no terminals, no environment, no exit. Prints "N passed, N failed".
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "refdata.h"

enum { CORE, MODEL, PLAN, RISK, IO, STUDY, CLI, NLAYERS, UMBRELLA = 100, UNKNOWN = -1 };
static const char *const layer_names[NLAYERS] = {"core", "model", "plan",  "risk",
                                                 "io",   "study", "cli"};

/* The public headers and their layers. */
static const struct {
  const char *header;
  int layer;
} public_headers[] = {
    {"error.h", CORE},         {"calendar.h", CORE},     {"format.h", CORE},
    {"range.h", CORE},         {"btc.h", MODEL},         {"mining.h", MODEL},
    {"market.h", MODEL},       {"risk_assumptions.h", MODEL}, {"facility.h", MODEL},
    {"capex.h", MODEL},        {"schedule.h", MODEL},    {"revenue.h", MODEL},
    {"ledger.h", MODEL},       {"finance.h", MODEL},     {"scenario.h", PLAN},
    {"pathway.h", PLAN},       {"planner.h", PLAN},      {"results.h", PLAN},
    {"program.h", PLAN},       {"program_file.h", IO},
    {"risk.h", RISK},          {"scenario_file.h", IO},  {"output.h", IO},
    {"store.h", IO},           {"ledger_csv.h", IO},     {"taskfile.h", IO},
    {"risk_history.h", IO},    {"study.h", STUDY},        {"export.h", CORE},
};

#define MAX_FILES 512
#define MAX_EDGES 64

typedef struct node {
  char path[256]; /* relative to the source root: "src/model/finance.c" */
  int layer;
  int edges[MAX_EDGES];
  int nedges;
  int color; /* DFS: 0 white, 1 grey, 2 black */
} node;

static node nodes[MAX_FILES];
static int nnodes;

static int layer_of_dir(const char *dir)
{
  for (int l = 0; l < CLI; l++)
    if (strcmp(dir, layer_names[l]) == 0) return l;
  return UNKNOWN;
}

/* The layer of a file by its path (public headers by the table). */
static int layer_of(const char *rel)
{
  if (strcmp(rel, "include/wattpivot.h") == 0) return UMBRELLA;
  if (strncmp(rel, "include/wattpivot/", 18) == 0) {
    for (size_t i = 0; i < sizeof public_headers / sizeof public_headers[0]; i++)
      if (strcmp(rel + 18, public_headers[i].header) == 0) return public_headers[i].layer;
    return UNKNOWN;
  }
  if (strncmp(rel, "cli/", 4) == 0) return CLI;
  if (strncmp(rel, "src/", 4) == 0) {
    char dir[32];
    const char *slash = strchr(rel + 4, '/');
    if (!slash || (size_t)(slash - rel - 4) >= sizeof dir) return UNKNOWN;
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - rel - 4), rel + 4);
    return layer_of_dir(dir);
  }
  return UNKNOWN;
}

static int find_node(const char *rel)
{
  for (int i = 0; i < nnodes; i++)
    if (strcmp(nodes[i].path, rel) == 0) return i;
  return -1;
}

static int exists(const char *rel)
{
  char full[512];
  struct stat st;
  snprintf(full, sizeof full, WP_SOURCE_DIR "/%s", rel);
  return stat(full, &st) == 0;
}

static void collect(const char *reldir)
{
  char full[512];
  snprintf(full, sizeof full, WP_SOURCE_DIR "/%s", reldir);
  DIR *d = opendir(full);
  if (!CHECK(d != NULL)) return;
  for (struct dirent *de; (de = readdir(d));) {
    if (de->d_name[0] == '.') continue;
    char rel[256];
    if ((size_t)snprintf(rel, sizeof rel, "%s/%.128s", reldir, de->d_name) >= sizeof rel) continue;
    const char *dot = strrchr(de->d_name, '.');
    if (!dot) {
      collect(rel);
      continue;
    }
    if (strcmp(dot, ".c") && strcmp(dot, ".h") && strcmp(dot, ".inc")) continue;
    if (!CHECK(nnodes < MAX_FILES)) break;
    snprintf(nodes[nnodes].path, sizeof nodes[nnodes].path, "%s", rel);
    nodes[nnodes].layer = layer_of(rel);
    nnodes++;
  }
  closedir(d);
}

/* The file at rel (relative to the source root). */
static char *slurp(const char *rel)
{
  char full[512];
  snprintf(full, sizeof full, WP_SOURCE_DIR "/%s", rel);
  return ref_read_file(full);
}

/* Resolve an include of file `from` to a project file (relative path in out), or 0 when it is a
** system or third-party header. Quoted: the includer's directory, then src/, then include/;
** angle brackets: only <wattpivot.h> and <wattpivot/...>. */
static int resolve(const char *from, const char *name, int quoted, char *out, size_t n)
{
  if (!quoted) {
    if (strcmp(name, "wattpivot.h") && strncmp(name, "wattpivot/", 10)) return 0;
    snprintf(out, n, "include/%s", name);
    return exists(out);
  }
  const char *slash = strrchr(from, '/');
  snprintf(out, n, "%.*s/%s", (int)(slash - from), from, name);
  if (exists(out)) return 1;
  snprintf(out, n, "src/%s", name);
  if (exists(out)) return 1;
  snprintf(out, n, "include/%s", name);
  return exists(out);
}

static void fail(const char *what, const char *a, const char *b)
{
  char msg[600];
  snprintf(msg, sizeof msg, "%s: %s -> %s", what, a, b);
  harness_check(0, __FILE__, __LINE__, msg);
}

static void check_includes(int i)
{
  node *nd = &nodes[i];
  char *text = slurp(nd->path);
  if (!CHECK(text != NULL)) return;
  for (char *p = text; (p = strstr(p, "#include ")); p++) {
    if (p > text && p[-1] != '\n') continue;
    char *q = p + 9;
    while (*q == ' ') q++;
    const int quoted = *q == '"';
    if (!quoted && *q != '<') continue;
    char *e = strchr(q + 1, quoted ? '"' : '>');
    if (!e) continue;
    char name[200], rel[256];
    snprintf(name, sizeof name, "%.*s", (int)(e - q - 1), q + 1);
    /* Generated into the build tree from cmake/version.h.in (macros only, includes nothing). */
    if (strcmp(name, "wattpivot/version.h") == 0) continue;
    if (!resolve(nd->path, name, quoted, rel, sizeof rel)) {
      if (quoted) fail("include of a file that does not exist", nd->path, name);
      continue;
    }
    const int to = find_node(rel);
    if (to < 0) {
      fail("include outside the layered tree", nd->path, rel);
      continue;
    }
    const int from_l = nd->layer, to_l = nodes[to].layer;
    if (to_l == UMBRELLA) {
      harness_check(from_l == CLI, __FILE__, __LINE__, nd->path);
      if (from_l != CLI) fail("only the CLI includes the umbrella header", nd->path, rel);
    } else if (strstr(rel, "_int.h") && (from_l == CLI || strncmp(nd->path, "include/", 8) == 0)) {
      fail("an internal header outside src/", nd->path, rel);
    } else if (to_l > from_l) {
      char what[96];
      snprintf(what, sizeof what, "upward include (%s -> %s)", layer_names[from_l],
               layer_names[to_l]);
      fail(what, nd->path, rel);
    } else {
      harness_check(1, __FILE__, __LINE__, "");
    }
    if (nd->nedges < MAX_EDGES) nd->edges[nd->nedges++] = to;
  }
  free(text);
}

/* A circle in the include graph (DFS, grey = on the stack). */
static int stack[MAX_FILES], depth;
static void dfs(int i)
{
  nodes[i].color = 1;
  stack[depth++] = i;
  for (int k = 0; k < nodes[i].nedges; k++) {
    int j = nodes[i].edges[k];
    if (nodes[j].color == 1) {
      char circle[1024] = "";
      for (int s = 0; s < depth; s++)
        if (s >= 0 && (strlen(circle) || stack[s] == j)) {
          strncat(circle, nodes[stack[s]].path, sizeof circle - strlen(circle) - 1);
          strncat(circle, " -> ", sizeof circle - strlen(circle) - 1);
        }
      fail("circle", circle, nodes[j].path);
    } else if (nodes[j].color == 0) {
      dfs(j);
    }
  }
  depth--;
  nodes[i].color = 2;
}

static void test_layers(void)
{
  collect("src");
  collect("include");
  collect("cli");
  CHECK(nnodes > 80);
  for (int i = 0; i < nnodes; i++) {
    if (nodes[i].layer == UNKNOWN) fail("a file of no layer (add it to the table)", nodes[i].path, "");
    if (strstr(nodes[i].path, "_int.h") && strncmp(nodes[i].path, "src/", 4) != 0)
      fail("an internal header outside src/", nodes[i].path, "");
  }
  for (int i = 0; i < nnodes; i++) check_includes(i);
  for (int i = 0; i < nnodes; i++)
    if (nodes[i].color == 0) dfs(i);
}

/* src/model is pure: no I/O, no third-party I/O libraries, no terminals, no environment. */
static void test_model_is_pure(void)
{
  static const char *const banned[] = {"#include <stdio.h>", "fopen(", "printf(", "exit(",
                                       "abort(", "<cjson/", "<libfyaml", "<sqlite3.h>",
                                       "getenv("};
  int files = 0;
  for (int i = 0; i < nnodes; i++) {
    if (strncmp(nodes[i].path, "src/model/", 10) != 0) continue;
    char *text = slurp(nodes[i].path);
    if (!CHECK(text != NULL)) continue;
    files++;
    for (size_t k = 0; k < sizeof banned / sizeof banned[0]; k++)
      if (strstr(text, banned[k])) fail("not allowed in src/model (pure layer)", nodes[i].path,
                                        banned[k]);
    free(text);
  }
  CHECK(files > 20);
}

int main(void)
{
  RUN(test_layers);
  RUN(test_model_is_pure);
  return harness_report();
}
