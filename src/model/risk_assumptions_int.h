/*
** src/model/risk_assumptions_int.h — internal: the lower Cholesky factor of the correlation
** matrix, shared by the assumptions' check (it must exist) and the market generator (it
** correlates the shocks).
*/
#ifndef WP_MODEL_RISK_ASSUMPTIONS_INT_H
#define WP_MODEL_RISK_ASSUMPTIONS_INT_H

#include "wattpivot/risk_assumptions.h"

/* l = the lower Cholesky factor of c (z = l eps); 0 when c is not positive definite. */
int wp_risk_cholesky(const double c[WP_RISK_FACTORS][WP_RISK_FACTORS],
                     double l[WP_RISK_FACTORS][WP_RISK_FACTORS]);

#endif
