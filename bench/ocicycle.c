/* ocicycle RUNTIME BUNDLE ID: one container's life as an engine drives it through the runc
 * command line: `RUNTIME create --bundle BUNDLE --pid-file BUNDLE/ocicycle.pid ID`, `start
 * ID`, wait for the container's process, `delete ID`. As a subreaper, which an engine's
 * monitor (conmon, the shim) is: the container's process, left by create, is reparented to
 * it and waited for here. Exits 0 when every step and the payload did. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *runtime;

/* Run RUNTIME with the given arguments; its exit status, or -1. */
static int run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(runtime, argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int fail(const char *step)
{
	fprintf(stderr, "ocicycle: %s %s failed\n", runtime, step);
	return 1;
}

int main(int argc, char **argv)
{
	char pidfile[4096];
	int status;
	long pid;
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: ocicycle RUNTIME BUNDLE ID\n");
		return 2;
	}
	runtime = argv[1];
	snprintf(pidfile, sizeof(pidfile), "%s/ocicycle.pid", argv[2]);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		return perror("ocicycle: PR_SET_CHILD_SUBREAPER"), 1;
	char *create[] = { argv[1], "create", "--bundle", argv[2], "--pid-file", pidfile, argv[3], NULL };
	char *start[] = { argv[1], "start", argv[3], NULL };
	char *delete[] = { argv[1], "delete", argv[3], NULL };
	char *force[] = { argv[1], "delete", "--force", argv[3], NULL };

	unlink(pidfile);
	if (run(create))
		return fail("create");
	f = fopen(pidfile, "r");
	if (!f || fscanf(f, "%ld", &pid) != 1 || pid <= 0) {
		run(force);
		return fail("create's pid file");
	}
	fclose(f);
	if (run(start)) {
		run(force); /* no container left waiting for a start */
		return fail("start");
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return fail("start's process (not our child)");
	if (run(delete))
		return fail("delete");
	return !WIFEXITED(status) || WEXITSTATUS(status);
}
