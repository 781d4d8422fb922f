/* cli/commands.h — one entry point per command (cli/cmd_<name>.c). argv[0] is the command. */
#ifndef WP_CLI_COMMANDS_H
#define WP_CLI_COMMANDS_H

int cmd_btc(int argc, char **argv);
int cmd_design(int argc, char **argv);
int cmd_mining(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_scenario(int argc, char **argv);
int cmd_schedule(int argc, char **argv);
int cmd_finance(int argc, char **argv);
int cmd_runs(int argc, char **argv);
int runs_show(int argc, char **argv); /* wattpivot runs show (cmd_runs_show.c) */
int cmd_risk(int argc, char **argv);
int cmd_sweep(int argc, char **argv);

#endif
