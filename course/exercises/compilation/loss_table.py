"""Notebook 03's loss-per-task check: the slide's table of which loss fits which task."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from course.checking.asserts import call as _call
from course.checking.asserts import describe as _describe
from course.checking.crashes import student_check

LOSS_NAMES: tuple[str, ...] = (
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "binary_crossentropy",
    "mean_squared_error",
    "huber",
    "iou",
    "dice",
    "adversarial",
)
"""The names a student may use: Keras's identifiers, plus "iou" (1 - IoU of boxes) and
"adversarial" (a GAN's discriminator-based loss), which have no Keras identifier."""

TASKS: tuple[str, ...] = (
    "classification",
    "detection",
    "generation",
    "semantic segmentation",
    "instance segmentation",
)


def slide_losses(task: str, one_hot: bool = False) -> frozenset[str]:
    """The slide's losses for one of TASKS; the cross-entropy is categorical for one-hot labels
    and sparse for integer labels."""
    ce = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"
    table = {
        "classification": {ce},
        "detection": {"iou", "huber"},
        "generation": {"adversarial", "mean_squared_error"},
        "semantic segmentation": {ce, "dice"},
        "instance segmentation": {ce, "huber", "binary_crossentropy", "dice"},
    }
    return frozenset(table[task])


LOSSES_FOR_CASES: tuple[tuple[str, str, bool], ...] = tuple(
    (task, task, False) for task in TASKS
) + (("classification", "classification", True),)
"""(canonical task, task as written, one_hot)."""


@student_check
def check_losses_for(fn: Callable, cases: Iterable = LOSSES_FOR_CASES) -> None:
    """Compare the set ``fn(task, one_hot=...)`` with the slide's table (see slide_losses)."""
    for task, written, one_hot in cases:
        call = f"losses_for({written!r}, one_hot={one_hot})"
        got = _call(fn, "losses_for", written, one_hot=one_hot)
        assert isinstance(got, list | tuple | set | frozenset) and all(
            isinstance(name, str) for name in got
        ), f"{call} returned {_describe(got)}; expected a list of loss names (strings)."
        unknown = sorted(set(got) - set(LOSS_NAMES))
        assert not unknown, (
            f"{call} returned {sorted(got)}: {unknown} not among the names to use, "
            f"{list(LOSS_NAMES)}."
        )
        expected = slide_losses(task, one_hot)
        missing, extra = len(expected - set(got)), len(set(got) - expected)
        assert not missing and not extra, (
            f"{call} returned {sorted(got)}: {missing} of the slide's losses for {task} "
            f"missing, {extra} not on the slide for {task}."
        )
        assert len(got) == len(set(got)), f"{call} returned {list(got)}: a name appears twice."
