/* The third front end of the spec language: kbox run's flags. Pure code, no system calls. */
#include "runflags.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Docker's spellings, and the keys they set. A NULL key is one of run's own flags. */
static const struct alias {
	const char *flag, *key;
	bool boolean;
} aliases[] = {
	{"-e", "env", false},
	{"--env", "env", false},
	{"-u", "user", false},
	{"-w", "workdir", false},
	{"-h", "hostname", false},
	{"-m", "memory", false},
	{"-v", "bind", false},
	{"--volume", "bind", false},
	{"--read-only", "readonly", true},
	{"--readonly", "readonly", true},
	{"--timens", "timens", true},
	{"--cap-add", "caps_add", false},
	{"--cap-drop", "caps_drop", false},
	{"--pids-limit", "pids", false},
	{"-p", "publish", false},
	{"--network", "net", false},
	{"--cpuset-cpus", "cpuset", false},
	{"--ulimit", "rlimit_", false},		  /* --ulimit NAME=VALUE */
	{"--security-opt", "seccomp", false},	  /* only seccomp=VALUE */
	{"--storage-opt", "storage_size", false}, /* only size=VALUE */
	{"--name", NULL, false},
	{"--rm", NULL, true},
	{"-i", NULL, true},
	{"--interactive", NULL, true},
	{"--help", NULL, true},
};

struct kv {
	char *key;
	const char *val;
	const char *flag;
};

static int usage(char *err, int errlen, const char *fmt, const char *arg)
{
	snprintf(err, errlen, fmt, arg);
	return -EINVAL;
}

/* --cpu-weight -> cpu_weight; the generic form of every key. */
static char *key_of(const char *flag, size_t n)
{
	char *k = strndup(flag + 2, n - 2);

	for (char *p = k; p && *p; p++)
		if (*p == '-')
			*p = '_';
	return k;
}

static int own_flag(const char *flag, const char *val, struct run_flags *ret)
{
	if (!strcmp(flag, "--name"))
		ret->name = val;
	else if (!strcmp(flag, "--rm"))
		ret->rm = true;
	else if (!strcmp(flag, "--help"))
		ret->help = true;
	else
		ret->interactive = true;
	return 0;
}

/* --ulimit nofile=1024:4096, --security-opt seccomp=FILE and --storage-opt size=N become
 * key and value. */
static int docker_pair(struct kv *kv, const char *flag, char *err, int errlen)
{
	const char *eq = strchr(kv->val, '=');
	char *key;

	if (!strcmp(flag, "--security-opt")) {
		if (strncmp(kv->val, "seccomp=", 8) != 0)
			return usage(err, errlen,
				     "--security-opt: only seccomp=VALUE is known, not '%s'",
				     kv->val);
		kv->val += 8;
		return 0;
	}
	if (!strcmp(flag, "--storage-opt")) {
		if (strncmp(kv->val, "size=", 5) != 0)
			return usage(err, errlen,
				     "--storage-opt: only size=VALUE is known, not '%s'", kv->val);
		kv->val += 5;
		return 0;
	}
	if (!eq)
		return usage(err, errlen, "--ulimit: '%s' is not NAME=SOFT[:HARD]", kv->val);
	key = malloc(strlen("rlimit_") + (eq - kv->val) + 1);
	if (!key)
		return -ENOMEM;
	sprintf(key, "rlimit_%.*s", (int)(eq - kv->val), kv->val);
	free(kv->key);
	kv->key = key;
	kv->val = eq + 1;
	return 0;
}

int spec_parse_run_flags(struct spec_set *set, int argc, char **argv, const char *default_name,
			 struct run_flags *ret, char *err, int errlen)
{
	struct kv *kvs = calloc(argc, sizeof(*kvs));
	size_t n = 0;
	int i, r = 0;

	if (!kvs)
		return -ENOMEM;
	*ret = (struct run_flags){.name = default_name};
	for (i = 1; i < argc && r == 0; i++) {
		const char *arg = argv[i], *eq = strchr(arg, '='), *val = NULL;
		size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
		const struct alias *a = NULL;

		if (!strcmp(arg, "--")) {
			i++;
			break;
		}
		if (arg[0] != '-' || !arg[1])
			break;
		for (size_t j = 0; j < ARRAY_SIZE(aliases); j++)
			if (strlen(aliases[j].flag) == len && !strncmp(aliases[j].flag, arg, len))
				a = &aliases[j];
		if (!a && (arg[1] != '-' || len < 3)) {
			r = usage(err, errlen, "unknown flag '%s'", arg);
			break;
		}
		if (eq)
			val = eq + 1;
		else if (!a || !a->boolean) {
			/* Every key but the boolean ones takes a value: --readonly is a flag. */
			bool boolean = !a && (!strcmp(arg, "--readonly") ||
					      !strcmp(arg, "--timens") || !strcmp(arg, "--init"));

			if (boolean)
				val = "true";
			else if (i + 1 < argc)
				val = argv[++i];
			else {
				r = usage(err, errlen, "flag '%s' needs a value", arg);
				break;
			}
		} else if (a->key) {
			val = "true";
		}
		if (a && !a->key) {
			if (!strcmp(a->flag, "--name") && !val)
				r = usage(err, errlen, "flag '%s' needs a value", arg);
			else
				r = own_flag(a->flag, val, ret);
			continue;
		}
		kvs[n].flag = arg;
		kvs[n].val = val;
		kvs[n].key = a ? strdup(a->key) : key_of(arg, len);
		if (!kvs[n].key) {
			r = -ENOMEM;
			break;
		}
		n++;
		if (a && (!strcmp(a->flag, "--ulimit") || !strcmp(a->flag, "--security-opt") ||
			  !strcmp(a->flag, "--storage-opt")))
			r = docker_pair(&kvs[n - 1], a->flag, err, errlen);
	}
	if (r == 0 && !ret->help && i >= argc)
		r = usage(err, errlen, "%s",
			  "an IMAGE is needed: kbox run [FLAG...] IMAGE [CMD...]");
	ret->image = i;
	/* The name is known only now: --name may come last. The flags are one source. */
	set->serial++;
	for (size_t j = 0; r == 0 && j < n; j++) {
		char where[64];

		snprintf(where, sizeof(where), "%.*s", (int)strcspn(kvs[j].flag, "="), kvs[j].flag);
		r = spec_set_key(set, ret->name, kvs[j].key, kvs[j].val, where);
	}
	for (size_t j = 0; j < n; j++)
		free(kvs[j].key);
	free(kvs);
	return r;
}
