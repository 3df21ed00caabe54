#!/bin/bash
# Attack: an e2fsck that never ends (a crafted filesystem that keeps it busy; here a stand-in
# that sleeps), and a disk that never comes with kbox.data_timeout=24h. run_tool() waits for
# the tool with no bound, and find_disk() waits in PID 1 itself: nothing else happens
# meanwhile, not even the containers without a volume, nor a power-off from the host.
. "$(dirname "$0")/../../lib.sh"
d=$out/tests/atk14-hang
rm -rf "$d" && mkdir -p "$d/e2/sbin"
cp ~/.cache/kbox/e2fsprogs-*/sbin/mke2fs "$d/e2/sbin/"
printf '#!/bin/sh\necho "e2fsck: pretending to work forever"\nexec sleep 100000\n' >"$d/e2/sbin/e2fsck"
chmod +x "$d/e2/sbin/e2fsck"
build_initrd atk14-hang "an initramfs whose e2fsck never ends" --e2fsprogs "$d/e2"
img=$d/disk.img
truncate -s 32M "$img" && mkfs.ext4 -q "$img"
boot atk14-hang 30 "kbox.data=/dev/vda kbox.exit=poweroff kbox.ok.net=none kbox.ok.cmd=\"echo healthy\"" \
	--initrd "$initrd" --disk "$img"
grep -q 'e2fsck: pretending to work forever' "$log"
ok $? "hang: e2fsck runs"
grep -q '^ok | healthy$' "$log"
ok $? "hang: the container without a volume starts anyway (fails: PID 1 waits for e2fsck)" ||
	tail -n 3 "$log" | diag
is "$rc" 0 "hang: the machine powers off (fails: qemu/run's timeout kills it)"

boot atk14-never 30 "kbox.data=LABEL=nosuch kbox.data_timeout=24h kbox.exit=poweroff kbox.ok.net=none kbox.ok.cmd=\"echo healthy\""
grep -q "^kbox: data: waiting up to 86400 s for 'LABEL=nosuch'" "$log"
ok $? "never: PID 1 says it waits a day"
grep -q '^ok | healthy$' "$log"
ok $? "never: the container without a volume starts meanwhile (fails: PID 1 waits)" ||
	tail -n 3 "$log" | diag
done_testing
