/* PID 1's supervisor: the container table and its policy (start order, restarts, stops,
 * shutdown), driven by signals, container output, start reports and timers from loop.c. */
#include "supervisor.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/util.h"
#include "../runtime/cgroup.h"
#include "../runtime/runtime.h"
#include "ctr.h"
#include "control.h"
#include "network.h"
#include "output.h"
#include "senders.h"

#define STRAGGLER_TIMEOUT_S 2
#define KILL_TIMEOUT_MS 2000 /* after a SIGKILL, what is still there is stuck (D state) */
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 30000
#define HEALTHY_MS 10000 /* running this long resets the backoff */

enum shutdown_phase {
	SD_NONE,
	SD_CONTAINERS, /* stopping the containers one by one, latest started first */
	SD_STRAGGLERS, /* everything else got SIGTERM, waiting up to STRAGGLER_TIMEOUT_S */
	SD_KILLED,     /* then SIGKILL, waiting up to KILL_TIMEOUT_MS: never longer */
};

static struct {
	const struct spec_set *set;
	struct ctr *ctrs;
	size_t n;
	struct watch sig, timer;
	pid_t shell;
	enum shutdown_phase phase;
	int reboot_cmd;
	unsigned long orphans;
	unsigned seq;
} S;

static void arm_timer_ms(int fd, unsigned ms)
{
	/* 0 would disarm it: "at once" is the next nanosecond. */
	struct itimerspec its = {.it_value = {ms / 1000, ms % 1000 * 1000000L + (ms == 0)}};

	timerfd_settime(fd, 0, &its, NULL);
}

/* ---- start and exit ---- */

bool ctr_alive(const struct ctr *c)
{
	return c->state == CTR_STARTING || c->state == CTR_RUNNING;
}

/* Not running, but it will: the machine must not go idle for it. */
static bool ctr_pending(const struct ctr *c)
{
	return c->state == CTR_WAITING || c->state == CTR_BACKOFF;
}

static void start_waiting(void);
static void shutdown_step(void);
static void reap(void);

static void on_start_report(struct watch *w, uint32_t events)
{
	struct ctr *c = container_of(w, struct ctr, start);
	int fd = w->fd, r;

	(void)events;
	/* The reaper may have read the report already, earlier in the same epoll batch. */
	if (fd < 0)
		return;
	watch_detach(w);
	r = rt_start_result(c->spec->name, fd);
	if (r == 0 && c->state == CTR_STARTING) {
		c->state = CTR_RUNNING;
		c->ever_started = true;
		log_msg("%s: started, pid %d (boot +%.3f s)", c->spec->name, c->pid, boottime());
		start_waiting();
	} else if (r < 0) {
		c->state = CTR_FAILED;
	}
}

/* Where the appliance keeps images and each container's scratch. */
static const struct rt_opts appliance = {.images = KBOX_IMAGES, .state = KBOX_STATE};

static bool wants_restart(const struct ctr *c);
static void restart_later(struct ctr *c, bool ran);

/* No payload ran: under a restart policy this goes through the backoff, as an exit does
 * (an image that appears later, a passing EAGAIN, a veth race). */
static int start_failed(struct ctr *c, int r)
{
	c->state = CTR_FAILED;
	c->why_failed = "its setup failed";
	if (S.phase == SD_NONE && !c->stopping && wants_restart(c))
		restart_later(c, false);
	if (c->state != CTR_BACKOFF) {
		network_release(c);
		if (c->spec->npublish)
			network_update_publish();
		network_update_hosts(NULL);
	}
	return r;
}

static int ctr_start(struct ctr *c)
{
	struct rt_opts o = appliance;
	int out[2], status_fd, r;
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) < 0)
		return start_failed(c, log_errno(-errno, "%s: pipe", c->spec->name));
	o.stdio[0] = -1;
	o.stdio[1] = o.stdio[2] = out[1];
	if ((c->spec->log & SPEC_LOG_FILE) && c->log_fd < 0)
		output_open_log(c);
	r = network_prepare(c, &o);
	if (r < 0) {
		close(out[0]);
		close(out[1]);
		return start_failed(c, r);
	}
	/* Its own name goes into its hosts file before it runs. */
	c->state = CTR_STARTING;
	network_update_hosts(c);
	if (c->spec->npublish)
		network_update_publish();
	o.cgroup_fd = cg_create(c->spec->name);
	c->cgroup = o.cgroup_fd >= 0;
	if (o.cgroup_fd >= 0 && cg_apply_limits(o.cgroup_fd, c->spec) < 0) {
		close(o.cgroup_fd);
		o.cgroup_fd = -EINVAL;
	}
	pid = o.cgroup_fd >= 0 ? rt_start(c->spec, &o, &status_fd) : o.cgroup_fd;
	if (o.cgroup_fd >= 0)
		close(o.cgroup_fd);
	close(out[1]);
	if (pid < 0) {
		close(out[0]);
		return start_failed(c, pid);
	}
	c->pid = pid;
	c->state = CTR_STARTING;
	c->why_failed = NULL;
	c->killed = c->stuck = false;
	c->seq = ++S.seq;
	c->started_ms = now_ms();
	output_attach(c, out[0]);
	watch_add(&c->start, status_fd, on_start_report);
	return 0;
}

