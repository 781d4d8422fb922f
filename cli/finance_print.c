/* wattpivot finance: the study printed as text or JSON (cmd_finance.c runs it). */
#include <stdio.h>

#include "cli.h"
#include "finance_print.h"

static void add_num_or_null(cJSON *doc, const char *key, int ok, double v)
{
  if (ok)
    cJSON_AddNumberToObject(doc, key, v);
  else
    cJSON_AddNullToObject(doc, key);
}

/* Peak project funding: the largest cumulative need of the unlevered cash flows (the plan's
** "peak proj"); the metrics' peak_funding_usd is the equity's (after debt). */
static double peak_project(const wp_finance_study *s)
{
  return wp_finance_peak_funding(s->ledger->project_cash_flow_usd, s->months);
}

int finance_print_json(const wp_finance_study *s, const char *ledger_path, FILE *to)
{
  const wp_finance_metrics *fm = &s->result.metrics;
  char b[32];
  cJSON *doc = cJSON_CreateObject();
  if (!doc) return cli_print_json(NULL);
  cJSON_AddStringToObject(doc, "pathway", wp_business_name(s->result.business));
  cJSON_AddStringToObject(doc, "site", s->site_name);
  cJSON_AddStringToObject(doc, "scenario", s->scenario_label);
  cJSON_AddStringToObject(doc, "scenario_hash", s->scenario_hash);
  cJSON_AddStringToObject(doc, "wattpivot_version", wp_version());
  wp_format_ym(b, sizeof b, s->start);
  cJSON_AddStringToObject(doc, "start", b);
  cli_json_add_i64(doc, "horizon_months", (int64_t)s->months);
  cJSON_AddNumberToObject(doc, "hurdle_rate", s->terms.hurdle_rate);
  /* the rates the NPV discounted at (valuation.discount_rate_*; both the hurdle when unset) */
  const wp_finance_terms *rt = &s->run_terms;
  const int sw = rt->rate_switch_month > 0 && rt->rate_after != rt->hurdle_rate;
  cJSON_AddNumberToObject(doc, "discount_rate", rt->hurdle_rate);
  cJSON_AddNumberToObject(doc, "discount_rate_after", sw ? rt->rate_after : rt->hurdle_rate);
  cli_json_add_i64(doc, "discount_switch_month", sw ? rt->rate_switch_month : 0);
  cJSON_AddNumberToObject(doc, "npv_usd", fm->npv_usd);
  cJSON_AddNumberToObject(doc, "equity_npv_usd", fm->equity_npv_usd);
  add_num_or_null(doc, "project_irr", fm->project_irr_found, fm->project_irr);
  if (s->project_irr_note[0])
    cJSON_AddStringToObject(doc, "project_irr_note", s->project_irr_note);
  add_num_or_null(doc, "equity_irr", fm->equity_irr_found, fm->equity_irr);
  if (s->equity_irr_note[0]) cJSON_AddStringToObject(doc, "equity_irr_note", s->equity_irr_note);
  if (fm->payback_month >= 0) {
    cli_json_add_i64(doc, "payback_month", fm->payback_month);
    cJSON_AddStringToObject(doc, "payback_date", wp_format_month(b, sizeof b, s->start, fm->payback_month, "after the horizon"));
  } else {
    cJSON_AddNullToObject(doc, "payback_month");
    cJSON_AddStringToObject(doc, "payback_note",
                            "never: cumulative project cash flow is still negative at the end");
  }
  add_num_or_null(doc, "min_dscr", fm->dscr_months > 0, fm->min_dscr);
  add_num_or_null(doc, "avg_dscr", fm->dscr_months > 0, fm->avg_dscr);
  if (fm->dscr_months == 0) cJSON_AddStringToObject(doc, "dscr_note", "no term debt service");
  cli_json_add_i64(doc, "dscr_months", (int64_t)fm->dscr_months);
  cJSON_AddNumberToObject(doc, "peak_funding_usd", fm->peak_funding_usd);
  cJSON_AddNumberToObject(doc, "peak_equity_funding_usd", fm->peak_funding_usd);
  cJSON_AddNumberToObject(doc, "peak_project_funding_usd", peak_project(s));
  cJSON_AddNumberToObject(doc, "moic", fm->moic);
  cJSON_AddNumberToObject(doc, "term_debt_usd", fm->term_debt_usd);
  cJSON_AddNumberToObject(doc, "project_cost_usd", fm->project_cost_usd);
  cJSON_AddNumberToObject(doc, "tax_paid_usd", fm->tax_paid_usd);
  cJSON_AddNumberToObject(doc, "it_mw", s->result.it_mw);
  cJSON_AddNumberToObject(doc, "converted_grid_mw", s->result.converted_grid_mw);
  cJSON_AddNumberToObject(doc, "ai_capex_usd", s->result.ai_capex_usd);
  cJSON_AddNumberToObject(doc, "gpu_capex_usd", s->result.gpu_capex_usd);
  cJSON_AddNumberToObject(doc, "asic_resale_usd", s->result.asic_resale_usd);
  cJSON_AddNumberToObject(doc, "construction_months", s->result.schedule_months);
  if (s->result.business != WP_BUSINESS_MINING) {
    cli_json_add_i64(doc, "energize_first_month", s->result.energize_first_month);
    cli_json_add_i64(doc, "energize_full_month", s->result.energize_full_month);
    cJSON_AddStringToObject(doc, "energize_full_date",
                            wp_format_month(b, sizeof b, s->start, s->result.energize_full_month, "after the horizon"));
  }
  if (s->solved != WP_SOLVE_NONE) {
    cJSON_AddStringToObject(doc, "solve_for", wp_solve_var_name(s->solved));
    cJSON_AddNumberToObject(doc, wp_solve_var_key(s->solved), s->solution);
    cJSON_AddNumberToObject(doc, "npv_usd_at_breakeven", s->npv_at_solution_usd);
    cli_json_add_i64(doc, "solve_evaluations", s->solve_evaluations);
  }
  if (ledger_path) cJSON_AddStringToObject(doc, "ledger", ledger_path);
  cJSON *warn = cJSON_AddArrayToObject(doc, "warnings");
  if (warn && s->warning[0]) cJSON_AddItemToArray(warn, cJSON_CreateString(s->warning));
  cJSON *arr = cJSON_AddArrayToObject(doc, "inputs");
  for (size_t i = 0; arr && i < s->ninputs; i++) {
    const wp_finance_input *ir = &s->inputs[i];
    cJSON *o = cJSON_CreateObject();
    if (!o) break;
    cJSON_AddStringToObject(o, "name", ir->name);
    if (ir->is_num)
      cJSON_AddNumberToObject(o, "value", ir->num);
    else
      cJSON_AddStringToObject(o, "value", ir->text);
    cJSON_AddStringToObject(o, "unit", ir->unit);
    cJSON_AddStringToObject(o, "from", ir->from);
    cJSON_AddItemToArray(arr, o);
  }
  return cli_print_json_to(doc, to);
}

