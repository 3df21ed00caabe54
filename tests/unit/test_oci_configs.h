/* test_oci.c's whole configs: what each real one becomes. Included by test_oci.c only. */

static void test_minimal(void)
{
	is_int(parse(MIN), 0, "the least config parses");
	printf("# %s\n", err);
	if (!sp)
		return;
	is_str(sp->name, "c1", "name is the id");
	is_str(sp->image, "/run/b/rootfs", "image is the root, made absolute against the bundle");
	is_str(sp->oci->root, "/run/b/rootfs", "oci->root too");
	is_str(sp->oci->bundle, "/run/b", "bundle kept");
	is_str(words(sp->argv), "sh", "argv is process.args");
	ok(sp->run_env && !sp->run_env[0], "no env: an empty run_env");
	is_str(sp->workdir, "/", "workdir is process.cwd");
	ok(!sp->hostname, "no hostname: NULL");
	is_str(sp->seccomp, "unconfined", "no linux.seccomp: unconfined");
	is_int(sp->net, SPEC_NET_HOST, "no network namespace: the host's");
	ok(sp->pid_host, "no pid namespace: the host's");
	ok(!sp->timens, "no time namespace");
	is_int(sp->userns.count, 0, "userns.count stays 0");
	is_int(sp->stop_signal, SIGTERM, "stop_signal SIGTERM");
	ok(!sp->readonly, "not read-only");
	ok(sp->oci->ns[OCI_NS_MNT].set && !sp->oci->ns[OCI_NS_MNT].path, "a new mount namespace");
	ok(!sp->oci->seccomp, "no filter");
	is_int(sp->oci->nmounts, 0, "no mounts");
	is_int(sp->oci->rootfs_propagation, 0, "rootfsPropagation unset");
	ok(!sp->oci->res.has_memory_limit && !sp->oci->res.has_pids, "no resources");

	/* A spec of the other front ends' shape: applying no image record gives the same. */
	char e2[256];
	is_int(spec_apply_image(sp, NULL, e2, sizeof(e2)), 0, "spec_apply_image takes it");
	is_str(words(sp->argv), "sh", "and keeps argv");
	is_str(sp->workdir, "/", "and workdir");
	is_int(sp->stop_signal, SIGTERM, "and the stop signal");

	with("root.path", "\"/abs/root/\"");
	is_str(sp ? sp->image : err, "/abs/root", "an absolute root as given, less its final /");
	with("root.path", "\"./rootfs\"");
	is_str(sp ? sp->image : err, "/run/b/rootfs", "./rootfs is against the bundle");
	with("root.readonly", "true");
	ok(sp && sp->readonly && sp->oci->root_readonly, "root.readonly: readonly");
	spec_oci_free(sp);
	is_int(spec_oci_parse(MIN, strlen(MIN), "run/b", "c1", &sp, err, sizeof(err)), -EINVAL,
	       "a relative bundle is refused");
	is_str(err, "config.json: the bundle's path 'run/b' is not absolute", "with its reason");
}

