/* The control socket under attack, with the real loop and control.c over socketpairs and
 * the supervisor stubbed (as in tests/fuzz/fuzz_control.c): clients whose kbox exec outlives
 * them, an answer longer than a socket buffer, a second kbox stop of a stuck container. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../init/control.h"
#include "../../init/ctr.h"
#include "../../lib/ctl.h"
#include "../../runtime/runtime.h"
#include "../../runtime/spec/cmdline.h"
#include "../tap.h"

#define NCTR 1000

static struct spec specs[NCTR];
static struct ctr ctrs[NCTR];
static size_t nctr;
static pid_t next_pid = 1000;
static pid_t execs[256];
static size_t nexecs;

#include "../stub_table.h"

int sup_start(size_t i)
{
	ctrs[i].state = CTR_RUNNING;
	ctrs[i].pid = next_pid++;
	return 0;
}

bool sup_cancel(size_t i)
{
	return false;
}

bool sup_shutting_down(void)
{
	return false;
}

void sup_shutdown(int cmd, const char *why)
{
}

pid_t rt_exec(const struct spec *spec, const struct rt_opts *opts, pid_t target, const int fds[3],
	      char *const argv[])
{
	if (nexecs < sizeof(execs) / sizeof(execs[0]))
		execs[nexecs++] = next_pid;
	return next_pid++;
}

int rt_exit_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static void setup(size_t n, enum ctr_state state)
{
	static char names[NCTR][24];

	nctr = n;
	for (size_t i = 0; i < n; i++) {
		struct ctr *c = &ctrs[i];

		snprintf(names[i], sizeof(names[i]), "c%zu", i);
		specs[i].name = names[i];
		specs[i].error = "c: memory: '1Q' is not a size (kernel command line)";
		memset(c, 0, sizeof(*c));
		c->spec = &specs[i];
		c->idx = i;
		c->start.fd = c->timer.fd = -1;
		c->state = state;
		if (state == CTR_RUNNING)
			c->pid = next_pid++;
	}
}

static int client(void)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	control_client(sv[0]);
	return sv[1];
}

/* As kbox's CLI sends it (lib/ctl.c). A server that hung up has its answer waiting: the
 * caller reads it. */
static void request(int fd, const char *msg, size_t len, bool with_fds)
{
	(void)ctl_send(fd, msg, len, with_fds);
}

/* Everything the server sent: how many 'o' messages and lines, and the exit code or -1. */
static int answer(int fd, int *ret_lines)
{
	char buf[65536 + 1];
	int code = -1, lines = 0;
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		buf[n] = '\0';
		if (buf[0] == 'x') {
			code = atoi(buf + 1);
			break;
		}
		for (char *p = buf + 1; (p = strchr(p, '\n')); p++)
			lines++;
	}
	if (ret_lines)
		*ret_lines = lines;
	return code;
}

static void settle(void)
{
	for (int i = 0; i < 16; i++)
		loop_once(0);
}

/* kbox exec whose client goes while the command runs on (a shell's `kbox exec web sleep
 * 1d &` killed, a lost ssh session): the command lives on, but PID 1 must keep serving. */
static void test_vanished_execs(void)
{
	int fd, code, got = 0;

	setup(1, CTR_RUNNING);
	for (int i = 0; i < 100; i++) {
		fd = client();
		request(fd, "exec\0c0\0sleep\0inf", 18, true);
		settle();
		close(fd);
		settle();
	}
	fd = client();
	request(fd, "ps", 3, false);
	settle();
	code = answer(fd, &got);
	close(fd);
	is_int(code, 0, "after 100 kbox exec whose clients left, kbox ps is still answered");
	is_int(got, 2, "with its lines");
	for (size_t i = 0; i < nexecs; i++)
		stub_reap(execs[i], 0);
	nexecs = 0;
	settle();
}

/* kbox ps of a machine with many containers: the answer is longer than a socket's send
 * buffer, and the client reads it only once the server has written it. */
