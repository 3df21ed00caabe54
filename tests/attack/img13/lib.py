# Helpers of the issue-13 attack reproducers: tar headers by hand, OCI layouts and
# docker-archives with right digests, and a way to run the importer under a time limit.
import gzip
import hashlib
import json
import os
import subprocess
import sys
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
KBOX = os.environ.get('KBOX_BIN', os.path.join(TOP, 'out', 'kbox'))
T0 = 981173106


def header(name, size=0, typ=b'0', mode=0o644, uid=0, gid=0, mtime=T0, link=b'', raw_size=None):
    if isinstance(name, str):
        name = name.encode()
    if isinstance(link, str):
        link = link.encode()
    h = bytearray(512)
    h[0:len(name[:100])] = name[:100]
    h[100:108] = b'%07o\0' % mode
    h[108:116] = b'%07o\0' % uid
    h[116:124] = b'%07o\0' % gid
    h[124:136] = raw_size if raw_size is not None else b'%011o\0' % size
    h[136:148] = b'%011o\0' % mtime
    h[148:156] = b' ' * 8
    h[156:157] = typ
    h[157:157 + len(link[:100])] = link[:100]
    h[257:263] = b'ustar\0'
    h[263:265] = b'00'
    s = sum(h)
    h[148:156] = b'%06o\0 ' % s
    return bytes(h)


def pad(b):
    return b + b'\0' * ((512 - len(b) % 512) % 512)


def pax(records):
    out = b''
    for k, v in records:
        body = b' ' + k + b'=' + v + b'\n'
        n = len(body) + 1
        while len(str(n).encode() + body) > n:
            n += 1
        out += str(n).encode() + body
    return out


def file(name, data=b'', **kw):
    if isinstance(data, str):
        data = data.encode()
    return header(name, len(data), **kw) + pad(data)


def dir_(name, mode=0o755):
    return header(name, 0, b'5', mode)


def symlink(name, to):
    return header(name, 0, b'2', 0o777, link=to)


def hardlink(name, to):
    return header(name, 0, b'1', link=to)


def longname(name, entry_hdr_fn):
    """A GNU 'L' header for NAME, then the entry built by entry_hdr_fn('././@LongLink')."""
    if isinstance(name, str):
        name = name.encode()
    data = name + b'\0'
    return header('././@LongLink', len(data), b'L') + pad(data) + entry_hdr_fn()


def tar(*entries):
    return b''.join(entries) + b'\0' * 1024


def sha(b):
    return hashlib.sha256(b).hexdigest()


def put(path, b):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(b)


def oci_layout(d, layers, config=None, comp='none', media=None, extra_config=None):
    """An OCI layout in D with LAYERS (tar bytes, or (tar, compressed) pairs)."""
    os.makedirs(os.path.join(d, 'blobs', 'sha256'), exist_ok=True)
    put(os.path.join(d, 'oci-layout'), b'{"imageLayoutVersion":"1.0.0"}')
    descs, diff = [], []
    for l in layers:
        t, c = l if isinstance(l, tuple) else (l, None)
        if c is None:
            c = gzip.compress(t, mtime=0) if comp == 'gzip' else t
        h = sha(c)
        put(os.path.join(d, 'blobs', 'sha256', h), c)
        mt = media or ('application/vnd.oci.image.layer.v1.tar+gzip' if comp == 'gzip'
                       else 'application/vnd.oci.image.layer.v1.tar')
        descs.append({'mediaType': mt, 'digest': 'sha256:' + h, 'size': len(c)})
        diff.append('sha256:' + sha(t))
    cfg = {'architecture': 'amd64', 'os': 'linux',
           'config': config if config is not None else {'Cmd': ['/bin/sh']},
           'rootfs': {'type': 'layers', 'diff_ids': diff}}
    if extra_config:
        cfg.update(extra_config)
    cb = json.dumps(cfg).encode() if not isinstance(config, bytes) else config
    ch = sha(cb)
    put(os.path.join(d, 'blobs', 'sha256', ch), cb)
    m = json.dumps({'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.manifest.v1+json',
                    'config': {'mediaType': 'application/vnd.oci.image.config.v1+json',
                               'digest': 'sha256:' + ch, 'size': len(cb)},
                    'layers': descs}).encode()
    mh = sha(m)
    put(os.path.join(d, 'blobs', 'sha256', mh), m)
    put(os.path.join(d, 'index.json'), json.dumps({'schemaVersion': 2, 'manifests': [
        {'mediaType': 'application/vnd.oci.image.manifest.v1+json', 'digest': 'sha256:' + mh,
         'size': len(m), 'annotations': {'org.opencontainers.image.ref.name': 'latest'}}]}).encode())
    return mh


def run_import(args, timeout, env=None):
    """kbox image import ARGS: (rc or None on timeout, stderr, seconds)."""
    t = time.time()
    p = subprocess.Popen([KBOX, 'image', 'import'] + args, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True, env=env)
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, err.decode(errors='replace'), time.time() - t
    except subprocess.TimeoutExpired:
        return None, '', time.time() - t
    finally:
        if p.poll() is None:
            # the importer and its feeder and decompressor: its own session only
            os.killpg(p.pid, 9)
            p.wait()


def procs_of_session(sid):
    pids = []
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                with open('/proc/%s/stat' % p) as f:
                    st = f.read().rsplit(')', 1)[1].split()
                if int(st[3]) == sid:
                    pids.append(int(p))
            except OSError:
                pass
    return pids


def verdict(bad, what):
    print(('FINDING: ' if bad else 'ok: ') + what)
    return 1 if bad else 0


def cpio_list(path):
    """The entries of a newc cpio file: (name, mode, uid, gid, nlink, ino, data)."""
    out = []
    with open(path, 'rb') as f:
        b = f.read()
    at = 0
    while at + 110 <= len(b):
        h = b[at:at + 110]
        if h[:6] != b'070701':
            raise ValueError('bad cpio magic at %d' % at)
        fld = [int(h[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        ino, mode, uid, gid, nlink, mtime, size = fld[0:7]
        namesize = fld[11]
        name = b[at + 110:at + 110 + namesize - 1]
        at += (110 + namesize + 3) & ~3
        data = b[at:at + size]
        at += (size + 3) & ~3
        if name == b'TRAILER!!!':
            break
        out.append((name, mode, uid, gid, nlink, ino, data))
    return out
