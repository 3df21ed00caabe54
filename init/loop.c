/* PID 1's event loop: watches, timers, and frees deferred to the end of an epoll batch. */
#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "../lib/log.h"

#define BATCH 32
#define MAX_BEFORE 4

static struct {
	int epfd;
	struct epoll_event evs[BATCH];
	int nev, cur; /* the batch being dispatched, and where */
	void **deferred;
	size_t ndeferred, cap;
	void (*before[MAX_BEFORE])(void);
	size_t nbefore;
} L = {.epfd = -1};

int loop_init(void)
{
	L.epfd = epoll_create1(EPOLL_CLOEXEC);
	return L.epfd < 0 ? -errno : 0;
}

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

void watch_add_events(struct watch *w, int fd, uint32_t events,
		      void (*fn)(struct watch *, uint32_t))
{
	struct epoll_event ev = {.events = events, .data.ptr = w};

	w->fd = fd;
	w->fn = fn;
	if (epoll_ctl(L.epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		log_errno(-errno, "epoll_ctl add fd %d", fd);
}

void watch_add(struct watch *w, int fd, void (*fn)(struct watch *, uint32_t))
{
	watch_add_events(w, fd, EPOLLIN, fn);
}

void watch_modify(struct watch *w, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = w};

	if (w->fd >= 0 && epoll_ctl(L.epfd, EPOLL_CTL_MOD, w->fd, &ev) < 0)
		log_errno(-errno, "epoll_ctl mod fd %d", w->fd);
}

/* Whatever this batch still holds for W is dropped: W may be freed or reused by now. */
static void forget(struct watch *w)
{
	for (int i = L.cur + 1; i < L.nev; i++)
		if (L.evs[i].data.ptr == w)
			L.evs[i].data.ptr = NULL;
}

int watch_detach(struct watch *w)
{
	int fd = w->fd;

	forget(w);
	if (fd < 0)
		return -1;
	/* Before any close: a forked child's copy of the fd would keep it registered. */
	epoll_ctl(L.epfd, EPOLL_CTL_DEL, fd, NULL);
	w->fd = -1;
	return fd;
}

void watch_close(struct watch *w)
{
	int fd = watch_detach(w);

	if (fd >= 0)
		close(fd);
}

int timer_add(struct watch *w, void (*fn)(struct watch *, uint32_t))
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);

	if (fd < 0)
		return -errno;
	watch_add(w, fd, fn);
	return 0;
}

void timer_arm(struct watch *w, unsigned ms)
{
	/* 0 would disarm it: "at once" is the next nanosecond. */
	struct itimerspec its = {.it_value = {ms / 1000, ms % 1000 * 1000000L + (ms == 0)}};

	timerfd_settime(w->fd, 0, &its, NULL);
}

void timer_disarm(struct watch *w)
{
	struct itimerspec off = {0};

	timerfd_settime(w->fd, 0, &off, NULL);
}

void loop_defer_free(void *p)
{
	if (!p)
		return;
	if (L.ndeferred == L.cap) {
		size_t cap = L.cap ? L.cap * 2 : 16;
		void **d = realloc(L.deferred, cap * sizeof(*d));

		/* Leaking it beats freeing it under a callback that still holds it. */
		if (!d) {
			log_msg("out of memory: an object of the loop is never freed");
			return;
		}
		L.deferred = d;
		L.cap = cap;
	}
	L.deferred[L.ndeferred++] = p;
}

void loop_before_wait(void (*fn)(void))
{
	if (L.nbefore < MAX_BEFORE)
		L.before[L.nbefore++] = fn;
	else
		log_msg("loop: more than %d hooks before the wait; one is left out", MAX_BEFORE);
}

void loop_once(int timeout_ms)
{
	for (size_t i = 0; i < L.nbefore; i++)
		L.before[i]();
	L.nev = epoll_wait(L.epfd, L.evs, BATCH, timeout_ms);
	for (L.cur = 0; L.cur < L.nev; L.cur++) {
		struct watch *w = L.evs[L.cur].data.ptr;

		if (w)
			w->fn(w, L.evs[L.cur].events);
	}
	L.nev = L.cur = 0;
	for (size_t i = 0; i < L.ndeferred; i++)
		free(L.deferred[i]);
	L.ndeferred = 0;
}
