/* kbox-init: a container's PID 1 with init=true. Runs the payload, passes signals on to
 * it, reaps every orphan in the container, and exits with the payload's status. */
#include "reaper.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../runtime/runtime.h"

extern char **environ;

/* argv: kbox-init REPORT_FD CMD... as kbox starts it, or kbox-init CMD... on its own (as
 * tini is used), where an exec failure goes to stderr. */
int reaper_main(int argc, char **argv)
{
	sigset_t all, old;
	int report = -1, status = 0;
	char **cmd = argv + 1;
	pid_t child;

	if (argc >= 3 && argv[1][0] && !argv[1][strspn(argv[1], "0123456789")]) {
		report = atoi(argv[1]);
		cmd = argv + 2;
		fcntl(report, F_SETFD, FD_CLOEXEC);
	}
	if (cmd[0] && !strcmp(cmd[0], "--"))
		cmd++;
	if (!cmd[0]) {
		fprintf(stderr, "usage: kbox-init CMD [ARG...]\n");
		return 2;
	}
	/* Everything arrives through sigwaitinfo; faults stay deliverable. */
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	sigprocmask(SIG_SETMASK, &all, &old);

	child = fork();
	if (child < 0) {
		perror("kbox-init: fork");
		return 1;
	}
	if (child == 0) {
		int code;

		sigprocmask(SIG_SETMASK, &old, NULL);
		code = rt_exec_payload(cmd, environ, report);
		if (report < 0)
			fprintf(stderr, "kbox-init: exec '%s': %s\n", cmd[0], strerror(errno));
		_exit(code);
	}
	/* kbox reads the report until the last copy closes: the payload's exec closes its. */
	if (report >= 0)
		close(report);

	for (;;) {
		siginfo_t si;
		pid_t pid;

		if (sigwaitinfo(&all, &si) < 0)
			continue;
		if (si.si_signo != SIGCHLD) {
			kill(child, si.si_signo);
			continue;
		}
		/* SIGCHLDs coalesce: reap everything that has exited, orphans included. */
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0 || (pid < 0 && errno == EINTR)) {
			if (pid != child)
				continue;
			if (WIFSIGNALED(status))
				return 128 + WTERMSIG(status);
			return WEXITSTATUS(status);
		}
	}
}
