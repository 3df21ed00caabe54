/* The image config front end: records parsed (every key, every error with its path), and
 * Docker's rules for Entrypoint, Cmd, Env, WorkingDir, User and StopSignal as a spec's
 * defaults, applied again and again from the spec's own keys. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../runtime/spec/cmdline.h"
#include "../../runtime/spec/conf.h"
#include "../../runtime/spec/image.h"
#include "../../runtime/spec/runflags.h"
#include "../tap.h"

static struct spec_set set;
static struct image_config ic;
static char err[512];

#define DIGEST "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define HEAD "{\"kbox_image\": 1, \"name\": \"web\", \"size\": 4194304, \"layers\": 2"

/* A record of HEAD's keys and CONFIG as its "config" ("" for none). */
static int parse_config(const char *config)
{
	char buf[8192];

	snprintf(buf, sizeof(buf), HEAD "%s%s}", *config ? ", \"config\": " : "", config);
	image_config_free(&ic);
	err[0] = '\0';
	return image_record_parse(buf, strlen(buf), &ic, err, sizeof(err));
}

static int parse(const char *json)
{
	image_config_free(&ic);
	err[0] = '\0';
	return image_record_parse(json, strlen(json), &ic, err, sizeof(err));
}

/* "a b c" for a vector, "(null)" for none. */
static const char *words(char *const *v)
{
	static char buf[1024];

	if (!v)
		return "(null)";
	buf[0] = '\0';
	for (size_t i = 0; v[i]; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? " " : "", v[i]);
	return buf;
}

/* The spec "web" of a kernel command line, finished. */
static struct spec *spec_of(const char *cmdline)
{
	spec_set_free(&set);
	spec_set_init(&set);
	spec_parse_cmdline(&set, cmdline);
	spec_finish(&set);
	if (set.errors)
		printf("# spec errors: %s\n", set.errors[0]);
	return spec_find(&set, "web");
}

/* The record podman 4.3 wrote for tests/images/kweb (its image config's "config"). */
static const char kweb[] =
	"{\"kbox_image\": 1, \"name\": \"kweb\", \"source\": \"oci-archive:kweb.tar\", "
	"\"digest\": \"sha256:8e0d87a9088f2f61bf006f05efd89586539d479ae100c7c6b92756f9ba935dd7\", "
	"\"config_digest\": "
	"\"sha256:746af199babd1aa7c3f7dc2f9e8c91f38263abd7fa01999b2d1299d3d42de48b\", "
	"\"size\": 1234567, \"layers\": 4, \"created\": \"2026-12-01T18:51:03.449249745Z\", "
	"\"config\": {\"User\":\"www\",\"ExposedPorts\":{\"80/tcp\":{},\"8443/tcp\":{}},"
	"\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\","
	"\"GREETING=hello-from-kweb\",\"KWEB_ONLY=image\"],"
	"\"Entrypoint\":[\"/usr/local/bin/show\"],\"Cmd\":[\"from-image-cmd\"],"
	"\"WorkingDir\":\"/home/www\",\"Labels\":{\"io.buildah.version\":\"1.28.2\","
	"\"org.kbox.role\":\"test image\",\"org.kbox.test\":\"kweb\"},\"StopSignal\":\"SIGQUIT\","
	"\"Volumes\": {\"/data\": {}}, \"OnBuild\": null, \"ArgsEscaped\": true, "
	"\"Healthcheck\": {\"Test\": [\"CMD\", \"true\"]}}, \"future_key\": [1, 2]}";

