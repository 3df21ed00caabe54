#!/usr/bin/env python3
# A hostile layer hangs kbox image import for ever: the feeder process (source.c,
# stream_start) keeps every pipe end it inherited, so when the decompressor stops reading
# (it failed) or the reader stops reading (the tar failed), nobody gets EOF or EPIPE.
#  A: a tar: source with gzip's magic and 1 MiB of garbage: gzip exits at once, the feeder
#     blocks writing, kbox blocks reading the decompressor's output (the feeder holds it).
#  B: a valid gzip layer whose tar has a bad header after one good entry, then 8 MiB of
#     noise: the tar reader fails, kbox closes its end and waits for gzip, which blocks
#     writing (the feeder holds the read end too).
#  C: as A with zstd's magic, in an OCI layout (every digest right).
#  D: as B in an OCI layout.
# usage: decomp-hang.py [SECONDS]   (the time limit per case, default 30)
import os
import sys
import tempfile
import gzip
import random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *

limit = float(sys.argv[1]) if len(sys.argv) > 1 else 30
d = tempfile.mkdtemp(prefix='img13-hang.')
junk = bytes((i * 7919 + (i >> 8) * 31) & 0xff for i in range(1 << 20))

a = os.path.join(d, 'a.tar')
put(a, b'\x1f\x8b\x08\x00\0\0\0\0\0\x03' + junk)

bad_hdr = bytearray(header('etc/second', 100))
bad_hdr[148:156] = b'0000000\0'  # a wrong checksum
# incompressible, so that the compressed layer outlasts the pipes' buffers
inner = file('etc/first', 'x\n') + bytes(bad_hdr) + random.Random(13).randbytes(8 << 20)
b = os.path.join(d, 'b.tar')
put(b, gzip.compress(inner, 1, mtime=0))

c = os.path.join(d, 'c')
oci_layout(c, [(tar(file('x', 'y')), b'\x28\xb5\x2f\xfd' + junk)],
           media='application/vnd.oci.image.layer.v1.tar+zstd')
dd = os.path.join(d, 'd')
oci_layout(dd, [inner], comp='gzip')

bad = 0
for case, src in (('A', 'tar:' + a), ('B', 'tar:' + b), ('C', 'oci:' + c), ('D', 'oci:' + dd)):
    rc, err, secs = run_import(['-o', os.path.join(d, 'out.cpio'), 'h%s=%s' % (case.lower(), src)],
                               limit)
    if rc is None:
        bad |= verdict(True, '%s (%s): kbox image import still running after %.0f s (killed)'
                       % (case, src, secs))
    else:
        bad |= verdict(rc == 0, '%s: exit %d in %.1f s: %s' % (case, rc, secs, err.strip()))
sys.exit(bad)
