#!/usr/bin/env python3
# The build accepts an image config the appliance then refuses: source.c reads a config of
# up to DOC_MAX (16 MiB) and emit.c's img_record writes it out indented (bigger still),
# while init/images.h takes a record of IMAGES_RECORD_MAX (4 MiB) at most. The build says
# nothing; every container of that image fails at start, in the appliance.
#  A: one label of 5 MiB (a 5 MiB config).  B: a 2 MiB config whose indented record is
#  over 4 MiB (a Cmd of 500000 one-letter words).
# usage: record-limit.py
import json
import os
import subprocess
import sys
import tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *

def cfg_hex(lay):
    m = json.load(open(os.path.join(lay, 'index.json')))['manifests'][0]['digest'][7:]
    return json.load(open(os.path.join(lay, 'blobs', 'sha256', m)))['config']['digest'][7:]


d = tempfile.mkdtemp(prefix='img13-lim.')
bad = 0
cases = (('a', {'Cmd': ['/bin/sh'], 'Labels': {'big': 'x' * (5 << 20)}}),
         ('b', {'Cmd': ['x'] * 500000}))
for name, cfg in cases:
    lay = os.path.join(d, name)
    oci_layout(lay, [tar(file('x', 'y'))], config=cfg)
    out = os.path.join(d, name + '.cpio')
    rc, err, _ = run_import(['-o', out, '%s=oci:%s' % (name, lay)], 600)
    if rc != 0:
        verdict(False, '%s: the build refused it: %s' % (name, err.strip()))
        continue
    imgs = os.path.join(d, name + '.d')
    os.mkdir(imgs)
    subprocess.run(['cpio', '-idm', '--quiet'], stdin=open(out, 'rb'), cwd=imgs, check=True)
    rec = os.path.join(imgs, 'images', name + '.json')
    p = subprocess.run([KBOX, 'images'], env=dict(os.environ, KBOX_IMAGES=os.path.join(imgs, 'images')),
                       capture_output=True, timeout=600)
    bad |= verdict(p.returncode != 0,
                   '%s: a %.1f MiB config built (exit 0), its record %.1f MiB; kbox images: %s' % (
                       name, os.path.getsize(os.path.join(lay, 'blobs', 'sha256', cfg_hex(lay))) / 2**20,
                       os.path.getsize(rec) / 2**20, p.stderr.decode().strip()[:200]))
sys.exit(bad)
