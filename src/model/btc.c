/* Bitcoin protocol facts, exact to Bitcoin Core (see wattpivot/btc.h for each source). */
#include <math.h>

#include "wattpivot/btc.h"

int64_t wp_btc_halvings(int64_t height)
{
  return height < 0 ? -1 : height / WP_BTC_HALVING_INTERVAL;
}

int64_t wp_btc_subsidy_sat(int64_t height)
{
  if (height < 0) return -1;
  int64_t halvings = wp_btc_halvings(height);
  /* Core forces the reward to zero where the right shift would be undefined. */
  if (halvings >= 64) return 0;
  return (50 * WP_BTC_COIN_SAT) >> halvings;
}

int64_t wp_btc_next_halving_height(int64_t height)
{
  if (height < 0 || wp_btc_subsidy_sat(height) == 0) return -1;
  return (wp_btc_halvings(height) + 1) * WP_BTC_HALVING_INTERVAL;
}

int64_t wp_btc_total_supply_sat(void)
{
  int64_t total = 0;
  for (int64_t era = 0; era < 64; era++)
    total += WP_BTC_HALVING_INTERVAL * wp_btc_subsidy_sat(era * WP_BTC_HALVING_INTERVAL);
  return total;
}

double wp_btc_hashrate_hs(double difficulty)
{
  return difficulty * WP_BTC_HASHES_PER_DIFFICULTY / WP_BTC_TARGET_SPACING_S;
}

double wp_btc_difficulty_for_hashrate(double hashrate_hs)
{
  return hashrate_hs * WP_BTC_TARGET_SPACING_S / WP_BTC_HASHES_PER_DIFFICULTY;
}

wp_status wp_btc_retarget(double difficulty, double timespan_s, double *new_difficulty,
                          double *factor, wp_error *err)
{
  if (!new_difficulty || !factor)
    return wp_error_set(err, WP_EINVAL, "retarget: output pointer is NULL");
  if (!isfinite(difficulty) || difficulty <= 0)
    return wp_error_set(err, WP_EINVAL, "difficulty %g must be a finite number > 0",
                        difficulty);
  if (!isfinite(timespan_s) || timespan_s <= 0)
    return wp_error_set(err, WP_EINVAL, "timespan %g s must be a finite number > 0",
                        timespan_s);
  const double target = WP_BTC_TARGET_TIMESPAN_S;
  double span = timespan_s;
  if (span < target / 4) span = target / 4;
  if (span > target * 4) span = target * 4;
  *factor = target / span;
  *new_difficulty = difficulty * *factor;
  return WP_OK;
}

double wp_btc_epoch_timespan_s(double spacing_s)
{
  return (WP_BTC_RETARGET_INTERVAL - 1) * spacing_s;
}

wp_status wp_btc_difficulty_from_nbits(uint32_t nbits, double *difficulty, wp_error *err)
{
  if (!difficulty) return wp_error_set(err, WP_EINVAL, "nbits: output pointer is NULL");
  uint32_t mantissa = nbits & 0x007fffffu;
  if (nbits & 0x00800000u)
    return wp_error_set(err, WP_EINVAL,
                        "nBits 0x%08x has the sign bit (0x00800000) set: a negative target",
                        (unsigned)nbits);
  if (mantissa == 0)
    return wp_error_set(err, WP_EINVAL, "nBits 0x%08x has a zero mantissa: no valid target",
                        (unsigned)nbits);
  int shift = (int)((nbits >> 24) & 0xffu);
  double d = (double)0x0000ffff / (double)mantissa;
  while (shift < 29) {
    d *= 256.0;
    shift++;
  }
  while (shift > 29) {
    d /= 256.0;
    shift--;
  }
  *difficulty = d;
  return WP_OK;
}

int64_t wp_btc_height_after_days(int64_t height0, double days)
{
  double h = (double)height0 + floor(days * WP_BTC_BLOCKS_PER_DAY);
  if (h < 0) return 0;
  if (h > (double)WP_BTC_MAX_HEIGHT) return WP_BTC_MAX_HEIGHT;
  return (int64_t)h;
}
