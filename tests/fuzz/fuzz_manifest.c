/* libFuzzer target: the image documents. The first byte picks one: 0 an index, 1 a
 * manifest, 2 docker-archive's manifest.json, 3 an image config; odd bytes after 4 pick
 * with the tag "1". */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"

#include "../../runtime/image/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t pick;
	size_t len;
	char *text = fuzz_pick(data, size, &pick, &len), err[512];
	const char *tag = pick & 4 ? "1" : NULL;

	if (!text)
		return 0;
	switch (pick & 3) {
	case 0: {
		struct img_desc d;

		img_index_pick("index.json", text, len, tag, &d, err, sizeof(err));
		break;
	}
	case 1: {
		struct img_manifest m;

		if (img_manifest_parse("manifest", text, len, &m, err, sizeof(err)) == 0)
			img_manifest_free(&m);
		break;
	}
	case 2: {
		struct img_docker d;

		if (img_docker_pick(text, len, tag, &d, err, sizeof(err)) == 0)
			img_docker_free(&d);
		break;
	}
	case 3: {
		struct img_config c;

		if (img_config_parse("config", text, len, &c, err, sizeof(err)) == 0)
			img_config_free(&c);
		break;
	}
	}
	free(text);
	return 0;
}
