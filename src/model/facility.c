/*
** Conversion engineering (see wattpivot/facility.h): GPU rack catalog, availability of
** redundant topologies, PUE against ambient temperature, standardization checklist.
** Sources of every default are cited where it is defined; docs/model/engineering.md explains.
*/
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "wattpivot/facility.h"
#include "wattpivot/range.h"

#define HOURS_PER_YEAR 8760.0
#define T_MIN_C        (-60.0)
#define T_MAX_C        60.0

/* ---- names ---------------------------------------------------------------------------- */

static const char *const cooling_names[WP_COOLING_COUNT] = {"air", "rdhx", "dlc", "immersion"};
static const char *const redundancy_names[WP_REDUNDANCY_COUNT] = {"N", "N+1", "2N", "2N+1"};
static const char *const gpu_names[WP_GPU_COUNT] = {"h100", "b200", "gb200", "gb300"};

const char *wp_cooling_name(wp_cooling c)
{
  return (unsigned)c < WP_COOLING_COUNT ? cooling_names[c] : "?";
}

const char *wp_redundancy_name(wp_redundancy r)
{
  return (unsigned)r < WP_REDUNDANCY_COUNT ? redundancy_names[r] : "?";
}

const char *wp_gpu_name(wp_gpu g)
{
  return (unsigned)g < WP_GPU_COUNT ? gpu_names[g] : "?";
}

static int name_eq(const char *a, const char *b)
{
  for (; *a && *b; a++, b++)
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
  return *a == *b;
}

/* Index of name in names[0..n-1], or -1. */
static int find_name(const char *name, const char *const *names, int n)
{
  if (!name) return -1;
  for (int i = 0; i < n; i++)
    if (name_eq(name, names[i])) return i;
  return -1;
}

wp_status wp_cooling_from_name(const char *name, wp_cooling *out, wp_error *err)
{
  int i = find_name(name, cooling_names, WP_COOLING_COUNT);
  if (i < 0 || !out)
    return wp_error_unknown_name(err, "cooling", name, cooling_names, WP_COOLING_COUNT);
  *out = (wp_cooling)i;
  return WP_OK;
}

wp_status wp_redundancy_from_name(const char *name, wp_redundancy *out, wp_error *err)
{
  static const char *const alt[WP_REDUNDANCY_COUNT] = {"N", "N1", "2N", "2N1"};
  int i = find_name(name, redundancy_names, WP_REDUNDANCY_COUNT);
  if (i < 0) i = find_name(name, alt, WP_REDUNDANCY_COUNT);
  if (i < 0 || !out)
    return wp_error_unknown_name(err, "redundancy", name, redundancy_names, WP_REDUNDANCY_COUNT);
  *out = (wp_redundancy)i;
  return WP_OK;
}

wp_status wp_gpu_from_name(const char *name, wp_gpu *out, wp_error *err)
{
  int i = find_name(name, gpu_names, WP_GPU_COUNT);
  if (i < 0 || !out)
    return wp_error_unknown_name(err, "gpu", name, gpu_names, WP_GPU_COUNT);
  *out = (wp_gpu)i;
  return WP_OK;
}

/* ---- step 1: racks -------------------------------------------------------------------- */

static const wp_gpu_platform platforms[WP_GPU_COUNT] = {
    /* 10.2 kW max input, 6x3.3 kW PSUs 4+2: NVIDIA DGX H100 user guide via unanswered.io;
    ** 4 per rack = 40.8 kW (docs/model/engineering.md "Step 1").
    ** docs/sources/ai-datacenter.md §1.1 */
    {"h100", "DGX/HGX H100 (8x H100 SXM)", 10.2, 8, 4, 0,
     "NVIDIA DGX H100 user guide: 10.2 kW max input (docs/sources/ai-datacenter.md §1.1)"},
    /* 14.3 kW max, 6x3.3 kW 5+1: docs.nvidia.com DGX B200 user guide.
    ** docs/sources/ai-datacenter.md §1.1 */
    {"b200", "DGX B200 (8x B200)", 14.3, 8, 4, 0,
     "docs.nvidia.com DGX B200 user guide: 14.3 kW max (docs/sources/ai-datacenter.md §1.1)"},
    /* ~120 kW, liquid only: introl, leviathansystems (secondary).
    ** docs/sources/ai-datacenter.md §1.1 */
    {"gb200", "GB200 NVL72 rack (72x B200)", 120.0, 72, 1, 1,
     "~120 kW per NVL72 rack, liquid only: introl/leviathan (docs/sources/ai-datacenter.md §1.1, "
     "secondary)"},
    /* 132 kW: the 8 power shelves' DC output; Supermicro 132-140, Microsoft ~136 (introl,
    ** ai-infrastructure.net, secondary). docs/sources/ai-datacenter.md §1.1 */
    {"gb300", "GB300 NVL72 rack (72x B300)", 132.0, 72, 1, 1,
     "132 kW per NVL72 rack (Supermicro 132-140 kW): introl (docs/sources/ai-datacenter.md §1.1, "
     "secondary)"},
};

