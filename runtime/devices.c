/* The device allowlist: a BPF_CGROUP_DEVICE program on each container's cgroup leaf. */
#include "devices.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"

#define ANY (-1)

/*
 * What a container may create (mknod), read and write: the nodes every container's /dev
 * holds, pseudo-terminals and the tun device. Docker's list, less its "mknod any node":
 * with CAP_MKNOD a container could otherwise make the appliance's disk or console.
 */
static const struct {
	int major, minor;
} allowed[] = {
	{1, 3},	    /* null */
	{1, 5},	    /* zero */
	{1, 7},	    /* full */
	{1, 8},	    /* random */
	{1, 9},	    /* urandom */
	{5, 0},	    /* tty */
	{5, 2},	    /* ptmx */
	{136, ANY}, /* pts/N */
	{10, 200},  /* net/tun */
};

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn){
		.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
}

/* Every rule is character-only and allows all of read, write and mknod. */
static size_t build(struct bpf_insn *p)
{
	size_t n = 0;

	/* r1 = struct bpf_cgroup_dev_ctx *: access_type (type | access << 16), major, minor */
	p[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_3, BPF_REG_1, 0, 0);
	p[n++] = insn(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_3, 0, 0, 0xffff);
	p[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_4, BPF_REG_1, 4, 0);
	p[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_5, BPF_REG_1, 8, 0);
	for (size_t i = 0; i < ARRAY_SIZE(allowed); i++) {
		size_t start = n;

		p[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_3, 0, 0, BPF_DEVCG_DEV_CHAR);
		p[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, 0, allowed[i].major);
		if (allowed[i].minor != ANY)
			p[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, 0, allowed[i].minor);
		p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1);
		p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		/* Each test jumps past this rule when it does not match. */
		for (size_t j = start; j < n - 2; j++)
			p[j].off = n - j - 1;
	}
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return n;
}

static int load(void)
{
	static char vlog[4096];
	struct bpf_insn prog[6 + 5 * ARRAY_SIZE(allowed)];
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uintptr_t)prog;
	attr.insn_cnt = build(prog);
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

int dev_allowlist_attach(int cgroup_fd)
{
	static int prog = -1; /* loaded once, attached to every leaf */
	union bpf_attr attr;

	if (prog < 0) {
		prog = load();
		if (prog < 0)
			return prog;
	}
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = cgroup_fd;
	attr.attach_bpf_fd = prog;
	attr.attach_type = BPF_CGROUP_DEVICE;
	if (syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof(attr)) < 0)
		return -errno;
	return 0;
}
