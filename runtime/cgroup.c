/* cgroup v2: init's own leaf, controller delegation, one leaf per container. */
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"

/* Turn on in DIR's subtree_control every controller DIR has. */
static int cg_delegate(const char *dir)
{
	char path[PATH_MAX], want[256] = "";
	_cleanup_free_ char *have = NULL;
	int r;

	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	r = read_file(AT_FDCWD, path, &have, NULL);
	if (r < 0)
		return log_errno(r, "cannot read '%s'", path);
	for (char *tok = strtok(have, " \n"); tok; tok = strtok(NULL, " \n")) {
		size_t n = strlen(want);

		snprintf(want + n, sizeof(want) - n, "%s+%s", n ? " " : "", tok);
	}
	if (!want[0])
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	r = write_file(AT_FDCWD, path, want);
	if (r < 0)
		return log_errno(r, "cannot write '%s' to '%s'", want, path);
	return 0;
}

int cg_setup_root(void)
{
	int r;

	/* No process may sit in an inner node once controllers are on: init goes first. */
	if (mkdir(CG_ROOT "/init", 0755) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot create '%s'", CG_ROOT "/init");
	r = write_file(AT_FDCWD, CG_ROOT "/init/cgroup.procs", "0");
	if (r < 0)
		return log_errno(r, "cannot move init into '%s'", CG_ROOT "/init");
	r = cg_delegate(CG_ROOT);
	if (r < 0)
		return r;
	if (mkdir(CG_ROOT "/kbox", 0755) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot create '%s'", CG_ROOT "/kbox");
	return cg_delegate(CG_ROOT "/kbox");
}

int cg_create(const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), CG_ROOT "/kbox/%s", name);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return log_errno(-errno, "%s: cannot create cgroup '%s'", name, path);
	fd = open(path, O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return log_errno(-errno, "%s: cannot open cgroup '%s'", name, path);
	return fd;
}

int cg_kill(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), CG_ROOT "/kbox/%s/cgroup.kill", name);
	return write_file(AT_FDCWD, path, "1");
}

int cg_remove(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), CG_ROOT "/kbox/%s", name);
	if (rmdir(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}
