/* The appliance's data disk (kbox.data): waited for, found by path, label or UUID, checked
 * (e2fsck -p) or formatted when blank (mke2fs), mounted at KBOX_DATA before the containers
 * start, and unmounted after they have stopped, with whatever still holds it named. */
#include "data.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lib/blkid.h"
#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/util.h"
#include "../runtime/spec/spec.h"
#include "holders.h"
#include "loop.h"

#define MKE2FS "/sbin/mke2fs"
#define E2FSCK "/sbin/e2fsck"
#define DATA_LABEL "kbox-data"
#define MKE2FS_OPTS "lazy_itable_init=1,lazy_journal_init=1,nodiscard"
#ifndef GRND_INSECURE
#define GRND_INSECURE 0x4
#endif
#define MOUNT_FLAGS (MS_NOSUID | MS_NODEV)
#define MOUNT_DATA "errors=remount-ro"
/* What holds the disk at shutdown gets SIGTERM, then SIGKILL, each with this long to go. */
#define HOLDER_WAIT_MS 2000
#define MAX_HOLDERS 256
#define HOLDERS_NAMED 10

static struct {
	bool mounted, ready;
	const char *spec; /* kbox.data's value, for messages */
	char dev[128];	  /* the device: /dev/vda */
	dev_t devno;	  /* its number, as mounts of it and files on it show it */
	char why[512];	  /* "" for the default, kbox.data unset */
} D;

bool data_ready(void)
{
	return D.ready;
}

const char *data_why(void)
{
	if (D.ready)
		return "";
	return D.why[0] ? D.why : "no data disk (kbox.data is not set)";
}

/* Not usable: "data disk 'SPEC': REASON", kept for data_why and logged. Returns R. */
static int fail(int r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(int r, const char *fmt, ...)
{
	int n = snprintf(D.why, sizeof(D.why), "data disk '%s': ", D.spec);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(D.why + n, sizeof(D.why) - n, fmt, ap);
	va_end(ap);
	log_msg("%s", D.why);
	return r;
}

/* "10 s", "1500 ms". */
static const char *duration(unsigned ms, char *buf, size_t len)
{
	if (ms % 1000)
		snprintf(buf, len, "%u ms", ms);
	else
		snprintf(buf, len, "%u s", ms / 1000);
	return buf;
}

/* df's way: "252M", "1.5G". */
static const char *human(unsigned long long bytes, char *buf, size_t len)
{
	static const char units[] = "BKMGTPE";
	double v = bytes;
	size_t u = 0;

	while (v >= 1024 && u + 1 < sizeof(units) - 1) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%lluB", bytes);
	else
		snprintf(buf, len, v < 10 ? "%.1f%c" : "%.0f%c", v, units[u]);
	return buf;
}

/* ---- finding the disk ---- */

/* Block devices' uevents from the kernel: devtmpfs has made the node when one arrives. */
static int uevent_open(void)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = 1};
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			NETLINK_KOBJECT_UEVENT);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

/* Read every queued uevent: whether one was a block device's (or some were lost). */
static bool uevent_block(int fd)
{
	char buf[8192], name[128];
	bool block = false;

	for (;;) {
		struct sockaddr_nl from;
		socklen_t fl = sizeof(from);
		ssize_t n =
			recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &fl);

		if (n < 0 && errno == ENOBUFS)
			block = true;
		else if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return block;
		if (from.nl_pid == 0 && blkid_uevent_block(buf, n, name, sizeof(name)))
			block = true;
	}
}

/* The first LEN bytes of the device at PATH, into BUF; its size in *RET_SIZE. */
static int read_head(const char *path, uint8_t *buf, size_t len, unsigned long long *ret_size)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, BLKGETSIZE64, ret_size) < 0)
		return -errno;
	n = pread(fd, buf, len, 0);
	if (n < 0)
		return -errno;
	memset(buf + n, 0, len - n);
	return 0;
}

/* LABEL= or UUID=: the ext superblock of every block device. 1 and the device in D, 0 if
 * none has it yet, or -errno when two have it (kbox will not guess between them). */
