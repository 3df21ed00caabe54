/* kbox: one multi-call binary. As /init or PID 1 it is the init; as kbox-init (a container's
 * reaper with init=true), tini or dumb-init the small init of init/reaper.c; as kbox-runc an
 * OCI runtime (init/oci.c); otherwise a CLI. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../lib/log.h"
#include "cli.h"
#include "init.h"
#include "oci.h"
#include "reaper.h"

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');

	base = base ? base + 1 : argv[0];
	/* In a container with init=true kbox is PID 1 too: its own name comes first. */
	if (!strcmp(base, "kbox-init") || !strcmp(base, "tini") || !strcmp(base, "dumb-init") ||
	    !strcmp(base, "tini-static") || !strcmp(base, "docker-init"))
		return reaper_main(argc, argv);
	/* An engine's OCI runtime (podman --runtime, containerd's BinaryName): runc's CLI. */
	if (!strcmp(base, "kbox-runc"))
		return oci_main(argc, argv, true);
	if (getpid() == 1 || strcmp(base, "init") == 0)
		init_main(argv);
	return cli_main(argc, argv);
}
