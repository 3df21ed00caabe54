#!/bin/bash
# kbox-runc's command line on this host (root, cgroup v1 hybrid): ids under attack, the
# state machine and its errors, nothing left behind by a failed create, run's exit codes,
# spec, features, exec, and concurrent verbs on one id serialized.
. "$(dirname "$0")/../lib.sh"
host_lock "$@"
tmp=$(mktemp -d /tmp/kbox-oci-cli.XXXXXX) || exit 1
trap 'for d in "$tmp"/root/*/; do [ -d "$d" ] && "$rt" --root "$tmp/root" delete --force "$(basename "$d")"; done 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" && ln -s "$out/kbox" "$tmp/bin/kbox-runc"
rt=$tmp/bin/kbox-runc
root=$tmp/root
k() { "$rt" --root "$root" "$@"; }

# A bundle: busybox-static as its rootfs, runc's default config with PROCESS's args.
bundle() { # DIR ARGS-JSON
	mkdir -p "$1/rootfs/bin" && cp /bin/busybox "$1/rootfs/bin/busybox" || return
	for a in sh sleep echo cat true ls; do ln -s busybox "$1/rootfs/bin/$a"; done
	(cd "$1" && "$rt" spec) || return
	jset "$1/config.json" "c['process']['terminal'] = False; c['process']['args'] = $2"
}
# jset FILE PYTHON: change the JSON object c of FILE in place.
jset() {
	python3 -c "import json, sys
c = json.load(open(sys.argv[1]))
$2
json.dump(c, open(sys.argv[1], 'w'), indent=1)" "$1"
}
jget_s() { local f; f=$(mktemp -p "$tmp") && cat >"$f" && jget "$f" "$@"; rm -f "$f"; }
state() { k state "$1" 2>/dev/null | jget_s "$2"; }

v=$("$rt" --version)
echo "$v" | grep -qE '^kbox-runc version [^ ]+$' && echo "$v" | grep -qx 'commit: .*' &&
	echo "$v" | grep -qx 'spec: 1\.2\.0'
ok $? "--version in runc's shape (version, commit, spec)"
is "$("$rt" version)" "$v" "version is --version"
"$rt" features >"$tmp/features.json" && python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))
assert f["ociVersionMax"] == "1.2.0" and "prestart" in f["hooks"]
assert "network" in f["linux"]["namespaces"] and "CAP_SYS_ADMIN" in f["linux"]["capabilities"]
assert f["linux"]["apparmor"]["enabled"] is False and f["linux"]["seccomp"]["enabled"]
' "$tmp/features.json"
ok $? "features: valid runtime-spec features JSON"
msg=$("$rt" --systemd-cgroup --root "$root" state x 2>&1)
is "$?:$msg" "1:kbox-runc: --systemd-cgroup: not supported: kbox manages cgroups itself, without systemd (set SystemdCgroup = false)" \
	"--systemd-cgroup is refused with a clear message"

# Ids: runc's rule, written as an attack first.
long=$(printf 'a%.0s' $(seq 2000))
for id in "../x" "a/b" "" "$long" $'a\nb' "." ".." "/etc" "a b"; do
	k create --bundle "$tmp" "$id" >/dev/null 2>&1
	r=$?
	k state "$id" >/dev/null 2>&1
	is "$r:$?:$(ls -A "$root" 2>/dev/null | wc -l)" "1:1:0" \
		"id '$(printf %q "${id:0:20}")': refused by create and state, nothing made"
done
[ ! -e "$tmp/x" ] && [ ! -e /x ]
ok $? "no '../x' made beside the root"
is "$(k state '../x' 2>&1)" "kbox-runc: invalid container id '../x': only [A-Za-z0-9_.+-], and not '.' or '..'" \
	"the id's error names it and the rule"
is "$(k state "$long" 2>&1)" "kbox-runc: invalid container id: longer than 1024 bytes" "a 2000-byte id"

b=$tmp/b
bundle "$b" '["sleep","1000"]'
ok $? "a bundle of busybox-static, from kbox-runc spec"
msg=$(cd "$b" && "$rt" spec 2>&1)
is "$?:$msg" "1:kbox-runc: spec: './config.json' exists already: not overwritten" "spec refuses to overwrite"

