/* probe: reports from inside a container what a test cannot see from outside.
 *   probe try NAME...   attempt each system call harmlessly; print NAME=OK or NAME=ERRNO
 *   probe seals PATH    print the memfd seals of the file PATH opens: seals=write,...
 *   probe ctl MODE      misbehave on kbox's control socket: garbage, empty, long, vanish
 *   probe compat        a 32-bit and an x32 call: OK, failed, SIGSYS or another signal */
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <netinet/in.h>
#include <sys/ptrace.h>
#include <sys/swap.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *errname(int e)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {{EPERM, "EPERM"},	 {ENOSYS, "ENOSYS"}, {EACCES, "EACCES"},
		     {EINVAL, "EINVAL"}, {EFAULT, "EFAULT"}, {ENOENT, "ENOENT"},
		     {EBADF, "EBADF"},	 {ENOKEY, "ENOKEY"}, {EBUSY, "EBUSY"}};
	static char buf[16];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

/* Send kbox's control socket something it must survive; print what comes back. */
static int ctl(const char *mode)
{
	static char big[70000];
	struct sockaddr_un sa = {.sun_family = AF_UNIX, .sun_path = "/run/kbox/control.sock"};
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	char buf[4096];
	ssize_t n;

	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		printf("ctl=%s\n", errname(errno));
		return 1;
	}
	if (!strcmp(mode, "garbage"))
		send(fd, "\xff\xfe no NUL at the end", 24, 0);
	else if (!strcmp(mode, "empty"))
		send(fd, "", 1, 0);
	else if (!strcmp(mode, "long"))
		send(fd, big, sizeof(big), 0);
	else if (!strcmp(mode, "vanish")) {
		/* Ask for something that is answered later, and go. */
		send(fd, "stop\0web\0", 10, 0);
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

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "seals") == 0) {
		int fd = open(argv[2], O_RDONLY | O_CLOEXEC), seals;

		seals = fd < 0 ? -1 : fcntl(fd, F_GET_SEALS);
		if (seals < 0)
			printf("seals=%s\n", errname(errno));
		else
			printf("seals=%s%s%s%s\n", seals & F_SEAL_SEAL ? "seal," : "",
			       seals & F_SEAL_SHRINK ? "shrink," : "", seals & F_SEAL_GROW ? "grow," : "",
			       seals & F_SEAL_WRITE ? "write" : "");
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "ctl") == 0)
		return ctl(argv[2]);
	if (argc == 2 && strcmp(argv[1], "compat") == 0)
		return compat();
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
