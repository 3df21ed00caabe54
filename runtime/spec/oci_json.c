/* The OCI front end's reading of JSON: jansson's values checked by type and range, each
 * error naming its path, and integers past int64 kept exactly beside jansson. */
#include "oci_json.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../lib/util.h"
#include "oci.h"

int oj_fail(struct oj *j, const char *path, const char *fmt, ...)
{
	char reason[512], msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (path && *path)
		snprintf(msg, sizeof(msg), "%s: %s: %s", j->file, path, reason);
	else
		snprintf(msg, sizeof(msg), "%s: %s", j->file, reason);
	/* jansson's "near '...'" quotes the text as it is: no control byte reaches a log. */
	str_escape(j->err, j->errlen, msg, strlen(msg));
	return -EINVAL;
}

/* A key of garbage is shown escaped and cut, so that the reason still fits. */
const char *oj_key(char *buf, const char *parent, const char *key)
{
	char k[64];
	size_t n = strlen(key);

	str_escape(k, sizeof(k) - 4, key, n > 48 ? 48 : n);
	if (n > 48)
		strcat(k, "...");
	snprintf(buf, OJ_PATH, "%s%s%s", parent, *parent ? "." : "", k);
	return buf;
}

const char *oj_idx(char *buf, const char *parent, size_t i)
{
	snprintf(buf, OJ_PATH, "%s[%zu]", parent, i);
	return buf;
}

const char *oj_shows(const char *s, char *buf)
{
	size_t n = strlen(s);

	str_escape(buf, OJ_SHOW - 4, s, n > 80 ? 80 : n);
	if (n > 80)
		strcat(buf, "...");
	return buf;
}

/* Past int64: "-"? [1-9][0-9]* beyond what jansson takes. */
static bool is_big(const char *t, size_t n)
{
	static const char max[] = "9223372036854775807", min[] = "9223372036854775808";
	bool neg = n && t[0] == '-';
	const char *d = t + neg;
	size_t dn = n - neg;

	if (dn == 0 || d[0] < '1' || d[0] > '9')
		return false;
	for (size_t i = 0; i < dn; i++)
		if (!isdigit((unsigned char)d[i]))
			return false;
	if (dn != 19)
		return dn > 19;
	return memcmp(d, neg ? min : max, 19) > 0;
}

static bool num_char(char c)
{
	return isdigit((unsigned char)c) || c == '+' || c == '-' || c == '.' || c == 'e' ||
	       c == 'E';
}

/*
 * jansson refuses integers past int64 ("too big integer"), and OCI has uint64 values.
 * Each such integer of the text becomes, in a copy, a string of the same length ("\u0001"
 * and its index among j->bigs, so that jansson's columns stay right); the getters read it
 * back from the original digits. A string of the text that starts with \u0001 could pass
 * for one, and no config needs such a string: it is refused.
 */
static int scan_bigs(struct oj *j, const char *t, size_t len, char **ret_copy)
{
	size_t i = 0, bol = 0;
	int line = 1;

	*ret_copy = NULL;
	while (i < len) {
		size_t s = i;

		if (t[i] == '\n') {
			line++;
			bol = ++i;
		} else if (t[i] == '"') {
			if (len - i > 6 && strncasecmp(t + i + 1, "\\u0001", 6) == 0)
				return oj_fail(j, NULL,
					       "line %d:%zu: a string that starts with \\u0001 is "
					       "not accepted",
					       line, i - bol + 1);
			for (i++; i < len && t[i] != '"'; i++)
				if (t[i] == '\\')
					i++;
			i++;
		} else if (num_char(t[i])) {
			while (i < len && num_char(t[i]))
				i++;
			if (is_big(t + s, i - s)) {
				struct oj_big *nb = realloc(j->bigs, (j->nbigs + 1) * sizeof(*nb));
				size_t w = i - s - 8;

				if (!nb)
					return -ENOMEM;
				j->bigs = nb;
				nb[j->nbigs] = (struct oj_big){t + s, i - s};
				if (!*ret_copy && !(*ret_copy = malloc(len + 1)))
					return -ENOMEM;
				if (*ret_copy && j->nbigs == 0)
					memcpy(*ret_copy, t, len);
				snprintf(*ret_copy + s, i - s + 1, "\"\\u0001%0*zu\"", (int)w,
					 j->nbigs);
				/* snprintf's NUL fell on the byte after the token: put it back. */
				if (i < len)
					(*ret_copy)[i] = t[i];
				j->nbigs++;
			}
		} else {
			i++;
		}
	}
	return 0;
}