static void test_parse_kweb(void)
{
	is_int(parse(kweb), 0, "podman's kweb record parses (%s)", err);
	is_str(ic.name, "kweb", "name");
	is_str(ic.source, "oci-archive:kweb.tar", "source");
	is_str(ic.digest, "sha256:8e0d87a9088f2f61bf006f05efd89586539d479ae100c7c6b92756f9ba935dd7",
	       "digest");
	ok(ic.config_digest && !strncmp(ic.config_digest, "sha256:746a", 11), "config_digest");
	is_int(ic.size, 1234567, "size");
	is_int(ic.layers, 4, "layers");
	is_str(ic.created, "2026-12-01T18:51:03.449249745Z", "created");
	is_str(words(ic.entrypoint), "/usr/local/bin/show", "Entrypoint");
	is_str(words(ic.cmd), "from-image-cmd", "Cmd");
	is_int(strv_len(ic.env), 3, "Env: three entries");
	is_str(ic.env[1], "GREETING=hello-from-kweb", "in their order");
	is_str(ic.workdir, "/home/www", "WorkingDir");
	is_str(ic.user, "www", "User");
	is_int(ic.stop_signal, SIGQUIT, "StopSignal SIGQUIT");
	is_str(words(ic.exposed_ports), "80/tcp 8443/tcp", "ExposedPorts: the keys, in order");
	is_int(ic.nlabels, 3, "three labels");
	ok(ic.nlabels == 3 && !strcmp(ic.labels[1].key, "org.kbox.role") &&
		   !strcmp(ic.labels[1].value, "test image"),
	   "a label's key and value");
	image_config_free(&ic);
	ok(!ic.name && !ic.env && !ic.labels && !ic.nlabels, "image_config_free zeroes it");
}

static void test_parse_minimal(void)
{
	is_int(parse(HEAD "}"), 0, "a record without config, digest or source");
	ok(!ic.digest && !ic.config_digest && !ic.source && !ic.created, "their strings are NULL");
	ok(!ic.entrypoint && !ic.cmd && !ic.env && !ic.workdir && !ic.user && !ic.stop_signal &&
		   !ic.exposed_ports && !ic.nlabels,
	   "and so is every config key");
	is_int(parse(HEAD ", \"digest\": null, \"config_digest\": null, \"created\": null, "
			  "\"source\": null, \"config\": {}}"),
	       0, "nulls and an empty config");
	is_int(parse_config("null"), 0, "a null config");
	is_int(parse_config("{\"Entrypoint\": null, \"Cmd\": null, \"Env\": null, "
			    "\"WorkingDir\": \"\", \"User\": \"\", \"StopSignal\": \"\", "
			    "\"ExposedPorts\": null, \"Labels\": null}"),
	       0, "every config key null or empty");
	ok(!ic.entrypoint && !ic.cmd && !ic.workdir && !ic.user && !ic.stop_signal,
	   "is as if missing (Docker writes \"\" for an unset WorkingDir and User)");
	is_int(parse_config("{\"Entrypoint\": [], \"Cmd\": []}"), 0, "empty arrays");
	ok(ic.entrypoint && !ic.entrypoint[0] && ic.cmd && !ic.cmd[0], "are empty vectors");
	is_int(parse_config("{\"Env\": [\"A=1\", \"B=x=y\", \"A=2\", \"C=\"]}"), 0, "Env");
	is_str(words(ic.env), "A=2 B=x=y C=", "a later name replaces an earlier one in place");
	is_int(parse_config("{\"User\": \"0100:0\"}"), 0, "User 0100:0");
	is_str(ic.user, "100:0", "is written as the user key writes it");
	is_int(parse_config("{\"StopSignal\": \"TERM\"}"), 0, "StopSignal TERM");
	is_int(ic.stop_signal, SIGTERM, "is 15");
	is_int(parse_config("{\"StopSignal\": \"9\"}"), 0, "StopSignal 9");
	is_int(ic.stop_signal, 9, "is 9");
}

