/* wattpivot.h — the whole public API: one header per module under wattpivot/. */
#ifndef WATTPIVOT_H
#define WATTPIVOT_H

#include "wattpivot/version.h"
#include "wattpivot/error.h"
#include "wattpivot/btc.h"
#include "wattpivot/calendar.h"
#include "wattpivot/format.h"
#include "wattpivot/range.h"
#include "wattpivot/finance.h"
#include "wattpivot/ledger.h"
#include "wattpivot/ledger_csv.h"
#include "wattpivot/mining.h"
#include "wattpivot/results.h"
#include "wattpivot/market.h"
#include "wattpivot/revenue.h"
#include "wattpivot/facility.h"
#include "wattpivot/capex.h"
#include "wattpivot/schedule.h"
#include "wattpivot/taskfile.h"
#include "wattpivot/output.h"
#include "wattpivot/pathway.h"
#include "wattpivot/scenario.h"
#include "wattpivot/scenario_file.h"
#include "wattpivot/planner.h"
#include "wattpivot/risk_assumptions.h"
#include "wattpivot/risk.h"
#include "wattpivot/risk_history.h"
#include "wattpivot/store.h"
#include "wattpivot/study.h"

#endif
