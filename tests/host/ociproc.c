/* ociproc.t's driver: a bundle's process (struct spec_oci made here, as kbox oci's parser
 * will) started through rt_start and rt_exec, linked with kbox's own objects. Options:
 *   --root DIR --ns TYPE[=PATH] (pid,net,mnt,ipc,uts,user,cgroup) --map IN:OUT:N (uid and gid)
 *   --user UID:GID --gids G,G --umask OCT --caps BND:EFF:PRM:INH:AMB (hex) --nnp --oom N
 *   --hostname H --domainname D --cwd DIR --env K=V --time boottime|monotonic:SECS:NSECS
 *   --sc-default errno|allow --sc NAME:ERRNO[:IDX:OP:VALUE[:VALUE2]] (OP ne lt le eq ge gt me)
 *   --sc-flags N --create --terminal --exec CMD (sh -c CMD in the running container)
 *   --exec-pid PID (no start: exec into PID) --hook-cc PATH --hook-sc PATH -- ARGV...
 * Prints "stage N" (stderr) at each stage, "ready" for create, then the payload's status.
 * As `ociproc --clock monotonic|boottime` (static: also inside a container) it prints that
 * clock's seconds. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../runtime/runtime.h"
#include "../../runtime/spec/oci.h"

static const char *const nsnames[] = {"pid", "net", "mnt", "ipc", "uts", "user", "cgroup", "time"};

/* The created stage gives the startContainer hooks the pid as we see it. */
static int stage(int st, pid_t pid, void *arg)
{
	static char state[64];
	struct rt_oci *o = arg;

	fprintf(stderr, "stage %d\n", st);
	if (st == RT_STAGE_CREATED) {
		snprintf(state, sizeof(state), "{\"id\":\"t\",\"pid\":%d}", (int)pid);
		o->start_state_json = state;
	}
	return getenv("OCIPROC_FAIL_STAGE") && atoi(getenv("OCIPROC_FAIL_STAGE")) == st ? -1 : 0;
}

static enum oci_sc_op op_of(const char *s)
{
	static const char *const ops[] = {"ne", "lt", "le", "eq", "ge", "gt", "me"};

	for (int i = 0; i < 7; i++)
		if (strcmp(s, ops[i]) == 0)
			return i;
	exit(2);
}

static void add_rule(struct oci_seccomp *sc, char *arg)
{
	struct oci_sc_rule *r;
	char *f[6] = {0};
	int n = 0;

	for (char *p = strtok(arg, ":"); p && n < 6; p = strtok(NULL, ":"))
		f[n++] = p;
	sc->rules = realloc(sc->rules, (sc->nrules + 1) * sizeof(*sc->rules));
	r = &sc->rules[sc->nrules++];
	memset(r, 0, sizeof(*r));
	r->names = calloc(2, sizeof(char *));
	r->names[0] = f[0];
	r->action = strcmp(f[1], "allow") == 0	  ? OCI_SC_ALLOW
		    : strcmp(f[1], "notify") == 0 ? OCI_SC_NOTIFY
						  : OCI_SC_ERRNO;
	r->errno_ret = atoi(f[1]);
	if (n >= 5) {
		r->args = calloc(1, sizeof(*r->args));
		r->nargs = 1;
		r->args[0].index = atoi(f[2]);
		r->args[0].op = op_of(f[3]);
		r->args[0].value = strtoull(f[4], NULL, 0);
		r->args[0].value_two = n >= 6 ? strtoull(f[5], NULL, 0) : 0;
	}
}

static struct oci_hooks *hook(struct oci_hooks *h, char *path)
{
	h->list = realloc(h->list, (h->n + 1) * sizeof(*h->list));
	memset(&h->list[h->n], 0, sizeof(h->list[0]));
	h->list[h->n].path = path;
	h->list[h->n++].timeout = 5;
	return h;
}

