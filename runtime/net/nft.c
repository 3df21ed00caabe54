/* nf_tables over netlink: the few rules kbox needs, built into one batch. */
#include "nft.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netlink.h"

/* The END message's size, kept free below the ceiling. */
#define END_LEN (NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg)))

/* Room for need more bytes: the buffer doubles, up to the batch's ceiling. */
static int grow(struct nft_batch *b, size_t need)
{
	size_t size = b->size ? b->size : 16384;
	char *buf;

	if (need > b->max)
		return -EMSGSIZE;
	while (size < need)
		size *= 2;
	if (size > b->max)
		size = b->max;
	if (size == b->size)
		return 0;
	buf = realloc(b->buf, size);
	if (!buf)
		return -ENOMEM;
	b->buf = buf;
	b->size = size;
	return 0;
}

/* Append one finished message to the batch. */
static void put(struct nft_batch *b, struct nl_msg *m)
{
	if (!b->err && m->err)
		b->err = m->err;
	if (!b->err && b->len + m->len > b->size)
		b->err = grow(b, b->len + m->len);
	if (b->err)
		return;
	memcpy(b->buf + b->len, m->buf, m->len);
	b->len += m->len;
}

/* A message between BEGIN and END, which always finds room after it. */
static void add(struct nft_batch *b, struct nl_msg *m)
{
	size_t at = b->len;

	if (!b->err && b->len + m->len + END_LEN > b->max)
		b->err = -EMSGSIZE;
	put(b, m);
	if (b->err)
		return;
	b->last = at;
	b->count++;
}

static void start(struct nl_msg *m, uint16_t type, uint16_t flags, uint8_t family, uint16_t res)
{
	struct nfgenmsg g = {.nfgen_family = family, .version = NFNETLINK_V0, .res_id = htons(res)};

	nl_msg_init(m, type, flags, 0);
	nl_put(m, &g, sizeof(g));
}

/* No NLM_F_ACK: a failing message is answered anyway, and nft_send asks an ACK of the last
 * one only, so that a batch of any size is answered in a few bytes. */
static void nft_msg(struct nl_msg *m, int type, uint16_t flags)
{
	start(m, NFNL_SUBSYS_NFTABLES << 8 | type, flags, NFPROTO_IPV4, 0);
}

