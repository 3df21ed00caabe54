/* kbox run's flags: the spec keys, Docker's names for them, run's own flags, usage errors. */
#include <errno.h>
#include <sys/resource.h>

#include "../../lib/util.h"
#include "../../runtime/spec/capnames.h"
#include "../../runtime/spec/runflags.h"
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
	ok(s->nvolumes == 0, "-v /SRC:DST is no volume");
	is_int(s->ntmpfs, 1, "--tmpfs");
	is_int(s->userns.outside, 100000, "--userns");
	ok(!set.errors, "no errors");

	/* Docker's rule: a source without a leading '/' is a volume's name. */
	is_int(run("run -v dbdata:/var/lib/db --volume=conf:/etc/app:ro -v /srv:/srv "
		   "--volume /etc:/etc2:ro --volume dbdata:/backup img"),
	       0, "-v and --volume, volumes and binds");
	s = spec_find(&set, "run-1");
	is_int(s->nvolumes, 3, "-v NAME:/path is a volume");
	is_str(s->volumes[0].name, "dbdata", "its name");
	is_str(s->volumes[0].dst, "/var/lib/db", "its path");
	ok(s->volumes[1].ro && !s->volumes[0].ro, "--volume=NAME:/path:ro");
	is_int(s->nbinds, 2, "-v /src:/path is a bind");
	is_str(s->binds[1].src, "/etc", "--volume /src:/path too");
	ok(!set.errors, "no errors");
	is_int(run("run -v ./rel:/x img"), 0, "a relative source");
	is_str(err0(),
	       "run-1: volume: './rel' is not a volume name (letters, digits, '_' and '-', "
	       "up to 63) (-v)",
	       "-v ./rel:/x is neither: a bind's source is absolute, './rel' no volume name");
	is_int(run("run -v data img"), 0, "a name alone");
	is_str(err0(), "run-1: volume: 'data' is not NAME:/destination[:ro] (-v)",
	       "-v NAME without a path is refused (Docker's anonymous volumes are not kept)");
	is_int(run("run --volume=data:/a --name x img"), 0, "--volume=...");
	ok(spec_find(&set, "x") && spec_find(&set, "x")->nvolumes == 1, "under --name given later");

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

	/* Docker's spellings reach the same strict numbers, and errors name the flag. */
	{
		static const struct {
			const char *line, *error;
		} cases[] = {
			{"run -u 4294967296 img",
			 "run-1: user: '4294967296' is out of range (0..4294967294) (-u)"},
			{"run -u 4294967295 img",
			 "run-1: user: '4294967295' is out of range (0..4294967294) (-u)"},
			{"run -u 99999999999 img",
			 "run-1: user: '99999999999' is out of range (0..4294967294) (-u)"},
			{"run -u 0:4294967296 img", "run-1: user: '0:4294967296': '4294967296' is "
						    "out of range (0..4294967294) (-u)"},
			{"run -u -1 img",
			 "run-1: user: '-1' is not a user, uid, user:group or uid:gid (-u)"},
			{"run --pids-limit 4194305 img",
			 "run-1: pids: '4194305' is out of range (1..4194304) (--pids-limit)"},
			{"run --pids-limit -1 img",
			 "run-1: pids: '-1' is not a number of processes or max (--pids-limit)"},
			{"run -m 9223372036854775808 img",
			 "run-1: memory: '9223372036854775808' is out of range "
			 "(6M..9223372036854775807) (-m)"},
			{"run --cpus 1025 img",
			 "run-1: cpus: '1025' is out of range (0.001..1024) (--cpus)"},
			{"run --cpuset-cpus 0-4096 img", "run-1: cpuset: '0-4096': '4096' is out "
							 "of range (0..4095) (--cpuset-cpus)"},
			{"run --network bridge -p 65536:80 img",
			 "run-1: publish: '65536:80': '65536' is out of range (1..65535) (-p)"},
			{"run --ulimit nofile=1048577 img",
			 "run-1: rlimit_nofile: '1048577' is out of range (0..1048576) (--ulimit)"},
			{"run --ulimit core=0:18446744073709551616 img",
			 "run-1: rlimit_core: '0:18446744073709551616': '18446744073709551616' is "
			 "out of "
			 "range (0..18446744073709551614 or unlimited) (--ulimit)"},
			{"run --stop-timeout 86401 img",
			 "run-1: stop_timeout: '86401' is out of range (0..24h) (--stop-timeout)"},
			{"run --userns 0:4294967295:1 img",
			 "run-1: userns: '0:4294967295:1': the range does not fit in 32-bit ids "
			 "(--userns)"},
			{"run --storage-opt size=512k img",
			 "run-1: storage_size: '512k' is below the minimum of 1M (--storage-opt)"},
			{"run --storage-size 8192P img",
			 "run-1: storage_size: '8192P' is out of range (1M..9223372036854775807) "
			 "(--storage-size)"},
		};

		for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
			is_int(run(cases[i].line), 0, "%s parses", cases[i].line);
			is_str(err0(), cases[i].error, "%s is refused", cases[i].line);
		}
	}
	is_int(run("run -u 4294967294:0100 --pids-limit 4194304 --cpuset-cpus 0004095 "
		   "--ulimit core=18446744073709551614 --stop-timeout 86400 "
		   "--storage-opt size=1M img"),
	       0, "the largest values");
	s = spec_find(&set, "run-1");
	ok(!set.errors, "are accepted: %s", err0());
	is_str(s->user, "4294967294:100", "-u 4294967294:0100 lands as 4294967294:100");
	is_int(s->pids, 4194304, "--pids-limit 4194304");
	is_str(s->cpuset, "4095", "--cpuset-cpus 0004095 is CPU 4095");
	ok(s->rlimits[0].soft == 18446744073709551614ULL, "--ulimit core=2^64-2 is not unlimited");
	is_int(s->stop_timeout_ms, 86400000, "--stop-timeout 86400 is a day");
	is_int(s->storage_size, 1 << 20, "--storage-opt size=1M");
	is_int(run("run --storage-opt quota=1 img"), -EINVAL, "other --storage-opt");
	is_str(err, "--storage-opt: only size=VALUE is known, not 'quota=1'", "is a usage error");

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
