/* Capability names and Docker's default set. Pure code. */
#pragma once

#include <stdint.h>

#define CAP_COUNT 41 /* CAP_CHOWN .. CAP_CHECKPOINT_RESTORE (40), as of Linux 6.1 */

/* "NET_ADMIN", "cap_net_admin", ... -> 12; -1 if unknown. */
int cap_from_name(const char *name);
const char *cap_name(int cap);
/* Docker's default set less NET_RAW (as podman): what a container keeps unless told otherwise. */
uint64_t cap_default_set(void);