static void test_long_answer(void)
{
	int fd, code, lines = 0;

	setup(400, CTR_INVALID);
	fd = client();
	request(fd, "ps", 3, false);
	settle();
	code = answer(fd, &lines);
	for (int i = 0; i < 64 && code < 0; i++) {
		int more = 0;

		settle();
		code = answer(fd, &more);
		lines += more;
	}
	close(fd);
	is_int(lines, 400 + 1, "kbox ps of 400 containers: every line arrives");
	is_int(code, 0, "and its exit code");
	settle();
}

/* An answer past what the socket holds (1000 containers whose status is 500 bytes, to a
 * client that reads only once it has all been sent) is cut: the client then reads an end
 * of file, not nothing for ever. */
static void test_cut_answer(void)
{
	static char why[500];
	int fd, code, lines = 0;
	char buf[16];

	setup(NCTR, CTR_INVALID);
	memset(why, 'w', sizeof(why) - 1);
	for (size_t i = 0; i < nctr; i++)
		specs[i].error = why;
	fd = client();
	request(fd, "ps", 3, false);
	settle();
	code = answer(fd, &lines);
	ok(code == -1 && lines > 100 && lines < NCTR + 1,
	   "kbox ps too long for the socket: %d of %d lines, then no exit code", lines, NCTR + 1);
	is_int(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), 0, "but an end of file");
	close(fd);
	settle();
}

/* A container that outlived its SIGKILL (frozen, D state) was named and its first kbox stop
 * answered 1; a second kbox stop must be answered too, not wait for ever. */
static void test_stop_stuck(void)
{
	int fd, code;

	setup(1, CTR_RUNNING);
	ctrs[0].stopping = ctrs[0].killed = ctrs[0].stuck = true;
	fd = client();
	request(fd, "stop\0c0", 8, false);
	settle();
	code = answer(fd, NULL);
	is_int(code, 1, "kbox stop of a container still there after SIGKILL answers 1 at once");
	close(fd);
	settle();
	ctrs[0].stopped = NULL;
	fd = client();
	request(fd, "restart\0c0", 11, false);
	settle();
	code = answer(fd, NULL);
	is_int(code, 1, "and so does kbox restart");
	close(fd);
	settle();
}

/* kbox stop and restart are answered from the supervisor's completion, once the container
 * has exited (restart: and started again). A restart whose client hangs up first still
 * starts it again, unless a later kbox stop takes its place. */
static void test_stop_completion(void)
{
	int fd, code;

	setup(1, CTR_RUNNING);
	fd = client();
	request(fd, "restart\0c0", 11, false);
	settle();
	is_int(answer(fd, NULL), -1, "kbox restart is not answered while the container runs");
	ok(ctrs[0].stopping && ctrs[0].stopped, "its stop was asked for, with a completion");
	close(fd);
	settle();
	ok(ctrs[0].stopped != NULL, "its client hung up: the restart still waits for the exit");
	ctrs[0].state = CTR_EXITED;
	ctrs[0].pid = 0;
	stub_stop_done(&ctrs[0], true);
	settle();
	is_int(ctrs[0].state, CTR_RUNNING, "and starts it again once it has exited (ctrl-C on kbox restart)");

	fd = client();
	request(fd, "restart\0c0", 11, false);
	settle();
	stub_stop_done(&ctrs[0], false);
	settle();
	is_int(answer(fd, NULL), 1, "a restart that outlived its SIGKILL is answered 1");
	close(fd);
	ok(ctrs[0].stopped != NULL, "and still starts it when it does exit");
	fd = client();
	request(fd, "stop\0c0", 8, false);
	settle();
	is_int(answer(fd, NULL), -1, "a later kbox stop takes the unattended restart's place");
	ctrs[0].state = CTR_EXITED;
	ctrs[0].pid = 0;
	stub_stop_done(&ctrs[0], true);
	settle();
	is_int(answer(fd, NULL), 0, "which is answered 0 once it has exited");
	is_int(ctrs[0].state, CTR_EXITED, "and it stays stopped: the stop was the last word");
	close(fd);
	settle();

	fd = client();
	request(fd, "restart\0c0", 11, false);
	settle();
	code = answer(fd, NULL);
	ok(code == 0 && ctrs[0].state == CTR_RUNNING,
	   "kbox restart of a container that is not running starts it at once (%d)", code);
	close(fd);
	fd = client();
	request(fd, "restart\0c0", 11, false);
	settle();
	ctrs[0].state = CTR_EXITED;
	ctrs[0].pid = 0;
	stub_stop_done(&ctrs[0], true);
	settle();
	code = answer(fd, NULL);
	ok(code == 0 && ctrs[0].state == CTR_RUNNING,
	   "kbox restart is answered 0 once it has exited and started again (%d)", code);
	close(fd);
	settle();
	/* One connection, two stops: the first wait must not outlive the client. */
	setup(2, CTR_RUNNING);
	fd = client();
	request(fd, "stop\0c0", 8, false);
	settle();
	request(fd, "stop\0c1", 8, false);
	settle();
	is_int(answer(fd, NULL), 2, "a second kbox stop on one connection is refused");
	ok(!ctrs[0].stopped && !ctrs[1].stopped, "and neither stop waits for that client any more");
	close(fd);
	settle();
}

