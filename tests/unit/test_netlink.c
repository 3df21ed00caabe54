/* Netlink: every request kbox builds, byte for byte (expected bytes written from the kernel's
 * layouts independently); the ack parser; the address pool. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "../../runtime/net/ipam.h"
#include "../../runtime/net/netlink.h"
#include "../../runtime/net/rtnl.h"
#include "../tap.h"

static const unsigned char want_link_up[] = {0x20, 0x00, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00,
					     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
					     0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00,
					     0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
static const unsigned char want_addr4[] = {
	0x28, 0x00, 0x00, 0x00, 0x14, 0x00, 0x01, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x02, 0x10, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x02, 0x00,
	0x0a, 0x58, 0x00, 0x05, 0x08, 0x00, 0x01, 0x00, 0x0a, 0x58, 0x00, 0x05};
static const unsigned char want_route[] = {
	0x2c, 0x00, 0x00, 0x00, 0x18, 0x00, 0x01, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x02, 0x00, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00,
	0x05, 0x00, 0x0a, 0x58, 0x00, 0x01, 0x08, 0x00, 0x04, 0x00, 0x09, 0x00, 0x00, 0x00};
static const unsigned char want_bridge[] = {
	0x3c, 0x00, 0x00, 0x00, 0x10, 0x00, 0x01, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x0a, 0x00, 0x03, 0x00, 0x6b, 0x62, 0x6f, 0x78, 0x30, 0x00, 0x00, 0x00, 0x10,
	0x00, 0x12, 0x80, 0x0b, 0x00, 0x01, 0x00, 0x62, 0x72, 0x69, 0x64, 0x67, 0x65, 0x00, 0x00};
static const unsigned char want_veth[] = {
	0x70, 0x00, 0x00, 0x00, 0x10, 0x00, 0x01, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x0b, 0x00, 0x03, 0x00, 0x6b, 0x62, 0x2d, 0x77, 0x65, 0x62,
	0x00, 0x00, 0x08, 0x00, 0x0a, 0x00, 0x05, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x12, 0x80,
	0x09, 0x00, 0x01, 0x00, 0x76, 0x65, 0x74, 0x68, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00,
	0x02, 0x80, 0x28, 0x00, 0x01, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x03, 0x00, 0x65, 0x74,
	0x68, 0x30, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x13, 0x00, 0xd2, 0x04, 0x00, 0x00};

static void same(const struct nl_msg *m, const unsigned char *want, size_t len, const char *what)
{
	ok(m->err == 0 && m->len == len && memcmp(m->buf, want, len) == 0,
	   "%s: %zu bytes as expected", what, len);
	if (m->len != len)
		printf("#   got %zu bytes\n", m->len);
	for (size_t i = 0; i < len && i < m->len; i++)
		if ((unsigned char)m->buf[i] != want[i]) {
			printf("#   first difference at byte %zu: %02x, want %02x\n", i,
			       (unsigned char)m->buf[i], want[i]);
			break;
		}
}

static void test_builder(void)
{
	static struct nl_msg m;

	rtnl_link_up(&m, 7);
	same(&m, want_link_up, sizeof(want_link_up), "link up");
	rtnl_addr4(&m, 3, htonl(0x0a580005), 16);
	same(&m, want_addr4, sizeof(want_addr4), "address 10.88.0.5/16");
	rtnl_default_route4(&m, 9, htonl(0x0a580001));
	same(&m, want_route, sizeof(want_route), "default route via 10.88.0.1");
	rtnl_bridge(&m, "kbox0");
	same(&m, want_bridge, sizeof(want_bridge), "bridge kbox0");
	rtnl_veth(&m, "kb-web", 5, "eth0", 1234);
	same(&m, want_veth, sizeof(want_veth),
	     "veth kb-web on master 5 and up, peer eth0 in pid 1234's netns");

	nl_msg_init(&m, RTM_NEWLINK, 0, 0);
	for (int i = 0; i < 1000; i++)
		nl_attr_str(&m, IFLA_IFNAME, "a-long-enough-name");
	is_int(m.err, -EMSGSIZE, "a message that does not fit is refused, not overrun");
	ok(m.len <= NL_BUFSIZE, "and stays within its buffer");
}

/* An error ack as the kernel sends it with NETLINK_CAP_ACK and NETLINK_EXT_ACK. */
static size_t make_ack(unsigned char *buf, uint32_t seq, int error, const char *text)
{
	struct nlmsghdr h = {.nlmsg_type = NLMSG_ERROR, .nlmsg_seq = seq};
	struct nlmsgerr e = {.error = error};
	size_t n = NLMSG_HDRLEN + sizeof(e);

	e.msg.nlmsg_len = 64; /* the request's length: capped, so not echoed */
	memcpy(buf + NLMSG_HDRLEN, &e, sizeof(e));
	if (text) {
		struct nlattr a = {.nla_len = NLA_HDRLEN + strlen(text) + 1, .nla_type = 1};

		h.nlmsg_flags = 0x100 | 0x200; /* NLM_F_CAPPED | NLM_F_ACK_TLVS */
		memcpy(buf + n, &a, sizeof(a));
		memcpy(buf + n + NLA_HDRLEN, text, strlen(text) + 1);
		n += NLA_ALIGN(a.nla_len);
	}
	h.nlmsg_len = n;
	memcpy(buf, &h, sizeof(h));
	return n;
}

