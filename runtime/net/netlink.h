/* Netlink messages: a pure builder and reply parser, and a small socket layer.
 * Shaped after libmnl: a message is a buffer that attributes are appended to. */
#pragma once

#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>

#define NL_BUFSIZE 4096

struct nl_msg {
	union {
		char buf[NL_BUFSIZE];
		struct nlmsghdr hdr; /* keeps buf aligned for the header */
	};
	size_t len;
	int err; /* -EMSGSIZE once something did not fit; checked when sent */
};

/* Start a message: header with type, flags (NLM_F_REQUEST is added) and seq. */
void nl_msg_init(struct nl_msg *m, uint16_t type, uint16_t flags, uint32_t seq);
/* Append len bytes (a family header like ifinfomsg), padded to 4; NULL if it did not fit. */
void *nl_put(struct nl_msg *m, const void *data, size_t len);
/* Append an attribute. */
void nl_attr(struct nl_msg *m, uint16_t type, const void *data, size_t len);
void nl_attr_u32(struct nl_msg *m, uint16_t type, uint32_t v);
void nl_attr_str(struct nl_msg *m, uint16_t type, const char *s);
/* Open a nested attribute; close it with nl_nest_end once its attributes are in. */
size_t nl_nest_start(struct nl_msg *m, uint16_t type);
void nl_nest_end(struct nl_msg *m, size_t nest);

/* Read the kernel's answer to seq in buf[0..len): 0 for an ACK, -errno for an error, with
 * the extended ack's message (if any) in msg; -EBADMSG for anything malformed; 1 if the
 * buffer holds no answer to seq. */
int nl_parse_ack(const void *buf, size_t len, uint32_t seq, char *msg, size_t msglen);

/* Socket side. A NETLINK_ROUTE socket with extended acks, or -errno. */
int nl_open(void);
/* Send m with NLM_F_ACK and wait for its answer: 0 or -errno, the kernel's message in msg. */
int nl_talk(int fd, struct nl_msg *m, char *msg, size_t msglen);
