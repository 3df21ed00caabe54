/* The tar reader: real archives of GNU tar, bsdtar and Go, every header feature, every error. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../lib/util.h"
#include "../../runtime/image/tar.h"
#include "../tap.h"
#include "tar_fixtures.h"

/* ---- input: an archive in memory, handed out in chunks ---- */

struct src {
	const unsigned char *p;
	size_t len, off;
	size_t chunk;	 /* the most one read returns (0: all that is asked) */
	size_t fail_at;	 /* a read at or past this offset fails with -EIO (0: never) */
	bool overread;	 /* claim one byte more than asked */
	unsigned nreads; /* calls so far */
};

static ssize_t src_read(void *ctx, void *buf, size_t len)
{
	struct src *s = ctx;
	size_t n = s->len - s->off;

	s->nreads++;
	if (s->fail_at && s->off >= s->fail_at)
		return -EIO;
	if (s->overread)
		return len + 1;
	if (n > len)
		n = len;
	if (s->chunk && n > s->chunk)
		n = s->chunk;
	memcpy(buf, s->p + s->off, n);
	s->off += n;
	return n;
}

/* ---- archives built in the test ---- */

static unsigned char arc[3 << 20];
static size_t alen;

static void reset(void)
{
	alen = 0;
}

static unsigned char *block(void)
{
	unsigned char *b = arc + alen;

	memset(b, 0, 512);
	alen += 512;
	return b;
}

/* An octal field as GNU tar writes it: zero-padded, NUL-terminated. */
static void octal(unsigned char *f, size_t len, unsigned long long v)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%0*llo", (int)len - 1, v);
	memcpy(f, tmp, len);
}

/* GNU's base-256: 0x80 then the value big-endian; negative values in two's complement. */
static void base256(unsigned char *f, size_t len, int64_t v)
{
	for (size_t i = len; i-- > 0; v >>= 8)
		f[i] = v & 0xff;
	f[0] = v < 0 ? 0xff : 0x80;
}

