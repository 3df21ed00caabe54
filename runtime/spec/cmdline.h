/* The kernel command line front end of the spec language. Pure code. */
#pragma once

#include "set.h"

/* Read "kbox.NAME.KEY=VALUE" and "kbox.KEY=VALUE" from a kernel command line.
 * Errors are recorded in the set; returns 0, or -ENOMEM. */
int spec_parse_cmdline(struct spec_set *set, const char *cmdline);
