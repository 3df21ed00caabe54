#!/bin/bash
# podman 4.3 drives kbox-runc as its OCI runtime: run --rm (output, exit status), run -d +
# logs + exec + stop + rm, run -it through a console socket, kill -s, pause and unpause.
# KBOX_OCI_RUNTIME=/usr/sbin/runc runs the same against runc, which checks the test itself.
# podman gets a storage of its own in a temp dir (vfs, cgroupfs, events in a file, no
# registry: the image is a `podman import` of a busybox tree) and runs in a private mount
# namespace with a tmpfs over /var/lib, where its blob cache would land: nothing of this
# machine's own podman is touched. Its default nofile (1048576) needs CAP_SYS_RESOURCE, which
# this host lacks: every container gets nofile and nproc within the host's hard limits.
. "$(dirname "$0")/../lib.sh"
host_lock "$@"
. "$top/tests/oci/lib.sh"
if [ -z "${KBOX_OCI_NS:-}" ]; then
	"$top/mk/deps" oci >&2 || { echo "not ok 1 - mk/deps oci installs podman"; echo 1..1; exit 1; }
	exec unshare -m --propagation private env KBOX_OCI_NS=1 "$0" "$@"
fi
oci_setup oci-podman
pty=$out/tests/ptydrive
ulimits="--ulimit nofile=20000:20000 --ulimit nproc=32768:32768"
# No container of this test is left running, its storage is gone, whatever failed.
cleanup() {
	pm rm --all --force --time 0 >/dev/null 2>&1
	oci_cleanup
}
trap cleanup EXIT
mount -t tmpfs -o size=16m,mode=755 kbox-oci-podman /var/lib
mkdir -p "$tmp/tmp"
: >"$tmp/registries.conf"
printf '[storage]\ndriver = "vfs"\ngraphroot = "%s/storage"\nrunroot = "%s/run"\n' "$tmp" "$tmp" >"$tmp/storage.conf"
printf '[engine]\nevents_logger = "file"\ncgroup_manager = "cgroupfs"\ntmp_dir = "%s/tmp"\n' "$tmp" >"$tmp/containers.conf"
export TMPDIR=$tmp/tmp CONTAINERS_REGISTRIES_CONF=$tmp/registries.conf
export CONTAINERS_STORAGE_CONF=$tmp/storage.conf CONTAINERS_CONF=$tmp/containers.conf
pm() {
	podman --root "$tmp/storage" --runroot "$tmp/run" --tmpdir "$tmp/tmp" --storage-driver vfs \
		--cgroup-manager cgroupfs --events-backend file --runtime "$rt" "$@"
}
# logs_has NAME LINE [N]: the container's log holds LINE N times (default: at least once).
logs_has() {
	local n
	n=$(pm logs "$1" 2>/dev/null | grep -cxF -- "$2")
	if [ -n "${3:-}" ]; then [ "$n" = "$3" ]; else [ "$n" -gt 0 ]; fi
}
# shellcheck disable=SC2086
prun() { pm run --network none $ulimits "$@"; }

oci_rootfs "$tmp/rootfs" && tar --numeric-owner -C "$tmp/rootfs" -cf "$tmp/bb.tar" . &&
	pm import --quiet "$tmp/bb.tar" localhost/bb:1 >/dev/null
ok $? "podman import of a busybox tree as localhost/bb:1" || { done_testing; exit 1; }

# ---- run --rm: output and exit status ----
got=$(prun --rm localhost/bb:1 sh -c 'echo out-$$; echo err >&2; exit 7' 2>"$tmp/err")
is "$?:$got" "7:out-1" "run --rm: the payload's stdout, its exit status (7), and it is PID 1"
grep -qx err "$tmp/err"
ok $? "run --rm: the payload's stderr reaches podman's" || diag <"$tmp/err"
got=$(prun --rm --hostname pmbox -e GREETING=hi -w /tmp localhost/bb:1 sh -c 'echo $(hostname) $GREETING $(pwd)')
is "$got" "pmbox hi /tmp" "run --rm --hostname -e -w: hostname, environment and working directory"
is "$(prun --rm localhost/bb:1 sh -c 'ulimit -n; ulimit -u')" "$(printf '20000\n32768')" \
	"--ulimit nofile and nproc reach the payload"
is "$(prun --rm --user 1000:1000 localhost/bb:1 id -u):$(prun --rm --user 1000:1000 localhost/bb:1 id -g)" "1000:1000" \
	"run --user 1000:1000"
# --tmpfs: podman asks for tmpcopyup, so the tmpfs holds the image's /etc; notmpcopyup, not.
is "$(prun --rm --tmpfs /etc localhost/bb:1 sh -c 'grep -c ^root: /etc/passwd; grep -c " /etc tmpfs " /proc/mounts')" \
	"$(printf '1\n1')" "run --tmpfs /etc: a tmpfs with the image's /etc copied in (tmpcopyup)"
is "$(prun --rm --tmpfs /etc:notmpcopyup localhost/bb:1 sh -c '[ -e /etc/passwd ] && echo copied || echo empty')" \
	empty "run --tmpfs /etc:notmpcopyup: an empty tmpfs"
