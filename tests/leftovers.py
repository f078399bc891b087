#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""After the suite, nothing a test made may be left behind: no SysV segment,
no POSIX segment, no temporary file, no process from this build.
`snapshot FILE` records what existed before; `check FILE` compares."""
import glob
import json
import os
import sys
import tempfile

BUILD_ROOT = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(sys.argv[2])), '..'))


def sysv():
    with open('/proc/sysvipc/shm') as f:
        next(f)
        rows = [line.split() for line in f]
    return {row[1]: 'key=%s size=%s cpid=%s' % (row[0], row[3], row[4]) for row in rows}


def posix():
    return {n: '' for n in os.listdir('/dev/shm')}


def temps():
    # /var/tmp: where ps_test_disk_file goes when the temporary directory is tmpfs
    dirs = {tempfile.gettempdir(), '/var/tmp'}
    return {p: '' for tmp in dirs for pat in ('pagescope-test-*', 'pagescope-demo-*')
            for p in glob.glob(os.path.join(tmp, pat))}


def processes():
    found = {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            exe = os.path.realpath('/proc/%s/exe' % pid)
            with open('/proc/%s/stat' % pid) as f:
                state = f.read().rsplit(')', 1)[1].split()[0]
        except OSError:
            continue
        if exe.startswith(BUILD_ROOT + '/') or state == 'Z':
            found[pid] = '%s (state %s)' % (exe, state)
    return found


def take():
    return {'sysv': sysv(), 'posix': posix(), 'temp': temps(), 'proc': processes()}


def main():
    mode, path = sys.argv[1], sys.argv[2]
    now = take()
    if mode == 'snapshot':
        with open(path, 'w') as f:
            json.dump(now, f)
        print('snapshot: %d SysV, %d POSIX, %d temp, %d processes' % tuple(len(now[k]) for k in ('sysv', 'posix', 'temp', 'proc')))
        return 0
    try:
        with open(path) as f:
            before = json.load(f)
    except OSError:
        before = {k: {} for k in now}
    left = []
    for kind, items in now.items():
        for name, what in items.items():
            if name not in before.get(kind, {}):
                left.append('%s %s %s' % (kind, name, what))
    for line in left:
        print('left behind: ' + line)
    if not left:
        print('nothing left behind')
    return 1 if left else 0


sys.exit(main())
