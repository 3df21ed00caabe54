/* kbox-init: a container's PID 1 with init=true, and a drop-in for tini and dumb-init. Runs
 * the payload, passes signals on to it, reaps every orphan and exits with its status. */
#include "reaper.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../runtime/runtime.h"
#include "../runtime/spec/spec.h"

#ifndef KBOX_VERSION
#define KBOX_VERSION "0.1.0-dev"
#endif

#define NSIG_MAX 65

extern char **environ;

/* Whose defaults apply: the name kbox was called by. */
enum reaper_flavour { REAPER_KBOX, REAPER_TINI, REAPER_DUMB };

enum { SAY_WARN = 1, SAY_INFO = 2, SAY_DEBUG = 3 };

struct reaper {
	const char *name;
	enum reaper_flavour flavour;
	int report;	       /* kbox's report fd (init=true), or -1 */
	int verbosity;	       /* 0 errors, 1 warnings, 2 info, 3 debug */
	bool subreaper;	       /* PR_SET_CHILD_SUBREAPER */
	bool asked_subreaper;  /* by -s or TINI_SUBREAPER, not by default: a failure is fatal */
	bool group;	       /* signals to the child's whole process group */
	bool session;	       /* the child leads a session of its own (dumb-init) */
	bool own_group;	       /* the child leads a process group of its own (not dumb-init) */
	bool warn_reap;	       /* a warning for each orphan reaped */
	bool tty;	       /* the child was given the terminal's foreground */
	int pdeathsig;	       /* signal to us when our parent dies, or 0 */
	uint32_t remap[8];     /* exit codes reported as 0 */
	int rewrite[NSIG_MAX]; /* a signal's replacement when forwarded, 0 drops it, -1 as is */
	char **cmd;
};

static const struct option long_opts[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"verbose", no_argument, NULL, 'v'},
	{"license", no_argument, NULL, 'l'},
	{"single-child", no_argument, NULL, 'c'},
	{"rewrite", required_argument, NULL, 'r'},
	{"subreaper", no_argument, NULL, 's'},
	{"process-group", no_argument, NULL, 'g'},
	{NULL, 0, NULL, 0},
};

static const char usage_text[] =
	"usage: %s [OPTIONS] [--] CMD [ARG...]\n"
	"Run CMD as the child of a small init: signals passed on, orphans reaped, CMD's exit\n"
	"status as its own (128+N for signal N).\n"
	"  -s, --subreaper        become a child subreaper (TINI_SUBREAPER)\n"
	"  -g, --process-group    signals to CMD's whole process group (TINI_KILL_PROCESS_GROUP)\n"
	"  -c, --single-child     signals to CMD only, CMD keeps our session (DUMB_INIT_SETSID=0)\n"
	"  -r, --rewrite S:R      pass signal S on as R (0: drop it); repeatable\n"
	"  -e CODE                report CODE (0-255) as 0; repeatable\n"
	"  -p SIGNAL              SIGNAL to us when our parent dies\n"
	"  -w                     warn for each orphan reaped\n"
	"  -v, --verbose          more messages, up to three times (TINI_VERBOSITY, "
	"DUMB_INIT_DEBUG)\n"
	"  -l, --license          print the license\n"
	"  -V, --version          print the version\n"
	"  -h, --help             print this help\n";

static bool has_bit(const uint32_t *set, int i)
{
	return set[i / 32] & (1u << (i % 32));
}

