/* kbox oci's pure argument checks: runc's rule for an id, signals by name or number. */
#include "oci_args.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *oci_id_check(const char *id)
{
	size_t n = strlen(id);

	if (n == 0)
		return "cannot be empty";
	if (n > OCI_ID_MAX)
		return "longer than 1024 bytes";
	if (!strcmp(id, ".") || !strcmp(id, "..") ||
	    id[strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-")])
		return "only [A-Za-z0-9_.+-], and not '.' or '..'";
	return NULL;
}

static const struct {
	const char *name;
	int sig;
} signals[] = {
	{"HUP", SIGHUP},       {"INT", SIGINT},	  {"QUIT", SIGQUIT},	 {"ILL", SIGILL},
	{"TRAP", SIGTRAP},     {"ABRT", SIGABRT}, {"IOT", SIGIOT},	 {"BUS", SIGBUS},
	{"FPE", SIGFPE},       {"KILL", SIGKILL}, {"USR1", SIGUSR1},	 {"SEGV", SIGSEGV},
	{"USR2", SIGUSR2},     {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},	 {"TERM", SIGTERM},
	{"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT},	 {"STOP", SIGSTOP},
	{"TSTP", SIGTSTP},     {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},	 {"URG", SIGURG},
	{"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
	{"WINCH", SIGWINCH},   {"IO", SIGIO},	  {"POLL", SIGPOLL},	 {"PWR", SIGPWR},
	{"SYS", SIGSYS},
};

int oci_signal(const char *s)
{
	char *end;
	long n;

	/* A number: 1..64, nothing after it (no sign, no spaces: strtol would take them). */
	if (s[0] >= '0' && s[0] <= '9') {
		n = strtol(s, &end, 10);
		return *end || n < 1 || n > 64 ? -1 : (int)n;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	/* SIGRTMIN+N and SIGRTMAX-N, as runc (through Go's unix.SignalNum) takes them. */
	if (!strncasecmp(s, "RTMIN", 5) || !strncasecmp(s, "RTMAX", 5)) {
		bool min = !strncasecmp(s, "RTMIN", 5);

		n = 0;
		if (s[5]) {
			if (s[5] != (min ? '+' : '-') || s[6] < '0' || s[6] > '9')
				return -1;
			n = strtol(s + 6, &end, 10);
			if (*end || n > 64)
				return -1;
		}
		n = min ? 34 + n : 64 - n;
		return n < 34 || n > 64 ? -1 : (int)n;
	}
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (!strcasecmp(s, signals[i].name))
			return signals[i].sig;
	return -1;
}

const char *oci_preserve_fds_parse(const char *s, unsigned *ret)
{
	unsigned long long n = 0;

	/* No sign, no spaces, no 0x: strtoul would take "-1" as 2^64-1. */
	if (!s[0] || s[strspn(s, "0123456789")])
		return "is not a count of fds";
	for (; *s; s++) {
		n = n * 10 + (*s - '0');
		if (n > OCI_PRESERVE_FDS_MAX)
			return "is more fds than a process may have open";
	}
	*ret = n;
	return NULL;
}
