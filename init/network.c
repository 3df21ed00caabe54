/* The appliance side of net=bridge: the uplink, the bridge kbox0, each container's address
 * (a table parallel to the supervisor's), its /etc/hosts file and the published ports.
 * It hears of starts and stops as one of the supervisor's observers. */
#include "network.h"

#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <limits.h>
#include <linux/netfilter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/util.h"
#include "../runtime/net/ipam.h"
#include "../runtime/net/dhcp.h"
#include "../runtime/net/net.h"
#include "../runtime/net/nft.h"
#include "ctr.h"
#include "loop.h"
#include "supervisor.h"

#define DEFAULT_SUBNET "10.88.0.0/16"
#define UPLINK "eth0"
#define TABLE "kbox"
#define PUBLISH "publish"

static struct ipam pool;
static bool ready;

/* What network keeps of container I, at addrs[I]: its address while it runs or restarts,
 * or 0, and the one it had before it stopped (it prefers that one again). */
static struct addr {
	uint32_t addr, hint;
} * addrs;
static size_t naddrs;

/* Wait up to ms for a reply of TYPE to xid. */
static int dhcp_wait(int fd, uint32_t xid, int type, struct dhcp_lease *lease, int ms)
{
	uint64_t until = now_ms() + ms;
	uint8_t buf[1500];

	for (uint64_t now; (now = now_ms()) < until;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, (int)(until - now)) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n > 0 && dhcp_parse(buf, n, xid, lease) == 0 &&
		    (lease->type == type || lease->type == DHCP_NAK))
			return lease->type == type ? 0 : -ECONNREFUSED;
	}
	return -ETIMEDOUT;
}

/* DISCOVER, OFFER, REQUEST, ACK over a UDP socket bound to the device: the kernel takes
 * broadcasts on it before it has an address. */
static int dhcp(const char *dev, struct dhcp_lease *lease)
{
	struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = htons(68)};
	struct sockaddr_in server = {
		.sin_family = AF_INET, .sin_port = htons(67), .sin_addr.s_addr = INADDR_BROADCAST};
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = {0};
	uint8_t msg[DHCP_MAX];
	uint32_t xid = (uint32_t)now_ms() * 2654435761u;
	int one = 1, r = -ETIMEDOUT;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, strlen(dev) + 1) < 0 ||
	    bind(fd, (struct sockaddr *)&any, sizeof(any)) < 0 ||
	    ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	r = net_link_up(dev);
	for (int attempt = 0; r <= 0 && attempt < 4; attempt++) {
		size_t n = dhcp_build(msg, DHCP_DISCOVER, xid, (uint8_t *)ifr.ifr_hwaddr.sa_data, 0,
				      0);

		if (sendto(fd, msg, n, 0, (struct sockaddr *)&server, sizeof(server)) < 0)
			return -errno;
		r = dhcp_wait(fd, xid, DHCP_OFFER, lease, 1000 << attempt);
		if (r < 0)
			continue;
		n = dhcp_build(msg, DHCP_REQUEST, xid, (uint8_t *)ifr.ifr_hwaddr.sa_data,
			       lease->addr, lease->server);
		if (sendto(fd, msg, n, 0, (struct sockaddr *)&server, sizeof(server)) < 0)
			return -errno;
		r = dhcp_wait(fd, xid, DHCP_ACK, lease, 1000 << attempt);
		if (r == 0)
			return 0;
	}
	return r;
}

static void write_resolv(const char *dns)
{
	char text[64];
	int fd;

	snprintf(text, sizeof(text), "nameserver %s\n", dns);
	fd = open("/etc/resolv.conf", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, text, strlen(text)) < 0)
		log_errno(-errno, "cannot write /etc/resolv.conf");
	if (fd >= 0)
		close(fd);
}

static void uplink_dhcp(const struct spec_set *set)
{
	struct dhcp_lease l;
	char a[16], gw[16], dns[16], err[200];
	int prefix, r = dhcp(UPLINK, &l);

	if (r < 0) {
		log_errno(r, "kbox.uplink: dhcp on %s got no lease", UPLINK);
		return;
	}
	prefix = __builtin_popcount(l.mask);
	ipam_format(ntohl(l.addr), a);
	ipam_format(ntohl(l.router), gw);
	if (net_if_setup(UPLINK, ntohl(l.addr), prefix, ntohl(l.router), err, sizeof(err)) < 0) {
		log_msg("kbox.uplink: %s", err);
		return;
	}
	if (l.dns && !set->dns) {
		ipam_format(ntohl(l.dns), dns);
		write_resolv(dns);
	}
	log_msg("uplink %s: dhcp: %s/%d via %s", UPLINK, a, prefix, gw);
}

