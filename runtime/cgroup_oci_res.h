/* linux.resources written into a bundle's cgroup: cgroup_oci.c's half that knows the files. */
#pragma once

#include <stdbool.h>

#include "spec/oci.h"

/* Check every value before anything is created: 0, or -EINVAL logged as
 * "ID: linux.resources.KEY: reason". V2: the host is cgroup v2. */
int cgo_res_check(const char *id, const struct spec_oci *oci, bool v2);
/* Write what belongs to the v1 hierarchy of controllers CTLS ("memory", "cpu,cpuacct") into
 * its leaf DFD; the device rules with DEVICES only (update leaves them as create set them). */
int cgo_res_v1(const char *id, const struct spec_oci *oci, const char *ctls, int dfd, bool devices);
/* Write everything into the v2 leaf DFD (an O_RDONLY directory: the device program's
 * target too, with DEVICES). */
int cgo_res_v2(const char *id, const struct spec_oci *oci, int dfd, bool devices);
/* Does the comma-separated CTLS name controller C? */
bool cgo_has_ctl(const char *ctls, const char *c);
/* linux.resources.hugepageLimits into the leaf DFD of the hierarchy that has hugetlb (V2:
 * a v2 one, a hybrid host's unified one too): hugetlb.SIZE.max or .limit_in_bytes, and
 * .rsvd.* where the kernel has it. A size without its file: -EINVAL naming [N].pageSize. */
int cgo_res_huge(const char *id, const struct oci_resources *r, int dfd, bool v2);
