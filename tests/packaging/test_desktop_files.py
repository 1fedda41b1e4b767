"""The desktop integration files: valid, consistent with each other and with the app, and installable.

No bundle is needed here (test_bundle.py builds one); install-desktop.sh is run on a stand-in bundle.
"""

from __future__ import annotations

import configparser
import os
import shutil
import sqlite3
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
APP_ID = "io.github.caseboard.Caseboard"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
MIME_XML = PACKAGING / "caseboard-mime.xml"
MIME_TYPE = "application/x-caseboard-case"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
ICON_SIZES = (16, 32, 48, 64, 128, 256)


def desktop_entry() -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def need_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (bash packaging/debian-deps.sh --test installs it)")
    return path


def run(*cmd: str | Path, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=120, **kw)


# -- validators ---------------------------------------------------------------------------------------------------
def test_desktop_file_validate() -> None:
    tool = need_tool("desktop-file-validate")
    result = run(tool, DESKTOP)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout  # not even hints


def test_appstreamcli_validate() -> None:
    tool = need_tool("appstreamcli")
    result = run(tool, "validate", "--no-net", "--pedantic", METAINFO)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    # Errors and warnings fail; infos and pedantic notes (the id's capital letter, reverse-DNS style; the
    # <developer> tag older AppStream versions do not know yet) are accepted.
    bad = [line for line in out.splitlines() if line.startswith(("E:", "W:"))]
    assert not bad, out


# -- consistency ----------------------------------------------------------------------------------------------------
def test_ids_agree_across_files() -> None:
    entry = desktop_entry()
    meta = ET.parse(METAINFO).getroot()
    assert meta.get("type") == "desktop-application"
    assert meta.findtext("id") == APP_ID
    assert meta.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert entry["Icon"] == APP_ID
    # the command the .desktop file runs is the one the metainfo and pyproject provide
    binary = meta.findtext("provides/binary")
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert binary in scripts
    assert entry["Exec"] == f"{binary} %f"
    # and it opens the MIME type the MIME file registers
    assert entry["MimeType"] == f"{MIME_TYPE};"
    assert meta.findtext("provides/mediatype") == MIME_TYPE


def test_metainfo_licences_and_release_match_the_project() -> None:
    meta = ET.parse(METAINFO).getroot()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta.findtext("metadata_license") == "CC0-1.0"
    assert meta.findtext("project_license") == project["license"]["text"] == "MIT"
    assert meta.find("content_rating") is not None
    newest = meta.find("releases/release")
    assert newest is not None
    assert newest.get("version") == project["version"], "add a <release> for the new version"


