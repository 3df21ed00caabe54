#!/bin/bash
# Parallel start at boot: 50 containers in ten after= chains of five, half of them bridged,
# start in one boot; a failed start in the middle of one chain stops only what is after it,
# a payload that fails stops nothing (after= orders starts), every other container runs.
. "$(dirname "$0")/../lib.sh"
conf=$out/tests/parallel-conf
rm -rf "$conf" && mkdir -p "$conf"
printf 'exit = poweroff\n' >"$conf/kbox.conf"
for k in 0 1 2 3 4 5 6 7 8 9; do
	for j in 1 2 3 4 5; do
		f=$conf/c$k$j.conf
		: >"$f"
		[ $((k % 2)) = 0 ] || echo 'net = none' >>"$f"
		[ "$j" = 1 ] || echo "after = c$k$((j - 1))" >>"$f"
		if [ "$k$j" = 53 ]; then
			echo 'image = missing' >>"$f" # its start fails: c54 and c55 never start
		elif [ "$k$j" = 63 ]; then
			echo "cmd = sh -c 'echo c$k$j ran; exit 1'" >>"$f" # it started: c64 goes on
		else
			echo "cmd = echo c$k$j ran" >>"$f"
		fi
	done
done
# Last: PID 1's mount table, seen through a bind of its mountinfo. Each container's layer
# stays mounted across its restarts; where PID 1 holds them, its table grows with them.
cat >"$conf/zz.conf" <<'CONF'
net = none
after = c05,c15,c25,c35,c45,c65,c75,c85,c95
bind = /proc/1/mountinfo:/pid1-mounts:ro
cmd = sh -c 'echo "pid1 mounts $(wc -l </pid1-mounts)"'
CONF
# Its layer is in the keeper, mounted there by its first run's child: the restart's finds it.
cat >"$conf/again.conf" <<'CONF'
net = none
restart = on-failure:1
cmd = sh -c 'if [ -f /kept ]; then echo kept; else touch /kept; echo first; exit 1; fi'
CONF
build_initrd parallel "build an initramfs with 50 containers in after= chains" --conf "$conf"
boot parallel 300 "" --initrd "$initrd" --memory 640
is "$rc" 0 "the boot powers off once every container is done"

started() { grep -n "^kbox: $1: started, pid " "$log" | head -n1 | cut -d: -f1; }
for k in 0 1 2 3 4 5 6 7 8 9; do
	for j in 1 2 3 4 5; do
		c=c$k$j
		case $c in
		c53) has_line "kbox: summary: c53: not started: its setup failed" "c53: its start fails (image missing)" ;;
		c54 | c55)
			has_line "kbox: $c: after: 'c$k$((j - 1))' never started, so neither does $c" \
				"$c: gives up, as what it comes after never started"
			;;
		*)
			a=$(started "$c")
			p=$([ "$j" = 1 ] || started "c$k$((j - 1))")
			grep -qxF "$c | $c ran" "$log" && [ -n "$a" ] &&
				{ [ "$j" = 1 ] || { [ -n "$p" ] && [ "$p" -lt "$a" ]; }; }
			ok $? "$c: ran$([ "$j" = 1 ] || echo ", started after c$k$((j - 1)) (lines ${p:-none}, ${a:-none})")"
			;;
		esac
	done
done
m=$(sed -n 's/^zz | pid1 mounts \([0-9]*\)$/\1/p' "$log")
cmp_ok "$m" -lt 40 "PID 1's mount table does not grow with the containers (their mounts are in the keeper)"
has_line "again | first" "again: its first run writes a file in its root"
has_line "again | kept" "and after its restart the file is there: its layer stayed in the keeper"
has_match "^kbox: supervisor: 49 of 52 containers started \\(boot \\+[0-9.]+ s, PID 1 CPU [0-9]+ ms\\)$" \
	"the supervisor says when the boot's starts are all in"
lacks_match "^c5[45] \\|" "neither c54 nor c55 ran"
done_testing
