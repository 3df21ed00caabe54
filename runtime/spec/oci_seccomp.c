/* config.json's linux.seccomp, runtime-spec's filter: the default action, architectures,
 * flags and syscall rules with their argument conditions, by name; ociproc's seccomp.c
 * makes the filter of them. Pure code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "oci_parts.h"

/* SECCOMP_RET_DATA: what a filter can hand back as errno or a tracer's message. */
#define RET_DATA_MAX 0xffff

static const char *const actions[] = {
	[OCI_SC_KILL] = "SCMP_ACT_KILL",
	[OCI_SC_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
	[OCI_SC_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
	[OCI_SC_TRAP] = "SCMP_ACT_TRAP",
	[OCI_SC_ERRNO] = "SCMP_ACT_ERRNO",
	[OCI_SC_TRACE] = "SCMP_ACT_TRACE",
	[OCI_SC_ALLOW] = "SCMP_ACT_ALLOW",
	[OCI_SC_LOG] = "SCMP_ACT_LOG",
	[OCI_SC_NOTIFY] = "SCMP_ACT_NOTIFY",
};

static const char *const ops[] = {
	[OCI_SC_NE] = "SCMP_CMP_NE",
	[OCI_SC_LT] = "SCMP_CMP_LT",
	[OCI_SC_LE] = "SCMP_CMP_LE",
	[OCI_SC_EQ] = "SCMP_CMP_EQ",
	[OCI_SC_GE] = "SCMP_CMP_GE",
	[OCI_SC_GT] = "SCMP_CMP_GT",
	[OCI_SC_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

/* libseccomp's names, as runtime-spec lists them. */
static const char *const archs[] = {
	"SCMP_ARCH_X86",     "SCMP_ARCH_X86_64",   "SCMP_ARCH_X32",	    "SCMP_ARCH_ARM",
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",	   "SCMP_ARCH_MIPS64",	    "SCMP_ARCH_MIPS64N32",
	"SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
	"SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",  "SCMP_ARCH_S390",	    "SCMP_ARCH_S390X",
	"SCMP_ARCH_PARISC",  "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",	    "SCMP_ARCH_LOONGARCH64",
	"SCMP_ARCH_M68K",    "SCMP_ARCH_SH",	   "SCMP_ARCH_SHEB",
};

static const struct {
	const char *name;
	unsigned flag;
} flags[] = {
	/* runc synchronises every thread always: TSYNC asks for what is done anyway. */
	{"SECCOMP_FILTER_FLAG_TSYNC", 0},
	{"SECCOMP_FILTER_FLAG_LOG", OCI_SC_FLAG_LOG},
	{"SECCOMP_FILTER_FLAG_SPEC_ALLOW", OCI_SC_FLAG_SPEC_ALLOW},
	{"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", OCI_SC_FLAG_WAIT_KILLABLE},
};

/* The index of the string V among the N WORDS, or a message naming PATH. */
static int pick(struct oj *j, json_t *v, const char *path, const char *const *words, size_t n,
		const char *what, int *ret)
{
	char *s = NULL, b[OJ_SHOW];
	int r = oj_need(j, v, path);

	if (r == 0)
		r = oj_str(j, v, path, &s);
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (words[i] && strcmp(s, words[i]) == 0) {
			*ret = i;
			free(s);
			return 0;
		}
	}
	if (r == 0)
		r = oj_fail(j, path, "'%s' is not %s", oj_shows(s, b), what);
	free(s);
	return r;
}

/* errnoRet goes with the actions that return something: ERRNO and TRACE. */
static int get_ret(struct oj *j, json_t *v, const char *path, enum oci_sc_action a, unsigned *ret)
{
	uint32_t n = 1; /* EPERM */

	if (!oj_absent(v) && a != OCI_SC_ERRNO && a != OCI_SC_TRACE)
		return oj_fail(j, path, "only for SCMP_ACT_ERRNO and SCMP_ACT_TRACE");
	int r = oj_u32(j, v, path, RET_DATA_MAX, &n);

	*ret = n;
	return r;
}

static int parse_arg(struct oj *j, json_t *v, const char *path, struct oci_sc_arg *a)
{
	char p[OJ_PATH];
	uint32_t index = 0;
	int op = 0;
	int r = oj_object(j, v, path);

	if (r == 0)
		r = oj_need(j, v, path);
	if (r == 0)
		r = oj_need(j, json_object_get(v, "index"), oj_key(p, path, "index"));
	if (r == 0)
		r = oj_u32(j, json_object_get(v, "index"), p, 5, &index);
	if (r == 0)
		r = oj_need(j, json_object_get(v, "value"), oj_key(p, path, "value"));
	if (r == 0)
		r = oj_u64(j, json_object_get(v, "value"), p, UINT64_MAX, &a->value);
	if (r == 0)
		r = oj_u64(j, json_object_get(v, "valueTwo"), oj_key(p, path, "valueTwo"),
			   UINT64_MAX, &a->value_two);
	if (r == 0)
		r = pick(j, json_object_get(v, "op"), oj_key(p, path, "op"), ops, ARRAY_SIZE(ops),
			 "a comparison like SCMP_CMP_EQ", &op);
	a->index = index;
	a->op = op;
	return r;
}

static int parse_rule(struct oj *j, json_t *v, const char *path, struct oci_sc_rule *rule)
{
	char p[OJ_PATH], q[OJ_PATH];
	json_t *args, *e;
	int action = 0;
	size_t i;
	int r = oj_object(j, v, path);

	if (r == 0)
		r = oj_need(j, v, path);
	if (r == 0)
		r = oj_need(j, json_object_get(v, "names"), oj_key(p, path, "names"));
	if (r == 0)
		r = oj_strv(j, json_object_get(v, "names"), p, &rule->names);
	if (r == 0 && !rule->names[0])
		r = oj_fail(j, p, "empty: a rule names one system call at least");
	for (i = 0; r == 0 && rule->names[i]; i++)
		if (!rule->names[i][0])
			r = oj_fail(j, oj_idx(q, p, i), "empty");
	if (r == 0)
		r = pick(j, json_object_get(v, "action"), oj_key(p, path, "action"), actions,
			 ARRAY_SIZE(actions), "an action like SCMP_ACT_ERRNO", &action);
	rule->action = action;
	if (r == 0)
		r = get_ret(j, json_object_get(v, "errnoRet"), oj_key(p, path, "errnoRet"),
			    rule->action, &rule->errno_ret);
	args = json_object_get(v, "args");
	if (r == 0)
		r = oj_array(j, args, oj_key(p, path, "args"));
	if (r < 0 || oj_absent(args))
		return r;
	rule->args = calloc(json_array_size(args) + 1, sizeof(*rule->args));
	if (!rule->args)
		return -ENOMEM;
	json_array_foreach(args, i, e)
	{
		r = parse_arg(j, e, oj_idx(q, p, i), &rule->args[i]);
		if (r < 0)
			return r;
		rule->nargs++;
	}
	return 0;
}

static int parse_seccomp(struct oj *j, json_t *v, const char *path, struct oci_seccomp *sc)
{
	char p[OJ_PATH], q[OJ_PATH];
	char **names = NULL;
	json_t *rules, *e;
	int action = 0;
	size_t i;
	int r = pick(j, json_object_get(v, "defaultAction"), oj_key(p, path, "defaultAction"),
		     actions, ARRAY_SIZE(actions), "an action like SCMP_ACT_ERRNO", &action);

	sc->default_action = action;
	if (r == 0)
		r = get_ret(j, json_object_get(v, "defaultErrnoRet"),
			    oj_key(p, path, "defaultErrnoRet"), sc->default_action,
			    &sc->default_errno);
	if (r == 0)
		r = oj_strv(j, json_object_get(v, "architectures"),
			    oj_key(p, path, "architectures"), &sc->archs);
	if (r == 0 && !sc->archs && !(sc->archs = calloc(1, sizeof(char *))))
		r = -ENOMEM;
	for (i = 0; r == 0 && sc->archs[i]; i++) {
		int a;

		r = pick(j, json_array_get(json_object_get(v, "architectures"), i), oj_idx(q, p, i),
			 archs, ARRAY_SIZE(archs), "an architecture like SCMP_ARCH_X86_64", &a);
	}
	if (r == 0)
		r = oj_strv(j, json_object_get(v, "flags"), oj_key(p, path, "flags"), &names);
	for (i = 0; r == 0 && names && names[i]; i++) {
		size_t f = 0;

		while (f < ARRAY_SIZE(flags) && strcmp(names[i], flags[f].name) != 0)
			f++;
		if (f == ARRAY_SIZE(flags))
			r = oj_fail(j, oj_idx(q, p, i), "'%s' is not a flag kbox knows", names[i]);
		else
			sc->flags |= flags[f].flag;
	}
	strv_free(names);
	/* The listener would get a file descriptor that kbox has no way to hand over. */
	if (r == 0 && !oj_absent(json_object_get(v, "listenerPath")))
		r = oj_fail(j, oj_key(p, path, "listenerPath"),
			    "seccomp notification listeners are not supported");
	rules = json_object_get(v, "syscalls");
	if (r == 0)
		r = oj_array(j, rules, oj_key(p, path, "syscalls"));
	if (r < 0 || oj_absent(rules))
		return r;
	sc->rules = calloc(json_array_size(rules) + 1, sizeof(*sc->rules));
	if (!sc->rules)
		return -ENOMEM;
	json_array_foreach(rules, i, e)
	{
		sc->nrules++;
		r = parse_rule(j, e, oj_idx(q, p, i), &sc->rules[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

int oci_parse_seccomp(struct oj *j, json_t *v, const char *path, struct oci_seccomp **ret)
{
	struct oci_seccomp *sc;
	int r = oj_object(j, v, path);

	if (r < 0)
		return r;
	sc = calloc(1, sizeof(*sc));
	if (!sc)
		return -ENOMEM;
	*ret = sc;
	return parse_seccomp(j, v, path, sc);
}

void oci_seccomp_free(struct oci_seccomp *sc)
{
	if (!sc)
		return;
	strv_free(sc->archs);
	for (size_t i = 0; i < sc->nrules; i++) {
		strv_free(sc->rules[i].names);
		free(sc->rules[i].args);
	}
	free(sc->rules);
	free(sc);
}
