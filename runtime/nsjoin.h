/* A bundle's two-stage start: the namespaces joined and made in the order their owners
 * need, then the container's process forked into them (runc's nsexec stages). */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "spec/oci.h"

/* Does OCI need the two stages: timeOffsets; a new user namespace with a namespace joined
 * by path (joined as the host's root first); a joined user namespace with a new pid or
 * time namespace (which it must own, and only a child enters)? */
bool nsj_two_stage(const struct spec_oci *oci);
/* Child side, in the process clone made with no namespace: join FDS, make the new
 * namespaces (asking the parent for the id maps and time offsets), fork the container's
 * process as the parent's child. Returns in that process only; the first stage reports to
 * REPORT_FD and exits. */
void nsj_child(const struct spec *spec, int fds[OCI_NS_COUNT], int report_fd);
/* The container's process, once the parent let it go: the cgroup namespace, made now that
 * the process is in its cgroup. 0, or -errno with why in err. */
int nsj_child_last(const struct spec *spec, char *err, int errlen);
/* Parent side: answer the first stage *PID over REPORT_FD; once it has forked, *PID is the
 * container's process and the first stage is reaped. On failure (logged, "name: ...") *PID
 * is still the first stage, for the caller to kill and reap. */
int nsj_parent(pid_t *pid, const struct spec *spec, int report_fd);
