/* The set of specs: every container's spec and the globals, filled in key by key by the
 * front ends (cmdline.c, conf.c, runflags.c) through the one key table, then checked as a
 * whole. Errors are recorded in the set, never fatal. Pure code. */
#pragma once

#include <stdbool.h>

#include "spec.h"

void spec_set_init(struct spec_set *set);
void spec_set_free(struct spec_set *set);
/* One spec and everything it holds (but spec->oci, which spec_oci_free frees first). */
void spec_free(struct spec *spec);
struct spec *spec_find(struct spec_set *set, const char *name);

/* Set one KEY of container NAME (val NULL: "missing '=value'"); errors are recorded in the
 * set with WHERE as their source. Returns 0, or -ENOMEM. */
int spec_set_key(struct spec_set *set, const char *name, const char *key, const char *val,
		 const char *where);
/* The same for a global KEY ("hostname" for kbox.hostname). */
int spec_set_global(struct spec_set *set, const char *key, const char *val, const char *where);
/* The source WHERE that defines container NAME (NULL: the globals) cannot be used: record
 * WHY against NAME, which will not start (an invalid NAME is reported as such instead).
 * Returns 0, or -ENOMEM. */
int spec_set_fail(struct spec_set *set, const char *name, const char *why, const char *where);
/* Record an error that belongs to no container's key. Returns 0, or -ENOMEM. */
int spec_set_error(struct spec_set *set, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Fill in defaults and check what needs every source read. */
int spec_finish(struct spec_set *set);

/*
 * A front end reads each of its sources (a file, the command line, kbox run's flags) between
 * these: a key given twice in one source is an error, a later source overrides an earlier
 * one. A BOUNDED source records its first SPEC_SOURCE_ERRORS errors and counts the rest,
 * which spec_source_end reports in one line against NAME (NULL: the globals).
 */
void spec_source_begin(struct spec_set *set, bool bounded);
int spec_source_end(struct spec_set *set, const char *name, const char *where);
