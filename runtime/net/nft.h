/* nf_tables over netlink: the few rules kbox needs, built without system calls into one
 * batch, and sent in one go. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a batch stops growing: some 18,800 published ports (a rule of 444 bytes each).
 * The kernel takes a batch whole, from one sendmsg, into one buffer of its own. */
#define NFT_BATCH_MAX (8u << 20)

struct nft_batch {
	char *buf; /* malloc'd, doubled as it fills, kept across begin for the next batch */
	size_t len, size;
	size_t max;	/* NFT_BATCH_MAX, unless set lower before begin */
	size_t last;	/* offset of the last message added */
	unsigned count; /* messages between begin and end */
	int err;	/* -ENOMEM, or -EMSGSIZE past max: checked when sent */
};

/* Where a batch stands, to go back to when what follows does not fit. */
struct nft_mark {
	size_t len, last;
	unsigned count;
};

/* Start a batch (b zeroed at first, or as the last one left it). */
void nft_batch_begin(struct nft_batch *b);
/* END always fits: the messages before it stop short of the ceiling. */
void nft_batch_end(struct nft_batch *b);
/* Bytes that messages may still take before the ceiling. */
size_t nft_batch_room(const struct nft_batch *b);
void nft_batch_mark(const struct nft_batch *b, struct nft_mark *ret);
/* Drop what came after the mark, and the error it met. */
void nft_batch_rewind(struct nft_batch *b, const struct nft_mark *mark);
/* table ip NAME (created if missing) */
void nft_add_table(struct nft_batch *b, const char *table);
/* a base chain: type nat hook HOOK (NF_INET_*) priority PRIO */
void nft_add_nat_chain(struct nft_batch *b, const char *table, const char *chain, int hook,
		       int prio);
/* a regular chain, for jumps */
void nft_add_chain(struct nft_batch *b, const char *table, const char *chain);
/* jump TO, appended to CHAIN */
void nft_add_jump(struct nft_batch *b, const char *table, const char *chain, const char *to);
/* ip saddr NET/PREFIX oifname != BRIDGE masquerade (egress), or with to_bridge
 * oifname == BRIDGE: published traffic from one container to another, or from the
 * appliance's 127.0.0.0/8, comes back through the appliance. NET in host byte order. */
void nft_add_masquerade(struct nft_batch *b, const char *table, const char *chain, uint32_t net,
			int prefix, const char *bridge, bool to_bridge);
/* fib daddr type local PROTO dport PORT dnat to TO_ADDR:TO_PORT (host byte order) */
void nft_add_dnat(struct nft_batch *b, const char *table, const char *chain, bool udp,
		  uint16_t port, uint32_t to_addr, uint16_t to_port);
/* Delete every rule of a chain. */
void nft_flush_chain(struct nft_batch *b, const char *table, const char *chain);

/* Send the batch in one sendmsg on a NETLINK_NETFILTER socket (its send buffer raised to
 * fit) and read the answers: 0 once the last message is acked and none failed, or the
 * first -errno with the reason in msg (the kernel's extended ack, or what did not fit).
 * The kernel handles the batch within the sendmsg, so the answers are all there when it
 * returns: nothing waits for one that never comes. */
int nft_send(struct nft_batch *b, char *msg, size_t msglen);
/* Give the buffer back. */
void nft_batch_free(struct nft_batch *b);
