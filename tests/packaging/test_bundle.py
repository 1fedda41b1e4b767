"""The PyInstaller bundle: built by packaging/build.sh, then run the way a user without Python would run it.

Slow (a fresh venv and a PyInstaller run: about two minutes on two cores), so marked ``bundle``: deselect it with
``-m "not bundle"``. Skipped where PyInstaller is not installed (``pip install -e '.[test,package]'`` installs it).
A bundle in dist/ is reused when it was built after the last change to any source file, except under CI, which
always builds; set CASEBOARD_REBUILD_BUNDLE=1 to force a build. Everything written goes to build/ and dist/
(git-ignored) or to pytest's temporary folders.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (the 'package' extra)")

pytestmark = pytest.mark.bundle

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist" / "caseboard"
EXE = DIST / "caseboard"
INTERNAL = DIST / "_internal"
STAMP = ROOT / "build" / "pkg-sources.stamp"  # touched by build.sh when it takes its copy of the sources
SOURCES = ("db", "gui", "resources", "ingest", "packaging", "pyproject.toml")
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
BUILD_TIMEOUT = 900
RUN_TIMEOUT = 120


def newest_source() -> float:
    newest = 0.0
    for name in SOURCES:
        top = ROOT / name
        paths = [top] if top.is_file() else top.rglob("*")
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts:
                newest = max(newest, path.stat().st_mtime)
    return newest


def bundle_is_current() -> bool:
    if os.environ.get("CI") or os.environ.get("CASEBOARD_REBUILD_BUNDLE"):
        return False
    if not (EXE.is_file() and STAMP.is_file()):
        return False
    taken = STAMP.stat().st_mtime
    return EXE.stat().st_mtime >= taken and newest_source() < taken


@pytest.fixture(scope="module")
def bundle() -> Path:
    if not bundle_is_current():
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
        env["PYTHON"] = sys.executable
        result = subprocess.run(
            ["bash", str(ROOT / "packaging" / "build.sh")],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=BUILD_TIMEOUT,
        )
        assert result.returncode == 0, f"build.sh failed:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    assert EXE.is_file()
    return DIST


def minimal_env(home: Path, **extra: str) -> dict[str, str]:
    """What `env -i PATH=/usr/bin:/bin HOME=...` leaves: no venv, no PYTHONPATH, no display."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), **extra}


def run_bundle(
    *args: str | Path, home: Path, cwd: Path | None = None, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXE), *map(str, args)],
        capture_output=True,
        text=True,
        env=minimal_env(home, **extra),
        cwd=cwd or home,
        timeout=RUN_TIMEOUT,
    )


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr


