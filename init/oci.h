/* kbox oci (kbox-runc): runc's command line over OCI bundles, a client of the runtime
 * library beside kbox run, never part of PID 1. What its files share. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../runtime/spec/spec.h"
#include "oci_args.h"

#define OCI_ROOT_DEFAULT "/run/kbox/oci"
#define OCI_SPEC_VERSION "1.2.0"

/* The global flags, before the verb. */
struct oci_global {
	const char *root; /* --root: ROOT/ID/ holds each container's state */
	bool debug;
};

enum oci_status {
	OCI_CREATING, /* the state dir exists, state.json not yet (create under way) */
	OCI_CREATED,
	OCI_RUNNING,
	OCI_PAUSED,
	OCI_STOPPED,
};

/* One container's state: ROOT/ID/state.json, and the lock on ROOT/ID held while a verb
 * acts. Status is derived (oci_status), never trusted from the file. */
struct oci_ctr {
	char id[OCI_ID_MAX + 1];
	int dirfd;  /* ROOT/ID, O_DIRECTORY; flock'd */
	int rootfd; /* ROOT */
	pid_t pid;  /* the container's process, in our pid namespace; 0 before create ends */
	unsigned long long start_time; /* /proc/PID/stat field 22, against pid reuse */
	char bundle[4096];
	char cgroup[4096]; /* cgo_path's form; "" when the container has none */
	char created[40];  /* RFC 3339, UTC */
	uid_t owner;
	bool started; /* start has opened the exec fifo */
	bool orphan;  /* no state.json, yet no create holds the lock: that create died */
};

/* init/oci.c */
/* The entry: ARGV[0] is kbox-runc (RUNC_NAME) or "oci" of kbox oci. Exit status. */
int oci_main(int argc, char **argv, bool runc_name);
/* The verbs' command line: FLAG VALUE, FLAG=VALUE, -FLAG as Go's flag package reads them.
 * Returns true when ARGV[*I] is NAME; *VAL gets its value (the next word or after '='),
 * for a flag that takes one (VAL non-NULL). A missing value is logged, and *I past argc. */
bool oci_flag(int argc, char **argv, int *i, const char *name, const char **val);
/* --log's fd, or -1: ours, never one of the caller's to preserve. */
int oci_log_fd(void);
/* Debug lines, with --debug only. */
void oci_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* init/oci_state.c */
/* runc's rule for an id: [A-Za-z0-9_.+-]{1,1024}, not "." or "..". Logs why not. */
bool oci_id_ok(const char *id);
/* Open (and make, 0700) ROOT; an fd or -errno, logged. */
int oci_root_open(const struct oci_global *g);
/* Make ROOT/ID (0700) for a create and lock it: -EEXIST (logged) if it exists. */
int oci_ctr_new(const struct oci_global *g, const char *id, struct oci_ctr *c);
/* Open ROOT/ID, lock it (LOCK_EX, or LOCK_SH with OCI_OPEN_SHARED) and read state.json:
 * -ENOENT (logged: "container ID does not exist") when there is none, but with
 * OCI_OPEN_ORPHAN, where C->orphan says so: the directory of a create that died. */
int oci_ctr_open(const struct oci_global *g, const char *id, int flags, struct oci_ctr *c);
#define OCI_OPEN_SHARED 1
#define OCI_OPEN_ORPHAN 2
/* Drop the lock and the fds. */
void oci_ctr_close(struct oci_ctr *c);
/* Write state.json (temp + rename). */
int oci_ctr_save(const struct oci_ctr *c);
/* Remove ROOT/ID and everything in it (never following a symlink), then close. */
void oci_ctr_remove(struct oci_ctr *c);
/* Status, derived: the pid with its start time alive, the exec fifo, the freezer. */
enum oci_status oci_status(const struct oci_ctr *c);
const char *oci_status_name(enum oci_status s);
/* Is C's process alive, and still the one create started (start time)? */
bool oci_alive(const struct oci_ctr *c);
/* /proc/PID/stat's start time; 0 when it cannot be read. */
unsigned long long oci_start_time(pid_t pid);
/* The runtime-spec state as JSON text (malloc'd) with status S; NULL on ENOMEM. */
char *oci_state_json(const struct oci_ctr *c, enum oci_status s, bool pretty);
/* The bundle's config.json as state keeps it (ROOT/ID/config.json), or a bundle's: read
 * with every check (regular file, at most OCI_CONFIG_MAX). 0 or -errno, logged. */
int oci_read_config(int dirfd, const char *what, char **ret, size_t *ret_len);
/* Parse the copy of config.json in C's state dir. */
int oci_ctr_spec(const struct oci_ctr *c, struct spec **ret);

/* init/oci_create.c: create, start, run. */
int oci_create_main(const struct oci_global *g, int argc, char **argv);
int oci_start_main(const struct oci_global *g, int argc, char **argv);
int oci_run_main(const struct oci_global *g, int argc, char **argv);
/* Run the hooks of KIND (OCI_HOOK_*) of SPEC with C's state in status S on stdin.
 * 0 or the first failure's -errno, logged. */
int oci_hooks_run(const struct spec *spec, int kind, const struct oci_ctr *c, enum oci_status s);
/* Kill what is left of C (SIGKILL, its cgroup emptied), run poststop, remove its cgroup
 * and state. Closes C. */
void oci_destroy(struct oci_ctr *c, const struct spec *spec);

/* init/oci_verbs.c */
int oci_state_main(const struct oci_global *g, int argc, char **argv);
int oci_kill_main(const struct oci_global *g, int argc, char **argv);
int oci_delete_main(const struct oci_global *g, int argc, char **argv);
int oci_ps_main(const struct oci_global *g, int argc, char **argv);
int oci_pause_main(const struct oci_global *g, int argc, char **argv);
int oci_resume_main(const struct oci_global *g, int argc, char **argv);
int oci_list_main(const struct oci_global *g, int argc, char **argv);
int oci_spec_main(const struct oci_global *g, int argc, char **argv);
int oci_features_main(const struct oci_global *g, int argc, char **argv);

/* --preserve-fds N (VAL): parsed, and fds 3..3+N-1 checked to be the caller's, open, as
 * runc 1.1 checks them. Before any fd of ours is opened (but --log's), so that none of ours
 * can be in the range. 0 or -EINVAL, logged; *RET is N. */
int oci_preserve_fds(const char *verb, const char *val, unsigned *ret);

/* init/oci_update.c */
int oci_update_main(const struct oci_global *g, int argc, char **argv);

/* init/oci_exec.c */
int oci_exec_main(const struct oci_global *g, int argc, char **argv);
/* Write a pid file atomically (temp + rename), as runc does. 0 or -errno, logged. */
int oci_write_pid_file(const char *path, pid_t pid);
/* Connect to the console socket at PATH; an fd or -errno, logged. */
int oci_console_connect(const char *path);
/* Forward signals to PID (our child) until it exits; its exit code. */
int oci_wait_child(pid_t pid);
