#!/bin/bash
# One boot, many containers: the first container, exec errors, spec errors next to good
# containers, overlay, namespaces and cgroups, orphan reaping, and a clean poweroff.
# (--hostfwd only proves QEMU takes the short form; traffic comes with networking.)
. "$(dirname "$0")/../lib.sh"

# 1000 orphans: each subshell leaves a background child behind, re-parented to PID 1.
# Then wait (bounded) until PID 1 has reaped every zombie in the machine. No double quotes:
# the kernel's command line toggles quoting at every one.
orphans='i=0; while [ $i -lt 1000 ]; do (true &); i=$((i+1)); done;
n=1; t=0; while [ $n -gt 0 ] && [ $t -lt 400 ]; do
n=$(cat /proc/[0-9]*/stat 2>/dev/null | grep -c \)\ Z\ ); t=$((t+1)); [ $n = 0 ] || sleep 0.05; done;
echo zombies=$n'

boot first 180 "kbox.hello.image=busybox kbox.hello.cmd=\"echo hi from kbox\"
 kbox.quote.cmd=\"sh -c 'echo \$HOSTNAME'\"
 kbox.ident.hostname=other kbox.ident.cmd=\"sh -c 'set -- /proc/[0-9]*; echo host=\$(hostname) pid=\$\$ procs=\$*'\"
 kbox.envs.env=GREETING=hello kbox.envs.workdir=/tmp kbox.envs.cmd=\"sh -c 'echo \$GREETING from \$(pwd) home=\$HOME'\"
 kbox.status.cmd=\"sh -c 'exit 3'\"
 kbox.overlay.cmd=\"sh -c 'echo data >/etc/new && cat /etc/new && grep -c ^overlay./.overlay. /proc/mounts'\"
 kbox.noexec.cmd=/nope kbox.noperm.cmd=/etc/passwd kbox.unknown.memroy=64M kbox.badsize.memory=64Q
 kbox.noimage.image=missing kbox.stderr.cmd=\"sh -c 'echo to-stderr >&2'\"
 kbox.reaper.pid=host kbox.reaper.cmd=\"sh -c '$orphans'\"
 kbox.cg.caps_add=SYS_ADMIN kbox.cg.cmd=\"sh -c 'mkdir /mnt && mount -t cgroup2 none /mnt && cat /mnt/cgroup.controllers /proc/self/cgroup'\"
 kbox.cghost.pid=host kbox.cghost.cmd=\"cat /proc/1/cgroup\"
 kbox.exit=poweroff" --hostfwd "tcp:$((20000 + $$ % 10000))-:80"

is "$rc" 0 "kbox.exit=poweroff: the guest powered off cleanly (qemu/run exit 0)"
has_line "hello | hi from kbox" "the first container's output is on the console, prefixed"
has_line "kbox: hello: exited with status 0" "its exit status is reported"
has_line "quote | quote" "single quotes group words inside the kernel's double quotes"
has_line "ident | host=other pid=1 procs=/proc/1" "own uts and pid namespaces: hostname, PID 1, no other process"
has_line "envs | hello from /tmp home=/root" "env and workdir reach the payload"
has_line "kbox: status: exited with status 3" "a non-zero exit status is reported"
has_line "overlay | data" "the root is writable (overlay upper)"
has_line "overlay | 1" "the root is an overlay mount"
has_line "kbox: noexec: exec '/nope': No such file or directory" "exec failure is reported with the path"
has_line "kbox: noexec: exited with status 127" "a missing command exits 127"
has_line "kbox: noperm: exec '/etc/passwd': Permission denied" "a non-executable command is reported"
has_line "kbox: noperm: exited with status 126" "a non-executable command exits 126"
has_line "kbox: unknown: memroy: unknown key (cmdline)" "an unknown key names the container, the key and the source"
has_line "kbox: badsize: memory: '64Q' is not a size (like 64M or 1.5G) or max (cmdline)" \
	"a bad value names the container, the key, the value and the reason"
has_line "kbox: summary: badsize: invalid spec" "that container does not start either"
has_line "kbox: summary: unknown: invalid spec" "the container with a bad spec does not start"
has_line "kbox: noimage: image: 'missing' not found in /images" "a missing image names the container and the image"
has_line "stderr | to-stderr" "stderr reaches the console too"
has_line "cg | cpuset cpu io memory pids" "every controller is delegated to the container's leaf"
has_line "cg | 0::/" "the container is the root of its own cgroup namespace"
has_line "cghost | 0::/../../init" "PID 1 sits in its own leaf, /sys/fs/cgroup/init"
has_line "reaper | zombies=0" "1000 orphans re-parented to PID 1 leave no zombie"
n=$(sed -n 's/^kbox: reaped \([0-9]*\) orphans; poweroff$/\1/p' "$log")
[ "${n:-0}" -ge 1000 ]
ok $? "PID 1 reaped at least 1000 orphans (it says ${n:-none})"
has_match '^kbox: /init started \(boot \+[0-9.]+ s\)' "the boot time of /init is logged"
has_match '^kbox: hello: started, pid [0-9]+ \(boot \+[0-9.]+ s\)' "the boot time of the first exec is logged"
before "kbox: no container left running: poweroff, stopping containers" "kbox: summary: hello: exited with status 0" \
	"the summary comes after the last container ended"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
