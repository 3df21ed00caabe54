/* linux.resources' conversions, cgroupsPath's checks, and the device rules' BPF program run
 * in a small interpreter against a plain reading of the same rules. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/dev_bpf.h"
#include "../../runtime/spec/cgroup_values.h"
#include "../tap.h"

#define RWM (OCI_DEV_R | OCI_DEV_W | OCI_DEV_M)
#define ARRAY_N(a) (sizeof(a) / sizeof((a)[0]))

/* Just what devbpf_build emits: LDX W, ALU64 MOV/AND/RSH, JMP and JMP32 JNE/JEQ, EXIT. -1 on
 * anything else, on a jump out of the program, or on running past its end. */
static int run(const struct bpf_insn *p, size_t n, uint32_t ctx[3])
{
	uint64_t r[11] = {0};
	size_t steps = 0;

	for (size_t pc = 0; pc < n && steps++ < 100000; pc++) {
		const struct bpf_insn *i = &p[pc];
		uint64_t src =
			BPF_SRC(i->code) == BPF_X ? r[i->src_reg] : (uint64_t)(int64_t)i->imm;
		bool jump = false;

		switch (BPF_CLASS(i->code)) {
		case BPF_LDX:
			if (i->code != (BPF_LDX | BPF_W | BPF_MEM) || i->src_reg != BPF_REG_1 ||
			    i->off % 4 || i->off < 0 || i->off > 8)
				return -1;
			r[i->dst_reg] = ctx[i->off / 4];
			break;
		case BPF_ALU64:
			switch (BPF_OP(i->code)) {
			case BPF_MOV:
				r[i->dst_reg] = src;
				break;
			case BPF_AND:
				r[i->dst_reg] &= src;
				break;
			case BPF_RSH:
				r[i->dst_reg] >>= src;
				break;
			default:
				return -1;
			}
			break;
		case BPF_JMP:
		case BPF_JMP32: {
			uint64_t a = r[i->dst_reg], b = src;

			if (BPF_OP(i->code) == BPF_EXIT)
				return (int)r[0];
			if (BPF_CLASS(i->code) == BPF_JMP32)
				a = (uint32_t)a, b = (uint32_t)b;
			if (BPF_OP(i->code) == BPF_JNE)
				jump = a != b;
			else if (BPF_OP(i->code) == BPF_JEQ)
				jump = a == b;
			else
				return -1;
			if (jump) {
				if ((long)pc + 1 + i->off < 0 || pc + 1 + i->off >= n)
					return -1;
				pc += i->off;
			}
			break;
		}
		default:
			return -1;
		}
	}
	return -1;
}

/* The kernel's verifier refuses an instruction no path reaches, and a jump out of the
 * program: true when every instruction is reached and every jump lands inside. */
static bool all_reached(const struct bpf_insn *p, size_t n)
{
	bool seen[DEVBPF_INSNS(64)] = {false};

	if (n > ARRAY_N(seen))
		return false;
	/* Jumps only go forward: one pass in order marks everything reachable. */
	seen[0] = true;
	for (size_t pc = 0; pc < n; pc++) {
		uint8_t cls = BPF_CLASS(p[pc].code), op = BPF_OP(p[pc].code);

		if (!seen[pc])
			return false;
		if ((cls == BPF_JMP || cls == BPF_JMP32) && op == BPF_EXIT)
			continue;
		if (cls == BPF_JMP || cls == BPF_JMP32) {
			if (p[pc].off < 0 || pc + 1 + p[pc].off >= n)
				return false;
			seen[pc + 1 + p[pc].off] = true;
		}
		if (pc + 1 < n)
			seen[pc + 1] = true;
		else
			return false; /* falls off the end */
	}
	return true;
}

/* The rules read plainly: the last that matches decides; allow grants all asked, deny bars
 * any of it; none: deny. ACC in OCI bits. */
static int reference(const struct oci_dev_rule *v, size_t n, char type, int64_t maj, int64_t min,
		     unsigned acc)
{
	for (size_t i = n; i-- > 0;) {
		const struct oci_dev_rule *r = &v[i];

		if (!r->access || (r->type != 'a' && r->type != type) ||
		    (r->major != -1 && r->major != maj) || (r->minor != -1 && r->minor != min))
			continue;
		if (r->allow ? (acc & ~r->access) == 0 : (acc & r->access) != 0)
			return r->allow;
	}
	return 0;
}