static void test_parse_errors(void)
{
	static const struct {
		const char *json, *err;
	} bad[] = {
		{"", "not valid JSON: line 1:0: '[' or '{' expected near end of file"},
		{"{\"kbox_image\": 1,\n \"name\": \"web\" \"size\": 1}",
		 "not valid JSON: line 2:21: '}' expected near '\"size\"'"},
		{"[1]", "expected an object"},
		{"{\"name\": \"web\"}", "kbox_image: missing: not a kbox image record"},
		{"{\"kbox_image\": 2}", "kbox_image: version 2 is not known (1 is)"},
		{"{\"kbox_image\": \"1\"}",
		 "kbox_image: expected a whole number from 0 to 1000000"},
		{"{\"kbox_image\": 1}", "name: missing"},
		{"{\"kbox_image\": 1, \"name\": 7}", "name: expected a string"},
		{"{\"kbox_image\": 1, \"name\": \"../x\"}", "name: '../x' is not an image name"},
		{"{\"kbox_image\": 1, \"name\": \"web\", \"name\": \"x\"}",
		 "not valid JSON: line 1:39: duplicate object key near '\"name\"'"},
		{HEAD ", \"digest\": \"sha256:abc\"}",
		 "digest: 'sha256:abc' is not sha256: and 64 hex digits"},
		{HEAD ", \"config_digest\": \"md5:" DIGEST "\"}",
		 "config_digest: 'md5:" DIGEST "' is not sha256: and 64 hex digits"},
		{HEAD
		 ", \"digest\": "
		 "\"sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\"}",
		 "digest: "
		 "'sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef' "
		 "is not sha256: and 64 hex digits"},
		{HEAD ", \"digest\": 1}", "digest: expected a string"},
		{"{\"kbox_image\": 1, \"name\": \"web\", \"layers\": 1}", "size: missing"},
		{"{\"kbox_image\": 1, \"name\": \"web\", \"size\": 1}", "layers: missing"},
		{"{\"kbox_image\": 1, \"name\": \"web\", \"size\": -1, \"layers\": 1}",
		 "size: expected a whole number from 0 to 4611686018427387904"},
		{"{\"kbox_image\": 1, \"name\": \"web\", \"size\": 1.5, \"layers\": 1}",
		 "size: expected a whole number from 0 to 4611686018427387904"},
		{"{\"kbox_image\": 1, \"name\": \"web\", \"size\": 1, \"layers\": \"2\"}",
		 "layers: expected a whole number from 0 to 1000000"},
		{HEAD ", \"created\": 2026}", "created: expected a string"},
		{HEAD ", \"source\": []}", "source: expected a string"},
		{HEAD ", \"config\": []}", "config: expected an object"},
	};
	static const struct {
		const char *config, *err;
	} badc[] = {
		{"{\"Entrypoint\": \"/bin/app\"}",
		 "config.Entrypoint: expected an array of strings"},
		{"{\"Entrypoint\": [\"/bin/app\", 1]}", "config.Entrypoint[1]: expected a string"},
		{"{\"Cmd\": {}}", "config.Cmd: expected an array of strings"},
		{"{\"Cmd\": [null]}", "config.Cmd[0]: expected a string"},
		{"{\"Env\": [\"A=1\", \"B=2\", 3]}", "config.Env[2]: expected a string"},
		{"{\"Env\": \"A=1\"}", "config.Env: expected an array of strings"},
		{"{\"Env\": [\"A=1\", \"NOVALUE\"]}", "config.Env[1]: 'NOVALUE' is not NAME=value"},
		{"{\"Env\": [\"=x\"]}", "config.Env[0]: '=x' is not NAME=value"},
		{"{\"WorkingDir\": \"app\"}", "config.WorkingDir: 'app' is not an absolute path"},
		{"{\"WorkingDir\": 1}", "config.WorkingDir: expected a string"},
		{"{\"User\": \"www data\"}",
		 "config.User: 'www data' is not a user, uid, user:group or uid:gid"},
		{"{\"User\": \"4294967295\"}",
		 "config.User: '4294967295' is out of range (0..4294967294)"},
		{"{\"User\": \"www:4294967295\"}",
		 "config.User: 'www:4294967295': '4294967295' is out of range (0..4294967294)"},
		{"{\"User\": \"www:\"}",
		 "config.User: 'www:' is not a user, uid, user:group or uid:gid"},
		{"{\"User\": 1000}", "config.User: expected a string"},
		{"{\"StopSignal\": \"SIGFOO\"}",
		 "config.StopSignal: 'SIGFOO' is not a signal (like SIGTERM, TERM or 15)"},
		{"{\"StopSignal\": \"99\"}", "config.StopSignal: '99' is out of range (1..64)"},
		{"{\"StopSignal\": 15}", "config.StopSignal: expected a string"},
		{"{\"ExposedPorts\": [\"80/tcp\"]}", "config.ExposedPorts: expected an object"},
		{"{\"Labels\": [\"a=b\"]}", "config.Labels: expected an object"},
		{"{\"Labels\": {\"a\": \"b\", \"org.kbox.n\": 1}}",
		 "config.Labels.org.kbox.n: expected a string"},
		{"{\"Labels\": {\"a-very-long-label-key-of-garbage-that-goes-on-and-on-and-on\": "
		 "1}}",
		 "config.Labels.a-very-long-label-key-of-garbage-that-goes-on-an...: expected a "
		 "string"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		is_int(parse(bad[i].json), -EINVAL, "refused: %.*s",
		       (int)strcspn(bad[i].json, "\n"), bad[i].json);
		is_str(err, bad[i].err, "with its reason");
	}
	for (size_t i = 0; i < ARRAY_SIZE(badc); i++) {
		is_int(parse_config(badc[i].config), -EINVAL, "refused: config %s", badc[i].config);
		is_str(err, badc[i].err, "with its path and reason");
	}
	/* Not a C string: the length is the record's, a NUL inside is JSON's business. */
	image_config_free(&ic);
	is_int(image_record_parse(HEAD "}garbage", strlen(HEAD "}"), &ic, err, sizeof(err)), 0,
	       "only LEN bytes are read");
	image_config_free(&ic);
	is_int(image_record_parse("{\"kbox_image\": 1, \"name\": \"w\\u0000b\"}", 36, &ic, err,
				  sizeof(err)),
	       -EINVAL, "a NUL in a string is refused");
	ok(strstr(err, "not valid JSON: line 1:") != NULL, "by jansson, with its position (%s)",
	   err);
	image_config_free(&ic);
}

/* The image's defaults, Docker's rules for how they combine with the spec's keys. */
static void test_apply_rules(void)
{
	struct spec *s;

	s = spec_of("kbox.web.image=web");
	is_str(words(s->argv), "sh", "no record, no cmd: sh (spec_finish applied no record)");
	is_str(s->workdir, "/", "workdir /");
	ok(!s->user, "no user");
	is_int(s->stop_signal, SIGTERM, "SIGTERM");
	ok(!s->image_config && !s->cmd && !s->entrypoint, "no record, and the keys stay unset");

	is_int(parse_config("{\"Entrypoint\": [\"/bin/app\", \"-v\"], \"Cmd\": [\"serve\", "
			    "\"--port=80\"], \"Env\": [\"PATH=/app/bin\", \"A=image\", "
			    "\"B=image\"], \"WorkingDir\": \"/srv\", \"User\": \"1000:1000\", "
			    "\"StopSignal\": \"SIGQUIT\"}"),
	       0, "a record with every default");
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), 0, "applies");
	is_str(words(s->argv), "/bin/app -v serve --port=80", "Entrypoint, then Cmd");
	is_str(words(s->run_env), "PATH=/app/bin A=image B=image", "the image's Env");
	is_str(s->workdir, "/srv", "WorkingDir");
	is_str(s->user, "1000:1000", "User");
	is_int(s->stop_signal, SIGQUIT, "StopSignal");
	ok(s->image_config && s->image_config != &ic && !strcmp(s->image_config->name, "web"),
	   "the spec keeps a copy of the record");
	ok(!s->cmd && !s->entrypoint && !s->env, "the spec's keys are as they were");

	s = spec_of("kbox.web.image=web kbox.web.cmd=\"status --json\"");
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), 0, "a spec with a cmd");
	is_str(words(s->argv), "/bin/app -v status --json",
	       "the image's Entrypoint, then the spec's cmd in place of the Cmd");

	s = spec_of("kbox.web.image=web kbox.web.entrypoint=/bin/sh");
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), 0, "a spec with an entrypoint");
	is_str(words(s->argv), "/bin/sh",
	       "the spec's entrypoint alone: the image's Cmd is dropped");

	s = spec_of("kbox.web.image=web kbox.web.entrypoint=\"/bin/sh -c\" "
		    "kbox.web.cmd=\"'echo hi'\"");
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), 0, "an entrypoint and a cmd");
	is_str(words(s->argv), "/bin/sh -c echo hi", "the spec's entrypoint, then its cmd");
	is_int(strv_len(s->argv), 3, "in three words");

	s = spec_of("kbox.web.image=web kbox.web.entrypoint= kbox.web.cmd=true");
	ok(s->entrypoint && !s->entrypoint[0], "entrypoint= is an entrypoint of none");
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), 0, "which drops the image's");
	is_str(words(s->argv), "true", "the argv is the spec's cmd alone");

	s = spec_of("kbox.web.image=web kbox.web.entrypoint=");
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), -EINVAL,
	       "an entrypoint of none and no cmd, with a record: an error");
	is_str(err, "web: image 'web' has no Entrypoint or Cmd and the spec sets no cmd",
	       "that says so");
	is_str(words(s->argv), "sh", "and leaves the spec as it was");
	ok(!s->image_config, "its record too");
	is_int(spec_apply_image(s, NULL, err, sizeof(err)), 0, "without a record");
	is_str(words(s->argv), "sh", "it is sh, as an image without a record always was");

	is_int(parse_config("{\"Cmd\": [\"httpd\", \"-f\"]}"), 0, "a record with a Cmd alone");
	s = spec_of("kbox.web.image=web");
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), 0, "applies");
	is_str(words(s->argv), "httpd -f", "its Cmd");
	s = spec_of("kbox.web.image=web kbox.web.cmd=\"sh -c 'exit 3'\"");
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), 0, "with a spec's cmd");
	is_str(words(s->argv), "sh -c exit 3", "which replaces the Cmd");

	is_int(parse_config("{\"Entrypoint\": [\"/bin/app\"]}"), 0,
	       "a record with an Entrypoint alone");
	s = spec_of("kbox.web.image=web");
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), 0, "applies");
	is_str(words(s->argv), "/bin/app", "its Entrypoint");

	is_int(parse_config("{\"Entrypoint\": [], \"Cmd\": null}"), 0, "a record of neither");
	s = spec_of("kbox.web.image=web");
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), -EINVAL, "and a spec of none: refused");
	is_str(err, "web: image 'web' has no Entrypoint or Cmd and the spec sets no cmd",
	       "with the message");
	s = spec_of("kbox.web.image=web kbox.web.cmd=true");
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), 0, "a spec's cmd is enough");
	is_str(words(s->argv), "true", "and is the argv");
}

