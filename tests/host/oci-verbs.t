#!/bin/bash
# kbox-runc's --preserve-fds (create, run, exec), update and tmpcopyup on this host (root,
# cgroup v1 hybrid), each attacked: fds not open, -1, 2^32, a host directory passed and a
# /proc/self/fd workdir; update's bad values, a stopped container, a limit below the usage
# (EBUSY); tmpcopyup's symlink to the host's /etc/shadow, loops, fifos, hard links, 10000
# directories deep, a file larger than the tmpfs. KBOX_OCI_RUNTIME=/usr/sbin/runc runs the
# cases runc shares against runc (kbox's own refusals are skipped there, each said why).
. "$(dirname "$0")/../lib.sh"
host_lock "$@"
tmp=$(mktemp -d /tmp/kbox-oci-verbs.XXXXXX) || exit 1
cgp=/kbox-oci-verbs-test
trap 'for d in "$tmp"/root/*/; do [ -d "$d" ] && "$rt" --root "$tmp/root" delete --force "$(basename "$d")"; done 2>/dev/null
for c in /sys/fs/cgroup/*$cgp; do rmdir "$c"/* "$c"; done 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" && ln -s "$out/kbox" "$tmp/bin/kbox-runc"
rt=${KBOX_OCI_RUNTIME:-$tmp/bin/kbox-runc}
runc=false
[ -n "${KBOX_OCI_RUNTIME:-}" ] && runc=true
root=$tmp/root
k() { "$rt" --root "$root" "$@"; }
# kbox ONLY-WHY: true under kbox; under runc a skipped test that says why.
kbox() {
	$runc || return 0
	ok 0 "# SKIP runc: $1"
	return 1
}
left() { ls -A "$root" 2>/dev/null | wc -l; }
jget_s() { local f; f=$(mktemp -p "$tmp") && cat >"$f" && jget "$f" "$@"; rm -f "$f"; }
status() { k state "$1" 2>/dev/null | jget_s status; }
is_stopped() { [ "$(status "$1")" = stopped ]; }

bundle() { # DIR ARGS-JSON
	mkdir -p "$1/rootfs/bin" && cp /bin/busybox "$1/rootfs/bin/busybox" || return
	for a in sh sleep echo cat true ls readlink stat head tr mkdir; do
		ln -s busybox "$1/rootfs/bin/$a"
	done
	(cd "$1" && "$tmp/bin/kbox-runc" spec) || return
	jset "$1/config.json" "c['process']['terminal'] = False; c['process']['args'] = $2"
}
jset() {
	python3 -c "import json, sys
c = json.load(open(sys.argv[1]))
$2
json.dump(c, open(sys.argv[1], 'w'), indent=1)" "$1"
}

# ---- --preserve-fds ----
b=$tmp/b
# The fds are listed by a child ls with the shell waiting, not in a pipeline (the shell holds
# the pipe's ends as it starts its second half) nor by ls in the shell (its saved fd 10).
bundle "$b" '["sh", "-c", "ls /proc/$$/fd >/dev/shm/fds & wait; tr \"\\n\" \" \" </dev/shm/fds; cat <&3; readlink /proc/$$/fd/4"]'
echo passed-in >"$tmp/f3"
out1=$(k run --preserve-fds 2 --bundle "$b" p1 3<"$tmp/f3" 4<"$tmp" </dev/null 2>&1)
case $out1 in *"passed-in
$tmp") r=0 ;; *) r=1 ;; esac
ok $r "run --preserve-fds 2: fds 3 and 4 are the caller's (a file, a host directory)" || diag <<<"$out1"
if kbox "runc 1.1.5 leaks fds of its own into the container (CVE-2024-21626)"; then
	is "${out1%%p*}" "0 1 2 3 4 " "and nothing more"
	out1=$(k run --bundle "$b" p1 3<"$tmp/f3" 4<"$tmp" </dev/null 2>&1)
	case $out1 in "0 1 2 "[!0-9]*) r=0 ;; *) r=1 ;; esac
	ok $r "without it, none of the caller's fds above 2 reach the container" || diag <<<"$out1"
fi
out1=$(k --log "$tmp/log" run --preserve-fds 1 --bundle "$b" p1 3<"$tmp/f3" </dev/null 2>&1)
case $out1 in "0 1 2 3 passed-in"*) r=0 ;; *) r=1 ;; esac
ok $r "--log's fd (ours, opened first) is not passed with fd 3" || diag <<<"$out1"

# Socket activation as podman run --preserve-fds does it: a listening socket at fd 3 and
# LISTEN_FDS=1 in the process's env; the payload accepts on it.
sb=$tmp/sock
bundle "$sb" '["sh", "-c", "echo $LISTEN_FDS; readlink /proc/$$/fd/3 | cut -c1-8"]'
ln -s busybox "$sb/rootfs/bin/cut"
jset "$sb/config.json" "c['process']['env'].append('LISTEN_FDS=1')"
out1=$(python3 -c '
import os, socket, subprocess, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)
os.dup2(s.fileno(), 3)
subprocess.run(sys.argv[2:], pass_fds=[3], stdin=subprocess.DEVNULL)' "$tmp/sock.s" \
	"$rt" --root "$root" run --preserve-fds 1 --bundle "$sb" p2 2>&1)
is "$out1" "1
socket:[" "LISTEN_FDS=1 with the caller's listening socket as fd 3"

for n in -1 x 4294967296 18446744073709551616 ' 1' 0x1; do
	if [ "$n" = -1 ] && ! kbox "runc 1.1.5 takes -1 as 0"; then continue; fi
	msg=$(k run --preserve-fds "$n" --bundle "$b" p3 </dev/null 2>&1)
	is "$?:$(left)" "1:0" "--preserve-fds '$n': refused, nothing made" || diag <<<"$msg"
done
if kbox "runc 1.1.5 fills the gap with its own fds (its cgroup directory, pipes) and passes them"; then
	msg=$(k run --preserve-fds 3 --bundle "$b" p3 3<"$tmp/f3" </dev/null 2>&1)
	is "$?:$(left):$msg" "1:0:kbox-runc: run: --preserve-fds 3: fd 4 is not open (fds 3..5 are passed)" \
		"fds not open in the range: refused, as runc refuses them when none of its own is there"
	msg=$(k --log "$tmp/log" run --preserve-fds 2 --bundle "$b" p3 3<"$tmp/f3" </dev/null 2>&1)
	is "$?:$(left)" "1:0" "--log's fd landing in the range is not the caller's: refused"
	msg=$(k create --preserve-fds 20001 --bundle "$b" p3 3<"$tmp/f3" 4<&- </dev/null 2>&1)
	is "$?:$(left):$msg" "1:0:kbox-runc: create: --preserve-fds 20001: fd 4 is not open (fds 3..20003 are passed)" \
		"more than RLIMIT_NOFILE: the first fd that is not open is named"
fi

# create --preserve-fds: the fds live in the created process until start.
bundle "$tmp/c" '["sh", "-c", "cat <&3; ls /proc/$$/fd >/dev/shm/fds & wait; tr \"\\n\" \" \" </dev/shm/fds; true"]'
mkfifo "$tmp/p4.out"
exec 8<>"$tmp/p4.out"
k create --preserve-fds 1 --bundle "$tmp/c" p4 3<"$tmp/f3" </dev/null >"$tmp/p4.out" 2>&1
r=$?
k start p4
exec 9<"$tmp/p4.out" 8>&-
got=$(cat <&9) # to its end: the payload has exited
exec 9<&-
k delete --force p4
is "$r:$got" "0:passed-in
0 1 2 3 " "create --preserve-fds 1, then start: fd 3 reaches the payload"

# exec --preserve-fds: a host directory passed is the caller's choice; a workdir through it
# is still refused (CVE-2024-21626).
eb=$tmp/e
bundle "$eb" '["sleep", "1000"]'
k run -d --bundle "$eb" e1 </dev/null >/dev/null 2>&1
ok $? "a running container for exec"
out1=$(k exec --preserve-fds 1 e1 readlink /proc/self/fd/3 3</etc 2>&1)
is "$out1" "/etc" "exec --preserve-fds 1: the caller's fd 3 (a host directory) passes"
out1=$(k exec e1 ls /proc/self/fd 3</etc 2>&1 | tr '\n' ' ')
is "$out1" "0 1 2 3 " "exec without it: ls's own fd 3 only (the caller's is closed)"
if kbox "runc 1.1.5 predates the CVE-2024-21626 fix"; then
	out1=$(k exec --preserve-fds 1 --cwd /proc/self/fd/3 e1 ls 3</etc 2>&1)
	r=$?
	case $out1 in *passwd* | *shadow*) r=0 ;; esac
	ok $((!r)) "exec --cwd /proc/self/fd/3 with fd 3 a host directory: refused" || diag <<<"$out1"
	out1=$(k exec --preserve-fds -1 e1 true 2>&1)
	is "$?:$out1" "1:kbox-runc: exec: --preserve-fds: '-1' is not a count of fds" "exec --preserve-fds -1"
	out1=$(k exec --preserve-fds 2 e1 true 3</etc 2>&1)
	is "$?:$out1" "1:kbox-runc: exec: --preserve-fds 2: fd 4 is not open (fds 3..4 are passed)" \
		"exec --preserve-fds 2 with fd 4 not open"
fi
k delete --force e1

# ---- update ----
ub=$tmp/u
bundle "$ub" '["sh", "-c", "x=$(head -c 24000000 /dev/zero | tr \"\\\\0\" a); echo ready; read y"]'
jset "$ub/config.json" "c['linux']['cgroupsPath'] = '$cgp/u1'"
mkfifo "$tmp/u.out" "$tmp/u.in"
k run -d --bundle "$ub" u1 <"$tmp/u.in" >"$tmp/u.out" 2>&1 &
exec 7>"$tmp/u.in" 8<"$tmp/u.out"
read -r ready <&8
is "$ready" ready "a container holding 24 MB of its own (no swap here)"
M=/sys/fs/cgroup/memory$cgp/u1
C=/sys/fs/cgroup/cpu,cpuacct$cgp/u1
[ -d "$C" ] || C=/sys/fs/cgroup/cpu$cgp/u1
P=/sys/fs/cgroup/pids$cgp/u1
k update --memory 64m --cpu-share 512 --pids-limit 50 --cpu-quota 20000 --cpu-period 100000 u1
is "$?:$(cat $M/memory.limit_in_bytes $C/cpu.shares $P/pids.max $C/cpu.cfs_quota_us | tr '\n' ' ')" \
	"0:67108864 512 50 20000 " "update's flags: memory 64m, cpu-share, pids-limit, cpu-quota written"
echo '{"memory": {"limit": 134217728}}' | k update -r - u1
is "$?:$(cat $M/memory.limit_in_bytes $C/cpu.shares | tr '\n' ' ')" "0:134217728 512 " \
	"update -r -: the limit changes, what it omits stays"
echo '{"cpu": {"shares": 256}, "pids": {"limit": 60}}' >"$tmp/res.json"
k update --resources "$tmp/res.json" --memory 1g u1
is "$?:$(cat $M/memory.limit_in_bytes $C/cpu.shares $P/pids.max | tr '\n' ' ')" \
	"0:134217728 256 60 " "update --resources FILE: the other flags are ignored, as runc says"
if kbox "runc keeps its own state.json"; then
	is "$(jget "$root/u1/config.json" linux resources memory limit):$(jget "$root/u1/config.json" linux resources cpu shares)" \
		"134217728:256" "the new values are kept in the container's config, for the next update"
	devs=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["linux"]["resources"].get("devices"))' "$root/u1/config.json")
	echo '{"devices": [{"allow": true, "access": "rwm"}]}' | k update -r - u1
	is "$?:$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["linux"]["resources"].get("devices"))' "$root/u1/config.json")" \
		"0:$devs" "update's device rules: applied by neither runc nor kbox, and not kept as if they were"
fi
msg=$(k update --memory 2m u1 2>&1)
r=$?
is "$r:$(cat $M/memory.limit_in_bytes)" "1:134217728" "a limit below the usage: refused, the old one stays"
kbox "runc words it its own way" &&
	is "$msg" "kbox-runc: u1: linux.resources.memory.limit: cannot write '2097152' to memory.limit_in_bytes: Resource busy" \
		"the kernel's reason"
if [ -f $M/memory.memsw.limit_in_bytes ] &&
	kbox "runc 1.1.5 leaves memory+swap raised when the limit after it is refused"; then
	k update --memory 128m --memory-swap 256m u1
	is "$?:$(cat $M/memory.memsw.limit_in_bytes)" "0:268435456" "--memory-swap 256m: memory+swap"
	# Swap raised above the current limit goes first; the limit is then refused.
	msg=$(k update --memory 2m --memory-swap 512m u1 2>&1)
	is "$?:$(cat $M/memory.limit_in_bytes $M/memory.memsw.limit_in_bytes | tr '\n' ' ')" \
		"1:134217728 268435456 " "--memory 2m --memory-swap 512m: refused, both limits as they were" ||
		diag <<<"$msg"
fi
for bad in "--memory x" "--memory -2" "--cpu-quota x" "--pids-limit 1.5" "--bogus 1" "--memory" \
	"--cpuset-cpus 99999"; do
	msg=$(k update $bad u1 2>&1)
	is "$?:$(cat $M/memory.limit_in_bytes $C/cpu.shares | tr '\n' ' ')" "1:134217728 256 " \
		"update $bad: refused, nothing changed" || diag <<<"$msg"
done
if kbox "runc hands cpu.shares 1 to the kernel, which makes it 2"; then
	msg=$(k update --cpu-share 1 u1 2>&1)
	is "$?:$msg" "1:kbox-runc: u1: update: linux.resources.cpu.shares: 1 is out of range (2..262144)" \
		"a value the front end refuses: the error names its path"
	msg=$(echo '{"memory": {"limit": "big"}}' | k update -r - u1 2>&1)
	is "$?:$msg" "1:kbox-runc: u1: update: linux.resources.memory.limit: expected an integer, got \"big\"" \
		"--resources with a bad value: named by its path"
	msg=$(echo '[1]' | k update -r - u1 2>&1)
	is "$?:$msg" "1:kbox-runc: update: --resources '-': not a JSON object (linux.resources)" "--resources not an object"
	msg=$(k update u1 2>&1)
	is "$?:$msg" "1:kbox-runc: update: nothing to update: --resources FILE or a flag is needed" "nothing to update"
	# An endless source is cut at the bound, not read into memory until it runs out.
	msg=$(ulimit -v 262144; k update --resources /dev/zero u1 2>&1)
	is "$?:$msg" "1:kbox-runc: update: --resources '/dev/zero': larger than 4194304 bytes" \
		"--resources /dev/zero: refused at 4 MiB, under a 256 MiB address-space limit"
	msg=$(yes '{}' | k update -r - u1 2>&1)
	is "$?:$msg" "1:kbox-runc: update: --resources '-': larger than 4194304 bytes" \
		"--resources - from an endless pipe: refused at 4 MiB"
fi
exec 7>&-
cat <&8 >/dev/null # its stdout's end: it has exited
exec 8<&-
retry 50 is_stopped u1
is "$(status u1)" stopped "its process has exited"
msg=$(k update --memory 64m u1 2>&1)
is "$?:$(cat $M/memory.limit_in_bytes 2>/dev/null || echo gone)" "1:134217728" "update of a stopped container: refused" ||
	diag <<<"$msg"
k delete --force u1
msg=$(k update --memory 64m u1 2>&1)
ok $((!$?)) "update of a container that does not exist: refused"

# ---- tmpcopyup ----
tb=$tmp/t
bundle "$tb" '["sh", "-c", "cd /data && ls -A | tr \"\\n\" \" \"; echo; cat f sub/deeper/x hard; readlink shadow; readlink loop; stat -c \"%a %u:%g %F\" f $(ls fifo 2>/dev/null) sub; echo new >new"]'
D=$tb/rootfs/data
mkdir -p "$D/sub/deeper" && echo hello >"$D/f" && chmod 604 "$D/f" && chown 1000:1001 "$D/f"
ln -s /etc/shadow "$D/shadow" && ln -s loop "$D/loop" && ln "$D/f" "$D/hard"
# runc 1.1.5 fails on a fifo ("lchown .../fifo: no such file"); crun and kbox copy it.
fifo="fifo " fifol="644 0:0 fifo
"
if kbox "runc 1.1.5's tmpcopyup cannot copy a fifo"; then mkfifo "$D/fifo"; else fifo= fifol=; fi
echo deep >"$D/sub/deeper/x" && chmod 750 "$D/sub"
jset "$tb/config.json" "c['mounts'].append({'destination': '/data', 'type': 'tmpfs', 'source': 'tmpfs',
	'options': ['nosuid', 'nodev', 'tmpcopyup', 'size=1m']})"
out1=$(k run --bundle "$tb" t1 </dev/null 2>&1)
is "$out1" "f ${fifo}hard loop shadow sub 
hello
deep
hello
/etc/shadow
loop
604 1000:1001 regular file
${fifol}750 0:0 directory" "tmpcopyup: files, a hard link, symlinks as links (the host's /etc/shadow never read, a loop), a fifo, owners and modes"
[ ! -e "$D/new" ]
ok $? "what the container wrote went to the tmpfs, not the image"

head -c 2M /dev/zero >"$D/big"
msg=$(k run --bundle "$tb" t2 </dev/null 2>&1)
is "$?:$(left)" "1:0" "a file larger than the tmpfs (2 MiB in size=1m): refused, nothing left"
kbox "runc words it its own way" &&
	is "$msg" "kbox-runc: t2: tmpcopyup /data: 'big': 2097152 bytes do not fit in the tmpfs (1036288 of its 1048576 bytes free): raise its size= option" \
		"the error names the mount, the file and the tmpfs's size"
rm "$D/big"
if kbox "runc reads a sparse file of 1 TiB into the tmpfs until it is full"; then
	truncate -s 1T "$D/sparse"
	msg=$(k run --bundle "$tb" t2 </dev/null 2>&1)
	is "$?:$(left):${msg#*: tmpcopyup /data: }" "1:0:'sparse': 1099511627776 bytes do not fit in the tmpfs (1048576 of its 1048576 bytes free): raise its size= option" \
		"a sparse file of 1 TiB: refused before a byte is copied"
	rm "$D/sparse"
	python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
for i in range(10000):
	os.mkdir("d", dir_fd=fd); n = os.open("d", os.O_RDONLY, dir_fd=fd); os.close(fd); fd = n' "$D"
	msg=$(k run --bundle "$tb" t3 </dev/null 2>&1)
	is "$?:$(left):${msg##*: }" "1:0:deeper than 128 directories" "a tree 10000 directories deep: refused"
	rm -rf "$D/d"
	jset "$tb/config.json" "c['mounts'][-1]['options'] = ['tmpcopyup', 'size=1m', 'nr_inodes=20']"
	for i in $(seq 30); do : >"$D/n$i"; done
	msg=$(k run --bundle "$tb" t4 </dev/null 2>&1)
	is "$?:$(left)" "1:0" "more files than the tmpfs's nr_inodes: refused" || diag <<<"$msg"
	case $msg in *"the tmpfs is full"*) r=0 ;; *) r=1 ;; esac
	ok $r "and said so" || diag <<<"$msg"
fi

done_testing
