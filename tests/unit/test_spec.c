/* The spec parser: kernel command line rules, conf files, every key and error class. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <sys/resource.h>

#include "../../lib/util.h"
#include "../../runtime/spec/capnames.h"
#include "../../runtime/spec/cmdline.h"
#include "../../runtime/spec/conf.h"
#include "../tap.h"

static struct spec_set set;

static void parse(const char *cmdline)
{
	spec_set_free(&set);
	spec_set_init(&set);
	is_int(spec_parse_cmdline(&set, cmdline), 0, "parse: %s", cmdline);
	is_int(spec_finish(&set), 0, "finish");
}

static const char *err0(void)
{
	return set.errors ? set.errors[0] : NULL;
}

static void test_cmdline_quotes(void)
{
	struct spec *s;

	parse("console=ttyS0 kbox.hello.image=busybox kbox.hello.cmd=\"echo hi from kbox\" quiet");
	s = spec_find(&set, "hello");
	ok(s != NULL, "container hello exists");
	is_str(s->image, "busybox", "image");
	is_int(strv_len(s->cmd), 4, "cmd has four words");
	is_str(s->cmd[3], "kbox", "last word");
	is_str(s->hostname, "hello", "hostname defaults to the name");
	is_str(s->workdir, "/", "workdir defaults to /");
	ok(!s->error && !set.errors, "no errors");

	/* Single quotes group inside the kernel's double quotes; $ is not expanded. */
	parse("kbox.a.cmd=\"sh -c 'echo $HOSTNAME'\"");
	s = spec_find(&set, "a");
	is_int(strv_len(s->cmd), 3, "sh -c 'echo $HOSTNAME' is three words");
	is_str(s->cmd[2], "echo $HOSTNAME", "the quoted word is kept whole");
	is_str(s->image, "busybox", "image defaults to busybox");

	/* A whole parameter in quotes, as the kernel allows. */
	parse("\"kbox.b.cmd=echo a b\" kbox.c.cmd=true");
	is_int(strv_len(spec_find(&set, "b")->cmd), 3, "quoted parameter");
	is_str(spec_find(&set, "c")->cmd[0], "true", "next parameter after a quoted one");

	/* After " -- " the parameters belong to init's argv, not to us. */
	parse("kbox.d.cmd=true -- kbox.e.cmd=false");
	ok(spec_find(&set, "d") && !spec_find(&set, "e"), "-- ends the kernel's parameters");

	parse("");
	ok(set.specs == NULL && set.errors == NULL, "empty command line");
	parse("   \t ");
	ok(set.specs == NULL, "blank command line");
	parse("kbox.f.cmd=\"unterminated");
	is_str(spec_find(&set, "f")->cmd[0], "unterminated", "an unterminated kernel quote");
}

static void test_keys(void)
{
	struct spec *s;

	parse("kbox.w.workdir=/srv kbox.w.hostname=web-1.local kbox.w.pid=host "
	      "kbox.w.env=A=1 kbox.w.env=B=x=y kbox.w.env=A=2 kbox.w.image=/opt/img");
	s = spec_find(&set, "w");
	is_str(s->workdir, "/srv", "workdir");
	is_str(s->hostname, "web-1.local", "hostname");
	ok(s->pid_host, "pid=host");
	is_int(strv_len(s->env), 2, "env: a repeated name replaces");
	is_str(s->env[0], "A=2", "env A replaced in place");
	is_str(s->env[1], "B=x=y", "env value keeps its '='");
	is_str(s->image, "/opt/img", "image as an absolute path");
	ok(!set.errors, "no errors");

	parse("kbox.p.pid=private");
	ok(!spec_find(&set, "p")->pid_host, "pid=private");
}

static void test_volumes(void)
{
	struct spec *s;

	parse("kbox.v.volume=dbdata:/var/lib/db kbox.v.volume=conf:/etc/app:ro "
	      "kbox.v.volume=dbdata:/backup:rw");
	s = spec_find(&set, "v");
	ok(s && !s->error, "volume= parses, repeatable");
	if (!s)
		return;
	is_int(s->nvolumes, 3, "three volumes");
	is_str(s->volumes[0].name, "dbdata", "a volume's name");
	is_str(s->volumes[0].dst, "/var/lib/db", "its path in the container");
	ok(!s->volumes[0].ro && s->volumes[1].ro && !s->volumes[2].ro, "volume :ro, :rw, rw by "
								       "default");
	is_str(s->volumes[2].name, "dbdata", "one volume at two paths");
}

