/* kbox oci create, start and run: a bundle's container set up and left waiting on its
 * exec fifo, released by start; its hooks; and its end (delete, a failed create). */
#include "oci.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/syscalls.h"
#include "../lib/util.h"
#include "../runtime/cgroup_oci.h"
#include "../runtime/hook.h"
#include "../runtime/runtime.h"
#include "../runtime/spec/oci.h"

struct create_args {
	const char *bundle, *pid_file, *console_socket;
	unsigned preserve_fds;
	const char *id;
};

static const char *const hook_names[OCI_HOOK_COUNT] = {
	[OCI_HOOK_PRESTART] = "prestart",
	[OCI_HOOK_CREATE_RUNTIME] = "createRuntime",
	[OCI_HOOK_CREATE_CONTAINER] = "createContainer",
	[OCI_HOOK_START_CONTAINER] = "startContainer",
	[OCI_HOOK_POSTSTART] = "poststart",
	[OCI_HOOK_POSTSTOP] = "poststop",
};

int oci_hooks_run(const struct spec *spec, int kind, const struct oci_ctr *c, enum oci_status s)
{
	const struct oci_hooks *h = &spec->oci->hooks[kind];
	_cleanup_free_ char *state = NULL;
	char err[512];
	int r;

	if (!h->n)
		return 0;
	state = oci_state_json(c, s, false);
	if (!state)
		return log_errno(-ENOMEM, "%s: %s hooks", c->id, hook_names[kind]);
	oci_debug("%s: %zu %s hooks", c->id, h->n, hook_names[kind]);
	r = hook_run_all(h, hook_names[kind], state, err, sizeof(err));
	if (r < 0)
		log_msg("%s: %s", c->id, err);
	return r;
}

/* Until the process behind PIDFD has exited, at most MS milliseconds. */
static bool wait_exit(int pidfd, int ms)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};
	int n;

	do
		n = poll(&p, 1, ms);
	while (n < 0 && errno == EINTR);
	return n > 0;
}

void oci_destroy(struct oci_ctr *c, const struct spec *spec)
{
	int pidfd = -1;

	if (oci_alive(c)) {
		pidfd = sys_pidfd_open(c->pid, 0);
		/* The pid may have been reused between the check and the open. */
		if (pidfd >= 0 && !oci_alive(c)) {
			close(pidfd);
			pidfd = -1;
		}
	}
	if (c->cgroup[0]) {
		cgo_kill(c->cgroup, SIGKILL);
		/* A frozen process dies only once thawed. */
		cgo_freeze(c->cgroup, false);
	}
	if (pidfd >= 0) {
		syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
		if (!wait_exit(pidfd, 10000))
			log_msg("%s: its process %d did not die in 10 s", c->id, (int)c->pid);
		close(pidfd);
	}
	if (spec)
		oci_hooks_run(spec, OCI_HOOK_POSTSTOP, c, OCI_STOPPED);
	if (c->cgroup[0]) {
		int r = cgo_remove(c->cgroup);

		if (r < 0)
			log_errno(r, "%s: cannot remove its cgroup '%s'", c->id, c->cgroup);
	}
	oci_ctr_remove(c);
}

int oci_write_pid_file(const char *path, pid_t pid)
{
	char tmp[PATH_MAX], buf[16];
	const char *slash = strrchr(path, '/');
	int fd, r, n;

	/* Beside the file, so that rename is atomic: who reads it sees all of it or none. */
	if (slash)
		n = snprintf(tmp, sizeof(tmp), "%.*s/.%s.kbox-tmp", (int)(slash - path), path,
			     slash + 1);
	else
		n = snprintf(tmp, sizeof(tmp), ".%s.kbox-tmp", path);
	if (n >= (int)sizeof(tmp))
		return log_errno(-ENAMETOOLONG, "--pid-file '%s'", path);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return log_errno(-errno, "--pid-file: cannot create '%s'", tmp);
	n = snprintf(buf, sizeof(buf), "%d", (int)pid);
	r = write_all(fd, buf, n);
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return log_errno(r, "--pid-file: cannot write '%s'", path);
	}
	return 0;
}

