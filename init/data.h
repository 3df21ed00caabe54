/* The appliance's data disk (kbox.data): found, checked, formatted when blank, mounted at
 * KBOX_DATA before the containers start, and unmounted after they have stopped. */
#pragma once

#include <stdbool.h>

/* At boot, with the value of kbox.data (NULL: none). Never fatal; 0 or -errno (logged). */
int data_setup(const char *spec);
/* A data disk is mounted at KBOX_DATA. */
bool data_ready(void);
/* Why not, when it is not ("no data disk (kbox.data is not set)"). */
const char *data_why(void);
/* After the containers have stopped: unmount what is mounted at KBOX_DATA. */
void data_shutdown(void);
