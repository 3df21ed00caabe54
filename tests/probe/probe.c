/* probe: reports from inside a container what a test cannot see from outside.
 *   probe try NAME...   attempt each system call harmlessly; print NAME=OK or NAME=ERRNO
 *   probe seals PATH    print the memfd seals of the file PATH opens: seals=write,...
 *   probe ctl MODE [NAME]  misbehave on kbox's control socket: garbage, empty, long,
 *                       vanish (stop NAME, gone before the answer), connect (and close),
 *                       ps-vanish, exec-vanish (exec in NAME with our stdio, and go),
 *                       many N (N connections asking ps, all closed unread)
 *   probe compat        a 32-bit and an x32 call: OK, failed, SIGSYS or another signal
 *   probe escape        from the cwd and from every directory fd, climb: is the appliance's /
 *                       (its /init) or its control socket in reach? root=ESCAPED|held
 *                       appliance=REACHED|unseen ctl=CONNECTED|ERRNO
 *   probe plant PATH TARGET   replace the empty directory PATH by a symlink to TARGET and
 *                       exit 1 (a restart follows it); if PATH is a symlink already, escape
 *   probe fds [PID]     the fds PID (default: the probe) holds: fds=0 1 2
 *   probe open PATH...  open each read-write, then write (null) or read one byte:
 *                       NAME=OK or NAME=ERRNO
 *   probe size PATH...  NAME=st_size or NAME=ERRNO
 *   probe cat PATH      its first line: NAME=line or NAME=ERRNO
 *   probe sti TEXT      push TEXT into the input of the terminal on fd 0, 1 or 2 (TIOCSTI,
 *                       CVE-2017-5226): sti=OK (on the first that took it) or sti=ERRNO
 *   probe sigqueue PID SIG FROM   send SIG (a number) to PID with rt_sigqueueinfo, whose
 *                       siginfo claims it came from pid FROM: sigqueue=OK or ERRNO
 *   probe signal-init   signal 0 to PID 1 by each call that names a pid (kill, tkill,
 *                       tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_send_signal on
 *                       /proc/1) and kill to ourselves: signal-init=kill:OK,tkill:EPERM,...
 *   probe fifo PATH LINE   wait until something opens the FIFO PATH to read, print the most
 *                       capabilities a process in sight holds (fifo-caps=HEX), write LINE
 *   probe orphans N     make N orphans, as fast as it can: each a grandchild whose parent
 *                       exits first, so that the nearest reaper (PID 1, with pid=host) has it
 *   probe tty SECONDS   watch for a process of our namespace whose stdin is a terminal we
 *                       were not given (kbox exec's caller's): tty=MAJ:MIN open=.. ptrace=..
 *   probe pipefill      raise stdout's pipe to its largest size, fill it with short lines
 *                       without blocking, and exit: PID 1 reads all of it at our exit
 *   probe vhangup       hang up our controlling terminal (the console, from its shell)
 *   probe steal SECONDS watch the pid namespace for a process (a kbox exec before its
 *                       execve) whose fds, read through /proc/PID/fd, lead out of our root:
 *                       steal=escaped WHAT, or steal=none seen=N (fd dirs that opened) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <dirent.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/swap.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../lib/ctl.h"
#include "../../lib/paths.h"

static const char *errname(int e)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {{EPERM, "EPERM"},	   {ENOSYS, "ENOSYS"}, {EACCES, "EACCES"},
		     {EINVAL, "EINVAL"},   {EFAULT, "EFAULT"}, {ENOENT, "ENOENT"},
		     {EBADF, "EBADF"},	   {ENOKEY, "ENOKEY"}, {EBUSY, "EBUSY"},
		     {ENXIO, "ENXIO"},	   {ENOSPC, "ENOSPC"}, {ELOOP, "ELOOP"},
		     {ENOTDIR, "ENOTDIR"}, {EXDEV, "EXDEV"},   {ECONNREFUSED, "ECONNREFUSED"},
		     {ENOTTY, "ENOTTY"}};
	static char buf[16];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

static int probe_connect(void)
{
	int fd = ctl_connect(KBOX_CONTROL_SOCK);

	if (fd < 0) {
		printf("ctl=%s\n", errname(-fd));
		return -1;
	}
	return fd;
}

/* A request of words as kbox's CLI sends it, with our stdin, stdout and stderr if FDS. */
static void probe_send(int fd, const char *const *words, bool fds)
{
	char buf[512];
	ssize_t len = ctl_pack(buf, sizeof(buf), words, -1);

	if (len >= 0)
		ctl_send(fd, buf, len, fds);
}

