/* What a disk holds, from its first and last bytes; the data disk's names; block devices'
 * uevents. Pure code (see blkid.h). */
#include "blkid.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The ext superblock's fields used here (offsets within it; little-endian). */
#define EXT_BLOCKS_LO 4
#define EXT_LOG_BLOCK 24
#define EXT_MAGIC 56
#define EXT_STATE 58
#define EXT_COMPAT 92
#define EXT_INCOMPAT 96
#define EXT_RO_COMPAT 100
#define EXT_UUID 104
#define EXT_LABEL 120
#define EXT_BLOCKS_HI 0x150

#define EXT_STATE_ERRORS 0x2
#define EXT_COMPAT_JOURNAL 0x4
#define EXT_INCOMPAT_FILETYPE 0x2
#define EXT_INCOMPAT_RECOVER 0x4
#define EXT_INCOMPAT_JOURNAL_DEV 0x8
#define EXT_INCOMPAT_META_BG 0x10
#define EXT_INCOMPAT_64BIT 0x80
/* What ext2 knew: the rest (extents, flex_bg, huge files, checksums, ...) makes it ext4. */
#define EXT2_INCOMPAT (EXT_INCOMPAT_FILETYPE | EXT_INCOMPAT_RECOVER | EXT_INCOMPAT_META_BG)
#define EXT2_RO_COMPAT 0x7 /* sparse_super, large_file, btree_dir */

/* The disk as the two windows the caller read. */
struct disk {
	const uint8_t *head, *tail;
	size_t hlen, tlen;
	unsigned long long size;
};

/* LEN bytes at OFF of the disk, if one of the windows holds them all. */
static const uint8_t *at(const struct disk *d, unsigned long long off, size_t len)
{
	unsigned long long tail_start;

	if (off + len <= d->hlen)
		return d->head + off;
	if (!d->tail || d->size < d->tlen)
		return NULL;
	tail_start = d->size - d->tlen;
	if (off >= tail_start && off + len <= d->size)
		return d->tail + (off - tail_start);
	return NULL;
}

