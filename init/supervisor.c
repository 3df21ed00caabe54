/* PID 1's supervisor: the container table, which it alone writes, and its policy (start
 * order, restarts, stops, shutdown), driven by signals, start reports and timers from
 * loop.c. Its neighbours hear of changes through the observers they added (sup_observe),
 * and kbox stop's caller through the completion it passed. */
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
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/util.h"
#include "../runtime/cgroup.h"
#include "../runtime/mntns.h"
#include "../runtime/runtime.h"
#include "ctr.h"
#include "data.h"
#include "images.h"
#include "senders.h"
#include "shell.h"
#include "volumes.h"

#define STRAGGLER_TIMEOUT_S 2
#define KILL_TIMEOUT_MS 2000 /* after a SIGKILL, what is still there is stuck (D state) */
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 30000
#define HEALTHY_MS 10000 /* running this long resets the backoff */
#define MAX_OBSERVERS 4

enum shutdown_phase {
	SD_NONE,
	SD_CONTAINERS, /* stopping the containers one by one, latest started first */
	SD_STRAGGLERS, /* everything else got SIGTERM, waiting up to STRAGGLER_TIMEOUT_S */
	SD_KILLED,     /* then SIGKILL, waiting up to KILL_TIMEOUT_MS: never longer */
};

static struct {
	const struct spec_set *set;
	struct spec **specs; /* ctrs[i].spec, to apply its image's record to at each start */
	struct ctr *ctrs;
	char (*why)[SPEC_ERRLEN * 2]; /* ctrs[i].why_failed when it is a reason of its own */
	size_t n;
	struct watch sig, timer;
	pid_t shell;
	enum shutdown_phase phase;
	int reboot_cmd;
	unsigned long orphans;
	unsigned seq;
	const struct sup_observer *obs[MAX_OBSERVERS];
	size_t nobs;
	struct sup_child *children;
	bool booting; /* the boot's starts are not all reported yet */
} S;

/* ---- observers ---- */

void sup_observe(const struct sup_observer *o)
{
	if (S.nobs < MAX_OBSERVERS)
		S.obs[S.nobs++] = o;
	else
		log_msg("supervisor: more than %d observers; one is left out", MAX_OBSERVERS);
}

static int notify_starting(struct ctr *c, struct rt_opts *o)
{
	for (size_t k = 0; k < S.nobs; k++) {
		int r = S.obs[k]->starting ? S.obs[k]->starting(c->idx, o) : 0;

		if (r < 0)
			return r;
	}
	return 0;
}

static void notify_started(struct ctr *c, int out)
{
	bool taken = false;

	for (size_t k = 0; k < S.nobs; k++) {
		if (S.obs[k]->started) {
			S.obs[k]->started(c->idx, out);
			taken = true;
		}
	}
	if (!taken)
		close(out);
}

static void notify_exited(struct ctr *c)
{
	for (size_t k = 0; k < S.nobs; k++)
		if (S.obs[k]->exited)
			S.obs[k]->exited(c->idx);
}

static void notify_gone(struct ctr *c)
{
	for (size_t k = 0; k < S.nobs; k++)
		if (S.obs[k]->gone)
			S.obs[k]->gone(c->idx);
}

/* kbox stop's caller hears that it went (EXITED) or outlived its SIGKILL. */
static void stop_done(struct ctr *c, bool exited)
{
	void (*done)(void *ctx, size_t i, bool exited) = c->stopped;

	if (!done)
		return;
	c->stopped = NULL;
	done(c->stopped_ctx, c->idx, exited);
}

void sup_child_add(struct sup_child *ch)
{
	ch->next = S.children;
	S.children = ch;
}

void sup_child_del(struct sup_child *ch)
{
	for (struct sup_child **p = &S.children; *p; p = &(*p)->next) {
		if (*p == ch) {
			*p = ch->next;
			break;
		}
	}
}

