/* process.terminal: the container's pty, its master sent over the console socket. */
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "../lib/util.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

static int send_master(int sock, int master, const char *name)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {.iov_base = (void *)name, .iov_len = strlen(name)};
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &master, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

static int fail(int r, char *err, int errlen, const char *what)
{
	snprintf(err, errlen, "terminal: %s: %s", what, strerror(-r));
	return r;
}

int console_child_setup(const struct spec_oci *oci, int sock, char *err, int errlen)
{
	_cleanup_close_ int master = -1, slave = -1;
	struct winsize ws = {.ws_row = oci->console_height, .ws_col = oci->console_width};
	char name[32];
	int unlock = 0, n, r;

	/* The container's devpts, through its own /dev/ptmx: not a pty of the host's. */
	master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return fail(-errno, err, errlen, "open /dev/ptmx");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &n) < 0)
		return fail(-errno, err, errlen, "unlock the pty");
	snprintf(name, sizeof(name), "/dev/pts/%d", n);
	/* The peer of this master, whatever /dev/pts/N names in the root. */
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return fail(-errno, err, errlen, "open the pty's slave");
	if ((ws.ws_row || ws.ws_col) && ioctl(slave, TIOCSWINSZ, &ws) < 0)
		return fail(-errno, err, errlen, "set its size");
	r = send_master(sock, master, name);
	if (r < 0)
		return fail(r, err, errlen, "send it over the console socket");
	for (int i = 0; i < 3; i++)
		if (dup2(slave, i) < 0)
			return fail(-errno, err, errlen, "make it stdio");
	if (ioctl(0, TIOCSCTTY, 0) < 0)
		return fail(-errno, err, errlen, "make it the controlling terminal");
	return 0;
}
