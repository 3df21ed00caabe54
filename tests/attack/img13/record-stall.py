#!/usr/bin/env python3
# An image config with a long Cmd or Env passes the build, and its record then costs
# quadratic time wherever it is parsed: get_strv (runtime/spec/image.c) appends with
# strv_push, which walks the whole vector for its length at every push (lib/util.c), and
# get_env's merge_env compares every name with all before it. PID 1 parses the record in
# ctr_start (init/supervisor.c, images_apply) before every start, in its loop: while it
# does, nothing else is served. Here the record of each size is timed through kbox images
# (the same images_read_record): the time grows with the square of the count.
# usage: record-stall.py [COUNT...]   (default: 25000 50000 100000 200000)
import json
import os
import subprocess
import sys
import tempfile
import time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *

counts = [int(a) for a in sys.argv[1:]] or [25000, 50000, 100000, 200000]
d = tempfile.mkdtemp(prefix='img13-rec.')
bad = 0
prev = None
for n in counts:
    for key in ('Cmd', 'Env'):
        name = 'r%s%d' % (key.lower(), n)
        lay = os.path.join(d, name)
        cfg = {key: ([''] * n) if key == 'Cmd' else ['V%d=' % i for i in range(n)]}
        oci_layout(lay, [tar(file('x', 'y'))], config=cfg)
        out = os.path.join(d, name + '.cpio')
        rc, err, secs = run_import(['-o', out, '%s=oci:%s' % (name, lay)], 600)
        if rc != 0:
            print('the importer refused the config (%s): %s' % (rc, err.strip()))
            continue
        imgs = os.path.join(d, name + '.d')
        os.mkdir(imgs)
        subprocess.run(['cpio', '-idm', '--quiet'], stdin=open(out, 'rb'), cwd=imgs, check=True)
        rec = os.path.join(imgs, 'images', name + '.json')
        size = os.path.getsize(rec)
        t = time.time()
        p = subprocess.run([KBOX, 'images'], env=dict(os.environ, KBOX_IMAGES=os.path.join(imgs, 'images')),
                           capture_output=True, timeout=3600)
        secs = time.time() - t
        print('%s of %d: record %.1f MB (limit 4 MiB): kbox images took %.2f s, exit %d %s'
              % (key, n, size / 2**20, secs, p.returncode, p.stderr.decode().strip()[:100]))
        if secs > 2:
            bad = 1
verdict(bad, 'a record of a legal size takes seconds to parse (quadratic)')
sys.exit(bad)
