"""How the skip-connection probe of ``check_build_unet`` (``tasks.pixel_peak``) separates U-Nets
from encoder-decoders without skip connections, on untrained models.

For each recipe and each random initialisation (``keras.utils.set_random_seed(seed)`` before
the student's builder, as a student's kernel would be in any state), the peak ratio at every
input size the grade cell uses, and whether ``check_build_unet`` passes. Prints a markdown
table: recipe, kind, seeds, min / median / max of the peak ratio per size, the bar, passes.

    nice -n 10 .venv/bin/python benchmarks/sweeps/unet_skip_probe.py --seeds 20
"""

from __future__ import annotations

import argparse
import contextlib
import io
import time
import warnings

import numpy as np

from course.alternatives.tasks import ALTERNATIVES
from course.exercises import tasks
from course.grading.direct import DirectGrading
from course.mistakes.tasks import MISTAKES

NOTEBOOK = DirectGrading("01-tasks")
SIZES = ((32, 32), (64, 48), (16, 16))  # the visible and hidden cases of the grade cell

ALLOWED = {
    "BatchNormalization, 5x5 kernels (probe only: below the IoU bar after 5 epochs)": """
def build_unet(input_shape=(32, 32, 3)):
    def conv(x, filters):
        x = layers.Conv2D(filters, 5, padding="same", use_bias=False)(x)
        return layers.ReLU()(layers.BatchNormalization()(x))

    inputs = keras.Input(shape=input_shape)
    s1 = conv(inputs, 8)
    s2 = conv(layers.MaxPooling2D()(s1), 16)
    x = conv(conv(layers.MaxPooling2D()(s2), 32), 32)
    x = conv(layers.Concatenate()([layers.UpSampling2D()(x), s2]), 16)
    x = conv(layers.Concatenate()([layers.UpSampling2D()(x), s1]), 8)
    model = keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid")(x))
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy")
    return model
""",
    "two 3x3 convolutions per level (the paper's blocks)": """
def build_unet(input_shape=(32, 32, 3)):
    def block(x, f):
        x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
        return layers.Conv2D(f, 3, padding="same", activation="relu")(x)
    inputs = keras.Input(shape=input_shape)
    s1 = block(inputs, 8)
    s2 = block(layers.MaxPooling2D()(s1), 16)
    x = block(layers.MaxPooling2D()(s2), 32)
    x = block(layers.Concatenate()([layers.UpSampling2D()(x), s2]), 16)
    x = block(layers.Concatenate()([layers.UpSampling2D()(x), s1]), 8)
    model = keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid")(x))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model
""",
    "three levels, wider (16, 32, 64, 128)": """
def build_unet(input_shape=(32, 32, 3)):
    inputs = keras.Input(shape=input_shape)
    x, skips = inputs, []
    for f in (16, 32, 64):
        x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
        skips.append(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(128, 3, padding="same", activation="relu")(x)
    for f, s in zip((64, 32, 16), reversed(skips)):
        x = layers.Concatenate()([layers.UpSampling2D()(x), s])
        x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
    model = keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid")(x))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model
""",
}
INFORMATIVE = {
    "only the deep skip (none at full resolution): the text asks for both": """
def build_unet(input_shape=(32, 32, 3)):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPooling2D()(x)
    s2 = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D()(s2)
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    x = layers.Concatenate()([layers.UpSampling2D()(x), s2])
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
    x = layers.UpSampling2D()(x)
    x = layers.Conv2D(8, 3, padding="same", activation="relu")(x)
    model = keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid")(x))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model
""",
    "no skips, bilinear UpSampling2D(4) straight to the output": """
def build_unet(input_shape=(32, 32, 3)):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    x = layers.UpSampling2D(4, interpolation="bilinear")(x)
    model = keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid")(x))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model
""",
}


def recipes() -> list[tuple[str, str, str]]:
    """(label, kind, source)."""
    out = [("reference solution", "allowed", NOTEBOOK.answers["build_unet"])]
    out += [(k, "allowed", v) for k, v in {**ALTERNATIVES["build_unet"], **ALLOWED}.items()]
    out += [(f"mistake: {k}", "must fail", v) for k, v in MISTAKES["build_unet"].items()
            if "skip" in k]
    out += [(k, "informative", v) for k, v in INFORMATIVE.items()]
    return out


def measure(source: str, seed: int) -> tuple[list[float], bool]:
    import keras

    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build = NOTEBOOK.namespace(source)["build_unet"]
        peaks = []
        for height, width in SIZES:
            keras.utils.set_random_seed(seed)
            peaks.append(tasks.pixel_peak(build(input_shape=(height, width, 3)), (height, width)))
        keras.utils.set_random_seed(seed)
        try:
            tasks.check_build_unet(build, cases=[(32, 32, 3), *((h, w, 3) for h, w in SIZES[1:])])
            passed = True
        except AssertionError:
            passed = False
    keras.backend.clear_session()
    return peaks, passed


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    head = " | ".join(f"peak {h}x{w} min / median / max" for h, w in SIZES)
    print(f"| recipe | kind | seeds | {head} | bar | check passed |")
    print("|---|---|---|" + "---|" * len(SIZES) + "---|---|")
    for label, kind, source in recipes():
        runs = [measure(source, seed) for seed in range(args.seeds)]
        peaks = np.array([r[0] for r in runs])
        cells = " | ".join(
            f"{peaks[:, k].min():.2f} / {np.median(peaks[:, k]):.2f} / {peaks[:, k].max():.2f}"
            for k in range(len(SIZES)))
        passed = sum(r[1] for r in runs)
        print(f"| {label} | {kind} | {args.seeds} | {cells} | {tasks.UNET_MIN_PEAK} "
              f"| {passed}/{args.seeds} |", flush=True)
    print(f"\n{time.perf_counter() - start:.0f} s in all.")


if __name__ == "__main__":
    main()
