/* Container specs: one set of keys, read from the kernel command line and conf files.
 * Pure code: no system calls, so it is unit-tested and fuzzed on the host. */
#pragma once

#include <stdbool.h>

enum spec_exit {
	SPEC_EXIT_STAY,
	SPEC_EXIT_POWEROFF,
	SPEC_EXIT_REBOOT,
};

enum {
	SK_IMAGE,
	SK_CMD,
	SK_WORKDIR,
	SK_HOSTNAME,
	SK_PID,
	SK_ENV,
	SK_COUNT,
};

struct spec {
	struct spec *next;
	char *name;
	char *image;	   /* an image name under /images, or an absolute path */
	char **cmd;	   /* argv, NULL-terminated */
	char **env;	   /* NAME=value, NULL-terminated, later duplicates replace */
	char *workdir;	   /* absolute */
	char *hostname;	   /* defaults to the name */
	bool pid_host;	   /* share the init's pid namespace (docker --pid=host) */
	char *error;	   /* the first error: the container does not start */
	int src[SK_COUNT]; /* which source set each key, to catch duplicates */
};

struct spec_set {
	struct spec *specs; /* in order of first mention */
	char *hostname;
	enum spec_exit exit;
	bool shell;
	char **errors; /* every error, formatted "name: key: reason (where)" */
	int serial;    /* numbers the sources, see spec_set_key() */
	int gsrc[3];
};

void spec_set_init(struct spec_set *set);
void spec_set_free(struct spec_set *set);

/* Read "kbox.NAME.KEY=VALUE" and "kbox.KEY=VALUE" from a kernel command line.
 * Errors are recorded in the set; returns 0, or -ENOMEM. */
int spec_parse_cmdline(struct spec_set *set, const char *cmdline);
/* Read a conf file's text: "key = value" lines for container NAME, or the globals if
 * NAME is NULL. WHERE names the file in errors. Returns 0, or -ENOMEM. */
int spec_parse_conf(struct spec_set *set, const char *name, const char *text, const char *where);
/* Fill in defaults and check what needs every source read. */
int spec_finish(struct spec_set *set);

struct spec *spec_find(struct spec_set *set, const char *name);
/* Split a command into words: white space separates, single or double quotes group, nothing
 * else is special. Returns 0, -EINVAL with a reason in err, or -ENOMEM. */
int spec_split_words(const char *s, char ***ret_words, char *err, int errlen);
/* Container and image names: [A-Za-z0-9][A-Za-z0-9_-]*, at most 63 characters. */
bool spec_valid_name(const char *name);
