/* The appliance's data disk (kbox.data): found, checked, formatted when blank, mounted at
 * KBOX_DATA before the containers start, and unmounted after they have stopped. */
#pragma once

#include <stdbool.h>

struct spec_set;

/* At boot, before the supervisor's loop (its tools are waited for by pid), with the set's
 * kbox.data (none: nothing to do) and kbox.data_timeout. Never fatal; 0 or -errno (logged,
 * and data_why() says it). */
int data_setup(const struct spec_set *set);
/* A data disk is mounted at KBOX_DATA. */
bool data_ready(void);
/* Why not, when it is not ("no data disk (kbox.data is not set)"). */
const char *data_why(void);
/* After the containers have stopped: unmount every mount of the disk. What still holds it
 * is named, gets SIGTERM, then SIGKILL (up to 2 s each, PID 1 waiting); what outlives
 * that leaves it mounted read-only. */
void data_shutdown(void);
