/* The keeper: a mount namespace of PID 1's own that holds every container's layer and
 * overlay, so that PID 1's namespace, which each container's unshare copies whole, stays
 * the size it had at boot. */
#pragma once

#include <stdbool.h>

/* PID 1, once, before any container starts: make the keeper (a private copy of its own
 * namespace, the data disk left out). Without it (kbox run) every mount stays where the
 * caller is. 0 or -errno (logged). */
int mntns_keeper_init(void);
/* Parent side, around the mounts of one container's root: into the keeper (if WANT), and
 * back. Enter returns true if it went in (leave must follow), false if there is no keeper,
 * WANT is false (the root stays in the caller's namespace) or setns failed (logged). The
 * child cloned next takes its root from where this put it. */
bool mntns_enter(bool want);
void mntns_leave(void);
/* The fds a child of PID 1 keeps through its fd cleanup until it has its root: both are
 * -1 without a keeper. */
void mntns_fds(int ret[2]);
/*
 * Child side, before its unshare(CLONE_NEWNS): a detached copy of ROOT's overlay, from the
 * keeper, where the parent mounted it last (mntns_enter was true), in *RET_TREE, or -1 there
 * when the overlay is in our own namespace. 0, or -errno with the reason in err.
 */
int mntns_child_take(const char *root, int *ret_tree, char *err, int errlen);
/* Child side, in its new namespace: the copy mounted on ROOT. 0 or -errno (err). */
int mntns_child_attach(int tree, const char *root, char *err, int errlen);