def test_mime_xml_registers_case_files() -> None:
    root = ET.parse(MIME_XML).getroot()
    assert root.tag == f"{MIME_NS}mime-info"
    types = root.findall(f"{MIME_NS}mime-type")
    assert [t.get("type") for t in types] == [MIME_TYPE]
    mime = types[0]
    assert [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")] == ["*.case"]
    assert mime.findtext(f"{MIME_NS}comment")
    assert mime.find(f"{MIME_NS}sub-class-of").get("type") == "application/vnd.sqlite3"
    assert mime.find(f"{MIME_NS}icon").get("name") == APP_ID
    magic = mime.find(f"{MIME_NS}magic")
    assert int(magic.get("priority")) > 50  # above plain SQLite's magic


def _match(rule: ET.Element, data: bytes) -> bool:
    """One shared-mime-info <match> (the two types used here) with its nested matches, all required."""
    offset = int(rule.get("offset"))
    kind, value = rule.get("type"), rule.get("value")
    if kind == "string":
        expected = value.encode("ascii")
    elif kind == "big32":
        expected = struct.pack(">I", int(value, 0))
    else:
        raise AssertionError(f"the test does not know match type {kind}")
    if data[offset : offset + len(expected)] != expected:
        return False
    children = rule.findall(f"{MIME_NS}match")
    return not children or any(_match(child, data) for child in children)


def magic_says_case(path: Path) -> bool:
    mime = ET.parse(MIME_XML).getroot().find(f"{MIME_NS}mime-type")
    data = path.read_bytes()[:256]
    return any(_match(rule, data) for rule in mime.findall(f"{MIME_NS}magic/{MIME_NS}match"))


def test_mime_magic_recognises_a_case_file_and_not_plain_sqlite(tmp_path: Path) -> None:
    from caseboard.db import schema
    from caseboard.db.case import create_case

    case_path = tmp_path / "renamed.sqlite"  # by content, whatever the name
    create_case(case_path, title="Magic").close()
    assert magic_says_case(case_path)
    assert schema.APPLICATION_ID == 0x43415345

    plain = tmp_path / "plain.case"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert not magic_says_case(plain)


def test_icons_in_resources() -> None:
    icons = ROOT / "resources" / "icons"
    svg = ET.parse(icons / "caseboard.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    for size in ICON_SIZES:
        head = (icons / f"caseboard-{size}.png").read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", head[16:24]) == (size, size)


def test_scripts_parse() -> None:
    for script in ("build.sh", "install-desktop.sh"):
        result = run("bash", "-n", PACKAGING / script)
        assert result.returncode == 0, result.stderr


# -- install-desktop.sh ---------------------------------------------------------------------------------------------
def test_install_desktop_into_a_temporary_home(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    exe = bundle / "caseboard"
    exe.write_text("#!/bin/sh\necho 'caseboard 0.0-stand-in'\n")
    exe.chmod(0o755)
    home, data = tmp_path / "home", tmp_path / "xdg-data"
    home.mkdir()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "XDG_DATA_HOME": str(data)}
    script = PACKAGING / "install-desktop.sh"

    result = run("bash", script, "--bundle", bundle, env=env)
    assert result.returncode == 0, result.stderr

    opt = home / ".local" / "opt" / "caseboard"
    link = home / ".local" / "bin" / "caseboard"
    assert link.is_symlink() and link.resolve() == (opt / "caseboard").resolve()
    assert run(link).stdout.strip() == "caseboard 0.0-stand-in"
    desktop = data / "applications" / f"{APP_ID}.desktop"
    text = desktop.read_text(encoding="utf-8")
    assert f'Exec="{opt}/caseboard" %f' in text.splitlines()
    if shutil.which("desktop-file-validate"):
        check = run("desktop-file-validate", desktop)
        assert check.returncode == 0, check.stdout
    assert (data / "metainfo" / f"{APP_ID}.metainfo.xml").read_bytes() == METAINFO.read_bytes()
    assert (data / "mime" / "packages" / f"{APP_ID}.xml").read_bytes() == MIME_XML.read_bytes()
    hicolor = data / "icons" / "hicolor"
    assert (hicolor / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    for size in ICON_SIZES:
        assert (hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    if shutil.which("update-mime-database"):
        globs = (data / "mime" / "globs2").read_text(encoding="utf-8").splitlines()
        assert any(line.endswith(f":{MIME_TYPE}:*.case") for line in globs), globs
        assert MIME_TYPE.encode() in (data / "mime" / "magic").read_bytes()
    if shutil.which("update-desktop-database"):
        cache = (data / "applications" / "mimeinfo.cache").read_text(encoding="utf-8")
        assert f"{MIME_TYPE}={APP_ID}.desktop;" in cache

    result = run("bash", script, "--uninstall", env=env)
    assert result.returncode == 0, result.stderr
    assert not link.exists() and not link.is_symlink()
    assert not opt.exists() and not desktop.exists()
    assert not (data / "mime" / "packages" / f"{APP_ID}.xml").exists()
    assert not list(hicolor.rglob(f"{APP_ID}.*"))


def test_install_desktop_refuses_a_missing_bundle(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    result = run("bash", PACKAGING / "install-desktop.sh", "--bundle", tmp_path / "nothing", env=env)
    assert result.returncode == 1
    assert "packaging/build.sh" in result.stderr
    assert not (tmp_path / ".local").exists()
