#!/usr/bin/env bash
# Build the Caseboard desktop bundle: dist/caseboard/ (one folder; run dist/caseboard/caseboard).
#
#   bash packaging/build.sh            # PYTHON=python3.12 bash packaging/build.sh to pick the interpreter
#
# Builds from a normal (non-editable) install, so the bundle holds what a wheel holds and nothing from the work
# tree: the sources are copied to build/pkg-src (tracked and new files, not ignored ones), installed with their
# `package` extra (PyInstaller) into a fresh venv build/pkg-venv, and PyInstaller runs packaging/caseboard.spec
# with that venv. Everything it writes is under build/ and dist/ (both git-ignored). Needs network or a pip cache
# for the first install; Qt's system libraries come from packaging/debian-deps.sh.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
build="$root/build"
dist="${CASEBOARD_DIST_DIR:-$root/dist}"
src="$build/pkg-src"
venv="$build/pkg-venv"
work="$build/pyinstaller"
start=$(date +%s.%N)

say() { echo "build.sh: $*" >&2; }
elapsed() { awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }

say "copying the sources to $src"
rm -rf "$src"
mkdir -p "$src"
# When the sources were taken: tests/packaging/test_bundle.py reuses a bundle only if no source is newer.
touch "$build/pkg-sources.stamp"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # tracked and untracked-but-not-ignored files that exist (a deleted tracked file is skipped)
  git -C "$root" ls-files -z --cached --others --exclude-standard |
    (cd "$root" && while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done) |
    (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$src"
else
  tar -C "$root" --exclude=./.git --exclude=./.venv --exclude=./build --exclude=./dist --exclude='*.egg-info' \
    --exclude='__pycache__' --exclude=./.pytest_cache --exclude=./.ruff_cache -cf - . | tar -xf - -C "$src"
fi

say "creating a fresh venv in $venv with $("$python" --version 2>&1)"
rm -rf "$venv"
"$python" -m venv "$venv"
say "installing caseboard[package] (non-editable)"
"$venv/bin/python" -m pip install -q --disable-pip-version-check "$src[package]"
say "installed: $("$venv/bin/python" -m pip list --format=freeze --disable-pip-version-check 2>/dev/null |
  grep -iE '^(caseboard|pyinstaller|pyside6-essentials|pyqtgraph|numpy|sqlite-utils)=' | tr '\n' ' ')"

installed=$(elapsed)
say "running PyInstaller"
rm -rf "$work" "$dist/caseboard"
# From build/, so nothing in the repository root (db/, gui/ ...) can be picked up as a top-level module.
(cd "$build" && "$venv/bin/python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$dist" --workpath "$work" "$root/packaging/caseboard.spec")

exe="$dist/caseboard/caseboard"
say "checking: $("$exe" --version)"
echo "bundle: $exe"
echo "size:   $(du -sh "$dist/caseboard" | cut -f1)"
echo "time:   $(elapsed) s (sources and venv: $installed s)"