static void print_irr(FILE *to, const char *label, int found, double irr, const char *note)
{
  if (found)
    fprintf(to, "  %-24s %.4f %%/yr\n", label, irr * 100);
  else
    fprintf(to, "  %-24s %s\n", label, note);
  if (found && note[0]) fprintf(to, "  %-24s (%s)\n", "", note);
}

void finance_print_text(const wp_finance_study *s, const char *ledger_path, FILE *to)
{
  const wp_pathway_result *r = &s->result;
  const wp_finance_metrics *fm = &r->metrics;
  char b1[64], b2[64];
  fprintf(to, "wattpivot finance: %s, site %s, scenario %s\n", wp_business_name(r->business),
         s->site_name, s->scenario_label);
  if (s->warning[0]) fprintf(to, "warning: %s\n", s->warning);
  fprintf(to, "\ninputs                     value                unit            from\n");
  for (size_t i = 0; i < s->ninputs; i++)
    fprintf(to, "  %-24s %-20s %-15s %s\n", s->inputs[i].name, s->inputs[i].text, s->inputs[i].unit,
           s->inputs[i].from);
  fprintf(to, "\npathway\n");
  if (r->business == WP_BUSINESS_MINING) {
    fprintf(to, "  %-24s the whole site keeps mining; no conversion capex\n", "mining");
  } else {
    fprintf(to, "  %-24s %s MW of %s MW\n", "converted grid",
           wp_format_grouped(b1, sizeof b1, r->converted_grid_mw, 1),
           wp_format_grouped(b2, sizeof b2, s->site.grid_mw, 1));
    fprintf(to, "  %-24s %s MW (PUE design %.3f)\n", "sellable IT",
           wp_format_grouped(b1, sizeof b1, r->it_mw, 2), r->facility.pue_design);
    fprintf(to, "  %-24s $%s ($%s per IT MW)\n", "facility capex",
           wp_format_grouped(b1, sizeof b1, r->ai_capex_usd, 0),
           wp_format_grouped(b2, sizeof b2, r->it_mw > 0 ? r->ai_capex_usd / r->it_mw : 0, 0));
    if (r->gpu_capex_usd > 0)
      fprintf(to, "  %-24s $%s over the horizon\n", "GPU capex",
             wp_format_grouped(b1, sizeof b1, r->gpu_capex_usd, 0));
    fprintf(to, "  %-24s $%s\n", "ASIC resale", wp_format_grouped(b1, sizeof b1, r->asic_resale_usd, 0));
    fprintf(to, "  %-24s %.1f months (%s), starts %s\n", "construction", r->schedule_months,
           wp_schedule_plan_name(s->pathway.plan),
           wp_format_month(b1, sizeof b1, s->start, s->pathway.convert_month, "after the horizon"));
    fprintf(to, "  %-24s first hall %s, full %s\n", "energized",
           wp_format_month(b1, sizeof b1, s->start, r->energize_first_month, "after the horizon"),
           wp_format_month(b2, sizeof b2, s->start, r->energize_full_month, "after the horizon"));
  }
  fprintf(to, "\nmetrics (hurdle %.2f %%/yr, %zu months from %s)\n", s->terms.hurdle_rate * 100,
         s->months, wp_format_ym(b1, sizeof b1, s->start));
  const wp_finance_terms *rt = &s->run_terms;
  if (rt->rate_switch_month > 0 && rt->rate_after != rt->hurdle_rate)
    fprintf(to, "  %-24s %.2f %%/yr before %s, %.2f %%/yr from it (valuation.discount_rate_*)\n",
            "discounted at", rt->hurdle_rate * 100,
            wp_format_month(b2, sizeof b2, s->start, rt->rate_switch_month, "?"),
            rt->rate_after * 100);
  else if (rt->hurdle_rate != s->terms.hurdle_rate)
    fprintf(to, "  %-24s %.2f %%/yr (valuation.discount_rate_*)\n", "discounted at",
            rt->hurdle_rate * 100);
  fprintf(to, "  %-24s $%s\n", "project NPV", wp_format_grouped(b1, sizeof b1, fm->npv_usd, 0));
  fprintf(to, "  %-24s $%s\n", "equity NPV", wp_format_grouped(b1, sizeof b1, fm->equity_npv_usd, 0));
  print_irr(to, "project IRR", fm->project_irr_found, fm->project_irr, s->project_irr_note);
  print_irr(to, "equity IRR", fm->equity_irr_found, fm->equity_irr, s->equity_irr_note);
  if (fm->payback_month >= 0)
    fprintf(to, "  %-24s month %lld (%s)\n", "payback", (long long)fm->payback_month,
           wp_format_month(b1, sizeof b1, s->start, fm->payback_month, "after the horizon"));
  else
    fprintf(to, "  %-24s never (cumulative project cash flow still negative at the end)\n", "payback");
  if (fm->dscr_months > 0)
    fprintf(to, "  %-24s min %.3f, avg %.3f over %zu months; term debt $%s (gearing %.1f %%)\n", "DSCR",
           fm->min_dscr, fm->avg_dscr, fm->dscr_months,
           wp_format_grouped(b1, sizeof b1, fm->term_debt_usd, 0), fm->gearing * 100);
  else
    fprintf(to, "  %-24s none (no term debt service)\n", "DSCR");
  fprintf(to, "  %-24s $%s\n", "peak funding (equity)",
          wp_format_grouped(b1, sizeof b1, fm->peak_funding_usd, 0));
  fprintf(to, "  %-24s $%s\n", "peak funding (project)",
          wp_format_grouped(b1, sizeof b1, peak_project(s), 0));
  fprintf(to, "  %-24s %.3f x\n", "MOIC", fm->moic);
  fprintf(to, "  %-24s $%s\n", "tax paid", wp_format_grouped(b1, sizeof b1, fm->tax_paid_usd, 0));
  if (s->solved != WP_SOLVE_NONE) {
    fprintf(to, "\nsolve-for %s\n", wp_solve_var_name(s->solved));
    fprintf(to, "  %-24s %.10g %s\n", "break-even", s->solution, wp_solve_var_unit(s->solved));
    fprintf(to, "  %-24s $%s (re-run at the break-even; %d evaluations)\n", "NPV there",
           wp_format_grouped(b1, sizeof b1, s->npv_at_solution_usd, 2), s->solve_evaluations);
  }
  if (ledger_path)
    fprintf(to, "\nledger                     %s (%zu months; XNPV of project_cash_flow_usd over "
           "date at %.4g = npv_usd)\n",
           ledger_path, s->months, s->terms.hurdle_rate);
}
