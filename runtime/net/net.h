/* Network devices over netlink: the bridge, each container's veth pair and its addresses.
 * Addresses are host byte order. */
#pragma once

#include <net/if.h>
#include <stdint.h>
#include <sys/types.h>

/* Bring an interface up (lo in a fresh network namespace). 0 or -errno. */
int net_link_up(const char *ifname);
/* Create (or keep) bridge NAME with the gateway address gw/prefix, up; ip_forward on.
 * Logs what failed. */
int net_bridge_setup(const char *name, uint32_t gw, int prefix);
/* Parent side: a veth pair, HOST on BRIDGE and up, its peer eth0 in pid's namespace.
 * Logs what failed. */
int net_veth_setup(const char *name, const char *host, const char *bridge, pid_t pid);
/* The same through netlink socket fd (its network namespace holds HOST and the bridge,
 * ifindex master), for pid as the caller's pid namespace numbers it; no logging: a
 * container's child calls it. 0, or -errno with the kernel's reason, if any, in msg. */
int net_veth_create(int fd, const char *host, int master, pid_t pid, char *msg, size_t msglen);
/* DEV gets addr/prefix and goes up, with the default route via gw: a container's eth0 in
 * its own namespace, or the appliance's uplink. 0, or -errno with the reason in err. */
int net_if_setup(const char *dev, uint32_t addr, int prefix, uint32_t gw, char *err, int errlen);
/* The host end's name for container NAME, number idx in PID 1's table: kb-NAME, or
 * kb-PREFIX.IDX when NAME is longer than 12. No two containers share one: a hash of
 * the name could be made to (and the second to start took the first one's veth as a
 * stale one of its own and deleted it). */
void net_host_ifname(const char *name, unsigned idx, char buf[IFNAMSIZ]);
