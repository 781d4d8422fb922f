/* wattpivot mining: hashprice, revenue per MWh, break-even power price, margin per MW. */
#include <stdio.h>

#include "cli.h"
#include "commands.h"

int cmd_mining(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_fail("mining", CLI_EXIT_INTERNAL, "not built yet");
}