/* kbox.uplink=ADDR/LEN,GATEWAY or dhcp on the appliance's NIC; kbox.dns for resolv.conf. */
static void uplink(const struct spec_set *set)
{
	char err[200];
	uint32_t addr, gw;
	int prefix;

	if (set->dns)
		write_resolv(set->dns);
	if (!set->uplink || !strcmp(set->uplink, "none"))
		return;
	if (!strcmp(set->uplink, "dhcp")) {
		uplink_dhcp(set);
		return;
	}
	if (ipam_parse_uplink(set->uplink, &addr, &prefix, &gw) < 0)
		return; /* the parser checked it */
	if (net_if_setup(UPLINK, addr, prefix, gw, err, sizeof(err)) < 0)
		log_msg("kbox.uplink: %s", err);
	else
		log_msg("uplink %s: %s", UPLINK, set->uplink);
}

/* The table every rule of kbox's lives in: egress masquerade, and the chain publish adds
 * its DNAT rules to, reached from incoming traffic and from the appliance's own. */
static int nat_setup(void)
{
	struct nft_batch b = {0};
	char msg[256] = "";
	int r;

	nft_batch_begin(&b);
	nft_add_table(&b, TABLE);
	nft_add_nat_chain(&b, TABLE, "postrouting", NF_INET_POST_ROUTING, 100);
	nft_add_nat_chain(&b, TABLE, "prerouting", NF_INET_PRE_ROUTING, -100);
	nft_add_nat_chain(&b, TABLE, "output", NF_INET_LOCAL_OUT, -100);
	nft_add_chain(&b, TABLE, PUBLISH);
	nft_add_jump(&b, TABLE, "prerouting", PUBLISH);
	nft_add_jump(&b, TABLE, "output", PUBLISH);
	/* Out of the appliance: the containers' addresses are hidden behind its own. */
	nft_add_masquerade(&b, TABLE, "postrouting", pool.net, pool.prefix, NET_BRIDGE, false);
	/* Published ports reached from a container or from 127.0.0.1: the answers must come
	 * back through the appliance, so the source becomes the gateway. */
	nft_add_masquerade(&b, TABLE, "postrouting", pool.net, pool.prefix, NET_BRIDGE, true);
	nft_add_masquerade(&b, TABLE, "postrouting", 0x7f000000, 8, NET_BRIDGE, true);
	nft_batch_end(&b);
	r = nft_send(&b, msg, sizeof(msg));
	nft_batch_free(&b);
	if (r < 0)
		return log_errno(r, "cannot set up nf_tables%s%s", msg[0] ? ": " : "", msg);
	r = write_file(AT_FDCWD, "/proc/sys/net/ipv4/conf/" NET_BRIDGE "/route_localnet", "1");
	if (r < 0)
		log_errno(r, "cannot let 127.0.0.1 reach published ports");
	return 0;
}

static void hosts_path(const struct spec *s, char *buf, size_t len)
{
	snprintf(buf, len, KBOX_STATE "/%s/hosts", s->name);
}

static bool hosts_dirty;
/* The text every hosts file gets, kept between changes: built anew for each start, it cost
 * a boot of n containers n²/2 lines. A start appends its own line; an exit or a stop has
 * it built anew. */
static struct {
	char text[16384];
	size_t n;
	bool valid;
} H;

/* localhost, then every running (or restarting) bridged container. */
static size_t hosts_text(char *text, size_t size)
{
	char a[16];
	size_t n = snprintf(text, size, "127.0.0.1\tlocalhost\n::1\tlocalhost\n");

	for (size_t i = 0; i < naddrs; i++) {
		const struct ctr *c = sup_at(i);

		if (!addrs[i].addr || !(ctr_alive(c) || c->state == CTR_BACKOFF) || n >= size)
			continue;
		ipam_format(addrs[i].addr, a);
		n += snprintf(text + n, size - n, "%s\t%s\n", a, c->spec->name);
	}
	return n >= size ? size - 1 : n;
}

static void hosts_changed(void)
{
	hosts_dirty = true;
	H.valid = false;
}

