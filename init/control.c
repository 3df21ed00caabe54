/* The control socket: PID 1 answers kbox ps, start, stop, restart, exec, inspect, stats,
 * poweroff and reboot over /run/kbox/control.sock.
 *
 * A request is one SOCK_SEQPACKET message: the verb and its arguments, each ending in a NUL;
 * exec passes the client's stdin, stdout and stderr along (SCM_RIGHTS). The answer is
 * messages of one type byte and text: 'o' for stdout, 'e' for stderr, and last 'x' with
 * the exit code. Only root may connect (SO_PEERCRED).
 *
 * It reads the container table (ctr.h) and acts on it through the supervisor's commands;
 * who waits for a kbox stop or restart, and for a kbox exec's relay, it keeps itself, on
 * the client. The client side is lib/ctl.c. */
#include "control.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/ctl.h"
#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/util.h"
#include "../runtime/runtime.h"
#include "../runtime/spec/image.h"
#include "ctr.h"
#include "network.h"
#include "output.h"
#include "supervisor.h"

#define MAX_MSG 65536
#define MAX_ARGS 256
#define MAX_CLIENTS 64	     /* at once; more are told to come back later */
#define ACCEPTS_PER_WAKEUP 8 /* the rest wait in the backlog for the next batch */
#define IDLE_MS 2000	     /* a client silent this long gives its place to a new one */

/* A client lives until it is answered or hangs up (or, during kbox exec, until its relay
 * is reaped as well). Then it is closed at once and freed at the end of the loop's batch,
 * so that an event of the same batch, or a caller up the stack, never finds it freed. */
struct client {
	struct watch w;
	struct sup_child exec; /* its kbox exec relay (pid 0: none), answered when reaped */
	size_t stop_of;	       /* the container its kbox stop or restart waits for */
	bool waits;	       /* for that stop (sup_stop's completion) */
	bool restart;	       /* kbox restart: start it again once it has exited */
	bool gone;	       /* hung up while its relay runs: no longer one of MAX_CLIENTS */
	bool closed;	       /* answered or dropped: nothing more is sent, nothing more happens */
	bool cut;   /* its socket was full: the rest of the answer, exit code too, is not sent */
	bool asked; /* it sent a request */
	uint64_t since; /* connected, CLOCK_MONOTONIC ms */
	struct client *next;
};

static struct watch listener = {.fd = -1};
static struct client *clients;
static unsigned nclients;

/* ---- answers ---- */

