/* Logging: one write per line to stderr (the console, in init mode). */
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *log_ident = "kbox";

void log_set_ident(const char *ident)
{
	log_ident = ident;
}

static void log_emit(const char *fmt, va_list ap, int err)
{
	char buf[1024];
	int n, saved = errno;

	n = snprintf(buf, sizeof(buf), "%s: ", log_ident);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	if (err)
		n += snprintf(buf + n, sizeof(buf) - n, ": %s", strerror(-err));
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	/* A console write can be cut short by a signal; one retry of the rest is enough. */
	ssize_t w = write(STDERR_FILENO, buf, n);
	if (w > 0 && w < n)
		(void)!write(STDERR_FILENO, buf + w, n - w);
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