/* A child that is no container: true if someone waited for it. */
static bool child_reaped(pid_t pid, int status)
{
	for (struct sup_child *ch = S.children; ch; ch = ch->next) {
		if (ch->pid != pid)
			continue;
		sup_child_del(ch);
		ch->reaped(ch, status);
		return true;
	}
	return false;
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

/* Once every container of the boot ran (or failed): the line the bench reads PID 1's serial
 * cost from, its CPU time then (the kernel's initcalls included: they run as PID 1). */
static void boot_done(void)
{
	struct timespec cpu;
	size_t ran = 0;

	if (!S.booting)
		return;
	for (size_t i = 0; i < S.n; i++) {
		if (S.ctrs[i].state == CTR_STARTING || S.ctrs[i].state == CTR_WAITING)
			return;
		ran += S.ctrs[i].ever_started;
	}
	S.booting = false;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	log_msg("supervisor: %zu of %zu containers started (boot +%.3f s, PID 1 CPU %ld ms)", ran,
		S.n, boottime(), (long)(cpu.tv_sec * 1000 + cpu.tv_nsec / 1000000));
}

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
	if (r == 0 && c->state == CTR_STARTING && c->stopping) {
		/* The end of the report reads the same whether it exec'd or a stop killed it
		 * before: a start that a stop overtook is none for what is after= it. */
		c->state = CTR_RUNNING;
		log_msg("%s: stopped as it started, pid %d", c->spec->name, c->pid);
	} else if (r == 0 && c->state == CTR_STARTING) {
		c->state = CTR_RUNNING;
		c->ever_started = true;
		log_msg("%s: started, pid %d (boot +%.3f s)", c->spec->name, c->pid, boottime());
		start_waiting();
	} else if (r < 0) {
		c->state = CTR_FAILED;
	}
	boot_done();
}

/* Where the appliance keeps images and each container's scratch. */
static const struct rt_opts appliance = {.images = KBOX_IMAGES, .state = KBOX_STATE};

/* Where the image a start names is: /images, then the data disk's, once there is one; the
 * generation a link there leads to, in BUF. NULL (logged) when it is in neither. */
static const char *image_dir(const struct spec *s, char *buf, size_t len)
{
	static const char *const dirs[] = {KBOX_IMAGES, KBOX_HOST_IMAGES};
	size_t n = data_ready() ? 2 : 1;
	const char *dir;

	if (s->image[0] == '/')
		return KBOX_IMAGES; /* unused: rootfs takes the path as it is */
	dir = images_find(s->image, dirs, n);
	if (!dir)
		log_msg("%s: image: '%s' not found in %s%s", s->name, s->image, KBOX_IMAGES,
			n > 1 ? " or " KBOX_HOST_IMAGES : "");
	return dir ? images_resolve(dir, s->image, buf, len) : NULL;
}

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
	if (c->state != CTR_BACKOFF)
		notify_gone(c);
	return r;
}

