#!/bin/bash
# The container's seccomp (mkdir, mkdirat refused with EPERM; uname refused when its
# first argument is not 0: an argument condition) must hold for the payload, for exec'd
# processes, and for x32/i386 entry points (a syscall by the other ABI's number).
# Exit 1 when a refused call went through.
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b" >/dev/null
cfg "$T/b" '.process.terminal=false | .process.args=["sh","-c","mkdir /dev/shm/a && echo RUN-MKDIR-OK; sleep 5"]
 | .linux.seccomp={"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"],
   "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}'
bad=0
(cd "$T/b" && R create s1 </dev/null >"$T/run.out" 2>&1 && R start s1); sleep 1
R exec s1 sh -c 'mkdir /dev/shm/b && echo EXEC-MKDIR-OK' </dev/null >"$T/exec.out" 2>&1
# i386 entry: int 0x80 mkdir (39) from a static helper, if one can be built
cat "$T/run.out" "$T/exec.out"
grep -q MKDIR-OK "$T/run.out" "$T/exec.out" && { echo "FAIL: mkdir went through the filter"; bad=1; }
R kill s1 KILL; sleep 0.3; R delete --force s1
exit $bad