static int find_by_id(const struct blkid_want *w)
{
	DIR *d = opendir("/sys/class/block");
	struct dirent *de;
	char first[sizeof(D.dev)] = "";
	int found = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		uint8_t sb[BLKID_EXT_OFFSET + BLKID_EXT_LEN];
		unsigned long long size;
		struct blkid_info info;
		char path[sizeof(D.dev)];
		struct stat st;

		if (de->d_name[0] == '.' || strlen(de->d_name) > sizeof(path) - 6)
			continue;
		/* sysfs spells a node in a directory of /dev with '!': cciss!c0d0. */
		snprintf(path, sizeof(path), "/dev/%.120s", de->d_name);
		for (char *p = path + 5; *p; p++)
			if (*p == '!')
				*p = '/';
		if (stat(path, &st) < 0 || !S_ISBLK(st.st_mode) ||
		    read_head(path, sb, sizeof(sb), &size) < 0 || !size)
			continue;
		blkid_probe(sb, sizeof(sb), NULL, 0, size, &info);
		if (!blkid_matches(w, &info))
			continue;
		if (found++) {
			closedir(d);
			return fail(-ENOTUNIQ, "both %s and %s have it; neither is used", first,
				    path);
		}
		snprintf(first, sizeof(first), "%s", path);
		D.devno = st.st_rdev;
	}
	closedir(d);
	if (found)
		snprintf(D.dev, sizeof(D.dev), "%s", first);
	return found;
}

static int find_once(const struct blkid_want *w)
{
	struct stat st;

	if (w->by != BLKID_BY_PATH)
		return find_by_id(w);
	if (stat(w->path, &st) < 0)
		return errno == ENOENT ? 0 : fail(-errno, "%s", strerror(errno));
	if (!S_ISBLK(st.st_mode))
		return fail(-ENOTBLK, "not a block device");
	snprintf(D.dev, sizeof(D.dev), "%s", w->path);
	D.devno = st.st_rdev;
	return 1;
}

/* Wait up to TIMEOUT_MS for the device, woken by block devices' uevents (no polling). */
static int find_disk(const struct blkid_want *w, unsigned timeout_ms)
{
	_cleanup_close_ int ev = uevent_open();
	uint64_t deadline = now_ms() + timeout_ms;
	bool said = false;
	char buf[32];
	int r;

	if (ev < 0)
		log_errno(ev, "data: cannot listen for uevents; looking for '%s' once", D.spec);
	/* Listening from before the first look: a device added in between is not missed. */
	while ((r = find_once(w)) == 0) {
		uint64_t now = now_ms();
		struct pollfd p = {.fd = ev, .events = POLLIN};

		if (ev < 0 || now >= deadline)
			return fail(-ENODEV, "not found after %s",
				    duration(timeout_ms, buf, sizeof(buf)));
		if (!said) {
			log_msg("data: waiting up to %s for '%s'",
				duration(timeout_ms, buf, sizeof(buf)), D.spec);
			said = true;
		}
		while (poll(&p, 1, deadline - now) == 1 && !uevent_block(ev))
			if ((now = now_ms()) >= deadline)
				break;
	}
	return r < 0 ? r : 0;
}

/* ---- mke2fs and e2fsck ---- */

/*
 * Run a tool and wait for it, its output logged line by line ("data: e2fsck: ..."). Its
 * reason in WHY: the first line it prefixed with its name ("e2fsck: Bad magic number in
 * super-block while trying to open /dev/vda"), else its first line. This runs before the
 * supervisor's loop exists, so PID 1 waits for this pid alone: any other child reaped
 * meanwhile would be the loop's to see, and there is none yet. Returns the wait status, or
 * -errno (-ENOEXEC: the exec failed).
 */
/* How long mke2fs or e2fsck may take: a check of a big disk is minutes, and a tool that
 * hangs must not hold the boot for ever. */
#define DATA_TOOL_TIMEOUT_MS (10 * 60 * 1000)