static void test_podman(void)
{
	char *text = slurp("podman43.json");
	const struct oci_mount *m;

	ok(text != NULL, "podman 4.3's config.json fixture is there");
	if (!text)
		return;
	is_int(parse(text), 0, "podman 4.3's config (podman create, rootful, cgroupfs) parses");
	printf("# %s\n", err);
	free(text);
	if (!sp)
		return;
	is_str(words(sp->argv), "/bin/sh -c true", "its args");
	is_int(strv_len(sp->run_env), 4, "its four env entries");
	is_str(sp->run_env[3], "HOSTNAME=a6cfefe85880", "in order");
	is_str(sp->hostname, "a6cfefe85880", "its hostname");
	ok(sp->oci->has_umask && sp->oci->umask == 022, "umask 18 is 022");
	is_int(sp->oci->caps.bounding, sp->oci->caps.effective, "bounding = effective");
	is_int(__builtin_popcountll(sp->oci->caps.bounding), 11, "eleven capabilities");
	ok(sp->oci->caps.bounding & (1ULL << 21) ? 0 : 1, "no CAP_SYS_ADMIN");
	ok(sp->oci->caps.bounding & (1ULL << 18), "CAP_SYS_CHROOT");
	is_int(sp->oci->caps.ambient, 0, "no ambient");
	is_int(sp->nrlimits, 2, "two rlimits");
	is_int(sp->rlimits[0].resource, RLIMIT_NOFILE, "nofile first");
	is_int(sp->rlimits[0].soft, 20000, "soft 20000");
	is_int(sp->rlimits[1].resource, RLIMIT_NPROC, "then nproc");
	is_int(sp->oci->nmounts, 12, "twelve mounts");
	m = mount_at("/sys");
	ok(m && !m->bind && !strcmp(m->type, "sysfs") &&
		   m->flags == (MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY) && !m->data,
	   "/sys: sysfs nosuid,noexec,nodev,ro");
	m = mount_at("/data");
	ok(m && m->bind && m->rec && !strcmp(m->type, "bind") && m->flags == MS_RDONLY &&
		   m->propagation == (MS_PRIVATE | MS_REC) && !strcmp(m->src, "/tmp/ociparse"),
	   "/data: an rbind, ro, rprivate");
	m = mount_at("/dev");
	is_str(m ? m->data : NULL, "mode=755,size=65536k", "/dev's tmpfs data");
	ok(m && (m->flags & MS_STRICTATIME), "/dev strictatime");
	m = mount_at("/dev/pts");
	is_str(m ? m->data : NULL, "newinstance,ptmxmode=0666,mode=0620,gid=5", "devpts' data");
	m = mount_at("/etc/hosts");
	ok(m && m->bind && !m->rec && m->flags == 0, "/etc/hosts: a bind, not recursive");
	m = mount_at("/dev/shm");
	ok(m && m->bind && m->flags == (MS_NOSUID | MS_NOEXEC | MS_NODEV), "/dev/shm's flags");
	m = mount_at("/sys/fs/cgroup");
	ok(m && !strcmp(m->type, "cgroup") && (m->flags & MS_RELATIME) && (m->flags & MS_RDONLY),
	   "/sys/fs/cgroup: cgroup relatime ro");
	is_int(strv_len(sp->oci->annotations), 8, "eight annotations");
	is_str(sp->oci->annotations[0], "io.container.manager=libpod", "as key=value");
	is_str(words(sp->sysctls), "net.ipv4.ping_group_range=0 0", "its sysctl");
	ok(sp->oci->res.has_pids && sp->oci->res.pids_limit == 2048, "pids.limit 2048");
	is_int(sp->oci->ndev_rules, 1, "one device rule");
	ok(!sp->oci->dev_rules[0].allow && sp->oci->dev_rules[0].type == 'a' &&
		   sp->oci->dev_rules[0].major == -1 && sp->oci->dev_rules[0].access == 7,
	   "deny a *:* rwm");
	is_str(sp->oci->cgroups_path,
	       "/libpod_parent/libpod-a6cfefe85880963c6d5b61ec939828ab3299af901573bf935ff5706327b90add",
	       "cgroupsPath");
	is_str(sp->oci->ns[OCI_NS_NET].path, "/run/netns/netns-e592d790-4223-771d-ff43-55a0bdc38ebc",
	       "the network namespace joined by path");
	is_int(sp->net, SPEC_NET_NONE, "so net is none: kbox sets up no network of its own");
	ok(!sp->pid_host && sp->oci->ns[OCI_NS_IPC].set && sp->oci->ns[OCI_NS_UTS].set,
	   "pid, ipc, uts of its own");
	ok(!sp->oci->ns[OCI_NS_CGROUP].set && !sp->oci->ns[OCI_NS_USER].set, "no cgroup, user ns");
	is_str(sp->seccomp, "oci", "seccomp: the config's filter");
	ok(sp->oci->seccomp && sp->oci->seccomp->default_action == OCI_SC_ERRNO &&
		   sp->oci->seccomp->default_errno == 38,
	   "default SCMP_ACT_ERRNO with ENOSYS");
	is_str(words(sp->oci->seccomp->archs), "SCMP_ARCH_X86_64 SCMP_ARCH_X86 SCMP_ARCH_X32",
	       "three architectures");
	/* The personality rule with 4294967295, and socket's two conditions. */
	size_t found = 0;
	for (size_t i = 0; i < sp->oci->seccomp->nrules; i++) {
		const struct oci_sc_rule *r = &sp->oci->seccomp->rules[i];

		if (r->nargs == 1 && r->args[0].value == 4294967295ULL && !strcmp(r->names[0], "personality"))
			found |= 1;
		if (r->nargs == 2 && r->action == OCI_SC_ERRNO && r->errno_ret == 22 &&
		    r->args[1].index == 2 && r->args[1].value == 9 && r->args[1].op == OCI_SC_EQ)
			found |= 2;
	}
	is_int(found, 3, "the argument conditions, values and ops");
	is_int(strv_len(sp->oci->masked_paths), 11, "masked paths");
	is_int(strv_len(sp->oci->readonly_paths), 6, "read-only paths");
}