static int ctr_start(struct ctr *c)
{
	struct rt_opts o = appliance;
	char err[SPEC_ERRLEN * 3], images[PATH_MAX];
	int out[2], status_fd, r;
	pid_t pid;

	/* Every start, restarts too: the image may have come (kbox load) or changed since. */
	o.images = image_dir(c->spec, images, sizeof(images));
	if (!o.images)
		return start_failed(c, -ENOENT);
	r = images_apply(S.specs[c->idx], o.images, err, sizeof(err));
	if (r < 0) {
		log_msg("%s", err);
		r = start_failed(c, r);
		c->why_failed = "its image's record is unusable (see the console)";
		return r;
	}
	/* Its volumes are on the data disk: without one (or with a full one) only the
	 * containers that name a volume fail, with the reason. */
	r = volumes_prepare(c->spec, data_ready() ? NULL : data_why(), err, sizeof(err));
	if (r < 0) {
		log_msg("%s", err);
		r = start_failed(c, r);
		/* "db: volume 'x': why" without the name: kbox ps shows it beside the name. */
		snprintf(S.why[c->idx], sizeof(S.why[c->idx]), "%s",
			 err + strlen(c->spec->name) + 2);
		c->why_failed = S.why[c->idx];
		return r;
	}
	if (pipe2(out, O_CLOEXEC) < 0)
		return start_failed(c, log_errno(-errno, "%s: pipe", c->spec->name));
	o.stdio[0] = -1;
	o.stdio[1] = o.stdio[2] = out[1];
	/* It counts as running from here: its own name goes into its hosts file. */
	c->state = CTR_STARTING;
	r = notify_starting(c, &o);
	if (r < 0) {
		close(out[0]);
		close(out[1]);
		return start_failed(c, r);
	}
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
	notify_started(c, out[0]);
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

/* How it ended, as the exit, summary and kbox ps lines say it; FAILED_WORD: "failed with
 * status N" for a start that failed, where the exit line says "exited". */
static void exit_words(const struct ctr *c, bool failed_word, char *buf, size_t len)
{
	if (c->oom_kills && WIFSIGNALED(c->status))
		snprintf(buf, len, "killed by the OOM killer");
	else if (WIFSIGNALED(c->status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(c->status));
	else
		snprintf(buf, len, "%s with status %d",
			 failed_word && c->state == CTR_FAILED ? "failed" : "exited",
			 rt_exit_code(c->status));
}

void ctr_status(const struct ctr *c, char *buf, size_t len)
{
	buf[0] = '\0';
	if (c->state == CTR_INVALID)
		snprintf(buf, len, "%s", c->spec->error);
	else if (c->why_failed)
		snprintf(buf, len, "not started: %s", c->why_failed);
	else if (!ctr_alive(c) && c->state != CTR_WAITING && c->seq)
		exit_words(c, true, buf, len);
}

/* "web: killed by signal 9 (Killed)", "web: killed by the OOM killer (memory.max 64M)". */
static void log_exit(const struct ctr *c)
{
	bool oom_kill = c->oom_kills && WIFSIGNALED(c->status) && WTERMSIG(c->status) == SIGKILL;
	char what[64], limit[32] = "max";

	if (c->oom_kills && c->spec->memory > 0)
		spec_format_size(c->spec->memory, limit, sizeof(limit));
	if (c->oom_kills && !oom_kill) {
		/* It was not the one killed: some of its processes were. */
		log_msg("%s: exited with status %d; the OOM killer killed %ld of its processes "
			"(memory.max %s)",
			c->spec->name, rt_exit_code(c->status), c->oom_kills, limit);
		return;
	}
	exit_words(c, false, what, sizeof(what));
	if (oom_kill)
		log_msg("%s: %s (memory.max %s)", c->spec->name, what, limit);
	else if (WIFSIGNALED(c->status))
		log_msg("%s: %s (%s)", c->spec->name, what, strsignal(WTERMSIG(c->status)));
	else
		log_msg("%s: %s", c->spec->name, what);
}

static void ctr_exited(struct ctr *c, int status)
{
	/* A child that failed or exec'd and exited at once: its report comes first. */
	if (c->start.fd >= 0)
		on_start_report(&c->start, EPOLLIN);
	/* Everything it wrote is in the pipe by now: printed before the exit line. */
	notify_exited(c);
	c->status = status;
	c->pid = 0;
	c->killed = c->stuck = false;
	if (c->state != CTR_FAILED)
		c->state = CTR_EXITED;
	c->oom_kills = c->cgroup ? cg_oom_kills(c->spec->name) : 0;
	log_exit(c);
	/* With pid=host, its other processes outlive it; they go with it, as in Docker. */
	if (c->cgroup)
		cg_kill(c->spec->name);
	rt_release(c->spec, &appliance);
	if (S.phase == SD_NONE && !c->stopping && wants_restart(c))
		restart_later(c, c->state != CTR_FAILED);
	if (!ctr_alive(c) && c->state != CTR_BACKOFF)
		notify_gone(c);
	/* kbox stop hears of it last (kbox restart starts it again from there). */
	stop_done(c, true);
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

const struct ctr *sup_at(size_t i)
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

const struct ctr *sup_find(const char *name)
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

int sup_start(size_t i)
{
	struct ctr *c = &S.ctrs[i];

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
		else
			exit_words(c, true, what, sizeof(what));
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
	stop_done(c, false);
	shutdown_step();
}

/* Send its stop signal; after stop_timeout the whole cgroup is killed. */
static void ctr_stop(struct ctr *c)
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

int sup_stop(size_t i, void (*done)(void *ctx, size_t i, bool exited), void *ctx)
{
	struct ctr *c = &S.ctrs[i];

	if (c->stopped)
		return -EBUSY;
	c->stopped = done;
	c->stopped_ctx = ctx;
	if (!c->stopping)
		ctr_stop(c);
	return 0;
}

void sup_stop_forget(size_t i)
{
	S.ctrs[i].stopped = NULL;
}

/* Stop what has not run yet: a pending restart, or a start waiting for its dependencies. */
bool sup_cancel(size_t i)
{
	struct ctr *c = &S.ctrs[i];

	if (c->state == CTR_BACKOFF) {
		timer_disarm(&c->timer);
		log_msg("%s: stopped; restart %u called off", c->spec->name, c->restarts + 1);
		c->state = CTR_EXITED;
		notify_gone(c);
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

/* Whether PID 1 has a child, exited or not; none is reaped. */
static bool has_children(void)
{
	siginfo_t info;

	return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 || errno != ECHILD;
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
			ctr_stop(c);
	}
	if (S.phase == SD_CONTAINERS && !any_alive()) {
		S.phase = SD_STRAGGLERS;
		/* The containers have stopped: the data disk is unmounted before anything else
		 * is signalled, so that what still holds it is named (data.c stops it). */
		data_shutdown();
		/* Orphans, the shell, anything still running outside containers. Every process
		 * but the kernel's descends from PID 1: with no child, there is none (kill(-1)
		 * cannot tell: it reaches kernel threads too, and succeeds). */
		if (!has_children())
			shutdown_finish();
		kill(-1, SIGTERM);
		kill(-1, SIGCONT);
		timer_arm(&S.timer, STRAGGLER_TIMEOUT_S * 1000);
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
			timer_disarm(&c->timer);
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
		timer_arm(&S.timer, KILL_TIMEOUT_MS);
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
		else if (!child_reaped(pid, status))
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

/* ---- PID 1's lifecycle ---- */

int sup_init(const struct spec_set *set)
{
	size_t n = 0;
	int fd, r;

	S.set = set;
	for (const struct spec *s = set->specs; s; s = s->next)
		n++;
	S.ctrs = calloc(n ? n : 1, sizeof(*S.ctrs));
	S.specs = calloc(n ? n : 1, sizeof(*S.specs));
	S.why = calloc(n ? n : 1, sizeof(*S.why));
	if (!S.ctrs || !S.specs || !S.why)
		return -ENOMEM;
	/* Every signal init_main blocked arrives here. */
	fd = signals_fd(NULL, SFD_CLOEXEC | SFD_NONBLOCK, NULL);
	if (fd < 0)
		return fd;
	r = timer_add(&S.timer, on_timer);
	if (r < 0) {
		close(fd);
		return r;
	}
	watch_add(&S.sig, fd, on_signal);
	for (struct spec *s = set->specs; s; s = s->next) {
		struct ctr *c = &S.ctrs[S.n];

		S.specs[S.n] = s;
		c->spec = s;
		c->idx = S.n++;
		c->start.fd = c->timer.fd = -1;
		c->state = s->error ? CTR_INVALID : CTR_WAITING;
	}
	return 0;
}

_Noreturn void sup_run(void)
{
	if (S.set->shell) {
		pid_t pid = shell_spawn();

		S.shell = pid > 0 ? pid : 0;
	}
	volumes_note_users(S.set);
	/* Before the first start: PID 1's own namespace then stays as small as it is now. */
	mntns_keeper_init();
	S.booting = true;
	start_waiting();
	boot_done();
	check_idle();
	for (;;)
		loop_once(-1);
}
