/* libFuzzer target: the three front ends of the spec language. The first byte picks one:
 * 0 the kernel command line, 1 a conf file, 2 kbox run's flags (one per line). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#include "../../lib/util.h"
#include "../../runtime/spec/runflags.h"
#include "../../runtime/spec/cmdline.h"
#include "../../runtime/spec/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run_flags(struct spec_set *set, char *text)
{
	char *argv[64] = {"run"}, err[256];
	struct run_flags rf;
	int argc = 1;

	for (char *w = strtok(text, "\n"); w && argc < 63; w = strtok(NULL, "\n"))
		argv[argc++] = w;
	if (spec_parse_run_flags(set, argc, argv, "run-1", &rf, err, sizeof(err)) == 0 &&
	    !rf.help && rf.image < argc)
		spec_set_key(set, rf.name, "image", argv[rf.image], "IMAGE");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spec_set set;
	uint8_t pick;
	char *text = fuzz_pick(data, size, &pick, NULL);

	if (!text)
		return 0;
	spec_set_init(&set);
	switch (pick % 3) {
	case 0:
		spec_parse_cmdline(&set, text);
		break;
	case 1:
		spec_parse_conf(&set, "web", text, "web.conf");
		spec_parse_conf(&set, NULL, text, "kbox.conf");
		break;
	default:
		run_flags(&set, text);
		break;
	}
	spec_finish(&set);
	spec_set_free(&set);
	free(text);
	return 0;
}
