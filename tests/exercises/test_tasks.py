"""Notebook 01 (tasks): what its checks add to the common grade-cell tests
(tests/exercises/test_grade_cells.py).

The four model questions are graded after training, on notebook state: the common tests run
their untrained checks (``check_build_*``, ``check_sample_digits``) against every planted
mistake, and tests/models/test_task_models.py trains the reference models against the graded
thresholds. Here: an incorrect function's feedback shows the student's value, never the
expected one.
"""

from __future__ import annotations

import numpy as np
import pytest

from course.alternatives.tasks import ALTERNATIVES
from course.checking import Outcome
from course.exercises import tasks
from course.exercises.tasks.masks import _mask_case
from course.grading.direct import DirectGrading
from course.mistakes.tasks import ASSIGNMENT, MISTAKES

NOTEBOOK = DirectGrading(ASSIGNMENT)
QUESTIONS = {q.name: q for q in (tasks.q2, tasks.q4, tasks.q7)}


def _first_expected(grade_id: str) -> str:
    """The right answer to the first visible case of a question, as the feedback would print it."""
    if grade_id == "iou":
        box_a, box_b, _ = tasks.IOU_CASES[0]
        return f"{tasks.keras_iou(box_a, box_b):.4g}"
    if grade_id == "corners_to_center":
        return str(tasks.keras_convert_boxes(tasks.BOX_CASES[0][0], "xyxy", "center_xywh"))
    rng = np.random.default_rng(0)
    y_true, y_pred = _mask_case(*tasks.MASK_CASES[0], rng)
    return f"{tasks.keras_dice(y_true, y_pred):.4g}"


@pytest.mark.parametrize(
    ("grade_id", "label"),
    [
        ("iou", "union without subtracting the intersection"),
        ("dice", "no factor 2"),
        ("corners_to_center", "forgets to halve the width (centre = x_min + w)"),
    ],
)
def test_feedback_does_not_give_the_answer_away(grade_id, label):
    """Does an incorrect answer's feedback show the student's value but not the expected one?"""
    namespace = NOTEBOOK.namespace(MISTAKES[grade_id][label])
    feedback = QUESTIONS[grade_id].evaluate(namespace[grade_id])
    assert feedback.outcome is Outcome.INCORRECT
    assert "returned" in feedback.message or "is off by" in feedback.message
    assert _first_expected(grade_id) not in feedback.message, feedback.message


STATEFUL_CHECKS = {
    "build_classifier": tasks.check_build_classifier,
    "build_localizer": tasks.check_build_localizer,
    "build_unet": tasks.check_build_unet,
    "sample_digits": tasks.check_sample_digits,
}


@pytest.mark.parametrize(
    ("grade_id", "label"),
    [(grade_id, label) for grade_id in STATEFUL_CHECKS for label in ALTERNATIVES[grade_id]],
)
def test_untrained_check_accepts_each_stateful_alternative(grade_id, label):
    """Do Sequential, functional and subclassed answers pass the untrained check?"""
    namespace = NOTEBOOK.namespace(ALTERNATIVES[grade_id][label])
    STATEFUL_CHECKS[grade_id](namespace[grade_id])


def test_pixel_accuracy_at_exactly_one_half_is_background():
    """The text says > 0.5: a probability of exactly 0.5 is background, >= 0.5 is wrong."""
    namespace = NOTEBOOK.namespace(
        MISTAKES["pixel_accuracy"][">= 0.5 instead of > 0.5 (0.5 counted as object)"]
    )
    with pytest.raises(AssertionError, match="exactly 0.5"):
        tasks.check_pixel_accuracy(namespace["pixel_accuracy"])


NO_SKIPS = [label for label in MISTAKES["build_unet"] if "skip" in label]


@pytest.mark.parametrize("seed", range(3))
def test_skip_probe_tells_unets_from_encoder_decoders(seed):
    """On several random initialisations, does every U-Net with skip connections (reference and
    alternatives) peak above the bar, and every encoder-decoder without them stay below it?"""
    import keras

    sources = {"reference": NOTEBOOK.answers["build_unet"], **ALTERNATIVES["build_unet"]}
    sources.update({label: MISTAKES["build_unet"][label] for label in NO_SKIPS})
    for label, source in sources.items():
        build = NOTEBOOK.namespace(source)["build_unet"]
        keras.utils.set_random_seed(seed)
        peak = tasks.pixel_peak(build(input_shape=(32, 32, 3)))
        if label in NO_SKIPS:
            assert peak < tasks.UNET_MIN_PEAK, (label, peak)
        else:
            assert peak >= tasks.UNET_MIN_PEAK, (label, peak)


def test_a_unet_without_skips_hears_about_skip_connections():
    """Does the untrained check fail a U-Net without skip connections, saying so?"""
    namespace = NOTEBOOK.namespace(MISTAKES["build_unet"][NO_SKIPS[0]])
    feedback = tasks.q8.evaluate(namespace["build_unet"])
    assert feedback.outcome is Outcome.INCORRECT
    assert "Skip connections are missing" in feedback.message, feedback.message