const wp_gpu_platform *wp_gpu_platform_get(wp_gpu gpu)
{
  return (unsigned)gpu < WP_GPU_COUNT ? &platforms[gpu] : NULL;
}

wp_status wp_facility_racks(wp_gpu gpu, unsigned servers_per_rack, double it_mw, wp_rack_plan *out,
                            wp_error *err)
{
  const wp_gpu_platform *p = wp_gpu_platform_get(gpu);
  if (!out) return wp_error_set(err, WP_EINVAL, "racks: output pointer is NULL");
  if (!p) return wp_error_set(err, WP_EINVAL, "gpu %d is not in the catalog (0..3)", (int)gpu);
  if (!isfinite(it_mw) || it_mw < 0)
    return wp_error_set(err, WP_EINVAL, "IT load %g MW must be a finite number >= 0", it_mw);
  unsigned spr = servers_per_rack ? servers_per_rack : p->servers_per_rack;
  if (p->rack_scale && spr != 1)
    return wp_error_set(err, WP_EINVAL,
                        "servers per rack %u: %s is a rack-scale system, accepted 0 or 1", spr,
                        p->system);
  if (spr > 8)
    return wp_error_set(err, WP_EINVAL, "servers per rack %u is out of range; accepted 1..8", spr);
  out->servers_per_rack = spr;
  out->rack_kw = p->server_kw * spr;
  double gpus_per_rack = (double)(p->gpus_per_server * spr);
  double rack_it_kw = out->rack_kw * (1.0 + WP_NETWORK_IT_SHARE);
  out->it_kw_per_gpu = rack_it_kw / gpus_per_rack;
  /* A tiny epsilon keeps an exact fit (e.g. 1386 kW = 10 racks) from rounding down. */
  out->racks = (size_t)floor(it_mw * 1000.0 / rack_it_kw + 1e-9);
  out->gpus = out->racks * (size_t)gpus_per_rack;
  out->floor_ft2 = it_mw * WP_AI_FLOOR_FT2_PER_IT_MW;
  return WP_OK;
}

/* ---- step 2: availability ------------------------------------------------------------- */

double wp_avail_unit(double mtbf_h, double mttr_h)
{
  if (!isfinite(mtbf_h) || !isfinite(mttr_h) || mtbf_h <= 0 || mttr_h < 0) return NAN;
  return mtbf_h / (mtbf_h + mttr_h);
}

double wp_avail_k_of_n(double a, unsigned k, unsigned n)
{
  if (!(a >= 0 && a <= 1) || k > n || n > 64) return NAN;
  if (k == 0) return 1.0;
  /* Sum the failure side when it is shorter: fewer terms, less cancellation near a = 1. */
  double q = 1.0 - a, sum = 0.0, c = 1.0; /* c = C(n, i) */
  for (unsigned i = 0; i <= n; i++) {
    if (i > 0) c = c * (double)(n - i + 1) / (double)i;
    if (i >= k) sum += c * pow(a, (double)i) * pow(q, (double)(n - i));
  }
  return sum > 1.0 ? 1.0 : sum;
}

const char *wp_tier_label(double availability)
{
  /* Uptime white paper (Turner, Seader, Renaud, Brill): observed site availability by tier;
  ** docs/sources/ai-datacenter.md §3.1. Labels only. */
  if (availability >= 0.99995) return "Tier IV";
  if (availability >= 0.99982) return "Tier III";
  if (availability >= 0.99741) return "Tier II";
  if (availability >= 0.99671) return "Tier I";
  return "below Tier I";
}

