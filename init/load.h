/* kbox load: an image from a file on the appliance (or a host) onto the data disk,
 * KBOX_HOST_IMAGES/NAME and its record, atomically. */
#pragma once

/* kbox load SOURCE [NAME]: argv[1] is "load". Returns the exit status. */
int load_main(int argc, char **argv);
