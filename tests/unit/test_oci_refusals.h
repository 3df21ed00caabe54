/* test_oci.c's refusals: each with its exact message. Included by test_oci.c only. */

static void test_json(void)
{
	static char deep[8192];
	size_t n = 0;

	is_int(parse("{\"ociVersion\": \"1.0\", \"ociVersion\": \"1.0\"}"), -EINVAL, "a key twice");
	is_str(err, "config.json: not valid JSON: line 1:34: duplicate object key near '\"ociVersion\"'",
	       "is jansson's error, with its line and column");
	is_int(parse("{\n\"ociVersion\": \"1.0\",\n  x}"), -EINVAL, "a syntax error");
	is_str(err, "config.json: not valid JSON: line 3:3: string or '}' expected near 'x'",
	       "line 3, column 3");
	is_int(parse("[]"), -EINVAL, "an array");
	is_str(err, "config.json: expected an object", "is not a config");
	is_int(parse(""), -EINVAL, "nothing");
	is_int(parse_text("{\"a\": \"\0\"}", 9), -EINVAL, "a NUL byte");
	for (int i = 0; i < 3000; i++)
		deep[n++] = '[';
	deep[n] = '\0';
	is_int(parse(deep), -EINVAL, "3000 nested arrays");
	is_str(err, "config.json: not valid JSON: line 1:2049: maximum parsing depth reached near '['",
	       "stop at jansson's depth");
	char *big = malloc(OCI_CONFIG_MAX + 2);
	memset(big, ' ', OCI_CONFIG_MAX + 1);
	big[OCI_CONFIG_MAX + 1] = '\0';
	is_int(parse(big), -EINVAL, "a text past OCI_CONFIG_MAX");
	is_str(err, "config.json: 4194305 bytes, more than 4194304", "is refused unread");
	free(big);
	REFUSED("ociVersion", "", "config.json: ociVersion: missing");
	REFUSED("ociVersion", "\"0.5.0\"", "config.json: ociVersion: '0.5.0' is not a version 1 of runtime-spec");
	REFUSED("ociVersion", "1", "config.json: ociVersion: expected a string, got 1");
	REFUSED("ociVersion", "null", "config.json: ociVersion: missing");
	REFUSED("ociVersion", "18446744073709551616",
		"config.json: ociVersion: expected a string, got 18446744073709551616");
	REFUSED("process.args", "[\"sh\", 18446744073709551616]",
		"config.json: process.args[1]: expected a string, got 18446744073709551616");
	/* The columns after an integer past int64 are jansson's still. */
	is_int(parse("{\"a\": 18446744073709551616, \"b\": x}"), -EINVAL, "a syntax error after 2^64");
	is_str(err, "config.json: not valid JSON: line 1:34: invalid token near 'x'", "at its column");
	REFUSED("hostname", "\"a\\u0000b\"",
		"config.json: not valid JSON: line 1:146: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"a\\u0000b\"'");
	REFUSED("hostname", "\"\\u0001abc\"",
		"config.json: line 1:137: a string that starts with \\u0001 is not accepted");
	REFUSED("hostname", "\"\\u0002\\n\"", "config.json: hostname: needs a uts namespace (new or joined)");
	REFUSED("root", "", "config.json: root: missing");
	REFUSED("root", "\"rootfs\"", "config.json: root: expected an object, got \"rootfs\"");
	REFUSED("root.path", "\"\"", "config.json: root.path: empty");
	REFUSED("root.readonly", "\"yes\"", "config.json: root.readonly: expected true or false, got \"yes\"");
	ACCEPTED("windows", "{\"layerFolders\": 1}");
	ACCEPTED("process.commandLine", "7");
	ACCEPTED("hostname", "\"\"");
}