# The state machine: create, state, start, state, kill, delete.
k create --bundle "$b" --pid-file "$tmp/pid" c1
ok $? "create"
is "$(stat -c %a "$root"):$(stat -c %a "$root/c1")" "700:700" "ROOT and ROOT/ID are 0700"
pid=$(cat "$tmp/pid")
is "$(state c1 status):$(state c1 pid)" "created:$pid" "state: created, with the pid of the pid file"
is "$(state c1 bundle):$(state c1 ociVersion):$(state c1 id)" "$b:1.2.0:c1" "state: bundle, ociVersion, id"
grep -q '^State:.*S' "/proc/$pid/status" && [ "$(readlink "/proc/$pid/exe")" != /bin/busybox ]
ok $? "the created process waits, not yet the payload"
msg=$(k create --bundle "$b" c1 2>&1)
is "$?:$msg" "1:kbox-runc: container with id 'c1' already exists" "a second create of an id"
k start c1
ok $? "start"
is "$(state c1 status)" running "state: running"
msg=$(k start c1 2>&1)
is "$?:$msg" "1:kbox-runc: c1: cannot start a container that is running" "start of a running one"
msg=$(k delete c1 2>&1)
is "$?:$msg" "1:kbox-runc: c1: cannot delete a container that is running (stop it, or --force)" \
	"delete of a running one without --force"
is "$(k ps --format json c1)" "[$pid]" "ps --format json: the container's pids"
k pause c1 && is "$(state c1 status)" paused "pause: paused (freezer)"
k resume c1 && is "$(state c1 status)" running "resume: running"
k kill c1 KILL
ok $? "kill ID KILL"
retry 50 sh -c "[ \"\$('$rt' --root '$root' state c1 | grep -c '\"stopped\"')\" = 1 ]"
ok $? "state: stopped once it died"
is "$(state c1 pid)" 0 "a stopped container's pid is 0"
msg=$(k kill c1 2>&1)
is "$?:$msg" "1:kbox-runc: c1: container not running" "kill of a stopped one"
msg=$(k kill --all c1 KILL 2>&1)
is "$?:$msg" "0:" "kill --all of a stopped one is done, not an error (runc's; the shim sends it at every stop)"
k delete c1
ok $? "delete of a stopped one"
[ ! -e "$root/c1" ] && ! ls -d /sys/fs/cgroup/*/kbox-oci/c1 2>/dev/null
ok $? "delete leaves no state and no cgroup"
msg=$(k state c1 2>&1)
is "$?:$msg" "1:kbox-runc: container 'c1' does not exist" "state of a deleted one"
k delete --force c1
ok $? "delete --force of one that does not exist is not an error (runc's)"

# Status is derived: a state.json whose pid is another live process reads as stopped.
k create --bundle "$b" c2 && kill -9 "$(state c2 pid)"
retry 50 sh -c "'$rt' --root '$root' state c2 | grep -q '\"stopped\"'"
ok $? "a created process killed behind kbox's back reads as stopped"
msg=$(k start c2 2>&1)
is "$?" 1 "start of it fails: $msg"
sleep 1000 &
victim=$!
jset "$root/c2/state.json" "c['pid'] = $victim"
k kill c2 KILL 2>/dev/null
kill -0 "$victim"
ok $? "a reused pid (its start time differs) is not killed by kill ID"
is "$(state c2 status)" stopped "and reads as stopped"
k delete c2
kill -0 "$victim"
ok $? "nor by delete"
kill "$victim"
ln -s "$tmp/b" "$root/evil"
k delete --force evil
[ -d "$tmp/b/rootfs" ] && [ -L "$root/evil" ]
ok $? "an id that is a symlink in ROOT: nothing followed, nothing removed"
rm "$root/evil"

# A bad config: the exact error, on stderr and in the json log; nothing left behind.
bad=$tmp/bad
bundle "$bad" '["true"]'
jset "$bad/config.json" "c['linux']['resources'] = {'memory': {'limit': '64M'}}"
msg=$(k --log "$tmp/log.json" --log-format json create --bundle "$bad" --pid-file "$tmp/badpid" bad1 2>&1)
is "$?:$msg" '1:kbox-runc: config.json: linux.resources.memory.limit: expected an integer, got "64M"' \
	"a bad config: its JSON path and reason on stderr, exit 1"
is "$(jget "$tmp/log.json" level):$(jget "$tmp/log.json" msg)" \
	'error:config.json: linux.resources.memory.limit: expected an integer, got "64M"' \
	"the same in the json log ({level, msg, time})"
jget "$tmp/log.json" time | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$'
ok $? "the log's time is RFC 3339"
k --log "$tmp/log.txt" create --bundle "$bad" bad1 2>/dev/null
grep -qx 'time="[0-9T:Z-]*" level=error msg="config.json: linux.resources.memory.limit: expected an integer, got \\"64M\\""' "$tmp/log.txt"
ok $? "--log-format text (the default): time, level, msg" || diag <"$tmp/log.txt"
[ ! -e "$root/bad1" ] && [ ! -e "$tmp/badpid" ]
ok $? "nothing left: no state, no pid file"
msg=$(k create --bundle "$tmp/nowhere" nb 2>&1)
is "$?:$msg" "1:kbox-runc: nb: bundle '$tmp/nowhere': No such file or directory" "a missing bundle"
mkdir -p "$tmp/empty"
msg=$(k create --bundle "$tmp/empty" nc 2>&1)
is "$?:$msg" "1:kbox-runc: nc: config.json: not found" "a bundle without config.json"
mkfifo "$tmp/empty/config.json"
msg=$(timeout 10 "$rt" --root "$root" create --bundle "$tmp/empty" nc 2>&1)
is "$?:$msg" "1:kbox-runc: nc: config.json: not a regular file" "a fifo as config.json: refused, not waited on"

# A create that fails once its process and cgroup exist (a createRuntime hook): none stay.
hk=$tmp/hook
bundle "$hk" '["sleep","1000"]'
printf '#!/bin/sh\ncat > %s/hookstate\nexit 3\n' "$tmp" >"$tmp/failhook" && chmod +x "$tmp/failhook"
jset "$hk/config.json" "c['hooks'] = {'createRuntime': [{'path': '$tmp/failhook'}]}"
msg=$(k create --bundle "$hk" --pid-file "$tmp/hkpid" h1 2>&1)
is "$?" 1 "a failing createRuntime hook fails create: $msg"
hpid=$(jget "$tmp/hookstate" pid)
is "$(jget "$tmp/hookstate" id):$(jget "$tmp/hookstate" status)" "h1:creating" "the hook had the state on its stdin"
cmp_ok "$hpid" -gt 0 "the state held the container's pid"
[ ! -e "/proc/$hpid" ] && [ ! -e "$root/h1" ] && [ ! -e "$tmp/hkpid" ] &&
	! ls -d /sys/fs/cgroup/*/kbox-oci/h1 2>/dev/null
