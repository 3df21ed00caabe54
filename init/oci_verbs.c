/* kbox oci's verbs on a container that exists: state, kill, delete, ps, pause, resume;
 * and those on none: list, spec, features. */
#include "oci.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/syscalls.h"
#include "../lib/util.h"
#include "../runtime/cgroup_oci.h"
#include "../runtime/spec/capnames.h"
#include "../runtime/spec/oci.h"
#include "oci_args.h"

/* The one id of a verb that takes no flags. */
static const char *only_id(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		log_msg("usage: %s ID", argv[0]);
		return NULL;
	}
	return argv[1];
}

int oci_state_main(const struct oci_global *g, int argc, char **argv)
{
	const char *id = only_id(argc, argv);
	struct oci_ctr c;
	char *text;
	int r;

	if (!id)
		return -EINVAL;
	r = oci_ctr_open(g, id, OCI_OPEN_SHARED, &c);
	if (r < 0)
		return r;
	text = oci_state_json(&c, oci_status(&c), true);
	oci_ctr_close(&c);
	if (!text)
		return log_errno(-ENOMEM, "%s: state", id);
	puts(text);
	free(text);
	return 0;
}

/* Signal C's process through a pidfd opened while it was still the one create started. */
static int signal_pid(const struct oci_ctr *c, int sig)
{
	_cleanup_close_ int pidfd = sys_pidfd_open(c->pid, 0);

	if (pidfd < 0 || !oci_alive(c)) {
		log_msg("%s: container not running", c->id);
		return -ESRCH;
	}
	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
		return log_errno(-errno, "%s: kill", c->id);
	return 0;
}

int oci_kill_main(const struct oci_global *g, int argc, char **argv)
{
	bool all = false, stopped;
	struct oci_ctr c;
	int i = 1, sig = SIGTERM, r;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (oci_flag(argc, argv, &i, "all", NULL) || oci_flag(argc, argv, &i, "a", NULL)) {
			all = true;
		} else {
			log_msg("kill: flag provided but not defined: %s", argv[i]);
			return -EINVAL;
		}
	}
	if (i >= argc || argc - i > 2) {
		log_msg("usage: kill [--all] ID [SIGNAL]");
		return -EINVAL;
	}
	if (argc - i == 2 && (sig = oci_signal(argv[i + 1])) < 0) {
		log_msg("kill: '%s' is not a signal", argv[i + 1]);
		return -EINVAL;
	}
	r = oci_ctr_open(g, argv[i], 0, &c);
	if (r < 0)
		return r;
	stopped = oci_status(&c) == OCI_STOPPED;
	if (all && c.cgroup[0]) {
		/* As runc: the engine's kill --all after its init exited is for what the init
		 * left in its cgroup (a shared pid namespace's processes); none left is done. */
		r = cgo_kill(c.cgroup, sig);
		if (stopped && r == -ENOENT)
			r = 0;
		if (r < 0)
			log_errno(r, "%s: kill --all", c.id);
	} else if (stopped) {
		log_msg("%s: container not running", c.id);
		r = -ESRCH;
	} else {
		r = signal_pid(&c, sig);
	}
	oci_debug("%s: kill %s%d: %d", c.id, all ? "--all " : "", sig, r);
	oci_ctr_close(&c);
	return r;
}

/* What a create that died left: its cgroup (from the config's copy, when it got that far)
 * with whatever process it holds, and its directory. */
static void remove_orphan(struct oci_ctr *c)
{
	_cleanup_free_ char *text = NULL;
	struct spec *spec = NULL;
	char err[256];
	size_t len;

	/* Only its cgroup's path is wanted: the bundle is unknown, any will do. */
	if (faccessat(c->dirfd, "config.json", F_OK, AT_SYMLINK_NOFOLLOW) == 0 &&
	    oci_read_config(c->dirfd, c->id, &text, &len) == 0 &&
	    spec_oci_parse(text, len, "/", c->id, &spec, err, sizeof(err)) == 0 &&
	    cgo_path(spec, c->id, c->cgroup, sizeof(c->cgroup), err, sizeof(err)) < 0)
		c->cgroup[0] = '\0';
	oci_debug("%s: removing what a create that died left (cgroup '%s')", c->id, c->cgroup);
	oci_destroy(c, NULL);
	spec_oci_free(spec);
}