static void send_msg(struct client *cl, char type, const char *text, size_t len)
{
	char buf[MAX_MSG];

	if (cl->closed || cl->gone || cl->cut || cl->w.fd < 0)
		return;
	if (len > sizeof(buf) - 1)
		len = sizeof(buf) - 1;
	buf[0] = type;
	memcpy(buf + 1, text, len);
	/* A client that stopped reading loses the answer, never PID 1 its loop; it hears
	 * that it did (no exit code, an end of file), rather than wait for one for ever. */
	if (send(cl->w.fd, buf, len + 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		cl->cut = true;
}

/* The lines of one answer (kbox ps, stats), as few messages as fit: each message costs the
 * socket's buffer some 700 bytes besides its own, so one per line would fill it with a few
 * hundred containers' lines, and the rest of the answer would be lost. */
static struct {
	struct client *cl;
	size_t n;
	char buf[MAX_MSG - 1];
} lines;

static void lines_flush(void)
{
	if (lines.n)
		send_msg(lines.cl, 'o', lines.buf, lines.n);
	lines.n = 0;
}

static void line_add(struct client *cl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line_add(struct client *cl, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	if (lines.cl != cl || lines.n + n > sizeof(lines.buf))
		lines_flush();
	lines.cl = cl;
	memcpy(lines.buf + lines.n, buf, n);
	lines.n += n;
}

static void say(struct client *cl, char type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(struct client *cl, char type, const char *fmt, ...)
{
	char buf[MAX_MSG];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	send_msg(cl, type, buf, n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1);
}

static void restart_unattended(size_t i);

static void client_free(struct client *cl)
{
	if (cl->closed)
		return;
	cl->closed = true;
	if (!cl->gone)
		nclients--;
	for (struct client **p = &clients; *p; p = &(*p)->next) {
		if (*p == cl) {
			*p = cl->next;
			break;
		}
	}
	if (cl->waits)
		sup_stop_forget(cl->stop_of);
	/* A restart outlives its client (ctrl-C, a lost ssh): the container still comes back. */
	if (cl->waits && cl->restart)
		restart_unattended(cl->stop_of);
	cl->waits = false;
	if (cl->exec.pid)
		sup_child_del(&cl->exec);
	watch_close(&cl->w);
	loop_defer_free(cl);
}

void control_reply(struct client *cl, int code)
{
	char buf[16];

	if (cl->closed)
		return;
	snprintf(buf, sizeof(buf), "%d", code);
	send_msg(cl, 'x', buf, strlen(buf));
	client_free(cl);
}

/* "kbox: MESSAGE" on the client's stderr, then the exit code CODE. */
static void reply_error(struct client *cl, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void reply_error(struct client *cl, int code, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	say(cl, 'e', "kbox: %s\n", buf);
	control_reply(cl, code);
}

static void on_exec_reaped(struct sup_child *ch, int status)
{
	struct client *cl = container_of(ch, struct client, exec);

	ch->pid = 0;
	control_reply(cl, rt_exit_code(status));
}

/* ---- what the verbs show ---- */

static long long cg_number(const char *name, const char *file, const char *key)
{
	_cleanup_free_ char *text = NULL;
	char path[512];
	const char *p;

	snprintf(path, sizeof(path), CG_KBOX "/%s/%s", name, file);
	if (read_file(AT_FDCWD, path, &text, NULL) < 0)
		return -1;
	if (!key)
		return atoll(text);
	p = strstr(text, key);
	return p ? atoll(p + strlen(key)) : -1;
}

static void human_size(long long bytes, char *buf, size_t len)
{
	if (bytes < 0)
		snprintf(buf, len, "-");
	else if (bytes < 1024 * 1024)
		snprintf(buf, len, "%lldK", (bytes + 1023) / 1024);
	else
		snprintf(buf, len, "%.1fM", bytes / 1048576.0);
}

static void human_time(uint64_t ms, char *buf, size_t len)
{
	uint64_t s = ms / 1000;

	if (s < 60)
		snprintf(buf, len, "%llus", (unsigned long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", (unsigned long long)s / 60,
			 (unsigned long long)s % 60);
	else
		snprintf(buf, len, "%lluh%02llum", (unsigned long long)s / 3600,
			 (unsigned long long)s / 60 % 60);
}

static void do_ps(struct client *cl)
{
	char line[1024];

	line_add(cl, "%-16s %-10s %-6s %-15s %-8s %-7s %-7s %s\n", "NAME", "STATE", "PID", "IP",
		 "RESTARTS", "UPTIME", "MEMORY", "STATUS");
	for (size_t i = 0; i < sup_count(); i++) {
		const struct ctr *c = sup_at(i);
		char pid[16] = "-", up[48] = "-", mem[16] = "-", ip[16], status[600];

		if (ctr_alive(c)) {
			snprintf(pid, sizeof(pid), "%d", (int)c->pid);
			human_time(now_ms() - c->started_ms, up, sizeof(up));
			human_size(cg_number(c->spec->name, "memory.current", NULL), mem,
				   sizeof(mem));
		}
		ctr_status(c, status, sizeof(status));
		network_format(c->idx, ip);
		snprintf(line, sizeof(line), "%-16s %-10s %-6s %-15s %-8u %-7s %-7s %s",
			 c->spec->name, ctr_state_name(c->state), pid, ip, c->restarts, up, mem,
			 status);
		/* No trailing blanks when the last column is empty. */
		for (size_t n = strlen(line); n && line[n - 1] == ' '; n--)
			line[n - 1] = '\0';
		line_add(cl, "%s\n", line);
	}
	lines_flush();
	control_reply(cl, 0);
}

static void do_stats(struct client *cl)
{
	line_add(cl, "%-16s %-10s %-8s %s\n", "NAME", "CPU", "MEMORY", "PIDS");
	for (size_t i = 0; i < sup_count(); i++) {
		const struct ctr *c = sup_at(i);
		long long usec = cg_number(c->spec->name, "cpu.stat", "usage_usec ");
		char mem[16];

		if (!ctr_alive(c))
			continue;
		human_size(cg_number(c->spec->name, "memory.current", NULL), mem, sizeof(mem));
		line_add(cl, "%-16s %-10.3f %-8s %lld\n", c->spec->name,
			 usec < 0 ? 0.0 : usec / 1e6, mem,
			 cg_number(c->spec->name, "pids.current", NULL));
	}
	lines_flush();
	control_reply(cl, 0);
}

/* ---- inspect: JSON ---- */

/* Grown as needed and sent in messages of up to MAX_MSG: a spec from a 64 KiB file does
 * not fit in one, and a document cut off in the middle is no answer. */
struct json {
	char *buf;
	size_t n, cap;
	bool nomem;
};

static void j_raw(struct json *j, const char *s)
{
	size_t len = strlen(s);

	if (j->n + len > j->cap && !j->nomem) {
		size_t cap = j->cap ? j->cap : 16384;
		char *b;

		while (cap < j->n + len)
			cap *= 2;
		b = realloc(j->buf, cap);
		if (b) {
			j->buf = b;
			j->cap = cap;
		} else {
			j->nomem = true;
		}
	}
	if (j->nomem)
		return;
	memcpy(j->buf + j->n, s, len);
	j->n += len;
}

static void j_str(struct json *j, const char *s)
{
	char esc[8];

	if (!s) {
		j_raw(j, "null");
		return;
	}
	j_raw(j, "\"");
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\') {
			esc[0] = '\\';
			esc[1] = ch;
			esc[2] = '\0';
		} else if (ch < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", ch);
		} else {
			esc[0] = ch;
			esc[1] = '\0';
		}
		j_raw(j, esc);
	}
	j_raw(j, "\"");
}

static void j_key(struct json *j, const char *key, bool first)
{
	j_raw(j, first ? "\n    " : ",\n    ");
	j_str(j, key);
	j_raw(j, ": ");
}

static void j_num(struct json *j, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	j_raw(j, buf);
}

static void j_strv(struct json *j, char **v)
{
	j_raw(j, "[");
	for (size_t i = 0; v && v[i]; i++) {
		if (i)
			j_raw(j, ", ");
		j_str(j, v[i]);
	}
	j_raw(j, "]");
}

/* A key's words: null when no source set it. */
static void j_words(struct json *j, char **v)
{
	if (v)
		j_strv(j, v);
	else
		j_raw(j, "null");
}

/* inspect's "image": the record its last start applied, or null (none, or never started). */
static void j_image(struct json *j, const struct image_config *ic)
{
	j_raw(j, ",\n  \"image\": ");
	if (!ic) {
		j_raw(j, "null");
		return;
	}
	j_raw(j, "{");
	j_key(j, "name", true);
	j_str(j, ic->name);
	j_key(j, "digest", false);
	j_str(j, ic->digest);
	j_key(j, "source", false);
	j_str(j, ic->source);
	j_key(j, "size", false);
	j_num(j, ic->size);
	j_key(j, "layers", false);
	j_num(j, ic->layers);
	j_key(j, "exposed_ports", false);
	j_strv(j, ic->exposed_ports);
	j_key(j, "labels", false);
	j_raw(j, "{");
	for (size_t i = 0; i < ic->nlabels; i++) {
		j_raw(j, i ? ", " : "");
		j_str(j, ic->labels[i].key);
		j_raw(j, ": ");
		j_str(j, ic->labels[i].value);
	}
	j_raw(j, "}\n  }");
}

/* inspect's "state": what the supervisor knows of it now. */
static void j_state(struct json *j, const struct ctr *c)
{
	char status[600];

	ctr_status(c, status, sizeof(status));
	j_raw(j, ",\n  \"state\": {");
	j_key(j, "status", true);
	j_str(j, ctr_state_name(c->state));
	j_key(j, "pid", false);
	j_num(j, ctr_alive(c) ? c->pid : 0);
	j_key(j, "restarts", false);
	j_num(j, c->restarts);
	j_key(j, "exit_code", false);
	if (c->seq && !ctr_alive(c))
		j_num(j, rt_exit_code(c->status));
	else
		j_raw(j, "null");
	j_key(j, "oom_killed", false);
	j_raw(j, c->oom_kills ? "true" : "false");
	j_key(j, "log_file", false);
	/* null when it has none, or lost it to a full /run */
	if (output_has_log(c->idx)) {
		char path[600];

		snprintf(path, sizeof(path), KBOX_LOG_DIR "/%s.log", c->spec->name);
		j_str(j, path);
	} else {
		j_raw(j, "null");
	}
	j_key(j, "message", false);
	j_str(j, status[0] ? status : NULL);
	j_raw(j, "\n  }");
}

/* inspect's "spec": the keys as they were parsed. */
static void j_spec(struct json *j, const struct spec *s)
{
	static const char *const restarts[] = {"no", "on-failure", "always"};

	j_raw(j, ",\n  \"spec\": {");
	j_key(j, "image", true);
	j_str(j, s->image);
	j_key(j, "entrypoint", false);
	j_words(j, s->entrypoint);
	j_key(j, "cmd", false);
	j_words(j, s->cmd);
	j_key(j, "env", false);
	j_strv(j, s->env);
	j_key(j, "hostname", false);
	j_str(j, s->hostname);
	j_key(j, "workdir", false);
	j_str(j, s->workdir);
	j_key(j, "user", false);
	j_str(j, s->user);
	j_key(j, "readonly", false);
	j_raw(j, s->readonly ? "true" : "false");
	j_key(j, "seccomp", false);
	j_str(j, s->seccomp);
	j_key(j, "memory", false);
	j_num(j, s->memory);
	j_key(j, "cpus_milli", false);
	j_num(j, s->cpus_milli);
	j_key(j, "pids", false);
	j_num(j, s->pids);
	j_key(j, "restart", false);
	j_str(j, restarts[s->restart]);
	j_key(j, "init", false);
	j_raw(j, s->init ? "true" : "false");
	j_key(j, "after", false);
	j_strv(j, s->after);
	j_key(j, "volumes", false);
	j_raw(j, "[");
	for (size_t i = 0; i < s->nvolumes; i++) {
		j_raw(j, i ? ", {" : "{");
		j_key(j, "name", true);
		j_str(j, s->volumes[i].name);
		j_key(j, "path", false);
		j_str(j, s->volumes[i].dst);
		j_key(j, "ro", false);
		j_raw(j, s->volumes[i].ro ? "true" : "false");
		j_raw(j, "}");
	}
	j_raw(j, "]");
	j_raw(j, "\n  }");
}

static void do_inspect(struct client *cl, const struct ctr *c)
{
	struct json *j = calloc(1, sizeof(*j));

	if (!j) {
		reply_error(cl, 1, "inspect: %s", strerror(ENOMEM));
		return;
	}
	j_raw(j, "{\n  \"name\": ");
	j_str(j, c->spec->name);
	j_state(j, c);
	j_spec(j, c->spec);
	/* What it runs: the spec with its image's defaults (spec_apply_image). */
	j_raw(j, ",\n  \"argv\": ");
	j_strv(j, c->spec->argv);
	j_raw(j, ",\n  \"env\": ");
	j_strv(j, c->spec->run_env);
	j_image(j, c->spec->image_config);
	j_raw(j, "\n}\n");
	if (j->nomem) {
		free(j->buf);
		free(j);
		reply_error(cl, 1, "inspect: %s", strerror(ENOMEM));
		return;
	}
	for (size_t at = 0; at < j->n; at += MAX_MSG - 1)
		send_msg(cl, 'o', j->buf + at, j->n - at < MAX_MSG - 1 ? j->n - at : MAX_MSG - 1);
	free(j->buf);
	free(j);
	control_reply(cl, 0);
}

/* ---- start, stop, restart, exec ---- */

static void do_start(struct client *cl, const struct ctr *c)
{
	if (ctr_alive(c)) {
		reply_error(cl, 1, "%s: already running", c->spec->name);
		return;
	}
	if (c->state == CTR_INVALID) {
		reply_error(cl, 1, "%s: cannot start: %s", c->spec->name, c->spec->error);
		return;
	}
	if (sup_shutting_down()) {
		reply_error(cl, 1, "%s: not started: the machine is going down", c->spec->name);
		return;
	}
	/* A start that failed, reported before its process is reaped: a new run in its place
	 * would leave that exit to the orphans, unsaid and never released. */
	if (c->pid) {
		reply_error(cl, 1, "%s: its last start failed and it has not exited yet; try again",
			    c->spec->name);
		return;
	}
	if (sup_start(c->idx) < 0)
		reply_error(cl, 1, "%s: did not start (see the console)", c->spec->name);
	else
		control_reply(cl, 0);
}

/* Containers with a restart that no client waits for any more (see restart_unattended). */
static bool *unattended;

static void on_unattended(void *ctx, size_t i, bool exited)
{
	unattended[i] = false;
	if (!exited)
		restart_unattended(i); /* outlived its SIGKILL: start it once it does exit */
	else if (sup_shutting_down())
		log_msg("%s: not started again: the machine is going down", sup_at(i)->spec->name);
	else
		sup_start(i);
}

/* Start container I again once it has exited, for a kbox restart whose client is gone or
 * was answered early; a later kbox stop or restart takes its place. */
static void restart_unattended(size_t i)
{
	if (!unattended)
		unattended = calloc(sup_count(), sizeof(*unattended));
	if (unattended && sup_stop(i, on_unattended, NULL) == 0)
		unattended[i] = true;
}

/* sup_stop's completion: it has exited, or outlived its SIGKILL (EXITED false). */
static void on_stopped(void *ctx, size_t i, bool exited)
{
	const struct ctr *c = sup_at(i);
	struct client *cl = ctx;
	bool restart = cl->restart;

	cl->waits = cl->restart = false;
	if (exited && restart && sup_shutting_down()) {
		log_msg("%s: not started again: the machine is going down", c->spec->name);
		exited = false;
	} else if (exited && restart) {
		sup_start(i);
	}
	control_reply(cl, !exited || (!ctr_alive(c) && c->state == CTR_FAILED));
	if (!exited && restart)
		restart_unattended(i);
}

/* Answered once it has exited (and, for restart, started again). */
static void do_stop(struct client *cl, const struct ctr *c, bool restart)
{
	/* The shutdown stops it anyway; it would never start again. */
	if (restart && sup_shutting_down()) {
		reply_error(cl, 1, "%s: not restarted: the machine is going down", c->spec->name);
		return;
	}
	if (!ctr_alive(c)) {
		sup_cancel(c->idx);
		if (restart)
			do_start(cl, c);
		else
			control_reply(cl, 0);
		return;
	}
	/* Named once already: nothing will tell when it goes, so waiting would be for ever. */
	if (c->stuck) {
		reply_error(cl, 1, "%s: pid %d is still there after SIGKILL", c->spec->name,
			    (int)c->pid);
		return;
	}
	/* A second request of one that waits already: the first one's wait is its only one. */
	if (cl->waits) {
		reply_error(cl, 2, "one kbox stop or restart at a time");
		return;
	}
	if (unattended && unattended[c->idx]) {
		sup_stop_forget(c->idx);
		unattended[c->idx] = false;
	}
	if (sup_stop(c->idx, on_stopped, cl) < 0) {
		reply_error(cl, 1, "%s: is being stopped already", c->spec->name);
		return;
	}
	cl->waits = true;
	cl->stop_of = c->idx;
	cl->restart = restart;
}

static void do_exec(struct client *cl, const struct ctr *c, char **argv, const int fds[3])
{
	struct rt_opts o = {.images = KBOX_IMAGES, .state = KBOX_STATE, .cgroup_fd = -1};
	char path[512];
	pid_t pid;

	if (fds[0] < 0 || fds[1] < 0 || fds[2] < 0) {
		reply_error(cl, 2,
			    "exec: the client's stdin, stdout and stderr did not come along");
		return;
	}
	if (c->state != CTR_RUNNING) {
		reply_error(cl, 1, "%s: not running", c->spec->name);
		return;
	}
	/* Outside its cgroup a process of the container would have no memory limit and no
	 * device allowlist: no cgroup, no exec. */
	snprintf(path, sizeof(path), CG_KBOX "/%s", c->spec->name);
	o.cgroup_fd = open(path, O_DIRECTORY | O_CLOEXEC);
	if (o.cgroup_fd < 0) {
		reply_error(cl, 125, "%s: exec: cannot open its cgroup '%s': %s", c->spec->name,
			    path, strerror(errno));
		return;
	}
	pid = rt_exec(c->spec, &o, c->pid, fds, argv);
	close(o.cgroup_fd);
	if (pid < 0) {
		reply_error(cl, 125, "%s: exec: %s", c->spec->name, strerror(-pid));
		return;
	}
	cl->exec.pid = pid;
	cl->exec.reaped = on_exec_reaped;
	sup_child_add(&cl->exec);
}

/* ---- requests ---- */

static void dispatch(struct client *cl, int argc, char **argv, const int fds[3])
{
	const char *verb = argv[0];
	const struct ctr *c = NULL;

	if (!strcmp(verb, "ps") || !strcmp(verb, "stats")) {
		if (argc != 1) {
			reply_error(cl, 2, "%s takes no arguments", verb);
			return;
		}
		!strcmp(verb, "ps") ? do_ps(cl) : do_stats(cl);
		return;
	}
	if (!strcmp(verb, "poweroff") || !strcmp(verb, "reboot")) {
		control_reply(cl, 0);
		sup_shutdown(!strcmp(verb, "poweroff") ? RB_POWER_OFF : RB_AUTOBOOT,
			     !strcmp(verb, "poweroff") ? "kbox poweroff" : "kbox reboot");
		return;
	}
	if (argc >= 2)
		c = sup_find(argv[1]);
	if (argc >= 2 && !c) {
		reply_error(cl, 1, "no container '%s'", argv[1]);
		return;
	}
	if (!strcmp(verb, "exec") && argc >= 3) {
		do_exec(cl, c, argv + 2, fds);
	} else if (argc != 2) {
		reply_error(cl, 2, "'%s' needs a container name%s", verb,
			    !strcmp(verb, "exec") ? " and a command" : "");
	} else if (!strcmp(verb, "start")) {
		do_start(cl, c);
	} else if (!strcmp(verb, "stop") || !strcmp(verb, "restart")) {
		do_stop(cl, c, !strcmp(verb, "restart"));
	} else if (!strcmp(verb, "inspect")) {
		do_inspect(cl, c);
	} else {
		reply_error(cl, 2, "'%s' is not something PID 1 does", verb);
	}
}

/* The fds a request passed along (SCM_RIGHTS): the first three kept, the rest closed. */
static void take_fds(struct msghdr *mh, int fds[3])
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		int *p = (int *)CMSG_DATA(cm);

		for (size_t i = 0; i < k; i++) {
			if (i < 3 && fds[i] < 0)
				fds[i] = p[i];
			else
				close(p[i]);
		}
	}
}

static void on_client(struct watch *w, uint32_t events)
{
	struct client *cl = container_of(w, struct client, w);
	char buf[MAX_MSG + 1], cbuf[CMSG_SPACE(3 * sizeof(int))], *argv[MAX_ARGS + 1];
	struct iovec iov = {buf, MAX_MSG};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf)};
	int fds[3] = {-1, -1, -1}, argc = 0;
	ssize_t n;

	(void)events;
	n = recvmsg(w->fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n >= 0)
		take_fds(&mh, fds);
	if (n > 0)
		cl->asked = true;
	if (n <= 0 || cl->exec.pid) {
		/* Hung up (or talking out of turn during exec): forget it; a relay still
		 * running keeps its entry until it is reaped, but not a client's place: a
		 * command that outlives its client must not keep the next ones out. */
		if (cl->exec.pid) {
			watch_close(&cl->w);
			if (!cl->gone)
				nclients--;
			cl->gone = true;
		} else {
			client_free(cl);
		}
	} else if ((mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || buf[n - 1] != '\0') {
		reply_error(cl, 2,
			    "a request is verb and arguments, each ending in a NUL, under 64 KiB");
	} else {
		char *p = buf;

		for (; p < buf + n && argc < MAX_ARGS; p += strlen(p) + 1)
			argv[argc++] = p;
		argv[argc] = NULL;
		if (argv[0][0] == '\0')
			reply_error(cl, 2, "an empty request");
		else if (p < buf + n)
			reply_error(cl, 2, "a request has at most %d words", MAX_ARGS);
		else
			dispatch(cl, argc, argv, fds);
	}
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* The table is full: the client that has been silent longest, if for IDLE_MS, goes (or
 * else 64 connections that never ask anything would keep every other client out). */
static void drop_idle(void)
{
	struct client *idle = NULL;

	for (struct client *cl = clients; cl; cl = cl->next)
		if (!cl->asked && !cl->gone && (!idle || cl->since <= idle->since))
			idle = cl;
	if (idle && now_ms() - idle->since >= IDLE_MS)
		reply_error(idle, 1, "no request in %d ms; another client needed the place",
			    IDLE_MS);
}

void control_client(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct client *cl = calloc(1, sizeof(*cl));

	if (!cl) {
		close(fd);
		return;
	}
	if (nclients >= MAX_CLIENTS)
		drop_idle();
	cl->since = now_ms();
	cl->next = clients;
	clients = cl;
	nclients++;
	watch_add(&cl->w, fd, on_client);
	if (nclients > MAX_CLIENTS)
		reply_error(cl, 1, "PID 1 serves %d clients at once; try again", MAX_CLIENTS);
	else if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.uid != 0)
		reply_error(cl, 1, "only root may talk to PID 1");
}

static void on_accept(struct watch *w, uint32_t events)
{
	int fd;

	(void)events;
	for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
		fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			break;
		control_client(fd);
	}
}

