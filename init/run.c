/* kbox run: one container in the foreground, on a normal host or in the appliance. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lib/ctl.h"
#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/sealed.h"
#include "../lib/util.h"
#include "../runtime/cgroup.h"
#include "../runtime/rootfs.h"
#include "../runtime/spec/runflags.h"
#include "../runtime/runtime.h"
#include "control.h"
#include "images.h"
#include "volumes.h"

#define EXIT_RUN_FAILED 125 /* as docker run: kbox itself failed, the payload never ran */

static const char usage[] =
	"usage: kbox run [FLAG...] IMAGE [CMD...]\n"
	"\n"
	"Run CMD in a new container whose root is an overlay over IMAGE: a directory (a\n"
	"path with a '/'), or a name under $KBOX_IMAGES (" KBOX_HOST_IMAGES "; in the\n"
	"appliance " KBOX_IMAGES ", then " KBOX_HOST_IMAGES "). A named image's record\n"
	"(NAME.json beside it) gives its defaults: Entrypoint, Cmd, Env, WorkingDir, User,\n"
	"StopSignal; a flag overrides each. CMD replaces the Cmd and follows the Entrypoint.\n"
	"  --entrypoint PROG  the Entrypoint is PROG, one word (\"\" for none), and the\n"
	"                image's Cmd is dropped. An image without a record runs CMD, or sh.\n"
	"Every spec key is a flag (--memory 64M, --cpu-weight=50, --readonly); so are\n"
	"Docker's names: -e/--env, -u, -w, -h, -m, -v/--volume, --read-only, --cap-add,\n"
	"--cap-drop, --pids-limit, --cpuset-cpus, --ulimit NAME=N[:M],\n"
	"--security-opt seccomp=FILE|unconfined, --storage-opt size=N.\n"
	"  -v SRC:DST[:ro]  a bind of the path SRC, or with a SRC that does not start with\n"
	"                '/', the named volume SRC: the directory " KBOX_VOLUMES "/SRC, made\n"
	"                on first use, owned by the container's root, kept after --rm\n"
	"  --name NAME   the container's name (default run-PID); in the appliance, not one\n"
	"                of PID 1's containers\n"
	"  --rm          remove its state (" KBOX_STATE "/NAME, " KBOX_RUN_STATE "/NAME in the\n"
	"                appliance) when it exits\n"
	"  -i            keep stdin open\n"
	"Exit status: the payload's; 125 when kbox fails, 126/127 when CMD cannot run.\n"
	"cgroup limits need cgroup v2; without it they are refused, and the container\n"
	"loses CAP_MKNOD, since no device allowlist can hold it in.\n";

/* Where this run keeps its state, and the name of its cgroup leaf under kbox/. */
static const char *state_dir = KBOX_STATE;
static char leaf[80];

/* Signals a foreground runtime passes on to the container's PID 1, as docker run does. */
static const int forwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH};

static int resolve_image(struct spec_set *set, const char *name, const char *image)
{
	char path[PATH_MAX];

	if (!strchr(image, '/'))
		return spec_set_key(set, name, "image", image, "IMAGE");
	if (!realpath(image, path))
		return log_errno(-errno, "%s: image: '%s'", name, image);
	return spec_set_key(set, name, "image", path, "IMAGE");
}

/* kbox is PID 1 here (not us): its control socket is there. */
static bool in_appliance(void)
{
	struct stat st;

	return getpid() != 1 && stat(KBOX_CONTROL_SOCK, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* Does PID 1 supervise a container of that name? It answers "inspect NAME" with 0 if so.
 * If it cannot be asked, no: the state and leaf of a run never collide with its anyway. */
static bool pid1_has(const char *name)
{
	const char *req[] = {"inspect", name, NULL};
	_cleanup_close_ int fd = -1;
	struct timeval tv = {.tv_sec = 5};
	char buf[4096];
	ssize_t len;

	if (strlen(name) > 256 || (len = ctl_pack(buf, sizeof(buf), req, -1)) < 0)
		return false;
	fd = ctl_connect(KBOX_CONTROL_SOCK);
	/* A PID 1 that does not answer in time cannot hold a run up. */
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    ctl_send(fd, buf, len, false) < 0)
		return false;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		if (buf[0] == 'x') {
			buf[n] = '\0';
			return atoi(buf + 1) == 0;
		}
	}
}

