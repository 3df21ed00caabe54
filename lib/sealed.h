/* Running kbox from a sealed memfd copy of itself (CVE-2019-5736). */
#pragma once

#include <stdbool.h>

/* True when /proc/self/exe can no longer be written: we run from a sealed copy. */
bool sealed_running(void);
/* Exec PATH from a sealed memfd copy, so that no process of ours ever exposes a writable
 * kbox binary through /proc/PID/exe, not even after it exits. Returns -errno on failure. */
int sealed_exec(const char *path, char *const argv[]);
