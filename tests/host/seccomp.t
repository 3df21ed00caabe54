#!/bin/bash
# The default seccomp allowlist under kbox run on this host: everyday programs still run
# (busybox applets, kbox-init, the probe), and what Docker's default profile leaves out
# fails: io_uring, personas, namespace flags of clone, clone3, later and unknown calls.
. "$(dirname "$0")/../lib.sh"
kbox=$out/kbox
img=$out/tests/seccomp-image
host_image "$img"
ok $? "a busybox image in $img"
for a in ps top dd mkfifo ping wget timeout head wc rm kill; do
	ln -sfn busybox "$img/bin/$a"
done
run() { "$kbox" run --rm "$@" 2>&1; }

# Everyday programs.
is "$(run "$img" sh -c 'echo $((6 * 7))')" 42 "sh -c"
is "$(run "$img" ls /bin/busybox)" /bin/busybox "ls"
is "$(run "$img" sh -c 'sleep 0.05 && echo slept')" slept "sleep"
is "$(run "$img" sh -c 'dd if=/dev/zero of=/tmp/z bs=1k count=4 2>&1 | head -n1; wc -c </tmp/z')" \
	"4+0 records in
4096" "dd"
is "$(run "$img" sh -c 'mkfifo /tmp/f && { echo through >/tmp/f & } && cat /tmp/f')" through \
	"mkfifo, a writer in the background, a reader"
is "$(run "$img" ps -o pid,comm | awk '{ print $1, $2 }' | tr '\n' ' ')" "PID COMMAND 1 ps " "ps"
run "$img" top -b -n1 | grep -q '^Mem:'
ok $? "top -b -n1"
is "$(run "$img" timeout 5 wget -q -O /dev/null http://127.0.0.1:9/)" \
	"wget: can't connect to remote host (127.0.0.1): Connection refused" \
	"wget to nowhere: refused by the network, not by the filter"
# With NET_RAW given, whatever the default set holds: a raw ICMP socket, one echo.
run --cap-add NET_RAW "$img" ping -c1 -W5 127.0.0.1 | grep -q '^1 packets transmitted, 1 packets received'
ok $? "ping -c1 127.0.0.1 (with NET_RAW)"
is "$(run --init "$img" sh -c '(sleep 0.05 &); sleep 0.1; echo reaped')" reaped \
	"init=true: kbox-init forks, waits and reaps under the filter"
is "$(run --init "$img" sh -c 'exit 3'; echo $?)" 3 "and passes the exit status on"
is "$(run "$img" probe try personality0 personality_query clock_settime | tr '\n' ' ')" \
	"personality0=OK personality_query=OK clock_settime=EPERM " \
	"the probe: Docker's personas run; clock_settime is the kernel's EPERM (no SYS_TIME)"

# A dynamic glibc program: its threads and posix_spawn try clone3 first, get ENOSYS and
# fall back to clone.
cat >"$out/tests/seccomp-glibc.c" <<'EOF'
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
extern char **environ;
static void *thread(void *arg) { return arg; }
int main(void)
{
	char *argv[] = {"true", NULL};
	pthread_t t;
	void *ret;
	pid_t pid;
	int status;

	if (pthread_create(&t, NULL, thread, (void *)42) || pthread_join(t, &ret) ||
	    posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) ||
	    waitpid(pid, &status, 0) < 0)
		return 1;
	printf("thread=%ld spawn=%d\n", (long)ret, WEXITSTATUS(status));
	return 0;
}
EOF
${HOSTCC:-cc} -O2 -pthread -o "$img/bin/glibc-test" "$out/tests/seccomp-glibc.c" &&
	for lib in $(ldd "$img/bin/glibc-test" | grep -o '/[^ ]*'); do
		mkdir -p "$img${lib%/*}" && cp -L "$lib" "$img$lib" || break
	done
ok $? "a dynamic glibc program in the image"
is "$(run "$img" glibc-test)" "thread=42 spawn=0" "glibc: a thread and posix_spawn (clone3 falls back to clone)"

# What the allowlist leaves out.
is "$(run "$img" probe try io_uring_setup io_uring_enter io_uring_register | tr '\n' ' ')" \
	"io_uring_setup=EPERM io_uring_enter=EPERM io_uring_register=EPERM " "io_uring is denied"
is "$(run "$img" probe try personality_rie)" "personality_rie=EPERM" \
	"personality(READ_IMPLIES_EXEC) is denied"
is "$(run "$img" probe try clone_newnet clone_newuser clone3 | tr '\n' ' ')" \
	"clone_newnet=EPERM clone_newuser=EPERM clone3=ENOSYS " \
	"clone with a namespace flag is denied; clone3 is ENOSYS (libcs fall back to clone)"
is "$(run "$img" probe try process_madvise pidfd_getfd | tr '\n' ' ')" \
	"process_madvise=EPERM pidfd_getfd=EPERM " "process_madvise and pidfd_getfd need SYS_PTRACE"
is "$(run "$img" probe try socket_vsock socket_vsock_hi | tr '\n' ' ')" \
	"socket_vsock=EPERM socket_vsock_hi=EPERM " \
	"AF_VSOCK is denied, also with bits above the int the kernel reads"
is "$(run "$img" probe try file_getattr nr1000 | tr '\n' ' ')" \
	"file_getattr=ENOSYS nr1000=ENOSYS " "calls past the filter's table are ENOSYS"
is "$(run "$img" probe compat | tr '\n' ' ')" "int80=SIGSYS x32=SIGSYS " \
	"32-bit and x32 system calls kill the process"

# A kept capability opens what needs it, as in Docker's profile.
is "$(run --cap-add SYS_ADMIN "$img" probe try clone_newnet clone3 clone3_newnet | tr '\n' ' ')" \
	"clone_newnet=OK clone3=OK clone3_newnet=OK " "with SYS_ADMIN: clone's namespace flags and clone3"
is "$(run --cap-add SYS_PTRACE "$img" probe try process_madvise pidfd_getfd | tr '\n' ' ')" \
	"process_madvise=EBADF pidfd_getfd=EBADF " "with SYS_PTRACE: process_madvise and pidfd_getfd"

# Profiles and unconfined are as before.
is "$(run --security-opt seccomp=unconfined "$img" probe try personality_rie)" \
	"personality_rie=OK" "seccomp=unconfined: no filter"
printf 'default deny\nallow execve brk arch_prctl set_tid_address exit_group write writev ioctl\n' \
	>"$out/tests/seccomp-min.seccomp"
is "$(run --security-opt seccomp="$out/tests/seccomp-min.seccomp" "$img" probe try personality0)" \
	"personality0=EPERM" "a 'default deny' profile denies what it does not allow"
done_testing
