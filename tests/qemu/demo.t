#!/bin/bash
# The appliance `make run` boots: its /etc/kbox containers, the console shell, the CLI in
# the root, and a poweroff typed at the shell that stops the long-running container first.
. "$(dirname "$0")/../lib.sh"
# The shell's prompt shares the console: lines are matched by how they end.

# As `make run` does, but on ports of its own: the web container answers this machine,
# which then tells the appliance's shell (waiting in nc -l) that it may power off.
fwd=$((40000 + $$ % 20000))
done_port=$((fwd + 1))
rm -f "$out/tests/demo-page.html"
tell() { echo fetched | busybox nc 127.0.0.1 "$done_port"; }
# QEMU takes the forwarded connection even before the guest's nc listens (and then drops
# it): keep telling until the boot is over.
(retry 600 wget -q -T 20 -O "$out/tests/demo-page.html" "http://127.0.0.1:$fwd/" 2>/dev/null
	for i in $(seq 3000); do tell 2>/dev/null; sleep 0.2; done) &
fetcher=$!
boot_shell demo 60 "" --initrd "$out/demo.cpio" \
	--hostfwd "tcp:$fwd-:8080" --hostfwd "tcp:$done_port-:9999" \
	< <(printf '%s\n' 'hostname; kbox version' 'nc -l -p 9999 </dev/null >/dev/null' 'poweroff')
kill "$fetcher" 2>/dev/null
is "$rc" 0 "the demo appliance powers off from its shell"
has_end "hello | hello from hello: I am PID 1, my root is overlay" "the hello container ran from /etc/kbox"
has_match "clock \| [A-Z][a-z]{2} [A-Z][a-z]{2} " "the clock container printed the date"
has_end "kbox-demo" "the hostname comes from /etc/kbox/kbox.conf"
has_match "^kbox [0-9]" "the kbox CLI is on the appliance's PATH"
has_match "clock \| stopping$" "poweroff stopped the clock container with SIGTERM"
has_end "kbox: clock: exited with status 0" "and it exited cleanly"
is "$(cat "$out/tests/demo-page.html" 2>/dev/null)" "<h1>hello from kbox</h1>" \
	"the published web container answers on this machine (make run: curl localhost:8080)"
has_line "kbox: uplink eth0: dhcp: 10.0.2.15/24 via 10.0.2.2" \
	"kbox.uplink=dhcp: QEMU's user network gives the demo its address"
done_testing
