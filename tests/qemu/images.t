#!/bin/bash
# Real images in the appliance (issue 13): kweb, built by podman (tests/images/mkimages), from
# each format in one initramfs; containers with no command run its own ENTRYPOINT and CMD
# with its ENV, WORKDIR and USER, others show that the spec's keys win; the whiteout and the
# opaque directory hold inside the container; STOPSIGNAL; kbox images, kbox inspect and kbox
# run IMAGE on the console shell. Runs as root (podman).
. "$(dirname "$0")/../lib.sh"
imgs=$out/tests/qemu-images
"$top/tests/images/mkimages" "$imgs" >"$out/tests/qemu-images.log" 2>&1
ok $? "tests/images/mkimages builds the test images" || diag <"$out/tests/qemu-images.log"
# shellcheck source=/dev/null
. "$imgs/facts"

build_initrd images "build an initramfs with kweb from every format" \
	--conf "$top/tests/qemu/conf/images" ${KBOX_BIN:+--kbox "$KBOX_BIN"} \
	--image "kweb=oci-archive:$imgs/kweb.oci-archive.tar" \
	--image "kwebd=docker-archive:$imgs/kweb.docker-archive.tar" \
	--image "kwebo=oci:$imgs/kweb.oci" \
	--image "kwebz=oci:$imgs/kweb-zstd.oci:kweb" \
	--image "kwebg=oci:$imgs/kweb-gzip.oci:kweb" \
	--image "kwebt=tar:$imgs/kweb.rootfs.tar"

# The one-shot containers are done once only the two stoppers run (at most 60 s); each
# inspect is one line.
boot_shell images 120 "" --initrd "$initrd" <<'IN'
i=0; until kbox ps | grep -q '^stopper .*running' && kbox ps | grep -q '^stopterm .*running' && ! kbox ps | grep -v -e '^stopper ' -e '^stopterm ' | grep -qE ' (running|starting) ' || [ $i -ge 600 ]; do sleep 0.1; i=$((i + 1)); done; echo WAITED-$i.
kbox images | sed 's/^/IMAGES: /'
for c in ociarch entry envs plain; do echo "INSPECT-$c: $(kbox inspect $c | tr -d '\n')"; done
kbox run --rm kweb 2>&1 | sed 's/^/RUN: /'
kbox run --rm -e GREETING=from-run -e SPEC_ONLY=run -w /tmp -u root kweb run-arg 2>&1 | sed 's/^/RUNX: /'
kbox run --rm --entrypoint /usr/local/bin/show kwebd 2>&1 | sed 's/^/RUNE: /'
kbox stop stopper; kbox stop stopterm; echo STOPPED.
poweroff
IN
is "$rc" 0 "the machine powers off cleanly"

# facts NAME ARGS PWD ID ENV: the lines kweb's show printed in container NAME.
facts() {
	has_end "$1 | args=$2" "$1: args: $2"
	has_end "$1 | pwd=$3" "$1: pwd: $3"
	has_match "$1 \| id=uid=$(sed 's/[()]/\\&/g' <<<"$4")( |$)" "$1: id: uid=$4"
	has_end "$1 | env=$5" "$1: env: $5"
	has_end "$1 | gone=absent" "$1: the file its layer whited out is gone"
	has_end "$1 | data=new ." "$1: the opaque directory holds only the new entry"
	has_end "$1 | added=kweb: added" "$1: the file its layer added is there"
}
image_env="GREETING:hello-from-kweb KWEB_ONLY:image SPEC_ONLY:unset"
facts ociarch from-image-cmd /home/www '1000(www) gid=1000(www)' "$image_env"
facts dockarch from-image-cmd /home/www '1000(www) gid=1000(www)' "$image_env"
facts ocidir from-image-cmd /home/www '1000(www) gid=1000(www)' "$image_env"
facts ocizstd from-image-cmd /home/www '1000(www) gid=1000(www)' "$image_env"
facts ocigzip from-image-cmd /home/www '1000(www) gid=1000(www)' "$image_env"
has_end "ociarch | motd=kbase: motd" "ociarch: the base's symlinked motd"
facts tarimg from-tar / '0(root) gid=0(root)' "GREETING:unset KWEB_ONLY:unset SPEC_ONLY:unset"
has_match "tarnocmd: .*'kwebt' has no Entrypoint or Cmd and the spec sets no cmd" \
	"an image with neither, and no cmd in the spec: refused with the reason"
has_end "cmdonly | args=spec-cmd two" "a spec cmd alone replaces CMD and keeps ENTRYPOINT"
has_end "entry | args=from-entry" "a spec entrypoint drops the image's CMD"
has_end "entrycmd | args=x y" "a spec entrypoint and cmd: the spec's argv"
has_end "envs | env=GREETING:from-spec KWEB_ONLY:image SPEC_ONLY:spec" \
	"env per name: the spec's wins, the image's others stay"
