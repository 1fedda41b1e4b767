#!/usr/bin/env bash
# Install the Debian/Ubuntu packages Caseboard needs: Qt's runtime libraries and fonts for the window, and with
# --test also the tools the test suite calls (pdftoppm, desktop-file-validate, appstreamcli).
# Does nothing when everything is already there, and nothing at all on systems without apt-get.
set -euo pipefail
runtime="libegl1 libgl1 libopengl0 libfontconfig1 libfreetype6 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0
 libxcb-icccm4 libxcb-keysyms1 libxcb-render-util0 libxcb-image0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
 libdbus-1-3 libglib2.0-0 libwayland-cursor0 libwayland-egl1 fonts-dejavu-core fonts-droid-fallback"
test_tools="poppler-utils desktop-file-utils appstream"
want="$runtime"
[ "${1:-}" = "--test" ] && want="$runtime $test_tools"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "debian-deps: no apt-get here; install Qt 6's xcb/EGL libraries and a font with your package manager" >&2
  exit 0
fi
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "debian-deps: installing$missing" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