/* Everything at once, as podman writes it with --memory, --cpus, --device, a user namespace
 * and hooks (its shape from podman 4.3's runs with those flags). */
static const char full[] =
	"{\"ociVersion\": \"1.1.0\","
	" \"process\": {\"terminal\": true, \"consoleSize\": {\"height\": 24, \"width\": 80},"
	"  \"user\": {\"uid\": 1000, \"gid\": 1000, \"umask\": 63, \"additionalGids\": [10, 4294967294]},"
	"  \"args\": [\"/bin/app\", \"--x\"], \"env\": [\"A=1\", \"B=\", \"A=2\"], \"cwd\": \"/srv\","
	"  \"capabilities\": {\"bounding\": [\"CAP_NET_ADMIN\", \"CAP_CHECKPOINT_RESTORE\"],"
	"   \"effective\": [\"CAP_NET_ADMIN\"], \"inheritable\": [], \"permitted\": [\"CAP_NET_ADMIN\"],"
	"   \"ambient\": [\"CAP_NET_ADMIN\"]},"
	"  \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1024, \"hard\": 18446744073709551615},"
	"   {\"type\": \"RLIMIT_CORE\", \"soft\": 9223372036854775808, \"hard\": 18446744073709551615}],"
	"  \"noNewPrivileges\": true, \"oomScoreAdj\": -999,"
	"  \"apparmorProfile\": \"containers-default-0.50.1\", \"selinuxLabel\": \"system_u:r:c\"},"
	" \"root\": {\"path\": \"/var/lib/r\", \"readonly\": true},"
	" \"hostname\": \"web\", \"domainname\": \"example.org\","
	" \"mounts\": [{\"destination\": \"/tmp\", \"type\": \"tmpfs\", \"source\": \"tmpfs\","
	"   \"options\": [\"nosuid\", \"nodev\", \"noexec\", \"rw\", \"ro\", \"rw\", \"size=1m\","
	"   \"noatime\", \"atime\", \"slave\", \"rshared\", \"nosymfollow\"]},"
	"  {\"destination\": \"/opt\", \"source\": \"data\", \"options\": [\"bind\", \"suid\","
	"   \"dev\", \"exec\", \"sync\", \"dirsync\", \"mand\", \"nomand\", \"async\", \"remount\"]},"
	"  {\"destination\": \"/etc/x\", \"type\": \"bind\", \"source\": \"/x\"}],"
	" \"hooks\": {\"prestart\": [{\"path\": \"/usr/bin/h\", \"args\": [\"h\", \"pre\"],"
	"   \"env\": [\"X=1\"], \"timeout\": 5}],"
	"  \"createRuntime\": [{\"path\": \"/a\"}, {\"path\": \"/b\"}], \"createContainer\": [],"
	"  \"startContainer\": [{\"path\": \"/s\"}], \"poststart\": [{\"path\": \"/p\"}],"
	"  \"poststop\": [{\"path\": \"/q\", \"timeout\": 4294967295}]},"
	" \"annotations\": {\"k\": \"v=w\"},"
	" \"linux\": {"
	"  \"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\", \"path\": \"/proc/7/ns/net\"},"
	"   {\"type\": \"mount\"}, {\"type\": \"ipc\", \"path\": \"/proc/7/ns/ipc\"}, {\"type\": \"uts\"},"
	"   {\"type\": \"user\"}, {\"type\": \"cgroup\"}, {\"type\": \"time\"}],"
	"  \"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],"
	"  \"gidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536},"
	"   {\"containerID\": 4294967295, \"hostID\": 0, \"size\": 1}],"
	"  \"devices\": [{\"path\": \"/dev/fuse\", \"type\": \"c\", \"major\": 10, \"minor\": 229,"
	"   \"fileMode\": 438, \"uid\": 0, \"gid\": 0}, {\"path\": \"/dev/sda\", \"type\": \"b\","
	"   \"major\": 8, \"minor\": 4294967295}, {\"path\": \"/dev/u\", \"type\": \"u\", \"major\": 1,"
	"   \"minor\": 3}, {\"path\": \"/dev/f\", \"type\": \"p\"}],"
	"  \"resources\": {\"devices\": [{\"allow\": false, \"access\": \"rwm\"},"
	"   {\"allow\": true, \"type\": \"c\", \"major\": 10, \"minor\": 229, \"access\": \"rw\"},"
	"   {\"allow\": true, \"type\": \"b\", \"major\": -1, \"access\": \"m\"}],"
	"   \"memory\": {\"limit\": 67108864, \"reservation\": -1, \"swap\": 134217728,"
	"    \"kernel\": 1, \"kernelTCP\": 2, \"swappiness\": 60, \"disableOOMKiller\": true},"
	"   \"cpu\": {\"shares\": 1024, \"quota\": 50000, \"period\": 100000, \"cpus\": \"0-1,3\","
	"    \"mems\": \"0\", \"realtimeRuntime\": 0, \"realtimePeriod\": 0},"
	"   \"pids\": {\"limit\": -1}, \"blockIO\": {\"weight\": 500, \"leafWeight\": 10,"
	"    \"weightDevice\": []}, \"hugepageLimits\": [], \"network\": {}, \"rdma\": {},"
	"   \"unified\": {\"memory.high\": \"1000000\", \"io.weight\": \"default 100\"}},"
	"  \"cgroupsPath\": \"machine.slice:libpod:abc\","
	"  \"sysctl\": {\"net.core.somaxconn\": \"1024\", \"kernel.shm_rmid_forced\": \"1\"},"
	"  \"seccomp\": {\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\","
	"   \"architectures\": [], \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\","
	"    \"SECCOMP_FILTER_FLAG_SPEC_ALLOW\", \"SECCOMP_FILTER_FLAG_TSYNC\"],"
	"   \"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
	"    {\"names\": [\"clone\"], \"action\": \"SCMP_ACT_TRACE\"},"
	"    {\"names\": [\"mmap\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 5,"
	"     \"value\": 18446744073709551615, \"valueTwo\": 18446744073709551614,"
	"     \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
	"    {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 0}]},"
	"  \"rootfsPropagation\": \"rslave\","
	"  \"maskedPaths\": [\"/proc/kcore\"], \"readonlyPaths\": [\"/proc/sys\"],"
	"  \"timeOffsets\": {\"boottime\": {\"secs\": -9223372036854775808, \"nanosecs\": 999999999},"
	"   \"monotonic\": {\"secs\": 9223372036854775807}},"
	"  \"mountLabel\": \"system_u:object_r:container_file_t:s0\","
	"  \"personality\": {\"domain\": \"LINUX\"}, \"intelRdt\": null}}";

