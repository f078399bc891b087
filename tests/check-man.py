#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks a manual page against its program: `man --warnings -l` renders it
at 80 columns with nothing on stderr, and every long option that the
program's --help (and --help-all, where it has one) prints appears in it.
Exit 77 (skipped) without man(1)."""
import os
import re
import shutil
import subprocess
import sys

OPTION = re.compile(r'(?<![\w-])(--[a-z][a-z0-9-]*)')


def options(program):
    found = set()
    for flag in ('--help', '--help-all'):
        run = subprocess.run([program, flag], capture_output=True, text=True,
                             env=dict(os.environ, LANGUAGE='C', DISPLAY=''))
        if run.returncode != 0:
            if flag == '--help':
                sys.exit(f'{program} {flag}: exit {run.returncode}: {run.stderr}')
            continue
        for line in run.stdout.splitlines():
            # "  -r, --rate=N    Writes per second": names, two spaces, prose
            if re.match(r'\s+-', line):
                found.update(OPTION.findall(line.strip().split('  ')[0]))
    return found


def main():
    page, program = sys.argv[1], sys.argv[2]
    if shutil.which('man') is None:
        print('no man(1): install man-db')
        return 77
    env = dict(os.environ, MANWIDTH='80', LANGUAGE='C')
    env.pop('MAN_KEEP_FORMATTING', None)
    run = subprocess.run(['man', '--warnings', '-E', 'UTF-8', '-l', page],
                         capture_output=True, text=True, env=env)
    if run.returncode != 0 or run.stderr.strip():
        print(f'man --warnings -l {page}: exit {run.returncode}\n{run.stderr}')
        return 1
    text = run.stdout
    if 'SYNOPSIS' not in text or 'OPTIONS' not in text:
        print(f'{page} renders without SYNOPSIS or OPTIONS:\n{text}')
        return 1
    rendered = set(OPTION.findall(text))
    wanted = options(program)
    missing = sorted(wanted - rendered)
    if missing:
        print(f'{page} does not name: {" ".join(missing)}')
        return 1
    print(f'{os.path.basename(page)}: renders cleanly, names all {len(wanted)} options of --help: '
          + ' '.join(sorted(wanted)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
