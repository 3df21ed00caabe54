/* The console shell: kbox.shell=1's, and the emergency one when a boot step fails. */
#pragma once

#include <sys/types.h>

/* A login shell (/bin/sh as "-sh") on the console's tty, in a session of its own: its pid,
 * or -errno after logging. */
pid_t shell_spawn(void);