void nft_batch_begin(struct nft_batch *b)
{
	static struct nl_msg m;

	b->len = 0;
	b->last = 0;
	b->count = 0;
	b->err = 0;
	if (!b->max)
		b->max = NFT_BATCH_MAX;
	start(&m, NFNL_MSG_BATCH_BEGIN, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
	put(b, &m);
}

void nft_batch_end(struct nft_batch *b)
{
	static struct nl_msg m;

	start(&m, NFNL_MSG_BATCH_END, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
	put(b, &m);
}

size_t nft_batch_room(const struct nft_batch *b)
{
	size_t max = b->max ? b->max : NFT_BATCH_MAX;

	return b->err || b->len + END_LEN > max ? 0 : max - b->len - END_LEN;
}

void nft_batch_mark(const struct nft_batch *b, struct nft_mark *ret)
{
	*ret = (struct nft_mark){b->len, b->last, b->count};
}

void nft_batch_rewind(struct nft_batch *b, const struct nft_mark *mark)
{
	b->len = mark->len;
	b->last = mark->last;
	b->count = mark->count;
	b->err = 0;
}

void nft_batch_free(struct nft_batch *b)
{
	free(b->buf);
	b->buf = NULL;
	b->size = b->len = 0;
}

void nft_add_table(struct nft_batch *b, const char *table)
{
	static struct nl_msg m;

	nft_msg(&m, NFT_MSG_NEWTABLE, NLM_F_CREATE);
	nl_attr_str(&m, NFTA_TABLE_NAME, table);
	add(b, &m);
}

static void be32(struct nl_msg *m, uint16_t type, uint32_t v)
{
	nl_attr_u32(m, type, htonl(v));
}

void nft_add_nat_chain(struct nft_batch *b, const char *table, const char *chain, int hook,
		       int prio)
{
	static struct nl_msg m;
	size_t h;

	nft_msg(&m, NFT_MSG_NEWCHAIN, NLM_F_CREATE);
	nl_attr_str(&m, NFTA_CHAIN_TABLE, table);
	nl_attr_str(&m, NFTA_CHAIN_NAME, chain);
	h = nl_nest_start(&m, NFTA_CHAIN_HOOK);
	be32(&m, NFTA_HOOK_HOOKNUM, hook);
	be32(&m, NFTA_HOOK_PRIORITY, (uint32_t)prio);
	nl_nest_end(&m, h);
	nl_attr_str(&m, NFTA_CHAIN_TYPE, "nat");
	add(b, &m);
}

/* A regular chain: no hook, reached by jumps from base chains. */
void nft_add_chain(struct nft_batch *b, const char *table, const char *chain)
{
	static struct nl_msg m;

	nft_msg(&m, NFT_MSG_NEWCHAIN, NLM_F_CREATE);
	nl_attr_str(&m, NFTA_CHAIN_TABLE, table);
	nl_attr_str(&m, NFTA_CHAIN_NAME, chain);
	add(b, &m);
}

/* One expression: a list element with its name and its data attributes. */
static size_t expr_start(struct nl_msg *m, const char *name)
{
	size_t e = nl_nest_start(m, NFTA_LIST_ELEM);

	nl_attr_str(m, NFTA_EXPR_NAME, name);
	return e;
}

static void data_value(struct nl_msg *m, uint16_t type, const void *v, size_t len)
{
	size_t d = nl_nest_start(m, type);

	nl_attr(m, NFTA_DATA_VALUE, v, len);
	nl_nest_end(m, d);
}

static void expr_cmp(struct nl_msg *m, int op, const void *v, size_t len)
{
	size_t e = expr_start(m, "cmp"), d = nl_nest_start(m, NFTA_EXPR_DATA);

	be32(m, NFTA_CMP_SREG, NFT_REG_1);
	be32(m, NFTA_CMP_OP, op);
	data_value(m, NFTA_CMP_DATA, v, len);
	nl_nest_end(m, d);
	nl_nest_end(m, e);
}

static void expr_load(struct nl_msg *m, const char *name, uint16_t a1, uint32_t v1, uint16_t a2,
		      uint32_t v2, uint16_t a3, uint32_t v3, uint16_t a4, uint32_t v4)
{
	size_t e = expr_start(m, name), d = nl_nest_start(m, NFTA_EXPR_DATA);

	be32(m, a1, v1);
	be32(m, a2, v2);
	if (a3)
		be32(m, a3, v3);
	if (a4)
		be32(m, a4, v4);
	nl_nest_end(m, d);
	nl_nest_end(m, e);
}

static void expr_immediate(struct nl_msg *m, int reg, const void *v, size_t len)
{
	size_t e = expr_start(m, "immediate"), d = nl_nest_start(m, NFTA_EXPR_DATA);

	be32(m, NFTA_IMMEDIATE_DREG, reg);
	data_value(m, NFTA_IMMEDIATE_DATA, v, len);
	nl_nest_end(m, d);
	nl_nest_end(m, e);
}

static void rule_start(struct nl_msg *m, const char *table, const char *chain, size_t *list)
{
	nft_msg(m, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND);
	nl_attr_str(m, NFTA_RULE_TABLE, table);
	nl_attr_str(m, NFTA_RULE_CHAIN, chain);
	*list = nl_nest_start(m, NFTA_RULE_EXPRESSIONS);
}

void nft_add_dnat(struct nft_batch *b, const char *table, const char *chain, bool udp,
		  uint16_t port, uint32_t to_addr, uint16_t to_port)
{
	static struct nl_msg m;
	uint32_t local = RTN_LOCAL, addr = htonl(to_addr);
	uint16_t dport = htons(port), tport = htons(to_port);
	uint8_t proto = udp ? IPPROTO_UDP : IPPROTO_TCP;
	size_t list, e, d;

	rule_start(&m, table, chain, &list);
	/* fib daddr type local: to one of the appliance's own addresses */
	expr_load(&m, "fib", NFTA_FIB_DREG, NFT_REG_1, NFTA_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE,
		  NFTA_FIB_FLAGS, NFTA_FIB_F_DADDR, 0, 0);
	expr_cmp(&m, NFT_CMP_EQ, &local, sizeof(local));
	expr_load(&m, "meta", NFTA_META_KEY, NFT_META_L4PROTO, NFTA_META_DREG, NFT_REG_1, 0, 0, 0,
		  0);
	expr_cmp(&m, NFT_CMP_EQ, &proto, 1);
	expr_load(&m, "payload", NFTA_PAYLOAD_DREG, NFT_REG_1, NFTA_PAYLOAD_BASE,
		  NFT_PAYLOAD_TRANSPORT_HEADER, NFTA_PAYLOAD_OFFSET, 2, NFTA_PAYLOAD_LEN, 2);
	expr_cmp(&m, NFT_CMP_EQ, &dport, 2);
	expr_immediate(&m, NFT_REG_1, &addr, 4);
	expr_immediate(&m, NFT_REG_2, &tport, 2);
	e = expr_start(&m, "nat");
	d = nl_nest_start(&m, NFTA_EXPR_DATA);
	be32(&m, NFTA_NAT_TYPE, NFT_NAT_DNAT);
	be32(&m, NFTA_NAT_FAMILY, NFPROTO_IPV4);
	be32(&m, NFTA_NAT_REG_ADDR_MIN, NFT_REG_1);
	be32(&m, NFTA_NAT_REG_PROTO_MIN, NFT_REG_2);
	nl_nest_end(&m, d);
	nl_nest_end(&m, e);
	nl_nest_end(&m, list);
	add(b, &m);
}

void nft_add_jump(struct nft_batch *b, const char *table, const char *chain, const char *to)
{
	static struct nl_msg m;
	size_t list, e, d, data, v;

	rule_start(&m, table, chain, &list);
	e = expr_start(&m, "immediate");
	d = nl_nest_start(&m, NFTA_EXPR_DATA);
	be32(&m, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	data = nl_nest_start(&m, NFTA_IMMEDIATE_DATA);
	v = nl_nest_start(&m, NFTA_DATA_VERDICT);
	be32(&m, NFTA_VERDICT_CODE, (uint32_t)NFT_JUMP);
	nl_attr_str(&m, NFTA_VERDICT_CHAIN, to);
	nl_nest_end(&m, v);
	nl_nest_end(&m, data);
	nl_nest_end(&m, d);
	nl_nest_end(&m, e);
	nl_nest_end(&m, list);
	add(b, &m);
}

void nft_add_masquerade(struct nft_batch *b, const char *table, const char *chain, uint32_t net,
			int prefix, const char *bridge, bool to_bridge)
{
	static struct nl_msg m;
	uint32_t mask = htonl(prefix ? ~0U << (32 - prefix) : 0), zero = 0, addr = htonl(net);
	char ifname[IFNAMSIZ] = {0};
	size_t list, e, d;

	strncpy(ifname, bridge, IFNAMSIZ - 1);
	rule_start(&m, table, chain, &list);
	/* ip saddr & mask == net */
	expr_load(&m, "payload", NFTA_PAYLOAD_DREG, NFT_REG_1, NFTA_PAYLOAD_BASE,
		  NFT_PAYLOAD_NETWORK_HEADER, NFTA_PAYLOAD_OFFSET, 12, NFTA_PAYLOAD_LEN, 4);
	e = expr_start(&m, "bitwise");
	d = nl_nest_start(&m, NFTA_EXPR_DATA);
	be32(&m, NFTA_BITWISE_SREG, NFT_REG_1);
	be32(&m, NFTA_BITWISE_DREG, NFT_REG_1);
	be32(&m, NFTA_BITWISE_LEN, 4);
	data_value(&m, NFTA_BITWISE_MASK, &mask, 4);
	data_value(&m, NFTA_BITWISE_XOR, &zero, 4);
	nl_nest_end(&m, d);
	nl_nest_end(&m, e);
	expr_cmp(&m, NFT_CMP_EQ, &addr, 4);
	/* oifname ==/!= bridge */
	expr_load(&m, "meta", NFTA_META_KEY, NFT_META_OIFNAME, NFTA_META_DREG, NFT_REG_1, 0, 0, 0,
		  0);
	expr_cmp(&m, to_bridge ? NFT_CMP_EQ : NFT_CMP_NEQ, ifname, IFNAMSIZ);
	e = expr_start(&m, "masq");
	nl_nest_end(&m, e);
	nl_nest_end(&m, list);
	add(b, &m);
}

void nft_flush_chain(struct nft_batch *b, const char *table, const char *chain)
{
	static struct nl_msg m;

	/* A DELRULE without a handle deletes every rule of the chain. */
	nft_msg(&m, NFT_MSG_DELRULE, 0);
	nl_attr_str(&m, NFTA_RULE_TABLE, table);
	nl_attr_str(&m, NFTA_RULE_CHAIN, chain);
	add(b, &m);
}

/* Raise the socket's send buffer to hold len: the kernel refuses a sendmsg larger than it
 * (EMSGSIZE). SO_SNDBUFFORCE goes past net.core.wmem_max with CAP_NET_ADMIN. */
static int fit_sndbuf(int fd, size_t len)
{
	int have = 0, want = (int)len + 4096;
	socklen_t sl = sizeof(have);

	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &have, &sl) == 0 && have - 32 >= (int)len)
		return have;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
	sl = sizeof(have);
	getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &have, &sl);
	return have;
}

