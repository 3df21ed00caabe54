#!/bin/bash
# Container output: the console as "NAME | line", /run/kbox/logs/NAME.log with one
# rotation at kbox.log_max, log=console|file|both|none, a fast writer that exits at once
# losing nothing, long lines in pieces, and kbox logs.
. "$(dirname "$0")/../lib.sh"
build_initrd logs "build an initramfs with the log specs" --conf "$top/tests/qemu/conf/logs"

L=/run/kbox/logs
boot_shell logs 120 "" --initrd "$initrd" \
	< <(printf '%s\n' "until [ -f $L/fast.log ] && [ -f $L/rotate.log.1 ]; do sleep 0.05; done" \
	'while ls /sys/fs/cgroup/kbox | grep -q -e fast -e rotate; do sleep 0.05; done' \
	"echo FAST-\$(wc -l <$L/fast.log)-\$(tail -n 1 $L/fast.log)-\$(seq 1 5000 | cmp - $L/fast.log && echo same)." \
	"echo BOTH-\$(tr '\\n' , <$L/both.log)." \
	"echo NONE-\$(ls $L | grep -c -e quiet -e console)." \
	"echo ROTATED-\$(stat -c %s $L/rotate.log.1 | awk '{ print (\$1 <= 65536 && \$1 > 60000) }')-\$(tail -n 1 $L/rotate.log | cut -d' ' -f1)-\$(cat $L/rotate.log.1 $L/rotate.log | head -n 1 | cut -d' ' -f1)." \
	"echo LOGS-\$(kbox logs -n 2 fast | tr '\\n' ,)\$(kbox logs both | wc -l)." \
	'kbox logs nobody; echo LOGS-RC-$?.' \
	"echo FORGER-RAW-\$(tr -d -c '\\r\\033\\007' <$L/forger.log | wc -c)." 'poweroff')
is "$rc" 0 "the machine powers off cleanly"

lacks_match "^fast \\|" "log=file: nothing of fast on the console"
has_end "FAST-5000-5000-same." "a fast writer that exits at once: all 5000 lines, in order, in its file"
# The shell's prompt may stand before any line, and the echo of what the test types may land
# inside one (the console is shared). What the console could not take it skipped and counted.
skipped() {
	sed -n "s/.*kbox: console: skipped \([0-9]*\) lines\{0,1\} of $1\$/\1/p" "$log" |
		awk '{ s += $1 } END { print s + 0 }'
}
sa=$(skipped fa) sb=$(skipped fb)
is "$(($(grep -c 'fa | ' "$log") + sa)):$(($(grep -c 'fb | ' "$log") + sb))" \
	2000:2000 "two fast writers on the console at once: every line prefixed, or counted as skipped ($sa, $sb)"
is "$(sed -En 's/^(.*# )?fa \| ([0-9]+)$/\2/p' "$log" | sort -nc 2>&1 && echo sorted)" sorted \
	"and each in its order"
lacks_match "^f[ab] \\| .*f[ab] \\|" "no line of one inside a line of the other"
has_line "both | both-1" "log=both: stdout on the console"
has_line "both | both-2" "stderr too"
has_line "both | no-newline-at-end" "a last line without a newline is not lost"
has_end "BOTH-both-1,both-2,no-newline-at-end,." "and the same lines in its file"
has_line "console | console-line" "log=console: on the console"
lacks_match "quiet-line" "log=none: nowhere"
has_end "NONE-0." "log=none and log=console leave no file"
pieces=$(grep -c '^long | x*$' "$log")
lens=$(sed -n 's/^long | \(x*\)$/\1/p' "$log" | awk '{ printf "%d,", length($0) }')
is "$lens" "1024,1024,452," "a 2500-byte line reaches the console in pieces of 1024 bytes ($pieces)"
has_match "^ROTATED-1-rotate-line-2999-rotate-line-[1-9][0-9]*\\.$" \
	"kbox.log_max=64k: the rotated file under the cap, the newest line last, the oldest gone"
has_end "LOGS-4999,5000,3." "kbox logs -n 2 shows the last lines; kbox logs all of them"
has_end "LOGS-RC-1." "kbox logs of a container without a log fails"
has_end "kbox: logs: nobody: no log file '/run/kbox/logs/nobody.log': No such file or directory" \
	"and says why"
# Console injection: a container's CR, ESC and BEL are shown escaped, so none starts a line.
has_line 'forger | x\x0dkbox: FORGED-cr' "a container's CR reaches the console as \\x0d"
has_line 'forger | \x1b[2K\x0dkbox: FORGED-esc' "ESC as \\x1b"
has_line 'forger | \x07kbox: FORGED-bel' "BEL as \\x07"
has_line 'forger | kbox: FORGED-plain' "a plain fake kbox line keeps its prefix"
has_line 'forger | \x1b]0;title\x07' "a terminal title sequence is shown, not obeyed"
forged=$(tr '\r\033\007' '\n\n\n' <"$log.raw" | grep -c '^kbox: FORGED')
is "$forged" 0 "no console line starts with kbox: unless kbox wrote it, even split at CR, ESC or BEL"
has_end "FORGER-RAW-6." "the log file keeps the container's 6 control bytes raw"
has_line "kbox: badesc: memory: '1\\x1b[2J' is not a size (like 64M or 1.5G) or max (/etc/kbox/badesc.conf:2)" \
	"kbox's own messages quote a spec's escape sequence escaped"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