static void test_full(void)
{
	const struct spec_oci *o;
	const struct oci_mount *m;

	is_int(parse(full), 0, "a config of every key parses");
	printf("# %s\n", err);
	if (!sp)
		return;
	o = sp->oci;
	ok(o->terminal && o->console_height == 24 && o->console_width == 80, "terminal 24x80");
	ok(o->uid == 1000 && o->gid == 1000 && o->umask == 077, "user 1000:1000, umask 077");
	ok(o->nadditional_gids == 2 && o->additional_gids[1] == 4294967294U, "additionalGids");
	is_str(words(sp->run_env), "A=1 B= A=2", "env as given, duplicates kept");
	is_str(sp->workdir, "/srv", "cwd");
	is_int(o->caps.bounding, (1ULL << 12) | (1ULL << 40), "bounding: NET_ADMIN, CHECKPOINT_RESTORE");
	ok(o->caps.ambient == 1ULL << 12 && o->caps.inheritable == 0, "ambient, inheritable");
	ok(sp->rlimits[0].hard == UINT64_MAX && sp->rlimits[0].soft == 1024, "2^64-1 read exactly");
	ok(sp->rlimits[1].soft == 1ULL << 63, "2^63 read exactly");
	ok(o->no_new_privileges && o->has_oom_score_adj && o->oom_score_adj == -999, "nnp, oom");
	ok(sp->readonly && !strcmp(sp->image, "/var/lib/r"), "read-only root");
	ok(!strcmp(sp->hostname, "web") && !strcmp(o->domainname, "example.org"), "names");
	m = &o->mounts[0];
	is_int(m->flags, MS_NOSUID | MS_NODEV | MS_NOEXEC | 256, "later options win: rw, atime");
	is_int(m->clear, MS_RDONLY | MS_NOATIME, "clear: what rw and atime cleared");
	is_int(m->propagation, MS_SHARED | MS_REC, "the last propagation wins");
	is_str(m->data, "size=1m", "data");
	m = &o->mounts[1];
	ok(m->bind && !m->rec && !strcmp(m->type, "bind") && !strcmp(m->src, "data"),
	   "a bind without a type, relative source as given");
	is_int(m->flags, MS_DIRSYNC | MS_REMOUNT, "sync then async, mand then nomand");
	is_int(m->clear, MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_MANDLOCK, "clear");
	ok(o->mounts[2].bind && !o->mounts[2].rec, "type bind alone is a bind");
	is_int(o->hooks[OCI_HOOK_PRESTART].n, 1, "one prestart hook");
	is_str(words(o->hooks[OCI_HOOK_PRESTART].list[0].args), "h pre", "its args");
	is_int(o->hooks[OCI_HOOK_PRESTART].list[0].timeout, 5, "its timeout");
	is_int(o->hooks[OCI_HOOK_CREATE_RUNTIME].n, 2, "two createRuntime");
	is_int(o->hooks[OCI_HOOK_CREATE_CONTAINER].n, 0, "none createContainer");
	ok(o->hooks[OCI_HOOK_POSTSTOP].list[0].timeout == 4294967295U &&
		   !o->hooks[OCI_HOOK_POSTSTOP].list[0].args,
	   "poststop: the longest timeout, no args");
	is_str(words(o->annotations), "k=v=w", "annotations");
	ok(o->ns[OCI_NS_TIME].set && sp->timens && !sp->pid_host && sp->net == SPEC_NET_NONE,
	   "time, pid and network namespaces");
	is_str(o->ns[OCI_NS_IPC].path, "/proc/7/ns/ipc", "ipc joined");
	ok(o->nuid_maps == 1 && o->uid_maps[0].outside == 100000 && o->uid_maps[0].count == 65536,
	   "uid map");
	ok(o->ngid_maps == 2 && o->gid_maps[1].inside == 4294967295U, "gid maps to the top");
	is_int(sp->userns.count, 0, "userns.count stays 0");
	is_int(o->ndevices, 4, "four devices");
	ok(o->devices[0].type == 'c' && o->devices[0].major == 10 && o->devices[0].minor == 229 &&
		   o->devices[0].mode == 0666,
	   "/dev/fuse");
	ok(o->devices[1].minor == 4294967295LL && o->devices[1].mode == 0666, "minor 2^32-1, 0666");
	is_int(o->devices[2].type, 'c', "u is c");
	is_int(o->devices[3].type, 'p', "a fifo without numbers");
	ok(o->ndev_rules == 3 && o->dev_rules[1].allow && o->dev_rules[1].access == 3 &&
		   o->dev_rules[2].type == 'b' && o->dev_rules[2].major == -1 &&
		   o->dev_rules[2].minor == -1 && o->dev_rules[2].access == OCI_DEV_M,
	   "device rules");
	ok(o->res.has_memory_limit && o->res.memory_limit == 64 << 20 &&
		   o->res.memory_reservation == -1 && o->res.memory_swap == 128 << 20 &&
		   o->res.swappiness == 60 && o->res.disable_oom_killer,
	   "memory");
	ok(o->res.cpu_shares == 1024 && o->res.cpu_quota == 50000 && o->res.cpu_period == 100000 &&
		   !strcmp(o->res.cpus, "0-1,3") && !strcmp(o->res.mems, "0"),
	   "cpu");
	ok(o->res.has_pids && o->res.pids_limit == -1, "pids -1");
	is_int(o->res.blkio_weight, 500, "blockIO weight");
	is_str(words(o->res.unified), "memory.high=1000000 io.weight=default 100", "unified");
	is_str(o->cgroups_path, "machine.slice:libpod:abc", "cgroupsPath as given");
	is_int(strv_len(sp->sysctls), 2, "sysctls");
	ok(o->seccomp->default_action == OCI_SC_KILL_PROCESS && !o->seccomp->archs[0] &&
		   o->seccomp->flags == (OCI_SC_FLAG_LOG | OCI_SC_FLAG_SPEC_ALLOW),
	   "seccomp: default, no archs, flags");
	is_int(o->seccomp->nrules, 4, "four rules");
	ok(o->seccomp->rules[1].action == OCI_SC_TRACE && o->seccomp->rules[1].errno_ret == 1,
	   "TRACE's errnoRet is EPERM unless given");
	ok(o->seccomp->rules[2].args[0].index == 5 && o->seccomp->rules[2].args[0].value == UINT64_MAX &&
		   o->seccomp->rules[2].args[0].value_two == UINT64_MAX - 1 &&
		   o->seccomp->rules[2].args[0].op == OCI_SC_MASKED_EQ,
	   "a 64-bit masked argument condition");
	is_int(o->seccomp->rules[3].errno_ret, 0, "errnoRet 0");
	is_int(o->rootfs_propagation, MS_SLAVE | MS_REC, "rslave");
	ok(o->has_time_offsets && o->boottime_secs == INT64_MIN && o->boottime_nsecs == 999999999 &&
		   o->monotonic_secs == INT64_MAX,
	   "time offsets to int64's ends");
}

