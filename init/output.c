/* Container output: whole lines to the console as "NAME | line" and to its log file,
 * rotated once at kbox.log_max. Owns each container's pipe, line buffer and log file
 * (a table parallel to the supervisor's), and the console's queue.
 *
 * PID 1 reads at most READ_MAX bytes of a pipe per event, so a flood costs it one read
 * per batch and the writer waits on its full pipe (nothing read is lost from the file).
 * The console is written without blocking, from a queue: a container line that does not
 * fit in QUEUE_LINES is skipped and counted, and once the queue is half empty again one
 * line per container says how many. kbox's own lines go through the same queue. */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/util.h"
#include "ctr.h"
#include "linebuf.h"
#include "supervisor.h"

#define READ_MAX 16384
#define DRAIN_MAX 65536		/* read from a pipe at its writer's exit */
#define NAME_MAX_LEN 72		/* a name (at most 63) and " | " */
#define QUEUE_LINES (64 * 1024) /* container lines wait for the console up to this much */
#define QUEUE_MAX (128 * 1024)	/* and kbox's own lines up to this */

static long long log_max = 1LL << 20;

/* What output keeps of container I, at outs[I]. */
struct out {
	const struct spec *spec;
	struct watch w; /* its stdout and stderr */
	struct linebuf lb;
	int log_fd; /* /run/kbox/logs/NAME.log, or -1 */
	long long log_size;
	unsigned long console_skipped; /* lines the console could not take, not yet said */
};
static struct out *outs;
static size_t nouts;

/* Everything PID 1 writes to the console goes through one queue, in order, so a line of
 * kbox's never lands inside a container's half-written one. */
static struct {
	int fd;		/* /dev/console, O_NONBLOCK; -1: blocking stdout */
	struct watch w; /* EPOLLOUT while the queue holds something */
	bool armed;
	pid_t owner;	/* PID 1; a forked child writes its messages straight out */
	ino_t owner_ns; /* and its pid namespace: a container's child is pid 1 in its own */
	size_t head, len;
	bool skipping;		   /* container lines are skipped until the queue is half empty */
	unsigned long own_skipped; /* kbox's lines, lost only to a console stuck for long */
} con = {.fd = -1, .w = {.fd = -1}};
static char queue[QUEUE_MAX];

/* A log file's lines gather here for one write per read. */
static struct {
	char buf[READ_MAX + LINEBUF_MAX + 1];
	size_t len;
} file;

/* ---- the console ---- */

static void console_arm(bool on)
{
	if (con.armed == on || con.w.fd < 0)
		return;
	watch_modify(&con.w, on ? EPOLLOUT : 0);
	con.armed = on;
}

static void queue_put(const char *buf, size_t n)
{
	size_t at = (con.head + con.len) % QUEUE_MAX,
	       first = n < QUEUE_MAX - at ? n : QUEUE_MAX - at;

	memcpy(queue + at, buf, first);
	memcpy(queue, buf + first, n - first);
	con.len += n;
}

static void say_skipped(void);

/* Write what the console takes without waiting; EPOLLOUT brings the rest. Once the queue
 * is half empty, what was skipped is said at once, even if no container line comes. */
static void queue_flush(void)
{
	while (con.len) {
		size_t first = con.len < QUEUE_MAX - con.head ? con.len : QUEUE_MAX - con.head;
		struct iovec iov[2] = {{queue + con.head, first}, {queue, con.len - first}};
		ssize_t n = writev(con.fd, iov, 2);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0)
			n = con.len; /* the console is gone: nothing to wait for */
		con.head = (con.head + n) % QUEUE_MAX;
		con.len -= n;
	}
	if (!con.len)
		con.head = 0;
	console_arm(con.len > 0);
	if (con.skipping && con.len <= QUEUE_LINES / 2)
		say_skipped();
}

/* Once the console has caught up: say what it skipped, as kbox's own lines. */
static void say_skipped(void)
{
	unsigned long own = con.own_skipped;

	con.skipping = false;
	for (size_t i = 0; i < nouts; i++) {
		struct out *c = &outs[i];
		unsigned long n = c->console_skipped;

		if (!n)
			continue;
		c->console_skipped = 0;
		log_msg("console: skipped %lu line%s of %s", n, n == 1 ? "" : "s", c->spec->name);
	}
	if (own) {
		con.own_skipped = 0;
		log_msg("console: skipped %lu of kbox's own lines", own);
	}
}

