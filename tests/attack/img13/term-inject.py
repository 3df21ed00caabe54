#!/usr/bin/env python3
# Control bytes from an image's JSON must not reach the build's terminal raw (a layer named
# "\e]0;...\a\e[2J..." would clear the screen and retitle the terminal of whoever runs
# initramfs/build). Holds today: lib/log.c escapes every line. A regression test.
#  A: docker-archive, Layers[0] is an escape sequence (source.c read_docker: "layer '%s'").
#  B: docker-archive, Config is one (source.c read_doc: "%s '%s': not in the image").
#  C: OCI layout, a layer's mediaType is one (manifest.c: "unknown media type '%s'").
#  D: OCI layout, a digest is one (manifest.c desc: "'%.80s' is not a sha256 digest").
# usage: term-inject.py
import io
import json
import os
import sys
import tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *

ESC = '\x1b]0;owned\x07\x1b[2J\x1b[31mFAKE: build succeeded\x1b[0m'
d = tempfile.mkdtemp(prefix='img13-term.')
layer = tar(file('x', 'y'))
cfg = json.dumps({'architecture': 'amd64', 'os': 'linux', 'config': {},
                  'rootfs': {'type': 'layers', 'diff_ids': ['sha256:' + sha(layer)]}}).encode()


def docker(path, config_name, layers):
    m = json.dumps([{'Config': config_name, 'RepoTags': ['a:1'], 'Layers': layers}]).encode()
    put(path, tar(file('manifest.json', m), file(sha(cfg) + '.json', cfg), file('l/layer.tar', layer)))


docker(os.path.join(d, 'a.tar'), sha(cfg) + '.json', [ESC])
docker(os.path.join(d, 'b.tar'), ESC, ['l/layer.tar'])
c = os.path.join(d, 'c')
oci_layout(c, [layer], media='application/x-' + ESC)
dd = os.path.join(d, 'd')
oci_layout(dd, [layer])
ij = json.load(open(os.path.join(dd, 'index.json')))
ij['manifests'][0]['digest'] = ESC
put(os.path.join(dd, 'index.json'), json.dumps(ij).encode())
bad = 0
for case, src in (('A', 'docker-archive:%s/a.tar' % d), ('B', 'docker-archive:%s/b.tar' % d),
                  ('C', 'oci:' + c), ('D', 'oci:' + dd)):
    rc, err, _ = run_import(['-o', os.path.join(d, 'o.cpio'), 't=' + src], 30)
    raw = '\x1b' in err or '\x07' in err
    bad |= verdict(raw, '%s: exit %s, stderr %s: %r' % (case, rc, 'holds raw ESC/BEL' if raw else 'escaped', err.strip()[:160]))
sys.exit(bad)
