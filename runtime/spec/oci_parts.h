/* The parts of the OCI front end that live in files of their own, for oci.c to call:
 * linux (oci_linux.c) and linux.seccomp (oci_seccomp.c). Internal to runtime/spec/oci*.c. */
#pragma once

#include "oci.h"
#include "oci_json.h"

/* linux: namespaces, id maps, devices, resources, sysctl, masked and read-only paths,
 * propagation, time offsets, into S and O. */
int oci_parse_linux(struct oj *j, json_t *lx, struct spec *s, struct spec_oci *o);
/* linux.resources, into O->res and O->dev_rules. */
int oci_parse_resources(struct oj *j, json_t *res, struct spec_oci *o);
void oci_resources_free(struct spec_oci *o);
/* "rprivate" -> MS_PRIVATE | MS_REC (oci.c's table of mount options); 0 if not one. */
unsigned long oci_propagation(const char *name);
/* linux.seccomp at PATH into a new *RET. */
int oci_parse_seccomp(struct oj *j, json_t *v, const char *path, struct oci_seccomp **ret);
void oci_seccomp_free(struct oci_seccomp *sc);
