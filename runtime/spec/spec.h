/* The spec model: what every front end (command line, conf files, kbox run's flags) fills
 * in and the runtime carries out, one struct spec a container and a spec_set for them all.
 * Declarations only; set.h has the set's functions, values.h the value parsers. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "values.h"

enum spec_exit {
	SPEC_EXIT_STAY,
	SPEC_EXIT_POWEROFF,
	SPEC_EXIT_REBOOT,
};

enum {
	SK_IMAGE,
	SK_CMD,
	SK_ENTRYPOINT,
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
	SK_VOLUME,
	SK_COUNT,
};

/* The global keys. */
enum {
	SG_HOSTNAME,
	SG_EXIT,
	SG_SHELL,
	SG_LOG_MAX,
	SG_SUBNET,
	SG_UPLINK,
	SG_DNS,
	SG_DATA,
	SG_DATA_TIMEOUT,
	SG_COUNT,
};

#define SPEC_UNLIMITED (-1LL) /* "max" for memory, memory_swap and pids */
/* pids.max of a container that sets no pids (see the README's key table for why). */
#define SPEC_PIDS_DEFAULT 1024
/* The size of the tmpfs that holds a container's writable layer, unless storage_size. */
#define SPEC_STORAGE_DEFAULT (64LL << 20)
/* How long PID 1 waits for the data disk to appear, unless kbox.data_timeout. */
#define SPEC_DATA_TIMEOUT_DEFAULT_MS 10000

struct image_config; /* an image's record, runtime/spec/image.h */
struct spec_oci;     /* what only a bundle's config.json says, runtime/spec/oci.h */

struct spec_bind {
	char *src, *dst; /* absolute: a path of the appliance, a path in the container */
	bool ro;
};

/* A named volume: the directory KBOX_VOLUMES/NAME on the data disk, bound on DST. */
struct spec_volume {
	char *name; /* spec_valid_name */
	char *dst;  /* absolute, in the container */
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
	SPEC_NET_BRIDGE, /* a veth on kbox0 */
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
	char **cmd;		      /* words, NULL-terminated; NULL unless a source set it */
	char **entrypoint;	      /* the same; an empty vector drops the image's */
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
	struct spec_volume *volumes;
	size_t nvolumes;
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
	/*
	 * What the runtime runs: the keys above with the defaults of the image's record, made
	 * by spec_apply_image (image.h), which spec_finish calls with no record and a start
	 * calls again with the image's. The keys stay as the sources wrote them, but workdir,
	 * user and stop_signal, which it sets in place when no source did (src says which).
	 */
	char **argv;			   /* entrypoint and cmd, Docker's way; never empty */
	char **run_env;			   /* the image's Env, then env's: one entry a name */
	struct image_config *image_config; /* a copy of the record applied; NULL: none */
	/* A bundle's container (kbox oci): its config.json's OCI-only part. NULL for every
	 * other front end. With it set the runtime takes root, mounts, namespaces, id maps,
	 * capabilities, devices and seccomp from here and not from the keys above. */
	struct spec_oci *oci;
};

struct spec_set {
	struct spec *specs; /* in order of first mention */
	char *hostname;
	enum spec_exit exit;
	bool shell;
	long long log_max;	   /* bytes a log file may reach before it is rotated; 0: 1M */
	char **errors;		   /* every error, formatted "name: key: reason (where)" */
	int serial;		   /* numbers the sources, see spec_source_begin() */
	char *subnet;		   /* for net=bridge; 10.88.0.0/16 unless set */
	char *uplink;		   /* "ADDR/LEN,GATEWAY", "dhcp" or "none" (unset: none) */
	char *dns;		   /* the appliance's resolver, for /etc/resolv.conf */
	int gsrc[SG_COUNT];	   /* which source set each global key */
	bool src_open;		   /* a file or the command line is being read */
	unsigned src_errors;	   /* errors the current source recorded... */
	unsigned long src_dropped; /* ...and those past SPEC_SOURCE_ERRORS, only counted */

	/* The data disk, kbox.data: /dev/NAME, LABEL=NAME or UUID=...; NULL: none. How long
	 * PID 1 waits for it to appear: 0 for SPEC_DATA_TIMEOUT_DEFAULT_MS. */
	char *data;
	unsigned data_timeout_ms;
};

/* A source (a file, the command line) records its first errors; the rest are counted in
 * one "and N more" line, so a file of garbage cannot flood the console. */
#define SPEC_SOURCE_ERRORS 5