# --preserve-fds: the caller's fd 3 through podman and conmon to the payload.
echo passed-in >"$tmp/fd3"
is "$(prun --rm --preserve-fds 1 localhost/bb:1 cat /proc/self/fd/3 3<"$tmp/fd3")" passed-in \
	"run --preserve-fds 1: the caller's fd 3 reaches the payload"
prun --rm localhost/bb:1 /no/such/program >/dev/null 2>"$tmp/err"
is "$?" 127 "run of a program that does not exist: podman's 127" || diag <"$tmp/err"
is "$(pm ps --all --quiet | wc -l)" 0 "run --rm left no container"

# ---- run -d, logs, exec, stop, rm ----
id=$(prun -d --name web localhost/bb:1 sh -c \
	'trap "echo got-term; exit 0" TERM; echo started; while :; do sleep 1 & wait $!; done' 2>"$tmp/err")
ok $? "run -d --name web: started (${id:0:12})" || diag <"$tmp/err"
retry 100 logs_has web started
ok $? "logs web: the payload's first line"
is "$(pm inspect --format '{{.State.Status}}' web)" running "inspect: web is running"
got=$(pm exec web sh -c 'echo $(hostname) $$')
[[ $got == "${id:0:12} "* ]] && [ "${got#* }" != 1 ]
ok $? "exec web: in the container's uts and pid namespaces, not its PID 1 ($got)"
got=$(pm exec web cat /proc/1/cmdline | tr '\0' ' ')
[[ $got == "sh -c trap "* ]]
ok $? "exec web: sees the payload as PID 1 of the same pid namespace ($got)"
pm exec web sh -c 'exit 4'
is "$?" 4 "exec web: the exec'd process's exit status (4)"
is "$(pm exec -e X=y -w /tmp --user 1000 web sh -c 'echo $X $(pwd) $(id -u)')" "y /tmp 1000" \
	"exec -e -w --user"
# The payload's sleep comes and goes between its loop's turns: 4 or 5, never a host's.
n=$(pm exec web sh -c 'ls /proc | grep -c "^[0-9]"')
[ "$n" -ge 4 ] && [ "$n" -le 5 ]
ok $? "exec web: the pid namespace holds the payload, its sleep (if between turns, not) and exec's sh, ls, grep ($n)"
pm stop --time 10 web >/dev/null
ok $? "stop web"
is "$(pm inspect --format '{{.State.Status}} {{.State.ExitCode}}' web)" "exited 0" \
	"web went at SIGTERM, by its trap (exit status 0)"
pm logs web 2>/dev/null | grep -qx got-term
ok $? "logs web: the trap's line"
pm start web >/dev/null && retry 100 logs_has web started 2
ok $? "start web again: a second run of the same container"
pm rm --force --time 10 web >/dev/null
ok $? "rm --force web (running)"
pm inspect web >/dev/null 2>&1
is "$?" 125 "web is gone"

# ---- kill -s ----
prun -d --name k localhost/bb:1 sh -c \
	'trap "echo got-usr1" USR1; trap "echo got-hup" HUP; echo ready; while :; do sleep 1 & wait $!; done' >/dev/null
retry 100 logs_has k ready
ok $? "run -d --name k: ready"
pm kill --signal USR1 k >/dev/null && retry 100 logs_has k got-usr1
ok $? "kill -s USR1: the payload's trap ran" || pm logs k 2>&1 | diag
pm kill -s HUP k >/dev/null && retry 100 logs_has k got-hup
ok $? "kill -s HUP: the payload's trap ran"
is "$(pm inspect --format '{{.State.Status}}' k)" running "k still runs after USR1 and HUP"
pm pause k >/dev/null
is "$?:$(pm inspect --format '{{.State.Status}}' k)" 0:paused "pause k"
pm unpause k >/dev/null
is "$?:$(pm inspect --format '{{.State.Status}}' k)" 0:running "unpause k"
pm kill -s KILL k >/dev/null
is "$(pm wait k)" 137 "kill -s KILL: k ends of SIGKILL (podman's 137)"
pm rm k >/dev/null
ok $? "rm k"

# ---- run -it: the payload's terminal comes through the console socket ----
got=$("$pty" podman --root "$tmp/storage" --runroot "$tmp/run" --tmpdir "$tmp/tmp" --storage-driver vfs \
	--cgroup-manager cgroupfs --events-backend file --runtime "$rt" run -it --rm --network none $ulimits \
	localhost/bb:1 sh 2>"$tmp/err" <<'IN' | tr -d '\r'
send tty; [ -t 0 ] && [ -t 1 ] && echo TTY-$((6 * 7))\n
line /dev/pts/
line TTY-
send exit 3\n
wait
IN
)
is "$got" "$(printf '/dev/pts/0\nTTY-42\nexit 3')" \
	"run -it: sh on a terminal of its own (/dev/pts/0), typed to, and its exit status (3)" || diag <"$tmp/err"
is "$(pm ps --all --quiet | wc -l)" 0 "no container is left"
done_testing