static bool wants_restart(const struct ctr *c)
{
	const struct spec *s = c->spec;
	bool failed = c->state == CTR_FAILED || !WIFEXITED(c->status) || WEXITSTATUS(c->status);

	switch (s->restart) {
	case SPEC_RESTART_ALWAYS:
		return true;
	case SPEC_RESTART_ON_FAILURE:
		return failed && (!s->restart_max || c->restarts < s->restart_max);
	case SPEC_RESTART_NO:
		break;
	}
	return false;
}

static void on_ctr_timer(struct watch *w, uint32_t events);

/* The container's own timer, made on first use: restart backoff or stop timeout. */
static int ctr_arm(struct ctr *c, unsigned ms)
{
	int r;

	if (c->timer.fd < 0 && (r = timer_add(&c->timer, on_ctr_timer)) < 0)
		return log_errno(r, "%s: timerfd", c->spec->name);
	timer_arm(&c->timer, ms);
	return 0;
}

/* Backoff: 100 ms, doubling to 30 s; back to 100 ms after 10 s of healthy running (RAN:
 * its payload ran; a start that failed never resets it). The line carries its own time,
 * so a test reads the backoff from the log rather than from a clock of its own. */
static void restart_later(struct ctr *c, bool ran)
{
	unsigned delay;

	if (!c->backoff_ms || (ran && now_ms() - c->started_ms >= HEALTHY_MS))
		c->backoff_ms = BACKOFF_MIN_MS;
	delay = c->backoff_ms;
	c->backoff_ms = delay * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : delay * 2;
	c->state = CTR_BACKOFF;
	log_msg("%s: restart %u in %u.%03u s (restart=%s, boot +%.3f s)", c->spec->name,
		c->restarts + 1, delay / 1000, delay % 1000,
		c->spec->restart == SPEC_RESTART_ALWAYS ? "always" : "on-failure", boottime());
	if (ctr_arm(c, delay) < 0)
		c->state = CTR_EXITED;
}

static void ctr_exited(struct ctr *c, int status)
{
	const char *name = c->spec->name;
	bool refused = false;

	/* A child that failed or exec'd and exited at once: its report comes first. */
	if (c->start.fd >= 0)
		on_start_report(&c->start, EPOLLIN);
	/* Everything it wrote is in the pipe by now: print it before the exit line. */
	output_drain(c);
	c->status = status;
	c->pid = 0;
	c->killed = c->stuck = false;
	if (c->state != CTR_FAILED)
		c->state = CTR_EXITED;
	c->oom_kills = c->cgroup ? cg_oom_kills(name) : 0;
	if (c->oom_kills) {
		char limit[32] = "max";

		if (c->spec->memory > 0)
			spec_format_size(c->spec->memory, limit, sizeof(limit));
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			log_msg("%s: killed by the OOM killer (memory.max %s)", name, limit);
		else
			log_msg("%s: exited with status %d; the OOM killer killed %ld of its "
				"processes (memory.max %s)",
				name, rt_exit_code(status), c->oom_kills, limit);
	} else if (WIFSIGNALED(status)) {
		log_msg("%s: killed by signal %d (%s)", name, WTERMSIG(status),
			strsignal(WTERMSIG(status)));
	} else {
		log_msg("%s: exited with status %d", name, rt_exit_code(status));
	}
	/* With pid=host, its other processes outlive it; they go with it, as in Docker. */
	if (c->cgroup)
		cg_kill(name);
	rt_release(c->spec, &appliance);
	if (S.phase == SD_NONE && c->start_after_stop) {
		c->start_after_stop = false;
		sup_start(c);
	} else if (c->start_after_stop) {
		c->start_after_stop = false;
		refused = true;
		log_msg("%s: not started again: the machine is going down", name);
	} else if (S.phase == SD_NONE && !c->stopping && wants_restart(c)) {
		restart_later(c, c->state != CTR_FAILED);
	}
	if (!ctr_alive(c) && c->state != CTR_BACKOFF) {
		network_release(c);
		if (c->spec->npublish)
			network_update_publish();
	}
	network_update_hosts(NULL);
	if (c->waiter) {
		control_reply(c->waiter, refused || (!ctr_alive(c) && c->state == CTR_FAILED));
		c->waiter = NULL;
	}
	start_waiting();
}