static void say(const struct reaper *r, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(const struct reaper *r, int level, const char *fmt, ...)
{
	va_list ap;

	if (r->verbosity < level)
		return;
	va_start(ap, fmt);
	log_vmsg(fmt, ap);
	va_end(ap);
}

static const char *sig_name(int sig)
{
	const char *n = spec_signal_name(sig);

	return n ? n : "RT";
}

static void set_defaults(struct reaper *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->report = -1;
	memset(r->rewrite, 0xff, sizeof(r->rewrite));
	if (!strcmp(name, "dumb-init")) {
		r->flavour = REAPER_DUMB;
		r->session = r->group = true;
		return;
	}
	/* docker run --init runs tini as docker-init; Debian installs it as tini-static. */
	r->flavour =
		strcmp(name, "tini") && strcmp(name, "tini-static") && strcmp(name, "docker-init")
			? REAPER_KBOX
			: REAPER_TINI;
	r->own_group = true;
	r->verbosity = SAY_WARN;
	/* Orphans come back to the nearest subreaper: without it they would escape us. */
	r->subreaper = r->flavour == REAPER_KBOX && getpid() != 1;
}

/* Each name reads its own tool's variables; the flags that follow win over them. */
static void read_env(struct reaper *r)
{
	const char *v;

	if (r->flavour == REAPER_DUMB) {
		v = getenv("DUMB_INIT_DEBUG");
		if (v && !strcmp(v, "1"))
			r->verbosity = SAY_DEBUG;
		v = getenv("DUMB_INIT_SETSID");
		if (v && !strcmp(v, "0"))
			r->session = r->group = false;
		return;
	}
	if (getenv("TINI_SUBREAPER"))
		r->subreaper = r->asked_subreaper = true;
	if (getenv("TINI_KILL_PROCESS_GROUP"))
		r->group = true;
	v = getenv("TINI_VERBOSITY");
	if (v)
		r->verbosity = atoi(v);
}

/* "S:R", each a number or a name; R may be 0, to drop S. Numbers as dumb-init reads them
 * (sscanf "%d:%d": blanks before each, anything after R ignored), so that its entrypoints
 * start; a rewrite of SIGKILL, SIGSTOP or SIGCHLD is accepted and has no effect (those
 * never reach the child through us). */
static int parse_rewrite(struct reaper *r, const char *arg)
{
	char from[32];
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : 0;
	int s, to;

	if (sscanf(arg, "%d:%d", &s, &to) != 2) {
		if (!colon || n >= sizeof(from))
			return -EINVAL;
		memcpy(from, arg, n);
		from[n] = '\0';
		s = spec_parse_signal(from);
		to = strcmp(colon + 1, "0") ? spec_parse_signal(colon + 1) : 0;
	}
	if (s <= 0 || to < 0 || s >= NSIG_MAX || to >= NSIG_MAX)
		return -EINVAL;
	r->rewrite[s] = to;
	return 0;
}

static int parse_code(struct reaper *r, const char *arg)
{
	char *end;
	long code = strtol(arg, &end, 10);

	if (!*arg || *end || code < 0 || code > 255)
		return -EINVAL;
	r->remap[code / 32] |= 1u << (code % 32);
	return 0;
}

/* 0 to go on; else 1 + the exit code for an option that ends the run (help, version). */
static int parse_args(struct reaper *r, int argc, char **argv)
{
	FILE *info = r->flavour == REAPER_DUMB ? stderr : stdout;
	int c;

	opterr = 1;
	while ((c = getopt_long(argc, argv, "+hsgcr:e:p:wvlV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fprintf(info, usage_text, r->name);
			return 1;
		case 'V':
			fprintf(info, "%s (kbox %s)\n", r->name, KBOX_VERSION);
			return 1;
		case 'l':
			fprintf(info,
				"%s is part of kbox %s, under the license of kbox's source tree.\n",
				r->name, KBOX_VERSION);
			return 1;
		case 's':
			r->subreaper = r->asked_subreaper = true;
			break;
		case 'g':
			r->group = true;
			break;
		case 'c':
			r->session = r->group = false;
			break;
		case 'w':
			r->warn_reap = true;
			break;
		case 'v':
			r->verbosity = r->verbosity < SAY_INFO ? SAY_INFO : r->verbosity + 1;
			if (r->flavour == REAPER_DUMB)
				r->verbosity = SAY_DEBUG;
			break;
		case 'r':
			if (parse_rewrite(r, optarg) < 0) {
				log_msg("-r: '%s' is not SIGNAL:SIGNAL (1-64, or 0 to drop)",
					optarg);
				return 2;
			}
			break;
		case 'e':
			if (parse_code(r, optarg) < 0) {
				log_msg("-e: '%s' is not an exit code from 0 to 255", optarg);
				return 2;
			}
			break;
		case 'p':
			r->pdeathsig = spec_parse_signal(optarg);
			if (r->pdeathsig <= 0 || r->pdeathsig >= NSIG_MAX) {
				log_msg("-p: '%s' is not a signal", optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, usage_text, r->name);
			return 2;
		}
	}
	r->cmd = argv + optind;
	if (!r->cmd[0]) {
		fprintf(stderr, usage_text, r->name);
		return 2;
	}
	/* In a new session, job-control stops would be discarded (an orphaned process group):
	 * the child gets SIGSTOP instead, as dumb-init does. */
	if (r->session)
		for (int s = SIGTSTP; s <= SIGTTOU; s++)
			if (r->rewrite[s] < 0)
				r->rewrite[s] = SIGSTOP;
	return 0;
}

static void forward(const struct reaper *r, pid_t child, int sig)
{
	int to = sig < NSIG_MAX && r->rewrite[sig] >= 0 ? r->rewrite[sig] : sig;

	if (!to) {
		say(r, SAY_DEBUG, "SIG%s dropped (rewritten to 0)", sig_name(sig));
		return;
	}
	if (kill(r->group ? -child : child, to) < 0) {
		if (errno != ESRCH)
			say(r, SAY_WARN, "SIG%s to %d: %s", sig_name(to), child, strerror(errno));
	} else {
		say(r, SAY_DEBUG, "SIG%s passed on to %s %d as SIG%s", sig_name(sig),
		    r->group ? "process group" : "pid", child, sig_name(to));
	}
}

/* The terminal goes to the child's group when ours holds its foreground: at the start, and
 * whenever that changes while we run (started with &, then fg). Its group is its pid. */
static bool claim_tty(struct reaper *r, pid_t child)
{
	if (!r->own_group || r->session || !isatty(STDIN_FILENO) ||
	    tcgetpgrp(STDIN_FILENO) != getpgrp())
		return false;
	r->tty = tcsetpgrp(STDIN_FILENO, child) == 0;
	return r->tty;
}

/* The child is gone: the foreground back to our group if it was left to the child's, so
 * that whoever ran us can read the terminal again (tini leaves it to the dead group). */
static void return_tty(const struct reaper *r, pid_t child)
{
	if (r->tty && tcgetpgrp(STDIN_FILENO) == child)
		tcsetpgrp(STDIN_FILENO, getpgrp());
}

/*
 * Job control: the init stops itself, so that the shell that started it sees its job
 * stopped, with the terminal back in the init's process group. Whatever continues us is a
 * SIGCONT, queued (it is blocked) by the time we run: take it here, give the terminal back
 * to the child and pass the SIGCONT on. As a namespace's PID 1 the kernel ignores our own
 * SIGSTOP: the child stays stopped until a SIGCONT reaches us from outside.
 */
static void suspend(struct reaper *r, pid_t child)
{
	const struct timespec zero = {0};
	sigset_t cont;

	if (getpid() == 1)
		return;
	return_tty(r, child);
	say(r, SAY_DEBUG, "stopping until a SIGCONT (job control)");
	kill(getpid(), SIGSTOP);
	sigemptyset(&cont);
	sigaddset(&cont, SIGCONT);
	sigtimedwait(&cont, NULL, &zero);
	claim_tty(r, child);
	forward(r, child, SIGCONT);
}

static int exit_code(const struct reaper *r, int status)
{
	int code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);

	code &= 255;
	return has_bit(r->remap, code) ? 0 : code;
}

/* The child has stopped. On SIGTTIN or SIGTTOU, if the terminal's foreground has come to
 * our group since (fg), it goes to the child, which goes on; else a stop on a terminal we
 * gave it (^Z) stops us too, so that our shell sees the job stopped. */
static void child_stopped(struct reaper *r, pid_t child, int sig)
{
	if ((sig == SIGTTIN || sig == SIGTTOU) && claim_tty(r, child)) {
		say(r, SAY_DEBUG, "the terminal is ours again: to the child, which goes on");
		forward(r, child, SIGCONT);
	} else if (r->tty) {
		suspend(r, child);
	}
}

/* SIGCHLDs coalesce: reap all that has exited. The child's exit code once it has, else -1. */
static int reap(struct reaper *r, pid_t child)
{
	int status, code = -1;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG | WUNTRACED)) > 0 ||
	       (pid < 0 && errno == EINTR)) {
		if (pid < 0)
			continue;
		if (pid != child) {
			if (r->warn_reap && !WIFSTOPPED(status))
				say(r, SAY_WARN, "reaped orphan %d", pid);
			continue;
		}
		if (WIFSTOPPED(status)) {
			child_stopped(r, child, WSTOPSIG(status));
			continue;
		}
		code = exit_code(r, status);
		say(r, SAY_INFO, "'%s' (pid %d) %s %d, exit code %d", r->cmd[0], child,
		    WIFSIGNALED(status) ? "killed by signal" : "exited with",
		    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), code);
	}
	return code;
}

