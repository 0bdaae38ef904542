"""Sweep: notebook 06's instance segmentation (a mask head on the detector's boxes) over seeds.

Per seed, as the notebook does it: the reference detector trained (detection_detector.train),
the mask head trained on crops of 1,000 scenes; then instance F1 (matched at mask IoU > 0.5) on
the notebook's 200 test scenes, all of them and those where objects touch, for:
connected parts of the colour foreground, detector boxes + colour foreground (nearest centre),
detector boxes + the mask head (at two score thresholds), true boxes + the mask head, and the
untrained head on the detector's boxes. Then min / median / max of each.
Run (one core, one thread):
  TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 taskset -c 1 \\
    .venv/bin/python benchmarks/sweeps/instance_segmentation.py [seeds]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import keras
import numpy as np

from course import datasets, detection, metrics, models
from course import segmentation as seg

sys.path.insert(0, str(Path(__file__).parent))
from detection_detector import train as train_detector  # noqa: E402

MASK_SCENES, HEAD_EPOCHS, HEAD_BATCH = 1000, 5, 32  # as in solutions/06-detection-and-generation
TEST_SCENES = 200
THRESHOLDS = (0.2, 0.3)


def f1s(true_masks, predicted, touching) -> tuple[float, float]:
    """F1 on every scene and on the scenes where objects touch."""
    return (metrics.f1(*metrics.total_counts(true_masks, predicted)),
            metrics.f1(*metrics.total_counts(true_masks[touching], predicted[touching])))


def main(seeds: int = 10) -> None:
    train = datasets.multi_scenes.tfds_split("train")
    targets = detection.grid.encode_batch(train["boxes"], train["labels"])
    masks = datasets.multi_scenes.drawn_split("masks", MASK_SCENES)
    test = datasets.multi_scenes.drawn_split("instances", TEST_SCENES)
    truth = test["instance_masks"]
    touching = seg.touching(truth)
    foreground = seg.colour_foreground(test["images"])
    true_boxes = [(b[:k], np.ones(k), np.zeros(k, int))
                  for b, k in zip(test["boxes"], test["counts"], strict=True)]
    cc = f1s(truth, seg.connected_instances(foreground), touching)
    print(f"{touching.sum()} of {TEST_SCENES} scenes with touching objects; connected parts: "
          f"F1 {cc[0]:.3f}, touching {cc[1]:.3f}", flush=True)
    rows = []
    for seed in range(seeds):
        detector, _ = train_detector(models.grid_detector.build_detector, seed, train["x"], targets)
        keras.utils.set_random_seed(seed)
        head = models.mask_head.build_mask_head()
        x, y = seg.head_data(masks, seed=seed)
        found = {t: detection.grid.detect(detector, test["x"], score_threshold=t)
                 for t in THRESHOLDS}
        row = {"untrained head": f1s(truth, seg.segment(head, test["x"], found[0.3]), touching)}
        start = time.perf_counter()
        head.fit(x, y, epochs=HEAD_EPOCHS, batch_size=HEAD_BATCH, verbose=0)
        seconds = time.perf_counter() - start
        for t in THRESHOLDS:
            from_boxes = np.stack([seg.masks_from_boxes(f, b, s)
                                   for f, (b, s, _) in zip(foreground, found[t], strict=True)])
            row[f"boxes+colour@{t}"] = f1s(truth, from_boxes, touching)
            row[f"head@{t}"] = f1s(truth, seg.segment(head, test["x"], found[t]), touching)
        row["head, true boxes"] = f1s(truth, seg.segment(head, test["x"], true_boxes), touching)
        rows.append(row)
        print(f"seed {seed} (head fit {seconds:.1f} s, {len(x)} crops): " + "; ".join(
            f"{k} {a:.3f}/{b:.3f}" for k, (a, b) in row.items()), flush=True)
    print("F1 all scenes / touching: min median max")
    for key in rows[0]:
        values = np.array([r[key] for r in rows])
        print(f"{key:18} " + "  ".join(
            f"{np.min(v):.3f} {np.median(v):.3f} {np.max(v):.3f}" for v in values.T))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