static void test_numbers(void)
{
	REFUSED("process.oomScoreAdj", "1001", "config.json: process.oomScoreAdj: 1001 is out of range (-1000..1000)");
	REFUSED("process.oomScoreAdj", "-1001", "config.json: process.oomScoreAdj: -1001 is out of range (-1000..1000)");
	REFUSED("process.oomScoreAdj", "1.5", "config.json: process.oomScoreAdj: expected an integer, got 1.5");
	REFUSED("process.oomScoreAdj", "1e30", "config.json: process.oomScoreAdj: expected an integer, got 1e+30");
	REFUSED("process.oomScoreAdj", "\"5\"", "config.json: process.oomScoreAdj: expected an integer, got \"5\"");
	REFUSED("process.oomScoreAdj", "true", "config.json: process.oomScoreAdj: expected an integer, got true");
	REFUSED("process.oomScoreAdj", "[]", "config.json: process.oomScoreAdj: expected an integer, got an array");
	REFUSED("process.oomScoreAdj", "99999999999999999999999",
		"config.json: process.oomScoreAdj: 99999999999999999999999 is out of range (-1000..1000)");
	REFUSED("process.oomScoreAdj", "-99999999999999999999999",
		"config.json: process.oomScoreAdj: -99999999999999999999999 is out of range (-1000..1000)");
	ACCEPTED("process.oomScoreAdj", "null");
	REFUSED("process.user.uid", "4294967295", "config.json: process.user.uid: 4294967295 is out of range (0..4294967294)");
	REFUSED("process.user.gid", "4294967296", "config.json: process.user.gid: 4294967296 is out of range (0..4294967294)");
	REFUSED("process.user.uid", "-1", "config.json: process.user.uid: -1 is out of range (0..4294967294)");
	ACCEPTED("process.user.uid", "4294967294");
	REFUSED("process.user.additionalGids", "[1, 4294967295]",
		"config.json: process.user.additionalGids[1]: 4294967295 is out of range (0..4294967294)");
	REFUSED("process.user.additionalGids", "[null]", "config.json: process.user.additionalGids[0]: missing");
	REFUSED("process.user.umask", "512", "config.json: process.user.umask: 512 is out of range (0..511)");
	REFUSED("process.rlimits", "[{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1, \"hard\": 18446744073709551616}]",
		"config.json: process.rlimits[0].hard: 18446744073709551616 is out of range (0..18446744073709551615)");
	REFUSED("process.rlimits", "[{\"type\": \"RLIMIT_NOFILE\", \"soft\": -1, \"hard\": 1}]",
		"config.json: process.rlimits[0].soft: -1 is out of range (0..18446744073709551615)");
	REFUSED("process.rlimits", "[{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1e30, \"hard\": 1}]",
		"config.json: process.rlimits[0].soft: expected an integer, got 1e+30");
	REFUSED("process.rlimits", "[{\"type\": \"RLIMIT_NOFILE\", \"soft\": 18446744073709551615, \"hard\": 1}]",
		"config.json: process.rlimits[0]: soft 18446744073709551615 is above hard 1");
	REFUSED("process.rlimits", "[{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1}]",
		"config.json: process.rlimits[0].hard: missing");
	REFUSED("process.rlimits", "[{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1, \"hard\": 1}, {\"type\": \"RLIMIT_NOFILE\", \"soft\": 1, \"hard\": 1}]",
		"config.json: process.rlimits[1].type: 'RLIMIT_NOFILE' again");
	REFUSED("process.rlimits", "[{\"type\": \"RLIMIT_nofile\", \"soft\": 1, \"hard\": 1}]",
		"config.json: process.rlimits[0].type: 'RLIMIT_nofile' is not a resource limit like RLIMIT_NOFILE");
	REFUSED("process.rlimits", "[{\"type\": \"NOFILE\", \"soft\": 1, \"hard\": 1}]",
		"config.json: process.rlimits[0].type: 'NOFILE' is not a resource limit like RLIMIT_NOFILE");
	REFUSED("process.rlimits", "[{\"type\": \"RLIMIT_\", \"soft\": 1, \"hard\": 1}]",
		"config.json: process.rlimits[0].type: 'RLIMIT_' is not a resource limit like RLIMIT_NOFILE");
	REFUSED("process.rlimits", "[7]", "config.json: process.rlimits[0]: expected an object, got 7");
	REFUSED("process.consoleSize.height", "4294967296",
		"config.json: process.consoleSize.height: 4294967296 is out of range (0..4294967295)");
}

static void test_process_refusals(void)
{
	REFUSED("process", "", "config.json: process: missing: create needs a process to run");
	REFUSED("process.args", "[]", "config.json: process.args: empty: create needs at least one argument");
	REFUSED("process.args", "[\"a\", 1]", "config.json: process.args[1]: expected a string, got 1");
	REFUSED("process.args", "\"sh\"", "config.json: process.args: expected an array, got \"sh\"");
	REFUSED("process.env", "[\"A\"]", "config.json: process.env[0]: 'A' is not NAME=value");
	REFUSED("process.env", "[\"=1\"]", "config.json: process.env[0]: '=1' is not NAME=value");
	REFUSED("process.env", "[\"A=1\", \"\\u001b[31m\"]",
		"config.json: process.env[1]: '\\x1b[31m' is not NAME=value");
	REFUSED("process.cwd", "", "config.json: process.cwd: missing");
	REFUSED("process.cwd", "\"srv\"", "config.json: process.cwd: 'srv' is not an absolute path");
	REFUSED("process.cwd", "\"/a/../..\"", "config.json: process.cwd: '/a/../..' has a '..' component");
	ACCEPTED("process.cwd", "\"/a/..b/c..\"");
	/* runtime-tools' CAP_TEST: a name kbox does not know is skipped, as runc 1.1 does. */
	ACCEPTED("process.capabilities.bounding", "[\"CAP_SYS_ADMIN\", \"CAP_NOPE\"]");
	REFUSED("process.capabilities.bounding", "[\"CAP_SYS_ADMIN\", \"CAP_nope\"]",
		"config.json: process.capabilities.bounding[1]: 'CAP_nope' is not a capability");
	REFUSED("process.capabilities.bounding", "[\"CAP_\"]",
		"config.json: process.capabilities.bounding[0]: 'CAP_' is not a capability");
	REFUSED("process.capabilities.effective", "[\"SYS_ADMIN\"]",
		"config.json: process.capabilities.effective[0]: 'SYS_ADMIN' is not a capability");
	REFUSED("process.capabilities.ambient", "[\"cap_sys_admin\"]",
		"config.json: process.capabilities.ambient[0]: 'cap_sys_admin' is not a capability");
	REFUSED("process.capabilities.permitted", "[5]",
		"config.json: process.capabilities.permitted[0]: expected a capability name like CAP_CHOWN");
	REFUSED("process.capabilities", "[]", "config.json: process.capabilities: expected an object, got an array");
	REFUSED("process.ioPriority", "{\"class\": \"IOPRIO_CLASS_RT\", \"priority\": 1}",
		"config.json: process.ioPriority: kbox does not set I/O priorities");
	REFUSED("process.scheduler", "{\"policy\": \"SCHED_FIFO\"}",
		"config.json: process.scheduler: kbox does not set scheduling policies");
	REFUSED("process.execCPUAffinity", "{\"initial\": \"0\"}",
		"config.json: process.execCPUAffinity: kbox does not set CPU affinities");
	REFUSED("process.apparmorProfile", "1", "config.json: process.apparmorProfile: expected a string, got 1");
	ACCEPTED("process.selinuxLabel", "\"system_u:system_r:container_t:s0\"");
	REFUSED("process.terminal", "1", "config.json: process.terminal: expected true or false, got 1");
	REFUSED("hostname", "\"web\"", "config.json: hostname: needs a uts namespace (new or joined)");
	REFUSED("domainname", "\"x\"", "config.json: domainname: needs a uts namespace (new or joined)");
	REFUSED("annotations", "{\"\": \"x\"}", "config.json: annotations.: a key may not be empty or hold '='");
	REFUSED("annotations", "{\"a=b\": \"x\"}", "config.json: annotations.a=b: a key may not be empty or hold '='");
	REFUSED("annotations", "{\"a\": 1}", "config.json: annotations.a: expected a string, got 1");
}

