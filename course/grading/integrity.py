"""Make a grade cell count as passed only if it really ran to its end, untampered.

nbgrader gives full marks to a grade cell that shows no error. Student code runs
in the same kernel, so it can hide errors (patch ``showtraceback``), rewrite later
cells (IPython input transformers) or replace the course's check functions. Two
preprocessors close the common ways to do that:

- ``InjectIntegrityChecks`` (autograding, after nbgrader restores the grade
  cells) appends to every grade cell a check that the check functions the cell
  uses are the code on disk, then prints a per-run secret token. The tokens
  are written next to the sandbox, outside the kernel's working directory.
- ``VerifyIntegrity`` (when results are merged into the gradebook) fails every
  grade cell whose token is missing from its output, and removes the tokens.

What remains possible is documented in autograder/README.md (isolation).
"""

from __future__ import annotations

import json
import os
import re
import secrets
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from course.grading.cells import nbgrader_meta

TOKEN_PREFIX = "course-integrity:"
TOKENS_FILE_ENV = "COURSE_INTEGRITY_TOKENS_FILE"  # where the sandbox writes its tokens
TOKENS_DIR_ENV = "COURSE_INTEGRITY_TOKENS_DIR"  # where the merge reads <student>--<assignment>.json
_CHECK_IMPORT = re.compile(
    r"from[ \t]+(course\.exercises\.\w+)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)"
)

_INJECTED = """
# --- added by the course's grader: checks that the tests above really ran ---
def _course_integrity(imports, token):
    import importlib.util
    import inspect
    import sys

    for module_name, names in imports:
        spec = importlib.util.find_spec(module_name)
        fresh = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(fresh)
        for name in names:
            original = inspect.unwrap(getattr(fresh, name, None))
            if not inspect.isfunction(original):
                continue  # constants and classes: nothing to compare
            used = inspect.unwrap(getattr(sys.modules[module_name], name, None))
            if not inspect.isfunction(used) or (
                used.__code__.co_code != original.__code__.co_code
                or used.__code__.co_consts != original.__code__.co_consts
            ):
                raise AssertionError(f"TamperingDetected: {{module_name}}.{{name}} was replaced")
    print(token)


_course_integrity({imports!r}, {token!r})
del _course_integrity
"""


def is_grade_cell(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def checked_imports(source: str) -> list[tuple[str, list[str]]]:
    """The (module, [names]) a grade cell imports from ``course.exercises``."""
    found = []
    for module, names in _CHECK_IMPORT.findall(source):
        cleaned = [n.split("#")[0].strip() for n in names.strip("()").split(",")]
        found.append((module, [n.split(" as ")[0].strip() for n in cleaned if n]))
    return found


_TOKENS_FILE: list[str] = []


def _tokens_file() -> str | None:
    """Where to write the tokens; the variable is removed so the kernel does not inherit it."""
    if TOKENS_FILE_ENV in os.environ:
        _TOKENS_FILE.append(os.environ.pop(TOKENS_FILE_ENV))
    return _TOKENS_FILE[-1] if _TOKENS_FILE else None


class InjectIntegrityChecks(NbGraderPreprocessor):
    """Append the integrity check and a secret token to every grade cell."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        tokens_file = _tokens_file()
        if not tokens_file:
            return nb, resources  # plain `nbgrader autograde`: nothing to verify later
        tokens: dict[str, str] = {}
        for cell in nb.cells:
            if is_grade_cell(cell):
                grade_id = nbgrader_meta(cell)["grade_id"]
                tokens[grade_id] = f"{TOKEN_PREFIX}{secrets.token_hex(16)}"
                imports = checked_imports(cell.source)
                cell.source += _INJECTED.format(imports=imports, token=tokens[grade_id])
        path = Path(tokens_file)
        stored = json.loads(path.read_text()) if path.exists() else {}
        stored[resources["nbgrader"]["notebook"]] = tokens
        path.write_text(json.dumps(stored))
        return nb, resources


class VerifyIntegrity(NbGraderPreprocessor):
    """Fail grade cells whose token did not print; strip the tokens from the outputs."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        tokens_dir = os.environ.get(TOKENS_DIR_ENV)
        if not tokens_dir:
            return nb, resources
        info = resources["nbgrader"]
        path = Path(tokens_dir, f"{info['student']}--{info['assignment']}.json")
        tokens = json.loads(path.read_text()).get(info["notebook"], {}) if path.exists() else {}
        for cell in nb.cells:
            if not is_grade_cell(cell):
                continue
            token = tokens.get(nbgrader_meta(cell)["grade_id"])
            printed = False
            for output in cell.outputs:
                if output.get("output_type") == "stream" and TOKEN_PREFIX in output.get("text", ""):
                    printed = printed or (token is not None and token in output["text"])
                    output["text"] = "".join(
                        line
                        for line in output["text"].splitlines(keepends=True)
                        if TOKEN_PREFIX not in line
                    )
            cell.outputs = [o for o in cell.outputs if o.get("output_type") != "stream" or o.text]
            has_error = any(o.get("output_type") == "error" for o in cell.outputs)
            if not printed and not has_error:
                cell.outputs.append(
                    NotebookNode(
                        output_type="error",
                        ename="TamperingDetected",
                        evalue="this test cell did not run to its end (its errors were hidden or "
                        "its code was changed while running): scored 0, please review",
                        traceback=[],
                    )
                )
        return nb, resources
