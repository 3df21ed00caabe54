/* floor IMAGE CMD...: the kernel's share of starting a container, and nothing else: clone3
 * into the namespaces kbox run uses, an overlay over IMAGE, pivot_root, exec, wait. No
 * seccomp, no capabilities, no /proc or /dev: the floor any runtime stands on. */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	_exit(126);
}

int main(int argc, char **argv)
{
	struct clone_args args = {
		.flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP | CLONE_NEWPID |
			 CLONE_NEWNET,
		.exit_signal = SIGCHLD,
	};
	char dir[] = "/tmp/floor-XXXXXX", opts[4200], path[4200];
	int status;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: floor IMAGE CMD...\n");
		return 2;
	}
	if (!mkdtemp(dir))
		die("mkdtemp");
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0)
		die("clone3");
	if (pid == 0) {
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("tmpfs", dir, "tmpfs", 0, NULL) < 0)
			die("mount");
		snprintf(path, sizeof(path), "%s/upper", dir);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/work", dir);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/root", dir);
		mkdir(path, 0755);
		snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s/upper,workdir=%s/work", argv[1],
			 dir, dir);
		if (mount("overlay", path, "overlay", 0, opts) < 0 || chdir(path) < 0 ||
		    syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0)
			die("overlay root");
		execv(argv[2], argv + 2);
		die(argv[2]);
	}
	waitpid(pid, &status, 0);
	rmdir(dir);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