static int rel_ok(const wp_component_rel *c)
{
  return !isnan(wp_avail_unit(c->mtbf_h, c->mttr_h));
}

wp_status wp_facility_availability(wp_redundancy r, const wp_reliability *rel, wp_availability *out,
                                   wp_error *err)
{
  if (!rel || !out) return wp_error_set(err, WP_EINVAL, "availability: NULL argument");
  if ((unsigned)r >= WP_REDUNDANCY_COUNT)
    return wp_error_set(err, WP_EINVAL, "redundancy %d is unknown (0..3)", (int)r);
  const struct {
    const char *name;
    const wp_component_rel *c;
  } parts[] = {{"utility", &rel->utility},
               {"generator", &rel->generator},
               {"ats", &rel->ats},
               {"switchgear", &rel->switchgear},
               {"transformer", &rel->transformer},
               {"ups", &rel->ups},
               {"pdu", &rel->pdu},
               {"cooling", &rel->cooling}};
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
    if (!rel_ok(parts[i].c))
      return wp_error_set(err, WP_EINVAL,
                          "%s MTBF %g h / MTTR %g h: need MTBF > 0 and MTTR >= 0, finite",
                          parts[i].name, parts[i].c->mtbf_h, parts[i].c->mttr_h);
  if (rel->generators_n == 0 || rel->ups_n == 0 || rel->cooling_n == 0 || rel->generators_n > 32 ||
      rel->ups_n > 32 || rel->cooling_n > 32)
    return wp_error_set(err, WP_EINVAL,
                        "unit counts generators %u, UPS %u, cooling %u: each must be 1..32",
                        rel->generators_n, rel->ups_n, rel->cooling_n);
  unsigned spare = (r == WP_REDUNDANCY_N1 || r == WP_REDUNDANCY_2N1) ? 1u : 0u;
  int two_paths = (r == WP_REDUNDANCY_2N || r == WP_REDUNDANCY_2N1);
  double u = wp_avail_unit(rel->utility.mtbf_h, rel->utility.mttr_h);
  double g = wp_avail_k_of_n(wp_avail_unit(rel->generator.mtbf_h, rel->generator.mttr_h),
                             rel->generators_n, rel->generators_n + spare);
  double d = wp_avail_unit(rel->ats.mtbf_h, rel->ats.mttr_h) *
             wp_avail_unit(rel->switchgear.mtbf_h, rel->switchgear.mttr_h) *
             wp_avail_unit(rel->transformer.mtbf_h, rel->transformer.mttr_h) *
             wp_avail_k_of_n(wp_avail_unit(rel->ups.mtbf_h, rel->ups.mttr_h), rel->ups_n,
                             rel->ups_n + spare) *
             wp_avail_unit(rel->pdu.mtbf_h, rel->pdu.mttr_h);
  double c = wp_avail_k_of_n(wp_avail_unit(rel->cooling.mtbf_h, rel->cooling.mttr_h),
                             rel->cooling_n, rel->cooling_n + spare);
  double ap, ac;
  if (two_paths) {
    /* Condition on the common utility: both paths lose it together (common mode). */
    double up = 1.0 - (1.0 - d) * (1.0 - d);
    double down = 1.0 - (1.0 - d * g) * (1.0 - d * g);
    ap = u * up + (1.0 - u) * down;
    ac = 1.0 - (1.0 - c) * (1.0 - c);
  } else {
    ap = d * (1.0 - (1.0 - u) * (1.0 - g));
    ac = c;
  }
  out->power_availability = ap;
  out->cooling_availability = ac;
  out->availability = ap * ac;
  out->downtime_h_per_yr = (1.0 - out->availability) * HOURS_PER_YEAR;
  out->tier_label = wp_tier_label(out->availability);
  return WP_OK;
}

/* ---- step 3: cooling and PUE ---------------------------------------------------------- */

