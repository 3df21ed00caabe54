#!/bin/bash
# qemu/run's own argument checking (its boots are the QEMU suite's).
. "$(dirname "$0")/../lib.sh"
run=$top/qemu/run

msg=$("$run" --bogus 2>&1)
is $? 1 "an unknown argument exits 1"
is "$msg" "qemu/run: unknown argument '--bogus' (see --help)" "and names it"
msg=$("$run" --kernel /nonexistent 2>&1)
is "$msg" "qemu/run: no kernel at '/nonexistent' (make)" "a missing kernel"
msg=$("$run" --timeout soon 2>&1)
is "$msg" "qemu/run: --timeout 'soon' is not a number of seconds" "a bad timeout"
msg=$("$run" --machine q35 2>&1)
is "$msg" "qemu/run: --machine 'q35' is not microvm or pc" "an unknown machine"
msg=$(KBOX_MACHINE=vexpress "$run" 2>&1)
is "$msg" "qemu/run: --machine 'vexpress' is not microvm or pc" "and one from KBOX_MACHINE"
"$run" --help | grep -q 'Exit status: 0 the guest powered off cleanly'
ok $? "--help documents the exit codes"
"$run" --help | grep -q 'machine microvm|pc'
ok $? "and the machines"
# What qemu/run hands QEMU, through a stand-in qemu-system-x86_64 that records its arguments
# and powers the "guest" off at once. KBOX_OUT points at a kernel tree of our own.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/out"
cat >"$tmp/bin/qemu-system-x86_64" <<'EOF'
#!/bin/bash
printf '%s\n' "$@" >"$FAKE_ARGS"
for a; do case $a in *logfile=*) echo '[    0.100000] reboot: Power down' >"${a##*logfile=}" ;; esac; done
EOF
chmod +x "$tmp/bin/qemu-system-x86_64"
: >"$tmp/out/vmlinux"
: >"$tmp/out/bzImage"
: >"$tmp/out/initramfs.cpio"
printf 'CONFIG_HZ_250=y\nCONFIG_HZ=250\n' >"$tmp/out/bzImage.config"
fake() { PATH=$tmp/bin:$PATH KBOX_OUT=$tmp/out FAKE_ARGS=$tmp/args "$run" "$@" </dev/null >/dev/null; }
arg() { sed -n "/^$1\$/{n;p;}" "$tmp/args"; }
fake --machine microvm
is $? 0 "a guest that powered off exits 0"
is "$(arg -kernel)" "$tmp/out/vmlinux" "the default kernel is out/vmlinux, booted at its PVH entry"
# The host's TSC rate as qemu/run finds it (none where the TSC is not constant).
khz=$(sed -n '/^tsc_khz()/,/^}/p' "$run"; echo tsc_khz)
khz=$(bash -c "$khz")
if [ -n "$khz" ]; then
	arg -append | grep -qw "lpj=$((khz * 1000 / 250))"
	ok $? "lpj= is the TSC's cycles per jiffy at our kernel's HZ ($((khz * 1000 / 250)))"
	arg -append | grep -qw "tsc_early_khz=$khz"
	ok $? "and the TSC rate goes with it"
	printf 'CONFIG_HZ_100=y\nCONFIG_HZ=100\n' >"$tmp/out/bzImage.config"
	fake --machine pc --kernel "$tmp/out/bzImage"
	arg -append | grep -qw "lpj=$((khz * 1000 / 100))"
	ok $? "the bzImage too, on pc, at its HZ"
	cp "$tmp/out/vmlinux" "$tmp/other"
	fake --kernel "$tmp/other"
	! arg -append | grep -q 'lpj='
	ok $? "another kernel gets no lpj: its HZ is not ours to guess"
else
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP no constant TSC rate on this host: qemu/run passes no lpj"
fi
done_testing
