/* The runtime module: a spec becomes a running container. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "spec/spec.h"

enum {
	RT_STAGE_CLONED,
	RT_STAGE_CREATED,
};

/* What a bundle's start needs beyond the spec (kbox oci, never PID 1). */
struct rt_oci {
	int start_fd;	/* create: the exec fifo (O_PATH); the child, set up, reports ready
			 * and blocks opening it for writing until `start` opens it for
			 * reading; -1: exec at once (run) */
	int console_fd; /* process.terminal: the console socket, connected; the child makes a
			 * pty, sends its master over it (SCM_RIGHTS) and takes the slave as
			 * its stdio and controlling terminal; -1: none */
	const char *state_json; /* the runtime-spec state, on the hooks' stdin */
	/* Set by the RT_STAGE_CREATED callback: the state the startContainer hooks get
	 * (status created, the pid as our namespace sees it). NULL: state_json. */
	const char *start_state_json;
	int pidfd; /* exec: the target's pidfd, opened before its pid was checked to be the
		    * container's; the relay joins through it. -1: rt_exec opens one */
	/* Called on the parent side: RT_STAGE_CLONED after clone, before the child goes on
	 * (join cgroup v1 controllers); RT_STAGE_CREATED once the child has its namespaces
	 * and mounts, before pivot_root (prestart and createRuntime hooks). Non-zero, logged
	 * by the callee, fails the start. NULL: none. */
	int (*stage)(int stage, pid_t pid, void *arg);
	void *stage_arg;
	/* --preserve-fds N: fds 3..3+N-1, the caller's, all open and none of the runtime's
	 * (oci_preserve_fds checked it before opening any), pass to the process; every other
	 * fd above 2 is closed. 0: none. */
	unsigned preserve_fds;
};

struct rt_opts {
	const char *images; /* where image names are found, /images in the appliance */
	const char *state;  /* per-container scratch: STATE/NAME/{upper,work,root} */
	int cgroup_fd;	    /* the container's cgroup leaf, or -1 to stay in ours */
	int stdio[3];	    /* the payload's stdin, stdout and stderr; -1 for /dev/null */
	struct {
		uint32_t addr, gw; /* host byte order */
		int prefix;
		const char *bridge; /* the host end goes on it */
		const char *host;   /* the host end's name (net_host_ifname) */
		const char *hosts;  /* a file bound read-only on the container's /etc/hosts */
	} net;			    /* net=bridge */
	const struct rt_oci *oci;   /* a bundle's container (kbox oci); NULL for the rest */
	/* Filled in by rt_start. */
	const struct seccomp_profile *seccomp_profile; /* seccomp=FILE, parsed */
	int init_fd;				       /* init=true: kbox's binary */
};

/*
 * Start a container. The child sets itself up and execs the payload; what it reports
 * arrives on *ret_status_fd (see rt_start_result). Returns the pid, or -errno after
 * logging "name: step: reason".
 */
pid_t rt_start(const struct spec *spec, const struct rt_opts *opts, int *ret_status_fd);

/* Once the container has exited: unmount its root. Its upper layer stays for a restart. */
void rt_release(const struct spec *spec, const struct rt_opts *opts);

/*
 * Read the child's report from status_fd (it blocks until the payload execs or setup
 * fails) and close it. Returns 0 once the payload runs (a create: once the child is set up
 * and waits on the exec fifo), or the child's -errno after logging "name: what failed:
 * reason".
 */
int rt_start_result(const char *name, int status_fd);

/* Exec argv with PATH from env; if that fails, report why on report_fd (as a container's
 * setup does) and return the exit code for it: 127 if not found, else 126. */
int rt_exec_payload(char *const argv[], char *const env[], int report_fd);

/* kbox exec: fork a relay that joins the cgroup (opts->cgroup_fd) and every namespace of
 * TARGET (the container's PID 1), and runs argv there as the container's payload runs: its
 * workdir, user, capabilities, environment and seccomp, with fds as stdio. The relay exits
 * with argv's status (125 when it could not run it). Returns the relay's pid or -errno. */
pid_t rt_exec(const struct spec *spec, const struct rt_opts *opts, pid_t target, const int fds[3],
	      char *const argv[]);

/* Exit code of a wait status, as a shell reports it: 128+N for signal N. */
int rt_exit_code(int status);
