#!/bin/bash
# kbox load and named volumes on this host, as root, in a private mount namespace with a
# tmpfs over /var/lib (the host's own /var/lib is never touched): every kind of source; the
# tree as written (owners, modes, setuid, mtimes, hard links, symlinks) against the tar it
# came from and against kbox image import's cpio; the record beside it; a load replacing an
# image under a running container; loads killed (-9) at each step, leaving the old image or
# none and a record that belongs to the tree; kbox run -v NAME:/path (made on first use,
# owners with and without userns, ro, shared, kept, nosuid,nodev) and kbox volumes.
. "$(dirname "$0")/../lib.sh"
imgs=$out/tests/images
if [ "${1:-}" != --inside ]; then
	"$top/tests/images/mkimages" "$imgs" >"$out/tests/load-mkimages.log" 2>&1
	exec unshare -m --propagation private "$0" --inside $?
fi
ok "$2" "tests/images/mkimages builds the test images with podman" ||
	diag <"$out/tests/load-mkimages.log"
mount -t tmpfs -o mode=755 kbox-load-test /var/lib && mkdir -p /var/lib/kbox
ok $? "a tmpfs over /var/lib, in a mount namespace of our own"
# shellcheck source=/dev/null
. "$imgs/facts"
kbox=$out/kbox
# kbox run with images by name from /var/lib/kbox/images, whatever the caller's environment.
run() { env -u KBOX_IMAGES "$kbox" run --rm "$@"; }
lib=/var/lib/kbox/images
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
kbase_digest=sha256:$(sha256sum <"$imgs/kbase.rootfs.tar" | cut -c1-64)

# listing DIR: every entry below DIR, one a line: path, type, mode, owner, mtime, and a
# symlink's target, as cpio_list spells them.
listing() {
	(cd "$1" && find . -mindepth 1 -printf '%P %y %m %U:%G %T@ %l\n') |
		awk '{ split($5, t, "."); l = $2 == "l" ? " -> " $6 : ""; print $1, $2, $3, $4, t[1] l }' | sort
}
# cpio_list CPIO PREFIX: the same of the entries below PREFIX/ of an archive, from its headers
# (tests/host/images.t's, without the sizes: a hard link's earlier names carry none).
cpio_list() {
	perl -e 'my ($in, $prefix) = @ARGV;
		open(my $f, "<:raw", $in) or die "$in: $!\n";
		my $d = do { local $/; <$f> };
		my ($pos, %e) = (0);
		my $al = sub { ($_[0] + 3) & ~3 };
		my %type = (4 => "d", 8 => "f", 10 => "l");
		while ($pos < length($d)) {
			if (substr($d, $pos, 1) eq "\0") { $pos++; next }
			die "$in: offset $pos: not a newc header\n" unless substr($d, $pos, 6) =~ /^07070[12]$/;
			my @h = map { hex } unpack("x6 (A8)13", substr($d, $pos, 110));
			my $name = substr($d, $pos + 110, $h[11] - 1);
			my $data = $al->($pos + 110 + $h[11]);
			$pos = $al->($data + $h[6]);
			next unless $name =~ s,^\Q$prefix\E/,,;
			my $t = $type{ $h[1] >> 12 } // "?";
			$e{$name} = sprintf("%s %s %o %d:%d %d%s", $name, $t, $h[1] & 07777, $h[2], $h[3],
				$h[5], $t eq "l" ? " -> " . substr($d, $data, $h[6]) : "");
		}
		print "$e{$_}\n" for sort keys %e' "$1" "$2"
}
# cpio_file CPIO NAME: the bytes of the archive's file NAME.
cpio_file() {
	perl -e 'my ($in, $want) = @ARGV;
		open(my $f, "<:raw", $in) or die "$in: $!\n";
		my $d = do { local $/; <$f> };
		my ($pos) = (0);
		my $al = sub { ($_[0] + 3) & ~3 };
		while ($pos < length($d)) {
			if (substr($d, $pos, 1) eq "\0") { $pos++; next }
			my @h = map { hex } unpack("x6 (A8)13", substr($d, $pos, 110));
			my $name = substr($d, $pos + 110, $h[11] - 1);
			my $data = $al->($pos + 110 + $h[11]);
			print substr($d, $data, $h[6]) if $name eq $want;
			$pos = $al->($data + $h[6]);
		}' "$1" "$2"
}
# state NAME: what kbox run and PID 1 find under NAME: "none", or the record's digest and
# whether the tree has kweb's /etc/added ("kweb" or "kbase"), which must agree.
state() {
	local d
	[ -d "$lib/$1" ] || { [ -e "$lib/$1.json" ] && echo "record-without-tree" || echo none; return; }
	d=$(jget "$lib/$1.json" digest) || { echo "tree-without-record"; return; }
	if [ "$d" = "$kweb_oci_archive_digest" ] && [ -e "$lib/$1/etc/added" ]; then
		echo kweb
	elif [ "$d" = "$kbase_digest" ] && [ ! -e "$lib/$1/etc/added" ]; then
		echo kbase
	else
		echo "mismatch:$d"
	fi
}
leftovers() { (cd "$lib" && ls -A | grep -E '^\.(load-|tmp-)' | tr '\n' ' '); }
gens() { (cd "$lib" && ls -A | grep -E "^\\.$1\\.[0-9]+\$" | tr '\n' ' '); }