static void test_containerd(void)
{
	char *text = slurp("containerd16.json");

	ok(text != NULL, "containerd 1.6's default spec (ctr oci spec) fixture is there");
	if (!text)
		return;
	is_int(parse(text), -EINVAL, "as ctr prints it, it has no args: create cannot run it");
	is_str(err, "config.json: process.args: missing: create needs at least one argument",
	       "and says so");
	json_t *root = json_loads(text, 0, NULL);
	json_object_set_new(json_object_get(root, "process"), "args", json_pack("[s]", "/pause"));
	char *t2 = json_dumps(root, 0);
	json_decref(root);
	is_int(parse(t2), 0, "with the args ctr run adds, it parses");
	printf("# %s\n", err);
	free(t2);
	free(text);
	if (!sp)
		return;
	ok(sp->oci->no_new_privileges, "noNewPrivileges");
	is_str(sp->oci->cgroups_path, "/default", "cgroupsPath /default");
	is_int(sp->net, SPEC_NET_NONE, "its own network namespace");
	is_int(__builtin_popcountll(sp->oci->caps.bounding), 14, "Docker's fourteen capabilities");
	is_int(sp->nrlimits, 1, "one rlimit");
	ok(mount_at("/run") && mount_at("/dev/shm"), "its mounts");
}