/* 64 connections that never ask anything: PID 1 must not keep serving them alone. */
static void test_idle_clients(void)
{
	int idle[64], fd, code, lines = 0;

	setup(1, CTR_RUNNING);
	for (int i = 0; i < 64; i++)
		idle[i] = client();
	settle();
	fd = client();
	request(fd, "ps", 3, false);
	settle();
	is_int(answer(fd, NULL), 1,
	       "with 64 silent clients connected a new one is told to come back");
	close(fd);
	usleep(2100 * 1000);
	fd = client();
	request(fd, "ps", 3, false);
	settle();
	code = answer(fd, &lines);
	is_int(code, 0, "2 s later it is served: the longest silent one gives up its place");
	is_int(lines, 2, "with its lines");
	close(fd);
	is_int(answer(idle[0], NULL), 1, "and the one dropped is told why");
	for (int i = 0; i < 64; i++)
		close(idle[i]);
	settle();
}

static int count_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 4096; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/* N fds of /dev/null along with a request (the kernel allows 253 in one message). */
static void request_fds(int fd, const char *msg, size_t len, int nfds)
{
	static char cbuf[CMSG_SPACE(253 * sizeof(int))];
	struct iovec iov = {(void *)msg, len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *cm;
	int fds[253];

	for (int i = 0; i < nfds; i++)
		fds[i] = open("/dev/null", O_RDWR | O_CLOEXEC);
	mh.msg_control = cbuf;
	mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	(void)sendmsg(fd, &mh, MSG_NOSIGNAL);
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
}

/* fds passed with every kind of request, 1 to 253 of them, none of them a socket: each
 * answered (an exec without all of stdin, stdout and stderr is refused at once, rather
 * than run with none and fail with 125 and no word), and none kept. */
static void test_fds(void)
{
	static const struct {
		const char *msg;
		size_t len;
	} reqs[] = {{"ps", 3}, {"exec\0c0\0true", 13}, {"stop\0nope", 10}, {"frob", 5}};
	static const int counts[] = {1, 2, 3, 4, 64, 253};
	int before, bad = 0;

	setup(1, CTR_RUNNING);
	before = count_fds();
	for (size_t r = 0; r < sizeof(reqs) / sizeof(reqs[0]); r++) {
		for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
			int fd = client();

			request_fds(fd, reqs[r].msg, reqs[r].len, counts[k]);
			settle();
			int code = answer(fd, NULL);

			if (code < 0)
				printf("# %s with %d fds: no answer\n", reqs[r].msg, counts[k]);
			/* exec runs with 3 (the 4th is closed), and is answered when reaped */
			bad += code < 0 &&
			       (strcmp(reqs[r].msg, "exec") || (counts[k] != 3 && counts[k] != 4));
			close(fd);
			settle();
		}
	}
	for (size_t i = 0; i < nexecs; i++)
		stub_reap(execs[i], 0);
	nexecs = 0;
	settle();
	is_int(bad, 0, "every request with 1 to 253 fds along is answered; exec only runs with 3");
	is_int(count_fds(), before, "and PID 1 keeps none of those fds");
}