/* Send kbox's control socket something it must survive; print what comes back. */
static int ctl(const char *mode, const char *arg)
{
	static char big[70000];
	const char *name = arg ? arg : "web";
	char buf[4096];
	ssize_t n;
	int fd;

	if (!strcmp(mode, "many")) {
		int want = arg ? atoi(arg) : 100, fds[256], k = 0;
		const char *ps[] = {"ps", NULL};

		for (; k < want && k < 256 && (fds[k] = probe_connect()) >= 0; k++)
			probe_send(fds[k], ps, false);
		for (int i = 0; i < k; i++)
			close(fds[i]);
		printf("ctl=many-%d\n", k);
		return 0;
	}
	fd = probe_connect();
	if (fd < 0)
		return 1;
	if (!strcmp(mode, "connect") || !strcmp(mode, "ps-vanish") ||
	    !strcmp(mode, "exec-vanish")) {
		const char *ps[] = {"ps", NULL}, *ex[] = {"exec", name, "sleep", "1", NULL};

		if (mode[0] == 'p')
			probe_send(fd, ps, false);
		else if (mode[0] == 'e')
			probe_send(fd, ex, true);
		close(fd);
		printf("ctl=gone\n");
		return 0;
	}
	if (!strcmp(mode, "garbage"))
		send(fd, "\xff\xfe no NUL at the end", 24, 0);
	else if (!strcmp(mode, "empty"))
		send(fd, "", 1, 0);
	else if (!strcmp(mode, "long"))
		send(fd, big, sizeof(big), 0);
	else if (!strcmp(mode, "vanish")) {
		/* Ask for something that is answered later, and go. */
		const char *stop[] = {"stop", name, NULL};

		probe_send(fd, stop, false);
		close(fd);
		printf("ctl=gone\n");
		return 0;
	}
	while ((n = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		printf("ctl-%c=%s\n", buf[0], buf + 1);
	}
	return 0;
}

/* CVE-2024-21626: from a cwd outside the root (or from a directory fd it holds), climbing
 * leads to the appliance's own /. */
static int escape(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX, .sun_path = "run/kbox/control.sock"};
	int here = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC), out = 0, reached = 0, ctl_err = 0;
	struct stat top, root, st;

	for (int from = -1; from < 64; from++) {
		int fd;

		if (from >= 0 && (from == here || fstat(from, &st) < 0 || !S_ISDIR(st.st_mode)))
			continue;
		if (fchdir(from < 0 ? here : from) < 0)
			continue;
		for (int i = 0; i < 64; i++)
			if (chdir("..") < 0)
				break;
		out |= stat(".", &top) == 0 && stat("/", &root) == 0 &&
		       (top.st_dev != root.st_dev || top.st_ino != root.st_ino);
		/* /init is kbox in the appliance's root; no image has one. */
		reached |= access("init", F_OK) == 0 && access("etc/kbox", F_OK) == 0;
		fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			ctl_err = -1;
		else if (!ctl_err)
			ctl_err = errno;
		if (fd >= 0)
			close(fd);
	}
	printf("root=%s\n", out ? "ESCAPED" : "held");
	printf("appliance=%s\n", reached ? "REACHED" : "unseen");
	printf("ctl=%s\n", ctl_err < 0 ? "CONNECTED" : errname(ctl_err));
	return out || reached;
}

