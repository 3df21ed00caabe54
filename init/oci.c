/* kbox oci and kbox-runc: runc's global flags, the log (--log, --log-format), the verbs'
 * table, the version. */
#include "oci.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "cli.h"

#ifndef KBOX_VERSION
#define KBOX_VERSION "0.1.0-dev"
#endif
#ifndef KBOX_COMMIT
#define KBOX_COMMIT "unknown"
#endif

static const char usage[] =
	"usage: kbox-runc [GLOBAL FLAG...] VERB [FLAG...] [ID] (or: kbox oci ...)\n"
	"\n"
	"runc's command line over OCI bundles (runtime-spec " OCI_SPEC_VERSION ", Linux).\n"
	"global flags: --root DIR (default " OCI_ROOT_DEFAULT "), --log FILE,\n"
	"  --log-format text|json, --debug; --systemd-cgroup is refused\n"
	"verbs:\n"
	"  create [--bundle B] [--pid-file F] [--console-socket S] [--preserve-fds N] ID\n"
	"  start ID | state ID | pause ID | resume ID\n"
	"  run [--bundle B] [--detach] [--pid-file F] [--console-socket S] [--preserve-fds N] ID\n"
	"  kill [--all] ID [SIGNAL]      delete [--force] ID\n"
	"  exec [--process FILE] [--detach] [--tty] [--console-socket S] [--pid-file F]\n"
	"       [--cwd D] [--env K=V] [--user UID[:GID]] [--cap C] [--no-new-privs]\n"
	"       [--preserve-fds N] ID [CMD...]\n"
	"  update [--resources FILE|-] [--memory N] [--memory-swap N] [--memory-reservation N]\n"
	"         [--cpu-shares N] [--cpu-quota N] [--cpu-period N] [--cpuset-cpus S]\n"
	"         [--cpuset-mems S] [--pids-limit N] [--blkio-weight N] ID\n"
	"  ps [--format table|json] ID   list [--format table|json]\n"
	"  spec [--bundle B] [--rootless] features   version\n";

static int log_fd = -1;
static dev_t log_dev;
static ino_t log_ino;
static bool log_json;
static const char *ident = "kbox";

/* Every line goes to stderr, and with --log to the log too, in its format. */
static void write_log(const char *level, const char *line, size_t len)
{
	char buf[4200], when[40], *p;
	size_t ilen = strlen(ident);
	struct timespec ts;
	struct tm tm;
	int n;

	struct stat st;

	/* A runtime child that closed every fd may have the number for something else now. */
	if (log_fd < 0 || fstat(log_fd, &st) < 0 || st.st_dev != log_dev || st.st_ino != log_ino)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (len && line[len - 1] == '\n')
		len--;
	/* The message without our name before it: containerd shows msg to its user. */
	if (len > ilen + 2 && !strncmp(line, ident, ilen) && !strncmp(line + ilen, ": ", 2)) {
		line += ilen + 2;
		len -= ilen + 2;
	}
	if (len > 1024)
		len = 1024;
	/* logrus's two shapes, which runc writes and containerd reads. */
	if (log_json)
		n = snprintf(buf, sizeof(buf), "{\"level\":\"%s\",\"msg\":\"", level);
	else
		n = snprintf(buf, sizeof(buf), "time=\"%s\" level=%s msg=\"", when, level);
	/* The log escaped control bytes already: only '"' and '\\' are left. */
	p = buf + n;
	for (size_t i = 0; i < len && p < buf + sizeof(buf) - 64; i++) {
		if (line[i] == '"' || line[i] == '\\')
			*p++ = '\\';
		*p++ = line[i];
	}
	n = p - buf;
	if (log_json)
		n += snprintf(p, sizeof(buf) - n, "\",\"time\":\"%s\"}\n", when);
	else
		n += snprintf(p, sizeof(buf) - n, "\"\n");
	if (n > 0 && n < (int)sizeof(buf))
		(void)!write(log_fd, buf, n);
}

static void sink(const char *line, size_t len)
{
	ssize_t w = write(STDERR_FILENO, line, len);

	if (w > 0 && w < (ssize_t)len)
		(void)!write(STDERR_FILENO, line + w, len - w);
	write_log("error", line, len);
}

static bool debug;

int oci_log_fd(void)
{
	return log_fd;
}

void oci_debug(const char *fmt, ...)
{
	char line[1100];
	va_list ap;
	int n;

	if (!debug)
		return;
	n = snprintf(line, sizeof(line), "%s: ", ident);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (log_fd >= 0) {
		write_log("debug", line, strlen(line));
	} else {
		strcat(line, "\n");
		(void)!write(STDERR_FILENO, line, strlen(line));
	}
}

