#!/bin/bash
# A bundle's root, set up by rootfs_child_setup_oci (out/tests/ocimount, in new namespaces):
# mounts[] with their options, runc's cgroup v1 layout on this hybrid host, /dev's nodes and
# links, maskedPaths, readonlyPaths, root.readonly, rootfsPropagation, sysctls; and the
# attacks: destinations, masks, read-only paths and devices through an image's symlinks
# (to /, ../../, /proc/self/root, a host path) stay inside the root.
. "$(dirname "$0")/../lib.sh"
host_lock "$@"
drv=$out/tests/ocimount
work=$out/tests/oci-rootfs
img=$work/image
victim=$work/victim # a host directory no container may reach: it stays empty
rm -rf "$work" && mkdir -p "$work" "$victim"
echo secret >"$work/victim-file"
host_image "$img"
ok $? "a busybox image in $img"

base_mounts='{"destination":"/proc","type":"proc","source":"proc","options":["nosuid","noexec","nodev"]},
{"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},
{"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620"]},
{"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev","ro"]},
{"destination":"/sys/fs/cgroup","type":"cgroup","source":"cgroup","options":["nosuid","noexec","nodev","relatime","ro"]}'

# bundle NAME: a fresh bundle with a copy of the image as rootfs/; its path in $b.
bundle() {
	b=$work/$1
	rm -rf "$b" && mkdir -p "$b" && cp -a "$img" "$b/rootfs"
}

# config CMD [MOUNTS] [LINUX] [ROOT]: $b/config.json running sh -c CMD; MOUNTS after the
# base ones (each with a leading comma), LINUX inside linux{} (with a leading comma), ROOT
# the root object's extra keys (with a leading comma). BASE=0: no base mounts.
config() {
	local m=$base_mounts
	[ "${BASE:-1}" = 1 ] || m='{"destination":"/proc","type":"proc","source":"proc"}'
	cat >"$b/config.json" <<-JSON
	{"ociVersion":"1.0.2",
	 "process":{"args":["/bin/sh","-c",$(jq -Rn --arg c "$1" '$c')],"cwd":"/","env":["PATH=/bin"],
	  "user":{"uid":0,"gid":0}},
	 "root":{"path":"rootfs"${4:-}},
	 "mounts":[$m${2:-}],
	 "linux":{"namespaces":[{"type":"pid"},{"type":"mount"}]${3:-}}}
	JSON
}
# run: the driver's stdout, then its stderr but the callback's line (in $work/stderr).
run() {
	local rc
	"$drv" "$b" 2>"$work/stderr"
	rc=$?
	grep -v '^before_pivot: ' "$work/stderr"
	return $rc
}

# --- what a config asks for ---
bundle base
mkdir -p "$b/hostdir" "$b/rootfs/data" && echo hi >"$b/hostdir/f" && echo filedata >"$b/hostfile"
ln -s hostdir "$b/hostlink"
config 'cat /proc/self/mountinfo' \
	',{"destination":"/mnt/h","type":"bind","source":"hostdir","options":["rbind","ro"]}
	 ,{"destination":"/mnt/l","type":"bind","source":"hostlink","options":["bind","nosuid","nodev"]}
	 ,{"destination":"/etc/hostfile","type":"bind","source":"'"$b"'/hostfile","options":["bind"]}'
minfo=$(run)
is "$?" 0 "a default-like config sets up and runs"
has() { echo "$minfo" | awk -v d="$1" '$5 == d' | grep -qE -- "$2"; }
has / '^' && ! echo "$minfo" | grep -q " $top "
ok $? "/ is the bundle's root, and the host's tree is gone from the mount table"
has /proc ' - proc ' && has /proc 'nosuid,nodev,noexec'
ok $? "/proc is a proc, nosuid,nodev,noexec"
has /dev 'rw,nosuid - tmpfs .*mode=755'
ok $? "/dev is a tmpfs, nosuid, mode=755"
has /dev/pts ' - devpts .*ptmxmode=666'
ok $? "/dev/pts is a devpts of its own (newinstance, ptmxmode=0666)"
has /sys '^[^ ]+ [^ ]+ [^ ]+ [^ ]+ [^ ]+ ro,.* - sysfs '
ok $? "/sys is a read-only sysfs"
has /sys/fs/cgroup ' ro,nosuid,nodev,noexec.* - tmpfs '
ok $? "cgroup on this v1 host: a read-only tmpfs at /sys/fs/cgroup"
memcg=$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)
has /sys/fs/cgroup/memory "^[^ ]+ [^ ]+ [^ ]+ $memcg /sys/fs/cgroup/memory ro,nosuid,nodev,noexec.* - cgroup "
ok $? "...with the memory hierarchy's own cgroup ($memcg) bound read-only at memory"
n=$(grep -c ' - cgroup ' /proc/self/mountinfo)
is "$(echo "$minfo" | awk '$5 ~ "^/sys/fs/cgroup/"' | grep -c ' - cgroup ')" "$n" \
	"...and every v1 hierarchy of the host's ($n)"
