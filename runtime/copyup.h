/* tmpcopyup: an image directory's contents into the tmpfs mounted over it (crun's option;
 * podman sets it on every --tmpfs). */
#pragma once

#include <stdbool.h>

#define COPYUP_DEPTH_MAX 128	 /* directories below the mount's */
#define COPYUP_ENTRIES_MAX 65536 /* files, directories, links and nodes in all */
#define COPYUP_PATH_SHOWN 512	 /* of where a failure is, in its message */

/*
 * Copy what directory SRC holds into directory DST: files (their bytes, at most their size
 * when the copy began), directories, symlinks as links (never followed), fifos, sockets and
 * device nodes as what they are (crun's rule); owners, modes, times and xattrs where the
 * file systems take them. Every name is opened below its parent's fd with O_NOFOLLOW, so
 * nothing outside SRC is read. More than COPYUP_DEPTH_MAX levels or COPYUP_ENTRIES_MAX
 * entries, or a file larger than the tmpfs has room for, fail with the reason and the
 * path in ERR: "tmpcopyup WHAT: 'a/b': reason". 0 or -errno; what was copied stays in DST
 * (the caller unmounts it).
 */
int copyup_tree(int src, int dst, const char *what, char *err, int errlen);
