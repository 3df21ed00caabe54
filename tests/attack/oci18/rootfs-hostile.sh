#!/bin/bash
# A hostile image: /proc, /dev, /sys, /dev/shm and a masked path are symlinks that climb
# out of the root (absolute and relative), linux.devices at '../../../x' and '/dev/../../x',
# a mount destination with '..'. Nothing may be created or mounted outside the rootfs.
# Exit 1 when something was.
. "$(dirname "$0")/lib.sh"
bad=0; n=0
H=$T/host; mkdir -p "$H"
check() {
	if awk -v t="$H" 'index($5, t)==1' /proc/self/mountinfo | grep -q .; then echo "FAIL($1): mount on host $H"; bad=1; fi
	if [ -n "$(ls -A "$H")" ]; then echo "FAIL($1): created on host: $(ls -A "$H")"; bad=1; rm -rf "${H:?}"/*; fi
}
try() { # try NAME SETUP JQ
	n=$((n+1)); rm -rf "$T/b"; mkbundle "$T/b" >/dev/null
	(cd "$T/b/rootfs" && eval "$2")
	cfg "$T/b" '.process.terminal=false | .process.args=["sh","-c","ls /proc /dev /sys >/dev/null 2>&1; echo in"] | '"$3"
	out=$(cd "$T/b" && timeout 10 "$RT" --root "$ROOT" run h$n </dev/null 2>&1)
	echo "$1: rc=$? $(echo "$out" | tail -1 | cut -c1-150)"
	R delete --force h$n >/dev/null 2>&1
	check "$1"
}
try proc-abs 'rm -rf proc; ln -s '"$H"' proc' '.'
try proc-rel 'rm -rf proc; ln -s ../../../../../../../..'"$H"' proc' '.'
try dev-abs 'rm -rf dev; ln -s '"$H"' dev' '.'
try sys-abs 'rm -rf sys; ln -s '"$H"' sys' '.'
try shm-abs 'mkdir -p dev; ln -s '"$H"' dev/shm' '.'
try pts-abs 'mkdir -p dev; ln -s '"$H"' dev/pts' '.'
try mqueue 'mkdir -p dev; ln -s '"$H"' dev/mqueue' '.'
try cgroup 'mkdir -p sys/fs; ln -s '"$H"' sys/fs/cgroup' '.'
try masked 'ln -s '"$H"' m' '.linux.maskedPaths += ["/m/x", "/m"]'
try readonly 'ln -s '"$H"' r' '.linux.readonlyPaths += ["/r"]'
try dev-node-dotdot ':' '.linux.devices=[{"path":"/dev/../../../../../../..'"$H"'/null","type":"c","major":1,"minor":3}]'
try dev-node-sym 'mkdir -p dev; ln -s '"$H"' dev/sub' '.linux.devices=[{"path":"/dev/sub/null","type":"c","major":1,"minor":3}]'
try dest-dotdot ':' '.mounts += [{"destination":"/../../../../../../..'"$H"'","type":"tmpfs","source":"t"}]'
try dest-rel ':' '.mounts += [{"destination":"../../../../../..'"$H"'","type":"tmpfs","source":"t"}]'
try bind-dest-sym 'ln -s '"$H"' bd' '.mounts += [{"destination":"/bd","type":"bind","source":"/etc","options":["rbind","ro"]}]'
# (root.path itself, a symlink or absolute, is the caller's to choose, as in runc: not tried)
exit $bad
