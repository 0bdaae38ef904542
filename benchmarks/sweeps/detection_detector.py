"""Sweep: the grid detector of notebook 06 trained as the notebook trains it, over seeds.

Prints, per seed, the mAP@0.5 on the test split and on the hidden scenes, and for reference
the untrained model's and a constant "average grid" model's; then min / median / max.
Run: nice -n 10 .venv/bin/python benchmarks/sweeps/detection_detector.py [seeds] [builder]
builder: "reference" (course.detection_models.build_detector) or the label of an alternative.
"""

from __future__ import annotations

import sys
import time

import keras
import numpy as np

from course import detection_data, detection_grid, detection_map, detection_models

EPOCHS, BATCH_SIZE = 5, 32  # as in solutions/06-detection-and-generation


def evaluate(model, split) -> float:
    detections = detection_grid.detect(model, split["x"])
    truths = detection_grid.truths(split["boxes"], split["labels"])
    return detection_map.mean_average_precision(detections, truths)


def builder(name: str):
    if name == "reference":
        return detection_models.build_detector
    from course.alternatives.detection_generation import ALTERNATIVES

    namespace = {"keras": keras, "layers": keras.layers, "np": np,
                 "detection_models": detection_models}
    exec(ALTERNATIVES["build_detector"][name], namespace)
    return namespace["build_detector"]


def main(seeds: int = 10, name: str = "reference") -> None:
    build = builder(name)
    train = detection_data.tfds_split("train")
    test = detection_data.tfds_split("test")
    hidden = detection_data.drawn_split("hidden", 500)
    targets = detection_grid.encode_batch(train["boxes"], train["labels"])
    rows = []
    for seed in range(seeds):
        keras.utils.set_random_seed(seed)
        model = build()
        untrained = evaluate(model, test)
        start = time.perf_counter()
        model.fit(train["x"], targets, epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=0)
        seconds = time.perf_counter() - start
        rows.append((evaluate(model, test), evaluate(model, hidden), untrained, seconds))
        print(f"seed {seed}: test {rows[-1][0]:.3f} hidden {rows[-1][1]:.3f} "
              f"untrained {untrained:.3f} fit {seconds:.1f} s", flush=True)
    values = np.array(rows)
    for i, name in enumerate(("test", "hidden", "untrained", "fit seconds")):
        column = values[:, i]
        print(f"{name:12} min {column.min():.3f} median {np.median(column):.3f} "
              f"max {column.max():.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10,
         sys.argv[2] if len(sys.argv) > 2 else "reference")
