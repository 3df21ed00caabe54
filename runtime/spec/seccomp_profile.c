/* seccomp=FILE profiles: a small line format, parsed here without system calls. */
#include "seccomp_profile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool valid_syscall_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

int seccomp_profile_parse(const char *text, const char *where, struct seccomp_profile *ret,
			  char *err, int errlen)
{
	struct seccomp_profile p = {0};
	char *buf = strdup(text), *line, *next;
	int lineno = 0, r = 0;

	if (!buf)
		return -ENOMEM;
	for (line = buf; line && r == 0; line = next) {
		char *save = NULL, *word;
		bool allow;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		line[strcspn(line, "#")] = '\0';
		word = strtok_r(line, " \t\r", &save);
		if (!word)
			continue;
		if (strcmp(word, "default") == 0) {
			word = strtok_r(NULL, " \t\r", &save);
			if (!word || (strcmp(word, "allow") && strcmp(word, "deny")) ||
			    strtok_r(NULL, " \t\r", &save)) {
				snprintf(err, errlen, "%s:%d: 'default' takes allow or deny", where,
					 lineno);
				r = -EINVAL;
				break;
			}
			p.default_deny = strcmp(word, "deny") == 0;
			continue;
		}
		if (strcmp(word, "allow") && strcmp(word, "deny")) {
			snprintf(err, errlen, "%s:%d: '%s' is not default, allow or deny", where,
				 lineno, word);
			r = -EINVAL;
			break;
		}
		allow = strcmp(word, "allow") == 0;
		if (!(word = strtok_r(NULL, " \t\r", &save))) {
			snprintf(err, errlen, "%s:%d: no system call after '%s'", where, lineno,
				 allow ? "allow" : "deny");
			r = -EINVAL;
			break;
		}
		for (; word && r == 0; word = strtok_r(NULL, " \t\r", &save)) {
			struct seccomp_rule *nr;

			if (!valid_syscall_name(word)) {
				snprintf(err, errlen, "%s:%d: '%s' is not a system call name",
					 where, lineno, word);
				r = -EINVAL;
				break;
			}
			nr = realloc(p.rules, (p.nrules + 1) * sizeof(*nr));
			if (!nr) {
				r = -ENOMEM;
				break;
			}
			p.rules = nr;
			nr[p.nrules] = (struct seccomp_rule){strdup(word), allow, lineno};
			if (!nr[p.nrules++].name)
				r = -ENOMEM;
		}
	}
	free(buf);
	if (r < 0) {
		seccomp_profile_free(&p);
		return r;
	}
	*ret = p;
	return 0;
}

void seccomp_profile_free(struct seccomp_profile *p)
{
	for (size_t i = 0; i < p->nrules; i++)
		free(p->rules[i].name);
	free(p->rules);
	memset(p, 0, sizeof(*p));
}
