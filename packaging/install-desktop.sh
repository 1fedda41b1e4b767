#!/usr/bin/env bash
# Install the Caseboard bundle as a desktop application for the current user (no root, no Python needed):
#
#   bash packaging/build.sh                      # once, makes dist/caseboard/
#   bash packaging/install-desktop.sh            # installs it
#   bash packaging/install-desktop.sh --uninstall
#
# Puts the bundle in ~/.local/opt/caseboard, a `caseboard` link in ~/.local/bin, and in ~/.local/share (or
# $XDG_DATA_HOME) the .desktop file, the AppStream metainfo, the icons (hicolor PNG sizes and scalable SVG) and the
# .case MIME type, then refreshes the MIME, desktop and icon caches with whichever tools the system has.
# Options: --bundle DIR (default: dist/caseboard next to this script's folder). PREFIX=/opt/x installs under a
# prefix instead (PREFIX/opt/caseboard, PREFIX/bin, and PREFIX/share unless DATADIR is set).
set -euo pipefail

APP_ID=io.github.caseboard.Caseboard
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
bundle="$root/dist/caseboard"
action=install

while [ $# -gt 0 ]; do
  case "$1" in
    --uninstall) action=uninstall ;;
    --bundle) bundle="${2:?--bundle needs a folder}"; shift ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-desktop: unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ -n "${PREFIX:-}" ]; then
  prefix="$PREFIX"
  datadir="${DATADIR:-$prefix/share}"
else
  : "${HOME:?install-desktop: HOME is not set}"
  prefix="$HOME/.local"
  datadir="${DATADIR:-${XDG_DATA_HOME:-$HOME/.local/share}}"
fi
optdir="$prefix/opt/caseboard"
bindir="$prefix/bin"
desktop="$datadir/applications/$APP_ID.desktop"
metainfo="$datadir/metainfo/$APP_ID.metainfo.xml"
mimefile="$datadir/mime/packages/$APP_ID.xml"
icons="$datadir/icons/hicolor"
sizes="16 32 48 64 128 256"

say() { echo "install-desktop: $*" >&2; }

refresh_caches() {
  if command -v update-mime-database >/dev/null 2>&1 && [ -d "$datadir/mime/packages" ]; then
    update-mime-database "$datadir/mime" >/dev/null 2>&1 || say "update-mime-database failed (ignored)"
  fi
  if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$datadir/applications" ]; then
    update-desktop-database -q "$datadir/applications" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -d "$icons" ]; then
    gtk-update-icon-cache -q -t -f "$icons" 2>/dev/null || true
  fi
}

if [ "$action" = uninstall ]; then
  # the link only if it is ours
  if [ -L "$bindir/caseboard" ] && [ "$(readlink "$bindir/caseboard")" = "$optdir/caseboard" ]; then
    rm -f "$bindir/caseboard"
  fi
  rm -rf "$optdir"
  rm -f "$desktop" "$metainfo" "$mimefile" "$icons/scalable/apps/$APP_ID.svg"
  for s in $sizes; do rm -f "$icons/${s}x${s}/apps/$APP_ID.png"; done
  refresh_caches
  say "removed Caseboard from $prefix and $datadir"
  exit 0
fi

if [ ! -x "$bundle/caseboard" ]; then
  say "no bundle at $bundle (build it first: bash packaging/build.sh)"
  exit 1
fi
case "$optdir" in
  *[\"\`\$\\]*) say "the install folder may not contain \" \` \$ or \\: $optdir"; exit 2 ;;
esac
# The icons the app itself uses, from the bundle (or the source tree when the bundle lacks them).
icon_src="$bundle/_internal/caseboard/resources/icons"
[ -f "$icon_src/caseboard.svg" ] || icon_src="$root/resources/icons"

say "copying the bundle to $optdir"
mkdir -p "$prefix/opt" "$bindir"
rm -rf "$optdir.new"
cp -a "$bundle" "$optdir.new"
rm -rf "$optdir"
mv "$optdir.new" "$optdir"
ln -sfn "$optdir/caseboard" "$bindir/caseboard"

# A file manager may start the app without ~/.local/bin on PATH: point Exec at the installed executable.
mkdir -p "$(dirname "$desktop")" "$(dirname "$metainfo")" "$(dirname "$mimefile")"
sed "s|^Exec=caseboard |Exec=\"$optdir/caseboard\" |" "$here/$APP_ID.desktop" >"$desktop"
chmod 644 "$desktop"
install -m 644 "$here/$APP_ID.metainfo.xml" "$metainfo"
install -m 644 "$here/caseboard-mime.xml" "$mimefile"
install -D -m 644 "$icon_src/caseboard.svg" "$icons/scalable/apps/$APP_ID.svg"
for s in $sizes; do
  install -D -m 644 "$icon_src/caseboard-$s.png" "$icons/${s}x${s}/apps/$APP_ID.png"
done
refresh_caches

say "installed $("$optdir/caseboard" --version 2>/dev/null || echo caseboard) to $optdir"
say "  command: $bindir/caseboard"
say "  menu entry: $desktop; .case files open with it"
case ":${PATH:-}:" in
  *":$bindir:"*) ;;
  *) say "  ($bindir is not on your PATH: add it to run 'caseboard' from a terminal)" ;;
esac