has /mnt/h '^[^ ]+ [^ ]+ [^ ]+ [^ ]+ [^ ]+ ro,'
ok $? "a bind with ro is read-only"
has /mnt/l 'rw,nosuid,nodev' && has /mnt/l "$b/hostdir "
ok $? "a bind's source through the bundle's symlink is followed (the caller's path), nosuid,nodev"
has /etc/hostfile "$b/hostfile "
ok $? "a file bound where the image had none (an empty file made as the mount point)"

config 'cat /mnt/h/f; echo x 2>&1 >/mnt/h/g; cat /etc/hostfile' \
	',{"destination":"/mnt/h","type":"bind","source":"hostdir","options":["rbind","ro"]}
	 ,{"destination":"/etc/hostfile","type":"bind","source":"'"$b"'/hostfile","options":["bind"]}'
out1=$(run)
is "$out1" "hi
/bin/sh: can't create /mnt/h/g: Read-only file system
filedata" "binds' contents, a write to the ro one refused"
is "$(cat "$work/stderr")" "before_pivot: in the host's root" "the callback runs before pivot_root"
OCIMOUNT_FAIL_HOOK=1 "$drv" "$b" >/dev/null 2>"$work/err"
is "$?:$(tail -n1 "$work/err")" "125:ocimount: createContainer hook failed" \
	"a failing before-pivot callback fails the setup with its reason"

# devices, links
config 'for d in null zero full random urandom tty mine sub/blk; do stat -c "%n %A %u %g %t %T" /dev/$d; done; for l in fd stdin stdout stderr ptmx; do echo $l $(readlink /dev/$l); done' \
	'' ',"devices":[{"path":"/dev/mine","type":"c","major":1,"minor":11,"fileMode":416,"uid":7,"gid":8},
	 {"path":"/dev/sub/blk","type":"b","major":7,"minor":200,"uid":4294967294,"gid":1}]'
is "$(run)" "/dev/null crw-rw-rw- 0 0 1 3
/dev/zero crw-rw-rw- 0 0 1 5
/dev/full crw-rw-rw- 0 0 1 7
/dev/random crw-rw-rw- 0 0 1 8
/dev/urandom crw-rw-rw- 0 0 1 9
/dev/tty crw-rw-rw- 0 0 5 0
/dev/mine crw-r----- 7 8 1 b
/dev/sub/blk brw-rw-rw- 4294967294 1 7 c8
fd /proc/self/fd
stdin /proc/self/fd/0
stdout /proc/self/fd/1
stderr /proc/self/fd/2
ptmx pts/ptmx" \
	"runc's default nodes, the config's with mode, uid and gid (2^32-2 too), and /dev's links"
# dev_t keeps 12 bits of major and 20 of minor: more would wrap to another device (4104:0 to
# the disk 8:0) behind the allowlist's back.
for dev in '4104 0' '8 1048576' '4294967295 4294967295'; do
	set -- $dev
	config 'ls -l /dev/wrap' '' ",\"devices\":[{\"path\":\"/dev/wrap\",\"type\":\"b\",\"major\":$1,\"minor\":$2}]"
	is "$(run)" "ocimount: device /dev/wrap: $1:$2 is out of range (major 0..4095, minor 0..1048575)" \
		"a device $1:$2 is refused, not made as another"
