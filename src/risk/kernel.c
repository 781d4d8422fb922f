/*
** The risk engine's fast pathway kernel (risk/kernel_int.h): a pathway run once in full
** records its market-independent lines; each evaluation recomputes only the market-dependent
** ones with the ledger's own expressions (src/model/finance_int.h, revenue_int.h).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/finance_int.h"
#include "model/revenue_int.h"
#include "plan/pathway_int.h"
#include "risk/kernel_int.h"
#include "risk/kernel_pack_int.h"

void wp_pathway_fast_free(wp_pathway_fast *f)
{
  if (!f) return;
  free(f->block);
  free(f->fblock);
  free(f->hot);
  free(f->cold);
  free(f->mine);
  free(f);
}

wp_status wp_pathway_fast_new(size_t months, wp_pathway_fast **out, wp_error *err)
{
  if (!out) return wp_error_set(err, WP_EINVAL, "fast pathway: NULL output");
  *out = NULL;
  if (months == 0 || months > 1200)
    return wp_error_set(err, WP_EINVAL, "horizon %zu months is out of range; accepted [1, 1200]",
                        months);
  wp_pathway_fast *f = calloc(1, sizeof *f);
  _Static_assert(sizeof(pf_hot) % PF_HOT_ALIGN == 0, "a hot record is whole cache lines");
  if (f) {
    f->hot = aligned_alloc(PF_HOT_ALIGN, months * sizeof *f->hot);
    if (f->hot) memset(f->hot, 0, months * sizeof *f->hot);
    f->cold = calloc(months, sizeof *f->cold);
  }
  if (!f || !f->hot || !f->cold) {
    wp_pathway_fast_free(f);
    return wp_error_set(err, WP_ENOMEM, "fast pathway: out of memory");
  }
  f->months = months;
  *out = f;
  return WP_OK;
}

size_t wp_pathway_fast_scratch_len(size_t months)
{
  return 8 * months; /* the scalar evaluation uses 7; the lanes (x LANES) 6 */
}

int wp_pathway_fast_usable(const wp_pathway_fast *f)
{
  return f && f->usable;
}

/* ---------------------------------------------------------------- preparation */

/* The market-independent lines of the ledger the run just booked and financed. */
static void capture_ledger(wp_pathway_fast *f, const wp_ledger *L)
{
  const size_t n = f->months;
  const wp_finance_terms *t = &f->terms;
  for (size_t m = 0; m < n; m++) {
    double om_run = f->a[PF_OM_MINE][m], om_curt = 0.0;
    if (f->flag[PF_OM_AI_ON][m]) {
      om_run += f->a[PF_OM_AI][m];
      om_curt += f->a[PF_OM_AI][m];
    }
    f->a[PF_OPEX_RUN][m] = wp_fin_sum5(om_run, L->opex_staff_usd[m], L->opex_insurance_usd[m],
                                       L->opex_property_tax_usd[m], L->opex_other_usd[m]);
    f->a[PF_OPEX_CURT][m] = wp_fin_sum5(om_curt, L->opex_staff_usd[m], L->opex_insurance_usd[m],
                                        L->opex_property_tax_usd[m], L->opex_other_usd[m]);
    f->a[PF_SALES_OWNED][m] = wp_fin_sales_owned(L, t, m);
  }
  static const struct {
    int to;
    size_t off;
  } lines[] = {
      {PF_REV_COLO, offsetof(wp_ledger, rev_colo_usd)},
      {PF_REV_GPUC, offsetof(wp_ledger, rev_gpu_contract_usd)},
      {PF_REV_OTHER, offsetof(wp_ledger, rev_other_usd)},
      {PF_PREPAY_IN, offsetof(wp_ledger, prepay_received_usd)},
      {PF_PREPAY_AM, offsetof(wp_ledger, prepay_amortized_usd)},
      {PF_CAPEX, offsetof(wp_ledger, capex_total_usd)},
      {PF_SALES, offsetof(wp_ledger, asset_sales_usd)},
      {PF_DEP, offsetof(wp_ledger, depreciation_total_usd)},
      {PF_GAIN, offsetof(wp_ledger, disposal_gain_usd)},
      {PF_LEASE_FUND, offsetof(wp_ledger, lease_funding_usd)},
      {PF_LEASE_PAY, offsetof(wp_ledger, lease_payment_usd)},
      {PF_CONS_DRAW, offsetof(wp_ledger, construction_draw_usd)},
      {PF_CONS_REPAY, offsetof(wp_ledger, construction_repay_usd)},
      {PF_CONV_PROCEEDS, offsetof(wp_ledger, conv_proceeds_usd)},
      {PF_CONV_COUPON, offsetof(wp_ledger, conv_coupon_usd)},
      {PF_CONV_REPAY, offsetof(wp_ledger, conv_repay_usd)},
  };
  for (size_t k = 0; k < sizeof lines / sizeof lines[0]; k++) {
    const double *src = *(double *const *)(const void *)((const char *)L + lines[k].off);
    memcpy(f->a[lines[k].to], src, n * sizeof(double));
  }
  memcpy(f->a[PF_DEP_FULL], wp_fin_depreciation_full(L), n * sizeof(double));
  memcpy(f->a[PF_GAIN_FULL], wp_fin_disposal_gain_full(L), n * sizeof(double));
  memcpy(f->a[PF_DF], wp_fin_discount_factors(L), n * sizeof(double));
}

