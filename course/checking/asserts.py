"""Building blocks of the check functions: describe a student's value, call their answer,
read it as NumPy or as one number, compare arrays. Shared by every ``course.exercises`` module
(introduced in notebook 02).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from course.checking.question import ensure_attempted


def describe(value: Any) -> str:
    """A short description of a student's value: its repr and type, or an array's shape."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{value!r} ({type(value).__name__})"


def is_int(value: Any) -> bool:
    """True for Python and NumPy integers, not for bools."""
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    """True for Python and NumPy ints and floats, not for bools."""
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def call(fn: Callable, name: str, *args: Any, **kwargs: Any) -> Any:
    """Call the student's ``fn``: NotAttempted for a placeholder, AssertionError if not callable."""
    ensure_attempted(fn, name)
    assert callable(fn), f"`{name}` should be a function, got {describe(fn)}."
    return fn(*args, **kwargs)


def signature(name: str, *args: Any, **kwargs: Any) -> str:
    """How a call reads in a message: ``name(1, 2, stride=2)``."""
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def assert_close(call_text: str, got: Any, expected: np.ndarray, what: str, tol: float = 1e-4):
    """Assert ``got`` is an array of ``expected``'s shape within ``tol``; the message shows the
    student's shape or largest difference, never the expected values."""
    got_array = np.asarray(got) if isinstance(got, np.ndarray | list) else got
    assert isinstance(got_array, np.ndarray), (
        f"{call_text} returned {describe(got)}; expected a NumPy array of shape {expected.shape}."
    )
    assert got_array.shape == expected.shape, (
        f"{call_text} returned an array of shape {got_array.shape}; {what} has shape "
        f"{expected.shape}."
    )
    error = float(np.max(np.abs(got_array - expected))) if expected.size else 0.0
    assert np.allclose(got_array, expected, rtol=tol, atol=tol), (
        f"{call_text}: the largest difference from {what} is {error:.3g} (tolerance {tol:g})."
    )


def call_answer(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` for a student's answer named after itself (``call`` with the name
    given); NotAttempted for a placeholder, AssertionError if not callable (a crash is reported
    by ``student_check``)."""
    name = getattr(fn, "__name__", "your answer")
    ensure_attempted(fn, name)
    assert callable(fn), f"expected a function, got {describe(fn)}."
    return fn(*args, **kwargs)


def to_numpy(value: Any) -> Any:
    """NumPy view of a tensor or a list (other values unchanged)."""
    if isinstance(value, np.ndarray | list | tuple):
        return np.asarray(value)
    if hasattr(value, "shape") and hasattr(value, "dtype"):  # a TensorFlow / Keras tensor
        import keras

        return keras.ops.convert_to_numpy(value)
    return value


def as_number(call: str, got: Any) -> float:
    """The student's value as a float: AssertionError unless it is one finite number."""
    value = to_numpy(got)
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
    assert ok, f"{call} returned {describe(got)}; expected one number (a float)."
    value = float(value)
    assert np.isfinite(value), f"{call} returned {value}; expected a finite number, not nan/inf."
    return value
