/* libFuzzer target: the tar reader over every entry and its data. The first byte picks how
 * the input arrives (all that is asked, or reads of 1, 7, 100 or 512 bytes), whether each
 * file's data is read whole, read in part or skipped, and (its high bit) whether every
 * block gets a right checksum first, so that mutations reach past the headers' check. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/image/tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct feed {
	const uint8_t *p;
	size_t len, off, chunk;
};

static ssize_t feed_read(void *ctx, void *buf, size_t len)
{
	struct feed *f = ctx;
	size_t n = f->len - f->off;

	if (n > len)
		n = len;
	if (f->chunk && n > f->chunk)
		n = f->chunk;
	memcpy(buf, f->p + f->off, n);
	f->off += n;
	return n;
}

/* What the reader promises of every entry it returns. */
static void check(const struct tar_reader *r, const struct tar_entry *e)
{
	bool link = e->type == TAR_HARDLINK || e->type == TAR_SYMLINK;

	if (!e->path || !*e->path || e->mode > 07777 || e->type > TAR_FIFO)
		abort();
	if (link != (e->link != NULL))
		abort();
	if (e->type != TAR_FILE && e->size)
		abort();
	if (e->size > INT64_MAX || r->left != e->size || (r->pad + e->size) % 512 || r->pad >= 512)
		abort();
	if (e->nxattrs && !e->xattr)
		abort();
}

/* Every block that is not all zeros gets the checksum of a header. */
static void fix_checksums(uint8_t *p, size_t len)
{
	for (size_t off = 0; off + 512 <= len; off += 512) {
		uint8_t *b = p + off;
		unsigned sum = 0;
		bool zero = true;

		for (size_t i = 0; i < 512; i++)
			zero &= !b[i];
		if (zero)
			continue;
		memset(b + 148, ' ', 8);
		for (size_t i = 0; i < 512; i++)
			sum += b[i];
		for (int i = 5; i >= 0; i--, sum >>= 3)
			b[148 + i] = '0' + (sum & 7);
		b[154] = '\0';
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[] = {0, 1, 7, 100, 512};
	struct feed f = {.len = size ? size - 1 : 0};
	uint8_t *copy = malloc(f.len + 1);
	const struct tar_entry *e;
	struct tar_reader r;
	char err[256], buf[4096];
	uint8_t pick = size ? data[0] : 0;
	int rc;

	if (!copy)
		return 0;
	memcpy(copy, data + (size > 0), f.len);
	if (pick & 0x80)
		fix_checksums(copy, f.len);
	f.p = copy;
	f.chunk = chunks[pick % 5];
	tar_init(&r, feed_read, &f);
	while ((rc = tar_next(&r, &e, err, sizeof(err))) == 1) {
		uint64_t got = 0;
		ssize_t n;

		check(&r, e);
		if (pick / 5 % 3 == 2)
			continue;
		while ((n = tar_read(&r, buf, pick / 5 % 3 ? 1 + got % 700 : sizeof(buf), err,
				     sizeof(err))) > 0) {
			got += n;
			if (pick / 5 % 3 == 1 && got > 1000)
				break;
		}
		if (n < 0 && strncmp(err, "offset ", 7) != 0)
			abort();
		if (n == 0 && got != e->size)
			abort();
	}
	if (rc == 0 && !r.end)
		abort();
	if (rc < 0 && strncmp(err, "offset ", 7) != 0)
		abort();
	if (r.pos > f.len)
		abort();
	tar_free(&r);
	free(copy);
	return 0;
}
