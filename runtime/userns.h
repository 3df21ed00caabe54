/* User namespaces: the child's id maps, and image ownership shifted into the mapped range.
 * Parent side. */
#pragma once

#include <sys/types.h>

#include "spec.h"

/* Write the spec's userns map as PID's uid_map and gid_map; logs "name: userns: ...". */
int userns_parent_map(pid_t pid, const struct spec *spec);
/* Shift the owner of every file below ROOT (an overlay with metacopy, so that only the
 * metadata is copied up) by the spec's map: image uid 0 becomes the map's outside id. */
int userns_shift_tree(const char *root, const struct spec *spec);
