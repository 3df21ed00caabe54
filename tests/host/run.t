#!/bin/bash
# kbox run on this host (root, cgroup v1): namespaces, overlay, caps, seccomp, exit codes,
# signals, and limits that need cgroup v2 refused with a reason.
. "$(dirname "$0")/../lib.sh"
host_lock "$@"
kbox=$out/kbox
img=$out/tests/run-image
host_image "$img"
ok $? "a busybox image in $img"
before=$(find "$img" -printf '%p %s %m %u\n' | sort | md5sum)
run() { "$kbox" run --rm "$@" 2>&1; }

is "$(run "$img" sh -c 'echo $$')" 1 "the payload is PID 1 of its own pid namespace"
is "$(run --name hosttest "$img" hostname)" hosttest "the hostname is the container's name"
is "$(run -h box -e GREETING=hi "$img" sh -c 'echo $(hostname) $GREETING')" "box hi" "-h and -e"
is "$(run "$img" sh -c 'ls /proc | grep -c "^[0-9]"')" 3 "it sees only its own processes (sh, ls, grep)"
for code in 0 7 255; do
	run "$img" sh -c "exit $code" >/dev/null
	is $? $code "the payload's exit status $code is kbox run's"
done

is "$(run "$img" ls /proc/self/fd 7</dev/null 9</dev/null | tr '\n' ' ')" "0 1 2 3 " \
	"no fd of kbox's or its caller's reaches the payload (3 is ls's own)"
# CVE-2024-21626: a workdir through an fd the caller leaked (7: the host's /), or one of
# kbox's own, never takes the payload out of its root.
for n in 3 4 5 6 7 8 9 10; do
	msg=$(run -w /proc/self/fd/$n "$img" probe escape 7</)
	is "$?:$(echo "$msg" | grep -cE 'root=ESCAPED|appliance=REACHED')" 125:0 \
		"-w /proc/self/fd/$n, with fd 7 the host's / leaked by the caller: refused, exits 125"
done
is "$(run --name magic -w /proc/self/fd/0 "$img" true 7</)" \
	"kbox: magic: workdir: '/proc/self/fd/0': a magic link (/proc/PID/fd/N, /proc/self/exe, ...) is refused" \
	"a magic link that exists is refused by name"
msg=$(run --name dirin -i "$img" true </)
is "$?:$msg" "125:kbox: dirin: fd 0 is a directory, which would lead out of the root" \
	"-i with a directory for stdin (the host's /) is refused"
links=$out/tests/run-image-links
rm -rf "$links" && cp -a "$img" "$links" && ln -s /proc/self/fd/7 "$links/wd" && ln -s /wd "$links/wd2"
msg=$(run -w /wd2 "$links" probe escape 7</)
is "$?:$(echo "$msg" | grep -cE 'root=ESCAPED|appliance=REACHED')" 125:0 \
	"an image whose workdir leads through symlinks to /proc/self/fd/7: refused"
ln -s /bin "$links/bindir"
is "$(run -w /bindir "$links" sh -c pwd)" /bin "a workdir through an absolute symlink resolves inside the root"
mkdir -p "$links/etc" && ln -s /run/resolv.conf "$links/etc/resolv.conf" && ln -s ../srv/data "$links/data"
is "$(run -v "$top/tests/host:/data:ro" -v "$top/tests/host/run.t:/etc/resolv.conf:ro" "$links" sh -c 'ls /srv/data/run.t; head -n 1 /run/resolv.conf')" \
	"/srv/data/run.t
$(head -n 1 "$top/tests/host/run.t")" "binds through dangling symlinks (absolute, relative) land inside the root"

# CVE-2024-21626: a workdir through an fd that reached the child leads out of the root. The
# caller's fd 3 is the host's /; /proc/self/fd/3 as -w, or as a symlink the image ships, or
# any /proc/self/fd/N, must not become a cwd outside the container.
for n in 3 4 5 6 7 8 9 10; do
	msg=$(run -w /proc/self/fd/$n "$img" sh -c 'ls ../../../../../.. | tr "\n" " "' 3</ 4</ 5</ 9</)
	[ $? = 125 ] && [[ $msg == *"workdir: '/proc/self/fd/$n'"* ]]
	ok $? "-w /proc/self/fd/$n with the caller's fds on the host's / is refused ($msg)"