/* All months of line k are +0 (bit pattern 0). */
static int all_plus_zero(const double *v, size_t n)
{
  for (size_t m = 0; m < n; m++)
    if (!wp_kernel_same_bits(v[m], 0.0)) return 0;
  return 1;
}

/* A month's flag as a select mask: all ones when set. */
static uint64_t flag_mask(uint8_t flag)
{
  return flag ? ~(uint64_t)0 : 0;
}

/* The packed months of every evaluation, and which of their fields are all +0. */
static void pack_months(wp_pathway_fast *f)
{
  double *const *a = f->a;
  const size_t n = f->months;
  static const struct {
    unsigned bit;
    int line[3];
  } groups[] = {
      {PF_ZERO_REV_GPUC, {PF_REV_GPUC, -1, -1}},
      {PF_ZERO_REV_OTHER, {PF_REV_OTHER, -1, -1}},
      {PF_ZERO_PREPAY, {PF_PREPAY_IN, PF_PREPAY_AM, -1}},
      {PF_ZERO_LEASE, {PF_LEASE_FUND, PF_LEASE_PAY, -1}},
      {PF_ZERO_CONV, {PF_CONV_PROCEEDS, PF_CONV_COUPON, PF_CONV_REPAY}},
      {PF_ZERO_CONS, {PF_CONS_DRAW, PF_CONS_REPAY, -1}},
      {PF_ZERO_CAPEX, {PF_CAPEX, -1, -1}},
      {PF_ZERO_REV_COLO, {PF_REV_COLO, -1, -1}},
  };
  f->zero_fields = 0;
  for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
    int zero = 1;
    for (int k = 0; k < 3 && groups[g].line[k] >= 0; k++)
      zero = zero && all_plus_zero(a[groups[g].line[k]], n);
    if (zero) f->zero_fields |= groups[g].bit;
  }
  f->sales_all_owned = 1;
  for (size_t m = 0; m < n && f->sales_all_owned; m++)
    f->sales_all_owned = wp_kernel_same_bits(a[PF_SALES][m], a[PF_SALES_OWNED][m]);
  for (size_t m = 0; m < f->months; m++) {
    f->hot[m] = (pf_hot){.ph = WP_REV_PH(a[PF_THS][m]),
                         .mine_energy = a[PF_MINE_ENERGY][m],
                         .e1 = a[PF_E1][m],
                         .opex_run = a[PF_OPEX_RUN][m],
                         .opex_curt = a[PF_OPEX_CURT][m],
                         .rev_colo = a[PF_REV_COLO][m],
                         .capex = a[PF_CAPEX][m],
                         .dep = a[PF_DEP][m],
                         .gain = a[PF_GAIN][m],
                         .dep_full = a[PF_DEP_FULL][m],
                         .gain_full = a[PF_GAIN_FULL][m],
                         .sales = a[PF_SALES][m],
                         .df = a[PF_DF][m],
                         .cons_draw = a[PF_CONS_DRAW][m],
                         .cons_repay = a[PF_CONS_REPAY][m],
                         .on1 = flag_mask(f->flag[PF_ON1][m])};
    f->cold[m] = (pf_cold){.e2 = a[PF_E2][m],
                           .relet_kw = a[PF_RELET_KW][m],
                           .relet_step = a[PF_RELET_STEP][m],
                           .gpu_hours = a[PF_GPU_HOURS][m],
                           .rev_gpuc = a[PF_REV_GPUC][m],
                           .rev_other = a[PF_REV_OTHER][m],
                           .prepay_in = a[PF_PREPAY_IN][m],
                           .prepay_am = a[PF_PREPAY_AM][m],
                           .lease_fund = a[PF_LEASE_FUND][m],
                           .lease_pay = a[PF_LEASE_PAY][m],
                           .sales_owned = a[PF_SALES_OWNED][m],
                           .conv_coupon = a[PF_CONV_COUPON][m],
                           .conv_proceeds = a[PF_CONV_PROCEEDS][m],
                           .conv_repay = a[PF_CONV_REPAY][m],
                           .on2 = flag_mask(f->flag[PF_ON2][m]),
                           .relet_on = flag_mask(f->flag[PF_RELET_ON][m]),
                           .gpu_on = flag_mask(f->flag[PF_GPU_ON][m])};
  }
}