/* Every answer already queued: the first failure, or whether the last message was acked. */
static int read_answers(int fd, uint32_t last_seq, char *msg, size_t msglen)
{
	char buf[8192] __attribute__((aligned(4)));
	bool acked = false;
	int r = 0;

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0)
			return r ? r : -errno; /* ENOBUFS: answers were lost */
		for (size_t off = 0; off + NLMSG_HDRLEN <= (size_t)n;) {
			struct nlmsghdr *h = (struct nlmsghdr *)(buf + off);
			char why[256];
			int e;

			if (h->nlmsg_len < NLMSG_HDRLEN || off + h->nlmsg_len > (size_t)n)
				return r ? r : -EBADMSG;
			e = nl_parse_ack(h, h->nlmsg_len, h->nlmsg_seq, why, sizeof(why));
			if (e < 0 && r == 0) {
				r = e;
				snprintf(msg, msglen, "%s", why);
			} else if (e == 0 && h->nlmsg_seq == last_seq) {
				acked = true;
			}
			off += NLMSG_ALIGN(h->nlmsg_len);
		}
	}
	if (r == 0 && !acked) {
		/* A malformed or interrupted batch is dropped without a word. */
		snprintf(msg, msglen, "nf_tables did not answer the batch");
		return -EPROTO;
	}
	return r;
}

