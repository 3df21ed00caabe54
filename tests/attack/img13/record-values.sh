#!/bin/bash
# The values the brief names, in a record, through kbox run on this host (as root): each
# must be refused with a reason, or run as the spec would; none may reach outside the
# container (a WorkingDir through /proc/self/fd is CVE-2024-21626's way out).
# Seen: every one refused with its reason or run harmlessly (Entrypoint [""] only at exec:
# "exec '': Permission denied"). A regression test.
# usage: record-values.sh   (prints one line a case: what the run printed)
. "$(dirname "$0")/../../lib.sh"
kbox=$out/kbox
dir=$out/tests/img13-values
export KBOX_IMAGES=$dir
rm -rf "$dir" && mkdir -p "$dir"
record() { # NAME CONFIG
	host_image "$dir/$1"
	printf '{"kbox_image": 1, "name": "%s", "source": "x", "digest": null, "size": 1, "layers": 1, "config": %s}\n' \
		"$1" "$2" >"$dir/$1.json"
}
n=0
try() { # NAME CONFIG [ARGS...]: the first lines of the run
	local name=$1 cfg=$2
	shift 2
	n=$((n + 1))
	record "r$n" "$cfg"
	res=$(timeout 60 "$kbox" run --rm --name "t$n" "$@" "r$n" 2>&1 | head -c 300 | tr '\n' '|')
	echo "$name: $res"
}
try 'Entrypoint [""]' '{"Entrypoint": [""]}'
try 'Entrypoint ["", "x"] Cmd' '{"Entrypoint": [""], "Cmd": ["echo", "hi"]}'
try 'Cmd []' '{"Cmd": []}'
try 'User 4294967296' '{"User": "4294967296", "Cmd": ["id"]}'
try 'User -1' '{"User": "-1", "Cmd": ["id"]}'
try 'User 0:4294967295' '{"User": "0:4294967295", "Cmd": ["id"]}'
try 'User 4294967295' '{"User": "4294967295", "Cmd": ["id"]}'
try 'User root:' '{"User": "root:", "Cmd": ["id"]}'
try 'User :0' '{"User": ":0", "Cmd": ["id"]}'
try 'StopSignal SIGKILL' '{"StopSignal": "SIGKILL", "Cmd": ["echo", "ran"]}'
try 'StopSignal 0' '{"StopSignal": "0", "Cmd": ["echo", "ran"]}'
try 'StopSignal 65' '{"StopSignal": "65", "Cmd": ["echo", "ran"]}'
try 'StopSignal SIGRTMAX+1' '{"StopSignal": "SIGRTMAX+1", "Cmd": ["echo", "ran"]}'
try 'WorkingDir /proc/self/fd/3' '{"WorkingDir": "/proc/self/fd/3", "Cmd": ["sh", "-c", "pwd; ls | head -3"]}'
try 'WorkingDir /proc/self/fd/4' '{"WorkingDir": "/proc/self/fd/4", "Cmd": ["sh", "-c", "pwd; ls | head -3"]}'
try 'WorkingDir /proc/self/cwd' '{"WorkingDir": "/proc/self/cwd", "Cmd": ["sh", "-c", "pwd; ls | head -3"]}'
try 'WorkingDir /proc/1/root' '{"WorkingDir": "/proc/1/root/..", "Cmd": ["sh", "-c", "pwd; ls | head -3"]}'
try 'WorkingDir /../../..' '{"WorkingDir": "/../../../etc", "Cmd": ["sh", "-c", "pwd; ls | head -3"]}'
try 'Env PATH empty' '{"Env": ["PATH="], "Cmd": ["echo", "hi"]}'
try 'Env LD_PRELOAD' '{"Env": ["LD_PRELOAD=/nonexistent.so"], "Cmd": ["echo", "hi"]}'
try 'Env =x' '{"Env": ["=x"], "Cmd": ["echo", "hi"]}'
try 'Env a b=c' '{"Env": ["a b=c"], "Cmd": ["sh", "-c", "env | grep \"a b\""]}'
try 'Entrypoint non-string' '{"Entrypoint": [1]}'
try 'config nested 10000' "$(python3 -c 'print("{\"Labels\": " + "[" * 10000 + "]" * 10000 + "}")')"
