/* Unit tests of the image importer's pure parts: the layered tree (whiteouts, opaque
 * directories, hard links, every way out of the tree), the OCI and docker documents, and
 * sha256. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/image/manifest.h"
#include "../../runtime/image/sha256.h"
#include "../../runtime/image/tree.h"
#include "../tap.h"

static char err[512];

static int add(struct img_tree *t, enum tar_type type, const char *path, const char *link)
{
	struct tar_entry e = {.path = (char *)path, .link = (char *)link, .type = type, .mode = 0644};
	struct img_inode *file;
	int r;

	if (type == TAR_DIR)
		e.mode = 0755;
	err[0] = '\0';
	r = img_tree_add(t, &e, &file, err, sizeof(err));
	if (file) {
		snprintf(file->hex, sizeof(file->hex), "%064d", (int)strlen(path));
		file->size = strlen(path);
	}
	return r;
}

static bool has(struct img_tree *t, const char *path)
{
	return img_tree_lookup(t, path) != NULL;
}

static int list(void *ctx, const char *path, struct img_node *n)
{
	char *buf = ctx;

	strcat(buf, path);
	strcat(buf, n->ino->type == TAR_DIR ? "/ " : " ");
	return 0;
}

static void test_layers(void)
{
	struct img_tree t;
	char names[1024] = "";

	img_tree_init(&t);
	img_tree_next_layer(&t);
	is_int(add(&t, TAR_DIR, "./etc/", NULL), 0, "a directory, as ./etc/");
	is_int(add(&t, TAR_FILE, "etc/passwd", NULL), 0, "a file in it");
	is_int(add(&t, TAR_FILE, "opt/data/a", NULL), 0, "a file whose parents are missing");
	is_int(add(&t, TAR_FILE, "opt/data/b", NULL), 0, "and its sibling");
	is_int(add(&t, TAR_FILE, "opt/keep", NULL), 0, "a file beside the directory");
	is_int(add(&t, TAR_FILE, "motd", NULL), 0, "a file at the top");
	is_int(add(&t, TAR_HARDLINK, "motd2", "./motd"), 0, "a hard link to it");
	ok(img_tree_lookup(&t, "motd")->ino == img_tree_lookup(&t, "motd2")->ino,
	   "the hard link shares the inode");
	is_int(img_tree_lookup(&t, "motd")->ino->refs, 2, "counted twice");
	is_int(add(&t, TAR_SYMLINK, "bin", "usr/bin"), 0, "a symlink");
	is_int(add(&t, TAR_FILE, "srv/old", NULL), 0, "a file in srv");
	is_int(add(&t, TAR_FILE, "srv/sub/old", NULL), 0, "and deeper");

	img_tree_next_layer(&t);
	is_int(add(&t, TAR_FILE, "etc/.wh.passwd", NULL), 0, "a whiteout");
	ok(!has(&t, "etc/passwd"), "hides the lower layer's file");
	is_int(add(&t, TAR_FILE, "opt/data/.wh..wh..opq", NULL), 0, "an opaque directory");
	is_int(add(&t, TAR_FILE, "opt/data/new", NULL), 0, "with a new entry");
	ok(!has(&t, "opt/data/a") && !has(&t, "opt/data/b") && has(&t, "opt/data/new"),
	   "opaque: only the layer's own entries are left");
	ok(has(&t, "opt/keep"), "opaque hides nothing beside the directory");
	is_int(add(&t, TAR_FILE, "srv/sub/new", NULL), 0, "a layer's entry before its opaque marker");
	is_int(add(&t, TAR_FILE, "srv/.wh..wh..opq", NULL), 0, "the marker after it");
	ok(has(&t, "srv/sub/new") && !has(&t, "srv/old") && !has(&t, "srv/sub/old"),
	   "opaque in any order: the layer's entries stay, the lower ones go, deep too");
	is_int(add(&t, TAR_FILE, "opt/.wh.nothing", NULL), 0, "a whiteout of nothing is no error");
	is_int(add(&t, TAR_FILE, "gone/.wh.x", NULL), 0, "nor a whiteout in a missing directory");
	ok(!has(&t, "gone"), "which it does not create");
	is_int(add(&t, TAR_FILE, "motd", NULL), 0, "a file replaced");
	ok(img_tree_lookup(&t, "motd")->ino != img_tree_lookup(&t, "motd2")->ino,
	   "breaks the hard link: the other name keeps the old file");
	is_int(add(&t, TAR_FILE, "etc", NULL), 0, "a directory replaced by a file");
	ok(has(&t, "etc") && img_tree_lookup(&t, "etc")->ino->type == TAR_FILE,
	   "takes its place, subtree and all");

	img_tree_next_layer(&t);
	is_int(add(&t, TAR_FILE, "wd/secret", NULL), 0, "wd/secret in a lower layer");
	img_tree_next_layer(&t);
	is_int(add(&t, TAR_FILE, "wd/new", NULL), 0, "a later layer writes wd/new");
	is_int(add(&t, TAR_FILE, ".wh.wd", NULL), 0, "then whites out wd");
	ok(has(&t, "wd/new") && !has(&t, "wd/secret"),
	   "a whiteout after the layer's own entries still hides the lower ones");
	is_int(add(&t, TAR_FILE, ".wh.wd", NULL), 0, "wd whited out again");
	is_int(add(&t, TAR_FILE, ".wh.wd", NULL), 0, "and again");
	img_tree_next_layer(&t);
	is_int(add(&t, TAR_FILE, ".wh.wd", NULL), 0, "a next layer's whiteout of wd");
	ok(!has(&t, "wd"), "hides it whole");
	is_int(add(&t, TAR_FILE, "new-in-3", NULL), 0, "layer 3 adds a file");
	is_int(add(&t, TAR_FILE, ".wh.new-in-3", NULL), 0, "and whites it out in the same layer");
	ok(has(&t, "new-in-3"), "a whiteout hides only lower layers");
	is_int(add(&t, TAR_FILE, "opt/.wh.data", NULL), 0, "a whiteout of a directory");
	ok(!has(&t, "opt/data") && !has(&t, "opt/data/new"), "removes it whole");

	img_tree_walk(&t, list, names);
	is_str(names, "bin etc motd motd2 new-in-3 opt/ opt/keep srv/ srv/sub/ srv/sub/new ", "walk: pre-order, sorted");
	img_tree_free(&t);
}

static void test_escapes(void)
{
	struct img_tree t;

	img_tree_init(&t);
	img_tree_next_layer(&t);
	is_int(add(&t, TAR_FILE, "../../x", NULL), -EINVAL, "../../x is refused");
	is_str(err, "'..' leaves the image", "with the reason");
	is_int(add(&t, TAR_FILE, "a/../../x", NULL), -EINVAL, "a/../../x too");
	is_int(add(&t, TAR_FILE, "a/b/..", NULL), -EINVAL, "any '..' at all");
	is_int(add(&t, TAR_FILE, "/etc/abs", NULL), -EINVAL, "an absolute path");
	is_str(err, "absolute path", "with the reason");
	is_int(add(&t, TAR_SYMLINK, "evil", "/"), 0, "a symlink to / is fine in itself");
	is_int(add(&t, TAR_FILE, "evil/etc/x", NULL), -EINVAL, "a file written through it is not");
	is_str(err, "written through the symlink 'evil'", "with the symlink's name");
	is_int(add(&t, TAR_DIR, "evil/etc", NULL), -EINVAL, "nor a directory through it");
	is_int(add(&t, TAR_HARDLINK, "evil/h", "motd"), -EINVAL, "nor a hard link through it");
	is_int(add(&t, TAR_FILE, "evil/.wh.etc", NULL), -EINVAL, "nor a whiteout through it");
	is_int(add(&t, TAR_SYMLINK, "d/l", "../../.."), 0, "a symlink deep down");
	img_tree_next_layer(&t);
	is_int(add(&t, TAR_FILE, "d/l/x", NULL), -EINVAL, "is no way out in a later layer either");
	is_str(err, "written through the symlink 'd/l'", "named with its path");
	is_int(add(&t, TAR_HARDLINK, "h", "../outside"), -EINVAL, "a hard link to ../outside");
	is_int(add(&t, TAR_HARDLINK, "h", "/etc/shadow"), -EINVAL, "a hard link to an absolute path");
	is_int(add(&t, TAR_HARDLINK, "h", "missing"), -EINVAL, "a hard link to a missing name");
	is_int(add(&t, TAR_HARDLINK, "h", "evil/etc/passwd"), -EINVAL,
	       "a hard link whose target goes through a symlink");
	is_int(add(&t, TAR_HARDLINK, "h", "d"), -EINVAL, "a hard link to a directory");
	is_int(add(&t, TAR_FILE, "f", NULL), 0, "a file");
	is_int(add(&t, TAR_FILE, "f/x", NULL), -EINVAL, "is no directory");
	is_str(err, "'f' is not a directory", "with the reason");
	is_int(add(&t, TAR_FILE, ".", NULL), -EINVAL, "the root cannot become a file");
	is_int(add(&t, TAR_DIR, "./", NULL), 0, "but takes a directory's attributes");
	{
		struct tar_entry e = {.path = "owned", .type = TAR_FILE, .mode = 0644, .uid = 4294967295u};
		struct img_inode *file;

		is_int(img_tree_add(&t, &e, &file, err, sizeof(err)), -EINVAL,
		       "an owner of 4294967295 ((uid_t)-1, which chown leaves as root)");
		is_str(err, "owner 4294967295:0: 4294967295 is not an id", "is refused");
	}
	{
		char deep[2 * 130 + 8] = "";

		for (int i = 0; i < 129; i++)
			strcat(deep, "d/");
		strcat(deep, "f");
		is_int(add(&t, TAR_FILE, deep, NULL), -EINVAL, "130 levels deep is refused");
		is_str(err, "more than 128 directories deep", "with the reason (the boot's copy)");
		deep[strlen(deep) - 4] = '\0';
		strcat(deep, "f");
		is_int(add(&t, TAR_FILE, deep, NULL), 0, "129 levels (128 directories) are not");
	}
	ok(!has(&t, "x") && !has(&t, "etc") && !has(&t, "owned"), "nothing refused is in the tree");
	img_tree_free(&t);
}

static void test_dropped(void)
{
	struct img_tree t;
	struct tar_entry e = {.path = "cap", .type = TAR_FILE, .mode = 0755, .nxattrs = 1,
			      .xattr = "security.capability"};
	struct img_inode *file;
	char longname[5000];

	img_tree_init(&t);
	img_tree_next_layer(&t);
	is_int(add(&t, TAR_CHAR, "dev/null", NULL), 0, "a device node is no error");
	is_int(add(&t, TAR_FIFO, "run/fifo", NULL), 0, "nor a fifo");
	ok(!has(&t, "dev/null") && !has(&t, "run/fifo"), "neither is carried");
	is_int(t.dropped[IMG_DROP_DEVICE].count, 1, "the device is counted");
	is_str(t.dropped[IMG_DROP_DEVICE].example, "dev/null", "with its name");
	is_int(t.dropped[IMG_DROP_FIFO].count, 1, "the fifo too");
	is_int(img_tree_add(&t, &e, &file, err, sizeof(err)), 0, "a file with a capability");
	ok(file && has(&t, "cap"), "is carried without it");
	if (file)
		strcpy(file->hex, "0");
	is_str(t.dropped[IMG_DROP_XATTR].example, "cap (security.capability)",
	       "the xattr is reported with its file");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	is_int(add(&t, TAR_FILE, longname, NULL), 0, "a 4999-byte name is no error");
	is_int(t.dropped[IMG_DROP_LONG].count, 1, "but is not carried");
	memset(longname, 'b', 256);
	strcpy(longname + 256, "/x");
	is_int(add(&t, TAR_FILE, longname, NULL), 0, "a 256-byte component is no error");
	is_int(t.dropped[IMG_DROP_LONG].count, 2, "but is reported, not carried (NAME_MAX)");
	ok(!has(&t, longname), "and is not in the tree");
	img_tree_free(&t);
}

#define D(c) "sha256:" c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c
#define A D("a")
#define B D("b")
#define MT_M "application/vnd.oci.image.manifest.v1+json"
#define MT_I "application/vnd.oci.image.index.v1+json"

static int pick(const char *json, const char *tag, struct img_desc *d)
{
	err[0] = '\0';
	return img_index_pick("index.json", json, strlen(json), tag, d, err, sizeof(err));
}

static void test_index(void)
{
	struct img_desc d;
	const char *one = "{\"manifests\":[{\"mediaType\":\"" MT_M "\",\"digest\":\"" A
			  "\",\"size\":7,\"annotations\":{\"org.opencontainers.image.ref.name\":"
			  "\"localhost/web:1\"}}]}";
	const char *plat = "{\"manifests\":["
			   "{\"mediaType\":\"" MT_M "\",\"digest\":\"" A "\",\"size\":1,"
			   "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}},"
			   "{\"mediaType\":\"" MT_M "\",\"digest\":\"" B "\",\"size\":2,"
			   "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}";

	is_int(pick(one, NULL, &d), 0, "index: the only image, without a tag");
	is_str(d.digest, A, "its digest");
	is_int(d.size, 7, "its size");
	is_int(d.type, IMG_MT_MANIFEST, "a manifest");
	is_int(pick(one, "localhost/web:1", &d), 0, "by the whole ref name");
	is_int(pick(one, "web:1", &d), 0, "by name:tag");
	is_int(pick(one, "1", &d), 0, "by the tag alone");
	is_int(pick(one, "2", &d), -EINVAL, "a missing tag");
	is_str(err, "no tag '2' in index.json", "is named");
	is_int(pick(plat, NULL, &d), 0, "a multi-platform index");
	is_str(d.digest, B, "gives linux/amd64");
	is_int(pick("{\"manifests\":[{\"mediaType\":\"" MT_M "\",\"digest\":\"" A "\",\"size\":1,"
		    "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}}]}",
		    NULL, &d),
	       -EINVAL, "an index with no linux/amd64");
	is_str(err, "no linux/amd64 manifest in index.json", "says so");
	is_int(pick("{\"manifests\":[{\"mediaType\":\"application/x-what\",\"digest\":\"" A
		    "\",\"size\":1}]}",
		    NULL, &d),
	       -EINVAL, "an unknown media type");
	ok(strstr(err, "unknown media type 'application/x-what'") != NULL, "is named: %s", err);
	is_int(pick("{\"manifests\":[{\"mediaType\":\"" MT_I "\",\"digest\":\"" A "\",\"size\":1}]}",
		    NULL, &d),
	       0, "a nested index");
	is_int(d.type, IMG_MT_INDEX, "is returned as one");
	is_int(pick("{\"manifests\":[{\"mediaType\":\"" MT_M "\",\"digest\":\"sha256:../../etc\","
		    "\"size\":1}]}",
		    NULL, &d),
	       -EINVAL, "a digest that is a path");
	ok(strstr(err, "is not a sha256 digest") != NULL, "is refused: %s", err);
	is_int(pick("{\"manifests\":[{\"mediaType\":\"" MT_M "\",\"digest\":\"" A "\",\"size\":-1}]}",
		    NULL, &d),
	       -EINVAL, "a negative size");
	is_int(pick("{\"manifests\":[{\"mediaType\":\"" MT_M "\",\"digest\":\"" A "\",\"size\":1,"
		    "\"size\":2}]}",
		    NULL, &d),
	       -EINVAL, "a key given twice");
	is_int(pick("{\"manifests\": [", NULL, &d), -EINVAL, "truncated JSON");
	ok(strstr(err, "index.json: line 1 column") != NULL, "with line and column: %s", err);
	is_int(pick("[]", NULL, &d), -EINVAL, "not an object");
	is_int(pick("{\"manifests\":[]}", NULL, &d), -EINVAL, "no image");
	is_int(pick("{\"manifests\":[{\"mediaType\":\"" MT_M "\",\"digest\":\"" A "\",\"size\":1},"
		    "{\"mediaType\":\"" MT_M "\",\"digest\":\"" B "\",\"size\":1}]}",
		    NULL, &d),
	       -EINVAL, "two images and no tag");
	ok(strstr(err, "name one with :TAG") != NULL, "asks for a tag: %s", err);
}

static void test_manifest(void)
{
	struct img_manifest m;
	const char *good = "{\"schemaVersion\":2,\"config\":{\"mediaType\":"
			   "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" A
			   "\",\"size\":3},\"layers\":["
			   "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" B
			   "\",\"size\":9},"
			   "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+zstd\",\"digest\":\"" A
			   "\",\"size\":8},"
			   "{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
			   "\"digest\":\"" B "\",\"size\":7}]}";

	is_int(img_manifest_parse("manifest", good, strlen(good), &m, err, sizeof(err)), 0,
	       "a manifest");
	is_int(m.nlayers, 3, "three layers");
	is_int(m.layers[0].type, IMG_MT_GZIP, "gzip");
	is_int(m.layers[1].type, IMG_MT_ZSTD, "zstd");
	is_int(m.layers[2].type, IMG_MT_GZIP, "docker's gzip");
	is_str(m.config.digest, A, "the config's digest");
	img_manifest_free(&m);
	{
		const char *bad = "{\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
				  "\"digest\":\"" A "\",\"size\":3},\"layers\":[{\"mediaType\":"
				  "\"application/vnd.oci.image.layer.v1.tar+bzip2\",\"digest\":\"" B
				  "\",\"size\":9}]}";

		is_int(img_manifest_parse("manifest", bad, strlen(bad), &m, err, sizeof(err)),
		       -EINVAL, "an unknown layer media type");
		is_str(err, "manifest: layers[0]: unknown media type "
			    "'application/vnd.oci.image.layer.v1.tar+bzip2'",
		       "is named with its place");
	}
}

static void test_docker_and_config(void)
{
	struct img_docker d;
	struct img_config c;
	const char *two = "[{\"Config\":\"c1.json\",\"RepoTags\":[\"localhost/a:1\"],\"Layers\":[\"l1/layer.tar\"]},"
			  "{\"Config\":\"c2.json\",\"RepoTags\":[\"localhost/b:2\"],\"Layers\":[\"l2/layer.tar\",\"l3/layer.tar\"]}]";
	const char *cfg = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2026-11-30T10:00:00Z\","
			  "\"config\":{\"Cmd\":[\"sh\"],\"Env\":[\"A=1\"]},"
			  "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" A "\",\"" B "\"]}}";

	is_int(img_docker_pick(two, strlen(two), "b:2", &d, err, sizeof(err)), 0,
	       "docker manifest.json: by tag");
	is_str(d.config, "c2.json", "its config");
	is_int(d.nlayers, 2, "its layers");
	is_str(d.layers[1], "l3/layer.tar", "in order");
	img_docker_free(&d);
	is_int(img_docker_pick(two, strlen(two), NULL, &d, err, sizeof(err)), -EINVAL,
	       "two images and no tag");
	is_int(img_docker_pick(two, strlen(two), "c:3", &d, err, sizeof(err)), -EINVAL,
	       "a missing tag");
	is_str(err, "no tag 'c:3' in manifest.json", "is named");

	is_int(img_config_parse("config", cfg, strlen(cfg), &c, err, sizeof(err)), 0, "a config");
	is_int(c.ndiff, 2, "its diff_ids");
	is_str(c.created, "2026-11-30T10:00:00Z", "created");
	is_str(c.config_json, "{\"Cmd\":[\"sh\"],\"Env\":[\"A=1\"]}", "the config object, compact");
	img_config_free(&c);
	{
		const char *arm = "{\"architecture\":\"arm64\",\"os\":\"linux\",\"rootfs\":{\"diff_ids\":[]}}";
		const char *nocfg = "{\"rootfs\":{\"diff_ids\":[]}}";
		const char *badid = "{\"rootfs\":{\"diff_ids\":[\"md5:x\"]}}";

		is_int(img_config_parse("config", arm, strlen(arm), &c, err, sizeof(err)), -EINVAL,
		       "an arm64 config");
		is_str(err, "config: the image is for linux/arm64, not linux/amd64", "says so");
		is_int(img_config_parse("config", nocfg, strlen(nocfg), &c, err, sizeof(err)), 0,
		       "a config without config");
		is_str(c.config_json, "{}", "gives {}");
		img_config_free(&c);
		is_int(img_config_parse("config", badid, strlen(badid), &c, err, sizeof(err)),
		       -EINVAL, "a diff_id that is no sha256");
	}
}

static void test_sha256(void)
{
	struct sha256 h;
	char hex[SHA256_HEX_LEN + 1];
	static char million[1000000];

	sha256_init(&h);
	sha256_final_hex(&h, hex);
	is_str(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256 of nothing");
	sha256_init(&h);
	sha256_update(&h, "abc", 3);
	sha256_final_hex(&h, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "of abc");
	sha256_init(&h);
	sha256_update(&h, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
	sha256_final_hex(&h, hex);
	is_str(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "of 56 bytes");
	memset(million, 'a', sizeof(million));
	sha256_init(&h);
	for (size_t at = 0; at < sizeof(million); at += 999)
		sha256_update(&h, million + at, sizeof(million) - at < 999 ? sizeof(million) - at : 999);
	sha256_final_hex(&h, hex);
	is_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	       "of a million a, in odd pieces");
	ok(img_valid_digest(A), "a digest");
	ok(!img_valid_digest("sha256:ABCDEF"), "not a short one");
	ok(!img_valid_digest(D("A")), "nor upper case");
	ok(!img_valid_digest("sha512:" D("a")), "nor sha512");
}

int main(void)
{
	test_layers();
	test_escapes();
	test_dropped();
	test_index();
	test_manifest();
	test_docker_and_config();
	test_sha256();
	return done();
}
