/* `kbox spec`'s config.json: runc's default bundle (rootfs "rootfs", sh on a terminal,
 * the usual mounts and namespaces, masked and read-only paths), written out as kbox's own
 * text. Pure code. */
#include <stdio.h>

#include "oci.h"

#define HEAD                                                                                       \
	"{\n"                                                                                      \
	"\t\"ociVersion\": \"1.0.2-dev\",\n"                                                       \
	"\t\"process\": {\n"                                                                       \
	"\t\t\"terminal\": true,\n"                                                                \
	"\t\t\"user\": {\n"                                                                        \
	"\t\t\t\"uid\": 0,\n"                                                                      \
	"\t\t\t\"gid\": 0\n"                                                                       \
	"\t\t},\n"                                                                                 \
	"\t\t\"args\": [\n"                                                                        \
	"\t\t\t\"sh\"\n"                                                                           \
	"\t\t],\n"                                                                                 \
	"\t\t\"env\": [\n"                                                                         \
	"\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"           \
	"\t\t\t\"TERM=xterm\"\n"                                                                   \
	"\t\t],\n"                                                                                 \
	"\t\t\"cwd\": \"/\",\n"                                                                    \
	"\t\t\"capabilities\": {\n"                                                                \
	"\t\t\t\"bounding\": [\n" CAPS "\t\t\t],\n"                                                \
	"\t\t\t\"effective\": [\n" CAPS "\t\t\t],\n"                                               \
	"\t\t\t\"permitted\": [\n" CAPS "\t\t\t],\n"                                               \
	"\t\t\t\"ambient\": [\n" CAPS "\t\t\t]\n"                                                  \
	"\t\t},\n"                                                                                 \
	"\t\t\"rlimits\": [\n"                                                                     \
	"\t\t\t{\n"                                                                                \
	"\t\t\t\t\"type\": \"RLIMIT_NOFILE\",\n"                                                   \
	"\t\t\t\t\"hard\": 1024,\n"                                                                \
	"\t\t\t\t\"soft\": 1024\n"                                                                 \
	"\t\t\t}\n"                                                                                \
	"\t\t],\n"                                                                                 \
	"\t\t\"noNewPrivileges\": true\n"                                                          \
	"\t},\n"                                                                                   \
	"\t\"root\": {\n"                                                                          \
	"\t\t\"path\": \"rootfs\",\n"                                                              \
	"\t\t\"readonly\": true\n"                                                                 \
	"\t},\n"                                                                                   \
	"\t\"hostname\": \"kbox\",\n"                                                              \
	"\t\"mounts\": [\n"                                                                        \
	"\t\t{\n"                                                                                  \
	"\t\t\t\"destination\": \"/proc\",\n"                                                      \
	"\t\t\t\"type\": \"proc\",\n"                                                              \
	"\t\t\t\"source\": \"proc\"\n"                                                             \
	"\t\t},\n"                                                                                 \
	"\t\t{\n"                                                                                  \
	"\t\t\t\"destination\": \"/dev\",\n"                                                       \
	"\t\t\t\"type\": \"tmpfs\",\n"                                                             \
	"\t\t\t\"source\": \"tmpfs\",\n"                                                           \
	"\t\t\t\"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]\n"        \
	"\t\t},\n"                                                                                 \
	"\t\t{\n"                                                                                  \
	"\t\t\t\"destination\": \"/dev/pts\",\n"                                                   \
	"\t\t\t\"type\": \"devpts\",\n"                                                            \
	"\t\t\t\"source\": \"devpts\",\n"                                                          \
	"\t\t\t\"options\": [\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", "         \
	"\"mode=0620\"" DEVPTS_GID "]\n"                                                           \
	"\t\t},\n"                                                                                 \
	"\t\t{\n"                                                                                  \
	"\t\t\t\"destination\": \"/dev/shm\",\n"                                                   \
	"\t\t\t\"type\": \"tmpfs\",\n"                                                             \
	"\t\t\t\"source\": \"shm\",\n"                                                             \
	"\t\t\t\"options\": [\"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\"]\n" \
	"\t\t},\n"                                                                                 \
	"\t\t{\n"                                                                                  \
	"\t\t\t\"destination\": \"/dev/mqueue\",\n"                                                \
	"\t\t\t\"type\": \"mqueue\",\n"                                                            \
	"\t\t\t\"source\": \"mqueue\",\n"                                                          \
	"\t\t\t\"options\": [\"nosuid\", \"noexec\", \"nodev\"]\n"                                 \
	"\t\t},\n"                                                                                 \
	"\t\t{\n" SYS "\t\t},\n"                                                                   \
	"\t\t{\n"                                                                                  \
	"\t\t\t\"destination\": \"/sys/fs/cgroup\",\n"                                             \
	"\t\t\t\"type\": \"cgroup\",\n"                                                            \
	"\t\t\t\"source\": \"cgroup\",\n"                                                          \
	"\t\t\t\"options\": [\"nosuid\", \"noexec\", \"nodev\", \"relatime\", \"ro\"]\n"           \
	"\t\t}\n"                                                                                  \
	"\t],\n"                                                                                   \
	"\t\"linux\": {\n"

