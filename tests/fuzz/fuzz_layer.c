/* libFuzzer target: a layer applied to an image tree, entry by entry, as the importer does
 * (the tar reader, then the tree: whiteouts, hard links, paths that try to leave). The
 * input is the layer's tar; it is applied twice, as two layers, so that whiteouts and
 * opaque directories meet a lower layer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/image/tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *data;
	size_t size, at;
};

static ssize_t mem_read(void *ctx, void *buf, size_t len)
{
	struct input *in = ctx;
	size_t n = in->size - in->at < len ? in->size - in->at : len;

	memcpy(buf, in->data + in->at, n);
	in->at += n;
	return n;
}

static int visit(void *ctx, const char *path, struct img_node *n)
{
	size_t *count = ctx;

	/* Nothing in the tree may name a way out. */
	if (path[0] == '/' || strstr(path, "../") || !strcmp(n->name, "..") || !n->name[0])
		abort();
	(*count)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct img_tree t;
	size_t count = 0;
	char err[512];

	img_tree_init(&t);
	for (int layer = 0; layer < 2; layer++) {
		struct input in = {data, size, 0};
		const struct tar_entry *e;
		struct tar_reader r;
		char buf[4096];

		img_tree_next_layer(&t);
		tar_init(&r, mem_read, &in);
		while (tar_next(&r, &e, err, sizeof(err)) > 0) {
			struct img_inode *file;

			if (img_tree_add(&t, e, &file, err, sizeof(err)) < 0)
				continue;
			if (file)
				while (tar_read(&r, buf, sizeof(buf), err, sizeof(err)) > 0)
					file->size++;
		}
		tar_free(&r);
	}
	img_tree_walk(&t, visit, &count);
	img_tree_free(&t);
	return 0;
}
