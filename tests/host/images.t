#!/bin/bash
# initramfs/build --image NAME=SOURCE on real images (podman-made: tests/images/mkimages) in
# every format, and on hostile ones (tests/images/attack): the messages, no partial output
# and nothing written outside the image, the trees in the cpio (owners, modes, mtimes, links,
# whiteouts, opaque directories), the records beside them, and the sharing figure.
# Runs as root: podman builds the images.
. "$(dirname "$0")/../lib.sh"
build=$top/initramfs/build
imgs=$out/tests/images
att=$imgs/attack
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v cpio >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cpio >/dev/null

"$top/tests/images/mkimages" "$imgs" >"$tmp/mkimages.log" 2>&1
ok $? "tests/images/mkimages builds the test images with podman" || diag <"$tmp/mkimages.log"
rm -rf "$att"
"$top/tests/images/attack" "$att"
ok $? "tests/images/attack writes the hostile inputs"
# shellcheck source=/dev/null
. "$imgs/facts"
echo "# podman $podman, storage driver $driver, kweb's opaque layer: $kweb_opaque_layer"

# One blank for each run of blanks, none at the ends: the messages may move in spacing.
squeeze() { tr -s ' \t' ' ' | sed 's/^ //; s/ $//'; }
now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{ printf "%.2f", $2 - $1 }'; }
# split CPIO DIR: the archives a file holds one after the other (initramfs/build appends the
# images' archive to its own; the kernel unpacks them in turn, GNU cpio stops after the
# first), as DIR/0.cpio, DIR/1.cpio...
split() {
	perl -e 'my ($in, $dir) = @ARGV;
		open(my $f, "<:raw", $in) or die "$in: $!\n";
		my $d = do { local $/; <$f> };
		my ($pos, $start, $n) = (0, 0, 0);
		my $al = sub { ($_[0] + 3) & ~3 };
		while ($pos < length($d)) {
			if (substr($d, $pos, 1) eq "\0" && $pos == $start) { $start = ++$pos; next }
			die "$in: offset $pos: not a newc header\n" unless substr($d, $pos, 6) =~ /^07070[12]$/;
			my @h = map { hex } unpack("x6 (A8)13", substr($d, $pos, 110));
			my $name = substr($d, $pos + 110, $h[11] - 1);
			$pos = $al->($al->($pos + 110 + $h[11]) + $h[6]);
			next unless $name eq "TRAILER!!!";
			open(my $o, ">:raw", "$dir/" . $n++ . ".cpio") or die;
			print $o substr($d, $start, $pos - $start);
			$start = $pos;
		}' "$1" "$2"
}
# cpio_list CPIO PREFIX: the entries below PREFIX/ (all for "") of every archive in CPIO, from their
# headers (GNU cpio cannot set a symlink's mtime, nor keep a directory's once it fills it),
# one a line: path, type, mode, owner, mtime, size, symlink target. A later archive's entry
# replaces an earlier one of that name, as in the kernel.
cpio_list() {
	perl -e 'my ($in, $prefix) = @ARGV;
		open(my $f, "<:raw", $in) or die "$in: $!\n";
		my $d = do { local $/; <$f> };
		my ($pos, %e) = (0);
		my $al = sub { ($_[0] + 3) & ~3 };
		my %type = (4 => "d", 8 => "f", 10 => "l", 2 => "c", 6 => "b", 1 => "p", 12 => "s");
		while ($pos < length($d)) {
			if (substr($d, $pos, 1) eq "\0") { $pos++; next }
			die "$in: offset $pos: not a newc header\n" unless substr($d, $pos, 6) =~ /^07070[12]$/;
			my @h = map { hex } unpack("x6 (A8)13", substr($d, $pos, 110));
			my $name = substr($d, $pos + 110, $h[11] - 1);
			my $data = $al->($pos + 110 + $h[11]);
			$pos = $al->($data + $h[6]);
			next unless $prefix eq "" || $name =~ s,^\Q$prefix\E/,,;
			my $t = $type{ $h[1] >> 12 } // "?";
			$e{$name} = sprintf("%s %s %o %d:%d %d %d%s", $name, $t, $h[1] & 07777, $h[2], $h[3],
				$h[5], $t eq "l" ? 0 : $h[6], $t eq "l" ? " -> " . substr($d, $data, $h[6]) : "");
		}
		print "$e{$_}\n" for sort keys %e' "$1" "$2"
}
# unpack CPIO DIR: every archive of CPIO into DIR, in turn, as root (owners kept).
unpack() {
	local a
	rm -rf "$2" "$2.parts" && mkdir -p "$2" "$2.parts" && [ -f "$1" ] && split "$1" "$2.parts" || return 1
	for a in $(ls "$2.parts" | sort -n); do
		(cd "$2" && cpio -idmu --quiet --no-absolute-filenames <"$2.parts/$a") || return 1
	done
}
# A message in a test's name: digests shortened to 12 hex digits.
short() { sed 's/\([0-9a-f]\{12\}\)[0-9a-f]\{52\}/\1../g' <<<"$1"; }
# The sentinels the hostile entries aim at: none may exist before or after.
escaped() { find / /run /dev/shm -xdev -name 'kbox-escaped-*' -print 2>/dev/null; }
stale=$(escaped)
[ -z "$stale" ] && echo "# no kbox-escaped-* file before the attacks" ||
	{ echo "$stale" | sed 's/^/# stale, removed: /'; echo "$stale" | xargs rm -rf; }