/*
** The specialized case: a mining pathway whose financing, AI, prepayment and static revenue
** lines are all +0 and whose owned depreciation and gains equal the full-basis ones. Then
** revenue = mining revenue (adding +0 to a value that is never -0), EBITDA + 0 - 0 = EBITDA,
** and the levered tax equals the unlevered tax (the same inputs to the same recursion).
** Returns WP_ENOMEM when its pack cannot be allocated.
*/
static wp_status pack_mine_only(wp_pathway_fast *f, wp_error *err)
{
  const size_t n = f->months;
  double *const *a = f->a;
  f->mine_only = f->business == WP_BUSINESS_MINING && f->plain && !f->terms.term.enabled &&
                 f->ai_terms == 0;
  static const int zero_lines[] = {PF_REV_COLO, PF_REV_GPUC, PF_REV_OTHER, PF_PREPAY_IN,
                                   PF_PREPAY_AM};
  for (size_t k = 0; f->mine_only && k < sizeof zero_lines / sizeof zero_lines[0]; k++)
    f->mine_only = all_plus_zero(a[zero_lines[k]], n);
  for (size_t m = 0; f->mine_only && m < n; m++)
    f->mine_only = wp_kernel_same_bits(a[PF_DEP][m], a[PF_DEP_FULL][m]) &&
                   wp_kernel_same_bits(a[PF_GAIN][m], a[PF_GAIN_FULL][m]);
  if (!f->mine_only) return WP_OK;
  if (!f->mine && !(f->mine = calloc(n, sizeof *f->mine)))
    return wp_error_set(err, WP_ENOMEM, "fast pathway: out of memory");
  for (size_t m = 0; m < n; m++)
    f->mine[m] = (pf_mine_month){WP_REV_PH(a[PF_THS][m]), a[PF_MINE_ENERGY][m], a[PF_OPEX_RUN][m],
                                 a[PF_OPEX_CURT][m], a[PF_DEP][m],    a[PF_GAIN][m],
                                 a[PF_CAPEX][m], a[PF_SALES][m],      a[PF_SALES_OWNED][m],
                                 a[PF_DF][m]};
  return WP_OK;
}

