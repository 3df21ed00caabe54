/* newc cpio archives from a gen_init_cpio-style list. */
#include "cpio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void *grow(void *p, size_t n, size_t size)
{
	return realloc(p, n * size);
}

int cpio_parse_line(char *line, struct cpio_entry *e, char *err, size_t errlen)
{
	static const struct {
		const char *kw;
		enum cpio_type type;
		int nfields; /* after the keyword */
	} kinds[] = {{"dir", CPIO_DIR, 4},
		     {"file", CPIO_FILE, 5},
		     {"slink", CPIO_SLINK, 5},
		     {"nod", CPIO_NOD, 7}};
	char *f[8] = {0}, *save = NULL, *tok;
	size_t n = 0, k;
	unsigned mode;
	int i;

	memset(e, 0, sizeof(*e));
	line[strcspn(line, "\n")] = '\0';
	tok = strtok_r(line, " \t", &save);
	if (!tok || tok[0] == '#')
		return 0;
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(tok, kinds[k].kw) == 0)
			break;
	if (k == sizeof(kinds) / sizeof(kinds[0])) {
		snprintf(err, errlen, "unknown entry type '%s'", tok);
		return -EINVAL;
	}
	e->type = kinds[k].type;
	while (n < (size_t)kinds[k].nfields && (tok = strtok_r(NULL, " \t", &save)))
		f[n++] = tok;
	if (n < (size_t)kinds[k].nfields) {
		snprintf(err, errlen, "'%s' wants %d fields, got %zu", kinds[k].kw,
			 kinds[k].nfields, n);
		return -EINVAL;
	}
	e->name = f[0];
	if (e->name[0] != '/') {
		snprintf(err, errlen, "name '%s' is not absolute", e->name);
		return -EINVAL;
	}
	i = 1;
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
	if (e->type == CPIO_NOD) {
		if (strcmp(f[4], "c") != 0 && strcmp(f[4], "b") != 0) {
			snprintf(err, errlen, "device type '%s' is not c or b", f[4]);
			return -EINVAL;
		}
		e->dev_type = f[4][0];
		if (parse_uint(f[5], 10, &e->maj) < 0 || parse_uint(f[6], 10, &e->min) < 0) {
			snprintf(err, errlen, "bad device number '%s %s'", f[5], f[6]);
			return -EINVAL;
		}
	}
	while ((tok = strtok_r(NULL, " \t", &save))) {
		char **nl;

		if (e->type != CPIO_FILE || tok[0] != '/') {
			snprintf(err, errlen, "unexpected '%s' at the end", tok);
			free(e->links);
			e->links = NULL;
			return -EINVAL;
		}
		nl = grow(e->links, e->nlinks + 1, sizeof(*nl));
		if (!nl) {
			free(e->links);
			e->links = NULL;
			return -ENOMEM;
		}
		e->links = nl;
		e->links[e->nlinks++] = tok;
	}
	return 1;
}

void cpio_header(char out[CPIO_HDR_LEN + 1], unsigned ino, mode_t mode, unsigned uid, unsigned gid,
		 unsigned nlink, unsigned long mtime, unsigned long size, unsigned rmaj,
		 unsigned rmin, size_t namesize)
{
	snprintf(out, CPIO_HDR_LEN + 1,
		 "070701%08X%08X%08X%08X%08X%08lX%08lX%08X%08X%08X%08X%08zX%08X", ino,
		 (unsigned)mode, uid, gid, nlink, mtime, size, 0u, 0u, rmaj, rmin, namesize, 0u);
}