ok $? "nothing left: no process, no cgroup, no state, no pid file"

# A create killed in the middle (in a prestart hook, holding the lock): its directory has
# no state.json. The id is not lost: delete removes what it left, cgroup included.
bundle "$tmp/orph" '["sleep","1000"]'
printf '#!/bin/sh\necho $$ > %s/orph.hook\nexec sleep 1000\n' "$tmp" >"$tmp/slowhook" && chmod +x "$tmp/slowhook"
jset "$tmp/orph/config.json" "c['hooks'] = {'prestart': [{'path': '$tmp/slowhook'}]}"
"$rt" --root "$root" create --bundle "$tmp/orph" orph &
creator=$!
retry 100 test -s "$tmp/orph.hook"
kill -9 "$creator"
wait "$creator" 2>/dev/null
kill "$(cat "$tmp/orph.hook")"
msg=$(k create --bundle "$b" orph 2>&1)
is "$?:$msg" "1:kbox-runc: container with id 'orph' already exists" "a killed create's id is taken..."
ls -d /sys/fs/cgroup/*/kbox-oci/orph >/dev/null 2>&1
ok $? "...and its cgroup is there"
k delete orph
ok $? "delete of what a killed create left"
[ ! -e "$root/orph" ] && ! ls -d /sys/fs/cgroup/*/kbox-oci/orph 2>/dev/null
ok $? "no state and no cgroup left of it"
k create --bundle "$b" orph && k delete orph
ok $? "the id can be created again"

# Hooks of the runtime's side: each gets the state in its status on stdin; a poststart or
# poststop hook that fails is reported, not fatal (runtime-spec).
hb=$tmp/hooks
bundle "$hb" '["sleep","1000"]'
printf '#!/bin/sh\ncat > %s/hook.$1\nexit ${2:-0}\n' "$tmp" >"$tmp/savehook" && chmod +x "$tmp/savehook"
h() { echo "{'path': '$tmp/savehook', 'args': ['savehook', '$1', '${2:-0}']}"; }
jset "$hb/config.json" "c['hooks'] = {'prestart': [$(h prestart)], 'createRuntime': [$(h createRuntime)],
	'poststart': [$(h poststart 1)], 'poststop': [$(h poststop 1)]}"