# ---- every kind of source ----

msg=$("$kbox" load "oci-archive:$imgs/kweb.oci-archive.tar" 2>&1)
is "$?:$msg" "0:kbox load: image 'kweb': $lib/kweb: 1.9M, 4 layers, $kweb_oci_archive_digest" \
	"an oci-archive loads, named after its file"
is "$(state kweb)" kweb "its tree and record are found under the name"
is "$(readlink "$lib/kweb") $(readlink "$lib/kweb.json")" ".kweb.1/kweb kweb/../kweb.json" \
	"the name is a link to generation 1; the record's link follows it"
is "$("$kbox" images | awk '$1 == "kweb" { print $2, $4 }')" "${kweb_oci_archive_digest:0:19} 4" \
	"kbox images lists it from $lib"
i=$lib/kweb
is "$(stat -c '%a %U:%G' "$i/usr/local/bin/suid" 2>&1)" "4755 root:root" "setuid kept"
is "$(stat -c '%a %u:%g' "$i/opt/shared" 2>&1)" "2775 0:5" "a setgid directory, group 5"
is "$(stat -c '%a %u:%g' "$i/opt/owned" 2>&1)" "640 1234:5678" "owner and group ids kept"
is "$(stat -c '%a' "$i/tmp" 2>&1)" "1777" "/tmp is sticky"
is "$(stat -c '%u:%g' "$i/home/www" 2>&1)" "1000:1000" "a directory chowned in a RUN step"
is "$(stat -c %Y "$i/etc/motd-base" 2>&1) $(stat -c %Y "$i/opt/owned" 2>&1)" "981173106 981173106" \
	"mtimes kept (2001-02-03 04:05:06)"
is "$(stat -c %Y "$i/" "$i/opt/shared" "$i/etc/motd" | sort -u | tr '\n' ' ')" "981173106 " \
	"directories keep theirs once filled, symlinks theirs too"
is "$(readlink "$i/etc/motd") $(readlink "$i/bin/sh")" "motd-base /bin/busybox" \
	"symlinks, relative and absolute"
is "$(stat -c '%i %h' "$i/opt/keep" 2>&1)" "$(stat -c '%i %h' "$i/opt/keep-link" 2>&1)" \
	"a hard link is one file (of 2 names)"
is "$(stat -c %h "$i/etc/hostname" "$i/etc/hosts" | sort -u)" 1 \
	"files of equal content and metadata stay files of their own (no link between them)"
[ ! -e "$i/etc/gone" ] && [ "$(ls -A "$i/opt/data")" = new ] && [ -z "$(cd "$i" && find . -name '.wh.*')" ]
ok $? "whiteouts and the opaque directory applied, none left in the tree"
cmp -s "$i/bin/busybox" /bin/busybox
ok $? "busybox's bytes"
r=$lib/kweb.json
is "$(jget "$r" name)|$(jget "$r" source)|$(jget "$r" config_digest)|$(jget "$r" config Entrypoint)" \
	"kweb|oci-archive:$imgs/kweb.oci-archive.tar|$kweb_config|[\"/usr/local/bin/show\"]" \
	"the record: name, source, config digest, the config"
size=$(jget "$r" size)
cmp_ok "$size" -gt "$(stat -c %s /bin/busybox)" "the record's size ($size bytes)"
"$kbox" image import -o "$tmp/kweb.cpio" "kweb=oci-archive:$imgs/kweb.oci-archive.tar" 2>/dev/null
diff <(cpio_list "$tmp/kweb.cpio" images/kweb) <(listing "$i") >"$tmp/kweb.diff"
ok $? "the tree is kbox image import's, entry by entry (names, types, modes, owners, mtimes, links)" ||
	head -n 20 "$tmp/kweb.diff" | diag
