/* seccomp_bpf: runs kbox's default filters, as generated, through a classic-BPF interpreter
 * for every call number, architecture and the arguments that matter, and checks each
 * answer against the lists in runtime/seccomp.c. TAP on stdout. */
#include "../../runtime/seccomp.c"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>

static int n_tests, n_failed;

static void ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++n_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	n_failed += !cond;
}

/* The few opcodes kbox emits; anything else fails the run. */
static uint32_t run(const struct seccomp_bpf *b, uint32_t arch, uint32_t nr, uint64_t arg0)
{
	struct seccomp_data d = {.nr = nr, .arch = arch, .args = {arg0}};
	uint32_t a = 0;

	for (size_t pc = 0; pc < b->len; pc++) {
		const struct sock_filter *f = &b->insns[pc];

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k > sizeof(d) - 4)
				return 1;
			memcpy(&a, (char *)&d + f->k, 4);
			break;
		case BPF_RET | BPF_K:
			return f->k;
		case BPF_JMP | BPF_JA:
			pc += f->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == f->k ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			pc += a > f->k ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= f->k ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += a & f->k ? f->jt : f->jf;
			break;
		default:
			return 1;
		}
	}
	return 1; /* ran off the end: the kernel's verifier would refuse it */
}

#define ALLOW SECCOMP_RET_ALLOW
#define EPERM_ (SECCOMP_RET_ERRNO | EPERM)
#define ENOSYS_ (SECCOMP_RET_ERRNO | ENOSYS)

static int nr_of(const char *name)
{
	char err[128];
	int nr = resolve(name, err, sizeof(err));

	if (nr < 0) {
		fprintf(stderr, "seccomp_bpf: %s\n", err);
		exit(1);
	}
	return nr;
}

/* What the lists say for a call without arguments that matter. */
static uint32_t expected(int nr, uint64_t caps)
{
	uint32_t want = EPERM_;

	for (const char *p = allowed; *p; p += strspn(p, " ")) {
		char name[32];
		size_t n = strcspn(p, " ");

		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		if (nr_of(name) == nr)
			want = ALLOW;
		p += n;
	}
	for (size_t i = 0; i < ARRAY_SIZE(ptrace_calls); i++)
		if (nr_of(ptrace_calls[i]) == nr)
			want = ALLOW;
	for (size_t i = 0; i < ARRAY_SIZE(allowed_with); i++)
		if (nr_of(allowed_with[i].name) == nr && (caps & allowed_with[i].caps))
			want = ALLOW;
	if (nr == nr_of("clone3") && !(caps & CAP(CAP_SYS_ADMIN)))
		want = ENOSYS_;
	return want;
}