done
ln -sfn /proc/self/fd/3 "$img/leak"
msg=$(run -w /leak "$img" sh -c 'ls ../../../../../.. | tr "\n" " "' 3</)
[ $? = 125 ] && [[ $msg == *"workdir: '/leak'"* ]]
ok $? "an image's symlink to /proc/self/fd/3 as the workdir is refused ($msg)"
rm -f "$img/leak"
ln -sfn ../../../../../../bin "$img/up"
is "$(run -w /up "$img" sh -c 'pwd; ls busybox')" "/bin
busybox" "a symlink with ../ past the image's root stays in the root"
rm -f "$img/up"
# CVE-2017-5226 (bubblewrap's, TIOCSTI): a payload that types into the terminal kbox run was
# started from has its line run by the caller's shell, outside, once the container is gone.
# The payload is in a session of its own, without that terminal as its controlling tty.
got=$(timeout 60 script -qec "bash -c '\"$kbox\" run --rm \"$img\" probe sti \"echo INJECTED
\"; read -t 3 -r line; echo caller-read=\$line'" /dev/null </dev/null 2>&1 | tr -d '\r')
is "$(echo "$got" | grep -E '^(sti|caller-read)=' | tr '\n' ' ')" "sti=EPERM caller-read= " \
	"a payload cannot push input into the caller's terminal (TIOCSTI)"
is "$(timeout 60 script -qec "\"$kbox\" run --rm \"$img\" sh -c 'cat /dev/tty 2>&1 | grep -o \"No such device or address\"'" /dev/null </dev/null 2>&1 | tr -d '\r')" \
	"No such device or address" "and has no controlling terminal (/dev/tty is ENXIO)"
caps=$(run "$img" grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status | tr '\t\n' ' ')
is "$caps" "CapEff: 00000000a00405fb CapBnd: 00000000a00405fb NoNewPrivs: 1 Seccomp: 2 " \
	"Docker's default caps less NET_RAW (as podman) and CAP_MKNOD (no device cgroup on v1), no_new_privs, seccomp"
is "$(run --cap-add NET_RAW "$img" grep CapEff: /proc/self/status)" "CapEff:	00000000a00425fb" \
	"--cap-add NET_RAW gives it back"
is "$(run "$img" cat /proc/sys/net/ipv4/ping_group_range)" "0	2147483647" \
	"ICMP datagram sockets are open to every group in its network namespace (ping without NET_RAW)"
is "$(run --userns 0:1000:65536 "$img" cat /proc/sys/net/ipv4/ping_group_range)" "0	65535" \
	"with a user namespace, to every group it maps"
is "$(run --sysctl 'net.ipv4.ping_group_range=1 0' "$img" cat /proc/sys/net/ipv4/ping_group_range)" \
	"1	0" "a spec's own ping_group_range stays"
is "$(run "$img" probe try mount unshare keyctl bpf reboot | tr '\n' ' ')" \
	"mount=EPERM unshare=EPERM keyctl=EPERM bpf=EPERM reboot=EPERM " "the default seccomp profile denies"
is "$(run --cap-add SYS_ADMIN --security-opt seccomp=unconfined "$img" grep Seccomp: /proc/self/status)" \
	"Seccomp:	0" "--security-opt seccomp=unconfined"
# CVE-2019-5736: wherever a container can reach a kbox process, that process is sealed.
is "$(run --init "$img" readlink /proc/1/exe)" "/memfd:kbox (deleted)" \
	"--init: the container's PID 1 (kbox-init) runs from a sealed copy of kbox"
is "$(run --pid host --cap-add SYS_PTRACE "$img" sh -c 'readlink /proc/$PPID/exe')" \
	"/memfd:kbox (deleted)" "--pid host: so does the kbox run process the container can see"
is "$(run --pid host "$img" sh -c 'readlink /proc/$PPID/exe || echo denied')" "denied" \
	"and without SYS_PTRACE the container cannot even look at it"
printf 'deny mkdir\n' >"$out/tests/run-deny-mkdir.seccomp"
is "$(run --security-opt seccomp="$out/tests/run-deny-mkdir.seccomp" "$img" sh -c 'mkdir /x 2>&1; touch /y && echo touched')" \
	"mkdir: can't create directory '/x': Operation not permitted
