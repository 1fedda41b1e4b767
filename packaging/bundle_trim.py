"""Drop Qt plugins Caseboard never loads from the PyInstaller bundle, with the libraries only they needed.

PyInstaller's Qt hooks collect every plugin of a kind (all platforms, all image formats, the GTK theme) and then
every shared library those plugins link to. The GTK 3 theme alone pulls in GTK's whole stack (cairo, pango, gio,
krb5...), and bundling a copy of those next to a host's GTK is a known source of version clashes. This module
works on the Analysis's TOC: it removes the unwanted plugins, and then removes a library only when it was reachable
from a removed plugin and nothing kept still links to it (read from the ELF files' DT_NEEDED entries). Anything
else, including libraries loaded with dlopen, is left alone. Used by caseboard.spec; ELF (Linux) only: on other
systems, or if a file cannot be read, nothing is removed.
"""

from __future__ import annotations

import fnmatch
import os
import struct
from collections.abc import Iterable, Sequence

# Destination-path patterns (inside the bundle) of plugins the desktop app does not need. Kept: platforms xcb,
# wayland, offscreen and minimal; the xdg-desktop-portal theme; imageformats gif, jpeg, ico, svg; iconengines.
UNUSED_PLUGINS = (
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqlinuxfb.so",
    "PySide6/Qt/plugins/platforms/libqminimalegl.so",
    "PySide6/Qt/plugins/platforms/libqvkkhrdisplay.so",
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/egldeviceintegrations/*",
    "PySide6/Qt/plugins/generic/*",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/imageformats/libqicns.so",
    "PySide6/Qt/plugins/imageformats/libqtga.so",
    "PySide6/Qt/plugins/imageformats/libqtiff.so",
    "PySide6/Qt/plugins/imageformats/libqwbmp.so",
    "PySide6/Qt/plugins/imageformats/libqwebp.so",
)

_SHT_DYNAMIC = 6
_DT_NEEDED = 1


def elf_needed(path: str) -> list[str] | None:
    """The DT_NEEDED names of an ELF file ([] for a file that is not ELF), or None when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    if data[:4] != b"\x7fELF":
        return []
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    try:
        if is64:
            (shoff,) = struct.unpack_from(end + "Q", data, 0x28)
            shentsize, shnum = struct.unpack_from(end + "HH", data, 0x3A)
            sh_fmt, dyn_fmt = end + "IIQQQQIIQQ", end + "qQ"
        else:
            (shoff,) = struct.unpack_from(end + "I", data, 0x20)
            shentsize, shnum = struct.unpack_from(end + "HH", data, 0x2E)
            sh_fmt, dyn_fmt = end + "IIIIIIIIII", end + "iI"
        if shoff == 0 or shnum == 0:
            return None
        sections = [struct.unpack_from(sh_fmt, data, shoff + i * shentsize) for i in range(shnum)]
        # fields: name, type, flags, addr, offset, size, link, info, addralign, entsize
        dynamic = [s for s in sections if s[1] == _SHT_DYNAMIC]
        if not dynamic:
            return []  # a static file: it needs nothing
        dyn = dynamic[0]
        strtab = sections[dyn[6]]
        str_off, str_size = strtab[4], strtab[5]
        dyn_size = struct.calcsize(dyn_fmt)
        names = []
        for off in range(dyn[4], dyn[4] + dyn[5], dyn_size):
            tag, val = struct.unpack_from(dyn_fmt, data, off)
            if tag == 0:
                break
            if tag == _DT_NEEDED and val < str_size:
                start = str_off + val
                names.append(data[start : data.index(b"\0", start)].decode("utf-8", "replace"))
        return names
    except (struct.error, IndexError, ValueError):
        return None


def _closure(starts: Iterable[str], needs: dict[str, list[str]], by_name: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        dest = stack.pop()
        if dest in seen:
            continue
        seen.add(dest)
        for name in needs.get(dest, ()):
            stack.extend(by_name.get(name, ()))
    return seen


def plan(entries: Sequence[tuple[str, str]], unused: Sequence[str] = UNUSED_PLUGINS) -> set[str]:
    """Which destinations to remove, given (destination, source path) pairs of the bundle's binaries."""
    dropped = {dest for dest, _ in entries if any(fnmatch.fnmatch(dest, p) for p in unused)}
    if not dropped:
        return set()
    needs: dict[str, list[str]] = {}
    for dest, src in entries:
        names = elf_needed(src)
        if names is None:
            return dropped  # a file that cannot be read might need anything: remove only the plugins
        needs[dest] = names
    by_name: dict[str, list[str]] = {}
    for dest, _ in entries:
        by_name.setdefault(os.path.basename(dest), []).append(dest)
    candidates = _closure(dropped, needs, by_name) - dropped
    kept_roots = [dest for dest, _ in entries if dest not in dropped and dest not in candidates]
    still_needed = _closure(kept_roots, needs, by_name)
    return dropped | (candidates - still_needed)


def trim(binaries: list, unused: Sequence[str] = UNUSED_PLUGINS) -> tuple[list, list[str]]:
    """A copy of a PyInstaller TOC (dest, src, typecode) without the unneeded entries, and what was removed."""
    entries = [(dest.replace(os.sep, "/"), src) for dest, src, _ in binaries]
    remove = plan(entries, unused)
    kept = [entry for entry, (dest, _) in zip(binaries, entries, strict=True) if dest not in remove]
    return kept, sorted(remove)
