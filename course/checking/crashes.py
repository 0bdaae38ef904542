"""A crash in a student's code is an incorrect answer, never a raw traceback.

``student_check`` wraps a ``check_*`` function: an exception other than a failed assertion
or the placeholder (``NotImplementedError``, ``NotAttempted``) becomes an ``AssertionError``
that names the exception, its message and the student's own line, in the manner of
learntools' ``UserlandExceptionIncorrect``. The same wrapped function serves ``qN.check()``
and the nbgrader grade cell (introduced in notebook 02, used by every notebook).
"""

from __future__ import annotations

import functools
import sys
import sysconfig
import traceback
from collections.abc import Callable
from pathlib import Path

_COURSE_DIR = str(Path(__file__).resolve().parents[1])
_LIBRARY_DIRS = tuple(
    {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
) + (sys.prefix, sys.base_prefix)


def _is_library(filename: str) -> bool:
    """True for files of the course, the standard library and installed packages."""
    if filename.startswith("<frozen"):
        return True
    try:
        resolved = str(Path(filename).resolve())
    except (OSError, ValueError):
        return False
    return resolved.startswith(_COURSE_DIR) or resolved.startswith(_LIBRARY_DIRS)


def student_frame(error: BaseException) -> traceback.FrameSummary | None:
    """The innermost traceback frame of ``error`` that is the student's code, if any."""
    frames = traceback.extract_tb(error.__traceback__)
    own = [frame for frame in frames if not _is_library(frame.filename)]
    return own[-1] if own else None


def describe_crash(error: BaseException) -> str:
    """One paragraph: which exception the answer raised, its message and the student's line."""
    message = str(error).strip().splitlines()
    kind = getattr(error, "student_type", type(error).__name__)
    text = f"your code raised {kind}"
    if message:
        text += f": {message[0][:300]}"
    where = getattr(error, "student_where", None)
    if where is not None:  # raised in the student's kernel (course.judge.remote)
        return text + (f" ({where})." if where else ".")
    frame = student_frame(error)
    if frame is not None:
        where = f"`{frame.name}`" if frame.name != "<module>" else "your cell"
        line = f": `{frame.line.strip()}`" if frame.line else ""
        text += f" (line {frame.lineno} of {where}{line})"
    return text + "."


def student_check(check_fn: Callable) -> Callable:
    """Wrap a check function so that a crash in the answer fails it as an AssertionError."""
    from course.checking.question import NotAttempted

    @functools.wraps(check_fn)
    def checked(*args, **kwargs):
        try:
            return check_fn(*args, **kwargs)
        except (AssertionError, NotAttempted, NotImplementedError):
            raise
        except Exception as error:
            raise AssertionError(f"Your answer crashed: {describe_crash(error)}") from None

    checked.__wrapped_check__ = check_fn
    return checked
