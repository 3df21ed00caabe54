#!/usr/bin/env python3
# Odd tar entries the attack list (tests/images/attack) does not have, one image each,
# through tar: sources. For each: what the importer said, and whether any cpio name leaves
# images/NAME/ (never allowed) or a case meant to be refused was taken.
# usage: tar-odd.py [-v]
import os
import sys
import tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *

verbose = '-v' in sys.argv
d = tempfile.mkdtemp(prefix='img13-odd.')
etc = dir_('etc/') + file('etc/passwd', 'root:x:0:0::/:/bin/sh\n')


def gnu_long(name, hdr):
    data = name + b'\0'
    return header('././@LongLink', len(data), b'L') + pad(data) + hdr


def pax_hdr(recs, hdr):
    data = pax(recs)
    return header('PaxHeaders/x', len(data), b'x') + pad(data) + hdr


deep = '/'.join(['a'] * 1999)
cases = [
    # name, tar bytes, expect: 'refuse' | 'accept' | 'any'
    ('hardsym', tar(etc, symlink('s', '/etc/shadow'), hardlink('h', 's')), 'accept'),
    ('hardthrough', tar(etc, symlink('lnk', '/etc'), hardlink('h', 'lnk/passwd')), 'refuse'),
    ('hardthrough2', tar(etc, symlink('lnk', 'etc'), hardlink('h', 'lnk/passwd')), 'refuse'),
    ('whdotdot', tar(etc, file('.wh..', ''), file('etc/.wh..', ''), file('.wh.', ''),
                     file('.wh..wh..', '')), 'accept'),
    ('whslash', tar(etc, file('etc/.wh.passwd/', '')), 'any'),
    ('ctlname', tar(etc, file('a\nb', 'x'), file('\x1b[31mred', 'x'), file('tab\there', 'x')), 'accept'),
    ('gnulong', tar(etc, gnu_long(b'x/../../kbox-escaped-gnulong', header('short', 2) + pad(b'x\n'))), 'refuse'),
    ('gnulongnul', tar(etc, gnu_long(b'safe\0../../kbox-escaped-nul', header('short', 2) + pad(b'x\n'))), 'accept'),
    ('paxpath', tar(etc, pax_hdr([(b'path', b'../kbox-escaped-pax')], header('benign', 2) + pad(b'x\n'))), 'refuse'),
    ('paxlink', tar(etc, pax_hdr([(b'linkpath', b'../../etc/shadow')], header('h', 0, b'1', link='etc/passwd'))), 'refuse'),
    ('paxglobal', tar(etc, header('PaxHeaders/g', len(pax([(b'path', b'../kbox-escaped-g')])), b'g')
                      + pad(pax([(b'path', b'../kbox-escaped-g')])), file('benign', 'x')), 'refuse'),
    ('deep', tar(dir_('a/'), gnu_long(deep.encode(), header('short', 2) + pad(b'x\n'))), 'accept'),
    ('long4000', tar(gnu_long(('d/' + 'n' * 3998).encode(), header('short', 1) + pad(b'x'))), 'accept'),
    ('long4001', tar(gnu_long(('d/' + 'n' * 3999).encode(), header('short', 1) + pad(b'x'))), 'any'),
    ('rootmode', tar(header('./', 0, b'5', 0o7777, uid=1000)), 'accept'),
    ('emptylink', tar(symlink('e', '')), 'accept'),
    ('filedir', tar(file('f', 'x'), file('f/sub', 'y')), 'refuse'),
    ('sparse', tar(header('s', 0, b'S')), 'refuse'),
    ('uidmax', tar(pax_hdr([(b'uid', b'4294967295'), (b'gid', b'4294967295')], header('suid', 10, mode=0o4755) + pad(b'#!/bin/sh\n'))), 'accept'),
    ('dotdotdir', tar(dir_('../')), 'refuse'),
    ('dotslashdotdot', tar(file('./.././x', 'x')), 'refuse'),
    ('record', tar(file('../x.json', '{}')), 'refuse'),
    ('hardself', tar(hardlink('a', 'a')), 'refuse'),
    ('hardroot', tar(hardlink('a', '.')), 'refuse'),
    ('hardwhite', tar(file('a', 'x'), file('.wh.a', ''), hardlink('b', 'a')), 'any'),
]
bad = 0
for name, t, want in cases:
    src = os.path.join(d, name + '.tar')
    put(src, t)
    out = os.path.join(d, name + '.cpio')
    rc, err, _ = run_import(['-o', out, '%s=tar:%s' % (name, src)], 60)
    line = err.strip().splitlines()
    msg = line[0][:150] if rc != 0 and line else ''
    escaped = []
    names = []
    if rc == 0:
        for e in cpio_list(out):
            n = e[0]
            names.append(n)
            if not (n == b'images/' + name.encode() or n.startswith(b'images/' + name.encode() + b'/')
                    or n == b'images/' + name.encode() + b'.json') or b'/../' in n or n.endswith(b'/..'):
                escaped.append(n)
    wrong = (want == 'refuse' and rc == 0) or (want == 'accept' and rc != 0) or escaped
    bad |= bool(escaped)
    print('%s%-15s want %-6s exit %s %s%s' % ('FINDING ' if wrong else '', name, want, rc, msg,
                                               ' ESCAPED: %r' % escaped if escaped else ''))
    if verbose and rc == 0:
        for e in cpio_list(out):
            print('    %r mode %o uid %d nlink %d ino %d %r' % (e[0][:80], e[1], e[2], e[4], e[5], e[6][:40]))
sys.exit(bad)
