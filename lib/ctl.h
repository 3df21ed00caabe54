/* The client side of PID 1's control socket, for kbox's CLI, kbox run, the probe and the
 * tests: a request is one SOCK_SEQPACKET message of words, each ending in a NUL, with the
 * caller's stdin, stdout and stderr along (SCM_RIGHTS) for kbox exec. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A socket connected to PATH (KBOX_CONTROL_SOCK), CLOEXEC, or -errno. */
int ctl_connect(const char *path);
/* Pack the N words of WORDS (or up to a NULL with N < 0) into BUF: the request's length, or
 * -E2BIG when it does not fit in SIZE. */
ssize_t ctl_pack(char *buf, size_t size, const char *const *words, int n);
/* Send the LEN bytes of REQ, with fds 0, 1 and 2 if PASS_STDIO: 0, or -errno. */
int ctl_send(int fd, const void *req, size_t len, bool pass_stdio);
