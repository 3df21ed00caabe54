#!/bin/bash
# kbox-init on its own, and as tini and dumb-init (kbox under those names): as PID 1 of a pid
# namespace and as a plain process, with real processes, signals and a pseudo-terminal,
# side by side with Debian's tini and dumb-init where they behave the same.
. "$(dirname "$0")/../lib.sh"
d=$out/tests/kinit
mkdir -p "$d"
for n in kbox-init tini dumb-init; do ln -sfn "$out/kbox" "$d/$n"; done
init=$d/kbox-init
pty=$out/tests/ptydrive
probe=$out/tests/initprobe
for t in tini dumb-init "$pty" "$probe"; do
	command -v "$t" >/dev/null || { echo "Bail out! no $t (make host-test, mk/deps)"; exit 1; }
done
fifo=$d/fifo
field() { cut -d' ' -f"$1" "/proc/$2/stat"; } # pid (comm) state ppid pgrp session tty tpgid

# ---- as PID 1 of a pid namespace ----
pid1() { unshare --fork --pid --mount-proc "$init" "$@"; }
pid1 -- sh -c 'exit 3'
is $? 3 "PID 1: the command's exit status is kbox-init's"
pid1 sh -c 'kill -KILL $$'
is $? 137 "PID 1: killed by a signal: 128 + the signal"
# 200 orphans, each exited: once they are gone, only kbox-init, sh and ps are left.
left=$(pid1 sh -c 'i=0; while [ $i -lt 200 ]; do (sleep 0 &); i=$((i + 1)); done
	n=0; while ps -o stat= | grep -q Z && [ $n -lt 500 ]; do sleep 0.01; n=$((n + 1)); done
	ps -o comm= | sort | tr "\n" " "')
is "$left" "kbox-init ps sh sort tr " "PID 1: 200 orphans reaped, none left a zombie"

# start INIT...: runs it with its stdout on $fifo (fd 3 here), its pid in $ipid, its first
# line in $first.
start() {
	rm -f "$fifo" && mkfifo "$fifo"
	"$@" >"$fifo" &
	ipid=$!
	exec 3<"$fifo"
	read -r first <&3
}
stop_reading() { exec 3<&-; }
start unshare --fork --pid --mount-proc "$init" sh -c 'trap "echo got-TERM; exit 5" TERM; echo up; while :; do sleep 0.01; done'
kill -TERM "$(pgrep -n -x kbox-init)"
read -r line <&3
wait $ipid
is "$line:$?" "got-TERM:5" "PID 1: SIGTERM to kbox-init reaches the command"
stop_reading
# As PID 1 its own SIGSTOP would be ignored (the kernel's rule for a namespace's init): a
# SIGTSTP stops the child only, until a SIGCONT.
start unshare --fork --pid --mount-proc "$init" sh -c 'echo up; while :; do sleep 0.01; done'
ki=$(pgrep -P $ipid)
child=$(pgrep -P "$ki")
kill -TSTP "$ki"
n=0
while [ "$(field 3 "$child")" != T ] && [ $n -lt 1000 ]; do sleep 0.01; n=$((n + 1)); done
is "$(field 3 "$child") $(field 3 "$ki")" "T S" "PID 1: SIGTSTP stops the child, kbox-init goes on"
kill -CONT "$ki"
n=0
while [ "$(field 3 "$child")" = T ] && [ $n -lt 1000 ]; do sleep 0.01; n=$((n + 1)); done
is "$(field 3 "$child" | sed "s/[^T]/not-stopped/")" "not-stopped" "  SIGCONT continues it"
kill -TERM "$ki"
wait $ipid
is "$?" 143 "  SIGTERM ends it"
stop_reading

# ---- the command line ----
msg=$("$init" /nope 2>&1)
is "$?:$msg" "127:kbox-init: exec '/nope': No such file or directory" "a missing command: 127, and why"
tini /nope 2>/dev/null
is "$?" 127 "  as tini says"
msg=$("$d/dumb-init" /nope 2>&1)
is "$?:$msg" "2:dumb-init: exec '/nope': No such file or directory" "as dumb-init: 2, as dumb-init says"
dumb-init /nope 2>/dev/null
is "$?" 2 "  (dumb-init)"
: >"$d/noexec"
chmod 644 "$d/noexec"
"$init" "$d/noexec" 2>/dev/null
is "$?" 126 "a command that cannot run: 126"
tini "$d/noexec" 2>/dev/null
is "$?" 126 "  as tini says"
for n in kbox-init tini dumb-init; do
	msg=$("$d/$n" 2>&1)
	is "$?:${msg%%$'\n'*}" "1:usage: $n [OPTIONS] [--] CMD [ARG...]" "$n, no command: usage, 1"
	"$d/$n" -x true 2>/dev/null
	is "$?" 1 "$n, an unknown option: 1"
done
tini 2>/dev/null
is "$?" 1 "  as tini does"
dumb-init 2>/dev/null
is "$?" 1 "  as dumb-init does"
out_=$("$init" -h 2>/dev/null)
is "$?:${out_%%$'\n'*}" "0:usage: kbox-init [OPTIONS] [--] CMD [ARG...]" "-h is help on stdout, not a command"
out_=$("$d/tini" -h 2>/dev/null)
is "$?:${out_%%$'\n'*}" "0:usage: tini [OPTIONS] [--] CMD [ARG...]" "tini -h: help on stdout"
out_=$("$d/dumb-init" --help 2>&1 >/dev/null)
is "$?:${out_%%$'\n'*}" "0:usage: dumb-init [OPTIONS] [--] CMD [ARG...]" "dumb-init --help: on stderr, as dumb-init's"
is "$("$init" --version)" "kbox-init (kbox $("$out/kbox" version | cut -d' ' -f2))" "--version"
is "$("$d/tini" --version):$(tini --version >/dev/null; echo $?)" "tini (kbox $("$out/kbox" version | cut -d' ' -f2)):0" "tini --version, as tini's exits 0"
is "$("$d/dumb-init" -V 2>&1 >/dev/null):$(dumb-init -V 2>/dev/null; echo $?)" "dumb-init (kbox $("$out/kbox" version | cut -d' ' -f2)):0" "dumb-init -V on stderr, as dumb-init's"
is "$("$d/dumb-init" --version 2>&1 >/dev/null | cut -c1-9)" "dumb-init" "dumb-init --version"
out_=$("$init" -l)
is "$?:${out_%% *}" "0:kbox-init" "-l: the license"
is "$("$d/tini" --license | cut -d' ' -f1-3)" "tini is part" "--license"
is "$("$init" -- sh -c 'echo "$@"' sh -h -v)" "-h -v" "options after -- are the command's"
is "$("$init" sh -c 'echo "$@"' sh -h -v)" "-h -v" "options after the command are the command's (no permutation)"

# ---- all 256 exit codes, and -e ----
for n in kbox-init tini dumb-init; do
	bad=
	for i in $(seq 0 255); do
		"$d/$n" -s -- sh -c "exit $i"
		r=$?
		[ "$r" = "$i" ] || bad="$bad $i:$r"
	done
	is "$bad" "" "$n: all 256 exit codes are its own"
done
bad=
for i in $(seq 0 255); do
	a=$(tini -s -e "$i" -- sh -c "exit $i"; echo $?)
	b=$("$d/tini" -s -e "$i" -- sh -c "exit $i"; echo $?)
	c=$("$init" -e "$i" -e 7 -- sh -c "exit $(((i + 1) % 256))"; echo $?)
	[ "$a:$b:$c" = "0:0:$((i + 1 == 7 || i == 255 ? 0 : i + 1))" ] || bad="$bad $i:$a:$b:$c"
done
is "$bad" "" "-e CODE: each of the 256 remapped to 0 as tini does, the others left alone"
"$init" -e 256 true 2>/dev/null
is "$?" 1 "-e 256: not an exit code, 1"
"$init" -e 143 -- sh -c 'kill -TERM $$'
is "$?" 0 "-e 143: death by SIGTERM reported as 0"

# ---- every signal an init passes on, sent from outside ----
# Expected: the child has the signal and dies of it (128+N), or exits N for the three
# whose default is to be ignored; 32 and 33, which glibc keeps for itself, the probe
# cannot catch, and they kill it.
want=
for s in $(seq 1 64); do
	case $s in 9 | 17 | 19 | 20 | 21 | 22) continue ;; 18 | 23 | 28) c=$s ;; *) c=$((128 + s)) ;; esac
	want="$want$s exit $c $([ "$s" = 32 ] || [ "$s" = 33 ] && echo - || echo got)"$'\n'
