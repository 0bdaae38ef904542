"""Notebook 06 (detection and generation): what its checks add to the common grade-cell tests
(tests/exercises/test_grade_cells.py).

build_detector and build_generator are graded on the models the notebook trains: the common
tests run their untrained checks on every planted mistake and alternative; here the reference
models, trained exactly as the notebook trains them (data, epochs, seed), pass the graded
thresholds, and untrained or constant models fail them (benchmarks/sweeps/ gives the spread
over 10 seeds). Also: messages never give the expected value away.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from course import datasets, detection, models
from course.checking import Outcome
from course.exercises import detection_generation as checks
from course.grading.direct import DirectGrading
from course.mistakes.detection_generation import ASSIGNMENT, MISTAKES
from course.models import gan

NOTEBOOK = DirectGrading(ASSIGNMENT)
SEED = 0


@pytest.fixture(scope="module")
def scenes_split():
    return datasets.multi_scenes.tfds_split("train"), datasets.multi_scenes.tfds_split("test")


def _constant_grid_model(grid: np.ndarray) -> keras.Model:
    """A model that ignores its image and always predicts ``grid`` (S, S, 5 + C)."""
    inputs = keras.Input(shape=(64, 64, 3))
    zero = keras.layers.GlobalAveragePooling2D()(keras.layers.Lambda(lambda t: t * 0.0)(inputs))
    dense = keras.layers.Dense(grid.size, kernel_initializer="zeros",
                               bias_initializer=keras.initializers.Constant(grid.ravel()))(zero)
    return keras.Model(inputs, keras.layers.Reshape(grid.shape)(dense))


def test_reference_detector_passes_and_learned_nothing_fails(scenes_split):
    """Does the reference detector, trained as in the notebook, pass mAP@0.5 >= the bar, while
    an untrained one and one that always predicts the average target grid fail?"""
    train, test = scenes_split
    targets = detection.grid.encode_batch(train["boxes"], train["labels"])
    keras.utils.set_random_seed(SEED)
    untrained = models.grid_detector.build_detector()
    with pytest.raises(AssertionError, match="mAP@0.5"):
        checks.check_detector_map(untrained, test["x"], test["boxes"], test["labels"])
    average = np.clip(targets.mean(axis=0), 1e-3, 1 - 1e-3)
    with pytest.raises(AssertionError, match="mAP@0.5"):
        checks.check_detector_map(_constant_grid_model(average), test["x"], test["boxes"],
                                  test["labels"])
    keras.utils.set_random_seed(SEED)
    model = models.grid_detector.build_detector()
    model.fit(train["x"], targets, epochs=3, batch_size=16, verbose=0)  # the notebook's recipe
    value = checks.check_detector_map(model, test["x"], test["boxes"], test["labels"])
    assert value >= checks.DETECTOR_MIN_MAP


def test_reference_gan_passes_and_untrained_generator_fails():
    """Do the trained reference generator's samples pass notebook 01's VAE checks, and the
    untrained generator's fail them?"""
    x, y, _, _ = datasets.digits()
    keras.utils.set_random_seed(SEED)
    generator = gan.build_generator()
    with pytest.raises(AssertionError, match="look like real digits"):
        checks.check_gan_samples(generator, gan.LATENT_DIM, x, y)
    model = gan.GAN(generator, gan.build_discriminator(), seed=SEED)
    model.compile(d_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5),
                  g_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5), steps_per_execution=16)
    done = 0
    for until in (10, 40, 70, 100):  # the notebook's three training cells
        model.fit(x, epochs=until, initial_epoch=done, batch_size=64, verbose=0)
        done = until
    measures = checks.check_gan_samples(generator, gan.LATENT_DIM, x, y)
    assert measures["precision"] >= 0.6 and measures["digits"] >= 6


def test_the_check_of_a_missing_model_says_run_the_training_cell():
    """Is a detector that was never built (None) reported, not crashed on?"""
    with pytest.raises(AssertionError, match="keras.Model"):
        checks.check_detector_map(None, np.zeros((1, 64, 64, 3)), np.zeros((1, 4, 4)),
                                  -np.ones((1, 4), int))


@pytest.mark.parametrize(
    ("grade_id", "label"),
    [
        ("encode_targets", "w, h in pixels"),
        ("decode_grid", "returns the centre form (cx, cy, w, h)"),
        ("discriminator_loss", "forgets the fake images' term"),
        ("match_instances", "false positives and false negatives swapped"),
    ],
)
def test_feedback_does_not_give_the_answer_away(grade_id, label):
    """Does an incorrect answer's feedback name what is wrong without the expected values?"""
    namespace = NOTEBOOK.namespace(MISTAKES[grade_id][label])
    question = {q.name: q for q in (checks.q1, checks.q2, checks.q4, checks.q7)}[grade_id]
    feedback = question.evaluate(namespace[grade_id])
    assert feedback.outcome is Outcome.INCORRECT
    if grade_id == "discriminator_loss":
        real, fake = checks.gan._scores(0, 8), checks.gan._scores(100, 8)
        expected = checks.keras_bce(1.0, real) + checks.keras_bce(0.0, fake)
        assert f"{expected:.4f}" not in feedback.message
    if grade_id == "match_instances":
        assert "(0, 1, 2)" not in feedback.message  # the merged case's right answer
    if grade_id in ("encode_targets", "decode_grid"):
        assert "differ" in feedback.message and "[" not in feedback.message.split("differ")[1]


def test_instance_matching_at_exactly_one_half_is_not_a_match():
    """The text says above 0.5: the >= mistake fails the visible merged case (a prediction over
    two touching halves has IoU exactly 0.5 with each) and the hidden half-covered case."""
    mistake = MISTAKES["match_instances"]["IoU >= the threshold, not above it"]
    namespace = NOTEBOOK.namespace(mistake)
    with pytest.raises(AssertionError, match="predicted as one"):
        checks.check_match_instances(namespace["match_instances"])
    hidden = [case for case in checks.match_hidden_cases() if "exactly 0.5" in case[-1]]
    with pytest.raises(AssertionError, match="exactly 0.5"):
        checks.check_match_instances(namespace["match_instances"], hidden)
