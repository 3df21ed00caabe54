/* The device allowlist: a BPF_CGROUP_DEVICE program on each container's cgroup leaf. */
#include "devices.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "dev_bpf.h"

static int load(const struct oci_dev_rule *rules, size_t n)
{
	static char vlog[4096];
	_cleanup_free_ struct bpf_insn *prog = calloc(DEVBPF_INSNS(n), sizeof(*prog));
	union bpf_attr attr;
	int fd;

	if (!prog)
		return -ENOMEM;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uintptr_t)prog;
	attr.insn_cnt = devbpf_build(rules, n, prog);
	attr.license = (uintptr_t) "GPL";
	fd = syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0) {
		/* The verifier's log costs a formatted line per instruction: only to explain. */
		attr.log_buf = (uintptr_t)vlog;
		attr.log_size = sizeof(vlog);
		attr.log_level = 1;
		fd = syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	}
	if (fd < 0) {
		int r = -errno;

		vlog[sizeof(vlog) - 1] = '\0';
		return log_errno(r, "device allowlist: the kernel refused the BPF program: %s",
				 vlog);
	}
	return fd;
}

static int attach(int cgroup_fd, int prog)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.target_fd = cgroup_fd;
	attr.attach_bpf_fd = prog;
	attr.attach_type = BPF_CGROUP_DEVICE;
	if (syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof(attr)) < 0)
		return -errno;
	return 0;
}

int dev_allowlist_attach(int cgroup_fd)
{
	static int prog = -1; /* loaded once, attached to every leaf */

	if (prog < 0) {
		prog = load(devbpf_default_rules, devbpf_ndefault);
		if (prog < 0)
			return prog;
	}
	return attach(cgroup_fd, prog);
}

int dev_rules_attach(int cgroup_fd, const struct oci_dev_rule *rules, size_t n)
{
	_cleanup_close_ int prog = load(rules, n);

	if (prog < 0)
		return prog;
	/* The cgroup holds the program from here; the fd can go. */
	return attach(cgroup_fd, prog);
}
