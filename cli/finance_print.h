/* cli/finance_print.h — printing a finance study (cli/finance_print.c). */
#ifndef WP_CLI_FINANCE_PRINT_H
#define WP_CLI_FINANCE_PRINT_H

#include <stdio.h>

#include <wattpivot.h>

/* The study as JSON on to (ledger_path: the CSV written, or NULL). Returns an exit code. */
int finance_print_json(const wp_finance_study *s, const char *ledger_path, FILE *to);

/* The study as text on to. */
void finance_print_text(const wp_finance_study *s, const char *ledger_path, FILE *to);

#endif
