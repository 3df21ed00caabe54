/* kbox oci's pure argument checks: no system calls, unit-tested. */
#pragma once

#include <stdbool.h>

#define OCI_ID_MAX 1024
/* --preserve-fds: at most the kernel's ceiling on open fds (fs.nr_open's default). */
#define OCI_PRESERVE_FDS_MAX (1 << 20)

/* runc's rule for an id: [A-Za-z0-9_.+-]{1,1024}, not "." or "..". NULL, or why not. */
const char *oci_id_check(const char *id);
/* A signal by name (KILL, SIGKILL, sigkill, SIGRTMIN+3) or number (1..64); -1 if none. */
int oci_signal(const char *s);
/* --preserve-fds N: decimal digits only, 0..OCI_PRESERVE_FDS_MAX. NULL, or why not. */
const char *oci_preserve_fds_parse(const char *s, unsigned *ret);
