/* PID-1 duties of a container init, measured the same way for every init: each runs as
 * PID 1 of a fresh pid namespace (with its own /proc) over a payload that is this program.
 *
 *   pid1 orphans N INIT...  the payload leaves N orphans, all exited; prints the time until
 *                           the last one is reaped and how many were still zombies at 10 s
 *   pid1 term ROUNDS INIT...  SIGTERM to the init: median and p95 of the time until the
 *                           payload has it and until the init has exited, in microseconds
 *   pid1 idle INIT...       the init's VmRSS in KiB while its payload sleeps
 *
 * INIT is the init's command line before the payload's (e.g. "tini --").
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Processes in this pid namespace: /proc entries, zombies included. */
static int count_pids(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		die("/proc");
	while ((e = readdir(d)))
		n += e->d_name[0] >= '1' && e->d_name[0] <= '9';
	closedir(d);
	return n;
}

static int payload_orphans(long n)
{
	double t0 = now_us(), made, deadline;
	int left;

	for (long i = 0; i < n; i++) {
		pid_t c = fork();

		if (c < 0)
			die("fork");
		if (c == 0) {
			if (fork() < 0)
				_exit(1);
			_exit(0); /* its child, exited or not, is now the init's */
		}
		waitpid(c, NULL, 0);
	}
	made = now_us();
	deadline = made + 10e6;
	/* Left: the init and us. */
	while ((left = count_pids() - 2) > 0 && now_us() < deadline)
		usleep(500);
	printf("orphans=%ld made_ms=%.1f all_reaped_ms=%.1f left=%d\n", n, (made - t0) / 1e3,
	       left > 0 ? -1.0 : (now_us() - t0) / 1e3, left);
	return 0;
}

static volatile sig_atomic_t got;
static void on_term(int sig)
{
	(void)sig;
	got = 1;
}

static int payload_term(void)
{
	struct sigaction sa = {.sa_handler = on_term};

	sigaction(SIGTERM, &sa, NULL);
	printf("ready\n");
	fflush(stdout);
	while (!got)
		pause();
	printf("got %.1f\n", now_us());
	fflush(stdout);
	return 0;
}

/* The init as PID 1 of a new pid and mount namespace, stdout to a pipe we read. */
static pid_t start_init(char **init, int nargs, char **payload, FILE **out)
{
	char *argv[64];
	int p[2], n = 0;
	pid_t pid;

	for (int i = 0; i < nargs && n < 40; i++)
		argv[n++] = init[i];
	for (int i = 0; payload[i] && n < 63; i++)
		argv[n++] = payload[i];
	argv[n] = NULL;
	if (pipe(p) < 0)
		die("pipe");
	pid = syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0)
		die("clone");
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("proc", "/proc", "proc", 0, NULL) < 0)
			die("mount /proc");
		execvp(argv[0], argv);
		die(argv[0]);
	}
	close(p[1]);
	*out = fdopen(p[0], "r");
	return pid;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	char self[4096], line[256], *payload[4];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	FILE *out;
	pid_t pid;

	if (argc >= 3 && !strcmp(argv[1], "payload-orphans"))
		return payload_orphans(atol(argv[2]));
	if (argc >= 2 && !strcmp(argv[1], "payload-term"))
		return payload_term();
	if (argc >= 2 && !strcmp(argv[1], "payload-idle")) {
		printf("ready\n");
		fflush(stdout);
		pause();
		return 0;
	}
	if (len < 0 || argc < 3) {
		fprintf(stderr, "usage: pid1 orphans N INIT... | term ROUNDS INIT... | idle INIT...\n");
		return 2;
	}
	self[len] = '\0';
	payload[0] = self;
	if (!strcmp(argv[1], "orphans") && argc >= 4) {
		payload[1] = "payload-orphans";
		payload[2] = argv[2];
		payload[3] = NULL;
		pid = start_init(argv + 3, argc - 3, payload, &out);
		while (fgets(line, sizeof(line), out))
			fputs(line, stdout);
		waitpid(pid, NULL, 0);
		return 0;
	}
	if (!strcmp(argv[1], "term") && argc >= 4) {
		int rounds = atoi(argv[2]), k = 0;
		double *fwd = calloc(rounds, sizeof(double)), *ex = calloc(rounds, sizeof(double));

		payload[1] = "payload-term";
		payload[2] = NULL;
		for (int r = 0; r < rounds; r++) {
			double t0, t1 = 0;

			pid = start_init(argv + 3, argc - 3, payload, &out);
			if (!fgets(line, sizeof(line), out) || strcmp(line, "ready\n"))
				die("payload did not start");
			t0 = now_us();
			kill(pid, SIGTERM);
			if (fgets(line, sizeof(line), out))
				sscanf(line, "got %lf", &t1);
			waitpid(pid, NULL, 0);
			ex[k] = now_us() - t0;
			fwd[k++] = t1 > 0 ? t1 - t0 : 1e9;
			fclose(out);
		}
		qsort(fwd, k, sizeof(double), cmp);
		qsort(ex, k, sizeof(double), cmp);
		printf("term_forward_us median=%.0f p95=%.0f exit_us median=%.0f p95=%.0f\n",
		       fwd[k / 2], fwd[k * 95 / 100], ex[k / 2], ex[k * 95 / 100]);
		return 0;
	}
	if (!strcmp(argv[1], "idle")) {
		char path[64];
		FILE *st;

		payload[1] = "payload-idle";
		payload[2] = NULL;
		pid = start_init(argv + 2, argc - 2, payload, &out);
		if (!fgets(line, sizeof(line), out))
			die("payload did not start");
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		st = fopen(path, "r");
		while (st && fgets(line, sizeof(line), st))
			if (!strncmp(line, "VmRSS:", 6))
				printf("rss_kib=%ld\n", strtol(line + 6, NULL, 10));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 0;
	}
	fprintf(stderr, "pid1: unknown mode '%s'\n", argv[1]);
	return 2;
}
