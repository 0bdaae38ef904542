"""Where a student's answer lives, for checks that build something next to it.

In ``qN.check()`` and the tests, the answer is a function of this process. In grading, the
judge passes a ``course.judge.remote.Remote`` standing for the function in the student's
kernel: what a check builds around the answer (a ``keras.Input`` to call it on, a base model
to hand it, the seed its training starts from) must then be built in that kernel.
"""

from __future__ import annotations

from typing import Any


def _session(answer: Any):
    from course.judge.remote import session_of

    return session_of(answer)


def keras_for(answer: Any):
    """The ``keras`` module on the answer's side."""
    return module_for(answer, "keras")


def module_for(answer: Any, name: str):
    """The module ``name`` (keras..., numpy..., course...) on the answer's side."""
    session = _session(answer)
    if session is None:
        import importlib

        return importlib.import_module(name)
    return session.module(name)


def put(answer: Any, value: Any) -> Any:
    """``value`` (e.g. a Keras model) on the answer's side: itself, or a copy in the kernel."""
    session = _session(answer)
    return value if session is None else session.put(value)


def seed(answer: Any, value: int) -> None:
    """Seed Python, NumPy and the backend where the answer will train."""
    keras_for(answer).utils.set_random_seed(value)
