#!/bin/bash
# startContainer hooks run in the container, their path resolved in its root (the image's
# file), so the image chooses what runs. kbox runs them (runtime/container_oci.c
# oci_child_main: hook_run_all before apply_process) before capabilities are dropped,
# before the user is set, and before seccomp: the image's binary gets the runtime's full
# capability set (CAP_SYS_MODULE, CAP_SYS_ADMIN, ...) in the host's user namespace, no
# filter. runc runs them after finalizeNamespace and seccomp. Here the image's /bin/true
# (the hook's path) reports its capabilities and remounts / read-write; the config's
# process has runc's default 3 capabilities, user 1000 and a seccomp filter refusing mount.
# Exit 1 when the hook had more than the process.
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b" >/dev/null
rm -f "$T/b/rootfs/bin/true"
cat >"$T/b/rootfs/bin/true" <<'SH'
#!/bin/sh
grep -E '^(Uid|CapEff|CapBnd|Seccomp):' /proc/self/status | sed 's/^/hook: /' >&2
mount -o remount,rw / 2>/dev/null && echo "hook: remounted / rw (mount allowed)" >&2
exit 0
SH
chmod +x "$T/b/rootfs/bin/true"
cfg "$T/b" '.process.terminal=false | .process.user.uid=1000 | .process.user.gid=1000
 | .process.args=["sh","-c","grep -E \"^(Uid|CapEff|CapBnd|Seccomp):\" /proc/self/status | sed s/^/payload:\\ /"]
 | .linux.seccomp={"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],
   "syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}
 | .hooks={"startContainer":[{"path":"/bin/true"}]}'
out=$(cd "$T/b" && R run h1 </dev/null 2>&1); echo "$out"
hook=$(echo "$out" | awk '/^hook: CapEff/{print $3}'); pay=$(echo "$out" | awk '/^payload: CapEff/{print $3}')
echo "hook CapEff $hook, payload CapEff $pay"
[ -n "$hook" ] && [ "$hook" != "$pay" ] && { echo "FAIL: the image's startContainer hook ran with more than the process"; exit 1; }
exit 0