k create --bundle "$hb" hooks1 && k start hooks1 2>/dev/null
ok $? "create and start, with a poststart hook that fails"
is "$(state hooks1 status)" running "it runs"
k kill hooks1 KILL && retry 50 sh -c "'$rt' --root '$root' state hooks1 | grep -q stopped" && k delete hooks1 2>/dev/null
ok $? "kill, delete, with a poststop hook that fails"
got=
for kind in prestart createRuntime poststart poststop; do
	got="$got $kind:$(jget "$tmp/hook.$kind" status):$(jget "$tmp/hook.$kind" id)"
done
is "$got" " prestart:creating:hooks1 createRuntime:creating:hooks1 poststart:running:hooks1 poststop:stopped:hooks1" \
	"each hook had the state, in the status of its moment"
cmp_ok "$(jget "$tmp/hook.prestart" pid)" -gt 0 "prestart's state has the container's pid"

# The pid file is the last step: a pid file that cannot be written undoes the rest.
msg=$(k create --bundle "$b" --pid-file "$tmp/no/such/dir/pid" pf1 2>&1)
is "$?" 1 "a pid file that cannot be written fails create: $msg"
[ ! -e "$root/pf1" ] && ! ls -d /sys/fs/cgroup/*/kbox-oci/pf1 2>/dev/null &&
	! pgrep -f "no/such/dir/pid pf1" >/dev/null
ok $? "and leaves no state, no cgroup, no process (the created one is a fork of create's)"

# run: create + start, then the payload's exit status.
for code in 0 3; do
	r=$tmp/run$code
	bundle "$r" "[\"sh\",\"-c\",\"exit $code\"]"
	k run --bundle "$r" run$code
	is "$?" "$code" "run: exit status $code is the payload's"
	[ ! -e "$root/run$code" ]
	ok $? "run: the container is gone after it"
done
bundle "$tmp/run137" '["sleep","1000"]'
k run --bundle "$tmp/run137" --pid-file "$tmp/run137.pid" run137 &
runner=$!
retry 100 sh -c "'$rt' --root '$root' state run137 2>/dev/null | grep -q running"
k kill run137 9
wait "$runner"
is "$?" 137 "run: a payload killed by SIGKILL: 137"
bundle "$tmp/nobin" '["/nonexistent"]'
msg=$(k create --bundle "$tmp/nobin" nobin 2>&1)
is "$?:$msg" "1:kbox-runc: nobin: exec '/nonexistent': No such file or directory" \
	"create of a bundle whose program is not there: refused at create, as runc does"
[ ! -e "$root/nobin" ] && ! ls -d /sys/fs/cgroup/*/kbox-oci/nobin 2>/dev/null
ok $? "and it leaves no state and no cgroup"
k run --detach --bundle "$b" det
is "$?:$(state det status)" 0:running "run --detach returns with it running"
is "$(k exec det sh -c 'echo in $(cat /proc/1/comm)')" "in sleep" "exec: a command in its namespaces"
k exec det sh -c 'exit 5'
is "$?" 5 "exec: the command's exit status"
printf '{"args":["sh","-c","echo $FOO"],"env":["FOO=bar"],"cwd":"/","user":{"uid":0,"gid":0}}' >"$tmp/proc.json"
is "$(k exec --process "$tmp/proc.json" det)" bar "exec --process FILE"
# A program that is not there is the exec's own error (runc's), not the status 127 an
# engine would take for the program's: a Kubernetes exec probe tells them apart.
for how in "" "--detach"; do
	msg=$(k exec $how det /nonexistent 2>&1)
	is "$?:$msg" "1:kbox-runc: det: exec: process: exec '/nonexistent': No such file or directory" \
		"exec $how of a program that is not there: refused with its reason"
done
msg=$(k exec det nonesuch 2>&1)
is "$?:$msg" "1:kbox-runc: det: exec: process: exec 'nonesuch': not found in PATH" \
	"exec of a name in no directory of PATH: refused"
is "$(k exec det sh -c 'echo found')" found "exec by a name found in the process's PATH"
k exec --detach --pid-file "$tmp/exec.pid" det sleep 3
ok $? "exec --detach --pid-file"
[ -s "$tmp/exec.pid" ] && kill -0 "$(cat "$tmp/exec.pid")"
ok $? "the exec's pid file names a live process"
# The console socket: a receiver takes the pty's master (SCM_RIGHTS) and copies it out.
cat >"$tmp/console.py" <<'EOF'
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept()
msg, fds, _, _ = socket.recv_fds(c, 1024, 1)
out = b""
while True:
    try:
        b = os.read(fds[0], 4096)
    except OSError:
        break
    if not b:
        break
    out += b