int nft_send(struct nft_batch *b, char *msg, size_t msglen)
{
	int fd, one = 1, r, sndbuf;
	uint32_t seq = 1, last_seq = 0;

	if (msglen)
		msg[0] = '\0';
	if (b->err == -EMSGSIZE) {
		snprintf(msg, msglen, "the batch would pass its ceiling of %zu KiB (%u rules in)",
			 b->max >> 10, b->count);
		return b->err;
	}
	if (b->err)
		return b->err;
	if (b->count == 0)
		return 0;
	/* Number the messages (the answers name them); the last one asks for an ACK. */
	for (size_t off = 0; off < b->len;) {
		struct nlmsghdr *h = (struct nlmsghdr *)(b->buf + off);

		h->nlmsg_seq = seq++;
		if (off == b->last) {
			h->nlmsg_flags |= NLM_F_ACK;
			last_seq = h->nlmsg_seq;
		}
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	sndbuf = fit_sndbuf(fd, b->len);
	/* One sendmsg: nfnetlink reads BEGIN..END from one skb; split, it would abort. */
	if (send(fd, b->buf, b->len, 0) < 0) {
		r = -errno;
		if (r == -EMSGSIZE)
			snprintf(msg, msglen,
				 "a batch of %zu bytes is larger than the socket's "
				 "send buffer (%d bytes)",
				 b->len, sndbuf);
	} else {
		r = read_answers(fd, last_seq, msg, msglen);
	}
	close(fd);
	return r;
}
