/* The data disk's pure parts: what lib/blkid.c reads from a disk's first and last bytes,
 * kbox.data's names, block uevents, and the two global keys. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/blkid.h"
#include "../../runtime/spec/cmdline.h"
#include "../tap.h"

#define SIZE (64ULL << 20)

static uint8_t head[BLKID_HEAD], tail[BLKID_TAIL];
static struct blkid_info info;

static void wipe(void)
{
	memset(head, 0, sizeof(head));
	memset(tail, 0, sizeof(tail));
}

static void probe(void)
{
	blkid_probe(head, sizeof(head), tail, sizeof(tail), SIZE, &info);
}

static void le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

/* An ext superblock at 1024 as mke2fs writes one: the fields blkid reads. */
static uint8_t *ext_sb(uint32_t compat, uint32_t incompat, uint32_t ro_compat)
{
	uint8_t *sb = head + 1024;

	le32(sb + 4, 65536); /* blocks */
	le32(sb + 24, 2);    /* 4 KiB blocks */
	sb[56] = 0x53, sb[57] = 0xef;
	sb[58] = 1; /* clean */
	le32(sb + 92, compat);
	le32(sb + 96, incompat);
	le32(sb + 100, ro_compat);
	for (int i = 0; i < 16; i++)
		sb[104 + i] = 0x10 + i;
	memcpy(sb + 120, "kbox-data", 9);
	/* Group descriptors follow, as on a real filesystem: not blank anywhere. */
	head[4096] = 1;
	return sb;
}

static void test_blank(void)
{
	wipe();
	probe();
	is_int(info.kind, BLKID_BLANK, "zeros at both ends: blank");
	head[BLKID_HEAD - 1] = 1;
	probe();
	is_int(info.kind, BLKID_UNKNOWN, "one byte at the end of the first 256 KiB: not blank");
	is_int(info.nonzero, BLKID_HEAD - 1, "and its offset is said");
	wipe();
	tail[BLKID_TAIL - 1] = 0x80;
	probe();
	is_int(info.kind, BLKID_UNKNOWN, "the disk's last byte set: not blank");
	is_int(info.nonzero, SIZE - 1, "at offset size - 1");
	wipe();
	tail[0] = 1;
	probe();
	is_int(info.nonzero, SIZE - BLKID_TAIL, "the first byte of the last 1 MiB");
	/* A disk smaller than both windows: the caller reads it whole, twice or once. */
	wipe();
	blkid_probe(head, 8192, NULL, 0, 8192, &info);
	is_int(info.kind, BLKID_BLANK, "an 8 KiB blank disk read once");
	head[8191] = 1;
	blkid_probe(head, 8192, head, 8192, 8192, &info);
	is_int(info.kind, BLKID_UNKNOWN, "an 8 KiB disk with its last byte set");
	is_int(info.nonzero, 8191, "found in the head window");
	/* A signature past the windows of a small disk is not read (ASan would see it). */
	wipe();
	blkid_probe(head, 600, NULL, 0, 600, &info);
	is_int(info.kind, BLKID_BLANK, "a disk of 600 bytes: no superblock place read");
}

