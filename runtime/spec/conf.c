/* The conf file front end: the "key = value" lines of one file, for a container or for the
 * globals, go to the set as one source, each error with its file and line. */
#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A comment starts a line or follows a blank, so values may hold '#'. */
static void strip_comment(char *line)
{
	for (char *hash = line; (hash = strchr(hash, '#')); hash++) {
		if (hash == line || isspace((unsigned char)hash[-1])) {
			*hash = '\0';
			return;
		}
	}
}

/* One line, LOC its place in errors: blank, or "key = value" (or a key without a value). */
static int conf_line(struct spec_set *set, const char *name, char *line, const char *loc)
{
	char *key, *val;

	strip_comment(line);
	key = trim(line);
	if (!*key)
		return 0;
	val = strchr(key, '=');
	if (val) {
		*val = '\0';
		val = trim(val + 1);
		key = trim(key);
	}
	if (name)
		return spec_set_key(set, name, key, val, loc);
	return spec_set_global(set, key, val, loc);
}

int spec_parse_conf(struct spec_set *set, const char *name, const char *text, const char *where)
{
	char *buf = strdup(text), *line, *next;
	char loc[SPEC_ERRLEN];
	int r = 0, q, lineno = 0;

	if (!buf)
		return -ENOMEM;
	spec_source_begin(set, true);
	if (name && !spec_valid_name(name)) {
		r = spec_set_error(set, "'%s': not a valid container name (%s)", name, where);
		goto out;
	}
	for (line = buf; line && r == 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		snprintf(loc, sizeof(loc), "%s:%d", where, ++lineno);
		r = conf_line(set, name, line, loc);
	}
out:
	free(buf);
	q = spec_source_end(set, name, where);
	return r ? r : q;
}
