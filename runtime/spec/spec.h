/* Container specs: one set of keys, read from the kernel command line and conf files.
 * Pure code: no system calls, so it is unit-tested and fuzzed on the host. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum spec_exit {
	SPEC_EXIT_STAY,
	SPEC_EXIT_POWEROFF,
	SPEC_EXIT_REBOOT,
};

enum {
	SK_IMAGE,
	SK_CMD,
	SK_WORKDIR,
	SK_HOSTNAME,
	SK_PID,
	SK_ENV,
	SK_USER,
	SK_READONLY,
	SK_TIMENS,
	SK_CAPS_ADD,
	SK_CAPS_DROP,
	SK_SECCOMP,
	SK_BIND,
	SK_TMPFS,
	SK_USERNS,
	SK_MEMORY,
	SK_MEMORY_SWAP,
	SK_CPUS,
	SK_CPU_WEIGHT,
	SK_PIDS,
	SK_CPUSET,
	SK_IO_WEIGHT,
	SK_RLIMIT,
	SK_RESTART,
	SK_STOP_SIGNAL,
	SK_STOP_TIMEOUT,
	SK_AFTER,
	SK_INIT,
	SK_LOG,
	SK_SYSCTL,
	SK_NET,
	SK_IP,
	SK_PUBLISH,
	SK_STORAGE_SIZE,
	SK_COUNT,
};

#define SPEC_UNLIMITED (-1LL) /* "max" for memory, memory_swap and pids */
/* pids.max of a container that sets no pids (see the README's key table for why). */
#define SPEC_PIDS_DEFAULT 1024
/* The size of the tmpfs that holds a container's writable layer, unless storage_size. */
#define SPEC_STORAGE_DEFAULT (64LL << 20)
#define SPEC_ID_MAX 4294967294ULL /* uid and gid: 4294967295 is (uid_t)-1 */

struct spec_bind {
	char *src, *dst; /* absolute: a path of the appliance, a path in the container */
	bool ro;
};

struct spec_tmpfs {
	char *dst;
	long long size; /* bytes, 0 for the kernel's default */
};

struct spec_rlimit {
	int resource; /* RLIMIT_* */
	unsigned long long soft, hard;
};

/* Where a container's output goes: bits. */
enum {
	SPEC_LOG_CONSOLE = 1, /* "NAME | line" on the console */
	SPEC_LOG_FILE = 2,    /* /run/kbox/logs/NAME.log, with one rotation */
};

enum spec_net {
	SPEC_NET_NONE,	 /* a network namespace with lo only */
	SPEC_NET_HOST,	 /* the appliance's network namespace */
	SPEC_NET_BRIDGE, /* a veth on kbox0 (not carried out yet) */
};

struct spec_publish {
	unsigned host_port, ctr_port;
	bool udp;
};

enum spec_restart {
	SPEC_RESTART_NO,
	SPEC_RESTART_ON_FAILURE, /* a non-zero status or a signal */
	SPEC_RESTART_ALWAYS,
};

struct spec {
	struct spec *next;
	char *name;
	char *image;		      /* an image name under /images, or an absolute path */
	char **cmd;		      /* argv, NULL-terminated */
	char **env;		      /* NAME=value, NULL-terminated, later duplicates replace */
	char *workdir;		      /* absolute */
	char *hostname;		      /* defaults to the name */
	bool pid_host;		      /* share the init's pid namespace (docker --pid=host) */
	bool timens;		      /* a time namespace of its own */
	bool readonly;		      /* no writable layer: the root is the image, read-only */
	char *user;		      /* "uid[:gid]" or "name[:group]", resolved in the image */
	uint64_t caps_add, caps_drop; /* bits by CAP_* number, on top of Docker's default */
	char *seccomp;		      /* "default", "unconfined" or a profile's path */
	struct spec_bind *binds;
	size_t nbinds;
	struct spec_tmpfs *tmpfs;
	size_t ntmpfs;
	struct {
		unsigned inside, outside, count; /* count 0: no user namespace */
	} userns;
	long long memory, memory_swap;	/* bytes; 0 unset; SPEC_UNLIMITED */
	unsigned cpus_milli;		/* 500 for cpus=0.5; 0 unset */
	unsigned cpu_weight, io_weight; /* 1..10000; 0 unset */
	long long pids;			/* 0 unset (SPEC_PIDS_DEFAULT); SPEC_UNLIMITED */
	long long storage_size;		/* bytes; 0 unset (SPEC_STORAGE_DEFAULT) */
	char *cpuset;			/* "0-1,3" */
	struct spec_rlimit *rlimits;
	size_t nrlimits;
	enum spec_restart restart;
	unsigned restart_max;	  /* on-failure:N; 0 for no bound */
	int stop_signal;	  /* SIGTERM unless set */
	unsigned stop_timeout_ms; /* 10 s unless set */
	char **after;		  /* names of containers that must have started first */
	enum {
		SPEC_AFTER_UNSEEN,
		SPEC_AFTER_ON_PATH,
		SPEC_AFTER_CLEAN, /* no cycle of after= lies past it */
		SPEC_AFTER_CYCLE,
	} after_state;	/* spec_finish's walk */
	bool init;	/* a reaper as the container's PID 1 (docker run --init) */
	unsigned log;	/* SPEC_LOG_* bits; both unless set */
	char **sysctls; /* "net.ipv4.ip_forward=1": namespaced ones only */
	enum spec_net net;
	char *ip; /* "auto" or "10.88.0.5/16" */
	struct spec_publish *publish;
	size_t npublish;
	char *error;	   /* the first error: the container does not start */
	int src[SK_COUNT]; /* which source set each key, to catch duplicates */
};