/* The preparation's workspace: the lines by month, then site power, equity and scratch for
** the check. */
static wp_status workspace_new(wp_pathway_fast *f, wp_error *err)
{
  const size_t n = f->months;
  f->block = calloc((PF_COUNT + 2) * n + wp_pathway_fast_scratch_len(n), sizeof(double));
  f->fblock = calloc(PF_FLAG_COUNT * n, 1);
  if (!f->block || !f->fblock)
    return wp_error_set(err, WP_ENOMEM, "fast pathway: out of memory");
  for (int k = 0; k < PF_COUNT; k++) f->a[k] = f->block + (size_t)k * n;
  for (int k = 0; k < PF_FLAG_COUNT; k++) f->flag[k] = f->fblock + (size_t)k * n;
  return WP_OK;
}

static void workspace_free(wp_pathway_fast *f)
{
  free(f->block);
  free(f->fblock);
  f->block = NULL;
  f->fblock = NULL;
  memset(f->a, 0, sizeof f->a);
  memset(f->flag, 0, sizeof f->flag);
}

wp_status wp_pathway_fast_prepare(wp_pathway_fast *f, wp_pathway_eval *ev, const wp_site *s,
                                  const wp_pathway *p, const wp_market_path *mp,
                                  const wp_finance_terms *ft, wp_pathway_result *out, int *usable,
                                  wp_error *err)
{
  if (!f || !ev || !s || !p || !mp || !ft || !out || !usable)
    return wp_error_set(err, WP_EINVAL, "fast pathway: NULL argument");
  *usable = 0;
  f->usable = 0;
  if (mp->months != f->months)
    return wp_error_set(err, WP_EINVAL, "fast pathway: the market path has %zu months; %zu expected",
                        mp->months, f->months);
  /* A PPA re-prices the whole month's energy and a fleet refresh decides on the month's
     market: both change lines the kernel treats as fixed. */
  int covered = !(s->ppa.fixed_mw > 0) && !(p->refresh.every_months > 0);
  /* A colocation hall valued at exit is worth its last month's NOI: fixed for a triple-net
     lease at its contract rent, moved by the market's power price when the operator pays it
     (a gross lease). */
  if (p->business == WP_BUSINESS_COLO && p->valuation.terminal_colo == WP_TERMINAL_EXIT &&
      p->colo.basis == WP_LEASE_GROSS)
    covered = 0;
  wp_status st = covered ? workspace_new(f, err) : WP_OK;
  if (st) {
    workspace_free(f);
    return st;
  }
  f->business = p->business;
  /* The run writes the market-dependent quantities into the workspace's lines. */
  wp_pathway_trace t = {
      .ths = f->a[PF_THS],            .mine_energy_mwh = f->a[PF_MINE_ENERGY],
      .om_mine_usd = f->a[PF_OM_MINE], .om_ai_usd = f->a[PF_OM_AI],
      .om_ai_on = f->flag[PF_OM_AI_ON], .e1_mwh = f->a[PF_E1],
      .e2_mwh = f->a[PF_E2],          .on1 = f->flag[PF_ON1],
      .on2 = f->flag[PF_ON2],         .relet_kw = f->a[PF_RELET_KW],
      .relet_step = f->a[PF_RELET_STEP], .relet_on = f->flag[PF_RELET_ON],
      .gpu_hours = f->a[PF_GPU_HOURS], .gpu_on = f->flag[PF_GPU_ON],
      .relet_start = (int64_t)f->months};
  wp_pathway_eval_set_trace(ev, covered ? &t : NULL);
  st = wp_pathway_run(ev, s, p, mp, ft, out, err);
  wp_pathway_eval_set_trace(ev, NULL);
  if (st || !covered || t.fleet_changed || !t.mining_set) {
    workspace_free(f);
    return st;
  }
  f->eff_j_per_th = t.eff_j_per_th;
  f->keep = t.keep;
  f->pue = t.pue;
  f->uptime = t.uptime;
  f->curtail = t.curtail;
  f->ai_terms = t.ai_streams;
  f->relet_start = t.relet_start;
  f->gpu_price_multiple = t.gpu_price_multiple;
  f->terms = *wp_pathway_eval_last_terms(ev);
  f->plain = wp_fin_unfinanced(&f->terms);
  f->project_cost_usd = out->metrics.project_cost_usd;
  if (f->terms.term.enabled)
    f->tplan = wp_fin_term_plan_of(&f->terms, f->months, f->project_cost_usd);
  const wp_ledger *L = wp_pathway_ledger(ev);
  capture_ledger(f, L);
  pack_months(f);
  if ((st = pack_mine_only(f, err))) {
    workspace_free(f);
    return st;
  }

  /* The check: the kernel on the same market gives the run's bits. */
  double *pw = f->block + (size_t)PF_COUNT * f->months, *eq = pw + f->months;
  wp_pathway_site_power(s, mp, pw);
  f->usable = 1;
  double npv = wp_pathway_fast_eval(f, mp, pw, eq, eq + f->months);
  int same = wp_kernel_same_bits(npv, out->metrics.npv_usd);
  for (size_t m = 0; same && m < f->months; m++)
    same = wp_kernel_same_bits(eq[m], L->equity_cash_flow_usd[m]);
  f->usable = same;
  *usable = same;
  workspace_free(f);
  return WP_OK;
}