static void check_runc_default(const char *what)
{
	const struct oci_mount *m;

	if (!sp)
		return;
	is_str(words(sp->argv), "sh", "%s: sh", what);
	ok(sp->oci->terminal, "%s: on a terminal", what);
	is_str(sp->image, "/run/b/rootfs", "%s: rootfs in the bundle", what);
	ok(sp->readonly, "%s: read-only", what);
	is_int(sp->oci->caps.bounding, (1ULL << 29) | (1ULL << 5) | (1ULL << 10),
	       "%s: AUDIT_WRITE, KILL, NET_BIND_SERVICE", what);
	is_int(sp->oci->caps.ambient, sp->oci->caps.bounding, "%s: ambient the same", what);
	ok(sp->nrlimits == 1 && sp->rlimits[0].soft == 1024, "%s: nofile 1024", what);
	is_int(sp->oci->nmounts, 7, "%s: seven mounts", what);
	m = mount_at("/dev/shm");
	ok(m && !strcmp(m->src, "shm") && !strcmp(m->data, "mode=1777,size=65536k"),
	   "%s: /dev/shm", what);
	is_int(sp->oci->ndev_rules, 1, "%s: deny all devices", what);
	is_int(strv_len(sp->oci->masked_paths), 10, "%s: masked", what);
	is_int(strv_len(sp->oci->readonly_paths), 5, "%s: read-only paths", what);
	ok(!sp->oci->ns[OCI_NS_CGROUP].set && sp->net == SPEC_NET_NONE && !sp->pid_host &&
		   sp->oci->ns[OCI_NS_IPC].set && sp->oci->ns[OCI_NS_UTS].set,
	   "%s: pid, network, ipc, uts, mount namespaces", what);
}

static void test_runc_default(void)
{
	char *text = slurp("runc115-spec.json");

	ok(text != NULL, "runc 1.1.5's `runc spec` fixture is there");
	if (!text)
		return;
	is_int(parse(text), 0, "runc's default config parses");
	printf("# %s\n", err);
	free(text);
	check_runc_default("runc spec");
	is_str(sp ? sp->hostname : NULL, "runc", "runc spec: hostname runc");
}