struct spec_set {
	struct spec *specs; /* in order of first mention */
	char *hostname;
	enum spec_exit exit;
	bool shell;
	long long log_max; /* bytes a log file may reach before it is rotated; 0: 1M */
	char **errors;	   /* every error, formatted "name: key: reason (where)" */
	int serial;	   /* numbers the sources, see spec_set_key() */
	char *subnet;	   /* for net=bridge; 10.88.0.0/16 unless set */
	char *uplink;	   /* "ADDR/LEN,GATEWAY", "dhcp" or "none" (unset: none) */
	char *dns;	   /* the appliance's resolver, for /etc/resolv.conf */
	int gsrc[7];
	bool src_open;		   /* a file or the command line is being read */
	unsigned src_errors;	   /* errors the current source recorded... */
	unsigned long src_dropped; /* ...and those past SPEC_SOURCE_ERRORS, only counted */
};

/* A source (a file, the command line) records its first errors; the rest are counted in
 * one "and N more" line, so a file of garbage cannot flood the console. */
#define SPEC_SOURCE_ERRORS 5

void spec_set_init(struct spec_set *set);
void spec_set_free(struct spec_set *set);

/* Read "kbox.NAME.KEY=VALUE" and "kbox.KEY=VALUE" from a kernel command line.
 * Errors are recorded in the set; returns 0, or -ENOMEM. */
int spec_parse_cmdline(struct spec_set *set, const char *cmdline);
/* Read a conf file's text: "key = value" lines for container NAME, or the globals if
 * NAME is NULL. WHERE names the file in errors. Returns 0, or -ENOMEM. */
int spec_parse_conf(struct spec_set *set, const char *name, const char *text, const char *where);
/* The source WHERE that defines container NAME (NULL: the globals) cannot be used: record
 * WHY against NAME, which will not start (an invalid NAME is reported as such instead).
 * Returns 0, or -ENOMEM. */
int spec_set_fail(struct spec_set *set, const char *name, const char *why, const char *where);
/* Set one KEY of container NAME (val NULL: "missing '=value'"); errors are recorded in the
 * set with WHERE as their source. Returns 0, or -ENOMEM. */
int spec_set_key(struct spec_set *set, const char *name, const char *key, const char *val,
		 const char *where);
/* Fill in defaults and check what needs every source read. */
int spec_finish(struct spec_set *set);

struct spec *spec_find(struct spec_set *set, const char *name);
/* Split a command into words: white space separates, single or double quotes group, nothing
 * else is special. Returns 0, -EINVAL with a reason in err, or -ENOMEM. */
int spec_split_words(const char *s, char ***ret_words, char *err, int errlen);
/* Container and image names: [A-Za-z0-9][A-Za-z0-9_-]*, at most 63 characters. */
bool spec_valid_name(const char *name);
/*
 * Numbers, the same for every key: decimal digits only (no sign, blank or base prefix;
 * "010" is 10). -EINVAL when S is not such a number, -ERANGE when it is above MAX: a value
 * is never wrapped. spec_parse_digits reads the digits at *p and moves *p past them.
 */
int spec_parse_uint(const char *s, unsigned long long max, unsigned long long *ret);
int spec_parse_digits(const char **p, unsigned long long max, unsigned long long *ret);
/* "64M", "1.5G", "512k", "2GiB", "100" (bytes) -> bytes, up to LLONG_MAX (-ERANGE past
 * it); units are powers of 1024 up to P. 0 is a size: the caller has its minimum. */
int spec_parse_size(const char *s, long long *ret);
/* "10s", "500ms", "1.5m", "2h", "30" (seconds) -> milliseconds (the nearest), a day at
 * most (-ERANGE past it); -EINVAL if not a duration. */
int spec_parse_duration(const char *s, unsigned *ret_ms);
/* "a.b.c.d/len" with len from min to max: -EINVAL if not that shape, -ERANGE for len. */
int spec_parse_cidr(const char *s, int min, int max, uint32_t *ret_addr, int *ret_prefix);
/* "SIGTERM", "TERM", "term" or "15" -> 15; -ERANGE for a number not from 1 to 64, -EINVAL
 * otherwise. */
int spec_parse_signal(const char *s);
/* "TERM" for 15, or NULL. */
const char *spec_signal_name(int sig);
/* "nofile" for RLIMIT_NOFILE: the NAME of rlimit_NAME. */
const char *spec_rlimit_name(int resource);
/* Format bytes back as the shortest exact "64M"-style string. */
void spec_format_size(long long bytes, char *buf, int len);
