#!/bin/bash
# Hostile values in config.json: each edit is run (process: `id; cat /proc/self/status`);
# prints whether kbox accepted it and what the process saw. Values that must be refused
# (or taken exactly) are marked; exit 1 when one of those was taken wrongly. (A host
# sysctl is sysctl-host.sh: kept out of here, it changes the host.)
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b" >/dev/null
cp "$T/b/config.json" "$T/base.json"
bad=0; n=0
try() { # try EXPECT(refuse|any) JQ
	n=$((n+1)); cp "$T/base.json" "$T/b/config.json"
	cfg "$T/b" '.process.terminal=false | .process.args=["sh","-c","id; grep -E \"^(Cap|Uid|Gid)\" /proc/self/status; cat /proc/self/uid_map 2>/dev/null|head -2"] | '"$2"
	if out=$(cd "$T/b" && timeout 10 "$RT" --root "$ROOT" run p$n </dev/null 2>&1); then
		res=ACCEPTED; [ "$1" = refuse ] && { bad=1; res="ACCEPTED (should be refused)"; }
	else res=refused; fi
	printf '%-60s %s\n   %s\n' "$2" "$res" "$(echo "$out" | tr '\n' ' ' | cut -c1-220)"
	R delete --force p$n >/dev/null 2>&1
}
try refuse '.process.user.uid=4294967295'
try refuse '.process.user.uid=4294967296'
try refuse '.process.user.uid=-1'
try refuse '.process.user.gid=4294967296'
try refuse '.process.user.additionalGids=[4294967296]'
try refuse '.process.user.additionalGids=[4294967295]'
try refuse '.process.user.uid=1.5'
try refuse '.process.capabilities.bounding += ["CAP_64"]'
try refuse '.process.capabilities.bounding += ["CAP_LAST_CAP"]'
try refuse '.process.capabilities.bounding += ["CAP_SYS_ADMIN "]'
try any    '.process.capabilities.bounding += ["cap_sys_admin"]'
try refuse '.process.rlimits=[{"type":"RLIMIT_NOFILE","hard":18446744073709551616,"soft":1}]'
try refuse '.process.rlimits=[{"type":"RLIMIT_NOFILE","hard":-1,"soft":1}]'
try refuse '.process.rlimits=[{"type":"RLIMIT_FOO","hard":1,"soft":1}]'
try refuse '.process.oomScoreAdj=-1001'
try refuse '.process.oomScoreAdj=4294967296'
try refuse '.process.user.umask=4294967296'
try refuse '.linux.resources.memory.limit=18446744073709551616'
try refuse '.linux.resources.memory.limit=-2'
try refuse '.linux.resources.pids.limit=-2'
try refuse '.linux.resources.pids.limit=9223372036854775808'
try refuse '.linux.resources.cpu.shares=18446744073709551615'
try refuse '.linux.resources.cpu.quota=-2'
try refuse '.linux.resources.cpu.period=0'
try refuse '.linux.resources.cpu.cpus="0-999999"'
try refuse '.linux.resources.cpu.cpus="0\n1"'
try refuse '.linux.resources.blockIO.weight=65536'
try refuse '.linux.resources.memory.swappiness=101'
try any    '.linux.resources.memory.kernel=1'
try any    '.linux.sysctl={"kernel.hostname":"x"}'
try refuse '.linux.sysctl={"net.ipv4.ip_forward/../../kernel/hostname":"x"}'
try refuse '.linux.sysctl={"fs.mqueue.msg_max":"10\n"}'
try refuse '.linux.namespaces += [{"type":"user"}] | .linux.uidMappings=[{"containerID":0,"hostID":4294967295,"size":1}] | .linux.gidMappings=[{"containerID":0,"hostID":0,"size":1}]'
try refuse '.linux.namespaces += [{"type":"user"}] | .linux.uidMappings=[{"containerID":4294967295,"hostID":0,"size":2}] | .linux.gidMappings=[{"containerID":0,"hostID":0,"size":1}]'
try refuse '.linux.namespaces += [{"type":"user"}] | .linux.uidMappings=[{"containerID":0,"hostID":1,"size":4294967296}] | .linux.gidMappings=[{"containerID":0,"hostID":0,"size":1}]'
try refuse '.linux.namespaces += [{"type":"user"}] | .linux.uidMappings=[{"containerID":0,"hostID":100000,"size":65536},{"containerID":0,"hostID":0,"size":1}] | .linux.gidMappings=[{"containerID":0,"hostID":0,"size":1}]'
try refuse '.linux.namespaces += [{"type":"user"}] | .linux.uidMappings=[range(0;400)|{"containerID":.,"hostID":(.+100000),"size":1}] | .linux.gidMappings=[{"containerID":0,"hostID":0,"size":1}]'
try refuse '.linux.uidMappings=[{"containerID":0,"hostID":1000,"size":1}]'
exit $bad
