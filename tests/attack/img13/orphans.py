#!/usr/bin/env python3
# kbox image import killed (SIGTERM to it alone, as a job runner's timeout or a parent's
# cleanup does) leaves its feeder and decompressor behind, blocked for ever on pipes the
# feeder itself holds open, and its store in $TMPDIR (the decompressed files so far) with
# them: import.c installs no handler, source.c's children do not die with their parent
# (no PR_SET_PDEATHSIG) and the feeder keeps the pipes' other ends.
# usage: orphans.py
import gzip
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *

d = tempfile.mkdtemp(prefix='img13-orph.')
tmp = os.path.join(d, 'tmp')
os.mkdir(tmp)
# a valid, slow layer: 64 files of 4 MiB of noise
src = os.path.join(d, 'slow.tar.gz')
rnd = random.Random(5)
with gzip.open(src, 'wb', 1) as f:
    for i in range(64):
        f.write(file('f%02d' % i, rnd.randbytes(4 << 20)))
    f.write(b'\0' * 1024)
p = subprocess.Popen([KBOX, 'image', 'import', '-o', os.path.join(d, 'out.cpio'), 'slow=tar:' + src],
                     stderr=subprocess.DEVNULL, start_new_session=True,
                     env=dict(os.environ, TMPDIR=tmp))
# until the layer is being applied: its first files are in the store
for _ in range(600):
    if any(fs for _, _, fs in os.walk(tmp)):
        break
    time.sleep(0.1)
time.sleep(0.3)
os.kill(p.pid, signal.SIGTERM)
p.wait()
time.sleep(2)
left = [pid for pid in procs_of_session(p.pid)]
names = []
for pid in left:
    with open('/proc/%d/stat' % pid) as f:
        st = f.read()
    names.append('%d %s %s' % (pid, st.split('(')[1].split(')')[0], st.rsplit(')', 1)[1].split()[0]))
stored = sum(len(fs) for _, _, fs in os.walk(tmp))
bad = verdict(bool(left), 'after SIGTERM to kbox, still alive 2 s later: %s' % (names or 'none'))
bad |= verdict(stored > 0, '%s left %d files in its store' % (tmp, stored))
for pid in left:
    os.kill(pid, signal.SIGKILL)
subprocess.run(['rm', '-rf', d])
sys.exit(bad)