# -- what is in the bundle -------------------------------------------------------------------------------------------
def test_bundle_leaves_out_unused_qt_and_stays_small(bundle: Path) -> None:
    pyside = INTERNAL / "PySide6"
    for module in ("QtCore", "QtGui", "QtWidgets", "QtSvg", "QtOpenGL", "QtOpenGLWidgets"):
        assert (pyside / f"{module}.abi3.so").is_file(), module
    for module in ("QtNetwork", "QtQml", "QtQuick", "QtSql", "QtTest", "QtDBus", "QtDesigner", "QtUiTools"):
        assert not (pyside / f"{module}.abi3.so").exists(), f"{module} should be excluded"
    libs = {p.name for p in (pyside / "Qt" / "lib").iterdir()}
    for lib in (
        "libQt6Qml.so.6",
        "libQt6Quick.so.6",
        "libQt6Network.so.6",
        "libQt6Sql.so.6",
        "libQt6Test.so.6",
    ):
        assert lib not in libs
    plugins = pyside / "Qt" / "plugins"
    assert (plugins / "platforms" / "libqoffscreen.so").is_file()
    assert (plugins / "platforms" / "libqxcb.so").is_file()
    assert (plugins / "platforms" / "libqwayland.so").is_file()
    assert not (plugins / "platformthemes" / "libqgtk3.so").exists()
    assert not (INTERNAL / "libgtk-3.so.0").exists() and not (INTERNAL / "libcairo.so.2").exists()
    assert not list(INTERNAL.rglob("_tkinter*"))
    # the data files importlib.resources reads, and the metadata --version reads
    resources = INTERNAL / "caseboard" / "resources"
    assert (resources / "demo_case.json").is_file()
    assert (resources / "basemap" / "basemap.npz").is_file()
    assert (resources / "icons" / "caseboard.svg").is_file()
    assert (INTERNAL / f"caseboard-{VERSION}.dist-info" / "METADATA").is_file()
    size = sum(p.stat().st_size for p in DIST.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < 320e6, f"the bundle grew to {size / 1e6:.0f} MB"


def test_bundled_libraries_resolve(bundle: Path) -> None:
    ldd = shutil.which("ldd")
    if ldd is None:
        pytest.skip("ldd is not available")
    qt = INTERNAL / "PySide6" / "Qt"
    files = [
        qt / "lib" / "libQt6Core.so.6",
        qt / "lib" / "libQt6Gui.so.6",
        qt / "lib" / "libQt6Widgets.so.6",
        qt / "lib" / "libQt6Svg.so.6",
        qt / "lib" / "libQt6OpenGL.so.6",
        qt / "lib" / "libQt6XcbQpa.so.6",
        qt / "plugins" / "platforms" / "libqoffscreen.so",
        qt / "plugins" / "platforms" / "libqxcb.so",
        qt / "plugins" / "imageformats" / "libqsvg.so",
        qt / "plugins" / "iconengines" / "libqsvgicon.so",
        *sorted((INTERNAL / "PySide6").glob("*.so*")),
        *sorted((INTERNAL / "numpy").rglob("*.so")),
        *sorted(INTERNAL.glob("python3*/lib-dynload/*.so")),
    ]
    missing = []
    for path in files:
        assert path.is_file(), path
        # the bootloader puts _internal on LD_LIBRARY_PATH; Qt's own libraries find each other by RUNPATH
        out = subprocess.run(
            [ldd, str(path)], capture_output=True, text=True, env={"LD_LIBRARY_PATH": str(INTERNAL)}
        ).stdout
        missing += [
            f"{path.relative_to(DIST)}: {line.strip()}" for line in out.splitlines() if "not found" in line
        ]
    assert not missing, "\n".join(missing)


# -- running it --------------------------------------------------------------------------------------------------
def test_version_without_python_on_the_host(bundle: Path, tmp_path: Path) -> None:
    start = time.perf_counter()
    result = run_bundle("--version", home=tmp_path)
    seconds = time.perf_counter() - start
    assert_clean(result)
    assert result.stdout.strip() == f"caseboard {VERSION}"
    print(f"--version in {seconds:.2f} s")
    # Nothing from a host Python is used: an empty PATH and a bogus PYTHONPATH/PYTHONHOME change nothing.
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    result = run_bundle(
        "--version", home=tmp_path, PATH=str(empty), PYTHONPATH="/nonexistent", PYTHONHOME="/nonexistent"
    )
    assert_clean(result)
    assert result.stdout.strip() == f"caseboard {VERSION}"


def test_demo_and_info(bundle: Path, tmp_path: Path) -> None:
    from caseboard.db.case import open_case
    from caseboard.db.demo import write_demo
    from caseboard.db.info import case_info

    result = run_bundle("demo", "X.case", home=tmp_path, QT_QPA_PLATFORM="offscreen")
    assert_clean(result)
    assert (tmp_path / "X.case").is_file()
    result = run_bundle("info", "X.case", "--json", home=tmp_path)
    assert_clean(result)
    info = json.loads(result.stdout)

    write_demo(tmp_path / "expected.case").close()
    with open_case(tmp_path / "expected.case", readonly=True) as case:
        expected = case_info(case).as_dict()
    assert info["counts"] == expected["counts"]
    assert info["counts"]["statements"] > 0 and info["counts"]["events"] > 0
    assert info["title"] == expected["title"]
    assert info["span"] == expected["span"]
    assert info["schema_version"] == expected["schema_version"]


def test_export_pdf(bundle: Path, tmp_path: Path) -> None:
    assert_clean(run_bundle("demo", "X.case", home=tmp_path))
    result = run_bundle("export", "X.case", "-o", "X.pdf", home=tmp_path, QT_QPA_PLATFORM="offscreen")
    if "No module named 'caseboard.gui.report" in result.stderr:
        pytest.xfail(
            "the bundle has no caseboard.gui.report export module yet: " + result.stderr.strip()[-200:]
        )
    assert_clean(result)
    pdf = tmp_path / "X.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(pdf))
    assert len(reader.pages) >= 1
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    from caseboard.db.demo import demo_data

    assert " ".join(demo_data()["title"].split()) in text
    assert "Kirby" in text  # a speaker of the demo case's statements


def test_window_opens_on_the_demo_case_offscreen(bundle: Path, tmp_path: Path) -> None:
    """`caseboard` with no arguments: the demo case in a window (offscreen), without a traceback.

    With CASEBOARD_SMOKE_QUIT_MS the app quits by itself that long after showing the window. An app that does not
    know the variable is stopped once the window has opened the case (its lock file appears) and run a little.
    """
    data = tmp_path / ".local" / "share" / "caseboard"
    env = minimal_env(tmp_path, QT_QPA_PLATFORM="offscreen", CASEBOARD_SMOKE_QUIT_MS="1500")
    start = time.perf_counter()
    proc = subprocess.Popen([str(EXE)], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    opened_at = None
    deadline = start + 60
    while proc.poll() is None and time.perf_counter() < deadline:
        if opened_at is None and (data / "demo.case-lock").exists():
            opened_at = time.perf_counter()
        if opened_at is not None and time.perf_counter() > opened_at + 3:
            break  # open and running for 3 s: long enough to have painted the first frames
        time.sleep(0.05)
    killed = proc.poll() is None
    if killed:
        proc.terminate()
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    stderr = err.decode(errors="replace")
    assert "Traceback" not in stderr, stderr
    assert "could not load the Qt platform plugin" not in stderr.lower(), stderr
    assert (data / "demo.case").is_file(), f"no demo case was made\n{stderr}"
    if killed:
        assert opened_at is not None, f"the window never opened the demo case within 60 s\n{stderr}"
        print(f"window had the demo case open {opened_at - start:.2f} s after start")
    else:
        assert proc.returncode == 0, f"exit {proc.returncode}\n{out.decode(errors='replace')}\n{stderr}"
        print(f"window shown and quit by itself in {time.perf_counter() - start:.2f} s")


def test_install_desktop_with_the_real_bundle(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run(
        ["bash", str(ROOT / "packaging" / "install-desktop.sh"), "--bundle", str(DIST)],
        capture_output=True,
        text=True,
        env=env,
        timeout=RUN_TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    link = home / ".local" / "bin" / "caseboard"
    # started through the link in ~/.local/bin, the bundle still finds its _internal folder
    version = subprocess.run(
        [str(link), "--version"], capture_output=True, text=True, env=env, timeout=RUN_TIMEOUT
    )
    assert_clean(version)
    assert version.stdout.strip() == f"caseboard {VERSION}"