/* Every signal at its default, 32-34 included (raw rt_sigaction: libc refuses those). */
static void signals_default(void)
{
	struct {
		void (*handler)(int);
		unsigned long flags;
		void (*restorer)(void);
		unsigned long long mask;
	} dfl = {SIG_DFL, 0, NULL, 0};

	for (int s = 1; s < NSIG_MAX; s++)
		if (s != SIGKILL && s != SIGSTOP)
			syscall(SYS_rt_sigaction, s, &dfl, NULL, sizeof(dfl.mask));
}

/* A file that exists but has no #! (ENOEXEC): run it with /bin/sh, as execvp does for tini
 * and dumb-init. Found the way rt_exec_payload finds it, in the PATH of our environment. */
static void exec_sh(char **cmd)
{
	const char *path = getenv("PATH");
	char buf[4096];
	size_t argc = 0;

	while (cmd[argc])
		argc++;
	char *argv[argc + 2];

	if (!path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (;;) {
		size_t n = strcspn(path, ":");

		if (strchr(cmd[0], '/'))
			snprintf(buf, sizeof(buf), "%s", cmd[0]);
		else
			snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, n ? path : ".", cmd[0]);
		if (access(buf, X_OK) == 0)
			break;
		if (strchr(cmd[0], '/') || !path[n])
			return;
		path += n + 1;
	}
	argv[0] = "sh";
	argv[1] = buf;
	memcpy(argv + 2, cmd + 1, argc * sizeof(char *));
	execve("/bin/sh", argv, environ);
	errno = ENOEXEC;
}