touched" "--security-opt seccomp=FILE: its deny rule holds, the rest runs"
printf 'deny frobnicate\n' >"$out/tests/run-bad.seccomp"
msg=$(run --security-opt seccomp="$out/tests/run-bad.seccomp" "$img" true)
is "$?:$msg" "125:kbox: run-${msg#kbox: run-}" "a profile naming no system call exits 125"
[[ $msg == *": seccomp: 'frobnicate' is not a system call" ]]
ok $? "and says which name ($msg)"
is "$(run "$img" mknod /tmp/sda b 8 0)" "mknod: /tmp/sda: Operation not permitted" "no mknod"
# ...but an image can ship device nodes, made where it was built: on this cgroup v1 host no
# device allowlist holds the payload in, and the host's /dev/kvm and /dev/fuse opened (on
# most hosts its disk would too). Without an allowlist the root is mounted nodev.
nodes=$out/tests/run-image-nodes
rm -rf "$nodes" && cp -a "$img" "$nodes" && mknod "$nodes/fuse" c 10 229 && mknod "$nodes/kvm" c 10 232 &&
	mknod "$nodes/tmp/null" c 1 3
is "$(run "$nodes" sh -c 'for n in fuse kvm tmp/null; do (exec 3<>/$n) 2>/dev/null && echo $n=OPEN || echo $n=denied; done; echo x >/dev/null && echo dev-null=OK')" \
	"fuse=denied
kvm=denied
tmp/null=denied
dev-null=OK" "device nodes an image ships do not open (not even null), its /dev's do"
is "$(run --read-only "$nodes" sh -c '(exec 3<>/kvm) 2>/dev/null && echo kvm=OPEN || echo kvm=denied')" \
	"kvm=denied" "nor with --read-only, whose remount of the root keeps nodev"

is "$(run "$img" sh -c 'echo x >/bin/new && cat /bin/new')" x "the root is writable"
run --read-only "$img" touch /x >/dev/null
is $? 1 "--read-only: it is not"
is "$(run -v "$top/tests/host:/mnt/t:ro" "$img" sh -c 'ls /mnt/t/run.t; touch /mnt/t/x 2>&1 | grep -o Read-only')" \
	"/mnt/t/run.t
Read-only" "-v SRC:DST:ro"
is "$(echo piped | run -i "$img" cat)" piped "-i passes stdin"
is "$(echo piped | run "$img" cat)" "" "without -i stdin is empty"
is "$(run --userns 0:100000:65536 "$img" sh -c 'cat /proc/self/uid_map | tr -s " "; id -u; stat -c %u /bin')" \
	" 0 100000 65536
0
0" "--userns: root inside is 100000 outside, and owns the image"

msg=$(run "$img" /nope)
is $? 127 "a missing command exits 127"
like=$(echo "$msg" | grep -c "^kbox: run-[0-9]*: exec '/nope': No such file or directory$")
is "$like" 1 "and says why ($msg)"
run "$img" /etc/passwd >/dev/null
is $? 126 "a command that cannot run exits 126"
msg=$(run --memory 64M "$img" true)
is $? 125 "a memory limit on a cgroup v1 host exits 125"
[[ $msg == *": memory: needs cgroup v2, and /sys/fs/cgroup on this host is not" ]]
ok $? "and says why ($msg)"
msg=$(run --cpus 0.5 --name lim "$img" true)
is "$msg" "kbox: lim: cpus: needs cgroup v2, and /sys/fs/cgroup on this host is not" "so does cpus"
msg=$(run --memory 64Q "$img" true)
is $? 125 "a bad value exits 125"
[[ $msg == *": memory: '64Q' is not a size"*"(--memory)" ]]
ok $? "naming the flag ($msg)"
msg=$(run "$img.missing" true)
is $? 125 "a missing image exits 125"
msg=$("$kbox" run -x "$img" 2>&1)
is $? 125 "an unknown flag exits 125"
is "$msg" "kbox: run: unknown flag '-x'" "and says so"
"$kbox" run --help | grep -q '^usage: kbox run'
ok $? "kbox run --help"

