"""A mask head: for each pixel of a box's crop, is it the boxed object's? (notebook 06)

Mask R-CNN's mask head, small, on the CROP x CROP crops of ``course.segmentation.crop_boxes``;
``course.segmentation.head_data`` makes its training data and ``course.segmentation.segment``
pastes its masks back into the image.
"""

from __future__ import annotations

import keras
from keras import layers

from course.segmentation import CROP


def build_mask_head(crop: int = CROP, filters: int = 8) -> keras.Model:
    """A compiled mask head: (N, crop, crop, 3) crops -> (N, crop, crop, 1) probabilities.

    Like Mask R-CNN's head, small: 3x3 convolutions, one of them with stride 2 (so that each
    output pixel sees most of the crop: it must know which object is in the middle), a
    transposed convolution back to crop x crop, and a 1x1 convolution with a sigmoid. Trained
    with pixel-wise binary cross-entropy. crop must be even."""
    inputs = keras.Input(shape=(crop, crop, 3))
    x = layers.Conv2D(filters, 3, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(2 * filters, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Conv2D(2 * filters, 3, padding="same", activation="relu")(x)
    x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same", activation="relu")(x)
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs, name="mask_head")
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy", steps_per_execution=8
    )
    return model
