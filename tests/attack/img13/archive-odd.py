#!/usr/bin/env python3
# oci-archive and docker-archive members that are symlinks or hard links (out of the
# archive, absolute, looping, through a symlinked directory), duplicates and a member with
# a leading '/': each must be refused, or read from inside the archive only. Prints what
# the importer said; FINDING if a host file (this script's victim) was read or it hung.
# usage: archive-odd.py
import json
import os
import sys
import tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *

d = tempfile.mkdtemp(prefix='img13-arch.')
layer = tar(file('x', 'y'))
cfg = json.dumps({'architecture': 'amd64', 'os': 'linux', 'config': {'Cmd': ['/bin/sh']},
                  'rootfs': {'type': 'layers', 'diff_ids': ['sha256:' + sha(layer)]}}).encode()
# a host file the archive might reach: a valid layer, so that reading it would succeed
victim = os.path.join(d, 'victim-layer.tar')
put(victim, layer)
ch = sha(cfg)
m = lambda layers, config=ch + '.json': file('manifest.json', json.dumps(
    [{'Config': config, 'RepoTags': ['a:1'], 'Layers': layers}]))
cases = {
    'abslink': tar(m(['l.tar']), file(ch + '.json', cfg), symlink('l.tar', victim)),
    'uplink': tar(m(['l.tar']), file(ch + '.json', cfg), symlink('l.tar', '../' * 20 + victim[1:])),
    'loop': tar(m(['a']), file(ch + '.json', cfg), symlink('a', 'b'), symlink('b', 'a')),
    'hardout': tar(m(['l.tar']), file(ch + '.json', cfg), hardlink('l.tar', '../victim-layer.tar')),
    'hardloop': tar(m(['a']), file(ch + '.json', cfg), hardlink('a', 'b'), hardlink('b', 'a')),
    'symdir': tar(m(['dir/victim-layer.tar']), file(ch + '.json', cfg), symlink('dir', d)),
    'leadslash': tar(m(['/l.tar']), file(ch + '.json', cfg), file('/l.tar', layer)),
    'dupmanifest': tar(m(['l.tar']), file(ch + '.json', cfg), file('l.tar', layer),
                       m(['nothere.tar'])),
    'manifestlink': tar(symlink('manifest.json', victim), file(ch + '.json', cfg)),
    'configlink': tar(m(['l.tar'], config='c.json'), symlink('c.json', '/etc/passwd'), file('l.tar', layer)),
    'inside': tar(m(['x/y/../../l.tar']), file(ch + '.json', cfg), file('l.tar', layer)),
}
bad = 0
for name, t in cases.items():
    src = os.path.join(d, name + '.tar')
    put(src, t)
    rc, err, secs = run_import(['-o', os.path.join(d, name + '.cpio'), '%s=docker-archive:%s' % (name, src)], 30)
    hung = rc is None
    ok_read = rc == 0 and name not in ('inside', 'leadslash')
    bad |= hung or ok_read
    print('%s%-13s exit %s %s' % ('FINDING ' if hung or ok_read else '', name, rc,
                                  (err.strip().splitlines() or [''])[0][:160]))
sys.exit(bad)