sys.stdout.write(out.decode().replace("\r", ""))
EOF
console() { # SOCKET OUT: a receiver in the background, ready when the socket is there
	rm -f "$1" && python3 "$tmp/console.py" "$1" >"$2" &
	console_pid=$!
	retry 100 test -S "$1"
}
console "$tmp/cs1" "$tmp/cs1.out"
k exec --tty --console-socket "$tmp/cs1" det sh -c 'tty; exit 6'
is "$?" 6 "exec --tty --console-socket: the command's exit status"
wait "$console_pid"
is "$(cat "$tmp/cs1.out")" /dev/pts/0 "exec --tty: its stdio is a pty of the container's, sent over the socket"
msg=$(k exec --tty det true 2>&1)
is "$?:$msg" "1:kbox-runc: det: exec: a terminal needs --console-socket" "exec --tty without a socket"
tb=$tmp/tty
bundle "$tb" '["sh","-c","tty; echo on-tty"]'
jset "$tb/config.json" "c['process']['terminal'] = True"
msg=$(k create --bundle "$tb" tty1 2>&1)
is "$?:$msg" "1:kbox-runc: tty1: process.terminal: needs --console-socket" "a terminal without --console-socket"
console "$tmp/cs2" "$tmp/cs2.out"
k create --bundle "$tb" --console-socket "$tmp/cs2" tty1 && k start tty1
ok $? "create --console-socket, start"
wait "$console_pid"
is "$(cat "$tmp/cs2.out" | tr '\n' ' ')" "/dev/pts/0 on-tty " "the payload's terminal came over the console socket"
k delete --force tty1
is "$(k list --format json | jget_s 0 id)" det "list --format json"
k delete --force det
ok $? "delete --force of a running one"
[ ! -e "$root/det" ]
ok $? "and it is gone"

# The default spec, run: runc's config as kbox-runc spec writes it.
mkdir -p "$tmp/def/rootfs/bin" && cp /bin/busybox "$tmp/def/rootfs/bin/" && ln -s busybox "$tmp/def/rootfs/bin/sh"
(cd "$tmp/def" && "$rt" spec && sed -i 's/"terminal": true/"terminal": false/' config.json)
echo 'exit 4' | k run --bundle "$tmp/def" def
is "$?" 4 "spec + run of the default (its sh reads our stdin)"

# linux.resources.devices is what the cgroup enforces: a node made through linux.devices is
# not allowed by being made (runc appends its default list only). c 1:11 (kmsg) is on no
# default list; opening it to write needs no capability, so only the cgroup refuses it, and
# nothing is written (": >" opens and closes).
dv=$tmp/dev
bundle "$dv" '["sh", "-c", "for n in null kmsg; do (: >/dev/kbox$n) 2>&1 && echo $n-opened; done; echo x >/dev/full"]'
jset "$dv/config.json" "c['linux']['devices'] = [
	{'path': '/dev/kboxnull', 'type': 'c', 'major': 1, 'minor': 3, 'fileMode': 438},
	{'path': '/dev/kboxkmsg', 'type': 'c', 'major': 1, 'minor': 11, 'fileMode': 438}]
c['linux']['resources'] = {'devices': [{'allow': False, 'access': 'rwm'},
	{'allow': True, 'type': 'c', 'major': 1, 'minor': 3, 'access': 'rwm'}]}"
msg=$(k run --bundle "$dv" dev1 2>&1)
case $msg in *"null-opened"*) r=0 ;; *) r=1 ;; esac
ok $r "resources.devices: a linux.devices node its rules allow (c 1:3) opens to write" || diag <<<"$msg"
case $msg in *"/dev/kboxkmsg: Operation not permitted"*) r=0 ;; *) r=1 ;; esac
ok $r "resources.devices: one they do not (c 1:11, made through linux.devices): EPERM" || diag <<<"$msg"
case $msg in *kmsg-opened*) r=1 ;; *) r=0 ;; esac
ok $r "and it was not opened" || diag <<<"$msg"
case $msg in *"No space left on device"*) r=0 ;; *) r=1 ;; esac
ok $r "kbox's default list still holds /dev/full (its write fails with the device's ENOSPC)" ||
	diag <<<"$msg"

# Concurrent starts of one id: exactly one wins.
k create --bundle "$b" race
for i in 1 2 3 4 5; do (k start race 2>/dev/null; echo $? >"$tmp/race.$i") & done
wait
is "$(cat "$tmp"/race.* | sort | tr -d '\n')" 01111 "5 concurrent starts: one wins, four fail"
is "$(state race status)" running "and it runs"
k delete --force race

done_testing
