#!/bin/bash
# Escape attempts from containers: each must be denied, each is one TAP line.
. "$(dirname "$0")/../lib.sh"
conf=$out/tests/escape-conf
images=$out/tests/escape-images
rm -rf "$conf" "$images"
mkdir -p "$conf" && cp "$top"/tests/qemu/conf/escape/*.conf "$conf/"
# Images that ship the symlinks: /tmp a magic link, /proc and /dev leading to appliance
# paths, /etc/resolv.conf absolute (as distro images have it), present and dangling.
img() { mkdir -p "$images/$1/bin" "$images/$1/etc" && files="$files --image $1=$images/$1 --file $out/probe=/images/$1/bin/probe"; }
files=
img fdlink && ln -s /proc/self/fd/5 "$images/fdlink/tmp"
img symproc && ln -s /run/kbox "$images/symproc/proc"
img symdev && ln -s /run "$images/symdev/dev"
img symroot && ln -s / "$images/symroot/proc"
img symsys && ln -s /proc "$images/symsys/sys"
img resabs && ln -s /run/resolv.conf "$images/resabs/etc/resolv.conf" &&
	mkdir "$images/resabs/run" && echo "nameserver 192.0.2.53" >"$images/resabs/run/resolv.conf"
img resdangle && ln -s /run/resolv.conf "$images/resdangle/etc/resolv.conf"
# shellcheck disable=SC2086
build_initrd escape "build an initramfs with the escape attempts" \
	--conf "$conf" --image escape="$top/tests/qemu/images/escape" \
	--file "$out/probe=/images/busybox/bin/probe" --file "$out/probe=/images/escape/bin/probe" $files
boot escape 120 "kbox.exit=poweroff kbox.dns=10.0.2.3" --initrd "$initrd"
is "$rc" 0 "the machine powers off cleanly afterwards"

for call in mount umount unshare setns clone_newuser clone_newns keyctl add_key \
	request_key bpf perf_event_open kexec_load init_module reboot open_by_handle_at userfaultfd \
	swapon pivot_root; do
	has_line "attacker | $call=EPERM" "$call is denied"
done
# The allowlist (tests/qemu/conf/escape/sysfilter.conf, sysadmin.conf): the guest's kernel
# has no io_uring, AF_ALG or AF_VSOCK, so ENOSYS or EAFNOSUPPORT here would be the kernel's.
for l in io_uring_setup=EPERM io_uring_enter=EPERM io_uring_register=EPERM personality0=OK \
	personality_query=OK personality_rie=EPERM clone_newnet=EPERM clone_newuser=EPERM \
	clone3=ENOSYS nr1000=ENOSYS process_madvise=EPERM pidfd_getfd=EPERM socket_alg=EPERM \
	socket_vsock=EPERM socket_vsock_hi=EPERM; do
	has_line "sysfilter | $l" "default seccomp under kbox-init: $l"
done
for l in clone_newnet=OK clone3=OK clone3_newnet=OK unshare=OK; do
	has_line "sysadmin | $l" "caps_add=SYS_ADMIN: $l"
done
has_line "attacker | sysrq=denied" "/proc/sysrq-trigger cannot be written"
has_line "attacker | kcore=0" "/proc/kcore is masked"
has_line "attacker | sys-write=denied" "/sys cannot be written"
has_line "attacker | mknod-block=denied" "mknod of a block device is denied"
has_line "attacker | mknod-console=denied" "and of a console"
has_line "attacker | fds=0 1 2 3" "no fd leaks in (CVE-2024-21626): 0-2 and ls's own"
has_line "attacker | run-kbox=hidden" "the appliance's /run/kbox is out of sight"
has_line "attacker | ctl=ENOENT" "so is the control socket"
has_line "attacker | pid1-kbox=unseen" "it sees no process of the appliance's, kbox least of all"
has_line "attacker | secret=unseen" "nor another container's files"
has_line "attacker | raw_socket=EPERM" "no NET_RAW by default (as podman): a raw socket is denied (no spoofed sources)"
has_line "noraw | packet_socket=EPERM" "and a packet socket (no forged ARP replies on the bridge)"
has_line "netraw | raw_socket=OK" "caps_add=NET_RAW gives a raw socket back"
has_line "netraw | packet_socket=OK" "and a packet socket"
has_line "ptracer | ptrace1=EPERM" "pid=host without CAP_SYS_PTRACE: kbox (PID 1) cannot be traced"
has_line "sigguard | signal-init=kill:EPERM,tkill:EPERM,tgkill:EPERM,sigqueue:EPERM,tgsigqueue:EPERM,pidfd:ENOSYS,self:OK" \
	"pid=host without CAP_SYS_BOOT: the seccomp filter lets no kill-family call reach PID 1, nor a pidfd of /proc/1"
has_line "sigguard | usr2=1" "so busybox's poweroff signal fails in the container"
has_line "sigboot | signal-init=kill:OK,tkill:OK,tgkill:OK,sigqueue:OK,tgsigqueue:OK,pidfd:OK,self:OK" \
	"with CAP_SYS_BOOT nothing is filtered: it may reboot(2) the machine anyway"
has_line "sigpid1 | signalled=done" \
	"a pid=host container with seccomp=unconfined sent PID 1 busybox's halt, poweroff and reboot signals, SIGPWR and SIGINT"
lacks_match "^kbox: (SIGUSR1|SIGUSR2|SIGPWR|SIGTERM|ctrl-alt-del): .*stopping containers" \
	"none of them shut the appliance down"
is "$(grep -c '^sigpid1 | sigqueue=OK$' "$log")" 5 \
	"and each through rt_sigqueueinfo too, its siginfo claiming kthreadd (pid 2) sent it"
for s in USR1 USR2 PWR TERM INT; do
	has_match "^kbox: SIG$s from pid 2, gone or not the sender, while a container without CAP_SYS_BOOT shares PID 1's pid namespace: ignored" \
		"SIG$s with a forged sender is ignored: only kill's and tgkill's name theirs"
	has_match "^kbox: sigpid1: sent PID 1 SIG$s \(pid [0-9]+\): ignored, a container without CAP_SYS_BOOT cannot shut the appliance down" \
		"SIG$s from it is ignored, saying why"
done
for c in pwzero pwfifo; do
	has_line "kbox: $c: user: the image's /etc/passwd is $([ $c = pwzero ] && echo a character device || echo a fifo), not a file" \
		"$c: a restart whose /etc/passwd became $([ $c = pwzero ] && echo a link to /dev/zero || echo a FIFO) fails, saying why"
done
has_line "exe | exe=/memfd:kbox (deleted)" "PID 1 runs from a memfd (CVE-2019-5736)"
has_line "exe | seals=seal,shrink,grow,write" "sealed for good"
has_line "exe | exe-write=denied" "and cannot be written even with CAP_SYS_PTRACE"
has_line "escape | escape.conf=$(wc -c <"$conf/escape.conf")" \
	"a bind through a symlink out of the root lands inside the root (CVE-2021-30465 family)"
has_line "appetc | kbox-owned=ENOENT" "and nothing was made in the appliance's /etc"

# Refused, for a magic link, means one of two reasons: the fd is not open in the setup
# (none but its own are), or it is and the magic link is refused.
refused="(a magic link \\(/proc/PID/fd/N, /proc/self/exe, \\.\\.\\.\\) is refused|No such file or directory)$"
reached() { grep -E "^$1 \\| (root=ESCAPED|appliance=REACHED|ctl=CONNECTED)" "$log" | diag; ! grep -qE "^$1 \\| (root=ESCAPED|appliance=REACHED|ctl=CONNECTED)" "$log"; }
has_match "^kbox: imgtmp: workdir: '/tmp': $refused" \
	"an image shipping /tmp -> /proc/self/fd/5 is refused at the workdir"
reached imgtmp
ok $? "and its payload never ran outside the root"
has_line "symproc | comm=probe" "an image whose /proc is a symlink to /run/kbox gets its proc inside the root"
has_line "symproc | kcore=0" "masked there too"
has_line "symproc | ctl=ENOENT" "and the appliance's /run/kbox stays out of reach"
has_line "symdev | null=OK" "an image whose /dev is a symlink to /run gets its /dev inside the root"
has_line "symdev | zero=OK" "with every node"
has_line "symdev | ctl=ENOENT" "and the appliance's /run stays out of reach"
has_line "kbox: symroot: mount proc: '/proc' is the container's root itself" \
	"an image whose /proc -> / is refused, not mounted over its whole root"
has_line "kbox: symsys: mount sysfs: '/sys' is a mount point already" \
	"an image whose /sys -> /proc is refused, not mounted over the container's proc"
has_line "resabs | resolv.conf=nameserver 10.0.2.3" \
	"/etc/resolv.conf -> /run/resolv.conf: the appliance's DNS is bound through the symlink, in the root"
has_line "resabs | hosts=127.0.0.1	localhost" "and /etc/hosts next to it"
has_line "resdangle | resolv.conf=nameserver 10.0.2.3" "a dangling one gets its target made inside the root"
has_line "resdangle | ctl=ENOENT" "which is not the appliance's /run"
for c in symproc symdev resabs resdangle; do
	reached "$c"
	ok $? "$c: the appliance's / and control socket were not reached"
done
has_line "initfds | fds=0 1 2" "kbox-init, straight from the setup, holds no fd above 2"
is "$(grep -c '^initfds | fds=0 1 2$' "$log")" 2 "nor does the payload"
lacks_match "^(escape|imgtmp|symproc|symdev|symroot|symsys|resabs|resdangle) \\| (root=ESCAPED|appliance=REACHED|ctl=CONNECTED)" \
	"no container got out"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"

# CVE-2024-21626 in every vector, for several N in /proc/self/fd/N: the spec names the
# magic link; a container plants one as its workdir and its restart would follow it; kbox
# exec into containers whose workdir became one; kbox run -w through an fd its caller
# leaked. Before the fix the child held every fd of PID 1's (cgleaf: the first container to
# start finds its cgroup leaf at PID 1's fd 10; replant: the exec relay's leaf is one of the
# first fds PID 1 has free).
fds="3 4 5 6 7 8 9 10 11 12"
conf=$out/tests/escape-exec-conf
rm -rf "$conf" && mkdir -p "$conf"
cp "$top"/tests/qemu/conf/escape/exec/*.conf "$conf/"
for n in $fds; do
	printf 'workdir = /proc/self/fd/%s\ncmd = probe escape\n' "$n" >"$conf/wd$n.conf"
	printf 'workdir = /tmp\nrestart = on-failure:1\ncmd = probe plant /tmp /proc/self/fd/%s\n' \
		"$n" >"$conf/planted$n.conf"
	printf "workdir = /tmp\nstop_signal = KILL\ncmd = sh -c 'rmdir /tmp && ln -s /proc/self/fd/%s /tmp && exec sleep 600'\n" \
		"$n" >"$conf/wdexec$n.conf"
done
build_initrd escape-exec "build an initramfs with containers whose workdir turns into a magic link" \
	\
	--conf "$conf" --file "$out/probe=/images/busybox/bin/probe" \
	--file "$top/tests/qemu/conf/escape/exec/driver.sh=/etc/kbox/driver.sh"
boot_shell escape-exec 150 "kbox.shell=1" --initrd "$initrd" \
	< <(printf '%s\n' "sh /etc/kbox/driver.sh '$fds'" 'kbox poweroff')
is "$rc" 0 "kbox poweroff ends that boot"
has_match "kbox: cgleaf: workdir: '/proc/self/fd/10': $refused" \
	"workdir=/proc/self/fd/10, PID 1's fd of the container's cgroup leaf, is refused"
reached cgleaf
ok $? "and the payload never got out with it"
for n in $fds; do
	has_match "kbox: wd$n: workdir: '/proc/self/fd/$n': $refused" "workdir=/proc/self/fd/$n is refused"
	reached "wd$n"
	ok $? "and the payload never got out with it (fd $n)"
done
for n in $fds; do
	has_line "planted$n | planted /tmp -> /proc/self/fd/$n" "a container plants /tmp -> /proc/self/fd/$n and exits 1"
	has_match "kbox: planted$n: workdir: '/tmp': $refused" "its restart refuses to follow it (fd $n)"
	reached "planted$n"
	ok $? "and never reached the appliance through it (fd $n)"
done
has_match "kbox: rplant: workdir: '/tmp': $refused" \
	"a restart whose planted workdir leads on to each of PID 1's first free fds refuses it"
reached rplant
ok $? "and never reached the appliance ($(grep -c '^RPLANT-TRIED' "$log") fds tried)"
for n in $fds; do
	has_end "WDEXEC$n-RC-125." "kbox exec: a workdir of /tmp -> /proc/self/fd/$n exits 125"
	has_match "WDEXEC$n: kbox: wdexec$n: workdir: '/tmp': $refused" "and says why"
done
tried=$(grep -cE 'REPLANT[0-9]+-RC-' "$log")
[ "$tried" -ge 1 ] && [ "$(grep -cE 'REPLANT[0-9]+-RC-125\.$' "$log")" = "$tried" ]
ok $? "kbox exec: /tmp -> each of the $tried fds PID 1 had free (its leaf among them) exits 125"
for n in $fds; do
	has_end "RUNFD$n-RC-125." "kbox run -w /proc/self/fd/$n (fd 7 leaked by the shell) exits 125"
done
lacks_match "^(WDEXEC[0-9]+|REPLANT[0-9]+|RUNFD[0-9]+|DIRIN): (root=ESCAPED|appliance=REACHED|ctl=CONNECTED)" \
	"neither kbox exec nor kbox run let a payload out"
has_end "DIRIN-RC-125." "kbox exec with a directory (the appliance's /) for stdin exits 125"
has_end "DIRIN: kbox: rl: exec: fd 0 is a directory, which would lead out of the root" "and says why"
has_end "RL=200:300" "kbox exec applies the container's rlimits (rlimit_nofile=200:300)"
has_end "SLOWPW-RC-125." "kbox exec into a container (user=0) whose /etc/passwd is a FIFO exits 125"
has_end "kbox: slowpw: user: the image's /etc/passwd is a fifo, not a file" \
	"rather than wait on it"
lacks_match "^slowpw \| fifo-caps=000001ffffffffff" \
	"and nothing in the container's sight ever held every capability (a process of kbox's in its setup, which CAP_SYS_PTRACE could trace and drive)"
has_end "NOCG-RC-125." "kbox exec into a container whose cgroup leaf is gone exits 125"
has_end "kbox: nocg: exec: cannot open its cgroup '/sys/fs/cgroup/kbox/nocg': No such file or directory" \
	"saying why, rather than running it without its limits and device allowlist"
has_end "CLOEXEC-CHECKED" "PID 1's fds were looked at"
lacks_match "NOCLOEXEC" "and every one above 2 is close-on-exec"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
