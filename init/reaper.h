/* kbox-init: a container's PID 1 with init=true, and a drop-in for tini and dumb-init. */
#pragma once

/* argv[0]'s base name is kbox-init, tini or dumb-init: that tool's defaults. Returns the
 * payload's exit status (128+N for signal N), or 1 when the init itself cannot go on. */
int reaper_main(int argc, char **argv);