static void test_isolation_keys(void)
{
	struct spec *s;

	parse("kbox.i.user=1000:1000 kbox.i.readonly=true kbox.i.timens=1 "
	      "kbox.i.caps_add=NET_ADMIN,cap_sys_time kbox.i.caps_drop=MKNOD kbox.i.caps_drop=KILL "
	      "kbox.i.seccomp=/etc/kbox/strict.seccomp kbox.i.bind=/srv:/data:ro kbox.i.bind=/a:/b "
	      "kbox.i.tmpfs=/run:64M kbox.i.tmpfs=/cache kbox.i.userns=0:100000:65536 "
	      "kbox.i.memory=64M kbox.i.memory_swap=128M kbox.i.cpus=0.5 kbox.i.cpu_weight=200 "
	      "kbox.i.pids=100 kbox.i.cpuset=0-1,3 kbox.i.io_weight=50 "
	      "kbox.i.rlimit_nofile=1024:4096 kbox.i.rlimit_core=0 kbox.i.rlimit_nofile=512:2048");
	s = spec_find(&set, "i");
	ok(s && !s->error, "every isolation key parses");
	if (!s)
		return;
	is_str(s->user, "1000:1000", "user");
	ok(s->readonly && s->timens, "readonly and timens");
	is_int(s->caps_add,
	       (1ULL << cap_from_name("NET_ADMIN")) | (1ULL << cap_from_name("SYS_TIME")),
	       "caps_add, with or without CAP_, any case");
	is_int(s->caps_drop, (1ULL << cap_from_name("MKNOD")) | (1ULL << cap_from_name("KILL")),
	       "caps_drop accumulates");
	is_str(s->seccomp, "/etc/kbox/strict.seccomp", "seccomp profile path");
	is_int(s->nbinds, 2, "two binds");
	is_str(s->binds[0].src, "/srv", "bind source");
	is_str(s->binds[0].dst, "/data", "bind destination");
	ok(s->binds[0].ro && !s->binds[1].ro, "bind :ro, and rw by default");
	ok(s->nvolumes == 0, "no volume unless one is named");
	is_int(s->ntmpfs, 2, "two tmpfs");
	is_int(s->tmpfs[0].size, 64 << 20, "tmpfs size");
	is_int(s->tmpfs[1].size, 0, "tmpfs without a size");
	is_int(s->userns.outside, 100000, "userns outside");
	is_int(s->userns.count, 65536, "userns count");
	is_int(s->memory, 64 << 20, "memory");
	is_int(s->memory_swap, 128 << 20, "memory_swap");
	is_int(s->cpus_milli, 500, "cpus 0.5");
	is_int(s->cpu_weight, 200, "cpu_weight");
	is_int(s->pids, 100, "pids");
	is_str(s->cpuset, "0-1,3", "cpuset");
	is_int(s->io_weight, 50, "io_weight");
	is_int(s->nrlimits, 2, "rlimits: one per resource");
	is_int(s->rlimits[0].resource, RLIMIT_NOFILE, "nofile");
	is_int(s->rlimits[0].soft * 10000 + s->rlimits[0].hard, 512 * 10000 + 2048,
	       "a later rlimit_nofile replaces the earlier");
	is_int(s->rlimits[1].hard, 0, "rlimit_core=0 sets both limits");

	parse("kbox.d.cmd=true");
	s = spec_find(&set, "d");
	is_str(s->seccomp, "default", "seccomp defaults to default");
	ok(!s->readonly && !s->userns.count && !s->memory && !s->cpus_milli,
	   "no limits by default");

	parse("kbox.a.caps_add=ALL kbox.a.pids=max kbox.a.memory=max kbox.a.cpus=2 "
	      "kbox.a.rlimit_core=unlimited");
	s = spec_find(&set, "a");
	is_int(s->caps_add, (1ULL << CAP_COUNT) - 1, "caps_add=ALL");
	is_int(s->pids, SPEC_UNLIMITED, "pids=max");
	is_int(s->memory, SPEC_UNLIMITED, "memory=max");
	is_int(s->cpus_milli, 2000, "cpus=2");
	ok(s->rlimits[0].soft == RLIM_INFINITY, "rlimit unlimited");
}

static void test_supervision_keys(void)
{
	struct spec *s;
	unsigned ms = 0;

	parse("kbox.a.restart=on-failure:3 kbox.a.stop_signal=SIGINT kbox.a.stop_timeout=500ms "
	      "kbox.b.restart=always kbox.b.after=a kbox.b.init=true kbox.c.after=a,b "
	      "kbox.c.after=b kbox.c.stop_signal=hup kbox.c.stop_timeout=0");
	ok(!set.errors, "no errors: %s", err0());
	s = spec_find(&set, "a");
	is_int(s->restart, SPEC_RESTART_ON_FAILURE, "restart=on-failure:3");
	is_int(s->restart_max, 3, "at most 3 restarts");
	is_int(s->stop_signal, SIGINT, "stop_signal=SIGINT");
	is_int(s->stop_timeout_ms, 500, "stop_timeout=500ms");
	ok(!s->init && !s->after, "no init, no after");
	s = spec_find(&set, "b");
	is_int(s->restart, SPEC_RESTART_ALWAYS, "restart=always");
	is_int(s->stop_signal, SIGTERM, "stop_signal defaults to SIGTERM");
	is_int(s->stop_timeout_ms, 10000, "stop_timeout defaults to 10 s");
	ok(s->init, "init=true");
	is_int(strv_len(spec_find(&set, "c")->after), 3, "after accumulates");
	is_int(spec_find(&set, "c")->stop_signal, SIGHUP, "stop_signal=hup");
	is_int(spec_find(&set, "c")->stop_timeout_ms, 0, "stop_timeout=0 kills at once");
	is_int(spec_find(&set, "c")->restart, SPEC_RESTART_NO, "restart defaults to no");

	parse("kbox.a.log=file kbox.b.log=none kbox.c.log=console kbox.log_max=64k");
	is_int(spec_find(&set, "a")->log, SPEC_LOG_FILE, "log=file");
	is_int(spec_find(&set, "b")->log, 0, "log=none");
	is_int(spec_find(&set, "c")->log, SPEC_LOG_CONSOLE, "log=console");
	is_int(set.log_max, 65536, "kbox.log_max=64k");
	parse("kbox.a.cmd=true");
	is_int(spec_find(&set, "a")->log, SPEC_LOG_CONSOLE | SPEC_LOG_FILE, "log defaults to both");
	is_int(set.log_max, 0, "log_max unset");

	parse("kbox.n.net=bridge kbox.n.ip=10.88.0.5/16 kbox.n.publish=8080:80 "
	      "kbox.n.publish=5353:53/udp kbox.n.sysctl=net.ipv4.ip_forward=1 "
	      "kbox.n.sysctl=kernel.shmmax=65536 kbox.h.net=host "
	      "kbox.h.sysctl=fs.mqueue.msg_max=20");
	ok(!set.errors, "network keys: no errors: %s", err0());
	s = spec_find(&set, "n");
	is_int(s->net, SPEC_NET_BRIDGE, "net=bridge");
	is_str(s->ip, "10.88.0.5/16", "ip");
	is_int(s->npublish, 2, "publish accumulates");
	is_int(s->publish[0].host_port * 100000 + s->publish[0].ctr_port, 8080 * 100000 + 80,
	       "publish=8080:80");
	ok(s->publish[1].udp && !s->publish[0].udp, "/udp");
	is_int(strv_len(s->sysctls), 2, "sysctl accumulates");
	is_int(spec_find(&set, "h")->net, SPEC_NET_HOST, "net=host");
	parse("kbox.d.cmd=true");
	is_int(spec_find(&set, "d")->net, SPEC_NET_BRIDGE, "net defaults to bridge");

	ok(spec_parse_duration("1.5m", &ms) == 0 && ms == 90000, "1.5m is 90000 ms");
	ok(spec_parse_duration("30", &ms) == 0 && ms == 30000, "a bare number is seconds");
	ok(spec_parse_duration("2h", &ms) == 0 && ms == 7200000, "2h");
	ok(spec_parse_duration("2d", &ms) < 0, "2d is refused");
	ok(spec_parse_duration("-1s", &ms) < 0, "-1s is refused");
	ok(spec_parse_duration("25h", &ms) < 0, "more than a day is refused");
	ok(spec_parse_duration("24h", &ms) == 0 && ms == 86400000, "24h is the most");
	ok(spec_parse_duration("24.0001h", &ms) == -ERANGE, "24.0001h is too much");
	ok(spec_parse_duration("0.0005s", &ms) == 0 && ms == 1, "0.0005s rounds to 1 ms");
	ok(spec_parse_duration("0.4ms", &ms) == 0 && ms == 0, "0.4ms rounds to 0");
	ok(spec_parse_duration("4294967296ms", &ms) == -ERANGE, "2^32 ms does not wrap to 0");
	ok(spec_parse_duration("0x10", &ms) == -EINVAL, "no hexadecimal (strtod took 0x10)");
	ok(spec_parse_duration("1e3", &ms) == -EINVAL, "no exponent");
	ok(spec_parse_duration("10 s", &ms) == -EINVAL, "no blank before the unit");
	ok(spec_parse_duration(".5s", &ms) == -EINVAL, "a digit before the point");
	is_int(spec_parse_signal("9"), 9, "a signal number");
	is_int(spec_parse_signal("SIGKILL"), 9, "SIGKILL");
	is_int(spec_parse_signal("usr1"), SIGUSR1, "usr1");
	is_int(spec_parse_signal("SIGNOPE"), -EINVAL, "an unknown name");
	is_int(spec_parse_signal("65"), -ERANGE, "a number past 64");
	is_int(spec_parse_signal("4294967311"), -ERANGE, "2^32 + 15 is not 15");
	is_int(spec_parse_signal("+15"), -EINVAL, "a signed number");
	is_str(spec_signal_name(SIGTERM), "TERM", "the name of 15");
}

