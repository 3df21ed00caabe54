/* cgroup v2: init's own leaf, controller delegation, one leaf per container. */
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "devices.h"

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
	if (mkdir(CG_KBOX, 0755) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot create '%s'", CG_KBOX);
	return cg_delegate(CG_KBOX);
}

int cg_setup_host(void)
{
	struct statfs sf;

	if (statfs(CG_ROOT, &sf) < 0 || sf.f_type != CGROUP2_SUPER_MAGIC)
		return -EOPNOTSUPP;
	if (mkdir(CG_KBOX, 0755) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot create '%s'", CG_KBOX);
	return cg_delegate(CG_KBOX);
}

const char *cg_first_limit(const struct spec *spec)
{
	const struct {
		const char *key;
		bool set;
	} limits[] = {
		{"memory", spec->memory},	{"memory_swap", spec->memory_swap},
		{"cpus", spec->cpus_milli},	{"cpu_weight", spec->cpu_weight},
		{"pids", spec->pids},		{"cpuset", spec->cpuset},
		{"io_weight", spec->io_weight},
	};

	for (size_t i = 0; i < ARRAY_SIZE(limits); i++)
		if (limits[i].set)
			return limits[i].key;
	return NULL;
}

int cg_create(const char *name)
{
	char path[PATH_MAX];
	int fd, r;

	snprintf(path, sizeof(path), CG_KBOX "/%s", name);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return log_errno(-errno, "%s: cannot create cgroup '%s'", name, path);
	fd = open(path, O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return log_errno(-errno, "%s: cannot open cgroup '%s'", name, path);
	/* CAP_MKNOD is in the default set: this is what keeps it from the host's devices. */
	r = dev_allowlist_attach(fd);
	if (r < 0) {
		close(fd);
		return log_errno(r, "%s: cannot attach the device allowlist to '%s'", name, path);
	}
	return fd;
}

static int cg_set(int leaf_fd, const struct spec *spec, const char *key, const char *file,
		  const char *val)
{
	_cleanup_close_ int fd = openat(leaf_fd, file, O_WRONLY | O_CLOEXEC);

	/* memory.swap.max also needs swap accounting; every other file, its controller. */
	if (fd < 0 && errno == ENOENT) {
		log_msg("%s: %s: no %s here: the %.*s controller is not enabled for kbox's cgroups",
			spec->name, key, file, (int)strcspn(file, "."), file);
		return -ENOENT;
	}
	if (fd < 0)
		return log_errno(-errno, "%s: %s: cannot open %s", spec->name, key, file);
	if (write_all(fd, val, strlen(val)) < 0)
		return log_errno(-errno, "%s: %s: cannot write '%s' to %s", spec->name, key, val,
				 file);
	return 0;
}

static void fmt_limit(char *buf, size_t len, long long v)
{
	if (v == SPEC_UNLIMITED)
		snprintf(buf, len, "max");
	else
		snprintf(buf, len, "%lld", v);
}

int cg_apply_limits(int leaf_fd, const struct spec *s)
{
	char val[64];
	int r = 0;

	if (s->memory) {
		fmt_limit(val, sizeof(val), s->memory);
		r = cg_set(leaf_fd, s, "memory", "memory.max", val);
	}
	if (r == 0 && s->memory_swap) {
		/* Docker's memory_swap counts memory too; memory.swap.max is swap alone. */
		fmt_limit(val, sizeof(val),
			  s->memory_swap == SPEC_UNLIMITED ? SPEC_UNLIMITED
							   : s->memory_swap - s->memory);
		r = cg_set(leaf_fd, s, "memory_swap", "memory.swap.max", val);
	}
	if (r == 0 && s->cpus_milli) {
		long online = sysconf(_SC_NPROCESSORS_ONLN);

		if (online > 0 && s->cpus_milli > online * 1000) {
			log_msg("%s: cpus: %g is more than the %ld CPUs available", s->name,
				s->cpus_milli / 1000.0, online);
			return -EINVAL;
		}
		/* cpus=0.5: 50 ms of CPU time in every 100 ms period. */
		snprintf(val, sizeof(val), "%u 100000", s->cpus_milli * 100);
		r = cg_set(leaf_fd, s, "cpus", "cpu.max", val);
	}
	if (r == 0 && s->cpu_weight) {
		snprintf(val, sizeof(val), "%u", s->cpu_weight);
		r = cg_set(leaf_fd, s, "cpu_weight", "cpu.weight", val);
	}
	if (r == 0 && s->pids) {
		fmt_limit(val, sizeof(val), s->pids);
		r = cg_set(leaf_fd, s, "pids", "pids.max", val);
	} else if (r == 0 && faccessat(leaf_fd, "pids.max", F_OK, 0) == 0) {
		/* A default, so a thread storm in one container leaves forks to the others;
		 * where no pids controller is there to hold it, nobody asked for it. */
		snprintf(val, sizeof(val), "%d", SPEC_PIDS_DEFAULT);
		r = cg_set(leaf_fd, s, "pids", "pids.max", val);
	}
	if (r == 0 && s->cpuset)
		r = cg_set(leaf_fd, s, "cpuset", "cpuset.cpus", s->cpuset);
	if (r == 0 && s->io_weight) {
		snprintf(val, sizeof(val), "default %u", s->io_weight);
		r = cg_set(leaf_fd, s, "io_weight", "io.weight", val);
	}
	return r;
}

long cg_oom_kills(const char *name)
{
	_cleanup_free_ char *events = NULL;
	char path[PATH_MAX], *p;

	snprintf(path, sizeof(path), CG_KBOX "/%s/memory.events", name);
	if (read_file(AT_FDCWD, path, &events, NULL) < 0)
		return 0;
	p = strstr(events, "oom_kill ");
	return p ? strtol(p + strlen("oom_kill "), NULL, 10) : 0;
}

int cg_kill(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), CG_KBOX "/%s/cgroup.kill", name);
	return write_file(AT_FDCWD, path, "1");
}

int cg_remove(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), CG_KBOX "/%s", name);
	if (rmdir(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int cg_pid_leaf(pid_t pid, char *buf, size_t len)
{
	_cleanup_free_ char *text = NULL;
	char path[64], *p;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	r = read_file(AT_FDCWD, path, &text, NULL);
	if (r < 0)
		return r == -ENOENT ? -ESRCH : r;
	/* cgroup v2 only: "0::/kbox/NAME" */
	p = strstr(text, "0::/");
	if (!p || (p != text && p[-1] != '\n'))
		return -ENOENT;
	p += 3;
	p[strcspn(p, "\n")] = '\0';
	if (strncmp(p, "/kbox/", 6) != 0 || !p[6])
		return 0;
	snprintf(buf, len, "%.*s", (int)strcspn(p + 6, "/"), p + 6);
	return 1;
}