/* The child's side: its process group (or session) and terminal, its signals, then the
 * payload. dumb-init's child starts with every signal unblocked and at its default; tini's
 * with its caller's mask and ignored signals (as tini restores them). SIGCHLD is at its
 * default under every name: an inherited SIG_IGN would break the child's own waitpid. */
static __attribute__((noreturn)) void run_child(const struct reaper *r, const sigset_t *mask)
{
	sigset_t none;
	int code;

	if (r->session) {
		setsid();
		if (ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0)
			say(r, SAY_DEBUG, "no controlling terminal for the child: %s",
			    strerror(errno));
	} else if (r->own_group) {
		setpgid(0, 0);
		/* Here rather than in the parent: an init under an init may have given its
		 * own group the terminal only after our fork. SIGTTOU is still blocked. */
		if (r->tty)
			tcsetpgrp(STDIN_FILENO, getpgrp());
	}
	sigemptyset(&none);
	if (r->flavour == REAPER_DUMB)
		signals_default();
	sigprocmask(SIG_SETMASK, r->flavour == REAPER_DUMB ? &none : mask, NULL);
	code = rt_exec_payload(r->cmd, environ, -1);
	if (errno == ENOEXEC)
		exec_sh(r->cmd);
	if (r->report >= 0)
		code = rt_exec_payload(r->cmd, environ, r->report); /* kbox's report of why */
	else
		log_msg("exec '%s': %s", r->cmd[0], strerror(errno));
	_exit(r->flavour == REAPER_DUMB ? 2 : code);
}

/* dumb-init's setsid mode: let go of our terminal so that the child's session can take it.
 * Letting go as a session leader sends SIGHUP and SIGCONT to the terminal's foreground
 * group, which is ours: they are queued by now, and not the child's to get. */
static void release_tty(const struct reaper *r)
{
	const struct timespec zero = {0};
	sigset_t hup;

	if (ioctl(STDIN_FILENO, TIOCNOTTY) < 0 || getsid(0) != getpid())
		return;
	sigemptyset(&hup);
	sigaddset(&hup, SIGHUP);
	sigaddset(&hup, SIGCONT);
	while (sigtimedwait(&hup, NULL, &zero) > 0)
		say(r, SAY_DEBUG,
		    "let go of the terminal, its SIGHUP and SIGCONT are not passed on");
}

/* Become the init: every signal blocked (read by sigwaitinfo), SIGCHLD at its default, the
 * parent-death signal, the subreaper, and the terminal's fate. 0, or the exit code. */