cpio_file "$tmp/kweb.cpio" images/kweb.json >"$tmp/kweb.json"
cmp -s "$tmp/kweb.json" "$r"
ok $? "and so is the record, byte for byte"

for s in "oci:$imgs/kweb.oci" "docker-archive:$imgs/kweb.docker-archive.tar" "$imgs/kweb-zstd.oci"; do
	msg=$("$kbox" load "$s" kw2 2>&1)
	ok $? "$s loads ($msg)"
	diff <(listing "$i") <(listing "$lib/kw2") >"$tmp/kw2.diff"
	ok $? "$s: the same tree as the oci-archive's" || head -n 10 "$tmp/kw2.diff" | diag
done
is "$(jget "$lib/kw2.json" source)" "oci:$imgs/kweb-zstd.oci" "a directory holding an OCI layout is read as oci:"
is "$(gens kw2)" ".kw2.2 .kw2.3 " \
	"each load of kw2 replaced the last: the current generation left, and the one before (a start may be on its way to it)"
"$kbox" load "oci:$imgs/multi.oci:kb3" >/dev/null 2>&1
ok $? "oci:DIR:TAG"
is "$(jget "$lib/kb3.json" name)" kb3 "named after the tag: kb3"
"$kbox" load "docker-archive:$imgs/multi.docker-archive.tar:localhost/kb2:1" >/dev/null 2>&1
is "$?:$(jget "$lib/kb2.json" name)" "0:kb2" "docker-archive:FILE:localhost/kb2:1 is named kb2"

msg=$("$kbox" load "tar:$imgs/kbase.rootfs.tar" 2>&1)
is "$?:$msg" "0:kbox load: image 'kbase': $lib/kbase: 1.9M, 1 layer, $kbase_digest" \
	"a rootfs tarball loads, named after its file"
tar --numeric-owner --full-time -tvf "$imgs/kbase.rootfs.tar" | awk '$6 != "./" {
	n = $6; sub(/^\.\//, "", n); sub(/\/$/, "", n); t = substr($1, 1, 1); m = 0
	p = substr($1, 2, 9)
	for (i = 1; i <= 9; i++) { c = substr(p, i, 1); b = 2 ^ (9 - i)
		if (c != "-" && c != "S" && c != "T") m += b }
	if (p ~ /^..[sS]/) m += 2048; if (p ~ /^.....[sS]/) m += 1024; if (p ~ /[tT]$/) m += 512
	if (t == "-" || t == "h") t = "f"
	o = $2; sub("/", ":", o); print n, t, sprintf("%o", m), o }' | sort >"$tmp/kbase.tar.list"
listing "$lib/kbase" | awk '{ print $1, $2, $3, $4 }' >"$tmp/kbase.list"
diff "$tmp/kbase.tar.list" "$tmp/kbase.list" >"$tmp/kbase.diff"
ok $? "kbase: every entry of the tar, with its type, mode and owner" || head -n 20 "$tmp/kbase.diff" | diag
is "$(listing "$lib/kbase" | awk '{ print $5 }' | sort -u | tr '\n' ' ')$(stat -c %Y "$lib/kbase/")" \
	"981173106 981173106" "kbase: every entry keeps its mtime, directories, symlinks and the root too"

mkdir "$tmp/rootfs" && tar -C "$tmp/rootfs" -xpf "$imgs/kbase.rootfs.tar" && mkfifo "$tmp/rootfs/fifo"
msg=$("$kbox" load "$tmp/rootfs" 2>&1)
is "$?:$(echo "$msg" | head -n 1)" "0:kbox load: image 'rootfs': not carried: 1 fifos (the first: 'fifo')" \
	"a directory loads, named after it; what it cannot carry is named"
diff <(listing "$tmp/rootfs" | grep -v '^fifo ') <(listing "$lib/rootfs") >"$tmp/rootfs.diff"
ok $? "the directory's tree as it is (owners, modes, mtimes, links)" || head -n 10 "$tmp/rootfs.diff" | diag
is "$(stat -c %i "$lib/rootfs/opt/keep")" "$(stat -c %i "$lib/rootfs/opt/keep-link")" "its hard link too"
is "$(jget "$lib/rootfs.json" layers) $(jget "$lib/rootfs.json" source)" "1 $tmp/rootfs" "its record"
d1=$(jget "$lib/rootfs.json" digest)
"$kbox" load "$tmp/rootfs" again >/dev/null 2>&1
is "$(jget "$lib/again.json" digest)" "$d1" "the same directory gives the same digest"

