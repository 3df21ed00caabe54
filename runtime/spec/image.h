/* The image config front end of the spec: an image's record (IMAGES/NAME.json, which the
 * importer writes beside the tree) parsed, and its config applied to a spec as defaults,
 * by Docker's rules. Pure code. */
#pragma once

#include <stddef.h>

#include "spec.h"

/* The record's version that image_record_parse reads ("kbox_image": 1). */
#define IMAGE_RECORD_VERSION 1
/* Entries of Entrypoint, Cmd, Env, ExposedPorts and Labels a record may have: a real image
 * has tens. Merging Env is quadratic, and PID 1 applies a record before every start. */
#define IMAGE_LIST_MAX 4096
/* The record's size, in the appliance and at import. */
#define IMAGE_RECORD_MAX (4 << 20)

struct image_label {
	char *key, *value;
};

/* A record: the image's identity, and the keys of its config kbox uses. A string or a
 * vector that the record leaves out, or gives as null, is NULL. */
struct image_config {
	char *name;	     /* as the spec names it */
	char *source;	     /* "oci-archive:web.tar" */
	char *digest;	     /* "sha256:" and 64 hex digits: the manifest's, a tar file's */
	char *config_digest; /* the image config's */
	char *created;	     /* "2026-11-30T10:00:00Z" */
	long long size;	     /* bytes of its files, each counted once */
	long long layers;
	char **entrypoint, **cmd; /* words; [] is an empty vector */
	char **env;		  /* NAME=value, one entry a name (a later one replaces) */
	char *workdir;		  /* absolute; "" in the record is NULL */
	char *user;		  /* as the user key writes it ("1000:1000", "nginx") */
	int stop_signal;	  /* 0: none */
	char **exposed_ports;	  /* "80/tcp", in the record's order */
	struct image_label *labels;
	size_t nlabels;
};

/*
 * Parse the LEN bytes of a record into IC (which the caller frees with image_config_free,
 * whatever the result). Unknown keys are ignored; JSON that does not parse (with jansson's
 * line:column), a key of the wrong type, and values the spec would refuse (a StopSignal
 * that is no signal, a relative WorkingDir, an Env entry without '=' or a name, a User
 * the user key refuses) are errors naming the key's path ("config.Env[2]: expected a
 * string"). Returns 0, -EINVAL with the reason in err, or -ENOMEM.
 */
int image_record_parse(const char *json, size_t len, struct image_config *ic, char *err,
		       size_t errlen);
/* Free what IC holds, and zero it. */
void image_config_free(struct image_config *ic);

/*
 * Make what S runs from its keys and IC (NULL: the image has no record), into s->argv,
 * s->run_env and s->image_config, and workdir, user and stop_signal where no source set
 * them. With an entrypoint in the spec, the argv is it and the spec's cmd (the image's Cmd
 * is dropped); else the image's Entrypoint and the spec's cmd, or the image's Cmd. The
 * image's Env comes first, the spec's env replaces it name by name. An empty argv is "sh"
 * for an image without a record, an error for one with. Only ever reads the spec's keys:
 * applied again (a restart, another record), it starts from them. On an error S is as it
 * was. Returns 0, -EINVAL with the reason in err ("web: ..."), or -ENOMEM.
 */
int spec_apply_image(struct spec *s, const struct image_config *ic, char *err, size_t errlen);
