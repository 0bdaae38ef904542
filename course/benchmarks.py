"""Measuring networks on this CPU: several seeds with one budget, and time per call.

``SeedTrainer`` trains one network once per seed from fresh weights (the plain vs residual
comparison of notebook 05); ``seconds_per_call`` and ``measure_application`` time models, the
latter a ``keras.applications`` model against its published depth and ImageNet accuracy
(``PUBLISHED_TOP1``, ``PUBLISHED_DEPTH``). Used by notebook 05 (architectures).

Imports Keras (and so TensorFlow) on first use, not at import.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import keras

#: Published ImageNet top-1 accuracy (single centre crop) of Keras's pretrained weights.
#: Source: the "Available models" table of https://keras.io/api/applications/
PUBLISHED_TOP1: dict[str, float] = {
    "VGG16": 0.713,
    "VGG19": 0.713,
    "ResNet50": 0.749,
    "MobileNetV2": 0.713,
    "EfficientNetB0": 0.771,
}

#: "Depth" column of the same table ("topological depth", though VGG16 gets its 16 weight layers).
PUBLISHED_DEPTH: dict[str, int] = {
    "VGG16": 16,
    "VGG19": 19,
    "ResNet50": 107,
    "MobileNetV2": 105,
    "EfficientNetB0": 132,
}


class SeedTrainer:
    """Trains one network several times, one seed at a time, with the same budget each time.

    build: makes the (uncompiled) network; train, validation: (x, y) pairs. SGD with momentum
    0.9, sparse categorical cross-entropy, accuracy. For each seed, Keras's global seed is
    set, the weights are freshly initialised (``build()`` under that seed) and the data are
    shuffled in the order that seed gives, so two networks trained with the same seeds see
    the same batches. The model is compiled, and its training and validation steps traced by
    TensorFlow, only once (``prepare``): each seed then loads fresh weights into it and resets
    the optimizer's state. ``histories`` holds one ``History.history`` dict per seed (loss,
    accuracy, val_loss, val_accuracy, one value per epoch).
    """

    def __init__(
        self,
        build: Callable[[], keras.Model],
        train: tuple[np.ndarray, np.ndarray],
        validation: tuple[np.ndarray, np.ndarray],
        epochs: int = 4,
        batch_size: int = 64,
        learning_rate: float = 0.05,
    ) -> None:
        self.build, self.train, self.validation = build, train, validation
        self.epochs, self.batch_size, self.learning_rate = epochs, batch_size, learning_rate
        self.model: keras.Model | None = None
        self.histories: list[dict[str, list[float]]] = []
        self._start: dict[str, Any] = {}

    def prepare(self) -> None:
        """Build and compile the network, and trace its steps on a few batches (a few seconds).

        This is the slow part of a first ``fit``; later fits only train. Does nothing if done.
        """
        import keras

        if self.model is not None:
            return
        began = time.perf_counter()
        self.model = self.build()
        # A metric object and a built optimizer create their variables now: TensorFlow then
        # traces the training step once, not twice (half the start-up time).
        self.model.compile(
            optimizer=keras.optimizers.SGD(self.learning_rate, momentum=0.9),
            loss="sparse_categorical_crossentropy",
            metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
        )
        self.model.optimizer.build(self.model.trainable_variables)
        self.model.optimizer.save_own_variables(self._start)
        few = slice(0, 2 * self.batch_size + 1)  # a partial batch, as in the real epochs
        (x, y), (x_val, y_val) = self.train, self.validation
        self.model.fit(
            x[few],
            y[few],
            validation_data=(x_val[few], y_val[few]),
            batch_size=self.batch_size,
            verbose=0,
        )
        print(f"{self.model.name}: compiled and traced in {time.perf_counter() - began:.1f} s")

    def fit(self, *seeds: int) -> None:
        """Train once per seed from fresh weights; append each history and print a summary."""
        import keras

        self.prepare()
        for seed in seeds:
            keras.utils.set_random_seed(seed)
            self.model.set_weights(self.build().get_weights())
            self.model.optimizer.load_own_variables(self._start)
            keras.utils.set_random_seed(seed)
            began = time.perf_counter()
            history = self.model.fit(
                *self.train,
                validation_data=self.validation,
                epochs=self.epochs,
                batch_size=self.batch_size,
                verbose=0,
            ).history
            self.histories.append(history)
            print(
                f"{self.model.name} seed {seed}: training loss per epoch "
                + " ".join(f"{v:.2f}" for v in history["loss"])
                + f" | validation accuracy {history['val_accuracy'][-1]:.3f}"
                + f" ({time.perf_counter() - began:.1f} s)"
            )


def seconds_per_call(fn: Callable[[], Any], repeats: int = 3, warmup: int = 1) -> float:
    """Best wall-clock time of ``fn()`` over ``repeats`` calls, after ``warmup`` untimed calls.

    The minimum is the least disturbed by other programs sharing the CPU.
    """
    for _ in range(warmup):
        fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def weight_layers(model: keras.Model) -> int:
    """Number of layers with a kernel (convolutions and dense layers) in ``model``."""
    return sum(1 for layer in model.layers if any("kernel" in w.path for w in layer.weights))


def measure_application(
    name: str, model: keras.Model, batch_size: int = 1, repeats: int = 3, seed: int = 0
) -> dict[str, Any]:
    """Count and time a ``keras.applications`` model built at 224x224 (e.g. with weights=None).

    name: its name in ``PUBLISHED_TOP1`` ("VGG16", "ResNet50", ...). Returns a row: name,
    parameters, number of Keras layers, weight layers (conv and dense), measured seconds per
    image and the published top-1 accuracy and depth (``PUBLISHED_TOP1``, ``PUBLISHED_DEPTH``).
    The time is the best of ``repeats`` calls of ``model.predict_on_batch`` on ``batch_size``
    random images: a compiled TensorFlow graph, whose first call (tracing it) is not timed.
    (Eager calls, ``model(x)``, would mostly time Python's per-layer overhead.)
    """
    images = np.random.default_rng(seed).uniform(0, 255, (batch_size, 224, 224, 3))
    images = images.astype("float32")
    seconds = seconds_per_call(lambda: model.predict_on_batch(images), repeats=repeats)
    return {
        "model": name,
        "parameters": model.count_params(),
        "keras layers": len(model.layers),
        "weight layers": weight_layers(model),
        "seconds per image": seconds / batch_size,
        "published depth": PUBLISHED_DEPTH.get(name),
        "published top-1": PUBLISHED_TOP1.get(name),
    }