# ---- refusals ----

msg=$("$kbox" load "tar:$imgs/kbase.rootfs.tar" 'no/pe' 2>&1)
is "$?:$msg" "2:kbox load: 'no/pe' is not an image name (letters, digits, '_' and '-', up to 63)" \
	"a NAME that is no image name"
cp "$imgs/kbase.rootfs.tar" "$tmp/.hidden.tar"
msg=$("$kbox" load "tar:$tmp/.hidden.tar" 2>&1)
is "$?:$msg" "2:kbox load: 'tar:$tmp/.hidden.tar' gives no image name (''); name it: kbox load SOURCE NAME" \
	"a source that gives no name asks for one"
msg=$("$kbox" load "tar:$tmp/nope.tar" nope 2>&1)
is "$?:$msg" "1:kbox load: image 'nope': '$tmp/nope.tar': No such file or directory" "a missing file"
is "$(state nope)" none "and no image"
head -c 300000 "$imgs/kweb.oci-archive.tar" >"$tmp/cut.tar"
"$kbox" load "oci-archive:$tmp/cut.tar" kweb >"$tmp/cut.err" 2>&1
is "$?:$(state kweb):$(leftovers)" "1:kweb:" "a truncated archive fails, the image it would replace stays, nothing left over" ||
	diag <"$tmp/cut.err"
mkdir -p "$lib/byhand" && touch "$lib/byhand.json"
msg=$("$kbox" load "tar:$imgs/kbase.rootfs.tar" byhand 2>&1)
is "$?:$msg" "1:kbox load: image 'byhand': $lib/byhand is not one kbox load made; remove it (and byhand.json) first" \
	"a directory put there by hand is not replaced"
is "$(run --entrypoint '' kweb cat /etc/added 2>&1)" "kweb: added" \
	"kbox run finds a loaded image by name"

# ---- a load replacing the image a container runs on ----

"$kbox" load "tar:$imgs/kbase.rootfs.tar" app >/dev/null 2>&1
run --name keeper -v sync:/sync app sh -c \
	'touch /sync/started; while [ ! -e /sync/stop ]; do sleep 0.05; done; ls /etc/added 2>&1; cat /etc/motd' \
	>"$tmp/keeper.out" 2>&1 &
keeper=$!
retry 100 test -e /var/lib/kbox/volumes/sync/started
ok $? "a container runs on app (generation 1)"
msg=$("$kbox" load "oci-archive:$imgs/kweb.oci-archive.tar" app 2>&1)
is "$?:$msg" "0:kbox load: image 'app': .app.1 stays while a container runs on it
kbox load: image 'app': $lib/app: 1.9M, 4 layers, $kweb_oci_archive_digest" \
	"a load replaces it: the old tree stays while the container runs on it"
is "$(state app):$(gens app)" "kweb:.app.1 .app.2 " "the name leads to the new image"
touch /var/lib/kbox/volumes/sync/stop
wait $keeper
is "$?:$(cat "$tmp/keeper.out")" "0:ls: /etc/added: No such file or directory
kbase: motd" "the running container kept its tree to the end"
"$kbox" load "oci-archive:$imgs/kweb.oci-archive.tar" app >/dev/null 2>&1
is "$(gens app)" ".app.2 .app.3 " "a later load removes the old tree, no longer in use (the one before the current stays)"
is "$(run --entrypoint '' -u 0 app cat /etc/added 2>&1)" "kweb: added" \
	"the next start runs on the new image"

# ---- loads killed at each step: the old image or none, and leftovers collected ----

# The steps of kbox load at which KBOX_LOAD_STOP stops it: store filled, tree written,
# record written, record's link made, the commit done.
for point in imported tree record record-link committed; do
	for had in none kbase; do
		n=k-$point-$had
		[ "$had" = none ] || "$kbox" load "tar:$imgs/kbase.rootfs.tar" "$n" >/dev/null 2>&1
		KBOX_LOAD_STOP=$point "$kbox" load "oci-archive:$imgs/kweb.oci-archive.tar" "$n" >/dev/null 2>&1 &
		pid=$!
		retry 100 sh -c "[ \"\$(cut -d' ' -f3 /proc/$pid/stat 2>/dev/null)\" = T ]"
		ok $? "$n: a load stopped at '$point'"
		kill -9 "$pid"
		wait "$pid" 2>/dev/null
		want=$had
		[ "$point" = committed ] && want=kweb
		is "$(state "$n")" "$want" "$n: killed at '$point' it leaves $( [ "$want" = none ] && echo no image || echo "the $want image, tree and record together")"
	done
