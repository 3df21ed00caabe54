#!/bin/bash
# Faults: an OOM loop, a fork bomb and a CPU hog beside a service that keeps answering; a
# full /run that costs log files but not PID 1 or the console; shutdown with all of them.
. "$(dirname "$0")/../lib.sh"
build_initrd faults "build an initramfs with the misbehaving containers" \
	--conf "$top/tests/qemu/conf/faults"

# 20 requests to svc while the others run, once oom has been restarted (in whatever state it
# is then: on a fast machine it is running for a moment only); each one's time in ms.
ms='$(($(tr -d . </proc/uptime | cut -d" " -f1) * 10))'
boot_shell faults 240 "" --initrd "$initrd" \
	< <(printf '%s\n' 'until kbox ps | grep -q "^svc .*running"; do sleep 0.05; done; ip=$(kbox ps | awk "/^svc / { print \$4 }")' \
	'until kbox ps | awk "\$1 == \"oom\" && \$5 >= 1 { f = 1 } END { exit !f }"; do sleep 0.05; done' \
	"n=0; max=0; for i in \$(seq 20); do t0=$ms; timeout 10 wget -q -O - http://\$ip/ >/dev/null && n=\$((n + 1)); t=\$(($ms - t0)); [ \$t -gt \$max ] && max=\$t; done; echo SERVED-\$n-OF-20 MAX-\${max}MS." \
	'until kbox ps | grep -q "^orphans .*exited"; do sleep 0.05; done' \
	"echo ZOMBIES-\$(cat /proc/[0-9]*/status 2>/dev/null | awk '/^State:/ { z = (\$2 == \"Z\") } /^PPid:/ { if (z && \$2 == 1) n++ } END { print n + 0 }')." \
	'dd if=/dev/zero of=/run/fill bs=1M 2>/dev/null; echo RUN-FULL' \
	'until kbox inspect chatty | grep -q "\"log_file\": null"; do sleep 0.05; done' \
	'echo ALIVE-$(kbox ps | awk "/running/ { print \$1 }" | grep -v -e oom -e bomb | sort | tr "\n" ,).' \
	'rm /run/fill; echo RUN-FREED' 'poweroff')
is "$rc" 0 "the machine powers off cleanly, misbehaving containers and all"

has_match "^kbox: oom: killed by the OOM killer \\(memory.max 16M\\)" "the OOM killer takes oom"
has_match "^kbox: oom: restart [0-9]+ in " "and it is restarted"
served=$(sed -n 's/.*SERVED-\([0-9]*\)-OF-20 MAX-\([0-9]*\)MS\./\1 \2/p' "$log" | tail -n 1)
is "${served% *}" 20 "svc answered all 20 requests beside an OOM loop, a fork bomb and a CPU hog"
max=${served#* }
cmp_ok "$max" -lt 5000 "each within 5 s (the slowest: ${max} ms under TCG)"
has_end "kbox: chatty: cannot write its log file; the console keeps its output: No space left on device" \
	"a full /run costs chatty its log file, with one message (kbox inspect: log_file null)"
# The shell's prompt may stand before a line.
n=$(grep -c 'chatty | chat-[0-9]* ' "$log")
last=$(sed -n 's/.*chatty | chat-\([0-9]*\) .*/\1/p' "$log" | tail -n 1)
[ "$n" -gt 0 ] && [ "$n" -eq "$last" ]
ok $? "its console output goes on, not a line lost ($n lines)"
has_end "ALIVE-chatty,hog,svc,." "PID 1, the service and the others live on with /run full"
has_line "orphans | made-10000" "a container left 10,000 orphans to PID 1"
has_end "ZOMBIES-0." "and none of them is left a zombie"
reaped=$(sed -n 's/^kbox: reaped \([0-9]*\) orphans; poweroff$/\1/p' "$log")
cmp_ok "$reaped" -ge 10000 "PID 1 counted them reaped ($reaped)"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
