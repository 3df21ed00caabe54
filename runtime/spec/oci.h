/* The OCI front end: a bundle's config.json (runtime-spec 1.2, Linux) into the one struct
 * spec, and what only OCI has into the struct spec_oci it carries. Pure: no system calls. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "spec.h"

/* Bounds on what a config.json may hold: each list, and the file itself. */
#define OCI_LIST_MAX 4096
#define OCI_CONFIG_MAX (4 << 20)

enum oci_ns {
	OCI_NS_PID,
	OCI_NS_NET,
	OCI_NS_MNT,
	OCI_NS_IPC,
	OCI_NS_UTS,
	OCI_NS_USER,
	OCI_NS_CGROUP,
	OCI_NS_TIME,
	OCI_NS_COUNT,
};

/* linux.namespaces[]: a namespace of its own (path NULL), or the one at path to join. */
struct oci_namespace {
	bool set;
	char *path; /* absolute; NULL: a new one */
};

struct oci_idmap {
	uint32_t inside, outside, count; /* containerID, hostID, size; count >= 1, no wrap */
};

/* mounts[]: in order. options are split into mount(2) flags, propagation and data. */
struct oci_mount {
	char *dst;		   /* absolute, in the container */
	char *src;		   /* as given; a bind's relative source is against the bundle */
	char *type;		   /* "bind" for bind/rbind whatever type said; never NULL */
	bool bind, rec;		   /* bind or rbind (rec) */
	unsigned long flags;	   /* MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_*ATIME, ... */
	unsigned long clear;	   /* flags an option cleared ("rw", "suid", "dev", "exec", ...) */
	unsigned long propagation; /* MS_PRIVATE|MS_SLAVE|MS_SHARED|MS_UNBINDABLE [|MS_REC]; 0 */
	char *data;		   /* the options that are not flags, joined with ','; or NULL */
	bool copyup;		   /* tmpcopyup: the image's directory copied into the tmpfs */
};

/* linux.devices[]: a node to make in the container's /dev (and allow). */
struct oci_device {
	char *path; /* absolute, under /dev */
	char type;  /* 'c', 'b', 'p' (fifo); "u" is read as 'c' */
	int64_t major, minor;
	mode_t mode; /* permission bits; 0666 unless fileMode */
	uint32_t uid, gid;
};

/* linux.resources.devices[]: the cgroup device rules, in order (last match wins). */
struct oci_dev_rule {
	bool allow;
	char type;	      /* 'a', 'c' or 'b' */
	int64_t major, minor; /* -1: any */
	unsigned access;      /* OCI_DEV_R | OCI_DEV_W | OCI_DEV_M */
};
#define OCI_DEV_R 1
#define OCI_DEV_W 2
#define OCI_DEV_M 4

/* seccomp actions, as OCI names them. */
enum oci_sc_action {
	OCI_SC_KILL, /* SCMP_ACT_KILL: the thread */
	OCI_SC_KILL_PROCESS,
	OCI_SC_KILL_THREAD,
	OCI_SC_TRAP,
	OCI_SC_ERRNO,
	OCI_SC_TRACE,
	OCI_SC_ALLOW,
	OCI_SC_LOG,
	OCI_SC_NOTIFY,
};

enum oci_sc_op {
	OCI_SC_NE,
	OCI_SC_LT,
	OCI_SC_LE,
	OCI_SC_EQ,
	OCI_SC_GE,
	OCI_SC_GT,
	OCI_SC_MASKED_EQ,
};

struct oci_sc_arg {
	unsigned index; /* 0..5 */
	uint64_t value, value_two;
	enum oci_sc_op op;
};

struct oci_sc_rule {
	char **names; /* NULL-terminated, at least one */
	enum oci_sc_action action;
	unsigned errno_ret; /* for OCI_SC_ERRNO (EPERM unless errnoRet) and OCI_SC_TRACE */
	struct oci_sc_arg *args;
	size_t nargs;
};

struct oci_seccomp {
	enum oci_sc_action default_action;
	unsigned default_errno; /* EPERM unless defaultErrnoRet */
	char **archs;		/* "SCMP_ARCH_X86_64", ...; NULL-terminated, may be empty */
	unsigned flags;		/* OCI_SC_FLAG_* */
	struct oci_sc_rule *rules;
	size_t nrules;
};
#define OCI_SC_FLAG_LOG 1	    /* SECCOMP_FILTER_FLAG_LOG */
#define OCI_SC_FLAG_SPEC_ALLOW 2    /* SECCOMP_FILTER_FLAG_SPEC_ALLOW */
#define OCI_SC_FLAG_WAIT_KILLABLE 4 /* SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV */

struct oci_hook {
	char *path;	  /* absolute */
	char **args;	  /* NULL-terminated; NULL: just path */
	char **env;	  /* NULL-terminated; NULL: empty */
	unsigned timeout; /* seconds; 0: none */
};

