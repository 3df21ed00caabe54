#!/bin/bash
# exec checks that the container is running (oci_status, start_time) in the caller, but the
# relay it forks opens the pid only later (runtime/container_oci.c relay_main:
# sys_pidfd_open(target) then setns into all of its namespaces). When the container's
# process exits in between and its pid goes to a host process, the exec'd command runs in
# THAT process's namespaces: here the host's mount namespace and a uts namespace named
# HOSTVICTIM. The window is widened with strace's delay on pidfd_open (a loaded host, a
# slow cgroup join do the same); the pid is handed on with ns_last_pid.
# Exit 1 when the exec ran outside the container.
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b" >/dev/null
echo marker-of-the-host >"$T/hostfile"
cfg "$T/b" '.process.terminal=false | .process.args=["sleep","30"] | .hostname="inside"'
(cd "$T/b" && R create c1 </dev/null && R start c1) || exit 2
P=$(R state c1 | jq .pid); echo "container pid $P"
strace -f -qq -o "$T/strace" -e trace=pidfd_open,setns,clone,clone3 -e inject=pidfd_open:delay_enter=3000000 \
	"$RT" --root "$ROOT" exec c1 sh -c "echo hostname=\$(hostname); cat $T/hostfile 2>&1" \
	</dev/null >"$T/exec.out" 2>&1 &
ex=$!
sleep 1
kill -9 "$P"; while kill -0 "$P" 2>/dev/null; do sleep 0.05; done
for try in $(seq 20); do
	echo $((P - 1)) >/proc/sys/kernel/ns_last_pid
	unshare --uts sh -c 'hostname HOSTVICTIM; exec sleep 20' &
	v=$!
	[ "$v" = "$P" ] && break
	kill $v; wait $v 2>/dev/null
done
echo "host victim pid $v (container's was $P)"
wait $ex; echo "exec rc=$?"; cat "$T/exec.out"; cat "$T/strace"
kill $v 2>/dev/null
R delete --force c1 >/dev/null 2>&1
grep -q 'HOSTVICTIM\|marker-of-the-host' "$T/exec.out" && { echo "FAIL: exec ran in a host process's namespaces"; exit 1; }
exit 0
