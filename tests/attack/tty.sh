#!/bin/bash
# OPEN (not in the suite: the fix is a pty or pipes relayed by kbox, as docker exec does).
# kbox exec hands the caller's own stdin, stdout and stderr to a process in the container:
# from the console shell, the appliance's console itself (ttyS0, 4:64). Any process of the
# container (root, default capabilities) can ptrace that process (same uid, same
# capabilities, dumpable after its execve) and so read and write the admin's terminal, and
# keep a child of its own holding it after kbox exec has returned. Reopening it through
# /proc/PID/fd/0 is refused by the device allowlist; an ssh session's /dev/pts/N would not
# be. Run: make all out/probe && tests/attack/tty.sh
. "$(dirname "$0")/../lib.sh"
build_initrd tty "build an initramfs with the probe" --file "$out/probe=/images/busybox/bin/probe"
boot_shell tty 60 \
	"kbox.shell=1 kbox.spy.net=none kbox.spy.stop_timeout=1s kbox.spy.cmd=\"probe tty 1000\"" --initrd "$initrd" <<'IN'
until kbox ps | grep -q '^spy .*running'; do sleep 0.05; done; sleep 0.5
kbox exec spy sleep 3; echo EXEC-DONE.
sleep 1; poweroff
IN
is "$rc" 0 "the machine powers off"
grep -a '^spy | tty=' "$log" | diag
has_match '^spy \| tty=4:64 of pid [0-9]+ open=EPERM' "the spy finds kbox exec's process holding the console"
lacks_match '^spy \| tty=.* ptrace=OK$' "and cannot trace it (today it can: it holds the admin's terminal)"
done_testing
