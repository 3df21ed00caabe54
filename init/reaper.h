/* kbox-init: a container's PID 1 with init=true. */
#pragma once

/* argv[0] is "kbox-init". Returns the payload's exit status (128+N for signal N). */
int reaper_main(int argc, char **argv);
