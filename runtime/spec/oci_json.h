/* How the OCI front end reads jansson's values: typed getters that name the JSON path of
 * what is wrong ("config.json: mounts[3].destination: reason"), and integers past int64,
 * which jansson cannot hold, kept aside so that full uint64 values (rlimits, seccomp
 * arguments) read exactly. Internal to runtime/spec/oci*.c. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A JSON path as messages name it; a longer one is cut with "...". */
#define OJ_PATH 160

/* An integer of the text beyond int64, which the text now gives jansson as a marked
 * string (see oj_load). */
struct oj_big {
	const char *digits; /* in the caller's text: '-'? and digits */
	size_t len;
};

struct oj {
	const char *file; /* "config.json" */
	char *err;
	int errlen;
	struct oj_big *bigs;
	size_t nbigs;
};

/* A string of the config in a message: control bytes escaped, cut at 80 bytes. */
#define OJ_SHOW 128
const char *oj_shows(const char *s, char *buf);

int oj_fail(struct oj *j, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* PARENT.KEY and PARENT[I] into BUF (OJ_PATH bytes); PARENT "" gives KEY alone. */
const char *oj_key(char *buf, const char *parent, const char *key);
const char *oj_idx(char *buf, const char *parent, size_t i);

/* Parse TEXT with JSON_REJECT_DUPLICATES into *RET (an object), integers past int64
 * included. Returns 0, -EINVAL (err set: jansson's line and column), or -ENOMEM. */
int oj_load(struct oj *j, const char *text, size_t len, json_t **ret);
void oj_done(struct oj *j);

/* Missing and null are the same (Go's decoding of OCI configs reads null as absent). */
static inline bool oj_absent(const json_t *v)
{
	return !v || json_is_null(v);
}

/* The getters: 0 or -EINVAL with the path and reason. An absent value leaves *ret as it is
 * and returns 0, but for oj_need. */
int oj_need(struct oj *j, json_t *v, const char *path);
int oj_object(struct oj *j, json_t *v, const char *path);
int oj_array(struct oj *j, json_t *v, const char *path);
int oj_str(struct oj *j, json_t *v, const char *path, char **ret);
int oj_bool(struct oj *j, json_t *v, const char *path, bool *ret);
int oj_int(struct oj *j, json_t *v, const char *path, int64_t min, int64_t max, int64_t *ret);
int oj_u64(struct oj *j, json_t *v, const char *path, uint64_t max, uint64_t *ret);
int oj_u32(struct oj *j, json_t *v, const char *path, uint32_t max, uint32_t *ret);
/* An array of strings (each without NUL); a new vector, empty for []. */
int oj_strv(struct oj *j, json_t *v, const char *path, char ***ret);
/* An object of strings, as "key=value" entries; keys may not hold '=' or be empty. */
int oj_strmap(struct oj *j, json_t *v, const char *path, char ***ret);
/* Refuse KEY of OBJ (at PARENT) with WHY when it is set: not absent, null, [] or {}. */
int oj_refuse(struct oj *j, json_t *obj, const char *parent, const char *key, const char *why);
/* An absolute path without a ".." component. */
int oj_abspath(struct oj *j, json_t *v, const char *path, char **ret);
bool oj_path_ok(const char *p);
