"""The course's own pretrained network and the two tasks it transfers between (notebook 04).

ImageNet weights cannot be downloaded offline (and weigh 528 MB), so the course pretrains a
small VGG (``course.models.build_small_vgg``, 72,080 weights) itself:

- **source task**: the course's synthetic scenes (``course.scenes``), 32x32 pixels, one
  circle, square or triangle per image; thousands of labelled images;
- **target task**: four *new* shapes (ring, cross, diamond, x) drawn the same way (random
  colours, position and size, noise) but larger; only a few labelled images per class.

``pretrain`` trains the network on the source task deterministically and saves its
convolutional base (the classifier is thrown away: transfer learning replaces it);
``course pretrain`` runs it. ``fine_tune`` and ``train_from_scratch`` are the reference
recipes the notebook compares at the same labelled budget.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from course import scenes

if TYPE_CHECKING:  # pragma: no cover
    import keras

IMAGE_SIZE = 32
"""Side of every image of both tasks, in pixels."""

SOURCE_CLASSES: tuple[str, ...] = scenes.CLASS_NAMES
"""The source task's classes: ("circle", "square", "triangle")."""

TARGET_CLASSES: tuple[str, ...] = ("ring", "cross", "diamond", "x")
"""The target task's classes: shapes the pretrained network has never seen."""

TARGET_SIDE = (0.4, 0.8)
"""Target shapes' side, as a fraction of the image side (source scenes use 0.2 to 0.5)."""

#: How ``pretrain`` trains by default (``course pretrain``): the shipped weights.
PRETRAIN_CONFIG: dict[str, Any] = {
    "n_train": 6000,
    "n_test": 1000,
    "epochs": 8,
    "batch_size": 32,
    "learning_rate": 1e-3,
    "train_seed": 100,
    "test_seed": 101,
}
#: A reduced run the tests repeat (seconds, not minutes); its accuracy is recorded too.
QUICK_CONFIG: dict[str, Any] = {**PRETRAIN_CONFIG, "n_train": 2000, "n_test": 500, "epochs": 2}

PRETRAIN_THREADS = 2
"""TensorFlow's intra-op threads while pretraining: results depend on it, so it is fixed."""

ACCURACY_TOLERANCE = {"full": 0.01, "quick": 0.03}
"""How far a re-run's source accuracy may be from the recorded one. With the same CPU, thread
count and library versions the weights are reproduced bit for bit; other CPUs round float32
sums differently (1 thread instead of 2 moved the quick run's accuracy by 0.008)."""

#: The reference fine-tuning recipe (``fine_tune``): head first, then the top block.
HEAD_EPOCHS, HEAD_LEARNING_RATE = 10, 1e-2
TOP_EPOCHS, TOP_LEARNING_RATE = 10, 1e-3
BATCH_SIZE = 16


# --------------------------------------------------------------------------- data


def preprocess_input(images: np.ndarray) -> np.ndarray:
    """Centre each image: subtract its own mean colour, as the base was trained.

    The course's counterpart of ``keras.applications.vgg16.preprocess_input`` (which subtracts
    ImageNet's mean colour). images: (N, H, W, 3) float in [0, 1] -> (N, H, W, 3) float32.
    """
    images = np.asarray(images, dtype=np.float32)
    return images - images.mean(axis=(1, 2), keepdims=True)


def source_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n source-task scenes: images (n, 32, 32, 3) float32 in [0, 1], labels (n,) int64
    indexing ``SOURCE_CLASSES``."""
    data = scenes.make_scenes(n, seed=seed, size=IMAGE_SIZE)
    return data["images"], data["labels"]


@functools.cache
def _target_template(label: int, side: int) -> np.ndarray:
    """(side, side) bool: the pixels of target shape ``label`` drawn in a side x side square."""
    c = np.arange(side) + 0.5 - side / 2
    u, v = c[None, :], c[:, None]  # column and row offsets from the centre
    r = side / 2
    name = TARGET_CLASSES[label]
    if name == "ring":
        inside = (u**2 + v**2 <= r**2) & (u**2 + v**2 >= (0.55 * r) ** 2)
    elif name == "cross":
        inside = (np.abs(u) <= r / 3) | (np.abs(v) <= r / 3)
    elif name == "diamond":
        inside = np.abs(u) + np.abs(v) <= r
    else:  # "x", the cross turned by 45 degrees
        inside = (np.abs(u - v) <= r / 2.5) | (np.abs(u + v) <= r / 2.5)
    inside.setflags(write=False)
    return inside


def _contrasting_colour(rng: np.random.Generator, background: np.ndarray) -> np.ndarray:
    for _ in range(20):
        colour = rng.uniform(0.0, 1.0, 3)
        if ((colour - background) ** 2).sum() >= 0.5**2:
            return colour
    return (background < 0.5).astype(np.float64)


def target_shapes(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n target-task images, each one shape of ``TARGET_CLASSES`` of random colour, side
    (``TARGET_SIDE``) and position on a random background, with ``scenes.NOISE`` noise.

    Returns images (n, 32, 32, 3) float32 in [0, 1] and labels (n,) int64 (class drawn
    uniformly). The same seed always gives the same arrays.
    """
    rng = np.random.default_rng(seed)
    size = IMAGE_SIZE
    lo, hi = (round(f * size) for f in TARGET_SIDE)
    images = np.empty((n, size, size, 3), dtype=np.float32)
    labels = rng.integers(len(TARGET_CLASSES), size=n)
    for i, label in enumerate(labels):
        background = rng.uniform(0.0, 1.0, 3)
        colour = _contrasting_colour(rng, background)
        side = int(rng.integers(lo, hi + 1))
        x, y = (int(v) for v in rng.integers(0, size - side + 1, size=2))
        images[i] = background
        images[i, y : y + side, x : x + side][_target_template(int(label), side)] = colour
        images[i] += rng.uniform(-scenes.NOISE, scenes.NOISE, (size, size, 3))
    np.clip(images, 0.0, 1.0, out=images)
    return images, labels.astype(np.int64)


