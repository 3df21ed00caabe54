/* config.json's linux object: namespaces, id maps, devices, sysctl, masked and read-only
 * paths, rootfsPropagation, timeOffsets, cgroupsPath, and the keys kbox ignores or refuses
 * (resources are oci_resources.c's, seccomp oci_seccomp.c's). Pure code. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../lib/util.h"
#include "oci_parts.h"
#include "values.h"

/* The kernel's bound on the lines of uid_map and gid_map. */
#define IDMAP_MAX 340

static const char *const ns_names[OCI_NS_COUNT] = {
	[OCI_NS_PID] = "pid",	    [OCI_NS_NET] = "network", [OCI_NS_MNT] = "mount",
	[OCI_NS_IPC] = "ipc",	    [OCI_NS_UTS] = "uts",     [OCI_NS_USER] = "user",
	[OCI_NS_CGROUP] = "cgroup", [OCI_NS_TIME] = "time",
};

static int parse_namespace(struct oj *j, json_t *v, const char *path, struct spec_oci *o)
{
	char p[OJ_PATH], b[OJ_SHOW], *type = NULL, *nspath = NULL;
	int t = -1;
	int r = oj_object(j, v, path);

	if (r == 0)
		r = oj_need(j, v, path);
	if (r == 0)
		r = oj_need(j, json_object_get(v, "type"), oj_key(p, path, "type"));
	if (r == 0)
		r = oj_str(j, json_object_get(v, "type"), p, &type);
	for (int i = 0; r == 0 && i < OCI_NS_COUNT && t < 0; i++)
		if (strcmp(type, ns_names[i]) == 0)
			t = i;
	if (r == 0 && t < 0)
		r = oj_fail(j, p,
			    "'%s' is not a namespace (pid, network, mount, ipc, uts, user, cgroup, "
			    "time)",
			    oj_shows(type, b));
	if (r == 0 && o->ns[t].set)
		r = oj_fail(j, p, "'%s' again", type);
	if (r == 0)
		r = oj_abspath(j, json_object_get(v, "path"), oj_key(p, path, "path"), &nspath);
	if (r == 0 && nspath && t == OCI_NS_MNT)
		r = oj_fail(j, p, "kbox makes the container's mount namespace: it joins none");
	free(type);
	if (r < 0) {
		free(nspath);
		return r;
	}
	o->ns[t].set = true;
	o->ns[t].path = nspath;
	return 0;
}

static int parse_namespaces(struct oj *j, json_t *v, struct spec_oci *o)
{
	char p[OJ_PATH];
	json_t *e;
	size_t i;
	int r = oj_array(j, v, "linux.namespaces");

	if (r < 0)
		return r;
	json_array_foreach(v, i, e)
	{
		r = parse_namespace(j, e, oj_idx(p, "linux.namespaces", i), o);
		if (r < 0)
			return r;
	}
	if (!o->ns[OCI_NS_MNT].set)
		return oj_fail(j, "linux.namespaces", "kbox needs a mount namespace");
	return 0;
}

static int parse_idmap(struct oj *j, json_t *v, const char *path, struct oci_idmap *m)
{
	static const char *const keys[] = {"containerID", "hostID", "size"};
	uint32_t *vals[] = {&m->inside, &m->outside, &m->count};
	char p[OJ_PATH];
	int r = oj_object(j, v, path);

	if (r == 0)
		r = oj_need(j, v, path);
	for (size_t k = 0; r == 0 && k < ARRAY_SIZE(keys); k++) {
		json_t *e = json_object_get(v, keys[k]);

		r = oj_need(j, e, oj_key(p, path, keys[k]));
		if (r == 0)
			r = oj_u32(j, e, p, UINT32_MAX, vals[k]);
	}
	if (r == 0 && m->count == 0)
		r = oj_fail(j, p, "0: a map holds one id at least");
	/* Past 2^32 the kernel would wrap the range round to 0. */
	if (r == 0 && (uint64_t)m->inside + m->count > (1ULL << 32))
		r = oj_fail(j, path, "containerID %u and size %u pass 2^32", m->inside, m->count);
	if (r == 0 && (uint64_t)m->outside + m->count > (1ULL << 32))
		r = oj_fail(j, path, "hostID %u and size %u pass 2^32", m->outside, m->count);
	return r;
}