static int plant(const char *path, const char *target)
{
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return escape();
	if (rmdir(path) < 0 || symlink(target, path) < 0) {
		printf("plant=%s\n", errname(errno));
		return 2;
	}
	printf("planted %s -> %s\n", path, target);
	return 1;
}

static int fds(const char *pid)
{
	char path[64], list[512] = "";
	struct dirent *de;
	size_t len = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	d = opendir(path);
	if (!d) {
		printf("fds=%s\n", errname(errno));
		return 1;
	}
	while ((de = readdir(d)) && len < sizeof(list) - 16) {
		if (de->d_name[0] == '.' || (!strcmp(pid, "self") && atoi(de->d_name) == dirfd(d)))
			continue;
		len += snprintf(list + len, sizeof(list) - len, "%s%s", len ? " " : "", de->d_name);
	}
	closedir(d);
	printf("fds=%s\n", list);
	return 0;
}

static void use(const char *path)
{
	char c = 0, copy[PATH_MAX];
	int fd = open(path, O_RDWR | O_NOCTTY), ok;

	snprintf(copy, sizeof(copy), "%s", path);
	if (fd >= 0) {
		ok = !strcmp(basename(copy), "null") ? write(fd, &c, 1) == 1 : read(fd, &c, 1) == 1;
		snprintf(copy, sizeof(copy), "%s", path);
		printf("%s=%s\n", basename(copy), ok ? "OK" : errname(errno));
		close(fd);
		return;
	}
	printf("%s=%s\n", basename(copy), errname(errno));
}

static void size(const char *path)
{
	char copy[PATH_MAX];
	struct stat st;

	snprintf(copy, sizeof(copy), "%s", path);
	if (stat(path, &st) < 0)
		printf("%s=%s\n", basename(copy), errname(errno));
	else
		printf("%s=%lld\n", basename(copy), (long long)st.st_size);
}