/* The current text; with NEW_I (or SIZE_MAX), container NEW_I just took its address and is
 * in no earlier text, so its line is appended to the one kept. */
static const char *hosts_current(size_t new_i, size_t *ret_n)
{
	char a[16];
	int w;

	if (H.valid && new_i != SIZE_MAX) {
		ipam_format(addrs[new_i].addr, a);
		w = snprintf(H.text + H.n, sizeof(H.text) - H.n, "%s\t%s\n", a,
			     sup_at(new_i)->spec->name);
		if (w > 0 && (size_t)w < sizeof(H.text) - H.n)
			H.n += w;
		else
			H.valid = false;
	}
	if (!H.valid) {
		H.n = hosts_text(H.text, sizeof(H.text));
		H.valid = true;
	}
	*ret_n = H.n;
	return H.text;
}

/* In place: the container sees the file through a bind mount of this inode. Overwritten,
 * then cut: a reader never finds it empty, as it would between an O_TRUNC and the write. */
static void hosts_write(const struct spec *s, const char *text, size_t n)
{
	char path[PATH_MAX];
	int fd;

	hosts_path(s, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (pwrite(fd, text, n, 0) != (ssize_t)n || ftruncate(fd, n) < 0)
		log_errno(-errno, "%s: cannot write '%s'", s->name, path);
	close(fd);
}

/* Rewrite every bridged container's /etc/hosts if the set changed: once per batch of
 * starts and exits (a boot of n containers writes n files, not n²/2). */
static void flush_hosts(void)
{
	const char *text;
	size_t n;

	if (!ready || !hosts_dirty)
		return;
	hosts_dirty = false;
	text = hosts_current(SIZE_MAX, &n);
	for (size_t i = 0; i < naddrs; i++)
		if (addrs[i].addr)
			hosts_write(sup_at(i)->spec, text, n);
}

/* publish=HOST:CTR: DNAT from the appliance's addresses to the running containers. The
 * chain is rebuilt whole on every change, in one batch: the kernel applies all of it or
 * none, so a failed update leaves the previous rules in place. The batch grows with the
 * ports (a rule of 444 bytes each) and is freed once sent, not kept in PID 1. A container
 * whose ports would take it past its ceiling is left out, and says so: the others' rules
 * still update. */
static void update_publish(void)
{
	struct nft_batch b = {0};
	char msg[256] = "";
	int r;

	if (!ready)
		return;
	nft_batch_begin(&b);
	nft_flush_chain(&b, TABLE, PUBLISH);
	for (size_t i = 0; i < sup_count(); i++) {
		const struct ctr *c = sup_at(i);
		uint32_t addr = addrs[i].addr;
		struct nft_mark mark;

		if (!addr || !ctr_alive(c))
			continue;
		nft_batch_mark(&b, &mark);
		for (size_t j = 0; j < c->spec->npublish && !b.err; j++) {
			const struct spec_publish *p = &c->spec->publish[j];

			nft_add_dnat(&b, TABLE, PUBLISH, p->udp, p->host_port, addr, p->ctr_port);
			/* Its rules are all of one size: know at the first if they fit. */
			if (j == 0 && !b.err &&
			    (c->spec->npublish - 1) * (b.len - mark.len) > nft_batch_room(&b))
				b.err = -EMSGSIZE;
		}
		if (b.err == -EMSGSIZE) {
			log_msg("%s: publish: its %zu ports do not fit in the rules' %zu KiB "
				"batch; none of them is published",
				c->spec->name, c->spec->npublish, b.max >> 10);
			nft_batch_rewind(&b, &mark);
		}
	}
	nft_batch_end(&b);
	r = nft_send(&b, msg, sizeof(msg));
	nft_batch_free(&b);
	if (r < 0)
		log_errno(r, "publish: cannot update the rules, the previous ones stay%s%s",
			  msg[0] ? ": " : "", msg);
}

/* Its address: the one it holds (kept across restarts), or the one it had before a stop
 * if nobody took it meanwhile, or a new one. 0, or -errno after logging. */
static int take_addr(size_t i)
{
	const struct spec *s = sup_at(i)->spec;
	struct addr *a = &addrs[i];
	char want[32], err[128];
	int r;

	if (a->addr)
		return 0;
	if ((!s->ip || !strcmp(s->ip, "auto")) && a->hint) {
		ipam_format(a->hint, want);
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "/%d", pool.prefix);
		if (ipam_take(&pool, want, &a->addr, err, sizeof(err)) < 0)
			a->addr = 0;
	}
	r = a->addr ? 0 : ipam_take(&pool, s->ip, &a->addr, err, sizeof(err));
	if (r < 0)
		log_msg("%s: ip: %s", s->name, err);
	return r;
}