static int run_tool(const char *path, char *const argv[], char *why, size_t whylen)
{
	static char *const envp[] = {"PATH=/sbin:/bin", "LANG=C", NULL};
	const char *name = argv[0];
	char buf[4096];
	size_t have = 0, nlen = strlen(name);
	bool named = false;
	int out[2], status;
	pid_t pid;

	uint64_t deadline = now_ms() + DATA_TOOL_TIMEOUT_MS;

	why[0] = '\0';
	if (pipe2(out, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(out[0]);
		close(out[1]);
		return -errno;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

		signals_reset();
		if (null < 0 || dup2(null, 0) < 0 || dup2(out[1], 1) < 0 || dup2(out[1], 2) < 0)
			_exit(127);
		execve(path, argv, envp);
		dprintf(2, "%s: %s: %s\n", name, path, strerror(errno));
		_exit(127);
	}
	close(out[1]);
	for (;;) {
		struct pollfd pfd = {.fd = out[0], .events = POLLIN};
		uint64_t now = now_ms();
		int left = now >= deadline ? 0 : (int)(deadline - now);
		ssize_t n;
		char *nl;

		/* Bounded: PID 1 runs no container while it waits here. A tool past its time
		 * is killed, and the disk not used. */
		if (left <= 0 || poll(&pfd, 1, left) == 0) {
			kill(pid, SIGKILL);
			close(out[0]);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			snprintf(why, whylen, "%s did not finish in %d s: killed", name,
				 DATA_TOOL_TIMEOUT_MS / 1000);
			return -ETIMEDOUT;
		}
		n = read(out[0], buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0)
			have += n;
		/* Whole lines; at EOF, or with a full buffer, what is left is one too. */
		while ((nl = memchr(buf, '\n', have)) ||
		       (have && (n <= 0 || have == sizeof(buf) - 1))) {
			size_t len = nl ? (size_t)(nl - buf) : have;

			buf[len] = '\0';
			if (len)
				log_msg("data: %s: %s", name, buf);
			if (len && !named &&
			    (!why[0] || (!strncmp(buf, name, nlen) && buf[nlen] == ':'))) {
				snprintf(why, whylen, "%.150s", buf);
				named = why[0] && !strncmp(buf, name, nlen) && buf[nlen] == ':';
			}
			have -= nl ? len + 1 : len;
			memmove(buf, buf + (nl ? len + 1 : len), have);
		}
		if (n <= 0)
			break;
	}
	close(out[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	/* The child's exec failed (neither tool exits 127 itself); WHY says how. */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -ENOEXEC;
	return status;
}

/* e2fsck's exit status, its highest bit in words (fsck(8)). */
static const char *fsck_words(int code)
{
	if (code & 128)
		return "a shared-library error";
	if (code & 32)
		return "cancelled";
	if (code & 16)
		return "a usage error";
	if (code & 8)
		return "an operational error";
	if (code & 4)
		return "errors left uncorrected";
	return "errors corrected";
}

/* " (what it said)", where the tool said something. */
static const char *said(const char *why, char *buf, size_t len)
{
	if (why[0])
		snprintf(buf, len, " (%s)", why);
	else
		buf[0] = '\0';
	return buf;
}

/*
 * A random UUID (version 4). mke2fs would make its own, and the hash seed of its
 * directories, from getrandom, which at boot waits for the kernel's entropy: 1.4 s of a
 * 1.7 s format under TCG. A filesystem's UUID needs to be unique, not secret:
 * GRND_INSECURE's bytes (Linux 5.6) do not wait. False where there are none.
 */
static bool random_uuid(char buf[37])
{
	uint8_t u[16];

	if (getrandom(u, sizeof(u), GRND_INSECURE) != sizeof(u))
		return false;
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	blkid_format_uuid(u, buf);
	return true;
}

/*
 * Lazy init: the kernel zeroes the inode tables in the background (ext4lazyinit), so that
 * a large disk formats in seconds. The journal is not zeroed either: with metadata_csum its
 * blocks carry checksums seeded by this filesystem's UUID, so stale bytes in its place are
 * never replayed. No discard, which some disks take minutes over.
 */
static int format_disk(void)
{
	char uuid[37], seed[37], opts[sizeof(MKE2FS_OPTS) + 48] = MKE2FS_OPTS;
	char *argv[] = {"mke2fs", "-t", "ext4", "-F", "-q", "-L", DATA_LABEL,
			"-E",	  opts, NULL,	NULL, NULL, NULL};
	size_t n = 9;
	char why[160], words[200];
	double t0;
	int st;

	if (random_uuid(uuid) && random_uuid(seed)) {
		snprintf(opts, sizeof(opts), "%s,hash_seed=%s", MKE2FS_OPTS, seed);
		argv[n++] = "-U";
		argv[n++] = uuid;
	}
	argv[n] = D.dev;
	log_msg("data: %s is blank (nothing but zeros in its first %u KiB and last %u MiB): "
		"making an ext4 filesystem labelled '%s'",
		D.dev, BLKID_HEAD >> 10, BLKID_TAIL >> 20, DATA_LABEL);
	t0 = boottime();
	st = run_tool(MKE2FS, argv, why, sizeof(why));
	if (st < 0)
		return fail(st, "cannot run " MKE2FS " (%s); it is not used",
			    why[0] ? why : strerror(-st));
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return fail(-EIO, "mke2fs failed with %s %d%s; it is not used",
			    WIFEXITED(st) ? "status" : "signal",
			    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st),
			    said(why, words, sizeof(words)));
	log_msg("data: made an ext4 filesystem on %s in %.3f s (boot +%.3f s)", D.dev,
		boottime() - t0, boottime());
	return 0;
}

static int check_disk(const struct blkid_info *info)
{
	char *argv[] = {"e2fsck", "-p", D.dev, NULL};
	char why[160], words[200], uuid[37];
	int st, code;

	if (info->kind == BLKID_EXT) {
		blkid_format_uuid(info->uuid, uuid);
		log_msg("data: %s holds %s '%s' (UUID %s)%s%s; checking it (e2fsck -p)", D.dev,
			info->type, info->label, uuid,
			info->recover ? ", not unmounted cleanly: its journal is replayed" : "",
			info->errors ? ", with errors recorded by the kernel" : "");
	} else {
		log_msg("data: %s is not blank (a non-zero byte at offset %llu) and holds no "
			"signature kbox knows; e2fsck -p looks for an ext4 filesystem there",
			D.dev, info->nonzero);
	}
	st = run_tool(E2FSCK, argv, why, sizeof(why));
	if (st < 0)
		return fail(st, "cannot run " E2FSCK " (%s); it is not used",
			    why[0] ? why : strerror(-st));
	if (!WIFEXITED(st))
		return fail(-EIO, "e2fsck was killed by signal %d; it is not used", WTERMSIG(st));
	code = WEXITSTATUS(st);
	if (code >= 4)
		return fail(-EUCLEAN,
			    "%s (e2fsck -p: status %d, %s%s); it is neither mounted nor formatted",
			    info->kind == BLKID_EXT
				    ? "its filesystem is damaged beyond what e2fsck -p repairs"
				    : "it holds no filesystem e2fsck -p can use or repair",
			    code, fsck_words(code), said(why, words, sizeof(words)));
	/* 2 asks for a reboot when the checked filesystem is mounted: this one is not yet. */
	if (code)
		log_msg("data: e2fsck corrected errors on %s (status %d)", D.dev, code);
	return 0;
}

/* Read what the disk holds: blank (format it), ext or unknown (check it), other (leave it).
 * What it holds then, in *RET. */
static int prepare_disk(struct blkid_info *ret)
{
	_cleanup_close_ int fd = open(D.dev, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ uint8_t *head = NULL, *tail = NULL;
	unsigned long long size;
	size_t hlen, tlen;
	struct blkid_info info;
	ssize_t n;
	int r = 0;

	if (fd < 0)
		return fail(-errno, "cannot open %s: %s", D.dev, strerror(errno));
	if (ioctl(fd, BLKGETSIZE64, &size) < 0)
		return fail(-errno, "cannot read its size: %s", strerror(errno));
	if (!size)
		return fail(-ENOMEDIUM, "%s has no medium (its size is 0)", D.dev);
	hlen = size < BLKID_HEAD ? size : BLKID_HEAD;
	tlen = size < BLKID_TAIL ? size : BLKID_TAIL;
	head = malloc(hlen);
	tail = malloc(tlen);
	if (!head || !tail)
		return fail(-ENOMEM, "%s", strerror(ENOMEM));
	if ((n = pread(fd, head, hlen, 0)) != (ssize_t)hlen ||
	    (n = pread(fd, tail, tlen, size - tlen)) != (ssize_t)tlen)
		return fail(n < 0 ? -errno : -EIO, "cannot read %s: %s", D.dev,
			    n < 0 ? strerror(errno) : "a short read");
	blkid_probe(head, hlen, tail, tlen, size, &info);
	if (info.kind == BLKID_BLANK) {
		unsigned long long at[16];
		size_t nat = blkid_ext_backups(size, at, 16);
		uint8_t sb[BLKID_EXT_LEN];

		for (size_t i = 0; i < nat; i++)
			if (pread(fd, sb, sizeof(sb), at[i]) == (ssize_t)sizeof(sb) &&
			    blkid_is_ext_super(sb))
				return fail(
					-EUCLEAN,
					"%s is zeros at its start and end, but holds an ext "
					"backup superblock at byte %llu: a filesystem whose start "
					"was wiped (e2fsck -b may bring it back); it is neither "
					"mounted nor formatted",
					D.dev, at[i]);
	}
	switch (info.kind) {
	case BLKID_BLANK:
		r = format_disk();
		break;
	case BLKID_OTHER:
		return fail(
			-EMEDIUMTYPE,
			"%s holds %s, not ext4; it is not used (kbox formats blank disks only)%s",
			D.dev, info.type,
			info.partitioned ? ": name one of its partitions instead" : "");
	case BLKID_EXT:
	case BLKID_UNKNOWN:
		r = check_disk(&info);
		break;
	}
	if (r < 0)
		return r;
	/* What the tools left there: e2fsck may have rebuilt the superblock from a backup. */
	if ((n = pread(fd, head, BLKID_EXT_OFFSET + BLKID_EXT_LEN, 0)) < 0)
		return fail(-errno, "cannot read %s: %s", D.dev, strerror(errno));
	blkid_probe(head, n, NULL, 0, size, ret);
	if (ret->kind != BLKID_EXT)
		return fail(-EUCLEAN, "no ext4 superblock on %s after e2fsck; it is not used",
			    D.dev);
	if (!ret->journal)
		log_msg("data: %s is %s, without a journal: a power cut can lose what was being "
			"written (mke2fs -t ext4 on a blank disk makes one with a journal)",
			D.dev, ret->type);
	return 0;
}

/* ---- mounting ---- */

static void log_space(const struct blkid_info *info)
{
	char size[16], avail[16], uuid[37];
	struct statvfs vfs;

	blkid_format_uuid(info->uuid, uuid);
	if (statvfs(KBOX_DATA, &vfs) < 0) {
		log_errno(-errno, "data: statvfs " KBOX_DATA);
		return;
	}
	log_msg("data: %s (%s '%s', UUID %s) mounted on " KBOX_DATA ": %s, %s free (%llu%%), "
		"%llu of %llu inodes free (boot +%.3f s)",
		D.dev, info->type, info->label, uuid,
		human((unsigned long long)vfs.f_blocks * vfs.f_frsize, size, sizeof(size)),
		human((unsigned long long)vfs.f_bavail * vfs.f_frsize, avail, sizeof(avail)),
		vfs.f_blocks ? (unsigned long long)vfs.f_bavail * 100 / vfs.f_blocks : 0,
		(unsigned long long)vfs.f_favail, (unsigned long long)vfs.f_files, boottime());
}

static int mount_disk(const struct blkid_info *info)
{
	struct statvfs vfs;
	int r;

	r = mkdir_p(KBOX_DATA, 0755);
	if (r < 0)
		return fail(r, "cannot create " KBOX_DATA ": %s", strerror(-r));
	if (mount(D.dev, KBOX_DATA, "ext4", MOUNT_FLAGS, MOUNT_DATA) < 0)
		return fail(-errno,
			    "cannot mount %s on " KBOX_DATA ": %s (the kernel's messages say why)",
			    D.dev, strerror(errno));
	D.mounted = true;
	log_space(info);
	if (statvfs(KBOX_DATA, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))
		return fail(-EROFS,
			    "the kernel mounted it read-only (the kernel's messages say why)");
	/* Volumes: search but no listing for others, as KBOX_STATE (userns roots reach theirs). */
	if (mkdir(KBOX_HOST_IMAGES, 0755) < 0 && errno != EEXIST)
		return fail(-errno, "cannot create " KBOX_HOST_IMAGES ": %s", strerror(errno));
	if (mkdir(KBOX_VOLUMES, 0711) < 0 && errno != EEXIST)
		return fail(-errno, "cannot create " KBOX_VOLUMES ": %s", strerror(errno));
	/* A disk made elsewhere may hold volumes -> / or images -> /etc: every volume and
	 * image would be a path of the appliance. Such a disk is not used at all. */
	for (int i = 0; i < 2; i++) {
		const char *dir = i ? KBOX_VOLUMES : KBOX_HOST_IMAGES;
		struct stat st, top;

		if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || stat(KBOX_DATA, &top) < 0 ||
		    st.st_dev != top.st_dev) {
			r = fail(-ENOTDIR,
				 "%s on it is not a directory of its own (a symlink?): "
				 "the disk is not used",
				 dir);
			if (umount2(KBOX_DATA, 0) == 0)
				D.mounted = false;
			return r;
		}
	}
	D.ready = true;
	return 0;
}

int data_setup(const struct spec_set *set)
{
	unsigned timeout_ms =
		set->data_timeout_ms ? set->data_timeout_ms : SPEC_DATA_TIMEOUT_DEFAULT_MS;
	struct blkid_info info;
	struct blkid_want want;
	char err[256];
	int r;

	/* Set, but to a bad value: the spec's error is on the console already. */
	if (!set->data && set->gsrc[SG_DATA])
		snprintf(D.why, sizeof(D.why), "no data disk (kbox.data's value is bad)");
	if (!set->data)
		return 0;
	D.spec = set->data;
	if (blkid_parse_want(D.spec, &want, err, sizeof(err)) < 0)
		return fail(-EINVAL, "%s", err);
	r = find_disk(&want, timeout_ms);
	if (r == 0)
		r = prepare_disk(&info);
	if (r == 0)
		r = mount_disk(&info);
	return r;
}

/* ---- shutdown ---- */

static void name_holders(const struct holder *h, size_t n, size_t max)
{
	for (size_t i = 0; i < n && i < max && i < HOLDERS_NAMED; i++)
		log_msg("data: pid %d (%s) holds " KBOX_DATA ": %s", (int)h[i].pid, h[i].comm,
			h[i].what);
	if (n > HOLDERS_NAMED)
		log_msg("data: and %zu more processes", n - HOLDERS_NAMED);
}

/* Every mount of the disk here, the last mounted first (binds below KBOX_DATA, then it). */
static int unmount_all(void)
{
	char **mnts = NULL;
	size_t n;
	int r = holders_mounts(D.devno, "/proc/self/mountinfo", &mnts), err = 0;

	if (r < 0)
		return r;
	n = strv_len(mnts);
	while (n--)
		if (umount2(mnts[n], UMOUNT_NOFOLLOW) < 0 && !err)
			err = log_errno(-errno, "data: cannot unmount %s", mnts[n]);
	strv_free(mnts);
	return err;
}

/* The filesystem stays: read-only, its journal flushed, so that the next boot replays
 * nothing; at worst synced. */
static void last_resort(void)
{
	if (mount(NULL, KBOX_DATA, NULL, MS_REMOUNT | MS_RDONLY | MOUNT_FLAGS, MOUNT_DATA) == 0)
		log_msg("data: remounted " KBOX_DATA " read-only instead (clean, as if unmounted)");
	else
		log_errno(-errno,
			  "data: cannot remount " KBOX_DATA " read-only either; synced, its "
			  "journal is replayed at the next boot");
	sync();
}

void data_shutdown(void)
{
	_cleanup_free_ struct holder *h = NULL;
	size_t n, max = MAX_HOLDERS;
	int fd;

	if (!D.mounted)
		return;
	D.ready = false;
	snprintf(D.why, sizeof(D.why), "data disk '%s': unmounted at shutdown", D.spec);
	h = calloc(max, sizeof(*h));
	if (!h)
		max = 0;
	n = holders_find(D.devno, h, max);
	if (n) {
		name_holders(h, n, max);
		log_msg("data: SIGTERM to %zu process%s holding " KBOX_DATA, n, n == 1 ? "" : "es");
		if (holders_stop(h, n < max ? n : max, SIGTERM, HOLDER_WAIT_MS)) {
			n = holders_find(D.devno, h, max);
			log_msg("data: SIGKILL to %zu still holding it", n);
			holders_stop(h, n < max ? n : max, SIGKILL, HOLDER_WAIT_MS);
		}
		n = holders_find(D.devno, h, max);
		if (n) {
			log_msg("data: still held after SIGKILL, " KBOX_DATA " stays mounted:");
			name_holders(h, n, max);
			last_resort();
			return;
		}
	}
	if (unmount_all() < 0) {
		last_resort();
		return;
	}
	D.mounted = false;
	/* Unmounted everywhere, the filesystem is gone and the device free for an exclusive
	 * open; else something kbox cannot see (a loop device) still uses it. */
	fd = open(D.dev, O_RDONLY | O_EXCL | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		log_msg("data: unmounted " KBOX_DATA);
	} else {
		log_errno(-errno, "data: unmounted " KBOX_DATA ", but %s is still in use; synced",
			  D.dev);
		sync();
	}
}