/* Leaves are removed once their last process is gone, which may be a few reaps later. */
static void remove_leaves(void)
{
	for (size_t i = 0; i < S.n; i++) {
		struct ctr *c = &S.ctrs[i];

		if (c->cgroup && !ctr_alive(c) && cg_remove(c->spec->name) == 0)
			c->cgroup = false;
	}
}

/* ---- start order ---- */

size_t sup_count(void)
{
	return S.n;
}

struct ctr *sup_at(size_t i)
{
	return &S.ctrs[i];
}

const char *ctr_state_name(enum ctr_state state)
{
	static const char *const names[] = {
		[CTR_INVALID] = "invalid",    [CTR_WAITING] = "waiting",
		[CTR_STARTING] = "starting",  [CTR_RUNNING] = "running",
		[CTR_BACKOFF] = "restarting", [CTR_EXITED] = "exited",
		[CTR_FAILED] = "failed",
	};

	return names[state];
}

struct ctr *sup_find(const char *name)
{
	for (size_t i = 0; i < S.n; i++)
		if (!strcmp(S.ctrs[i].spec->name, name))
			return &S.ctrs[i];
	return NULL;
}

/* Ready (0), not yet (1), or never: the dependency that will not start (logged). */
static int after_ready(const struct ctr *c, const char **ret_dep)
{
	int r = 0;

	for (size_t i = 0; c->spec->after && c->spec->after[i]; i++) {
		const struct ctr *d = sup_find(c->spec->after[i]);

		if (!d || d->ever_started)
			continue;
		/* A failed start is final only once reaped: its restart is decided then. */
		if (d->state == CTR_INVALID ||
		    ((d->state == CTR_FAILED || d->state == CTR_EXITED) && !d->pid)) {
			*ret_dep = d->spec->name;
			return -1;
		}
		r = 1;
	}
	return r;
}

/* Start whatever waited for a container that has now started, or give up on it. */
static void start_waiting(void)
{
	bool again = true;

	while (again && S.phase == SD_NONE) {
		again = false;
		for (size_t i = 0; i < S.n; i++) {
			struct ctr *c = &S.ctrs[i];
			const char *dep = NULL;
			int r;

			if (c->state != CTR_WAITING)
				continue;
			r = after_ready(c, &dep);
			if (r == 0) {
				ctr_start(c);
				/* A start that failed at once: those after it give up. */
				again |= c->state == CTR_FAILED;
			} else if (r < 0) {
				log_msg("%s: after: '%s' never started, so neither does %s",
					c->spec->name, dep, c->spec->name);
				c->state = CTR_FAILED;
				c->why_failed = "a container in after= never started";
				again = true; /* those after this one give up too */
			}
		}
	}
}

int sup_start(struct ctr *c)
{
	if (c->state == CTR_INVALID)
		return -EINVAL;
	if (S.phase != SD_NONE)
		return -ESHUTDOWN;
	c->stopping = false;
	/* Failed, it may still be due for a restart: the caller hears of the failure. */
	return ctr_start(c) < 0 ? -EIO : 0;
}

bool sup_shutting_down(void)
{
	return S.phase != SD_NONE;
}

/* ---- shutdown ---- */

static const char *reboot_name(int cmd)
{
	if (cmd == (int)RB_POWER_OFF)
		return "poweroff";
	return cmd == (int)RB_HALT_SYSTEM ? "halt" : "reboot";
}

