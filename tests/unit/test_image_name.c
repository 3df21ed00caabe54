/* kbox load's default image name: from the tag's repository, else the file's base name. */
#include <errno.h>

#include "../../lib/util.h"
#include "../../runtime/image/name.h"
#include "../tap.h"

int main(void)
{
	static const struct {
		const char *path, *tag, *name;
		int r;
	} cases[] = {
		{"web.tar", "localhost/web:1", "web", 0},
		{"web.tar", "web:1", "web", 0},
		{"multi.oci", "kweb", "kweb", 0},
		{"x.tar", "registry.example.com:5000/team/app:2.1", "app", 0},
		{"x.tar", "docker.io/library/nginx@sha256:0123abcd", "nginx", 0},
		{"x.tar", "localhost:5000/db", "db", 0},
		{"/srv/images/kweb.oci-archive.tar", NULL, "kweb", 0},
		{"/srv/images/kweb.oci/", NULL, "kweb", 0},
		{"demo-web.oci-archive.tar", NULL, "demo-web", 0},
		{"/srv/rootfs", NULL, "rootfs", 0},
		{"rootfs///", NULL, "rootfs", 0},
		{"/srv/.hidden.tar", NULL, "", -EINVAL},
		{"/srv/my image.tar", NULL, "my image", -EINVAL},
		{"x.tar", "localhost/Web+1:2", "Web+1", -EINVAL},
		{"x.tar", "", "x", 0}, /* an empty tag is none */
		{"/", NULL, "", -EINVAL},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.tar", NULL,
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", -EINVAL},
	};
	char buf[80], tiny[4];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int r = img_default_name(cases[i].path, cases[i].tag, buf, sizeof(buf));

		is_int(r, cases[i].r, "%s%s%s: %s", cases[i].path, cases[i].tag ? " tag " : "",
		       cases[i].tag ? cases[i].tag : "", r ? "refused" : "named");
		is_str(buf, cases[i].name, "  as '%s'", cases[i].name);
	}
	is_int(img_default_name("webserver.tar", NULL, tiny, sizeof(tiny)), -EINVAL,
	       "a name that does not fit the buffer is refused, not cut");
	is_str(tiny, "web", "  what fitted is there");
	return done();
}
