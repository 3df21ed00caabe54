/* The streaming tar reader: ustar, GNU and v7 headers, pax and GNU extensions, and bounds. */
#include "tar.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"

#define BLOCK 512
/* The most pax or GNU long-name data buffered for one header: real ones are a few KB. */
#define META_MAX (1 << 20)

/* Keys of struct tar_pax's set and cleared. */
enum {
	PAX_PATH = 1 << 0,
	PAX_LINK = 1 << 1,
	PAX_SIZE = 1 << 2,
	PAX_UID = 1 << 3,
	PAX_GID = 1 << 4,
	PAX_MTIME = 1 << 5,
};

/* Where a header's fields sit (POSIX.1-1988 ustar; GNU and star reuse the tail). */
enum {
	H_NAME = 0,
	H_MODE = 100,
	H_UID = 108,
	H_GID = 116,
	H_SIZE = 124,
	H_MTIME = 136,
	H_CHKSUM = 148,
	H_TYPE = 156,
	H_LINKNAME = 157,
	H_MAGIC = 257,
	H_DEVMAJOR = 329,
	H_DEVMINOR = 337,
	H_PREFIX = 345,
	H_STAR_TRAILER = 508,
};

static int fail(struct tar_reader *r, int code, uint64_t off, char *err, size_t errlen,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int fail(struct tar_reader *r, int code, uint64_t off, char *err, size_t errlen,
		const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "offset %llu: ", (unsigned long long)off);

	if (n >= 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - n, fmt, ap);
		va_end(ap);
	}
	r->error = code;
	return code;
}

/* An archive's bytes for a message: control bytes escaped, long names cut. */
static const char *shown(char *buf, size_t cap, const char *s, size_t n)
{
	str_escape(buf, cap, s, n);
	return buf;
}

void tar_init(struct tar_reader *r, tar_read_fn read, void *ctx)
{
	memset(r, 0, sizeof(*r));
	r->read = read;
	r->ctx = ctx;
}

static void pax_free(struct tar_pax *p)
{
	free(p->path);
	free(p->link);
	free(p->xattr);
	memset(p, 0, sizeof(*p));
}

static void entry_reset(struct tar_reader *r)
{
	pax_free(&r->local);
	free(r->long_path);
	free(r->long_link);
	r->long_path = r->long_link = NULL;
	memset(&r->cur, 0, sizeof(r->cur));
}

void tar_free(struct tar_reader *r)
{
	entry_reset(r);
	pax_free(&r->global);
}

/* LEN bytes into BUF unless the input ends first: the count, or the callback's -errno (-EIO
 * for what is no errno, or a count larger than asked). */
static ssize_t read_full(struct tar_reader *r, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = r->read(r->ctx, (char *)buf + got, len - got);

		if (n < 0)
			return n < -4095 ? -EIO : n;
		if (n == 0)
			break;
		if ((size_t)n > len - got)
			return -EIO;
		got += n;
		r->pos += n;
	}
	return got;
}

/* Read and drop N bytes: 0, 1 if the input ended first, or -errno. */
static int skip(struct tar_reader *r, uint64_t n)
{
	char buf[16384];

	while (n > 0) {
		size_t want = n < sizeof(buf) ? n : sizeof(buf);
		ssize_t got = read_full(r, buf, want);

		if (got < 0)
			return got;
		if ((size_t)got < want)
			return 1;
		n -= got;
	}
	return 0;
}

/* Octal as writers spell it: NULs and spaces may surround the digits, never sit among them.
 * An empty field is 0. Returns the number of digits, or -EINVAL / -ERANGE. */
static int parse_octal(const unsigned char *f, size_t len, uint64_t *ret)
{
	size_t a = 0, b = len;
	uint64_t v = 0;

	while (a < b && (f[a] == ' ' || f[a] == '\0'))
		a++;
	while (b > a && (f[b - 1] == ' ' || f[b - 1] == '\0'))
		b--;
	for (size_t i = a; i < b; i++) {
		if (f[i] < '0' || f[i] > '7')
			return -EINVAL;
		if (v >> 61)
			return -ERANGE;
		v = v << 3 | (uint64_t)(f[i] - '0');
	}
	*ret = v;
	return b - a;
}

/* A numeric field: octal, or GNU's base-256 (high bit set; two's complement after it, as GNU
 * tar and Go write negative times). -EINVAL or -ERANGE when it is neither or too large. */