def target_data(
    n_per_class: int = 10, seed: int = 0, n_test: int = 800, test_seed: int = 10_000
) -> dict[str, np.ndarray]:
    """The target task's small labelled budget and a held-out test set.

    x_train: (n_per_class * 4, 32, 32, 3) float32 in [0, 1], exactly n_per_class images of each
    class (drawn with ``seed``); y_train: (n_per_class * 4,) int64. x_test, y_test: ``n_test``
    images from ``test_seed`` (a separate stream: never the same images as the training ones
    for seeds below 10,000).
    """
    k = len(TARGET_CLASSES)
    images, labels = target_shapes(8 * n_per_class * k, seed)
    index = np.concatenate([np.flatnonzero(labels == c)[:n_per_class] for c in range(k)])
    if len(index) < n_per_class * k:  # pragma: no cover - 8x oversampling suffices
        raise RuntimeError("not enough images of each class were drawn")
    index = np.sort(index)
    x_test, y_test = target_shapes(n_test, test_seed)
    return {
        "x_train": images[index],
        "y_train": labels[index],
        "x_test": x_test,
        "y_test": y_test,
    }


# --------------------------------------------------------------------------- models


def add_classifier(base: keras.Model, num_classes: int) -> keras.Model:
    """A new classifier on a convolutional base: Flatten, then Dense(num_classes, softmax).

    The base is called with ``training=False`` (inference mode for BatchNormalization and
    Dropout, whether or not it is frozen). (N, H, W, C) -> (N, num_classes) probabilities.
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=base.input_shape[1:])
    x = base(inputs, training=False)
    x = layers.Flatten(name="flatten")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name=f"{base.name}_classifier")


def _compile(model: keras.Model, learning_rate: float) -> None:
    import keras

    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )


def fine_tune(
    base: keras.Model,
    x_train: np.ndarray,
    y_train: np.ndarray,
    num_classes: int,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    verbose: int = 0,
) -> tuple[keras.Model, dict[str, list[float]]]:
    """The Keras transfer-learning recipe, on a pretrained ``base`` (modified in place).

    1. freeze the base, add a new classifier (base called with training=False), compile and
       train the head (``HEAD_EPOCHS`` at ``HEAD_LEARNING_RATE``);
    2. unfreeze the top block, recompile with a 10x lower learning rate, train again
       (``TOP_EPOCHS``).
    x_train: (N, 32, 32, 3) preprocessed; y_train: (N,) int. Returns the model and the history
    of both phases joined (lists of per-epoch values, HEAD_EPOCHS + TOP_EPOCHS long).
    """
    base.trainable = False
    model = add_classifier(base, num_classes)
    _compile(model, HEAD_LEARNING_RATE)
    fit = {"batch_size": BATCH_SIZE, "validation_data": validation_data, "verbose": verbose}
    head = model.fit(x_train, y_train, epochs=HEAD_EPOCHS, **fit)

    top = max(int(layer.name[5]) for layer in base.layers if layer.name.startswith("block"))
    base.trainable = True
    for layer in base.layers:
        layer.trainable = layer.name.startswith(f"block{top}_")
    _compile(model, TOP_LEARNING_RATE)  # after every change of `trainable`
    tuned = model.fit(x_train, y_train, epochs=TOP_EPOCHS, **fit)
    history = {k: head.history[k] + tuned.history[k] for k in head.history}
    return model, history


def train_from_scratch(
    x_train: np.ndarray,
    y_train: np.ndarray,
    num_classes: int,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    learning_rate: float = 1e-3,
    verbose: int = 0,
) -> tuple[keras.Model, dict[str, list[float]]]:
    """The same architecture, randomly initialised and all trainable, for the same number of
    epochs as ``fine_tune`` (Adam). Returns the model and its history."""
    from course.models import build_small_vgg

    model = add_classifier(build_small_vgg(), num_classes)
    _compile(model, learning_rate)
    history = model.fit(
        x_train,
        y_train,
        epochs=HEAD_EPOCHS + TOP_EPOCHS,
        batch_size=BATCH_SIZE,
        validation_data=validation_data,
        verbose=verbose,
    )
    return model, history.history


# --------------------------------------------------------------------------- pretraining


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def weights_digest(model: keras.Model) -> str:
    """SHA-256 of a model's weight values (float32 bytes, in order): compares two trainings
    without depending on how the HDF5 file was written."""
    digest = hashlib.sha256()
    for weight in model.get_weights():
        digest.update(np.ascontiguousarray(weight, dtype=np.float32).tobytes())
    return digest.hexdigest()


def _train_source(config: dict[str, Any], seed: int, log: Callable[[str], None]):
    import keras
    import tensorflow as tf

    from course.models import build_small_vgg

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    x_train, y_train = source_data(config["n_train"], config["train_seed"])
    x_test, y_test = source_data(config["n_test"], config["test_seed"])
    x_train, x_test = preprocess_input(x_train), preprocess_input(x_test)
    base = build_small_vgg()
    model = add_classifier(base, len(SOURCE_CLASSES))
    _compile(model, config["learning_rate"])
    log(
        f"pretraining on {len(x_train)} scenes of {', '.join(SOURCE_CLASSES)} "
        f"({config['epochs']} epochs) ..."
    )
    model.fit(
        x_train,
        y_train,
        epochs=config["epochs"],
        batch_size=config["batch_size"],
        verbose=2 if log is print else 0,
    )
    accuracy = float(model.evaluate(x_test, y_test, verbose=0, batch_size=256)[1])
    return base, accuracy


def pretrain(
    output_path: str | os.PathLike | None = None,
    seed: int = 0,
    config: dict[str, Any] | None = None,
    log: Callable[[str], None] = print,
    quick_run: bool | None = None,
) -> dict[str, Any]:
    """Train the small VGG on the source task, deterministically, and save its base.

    output_path: the ``.weights.h5`` file to write (default: the course's data/ file);
    a JSON record is written next to it (same name, ``.json``). config: ``PRETRAIN_CONFIG``
    (default) or e.g. ``QUICK_CONFIG``. quick_run: also run ``QUICK_CONFIG`` and record its
    accuracy, for the tests to repeat (default: only with the default config).
    Returns the record: {"source_accuracy": accuracy on held-out scenes, "sha256": of the
    weights file, "seconds": training time, ...}.
    Calls ``tf.config.experimental.enable_op_determinism()``, which lasts for the process.
    """
    import keras
    import tensorflow as tf

    from course.models import pretrained_path

    quick_run = config is None if quick_run is None else quick_run
    config = dict(PRETRAIN_CONFIG if config is None else config)
    path = Path(output_path) if output_path is not None else pretrained_path()
    if not path.name.endswith(".weights.h5"):
        raise ValueError(f"the weights file must end in .weights.h5 (Keras), got {path.name}.")
    try:  # only possible before TensorFlow's first operation in this process
        tf.config.threading.set_intra_op_parallelism_threads(PRETRAIN_THREADS)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        log("TensorFlow already running: thread counts not fixed (results may differ slightly)")
    start = time.perf_counter()
    base, accuracy = _train_source(config, seed, log)
    seconds = time.perf_counter() - start
    quick = None
    if quick_run:
        log("and the reduced run the tests repeat ...")
        _, quick_accuracy = _train_source(QUICK_CONFIG, seed, log)
        quick = {"config": QUICK_CONFIG, "source_accuracy": quick_accuracy}
    path.parent.mkdir(parents=True, exist_ok=True)
    base.save_weights(path)
    record = {
        "file": path.name,
        "sha256": _sha256(path),
        "weights_sha256": weights_digest(base),
        "source_accuracy": accuracy,
        "seconds": round(seconds, 1),
        "seed": seed,
        "config": config,
        "threads": PRETRAIN_THREADS,
        "quick_run": quick,
        "task": {
            "source_classes": list(SOURCE_CLASSES),
            "image_size": IMAGE_SIZE,
            "generator": "course.scenes.make_scenes",
        },
        "architecture": "course.models.build_small_vgg (classifier not saved)",
        "parameters": base.count_params(),
        "versions": {"keras": keras.__version__, "tensorflow": tf.__version__},
        "made_by": "course pretrain (course.pretrained.pretrain)",
    }
    path.with_name(path.name.removesuffix(".weights.h5") + ".json").write_text(
        json.dumps(record, indent=2) + "\n"
    )
    log(f"source accuracy {accuracy:.4f} on {config['n_test']} held-out scenes; wrote {path}")
    return record


# --------------------------------------------------------------------------- online or not


def online(host: str = "storage.googleapis.com", port: int = 443, timeout: float = 1.0) -> bool:
    """Whether a TCP connection to host:port opens within about ``timeout`` seconds.

    Name resolution runs in a thread, so this returns in at most timeout + 0.5 s even where
    DNS hangs. Used by the optional ImageNet cells before keras tries to download anything.
    """
    opened: list[bool] = []

    def probe() -> None:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            opened.append(True)
        except OSError:
            pass

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout + 0.5)
    return bool(opened)
