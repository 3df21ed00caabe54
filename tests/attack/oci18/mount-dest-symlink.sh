#!/bin/bash
# A rootfs whose mount destinations are symlinks out of the root: a tmpfs at /x where
# rootfs/x -> /tmp/HOSTDIR (absolute) and at /y -> ../../../../HOSTDIR2 (relative); a
# masked path that is a symlink to /etc; /dev a symlink to the host's /. Nothing must land
# on the host. Exit 1 (with what happened) when something did.
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b"
H=$T/hostdir; mkdir -p "$H"; touch "$H/canary"
ln -s "$H" "$T/b/rootfs/x"
ln -s "../../../../../../../../$H" "$T/b/rootfs/y"
ln -s /etc "$T/b/rootfs/m"
cfg "$T/b" '.process.terminal=false | .process.args=["sh","-c","ls /x /y; echo done"]
 | .mounts += [{"destination":"/x","type":"tmpfs","source":"tmpfs"},
               {"destination":"/y/sub","type":"tmpfs","source":"tmpfs"}]
 | .linux.maskedPaths += ["/m/passwd"]'
cd "$T/b" && R run t1 </dev/null; echo "rc=$?"
bad=0
grep -q " $H" /proc/self/mountinfo && { echo "FAIL: a mount landed on the host at $H"; bad=1; }
[ -e "$H/canary" ] || { echo "FAIL: host canary hidden"; bad=1; }
[ -d "$H/sub" ] && { echo "FAIL: created $H/sub on the host"; bad=1; }
mount | grep -q ' on /etc' && { echo "FAIL: something mounted on host /etc"; bad=1; }
exit $bad
