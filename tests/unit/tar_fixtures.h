/* Real archives for test_tar: GNU tar 1.34 (gnu, ustar, v7, pax), bsdtar 3.6 (pax) and Go's
 * archive/tar (a layer and an oci-archive written by podman 4.3), as runs of non-zero bytes.
 *
 * Made as root in an empty directory on ext4 (for user xattrs and mknod):
 *
 *	N=$(printf 'n%.0s' $(seq 110)); T=/$(printf 't%.0s' $(seq 140)); Q=$(printf 'q%.0s' $(seq
 *90)) mkdir -p d p/$Q; chmod 755 d p p/$Q printf 'hello\n' >d/a.txt; printf '#!/bin/sh\n' >d/suid;
 *chmod 4755 d/suid : >d/empty; chmod 600 d/empty; head -c 512 /dev/zero | tr '\0' b >d/block512 ln
 *-s a.txt d/sym; ln d/a.txt d/hard; mkfifo d/fifo; mknod d/null c 1 3 printf 'long\n' >d/$N; ln -s
 *$T d/longlink; printf 'deep\n' >p/$Q/$(printf 'r%.0s' $(seq 30)).txt printf 'x\n' >x.txt python3
 *-c "import os; os.setxattr('x.txt', 'user.a', b'1'); os.setxattr('x.txt', 'user.b', b'2')" touch
 *-d @1700000000.123456789 x.txt; touch -h -d @1700000000 d/$N d/longlink o="-b1 --owner=1000
 *--group=1000 --numeric-owner --mtime=@1700000000 --sort=name" tar $o --format=gnu -cf gnu.tar d
 *	tar $o --format=ustar -cf ustar.tar p d/a.txt d/hard d/sym d/null d/fifo
 *	tar $o --format=v7 --no-recursion -cf v7.tar p d/a.txt d/sym
 *	tar -b1 --owner=3000000 --group=4000000 --numeric-owner --mtime=@-100000 --format=gnu \
 *		-cf gnu256.tar d/a.txt
 *	tar -b1 --owner=3000000 --group=1000 --numeric-owner --format=pax --xattrs \
 *		--pax-option=comment=kbox -cf pax.tar x.txt d/$N d/longlink
 *	bsdtar --format=pax --xattrs --uid 0 --gid 0 -cf bsdpax.tar x.txt d/$N
 *	mkdir -p r/etc; printf 'hi\n' >r/etc/hello; chmod 4755 r/etc/hello; ln -s hello r/etc/hi
 *	printf 'x\n' >r/etc/$(printf 'g%.0s' $(seq 120)); tar -C r -cf rootfs.tar .
 *	podman import rootfs.tar localhost/tartest:1
 *	podman save --format oci-archive -o go-oci.tar localhost/tartest:1
 *	podman save --format docker-archive -o x.tar localhost/tartest:1 # its layer: go-layer.tar
 *
 * and dumped with
 *
 *	import re, sys
 *	for f in sys.argv[1:]:
 *	    d, n = open(f, 'rb').read(), re.sub(r'\W', '_', f)
 *	    print('static const struct run %s_runs[] = {' % n)
 *	    for m in re.finditer(rb'[^\0](?:\0{0,7}[^\0])*', d):
 *	        s = ''.join(chr(c) if 32 <= c < 127 and c not in b'"\\?' else '\\%03o' % c for c in
 *m[0]) print('\t{%d, %d, "%s"},' % (m.start(), len(m[0]), s)) print('};\nstatic const struct
 *fixture %s = {"%s", %d, FIXTURE(%s_runs)};\n' % (n, f, len(d), n))
 *
 * The same archives are seeds of tests/fuzz/corpus/tar/.
 */
#pragma once

#include <stddef.h>

struct run {
	size_t off, len;
	const char *bytes;
};

struct fixture {
	const char *name;
	size_t size;
	const struct run *runs;
	size_t nruns;
};