static unsigned to_kernel(unsigned acc)
{
	return (acc & OCI_DEV_R ? BPF_DEVCG_ACC_READ : 0) |
	       (acc & OCI_DEV_W ? BPF_DEVCG_ACC_WRITE : 0) |
	       (acc & OCI_DEV_M ? BPF_DEVCG_ACC_MKNOD : 0);
}

static int ask(const struct bpf_insn *p, size_t n, char type, uint32_t maj, uint32_t min,
	       unsigned acc)
{
	uint32_t ctx[3] = {(type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR) | to_kernel(acc)
											      << 16,
			   maj, min};

	return run(p, n, ctx);
}

/* Every request on a grid of devices against both readings; the first difference is shown. */
static int compare(const struct oci_dev_rule *v, size_t nv, const char *what)
{
	static const int64_t majs[] = {0, 1, 5, 8, 136, 4294967295LL};
	static const int64_t mins[] = {0, 1, 3, 5, 9, 4294967295LL};
	struct bpf_insn *p = calloc(DEVBPF_INSNS(nv), sizeof(*p));
	size_t n = devbpf_build(v, nv, p);
	int bad = 0;

	ok(n <= DEVBPF_INSNS(nv), "%s: %zu instructions, within DEVBPF_INSNS", what, n);
	ok(all_reached(p, n), "%s: every instruction reachable, every jump inside", what);
	for (int t = 0; t < 2; t++)
		for (size_t a = 0; a < ARRAY_N(majs); a++)
			for (size_t b = 0; b < ARRAY_N(mins); b++)
				for (unsigned acc = 1; acc <= RWM; acc++) {
					char type = t ? 'b' : 'c';
					int want = reference(v, nv, type, majs[a], mins[b], acc);
					int got = ask(p, n, type, majs[a], mins[b], acc);

					if (got != want && !bad++)
						printf("# %c %lld:%lld access %u: got %d, want "
						       "%d\n",
						       type, (long long)majs[a], (long long)mins[b],
						       acc, got, want);
				}
	free(p);
	return ok(!bad, "%s: the program decides as the rules read", what);
}

static void test_conversions(void)
{
	char buf[64], err[256];
	int64_t v;

	is_int(cgv_shares_to_weight(2), 1, "shares 2: weight 1");
	is_int(cgv_shares_to_weight(262144), 10000, "shares 262144: weight 10000");
	is_int(cgv_shares_to_weight(1024), 39, "shares 1024 (the default): weight 39, as runc");
	is_int(cgv_shares_to_weight(1), 0, "shares 1: out of range");
	is_int(cgv_shares_to_weight(262145), 0, "shares 262145: out of range");
	is_int(cgv_shares_to_weight((uint64_t)-1), 0, "shares -1 (as uint64): out of range");
	is_int(cgv_blkio_to_io_weight(10), 1, "blkio 10: io 1");
	is_int(cgv_blkio_to_io_weight(1000), 10000, "blkio 1000: io 10000");
	is_int(cgv_blkio_to_io_weight(500), 4950, "blkio 500: io 4950");
	is_int(cgv_blkio_to_io_weight(9), 0, "blkio 9: out of range");
	is_int(cgv_blkio_to_io_weight(1001), 0, "blkio 1001: out of range");

	ok(cgv_cpu_max(true, -1, true, 100000, buf, sizeof(buf)) == 1, "quota -1: written");
	is_str(buf, "max 100000", "quota -1: max PERIOD");
	cgv_cpu_max(true, 50000, true, 100000, buf, sizeof(buf));
	is_str(buf, "50000 100000", "quota 50000 period 100000");
	cgv_cpu_max(true, 20000, false, 0, buf, sizeof(buf));
	is_str(buf, "20000", "quota without period: the kernel's period stays");
	cgv_cpu_max(false, 0, true, 250000, buf, sizeof(buf));
	is_str(buf, "max 250000", "period alone: max PERIOD");
	is_int(cgv_cpu_max(false, 0, false, 0, buf, sizeof(buf)), 0, "neither: nothing");
	is_int(cgv_cpu_max(true, 0, false, 0, buf, sizeof(buf)), 0, "quota 0: unset, as runc");

	cgv_limit(buf, sizeof(buf), -1, false);
	is_str(buf, "max", "limit -1: max");
	cgv_limit(buf, sizeof(buf), INT64_MAX, false);
	is_str(buf, "9223372036854775807", "limit 2^63-1: as is");
	cgv_limit(buf, sizeof(buf), 0, true);
	is_str(buf, "max", "pids 0: max");
	cgv_limit(buf, sizeof(buf), -5, true);
	is_str(buf, "max", "pids -5: max");
	cgv_limit(buf, sizeof(buf), 100, true);
	is_str(buf, "100", "pids 100");

	is_int(cgv_swap_v2(true, 100, true, 300, &v, err, sizeof(err)), 1, "swap 300 limit 100");
	is_int(v, 200, "memory.swap.max is swap less the limit");
	is_int(cgv_swap_v2(true, 100, true, 100, &v, err, sizeof(err)), 1, "swap = limit");
	is_int(v, 0, "swap = limit: no swap");
	is_int(cgv_swap_v2(true, 100, true, -1, &v, err, sizeof(err)), 1, "swap -1");
	is_int(v, -1, "swap -1: max");
	is_int(cgv_swap_v2(true, -1, false, 0, &v, err, sizeof(err)), 1, "limit -1, no swap");
	is_int(v, -1, "limit -1, no swap: swap max too");
	is_int(cgv_swap_v2(true, 100, false, 0, &v, err, sizeof(err)), 0, "no swap: nothing");
	is_int(cgv_swap_v2(true, 100, true, 50, &v, err, sizeof(err)), -EINVAL, "swap < limit");
	ok(strstr(err, "below the memory limit"), "swap < limit: says why (%s)", err);
	is_int(cgv_swap_v2(false, 0, true, 50, &v, err, sizeof(err)), -EINVAL,
	       "swap without limit");
	is_int(cgv_swap_v2(true, 100, true, -2, &v, err, sizeof(err)), -EINVAL, "swap -2");
}