static int become_init(struct reaper *r, sigset_t *all, sigset_t *old)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};

	/* Every signal arrives through sigwaitinfo, faults included: one sent with kill is
	 * passed on, a real fault of ours still kills us (the kernel unblocks it). Blocked
	 * SIGTTIN and SIGTTOU also keep our own messages from stopping us. All 64: musl's
	 * sigfillset leaves out the 32-34 it keeps for itself, whose default would kill us. */
	memset(all, 0xff, sizeof(*all));
	sigprocmask(SIG_SETMASK, all, old);
	/* An ignored SIGCHLD would reap our children before we saw them (and theirs). */
	sigaction(SIGCHLD, &dfl, NULL);
	if (r->pdeathsig && prctl(PR_SET_PDEATHSIG, r->pdeathsig) < 0)
		return log_errno(-errno, "parent-death signal"), 1;
	if (r->subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		if (r->asked_subreaper)
			return log_errno(-errno, "cannot become a child subreaper"), 1;
		say(r, SAY_WARN, "cannot become a child subreaper: %s", strerror(errno));
		r->subreaper = false;
	}
	if (getpid() != 1 && !r->subreaper)
		say(r, SAY_WARN,
		    "not PID 1 nor a subreaper: orphans will not come back to it (-s)");
	if (r->session)
		release_tty(r);
	else
		/* The terminal goes to the child only if it is ours to give. */
		r->tty = r->own_group && isatty(STDIN_FILENO) &&
			 tcgetpgrp(STDIN_FILENO) == getpgrp();
	return 0;
}

/* One signal sent to us. tini passes SIGTSTP on and goes on, and ignores SIGTTIN and
 * SIGTTOU; kbox-init and dumb-init pass each on, then stop (job control). */
static void on_signal(struct reaper *r, pid_t child, int sig)
{
	bool stop = sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;

	say(r, SAY_DEBUG, "got SIG%s", sig_name(sig));
	if (r->flavour == REAPER_TINI && (sig == SIGTTIN || sig == SIGTTOU)) {
		say(r, SAY_DEBUG, "SIG%s ignored, as tini does", sig_name(sig));
		return;
	}
	/* fg: the terminal may be ours again, to hand on before the child goes on. */
	if (sig == SIGCONT)
		claim_tty(r, child);
	forward(r, child, sig);
	if (stop && r->flavour != REAPER_TINI && r->rewrite[sig] != 0)
		suspend(r, child);
}

/* Pass every signal on and reap until CHILD has exited: its exit code. */
static int supervise(struct reaper *r, pid_t child, const sigset_t *all)
{
	for (;;) {
		int sig = sigwaitinfo(all, NULL), code;

		if (sig < 0)
			continue;
		if (sig != SIGCHLD) {
			on_signal(r, child, sig);
			continue;
		}
		code = reap(r, child);
		if (code < 0)
			continue;
		return_tty(r, child);
		/* dumb-init's last word to what is left of the child's group. */
		if (r->flavour == REAPER_DUMB)
			forward(r, child, SIGTERM);
		return code;
	}
}

/* kbox starts us as kbox-init REPORT_FD CMD...: a number, 3 or more, and an open socket
 * (its start report), so that kbox-init 1 echo hi is still a command named 1. */
static int report_arg(const char *arg)
{
	struct stat st;
	int fd;

	if (!arg[0] || arg[strspn(arg, "0123456789")] || strlen(arg) > 9)
		return -1;
	fd = atoi(arg);
	if (fd < 3 || fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
		return -1;
	return fd;
}

/* argv: kbox-init REPORT_FD CMD... as kbox starts it (init=true), or NAME [OPTIONS] CMD...
 * on its own, as tini and dumb-init are used. */
int reaper_main(int argc, char **argv)
{
	struct reaper r;
	sigset_t all, old;
	const char *base = strrchr(argv[0], '/');
	pid_t child;
	int code;

	set_defaults(&r, base ? base + 1 : argv[0]);
	log_set_ident(r.name);
	if (r.flavour == REAPER_KBOX && argc >= 3 && report_arg(argv[1]) >= 0) {
		r.report = atoi(argv[1]);
		r.cmd = argv + 2;
		fcntl(r.report, F_SETFD, FD_CLOEXEC);
	} else {
		read_env(&r);
		code = parse_args(&r, argc, argv);
		if (code)
			return code - 1;
	}
	code = become_init(&r, &all, &old);
	if (code)
		return code;
	child = fork();
	if (child < 0)
		return log_errno(-errno, "fork"), 1;
	if (child == 0)
		run_child(&r, &old);
	/* Both sides set the group, so that a signal to it right away reaches the child. */
	if (r.own_group && !r.session)
		setpgid(child, child);
	/* kbox reads the report until the last copy closes: the payload's exec closes its. */
	if (r.report >= 0)
		close(r.report);
	if (r.flavour == REAPER_DUMB && chdir("/") < 0)
		say(&r, SAY_DEBUG, "chdir /: %s", strerror(errno));
	say(&r, SAY_INFO, "'%s' started, pid %d", r.cmd[0], child);
	return supervise(&r, child, &all);
}
