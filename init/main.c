/* kbox: one multi-call binary. As /init or PID 1 it is the init; otherwise a CLI. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../lib/log.h"
#include "cli.h"
#include "init.h"

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');

	base = base ? base + 1 : argv[0];
	if (getpid() == 1 || strcmp(base, "init") == 0)
		init_main(argv);
	return cli_main(argc, argv);
}