static void test_ext(void)
{
	char uuid[37];

	wipe();
	/* has_journal; filetype, extents, 64bit, flex_bg; sparse_super, large_file, huge_file,
	 * dir_nlink, extra_isize, metadata_csum: what mke2fs -t ext4 gives. */
	ext_sb(0x3c, 0x2c2, 0x46b);
	probe();
	is_int(info.kind, BLKID_EXT, "an ext superblock");
	is_str(info.type, "ext4", "with extents: ext4");
	is_str(info.label, "kbox-data", "its label");
	ok(info.journal && !info.recover && !info.errors, "a journal, clean");
	is_int(info.bytes, 256ULL << 20, "65536 blocks of 4 KiB");
	blkid_format_uuid(info.uuid, uuid);
	is_str(uuid, "10111213-1415-1617-1819-1a1b1c1d1e1f", "its UUID, formatted");

	ext_sb(0x3c, 0x2c2 | 0x4, 0x46b)[58] = 3;
	probe();
	ok(info.recover && info.errors, "needs_recovery and the error state are seen");

	wipe();
	ext_sb(0x4, 0x2, 0x3);
	probe();
	is_str(info.type, "ext3", "a journal and ext2's features: ext3");
	wipe();
	ext_sb(0, 0x2, 0x3);
	probe();
	is_str(info.type, "ext2", "no journal: ext2");
	ok(!info.journal, "and no journal is said");
	wipe();
	memset(ext_sb(0, 0x2, 0) + 120, 'x', 16);
	probe();
	is_str(info.label, "xxxxxxxxxxxxxxxx", "a label of 16 bytes has no NUL on disk");
	wipe();
	ext_sb(0, 0x2 | 0x80, 0);
	le32(head + 1024 + 0x150, 1);
	probe();
	is_int(info.bytes, ((1ULL << 32) + 65536) << 12, "64bit: the high word of blocks counts");
	wipe();
	ext_sb(0, 0x8, 0);
	probe();
	is_int(info.kind, BLKID_OTHER, "an external journal is no filesystem to mount");
	/* A superblock cut off by the window: read nothing past it. */
	wipe();
	ext_sb(0, 2, 0);
	blkid_probe(head, 1500, NULL, 0, 1500, &info);
	is_int(info.kind, BLKID_UNKNOWN, "a superblock past the disk's end is not one");
}

static void sig_case(unsigned long long off, const char *magic, size_t len, bool in_tail,
		     const char *type, bool table)
{
	wipe();
	if (in_tail)
		memcpy(tail + (off - (SIZE - BLKID_TAIL)), magic, len);
	else
		memcpy(head + off, magic, len);
	probe();
	ok(info.kind == BLKID_OTHER && info.type && !strcmp(info.type, type) &&
		   info.partitioned == table,
	   "%s at %llu", type, off);
	if (info.kind != BLKID_OTHER || !info.type || strcmp(info.type, type))
		printf("#   got kind %d, type '%s'\n", info.kind, info.type ? info.type : "");
}

static void test_signatures(void)
{
	sig_case(0, "XFSB", 4, false, "xfs", false);
	sig_case(0, "LUKS\xba\xbe", 6, false, "LUKS", false);
	sig_case(0x10040, "_BHRfS_M", 8, false, "btrfs", false);
	sig_case(32769, "CD001", 5, false, "iso9660", false);
	sig_case(4086, "SWAPSPACE2", 10, false, "swap", false);
	sig_case(65526, "SWAPSPACE2", 10, false, "swap", false);
	sig_case(512, "LABELONE", 8, false, "an LVM2 physical volume", false);
	sig_case(4096, "\xfc\x4e\x2b\xa9", 4, false, "a Linux RAID (md) member", false);
	sig_case(512, "EFI PART", 8, false, "a GPT partition table", true);
	sig_case(SIZE - 512, "EFI PART", 8, true, "a GPT partition table", true);
	sig_case(SIZE - 0x10000, "\xfc\x4e\x2b\xa9", 4, true, "a Linux RAID (md) member", false);
	sig_case(SIZE - 8192, "\xfc\x4e\x2b\xa9", 4, true, "a Linux RAID (md) member", false);
	sig_case(510, "\x55\xaa", 2, false, "an MBR partition table", true);
	wipe();
	head[510] = 0x55, head[511] = 0xaa;
	memcpy(head + 82, "FAT32", 5);
	probe();
	is_str(info.type, "vfat", "a boot sector that says FAT32: vfat");
	wipe();
	memcpy(head + 200 * 1024, "\x0c\xb1\xba\x00\x00\x00\x00\x00", 8);
	probe();
	is_str(info.type, "zfs", "a ZFS uberblock in the first label");
	/* An ext superblock wins over a boot sector (a boot loader in front of it). */
	wipe();
	ext_sb(0x4, 0x2c2, 0);
	head[510] = 0x55, head[511] = 0xaa;
	probe();
	is_int(info.kind, BLKID_EXT, "ext before the MBR's mark");
}

