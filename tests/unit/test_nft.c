/* The nf_tables batch builder: it grows as rules come (500 and more published ports), keeps
 * every message whole across its reallocations, and stops at its ceiling with an error. */
#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <string.h>

#include "../../runtime/net/nft.h"
#include "../tap.h"

#define NEWRULE (NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWRULE)

/* Walk the batch: the number of messages, each header's type checked against what a
 * batch holds; -1 if a length leads outside. */
static int walk(const struct nft_batch *b, unsigned *ret_rules, unsigned *ret_acks)
{
	unsigned n = 0, rules = 0, acks = 0;
	size_t off = 0;

	while (off < b->len) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)(b->buf + off);

		if (off + NLMSG_HDRLEN > b->len || h->nlmsg_len < NLMSG_HDRLEN ||
		    off + h->nlmsg_len > b->len)
			return -1;
		if (n == 0 && h->nlmsg_type != NFNL_MSG_BATCH_BEGIN)
			return -1;
		rules += h->nlmsg_type == NEWRULE;
		acks += !!(h->nlmsg_flags & NLM_F_ACK);
		off += NLMSG_ALIGN(h->nlmsg_len);
		n++;
	}
	*ret_rules = rules;
	*ret_acks = acks;
	return off == b->len ? (int)n : -1;
}

/* The bytes of one DNAT rule, from a batch of its own. */
static size_t one_rule(uint16_t port, uint32_t addr, char *buf, size_t size)
{
	struct nft_batch b = {0};
	size_t start, len;

	nft_batch_begin(&b);
	start = b.len;
	nft_add_dnat(&b, "kbox", "publish", false, port, addr, 80);
	len = b.len - start;
	if (len <= size)
		memcpy(buf, b.buf + start, len);
	nft_batch_free(&b);
	return len;
}

static void test_growth(void)
{
	static char want[4096];
	struct nft_batch b = {0};
	unsigned rules = 0, acks = 0;
	size_t begin, rule, end, first = 0, at = 0;
	int same = 1;

	rule = one_rule(10499, 0x0a580003, want, sizeof(want));
	ok(rule > 300 && rule < 600, "one DNAT rule is %zu bytes", rule);
	nft_batch_begin(&b);
	begin = b.len;
	nft_add_table(&b, "kbox");
	nft_flush_chain(&b, "kbox", "publish");
	first = b.len;
	for (unsigned i = 0; i < 500; i++) {
		if (i == 499)
			at = b.len;
		nft_add_dnat(&b, "kbox", "publish", false, 10000 + i, 0x0a580003, 80);
	}
	end = b.len;
	nft_batch_end(&b);
	is_int(b.err, 0, "500 DNAT rules fit (the fixed 16 KiB batch held 36)");
	is_int(b.count, 502, "502 messages between begin and end");
	is_int(end - first, 500 * rule, "each of them whole: 500 x %zu bytes", rule);
	ok(b.size >= b.len && b.size < 2 * b.len && b.size <= NFT_BATCH_MAX,
	   "the buffer doubled to %zu bytes for %zu", b.size, b.len);
	is_int(walk(&b, &rules, &acks), 504, "the batch reads as 504 messages, begin to end");
	is_int(rules, 500, "500 of them rules");
	is_int(acks, 0, "none asks for an ACK yet (nft_send marks the last)");
	is_int(b.last, at, "the last message is the last rule");
	for (unsigned i = 0; i < 500 && same; i++) {
		char alone[4096];

		same = one_rule(10000 + i, 0x0a580003, alone, sizeof(alone)) == rule &&
		       memcmp(b.buf + first + i * rule, alone, rule) == 0;
	}
	ok(same, "every rule, built across the reallocations, is byte for byte the rule alone");
	ok(memcmp(b.buf + at, want, rule) == 0, "the last one included");
	ok(begin > 0 && b.len - end > 0, "begin and end are there (%zu and %zu bytes)", begin,
	   b.len - end);

	/* The next batch starts empty and keeps the buffer. */
	{
		char *buf = b.buf;

		nft_batch_begin(&b);
		is_int(b.count, 0, "begin again: no message");
		ok(b.buf == buf && b.len == begin, "the buffer is kept, holding begin only");
	}
	nft_batch_free(&b);
	ok(b.buf == NULL && b.size == 0, "free gives the buffer back");
}

static void test_ceiling(void)
{
	struct nft_batch b = {.max = 8192};
	char msg[256] = "", want[128];
	unsigned n = 0, rules = 0, acks = 0;
	size_t rule = one_rule(1, 1, NULL, 0), begin;

	nft_batch_begin(&b);
	begin = b.len;
	for (unsigned i = 0; i < 100; i++) {
		nft_add_dnat(&b, "kbox", "publish", true, 20000 + i, 0x0a580009, 53);
		if (!b.err)
			n++;
	}
	nft_batch_end(&b);
	is_int(b.err, -EMSGSIZE, "past an 8 KiB ceiling: -EMSGSIZE");
	is_int(n, (8192 - begin - 20) / rule, "after as many rules as fit, END's room kept (%u)",
	       n);
	is_int(b.count, n, "counted as such");
	ok(b.len <= 8192 && b.size <= 8192, "the buffer never passes the ceiling (%zu)", b.size);
	is_int(walk(&b, &rules, &acks), (int)n + 1, "what is in is still whole");
	is_int(nft_send(&b, msg, sizeof(msg)), -EMSGSIZE, "sending it fails, before any socket");
	snprintf(want, sizeof(want), "the batch would pass its ceiling of 8 KiB (%u rules in)", n);
	is_str(msg, want, "and says why");
	nft_batch_begin(&b);
	is_int(b.err, 0, "a new batch starts without the error");

	/* One container's rules fit, the next one's do not: it is rewound, the batch goes. */
	{
		struct nft_mark mark;
		size_t len;

		for (unsigned i = 0; i < 10; i++)
			nft_add_dnat(&b, "kbox", "publish", false, 8000 + i, 0x0a580002, 80);
		nft_batch_mark(&b, &mark);
		len = b.len;
		is_int(nft_batch_room(&b), 8192 - len - 20,
		       "room: to the ceiling, less END's 20 bytes");
		for (unsigned i = 0; i < 10; i++)
			nft_add_dnat(&b, "kbox", "publish", false, 9000 + i, 0x0a580003, 80);
		is_int(b.err, -EMSGSIZE, "a second container's 10 rules do not fit");
		nft_batch_rewind(&b, &mark);
		ok(b.err == 0 && b.len == len && b.count == 10, "rewound to the first one's 10");
		nft_batch_end(&b);
		is_int(b.err, 0, "END fits");
		is_int(walk(&b, &rules, &acks), 12, "the batch is whole: begin, 10 rules, end");
		ok(b.last == len - rule, "its last message is the first container's last rule");
	}
	nft_batch_free(&b);

	b = (struct nft_batch){0};
	nft_batch_begin(&b);
	is_int(b.max, NFT_BATCH_MAX, "the ceiling is %u MiB unless set", NFT_BATCH_MAX >> 20);
	nft_batch_end(&b);
	is_int(nft_send(&b, msg, sizeof(msg)), 0, "an empty batch is not sent at all");
	nft_batch_free(&b);
}

int main(void)
{
	test_growth();
	test_ceiling();
	return done();
}
