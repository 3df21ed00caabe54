/* Logging: one write per line to stderr (the console, in init mode), control bytes escaped. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

void log_set_ident(const char *ident);
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_vmsg(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Log "fmt: strerror(-err)" and return err (a negative errno) for tail calls. */
int log_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Where whole lines (with their newline) go instead of stderr: PID 1's console writer,
 * which keeps them from landing inside a container's half-written line. NULL: stderr.
 * FLUSH writes out what the sink holds, for log_flush before the machine goes down. */
void log_set_sink(void (*sink)(const char *line, size_t len), void (*flush)(void));
void log_flush(void);

/* Seconds since boot, CLOCK_BOOTTIME, for the timing lines. */
double boottime(void);
