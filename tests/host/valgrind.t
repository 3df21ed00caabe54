#!/bin/bash
# kbox run under valgrind's memcheck: no error in any process, and kbox itself frees what
# it allocates (no leak of any kind, still reachable included). out/kbox-host is kbox built
# against glibc (memcheck cannot see musl's malloc in a static binary); valgrind has no
# clone3, so this also runs kbox's clone(2) fallback. valgrind 3.19 knows no openat2:
# binds and tmpfs mounts (which need it) are left to run.t.
. "$(dirname "$0")/../lib.sh"
rm -f "$out/tests/valgrind.in" "$out/tests/valgrind.fifo"
kbox=$out/kbox-host
img=$out/tests/vg-image
vgdir=$out/tests/valgrind
host_image "$img"
ok $? "a busybox image in $img"
printf 'default allow\ndeny mkdir\n' >"$out/tests/vg.seccomp"

# vg WANT_STATUS DESCRIPTION KBOX_ARGS...: one run; the process valgrind started is kbox,
# the others are its container children up to their exec (or their _exit when it fails).
vg() {
	local want=$1 what=$2 got errs
	shift 2
	rm -rf "$vgdir" && mkdir -p "$vgdir"
	timeout 300 valgrind -q --xml=yes --xml-file="$vgdir/%p.xml" \
		--suppressions="$top/tests/valgrind.supp" --leak-check=full \
		--show-leak-kinds=all --errors-for-leak-kinds=all "$kbox" "$@" \
		<"${VG_IN:-/dev/null}" >"${VG_OUT:-$vgdir/out}" 2>"$vgdir/err" &
	vgpid=$!
	[ -z "${VG_BEFORE_WAIT:-}" ] || $VG_BEFORE_WAIT
	wait $vgpid
	got=$?
	is "$got" "$want" "$what: exits $want" || diag <"$vgdir/err"
	# timeout started valgrind: kbox's file is the one whose parent is $vgpid.
	kbox_xml=$(grep -l "<ppid>$vgpid</ppid>" "$vgdir"/*.xml)
	errs=$(grep -c '<error>' "$kbox_xml")
	is "$errs" 0 "$what: kbox has no memcheck error and no leak" ||
		grep -E '<kind>|<fn>|<line>' "$kbox_xml" | head -20 | diag
	# A child that fails its exec ends with _exit: its copy of kbox's heap is not a leak.
	errs=$(cat "$vgdir"/*.xml | grep '<kind>' | grep -vc '<kind>Leak_')
	is "$errs" 0 "$what: its container child has no memcheck error before exec" ||
		grep -hE '<kind>|<fn>|<line>' "$vgdir"/*.xml | head -20 | diag
}

vg 0 "a container running true" run --rm "$img" true
is "$(cat "$vgdir/out")" "" "nothing printed"
vg 0 "namespaces, ids, env, hostname, a read-only root" run --rm --userns 0:100000:65536 \
	--read-only -e A=b -h box "$img" sh -c '[ "$A $(hostname) $(id -u)" = "b box 0" ]'
vg 0 "the capability and seccomp flags" run --rm --cap-drop ALL --cap-add CHOWN \
	--security-opt seccomp="$out/tests/vg.seccomp" "$img" sh -c '! mkdir /x 2>/dev/null'
vg 0 "no seccomp at all" run --rm --security-opt seccomp=unconfined "$img" true
echo piped >"$vgdir.in"
VG_IN=$vgdir.in vg 0 "-i" run --rm -i "$img" cat
is "$(cat "$vgdir/out")" piped "-i passes stdin"
vg 7 "the payload's exit status" run --rm "$img" sh -c 'exit 7'
vg 127 "a missing command" run --rm "$img" /nope
vg 126 "a command that cannot run" run --rm "$img" /etc/passwd
vg 125 "a memory limit on cgroup v1" run --rm --memory 64M "$img" true
vg 125 "an unknown flag" run --bogus "$img" true
vg 125 "a missing image" run --rm "$out/tests/no-such-image" true
vg 125 "an unreadable seccomp profile" run --rm --security-opt seccomp=/dev/null/x "$img" true

# SIGTERM reaches the payload: as PID 1 of its namespace it has to catch it.
mkfifo "$vgdir.fifo"
started() {
	read -r _ <"$vgdir.fifo"
	pkill -TERM -P $vgpid
}
VG_OUT=$vgdir.fifo VG_BEFORE_WAIT=started vg 42 "SIGTERM forwarded to the payload" \
	run --rm "$img" sh -c 'trap "exit 42" TERM; echo up; sleep 60 & wait'

# An image's record: read, parsed (jansson), applied and freed; a bad one; kbox images.
imgs=$out/tests/vg-images
rm -rf "$imgs" && mkdir -p "$imgs" && host_image "$imgs/web" && host_image "$imgs/bad"
printf '%s\n' '{"kbox_image": 1, "name": "web", "size": 1, "layers": 1, "digest": null,' \
	'"config": {"Entrypoint": ["sh", "-c"], "Cmd": ["[ \"$A $(pwd)\" = \"image /tmp\" ] && exit 5"],' \
	'"Env": ["A=image"], "WorkingDir": "/tmp", "User": "0", "StopSignal": "INT",' \
	'"ExposedPorts": {"80/tcp": {}}, "Labels": {"a": "b"}}}' >"$imgs/web.json"
printf '%s\n' '{"kbox_image": 1, "name": "bad", "size": 1, "layers": 1,' \
	'"config": {"Env": ["A=1", 2]}}' >"$imgs/bad.json"
KBOX_IMAGES=$imgs vg 5 "an image's record as the defaults (its Cmd exits 5)" run --rm web
KBOX_IMAGES=$imgs vg 125 "a bad record" run --rm bad true
KBOX_IMAGES=$imgs vg 1 "kbox images, with a bad record" images

vg 0 "--help" --help
vg 1 "ps with no PID 1 to ask" ps
rm -f "$vgdir.in" "$vgdir.fifo"
done_testing
