// SPDX-License-Identifier: GPL-2.0-only
/* Instantiates the xe_svm tracepoints declared in xe_svm_trace.h. */
#define CREATE_TRACE_POINTS
#include "xe_svm_trace.h"
