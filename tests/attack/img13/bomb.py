#!/usr/bin/env python3
# A gzip bomb: a layer of a few MB that holds one file of N GiB of zeros. Nothing bounds what
# a layer decompresses to: store_put (source.c) writes every byte to $TMPDIR before the
# emitter (emit.c, count) refuses a file over 4 GiB, and a file under it is then written
# again into the output (and initramfs/build copies that once more). Prints the peak of
# $TMPDIR, the time and the result for a layer of each size given.
# usage: bomb.py [GIB...]   (default: 1 5)
import os
import subprocess
import sys
import tempfile
import threading
import time
import zlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *


def bomb(path, gib):
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    size = gib << 30
    with open(path, 'wb') as f:
        f.write(z.compress(header('zeros', size)))
        chunk = b'\0' * (1 << 24)
        for _ in range(size // len(chunk)):
            f.write(z.compress(chunk))
        f.write(z.compress(b'\0' * 1024))
        f.write(z.flush())


def du(d):
    total = 0
    for root, _, files in os.walk(d):
        for n in files:
            try:
                total += os.lstat(os.path.join(root, n)).st_blocks * 512
            except OSError:
                pass
    return total


bad = 0
for gib in [int(a) for a in sys.argv[1:]] or [1, 5]:
    d = tempfile.mkdtemp(prefix='img13-bomb.')
    tmp = os.path.join(d, 'tmp')
    os.mkdir(tmp)
    src = os.path.join(d, 'bomb.tar.gz')
    bomb(src, gib)
    peak = [0]
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak[0] = max(peak[0], du(tmp) + du(os.path.join(d, 'outdir')))
            time.sleep(0.2)
    os.mkdir(os.path.join(d, 'outdir'))
    th = threading.Thread(target=watch)
    th.start()
    rc, err, secs = run_import(['-o', os.path.join(d, 'outdir', 'out.cpio'), 'bomb=tar:' + src],
                               3600, env=dict(os.environ, TMPDIR=tmp))
    done.set()
    th.join()
    insize = os.path.getsize(src)
    bad |= verdict(peak[0] > 100 * insize,
                   '%d GiB bomb: a %.1f MB input, exit %s after %.0f s, $TMPDIR and output peaked at '
                   '%.2f GiB; %s' % (gib, insize / 1e6, rc, secs, peak[0] / 2**30,
                                     err.strip().splitlines()[-1] if err.strip() else ''))
    subprocess.run(['rm', '-rf', d])
sys.exit(bad)
