"""The grid detector's loss and a small reference model (notebook 06), sized for a 2-core CPU.

The loss is written from its three parts, each a Keras loss, over grids laid out as in
``course.detection.grid`` ((N, S, S, 5 + C): objectness, x, y, w, h, classes):

- objectness: binary cross-entropy, over every cell (most cells hold no object: they learn to
  say so);
- box: smooth L1 (``keras.losses.Huber``) on (x, y, w, h), only in the responsible cells;
- class: categorical cross-entropy, only in the responsible cells.
"""

from __future__ import annotations

import keras
from keras import layers, ops

from course.detection.grid import GRID_SIZE, IMAGE_SIZE, NUM_CLASSES

BOX_WEIGHT = 5.0
"""Weight of the box loss (YOLO's lambda_coord): box errors are small numbers."""


@keras.saving.register_keras_serializable(package="course")
def grid_loss(y_true, y_pred):
    """YOLO-style loss of grids (N, S, S, 5 + C) -> (N,) one loss per image.

    objectness BCE averaged over the cells, plus BOX_WEIGHT x Huber on (x, y, w, h) and the
    class cross-entropy, both summed over the responsible cells and divided by their number
    (at least 1)."""
    y_true = ops.cast(y_true, y_pred.dtype)
    responsible = y_true[..., 0]
    objectness = ops.mean(
        keras.losses.binary_crossentropy(y_true[..., :1], y_pred[..., :1]), axis=(1, 2)
    )
    box = keras.losses.huber(y_true[..., 1:5], y_pred[..., 1:5])
    classes = keras.losses.categorical_crossentropy(y_true[..., 5:], y_pred[..., 5:])
    count = ops.maximum(ops.sum(responsible, axis=(1, 2)), 1.0)
    masked = ops.sum(responsible * (BOX_WEIGHT * box + classes), axis=(1, 2))
    return objectness + masked / count


def grid_head(features, num_classes: int = NUM_CLASSES):
    """The detector's output on (N, S, S, F) features: (N, S, S, 5 + C), sigmoids for
    objectness and box, a softmax for the classes."""
    first = layers.Conv2D(5, 1, activation="sigmoid", name="objectness_and_box")(features)
    classes = layers.Conv2D(num_classes, 1, activation="softmax", name="classes")(features)
    return layers.Concatenate(name="grid")([first, classes])


def build_detector(
    image_size: int = IMAGE_SIZE,
    grid_size: int = GRID_SIZE,
    num_classes: int = NUM_CLASSES,
    filters: int = 8,
) -> keras.Model:
    """A compiled grid detector: (N, image_size, image_size, 3) -> (N, S, S, 5 + C).

    Convolution blocks, each halving the side, until the side is grid_size; two more 3x3
    convolutions widen what each cell sees; then ``grid_head``. Trained with ``grid_loss``."""
    inputs = keras.Input(shape=(image_size, image_size, 3))
    x, side, width = inputs, image_size, filters
    while side > grid_size:
        x = layers.Conv2D(width, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
        side, width = side // 2, 2 * width
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    model = keras.Model(inputs, grid_head(x, num_classes), name="grid_detector")
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss=grid_loss, steps_per_execution=8)
    return model