/* Take the pty's master from the console socket and copy what the payload writes. */
static void relay_console(int sock)
{
	char name[64] = "", cbuf[CMSG_SPACE(sizeof(int))], buf[4096];
	struct iovec iov = {name, sizeof(name) - 1};
	struct msghdr m = {.msg_iov = &iov,
			   .msg_iovlen = 1,
			   .msg_control = cbuf,
			   .msg_controllen = sizeof(cbuf)};
	int master;
	ssize_t n;

	if (recvmsg(sock, &m, 0) <= 0 || !CMSG_FIRSTHDR(&m)) {
		printf("console: no master\n");
		return;
	}
	memcpy(&master, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
	printf("console: %s\n", name);
	fflush(stdout);
	while ((n = read(master, buf, sizeof(buf))) > 0)
		(void)!write(1, buf, n);
}

int main(int argc, char **argv)
{
	static struct spec spec;
	static struct spec_oci oci;
	static struct oci_seccomp sc = {.default_action = OCI_SC_ALLOW};
	static struct oci_idmap map;
	struct rt_oci o = {.start_fd = -1,
			   .console_fd = -1,
			   .pidfd = -1,
			   .state_json = "{\"id\":\"t\"}",
			   .stage = stage,
			   .stage_arg = &o};
	struct rt_opts opts = {.cgroup_fd = -1, .stdio = {0, 1, 2}, .oci = &o};
	char fifo[64] = "", *exec_cmd = NULL, **env = calloc(1, sizeof(char *));
	int console[2] = {-1, -1}, i, status, fd, r, env_n = 0;
	bool create = false, use_sc = false;
	pid_t pid, exec_pid = 0;

	/* runc's default mounts, which ociproc.t's payloads read (/proc) and use (/dev/pts). */
	static struct oci_mount mounts[] = {
		{.dst = "/proc", .src = "proc", .type = "proc"},
		{.dst = "/dev",
		 .src = "tmpfs",
		 .type = "tmpfs",
		 .flags = MS_NOSUID,
		 .data = "mode=755,size=65536k"},
		{.dst = "/dev/pts",
		 .src = "devpts",
		 .type = "devpts",
		 .flags = MS_NOSUID | MS_NOEXEC,
		 .data = "newinstance,ptmxmode=0666,mode=0620"},
	};

	if (argc == 3 && !strcmp(argv[1], "--clock")) {
		struct timespec ts;

		clock_gettime(strcmp(argv[2], "boottime") ? CLOCK_MONOTONIC : CLOCK_BOOTTIME, &ts);
		printf("%lld\n", (long long)ts.tv_sec);
		return 0;
	}
	oci.mounts = mounts;
	oci.nmounts = 3;
	spec.name = "t";
	spec.workdir = "/";
	spec.seccomp = "unconfined";
	spec.oci = &oci;
	oci.ns[2].set = true; /* mnt */
	oci.caps.bounding = oci.caps.effective = oci.caps.permitted = ~0ULL >> 23;
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		char *a = argv[i], *v = argv[i + 1];

		if (!strcmp(a, "--create")) {
			create = true;
			continue;
		}
		if (!strcmp(a, "--nnp")) {
			oci.no_new_privileges = true;
			continue;
		}
		if (!strcmp(a, "--terminal")) {
			oci.terminal = true;
			oci.console_width = 77;
			oci.console_height = 11;
			continue;
		}
		i++;
		if (!strcmp(a, "--root"))
			oci.root = v;
		else if (!strcmp(a, "--ns")) {
			char *eq = strchr(v, '=');
			int t;

			if (eq)
				*eq++ = '\0';
			for (t = 0; t < OCI_NS_COUNT && strcmp(nsnames[t], v); t++)
				;
			if (t == OCI_NS_COUNT)
				return 2;
			oci.ns[t].set = true;
			oci.ns[t].path = eq;
		} else if (!strcmp(a, "--map")) {
			sscanf(v, "%u:%u:%u", &map.inside, &map.outside, &map.count);
			oci.uid_maps = oci.gid_maps = &map;
			oci.nuid_maps = oci.ngid_maps = 1;
		} else if (!strcmp(a, "--user"))
			sscanf(v, "%u:%u", &oci.uid, &oci.gid);
		else if (!strcmp(a, "--gids")) {
			for (char *p = strtok(v, ","); p; p = strtok(NULL, ",")) {
				oci.additional_gids = realloc(oci.additional_gids,
							      (oci.nadditional_gids + 1) * 4);
				oci.additional_gids[oci.nadditional_gids++] = atoi(p);
			}
		} else if (!strcmp(a, "--umask")) {
			oci.has_umask = true;
			oci.umask = strtoul(v, NULL, 8);
		} else if (!strcmp(a, "--caps"))
			sscanf(v, "%lx:%lx:%lx:%lx:%lx", &oci.caps.bounding, &oci.caps.effective,
			       &oci.caps.permitted, &oci.caps.inheritable, &oci.caps.ambient);
		else if (!strcmp(a, "--oom")) {
			oci.has_oom_score_adj = true;
			oci.oom_score_adj = atoi(v);
		} else if (!strcmp(a, "--hostname"))
			spec.hostname = v;
		else if (!strcmp(a, "--time")) {
			bool boot = !strncmp(v, "boottime:", 9);

			oci.has_time_offsets = true;
			sscanf(strchr(v, ':') + 1, "%ld:%u",
			       boot ? &oci.boottime_secs : &oci.monotonic_secs,
			       boot ? &oci.boottime_nsecs : &oci.monotonic_nsecs);
		} else if (!strcmp(a, "--domainname"))
			oci.domainname = v;
		else if (!strcmp(a, "--cwd"))
			spec.workdir = v;
		else if (!strcmp(a, "--env")) {
			env = realloc(env, (env_n + 2) * sizeof(char *));
			env[env_n++] = v;
			env[env_n] = NULL;
		} else if (!strcmp(a, "--sc-default")) {
			use_sc = true;
			sc.default_action = !strcmp(v, "allow") ? OCI_SC_ALLOW : OCI_SC_ERRNO;
			sc.default_errno = !strcmp(v, "allow") ? 0 : atoi(v);
		} else if (!strcmp(a, "--sc")) {
			use_sc = true;
			add_rule(&sc, v);
		} else if (!strcmp(a, "--sc-flags"))
			sc.flags = atoi(v);
		else if (!strcmp(a, "--exec"))
			exec_cmd = v;
		else if (!strcmp(a, "--exec-pid"))
			exec_pid = atoi(v);
		else if (!strcmp(a, "--hook-cc"))
			hook(&oci.hooks[OCI_HOOK_CREATE_CONTAINER], v);
		else if (!strcmp(a, "--hook-sc"))
			hook(&oci.hooks[OCI_HOOK_START_CONTAINER], v);
		else if (!strcmp(a, "--start-fd"))
			o.start_fd = atoi(v);
		else
			return 2;
	}
	if (use_sc)
		oci.seccomp = &sc;
	spec.argv = argv + i + 1;
	spec.run_env = env;
	if (exec_pid) {
		char *sh[] = {"sh", "-c", exec_cmd, NULL};

		pid = rt_exec(&spec, &opts, exec_pid, opts.stdio, sh);
		if (pid < 0)
			return 125;
		waitpid(pid, &status, 0);
		return rt_exit_code(status);
	}
	if (create && o.start_fd < 0) {
		snprintf(fifo, sizeof(fifo), "/tmp/ociproc-fifo.%d", getpid());
		if (mkfifo(fifo, 0600) < 0)
			return 3;
		o.start_fd = open(fifo, O_PATH | O_CLOEXEC);
	}
	if (oci.terminal) {
		socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, console);
		o.console_fd = console[0];
	}
	pid = rt_start(&spec, &opts, &fd);
	if (pid < 0)
		return 125;
	if (console[0] >= 0)
		close(console[0]);
	r = rt_start_result("t", fd);
	if (r < 0) {
		waitpid(pid, NULL, 0);
		if (fifo[0])
			unlink(fifo);
		return 125;
	}
	if (fifo[0]) {
		char path[64], buf[64] = "";
		bool waiting = false;
		int rd;

		/* Set up, and blocked opening the fifo (open, openat), not running the payload. */
		snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
		for (int n = 0; n < 500 && !waiting; n++) {
			FILE *f = fopen(path, "r");

			waiting = f && fgets(buf, sizeof(buf), f) &&
				  (!strncmp(buf, "2 ", 2) || !strncmp(buf, "257 ", 4));
			if (f)
				fclose(f);
			if (!waiting)
				usleep(10000);
		}
		printf("ready: waiting=%s\n", waiting ? "yes" : "no");
		fflush(stdout);
		rd = open(fifo, O_RDONLY | O_CLOEXEC);
		printf("fifo said '%.*s'\n", (int)read(rd, buf, sizeof(buf)), buf);
		fflush(stdout);
		close(rd);
		unlink(fifo);
	}
	if (console[1] >= 0)
		relay_console(console[1]);
	if (exec_cmd) {
		char *sh[] = {"sh", "-c", exec_cmd, NULL};
		pid_t relay = rt_exec(&spec, &opts, pid, opts.stdio, sh);

		if (relay > 0) {
			waitpid(relay, &status, 0);
			printf("exec: %d\n", rt_exit_code(status));
		} else {
			printf("exec: refused\n");
		}
		fflush(stdout);
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return rt_exit_code(status);
}