enum oci_hook_kind {
	OCI_HOOK_PRESTART,
	OCI_HOOK_CREATE_RUNTIME,
	OCI_HOOK_CREATE_CONTAINER,
	OCI_HOOK_START_CONTAINER,
	OCI_HOOK_POSTSTART,
	OCI_HOOK_POSTSTOP,
	OCI_HOOK_COUNT,
};

struct oci_hooks {
	struct oci_hook *list;
	size_t n;
};

/* The capability sets of process.capabilities, bits by CAP_* number. */
struct oci_caps {
	uint64_t bounding, effective, inheritable, permitted, ambient;
};

/* linux.resources.hugepageLimits[]: PAGE (the kernel's name: "2MB", "1GB", "64KB") at
 * most LIMIT bytes. */
struct oci_hugepage {
	char page[16];
	uint64_t limit;
};

/* linux.resources: what a cgroup is to hold. has_* says which the config set. */
struct oci_resources {
	bool has_memory_limit, has_memory_reservation, has_memory_swap, has_swappiness;
	int64_t memory_limit, memory_reservation, memory_swap; /* bytes; -1: unlimited */
	uint64_t swappiness;
	bool disable_oom_killer;
	bool has_cpu_shares, has_cpu_quota, has_cpu_period;
	uint64_t cpu_shares, cpu_period; /* shares 2..262144; period in us */
	int64_t cpu_quota;		 /* us; -1: unlimited */
	char *cpus, *mems;		 /* cpuset lists, checked like spec->cpuset */
	bool has_pids;
	int64_t pids_limit;    /* -1 or 0: unlimited, as runc reads it */
	uint16_t blkio_weight; /* 10..1000; 0 unset */
	char **unified;	       /* "file=value", NULL-terminated: cgroup v2 files as given */
	struct oci_hugepage *hugepages; /* nhugepages of them, no page size twice */
	size_t nhugepages;
};

struct spec_oci {
	char *bundle; /* the bundle's absolute path, as the caller gave it */
	char *root;   /* root.path, made absolute against the bundle */
	bool root_readonly;
	bool terminal;
	unsigned console_height, console_width; /* process.consoleSize; 0 unset */
	uint32_t uid, gid;			/* process.user */
	uint32_t *additional_gids;
	size_t nadditional_gids;
	bool has_umask;
	mode_t umask;
	struct oci_caps caps;
	bool no_new_privileges;
	bool has_oom_score_adj;
	int oom_score_adj; /* -1000..1000 */
	char *domainname;
	struct oci_mount *mounts;
	size_t nmounts;
	struct oci_namespace ns[OCI_NS_COUNT];
	struct oci_idmap *uid_maps, *gid_maps;
	size_t nuid_maps, ngid_maps;
	struct oci_device *devices;
	size_t ndevices;
	struct oci_dev_rule *dev_rules;
	size_t ndev_rules;
	struct oci_resources res;
	char *cgroups_path;	     /* NULL unless set */
	struct oci_seccomp *seccomp; /* NULL: no filter (OCI's default is none) */
	char **masked_paths, **readonly_paths;
	unsigned long rootfs_propagation; /* MS_* | MS_REC; 0: unset (rprivate) */
	struct oci_hooks hooks[OCI_HOOK_COUNT];
	char **annotations; /* "key=value", NULL-terminated */
	bool has_time_offsets;
	int64_t boottime_secs, monotonic_secs;
	uint32_t boottime_nsecs, monotonic_nsecs;
};

/*
 * Parse config.json's TEXT (LEN bytes) of the bundle at BUNDLE (absolute) into a new struct
 * spec named ID with spec->oci set: argv, run_env, workdir, hostname, rlimits, sysctls,
 * readonly and the OCI-only rest. Returns 0, -EINVAL with "config.json: PATH: reason" in err
 * (PATH the JSON path, e.g. linux.resources.memory.limit), or -ENOMEM. Keys that ask for
 * what kbox cannot give (intelRdt, a personality but LINUX, scheduler, ioPriority, ...) are
 * refused; those that cannot weaken what kbox enforces (apparmor, selinux labels: kbox has
 * no LSM) are ignored, as docs/oci.md's table says.
 */
int spec_oci_parse(const char *text, size_t len, const char *bundle, const char *id,
		   struct spec **ret, char *err, int errlen);
/* Free what spec_oci_parse made (spec and spec->oci). */
void spec_oci_free(struct spec *spec);
/* process alone (runc exec --process FILE): argv, env, cwd, user, caps, rlimits, terminal,
 * noNewPrivileges into SPEC (an OCI spec from spec_oci_parse), replacing those. */
int spec_oci_parse_process(const char *text, size_t len, struct spec *spec, char *err, int errlen);
/* The default config.json of `spec` (runc's): rootfs "rootfs", sh, the default mounts,
 * namespaces, masked and read-only paths. rootless: with a user namespace mapping id 0 to
 * UID and GID (the caller's: pure code cannot ask). A static string, rewritten by the next
 * call. */
const char *spec_oci_default(bool rootless, uint32_t uid, uint32_t gid);
