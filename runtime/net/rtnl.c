/* rtnetlink requests kbox makes, built without system calls. */
#include "rtnl.h"

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <string.h>
#include <sys/socket.h>

static const uint16_t create = NLM_F_CREATE | NLM_F_EXCL;

/* Every request starts the same way: the netlink header, then the family's own. */
static void request(struct nl_msg *m, uint16_t type, uint16_t flags, const void *hdr, size_t len)
{
	nl_msg_init(m, type, flags, 0);
	nl_put(m, hdr, len);
}

void rtnl_bridge(struct nl_msg *m, const char *name)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	size_t info;

	request(m, RTM_NEWLINK, create, &ifi, sizeof(ifi));
	nl_attr_str(m, IFLA_IFNAME, name);
	info = nl_nest_start(m, IFLA_LINKINFO);
	nl_attr_str(m, IFLA_INFO_KIND, "bridge");
	nl_nest_end(m, info);
}

void rtnl_veth(struct nl_msg *m, const char *host, int master, const char *peer, int peer_pid)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP},
			 peer_ifi = {.ifi_family = AF_UNSPEC};
	size_t info, data, p;

	request(m, RTM_NEWLINK, create, &ifi, sizeof(ifi));
	nl_attr_str(m, IFLA_IFNAME, host);
	if (master)
		nl_attr_u32(m, IFLA_MASTER, master);
	info = nl_nest_start(m, IFLA_LINKINFO);
	nl_attr_str(m, IFLA_INFO_KIND, "veth");
	data = nl_nest_start(m, IFLA_INFO_DATA);
	/* The peer's attribute is an ifinfomsg followed by its own attributes. */
	p = nl_nest_start(m, VETH_INFO_PEER);
	nl_put(m, &peer_ifi, sizeof(peer_ifi));
	nl_attr_str(m, IFLA_IFNAME, peer);
	nl_attr_u32(m, IFLA_NET_NS_PID, peer_pid);
	nl_nest_end(m, p);
	nl_nest_end(m, data);
	nl_nest_end(m, info);
}

void rtnl_link_up(struct nl_msg *m, int ifindex)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = ifindex,
		.ifi_flags = IFF_UP,
		.ifi_change = IFF_UP,
	};

	request(m, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
}

void rtnl_addr4(struct nl_msg *m, int ifindex, uint32_t addr, int prefix)
{
	struct ifaddrmsg ifa = {
		.ifa_family = AF_INET,
		.ifa_prefixlen = prefix,
		.ifa_scope = RT_SCOPE_UNIVERSE,
		.ifa_index = ifindex,
	};

	request(m, RTM_NEWADDR, create, &ifa, sizeof(ifa));
	nl_attr(m, IFA_LOCAL, &addr, sizeof(addr));
	nl_attr(m, IFA_ADDRESS, &addr, sizeof(addr));
}

/* A unicast route of the main table, as `ip route add` makes (proto boot). */
static const struct rtmsg unicast_route = {
	.rtm_family = AF_INET,
	.rtm_table = RT_TABLE_MAIN,
	.rtm_protocol = RTPROT_BOOT,
	.rtm_scope = RT_SCOPE_UNIVERSE,
	.rtm_type = RTN_UNICAST,
};

void rtnl_default_route4(struct nl_msg *m, int ifindex, uint32_t gw)
{
	request(m, RTM_NEWROUTE, create, &unicast_route, sizeof(unicast_route));
	nl_attr(m, RTA_GATEWAY, &gw, sizeof(gw));
	nl_attr_u32(m, RTA_OIF, ifindex);
}

void rtnl_link_del(struct nl_msg *m, const char *name)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};

	request(m, RTM_DELLINK, 0, &ifi, sizeof(ifi));
	nl_attr_str(m, IFLA_IFNAME, name);
}
