/* OCI hooks run by the container's own process (createContainer, startContainer): forked
 * in its namespaces, the state on stdin, bounded by the hook's timeout. */
#pragma once

#include "spec/oci.h"

/* Run every hook of HOOKS in order; the first that fails (exit status, signal, timeout)
 * stops the rest. 0, or -errno with "KIND hook PATH: reason" in err. */
int hook_run_all(const struct oci_hooks *hooks, const char *kind, const char *state_json, char *err,
		 int errlen);
