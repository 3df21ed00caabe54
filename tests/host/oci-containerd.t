#!/bin/bash
# containerd 1.6 (its runc shim, io.containerd.runc.v2) drives kbox-runc as its runc binary:
# ctr run --rm, ctr task exec, ctr task ps, ctr task kill, and a second container joining the
# first one's network namespace by path (as a Kubernetes pod's containers join the sandbox's).
# KBOX_OCI_RUNTIME=/usr/sbin/runc runs the same against runc, which checks the test itself.
# The test starts its own daemon: config, root, state and sockets in a temp dir, the CRI
# plugin and everything that writes elsewhere disabled, a containerd namespace of its own
# (so its cgroups are /sys/fs/cgroup/*/NS/ID), in a private mount namespace with a tmpfs on
# /run (the shim's sockets and runc's state under /run/containerd). The image is an OCI
# archive made here (no registry). The daemon, its shims and containers, cgroups and mounts
# are gone at the end, also when a test fails.
. "$(dirname "$0")/../lib.sh"
host_lock "$@"
. "$top/tests/oci/lib.sh"
if [ -z "${KBOX_OCI_NS:-}" ]; then
	"$top/mk/deps" oci >&2 || { echo "not ok 1 - mk/deps oci installs containerd"; echo 1..1; exit 1; }
	exec unshare -m --propagation private env KBOX_OCI_NS=1 "$0" "$@"