# Signals reach the container's PID 1; its exit status comes back.
fifo=$out/tests/run.fifo
rm -f "$fifo" && mkfifo "$fifo"
"$kbox" run --rm --name sig "$img" sh -c 'trap "echo got-TERM; exit 5" TERM; echo ready; while :; do sleep 0.05; done' >"$fifo" 2>&1 &
runner=$!
exec 3<"$fifo"
read -r line <&3
is "$line" ready "a long-running container is up"
msg=$("$kbox" run --name sig "$img" true 2>&1)
is "$?:$msg" "125:kbox: sig: a container of that name is running already" "a second one of that name is refused"
kill -TERM "$runner"
read -r line <&3
is "$line" got-TERM "SIGTERM is passed on to the container"
wait "$runner"
is $? 5 "and its exit status returned"
exec 3<&-
[ ! -e /run/kbox/sig ] && ! grep -q ' /run/kbox/sig/' /proc/mounts
ok $? "--rm leaves neither state nor mounts behind"

"$kbox" run --name keep "$img" sh -c 'echo kept >/kept' >/dev/null 2>&1
is "$(cat /run/kbox/keep/upper/kept)" kept "without --rm the upper layer stays"
is "$("$kbox" run --rm --name keep "$img" cat /kept 2>&1)" kept "and the next run of that name sees it"
# A user namespace's writable layer keeps its shifted owners: the same map again reuses it,
# another map (or none) is refused rather than shifting twice.
rm -rf /run/kbox/shifted
"$kbox" run --name shifted --userns 0:1000:65536 "$img" touch /f >/dev/null 2>&1
is "$(stat -c %u /run/kbox/shifted/upper/f)" 1000 "--userns 0:1000:65536: a new file is uid 1000 outside"
is "$("$kbox" run --name shifted --userns 0:1000:65536 "$img" stat -c %u /f /bin 2>&1 | tr '\n' ' ')" "0 0 " \
	"the same map again: still root's inside, not shifted twice"
msg=$("$kbox" run --name shifted "$img" true 2>&1)
is "$?:$msg" "125:kbox: shifted: userns: its writable layer was made with userns=0:1000:65536; remove /run/kbox/shifted to change that" \
	"without that map the layer is refused"
"$kbox" run --rm --name shifted --userns 0:1000:65536 "$img" true
ok $? "--rm with the same map removes it"

# On a cgroup v2 host. This one is v1 (hybrid): in a mount namespace of our own, the v2
# hierarchy goes on /sys/fs/cgroup, where the controllers that v1 holds are missing.
v2() { unshare -m sh -c 'umount -l /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup && exec "$@"' v2 "$@"; }
is "$(v2 "$kbox" run --rm "$img" sh -c 'mknod /tmp/null c 1 3 && echo null-ok; mknod /tmp/sda b 8 0 2>&1')" \
	"null-ok
mknod: /tmp/sda: Operation not permitted" \
	"cgroup v2: CAP_MKNOD stays, and the device allowlist admits null but no block device"
if ! v2 grep -qw memory /sys/fs/cgroup/cgroup.controllers; then
	msg=$(v2 "$kbox" run --rm --memory 64M "$img" true 2>&1)
	is "$?:${msg#kbox: run-*: }" "125:memory: no memory.max here: the memory controller is not enabled for kbox's cgroups" \
		"cgroup v2 without a memory controller: --memory is refused, saying why"
else
	is "$(v2 "$kbox" run --rm --memory 64M "$img" cat /sys/fs/cgroup/memory.max)" 67108864 \
		"cgroup v2 with a memory controller: --memory is the container's memory.max"
fi

# Ids that wrapped to root (2^32 was uid 0 with the default caps, 2^32-1 uid 0 without them,
# 99999999999 became 1215752191) are refused, naming the key, and nothing runs.
for uid in 4294967296 4294967295 99999999999; do
	msg=$(run -u $uid "$img" echo ran-as-$uid)
	is "$?:$msg" "125:kbox: run-${msg#kbox: run-}" "-u $uid exits 125 and the payload never runs"
	[[ $msg == *": user: '$uid' is out of range (0..4294967294) (-u)" ]]
	ok $? "and says why ($msg)"
