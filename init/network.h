/* The appliance side of net=bridge: the bridge kbox0, addresses, and /etc/hosts files. */
#pragma once

#include "../runtime/runtime.h"
#include "ctr.h"

#define NET_BRIDGE "kbox0"

/* Make kbox0 with the subnet's gateway address, if any container wants the bridge. */
void network_init(const struct spec_set *set);
/* Before a bridged container starts: its address (kept across restarts) and hosts file go
 * into opts. 0, or -errno after logging "name: ip: reason". */
int network_prepare(struct ctr *c, struct rt_opts *opts);
/* Give a container's address back once it has stopped for good (it prefers it again). */
void network_release(struct ctr *c);
/* Point the published ports at the running containers. */
void network_update_publish(void);
/* Rewrite every bridged container's /etc/hosts: itself and every other running one. */
void network_update_hosts(void);
/* "10.88.0.5", or "-" without an address. */
void network_format(const struct ctr *c, char buf[16]);
