/* The values of the spec language (numbers, sizes, durations, addresses, signals, resource
 * limits, names, words), parsed the same way for every key of every front end. */
#include "values.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "../../lib/util.h"
#include "../net/ipam.h"

int spec_bad_value(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, SPEC_ERRLEN, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int spec_pick_word(const char *val, const char *const *words, size_t n, const char *what, char *err)
{
	for (size_t i = 0; i < n; i++)
		if (words[i] && strcmp(val, words[i]) == 0)
			return i;
	return spec_bad_value(err, "'%s' is not %s", val, what);
}

/*
 * The one number parser of the spec language, for every numeric key of every front end:
 * decimal digits only, no sign, blank or base prefix ("010" is 10), and a value above max
 * is -ERANGE, never wrapped. The digits are all read even past max, so the error covers
 * the whole number.
 */
int spec_parse_digits(const char **p, unsigned long long max, unsigned long long *ret)
{
	const char *s = *p;
	unsigned long long v = 0;
	bool over = false;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned d = *s - '0';

		if (v > (ULLONG_MAX - d) / 10)
			over = true;
		else
			v = v * 10 + d;
	}
	*p = s;
	if (over || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

int spec_parse_uint(const char *s, unsigned long long max, unsigned long long *ret)
{
	unsigned long long v;
	const char *p = s;
	int r = spec_parse_digits(&p, max, &v);

	if (*p || r == -EINVAL)
		return -EINVAL;
	if (r == 0)
		*ret = v;
	return r;
}

/* ".digits" after a number: the fraction as frac / *ret_scale (18 digits kept at most). */
static int parse_fraction(const char **p, unsigned long long *ret_frac,
			  unsigned long long *ret_scale)
{
	const char *s = *p;
	unsigned long long frac = 0, scale = 1;

	if (*s != '.') {
		*ret_frac = 0;
		*ret_scale = 1;
		return 0;
	}
	if (!isdigit((unsigned char)*++s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		if (scale < 1000000000000000000ULL) {
			frac = frac * 10 + (*s - '0');
			scale *= 10;
		}
	}
	*p = s;
	*ret_frac = frac;
	*ret_scale = scale;
	return 0;
}

int spec_parse_size(const char *s, long long *ret)
{
	static const char units[] = "kmgtp";
	unsigned long long whole, frac, scale, mult = 1;
	unsigned __int128 bytes;
	const char *p = s, *u;
	int r = spec_parse_digits(&p, ULLONG_MAX, &whole);

	if (r == -EINVAL || parse_fraction(&p, &frac, &scale) < 0)
		return -EINVAL;
	if (*p && (u = strchr(units, tolower((unsigned char)*p)))) {
		mult = 1ULL << (10 * (u - units + 1));
		p++;
		if (tolower((unsigned char)*p) == 'i')
			p++;
	}
	if (tolower((unsigned char)*p) == 'b')
		p++;
	if (*p)
		return -EINVAL;
	if (r == -ERANGE)
		return -ERANGE;
	bytes = (unsigned __int128)whole * mult + (unsigned __int128)frac * mult / scale;
	if (bytes > LLONG_MAX)
		return -ERANGE;
	*ret = (long long)bytes;
	return 0;
}

void spec_format_size(long long bytes, char *buf, int len)
{
	static const char units[] = "KMGTP";
	int u = -1;

	while (u < 4 && bytes && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%lld", bytes);
	else
		snprintf(buf, len, "%lld%c", bytes, units[u]);
}

/* A day is more than any timeout needs, and fits any field of milliseconds. */
#define DURATION_MAX_MS 86400000ULL

int spec_parse_duration(const char *s, unsigned *ret_ms)
{
	static const struct {
		const char *unit;
		unsigned long long ms;
	} units[] = {{"ms", 1}, {"s", 1000}, {"", 1000}, {"m", 60000}, {"h", 3600000}};
	unsigned long long whole, frac, scale, ms;
	const char *p = s;
	int r = spec_parse_digits(&p, DURATION_MAX_MS, &whole);

	if (r == -EINVAL || parse_fraction(&p, &frac, &scale) < 0)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcmp(p, units[i].unit) != 0)
			continue;
		if (r == -ERANGE || whole > DURATION_MAX_MS / units[i].ms)
			return -ERANGE;
		/* The fraction rounds to the nearest millisecond. */
		ms = whole * units[i].ms +
		     (unsigned long long)(((unsigned __int128)frac * units[i].ms * 2 / scale + 1) /
					  2);
		if (ms > DURATION_MAX_MS)
			return -ERANGE;
		*ret_ms = ms;
		return 0;
	}
	return -EINVAL;
}

int spec_parse_cidr(const char *s, int min, int max, uint32_t *ret_addr, int *ret_prefix)
{
	const char *slash = strchr(s, '/');
	unsigned long long prefix;
	char addr[16];
	int r;

	if (!slash || slash - s >= (ptrdiff_t)sizeof(addr))
		return -EINVAL;
	snprintf(addr, sizeof(addr), "%.*s", (int)(slash - s), s);
	if (ipam_parse_addr(addr, ret_addr) < 0)
		return -EINVAL;
	r = spec_parse_uint(slash + 1, max, &prefix);
	if (r < 0)
		return r;
	if (prefix < (unsigned long long)min)
		return -ERANGE;
	*ret_prefix = prefix;
	return 0;
}

int spec_parse_bool(const char *val, bool *ret)
{
	if (!strcmp(val, "1") || !strcmp(val, "true") || !strcmp(val, "yes"))
		*ret = true;
	else if (!strcmp(val, "0") || !strcmp(val, "false") || !strcmp(val, "no"))
		*ret = false;
	else
		return -EINVAL;
	return 0;
}

/* A name starts with a letter or '_'; what starts with a digit is a number. */
static bool valid_account(const char *p, size_t n)
{
	if (n == 0 || n > 32 || (!isalpha((unsigned char)p[0]) && p[0] != '_'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != '_' && p[i] != '-' && p[i] != '.')
			return false;
	return true;
}

int spec_parse_user(const char *val, char norm[SPEC_USER_MAX], char *err)
{
	const char *colon = strchr(val, ':');
	const char *part[2] = {val, colon ? colon + 1 : NULL};
	size_t len[2] = {colon ? (size_t)(colon - val) : strlen(val),
			 colon ? strlen(colon + 1) : 0};

	norm[0] = '\0';
	for (int i = 0; i < 2 && part[i]; i++) {
		const char *p = part[i];
		size_t o = strlen(norm);
		unsigned long long id;
		int r;

		if (!isdigit((unsigned char)*p)) {
			if (!valid_account(p, len[i]))
				return spec_bad_value(
					err, "'%s' is not a user, uid, user:group or uid:gid", val);
			snprintf(norm + o, SPEC_USER_MAX - o, "%s%.*s", i ? ":" : "", (int)len[i],
				 p);
			continue;
		}
		r = spec_parse_digits(&p, SPEC_ID_MAX, &id);
		if (p != part[i] + len[i])
			return spec_bad_value(err, "'%s' is not a user, uid, user:group or uid:gid",
					      val);
		if (r < 0 && !colon)
			return spec_bad_value(err, "'%s' is out of range (0..%llu)", val,
					      SPEC_ID_MAX);
		if (r < 0)
			return spec_bad_value(err, "'%s': '%.*s' is out of range (0..%llu)", val,
					      (int)len[i], part[i], SPEC_ID_MAX);
		snprintf(norm + o, SPEC_USER_MAX - o, "%s%llu", i ? ":" : "", id);
	}
	return 0;
}

bool spec_valid_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 63 || !isalnum((unsigned char)name[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' && name[i] != '-')
			return false;
	return true;
}

bool spec_valid_hostname(const char *h)
{
	size_t n = strlen(h);

	if (n == 0 || n > 63 || h[0] == '-' || h[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)h[i]) && h[i] != '-' && h[i] != '.')
			return false;
	return true;
}

int spec_split_words(const char *s, char ***ret_words, char *err, int errlen)
{
	char **words = calloc(1, sizeof(char *));
	size_t len = strlen(s);
	char *word = malloc(len + 1);
	int r = -ENOMEM;

	if (!words || !word)
		goto out;
	for (const char *p = s;;) {
		size_t n = 0;
		char quote = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		for (; *p && (quote || !isspace((unsigned char)*p)); p++) {
			if (quote && *p == quote)
				quote = 0;
			else if (!quote && (*p == '\'' || *p == '"'))
				quote = *p;
			else
				word[n++] = *p;
		}
		if (quote) {
			snprintf(err, errlen, "unterminated %c quote in '%s'", quote, s);
			r = -EINVAL;
			goto out;
		}
		word[n] = '\0';
		if (strv_push(&words, word) < 0)
			goto out;
	}
	if (!words[0]) {
		snprintf(err, errlen, "empty command");
		r = -EINVAL;
		goto out;
	}
	*ret_words = words;
	words = NULL;
	r = 0;
out:
	free(word);
	strv_free(words);
	return r;
}

static const struct {
	const char *name;
	int resource;
} rlimits[] = {
	{"as", RLIMIT_AS},	     {"core", RLIMIT_CORE},
	{"cpu", RLIMIT_CPU},	     {"data", RLIMIT_DATA},
	{"fsize", RLIMIT_FSIZE},     {"locks", RLIMIT_LOCKS},
	{"memlock", RLIMIT_MEMLOCK}, {"msgqueue", RLIMIT_MSGQUEUE},
	{"nice", RLIMIT_NICE},	     {"nofile", RLIMIT_NOFILE},
	{"nproc", RLIMIT_NPROC},     {"rtprio", RLIMIT_RTPRIO},
	{"rttime", RLIMIT_RTTIME},   {"sigpending", RLIMIT_SIGPENDING},
	{"stack", RLIMIT_STACK},
};

const char *spec_rlimit_name(int resource)
{
	for (size_t i = 0; i < ARRAY_SIZE(rlimits); i++)
		if (rlimits[i].resource == resource)
			return rlimits[i].name;
	return "?";
}

int spec_rlimit_from_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(rlimits); i++)
		if (strcmp(name, rlimits[i].name) == 0)
			return rlimits[i].resource;
	return -1;
}

static const char *const signal_names[] = {
	[SIGHUP] = "HUP",	[SIGINT] = "INT",   [SIGQUIT] = "QUIT",	  [SIGILL] = "ILL",
	[SIGTRAP] = "TRAP",	[SIGABRT] = "ABRT", [SIGBUS] = "BUS",	  [SIGFPE] = "FPE",
	[SIGKILL] = "KILL",	[SIGUSR1] = "USR1", [SIGSEGV] = "SEGV",	  [SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE",	[SIGALRM] = "ALRM", [SIGTERM] = "TERM",	  [SIGCHLD] = "CHLD",
	[SIGCONT] = "CONT",	[SIGSTOP] = "STOP", [SIGTSTP] = "TSTP",	  [SIGTTIN] = "TTIN",
	[SIGTTOU] = "TTOU",	[SIGURG] = "URG",   [SIGXCPU] = "XCPU",	  [SIGXFSZ] = "XFSZ",
	[SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF", [SIGWINCH] = "WINCH", [SIGIO] = "IO",
	[SIGPWR] = "PWR",	[SIGSYS] = "SYS",
};

const char *spec_signal_name(int sig)
{
	return sig > 0 && sig < (int)ARRAY_SIZE(signal_names) ? signal_names[sig] : NULL;
}

int spec_parse_signal(const char *s)
{
	unsigned long long n;

	if (isdigit((unsigned char)s[0])) {
		int r = spec_parse_uint(s, 64, &n);

		return r < 0 ? r : n == 0 ? -ERANGE : (int)n;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 1; i < ARRAY_SIZE(signal_names); i++)
		if (signal_names[i] && strcasecmp(s, signal_names[i]) == 0)
			return i;
	return -EINVAL;
}

enum spec_sysctl_ns spec_sysctl_ns(const char *name, size_t n)
{
	static const struct {
		const char *prefix;
		bool whole; /* the name itself, not a prefix of one */
		enum spec_sysctl_ns ns;
	} known[] = {{"net.", false, SPEC_SYSCTL_NET},	     {"kernel.shm", false, SPEC_SYSCTL_IPC},
		     {"kernel.msg", false, SPEC_SYSCTL_IPC}, {"kernel.sem", true, SPEC_SYSCTL_IPC},
		     {"fs.mqueue.", false, SPEC_SYSCTL_IPC}};

	for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
		size_t l = strlen(known[i].prefix);

		if (known[i].whole ? n == l && !strncmp(name, known[i].prefix, l)
				   : n > l && !strncmp(name, known[i].prefix, l))
			return known[i].ns;
	}
	return SPEC_SYSCTL_HOST;
}
