"""course.benchmarks: the seed trainer and the timing helpers."""

from __future__ import annotations

import keras
import numpy as np

from course import benchmarks
from course.models import classic


def test_seed_trainer_reuses_one_model_with_fresh_weights():
    """Does SeedTrainer give the same run for the same seed, even after another seed's run?"""
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(64, 8, 8, 1)).astype("float32")
    y = rng.integers(0, 10, size=64)

    def build():
        return classic.small_resnet(blocks_per_stage=1, widths=(4,))

    trainer = benchmarks.SeedTrainer(build, (x, y), (x[:16], y[:16]), epochs=2, batch_size=32)
    trainer.fit(0, 1, 0)
    first, other, again = trainer.histories
    assert set(first) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(first["loss"]) == 2
    np.testing.assert_allclose(first["loss"], again["loss"], rtol=1e-5)
    assert not np.allclose(first["loss"], other["loss"])


def test_measure_application_counts_and_times():
    """Does measure_application report Keras's count, the published numbers and a time?"""
    model = keras.applications.MobileNetV2(weights=None)
    row = benchmarks.measure_application("MobileNetV2", model, repeats=1)
    assert row["parameters"] == 3_538_984
    assert row["published top-1"] == 0.713 and row["published depth"] == 105
    assert row["weight layers"] == 53
    assert 0 < row["seconds per image"] < 30


def test_published_numbers_cover_the_five_models():
    """Do the published tables hold the five compared models, with the documented accuracies?"""
    assert benchmarks.PUBLISHED_TOP1 == {
        "VGG16": 0.713,
        "VGG19": 0.713,
        "ResNet50": 0.749,
        "MobileNetV2": 0.713,
        "EfficientNetB0": 0.771,
    }
    assert set(benchmarks.PUBLISHED_DEPTH) == set(benchmarks.PUBLISHED_TOP1)


def test_seconds_per_call_keeps_the_best_time():
    """Does seconds_per_call run the warm-up and the repeats, and return a small positive time?"""
    calls = []
    seconds = benchmarks.seconds_per_call(lambda: calls.append(1), repeats=3, warmup=2)
    assert len(calls) == 5
    assert 0 <= seconds < 0.1
