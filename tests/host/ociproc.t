#!/bin/bash
# A bundle's process (spec->oci) through rt_start and rt_exec, driven by out/tests/ociproc:
# namespaces new and joined by path, id maps, the five capability sets, user and groups,
# umask, no_new_privs, oom_score_adj, OCI seccomp, create's fifo, stages, hooks, the pty,
# exec; and the hostile paths and ids.
. "$(dirname "$0")/../lib.sh"
host_lock "$@"
d=$out/tests/ociproc
img=$out/tests/ociproc-root
host_image "$img"
ok $? "a busybox root in $img"
for a in head tr cut wc umask stty tty ip sort; do ln -sf busybox "$img/bin/$a"; done
drv() { "$d" --root "$img" "$@" 2>&1; }
status() { grep -E "^($1):" | tr -s '\t ' ' ' | tr '\n' ';'; }

out1=$(drv --ns pid --ns uts --ns ipc --ns net --hostname box -- sh -c \
	'echo $$ $(hostname); grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status; umask; ls /proc/self/fd | tr "\n" " "')
is "$(echo "$out1" | grep -v '^stage' | tr '\n' ';')" \
	"1 box;NoNewPrivs:	0;Seccomp:	0;0022;0 1 2 3 ;" \
	"new pid and uts namespaces, hostname; OCI's defaults: no no_new_privs, no filter, umask 0022; no fd of ours"
is "$(echo "$out1" | grep '^stage' | tr '\n' ' ')" "stage 0 stage 1 " "the stages, cloned then created"

got=$(drv --ns pid --user 1000:1001 --gids 5,6 --umask 077 --nnp --oom 500 \
	--caps 3fff:400:400:400:400 -- sh -c 'grep -E "^(Uid|Gid|Groups|Cap[A-Za-z]+|NoNewPrivs):" /proc/self/status; cat /proc/self/oom_score_adj; umask')
is "$(echo "$got" | status 'Uid|Gid|Groups' )" "Uid: 1000 1000 1000 1000;Gid: 1001 1001 1001 1001;Groups: 5 6 ;" \
	"process.user: uid, gid and additionalGids"
is "$(echo "$got" | status 'Cap[A-Za-z]+')" \
	"CapInh: 0000000000000400;CapPrm: 0000000000000400;CapEff: 0000000000000400;CapBnd: 0000000000003fff;CapAmb: 0000000000000400;" \
	"the five capability sets, ambient kept across the uid change"
is "$(echo "$got" | grep -vE '^(Uid|Gid|Groups|Cap|stage)' | tr -s '\t ' ' ' | tr '\n' ';')" "NoNewPrivs: 1;500;0077;" \
	"noNewPrivileges when asked, oomScoreAdj, umask"

# Attacks on the sets: CAP_SYS_ADMIN (21) asked for outside the bounding set; root with
# every set empty.
got=$(drv --ns pid --caps 400:200400:200400:200400:200400 -- sh -c 'grep -E "^Cap" /proc/self/status' | status 'Cap[A-Za-z]+')
is "$got" "CapInh: 0000000000000400;CapPrm: 0000000000000400;CapEff: 0000000000000400;CapBnd: 0000000000000400;CapAmb: 0000000000000400;" \
	"a capability beyond the bounding set is in no set"
got=$(drv --ns pid --caps 0:0:0:0:0 -- sh -c 'grep -E "^Cap" /proc/self/status' | status 'Cap[A-Za-z]+')
is "$got" "CapInh: 0000000000000000;CapPrm: 0000000000000000;CapEff: 0000000000000000;CapBnd: 0000000000000000;CapAmb: 0000000000000000;" \
	"uid 0 with every set empty keeps no capability"

