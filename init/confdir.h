/* /etc/kbox: the conf files of a directory, read into a spec set. */
#pragma once

#include "../runtime/spec/conf.h"

/* A spec file bigger than this is refused whole, unread. */
#define CONFDIR_FILE_MAX (64 * 1024)

/*
 * Read DIRFD (its path is WHERE, for messages): kbox.conf for the globals, then every
 * NAME.conf in name order, for container NAME. An entry that is not a regular file, cannot
 * be read, is over CONFDIR_FILE_MAX or holds a NUL byte fails the container it names (a
 * bad kbox.conf is reported and ignored); each file records at most SPEC_SOURCE_ERRORS
 * errors, then one "and N more". Everything is recorded in the set; returns 0, or -ENOMEM.
 */
int confdir_load(struct spec_set *set, int dirfd, const char *where);