int oci_console_connect(const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		log_msg("--console-socket: '%s' is longer than a socket's path may be", path);
		return -ENAMETOOLONG;
	}
	memcpy(addr.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return log_errno(-errno, "--console-socket");
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int r = -errno;

		close(fd);
		return log_errno(r, "--console-socket: cannot connect to '%s'", path);
	}
	return fd;
}

int oci_preserve_fds(const char *verb, const char *val, unsigned *ret)
{
	const char *why = oci_preserve_fds_parse(val, ret);

	if (why) {
		log_msg("%s: --preserve-fds: '%s' %s", verb, val, why);
		return -EINVAL;
	}
	/* An fd that is not open would be taken by one of ours later (runc 1.1.5 then passes
	 * its own cgroup directory and pipes to the container): refused, as runc refuses it
	 * when none of its own happens to fill the gap. */
	for (unsigned k = 0; k < *ret; k++) {
		int fd = 3 + k;

		if (fd == oci_log_fd() || fcntl(fd, F_GETFD) < 0) {
			log_msg("%s: --preserve-fds %u: fd %d is not open (fds 3..%u are passed)",
				verb, *ret, fd, 2 + *ret);
			return -EINVAL;
		}
	}
	return 0;
}

/* What the stage callback needs: the container, its spec, and its cgroup. */
struct stage_ctx {
	struct oci_ctr *c;
	const struct spec *spec;
	bool v1_join;
	struct rt_oci *oci;
	char *start_state; /* the startContainer hooks': created, with its pid */
};

static int stage(int st, pid_t pid, void *arg)
{
	struct stage_ctx *s = arg;

	if (st == RT_STAGE_CLONED) {
		s->c->pid = pid;
		return s->v1_join ? cgo_join(s->c->cgroup, pid) : 0;
	}
	/* The container's namespaces and mounts exist; pivot_root has not happened. */
	s->c->pid = pid;
	if (oci_hooks_run(s->spec, OCI_HOOK_PRESTART, s->c, OCI_CREATING) < 0 ||
	    oci_hooks_run(s->spec, OCI_HOOK_CREATE_RUNTIME, s->c, OCI_CREATING) < 0)
		return -ECANCELED;
	/* The child's startContainer hooks run once it is created; it cannot know its pid
	 * in our namespace, so the runtime hands it this. */
	free(s->start_state);
	s->start_state = oci_state_json(s->c, OCI_CREATED, false);
	if (!s->start_state) {
		log_msg("%s: state for the startContainer hooks: %s", s->c->id, strerror(ENOMEM));
		return -ENOMEM;
	}
	s->oci->start_state_json = s->start_state;
	return 0;
}

static void now_rfc3339(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%09ldZ", ts.tv_nsec);
}

/* Keep the config as create read it: exec, hooks and delete use this copy, whatever
 * becomes of the bundle. */