# seccomp: clone with CLONE_NEWUSER (masked) gets EACCES, plain clone does not; keyctl ENOSYS;
# a name no libseccomp knows is skipped.
got=$(drv --ns pid --nnp --sc clone:13:0:me:0x10000000:0x10000000 --sc keyctl:38 --sc nosuchcall:1 -- \
	sh -c 'grep "^Seccomp:" /proc/self/status; probe try clone_newuser clone_newns keyctl' | grep -v ^stage | tr -s '\t ' ' ' | tr '\n' ';')
is "$got" "Seccomp: 2;clone_newuser=EACCES;clone_newns=OK;keyctl=ENOSYS;" \
	"linux.seccomp: an argument rule gives its errno, the same call without it runs"
got=$(drv --ns pid --user 1000:1000 --sc keyctl:38 -- sh -c 'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status; probe try keyctl' | grep -v ^stage | tr -s '\t ' ' ' | tr '\n' ';')
is "$got" "NoNewPrivs: 0;Seccomp: 2;keyctl=ENOSYS;" \
	"without noNewPrivileges the filter is installed while CAP_SYS_ADMIN is held"
got=$(drv --sc keyctl:38 --sc-flags 4 -- true)
is "$?:$got" "125:kbox: t: linux.seccomp: flags: only SECCOMP_FILTER_FLAG_LOG and SECCOMP_FILTER_FLAG_SPEC_ALLOW are supported" \
	"a seccomp flag kbox does not support is refused"

got=$(drv --sc keyctl:notify -- echo payload)
is "$?:$got" "125:kbox: t: linux.seccomp: syscalls[0]: SCMP_ACT_NOTIFY needs a listener, which kbox has not" \
	"SCMP_ACT_NOTIFY is refused (no listener), nothing started"

# create: ready, blocked on the fifo until it is opened for reading; the fifo's fd is gone.
# The driver's lines and the payload's race to one stdout: they are compared sorted.
got=$(timeout 20 "$d" --root "$img" --ns pid --create -- sh -c 'ls /proc/self/fd | tr "\n" " "' 2>/dev/null | LC_ALL=C sort | tr '\n' ';')
is "$got" "0 1 2 3 ;fifo said '0';ready: waiting=yes;" "create: ready, waits in the fifo's open, then runs without its fd"
got=$(timeout 20 "$d" --root "$img" --ns pid --ns user --map 0:100000:65536 --oom 200 --create -- \
	sh -c 'id -u; cat /proc/self/oom_score_adj' 2>/dev/null | LC_ALL=C sort | tr '\n' ';')
is "$got" "0;200;fifo said '0';ready: waiting=yes;" \
	"create with a user namespace: its root opens the fifo; oomScoreAdj written from outside"
got=$(drv --ns pid --start-fd 7 -- true 7</etc/passwd)
is "$?:$(echo "$got" | tail -n 1)" "125:kbox: t: create: fd 7 is not the exec fifo" "a start fd that is not a fifo is refused"
got=$(OCIPROC_FAIL_STAGE=1 drv --ns pid -- sh -c 'echo payload ran')
is "$?:$(echo "$got" | tr '\n' ';')" "125:stage 0;stage 1;" "a failed created stage stops the start before the payload"

