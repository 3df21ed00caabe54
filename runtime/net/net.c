/* Network devices over netlink: the bridge, each container's veth pair and its addresses. */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../lib/log.h"
#include "../../lib/util.h"
#include "rtnl.h"

int net_link_up(const char *ifname)
{
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = {0};

	if (fd < 0)
		return -errno;
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return -errno;
	return 0;
}

/* One request on a fresh socket; the kernel's extended ack, if any, goes to msg. */
static int talk(struct nl_msg *m, char *msg, size_t msglen)
{
	_cleanup_close_ int fd = nl_open();

	if (fd < 0)
		return fd;
	return nl_talk(fd, m, msg, msglen);
}

static int index_of(const char *ifname)
{
	unsigned i = if_nametoindex(ifname);

	return i ? (int)i : -errno;
}

/* Log WHAT failed, with the kernel's extended ack when it sent one; returns r. */
static int log_with_ack(int r, const char *what, const char *msg)
{
	return log_errno(r, "%s%s%s", what, msg[0] ? ": " : "", msg);
}

int net_bridge_setup(const char *name, uint32_t gw, int prefix)
{
	static struct nl_msg m;
	char msg[256], what[128];
	int r, i;

	rtnl_bridge(&m, name);
	r = talk(&m, msg, sizeof(msg));
	snprintf(what, sizeof(what), "cannot create the bridge %s", name);
	if (r < 0 && r != -EEXIST)
		return log_with_ack(r, what, msg);
	i = index_of(name);
	if (i < 0)
		return log_errno(i, "cannot find the bridge %s", name);
	rtnl_addr4(&m, i, htonl(gw), prefix);
	r = talk(&m, msg, sizeof(msg));
	snprintf(what, sizeof(what), "cannot give the bridge %s its address", name);
	if (r < 0 && r != -EEXIST)
		return log_with_ack(r, what, msg);
	rtnl_link_up(&m, i);
	r = talk(&m, msg, sizeof(msg));
	if (r < 0)
		return log_with_ack(r, "cannot bring the bridge up", msg);
	/* Containers reach beyond the bridge only through the appliance. */
	r = write_file(AT_FDCWD, "/proc/sys/net/ipv4/ip_forward", "1");
	if (r < 0)
		return log_errno(r, "cannot turn on ip_forward");
	return 0;
}

int net_veth_create(int fd, const char *host, int master, pid_t pid, char *msg, size_t msglen)
{
	struct nl_msg m;
	int r;

	rtnl_veth(&m, host, master, "eth0", pid);
	r = nl_talk(fd, &m, msg, msglen);
	if (r == -EEXIST) {
		/* Left by this container's last run, whose namespace the kernel is still
		 * taking down. */
		rtnl_link_del(&m, host);
		nl_talk(fd, &m, msg, msglen);
		rtnl_veth(&m, host, master, "eth0", pid);
		r = nl_talk(fd, &m, msg, msglen);
	}
	return r;
}

int net_veth_setup(const char *name, const char *host, const char *bridge, pid_t pid)
{
	_cleanup_close_ int fd = nl_open();
	char msg[256] = "";
	int master = index_of(bridge), r;

	if (master < 0)
		return log_errno(master, "%s: net: no bridge %s", name, bridge);
	r = fd < 0 ? fd : net_veth_create(fd, host, master, pid, msg, sizeof(msg));
	if (r < 0)
		return log_errno(r, "%s: net: cannot create the veth pair %s/eth0%s%s", name, host,
				 msg[0] ? ": " : "", msg);
	return 0;
}

int net_if_setup(const char *dev, uint32_t addr, int prefix, uint32_t gw, char *err, int errlen)
{
	static struct nl_msg m;
	char msg[200];
	int i = index_of(dev), r;

	if (i < 0) {
		snprintf(err, errlen, "no %s: %s", dev, strerror(-i));
		return i;
	}
	rtnl_addr4(&m, i, htonl(addr), prefix);
	r = talk(&m, msg, sizeof(msg));
	if (r == 0) {
		rtnl_link_up(&m, i);
		r = talk(&m, msg, sizeof(msg));
	}
	if (r == 0) {
		rtnl_default_route4(&m, i, htonl(gw));
		r = talk(&m, msg, sizeof(msg));
	}
	if (r < 0)
		snprintf(err, errlen, "configure %s: %s%s%s", dev, strerror(-r), msg[0] ? ": " : "",
			 msg);
	return r;
}

void net_host_ifname(const char *name, unsigned idx, char buf[IFNAMSIZ])
{
	size_t len = strlen(name), room;
	char num[12];
	int n = snprintf(num, sizeof(num), ".%u", idx); /* at most 11 */

	memcpy(buf, "kb-", 3);
	if (len <= IFNAMSIZ - 1 - 3) {
		memcpy(buf + 3, name, len + 1);
		return;
	}
	/* '.' is in no container's name: no short name spells a long one's. */
	room = IFNAMSIZ - 1 - 3 - n;
	memcpy(buf + 3, name, room);
	memcpy(buf + 3 + room, num, n + 1);
}
