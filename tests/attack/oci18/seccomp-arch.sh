#!/bin/bash
# seccomp with "architectures": ["SCMP_ARCH_X86_64"] only (or none) and mkdir/mkdirat
# refused: the payload calls mkdir through int 0x80 (i386) and the x32 ABI (int80mkdir.c).
# Exit 1 when either ABI's mkdir went through.
. "$(dirname "$0")/lib.sh"
musl-gcc -static -O1 -o "$T/int80mkdir" "$(dirname "$0")/int80mkdir.c" || exit 2
bad=0
for arches in '["SCMP_ARCH_X86_64"]' '[]' '["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"]'; do
	rm -rf "$T/b"; mkbundle "$T/b" >/dev/null; cp "$T/int80mkdir" "$T/b/rootfs/bin/"
	cfg "$T/b" '.process.terminal=false | .process.args=["sh","-c","mkdir /dev/shm/n; int80mkdir /dev/shm/d; ls /dev/shm"]
	 | .linux.seccomp={"defaultAction":"SCMP_ACT_ALLOW","architectures":'"$arches"',
	   "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}'
	out=$(cd "$T/b" && R run a$RANDOM </dev/null 2>&1)
	echo "architectures $arches:"; echo "$out" | sed 's/^/   /'
	echo "$out" | grep -qx 'd\.i386\|d\.x32' && { echo "FAIL: mkdir by another ABI went through"; bad=1; }
done
exit $bad
