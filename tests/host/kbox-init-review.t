#!/bin/bash
# An outside review of kbox-init as a drop-in for tini and dumb-init (issue 15): each test
# runs Debian's tool and kbox under its name the same way; where they differ the test
# expects the real tool's behaviour (or better). Failing tests are defects to fix.
. "$(dirname "$0")/../lib.sh"
d=$out/tests/kinit-review
mkdir -p "$d"
for n in kbox-init tini dumb-init; do ln -sfn "$out/kbox" "$d/$n"; done
pty=$out/tests/ptydrive
for t in tini-static dumb-init "$pty" cc; do
	command -v "$t" >/dev/null || { echo "Bail out! no $t (make host-test, mk/deps)"; exit 1; }
done

# ---- 1. the terminal's foreground is left to the dead child's group ----
# A script run from a job-control shell runs the init, then reads the terminal. Once the
# init has returned, the script's process group must have the foreground back: else its
# read stops it with SIGTTIN (149). Real dumb-init -c never moves the foreground.
after() { # after INIT...: the outer shell's view of the inner script's status
	"$pty" sh -c 'set -m; sh -c "$0 true 2>/dev/null; read x"; echo rc:$?' "$*" <<'SCRIPT' 2>&1 | tr '\n' ' '
send hello\n
line rc
wait
SCRIPT
}
is "$(after /usr/bin/dumb-init -c)" "rc:0 exit 0 " "Debian's dumb-init -c: the script reads on after it"
is "$(after "$d/dumb-init" -c)" "rc:0 exit 0 " "dumb-init -c: the script that ran it is not stopped by SIGTTIN afterwards"
is "$(DUMB_INIT_SETSID=0 after "$d/dumb-init")" "rc:0 exit 0 " "DUMB_INIT_SETSID=0: the same"
is "$(after "$d/kbox-init" --)" "rc:0 exit 0 " "kbox-init: gives the foreground back when its child is gone (tini does not: better than it)"
# dumb-init -c keeps the child in dumb-init's own process group.
read -r a b <<<"$(/usr/bin/dumb-init -c sh -c 'echo $(cut -d" " -f5 /proc/$PPID/stat) $(cut -d" " -f5 /proc/$$/stat)')"
is "$([ "$a" = "$b" ] && echo same)" "same" "Debian's dumb-init -c: the child in its process group"
read -r a b <<<"$("$d/dumb-init" -c sh -c 'echo $(cut -d" " -f5 /proc/$PPID/stat) $(cut -d" " -f5 /proc/$$/stat)')"
is "$([ "$a" = "$b" ] && echo same)" "same" "dumb-init -c: the child in its process group, as dumb-init's"

# ---- 2. dumb-init resets the child's signal mask and ignored signals ----
# blk first puts every signal back to its default (raw rt_sigaction, libc refuses 32 and
# 33): GNU make starts recipes with those ignored, which glibc's dumb-init cannot undo.
cat >"$d/blk.c" <<'C'
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(int c, char **v)
{
	struct { void (*h)(int); unsigned long f; void (*r)(void); unsigned long long m; } dfl = {SIG_DFL};
	sigset_t s;
	for (int i = 1; i < 65; i++)
		if (i != SIGKILL && i != SIGSTOP)
			syscall(SYS_rt_sigaction, i, &dfl, 0, sizeof(dfl.m));
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigprocmask(SIG_BLOCK, &s, 0);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	execv(v[1], v + 1);
	return 99;
}
C
cc -o "$d/blk" "$d/blk.c"
# Not through sh: dash unblocks signals at its start, a server would not.
masks() { "$d/blk" "$@" grep -E "^Sig(Blk|Ign)" /proc/self/status | tr -d "\t" | tr "\n" " "; }
is "$(masks /usr/bin/dumb-init)" "SigBlk:0000000000000000 SigIgn:0000000000000000 " \
	"Debian's dumb-init: SIGTERM unblocked, SIGHUP and SIGINT at their default in the child"
