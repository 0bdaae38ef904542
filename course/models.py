"""Model builders of the course, in Keras 3 (introduced in notebook 02, CNN layers).

Imports Keras (and so TensorFlow) on first use of a builder, not at import.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import keras

#: VGG16's convolutional blocks: (filters, number of 3x3 convolutions).
VGG16_BLOCKS: tuple[tuple[int, int], ...] = ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3))


def vgg_block(x: keras.KerasTensor, filters: int, convs: int, name: str) -> keras.KerasTensor:
    """A VGG block: ``convs`` 3x3 'same' convolutions with ReLU, then 2x2 max pooling.

    x: (N, H, W, D) -> (N, H // 2, W // 2, filters). Layers are named
    ``{name}_conv1 ... {name}_pool`` as in ``keras.applications.VGG16``.
    """
    from keras import layers

    for i in range(1, convs + 1):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"{name}_conv{i}")(x)
    return layers.MaxPooling2D(pool_size=2, strides=2, name=f"{name}_pool")(x)


def build_vgg16(
    input_shape: tuple[int, int, int] = (224, 224, 3),
    num_classes: int = 1000,
    include_top: bool = True,
) -> keras.Model:
    """VGG16 built layer by layer (Simonyan & Zisserman, 2014), randomly initialised.

    input_shape: (H, W, C); with the top, the output is (N, num_classes) softmax
    probabilities, without it the (N, H/32, W/32, 512) feature maps. Parameter
    counts equal ``keras.applications.VGG16(weights=None)``: 138,357,544 with
    the top at 224x224x3 and 1000 classes, 14,714,688 without.
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=input_shape, name="input_layer")
    x = inputs
    for index, (filters, convs) in enumerate(VGG16_BLOCKS, start=1):
        x = vgg_block(x, filters, convs, name=f"block{index}")
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        x = layers.Dense(num_classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, x, name="vgg16")


def parameter_table(model: keras.Model) -> OrderedDict[str, int]:
    """Parameters per group of layers, grouped by the prefix of each layer's name.

    "block3_conv2" counts under "block3"; "fc1" under "fc1". Returns an ordered
    mapping group -> number of parameters (layers without weights are skipped).
    """
    table: OrderedDict[str, int] = OrderedDict()
    for layer in model.layers:
        count = layer.count_params()
        if count:
            group = layer.name.split("_")[0]
            table[group] = table.get(group, 0) + count
    return table
