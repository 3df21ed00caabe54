/* process.terminal: the container's pty, its master sent over the console socket. Child
 * side, after the container's mounts. */
#pragma once

#include "spec/oci.h"

/* Open the container's /dev/ptmx, size it (consoleSize), send the master over SOCK with
 * SCM_RIGHTS (the pty's name as the payload, as runc does), and make the slave our stdin,
 * stdout, stderr and controlling terminal (we lead a session of our own already). 0, or
 * -errno with why in err. */
int console_child_setup(const struct spec_oci *oci, int sock, char *err, int errlen);
