#!/usr/bin/env bash
# The course's two commands, for a fresh machine with Python 3.10+ and access to PyPI:
#
#   ./run.sh demo   set up .venv, build the student notebooks from solutions/, and grade
#                   the demo class with nbgrader (grade table, feedback HTML, grades CSV)
#   ./run.sh test   set up .venv, then run the linter and the whole test suite
#   ./run.sh lab    set up .venv, then start the instructor's JupyterLab with nbgrader's
#                   formgrader (`./run.sh lab --student`: a student's, on notebooks/)
#
# Set-up is skipped when .venv is already installed for this pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv

# System packages the course needs: bubblewrap (the sandbox students' notebooks are graded
# in) and Chromium (the browser tests of the notebooks in JupyterLab). Installed with apt-get
# when running as root, otherwise named with the command to run.
system_packages() {
    local missing=()
    command -v bwrap >/dev/null || missing+=(bubblewrap)
    command -v chromium >/dev/null || missing+=(chromium)
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing ${missing[*]} with apt-get ..."
        apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null; }
    else
        echo "Missing system packages: ${missing[*]}. Install them with:" >&2
        echo "    sudo apt-get install ${missing[*]}" >&2
    fi
}

setup() {
    system_packages
    "$PYTHON" - <<'PY'
import sys
if sys.version_info < (3, 10):
    sys.exit(f"Python 3.10 or newer is needed, this is {sys.version.split()[0]}: "
             "set PYTHON=/path/to/python3.x and run again.")
PY
    local stamp
    stamp="$VENV/.installed-$("$PYTHON" -c 'import hashlib,sys; print(hashlib.sha256(open("pyproject.toml","rb").read()).hexdigest()[:16])')"
    if [ ! -f "$stamp" ]; then
        echo "Setting up $VENV (first run: a minute or two) ..."
        local start=$SECONDS
        "$PYTHON" -m venv "$VENV"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[dev]"
        rm -f "$VENV"/.installed-*
        touch "$stamp"
        echo "Installed in $((SECONDS - start)) s."
    fi
}

case "${1:-}" in
    demo)
        setup
        "$VENV/bin/course" demo
        ;;
    test)
        setup
        "$VENV/bin/ruff" check course tests
        "$VENV/bin/python" -m pytest "${@:2}"
        ;;
    lab)
        setup
        exec "$VENV/bin/course" lab "${@:2}"
        ;;
    *)
        echo "usage: ./run.sh demo | ./run.sh test [pytest options] | ./run.sh lab [--student]" >&2
        exit 2
        ;;
esac