static _Noreturn void shutdown_finish(void)
{
	for (size_t i = 0; i < S.n; i++) {
		const struct ctr *c = &S.ctrs[i];
		char what[96], restarts[32] = "";

		if (c->state == CTR_INVALID)
			snprintf(what, sizeof(what), "invalid spec");
		else if (c->why_failed)
			snprintf(what, sizeof(what), "not started: %s", c->why_failed);
		else if (c->stuck)
			snprintf(what, sizeof(what), "pid %d still there after SIGKILL", c->pid);
		else if (c->oom_kills && WIFSIGNALED(c->status))
			snprintf(what, sizeof(what), "killed by the OOM killer");
		else if (WIFSIGNALED(c->status))
			snprintf(what, sizeof(what), "killed by signal %d", WTERMSIG(c->status));
		else
			snprintf(what, sizeof(what), "%s with status %d",
				 c->state == CTR_FAILED ? "failed" : "exited",
				 rt_exit_code(c->status));
		if (c->restarts)
			snprintf(restarts, sizeof(restarts), ", %u restart%s", c->restarts,
				 c->restarts == 1 ? "" : "s");
		log_msg("summary: %s: %s%s", c->spec->name, what, restarts);
	}
	log_msg("reaped %lu orphans; %s", S.orphans, reboot_name(S.reboot_cmd));
	log_flush();
	sync();
	reboot(S.reboot_cmd);
	log_errno(-errno, "reboot(%s)", reboot_name(S.reboot_cmd));
	for (;;)
		pause();
}

/* Alive, but not stuck: one that outlived its SIGKILL cannot hold the machine up. */
static bool any_alive(void)
{
	for (size_t i = 0; i < S.n; i++)
		if (ctr_alive(&S.ctrs[i]) && !S.ctrs[i].stuck)
			return true;
	return false;
}

/* "SIGTERM", or "signal 40" for one without a name. */
static const char *sig_str(int sig, char *buf, size_t len)
{
	const char *name = spec_signal_name(sig);

	if (name)
		snprintf(buf, len, "SIG%s", name);
	else
		snprintf(buf, len, "signal %d", sig);
	return buf;
}

static void ctr_kill(struct ctr *c)
{
	unsigned ms = c->spec->stop_timeout_ms;
	char buf[16];

	log_msg("%s: still running %u.%03u s after %s, killing it", c->spec->name, ms / 1000,
		ms % 1000, sig_str(c->spec->stop_signal, buf, sizeof(buf)));
	if (!c->cgroup || cg_kill(c->spec->name) < 0)
		kill(c->pid, SIGKILL);
	c->killed = true;
	/* A process in D state outlives SIGKILL: that is looked at once more, later. */
	ctr_arm(c, KILL_TIMEOUT_MS);
}

/* State and name of a process, from /proc/PID/stat: 'D' and "sh", or '?' if it is gone. */
static char proc_state(pid_t pid, char *comm, size_t len)
{
	_cleanup_free_ char *stat = NULL;
	char path[32], *open, *close;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	snprintf(comm, len, "?");
	if (read_file(AT_FDCWD, path, &stat, NULL) < 0 || !(open = strchr(stat, '(')) ||
	    !(close = strrchr(stat, ')')) || close[1] != ' ' || !close[2])
		return '?';
	snprintf(comm, len, "%.*s", (int)(close - open - 1), open + 1);
	return close[2];
}

/* Still alive KILL_TIMEOUT_MS after its SIGKILL: say so; a shutdown goes on without it. */
static void ctr_stuck(struct ctr *c)
{
	char comm[32], st = proc_state(c->pid, comm, sizeof(comm));

	c->stuck = true;
	log_msg("%s: pid %d (%s) still there %u.%03u s after SIGKILL, in state %c%s", c->spec->name,
		(int)c->pid, comm, KILL_TIMEOUT_MS / 1000, KILL_TIMEOUT_MS % 1000, st,
		S.phase != SD_NONE ? "; the shutdown goes on without it" : "");
	/* kbox stop would wait for as long as it stays: it hears now that it did not stop. */
	if (c->waiter) {
		control_reply(c->waiter, 1);
		c->waiter = NULL;
		c->start_after_stop = false;
	}
	shutdown_step();
}

/* Send its stop signal; after stop_timeout the whole cgroup is killed. */
void sup_stop(struct ctr *c)
{
	int sig = c->spec->stop_signal;
	char buf[16];

	c->stopping = true;
	if (kill(c->pid, sig) < 0)
		log_errno(-errno, "%s: cannot send %s", c->spec->name,
			  sig_str(sig, buf, sizeof(buf)));
	/* Without a timer, no grace: kill it now rather than wait forever. */
	if (ctr_arm(c, c->spec->stop_timeout_ms) < 0)
		ctr_kill(c);
}