static int parse_idmaps(struct oj *j, json_t *v, const char *path, struct oci_idmap **ret,
			size_t *n)
{
	char p[OJ_PATH];
	json_t *e;
	size_t i;
	int r = oj_array(j, v, path);

	if (r < 0 || oj_absent(v))
		return r;
	if (json_array_size(v) > IDMAP_MAX)
		return oj_fail(j, path, "%zu entries, more than the kernel's %d",
			       json_array_size(v), IDMAP_MAX);
	*ret = calloc(json_array_size(v) + 1, sizeof(**ret));
	if (!*ret)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		r = parse_idmap(j, e, oj_idx(p, path, i), &(*ret)[i]);
		if (r < 0)
			return r;
		(*n)++;
	}
	return 0;
}

/* The maps go with a user namespace, and a user namespace with its maps: a new one is given
 * them, and a joined one is described by them (as runc 1.1 requires), since the runtime
 * needs to know which host ids the container's root and devices are. */
static int check_userns(struct oj *j, const struct spec_oci *o)
{
	const char *which = o->nuid_maps ? "linux.uidMappings" : "linux.gidMappings";
	const char *kind = o->ns[OCI_NS_USER].path ? "a joined" : "a new";

	if (!o->ns[OCI_NS_USER].set && (o->nuid_maps || o->ngid_maps))
		return oj_fail(j, which, "needs a user namespace in linux.namespaces");
	if (o->ns[OCI_NS_USER].set && !o->nuid_maps)
		return oj_fail(j, "linux.uidMappings", "missing: %s user namespace needs it", kind);
	if (o->ns[OCI_NS_USER].set && !o->ngid_maps)
		return oj_fail(j, "linux.gidMappings", "missing: %s user namespace needs it", kind);
	return 0;
}

static unsigned node_type(char type)
{
	return type == 'b' ? S_IFBLK : type == 'p' ? S_IFIFO : S_IFCHR;
}

static int parse_device(struct oj *j, json_t *v, const char *path, struct oci_device *d)
{
	char p[OJ_PATH], b[OJ_SHOW], *type = NULL;
	uint32_t mode = 0666;
	int64_t num;
	int r = oj_object(j, v, path);

	if (r == 0)
		r = oj_need(j, v, path);
	if (r == 0)
		r = oj_need(j, json_object_get(v, "path"), oj_key(p, path, "path"));
	if (r == 0)
		r = oj_abspath(j, json_object_get(v, "path"), p, &d->path);
	if (r == 0 && (strncmp(d->path, "/dev/", 5) != 0 || !d->path[5]))
		r = oj_fail(j, p, "'%s' is not under /dev", oj_shows(d->path, b));
	if (r == 0)
		r = oj_need(j, json_object_get(v, "type"), oj_key(p, path, "type"));
	if (r == 0)
		r = oj_str(j, json_object_get(v, "type"), p, &type);
	if (r == 0 && (strlen(type) != 1 || !strchr("cbup", type[0])))
		r = oj_fail(j, p, "'%s' is not c, b, u or p", oj_shows(type, b));
	if (r == 0)
		d->type = type[0] == 'u' ? 'c' : type[0];
	free(type);
	for (int k = 0; r == 0 && k < 2; k++) {
		json_t *e = json_object_get(v, k ? "minor" : "major");

		oj_key(p, path, k ? "minor" : "major");
		if (d->type != 'p')
			r = oj_need(j, e, p);
		num = 0;
		if (r == 0)
			r = oj_int(j, e, p, 0, UINT32_MAX, &num);
		*(k ? &d->minor : &d->major) = num;
	}
	/* podman writes the node's type too (8576 is S_IFCHR | 0600), as mknod takes it. */
	if (r == 0)
		r = oj_u32(j, json_object_get(v, "fileMode"), oj_key(p, path, "fileMode"), 0177777,
			   &mode);
	if (r == 0 && (mode & S_IFMT) && (mode & S_IFMT) != node_type(d->type))
		r = oj_fail(j, p, "%#o: the type bits are not those of a '%c' node", mode, d->type);
	d->mode = mode & 07777;
	if (r == 0)
		r = oj_u32(j, json_object_get(v, "uid"), oj_key(p, path, "uid"), SPEC_ID_MAX,
			   &d->uid);
	if (r == 0)
		r = oj_u32(j, json_object_get(v, "gid"), oj_key(p, path, "gid"), SPEC_ID_MAX,
			   &d->gid);
	return r;
}