/*
** One cooling technology. Heat splits between a liquid (warm-water) path and an air path
** served by CRAH units on chilled water. Temperatures are facility-water supply/return, C.
*/
typedef struct cooling_params {
  double rack_kw_max; /* docs/sources/ai-datacenter.md §1.3 (crac.services, NVIDIA guide) */
  double liquid_frac; /* share of IT heat captured by the liquid path */
  double liquid_supply_c, liquid_return_c;
  double liquid_dp_kpa; /* pump head of the liquid path incl. CDU secondary loop */
} cooling_params;

static const cooling_params cooling_table[WP_COOLING_COUNT] = {
    /* air: containment limit ~30 kW/rack (NVIDIA NCA-AIIO study guide,
    ** docs/sources/ai-datacenter.md §1.3). */
    {30.0, 0.0, 0.0, 0.0, 0.0},
    /* rdhx: 20-80 kW per door (crac.services, docs/sources/ai-datacenter.md §1.3). Passive
    ** doors on 18/24 C water take ~90% of the heat, the room the rest (judgment). Pump head
    ** 250 kPa (judgment). */
    {80.0, 0.90, 18.0, 24.0, 250.0},
    /* dlc: 50-150 kW/rack (crac.services). ASHRAE W32 warm water 32/42 C
    ** (docs/sources/ai-datacenter.md §2.2: W32-W45 chiller-less); cold plates capture ~80% of the
    ** heat (judgment, 70-85% typical); facility 250 kPa + CDU secondary 200 kPa (judgment). */
    {150.0, 0.80, 32.0, 42.0, 450.0},
    /* immersion: ">100 kW", "effectively unlimited"; 250 kW = the JLL projected AI rack
    ** (docs/sources/ai-datacenter.md §1.3). Tanks take ~97% of the heat (judgment), W32 water. */
    {250.0, 0.97, 32.0, 42.0, 450.0},
};

/* Air path: CRAH on chilled water 14/20 C (judgment: elevated chilled water serving the
** ASHRAE recommended 18-27 C inlet, docs/sources/ai-datacenter.md §2.2); air dT 12 K, fan
** static 500 Pa, fan efficiency 0.6 (judgment; Lei & Masanet's fan kW = V dp / eta structure,
** docs/sources/ai-datacenter.md §2.3). */
#define AIR_CHW_SUPPLY_C 14.0
#define AIR_CHW_RETURN_C 20.0
#define AIR_DT_K         12.0
#define AIR_DP_PA        500.0
#define AIR_FAN_EFF      0.6
#define AIR_RHO_KG_M3    1.2
#define AIR_CP_KJ_KGK    1.005
#define CHW_DP_KPA       250.0 /* chilled-water loop pump head (judgment) */
#define HR_DP_KPA        150.0 /* heat-rejection (dry-cooler) loop pump head (judgment) */
#define PUMP_EFF         0.7   /* judgment */
#define WATER_CP_KJ_KGK  4.2

/* Dry coolers: median approach 10 K to dry bulb (Energies 2023 16(9) 3661, 6,730 models,
** docs/sources/ai-datacenter.md §2.3(b)); plate heat exchanger approach 2 K (same §2.3: HX
** 1-2 K). */
#define DRY_COOLER_APPROACH_K 10.0
#define HX_APPROACH_K         2.0
/* Heat-rejection fan power per kW of heat rejected: open wet towers use 0.012-0.021
** kW_el/kW_th (Energies 2023, docs/sources/ai-datacenter.md §2.3(b)); dry coolers need more
** air: 0.02 (judgment). */
#define HR_FAN_KW_PER_KW 0.02

/* Electrical losses (docs/sources/ai-datacenter.md §2.3 suggested model: UPS 2-6%, distribution
** ~0.5-2%, lighting 0.2-1%; Lei & Masanet example 0.98 / 0.56% / 0.18%). Distribution incl.
** transformers 1.5% and lighting/misc 0.5% are judgment within those ranges. */
#define DISTRIBUTION_LOSS 0.015
#define LIGHTING_FRAC     0.005

/* Double-conversion UPS efficiency falls at the lower load a redundant topology runs each
** module at (N ~90%, 2N <= 50% per side). Judgment within the 2-6% loss range of
** docs/sources/ai-datacenter.md §2.3. */
static const double ups_eff[WP_REDUNDANCY_COUNT] = {0.970, 0.965, 0.955, 0.950};