# hooks: createContainer before pivot_root with the state on stdin; startContainer inside.
printf '#!/bin/sh\nread s; echo "cc: $s pid $$"\n' >"$out/tests/ociproc-cc"
printf '#!/bin/sh\nread s; echo "sc: $s"; ls /bin/schook\n' >"$img/bin/schook"
printf '#!/bin/sh\nexit 3\n' >"$img/bin/badhook"
chmod +x "$out/tests/ociproc-cc" "$img/bin/schook" "$img/bin/badhook"
got=$(drv --ns pid --hook-cc "$out/tests/ociproc-cc" --hook-sc /bin/schook -- echo payload | grep -v ^stage | tr '\n' ';')
[[ $got =~ ^'cc: {"id":"t"} pid 2;sc: {"id":"t","pid":'([0-9]+)'};/bin/schook;payload;'$ ]] && [ "${BASH_REMATCH[1]}" -gt 2 ]
ok $? "createContainer (in the pid namespace) and startContainer (in the root) hooks, in order, the state on stdin; startContainer's from the created stage, with the pid as the host sees it ($got)"
# The startContainer hook's binary is the image's: it gets the process's user, groups,
# capabilities and filter, no more.
printf '#!/bin/sh\ngrep -E "^(Uid|Groups|CapEff|CapBnd|Seccomp):" /proc/self/status | sed "s/^/hook /"; probe try keyctl\n' >"$img/bin/caphook"
chmod +x "$img/bin/caphook"
got=$(drv --ns pid --user 1000:1000 --gids 5 --caps 400:400:400:400:400 --sc keyctl:38 --hook-sc /bin/caphook -- true | grep -v ^stage | tr -s '\t ' ' ' | tr '\n' ';')
is "$got" "hook Uid: 1000 1000 1000 1000;hook Groups: 5 ;hook CapEff: 0000000000000400;hook CapBnd: 0000000000000400;hook Seccomp: 2;keyctl=ENOSYS;" \
	"a startContainer hook runs as the process: its user, groups, capabilities and seccomp"
got=$(drv --ns pid --hook-sc /bin/badhook -- echo payload)
is "$?:$(echo "$got" | grep -v ^stage)" "125:kbox: t: startContainer hook /bin/badhook: exit status 3" \
	"a failing hook fails the start"

# process.terminal: the master over the console socket, the slave as stdio and ctty.
got=$(timeout 20 "$d" --root "$img" --ns pid --terminal -- sh -c 'tty; stty size; cut -d" " -f7 /proc/self/stat' 2>/dev/null | tr -d '\r' | tr '\n' ';')
is "$got" "console: /dev/pts/0;/dev/pts/0;11 77;34816;" \
	"terminal: the container's own pty, sized, sent by name, the controlling tty (136:0)"

# exec: every namespace of the container, its process; a pid that is not it is refused.
got=$(drv --ns pid --ns uts --ns net --hostname box --exec 'echo $(hostname) $$ $(tr "\\0" " " </proc/1/cmdline)' -- sleep 30 | grep -v ^stage | tr '\n' ';')
is "$got" "box 2 sleep 30;exec: 0;" "exec joins the container's namespaces (its hostname, its pids)"
got=$(drv --ns pid --user 1000:1001 --gids 5 --umask 077 --oom 300 --sc keyctl:38 --exec \
	'grep -E "^(Uid|Groups|Seccomp):" /proc/self/status; cat /proc/self/oom_score_adj; umask; probe try keyctl' \
	-- sleep 30 | grep -v ^stage | tr -s '\t ' ' ' | tr '\n' ';')
is "$got" "Uid: 1000 1000 1000 1000;Groups: 5 ;Seccomp: 2;300;0077;keyctl=ENOSYS;exec: 0;" \
	"exec runs the process of the config: user, groups, oomScoreAdj, umask, its seccomp"
got=$(drv --ns pid --exec-pid $$ --exec 'echo escaped')
is "$?:$got" "125:kbox: t: exec: process $$ is not the container: its pid namespace is ours" \
	"exec into a pid whose namespaces are the host's is refused (pid reuse)"

# Joining by path: a pod's sandbox holds net and ipc, a pid namespace with its init.
unshare --net --ipc sleep 1000 >/dev/null 2>&1 &
h=$!
unshare --pid --fork sleep 1000 >/dev/null 2>&1 &
p=$!
unshare --user sleep 1000 >/dev/null 2>&1 &
u=$!
# unshare has made its namespace once /proc/PID/ns/TYPE is not ours.
ns_new() { [ "$(readlink "/proc/$1/ns/$2")" != "$(readlink "/proc/self/ns/$2")" ]; }
retry 50 ns_new $h net
retry 50 ns_new $u user
retry 50 pgrep -P $p >/dev/null
pc=$(pgrep -P $p)
got=$(drv --ns pid=/proc/$pc/ns/pid --ns net=/proc/$h/ns/net --ns ipc=/proc/$h/ns/ipc -- sh -c \
	'readlink /proc/self/ns/net; readlink /proc/self/ns/ipc; readlink /proc/self/ns/pid; echo $$' | grep -v ^stage | tr '\n' ';')