bool oci_flag(int argc, char **argv, int *i, const char *name, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	/* Go's flag package: -name and --name alike. */
	if (a[0] != '-')
		return false;
	a += a[1] == '-' ? 2 : 1;
	if (strncmp(a, name, n) || (a[n] && a[n] != '='))
		return false;
	if (!val) {
		/* A boolean may say --detach=true, as Go allows. */
		return !a[n] || !strcmp(a + n + 1, "true") || !strcmp(a + n + 1, "false");
	}
	if (a[n] == '=') {
		*val = a + n + 1;
		return true;
	}
	if (*i + 1 >= argc) {
		log_msg("flag needs an argument: --%s", name);
		*val = NULL;
		*i = argc;
		return true;
	}
	*val = argv[++*i];
	return true;
}

static int version(void)
{
	printf("kbox-runc version %s\ncommit: %s\nspec: %s\n", KBOX_VERSION, KBOX_COMMIT,
	       OCI_SPEC_VERSION);
	return 0;
}

static int version_main(const struct oci_global *g, int argc, char **argv)
{
	return version();
}

static int help_main(const struct oci_global *g, int argc, char **argv)
{
	fputs(usage, stdout);
	return 0;
}

static const struct {
	const char *name;
	int (*main)(const struct oci_global *g, int argc, char **argv);
} verbs[] = {
	{"create", oci_create_main},	 {"start", oci_start_main}, {"run", oci_run_main},
	{"state", oci_state_main},	 {"kill", oci_kill_main},   {"delete", oci_delete_main},
	{"exec", oci_exec_main},	 {"ps", oci_ps_main},	    {"pause", oci_pause_main},
	{"resume", oci_resume_main},	 {"list", oci_list_main},   {"spec", oci_spec_main},
	{"features", oci_features_main}, {"version", version_main}, {"help", help_main},
	{"update", oci_update_main},
};

static int open_log(const char *path)
{
	log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
	struct stat st;

	if (log_fd < 0)
		return log_errno(-errno, "--log: cannot open '%s'", path);
	if (fstat(log_fd, &st) < 0)
		return log_errno(-errno, "--log: '%s'", path);
	log_dev = st.st_dev;
	log_ino = st.st_ino;
	return 0;
}

/* argv[0] is the verb's caller's name (kbox-runc, or "oci" of kbox oci). */
int oci_main(int argc, char **argv, bool runc_name)
{
	struct oci_global g = {.root = OCI_ROOT_DEFAULT};
	const char *v, *log_path = NULL, *format = "text";
	int i = 1;

	ident = runc_name ? "kbox-runc" : "kbox";
	log_set_ident(ident);
	/* Whatever our caller left open is no business of a container's (CVE-2024-21626). */
	fds_cloexec_from(3);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (oci_flag(argc, argv, &i, "root", &v)) {
			g.root = v;
		} else if (oci_flag(argc, argv, &i, "log", &v)) {
			log_path = v;
		} else if (oci_flag(argc, argv, &i, "log-format", &v)) {
			format = v;
		} else if (oci_flag(argc, argv, &i, "debug", NULL)) {
			g.debug = debug = true;
		} else if (oci_flag(argc, argv, &i, "systemd-cgroup", NULL)) {
			log_msg("--systemd-cgroup: not supported: kbox manages cgroups itself, "
				"without systemd (set SystemdCgroup = false)");
			return 1;
		} else if (oci_flag(argc, argv, &i, "rootless", &v) ||
			   oci_flag(argc, argv, &i, "criu", &v)) {
			/* Noted once the log is open. */
		} else if (oci_flag(argc, argv, &i, "version", NULL) || !strcmp(argv[i], "-v")) {
			return version();
		} else if (oci_flag(argc, argv, &i, "help", NULL) || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			return 0;
		} else {
			log_msg("flag provided but not defined: %s", argv[i]);
			return 1;
		}
		if (i >= argc)
			return 1;
	}
	if (!g.root || !g.root[0]) {
		log_msg("--root: cannot be empty");
		return 1;
	}
	if (strcmp(format, "text") && strcmp(format, "json")) {
		log_msg("--log-format: '%s' is not text or json", format);
		return 1;
	}
	log_json = !strcmp(format, "json");
	if (log_path && open_log(log_path) < 0)
		return 1;
	log_set_sink(sink, NULL);
	/* runc's flags that do not apply here: a note in the log, not an error. */
	for (int k = 1; k < i; k++)
		if (strstr(argv[k], "rootless") || strstr(argv[k], "criu")) {
			char note[200];

			snprintf(note, sizeof(note), "%s: %s: ignored: %s", ident, argv[k],
				 strstr(argv[k], "criu") ? "kbox has no checkpoint and restore"
							 : "kbox runs as root");
			write_log("warning", note, strlen(note));
			oci_debug("%s", note + strlen(ident) + 2);
		}
	if (i >= argc) {
		fputs(usage, stderr);
		return 1;
	}
	for (size_t k = 0; k < ARRAY_SIZE(verbs); k++)
		if (!strcmp(argv[i], verbs[k].name)) {
			oci_debug("%s: root %s", argv[i], g.root);
			return verbs[k].main(&g, argc - i, argv + i) ? 1 : 0;
		}
	log_msg("'%s' is not a verb of kbox-runc; see 'kbox-runc help'", argv[i]);
	return 1;
}
