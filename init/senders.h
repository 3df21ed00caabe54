/* Who may shut the appliance down by signalling PID 1. */
#pragma once

#include <stdbool.h>
#include <sys/signalfd.h>

/* Is SI a shutdown signal from a container that may not shut the appliance down? Logs why
 * the first few times. */
bool sender_refused(const struct signalfd_siginfo *si);
