#!/bin/bash
# The power-loss proof's checker (tests/probe/records.c) on this host: it sees a lost
# record, a torn one, a flipped byte, a hole and records out of order, so that powerloss.t's
# verdicts mean something.
. "$(dirname "$0")/../lib.sh"
records=$out/records
d=$out/tests/records
rm -rf "$d"
mkdir -p "$d"

"$records" write "$d/good" --max 50 >"$d/acks"
ok $? "records write exits 0 after its --max"
is "$(grep -c '^ack ' "$d/acks")|$(tail -n 1 "$d/acks")" "50|ack 50" "it acknowledges each record, in order"
is "$(stat -c %s "$d/good")" 5000 "records of 100 bytes"
"$records" write "$d/good" --max 1 >/dev/null 2>&1
is $? 1 "it never appends to a file it did not make"
check() { "$records" check "$d/$1"; }
is "$(check good)" "check good records=50 tail=0 holes=0" "all 50 whole and in order"

cp "$d/good" "$d/torn" && truncate -s 4950 "$d/torn"
is "$(check torn)" "check torn records=49 tail=50 holes=0" "a torn last record: 49 and a tail"
cp "$d/good" "$d/flip" && printf X | dd of="$d/flip" bs=1 seek=1234 conv=notrunc 2>/dev/null
is "$(check flip)" "check flip records=12 tail=3800 holes=37" "a flipped byte in record 13 ends the run; the rest are a hole"
cp "$d/good" "$d/zero" && dd if=/dev/zero of="$d/zero" bs=100 seek=20 count=1 conv=notrunc 2>/dev/null
is "$(check zero)" "check zero records=20 tail=3000 holes=29" "a zeroed record 21 (lost data under a kept size): a hole"
{ head -c 300 "$d/good"; tail -c 100 "$d/good"; } >"$d/order"
is "$(check order)" "check order records=3 tail=100 holes=1" "record 50 after record 3: out of order"
: >"$d/empty"
is "$(check empty)" "check empty records=0 tail=0 holes=0" "an empty file: no records"
is "$(check missing)" "check missing error=No such file or directory" "a missing file is said so"

# --no-sync, the broken writer powerloss.t must catch, writes the same records.
"$records" write "$d/nosync" --no-sync --max 50 >/dev/null && cmp -s "$d/good" "$d/nosync"
ok $? "records write --no-sync writes the same bytes (it only skips fdatasync)"
done_testing
