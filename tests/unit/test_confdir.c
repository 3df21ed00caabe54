/* /etc/kbox loading from a directory: every kind of bad entry fails only its container. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../init/confdir.h"
#include "../../lib/util.h"
#include "../../runtime/spec/cmdline.h"
#include "../tap.h"

static char dir[] = "/tmp/test_confdir.XXXXXX";
static int dfd;

static void put(const char *name, const char *text, size_t len)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		perror(name);
	close(fd);
}

static size_t count_prefix(const struct spec_set *set, const char *prefix)
{
	size_t n = 0;

	for (size_t i = 0; set->errors && set->errors[i]; i++)
		n += strncmp(set->errors[i], prefix, strlen(prefix)) == 0;
	return n;
}

static bool has_error(const struct spec_set *set, const char *msg)
{
	for (size_t i = 0; set->errors && set->errors[i]; i++)
		if (strcmp(set->errors[i], msg) == 0)
			return true;
	printf("#   no error '%s' among:\n", msg);
	for (size_t i = 0; set->errors && set->errors[i]; i++)
		printf("#     %s\n", set->errors[i]);
	return false;
}

static void test_bad_entries(void)
{
	static char big[CONFDIR_FILE_MAX + 1];
	char fdpath[64];
	struct spec_set set;
	struct spec *s;
	char *lines;
	size_t n = 0;

	put("good.conf", "net = none\ncmd = echo hi\n", 25);
	mkdirat(dfd, "x.conf", 0755);
	memset(big, 'a', sizeof(big));
	put("big.conf", big, sizeof(big));
	put("edge.conf", big, CONFDIR_FILE_MAX - 1);
	put("nul.conf", "net = none\n\ncmd = a\0b\n", 22);
	symlinkat("loop.conf", dfd, "loop.conf");
	symlinkat("nowhere", dfd, "dangling.conf");
	symlinkat("good.conf", dfd, "alias.conf");
	mkfifoat(dfd, "fifo.conf", 0644);
	symlinkat("/dev/null", dfd, "null.conf");
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", dfd);
	symlinkat(fdpath, dfd, "selffd.conf");
	symlinkat("/proc/self/mem", dfd, "mem.conf");
	put("-bad.conf", "cmd = x\n", 8);
	put("esc\033[2J.conf", "cmd = x\n", 8);
	put(".conf", "cmd = x\n", 8);
	put("notes.txt", "whatever\n", 9);
	lines = malloc(200 * 32);
	for (int i = 0; i < 200; i++)
		n += sprintf(lines + n, "\x01\x1b[31mjunk%d\n", i);
	put("lines.conf", lines, n);
	free(lines);
	put("kbox.conf", "hostname = h1\nnope = 1\nexit = never\n", 35);

	spec_set_init(&set);
	is_int(confdir_load(&set, dfd, "/etc/kbox"), 0, "a directory full of bad entries loads");
	is_int(spec_finish(&set), 0, "and finishes");
	s = spec_find(&set, "good");
	ok(s && !s->error, "good.conf is good");
	ok(s && s->net == SPEC_NET_NONE && s->cmd && !strcmp(s->cmd[1], "hi"), "and read");
	s = spec_find(&set, "alias");
	ok(s && !s->error && s->net == SPEC_NET_NONE, "a symlink to a file is followed");
	ok(has_error(&set, "x: is a directory, not a file (/etc/kbox/x.conf)"), "directory");
	s = spec_find(&set, "x");
	is_str(s ? s->error : NULL, "x: is a directory, not a file (/etc/kbox/x.conf)",
	       "x carries the reason: it will not start");
	ok(has_error(&set, "big: is 65537 bytes; a spec file may have 65536 at most "
			   "(/etc/kbox/big.conf)"),
	   "one byte over the bound");
	s = spec_find(&set, "edge");
	ok(s && s->error && strstr(s->error, "...: unknown key (/etc/kbox/edge.conf:1)") &&
		   count_prefix(&set, "edge: ") == 1,
	   "one byte under it: parsed, one error for its one line, the key cut short");
	ok(has_error(&set, "nul: a NUL byte on line 3: a spec file is text (/etc/kbox/nul.conf)"),
	   "a NUL byte, with its line");
	ok(has_error(&set, "loop: cannot read it: Too many levels of symbolic links "
			   "(/etc/kbox/loop.conf)") ||
		   has_error(&set,
			     "loop: cannot read it: Symbolic link loop (/etc/kbox/loop.conf)"),
	   "a symlink loop");
	ok(has_error(&set, "dangling: cannot read it: No such file or directory "
			   "(/etc/kbox/dangling.conf)"),
	   "a dangling symlink is reported, not skipped");
	ok(has_error(&set, "fifo: is a fifo, not a file (/etc/kbox/fifo.conf)"),
	   "a fifo is refused without blocking");
	ok(has_error(&set, "null: is a character device, not a file (/etc/kbox/null.conf)"),
	   "a symlink to a device is refused unopened");
	ok(has_error(&set, "selffd: is a directory, not a file (/etc/kbox/selffd.conf)"),
	   "a symlink through /proc/self/fd too");
	s = spec_find(&set, "mem");
	ok(s && s->error && strstr(s->error, "mem: cannot read it: "),
	   "/proc/self/mem: its read fails, and fails mem");
	ok(has_error(&set, "'-bad': not a valid container name (/etc/kbox/-bad.conf)"), "bad name");
	ok(has_error(&set, "'esc\\x1b[2J': not a valid container name (/etc/kbox/esc\\x1b[2J.conf)"),
	   "control characters never reach the console");
	ok(!spec_find(&set, "-bad") && !spec_find(&set, "notes"), "no container for those");
	is_int(count_prefix(&set, "lines: "), SPEC_SOURCE_ERRORS + 1,
	       "200 bad lines: %d errors and one count", SPEC_SOURCE_ERRORS);
	ok(has_error(&set, "lines: \\x01\\x1b[31mjunk0: unknown key (/etc/kbox/lines.conf:1)"),
	   "the first, made printable");
	ok(has_error(&set, "lines: and 195 more errors (/etc/kbox/lines.conf)"), "then the count");
	is_str(set.hostname, "h1", "kbox.conf's good key holds");
	ok(has_error(&set, "kbox.nope: unknown key (/etc/kbox/kbox.conf:2)"), "a bad global key");
	is_int(set.exit, SPEC_EXIT_STAY, "a bad global value is ignored");
	spec_set_free(&set);
}

static void test_bad_globals(void)
{
	struct spec_set set;

	unlinkat(dfd, "kbox.conf", 0);
	mkdirat(dfd, "kbox.conf", 0755);
	spec_set_init(&set);
	is_int(confdir_load(&set, dfd, "/etc/kbox"), 0, "kbox.conf a directory: not fatal");
	ok(has_error(&set, "globals: is a directory, not a file; ignored (/etc/kbox/kbox.conf)"),
	   "reported");
	ok(spec_find(&set, "good") && !spec_find(&set, "good")->error, "the others load");
	spec_set_free(&set);
	unlinkat(dfd, "kbox.conf", AT_REMOVEDIR);
	spec_set_init(&set);
	is_int(confdir_load(&set, dfd, "/etc/kbox"), 0, "no kbox.conf is fine");
	ok(!set.errors || count_prefix(&set, "globals") == 0, "and silent");
	spec_set_free(&set);
}

static void test_cmdline_bound(void)
{
	struct spec_set set;
	char line[4096];
	size_t n = 0;

	for (int i = 0; i < 50; i++)
		n += snprintf(line + n, sizeof(line) - n, "kbox.w.k%d=1 ", i);
	spec_set_init(&set);
	is_int(spec_parse_cmdline(&set, line), 0, "50 bad keys on the command line");
	is_int(strv_len(set.errors), SPEC_SOURCE_ERRORS + 1, "bounded too");
	ok(has_error(&set, "and 45 more errors (cmdline)"), "with the count");
	spec_set_free(&set);
}

static void cleanup(void)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	struct stat st;

	if (fd >= 0 && fstat(fd, &st) == 0)
		rm_contents(fd, st.st_dev);
	if (fd >= 0)
		close(fd);
	rmdir(dir);
}

int main(void)
{
	if (!mkdtemp(dir) || (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		perror(dir);
		return 1;
	}
	test_bad_entries();
	test_bad_globals();
	test_cmdline_bound();
	cleanup();
	return done();
}
