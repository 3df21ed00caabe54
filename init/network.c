/* The appliance side of net=bridge: the bridge kbox0, addresses, and /etc/hosts files. */
#include "network.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/netfilter.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "../runtime/ipam.h"
#include "../runtime/net.h"
#include "../runtime/nft.h"

#define DEFAULT_SUBNET "10.88.0.0/16"
#define UPLINK "eth0"
#define TABLE "kbox"

static struct ipam pool;
static bool ready;

/* kbox.uplink=ADDR/LEN,GATEWAY on the appliance's NIC; kbox.dns for its resolv.conf. */
static void uplink(const struct spec_set *set)
{
	char err[200], text[64];
	uint32_t addr, gw;
	int prefix, gwp, fd;

	if (set->dns) {
		snprintf(text, sizeof(text), "nameserver %s\n", set->dns);
		fd = open("/etc/resolv.conf", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || write_all(fd, text, strlen(text)) < 0)
			log_errno(-errno, "kbox.dns: cannot write /etc/resolv.conf");
		if (fd >= 0)
			close(fd);
	}
	if (!set->uplink || !strcmp(set->uplink, "none"))
		return;
	if (!strcmp(set->uplink, "dhcp")) {
		log_msg("kbox.uplink: dhcp is not carried out yet; give ADDR/LEN,GATEWAY (QEMU's "
			"user network: 10.0.2.15/24,10.0.2.2)");
		return;
	}
	/* The parser checked the shape: ADDR/LEN,GATEWAY. */
	snprintf(text, sizeof(text), "%.*s", (int)strcspn(set->uplink, ","), set->uplink);
	if (ipam_parse_cidr(text, &addr, &prefix) < 0)
		return;
	snprintf(text, sizeof(text), "%s/32", strchr(set->uplink, ',') + 1);
	if (ipam_parse_cidr(text, &gw, &gwp) < 0)
		return;
	if (net_if_setup(UPLINK, addr, prefix, gw, err, sizeof(err)) < 0)
		log_msg("kbox.uplink: %s", err);
	else
		log_msg("uplink %s: %s", UPLINK, set->uplink);
}

/* The table every rule of kbox's lives in: egress masquerade, and the chains publish adds
 * its DNAT rules to (incoming, and the appliance's own traffic). */
static int nat_setup(void)
{
	static struct nft_batch b;
	char msg[256] = "";
	int r;

	nft_batch_begin(&b);
	nft_add_table(&b, TABLE);
	nft_add_nat_chain(&b, TABLE, "postrouting", NF_INET_POST_ROUTING, 100);
	nft_add_nat_chain(&b, TABLE, "prerouting", NF_INET_PRE_ROUTING, -100);
	nft_add_nat_chain(&b, TABLE, "output", NF_INET_LOCAL_OUT, -100);
	/* Out of the appliance: the containers' addresses are hidden behind its own. */
	nft_add_masquerade(&b, TABLE, "postrouting", pool.net, pool.prefix, NET_BRIDGE, false);
	/* Published ports reached from a container or from 127.0.0.1: the answers must come
	 * back through the appliance, so the source becomes the gateway. */
	nft_add_masquerade(&b, TABLE, "postrouting", pool.net, pool.prefix, NET_BRIDGE, true);
	nft_add_masquerade(&b, TABLE, "postrouting", 0x7f000000, 8, NET_BRIDGE, true);
	nft_batch_end(&b);
	r = nft_send(&b, msg, sizeof(msg));
	if (r < 0)
		return log_errno(r, "cannot set up nf_tables%s%s", msg[0] ? ": " : "", msg);
	r = write_file(AT_FDCWD, "/proc/sys/net/ipv4/conf/" NET_BRIDGE "/route_localnet", "1");
	if (r < 0)
		log_errno(r, "cannot let 127.0.0.1 reach published ports");
	return 0;
}

/* publish=HOST:CTR: DNAT from the appliance's addresses to the container, for the boot
 * (its address is its own until the machine goes down). */