static void test_sizes(void)
{
	static const struct {
		const char *in;
		int r;
		long long want;
	} cases[] = {
		{"100", 0, 100},
		{"1k", 0, 1024},
		{"64M", 0, 64 << 20},
		{"64m", 0, 64 << 20},
		{"1.5G", 0, 3LL << 29},
		{"2GiB", 0, 2LL << 30},
		{"1T", 0, 1LL << 40},
		{"512b", 0, 512},
		{"0.5k", 0, 512},
		{"64MB", 0, 64 << 20},
		{"0", 0, 0},
		{"0.3k", 0, 307}, /* a fraction of a byte is cut off */
		{"0064M", 0, 64 << 20},
		{"1P", 0, 1LL << 50},
		{"8191P", 0, 8191LL << 50},
		{"8191.999P", 0, 9223370910954868965LL},
		{"8191.9999999999999999999999P", 0, 9223372036854775807LL},
		{"1.999999999T", 0, 2199023254452LL},
		{"8388607T", 0, 8388607LL << 40},
		{"9223372036854775807", 0, 9223372036854775807LL},
		{"8192P", -ERANGE, 0},
		{"8388608T", -ERANGE, 0},
		{"9007199254740992k", -ERANGE, 0},
		{"17179869184G", -ERANGE, 0},
		{"9223372036854775808", -ERANGE, 0},
		{"18446744073709551616", -ERANGE, 0},
		{"99999999999999999999999999999", -ERANGE, 0},
		{"99999999999T", -ERANGE, 0},
		{"", -EINVAL, 0},
		{"64Q", -EINVAL, 0},
		{"-1M", -EINVAL, 0},
		{"+1M", -EINVAL, 0},
		{" 1M", -EINVAL, 0},
		{"1 M", -EINVAL, 0},
		{"1.M", -EINVAL, 0},
		{".5M", -EINVAL, 0},
		{"M", -EINVAL, 0},
		{"0x10", -EINVAL, 0},
		{"1e3", -EINVAL, 0},
		{"64M ", -EINVAL, 0},
		{"1ib", -EINVAL, 0},
		{"1kk", -EINVAL, 0},
	};
	char buf[32];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		long long got = -1;
		int r = spec_parse_size(cases[i].in, &got);

		is_int(r, cases[i].r, "size '%s': %s", cases[i].in,
		       cases[i].r ? cases[i].r == -ERANGE ? "too large" : "not a size" : "a size");
		if (cases[i].r == 0)
			is_int(got, cases[i].want, "size '%s' is %lld bytes", cases[i].in,
			       cases[i].want);
	}
	spec_format_size(64 << 20, buf, sizeof(buf));
	is_str(buf, "64M", "format 64M");
	spec_format_size(3LL << 29, buf, sizeof(buf));
	is_str(buf, "1536M", "format 1.5G exactly");
	spec_format_size(1000, buf, sizeof(buf));
	is_str(buf, "1000", "format bytes");
}