done
for n in "kbox-init --" "tini -s --" "dumb-init"; do
	# shellcheck disable=SC2086
	is "$("$probe" signals "$d/"$n 2>/dev/null)"$'\n' "$want" "${n%% *}: every catchable signal passed on, 128+N"
done
got=$("$probe" signals tini -s -- 2>/dev/null)
is "$(echo "$got" | grep killed | cut -d' ' -f1 | tr '\n' ' ')" "4 5 6 7 8 11 31 32 33 " \
	"Debian's tini dies of a sent SIGILL, TRAP, ABRT, BUS, FPE, SEGV, SYS (and 32, 33)"
is "$(grep -vE '^(4|5|6|7|8|11|31|32|33|34) ' <<<"$want")" "$(echo "$got" | grep -vE '^(4|5|6|7|8|11|31|32|33|34) ')" \
	"  and passes the others on as kbox-init does"
got=$("$probe" signals dumb-init 2>/dev/null | awk '$1 < 32')
is "$got" "$(awk '$1 < 32' <<<"$want")" "Debian's dumb-init passes signals 1-31 on as kbox-init does"
is "$("$probe" signals "$init" -- 2>/dev/null | grep -E '^(4|7|8|11) ' | tr '\n' ' ')" \
	"4 exit 132 got 7 exit 135 got 8 exit 136 got 11 exit 139 got " \
	"kill -ILL, -BUS, -FPE, -SEGV from outside: passed on, not fatal"