/* Before a bridged container starts: its address and hosts file go into O, its own name
 * into that file (it must know itself before it runs), and its ports are published. */
static int on_starting(size_t i, struct rt_opts *o)
{
	static char path[PATH_MAX], host[IFNAMSIZ];
	const struct spec *s = sup_at(i)->spec;
	char dir[PATH_MAX];
	const char *text;
	bool fresh = !addrs[i].addr;
	size_t n;
	int r;

	if (s->net != SPEC_NET_BRIDGE)
		return 0;
	if (!ready) {
		log_msg("%s: net: the bridge " NET_BRIDGE " is not there (see above)", s->name);
		return -ENETDOWN;
	}
	r = take_addr(i);
	if (r < 0)
		return r;
	hosts_path(s, path, sizeof(path));
	snprintf(dir, sizeof(dir), KBOX_STATE "/%s", s->name);
	r = mkdir_p(dir, 0755);
	if (r == 0) {
		int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

		r = fd < 0 ? -errno : 0;
		if (fd >= 0)
			close(fd);
	}
	if (r < 0)
		return log_errno(r, "%s: net: cannot create '%s'", s->name, path);
	o->net.addr = addrs[i].addr;
	o->net.gw = pool.gw;
	o->net.prefix = pool.prefix;
	o->net.bridge = NET_BRIDGE;
	net_host_ifname(s->name, i, host);
	o->net.host = host;
	o->net.hosts = path;
	/* Listed already if it kept its address (a restart): then the text is built anew. */
	if (!fresh)
		H.valid = false;
	text = hosts_current(fresh ? i : SIZE_MAX, &n);
	hosts_write(s, text, n);
	/* Every other one at the next flush_hosts. */
	hosts_dirty = true;
	if (s->npublish)
		update_publish();
	return 0;
}

static void on_exited(size_t i)
{
	(void)i;
	hosts_changed();
}

/* Stopped for good: its address goes back to the pool, and its ports with it. */
static void on_gone(size_t i)
{
	struct addr *a = &addrs[i];

	hosts_changed();
	if (i >= naddrs || !a->addr)
		return;
	ipam_release(&pool, a->addr);
	a->hint = a->addr;
	a->addr = 0;
	if (sup_at(i)->spec->npublish)
		update_publish();
}

static const struct sup_observer observer = {
	.starting = on_starting,
	.exited = on_exited,
	.gone = on_gone,
};

void network_format(size_t i, char buf[16])
{
	if (i < naddrs && addrs[i].addr)
		ipam_format(addrs[i].addr, buf);
	else
		snprintf(buf, 16, "-");
}

void network_init(const struct spec_set *set)
{
	char err[128];
	bool wanted = false;
	int r;

	uplink(set);
	/* ping without NET_RAW in net=host containers too (containers with a network namespace
	 * of their own get it there); systemd's default for a host as well. */
	r = write_file(AT_FDCWD, "/proc/sys/net/ipv4/ping_group_range", "0 2147483647");
	if (r < 0)
		log_errno(r, "cannot open ICMP datagram sockets to every group");

	/* Without the bridge, a bridged container's start fails, and says why. */
	sup_observe(&observer);
	loop_before_wait(flush_hosts);
	naddrs = sup_count();
	addrs = calloc(naddrs ? naddrs : 1, sizeof(*addrs));
	if (!addrs) {
		naddrs = 0;
		log_msg("out of memory: no container gets an address");
		return;
	}
	for (const struct spec *s = set->specs; s; s = s->next)
		wanted |= !s->error && s->net == SPEC_NET_BRIDGE;
	if (!wanted)
		return;
	if (ipam_init(&pool, set->subnet ? set->subnet : DEFAULT_SUBNET, err, sizeof(err)) < 0) {
		log_msg("kbox.subnet: %s", err);
		return;
	}
	ready = net_bridge_setup(NET_BRIDGE, pool.gw, pool.prefix) == 0;
	if (ready && nat_setup() < 0)
		ready = false;
}
