/* libFuzzer target: /etc/kbox loading. The input becomes a small directory, then loaded.
 * Records are separated by a line "@@"; each starts with a line "T NAME" (T: f a file, d a
 * directory, l a symlink whose target is the text, p a fifo) and NAME gets ".conf" unless
 * it has it. What must hold: at most the bound of errors a file, every message printable,
 * every container named validly, and a directory or fifo fails the container it names. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../init/confdir.h"
#include "../../lib/util.h"
#include "../../runtime/spec/cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RECORDS 8

static char dir[64];

static void empty_dir(void)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;

	if (fd >= 0 && fstat(fd, &st) == 0)
		rm_contents(fd, st.st_dev);
	if (fd >= 0)
		close(fd);
}

static void cleanup(void)
{
	empty_dir();
	rmdir(dir);
}

/* Makes one entry: true if it is one that must fail its container (a directory, a fifo). */
static bool make_entry(int dfd, char type, const char *name, const uint8_t *text, size_t len,
		       char *ret_file, size_t file_len)
{
	size_t n = strlen(name);
	int fd;

	snprintf(ret_file, file_len, "%s%s", name,
		 n >= 5 && !strcmp(name + n - 5, ".conf") ? "" : ".conf");
	switch (type) {
	case 'd':
		return mkdirat(dfd, ret_file, 0755) == 0;
	case 'p':
		return mkfifoat(dfd, ret_file, 0644) == 0;
	case 'l': {
		char target[64];
		size_t k = 0;

		/* Within the directory only: never a path of the host. */
		for (size_t i = 0; i < len && k < sizeof(target) - 1; i++)
			if (text[i] != '/' && text[i] != '\0')
				target[k++] = text[i];
		target[k] = '\0';
		if (k)
			symlinkat(target, dfd, ret_file);
		return false;
	}
	default:
		fd = openat(dfd, ret_file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0) {
			(void)!write(fd, text, len);
			close(fd);
		}
		return false;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char must_fail[MAX_RECORDS][NAME_MAX + 1];
	const uint8_t *p = data, *end = data + size;
	struct spec_set set;
	int dfd, nfail = 0, nrec = 0;
	size_t nerr;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/fuzz_confdir.XXXXXX");
		if (!mkdtemp(dir))
			abort();
		atexit(cleanup);
	}
	empty_dir();
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		abort();
	while (p < end && nrec < MAX_RECORDS) {
		const uint8_t *eol = memchr(p, '\n', end - p), *text, *next;
		char name[48], file[NAME_MAX + 1], type;
		size_t k = 0;

		if (!eol)
			eol = end;
		type = p[0];
		for (const uint8_t *q = p + (eol - p > 2 ? 2 : eol - p); q < eol && k < 40; q++)
			name[k++] = *q == '/' || *q == '\0' ? '_' : *q;
		name[k] = '\0';
		text = eol < end ? eol + 1 : end;
		next = memmem(text, end - text, "\n@@\n", 4);
		if (!next)
			next = end;
		nrec++;
		if (k && strcmp(name, ".") && strcmp(name, "..") &&
		    make_entry(dfd, type, name, text, next - text, file, sizeof(file)) &&
		    strcmp(file, "kbox.conf")) {
			snprintf(must_fail[nfail], sizeof(must_fail[0]), "%.*s",
				 (int)strlen(file) - 5, file);
			nfail++;
		}
		p = next < end ? next + 4 : end;
	}

	spec_set_init(&set);
	if (confdir_load(&set, dfd, "/etc/kbox") < 0)
		abort();
	nerr = strv_len(set.errors);
	/* Each file and kbox.conf: the bound and one count; one more if listing failed. */
	if (nerr > (size_t)(nrec + 1) * (SPEC_SOURCE_ERRORS + 1) + 1)
		abort();
	for (size_t i = 0; i < nerr; i++)
		for (const char *c = set.errors[i]; *c; c++)
			if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
				abort();
	for (struct spec *s = set.specs; s; s = s->next)
		if (!spec_valid_name(s->name))
			abort();
	for (int i = 0; i < nfail; i++) {
		struct spec *s = spec_find(&set, must_fail[i]);

		if (spec_valid_name(must_fail[i]) && (!s || !s->error))
			abort();
	}
	spec_finish(&set);
	spec_set_free(&set);
	close(dfd);
	return 0;
}
