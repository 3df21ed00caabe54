/* kbox run's flags: the spec keys, Docker's names for them, run's own flags, usage errors. */
#include <errno.h>
#include <sys/resource.h>

#include "../../lib/util.h"
#include "../../runtime/capnames.h"
#include "../../runtime/runflags.h"
#include "../tap.h"

static struct spec_set set;
static struct run_flags rf;
static char err[256];

/* Parse a space-separated command line; the words stay valid until the next call. */
static int run(const char *line)
{
	static char buf[1024];
	static char *argv[64];
	int argc = 0, r;

	spec_set_free(&set);
	spec_set_init(&set);
	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok(buf, " "); w && argc < 63; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	err[0] = '\0';
	r = spec_parse_run_flags(&set, argc, argv, "run-1", &rf, err, sizeof(err));
	if (r == 0 && !rf.help)
		spec_set_key(&set, rf.name, "image", argv[rf.image], "IMAGE");
	spec_finish(&set);
	return r;
}

static const char *err0(void)
{
	return set.errors ? set.errors[0] : NULL;
}

int main(void)
{
	struct spec *s;

	is_int(run("run busybox"), 0, "an image alone");
	is_str(rf.name, "run-1", "the default name");
	is_int(rf.image, 1, "IMAGE is argv[1]");
	ok(!rf.rm && !rf.interactive, "no --rm, no -i");

	is_int(run("run --name web --rm -i -e A=1 --env B=2 -m 64M --cpus=0.5 -u nobody -w /tmp "
		   "-h box --read-only --cap-add NET_ADMIN --cap-drop ALL --pids-limit 20 "
		   "--cpuset-cpus 0 --ulimit nofile=100:200 --security-opt seccomp=unconfined "
		   "-v /etc:/mnt:ro --tmpfs /scratch:1M --userns 0:100000:65536 busybox sh -c "
		   "true"),
	       0, "every Docker spelling");
	s = spec_find(&set, "web");
	ok(s != NULL, "--name names the container");
	ok(rf.rm && rf.interactive, "--rm and -i");
	is_int(rf.image, 37, "IMAGE is found after the flags");
	is_int(strv_len(s->env), 2, "-e and --env accumulate");
	is_int(s->memory, 64 << 20, "-m 64M");
	is_int(s->cpus_milli, 500, "--cpus=0.5");
	is_str(s->user, "nobody", "-u");
	is_str(s->workdir, "/tmp", "-w");
	is_str(s->hostname, "box", "-h is the hostname, as in Docker");
	ok(s->readonly, "--read-only takes no value");
	is_int(s->caps_drop, (long long)((1ULL << CAP_COUNT) - 1), "--cap-drop ALL");
	is_int(s->pids, 20, "--pids-limit");
	is_str(s->cpuset, "0", "--cpuset-cpus");
	is_int(s->nrlimits, 1, "--ulimit");
	is_int(s->rlimits[0].resource, RLIMIT_NOFILE, "--ulimit nofile=");
	is_int(s->rlimits[0].hard, 200, "with its hard limit");
	is_str(s->seccomp, "unconfined", "--security-opt seccomp=");
	is_int(s->nbinds, 1, "-v");
	ok(s->nbinds && s->binds[0].ro, "-v ...:ro");
	is_int(s->ntmpfs, 1, "--tmpfs");
	is_int(s->userns.outside, 100000, "--userns");
	ok(!set.errors, "no errors");

	is_int(run("run --cpu-weight 50 --io_weight=20 --readonly --timens img"), 0, "key names");
	s = spec_find(&set, "run-1");
	is_int(s->cpu_weight, 50, "--cpu-weight is the key cpu_weight");
	is_int(s->io_weight, 20, "--io_weight=20");
	ok(s->readonly && s->timens, "--readonly and --timens are flags");

	is_int(run("run --init --restart on-failure:2 --stop-signal INT --stop-timeout 3s img"), 0,
	       "supervision flags");
	s = spec_find(&set, "run-1");
	ok(s->init, "--init takes no value");
	is_int(s->restart_max, 2, "--restart on-failure:2");
	is_int(s->stop_signal, 2, "--stop-signal INT");
	is_int(s->stop_timeout_ms, 3000, "--stop-timeout 3s");

	is_int(run("run --network bridge -p 8080:80 --sysctl net.ipv4.ip_forward=1 img"), 0,
	       "network flags");
	s = spec_find(&set, "run-1");
	is_int(s->net, SPEC_NET_BRIDGE, "--network");
	is_int(s->npublish, 1, "-p");
	is_int(strv_len(s->sysctls), 1, "--sysctl");

	is_int(run("run -- -weird"), 0, "-- ends the flags");
	is_int(rf.image, 2, "IMAGE after --");

	is_int(run("run --memory 64Q busybox"), 0, "a bad value is the spec's error");
	is_str(err0(), "run-1: memory: '64Q' is not a size (like 64M or 1.5G) or max (--memory)",
	       "named by its flag");
	is_int(run("run -m 10M --memory 20M busybox"), 0, "a scalar key twice");
	is_str(err0(), "run-1: memory: given twice, '20M' again (--memory)", "is an error");
	is_int(run("run --frobnicate 1 busybox"), 0, "an unknown long flag is an unknown key");
	is_str(err0(), "run-1: frobnicate: unknown key (--frobnicate)", "and says so");
	is_int(run("run --name bad.name busybox"), 0, "a bad name");
	ok(err0() && strstr(err0(), "not a valid container name"), "is refused: %s", err0());

	is_int(run("run -x busybox"), -EINVAL, "an unknown short flag");
	is_str(err, "unknown flag '-x'", "is a usage error");
	is_int(run("run --memory"), -EINVAL, "a flag without its value");
	is_str(err, "flag '--memory' needs a value", "says which");
	is_int(run("run --rm"), -EINVAL, "no IMAGE");
	ok(strstr(err, "an IMAGE is needed") != NULL, "says what is needed");
	is_int(run("run --ulimit nofile busybox"), -EINVAL, "--ulimit without =");
	is_int(run("run --security-opt apparmor=x busybox"), -EINVAL, "other --security-opt");
	is_int(run("run --help"), 0, "--help");
	ok(rf.help, "asks for help");

	spec_set_free(&set);
	return done();
}