static void test_kbox_default(void)
{
	const char *d = spec_oci_default(false, 0, 0);

	is_int(parse(d), 0, "spec_oci_default parses back");
	printf("# %s\n", err);
	check_runc_default("kbox spec");
	is_str(sp ? sp->hostname : NULL, "kbox", "kbox spec: hostname kbox");

	/* runc's own, key for key, but for the hostname. */
	char *text = slurp("runc115-spec.json");
	json_t *runc = text ? json_loads(text, 0, NULL) : NULL, *ours = json_loads(d, 0, NULL);
	json_object_del(runc, "hostname");
	json_object_del(ours, "hostname");
	ok(runc && ours && json_equal(runc, ours), "kbox spec is runc spec's config");
	json_decref(runc);
	json_decref(ours);
	free(text);
	d = spec_oci_default(true, 1000, 1001);
	is_int(parse(d), 0, "the rootless one too");
	printf("# %s\n", err);
	if (!sp)
		return;
	ok(sp->oci->ns[OCI_NS_USER].set && sp->oci->nuid_maps == 1 &&
		   sp->oci->uid_maps[0].inside == 0 && sp->oci->uid_maps[0].outside == 1000 &&
		   sp->oci->gid_maps[0].outside == 1001 && sp->oci->gid_maps[0].count == 1,
	   "rootless: 0 mapped to the caller");
	is_int(sp->net, SPEC_NET_HOST, "rootless: the host's network, as runc's");
	ok(mount_at("/sys") && mount_at("/sys")->bind && mount_at("/sys")->rec, "rootless: /sys rbind");
	is_str(mount_at("/dev/pts")->data, "newinstance,ptmxmode=0666,mode=0620", "no gid=5");
	is_int(sp->oci->ndev_rules, 0, "no device cgroup");
}

static void test_process_file(void)
{
	const char *p = "{\"args\": [\"ls\", \"-l\"], \"env\": [\"X=1\"], \"cwd\": \"/tmp\","
			"\"user\": {\"uid\": 5, \"gid\": 6, \"additionalGids\": [7]},"
			"\"terminal\": true, \"noNewPrivileges\": true,"
			"\"capabilities\": {\"bounding\": [\"CAP_KILL\"]},"
			"\"rlimits\": [{\"type\": \"RLIMIT_NPROC\", \"soft\": 1, \"hard\": 2}]}";

	is_int(parse(full), 0, "a config to exec in");
	if (!sp)
		return;
	is_int(spec_oci_parse_process(p, strlen(p), sp, err, sizeof(err)), 0,
	       "runc exec's --process file parses");
	printf("# %s\n", err);
	is_str(words(sp->argv), "ls -l", "its args replace");
	is_str(words(sp->run_env), "X=1", "its env");
	is_str(sp->workdir, "/tmp", "its cwd");
	ok(sp->oci->uid == 5 && sp->oci->gid == 6 && sp->oci->nadditional_gids == 1 &&
		   sp->oci->additional_gids[0] == 7,
	   "its user");
	ok(!sp->oci->has_umask && !sp->oci->has_oom_score_adj, "no umask, no oomScoreAdj");
	ok(sp->oci->caps.bounding == 1ULL << 5 && !sp->oci->caps.effective, "its caps");
	ok(sp->nrlimits == 1 && sp->rlimits[0].resource == RLIMIT_NPROC, "its rlimits");
	ok(sp->oci->nmounts == 3 && sp->readonly, "the config's other keys stay");

	const char *bad = "{\"args\": [], \"cwd\": \"/\"}";
	is_int(spec_oci_parse_process(bad, strlen(bad), sp, err, sizeof(err)), -EINVAL,
	       "a process without args is refused");
	is_str(err, "process.json: args: empty: create needs at least one argument", "so named");
	is_str(words(sp->argv), "ls -l", "and the spec is as it was");
	bad = "{\"args\": [\"x\"], \"cwd\": \"/\", \"user\": {\"uid\": 4294967295}}";
	is_int(spec_oci_parse_process(bad, strlen(bad), sp, err, sizeof(err)), -EINVAL,
	       "uid 4294967295 is refused");
	is_str(err, "process.json: user.uid: 4294967295 is out of range (0..4294967294)", "so");
	bad = "[1]";
	is_int(spec_oci_parse_process(bad, strlen(bad), sp, err, sizeof(err)), -EINVAL, "[1]");
	is_str(err, "process.json: expected an object", "is no process");
}
