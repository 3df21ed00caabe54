/* Inside the runtime: what container.c (every container) and container_oci.c (a bundle's)
 * share: the child's report and the steps both sides of a start take. */
#pragma once

#include <stdbool.h>

#include "runtime.h"
#include "seccomp.h"

/* What the child sends the parent: a setup failure (err < 0); for a bundle also
 * REPORT_READY (create: set up, waiting for start) and REPORT_CREATED (at the created stage:
 * the parent runs its stage and answers one byte, 'c' to go on). Nothing when exec
 * succeeds. */
struct report {
	int err;
	char msg[248];
};
#define REPORT_READY 0
#define REPORT_CREATED 1
/* A two-stage start's first stage (nsjoin.c): write my id maps, my time offsets; forked
 * the container's process, its pid in msg. */
#define REPORT_MAPS 2
#define REPORT_TIME 3
#define REPORT_SPAWNED 4

/* The payload's stdio from opts->stdio (/dev/null for -1); a directory is refused. */
int ct_child_stdio(const struct rt_opts *opts, char *err, int errlen);
/* Change into spec->workdir, resolved inside our root (CVE-2024-21626). */
int ct_enter_workdir(const struct spec *spec, char *err, int errlen);
/* A payload's PATH when its env has none, as Docker's. */
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
/* The PATH of ENV (may be NULL), else DEFAULT_PATH. */
const char *ct_env_path(char *const env[]);
/* NAME joined to the next entry of *PATH (an empty one is "."), into BUF; *PATH moves past
 * it. false once the list is done: the one walk exec and the lookup before it share. */
bool ct_path_next(const char **path, const char *name, char *buf, size_t len);
/* execve argv with the PATH of env; returns with errno set when nothing ran. */
void ct_exec_payload(char *const argv[], char *const env[]);
/* The filter the parent sends the child once it let it go; WANT false: none comes. */
int ct_recv_filter(bool want, int fd, struct seccomp_bpf *ret, char *err, int errlen);
void ct_send_filter_bpf(int fd, const struct seccomp_bpf *bpf, const char *why);

/* container_oci.c: a bundle's side of rt_start and rt_exec. */
int oci_prepare(const struct spec *spec, const struct rt_opts *opts);
void oci_release(void);
int oci_clone_flags(const struct spec *spec);
int oci_pre_clone(const struct spec *spec, int *ret_saved_pidns);
void oci_post_clone(int saved_pidns);
int oci_parent_stages(pid_t *pid, const struct spec *spec, int fd);
int oci_parent_setup(pid_t pid, const struct spec *spec, const struct rt_opts *opts);
int oci_parent_created(pid_t pid, const struct spec *spec, const struct rt_opts *opts, int fd);
_Noreturn void oci_child_main(const struct spec *spec, const struct rt_opts *opts, int report_fd);
pid_t oci_exec(const struct spec *spec, const struct rt_opts *opts, pid_t target, const int fds[3],
	       char *const argv[]);
