#!/usr/bin/env python3
# One directory of N entries, each sorting before the last: link_kid (tree.c) keeps a
# directory's kids in a sorted array and memmoves its tail at every insertion, so the
# import costs N^2/2 pointer moves; emit and lookups stay cheap. A layer of a few MB (the
# headers compress well) keeps kbox image import busy for minutes. Prints the time per N.
# usage: wide-dir.py [N...]   (default: 50000 100000 200000 400000)
import gzip
import os
import sys
import tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *

d = tempfile.mkdtemp(prefix='img13-wide.')
bad = 0
for n in [int(a) for a in sys.argv[1:]] or [50000, 100000, 200000, 400000]:
    src = os.path.join(d, 'wide%d.tar.gz' % n)
    with gzip.open(src, 'wb', compresslevel=6) as f:
        f.write(dir_('d/'))
        for i in range(n, 0, -1):
            f.write(header('d/%09d' % i, 0))
        f.write(b'\0' * 1024)
    rc, err, secs = run_import(['-o', os.path.join(d, 'out.cpio'), 'wide=tar:' + src], 3600)
    print('%d entries (a %.1f MB layer): exit %s in %.1f s' % (n, os.path.getsize(src) / 1e6, rc, secs))
    bad |= secs > 30
    os.unlink(src)
verdict(bad, 'import time grows with the square of a directory\'s entries')
sys.exit(bad)
