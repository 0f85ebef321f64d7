/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `svmtop export`'s SVM fault-path collector (cli/exportsvm.c): the
 * svmtop_svm_* families from the SVM collector of cli/svm.h.
 */
#ifndef SVMTOP_EXPORTSVM_H
#define SVMTOP_EXPORTSVM_H

#include "export.h"

/* Bit of export_opts.collectors, after EXPORT_COLL_GT and _HMM. */
#define EXPORT_COLL_SVM 4

extern const struct collector_ops export_svm_collector;

#endif
