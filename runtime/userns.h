/* User namespaces: the child's id maps, and image ownership shifted into the mapped range.
 * Parent side. */
#pragma once

#include <sys/types.h>

#include "spec/spec.h"

/* Write the spec's userns map as PID's uid_map and gid_map; logs "name: userns: ...". */
int userns_parent_map(pid_t pid, const struct spec *spec);
/* Shift the owner of every file below ROOT (an overlay with metacopy, so that only the
 * metadata is copied up) by the spec's map: image uid 0 becomes the map's outside id. */
int userns_shift_tree(const char *root, const struct spec *spec);
/* The writable layer remembers the map its owners were shifted with, in MARKER: 1 when
 * that is the spec's map (nothing to do), 0 when it was never shifted, -EEXIST (why in ERR)
 * when it was shifted with another map or the spec has none. */
int userns_layer_state(const char *marker, const struct spec *spec, char *err, int errlen);
/* Record the spec's map in MARKER once the owners are shifted. */
int userns_layer_mark(const char *marker, const struct spec *spec);
/* A bundle's uidMappings and gidMappings (several lines each) as PID's maps; setgroups is
 * denied only when the gid map cannot be written otherwise. No owners are shifted: an OCI
 * root is the engine's to prepare. Logs "name: userns: ...". */
int userns_parent_map_oci(pid_t pid, const struct spec *spec);