static void test_paths(void)
{
	char buf[4096], err[256];
	char big[300];

	is_int(cgv_path(NULL, "web", buf, sizeof(buf), err, sizeof(err)), 0, "unset");
	is_str(buf, "/kbox-oci/web", "unset: /kbox-oci/ID");
	is_int(cgv_path("/default/abc", "abc", buf, sizeof(buf), err, sizeof(err)), 0, "abs");
	is_str(buf, "/default/abc", "absolute as is");
	cgv_path("//a/./b//", "x", buf, sizeof(buf), err, sizeof(err));
	is_str(buf, "/a/b", "extra slashes and '.' dropped");
	cgv_path("pod/ctr", "x", buf, sizeof(buf), err, sizeof(err));
	is_str(buf, "pod/ctr", "relative stays relative");
	is_int(cgv_path("../../x", "x", buf, sizeof(buf), err, sizeof(err)), -EINVAL, "../../x");
	ok(strstr(err, "'..'"), "../../x: says why (%s)", err);
	is_int(cgv_path("/../../etc", "x", buf, sizeof(buf), err, sizeof(err)), -EINVAL,
	       "/../../etc");
	is_int(cgv_path("/a/b/..", "x", buf, sizeof(buf), err, sizeof(err)), -EINVAL, "a/b/..");
	is_int(cgv_path("/a/..b", "x", buf, sizeof(buf), err, sizeof(err)), 0, "'..b' is a name");
	is_int(cgv_path("system.slice:docker:abc", "x", buf, sizeof(buf), err, sizeof(err)),
	       -EINVAL, "systemd's form");
	ok(strstr(err, "systemd"), "systemd's form: says why (%s)", err);
	is_int(cgv_path("/", "x", buf, sizeof(buf), err, sizeof(err)), -EINVAL, "the root");
	is_int(cgv_path("/./", "x", buf, sizeof(buf), err, sizeof(err)), -EINVAL, "the root, /./");
	is_int(cgv_path("/a\nb", "x", buf, sizeof(buf), err, sizeof(err)), -EINVAL, "newline");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	is_int(cgv_path(big, "x", buf, sizeof(buf), err, sizeof(err)), -EINVAL, "NAME_MAX+");
	is_int(cgv_path("/a/b", "x", buf, 4, err, sizeof(err)), -EINVAL, "too long for buf");
	is_int(cgv_path(NULL, "../x", buf, sizeof(buf), err, sizeof(err)), -EINVAL, "id ../x");
	is_int(cgv_path(NULL, "..", buf, sizeof(buf), err, sizeof(err)), -EINVAL, "id ..");

	ok(cgv_unified_key_ok("memory.high", err, sizeof(err)), "memory.high");
	ok(cgv_unified_key_ok("cgroup.max.depth", err, sizeof(err)), "cgroup.max.depth");
	ok(!cgv_unified_key_ok("../cgroup.procs", err, sizeof(err)), "../cgroup.procs");
	ok(!cgv_unified_key_ok("cgroup.procs", err, sizeof(err)), "cgroup.procs");
	ok(!cgv_unified_key_ok("cgroup.subtree_control", err, sizeof(err)), "subtree_control");
	ok(!cgv_unified_key_ok("cgroup.kill", err, sizeof(err)), "cgroup.kill");
	ok(!cgv_unified_key_ok("..", err, sizeof(err)), "..");
	ok(!cgv_unified_key_ok("memory", err, sizeof(err)), "no dot");
	ok(!cgv_unified_key_ok("", err, sizeof(err)), "empty");
	ok(!cgv_unified_key_ok("a/memory.max", err, sizeof(err)), "a slash");
}