static void cat(const char *path)
{
	char copy[PATH_MAX], line[256];
	FILE *f = fopen(path, "r");

	snprintf(copy, sizeof(copy), "%s", path);
	if (!f) {
		printf("%s=%s\n", basename(copy), errname(errno));
		return;
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	line[strcspn(line, "\n")] = '\0';
	printf("%s=%s\n", basename(copy), line);
	fclose(f);
}

static long clone_flag(unsigned long flag)
{
	long pid = syscall(SYS_clone, flag | SIGCHLD, NULL, NULL, NULL, 0);

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return pid < 0 ? -1 : 0;
}

static long attempt(const char *name)
{
	struct timespec now;

	if (!strcmp(name, "mount"))
		return mount("none", "/tmp", "tmpfs", 0, NULL);
	if (!strcmp(name, "umount"))
		return umount2("/sys", MNT_DETACH);
	if (!strcmp(name, "unshare"))
		return unshare(CLONE_NEWNS);
	if (!strcmp(name, "setns"))
		return setns(open("/proc/self/ns/mnt", O_RDONLY), CLONE_NEWNS);
	if (!strcmp(name, "clone_newuser"))
		return clone_flag(CLONE_NEWUSER);
	if (!strcmp(name, "clone_newns"))
		return clone_flag(CLONE_NEWNS);
	if (!strcmp(name, "keyctl"))
		return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
	if (!strcmp(name, "add_key"))
		return syscall(SYS_add_key, "user", "probe", "x", 1, KEY_SPEC_SESSION_KEYRING);
	if (!strcmp(name, "request_key"))
		return syscall(SYS_request_key, "user", "probe", NULL, 0);
	if (!strcmp(name, "bpf"))
		return syscall(SYS_bpf, 0, NULL, 0);
	if (!strcmp(name, "reboot")) /* bad magic: harmless where it is allowed */
		return syscall(SYS_reboot, 0, 0, 0, NULL);
	if (!strcmp(name, "pivot_root"))
		return syscall(SYS_pivot_root, "/tmp", "/tmp");
	if (!strcmp(name, "perf_event_open"))
		return syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0);
	if (!strcmp(name, "userfaultfd"))
		return syscall(SYS_userfaultfd, 0);
	if (!strcmp(name, "kexec_load"))
		return syscall(SYS_kexec_load, 0, 0, NULL, 0);
	if (!strcmp(name, "init_module"))
		return syscall(SYS_init_module, NULL, 0, "");
	if (!strcmp(name, "ptrace1")) { /* PID 1 of the probe's pid namespace */
		long r = ptrace(PTRACE_ATTACH, 1, NULL, NULL);

		if (r == 0)
			ptrace(PTRACE_DETACH, 1, NULL, NULL);
		return r;
	}
	if (!strcmp(name, "raw_socket") || !strcmp(name, "packet_socket")) {
		int fd = name[0] == 'r' ? socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)
					: socket(AF_PACKET, SOCK_RAW, 0);

		if (fd >= 0)
			close(fd);
		return fd;
	}
	if (!strcmp(name, "swapon"))
		return swapon("/nonexistent", 0);
	if (!strcmp(name, "open_by_handle_at"))
		return syscall(SYS_open_by_handle_at, AT_FDCWD, NULL, 0);
	if (!strcmp(name, "clock_settime")) {
		clock_gettime(CLOCK_REALTIME, &now);
		return clock_settime(CLOCK_REALTIME, &now);
	}
	if (!strcmp(name, "io_uring_setup")) {
		unsigned int params[30] = {0}; /* struct io_uring_params, zeroed */
		long fd = syscall(425, 1, params);

		if (fd >= 0)
			close(fd);
		return fd;
	}
	if (!strcmp(name, "io_uring_enter") || !strcmp(name, "io_uring_register"))
		return syscall(name[9] == 'e' ? 426 : 427, -1, 0, 0, 0, NULL, 0);
	/* Docker's allowed personas, and READ_IMPLIES_EXEC, which it is not */
	if (!strcmp(name, "personality0") || !strcmp(name, "personality_query"))
		return syscall(SYS_personality, name[11] ? 0xffffffffUL : 0UL);
	if (!strcmp(name, "personality_rie")) {
		long r = syscall(SYS_personality, 0x0400000UL);

		if (r >= 0)
			syscall(SYS_personality, r);
		return r;
	}
	if (!strcmp(name, "clone_newnet"))
		return clone_flag(CLONE_NEWNET);
	if (!strcmp(name, "clone3") || !strcmp(name, "clone3_newnet")) {
		unsigned long long args[8] = {name[6] ? CLONE_NEWNET : 0, [4] = SIGCHLD};
		long pid = syscall(435, args, sizeof(args));

		if (pid == 0)
			_exit(0);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		return pid < 0 ? -1 : 0;
	}
	/* Past the last call the filter knows: one from a later kernel (file_getattr, 6.17),
	 * and one no kernel has yet. */
	if (!strcmp(name, "file_getattr"))
		return syscall(468, -1, "", NULL, 0, 0);
	if (!strcmp(name, "nr1000"))
		return syscall(1000, 0, 0, 0, 0, 0, 0);
	if (!strcmp(name, "process_madvise"))
		return syscall(440, -1, NULL, 0, 0, 0);
	if (!strcmp(name, "pidfd_getfd"))
		return syscall(438, -1, 0, 0);
	/* AF_ALG and AF_VSOCK (Docker refuses both); _hi: with bits above the int the kernel
	 * reads, which a 64-bit compare of the family would let through */
	if (!strncmp(name, "socket_", 7)) {
		unsigned long family = name[7] == 'a' ? 38 : 40;
		long fd;

		if (strstr(name, "_hi"))
			family |= 1UL << 32;
		fd = syscall(SYS_socket, family, name[7] == 'a' ? SOCK_SEQPACKET : SOCK_STREAM, 0);
		if (fd >= 0)
			close(fd);
		return fd;
	}
	errno = ENOSYS;
	return -2;
}

