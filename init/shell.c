/* The console shell: kbox.shell=1's, and the emergency one when a boot step fails. */
#include "shell.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"

pid_t shell_spawn(void)
{
	char tty[64] = "/dev/console";
	_cleanup_free_ char *active = NULL;
	pid_t pid;

	/* /dev/console cannot be a controlling tty; the device behind it can. */
	if (read_file(AT_FDCWD, "/sys/class/tty/console/active", &active, NULL) == 0) {
		char *last = strrchr(active, ' ');

		last = last ? last + 1 : active;
		last[strcspn(last, "\n")] = '\0';
		snprintf(tty, sizeof(tty), "/dev/%s", last);
	}
	pid = fork();
	if (pid < 0)
		return log_errno(-errno, "cannot fork the console shell");
	if (pid == 0) {
		int fd;

		setsid();
		fd = open(tty, O_RDWR);
		if (fd >= 0) {
			ioctl(fd, TIOCSCTTY, 1);
			for (int i = 0; i < 3; i++)
				dup2(fd, i);
		}
		signals_reset();
		execl("/bin/sh", "-sh", (char *)NULL);
		_exit(127);
	}
	log_msg("shell on %s", tty);
	return pid;
}
