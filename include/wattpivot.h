/* wattpivot.h — the whole public API: one header per module under wattpivot/. */
#ifndef WATTPIVOT_H
#define WATTPIVOT_H

#include "wattpivot/error.h"
#include "wattpivot/btc.h"
#include "wattpivot/calendar.h"
#include "wattpivot/mining.h"
#include "wattpivot/results.h"
#include "wattpivot/store.h"

#endif