static bool has(const struct disk *d, unsigned long long off, const char *magic, size_t len)
{
	const uint8_t *p = at(d, off, len);

	return p && memcmp(p, magic, len) == 0;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static bool probe_ext(const struct disk *d, struct blkid_info *ret)
{
	const uint8_t *sb = at(d, BLKID_EXT_OFFSET, BLKID_EXT_LEN);
	uint32_t incompat, ro_compat, log_block;
	unsigned long long blocks;

	if (!sb || le16(sb + EXT_MAGIC) != 0xef53)
		return false;
	incompat = le32(sb + EXT_INCOMPAT);
	ro_compat = le32(sb + EXT_RO_COMPAT);
	log_block = le32(sb + EXT_LOG_BLOCK);
	if (incompat & EXT_INCOMPAT_JOURNAL_DEV) {
		ret->kind = BLKID_OTHER;
		ret->type = "an ext4 external journal";
		return true;
	}
	ret->kind = BLKID_EXT;
	ret->journal = le32(sb + EXT_COMPAT) & EXT_COMPAT_JOURNAL;
	ret->recover = incompat & EXT_INCOMPAT_RECOVER;
	ret->errors = le16(sb + EXT_STATE) & EXT_STATE_ERRORS;
	if ((incompat & ~EXT2_INCOMPAT) || (ro_compat & ~EXT2_RO_COMPAT))
		ret->type = "ext4";
	else
		ret->type = ret->journal ? "ext3" : "ext2";
	memcpy(ret->uuid, sb + EXT_UUID, sizeof(ret->uuid));
	memcpy(ret->label, sb + EXT_LABEL, BLKID_LABEL_MAX);
	ret->label[BLKID_LABEL_MAX] = '\0';
	blocks = le32(sb + EXT_BLOCKS_LO);
	if (incompat & EXT_INCOMPAT_64BIT)
		blocks |= (unsigned long long)le32(sb + EXT_BLOCKS_HI) << 32;
	/* Blocks are 1 KiB to 64 KiB; a larger shift is a damaged superblock (e2fsck's). */
	ret->bytes = log_block <= 6 ? blocks << (10 + log_block) : 0;
	return true;
}

/* Signatures at fixed places from the start, in blkid's terms. */
static const struct sig {
	unsigned long long off;
	const char *magic;
	size_t len;
	const char *type;
	bool table;
} head_sigs[] = {
	{0, "XFSB", 4, "xfs", false},
	{0, "LUKS\xba\xbe", 6, "LUKS", false},
	{0, "hsqs", 4, "squashfs", false},
	{3, "NTFS    ", 8, "ntfs", false},
	{3, "EXFAT   ", 8, "exfat", false},
	{1024, "\x10\x20\xf5\xf2", 4, "f2fs", false},
	{1024, "\xe2\xe1\xf5\xe0", 4, "erofs", false},
	{0x10040, "_BHRfS_M", 8, "btrfs", false},
	{32769, "CD001", 5, "iso9660", false},
	{0, "\xfc\x4e\x2b\xa9", 4, "a Linux RAID (md) member", false},
	{4096, "\xfc\x4e\x2b\xa9", 4, "a Linux RAID (md) member", false},
	{4096 + 24, "\xc6\x85\x73\xf6\x4e\x1a\x45\xca\x82\x65\xf5\x7f\x48\xba\x6d\x81", 16,
	 "bcache", false},
	{512, "EFI PART", 8, "a GPT partition table", true},
	{4096, "EFI PART", 8, "a GPT partition table", true},
};

static bool probe_sigs(const struct disk *d, struct blkid_info *ret)
{
	static const unsigned long long pages[] = {4096, 8192, 16384, 65536};
	const uint8_t *mbr;

	for (size_t i = 0; i < sizeof(head_sigs) / sizeof(head_sigs[0]); i++) {
		const struct sig *s = &head_sigs[i];

		if (has(d, s->off, s->magic, s->len)) {
			ret->type = s->type;
			ret->partitioned = s->table;
			return true;
		}
	}
	/* LVM2's label is in one of the first four sectors. */
	for (unsigned long long off = 0; off < 2048; off += 512) {
		if (has(d, off, "LABELONE", 8)) {
			ret->type = "an LVM2 physical volume";
			return true;
		}
	}
	/* Swap's signature ends its first page, whatever the page size it was made for. */
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		if (has(d, pages[i] - 10, "SWAPSPACE2", 10) ||
		    has(d, pages[i] - 10, "SWAP-SPACE", 10)) {
			ret->type = "swap";
			return true;
		}
	}
	/* ZFS: an uberblock in the second half of its first label (the first 256 KiB). */
	for (unsigned long long off = 128 << 10; off < 256 << 10; off += 1024) {
		if (has(d, off, "\x0c\xb1\xba\x00\x00\x00\x00\x00", 8)) {
			ret->type = "zfs";
			return true;
		}
	}
	/* At the end: a GPT's backup header, md's 0.90 and 1.0 superblocks. */
	if (d->size >= 512 && has(d, d->size - 512, "EFI PART", 8)) {
		ret->type = "a GPT partition table";
		ret->partitioned = true;
		return true;
	}
	if ((d->size >= 128 << 10 &&
	     has(d, (d->size & ~0xffffULL) - 0x10000, "\xfc\x4e\x2b\xa9", 4)) ||
	    (d->size >= 8192 && has(d, (d->size - 8192) & ~4095ULL, "\xfc\x4e\x2b\xa9", 4))) {
		ret->type = "a Linux RAID (md) member";
		return true;
	}
	/* A boot sector: FAT's, or a partition table's (after the GPT's protective one). */
	mbr = at(d, 0, 512);
	if (mbr && mbr[510] == 0x55 && mbr[511] == 0xaa) {
		if (!memcmp(mbr + 54, "FAT", 3) || !memcmp(mbr + 82, "FAT32", 5)) {
			ret->type = "vfat";
		} else {
			ret->type = "an MBR partition table";
			ret->partitioned = true;
		}
		return true;
	}
	return false;
}

/* The offset of the first non-zero byte of P, or LEN. */
static size_t first_nonzero(const uint8_t *p, size_t len)
{
	size_t i = 0;

	for (; i < len && !p[i]; i++)
		;
	return i;
}

void blkid_probe(const uint8_t *head, size_t hlen, const uint8_t *tail, size_t tlen,
		 unsigned long long size, struct blkid_info *ret)
{
	struct disk d = {head, tail, hlen, tail ? tlen : 0, size};
	size_t h = first_nonzero(head, hlen), t = tail ? first_nonzero(tail, tlen) : tlen;

	memset(ret, 0, sizeof(*ret));
	if (h == hlen && (!tail || t == tlen)) {
		ret->kind = BLKID_BLANK;
		return;
	}
	if (probe_ext(&d, ret))
		return;
	ret->kind = BLKID_OTHER;
	if (probe_sigs(&d, ret))
		return;
	ret->kind = BLKID_UNKNOWN;
	ret->nonzero = h < hlen ? h : size - d.tlen + t;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 8-4-4-4-12 hex digits. */
static int parse_uuid(const char *s, uint8_t uuid[16])
{
	size_t n = 0;

	for (size_t i = 0; i < 36; i++) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -EINVAL;
			continue;
		}
		hi = hexval(s[i]);
		lo = hi >= 0 ? hexval(s[i + 1]) : -1;
		if (lo < 0)
			return -EINVAL;
		uuid[n++] = hi << 4 | lo;
		i++;
	}
	return s[36] ? -EINVAL : 0;
}

