#!/usr/bin/env bash
# The README's second command: in the same virtual environment as scripts/run.sh (.venv), install the
# test tools (requirements-dev.txt, which includes requirements.txt), make sure Chromium is there for
# the browser tests, then run every test. Extra arguments go to pytest.
#
#   CHROMIUM_PATH        a Chromium executable to use instead of the system's `chromium`
#   LEDGER_VENV, PYTHON  which environment and which interpreter: see scripts/_venv.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/_venv.sh
source scripts/_venv.sh

ledger_venv
ledger_install requirements-dev.txt requirements.txt

# The browser tests drive a real Chromium; Playwright's own browser download cannot be used here,
# so the system's Chromium is installed with apt-get (which needs root or sudo), or named with CHROMIUM_PATH.
if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] || ledger_die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file."
elif ! command -v chromium >/dev/null 2>&1; then
  how="  Install Chromium yourself, or set CHROMIUM_PATH to a Chromium executable, then run this command again."
  if ! command -v apt-get >/dev/null 2>&1; then
    ledger_die "the browser tests need Chromium, and this machine has no apt-get to install it with." "$how"
  fi
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
  elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    ledger_die "the browser tests need Chromium; installing it with apt-get needs root or sudo, and neither is available." \
      "  As root: apt-get install chromium" "$how"
  fi
  echo "Installing Chromium for the browser tests: ${SUDO[*]+${SUDO[*]} }apt-get install chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! { ${SUDO[@]+"${SUDO[@]}"} apt-get update -qq && ${SUDO[@]+"${SUDO[@]}"} apt-get install -y -qq chromium >/dev/null; }; then
    ledger_die "apt-get could not install chromium (its message is above)." "$how"
  fi
fi

exec "$LEDGER_VENV_PY" -m pytest "$@"