static void test_bpf(void)
{
	/* podman's and containerd's shape: deny all, then allows. */
	const struct oci_dev_rule podman[] = {
		{false, 'a', -1, -1, RWM},
		{true, 'c', 1, 3, RWM},
		{true, 'c', 136, -1, OCI_DEV_R | OCI_DEV_W},
		{true, 'b', -1, -1, OCI_DEV_M},
		{true, 'c', 10, 200, OCI_DEV_R},
	};
	/* Allow all, then take back: deny "w" must stop rw. */
	const struct oci_dev_rule takeback[] = {
		{true, 'a', -1, -1, RWM}, {false, 'c', 1, 3, OCI_DEV_W},
		{false, 'b', 8, -1, RWM}, {true, 'b', 8, 1, OCI_DEV_R},
		{false, 'c', 5, 0, 0},
	};
	const struct oci_dev_rule big[] = {
		{true, 'c', 4294967295LL, 4294967295LL, RWM},
		{true, 'b', 0, 0, OCI_DEV_R},
	};
	struct bpf_insn p[DEVBPF_INSNS(16)];
	struct oci_dev_rule rnd[40];
	size_t n;

	n = devbpf_build(NULL, 0, p);
	is_int(ask(p, n, 'c', 1, 3, OCI_DEV_R), 0, "no rules: deny");
	compare(NULL, 0, "no rules");
	compare(podman, ARRAY_N(podman), "podman's rules");
	n = devbpf_build(podman, ARRAY_N(podman), p);
	is_int(ask(p, n, 'c', 1, 3, RWM), 1, "podman: null rwm");
	is_int(ask(p, n, 'b', 8, 0, OCI_DEV_R), 0, "podman: sda read denied");
	is_int(ask(p, n, 'b', 8, 0, OCI_DEV_M), 1, "podman: sda mknod allowed");
	is_int(ask(p, n, 'c', 136, 4, OCI_DEV_M), 0, "podman: pts mknod denied (rw only)");
	is_int(ask(p, n, 'c', 10, 200, OCI_DEV_R | OCI_DEV_W), 0, "podman: tun rw denied (r)");
	{
		const struct oci_dev_rule denyall[] = {{false, 'a', -1, -1, RWM}};
		const struct oci_dev_rule allowmid[] = {
			{true, 'c', 1, 3, RWM}, {true, 'a', -1, -1, RWM}, {false, 'b', 8, 0, RWM}};

		compare(denyall, 1, "deny all alone");
		compare(allowmid, 3, "allow all in the middle");
		n = devbpf_build(allowmid, 3, p);
		is_int(ask(p, n, 'b', 8, 0, OCI_DEV_R), 0, "allow all, then deny b 8:0: denied");
		is_int(ask(p, n, 'b', 8, 1, OCI_DEV_R), 1, "allow all: b 8:1 allowed");
	}
	compare(takeback, ARRAY_N(takeback), "take-back rules");
	n = devbpf_build(takeback, ARRAY_N(takeback), p);
	is_int(ask(p, n, 'c', 1, 3, OCI_DEV_R | OCI_DEV_W), 0, "deny w stops rw");
	is_int(ask(p, n, 'c', 1, 3, OCI_DEV_R), 1, "deny w leaves r");
	is_int(ask(p, n, 'b', 8, 1, OCI_DEV_R), 1, "the last rule wins: sdb1 r");
	is_int(ask(p, n, 'b', 8, 2, OCI_DEV_R), 0, "sdb2 denied");
	is_int(ask(p, n, 'c', 5, 0, RWM), 1, "a rule with no access matches nothing");
	compare(big, ARRAY_N(big), "2^32-1 as major and minor");
	n = devbpf_build(big, ARRAY_N(big), p);
	is_int(ask(p, n, 'c', 4294967295U, 4294967295U, RWM), 1, "major 2^32-1 matches");
	is_int(ask(p, n, 'c', 2147483647U, 4294967295U, RWM), 0, "major 2^31-1 does not");
	compare(devbpf_default_rules, devbpf_ndefault, "kbox's allowlist");
	n = devbpf_build(devbpf_default_rules, devbpf_ndefault, p);
	is_int(ask(p, n, 'c', 1, 3, RWM), 1, "allowlist: null");
	is_int(ask(p, n, 'c', 136, 7, RWM), 1, "allowlist: pts/7");
	is_int(ask(p, n, 'c', 5, 1, OCI_DEV_W), 0, "allowlist: not the console");
	is_int(ask(p, n, 'b', 8, 0, OCI_DEV_M), 0, "allowlist: no mknod of a disk");
	is_int(ask(p, n, 'b', 1, 3, OCI_DEV_R), 0, "allowlist: block 1:3 is not null");

	/* Random lists, a fixed seed: each read both ways. */
	srand(18);
	for (int round = 0; round < 200; round++) {
		static const int64_t nums[] = {-1, 0, 1, 3, 5, 136};
		static const char types[] = "abc";
		size_t nr = rand() % ARRAY_N(rnd);
		int okay;

		for (size_t i = 0; i < nr; i++)
			rnd[i] = (struct oci_dev_rule){rand() % 2, types[rand() % 3],
						       nums[rand() % ARRAY_N(nums)],
						       nums[rand() % ARRAY_N(nums)], rand() % 8};
		{
			struct bpf_insn *q = calloc(DEVBPF_INSNS(nr), sizeof(*q));
			size_t m = devbpf_build(rnd, nr, q);
			int bad = 0;

			for (int t = 0; t < 2; t++)
				for (size_t a = 1; a < ARRAY_N(nums); a++)
					for (size_t b = 1; b < ARRAY_N(nums); b++)
						for (unsigned acc = 1; acc <= RWM; acc++)
							bad += ask(q, m, "cb"[t], nums[a], nums[b],
								   acc) !=
							       reference(rnd, nr, "cb"[t], nums[a],
									 nums[b], acc);
			bad += !all_reached(q, m);
			free(q);
			okay = !bad;
		}
		if (!okay || round == 199)
			ok(okay, "random rule lists: 200 of them read alike (round %d)", round);
		if (!okay)
			break;
	}
}

