/* Logging: one write per line to stderr (the console, in init mode), control bytes escaped. */
#include "log.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *log_ident = "kbox";
static void (*log_sink)(const char *line, size_t len);
static void (*log_sink_flush)(void);

void log_set_ident(const char *ident)
{
	log_ident = ident;
}

void log_set_sink(void (*sink)(const char *line, size_t len), void (*flush)(void))
{
	log_sink = sink;
	log_sink_flush = flush;
}

void log_flush(void)
{
	if (log_sink_flush)
		log_sink_flush();
}

static void log_emit(const char *fmt, va_list ap, int err)
{
	char buf[1024], out[4 * sizeof(buf) + 2];
	int n, saved = errno;
	size_t len;

	n = snprintf(buf, sizeof(buf), "%s: ", log_ident);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (err)
		n += snprintf(buf + n, sizeof(buf) - n, ": %s", strerror(-err));
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	/* What the message quotes (spec values, a container's words) cannot move the cursor,
	 * ring or start a line of its own. */
	len = str_escape(out, sizeof(out) - 1, buf, n);
	out[len++] = '\n';
	if (log_sink) {
		log_sink(out, len);
	} else {
		/* A console write can be cut short by a signal; one retry of the rest is enough. */
		ssize_t w = write(STDERR_FILENO, out, len);

		if (w > 0 && w < (ssize_t)len)
			(void)!write(STDERR_FILENO, out + w, len - w);
	}
	errno = saved;
}

void log_vmsg(const char *fmt, va_list ap)
{
	log_emit(fmt, ap, 0);
}

void log_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(fmt, ap, 0);
	va_end(ap);
}

int log_errno(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(fmt, ap, err);
	va_end(ap);
	return err;
}

double boottime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
