/* kbox's command line, when it is not PID 1. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "../lib/log.h"
#include "../runtime/image/import.h"
#include "../lib/paths.h"
#include "control.h"
#include "images.h"
#include "load.h"
#include "logs.h"
#include "oci.h"
#include "run.h"
#include "volumes.h"

#ifndef KBOX_VERSION
#define KBOX_VERSION "0.1.0-dev"
#endif

static const char usage[] =
	"usage: kbox COMMAND [ARG...]\n"
	"\n"
	"A tiny container host. As PID 1 (/init) kbox boots the appliance and runs the\n"
	"containers described on the kernel command line (kbox.NAME.KEY=VALUE) and in\n"
	"/etc/kbox/NAME.conf.\n"
	"\n"
	"commands:\n"
	"  run        run a container in the foreground (kbox run --help)\n"
	"  logs       print a container's output: kbox logs [-f] [-n N] NAME\n"
	"  images     list the images (" KBOX_IMAGES ", " KBOX_HOST_IMAGES "): name, digest,\n"
	"             size, layers, source\n"
	"  load       import an image (OCI, docker-archive, tar, a directory) onto the\n"
	"             data disk, " KBOX_HOST_IMAGES ": kbox load SOURCE [NAME]\n"
	"  volumes    list the named volumes (" KBOX_VOLUMES "): name, size, the\n"
	"             containers that name them\n"
	"  image import  images (OCI, docker-archive, tar) into a cpio archive for an\n"
	"             initramfs: kbox image import --help\n"
	"  oci        runc's command line over OCI bundles, as podman and containerd call\n"
	"             it (also by the name kbox-runc): kbox oci help\n"
	"\n"
	"In the appliance, through PID 1 (" KBOX_CONTROL_SOCK ", root only):\n"
	"  ps         list the containers: state, pid, restarts, uptime, memory, status\n"
	"  stats      cpu seconds, memory and processes of each running container\n"
	"  inspect    a container's spec and state as JSON: kbox inspect NAME\n"
	"  start      start a container that is not running: kbox start NAME\n"
	"  stop       stop it (stop_signal, then after stop_timeout kill): kbox stop NAME\n"
	"  restart    stop it and start it again: kbox restart NAME\n"
	"  exec       run a command in a running container, with its namespaces, cgroup,\n"
	"             user, capabilities and seccomp: kbox exec [-t] [-i] NAME CMD...\n"
	"  poweroff   stop the containers and power off (reboot: and reboot)\n"
	"  help       show this help\n"
	"  version    print the version\n";

/* Verbs PID 1 answers as they are. */
static const char *const verbs[] = {"ps",   "stats",   "inspect",  "start",
				    "stop", "restart", "poweroff", "reboot"};

int cli_main(int argc, char **argv)
{
	log_set_ident("kbox");
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("kbox %s\n", KBOX_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return run_main(argc, argv);
	if (!strcmp(argv[1], "oci"))
		return oci_main(argc - 1, argv + 1, false);
	if (!strcmp(argv[1], "logs"))
		return logs_main(argc, argv);
	if (!strcmp(argv[1], "image") && argc > 2 && !strcmp(argv[2], "import"))
		return img_import_main(argc, argv);
	if (!strcmp(argv[1], "images"))
		return images_main(argc, argv);
	if (!strcmp(argv[1], "volumes"))
		return volumes_main(argc, argv);
	if (!strcmp(argv[1], "load"))
		return load_main(argc, argv);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[1], verbs[i]))
			return control_call(argc - 1, argv + 1, false);
	if (!strcmp(argv[1], "exec")) {
		int i = 2;

		/* The command gets the caller's own stdin, stdout and stderr: a terminal when
		 * there is one, so -t and -i ask for nothing more. */
		while (i < argc && (!strcmp(argv[i], "-t") || !strcmp(argv[i], "-i") ||
				    !strcmp(argv[i], "-it") || !strcmp(argv[i], "-ti")))
			i++;
		if (argc - i < 2) {
			log_msg("usage: kbox exec [-t] [-i] NAME CMD...");
			return 2;
		}
		argv[i - 1] = "exec";
		return control_call(argc - i + 1, argv + i - 1, true);
	}
	log_msg("'%s' is not a kbox command; see 'kbox help'", argv[1]);
	return 2;
}
