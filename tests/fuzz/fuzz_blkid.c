/* libFuzzer target: what PID 1 reads of the devices it does not control: a disk's first and
 * last bytes (blkid_probe), block uevents, and kbox.data's names. The first byte picks the
 * parser and, for a disk, how the input stands for it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#include "../../lib/blkid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blkid_info info = {.kind = BLKID_EXT};
	struct blkid_want want;
	char name[64], err[256];
	uint8_t pick;
	size_t n;
	char *copy = fuzz_pick(data, size, &pick, &n);
	const uint8_t *disk = (const uint8_t *)copy;

	if (!copy)
		return 0;
	switch (pick & 3) {
	case 0: /* the whole disk, read once */
		blkid_probe(disk, n, NULL, 0, n, &info);
		break;
	case 1: /* its head, and its tail from the same bytes, of a disk up to 2 GiB larger */
		blkid_probe(disk, n, disk, n, n + ((unsigned long long)(pick >> 2) << 25), &info);
		break;
	case 2:
		blkid_uevent_block(copy, n, name, sizeof(name));
		break;
	case 3:
		if (blkid_parse_want(copy, &want, err, sizeof(err)) == 0)
			blkid_matches(&want, &info);
		break;
	}
	free(copy);
	return 0;
}