/* ---------------------------------------------------------------- evaluation */

/* The specialized mining loop (pack_mine_only): one pass, one tax recursion (the levered and
** unlevered taxes are equal: step 3 takes step 4's). */
static double eval_mine_only(const wp_pathway_fast *f, const wp_market_path *mp, const double *pw,
                             double *equity_cf)
{
  const size_t n = f->months;
  const double rate = f->terms.tax_rate, limit = f->terms.nol_limit_frac;
  double nol = 0.0, used = 0.0, npv = 0.0;
  const wp_fin_financing none = {0};
  for (size_t m = 0; m < n; m++) {
    const pf_mine_month *k = &f->mine[m];
    wp_revenue_mining_core mc = wp_revenue_mining_core_eval(
        k->ph, f->eff_j_per_th, f->keep, f->pue, f->uptime, f->curtail, (double)mp->days[m],
        k->energy_mwh, mp->hashprice_btc_per_ph_day[m], mp->btc_price_usd[m], pw[m]);
    const wp_fin_month x = {
        .revenue = mc.revenue_usd,
        .power = mc.power_usd,
        .opex = wp_fin_select_gt(pw[m], mc.curtail_above_usd_per_mwh, k->opex_curt, k->opex_run),
        .capex = k->capex,
        .dep = k->dep,
        .gain = k->gain,
        .sales = k->sales,
        .sales_owned = k->sales_owned};
    wp_fin_step o;
    WP_FIN_STEP_OPERATIONS(x, o);
    WP_FIN_STEP_SPONSOR(wp_fin_tax_month, 1, x, none, o, rate, limit, &nol, &used);
    o.tax_u = o.tax;
    WP_FIN_STEP_PROJECT_FLOW(x, o);
    npv += o.project_cf * k->df;
    if (equity_cf) equity_cf[m] = o.equity_cf;
  }
  return npv;
}

