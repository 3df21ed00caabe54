/* `kbox image import -o FILE NAME=SOURCE...`: what initramfs/build runs for every image that
 * is not a directory. All images or none: any error leaves FILE as it was. */
#include "import.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lib/log.h"
#include "../../lib/util.h"
#include "../spec/values.h"
#include "emit.h"

/* An image's files together, at most: it is unpacked into the appliance's RAM. */
#define IMG_IMAGE_MAX (4ULL << 30)

static const char usage[] =
	"usage: kbox image import -o FILE [--prefix DIR] NAME=SOURCE...\n"
	"\n"
	"Read each image from SOURCE and write them all, below DIR (default /images), into one\n"
	"cpio archive FILE for an initramfs, with a record DIR/NAME.json of each. SOURCE is\n"
	"  oci:DIR[:TAG]               an OCI image layout\n"
	"  oci-archive:FILE[:TAG]      the same in a tar (podman save --format oci-archive)\n"
	"  docker-archive:FILE[:TAG]   what docker save and podman save write\n"
	"  tar:FILE                    a root filesystem tarball (docker export)\n"
	"Layers may be gzip or zstd (the host's gzip and zstd decompress them). Every digest is\n"
	"checked; a path that would leave the image is refused.\n";

static void human(char *buf, size_t len, unsigned long long n)
{
	static const char units[] = "BKMGT";
	double v = n;
	int u = 0;

	while (v >= 1024 && u < 4)
		v /= 1024, u++;
	snprintf(buf, len, u ? "%.1f%c" : "%.0f%c", v, units[u]);
}

static void report_dropped(const struct img_image *im)
{
	static const char *const what[IMG_DROP_COUNT] = {
		[IMG_DROP_XATTR] = "extended attributes",
		[IMG_DROP_DEVICE] = "device nodes",
		[IMG_DROP_FIFO] = "fifos",
		[IMG_DROP_LONG] = "names longer than an initramfs takes",
	};

	for (int k = 0; k < IMG_DROP_COUNT; k++) {
		char ex[512];
		const char *e = im->tree.dropped[k].example;

		if (!im->tree.dropped[k].count)
			continue;
		str_escape(ex, sizeof(ex), e ? e : "", e ? strlen(e) : 0);
		log_msg("image '%s': not carried: %lu %s (the first: '%s')", im->info.name,
			im->tree.dropped[k].count, what[k], ex);
	}
}

static void remove_dir(const char *dir)
{
	int fd = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd >= 0 && fstat(fd, &st) == 0)
		rm_contents(fd, st.st_dev);
	if (fd >= 0)
		close(fd);
	rmdir(dir);
}

int img_import_main(int argc, char **argv)
{
	const char *out = NULL, *prefix = "/images", *tmpdir = getenv("TMPDIR");
	char store_dir[4096], tmp[4096];
	struct img_image *images;
	struct img_store store;
	struct img_share share;
	size_t n = 0;
	int i, bad = 0, r;
	FILE *f;

	log_set_ident("kbox");
	for (i = 3; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "--prefix") && i + 1 < argc) {
			prefix = argv[++i];
		} else {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (!out || i == argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (!(images = calloc(argc - i, sizeof(*images))))
		return log_errno(-ENOMEM, "images"), 1;
	snprintf(store_dir, sizeof(store_dir), "%s/kbox-image.XXXXXX", tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(store_dir) || img_store_open(store_dir, &store) < 0) {
		log_msg("images: a store in '%s': %s", store_dir, strerror(errno));
		free(images);
		return 1;
	}
	/* newc's sizes are 32 bits; and an image is unpacked into the appliance's RAM. */
	store.max_file = 0xffffffffULL;
	store.max_total = IMG_IMAGE_MAX;
	for (; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		struct img_image *im = &images[n];

		if (!eq) {
			log_msg("'%s' is not NAME=SOURCE", argv[i]);
			bad = 1;
			continue;
		}
		*eq = '\0';
		if (!spec_valid_name(argv[i])) {
			log_msg("image '%s': not a name (letters, digits, '_' and '-', up to 63)", argv[i]);
			bad = 1;
			continue;
		}
		for (size_t k = 0; k < n; k++)
			if (!strcmp(images[k].info.name, argv[i])) {
				log_msg("image '%s': given twice", argv[i]);
				bad = 1;
			}
		img_tree_init(&im->tree);
		n++;
		store.total = 0;
		if (img_source_read(argv[i], eq + 1, &im->tree, &store, &im->info) < 0)
			bad = 1;
		else
			report_dropped(im);
	}
	r = -EINVAL;
	if (!bad) {
		int fd;

		/* A name of our own, made here: never a file or symlink someone put there. */
		snprintf(tmp, sizeof(tmp), "%s.tmp.%d", out, (int)getpid());
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		f = fd < 0 ? NULL : fdopen(fd, "w");
		if (!f) {
			if (fd >= 0)
				close(fd);
			log_msg("'%s': %s", tmp, strerror(errno));
		} else {
			r = img_emit_cpio(f, prefix, images, n, &store, &share);
			if (fclose(f) != 0 && r == 0)
				r = log_errno(-errno, "'%s'", tmp);
			if (r == 0 && rename(tmp, out) < 0)
				r = log_errno(-errno, "'%s'", out);
			if (r < 0)
				unlink(tmp);
		}
	}
	if (r == 0) {
		char a[32], b[32];

		for (size_t k = 0; k < n; k++) {
			human(a, sizeof(a), images[k].info.size);
			/* Unpacked, then copied by PID 1 at boot: twice this while it boots. */
			human(b, sizeof(b), images[k].info.ram);
			log_msg("image '%s': %s, %u layer%s, %s; %lu entries, %s of the "
				"appliance's RAM",
				images[k].info.name, a, images[k].info.layers,
				images[k].info.layers == 1 ? "" : "s", images[k].info.digest,
				images[k].info.entries, b);
		}
		human(a, sizeof(a), share.bytes);
		human(b, sizeof(b), share.stored);
		log_msg("images: %lu file names stored as %lu files: %s in %s", share.names,
			share.files ? share.files : share.names, a, b);
	}
	for (size_t k = 0; k < n; k++) {
		img_tree_free(&images[k].tree);
		img_info_free(&images[k].info);
	}
	free(images);
	img_store_close(&store);
	remove_dir(store_dir);
	return r == 0 ? 0 : 1;
}