int blkid_parse_want(const char *s, struct blkid_want *ret, char *err, size_t errlen)
{
	size_t n = strlen(s);

	memset(ret, 0, sizeof(*ret));
	if (!strncmp(s, "LABEL=", 6)) {
		ret->by = BLKID_BY_LABEL;
		if (n == 6 || n - 6 > BLKID_LABEL_MAX) {
			snprintf(err, errlen, "'%s': a label is 1 to %d bytes", s, BLKID_LABEL_MAX);
			return -EINVAL;
		}
		memcpy(ret->label, s + 6, n - 6 + 1);
		return 0;
	}
	if (!strncmp(s, "UUID=", 5)) {
		ret->by = BLKID_BY_UUID;
		if (parse_uuid(s + 5, ret->uuid) < 0) {
			snprintf(err, errlen,
				 "'%s' is not UUID= and 36 characters like "
				 "0b5d6e83-97a5-4b44-b16c-3f1a0c6b2e59",
				 s);
			return -EINVAL;
		}
		return 0;
	}
	ret->by = BLKID_BY_PATH;
	if (strncmp(s, "/dev/", 5) || n == 5 || s[n - 1] == '/' || strstr(s, "/../") ||
	    strstr(s, "/./") || !strcmp(s + n - 3, "/..") || strstr(s, "//")) {
		snprintf(err, errlen, "'%s' is not a device (/dev/NAME), LABEL=NAME or UUID=...",
			 s);
		return -EINVAL;
	}
	if (n >= sizeof(ret->path)) {
		snprintf(err, errlen, "'%.40s...': a device path is at most %zu bytes", s,
			 sizeof(ret->path) - 1);
		return -EINVAL;
	}
	memcpy(ret->path, s, n + 1);
	return 0;
}

bool blkid_matches(const struct blkid_want *w, const struct blkid_info *info)
{
	if (info->kind != BLKID_EXT)
		return false;
	if (w->by == BLKID_BY_LABEL)
		return !strcmp(w->label, info->label);
	if (w->by == BLKID_BY_UUID)
		return !memcmp(w->uuid, info->uuid, sizeof(w->uuid));
	return false;
}

void blkid_format_uuid(const uint8_t u[16], char buf[37])
{
	snprintf(buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		 u[13], u[14], u[15]);
}

bool blkid_uevent_block(const char *buf, size_t len, char *ret_name, size_t cap)
{
	bool block = false, action = false;
	const char *name = NULL;
	size_t name_len = 0;

	/* The kernel's header, "ACTION@DEVPATH"; udev's own messages start "libudev". */
	if (!len || !memchr(buf, '@', strnlen(buf, len)))
		return false;
	for (size_t off = strnlen(buf, len) + 1; off < len;) {
		const char *f = buf + off;
		size_t n = strnlen(f, len - off);

		if (n == 15 && !memcmp(f, "SUBSYSTEM=block", 15))
			block = true;
		else if ((n == 10 && !memcmp(f, "ACTION=add", 10)) ||
			 (n == 13 && !memcmp(f, "ACTION=change", 13)))
			action = true;
		else if (n > 8 && !memcmp(f, "DEVNAME=", 8))
			name = f + 8, name_len = n - 8;
		off += n + 1;
	}
	if (!block || !action || !name || name_len >= cap)
		return false;
	memcpy(ret_name, name, name_len);
	ret_name[name_len] = '\0';
	return true;
}

size_t blkid_ext_backups(unsigned long long size, unsigned long long *ret, size_t max)
{
	static const unsigned groups[] = {1, 3, 5, 7, 9};
	size_t n = 0;

	for (unsigned bs = 1024; bs <= 4096; bs *= 2)
		for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
			/* 8 * bs blocks a group; with 1 KiB blocks the first is block 1. */
			unsigned long long at = ((bs == 1024) + (unsigned long long)groups[g] * 8 * bs) * bs;

			if (at + BLKID_EXT_LEN <= size && n < max)
				ret[n++] = at;
		}
	return n;
}

bool blkid_is_ext_super(const uint8_t *sb)
{
	return le16(sb + EXT_MAGIC) == 0xef53;
}
