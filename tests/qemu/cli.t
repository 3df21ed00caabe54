#!/bin/bash
# The kbox CLI in the appliance, through PID 1's control socket: ps, stats, inspect, exec,
# stop (with its timeout), start, restart, poweroff; garbage and vanishing clients.
. "$(dirname "$0")/../lib.sh"
build_initrd cli "build an initramfs with the CLI specs" \
	--conf "$top/tests/qemu/conf/cli" ${KBOX_BIN:+--kbox "$KBOX_BIN"} \
	--file "$out/probe=/images/busybox/bin/probe"

probe=/images/busybox/bin/probe
boot_shell cli 90 "kbox.once.cmd=\"sh -c 'exit 4'\" kbox.extra.cmd=\"echo from-the-cmdline\"" \
	--initrd "$initrd" \
	< <(printf '%s\n' 'until kbox ps | grep -q "^mapped .*running"; do sleep 0.05; done' \
	'kbox ps | sed "s/^/PS: /"' \
	'kbox stats | sed "s/^/STATS: /"' \
	'kbox inspect once | sed -n "s/^ *\"\(exit_code\|status\)\": /INSPECT-\1 /p"' \
	'kbox exec web sh -c "echo in-\$(hostname) pid1=\$(cat /proc/1/comm); grep -E \"^(CapEff|NoNewPrivs|Seccomp):\" /proc/self/status | tr \"\t\" = "' \
	'kbox exec web sh -c "exit 9"; echo EXEC-RC-$?.' \
	'kbox exec web /nope; echo NOPE-RC-$?.' \
	'kbox exec mapped sh -c "id -u; cat /proc/self/uid_map | tr -s \" \""' \
	'echo piped | kbox exec -i web cat | sed "s/^/PIPED: /"' \
	'kbox exec once true; echo NOTRUNNING-RC-$?.' \
	'kbox exec limited sh -c "echo LIMITS-\$(ulimit -n)-\$(ulimit -Hn)."' \
	'for i in $(seq 100); do kbox exec leaky sh -c "cd ../../../../../../../.. && ls run/kbox/control.sock >/dev/null 2>&1 && echo EXEC-ESCAPED || echo EXEC-INSIDE"; done 2>&1 | sed "s/[0-9][0-9]*/N/g" | sort | uniq -c | sed "s/^ */LEAKY: /"' \
	"$probe ctl garbage; $probe ctl empty; $probe ctl long; $probe ctl vanish" \
	'kbox stop stubborn; echo STOP-STUBBORN-RC-$?.' \
	'kbox stop web; echo STOP-RC-$?.' \
	'kbox ps | grep "^web " | sed "s/  */ /g; s/^/AFTER-STOP: /"' \
	'kbox start web; echo START-RC-$?.' \
	'until kbox ps | grep -q "^web .*running"; do sleep 0.05; done; old=$(kbox ps | awk "/^web / { print \$3 }")' \
	'kbox restart web; new=$(kbox ps | awk "/^web / { print \$3 }"); echo RESTART-$([ "$new" != "$old" ] && [ -n "$new" ] && echo new-pid).' \
	'kbox start web; echo AGAIN-RC-$?.' 'kbox start bad; echo BAD-RC-$?.' \
	'kbox stop ghost; echo GHOST-RC-$?.' 'kbox frob web; echo FROB-RC-$?.' \
	'kbox poweroff')
is "$rc" 0 "kbox poweroff powers the machine off"

has_match "^PS: NAME +STATE +PID +IP +RESTARTS +UPTIME +MEMORY +STATUS$" "kbox ps prints its header"
has_match "^PS: web +running +[0-9]+ +10\\.88\\.0\\.[0-9]+ +0 +[0-9]+s +[0-9.]+[KM] *$" \
	"a running container: pid, address, uptime, memory"
has_match "^PS: bad +invalid .* bad: memory: '1Q' is not a size" "an invalid one, with the parse error"
has_match "^PS: once +exited .* exited with status 4$" \
	"an exited one, with its status: 4, as the command line's cmd overrides once.conf's"
has_line "extra | from-the-cmdline" "a container from the command line alone runs next to /etc's"
has_match "^STATS: web +[0-9.]+ +[0-9.]+[KM] +[0-9]+$" "kbox stats: cpu, memory, pids"
has_end "INSPECT-status \"exited\"," "kbox inspect: JSON with the state"
has_end "INSPECT-exit_code 4," "and the exit code"
has_end "in-web pid1=sh" "kbox exec runs in the container's namespaces"
has_end "CapEff:=00000000a80405fb" "with its capabilities"
has_end "NoNewPrivs:=1" "no_new_privs"
has_end "Seccomp:=2" "and its seccomp filter"
has_end "EXEC-RC-9." "the command's exit status is kbox exec's"
has_end "kbox: web: exec '/nope': No such file or directory" "a missing command is named"
has_end "NOPE-RC-127." "and exits 127"
has_end "65534" "exec in a userns container runs as its user (nobody)"
has_end " 0 100000 65536" "inside its user namespace"
has_end "PIPED: piped" "stdin comes along"
has_end "NOTRUNNING-RC-1." "exec into a container that is not running fails"
has_end "LIMITS-100-200." "kbox exec gets the container's rlimits"
grep '^LEAKY: ' "$log" | diag
lacks_match "^LEAKY: [0-9]+ EXEC-ESCAPED" "kbox exec with a workdir that links to its own fds never lands outside the root (CVE-2024-21626)"
has_match "^LEAKY: [0-9]+ kbox: leaky: workdir: '/tmp'" "it is refused with a reason"
has_match "ctl-e=kbox: a request is verb and arguments, each ending in a NUL" "garbage gets an error"
has_match "ctl-e=kbox: an empty request" "an empty request too"
is "$(grep -c '^ctl-x=2$' "$log")" 3 "all three with exit code 2"
has_end "ctl=gone" "a client that vanishes before its answer"
has_end "kbox: stubborn: still running 0.300 s after SIGTERM, killing it" "kbox stop escalates after stop_timeout"
has_end "STOP-STUBBORN-RC-0." "and returns once it is gone"
has_end "STOP-RC-0." "kbox stop returns once the container has stopped"
has_end "AFTER-STOP: web exited - - 0 - - exited with status 0" \
	"kbox ps shows it exited, its address given back"
has_end "START-RC-0." "kbox start starts it again"
has_end "RESTART-new-pid." "kbox restart gives it a new PID 1"
has_end "kbox: web: already running" "starting a running container is refused"
has_end "AGAIN-RC-1." "with exit code 1"
has_end "BAD-RC-1." "so is starting an invalid one"
has_end "GHOST-RC-1." "an unknown container exits 1"
has_end "kbox: no container 'ghost'" "and says so"
has_end "FROB-RC-2." "an unknown verb exits 2"
has_end "kbox: kbox poweroff: poweroff, stopping containers" "kbox poweroff reaches PID 1"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