done
"$kbox" load "tar:$imgs/kbase.rootfs.tar" k-after >/dev/null 2>&1
is "$(leftovers)|$(ls -A "$lib" | grep -cE '^\.k-.*-(none|kbase)\.[0-9]+$')" "|7" \
	"the next load collects what the killed ones left: one generation for each image there is (and the one before for the load killed after its commit)"
is "$(state k-imported-kbase) $(state k-committed-none)" "kbase kweb" "and those images are intact"

# ---- volumes: kbox run -v NAME:/path ----

vols=/var/lib/kbox/volumes
is "$(run -v data:/data kbase sh -c 'echo one >/data/f; stat -c "%a %u:%g" /data' 2>&1)" "755 0:0" \
	"-v data:/data makes the volume, 0755 and root's"
is "$(stat -c '%a %u:%g' "$vols/data") $(cat "$vols/data/f")" "755 0:0 one" "it is $vols/data"
is "$(run -v data:/srv/x kbase cat /srv/x/f 2>&1)" one \
	"kept after --rm: the next container (at another path) reads what the first wrote"
msg=$(run -v data:/data:ro kbase sh -c 'cat /data/f; echo two >/data/f' 2>&1)
is "$?:$msg" "1:one
sh: can't create /data/f: Read-only file system" ":ro is read-only"
is "$(run -v data:/data kbase sh -c 'grep " /data " /proc/self/mountinfo | grep -o "nosuid,nodev"' 2>&1)" \
	nosuid,nodev "a volume is mounted nosuid,nodev"
is "$(run --userns 0:100000:65536 -v udata:/data kbase sh -c 'echo mine >/data/f && stat -c "%u:%g" /data /data/f' 2>&1)" \
	"0:0
0:0" "with userns a new volume belongs to the container's root, who writes it"
is "$(stat -c '%u:%g' "$vols/udata" "$vols/udata/f" | tr '\n' ' ')" "100000:100000 100000:100000 " \
	"on the host: the map's outside id"
msg=$(run --userns 0:200000:65536 -v data:/data kbase sh -c 'echo x >/data/g' 2>&1)
is "$?:$msg:$(stat -c '%u:%g' "$vols/data")" "1:sh: can't create /data/g: Permission denied:0:0" \
	"an existing volume is never chowned: another range's root cannot write it"
run --name a -v shared:/s kbase sh -c 'echo from-a >/s/a' 2>&1
is "$(run --name b -v shared:/t kbase cat /t/a 2>&1)" from-a "two containers share a volume"
msg=$(run --name bad -v data:/proc/self/fd/1 kbase true 2>&1)
is "$?:$msg" "125:kbox: bad: volume 'data': '/proc/self/fd/1': a magic link (/proc/PID/fd/N, /proc/self/exe, ...) is refused" \
	"a volume's path may not be a magic link"
ln -s /etc "$vols/evil"
msg=$(run --name bad -v evil:/e kbase ls /e 2>&1)
is "$?:$msg" "125:kbox: bad: volume 'evil': $vols/evil is not a directory" "a volume that is a symlink is refused"
rm "$vols/evil"
msg=$(run --name bad -v ../x:/e kbase true 2>&1)
is "$?:$msg" "125:kbox: bad: volume: '../x' is not a volume name (letters, digits, '_' and '-', up to 63) (-v)" \
	"-v ../x:/e is refused"
dd if=/dev/zero of="$vols/data/big" bs=1k count=40 2>/dev/null
ln "$vols/data/big" "$vols/data/big-link"
is "$("$kbox" volumes -b | awk '$1 == "data" { print $2 }')" "$(du -sxB1 "$vols/data" | cut -f1)" \
	"kbox volumes -b: a volume's size as du -sx counts it (hard links once)"
is "$("$kbox" volumes | sed 's/  */ /g')" "NAME SIZE CONTAINERS
data 44K -
shared 4.0K -
sync 0B -
udata 4.0K -" "kbox volumes lists them (no PID 1 here: no container names them)"

done_testing
