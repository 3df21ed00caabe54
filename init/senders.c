/* Who may shut the appliance down by signalling PID 1: the kernel (ctrl-alt-del), the
 * appliance's own processes, and a container only with CAP_SYS_BOOT, which lets it
 * reboot(2) the machine anyway. Under the default seccomp filter a pid=host container
 * without it cannot signal PID 1 at all (runtime/seccomp.c); this is the judge for the
 * others (unconfined, a profile file, kbox run --pid host), whose root may signal PID 1 as
 * any of root's processes may: without it, kill -USR2 1 inside powered the appliance off. */
#include "senders.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/util.h"
#include "../runtime/caps.h"
#include "../runtime/cgroup.h"
#include "../runtime/seccomp.h"
#include "../runtime/spec/spec.h"
#include "ctr.h"

static bool shuts_down(int sig)
{
	return sig == SIGUSR1 || sig == SIGUSR2 || sig == SIGPWR || sig == SIGTERM || sig == SIGINT;
}

/* From /proc/PID/status: does it live in our own pid namespace (NSpid is one number), and
 * does it hold CAP_SYS_BOOT? */
static int pid_status(const char *pid, bool *ret_ours, bool *ret_boot)
{
	_cleanup_free_ char *text = NULL;
	char path[64], *ns, *eff;
	int r;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	r = read_file(AT_FDCWD, path, &text, NULL);
	if (r < 0)
		return r;
	ns = strstr(text, "\nNSpid:");
	eff = strstr(text, "\nCapEff:");
	if (!ns || !eff)
		return -EINVAL;
	ns += strlen("\nNSpid:");
	ns += strspn(ns, " \t");
	ns += strspn(ns, "0123456789");
	*ret_ours = *ns == '\n' || *ns == '\0';
	*ret_boot = strtoull(eff + strlen("\nCapEff:"), NULL, 16) & (1ULL << CAP_SYS_BOOT);
	return 0;
}

/* kbox exec's relay lives in our pid namespace with the container's caps, but its
 * children are born in the container's: it is ours, not a pid=host container's. */
static bool relay(const char *pid)
{
	char path[64], own[64], children[64];
	ssize_t a, b;

	snprintf(path, sizeof(path), "/proc/%s/ns/pid", pid);
	a = readlink(path, own, sizeof(own));
	snprintf(path, sizeof(path), "/proc/%s/ns/pid_for_children", pid);
	b = readlink(path, children, sizeof(children));
	return a > 0 && b > 0 && (a != b || memcmp(own, children, a) != 0);
}

/* Is leaf NAME a supervised container whose default seccomp filter keeps it from
 * signalling PID 1 at all (runtime/seccomp.c)? */
static bool guarded(const char *name)
{
	const struct ctr *c = sup_find(name);

	return c && strcmp(c->spec->seccomp, "default") == 0 &&
	       seccomp_guards_init(c->spec, caps_keep(c->spec));
}

/* Could a process in a container, without CAP_SYS_BOOT, have sent it: does one share our
 * pid namespace (pid=host, kbox run --pid host) with no filter to stop it? */
static bool pidns_shared(void)
{
	DIR *d = opendir(CG_KBOX);
	struct dirent *de;
	bool shared = false;

	if (!d)
		return false;
	while (!shared && (de = readdir(d))) {
		_cleanup_free_ char *procs = NULL;
		char path[NAME_MAX + 32];

		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    guarded(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/cgroup.procs", de->d_name);
		if (read_file(dirfd(d), path, &procs, NULL) < 0)
			continue;
		for (char *tok = strtok(procs, "\n"); tok && !shared; tok = strtok(NULL, "\n")) {
			bool ours, boot;

			shared = pid_status(tok, &ours, &boot) == 0 && ours && !boot && !relay(tok);
		}
	}
	closedir(d);
	return shared;
}

bool sender_refused(const struct signalfd_siginfo *si)
{
	static unsigned refused; /* a container may send them in a loop: log the first few */
	char leaf[NAME_MAX + 1], pid[16], sig[16];
	bool ours, boot = false;
	int r;

	if (!shuts_down(si->ssi_signo) || si->ssi_code > 0 || si->ssi_pid == 0)
		return false;
	snprintf(pid, sizeof(pid), "%u", si->ssi_pid);
	/* kill and tgkill say who sent it; rt_sigqueueinfo's siginfo is the sender's to write
	 * (si_pid 2, kthreadd, in no container): that sender is unknown. */
	if (si->ssi_code != SI_USER && si->ssi_code != SI_TKILL)
		r = -ESRCH;
	else
		r = cg_pid_leaf(si->ssi_pid, leaf, sizeof(leaf));
	if (r > 0 && pid_status(pid, &ours, &boot) < 0)
		r = -ESRCH;
	if (r == 0 || (r > 0 && boot) || (r < 0 && !pidns_shared()))
		return false;
	if (++refused > 20)
		return true;
	snprintf(sig, sizeof(sig), "SIG%s", spec_signal_name(si->ssi_signo));
	if (r > 0)
		log_msg("%s: sent PID 1 %s (pid %u): ignored, a container without CAP_SYS_BOOT "
			"cannot shut the appliance down%s",
			leaf, sig, si->ssi_pid,
			refused == 20 ? " (no more of these are logged)" : "");
	else
		log_msg("%s from pid %u, gone or not the sender, while a container without "
			"CAP_SYS_BOOT shares PID 1's pid namespace: ignored (kbox poweroff still "
			"works)%s",
			sig, si->ssi_pid, refused == 20 ? " (no more of these are logged)" : "");
	return true;
}
