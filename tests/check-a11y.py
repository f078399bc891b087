#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a screen reader finds in the window: the real pagescope (--demo) on
the display, read through the AT-SPI accessibility bus with pyatspi, as Orca
reads it. Every control on screen (button, toggle, menu button, drop-down,
entry, check box, switch, spin button, slider...) must have a name: an
icon-only button without one is read as its class name. The window is read
as it opens, with the side pane shown and with the find bar shown (both
toggled through AT-SPI's own key events), and all of it again in the narrow
layout, 360 px wide.

The test makes itself a D-Bus session and an accessibility bus of its own
(dbus-run-session, and XDG_RUNTIME_DIR in a temporary directory: the bus
launcher names its socket after the display, and one started for the same
display in the same directory would take the place of the other tests'
bus), and both pagescope and pyatspi are pointed at that bus
(AT_SPI_BUS_ADDRESS).

Usage: check-a11y.py DBUS-RUN-SESSION"""
import os
import re
import subprocess
import sys
import tempfile
import time

import gi
gi.require_version('Atspi', '2.0')
from gi.repository import Gio  # noqa: E402

# GTK 4.8 names what has no name after its class: "GtkImage", "GtkToggleButton"
CLASS_NAME = re.compile(r'^(Gtk|Adw|Ps)[A-Z][A-Za-z]*$')

DEADLINE = 30


def role_sets():
    """The roles checked, once pyatspi is imported (after the bus is chosen)."""
    global CONTROLS, BY_CONTENT
    # what a screen reader announces by name when it gets there
    CONTROLS = {
        pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
        pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_ENTRY,
        pyatspi.ROLE_PASSWORD_TEXT, pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_SLIDER,
        pyatspi.ROLE_LIST_BOX, pyatspi.ROLE_LIST, pyatspi.ROLE_TREE_TABLE, pyatspi.ROLE_TABLE,
        pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_PAGE_TAB,
    }
    # named by their content, or not reached on their own
    BY_CONTENT = {pyatspi.ROLE_LIST_ITEM, pyatspi.ROLE_TABLE_CELL, pyatspi.ROLE_SCROLL_BAR,
                  pyatspi.ROLE_SCROLL_PANE, pyatspi.ROLE_LABEL}


def wait_for(what, func):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        value = func()
        if value:
            return value
        time.sleep(0.1)
    raise SystemExit(f'not ok: {what} within {DEADLINE} s')


def find_app(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def on_screen(acc):
    """Visible and given room: a stack's other pages and a closed revealer's
    child keep their "visible" state but have no size."""
    try:
        if not acc.getState().contains(pyatspi.STATE_VISIBLE):
            return False
    except Exception:
        return False
    try:
        ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    except NotImplementedError:
        return True     # a stack page: its child says
    except Exception:
        return False
    return ext.width > 0 and ext.height > 0


def is_control(acc, role):
    if role in BY_CONTENT:
        return False
    if role in CONTROLS:
        return True
    # anything else the keyboard can reach (a paned's handle...)
    return acc.getState().contains(pyatspi.STATE_FOCUSABLE)


def path_of(acc):
    parts = []
    while acc is not None:
        try:
            parts.append(f'{acc.getRoleName()}({acc.name!r})')
            acc = acc.parent
        except Exception:
            break
    return ' < '.join(parts)


def walk(acc, found, depth=0, in_control=False):
    """The controls on screen under acc; what a button holds is its own
    (a drop-down's button shows its item in a list item widget)."""
    count = 1
    if depth > 60:
        return count
    try:
        role = acc.getRole()
        n = acc.childCount
    except Exception:
        return count
    control = not in_control and is_control(acc, role)
    if control:
        found.append(acc)
    inside = in_control or role in (pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON)
    for i in range(n):
        try:
            child = acc.getChildAtIndex(i)
        except Exception:
            continue
        if child is not None and on_screen(child):
            count += walk(child, found, depth + 1, inside)
    return count


def unnamed_controls(window):
    found = []
    total = walk(window, found)
    bad = []
    for acc in found:
        name = (acc.name or '').strip()
        if not name or CLASS_NAME.match(name):
            bad.append(path_of(acc))
    return total, len(found), bad


def main_window(app):
    for i in range(app.childCount):
        child = app.getChildAtIndex(i)
        if child is not None and child.getRole() in (pyatspi.ROLE_FRAME, pyatspi.ROLE_WINDOW) and on_screen(child):
            if child.name and 'pagescope-demo' in child.name:
                return child
    return None


def named_window(app, name):
    for i in range(app.childCount):
        child = app.getChildAtIndex(i)
        if child is not None and child.name == name and on_screen(child):
            return child
    return None


def press(keysym, control=False):
    """A key, with Control held if asked, through the registry (XTest
    underneath), to the window with the focus."""
    from gi.repository import Atspi
    control_mask = 1 << 2
    if control:
        Atspi.generate_keyboard_event(control_mask, None, Atspi.KeySynthType.LOCKMODIFIERS)
    Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.SYM)
    if control:
        Atspi.generate_keyboard_event(control_mask, None, Atspi.KeySynthType.UNLOCKMODIFIERS)


def check(window, what, problems):
    total, controls, bad = wait_for(f'{what}: a settled tree', lambda: settled(window))
    print(f'# {what}: {total} accessibles showing, {controls} controls, {len(bad)} without a name')
    for path in bad:
        problems.append(f'{what}: no name: {path}')


_last = {}


def settled(window):
    """The tree read twice the same (a pane sliding in adds children)."""
    result = unnamed_controls(window)
    key = id(window)
    previous = _last.get(key)
    _last[key] = result
    if previous is not None and previous[:2] == result[:2] and result[1] > 0:
        return result
    time.sleep(0.3)
    return None


def run(env, what, problems):
    """pagescope --demo read as it opens, then with the side pane (F7) and
    the find bar (Ctrl+F) shown."""
    child = subprocess.Popen([os.environ['PAGESCOPE_BIN'], '--demo'], env=env)
    try:
        app = wait_for('pagescope on the accessibility bus', lambda: find_app(child.pid))
        window = wait_for('the demo window', lambda: main_window(app))
        check(window, what, problems)

        before = _last[id(window)][:2]
        press(0xffc4)                   # F7: the side pane
        wait_for('the side pane', lambda: settled(window) and _last[id(window)][:2] != before)
        check(window, f'{what}, with the side pane', problems)
        before = _last[id(window)][:2]
        press(ord('f'), control=True)   # the find bar
        wait_for('the find bar', lambda: settled(window) and _last[id(window)][:2] != before)
        check(window, f'{what}, with the find bar', problems)
        press(ord(','), control=True)   # the preferences
        preferences = wait_for('the preferences window', lambda: named_window(app, 'Preferences'))
        check(preferences, f'{what}: the preferences', problems)
        _last.clear()
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def private_session(dbus_run_session):
    """This script again, in a D-Bus session and runtime directory of its own."""
    with tempfile.TemporaryDirectory(prefix='pagescope-test-a11y-') as runtime:
        os.chmod(runtime, 0o700)
        env = dict(os.environ, XDG_RUNTIME_DIR=runtime)
        return subprocess.run([dbus_run_session, '--', sys.executable, __file__, '--inner'], env=env).returncode


def a11y_bus_address():
    """The accessibility bus of this session (its launcher starts now)."""
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    reply = bus.call_sync('org.a11y.Bus', '/org/a11y/bus', 'org.a11y.Bus', 'GetAddress',
                          None, None, Gio.DBusCallFlags.NONE, 20000, None)
    return reply.unpack()[0]


def main():
    if sys.argv[1:] != ['--inner']:
        return private_session(sys.argv[1])
    os.environ['AT_SPI_BUS_ADDRESS'] = a11y_bus_address()
    global pyatspi
    import pyatspi
    role_sets()
    env = dict(os.environ)
    env.pop('NO_AT_BRIDGE', None)
    env.pop('GTK_A11Y', None)
    problems = []
    run(env, 'the window', problems)

    # the narrow layout: a window last closed 360 px wide, from a settings
    # file of its own
    with tempfile.TemporaryDirectory(prefix='pagescope-test-a11y-') as config:
        os.makedirs(os.path.join(config, 'glib-2.0', 'settings'))
        with open(os.path.join(config, 'glib-2.0', 'settings', 'keyfile'), 'w') as f:
            f.write('[io/github/pagescope/Pagescope]\nwindow-width=360\nwindow-height=740\n')
        narrow = dict(env, GSETTINGS_BACKEND='keyfile', XDG_CONFIG_HOME=config)
        run(narrow, 'the narrow window', problems)
    if problems:
        print('\n'.join(f'not ok: {p}' for p in problems))
        return 1
    print('ok: every control showing has a name')
    return 0


if __name__ == '__main__':
    sys.exit(main())
