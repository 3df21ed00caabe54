#!/usr/bin/env python3
# An OCI layout (oci:DIR) holding a fifo where index.json or a blob should be hangs kbox
# image import at open(): src_open_blob (source.c) opens with O_RDONLY | O_NOFOLLOW and
# checks S_ISREG only after the open, which for a fifo waits for a writer for ever. A layout
# unpacked from someone's tarball may hold fifos (tar -x makes them for any user).
#  A: index.json is a fifo.   B: the manifest's blob is a fifo.
# usage: fifo-layout.py [SECONDS]
import os
import sys
import tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *

limit = float(sys.argv[1]) if len(sys.argv) > 1 else 20
d = tempfile.mkdtemp(prefix='img13-fifo.')
bad = 0
a = os.path.join(d, 'a')
oci_layout(a, [tar(file('x', 'y'))])
os.unlink(os.path.join(a, 'index.json'))
os.mkfifo(os.path.join(a, 'index.json'))
b = os.path.join(d, 'b')
mh = oci_layout(b, [tar(file('x', 'y'))])
os.unlink(os.path.join(b, 'blobs', 'sha256', mh))
os.mkfifo(os.path.join(b, 'blobs', 'sha256', mh))
for case, src in (('A', a), ('B', b)):
    rc, err, secs = run_import(['-o', os.path.join(d, 'out.cpio'), 'f=oci:' + src], limit)
    if rc is None:
        bad |= verdict(True, '%s: oci:%s: still running after %.0f s (killed)' % (case, src, secs))
    else:
        bad |= verdict(rc == 0, '%s: exit %d: %s' % (case, rc, err.strip()))
sys.exit(bad)
