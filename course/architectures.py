"""Reference builders and measurements of notebook 05, architectures, in Keras 3.

LeNet-5, the Inception module, the ResNet basic block and the plain / residual
networks compared in the notebook, the EfficientNet family's coefficients, and
small helpers to time a model on the CPU. The checks of the notebook
(``course.exercises.architectures``) take their ground truth from these builders,
made of Keras layers, and from Keras's own ``count_params()`` and output shapes.

Imports Keras (and so TensorFlow) on first use of a builder, not at import.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import keras

#: The six filter counts of an Inception module, in the order of the GoogLeNet paper's table:
#: (#1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj).
InceptionFilters = tuple[int, int, int, int, int, int]

#: GoogLeNet's first Inception module, "inception (3a)", on a 28x28x192 input.
INCEPTION_3A: InceptionFilters = (64, 96, 128, 16, 32, 32)

#: EfficientNet B0..B7 as keras.applications builds them: (width, depth, resolution).
#: Width and depth multiply B0's channels and layers; resolution is the default input side.
EFFICIENTNET_VARIANTS: dict[str, tuple[float, float, int]] = {
    "EfficientNetB0": (1.0, 1.0, 224),
    "EfficientNetB1": (1.0, 1.1, 240),
    "EfficientNetB2": (1.1, 1.2, 260),
    "EfficientNetB3": (1.2, 1.4, 300),
    "EfficientNetB4": (1.4, 1.8, 380),
    "EfficientNetB5": (1.6, 2.2, 456),
    "EfficientNetB6": (1.8, 2.6, 528),
    "EfficientNetB7": (2.0, 3.1, 600),
}

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


# --- data ------------------------------------------------------------------------


def load_digits_images(size: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1,797 handwritten digits (8x8, values 0..16) as images, offline.

    size: 8 keeps the original 8x8 pixels; 32 resizes them to 28x28 (bilinear) and pads
    2 pixels of zeros on each side, as MNIST's 28x28 digits were padded for LeNet-5.
    Returns x: (1797, size, size, 1) float32 in [0, 1] and y: (1797,) int64 labels 0..9.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = (digits.images / 16.0).astype("float32")
    if size == 32:
        from skimage.transform import resize

        images = resize(images, (len(images), 28, 28), order=1, anti_aliasing=False)
        images = np.pad(images, ((0, 0), (2, 2), (2, 2))).astype("float32")
    elif size != 8:
        raise ValueError(f"size must be 8 (original) or 32 (LeNet-5's input), got {size!r}.")
    return images[..., None], digits.target.astype("int64")


# --- LeNet-5 -----------------------------------------------------------------------


def lenet5(input_shape: tuple[int, int, int] = (32, 32, 1), num_classes: int = 10) -> keras.Model:
    """LeNet-5 (LeCun et al., 1998) in its common modern form, randomly initialised.

    C1 Conv 6@5x5 tanh -> S2 AvgPool 2 -> C3 Conv 16@5x5 tanh -> S4 AvgPool 2 -> Flatten ->
    C5 Dense 120 tanh -> F6 Dense 84 tanh -> Dense num_classes softmax.
    (N, 32, 32, 1) -> (N, num_classes); 61,706 weights for 10 classes. The original C3 was
    connected to only some of S2's maps (1,516 weights instead of 2,416) and its pooling
    layers had trainable coefficients; both are dropped here, as in most re-implementations.
    """
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Conv2D(6, 5, activation="tanh", name="C1"),
            layers.AveragePooling2D(2, name="S2"),
            layers.Conv2D(16, 5, activation="tanh", name="C3"),
            layers.AveragePooling2D(2, name="S4"),
            layers.Flatten(name="flatten"),
            layers.Dense(120, activation="tanh", name="C5"),
            layers.Dense(84, activation="tanh", name="F6"),
            layers.Dense(num_classes, activation="softmax", name="output"),
        ],
        name="lenet5",
    )


# --- Inception (GoogLeNet) ---------------------------------------------------------


def inception_module(
    x: keras.KerasTensor, filters: Sequence[int], name: str | None = None
) -> keras.KerasTensor:
    """GoogLeNet's Inception module (Szegedy et al., 2014), with the functional API.

    filters: (#1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj). Four parallel branches,
    every convolution 'same', stride 1, with a bias and ReLU:
    1x1 conv | 1x1 reduce -> 3x3 conv | 1x1 reduce -> 5x5 conv | 3x3 max pool (stride 1,
    'same') -> 1x1 projection; concatenated along the channels in that order.
    x: (N, H, W, D) -> (N, H, W, #1x1 + #3x3 + #5x5 + pool proj).
    """
    from keras import layers

    f1, f3r, f3, f5r, f5, fp = (int(f) for f in filters)
    prefix = f"{name}_" if name else ""

    def conv(tensor, count, size, label):
        return layers.Conv2D(
            count,
            size,
            padding="same",
            activation="relu",
            name=f"{prefix}{label}" if name else None,
        )(tensor)

    branch1 = conv(x, f1, 1, "1x1")
    branch3 = conv(conv(x, f3r, 1, "3x3_reduce"), f3, 3, "3x3")
    branch5 = conv(conv(x, f5r, 1, "5x5_reduce"), f5, 5, "5x5")
    pooled = layers.MaxPooling2D(
        3, strides=1, padding="same", name=f"{prefix}pool" if name else None
    )(x)
    branch_pool = conv(pooled, fp, 1, "pool_proj")
    return layers.Concatenate(axis=-1, name=f"{prefix}concat" if name else None)(
        [branch1, branch3, branch5, branch_pool]
    )


# --- ResNet ----------------------------------------------------------------------


def residual_block(
    x: keras.KerasTensor,
    filters: int,
    stride: int = 1,
    residual: bool = True,
    bn_momentum: float = 0.99,
) -> keras.KerasTensor:
    """ResNet's basic block (He et al., 2015), "add before the final activation".

    Main branch: Conv2D(filters, 3, strides=stride, 'same', no bias) -> BN -> ReLU ->
    Conv2D(filters, 3, 'same', no bias) -> BN. Shortcut: x itself when stride == 1 and x has
    ``filters`` channels, else the projection Conv2D(filters, 1, strides=stride, no bias) -> BN.
    Output: ReLU(main + shortcut). x: (N, H, W, D) -> (N, ceil(H/stride), ceil(W/stride), filters).
    residual=False drops the shortcut (the "plain" block of the same depth); bn_momentum is
    the BatchNormalization momentum (Keras's default 0.99).
    """
    from keras import layers

    y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    y = layers.BatchNormalization(momentum=bn_momentum)(y)
    y = layers.ReLU()(y)
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)
    y = layers.BatchNormalization(momentum=bn_momentum)(y)
    if residual:
        shortcut = x
        if stride != 1 or x.shape[-1] != filters:
            shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)
            shortcut = layers.BatchNormalization(momentum=bn_momentum)(shortcut)
        y = layers.Add()([y, shortcut])
    return layers.ReLU()(y)


def small_resnet(
    input_shape: tuple[int, int, int] = (8, 8, 1),
    num_classes: int = 10,
    blocks_per_stage: int = 3,
    widths: Sequence[int] = (8, 16, 32),
    residual: bool = True,
    bn_momentum: float = 0.9,
) -> keras.Model:
    """A CIFAR-style ResNet (He et al., 2015, section 4.2), or its plain twin.

    3x3 conv stem (widths[0] filters, BN, ReLU), then one stage per width of
    ``blocks_per_stage`` basic blocks (``residual_block``; the first block of every stage but
    the first has stride 2), global average pooling and a softmax. Depth in weight layers:
    2 * len(widths) * blocks_per_stage + 2 (20 with the defaults). residual=False gives the
    "plain" network: the same layers without the shortcuts (nor their projections).
    bn_momentum defaults to 0.9 (Keras: 0.99) so that the moving averages BatchNormalization
    uses at inference catch up within the few hundred steps of a CPU budget.
    (N, H, W, C) -> (N, num_classes).
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(widths[0], 3, padding="same", use_bias=False)(inputs)
    x = layers.BatchNormalization(momentum=bn_momentum)(x)
    x = layers.ReLU()(x)
    for stage, width in enumerate(widths):
        for index in range(blocks_per_stage):
            stride = 2 if stage > 0 and index == 0 else 1
            x = residual_block(x, width, stride, residual=residual, bn_momentum=bn_momentum)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    depth = 2 * len(widths) * blocks_per_stage + 2
    return keras.Model(inputs, outputs, name=f"{'resnet' if residual else 'plain'}{depth}")


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


# --- EfficientNet --------------------------------------------------------------------


def compound_multipliers(
    phi: float, alpha: float = 1.2, beta: float = 1.1, gamma: float = 1.15
) -> tuple[float, float, float]:
    """EfficientNet's compound scaling (Tan & Le, 2019): (depth, width, resolution) multipliers.

    depth = alpha**phi, width = beta**phi, resolution = gamma**phi. The FLOPs of a
    convolutional network grow as depth * width**2 * resolution**2, that is by
    (alpha * beta**2 * gamma**2)**phi, about 2**phi with the paper's coefficients.
    """
    return alpha**phi, beta**phi, gamma**phi


# --- measuring on the CPU --------------------------------------------------------------


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


# --- figures -------------------------------------------------------------------------


def plot_histories(
    histories: dict[str, list[dict[str, list[float]]]], metrics: Sequence[str] = ("loss",)
):
    """Training curves of several runs per network: mean line, min-max band.

    histories: network name -> list of Keras ``History.history`` dicts (one per seed).
    metrics: keys to plot, one panel each (e.g. "loss", "val_accuracy").
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(metrics), figsize=(5 * len(metrics), 3.5), squeeze=False)
    for ax, metric in zip(axes[0], metrics, strict=True):
        for name, runs in histories.items():
            values = np.array([run[metric] for run in runs])
            epochs = np.arange(1, values.shape[1] + 1)
            line = ax.plot(
                epochs, values.mean(axis=0), marker="o", label=f"{name} ({len(runs)} seeds)"
            )
            ax.fill_between(
                epochs, values.min(axis=0), values.max(axis=0), alpha=0.2, color=line[0].get_color()
            )
        ax.set(xlabel="epoch", ylabel=metric, xticks=epochs)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig


def plot_times(names: Sequence[str], seconds: Sequence[float], title: str):
    """Horizontal bar chart of measured times (milliseconds) per named model or layer."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 0.5 + 0.45 * len(names)))
    ax.barh(list(names), [1000 * s for s in seconds])
    ax.invert_yaxis()
    ax.set(xlabel="milliseconds (measured on this CPU)", title=title)
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    return fig
