/* initprobe: what an init does with each signal sent to it from outside.
 *
 *   initprobe signals INIT...  for every signal an init can pass on (1 to 64 but KILL,
 *                              STOP, CHLD and the job-control three), starts INIT... over
 *                              "initprobe child", sends the signal to the init once the
 *                              child is up, and prints "N exit CODE got|-" (the init's exit
 *                              code, whether the child had the signal) or "N killed S"
 *                              (the signal killed the init itself)
 *   initprobe child            the payload: says "ready", then on a signal says "got N"
 *                              and dies of it (a signal whose default is to be ignored:
 *                              exits with N); the 32-34 a libc keeps for itself stay at
 *                              their default and kill it
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_signal(int sig)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "got %d\n", sig);

	(void)!write(1, buf, n);
	if (sig == SIGCONT || sig == SIGURG || sig == SIGWINCH)
		_exit(sig);
	signal(sig, SIG_DFL);
	raise(sig); /* blocked in its handler: it kills us on return */
}

static __attribute__((noreturn)) void child(void)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigset_t none;

	/* When the init dies of the signal, we go too. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (int s = 1; s < 65; s++)
		if (s != SIGKILL && s != SIGSTOP)
			sigaction(s, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	(void)!write(1, "ready\n", 6);
	for (;;)
		pause();
}

static int one(int sig, char **init, int n, const char *self)
{
	char *argv[64], buf[256], want[24];
	int p[2], status, len = 0, k = 0;
	pid_t pid;

	for (int i = 0; i < n && k < 60; i++)
		argv[k++] = init[i];
	argv[k++] = (char *)self;
	argv[k++] = "child";
	argv[k] = NULL;
	if (pipe(p) < 0)
		return perror("pipe"), 1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	/* Up to "ready\n", then the rest until the last holder of the pipe is gone. */
	while (len < (int)sizeof(buf) - 1 && !memchr(buf, '\n', len)) {
		ssize_t r = read(p[0], buf + len, sizeof(buf) - 1 - len);

		if (r <= 0)
			break;
		len += r;
	}
	kill(pid, sig);
	for (ssize_t r; len < (int)sizeof(buf) - 1 && (r = read(p[0], buf + len, 1)) > 0;)
		len += r;
	buf[len] = '\0';
	close(p[0]);
	waitpid(pid, &status, 0);
	snprintf(want, sizeof(want), "got %d\n", sig);
	if (WIFSIGNALED(status))
		printf("%d killed %d\n", sig, WTERMSIG(status));
	else
		printf("%d exit %d %s\n", sig, WEXITSTATUS(status),
		       strstr(buf, want) ? "got" : "-");
	return 0;
}

/* Every signal at its default and unblocked, as the kernel gives them to a first process:
 * what we were started with (32 and 33 ignored, say, by a CI runner) is inherited through
 * the init by the child, which cannot undo it for the ones a libc keeps. Raw rt_sigaction,
 * since libc's refuses those. */
static void signals_default(void)
{
	struct {
		void (*handler)(int);
		unsigned long flags;
		void (*restorer)(void);
		unsigned long long mask;
	} dfl = {SIG_DFL, 0, NULL, 0};
	sigset_t none;

	for (int s = 1; s < 65; s++)
		if (s != SIGKILL && s != SIGSTOP)
			syscall(SYS_rt_sigaction, s, &dfl, NULL, sizeof(dfl.mask));
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int main(int argc, char **argv)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (argc >= 2 && !strcmp(argv[1], "child"))
		child();
	if (argc < 3 || strcmp(argv[1], "signals") || n < 0) {
		fprintf(stderr, "usage: initprobe signals INIT... | child\n");
		return 2;
	}
	self[n] = '\0';
	signals_default();
	for (int s = 1; s < 65; s++) {
		if (s == SIGKILL || s == SIGSTOP || s == SIGCHLD || s == SIGTSTP || s == SIGTTIN ||
		    s == SIGTTOU)
			continue;
		/* A signal that gets lost fails the test rather than hanging it: SIGALRM kills us. */
		alarm(120);
		one(s, argv + 2, argc - 2, self);
		alarm(0);
		fflush(stdout);
	}
	return 0;
}
