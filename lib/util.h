/* Small helpers: cleanup attributes, whole reads and writes, string building, signals. */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

static inline void close_fdp(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

static inline void free_p(void *p)
{
	free(*(void **)p);
}

#define _cleanup_close_ __attribute__((cleanup(close_fdp)))
#define _cleanup_free_ __attribute__((cleanup(free_p)))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Hand an fd or pointer out of a cleanup scope. */
static inline int take_fd(int *fd)
{
	int r = *fd;

	*fd = -1;
	return r;
}

/* 0 or -errno; retries EINTR and short writes. */
int write_all(int fd, const void *buf, size_t len);
/* Read a whole small file into a NUL-terminated malloc'd buffer; length in *ret_len. */
int read_file(int dirfd, const char *path, char **ret_buf, size_t *ret_len);
/* The same from an open fd, from where it stands to its end. */
int read_fd(int fd, char **ret_buf, size_t *ret_len);
/* The same, -EFBIG as soon as more than MAX bytes came: a fifo, a device or a file that
 * grows as it is read cannot make us hold more. */
int read_fd_max(int fd, size_t max, char **ret_buf, size_t *ret_len);
/* Write a string to a file that exists (sysfs, procfs, cgroupfs). */
int write_file(int dirfd, const char *path, const char *val);
/* mkdir -p with mode; 0 or -errno. */
int mkdir_p(const char *path, mode_t mode);

/* rm -r of what is below DIR on device DEV: never below another mount. Best effort. */
void rm_contents(int dir, dev_t dev);

/* Mark every fd from FIRST up close-on-exec: close_range, or a walk on older kernels. */
void fds_cloexec_from(int first);
/* Close every fd above 2 but the N in KEEP (negative ones are ignored). */
void fds_close_except(const int *keep, size_t n);
/* The same from FIRST up: fds 3..FIRST-1 stay (kbox-runc --preserve-fds). */
void fds_close_except_from(unsigned first, const int *keep, size_t n);

/* What open_in_root makes where PATH does not exist yet. */
enum in_root_create {
	IN_ROOT_OPEN,	   /* nothing: a missing component is ENOENT */
	IN_ROOT_MKDIR,	   /* directories, the last one included */
	IN_ROOT_MKDIR_FILE /* directories, and an empty file as the last component */
};
/*
 * Open PATH inside the tree at ROOTFD as though ROOTFD were /: every symlink, absolute or
 * relative, resolves inside it and '..' stops at it (RESOLVE_IN_ROOT); a magic link
 * (/proc/PID/fd/N, /proc/self/exe) anywhere on the way is ELOOP. With CREATE, what is
 * missing is made inside the tree, the target of a dangling symlink included. Returns an
 * O_PATH fd, or -errno.
 */
int open_in_root(int rootfd, const char *path, enum in_root_create create);
/* Open the absolute PATH with FLAGS (and O_CLOEXEC) where no component is a symlink
 * (openat2 RESOLVE_NO_SYMLINKS): an fd, or -errno (ELOOP for a symlink on the way). */
int open_no_symlinks(const char *path, int flags);
/* After open_in_root failed with ELOOP: was a magic link the cause, not a symlink loop?
 * Nothing is opened but O_PATH fds of symlinks. */
bool in_root_magic(int rootfd, const char *path);

/* One mount(2) call, for tables of mounts. */
struct mnt {
	const char *src, *dst, *type;
	unsigned long flags;
	const char *data;
};

/* Before exec from PID 1's children: every disposition default, no signal blocked. */
void signals_reset(void);
/* Block every signal but the faults (SIGSEGV, SIGBUS, SIGFPE, SIGILL), which must stay
 * deliverable; the mask before in RET_OLD, unless NULL. For a PID 1: all arrive in its loop. */
void signals_block_all(sigset_t *ret_old);
/* Block MASK (NULL: those blocked already) and return a signalfd for it (FLAGS: SFD_*), or
 * -errno; the mask before in RET_OLD, unless NULL. */
int signals_fd(const sigset_t *mask, int flags, sigset_t *ret_old);

/* A NULL-terminated vector of malloc'd strings. */
int strv_push(char ***v, const char *s);
size_t strv_len(char *const *v);
void strv_free(char **v);
char **strv_copy(char *const *v);

/* Copy N bytes of SRC to DST (at most CAP - 1 bytes, NUL-terminated), every control byte
 * but tab shown as \xNN: C0, DEL, the C1 controls and bytes that are not UTF-8. Only
 * whole escapes and whole characters are copied. Returns the length written. Pure. */
size_t str_escape(char *dst, size_t cap, const char *src, size_t n);