/* A name under the images directory: in the appliance /images first, then KBOX_HOST_IMAGES. */
static const char *images_dir(const struct spec *spec, bool appliance)
{
	static const char *const dirs[] = {KBOX_IMAGES, KBOX_HOST_IMAGES};
	const char *dir;

	if (getenv("KBOX_IMAGES"))
		return getenv("KBOX_IMAGES");
	if (!appliance || spec->image[0] == '/')
		return KBOX_HOST_IMAGES;
	dir = images_find(spec->image, dirs, ARRAY_SIZE(dirs));
	if (!dir)
		log_msg("%s: image: '%s' not found in " KBOX_IMAGES " or " KBOX_HOST_IMAGES,
			spec->name, spec->image);
	return dir;
}

/* One runner per name at a time: the lock lives as long as we do. */
static int lock_state(const char *name)
{
	char path[PATH_MAX];
	int fd, r;

	snprintf(path, sizeof(path), "%s/%s", state_dir, name);
	r = mkdir_p(state_dir, 0711);
	if (r == 0)
		r = mkdir_p(path, 0755);
	if (r < 0)
		return log_errno(r, "%s: cannot create '%s'", name, path);
	snprintf(path, sizeof(path), "%s/%s/lock", state_dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return log_errno(-errno, "%s: cannot open '%s'", name, path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		r = errno == EWOULDBLOCK ? -EBUSY : -errno;
		close(fd);
		if (r == -EBUSY)
			log_msg("%s: a container of that name is running already", name);
		return r;
	}
	return fd;
}

/* cgroup v2: a leaf with the limits. Without it, refuse limits and drop CAP_MKNOD. */
static int setup_cgroup(struct spec *spec)
{
	const char *limit;
	int fd;

	if (cg_setup_host() == 0) {
		fd = cg_create(leaf);
		if (fd >= 0 && cg_apply_limits(fd, spec) < 0) {
			close(fd);
			cg_remove(leaf);
			return -EINVAL;
		}
		return fd;
	}
	limit = cg_first_limit(spec);
	if (limit) {
		log_msg("%s: %s: needs cgroup v2, and " CG_ROOT " on this host is not", spec->name,
			limit);
		return -EOPNOTSUPP;
	}
	spec->caps_drop |= 1ULL << CAP_MKNOD;
	return -ENOENT;
}

static void remove_cgroup(const char *name)
{
	struct timespec ts = {0, 2 * 1000 * 1000};

	cg_kill(name);
	/* The last processes of a pid=host container may take a moment to leave. */
	for (int i = 0; i < 500 && cg_remove(name) == -EBUSY; i++)
		nanosleep(&ts, NULL);
}

/* Until the container's PID 1 exits: pass signals on, then return its wait status. */
static int supervise(pid_t pid, int sfd)
{
	struct signalfd_siginfo si;
	int status;

	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			return status;
		if (read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo != SIGCHLD)
			kill(pid, si.ssi_signo);
	}
}