static int parse_devices(struct oj *j, json_t *v, struct spec_oci *o)
{
	char p[OJ_PATH];
	json_t *e;
	size_t i;
	int r = oj_array(j, v, "linux.devices");

	if (r < 0 || oj_absent(v))
		return r;
	o->devices = calloc(json_array_size(v) + 1, sizeof(*o->devices));
	if (!o->devices)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		o->ndevices++;
		r = parse_device(j, e, oj_idx(p, "linux.devices", i), &o->devices[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* A name under /proc/sys: "net.ipv4.ip_forward"; nothing that could climb out of it. */
static bool sysctl_name_ok(const char *k, size_t n)
{
	if (!n || k[0] == '.' || k[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isalnum((unsigned char)k[i]) && !strchr("._-", k[i]))
			return false;
		if (k[i] == '.' && k[i + 1] == '.')
			return false;
	}
	return true;
}

/* Only a sysctl a namespace of the container's own holds (new or joined, as runc): any other
 * is the host's, kernel.core_pattern a host root's command line. */
static int parse_sysctl(struct oj *j, json_t *v, struct spec *s, const struct spec_oci *o)
{
	char p[OJ_PATH];
	int r = oj_strmap(j, v, "linux.sysctl", &s->sysctls);

	for (size_t i = 0; r == 0 && s->sysctls && s->sysctls[i]; i++) {
		const char *e = s->sysctls[i];
		size_t n = strcspn(e, "=");
		enum spec_sysctl_ns ns = spec_sysctl_ns(e, n);
		char key[256];

		snprintf(key, sizeof(key), "%.*s", (int)n, e);
		oj_key(p, "linux.sysctl", key);
		if (!sysctl_name_ok(e, n))
			r = oj_fail(j, p, "not a sysctl name");
		else if (strchr(e + n, '\n'))
			r = oj_fail(j, p, "a value with a newline");
		else if (ns == SPEC_SYSCTL_HOST)
			r = oj_fail(j, p,
				    "not namespaced (" SPEC_SYSCTL_NAMESPACED
				    "): it would change the host");
		else if (ns == SPEC_SYSCTL_NET && !o->ns[OCI_NS_NET].set)
			r = oj_fail(j, p, "a network namespace's, and linux.namespaces has none");
		else if (ns == SPEC_SYSCTL_IPC && !o->ns[OCI_NS_IPC].set)
			r = oj_fail(j, p, "an ipc namespace's, and linux.namespaces has none");
	}
	return r;
}

static int parse_paths(struct oj *j, json_t *v, const char *path, char ***ret)
{
	char p[OJ_PATH], b[OJ_SHOW];
	int r = oj_strv(j, v, path, ret);

	for (size_t i = 0; r == 0 && *ret && (*ret)[i]; i++)
		if (!oj_path_ok((*ret)[i]))
			r = oj_fail(j, oj_idx(p, path, i),
				    "'%s' is not an absolute path without '..'",
				    oj_shows((*ret)[i], b));
	return r;
}

static int parse_propagation(struct oj *j, json_t *v, struct spec_oci *o)
{
	const char *path = "linux.rootfsPropagation";
	char *name = NULL, b[OJ_SHOW];
	int r = oj_str(j, v, path, &name);

	if (r == 0 && name && !(o->rootfs_propagation = oci_propagation(name)))
		r = oj_fail(j, path,
			    "'%s' is not private, rprivate, slave, rslave, shared, rshared, "
			    "unbindable or runbindable",
			    oj_shows(name, b));
	free(name);
	return r;
}

static int parse_offset(struct oj *j, json_t *v, const char *path, int64_t *secs, uint32_t *nsecs)
{
	char p[OJ_PATH];
	int r = oj_object(j, v, path);

	if (r == 0)
		r = oj_int(j, json_object_get(v, "secs"), oj_key(p, path, "secs"), INT64_MIN,
			   INT64_MAX, secs);
	if (r == 0)
		r = oj_u32(j, json_object_get(v, "nanosecs"), oj_key(p, path, "nanosecs"),
			   999999999, nsecs);
	return r;
}

static int parse_time_offsets(struct oj *j, json_t *v, struct spec_oci *o)
{
	const char *path = "linux.timeOffsets", *key;
	char p[OJ_PATH];
	json_t *e;
	int r = oj_object(j, v, path);

	if (r < 0 || oj_absent(v))
		return r;
	/* Only these two clocks of a time namespace can be offset. */
	json_object_foreach(v, key, e)
	{
		if (strcmp(key, "boottime") != 0 && strcmp(key, "monotonic") != 0)
			return oj_fail(
				j, oj_key(p, path, key),
				"not a clock a time namespace offsets (boottime, monotonic)");
	}
	r = parse_offset(j, json_object_get(v, "boottime"), "linux.timeOffsets.boottime",
			 &o->boottime_secs, &o->boottime_nsecs);
	if (r == 0)
		r = parse_offset(j, json_object_get(v, "monotonic"), "linux.timeOffsets.monotonic",
				 &o->monotonic_secs, &o->monotonic_nsecs);
	if (r == 0 && (!o->ns[OCI_NS_TIME].set || o->ns[OCI_NS_TIME].path))
		r = oj_fail(j, path, "needs a time namespace of its own");
	o->has_time_offsets = r == 0;
	return r;
}

/* LINUX is every process's personality already; any other is kbox's to refuse. */
static int parse_personality(struct oj *j, json_t *v)
{
	const char *path = "linux.personality";
	char p[OJ_PATH], *domain = NULL;
	json_t *flags;
	int r = oj_object(j, v, path);

	if (r < 0 || oj_absent(v))
		return r;
	r = oj_str(j, json_object_get(v, "domain"), oj_key(p, path, "domain"), &domain);
	if (r == 0 && domain && strcmp(domain, "LINUX") != 0)
		r = oj_fail(j, p, "kbox runs LINUX only");
	free(domain);
	flags = json_object_get(v, "flags");
	if (r == 0)
		r = oj_array(j, flags, oj_key(p, path, "flags"));
	if (r == 0 && !oj_absent(flags) && json_array_size(flags))
		r = oj_fail(j, p, "kbox sets no personality flags");
	return r;
}

int oci_parse_linux(struct oj *j, json_t *lx, struct spec *s, struct spec_oci *o)
{
	char *label = NULL;
	int r = oj_object(j, lx, "linux");

	if (r < 0)
		return r;
	if (oj_absent(lx))
		return oj_fail(j, "linux.namespaces", "kbox needs a mount namespace");
	r = parse_namespaces(j, json_object_get(lx, "namespaces"), o);
	if (r == 0)
		r = parse_idmaps(j, json_object_get(lx, "uidMappings"), "linux.uidMappings",
				 &o->uid_maps, &o->nuid_maps);
	if (r == 0)
		r = parse_idmaps(j, json_object_get(lx, "gidMappings"), "linux.gidMappings",
				 &o->gid_maps, &o->ngid_maps);
	if (r == 0)
		r = check_userns(j, o);
	if (r == 0)
		r = parse_devices(j, json_object_get(lx, "devices"), o);
	if (r == 0)
		r = oci_parse_resources(j, json_object_get(lx, "resources"), o);
	if (r == 0)
		r = oj_str(j, json_object_get(lx, "cgroupsPath"), "linux.cgroupsPath",
			   &o->cgroups_path);
	if (r == 0)
		r = parse_sysctl(j, json_object_get(lx, "sysctl"), s, o);
	if (r == 0 && !oj_absent(json_object_get(lx, "seccomp")))
		r = oci_parse_seccomp(j, json_object_get(lx, "seccomp"), "linux.seccomp",
				      &o->seccomp);
	if (r == 0)
		r = parse_propagation(j, json_object_get(lx, "rootfsPropagation"), o);
	if (r == 0)
		r = parse_paths(j, json_object_get(lx, "maskedPaths"), "linux.maskedPaths",
				&o->masked_paths);
	if (r == 0)
		r = parse_paths(j, json_object_get(lx, "readonlyPaths"), "linux.readonlyPaths",
				&o->readonly_paths);
	if (r == 0)
		r = parse_time_offsets(j, json_object_get(lx, "timeOffsets"), o);
	/* No LSM in kbox: a label names nothing kbox could enforce, or loosen. */
	if (r == 0)
		r = oj_str(j, json_object_get(lx, "mountLabel"), "linux.mountLabel", &label);
	free(label);
	if (r == 0)
		r = parse_personality(j, json_object_get(lx, "personality"));
	if (r == 0)
		r = oj_refuse(j, lx, "linux", "intelRdt", "kbox does not support Intel RDT");
	if (r == 0)
		r = oj_refuse(j, lx, "linux", "memoryPolicy", "kbox does not set memory policies");
	if (r == 0)
		r = oj_refuse(j, lx, "linux", "netDevices", "kbox does not move network devices");
	if (r < 0)
		return r;
	s->net = o->ns[OCI_NS_NET].set ? SPEC_NET_NONE : SPEC_NET_HOST;
	s->pid_host = !o->ns[OCI_NS_PID].set;
	s->timens = o->ns[OCI_NS_TIME].set;
	return 0;
}
