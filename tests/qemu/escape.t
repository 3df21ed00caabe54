#!/bin/bash
# Escape attempts from containers: each must be denied, each is one TAP line.
. "$(dirname "$0")/../lib.sh"
conf=$top/tests/qemu/conf/escape
initrd=$out/tests/escape.cpio
"$top/initramfs/build" --conf "$conf" --image escape="$top/tests/qemu/images/escape" \
	--file "$out/probe=/images/busybox/bin/probe" -o "$initrd"
ok $? "build an initramfs with the escape attempts"
boot escape 120 "kbox.exit=poweroff" --initrd "$initrd"
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
has_line "exe | exe=/memfd:kbox (deleted)" "PID 1 runs from a memfd (CVE-2019-5736)"
has_line "exe | seals=seal,shrink,grow,write" "sealed for good"
has_line "exe | exe-write=denied" "and cannot be written even with CAP_SYS_PTRACE"
has_line "kbox: escape: bind on '/escape/kbox-owned': '/escape' is a symlink out of the container's root" \
	"a bind through a symlink out of the root is refused (CVE-2021-30465 family)"
lacks_match "^escape \\|" "and that container never ran"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
