/* OCI hooks run by the container's own process (createContainer, startContainer). */
#include "hook.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/syscalls.h"
#include "../lib/util.h"

static _Noreturn void hook_child(const struct oci_hook *h, int in)
{
	char *const none[] = {NULL};
	char *const self[] = {h->path, NULL};

	if (dup2(in, 0) < 0)
		_exit(126);
	fds_cloexec_from(3);
	signals_reset();
	execve(h->path, h->args ? h->args : self, h->env ? h->env : none);
	_exit(errno == ENOENT ? 127 : 126);
}

static int wait_hook(pid_t pid, unsigned timeout, int *ret_status)
{
	_cleanup_close_ int pidfd = sys_pidfd_open(pid, 0);

	if (pidfd >= 0 && timeout) {
		struct pollfd p = {.fd = pidfd, .events = POLLIN};
		int n;

		do
			n = poll(&p, 1, timeout > 86400 ? 86400000 : (int)timeout * 1000);
		while (n < 0 && errno == EINTR);
		if (n == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return -ETIMEDOUT;
		}
	}
	while (waitpid(pid, ret_status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int run_one(const struct oci_hook *h, const char *state, char *err, int errlen)
{
	int p[2], status = 0, r;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -errno;
	}
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		hook_child(h, p[0]);
	}
	close(p[0]);
	if (pid < 0) {
		r = -errno;
		close(p[1]);
		snprintf(err, errlen, "fork: %s", strerror(-r));
		return r;
	}
	/* A hook that does not read its stdin must not hold us: the state is small, and a
	 * full pipe is reported as what it is, once the hook has gone. */
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	if (state)
		(void)!write(p[1], state, strlen(state));
	close(p[1]);
	r = wait_hook(pid, h->timeout, &status);
	if (r == -ETIMEDOUT) {
		snprintf(err, errlen, "timed out after %us", h->timeout);
		return r;
	}
	if (r < 0) {
		snprintf(err, errlen, "wait: %s", strerror(-r));
		return r;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		snprintf(err, errlen, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(err, errlen, "exit status %d", WEXITSTATUS(status));
	return -ECANCELED;
}

int hook_run_all(const struct oci_hooks *hooks, const char *kind, const char *state_json, char *err,
		 int errlen)
{
	for (size_t i = 0; i < hooks->n; i++) {
		char why[160];
		int r = run_one(&hooks->list[i], state_json, why, sizeof(why));

		if (r < 0) {
			snprintf(err, errlen, "%s hook %s: %s", kind, hooks->list[i].path, why);
			return r;
		}
	}
	return 0;
}
