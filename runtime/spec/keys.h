/* The container keys of the spec language, the one table every front end feeds: each key's
 * name, the field it sets and its value's parser (globals.h has the global keys). Pure code. */
#pragma once

#include <stdbool.h>

#include "spec.h"

struct key {
	const char *name; /* "rlimit_" is a prefix */
	int id;		  /* SK_* */
	/* Parse VAL into the spec; -EINVAL with the reason in err (SPEC_ERRLEN bytes). */
	int (*apply)(struct spec *s, const char *key, const char *val, char *err);
};

/* The container key KEY names, or NULL. */
const struct key *spec_key_find(const char *key);
/* Keys that may be given more than once: each adds to a list. */
bool spec_key_is_list(int id);
/* Replace *dst with a copy of val; 0 or -ENOMEM. */
int spec_set_str(char **dst, const char *val);