# ---- reaping when not PID 1, the subreaper ----
# orphan INIT...: the command leaves an orphan (a sleep whose parent has exited) and prints
# its parent pid, whether it is the command's parent (the init), then kills it and waits
# until it is gone from /proc (a zombie stays there until someone reaps it).
orphan() {
	"$@" sh -c 'p=$(sh -c "sleep 1000 >/dev/null 2>&1 & echo \$!")
		[ "$(cut -d" " -f4 /proc/$p/stat)" = "$PPID" ] && echo adopted || echo escaped
		kill $p; n=0; while [ -e /proc/$p ] && [ $n -lt 1000 ]; do
			[ "$(cut -d" " -f3 /proc/$p/stat 2>/dev/null)" = Z ] && [ $n -gt 300 ] && break
			sleep 0.01; n=$((n + 1)); done
		[ -e /proc/$p ] && echo zombie || echo reaped' 2>&1 | tr "\n" " "
}
is "$(orphan "$init" --)" "adopted reaped " "kbox-init, not PID 1: a subreaper by default, the orphan adopted and reaped" 2>/dev/null
is "$(orphan "$init" -s --)" "adopted reaped " "kbox-init -s"
is "$(orphan "$d/tini" -s --)" "adopted reaped " "tini -s"
is "$(orphan tini -s --)" "adopted reaped " "  as Debian's tini -s"
is "$(TINI_SUBREAPER=1 orphan "$d/tini" --)" "adopted reaped " "TINI_SUBREAPER"
is "$(orphan "$d/dumb-init" -s)" "adopted reaped " "dumb-init -s"
is "$(TINI_VERBOSITY=0 orphan "$d/tini" -- | cut -d" " -f1)" "escaped" "tini without -s: the orphan escapes, as with tini"
is "$(orphan "$d/dumb-init" | cut -d" " -f1)" "escaped" "dumb-init without -s: the same"
is "$("$d/tini" true 2>&1)" "tini: not PID 1 nor a subreaper: orphans will not come back to it (-s)" \
	"tini, not PID 1 and no subreaper: a warning"
