/* The third front end of the spec language: kbox run's flags, Docker's spellings included,
 * go to the set as one source under the container's name. Pure code, no system calls. */
#include "runflags.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"

/* run's own flags, which set no key. */
enum own {
	OWN_NONE,
	OWN_NAME,
	OWN_RM,
	OWN_INTERACTIVE,
	OWN_HELP,
};

/* Docker's spellings, and the keys they set; or one of run's own flags. */
static const struct alias {
	const char *flag, *key;
	bool boolean;
	enum own own;
} aliases[] = {
	{"-e", "env", false, OWN_NONE},
	{"--env", "env", false, OWN_NONE},
	{"-u", "user", false, OWN_NONE},
	{"-w", "workdir", false, OWN_NONE},
	{"-h", "hostname", false, OWN_NONE},
	{"-m", "memory", false, OWN_NONE},
	{"-v", "bind", false, OWN_NONE},       /* or volume: see key_flag */
	{"--volume", "bind", false, OWN_NONE}, /* the same */
	{"--read-only", "readonly", true, OWN_NONE},
	{"--readonly", "readonly", true, OWN_NONE},
	{"--timens", "timens", true, OWN_NONE},
	{"--cap-add", "caps_add", false, OWN_NONE},
	{"--cap-drop", "caps_drop", false, OWN_NONE},
	{"--pids-limit", "pids", false, OWN_NONE},
	{"-p", "publish", false, OWN_NONE},
	{"--network", "net", false, OWN_NONE},
	{"--cpuset-cpus", "cpuset", false, OWN_NONE},
	{"--ulimit", "rlimit_", false, OWN_NONE},	    /* --ulimit NAME=VALUE */
	{"--security-opt", "seccomp", false, OWN_NONE},	    /* only seccomp=VALUE */
	{"--storage-opt", "storage_size", false, OWN_NONE}, /* only size=VALUE */
	{"--entrypoint", "entrypoint", false, OWN_NONE},    /* one word, as Docker's */
	{"--name", NULL, false, OWN_NAME},
	{"--rm", NULL, true, OWN_RM},
	{"-i", NULL, true, OWN_INTERACTIVE},
	{"--interactive", NULL, true, OWN_INTERACTIVE},
	{"--help", NULL, true, OWN_HELP},
};

struct kv {
	char *key;
	const char *val;
	const char *flag;
	char *quoted; /* val's storage, when it is made here */
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

static void own_flag(enum own own, const char *val, struct run_flags *ret)
{
	switch (own) {
	case OWN_NAME:
		ret->name = val;
		break;
	case OWN_RM:
		ret->rm = true;
		break;
	case OWN_HELP:
		ret->help = true;
		break;
	case OWN_INTERACTIVE:
	case OWN_NONE:
		ret->interactive = true;
		break;
	}
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

/*
 * --entrypoint PROG is one word, spaces and quotes included, as Docker takes it; the key's
 * value is words (spec_split_words). Quoted for it: single quotes around all but a single
 * quote, which goes in double ones ("a'b" is 'a'"'"'b'). "" stays "": no entrypoint.
 */
static int one_word(struct kv *kv)
{
	char *q = malloc(strlen(kv->val) * 5 + 3), *o = q;

	if (!q)
		return -ENOMEM;
	if (*kv->val)
		*o++ = '\'';
	for (const char *p = kv->val; *p; p++) {
		if (*p == '\'') {
			memcpy(o, "'\"'\"'", 5);
			o += 5;
		} else {
			*o++ = *p;
		}
	}
	if (*kv->val)
		*o++ = '\'';
	*o = '\0';
	kv->quoted = q;
	kv->val = q;
	return 0;
}

/* The alias ARG's first LEN bytes spell, or NULL. */
static const struct alias *find_alias(const char *arg, size_t len)
{
	for (size_t j = 0; j < ARRAY_SIZE(aliases); j++)
		if (strlen(aliases[j].flag) == len && !strncmp(aliases[j].flag, arg, len))
			return &aliases[j];
	return NULL;
}

/* The value of flag argv[*i] (alias A, or NULL for a key's own name): after its '=', or the
 * next argument (*i moves on), or "true" for a boolean; NULL for one of run's own booleans. */
static int flag_value(int argc, char **argv, int *i, const struct alias *a, const char **ret,
		      char *err, int errlen)
{
	const char *arg = argv[*i], *eq = strchr(arg, '=');

	*ret = NULL;
	if (eq) {
		*ret = eq + 1;
	} else if (a && a->boolean) {
		if (a->key)
			*ret = "true";
	} else if (!a && (!strcmp(arg, "--readonly") || !strcmp(arg, "--timens") ||
			  !strcmp(arg, "--init"))) {
		/* Every key but the boolean ones takes a value: --readonly is a flag. */
		*ret = "true";
	} else if (*i + 1 < argc) {
		*ret = argv[++*i];
	} else {
		return usage(err, errlen, "flag '%s' needs a value", arg);
	}
	return 0;
}

/* One flag that sets a key: its key and value into KV. */
static int key_flag(struct kv *kv, const char *arg, size_t len, const struct alias *a,
		    const char *val, char *err, int errlen)
{
	kv->flag = arg;
	kv->val = val;
	/* Docker's rule: -v NAME:/path is a named volume, -v /src:/path a bind. */
	if (a && !strcmp(a->key, "bind") && val[0] != '/')
		kv->key = strdup("volume");
	else
		kv->key = a ? strdup(a->key) : key_of(arg, len);
	if (!kv->key)
		return -ENOMEM;
	if (a && (!strcmp(a->flag, "--ulimit") || !strcmp(a->flag, "--security-opt") ||
		  !strcmp(a->flag, "--storage-opt")))
		return docker_pair(kv, a->flag, err, errlen);
	if (a && !strcmp(a->flag, "--entrypoint"))
		return one_word(kv);
	return 0;
}

/* The flags become keys of container NAME, all of them one source. */
static int apply_keys(struct spec_set *set, const char *name, const struct kv *kvs, size_t n)
{
	int r = 0;

	spec_source_begin(set, false);
	for (size_t j = 0; r == 0 && j < n; j++) {
		char where[64];

		snprintf(where, sizeof(where), "%.*s", (int)strcspn(kvs[j].flag, "="), kvs[j].flag);
		r = spec_set_key(set, name, kvs[j].key, kvs[j].val, where);
	}
	return r;
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
		const char *arg = argv[i], *eq = strchr(arg, '='), *val;
		size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
		const struct alias *a = find_alias(arg, len);

		if (!strcmp(arg, "--")) {
			i++;
			break;
		}
		if (arg[0] != '-' || !arg[1])
			break;
		if (!a && (arg[1] != '-' || len < 3))
			r = usage(err, errlen, "unknown flag '%s'", arg);
		else
			r = flag_value(argc, argv, &i, a, &val, err, errlen);
		if (r < 0)
			break;
		if (a && !a->key)
			own_flag(a->own, val, ret);
		else
			r = key_flag(&kvs[n++], arg, len, a, val, err, errlen);
	}
	if (r == 0 && !ret->help && i >= argc)
		r = usage(err, errlen, "%s",
			  "an IMAGE is needed: kbox run [FLAG...] IMAGE [CMD...]");
	ret->image = i;
	/* The name is known only now: --name may come last. */
	if (r == 0)
		r = apply_keys(set, ret->name, kvs, n);
	for (size_t j = 0; j < n; j++) {
		free(kvs[j].key);
		free(kvs[j].quoted);
	}
	free(kvs);
	return r;
}
