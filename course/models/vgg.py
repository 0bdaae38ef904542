"""The VGG family in Keras 3: VGG16 built layer by layer, its blocks, and the course's small
VGG with the weights the course pretrained itself (under data/, checksum verified).

Used by notebooks 02 (VGG16 layer by layer, ``parameter_table``), 04 (the pretrained small VGG
and its weights) and 05 (VGG blocks). ``course.transfer.pretrain`` trains the small VGG's
weights; ``course.datasets.shapes`` holds the task they were trained on.

Imports Keras (and so TensorFlow) on first use of a builder, not at import.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from course import paths

if TYPE_CHECKING:  # pragma: no cover
    import keras

#: VGG16's convolutional blocks: (filters, number of 3x3 convolutions).
VGG16_BLOCKS: tuple[tuple[int, int], ...] = ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3))

#: The course's small VGG (notebook 04, transfer learning): (filters, 3x3 convolutions) per block.
SMALL_VGG_BLOCKS: tuple[tuple[int, int], ...] = ((16, 2), (32, 2), (64, 2))

#: The course's pretrained small VGG, under data/ (made by ``course pretrain``).
PRETRAINED_WEIGHTS = "course_small_vgg_shapes.weights.h5"


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


def build_small_vgg(
    input_shape: tuple[int, int, int] = (32, 32, 3),
    blocks: tuple[tuple[int, int], ...] = SMALL_VGG_BLOCKS,
    name: str = "small_vgg",
) -> keras.Model:
    """A small VGG without its classifier, randomly initialised (notebook 04).

    Three ``vgg_block`` s (16, 32 then 64 filters, two 3x3 convolutions each):
    (N, 32, 32, 3) -> (N, 4, 4, 64) feature maps, 72,080 weights.
    """
    import keras

    inputs = keras.Input(shape=input_shape, name="input_layer")
    x = inputs
    for index, (filters, convs) in enumerate(blocks, start=1):
        x = vgg_block(x, filters, convs, name=f"block{index}")
    return keras.Model(inputs, x, name=name)


def pretrained_path() -> Path:
    """Where the course's pretrained weights are shipped: data/ of the course's repository."""
    return paths.DATA_DIR / PRETRAINED_WEIGHTS


def pretrained_record(path: str | os.PathLike | None = None) -> dict:
    """The JSON written next to the weights by ``course pretrain`` (checksum, provenance)."""
    import json

    weights = Path(path) if path is not None else pretrained_path()
    record = weights.with_name(weights.name.removesuffix(".weights.h5") + ".json")
    if not weights.is_file() or not record.is_file():
        missing = weights if not weights.is_file() else record
        raise FileNotFoundError(
            f"the course's pretrained weights are missing ({missing} not found): run "
            f"`course pretrain` to train them again (under a minute on a laptop CPU)."
        )
    return json.loads(record.read_text())


def load_pretrained(path: str | os.PathLike | None = None) -> keras.Model:
    """The course's small VGG with its pretrained weights (notebook 04), checksum verified.

    Trained by ``course pretrain`` to tell circles, squares and triangles apart
    (``course.transfer.pretrain``); its classifier is not included. Returns a new
    ``build_small_vgg()`` model on each call: (N, 32, 32, 3) -> (N, 4, 4, 64).
    Raises FileNotFoundError when the weights or their JSON record are missing, and
    ValueError when the file does not match its recorded SHA-256 checksum.
    """
    import hashlib

    weights = Path(path) if path is not None else pretrained_path()
    record = pretrained_record(weights)
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    if digest != record.get("sha256"):
        raise ValueError(
            f"{weights} is corrupted or was changed: its SHA-256 is {digest}, the record says "
            f"{record.get('sha256')}. Run `course pretrain` to train the weights again."
        )
    model = build_small_vgg()
    model.load_weights(weights)
    return model
