/* libFuzzer target: the control socket's request handling and its clients' lifetime.
 *
 * control.c and the real loop run over real socketpairs; the supervisor is stubbed here.
 * The input is a program of operations: connect, send a request (valid, garbage, huge,
 * with fds), hang up, and queue an exec relay's reap or a stop's completion, which a
 * "reaper" watch delivers inside the next batch, as PID 1's signalfd does. Batches run
 * where the input says, so hang-ups, requests, reaps and replies land in one epoll batch
 * in any order. After each input every client must be gone and every fd closed. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../init/control.h"
#include "../../init/ctr.h"
#include "../../runtime/runtime.h"
#include "../../runtime/spec/cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NCLI 72 /* past control.c's 64 places */
#define NPEND 64

static struct spec_set set;
static struct ctr ctrs[3];
static size_t nctr;
static pid_t next_pid = 1000;
static bool fail_exec, fail_start, going_down;

/* What the reaper watch delivers in its batch: a reap (pid) or a stop's end (ctr). */
static struct {
	pid_t pid;
	int status;
	struct ctr *stopped;
} pend[NPEND];
static size_t npend;
static pid_t execs[NPEND];
static size_t nexecs;
static struct watch reaper;
static int reaper_tx = -1;

/* ---- the supervisor, stubbed ---- */

#include "../stub_table.h"

int sup_start(size_t i)
{
	struct ctr *c = &ctrs[i];

	if (c->state == CTR_INVALID)
		return -EINVAL;
	c->stopping = false;
	if (fail_start) {
		c->state = CTR_FAILED;
		return -EIO;
	}
	c->state = CTR_RUNNING;
	c->pid = next_pid++;
	c->seq++;
	return 0;
}

bool sup_cancel(size_t i)
{
	struct ctr *c = &ctrs[i];

	if (c->state != CTR_BACKOFF && c->state != CTR_WAITING)
		return false;
	c->state = CTR_EXITED;
	return true;
}

/* Requests after kbox poweroff: start and restart are refused from then on. */
void sup_shutdown(int cmd, const char *why)
{
	(void)cmd;
	(void)why;
	going_down = true;
}

bool sup_shutting_down(void)
{
	return going_down;
}

pid_t rt_exec(const struct spec *spec, const struct rt_opts *opts, pid_t target, const int fds[3],
	      char *const argv[])
{
	(void)spec;
	(void)opts;
	(void)target;
	(void)argv;
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0 && fcntl(fds[i], F_GETFD) < 0)
			abort(); /* control.c handed over an fd it does not hold */
	if (fail_exec || nexecs == NPEND)
		return -ENOENT;
	execs[nexecs++] = next_pid;
	return next_pid++;
}

int rt_exit_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* What ctr_exited does for the control socket: the stop's caller hears of it (and, for
 * kbox restart, starts it again). */
static void stop_done(struct ctr *c)
{
	if (!ctr_alive(c) || !c->stopping)
		return;
	c->state = CTR_EXITED;
	c->pid = 0;
	stub_stop_done(c, true);
}

static void on_reaper(struct watch *w, uint32_t events)
{
	char buf[64];

	(void)events;
	while (read(w->fd, buf, sizeof(buf)) > 0)
		;
	for (size_t i = 0; i < npend; i++) {
		if (pend[i].stopped)
			stop_done(pend[i].stopped);
		else
			stub_reap(pend[i].pid, pend[i].status);
	}
	npend = 0;
}

static void queue(pid_t pid, int status, struct ctr *stopped)
{
	if (npend == NPEND)
		loop_once(0); /* the reaper takes what is queued */
	if (npend == NPEND)
		return;
	pend[npend].pid = pid;
	pend[npend].status = status;
	pend[npend].stopped = stopped;
	npend++;
	(void)!write(reaper_tx, "r", 1);
}

/* ---- the input ---- */

struct input {
	const uint8_t *p;
	size_t n;
};

