"""Probe: could a U-Net split touching objects by itself, in a notebook cell's budget?

The alternative to notebook 06's mask head that needs no detector: a U-Net with a third class,
the border of each object (DSB 2018's recipe), then connected parts of the objects' insides as
seeds, grown back over the foreground by a watershed. Trained on the mask head's 1,000 scenes
for 5 epochs (batch 32, Adam 3e-3), it is scored like the mask head: instance F1 at IoU 0.5 on
the notebook's 200 test scenes, all of them and those where objects touch.
Run (one core, one thread):
  TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 taskset -c 1 \\
    .venv/bin/python benchmarks/sweeps/instance_unet_probe.py [seeds]
"""

from __future__ import annotations

import sys
import time

import keras
import numpy as np
from keras import layers
from scipy import ndimage
from skimage.measure import label
from skimage.segmentation import watershed

from course import datasets, metrics, segmentation

SCENES, EPOCHS, BATCH = 1000, 5, 32


def border_targets(instance_masks: np.ndarray) -> np.ndarray:
    """(N, H, W) instance masks -> (N, H, W) classes: 0 background, 1 inside, 2 an object's pixel
    next to a pixel that is not of the same object (its border)."""
    out = (instance_masks > 0).astype(np.int64)
    for index, mask in enumerate(instance_masks):
        for ident in np.unique(mask[mask > 0]):
            obj = mask == ident
            out[index][obj & ~ndimage.binary_erosion(obj)] = 2
    return out


def build_unet(filters: int = 8) -> keras.Model:
    """notebook 01's two-level U-Net with 3 softmax outputs."""
    inputs = keras.Input(shape=(None, None, 3))
    skips, x = [], inputs
    for level in range(2):
        x = layers.Conv2D(filters * 2**level, 3, padding="same", activation="relu")(x)
        skips.append(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(filters * 4, 3, padding="same", activation="relu")(x)
    for level in reversed(range(2)):
        x = layers.Concatenate()([layers.UpSampling2D()(x), skips[level]])
        x = layers.Conv2D(filters * 2**level, 3, padding="same", activation="relu")(x)
    model = keras.Model(inputs, layers.Conv2D(3, 1, activation="softmax")(x))
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy",
                  steps_per_execution=8)
    return model


def instances_from_classes(probs: np.ndarray, min_seed: int = 4) -> np.ndarray:
    """(N, H, W, 3) class probabilities -> (N, H, W) instance masks: seeds are the connected
    insides (at least min_seed pixels), grown over the foreground by a watershed."""
    out = []
    for p in probs:
        classes = p.argmax(-1)
        seeds = label(classes == 1, connectivity=1)
        sizes = np.bincount(seeds.ravel())
        small = sizes < min_seed
        small[0] = False
        seeds[small[seeds]] = 0
        out.append(watershed(-p[..., 1], seeds, mask=classes > 0))
    return np.stack(out)


def main(seeds: int = 1) -> None:
    train = datasets.multi_scenes.drawn_split("masks", SCENES)
    test = datasets.multi_scenes.drawn_split("instances", 200)
    y = border_targets(train["instance_masks"])
    truth, touching = test["instance_masks"], segmentation.touching(test["instance_masks"])
    for seed in range(seeds):
        keras.utils.set_random_seed(seed)
        model = build_unet()
        start = time.perf_counter()
        model.fit(train["x"], y, epochs=EPOCHS, batch_size=BATCH, verbose=0)
        seconds = time.perf_counter() - start
        found = instances_from_classes(model.predict(test["x"], batch_size=256, verbose=0))
        every = metrics.f1(*metrics.total_counts(truth, found))
        close = metrics.f1(*metrics.total_counts(truth[touching], found[touching]))
        print(f"seed {seed}: fit {seconds:.1f} s, F1 {every:.3f}, touching {close:.3f}",
              flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
