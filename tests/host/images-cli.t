#!/bin/bash
# An image's record as kbox run's defaults (Entrypoint, Cmd, Env, WorkingDir, User), the
# spec's flags over it, a bad record refused with its path, and kbox images, on this host.
. "$(dirname "$0")/../lib.sh"
kbox=$out/kbox
dir=$out/tests/images-cli
export KBOX_IMAGES=$dir
rm -rf "$dir" && mkdir -p "$dir"
host_image "$dir/web" && mkdir -p "$dir/web/srv" && host_image "$dir/plain" &&
	host_image "$dir/bad" && host_image "$dir/noargs"
ok $? "images web, plain, bad and noargs in $dir"
digest=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

# record NAME CONFIG [SIZE]: NAME.json beside the tree, as the importer writes it.
record() {
	cat >"$dir/$1.json" <<-EOF
	{
	  "kbox_image": 1,
	  "name": "$1",
	  "source": "oci-archive:$1.tar",
	  "digest": "$digest",
	  "config_digest": null,
	  "size": ${3:-4404019},
	  "layers": 2,
	  "created": "2026-11-30T10:00:00Z",
	  "config": $2
	}
	EOF
}
record web '{"Entrypoint": ["/bin/sh", "-c", "echo \"$0 $* | $GREETING $KEEP | $(pwd) | $(id -u):$(id -g)\"", "ep"],
	"Cmd": ["from-cmd"], "Env": ["PATH=/bin", "GREETING=image", "KEEP=image-only"],
	"WorkingDir": "/srv", "User": "1000:1000", "StopSignal": "SIGINT",
	"ExposedPorts": {"80/tcp": {}}, "Labels": {"org.kbox.test": "web"}, "Volumes": {"/data": {}}}'
record bad '{"Env": ["GOOD=1", "NOVALUE"]}' 100
record noargs '{"Entrypoint": null, "Cmd": null}' 0
run() { "$kbox" run --rm --name t "$@" 2>&1; }

is "$(run web)" "ep from-cmd | image image-only | /srv | 1000:1000" \
	"the record's Entrypoint, Cmd, Env, WorkingDir and User"
is "$(run web a b)" "ep a b | image image-only | /srv | 1000:1000" \
	"CMD replaces the image's Cmd, after its Entrypoint"
is "$(run -e GREETING=spec -w /tmp -u 0:0 web)" "ep from-cmd | spec image-only | /tmp | 0:0" \
	"-e, -w and -u win over Env, WorkingDir and User"
is "$(run --entrypoint /bin/echo web hi there)" "hi there" \
	"--entrypoint replaces the Entrypoint; CMD follows it"
is "$(run --entrypoint /bin/echo web)" "" "--entrypoint alone drops the image's Cmd"
is "$(run --entrypoint 'sh -c' web)" \
	"kbox: t: exec 'sh -c': No such file or directory" \
	"--entrypoint is one word, spaces and all, as Docker's"
is "$(run --entrypoint '' web echo plain)" "plain" "--entrypoint '' drops the Entrypoint: CMD alone"
msg=$(run --entrypoint '' web)
is "$?:$msg" "125:kbox: t: image 'web' has no Entrypoint or Cmd and the spec sets no cmd" \
	"--entrypoint '' and no CMD: nothing to run, exits 125"
msg=$(run noargs)
is "$?:$msg" "125:kbox: t: image 'noargs' has no Entrypoint or Cmd and the spec sets no cmd" \
	"a record with neither Entrypoint nor Cmd, and no CMD: refused"
is "$(run noargs echo given)" "given" "with a CMD it runs"
msg=$(run bad true)
is "$?:$msg" "125:kbox: t: image 'bad': $dir/bad.json: config.Env[1]: 'NOVALUE' is not NAME=value" \
	"a bad record fails the run with its path, key and reason"
is "$(echo 'echo sh-reads-stdin' | run -i plain)" "sh-reads-stdin" "no record: sh, as before"
is "$(echo 'echo abs; pwd' | run -i "$dir/web")" "abs
/" "an absolute image path has no record, even with web.json beside it"
echo '{"kbox_image": 1, "name": "other", "size": 0, "layers": 0}' >"$dir/plain.json"
msg=$(run plain true)
is "$?:$msg" "125:kbox: t: image 'plain': $dir/plain.json: name: 'other' is another image's" \
	"a record naming another image is refused"
rm "$dir/plain.json"
mkfifo "$dir/plain.json"
msg=$(timeout 10 "$kbox" run --rm --name t plain true 2>&1)
is "$?:$msg" "125:kbox: t: image 'plain': $dir/plain.json: not a file" \
	"a fifo for a record is refused at once, not waited on"
rm "$dir/plain.json"

is "$("$kbox" images 2>/dev/null)" "NAME    DIGEST               SIZE  LAYERS  SOURCE
bad     -                    -     -       -
noargs  sha256:0123456789ab  0B    2       oci-archive:noargs.tar
plain   -                    -     -       -
web     sha256:0123456789ab  4.2M  2       oci-archive:web.tar" \
	"kbox images: name, digest, size, layers, source; '-' without a record or with a bad one"
msg=$("$kbox" images 2>&1 >/dev/null)
is "$?:$msg" "1:kbox: images: $dir/bad.json: config.Env[1]: 'NOVALUE' is not NAME=value" \
	"the bad record's error goes to stderr, and the status is 1"
is "$(KBOX_IMAGES=$dir/none "$kbox" images)" "NAME  DIGEST  SIZE  LAYERS  SOURCE" \
	"a directory that is not there: the header alone"
# Without $KBOX_IMAGES: /images, then /var/lib/kbox/images, the first one holding a name
# winning. In a tree of its own (kbox is static), not on this host's /.
root=$out/tests/images-root
rm -rf "$root" && mkdir -p "$root/bin" "$root/images/both" "$root/images/a" \
	"$root/var/lib/kbox/images/both" "$root/var/lib/kbox/images/b" && cp "$kbox" "$root/bin/"
for where in images var/lib/kbox/images; do
	printf '{"kbox_image": 1, "name": "both", "source": "%s", "size": 2048, "layers": 1}\n' \
		"/$where" >"$root/$where/both.json"
done
is "$(env -u KBOX_IMAGES chroot "$root" /bin/kbox images)" "NAME  DIGEST  SIZE  LAYERS  SOURCE
a     -       -     -       -
b     -       -     -       -
both  -       2.0K  1       /images" \
	"kbox images lists /images and /var/lib/kbox/images; /images wins for a name in both"
"$kbox" help | grep -q '^  images '
ok $? "kbox help lists images"
"$kbox" run --help | grep -q -- '--entrypoint PROG'
ok $? "kbox run --help tells of --entrypoint"
done_testing
