/* The third front end of the spec language: kbox run's flags. Pure code, no system calls. */
#pragma once

#include <stdbool.h>

#include "set.h"

struct run_flags {
	const char *name; /* --name, or the caller's default */
	bool rm;	  /* --rm: remove the container's state once it exits */
	bool interactive; /* -i: keep stdin open */
	int image;	  /* argv index of IMAGE; CMD... follows it */
	bool help;	  /* --help */
};

/*
 * Parse "kbox run [FLAG...] IMAGE [CMD...]" (argv[0] is "run"). Every spec key is a flag
 * (--memory 64M, --memory=64M, --cpu_weight or --cpu-weight), as are Docker's names for
 * them (-e, -m, -u, -w, -v, --cap-add, --pids-limit, --ulimit nofile=N, --storage-opt
 * size=N, ...). The keys go to the set under the container's name, errors included; IMAGE
 * and CMD are left to the caller. Returns 0; -EINVAL with a reason in err for a usage error;
 * -ENOMEM.
 */
int spec_parse_run_flags(struct spec_set *set, int argc, char **argv, const char *default_name,
			 struct run_flags *ret, char *err, int errlen);