static void test_oci_rules(void)
{
	struct oci_dev_rule rules[] = {{false, 'a', -1, -1, RWM}, {true, 'c', 4, 1, OCI_DEV_R}};
	struct oci_device devs[] = {{.path = "/dev/fuse", .type = 'c', .major = 10, .minor = 229},
				    {.path = "/dev/fifo", .type = 'p'}};
	struct spec_oci oci = {.dev_rules = rules, .ndev_rules = 2, .devices = devs, .ndevices = 2};
	struct oci_dev_rule *v;
	char err[256];
	size_t n;

	is_int(devbpf_oci_rules(&oci, &v, &n, err, sizeof(err)), 0, "merge");
	is_int(n, 2 + 2 + devbpf_ndefault, "the spec's, mknod, kbox's: none for a linux.devices node");
	is_int(v[0].allow, 0, "the spec's first");
	is_int(v[1].major, 4, "the spec's second");
	ok(v[2].allow && v[2].type == 'c' && v[2].major == -1 && v[2].minor == -1 &&
		   v[2].access == OCI_DEV_M,
	   "then allow c *:* m (runc's: the nodes are made from inside the cgroup)");
	ok(v[3].allow && v[3].type == 'b' && v[3].major == -1 && v[3].access == OCI_DEV_M,
	   "and b *:* m");
	is_int(memcmp(&v[n - 1], &devbpf_default_rules[devbpf_ndefault - 1], sizeof(*v)), 0,
	       "kbox's allowlist last");
	bool node = false;
	for (size_t i = 0; i < n; i++)
		node |= v[i].major == 10 && v[i].minor == 229;
	ok(!node, "no rule allows the linux.devices node c 10:229 (making it allows nothing)");
	free(v);
	rules[1].major = 4294967296LL;
	is_int(devbpf_oci_rules(&oci, &v, &n, err, sizeof(err)), -EINVAL, "major 2^32");
	is_str(err, "linux.resources.devices[1].major: 4294967296 is not a device number",
	       "major 2^32: the path and the reason");
	rules[1].major = -2;
	is_int(devbpf_oci_rules(&oci, &v, &n, err, sizeof(err)), -EINVAL, "major -2");
	rules[1].major = 4;
	rules[1].type = 'u';
	is_int(devbpf_oci_rules(&oci, &v, &n, err, sizeof(err)), -EINVAL, "type u");
}

int main(void)
{
	test_conversions();
	test_paths();
	test_bpf();
	test_oci_rules();
	return done();
}