#define CAPS                                                                                       \
	"\t\t\t\t\"CAP_AUDIT_WRITE\",\n"                                                           \
	"\t\t\t\t\"CAP_KILL\",\n"                                                                  \
	"\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"

#define PATHS                                                                                      \
	"\t\t\"maskedPaths\": [\n"                                                                 \
	"\t\t\t\"/proc/acpi\",\n"                                                                  \
	"\t\t\t\"/proc/asound\",\n"                                                                \
	"\t\t\t\"/proc/kcore\",\n"                                                                 \
	"\t\t\t\"/proc/keys\",\n"                                                                  \
	"\t\t\t\"/proc/latency_stats\",\n"                                                         \
	"\t\t\t\"/proc/timer_list\",\n"                                                            \
	"\t\t\t\"/proc/timer_stats\",\n"                                                           \
	"\t\t\t\"/proc/sched_debug\",\n"                                                           \
	"\t\t\t\"/sys/firmware\",\n"                                                               \
	"\t\t\t\"/proc/scsi\"\n"                                                                   \
	"\t\t],\n"                                                                                 \
	"\t\t\"readonlyPaths\": [\n"                                                               \
	"\t\t\t\"/proc/bus\",\n"                                                                   \
	"\t\t\t\"/proc/fs\",\n"                                                                    \
	"\t\t\t\"/proc/irq\",\n"                                                                   \
	"\t\t\t\"/proc/sys\",\n"                                                                   \
	"\t\t\t\"/proc/sysrq-trigger\"\n"                                                          \
	"\t\t]\n"                                                                                  \
	"\t}\n"                                                                                    \
	"}\n"

/* As root: a network namespace and a device cgroup that allows nothing but what runc's
 * default devices are (the runtime adds those). */
#define DEVPTS_GID ", \"gid=5\""
#define SYS                                                                                        \
	"\t\t\t\"destination\": \"/sys\",\n"                                                       \
	"\t\t\t\"type\": \"sysfs\",\n"                                                             \
	"\t\t\t\"source\": \"sysfs\",\n"                                                           \
	"\t\t\t\"options\": [\"nosuid\", \"noexec\", \"nodev\", \"ro\"]\n"
static const char root_config[] = HEAD "\t\t\"resources\": {\n"
				       "\t\t\t\"devices\": [\n"
				       "\t\t\t\t{\n"
				       "\t\t\t\t\t\"allow\": false,\n"
				       "\t\t\t\t\t\"access\": \"rwm\"\n"
				       "\t\t\t\t}\n"
				       "\t\t\t]\n"
				       "\t\t},\n"
				       "\t\t\"namespaces\": [\n"
				       "\t\t\t{\"type\": \"pid\"},\n"
				       "\t\t\t{\"type\": \"network\"},\n"
				       "\t\t\t{\"type\": \"ipc\"},\n"
				       "\t\t\t{\"type\": \"uts\"},\n"
				       "\t\t\t{\"type\": \"mount\"}\n"
				       "\t\t],\n" PATHS;
#undef DEVPTS_GID
#undef SYS

/* Rootless, as runc writes it: a user namespace mapping 0 to the caller, the host's network,
 * /sys bound (a new sysfs needs a network namespace of the user namespace's), no gid=5 on
 * devpts (that group is not mapped), no resources (no cgroup to write). */
#define DEVPTS_GID ""
#define SYS                                                                                        \
	"\t\t\t\"destination\": \"/sys\",\n"                                                       \
	"\t\t\t\"type\": \"none\",\n"                                                              \
	"\t\t\t\"source\": \"/sys\",\n"                                                            \
	"\t\t\t\"options\": [\"rbind\", \"nosuid\", \"noexec\", \"nodev\", \"ro\"]\n"
static const char rootless_config[] =
	HEAD "\t\t\"uidMappings\": [\n"
	     "\t\t\t{\"containerID\": 0, \"hostID\": %u, \"size\": 1}\n"
	     "\t\t],\n"
	     "\t\t\"gidMappings\": [\n"
	     "\t\t\t{\"containerID\": 0, \"hostID\": %u, \"size\": 1}\n"
	     "\t\t],\n"
	     "\t\t\"namespaces\": [\n"
	     "\t\t\t{\"type\": \"pid\"},\n"
	     "\t\t\t{\"type\": \"ipc\"},\n"
	     "\t\t\t{\"type\": \"uts\"},\n"
	     "\t\t\t{\"type\": \"mount\"},\n"
	     "\t\t\t{\"type\": \"user\"}\n"
	     "\t\t],\n" PATHS;

const char *spec_oci_default(bool rootless, uint32_t uid, uint32_t gid)
{
	static char buf[sizeof(rootless_config) + 32];

	if (!rootless)
		return root_config;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(buf, sizeof(buf), rootless_config, uid, gid);
#pragma GCC diagnostic pop
	return buf;
}