static void test_apply_overrides(void)
{
	struct spec *s;

	is_int(parse_config("{\"Cmd\": [\"app\"], \"Env\": [\"PATH=/app/bin\", \"A=image\", "
			    "\"B=image\"], \"WorkingDir\": \"/srv\", \"User\": \"www\", "
			    "\"StopSignal\": \"SIGQUIT\"}"),
	       0, "a record");
	s = spec_of("kbox.web.image=web kbox.web.env=B=spec kbox.web.env=C=spec "
		    "kbox.web.workdir=/tmp kbox.web.user=0 kbox.web.stop_signal=INT");
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), 0, "a spec that sets every key");
	is_str(words(s->run_env), "PATH=/app/bin A=image B=spec C=spec",
	       "the image's Env first, the spec's env wins by name, new names after");
	is_str(words(s->env), "B=spec C=spec", "the spec's env stays its own");
	is_str(s->workdir, "/tmp", "the spec's workdir wins");
	is_str(s->user, "0", "the spec's user wins");
	is_int(s->stop_signal, SIGINT, "the spec's stop_signal wins");

	/* A later source sets a key the image also sets: still the spec's. */
	s = spec_of("kbox.web.image=web");
	spec_set_key(&set, "web", "workdir", "/var", "test");
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), 0, "a key set after spec_finish");
	is_str(s->workdir, "/var", "is the spec's too");
	is_str(s->user, "www", "what it does not set is the image's");
}

