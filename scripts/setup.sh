#!/usr/bin/env bash
# Installs the operating-system tools Veeky uses, on Debian or Ubuntu.
#   scripts/setup.sh          what the app needs: ffmpeg, tesseract, pocketsphinx (+ English model), fonts
#   scripts/setup.sh --test   also what the tests need: PostgreSQL, Redis, festival speech, Chromium + driver
# Asks for sudo when not root. Installs only what is missing, so it is quick to run again.
set -euo pipefail

packages=(ffmpeg tesseract-ocr tesseract-ocr-eng pocketsphinx pocketsphinx-en-us fonts-dejavu-core)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(postgresql redis-server festival festvox-us-slt-hts chromium chromium-driver)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all tools present (${packages[*]})"
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "setup: apt-get not found; install these yourself: ${missing[*]}" >&2
  exit 1
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  sudo=(sudo)
fi

echo "setup: installing ${missing[*]}"
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${missing[@]}"
