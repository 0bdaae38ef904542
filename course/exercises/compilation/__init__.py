"""Checks for notebook 03, compilation: losses against Keras's, the loss of each task,
diagnosing a training history, and a model trained with early stopping.

Each ``check_*`` function takes the student's answer, raises ``AssertionError`` with the
student's own value and what was expected of its type or shape (never the answer) when it is
wrong, and returns None when it is right. ``q1 ... q9`` wrap them for ``check()/hint()/
solution()``; the nbgrader grade cells call the same functions with hidden ``cases``.

The checks live by topic in ``losses``, ``loss_table`` and ``fitting``; this package binds them
to the notebook's questions.
"""

from __future__ import annotations

from course.checking import Question
from course.exercises.compilation.fitting import (
    DIAGNOSE_CASES,
    DIAGNOSES,
    MAX_EPOCHS,
    TEST_ACCURACY,
    VAL_ACCURACY,
    check_diagnose,
    check_early_stopping,
    check_fit_with_early_stopping,
    digits_accuracy,
    train_early_stopping,
)
from course.exercises.compilation.loss_table import (
    LOSS_NAMES,
    LOSSES_FOR_CASES,
    TASKS,
    check_losses_for,
    slide_losses,
)
from course.exercises.compilation.losses import (
    CCE_CASES,
    DICE_CASES,
    HUBER_CASES,
    IOU_CASES,
    MSE_CASES,
    SCCE_CASES,
    check_categorical_crossentropy,
    check_dice_loss,
    check_huber,
    check_iou_loss,
    check_mean_squared_error,
    check_sparse_categorical_crossentropy,
    keras_box_iou,
)

__all__ = [  # the questions, then the checks and what they are measured against
    *(f"q{i}" for i in range(1, 10)),
    "CCE_CASES",
    "DIAGNOSES",
    "DIAGNOSE_CASES",
    "DICE_CASES",
    "HUBER_CASES",
    "IOU_CASES",
    "LOSSES_FOR_CASES",
    "LOSS_NAMES",
    "MAX_EPOCHS",
    "MSE_CASES",
    "SCCE_CASES",
    "TASKS",
    "TEST_ACCURACY",
    "VAL_ACCURACY",
    "check_categorical_crossentropy",
    "check_diagnose",
    "check_dice_loss",
    "check_early_stopping",
    "check_fit_with_early_stopping",
    "check_huber",
    "check_iou_loss",
    "check_losses_for",
    "check_mean_squared_error",
    "check_sparse_categorical_crossentropy",
    "digits_accuracy",
    "keras_box_iou",
    "slide_losses",
    "train_early_stopping",
]

q1 = Question(
    "categorical_crossentropy",
    check_categorical_crossentropy,
    "Clip the probabilities first, np.clip(y_pred, eps, 1 - eps) with eps = 1e-7, so that "
    "log(0) never happens; the loss of one sample is -sum(y_true * log(p)) over the classes "
    "(axis=-1); Keras's reduction 'sum_over_batch_size' then averages over the batch.",
)

q2 = Question(
    "sparse_categorical_crossentropy",
    check_sparse_categorical_crossentropy,
    "Pick each sample's probability of its own class with y_pred[np.arange(N), labels], clip "
    "it to [eps, 1 - eps], then average -log over the batch.",
)

q3 = Question(
    "mean_squared_error",
    check_mean_squared_error,
    "Keras averages the squared errors over the last axis (one loss per sample, or per pixel "
    "for images), then 'sum_over_batch_size' averages those: all in all, a mean over every value.",
)

q4 = Question(
    "huber",
    check_huber,
    "With e = y_pred - y_true: 0.5 * e**2 where |e| <= delta, delta * (|e| - 0.5 * delta) "
    "elsewhere (np.where). Average over the last axis, then over the batch.",
)

q5 = Question(
    "iou_loss",
    check_iou_loss,
    "Turn (x, y, w, h) into corners x1 = x + w, y1 = y + h. The intersection's width is "
    "min(x1) - max(x0), clipped at 0 (boxes apart have no intersection), same for its height. "
    "union = area_true + area_pred - intersection. The loss is mean(1 - IoU).",
)

q6 = Question(
    "dice_loss",
    check_dice_loss,
    "Dice = 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + eps), sums over `axis` "
    "(axis=None: over everything, the whole batch at once); the loss is 1 - Dice, averaged "
    "over the batch when axis leaves one value per image. eps = 1e-7 avoids 0 / 0.",
)

q7 = Question(
    "losses_for",
    check_losses_for,
    "Normalise the task first: task.lower(), '-' and '_' -> ' ', strip. Then a dict from task "
    "to the slide's losses; the cross-entropy is 'categorical_crossentropy' for one-hot labels "
    "and 'sparse_categorical_crossentropy' for integer labels. Smooth L1 is 'huber'.",
)

q8 = Question(
    "diagnose",
    check_diagnose,
    "Look at the whole validation-loss curve, not only its last value: i = np.argmin(val_loss). "
    "Overfitting: val_loss[-1] > (1 + rise) * val_loss[i] while loss[-1] < loss[i]. "
    "Otherwise underfitting if accuracy[-1] < target, else a good fit.",
)

q9 = Question(
    "fit_with_early_stopping",
    check_fit_with_early_stopping,
    "early_stopping = keras.callbacks.EarlyStopping(monitor='val_loss', patience=5, "
    "restore_best_weights=True); then history = model.fit(train, validation_data=val, "
    "epochs=max_epochs, callbacks=[early_stopping]); return model, history, early_stopping. "
    "A dense network of 128 units with Adam at 3e-3 reaches the threshold.",
)