/* The checksum, as an unsigned sum (SIGNED: as old Sun tar summed). */
static void sum_as(unsigned char *b, bool sgn)
{
	int s = 0;

	memset(b + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		s += sgn ? (signed char)b[i] : b[i];
	snprintf((char *)b + 148, 7, "%06o", (unsigned)s & 0777777);
	b[155] = ' ';
}

static void sum(unsigned char *b)
{
	sum_as(b, false);
}

/* A ustar header (mode 0644, 1000:1000, 2023-11-14), NAME up to 100 bytes unterminated. */
static unsigned char *hdr(const char *name, char type, unsigned long long size)
{
	unsigned char *b = block();

	memcpy(b, name, strnlen(name, 100));
	octal(b + 100, 8, 0644);
	octal(b + 108, 8, 1000);
	octal(b + 116, 8, 1000);
	octal(b + 124, 12, size);
	octal(b + 136, 12, 1700000000);
	b[156] = type;
	memcpy(b + 257, "ustar", 6);
	memcpy(b + 263, "00", 2);
	sum(b);
	return b;
}

static void data(const void *p, size_t n)
{
	memcpy(arc + alen, p, n);
	alen += n;
	while (alen % 512)
		arc[alen++] = 0;
}

static void file(const char *name, const char *content)
{
	hdr(name, '0', strlen(content));
	data(content, strlen(content));
}

static void meta(char type, const void *p, size_t n)
{
	hdr(type == 'x' ? "PaxHeaders/x" : type == 'g' ? "GlobalHead.0" : "././@LongLink", type, n);
	data(p, n);
}

static void pax(char type, const char *records)
{
	meta(type, records, strlen(records));
}

static void end(void)
{
	block();
	block();
}

/* One pax record "LEN KEY=VALUE\n", its length counting its own digits. */
static const char *rec(const char *key, const char *val)
{
	static char bufs[4][512];
	static int i;
	char *b = bufs[i++ % 4];
	int n = strlen(key) + strlen(val) + 3, len = n;

	while (snprintf(NULL, 0, "%d", len) + n != len)
		len = snprintf(NULL, 0, "%d", len) + n;
	snprintf(b, 512, "%d %s=%s\n", len, key, val);
	return b;
}

static const char *cat(const char *a, const char *b)
{
	static char bufs[4][4096];
	static int i;
	char *buf = bufs[i++ % 4];

	snprintf(buf, 4096, "%s%s", a, b);
	return buf;
}

/* ---- reading: a listing of every entry, one line each ---- */

static struct tar_reader r;
static struct src in;
static char err[512];

static void start(const void *p, size_t len, size_t chunk)
{
	tar_free(&r);
	in = (struct src){.p = p, .len = len, .chunk = chunk};
	tar_init(&r, src_read, &in);
	err[0] = '\0';
}

/* A name with runs of ten or more of one byte shortened: "d/n{110}". */
static void put_name(char **o, const char *s)
{
	while (*s) {
		size_t n = 1;

		while (s[n] == s[0])
			n++;
		if (n >= 10)
			*o += sprintf(*o, "%c{%zu}", s[0], n);
		else
			*o += sprintf(*o, "%.*s", (int)n, s);
		s += n;
	}
}

static char listing[16384];

/* Lists what is left of the archive in r: "TYPE PATH MODE UID:GID MTIME" and for files
 * the size and data (non-printable bytes as '.'), for links the target, for devices the
 * numbers, then the xattrs if any. Returns what tar_next returned last. */
static int list(void)
{
	const struct tar_entry *e;
	char *o = listing;
	int rc;

	*o = '\0';
	while ((rc = tar_next(&r, &e, err, sizeof(err))) == 1) {
		o += sprintf(o, "%c ", "fhlcbdp"[e->type]);
		put_name(&o, e->path);
		o += sprintf(o, " %o %u:%u %lld", (unsigned)e->mode, e->uid, e->gid,
			     (long long)e->mtime);
		if (e->type == TAR_FILE) {
			char buf[16];
			ssize_t n = 0, got = 0;

			while (got < 16 &&
			       (n = tar_read(&r, buf + got, 16 - got, err, sizeof(err))) > 0)
				got += n;
			if (n < 0)
				return n;
			o += sprintf(o, " %llu", (unsigned long long)e->size);
			if (got > 0)
				*o++ = ' ';
			for (ssize_t i = 0; i < got; i++)
				*o++ = buf[i] >= 0x20 && buf[i] < 0x7f ? buf[i] : '.';
		}
		if (e->link) {
			o += sprintf(o, " -> ");
			put_name(&o, e->link);
		}
		if (e->type == TAR_CHAR || e->type == TAR_BLOCK)
			o += sprintf(o, " %u,%u", e->dev_major, e->dev_minor);
		if (e->nxattrs)
			o += sprintf(o, " xattrs=%u:%s", e->nxattrs, e->xattr);
		*o++ = '\n';
		*o = '\0';
	}
	return rc;
}

static int list_mem(const void *p, size_t len, size_t chunk)
{
	start(p, len, chunk);
	return list();
}

/* The archive built so far. */
static int list_arc(void)
{
	return list_mem(arc, alen, 0);
}

static void expand(const struct fixture *f, unsigned char *buf)
{
	memset(buf, 0, f->size);
	for (size_t i = 0; i < f->nruns; i++)
		memcpy(buf + f->runs[i].off, f->runs[i].bytes, f->runs[i].len);
}

/* A real archive, read whole and in reads of 1 and 7 bytes: the same listing each time. */
static void real(const struct fixture *f, const char *want)
{
	static unsigned char buf[32768];
	static const size_t chunks[] = {0, 1, 7};

	expand(f, buf);
	for (size_t i = 0; i < ARRAY_SIZE(chunks); i++) {
		int rc = list_mem(buf, f->size, chunks[i]);

		is_int(rc, 0, "%s (reads of %zu): read to its end", f->name, chunks[i]);
		if (rc)
			printf("#   %s\n", err);
		is_str(listing, want, "%s (reads of %zu): every entry", f->name, chunks[i]);
	}
}

/* The archive built so far fails to read, with MSG in err. */
static void fails(const char *msg, const char *what)
{
	int rc = list_arc();

	is_int(rc, -EINVAL, "%s: -EINVAL", what);
	is_str(err, msg, "%s: the message", what);
}

/* ---- the real archives ---- */

static void test_real(void)
{
	real(&gnu_tar, "d d/ 755 1000:1000 1700000000\n"
		       "f d/a.txt 644 1000:1000 1700000000 6 hello.\n"
		       "f d/block512 644 1000:1000 1700000000 512 bbbbbbbbbbbbbbbb\n"
		       "f d/empty 600 1000:1000 1700000000 0\n"
		       "p d/fifo 644 1000:1000 1700000000\n"
		       "h d/hard 644 1000:1000 1700000000 -> d/a.txt\n"
		       "l d/longlink 777 1000:1000 1700000000 -> /t{140}\n"
		       "f d/n{110} 644 1000:1000 1700000000 5 long.\n"
		       "c d/null 644 1000:1000 1700000000 1,3\n"
		       "f d/suid 4755 1000:1000 1700000000 10 #!/bin/sh.\n"
		       "l d/sym 777 1000:1000 1700000000 -> a.txt\n");
	real(&ustar_tar, "d p/ 755 1000:1000 1700000000\n"
			 "d p/q{90}/ 755 1000:1000 1700000000\n"
			 "f p/q{90}/r{30}.txt 644 1000:1000 1700000000 5 deep.\n"
			 "f d/a.txt 644 1000:1000 1700000000 6 hello.\n"
			 "h d/hard 644 1000:1000 1700000000 -> d/a.txt\n"
			 "l d/sym 777 1000:1000 1700000000 -> a.txt\n"
			 "c d/null 644 1000:1000 1700000000 1,3\n"
			 "p d/fifo 644 1000:1000 1700000000\n");
	real(&v7_tar, "d p/ 755 1000:1000 1700000000\n"
		      "f d/a.txt 644 1000:1000 1700000000 6 hello.\n"
		      "l d/sym 777 1000:1000 1700000000 -> a.txt\n");
	/* Base-256 uid and gid, and a negative time. */
	real(&gnu256_tar, "f d/a.txt 644 3000000:4000000 -100000 6 hello.\n");
	/* A global header first (comment=kbox), then pax uid, mtime with a fraction, xattrs,
	 * path and linkpath. */
	real(&pax_tar, "f x.txt 644 3000000:1000 1700000000 2 x. xattrs=2:user.a\n"
		       "f d/n{110} 644 3000000:1000 1700000000 5 long.\n"
		       "l d/longlink 777 3000000:1000 1700000000 -> /t{140}\n");
	/* Each attribute twice (LIBARCHIVE.xattr and SCHILY.xattr), fields as "000644 \0". */
	real(&bsdpax_tar, "f x.txt 644 0:0 1700000000 2 x. xattrs=2:user.b\n"
			  "f d/n{110} 644 0:0 1700000000 5 long.\n");
	/* Go, GNU format: "././@LongLink". */
	real(&go_layer_tar, "d ./ 755 0:0 1796151082\n"
			    "d ./etc/ 755 0:0 1796151082\n"
			    "f ./etc/hello 4755 0:0 1796151082 3 hi.\n"
			    "l ./etc/hi 777 0:0 1796151082 -> hello\n"
			    "f ./etc/g{120} 644 0:0 1796151082 2 x.\n");
	/* Go, ustar, with the type bits in the mode field (0100644). */
	real(&go_oci_tar,
	     "d blobs/ 755 0:0 1796151082\n"
	     "d blobs/sha256/ 755 0:0 1796151082\n"
	     "f blobs/sha256/122f9f7c8d8c910193120b805940ed7bba6757e17f29ae7e17f73c22aab77024 "
	     "644 0:0 1796151082 275 ......n.....Mj.0\n"
	     "f blobs/sha256/a9b41ceef6b684f95b89d7cbe22a2ab327725dc8fd63c6031dfe110ee638db4b "
	     "644 0:0 1796151082 344 {\"schemaVersion\"\n"
	     "f blobs/sha256/ec8521169cdaf0e15c04172bb9055512d735fcfb0df168aafc2c593c3349f881 "
	     "644 0:0 1796151082 409 {\"created\":\"2026\n"
	     "f index.json 644 0:0 1796151082 260 {\"schemaVersion\"\n"
	     "f oci-layout 644 0:0 1796151082 31 {\"imageLayoutVer\n");
}

/* ---- headers ---- */

static void test_headers(void)
{
	unsigned char *b;

	/* ustar: prefix and name joined with a slash; each may fill its field unterminated. */
	reset();
	b = hdr("nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
		"nnnnnn"
		"nnnnnnnnnnnn",
		'0', 0);
	memset(b + 345, 'p', 155);
	sum(b);
	end();
	is_int(list_arc(), 0, "ustar prefix");
	is_str(listing, "f p{155}/n{100} 644 1000:1000 1700000000 0\n", "prefix/name, both full");

	/* star: the prefix is 131 bytes, times follow, "tar\0" at the end says so. */
	reset();
	b = hdr("name", '0', 0);
	memcpy(b + 345, "pre", 3);
	memset(b + 476, '1', 24);
	memcpy(b + 508, "tar", 4);
	sum(b);
	end();
	list_arc();
	is_str(listing, "f pre/name 644 1000:1000 1700000000 0\n", "star prefix");

	/* GNU and v7 headers have no prefix: GNU keeps atime and ctime there. */
	reset();
	b = hdr("g", '0', 0);
	memcpy(b + 257, "ustar  ", 8);
	memcpy(b + 345, "14524770400", 11);
	sum(b);
	b = hdr("v", '0', 0);
	memset(b + 257, 0, 8);
	memcpy(b + 345, "pre", 3);
	sum(b);
	/* "ustar\0" with another version is v7 to Go: no prefix either. */
	b = hdr("u", '0', 0);
	memcpy(b + 263, "\0\0", 2);
	memcpy(b + 345, "pre", 3);
	sum(b);
	end();
	list_arc();
	is_str(listing,
	       "f g 644 1000:1000 1700000000 0\n"
	       "f v 644 1000:1000 1700000000 0\n"
	       "f u 644 1000:1000 1700000000 0\n",
	       "no prefix in GNU and v7 headers");

	/* Checksums summed as signed chars pass too; a wrong one does not. */
	reset();
	b = hdr("\xc3\xa9t\xc3\xa9", '0', 0);
	sum_as(b, true);
	b = hdr("unsigned\xff", '0', 0);
	end();
	is_int(list_arc(), 0, "signed and unsigned checksums");
	is_str(listing,
	       "f \xc3\xa9t\xc3\xa9 644 1000:1000 1700000000 0\n"
	       "f unsigned\xff 644 1000:1000 1700000000 0\n",
	       "both read");
	reset();
	b = hdr("a", '0', 0);
	b[0] = 'b';
	end();
	fails("offset 0: bad header checksum", "a changed byte");
	reset();
	file("a", "x");
	b = hdr("b", '0', 0);
	memset(b + 148, ' ', 8);
	end();
	fails("offset 1024: bad header checksum", "an empty checksum field");
	reset();
	b = hdr("a", '0', 0);
	memcpy(b + 148, "0x1234 ", 7);
	end();
	fails("offset 0: bad header checksum", "a checksum that is not octal");

	/* Octal fields: spaces and NULs around the digits, a field full of digits. */
	reset();
	b = hdr("a", '0', 0);
	memcpy(b + 100, "  755 \0", 8);
	memcpy(b + 108, "\0\0\0\0\0\0\0", 8);
	memcpy(b + 116, "00000012", 8);
	memcpy(b + 136, "000000000012", 12);
	sum(b);
	end();
	is_int(list_arc(), 0, "octal fields as writers spell them");
	is_str(listing, "f a 755 0:10 10 0\n", "spaces, empty, full fields");
	reset();
	b = hdr("a", '0', 0);
	memcpy(b + 100, "07 55\0", 7);
	sum(b);
	end();
	fails("offset 0: bad mode field", "a space among the digits");
	reset();
	b = hdr("a", '0', 0);
	memcpy(b + 108, "0000008", 7);
	sum(b);
	end();
	fails("offset 0: bad uid field", "an 8 in an octal field");
	reset();
	b = hdr("a", '0', 0);
	memcpy(b + 124, "1e3", 4);
	sum(b);
	end();
	fails("offset 0: bad size field", "a size that is not octal");
	reset();
	b = hdr("a", '0', 0);
	memcpy(b + 136, "-1", 3);
	sum(b);
	end();
	fails("offset 0: bad mtime field", "a sign in an octal field");

	/* Modes: the type bits some writers add are dropped, setuid and sticky kept. */
	reset();
	b = hdr("a", '0', 0);
	octal(b + 100, 8, 0104755);
	sum(b);
	b = hdr("b/", '5', 0);
	octal(b + 100, 8, 07777);
	sum(b);
	end();
	list_arc();
	is_str(listing,
	       "f a 4755 1000:1000 1700000000 0\n"
	       "d b/ 7777 1000:1000 1700000000\n",
	       "mode: 12 bits");

	/* An entry needs a name. */
	reset();
	hdr("", '0', 0);
	end();
	fails("offset 0: an entry without a name", "an empty name");
}

static void test_base256(void)
{
	unsigned char *b;

	reset();
	b = hdr("a", '0', 0);
	base256(b + 108, 8, 4294967295);
	base256(b + 116, 8, 7);
	base256(b + 136, 12, -1);
	base256(b + 124, 12, 3);
	sum(b);
	data("abc", 3);
	end();
	is_int(list_arc(), 0, "base-256 numbers");
	is_str(listing, "f a 644 4294967295:7 -1 3 abc\n", "uid 2^32-1, mtime -1, size 3");

	reset();
	b = hdr("a", '0', 0);
	base256(b + 108, 8, 4294967296);
	sum(b);
	end();
	fails("offset 0: uid does not fit 32 bits", "uid 2^32");
	reset();
	b = hdr("a", '0', 0);
	base256(b + 116, 8, -1);
	sum(b);
	end();
	fails("offset 0: negative gid", "gid -1");
	reset();
	b = hdr("a", '0', 0);
	base256(b + 124, 12, -512);
	sum(b);
	end();
	fails("offset 0: negative size", "a negative size");
	reset();
	b = hdr("a", '0', 0);
	memset(b + 124, 0xff, 12);
	b[124] = 0x80;
	sum(b);
	end();
	fails("offset 0: size field does not fit 63 bits", "a size near 2^96");
	reset();
	b = hdr("a", '0', 0);
	memset(b + 124, 0, 12);
	b[124] = 0x80;
	memset(b + 128, 0xff, 8);
	b[128] = 0x80;
	sum(b);
	end();
	fails("offset 0: size field does not fit 63 bits", "size 2^63 and more");
	reset();
	b = hdr("a", '0', 0);
	memset(b + 124, 0, 12);
	b[124] = 0x80;
	memset(b + 128, 0xff, 8);
	sum(b);
	end();
	fails("offset 0: size field does not fit 63 bits", "size 2^64 - 1");
	reset();
	b = hdr("a", '0', 0);
	base256(b + 124, 12, INT64_MAX);
	sum(b);
	end();
	fails("offset 0: 'a': truncated inside its data", "size 2^63 - 1: read, no allocation");

	/* Devices: numbers from ustar and GNU headers, base-256 too; v7 has none. */
	reset();
	b = hdr("c", '3', 0);
	octal(b + 329, 8, 4);
	octal(b + 337, 8, 64);
	sum(b);
	b = hdr("b", '4', 0);
	base256(b + 329, 8, 259);
	base256(b + 337, 8, 1048575);
	sum(b);
	b = hdr("v", '3', 0);
	memset(b + 257, 0, 8);
	octal(b + 329, 8, 4);
	sum(b);
	end();
	list_arc();
	is_str(listing,
	       "c c 644 1000:1000 1700000000 4,64\n"
	       "b b 644 1000:1000 1700000000 259,1048575\n"
	       "c v 644 1000:1000 1700000000 0,0\n",
	       "device numbers");
	reset();
	b = hdr("c", '3', 0);
	base256(b + 337, 8, 1LL << 32);
	sum(b);
	end();
	fails("offset 0: devminor does not fit 32 bits", "devminor 2^32");
}

static void test_types(void)
{
	unsigned char *b;

	reset();
	file("f0", "0");
	hdr("fnul", '\0', 1);
	data("n", 1);
	hdr("f7", '7', 1);
	data("7", 1);
	hdr("dir/", '5', 0);
	hdr("v7dir/", '\0', 0);
	b = hdr("hard", '1', 0);
	memcpy(b + 157, "f0", 2);
	sum(b);
	b = hdr("sym", '2', 0);
	memset(b + 157, 'l', 100);
	sum(b);
	hdr("chr", '3', 0);
	hdr("blk", '4', 0);
	hdr("fifo", '6', 0);
	end();
	is_int(list_arc(), 0, "every entry type");
	is_str(listing,
	       "f f0 644 1000:1000 1700000000 1 0\n"
	       "f fnul 644 1000:1000 1700000000 1 n\n"
	       "f f7 644 1000:1000 1700000000 1 7\n"
	       "d dir/ 644 1000:1000 1700000000\n"
	       "d v7dir/ 644 1000:1000 1700000000\n"
	       "h hard 644 1000:1000 1700000000 -> f0\n"
	       "l sym 644 1000:1000 1700000000 -> l{100}\n"
	       "c chr 644 1000:1000 1700000000 0,0\n"
	       "b blk 644 1000:1000 1700000000 0,0\n"
	       "p fifo 644 1000:1000 1700000000\n",
	       "types, a v7 directory, a 100-byte link name");

	/* Only regular files have data, as Go reads them: a size on a link or a directory is
	 * not a length to skip. */
	reset();
	b = hdr("hard", '1', 512);
	memcpy(b + 157, "x", 1);
	sum(b);
	hdr("d/", '5', 1024);
	file("after", "ok");
	end();
	is_int(list_arc(), 0, "sizes on links and directories");
	is_str(listing,
	       "h hard 644 1000:1000 1700000000 -> x\n"
	       "d d/ 644 1000:1000 1700000000\n"
	       "f after 644 1000:1000 1700000000 2 ok\n",
	       "their size is 0 and no data follows");

	static const struct {
		char type;
		const char *msg;
	} bad[] = {
		{'S', "offset 512: unsupported entry type 'S'"},
		{'V', "offset 512: unsupported entry type 'V'"},
		{'M', "offset 512: unsupported entry type 'M'"},
		{'N', "offset 512: unsupported entry type 'N'"},
		{'D', "offset 512: unsupported entry type 'D'"},
		{'A', "offset 512: unsupported entry type 'A'"},
		{'8', "offset 512: unsupported entry type '8'"},
		{'\1', "offset 512: unsupported entry type '\\x01'"},
		{'\xe9', "offset 512: unsupported entry type '\\xe9'"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		reset();
		file("a", "");
		hdr("b", bad[i].type, 0);
		end();
		fails(bad[i].msg, "an unsupported type");
	}
}

static void test_pax(void)
{
	char big[200001];

	reset();
	pax('x', cat(cat(rec("path", "long/path"), rec("uid", "4294967295")),
		     cat(rec("gid", "0"), rec("mtime", "1700000001.999999999"))));
	file("short", "data");
	pax('x', cat(cat(rec("linkpath", "target"), rec("atime", "1.5")),
		     cat(rec("uname", "root"), rec("comment", "x=y"))));
	hdr("sym", '2', 0);
	pax('x', cat(rec("SCHILY.xattr.security.capability", "\x01\x02"),
		     cat(rec("SCHILY.xattr.user.a", ""), rec("LIBARCHIVE.xattr.user.a", "MQ"))));
	file("caps", "");
	pax('x', rec("mtime", "-1.5"));
	file("old", "");
	pax('x', rec("mtime", "12."));
	file("dot", "");
	end();
	is_int(list_arc(), 0, "pax records");
	is_str(listing,
	       "f long/path 644 4294967295:0 1700000001 4 data\n"
	       "l sym 644 1000:1000 1700000000 -> target\n"
	       "f caps 644 1000:1000 1700000000 0 xattrs=2:security.capability\n"
	       "f old 644 1000:1000 -1 0\n"
	       "f dot 644 1000:1000 12 0\n",
	       "path, uid, gid, mtime, linkpath, xattrs; other keys ignored");

	/* pax size: the header's may be anything (0 here), the record says what follows. */
	reset();
	pax('x', rec("size", "600"));
	memset(big, 'z', 600);
	hdr("big", '0', 0);
	data(big, 600);
	file("next", "n");
	end();
	is_int(list_arc(), 0, "pax size");
	is_str(listing,
	       "f big 644 1000:1000 1700000000 600 zzzzzzzzzzzzzzzz\n"
	       "f next 644 1000:1000 1700000000 1 n\n",
	       "the record's size is the data's");

	/* An empty value undoes the key; two pax headers in a row add up, the later wins. */
	reset();
	pax('x', cat(rec("path", "first"), rec("uid", "5")));
	pax('x', cat(rec("path", ""), rec("gid", "6")));
	file("header", "");
	end();
	list_arc();
	is_str(listing, "f header 644 5:6 1700000000 0\n", "an empty value; two pax headers");

	/* A path of 100000 bytes, by pax and by a GNU long name. */
	memset(big, 'p', 100000);
	big[100000] = '\0';
	reset();
	{
		static char recs[100100];

		memcpy(recs, "100013 path=", 12);
		memcpy(recs + 12, big, 100000);
		memcpy(recs + 100012, "\n", 2);
		pax('x', recs);
	}
	file("short", "");
	meta('L', big, 100000);
	file("short2", "");
	end();
	is_int(list_arc(), 0, "100000-byte paths");
	is_str(listing,
	       "f p{100000} 644 1000:1000 1700000000 0\n"
	       "f p{100000} 644 1000:1000 1700000000 0\n",
	       "from pax and from 'L'");

	/* The most pax data that is buffered: 1 MiB passes, a byte more does not. */
	{
		static char mib[(1 << 20) + 2];
		size_t n = 1 << 20;

		memset(mib, 'c', n);
		memcpy(mib, "1048576 comment=", 16);
		mib[n - 1] = '\n';
		reset();
		meta('x', mib, n);
		file("a", "");
		end();
		is_int(list_arc(), 0, "a pax header of 1 MiB");
		reset();
		meta('x', mib, n + 1);
		file("a", "");
		end();
		fails("offset 0: pax header of 1048577 bytes: more than 1 MiB", "1 MiB + 1");
	}
	/* A pax header that says 1 GiB (or 2^63 - 1): refused before anything is allocated. */
	reset();
	hdr("PaxHeaders/x", 'x', 1 << 30);
	fails("offset 0: pax header of 1073741824 bytes: more than 1 MiB", "a pax header of 1 GiB");
	reset();
	hdr("GlobalHead.0", 'g', 1 << 30);
	fails("offset 0: pax global header of 1073741824 bytes: more than 1 MiB",
	      "a global header of 1 GiB");
	reset();
	base256(hdr("PaxHeaders/x", 'x', 0) + 124, 12, INT64_MAX);
	sum(arc);
	fails("offset 0: pax header of 9223372036854775807 bytes: more than 1 MiB",
	      "a pax header of 2^63 - 1");
	reset();
	meta('L', big, 100000);
	hdr("././@LongLink", 'K', (1 << 20) + 1);
	fails("offset 100864: GNU long link name of 1048577 bytes: more than 1 MiB",
	      "a GNU long link over 1 MiB");
}

static void test_pax_errors(void)
{
	static const struct {
		const char *records, *msg;
	} bad[] = {
		{"99999999999999999999999 path=a\n",
		 "offset 0: pax record at 0: its length is past the header's data"},
		{"18446744073709551617 path=a\n",
		 "offset 0: pax record at 0: its length is past the header's data"},
		{"30 path=a\n", "offset 0: pax record at 0: its length is past the header's data"},
		{"11 path=a\n11 uid=5\n",
		 "offset 0: pax record at 0: no newline where its length ends"},
		{"8 path=a\n", "offset 0: pax record at 0: no newline where its length ends"},
		{"0 path=a\n", "offset 0: pax record at 0: length 0 is too short"},
		{"4 =\n", "offset 0: pax record at 0: length 4 is too short"},
		{"00000000000 path=\n", "offset 0: pax record at 0: length 0 is too short"},
		{"x path=a\n", "offset 0: pax record at 0: no decimal length"},
		{" 9 path=a\n", "offset 0: pax record at 0: no decimal length"},
		{"+9 path=a\n", "offset 0: pax record at 0: no decimal length"},
		{"9\tpath=a\n", "offset 0: pax record at 0: no decimal length"},
		{"10 path=a\n12",
		 "offset 0: pax record at 10: its length is past the header's data"},
		{"10 path=a\n\n", "offset 0: pax record at 10: no decimal length"},
		{"8 patha\n", "offset 0: pax record at 0: no key=value"},
		{"7 =abc\n", "offset 0: pax record at 0: no key=value"},
		{"12 uid=1\n=a\n", "offset 0: bad pax uid '1\\x0a=a'"},
	};
	static const struct {
		const char *key, *val, *msg;
	} bad_values[] = {
		{"uid", "12a", "offset 0: bad pax uid '12a'"},
		{"uid", "-1", "offset 0: bad pax uid '-1'"},
		{"uid", " 1", "offset 0: bad pax uid ' 1'"},
		{"uid", "4294967296", "offset 0: pax uid '4294967296' does not fit 32 bits"},
		{"gid", "99999999999999999999999",
		 "offset 0: pax gid '99999999999999999999999' "
		 "does not fit 32 bits"},
		{"size", "-1", "offset 0: bad pax size '-1'"},
		{"size", "0x10", "offset 0: bad pax size '0x10'"},
		{"size", "9223372036854775808", "offset 0: bad pax size '9223372036854775808'"},
		{"mtime", "1.a", "offset 0: bad pax mtime '1.a'"},
		{"mtime", ".", "offset 0: bad pax mtime '.'"},
		{"mtime", ".5", "offset 0: bad pax mtime '.5'"},
		{"mtime", "-", "offset 0: bad pax mtime '-'"},
		{"mtime", "--1", "offset 0: bad pax mtime '--1'"},
		{"mtime", "1e9", "offset 0: bad pax mtime '1e9'"},
		{"mtime", "9223372036854775808.5",
		 "offset 0: bad pax mtime '9223372036854775808.5'"},
		{"GNU.sparse.map", "0,512",
		 "offset 0: pax record 'GNU.sparse.map': sparse files "
		 "are not supported"},
		{"GNU.sparse.major", "1",
		 "offset 0: pax record 'GNU.sparse.major': sparse files "
		 "are not supported"},
	};
	static const struct {
		const char *records;
		size_t len;
		const char *msg;
	} nul[] = {
		{"11 path=a\0\n", 11, "offset 0: pax path holds a NUL byte"},
		{"14 linkpath=\0\n", 14, "offset 0: pax linkpath holds a NUL byte"},
		{"9 pa\0h=a\n", 9, "offset 0: pax record at 0: the key holds a NUL byte"},
		{"\0", 1, "offset 0: pax record at 0: no decimal length"},
		{"5 a=\n\0\0\0", 8, "offset 0: pax record at 5: no decimal length"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		reset();
		pax('x', bad[i].records);
		file("a", "");
		end();
		fails(bad[i].msg, "bad record");
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad_values); i++) {
		reset();
		pax('x', rec(bad_values[i].key, bad_values[i].val));
		file("a", "");
		end();
		fails(bad_values[i].msg, bad_values[i].key);
	}
	for (size_t i = 0; i < ARRAY_SIZE(nul); i++) {
		reset();
		meta('x', nul[i].records, nul[i].len);
		file("a", "");
		end();
		fails(nul[i].msg, "NUL bytes");
	}
	/* A value may hold NULs where no path is made of it. */
	reset();
	meta('x', "15 comment=\0\0\0\n", 15);
	file("a", "");
	end();
	is_int(list_arc(), 0, "NULs in a comment");

	/* pax and GNU headers must be followed by the entry they describe. */
	reset();
	pax('x', rec("path", "a"));
	end();
	fails("offset 0: a pax or GNU header without its entry", "pax, then the end");
	reset();
	file("a", "");
	meta('L', "name", 4);
	end();
	fails("offset 512: a pax or GNU header without its entry", "'L', then the end");
	reset();
	pax('x', rec("path", "a"));
	pax('g', rec("uid", "1"));
	file("a", "");
	end();
	fails("offset 0: a pax or GNU header without its entry", "pax, then a global header");
	reset();
	meta('K', "name", 4);
	fails("offset 0: truncated: a pax or GNU header without its entry",
	      "'K', then the end of input");
	reset();
	hdr("PaxHeaders/x", 'x', 100);
	fails("offset 0: truncated inside the data of a pax header", "pax data cut short");
	reset();
	pax('x', rec("path", "a"));
	alen -= 1;
	fails("offset 0: truncated inside the data of a pax header", "pax padding cut short");
}

static void test_global(void)
{
	/* Global records hold for every later entry, under the entry's own; an empty local
	 * value goes back to the header's field, past the global one. */
	reset();
	file("before", "");
	pax('g', cat(cat(rec("uid", "7"), rec("mtime", "5")), rec("comment", "kbox")));
	file("a", "");
	pax('x', rec("uid", "8"));
	file("b", "");
	pax('x', rec("uid", ""));
	file("c", "");
	pax('g', rec("gid", "9"));
	file("d", "");
	pax('g', rec("mtime", ""));
	file("e", "");
	pax('g', rec("SCHILY.xattr.user.g", "1"));
	pax('x', rec("SCHILY.xattr.user.l", "1"));
	file("f", "");
	end();
	is_int(list_arc(), 0, "global headers");
	is_str(listing,
	       "f before 644 1000:1000 1700000000 0\n"
	       "f a 644 7:1000 5 0\n"
	       "f b 644 8:1000 5 0\n"
	       "f c 644 1000:1000 5 0\n"
	       "f d 644 7:9 5 0\n"
	       "f e 644 7:9 1700000000 0\n"
	       "f f 644 7:9 1700000000 0 xattrs=2:user.g\n",
	       "applied as pax says");

	/* A global path names every later entry, as pax says (and GNU tar does). */
	reset();
	pax('g', rec("path", "same"));
	file("a", "");
	pax('x', rec("path", "own"));
	file("b", "");
	end();
	list_arc();
	is_str(listing,
	       "f same 644 1000:1000 1700000000 0\n"
	       "f own 644 1000:1000 1700000000 0\n",
	       "a global path");

	/* A global header at the very end. */
	reset();
	file("a", "");
	pax('g', rec("comment", "x"));
	end();
	is_int(list_arc(), 0, "a global header before the end");
}

static void test_gnu_long(void)
{
	unsigned char *b;

	reset();
	meta('L', "terminated\0", 11);
	file("short", "1");
	meta('L', "unterminated", 12);
	file("short", "2");
	meta('L', "cut\0here", 8);
	file("short", "3");
	meta('K', "long-target", 11);
	meta('L', "link", 4);
	b = hdr("lin", '2', 0);
	memcpy(b + 157, "targ", 4);
	sum(b);
	/* 'L' wins over a pax path, as in Go's archive/tar. */
	pax('x', cat(rec("path", "pax"), rec("linkpath", "paxlink")));
	meta('L', "gnu", 3);
	file("hdr", "");
	pax('x', rec("linkpath", "paxlink"));
	b = hdr("hl", '1', 0);
	memcpy(b + 157, "hdrlink", 7);
	sum(b);
	end();
	is_int(list_arc(), 0, "GNU long names");
	is_str(listing,
	       "f terminated 644 1000:1000 1700000000 1 1\n"
	       "f unterminated 644 1000:1000 1700000000 1 2\n"
	       "f cut 644 1000:1000 1700000000 1 3\n"
	       "l link 644 1000:1000 1700000000 -> long-target\n"
	       "f gnu 644 1000:1000 1700000000 0\n"
	       "h hl 644 1000:1000 1700000000 -> paxlink\n",
	       "NUL-terminated or not, cut at a NUL, 'K', pax under 'L'");
	reset();
	meta('L', "", 0);
	file("x", "");
	end();
	list_arc();
	is_str(listing, "f x 644 1000:1000 1700000000 0\n", "an empty long name is none, as in Go");
	reset();
	meta('L', "\0\0", 2);
	file("x", "");
	end();
	list_arc();
	is_str(listing, "f x 644 1000:1000 1700000000 0\n", "so is a long name of NULs");
}

/* ---- the end ---- */

static void test_end(void)
{
	const struct tar_entry *e;

	reset();
	file("a", "x");
	end();
	memset(arc + alen, 'j', 1000);
	alen += 1000;
	is_int(list_arc(), 0, "two zero blocks end it");
	is_int(in.off, 2048, "what follows is not read");
	is_int(tar_next(&r, &e, err, sizeof(err)), 0, "tar_next after the end: 0 again");

	reset();
	file("a", "x");
	block();
	is_int(list_arc(), 0, "one zero block and the end of input");
	reset();
	file("a", "x");
	block();
	alen += 100;
	fails("offset 1536: truncated inside the end-of-archive blocks", "one and a bit");
	reset();
	file("a", "x");
	block();
	file("b", "y");
	end();
	fails("offset 1024: a lone zero block before more headers", "a zero block mid-archive");
	reset();
	file("a", "x");
	fails("offset 1024: truncated: no end-of-archive blocks", "no end");
	reset();
	fails("offset 0: truncated: no end-of-archive blocks", "empty input");
	reset();
	file("a", "x");
	alen += 100;
	fails("offset 1024: truncated inside a header", "a partial header");
	reset();
	hdr("a", '0', 1000);
	alen += 700;
	fails("offset 0: 'a': truncated inside its data", "data cut short while reading");
	is_int(tar_next(&r, &e, err, sizeof(err)), -EINVAL, "the error sticks");
	is_str(err, "offset 1212: the archive failed to read before", "and says so");
	reset();
	hdr("a", '0', 1000);
	alen += 1020;
	start(arc, alen, 0);
	is_int(tar_next(&r, &e, err, sizeof(err)), 1, "an entry cut in its padding");
	is_int(tar_next(&r, &e, err, sizeof(err)), -EINVAL, "skipping it");
	is_str(err, "offset 0: 'a': truncated inside its data", "truncated");
	reset();
	hdr("a", '0', 1000);
	alen += 700;
	start(arc, alen, 0);
	tar_next(&r, &e, err, sizeof(err));
	is_int(tar_next(&r, &e, err, sizeof(err)), -EINVAL, "skipping data cut short");
	is_str(err, "offset 0: 'a': truncated inside its data", "truncated");
	reset();
	hdr("a\x1b[2J", '0', 10);
	alen += 5;
	fails("offset 0: 'a\\x1b[2J': truncated inside its data", "names in messages escaped");
}

/* ---- data ---- */

static void test_data(void)
{
	const struct tar_entry *e;
	char buf[2048], text[1100];
	ssize_t n;
	size_t total;

	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = 'a' + i % 26;
	reset();
	hdr("n512", '0', 512);
	data(text, 512);
	hdr("n1024", '0', 1024);
	data(text, 1024);
	hdr("zero", '0', 0);
	hdr("partial", '0', 1100);
	data(text, 1100);
	hdr("skipped", '0', 1100);
	data(text, 1100);
	file("last", "end");
	end();

	start(arc, alen, 0);
	is_int(tar_next(&r, &e, err, sizeof(err)), 1, "a file of 512 bytes");
	is_int(e->size, 512, "size 512");
	is_int(tar_read(&r, buf, sizeof(buf), err, sizeof(err)), 512, "read whole");
	ok(memcmp(buf, text, 512) == 0, "its bytes");
	is_int(tar_read(&r, buf, sizeof(buf), err, sizeof(err)), 0, "then 0");
	is_int(r.pad, 0, "no padding");
	is_int(tar_next(&r, &e, err, sizeof(err)), 1, "a file of 1024 bytes");
	is_str(e->path, "n1024", "right after it");
	is_int(e->offset, 1024, "its offset");
	is_int(tar_next(&r, &e, err, sizeof(err)), 1, "its data skipped unread");
	is_str(e->path, "zero", "a zero-size file");
	is_int(e->offset, 2560, "at 2560");
	is_int(tar_read(&r, buf, sizeof(buf), err, sizeof(err)), 0, "has nothing to read");
	is_int(tar_next(&r, &e, err, sizeof(err)), 1, "a file read in small pieces");
	total = 0;
	while ((n = tar_read(&r, buf + total, 3, err, sizeof(err))) > 0)
		total += n;
	is_int(total, 1100, "1100 bytes, 3 at a time");
	ok(memcmp(buf, text, 1100) == 0, "its bytes");
	is_int(tar_read(&r, buf, 0, err, sizeof(err)), 0, "a read of 0 bytes");
	is_int(tar_next(&r, &e, err, sizeof(err)), 1, "a file read in part");
	is_int(tar_read(&r, buf, 10, err, sizeof(err)), 10, "10 bytes of it");
	is_int(r.left, 1090, "1090 left");
	is_int(r.pad, 436, "436 of padding");
	is_int(tar_next(&r, &e, err, sizeof(err)), 1, "the rest skipped");
	is_str(e->path, "last", "the next entry");
	is_int(tar_read(&r, buf, 2, err, sizeof(err)), 2, "a read shorter than the data");
	is_int(tar_read(&r, buf + 2, 100, err, sizeof(err)), 1, "a read longer than what is left");
	ok(memcmp(buf, "end", 3) == 0, "its bytes");
	is_int(tar_next(&r, &e, err, sizeof(err)), 0, "the end");
	is_int(r.pos, alen, "every byte consumed");

	/* The input given one byte a read. */
	start(arc, alen, 1);
	is_int(list(), 0, "reads of one byte");
	is_str(listing,
	       "f n512 644 1000:1000 1700000000 512 abcdefghijklmnop\n"
	       "f n1024 644 1000:1000 1700000000 1024 abcdefghijklmnop\n"
	       "f zero 644 1000:1000 1700000000 0\n"
	       "f partial 644 1000:1000 1700000000 1100 abcdefghijklmnop\n"
	       "f skipped 644 1000:1000 1700000000 1100 abcdefghijklmnop\n"
	       "f last 644 1000:1000 1700000000 3 end\n",
	       "each read got one byte");

	/* A data read is a single read of the input: a short one is passed on. */
	start(arc, alen, 100);
	tar_next(&r, &e, err, sizeof(err));
	is_int(tar_read(&r, buf, 512, err, sizeof(err)), 100, "a short read passed on");

	/* Read errors: the callback's -errno, and one that returns more than asked. */
	start(arc, alen, 0);
	in.fail_at = 1;
	is_int(tar_next(&r, &e, err, sizeof(err)), 1, "the first header");
	is_int(tar_read(&r, buf, 10, err, sizeof(err)), -EIO, "a read error in data");
	is_str(err, "offset 0: 'n512': cannot read: Input/output error", "says where");
	start(arc, alen, 0);
	in.fail_at = 600;
	tar_next(&r, &e, err, sizeof(err));
	tar_read(&r, buf, 100, err, sizeof(err));
	is_int(tar_next(&r, &e, err, sizeof(err)), -EIO, "a read error while skipping");
	start(arc, alen, 0);
	in.fail_at = 1024;
	tar_next(&r, &e, err, sizeof(err));
	is_int(tar_next(&r, &e, err, sizeof(err)), -EIO, "a read error in a header");
	is_str(err, "offset 1024: cannot read: Input/output error", "at the header");
	start(arc, alen, 0);
	in.overread = true;
	is_int(tar_next(&r, &e, err, sizeof(err)), -EIO, "a callback returning too much");
	tar_free(&r);
	tar_free(&r);
}

int main(void)
{
	test_real();
	test_headers();
	test_base256();
	test_types();
	test_pax();
	test_pax_errors();
	test_global();
	test_gnu_long();
	test_end();
	test_data();
	tar_free(&r);
	return done();
}
