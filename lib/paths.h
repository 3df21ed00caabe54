/* The path layout of kbox: where PID 1, kbox run and the CLI keep and find things. Only
 * macros, so that runtime/, init/ and the tests can all include it. */
#pragma once

/* The appliance's container specs, one NAME.conf each (init/confdir.c). */
#define KBOX_CONF_DIR "/etc/kbox"
/* Each container's scratch (/run/kbox/NAME: its layer, root, hosts file). */
#define KBOX_STATE "/run/kbox"
/* Its output: /run/kbox/logs/NAME.log and NAME.log.1. */
#define KBOX_LOG_DIR KBOX_STATE "/logs"
/* PID 1's control socket (kbox ps, exec, stop...). */
#define KBOX_CONTROL_SOCK KBOX_STATE "/control.sock"
/* kbox run beside a kbox PID 1: no container name starts with '.', so never one of its. */
#define KBOX_RUN_STATE KBOX_STATE "/.run"

/* Where the appliance's data disk is mounted (kbox.data), and a host's kbox state. */
#define KBOX_DATA "/var/lib/kbox"
/* Images: the appliance's (read-only, from the initramfs), and those on the data disk (a
 * host's for kbox run). */
#define KBOX_IMAGES "/images"
#define KBOX_HOST_IMAGES KBOX_DATA "/images"
/* Named volumes, one directory each, on the data disk. */
#define KBOX_VOLUMES KBOX_DATA "/volumes"

/* The cgroup v2 root, and kbox's subtree in it (one leaf per container below). */
#define CG_ROOT "/sys/fs/cgroup"
#define CG_KBOX CG_ROOT "/kbox"
