/* Logging: one write per line to stderr (the console, in init mode). */
#pragma once

#include <stdarg.h>

void log_set_ident(const char *ident);
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_vmsg(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Log "fmt: strerror(-err)" and return err (a negative errno) for tail calls. */
int log_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Seconds since boot, CLOCK_BOOTTIME, for the timing lines. */
double boottime(void);