static unsigned take(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static const struct {
	const char *msg;
	size_t len;
} requests[] = {
#define R(s)                                                                                       \
	{                                                                                          \
		s, sizeof(s) - 1                                                                   \
	}
	R("ps\0"),
	R("stats\0"),
	R("ps\0extra\0"),
	R("inspect\0a\0"),
	R("inspect\0bad\0"),
	R("stop\0a\0"),
	R("stop\0b\0"),
	R("restart\0a\0"),
	R("restart\0b\0"),
	R("start\0a\0"),
	R("start\0bad\0"),
	R("exec\0a\0sh\0"),
	R("exec\0b\0sh\0-c\0true\0"),
	R("exec\0bad\0sh\0"),
	R("stop\0ghost\0"),
	R("frob\0a\0"),
	R("poweroff\0"),
	R("reboot\0"),
	R("\0"),
	R("stop\0"),
	R("no NUL"),
#undef R
};

static void send_fds(int fd, const char *msg, size_t len, int nfds)
{
	char cbuf[CMSG_SPACE(5 * sizeof(int))] = {0};
	int fds[5];
	struct iovec iov = {(void *)msg, len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *cm;

	for (int i = 0; i < nfds; i++)
		fds[i] = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (nfds) {
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
}

static int count_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

static void setup(void)
{
	static char cmdline[] = "kbox.a.cmd=sh kbox.b.cmd=sh kbox.b.restart=always "
				"kbox.bad.memory=1Q";
	int p[2];

	spec_set_init(&set);
	spec_parse_cmdline(&set, cmdline);
	spec_finish(&set);
	for (const struct spec *s = set.specs; s && nctr < 3; s = s->next)
		ctrs[nctr++].spec = s;
	if (loop_init() < 0 || pipe2(p, O_NONBLOCK | O_CLOEXEC) < 0)
		abort();
	watch_add(&reaper, p[0], on_reaper);
	reaper_tx = p[1];
}

static void reset(const uint8_t *seed)
{
	for (size_t i = 0; i < nctr; i++) {
		struct ctr *c = &ctrs[i];
		const struct spec *s = c->spec;

		memset(c, 0, sizeof(*c));
		c->spec = s;
		c->idx = i;
		c->start.fd = c->timer.fd = -1;
		c->state = s->error ? CTR_INVALID : seed[i] % 3 == 0 ? CTR_BACKOFF : CTR_RUNNING;
		if (c->state == CTR_RUNNING)
			c->pid = next_pid++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	static uint8_t big[70000];
	struct input in = {data, size};
	int cli[NCLI], ncli = 0;
	uint8_t seed[3] = {0};

	int fds_before;

	if (!ready) {
		setup();
		ready = true;
	}
	fds_before = count_fds();
	memcpy(seed, data, size < 3 ? size : 3);
	reset(seed);
	npend = nexecs = 0;
	fail_exec = fail_start = going_down = false;

	while (in.n) {
		unsigned op = take(&in), k = take(&in);
		int fd = ncli ? cli[k % ncli] : -1;
		int sv[2];

		switch (op % 14) {
		case 0: /* connect */
			if (ncli < NCLI &&
			    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
				       sv) == 0) {
				cli[ncli++] = sv[1];
				control_client(sv[0]);
			}
			break;
		case 1: /* a request from the list */
		case 2: {
			unsigned r = take(&in) % ARRAY_SIZE(requests);

			if (fd >= 0)
				send(fd, requests[r].msg, requests[r].len,
				     MSG_DONTWAIT | MSG_NOSIGNAL);
			break;
		}
		case 3: /* hang up */
			if (fd >= 0) {
				close(fd);
				ncli--;
				cli[k % (ncli + 1)] = cli[ncli];
			}
			break;
		case 4: { /* raw bytes */
			size_t len = take(&in);

			len = len < in.n ? len : in.n;
			if (fd >= 0)
				send(fd, in.p, len, MSG_DONTWAIT | MSG_NOSIGNAL);
			in.p += len;
			in.n -= len;
			break;
		}
		case 5: /* huge */
			if (fd >= 0)
				send(fd, big, sizeof(big) - (k & 1) * 5000,
				     MSG_DONTWAIT | MSG_NOSIGNAL);
			break;
		case 6: /* an exec relay is reaped */
			if (nexecs)
				queue(execs[k % nexecs], (take(&in) & 0x7f) << 8, NULL);
			break;
		case 7: /* a stop completes */
			queue(0, 0, &ctrs[k % nctr]);
			break;
		case 8: /* one batch */
			loop_once(0);
			break;
		case 9: { /* a request with fds */
			unsigned r = take(&in) % ARRAY_SIZE(requests);

			if (fd >= 0)
				send_fds(fd, requests[r].msg, requests[r].len, (k >> 4) % 6);
			break;
		}
		case 10: /* some other child is reaped */
			queue(next_pid + 100000, 0, NULL);
			break;
		case 11: /* half close: the server reads end of file */
			if (fd >= 0)
				shutdown(fd, SHUT_WR);
			break;
		case 12: { /* the client reads its answers */
			char buf[256];

			while (fd >= 0 && recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
				;
			break;
		}
		case 13:
			fail_exec = k & 1;
			fail_start = k & 2;
			/* outlived its SIGKILL: a stop is answered at once */
			if ((k & 4) && ctr_alive(&ctrs[(k >> 3) % nctr]))
				ctrs[(k >> 3) % nctr].stuck = ctrs[(k >> 3) % nctr].stopping = true;
			break;
		}
	}

	/* Everyone goes; relays and stops end; the loop settles. */
	for (int i = 0; i < ncli; i++)
		close(cli[i]);
	for (size_t i = 0; i < nexecs; i++)
		queue(execs[i], 0, NULL);
	for (size_t i = 0; i < nctr; i++)
		queue(0, 0, &ctrs[i]);
	for (int i = 0; i < 64; i++)
		loop_once(0);
	for (size_t i = 0; i < nctr; i++)
		if (ctrs[i].stopped)
			abort(); /* a stop's completion outlived every client */
	if (count_fds() != fds_before)
		abort(); /* an fd leaked */
	return 0;
}