/* Skipping ends once the queue is half empty. */
static bool console_skips(void)
{
	if (con.skipping && con.len <= QUEUE_LINES / 2)
		say_skipped();
	return con.skipping;
}

static void on_console_writable(struct watch *w, uint32_t events)
{
	if (events & (EPOLLERR | EPOLLHUP)) {
		/* No console to wait for: container lines go the blocking way from now on. */
		log_set_sink(NULL, NULL);
		watch_close(w);
		con.fd = -1;
		con.len = con.head = 0;
		con.armed = false;
		log_msg("console: hung up; container output now waits for it");
		return;
	}
	queue_flush();
	console_skips();
}

static void console_line(struct out *c, const char *line, size_t len)
{
	char buf[NAME_MAX_LEN + 4 * LINEBUF_MAX + 2];
	size_t n;

	if (con.fd >= 0 && console_skips()) {
		c->console_skipped++;
		return;
	}
	n = snprintf(buf, NAME_MAX_LEN, "%s | ", c->spec->name);
	if (n >= NAME_MAX_LEN)
		n = NAME_MAX_LEN - 1;
	n += str_escape(buf + n, sizeof(buf) - n - 1, line, len);
	buf[n++] = '\n';
	if (con.fd < 0) {
		write_all(STDOUT_FILENO, buf, n);
		return;
	}
	if (con.len + n > QUEUE_LINES) {
		con.skipping = true;
		c->console_skipped++;
		return;
	}
	queue_put(buf, n);
	/* Written by the loop, at most a queue's worth a wakeup: a write a line would keep PID 1
	 * writing for as long as a console that takes every byte, slowly, keeps taking them
	 * (QEMU's serial: 23 s for the 1 MiB pipe of one exit). */
	console_arm(true);
}

/* kbox's own lines: queued after what is already there, never skipped unless the console
 * has been stuck for QUEUE_MAX bytes (a terminal that sent XOFF, say). */
static bool in_pid1(void)
{
	struct stat st;

	return getpid() == con.owner && (!con.owner_ns || (stat("/proc/self/ns/pid", &st) == 0 &&
							   st.st_ino == con.owner_ns));
}

static void console_log(const char *line, size_t len)
{
	if (!in_pid1()) {
		write_all(STDERR_FILENO, line, len);
		return;
	}
	if (con.len + len > QUEUE_MAX) {
		con.own_skipped++;
		con.skipping = true;
		return;
	}
	queue_put(line, len);
	if (!con.armed)
		queue_flush();
}

/* Before the machine goes down: wait for the console, up to a bound. */
static void console_flush(void)
{
	for (int i = 0; con.len && i < 50; i++) {
		struct pollfd p = {.fd = con.fd, .events = POLLOUT};

		poll(&p, 1, 100);
		queue_flush();
	}
}

static void console_init(void)
{
	struct stat st;

	con.owner = getpid();
	con.owner_ns = stat("/proc/self/ns/pid", &st) == 0 ? st.st_ino : 0;
	con.fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (con.fd < 0) {
		log_errno(-errno, "cannot open /dev/console for container output; "
				  "a slow console will slow PID 1 down");
		return;
	}
	watch_add_events(&con.w, con.fd, 0, on_console_writable);
	log_set_sink(console_log, console_flush);
}

/* ---- log files ---- */

static void log_path(const struct out *c, char *buf, size_t len, const char *suffix)
{
	snprintf(buf, len, KBOX_LOG_DIR "/%s.log%s", c->spec->name, suffix);
}

/* The log file lives across restarts; it is opened on the first start that wants it. */
static void log_open(struct out *c, int flags)
{
	char path[PATH_MAX];
	struct stat st;

	log_path(c, path, sizeof(path), "");
	if (mkdir_p(KBOX_LOG_DIR, 0700) < 0 ||
	    (c->log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | flags, 0640)) < 0) {
		log_errno(-errno, "%s: cannot open its log file '%s'", c->spec->name, path);
		return;
	}
	c->log_size = fstat(c->log_fd, &st) == 0 ? st.st_size : 0;
}

/* One rotation: NAME.log becomes NAME.log.1, and a new NAME.log starts. */
static void log_rotate(struct out *c)
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

