#!/bin/bash
# CI replays every fuzz corpus: each input once through its libFuzzer target (ASan, UBSan).
. "$(dirname "$0")/../lib.sh"
for dir in "$top"/tests/fuzz/corpus/*/; do
	name=$(basename "$dir")
	bin=$out/fuzz/fuzz_$name
	n=$(find "$dir" -type f | wc -l)
	[ -x "$bin" ] && [ "$n" -gt 0 ]
	ok $? "fuzz_$name is built and has a corpus ($n inputs)" || continue
	"$bin" -runs=0 "$dir" >"$out/fuzz/replay-$name.log" 2>&1
	ok $? "every input of tests/fuzz/corpus/$name runs clean" || tail -5 "$out/fuzz/replay-$name.log" | diag
done
done_testing
