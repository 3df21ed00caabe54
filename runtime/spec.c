/* Container specs: one set of keys, read from the kernel command line and conf files. */
#include "spec.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"

#define ERRLEN 256

typedef int key_apply_fn(struct spec *s, const char *val, char *err);

struct key {
	const char *name;
	int id;
	key_apply_fn *apply;
};

static int fail(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, ERRLEN, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int set_str(char **dst, const char *val)
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

static int apply_image(struct spec *s, const char *val, char *err)
{
	if (val[0] != '/' && !spec_valid_name(val))
		return fail(err, "'%s' is not an image name or an absolute path", val);
	return set_str(&s->image, val);
}

static int apply_cmd(struct spec *s, const char *val, char *err)
{
	char **words;
	int r = spec_split_words(val, &words, err, ERRLEN);

	if (r < 0)
		return r;
	strv_free(s->cmd);
	s->cmd = words;
	return 0;
}

static int apply_workdir(struct spec *s, const char *val, char *err)
{
	if (val[0] != '/')
		return fail(err, "'%s' is not an absolute path", val);
	return set_str(&s->workdir, val);
}

static bool valid_hostname(const char *h)
{
	size_t n = strlen(h);

	if (n == 0 || n > 63 || h[0] == '-' || h[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)h[i]) && h[i] != '-' && h[i] != '.')
			return false;
	return true;
}

static int apply_hostname(struct spec *s, const char *val, char *err)
{
	if (!valid_hostname(val))
		return fail(err, "'%s' is not a valid hostname", val);
	return set_str(&s->hostname, val);
}

static int apply_pid(struct spec *s, const char *val, char *err)
{
	if (strcmp(val, "host") == 0)
		s->pid_host = true;
	else if (strcmp(val, "private") == 0)
		s->pid_host = false;
	else
		return fail(err, "'%s' is not host or private", val);
	return 0;
}

static int apply_env(struct spec *s, const char *val, char *err)
{
	const char *eq = strchr(val, '=');
	size_t klen = eq ? (size_t)(eq - val) : 0;

	if (klen == 0)
		return fail(err, "'%s' is not NAME=value", val);
	for (size_t i = 0; i < klen; i++)
		if (!isalnum((unsigned char)val[i]) && val[i] != '_')
			return fail(err, "'%.*s' is not a variable name", (int)klen, val);
	/* A later value for the same name replaces the earlier one, as in a shell. */
	for (size_t i = 0; s->env && s->env[i]; i++) {
		if (strncmp(s->env[i], val, klen + 1) == 0)
			return set_str(&s->env[i], val);
	}
	return strv_push(&s->env, val);
}

/* List keys (env) accumulate; every other key may be given once per source. */
static const struct key container_keys[] = {
	{"image", SK_IMAGE, apply_image},
	{"cmd", SK_CMD, apply_cmd},
	{"workdir", SK_WORKDIR, apply_workdir},
	{"hostname", SK_HOSTNAME, apply_hostname},
	{"pid", SK_PID, apply_pid},
	{"env", SK_ENV, apply_env},
};

static bool is_list_key(int id)
{
	return id == SK_ENV;
}

static int add_error(struct spec_set *set, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int add_error(struct spec_set *set, const char *fmt, ...)
{
	char buf[ERRLEN * 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return strv_push(&set->errors, buf);
}

/* Record an error against a container: it will not start. */
static int spec_error(struct spec_set *set, struct spec *s, const char *key, const char *reason,
		      const char *where)
{
	char buf[ERRLEN * 2];

	snprintf(buf, sizeof(buf), "%s: %s: %s (%s)", s->name, key, reason, where);
	if (!s->error && set_str(&s->error, buf) < 0)
		return -ENOMEM;
	return strv_push(&set->errors, buf);
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

static int set_container_key(struct spec_set *set, const char *name, const char *key,
			     const char *val, const char *where)
{
	char err[ERRLEN];
	struct spec *s;

	if (!spec_valid_name(name))
		return add_error(set, "'%s': not a valid container name (%s)", name, where);
	s = spec_get(set, name);
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < ARRAY_SIZE(container_keys); i++) {
		const struct key *k = &container_keys[i];
		int r;

		if (strcmp(k->name, key) != 0)
			continue;
		if (!val)
			return spec_error(set, s, key, "missing '=value'", where);
		if (!is_list_key(k->id) && s->src[k->id] == set->serial) {
			snprintf(err, sizeof(err), "given twice, '%s' again", val);
			return spec_error(set, s, key, err, where);
		}
		s->src[k->id] = set->serial;
		r = k->apply(s, val, err);
		if (r == -EINVAL)
			return spec_error(set, s, key, err, where);
		return r;
	}
	return spec_error(set, s, key, "unknown key", where);
}

static int set_global_key(struct spec_set *set, const char *key, const char *val, const char *where)
{
	static const char *const names[] = {"hostname", "exit", "shell"};
	int id = -1;

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
		if (!valid_hostname(val))
			return add_error(set, "kbox.hostname: '%s' is not a valid hostname (%s)",
					 val, where);
		return set_str(&set->hostname, val);
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
	return set_container_key(set, name, key, val, "cmdline");
}

/*
 * The kernel's own rules (lib/cmdline.c, next_arg): blanks separate parameters except
 * inside double quotes; quotes are kept inside a parameter, but a value that starts with
 * a quote loses it and the matching one at the end. " -- " ends the kernel's part.
 */
int spec_parse_cmdline(struct spec_set *set, const char *cmdline)
{
	char *buf = strdup(cmdline), *p = buf;
	int r = 0;

	if (!buf)
		return -ENOMEM;
	set->serial++;
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
	return r;
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
	char loc[ERRLEN];
	int r = 0, lineno = 0;

	if (!buf)
		return -ENOMEM;
	set->serial++;
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
			r = set_container_key(set, name, key, val, loc);
		else
			r = set_global_key(set, key, val, loc);
	}
out:
	free(buf);
	return r;
}

int spec_finish(struct spec_set *set)
{
	static const char *const default_cmd[] = {"sh", NULL};

	for (struct spec *s = set->specs; s; s = s->next) {
		if (!s->image && set_str(&s->image, "busybox") < 0)
			return -ENOMEM;
		if (!s->cmd && !(s->cmd = strv_copy((char *const *)default_cmd)))
			return -ENOMEM;
		if (!s->hostname && set_str(&s->hostname, s->name) < 0)
			return -ENOMEM;
		if (!s->workdir && set_str(&s->workdir, "/") < 0)
			return -ENOMEM;
	}
	return 0;
}

void spec_set_init(struct spec_set *set)
{
	memset(set, 0, sizeof(*set));
}

void spec_set_free(struct spec_set *set)
{
	struct spec *s = set->specs, *next;

	for (; s; s = next) {
		next = s->next;
		free(s->name);
		free(s->image);
		strv_free(s->cmd);
		strv_free(s->env);
		free(s->workdir);
		free(s->hostname);
		free(s->error);
		free(s);
	}
	free(set->hostname);
	strv_free(set->errors);
	spec_set_init(set);
}
