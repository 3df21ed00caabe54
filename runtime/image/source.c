/* Reading an image from its source into a tree (see source.h). */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../lib/log.h"
#include "../../lib/util.h"

#define DOC_MAX (16 << 20) /* an index, a manifest or a config larger than this is refused */
#define ERRLEN 512

enum src_kind { SRC_OCI, SRC_OCI_ARCHIVE, SRC_DOCKER, SRC_TAR };

/* A regular file of an archive, or a symlink to one (docker save links equal layers). */
struct arch_entry {
	char *name, *link;
	bool hard;
	off_t off;
	uint64_t size;
};

struct src {
	const char *name; /* the image's, for messages */
	enum src_kind kind;
	int fd; /* the OCI layout's directory, or the archive */
	struct arch_entry *ents;
	size_t nents;
};

/* Where a blob's bytes are. */
struct blob {
	int fd;
	bool own; /* fd is the blob's own, to close */
	off_t off;
	uint64_t size;
};

static void blob_close(struct blob *b)
{
	if (b->own && b->fd >= 0)
		close(b->fd);
	b->fd = -1;
}

static int failed(const struct src *s, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int failed(const struct src *s, int r, const char *fmt, ...)
{
	char msg[ERRLEN * 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_msg("image '%s': %s", s->name, msg);
	return r;
}

/* NAME of an archive, as the archive's own entries spell names: no "./", no trailing '/'. */
static void clean_name(char *name)
{
	size_t n;

	while (!strncmp(name, "./", 2))
		memmove(name, name + 2, strlen(name + 2) + 1);
	n = strlen(name);
	while (n > 0 && name[n - 1] == '/')
		name[--n] = '\0';
}

static ssize_t fd_read(void *ctx, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(*(int *)ctx, buf, len);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

/* The index of an archive's files: the blobs are read in place, never unpacked. */
static int index_archive(struct src *s)
{
	char err[ERRLEN];
	struct tar_reader r;
	const struct tar_entry *e;
	int fd = s->fd, n;

	tar_init(&r, fd_read, &fd);
	while ((n = tar_next(&r, &e, err, sizeof(err))) > 0) {
		struct arch_entry *a;

		if (e->type != TAR_FILE && e->type != TAR_SYMLINK && e->type != TAR_HARDLINK)
			continue;
		a = realloc(s->ents, (s->nents + 1) * sizeof(*a));
		if (!a) {
			n = -ENOMEM;
			break;
		}
		s->ents = a;
		a = &s->ents[s->nents];
		memset(a, 0, sizeof(*a));
		if (!(a->name = strdup(e->path)) || (e->link && !(a->link = strdup(e->link)))) {
			free(a->name);
			n = -ENOMEM;
			break;
		}
		clean_name(a->name);
		if (e->type == TAR_HARDLINK)
			clean_name(a->link);
		a->hard = e->type == TAR_HARDLINK;
		a->off = r.pos;
		a->size = e->type == TAR_FILE ? e->size : 0;
		if (e->type == TAR_FILE) {
			free(a->link);
			a->link = NULL;
		}
		s->nents++;
	}
	tar_free(&r);
	if (n == -ENOMEM)
		return failed(s, n, "%s", strerror(ENOMEM));
	if (n < 0)
		return failed(s, n, "the archive: %s", err);
	return 0;
}

static struct arch_entry *arch_find(struct src *s, const char *name)
{
	for (size_t i = s->nents; i-- > 0;) /* the last of equal names wins, as tar -x has it */
		if (!strcmp(s->ents[i].name, name))
			return &s->ents[i];
	return NULL;
}

/* Where link target LINK of entry CUR leads, into CUR: a hard link names a file of the
 * archive, a symlink is relative to its directory; '..' is resolved by name, and one that
 * climbs above the archive, or an absolute target, is not found. */
static int follow(char cur[PATH_MAX], const char *link, bool hard)
{
	char next[PATH_MAX * 2], out[PATH_MAX] = "", *save, *c;
	const char *slash = strrchr(cur, '/');
	size_t at = 0;

	if (link[0] == '/')
		return -ENOENT;
	if (hard || !slash)
		snprintf(next, sizeof(next), "%s", link);
	else
		snprintf(next, sizeof(next), "%.*s/%s", (int)(slash - cur), cur, link);
	for (c = strtok_r(next, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		size_t n = strlen(c);

		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			char *up = strrchr(out, '/');

			if (!at)
				return -ENOENT;
			at = up ? (size_t)(up - out) : 0;
			out[at] = '\0';
			continue;
		}
		if (at + n + 2 > sizeof(out))
			return -ENOENT;
		if (at)
			out[at++] = '/';
		memcpy(out + at, c, n + 1);
		at += n;
	}
	memcpy(cur, out, at + 1);
	return 0;
}

/* The archive file NAME, through at most 8 links that stay inside the archive. */
static int arch_open(struct src *s, const char *name, struct blob *b)
{
	char cur[PATH_MAX];
	struct arch_entry *a;

	snprintf(cur, sizeof(cur), "%s", name);
	clean_name(cur);
	for (int hops = 0; hops < 8; hops++) {
		if (!(a = arch_find(s, cur)))
			return -ENOENT;
		if (!a->link) {
			*b = (struct blob){.fd = s->fd, .off = a->off, .size = a->size};
			return 0;
		}
		if (follow(cur, a->link, a->hard) < 0)
			return -ENOENT;
	}
	return -ELOOP;
}

static int src_open_blob(struct src *s, const char *path, struct blob *b)
{
	struct stat st;
	int fd;

	if (s->kind != SRC_OCI)
		return arch_open(s, path, b);
	/* O_NONBLOCK: a fifo in a layout would hold the open; it is refused below. */
	fd = openat(s->fd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	*b = (struct blob){.fd = fd, .own = true, .size = st.st_size};
	return 0;
}

static int blob_pread(const struct blob *b, void *buf, size_t len, uint64_t at)
{
	ssize_t n;

	do
		n = pread(b->fd, buf, len, b->off + at);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EIO;
}

static int blob_hash(const struct blob *b, char hex[SHA256_HEX_LEN + 1])
{
	static char buf[1 << 16];
	struct sha256 h;
	int r;

	sha256_init(&h);
	for (uint64_t at = 0; at < b->size;) {
		size_t n = b->size - at < sizeof(buf) ? b->size - at : sizeof(buf);

		if ((r = blob_pread(b, buf, n, at)) < 0)
			return r;
		sha256_update(&h, buf, n);
		at += n;
	}
	sha256_final_hex(&h, hex);
	return 0;
}

/* The bytes of a blob the descriptor D describes, checked against it; WHAT names it. */
static int verify(struct src *s, const struct blob *b, const struct img_desc *d, const char *what)
{
	char hex[SHA256_HEX_LEN + 1];
	int r;

	if (b->size != d->size)
		return failed(s, -EINVAL, "%s %s: size is %llu, the descriptor says %llu", what,
			      d->digest, (unsigned long long)b->size, (unsigned long long)d->size);
	if ((r = blob_hash(b, hex)) < 0)
		return failed(s, r, "%s %s: %s", what, d->digest, strerror(-r));
	if (strcmp(hex, d->digest + 7))
		return failed(s, -EINVAL, "%s %s: sha256 is %s, the descriptor says %s", what,
			      d->digest, hex, d->digest + 7);
	return 0;
}

/* A JSON document of the source, whole, in a NUL-terminated buffer. */
static int read_doc(struct src *s, const char *path, const struct img_desc *d, const char *what,
		    char **ret, size_t *ret_len)
{
	struct blob b = {.fd = -1};
	char *buf, hex[SHA256_HEX_LEN + 1];
	struct sha256 h;
	int r = src_open_blob(s, path, &b);

	if (r < 0)
		return failed(s, r, "%s '%s': %s", what, path,
			      r == -ENOENT ? "not in the image" : strerror(-r));
	if (b.size > DOC_MAX) {
		blob_close(&b);
		return failed(s, -EFBIG, "%s '%s': larger than %d bytes", what, path, DOC_MAX);
	}
	if (!(buf = malloc(b.size + 1))) {
		blob_close(&b);
		return failed(s, -ENOMEM, "%s", strerror(ENOMEM));
	}
	r = blob_pread(&b, buf, b.size, 0);
	blob_close(&b);
	if (r < 0) {
		free(buf);
		return failed(s, r, "%s '%s': %s", what, path, strerror(-r));
	}
	buf[b.size] = '\0';
	/* Checked in the buffer that is parsed: a file changed between a check and a second
	 * read would pass the digest with other bytes. */
	if (d && b.size != d->size) {
		free(buf);
		return failed(s, -EINVAL, "%s %s: size is %llu, the descriptor says %llu", what,
			      d->digest, (unsigned long long)b.size, (unsigned long long)d->size);
	}
	sha256_init(&h);
	sha256_update(&h, buf, b.size);
	sha256_final_hex(&h, hex);
	if (d && strcmp(hex, d->digest + 7)) {
		free(buf);
		return failed(s, -EINVAL, "%s %s: sha256 is %s, the descriptor says %s", what,
			      d->digest, hex, d->digest + 7);
	}
	*ret = buf;
	*ret_len = b.size;
	return 0;
}

static void blob_path(char *buf, size_t len, const char *digest)
{
	snprintf(buf, len, "blobs/sha256/%s", digest + 7);
}

/* ---- a layer's bytes, decompressed ---- */

struct stream {
	struct blob b;
	uint64_t at;
	int pipe;	/* the decompressor's output, or -1: the blob is read as it is */
	int errpipe;	/* its stderr, for the reason it gives when it fails */
	pid_t feeder, tool;
	const char *tool_name;
	struct sha256 h; /* of the uncompressed bytes */
	uint64_t total;
};

static ssize_t stream_read(void *ctx, void *buf, size_t len)
{
	struct stream *st = ctx;
	ssize_t n;

	if (st->pipe < 0) {
		int r;

		n = st->b.size - st->at < len ? st->b.size - st->at : len;
		if (n && (r = blob_pread(&st->b, buf, n, st->at)) < 0)
			return r;
		st->at += n;
	} else {
		do
			n = read(st->pipe, buf, len);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -errno;
	}
	sha256_update(&st->h, buf, n);
	st->total += n;
	return n;
}

/* The decompressor TOOL reads the blob through a feeder process (a blob may be a region of
 * an archive) and writes to st->pipe. */
static int stream_start(struct stream *st, const char *tool)
{
	int in[2], out[2], errp[2];

	st->pipe = st->errpipe = -1;
	st->feeder = st->tool = -1;
	sha256_init(&st->h);
	if (!tool)
		return 0;
	st->tool_name = tool;
	if (pipe2(in, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]), close(in[1]);
		return -errno;
	}
	if (pipe2(errp, O_CLOEXEC) < 0) {
		close(in[0]), close(in[1]), close(out[0]), close(out[1]);
		return -errno;
	}
	st->feeder = fork();
	if (st->feeder == 0) {
		static char buf[1 << 16];

		/* Only the decompressor's input stays open here: a feeder holding the output
		 * pipe would keep kbox from its end of file, and the decompressor from its
		 * SIGPIPE, for ever. It dies with kbox. */
		close(in[0]), close(out[0]), close(out[1]), close(errp[0]), close(errp[1]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGPIPE, SIG_DFL);
		for (uint64_t at = 0; at < st->b.size;) {
			size_t n = st->b.size - at < sizeof(buf) ? st->b.size - at : sizeof(buf);

			if (blob_pread(&st->b, buf, n, at) < 0 || write_all(in[1], buf, n) < 0)
				_exit(1);
			at += n;
		}
		_exit(0);
	}
	if (st->feeder > 0)
		st->tool = fork();
	if (st->tool == 0) {
		close(in[1]), close(out[0]), close(errp[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGPIPE, SIG_DFL);
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(errp[1], 2) < 0)
			_exit(126);
		execlp(tool, tool, "-dc", (char *)NULL);
		log_msg("exec '%s': %s", tool, strerror(errno));
		_exit(127);
	}
	close(in[0]), close(in[1]), close(out[1]), close(errp[1]);
	if (st->feeder < 0 || st->tool < 0) {
		close(out[0]), close(errp[0]);
		return -EAGAIN;
	}
	st->pipe = out[0];
	st->errpipe = errp[0];
	return 0;
}

/* 0, or a message in err for a decompressor that failed. ABORT kills it; EARLY says the
 * reader stopped before the end, so that a decompressor killed by SIGPIPE is no error. */
#define STREAM_DRAIN_MAX (64ULL << 20)

static int stream_end(struct stream *st, bool abort, bool early, char *err, size_t errlen)
{
	int status = 0, fstatus = 0;
	char why[256];
	ssize_t n;

	if (st->pipe < 0)
		return 0;
	/* A reader that stopped early (a truncated tar) lets the decompressor run on, a while,
	 * to hear whether the input was corrupt: its reason is the better one, and a kill
	 * would make which one is told a race. Past STREAM_DRAIN_MAX (a bomb) it is killed. */
	if (early && !abort) {
		static char sink[1 << 16];
		uint64_t drained = 0;

		while (drained < STREAM_DRAIN_MAX) {
			ssize_t m = read(st->pipe, sink, sizeof(sink));

			if (m < 0 && errno == EINTR)
				continue;
			if (m <= 0)
				break;
			drained += m;
		}
		if (drained >= STREAM_DRAIN_MAX)
			abort = true;
	}
	close(st->pipe);
	if (abort) {
		kill(st->tool, SIGKILL);
		kill(st->feeder, SIGKILL);
	}
	st->pipe = -1;
	while (waitpid(st->tool, &status, 0) < 0 && errno == EINTR)
		;
	while (waitpid(st->feeder, &fstatus, 0) < 0 && errno == EINTR)
		;
	/* What it said, its first line: the reason it gives ("invalid compressed data"). A
	 * pipe's buffer holds more than a decompressor's complaint, so it never blocks on it. */
	why[0] = '\0';
	do
		n = read(st->errpipe, why, sizeof(why) - 1);
	while (n < 0 && errno == EINTR);
	close(st->errpipe);
	st->errpipe = -1;
	why[n > 0 ? n : 0] = '\0';
	why[strcspn(why, "\n")] = '\0';
	if (abort || (early && WIFSIGNALED(status) &&
		      (WTERMSIG(status) == SIGPIPE || WTERMSIG(status) == SIGKILL)))
		return 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		char said[300];

		str_escape(said, sizeof(said), why, strlen(why));
		if (said[0])
			snprintf(err, errlen, "cannot decompress: %s", said);
		else
			snprintf(err, errlen, "cannot decompress: %s %s %d", st->tool_name,
				 WIFEXITED(status) ? "exited with status" : "was killed by signal",
				 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return -EINVAL;
	}
	if (!early && (!WIFEXITED(fstatus) || WEXITSTATUS(fstatus))) {
		snprintf(err, errlen, "cannot read the layer");
		return -EIO;
	}
	return 0;
}

/* The decompressor a blob needs, from its media type, else from its first bytes. */
static const char *tool_for(const struct blob *b, enum img_media type)
{
	unsigned char m[4] = {0};

	if (type == IMG_MT_GZIP)
		return "gzip";
	if (type == IMG_MT_ZSTD)
		return "zstd";
	if (type == IMG_MT_TAR)
		return NULL;
	if (b->size >= 4 && blob_pread(b, m, 4, 0) == 0) {
		if (m[0] == 0x1f && m[1] == 0x8b)
			return "gzip";
		if (m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
			return "zstd";
		if (m[0] == 'B' && m[1] == 'Z' && m[2] == 'h')
			return "bzip2";
		if (m[0] == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X')
			return "xz";
	}
	return NULL;
}

/* A file's data into the store, under its sha256. */
static int store_put(struct img_store *store, struct tar_reader *r, struct img_inode *ino,
		     char *err, size_t errlen, bool *ret_tar)
{
	static char buf[1 << 16];
	char tmp[64];
	struct sha256 h;
	ssize_t n;
	int fd, w = 0;

	*ret_tar = false;
	if (store->max_file && r->cur.size > store->max_file) {
		snprintf(err, errlen, "%llu bytes: more than a file may hold here (%llu)",
			 (unsigned long long)r->cur.size, (unsigned long long)store->max_file);
		return -EFBIG;
	}
	if (store->max_total && r->cur.size > store->max_total - store->total) {
		snprintf(err, errlen, "the image's files pass %llu bytes",
			 (unsigned long long)store->max_total);
		return -EFBIG;
	}
	store->total += r->cur.size;
	snprintf(tmp, sizeof(tmp), "tmp.%d.%lu", (int)getpid(), store->seq++);
	fd = openat(store->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "the store: %s", strerror(errno));
		return -errno;
	}
	sha256_init(&h);
	ino->size = 0;
	*ret_tar = false;
	while ((n = tar_read(r, buf, sizeof(buf), err, errlen)) > 0) {
		sha256_update(&h, buf, n);
		ino->size += n;
		if (!w && (w = write_all(fd, buf, n)) < 0)
			snprintf(err, errlen, "the store: %s", strerror(-w));
	}
	if (close(fd) < 0 && !w)
		w = -errno;
	if (n < 0 || w < 0) {
		unlinkat(store->dirfd, tmp, 0);
		*ret_tar = n < 0; /* the reader's message names the entry itself */
		return n < 0 ? (int)n : w;
	}
	sha256_final_hex(&h, ino->hex);
	if (renameat(store->dirfd, tmp, store->dirfd, ino->hex) < 0) {
		snprintf(err, errlen, "the store: %s", strerror(errno));
		unlinkat(store->dirfd, tmp, 0);
		return -errno;
	}
	return 0;
}

/*
 * Apply one layer: the blob B (compressed as TYPE says, or as its bytes say) into TREE.
 * LABEL names the layer in messages; DIFF_ID, when known, is the uncompressed bytes' digest.
 */
static int apply_layer(struct src *s, struct img_tree *tree, struct img_store *store,
		       const struct blob *b, enum img_media type, const char *label,
		       const char *diff_id)
{
	char err[ERRLEN] = "", why[ERRLEN], path[ERRLEN], hex[SHA256_HEX_LEN + 1];
	struct stream st = {.b = *b};
	const struct tar_entry *e;
	struct tar_reader r;
	int n, ended;

	if ((n = stream_start(&st, tool_for(b, type))) < 0)
		return failed(s, n, "layer %s: %s", label, strerror(-n));
	img_tree_next_layer(tree);
	tar_init(&r, stream_read, &st);
	while ((n = tar_next(&r, &e, err, sizeof(err))) > 0) {
		struct img_inode *file;
		bool tar_err = false;

		if ((n = img_tree_add(tree, e, &file, err, sizeof(err))) < 0 ||
		    (file && (n = store_put(store, &r, file, err, sizeof(err), &tar_err)) < 0)) {
			str_escape(path, sizeof(path), e->path, strlen(e->path));
			if (e->type == TAR_HARDLINK && e->link && strstr(err, "hard link")) {
				char to[ERRLEN / 2];

				str_escape(to, sizeof(to), e->link, strlen(e->link));
				snprintf(err, sizeof(err), "hard link to '%s', not in the image", to);
			}
			tar_free(&r);
			stream_end(&st, true, true, NULL, 0);
			if (n == -ENOMEM)
				return failed(s, n, "%s", strerror(ENOMEM));
			if (tar_err)
				return failed(s, n, "layer %s: %s", label, err);
			return failed(s, n, "layer %s: '%s': %s", label, path, err);
		}
	}
	if (n == 0) {
		/* What follows the end blocks counts in the digest too. */
		char buf[4096];
		ssize_t m;

		while ((m = stream_read(&st, buf, sizeof(buf))) > 0)
			;
		if (m < 0) {
			n = (int)m;
			snprintf(err, sizeof(err), "%s", strerror((int)-m));
		}
	}
	tar_free(&r);
	/* A decompressor's failure explains a truncated stream better than the tar does. */
	ended = stream_end(&st, false, n < 0, why, sizeof(why));
	if (ended < 0)
		return failed(s, ended, "layer %s: %s", label, why);
	if (n < 0)
		return failed(s, n, "layer %s: %s", label, err);
	sha256_final_hex(&st.h, hex);
	if (diff_id && strcmp(hex, diff_id + 7))
		return failed(s, -EINVAL, "layer %s: sha256 is %s, the descriptor says %s", label,
			      hex, diff_id + 7);
	return 0;
}

/* ---- the kinds of source ---- */

/* What INFO keeps of a config read whole: its creation time and its config object. */
static void take_config(struct img_info *info, struct img_config *c, size_t nlayers)
{
	info->layers = nlayers;
	info->created = c->created;
	info->config_json = c->config_json;
	c->created = c->config_json = NULL;
}

static int read_oci(struct src *s, const char *tag, struct img_tree *tree,
		    struct img_store *store, struct img_info *info)
{
	char err[ERRLEN], path[PATH_MAX], doc[IMG_DIGEST_LEN + 16];
	_cleanup_free_ char *json = NULL;
	struct img_manifest m = {0};
	struct img_config c = {0};
	struct img_desc d;
	size_t len;
	int r, depth;

	if ((r = read_doc(s, "index.json", NULL, "index", &json, &len)) < 0)
		return r;
	if ((r = img_index_pick("index.json", json, len, tag, &d, err, sizeof(err))) < 0)
		return failed(s, r, "%s", err);
	for (depth = 0; d.type == IMG_MT_INDEX; depth++) {
		if (depth == 4)
			return failed(s, -EINVAL, "index %s: indexes nested too deep", d.digest);
		free(json);
		json = NULL;
		blob_path(path, sizeof(path), d.digest);
		if ((r = read_doc(s, path, &d, "index", &json, &len)) < 0)
			return r;
		snprintf(doc, sizeof(doc), "index %s", d.digest);
		if ((r = img_index_pick(doc, json, len, NULL, &d, err, sizeof(err))) < 0)
			return failed(s, r, "%s", err);
	}
	memcpy(info->digest, d.digest, sizeof(info->digest));
	free(json);
	json = NULL;
	blob_path(path, sizeof(path), d.digest);
	snprintf(doc, sizeof(doc), "manifest %s", d.digest);
	if ((r = read_doc(s, path, &d, "manifest", &json, &len)) < 0)
		return r;
	if ((r = img_manifest_parse(doc, json, len, &m, err, sizeof(err))) < 0)
		return failed(s, r, "%s", err);
	free(json);
	json = NULL;
	blob_path(path, sizeof(path), m.config.digest);
	snprintf(doc, sizeof(doc), "config %s", m.config.digest);
	if ((r = read_doc(s, path, &m.config, "config", &json, &len)) < 0)
		goto out;
	if ((r = img_config_parse(doc, json, len, &c, err, sizeof(err))) < 0) {
		failed(s, r, "%s", err);
		goto out;
	}
	memcpy(info->config_digest, m.config.digest, sizeof(info->config_digest));
	if (c.ndiff != m.nlayers) {
		r = failed(s, -EINVAL, "%s: rootfs.diff_ids lists %zu layers, the manifest %zu", doc,
			   c.ndiff, m.nlayers);
		goto out;
	}
	for (size_t i = 0; i < m.nlayers && r == 0; i++) {
		struct blob b = {.fd = -1};

		blob_path(path, sizeof(path), m.layers[i].digest);
		if ((r = src_open_blob(s, path, &b)) < 0) {
			r = failed(s, r, "layer %s: %s", m.layers[i].digest,
				   r == -ENOENT ? "not in the image" : strerror(-r));
			break;
		}
		r = verify(s, &b, &m.layers[i], "layer");
		if (r == 0)
			r = apply_layer(s, tree, store, &b, m.layers[i].type, m.layers[i].digest,
					c.diff_ids[i]);
		blob_close(&b);
	}
	take_config(info, &c, m.nlayers);
out:
	img_manifest_free(&m);
	img_config_free(&c);
	return r;
}

/* The digest a docker-archive name carries: "<hex>.json", "<hex>/layer.tar",
 * "blobs/sha256/<hex>"; NULL when it carries none. */
static const char *name_digest(const char *name, char hex[SHA256_HEX_LEN + 1])
{
	const char *base = strrchr(name, '/');
	size_t n = 0;

	if (!strncmp(name, "blobs/sha256/", 13))
		base = name + 13;
	else
		base = base && !strcmp(base, "/layer.tar") ? name : (base ? base + 1 : name);
	while (n < SHA256_HEX_LEN && ((base[n] >= '0' && base[n] <= '9') || (base[n] >= 'a' && base[n] <= 'f')))
		n++;
	if (n != SHA256_HEX_LEN || (base[n] && strcmp(base + n, ".json") && strcmp(base + n, "/layer.tar")))
		return NULL;
	memcpy(hex, base, SHA256_HEX_LEN);
	hex[SHA256_HEX_LEN] = '\0';
	return hex;
}

static int read_docker(struct src *s, const char *tag, struct img_tree *tree,
		       struct img_store *store, struct img_info *info)
{
	char err[ERRLEN], hex[SHA256_HEX_LEN + 1], named[SHA256_HEX_LEN + 1];
	_cleanup_free_ char *json = NULL;
	struct img_docker d = {0};
	struct img_config c = {0};
	struct blob b = {.fd = -1};
	size_t len;
	int r;

	if ((r = read_doc(s, "manifest.json", NULL, "manifest.json", &json, &len)) < 0)
		return r;
	if ((r = img_docker_pick(json, len, tag, &d, err, sizeof(err))) < 0)
		return failed(s, r, "%s", err);
	free(json);
	json = NULL;
	if ((r = read_doc(s, d.config, NULL, "config", &json, &len)) < 0)
		goto out;
	{
		struct sha256 h;

		sha256_init(&h);
		sha256_update(&h, json, len);
		sha256_final_hex(&h, hex);
	}
	if (name_digest(d.config, named) && strcmp(named, hex)) {
		r = failed(s, -EINVAL, "config %s: sha256 is %s, the descriptor says %s", d.config,
			   hex, named);
		goto out;
	}
	snprintf(info->digest, sizeof(info->digest), "sha256:%s", hex);
	memcpy(info->config_digest, info->digest, sizeof(info->digest));
	if ((r = img_config_parse("config", json, len, &c, err, sizeof(err))) < 0) {
		failed(s, r, "%s", err);
		goto out;
	}
	if (c.ndiff != d.nlayers) {
		r = failed(s, -EINVAL, "config: rootfs.diff_ids lists %zu layers, manifest.json %zu",
			   c.ndiff, d.nlayers);
		goto out;
	}
	for (size_t i = 0; i < d.nlayers && r == 0; i++) {
		if ((r = src_open_blob(s, d.layers[i], &b)) < 0) {
			r = failed(s, r, "layer '%s': %s", d.layers[i],
				   r == -ENOENT ? "not in the archive" : strerror(-r));
			break;
		}
		r = apply_layer(s, tree, store, &b, IMG_MT_UNKNOWN, c.diff_ids[i], c.diff_ids[i]);
		blob_close(&b);
	}
	take_config(info, &c, d.nlayers);
out:
	img_docker_free(&d);
	img_config_free(&c);
	return r;
}

static int read_tar(struct src *s, struct img_tree *tree, struct img_store *store,
		    struct img_info *info)
{
	char hex[SHA256_HEX_LEN + 1];
	struct stat st;
	struct blob b;
	int r;

	if (fstat(s->fd, &st) < 0)
		return failed(s, -errno, "%s", strerror(errno));
	b = (struct blob){.fd = s->fd, .size = st.st_size};
	if ((r = blob_hash(&b, hex)) < 0)
		return failed(s, r, "%s", strerror(-r));
	snprintf(info->digest, sizeof(info->digest), "sha256:%s", hex);
	info->layers = 1;
	if (!(info->config_json = strdup("{}")))
		return failed(s, -ENOMEM, "%s", strerror(ENOMEM));
	return apply_layer(s, tree, store, &b, IMG_MT_UNKNOWN, info->digest, NULL);
}

static const struct {
	const char *prefix;
	enum src_kind kind;
} kinds[] = {
	{"oci:", SRC_OCI},
	{"oci-archive:", SRC_OCI_ARCHIVE},
	{"docker-archive:", SRC_DOCKER},
	{"tar:", SRC_TAR},
};

int img_source_split(const char *source, char **ret_path, const char **ret_tag)
{
	char *path, *colon;
	size_t i;

	*ret_path = NULL;
	*ret_tag = NULL;
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strncmp(source, kinds[i].prefix, strlen(kinds[i].prefix)))
			break;
	if (i == ARRAY_SIZE(kinds))
		return -EINVAL;
	if (!(path = strdup(source + strlen(kinds[i].prefix))))
		return -ENOMEM;
	/* PATH:TAG (a tag may hold ':' and '/' too), unless the whole of it names what exists:
	 * the shortest PATH that exists. */
	if (kinds[i].kind != SRC_TAR && access(path, F_OK) < 0) {
		for (colon = strchr(path, ':'); colon; colon = strchr(colon + 1, ':')) {
			*colon = '\0';
			if (access(path, F_OK) == 0 && colon[1]) {
				*ret_tag = colon + 1;
				break;
			}
			*colon = ':';
		}
	}
	*ret_path = path;
	return kinds[i].kind;
}

int img_source_read(const char *name, const char *source, struct img_tree *tree,
		    struct img_store *store, struct img_info *info)
{
	struct src s = {.name = name, .fd = -1};
	_cleanup_free_ char *path = NULL;
	const char *tag;
	struct stat st;
	size_t i;
	int r;

	memset(info, 0, sizeof(*info));
	info->name = name;
	info->source = source;
	r = img_source_split(source, &path, &tag);
	/* No kind: a plain directory (kbox load's), as the tree of a single layer. */
	if (r == -EINVAL && stat(source, &st) == 0 && S_ISDIR(st.st_mode))
		return img_dir_read(name, source, tree, store, info);
	if (r == -EINVAL)
		return failed(&s, -EINVAL,
			      "'%s' is not oci:, oci-archive:, docker-archive:, tar: or a directory",
			      source);
	if (r < 0)
		return failed(&s, r, "%s", strerror(-r));
	s.kind = r;
	/* O_NONBLOCK: a fifo named as the source must not hold the build; it is refused. */
	s.fd = open(path, (s.kind == SRC_OCI ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (s.fd < 0)
		return failed(&s, -errno, "'%s': %s", path, strerror(errno));
	{
		struct stat sst;

		if (fstat(s.fd, &sst) < 0 || (s.kind != SRC_OCI && !S_ISREG(sst.st_mode))) {
			close(s.fd);
			return failed(&s, -EINVAL, "'%s': not a regular file", path);
		}
	}
	if (s.kind == SRC_OCI_ARCHIVE || s.kind == SRC_DOCKER)
		r = index_archive(&s);
	else
		r = 0;
	if (r == 0) {
		if (s.kind == SRC_OCI || s.kind == SRC_OCI_ARCHIVE)
			r = read_oci(&s, tag, tree, store, info);
		else if (s.kind == SRC_DOCKER)
			r = read_docker(&s, tag, tree, store, info);
		else
			r = read_tar(&s, tree, store, info);
	}
	for (i = 0; i < s.nents; i++) {
		free(s.ents[i].name);
		free(s.ents[i].link);
	}
	free(s.ents);
	close(s.fd);
	return r;
}

void img_info_free(struct img_info *info)
{
	free(info->created);
	free(info->config_json);
	info->created = info->config_json = NULL;
}

int img_store_open(const char *dir, struct img_store *s)
{
	memset(s, 0, sizeof(*s));
	s->dirfd = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	return s->dirfd < 0 ? -errno : 0;
}

void img_store_close(struct img_store *s)
{
	if (s->dirfd >= 0)
		close(s->dirfd);
	s->dirfd = -1;
}
