/*
** One site's pathway over the monthly grid: mining until construction starts, then the
** converted megawatts are built into an AI hall whose halls energize in phases, and each month
** is booked into the finance ledger (docs/model/pathway.md).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wattpivot/mining.h"
#include "wattpivot/pathway.h"
#include "wattpivot/range.h"
#include "model/revenue_int.h"
#include "plan/pathway_int.h"

#define NPLANS   3
#define NDESIGNS 8

/* A cached design. The key is compared bytewise: equal bytes are equal inputs, so a hit gives
** exactly what the design functions would (a difference in padding only costs a miss). */
typedef struct design_slot {
  int used;
  wp_design_spec spec;
  wp_capex_opts copts;
  wp_facility facility;
  wp_capex capex;
} design_slot;

struct wp_pathway_eval {
  wp_ym start;
  size_t months;
  wp_ledger *ledger;
  double *series[WP_PW_SERIES_COUNT];
  double *block; /* the one allocation behind the series */
  /* Schedule templates by plan and substation option: built once, read-only afterwards. */
  wp_schedule *templates[NPLANS][2];
  /* Drawn energization milestones replacing the most-likely pass (risk runs). */
  int phase_override;
  size_t n_override;
  double phase_days_override[WP_PATHWAY_MAX_PHASES];
  /* 1 when an input line other than the six a mining run writes in full (mining revenue,
     power, O&M, staff, insurance, property tax) may be non-zero: a mining run after a mining
     run skips zeroing the ledger (the derived lines are overwritten by wp_finance_run). */
  int inputs_dirty;
  /* The last designs (facility + capex) by their inputs: the risk engine runs the same
     conversions on every path, and the design is a pure function of (spec, capex options). */
  design_slot designs[NDESIGNS];
  unsigned next_design; /* round-robin replacement */
  wp_pathway_trace *trace;      /* what the runs write besides the ledger (NULL: nothing) */
  wp_finance_terms last_terms;  /* the finance terms of the last run */
};

void wp_pathway_eval_set_trace(wp_pathway_eval *ev, wp_pathway_trace *t)
{
  if (ev) ev->trace = t;
}

/* The trace's writers (pathway_int.h): the month m's quantities and the run's constants. */
static void trace_mine(wp_pathway_trace *t, size_t m, double ths, double energy_mwh,
                       double om_usd, const wp_revenue_mining_terms *mt)
{
  t->ths[m] = ths;
  t->mine_energy_mwh[m] = energy_mwh;
  t->om_mine_usd[m] = om_usd;
  const double keep = 1.0 - mt->pool_fee;
  if (!t->mining_set) {
    t->eff_j_per_th = mt->eff_j_per_th;
    t->keep = keep;
    t->pue = mt->pue;
    t->uptime = mt->uptime;
    t->curtail = mt->curtail;
    t->mining_set = 1;
  } else if (t->eff_j_per_th != mt->eff_j_per_th || t->keep != keep || t->pue != mt->pue ||
             t->uptime != mt->uptime || t->curtail != mt->curtail) {
    t->fleet_changed = 1;
  }
}

static void trace_stream(wp_pathway_trace *t, size_t m, int which, int on, double energy_mwh)
{
  (which == 1 ? t->e1_mwh : t->e2_mwh)[m] = energy_mwh;
  (which == 1 ? t->on1 : t->on2)[m] = (uint8_t)(on != 0);
  if (which > t->ai_streams) t->ai_streams = which;
}

const wp_finance_terms *wp_pathway_eval_last_terms(const wp_pathway_eval *ev)
{
  return ev ? &ev->last_terms : NULL;
}

static const char *const business_names[WP_BUSINESS_COUNT] = {"mining", "colo", "gpu-contract",
                                                              "gpu-merchant"};

const char *wp_business_key(wp_business b)
{
  static const char *const keys[] = {"mining", "colo", "gpu_contract", "gpu_merchant"};
  return (unsigned)b < WP_BUSINESS_COUNT ? keys[b] : "?";
}

const char *wp_terminal_name(wp_terminal t)
{
  static const char *const names[] = {"exit", "book"};
  return (unsigned)t < WP_TERMINAL_COUNT ? names[t] : "?";
}

const char *wp_business_name(wp_business b)
{
  return (unsigned)b < WP_BUSINESS_COUNT ? business_names[b] : "?";
}

wp_status wp_business_from_name(const char *name, wp_business *out, wp_error *err)
{
  for (int i = 0; name && i < WP_BUSINESS_COUNT; i++)
    if (strcmp(name, business_names[i]) == 0) {
      *out = (wp_business)i;
      return WP_OK;
    }
  return wp_error_unknown_name(err, "business model", name, business_names, WP_BUSINESS_COUNT);
}

const char *wp_refresh_rule_name(wp_refresh_rule r)
{
  switch (r) {
  case WP_REFRESH_IF_PROFITABLE: return "if-profitable";
  case WP_REFRESH_ALWAYS: return "always";
  }
  return "?";
}

wp_pathway wp_pathway_default(void)
{
  wp_pathway p = {
    .business = WP_BUSINESS_MINING,
    .convert_fraction = 1.0,
    .convert_month = 0,
    .cooling = WP_COOLING_DLC,
    .redundancy = WP_REDUNDANCY_N1,
    .gpu = WP_GPU_GB300,
    .plan = WP_SCHED_FAST_TRACK,
    .substation_upgrade = 0,
    .capex_escalation_per_yr = 0.0,
    .valuation = {.terminal_colo = WP_TERMINAL_EXIT,
                  .discount_rate = {NAN, NAN, NAN, NAN},
                  .exit_cap_rate_colo = 0.07},
    .colo = WP_REVENUE_COLO_TERMS_DEFAULT,
    .gpu_contract = WP_REVENUE_GPU_CONTRACT_TERMS_DEFAULT,
    .gpu_merchant = WP_REVENUE_GPU_MERCHANT_TERMS_DEFAULT,
    .opex_ai = WP_REVENUE_OPEX_TERMS_AI_DEFAULT,
    .opex_mining = WP_REVENUE_OPEX_TERMS_MINING_DEFAULT,
    .capex = WP_CAPEX_OPTS_DEFAULT,
  };
  /* GPUs are paid the month before service starts, inside the construction window, so they
     count in the project cost that debt is sized against (judgment: IREN bought its GPUs ahead
     of the Microsoft service, docs/sources/mining.md §6). */
  p.gpu_contract.gpu_capex_lead_months = 1;
  /* Fleet refresh off by default; when switched on, machines of the S21 XP class (13.5 J/TH)
     at $25.70/TH (Hashrate Index, 3 Nov 2025; docs/sources/mining.md §3), bought only when it
     pays. */
  p.refresh.every_months = 0;
  p.refresh.eff_j_per_th = 13.5;
  p.refresh.usd_per_th = WP_ASIC_PRICE_USD_PER_TH_DEFAULT;
  p.refresh.rule = WP_REFRESH_IF_PROFITABLE;
  return p;
}