int oj_load(struct oj *j, const char *text, size_t len, json_t **ret)
{
	_cleanup_free_ char *copy = NULL;
	json_error_t je;
	json_t *root;
	int r;

	*ret = NULL;
	if (len > OCI_CONFIG_MAX)
		return oj_fail(j, NULL, "%zu bytes, more than %d", len, OCI_CONFIG_MAX);
	r = scan_bigs(j, text, len, &copy);
	if (r < 0)
		return r;
	/* Two values for one key: which one the engine meant is anyone's guess. */
	root = json_loadb(copy ? copy : text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return oj_fail(j, NULL, "not valid JSON: line %d:%d: %s", je.line, je.column,
			       je.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return oj_fail(j, NULL, "expected an object");
	}
	*ret = root;
	return 0;
}

void oj_done(struct oj *j)
{
	free(j->bigs);
	j->bigs = NULL;
	j->nbigs = 0;
}

/* The integer past int64 that V stands for, or NULL. */
static const struct oj_big *big_of(struct oj *j, json_t *v)
{
	const char *s;
	unsigned long long i;
	char *end;

	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	if (s[0] != '\x01' || !isdigit((unsigned char)s[1]))
		return NULL;
	i = strtoull(s + 1, &end, 10);
	return !*end && i < j->nbigs ? &j->bigs[i] : NULL;
}

/* V as a message shows it: "64M" (quoted, escaped, cut), 1.5, null, an object. */
static const char *shown(struct oj *j, json_t *v, char *buf, size_t cap)
{
	const struct oj_big *b = big_of(j, v);

	if (b) {
		snprintf(buf, cap, "%.*s", (int)(b->len > 40 ? 40 : b->len), b->digits);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		char esc[96];

		str_escape(esc, sizeof(esc), s, n > 40 ? 40 : n);
		snprintf(buf, cap, "\"%s%s\"", esc, n > 40 ? "..." : "");
	} else if (json_is_integer(v)) {
		snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		snprintf(buf, cap, "%g", json_real_value(v));
	} else if (json_is_true(v) || json_is_false(v)) {
		snprintf(buf, cap, "%s", json_is_true(v) ? "true" : "false");
	} else if (json_is_null(v)) {
		snprintf(buf, cap, "null");
	} else {
		snprintf(buf, cap, "%s", json_is_object(v) ? "an object" : "an array");
	}
	return buf;
}

static int wrong(struct oj *j, json_t *v, const char *path, const char *what)
{
	char got[128];

	return oj_fail(j, path, "expected %s, got %s", what, shown(j, v, got, sizeof(got)));
}

int oj_need(struct oj *j, json_t *v, const char *path)
{
	return oj_absent(v) ? oj_fail(j, path, "missing") : 0;
}

int oj_object(struct oj *j, json_t *v, const char *path)
{
	return oj_absent(v) || json_is_object(v) ? 0 : wrong(j, v, path, "an object");
}

int oj_array(struct oj *j, json_t *v, const char *path)
{
	if (oj_absent(v))
		return 0;
	if (!json_is_array(v))
		return wrong(j, v, path, "an array");
	/* Every list is bounded: a config of a million mounts is an attack, not a container. */
	if (json_array_size(v) > OCI_LIST_MAX)
		return oj_fail(j, path, "%zu entries, more than %d", json_array_size(v),
			       OCI_LIST_MAX);
	return 0;
}

int oj_str(struct oj *j, json_t *v, const char *path, char **ret)
{
	char *s;

	if (oj_absent(v))
		return 0;
	if (!json_is_string(v) || big_of(j, v))
		return wrong(j, v, path, "a string");
	/* A NUL inside (\u0000) would cut the string where the kernel reads it. */
	if (strlen(json_string_value(v)) != json_string_length(v))
		return oj_fail(j, path, "a string with a NUL byte");
	s = strdup(json_string_value(v));
	if (!s)
		return -ENOMEM;
	free(*ret);
	*ret = s;
	return 0;
}

int oj_bool(struct oj *j, json_t *v, const char *path, bool *ret)
{
	if (oj_absent(v))
		return 0;
	if (!json_is_boolean(v))
		return wrong(j, v, path, "true or false");
	*ret = json_is_true(v);
	return 0;
}

static int out_of_range(struct oj *j, json_t *v, const char *path, const char *range)
{
	char got[128];

	return oj_fail(j, path, "%s is out of range (%s)", shown(j, v, got, sizeof(got)), range);
}

int oj_int(struct oj *j, json_t *v, const char *path, int64_t min, int64_t max, int64_t *ret)
{
	char range[64];

	if (oj_absent(v))
		return 0;
	snprintf(range, sizeof(range), "%" PRId64 "..%" PRId64, min, max);
	if (big_of(j, v))
		return out_of_range(j, v, path, range);
	if (!json_is_integer(v))
		return wrong(j, v, path, "an integer");
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return out_of_range(j, v, path, range);
	*ret = json_integer_value(v);
	return 0;
}

int oj_u64(struct oj *j, json_t *v, const char *path, uint64_t max, uint64_t *ret)
{
	const struct oj_big *b = big_of(j, v);
	char range[64];

	if (oj_absent(v))
		return 0;
	snprintf(range, sizeof(range), "0..%" PRIu64, max);
	if (b) {
		uint64_t n = 0;

		if (b->digits[0] == '-' || b->len > 20)
			return out_of_range(j, v, path, range);
		for (size_t i = 0; i < b->len; i++) {
			unsigned d = b->digits[i] - '0';

			if (n > (UINT64_MAX - d) / 10)
				return out_of_range(j, v, path, range);
			n = n * 10 + d;
		}
		if (n > max)
			return out_of_range(j, v, path, range);
		*ret = n;
		return 0;
	}
	if (!json_is_integer(v))
		return wrong(j, v, path, "an integer");
	if (json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max)
		return out_of_range(j, v, path, range);
	*ret = json_integer_value(v);
	return 0;
}

int oj_u32(struct oj *j, json_t *v, const char *path, uint32_t max, uint32_t *ret)
{
	uint64_t n = *ret;
	int r = oj_u64(j, v, path, max, &n);

	*ret = n;
	return r;
}

int oj_strv(struct oj *j, json_t *v, const char *path, char ***ret)
{
	char p[OJ_PATH], **list;
	size_t i;
	json_t *e;
	int r = oj_array(j, v, path);

	if (r < 0 || oj_absent(v))
		return r;
	list = calloc(json_array_size(v) + 1, sizeof(char *));
	if (!list)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		r = oj_str(j, e, oj_idx(p, path, i), &list[i]);
		if (r == 0 && !list[i])
			r = wrong(j, e, p, "a string");
		if (r < 0) {
			strv_free(list);
			return r;
		}
	}
	strv_free(*ret);
	*ret = list;
	return 0;
}

