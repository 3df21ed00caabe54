/* The gen_init_cpio-style list parser and the newc header: pure code for mkcpio. */
#include "cpio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEPS " \t"

struct kind {
	const char *kw;
	enum cpio_type type;
	int nfields; /* after the keyword */
};

static const struct kind kinds[] = {{"dir", CPIO_DIR, 4},
				    {"file", CPIO_FILE, 5},
				    {"slink", CPIO_SLINK, 5},
				    {"nod", CPIO_NOD, 7}};

static int parse_uint(const char *s, int base, unsigned *ret)
{
	char *end;
	unsigned long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, base);
	if (errno || *end || v > 0xffffffffUL)
		return -EINVAL;
	*ret = v;
	return 0;
}

static const struct kind *find_kind(const char *kw)
{
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(kw, kinds[k].kw) == 0)
			return &kinds[k];
	return NULL;
}

/* The fields KIND wants, into f; the rest of the line stays in save. */
static int take_fields(const struct kind *kind, char **save, char **f, char *err, size_t errlen)
{
	size_t n = 0;
	char *tok;

	while (n < (size_t)kind->nfields && (tok = strtok_r(NULL, SEPS, save)))
		f[n++] = tok;
	if (n < (size_t)kind->nfields) {
		snprintf(err, errlen, "'%s' wants %d fields, got %zu", kind->kw, kind->nfields, n);
		return -EINVAL;
	}
	return 0;
}

/* NAME [SOURCE] MODE UID GID, which every entry starts with. */
static int parse_common(struct cpio_entry *e, char **f, char *err, size_t errlen)
{
	unsigned mode;
	int i = 1;

	e->name = f[0];
	if (e->name[0] != '/') {
		snprintf(err, errlen, "name '%s' is not absolute", e->name);
		return -EINVAL;
	}
	if (e->type == CPIO_FILE || e->type == CPIO_SLINK)
		e->source = f[i++];
	if (parse_uint(f[i], 8, &mode) < 0 || mode > 07777) {
		snprintf(err, errlen, "bad mode '%s'", f[i]);
		return -EINVAL;
	}
	e->mode = mode;
	if (parse_uint(f[i + 1], 10, &e->uid) < 0 || parse_uint(f[i + 2], 10, &e->gid) < 0) {
		snprintf(err, errlen, "bad uid or gid '%s %s'", f[i + 1], f[i + 2]);
		return -EINVAL;
	}
	return 0;
}

/* nod's c|b MAJOR MINOR, fields 4 to 6. */
static int parse_device(struct cpio_entry *e, char **f, char *err, size_t errlen)
{
	if (strcmp(f[4], "c") != 0 && strcmp(f[4], "b") != 0) {
		snprintf(err, errlen, "device type '%s' is not c or b", f[4]);
		return -EINVAL;
	}
	e->dev_type = f[4][0];
	if (parse_uint(f[5], 10, &e->maj) < 0 || parse_uint(f[6], 10, &e->min) < 0) {
		snprintf(err, errlen, "bad device number '%s %s'", f[5], f[6]);
		return -EINVAL;
	}
	return 0;
}

/* What is left of the line: a file's more names, nothing for any other entry. */
static int parse_links(struct cpio_entry *e, char **save, char *err, size_t errlen)
{
	char *tok, **nl;
	int r = 0;

	while (r == 0 && (tok = strtok_r(NULL, SEPS, save))) {
		if (e->type != CPIO_FILE || tok[0] != '/') {
			snprintf(err, errlen, "unexpected '%s' at the end", tok);
			r = -EINVAL;
		} else if (!(nl = realloc(e->links, (e->nlinks + 1) * sizeof(*nl)))) {
			r = -ENOMEM;
		} else {
			e->links = nl;
			e->links[e->nlinks++] = tok;
		}
	}
	if (r < 0) {
		free(e->links);
		e->links = NULL;
	}
	return r;
}

int cpio_parse_line(char *line, struct cpio_entry *e, char *err, size_t errlen)
{
	const struct kind *kind;
	char *f[8] = {0}, *save = NULL, *tok;
	int r;

	memset(e, 0, sizeof(*e));
	line[strcspn(line, "\n")] = '\0';
	tok = strtok_r(line, SEPS, &save);
	if (!tok || tok[0] == '#')
		return 0;
	kind = find_kind(tok);
	if (!kind) {
		snprintf(err, errlen, "unknown entry type '%s'", tok);
		return -EINVAL;
	}
	e->type = kind->type;
	r = take_fields(kind, &save, f, err, errlen);
	if (r == 0)
		r = parse_common(e, f, err, errlen);
	if (r == 0 && e->type == CPIO_NOD)
		r = parse_device(e, f, err, errlen);
	if (r == 0)
		r = parse_links(e, &save, err, errlen);
	return r < 0 ? r : 1;
}

void cpio_header(char out[CPIO_HDR_LEN + 1], unsigned ino, mode_t mode, unsigned uid, unsigned gid,
		 unsigned nlink, unsigned long mtime, unsigned long size, unsigned rmaj,
		 unsigned rmin, size_t namesize)
{
	snprintf(out, CPIO_HDR_LEN + 1,
		 "070701%08X%08X%08X%08X%08X%08lX%08lX%08X%08X%08X%08X%08zX%08X", ino,
		 (unsigned)mode, uid, gid, nlink, mtime, size, 0u, 0u, rmaj, rmin, namesize, 0u);
}
