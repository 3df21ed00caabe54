/* linux.resources.hugepageLimits written into a bundle's cgroup, as runc 1.1 does: per page
 * size the limit and, where the kernel has it, the reservation limit alike. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "cgroup_oci_res.h"

#define KEY "linux.resources.hugepageLimits"

/* FILE of the leaf DFD set to V; -ENOENT unlogged when the kernel has no such file. */
static int huge_put(int dfd, const char *id, size_t i, const char *file, uint64_t v)
{
	_cleanup_close_ int fd = openat(dfd, file, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	char val[32];

	if (fd < 0 && errno == ENOENT)
		return -ENOENT;
	if (fd < 0)
		return log_errno(-errno, "%s: " KEY "[%zu]: cannot open %s", id, i, file);
	snprintf(val, sizeof(val), "%" PRIu64, v);
	if (write_all(fd, val, strlen(val)) < 0)
		return log_errno(-errno, "%s: " KEY "[%zu]: cannot write '%s' to %s", id, i, val,
				 file);
	return 0;
}

int cgo_res_huge(const char *id, const struct oci_resources *r, int dfd, bool v2)
{
	_cleanup_free_ char *ctls = NULL;

	if (!r->nhugepages)
		return 0;
	/* v2: the parent hands the controller down, or none of its files is here. */
	if (v2 && read_file(dfd, "cgroup.controllers", &ctls, NULL) >= 0) {
		for (char *c = ctls; *c; c++)
			if (*c == ' ' || *c == '\n')
				*c = ',';
	}
	if (v2 && (!ctls || !cgo_has_ctl(ctls, "hugetlb"))) {
		log_msg("%s: " KEY ": the hugetlb controller is not enabled for this cgroup "
			"(its parent's cgroup.subtree_control)",
			id);
		return -EOPNOTSUPP;
	}
	for (size_t i = 0; i < r->nhugepages; i++) {
		const struct oci_hugepage *h = &r->hugepages[i];
		char file[64], rsvd[64];
		int e;

		snprintf(file, sizeof(file), "hugetlb.%s.%s", h->page, v2 ? "max" : "limit_in_bytes");
		snprintf(rsvd, sizeof(rsvd), "hugetlb.%s.rsvd.%s", h->page,
			 v2 ? "max" : "limit_in_bytes");
		e = huge_put(dfd, id, i, file, h->limit);
		if (e == -ENOENT) {
			log_msg("%s: " KEY "[%zu].pageSize: this kernel has no %s huge pages (no %s)",
				id, i, h->page, file);
			return -EINVAL;
		}
		/* The reservation limit is newer (5.7): written where it exists, as runc does. */
		if (!e && (e = huge_put(dfd, id, i, rsvd, h->limit)) == -ENOENT)
			e = 0;
		if (e)
			return e;
	}
	return 0;
}
