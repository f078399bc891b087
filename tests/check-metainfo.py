#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""appstreamcli validate --pedantic --no-net METAINFO must report nothing
but cid-contains-uppercase-letter: the app id io.github.pagescope.Pagescope
is spelled as GNOME's application ids are. Then the metainfo must carry what
a software centre and a distribution need: a translation domain, both
programs, the project's links, notes for every release, screenshots at a
fixed revision."""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

ALLOWED = {'cid-contains-uppercase-letter'}


def main():
    appstreamcli, metainfo = sys.argv[1], sys.argv[2]
    run = subprocess.run([appstreamcli, 'validate', '--pedantic', '--no-net', '--explain', metainfo],
                         capture_output=True, text=True)
    print(run.stdout, run.stderr)
    tags = re.findall(r'^[EWIP]: [^:]+:\d*:? ?(\S+)', run.stdout, re.MULTILINE)
    unexpected = [t for t in tags if t not in ALLOWED]
    if run.returncode != 0 or unexpected:
        print(f'appstreamcli: exit {run.returncode}, issues: {unexpected}')
        return 1

    root = ET.parse(metainfo).getroot()
    problems = []
    if root.findtext('translation[@type="gettext"]') != 'pagescope':
        problems.append('no <translation type="gettext">pagescope</translation>')
    binaries = {b.text for b in root.findall('provides/binary')}
    if binaries != {'pagescope', 'pagescope-writer'}:
        problems.append(f'provides/binary: {binaries}')
    for kind in ('homepage', 'bugtracker', 'vcs-browser'):
        if not (root.findtext(f'url[@type="{kind}"]') or '').startswith('https://github.com/pagescope/pagescope'):
            problems.append(f'no url of type {kind}')
    for release in root.findall('releases/release'):
        if release.find('description') is None:
            problems.append(f'release {release.get("version")} has no notes')
    for image in root.findall('screenshots/screenshot/image'):
        if not re.match(r'https://raw\.githubusercontent\.com/pagescope/pagescope/[0-9a-f]{40}/', image.text):
            problems.append(f'screenshot not at a fixed revision: {image.text}')
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