done
is "$(run -u 4294967294 "$img" id -u)" 4294967294 "-u 4294967294, the largest uid, is that uid"
# The same through the image's own /etc/passwd and /etc/group, which the image's author
# writes: a name whose uid or gid would wrap is refused, naming the file, never made uid 0
# (2^32 ran as root with the default caps; -1 as root without them, a no-op setresuid).
wimg=$out/tests/run-wrap-image
host_image "$wimg"
cat >>"$wimg/etc/passwd" <<'EOF'
wrap:x:4294967296:100:w:/:/bin/sh
minus:x:-1:100:m:/:/bin/sh
big:x:99999999999:100:b:/:/bin/sh
blank:x: 7:100:s:/:/bin/sh
gwrap:x:1000:4294967296:g:/:/bin/sh
app:x:1000:1000:a:/:/bin/sh
EOF
printf 'gwrapped:x:4294967296:\napp:x:1000:\n' >>"$wimg/etc/group"
for u in wrap minus big blank gwrap 1000 app:gwrapped 0:gwrapped; do
	msg=$(run -u $u "$wimg" sh -c 'echo ran as $(id -u):$(id -g)')
	[[ $? == 125 && $msg == *": user: '"*"' in the image's /etc/"*" is not an id (0..4294967294)" ]]
	ok $? "-u $u: an id the image writes out of range is refused ($msg)"
done
is "$(run -u app "$wimg" sh -c 'echo $(id -u):$(id -g)')" 1000:1000 "-u app: its uid and primary gid"
is "$(run -u app:app "$wimg" sh -c 'echo $(id -u):$(id -g)')" 1000:1000 "-u app:app"
# The image's /etc/passwd as a fifo held the container's setup forever at open; as a link
# to /dev/zero it read until memory ran out. Only a regular file of sane size is read.
pimg=$out/tests/run-passwd-image
host_image "$pimg"
rm -f "$pimg/etc/passwd" && mkfifo "$pimg/etc/passwd"
msg=$(timeout 20 "$kbox" run --rm -u app "$pimg" true 2>&1)
is "$?:${msg#kbox: run-*: }" "125:user: the image's /etc/passwd is a fifo, not a file" "-u app with /etc/passwd a fifo: refused at once"
rm -f "$pimg/etc/passwd" && ln -s /dev/zero "$pimg/etc/passwd"
msg=$(timeout 20 "$kbox" run --rm -u app "$pimg" true 2>&1)
is "$?:${msg#kbox: run-*: }" "125:user: the image's /etc/passwd is a character device, not a file" "and a link to /dev/zero: refused, nothing read"
rm -f "$pimg/etc/passwd" && head -c $((5 << 20)) /dev/zero | tr '\0' '#' >"$pimg/etc/passwd"
msg=$(timeout 20 "$kbox" run --rm -u app "$pimg" true 2>&1)
is "$?:${msg#kbox: run-*: }" "125:user: the image's /etc/passwd is 5242880 bytes; 4194304 at most" "and a 5 MiB one"
is "$(run -u 0100:0200 "$img" sh -c 'echo $(id -u) $(id -g)')" "100 200" "-u 0100:0200 is decimal"

# The writable layer is a tmpfs of its own: filling it fills nothing else.
free_before=$(df -k --output=avail /run | tail -n 1)
msg=$(run --storage-opt size=2M "$img" sh -c 'df -k / | awk "NR == 2 { print \$2 }"; dd if=/dev/zero of=/fill bs=64k 2>&1 | grep -o "No space left on device"; echo still-here >/small 2>&1 || echo no-room')
is "$msg" "2048
No space left on device
no-room" "--storage-opt size=2M: the root holds 2M, and a dd to /fill stops at ENOSPC"
free_after=$(df -k --output=avail /run | tail -n 1)
[ $((free_before - free_after)) -lt 1024 ]
ok $? "and /run on the host did not lose it ($free_before -> $free_after KiB free)"
is "$(run "$img" sh -c 'df -k / | awk "NR == 2 { print \$2 }"')" 65536 "the default layer is 64M"
"$kbox" run --name layered "$img" sh -c 'echo kept >/kept' >/dev/null 2>&1
grep -q ' /run/kbox/layered/layer tmpfs ' /proc/mounts
ok $? "without --rm the layer's tmpfs stays mounted for the next run of that name"
is "$("$kbox" run --rm --name layered --storage-opt size=4M "$img" sh -c 'cat /kept; df -k / | awk "NR == 2 { print \$2 }"' 2>&1 | tr '\n' ' ')" \
	"kept 4096 " "the next run sees its files, at its own size"
! grep -q ' /run/kbox/layered' /proc/mounts && [ ! -e /run/kbox/layered ]
ok $? "and --rm unmounts and removes it"

is "$(find "$img" -printf '%p %s %m %u\n' | sort | md5sum)" "$before" "the image is unchanged"
done_testing
