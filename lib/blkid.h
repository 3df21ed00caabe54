/* What a disk holds, from its first and last bytes: nothing (blank), an ext2/3/4 filesystem
 * (its label and UUID), or another known signature; the data disk's names (DEVICE, LABEL=,
 * UUID=); block devices' uevents. Pure code: the caller reads the bytes. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What blkid_probe reads: the disk's first BLKID_HEAD bytes and its last BLKID_TAIL (less
 * where the disk is smaller). Signatures live at the start (ext, xfs, LUKS, LVM, swap, md
 * 1.1/1.2, btrfs at 64 KiB, ZFS labels to 256 KiB) or at the end (a GPT's backup, md
 * 0.90/1.0, ZFS's last labels in the last 512 KiB). */
#define BLKID_HEAD (256u << 10)
#define BLKID_TAIL (1u << 20)
/* The ext superblock's place, and how much of it blkid_probe needs. */
#define BLKID_EXT_OFFSET 1024
#define BLKID_EXT_LEN 1024
#define BLKID_LABEL_MAX 16

enum blkid_kind {
	BLKID_BLANK,   /* every byte read is zero */
	BLKID_EXT,     /* an ext2, ext3 or ext4 superblock */
	BLKID_OTHER,   /* another filesystem, a partition table, a volume: type names it */
	BLKID_UNKNOWN, /* bytes that are no signature blkid knows */
};

struct blkid_info {
	enum blkid_kind kind;
	const char *type;		 /* "ext4", "xfs", "a GPT partition table", ...; NULL */
	char label[BLKID_LABEL_MAX + 1]; /* ext: its volume name, "" for none */
	uint8_t uuid[16];		 /* ext */
	bool journal;			 /* ext: has_journal */
	bool recover;		    /* ext: its journal needs replaying (not unmounted cleanly) */
	bool errors;		    /* ext: the kernel recorded errors on it */
	unsigned long long bytes;   /* ext: its size (blocks times block size) */
	unsigned long long nonzero; /* UNKNOWN: the offset of its first non-zero byte */
	bool partitioned;	    /* OTHER: a partition table (name a partition instead) */
};

/* HEAD: the first HLEN bytes of a disk of SIZE bytes, TAIL its last TLEN (they may overlap,
 * or TAIL be NULL when HEAD is the whole disk). */
void blkid_probe(const uint8_t *head, size_t hlen, const uint8_t *tail, size_t tlen,
		 unsigned long long size, struct blkid_info *ret);

/* kbox.data's value: a device path, LABEL=NAME or UUID=... */
enum blkid_by { BLKID_BY_PATH, BLKID_BY_LABEL, BLKID_BY_UUID };

struct blkid_want {
	enum blkid_by by;
	char path[128];			 /* BY_PATH: /dev/... */
	char label[BLKID_LABEL_MAX + 1]; /* BY_LABEL */
	uint8_t uuid[16];		 /* BY_UUID */
};

/* "/dev/vda", "LABEL=kbox-data", "UUID=0b5d...-..." (36 characters, either case); -EINVAL
 * with the reason in ERR otherwise. */
int blkid_parse_want(const char *s, struct blkid_want *ret, char *err, size_t errlen);
/* A LABEL= or UUID= want that an ext superblock (probed from at least its first
 * BLKID_EXT_OFFSET + BLKID_EXT_LEN bytes) answers. */
bool blkid_matches(const struct blkid_want *w, const struct blkid_info *info);
/* The UUID's usual form: 36 characters and a NUL. */
void blkid_format_uuid(const uint8_t uuid[16], char buf[37]);

/* Where an ext filesystem's backup superblocks would be on a disk of SIZE bytes (groups 1,
 * 3, 5, 7 and 9 with 1, 2 and 4 KiB blocks): up to MAX byte offsets into RET, the count
 * returned. A disk that reads blank at its ends but holds one of these was an ext
 * filesystem whose start was wiped: e2fsck -b can bring it back, and it must never be
 * formatted. */
size_t blkid_ext_backups(unsigned long long size, unsigned long long *ret, size_t max);
/* BLKID_EXT_LEN bytes that read as an ext superblock (its magic). */
bool blkid_is_ext_super(const uint8_t *sb);

/* A kernel uevent (NETLINK_KOBJECT_UEVENT: "ACTION@DEVPATH", then KEY=VALUE, each ending
 * in a NUL) that adds or changes a block device: true, with its DEVNAME ("vda",
 * "mapper/x") in RET_NAME. */
bool blkid_uevent_block(const char *buf, size_t len, char *ret_name, size_t cap);