static int parse_number(const unsigned char *f, size_t len, int64_t *ret)
{
	uint64_t v = 0;
	int rc;

	if (f[0] & 0x80) {
		unsigned char inv = f[0] & 0x40 ? 0xff : 0;

		for (size_t i = 0; i < len; i++) {
			unsigned char c = f[i] ^ inv;

			if (i == 0)
				c &= 0x7f;
			if (v >> 56)
				return -ERANGE;
			v = v << 8 | c;
		}
		if (v >> 63)
			return -ERANGE;
		*ret = inv ? ~(int64_t)v : (int64_t)v;
		return 0;
	}
	rc = parse_octal(f, len, &v);
	if (rc < 0)
		return rc;
	if (v > INT64_MAX)
		return -ERANGE;
	*ret = v;
	return 0;
}

/* A header's numeric field WHAT, between LO and HI (HI is INT64_MAX or UINT32_MAX). */
static int header_number(struct tar_reader *r, uint64_t off, const char *what, size_t at,
			 size_t len, int64_t lo, int64_t hi, int64_t *ret, char *err, size_t errlen)
{
	int rc = parse_number(r->blk + at, len, ret);

	if (rc == -EINVAL)
		return fail(r, -EINVAL, off, err, errlen, "bad %s field", what);
	if (rc == -ERANGE)
		return fail(r, -EINVAL, off, err, errlen, "%s field does not fit 63 bits", what);
	if (*ret < lo)
		return fail(r, -EINVAL, off, err, errlen, "negative %s", what);
	if (*ret > hi)
		return fail(r, -EINVAL, off, err, errlen, "%s does not fit 32 bits", what);
	return 0;
}

static bool is_zero(const unsigned char *b)
{
	for (size_t i = 0; i < BLOCK; i++)
		if (b[i])
			return false;
	return true;
}

/* GNU tar accepts the sum of the bytes as unsigned and as signed chars (old Sun and
 * others summed signed), the checksum field counting as eight spaces. */
static bool checksum_ok(const unsigned char *b)
{
	uint64_t want;
	int64_t u = 0, s = 0;

	if (parse_octal(b + H_CHKSUM, 8, &want) <= 0)
		return false;
	for (size_t i = 0; i < BLOCK; i++) {
		unsigned char c = i >= H_CHKSUM && i < H_CHKSUM + 8 ? ' ' : b[i];

		u += c;
		s += (signed char)c;
	}
	return (int64_t)want == u || (int64_t)want == s;
}

/* A NUL-padded string field into DST (LEN + 1 bytes): it ends at its first NUL or fills it. */
static size_t field(char *dst, const unsigned char *f, size_t len)
{
	size_t n = strnlen((const char *)f, len);

	memcpy(dst, f, n);
	dst[n] = '\0';
	return n;
}

static bool key_is(const char *key, size_t klen, const char *want)
{
	return klen == strlen(want) && memcmp(key, want, klen) == 0;
}

static bool key_has_prefix(const char *key, size_t klen, const char *prefix)
{
	size_t n = strlen(prefix);

	return klen >= n && memcmp(key, prefix, n) == 0;
}

