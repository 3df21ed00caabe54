#!/bin/bash
# --console-socket whose listener hangs up: (a) accepts and closes before reading the pty
# fd, (b) is a socket path that was bound and never listened on / removed. create must
# fail or succeed cleanly: no state left, no process, no cgroup, not killed by SIGPIPE.
# Exit 1 when something is left behind.
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b" >/dev/null
cfg "$T/b" '.process.terminal=true | .process.args=["sleep","30"]'
python3 - "$T/s" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.bind(sys.argv[1]); s.listen(1)
for _ in range(2):
    c, _ = s.accept(); c.shutdown(socket.SHUT_RDWR); c.close()
PY
py=$!; for i in $(seq 50); do [ -S "$T/s" ] && break; sleep 0.1; done
bad=0
for id in h1 h2; do
	(cd "$T/b" && R create --console-socket "$T/s" $id </dev/null); rc=$?
	echo "$id: create rc=$rc; state: $(R state $id 2>&1 | jq -r .status 2>/dev/null)"
	if [ $rc -ge 128 ]; then echo "FAIL: create died of signal $((rc-128))"; bad=1; fi
	if [ $rc -ne 0 ]; then
		[ -e "$ROOT/$id" ] && { echo "FAIL: $id: state left after a failed create"; bad=1; }
		[ -d /sys/fs/cgroup/memory/kbox-oci/$id ] && { echo "FAIL: $id: cgroup left"; bad=1; }
	fi
	R delete --force $id >/dev/null 2>&1
done
kill $py 2>/dev/null; wait
exit $bad