int oj_strmap(struct oj *j, json_t *v, const char *path, char ***ret)
{
	char p[OJ_PATH], **list;
	const char *key;
	size_t n = 0;
	json_t *e;
	int r = oj_object(j, v, path);

	if (r < 0 || oj_absent(v))
		return r;
	if (json_object_size(v) > OCI_LIST_MAX)
		return oj_fail(j, path, "%zu entries, more than %d", json_object_size(v),
			       OCI_LIST_MAX);
	list = calloc(json_object_size(v) + 1, sizeof(char *));
	if (!list)
		return -ENOMEM;
	json_object_foreach(v, key, e)
	{
		char *val = NULL;

		oj_key(p, path, key);
		if (!*key || strchr(key, '='))
			r = oj_fail(j, p, "a key may not be empty or hold '='");
		if (r == 0)
			r = oj_str(j, e, p, &val);
		if (r == 0 && !val)
			r = wrong(j, e, p, "a string");
		if (r == 0 && asprintf(&list[n++], "%s=%s", key, val) < 0) {
			list[--n] = NULL;
			r = -ENOMEM;
		}
		free(val);
		if (r < 0) {
			strv_free(list);
			return r;
		}
	}
	strv_free(*ret);
	*ret = list;
	return 0;
}

/* Absolute, and no ".." component: a path that climbs is never what a config means. */
bool oj_path_ok(const char *p)
{
	if (p[0] != '/')
		return false;
	for (const char *c = p; (c = strstr(c, "..")); c += 2)
		if (c[-1] == '/' && (c[2] == '/' || c[2] == '\0'))
			return false;
	return true;
}

int oj_abspath(struct oj *j, json_t *v, const char *path, char **ret)
{
	int r = oj_str(j, v, path, ret);

	char b[OJ_SHOW];

	if (r == 0 && *ret && (*ret)[0] != '/')
		return oj_fail(j, path, "'%s' is not an absolute path", oj_shows(*ret, b));
	if (r == 0 && *ret && !oj_path_ok(*ret))
		return oj_fail(j, path, "'%s' has a '..' component", oj_shows(*ret, b));
	return r;
}

int oj_refuse(struct oj *j, json_t *obj, const char *parent, const char *key, const char *why)
{
	char p[OJ_PATH];
	json_t *v = json_object_get(obj, key);

	if (oj_absent(v) || (json_is_array(v) && !json_array_size(v)) ||
	    (json_is_object(v) && !json_object_size(v)))
		return 0;
	return oj_fail(j, oj_key(p, parent, key), "%s", why);
}