/* kbox exec with more words than PID 1 takes (256): refused, never run cut short. */
static void test_many_args(void)
{
	static char msg[4096];
	size_t len = 0;
	int fd, code;

	setup(1, CTR_RUNNING);
	len += sprintf(msg + len, "exec") + 1;
	len += sprintf(msg + len, "c0") + 1;
	len += sprintf(msg + len, "echo") + 1;
	for (int i = 0; i < 300; i++)
		len += sprintf(msg + len, "%d", i) + 1;
	fd = client();
	request(fd, msg, len, true);
	settle();
	code = answer(fd, NULL);
	is_int(code, 2, "kbox exec of echo with 300 arguments is refused");
	is_int(nexecs, 0, "and nothing runs with only the first 253 of them");
	close(fd);
	for (size_t i = 0; i < nexecs; i++)
		stub_reap(execs[i], 0);
	nexecs = 0;
	settle();
}

/* kbox inspect of a spec bigger than one message (2000 env entries from a 64 KiB file):
 * the whole JSON arrives, never a document cut off in the middle with status 0. */
static void test_big_inspect(void)
{
	static char *env[2001], words[2000][48];
	static char buf[65536 + 1], doc[200000];
	size_t len = 0;
	int fd, code = -1;
	ssize_t n;

	setup(1, CTR_RUNNING);
	for (int i = 0; i < 2000; i++) {
		snprintf(words[i], sizeof(words[i]), "VARIABLE_%04d=some value of thirty bytes", i);
		env[i] = words[i];
	}
	specs[0].env = env;
	specs[0].seccomp = "default";
	fd = client();
	request(fd, "inspect\0c0", 11, false);
	settle();
	while ((n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		buf[n] = '\0'; /* "x0" after a longer message must not read as "03..." */
		if (buf[0] == 'x') {
			code = atoi(buf + 1);
			break;
		}
		if (len + n - 1 < sizeof(doc)) {
			memcpy(doc + len, buf + 1, n - 1);
			len += n - 1;
		}
	}
	close(fd);
	specs[0].env = NULL;
	is_int(code, 0, "kbox inspect of a spec with 2000 env entries answers 0");
	ok(len > 2000 * 40 && !memcmp(doc + len - 3, "\n}\n", 3) && strstr(doc, "VARIABLE_1999="),
	   "with the whole document (%zu bytes, every entry, and its end)", len);
	settle();
}

/* lib/ctl.c packs a request as the server parses it: words, each ending in a NUL. */
static void test_pack(void)
{
	const char *words[] = {"exec", "web", "sh", NULL};
	char buf[16];

	is_int(ctl_pack(buf, sizeof(buf), words, -1), 12, "ctl_pack: exec web sh is 12 bytes");
	ok(!memcmp(buf, "exec\0web\0sh\0", 12), "each word ends in a NUL");
	is_int(ctl_pack(buf, sizeof(buf), words, 2), 9, "the first N words when N is given");
	is_int(ctl_pack(buf, 11, words, -1), -E2BIG, "a request past its buffer is refused");
}

int main(void)
{
	if (loop_init() < 0)
		abort();
	test_pack();
	test_vanished_execs();
	test_long_answer();
	test_cut_answer();
	test_stop_stuck();
	test_stop_completion();
	test_idle_clients();
	test_fds();
	test_many_args();
	test_big_inspect();
	return done();
}
