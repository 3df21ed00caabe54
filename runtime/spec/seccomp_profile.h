/* seccomp=FILE profiles: a small line format, parsed here without system calls.
 *
 *   # comment
 *   default allow|deny      what every other system call gets (allow if not given)
 *   allow NAME...           these run
 *   deny NAME...            these fail with EPERM
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct seccomp_rule {
	char *name;
	bool allow;
	int line;
};

struct seccomp_profile {
	bool default_deny;
	struct seccomp_rule *rules;
	size_t nrules;
};

/* 0, -EINVAL with "WHERE:LINE: reason" in err, or -ENOMEM. */
int seccomp_profile_parse(const char *text, const char *where, struct seccomp_profile *ret,
			  char *err, int errlen);
void seccomp_profile_free(struct seccomp_profile *p);
