/* Named volumes (volume=NAME:/path): each a directory KBOX_VOLUMES/NAME on the data disk,
 * made on first use and owned by the container's root, who uses which, and kbox volumes. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "../lib/paths.h"
#include "../runtime/spec/spec.h"

/* Which containers of PID 1 name which volume: "VOLUME CONTAINER" lines, for kbox volumes. */
#define VOLUMES_USERS KBOX_STATE "/volumes"

/*
 * Before a start of S: every volume it names exists, a directory (made 0755 and owned by
 * the container's root, the userns map's outside id or 0, when new). UNAVAILABLE, when not
 * NULL, is why there is no data disk: a spec with a volume fails with it. 0, or -errno with
 * the reason in err ("db: volume 'dbdata': no data disk (kbox.data is not set)").
 */
int volumes_prepare(const struct spec *s, const char *unavailable, char *err, size_t errlen);
/* For kbox run, which cannot ask PID 1's data_ready(): in the appliance, without a
 * filesystem mounted at KBOX_DATA, why not; else NULL (a host's own /var/lib/kbox). */
const char *volumes_unavailable(bool appliance);
/* PID 1, once at boot: write VOLUMES_USERS from the specs. Logs a failure, never fatal. */
void volumes_note_users(const struct spec_set *set);
/* kbox volumes: argv[1] is "volumes". Returns the exit status. */
int volumes_main(int argc, char **argv);