/* Lei & Masanet (2020) chiller COP regression (docs/sources/ai-datacenter.md §2.3(a)):
** t = condenser water C, L = part-load ratio. */
static double cop_lei_masanet(double t, double l)
{
  return 16.7988 + 0.00884 * t * t - 8.5289 * l * l + 9.8853 * l - 0.7606 * t + 0.0846 * l * t;
}

/*
** Chiller COP at condenser water t_cond and chilled-water supply t_supply. The regression is
** used inside 10..35 C (judgment: its fitted, convex range; it turns upward past 43 C) and
** scaled by the temperature lift (Carnot-like) for the supply temperature and for condenser
** water beyond 35 C. The regression's own plant is taken to supply 10 C water (judgment);
** 4 K stands for the evaporator + condenser approaches (judgment).
*/
static double chiller_cop(double t_cond, double t_supply, double l)
{
  double tc = t_cond < 10.0 ? 10.0 : (t_cond > 35.0 ? 35.0 : t_cond);
  double lift_ref = tc - 10.0 + 4.0;
  double lift = t_cond - t_supply + 4.0;
  if (lift < 4.0) lift = 4.0;
  double cop = cop_lei_masanet(tc, l) * lift_ref / lift;
  return cop > 15.0 ? 15.0 : cop; /* cap: no real chiller plant beats ~15 (judgment) */
}

/* Share of a path's heat removed without chillers (Lei & Masanet's waterside-economizer
** interpolation between supply and return temperature, docs/sources/ai-datacenter.md §2.3(a)). */
static double free_frac(double ambient_c, double supply_c, double return_c)
{
  double approach = ambient_c + DRY_COOLER_APPROACH_K + HX_APPROACH_K;
  if (approach <= supply_c) return 1.0;
  if (approach >= return_c) return 0.0;
  return (return_c - approach) / (return_c - supply_c);
}

/* Pump kW per kW of heat moved: dp * (Q / (cp dT)) / rho / eta. */
static double pump_kw_per_kw(double dp_kpa, double dt_k)
{
  double m_kg_s = 1.0 / (WATER_CP_KJ_KGK * dt_k);
  return dp_kpa * 1000.0 * (m_kg_s / 1000.0) / PUMP_EFF / 1000.0;
}

/* Path cooling: heat q (kW per kW IT) through a water loop supply/return; adds the chiller,
** heat-rejection fan and pump terms to pt and returns the heat that went through chillers. */
static double path_cooling(double q, double ambient_c, double supply_c, double return_c,
                           double loop_dp_kpa, wp_pue_point *pt)
{
  if (q <= 0) return 0.0;
  double f = free_frac(ambient_c, supply_c, return_c);
  double q_ch = q * (1.0 - f);
  double p_ch = 0.0;
  if (q_ch > 0) {
    /* Part load: plant sized for the whole path at 80% load (judgment), floor 25%. */
    double l = 0.8 * (1.0 - f);
    if (l < 0.25) l = 0.25;
    double cop = chiller_cop(ambient_c + DRY_COOLER_APPROACH_K, supply_c, l);
    p_ch = q_ch / cop;
    pt->chiller_cop = cop;
  }
  double dt = return_c - supply_c;
  pt->chillers += p_ch;
  pt->heat_rejection += HR_FAN_KW_PER_KW * (q + p_ch);
  pt->pumps += q * (pump_kw_per_kw(loop_dp_kpa, dt) + pump_kw_per_kw(HR_DP_KPA, dt));
  return q_ch;
}

