/* The parts of the OCI front end that live in files of their own, for oci_config.c to call:
 * process (oci_process.c), mounts (oci_mounts.c), linux (oci_linux.c), linux.resources
 * (oci_resources.c) and linux.seccomp (oci_seccomp.c). Internal to runtime/spec/oci*.c. */
#pragma once

#include "oci.h"
#include "oci_json.h"

/* process at PATH ("process", or "" for runc exec's file) into S and O. */
int oci_parse_process(struct oj *j, json_t *v, const char *path, struct spec *s,
		      struct spec_oci *o);
/* An array of NAME=value strings (process.env, a hook's env). */
int oci_parse_env(struct oj *j, json_t *v, const char *path, char ***ret);
/* Make spec_apply_image give the argv, env and workdir config.json gave, if it is called. */
int oci_keep_as_given(struct spec *s);
/* mounts, into O->mounts. */
int oci_parse_mounts(struct oj *j, json_t *v, struct spec_oci *o);
/* linux: namespaces, id maps, devices, resources, sysctl, masked and read-only paths,
 * propagation, time offsets, into S and O. */
int oci_parse_linux(struct oj *j, json_t *lx, struct spec *s, struct spec_oci *o);
/* linux.resources, into O->res and O->dev_rules. */
int oci_parse_resources(struct oj *j, json_t *res, struct spec_oci *o);
void oci_resources_free(struct spec_oci *o);
/* "rprivate" -> MS_PRIVATE | MS_REC (oci_mounts.c's table of mount options); 0 if not one. */
unsigned long oci_propagation(const char *name);
/* linux.seccomp at PATH into a new *RET. */
int oci_parse_seccomp(struct oj *j, json_t *v, const char *path, struct oci_seccomp **ret);
void oci_seccomp_free(struct oci_seccomp *sc);
