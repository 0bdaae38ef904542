"""``import course``: what it sets up for every process that uses the course."""

import subprocess
import sys


def test_notebooks_are_read_without_compiling_jsonschemas_iri_grammar():
    script = (
        "import sys, course, nbformat\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1 + 1')])\n"
        "nbformat.validate(nbformat.reads(nbformat.writes(nb), as_version=4))\n"
        "print(sys.modules['rfc3987_syntax'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "None"
