/* Small helpers: cleanup attributes, whole reads and writes, string building. */
#pragma once

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
/* Write a string to a file that exists (sysfs, procfs, cgroupfs). */
int write_file(int dirfd, const char *path, const char *val);
/* mkdir -p with mode; 0 or -errno. */
int mkdir_p(const char *path, mode_t mode);

/* rm -r of what is below DIR on device DEV: never below another mount. Best effort. */
void rm_contents(int dir, dev_t dev);

/* Mark every fd from FIRST up close-on-exec: close_range, or a walk on older kernels. */
void fds_cloexec_from(int first);
/* Close every fd from FIRST up, now (close_range, or one by one before Linux 5.9). */
void fds_close_from(int first);

/* One mount(2) call, for tables of mounts. */
struct mnt {
	const char *src, *dst, *type;
	unsigned long flags;
	const char *data;
};

/* Before exec from PID 1's children: every disposition default, no signal blocked. */
void signals_reset(void);

/* A NULL-terminated vector of malloc'd strings. */
int strv_push(char ***v, const char *s);
size_t strv_len(char *const *v);
void strv_free(char **v);
char **strv_copy(char *const *v);