is "$(masks "$d/dumb-init")" "SigBlk:0000000000000000 SigIgn:0000000000000000 " \
	"dumb-init: the same (nohup dumb-init ...: a SIGHUP must still reach the child)"
# What that means: SIGTERM to the init, passed on, must end the child.
start_term() {
	"$d/blk" "$@" sleep 3 &
	p=$!
	# Its child there: the init has its signals set up (both block them before the fork).
	n=0
	while ! pgrep -P $p >/dev/null && [ $n -lt 500 ]; do sleep 0.01; n=$((n + 1)); done
	kill -TERM $p
	s=$SECONDS
	wait $p
	echo "$?:$((SECONDS - s < 2))"
}
is "$(start_term /usr/bin/dumb-init)" "143:1" "Debian's dumb-init: SIGTERM ends a child whose caller had it blocked"
is "$(start_term "$d/dumb-init")" "143:1" "dumb-init: the same"

# ---- 3. tini does not stop itself on SIGTSTP, nor pass on SIGTTIN/SIGTTOU ----
# A child that catches SIGTSTP and exits: tini exits with its status; an init that has
# stopped itself does not see the child's end until someone sends it a SIGCONT.
tstp() {
	# The last run's "up" must not be taken for this one's (the shell would get the signal
	# before it has become the init).
	rm -f "$d/tstp.out"
	"$@" sh -c 'trap "exit 7" TSTP; echo up; while :; do sleep 0.02; done' >"$d/tstp.out" 2>/dev/null &
	p=$!
	n=0
	while ! grep -q up "$d/tstp.out" && [ $n -lt 300 ]; do sleep 0.01; n=$((n + 1)); done
	kill -TSTP $p
	n=0
	while [ -e /proc/$p ] && [ "$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null)" != Z ] && [ $n -lt 200 ]; do sleep 0.01; n=$((n + 1)); done
	st=$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null)
	kill -CONT $p 2>/dev/null
	wait $p
	echo "$?:${st:-gone}"
}
for n in /usr/bin/tini-static "$d/tini"; do
	r=$(tstp "$n" -s --)
	is "${r%:*}:$([ "${r#*:}" = T ] && echo stopped || echo ran)" "7:ran" \
		"${n##*/}: SIGTSTP to it, the child catches it and exits 7: it exits 7, not stopped"
done
ttin() {
	rm -f "$d/ttin.out"
	"$@" sh -c 'trap "echo got-TTIN" TTIN; trap "echo got-WINCH" WINCH; echo up; while :; do sleep 0.02; done' >"$d/ttin.out" 2>/dev/null &
	p=$!
	n=0
	while ! grep -q up "$d/ttin.out" && [ $n -lt 300 ]; do sleep 0.01; n=$((n + 1)); done
	kill -TTIN $p
	# SIGWINCH after it, passed on: once the child has it, the SIGTTIN has been dealt with
	# (an init takes the lower-numbered signal first); one that stopped would never pass it.
	kill -WINCH $p
	n=0
	while ! grep -q got-WINCH "$d/ttin.out" && [ $n -lt 300 ]; do sleep 0.01; n=$((n + 1)); done
	st=$(cut -d' ' -f3 /proc/$p/stat)
	kill -CONT $p
	# Its child first: once the init is gone, the looping sh would outlive the test.
	pkill -KILL -P $p
	kill -KILL $p 2>/dev/null
	wait $p 2>/dev/null
	echo "$st:$(grep -c got-TTIN "$d/ttin.out")"
}
is "$(ttin /usr/bin/tini-static -s --)" "S:0" "Debian's tini ignores a SIGTTIN sent to it"
is "$(ttin "$d/tini" -s --)" "S:0" "tini: the same (not passed on, not stopped)"

# ---- 4. a script without #!: tini and dumb-init (execvp) run it with /bin/sh ----
printf 'echo ran\n' >"$d/noshebang"
chmod 755 "$d/noshebang"
is "$(/usr/bin/tini-static -s -- "$d/noshebang" 2>&1):$?" "ran:0" "Debian's tini runs a script without #!"
is "$(/usr/bin/dumb-init "$d/noshebang" 2>&1):$?" "ran:0" "Debian's dumb-init too"
for n in kbox-init tini dumb-init; do
	is "$("$d/$n" -s -- "$d/noshebang" 2>&1):$?" "ran:0" "$n: a script without #!, as they do"
done

# ---- 5. dumb-init -r: what dumb-init accepts ----
for a in 17:1 9:1 "1:2:3"; do
	/usr/bin/dumb-init -r "$a" true 2>/dev/null
	w=$?
	"$d/dumb-init" -r "$a" true 2>/dev/null
	is "$?" "$w" "dumb-init -r $a: starts as dumb-init does (exit $w)"
done

# ---- 6. a numeric first argument is taken for kbox's report fd ----
/usr/bin/tini-static -s 1 echo hi 2>/dev/null
is "$?" 127 "Debian's tini -s 1 echo hi: no command '1', 127"
"$d/kbox-init" 1 echo hi >/dev/null 2>&1
is "$?" 127 "kbox-init 1 echo hi: the same, not '1' taken for a report fd (its stdout closed)"

# ---- 7. started in the background, then fg: the child must get the terminal ----
# A job-control shell runs the init with &, then fg: the shell hands the terminal to the
# init's group and continues it. The child, in a group of its own, must be given it: else
# its read stops it (SIGTTIN) for ever. Debian's dumb-init -c keeps it in its own group.
bgfg() {
	timeout -k 2 20 "$pty" sh -c 'set -m; $0 sh -c "read x; echo got:\$x" 2>/dev/null & sleep 0.5; echo fg-now; fg' "$*" <<'SCRIPT' 2>/dev/null | tr '\n' ' '
line fg-now
send hello\n
line got
wait
SCRIPT
}
is "$(bgfg /usr/bin/dumb-init -c)" "fg-now got:hello exit 0 " "Debian's dumb-init -c: & then fg, the child reads the terminal"
is "$(bgfg "$d/dumb-init" -c)" "fg-now got:hello exit 0 " "dumb-init -c: the same"
is "$(bgfg "$d/kbox-init" --)" "fg-now got:hello exit 0 " "kbox-init: the same (Debian's tini hangs: better than it)"

# ---- 8. the names tini goes by: docker run --init runs it as /sbin/docker-init ----
# (and Debian installs tini-static). As PID 1 any other name boots kbox's own init.
for n in docker-init tini-static; do
	ln -sfn "$out/kbox" "$d/$n"
	# -s: tini warns without it (not PID 1 nor a subreaper), Debian's tini-static too.
	is "$("$d/$n" -s -- sh -c 'echo ran' 2>&1):$?" "ran:0" "called as $n, it is tini"
done

# ---- 9. dumb-init: an inherited SIG_IGN for SIGCHLD does not reach the child ----
cat >"$d/ign.c" <<'C'
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int c, char **v)
{
	int st;
	pid_t p;
	if (c > 1) {
		signal(SIGCHLD, SIG_IGN);
		execv(v[1], v + 1);
		return 99;
	}
	p = fork();
	if (!p)
		_exit(42);
	if (waitpid(p, &st, 0) < 0)
		printf("waitpid: %s\n", strerror(errno));
	else
		printf("exit %d\n", WEXITSTATUS(st));
	return 0;
}
C
cc -o "$d/ign" "$d/ign.c"
is "$("$d/ign" /usr/bin/dumb-init "$d/ign")" "exit 42" "Debian's dumb-init: SIGCHLD ignored by its caller, its child can still wait for its own"
is "$("$d/ign" "$d/dumb-init" "$d/ign")" "exit 42" "dumb-init: the same"
rm -f "$d/tstp.out" "$d/ttin.out"
done_testing