void control_start(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX, .sun_path = KBOX_CONTROL_SOCK};
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	unlink(KBOX_CONTROL_SOCK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(KBOX_CONTROL_SOCK, 0600) < 0 || listen(fd, 16) < 0) {
		log_errno(-errno, "cannot listen on " KBOX_CONTROL_SOCK
				  "; kbox's CLI will not reach PID 1");
		if (fd >= 0)
			close(fd);
		return;
	}
	watch_add(&listener, fd, on_accept);
}

/* ---- client ---- */

int control_call(int argc, char **argv, bool pass_stdio)
{
	char buf[MAX_MSG + 1];
	ssize_t len = ctl_pack(buf, MAX_MSG, (const char *const *)argv, argc);
	_cleanup_close_ int fd = -1;
	int r;

	if (len < 0) {
		log_msg("%s: the request is too long", argv[0]);
		return 2;
	}
	fd = ctl_connect(KBOX_CONTROL_SOCK);
	if (fd < 0) {
		log_errno(fd,
			  "cannot reach PID 1 at " KBOX_CONTROL_SOCK " (is kbox the init here?)");
		return 1;
	}
	r = ctl_send(fd, buf, len, pass_stdio);
	if (r < 0) {
		log_errno(r, "cannot send to PID 1");
		return 1;
	}
	for (;;) {
		ssize_t n = recv(fd, buf, MAX_MSG, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_msg("PID 1 hung up without an answer");
			return 1;
		}
		if (buf[0] == 'x') {
			buf[n] = '\0';
			return atoi(buf + 1);
		}
		write_all(buf[0] == 'e' ? STDERR_FILENO : STDOUT_FILENO, buf + 1, n - 1);
	}
}