# ---- hostile inputs: each fails with its message and leaves nothing behind ----

# try NAME SOURCE [initramfs/build args...]: build into an empty $tmp/o/NAME with a TMPDIR
# of its own; $rc, and stderr in $err.
try() {
	local name=$1 src=$2
	shift 2
	rm -rf "$tmp/o/$name" "$tmp/t/$name"
	mkdir -p "$tmp/o/$name" "$tmp/t/$name" "$tmp/e"
	err=$tmp/e/$name
	(cd "$tmp/o/$name" && TMPDIR=$tmp/t/$name "$build" "$@" --image "$name=$src" \
		-o "$tmp/o/$name/out.cpio") >/dev/null 2>"$err"
	rc=$?
}
# has_piece FILE PIECE: a line of FILE holds PIECE, or one of its " OR " parts.
has_piece() {
	local alt
	while read -r alt; do
		grep -qF -- "$alt" "$1" && return 0
	done < <(sed 's/ OR /\n/g' <<<"$2")
	return 1
}
# names_all NAME PIECE...: one stderr line names the image and holds every piece.
names_all() {
	local name=$1 p
	shift
	grep -F -- "image '$name'" "$err" >"$err.lines" || return 1
	for p in "$@"; do
		has_piece "$err.lines" "$p" || return 1
	done
}
left() { # NAME: what the build left in its output and temporary directories
	(cd "$tmp" && find "o/$1" "t/$1" -mindepth 1 -printf '%p ')
}

