/* kbox's command line, when it is not PID 1. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "../lib/log.h"
#include "logs.h"
#include "run.h"

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
	"  help       show this help\n"
	"  version    print the version\n";

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
	if (!strcmp(argv[1], "logs"))
		return logs_main(argc, argv);
	log_msg("'%s' is not a kbox command; see 'kbox help'", argv[1]);
	return 2;
}
