/* wattpivot btc: protocol facts — subsidy, supply, hashrate, retarget, nBits. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

static const cli_command btc_cmd = {
  "btc", "wattpivot btc SUBCOMMAND [options]",
  "Bitcoin protocol facts, exact to Bitcoin Core.",
  "Subcommands:\n"
  "  subsidy  --height H                     block subsidy (sat), halvings, next halving\n"
  "  supply                                  total supply over all heights (sat)\n"
  "  hashrate --difficulty D                 expected network hashrate (EH/s), D*2^32/600\n"
  "  retarget --difficulty D --timespan-s S  next difficulty after an epoch of S seconds\n"
  "  nbits    --bits 0x1d00ffff              difficulty of a compact target\n"
  "Run 'wattpivot btc SUBCOMMAND --help' for each one's options."};

static int btc_subsidy(int argc, char **argv)
{
  static const cli_command cmd = {"btc subsidy", "wattpivot btc subsidy --height H [--json]",
                                  "Block subsidy at a height, halvings so far, next halving.",
                                  NULL};
  cli_opt opts[] = {
    {.name = "height", .kind = CLI_INT, .meta = "H", .help = "Block height (required).",
     .min = 0, .max = (double)WP_BTC_MAX_HEIGHT},
    {.name = "json", .kind = CLI_FLAG, .help = "Machine-readable output."},
  };
  int rc = cli_parse(&cmd, argc, argv, opts, NOPTS(opts), NULL, 0, NULL);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  if (!opts[0].set) return cli_fail(cmd.name, CLI_EXIT_USAGE, "--height is required");
  int64_t h = opts[0].i64;
  int64_t sat = wp_btc_subsidy_sat(h), next = wp_btc_next_halving_height(h);
  if (opts[1].set) {
    cJSON *doc = cJSON_CreateObject();
    if (!doc) return cli_print_json(NULL);
    cli_json_add_i64(doc, "height", h);
    cli_json_add_i64(doc, "subsidy_sat", sat);
    cli_json_add_i64(doc, "halvings", wp_btc_halvings(h));
    if (next >= 0)
      cli_json_add_i64(doc, "next_halving_height", next);
    else
      cJSON_AddNullToObject(doc, "next_halving_height");
    return cli_print_json(doc);
  }
  printf("height               %" PRId64 "\n", h);
  printf("subsidy              %" PRId64 " sat (%.8f BTC)\n", sat,
         (double)sat / (double)WP_BTC_COIN_SAT);
  printf("halvings so far      %" PRId64 "\n", wp_btc_halvings(h));
  if (next >= 0)
    printf("next halving height  %" PRId64 " (in %" PRId64 " blocks, ~%.0f days at 144/day)\n",
           next, next - h, (double)(next - h) / WP_BTC_BLOCKS_PER_DAY);
  else
    printf("next halving height  none (the subsidy is already 0)\n");
  return CLI_EXIT_OK;
}

static int btc_supply(int argc, char **argv)
{
  static const cli_command cmd = {"btc supply", "wattpivot btc supply [--json]",
                                  "Total bitcoin supply: the subsidy summed over all heights.",
                                  NULL};
  cli_opt opts[] = {{.name = "json", .kind = CLI_FLAG, .help = "Machine-readable output."}};
  int rc = cli_parse(&cmd, argc, argv, opts, NOPTS(opts), NULL, 0, NULL);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  int64_t total = wp_btc_total_supply_sat();
  if (opts[0].set) {
    cJSON *doc = cJSON_CreateObject();
    if (!doc) return cli_print_json(NULL);
    cli_json_add_i64(doc, "total_supply_sat", total);
    return cli_print_json(doc);
  }
  printf("total supply  %" PRId64 " sat (%.8f BTC)\n", total,
         (double)total / (double)WP_BTC_COIN_SAT);
  return CLI_EXIT_OK;
}

static int btc_hashrate(int argc, char **argv)
{
  static const cli_command cmd = {
    "btc hashrate", "wattpivot btc hashrate --difficulty D [--json]",
    "Expected network hashrate for a difficulty: H = D * 2^32 / 600 s.",
    "Uses the industry 2^32 convention (Luxor, pools); Bitcoin Core's exact work per unit\n"
    "of difficulty, 4,295,032,833, is 1.5e-5 higher."};
  cli_opt opts[] = {
    {.name = "difficulty", .kind = CLI_NUM, .meta = "D",
     .help = "Network difficulty, e.g. 153.33e12 (required).", .min = 0, .min_open = 1,
     .max = INFINITY},
    {.name = "json", .kind = CLI_FLAG, .help = "Machine-readable output."},
  };
  int rc = cli_parse(&cmd, argc, argv, opts, NOPTS(opts), NULL, 0, NULL);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  if (!opts[0].set) return cli_fail(cmd.name, CLI_EXIT_USAGE, "--difficulty is required");
  double ehs = wp_btc_hashrate_hs(opts[0].num) / 1e18;
  if (opts[1].set) {
    cJSON *doc = cJSON_CreateObject();
    if (!doc) return cli_print_json(NULL);
    cJSON_AddNumberToObject(doc, "difficulty", opts[0].num);
    cJSON_AddNumberToObject(doc, "hashrate_ehs", ehs);
    return cli_print_json(doc);
  }
  char buf[64];
  printf("difficulty  %.6g\n", opts[0].num);
  printf("hashrate    %s EH/s\n", wp_format_grouped(buf, sizeof buf, ehs, 2));
  return CLI_EXIT_OK;
}

static int btc_retarget(int argc, char **argv)
{
  static const cli_command cmd = {
    "btc retarget", "wattpivot btc retarget --difficulty D --timespan-s S [--json]",
    "Next difficulty after an epoch of 2016 blocks that took S seconds.",
    "S is the measured timespan (first to last block: 2015 intervals). It is clamped to\n"
    "[302,400 s, 4,838,400 s], so one step changes difficulty by x0.25 to x4."};
  cli_opt opts[] = {
    {.name = "difficulty", .kind = CLI_NUM, .meta = "D", .help = "Current difficulty (required).",
     .min = 0, .min_open = 1, .max = INFINITY},
    {.name = "timespan-s", .kind = CLI_NUM, .meta = "S",
     .help = "Measured epoch timespan in seconds (required).", .min = 0, .min_open = 1,
     .max = INFINITY},
    {.name = "json", .kind = CLI_FLAG, .help = "Machine-readable output."},
  };
  int rc = cli_parse(&cmd, argc, argv, opts, NOPTS(opts), NULL, 0, NULL);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  if (!opts[0].set || !opts[1].set)
    return cli_fail(cmd.name, CLI_EXIT_USAGE, "--difficulty and --timespan-s are required");
  double nd = 0, f = 0;
  wp_error err = WP_ERROR_INIT;
  if (wp_btc_retarget(opts[0].num, opts[1].num, &nd, &f, &err) != WP_OK)
    return cli_fail_status(cmd.name, &err);
  if (opts[2].set) {
    cJSON *doc = cJSON_CreateObject();
    if (!doc) return cli_print_json(NULL);
    cJSON_AddNumberToObject(doc, "new_difficulty", nd);
    cJSON_AddNumberToObject(doc, "factor", f);
    return cli_print_json(doc);
  }
  printf("difficulty      %.6g\n", opts[0].num);
  printf("timespan        %.0f s (target 1209600 s)\n", opts[1].num);
  printf("factor          %.9f%s\n", f,
         (f == 4.0 || f == 0.25) ? " (clamped)" : "");
  printf("new difficulty  %.6g\n", nd);
  return CLI_EXIT_OK;
}

static int btc_nbits(int argc, char **argv)
{
  static const cli_command cmd = {"btc nbits", "wattpivot btc nbits --bits 0xNNNNNNNN [--json]",
                                  "Difficulty of a compact target (a block header's nBits).",
                                  NULL};
  cli_opt opts[] = {
    {.name = "bits", .kind = CLI_STR, .meta = "0xNNNNNNNN",
     .help = "Compact target, hexadecimal (0x prefix optional) (required)."},
    {.name = "json", .kind = CLI_FLAG, .help = "Machine-readable output."},
  };
  int rc = cli_parse(&cmd, argc, argv, opts, NOPTS(opts), NULL, 0, NULL);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  if (!opts[0].set) return cli_fail(cmd.name, CLI_EXIT_USAGE, "--bits is required");
  const char *s = opts[0].str;
  char *end = NULL;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 16);
  if (end == s || *end != '\0' || errno == ERANGE || v > 0xffffffffull || s[0] == '-')
    return cli_fail(cmd.name, CLI_EXIT_BADINPUT,
                    "--bits '%s' is not a 32-bit hexadecimal number; accepted 0x00000000 to "
                    "0xffffffff, e.g. 0x1d00ffff",
                    s);
  double d = 0;
  wp_error err = WP_ERROR_INIT;
  if (wp_btc_difficulty_from_nbits((uint32_t)v, &d, &err) != WP_OK)
    return cli_fail_status(cmd.name, &err);
  if (opts[1].set) {
    cJSON *doc = cJSON_CreateObject();
    if (!doc) return cli_print_json(NULL);
    cJSON_AddNumberToObject(doc, "difficulty", d);
    return cli_print_json(doc);
  }
  printf("nBits       0x%08llx\ndifficulty  %.17g\n", v, d);
  return CLI_EXIT_OK;
}

int cmd_btc(int argc, char **argv)
{
  static const cli_sub subs[] = {{"subsidy", btc_subsidy},   {"supply", btc_supply},
                                 {"hashrate", btc_hashrate}, {"retarget", btc_retarget},
                                 {"nbits", btc_nbits}};
  return cli_dispatch(&btc_cmd, subs, NOPTS(subs), argc, argv);
}
