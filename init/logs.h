/* kbox logs: a container's log file (and its one rotation), last lines, and following. */
#pragma once

/* argv[1] is "logs". Returns the exit status. */
int logs_main(int argc, char **argv);