/* An fd of PID PID that is a directory out of our root: what it leads to, or NULL. */
static const char *steal_from(int pid, const struct stat *root, unsigned long *seen)
{
	static char what[400];
	char path[64];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d)
		return NULL;
	(*seen)++;
	while ((de = readdir(d))) {
		struct stat st;
		int fd, top;

		if (de->d_name[0] == '.' || atoi(de->d_name) < 3)
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		top = openat(fd, "../../../../../../../../..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		close(fd);
		if (top < 0)
			continue;
		if (fstat(top, &st) == 0 &&
		    (st.st_dev != root->st_dev || st.st_ino != root->st_ino)) {
			snprintf(what, sizeof(what), "fd %s of pid %d reaches a / not ours%s",
				 de->d_name, pid,
				 faccessat(top, "run/kbox/control.sock", F_OK, 0) == 0
					 ? ", with /run/kbox/control.sock in it"
					 : "");
			close(top);
			closedir(d);
			return what;
		}
		close(top);
	}
	closedir(d);
	return NULL;
}

static volatile sig_atomic_t stop_stealing;

static void on_term(int sig)
{
	stop_stealing = sig;
}

/* probe steal: every process of our namespace but us, over and over, until SIGTERM. */
static int steal(int seconds)
{
	time_t end = time(NULL) + seconds;
	unsigned long seen = 0, escapes = 0;
	struct stat root;

	if (stat("/", &root) < 0)
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGTERM, on_term);
	printf("steal=watching\n");
	while (time(NULL) < end && !stop_stealing) {
		DIR *d = opendir("/proc");
		struct dirent *de;

		if (!d) {
			printf("steal=%s\n", errname(errno));
			return 1;
		}
		while ((de = readdir(d))) {
			int p = atoi(de->d_name);
			const char *what =
				p > 1 && p != getpid() ? steal_from(p, &root, &seen) : NULL;

			/* Said once; the watch goes on, so that kbox exec still finds us. */
			if (what && !escapes++)
				printf("steal=escaped %s\n", what);
		}
		closedir(d);
	}
	printf("steal=%s seen=%lu escapes=%lu\n", escapes ? "escaped" : "none", seen, escapes);
	return 0;
}

/* probe compat: a 32-bit (int 0x80) and an x32 system call, each in a child; how it ends. */
static int compat(void)
{
	for (int i = 0; i < 2; i++) {
		const char *what;
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			long r = 20; /* getpid on i386; 39 with the x32 bit on x86_64 */

			if (i == 0)
				__asm__ volatile("int $0x80" : "+a"(r) : : "memory");
			else
				r = syscall(0x40000000 | 39);
			_exit(r < 0 ? 1 : 0);
		}
		waitpid(pid, &status, 0);
		what = WEXITSTATUS(status) ? "failed" : "OK";
		if (WIFSIGNALED(status))
			what = WTERMSIG(status) == SIGSYS ? "SIGSYS" : "another signal";
		printf("%s=%s\n", i ? "x32" : "int80", what);
	}
	return 0;
}

/* What a payload types into the terminal it was started from runs after it, outside. */
static int sti(const char *text)
{
	int e = ENOTTY;

	for (int fd = 0; fd < 3; fd++) {
		const char *p;

		if (!isatty(fd))
			continue;
		for (p = text; *p && ioctl(fd, TIOCSTI, p) == 0; p++)
			;
		if (!*p) {
			printf("sti=OK\n");
			return 0;
		}
		e = errno;
	}
	printf("sti=%s\n", errname(e));
	return 0;
}

/* A setup step that reads a file of the container's, made a FIFO, waits for us: whatever
 * is blocked in it is in sight with the capabilities it has meanwhile. */
