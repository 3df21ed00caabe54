/* kbox as PID 1: the boot sequence, its fatal path, then the supervisor and its neighbours
 * (console and log output, the network, the control socket). */
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/util.h"
#include "../runtime/spec/cmdline.h"
#include "boot.h"
#include "confdir.h"
#include "control.h"
#include "data.h"
#include "loop.h"
#include "network.h"
#include "output.h"
#include "shell.h"
#include "supervisor.h"

/* PID 1 must not exit: log, give the console a shell if asked for, then power off. */
static _Noreturn void init_fatal(const char *step)
{
	_cleanup_free_ char *cmdline = NULL;

	log_msg("fatal: %s failed; powering off", step);
	data_shutdown();
	if (read_file(AT_FDCWD, "/proc/cmdline", &cmdline, NULL) == 0 &&
	    strstr(cmdline, "kbox.shell=1")) {
		pid_t pid = shell_spawn();

		while (pid > 0 && waitpid(-1, NULL, 0) != pid)
			;
	}
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

/* /etc/kbox first, then the kernel command line, which overrides it key by key. A bad
 * entry fails its own container; only running out of memory is fatal. */
static int load_specs(struct spec_set *set)
{
	_cleanup_free_ char *cmdline = NULL;
	int dfd, r = 0;

	spec_set_init(set);
	dfd = open(KBOX_CONF_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		r = confdir_load(set, dfd, KBOX_CONF_DIR);
		close(dfd);
	} else if (errno != ENOENT) {
		log_errno(-errno, "cannot open " KBOX_CONF_DIR "; its specs are ignored");
	}
	if (r == 0 && (r = read_file(AT_FDCWD, "/proc/cmdline", &cmdline, NULL)) < 0) {
		log_errno(r, "cannot read /proc/cmdline; its specs are ignored");
		r = 0;
	}
	if (r == 0 && cmdline)
		r = spec_parse_cmdline(set, cmdline);
	if (r == 0)
		r = spec_finish(set);
	for (size_t i = 0; set->errors && set->errors[i]; i++)
		log_msg("%s", set->errors[i]);
	return r;
}

/* PID 1 holds about three fds a container (its output pipe, its log, a start report): the
 * kernel's 1024 for init ran out at 337 containers (seen in the bench's 500). The hard
 * limit, 4096 for init, is ours to take; containers inherit it as their own. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			log_errno(-errno, "cannot raise the open files limit to %llu",
				  (unsigned long long)rl.rlim_max);
	}
}

_Noreturn void init_main(char **argv)
{
	static struct spec_set set;

	/* Every signal arrives through the supervisor's signalfd. */
	signals_block_all(NULL);
	log_set_ident("kbox");
	umask(022);

	if (boot_switch_root(argv) < 0)
		init_fatal("moving the initramfs onto a mount");
	if (boot_mounts() < 0)
		init_fatal("mounting the base filesystems");
	log_msg("init ready (boot +%.3f s)", boottime());
	raise_nofile();
	/* ctrl-alt-del becomes SIGINT to us instead of an immediate reboot. */
	reboot(RB_DISABLE_CAD);
	if (load_specs(&set) < 0)
		init_fatal("reading the container specs");
	if (boot_identity(set.hostname ? set.hostname : "kbox") < 0)
		init_fatal("setting hostname and loopback");
	/* Before any container starts, and before the supervisor's reaper exists: mke2fs and
	 * e2fsck are waited for by pid. A disk that cannot be used is logged, never fatal. */
	data_setup(&set);
	if (loop_init() < 0 || sup_init(&set) < 0)
		init_fatal("setting up the supervisor");
	/* Observers in this order: a container's log opens before its address is taken. */
	output_init(set.log_max);
	network_init(&set);
	control_start();
	sup_run();
}
