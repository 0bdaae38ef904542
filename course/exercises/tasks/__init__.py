"""Checks for notebook 01, the four vision tasks: ground truth comes from Keras itself.

Each ``check_*`` function raises ``AssertionError`` with the student's value and what was
expected of its type or shape (never the answer) when it is wrong, and returns None when it is
right. ``q1 ... q9`` wrap them for ``check()/hint()/solution()``; the nbgrader grade cells call
the same functions, with hidden cases.

Two kinds of checks:
- functions (box conversions, IoU, pixel accuracy, Dice): compared with Keras on many cases;
- models: ``check_build_*`` checks the untrained model's inputs, outputs and compilation in a
  second; ``check_*_accuracy`` / ``check_*_iou`` / ``check_generated_digits`` grade the model
  the notebook trained against a threshold that the reference model passes on every seed tried
  and that a model predicting the majority class or a fixed box fails.

The checks live by topic in ``boxes``, ``masks``, ``models`` and ``generation``; this package
binds them to the notebook's questions.
"""

from __future__ import annotations

from course.checking import Question
from course.exercises.tasks.boxes import (
    BOX_CASES,
    CENTER_CASES,
    IOU_CASES,
    check_center_to_corners,
    check_corners_to_center,
    check_iou,
    keras_convert_boxes,
    keras_iou,
)
from course.exercises.tasks.generation import (
    SAMPLES_MIN_DIGITS,
    SAMPLES_MIN_DISTANCE,
    SAMPLES_MIN_PRECISION,
    check_generated_digits,
    check_sample_digits,
    probe_decoder,
)
from course.exercises.tasks.masks import (
    MASK_CASES,
    check_dice,
    check_pixel_accuracy,
    keras_dice,
    keras_pixel_accuracy,
)
from course.exercises.tasks.models import (
    CLASSIFIER_MIN_ACCURACY,
    LOCALIZER_MIN_IOU,
    UNET_MIN_MEAN_IOU,
    UNET_MIN_PEAK,
    check_build_classifier,
    check_build_localizer,
    check_build_unet,
    check_classifier_accuracy,
    check_localizer_iou,
    check_unet_iou,
    pixel_peak,
)

__all__ = [  # the questions, then the checks and what they are measured against
    *(f"q{i}" for i in range(1, 10)),
    "BOX_CASES",
    "CENTER_CASES",
    "CLASSIFIER_MIN_ACCURACY",
    "IOU_CASES",
    "LOCALIZER_MIN_IOU",
    "MASK_CASES",
    "SAMPLES_MIN_DIGITS",
    "SAMPLES_MIN_DISTANCE",
    "SAMPLES_MIN_PRECISION",
    "UNET_MIN_MEAN_IOU",
    "UNET_MIN_PEAK",
    "check_build_classifier",
    "check_build_localizer",
    "check_build_unet",
    "check_center_to_corners",
    "check_classifier_accuracy",
    "check_corners_to_center",
    "check_dice",
    "check_generated_digits",
    "check_iou",
    "check_localizer_iou",
    "check_pixel_accuracy",
    "check_sample_digits",
    "check_unet_iou",
    "keras_convert_boxes",
    "keras_dice",
    "keras_iou",
    "keras_pixel_accuracy",
    "pixel_peak",
    "probe_decoder",
]

q1 = Question(
    "build_classifier",
    check_build_classifier,
    "Start with keras.Input(shape=input_shape); a few Conv2D(relu) + MaxPooling2D blocks; "
    "GlobalMaxPooling2D (not an average: it dilutes the small shapes); then "
    "Dense(num_classes, activation='softmax'). Compile "
    "with optimizer keras.optimizers.Adam(3e-3), loss 'sparse_categorical_crossentropy' (the "
    "labels are integers) and metrics=['accuracy'].",
)

q2 = Question(
    "corners_to_center",
    check_corners_to_center,
    "Work on the last axis so that any number of boxes works: x_min = boxes[..., 0], etc. "
    "The width is x_max - x_min and the centre is halfway: x_min + w / 2. Start with "
    "boxes = np.asarray(boxes, dtype=float) and put the four results back with "
    "np.stack([...], axis=-1).",
)

q3 = Question(
    "center_to_corners",
    check_center_to_corners,
    "The box reaches half its width on each side of the centre: x_min = cx - w / 2, "
    "x_max = cx + w / 2. Use boxes[..., i] and np.stack([...], axis=-1), with float arithmetic.",
)

q4 = Question(
    "iou",
    check_iou,
    "Turn each (x, y, w, h) into corners: x_max = x + w. The overlap's width is "
    "min(x_max_a, x_max_b) - max(x_a, x_b), clamped at 0 with max(0, ...) (two boxes apart "
    "give a negative width), same for the height. union = area_a + area_b - intersection; "
    "return 0.0 when the union is 0.",
)

q5 = Question(
    "build_localizer",
    check_build_localizer,
    "Same convolutional blocks as the classifier, but Flatten (global pooling forgets where "
    "things are), a Dense(64, relu), then two heads on it: Dense(num_classes, softmax, "
    "name='label') and Dense(4, sigmoid, name='box'). Return keras.Model(inputs, {'label': ..., "
    "'box': ...}) compiled with loss={'label': 'sparse_categorical_crossentropy', 'box': 'mse'} "
    "and loss_weights={'label': 1.0, 'box': 20.0} (box errors are small numbers).",
)

q6 = Question(
    "pixel_accuracy",
    check_pixel_accuracy,
    "Threshold the probabilities first: predicted = y_pred > 0.5. Then compare with "
    "y_true == 1 and average over all pixels of all images.",
)

q7 = Question(
    "dice",
    check_dice,
    "Dice = 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred)), summed over all pixels of "
    "all images, with the probabilities as they are (no threshold): the factor 2 makes a "
    "perfect prediction score 1.",
)

q8 = Question(
    "build_unet",
    check_build_unet,
    "Encoder: Conv2D(8, relu) -> keep it as skip1 -> MaxPooling2D -> Conv2D(16, relu) -> skip2 "
    "-> MaxPooling2D -> Conv2D(32, relu). Decoder: UpSampling2D -> Concatenate([x, skip2]) -> "
    "Conv2D(16, relu) -> UpSampling2D -> Concatenate([x, skip1]) -> Conv2D(8, relu). Output: "
    "Conv2D(1, 1, activation='sigmoid'). padding='same' everywhere. Compile with Adam(3e-3) and "
    "'binary_crossentropy'.",
)

q9 = Question(
    "sample_digits",
    check_sample_digits,
    "rng = np.random.default_rng(seed); z = rng.standard_normal((n, latent_dim)) draws the codes "
    "from the prior N(0, I); the decoder turns them into images: "
    "keras.ops.convert_to_numpy(decoder(z.astype('float32'))).",
)
