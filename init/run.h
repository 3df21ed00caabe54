/* kbox run: one container in the foreground, on a normal host or in the appliance. */
#pragma once

/* argv[1] is "run". Returns the exit status: the payload's, or 125 when kbox failed. */
int run_main(int argc, char **argv);
