/* The spec parser: kernel command line rules, conf files, every key and error class. */
#include <errno.h>
#include <stdlib.h>

#include "../../lib/util.h"
#include "../../runtime/spec.h"
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

	is_int(spec_parse_conf(&set, "web", "image = a\nimage = b\nworkdir\nmemory = 1\n",
			       "/etc/kbox/web.conf"),
	       0, "conf with errors");
	is_str(set.errors[0], "web: image: given twice, 'b' again (/etc/kbox/web.conf:2)",
	       "duplicate in a file names the line");
	is_str(set.errors[1], "web: workdir: missing '=value' (/etc/kbox/web.conf:3)",
	       "a line without '='");
	is_str(set.errors[2], "web: memory: unknown key (/etc/kbox/web.conf:4)", "unknown key");
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

int main(void)
{
	test_cmdline_quotes();
	test_keys();
	test_errors();
	test_globals();
	test_conf();
	test_split_words();
	test_names();
	spec_set_free(&set);
	return done();
}
