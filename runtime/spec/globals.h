/* The global keys of the spec language: kbox.KEY on the command line, KEY in kbox.conf.
 * Pure code. */
#pragma once

#include "spec.h"

/* The global key KEY names (SG_*), or -1. */
int spec_global_key_find(const char *key);
/* Parse VAL into the set as global key ID; -EINVAL with the reason in err (SPEC_ERRLEN
 * bytes), or -ENOMEM. */
int spec_global_key_apply(struct spec_set *set, int id, const char *val, char *err);
