#!/bin/bash
# The appliance `make run` boots: its /etc/kbox containers, the console shell, the CLI in
# the root, and a poweroff typed at the shell that stops the long-running container first.
. "$(dirname "$0")/../lib.sh"
# The shell's prompt shares the console: lines are matched by how they end.

input=$out/tests/demo.input
printf '%s\n' 'hostname; kbox version' 'poweroff' >"$input"
BOOT_INPUT=$input BOOT_WHEN="Enter 'help'" boot demo 60 "" --initrd "$out/demo.cpio"
is "$rc" 0 "the demo appliance powers off from its shell"
has_end "hello | hello from hello: I am PID 1, my root is overlay" "the hello container ran from /etc/kbox"
has_match "clock \| [A-Z][a-z]{2} [A-Z][a-z]{2} " "the clock container printed the date"
has_end "kbox-demo" "the hostname comes from /etc/kbox/kbox.conf"
has_match "^kbox [0-9]" "the kbox CLI is on the appliance's PATH"
has_match "clock \| stopping$" "poweroff stopped the clock container with SIGTERM"
has_end "kbox: clock: exited with status 0" "and it exited cleanly"
done_testing
