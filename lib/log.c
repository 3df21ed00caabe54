/* Logging: one write per line to stderr (the console, in init mode), control bytes escaped. */
#include "log.h"

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

/* The length of the UTF-8 character at S (of N bytes) if it is valid and not a C1
 * control, else 0. Overlong forms and surrogates are not valid: a lenient terminal
 * could read an overlong one as ESC. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xc2)
		lo = 0xa0; /* U+0080 to U+009F are the C1 controls (CSI is U+009B) */
	else if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

size_t log_escape(char *dst, size_t cap, const char *src, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;

	if (!cap)
		return 0;
	for (size_t i = 0; i < n;) {
		size_t len = s[i] < 0x80 ? 1 : utf8_len(s + i, n - i);
		bool plain =
			len > 1 || (len == 1 && (s[i] == '\t' || (s[i] >= 0x20 && s[i] < 0x7f)));

		if (plain) {
			if (o + len >= cap)
				break;
			memcpy(dst + o, s + i, len);
			o += len;
			i += len;
			continue;
		}
		if (o + 4 >= cap)
			break;
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = hex[s[i] >> 4];
		dst[o++] = hex[s[i] & 15];
		i++;
	}
	dst[o] = '\0';
	return o;
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
	len = log_escape(out, sizeof(out) - 1, buf, n);
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
