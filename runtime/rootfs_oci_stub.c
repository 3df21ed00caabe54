/* STUB until a/ocirootfs lands (then deleted): root.path bound, /proc, a /dev tmpfs with
 * null, zero, urandom and a devpts, the before-pivot callback, pivot_root. */
#include "rootfs_oci_stub.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../lib/syscalls.h"
#include "spec/oci.h"

static int fail(char *err, int errlen, const char *what)
{
	int e = errno;

	snprintf(err, errlen, "rootfs stub: %s: %s", what, strerror(e));
	return -e;
}

int rootfs_child_setup_oci(const struct spec *spec, const struct rt_opts *opts,
			   int (*before_pivot)(void *arg, char *err, int errlen), void *arg,
			   char *err, int errlen)
{
	const char *root = spec->oci->root;
	char p[4096];
	int r;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return fail(err, errlen, "make / private");
	if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
		return fail(err, errlen, "bind root");
	if (chdir(root) < 0)
		return fail(err, errlen, "chdir root");
	mkdir("proc", 0555);
	mkdir("dev", 0755);
	if (mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return fail(err, errlen, "mount proc");
	if (mount("tmpfs", "dev", "tmpfs", MS_NOSUID, "mode=755") < 0)
		return fail(err, errlen, "mount dev");
	static const char *const nodes[] = {"null", "zero", "urandom"};
	static const int minors[] = {3, 5, 9};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "dev/%s", nodes[i]);
		if (mknod(p, S_IFCHR | 0666, makedev(1, minors[i])) < 0) {
			/* in a user namespace: bind the host's */
			close(open(p, O_CREAT | O_WRONLY, 0666));
			snprintf(p + 100, sizeof(p) - 100, "/dev/%s", nodes[i]);
			if (mount(p + 100, p, NULL, MS_BIND, NULL) < 0)
				return fail(err, errlen, "dev node");
		}
	}
	mkdir("dev/pts", 0755);
	if (mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620") < 0)
		return fail(err, errlen, "mount devpts");
	if (symlink("pts/ptmx", "dev/ptmx") < 0)
		return fail(err, errlen, "ptmx");
	r = before_pivot(arg, err, errlen);
	if (r < 0)
		return r;
	if (sys_pivot_root(".", ".") < 0)
		return fail(err, errlen, "pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		return fail(err, errlen, "umount old root");
	if (chdir("/") < 0)
		return fail(err, errlen, "chdir /");
	if (spec->oci->root_readonly &&
	    mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
		return fail(err, errlen, "readonly");
	(void)opts;
	return 0;
}
