/*
** cli/dist.h — the processes of a distributed run (docs/distributed.md). In the MPI build
** (-DWP_MPI=ON) `mpirun -n R wattpivot risk ...` splits the paths over R processes, the engine
** gathering their per-path results to rank 0 through MPI (wp_risk_exchange); in the default
** build, and for every other command, one process does everything.
*/
#ifndef WP_CLI_DIST_H
#define WP_CLI_DIST_H

#include <stddef.h>

#include <wattpivot.h>

/* Start and end the process group (MPI_Init_thread / MPI_Finalize in the MPI build). Only
** rank 0 writes to standard output; every rank reports its own errors on standard error. */
void cli_dist_init(int *argc, char ***argv);
void cli_dist_finalize(void);

/* This process's rank and the number of processes (0 and 1 without MPI). */
int cli_dist_rank(void);
int cli_dist_size(void);

/* Processes on this machine (to share its cores between them). */
int cli_dist_local_size(void);

/* The exchange of process rank's block of the paths (NULL with one process). */
const wp_risk_exchange *cli_dist_exchange(size_t paths);

/* And of ok over the processes (collective; ok itself with one process): a process that
** failed before a split run tells the others, which then stop instead of waiting for it. */
int cli_dist_all_ok(int ok);

/* Concatenate every process's n values, in rank order, into all (n_all values) on rank 0 (all
** NULL elsewhere); collective. With one process: a copy. 0 on success. */
int cli_dist_gather(const double *mine, size_t n, double *all, size_t n_all);

/* Seconds this process spent in the exchange: waiting for every process to finish its block
** (all_ok) and gathering the results. */
void cli_dist_seconds(double *waiting, double *gathering);

#endif
