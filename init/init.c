/* kbox as PID 1: the boot sequence, then the supervisor. */
#include "init.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "../runtime/spec.h"
#include "boot.h"
#include "supervisor.h"

#define CONF_DIR "/etc/kbox"

/* PID 1 must not exit: log, give the console a shell if asked for, then power off. */
static _Noreturn void init_fatal(const char *step)
{
	_cleanup_free_ char *cmdline = NULL;

	log_msg("fatal: %s failed; powering off", step);
	if (read_file(AT_FDCWD, "/proc/cmdline", &cmdline, NULL) == 0 &&
	    strstr(cmdline, "kbox.shell=1")) {
		pid_t pid = fork();

		if (pid == 0) {
			signals_reset();
			execl("/bin/sh", "-sh", (char *)NULL);
			_exit(127);
		}
		while (pid > 0 && waitpid(-1, NULL, 0) != pid)
			;
	}
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static int is_conf(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return n > 5 && strcmp(de->d_name + n - 5, ".conf") == 0 &&
	       strcmp(de->d_name, "kbox.conf") != 0;
}

static int load_file(struct spec_set *set, const char *name, const char *path)
{
	_cleanup_free_ char *text = NULL;
	int r = read_file(AT_FDCWD, path, &text, NULL);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return log_errno(r, "cannot read '%s'", path);
	return spec_parse_conf(set, name, text, path);
}

/* /etc/kbox first, then the kernel command line, which overrides it key by key. */
static int load_specs(struct spec_set *set)
{
	_cleanup_free_ char *cmdline = NULL;
	struct dirent **list = NULL;
	int n, r = 0;

	spec_set_init(set);
	r = load_file(set, NULL, CONF_DIR "/kbox.conf");
	n = scandir(CONF_DIR, &list, is_conf, alphasort);
	for (int i = 0; i < n; i++) {
		char path[512];

		snprintf(path, sizeof(path), CONF_DIR "/%s", list[i]->d_name);
		list[i]->d_name[strlen(list[i]->d_name) - 5] = '\0';
		if (r == 0)
			r = load_file(set, list[i]->d_name, path);
		free(list[i]);
	}
	free(list);
	if (r == 0 && (r = read_file(AT_FDCWD, "/proc/cmdline", &cmdline, NULL)) < 0)
		log_errno(r, "cannot read /proc/cmdline");
	if (r == 0)
		r = spec_parse_cmdline(set, cmdline);
	if (r == 0)
		r = spec_finish(set);
	for (size_t i = 0; set->errors && set->errors[i]; i++)
		log_msg("%s", set->errors[i]);
	return r;
}

_Noreturn void init_main(char **argv)
{
	static struct spec_set set;
	sigset_t all;

	/* Every signal arrives through the supervisor's signalfd; faults stay deliverable. */
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	sigprocmask(SIG_SETMASK, &all, NULL);
	log_set_ident("kbox");
	umask(022);

	if (boot_switch_root(argv) < 0)
		init_fatal("moving the initramfs into a tmpfs");
	if (boot_mounts() < 0)
		init_fatal("mounting the base filesystems");
	log_msg("init ready (boot +%.3f s)", boottime());
	/* ctrl-alt-del becomes SIGINT to us instead of an immediate reboot. */
	reboot(RB_DISABLE_CAD);
	if (load_specs(&set) < 0)
		init_fatal("reading the container specs");
	if (boot_identity(set.hostname ? set.hostname : "kbox") < 0)
		init_fatal("setting hostname and loopback");
	supervisor_run(&set);
}