static void want_ok(const char *s, enum blkid_by by)
{
	struct blkid_want w;
	char err[256] = "";

	is_int(blkid_parse_want(s, &w, err, sizeof(err)), 0, "'%s' is a data disk %s", s, err);
	is_int(w.by, by, "'%s' names it by %s", s,
	       by == BLKID_BY_PATH    ? "path"
	       : by == BLKID_BY_LABEL ? "label"
				      : "uuid");
}

static void want_bad(const char *s, const char *msg)
{
	struct blkid_want w;
	char err[256] = "";

	is_int(blkid_parse_want(s, &w, err, sizeof(err)), -EINVAL, "'%s' is refused", s);
	is_str(err, msg, "with the reason");
}

static void test_want(void)
{
	struct blkid_want w;
	char err[256], buf[37], path[200];

	want_ok("/dev/vda", BLKID_BY_PATH);
	want_ok("/dev/mapper/data", BLKID_BY_PATH);
	want_ok("LABEL=kbox-data", BLKID_BY_LABEL);
	want_ok("LABEL=0123456789abcdef", BLKID_BY_LABEL);
	want_ok("LABEL=with blank", BLKID_BY_LABEL);
	want_ok("UUID=0b5d6e83-97a5-4b44-b16c-3f1a0c6b2e59", BLKID_BY_UUID);
	want_ok("UUID=0B5D6E83-97A5-4B44-B16C-3F1A0C6B2E59", BLKID_BY_UUID);
	want_bad("vda", "'vda' is not a device (/dev/NAME), LABEL=NAME or UUID=...");
	want_bad("/dev/", "'/dev/' is not a device (/dev/NAME), LABEL=NAME or UUID=...");
	want_bad("/dev/vda/", "'/dev/vda/' is not a device (/dev/NAME), LABEL=NAME or UUID=...");
	want_bad("/dev/../etc/passwd",
		 "'/dev/../etc/passwd' is not a device (/dev/NAME), LABEL=NAME or UUID=...");
	want_bad("/dev/x/..", "'/dev/x/..' is not a device (/dev/NAME), LABEL=NAME or UUID=...");
	want_bad("/dev//vda", "'/dev//vda' is not a device (/dev/NAME), LABEL=NAME or UUID=...");
	want_bad("/sys/block/vda",
		 "'/sys/block/vda' is not a device (/dev/NAME), LABEL=NAME or UUID=...");
	want_bad("label=x", "'label=x' is not a device (/dev/NAME), LABEL=NAME or UUID=...");
	want_bad("LABEL=", "'LABEL=': a label is 1 to 16 bytes");
	want_bad("LABEL=0123456789abcdefg", "'LABEL=0123456789abcdefg': a label is 1 to 16 bytes");
	want_bad("UUID=0b5d6e83-97a5-4b44-b16c-3f1a0c6b2e5",
		 "'UUID=0b5d6e83-97a5-4b44-b16c-3f1a0c6b2e5' is not UUID= and 36 characters like "
		 "0b5d6e83-97a5-4b44-b16c-3f1a0c6b2e59");
	want_bad("UUID=0b5d6e83-97a5-4b44-b16c-3f1a0c6b2e590",
		 "'UUID=0b5d6e83-97a5-4b44-b16c-3f1a0c6b2e590' is not UUID= and 36 characters "
		 "like 0b5d6e83-97a5-4b44-b16c-3f1a0c6b2e59");
	want_bad("UUID=0b5d6e83097a5-4b44-b16c-3f1a0c6b2e59",
		 "'UUID=0b5d6e83097a5-4b44-b16c-3f1a0c6b2e59' is not UUID= and 36 characters "
		 "like 0b5d6e83-97a5-4b44-b16c-3f1a0c6b2e59");
	want_bad("UUID=0b5d6e83-97a5-4b44-b16c-3f1a0c6b2eg9",
		 "'UUID=0b5d6e83-97a5-4b44-b16c-3f1a0c6b2eg9' is not UUID= and 36 characters "
		 "like 0b5d6e83-97a5-4b44-b16c-3f1a0c6b2e59");
	memset(path, 'a', sizeof(path));
	memcpy(path, "/dev/", 5);
	path[sizeof(path) - 1] = '\0';
	is_int(blkid_parse_want(path, &w, err, sizeof(err)), -EINVAL, "a path of 199 bytes");
	ok(strstr(err, "a device path is at most 127 bytes") != NULL, "is too long: %s", err);

	blkid_parse_want("UUID=10111213-1415-1617-1819-1A1B1C1D1E1F", &w, err, sizeof(err));
	blkid_format_uuid(w.uuid, buf);
	is_str(buf, "10111213-1415-1617-1819-1a1b1c1d1e1f", "a UUID read and written back");
	wipe();
	ext_sb(0x4, 0x2c2, 0);
	probe();
	ok(blkid_matches(&w, &info), "UUID= matches the superblock's");
	w.uuid[15] ^= 1;
	ok(!blkid_matches(&w, &info), "one bit off does not");
	blkid_parse_want("LABEL=kbox-data", &w, err, sizeof(err));
	ok(blkid_matches(&w, &info), "LABEL= matches");
	blkid_parse_want("LABEL=kbox", &w, err, sizeof(err));
	ok(!blkid_matches(&w, &info), "a prefix of the label does not");
	blkid_parse_want("/dev/vda", &w, err, sizeof(err));
	ok(!blkid_matches(&w, &info), "a path never matches a superblock");
	blkid_parse_want("LABEL=kbox-data", &w, err, sizeof(err));
	info.kind = BLKID_UNKNOWN;
	ok(!blkid_matches(&w, &info), "nor does anything that is no ext superblock");
}

