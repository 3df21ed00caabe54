/* PID 1's supervisor: the container table (ctr.h is its read-only view), the commands on
 * it, and the one interface its neighbours learn of a container's changes through. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../runtime/runtime.h"
#include "../runtime/spec/spec.h"

/* What a neighbour wants to hear of; any member may be NULL. Called in the order the
 * observers were added. */
struct sup_observer {
	/* Container I is about to be cloned (its state is STARTING): put what the start needs
	 * into O. 0, or -errno after logging: the start fails. */
	int (*starting)(size_t i, struct rt_opts *o);
	/* Its process is there; OUT is the read end of its stdout and stderr, for the one
	 * observer that reads them (output.c), which closes it. */
	void (*started)(size_t i, int out);
	/* It was reaped, before its exit line: what it wrote is to be read now. */
	void (*exited)(size_t i);
	/* It no longer runs and no restart is pending: a stop, a failure, a restart called
	 * off. What it held (an address) can go. */
	void (*gone)(size_t i);
};

/* Hear of every container's changes from now on. */
void sup_observe(const struct sup_observer *o);

/* A child of PID 1 that is no container (kbox exec's relay), and what to do once it is
 * reaped. The caller owns it and keeps it until then, or takes it back with sup_child_del. */
struct sup_child {
	pid_t pid;
	void (*reaped)(struct sup_child *ch, int status);
	struct sup_child *next;
};
void sup_child_add(struct sup_child *ch);
void sup_child_del(struct sup_child *ch);

/* ---- commands, from the control socket ---- */

/* Start container I, which is not running: 0, or -errno after logging. */
int sup_start(size_t i);
/* Its stop signal, then after stop_timeout its cgroup is killed; once it has exited (EXITED
 * true) or outlived its SIGKILL (false), DONE(CTX, I, EXITED), unless NULL. -EBUSY while
 * another caller waits for it. */
int sup_stop(size_t i, void (*done)(void *ctx, size_t i, bool exited), void *ctx);
/* The caller waiting for I's stop is gone: DONE is not called. */
void sup_stop_forget(size_t i);
/* A container that is waiting to start or to restart does not; true if it was. */
bool sup_cancel(size_t i);
/* Shutdown has begun: nothing starts any more. */
bool sup_shutting_down(void);
/* As if PID 1 got the signal for CMD (RB_POWER_OFF, RB_AUTOBOOT). */
void sup_shutdown(int cmd, const char *why);

/* ---- PID 1's lifecycle, from init.c ---- */

/* The table of SET's containers (none started) and the signalfd: 0, or -errno. */
int sup_init(const struct spec_set *set);
/* Start every valid container and supervise until shutdown. Never returns. */
_Noreturn void sup_run(void);