static void test_acks(void)
{
	unsigned char buf[256] __attribute__((aligned(4)));
	char msg[128];
	size_t n;

	n = make_ack(buf, 7, 0, NULL);
	is_int(nl_parse_ack(buf, n, 7, msg, sizeof(msg)), 0, "an ACK is 0");
	is_int(nl_parse_ack(buf, n, 8, msg, sizeof(msg)), 1,
	       "an answer to another request is skipped");
	n = make_ack(buf, 7, -EEXIST, "File exists in kbox0");
	is_int(nl_parse_ack(buf, n, 7, msg, sizeof(msg)), -EEXIST, "an error is -errno");
	is_str(msg, "File exists in kbox0", "with the extended ack's message");
	is_int(nl_parse_ack(buf, n - 1, 7, msg, sizeof(msg)), -EBADMSG, "a cut message is refused");
	((struct nlmsghdr *)buf)->nlmsg_len = 8;
	is_int(nl_parse_ack(buf, n, 7, msg, sizeof(msg)), -EBADMSG,
	       "a length below the header too");
	n = make_ack(buf, 7, 12345, NULL);
	is_int(nl_parse_ack(buf, n, 7, msg, sizeof(msg)), -EBADMSG, "a positive error is nonsense");
}

static void test_ipam(void)
{
	struct ipam p;
	char err[128], buf[16];
	uint32_t a, b;

	is_int(ipam_init(&p, "10.88.0.0/16", err, sizeof(err)), 0, "subnet 10.88.0.0/16");
	ipam_format(p.gw, buf);
	is_str(buf, "10.88.0.1", "the gateway is its first address");
	is_int(ipam_take(&p, "auto", &a, err, sizeof(err)), 0, "auto");
	ipam_format(a, buf);
	is_str(buf, "10.88.0.2", "takes the lowest free address");
	is_int(ipam_take(&p, "10.88.0.50/16", &b, err, sizeof(err)), 0, "a fixed address");
	is_int(ipam_take(&p, "10.88.0.50/16", &b, err, sizeof(err)), -EADDRINUSE, "taken twice");
	is_str(err, "10.88.0.50 is taken by another container", "says so");
	is_int(ipam_take(&p, "10.88.0.1/16", &b, err, sizeof(err)), -EINVAL, "the gateway");
	is_str(err, "10.88.0.1 is the subnet's gateway address", "is refused");
	is_int(ipam_take(&p, "10.89.0.7/16", &b, err, sizeof(err)), -EINVAL, "outside");
	is_str(err, "'10.89.0.7/16' is outside the subnet 10.88.0.0/16", "is refused");
	is_int(ipam_take(&p, "10.88.255.255/16", &b, err, sizeof(err)), -EINVAL, "broadcast");
	ipam_release(&p, a);
	is_int(ipam_take(&p, "auto", &b, err, sizeof(err)), 0, "after a release");
	ok(a == b, "the address comes back");
	ipam_free(&p);

	is_int(ipam_init(&p, "192.168.7.0/29", err, sizeof(err)), 0, "a /29: 5 addresses");
	for (int i = 0; i < 5; i++)
		ipam_take(&p, "auto", &a, err, sizeof(err));
	is_int(ipam_take(&p, "auto", &a, err, sizeof(err)), -ENOSPC, "then it is exhausted");
	is_str(err, "no address is free in 192.168.7.0/29", "and says so");
	ipam_free(&p);
	is_int(ipam_init(&p, "10.88.0.1/16", err, sizeof(err)), -EINVAL, "host bits are refused");
	is_int(ipam_init(&p, "10.88.0.0/31", err, sizeof(err)), -EINVAL, "so is a /31");
}

int main(void)
{
	test_builder();
	test_acks();
	test_ipam();
	return done();
}