is "$(TINI_VERBOSITY=0 "$d/tini" true 2>&1)" "" "TINI_VERBOSITY=0: none"
msg=$("$init" -w -- sh -c 'sh -c "sleep 0 & echo \$!" >"$0"; p=$(cat "$0")
	n=0; while [ -e /proc/$p ] && [ $n -lt 1000 ]; do sleep 0.01; n=$((n + 1)); done' "$d/orphan.pid" 2>&1)
is "$msg" "kbox-init: reaped orphan $(cat "$d/orphan.pid")" "-w: a warning for each orphan reaped"

# ---- the process group and session ----
ids='echo $$ $(cut -d" " -f5,6 /proc/$$/stat)'
read -r p g s <<<"$("$init" -- sh -c "$ids")"
is "$g:$([ "$s" = "$(field 6 $$)" ] && echo same)" "$p:same" "kbox-init: the child has a process group of its own, in our session"
read -r p g s <<<"$(tini -s -- sh -c "$ids")"
is "$g:$([ "$s" = "$(field 6 $$)" ] && echo same)" "$p:same" "  as with tini"
read -r p g s <<<"$("$d/dumb-init" sh -c "$ids")"
is "$g:$s" "$p:$p" "dumb-init: the child leads a session of its own"
read -r p g s <<<"$(dumb-init sh -c "$ids")"
is "$g:$s" "$p:$p" "  as with dumb-init"
for v in "-c" "--single-child" "DUMB_INIT_SETSID=0"; do
	if [ "${v%=*}" = "$v" ]; then r=$("$d/dumb-init" "$v" sh -c "$ids"); else r=$(env "$v" "$d/dumb-init" sh -c "$ids"); fi
	read -r p g s <<<"$r"
	is "$([ "$s" = "$(field 6 $$)" ] && echo same)" "same" "dumb-init $v: the child keeps our session"
done

# group INIT...: SIGTERM to the init while the command waits for a background sleep of its
# process group: "dead" if the sleep had the signal too, "alive" if not.
group() {
	start "$@" sh -c 'sleep 1000 & echo $!; wait'
	kill -TERM $ipid
	wait $ipid
	stop_reading
	# The init has exited, after the child's death by the signal sent with the sleep's: the
	# sleep is dead, dying, or has it pending; else it sleeps on.
	pend=$(sed -n 's/^ShdPnd:\t*//p' "/proc/$first/status" 2>/dev/null)
	if [ "$(field 3 "$first" 2>/dev/null)" = S ] && ! ((0x${pend:-0} & 0x4000)); then
		echo alive
		kill "$first"
	else
		echo dead
	fi
}
is "$(group "$init" --)" "alive" "kbox-init: signals to the child only"
is "$(group "$init" -g --)" "dead" "-g: to the child's whole process group"
is "$(group tini -s -g --)" "dead" "  as tini -g"
is "$(TINI_KILL_PROCESS_GROUP=1 group "$d/tini" -s --)" "dead" "TINI_KILL_PROCESS_GROUP"
is "$(group "$d/dumb-init")" "dead" "dumb-init: to the child's process group (setsid mode)"
is "$(group dumb-init)" "dead" "  as dumb-init"
is "$(group "$d/dumb-init" -c)" "alive" "dumb-init -c: to the child only"
is "$(DUMB_INIT_SETSID=0 group dumb-init)" "alive" "  as dumb-init with DUMB_INIT_SETSID=0"

# ---- -r: rewriting, and dropping with 0 ----
traps='trap "echo TERM; exit 5" TERM; trap "echo USR1; exit 6" USR1; trap "echo WINCH; exit 0" WINCH; echo up; while :; do sleep 0.01; done'
for n in "$d/dumb-init" dumb-init; do
	start "$n" -r 15:10 sh -c "$traps"
	kill -TERM $ipid
	read -r line <&3
	wait $ipid
	is "$line:$?" "USR1:6" "${n##*/} -r 15:10: SIGTERM passed on as SIGUSR1"
	stop_reading
	# SIGWINCH after the dropped SIGTERM: the child sees only the SIGWINCH.
	start "$n" -r 15:0 sh -c "$traps"
	kill -TERM $ipid
	kill -WINCH $ipid
	read -r line <&3
	wait $ipid
	is "$line:$?" "WINCH:0" "${n##*/} -r 15:0: SIGTERM dropped"
	stop_reading
done
start "$init" --rewrite TERM:USR1 -- sh -c "$traps"
kill -TERM $ipid
read -r line <&3
wait $ipid
is "$line:$?" "USR1:6" "kbox-init --rewrite TERM:USR1: by name"
stop_reading
"$d/dumb-init" -r 15:99 true 2>/dev/null
is "$?" 1 "-r 15:99: not a signal, 1"

# ---- -p: the parent-death signal ----
for n in "$init" tini; do
	# The init's parent is a shell that becomes a sleep, killed once the command is up.
	start sh -c '"$0" -s -p SIGUSR1 -- sh -c "$1" & exec sleep 1000' "$n" "$traps"
	kill -KILL $ipid
	read -r line <&3
	{ wait $ipid; } 2>/dev/null
	is "$line" "USR1" "${n##*/} -p SIGUSR1: the init's parent dies, the command has SIGUSR1"
	stop_reading
done
"$init" -p SIGNOPE true 2>/dev/null
is "$?" 1 "-p SIGNOPE: not a signal, 1"

# ---- verbosity ----
msg=$("$init" -v -- true 2>&1)
is "$(sed 's/[0-9]\+/N/g' <<<"$msg")" "kbox-init: 'true' started, pid N
kbox-init: 'true' (pid N) exited with N, exit code N" "-v: what it starts and how that ends"
msg=$(TINI_VERBOSITY=3 "$init" -- sh -c 'kill -USR1 $PPID; sleep 0.1' 2>&1)
has() { grep -qF -- "$2" <<<"$1"; ok $? "$3" || echo "$1" | diag; }
has "$msg" "kbox-init: SIGUSR1 passed on to pid" "TINI_VERBOSITY=3: each signal passed on"
msg=$("$init" -vvv -- sh -c 'kill -USR1 $PPID; sleep 0.1' 2>&1)
has "$msg" "kbox-init: got SIGUSR1" "-vvv: the same"
for v in -v --verbose DUMB_INIT_DEBUG=1; do
	if [ "${v%=*}" = "$v" ]; then msg=$("$d/dumb-init" "$v" sh -c 'kill -HUP $PPID; sleep 0.1' 2>&1)
	else msg=$(env "$v" "$d/dumb-init" sh -c 'kill -HUP $PPID; sleep 0.1' 2>&1); fi
	has "$msg" "dumb-init: SIGHUP passed on to process group" "dumb-init $v: debug messages"
done
is "$("$d/dumb-init" sh -c 'kill -HUP $PPID; sleep 0.1' 2>&1)" "" "dumb-init: quiet by default"

# ---- a terminal: the child in its foreground, job control ----
fg='echo fg $$ $(cut -d" " -f5,6,8 /proc/$$/stat)'
for n in "$init" "$d/tini" tini; do
	read -r _ p g _ t <<<"$("$pty" "$n" -s -- sh -c "$fg" <<<'line fg')"
	is "$g:$t" "$p:$p" "${n##*/} on a terminal: the child's group is the terminal's foreground"
done
for n in "$d/dumb-init" dumb-init; do
	read -r _ p g s t <<<"$("$pty" "$n" sh -c "$fg" <<<'line fg')"
	is "$g:$s:$t" "$p:$p:$p" "${n##*/} on a terminal: the child's session has it"
done
# Started in the background by a job-control shell, the terminal is not the init's to give:
# the shell keeps the foreground (tini takes it away from the shell).
bg_fg() { "$pty" sh -c 'set -m; "$0" -s -- sh -c "$1" & wait; echo sh $$' "$1" "$fg" <<<'line fg
line sh
wait' | tr '\n' ' '; }
read -r _ p g _ t _ sh _ <<<"$(bg_fg "$init")"
is "$g:$t" "$p:$sh" "kbox-init in the background: its child's group of its own, the foreground still the shell's"
read -r _ p g _ t _ sh _ <<<"$(bg_fg tini)"
is "$g:$t" "$p:$p" "  (Debian's tini takes the foreground from the shell)"
# dumb-init as the terminal's session leader lets go of it for the child's session: the
# SIGHUP and SIGCONT that this sends to its own group are not passed on.
for n in "$d/dumb-init" dumb-init; do
	got=$("$pty" "$n" sh -c 'trap "echo HUP" HUP; trap "echo CONT" CONT; echo up; read x; echo done' <<<'line up
send x\n
line done
wait')
	is "$(tr '\n' ' ' <<<"$got")" "up done exit 0 " "${n##*/} on a terminal: the hand-off's SIGHUP and SIGCONT stay its own"
done
# ^C on the terminal: SIGINT to its foreground group, the child's; the init exits with 130.
for n in "$init" tini; do
	got=$("$pty" "$n" -s -- sh -c 'echo up; read x' <<<'line up
send \x03
wait')
	is "$(tr '\n' ' ' <<<"$got")" "up exit 130 " "${n##*/} on a terminal: ^C ends the child, 130"
done
# ^Z on the terminal stops the child; the init stops too, so that its shell sees the job
# stopped; SIGCONT to the init (fg) continues both, the child back in the foreground.
script='line fg
send \x1a
stopped
kill 18
send hello\n
line fg
wait'
read_fg='echo fg $(cut -d" " -f5,8 /proc/$$/stat); read x; echo fg $(cut -d" " -f5,8 /proc/$$/stat) $x'
got=$("$pty" "$init" -- sh -c "$read_fg" <<<"$script" | sed -E 's/fg ([0-9]+) \1/fg same/')
is "$(tr '\n' ' ' <<<"$got")" "fg same stopped 19 fg same hello exit 0 " "^Z: the child stops, kbox-init stops, fg continues both"
for n in "$init" "$d/tini" "$d/dumb-init"; do
	for s in 20 21 22; do
		[ "$n" = "$d/tini" ] && [ $s != 20 ] && continue # tini ignores them: below
		got=$("$pty" "$n" sh -c "$read_fg" <<<"line fg
kill $s
stopped
kill 18
send hello\\n
line fg
wait" | sed -E 's/fg ([0-9]+) \1/fg same/')
		is "$(tr '\n' ' ' <<<"$got")" "fg same stopped 19 fg same hello exit 0 " \
			"${n##*/}: signal $s passed on, then it stops itself (tini: its child stops, it with it); SIGCONT continues both"
	done
done
# tini ignores a SIGTTIN or SIGTTOU sent to it: neither passed on nor stopping it.
for n in "$d/tini" tini; do
	for s in 21 22; do
		got=$("$pty" "$n" -s -- sh -c "$read_fg" <<<"line fg
kill $s
send hello\\n
line fg
wait" | sed -E 's/fg ([0-9]+) \1/fg same/')
		is "$(tr '\n' ' ' <<<"$got")" "fg same fg same hello exit 0 " \
			"${n##*/}: signal $s ignored, as tini does: the child reads on"
	done
done
for s in 20 21 22; do
	got=$("$pty" dumb-init sh -c "$read_fg" <<<"line fg
kill $s
stopped
kill 18
send hello\\n
line fg
wait" | sed -E 's/fg ([0-9]+) \1/fg same/')
	is "$(tr '\n' ' ' <<<"$got")" "fg same stopped 19 fg same hello exit 0 " "  as Debian's dumb-init ($s)"
done
# Without a terminal, the same stop and continue; the child is stopped while the init is.
start "$init" -- sh -c 'echo up; while :; do sleep 0.01; done'
child=$(pgrep -P $ipid)
kill -TSTP $ipid
n=0
while [ "$(field 3 $ipid)" != T ] && [ $n -lt 500 ]; do sleep 0.01; n=$((n + 1)); done
while [ "$(field 3 "$child")" != T ] && [ $n -lt 500 ]; do sleep 0.01; n=$((n + 1)); done
is "$(field 3 $ipid) $(field 3 "$child")" "T T" "no terminal: SIGTSTP stops the child, then kbox-init"
kill -CONT $ipid
n=0
while [ "$(field 3 "$child")" = T ] && [ $n -lt 500 ]; do sleep 0.01; n=$((n + 1)); done
is "$(field 3 $ipid | tr RS s) $(field 3 "$child" | tr RS s)" "s s" "  SIGCONT to kbox-init continues both"
kill -TERM $ipid
wait $ipid
is "$?" 143 "  and SIGTERM still ends it"
stop_reading
rm -f "$fifo"
done_testing