while IFS=$'\t' read -r kind name src rest; do
	pieces=()
	[ -z "$rest" ] || IFS=$'\t' read -r -a pieces <<<"$rest"
	try "$name" "$src"
	case $kind in
	fail)
		want=$(squeeze <<<"${pieces[0]}")
		[ "$rc" != 0 ] && squeeze <"$err" | grep -qxF -- "$want"
		ok $? "$name: the build fails with: $(short "${pieces[0]#initramfs/build: }")" ||
			{ echo "#   rc $rc, stderr:"; diag <"$err"; }
		;;
	has)
		[ "$rc" != 0 ] && names_all "$name" "${pieces[@]}"
		ok $? "$name: the build fails naming the image${pieces[*]:+ with: $(short "${pieces[*]}")}" ||
			{ echo "#   rc $rc, stderr:"; diag <"$err"; }
		;;
	warn | good | any)
		# Whatever the build wrote holds no name outside its image.
		if [ -s "$tmp/o/$name/out.cpio" ]; then
			l=$(cpio_list "$tmp/o/$name/out.cpio" "" | awk -v n="$name" '$1 ~ /(^|\/)\.\.(\/|$)/ ||
				$1 ~ /^\// || ($1 ~ /^images\// && $1 !~ "^images/(busybox|" n ")(/|$)" &&
				$1 != "images/" n ".json") { print $1 }')
			[ -z "$l" ]
			ok $? "$name: every name of the image's archive is below images/$name" || echo "$l" | head -n5 | diag
		fi
		;;&
	warn)
		grep -F "initramfs/build: image '$name': not carried:" "$err" >"$err.nc"
		f=0
		for p in "${pieces[@]}"; do grep -qF -- "$p" "$err.nc" || f=1; done
		[ "$rc" = 0 ] && [ -s "$tmp/o/$name/out.cpio" ] && [ "$f" = 0 ]
		ok $? "$name: builds, reporting what the initramfs cannot carry: ${pieces[*]}" ||
			{ echo "#   rc $rc, stderr:"; diag <"$err"; }
		diag <"$err.nc"
		continue
		;;
	good)
		[ "$rc" = 0 ] && [ -s "$tmp/o/$name/out.cpio" ]
		ok $? "$name: builds (${src##*/})" || { echo "#   rc $rc, stderr:"; diag <"$err"; }
		continue
		;;
	any)
		echo "# $name: the build exits $rc: $(head -n1 "$err")"
		continue
		;;
	*) ok 1 "attack's expect: unknown kind '$kind'"; continue ;;
	esac
	l=$(left "$name")
	[ -z "$l" ]
	ok $? "$name: no output file, nothing left in its directory or TMPDIR" || echo "#   left: $l"
	# A pre-existing output stays as it was: the build writes a temporary file and renames it.
	echo "the previous build" >"$tmp/o/$name/out.cpio"
	(cd "$tmp/o/$name" && TMPDIR=$tmp/t/$name "$build" --image "$name=$src" \
		-o "$tmp/o/$name/out.cpio") >/dev/null 2>&1
	is "$(head -c 100 "$tmp/o/$name/out.cpio" | tr -d '\0')|$(left "$name")" "the previous build|o/$name/out.cpio " \
		"$name: a pre-existing output file is left as it was, and only it"
done <"$att/expect"

l=$(escaped)
[ -z "$l" ]
ok $? "no hostile entry wrote a byte outside its image (no kbox-escaped-* anywhere)" ||
	echo "$l" | sed 's/^/#   /'
[ -f "$att/victim/keep" ] && [ -f "$att/victim/sub/keep" ]
ok $? "whiteouts through a symlink deleted nothing outside the image"

try kweb "oci-archive:$imgs/kweb.oci-archive.tar" --image "dotdot=oci:$att/dotdot"
[ "$rc" != 0 ] && [ -z "$(left kweb)" ] && grep -qF "image 'dotdot'" "$err" && ! grep -qF "image 'kweb'" "$err"
ok $? "a good image before a bad one: the build fails naming the bad one, and leaves nothing" ||
	{ echo "#   rc $rc, left: $(left kweb)"; diag <"$err"; }
try missing "oci-archive:$tmp/nonexistent.tar"
[ "$rc" != 0 ] && grep -qF "image 'missing'" "$err" && [ -z "$(left missing)" ]
ok $? "a source file that does not exist: the build fails naming the image ($(head -n1 "$err"))"

# ---- the good inputs of attack: trees ----

t=$tmp/x/attack
for n in opaque multiarch nested dockertypes notcarried; do
	[ -s "$tmp/o/$n/out.cpio" ] && unpack "$tmp/o/$n/out.cpio" "$t/$n"