static int fifo(const char *path, const char *line)
{
	unsigned long long most = 0;
	struct dirent *de;
	int fd;
	DIR *d;

	while ((fd = open(path, O_WRONLY | O_NONBLOCK)) < 0 && errno == ENXIO)
		usleep(10000);
	if (fd < 0) {
		printf("fifo=%s\n", errname(errno));
		return 1;
	}
	d = opendir("/proc");
	while (d && (de = readdir(d))) {
		char file[300], buf[4096], *p;
		ssize_t n;
		int sfd;

		snprintf(file, sizeof(file), "/proc/%s/status", de->d_name);
		sfd = de->d_name[0] >= '0' && de->d_name[0] <= '9' ? open(file, O_RDONLY) : -1;
		n = sfd < 0 ? -1 : read(sfd, buf, sizeof(buf) - 1);
		if (sfd >= 0)
			close(sfd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		p = strstr(buf, "\nCapEff:");
		if (p && strtoull(p + 8, NULL, 16) > most)
			most = strtoull(p + 8, NULL, 16);
	}
	if (d)
		closedir(d);
	printf("fifo-caps=%016llx\n", most);
	fflush(stdout);
	dprintf(fd, "%s\n", line);
	close(fd);
	return 0;
}

static int sigqueue_from(pid_t pid, int sig, pid_t from)
{
	siginfo_t si = {0};

	si.si_signo = sig;
	si.si_code = SI_QUEUE;
	si.si_pid = from;
	si.si_uid = 0;
	printf("sigqueue=%s\n",
	       syscall(SYS_rt_sigqueueinfo, pid, sig, &si) < 0 ? errname(errno) : "OK");
	return 0;
}

static const char *sent(long r)
{
	return r < 0 ? errname(errno) : "OK";
}

static int signal_init(void)
{
	siginfo_t si = {.si_code = SI_QUEUE, .si_pid = getpid()};
	int fd = open("/proc/1", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	printf("signal-init=kill:%s,", sent(kill(1, 0)));
	printf("tkill:%s,", sent(syscall(SYS_tkill, 1, 0)));
	printf("tgkill:%s,", sent(syscall(SYS_tgkill, 1, 1, 0)));
	printf("sigqueue:%s,", sent(syscall(SYS_rt_sigqueueinfo, 1, 0, &si)));
	printf("tgsigqueue:%s,", sent(syscall(SYS_rt_tgsigqueueinfo, 1, 1, 0, &si)));
	printf("pidfd:%s,",
	       fd < 0 ? errname(errno) : sent(syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0)));
	printf("self:%s\n", sent(kill(getpid(), 0)));
	return 0;
}

static int one(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "signal-init") == 0)
		return signal_init();
	if (argc == 5 && strcmp(argv[1], "sigqueue") == 0)
		return sigqueue_from(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	if (argc == 4 && strcmp(argv[1], "fifo") == 0)
		return fifo(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "sti") == 0)
		return sti(argv[2]);
	if (argc == 3 && strcmp(argv[1], "seals") == 0) {
		int fd = open(argv[2], O_RDONLY | O_CLOEXEC), seals;

		seals = fd < 0 ? -1 : fcntl(fd, F_GET_SEALS);
		if (seals < 0)
			printf("seals=%s\n", errname(errno));
		else
			printf("seals=%s%s%s%s\n", seals & F_SEAL_SEAL ? "seal," : "",
			       seals & F_SEAL_SHRINK ? "shrink," : "",
			       seals & F_SEAL_GROW ? "grow," : "",
			       seals & F_SEAL_WRITE ? "write" : "");
		return 0;
	}
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "ctl") == 0)
		return ctl(argv[2], argc == 4 ? argv[3] : NULL);
	if (argc == 2 && strcmp(argv[1], "compat") == 0)
		return compat();
	if (argc == 2 && strcmp(argv[1], "escape") == 0)
		return escape();
	if (argc == 4 && strcmp(argv[1], "plant") == 0)
		return plant(argv[2], argv[3]);
	if (argc <= 3 && argc >= 2 && strcmp(argv[1], "fds") == 0)
		return fds(argc == 3 ? argv[2] : "self");
	if (argc >= 3 &&
	    (!strcmp(argv[1], "open") || !strcmp(argv[1], "size") || !strcmp(argv[1], "cat"))) {
		for (int i = 2; i < argc; i++)
			argv[1][0] == 'o'   ? use(argv[i])
			: argv[1][0] == 's' ? size(argv[i])
					    : cat(argv[i]);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "orphans") == 0) {
		int n = atoi(argv[2]), made = 0;

		for (int i = 0; i < n; i++) {
			pid_t pid = fork();

			if (pid == 0) {
				if (fork() == 0)
					_exit(0);
				_exit(0);
			}
			if (pid > 0 && waitpid(pid, NULL, 0) == pid)
				made++;
		}
		printf("orphans=%d\n", made);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "tty") == 0) {
		time_t end = time(NULL) + atoi(argv[2]);
		struct stat ours;

		setvbuf(stdout, NULL, _IOLBF, 0);
		if (fstat(0, &ours) < 0)
			ours.st_rdev = 0;
		printf("tty=watching\n");
		while (time(NULL) < end) {
			DIR *d = opendir("/proc");
			struct dirent *de;

			while (d && (de = readdir(d))) {
				int pid = atoi(de->d_name), fd;
				char path[64];
				struct stat st;
				long r;

				snprintf(path, sizeof(path), "/proc/%d/fd/0", pid);
				if (pid <= 1 || pid == getpid() || stat(path, &st) < 0 ||
				    !S_ISCHR(st.st_mode) || st.st_rdev == ours.st_rdev)
					continue;
				fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
				printf("tty=%u:%u of pid %d open=%s", major(st.st_rdev),
				       minor(st.st_rdev), pid, fd >= 0 ? "OK" : errname(errno));
				if (fd >= 0)
					close(fd);
				r = ptrace(PTRACE_ATTACH, pid, NULL, NULL);
				printf(" ptrace=%s\n", r == 0 ? "OK" : errname(errno));
				if (r == 0) {
					waitpid(pid, NULL, __WALL);
					ptrace(PTRACE_DETACH, pid, NULL, NULL);
				}
				closedir(d);
				return 0;
			}
			if (d)
				closedir(d);
		}
		printf("tty=none\n");
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "pipefill") == 0) {
		static char lines[65536];
		long n = 0;
		ssize_t w;

		for (size_t i = 0; i < sizeof(lines); i += 2)
			memcpy(lines + i, "y\n", 2);
		fcntl(1, F_SETPIPE_SZ, 1 << 20);
		fcntl(1, F_SETFL, O_NONBLOCK);
		while ((w = write(1, lines, sizeof(lines))) > 0)
			n += w;
		dprintf(2, "pipefill=%ld\n", n);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "vhangup") == 0) {
		signal(SIGHUP, SIG_IGN);
		if (vhangup() < 0) {
			printf("vhangup=%s\n", errname(errno));
			return 1;
		}
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "steal") == 0)
		return steal(atoi(argv[2]));
	if (argc < 3 || strcmp(argv[1], "try") != 0) {
		fprintf(stderr, "usage: probe try SYSCALL... | probe seals PATH\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		long r;

		errno = 0;
		r = attempt(argv[i]);
		printf("%s=%s\n", argv[i], r == -2 ? "UNKNOWN" : r >= 0 ? "OK" : errname(errno));
	}
	return 0;
}

/* Several probes in one run, for images without a shell: probe A ARGS + B ARGS... */
int main(int argc, char **argv)
{
	int code = 0;

	for (int i = 1, start = 0; i <= argc; i++) {
		if (i < argc && strcmp(argv[i], "+"))
			continue;
		argv[start] = argv[0];
		code = one(i - start, argv + start);
		fflush(stdout);
		start = i;
	}
	return code;
}