static void test_uevent(void)
{
	static const char add[] = "add@/devices/platform/virtio-mmio.0/virtio0/block/vda\0"
				  "ACTION=add\0DEVPATH=/devices/platform/virtio-mmio.0/virtio0/"
				  "block/vda\0SUBSYSTEM=block\0MAJOR=254\0MINOR=0\0DEVNAME=vda\0"
				  "DEVTYPE=disk\0DISKSEQ=1\0SEQNUM=712\0";
	static const char change[] = "change@/devices/x/block/sr0\0ACTION=change\0"
				     "SUBSYSTEM=block\0DEVNAME=sr0\0";
	static const char rm[] = "remove@/devices/x/block/vda\0ACTION=remove\0SUBSYSTEM=block\0"
				 "DEVNAME=vda\0";
	static const char net[] = "add@/devices/virtual/net/kb-web\0ACTION=add\0SUBSYSTEM=net\0"
				  "INTERFACE=kb-web\0";
	static const char udev[] = "libudev\0\xfe\xed\xca\xfe";
	static const char sub[] = "add@/devices/x\0ACTION=add\0SUBSYSTEM=block\0DEVNAME=mapper/"
				  "data\0";
	char name[16];

	ok(blkid_uevent_block(add, sizeof(add) - 1, name, sizeof(name)), "a disk's add uevent");
	is_str(name, "vda", "names its node");
	ok(blkid_uevent_block(change, sizeof(change) - 1, name, sizeof(name)), "a media change");
	is_str(name, "sr0", "names its node");
	ok(blkid_uevent_block(sub, sizeof(sub) - 1, name, sizeof(name)), "a node in a directory");
	is_str(name, "mapper/data", "named with it");
	ok(!blkid_uevent_block(rm, sizeof(rm) - 1, name, sizeof(name)), "a removal is not");
	ok(!blkid_uevent_block(net, sizeof(net) - 1, name, sizeof(name)), "a link's is not");
	ok(!blkid_uevent_block(udev, sizeof(udev) - 1, name, sizeof(name)), "udev's are not");
	ok(!blkid_uevent_block(add, sizeof(add) - 1, name, 3), "a name too long for the buffer");
	ok(!blkid_uevent_block(add, 0, name, sizeof(name)), "an empty message");
	/* Cut anywhere, with no final NUL: nothing is read past the end (ASan). */
	for (size_t n = 1; n < sizeof(add) - 1; n++) {
		char *copy = malloc(n);

		memcpy(copy, add, n);
		if (blkid_uevent_block(copy, n, name, sizeof(name)) && strcmp(name, "vda") &&
		    strncmp("vda", name, strlen(name)))
			ok(0, "cut at %zu gives '%s'", n, name);
		free(copy);
	}
	ok(1, "uevents cut at every length are read within their bounds");
}

