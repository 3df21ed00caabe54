/* The appliance side of net=bridge: the uplink, the bridge kbox0, containers' addresses,
 * their /etc/hosts files and published ports. It hears of starts and stops as one of the
 * supervisor's observers. */
#pragma once

#include <stddef.h>

#include "../runtime/spec/spec.h"

#define NET_BRIDGE "kbox0"

/* After sup_init: the uplink; kbox0 with the subnet's gateway address, if any container
 * wants the bridge; and from now on each bridged container's address and hosts file. */
void network_init(const struct spec_set *set);
/* Container I's address, "10.88.0.5", or "-" without one. */
void network_format(size_t i, char buf[16]);
