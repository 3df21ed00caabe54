/* libFuzzer target: an image's record parsed, then applied to a spec. The first byte picks
 * the spec (none, a cmd, an entrypoint of none, every key the image also sets), the rest is
 * the record. What must hold: a record parses or says why; once applied the argv is never
 * empty, applying twice changes nothing, and applying no record gives the defaults back. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#include "../../lib/util.h"
#include "../../runtime/spec/cmdline.h"
#include "../../runtime/spec/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const specs[] = {
	"kbox.web.image=web",
	"kbox.web.image=web kbox.web.cmd=\"run --fast\"",
	"kbox.web.image=web kbox.web.entrypoint=",
	"kbox.web.image=web kbox.web.entrypoint=/bin/sh kbox.web.cmd=\"-c true\"",
	"kbox.web.image=web kbox.web.env=A=1 kbox.web.env=PATH=/bin kbox.web.workdir=/tmp "
	"kbox.web.user=0:0 kbox.web.stop_signal=INT",
};

static bool same(char *const *a, char *const *b)
{
	size_t i = 0;

	for (; a && b && a[i] && b[i]; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return (!a || !a[i]) && (!b || !b[i]);
}

/* No NAME= twice: the image's Env and the spec's env are merged by name. */
static bool one_per_name(char *const *env)
{
	for (size_t i = 0; env && env[i]; i++)
		for (size_t j = 0; j < i; j++)
			if (!strncmp(env[i], env[j], strcspn(env[j], "=") + 1))
				return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image_config ic;
	struct spec_set set;
	char err[512], **argv1 = NULL, **env1 = NULL;
	struct spec *s;
	uint8_t pick;
	size_t len;
	char *text = fuzz_pick(data, size, &pick, &len);
	int r;

	if (!text)
		return 0;
	r = image_record_parse(text, len, &ic, err, sizeof(err));
	if (r < 0 && !err[0])
		abort(); /* an error always says why */
	spec_set_init(&set);
	spec_parse_cmdline(&set, specs[pick % ARRAY_SIZE(specs)]);
	spec_finish(&set);
	s = spec_find(&set, "web");
	if (r == 0 && spec_apply_image(s, &ic, err, sizeof(err)) == 0) {
		if (!s->argv || !s->argv[0] || !one_per_name(s->run_env) || !s->workdir ||
		    s->workdir[0] != '/' || s->stop_signal < 1 || s->stop_signal > 64 ||
		    !s->image_config)
			abort();
		argv1 = strv_copy(s->argv);
		env1 = strv_copy(s->run_env);
		if (spec_apply_image(s, &ic, err, sizeof(err)) != 0 || !same(argv1, s->argv) ||
		    !same(env1, s->run_env))
			abort();
	}
	if (spec_apply_image(s, NULL, err, sizeof(err)) != 0 || !s->argv[0] || s->image_config)
		abort();
	if (!s->src[SK_STOP_SIGNAL] && s->stop_signal != SIGTERM)
		abort();
	if (!s->src[SK_WORKDIR] && strcmp(s->workdir, "/"))
		abort();
	strv_free(argv1);
	strv_free(env1);
	image_config_free(&ic);
	spec_set_free(&set);
	free(text);
	return 0;
}
