/* Capability names and Docker's default set. */
#include "capnames.h"

#include <linux/capability.h>
#include <strings.h>

static const char *const names[CAP_COUNT] = {
	"CHOWN",
	"DAC_OVERRIDE",
	"DAC_READ_SEARCH",
	"FOWNER",
	"FSETID",
	"KILL",
	"SETGID",
	"SETUID",
	"SETPCAP",
	"LINUX_IMMUTABLE",
	"NET_BIND_SERVICE",
	"NET_BROADCAST",
	"NET_ADMIN",
	"NET_RAW",
	"IPC_LOCK",
	"IPC_OWNER",
	"SYS_MODULE",
	"SYS_RAWIO",
	"SYS_CHROOT",
	"SYS_PTRACE",
	"SYS_PACCT",
	"SYS_ADMIN",
	"SYS_BOOT",
	"SYS_NICE",
	"SYS_RESOURCE",
	"SYS_TIME",
	"SYS_TTY_CONFIG",
	"MKNOD",
	"LEASE",
	"AUDIT_WRITE",
	"AUDIT_CONTROL",
	"SETFCAP",
	"MAC_OVERRIDE",
	"MAC_ADMIN",
	"SYSLOG",
	"WAKE_ALARM",
	"BLOCK_SUSPEND",
	"AUDIT_READ",
	"PERFMON",
	"BPF",
	"CHECKPOINT_RESTORE",
};

int cap_from_name(const char *name)
{
	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	for (int i = 0; i < CAP_COUNT; i++)
		if (strcasecmp(name, names[i]) == 0)
			return i;
	return -1;
}

const char *cap_name(int cap)
{
	return cap >= 0 && cap < CAP_COUNT ? names[cap] : "?";
}

uint64_t cap_default_set(void)
{
	/* Docker's, less NET_RAW (as podman): no forged ARP or spoofed sources on the bridge;
	 * ping goes over ICMP datagram sockets (net.ipv4.ping_group_range). */
	static const int keep[] = {
		CAP_CHOWN,	 CAP_DAC_OVERRIDE,     CAP_FSETID,     CAP_FOWNER,
		CAP_MKNOD,	 CAP_SETGID,	       CAP_SETUID,     CAP_SETFCAP,
		CAP_SETPCAP,	 CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_KILL,
		CAP_AUDIT_WRITE,
	};
	uint64_t set = 0;

	for (unsigned i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		set |= 1ULL << keep[i];
	return set;
}