static int publish(const struct ctr *c)
{
	static struct nft_batch b;
	char msg[256] = "";
	int r;

	if (!c->spec->npublish)
		return 0;
	nft_batch_begin(&b);
	for (size_t i = 0; i < c->spec->npublish; i++) {
		const struct spec_publish *p = &c->spec->publish[i];

		nft_add_dnat(&b, TABLE, "prerouting", p->udp, p->host_port, c->addr, p->ctr_port);
		nft_add_dnat(&b, TABLE, "output", p->udp, p->host_port, c->addr, p->ctr_port);
	}
	nft_batch_end(&b);
	r = nft_send(&b, msg, sizeof(msg));
	if (r < 0)
		return log_errno(r, "%s: publish: cannot add its rules%s%s", c->spec->name,
				 msg[0] ? ": " : "", msg);
	return 0;
}

void network_init(const struct spec_set *set)
{
	char err[128];
	bool wanted = false;

	uplink(set);

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

static void hosts_path(const struct ctr *c, char *buf, size_t len)
{
	snprintf(buf, len, "/run/kbox/%s/hosts", c->spec->name);
}

int network_prepare(struct ctr *c, struct rt_opts *opts)
{
	static char path[PATH_MAX];
	char err[128];
	int r;

	if (c->spec->net != SPEC_NET_BRIDGE)
		return 0;
	if (!ready) {
		log_msg("%s: net: the bridge " NET_BRIDGE " is not there (see above)",
			c->spec->name);
		return -ENETDOWN;
	}
	/* The address is the container's for the whole boot, across restarts. */
	if (!c->addr) {
		r = ipam_take(&pool, c->spec->ip, &c->addr, err, sizeof(err));
		if (r < 0) {
			log_msg("%s: ip: %s", c->spec->name, err);
			return r;
		}
		r = publish(c);
		if (r < 0)
			return r;
	}
	hosts_path(c, path, sizeof(path));
	snprintf(err, sizeof(err), "/run/kbox/%s", c->spec->name);
	r = mkdir_p(err, 0755);
	if (r == 0) {
		int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

		r = fd < 0 ? -errno : 0;
		if (fd >= 0)
			close(fd);
	}
	if (r < 0)
		return log_errno(r, "%s: net: cannot create '%s'", c->spec->name, path);
	opts->net.addr = c->addr;
	opts->net.gw = pool.gw;
	opts->net.prefix = pool.prefix;
	opts->net.bridge = NET_BRIDGE;
	opts->net.hosts = path;
	return 0;
}

void network_format(const struct ctr *c, char buf[16])
{
	if (c->addr)
		ipam_format(c->addr, buf);
	else
		snprintf(buf, 16, "-");
}

void network_update_hosts(void)
{
	char text[16384], path[PATH_MAX], a[16];
	size_t n = 0;

	if (!ready)
		return;
	n += snprintf(text, sizeof(text), "127.0.0.1\tlocalhost\n::1\tlocalhost\n");
	for (size_t i = 0; i < sup_count(); i++) {
		const struct ctr *c = sup_at(i);

		if (!c->addr || !(ctr_alive(c) || c->state == CTR_BACKOFF) || n >= sizeof(text))
			continue;
		ipam_format(c->addr, a);
		n += snprintf(text + n, sizeof(text) - n, "%s\t%s\n", a, c->spec->name);
	}
	if (n >= sizeof(text))
		n = sizeof(text) - 1;
	/* In place: each container sees the file through a bind mount of this inode. */
	for (size_t i = 0; i < sup_count(); i++) {
		const struct ctr *c = sup_at(i);
		int fd;

		if (!c->addr)
			continue;
		hosts_path(c, path, sizeof(path));
		fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (write_all(fd, text, n) < 0)
			log_errno(-errno, "%s: cannot write '%s'", c->spec->name, path);
		close(fd);
	}
}
