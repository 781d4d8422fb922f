/*
** Generated portfolios (wattpivot/scenario_file.h wp_scenario_generate; docs/scenario.md
** "Generated portfolios"): the built-in default scenario with its sites replaced by n sites drawn
** around the default's 14, for benchmarks, property tests and what-ifs at scale. Deterministic:
** one Philox4x32 block per site from (seed, site index), so a seed gives the same bytes on every
** machine and site i does not depend on how many follow it.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf_int.h"
#include "model/philox_int.h"
#include "wattpivot/scenario_file.h"

#define GEN_DOMAIN 0x67656eu /* "gen": this module's Philox domain */

/* Two standard normals and two uniforms of site i (Box-Muller on the block's first words). */
typedef struct site_draw {
  double u_template, z_size, z_climate, u_price;
} site_draw;

static site_draw draw(uint64_t seed, size_t i)
{
  philox4x32_ctr_t c = wp_philox4x32_ctr((uint64_t)i, 0, GEN_DOMAIN, 0);
  philox4x32_ctr_t r = philox4x32(c, wp_philox4x32_key(seed));
  philox4x32_ctr_t r2 =
      philox4x32(wp_philox4x32_ctr((uint64_t)i, 0, GEN_DOMAIN, 1), wp_philox4x32_key(seed));
  const double u1 = wp_philox_u01_2x32(r.v[0], r.v[1]), u2 = wp_philox_u01_2x32(r.v[2], r.v[3]);
  const double rad = sqrt(-2.0 * log(u1)), ang = 6.283185307179586 * u2;
  site_draw d = {.u_template = wp_philox_u01_2x32(r2.v[0], r2.v[1]),
                 .z_size = rad * cos(ang),
                 .z_climate = rad * sin(ang),
                 .u_price = wp_philox_u01_2x32(r2.v[2], r2.v[3])};
  return d;
}

/* x rounded to 0.1 (the file's precision). */
static double tenth(double x)
{
  return round(x * 10.0) / 10.0;
}

wp_status wp_scenario_generate(size_t nsites, uint64_t seed, char **yaml, wp_error *err)
{
  if (!yaml) return wp_error_set(err, WP_EINVAL, "scenario generate: NULL argument");
  *yaml = NULL;
  if (nsites < 1 || nsites > WP_SCENARIO_MAX_SITES)
    return wp_error_set(err, WP_EINVAL, "scenario generate: --sites %zu is out of range [1, %d]",
                        nsites, WP_SCENARIO_MAX_SITES);
  wp_scenario *def = wp_scenario_new();
  if (!def) return wp_error_set(err, WP_ENOMEM, "scenario generate: out of memory");
  wp_status st = wp_scenario_load_default(def, err);
  if (st) {
    wp_scenario_free(def);
    return st;
  }
  /* The default's text up to its regions (its sections and countries), then the regions with
     their demand scaled to the portfolio's size, then the sites; no custom pathways (they name
     the default's sites). */
  const char *text = wp_scenario_default_text();
  const char *cut = strstr(text, "\nregions:");
  if (!cut || def->nsites == 0) {
    wp_scenario_free(def);
    return wp_error_set(err, WP_EINVAL, "scenario generate: the default scenario has no regions");
  }
  wp_sbuf b = WP_SBUF_INIT;
  wp_sbuf_printf(
      &b,
      "# wattpivot scenario generate --sites %zu --seed %llu: %zu sites drawn around the\n"
      "# built-in default's %zu (docs/scenario.md, \"Generated portfolios\"). Synthetic:\n"
      "# not any company's sites. The sections are the default scenario's.\n",
      nsites, (unsigned long long)seed, nsites, def->nsites);
  const char *body = strstr(text, "\nscenario:");
  body = body ? body + 1 : text;
  /* The scenario's name says what it is; the rest of the default's text as it is. */
  const char *name = strstr(body, "\n  name:");
  const char *name_end = name && name < cut ? strchr(name + 1, '\n') : NULL;
  if (name_end) {
    wp_sbuf_add(&b, body, (size_t)(name - body) + 1);
    wp_sbuf_printf(&b, "  name: Generated portfolio, %zu sites (seed %llu)", nsites,
                   (unsigned long long)seed);
    body = name_end;
  }
  wp_sbuf_add(&b, body, (size_t)(cut - body) + 1);
  double grid_def = 0;
  for (size_t i = 0; i < def->nsites; i++)
    grid_def += def->sites[i].grid_mw;
  /* Sites first (their total sizes the regions' demand). */
  wp_sbuf sites = WP_SBUF_INIT;
  double grid_gen = 0;
  wp_sbuf_puts(&sites, "\nsites:\n");
  for (size_t i = 0; i < nsites; i++) {
    const site_draw d = draw(seed, i);
    size_t t = (size_t)(d.u_template * (double)def->nsites);
    if (t >= def->nsites) t = def->nsites - 1;
    const wp_site *s = &def->sites[t];
    /* Size: the template's grid MW x lognormal(0, 0.5), 5 to 2,000 MW. Power price: x U(0.85,
       1.15). Climate: every month and the design day shifted by N(0, 1.5) C. The spreads are
       judgment (docs/scenario.md "Generated portfolios"): synthetic, not a fleet statistic. */
    const double grid = fmin(2000.0, fmax(5.0, tenth(s->grid_mw * exp(0.5 * d.z_size))));
    const double price = tenth(s->power_usd_per_mwh * (0.85 + 0.30 * d.u_price));
    const double shift = 1.5 * d.z_climate;
    grid_gen += grid;
    wp_sbuf_printf(&sites, "  - name: G%03zu %s\n", i + 1, s->name);
    wp_sbuf_printf(&sites, "    country: %s\n    region: %s\n    status: %s\n", s->country,
                   s->region, s->status);
    wp_sbuf_printf(&sites, "    grid_mw: %.1f\n    power_usd_per_mwh: %.1f\n", grid, price);
    wp_sbuf_puts(&sites, "    monthly_c: [");
    for (int m = 0; m < 12; m++)
      wp_sbuf_printf(&sites, "%s%.1f", m ? ", " : "", tenth(s->monthly_c[m] + shift));
    wp_sbuf_printf(&sites, "]\n    design_c: %.1f\n", tenth(s->design_c + shift));
    wp_sbuf_printf(&sites, "    ai_ready: %s\n    fleet_eff_j_per_th: %.17g\n",
                   s->ai_ready ? "true" : "false", s->fleet_eff_j_per_th);
    wp_sbuf_printf(&sites, "    mining_pue: %.17g\n    online_month: %lld\n", s->mining_pue,
                   (long long)s->online_month);
  }
  wp_sbuf_puts(&b, "\nregions:                       # the default's demand x the portfolio's grid "
                   "MW / the default's\n");
  const double scale = grid_def > 0 ? grid_gen / grid_def : 1.0;
  for (size_t r = 0; r < def->nregions; r++)
    wp_sbuf_printf(&b, "  - {name: %s, ai_it_mw_max: %.0f}\n", def->regions[r].name,
                   round(def->regions[r].ai_it_mw_max * scale));
  char *s_text = wp_sbuf_take(&sites);
  if (s_text) wp_sbuf_puts(&b, s_text);
  free(s_text);
  wp_scenario_free(def);
  *yaml = s_text ? wp_sbuf_take(&b) : (wp_sbuf_release(&b), NULL);
  if (!*yaml) return wp_error_set(err, WP_ENOMEM, "scenario generate: out of memory");
  return WP_OK;
}
