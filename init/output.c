/* Container output: whole lines to the console as "NAME | line" and to its log file,
 * rotated once at kbox.log_max. */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"

#define LOG_DIR "/run/kbox/logs"

static long long log_max = 1LL << 20;

void output_set_log_max(long long bytes)
{
	if (bytes > 0)
		log_max = bytes;
}

static void log_path(const struct ctr *c, char *buf, size_t len, const char *suffix)
{
	snprintf(buf, len, LOG_DIR "/%s.log%s", c->spec->name, suffix);
}

/* The log file lives across restarts; it is opened on the first start that wants it. */
static void log_open(struct ctr *c, int flags)
{
	char path[PATH_MAX];
	struct stat st;

	log_path(c, path, sizeof(path), "");
	if (mkdir_p(LOG_DIR, 0700) < 0 ||
	    (c->log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | flags, 0640)) < 0) {
		log_errno(-errno, "%s: cannot open its log file '%s'", c->spec->name, path);
		return;
	}
	c->log_size = fstat(c->log_fd, &st) == 0 ? st.st_size : 0;
}

/* One rotation: NAME.log becomes NAME.log.1, and a new NAME.log starts. */
static void log_rotate(struct ctr *c)
{
	char path[PATH_MAX], old[PATH_MAX];

	log_path(c, path, sizeof(path), "");
	log_path(c, old, sizeof(old), ".1");
	close(c->log_fd);
	c->log_fd = -1;
	if (rename(path, old) < 0)
		log_errno(-errno, "%s: cannot rotate its log file '%s'", c->spec->name, path);
	log_open(c, O_TRUNC);
}

static void log_append(struct ctr *c, char *line, size_t len)
{
	int r;

	if (c->log_size + (long long)len > log_max)
		log_rotate(c);
	if (c->log_fd < 0)
		return;
	r = write_all(c->log_fd, line, len);
	if (r < 0) {
		/* A full /run must not take PID 1 or the console output with it. */
		log_errno(r, "%s: cannot write its log file; the console keeps its output",
			  c->spec->name);
		close(c->log_fd);
		c->log_fd = -1;
		return;
	}
	c->log_size += len;
}

static void emit_line(void *ctx, const char *line, size_t len)
{
	struct ctr *c = ctx;
	char buf[LINEBUF_MAX + 128];
	int n = snprintf(buf, sizeof(buf) - 1, "%s | ", c->spec->name);

	memcpy(buf + n, line, len);
	buf[n + len] = '\n';
	if (c->spec->log & SPEC_LOG_CONSOLE)
		write_all(STDOUT_FILENO, buf, n + len + 1);
	if (c->log_fd >= 0)
		log_append(c, buf + n, len + 1);
}

/* Read what is there; at end of file flush the last partial line and stop watching. */
void output_drain(struct ctr *c)
{
	char buf[16384];

	while (c->out.fd >= 0) {
		ssize_t n = read(c->out.fd, buf, sizeof(buf));

		if (n > 0) {
			linebuf_feed(&c->lb, buf, n, emit_line, c);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		linebuf_flush(&c->lb, emit_line, c);
		watch_close(&c->out);
	}
}

void output_on_readable(struct watch *w, uint32_t events)
{
	(void)events;
	output_drain(container_of(w, struct ctr, out));
}

void output_open_log(struct ctr *c)
{
	if (c->log_fd < 0)
		log_open(c, 0);
}
