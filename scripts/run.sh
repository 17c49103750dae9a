#!/usr/bin/env bash
# The README's first command: create (or reuse) the virtual environment .venv, install the runtime
# (requirements.txt) into it and start the dashboard on the bundled data.
#
#   bash scripts/run.sh [streamlit run options...]   e.g.  bash scripts/run.sh --server.port 8600
#
#   LEDGER_NO_BROWSER=1  do not open a browser tab (the URL is printed either way)
#   LEDGER_VENV, PYTHON  which environment and which interpreter: see scripts/_venv.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/_venv.sh
source scripts/_venv.sh

ledger_venv
ledger_install requirements.txt

# .streamlit/config.toml keeps the server headless (right for Community Cloud and CI); on a desktop,
# open the dashboard in the browser unless asked not to. Options given to this script come last, so they win.
# (The ${a[@]+...} form keeps an empty array working under `set -u` in macOS's bash 3.2.)
browser=()
if [ -z "${LEDGER_NO_BROWSER:-}" ] && { [ "$(uname -s)" = Darwin ] || [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; }; then
  browser=(--server.headless false --server.showEmailPrompt false)
fi
exec "$LEDGER_VENV_PY" -m streamlit run dashboard.py ${browser[@]+"${browser[@]}"} "$@"