has_end "wduser | pwd=/tmp" "the spec's workdir wins over WORKDIR"
has_match "wduser \| id=uid=0\(root\) gid=0\(root\)" "the spec's user wins over USER"
has_end "plain | plain-busybox" "the busybox image, with no record, as before"
has_end "stopper | got-QUIT" "kbox stop sends the image's STOPSIGNAL (SIGQUIT)"
has_end "stopterm | got-TERM" "the spec's stop_signal wins over it"
has_end "STOPPED." "both stopped"

# kbox images: NAME DIGEST SIZE LAYERS SOURCE, DIGEST as sha256: and 12 hex digits.
has_match "^IMAGES: NAME +DIGEST +SIZE +LAYERS +SOURCE *$" "kbox images prints its header"
img() { # NAME DIGEST-REGEX LAYERS SOURCE-REGEX
	has_match "^IMAGES: $1 +$2 +[0-9.]+[KMG]? +$3 +$4 *$" "kbox images: $1 $2 $3 layers"
}
img kweb "${kweb_oci_archive_digest:0:19}" "$kweb_layers" "oci-archive:.*/kweb\.oci-archive\.tar"
img kwebo "${kweb_oci_digest:0:19}" "$kweb_layers" "oci:.*/kweb\.oci"
img kwebz "${kweb_zstd_oci_digest:0:19}" "$kweb_layers" "oci:.*/kweb-zstd\.oci:kweb"
img kwebg "${kweb_gzip_oci_digest:0:19}" "$kweb_layers" "oci:.*/kweb-gzip\.oci:kweb"
img kwebd "sha256:[0-9a-f]{12}" "$kweb_layers" "docker-archive:.*/kweb\.docker-archive\.tar"
img kwebt "sha256:[0-9a-f]{12}" 1 "tar:.*/kweb\.rootfs\.tar"
has_match "^IMAGES: busybox +- " "and the built-in busybox image, without a record"

# kbox inspect, its JSON read here: what the image gave the container.
# insp CONTAINER KEY...: a value of its inspect (as JSON for arrays and objects).
insp() {
	local c=$1
	shift
	sed -n "s/^INSPECT-$c: //p" "$log" | head -n1 | perl -MJSON::PP -e '
		my $j = eval { JSON::PP->new->decode(do { local $/; <STDIN> }) };
		for my $k (@ARGV) { $j = ref $j eq "ARRAY" ? $j->[$k] : ref $j eq "HASH" ? $j->{$k} : undef }
		print !defined $j ? "null" : ref $j && !JSON::PP::is_bool($j) ? JSON::PP->new->canonical->encode($j) : "$j"' "$@"
}
is "$(insp ociarch image name)|$(insp ociarch image digest)|$(insp ociarch image layers)" \
	"kweb|$kweb_oci_archive_digest|$kweb_layers" "kbox inspect: the image's name, digest and layers"
is "$(insp ociarch image exposed_ports)" '["80/tcp","8443/tcp"]' "kbox inspect: exposed_ports"
is "$(insp ociarch image labels org.kbox.test)|$(insp ociarch image labels org.kbox.role)" \
	"kweb|test image" "kbox inspect: labels"
cmp_ok "$(insp ociarch image size)" -gt 1000000 "kbox inspect: the image's size ($(insp ociarch image size))"
is "$(insp ociarch argv)" '["/usr/local/bin/show","from-image-cmd"]' "kbox inspect: the argv, ENTRYPOINT + CMD"
insp ociarch env | grep -qF '"GREETING=hello-from-kweb"'
ok $? "kbox inspect: the env holds the image's ENV"
is "$(insp entry spec entrypoint)|$(insp entry argv)" \
	'["/usr/local/bin/show","from-entry"]|["/usr/local/bin/show","from-entry"]' "kbox inspect: the spec's entrypoint, and the argv it gives"
e=$(insp envs env)
[[ $e == *'"GREETING=from-spec"'* && $e == *'"KWEB_ONLY=image"'* && $e == *'"SPEC_ONLY=spec"'* && $e != *hello-from-kweb* ]]
ok $? "kbox inspect: the env, the spec's GREETING in place of the image's" || echo "#   env: $e"
is "$(insp plain image)" null "kbox inspect: no image record for busybox"

# kbox run IMAGE in the appliance: /images/NAME and its record.
has_end "RUN: args=from-image-cmd" "kbox run kweb: ENTRYPOINT + CMD"
has_end "RUN: pwd=/home/www" "kbox run kweb: WORKDIR"
has_match "RUN: id=uid=1000\(www\)" "kbox run kweb: USER"
has_end "RUN: env=$image_env" "kbox run kweb: ENV"
has_end "RUN: data=new ." "kbox run kweb: the opaque directory"
has_end "RUNX: args=run-arg" "kbox run kweb CMD: the run's command after ENTRYPOINT"
has_end "RUNX: env=GREETING:from-run KWEB_ONLY:image SPEC_ONLY:run" "kbox run -e: per name, the run's wins"
has_end "RUNX: pwd=/tmp" "kbox run -w wins over WORKDIR"
has_match "RUNX: id=uid=0\(root\)" "kbox run -u wins over USER"
has_end "RUNE: args=" "kbox run --entrypoint: the image's CMD is dropped (docker-archive's kweb)"
has_end "RUNE: gone=absent" "and its layers hold as well"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
