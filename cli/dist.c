/*
** The processes of a distributed run (cli/dist.h). With WP_MPI: MPI; without: one process.
*/
#include "dist.h"

#include <string.h>

#ifdef WP_MPI
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <mpi.h>

static int g_rank, g_size = 1, g_local = 1, g_on;
static double g_wait, g_gather;
static wp_risk_exchange g_x;

void cli_dist_init(int *argc, char ***argv)
{
  int provided = 0;
  /* The engine's worker threads never call MPI: the main thread makes every call. */
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  g_on = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
  MPI_Comm local;
  if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local) ==
      MPI_SUCCESS) {
    MPI_Comm_size(local, &g_local);
    MPI_Comm_free(&local);
  }
  if (g_rank > 0) { /* rank 0 prints the results; the others only their own errors */
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      fflush(stdout);
      dup2(null, 1);
      close(null);
    }
  }
}

void cli_dist_finalize(void)
{
  if (g_on) MPI_Finalize();
  g_on = 0;
}

int cli_dist_rank(void)
{
  return g_rank;
}
int cli_dist_size(void)
{
  return g_size;
}
int cli_dist_local_size(void)
{
  return g_local;
}

int cli_dist_all_ok(int ok)
{
  int all = 0;
  if (MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD) != MPI_SUCCESS) return 0;
  return all;
}

static int all_ok(void *ctx, int ok)
{
  (void)ctx;
  const double t0 = MPI_Wtime();
  const int all = cli_dist_all_ok(ok);
  g_wait += MPI_Wtime() - t0;
  return all;
}

/* Gatherv to rank 0, in rank order. MPI counts and displacements are int: the CLI's ranges
** (paths <= 1e8, the value-of-waiting samples) keep every gather below INT_MAX values; one
** beyond fails instead of wrapping. */
static int gather(void *ctx, const double *mine, size_t n, double *all, size_t n_all)
{
  (void)ctx;
  const double t0 = MPI_Wtime();
  int failed = n > INT_MAX || n_all > INT_MAX, any = 0;
  MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
  if (any) return 1;
  int n_mine = (int)n, *counts = NULL, *displs = NULL;
  if (g_rank == 0) {
    counts = malloc((size_t)g_size * sizeof *counts);
    displs = malloc((size_t)g_size * sizeof *displs);
    if (!counts || !displs) MPI_Abort(MPI_COMM_WORLD, 1); /* ends every rank */
  }
  int rc = MPI_Gather(&n_mine, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rc == MPI_SUCCESS && g_rank == 0) {
    long long at = 0;
    for (int r = 0; r < g_size; r++) {
      displs[r] = (int)at;
      at += counts[r];
    }
    if (at != (long long)n_all) MPI_Abort(MPI_COMM_WORLD, 1); /* blocks do not cover the set */
  }
  if (rc == MPI_SUCCESS)
    rc = MPI_Gatherv(mine, n_mine, MPI_DOUBLE, all, counts, displs, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  free(counts);
  free(displs);
  g_gather += MPI_Wtime() - t0;
  return rc != MPI_SUCCESS;
}

int cli_dist_gather(const double *mine, size_t n, double *all, size_t n_all)
{
  return gather(NULL, mine, n, all, n_all);
}

const wp_risk_exchange *cli_dist_exchange(size_t paths)
{
  if (g_size <= 1) return NULL;
  const size_t r = (size_t)g_rank, R = (size_t)g_size;
  g_x = (wp_risk_exchange){.first = paths * r / R,
                           .count = paths * (r + 1) / R - paths * r / R,
                           .root = g_rank == 0,
                           .all_ok = all_ok,
                           .gather = gather,
                           .ctx = NULL};
  return &g_x;
}

void cli_dist_seconds(double *waiting, double *gathering)
{
  *waiting = g_wait;
  *gathering = g_gather;
}

#else /* one process */

void cli_dist_init(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
}
void cli_dist_finalize(void)
{
}
int cli_dist_all_ok(int ok)
{
  return ok;
}
int cli_dist_gather(const double *mine, size_t n, double *all, size_t n_all)
{
  if (n != n_all) return 1;
  if (n) memcpy(all, mine, n * sizeof *all);
  return 0;
}
int cli_dist_rank(void)
{
  return 0;
}
int cli_dist_size(void)
{
  return 1;
}
int cli_dist_local_size(void)
{
  return 1;
}
const wp_risk_exchange *cli_dist_exchange(size_t paths)
{
  (void)paths;
  return NULL;
}
void cli_dist_seconds(double *waiting, double *gathering)
{
  *waiting = *gathering = 0.0;
}

#endif
