/* kbox logs: a container's log file (and its one rotation), last lines, and following. */
#include "logs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/util.h"
#include "../runtime/spec/spec.h"

static const char usage[] = "usage: kbox logs [-f] [-n N] NAME\n"
			    "Print a container's output from " KBOX_LOG_DIR "/NAME.log (after the\n"
			    "rotated NAME.log.1): all of it, or its last N lines; -f keeps\n"
			    "printing what it writes next, across rotations, until interrupted.\n";

/* The start of the last n lines of buf[0..len). */
static size_t tail_start(const char *buf, size_t len, long n)
{
	size_t i = len;

	if (n <= 0)
		return len;
	if (i && buf[i - 1] == '\n')
		i--;
	while (i > 0) {
		if (buf[i - 1] == '\n' && --n == 0)
			return i;
		i--;
	}
	return 0;
}

/* Copy what is left of fd to stdout. */
static int drain(int fd)
{
	char buf[16384];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write_all(STDOUT_FILENO, buf, n) < 0)
			return -errno;
	return n < 0 ? -errno : 0;
}

static int follow(const char *path, int fd)
{
	int in = inotify_init1(IN_CLOEXEC), r = 0;
	char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	if (in < 0 || inotify_add_watch(in, KBOX_LOG_DIR, IN_MODIFY | IN_CREATE | IN_MOVED_TO) < 0)
		return log_errno(-errno, "logs: cannot watch " KBOX_LOG_DIR);
	while (r == 0) {
		int fresh;

		r = drain(fd);
		if (r < 0 || read(in, ev, sizeof(ev)) < 0)
			break;
		/* Rotated: finish the old file, then go on with the new one. */
		fresh = open(path, O_RDONLY | O_CLOEXEC);
		if (fresh >= 0) {
			struct stat a, b;

			if (fstat(fd, &a) == 0 && fstat(fresh, &b) == 0 && a.st_ino != b.st_ino) {
				r = drain(fd);
				close(fd);
				fd = fresh;
			} else {
				close(fresh);
			}
		}
	}
	close(in);
	close(fd);
	return r;
}

int logs_main(int argc, char **argv)
{
	_cleanup_free_ char *old = NULL, *cur = NULL;
	char path[PATH_MAX], rotated[PATH_MAX + 2];
	size_t oldlen = 0, curlen = 0;
	bool f = false;
	long n = -1;
	int opt, fd;

	optind = 1;
	while ((opt = getopt(argc - 1, argv + 1, "+fn:h")) != -1) {
		char *end;

		if (opt == 'f') {
			f = true;
		} else if (opt == 'n') {
			n = strtol(optarg, &end, 10);
			if (*end || n < 0) {
				log_msg("logs: -n '%s' is not a number of lines", optarg);
				return 2;
			}
		} else {
			fputs(usage, opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind != argc - 2 || !spec_valid_name(argv[argc - 1])) {
		fputs(usage, stderr);
		return 2;
	}
	snprintf(path, sizeof(path), KBOX_LOG_DIR "/%s.log", argv[argc - 1]);
	snprintf(rotated, sizeof(rotated), "%s.1", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_errno(-errno, "logs: %s: no log file '%s'", argv[argc - 1], path);
		return 1;
	}
	read_file(AT_FDCWD, rotated, &old, &oldlen);
	if (read_fd(fd, &cur, &curlen) < 0) {
		close(fd);
		return 1;
	}
	if (n >= 0) {
		size_t in_cur = tail_start(cur, curlen, n);
		long seen = 0;

		for (size_t i = in_cur; i < curlen; i++)
			seen += cur[i] == '\n';
		if (in_cur == 0 && old && seen < n && n > 0)
			write_all(STDOUT_FILENO, old + tail_start(old, oldlen, n - seen),
				  oldlen - tail_start(old, oldlen, n - seen));
		write_all(STDOUT_FILENO, cur + in_cur, curlen - in_cur);
	} else {
		if (old)
			write_all(STDOUT_FILENO, old, oldlen);
		write_all(STDOUT_FILENO, cur, curlen);
	}
	if (!f) {
		close(fd);
		return 0;
	}
	return follow(path, fd) < 0 ? 1 : 0;
}
