# TAP helpers for the host and QEMU suites: ok, is, cmp_ok, has_line, build_initrd, boot,
# boot_shell, retry, done_testing.
# shellcheck shell=bash
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${KBOX_OUT:-$top/out}
mkdir -p "$out/tests"
tap_n=0
tap_failed=0

# host_lock "$@": a test that makes containers and cgroups of fixed names on the host
# (/sys/fs/cgroup/*/kbox-oci/ID, kbox run's scratch) runs alone on the machine: two
# checkouts' test runs, or one beside a developer's, wait for each other instead of taking
# each other's ids. flock(1) holds the lock, not an fd that the test's processes would
# inherit and keep after it ends.
host_lock() {
	[ -n "${KBOX_HOST_LOCKED:-}" ] && return 0
	exec env KBOX_HOST_LOCKED=1 flock -o /tmp/kbox-host.lock bash "$0" "$@"
}

# ok STATUS DESCRIPTION: passes when STATUS is 0.
ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
		# make test prints this file after prove's summary: CI shows only the tail.
		echo "${0#"$top"/}: not ok $tap_n - $2" >>"$out/tests/failures"
	fi
	return "$1"
}

# is GOT WANT DESCRIPTION
is() {
	[ "$1" = "$2" ]
	ok $? "$3" || printf '#   got: %s\n#  want: %s\n' "$1" "$2" |
		tee >(cut -c1-160 >>"$out/tests/failures")
}

diag() { sed 's/^/# /'; }

# cmp_ok GOT OP WANT DESCRIPTION: GOT is there and [ GOT OP WANT ] holds (OP -lt, -ge, ...).
cmp_ok() {
	[ -n "$1" ] && [ "$1" "$2" "$3" ]
	ok $? "$4" || echo "#   got: '$1', want: $2 $3"
}

# retry N COMMAND...: run COMMAND until it succeeds, at most N times, 0.1 s apart.
retry() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# boot NAME TIMEOUT APPEND [--initrd FILE] [qemu/run args...]: boot once; the console
# (without CRs) is in $log, qemu/run's exit status in $rc. With $BOOT_INPUT, that file is
# typed on the console shell once a line matching $BOOT_WHEN has appeared there. The shell
# first turns the terminal's echo and its prompts off, and the rest is typed once it has: an
# echo of typed input lands wherever the console is at that moment, inside a container's
# line too.
boot() {
	local name=$1 timeout=$2 append=$3 input=/dev/null feeder=
	shift 3
	log=$out/tests/qemu-$name.log
	rm -f "$log.raw" "$log.in"
	if [ -n "${BOOT_INPUT:-}" ]; then
		input=$log.in
		mkfifo "$input"
		# tail dies of SIGPIPE once grep has its line: not an error, whatever the caller's set -e.
		(set +e +o pipefail
			tail -n +1 -F "$log.raw" 2>/dev/null | grep -q -m1 -E -- "$BOOT_WHEN"
			echo 'stty -echo; PS1= PS2=; echo KBOX-QUIET-$((6 * 7))'
			tail -n +1 -F "$log.raw" 2>/dev/null | grep -q -m1 -F KBOX-QUIET-42
			cat "$BOOT_INPUT") >"$input" &
		feeder=$!
	fi
	# The timeout only guards against a hung guest: a busy host makes TCG slow, so it is
	# generous (KBOX_BOOT_SLACK times what an idle machine needs).
	"$top/qemu/run" --timeout "$((timeout * ${KBOX_BOOT_SLACK:-2}))" --log "$log.raw" --append "$append" "$@" \
		<"$input" >/dev/null 2>"$log.err"
	rc=$?
	# The feeder's tail would outlive the boot (and hold prove's pipe) if its line never came.
	[ -z "$feeder" ] || { pkill -P "$feeder"; kill "$feeder"; } 2>/dev/null || :
	rm -f "$log.in"
	diag <"$log.err"
	# The shell's first prompt (and its line editor's cursor query) may stand before a
	# container's line; it is the only one, the input turns prompts off.
	{ tr -d '\r' <"$log.raw" | sed 's,/ # \x1b\[6n,,'; } >"$log" 2>/dev/null || : >"$log"
}

