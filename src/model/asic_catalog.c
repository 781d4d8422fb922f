/*
** The ASIC catalog: nameplate hashrate, power and efficiency of current miners, each row with
** its source (docs/sources/mining.md §3; "secondary only" where a single dealer/aggregator is the
** only source found). Prices only where a dated market price is cited.
*/
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "wattpivot/mining.h"

#define SRC_MS "miningstore.com S19 guide; nhamilton1/asics-tools asicWattList.ts"
#define SRC_HRI_A16 "hashrateindex.com/blog/hardware-review-canaans-a16-series (Oct 2025)"
#define SRC_SEAL "Bitdeer Oct 2024 announcement via Wu Blockchain (binance.com square 15816899072866)"

static const wp_asic catalog[] = {
  {"s19j-pro", "Antminer S19j Pro", 104, 3068, 29.5, WP_ASIC_AIR, 5.3,
   SRC_MS "; price $550 used = $5.3/TH (bilthon/mining-roi rigs, 2025)"},
  {"s19-xp", "Antminer S19 XP", 140, 3010, 21.5, WP_ASIC_AIR, 10.4,
   SRC_MS "; price $1,450 = $10.4/TH (bilthon/mining-roi rigs, 2025)"},
  {"s21", "Antminer S21", 200, 3500, 17.5, WP_ASIC_AIR, NAN,
   "Bitmain WDMS-2023 launch (viabtc.com/blog/en/268)"},
  {"s21-hyd", "Antminer S21 Hyd", 335, 5360, 16.0, WP_ASIC_HYDRO, NAN,
   "viabtc.com/blog/en/268"},
  {"s21-pro", "Antminer S21 Pro", 234, 3510, 15.0, WP_ASIC_AIR, 16.9,
   "bilthon/mining-roi rigs/s21_pro_234th.json (dealer $3,950 = $16.9/TH, 2025)"},
  {"s21-xp", "Antminer S21 XP", 270, 3645, 13.5, WP_ASIC_AIR, 25.70,
   "btcminermarketplace.com (270 TH/s, 13.5 J/TH at the wall); price $25.70/TH Hashrate Index "
   "roundup 3 Nov 2025"},
  {"s21-xp-hyd", "Antminer S21 XP Hyd", 473, 5676, 12.0, WP_ASIC_HYDRO, NAN,
   "code rows of public calculators (secondary only)"},
  {"s23-hyd", "Antminer S23 Hyd", 580, 5510, 9.5, WP_ASIC_HYDRO, 30.0,
   "bilthon/mining-roi rigs/s23_hyd.json (shop.bitmain.com $17,400 = $30/TH); ships early 2026"},
  {"m60s", "Whatsminer M60S", 186, 3425, 18.4, WP_ASIC_AIR, NAN,
   "code row of public calculators (secondary only); launch piece says 17.5 J/TH"},
  {"m66s+", "Whatsminer M66S+", 314, 5338, 17.0, WP_ASIC_IMMERSION, NAN,
   "top-crypto-mining-asics.com (secondary only)"},
  {"sealminer-a2", "Bitdeer SEALMINER A2", 226, 3729, 16.5, WP_ASIC_AIR, NAN, SRC_SEAL},
  {"sealminer-a2-hyd", "Bitdeer SEALMINER A2 Hyd", 446, 7359, 16.5, WP_ASIC_HYDRO, NAN,
   SRC_SEAL},
  {"avalon-a16", "Canaan Avalon A16", 282, 3900, 13.8, WP_ASIC_AIR, NAN, SRC_HRI_A16},
  {"avalon-a16-xp", "Canaan Avalon A16 XP", 300, 3850, 12.8, WP_ASIC_AIR, NAN, SRC_HRI_A16},
};

size_t wp_asic_count(void)
{
  return sizeof catalog / sizeof catalog[0];
}

const wp_asic *wp_asic_at(size_t i)
{
  return i < wp_asic_count() ? &catalog[i] : NULL;
}

const char *wp_asic_cooling_name(wp_asic_cooling c)
{
  switch (c) {
  case WP_ASIC_AIR: return "air";
  case WP_ASIC_HYDRO: return "hydro";
  case WP_ASIC_IMMERSION: return "immersion";
  }
  return "unknown";
}

/* Lowercase alphanumerics and '+', without a leading maker name. */
static void normalize(const char *in, char *out, size_t n)
{
  static const char *makers[] = {"antminer", "whatsminer", "bitdeer", "canaan"};
  size_t o = 0;
  for (; *in && o + 1 < n; in++) {
    unsigned char c = (unsigned char)*in;
    if (isalnum(c) || c == '+') out[o++] = (char)tolower(c);
  }
  out[o] = '\0';
  for (size_t i = 0; i < sizeof makers / sizeof makers[0]; i++) {
    size_t k = strlen(makers[i]);
    if (strncmp(out, makers[i], k) == 0 && out[k] != '\0') {
      memmove(out, out + k, strlen(out + k) + 1);
      break;
    }
  }
}

const wp_asic *wp_asic_find(const char *name)
{
  char want[96], have[96];
  if (!name) return NULL;
  normalize(name, want, sizeof want);
  if (!want[0]) return NULL;
  for (size_t i = 0; i < wp_asic_count(); i++) {
    normalize(catalog[i].id, have, sizeof have);
    if (strcmp(want, have) == 0) return &catalog[i];
    normalize(catalog[i].name, have, sizeof have);
    if (strcmp(want, have) == 0) return &catalog[i];
  }
  return NULL;
}
