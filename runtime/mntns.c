/* The keeper mount namespace: where PID 1 mounts the containers' layers and overlays, and
 * where each container's child takes a copy of its own root from. */
#include "mntns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/paths.h"

#define OPEN_TREE_CLONE 1
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

/* Every child of PID 1 copies PID 1's mount table whole at its unshare, and walks it again
 * to make it private and to detach it after pivot_root, under the kernel's one namespace
 * lock: with two mounts per container in PID 1's namespace, n containers cost n² (measured
 * in the guest: 398 ms per container at 500, 30 ms at 100). In the keeper they cost PID 1
 * nothing at a clone, and a child takes only its own overlay from there. */
static struct {
	int main, keeper;
	bool last; /* the child cloned next mounts its root in the keeper */
} K = {-1, -1, false};

int mntns_keeper_init(void)
{
	int main_fd, keeper_fd, r = 0;

	if (K.keeper >= 0)
		return 0;
	main_fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (main_fd < 0)
		return log_errno(-errno, "keeper: open /proc/self/ns/mnt");
	if (unshare(CLONE_NEWNS) < 0) {
		r = log_errno(-errno, "keeper: unshare the mount namespace");
		close(main_fd);
		return r;
	}
	/* Nothing mounted here may reach PID 1's own mounts, nor theirs this one. The data
	 * disk stays PID 1's alone: a copy here would keep it busy past its unmount. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		r = log_errno(-errno, "keeper: make / private");
	umount2(KBOX_DATA, MNT_DETACH);
	keeper_fd = r < 0 ? -1 : open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (r == 0 && keeper_fd < 0)
		r = log_errno(-errno, "keeper: open its namespace");
	if (setns(main_fd, CLONE_NEWNS) < 0) {
		/* PID 1 stays in the keeper: its mounts are then copied as before. */
		log_errno(-errno, "keeper: back to PID 1's mount namespace");
		close(main_fd);
		if (keeper_fd >= 0)
			close(keeper_fd);
		return -EIO;
	}
	if (r < 0) {
		close(main_fd);
		return r;
	}
	K.main = main_fd;
	K.keeper = keeper_fd;
	return 0;
}

bool mntns_enter(bool want)
{
	if (!want || K.keeper < 0)
		return false;
	if (setns(K.keeper, CLONE_NEWNS) < 0) {
		log_errno(-errno, "keeper: enter");
		return false;
	}
	return true;
}

void mntns_leave(void)
{
	/* Cannot fail for PID 1, which came from there; if it did, it would stay in the
	 * keeper, and its clones copy the keeper's table: slower, not wrong. */
	if (setns(K.main, CLONE_NEWNS) < 0)
		log_errno(-errno, "keeper: back to PID 1's mount namespace");
}

void mntns_fds(int ret[2])
{
	ret[0] = K.main;
	ret[1] = K.keeper;
}

bool mntns_defer(bool want)
{
	K.last = want && K.keeper >= 0;
	return K.last;
}

static void close_fds(void)
{
	if (K.main >= 0)
		close(K.main);
	if (K.keeper >= 0)
		close(K.keeper);
	K.main = K.keeper = -1;
}

bool mntns_child_enter(char *err, int errlen)
{
	err[0] = '\0';
	if (!K.last) {
		/* Nothing of PID 1's past what the setup needs. */
		close_fds();
		return false;
	}
	if (setns(K.keeper, CLONE_NEWNS) < 0) {
		snprintf(err, errlen, "keeper: enter: %s", strerror(errno));
		close_fds();
		return false;
	}
	return true;
}

int mntns_child_clone(const char *root, int *ret_tree, char *err, int errlen)
{
	int tree = syscall(SYS_open_tree, AT_FDCWD, root, OPEN_TREE_CLONE | O_CLOEXEC);

	if (tree < 0) {
		snprintf(err, errlen, "keeper: copy %s: %s", root, strerror(errno));
		return -errno;
	}
	/* The copy alone holds it from here, and goes with the container's namespace. */
	umount2(root, MNT_DETACH);
	*ret_tree = tree;
	return 0;
}

int mntns_child_leave(char *err, int errlen)
{
	int r = 0;

	if (setns(K.main, CLONE_NEWNS) < 0) {
		r = -errno;
		snprintf(err, errlen, "keeper: leave: %s", strerror(errno));
	}
	close_fds();
	return r;
}

int mntns_child_attach(int tree, const char *root, char *err, int errlen)
{
	int r = 0;

	if (tree < 0)
		return 0;
	if (syscall(SYS_move_mount, tree, "", AT_FDCWD, root, MOVE_MOUNT_F_EMPTY_PATH) < 0) {
		r = -errno;
		snprintf(err, errlen, "mount its root on %s: %s", root, strerror(errno));
	}
	close(tree);
	return r;
}
