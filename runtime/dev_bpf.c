/* Device rules into a BPF_CGROUP_DEVICE program, and the list a bundle's cgroup enforces. */
#include "dev_bpf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define RWM (OCI_DEV_R | OCI_DEV_W | OCI_DEV_M)

const struct oci_dev_rule devbpf_default_rules[] = {
	{true, 'c', 1, 3, RWM},	   /* null */
	{true, 'c', 1, 5, RWM},	   /* zero */
	{true, 'c', 1, 7, RWM},	   /* full */
	{true, 'c', 1, 8, RWM},	   /* random */
	{true, 'c', 1, 9, RWM},	   /* urandom */
	{true, 'c', 5, 0, RWM},	   /* tty */
	{true, 'c', 5, 2, RWM},	   /* ptmx */
	{true, 'c', 136, -1, RWM}, /* pts/N */
	{true, 'c', 10, 200, RWM}, /* net/tun */
};
const size_t devbpf_ndefault = sizeof(devbpf_default_rules) / sizeof(devbpf_default_rules[0]);

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn){
		.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
}

/* OCI's r, w, m as the kernel's BPF_DEVCG_ACC_* bits. */
static int32_t acc_bits(unsigned access)
{
	return (access & OCI_DEV_R ? BPF_DEVCG_ACC_READ : 0) |
	       (access & OCI_DEV_W ? BPF_DEVCG_ACC_WRITE : 0) |
	       (access & OCI_DEV_M ? BPF_DEVCG_ACC_MKNOD : 0);
}

#define ACC_ALL (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD)

size_t devbpf_build(const struct oci_dev_rule *rules, size_t n, struct bpf_insn *p)
{
	size_t k = 0;

	/* r1 = struct bpf_cgroup_dev_ctx *: access_type (type | access << 16), major, minor.
	 * r2: access asked for, r3: type, r4: major, r5: minor; r1 is scratch after this. */
	p[k++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_1, 0, 0);
	p[k++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_2, 0, 0);
	p[k++] = insn(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_3, 0, 0, 0xffff);
	p[k++] = insn(BPF_ALU64 | BPF_RSH | BPF_K, BPF_REG_2, 0, 0, 16);
	p[k++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_4, BPF_REG_1, 4, 0);
	p[k++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_5, BPF_REG_1, 8, 0);
	/* Last match wins: the rules are tried from the last, and the first to match decides. */
	for (size_t i = n; i-- > 0;) {
		const struct oci_dev_rule *r = &rules[i];
		int32_t acc = acc_bits(r->access);
		size_t start = k;

		if (!acc)
			continue;
		if (r->type != 'a')
			p[k++] = insn(BPF_JMP32 | BPF_JNE | BPF_K, BPF_REG_3, 0, 0,
				      r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
		/* JMP32 compares the low 32 bits: a number up to 2^32-1 fits its immediate. */
		if (r->major != -1)
			p[k++] = insn(BPF_JMP32 | BPF_JNE | BPF_K, BPF_REG_4, 0, 0,
				      (int32_t)(uint32_t)r->major);
		if (r->minor != -1)
			p[k++] = insn(BPF_JMP32 | BPF_JNE | BPF_K, BPF_REG_5, 0, 0,
				      (int32_t)(uint32_t)r->minor);
		if (acc != ACC_ALL) {
			p[k++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_2, 0, 0);
			/* allow: nothing asked beyond what it grants; deny: any of what it bars. */
			p[k++] = insn(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_1, 0, 0,
				      r->allow ? ACC_ALL & ~acc : acc);
			p[k++] = insn(BPF_JMP | (r->allow ? BPF_JNE : BPF_JEQ) | BPF_K, BPF_REG_1,
				      0, 0, 0);
		}
		p[k++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, r->allow ? 1 : 0);
		p[k++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		/* A rule that matches everything ends the program: the verifier refuses code
		 * that cannot be reached, the rules before it and the default deny. */
		if (k - start == 2)
			return k;
		/* Each test jumps past this rule when it does not match. */
		for (size_t j = start; j < k - 2; j++)
			if (BPF_CLASS(p[j].code) == BPF_JMP || BPF_CLASS(p[j].code) == BPF_JMP32)
				p[j].off = k - j - 1;
	}
	p[k++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	p[k++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return k;
}

static int check_num(int64_t v, const char *what, size_t i, char *err, int errlen)
{
	if (v >= -1 && v <= (int64_t)UINT32_MAX)
		return 0;
	snprintf(err, errlen, "linux.resources.devices[%zu].%s: %" PRId64 " is not a device number",
		 i, what, v);
	return -EINVAL;
}

int devbpf_oci_rules(const struct spec_oci *oci, struct oci_dev_rule **ret, size_t *ret_n,
		     char *err, int errlen)
{
	size_t n = oci->ndev_rules + 2 + devbpf_ndefault, k = 0;
	struct oci_dev_rule *v;

	for (size_t i = 0; i < oci->ndev_rules; i++) {
		const struct oci_dev_rule *r = &oci->dev_rules[i];

		if (r->type != 'a' && r->type != 'b' && r->type != 'c') {
			snprintf(err, errlen,
				 "linux.resources.devices[%zu].type: '%c' is not a, b or c", i,
				 r->type);
			return -EINVAL;
		}
		if (check_num(r->major, "major", i, err, errlen) ||
		    check_num(r->minor, "minor", i, err, errlen))
			return -EINVAL;
		if (r->access & ~RWM) {
			snprintf(err, errlen, "linux.resources.devices[%zu].access: not r, w, m",
				 i);
			return -EINVAL;
		}
	}
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < oci->ndev_rules; i++)
		v[k++] = oci->dev_rules[i];
	/* No rule for linux.devices' nodes: making one must not allow opening it (c 1:11 would
	 * hand out the host's kernel log past a deny-all). Only mknod of any node, as runc's
	 * defaults: the process is in the cgroup when it makes them in the container's /dev. */
	v[k++] = (struct oci_dev_rule){true, 'c', -1, -1, OCI_DEV_M};
	v[k++] = (struct oci_dev_rule){true, 'b', -1, -1, OCI_DEV_M};
	for (size_t i = 0; i < devbpf_ndefault; i++)
		v[k++] = devbpf_default_rules[i];
	*ret = v;
	*ret_n = k;
	return 0;
}
