/* wattpivot mining: hashprice, revenue per MWh, break-even power price, margin per MW. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

#define NOPTS(a) (sizeof(a) / sizeof((a)[0]))

static const cli_command mining_cmd = {
  "mining",
  "wattpivot mining [--difficulty D] [--btc-price-usd P] [--fees-btc F]\n"
  "                        [--efficiency-j-th E | --asic NAME] [--power-usd-mwh C]\n"
  "                        [--uptime U] [--pool-fee F] [--pue X] [--height H] [--json]\n"
  "       wattpivot mining --list-asics [--json]",
  "Mining economics of one MW of miners: hashprice, revenue per MWh, break-even power price,\n"
  "revenue, power cost and margin per MW-day, ASIC capex per MW.",
  "Any input not given takes the value of the built-in default scenario: the November-2025\n"
  "network (Luxor Hashrate Index monthly averages: difficulty 153.33T, BTC $96,532, fees\n"
  "0.019 BTC/block), an Antminer S21 XP fleet (13.5 J/TH), power $38/MWh (IREN FY2025),\n"
  "uptime 97%, no pool fee, PUE 1.00 (per MW at the miners' plugs). The output says which\n"
  "inputs came from the defaults. Sources: docs/model/mining.md."};

enum {
  O_DIFF, O_PRICE, O_FEES, O_EFF, O_ASIC, O_POWER, O_UPTIME, O_POOL, O_PUE, O_HEIGHT, O_USDTH,
  O_LIST, O_JSON
};

static int list_asics(int json)
{
  if (json) {
    cJSON *doc = cJSON_CreateObject();
    cJSON *arr = doc ? cJSON_AddArrayToObject(doc, "asics") : NULL;
    if (!arr) {
      cJSON_Delete(doc);
      return cli_print_json(NULL);
    }
    for (size_t i = 0; i < wp_asic_count(); i++) {
      const wp_asic *a = wp_asic_at(i);
      cJSON *o = cJSON_CreateObject();
      if (!o) {
        cJSON_Delete(doc);
        return cli_print_json(NULL);
      }
      cJSON_AddItemToArray(arr, o);
      cJSON_AddStringToObject(o, "id", a->id);
      cJSON_AddStringToObject(o, "name", a->name);
      cJSON_AddNumberToObject(o, "ths", a->ths);
      cJSON_AddNumberToObject(o, "watts", a->watts);
      cJSON_AddNumberToObject(o, "eff_j_per_th", a->eff_j_per_th);
      cJSON_AddStringToObject(o, "cooling", wp_asic_cooling_name(a->cooling));
      if (isnan(a->price_usd_per_th))
        cJSON_AddNullToObject(o, "price_usd_per_th");
      else
        cJSON_AddNumberToObject(o, "price_usd_per_th", a->price_usd_per_th);
      cJSON_AddStringToObject(o, "source", a->source);
    }
    return cli_print_json(doc);
  }
  printf("%-18s %-26s %7s %7s %7s %-10s %8s\n", "id", "name", "TH/s", "W", "J/TH", "cooling",
         "$/TH");
  for (size_t i = 0; i < wp_asic_count(); i++) {
    const wp_asic *a = wp_asic_at(i);
    char price[16];
    if (isnan(a->price_usd_per_th))
      snprintf(price, sizeof price, "-");
    else
      snprintf(price, sizeof price, "%.2f", a->price_usd_per_th);
    printf("%-18s %-26s %7.0f %7.0f %7.1f %-10s %8s\n", a->id, a->name, a->ths, a->watts,
           a->eff_j_per_th, wp_asic_cooling_name(a->cooling), price);
  }
  printf("\nSources (nameplate figures, +/-3-5%% at 25 C):\n");
  for (size_t i = 0; i < wp_asic_count(); i++)
    printf("  %-18s %s\n", wp_asic_at(i)->id, wp_asic_at(i)->source);
  return CLI_EXIT_OK;
}

static void unknown_asic(const char *name)
{
  fprintf(stderr, "wattpivot mining: unknown ASIC '%s'; known:", name);
  for (size_t i = 0; i < wp_asic_count(); i++)
    fprintf(stderr, "%s %s", i ? "," : "", wp_asic_at(i)->id);
  fprintf(stderr, " (wattpivot mining --list-asics)\n");
}

static cJSON *json_result(const wp_mining_inputs *in, const wp_mining_result *r,
                          const wp_asic *asic, double usd_per_th)
{
  cJSON *doc = cJSON_CreateObject();
  if (!doc) return NULL;
  cJSON_AddNumberToObject(doc, "hashprice_btc_per_ph_day", r->hashprice_btc_per_ph_day);
  cJSON_AddNumberToObject(doc, "hashprice_usd_per_ph_day", r->hashprice_usd_per_ph_day);
  cJSON_AddNumberToObject(doc, "ths_per_mw", r->ths_per_mw);
  cJSON_AddNumberToObject(doc, "revenue_usd_per_mwh", r->revenue_usd_per_mwh);
  cJSON_AddNumberToObject(doc, "breakeven_power_usd_per_mwh", r->breakeven_power_usd_per_mwh);
  cJSON_AddNumberToObject(doc, "revenue_usd_per_mw_day", r->revenue_usd_per_mw_day);
  cJSON_AddNumberToObject(doc, "power_usd_per_mw_day", r->power_usd_per_mw_day);
  cJSON_AddNumberToObject(doc, "margin_usd_per_mw_day", r->margin_usd_per_mw_day);
  cJSON_AddNumberToObject(doc, "subsidy_btc", r->subsidy_btc);
  cJSON_AddNumberToObject(doc, "asic_capex_usd_per_mw",
                          wp_mining_fleet_capex_usd(r->ths_per_mw, usd_per_th));
  cJSON *inputs = cJSON_AddObjectToObject(doc, "inputs");
  if (!inputs) {
    cJSON_Delete(doc);
    return NULL;
  }
  cJSON_AddNumberToObject(inputs, "difficulty", in->difficulty);
  cJSON_AddNumberToObject(inputs, "btc_price_usd", in->btc_price_usd);
  cJSON_AddNumberToObject(inputs, "fees_btc_per_block", in->fees_btc_per_block);
  cli_json_add_i64(inputs, "height", in->height);
  cJSON_AddNumberToObject(inputs, "eff_j_per_th", in->eff_j_per_th);
  if (asic)
    cJSON_AddStringToObject(inputs, "asic", asic->id);
  else
    cJSON_AddNullToObject(inputs, "asic");
  cJSON_AddNumberToObject(inputs, "power_usd_per_mwh", in->power_usd_per_mwh);
  cJSON_AddNumberToObject(inputs, "uptime", in->uptime);
  cJSON_AddNumberToObject(inputs, "pool_fee", in->pool_fee);
  cJSON_AddNumberToObject(inputs, "pue", in->pue);
  cJSON_AddNumberToObject(inputs, "asic_price_usd_per_th", usd_per_th);
  return doc;
}

static void print_result(const wp_mining_inputs *in, const wp_mining_result *r,
                         const wp_asic *asic, double usd_per_th, const char *defaulted)
{
  char a[48], b[48];
  printf("Mining economics per MW of miner load\n");
  if (defaulted[0])
    printf("(defaults of the built-in scenario, Nov-2025 network, for:%s)\n", defaulted);
  printf("\nInputs\n");
  printf("  difficulty          %.2f T (network %s EH/s)\n", in->difficulty / 1e12,
         wp_format_grouped(a, sizeof a, wp_btc_hashrate_hs(in->difficulty) / 1e18, 1));
  printf("  BTC price           $%s\n", wp_format_grouped(a, sizeof a, in->btc_price_usd, 0));
  printf("  fees                %.4f BTC/block\n", in->fees_btc_per_block);
  printf("  height              %lld (subsidy %.8g BTC)\n", (long long)in->height,
         r->subsidy_btc);
  if (asic)
    printf("  fleet               %s, %.1f J/TH\n", asic->name, in->eff_j_per_th);
  else
    printf("  fleet               %.2f J/TH\n", in->eff_j_per_th);
  printf("  power price         $%.2f/MWh\n", in->power_usd_per_mwh);
  printf("  uptime              %.1f %%\n", in->uptime * 100);
  printf("  pool fee            %.2f %%\n", in->pool_fee * 100);
  printf("  PUE                 %.2f\n", in->pue);
  printf("\nResults\n");
  printf("  hashprice           %.8f BTC/PH/day = $%.2f/PH/day\n", r->hashprice_btc_per_ph_day,
         r->hashprice_usd_per_ph_day);
  printf("  fleet hashrate      %s TH/s per MW\n", wp_format_grouped(a, sizeof a, r->ths_per_mw, 0));
  printf("  revenue             $%.2f/MWh (net of pool fee, per MWh at the meter)\n",
         r->revenue_usd_per_mwh);
  printf("  break-even power    $%.2f/MWh\n", r->breakeven_power_usd_per_mwh);
  printf("  revenue             $%s per MW-day\n",
         wp_format_grouped(a, sizeof a, r->revenue_usd_per_mw_day, 2));
  printf("  power cost          $%s per MW-day\n",
         wp_format_grouped(a, sizeof a, r->power_usd_per_mw_day, 2));
  printf("  margin              $%s per MW-day ($%s per MW-year)\n",
         wp_format_grouped(a, sizeof a, r->margin_usd_per_mw_day, 2),
         wp_format_grouped(b, sizeof b, r->margin_usd_per_mw_day * 365.0, 0));
  printf("  ASIC capex          $%s per MW at $%.2f/TH\n",
         wp_format_grouped(a, sizeof a, wp_mining_fleet_capex_usd(r->ths_per_mw, usd_per_th), 0),
         usd_per_th);
}

int cmd_mining(int argc, char **argv)
{
  cli_opt opts[] = {
    [O_DIFF] = {.name = "difficulty", .kind = CLI_NUM, .meta = "D",
                .help = "Network difficulty, e.g. 153.33e12 (1 is the protocol's least).",
                .min = 1, .max = 1e20},
    [O_PRICE] = {.name = "btc-price-usd", .kind = CLI_NUM, .meta = "P", .help = "USD per BTC.",
                 .min = 0, .max = 1e8},
    [O_FEES] = {.name = "fees-btc", .kind = CLI_NUM, .meta = "F",
                .help = "Average fees per block, BTC.", .min = 0, .max = 50},
    [O_EFF] = {.name = "efficiency-j-th", .kind = CLI_NUM, .meta = "E",
               .help = "Fleet efficiency, J/TH.", .min = 0, .min_open = 1, .max = 1000},
    [O_ASIC] = {.name = "asic", .kind = CLI_STR, .meta = "NAME",
                .help = "Fleet of one catalog model (see --list-asics), e.g. s21-xp."},
    [O_POWER] = {.name = "power-usd-mwh", .kind = CLI_NUM, .meta = "C",
                 .help = "All-in power price, USD/MWh.", .min = 0, .max = 10000},
    [O_UPTIME] = {.name = "uptime", .kind = CLI_NUM, .meta = "U",
                  .help = "Fraction of hours the fleet hashes.", .min = 0, .max = 1},
    [O_POOL] = {.name = "pool-fee", .kind = CLI_NUM, .meta = "F",
                .help = "Fraction of revenue kept by the pool.", .min = 0, .max = 1,
                .max_open = 1},
    [O_PUE] = {.name = "pue", .kind = CLI_NUM, .meta = "X",
               .help = "Grid MW per MW of miners (1.05 air, 1.03 hydro).", .min = 1, .max = 3},
    [O_HEIGHT] = {.name = "height", .kind = CLI_INT, .meta = "H",
                  .help = "Block height (selects the subsidy).", .min = 0,
                  .max = (double)WP_BTC_MAX_HEIGHT},
    [O_USDTH] = {.name = "asic-usd-per-th", .kind = CLI_NUM, .meta = "X",
                 .help = "ASIC price for the capex line, USD/TH (default: the ASIC's cited "
                         "price, else $25.70).",
                 .min = 0, .max = 10000},
    [O_LIST] = {.name = "list-asics", .kind = CLI_FLAG, .help = "Print the ASIC catalog."},
    [O_JSON] = {.name = "json", .kind = CLI_FLAG, .help = "Machine-readable output."},
  };
  int rc = cli_parse(&mining_cmd, argc, argv, opts, NOPTS(opts), NULL, 0, NULL);
  if (rc) return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
  if (opts[O_LIST].set) return list_asics(opts[O_JSON].set);
  if (opts[O_EFF].set && opts[O_ASIC].set)
    return cli_fail("mining", CLI_EXIT_USAGE, "give --efficiency-j-th or --asic, not both");

  wp_mining_inputs in = WP_MINING_INPUTS_DEFAULT;
  const wp_asic *asic = wp_asic_find("s21-xp");
  char defaulted[256] = "";
  struct {
    int idx;
    double *field;
    const char *label;
  } map[] = {{O_DIFF, &in.difficulty, "difficulty"},
             {O_PRICE, &in.btc_price_usd, "btc price"},
             {O_FEES, &in.fees_btc_per_block, "fees"},
             {O_POWER, &in.power_usd_per_mwh, "power price"},
             {O_UPTIME, &in.uptime, "uptime"},
             {O_POOL, &in.pool_fee, "pool fee"},
             {O_PUE, &in.pue, "pue"}};
  for (size_t i = 0; i < NOPTS(map); i++) {
    if (opts[map[i].idx].set) {
      *map[i].field = opts[map[i].idx].num;
    } else {
      strncat(defaulted, defaulted[0] ? ", " : " ", sizeof defaulted - strlen(defaulted) - 1);
      strncat(defaulted, map[i].label, sizeof defaulted - strlen(defaulted) - 1);
    }
  }
  if (opts[O_HEIGHT].set)
    in.height = opts[O_HEIGHT].i64;
  else
    strncat(defaulted, defaulted[0] ? ", height" : " height", sizeof defaulted - strlen(defaulted) - 1);
  if (opts[O_ASIC].set) {
    asic = wp_asic_find(opts[O_ASIC].str);
    if (!asic) {
      unknown_asic(opts[O_ASIC].str);
      return CLI_EXIT_BADINPUT;
    }
    in.eff_j_per_th = asic->eff_j_per_th;
  } else if (opts[O_EFF].set) {
    asic = NULL;
    in.eff_j_per_th = opts[O_EFF].num;
  } else {
    in.eff_j_per_th = asic->eff_j_per_th;
    strncat(defaulted, defaulted[0] ? ", fleet" : " fleet", sizeof defaulted - strlen(defaulted) - 1);
  }
  double usd_per_th = WP_ASIC_PRICE_USD_PER_TH_DEFAULT;
  if (opts[O_USDTH].set)
    usd_per_th = opts[O_USDTH].num;
  else if (asic && !isnan(asic->price_usd_per_th))
    usd_per_th = asic->price_usd_per_th;

  wp_mining_result r;
  wp_error err = WP_ERROR_INIT;
  if (wp_mining_evaluate(&in, &r, &err) != WP_OK) return cli_fail_status("mining", &err);
  if (opts[O_JSON].set) return cli_print_json(json_result(&in, &r, asic, usd_per_th));
  print_result(&in, &r, asic, usd_per_th, defaulted);
  return CLI_EXIT_OK;
}
