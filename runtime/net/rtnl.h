/* rtnetlink requests kbox makes, built without system calls (unit-tested byte for byte). */
#pragma once

#include <stdint.h>

#include "netlink.h"

/* A bridge NAME (RTM_NEWLINK, create-exclusive). */
void rtnl_bridge(struct nl_msg *m, const char *name);
/* A veth pair: HOST in our namespace, enslaved to master (an ifindex, 0 for none) and up,
 * and PEER created directly in the network namespace of peer_pid. */
void rtnl_veth(struct nl_msg *m, const char *host, int master, const char *peer, int peer_pid);
/* Set a link up. */
void rtnl_link_up(struct nl_msg *m, int ifindex);
/* Add an IPv4 address (network byte order) with its prefix length. */
void rtnl_addr4(struct nl_msg *m, int ifindex, uint32_t addr, int prefix);
/* Add the default IPv4 route via gw (network byte order) out of ifindex. */
void rtnl_default_route4(struct nl_msg *m, int ifindex, uint32_t gw);
/* Delete the link called NAME. */
void rtnl_link_del(struct nl_msg *m, const char *name);
