/* Boot steps of PID 1: from the initramfs to a system containers can be started on. */
#include "boot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/sealed.h"
#include "../lib/util.h"
#include "../runtime/cgroup.h"
#include "../runtime/net/net.h"

#define NEWROOT "/.kbox-root"

extern char **environ;

/* The kernel's initial rootfs is the root of the mount tree: the only mount that is its
 * own parent in mountinfo. pivot_root(2) cannot leave it, so no container could start. */
static bool on_rootfs(void)
{
	_cleanup_free_ char *info = NULL;
	char *line;

	if (read_file(AT_FDCWD, "/proc/self/mountinfo", &info, NULL) < 0)
		return false;
	for (line = strtok(info, "\n"); line; line = strtok(NULL, "\n")) {
		char mnt[PATH_MAX];
		int id, parent;

		if (sscanf(line, "%d %d %*s %*s %4095s", &id, &parent, mnt) != 3 ||
		    strcmp(mnt, "/") != 0)
			continue;
		return id == parent;
	}
	return false;
}

int boot_switch_root(char **argv)
{
	int r;

	if (mkdir("/proc", 0555) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot create /proc");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 &&
	    errno != EBUSY)
		return log_errno(-errno, "cannot mount /proc");
	if (!on_rootfs()) {
		/* Booted from a disk, or the re-exec below: run from a sealed copy either way. */
		if (!sealed_running()) {
			r = sealed_exec("/proc/self/exe", argv);
			log_errno(r, "cannot re-exec from a sealed copy; going on from the file");
		}
		return 0;
	}

	/* A bind mount of the rootfs, moved over it, is a root with a parent, which
	 * pivot_root(2) can leave: the files stay where the kernel unpacked them (a tmpfs, as
	 * no root= is given), none copied. Copying them into a tmpfs of their own took more
	 * than half of /init to "init ready" under TCG, and its descriptors per level of
	 * depth and its list of hard links grew with the images. */
	log_msg("/init started (boot +%.3f s), moving the initramfs onto a mount", boottime());
	umount2("/proc", MNT_DETACH);
	if ((mkdir(NEWROOT, 0755) < 0 && errno != EEXIST) ||
	    mount("/", NEWROOT, NULL, MS_BIND, NULL) < 0)
		return log_errno(-errno, "cannot bind the initramfs on %s", NEWROOT);
	if (chdir(NEWROOT) < 0 || mount(".", "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0 ||
	    chdir("/") < 0)
		return log_errno(-errno, "cannot switch root to the bind mount");
	/* Its mount point, now under the moved mount, is an empty directory nobody needs. */
	rmdir(NEWROOT);
	/* A container must never reach a writable kbox through /proc/PID/exe (CVE-2019-5736). */
	r = sealed_exec("/init", argv);
	log_errno(r, "cannot re-exec /init from a sealed copy");
	execve("/init", argv, environ);
	return log_errno(-errno, "cannot re-exec /init in the new root");
}

static const struct mnt boot_mounts_table[] = {
	{"devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755"},
	{"devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "gid=5,mode=620,ptmxmode=000"},
	{"shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"},
	{"sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL},
	{"cgroup2", CG_ROOT, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, "nsdelegate"},
	{"run", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755"},
	{"tmp", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"},
};

static void console_stdio(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		dup2(fd, i);
	if (fd > 2)
		close(fd);
}

int boot_mounts(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(boot_mounts_table); i++) {
		const struct mnt *m = &boot_mounts_table[i];

		if (mkdir_p(m->dst, 0755) < 0)
			return log_errno(-errno, "cannot create '%s'", m->dst);
		if (mount(m->src, m->dst, m->type, m->flags, m->data) < 0 && errno != EBUSY)
			return log_errno(-errno, "cannot mount %s on '%s'", m->type, m->dst);
		if (strcmp(m->dst, "/dev") == 0)
			console_stdio();
	}
	/* Search but no listing for others: a container root in a user namespace is an
	 * unprivileged id here, and must reach /run/kbox/NAME/root to bind it. */
	if (mkdir_p(KBOX_STATE, 0711) < 0)
		return log_errno(-errno, "cannot create " KBOX_STATE);
	/* Images are the read-only lower layers of container roots. */
	if (mkdir_p(KBOX_IMAGES, 0755) < 0 ||
	    mount(KBOX_IMAGES, KBOX_IMAGES, NULL, MS_BIND | MS_REC, NULL) < 0 ||
	    mount(NULL, KBOX_IMAGES, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0)
		return log_errno(-errno, "cannot make " KBOX_IMAGES " read-only");
	return cg_setup_root();
}

int boot_identity(const char *hostname)
{
	int r;

	if (sethostname(hostname, strlen(hostname)) < 0)
		return log_errno(-errno, "cannot set hostname '%s'", hostname);
	r = net_link_up("lo");
	if (r < 0)
		return log_errno(r, "cannot bring up lo");
	return 0;
}
