/* Container specs: one set of keys, read from the kernel command line and conf files. */
#include "spec.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "../../lib/util.h"
#include "../net/ipam.h"
#include "keys.h"

int spec_set_str(char **dst, const char *val)
{
	char *s = strdup(val);

	if (!s)
		return -ENOMEM;
	free(*dst);
	*dst = s;
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

/* Errors reach the console and kbox ps: control bytes from a file of garbage are shown
 * as \xNN, as the console shows them. MSG holds CAP bytes. */
static void printable(char *msg, size_t cap)
{
	char esc[SPEC_ERRLEN * 2];

	str_escape(esc, cap < sizeof(esc) ? cap : sizeof(esc), msg, strlen(msg));
	memcpy(msg, esc, strlen(esc) + 1);
}

static int record(struct spec_set *set, const char *text)
{
	char msg[SPEC_ERRLEN * 2];

	snprintf(msg, sizeof(msg), "%s", text);
	printable(msg, sizeof(msg));
	if (set->src_open && set->src_errors >= SPEC_SOURCE_ERRORS) {
		set->src_dropped++;
		return 0;
	}
	set->src_errors++;
	return strv_push(&set->errors, msg);
}

/* Only files and the command line are bounded: kbox run's flags and the checks of
 * spec_finish give at most a few errors a container. */
static void source_begin(struct spec_set *set)
{
	set->src_open = true;
	set->src_errors = 0;
	set->src_dropped = 0;
}

/* The count of what the source's bound left out, in one line. */
static int source_end(struct spec_set *set, const char *name, const char *where)
{
	char buf[SPEC_ERRLEN * 2];
	unsigned long n = set->src_dropped;

	set->src_open = false;
	set->src_errors = 0;
	set->src_dropped = 0;
	if (!n)
		return 0;
	snprintf(buf, sizeof(buf), "%s%sand %lu more error%s (%s)", name ? name : "",
		 name ? ": " : "", n, n == 1 ? "" : "s", where);
	printable(buf, sizeof(buf));
	return strv_push(&set->errors, buf);
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

static int add_error(struct spec_set *set, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int add_error(struct spec_set *set, const char *fmt, ...)
{
	char buf[SPEC_ERRLEN * 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return record(set, buf);
}

/* Record an error against a container: it will not start. */
static int spec_error(struct spec_set *set, struct spec *s, const char *key, const char *reason,
		      const char *where)
{
	char buf[SPEC_ERRLEN * 2];

	/* A key of a whole line of garbage would crowd out the reason. */
	snprintf(buf, sizeof(buf), "%s: %.64s%s: %s (%s)", s->name, key,
		 strlen(key) > 64 ? "..." : "", reason, where);
	if (!s->error && spec_set_str(&s->error, buf) < 0)
		return -ENOMEM;
	return record(set, buf);
}

struct spec *spec_find(struct spec_set *set, const char *name)
{
	for (struct spec *s = set->specs; s; s = s->next)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

static struct spec *spec_get(struct spec_set *set, const char *name)
{
	struct spec *s = spec_find(set, name), **tail;

	if (s)
		return s;
	s = calloc(1, sizeof(*s));
	if (!s || !(s->name = strdup(name))) {
		free(s);
		return NULL;
	}
	for (tail = &set->specs; *tail; tail = &(*tail)->next)
		;
	*tail = s;
	return s;
}

int spec_set_fail(struct spec_set *set, const char *name, const char *why, const char *where)
{
	char buf[SPEC_ERRLEN * 2];
	struct spec *s;

	if (!name)
		return add_error(set, "globals: %s (%s)", why, where);
	if (!spec_valid_name(name))
		return add_error(set, "'%s': not a valid container name (%s)", name, where);
	s = spec_get(set, name);
	if (!s)
		return -ENOMEM;
	snprintf(buf, sizeof(buf), "%s: %s (%s)", name, why, where);
	if (!s->error && spec_set_str(&s->error, buf) < 0)
		return -ENOMEM;
	return record(set, buf);
}

int spec_set_key(struct spec_set *set, const char *name, const char *key, const char *val,
		 const char *where)
{
	char err[SPEC_ERRLEN];
	const struct key *k;
	struct spec *s;
	int r;

	if (!spec_valid_name(name))
		return add_error(set, "'%s': not a valid container name (%s)", name, where);
	s = spec_get(set, name);
	if (!s)
		return -ENOMEM;
	k = spec_key_find(key);
	if (!k)
		return spec_error(set, s, key, "unknown key", where);
	if (!val)
		return spec_error(set, s, key, "missing '=value'", where);
	if (!spec_key_is_list(k->id) && s->src[k->id] == set->serial) {
		snprintf(err, sizeof(err), "given twice, '%s' again", val);
		return spec_error(set, s, key, err, where);
	}
	s->src[k->id] = set->serial;
	r = k->apply(s, key, val, err);
	if (r == -EINVAL)
		return spec_error(set, s, key, err, where);
	return r;
}

static int set_global_key(struct spec_set *set, const char *key, const char *val, const char *where)
{
	static const char *const names[] = {"hostname", "exit",	  "shell", "log_max",
					    "subnet",	"uplink", "dns"};
	uint32_t addr;
	int id = -1, prefix, r;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(key, names[i]) == 0)
			id = i;
	if (id < 0)
		return add_error(set, "kbox.%s: unknown key (%s)", key, where);
	if (!val)
		return add_error(set, "kbox.%s: missing '=value' (%s)", key, where);
	if (set->gsrc[id] == set->serial)
		return add_error(set, "kbox.%s: given twice, '%s' again (%s)", key, val, where);
	set->gsrc[id] = set->serial;
	switch (id) {
	case 0:
		if (!spec_valid_hostname(val))
			return add_error(set, "kbox.hostname: '%s' is not a valid hostname (%s)",
					 val, where);
		return spec_set_str(&set->hostname, val);
	case 1:
		if (strcmp(val, "stay") == 0)
			set->exit = SPEC_EXIT_STAY;
		else if (strcmp(val, "poweroff") == 0)
			set->exit = SPEC_EXIT_POWEROFF;
		else if (strcmp(val, "reboot") == 0)
			set->exit = SPEC_EXIT_REBOOT;
		else
			return add_error(set,
					 "kbox.exit: '%s' is not poweroff, reboot or stay (%s)",
					 val, where);
		return 0;
	case 5:
		if (strcmp(val, "none") && strcmp(val, "dhcp") &&
		    (ipam_parse_uplink(val, &addr, &prefix, &addr) < 0 || prefix < 1))
			return add_error(set,
					 "kbox.uplink: '%s' is not none, dhcp or ADDR/LEN,GATEWAY "
					 "like 10.0.2.15/24,10.0.2.2 (%s)",
					 val, where);
		return spec_set_str(&set->uplink, val);
	case 6:
		if (ipam_parse_addr(val, &addr) < 0)
			return add_error(set, "kbox.dns: '%s' is not an IPv4 address (%s)", val,
					 where);
		return spec_set_str(&set->dns, val);
	case 4:
		r = spec_parse_cidr(val, 8, 29, &addr, &prefix);
		if (r == -ERANGE)
			return add_error(set,
					 "kbox.subnet: '%s': '%s' is out of range (8..29) (%s)",
					 val, strchr(val, '/') + 1, where);
		if (r < 0)
			return add_error(set,
					 "kbox.subnet: '%s' is not a subnet like 10.88.0.0/16 (%s)",
					 val, where);
		return spec_set_str(&set->subnet, val);
	case 3:
		r = spec_parse_size(val, &set->log_max);
		if (r == -ERANGE)
			return add_error(set,
					 "kbox.log_max: '%s' is out of range "
					 "(4k..9223372036854775807) (%s)",
					 val, where);
		if (r < 0 || set->log_max < 4096)
			return add_error(set, "kbox.log_max: '%s' is not a size of 4k or more (%s)",
					 val, where);
		return 0;
	default:
		if (!strcmp(val, "1") || !strcmp(val, "true") || !strcmp(val, "yes"))
			set->shell = true;
		else if (!strcmp(val, "0") || !strcmp(val, "false") || !strcmp(val, "no"))
			set->shell = false;
		else
			return add_error(set, "kbox.shell: '%s' is not 1 or 0 (%s)", val, where);
		return 0;
	}
}

/* One "kbox...." parameter, already unquoted: split at the first '=' and the dots. */
static int cmdline_param(struct spec_set *set, char *param)
{
	char *val = strchr(param, '='), *name, *key;

	if (val)
		*val++ = '\0';
	name = param + strlen("kbox.");
	key = strchr(name, '.');
	if (!key)
		return set_global_key(set, name, val, "cmdline");
	*key++ = '\0';
	if (strchr(key, '.'))
		return add_error(set, "kbox.%s.%s: too many dots in the key (cmdline)", name, key);
	return spec_set_key(set, name, key, val, "cmdline");
}

/*
 * The kernel's own rules (lib/cmdline.c, next_arg): blanks separate parameters except
 * inside double quotes; quotes are kept inside a parameter, but a value that starts with
 * a quote loses it and the matching one at the end. " -- " ends the kernel's part.
 */
int spec_parse_cmdline(struct spec_set *set, const char *cmdline)
{
	char *buf = strdup(cmdline), *p = buf;
	int r = 0, q;

	if (!buf)
		return -ENOMEM;
	set->serial++;
	source_begin(set);
	while (r == 0) {
		char *param, *eq;
		bool in_quote = false, quoted = false;
		size_t i;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		if (*p == '"') {
			p++;
			in_quote = quoted = true;
		}
		for (i = 0; p[i]; i++) {
			if (isspace((unsigned char)p[i]) && !in_quote)
				break;
			if (p[i] == '"')
				in_quote = !in_quote;
		}
		param = p;
		p += i;
		if (*p)
			*p++ = '\0';
		if (strcmp(param, "--") == 0)
			break;
		eq = strchr(param, '=');
		if (eq && eq[1] == '"') {
			size_t n = strlen(eq + 2);

			memmove(eq + 1, eq + 2, n + 1);
			if (n && eq[n] == '"')
				eq[n] = '\0';
		} else if (quoted && i && param[i - 1] == '"') {
			param[i - 1] = '\0';
		}
		if (strncmp(param, "kbox.", 5) == 0)
			r = cmdline_param(set, param);
	}
	free(buf);
	q = source_end(set, NULL, "cmdline");
	return r ? r : q;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int spec_parse_conf(struct spec_set *set, const char *name, const char *text, const char *where)
{
	char *buf = strdup(text), *line, *next;
	char loc[SPEC_ERRLEN];
	int r = 0, q, lineno = 0;

	if (!buf)
		return -ENOMEM;
	set->serial++;
	source_begin(set);
	if (name && !spec_valid_name(name)) {
		r = add_error(set, "'%s': not a valid container name (%s)", name, where);
		goto out;
	}
	for (line = buf; line && r == 0; line = next) {
		char *key, *val, *hash;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		/* A comment starts a line or follows a blank, so values may hold '#'. */
		for (hash = line; (hash = strchr(hash, '#')); hash++) {
			if (hash == line || isspace((unsigned char)hash[-1])) {
				*hash = '\0';
				break;
			}
		}
		key = trim(line);
		if (!*key)
			continue;
		snprintf(loc, sizeof(loc), "%s:%d", where, lineno);
		val = strchr(key, '=');
		if (val) {
			*val = '\0';
			val = trim(val + 1);
			key = trim(key);
		}
		if (name)
			r = spec_set_key(set, name, key, val, loc);
		else
			r = set_global_key(set, key, val, loc);
	}
out:
	free(buf);
	q = source_end(set, name, where);
	return r ? r : q;
}

/*
 * Depth-first from s along after=: true when a cycle lies past s, written to buf. Each
 * container is walked once, however many paths lead to it (without that, 60 containers
 * each after the next two took 2^40 steps): after_state remembers what was found.
 */
static bool after_cycle(struct spec_set *set, struct spec *s, struct spec **path, size_t depth,
			char *buf, size_t len)
{
	bool cycle = false;

	if (s->after_state >= SPEC_AFTER_CLEAN)
		return s->after_state == SPEC_AFTER_CYCLE; /* buf still names that cycle */
	if (s->after_state == SPEC_AFTER_ON_PATH) {
		size_t i = 0;

		while (path[i] != s)
			i++;
		/* The cycle is path[i..depth-1] and back to s. */
		buf[0] = '\0';
		for (; i < depth; i++)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s -> ", path[i]->name);
		snprintf(buf + strlen(buf), len - strlen(buf), "%s", s->name);
		return true;
	}
	s->after_state = SPEC_AFTER_ON_PATH;
	path[depth] = s;
	for (size_t i = 0; s->after && s->after[i] && !cycle; i++) {
		struct spec *dep = spec_find(set, s->after[i]);

		cycle = dep && after_cycle(set, dep, path, depth + 1, buf, len);
	}
	s->after_state = cycle ? SPEC_AFTER_CYCLE : SPEC_AFTER_CLEAN;
	return cycle;
}

/* after= names containers that exist, and never leads round in a circle. One message a
 * container: a file of missing names is one line, not one for each. */
static int check_after(struct spec_set *set)
{
	_cleanup_free_ struct spec **path = NULL;
	char buf[SPEC_ERRLEN] = "";
	size_t n = 0;

	for (struct spec *s = set->specs; s; s = s->next, n++)
		s->after_state = SPEC_AFTER_UNSEEN;
	path = calloc(n + 1, sizeof(*path));
	if (!path)
		return -ENOMEM;
	for (struct spec *s = set->specs; s; s = s->next) {
		const char *first = NULL;
		size_t missing = 0;

		for (size_t i = 0; s->after && s->after[i]; i++) {
			if (spec_find(set, s->after[i]))
				continue;
			if (!missing++)
				first = s->after[i];
		}
		if (missing) {
			snprintf(buf, sizeof(buf), "'%s' is not a container", first);
			if (missing > 1)
				snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
					 ", nor are %zu more", missing - 1);
			if (spec_error(set, s, "after", buf, "spec") < 0)
				return -ENOMEM;
		}
		if (s->after && after_cycle(set, s, path, 0, buf, sizeof(buf) - 16)) {
			char why[SPEC_ERRLEN + 16];

			snprintf(why, sizeof(why), "a cycle: %s", buf);
			if (spec_error(set, s, "after", why, "spec") < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

/* Keys that only mean something together, and publishes that two containers cannot share. */
static int check_net(struct spec_set *set, struct spec *s, struct spec **owner)
{
	char why[SPEC_ERRLEN];

	/* Who published each host port first, one slot for every port and protocol (the
	 * check was one of every pair of ports: 65,535 of them in /etc/kbox took 2^31
	 * comparisons at boot). A container with an error keeps its ports all the same. */
	for (size_t i = 0; i < s->npublish; i++) {
		const struct spec_publish *p = &s->publish[i];

		if (!owner[p->udp * 65536 + p->host_port])
			owner[p->udp * 65536 + p->host_port] = s;
	}
	if (s->error)
		return 0;
	if (s->net != SPEC_NET_BRIDGE && (s->ip || s->npublish)) {
		snprintf(why, sizeof(why), "needs net=bridge");
		return spec_error(set, s, s->ip ? "ip" : "publish", why, "spec");
	}
	for (size_t i = 0; s->net == SPEC_NET_HOST && s->sysctls && s->sysctls[i]; i++) {
		if (strncmp(s->sysctls[i], "net.", 4) != 0)
			continue;
		snprintf(why, sizeof(why),
			 "'%s' needs a network namespace of its own; net=host shares the "
			 "appliance's",
			 s->sysctls[i]);
		return spec_error(set, s, "sysctl", why, "spec");
	}
	for (size_t i = 0; i < s->npublish; i++) {
		const struct spec_publish *p = &s->publish[i];
		const struct spec *o = owner[p->udp * 65536 + p->host_port];

		if (o == s)
			continue;
		snprintf(why, sizeof(why), "host port %u/%s is published by %s already",
			 p->host_port, p->udp ? "udp" : "tcp", o->name);
		return spec_error(set, s, "publish", why, "spec");
	}
	return 0;
}

int spec_finish(struct spec_set *set)
{
	static const char *const default_cmd[] = {"sh", NULL};
	_cleanup_free_ struct spec **owner = calloc(2 * 65536, sizeof(*owner));

	if (!owner)
		return -ENOMEM;

	for (struct spec *s = set->specs; s; s = s->next) {
		if (!s->image && spec_set_str(&s->image, "busybox") < 0)
			return -ENOMEM;
		if (!s->cmd && !(s->cmd = strv_copy((char *const *)default_cmd)))
			return -ENOMEM;
		if (!s->hostname && spec_set_str(&s->hostname, s->name) < 0)
			return -ENOMEM;
		if (!s->workdir && spec_set_str(&s->workdir, "/") < 0)
			return -ENOMEM;
		if (!s->seccomp && spec_set_str(&s->seccomp, "default") < 0)
			return -ENOMEM;
		if (!s->stop_signal)
			s->stop_signal = SIGTERM;
		if (!s->src[SK_LOG])
			s->log = SPEC_LOG_CONSOLE | SPEC_LOG_FILE;
		if (!s->src[SK_NET])
			s->net = SPEC_NET_BRIDGE;
		if (check_net(set, s, owner) < 0)
			return -ENOMEM;
		if (!s->src[SK_STOP_TIMEOUT])
			s->stop_timeout_ms = 10000;
		/* As in Docker, memory_swap is memory and swap together. */
		if (s->memory_swap && !s->error) {
			const char *why = NULL;

			if (!s->memory || s->memory == SPEC_UNLIMITED)
				why = "needs a memory limit too";
			else if (s->memory_swap != SPEC_UNLIMITED && s->memory_swap < s->memory)
				why = "is memory and swap together: it cannot be below memory";
			if (why && spec_error(set, s, "memory_swap", why, "spec") < 0)
				return -ENOMEM;
		}
	}
	return check_after(set);
}

void spec_set_init(struct spec_set *set)
{
	memset(set, 0, sizeof(*set));
}

void spec_set_free(struct spec_set *set)
{
	struct spec *s = set->specs, *next;

	free(set->subnet);
	free(set->uplink);
	free(set->dns);
	for (; s; s = next) {
		next = s->next;
		free(s->name);
		free(s->image);
		strv_free(s->cmd);
		strv_free(s->env);
		free(s->workdir);
		free(s->hostname);
		free(s->error);
		free(s->user);
		free(s->seccomp);
		free(s->cpuset);
		strv_free(s->after);
		strv_free(s->sysctls);
		free(s->ip);
		free(s->publish);
		for (size_t i = 0; i < s->nbinds; i++) {
			free(s->binds[i].src);
			free(s->binds[i].dst);
		}
		free(s->binds);
		for (size_t i = 0; i < s->ntmpfs; i++)
			free(s->tmpfs[i].dst);
		free(s->tmpfs);
		free(s->rlimits);
		free(s);
	}
	free(set->hostname);
	strv_free(set->errors);
	spec_set_init(set);
}