done
i=$t/opaque/images/opaque
is "$(ls -A "$i/d" 2>&1 | tr '\n' ' ')" "new " "opaque (by hand): the opaque directory holds only the upper layer's entries"
is "$(ls -A "$i" 2>&1 | tr '\n' ' ')" "d keep " "opaque: .wh.f deleted a file, .wh.g a directory and all below it"
for n in multiarch nested dockertypes; do
	is "$(cat "$t/$n/images/$n/arch" 2>&1)" amd64 "$n: the linux/amd64 image is the one built"
done
is "$(cat "$t/notcarried/images/notcarried/etc/capped" 2>&1)" "#!/bin/sh" \
	"notcarried: the file with the capability is there (without it)"
echo "# notcarried's /dev: $(ls -A "$t/notcarried/images/notcarried/dev" 2>&1 | tr '\n' ' ')"

# ---- podman's images, every format ----

# build_img OUT ARGS...: time one initramfs/build; $secs.
build_img() {
	local o=$1 t0
	shift
	t0=$(now)
	"$build" "$@" -o "$o" 2>"$o.err"
	rc=$?
	secs=$(secs "$t0" "$(now)")
	return $rc
}

x=$tmp/x
mkdir -p "$x"
declare -A src=(
	[oci_archive]="oci-archive:$imgs/kweb.oci-archive.tar"
	[docker_archive]="docker-archive:$imgs/kweb.docker-archive.tar"
	[oci]="oci:$imgs/kweb.oci"
	[raw_oci]="oci:$imgs/kweb-raw.oci"
	[gzip_oci]="oci:$imgs/kweb-gzip.oci:kweb"
	[zstd_oci]="oci:$imgs/kweb-zstd.oci:kweb"
	[multi_oci]="oci:$imgs/multi.oci:kweb"
)
declare -A digest=(
	[oci_archive]=$kweb_oci_archive_digest [oci]=$kweb_oci_digest [raw_oci]=$kweb_raw_oci_digest
	[gzip_oci]=$kweb_gzip_oci_digest [zstd_oci]=$kweb_zstd_oci_digest
)
for f in oci_archive docker_archive oci raw_oci gzip_oci zstd_oci multi_oci; do
	build_img "$x/$f.cpio" --image "kweb=${src[$f]}"
	ok $? "kweb from ${src[$f]#"$imgs/"} builds ($secs s)" || diag <"$x/$f.cpio.err"
	unpack "$x/$f.cpio" "$x/$f"
	r=$x/$f/images/kweb.json
	want=${digest[$f]:-}
	got=$(jget "$r" kbox_image)/$(jget "$r" name)/$(jget "$r" source)/$(jget "$r" config_digest)/$(jget "$r" layers)
	is "$got" "1/kweb/${src[$f]}/$kweb_config/$kweb_layers" \
		"$f: the record names the image, its source, config digest and $kweb_layers layers"
	if [ -n "$want" ]; then
		is "$(jget "$r" digest)" "$want" "$f: the record's digest is the manifest's"
	else
		[[ $(jget "$r" digest) =~ ^sha256:[0-9a-f]{64}$ ]]
		ok $? "$f: the record has a digest ($(jget "$r" digest))"
	fi
	[ "$f" = oci_archive ] || {
		diff <(cpio_list "$x/oci_archive.cpio" images/kweb) <(cpio_list "$x/$f.cpio" images/kweb) >"$x/$f.diff"
		ok $? "$f: the same tree as from the oci-archive (names, types, modes, owners, mtimes, sizes, links)" ||
			head -n 20 "$x/$f.diff" | diag
	}
done

