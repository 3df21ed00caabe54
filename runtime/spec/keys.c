/* The container keys of the spec language: each key's value parser, and the table the set
 * looks keys up in. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <strings.h>
#include <sys/resource.h>

#include "../../lib/util.h"
#include "capnames.h"
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

static int apply_image(struct spec *s, const char *key, const char *val, char *err)
{
	if (val[0] != '/' && !spec_valid_name(val))
		return spec_bad_value(err, "'%s' is not an image name or an absolute path", val);
	return spec_set_str(&s->image, val);
}

static int apply_cmd(struct spec *s, const char *key, const char *val, char *err)
{
	char **words;
	int r = spec_split_words(val, &words, err, SPEC_ERRLEN);

	if (r < 0)
		return r;
	strv_free(s->cmd);
	s->cmd = words;
	return 0;
}

/* Words, as cmd's; an empty value is an entrypoint of none, which drops the image's
 * Entrypoint and Cmd (docker run --entrypoint ""). */
static int apply_entrypoint(struct spec *s, const char *key, const char *val, char *err)
{
	const char *p = val;
	char **words = NULL;
	int r = 0;

	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		r = spec_split_words(val, &words, err, SPEC_ERRLEN);
	else if (!(words = calloc(1, sizeof(*words))))
		r = -ENOMEM;
	if (r < 0)
		return r;
	strv_free(s->entrypoint);
	s->entrypoint = words;
	return 0;
}

static int apply_workdir(struct spec *s, const char *key, const char *val, char *err)
{
	if (val[0] != '/')
		return spec_bad_value(err, "'%s' is not an absolute path", val);
	return spec_set_str(&s->workdir, val);
}

static int apply_hostname(struct spec *s, const char *key, const char *val, char *err)
{
	if (!spec_valid_hostname(val))
		return spec_bad_value(err, "'%s' is not a valid hostname", val);
	return spec_set_str(&s->hostname, val);
}

static int apply_pid(struct spec *s, const char *key, const char *val, char *err)
{
	static const char *const words[] = {"private", "host"};
	int i = spec_pick_word(val, words, ARRAY_SIZE(words), "host or private", err);

	if (i >= 0)
		s->pid_host = i == 1;
	return i < 0 ? i : 0;
}

static int apply_env(struct spec *s, const char *key, const char *val, char *err)
{
	const char *eq = strchr(val, '=');
	size_t klen = eq ? (size_t)(eq - val) : 0;

	if (klen == 0)
		return spec_bad_value(err, "'%s' is not NAME=value", val);
	for (size_t i = 0; i < klen; i++)
		if (!isalnum((unsigned char)val[i]) && val[i] != '_')
			return spec_bad_value(err, "'%.*s' is not a variable name", (int)klen, val);
	/* A later value for the same name replaces the earlier one, as in a shell. */
	for (size_t i = 0; s->env && s->env[i]; i++) {
		if (strncmp(s->env[i], val, klen + 1) == 0)
			return spec_set_str(&s->env[i], val);
	}
	return strv_push(&s->env, val);
}

/* The reason for a number out of range: N bytes at NUM, the whole of VAL or a part of it. */
static int out_of_range(char *err, const char *val, const char *num, size_t n, const char *range)
{
	if (num == val && n == strlen(val))
		return spec_bad_value(err, "'%s' is out of range (%s)", val, range);
	return spec_bad_value(err, "'%s': '%.*s' is out of range (%s)", val, (int)n, num, range);
}

/* A key whose whole value is a number from min to max. */
static int apply_number(const char *val, unsigned long long min, unsigned long long max,
			const char *what, unsigned long long *ret, char *err)
{
	char range[48];
	int r = spec_parse_uint(val, max, ret);

	if (r == -EINVAL)
		return spec_bad_value(err, "'%s' is not %s", val, what);
	if (r == -ERANGE || *ret < min) {
		snprintf(range, sizeof(range), "%llu..%llu", min, max);
		return out_of_range(err, val, val, strlen(val), range);
	}
	return 0;
}

static int apply_bool_key(bool *dst, const char *val, char *err)
{
	if (spec_parse_bool(val, dst) < 0)
		return spec_bad_value(err, "'%s' is not true or false", val);
	return 0;
}

