/* ptydrive: runs a command as the session leader of a new pseudo-terminal and plays the
 * part of its user and of its shell, from a script read on stdin, one step a line:
 *
 *   send TEXT     type TEXT (C escapes: \n \\ \xHH, so ^Z is \x1a)
 *   expect TEXT   read the terminal until TEXT has appeared since the last match
 *   line PREFIX   the same for a whole line that starts with PREFIX, printed to stdout
 *   stopped       wait until the command stops (WUNTRACED); prints "stopped SIG"
 *   kill SIG      send signal number SIG to the command
 *   wait          wait for the command's end; prints "exit N" or "signal N"
 *
 * The terminal has no echo and no output processing, and keeps ISIG: ^Z and ^C raise
 * SIGTSTP and SIGINT in its foreground process group. A step that fails prints what the
 * terminal showed to stderr and exits 1; each waits at most 30 s, against a hung test.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static char seen[1 << 16];
static size_t nseen, done;
static int master = -1;
static pid_t child;

static void fail(const char *what, const char *arg)
{
	fprintf(stderr, "ptydrive: %s '%s' failed; the terminal showed:\n%.*s\n", what, arg,
		(int)nseen, seen);
	if (child > 0)
		kill(child, SIGKILL);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* More output, or 0 at the terminal's end (EIO once no one holds the slave). */
static int read_more(double deadline)
{
	struct pollfd p = {.fd = master, .events = POLLIN};
	ssize_t n;
	int ms = (deadline - now()) * 1000;

	if (ms <= 0 || poll(&p, 1, ms) <= 0)
		return -1;
	n = read(master, seen + nseen, sizeof(seen) - nseen - 1);
	if (n <= 0)
		return 0;
	nseen += n;
	seen[nseen] = '\0';
	return 1;
}

static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			*o++ = *s;
			continue;
		}
		s++;
		if (*s == 'n') {
			*o++ = '\n';
		} else if (*s == 'x' && s[1] && s[2]) {
			char hex[3] = {s[1], s[2], 0};

			*o++ = strtol(hex, NULL, 16);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static void expect(const char *text, int whole_line)
{
	double deadline = now() + 30;

	for (;;) {
		char *at = seen + done;

		while ((at = strstr(at, text))) {
			char *end = strchr(at, '\n');

			if (!whole_line) {
				done = at - seen + strlen(text);
				return;
			}
			if ((at == seen || at[-1] == '\n') && end) {
				printf("%.*s\n", (int)(end - at), at);
				fflush(stdout);
				done = end + 1 - seen;
				return;
			}
			if (!end)
				break;
			at++;
		}
		if (read_more(deadline) <= 0)
			fail(whole_line ? "line" : "expect", text);
	}
}

static void wait_child(int options)
{
	double deadline = now() + 30;
	int status;

	for (;;) {
		pid_t p = waitpid(child, &status, options | WNOHANG);

		if (p == child)
			break;
		if (p < 0 || now() > deadline)
			fail("wait", "");
		/* Keep the terminal drained: a full one would block the command. */
		if (read_more(now() + 0.01) == 0)
			usleep(10000);
	}
	if (WIFSTOPPED(status))
		printf("stopped %d\n", WSTOPSIG(status));
	else if (WIFSIGNALED(status))
		printf("signal %d\n", WTERMSIG(status));
	else
		printf("exit %d\n", WEXITSTATUS(status));
	fflush(stdout);
}

int main(int argc, char **argv)
{
	char line[4096];
	int slave;

	if (argc < 2) {
		fprintf(stderr, "usage: ptydrive CMD [ARG...] <SCRIPT\n");
		return 2;
	}
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
		return perror("ptydrive: posix_openpt"), 1;
	child = fork();
	if (child < 0)
		return perror("ptydrive: fork"), 1;
	if (child == 0) {
		struct termios t;

		setsid();
		slave = open(ptsname(master), O_RDWR);
		if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
			_exit(126);
		tcgetattr(slave, &t);
		t.c_oflag &= ~OPOST;
		t.c_lflag &= ~(ECHO | ECHONL);
		tcsetattr(slave, TCSANOW, &t);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		if (slave > 2)
			close(slave);
		close(master);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	while (fgets(line, sizeof(line), stdin)) {
		char *arg;

		line[strcspn(line, "\n")] = '\0';
		arg = strchr(line, ' ');
		arg = arg ? arg + 1 : line + strlen(line);
		unescape(arg);
		if (!strncmp(line, "send ", 5)) {
			if (write(master, arg, strlen(arg)) != (ssize_t)strlen(arg))
				fail("send", arg);
		} else if (!strncmp(line, "expect ", 7)) {
			expect(arg, 0);
		} else if (!strncmp(line, "line ", 5)) {
			expect(arg, 1);
		} else if (!strcmp(line, "stopped")) {
			wait_child(WUNTRACED);
		} else if (!strncmp(line, "kill ", 5)) {
			if (kill(child, atoi(arg)) < 0)
				fail("kill", arg);
		} else if (!strcmp(line, "wait")) {
			wait_child(0);
		} else if (line[0] && line[0] != '#') {
			fail("unknown step", line);
		}
	}
	return 0;
}