i=$x/oci_archive/images/kweb
r=$x/oci_archive/images/kweb.json
[ ! -e "$i/etc/gone" ]
ok $? "kweb: the file its layer whited out is gone"
is "$(cat "$i/etc/added" 2>&1)" "kweb: added" "kweb: the file its layer added is there"
is "$(ls -A "$i/opt/data" 2>&1 | tr '\n' ' ')" "new " "kweb: the replaced directory holds only the new entry"
is "$(cd "$i" && find . -name '.wh.*' | head -n3)" "" "kweb: no whiteout file lands in the tree"
is "$(stat -c '%a %U:%G' "$i/usr/local/bin/suid" 2>&1)" "4755 root:root" "kweb: setuid kept"
is "$(stat -c '%a %u:%g' "$i/opt/shared" 2>&1)" "2775 0:5" "kweb: a setgid directory, group 5"
is "$(stat -c '%a %u:%g' "$i/opt/owned" 2>&1)" "640 1234:5678" "kweb: owner and group ids kept"
is "$(stat -c '%a' "$i/tmp" 2>&1)" "1777" "kweb: /tmp is sticky"
is "$(stat -c '%u:%g' "$i/home/www" 2>&1)" "1000:1000" "kweb: a directory chowned in a RUN step"
is "$(stat -c %Y "$i/etc/motd-base" 2>&1) $(stat -c %Y "$i/opt/owned" 2>&1)" "981173106 981173106" \
	"kweb: mtimes kept (2001-02-03 04:05:06)"
is "$(readlink "$i/etc/motd") $(readlink "$i/bin/sh")" "motd-base /bin/busybox" "kweb: symlinks, relative and absolute"
is "$(stat -c %i "$i/opt/keep" 2>&1)" "$(stat -c %i "$i/opt/keep-link" 2>&1)" "kweb: a hard link is one file"
cmp -s "$i/bin/busybox" /bin/busybox
ok $? "kweb: busybox's bytes"
is "$(head -n1 "$i/usr/local/bin/show")" "#!/bin/sh" "kweb: the COPY layer's file"
is "$(jget "$r" config Entrypoint)|$(jget "$r" config Cmd)|$(jget "$r" config User)|$(jget "$r" config WorkingDir)" \
	'["/usr/local/bin/show"]|["from-image-cmd"]|www|/home/www' "kweb's record: Entrypoint, Cmd, User, WorkingDir"
is "$(jget "$r" config StopSignal)|$(jget "$r" config ExposedPorts)|$(jget "$r" config Labels org.kbox.test)" \
	'SIGQUIT|{"80/tcp":{},"8443/tcp":{}}|kweb' "kweb's record: StopSignal, ExposedPorts, Labels"
jget "$r" config Env | grep -qF '"GREETING=hello-from-kweb"'
ok $? "kweb's record: Env"
[[ $(jget "$r" created) =~ ^20[0-9][0-9]- ]]
ok $? "kweb's record: created ($(jget "$r" created))"
size=$(jget "$r" size)
cmp_ok "$size" -gt "$(stat -c %s /bin/busybox)" "kweb's record: size counts busybox once and the rest ($size bytes)"
cmp_ok "$size" -lt "$(($(stat -c %s /bin/busybox) + 100000))" "and busybox only once (its applets are symlinks)"

build_img "$x/again.cpio" --image "kweb=${src[oci_archive]}"
cmp -s "$x/again.cpio" "$x/oci_archive.cpio"
ok $? "the same image gives the same bytes"

# tar: podman export of a kweb container (one layer, no whiteouts, no config).
build_img "$x/tar.cpio" --image "kwebtar=tar:$imgs/kweb.rootfs.tar"
ok $? "kweb exported by podman builds as tar: ($secs s)" || diag <"$x/tar.cpio.err"
unpack "$x/tar.cpio" "$x/tar"
i=$x/tar/images/kwebtar
r=$x/tar/images/kwebtar.json
[ ! -e "$i/etc/gone" ] && [ "$(ls -A "$i/opt/data" 2>&1)" = new ] && [ "$(stat -c %a "$i/usr/local/bin/suid")" = 4755 ]
ok $? "tar: the exported tree (no deleted file, the new /opt/data, setuid kept)"
is "$(jget "$r" layers)|$(jget "$r" config_digest)|$(jget "$r" config)|$(jget "$r" digest)" \
	"1|null|{}|sha256:$(sha256sum <"$imgs/kweb.rootfs.tar" | cut -c1-64)" \
	"tar: the record has one layer, no config, the tar's sha256 as its digest"

