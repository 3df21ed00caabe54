/* nf_tables over netlink: the few rules kbox needs, built without system calls into one
 * batch, and sent in one go. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nft_batch {
	char buf[16384] __attribute__((aligned(4)));
	size_t len;
	unsigned count; /* messages between begin and end */
	int err;	/* -EMSGSIZE once something did not fit */
};

void nft_batch_begin(struct nft_batch *b);
void nft_batch_end(struct nft_batch *b);
/* table ip NAME (created if missing) */
void nft_add_table(struct nft_batch *b, const char *table);
/* a base chain: type nat hook HOOK (NF_INET_*) priority PRIO */
void nft_add_nat_chain(struct nft_batch *b, const char *table, const char *chain, int hook,
		       int prio);
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

/* Send the batch on a NETLINK_NETFILTER socket and read every answer: 0 or the first
 * -errno, with the kernel's extended ack in msg. */
int nft_send(struct nft_batch *b, char *msg, size_t msglen);