#define FIXTURE(runs) runs, sizeof(runs) / sizeof((runs)[0])

static const struct run gnu_tar_runs[] = {
	{0, 2, "d/"},
	{100, 57, "0000755\0000001750\0000001750\00000000000000\00014524770400\000006224\000 5"},
	{257, 7, "ustar  "},
	{512, 7, "d/a.txt"},
	{612, 57, "0000644\0000001750\0000001750\00000000000006\00014524770400\000007201\000 0"},
	{769, 7, "ustar  "},
	{1024, 6, "hello\012"},
	{1536, 10, "d/block512"},
	{1636, 57, "0000644\0000001750\0000001750\00000000001000\00014524770400\000007460\000 0"},
	{1793, 7, "ustar  "},
	{2048, 519,
	 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbd/empty"},
	{2660, 57, "0000600\0000001750\0000001750\00000000000000\00014524770400\000007263\000 0"},
	{2817, 7, "ustar  "},
	{3072, 6, "d/fifo"},
	{3172, 57, "0000644\0000001750\0000001750\00000000000000\00014524770400\000007066\000 6"},
	{3329, 7, "ustar  "},
	{3584, 6, "d/hard"},
	{3684, 64,
	 "0000644\0000001750\0000001750\00000000000000\00014524770400\000010256\000 1d/a.txt"},
	{3841, 7, "ustar  "},
	{4096, 13, "././@LongLink"},
	{4196, 57, "0000644\0000000000\0000000000\00000000000216\00000000000000\000007771\000 K"},
	{4353, 7, "ustar  "},
	{4608, 141,
	 "/tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt"
	 "tttttttttttttttttttttttttttttttttttttttttttttttttttt"},
	{5120, 10, "d/longlink"},
	{5220, 164,
	 "0000777\0000001750\0000001750\00000000000000\00014524770400\000036376\000 "
	 "2/"
	 "ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt"
	 "ttttttttttustar  "},
	{5632, 13, "././@LongLink"},
	{5732, 57, "0000644\0000000000\0000000000\00000000000161\00000000000000\000007771\000 L"},
	{5889, 7, "ustar  "},
	{6144, 112,
	 "d/"
	 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	 "nnnnnnnnnnnnnnnnnnnnn"},
	{6656, 157,
	 "d/"
	 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	 "nnnnnnnnn0000644\0000001750\0000001750\00000000000005\00014524770400\000033255\000 0"},
	{6913, 7, "ustar  "},
	{7168, 5, "long\012"},
	{7680, 6, "d/null"},
	{7780, 57, "0000644\0000001750\0000001750\00000000000000\00014524770400\000010356\000 3"},
	{7937, 7, "ustar  "},
	{8009, 15, "0000001\0000000003"},
	{8192, 6, "d/suid"},
	{8292, 57, "0004755\0000001750\0000001750\00000000000012\00014524770400\000007113\000 0"},
	{8449, 7, "ustar  "},
	{8704, 10, "#!/bin/sh\012"},
	{9216, 5, "d/sym"},
	{9316, 62,
	 "0000777\0000001750\0000001750\00000000000000\00014524770400\000007735\000 2a.txt"},
	{9473, 7, "ustar  "},
};
static const struct fixture gnu_tar = {"gnu.tar", 10752, FIXTURE(gnu_tar_runs)};

static const struct run ustar_tar_runs[] = {
	{0, 2, "p/"},
	{100, 57, "0000755\0000001750\0000001750\00000000000000\00014524770400\000007540\000 5"},
	{257, 8, "ustar\00000"},
	{329, 15, "0000000\0000000000"},
	{512, 157,
	 "p/"
	 "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
	 "q/"
	 "\000\000\000\000\000\000\0000000755\0000001750\0000001750\00000000000000\00014524770400"
	 "\000033511\000 5"},
	{769, 8, "ustar\00000"},
	{841, 15, "0000000\0000000000"},
	{1024, 34, "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrr.txt"},
	{1124, 57, "0000644\0000001750\0000001750\00000000000005\00014524770400\000043001\000 0"},
	{1281, 8, "ustar\00000"},
	{1353, 108,
	 "0000000\0000000000\000p/"
	 "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
	 "q"},
	{1536, 5, "deep\012"},
	{2048, 7, "d/a.txt"},
	{2148, 57, "0000644\0000001750\0000001750\00000000000006\00014524770400\000010501\000 0"},
	{2305, 8, "ustar\00000"},
	{2377, 15, "0000000\0000000000"},
	{2560, 6, "hello\012"},
	{3072, 6, "d/hard"},
	{3172, 64,
	 "0000644\0000001750\0000001750\00000000000000\00014524770400\000011556\000 1d/a.txt"},
	{3329, 8, "ustar\00000"},
	{3401, 15, "0000000\0000000000"},
	{3584, 5, "d/sym"},
	{3684, 62,
	 "0000777\0000001750\0000001750\00000000000000\00014524770400\000011235\000 2a.txt"},
	{3841, 8, "ustar\00000"},
	{3913, 15, "0000000\0000000000"},
	{4096, 6, "d/null"},
	{4196, 57, "0000644\0000001750\0000001750\00000000000000\00014524770400\000010416\000 3"},
	{4353, 8, "ustar\00000"},
	{4425, 15, "0000001\0000000003"},
	{4608, 6, "d/fifo"},
	{4708, 57, "0000644\0000001750\0000001750\00000000000000\00014524770400\000010366\000 6"},
	{4865, 8, "ustar\00000"},
	{4937, 15, "0000000\0000000000"},
};
static const struct fixture ustar_tar = {"ustar.tar", 6144, FIXTURE(ustar_tar_runs)};

static const struct run v7_tar_runs[] = {
	{0, 2, "p/"},
	{100, 57, "0000755\0000001750\0000001750\00000000000000\00014524770400\000006321\000 5"},
	{329, 15, "0000000\0000000000"},
	{512, 7, "d/a.txt"},
	{612, 56, "0000644\0000001750\0000001750\00000000000006\00014524770400\000007202\000 "},
	{841, 15, "0000000\0000000000"},
	{1024, 6, "hello\012"},
	{1536, 5, "d/sym"},
	{1636, 62,
	 "0000777\0000001750\0000001750\00000000000000\00014524770400\000010016\000 2a.txt"},
	{1865, 15, "0000000\0000000000"},
};
static const struct fixture v7_tar = {"v7.tar", 3072, FIXTURE(v7_tar_runs)};

static const struct run gnu256_tar_runs[] = {
	{0, 7, "d/a.txt"},
	{100, 57,
	 "0000644\000\200\000\000\000\000-\306\300\200\000\000\000\000="
	 "\011\00000000000006\000\377\377\377\377\377\377\377\377\377\376y`013534\000 0"},
	{257, 7, "ustar  "},
	{512, 6, "hello\012"},
};
static const struct fixture gnu256_tar = {"gnu256.tar", 2048, FIXTURE(gnu256_tar_runs)};

static const struct run pax_tar_runs[] = {
	{0, 17, "/tmp/GlobalHead.1"},
	{100, 57, "0000644\0000000000\0000000000\00000000000020\00015303613517\000011012\000 g"},
	{257, 8, "ustar\00000"},
	{512, 16, "16 comment=kbox\012"},
	{1024, 18, "./PaxHeaders/x.txt"},
	{1124, 57, "0000644\0000000000\0000000000\00000000000233\00014524770400\000011306\000 x"},
	{1281, 8, "ustar\00000"},
	{1536, 155,
	 "15 uid=3000000\01230 mtime=1700000000.123456789\01230 atime=1700000000.123456789\01230 "
	 "ctime=1796151119.212303269\01225 SCHILY.xattr.user.a=1\01225 SCHILY.xattr.user.b=2\012"},
	{2048, 5, "x.txt"},
	{2148, 57, "0000644\0000000000\0000001750\00000000000002\00014524770400\000010264\000 0"},
	{2305, 8, "ustar\00000"},
	{2377, 15, "0000000\0000000000"},
	{2560, 2, "x\012"},
	{3072, 157,
	 "d/PaxHeaders/"
	 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn00"
	 "00644\0000000000\0000000000\00000000000305\00014524770400\000033130\000 x"},
	{3329, 8, "ustar\00000"},
	{3584, 197,
	 "122 "
	 "path=d/"
	 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	 "nnnnnnnnnnnnnnnnnnnnn\01215 uid=3000000\01230 atime=1796151119.220114877\01230 "
	 "ctime=1796151119.212303269\012"},
	{4096, 157,
	 "d/"
	 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	 "nnnnnnnnn0000644\0000000000\0000001750\00000000000005\00014524770400\000034540\000 0"},
	{4353, 8, "ustar\00000"},
	{4425, 15, "0000000\0000000000"},
	{4608, 5, "long\012"},
	{5120, 21, "d/PaxHeaders/longlink"},
	{5220, 57, "0000644\0000000000\0000000000\00000000000346\00014524770400\000012131\000 x"},
	{5377, 8, "ustar\00000"},
	{5632, 230,
	 "155 "
	 "linkpath=/"
	 "ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt"
	 "ttttttttttttttttttttttttttttttttttttttttttttttttttt\01215 uid=3000000\01230 "
	 "atime=1796151119.220114877\01230 ctime=1796151119.212303269\012"},
	{6144, 10, "d/longlink"},
	{6244, 165,
	 "0000777\0000000000\0000001750\00000000000000\00014524770400\000037661\000 "
	 "2/"
	 "ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt"
	 "ttttttttttustar\00000"},
	{6473, 15, "0000000\0000000000"},
};
static const struct fixture pax_tar = {"pax.tar", 7680, FIXTURE(pax_tar_runs)};

static const struct run bsdpax_tar_runs[] = {
	{0, 15, "PaxHeader/x.txt"},
	{100, 57, "000644 \000000000 \000000000 \00000000000310 14524770400 014012\000 x"},
	{257, 12, "ustar\00000root"},
	{297, 4, "root"},
	{329, 15, "000000 \000000000 "},
	{512, 200,
	 "30 ctime=1796151119.212303269\01230 atime=1796151119.226517946\01230 "
	 "mtime=1700000000.123456789\01230 LIBARCHIVE.xattr.user.b=Mg\01225 "
	 "SCHILY.xattr.user.b=2\01230 LIBARCHIVE.xattr.user.a=MQ\01225 SCHILY.xattr.user.a=1\012"},
	{1024, 5, "x.txt"},
	{1124, 57, "000644 \000000000 \000000000 \00000000000002 14524770400 012037\000 0"},
	{1281, 12, "ustar\00000root"},
	{1321, 4, "root"},
	{1353, 15, "000000 \000000000 "},
	{1536, 2, "x\012"},
	{2048, 157,
	 "d/PaxHeader/"
	 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	 "\000000644 \000000000 \000000000 \00000000000266 14524770400 036003\000 x"},
	{2305, 12, "ustar\00000root"},
	{2345, 4, "root"},
	{2377, 15, "000000 \000000000 "},
	{2560, 182,
	 "122 "
	 "path=d/"
	 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	 "nnnnnnnnnnnnnnnnnnnnn\01230 ctime=1796151119.212303269\01230 "
	 "atime=1796151119.220114877\012"},
	{3072, 157,
	 "d/"
	 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	 "nnnnnnnnn000644 \000000000 \000000000 \00000000000005 14524770400 036313\000 0"},
	{3329, 12, "ustar\00000root"},
	{3369, 4, "root"},
	{3401, 15, "000000 \000000000 "},
	{3584, 5, "long\012"},
};
static const struct fixture bsdpax_tar = {"bsdpax.tar", 5120, FIXTURE(bsdpax_tar_runs)};

static const struct run go_layer_tar_runs[] = {
	{0, 2, "./"},
	{100, 57, "0000755\0000000000\0000000000\00000000000000\00015303613452\000007713\000 5"},
	{257, 12, "ustar  \000root"},
	{297, 4, "root"},
	{512, 6, "./etc/"},
	{612, 57, "0000755\0000000000\0000000000\00000000000000\00015303613452\000010466\000 5"},
	{769, 12, "ustar  \000root"},
	{809, 4, "root"},
	{1024, 11, "./etc/hello"},
	{1124, 57, "0004755\0000000000\0000000000\00000000000003\00015303613452\000011514\000 0"},
	{1281, 12, "ustar  \000root"},
	{1321, 4, "root"},
	{1536, 3, "hi\012"},
	{2048, 8, "./etc/hi"},
	{2148, 62,
	 "0000777\0000000000\0000000000\00000000000000\00015303613452\000012034\000 2hello"},
	{2305, 12, "ustar  \000root"},
	{2345, 4, "root"},
	{2560, 13, "././@LongLink"},
	{2660, 57, "0000644\0000000000\0000000000\00000000000177\00000000000000\000011610\000 L"},
	{2817, 12, "ustar  \000root"},
	{2857, 4, "root"},
	{3072, 126,
	 "./etc/"
	 "ggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg"
	 "ggggggggggggggggggggggggggggggg"},
	{3584, 157,
	 "./etc/"
	 "ggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg"
	 "ggggg0000644\0000000000\0000000000\00000000000002\00015303613452\000033402\000 0"},
	{3841, 12, "ustar  \000root"},
	{3881, 4, "root"},
	{4096, 2, "x\012"},
};
static const struct fixture go_layer_tar = {"go-layer.tar", 10240, FIXTURE(go_layer_tar_runs)};

static const struct run go_oci_tar_runs[] = {
	{0, 6, "blobs/"},
	{100, 57, "0040755\0000000000\0000000000\00000000000000\00015303613452\000012163\000 5"},
	{257, 12, "ustar\00000root"},
	{297, 4, "root"},
	{329, 15, "0000000\0000000000"},
	{512, 13, "blobs/sha256/"},
	{612, 57, "0040755\0000000000\0000000000\00000000000000\00015303613452\000013173\000 5"},
	{769, 12, "ustar\00000root"},
	{809, 4, "root"},
	{841, 15, "0000000\0000000000"},
	{1024, 77, "blobs/sha256/122f9f7c8d8c910193120b805940ed7bba6757e17f29ae7e17f73c22aab77024"},
	{1124, 57, "0100644\0000000000\0000000000\00000000000423\00015303613452\000023557\000 0"},
	{1281, 12, "ustar\00000root"},
	{1321, 4, "root"},
	{1353, 15, "0000000\0000000000"},
	{1536, 273,
	 "\037\213\010\000\000\011n\210\000\377\354\326Mj\3030\020\005`\255{\012\235 "
	 "~\243\337m\017\340K\224\022b\323\020C\352B\217_\224P\244\012\332P\260\034Z\277o#"
	 "2\001a\030\215\364v\235j\016\000\242\367\227\025@\275&"
	 "J\274\205\015b\2357\012\210Q\254\322\276\330\243\231\267\327\371\351\254\265:"
	 "O\323\134\326k\267\376\377\243v\335~~n|\006~\335\177\201\013\201\375_"
	 "\257\377\303\376x\234\212\352\262\000\270\237\347\337V\375\027/"
	 "Ni\344-\332\331\370\374\017\343C\376A\233s\275\377\207\261(-."
	 "\315x\214\261\236\373\357\337\1771\260Ni\323\366Z\342\373\177y\377w\335c\077\235\016\375x"
	 "z\311\345E\245\026\007\347\352\276\177\256\220|6\222t\377\007\201\322}\271I+"
	 "\033\317\177\327\374w\270\223\374\035t\037k\364\377\326\374\003\346k\376\263\326\3010\377"
	 "\255\221\377\336\031\377\266\034\377\210\210\210\210\210\210\210\210\210\210\350\237\372"
	 "\000\000\000\377\377\003\000\353os\244\000("},
	{2048, 77, "blobs/sha256/a9b41ceef6b684f95b89d7cbe22a2ab327725dc8fd63c6031dfe110ee638db4b"},
	{2148, 57, "0100644\0000000000\0000000000\00000000000530\00015303613452\000024355\000 0"},
	{2305, 12, "ustar\00000root"},
	{2345, 4, "root"},
	{2377, 15, "0000000\0000000000"},
	{2560, 344,
	 "{\042schemaVersion\042:2,\042config\042:{\042mediaType\042:\042application/"
	 "vnd.oci.image.config.v1+json\042,\042digest\042:\042sha256:"
	 "ec8521169cdaf0e15c04172bb9055512d735fcfb0df168aafc2c593c3349f881\042,\042size\042:409},"
	 "\042layers\042:[{\042mediaType\042:\042application/"
	 "vnd.oci.image.layer.v1.tar+gzip\042,\042digest\042:\042sha256:"
	 "122f9f7c8d8c910193120b805940ed7bba6757e17f29ae7e17f73c22aab77024\042,\042size\042:275}]"
	 "}"},
	{3072, 77, "blobs/sha256/ec8521169cdaf0e15c04172bb9055512d735fcfb0df168aafc2c593c3349f881"},
	{3172, 57, "0100644\0000000000\0000000000\00000000000631\00015303613452\000023766\000 0"},
	{3329, 12, "ustar\00000root"},
	{3369, 4, "root"},
	{3401, 15, "0000000\0000000000"},
	{3584, 409,
	 "{\042created\042:\0422026-12-01T18:51:22.784303646Z\042,\042architecture\042:"
	 "\042amd64\042,\042os\042:\042linux\042,\042config\042:{},\042rootfs\042:{\042type\042:"
	 "\042layers\042,\042diff_ids\042:[\042sha256:"
	 "4046838796372b48305994c2ce92a7c04b53ab0e40ccd5776aa1c0e6167eb394\042]},\042history\042:[{"
	 "\042created\042:\0422026-12-01T18:51:22.784303646Z\042,\042created_by\042:\042/bin/sh -c "
	 "#(nop) ADD file:4046838796372b48305994c2ce92a7c04b53ab0e40ccd5776aa1c0e6167eb394 in "
	 "/\042,\042comment\042:\042imported from tarball\042}]}"},
	{4096, 10, "index.json"},
	{4196, 57, "0100644\0000000000\0000000000\00000000000404\00015303613452\000013057\000 0"},
	{4353, 12, "ustar\00000root"},
	{4393, 4, "root"},
	{4425, 15, "0000000\0000000000"},
	{4608, 260,
	 "{\042schemaVersion\042:2,\042manifests\042:[{\042mediaType\042:\042application/"
	 "vnd.oci.image.manifest.v1+json\042,\042digest\042:\042sha256:"
	 "a9b41ceef6b684f95b89d7cbe22a2ab327725dc8fd63c6031dfe110ee638db4b\042,\042size\042:344,"
	 "\042annotations\042:{\042org.opencontainers.image.ref.name\042:\042localhost/"
	 "tartest:1\042}}]}"},
	{5120, 10, "oci-layout"},
	{5220, 57, "0100644\0000000000\0000000000\00000000000037\00015303613452\000013067\000 0"},
	{5377, 12, "ustar\00000root"},
	{5417, 4, "root"},
	{5449, 15, "0000000\0000000000"},
	{5632, 31, "{\042imageLayoutVersion\042: \0421.0.0\042}"},
};
static const struct fixture go_oci_tar = {"go-oci.tar", 7168, FIXTURE(go_oci_tar_runs)};