/* Decimal digits only, at most MAX: -EINVAL or -ERANGE otherwise. */
static int parse_decimal(const char *s, size_t n, uint64_t max, uint64_t *ret)
{
	uint64_t v = 0;

	if (n == 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -EINVAL;
		if (v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*ret = v;
	return 0;
}

/* pax times are decimal seconds with an optional fraction ("1700000000.123456789"): the
 * seconds are kept, truncated toward zero. */
static int parse_time(const char *s, size_t n, int64_t *ret)
{
	const char *dot = memchr(s, '.', n);
	size_t ilen = dot ? (size_t)(dot - s) : n;
	bool neg = ilen > 0 && s[0] == '-';
	uint64_t v;
	int rc;

	for (size_t i = ilen + 1; dot && i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	rc = parse_decimal(s + neg, ilen - neg, INT64_MAX, &v);
	if (rc < 0)
		return rc;
	*ret = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

static int pax_string(char **dst, const char *val, size_t vlen)
{
	char *s = strndup(val, vlen);

	if (!s)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

/* One pax record into P. Keys not listed are read past (atime, ctime, uname, gname,
 * comment, charset, SCHILY.dev, ...): none changes what the caller writes. */
static int pax_record(struct tar_reader *r, struct tar_pax *p, uint64_t off, const char *key,
		      size_t klen, const char *val, size_t vlen, char *err, size_t errlen)
{
	static const struct {
		const char *key;
		unsigned bit;
	} keys[] = {
		{"path", PAX_PATH}, {"linkpath", PAX_LINK}, {"size", PAX_SIZE},
		{"uid", PAX_UID},   {"gid", PAX_GID},	    {"mtime", PAX_MTIME},
	};
	char k[64], v[64];
	unsigned bit = 0;
	uint64_t n = 0;
	int rc = 0;

	if (key_has_prefix(key, klen, "SCHILY.xattr.") ||
	    key_has_prefix(key, klen, "LIBARCHIVE.xattr.")) {
		bool schily = key[0] == 'S';
		const char *name = memchr(key, '.', klen) + strlen(".xattr.");

		/* The first SCHILY name is kept: libarchive's own spelling is URL-encoded. */
		if (!p->xattr || (schily && !p->xattr_schily)) {
			if (pax_string(&p->xattr, name, key + klen - name) < 0)
				return fail(r, -ENOMEM, off, err, errlen, "out of memory");
			p->xattr_schily = schily;
		}
		if (schily)
			p->nschily++;
		else
			p->nlibarchive++;
		return 0;
	}
	/* Their data is a map of holes and extents, not the file: written out as it stands it
	 * would be wrong content under a wrong name. */
	if (key_has_prefix(key, klen, "GNU.sparse."))
		return fail(r, -EINVAL, off, err, errlen,
			    "pax record '%s': sparse files are not supported",
			    shown(k, sizeof(k), key, klen));
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (key_is(key, klen, keys[i].key))
			bit = keys[i].bit;
	if (!bit)
		return 0;
	/* pax: an empty value undoes the key, back to the header's own field. */
	if (vlen == 0) {
		p->set &= ~bit;
		p->cleared |= bit;
		return 0;
	}
	switch (bit) {
	case PAX_PATH:
	case PAX_LINK:
		if (memchr(val, '\0', vlen))
			return fail(r, -EINVAL, off, err, errlen, "pax %.*s holds a NUL byte",
				    (int)klen, key);
		rc = pax_string(bit == PAX_PATH ? &p->path : &p->link, val, vlen);
		if (rc < 0)
			return fail(r, rc, off, err, errlen, "out of memory");
		break;
	case PAX_SIZE:
		rc = parse_decimal(val, vlen, INT64_MAX, &p->size);
		break;
	case PAX_UID:
	case PAX_GID:
		rc = parse_decimal(val, vlen, UINT32_MAX, &n);
		if (rc == -ERANGE)
			return fail(r, -EINVAL, off, err, errlen,
				    "pax %.*s '%s' does not fit 32 bits", (int)klen, key,
				    shown(v, sizeof(v), val, vlen));
		if (bit == PAX_UID)
			p->uid = n;
		else
			p->gid = n;
		break;
	case PAX_MTIME:
		rc = parse_time(val, vlen, &p->mtime);
		break;
	}
	if (rc < 0)
		return fail(r, -EINVAL, off, err, errlen, "bad pax %.*s '%s'", (int)klen, key,
			    shown(v, sizeof(v), val, vlen));
	p->set |= bit;
	p->cleared &= ~bit;
	return 0;
}

/* The records "LEN KEY=VALUE\n" of a pax header's data, every byte of it, into P. LEN counts
 * the whole record, itself included; it is checked against what is there before anything
 * is read by it. */
static int pax_parse(struct tar_reader *r, struct tar_pax *p, uint64_t off, const char *buf,
		     size_t len, char *err, size_t errlen)
{
	size_t i = 0;

	while (i < len) {
		size_t start = i, n = 0, digits;
		const char *kv, *eq, *end;
		int rc;

		while (i < len && buf[i] >= '0' && buf[i] <= '9') {
			n = n * 10 + (buf[i] - '0');
			if (n > len - start)
				return fail(
					r, -EINVAL, off, err, errlen,
					"pax record at %zu: its length is past the header's data",
					start);
			i++;
		}
		digits = i - start;
		if (digits == 0 || i == len || buf[i] != ' ')
			return fail(r, -EINVAL, off, err, errlen,
				    "pax record at %zu: no decimal length", start);
		/* The shortest record is "5 k=\n": digits, space, key, '=', newline. */
		if (n < digits + 4)
			return fail(r, -EINVAL, off, err, errlen,
				    "pax record at %zu: length %zu is too short", start, n);
		end = buf + start + n - 1;
		if (*end != '\n')
			return fail(r, -EINVAL, off, err, errlen,
				    "pax record at %zu: no newline where its length ends", start);
		kv = buf + i + 1;
		eq = memchr(kv, '=', end - kv);
		if (!eq || eq == kv)
			return fail(r, -EINVAL, off, err, errlen, "pax record at %zu: no key=value",
				    start);
		if (memchr(kv, '\0', eq - kv))
			return fail(r, -EINVAL, off, err, errlen,
				    "pax record at %zu: the key holds a NUL byte", start);
		rc = pax_record(r, p, off, kv, eq - kv, eq + 1, end - eq - 1, err, errlen);
		if (rc < 0)
			return rc;
		i = start + n;
	}
	return 0;
}

/* The data of a pax or GNU long-name header at OFF, NUL-terminated, in a buffer of its own. */
static int read_meta(struct tar_reader *r, uint64_t off, const char *what, char **ret,
		     size_t *ret_len, char *err, size_t errlen)
{
	int64_t size;
	ssize_t n;
	char *buf;
	int rc;

	rc = header_number(r, off, "size", H_SIZE, 12, 0, INT64_MAX, &size, err, errlen);
	if (rc < 0)
		return rc;
	if (size > META_MAX)
		return fail(r, -EINVAL, off, err, errlen, "%s of %lld bytes: more than 1 MiB", what,
			    (long long)size);
	buf = malloc(size + 1);
	if (!buf)
		return fail(r, -ENOMEM, off, err, errlen, "out of memory");
	n = read_full(r, buf, size);
	rc = n < 0 ? (int)n : n < size ? 1 : skip(r, -(uint64_t)size % BLOCK);
	if (rc != 0) {
		free(buf);
		if (rc < 0)
			return fail(r, rc, off, err, errlen, "cannot read: %s", strerror(-rc));
		return fail(r, -EINVAL, off, err, errlen, "truncated inside the data of a %s",
			    what);
	}
	buf[size] = '\0';
	*ret = buf;
	*ret_len = size;
	return 0;
}

/* What decides a value: the entry's own pax records, then the global ones, else the header. */
static const struct tar_pax *pax_for(const struct tar_reader *r, unsigned bit)
{
	if (r->local.set & bit)
		return &r->local;
	if (r->local.cleared & bit)
		return NULL;
	if (r->global.set & bit)
		return &r->global;
	return NULL;
}

static unsigned pax_xattrs(const struct tar_pax *p)
{
	return p->nschily > p->nlibarchive ? p->nschily : p->nlibarchive;
}

static int entry_type(unsigned char flag, enum tar_type *ret)
{
	static const char flags[] = "0123456";
	static const enum tar_type types[] = {
		TAR_FILE, TAR_HARDLINK, TAR_SYMLINK, TAR_CHAR, TAR_BLOCK, TAR_DIR, TAR_FIFO,
	};
	const char *p = flag ? strchr(flags, flag) : NULL;

	if (flag == '\0' || flag == '7') {
		*ret = TAR_FILE;
		return 0;
	}
	if (!p)
		return -EINVAL;
	*ret = types[p - flags];
	return 0;
}

/* The entry of the real header in r->blk at OFF, with what the headers before it said. */
static int entry_fill(struct tar_reader *r, uint64_t off, char *err, size_t errlen)
{
	const unsigned char *b = r->blk;
	struct tar_entry *e = &r->cur;
	bool ustar =
		memcmp(b + H_MAGIC, "ustar\0", 6) == 0 && memcmp(b + H_MAGIC + 6, "00", 2) == 0;
	bool gnu = memcmp(b + H_MAGIC, "ustar  \0", 8) == 0;
	const struct tar_pax *p;
	int64_t v;
	int rc;

	if (entry_type(b[H_TYPE], &e->type) < 0) {
		char t[8];

		return fail(r, -EINVAL, off, err, errlen, "unsupported entry type '%s'",
			    shown(t, sizeof(t), (const char *)b + H_TYPE, 1));
	}
	rc = header_number(r, off, "mode", H_MODE, 8, INT64_MIN, INT64_MAX, &v, err, errlen);
	if (rc < 0)
		return rc;
	e->mode = v & 07777;
	rc = header_number(r, off, "uid", H_UID, 8, 0, UINT32_MAX, &v, err, errlen);
	if (rc < 0)
		return rc;
	e->uid = (p = pax_for(r, PAX_UID)) ? p->uid : v;
	rc = header_number(r, off, "gid", H_GID, 8, 0, UINT32_MAX, &v, err, errlen);
	if (rc < 0)
		return rc;
	e->gid = (p = pax_for(r, PAX_GID)) ? p->gid : v;
	rc = header_number(r, off, "mtime", H_MTIME, 12, INT64_MIN, INT64_MAX, &v, err, errlen);
	if (rc < 0)
		return rc;
	e->mtime = (p = pax_for(r, PAX_MTIME)) ? p->mtime : v;
	rc = header_number(r, off, "size", H_SIZE, 12, 0, INT64_MAX, &v, err, errlen);
	if (rc < 0)
		return rc;
	e->size = (p = pax_for(r, PAX_SIZE)) ? p->size : (uint64_t)v;

	if (ustar && b[H_PREFIX]) {
		/* star keeps times in the prefix's last 24 bytes and says so at the end. */
		size_t plen = memcmp(b + H_STAR_TRAILER, "tar\0", 4) == 0 ? 131 : 155;
		size_t n = field(r->name, b + H_PREFIX, plen);

		r->name[n++] = '/';
		field(r->name + n, b + H_NAME, 100);
	} else {
		field(r->name, b + H_NAME, 100);
	}
	field(r->linkname, b + H_LINKNAME, 100);
	/* As in Go's archive/tar, a GNU long name wins over a pax path, and an empty one
	 * (or one that starts with a NUL) is none. */
	if (r->long_path && *r->long_path)
		e->path = r->long_path;
	else
		e->path = (p = pax_for(r, PAX_PATH)) ? p->path : r->name;
	if (!*e->path)
		return fail(r, -EINVAL, off, err, errlen, "an entry without a name");
	if (e->type == TAR_HARDLINK || e->type == TAR_SYMLINK) {
		if (r->long_link && *r->long_link)
			e->link = r->long_link;
		else
			e->link = (p = pax_for(r, PAX_LINK)) ? p->link : r->linkname;
	}
	if (b[H_TYPE] == '\0' && e->path[strlen(e->path) - 1] == '/')
		e->type = TAR_DIR;
	if (e->type == TAR_CHAR || e->type == TAR_BLOCK) {
		if (ustar || gnu) {
			rc = header_number(r, off, "devmajor", H_DEVMAJOR, 8, 0, UINT32_MAX, &v,
					   err, errlen);
			if (rc < 0)
				return rc;
			e->dev_major = v;
			rc = header_number(r, off, "devminor", H_DEVMINOR, 8, 0, UINT32_MAX, &v,
					   err, errlen);
			if (rc < 0)
				return rc;
			e->dev_minor = v;
		}
	}
	/* Only regular files have data, whatever the size field says of the rest: Go's
	 * archive/tar, which wrote most layers, reads them so. */
	if (e->type != TAR_FILE)
		e->size = 0;
	e->nxattrs = pax_xattrs(&r->global) + pax_xattrs(&r->local);
	e->xattr = r->global.xattr ? r->global.xattr : r->local.xattr;
	r->left = e->size;
	r->pad = -e->size % BLOCK;
	return 0;
}

/* After a zero block: a second one, or the end of input, ends the archive. */
static int end_of_archive(struct tar_reader *r, uint64_t off, char *err, size_t errlen)
{
	ssize_t n = read_full(r, r->blk, BLOCK);

	if (n < 0)
		return fail(r, n, r->pos, err, errlen, "cannot read: %s", strerror(-n));
	if (n > 0 && n < BLOCK)
		return fail(r, -EINVAL, off + BLOCK, err, errlen,
			    "truncated inside the end-of-archive blocks");
	if (n == BLOCK && !is_zero(r->blk))
		return fail(r, -EINVAL, off, err, errlen, "a lone zero block before more headers");
	r->end = true;
	return 0;
}

int tar_next(struct tar_reader *r, const struct tar_entry **e, char *err, size_t errlen)
{
	uint64_t first = 0;
	bool meta = false; /* pax or GNU headers wait for their entry */
	int rc;

	if (r->error)
		return fail(r, r->error, r->pos, err, errlen, "the archive failed to read before");
	if (r->end)
		return 0;
	rc = skip(r, r->left + r->pad);
	if (rc != 0) {
		char p[128];

		if (rc < 0)
			return fail(r, rc, r->cur.offset, err, errlen, "cannot read: %s",
				    strerror(-rc));
		return fail(r, -EINVAL, r->cur.offset, err, errlen,
			    "'%s': truncated inside its data",
			    shown(p, sizeof(p), r->cur.path, strlen(r->cur.path)));
	}
	r->left = r->pad = 0;
	entry_reset(r);
	for (;;) {
		uint64_t off = r->pos;
		ssize_t n = read_full(r, r->blk, BLOCK);
		unsigned char type;
		size_t len;
		char *data;

		if (n < 0)
			return fail(r, n, off, err, errlen, "cannot read: %s", strerror(-n));
		if (n == 0 && meta)
			return fail(r, -EINVAL, first, err, errlen,
				    "truncated: a pax or GNU header without its entry");
		if (n == 0)
			return fail(r, -EINVAL, off, err, errlen,
				    "truncated: no end-of-archive blocks");
		if (n < BLOCK)
			return fail(r, -EINVAL, off, err, errlen, "truncated inside a header");
		if (is_zero(r->blk)) {
			if (meta)
				return fail(r, -EINVAL, first, err, errlen,
					    "a pax or GNU header without its entry");
			rc = end_of_archive(r, off, err, errlen);
			return rc < 0 ? rc : 0;
		}
		if (!checksum_ok(r->blk))
			return fail(r, -EINVAL, off, err, errlen, "bad header checksum");
		type = r->blk[H_TYPE];
		if (!meta)
			first = off;
		switch (type) {
		case 'x':
		case 'g':
			if (type == 'g' && meta)
				return fail(r, -EINVAL, first, err, errlen,
					    "a pax or GNU header without its entry");
			rc = read_meta(r, off, type == 'g' ? "pax global header" : "pax header",
				       &data, &len, err, errlen);
			if (rc < 0)
				return rc;
			rc = pax_parse(r, type == 'g' ? &r->global : &r->local, off, data, len, err,
				       errlen);
			free(data);
			if (rc < 0)
				return rc;
			meta = type == 'x';
			break;
		case 'L':
		case 'K':
			rc = read_meta(r, off, type == 'L' ? "GNU long name" : "GNU long link name",
				       &data, &len, err, errlen);
			if (rc < 0)
				return rc;
			/* The name ends at its first NUL, if it has one. */
			if (type == 'L') {
				free(r->long_path);
				r->long_path = data;
			} else {
				free(r->long_link);
				r->long_link = data;
			}
			meta = true;
			break;
		default:
			rc = entry_fill(r, off, err, errlen);
			if (rc < 0)
				return rc;
			r->cur.offset = first;
			*e = &r->cur;
			return 1;
		}
	}
}

ssize_t tar_read(struct tar_reader *r, void *buf, size_t len, char *err, size_t errlen)
{
	char p[128];
	ssize_t n;

	if (r->error)
		return fail(r, r->error, r->pos, err, errlen, "the archive failed to read before");
	if (r->left == 0 || len == 0)
		return 0;
	if (len > r->left)
		len = r->left;
	if (len > SSIZE_MAX)
		len = SSIZE_MAX;
	n = r->read(r->ctx, buf, len);
	if ((n > 0 && (size_t)n > len) || n < -4095)
		n = -EIO;
	if (n < 0)
		return fail(r, n, r->cur.offset, err, errlen, "'%s': cannot read: %s",
			    shown(p, sizeof(p), r->cur.path, strlen(r->cur.path)), strerror(-n));
	if (n == 0)
		return fail(r, -EINVAL, r->cur.offset, err, errlen,
			    "'%s': truncated inside its data",
			    shown(p, sizeof(p), r->cur.path, strlen(r->cur.path)));
	r->pos += n;
	r->left -= n;
	return n;
}
