/* Netlink messages: a pure builder and reply parser, and a small socket layer. */
#include "netlink.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NLMSGERR_ATTR_MSG
#define NLMSGERR_ATTR_MSG 1
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif

void nl_msg_init(struct nl_msg *m, uint16_t type, uint16_t flags, uint32_t seq)
{
	memset(m, 0, sizeof(*m));
	m->hdr.nlmsg_type = type;
	m->hdr.nlmsg_flags = NLM_F_REQUEST | flags;
	m->hdr.nlmsg_seq = seq;
	m->len = NLMSG_HDRLEN;
	m->hdr.nlmsg_len = m->len;
}

void *nl_put(struct nl_msg *m, const void *data, size_t len)
{
	size_t padded = NLMSG_ALIGN(len);
	char *p;

	if (m->err || m->len + padded > sizeof(m->buf)) {
		m->err = -EMSGSIZE;
		return NULL;
	}
	p = m->buf + m->len;
	memcpy(p, data, len);
	memset(p + len, 0, padded - len);
	m->len += padded;
	m->hdr.nlmsg_len = m->len;
	return p;
}

void nl_attr(struct nl_msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr a = {.nla_len = NLA_HDRLEN + len, .nla_type = type};
	size_t need = NLA_HDRLEN + NLA_ALIGN(len);

	if (m->err || m->len + need > sizeof(m->buf)) {
		m->err = -EMSGSIZE;
		return;
	}
	memcpy(m->buf + m->len, &a, sizeof(a));
	if (len)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	memset(m->buf + m->len + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	m->len += need;
	m->hdr.nlmsg_len = m->len;
}

void nl_attr_u32(struct nl_msg *m, uint16_t type, uint32_t v)
{
	nl_attr(m, type, &v, sizeof(v));
}

void nl_attr_str(struct nl_msg *m, uint16_t type, const char *s)
{
	nl_attr(m, type, s, strlen(s) + 1);
}

size_t nl_nest_start(struct nl_msg *m, uint16_t type)
{
	size_t at = m->len;

	nl_attr(m, type | NLA_F_NESTED, NULL, 0);
	return at;
}

void nl_nest_end(struct nl_msg *m, size_t nest)
{
	struct nlattr *a = (struct nlattr *)(m->buf + nest);

	if (!m->err)
		a->nla_len = m->len - nest;
}

int nl_parse_ack(const void *buf, size_t len, uint32_t seq, char *msg, size_t msglen)
{
	const char *p = buf;

	if (msglen)
		msg[0] = '\0';
	while (len >= NLMSG_HDRLEN) {
		struct nlmsghdr h;
		struct nlmsgerr e;
		size_t off, end;

		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len)
			return -EBADMSG;
		if (h.nlmsg_seq != seq || h.nlmsg_type != NLMSG_ERROR) {
			off = NLMSG_ALIGN(h.nlmsg_len);
			p += off < len ? off : len;
			len -= off < len ? off : len;
			continue;
		}
		if (h.nlmsg_len < NLMSG_HDRLEN + sizeof(e))
			return -EBADMSG;
		memcpy(&e, p + NLMSG_HDRLEN, sizeof(e));
		if (e.error > 0 || e.error < -4095)
			return -EBADMSG;
		/* TLVs follow the echoed header (all of the request unless capped). */
		off = NLMSG_HDRLEN + sizeof(e);
		if (h.nlmsg_flags & NLM_F_ACK_TLVS) {
			if (!(h.nlmsg_flags & NLM_F_CAPPED))
				off += NLMSG_ALIGN(e.msg.nlmsg_len) - NLMSG_HDRLEN;
			end = h.nlmsg_len;
			while (off + NLA_HDRLEN <= end) {
				struct nlattr a;

				memcpy(&a, p + off, sizeof(a));
				if (a.nla_len < NLA_HDRLEN || off + a.nla_len > end)
					return -EBADMSG;
				if ((a.nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG && msglen)
					snprintf(msg, msglen, "%.*s", (int)(a.nla_len - NLA_HDRLEN),
						 p + off + NLA_HDRLEN);
				off += NLA_ALIGN(a.nla_len);
			}
		}
		return e.error;
	}
	return len ? -EBADMSG : 1;
}

int nl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), one = 1;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
}

int nl_talk(int fd, struct nl_msg *m, char *msg, size_t msglen)
{
	static uint32_t seq;
	char buf[8192] __attribute__((aligned(4)));
	ssize_t n;
	int r;

	if (m->err)
		return m->err;
	m->hdr.nlmsg_flags |= NLM_F_ACK;
	m->hdr.nlmsg_seq = ++seq;
	if (send(fd, m->buf, m->len, 0) < 0)
		return -errno;
	do {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		r = nl_parse_ack(buf, n, seq, msg, msglen);
	} while (r == 1);
	return r;
}