static void test_errors(void)
{
	static const struct {
		const char *cmdline, *error;
	} cases[] = {
		{"kbox.x.foo=1", "x: foo: unknown key (cmdline)"},
		{"kbox.x.image=a/b",
		 "x: image: 'a/b' is not an image name or an absolute path (cmdline)"},
		{"kbox.x.cmd=\"  \"", "x: cmd: empty command (cmdline)"},
		{"kbox.x.cmd=\"sh -c 'oops\"",
		 "x: cmd: unterminated ' quote in 'sh -c 'oops' (cmdline)"},
		{"kbox.x.workdir=srv", "x: workdir: 'srv' is not an absolute path (cmdline)"},
		{"kbox.x.hostname=-bad", "x: hostname: '-bad' is not a valid hostname (cmdline)"},
		{"kbox.x.pid=shared", "x: pid: 'shared' is not host or private (cmdline)"},
		{"kbox.x.env=NOVALUE", "x: env: 'NOVALUE' is not NAME=value (cmdline)"},
		{"kbox.x.env=A-B=1", "x: env: 'A-B' is not a variable name (cmdline)"},
		{"kbox.x.image", "x: image: missing '=value' (cmdline)"},
		{"kbox.x.image=a kbox.x.image=b", "x: image: given twice, 'b' again (cmdline)"},
		{"kbox.x.y.z=1", "kbox.x.y.z: too many dots in the key (cmdline)"},
		{"kbox.b@d.cmd=true", "'b@d': not a valid container name (cmdline)"},
		{"kbox.exit=never", "kbox.exit: 'never' is not poweroff, reboot or stay (cmdline)"},
		{"kbox.shell=maybe", "kbox.shell: 'maybe' is not 1 or 0 (cmdline)"},
		{"kbox.hostname=a_b", "kbox.hostname: 'a_b' is not a valid hostname (cmdline)"},
		{"kbox.nope=1", "kbox.nope: unknown key (cmdline)"},
		{"kbox.exit=stay kbox.exit=poweroff",
		 "kbox.exit: given twice, 'poweroff' again (cmdline)"},
		{"kbox.x.restart=sometimes", "x: restart: 'sometimes' is not no, on-failure[:N], "
					     "always or unless-stopped (cmdline)"},
		{"kbox.x.restart=on-failure:0",
		 "x: restart: 'on-failure:0': '0' is out of range (1..1000000) (cmdline)"},
		{"kbox.x.stop_signal=SIGFOO",
		 "x: stop_signal: 'SIGFOO' is not a signal (like SIGTERM, TERM or 15) (cmdline)"},
		{"kbox.x.stop_timeout=soon",
		 "x: stop_timeout: 'soon' is not a duration (like 10s, 500ms or 2m) (cmdline)"},
		{"kbox.x.stop_timeout=25h",
		 "x: stop_timeout: '25h' is out of range (0..24h) (cmdline)"},
		{"kbox.x.after=b@d", "x: after: 'b@d' is not a container name (cmdline)"},
		{"kbox.x.after=ghost", "x: after: 'ghost' is not a container (spec)"},
		{"kbox.x.after=y kbox.y.after=z kbox.z.after=x",
		 "x: after: a cycle: x -> y -> z -> x (spec)"},
		{"kbox.x.after=x", "x: after: a cycle: x -> x (spec)"},
		{"kbox.x.net=wifi", "x: net: 'wifi' is not bridge, none or host (cmdline)"},
		{"kbox.x.net=bridge kbox.x.ip=10.88.0.300/16",
		 "x: ip: '10.88.0.300/16' is not auto or an address with its prefix (10.88.0.5/16) "
		 "(cmdline)"},
		{"kbox.x.net=none kbox.x.ip=auto", "x: ip: needs net=bridge (spec)"},
		{"kbox.x.net=bridge kbox.x.publish=80",
		 "x: publish: '80' is not HOSTPORT:CTRPORT[/udp] (cmdline)"},
		{"kbox.x.net=bridge kbox.x.publish=70000:80",
		 "x: publish: '70000:80': '70000' is out of range (1..65535) (cmdline)"},
		{"kbox.x.net=bridge kbox.x.publish=80:80/sctp",
		 "x: publish: '80:80/sctp': the protocol is tcp or udp, not 'sctp' (cmdline)"},
		{"kbox.x.net=bridge kbox.x.publish=80:80 kbox.x.publish=80:81",
		 "x: publish: '80:81': host port 80 is published twice (cmdline)"},
		{"kbox.w.net=bridge kbox.w.publish=8080:80 kbox.x.net=bridge "
		 "kbox.x.publish=8080:81",
		 "x: publish: host port 8080/tcp is published by w already (spec)"},
		{"kbox.x.sysctl=kernel.hostname=evil",
		 "x: sysctl: 'kernel.hostname' is not namespaced (net.*, kernel.shm*, kernel.msg*, "
		 "kernel.sem, fs.mqueue.*): it would change the appliance (cmdline)"},
		{"kbox.x.sysctl=net.ipv4.ip_forward",
		 "x: sysctl: 'net.ipv4.ip_forward' is not NAME=VALUE (cmdline)"},
		{"kbox.x.sysctl=net/../x=1",
		 "x: sysctl: 'net/../x' is not a sysctl name (cmdline)"},
		{"kbox.x.net=host kbox.x.sysctl=net.ipv4.ip_forward=1",
		 "x: sysctl: 'net.ipv4.ip_forward=1' needs a network namespace of its own; "
		 "net=host "
		 "shares the appliance's (spec)"},
		{"kbox.x.log=syslog",
		 "x: log: 'syslog' is not console, file, both or none (cmdline)"},
		{"kbox.log_max=1k", "kbox.log_max: '1k' is not a size of 4k or more (cmdline)"},
		{"kbox.x.init=perhaps", "x: init: 'perhaps' is not true or false (cmdline)"},
		{"kbox.x.memory=64Q",
		 "x: memory: '64Q' is not a size (like 64M or 1.5G) or max (cmdline)"},
		{"kbox.x.memory=1M", "x: memory: '1M' is below the minimum of 6M (cmdline)"},
		{"kbox.x.memory_swap=64M", "x: memory_swap: needs a memory limit too (spec)"},
		{"kbox.x.memory=64M kbox.x.memory_swap=32M",
		 "x: memory_swap: is memory and swap together: it cannot be below memory (spec)"},
		{"kbox.x.cpus=0", "x: cpus: '0' is out of range (0.001..1024) (cmdline)"},
		{"kbox.x.cpus=1.5.2", "x: cpus: '1.5.2' is not a number of CPUs like 0.5 or 2 "
				      "(3 decimals at most) (cmdline)"},
		{"kbox.x.cpus=0.0005", "x: cpus: '0.0005' is not a number of CPUs like 0.5 or 2 "
				       "(3 decimals at most) (cmdline)"},
		{"kbox.x.cpus=1024.001",
		 "x: cpus: '1024.001' is out of range (0.001..1024) (cmdline)"},
		{"kbox.x.cpu_weight=0", "x: cpu_weight: '0' is out of range (1..10000) (cmdline)"},
		{"kbox.x.io_weight=10001",
		 "x: io_weight: '10001' is out of range (1..10000) (cmdline)"},
		{"kbox.x.pids=-5", "x: pids: '-5' is not a number of processes or max (cmdline)"},
		{"kbox.x.user=4294967296",
		 "x: user: '4294967296' is out of range (0..4294967294) (cmdline)"},
		{"kbox.x.user=99999999999",
		 "x: user: '99999999999' is out of range (0..4294967294) (cmdline)"},
		{"kbox.x.user=1abc",
		 "x: user: '1abc' is not a user, uid, user:group or uid:gid (cmdline)"},
		{"kbox.x.user=app:4294967295", "x: user: 'app:4294967295': '4294967295' is out of "
					       "range (0..4294967294) (cmdline)"},
		{"kbox.x.userns=0:100000:0", "x: userns: '0:100000:0': the count must be 1 or more "
					     "(cmdline)"},
		{"kbox.x.userns=0:18446744073709551615:1",
		 "x: userns: '0:18446744073709551615:1': the range does not fit in 32-bit ids "
		 "(cmdline)"},
		{"kbox.x.rlimit_nofile=unlimited",
		 "x: rlimit_nofile: 'unlimited' is not soft[:hard] "
		 "(numbers or unlimited) (cmdline)"},
		{"kbox.x.rlimit_core=18446744073709551615",
		 "x: rlimit_core: '18446744073709551615' is out of range "
		 "(0..18446744073709551614 or unlimited) (cmdline)"},
		{"kbox.x.cpuset=0-1,4096",
		 "x: cpuset: '0-1,4096': '4096' is out of range (0..4095) "
		 "(cmdline)"},
		{"kbox.x.stop_signal=0", "x: stop_signal: '0' is out of range (1..64) (cmdline)"},
		{"kbox.x.memory=8192P",
		 "x: memory: '8192P' is out of range (6M..9223372036854775807) (cmdline)"},
		{"kbox.x.storage_size=512k", "x: storage_size: '512k' is below the minimum of 1M "
					     "(cmdline)"},
		{"kbox.x.storage_size=lots",
		 "x: storage_size: 'lots' is not a size (like 256M or 1G) (cmdline)"},
		{"kbox.subnet=10.0.0.0/30",
		 "kbox.subnet: '10.0.0.0/30': '30' is out of range (8..29) "
		 "(cmdline)"},
		{"kbox.x.cpuset=1-0", "x: cpuset: '1-0' is not a CPU list like 0-1,3 (cmdline)"},
		{"kbox.x.cpuset=0,,1", "x: cpuset: '0,,1' is not a CPU list like 0-1,3 (cmdline)"},
		{"kbox.x.caps_add=NET_ADMIN,FLY",
		 "x: caps_add: 'FLY' is not a capability (cmdline)"},
		{"kbox.x.caps_drop=KILL,", "x: caps_drop: 'KILL,' ends with a comma (cmdline)"},
		{"kbox.x.seccomp=strict",
		 "x: seccomp: 'strict' is not default, unconfined or an absolute path (cmdline)"},
		{"kbox.x.bind=/a", "x: bind: '/a' is not /source:/destination[:ro] (cmdline)"},
		{"kbox.x.bind=a:/b", "x: bind: 'a:/b' is not /source:/destination[:ro] (cmdline)"},
		{"kbox.x.bind=/a:/b:rx",
		 "x: bind: '/a:/b:rx': mode 'rx' is not ro or rw (cmdline)"},
		{"kbox.x.tmpfs=/t:big", "x: tmpfs: 'big' is not a size (cmdline)"},
		{"kbox.x.volume=data", "x: volume: 'data' is not NAME:/destination[:ro] (cmdline)"},
		{"kbox.x.volume=:/data",
		 "x: volume: ':/data' is not NAME:/destination[:ro] (cmdline)"},
		{"kbox.x.volume=data:rel",
		 "x: volume: 'data:rel' is not NAME:/destination[:ro] (cmdline)"},
		{"kbox.x.volume=/srv:/data", "x: volume: '/srv:/data': a path is no volume name "
					     "(bind= binds a path) (cmdline)"},
		{"kbox.x.volume=.hidden:/data",
		 "x: volume: '.hidden' is not a volume name (letters, "
		 "digits, '_' and '-', up to 63) (cmdline)"},
		{"kbox.x.volume=../up:/data", "x: volume: '../up' is not a volume name (letters, "
					      "digits, '_' and '-', up to 63) (cmdline)"},
		{"kbox.x.volume=a/b:/data", "x: volume: 'a/b' is not a volume name (letters, "
					    "digits, '_' and '-', up to 63) (cmdline)"},
		{"kbox.x.volume=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:/"
		 "d",
		 "x: volume: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is "
		 "not "
		 "a volume name (letters, digits, '_' and '-', up to 63) (cmdline)"},
		{"kbox.x.volume=data:/d:rx", "x: volume: 'data:/d:rx': mode 'rx' is not ro or rw "
					     "(cmdline)"},
		{"kbox.x.volume=a:/d kbox.x.volume=b:/d",
		 "x: volume: 'b:/d': '/d' holds volume 'a' already (cmdline)"},
		{"kbox.x.userns=0:100000",
		 "x: userns: '0:100000' is not inside:outside:count (cmdline)"},
		{"kbox.x.userns=1:100000:10", "x: userns: '1:100000:10': the map must start at 0, "
					      "the container's root (cmdline)"},
		{"kbox.x.userns=0:4294967294:2",
		 "x: userns: '0:4294967294:2': the range does not fit in 32-bit ids (cmdline)"},
		{"kbox.x.user=a:b:c",
		 "x: user: 'a:b:c' is not a user, uid, user:group or uid:gid (cmdline)"},
		{"kbox.x.readonly=sometimes",
		 "x: readonly: 'sometimes' is not true or false (cmdline)"},
		{"kbox.x.rlimit_speed=1",
		 "x: rlimit_speed: 'speed' is not a resource limit (cmdline)"},
		{"kbox.x.rlimit_nofile=4096:1024",
		 "x: rlimit_nofile: '4096:1024': the soft limit is above the hard one (cmdline)"},
		{"kbox.x.rlimit_nofile=lots",
		 "x: rlimit_nofile: 'lots' is not soft[:hard] (numbers or unlimited) (cmdline)"},
		{"kbox.x.memory=64M kbox.x.memory=128M",
		 "x: memory: given twice, '128M' again (cmdline)"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		parse(cases[i].cmdline);
		is_str(err0(), cases[i].error, "error for %s", cases[i].cmdline);
	}

	/* A bad container does not spoil a good one. */
	parse("kbox.bad.memory=64Q kbox.good.cmd=true");
	ok(spec_find(&set, "bad")->error != NULL, "the bad container is marked");
	ok(spec_find(&set, "good")->error == NULL, "the good one is not");
	is_int(strv_len(set.errors), 1, "one error");
}

static void test_globals(void)
{
	parse("kbox.hostname=appliance kbox.exit=poweroff kbox.shell=1");
	is_str(set.hostname, "appliance", "global hostname");
	is_int(set.exit, SPEC_EXIT_POWEROFF, "exit=poweroff");
	ok(set.shell, "shell=1");
	parse("kbox.exit=reboot kbox.shell=no");
	is_int(set.exit, SPEC_EXIT_REBOOT, "exit=reboot");
	ok(!set.shell, "shell=no");
	parse("quiet");
	is_int(set.exit, SPEC_EXIT_STAY, "exit defaults to stay");
}

static void test_conf(void)
{
	struct spec *s;

	spec_set_free(&set);
	spec_set_init(&set);
	is_int(spec_parse_conf(&set, NULL, "# globals\nhostname = box\n\nexit=poweroff\n",
			       "/etc/kbox/kbox.conf"),
	       0, "global conf");
	is_int(spec_parse_conf(&set, "web",
			       "# web server\n"
			       "image   = busybox\n"
			       "cmd     = httpd -f -p 80   # the comment goes\n"
			       "env     = GREETING=hello#world\n"
			       "env = MODE=conf\n",
			       "/etc/kbox/web.conf"),
	       0, "container conf");
	/* The command line overrides the file key by key; it is not a duplicate. */
	is_int(spec_parse_cmdline(&set,
				  "kbox.web.cmd=\"httpd -f -p 8080\" kbox.web.env=MODE=cmdline"),
	       0, "cmdline after conf");
	is_int(spec_finish(&set), 0, "finish");
	s = spec_find(&set, "web");
	is_str(set.hostname, "box", "hostname from kbox.conf");
	is_int(set.exit, SPEC_EXIT_POWEROFF, "exit from kbox.conf");
	is_str(s->image, "busybox", "image from the file");
	is_str(s->cmd[3], "8080", "cmd from the command line wins");
	is_str(s->env[0], "GREETING=hello#world", "'#' inside a value stays");
	is_str(s->env[1], "MODE=cmdline", "env from the command line replaces by name");
	ok(set.errors == NULL, "no errors");

	is_int(spec_parse_conf(&set, "web", "image = a\nimage = b\nworkdir\nmemroy = 1\n",
			       "/etc/kbox/web.conf"),
	       0, "conf with errors");
	is_str(set.errors[0], "web: image: given twice, 'b' again (/etc/kbox/web.conf:2)",
	       "duplicate in a file names the line");
	is_str(set.errors[1], "web: workdir: missing '=value' (/etc/kbox/web.conf:3)",
	       "a line without '='");
	is_str(set.errors[2], "web: memroy: unknown key (/etc/kbox/web.conf:4)", "unknown key");
	is_int(spec_parse_conf(&set, "bad.name", "cmd = x\n", "/etc/kbox/bad.name.conf"), 0,
	       "bad file name");
	is_str(set.errors[3], "'bad.name': not a valid container name (/etc/kbox/bad.name.conf)",
	       "a file whose name is not a container name");
}

static void test_split_words(void)
{
	char err[128], **w;

	is_int(spec_split_words(" a  'b c'\"d\"e ", &w, err, sizeof(err)), 0, "split");
	is_int(strv_len(w), 2, "two words");
	is_str(w[1], "b cde", "quotes join with what touches them");
	strv_free(w);
	is_int(spec_split_words("''", &w, err, sizeof(err)), 0, "an empty quoted word");
	is_str(w[0], "", "is kept");
	strv_free(w);
	is_int(spec_split_words("\"", &w, err, sizeof(err)), -EINVAL, "unterminated");
}

/*
 * The boundary table: every numeric key of the spec language gets the same hostile values
 * through the kernel command line (quoted, so blanks reach the parser): its minimum and
 * maximum, one past each, 2^31, 2^32, 2^63, 2^64, a sign, blanks, a base prefix, leading
 * zeros and nothing at all. What is accepted must land exactly; what is not must be refused
 * with the reason. In the messages @V stands for the whole value and @N for the number.
 */
/* Where an accepted value lands: a number in container x's spec (or in the set, for a
 * global), len bytes wide, at off or in the first element of the array whose pointer is
 * there; or, with len 0, a string there and its number (the one after its last sep). */
struct place {
	bool global, first;
	size_t off, elem_off, len;
	char sep;
};

/* clang-format off */
#define MEMBER_SIZE(type, m) sizeof(((type *)0)->m)
#define X_NUM(m) {false, false, offsetof(struct spec, m), 0, MEMBER_SIZE(struct spec, m), 0}
#define X_FIRST(m, type, em) \
	{false, true, offsetof(struct spec, m), offsetof(type, em), MEMBER_SIZE(type, em), 0}
#define X_STR(m, sep) {false, false, offsetof(struct spec, m), 0, 0, sep}
#define SET_NUM(m) \
	{true, false, offsetof(struct spec_set, m), 0, MEMBER_SIZE(struct spec_set, m), 0}
#define SET_STR(m, sep) {true, false, offsetof(struct spec_set, m), 0, 0, sep}
/* clang-format on */

struct bound {
	const char *key;  /* "x.KEY" for container x, or a global's name */
	const char *tmpl; /* the value, with %s where the number goes */
	unsigned long long min, max;
	unsigned long long scale; /* what one unit of the number lands as (ms for seconds) */
	struct place at;
	const char *nan_err;   /* not a number */
	const char *range_err; /* above max (and below min unless low_err) */
	const char *low_err;
};

static struct spec *x(void)
{
	return spec_find(&set, "x");
}

static unsigned long long landed(const struct place *p)
{
	const char *at = (p->global ? (const char *)&set : (const char *)x()) + p->off;
	uint32_t u32;
	uint64_t u64;

	if (p->first)
		at = *(const char *const *)at + p->elem_off;
	if (!p->len) {
		const char *str = *(const char *const *)at;
		const char *sep = p->sep && str ? strrchr(str, p->sep) : NULL;

		return strtoull(sep ? sep + 1 : str ? str : "", NULL, 10);
	}
	if (p->len == sizeof(u32)) {
		memcpy(&u32, at, sizeof(u32));
		return u32;
	}
	memcpy(&u64, at, sizeof(u64));
	return u64;
}

#define U32 "4294967294"
#define LL "9223372036854775807"
#define U64 "18446744073709551614"
static const struct bound bounds[] = {
	{"x.user", "%s", 0, 4294967294, 1, X_STR(user, 0),
	 "'@V' is not a user, uid, user:group or uid:gid", "'@V' is out of range (0.." U32 ")",
	 NULL},
	{"x.user", "0:%s", 0, 4294967294, 1, X_STR(user, ':'),
	 "'@V' is not a user, uid, user:group or uid:gid",
	 "'@V': '@N' is out of range (0.." U32 ")", NULL},
	{"x.userns", "0:%s:1", 0, 4294967294, 1, X_NUM(userns.outside),
	 "'@V' is not inside:outside:count", "'@V': the range does not fit in 32-bit ids", NULL},
	{"x.userns", "0:1:%s", 1, 4294967294, 1, X_NUM(userns.count),
	 "'@V' is not inside:outside:count", "'@V': the range does not fit in 32-bit ids",
	 "'@V': the count must be 1 or more"},
	{"x.memory", "%s", 6 << 20, 9223372036854775807ULL, 1, X_NUM(memory),
	 "'@V' is not a size (like 64M or 1.5G) or max", "'@V' is out of range (6M.." LL ")",
	 "'@V' is below the minimum of 6M"},
	{"x.memory_swap", "%s", 6 << 20, 9223372036854775807ULL, 1, X_NUM(memory_swap),
	 "'@V' is not a size (like 64M or 1.5G) or max", "'@V' is out of range (6M.." LL ")",
	 "'@V' is below the minimum of 6M"},
	{"x.cpus", "%s", 1, 1024, 1000, X_NUM(cpus_milli),
	 "'@V' is not a number of CPUs like 0.5 or 2 (3 decimals at most)",
	 "'@V' is out of range (0.001..1024)", NULL},
	{"x.cpu_weight", "%s", 1, 10000, 1, X_NUM(cpu_weight), "'@V' is not a weight",
	 "'@V' is out of range (1..10000)", NULL},
	{"x.io_weight", "%s", 1, 10000, 1, X_NUM(io_weight), "'@V' is not a weight",
	 "'@V' is out of range (1..10000)", NULL},
	{"x.pids", "%s", 1, 4194304, 1, X_NUM(pids), "'@V' is not a number of processes or max",
	 "'@V' is out of range (1..4194304)", NULL},
	{"x.cpuset", "%s", 0, 4095, 1, X_STR(cpuset, 0), "'@V' is not a CPU list like 0-1,3",
	 "'@V' is out of range (0..4095)", NULL},
	{"x.cpuset", "0-%s", 0, 4095, 1, X_STR(cpuset, '-'), "'@V' is not a CPU list like 0-1,3",
	 "'@V': '@N' is out of range (0..4095)", NULL},
	{"x.publish", "%s:80", 1, 65535, 1, X_FIRST(publish, struct spec_publish, host_port),
	 "'@V' is not HOSTPORT:CTRPORT[/udp]", "'@V': '@N' is out of range (1..65535)", NULL},
	{"x.publish", "80:%s", 1, 65535, 1, X_FIRST(publish, struct spec_publish, ctr_port),
	 "'@V' is not HOSTPORT:CTRPORT[/udp]", "'@V': '@N' is out of range (1..65535)", NULL},
	{"x.ip", "10.88.0.5/%s", 1, 30, 1, X_STR(ip, '/'),
	 "'@V' is not auto or an address with its prefix (10.88.0.5/16)",
	 "'@V': '@N' is out of range (1..30)", NULL},
	{"x.restart", "on-failure:%s", 1, 1000000, 1, X_NUM(restart_max),
	 "'@V' is not no, on-failure[:N], always or unless-stopped",
	 "'@V': '@N' is out of range (1..1000000)", NULL},
	{"x.rlimit_core", "%s", 0, 18446744073709551614ULL, 1,
	 X_FIRST(rlimits, struct spec_rlimit, soft),
	 "'@V' is not soft[:hard] (numbers or unlimited)",
	 "'@V' is out of range (0.." U64 " or unlimited)", NULL},
	{"x.rlimit_core", "0:%s", 0, 18446744073709551614ULL, 1,
	 X_FIRST(rlimits, struct spec_rlimit, hard),
	 "'@V' is not soft[:hard] (numbers or unlimited)",
	 "'@V': '@N' is out of range (0.." U64 " or unlimited)", NULL},
	{"x.rlimit_nofile", "%s", 0, 1048576, 1, X_FIRST(rlimits, struct spec_rlimit, soft),
	 "'@V' is not soft[:hard] (numbers or unlimited)", "'@V' is out of range (0..1048576)",
	 NULL},
	{"x.stop_timeout", "%s", 0, 86400, 1000, X_NUM(stop_timeout_ms),
	 "'@V' is not a duration (like 10s, 500ms or 2m)", "'@V' is out of range (0..24h)", NULL},
	{"x.stop_timeout", "%sms", 0, 86400000, 1, X_NUM(stop_timeout_ms),
	 "'@V' is not a duration (like 10s, 500ms or 2m)", "'@V' is out of range (0..24h)", NULL},
	{"x.stop_signal", "%s", 1, 64, 1, X_NUM(stop_signal),
	 "'@V' is not a signal (like SIGTERM, TERM or 15)", "'@V' is out of range (1..64)", NULL},
	{"x.tmpfs", "/t:%s", 1, 9223372036854775807ULL, 1, X_FIRST(tmpfs, struct spec_tmpfs, size),
	 "'@N' is not a size", "'@V': '@N' is out of range (1.." LL ")", NULL},
	{"x.storage_size", "%s", 1 << 20, 9223372036854775807ULL, 1, X_NUM(storage_size),
	 "'@V' is not a size (like 256M or 1G)", "'@V' is out of range (1M.." LL ")",
	 "'@V' is below the minimum of 1M"},
	{"log_max", "%s", 4096, 9223372036854775807ULL, 1, SET_NUM(log_max),
	 "'@V' is not a size of 4k or more", "'@V' is out of range (4k.." LL ")",
	 "'@V' is not a size of 4k or more"},
	{"subnet", "10.0.0.0/%s", 8, 29, 1, SET_STR(subnet, '/'),
	 "'@V' is not a subnet like 10.88.0.0/16", "'@V': '@N' is out of range (8..29)", NULL},
};

/* fmt with @V and @N replaced */
static void expand(char *buf, size_t len, const char *fmt, const char *v, const char *n)
{
	size_t o = 0;

	for (const char *p = fmt; *p && o + 1 < len; p++) {
		const char *sub = p[0] == '@' && p[1] == 'V'   ? v
				  : p[0] == '@' && p[1] == 'N' ? n
							       : NULL;

		if (sub) {
			o += snprintf(buf + o, len - o, "%s", sub);
			p++;
		} else {
			buf[o++] = *p;
		}
	}
	buf[o < len ? o : len - 1] = '\0';
}

/* One value: accepted landing on want (ok true), or refused with the error fmt. */
static void bound_case(const struct bound *b, const char *num, bool accept, unsigned long long want,
		       const char *errfmt)
{
	char val[128], line[256], reason[512], full[768], name[32];
	const char *dot = strchr(b->key, '.');

	snprintf(val, sizeof(val), b->tmpl, num);
	snprintf(line, sizeof(line), "kbox.%s=\"%s\"", b->key, val);
	spec_set_free(&set);
	spec_set_init(&set);
	spec_parse_cmdline(&set, line);
	if (accept) {
		if (ok(!set.errors, "%s accepted", line))
			is_int(landed(&b->at), want, "%s lands as %llu", line, want);
		else
			printf("#   %s\n", err0());
		return;
	}
	expand(reason, sizeof(reason), errfmt, val, num);
	if (dot)
		snprintf(name, sizeof(name), "%.*s: %s", (int)(dot - b->key), b->key, dot + 1);
	else
		snprintf(name, sizeof(name), "kbox.%s", b->key);
	snprintf(full, sizeof(full), "%s: %s (cmdline)", name, reason);
	is_str(err0(), full, "%s refused", line);
}

static void test_bounds(void)
{
	static const char *const powers[] = {"2147483648", "4294967296", "9223372036854775808",
					     "18446744073709551616"};
	static const unsigned long long pvals[] = {1ULL << 31, 1ULL << 32, 1ULL << 63, 0};

	for (size_t i = 0; i < ARRAY_SIZE(bounds); i++) {
		const struct bound *b = &bounds[i];
		const char *low = b->low_err ? b->low_err : b->range_err;
		char n[64], min[32];

		snprintf(min, sizeof(min), "%llu", b->min);
		snprintf(n, sizeof(n), "%llu", b->max);
		bound_case(b, n, true, b->max * b->scale, NULL);
		snprintf(n, sizeof(n), "%llu", b->max + 1);
		bound_case(b, n, false, 0, b->range_err);
		bound_case(b, min, true, b->min * b->scale, NULL);
		if (b->min) {
			snprintf(n, sizeof(n), "%llu", b->min - 1);
			bound_case(b, n, false, 0, low);
		}
		for (size_t j = 0; j < ARRAY_SIZE(powers); j++) {
			bool in = pvals[j] && pvals[j] >= b->min && pvals[j] <= b->max;

			bound_case(b, powers[j], in, pvals[j] * b->scale, b->range_err);
		}
		/* Leading zeros are decimal, and no fixed buffer cuts them off. */
		snprintf(n, sizeof(n), "00000000000000000000%llu", b->max);
		bound_case(b, n, true, b->max * b->scale, NULL);
		snprintf(n, sizeof(n), "010");
		if (b->min <= 10 && b->max >= 10)
			bound_case(b, n, true, 10 * b->scale, NULL);
		bound_case(b, "-1", false, 0, b->nan_err);
		snprintf(n, sizeof(n), "+%s", min);
		bound_case(b, n, false, 0, b->nan_err);
		snprintf(n, sizeof(n), " %s", min);
		bound_case(b, n, false, 0, b->nan_err);
		snprintf(n, sizeof(n), "%s ", min);
		bound_case(b, n, false, 0, b->nan_err);
		snprintf(n, sizeof(n), "0x%s", min);
		bound_case(b, n, false, 0, b->nan_err);
		bound_case(b, "", false, 0, b->nan_err);
	}
}

static void test_names(void)
{
	ok(spec_valid_name("web"), "web");
	ok(spec_valid_name("a-b_c9"), "a-b_c9");
	ok(!spec_valid_name(""), "empty");
	ok(!spec_valid_name("-a"), "leading dash");
	ok(!spec_valid_name("a.b"), "dot");
	ok(!spec_valid_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
	   "64 characters");
}

/* after= from /etc/kbox, as an attacker writes it: a dependency graph whose paths grow
 * exponentially (each container after the next two: 60 of them took the cycle check past
 * 2^40 steps, PID 1 hung at boot; past a depth of 64 a walk that gave up was never
 * remembered), and one 64 KiB line of missing names (10,867 messages). */
static void test_after_attacks(void)
{
	struct spec_set s;
	struct timespec t0, t1;
	char name[16], text[96], *big;
	size_t n = 0, o = 0;
	double secs;

	spec_set_init(&s);
	for (int i = 0; i < 200; i++) {
		if (i + 2 < 200)
			snprintf(text, sizeof(text), "net = none\nafter = c%d,c%d\n", i + 1, i + 2);
		else
			snprintf(text, sizeof(text), "net = none\n");
		snprintf(name, sizeof(name), "c%d", i);
		spec_parse_conf(&s, name, text, name);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	spec_finish(&s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ok(secs < 1 && !s.errors,
	   "200 containers, each after the next two: checked in %.3f s, no error", secs);
	spec_set_free(&s);

	spec_set_init(&s);
	big = malloc(65536);
	o = sprintf(big, "after = ");
	for (int i = 0; o < 65000; i++)
		o += sprintf(big + o, "%sx%d", i ? "," : "", i);
	spec_parse_conf(&s, "w", big, "/etc/kbox/w.conf");
	spec_finish(&s);
	while (s.errors && s.errors[n])
		n++;
	ok(n >= 1 && n <= SPEC_SOURCE_ERRORS + 1, "a 64 KiB after= of missing names: %zu messages",
	   n);
	is_str(s.errors ? s.errors[0] : NULL,
	       "w: after: 'x0' is not a container, nor are 10871 more (spec)",
	       "the first, and a count");
	free(big);
	spec_set_free(&s);
}

/* Every host port, tcp and udp, published across 38 files of /etc/kbox: the check of
 * every pair took 2^33 comparisons at boot; and a port two files publish is still named. */
static void test_publish_attack(void)
{
	struct spec_set s;
	struct timespec t0, t1;
	char name[16], *text = malloc(65536);
	unsigned port = 1;
	int files = 0;
	double secs;

	spec_set_init(&s);
	for (; port < 2 * 65536; files++) {
		size_t o = 0;

		for (; port < 2 * 65536 && o < 65536 - 32; port++)
			if (port % 65536)
				o += sprintf(text + o, "publish=%u:80%s\n", port % 65536,
					     port > 65536 ? "/udp" : "");
		snprintf(name, sizeof(name), "p%d", files);
		spec_parse_conf(&s, name, text, name);
	}
	spec_parse_conf(&s, "late", "publish = 8080:80\n", "late");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	spec_finish(&s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ok(secs < 1, "131,070 published ports in %d files: checked in %.3f s", files, secs);
	is_str(s.errors ? s.errors[0] : NULL,
	       "late: publish: host port 8080/tcp is published by p1 already (spec)",
	       "and one more publish of 8080 is refused, naming the first");
	is_int(strv_len(s.errors), 1, "the only error");
	free(text);
	spec_set_free(&s);
}

int main(void)
{
	test_cmdline_quotes();
	test_keys();
	test_isolation_keys();
	test_volumes();
	test_sizes();
	test_errors();
	test_supervision_keys();
	test_globals();
	test_conf();
	test_split_words();
	test_names();
	test_bounds();
	test_after_attacks();
	test_publish_attack();
	spec_set_free(&set);
	return done();
}