/* Stop what has not run yet: a pending restart, or a start waiting for its dependencies. */
bool sup_cancel(struct ctr *c)
{
	if (c->state == CTR_BACKOFF) {
		timer_disarm(&c->timer);
		log_msg("%s: stopped; restart %u called off", c->spec->name, c->restarts + 1);
		c->state = CTR_EXITED;
		network_release(c);
		if (c->spec->npublish)
			network_update_publish();
		network_update_hosts(NULL);
		return true;
	}
	if (c->state == CTR_WAITING) {
		log_msg("%s: stopped before it started", c->spec->name);
		c->state = CTR_EXITED;
		return true;
	}
	return false;
}

static void on_ctr_timer(struct watch *w, uint32_t events)
{
	struct ctr *c = container_of(w, struct ctr, timer);
	uint64_t ticks;

	(void)events;
	(void)!read(w->fd, &ticks, sizeof(ticks));
	if (c->state == CTR_BACKOFF && S.phase != SD_NONE) {
		c->state = CTR_EXITED;
	} else if (c->state == CTR_BACKOFF) {
		c->restarts++;
		ctr_start(c);
	} else if (ctr_alive(c) && c->stopping && !c->killed) {
		ctr_kill(c);
	} else if (ctr_alive(c) && c->killed && !c->stuck) {
		ctr_stuck(c);
	}
}

/* The latest started container that is still running and not yet told to stop. */
static struct ctr *next_to_stop(void)
{
	struct ctr *best = NULL;

	for (size_t i = 0; i < S.n; i++) {
		struct ctr *c = &S.ctrs[i];

		if (ctr_alive(c) && !c->stopping && !c->stuck && (!best || c->seq > best->seq))
			best = c;
	}
	return best;
}

/* Advance the shutdown as far as the state allows; called after every reap. */
static void shutdown_step(void)
{
	if (S.phase == SD_CONTAINERS) {
		struct ctr *c;
		bool busy = false;

		/* One at a time, in reverse start order: wait while one is stopping. */
		for (size_t i = 0; i < S.n; i++)
			busy |= ctr_alive(&S.ctrs[i]) && S.ctrs[i].stopping && !S.ctrs[i].stuck;
		if (!busy && (c = next_to_stop()))
			sup_stop(c);
	}
	if (S.phase == SD_CONTAINERS && !any_alive()) {
		S.phase = SD_STRAGGLERS;
		/* Orphans, the shell, anything still running outside containers. */
		if (kill(-1, SIGTERM) < 0 && errno == ESRCH)
			shutdown_finish();
		kill(-1, SIGCONT);
		arm_timer_ms(S.timer.fd, STRAGGLER_TIMEOUT_S * 1000);
	}
}

void sup_shutdown(int cmd, const char *why)
{
	if (S.phase != SD_NONE)
		return;
	S.phase = SD_CONTAINERS;
	S.reboot_cmd = cmd;
	log_msg("%s: %s, stopping containers", why, reboot_name(cmd));
	/* Nothing starts any more: pending restarts and waits are called off. */
	for (size_t i = 0; i < S.n; i++) {
		struct ctr *c = &S.ctrs[i];

		if (c->state == CTR_BACKOFF) {
			struct itimerspec off = {0};

			timerfd_settime(c->timer.fd, 0, &off, NULL);
			log_msg("%s: restart %u called off: the machine is going down",
				c->spec->name, c->restarts + 1);
			c->state = CTR_EXITED;
		}
		if (c->state == CTR_WAITING) {
			c->state = CTR_FAILED;
			c->why_failed = "the machine went down first";
		}
	}
	shutdown_step();
}

/* What outlived SIGKILL (D state), named before the machine goes down without it. Kernel
 * threads (children of kthreadd, pid 2) are not ours to wait for. */
static void name_survivors(void)
{
	DIR *d = opendir("/proc");
	unsigned n = 0;
	struct dirent *de;

	while (d && (de = readdir(d))) {
		_cleanup_free_ char *stat = NULL;
		char path[300], *open, *close, st;
		int pid = atoi(de->d_name), ppid;

		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		if (pid <= 2 || read_file(AT_FDCWD, path, &stat, NULL) < 0 ||
		    !(open = strchr(stat, '(')) || !(close = strrchr(stat, ')')) ||
		    sscanf(close + 1, " %c %d", &st, &ppid) != 2 || ppid == 2)
			continue;
		if (n++ < 10)
			log_msg("shutdown: pid %d (%.*s) still there after SIGKILL, in state %c",
				pid, (int)(close - open - 1), open + 1, st);
	}
	if (d)
		closedir(d);
	if (n > 10)
		log_msg("shutdown: and %u more processes", n - 10);
	if (n)
		log_msg("shutdown: going down without waiting for them");
}