/* PUE at ambient_c without validation; also returns the share of heat through chillers. */
static void pue_point(wp_cooling c, wp_redundancy r, double ambient_c, wp_pue_point *pt,
                      double *chiller_frac)
{
  const cooling_params *cp = &cooling_table[c];
  memset(pt, 0, sizeof *pt);
  pt->ups_loss = 1.0 / ups_eff[r] - 1.0;
  pt->distribution_loss = 1.0 / (1.0 - DISTRIBUTION_LOSS) - 1.0;
  pt->lighting = LIGHTING_FRAC;
  /* Air path: the IT heat the liquid does not take, the lighting, and the fans' own heat. */
  double q_air = (1.0 - cp->liquid_frac) + LIGHTING_FRAC;
  double fan_per_kw =
      (1.0 / (AIR_RHO_KG_M3 * AIR_CP_KJ_KGK * AIR_DT_K)) * AIR_DP_PA / AIR_FAN_EFF / 1000.0;
  pt->fans = q_air * fan_per_kw;
  q_air += pt->fans;
  double q_liq = cp->liquid_frac;
  double q_ch = path_cooling(q_air, ambient_c, AIR_CHW_SUPPLY_C, AIR_CHW_RETURN_C, CHW_DP_KPA, pt);
  q_ch += path_cooling(q_liq, ambient_c, cp->liquid_supply_c, cp->liquid_return_c,
                       cp->liquid_dp_kpa, pt);
  double q_total = q_air + q_liq;
  pt->free_cooling_frac = 1.0 - q_ch / q_total;
  if (chiller_frac) *chiller_frac = q_ch / q_total;
  pt->pue = 1.0 + pt->ups_loss + pt->distribution_loss + pt->lighting + pt->fans + pt->pumps +
            pt->heat_rejection + pt->chillers;
}

double wp_cooling_rack_kw_max(wp_cooling c)
{
  return (unsigned)c < WP_COOLING_COUNT ? cooling_table[c].rack_kw_max : NAN;
}

/* Temperatures the PUE curves are defined for. */
static const wp_range temp_range = {T_MIN_C, T_MAX_C, 0, 0, "C"};

wp_status wp_facility_pue_at(wp_cooling c, wp_redundancy r, double ambient_c, wp_pue_point *out,
                             wp_error *err)
{
  if (!out) return wp_error_set(err, WP_EINVAL, "pue: output pointer is NULL");
  if ((unsigned)c >= WP_COOLING_COUNT)
    return wp_error_set(err, WP_EINVAL, "cooling %d is unknown (0..3)", (int)c);
  if ((unsigned)r >= WP_REDUNDANCY_COUNT)
    return wp_error_set(err, WP_EINVAL, "redundancy %d is unknown (0..3)", (int)r);
  wp_status st = wp_range_check(&temp_range, ambient_c, err, "ambient temperature");
  if (st) return st;
  pue_point(c, r, ambient_c, out, NULL);
  return WP_OK;
}

/* Probabilists' Gauss-Hermite rule, 5 nodes, weights normalized to 1: E[f(mean + s Z)]. */
static const double gh_x[5] = {-2.8569700138728056, -1.3556261799742659, 0.0, 1.3556261799742659,
                               2.8569700138728056};
static const double gh_w[5] = {0.011257411327720689, 0.22207592200561264, 0.53333333333333333,
                               0.22207592200561264, 0.011257411327720689};

