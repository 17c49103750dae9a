# Sourced by scripts/run.sh and scripts/test.sh (not run on its own): both README commands use the
# same virtual environment, so the tests always run against what the app runs on.
#
#   LEDGER_VENV  the virtual environment's folder (default: .venv in the repo)
#   PYTHON       the interpreter to create it with (default: the first of python3.13, python3.12,
#                python3.11, python3 that is at least Python 3.11)
#
# Nothing is installed outside that folder: no `pip install --user`, no `--break-system-packages`.

LEDGER_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LEDGER_VENV_DIR=${LEDGER_VENV:-$LEDGER_REPO/.venv}
LEDGER_VENV_PY=$LEDGER_VENV_DIR/bin/python
LEDGER_MIN_PYTHON=3.11

# ledger_die MESSAGE [MORE_LINES...]: say what is wrong and what to do, then stop.
ledger_die() {
  printf 'error: %s\n' "$1" >&2
  shift
  [ "$#" -eq 0 ] || printf '%s\n' "$@" >&2
  exit 1
}

# Whether "$1" runs and is at least $LEDGER_MIN_PYTHON (works on any Python, even 2.x).
ledger_python_ok() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1
}

ledger_python_version() {
  "$1" -c 'import platform; print(platform.python_version())' 2>/dev/null || echo "unknown version"
}

ledger_install_python_hint() {
  printf '%s\n' \
    "  Install Python $LEDGER_MIN_PYTHON or newer, then run this command again:" \
    "    Debian 12 / Ubuntu 24.04:  sudo apt-get install python3 python3-venv   (ships 3.11 / 3.12)" \
    "    Ubuntu 22.04 (has 3.10):   pyenv, or python3.11 and python3.11-venv from the deadsnakes PPA" \
    "    macOS (Homebrew):          brew install python@3.12" \
    "    anywhere:                  https://www.python.org/downloads/  or  pyenv install 3.12" \
    "  If it is installed but not first on PATH, name it: PYTHON=/path/to/python3.12 bash scripts/run.sh"
}

# Sets LEDGER_PY to the interpreter the virtual environment is made from.
ledger_pick_python() {
  if [ -n "${PYTHON:-}" ]; then
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
      ledger_die "PYTHON=$PYTHON: no such command." "  Unset PYTHON to let the script pick one, or name an existing Python $LEDGER_MIN_PYTHON+."
    fi
    if ! ledger_python_ok "$PYTHON"; then
      ledger_die "PYTHON=$PYTHON is Python $(ledger_python_version "$PYTHON"); this project needs Python $LEDGER_MIN_PYTHON or newer." \
        "$(ledger_install_python_hint)"
    fi
    LEDGER_PY=$PYTHON
    return
  fi
  local candidate found=""
  for candidate in python3.13 python3.12 python3.11 python3; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    if ledger_python_ok "$candidate"; then
      LEDGER_PY=$candidate
      return
    fi
    # A pyenv shim for a version that is not selected does not run at all; say only what did run.
    if "$candidate" -c '' >/dev/null 2>&1; then
      found="$found $candidate ($(ledger_python_version "$candidate")),"
    fi
  done
  ledger_die "no Python $LEDGER_MIN_PYTHON or newer found (tried python3.13, python3.12, python3.11, python3${found:+; found:${found%,}})." \
    "$(ledger_install_python_hint)"
}

# Whether the folder holds a usable environment: a Python new enough, with pip.
ledger_venv_ok() {
  [ -x "$LEDGER_VENV_PY" ] && ledger_python_ok "$LEDGER_VENV_PY" && "$LEDGER_VENV_PY" -m pip --version >/dev/null 2>&1
}

ledger_venv_hint() {
  local version
  version=$("$LEDGER_PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo 3)
  printf '%s\n' \
    "  On Debian / Ubuntu install it with:  sudo apt-get install python3-venv   (python$version-venv for this Python)" \
    "  Or point PYTHON at a Python $LEDGER_MIN_PYTHON+ that has venv (pyenv, Homebrew, python.org), then run this command again."
}

# Create the virtual environment, or reuse it when it already works.
ledger_venv() {
  if [ -n "${PYTHON:-}" ]; then
    ledger_pick_python  # an explicit PYTHON is checked even when the environment exists
    if [ -f "$LEDGER_VENV_DIR/pyvenv.cfg" ] && ledger_venv_ok && [ "$(ledger_python_version "$LEDGER_VENV_PY")" != "$(ledger_python_version "$LEDGER_PY")" ]; then
      echo "note: $LEDGER_VENV_DIR runs Python $(ledger_python_version "$LEDGER_VENV_PY"), PYTHON=$PYTHON is $(ledger_python_version "$LEDGER_PY"): remaking it" >&2
      rm -rf "$LEDGER_VENV_DIR"
    fi
  fi
  if ledger_venv_ok; then
    return
  fi
  if [ -e "$LEDGER_VENV_DIR" ]; then
    if [ -f "$LEDGER_VENV_DIR/pyvenv.cfg" ]; then
      # A half-made environment (e.g. venv failed for want of ensurepip) or one whose Python is gone.
      echo "note: $LEDGER_VENV_DIR is a broken virtual environment (no Python $LEDGER_MIN_PYTHON+ with pip): remaking it" >&2
      rm -rf "$LEDGER_VENV_DIR"
    elif [ -n "$(ls -A "$LEDGER_VENV_DIR" 2>/dev/null)" ]; then
      ledger_die "$LEDGER_VENV_DIR exists and is not a virtual environment; move it away or set LEDGER_VENV to another folder."
    fi
  fi
  [ -n "${LEDGER_PY:-}" ] || ledger_pick_python
  local cannot="$LEDGER_PY (Python $(ledger_python_version "$LEDGER_PY")) cannot create a virtual environment: its venv/ensurepip module is missing."
  if ! "$LEDGER_PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    ledger_die "$cannot" "$(ledger_venv_hint)"
  fi
  echo "Creating the virtual environment $LEDGER_VENV_DIR with $LEDGER_PY (Python $(ledger_python_version "$LEDGER_PY"))" >&2
  if ! "$LEDGER_PY" -m venv "$LEDGER_VENV_DIR" >&2 || ! ledger_venv_ok; then
    # Debian's Python without python3-venv imports ensurepip but refuses to run it.
    [ -f "$LEDGER_VENV_DIR/pyvenv.cfg" ] && rm -rf "$LEDGER_VENV_DIR"
    ledger_die "$cannot" "$(ledger_venv_hint)"
  fi
}

# Install a requirements file into the environment; skipped when it (and the files it includes,
# given after it) are unchanged since the last successful install.
ledger_install() {
  local requirements=$1 stamp want
  stamp="$LEDGER_VENV_DIR/.installed-$(basename "$requirements").sha256"
  want=$(cd "$LEDGER_REPO" && cat "$@" | "$LEDGER_VENV_PY" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  echo "Installing $requirements into $LEDGER_VENV_DIR" >&2
  if ! (cd "$LEDGER_REPO" && "$LEDGER_VENV_PY" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2); then
    ledger_die "pip could not install $requirements into $LEDGER_VENV_DIR (its message is above)." \
      "A network problem? Run the command again. A broken environment? Delete $LEDGER_VENV_DIR and run it again."
  fi
  echo "$want" >"$stamp"
}
