#!/bin/bash
# kbox restart outlives its client: a client killed (ctrl-C, a lost ssh session) while the
# stop is pending still gets the container started again, and with kbox.exit=poweroff the
# appliance does not power itself off in between. A later kbox stop takes its place.
. "$(dirname "$0")/../lib.sh"
build_initrd restart "build an initramfs with a container that outlives SIGTERM" \
	--conf "$top/tests/qemu/conf/restart" ${KBOX_BIN:+--kbox "$KBOX_BIN"}

# w COND WHAT: wait for COND (a shell command) for at most 120 s of polling. A restarted
# container is "starting" until its child's report comes: it is waited out, not judged.
script=$(cat <<'IN'
w() { n=0; until eval "$1"; do n=$((n + 1)); [ $n -ge 2400 ] && { echo "TIMEOUT-$2."; return 1; }; sleep 0.05; done; }
pid() { kbox ps | awk '$1 == "slow" { print $3 }'; }
w '[ "$(kbox ps | awk "\$1 == \"slow\" { print \$2 }")" = running ]' up; old=$(pid)
kbox restart slow & p=$!
w 'grep -q "^term-" /run/kbox/logs/slow.log' term; kill $p; wait $p; echo CLIENT-RC-$?.
state() { kbox ps | awk '$1 == "slow" { print $2 }'; }
w 'new=$(pid); [ -n "$new" ] && [ "$new" != "$old" ] && [ "$new" != - ] && [ "$(state)" = running ]' restarted && echo RESTARTED-$(state).
old=$(pid); kbox restart slow & p=$!
w 'grep -c "^term-" /run/kbox/logs/slow.log | grep -qx 2' term2; kill $p; wait $p
kbox stop slow; echo STOP-RC-$?-$(kbox ps | awk '$1 == "slow" { print $2 }').
IN
)
boot_shell restart 120 "" --initrd "$initrd" < <(printf '%s\nkbox poweroff\n' "$script")
is "$rc" 0 "kbox poweroff powers the machine off"
has_end "CLIENT-RC-143." "a kbox restart client was killed while its stop was pending"
has_end "RESTARTED-running." "the container was started again all the same"
has_end "STOP-RC-0-exited." "a kbox stop after another interrupted restart is the last word: it stays stopped"
lacks_match "TIMEOUT-" "no wait timed out"

boot_shell restart-exit 120 "kbox.exit=poweroff" --initrd "$initrd" < <(printf '%s\n' \
	"$(echo "$script" | head -n 7)" 'echo STILL-UP-$(kbox ps | grep -c "^slow .*running").' 'kbox poweroff')
has_end "STILL-UP-1." "with kbox.exit=poweroff, the appliance waits for the interrupted restart"
lacks_match "no container left running" "and never finds nothing left running"
done_testing