static const double days_in_month[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* Mean PUE over a month whose hourly temperature is normal(mean_c, WP_MONTH_SPREAD_C). */
static double month_pue(wp_cooling c, wp_redundancy r, double mean_c)
{
  double sum = 0.0;
  wp_pue_point pt;
  for (int j = 0; j < 5; j++) {
    pue_point(c, r, mean_c + WP_MONTH_SPREAD_C * gh_x[j], &pt, NULL);
    sum += gh_w[j] * pt.pue;
  }
  return sum;
}

/* Hours of the month with full free cooling of the main heat path. */
static double month_free_hours(wp_cooling c, double mean_c, double days)
{
  const cooling_params *cp = &cooling_table[c];
  double supply = cp->liquid_frac >= 0.5 ? cp->liquid_supply_c : AIR_CHW_SUPPLY_C;
  double threshold = supply - DRY_COOLER_APPROACH_K - HX_APPROACH_K;
  double z = (threshold - mean_c) / WP_MONTH_SPREAD_C;
  return days * 24.0 * 0.5 * erfc(-z / sqrt(2.0));
}

/* ---- step 4 and the whole design ------------------------------------------------------ */

/* Append text to buf (capacity n) at len; returns the new length (truncates, stays
** NUL-terminated). */
static size_t append(char *buf, size_t n, size_t len, const char *text)
{
  while (*text && len + 1 < n)
    buf[len++] = *text++;
  buf[len] = '\0';
  return len;
}

const char *wp_check_status_name(wp_check_status s)
{
  static const char *const names[] = {"pass", "included", "upgrade", "reduced"};
  return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

const char *wp_std_item_name(wp_std_item item)
{
  static const char *const names[WP_STD_COUNT] = {
      "sealed envelope and insulation", "dust filtration",   "fire detection and suppression",
      "monitoring (BMS/DCIM)",          "physical security", "audit and certification"};
  return (unsigned)item < WP_STD_COUNT ? names[item] : "?";
}

static void add_check(wp_facility *f, const char *item, wp_check_status st)
{
  if (f->n_checklist >= WP_CHECKLIST_MAX) return;
  f->checklist[f->n_checklist].item = item;
  f->checklist[f->n_checklist].status = st;
  f->n_checklist++;
}

/* Status of a standardization item for the design: a mine has open, ventilated sheds, outside
** air with coarse filters, SCADA and fences but no data-center fire suppression
** (docs/model/engineering.md "Step 4"; ">90% of a miner's infrastructure must be replaced",
** Sabre56, docs/sources/ai-datacenter.md §4.3). */
wp_check_status wp_std_item_status(const wp_design_spec *spec, wp_std_item item)
{
  int brown = !spec->greenfield;
  switch (item) {
  case WP_STD_DUST:
    if (spec->cooling == WP_COOLING_IMMERSION) return WP_CHECK_REDUCED;
    return brown ? WP_CHECK_UPGRADE : WP_CHECK_INCLUDED;
  case WP_STD_ENVELOPE:
  case WP_STD_MONITORING:
  case WP_STD_SECURITY:
    return brown ? WP_CHECK_UPGRADE : WP_CHECK_INCLUDED;
  case WP_STD_FIRE:
  case WP_STD_AUDIT:
    return WP_CHECK_INCLUDED;
  }
  return WP_CHECK_INCLUDED;
}

/* Refusal when the rack is too dense for the cooling: name both numbers and what would work. */
static wp_status refuse_density(const wp_design_spec *spec, const wp_rack_plan *plan,
                                const wp_gpu_platform *p, wp_error *err)
{
  static const char *const labels[WP_COOLING_COUNT] = {"air (30 kW)", "rdhx (80 kW)",
                                                       "dlc (150 kW)", "immersion (250 kW)"};
  char works[96];
  size_t len = 0;
  for (int c = 0; c < WP_COOLING_COUNT; c++) {
    if (cooling_table[c].rack_kw_max < plan->rack_kw) continue;
    if (len) len = append(works, sizeof works, len, ", ");
    len = append(works, sizeof works, len, labels[c]);
  }
  if (!len) append(works, sizeof works, 0, "none");
  double limit = cooling_table[spec->cooling].rack_kw_max;
  unsigned fit = p->rack_scale ? 0u : (unsigned)floor(limit / p->server_kw);
  if (fit >= 1)
    return wp_error_set(err, WP_EINVAL,
                        "rack density %.1f kW (%s, %u per rack) exceeds the %s cooling limit of "
                        "%g kW per rack; coolings that would work: %s; or %u per rack (%.1f kW)",
                        plan->rack_kw, p->name, plan->servers_per_rack,
                        wp_cooling_name(spec->cooling), limit, works, fit, fit * p->server_kw);
  return wp_error_set(err, WP_EINVAL,
                      "rack density %.1f kW (%s, %u per rack) exceeds the %s cooling limit of "
                      "%g kW per rack; coolings that would work: %s",
                      plan->rack_kw, p->name, plan->servers_per_rack,
                      wp_cooling_name(spec->cooling), limit, works);
}

static wp_status validate_spec(const wp_design_spec *spec, wp_error *err)
{
  if (!isfinite(spec->grid_mw) || spec->grid_mw <= 0 || spec->grid_mw > 100000)
    return wp_error_set(err, WP_EINVAL, "grid_mw %g is out of range; accepted (0, 100000] MW",
                        spec->grid_mw);
  if ((unsigned)spec->cooling >= WP_COOLING_COUNT)
    return wp_error_set(err, WP_EINVAL, "cooling %d is unknown; accepted 0..3", (int)spec->cooling);
  if ((unsigned)spec->redundancy >= WP_REDUNDANCY_COUNT)
    return wp_error_set(err, WP_EINVAL, "redundancy %d is unknown; accepted 0..3",
                        (int)spec->redundancy);
  if ((unsigned)spec->gpu >= WP_GPU_COUNT)
    return wp_error_set(err, WP_EINVAL, "gpu %d is unknown; accepted 0..3", (int)spec->gpu);
  double hottest = -INFINITY;
  for (int m = 0; m < 12; m++) {
    wp_status st = wp_range_check(&temp_range, spec->monthly_c[m], err,
                                  "monthly temperature of month %d", m + 1);
    if (st) return st;
    if (spec->monthly_c[m] > hottest) hottest = spec->monthly_c[m];
  }
  wp_status st = wp_range_check(&temp_range, spec->design_c, err, "design temperature");
  if (st) return st;
  if (spec->design_c < hottest)
    return wp_error_set(err, WP_EINVAL,
                        "design temperature %g C is below the hottest monthly mean %g C; the "
                        "design condition must be the hottest",
                        spec->design_c, hottest);
  return WP_OK;
}

wp_status wp_facility_design_rel(const wp_design_spec *spec, const wp_reliability *rel,
                                 wp_facility *out, wp_error *err)
{
  static const wp_reliability default_rel = WP_RELIABILITY_DEFAULT;
  if (!spec || !out) return wp_error_set(err, WP_EINVAL, "design: NULL argument");
  wp_status st = validate_spec(spec, err);
  if (st != WP_OK) return st;
  memset(out, 0, sizeof *out);
  const wp_gpu_platform *p = wp_gpu_platform_get(spec->gpu);
  wp_rack_plan plan;
  st = wp_facility_racks(spec->gpu, spec->servers_per_rack, 0.0, &plan, err);
  if (st != WP_OK) return st;
  if (plan.rack_kw > cooling_table[spec->cooling].rack_kw_max)
    return refuse_density(spec, &plan, p, err);

  /* Step 3 first: the design PUE sets the sellable IT load. */
  wp_pue_point dp;
  pue_point(spec->cooling, spec->redundancy, spec->design_c, &dp, &out->chiller_design_frac);
  out->pue_design = dp.pue;
  out->it_mw = spec->grid_mw / dp.pue;
  double hours = 0.0, weighted = 0.0;
  for (int m = 0; m < 12; m++) {
    double h = days_in_month[m] * 24.0;
    out->pue_monthly[m] = month_pue(spec->cooling, spec->redundancy, spec->monthly_c[m]);
    out->free_cooling_h_per_yr +=
        month_free_hours(spec->cooling, spec->monthly_c[m], days_in_month[m]);
    weighted += h * out->pue_monthly[m]; /* IT load is constant: hours weight the energy */
    hours += h;
  }
  out->pue_annual = weighted / hours;
  out->grid_mwh_per_yr = out->it_mw * HOURS_PER_YEAR * out->pue_annual;

  /* Step 1 at the sellable IT load. */
  st = wp_facility_racks(spec->gpu, spec->servers_per_rack, out->it_mw, &out->plan, err);
  if (st != WP_OK) return st;
  out->rack_kw = out->plan.rack_kw;
  out->rack_kw_limit = cooling_table[spec->cooling].rack_kw_max;

  /* Step 2. */
  st = wp_facility_availability(spec->redundancy, rel ? rel : &default_rel, &out->avail, err);
  if (st != WP_OK) return st;

  /* Step 4: the engineering checks the design met (else it was refused), then the
  ** standardization items. */
  add_check(out, "rack density within the cooling limit", WP_CHECK_PASS);
  add_check(out, "design temperature covers the hottest month", WP_CHECK_PASS);
  for (int i = 0; i < WP_STD_COUNT; i++)
    add_check(out, wp_std_item_name((wp_std_item)i), wp_std_item_status(spec, (wp_std_item)i));
  return WP_OK;
}

wp_status wp_facility_design(const wp_design_spec *spec, wp_facility *out, wp_error *err)
{
  return wp_facility_design_rel(spec, NULL, out, err);
}