static int apply_readonly(struct spec *s, const char *key, const char *val, char *err)
{
	return apply_bool_key(&s->readonly, val, err);
}

static int apply_timens(struct spec *s, const char *key, const char *val, char *err)
{
	return apply_bool_key(&s->timens, val, err);
}

static int apply_user(struct spec *s, const char *key, const char *val, char *err)
{
	char norm[SPEC_USER_MAX];
	int r = spec_parse_user(val, norm, err);

	return r < 0 ? r : spec_set_str(&s->user, norm);
}

/* Comma-separated capability names, or ALL. */
static int apply_caps(struct spec *s, const char *key, const char *val, char *err)
{
	uint64_t *set = strcmp(key, "caps_add") == 0 ? &s->caps_add : &s->caps_drop;
	char name[64];

	for (const char *p = val; *p;) {
		size_t n = strcspn(p, ",");
		int cap;

		if (n == 0 || n >= sizeof(name))
			return spec_bad_value(err, "'%s' is not a list of capabilities", val);
		memcpy(name, p, n);
		name[n] = '\0';
		if (strcasecmp(name, "ALL") == 0) {
			*set |= (1ULL << CAP_COUNT) - 1;
		} else if ((cap = cap_from_name(name)) >= 0) {
			*set |= 1ULL << cap;
		} else {
			return spec_bad_value(err, "'%s' is not a capability", name);
		}
		p += n;
		if (*p == ',' && !*++p)
			return spec_bad_value(err, "'%s' ends with a comma", val);
	}
	return 0;
}

static int apply_seccomp(struct spec *s, const char *key, const char *val, char *err)
{
	if (strcmp(val, "default") && strcmp(val, "unconfined") && val[0] != '/')
		return spec_bad_value(err, "'%s' is not default, unconfined or an absolute path",
				      val);
	return spec_set_str(&s->seccomp, val);
}

/* src:dst[:ro|rw] */
static int apply_bind(struct spec *s, const char *key, const char *val, char *err)
{
	char *buf = strdup(val), *src, *dst, *mode;
	struct spec_bind *nb;
	int r = -ENOMEM;

	if (!buf)
		return -ENOMEM;
	src = buf;
	dst = strchr(src, ':');
	if (dst)
		*dst++ = '\0';
	mode = dst ? strchr(dst, ':') : NULL;
	if (mode)
		*mode++ = '\0';
	if (!dst || src[0] != '/' || dst[0] != '/') {
		r = spec_bad_value(err, "'%s' is not /source:/destination[:ro]", val);
		goto out;
	}
	if (mode && strcmp(mode, "ro") && strcmp(mode, "rw")) {
		r = spec_bad_value(err, "'%s': mode '%s' is not ro or rw", val, mode);
		goto out;
	}
	nb = realloc(s->binds, (s->nbinds + 1) * sizeof(*nb));
	if (!nb)
		goto out;
	s->binds = nb;
	nb += s->nbinds;
	nb->src = strdup(src);
	nb->dst = strdup(dst);
	nb->ro = mode && !strcmp(mode, "ro");
	s->nbinds++;
	r = nb->src && nb->dst ? 0 : -ENOMEM;
out:
	free(buf);
	return r;
}