static void test_mounts(void)
{
	REFUSED("mounts", "[{\"type\": \"tmpfs\"}]", "config.json: mounts[0].destination: missing");
	REFUSED("mounts", "[{\"destination\": \"/a\", \"type\": \"tmpfs\"}, {\"destination\": \"tmp\", \"type\": \"tmpfs\"}]",
		"config.json: mounts[1].destination: 'tmp' is not an absolute path");
	REFUSED("mounts", "[{\"destination\": \"/a/../../etc\", \"type\": \"tmpfs\"}]",
		"config.json: mounts[0].destination: '/a/../../etc' has a '..' component");
	REFUSED("mounts", "[{\"destination\": \"/..\", \"type\": \"tmpfs\"}]",
		"config.json: mounts[0].destination: '/..' has a '..' component");
	REFUSED("mounts", "[{\"destination\": \"/x\", \"source\": \"/y\", \"type\": \"bind\", \"options\": [\"tmpcopyup\"]}]",
		"config.json: mounts[0].options: tmpcopyup: only a tmpfs is copied up");
	REFUSED("mounts", "[{\"destination\": \"/x\", \"type\": \"proc\", \"options\": [\"tmpcopyup\"]}]",
		"config.json: mounts[0].options: tmpcopyup: only a tmpfs is copied up");
	REFUSED("mounts", "[{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"/y\", \"options\": [\"rbind\", \"idmap\"]}]",
		"config.json: mounts[0].options[1]: 'idmap': idmapped mounts are not supported");
	REFUSED("mounts", "[{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"/y\", \"options\": [\"ridmap\"]}]",
		"config.json: mounts[0].options[0]: 'ridmap': idmapped mounts are not supported");
	REFUSED("mounts", "[{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"/y\", \"options\": [\"rro\"]}]",
		"config.json: mounts[0].options[0]: 'rro': recursive mount attributes (mount_setattr) are not supported");
	REFUSED("mounts", "[{\"destination\": \"/x\", \"source\": \"/y\", \"type\": \"bind\", \"uidMappings\": [{}]}]",
		"config.json: mounts[0].uidMappings: idmapped mounts are not supported");
	REFUSED("mounts", "[{\"destination\": \"/x\", \"options\": [\"bind\"]}]",
		"config.json: mounts[0].source: missing: a bind needs one");
	REFUSED("mounts", "[{\"destination\": \"/x\", \"source\": \"/y\"}]",
		"config.json: mounts[0].type: missing, and no bind option");
	REFUSED("mounts", "[{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": \"ro\"}]",
		"config.json: mounts[0].options: expected an array, got \"ro\"");
	REFUSED("mounts", "[null]", "config.json: mounts[0]: missing");
	REFUSED("mounts", "{}", "config.json: mounts: expected an array, got an object");
	with("mounts", "[{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": [\"\", \"notmpcopyup\", \"mode=1777\"]}]");
	is_str(sp ? sp->oci->mounts[0].data : err, "mode=1777", "other options are data, not notmpcopyup");
	with("mounts", "[{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": [\"tmpcopyup\", \"size=1m\"]}]");
	ok(sp && sp->oci->mounts[0].copyup && !strcmp(sp->oci->mounts[0].data, "size=1m"),
	   "tmpcopyup on a tmpfs: copied up, not data");
	with("mounts", "[{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": [\"tmpcopyup\", \"notmpcopyup\"]}]");
	ok(sp && !sp->oci->mounts[0].copyup && !sp->oci->mounts[0].data, "notmpcopyup after it: the last wins");
	with("mounts", "[{\"destination\": \"/x\", \"type\": \"tmpfs\"}]");
	is_str(sp ? sp->oci->mounts[0].src : err, "none", "no source: none");
}

static void test_namespaces(void)
{
	REFUSED("linux", "", "config.json: linux.namespaces: kbox needs a mount namespace");
	REFUSED("linux.namespaces", "[{\"type\": \"pid\"}]", "config.json: linux.namespaces: kbox needs a mount namespace");
	REFUSED("linux.namespaces", "[{\"type\": \"mount\"}, {\"type\": \"mount\"}]",
		"config.json: linux.namespaces[1].type: 'mount' again");
	REFUSED("linux.namespaces", "[{\"type\": \"mount\"}, {\"type\": \"net\"}]",
		"config.json: linux.namespaces[1].type: 'net' is not a namespace (pid, network, mount, ipc, uts, user, cgroup, time)");
	REFUSED("linux.namespaces", "[{\"type\": \"mount\"}, {\"type\": \"network\", \"path\": \"proc/1/ns/net\"}]",
		"config.json: linux.namespaces[1].path: 'proc/1/ns/net' is not an absolute path");
	REFUSED("linux.namespaces", "[{\"type\": \"mount\", \"path\": \"/proc/1/ns/mnt\"}]",
		"config.json: linux.namespaces[0].path: kbox makes the container's mount namespace: it joins none");
	REFUSED("linux.namespaces", "[{\"type\": \"mount\"}, {}]", "config.json: linux.namespaces[1].type: missing");
	REFUSED("linux.namespaces", "[{\"type\": \"mount\"}, {\"type\": \"user\"}]",
		"config.json: linux.uidMappings: missing: a new user namespace needs it");
	REFUSED("linux.uidMappings", "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]",
		"config.json: linux.uidMappings: needs a user namespace in linux.namespaces");
#define JOINED "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"sh\"], \"cwd\": \"/\"}, " \
	"\"root\": {\"path\": \"rootfs\"}, \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, " \
	"{\"type\": \"user\", \"path\": \"/proc/9/ns/user\"}], \"uidMappings\": [{\"containerID\": 0, " \
	"\"hostID\": 1000, \"size\": 1}]}}"
	is_int(with_base(JOINED, "linux.gidMappings", ""), -EINVAL, "a joined user namespace without maps");
	is_str(err, "config.json: linux.gidMappings: missing: a joined user namespace needs it", "is refused");
	is_int(with_base(JOINED, "linux.gidMappings", "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]"),
	       0, "with its maps, it is taken");
	ok(sp && !strcmp(sp->oci->ns[OCI_NS_USER].path, "/proc/9/ns/user") && sp->oci->ngid_maps == 1,
	   "the path and the maps that describe it");
#define USERNS "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"sh\"], \"cwd\": \"/\"}, " \
	"\"root\": {\"path\": \"rootfs\"}, \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, " \
	"{\"type\": \"user\"}], \"gidMappings\": [{\"containerID\": 0, \"hostID\": 0, \"size\": 1}]}}"
	is_int(with_base(USERNS, "linux.uidMappings", "[{\"containerID\": 0, \"hostID\": 0, \"size\": 4294967296}]"),
	       -EINVAL, "size 2^32");
	is_str(err, "config.json: linux.uidMappings[0].size: 4294967296 is out of range (0..4294967295)", "is refused");
	with_base(USERNS, "linux.uidMappings", "[{\"containerID\": 2, \"hostID\": 0, \"size\": 4294967295}]");
	is_str(err, "config.json: linux.uidMappings[0]: containerID 2 and size 4294967295 pass 2^32", "a range past 2^32");
	with_base(USERNS, "linux.uidMappings", "[{\"containerID\": 0, \"hostID\": 4294967295, \"size\": 2}]");
	is_str(err, "config.json: linux.uidMappings[0]: hostID 4294967295 and size 2 pass 2^32", "a host range past 2^32");
	is_int(with_base(USERNS, "linux.uidMappings", "[{\"containerID\": 0, \"hostID\": 0, \"size\": 4294967295}]"),
	       0, "0 and 2^32-1 ids, the whole range");
	with_base(USERNS, "linux.uidMappings", "[{\"containerID\": 0, \"hostID\": 0, \"size\": 0}]");
	is_str(err, "config.json: linux.uidMappings[0].size: 0: a map holds one id at least", "size 0");
	with_base(USERNS, "linux.uidMappings", "[{\"containerID\": 0, \"size\": 1}]");
	is_str(err, "config.json: linux.uidMappings[0].hostID: missing", "no hostID");
	with_base(USERNS, "linux.uidMappings", "[{\"containerID\": -1, \"hostID\": 0, \"size\": 1}]");
	is_str(err, "config.json: linux.uidMappings[0].containerID: -1 is out of range (0..4294967295)", "-1");
	char maps[341 * 48 + 8], *p = maps;
	p += sprintf(p, "[");
	for (int i = 0; i < 341; i++)
		p += sprintf(p, "%s{\"containerID\": %d, \"hostID\": %d, \"size\": 1}", i ? "," : "", i, i);
	sprintf(p, "]");
	with_base(USERNS, "linux.uidMappings", maps);
	is_str(err, "config.json: linux.uidMappings: 341 entries, more than the kernel's 340", "341 lines");
	strcpy(strstr(maps, ",{\"containerID\": 340,"), "]");
	is_int(with_base(USERNS, "linux.uidMappings", maps), 0, "340 lines are taken");
}

static void test_linux_refusals(void)
{
	REFUSED("linux.devices", "[{\"path\": \"/etc/x\", \"type\": \"c\", \"major\": 1, \"minor\": 1}]",
		"config.json: linux.devices[0].path: '/etc/x' is not under /dev");
	REFUSED("linux.devices", "[{\"path\": \"/dev/../etc/x\", \"type\": \"c\", \"major\": 1, \"minor\": 1}]",
		"config.json: linux.devices[0].path: '/dev/../etc/x' has a '..' component");
	REFUSED("linux.devices", "[{\"path\": \"/dev/\", \"type\": \"c\", \"major\": 1, \"minor\": 1}]",
		"config.json: linux.devices[0].path: '/dev/' is not under /dev");
	REFUSED("linux.devices", "[{\"path\": \"/dev/x\", \"type\": \"s\", \"major\": 1, \"minor\": 1}]",
		"config.json: linux.devices[0].type: 's' is not c, b, u or p");
	REFUSED("linux.devices", "[{\"path\": \"/dev/x\", \"type\": \"c\", \"minor\": 1}]",
		"config.json: linux.devices[0].major: missing");
	REFUSED("linux.devices", "[{\"path\": \"/dev/x\", \"type\": \"c\", \"major\": -1, \"minor\": 1}]",
		"config.json: linux.devices[0].major: -1 is out of range (0..4294967295)");
	REFUSED("linux.devices", "[{\"path\": \"/dev/x\", \"type\": \"c\", \"major\": 1, \"minor\": 4294967296}]",
		"config.json: linux.devices[0].minor: 4294967296 is out of range (0..4294967295)");
	REFUSED("linux.devices", "[{\"path\": \"/dev/x\", \"type\": \"c\", \"major\": 1, \"minor\": 1, \"fileMode\": 4096}]",
		"config.json: linux.devices[0].fileMode: 010000: the type bits are not those of a 'c' node");
	REFUSED("linux.devices", "[{\"path\": \"/dev/x\", \"type\": \"b\", \"major\": 1, \"minor\": 1, \"fileMode\": 8576}]",
		"config.json: linux.devices[0].fileMode: 020600: the type bits are not those of a 'b' node");
	REFUSED("linux.devices", "[{\"path\": \"/dev/x\", \"type\": \"c\", \"major\": 1, \"minor\": 1, \"fileMode\": 65536}]",
		"config.json: linux.devices[0].fileMode: 65536 is out of range (0..65535)");
	with("linux.devices", "[{\"path\": \"/dev/x\", \"type\": \"p\", \"fileMode\": 4534}]");
	ok(sp && sp->oci->devices[0].mode == 0666, "a fifo's S_IFIFO | 0666 is 0666");
	REFUSED("linux.devices", "[{\"path\": \"/dev/x\", \"type\": \"c\", \"major\": 1, \"minor\": 1, \"uid\": 4294967295}]",
		"config.json: linux.devices[0].uid: 4294967295 is out of range (0..4294967294)");
	REFUSED("linux.sysctl", "{\"../../etc\": \"1\"}", "config.json: linux.sysctl.../../etc: not a sysctl name");
	REFUSED("linux.sysctl", "{\"net..x\": \"1\"}", "config.json: linux.sysctl.net..x: not a sysctl name");
	REFUSED("linux.sysctl", "{\"net.x\": \"1\\n2\"}", "config.json: linux.sysctl.net.x: a value with a newline");
	REFUSED("linux.sysctl", "{\"net.x\": 1}", "config.json: linux.sysctl.net.x: expected a string, got 1");
	/* No namespace holds these: written from a container, they change the host. */
	REFUSED("linux.sysctl", "{\"kernel.core_pattern\": \"|/x\"}",
		"config.json: linux.sysctl.kernel.core_pattern: not namespaced (net.*, kernel.shm*, "
		"kernel.msg*, kernel.sem, fs.mqueue.*): it would change the host");
	REFUSED("linux.sysctl", "{\"vm.overcommit_memory\": \"1\"}",
		"config.json: linux.sysctl.vm.overcommit_memory: not namespaced (net.*, kernel.shm*, "
		"kernel.msg*, kernel.sem, fs.mqueue.*): it would change the host");
	REFUSED("linux.sysctl", "{\"kernel.core_uses_pid\": \"1\"}",
		"config.json: linux.sysctl.kernel.core_uses_pid: not namespaced (net.*, kernel.shm*, "
		"kernel.msg*, kernel.sem, fs.mqueue.*): it would change the host");
	REFUSED("linux.sysctl", "{\"net.\": \"1\"}", "config.json: linux.sysctl.net.: not a sysctl name");
	REFUSED("linux.sysctl", "{\"kernel.semx\": \"1\"}",
		"config.json: linux.sysctl.kernel.semx: not namespaced (net.*, kernel.shm*, "
		"kernel.msg*, kernel.sem, fs.mqueue.*): it would change the host");
	/* Namespaced, but only in a namespace of the container's: else the host's again. */
	REFUSED("linux.sysctl", "{\"net.ipv4.ip_forward\": \"1\"}",
		"config.json: linux.sysctl.net.ipv4.ip_forward: a network namespace's, and "
		"linux.namespaces has none");
	REFUSED("linux.sysctl", "{\"kernel.shmmax\": \"1\"}",
		"config.json: linux.sysctl.kernel.shmmax: an ipc namespace's, and linux.namespaces has none");
	REFUSED("linux", "{\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"ipc\"}], "
		"\"sysctl\": {\"kernel.sem\": \"1 2 3 4\", \"net.core.somaxconn\": \"1\"}}",
		"config.json: linux.sysctl.net.core.somaxconn: a network namespace's, and "
		"linux.namespaces has none");
	REFUSED("linux", "{\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"network\"}], "
		"\"sysctl\": {\"fs.mqueue.msg_max\": \"1\"}}",
		"config.json: linux.sysctl.fs.mqueue.msg_max: an ipc namespace's, and linux.namespaces has none");
	ACCEPTED("linux", "{\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"network\"}, "
		"{\"type\": \"ipc\", \"path\": \"/run/ipcns/pod\"}], \"sysctl\": {\"kernel.sem\": \"1 2 3 4\", "
		"\"kernel.msgmax\": \"1\", \"fs.mqueue.msg_max\": \"1\", \"net.ipv4.conf.eth-0.rp_filter\": \"2\"}}");
	REFUSED("linux.maskedPaths", "[\"proc/kcore\"]",
		"config.json: linux.maskedPaths[0]: 'proc/kcore' is not an absolute path without '..'");
	REFUSED("linux.readonlyPaths", "[\"/proc/../sys\"]",
		"config.json: linux.readonlyPaths[0]: '/proc/../sys' is not an absolute path without '..'");
	REFUSED("linux.rootfsPropagation", "\"recursive\"",
		"config.json: linux.rootfsPropagation: 'recursive' is not private, rprivate, slave, rslave, shared, rshared, unbindable or runbindable");
	REFUSED("linux.timeOffsets", "{\"boottime\": {\"secs\": 1}}",
		"config.json: linux.timeOffsets: needs a time namespace of its own");
	REFUSED("linux.timeOffsets", "{\"realtime\": {\"secs\": 1}}",
		"config.json: linux.timeOffsets.realtime: not a clock a time namespace offsets (boottime, monotonic)");
	REFUSED("linux.timeOffsets", "{\"monotonic\": {\"nanosecs\": 1000000000}}",
		"config.json: linux.timeOffsets.monotonic.nanosecs: 1000000000 is out of range (0..999999999)");
	REFUSED("linux.timeOffsets", "{\"monotonic\": {\"secs\": 9223372036854775808}}",
		"config.json: linux.timeOffsets.monotonic.secs: 9223372036854775808 is out of range (-9223372036854775808..9223372036854775807)");
	REFUSED("linux.intelRdt", "{\"closID\": \"x\"}", "config.json: linux.intelRdt: kbox does not support Intel RDT");
	REFUSED("linux.memoryPolicy", "{\"mode\": \"MPOL_BIND\"}", "config.json: linux.memoryPolicy: kbox does not set memory policies");
	REFUSED("linux.netDevices", "{\"eth1\": {}}", "config.json: linux.netDevices: kbox does not move network devices");
	REFUSED("linux.personality", "{\"domain\": \"LINUX32\"}", "config.json: linux.personality.domain: kbox runs LINUX only");
	REFUSED("linux.personality", "{\"domain\": \"LINUX\", \"flags\": [\"x\"]}",
		"config.json: linux.personality.flags: kbox sets no personality flags");
	ACCEPTED("linux.mountLabel", "\"system_u:object_r:container_file_t:s0:c1,c2\"");
	REFUSED("linux.cgroupsPath", "7", "config.json: linux.cgroupsPath: expected a string, got 7");
}

static void test_resources(void)
{
	REFUSED("linux.resources.memory.limit", "\"64M\"",
		"config.json: linux.resources.memory.limit: expected an integer, got \"64M\"");
	REFUSED("linux.resources.memory.limit", "-2",
		"config.json: linux.resources.memory.limit: -2 is out of range (-1..9223372036854775807)");
	REFUSED("linux.resources.memory.swap", "18446744073709551615",
		"config.json: linux.resources.memory.swap: 18446744073709551615 is out of range (-1..9223372036854775807)");
	ACCEPTED("linux.resources.memory.limit", "9223372036854775807");
	REFUSED("linux.resources.memory.swappiness", "101",
		"config.json: linux.resources.memory.swappiness: 101 is out of range (0..100)");
	REFUSED("linux.resources.cpu.shares", "1", "config.json: linux.resources.cpu.shares: 1 is out of range (2..262144)");
	REFUSED("linux.resources.cpu.shares", "262145",
		"config.json: linux.resources.cpu.shares: 262145 is out of range (0..262144)");
	REFUSED("linux.resources.cpu.quota", "0", "config.json: linux.resources.cpu.quota: 0: -1 (unlimited) or microseconds above 0");
	REFUSED("linux.resources.cpu.quota", "-2",
		"config.json: linux.resources.cpu.quota: -2 is out of range (-1..9223372036854775807)");
	REFUSED("linux.resources.cpu.period", "999", "config.json: linux.resources.cpu.period: 999 is out of range (1000..1000000)");
	REFUSED("linux.resources.cpu.period", "1000001",
		"config.json: linux.resources.cpu.period: 1000001 is out of range (0..1000000)");
	REFUSED("linux.resources.cpu.cpus", "\"0-\"",
		"config.json: linux.resources.cpu.cpus: '0-' is not a list like 0-1,3 (numbers up to 4095)");
	REFUSED("linux.resources.cpu.mems", "\"3-1\"",
		"config.json: linux.resources.cpu.mems: '3-1' is not a list like 0-1,3 (numbers up to 4095)");
	REFUSED("linux.resources.cpu.cpus", "\"4096\"",
		"config.json: linux.resources.cpu.cpus: '4096' is not a list like 0-1,3 (numbers up to 4095)");
	REFUSED("linux.resources.cpu.realtimeRuntime", "1",
		"config.json: linux.resources.cpu.realtimeRuntime: kbox gives no real-time CPU time");
	REFUSED("linux.resources.cpu.realtimePeriod", "1",
		"config.json: linux.resources.cpu.realtimePeriod: kbox gives no real-time CPU time");
	REFUSED("linux.resources.cpu.idle", "1", "config.json: linux.resources.cpu.idle: kbox does not set this");
	REFUSED("linux.resources.cpu.burst", "1000", "config.json: linux.resources.cpu.burst: kbox does not set this");
	ACCEPTED("linux.resources.cpu.idle", "0");
	REFUSED("linux.resources.pids", "{}", "config.json: linux.resources.pids.limit: missing");
	REFUSED("linux.resources.pids.limit", "-2",
		"config.json: linux.resources.pids.limit: -2 is out of range (-1..9223372036854775807)");
	REFUSED("linux.resources.blockIO.weight", "9", "config.json: linux.resources.blockIO.weight: 9 is out of range (10..1000)");
	REFUSED("linux.resources.blockIO.weight", "1001",
		"config.json: linux.resources.blockIO.weight: 1001 is out of range (0..1000)");
	REFUSED("linux.resources.blockIO.weightDevice", "[{\"major\": 8, \"minor\": 0, \"weight\": 10}]",
		"config.json: linux.resources.blockIO.weightDevice: per-device I/O limits are not supported");
	REFUSED("linux.resources.blockIO.throttleReadBpsDevice", "[{\"major\": 8, \"minor\": 0, \"rate\": 1}]",
		"config.json: linux.resources.blockIO.throttleReadBpsDevice: per-device I/O limits are not supported");
	REFUSED("linux.resources.unified", "{\"../cgroup.procs\": \"1\"}",
		"config.json: linux.resources.unified.../cgroup.procs: not a file of the cgroup");
	REFUSED("linux.resources.unified", "{\"..\": \"1\"}", "config.json: linux.resources.unified...: not a file of the cgroup");
	REFUSED("linux.resources.unified", "{\"memory.max\": \"1\\nmax\"}",
		"config.json: linux.resources.unified.memory.max: a value with a newline");
	REFUSED("linux.resources.devices", "[{\"type\": \"c\"}]", "config.json: linux.resources.devices[0].allow: missing");
	REFUSED("linux.resources.devices", "[{\"allow\": true, \"type\": \"p\"}]",
		"config.json: linux.resources.devices[0].type: 'p' is not a, c or b");
	REFUSED("linux.resources.devices", "[{\"allow\": true, \"access\": \"rwx\"}]",
		"config.json: linux.resources.devices[0].access: 'rwx' is not of r, w and m");
	REFUSED("linux.resources.devices", "[{\"allow\": true, \"major\": -2}]",
		"config.json: linux.resources.devices[0].major: -2 is out of range (-1..4294967295)");
	REFUSED("linux.resources.network", "{\"classID\": 1}", "config.json: linux.resources.network: kbox does not set this controller");
	REFUSED("linux.resources.rdma", "{\"mlx5_1\": {\"hcaHandles\": 3}}",
		"config.json: linux.resources.rdma: kbox does not set this controller");
	char *list = malloc(OCI_LIST_MAX * 16 + 32), *p = list;
	p += sprintf(p, "[");
	for (int i = 0; i <= OCI_LIST_MAX; i++)
		p += sprintf(p, "%s{\"allow\": true}", i ? "," : "");
	sprintf(p, "]");
	REFUSED("linux.resources.devices", list, "config.json: linux.resources.devices: 4097 entries, more than 4096");
	free(list);
}

/* What the kubelet sends in every pod (0 for each size the node has), and the hostile rest. */
static void test_hugepages(void)
{
	const char *k = "linux.resources.hugepageLimits";
	const struct oci_resources *r;

	ACCEPTED(k, "[{\"pageSize\": \"2MB\", \"limit\": 0}, {\"pageSize\": \"1GB\", \"limit\": 0},"
		    " {\"pageSize\": \"64KB\", \"limit\": 18446744073709551615}]");
	r = sp ? &sp->oci->res : NULL;
	ok(r && r->nhugepages == 3 && !strcmp(r->hugepages[0].page, "2MB") &&
		   r->hugepages[0].limit == 0 && !strcmp(r->hugepages[1].page, "1GB") &&
		   !strcmp(r->hugepages[2].page, "64KB") && r->hugepages[2].limit == UINT64_MAX,
	   "hugepageLimits: each size and limit, 2^64-1 too");
	ACCEPTED(k, "[]");
	ok(sp && sp->oci->res.nhugepages == 0, "hugepageLimits []: none");
	ACCEPTED(k, "[{\"pageSize\": \"9999GB\", \"limit\": 1}]");
	REFUSED(k, "[{\"pageSize\": \"2MB\", \"limit\": 18446744073709551616}]",
		"config.json: linux.resources.hugepageLimits[0].limit: 18446744073709551616 is out of range (0..18446744073709551615)");
	REFUSED(k, "[{\"pageSize\": \"2MB\", \"limit\": -1}]",
		"config.json: linux.resources.hugepageLimits[0].limit: -1 is out of range (0..18446744073709551615)");
	REFUSED(k, "[{\"pageSize\": \"2MB\", \"limit\": \"1\"}]",
		"config.json: linux.resources.hugepageLimits[0].limit: expected an integer, got \"1\"");
	REFUSED(k, "[{\"pageSize\": \"2MB\"}]", "config.json: linux.resources.hugepageLimits[0].limit: missing");
	REFUSED(k, "[{\"limit\": 1}]", "config.json: linux.resources.hugepageLimits[0].pageSize: missing");
	REFUSED(k, "[7]", "config.json: linux.resources.hugepageLimits[0]: expected an object, got 7");
	REFUSED(k, "{\"2MB\": 0}", "config.json: linux.resources.hugepageLimits: expected an array, got an object");
	static const char *const bad[] = {"2MiB", "", "2M", "2mb", "02MB", "0MB", "10000MB", "2TB",
					  "MB", "2MB ", "../2MB", "2MBB", "-2MB"};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char v[128], m[256];

		snprintf(v, sizeof(v), "[{\"pageSize\": \"%s\", \"limit\": 0}]", bad[i]);
		snprintf(m, sizeof(m),
			 "config.json: linux.resources.hugepageLimits[0].pageSize: '%s' is not a page "
			 "size as the kernel names it (2MB, 1GB, 64KB)",
			 bad[i]);
		REFUSED(k, v, m);
	}
	REFUSED(k, "[{\"pageSize\": \"2MB\", \"limit\": 0}, {\"pageSize\": \"1GB\", \"limit\": 0},"
		   " {\"pageSize\": \"2MB\", \"limit\": 1}]",
		"config.json: linux.resources.hugepageLimits[2].pageSize: '2MB' is given twice");
	char *list = malloc(OCI_LIST_MAX * 40 + 32), *p = list;
	p += sprintf(p, "[");
	for (int i = 0; i <= OCI_LIST_MAX; i++)
		p += sprintf(p, "%s{\"pageSize\": \"%dKB\", \"limit\": 0}", i ? "," : "", i % 9000 + 1);
	sprintf(p, "]");
	REFUSED(k, list, "config.json: linux.resources.hugepageLimits: 4097 entries, more than 4096");
	free(list);
}

static void test_seccomp(void)
{
	REFUSED("linux.seccomp", "{}", "config.json: linux.seccomp.defaultAction: missing");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_NOPE\"}",
		"config.json: linux.seccomp.defaultAction: 'SCMP_ACT_NOPE' is not an action like SCMP_ACT_ERRNO");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 1}",
		"config.json: linux.seccomp.defaultErrnoRet: only for SCMP_ACT_ERRNO and SCMP_ACT_TRACE");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 65536}",
		"config.json: linux.seccomp.defaultErrnoRet: 65536 is out of range (0..65535)");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_VAX\"]}",
		"config.json: linux.seccomp.architectures[1]: 'SCMP_ARCH_VAX' is not an architecture like SCMP_ARCH_X86_64");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_NEW_LISTENER\"]}",
		"config.json: linux.seccomp.flags[0]: 'SECCOMP_FILTER_FLAG_NEW_LISTENER' is not a flag kbox knows");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/run/l.sock\"}",
		"config.json: linux.seccomp.listenerPath: seccomp notification listeners are not supported");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": \"SCMP_ACT_ERRNO\"}]}",
		"config.json: linux.seccomp.syscalls[0].names: missing");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [], \"action\": \"SCMP_ACT_ERRNO\"}]}",
		"config.json: linux.seccomp.syscalls[0].names: empty: a rule names one system call at least");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
		"config.json: linux.seccomp.syscalls[0].names[0]: empty");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"x\"]}]}",
		"config.json: linux.seccomp.syscalls[0].action: missing");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"x\"], \"action\": \"SCMP_ACT_ALLOW\", \"errnoRet\": 1}]}",
		"config.json: linux.seccomp.syscalls[0].errnoRet: only for SCMP_ACT_ERRNO and SCMP_ACT_TRACE");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"x\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		"config.json: linux.seccomp.syscalls[0].args[0].index: 6 is out of range (0..5)");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"x\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 18446744073709551616, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		"config.json: linux.seccomp.syscalls[0].args[0].value: 18446744073709551616 is out of range (0..18446744073709551615)");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"x\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		"config.json: linux.seccomp.syscalls[0].args[0].value: -1 is out of range (0..18446744073709551615)");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"x\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_XX\"}]}]}",
		"config.json: linux.seccomp.syscalls[0].args[0].op: 'SCMP_CMP_XX' is not a comparison like SCMP_CMP_EQ");
	REFUSED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"x\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		"config.json: linux.seccomp.syscalls[0].args[0].value: missing");
	REFUSED("linux.seccomp", "[]", "config.json: linux.seccomp: expected an object, got an array");
	ACCEPTED("linux.seccomp", "null");
	is_str(sp ? sp->seccomp : err, "unconfined", "seccomp null: unconfined");
	ACCEPTED("linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}");
}

static void test_hooks(void)
{
	REFUSED("hooks.prestart", "[{\"args\": [\"x\"]}]", "config.json: hooks.prestart[0].path: missing");
	REFUSED("hooks.poststop", "[{\"path\": \"bin/x\"}]", "config.json: hooks.poststop[0].path: 'bin/x' is not an absolute path");
	REFUSED("hooks.createRuntime", "[{\"path\": \"/x\", \"timeout\": 0}]",
		"config.json: hooks.createRuntime[0].timeout: 0 is out of range (1..4294967295)");
	REFUSED("hooks.startContainer", "[{\"path\": \"/x\", \"timeout\": 4294967296}]",
		"config.json: hooks.startContainer[0].timeout: 4294967296 is out of range (1..4294967295)");
	REFUSED("hooks.poststart", "[{\"path\": \"/x\", \"env\": [\"X\"]}]",
		"config.json: hooks.poststart[0].env[0]: 'X' is not NAME=value");
	REFUSED("hooks.createContainer", "{}", "config.json: hooks.createContainer: expected an array, got an object");
	REFUSED("hooks", "[]", "config.json: hooks: expected an object, got an array");
	ACCEPTED("hooks.unknownKind", "[1]");
}
