#!/usr/bin/env python3
# A whiteout after same-layer entries below it is ignored, and what the image deleted comes
# back. Layer 1 holds d/secret; layer 2 holds d/new and then .wh.d. The OCI spec: a whiteout
# hides what lower layers hold, whatever the order of the layer's entries ("files present
# in the same layer as a whiteout" are not hidden): d/secret must go, d/new stays. tree.c's
# whiteout() skips the whole name once anything below it is of this layer (k->newest <
# t->layer), so d/secret survives. Entry order within a layer is the writer's; Docker's
# sorts .wh.d first, other writers need not.
#  A: d/new before .wh.d (secret survives: FINDING).  B: .wh.d before d/new (control).
# usage: whiteout-order.py
import os
import sys
import tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *

d = tempfile.mkdtemp(prefix='img13-wh.')
l1 = tar(dir_('d/'), file('d/secret', 'the key\n'))
bad = 0
for case, l2 in (('A', tar(dir_('d/'), file('d/new', 'n\n'), file('.wh.d', ''))),
                 ('B', tar(file('.wh.d', ''), dir_('d/'), file('d/new', 'n\n')))):
    lay = os.path.join(d, case)
    oci_layout(lay, [l1, l2])
    out = os.path.join(d, case + '.cpio')
    rc, err, _ = run_import(['-o', out, 'w=oci:' + lay], 30)
    names = sorted(e[0].decode() for e in cpio_list(out)) if rc == 0 else []
    secret = 'images/w/d/secret' in names
    r = verdict(secret, '%s: exit %s, the image holds %s' % (case, rc, [n for n in names if '/d' in n]))
    bad |= r if case == 'A' else 0
sys.exit(bad)
