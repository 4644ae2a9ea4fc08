#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, if missing:
# the cgo/OpenGL headers of Fyne's desktop driver, and the programs tests
# and benchmarks compare against. Idempotent and quiet when all is there.
set -euo pipefail

packages=(
  gcc pkg-config
  # Fyne's desktop driver (cgo, OpenGL, X11)
  libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
  # fonts with á é í ó ú ñ for PDFs and screenshots
  fonts-dejavu-core
  # independent readers used in tests: render PDFs, decode QR codes
  poppler-utils zbar-tools
  # a display for real-window tests and screenshots
  xvfb imagemagick x11-utils
  # a real browser for the issuer's browser tests (driven with chromedp)
  chromium
  # load tests and whole-process benchmarks
  wrk hyperfine
  # the issuer on PostgreSQL: its tests start throwaway clusters
  postgresql
  # the reference deployment's load balancer (docs/deploy/nginx.conf), run by e2e tests
  nginx
  # the Windows package: cross-built with MinGW-w64 and run under Wine in the tests
  gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 wine wine64 libwine fonts-wine libgl1-mesa-dri
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The independent checker of the test vectors (make interop) runs on
# Node.js: Debian's, unless a node is on the PATH already.
command -v node >/dev/null || missing+=(nodejs)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
