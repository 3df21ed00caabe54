/* oci-rootfs.t's driver: BUNDLE/config.json through spec_oci_parse, then, in new mount, pid,
 * ipc, uts and network namespaces, rootfs_child_setup_oci (kbox's own objects) and the
 * process's args exec'd in the root it made. The before-pivot callback reports on stderr
 * whether it ran in the host's root still. Exits with the payload's status, 125 when the
 * setup failed (its reason on stderr, as kbox reports it). OCIMOUNT_USERNS=1: in a user
 * namespace first (ids 0-65535 mapped to themselves), where no device node can be made. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../lib/util.h"
#include "../../runtime/rootfs.h"
#include "../../runtime/spec/oci.h"

/* The bundle's config.json is at a host path: seen here only before pivot_root. */
static int before_pivot(void *arg, char *err, int errlen)
{
	const char *config = arg;

	fprintf(stderr, "before_pivot: %s\n",
		access(config, F_OK) == 0 ? "in the host's root" : "not in the host's root");
	if (getenv("OCIMOUNT_FAIL_HOOK")) {
		snprintf(err, errlen, "createContainer hook failed");
		return -EIO;
	}
	return 0;
}

/* The maps are written by a child left in our namespace: only there are its rights (root's
 * on the host) the ones the kernel asks for. */
static int enter_userns(void)
{
	static const char *const files[] = {"uid_map", "gid_map"};
	int p[2], status;
	pid_t pid, me = getpid();
	char c;

	if (pipe(p) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		char path[64];
		int r = read(p[0], &c, 1) == 1 ? 0 : 1;

		for (int i = 0; r == 0 && i < 2; i++) {
			snprintf(path, sizeof(path), "/proc/%d/%s", (int)me, files[i]);
			r = write_file(AT_FDCWD, path, "0 0 65536\n") < 0;
		}
		_exit(r);
	}
	close(p[0]);
	if (unshare(CLONE_NEWUSER) < 0)
		return -errno;
	if (write(p[1], "g", 1) != 1 || waitpid(pid, &status, 0) < 0 || status != 0)
		return -EPERM;
	close(p[1]);
	return 0;
}

int main(int argc, char **argv)
{
	struct rt_opts opts = {.cgroup_fd = -1, .stdio = {-1, -1, -1}};
	char path[4096], err[512];
	struct spec *spec = NULL;
	char *text = NULL;
	size_t len;
	int r, status;
	pid_t pid;

	if (argc != 2 || argv[1][0] != '/') {
		fprintf(stderr, "usage: ocimount /BUNDLE\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/config.json", argv[1]);
	r = read_file(AT_FDCWD, path, &text, &len);
	if (r < 0) {
		fprintf(stderr, "ocimount: %s: %s\n", path, strerror(-r));
		return 2;
	}
	r = spec_oci_parse(text, len, argv[1], "ocimount", &spec, err, sizeof(err));
	free(text);
	if (r < 0) {
		fprintf(stderr, "ocimount: %s\n", err);
		return 2;
	}
	if (getenv("OCIMOUNT_USERNS") && (r = enter_userns()) < 0) {
		fprintf(stderr, "ocimount: user namespace: %s\n", strerror(-r));
		return 2;
	}
	if (unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET) < 0) {
		perror("ocimount: unshare");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("ocimount: fork");
		return 2;
	}
	if (pid == 0) {
		r = rootfs_child_setup_oci(spec, &opts, before_pivot, path, err, sizeof(err));
		if (r < 0) {
			fprintf(stderr, "ocimount: %s\n", err);
			_exit(125);
		}
		execve(spec->argv[0], spec->argv, spec->run_env);
		fprintf(stderr, "ocimount: exec %s: %s\n", spec->argv[0], strerror(errno));
		_exit(127);
	}
	spec_oci_free(spec);
	if (waitpid(pid, &status, 0) < 0)
		return 2;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
