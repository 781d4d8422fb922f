/* wattpivot.h — the whole public API: one header per module under wattpivot/. */
#ifndef WATTPIVOT_H
#define WATTPIVOT_H

#include "wattpivot/error.h"
#include "wattpivot/btc.h"
#include "wattpivot/schedule.h"
#include "wattpivot/taskfile.h"

#endif