static void test_globals(void)
{
	struct spec_set set;

	spec_set_init(&set);
	is_int(spec_parse_cmdline(&set, "kbox.data=LABEL=kbox-data kbox.data_timeout=2.5s"), 0,
	       "kbox.data and kbox.data_timeout parse");
	is_str(set.data, "LABEL=kbox-data", "LABEL= is the value (the first '=' ends the key)");
	is_int(set.data_timeout_ms, 2500, "2.5s");
	ok(!set.errors, "no error");
	spec_set_free(&set);

	spec_set_init(&set);
	is_int(spec_parse_cmdline(&set, "kbox.data=vda kbox.data_timeout=0 kbox.a.cmd=true"), 0,
	       "bad values are recorded, not fatal");
	ok(set.errors && set.errors[0] && set.errors[1], "two errors");
	is_str(set.errors ? set.errors[0] : NULL,
	       "kbox.data: 'vda' is not a device (/dev/NAME), LABEL=NAME or UUID=... (cmdline)",
	       "kbox.data=vda");
	is_str(set.errors && set.errors[0] ? set.errors[1] : NULL,
	       "kbox.data_timeout: '0' is not a duration of 1ms or more (10s, 500ms) (cmdline)",
	       "kbox.data_timeout=0");
	ok(!set.data && !set.data_timeout_ms, "neither is set");
	spec_set_free(&set);

	spec_set_init(&set);
	spec_parse_cmdline(&set, "kbox.data_timeout=11m");
	is_str(set.errors ? set.errors[0] : NULL,
	       "kbox.data_timeout: '11m' is out of range (1ms..10m) (cmdline)",
	       "ten minutes at most (no container starts while PID 1 waits)");
	spec_set_free(&set);
}

/* Where a wiped filesystem's backups would be: a blank-looking disk is checked there. */
static void test_backups(void)
{
	unsigned long long at[16];
	uint8_t sb[BLKID_EXT_LEN] = {0};
	size_t n = blkid_ext_backups(256ULL << 20, at, 16);
	bool k1 = false, k4 = false;

	for (size_t i = 0; i < n; i++) {
		k1 |= at[i] == 8193ULL * 1024;	   /* 1 KiB blocks, group 1 */
		k4 |= at[i] == 32768ULL * 4096;	   /* 4 KiB blocks, group 1 */
		ok(at[i] + BLKID_EXT_LEN <= 256ULL << 20, "backup %zu lies inside the disk", i);
	}
	ok(k1 && k4, "a 256M disk: the backups of 1 KiB and 4 KiB block filesystems");
	is_int(blkid_ext_backups(4ULL << 20, at, 16), 0, "a 4M disk has room for none");
	is_int(blkid_ext_backups(1ULL << 40, at, 4), 4, "no more than asked for");
	ok(!blkid_is_ext_super(sb), "zeros are no superblock");
	sb[56] = 0x53, sb[57] = 0xef;
	ok(blkid_is_ext_super(sb), "the magic is");
}

int main(void)
{
	test_backups();
	test_blank();
	test_ext();
	test_signatures();
	test_want();
	test_uevent();
	test_globals();
	return done();
}
