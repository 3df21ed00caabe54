/* The kernel command line front end: "kbox.NAME.KEY=VALUE" and "kbox.KEY=VALUE" parameters,
 * split and unquoted by the kernel's own rules, go to the set as one source. */
#include "cmdline.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* One "kbox...." parameter, already unquoted: split at the first '=' and the dots. */
static int cmdline_param(struct spec_set *set, char *param)
{
	char *val = strchr(param, '='), *name, *key;

	if (val)
		*val++ = '\0';
	name = param + strlen("kbox.");
	key = strchr(name, '.');
	if (!key)
		return spec_set_global(set, name, val, "cmdline");
	*key++ = '\0';
	if (strchr(key, '.'))
		return spec_set_error(set, "kbox.%s.%s: too many dots in the key (cmdline)", name,
				      key);
	return spec_set_key(set, name, key, val, "cmdline");
}

/*
 * The kernel's own rules (lib/cmdline.c, next_arg): blanks separate parameters except
 * inside double quotes; quotes are kept inside a parameter, but a value that starts with
 * a quote loses it and the matching one at the end. Cuts the next parameter out of *p
 * (NUL-terminated in place) and moves *p past it; NULL at the end.
 */
static char *next_param(char **p)
{
	char *s = *p, *param, *eq;
	bool in_quote = false, quoted = false;
	size_t i;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return NULL;
	if (*s == '"') {
		s++;
		in_quote = quoted = true;
	}
	for (i = 0; s[i]; i++) {
		if (isspace((unsigned char)s[i]) && !in_quote)
			break;
		if (s[i] == '"')
			in_quote = !in_quote;
	}
	param = s;
	s += i;
	if (*s)
		*s++ = '\0';
	*p = s;
	eq = strchr(param, '=');
	if (eq && eq[1] == '"') {
		size_t n = strlen(eq + 2);

		memmove(eq + 1, eq + 2, n + 1);
		if (n && eq[n] == '"')
			eq[n] = '\0';
	} else if (quoted && i && param[i - 1] == '"') {
		param[i - 1] = '\0';
	}
	return param;
}

int spec_parse_cmdline(struct spec_set *set, const char *cmdline)
{
	char *buf = strdup(cmdline), *p = buf, *param;
	int r = 0, q;

	if (!buf)
		return -ENOMEM;
	spec_source_begin(set, true);
	/* " -- " ends the kernel's part: what follows is init's argv. */
	while (r == 0 && (param = next_param(&p)) && strcmp(param, "--") != 0)
		if (strncmp(param, "kbox.", 5) == 0)
			r = cmdline_param(set, param);
	free(buf);
	q = spec_source_end(set, NULL, "cmdline");
	return r ? r : q;
}
