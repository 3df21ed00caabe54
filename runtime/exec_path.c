/* The payload's program in its own PATH: the one walk that exec and the lookup before it
 * (OCI's create and exec, which refuse a program that is not there) share. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "container.h"

const char *ct_env_path(char *const env[])
{
	const char *path = DEFAULT_PATH;

	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], "PATH=", 5) == 0)
			path = env[i] + 5;
	return path;
}

bool ct_path_next(const char **path, const char *name, char *buf, size_t len)
{
	const char *p = *path;
	size_t n;

	if (!*p)
		return false;
	n = strcspn(p, ":");
	snprintf(buf, len, "%.*s/%s", (int)n, n ? p : ".", name);
	p += n;
	if (*p == ':')
		p++;
	*path = p;
	return true;
}

/* execvpe() searches the caller's PATH; the payload's PATH is the one in its own env. */
void ct_exec_payload(char *const argv[], char *const env[])
{
	const char *path = ct_env_path(env);
	char buf[PATH_MAX];
	int first_err = ENOENT;

	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, env);
		return;
	}
	while (ct_path_next(&path, argv[0], buf, sizeof(buf))) {
		execve(buf, argv, env);
		/* Remember a file that exists but cannot run; keep looking for a better one. */
		if (errno != ENOENT && errno != ENOTDIR && first_err == ENOENT)
			first_err = errno;
	}
	errno = first_err;
}