/* Applied again from the spec's keys: a restart, a record that came or went. */
static void test_apply_again(void)
{
	struct image_config other = {0};
	struct spec *s = spec_of("kbox.web.image=web kbox.web.env=A=spec");
	char *argv1, *env1;

	is_int(parse_config("{\"Entrypoint\": [\"/bin/app\"], \"Cmd\": [\"x\"], \"Env\": "
			    "[\"A=image\", \"B=image\"], \"WorkingDir\": \"/srv\", \"User\": "
			    "\"www\", \"StopSignal\": \"9\"}"),
	       0, "a record");
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), 0, "applied once");
	argv1 = strdup(words(s->argv));
	env1 = strdup(words(s->run_env));
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), 0, "applied twice");
	is_str(words(s->argv), argv1, "the same argv");
	is_str(words(s->run_env), env1, "the same env (no entry twice)");
	is_str(env1, "A=spec B=image", "which is the image's, the spec's winning");
	is_str(s->workdir, "/srv", "the same workdir");
	is_int(s->stop_signal, 9, "the same stop signal");

	is_int(spec_apply_image(s, NULL, err, sizeof(err)), 0, "then applied without a record");
	is_str(words(s->argv), "sh", "argv: sh again");
	is_str(words(s->run_env), "A=spec", "env: the spec's alone");
	is_str(s->workdir, "/", "workdir: / again");
	ok(!s->user, "user: none again");
	is_int(s->stop_signal, SIGTERM, "stop signal: SIGTERM again");
	ok(!s->image_config, "and no record");

	is_int(image_record_parse(HEAD ", \"config\": {\"Cmd\": [\"other\"]}}",
				  strlen(HEAD ", \"config\": {\"Cmd\": [\"other\"]}}"), &other, err,
				  sizeof(err)),
	       0, "another record");
	is_int(spec_apply_image(s, &ic, err, sizeof(err)), 0, "the first again");
	is_int(spec_apply_image(s, &other, err, sizeof(err)), 0, "then the other");
	is_str(words(s->argv), "other", "argv: the other's alone");
	is_str(words(s->run_env), "A=spec", "env: nothing of the first left");
	is_str(s->workdir, "/", "workdir: the default, the other has none");
	ok(!s->user, "user: none");
	is_int(s->stop_signal, SIGTERM, "stop signal: SIGTERM");
	image_config_free(&other);
	ok(s->image_config && s->image_config->cmd && !strcmp(s->image_config->cmd[0], "other"),
	   "the spec's copy outlives the record it came from");
	free(argv1);
	free(env1);
}

