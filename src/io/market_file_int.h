/*
** src/io/market_file_int.h — monthly market CSV files into a wp_market_series (private to src/io
** and its tests): a scenario's market_file: (a month column and any subset of the market
** columns) and a site's power_file: (month,power_usd_per_mwh). Read through the one CSV reader
** (src/io/csv_int.h); the format is documented in docs/scenario.md.
*/
#ifndef WP_IO_MARKET_FILE_INT_H
#define WP_IO_MARKET_FILE_INT_H

#include <stddef.h>

#include "wattpivot/error.h"
#include "wattpivot/market.h"

/* Which columns a format accepts (bit flags). */
#define WP_MARKET_FILE_BTC_PRICE  0x01u /* btc_price_usd */
#define WP_MARKET_FILE_DIFFICULTY 0x02u /* difficulty */
#define WP_MARKET_FILE_HASHPRICE  0x04u /* hashprice_usd_per_ph_day */
#define WP_MARKET_FILE_FEES       0x08u /* fees_btc_per_block */
#define WP_MARKET_FILE_POWER      0x10u /* power_usd_per_mwh */
#define WP_MARKET_FILE_GPU        0x20u /* gpu_usd_per_hour */
#define WP_MARKET_FILE_COLO       0x40u /* colo_usd_per_kw_month */
#define WP_MARKET_FILE_ALL        0x7fu /* market_file: */
/* power_file: month,power_usd_per_mwh */
#define WP_MARKET_FILE_POWER_ONLY WP_MARKET_FILE_POWER

/* Largest market or power file, bytes. */
#define WP_MARKET_FILE_MAX_BYTES ((size_t)16 << 20)

/*
** Parse text[0..len-1] (named name in messages) into out (a zeroed or filled series: released
** first; zeroed on failure):
** a header with the column `month` (required) and at least one of the columns in `columns`
** (each at most once; any other name refused with a "did you mean"); then one row per month,
** YYYY-MM strictly increasing (gaps allowed: a month not listed is not given), each cell a
** number in its column's range or empty (not given). '#' lines are comments. Every refusal is
** WP_EPARSE "name:LINE:COL: column NAME: ..." (or "name:LINE: ..." for the header and row
** width); WP_ENOMEM.
*/
wp_status wp_market_file_parse(const char *text, size_t len, const char *name, unsigned columns,
                               wp_market_series *out, wp_error *err);

/* Read path and parse it as wp_market_file_parse. WP_EIO when it cannot be read. */
wp_status wp_market_file_read(const char *path, unsigned columns, wp_market_series *out,
                              wp_error *err);

#endif