/* The stragglers' deadlines. No wait here blocks: the reaper (WNOHANG) ends the shutdown
 * as soon as the last child is gone, this timer when that does not happen in time. */
static void on_timer(struct watch *w, uint32_t events)
{
	uint64_t ticks;

	(void)events;
	(void)!read(w->fd, &ticks, sizeof(ticks));
	if (S.phase == SD_STRAGGLERS) {
		S.phase = SD_KILLED;
		kill(-1, SIGKILL);
		arm_timer_ms(S.timer.fd, KILL_TIMEOUT_MS);
		reap();
	} else if (S.phase == SD_KILLED) {
		name_survivors();
		shutdown_finish();
	}
}

/* kbox.exit: act once nothing is left running. */
static void check_idle(void)
{
	int cmd;

	if (S.phase != SD_NONE || S.set->exit == SPEC_EXIT_STAY || any_alive())
		return;
	for (size_t i = 0; i < S.n; i++)
		if (ctr_pending(&S.ctrs[i]))
			return;
	cmd = S.set->exit == SPEC_EXIT_POWEROFF ? RB_POWER_OFF : RB_AUTOBOOT;
	sup_shutdown(cmd, "no container left running");
}

/* ---- signals and reaping ---- */

static void reap(void)
{
	int status;
	pid_t pid;

	/* SIGCHLDs coalesce: one signal may stand for many children. */
	while ((pid = waitpid(-1, &status, WNOHANG)) != 0) {
		size_t i;

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD && S.phase >= SD_STRAGGLERS)
				shutdown_finish();
			break;
		}
		for (i = 0; i < S.n && S.ctrs[i].pid != pid; i++)
			;
		if (i < S.n)
			ctr_exited(&S.ctrs[i], status);
		else if (pid == S.shell)
			S.shell = 0;
		else if (!control_reaped(pid, status))
			S.orphans++;
	}
	remove_leaves();
	shutdown_step();
	check_idle();
}

static void on_signal(struct watch *w, uint32_t events)
{
	struct signalfd_siginfo si;

	(void)events;
	while (read(w->fd, &si, sizeof(si)) == sizeof(si)) {
		if (sender_refused(&si))
			continue;
		switch (si.ssi_signo) {
		case SIGCHLD:
			reap();
			break;
		case SIGUSR1:
			sup_shutdown(RB_HALT_SYSTEM, "SIGUSR1");
			break;
		case SIGUSR2:
			sup_shutdown(RB_POWER_OFF, "SIGUSR2");
			break;
		case SIGPWR:
			sup_shutdown(RB_POWER_OFF, "SIGPWR");
			break;
		case SIGTERM:
			sup_shutdown(RB_AUTOBOOT, "SIGTERM");
			break;
		case SIGINT:
			sup_shutdown(RB_AUTOBOOT, "ctrl-alt-del");
			break;
		default:
			break;
		}
	}
}

/* ---- the console shell ---- */

static void spawn_shell(void)
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
	if (pid < 0) {
		log_errno(-errno, "cannot fork the console shell");
		return;
	}
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
	S.shell = pid;
	log_msg("shell on %s", tty);
}

_Noreturn void supervisor_run(struct spec_set *set)
{
	sigset_t mask;
	size_t n = 0;
	int fd;

	S.set = set;
	output_set_log_max(set->log_max);
	for (const struct spec *s = set->specs; s; s = s->next)
		n++;
	S.ctrs = calloc(n ? n : 1, sizeof(*S.ctrs));
	sigprocmask(SIG_BLOCK, NULL, &mask);
	fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (!S.ctrs || loop_init() < 0 || fd < 0 || timer_add(&S.timer, on_timer) < 0) {
		log_errno(-errno, "cannot set up the supervisor");
		sync();
		reboot(RB_POWER_OFF);
		for (;;)
			pause();
	}
	watch_add(&S.sig, fd, on_signal);
	output_console_init();

	network_init(set);
	control_start();
	if (set->shell)
		spawn_shell();
	for (const struct spec *s = set->specs; s; s = s->next) {
		struct ctr *c = &S.ctrs[S.n++];

		c->spec = s;
		c->start.fd = c->out.fd = c->timer.fd = c->log_fd = -1;
		c->state = s->error ? CTR_INVALID : CTR_WAITING;
	}
	start_waiting();
	check_idle();

	for (;;) {
		network_flush_hosts();
		loop_once(-1);
	}
}
