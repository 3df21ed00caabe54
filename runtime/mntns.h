/* The keeper: a mount namespace of PID 1's own that holds every container's layer and
 * overlay, so that PID 1's namespace, which each container's unshare copies whole, stays
 * the size it had at boot. */
#pragma once

#include <stdbool.h>

/* PID 1, once, before any container starts: make the keeper (a private copy of its own
 * namespace, the data disk left out). Without it (kbox run) every mount stays where the
 * caller is. 0 or -errno (logged). */
int mntns_keeper_init(void);
/* Parent side, around an unmount in the keeper: into it (if WANT), and back. Enter returns
 * true if it went in (leave must follow), false if there is no keeper, WANT is false or
 * setns failed (logged). */
bool mntns_enter(bool want);
void mntns_leave(void);
/* The fds a child of PID 1 keeps through its fd cleanup until it has its root: both are
 * -1 without a keeper. */
void mntns_fds(int ret[2]);
/* Parent side, instead of mounting a root: its child will, in the keeper (WANT and there
 * is a keeper: true), or the parent mounts it where it is (false). */
bool mntns_defer(bool want);
/*
 * Child side, before its unshare(CLONE_NEWNS), when the parent deferred its root: into the
 * keeper (true), where it mounts its root and takes a detached copy of it (clone, which
 * leaves the keeper without it), then back (leave, 0 or -errno). False: nothing deferred,
 * or with err set, setns failed. Each closes what it no longer needs of PID 1's fds.
 */
bool mntns_child_enter(char *err, int errlen);
int mntns_child_clone(const char *root, int *ret_tree, char *err, int errlen);
int mntns_child_leave(char *err, int errlen);
/* Child side, in its new namespace: the copy mounted on ROOT. 0 or -errno (err). */
int mntns_child_attach(int tree, const char *root, char *err, int errlen);