int oci_delete_main(const struct oci_global *g, int argc, char **argv)
{
	struct spec *spec = NULL;
	bool force = false;
	enum oci_status s;
	struct oci_ctr c;
	int i = 1, r;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (oci_flag(argc, argv, &i, "force", NULL) ||
		    oci_flag(argc, argv, &i, "f", NULL)) {
			force = true;
		} else {
			log_msg("delete: flag provided but not defined: %s", argv[i]);
			return -EINVAL;
		}
	}
	if (argc - i != 1) {
		log_msg("usage: delete [--force] ID");
		return -EINVAL;
	}
	/* runc's --force: an id that does not exist is not an error, nor said. */
	if (force && oci_id_ok(argv[i])) {
		char p[PATH_MAX];
		struct stat st;

		snprintf(p, sizeof(p), "%s/%s", g->root, argv[i]);
		if (lstat(p, &st) < 0 && errno == ENOENT)
			return 0;
	}
	r = oci_ctr_open(g, argv[i], OCI_OPEN_ORPHAN, &c);
	if (r < 0)
		return r;
	if (c.orphan) {
		remove_orphan(&c);
		return 0;
	}
	s = oci_status(&c);
	/* A created container has run nothing yet: runc deletes it without --force. */
	if ((s == OCI_RUNNING || s == OCI_PAUSED) && !force) {
		log_msg("%s: cannot delete a container that is %s (stop it, or --force)", c.id,
			oci_status_name(s));
		oci_ctr_close(&c);
		return -EBUSY;
	}
	/* Its hooks are the config's: without a readable copy, none run, the rest goes. */
	if (oci_ctr_spec(&c, &spec) < 0)
		spec = NULL;
	oci_destroy(&c, spec);
	spec_oci_free(spec);
	return 0;
}

int oci_ps_main(const struct oci_global *g, int argc, char **argv)
{
	_cleanup_free_ pid_t *pids = NULL;
	const char *format = "table", *v;
	struct oci_ctr c;
	size_t n = 0;
	int i = 1, r;

	for (; i < argc && argv[i][0] == '-'; i++) {
		v = "";
		if (oci_flag(argc, argv, &i, "format", &v) || oci_flag(argc, argv, &i, "f", &v)) {
			format = v;
		} else {
			log_msg("ps: flag provided but not defined: %s", argv[i]);
			return -EINVAL;
		}
		if (!v)
			return -EINVAL;
	}
	if (argc - i != 1 || (strcmp(format, "table") && strcmp(format, "json"))) {
		log_msg("usage: ps [--format table|json] ID");
		return -EINVAL;
	}
	r = oci_ctr_open(g, argv[i], OCI_OPEN_SHARED, &c);
	if (r < 0)
		return r;
	if (c.cgroup[0] && oci_status(&c) != OCI_STOPPED)
		r = cgo_pids(c.cgroup, &pids, &n);
	oci_ctr_close(&c);
	if (r < 0)
		return log_errno(r, "%s: ps", argv[i]);
	if (!strcmp(format, "json")) {
		fputs("[", stdout);
		for (size_t k = 0; k < n; k++)
			printf("%s%d", k ? "," : "", (int)pids[k]);
		puts("]");
		return 0;
	}
	puts("PID\tCMD");
	for (size_t k = 0; k < n; k++) {
		_cleanup_free_ char *comm = NULL;
		char path[32];

		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pids[k]);
		if (read_file(AT_FDCWD, path, &comm, NULL) == 0)
			comm[strcspn(comm, "\n")] = '\0';
		printf("%d\t%s\n", (int)pids[k], comm ? comm : "?");
	}
	return 0;
}

