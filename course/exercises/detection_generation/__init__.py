"""Checks for notebook 06: a grid detector, a GAN and instance matching.

Each ``check_*`` raises ``AssertionError`` with the student's value and what was expected of
its type or shape (never the answer) when it is wrong. Ground truth: the course's reference
grid encoding and decoding (``course.detection.grid``, itself tested against hand-computed
grids), ``keras.losses.BinaryCrossentropy`` for the adversarial losses, and mask IoUs counted
pixel by pixel for instance matching. Trained models are graded against thresholds that the
reference passes on every seed tried (benchmarks/sweeps/) and that an untrained model fails.
Student functions get only NumPy arrays and numbers; what they return is read with np.asarray.

The checks live by topic in ``grid``, ``detector``, ``gan`` and ``matching``; this package
binds them to the notebook's questions ``q1 ... q7``, and the grade cells import them from here.
"""

from __future__ import annotations

from course.checking import Question
from course.exercises.detection_generation.detector import (
    DETECTOR_MIN_MAP,
    check_build_detector,
    check_detector_map,
)
from course.exercises.detection_generation.gan import (
    LOSS_CASES,
    check_build_generator,
    check_discriminator_loss,
    check_gan_samples,
    check_generator_loss,
    keras_bce,
)
from course.exercises.detection_generation.grid import (
    check_decode_grid,
    check_encode_targets,
    decode_hidden_cases,
    encode_hidden_cases,
)
from course.exercises.detection_generation.matching import (
    MATCH_CASES,
    check_match_instances,
    match_hidden_cases,
)

__all__ = [  # the questions, then the checks, their hidden cases and what they measure against
    *(f"q{i}" for i in range(1, 8)),
    "DETECTOR_MIN_MAP",
    "LOSS_CASES",
    "MATCH_CASES",
    "check_build_detector",
    "check_build_generator",
    "check_decode_grid",
    "check_detector_map",
    "check_discriminator_loss",
    "check_encode_targets",
    "check_gan_samples",
    "check_generator_loss",
    "check_match_instances",
    "decode_hidden_cases",
    "encode_hidden_cases",
    "keras_bce",
    "match_hidden_cases",
]

q1 = Question(
    "encode_targets",
    check_encode_targets,
    "Start from np.zeros((grid_size, grid_size, 5 + num_classes)); cell = image_size / "
    "grid_size. For each box: cx = x + w / 2, cy = y + h / 2; column = int(cx // cell), row = "
    "int(cy // cell); grid[row, column] gets [1, cx / cell - column, cy / cell - row, "
    "w / image_size, h / image_size] and a 1 at 5 + label. Clear the cell first "
    "(grid[row, column] = 0), so that a later object replaces an earlier one entirely.",
)
q2 = Question(
    "decode_grid",
    check_decode_grid,
    "rows, cols = np.nonzero(grid[..., 0] > score_threshold) gives the cells; cell = "
    "image_size / grid.shape[0]. The centre is ((cols + x) * cell, (rows + y) * cell), the size "
    "(w * image_size, h * image_size); the top-left corner is the centre minus half the size. "
    "Scores: the objectness; labels: np.argmax(grid[rows, cols, 5:], axis=-1).",
)
q3 = Question(
    "build_detector",
    check_build_detector,
    "keras.Input((image_size, image_size, 3)); Conv2D(relu, padding='same') + MaxPooling2D "
    "blocks until the side is grid_size (64 -> 32 -> 16 -> 8: three blocks); one or two more "
    "Conv2D(64, 3); then models.grid_detector.grid_head(x, num_classes). Compile with "
    "keras.optimizers.Adam(3e-3) and loss=models.grid_detector.grid_loss.",
)
q4 = Question(
    "discriminator_loss",
    check_discriminator_loss,
    "Binary cross-entropy with target 1 is -mean(log(p)); with target 0, -mean(log(1 - p)). "
    "The discriminator wants real scores near 1 and fake ones near 0: add the two means.",
)
q5 = Question(
    "generator_loss",
    check_generator_loss,
    "The generator wants the discriminator to say 1 on its images: -mean(log(p)) over the fake "
    "scores (not mean(log(1 - p)), the saturating form whose gradient vanishes early on).",
)
q6 = Question(
    "build_generator",
    check_build_generator,
    "keras.Sequential([keras.Input((latent_dim,)), Dense(128, relu), Dense(128, relu), "
    "Dense(64, activation='sigmoid'), Reshape((8, 8))]). No compile needed: the GAN compiles.",
)
q7 = Question(
    "match_instances",
    check_match_instances,
    "The ids: [i for i in np.unique(mask) if i != 0] (0 is the background). For each pair "
    "(t, p): IoU = sum((true_mask == t) & (pred_mask == p)) / sum((true_mask == t) | "
    "(pred_mask == p)). tp = the number of pairs with IoU > iou_threshold; fp = predicted "
    "instances - tp; fn = true instances - tp.",
)