done
config 'stat -c "%t %T" /dev/edge' '' ',"devices":[{"path":"/dev/edge","type":"c","major":4095,"minor":1048575}]'
is "$(run)" "fff fffff" "...and 4095:1048575, the largest, is made as it is"
bundle devbound
config 'ls /dev | grep -c .; readlink /dev/fd || echo nolink' \
	',{"destination":"/dev","type":"bind","source":"/dev","options":["rbind"]}' \
	',"devices":[{"path":"/dev/kbox-oci-test","type":"c","major":1,"minor":3}]'
is "$(run | head -n2 | tail -n1)" "/proc/self/fd" "/dev bound from the host: its own nodes and links, as they are"
[ ! -e /dev/kbox-oci-test ]
ok $? "...and no node made in the host's /dev"

# In a user namespace no node can be made: the host's are bound, at the same path.
bundle userns
maps='"uidMappings":[{"containerID":0,"hostID":0,"size":65536}],"gidMappings":[{"containerID":0,"hostID":0,"size":65536}]'
config "stat -c '%n %t %T' /dev/null /dev/kmsg; echo x >/dev/null && echo written; grep -E ' /dev/(null|kmsg) ' /proc/self/mountinfo | cut -d' ' -f4,5" '' \
	',"namespaces":[{"type":"mount"},{"type":"user"}],'"$maps"',"devices":[{"path":"/dev/kmsg","type":"c","major":1,"minor":11}]'
sed -i 's/"namespaces":\[{"type":"pid"},{"type":"mount"}\],//' "$b/config.json"
is "$(OCIMOUNT_USERNS=1 run)" "/dev/null 1 3
/dev/kmsg 1 b
written
/null /dev/null
/kmsg /dev/kmsg" "in a user namespace the host's nodes are bound (runc's defaults and the config's)"
sed -i 's|"/dev/kmsg","type"|"/dev/kbox-none","type"|' "$b/config.json"
is "$(OCIMOUNT_USERNS=1 run)" "ocimount: device /dev/kbox-none: bind the host's (no node can be made in a user namespace): No such file or directory" \
	"...and one the host lacks fails, saying why"

# maskedPaths, readonlyPaths, root.readonly, sysctl
bundle harden
mkdir -p "$b/rootfs/data" "$b/rootfs/data2"
config 'wc -c </proc/keys; ls -A /proc/acpi | wc -l; touch /proc/acpi/x 2>&1; touch /data/x 2>&1; grep " /proc/sys " /proc/self/mountinfo | cut -d" " -f6 | cut -d, -f1; cat /proc/sys/net/ipv4/ip_forward' '' \
	',"maskedPaths":["/proc/keys","/proc/acpi","/proc/nonexistent"],"readonlyPaths":["/data","/proc/sys","/nonexistent"],"sysctl":{"net.ipv4.ip_forward":"1"}'
# A net.* sysctl needs a network namespace of the container's own (the driver makes one).
sed -i 's/{"type":"mount"}\]/{"type":"mount"},{"type":"network"}]/' "$b/config.json"
is "$(run)" "0
0
touch: /proc/acpi/x: Read-only file system
touch: /data/x: Read-only file system
ro
1" \
	"a masked file reads empty, a masked directory is an empty read-only tmpfs, read-only paths refuse writes, missing ones are skipped, the sysctl is set"
config 'touch /x 2>&1; touch /data2/y && echo rw; awk "\$5 == \"/\" {print \$6}" /proc/self/mountinfo' \
	',{"destination":"/data2","type":"tmpfs","source":"tmpfs"}' '' ',"readonly":true'
is "$(run | head -n3)" "touch: /x: Read-only file system
rw
ro,relatime" "root.readonly: / is read-only, and only that (not nosuid), a tmpfs below it writable"

# Where the bundle is on a shared mount (this host's / is private: in a namespace of its own,
# which sh stays in while the driver runs: a namespace left empty takes its peers with it).
for p in shared private slave; do
	config 'awk "\$5 == \"/\"" /proc/self/mountinfo' '' ",\"rootfsPropagation\":\"$p\""
	line=$(unshare -m --propagation shared sh -c '"$0" "$1"; :' "$drv" "$b" 2>/dev/null | head -n1)
	case $p in
	shared) [[ $line == *" shared:"* ]] ;;
	private) [[ $line != *" shared:"* && $line != *" master:"* ]] ;;
	slave) [[ $line == *" master:"* && $line != *" shared:"* ]] ;;
	esac
	ok $? "rootfsPropagation $p on / ($line)"
