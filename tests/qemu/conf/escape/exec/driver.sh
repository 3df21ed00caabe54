# escape.t's second boot, on the appliance's console: kbox exec and kbox run, attacked.
fds=$1
# The layers are mounted in PID 1's keeper mount namespace, not in its own, where this runs.
kin() { for f in /proc/1/fd/*; do l=$(readlink $f); case $l in mnt:*) [ "$l" = "$(readlink /proc/1/ns/mnt)" ] || { nsenter --mount=$f "$@"; return; } ;; esac; done; return 1; }
for n in $fds; do
	until kin test -L /run/kbox/wdexec$n/upper/tmp; do sleep 0.05; done
done
until ! kbox ps | grep -qE "^(planted[0-9]+|wd[0-9]+|cgleaf) +(starting|running|restarting)"; do
	sleep 0.05
done
# rplant's restarts: its cgroup leaf is one of the first fds PID 1 has free when it starts
# (the third after its output pipe, or the fourth while a kbox ps is in): one candidate per
# restart, each set once the start before has come and gone; the first finds no link.
free_fds() { i=3; while [ $i -lt 200 ]; do [ -e /proc/1/fd/$i ] || echo $i; i=$((i + 1)); done; }
restarts() { kbox ps | awk '$1 == "rplant" { print $2, $5 }'; }
was="running 0"
touch /tmp/go
for k in 3 4 3 4 end; do
	until s=$(restarts) && [ "${s#* }" != "${was#* }" ] && [ "${s% *}" != starting ]; do
		sleep 0.2
	done
	was=$s
	[ $k = end ] && break
	n=$(free_fds | sed -n "${k}p")
	ln -sfn /proc/self/fd/$n /tmp/link
	echo "RPLANT-TRIED $n"
done
for n in $fds; do
	kbox exec wdexec$n probe escape >/o 2>&1
	echo "WDEXEC$n-RC-$?."
	sed "s/^/WDEXEC$n: /" /o
done
# The relay's cgroup leaf is opened after the client's socket and its stdio came in: one
# of the first fds PID 1 has free.
free=$(free_fds | head -n 8)
for n in $free; do
	rm -f /tmp/ack
	echo $n >/tmp/req
	until [ -e /tmp/ack ]; do sleep 0.05; done
	kbox exec replant probe escape >/o 2>&1
	echo "REPLANT$n-RC-$?."
	sed "s/^/REPLANT$n: /" /o
done
for n in $fds; do
	exec 7</
	kbox run --rm -w /proc/self/fd/$n /images/busybox probe escape >/o 2>&1
	echo "RUNFD$n-RC-$?."
	sed "s/^/RUNFD$n: /" /o
	exec 7<&-
done
kbox exec rl sh -c 'echo RL=$(ulimit -n):$(ulimit -Hn)'
until kin test -e /run/kbox/slowpw/upper/tmp/ready; do sleep 0.05; done
kbox exec slowpw true 2>&1
echo "SLOWPW-RC-$?."
kbox exec -i rl probe escape </ >/o 2>&1
echo "DIRIN-RC-$?."
sed "s/^/DIRIN: /" /o
for p in $(cat /sys/fs/cgroup/kbox/nocg/cgroup.procs); do echo $p >/sys/fs/cgroup/cgroup.procs; done
rmdir /sys/fs/cgroup/kbox/nocg
kbox exec nocg true
echo "NOCG-RC-$?."
for f in /proc/1/fdinfo/*; do
	n=${f##*/}
	[ "$n" -gt 2 ] || continue
	fl=$(sed -n 's/^flags:[[:space:]]*//p' "$f")
	[ $((0$fl & 02000000)) -ne 0 ] || echo "NOCLOEXEC $n $(readlink /proc/1/fd/$n)"
done
echo CLOEXEC-CHECKED
until ! kbox ps | grep -qE "^planted[0-9]+ +(starting|running|restarting)"; do sleep 0.05; done
