"""Sweep: the grid detector of notebook 06 trained as the notebook trains it, over seeds.

Prints, per seed, the mAP@0.5 on the test split and on the 300 hidden scenes of the hidden test,
and the untrained model's on the test split; then min / median / max; and once the mAP of a
model that always predicts the average target grid (it learned nothing but the statistics).
Run (one core, one thread, as grading runs a kernel):
  TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 taskset -c 1 \\
    .venv/bin/python benchmarks/sweeps/detection_detector.py [seeds] [builder]
builder: "reference" (course.models.grid_detector.build_detector) or the label of an alternative
(course/alternatives/detection_generation.py).
"""

from __future__ import annotations

import sys
import time

import keras
import numpy as np

from course import datasets, detection, models

EPOCHS, BATCH_SIZE = 3, 16  # as in solutions/06-detection-and-generation
HIDDEN_SCENES = 300  # as in the hidden test of build_detector


def evaluate(model, split) -> float:
    detections = detection.grid.detect(model, split["x"])
    truths = detection.grid.truths(split["boxes"], split["labels"])
    return detection.mean_average_precision(detections, truths)


def builder(name: str):
    if name == "reference":
        return models.grid_detector.build_detector
    from course.alternatives.detection_generation import ALTERNATIVES

    namespace = {"keras": keras, "layers": keras.layers, "np": np, "models": models}
    exec(ALTERNATIVES["build_detector"][name], namespace)
    return namespace["build_detector"]


def train(build, seed: int, x: np.ndarray, targets: np.ndarray) -> tuple[keras.Model, float]:
    """The notebook's training cell: seed, build, fit. Returns the model and the fit seconds."""
    keras.utils.set_random_seed(seed)
    model = build()
    start = time.perf_counter()
    model.fit(x, targets, epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=0)
    return model, time.perf_counter() - start


def average_grid_model(targets: np.ndarray) -> keras.Model:
    """A model that ignores its image and always predicts the mean target grid."""
    grid = np.clip(targets.mean(axis=0), 1e-3, 1 - 1e-3)
    inputs = keras.Input(shape=(64, 64, 3))
    zero = keras.layers.GlobalAveragePooling2D()(keras.layers.Lambda(lambda t: t * 0.0)(inputs))
    dense = keras.layers.Dense(grid.size, kernel_initializer="zeros",
                               bias_initializer=keras.initializers.Constant(grid.ravel()))(zero)
    return keras.Model(inputs, keras.layers.Reshape(grid.shape)(dense))


def main(seeds: int = 10, name: str = "reference") -> None:
    build = builder(name)
    train_split = datasets.multi_scenes.tfds_split("train")
    test = datasets.multi_scenes.tfds_split("test")
    hidden = datasets.multi_scenes.drawn_split("hidden", HIDDEN_SCENES)
    targets = detection.grid.encode_batch(train_split["boxes"], train_split["labels"])
    print(f"{name}: {EPOCHS} epochs, batch {BATCH_SIZE}; average-grid model: test "
          f"{evaluate(average_grid_model(targets), test):.3f}", flush=True)
    rows = []
    for seed in range(seeds):
        keras.utils.set_random_seed(seed)
        untrained = evaluate(build(), test)
        model, seconds = train(build, seed, train_split["x"], targets)
        rows.append((evaluate(model, test), evaluate(model, hidden), untrained, seconds))
        print(f"seed {seed}: test {rows[-1][0]:.3f} hidden {rows[-1][1]:.3f} "
              f"untrained {untrained:.3f} fit {seconds:.1f} s", flush=True)
    values = np.array(rows)
    for i, column_name in enumerate(("test", "hidden", "untrained", "fit seconds")):
        column = values[:, i]
        print(f"{column_name:12} min {column.min():.3f} median {np.median(column):.3f} "
              f"max {column.max():.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10,
         sys.argv[2] if len(sys.argv) > 2 else "reference")
