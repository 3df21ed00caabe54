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
/* The set of running containers changed. STARTING's own /etc/hosts is written now (it
 * must know itself before it runs); every other one at the next network_flush_hosts. */
void network_update_hosts(const struct ctr *starting);
/* Rewrite every bridged container's /etc/hosts if the set changed: once per batch of
 * starts and exits (a boot of n containers writes n files, not n²/2). */
void network_flush_hosts(void);
/* "10.88.0.5", or "-" without an address. */
void network_format(const struct ctr *c, char buf[16]);