fi
oci_setup oci-containerd
ns=kbox-oci-test-$$
sock=$tmp/containerd.sock
c() { ctr --address "$sock" --namespace "$ns" "$@"; }
crun() { c run --runc-binary "$rt" "$@"; }
daemon=
# The shims of our daemon (each started with -address SOCK), found by their command line.
shims() {
	local p
	for p in /proc/[0-9]*; do
		{ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qF -- "-address $sock " && echo "${p#/proc/}"
	done
}
cleanup() {
	local id p k d
	if [ -n "$daemon" ]; then
		for id in $(c containers list --quiet 2>/dev/null); do
			c task delete --force "$id" >/dev/null 2>&1
			c containers delete "$id" >/dev/null 2>&1
		done
		kill "$daemon" 2>/dev/null && wait "$daemon"
	fi
	# What outlived the daemon: a shim and the container it holds.
	for p in $(shims); do
		for k in $(cat "/proc/$p/task/$p/children" 2>/dev/null); do kill -9 "$k"; done
		kill -9 "$p"
	done 2>/dev/null
	for d in /sys/fs/cgroup/*/"$ns" /sys/fs/cgroup/unified/"$ns"; do
		[ -d "$d" ] || continue
		find "$d" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
		rmdir "$d" 2>/dev/null
	done
	oci_cleanup
}
trap cleanup EXIT
mount -t tmpfs -o mode=755 kbox-oci-containerd /run

# The daemon: its own everything, nothing of the host's containerd (if any) touched.
cat >"$tmp/config.toml" <<EOF
version = 2
root = "$tmp/root"
state = "$tmp/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.internal.v1.opt",
  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[debug]
  address = "$tmp/debug.sock"
EOF
containerd --config "$tmp/config.toml" >"$tmp/containerd.log" 2>&1 &
daemon=$!
retry 100 c version >/dev/null 2>&1
ok $? "containerd runs on private paths (pid $daemon)" || { tail -n 5 "$tmp/containerd.log" | diag; done_testing; exit 1; }

oci_rootfs "$tmp/rootfs" && oci_archive "$tmp/rootfs" localhost/bb:1 "$tmp/bb.oci.tar" &&
	c images import "$tmp/bb.oci.tar" >/dev/null
ok $? "ctr images import of an OCI archive of a busybox tree"
is "$(c images list --quiet)" localhost/bb:1 "the image is there as localhost/bb:1"

# ---- ctr run --rm: output and exit status ----
got=$(crun --rm localhost/bb:1 r1 sh -c 'echo out-$$; exit 7' 2>"$tmp/err")
is "$?:$got" "7:out-1" "ctr run --rm: the payload's output, its exit status (7), and it is PID 1" ||
	diag <"$tmp/err"
got=$(crun --rm --env GREETING=hi --cwd /tmp localhost/bb:1 r2 sh -c 'echo $GREETING $(pwd)' 2>"$tmp/err")
is "$got" "hi /tmp" "ctr run --rm --env --cwd"
is "$(c containers list --quiet | wc -l)" 0 "run --rm left no container"

# ---- a long-lived task: exec, ps, kill ----
crun -d --log-uri "file://$tmp/c1.log" localhost/bb:1 c1 sh -c \
	'trap "echo got-usr1" USR1; trap "echo got-term; exit 0" TERM; echo ready; while :; do sleep 1 & wait $!; done' \
	2>"$tmp/err"
ok $? "ctr run -d c1" || diag <"$tmp/err"
# task_field ID COLUMN: ctr task ls's PID (2) or STATUS (3) of a task.
task_field() { c task list 2>/dev/null | awk -v id="$1" -v f="$2" '$1 == id { print $f }'; }
stopped() { [ "$(task_field "$1" 3)" = STOPPED ]; }
log_has() { grep -qxF -- "$2" "$tmp/$1.log" 2>/dev/null; }
retry 100 log_has c1 ready
ok $? "c1's log file: its first line"
is "$(task_field c1 3)" RUNNING "ctr task ls: c1 is RUNNING"
pid1=$(task_field c1 2)
got=$(c task exec --exec-id e1 c1 sh -c 'echo $(readlink /proc/self/ns/uts) $(readlink /proc/self/ns/mnt) $(cat /proc/1/comm); exit 4' 2>"$tmp/err")
is "$?:$got" "4:$(readlink "/proc/$pid1/ns/uts") $(readlink "/proc/$pid1/ns/mnt") sh" \
	"ctr task exec: in c1's uts, mount and pid namespaces, its exit status (4)" ||
	diag <"$tmp/err"
got=$(c task exec --exec-id e2 --cwd /tmp --user 1000 c1 sh -c 'echo $(pwd) $(id -u)' 2>"$tmp/err")
is "$got" "/tmp 1000" "ctr task exec --cwd --user"
c task ps c1 >"$tmp/ps" 2>&1
awk 'NR > 1 { print $1 }' "$tmp/ps" | grep -qx "$pid1"
ok $? "ctr task ps c1 (the runtime's ps --format json) lists its PID 1, $pid1" || diag <"$tmp/ps"
c task kill --signal SIGUSR1 c1 && retry 100 log_has c1 got-usr1
ok $? "ctr task kill -s SIGUSR1: the payload's trap ran"
is "$(task_field c1 3)" RUNNING "c1 still runs after SIGUSR1"

# ---- a second container in c1's network namespace, by path ----
netns=$(readlink "/proc/$pid1/ns/net")
nsenter --net="/proc/$pid1/ns/net" ip link add kboxpod0 type veth peer name kboxpod1
ok $? "a veth pair, kboxpod0 and 1, in c1's network namespace (made from the host)"
got=$(crun --rm --with-ns "network:/proc/$pid1/ns/net" localhost/bb:1 c2 \
	sh -c 'readlink /proc/self/ns/net; grep -o kboxpod0 /proc/net/dev' 2>"$tmp/err")
is "$got" "$(printf '%s\nkboxpod0' "$netns")" \
	"ctr run --with-ns network:/proc/PID/ns/net: c2 is in c1's network namespace and sees its interface" ||
	diag <"$tmp/err"
got=$(crun --rm localhost/bb:1 c3 sh -c 'readlink /proc/self/ns/net; grep -c kboxpod0 /proc/net/dev')
[ "${got%%$'\n'*}" != "$netns" ] && [ "${got#*$'\n'}" = 0 ]
ok $? "without --with-ns, c3 has a network namespace of its own ($(echo $got))"
is "$(c task exec --exec-id e3 c1 readlink /proc/self/ns/net)" "$netns" \
	"and c1 is where it was, after c2 ended"

# ---- ctr task kill: SIGTERM to the trap, then SIGKILL to one without ----
c task kill c1 && retry 100 stopped c1
is "$(task_field c1 3)" STOPPED "ctr task kill (SIGTERM): c1 went"
log_has c1 got-term
ok $? "by its trap"
c task delete c1 >/dev/null 2>&1 && c containers delete c1
ok $? "ctr task delete and containers delete c1"
running() { [ "$(task_field "$1" 3)" = RUNNING ]; }
crun -d localhost/bb:1 c4 sleep 1000 && retry 100 running c4
ok $? "ctr run -d c4 (sleep, no trap)"
c task kill --signal SIGKILL c4 && retry 100 stopped c4
ok $? "ctr task kill -s SIGKILL: c4 went"
got=$(c task delete c4 2>&1)
[[ $got == *137* ]]
ok $? "ctr task delete c4: its exit status is SIGKILL's ($got)"
c containers delete c4
is "$(c containers list --quiet | wc -l):$(shims | wc -l)" 0:0 "no container and no shim is left"
done_testing
