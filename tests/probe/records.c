/* records: the power-loss proof's writer and checker of numbered, checksummed records.
 *   records write FILE [--no-sync|--ack-first] [--max N]   append records 1, 2, ... to the
 *                       new FILE, each made durable (fdatasync) before `ack N` is printed;
 *                       the broken writers the proof must catch: --no-sync acks without
 *                       it, --ack-first acks each record before its fdatasync
 *   records check FILE...   for each: `check NAME records=R tail=T holes=H`, R the records
 *                       1..R found whole and in order from the start, T the bytes after them,
 *                       H the whole records from the first that breaks the run on (a hole,
 *                       or one out of order: 0 on a disk that kept what it acknowledged)
 * A record is one line of RECSIZE bytes: its number, a payload made from the number, and the
 * CRC-32 of both; its size is no divisor of a block, so records straddle block boundaries. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RECSIZE 100
/* "%08u " + payload + " %08x\n" */
#define PAYLOAD (RECSIZE - 9 - 10)

static uint32_t crc32(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffff;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (0xedb88320 & -(c & 1));
	}
	return ~c;
}

static void record(unsigned char *rec, unsigned int n)
{
	char tail[11];

	snprintf((char *)rec, 10, "%08u ", n);
	for (int i = 0; i < PAYLOAD; i++)
		rec[9 + i] = 'a' + (n * 7 + i) % 26;
	snprintf(tail, sizeof(tail), " %08x\n", crc32(rec, RECSIZE - 10));
	memcpy(rec + RECSIZE - 10, tail, 10);
}

/* The record at this place is whole and is number N (0: any number). */
static bool valid(const unsigned char *rec, unsigned int n)
{
	unsigned char want[RECSIZE + 1];
	unsigned int got = 0;

	for (int i = 0; i < 8; i++) {
		if (rec[i] < '0' || rec[i] > '9')
			return false;
		got = got * 10 + rec[i] - '0';
	}
	if (!got || (n && got != n))
		return false;
	record(want, got);
	return !memcmp(rec, want, RECSIZE);
}

static int say(const char *line)
{
	size_t len = strlen(line);

	/* One write a line: the console has it as soon as it is true. */
	return write(STDOUT_FILENO, line, len) == (ssize_t)len ? 0 : -1;
}

static int write_records(const char *path, bool sync, bool ack_first, unsigned long max)
{
	char *copy = strdup(path), line[64];
	unsigned char rec[RECSIZE + 1];
	int fd, dfd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "records: cannot create '%s': %m\n", path);
		return 1;
	}
	/* The new name must outlive a power cut as much as the records behind it. */
	dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sync && (dfd < 0 || fsync(dfd) < 0)) {
		fprintf(stderr, "records: cannot sync the directory of '%s': %m\n", path);
		return 1;
	}
	say("writing\n");
	for (unsigned long n = 1; n <= max; n++) {
		record(rec, n);
		if (write(fd, rec, RECSIZE) != RECSIZE) {
			fprintf(stderr, "records: write %lu: %m\n", n);
			return 1;
		}
		snprintf(line, sizeof(line), "ack %lu\n", n);
		if (ack_first && say(line) < 0)
			return 1;
		if (sync && fdatasync(fd) < 0) {
			fprintf(stderr, "records: fdatasync %lu: %m\n", n);
			return 1;
		}
		if (!ack_first && say(line) < 0)
			return 1;
	}
	return 0;
}

static int check(const char *path)
{
	char *copy = strdup(path), *name = basename(copy);
	unsigned char rec[RECSIZE];
	unsigned long good = 0, holes = 0;
	bool broken = false;
	struct stat st;
	FILE *f = fopen(path, "re");

	if (!f || fstat(fileno(f), &st) < 0) {
		printf("check %s error=%s\n", name, strerror(errno));
		return 1;
	}
	while (fread(rec, 1, RECSIZE, f) == RECSIZE) {
		if (!broken && valid(rec, good + 1)) {
			good++;
			continue;
		}
		broken = true;
		holes += valid(rec, 0);
	}
	fclose(f);
	printf("check %s records=%lu tail=%lld holes=%lu\n", name, good,
	       (long long)st.st_size - (long long)good * RECSIZE, holes);
	return 0;
}

int main(int argc, char **argv)
{
	int r = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "write")) {
		unsigned long max = 99999999;
		bool sync = true, ack_first = false;

		for (int i = 3; i < argc; i++) {
			if (!strcmp(argv[i], "--no-sync"))
				sync = false;
			else if (!strcmp(argv[i], "--ack-first"))
				ack_first = true;
			else if (!strcmp(argv[i], "--max") && i + 1 < argc)
				max = strtoul(argv[++i], NULL, 10);
			else
				goto usage;
		}
		/* Eight digits a number. */
		if (max > 99999999)
			max = 99999999;
		return write_records(argv[2], sync, ack_first, max);
	}
	if (argc >= 3 && !strcmp(argv[1], "check")) {
		for (int i = 2; i < argc; i++)
			r |= check(argv[i]);
		return r;
	}
usage:
	fprintf(stderr, "usage: records write FILE [--no-sync|--ack-first] [--max N] | records "
			"check FILE...\n");
	return 2;
}