# tar: the rootfs kbase was imported from: every entry's mtime survives, directories too.
build_img "$x/kbase.cpio" --image "kbase=tar:$imgs/kbase.rootfs.tar"
ok $? "kbase's rootfs tar builds" || diag <"$x/kbase.cpio.err"
unpack "$x/kbase.cpio" "$x/kbase"
is "$(cpio_list "$x/kbase.cpio" images/kbase | awk '{ print $5 }' | sort -u | tr '\n' ' ')" \
	"981173106 " "kbase: every entry keeps its mtime (in the cpio), directories and symlinks too"
# GNU tar's listing of the rootfs, as cpio_list spells it.
tar --numeric-owner --full-time -tvf "$imgs/kbase.rootfs.tar" | awk '$6 != "./" {
	n = $6; sub(/^\.\//, "", n); sub(/\/$/, "", n); t = substr($1, 1, 1); m = 0
	p = substr($1, 2, 9)
	for (i = 1; i <= 9; i++) { c = substr(p, i, 1); b = 2 ^ (9 - i)
		if (c != "-" && c != "S" && c != "T") m += b }
	if (p ~ /^..[sS]/) m += 2048; if (p ~ /^.....[sS]/) m += 1024; if (p ~ /[tT]$/) m += 512
	if (t == "-" || t == "h") t = "f"
	o = $2; sub("/", ":", o); print n, t, sprintf("%o", m), o }' | sort >"$x/kbase.tar.list"
cpio_list "$x/kbase.cpio" images/kbase | awk '{ print $1, $2, $3, $4 }' | sort >"$x/kbase.cpio.list"
diff "$x/kbase.tar.list" "$x/kbase.cpio.list" >"$x/kbase.diff"
ok $? "kbase: every entry of the tar, with its type, mode and owner (hard links as files)" ||
	head -n 20 "$x/kbase.diff" | diag

# Tags: one of three in an OCI layout, one of two in a docker-archive.
build_img "$x/tag.cpio" --image "kb2=oci:$imgs/multi.oci:kb2" \
	--image "kb3=docker-archive:$imgs/multi.docker-archive.tar:localhost/kb3:1"
ok $? "oci:DIR:TAG and docker-archive:FILE:TAG pick one image of several" || diag <"$x/tag.cpio.err"
unpack "$x/tag.cpio" "$x/tag"
is "$(ls "$x/tag/images/kb2/kb2" "$x/tag/images/kb2/kb3" "$x/tag/images/kb3/kb3" "$x/tag/images/kb3/kb2" 2>/dev/null |
	sed "s|$x/tag/images/||" | tr '\n' ' ')" "kb2/kb2 kb3/kb3 " "each tag's own file, not the other's"

build_img "$x/demo.cpio" --conf "$top/initramfs/demo" --image "web=oci-archive:$imgs/demo-web.oci-archive.tar"
ok $? "the demo's web image builds" || diag <"$x/demo.cpio.err"
unpack "$x/demo.cpio" "$x/demo"
is "$(cat "$x/demo/images/web/www/index.html" 2>&1)" "<h1>hello from kbox</h1>" "with its page"

# ---- sharing: three images on one base ----

build_img "$x/none.cpio"
t_none=$secs
build_img "$x/kweb.cpio" --image "kweb=${src[oci_archive]}"
t_one=$secs
for n in kb2 kb3; do build_img "$x/$n.cpio" --image "$n=oci-archive:$imgs/$n.oci-archive.tar"; done
build_img "$x/three.cpio" --image "kweb=${src[oci_archive]}" \
	--image "kb2=oci-archive:$imgs/kb2.oci-archive.tar" --image "kb3=oci-archive:$imgs/kb3.oci-archive.tar"