# build_initrd NAME DESCRIPTION [initramfs/build args...]: $initrd, $out/tests/NAME.cpio,
# built from those args; one TAP line, DESCRIPTION.
build_initrd() {
	local name=$1 what=$2
	shift 2
	initrd=$out/tests/$name.cpio
	"$top/initramfs/build" "$@" -o "$initrd"
	ok $? "$what"
}

# boot_shell NAME TIMEOUT APPEND [qemu/run args...] <SCRIPT: boot as boot does, typing
# SCRIPT (kept in $out/tests/NAME.input) on the console once the shell there offers help, or
# once a line matches $BOOT_WHEN if the caller sets it.
boot_shell() {
	local input=$out/tests/$1.input

	cat >"$input"
	BOOT_INPUT=$input BOOT_WHEN=${BOOT_WHEN:-"Enter 'help'"} boot "$@"
}

# has_line LINE DESCRIPTION: the console showed exactly this line.
has_line() {
	grep -qxF -- "$1" "$log"
	ok $? "$2" || echo "#   no line '$1' in $log"
}

# has_end TEXT DESCRIPTION: a line ends with TEXT. With a shell on the console its prompt
# may stand before any other line.
has_end() {
	awk -v s="$1" 'substr($0, length($0) - length(s) + 1) == s { f = 1 } END { exit !f }' "$log"
	ok $? "$2" || echo "#   no line ends with '$1' in $log"
}

# has_match REGEX DESCRIPTION
has_match() {
	grep -qE -- "$1" "$log"
	ok $? "$2" || echo "#   nothing matches /$1/ in $log"
}

# lacks_match REGEX DESCRIPTION: nothing matches, in the log of a boot that reached kbox.
lacks_match() {
	grep -q '^kbox: init ready' "$log" && ! grep -qE -- "$1" "$log"
	ok $? "$2" || grep -E -- "$1" "$log" | diag
}

# before FIRST SECOND DESCRIPTION: line FIRST comes before line SECOND (fixed strings).
before() {
	local a b
	a=$(grep -nxF -- "$1" "$log" | head -n1 | cut -d: -f1)
	b=$(grep -nxF -- "$2" "$log" | head -n1 | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
	ok $? "$3" || echo "#   '$1' at line ${a:-none}, '$2' at line ${b:-none} of $log"
}

done_testing() {
	echo "1..$tap_n"
	# A failed boot's last console lines, for the summary make test prints.
	[ "$tap_failed" = 0 ] || [ -z "${log:-}" ] || [ ! -f "$log" ] ||
		tail -n 6 "$log" | cut -c1-160 | sed "s|^|  ${log##*/}: |" >>"$out/tests/failures"
	[ "$tap_failed" = 0 ]
}

# jget FILE KEY...: a value of a JSON file (a key or an array index a step), as JSON for
# arrays and objects, bare for the rest, null for a missing one. Perl's core JSON::PP.
jget() {
	local f=$1
	shift
	[ -f "$f" ] || return 1
	perl -MJSON::PP -e 'my $j = JSON::PP->new->decode(do { local $/; <STDIN> });
		for my $k (@ARGV) { $j = ref $j eq "ARRAY" ? $j->[$k] : ref $j eq "HASH" ? $j->{$k} : undef }
		print !defined $j ? "null" : ref $j && !JSON::PP::is_bool($j) ? JSON::PP->new->canonical->encode($j) : "$j"' "$@" <"$f"
}

# host_image DIR: a busybox image with the probe, for kbox run on this host.
host_image() {
	local a
	rm -rf "$1"
	mkdir -p "$1"/{bin,etc,tmp,mnt}
	cp "$(command -v busybox)" "$1/bin/busybox" && cp "$out/probe" "$1/bin/probe" &&
		cp "$top/initramfs/passwd" "$top/initramfs/group" "$1/etc/" || return
	for a in sh echo cat grep hostname id ls true touch mknod readlink sleep awk stat; do
		ln -s busybox "$1/bin/$a"
	done
}
