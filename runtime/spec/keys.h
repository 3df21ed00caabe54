/* The container keys of the spec language, shared by the front ends in spec.c. Pure code. */
#pragma once

#include <stdbool.h>

#include "spec.h"

#define SPEC_ERRLEN 256

struct key {
	const char *name; /* "rlimit_" is a prefix */
	int id;		  /* SK_* */
	/* Parse VAL into the spec; -EINVAL with the reason in err (SPEC_ERRLEN bytes). */
	int (*apply)(struct spec *s, const char *key, const char *val, char *err);
};

/* The key KEY names, or NULL. */
const struct key *spec_key_find(const char *key);
/* Keys that may be given more than once: each adds to a list. */
bool spec_key_is_list(int id);
/* A hostname: labels of letters, digits and hyphens. */
bool spec_valid_hostname(const char *h);
/* Replace *dst with a copy of val; 0 or -ENOMEM. */
int spec_set_str(char **dst, const char *val);
