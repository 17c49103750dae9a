#!/usr/bin/env bash
# The README's second command: install the test tools (pip packages, and Chromium for the browser
# tests where apt-get exists), then run every test. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# The browser tests drive a real Chromium; Playwright's own browser download cannot be used here,
# so the system's Chromium is installed (or named with CHROMIUM_PATH).
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Chromium: install it, or set CHROMIUM_PATH to its executable." >&2
    exit 1
  fi
fi

python3 -m pytest "$@"
