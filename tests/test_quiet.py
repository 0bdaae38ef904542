"""Does `import course` keep TensorFlow's start-up lines out of a notebook's stderr?"""

from __future__ import annotations

import subprocess
import sys


def _stderr(code: str) -> str:
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stderr


def test_importing_keras_after_course_prints_nothing_to_stderr():
    """Are the absl, oneDNN and cudart lines gone, while later stderr still gets through?"""
    stderr = _stderr(
        "import sys, course, keras; keras.ops.ones((2,)); print('after', file=sys.stderr)"
    )
    assert "absl" not in stderr and "cuda" not in stderr and "oneDNN" not in stderr, stderr
    assert stderr.strip() == "after"


def test_course_does_not_import_tensorflow():
    """Does `import course` leave TensorFlow unimported until a notebook asks for it?"""
    assert _stderr("import sys, course; assert 'tensorflow' not in sys.modules") == ""