static void file_flush(struct out *c)
{
	int r;

	if (!file.len || c->log_fd < 0) {
		file.len = 0;
		return;
	}
	r = write_all(c->log_fd, file.buf, file.len);
	if (r < 0) {
		/* A full /run must not take PID 1 or the console output with it. */
		log_errno(r, "%s: cannot write its log file; the console keeps its output",
			  c->spec->name);
		close(c->log_fd);
		c->log_fd = -1;
	} else {
		c->log_size += file.len;
	}
	file.len = 0;
}

static void file_line(struct out *c, const char *line, size_t len)
{
	if (c->log_size + (long long)(file.len + len + 1) > log_max) {
		file_flush(c);
		if (c->log_fd >= 0)
			log_rotate(c);
	}
	if (c->log_fd < 0)
		return;
	if (file.len + len + 1 > sizeof(file.buf))
		file_flush(c);
	memcpy(file.buf + file.len, line, len);
	file.buf[file.len + len] = '\n';
	file.len += len + 1;
}

static void emit_line(void *ctx, const char *line, size_t len)
{
	struct out *c = ctx;

	if (c->spec->log & SPEC_LOG_CONSOLE)
		console_line(c, line, len);
	if (c->log_fd >= 0)
		file_line(c, line, len);
}

/* ---- the pipe ---- */

/* One read: its bytes, 0 at end of file (the pipe is closed), -1 when it is empty. */
static ssize_t output_read(struct out *c)
{
	static char buf[READ_MAX];
	ssize_t n;

	do
		n = read(c->w.fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return -1;
	if (n > 0) {
		linebuf_feed(&c->lb, buf, n, emit_line, c);
	} else {
		linebuf_flush(&c->lb, emit_line, c);
		watch_close(&c->w);
		n = 0;
	}
	file_flush(c);
	return n;
}

/* Up to LIMIT bytes, and never more than the pipe holds (a writer that lives on refills it). */
static void drain(struct out *c, long limit)
{
	int size = c->w.fd >= 0 ? fcntl(c->w.fd, F_GETPIPE_SZ) : 0;
	long left = size > 0 && size < limit ? size : limit;

	while (c->w.fd >= 0 && left > 0) {
		ssize_t n = output_read(c);

		if (n <= 0)
			return;
		left -= n;
	}
}

/* The epoll callback of the output pipe: one read per event. */
static void on_readable(struct watch *w, uint32_t events)
{
	(void)events;
	output_read(container_of(w, struct out, w));
}

/* The log file lives across restarts: opened on the first start that wants it. */
static int on_starting(size_t i, struct rt_opts *o)
{
	struct out *c = &outs[i];

	(void)o;
	if ((c->spec->log & SPEC_LOG_FILE) && c->log_fd < 0)
		log_open(c, 0);
	return 0;
}

/* The read end of a new start's output pipe (what is left of an earlier start's pipe is
 * read and closed first). */
static void on_started(size_t i, int fd)
{
	struct out *c = &outs[i];

	if (c->w.fd >= 0) {
		/* A process of the last run kept its pipe open, or the loop has not read all of a
		 * raised pipe yet: what it holds is its last, and every line of it goes to the
		 * file. */
		drain(c, LONG_MAX);
		linebuf_flush(&c->lb, emit_line, c);
		file_flush(c);
		watch_close(&c->w);
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	watch_add(&c->w, fd, on_readable);
}

/* At its exit, read what its pipe holds, up to a default pipe's worth (64 KiB): one raised
 * to 1 MiB (F_SETPIPE_SZ) would cost PID 1 a second at every exit. What a writer left
 * beyond it the loop reads after its exit line, as it reads from a writer that lives on. */
static void on_exited(size_t i)
{
	drain(&outs[i], DRAIN_MAX);
}

static const struct sup_observer observer = {
	.starting = on_starting,
	.started = on_started,
	.exited = on_exited,
};

void output_init(long long max)
{
	if (max > 0)
		log_max = max;
	console_init();
	nouts = sup_count();
	outs = calloc(nouts ? nouts : 1, sizeof(*outs));
	if (!outs) {
		log_msg("out of memory: container output is not read");
		nouts = 0;
		return;
	}
	for (size_t i = 0; i < nouts; i++) {
		outs[i].spec = sup_at(i)->spec;
		outs[i].w.fd = outs[i].log_fd = -1;
	}
	sup_observe(&observer);
}

bool output_has_log(size_t i)
{
	return i < nouts && outs[i].log_fd >= 0;
}
