/* kbox oci exec: a process in a container that runs, from --process FILE or from its
 * config's process with the command line's changes; and waiting for a child of ours. */
#include "oci.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/syscalls.h"
#include "../lib/util.h"
#include "../runtime/cgroup_oci.h"
#include "../runtime/runtime.h"
#include "../runtime/spec/oci.h"

struct exec_args {
	const char *process, *console_socket, *pid_file, *cwd, *user;
	bool detach, tty, no_new_privs;
	unsigned preserve_fds;
	char **env, **caps; /* repeatable */
	char **argv;	    /* after the id */
};

/* Signals a foreground runtime passes on, as runc does. */
static const int forwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH};

int oci_wait_child(pid_t pid)
{
	struct signalfd_siginfo si;
	sigset_t mask, old;
	int status, sfd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	for (size_t i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaddset(&mask, forwarded[i]);
	sfd = signals_fd(&mask, SFD_CLOEXEC, &old);
	for (;;) {
		pid_t w = waitpid(pid, &status, sfd < 0 ? 0 : WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			status = 255 << 8;
			break;
		}
		if (sfd >= 0 && read(sfd, &si, sizeof(si)) == sizeof(si) && si.ssi_signo != SIGCHLD)
			kill(pid, si.ssi_signo);
	}
	if (sfd >= 0)
		close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rt_exit_code(status);
}

static int exec_flags(int argc, char **argv, struct exec_args *a, int *i)
{
	const char *v;
	int r = 0;

	for (*i = 1; *i < argc && argv[*i][0] == '-' && r == 0; ++*i) {
		v = "";
		if (!strcmp(argv[*i], "--")) {
			++*i;
			break;
		}
		if (oci_flag(argc, argv, i, "process", &v) || oci_flag(argc, argv, i, "p", &v)) {
			a->process = v;
		} else if (oci_flag(argc, argv, i, "console-socket", &v)) {
			a->console_socket = v;
		} else if (oci_flag(argc, argv, i, "pid-file", &v)) {
			a->pid_file = v;
		} else if (oci_flag(argc, argv, i, "cwd", &v)) {
			a->cwd = v;
		} else if (oci_flag(argc, argv, i, "user", &v) ||
			   oci_flag(argc, argv, i, "u", &v)) {
			a->user = v;
		} else if (oci_flag(argc, argv, i, "env", &v) || oci_flag(argc, argv, i, "e", &v)) {
			r = v ? strv_push(&a->env, v) : 0;
		} else if (oci_flag(argc, argv, i, "cap", &v) || oci_flag(argc, argv, i, "c", &v)) {
			r = v ? strv_push(&a->caps, v) : 0;
		} else if (oci_flag(argc, argv, i, "detach", NULL) ||
			   oci_flag(argc, argv, i, "d", NULL)) {
			a->detach = true;
		} else if (oci_flag(argc, argv, i, "tty", NULL) ||
			   oci_flag(argc, argv, i, "t", NULL)) {
			a->tty = true;
		} else if (oci_flag(argc, argv, i, "no-new-privs", NULL)) {
			a->no_new_privs = true;
		} else if (oci_flag(argc, argv, i, "preserve-fds", &v)) {
			if (v && oci_preserve_fds("exec", v, &a->preserve_fds) < 0)
				return -EINVAL;
		} else if (oci_flag(argc, argv, i, "process-label", &v) ||
			   oci_flag(argc, argv, i, "apparmor", &v)) {
			/* kbox has no LSM: as config.json's labels, ignored. */
			oci_debug("exec: %s ignored", argv[*i]);
		} else {
			log_msg("exec: flag provided but not defined: %s", argv[*i]);
			return -EINVAL;
		}
		if (!v)
			return -EINVAL;
	}
	if (r < 0)
		return log_errno(r, "exec");
	if (*i >= argc) {
		log_msg("usage: exec [FLAG...] ID [CMD...]");
		return -EINVAL;
	}
	a->argv = argv + *i + 1;
	if (!a->process && !a->argv[0]) {
		log_msg("exec: a command, or --process FILE, is needed");
		return -EINVAL;
	}
	return 0;
}

/* "UID[:GID]" into the process's user. */
static int set_user(json_t *proc, const char *s)
{
	unsigned long uid, gid = 0;
	char *end;
	json_t *u;

	uid = strtoul(s, &end, 10);
	if (end == s || (*end && *end != ':') || uid > UINT32_MAX - 1 || s[0] == '-')
		goto bad;
	if (*end == ':') {
		s = end + 1;
		gid = strtoul(s, &end, 10);
		if (end == s || *end || gid > UINT32_MAX - 1 || s[0] == '-')
			goto bad;
	}
	u = json_pack("{s:I,s:I}", "uid", (json_int_t)uid, "gid", (json_int_t)gid);
	return json_object_set_new(proc, "user", u) < 0 ? -ENOMEM : 0;
bad:
	log_msg("exec: --user: '%s' is not UID[:GID]", s);
	return -EINVAL;
}

/* --cap C goes into the bounding, effective and permitted sets, as runc's exec does. */
static int add_caps(json_t *proc, char **caps)
{
	static const char *const sets[] = {"bounding", "effective", "permitted"};
	json_t *c = json_object_get(proc, "capabilities");

	if (!json_is_object(c)) {
		c = json_object();
		json_object_set_new(proc, "capabilities", c);
	}
	for (size_t k = 0; k < ARRAY_SIZE(sets); k++) {
		json_t *list = json_object_get(c, sets[k]);

		if (!json_is_array(list)) {
			list = json_array();
			json_object_set_new(c, sets[k], list);
		}
		for (size_t i = 0; caps && caps[i]; i++)
			json_array_append_new(list, json_string(caps[i]));
	}
	return 0;
}

/* The process of the command line: the container's own, changed by the flags. */
static char *build_process(const struct oci_ctr *c, const struct exec_args *a)
{
	_cleanup_free_ char *text = NULL;
	json_t *cfg, *proc, *args, *env;
	char *out = NULL;
	size_t len;

	if (oci_read_config(c->dirfd, c->id, &text, &len) < 0)
		return NULL;
	cfg = json_loadb(text, len, 0, NULL);
	proc = json_object_get(cfg, "process");
	if (!json_is_object(proc)) {
		proc = json_object();
		json_object_set_new(cfg, "process", proc);
	}
	args = json_array();
	for (size_t i = 0; a->argv[i]; i++)
		json_array_append_new(args, json_string(a->argv[i]));
	json_object_set_new(proc, "args", args);
	env = json_object_get(proc, "env");
	if (!json_is_array(env)) {
		env = json_array();
		json_object_set_new(proc, "env", env);
	}
	for (size_t i = 0; a->env && a->env[i]; i++)
		json_array_append_new(env, json_string(a->env[i]));
	if (a->cwd)
		json_object_set_new(proc, "cwd", json_string(a->cwd));
	json_object_set_new(proc, "terminal", json_boolean(a->tty));
	if (a->no_new_privs)
		json_object_set_new(proc, "noNewPrivileges", json_true());
	if ((!a->user || set_user(proc, a->user) == 0) && add_caps(proc, a->caps) == 0)
		out = json_dumps(proc, JSON_COMPACT);
	json_decref(cfg);
	return out;
}

static int read_process_file(const char *path, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	int r;

	if (fd < 0)
		return log_errno(-errno, "exec: --process '%s'", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > OCI_CONFIG_MAX) {
		log_msg("exec: --process '%s': not a regular file of at most %d bytes", path,
			OCI_CONFIG_MAX);
		return -EINVAL;
	}
	r = read_fd_max(fd, OCI_CONFIG_MAX, ret, ret_len);
	return r < 0 ? log_errno(r, "exec: --process '%s'", path) : 0;
}

static int exec_in(struct oci_ctr *c, const struct exec_args *a)
{
	struct rt_oci oci = {
		.start_fd = -1, .console_fd = -1, .pidfd = -1, .preserve_fds = a->preserve_fds};
	struct rt_opts opts = {.stdio = {0, 1, 2}, .cgroup_fd = -1, .oci = &oci};
	_cleanup_free_ char *text = NULL;
	struct spec *spec = NULL;
	enum oci_status s;
	char err[512];
	size_t len = 0;
	pid_t relay;
	int r, code;

	/* The pidfd first, then the check of the pid (its start time): once that holds, the
	 * pidfd names the container's process whoever gets the pid later, and the relay
	 * joins through it. */
	if (c->pid > 0)
		oci.pidfd = sys_pidfd_open(c->pid, 0);
	s = oci_status(c);
	if ((s == OCI_RUNNING || s == OCI_CREATED) && oci.pidfd < 0) {
		log_errno(-errno, "%s: exec: pidfd_open %d", c->id, (int)c->pid);
		return -ESRCH;
	}
	if (s != OCI_RUNNING && s != OCI_CREATED) {
		if (oci.pidfd >= 0)
			close(oci.pidfd);
		log_msg("%s: cannot exec in a container that is %s", c->id, oci_status_name(s));
		return -EINVAL;
	}
	r = oci_ctr_spec(c, &spec);
	if (r < 0) {
		close(oci.pidfd);
		return r;
	}
	if (a->process) {
		r = read_process_file(a->process, &text, &len);
	} else {
		text = build_process(c, a);
		r = text ? 0 : -EINVAL;
		if (text)
			len = strlen(text);
	}
	if (r == 0) {
		r = spec_oci_parse_process(text, len, spec, err, sizeof(err));
		if (r < 0)
			log_msg("%s: exec: %s", c->id, err);
	}
	if (r == 0 && spec->oci->terminal != !!a->console_socket) {
		log_msg("%s: exec: %s", c->id,
			a->console_socket ? "--console-socket without a terminal (--tty)"
					  : "a terminal needs --console-socket");
		r = -EINVAL;
	}
	if (r == 0 && a->console_socket) {
		oci.console_fd = oci_console_connect(a->console_socket);
		r = oci.console_fd < 0 ? oci.console_fd : 0;
	}
	/* Into its cgroup before the relay forks, so that everything after is in it too. */
	if (r == 0 && c->cgroup[0]) {
		r = cgo_join(c->cgroup, getpid());
		if (r < 0)
			log_errno(r, "%s: exec: join its cgroup", c->id);
	}
	if (r < 0)
		goto out;
	relay = rt_exec(spec, &opts, c->pid, opts.stdio, NULL);
	if (relay < 0) {
		r = relay;
		goto out;
	}
	if (a->pid_file && oci_write_pid_file(a->pid_file, relay) < 0) {
		kill(relay, SIGKILL);
		waitpid(relay, NULL, 0);
		r = -EIO;
		goto out;
	}
	/* Neither a waiting exec nor its relay holds the container's lock. */
	oci_ctr_close(c);
	if (!a->detach) {
		code = oci_wait_child(relay);
		close(oci.pidfd);
		if (oci.console_fd >= 0)
			close(oci.console_fd);
		spec_oci_free(spec);
		exit(code);
	}
out:
	close(oci.pidfd);
	if (oci.console_fd >= 0)
		close(oci.console_fd);
	spec_oci_free(spec);
	return r;
}

int oci_exec_main(const struct oci_global *g, int argc, char **argv)
{
	struct exec_args a = {0};
	struct oci_ctr c;
	int i, r;

	r = exec_flags(argc, argv, &a, &i);
	if (r == 0)
		r = oci_ctr_open(g, argv[i], OCI_OPEN_SHARED, &c);
	if (r == 0) {
		r = exec_in(&c, &a);
		oci_ctr_close(&c);
	}
	strv_free(a.env);
	strv_free(a.caps);
	return r;
}