wp_status wp_site_check(const wp_site *s, wp_error *err)
{
  if (!s) return wp_error_set(err, WP_EINVAL, "site: NULL");
  const char *n = s->name[0] ? s->name : "(unnamed)";
#define SITE_RANGE(field, lo, hi, unit)                                                            \
  do {                                                                                             \
    const wp_range r_ = {lo, hi, 0, 0, unit};                                                      \
    if (wp_range_check(&r_, s->field, err, "site %s: %s", n, #field)) return WP_EINVAL;         \
  } while (0);
  if (!(s->grid_mw > 0) || !isfinite(s->grid_mw) || s->grid_mw > 10000)
    return wp_error_set(err, WP_EINVAL,
                        "site %s: grid_mw %g is out of range; accepted (0, 10000] MW", n,
                        s->grid_mw);
  SITE_RANGE(power_usd_per_mwh, 0, 10000, "USD/MWh")
  SITE_RANGE(design_c, -60, 60, "C")
  SITE_RANGE(tax_rate, 0, 0.99, "")
  SITE_RANGE(fleet_eff_j_per_th, 1, 1000, "J/TH")
  SITE_RANGE(mining_pue, 1, 3, "")
  SITE_RANGE(mining_uptime, 0, 1, "")
  SITE_RANGE(pool_fee, 0, 0.99, "")
  SITE_RANGE(asic_resale_usd_per_th, 0, 1000, "USD/TH")
  SITE_RANGE(expandable_mw, 0, 10000, "MW")
  if (s->online_month < 0 || s->online_month > 1200)
    return wp_error_set(err, WP_EINVAL,
                        "site %s: online_month %lld is out of range; accepted [0, 1200]", n,
                        (long long)s->online_month);
  if (s->queue_months < 0 || s->queue_months > 1200)
    return wp_error_set(err, WP_EINVAL,
                        "site %s: queue_months %lld is out of range; accepted [0, 1200]", n,
                        (long long)s->queue_months);
#undef SITE_RANGE
  for (int i = 0; i < 12; i++)
    if (!isfinite(s->monthly_c[i]) || s->monthly_c[i] < -60 || s->monthly_c[i] > 60)
      return wp_error_set(err, WP_EINVAL,
                          "site %s: monthly_c[%d] %g is out of range; accepted [-60, 60] C", n,
                          i, s->monthly_c[i]);
  return WP_OK;
}

void wp_pathway_eval_free(wp_pathway_eval *ev)
{
  if (!ev) return;
  for (int p = 0; p < NPLANS; p++)
    for (int k = 0; k < 2; k++) wp_schedule_free(ev->templates[p][k]);
  wp_ledger_free(ev->ledger);
  free(ev->block);
  free(ev);
}

wp_status wp_pathway_eval_new(wp_ym start, size_t months, wp_pathway_eval **out, wp_error *err)
{
  wp_status st;
  if (!out) return wp_error_set(err, WP_EINVAL, "pathway evaluator: NULL output");
  *out = NULL;
  if (months == 0 || months > 1200)
    return wp_error_set(err, WP_EINVAL, "horizon %zu months is out of range; accepted [1, 1200]",
                        months);
  wp_pathway_eval *ev = calloc(1, sizeof *ev);
  if (!ev) return wp_error_set(err, WP_ENOMEM, "pathway evaluator: out of memory");
  ev->start = start;
  ev->months = months;
  if ((st = wp_ledger_new(start, months, &ev->ledger, err))) goto fail;
  ev->block = calloc(months * WP_PW_SERIES_COUNT, sizeof(double));
  if (!ev->block) {
    st = wp_error_set(err, WP_ENOMEM, "pathway evaluator: out of memory");
    goto fail;
  }
  for (int s = 0; s < WP_PW_SERIES_COUNT; s++) ev->series[s] = ev->block + (size_t)s * months;
  for (int p = 0; p < NPLANS; p++)
    for (int k = 0; k < 2; k++) {
      wp_sched_template_opts o = {.plan = (wp_sched_plan)p, .substation_upgrade = k};
      if ((st = wp_schedule_template(&o, &ev->templates[p][k], err))) goto fail;
    }
  *out = ev;
  return WP_OK;
fail:
  wp_pathway_eval_free(ev);
  return st;
}

wp_status wp_pathway_eval_set_phase_days(wp_pathway_eval *ev, const double *phase_finish_days,
                                         size_t n, wp_error *err)
{
  if (!ev) return wp_error_set(err, WP_EINVAL, "pathway evaluator: NULL");
  if (!phase_finish_days) {
    ev->phase_override = 0;
    ev->n_override = 0;
    return WP_OK;
  }
  if (n == 0 || n > WP_PATHWAY_MAX_PHASES)
    return wp_error_set(err, WP_EINVAL, "phase override: %zu phases; accepted 1..%d", n,
                        WP_PATHWAY_MAX_PHASES);
  for (size_t k = 0; k < n; k++)
    if (!isfinite(phase_finish_days[k]) || phase_finish_days[k] < 0)
      return wp_error_set(err, WP_EINVAL,
                          "phase override: phase %zu finishes at %g days; accepted a finite "
                          "number >= 0",
                          k + 1, phase_finish_days[k]);
  memcpy(ev->phase_days_override, phase_finish_days, n * sizeof(double));
  ev->n_override = n;
  ev->phase_override = 1;
  return WP_OK;
}

const wp_schedule *wp_pathway_eval_template(const wp_pathway_eval *ev, wp_sched_plan plan,
                                            int substation_upgrade)
{
  if (!ev || (unsigned)plan >= NPLANS) return NULL;
  return ev->templates[plan][substation_upgrade ? 1 : 0];
}

const wp_ledger *wp_pathway_ledger(const wp_pathway_eval *ev)
{
  return ev ? ev->ledger : NULL;
}

const double *wp_pathway_series_data(const wp_pathway_eval *ev, wp_pathway_series which)
{
  return ev && (unsigned)which < WP_PW_SERIES_COUNT ? ev->series[which] : NULL;
}

/* Month index (from the construction start) at which a phase finishing at `days` energizes:
** the first whole month after the milestone. */
int64_t wp_pathway_phase_offset_months(double finish_days)
{
  return (int64_t)ceil(finish_days / WP_SCHED_DAYS_PER_MONTH - 1e-9);
}

static int64_t phase_month(int64_t convert_month, double days)
{
  return convert_month + wp_pathway_phase_offset_months(days);
}

/* The conversion's design, capex and energization phases. */
typedef struct conversion {
  wp_design_spec spec;
  double phase_fraction[WP_PATHWAY_MAX_PHASES];
  int64_t phase_month[WP_PATHWAY_MAX_PHASES];
  size_t nphases;
  double capex_by_class[WP_ASSET_COUNT];
} conversion;

static wp_status plan_conversion(wp_pathway_eval *ev, const wp_site *s, const wp_pathway *p,
                                 conversion *cv, wp_pathway_result *out, wp_error *err)
{
  wp_status st;
  if (!s->ai_ready)
    return wp_error_set(err, WP_EINVAL,
                        "site %s is not AI-ready (ai_ready: false): it cannot be converted",
                        s->name);
  if (!(p->convert_fraction > 0 && p->convert_fraction <= 1))
    return wp_error_set(err, WP_EINVAL,
                        "site %s: convert_fraction %g is out of range; accepted (0, 1]", s->name,
                        p->convert_fraction);
  if ((unsigned)p->valuation.terminal_colo >= WP_TERMINAL_COUNT)
    return wp_error_set(err, WP_EINVAL, "site %s: valuation.terminal_colo %d: accepted exit, book",
                        s->name, (int)p->valuation.terminal_colo);
  if (!(p->valuation.exit_cap_rate_colo > 0 && p->valuation.exit_cap_rate_colo <= 1))
    return wp_error_set(err, WP_EINVAL,
                        "site %s: valuation.exit_cap_rate_colo %g is out of range; accepted (0, 1]",
                        s->name, p->valuation.exit_cap_rate_colo);
  if (!(p->capex_escalation_per_yr >= -0.5 && p->capex_escalation_per_yr <= 1))
    return wp_error_set(err, WP_EINVAL,
                        "site %s: capex_escalation_per_yr %g is out of range; accepted [-0.5, 1]",
                        s->name, p->capex_escalation_per_yr);
  if (p->convert_month < 0 || (size_t)p->convert_month >= ev->months)
    return wp_error_set(err, WP_EINVAL,
                        "site %s: convert_month %lld is outside the horizon [0, %zu]", s->name,
                        (long long)p->convert_month, ev->months - 1);
  if ((unsigned)p->plan >= NPLANS)
    return wp_error_set(err, WP_EINVAL, "site %s: schedule plan %d is unknown", s->name,
                        (int)p->plan);
  memset(&cv->spec, 0, sizeof cv->spec);
  cv->spec.grid_mw = s->grid_mw * p->convert_fraction;
  if (!(cv->spec.grid_mw >= WP_PATHWAY_MIN_CONVERT_MW))
    return wp_error_set(err, WP_EINVAL,
                        "site %s: convert_fraction %g converts %g MW; a conversion is at least "
                        "%g MW (a hall of racks)",
                        s->name, p->convert_fraction, cv->spec.grid_mw, WP_PATHWAY_MIN_CONVERT_MW);
  cv->spec.cooling = p->cooling;
  cv->spec.redundancy = p->redundancy;
  cv->spec.gpu = p->gpu;
  memcpy(cv->spec.monthly_c, s->monthly_c, sizeof cv->spec.monthly_c);
  cv->spec.design_c = s->design_c;
  cv->spec.greenfield = p->plan == WP_SCHED_GREENFIELD || p->new_build;
  wp_capex_opts copts;
  memset(&copts, 0, sizeof copts);
  copts = p->capex;
  copts.asic_resale_usd = 0; /* booked as an asset sale, not a capex credit */
  copts.operator_it = 0;     /* GPUs come from the business model */
  const design_slot *hit = NULL;
  for (size_t k = 0; k < NDESIGNS && !hit; k++) {
    const design_slot *d = &ev->designs[k];
    if (d->used && memcmp(&d->spec, &cv->spec, sizeof d->spec) == 0 &&
        memcmp(&d->copts, &copts, sizeof copts) == 0)
      hit = d;
  }
  if (hit) {
    out->facility = hit->facility;
    out->capex = hit->capex;
  } else {
    if ((st = wp_facility_design(&cv->spec, &out->facility, err))) return st;
    if ((st = wp_capex_design(&cv->spec, &out->facility, &copts, &out->capex, err))) return st;
    design_slot *d = &ev->designs[ev->next_design++ % NDESIGNS];
    d->used = 1;
    memcpy(&d->spec, &cv->spec, sizeof d->spec);
    memcpy(&d->copts, &copts, sizeof copts);
    d->facility = out->facility;
    d->capex = out->capex;
  }
  memset(cv->capex_by_class, 0, sizeof cv->capex_by_class);
  for (size_t i = 0; i < out->capex.n_lines; i++) {
    const wp_capex_line *l = &out->capex.lines[i];
    wp_asset_class c = l->kind == WP_CAPEX_KIND_MEP    ? WP_ASSET_AI_MEP
                       : l->kind == WP_CAPEX_KIND_SOFT ? WP_ASSET_SOFT
                       : l->kind == WP_CAPEX_KIND_IT   ? WP_ASSET_GPU
                                                       : WP_ASSET_AI_SHELL;
    cv->capex_by_class[c] += l->usd;
  }
  const wp_schedule *sched = ev->templates[p->plan][p->substation_upgrade ? 1 : 0];
  out->schedule_months = wp_schedule_months(wp_schedule_finish_days(sched));
  cv->nphases = wp_schedule_phase_count(sched);
  if (cv->nphases > WP_PATHWAY_MAX_PHASES) cv->nphases = WP_PATHWAY_MAX_PHASES;
  if (ev->phase_override && ev->n_override != cv->nphases)
    return wp_error_set(err, WP_EINVAL,
                        "site %s: the phase override has %zu phases; the %s schedule has %zu",
                        s->name, ev->n_override, wp_schedule_plan_name(p->plan), cv->nphases);
  for (size_t k = 0; k < cv->nphases; k++) {
    const wp_sched_phase *ph = wp_schedule_phase(sched, k);
    double days = ev->phase_override ? ev->phase_days_override[k] : ph->finish_days;
    cv->phase_fraction[k] = ph->fraction;
    cv->phase_month[k] = phase_month(p->convert_month, days);
  }
  out->converted_grid_mw = cv->spec.grid_mw;
  out->it_mw = out->facility.it_mw;
  out->ai_capex_usd = out->capex.capex_usd;
  out->energize_first_month = cv->phase_month[0];
  out->energize_full_month = cv->phase_month[0];
  for (size_t k = 1; k < cv->nphases; k++) {
    if (cv->phase_month[k] < out->energize_first_month)
      out->energize_first_month = cv->phase_month[k];
    if (cv->phase_month[k] > out->energize_full_month)
      out->energize_full_month = cv->phase_month[k];
  }
  return WP_OK;
}

/* Share of the conversion's IT MW energized in month m. */
static double energized_share(const conversion *cv, int64_t m)
{
  double f = 0;
  for (size_t k = 0; k < cv->nphases; k++)
    if (m >= cv->phase_month[k]) f += cv->phase_fraction[k];
  return f > 1 ? 1 : f;
}

/* The site's power price in month m: its month-0 price moved like the market path's, unless
** its power_file gives month m (row0: the series row of the path's month 0). */
static double site_power_price(const wp_site *s, const wp_market_path *mp, size_t m, int64_t row0)
{
  const wp_market_series *ps = s->power_series;
  if (ps) {
    const int64_t r = row0 + (int64_t)m;
    if (r >= 0 && (size_t)r < ps->months && !isnan(ps->power_usd_per_mwh[r]))
      return ps->power_usd_per_mwh[r];
  }
  double p0 = mp->power_usd_per_mwh[0];
  return p0 > 0 ? s->power_usd_per_mwh * mp->power_usd_per_mwh[m] / p0 : s->power_usd_per_mwh;
}

void wp_pathway_site_power_override(const wp_site *s, wp_ym start, size_t months, size_t stride,
                                    double *usd_per_mwh)
{
  const wp_market_series *ps = s->power_series;
  if (!ps) return;
  const int64_t row0 = wp_market_series_row(ps, start);
  for (size_t m = 0; m < months; m++) {
    const int64_t r = row0 + (int64_t)m;
    if (r < 0 || (size_t)r >= ps->months || isnan(ps->power_usd_per_mwh[r])) continue;
    for (size_t l = 0; l < stride; l++)
      usd_per_mwh[m * stride + l] = ps->power_usd_per_mwh[r];
  }
}

void wp_pathway_site_power(const wp_site *s, const wp_market_path *mp, double *usd_per_mwh)
{
  /* site_power_price's expression over the months, written for vector instructions. */
  const double p0 = mp->power_usd_per_mwh[0], site = s->power_usd_per_mwh;
  const double *restrict market = mp->power_usd_per_mwh;
  double *restrict out = usd_per_mwh;
  if (!(p0 > 0)) {
    for (size_t m = 0; m < mp->months; m++) out[m] = site;
    wp_pathway_site_power_override(s, mp->start, mp->months, 1, out);
    return;
  }
  for (size_t m = 0; m < mp->months; m++)
    out[m] = site * market[m] / p0;
  wp_pathway_site_power_override(s, mp->start, mp->months, 1, out);
}

/*
** Every load is first priced at the market (so a take-or-pay PPA's opportunity cost drives
** mining curtailment); with a PPA the month's operator-paid energy is then re-priced as a
** whole: fixed block at the PPA price, the rest at market, surplus sold back.
*/
static wp_status apply_ppa(const wp_site *s, int64_t m, double energy_mwh,
                           const wp_market_month *mm, double *power_usd, wp_error *err)
{
  if (!(s->ppa.fixed_mw > 0)) return WP_OK;
  wp_revenue_ppa_month pm;
  double hours = wp_revenue_hours(mm->days);
  wp_status st = wp_revenue_ppa_month_eval(&s->ppa, m, energy_mwh / hours, mm, &pm, err);
  if (st) return st;
  *power_usd = pm.cost_usd;
  return WP_OK;
}

/*
** The month kernels with the terms checked once per run: the first call of each kernel (and
** any month whose varying argument is out of range) goes through the checking entry point, so
** a bad term fails exactly as before; the other months skip the checks (same arithmetic).
*/
/* The last opex month of a kernel: opex depends on the month only through its year, and
** it_mw and capex change only at a few milestones, so most months repeat the previous one. */
typedef struct opex_memo {
  int valid;
  int64_t year;
  double it_mw, capex_usd;
  wp_revenue_opex_month ox;
} opex_memo;

static int same_bits(double a, double b)
{
  return memcmp(&a, &b, sizeof a) == 0;
}

static wp_status opex_month(const wp_revenue_opex_terms *t, int *checked, opex_memo *memo,
                            int64_t m, double it_mw, double capex_usd, wp_revenue_opex_month *ox,
                            wp_error *err)
{
  if (memo->valid && memo->year == m / 12 && same_bits(memo->it_mw, it_mw) &&
      same_bits(memo->capex_usd, capex_usd)) {
    *ox = memo->ox;
    return WP_OK;
  }
  if (!*checked || !(it_mw >= 0 && it_mw <= 1e6) || !(capex_usd >= 0 && capex_usd <= 1e13)) {
    wp_status st = wp_revenue_opex_month_eval(t, m, it_mw, capex_usd, ox, err);
    *checked = st == WP_OK;
    if (st) return st;
  } else {
    wp_revenue_opex_month_fast(t, m, it_mw, capex_usd, ox);
  }
  *memo =
      (opex_memo){.valid = 1, .year = m / 12, .it_mw = it_mw, .capex_usd = capex_usd, .ox = *ox};
  return WP_OK;
}

/* Month m of the market path (the evaluator checked its length and start): the fields of
** wp_market_path_month without its per-call checks; ym is advanced by the caller. */
static void market_month(const wp_market_path *mp, size_t m, wp_ym ym, wp_market_month *mm)
{
  mm->ym = ym;
  mm->days = mp->days[m];
  mm->height_mid = mp->height_mid[m];
  mm->subsidy_btc = mp->subsidy_btc[m];
  mm->btc_price_usd = mp->btc_price_usd[m];
  mm->difficulty = mp->difficulty[m];
  mm->fees_btc_per_block = mp->fees_btc_per_block[m];
  mm->hashprice_btc_per_ph_day = mp->hashprice_btc_per_ph_day[m];
  mm->hashprice_usd_per_ph_day = mp->hashprice_usd_per_ph_day[m];
  mm->gpu_usd_per_hour = mp->gpu_usd_per_hour[m];
  mm->power_usd_per_mwh = mp->power_usd_per_mwh[m];
  mm->colo_usd_per_kw_month = mp->colo_usd_per_kw_month[m];
}

/* Margin of a fleet for one month at the month's prices: revenue minus the power it would
** pay when running (negative when it should be curtailed). */
static double fleet_margin_usd(const wp_revenue_mining_terms *t, const wp_market_month *mm)
{
  double hours = 24.0 * mm->days * t->uptime;
  double revenue = t->it_mw * 1e6 / t->eff_j_per_th / 1000.0 * mm->hashprice_usd_per_ph_day *
                   mm->days * t->uptime * (1.0 - t->pool_fee);
  return revenue - t->it_mw * t->pue * hours * mm->power_usd_per_mwh;
}

/*
** A fleet refresh decision in month m: with the rule if-profitable, buy when the month's margin
** gain of the new machines over the old (an old fleet can stand still: its margin counts at
** least 0), held for the interval, repays the purchase net of the old machines' resale. The
** month's values are held flat: no foresight. Books the purchase and the sale in the ledger and
** switches the fleet's efficiency. Requires m >= 1. Returns 1 when it bought.
*/
static int refresh_fleet(const wp_mining_refresh *rf, const wp_site *s, wp_revenue_mining_terms *mt,
                         const wp_market_month *mm, wp_ledger *L, size_t m)
{
  if (!(mt->it_mw > 0)) return 0;
  wp_revenue_mining_terms next = *mt;
  next.eff_j_per_th = rf->eff_j_per_th;
  double ths_new = mt->it_mw * 1e6 / rf->eff_j_per_th;
  double ths_old = mt->it_mw * 1e6 / mt->eff_j_per_th;
  double cost = ths_new * rf->usd_per_th - ths_old * s->asic_resale_usd_per_th;
  double gain = fleet_margin_usd(&next, mm) - fmax(0.0, fleet_margin_usd(mt, mm));
  if (rf->rule == WP_REFRESH_IF_PROFITABLE && !(gain * (double)rf->every_months > cost))
    return 0;
  /* The old machines are sold at the end of the month before the new ones start: the ledger
     retires a class's whole book in a disposal month, this month's purchase included. */
  L->capex_usd[WP_ASSET_ASIC][m] += ths_new * rf->usd_per_th;
  L->asset_sale_usd[WP_ASSET_ASIC][m - 1] += ths_old * s->asic_resale_usd_per_th;
  L->disposal_frac[WP_ASSET_ASIC][m - 1] = 1.0;
  mt->eff_j_per_th = rf->eff_j_per_th;
  return 1;
}

static wp_status mining_month(const wp_revenue_mining_terms *t, int *checked,
                              const wp_market_month *mm, wp_revenue_mining_month *out,
                              wp_error *err)
{
  if (!*checked || !(t->it_mw >= 0 && t->it_mw <= 1e6)) {
    wp_status st = wp_revenue_mining_month_eval(t, mm, out, err);
    *checked = st == WP_OK;
    return st;
  }
  return wp_revenue_mining_month_fast(t, mm, out, err);
}

static wp_status colo_month(const wp_revenue_colo_terms *t, int *checked, int64_t m,
                            const wp_market_month *mm, wp_revenue_colo_month *out, wp_error *err)
{
  if (!*checked) {
    wp_status st = wp_revenue_colo_month_eval(t, m, mm, out, err);
    *checked = st == WP_OK;
    return st;
  }
  return wp_revenue_colo_month_fast(t, m, mm, out, err);
}

/*
** Terminal value (docs/model/pathway.md step 4): in the last month the assets the pathway built
** are sold at their remaining straight-line book value (each month's capex depreciated over its
** class life from the month it was spent). Without it a conversion late in the horizon would
** carry its whole capex and only a few years of income. exit_usd >= 0: a leased hall valued by
** its income instead; the AI classes are sold for exit_usd in all (shared in proportion to their
** book, the shell taking it all when nothing is left on the books), the mining classes at book.
** The sale above book is a taxable gain (the ledger's disposal gain).
*/
static void terminal_value(wp_ledger *L, const wp_finance_terms *ft, size_t months,
                           double exit_usd)
{
  const size_t last = months - 1;
  double book[WP_ASSET_COUNT] = {0}, ai_book = 0;
  for (int c = 0; c < WP_ASSET_COUNT; c++) {
    const double life_m = ft->life_years[c] * 12.0;
    for (size_t m = 0; m < months; m++) {
      if (L->capex_usd[c][m] != 0.0) { /* a zero month adds exactly 0: skip its division */
        double age = (double)(last - m) + 1.0;
        double left = life_m > 0 ? 1.0 - age / life_m : 0.0;
        if (left > 0) book[c] += L->capex_usd[c][m] * left;
      }
      if (L->disposal_frac[c][m] >= 1.0) book[c] = 0; /* sold earlier (e.g. a GPU refresh) */
    }
    if (L->disposal_frac[c][last] != 0.0) book[c] = 0; /* a sale of its own this month */
    if (wp_pathway_ai_class(c)) ai_book += book[c];
  }
  for (int c = 0; c < WP_ASSET_COUNT; c++) {
    double sale = book[c];
    if (exit_usd >= 0 && wp_pathway_ai_class(c))
      sale = ai_book > 0 ? exit_usd * (book[c] / ai_book)
                         : (c == WP_ASSET_AI_SHELL ? exit_usd : 0.0);
    if (sale > 0 || (exit_usd >= 0 && wp_pathway_ai_class(c) && book[c] > 0)) {
      L->asset_sale_usd[c][last] += sale;
      L->disposal_frac[c][last] = 1.0;
    }
  }
}

/* The state of one run: what the site, the pathway and the schedule fixed before month 0. */
typedef struct run_ctx {
  wp_pathway_eval *ev;
  const wp_site *s;
  const wp_pathway *p;
  wp_ledger *L;
  wp_pathway_result *out;
  conversion cv;
  int converting;
  int64_t tc, first, te_full;           /* construction start; first and last hall energized */
  double G, Gc, it_mw;                  /* site grid MW, converted grid MW, sellable IT MW */
  double mine_power_usd, mine_opex_usd; /* the month's mining power (market-priced) and opex */
  double construction_months;
  wp_revenue_colo_terms colo, relet;
  wp_revenue_gpu_contract_terms gc;
  wp_revenue_gpu_merchant_terms gm;
  wp_revenue_mining_terms mt;
  wp_capex mine_capex;
  int ok_mining, ok_opex_mining, ok_opex_ai, ok_colo, ok_relet; /* terms checked */
  int refreshed; /* 1 once the mining fleet was replaced (ASIC lines written) */
  opex_memo memo_mining, memo_ai;
  double last_grid, mine_share;
  double ai_opex_month;  /* this month's opex of the AI hall, USD */
  double lease_noi_last; /* the last month's NOI of a leased hall, USD (< 0: none runs) */
} run_ctx;

/* Checks, the conversion's design and schedule, and the revenue terms sized by them. */
static wp_status prepare_run(run_ctx *c, const wp_market_path *mp, wp_error *err)
{
  wp_status st;
  const wp_site *s = c->s;
  const wp_pathway *p = c->p;
  wp_pathway_eval *ev = c->ev;
  wp_pathway_result *out = c->out;
  if (mp->months != ev->months || mp->start.year != ev->start.year ||
      mp->start.month != ev->start.month)
    return wp_error_set(err, WP_EINVAL,
                        "pathway: the market path (%zu months from %04d-%02d) does not match the "
                        "evaluator (%zu months from %04d-%02d)",
                        mp->months, mp->start.year, mp->start.month, ev->months, ev->start.year,
                        ev->start.month);
  if (mp->months == 0 || !mp->btc_price_usd)
    return wp_error_set(err, WP_EINVAL,
                        "market path is not initialized (call wp_market_path_init first)");
  if ((st = wp_site_check(s, err))) return st;
  for (int b = 0; b < WP_BUSINESS_COUNT; b++)
    if (!isnan(p->valuation.discount_rate[b]) &&
        !(p->valuation.discount_rate[b] > -1 && p->valuation.discount_rate[b] <= 1))
      return wp_error_set(err, WP_EINVAL,
                          "site %s: valuation.discount_rate_%s %g is out of range; accepted "
                          "(-1, 1] (unset: the hurdle rate)",
                          s->name, wp_business_key((wp_business)b), p->valuation.discount_rate[b]);
  memset(out, 0, sizeof *out);
  out->business = p->business;
  out->energize_first_month = -1;
  out->energize_full_month = -1;
  out->exit_value_usd = -1.0;
  c->converting = p->business != WP_BUSINESS_MINING;
  c->cv.nphases = 0;
  if (c->converting && (st = plan_conversion(ev, s, p, &c->cv, out, err))) return st;
  if (c->converting && (size_t)out->energize_first_month >= ev->months)
    out->energize_first_month = -1;
  if (c->converting && (size_t)out->energize_full_month >= ev->months)
    out->energize_full_month = -1;

  /* Construction starts at tc; halls energize from `first` to `te_full` (months past the
     horizon simply never come). Without a conversion nothing starts inside the horizon. */
  const int64_t horizon = (int64_t)ev->months;
  c->tc = c->converting ? p->convert_month : horizon;
  c->first = c->converting ? c->cv.phase_month[0] : horizon;
  c->te_full = c->first;
  for (size_t k = 1; k < c->cv.nphases; k++) {
    if (c->cv.phase_month[k] < c->first) c->first = c->cv.phase_month[k];
    if (c->cv.phase_month[k] > c->te_full) c->te_full = c->cv.phase_month[k];
  }
  c->G = s->grid_mw;
  c->Gc = c->converting ? c->cv.spec.grid_mw : 0.0;
  c->it_mw = c->converting ? out->facility.it_mw : 0.0;

  /* Revenue terms sized by the design and timed by the schedule. */
  c->colo = p->colo;
  c->colo.leased_it_kw = c->it_mw * 1000.0;
  c->colo.start_month = c->first;
  c->colo.ramp_months = c->te_full > c->first ? c->te_full - c->first : 0;
  c->gc = p->gpu_contract;
  double scale = p->gpu_contract.it_mw > 0 ? c->it_mw / p->gpu_contract.it_mw : 0.0;
  c->gc.contract_value_usd = p->gpu_contract.contract_value_usd * scale;
  c->gc.gpu_capex_usd = p->gpu_contract.gpu_capex_usd * scale;
  c->gc.it_mw = c->it_mw;
  c->gc.start_month = c->te_full;
  /* After a GPU contract the hall is re-let as colocation at that month's market rent for the
     rest of the horizon (judgment: the building outlives the contract). */
  c->relet = p->colo;
  c->relet.leased_it_kw = c->it_mw * 1000.0;
  c->relet.start_month = c->te_full + c->gc.term_months;
  c->relet.ramp_months = 0;
  c->relet.term_months = horizon;
  if (c->relet.start_month < horizon)
    c->relet.rent_usd_per_kw_month = mp->colo_usd_per_kw_month[c->relet.start_month];
  c->gm = p->gpu_merchant;
  c->gm.it_mw = c->it_mw;
  c->gm.start_month = c->te_full;
  wp_revenue_mining_terms mt = WP_REVENUE_MINING_TERMS_DEFAULT;
  c->mt = mt;
  c->mt.eff_j_per_th = s->fleet_eff_j_per_th;
  c->mt.uptime = s->mining_uptime;
  c->mt.pool_fee = s->pool_fee;
  c->mt.pue = s->mining_pue;
  if ((st = wp_capex_mining_facility(c->G, &p->capex, &c->mine_capex, err))) return st;
  c->construction_months = c->te_full > c->tc ? (double)(c->te_full - c->tc) : 1.0;
  c->ok_mining = c->ok_opex_mining = c->ok_opex_ai = c->ok_colo = c->ok_relet = 0;
  c->refreshed = 0;
  c->lease_noi_last = -1.0;
  c->ai_opex_month = 0.0;
  c->memo_mining.valid = c->memo_ai.valid = 0;
  c->last_grid = NAN;
  c->mine_share = 0.0;
  return WP_OK;
}

/* The mine's month: MW series, fleet refresh, mining revenue and power, the mine's opex.
** Adds the operator-paid energy to *energy_mwh. */
static wp_status book_mining_month(run_ctx *c, size_t m, const wp_market_month *mm,
                                   double share, double *energy_mwh, wp_error *err)
{
  wp_status st;
  const int64_t mi = (int64_t)m;
  const wp_site *s = c->s;
  wp_ledger *L = c->L;
  double **series = c->ev->series;
  const double mining_grid = c->p->new_build || mi < s->online_month ? 0.0
                             : mi < c->tc                           ? c->G
                                                                    : c->G - c->Gc;
  series[WP_PW_MINING_GRID_MW][m] = mining_grid;
  series[WP_PW_AI_GRID_MW][m] = c->Gc * share;
  series[WP_PW_AI_IT_MW][m] = c->it_mw * share;
  series[WP_PW_CONSTRUCTION_GRID_MW][m] = mi >= c->tc ? c->Gc * (1.0 - share) : 0.0;

  if (!same_bits(mining_grid, c->last_grid)) { /* changes at most twice: divide only then */
    c->last_grid = mining_grid;
    c->mt.it_mw = mining_grid / s->mining_pue;
    c->mine_share = mining_grid / c->G;
  }
  const wp_mining_refresh *rf = &c->p->refresh;
  if (rf->every_months > 0 && mi > 0 && mi < c->tc && mi % rf->every_months == 0 &&
      refresh_fleet(rf, s, &c->mt, mm, L, m)) {
    c->refreshed = 1;
    c->ok_mining = 0; /* the terms changed: check them again */
  }
  wp_revenue_mining_month mining;
  if ((st = mining_month(&c->mt, &c->ok_mining, mm, &mining, err))) return st;
  L->rev_mining_usd[m] = mining.revenue_usd;
  L->power_usd[m] = mining.power_usd;
  *energy_mwh = mining.energy_mwh;
  wp_revenue_opex_month ox;
  if ((st = opex_month(&c->p->opex_mining, &c->ok_opex_mining, &c->memo_mining, mi, c->mt.it_mw,
                       c->mine_capex.capex_usd * c->mine_share, &ox, err)))
    return st;
  /* A curtailed fleet needs no maintenance or consumables; staff, insurance and property
     tax go on while the site is kept. */
  L->opex_om_usd[m] = mining.curtailed ? 0.0 : ox.om_usd;
  if (c->ev->trace)
    trace_mine(c->ev->trace, m, mining.ths,
               wp_revenue_mining_energy_mwh(c->mt.it_mw, c->mt.pue, mm->days, c->mt.uptime),
               ox.om_usd, &c->mt);
  L->opex_staff_usd[m] = ox.staff_usd;
  L->opex_insurance_usd[m] = ox.insurance_usd;
  L->opex_property_tax_usd[m] = ox.property_tax_usd;
  c->mine_power_usd = mining.power_usd;
  c->mine_opex_usd = L->opex_om_usd[m] + ox.staff_usd + ox.insurance_usd + ox.property_tax_usd;
  return WP_OK;
}

/* The conversion's month: ASIC sale, construction capex, the AI hall's opex and its business
** model. Adds the operator-paid energy to *energy_mwh. */
static wp_status book_ai_month(run_ctx *c, size_t m, const wp_market_month *mm, double share,
                               double *energy_mwh, wp_error *err)
{
  wp_status st;
  const int64_t mi = (int64_t)m;
  const wp_pathway *p = c->p;
  wp_ledger *L = c->L;
  wp_pathway_result *out = c->out;
  if (mi == c->tc && !p->new_build) {
    /* The converted share of the fleet is removed and sold. */
    double ths = (c->Gc / c->s->mining_pue) * 1e6 / c->mt.eff_j_per_th; /* the fleet of the day */
    out->asic_resale_usd = ths * c->s->asic_resale_usd_per_th;
    L->asset_sale_usd[WP_ASSET_ASIC][m] = out->asic_resale_usd;
    L->disposal_frac[WP_ASSET_ASIC][m] = p->convert_fraction;
  }
  if (mi >= c->tc && mi < (c->te_full > c->tc ? c->te_full : c->tc + 1)) {
    /* The facility is priced at month 0 and escalates to the month it is spent; GPUs do not
       (their prices fall): docs/model/pathway.md "Capex escalation". */
    const double esc = wp_market_growth_factor(p->capex_escalation_per_yr, (double)mi);
    for (int k = 0; k < WP_ASSET_COUNT; k++)
      L->capex_usd[k][m] +=
          c->cv.capex_by_class[k] / c->construction_months * (k == WP_ASSET_GPU ? 1.0 : esc);
  }

  c->ai_opex_month = 0.0;
  /* Under a triple-net lease the tenant pays the hall's operating costs (docs/model/revenue.md
     §2): from the lease (a colocation conversion) or the re-let after a GPU contract. */
  const int tenant_opex =
      p->colo.basis == WP_LEASE_TRIPLE_NET &&
      (p->business == WP_BUSINESS_COLO ||
       (p->business == WP_BUSINESS_GPU_CONTRACT && mi >= c->relet.start_month));
  if (share > 0 && !tenant_opex) {
    wp_revenue_opex_month ox;
    if ((st = opex_month(&p->opex_ai, &c->ok_opex_ai, &c->memo_ai, mi, c->it_mw * share,
                         out->capex.capex_usd, &ox, err)))
      return st;
    L->opex_om_usd[m] += ox.om_usd;
    if (c->ev->trace) {
      c->ev->trace->om_ai_usd[m] = ox.om_usd;
      c->ev->trace->om_ai_on[m] = 1;
    }
    L->opex_staff_usd[m] += ox.staff_usd;
    L->opex_insurance_usd[m] += ox.insurance_usd;
    L->opex_property_tax_usd[m] += ox.property_tax_usd;
    c->ai_opex_month = ox.om_usd + ox.staff_usd + ox.insurance_usd + ox.property_tax_usd;
  }
  if (p->business == WP_BUSINESS_COLO) {
    wp_revenue_colo_month cm;
    if ((st = colo_month(&c->colo, &c->ok_colo, mi, mm, &cm, err))) return st;
    L->rev_colo_usd[m] = cm.rent_usd;
    L->power_usd[m] += cm.power_usd;
    if (c->colo.basis == WP_LEASE_GROSS) *energy_mwh += cm.energy_mwh;
    if (m + 1 == c->ev->months && cm.active && share >= 1.0)
      c->lease_noi_last = cm.rent_usd - cm.power_usd - c->ai_opex_month;
    if (c->ev->trace && c->ev->trace->colo_kw) {
      c->ev->trace->colo_kw[m] = cm.billed_kw;
      c->ev->trace->colo_step[m] =
          cm.active ? wp_revenue_annual_step(c->colo.escalator_per_yr, mi - c->colo.start_month)
                    : 0.0;
    }
    if (c->ev->trace) trace_stream(c->ev->trace, m, 1, cm.active && c->colo.basis == WP_LEASE_GROSS, cm.energy_mwh);
  } else if (p->business == WP_BUSINESS_GPU_CONTRACT) {
    wp_revenue_gpu_contract_month cm;
    if ((st = wp_revenue_gpu_contract_month_eval(&c->gc, mi, mm, &cm, err))) return st;
    L->rev_gpu_contract_usd[m] = cm.revenue_usd;
    L->prepay_received_usd[m] = cm.prepayment_in_usd;
    L->prepay_amortized_usd[m] = cm.revenue_usd - cm.billed_cash_usd;
    L->capex_usd[WP_ASSET_GPU][m] += cm.gpu_capex_usd;
    L->asset_sale_usd[WP_ASSET_GPU][m] += cm.gpu_residual_usd;
    if (cm.gpu_residual_usd > 0) L->disposal_frac[WP_ASSET_GPU][m] = 1.0;
    out->gpu_capex_usd += cm.gpu_capex_usd;
    L->power_usd[m] += cm.power_usd;
    *energy_mwh += cm.energy_mwh;
    if (c->ev->trace) trace_stream(c->ev->trace, m, 1, cm.active, cm.energy_mwh);
    wp_revenue_colo_month rm;
    if ((st = colo_month(&c->relet, &c->ok_relet, mi, mm, &rm, err))) return st;
    L->rev_colo_usd[m] += rm.rent_usd;
    L->power_usd[m] += rm.power_usd;
    if (c->relet.basis == WP_LEASE_GROSS) *energy_mwh += rm.energy_mwh;
    if (c->ev->trace) {
      wp_pathway_trace *t = c->ev->trace;
      trace_stream(t, m, 2, rm.active && c->relet.basis == WP_LEASE_GROSS, rm.energy_mwh);
      t->relet_kw[m] = rm.billed_kw;
      t->relet_step[m] =
          wp_revenue_annual_step(c->relet.escalator_per_yr, mi - c->relet.start_month);
      t->relet_on[m] = (uint8_t)(rm.active != 0);
      t->relet_start = c->relet.start_month;
    }
  } else if (p->business == WP_BUSINESS_GPU_MERCHANT) {
    wp_revenue_gpu_merchant_month gmm;
    if ((st = wp_revenue_gpu_merchant_month_eval(&c->gm, mi, mm, &gmm, err))) return st;
    L->rev_gpu_merchant_usd[m] = gmm.revenue_usd;
    L->capex_usd[WP_ASSET_GPU][m] += gmm.capex_usd;
    /* Retired GPUs are sold at the end of the month before their replacements start (a
       disposal retires the whole class book of its month, that month's purchase included). */
    if (gmm.refresh && m > 0) {
      L->asset_sale_usd[WP_ASSET_GPU][m - 1] += gmm.resale_usd;
      L->disposal_frac[WP_ASSET_GPU][m - 1] = 1.0;
    }
    out->gpu_capex_usd += gmm.capex_usd;
    L->power_usd[m] += gmm.power_usd;
    *energy_mwh += gmm.energy_mwh;
    if (c->ev->trace) {
      wp_pathway_trace *t = c->ev->trace;
      trace_stream(t, m, 1, gmm.active, gmm.energy_mwh);
      t->gpu_hours[m] = gmm.gpu_hours_sold;
      t->gpu_on[m] = (uint8_t)(gmm.active != 0);
      t->gpu_price_multiple = c->gm.price_multiple;
    }
  }
  return WP_OK;
}

/* The finance terms of this run: the site's tax, the construction window, who may lend. */
static wp_finance_terms run_terms(const run_ctx *c, const wp_finance_terms *ft)
{
  const int64_t horizon = (int64_t)c->ev->months;
  wp_finance_terms terms = *ft;
  terms.tax_rate = c->s->tax_rate;
  if (c->converting) {
    terms.construction.start_month = c->tc;
    /* Halls energized after the horizon: construction runs to its end, no term debt. */
    terms.construction.cod_month = c->te_full < horizon ? c->te_full : horizon;
    if (c->te_full >= horizon) terms.term.enabled = 0;
    /* Term debt is sized on contracted CFADS (docs/model/pathway.md, step 5): no lender takes
       merchant GPU risk here; the construction loan is still drawn and repaid at completion. */
    if (c->p->business == WP_BUSINESS_GPU_MERCHANT) terms.term.enabled = 0;
  } else {
    terms.construction.cod_month = 0;
    terms.term.enabled = 0;
  }
  /* Each business at its own discount rate (docs/model/finance.md "Discount rate by business";
     unset: the hurdle): the months before construction mine, the months from it are the
     conversion's business. Rates equal to the hurdle leave the terms as they were. */
  const wp_valuation *v = &c->p->valuation;
  const double r_mine = isnan(v->discount_rate[WP_BUSINESS_MINING])
                            ? ft->hurdle_rate
                            : v->discount_rate[WP_BUSINESS_MINING];
  terms.hurdle_rate = r_mine;
  terms.rate_switch_month = 0;
  if (c->converting) {
    const double r = isnan(v->discount_rate[c->p->business]) ? ft->hurdle_rate
                                                             : v->discount_rate[c->p->business];
    if (r != r_mine) {
      terms.rate_switch_month = c->tc > 0 ? c->tc : 0;
      terms.rate_after = r;
      if (c->tc <= 0) terms.hurdle_rate = r; /* converted from month 0: all the business's */
    }
  }
  return terms;
}

wp_status wp_pathway_run(wp_pathway_eval *ev, const wp_site *s, const wp_pathway *p,
                         const wp_market_path *mp, const wp_finance_terms *ft,
                         wp_pathway_result *out, wp_error *err)
{
  wp_status st;
  if (!ev || !s || !p || !mp || !ft || !out)
    return wp_error_set(err, WP_EINVAL, "pathway: NULL argument");
  run_ctx ctx, *c = &ctx;
  c->ev = ev;
  c->s = s;
  c->p = p;
  c->out = out;
  c->L = ev->ledger;
  if ((st = prepare_run(c, mp, err))) return st;
  if (c->converting || ev->inputs_dirty) wp_ledger_zero_inputs(c->L);
  ev->inputs_dirty = c->converting;

  wp_ym ym = mp->start;
  const int64_t power_row0 = s->power_series ? wp_market_series_row(s->power_series, mp->start) : 0;
  for (size_t m = 0; m < ev->months; m++) {
    wp_market_month mm;
    market_month(mp, m, ym, &mm);
    if (++ym.month > 12) {
      ym.month = 1;
      ym.year++;
    }
    mm.power_usd_per_mwh = site_power_price(s, mp, m, power_row0);
    const double share = c->converting && (int64_t)m >= c->tc ? energized_share(&c->cv, (int64_t)m)
                                                              : 0.0;
    double energy_mwh = 0.0;
    if ((st = book_mining_month(c, m, &mm, share, &energy_mwh, err))) return st;
    if (c->converting && (st = book_ai_month(c, m, &mm, share, &energy_mwh, err))) return st;
    const double market_power = c->L->power_usd[m];
    if ((st = apply_ppa(s, (int64_t)m, energy_mwh, &mm, &c->L->power_usd[m], err))) return st;
    /* The mine's EBITDA: its power re-priced with the site's (pro rata to the market-priced
       power; a month with no market-priced power charges a PPA's cost to the mine while it
       runs, else to the AI halls). */
    const double power = c->L->power_usd[m];
    double mine_power = c->mine_power_usd;
    if (power != market_power)
      mine_power = market_power != 0.0 ? power * (c->mine_power_usd / market_power)
                   : ev->series[WP_PW_MINING_GRID_MW][m] > 0 ? power
                                                             : 0.0;
    ev->series[WP_PW_MINING_EBITDA_USD][m] =
        c->L->rev_mining_usd[m] - mine_power - c->mine_opex_usd;
  }

  if (c->refreshed) ev->inputs_dirty = 1;
  if (c->converting || c->refreshed) {
    /* A leased hall at exit: its run-rate NOI (the last month's x 12) over the cap rate. */
    const wp_valuation *v = &c->p->valuation;
    double exit_usd = -1.0;
    if (c->converting && v->terminal_colo == WP_TERMINAL_EXIT && c->lease_noi_last >= 0.0)
      exit_usd = c->lease_noi_last * 12.0 / v->exit_cap_rate_colo;
    out->exit_value_usd = exit_usd;
    terminal_value(c->L, ft, ev->months, exit_usd);
  }
  ev->last_terms = run_terms(c, ft);
  return wp_finance_run(c->L, &ev->last_terms, &out->metrics, err);
}