is "$got" "$(readlink /proc/$h/ns/net);$(readlink /proc/$h/ns/ipc);$(readlink /proc/$pc/ns/pid);2;" \
	"net, ipc and pid namespaces joined by path: the payload is in them (pid 2 under the sandbox's 1)"
exec 5</proc/$h/ns/net
ln -sfn /proc/self/fd/5 "$out/tests/ociproc-nslink"
for path in /proc/self/fd/5 /dev/fd/5 "$out/tests/ociproc-nslink" /proc/1/fd/0; do
	got=$(drv --ns net="$path" -- echo payload)
	is "$?:$(echo "$got" | tail -n 1)" "125:kbox: t: linux.namespaces: net: '$path' leads through a process's fd directory: refused" \
		"a namespace path through an fd directory ($path) is refused"
done
exec 5<&-
got=$(drv --ns net=/etc/passwd -- echo payload)
is "$?:$got" "125:kbox: t: linux.namespaces: net: '/etc/passwd' is not a net namespace" "a regular file as a namespace is refused"
got=$(drv --ns net=/proc/$h/ns/ipc -- echo payload)
is "$?:$got" "125:kbox: t: linux.namespaces: net: '/proc/$h/ns/ipc' is not a net namespace" "a namespace of the wrong type is refused"
got=$(drv --ns user=/proc/$u/ns/user -- echo payload)
is "$?:$(echo "$got" | tail -n 1)" "125:kbox: t: namespaces: user '/proc/$u/ns/user' has no id maps" \
	"a user namespace without id maps is refused"

