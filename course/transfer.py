"""Transfer learning: a new classifier on a pretrained base, the Keras fine-tuning recipe, the
same network trained from scratch, and ``pretrain``, which makes the course's pretrained base.

ImageNet weights cannot be downloaded offline (and weigh 528 MB), so the course pretrains a
small VGG (``course.models.vgg.build_small_vgg``, 72,080 weights) itself on the source task of
``course.datasets.shapes`` and saves its convolutional base under data/ (the classifier is
thrown away: transfer learning replaces it); ``course pretrain`` runs ``pretrain``.
``fine_tune`` and ``train_from_scratch`` are the reference recipes notebook 04 compares at the
same labelled budget, on the target task.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from course.datasets.scenes import center_colours
from course.datasets.shapes import IMAGE_SIZE, SOURCE_CLASSES, source_data

if TYPE_CHECKING:  # pragma: no cover
    import keras

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


# --------------------------------------------------------------------------- recipes


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
    x_train: (N, 32, 32, 3) centred (``center_colours``); y_train: (N,) int. Returns the model
    and the history of both phases joined (lists of per-epoch values, HEAD_EPOCHS + TOP_EPOCHS
    long).
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
    from course.models.vgg import build_small_vgg

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

    from course.models.vgg import build_small_vgg

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    x_train, y_train = source_data(config["n_train"], config["train_seed"])
    x_test, y_test = source_data(config["n_test"], config["test_seed"])
    x_train, x_test = center_colours(x_train), center_colours(x_test)
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

    from course.models.vgg import pretrained_path

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
            "generator": "course.datasets.scenes.make_scenes",
        },
        "architecture": "course.models.vgg.build_small_vgg (classifier not saved)",
        "parameters": base.count_params(),
        "versions": {"keras": keras.__version__, "tensorflow": tf.__version__},
        "made_by": "course pretrain (course.transfer.pretrain)",
    }
    path.with_name(path.name.removesuffix(".weights.h5") + ".json").write_text(
        json.dumps(record, indent=2) + "\n"
    )
    log(f"source accuracy {accuracy:.4f} on {config['n_test']} held-out scenes; wrote {path}")
    return record
