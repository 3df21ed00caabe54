#!/bin/bash
# The shape of runtime/: who includes whom. The spec code and the network code never reach
# into init/, the spec modules include each other one way only, and the spec code makes no
# system call (it is pure parsing; a front end that must read a file would say so here).
. "$(dirname "$0")/../lib.sh"
cd "$top" || exit 1

# includes FILE: the repository paths of the files FILE includes with "...".
includes() {
	local dir=${1%/*} inc
	sed -n 's/^#include "\(.*\)"$/\1/p' "$1" | while read -r inc; do
		realpath -m --relative-to="$top" "$dir/$inc"
	done
}

# The module of a file: its path without .c or .h (spec/keys.c and spec/keys.h are one).
module() { echo "${1%.[ch]}"; }

bad=$(for f in runtime/spec/*.[ch] runtime/net/*.[ch] runtime/image/*.[ch]; do
	includes "$f" | grep '^init/' | sed "s|^|$f includes |"
done)
is "$bad" "" "no file of runtime/spec/, runtime/net/ or runtime/image/ includes anything of init/"

# edges DIR...: "A B" for each module A of DIR that includes a header of module B of DIR.
edges() {
	local f t
	for f in $(for d in "$@"; do ls "$d"/*.[ch]; done); do
		for t in $(includes "$f"); do
			case " $* " in *" ${t%/*} "*) ;; *) continue ;; esac
			[ "$(module "$f")" = "$(module "$t")" ] || echo "$(module "$f") $(module "$t")"
		done
	done | sort -u
}

# tsort names a loop on stderr and fails when the graph has one.
acyclic() {
	local loop
	loop=$(tsort 2>&1 >/dev/null)
	[ -z "$loop" ] || { echo "$loop" | diag; return 1; }
}

edges runtime/spec | acyclic
ok $? "the modules of runtime/spec/ include each other one way only (no cycle)"
edges runtime/spec | diag

edges runtime/net | acyclic
ok $? "so do those of runtime/net/"

edges runtime/image | acyclic
ok $? "and those of runtime/image/"

# Folder by folder: runtime/ builds on spec/ and net/, spec/ on net/'s address parsing,
# and all of them on lib/; nothing points back up.
folders() {
	local f t
	for f in runtime/*.[ch] runtime/spec/*.[ch] runtime/net/*.[ch] runtime/image/*.[ch] lib/*.[ch]; do
		for t in $(includes "$f"); do
			[ "${f%/*}" = "${t%/*}" ] || echo "${f%/*} ${t%/*}"
		done
	done | sort -u
}
folders | acyclic
ok $? "the folders runtime/, runtime/spec/, runtime/net/, runtime/image/ and lib/ include each other one way only"
folders | diag

# The pure code's calls into libc, compiled here: none of them is a system call's wrapper.
# Of runtime/image/ the parsers are pure; the importer (source.c, source_dir.c, emit.c,
# emit_dir.c, import.c) acts.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
syscalls=' open openat open64 creat read pread write pwrite close ioctl socket connect bind sendmsg recvmsg send recv mount umount umount2 mkdir rmdir unlink unlinkat rename symlink chdir fchdir stat fstat lstat fstatat statfs access syscall fork vfork clone execve execvp execlp kill waitpid prctl setns unshare mmap opendir readdir fopen getenv '
pure() {
	for f in "$tmp/$1"/*.o; do
		nm -u "$f" | awk '{ print $2 }' | while read -r sym; do
			case "$syscalls" in *" $sym "*) echo "${f##*/}: $sym" ;; esac
		done
	done
}
for set in spec:runtime/spec/*.c image:runtime/image/sha256.c image:runtime/image/tar.c image:runtime/image/tree.c image:runtime/image/manifest.c image:runtime/image/name.c; do
	mkdir -p "$tmp/${set%%:*}"
	for f in ${set#*:}; do
		${HOSTCC:-cc} -std=gnu11 -D_GNU_SOURCE -isystem "$out/jansson/include" -c \
			-o "$tmp/${set%%:*}/$(basename "$f" .c).o" "$f" || echo "$f" >>"$tmp/failed"
	done
done
[ ! -e "$tmp/failed" ]
ok $? "every file of runtime/spec/ and runtime/image/'s parsers compiles on its own"
is "$(pure spec)" "" "runtime/spec/ calls no system call (pure parsing)"
is "$(pure image)" "" "nor do runtime/image/'s tar, tree, manifest, sha256 and name"

done_testing