static int freeze(const struct oci_global *g, int argc, char **argv, bool frozen)
{
	const char *id = only_id(argc, argv);
	enum oci_status s;
	struct oci_ctr c;
	int r;

	if (!id)
		return -EINVAL;
	r = oci_ctr_open(g, id, 0, &c);
	if (r < 0)
		return r;
	s = oci_status(&c);
	if (s != (frozen ? OCI_RUNNING : OCI_PAUSED)) {
		log_msg("%s: cannot %s a container that is %s", id, frozen ? "pause" : "resume",
			oci_status_name(s));
		r = -EINVAL;
	} else if (!c.cgroup[0]) {
		log_msg("%s: %s: it has no cgroup", id, argv[0]);
		r = -EOPNOTSUPP;
	} else {
		r = cgo_freeze(c.cgroup, frozen);
		if (r < 0)
			log_errno(r, "%s: %s", id, argv[0]);
	}
	oci_ctr_close(&c);
	return r;
}

int oci_pause_main(const struct oci_global *g, int argc, char **argv)
{
	return freeze(g, argc, argv, true);
}

int oci_resume_main(const struct oci_global *g, int argc, char **argv)
{
	return freeze(g, argc, argv, false);
}

int oci_list_main(const struct oci_global *g, int argc, char **argv)
{
	const char *format = "table", *v;
	struct dirent *e;
	bool json, first = true;
	DIR *d;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		v = "";
		if (oci_flag(argc, argv, &i, "format", &v) || oci_flag(argc, argv, &i, "f", &v)) {
			format = v;
		} else if (oci_flag(argc, argv, &i, "quiet", NULL) ||
			   oci_flag(argc, argv, &i, "q", NULL)) {
			format = "quiet";
		} else {
			log_msg("list: flag provided but not defined: %s", argv[i]);
			return -EINVAL;
		}
		if (!v)
			return -EINVAL;
	}
	if (i != argc ||
	    (strcmp(format, "table") && strcmp(format, "json") && strcmp(format, "quiet"))) {
		log_msg("usage: list [--format table|json] [--quiet]");
		return -EINVAL;
	}
	json = !strcmp(format, "json");
	d = opendir(g->root);
	if (json)
		fputs("[", stdout);
	else if (strcmp(format, "quiet"))
		puts("ID\tPID\tSTATUS\tBUNDLE\tCREATED\tOWNER");
	while (d && (e = readdir(d))) {
		struct oci_ctr c;
		char *text;

		/* Not an id (a temporary file, a stray name): not a container of ours. */
		if (e->d_name[0] == '.' || strlen(e->d_name) > OCI_ID_MAX ||
		    e->d_name[strspn(e->d_name,
				     "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				     "0123456789_.+-")])
			continue;
		if (oci_ctr_open(g, e->d_name, OCI_OPEN_SHARED, &c) < 0)
			continue;
		if (json) {
			text = oci_state_json(&c, oci_status(&c), false);
			if (text)
				printf("%s%s", first ? "" : ",", text);
			free(text);
			first = false;
		} else if (!strcmp(format, "quiet")) {
			puts(c.id);
		} else {
			enum oci_status s = oci_status(&c);

			printf("%s\t%d\t%s\t%s\t%s\t%s\n", c.id, s == OCI_STOPPED ? 0 : (int)c.pid,
			       oci_status_name(s), c.bundle, c.created, "root");
		}
		oci_ctr_close(&c);
	}
	if (json)
		puts("]");
	if (d)
		closedir(d);
	return 0;
}

int oci_spec_main(const struct oci_global *g, int argc, char **argv)
{
	const char *bundle = ".", *v, *text;
	_cleanup_close_ int dfd = -1, fd = -1;
	bool rootless = false;
	int i = 1, r;

	for (; i < argc; i++) {
		v = "";
		if (oci_flag(argc, argv, &i, "bundle", &v) || oci_flag(argc, argv, &i, "b", &v)) {
			bundle = v;
		} else if (oci_flag(argc, argv, &i, "rootless", NULL)) {
			rootless = true;
		} else {
			log_msg("usage: spec [--bundle B] [--rootless]");
			return -EINVAL;
		}
		if (!v)
			return -EINVAL;
	}
	text = spec_oci_default(rootless, getuid(), getgid());
	dfd = open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return log_errno(-errno, "spec: bundle '%s'", bundle);
	fd = openat(dfd, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST) {
		log_msg("spec: '%s/config.json' exists already: not overwritten", bundle);
		return -EEXIST;
	}
	if (fd < 0)
		return log_errno(-errno, "spec: cannot create '%s/config.json'", bundle);
	r = write_all(fd, text, strlen(text));
	if (r < 0)
		return log_errno(r, "spec: cannot write '%s/config.json'", bundle);
	return 0;
}

static void json_caps(void)
{
	for (int i = 0; i < CAP_COUNT; i++)
		printf("%s\"CAP_%s\"", i ? ", " : "", cap_name(i));
}

int oci_features_main(const struct oci_global *g, int argc, char **argv)
{
	if (argc != 1) {
		log_msg("usage: features");
		return -EINVAL;
	}
	printf("{\n"
	       "  \"ociVersionMin\": \"1.0.0\",\n"
	       "  \"ociVersionMax\": \"" OCI_SPEC_VERSION "\",\n"
	       "  \"hooks\": [\"prestart\", \"createRuntime\", \"createContainer\", "
	       "\"startContainer\", \"poststart\", \"poststop\"],\n"
	       "  \"mountOptions\": [\"async\", \"atime\", \"bind\", \"defaults\", \"dev\", "
	       "\"diratime\", \"dirsync\", \"exec\", \"mand\", \"noatime\", \"nodev\", "
	       "\"nodiratime\", \"noexec\", \"nomand\", \"norelatime\", \"nostrictatime\", "
	       "\"nosuid\", \"private\", \"rbind\", \"relatime\", \"remount\", \"ro\", "
	       "\"rprivate\", \"rshared\", \"rslave\", \"runbindable\", \"rw\", \"shared\", "
	       "\"slave\", \"strictatime\", \"suid\", \"sync\", \"unbindable\"],\n"
	       "  \"linux\": {\n"
	       "    \"namespaces\": [\"cgroup\", \"ipc\", \"mount\", \"network\", \"pid\", "
	       "\"user\", \"uts\"],\n"
	       "    \"capabilities\": [");
	json_caps();
	printf("],\n"
	       "    \"cgroup\": {\"v1\": true, \"v2\": true, \"systemd\": false, "
	       "\"systemdUser\": false, \"rdma\": false},\n"
	       "    \"seccomp\": {\n"
	       "      \"enabled\": true,\n"
	       "      \"actions\": [\"SCMP_ACT_ALLOW\", \"SCMP_ACT_ERRNO\", "
	       "\"SCMP_ACT_KILL\", \"SCMP_ACT_KILL_PROCESS\", \"SCMP_ACT_KILL_THREAD\", "
	       "\"SCMP_ACT_LOG\", \"SCMP_ACT_TRAP\", \"SCMP_ACT_TRACE\"],\n"
	       "      \"operators\": [\"SCMP_CMP_EQ\", \"SCMP_CMP_GE\", \"SCMP_CMP_GT\", "
	       "\"SCMP_CMP_LE\", \"SCMP_CMP_LT\", \"SCMP_CMP_MASKED_EQ\", \"SCMP_CMP_NE\"],\n"
	       "      \"archs\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X32\"],\n"
	       "      \"knownFlags\": [\"SECCOMP_FILTER_FLAG_LOG\", "
	       "\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\", \"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],\n"
	       "      \"supportedFlags\": [\"SECCOMP_FILTER_FLAG_LOG\", "
	       "\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\", \"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]\n"
	       "    },\n"
	       "    \"apparmor\": {\"enabled\": false},\n"
	       "    \"selinux\": {\"enabled\": false},\n"
	       "    \"intelRdt\": {\"enabled\": false},\n"
	       "    \"mountExtensions\": {\"idmap\": {\"enabled\": false}}\n"
	       "  },\n"
	       "  \"annotations\": {\"org.opencontainers.runc.checkpoint.enabled\": \"false\"}\n"
	       "}\n");
	return 0;
}