ok $? "kweb, kb2 and kb3 in one initramfs ($secs s)" || diag <"$x/three.cpio.err"
t_three=$secs
sz() { stat -c %s "$1"; }
base=$(sz "$x/none.cpio")
one=$(($(sz "$x/kweb.cpio") - base))
three=$(($(sz "$x/three.cpio") - base))
apart=$((one + $(sz "$x/kb2.cpio") - base + $(sz "$x/kb3.cpio") - base))
unpack "$x/three.cpio" "$x/three"
records=0
for n in kweb kb2 kb3; do
	v=$(jget "$x/three/images/$n.json" size) && [[ $v =~ ^[0-9]+$ ]] || v=0
	records=$((records + v))
done
echo "# initramfs without images: $base bytes, built in $t_none s"
echo "# kweb alone: +$one bytes, built in $t_one s; kweb+kb2+kb3: +$three bytes, built in $t_three s"
echo "# the three apart (each image's own initramfs, summed): +$apart bytes; their records' sizes summed: $records bytes"
echo "# sharing: the three cost $(awk -v a="$three" -v b="$one" 'BEGIN { printf "%.2f", a / b }') times kweb alone, apart $(awk -v a="$apart" -v b="$one" 'BEGIN { printf "%.2f", a / b }')"
grep -i -e "stored as" -e shar "$x/three.cpio.err" | diag
cmp_ok "$((three * 10))" -lt "$((one * 15))" "three images on one base cost well under three times one (under 1.5)"
cmp_ok "$apart" -gt "$((one * 25 / 10))" "apart they would cost nearly three times one (the figure above is sharing)"
ino=$(stat -c %i "$x/three/images/kweb/bin/busybox" "$x/three/images/kb2/bin/busybox" "$x/three/images/kb3/bin/busybox" | sort -u | wc -l)
is "$ino" 1 "the base's busybox is one file in the cpio for the three images"
is "$(cat "$x/three/images/kb2/kb2" "$x/three/images/kb3/kb3" 2>&1 | tr '\n' ' ')" \
	"kb2: its own file kb3: its own file " "each keeps its own file"

# ---- the importer's own robustness (issue 13's attack) ----

# A layer that is gzip by its first bytes and garbage after, and a fifo as the source: the
# build fails, and promptly (a decompressor and a feeder that kept each other's pipes open
# hung it for ever).
h=$tmp/hang
mkdir -p "$h"
{ printf '\037\213\010\000\000\000\000\000'; head -c 1048576 /dev/zero | tr '\0' 'x'; } >"$h/bad.tar"
timeout 60 "$build" --image bad=tar:"$h/bad.tar" -o "$h/out.cpio" 2>"$h/err"
rc=$?
[ "$rc" != 124 ] && [ "$rc" != 0 ] && grep -q "image 'bad': layer sha256:[0-9a-f]*: cannot decompress" "$h/err"
ok $? "gzip bytes then garbage: the build fails at once with the decompressor's reason (rc $rc: $(grep cannot "$h/err" | head -n1))"
! pgrep -f "$h/bad.tar" >/dev/null
ok $? "and leaves no feeder or decompressor behind"
mkfifo "$h/fifo.tar"
timeout 60 "$build" --image f=tar:"$h/fifo.tar" -o "$h/out.cpio" 2>"$h/err"
rc=$?
[ "$rc" != 124 ] && [ "$rc" != 0 ]
ok $? "a fifo as the source fails, and does not hang the build (rc $rc: $(tail -n2 "$h/err" | head -n1))"
# A planted symlink where the output's temporary file will be: never followed.
echo keep >"$h/victim"
for p in $(seq $$ $(($$ + 400))); do ln -sf "$h/victim" "$h/out2.cpio.tmp.$p" 2>/dev/null; done
"$out/kbox" image import -o "$h/out2.cpio" t=tar:"$imgs/kbase.rootfs.tar" >/dev/null 2>&1
is "$(cat "$h/victim")" keep "a symlink planted at the output's temporary name is not written through"

done_testing