static int keep_config(struct oci_ctr *c, const char *text, size_t len)
{
	int fd = openat(c->dirfd, "config.json",
			O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int r = fd < 0 ? -errno : write_all(fd, text, len);

	if (fd >= 0)
		close(fd);
	return r < 0 ? log_errno(r, "%s: cannot keep its config.json", c->id) : 0;
}

/*
 * The container's process set up, blocked on ROOT/ID/exec.fifo, its pid in A->pid_file and
 * state.json written: C is locked and holds it all. On failure nothing is left: no process,
 * cgroup, state or pid file. *RET_SPEC is the spec, for run.
 */
static int create(const struct oci_global *g, const struct create_args *a, struct oci_ctr *c,
		  struct spec **ret_spec)
{
	struct rt_oci oci = {.start_fd = -1,
			     .console_fd = -1,
			     .pidfd = -1,
			     .stage = stage,
			     .preserve_fds = a->preserve_fds};
	struct rt_opts opts = {.stdio = {0, 1, 2}, .cgroup_fd = -1, .oci = &oci};
	struct stage_ctx sc = {.c = c, .oci = &oci};
	_cleanup_free_ char *text = NULL, *state = NULL;
	_cleanup_close_ int bfd = -1;
	char bundle[PATH_MAX], err[512], cgroup[PATH_MAX];
	struct spec *spec = NULL;
	bool have_cgroup = false;
	int r, status_fd;
	struct stat st;
	size_t len;
	pid_t pid = -1;

	*ret_spec = NULL;
	if (!oci_id_ok(a->id))
		return -EINVAL;
	if (!realpath(a->bundle, bundle))
		return log_errno(-errno, "%s: bundle '%s'", a->id, a->bundle);
	bfd = open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (bfd < 0)
		return log_errno(-errno, "%s: bundle '%s'", a->id, bundle);
	/* A second create of an id is told so before its config is judged. */
	snprintf(err, sizeof(err), "%s/%s", g->root, a->id);
	if (lstat(err, &st) == 0) {
		log_msg("container with id '%s' already exists", a->id);
		return -EEXIST;
	}
	r = oci_read_config(bfd, a->id, &text, &len);
	if (r < 0)
		return r;
	r = spec_oci_parse(text, len, bundle, a->id, &spec, err, sizeof(err));
	if (r < 0) {
		if (r == -EINVAL)
			log_msg("%s", err);
		else
			log_errno(r, "%s: config.json", a->id);
		return r;
	}
	sc.spec = spec;
	if (spec->oci->terminal && !a->console_socket) {
		log_msg("%s: process.terminal: needs --console-socket", a->id);
		r = -EINVAL;
		goto fail_spec;
	}
	if (!spec->oci->terminal && a->console_socket) {
		log_msg("%s: --console-socket: process.terminal is false: no console to send",
			a->id);
		r = -EINVAL;
		goto fail_spec;
	}
	r = cgo_path(spec, a->id, cgroup, sizeof(cgroup), err, sizeof(err));
	if (r < 0) {
		log_msg("%s: linux.cgroupsPath: %s", a->id, err);
		goto fail_spec;
	}
	r = oci_ctr_new(g, a->id, c);
	if (r < 0)
		goto fail_spec;
	snprintf(c->cgroup, sizeof(c->cgroup), "%s", cgroup);
	snprintf(c->bundle, sizeof(c->bundle), "%s", bundle);
	now_rfc3339(c->created, sizeof(c->created));
	r = keep_config(c, text, len);
	if (r < 0)
		goto fail;
	r = cgo_create(spec, a->id, c->cgroup, &opts.cgroup_fd);
	if (r < 0)
		goto fail;
	have_cgroup = true;
	sc.v1_join = opts.cgroup_fd < 0;
	if (mkfifoat(c->dirfd, "exec.fifo", 0600) < 0) {
		r = log_errno(-errno, "%s: cannot make its exec fifo", a->id);
		goto fail;
	}
	oci.start_fd = openat(c->dirfd, "exec.fifo", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (oci.start_fd < 0) {
		r = log_errno(-errno, "%s: cannot open its exec fifo", a->id);
		goto fail;
	}
	if (a->console_socket) {
		oci.console_fd = oci_console_connect(a->console_socket);
		if (oci.console_fd < 0) {
			r = oci.console_fd;
			goto fail;
		}
	}
	/* The createContainer hooks get the state as of now (startContainer's comes from the
	 * created stage). */
	state = oci_state_json(c, OCI_CREATING, false);
	oci.state_json = state;
	oci.stage_arg = &sc;
	opts.state = g->root;
	pid = rt_start(spec, &opts, &status_fd);
	free(sc.start_state);
	oci.start_state_json = NULL;
	if (pid < 0) {
		r = pid;
		goto fail;
	}
	c->pid = pid;
	r = rt_start_result(a->id, status_fd);
	if (r < 0)
		goto fail;
	c->start_time = oci_start_time(pid);
	if (!c->start_time) {
		log_msg("%s: its process %d died as it was set up", a->id, (int)pid);
		r = -ESRCH;
		goto fail;
	}
	r = oci_ctr_save(c);
	if (r == 0 && a->pid_file)
		r = oci_write_pid_file(a->pid_file, pid);
	if (r < 0)
		goto fail;
	if (opts.cgroup_fd >= 0)
		close(opts.cgroup_fd);
	close(oci.start_fd);
	if (oci.console_fd >= 0)
		close(oci.console_fd);
	*ret_spec = spec;
	oci_debug("%s: created, pid %d, cgroup %s", a->id, (int)pid, c->cgroup);
	return 0;
fail:
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	if (opts.cgroup_fd >= 0)
		close(opts.cgroup_fd);
	if (oci.start_fd >= 0)
		close(oci.start_fd);
	if (oci.console_fd >= 0)
		close(oci.console_fd);
	if (have_cgroup)
		cgo_remove(c->cgroup);
	if (a->pid_file && pid > 0) {
		/* Ours only if it names our process. */
		_cleanup_free_ char *t = NULL;

		if (read_file(AT_FDCWD, a->pid_file, &t, NULL) == 0 && atoi(t) == pid)
			unlink(a->pid_file);
	}
	if (c->dirfd >= 0)
		oci_ctr_remove(c);
fail_spec:
	spec_oci_free(spec);
	return r;
}

/* Release the process from its fifo: opened for reading, the child's open for writing
 * returns and it goes on to exec. Its byte, or its death, says it has. */
static int release(struct oci_ctr *c)
{
	_cleanup_close_ int fifo = -1, pidfd = -1;
	struct pollfd p[2];
	bool got = false;
	char b;
	int n;

	pidfd = sys_pidfd_open(c->pid, 0);
	if (pidfd < 0 || !oci_alive(c)) {
		log_msg("%s: its process has exited before start", c->id);
		return -ESRCH;
	}
	/* Non-blocking: a child that has died cannot leave us waiting for a writer. */
	fifo = openat(c->dirfd, "exec.fifo", O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fifo < 0)
		return log_errno(-errno, "%s: cannot open its exec fifo", c->id);
	p[0] = (struct pollfd){.fd = fifo, .events = POLLIN};
	p[1] = (struct pollfd){.fd = pidfd, .events = POLLIN};
	/* Its byte says it is released; the end of the file, that it has exec'd (its end of
	 * the fifo is close-on-exec) or died: poststart runs after the payload started. */
	for (;;) {
		n = poll(p, 2, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return log_errno(-errno, "%s: wait for its process", c->id);
		if (p[0].revents) {
			n = read(fifo, &b, 1);
			if (n == 1) {
				got = true;
				continue;
			}
			if (n == 0 && (p[0].revents & POLLHUP))
				break;
		}
		if (p[1].revents) {
			if (!got && read(fifo, &b, 1) == 1)
				got = true;
			break;
		}
	}
	if (!got) {
		log_msg("%s: its process has exited before start", c->id);
		return -ESRCH;
	}
	unlinkat(c->dirfd, "exec.fifo", 0);
	c->started = true;
	return oci_ctr_save(c);
}

static int start(struct oci_ctr *c)
{
	struct spec *spec = NULL;
	enum oci_status s = oci_status(c);
	int r;

	if (s != OCI_CREATED) {
		log_msg("%s: cannot start a container that is %s", c->id,
			s == OCI_STOPPED && !c->started ? "stopped (its process died before start)"
							: oci_status_name(s));
		return -EINVAL;
	}
	r = oci_ctr_spec(c, &spec);
	if (r < 0)
		return r;
	r = release(c);
	/* A poststart hook that fails is logged, not fatal (runtime-spec). */
	if (r == 0)
		oci_hooks_run(spec, OCI_HOOK_POSTSTART, c, OCI_RUNNING);
	spec_oci_free(spec);
	return r;
}

int oci_start_main(const struct oci_global *g, int argc, char **argv)
{
	struct oci_ctr c;
	int r;

	if (argc != 2) {
		log_msg("usage: start ID");
		return -EINVAL;
	}
	r = oci_ctr_open(g, argv[1], 0, &c);
	if (r < 0)
		return r;
	r = start(&c);
	oci_ctr_close(&c);
	return r;
}

/* create's and run's flags; *I at the id. */
static int create_flags(int argc, char **argv, struct create_args *a, bool *detach, int *i)
{
	const char *v;

	a->bundle = ".";
	for (*i = 1; *i < argc && argv[*i][0] == '-'; ++*i) {
		v = "";
		if (oci_flag(argc, argv, i, "bundle", &v) || oci_flag(argc, argv, i, "b", &v)) {
			a->bundle = v;
		} else if (oci_flag(argc, argv, i, "pid-file", &v)) {
			a->pid_file = v;
		} else if (oci_flag(argc, argv, i, "console-socket", &v)) {
			a->console_socket = v;
		} else if (oci_flag(argc, argv, i, "preserve-fds", &v)) {
			if (v && oci_preserve_fds(argv[0], v, &a->preserve_fds) < 0)
				return -EINVAL;
		} else if (detach && (oci_flag(argc, argv, i, "detach", NULL) ||
				      oci_flag(argc, argv, i, "d", NULL))) {
			*detach = true;
		} else if (oci_flag(argc, argv, i, "no-pivot", NULL) ||
			   oci_flag(argc, argv, i, "no-new-keyring", NULL) ||
			   oci_flag(argc, argv, i, "keep", NULL)) {
			/* kbox always pivots and makes no session keyring. */
			oci_debug("%s: ignored", argv[*i]);
		} else {
			log_msg("%s: flag provided but not defined: %s", argv[0], argv[*i]);
			return -EINVAL;
		}
		if (!v)
			return -EINVAL;
	}
	if (*i != argc - 1) {
		log_msg("usage: %s [FLAG...] ID", argv[0]);
		return -EINVAL;
	}
	a->id = argv[*i];
	return 0;
}

int oci_create_main(const struct oci_global *g, int argc, char **argv)
{
	struct create_args a = {0};
	struct spec *spec;
	struct oci_ctr c;
	int i, r;

	r = create_flags(argc, argv, &a, NULL, &i);
	if (r < 0)
		return r;
	r = create(g, &a, &c, &spec);
	if (r < 0)
		return r;
	spec_oci_free(spec);
	oci_ctr_close(&c);
	return 0;
}

int oci_run_main(const struct oci_global *g, int argc, char **argv)
{
	struct create_args a = {0};
	bool detach = false;
	struct spec *spec;
	struct oci_ctr c;
	int i, r, code;

	r = create_flags(argc, argv, &a, &detach, &i);
	if (r < 0)
		return r;
	r = create(g, &a, &c, &spec);
	if (r < 0)
		return r;
	r = release(&c);
	if (r < 0) {
		oci_destroy(&c, spec);
		spec_oci_free(spec);
		return r;
	}
	oci_hooks_run(spec, OCI_HOOK_POSTSTART, &c, OCI_RUNNING);
	if (detach) {
		spec_oci_free(spec);
		oci_ctr_close(&c);
		return 0;
	}
	/* Others may ask for its state or kill it meanwhile. */
	flock(c.dirfd, LOCK_UN);
	code = oci_wait_child(c.pid);
	while (flock(c.dirfd, LOCK_EX) < 0 && errno == EINTR)
		;
	oci_destroy(&c, spec);
	spec_oci_free(spec);
	/* runc run's status is the payload's. */
	exit(code);
}
