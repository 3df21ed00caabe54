/* kbox-init: a container's PID 1 with init=true. Runs the payload, passes signals on to
 * it, reaps every orphan in the container, and exits with the payload's status. */
#include "reaper.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../runtime/runtime.h"

extern char **environ;

/* argv: kbox-init REPORT_FD CMD... */
int reaper_main(int argc, char **argv)
{
	sigset_t all, old;
	int report, status = 0;
	pid_t child;

	if (argc < 3) {
		fprintf(stderr, "kbox-init: usage: kbox-init REPORT_FD CMD...\n");
		return 2;
	}
	report = atoi(argv[1]);
	fcntl(report, F_SETFD, FD_CLOEXEC);
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
		sigprocmask(SIG_SETMASK, &old, NULL);
		_exit(rt_exec_payload(argv + 2, environ, report));
	}
	/* kbox reads the report until the last copy closes: the payload's exec closes its. */
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
