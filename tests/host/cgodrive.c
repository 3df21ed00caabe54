/* cgodrive: runtime/cgroup_oci.c driven by hand for tests/host/oci-cgroup.t.
 *
 *   cgodrive path CGROUPSPATH|- ID    print cgo_path's answer
 *   cgodrive create ID CGROUPSPATH|- [KEY=VALUE...]
 *                                     cgo_create with linux.resources built from the
 *                                     KEYs: limit swap reservation swappiness oom shares
 *                                     quota period cpus mems pids blkio unified=FILE=VAL
 *                                     dev=allow|deny:TYPE:MAJOR:MINOR:ACCESS (-1: any)
 *                                     huge=PAGESIZE:LIMIT (a uint64);
 *                                     prints the path
 *   cgodrive join PATH CMD...         cgo_join itself, then exec CMD
 *   cgodrive pids|freeze|thaw|frozen|remove PATH
 *   cgodrive kill PATH SIG
 *   cgodrive unified                  "v2" or "v1"
 * Exit 0 on success, 1 with the library's message on stderr.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../runtime/cgroup_oci.h"
#include "../../runtime/spec/oci.h"

static int64_t num(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || end == s) {
		fprintf(stderr, "cgodrive: '%s' is not an int64\n", s);
		exit(2);
	}
	return v;
}

static void add_rule(struct spec_oci *oci, char *arg)
{
	char *allow = strtok(arg, ":"), *type = strtok(NULL, ":"), *maj = strtok(NULL, ":"),
	     *min = strtok(NULL, ":"), *acc = strtok(NULL, ":");
	struct oci_dev_rule r = {0};

	if (!acc) {
		fprintf(stderr, "cgodrive: dev=allow|deny:TYPE:MAJOR:MINOR:ACCESS\n");
		exit(2);
	}
	r.allow = !strcmp(allow, "allow");
	r.type = type[0];
	r.major = num(maj);
	r.minor = num(min);
	r.access = (strchr(acc, 'r') ? OCI_DEV_R : 0) | (strchr(acc, 'w') ? OCI_DEV_W : 0) |
		   (strchr(acc, 'm') ? OCI_DEV_M : 0);
	oci->dev_rules = realloc(oci->dev_rules, (oci->ndev_rules + 1) * sizeof(r));
	oci->dev_rules[oci->ndev_rules++] = r;
}

static void set(struct spec_oci *oci, char *kv, size_t *nunified)
{
	struct oci_resources *r = &oci->res;
	char *v = strchr(kv, '=');

	if (!v) {
		fprintf(stderr, "cgodrive: '%s' is not KEY=VALUE\n", kv);
		exit(2);
	}
	*v++ = '\0';
	if (!strcmp(kv, "limit"))
		r->has_memory_limit = true, r->memory_limit = num(v);
	else if (!strcmp(kv, "swap"))
		r->has_memory_swap = true, r->memory_swap = num(v);
	else if (!strcmp(kv, "reservation"))
		r->has_memory_reservation = true, r->memory_reservation = num(v);
	else if (!strcmp(kv, "swappiness"))
		r->has_swappiness = true, r->swappiness = (uint64_t)num(v);
	else if (!strcmp(kv, "oom"))
		r->disable_oom_killer = num(v);
	else if (!strcmp(kv, "shares"))
		r->has_cpu_shares = true, r->cpu_shares = (uint64_t)num(v);
	else if (!strcmp(kv, "quota"))
		r->has_cpu_quota = true, r->cpu_quota = num(v);
	else if (!strcmp(kv, "period"))
		r->has_cpu_period = true, r->cpu_period = (uint64_t)num(v);
	else if (!strcmp(kv, "cpus"))
		r->cpus = v;
	else if (!strcmp(kv, "mems"))
		r->mems = v;
	else if (!strcmp(kv, "pids"))
		r->has_pids = true, r->pids_limit = num(v);
	else if (!strcmp(kv, "blkio"))
		r->blkio_weight = (uint16_t)num(v);
	else if (!strcmp(kv, "unified")) {
		r->unified = realloc(r->unified, (*nunified + 2) * sizeof(char *));
		r->unified[(*nunified)++] = v;
		r->unified[*nunified] = NULL;
	} else if (!strcmp(kv, "dev"))
		add_rule(oci, v);
	else if (!strcmp(kv, "huge") && strchr(v, ':')) {
		struct oci_hugepage h = {0};

		snprintf(h.page, sizeof(h.page), "%.*s", (int)strcspn(v, ":"), v);
		h.limit = strtoull(strchr(v, ':') + 1, NULL, 10);
		r->hugepages = realloc(r->hugepages, (r->nhugepages + 1) * sizeof(h));
		r->hugepages[r->nhugepages++] = h;
	}
	else {
		fprintf(stderr, "cgodrive: unknown key '%s'\n", kv);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	static struct spec_oci oci;
	struct spec spec = {.oci = &oci};
	char path[PATH_MAX], err[256];
	size_t nunified = 0;
	const char *verb = argc > 1 ? argv[1] : "";
	int fd;

	if (!strcmp(verb, "unified")) {
		puts(cgo_unified() ? "v2" : "v1");
		return 0;
	}
	if (!strcmp(verb, "path") && argc == 4) {
		oci.cgroups_path = strcmp(argv[2], "-") ? argv[2] : NULL;
		if (cgo_path(&spec, argv[3], path, sizeof(path), err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		puts(path);
		return 0;
	}
	if (!strcmp(verb, "create") && argc >= 4) {
		spec.name = argv[2];
		oci.cgroups_path = strcmp(argv[3], "-") ? argv[3] : NULL;
		for (int i = 4; i < argc; i++)
			set(&oci, argv[i], &nunified);
		if (cgo_path(&spec, argv[2], path, sizeof(path), err, sizeof(err)) < 0) {
			fprintf(stderr, "%s: linux.cgroupsPath: %s\n", argv[2], err);
			return 1;
		}
		if (cgo_create(&spec, argv[2], path, &fd) < 0)
			return 1;
		puts(path);
		return 0;
	}
	if (!strcmp(verb, "join") && argc >= 4) {
		if (cgo_join(argv[2], getpid()) < 0)
			return 1;
		execvp(argv[3], argv + 3);
		perror(argv[3]);
		return 127;
	}
	if (!strcmp(verb, "pids") && argc == 3) {
		pid_t *pids;
		size_t n;

		if (cgo_pids(argv[2], &pids, &n) < 0)
			return 1;
		for (size_t i = 0; i < n; i++)
			printf("%d\n", (int)pids[i]);
		free(pids);
		return 0;
	}
	if ((!strcmp(verb, "freeze") || !strcmp(verb, "thaw")) && argc == 3)
		return cgo_freeze(argv[2], !strcmp(verb, "freeze")) < 0;
	if (!strcmp(verb, "frozen") && argc == 3) {
		puts(cgo_frozen(argv[2]) ? "paused" : "running");
		return 0;
	}
	if (!strcmp(verb, "remove") && argc == 3) {
		int r = cgo_remove(argv[2]);

		if (r < 0)
			fprintf(stderr, "cgodrive: remove: %s\n", strerror(-r));
		return r < 0;
	}
	if (!strcmp(verb, "kill") && argc == 4)
		return cgo_kill(argv[2], (int)num(argv[3])) < 0;
	fprintf(stderr, "cgodrive: see the comment at the top of tests/host/cgodrive.c\n");
	return 2;
}
