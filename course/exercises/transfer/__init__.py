"""Checks for notebook 04, transfer learning: ground truth comes from Keras itself.

Weight counts are compared with ``keras.applications.VGG16(weights=None)`` layer by layer,
trainable counts with the ``trainable_weights`` of the slide's model after its freezing loops,
the new classifier with the shapes and weights Keras reports, and the fine-tuned model with
its accuracy on held-out target images, with what happened to the pretrained weights, and
with what one more training step of its last compile changes (the phase it was left in).
Each ``check_*`` raises ``AssertionError`` with the student's value (never the answer);
``q1 ... q4`` wrap them for ``check()/hint()/solution()``.

The checks live by topic in ``counts``, ``classifier`` and ``fine_tuning``; this package binds
them to the notebook's questions.
"""

from __future__ import annotations

from course.checking import Question
from course.exercises.transfer.classifier import (
    CLASSIFIER_CASES,
    check_add_classifier,
    make_base,
)
from course.exercises.transfer.counts import (
    STRATEGIES,
    TRAINABLE_CASES,
    VGG16_CASES,
    apply_strategy,
    check_trainable_params,
    check_vgg16_layer_params,
    count_weights,
    is_count,
    keras_trainable_counts,
    keras_vgg16_counts,
    slide_model,
)
from course.exercises.transfer.fine_tuning import (
    FINE_TUNE_MAX_LEARNING_RATE,
    FINE_TUNE_MIN_ACCURACY,
    NUM_CLASSES,
    FineTuned,
    assess_fine_tuned,
    check_fine_tune,
    check_fine_tuned_again,
)

__all__ = [  # the questions, then the checks and what they are measured against
    *(f"q{i}" for i in range(1, 5)),
    "CLASSIFIER_CASES",
    "FINE_TUNE_MAX_LEARNING_RATE",
    "FINE_TUNE_MIN_ACCURACY",
    "FineTuned",
    "NUM_CLASSES",
    "STRATEGIES",
    "TRAINABLE_CASES",
    "VGG16_CASES",
    "apply_strategy",
    "assess_fine_tuned",
    "check_add_classifier",
    "check_fine_tune",
    "check_fine_tuned_again",
    "check_trainable_params",
    "check_vgg16_layer_params",
    "count_weights",
    "is_count",
    "keras_trainable_counts",
    "keras_vgg16_counts",
    "make_base",
    "slide_model",
]

q1 = Question(
    "vgg16_layer_params",
    check_vgg16_layer_params,
    "Follow the depth D and the size H x W through the five blocks: each 3x3 convolution has "
    "3*3*D*K + K weights and sets D = K; each pooling halves H and W (floor division) and has no "
    "weights. With the top, the first dense layer sees (H/32)*(W/32)*512 inputs (floored), not "
    "7*7 or 512; each dense layer has inputs*units + units weights.",
)

q2 = Question(
    "add_classifier",
    check_add_classifier,
    "Start from base.input (or a new keras.Input called through `base`), flatten base.output "
    "with layers.Flatten() (or pool it with GlobalAveragePooling2D), then "
    "layers.Dense(num_classes, activation='softmax'); return keras.Model(inputs, outputs).",
)

q3 = Question(
    "trainable_params",
    check_trainable_params,
    "Count the base (13 convolutions) and the head (Flatten: no weights; Dense on "
    "(H//32)*(W//32)*512 inputs). 'all': everything; 'head': the head only; 'first5': "
    "new_model.layers[:5] is InputLayer, block1_conv1, block1_conv2, block1_pool, "
    "block2_conv1: three convolutions are frozen, not five.",
)

q4 = Question(
    "fine_tune",
    check_fine_tune,
    "1) base.trainable = False; inputs -> base(inputs, training=False) -> Flatten -> "
    "Dense(num_classes, softmax); compile (Adam(1e-2)) and fit the head (~10 epochs, "
    "batch_size=16). 2) base.trainable = True, then set trainable = False on every layer of "
    "base.layers whose name does not start with 'block3_'; compile AGAIN with a 10x lower "
    "learning rate (Adam(1e-3)) and fit ~10 more epochs.",
)