static void check(const char *what, uint64_t caps)
{
	static struct seccomp_bpf b;
	struct spec spec = {.seccomp = "default"};
	char err[256] = "";
	int wrong = 0, allowed_n = 0, sock = nr_of("socket"), pers = nr_of("personality"),
	    clone = nr_of("clone");
	bool admin = caps & CAP(CAP_SYS_ADMIN);
	int r = seccomp_build(&spec, caps, NULL, &b, err, sizeof(err));

	ok(r == 0 && b.len > 0, "%s: a filter of %u instructions%s%s", what, b.len,
	   *err ? ": " : "", err);
	for (int nr = 0; nr <= LAST_KNOWN_NR; nr++) {
		uint32_t got = run(&b, AUDIT_ARCH_X86_64, nr, 0);

		if (nr == sock || nr == pers || (nr == clone && !admin))
			continue;
		allowed_n += got == ALLOW;
		if (got != expected(nr, caps)) {
			printf("# %s: call %d: %#x, not %#x\n", what, nr, got, expected(nr, caps));
			wrong++;
		}
	}
	ok(!wrong, "%s: every call up to %d as the lists say (%d allowed)", what, LAST_KNOWN_NR,
	   allowed_n);
	for (uint64_t fam = 0; fam < 64; fam++) {
		uint32_t want = fam <= 45 && fam != 38 && fam != 40 ? ALLOW : EPERM_;

		wrong += run(&b, AUDIT_ARCH_X86_64, sock, fam) != want;
		wrong += run(&b, AUDIT_ARCH_X86_64, sock, fam | 1ULL << 32) != EPERM_;
		wrong += run(&b, AUDIT_ARCH_X86_64, sock, fam | 0xffffffff00000000ULL) != EPERM_;
	}
	ok(!wrong, "%s: socket: families 0-45 but AF_ALG and AF_VSOCK, no high bits", what);
	for (int bit = 0; bit < 64; bit++) {
		uint64_t v = 1ULL << bit;
		uint32_t want = v == 8 || v == 0x20000 ? ALLOW : EPERM_;

		/* the kernel takes the low 32 bits of the persona */
		wrong += run(&b, AUDIT_ARCH_X86_64, pers, v) != (bit >= 32 ? ALLOW : want);
	}
	/* Two bits: only PER_LINUX32 with UNAME26. */
	for (int a = 0; a < 32; a++)
		for (int c = a + 1; c < 32; c++) {
			uint64_t v = 1ULL << a | 1ULL << c;

			wrong += run(&b, AUDIT_ARCH_X86_64, pers, v) !=
				 (v == 0x20008 ? ALLOW : EPERM_);
		}
	wrong += run(&b, AUDIT_ARCH_X86_64, pers, 0xfffffffe) != EPERM_;
	wrong += run(&b, AUDIT_ARCH_X86_64, pers, 0) != ALLOW;
	wrong += run(&b, AUDIT_ARCH_X86_64, pers, 0x20008) != ALLOW;
	wrong += run(&b, AUDIT_ARCH_X86_64, pers, 0xffffffff) != ALLOW;
	wrong += run(&b, AUDIT_ARCH_X86_64, pers, 0x0400000) != EPERM_;
	ok(!wrong, "%s: personality: Docker's five personas only", what);
	for (int bit = 0; bit < 64; bit++) {
		uint64_t v = 1ULL << bit | SIGCHLD;
		bool ns = bit < 32 && (1UL << bit) & 0x7e020000;

		wrong += run(&b, AUDIT_ARCH_X86_64, clone, v) != (ns && !admin ? EPERM_ : ALLOW);
	}
	ok(!wrong, "%s: clone: %s", what, admin ? "any flags" : "no namespace flag");
	wrong += run(&b, AUDIT_ARCH_X86_64, LAST_KNOWN_NR + 1, 0) != ENOSYS_;
	wrong += run(&b, AUDIT_ARCH_X86_64, 0x3fffffff, 0) != ENOSYS_;
	wrong += run(&b, AUDIT_ARCH_X86_64, 0xffffffff, 0) != EPERM_;
	wrong += run(&b, AUDIT_ARCH_X86_64, 0x40000000 | 39, 0) != SECCOMP_RET_KILL_PROCESS;
	wrong += run(&b, AUDIT_ARCH_I386, 20, 0) != SECCOMP_RET_KILL_PROCESS;
	ok(!wrong, "%s: ENOSYS past %d, EPERM for -1, i386 and x32 killed", what, LAST_KNOWN_NR);
}

/* Many short runs: the tree's jumps outgrow 255 instructions and take a ja. */
static void check_far_jumps(void)
{
	static struct seccomp_bpf b;
	static struct run runs[LAST_KNOWN_NR + 1];
	size_t n = 0;
	int wrong = 0, ja = 0;

	for (int nr = 0; nr <= LAST_KNOWN_NR; nr++)
		runs[nr] = (struct run){nr, nr % 3 == 0 ? ACT_ALLOW
					    : nr % 5	? ACT_EPERM
							: ACT_SOCKET};
	emit(&b, &n, head, ARRAY_SIZE(head));
	emit_tree(&b, &n, runs, 0, LAST_KNOWN_NR);
	b.len = n;
	for (size_t i = 0; i < b.len; i++)
		ja += b.insns[i].code == (BPF_JMP | BPF_JA);
	for (int nr = 0; nr <= LAST_KNOWN_NR; nr++) {
		uint32_t want = runs[nr].act == ACT_ALLOW ? ALLOW : EPERM_;

		wrong += run(&b, AUDIT_ARCH_X86_64, nr, 40) != want;
		if (runs[nr].act == ACT_SOCKET)
			want = ALLOW;
		wrong += run(&b, AUDIT_ARCH_X86_64, nr, 2) != want;
	}
	ok(ja > 0 && !wrong, "a tree of %zu instructions with %d far jumps finds every run", n, ja);
}

int main(void)
{
	const uint64_t docker = 0xa80425fb; /* Docker's default capability set */

	check("Docker's caps", docker);
	check("+SYS_ADMIN", docker | CAP(CAP_SYS_ADMIN));
	check("+SYS_PTRACE", docker | CAP(CAP_SYS_PTRACE));
	check("no caps", 0);
	check("all caps", ~0ULL);
	check_far_jumps();
	printf("1..%d\n", n_tests);
	return n_failed != 0;
}
