/* The client side of PID 1's control socket: connect, pack a request, send it. */
#include "ctl.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int ctl_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

ssize_t ctl_pack(char *buf, size_t size, const char *const *words, int n)
{
	size_t len = 0;

	for (int i = 0; n < 0 ? words[i] != NULL : i < n; i++) {
		size_t w = strlen(words[i]) + 1;

		if (len + w > size)
			return -E2BIG;
		memcpy(buf + len, words[i], w);
		len += w;
	}
	return len;
}

int ctl_send(int fd, const void *req, size_t len, bool pass_stdio)
{
	static const int stdio[3] = {0, 1, 2};
	char cbuf[CMSG_SPACE(sizeof(stdio))] = {0};
	struct iovec iov = {(void *)req, len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	if (pass_stdio) {
		struct cmsghdr *cm;

		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(stdio));
		memcpy(CMSG_DATA(cm), stdio, sizeof(stdio));
	}
	return sendmsg(fd, &mh, MSG_NOSIGNAL) < 0 ? -errno : 0;
}
