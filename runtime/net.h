/* Network devices. */
#pragma once

/* Bring an interface up (lo in a fresh network namespace). 0 or -errno. */
int net_link_up(const char *ifname);
