/* The appliance side of net=bridge: the bridge kbox0, addresses, and /etc/hosts files. */
#include "network.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "../runtime/ipam.h"
#include "../runtime/net.h"

#define DEFAULT_SUBNET "10.88.0.0/16"

static struct ipam pool;
static bool ready;

void network_init(const struct spec_set *set)
{
	char err[128];
	bool wanted = false;

	for (const struct spec *s = set->specs; s; s = s->next)
		wanted |= !s->error && s->net == SPEC_NET_BRIDGE;
	if (!wanted)
		return;
	if (ipam_init(&pool, set->subnet ? set->subnet : DEFAULT_SUBNET, err, sizeof(err)) < 0) {
		log_msg("kbox.subnet: %s", err);
		return;
	}
	ready = net_bridge_setup(NET_BRIDGE, pool.gw, pool.prefix) == 0;
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