/* The entrypoint key in each front end. */
static void test_entrypoint_key(void)
{
	static char *argv[8];
	struct run_flags rf;
	struct spec *s;
	char uerr[256];

	s = spec_of("kbox.web.entrypoint=\"/bin/app --flag 'two words'\"");
	is_str(words(s->entrypoint), "/bin/app --flag two words", "cmdline: words, as cmd's");
	is_int(strv_len(s->entrypoint), 3, "three of them");

	spec_set_free(&set);
	spec_set_init(&set);
	spec_parse_conf(&set, "web", "image = web\nentrypoint = /bin/sh -c\ncmd = 'echo hi'\n",
			"web.conf");
	spec_finish(&set);
	s = spec_find(&set, "web");
	ok(!set.errors, "conf: entrypoint is a key");
	is_str(words(s->argv), "/bin/sh -c echo hi", "conf: entrypoint and cmd make the argv");

	s = spec_of("kbox.web.entrypoint=\"/bin/app 'oops\"");
	ok(set.errors && strstr(set.errors[0], "web: entrypoint: unterminated ' quote"),
	   "an unterminated quote is an error (%s)", set.errors ? set.errors[0] : "none");

	s = spec_of("kbox.web.entrypoint=a kbox.web.entrypoint=b");
	ok(set.errors && strstr(set.errors[0], "web: entrypoint: given twice"),
	   "entrypoint is not a list");

	/* Docker's flag: one string, one word. */
	static const struct {
		const char *val, *want;
		size_t n;
	} one[] = {
		{"/bin/sh -c", "/bin/sh -c", 1},
		{"it's \"quoted\"", "it's \"quoted\"", 1},
		{"'", "'", 1},
		{"", "", 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(one); i++) {
		int argc = 0;

		spec_set_free(&set);
		spec_set_init(&set);
		argv[argc++] = "run";
		argv[argc++] = "--entrypoint";
		argv[argc++] = (char *)one[i].val;
		argv[argc++] = "img";
		argv[argc] = NULL;
		is_int(spec_parse_run_flags(&set, argc, argv, "web", &rf, uerr, sizeof(uerr)), 0,
		       "--entrypoint '%s'", one[i].val);
		s = spec_find(&set, "web");
		ok(s && s->entrypoint && strv_len(s->entrypoint) == one[i].n &&
			   (!one[i].n || !strcmp(s->entrypoint[0], one[i].want)),
		   "is %zu word(s): '%s'", one[i].n, s ? words(s->entrypoint) : "");
	}
	spec_set_free(&set);
	spec_set_init(&set);
	argv[0] = "run";
	argv[1] = "--entrypoint=/bin/true";
	argv[2] = "img";
	argv[3] = NULL;
	is_int(spec_parse_run_flags(&set, 3, argv, "web", &rf, uerr, sizeof(uerr)), 0,
	       "--entrypoint=PROG");
	s = spec_find(&set, "web");
	is_str(s ? words(s->entrypoint) : NULL, "/bin/true", "takes its value after the '='");
}

int main(void)
{
	test_parse_kweb();
	test_parse_minimal();
	test_parse_errors();
	test_apply_rules();
	test_apply_overrides();
	test_apply_again();
	test_entrypoint_key();
	image_config_free(&ic);
	spec_set_free(&set);
	return done();
}