# A new user namespace with the sandbox's network namespace joined by path (runc's order: the
# join as the host's root, then the user namespace and its maps, then the rest, owned by it):
# the sandbox's interfaces, root in a user namespace of its own, and no power over the
# joined namespace, which the host's user namespace owns.
nsenter -t $h -n ip link add kbv0 type veth peer name kbv1
ok $? "the sandbox has interfaces of its own (kbv0, kbv1)"
hostuser=$(readlink /proc/self/ns/user)
got=$(drv --ns pid --ns user --map 0:100000:65536 --ns net=/proc/$h/ns/net -- sh -c \
	"readlink /proc/self/ns/net; grep -o 'kbv[01]' /proc/net/dev | sort | tr '\n' ' '; id -u; cat /proc/self/uid_map | tr -s ' '
	[ \"\$(readlink /proc/self/ns/user)\" != '$hostuser' ] && echo own userns; echo \$\$
	ip link add kbx0 type veth peer name kbx1 2>&1; ip link set kbv0 name kbz0 2>&1" | grep -v ^stage | tr '\n' ';')
is "$got" "$(readlink /proc/$h/ns/net);kbv0 kbv1 0; 0 100000 65536;own userns;1;ip: RTNETLINK answers: Operation not permitted;ip: SIOCSIFNAME: Operation not permitted;" \
	"new userns + joined netns: its interfaces, root in its own userns (pid 1), no link added or renamed there"
nsenter -t $h -n ip link add kbv2 type veth peer name kbv3 && nsenter -t $h -n ip link del kbv2
ok $? "where the host's root can add one"
got=$(drv --ns pid --ns user --map 0:100000:65536 --ns net=/proc/$h/ns/net --ns ipc=/proc/$h/ns/ipc \
	--exec 'readlink /proc/self/ns/net; readlink /proc/self/ns/ipc; id -u; tr "\\0" " " </proc/1/cmdline' -- sleep 30 | grep -v ^stage | tr '\n' ';')
is "$got" "$(readlink /proc/$h/ns/net);$(readlink /proc/$h/ns/ipc);0;sleep 30 exec: 0;" \
	"exec into it: the joined namespaces, its user namespace, its pid 1"

got=$(drv --ns pid --ns user --map 0:100000:65536 -- sh -c 'cat /proc/self/uid_map /proc/self/gid_map | tr -s " "; id -u' | grep -v ^stage | tr '\n' ';')
is "$got" " 0 100000 65536; 0 100000 65536;0;" "a new user namespace with the config's maps"
got=$(drv --hostname box -- echo payload)
is "$?:$got" "125:kbox: t: hostname: needs a uts namespace (new or joined)" "a hostname without a uts namespace is refused"
got=$(drv --domainname box -- echo payload)
is "$?:$got" "125:kbox: t: domainname: needs a uts namespace (new or joined)" "a domainname without a uts namespace is refused"

# A uts namespace joined by path (runtime-tools linux_ns_path case 5): the name is set in it.
unshare --uts sleep 1000 >/dev/null 2>&1 &
x=$!
retry 50 ns_new $x uts
myname=$(hostname)
got=$(drv --ns uts=/proc/$x/ns/uts --hostname joinedbox --domainname joined.example -- sh -c \
	'hostname; cat /proc/sys/kernel/domainname; readlink /proc/self/ns/uts' | grep -v ^stage | tr '\n' ';')
is "$got$(nsenter -t $x -u hostname);$(hostname)" "joinedbox;joined.example;$(readlink /proc/$x/ns/uts);joinedbox;$myname" \
	"hostname and domainname with a joined uts namespace: set in it, not in ours"
got=$(drv --ns pid --ns user --map 0:100000:65536 --ns uts=/proc/$x/ns/uts --hostname nope -- echo payload 2>&1)
is "$?:$(echo "$got" | grep -v ^stage);$(nsenter -t $x -u hostname)" "125:kbox: t: sethostname 'nope': Operation not permitted;joinedbox" \
	"a hostname for a joined uts namespace the host's user namespace owns, from a user namespace of its own: the kernel's refusal, reported"
kill $x

# A joined user namespace (a pod's, its maps written by its maker) with a pid and a mount
# namespace of the container's own, which it owns: the container is pid 1 in it.
unshare --user sleep 1000 >/dev/null 2>&1 &
u2=$!
unshare --user sleep 1000 >/dev/null 2>&1 &
u3=$!
retry 50 ns_new $u2 user && retry 50 ns_new $u3 user
echo "0 200000 65536" >/proc/$u2/uid_map && echo "0 200000 65536" >/proc/$u2/gid_map
is "$(tr -s ' ' </proc/$u2/uid_map)" " 0 200000 65536" "a user namespace with maps (0 200000 65536)"
got=$(drv --ns pid --ns ipc --ns user=/proc/$u2/ns/user --map 0:200000:65536 -- sh -c \
	'echo $$; readlink /proc/self/ns/user; id -u; cat /proc/self/uid_map | tr -s " "' | grep -v ^stage | tr '\n' ';')
is "$got" "1;$(readlink /proc/$u2/ns/user);0; 0 200000 65536;" \
	"joined userns + new pid and mount namespaces: pid 1, in the joined user namespace, root there"
got=$(drv --ns pid --ns user=/proc/$u2/ns/user --map 0:200000:65536 \
	--exec 'echo $$ $(readlink /proc/self/ns/user) $(tr "\\0" " " </proc/1/cmdline)' -- sleep 30 | grep -v ^stage | tr '\n' ';')
is "$got" "2 $(readlink /proc/$u2/ns/user) sleep 30;exec: 0;" "exec into it: its pid namespace, the joined user namespace"
got=$(drv --ns pid --ns user=/proc/$u3/ns/user --map 0:1:1 -- echo leak4243)
is "$?:$(echo "$got" | tail -n 1)" "125:kbox: t: namespaces: user '/proc/$u3/ns/user' has no id maps" \
	"the same with a user namespace without maps: the first stage's refusal, reported"
! pgrep -f leak4243 >/dev/null
ok $? "and no process of it is left"

# linux.timeOffsets: written into the time namespace before anyone is in it.
cp "$d" "$img/bin/ociclock"
hb=$(cut -d. -f1 /proc/uptime)
got=$(drv --ns pid --ns time --time boottime:1000000:0 -- cut -d. -f1 /proc/uptime | grep -v ^stage)
ha=$(cut -d. -f1 /proc/uptime)
[ -n "$got" ] && [ "$got" -ge $((hb + 1000000)) ] && [ "$got" -le $((ha + 1000000)) ]
ok $? "boottime +1000000 s: /proc/uptime inside shows it ($hb+1000000 <= $got <= $ha+1000000)"
mb=$("$d" --clock monotonic)
bb=$("$d" --clock boottime)
got=$(drv --ns pid --ns time --time monotonic:1000000:999999999 -- sh -c 'ociclock --clock monotonic; ociclock --clock boottime' | grep -v ^stage | tr '\n' ' ')
ma=$("$d" --clock monotonic)
ba=$("$d" --clock boottime)
read -r m b <<<"$got"
[ -n "$b" ] && [ "$m" -ge $((mb + 1000000)) ] && [ "$m" -le $((ma + 1000001)) ] && [ "$b" -ge "$bb" ] && [ "$b" -le "$ba" ]
ok $? "monotonic +1000000.999999999 s: clock_gettime inside shows it, boottime stays ($got)"
got=$(drv --ns pid --ns user --map 0:100000:65536 --ns time --time boottime:1000000:0 --ns net=/proc/$h/ns/net -- cut -d. -f1 /proc/uptime | grep -v ^stage)
[ -n "$got" ] && [ "$got" -ge $((hb + 1000000)) ]
ok $? "the same in a user namespace of its own, with a joined netns ($got)"
for v in boottime:9223372036854775807 monotonic:-9223372036854775808 boottime:-$((ha + 1000)) monotonic:4611686018427387904; do
	got=$(drv --ns pid --ns time --time "$v:0" -- echo leak4244)
	is "$?:$(echo "$got" | tail -n 1)" "125:kbox: t: linux.timeOffsets.${v%%:*}: ${v#*:} s 0 ns: the kernel refuses a clock it would put below 0 or past its bound: Result not representable" \
		"timeOffsets ${v}: the kernel's refusal, named"
done
! pgrep -f leak4244 >/dev/null
ok $? "and no process of them is left"
got=$(timeout 20 "$d" --root "$img" --ns pid --ns time --time boottime:1:0 --terminal -- sh -c 'tty; cut -d" " -f7 /proc/self/stat; echo $$' 2>/dev/null | tr -d '\r' | tr '\n' ';')
is "$got" "console: /dev/pts/0;/dev/pts/0;34816;1;" "two stages and a terminal: the pty is the controlling tty of the second stage, pid 1"
got=$(timeout 20 "$d" --root "$img" --ns pid --ns time --time boottime:1:0 --create -- sh -c 'echo $$ ran' 2>/dev/null | LC_ALL=C sort | tr '\n' ';')
is "$got" "1 ran;fifo said '0';ready: waiting=yes;" "two stages and create: the second stage waits on the fifo"
got=$(drv --ns pid --ns time=/proc/1/ns/time --time boottime:1:0 -- echo payload)
is "$?:$got" "125:kbox: t: linux.timeOffsets: needs a time namespace of its own" "timeOffsets with a joined time namespace: refused"
got=$(drv --ns pid --time boottime:1:0 -- echo payload)
is "$?:$got" "125:kbox: t: linux.timeOffsets: needs a time namespace of its own" "timeOffsets without a time namespace: refused"
got=$(OCIPROC_FAIL_STAGE=0 drv --ns pid --ns time --time boottime:1:0 -- sh -c 'echo payload ran')
is "$?:$(echo "$got" | tr '\n' ';')" "125:stage 0;" "a failed cloned stage after the two stages stops the start"
# kbox-runc with such bundles: the pid file, state and kill name the container's init; a
# failed create leaves no process, cgroup, state or pid file.
# 0755: a user namespace's root (a host uid of 200000) reaches the bundles.
tmp=$(mktemp -d /tmp/kbox-ociproc.XXXXXX) && chmod 755 "$tmp" || exit 1
trap 'for c in "$tmp"/root/*/; do [ -d "$c" ] && "$rt" --root "$tmp/root" delete --force "$(basename "$c")"; done 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" && ln -s "$out/kbox" "$tmp/bin/kbox-runc"
rt=$tmp/bin/kbox-runc
k() { "$rt" --root "$tmp/root" "$@"; }
# bundle DIR PYTHON: runc's default config, busybox-static as its root (with the mount
# points a user namespace's root could not make), then PYTHON on its object c.
bundle() {
	mkdir -p "$1/rootfs/bin" "$1/rootfs/proc" "$1/rootfs/dev" "$1/rootfs/sys" &&
		cp "$(command -v busybox)" "$1/rootfs/bin/busybox" || return
	for a in sh sleep cat cut hostname readlink; do ln -s busybox "$1/rootfs/bin/$a"; done
	(cd "$1" && "$rt" spec) && python3 -c "import json, sys
c = json.load(open(sys.argv[1]))
c['process']['terminal'] = False
$2
json.dump(c, open(sys.argv[1], 'w'))" "$1/config.json"
}
jget_s() { local f; f=$(mktemp -p "$tmp") && cat >"$f" && jget "$f" "$@"; rm -f "$f"; }
gone() { [ ! -e "$tmp/root/$1" ] && [ ! -e "$tmp/$1.pid" ] && ! ls -d /sys/fs/cgroup/*/kbox-oci/"$1" 2>/dev/null; }
maps="c['linux']['uidMappings'] = c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': 200000, 'size': 65536}]"
bundle "$tmp/ju" "c['process']['args'] = ['sleep', '1000']; $maps
c['linux']['namespaces'] += [{'type': 'user', 'path': '/proc/$u2/ns/user'}]"
k create --bundle "$tmp/ju" --pid-file "$tmp/ju1.pid" ju1
ok $? "create: a joined user namespace, new pid, mount, network, ipc and uts namespaces"
pid=$(cat "$tmp/ju1.pid")
is "$(k state ju1 | jget_s pid):$(grep NSpid /proc/$pid/status | tr -s '\t' ' ')" "$pid:NSpid: $pid 1" \
	"the pid file and state name the container's init: pid 1 of its pid namespace"
is "$(readlink /proc/$pid/ns/user):$(grep ^Uid: /proc/$pid/status | tr -s '\t' ' ')" \
	"$(readlink /proc/$u2/ns/user):Uid: 200000 200000 200000 200000" "in the joined user namespace, its root (host uid 200000)"
k start ju1 && retry 50 sh -c "tr '\\0' ' ' </proc/$pid/cmdline | grep -qx 'sleep 1000 '"
ok $? "start: that process becomes the payload"
k kill ju1 KILL && retry 50 sh -c "[ ! -e /proc/$pid ]"
ok $? "kill reaches it"
is "$(k state ju1 | jget_s status)" stopped "state: stopped"
rm "$tmp/ju1.pid" && k delete ju1 && gone ju1
ok $? "delete leaves no state and no cgroup"

bundle "$tmp/to" "c['process']['args'] = ['cut', '-d.', '-f1', '/proc/uptime']; $maps
c['mounts'] = [m for m in c['mounts'] if not m['destination'].startswith('/sys')]
c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'network']
c['linux']['namespaces'] += [{'type': 'user'}, {'type': 'time'}, {'type': 'network', 'path': '/proc/$h/ns/net'}]
c['linux']['timeOffsets'] = {'boottime': {'secs': 1000000, 'nanosecs': 0}}"
hb=$(cut -d. -f1 /proc/uptime)
got=$(k run --bundle "$tmp/to" to1)
[ -n "$got" ] && [ "$got" -ge $((hb + 1000000)) ]
ok $? "run: timeOffsets in a new user namespace with a joined netns ($got)"
gone to1
ok $? "and run leaves nothing"
python3 -c "import json, sys
c = json.load(open(sys.argv[1]))
c['linux']['timeOffsets'] = {'monotonic': {'secs': -$((hb + 1000)), 'nanosecs': 0}}
json.dump(c, open(sys.argv[1], 'w'))" "$tmp/to/config.json"
got=$(k create --bundle "$tmp/to" --pid-file "$tmp/to2.pid" to2 2>&1)
is "$?:$got" "1:kbox-runc: to2: linux.timeOffsets.monotonic: -$((hb + 1000)) s 0 ns: the kernel refuses a clock it would put below 0 or past its bound: Result not representable" \
	"create: an offset the kernel refuses, named"
gone to2 && ! pgrep -f "create --bundle $tmp/to " >/dev/null
ok $? "and nothing is left: no process, cgroup, state or pid file"
bundle "$tmp/nm" "c['process']['args'] = ['true']; $maps
c['linux']['namespaces'] += [{'type': 'user', 'path': '/proc/$u3/ns/user'}]"
got=$(k create --bundle "$tmp/nm" --pid-file "$tmp/nm1.pid" nm1 2>&1)
is "$?:$got" "1:kbox-runc: nm1: namespaces: user '/proc/$u3/ns/user' has no id maps" \
	"create: the first stage's refusal (a joined user namespace without maps)"
gone nm1 && ! pgrep -f "create --bundle $tmp/nm " >/dev/null
ok $? "and nothing is left"
printf '#!/bin/sh\ncat >%s/hookstate\nexit 3\n' "$tmp" >"$tmp/failhook" && chmod +x "$tmp/failhook"
python3 -c "import json, sys
c = json.load(open(sys.argv[1]))
c['hooks'] = {'createRuntime': [{'path': '$tmp/failhook'}]}
json.dump(c, open(sys.argv[1], 'w'))" "$tmp/ju/config.json"
got=$(k create --bundle "$tmp/ju" --pid-file "$tmp/ju2.pid" ju2 2>&1)
r=$?
hpid=$(jget "$tmp/hookstate" pid)
is "$r:$got" "1:kbox-runc: ju2: createRuntime hook $tmp/failhook: exit status 3" "a failing createRuntime hook fails a two-stage create"
cmp_ok "$hpid" -gt 0 "the hook had the container's pid ($hpid)"
[ ! -e "/proc/$hpid" ] && gone ju2
ok $? "and nothing is left: the container's process killed and reaped"
unshare --uts sleep 1000 >/dev/null 2>&1 &
x=$!
retry 50 ns_new $x uts
bundle "$tmp/uts" "c['process']['args'] = ['hostname']; c['hostname'] = 'podbox'
c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'uts']
c['linux']['namespaces'] += [{'type': 'uts', 'path': '/proc/$x/ns/uts'}]"
is "$(k run --bundle "$tmp/uts" uts1):$(nsenter -t $x -u hostname)" "podbox:podbox" \
	"run: a hostname with a joined uts namespace, set in it"
kill $x

# The sleep is its pid namespace's init: only SIGKILL reaches it from here.
{
	kill -9 $h $pc $p $u $u2 $u3
	wait
} 2>/dev/null
done_testing
