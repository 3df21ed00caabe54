/* The set of specs: each key of each source applied through the key table, errors recorded
 * with their source, and the checks that need every source read (after=, net, publish). */
#include "set.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../../lib/util.h"
#include "globals.h"
#include "image.h"
#include "keys.h"

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
void spec_source_begin(struct spec_set *set, bool bounded)
{
	set->serial++;
	set->src_open = bounded;
	set->src_errors = 0;
	set->src_dropped = 0;
}

/* The count of what the source's bound left out, in one line. */
int spec_source_end(struct spec_set *set, const char *name, const char *where)
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

int spec_set_error(struct spec_set *set, const char *fmt, ...)
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
		return spec_set_error(set, "globals: %s (%s)", why, where);
	if (!spec_valid_name(name))
		return spec_set_error(set, "'%s': not a valid container name (%s)", name, where);
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
		return spec_set_error(set, "'%s': not a valid container name (%s)", name, where);
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

int spec_set_global(struct spec_set *set, const char *key, const char *val, const char *where)
{
	int id = spec_global_key_find(key), r;
	char err[SPEC_ERRLEN];

	if (id < 0)
		return spec_set_error(set, "kbox.%s: unknown key (%s)", key, where);
	if (!val)
		return spec_set_error(set, "kbox.%s: missing '=value' (%s)", key, where);
	if (set->gsrc[id] == set->serial)
		return spec_set_error(set, "kbox.%s: given twice, '%s' again (%s)", key, val,
				      where);
	set->gsrc[id] = set->serial;
	r = spec_global_key_apply(set, id, val, err);
	if (r == -EINVAL)
		return spec_set_error(set, "kbox.%s: %s (%s)", key, err, where);
	return r;
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
	_cleanup_free_ struct spec **owner = calloc(2 * 65536, sizeof(*owner));

	if (!owner)
		return -ENOMEM;

	for (struct spec *s = set->specs; s; s = s->next) {
		char err[SPEC_ERRLEN];

		if (!s->image && spec_set_str(&s->image, "busybox") < 0)
			return -ENOMEM;
		if (!s->hostname && spec_set_str(&s->hostname, s->name) < 0)
			return -ENOMEM;
		if (!s->seccomp && spec_set_str(&s->seccomp, "default") < 0)
			return -ENOMEM;
		/* The argv, env, workdir, user and stop signal of an image without a record
		 * (cmd sh, workdir /, SIGTERM); a start applies its image's record, if any. */
		if (spec_apply_image(s, NULL, err, sizeof(err)) < 0)
			return -ENOMEM;
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

void spec_free(struct spec *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->image);
	strv_free(s->cmd);
	strv_free(s->entrypoint);
	strv_free(s->env);
	strv_free(s->argv);
	strv_free(s->run_env);
	if (s->image_config) {
		image_config_free(s->image_config);
		free(s->image_config);
	}
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
	for (size_t i = 0; i < s->nvolumes; i++) {
		free(s->volumes[i].name);
		free(s->volumes[i].dst);
	}
	free(s->volumes);
	for (size_t i = 0; i < s->ntmpfs; i++)
		free(s->tmpfs[i].dst);
	free(s->tmpfs);
	free(s->rlimits);
	free(s);
}

void spec_set_free(struct spec_set *set)
{
	struct spec *s = set->specs, *next;

	free(set->subnet);
	free(set->uplink);
	free(set->dns);
	free(set->data);
	for (; s; s = next) {
		next = s->next;
		spec_free(s);
	}
	free(set->hostname);
	strv_free(set->errors);
	spec_set_init(set);
}