/* NAME:/dst[:ro|rw], Docker's named volume: NAME is a directory on the data disk. */
static int apply_volume(struct spec *s, const char *key, const char *val, char *err)
{
	const char *colon = strchr(val, ':'), *mode;
	size_t n = colon ? (size_t)(colon - val) : 0, dn;
	struct spec_volume *nv;
	char name[80];

	if (val[0] == '/')
		return spec_bad_value(err, "'%s': a path is no volume name (bind= binds a path)",
				      val);
	if (!colon || n == 0 || colon[1] != '/')
		return spec_bad_value(err, "'%s' is not NAME:/destination[:ro]", val);
	snprintf(name, sizeof(name), "%.*s", (int)n, val);
	if (n >= sizeof(name) || !spec_valid_name(name))
		return spec_bad_value(err,
				      "'%.*s' is not a volume name (letters, digits, '_' and "
				      "'-', up to 63)",
				      (int)n, val);
	mode = strchr(colon + 1, ':');
	dn = mode ? (size_t)(mode - colon - 1) : strlen(colon + 1);
	if (mode && strcmp(mode + 1, "ro") && strcmp(mode + 1, "rw"))
		return spec_bad_value(err, "'%s': mode '%s' is not ro or rw", val, mode + 1);
	for (size_t i = 0; i < s->nvolumes; i++)
		if (strlen(s->volumes[i].dst) == dn && !strncmp(s->volumes[i].dst, colon + 1, dn))
			return spec_bad_value(err, "'%s': '%.*s' holds volume '%s' already", val,
					      (int)dn, colon + 1, s->volumes[i].name);
	nv = realloc(s->volumes, (s->nvolumes + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	s->volumes = nv;
	nv += s->nvolumes;
	nv->name = strdup(name);
	nv->dst = strndup(colon + 1, dn);
	nv->ro = mode && !strcmp(mode + 1, "ro");
	s->nvolumes++;
	return nv->name && nv->dst ? 0 : -ENOMEM;
}

/* dst[:size] */
static int apply_tmpfs(struct spec *s, const char *key, const char *val, char *err)
{
	const char *colon = strchr(val, ':');
	size_t n = colon ? (size_t)(colon - val) : strlen(val);
	struct spec_tmpfs *nt;
	long long size = 0;

	if (val[0] != '/')
		return spec_bad_value(err, "'%s' is not /destination[:size]", val);
	if (colon) {
		int r = spec_parse_size(colon + 1, &size);

		if (r == -EINVAL)
			return spec_bad_value(err, "'%s' is not a size", colon + 1);
		if (r < 0 || size < 1)
			return out_of_range(err, val, colon + 1, strlen(colon + 1),
					    "1..9223372036854775807");
	}
	nt = realloc(s->tmpfs, (s->ntmpfs + 1) * sizeof(*nt));
	if (!nt)
		return -ENOMEM;
	s->tmpfs = nt;
	nt += s->ntmpfs++;
	nt->size = size;
	nt->dst = strndup(val, n);
	return nt->dst ? 0 : -ENOMEM;
}

/* inside:outside:count, for both uids and gids */
static int apply_userns(struct spec *s, const char *key, const char *val, char *err)
{
	unsigned long long v[3];
	bool over = false;
	const char *p = val;

	/* The kernel refuses an extent whose first id + count passes 2^32 - 1. */
	for (int i = 0; i < 3; i++) {
		int r = spec_parse_digits(&p, 4294967295ULL, &v[i]);

		if (r == -EINVAL || *p != (i < 2 ? ':' : '\0'))
			return spec_bad_value(err, "'%s' is not inside:outside:count", val);
		over |= r == -ERANGE;
		p++;
	}
	if (!over && v[2] == 0)
		return spec_bad_value(err, "'%s': the count must be 1 or more", val);
	if (over || v[0] + v[2] > 4294967295ULL || v[1] + v[2] > 4294967295ULL)
		return spec_bad_value(err, "'%s': the range does not fit in 32-bit ids", val);
	if (v[0] != 0)
		return spec_bad_value(err, "'%s': the map must start at 0, the container's root",
				      val);
	s->userns.inside = v[0];
	s->userns.outside = v[1];
	s->userns.count = v[2];
	return 0;
}

/* A size of at least min bytes; why names what it is not. */
static int apply_size(long long *dst, const char *val, long long min, const char *min_name,
		      const char *why, char *err)
{
	char range[48];
	int r = spec_parse_size(val, dst);

	if (r == -EINVAL)
		return spec_bad_value(err, "'%s' is not %s", val, why);
	snprintf(range, sizeof(range), "%s..9223372036854775807", min_name);
	if (r < 0)
		return out_of_range(err, val, val, strlen(val), range);
	if (*dst < min)
		return spec_bad_value(err, "'%s' is below the minimum of %s", val, min_name);
	return 0;
}

/* Docker refuses less; below it a container cannot even start its shell. */
#define MEMORY_MIN (6LL << 20)

static int apply_memory(struct spec *s, const char *key, const char *val, char *err)
{
	long long *dst = strcmp(key, "memory") == 0 ? &s->memory : &s->memory_swap;

	if (strcmp(val, "max") == 0) {
		*dst = SPEC_UNLIMITED;
		return 0;
	}
	return apply_size(dst, val, MEMORY_MIN, "6M", "a size (like 64M or 1.5G) or max", err);
}

/* An overlay needs little room of its own, but a tmpfs smaller than this is a mistake. */
#define STORAGE_MIN (1LL << 20)

static int apply_storage_size(struct spec *s, const char *key, const char *val, char *err)
{
	return apply_size(&s->storage_size, val, STORAGE_MIN, "1M", "a size (like 256M or 1G)",
			  err);
}

/* 0.001 to 1024 CPUs, in thousandths. */
static int apply_cpus(struct spec *s, const char *key, const char *val, char *err)
{
	unsigned long long whole, milli = 0;
	const char *p = val;
	int digits = 0, r = spec_parse_digits(&p, 1024, &whole);

	if (r != -EINVAL && *p == '.' && isdigit((unsigned char)p[1]))
		for (p++; isdigit((unsigned char)*p) && digits < 3; p++, digits++)
			milli = milli * 10 + (*p - '0');
	if (r == -EINVAL || *p)
		return spec_bad_value(
			err, "'%s' is not a number of CPUs like 0.5 or 2 (3 decimals at most)",
			val);
	while (digits++ < 3)
		milli *= 10;
	if (r < 0 || whole * 1000 + milli == 0 || whole * 1000 + milli > 1024000)
		return out_of_range(err, val, val, strlen(val), "0.001..1024");
	s->cpus_milli = whole * 1000 + milli;
	return 0;
}

static int apply_weight(struct spec *s, const char *key, const char *val, char *err)
{
	unsigned long long w;
	int r = apply_number(val, 1, 10000, "a weight", &w, err);

	if (r < 0)
		return r;
	if (strcmp(key, "cpu_weight") == 0)
		s->cpu_weight = w;
	else
		s->io_weight = w;
	return 0;
}

/* The kernel's PID_MAX_LIMIT: pids.max takes no more. */
#define PIDS_MAX 4194304

static int apply_pids(struct spec *s, const char *key, const char *val, char *err)
{
	unsigned long long n;
	int r;

	if (strcmp(val, "max") == 0) {
		s->pids = SPEC_UNLIMITED;
		return 0;
	}
	r = apply_number(val, 1, PIDS_MAX, "a number of processes or max", &n, err);
	if (r == 0)
		s->pids = n;
	return r;
}

/* "0-1,3": CPU numbers and ranges, as cpuset.cpus takes them; stored in their plain form. */
static int apply_cpuset(struct spec *s, const char *key, const char *val, char *err)
{
	_cleanup_free_ char *norm = malloc(strlen(val) + 1);
	size_t o = 0;

	if (!norm)
		return -ENOMEM;
	for (const char *p = val;;) {
		const char *num = p;
		unsigned long long a, b;
		int r = spec_parse_digits(&p, 4095, &a);

		if (r == 0 && *p == '-') {
			num = ++p;
			r = spec_parse_digits(&p, 4095, &b);
			if (r == 0 && b < a)
				r = -EINVAL;
		} else {
			b = a;
		}
		if (r == -EINVAL || (*p && *p != ','))
			return spec_bad_value(err, "'%s' is not a CPU list like 0-1,3", val);
		if (r < 0)
			return out_of_range(err, val, num, p - num, "0..4095");
		o += sprintf(norm + o, a == b ? "%llu" : "%llu-%llu", a, b);
		if (!*p)
			break;
		norm[o++] = *p++;
	}
	norm[o] = '\0';
	return spec_set_str(&s->cpuset, norm);
}

/*
 * The kernel takes any 64-bit limit, RLIM_INFINITY (2^64 - 1) being "unlimited", which is
 * spelled out, never reached by a number. RLIMIT_NOFILE stops at fs.nr_open, 1048576
 * unless raised, and refuses unlimited.
 */
static unsigned long long rlim_max(int resource)
{
	return resource == RLIMIT_NOFILE ? 1048576 : RLIM_INFINITY - 1;
}

static int parse_rlim(const char *s, size_t n, int resource, unsigned long long *ret)
{
	const char *p = s;
	int r;

	if (n == strlen("unlimited") && strncmp(s, "unlimited", n) == 0 &&
	    resource != RLIMIT_NOFILE) {
		*ret = RLIM_INFINITY;
		return 0;
	}
	r = spec_parse_digits(&p, rlim_max(resource), ret);
	return r != -EINVAL && p == s + n ? r : -EINVAL;
}

/* rlimit_NAME = soft[:hard], each a number or unlimited */
static int apply_rlimit(struct spec *s, const char *key, const char *val, char *err)
{
	const char *name = key + strlen("rlimit_"), *colon = strchr(val, ':');
	size_t n = colon ? (size_t)(colon - val) : strlen(val);
	unsigned long long soft, hard;
	struct spec_rlimit *nr;
	char range[48];
	int res = spec_rlimit_from_name(name), r;

	if (res < 0)
		return spec_bad_value(err, "'%s' is not a resource limit", name);
	snprintf(range, sizeof(range), "0..%llu%s", rlim_max(res),
		 res == RLIMIT_NOFILE ? "" : " or unlimited");
	r = parse_rlim(val, n, res, &soft);
	if (r == -ERANGE)
		return out_of_range(err, val, val, n, range);
	if (r == 0 && colon) {
		r = parse_rlim(colon + 1, strlen(colon + 1), res, &hard);
		if (r == -ERANGE)
			return out_of_range(err, val, colon + 1, strlen(colon + 1), range);
	}
	if (r < 0)
		return spec_bad_value(err, "'%s' is not soft[:hard] (numbers or unlimited)", val);
	if (!colon)
		hard = soft;
	if (soft > hard)
		return spec_bad_value(err, "'%s': the soft limit is above the hard one", val);
	for (size_t i = 0; i < s->nrlimits; i++) {
		if (s->rlimits[i].resource == res) {
			s->rlimits[i].soft = soft;
			s->rlimits[i].hard = hard;
			return 0;
		}
	}
	nr = realloc(s->rlimits, (s->nrlimits + 1) * sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	s->rlimits = nr;
	nr[s->nrlimits++] = (struct spec_rlimit){res, soft, hard};
	return 0;
}

/* no | always | unless-stopped | on-failure[:N] */
static int apply_restart(struct spec *s, const char *key, const char *val, char *err)
{
	unsigned long long n = 0;

	if (!strcmp(val, "no")) {
		s->restart = SPEC_RESTART_NO;
	} else if (!strcmp(val, "always") || !strcmp(val, "unless-stopped")) {
		s->restart = SPEC_RESTART_ALWAYS;
	} else if (!strncmp(val, "on-failure", 10) && (!val[10] || val[10] == ':')) {
		int r = val[10] ? spec_parse_uint(val + 11, 1000000, &n) : 0;

		if (r == -EINVAL)
			return spec_bad_value(
				err, "'%s' is not no, on-failure[:N], always or unless-stopped",
				val);
		if (r < 0 || (val[10] && n == 0))
			return out_of_range(err, val, val + 11, strlen(val + 11), "1..1000000");
		s->restart = SPEC_RESTART_ON_FAILURE;
	} else {
		return spec_bad_value(
			err, "'%s' is not no, on-failure[:N], always or unless-stopped", val);
	}
	s->restart_max = n;
	return 0;
}

static int apply_stop_signal(struct spec *s, const char *key, const char *val, char *err)
{
	int sig = spec_parse_signal(val);

	if (sig == -ERANGE)
		return out_of_range(err, val, val, strlen(val), "1..64");
	if (sig < 0)
		return spec_bad_value(err, "'%s' is not a signal (like SIGTERM, TERM or 15)", val);
	s->stop_signal = sig;
	return 0;
}

static int apply_stop_timeout(struct spec *s, const char *key, const char *val, char *err)
{
	int r = spec_parse_duration(val, &s->stop_timeout_ms);

	if (r == -ERANGE)
		return out_of_range(err, val, val, strlen(val), "0..24h");
	if (r < 0)
		return spec_bad_value(err, "'%s' is not a duration (like 10s, 500ms or 2m)", val);
	return 0;
}

/* Comma-separated container names, repeatable; checked against the set in spec_finish. */
static int apply_after(struct spec *s, const char *key, const char *val, char *err)
{
	char name[80];

	for (const char *p = val;;) {
		size_t n = strcspn(p, ",");

		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		if (n >= sizeof(name) || !spec_valid_name(name))
			return spec_bad_value(err, "'%.*s' is not a container name", (int)n, p);
		if (strv_push(&s->after, name) < 0)
			return -ENOMEM;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

static int apply_init(struct spec *s, const char *key, const char *val, char *err)
{
	return apply_bool_key(&s->init, val, err);
}

static int apply_log(struct spec *s, const char *key, const char *val, char *err)
{
	static const struct {
		const char *name;
		unsigned bits;
	} modes[] = {{"console", SPEC_LOG_CONSOLE},
		     {"file", SPEC_LOG_FILE},
		     {"both", SPEC_LOG_CONSOLE | SPEC_LOG_FILE},
		     {"none", 0}};

	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		if (strcmp(val, modes[i].name) == 0) {
			s->log = modes[i].bits;
			return 0;
		}
	}
	return spec_bad_value(err, "'%s' is not console, file, both or none", val);
}

/* Only sysctls that a container's own namespaces hold, as Docker allows. */
static int apply_sysctl(struct spec *s, const char *key, const char *val, char *err)
{
	size_t n = strcspn(val, "=");

	if (!val[n] || !val[n + 1] || strchr(val, '\n'))
		return spec_bad_value(err, "'%s' is not NAME=VALUE", val);
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)val[i]) && !isdigit((unsigned char)val[i]) &&
		    !strchr("._-", val[i]))
			return spec_bad_value(err, "'%.*s' is not a sysctl name", (int)n, val);
	if (strstr(val, "..") || val[0] == '.')
		return spec_bad_value(err, "'%.*s' is not a sysctl name", (int)n, val);
	if (spec_sysctl_ns(val, n) == SPEC_SYSCTL_HOST)
		return spec_bad_value(err,
				      "'%.*s' is not namespaced (" SPEC_SYSCTL_NAMESPACED
				      "): it would change the appliance",
				      (int)n, val);
	return strv_push(&s->sysctls, val);
}

static int apply_net(struct spec *s, const char *key, const char *val, char *err)
{
	static const char *const words[] = {
		[SPEC_NET_NONE] = "none", [SPEC_NET_HOST] = "host", [SPEC_NET_BRIDGE] = "bridge"};
	int i = spec_pick_word(val, words, ARRAY_SIZE(words), "bridge, none or host", err);

	if (i >= 0)
		s->net = i;
	return i < 0 ? i : 0;
}

/* auto, or a.b.c.d/len */
static int apply_ip(struct spec *s, const char *key, const char *val, char *err)
{
	uint32_t addr;
	int len, r = strcmp(val, "auto") ? spec_parse_cidr(val, 1, 30, &addr, &len) : 0;

	if (r == -ERANGE)
		return out_of_range(err, val, strchr(val, '/') + 1, strlen(strchr(val, '/') + 1),
				    "1..30");
	if (r < 0)
		return spec_bad_value(
			err, "'%s' is not auto or an address with its prefix (10.88.0.5/16)", val);
	return spec_set_str(&s->ip, val);
}

/* N bytes at p: a port from 1 to 65535. */
static int parse_port(const char *p, size_t n, unsigned *ret)
{
	const char *q = p;
	unsigned long long v;
	int r = spec_parse_digits(&q, 65535, &v);

	if (r == -EINVAL || q != p + n)
		return -EINVAL;
	if (r < 0 || v == 0)
		return -ERANGE;
	*ret = v;
	return 0;
}

/* HOSTPORT:CTRPORT[/tcp|/udp], repeatable */
static int apply_publish(struct spec *s, const char *key, const char *val, char *err)
{
	size_t h = strcspn(val, ":"), c;
	struct spec_publish p = {0}, *np;
	int r;

	c = val[h] ? strcspn(val + h + 1, "/") : 0;
	r = val[h] ? parse_port(val, h, &p.host_port) : -EINVAL;
	if (r == -ERANGE)
		return out_of_range(err, val, val, h, "1..65535");
	if (r == 0)
		r = parse_port(val + h + 1, c, &p.ctr_port);
	if (r == -ERANGE)
		return out_of_range(err, val, val + h + 1, c, "1..65535");
	if (r < 0)
		return spec_bad_value(err, "'%s' is not HOSTPORT:CTRPORT[/udp]", val);
	if (val[h + 1 + c]) {
		const char *proto = val + h + 2 + c;

		if (strcmp(proto, "udp") && strcmp(proto, "tcp"))
			return spec_bad_value(err, "'%s': the protocol is tcp or udp, not '%s'",
					      val, proto);
		p.udp = !strcmp(proto, "udp");
	}
	for (size_t i = 0; i < s->npublish; i++)
		if (s->publish[i].host_port == p.host_port && s->publish[i].udp == p.udp)
			return spec_bad_value(err, "'%s': host port %u is published twice", val,
					      p.host_port);
	np = realloc(s->publish, (s->npublish + 1) * sizeof(*np));
	if (!np)
		return -ENOMEM;
	s->publish = np;
	np[s->npublish++] = p;
	return 0;
}

static const struct key container_keys[] = {
	{"image", SK_IMAGE, apply_image},
	{"cmd", SK_CMD, apply_cmd},
	{"entrypoint", SK_ENTRYPOINT, apply_entrypoint},
	{"workdir", SK_WORKDIR, apply_workdir},
	{"hostname", SK_HOSTNAME, apply_hostname},
	{"pid", SK_PID, apply_pid},
	{"env", SK_ENV, apply_env},
	{"user", SK_USER, apply_user},
	{"readonly", SK_READONLY, apply_readonly},
	{"timens", SK_TIMENS, apply_timens},
	{"caps_add", SK_CAPS_ADD, apply_caps},
	{"caps_drop", SK_CAPS_DROP, apply_caps},
	{"seccomp", SK_SECCOMP, apply_seccomp},
	{"bind", SK_BIND, apply_bind},
	{"tmpfs", SK_TMPFS, apply_tmpfs},
	{"userns", SK_USERNS, apply_userns},
	{"memory", SK_MEMORY, apply_memory},
	{"memory_swap", SK_MEMORY_SWAP, apply_memory},
	{"cpus", SK_CPUS, apply_cpus},
	{"cpu_weight", SK_CPU_WEIGHT, apply_weight},
	{"pids", SK_PIDS, apply_pids},
	{"cpuset", SK_CPUSET, apply_cpuset},
	{"io_weight", SK_IO_WEIGHT, apply_weight},
	{"rlimit_", SK_RLIMIT, apply_rlimit}, /* a prefix: rlimit_nofile, rlimit_nproc, ... */
	{"restart", SK_RESTART, apply_restart},
	{"stop_signal", SK_STOP_SIGNAL, apply_stop_signal},
	{"stop_timeout", SK_STOP_TIMEOUT, apply_stop_timeout},
	{"after", SK_AFTER, apply_after},
	{"init", SK_INIT, apply_init},
	{"log", SK_LOG, apply_log},
	{"sysctl", SK_SYSCTL, apply_sysctl},
	{"net", SK_NET, apply_net},
	{"ip", SK_IP, apply_ip},
	{"publish", SK_PUBLISH, apply_publish},
	{"storage_size", SK_STORAGE_SIZE, apply_storage_size},
	{"volume", SK_VOLUME, apply_volume},
};

bool spec_key_is_list(int id)
{
	switch (id) {
	case SK_ENV:
	case SK_CAPS_ADD:
	case SK_CAPS_DROP:
	case SK_BIND:
	case SK_VOLUME:
	case SK_TMPFS:
	case SK_RLIMIT: /* one entry per resource, checked by apply_rlimit */
	case SK_AFTER:
	case SK_SYSCTL:
	case SK_PUBLISH:
		return true;
	default:
		return false;
	}
}

const struct key *spec_key_find(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(container_keys); i++) {
		const struct key *k = &container_keys[i];

		if (k->id == SK_RLIMIT ? strncmp(key, k->name, strlen(k->name)) == 0
				       : strcmp(k->name, key) == 0)
			return k;
	}
	return NULL;
}
