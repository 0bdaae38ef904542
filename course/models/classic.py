"""The classic CNN architectures, in Keras 3: LeNet-5, GoogLeNet's Inception module, ResNet's
residual block (and the small plain / residual networks notebook 05 compares), EfficientNet's
compound scaling.

The checks of notebook 05 (``course.exercises.architectures``) take their ground truth from
these builders, made of Keras layers, and from Keras's own ``count_params()`` and output
shapes. Used by notebook 05 (architectures). The VGG family is in ``course.models.vgg``.

Imports Keras (and so TensorFlow) on first use of a builder, not at import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

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


def compound_multipliers(
    phi: float, alpha: float = 1.2, beta: float = 1.1, gamma: float = 1.15
) -> tuple[float, float, float]:
    """EfficientNet's compound scaling (Tan & Le, 2019): (depth, width, resolution) multipliers.

    depth = alpha**phi, width = beta**phi, resolution = gamma**phi. The FLOPs of a
    convolutional network grow as depth * width**2 * resolution**2, that is by
    (alpha * beta**2 * gamma**2)**phi, about 2**phi with the paper's coefficients.
    """
    return alpha**phi, beta**phi, gamma**phi