static int run_container(struct spec *spec, const struct run_flags *rf)
{
	struct rt_opts opts = {
		.state = KBOX_STATE,
		.stdio = {rf->interactive ? STDIN_FILENO : -1, STDOUT_FILENO, STDERR_FILENO},
	};
	int lock, status_fd, status = 0, code = EXIT_RUN_FAILED, sfd;
	bool appliance = in_appliance();
	char err[SPEC_ERRLEN * 3], images[PATH_MAX];
	sigset_t mask, old;
	pid_t pid;

	snprintf(leaf, sizeof(leaf), "%s%s", appliance ? ".run-" : "", spec->name);
	if (appliance) {
		state_dir = opts.state = KBOX_RUN_STATE;
		if (pid1_has(spec->name)) {
			log_msg("%s: is one of PID 1's containers (kbox ps); give this run another "
				"--name",
				spec->name);
			return EXIT_RUN_FAILED;
		}
	}
	opts.images = images_dir(spec, appliance);
	if (!opts.images)
		return EXIT_RUN_FAILED;
	/* The record and the tree of one generation of a loaded image, whatever a load does. */
	if (spec->image[0] != '/')
		opts.images = images_resolve(opts.images, spec->image, images, sizeof(images));
	if (!opts.images)
		return EXIT_RUN_FAILED;
	if (images_apply(spec, opts.images, err, sizeof(err)) < 0) {
		log_msg("%s", err);
		return EXIT_RUN_FAILED;
	}
	/* Named volumes: KBOX_VOLUMES on a host, the data disk's in the appliance. */
	if (volumes_prepare(spec, volumes_unavailable(appliance), err, sizeof(err)) < 0) {
		log_msg("%s", err);
		return EXIT_RUN_FAILED;
	}
	lock = lock_state(spec->name);
	if (lock < 0)
		return EXIT_RUN_FAILED;
	opts.cgroup_fd = setup_cgroup(spec);
	if (opts.cgroup_fd < 0 && opts.cgroup_fd != -ENOENT)
		goto out_unlock;

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	for (size_t i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaddset(&mask, forwarded[i]);
	sfd = signals_fd(&mask, SFD_CLOEXEC, &old);
	if (sfd < 0) {
		log_errno(sfd, "%s: signalfd", spec->name);
		goto out_signals;
	}
	pid = rt_start(spec, &opts, &status_fd);
	if (pid < 0)
		goto out_signals;
	if (rt_start_result(spec->name, status_fd) < 0) {
		waitpid(pid, &status, 0);
		/* exec's own failures keep their 126 and 127; any other is ours. */
		if (WIFEXITED(status) && WEXITSTATUS(status) >= 126)
			code = WEXITSTATUS(status);
	} else {
		code = rt_exit_code(supervise(pid, sfd));
	}
	rt_release(spec, &opts);
out_signals:
	if (sfd >= 0)
		close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (opts.cgroup_fd >= 0) {
		close(opts.cgroup_fd);
		remove_cgroup(leaf);
	}
out_unlock:
	if (rf->rm) {
		char path[PATH_MAX];
		struct stat st;
		int dir;

		rootfs_remove(spec, &opts);
		snprintf(path, sizeof(path), "%s/%s", state_dir, spec->name);
		dir = open(path, O_DIRECTORY | O_CLOEXEC);
		if (dir >= 0 && fstat(dir, &st) == 0) {
			rm_contents(dir, st.st_dev);
			rmdir(path);
		}
		if (dir >= 0)
			close(dir);
	}
	close(lock);
	return code;
}

int run_main(int argc, char **argv)
{
	struct spec_set set;
	struct run_flags rf;
	char err[256], name[32];
	struct spec *spec;
	int r, code = EXIT_RUN_FAILED;

	/* Whatever our caller left open (a shell's exec 7</) is no business of the container's
	 * (CVE-2024-21626): not of its setup, which closes it too, nor of a re-exec of ours. */
	fds_cloexec_from(3);
	spec_set_init(&set);
	snprintf(name, sizeof(name), "run-%d", (int)getpid());
	r = spec_parse_run_flags(&set, argc - 1, argv + 1, name, &rf, err, sizeof(err));
	if (r < 0) {
		log_msg("run: %s", r == -EINVAL ? err : strerror(-r));
		goto out;
	}
	if (rf.help) {
		fputs(usage, stdout);
		code = 0;
		goto out;
	}
	if (geteuid() != 0) {
		log_msg("run: needs root");
		goto out;
	}
	if (resolve_image(&set, rf.name, argv[1 + rf.image]) < 0)
		goto out;
	/* Outside the appliance there is no bridge: no network but lo unless asked. */
	spec = spec_find(&set, rf.name);
	if (spec && !spec->src[SK_NET]) {
		spec->net = SPEC_NET_NONE;
		spec->src[SK_NET] = -1;
	}
	/* CMD... is the cmd key's value, in words already. */
	if (spec && argc > rf.image + 2) {
		strv_free(spec->cmd);
		spec->cmd = strv_copy(argv + rf.image + 2);
		spec->src[SK_CMD] = -1;
		if (!spec->cmd) {
			log_errno(-ENOMEM, "run");
			goto out;
		}
	}
	if (spec_finish(&set) < 0)
		goto out;
	for (size_t i = 0; set.errors && set.errors[i]; i++)
		log_msg("%s", set.errors[i]);
	if (set.errors || !spec)
		goto out;
	/* Never leave a writable kbox reachable from the container (CVE-2019-5736). Only two
	 * ways lead from a container to a kbox process: kbox-init as its PID 1 (init=true),
	 * and the host's pid namespace (pid=host). Otherwise our child is alone in its pid
	 * namespace until it is the payload, and the copy and second exec are spared. */
	if ((spec->init || spec->pid_host) && !sealed_running()) {
		r = sealed_exec("/proc/self/exe", argv);
		log_errno(r, "run: cannot re-exec from a sealed copy");
		goto out;
	}
	code = run_container(spec, &rf);
out:
	spec_set_free(&set);
	return code;
}