done

# --- attacks: an image's symlinks never lead a destination out of the root ---
bundle attack
ln -s / "$b/rootfs/toroot"
ln -s ../../../../../../.. "$b/rootfs/up"
ln -s /proc/self/root "$b/rootfs/pr"
ln -s "$victim" "$b/rootfs/evil"
msg=$(BASE=0 config '' ',{"destination":"/toroot","type":"tmpfs","source":"tmpfs"}' && run)
is "$?:$msg" "125:ocimount: tmpfs: '/toroot' is the container's root itself" \
	"a destination through a symlink to / is refused"
msg=$(BASE=0 config '' ',{"destination":"/up","type":"tmpfs","source":"tmpfs"}' && run)
is "$?:$msg" "125:ocimount: tmpfs: '/up' is the container's root itself" \
	"a destination through a symlink to ../../../.. is refused"
BASE=0 config 'awk "{print \$5}" /proc/self/mountinfo | grep -x /sub' \
	',{"destination":"/up/sub","type":"tmpfs","source":"tmpfs"}'
is "$(run | head -n1)" /sub "a destination below ../../../.. lands at the root's /sub"
msg=$(BASE=0 config '' ',{"destination":"/pr/etc","type":"tmpfs","source":"tmpfs"}' && run)
is "$?:$msg" "125:ocimount: tmpfs: '/pr/etc': a magic link (/proc/PID/fd/N, /proc/self/exe, ...) is refused" \
	"a destination through /proc/self/root (proc mounted before it) is refused"
BASE=0 config "grep -c ' $victim/x ' /proc/self/mountinfo; cat $victim/f/hostfile" \
	',{"destination":"/evil/x","type":"tmpfs","source":"tmpfs"}
	 ,{"destination":"/evil/f/hostfile","type":"bind","source":"'"$work"'/victim-file"}'
is "$(run | head -n2)" "1
secret" "a tmpfs and a bind through a symlink to a host directory land inside the root"
is "$(ls -A "$victim")" "" "...and nothing was made in the host's directory"
is "$(ls -A "$b/rootfs$victim" | tr '\n' ' ')" "f x " "...but the root's own"

bundle maskattack
mkdir -p "$b/rootfs/etc" "$b/rootfs/data2"
ln -s "$work/victim-file" "$b/rootfs/etc/ml"
ln -s /data2 "$b/rootfs/rol"
ln -s "$victim" "$b/rootfs/rol2"
config 'cat /etc/ml 2>&1; touch /data2/x 2>&1; echo end' '' \
	',"maskedPaths":["/etc/ml"],"readonlyPaths":["/rol","/rol2"]'
is "$(run | head -n3)" "cat: can't open '/etc/ml': No such file or directory
touch: /data2/x: Read-only file system
end" "maskedPaths and readonlyPaths through symlinks to host paths resolve in the root (missing there: nothing), a symlink inside it is followed inside it"
mkdir -p "$b/rootfs$work" && echo inside >"$b/rootfs$work/victim-file"
config 'wc -c </etc/ml' '' ',"maskedPaths":["/etc/ml"]'
is "$(run | head -n1)" 0 "...where the root has that path, the root's file is masked"

bundle devattack
rm -rf "$b/rootfs/dev" && ln -s "$victim" "$b/rootfs/dev"
BASE=0 config "ls $victim | tr '\n' ' '" '' \
	',"devices":[{"path":"/dev/mine","type":"c","major":1,"minor":3}]'
is "$(run | head -n1)" "fd full mine null ptmx random stderr stdin stdout tty urandom zero " \
	"an image whose /dev is a symlink to a host directory gets its nodes inside the root"
is "$(ls -A "$victim")" "" "...and none in the host's directory"
sed -i 's|"/dev/mine"|"/dev/../etc/x"|' "$b/config.json"
msg=$("$drv" "$b" 2>&1)
is "$?:$msg" "2:ocimount: config.json: linux.devices[0].path: '/dev/../etc/x' has a '..' component" \
	"a device path /dev/../etc/x is refused by the parser"

rm -rf "$work"
done_testing