double wp_pathway_fast_eval(const wp_pathway_fast *f, const wp_market_path *mp, const double *pw,
                            double *equity_cf, double *scratch)
{
  if (f->mine_only) return eval_mine_only(f, mp, pw, equity_cf);
  const size_t n = f->months;
  const int relet = f->business == WP_BUSINESS_GPU_CONTRACT;
  const int merchant = f->business == WP_BUSINESS_GPU_MERCHANT;
  const double rent0 = relet && f->relet_start < (int64_t)n
                           ? mp->colo_usd_per_kw_month[f->relet_start]
                           : 0.0;
  const wp_finance_terms *t = &f->terms;
  const int term = t->term.enabled;
  const double rate = t->tax_rate, limit = t->nol_limit_frac;
  double *ebitda = scratch, *cfads = scratch + n, *operating = scratch + 6 * n;
  wp_fin_term_lines ln = {scratch + 2 * n, scratch + 3 * n, scratch + 4 * n, scratch + 5 * n,
                          scratch + 5 * n}; /* balance and service are not read: one array */

  /* Steps 1 and 3 of every month: operations (EBITDA, CFADS, operating cash flow) and the
     project's side (unlevered tax, project cash flow, NPV). */
  double nol = 0.0, nol_u = 0.0, used = 0.0, npv = 0.0;
  for (size_t m = 0; m < n; m++) {
    const pf_hot *h = &f->hot[m];
    const pf_cold *c = &f->cold[m];
    wp_revenue_mining_core mc = wp_revenue_mining_core_eval(
        h->ph, f->eff_j_per_th, f->keep, f->pue, f->uptime, f->curtail, (double)mp->days[m],
        h->mine_energy, mp->hashprice_btc_per_ph_day[m], mp->btc_price_usd[m], pw[m]);
    double power = mc.power_usd;
    if (f->ai_terms >= 1) power += h->on1 ? h->e1 * pw[m] : 0.0;
    if (f->ai_terms >= 2) power += c->on2 ? c->e2 * pw[m] : 0.0;
    double rev_colo = h->rev_colo, rev_merchant = 0.0;
    if (relet) rev_colo = 0.0 + (c->relet_on ? c->relet_kw * (rent0 * c->relet_step) : 0.0);
    if (merchant && c->gpu_on)
      rev_merchant = c->gpu_hours * (mp->gpu_usd_per_hour[m] * f->gpu_price_multiple);
    const wp_fin_month x = {
        .revenue = wp_fin_sum5(mc.revenue_usd, rev_colo, c->rev_gpuc, rev_merchant, c->rev_other),
        .power = power,
        .opex = wp_fin_select_gt(pw[m], mc.curtail_above_usd_per_mwh, h->opex_curt, h->opex_run),
        .prepay_in = c->prepay_in,
        .prepay_am = c->prepay_am,
        .capex = h->capex,
        .lease_fund = c->lease_fund,
        .lease_pay = c->lease_pay,
        .dep_full = h->dep_full,
        .gain_full = h->gain_full,
        .sales = h->sales};
    wp_fin_step o;
    WP_FIN_STEP_OPERATIONS(x, o);
    WP_FIN_STEP_PROJECT(wp_fin_tax_month, x, o, rate, limit, &nol_u, &used);
    npv += o.project_cf * h->df;
    ebitda[m] = o.ebitda;
    operating[m] = o.operating;
    if (term) cfads[m] = o.cfads;
  }
  if (!equity_cf) return npv;

  /* Step 2: term debt sized on this path's CFADS (as wp_finance_run does). */
  if (term) {
    for (size_t k = 2; k < 6; k++)
      memset(scratch + k * n, 0, n * sizeof(double));
    wp_finance_metrics unused;
    memset(&unused, 0, sizeof unused);
    wp_fin_term_debt(ebitda, cfads, n, t, f->project_cost_usd, &ln, &unused);
  }

  /* Step 4 of every month: the sponsor's tax and equity cash flow. */
  for (size_t m = 0; m < n; m++) {
    const pf_hot *h = &f->hot[m];
    const pf_cold *c = &f->cold[m];
    const double tint = term ? ln.interest[m] : 0.0;
    const wp_fin_month x = {.dep = h->dep, .gain = h->gain, .sales_owned = c->sales_owned};
    wp_fin_step o = {.ebitda = ebitda[m], .operating = operating[m]};
    wp_fin_financing fin = {0};
    if (!f->plain)
      fin = (wp_fin_financing){c->lease_fund,  c->lease_pay,  h->cons_draw,
                               h->cons_repay,  term ? ln.draw[m] : 0.0, tint,
                               term ? ln.principal[m] : 0.0,  c->conv_proceeds,
                               c->conv_coupon, c->conv_repay};
    WP_FIN_STEP_SPONSOR(wp_fin_tax_month, f->plain, x, fin, o, rate, limit, &nol, &used);
    equity_cf[m] = o.equity_cf;
  }
  return npv;
}
