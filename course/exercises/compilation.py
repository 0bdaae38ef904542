"""Checks for notebook 03, compilation: losses against Keras's, the loss of each task,
diagnosing a training history, and a model trained with early stopping.

Each ``check_*`` function takes the student's answer, raises ``AssertionError`` with the
student's own value and what was expected of its type or shape (never the answer) when it is
wrong, and returns None when it is right. ``q1 ... q9`` wrap them for ``check()/hint()/
solution()``; the nbgrader grade cells call the same functions with hidden ``cases``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from course.checking import Question, ensure_attempted, space
from course.checking.asserts import call as _call
from course.checking.asserts import describe as _describe
from course.checking.crashes import student_check
from course.datasets import histories

RTOL, ATOL = 1e-4, 1e-5
"""Tolerance of the comparison with Keras (Keras computes in float32)."""

# --- cases ----------------------------------------------------------------------------
# A cross-entropy case: (batch size N, classes C, kind). kind: "softmax" (ordinary
# predictions), "confident" (some probabilities exactly 0 or 1) or "soft" (soft labels).
CCE_CASES: tuple[tuple[int, int, str], ...] = ((4, 3, "softmax"), (6, 5, "confident"))
SCCE_CASES: tuple[tuple[int, int, str], ...] = ((4, 3, "softmax"), (5, 4, "confident"))
# An MSE case: the shape of y_true and y_pred, (N, D) targets or (N, H, W, C) images.
MSE_CASES: tuple[tuple[int, ...], ...] = ((8, 4), (3, 6, 5, 2))
# A Huber case: (shape, delta).
HUBER_CASES: tuple[tuple[tuple[int, ...], float], ...] = (((8, 4), 1.0), ((6, 4), 2.0))
# An IoU case: a kind of box pairs (see _box_pairs).
IOU_CASES: tuple[str, ...] = ("overlapping", "mixed")
# A Dice case: (mask shape (N, H, W, 1), axis, kind). kind: "soft" (probabilities),
# "empty" (one image with an empty mask, predicted empty).
DICE_CASES: tuple[tuple[tuple[int, ...], Any, str], ...] = (
    ((2, 8, 8, 1), None, "soft"),
    ((3, 6, 6, 1), (1, 2, 3), "soft"),
    ((2, 6, 6, 1), (1, 2, 3), "empty"),
)


def _to_numpy(value: Any) -> Any:
    """A NumPy value for NumPy input, Keras/TensorFlow tensors converted; anything else as is."""
    if isinstance(value, np.ndarray | np.generic | float | int):
        return np.asarray(value)
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        import keras

        return np.asarray(keras.ops.convert_to_numpy(value))
    return value


def _scalar(call: str, got: Any) -> float:
    """The student's loss as a float, or an AssertionError saying why it is not one number."""
    value = _to_numpy(got)
    assert isinstance(value, np.ndarray) and not isinstance(got, bool), (
        f"{call} returned {_describe(got)}; expected one number (a float), the loss averaged "
        "over the batch."
    )
    assert value.size == 1, (
        f"{call} returned {_describe(value)}; expected one number: Keras's default reduction "
        "'sum_over_batch_size' averages the per-sample losses over the batch."
    )
    assert np.issubdtype(value.dtype, np.number), f"{call} returned {_describe(got)}."
    return float(value.reshape(()))


def _assert_loss_close(
    call: str, got: Any, expected: float, reference: str, finite: str = ""
) -> None:
    value = _scalar(call, got)
    assert math.isfinite(value), f"{call} returned {value}; {reference} is finite here.{finite}"
    if not math.isclose(value, expected, rel_tol=RTOL, abs_tol=ATOL):
        ratio = f"{value / expected:.4g} times" if expected else "not equal to"
        raise AssertionError(
            f"{call} returned {value:.6g}, {ratio} the value of {reference} "
            f"(tolerance {RTOL:g} relative)."
        )


_LOG_ZERO = " A predicted probability of exactly 0 gives log(0) unless it is clipped first."


def _float(value: Any) -> float:
    import keras

    return float(keras.ops.convert_to_numpy(value))


# --- cross-entropy --------------------------------------------------------------------


def _probabilities(rng: np.random.Generator, n: int, c: int, kind: str) -> np.ndarray:
    """(n, c) float32 rows summing to 1: a softmax, or some rows exactly one-hot."""
    logits = rng.normal(scale=2.0, size=(n, c))
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    if kind == "confident":
        p[: n // 2 + 1] = 0.0
        p[: n // 2 + 1, 0] = 1.0  # rows sure of class 0: right for some labels, wrong for others
    return p.astype(np.float32)


def _labels(rng: np.random.Generator, n: int, c: int, kind: str) -> np.ndarray:
    labels = rng.integers(c, size=n)
    if kind == "confident":
        labels[0], labels[1] = 0, 1 + rng.integers(c - 1)  # one sure and right, one sure and wrong
    return labels.astype(np.int64)


def _cce_inputs(rng, n, c, kind):
    labels = _labels(rng, n, c, kind)
    y_true = np.eye(c, dtype=np.float32)[labels]
    if kind == "soft":
        y_true = 0.8 * y_true + 0.2 * rng.dirichlet(np.ones(c), size=n).astype(np.float32)
    return y_true, _probabilities(rng, n, c, kind)


def _kind_note(kind: str) -> str:
    return {
        "confident": " (some predicted probabilities exactly 0 or 1)",
        "soft": " (soft labels)",
    }.get(kind, "")


@student_check
def check_categorical_crossentropy(
    fn: Callable, cases: Iterable = CCE_CASES, seed: int = 0
) -> None:
    """Compare ``fn(y_true, y_pred)`` with keras.losses.CategoricalCrossentropy().

    y_true: (N, C) one-hot (or soft) labels; y_pred: (N, C) probabilities.
    """
    import keras

    rng = np.random.default_rng(seed)
    for n, c, kind in cases:
        y_true, y_pred = _cce_inputs(rng, n, c, kind)
        expected = _float(keras.losses.CategoricalCrossentropy()(y_true, y_pred))
        call = (
            f"categorical_crossentropy(y_true {y_true.shape}, y_pred {y_pred.shape}"
            f"{_kind_note(kind)})"
        )
        got = _call(fn, "categorical_crossentropy", y_true.copy(), y_pred.copy())
        _assert_loss_close(call, got, expected, "keras.losses.CategoricalCrossentropy()", _LOG_ZERO)


@student_check
def check_sparse_categorical_crossentropy(
    fn: Callable, cases: Iterable = SCCE_CASES, seed: int = 1
) -> None:
    """Compare ``fn(labels, y_pred)`` with keras.losses.SparseCategoricalCrossentropy().

    labels: (N,) int class indices; y_pred: (N, C) probabilities.
    """
    import keras

    rng = np.random.default_rng(seed)
    for n, c, kind in cases:
        labels = _labels(rng, n, c, kind)
        y_pred = _probabilities(rng, n, c, kind)
        expected = _float(keras.losses.SparseCategoricalCrossentropy()(labels, y_pred))
        call = (
            f"sparse_categorical_crossentropy(labels {labels.shape}, y_pred {y_pred.shape}"
            f"{_kind_note(kind)})"
        )
        got = _call(fn, "sparse_categorical_crossentropy", labels.copy(), y_pred.copy())
        _assert_loss_close(
            call, got, expected, "keras.losses.SparseCategoricalCrossentropy()", _LOG_ZERO
        )


# --- regression losses ----------------------------------------------------------------


@student_check
def check_mean_squared_error(fn: Callable, cases: Iterable = MSE_CASES, seed: int = 2) -> None:
    """Compare ``fn(y_true, y_pred)`` with keras.losses.MeanSquaredError() (any shape (N, ...))."""
    import keras

    rng = np.random.default_rng(seed)
    for shape in cases:
        y_true = rng.uniform(size=shape).astype(np.float32)
        y_pred = (y_true + rng.normal(scale=0.3, size=shape)).astype(np.float32)
        expected = _float(keras.losses.MeanSquaredError()(y_true, y_pred))
        call = f"mean_squared_error(y_true {shape}, y_pred {shape})"
        got = _call(fn, "mean_squared_error", y_true.copy(), y_pred.copy())
        _assert_loss_close(call, got, expected, "keras.losses.MeanSquaredError()")


@student_check
def check_huber(fn: Callable, cases: Iterable = HUBER_CASES, seed: int = 3) -> None:
    """Compare ``fn(y_true, y_pred, delta)`` with keras.losses.Huber(delta)."""
    import keras

    rng = np.random.default_rng(seed)
    for shape, delta in cases:
        y_true = rng.uniform(0, 10, size=shape).astype(np.float32)
        # errors on both sides of delta: small ones (quadratic part), large ones (linear part)
        errors = rng.normal(scale=delta, size=shape) * rng.choice([0.3, 3.0], size=shape)
        y_pred = (y_true + errors).astype(np.float32)
        expected = _float(keras.losses.Huber(delta=delta)(y_true, y_pred))
        call = f"huber(y_true {shape}, y_pred {shape}, delta={delta})"
        got = _call(fn, "huber", y_true.copy(), y_pred.copy(), delta=delta)
        _assert_loss_close(call, got, expected, f"keras.losses.Huber(delta={delta})")


# --- IoU and Dice ---------------------------------------------------------------------


def _box_pairs(rng: np.random.Generator, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """(N, 4) true and predicted boxes (x, y, w, h) in pixels, x, y the top-left corner."""
    if kind == "overlapping":  # predictions near the truth
        true = np.column_stack([rng.uniform(0, 40, (6, 2)), rng.uniform(5, 20, (6, 2))])
        pred = true + rng.normal(scale=3.0, size=true.shape)
        pred[:, 2:] = np.abs(pred[:, 2:]) + 1
    else:  # identical, nested, apart on one axis, apart on both axes, touching, overlapping
        true = np.array(
            [
                [10, 10, 20, 10],
                [0, 0, 30, 30],
                [0, 0, 10, 10],
                [0, 0, 10, 10],
                [5, 5, 10, 10],
                [12, 8, 16, 20],
                [40, 2, 6, 9],
            ],
            dtype=float,
        )
        pred = np.array(
            [
                [10, 10, 20, 10],
                [5, 10, 10, 5],
                [20, 2, 10, 10],
                [20, 30, 5, 8],
                [15, 5, 10, 10],
                [14, 4, 10, 18],
                [37, 5, 7, 4],
            ],
            dtype=float,
        )
        order = rng.permutation(len(true))
        true, pred = true[order], pred[order]
    return true.astype(np.float32), pred.astype(np.float32)


def keras_box_iou(boxes_true: np.ndarray, boxes_pred: np.ndarray) -> np.ndarray:
    """IoU of each pair of (N, 4) boxes (x, y, w, h), by keras.utils.bounding_boxes. -> (N,)."""
    import keras

    table = keras.utils.bounding_boxes.compute_iou(boxes_true, boxes_pred, "xywh")
    return np.diagonal(keras.ops.convert_to_numpy(table)).astype(np.float64)


@student_check
def check_iou_loss(fn: Callable, cases: Iterable = IOU_CASES, seed: int = 4) -> None:
    """Compare ``fn(boxes_true, boxes_pred)`` with the mean of 1 - IoU from Keras's compute_iou.

    Boxes: (N, 4) float32 (x, y, w, h) in pixels, (x, y) the top-left corner (``course.boxes``).
    """
    rng = np.random.default_rng(seed)
    for kind in cases:
        boxes_true, boxes_pred = _box_pairs(rng, kind)
        expected = float(np.mean(1.0 - keras_box_iou(boxes_true, boxes_pred)))
        note = " (identical, nested, disjoint and overlapping pairs)" if kind == "mixed" else ""
        call = f"iou_loss(boxes_true {boxes_true.shape}, boxes_pred {boxes_pred.shape}{note})"
        got = _call(fn, "iou_loss", boxes_true.copy(), boxes_pred.copy())
        _assert_loss_close(
            call, got, expected, "1 - IoU averaged over the batch, IoU by Keras's compute_iou"
        )


def _masks(rng: np.random.Generator, shape: tuple[int, ...], kind: str):
    """(N, H, W, 1) float32 true masks (0/1 blobs) and predicted probabilities."""
    n, h, w = shape[:3]
    rows, cols = np.mgrid[:h, :w]
    y_true = np.zeros(shape, dtype=np.float32)
    for i in range(n):
        cy, cx, r = rng.uniform(1, h - 1), rng.uniform(1, w - 1), rng.uniform(1.5, h / 2.5)
        y_true[i, ..., 0] = ((rows - cy) ** 2 + (cols - cx) ** 2 <= r**2).astype(np.float32)
    noise = rng.uniform(-0.4, 0.4, size=shape)
    y_pred = np.clip(0.15 + 0.7 * y_true + noise, 0.0, 1.0).astype(np.float32)
    if kind == "empty":
        y_true[0] = 0.0
        y_pred[0] = 0.0
    return y_true, y_pred


@student_check
def check_dice_loss(fn: Callable, cases: Iterable = DICE_CASES, seed: int = 5) -> None:
    """Compare ``fn(y_true, y_pred, axis)`` with keras.losses.Dice(axis=axis).

    y_true: (N, H, W, 1) 0/1 masks; y_pred: (N, H, W, 1) probabilities.
    """
    import keras

    rng = np.random.default_rng(seed)
    for shape, axis, kind in cases:
        y_true, y_pred = _masks(rng, shape, kind)
        expected = _float(keras.losses.Dice(axis=axis)(y_true, y_pred))
        note = " (the first image's mask is empty, and predicted empty)" if kind == "empty" else ""
        call = f"dice_loss(y_true {shape}, y_pred {shape}, axis={axis}{note})"
        got = _call(fn, "dice_loss", y_true.copy(), y_pred.copy(), axis=axis)
        _assert_loss_close(
            call,
            got,
            expected,
            f"keras.losses.Dice(axis={axis})",
            " An empty mask predicted "
            "empty gives 0 / 0 unless something keeps the denominator above 0.",
        )


# --- which loss for which task --------------------------------------------------------

LOSS_NAMES: tuple[str, ...] = (
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "binary_crossentropy",
    "mean_squared_error",
    "huber",
    "iou",
    "dice",
    "adversarial",
)
"""The names a student may use: Keras's identifiers, plus "iou" (1 - IoU of boxes) and
"adversarial" (a GAN's discriminator-based loss), which have no Keras identifier."""

TASKS: tuple[str, ...] = (
    "classification",
    "detection",
    "generation",
    "semantic segmentation",
    "instance segmentation",
)


def slide_losses(task: str, one_hot: bool = False) -> frozenset[str]:
    """The slide's losses for one of TASKS; the cross-entropy is categorical for one-hot labels
    and sparse for integer labels."""
    ce = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"
    table = {
        "classification": {ce},
        "detection": {"iou", "huber"},
        "generation": {"adversarial", "mean_squared_error"},
        "semantic segmentation": {ce, "dice"},
        "instance segmentation": {ce, "huber", "binary_crossentropy", "dice"},
    }
    return frozenset(table[task])


LOSSES_FOR_CASES: tuple[tuple[str, str, bool], ...] = tuple(
    (task, task, False) for task in TASKS
) + (("classification", "classification", True),)
"""(canonical task, task as written, one_hot)."""


@student_check
def check_losses_for(fn: Callable, cases: Iterable = LOSSES_FOR_CASES) -> None:
    """Compare the set ``fn(task, one_hot=...)`` with the slide's table (see slide_losses)."""
    for task, written, one_hot in cases:
        call = f"losses_for({written!r}, one_hot={one_hot})"
        got = _call(fn, "losses_for", written, one_hot=one_hot)
        assert isinstance(got, list | tuple | set | frozenset) and all(
            isinstance(name, str) for name in got
        ), f"{call} returned {_describe(got)}; expected a list of loss names (strings)."
        unknown = sorted(set(got) - set(LOSS_NAMES))
        assert not unknown, (
            f"{call} returned {sorted(got)}: {unknown} not among the names to use, "
            f"{list(LOSS_NAMES)}."
        )
        expected = slide_losses(task, one_hot)
        missing, extra = len(expected - set(got)), len(set(got) - expected)
        assert not missing and not extra, (
            f"{call} returned {sorted(got)}: {missing} of the slide's losses for {task} "
            f"missing, {extra} not on the slide for {task}."
        )
        assert len(got) == len(set(got)), f"{call} returned {list(got)}: a name appears twice."


# --- diagnose -------------------------------------------------------------------------

DIAGNOSES: tuple[str, ...] = ("underfitting", "overfitting", "good fit")
DIAGNOSE_CASES: tuple[str, ...] = histories.VISIBLE
"""Names of recorded histories in course.datasets.histories.HISTORIES."""


@student_check
def check_diagnose(fn: Callable, cases: Iterable[str] = DIAGNOSE_CASES) -> None:
    """Compare ``fn(history, target=...)`` with the label of each recorded history."""
    for name in cases:
        record = histories.HISTORIES[name]
        history = {key: list(values) for key, values in record["history"].items()}
        epochs = len(history["loss"])
        call = f"diagnose(history {name!r} ({epochs} epochs), target={record['target']})"
        got = _call(fn, "diagnose", history, target=record["target"])
        assert got in DIAGNOSES, (
            f"{call} returned {_describe(got)}; expected one of {list(DIAGNOSES)}."
        )
        assert got == record["label"], (
            f"{call} returned {got!r}, which is not the diagnosis of that run "
            f"({record['description']}). Plot it: viz.plot_history("
            f"histories.HISTORIES[{name!r}]['history'])."
        )


# --- early stopping -------------------------------------------------------------------

MAX_EPOCHS = 100
"""The epoch budget of the early-stopping exercise: fit(..., epochs=MAX_EPOCHS)."""

VAL_ACCURACY = 0.95
"""The validation accuracy the early-stopped model must reach (digits' validation split)."""

TEST_ACCURACY = 0.93
"""The test accuracy the hidden tests ask of the early-stopped model (digits' test split)."""

_LAST_RUN: dict[str, Any] = {}


def digits_accuracy(model: Any, split: str = "val") -> float:
    """Accuracy of ``model`` on the digits' "val" or "test" split: (N, 8, 8, 1) -> (N, 10)."""
    from course import datasets

    _, _, x_val, y_val, x_test, y_test = datasets.digits("train/val/test", channel=True)
    x, y = {"val": (x_val, y_val), "test": (x_test, y_test)}[split]
    scores = _to_numpy(model.predict(x, verbose=0, batch_size=512))
    assert isinstance(scores, np.ndarray) and scores.shape == (len(y), 10), (
        f"the model maps {len(y)} digit images of shape (8, 8, 1) to {_describe(scores)}; "
        f"expected one score per digit, shape ({len(y)}, 10)."
    )
    return float(np.mean(scores.argmax(axis=1) == y))


def train_early_stopping(fn: Callable, seed: int = 0) -> Any:
    """Call ``fn(train, val, MAX_EPOCHS)`` on the digits (batches of 32, reshuffled with
    ``seed``) and return what it returns. The last run is kept: checking the same function
    again (the visible check, then the grade cell) does not train it again."""
    from course import datasets

    name = "fit_with_early_stopping"
    ensure_attempted(fn, name)
    assert callable(fn), f"`{name}` should be a function; it is {_describe(fn)}."
    key = (fn, seed)
    if _LAST_RUN.get("key") != key:
        _LAST_RUN.clear()
        space.seed(fn, seed)  # the verdict must not depend on what ran before
        x_train, y_train, x_val, y_val, _, _ = datasets.digits("train/val/test", channel=True)
        # The batches are tf.data pipelines: built where the answer trains (in grading, the
        # student's kernel); the accuracy is measured here, on the judge's own digits.
        batches = space.module_for(fn, "course.datasets").batches
        train = batches(x_train, y_train, 32, shuffle=True, seed=seed)
        val = batches(x_val, y_val, 256)
        _LAST_RUN.update(key=key, run=fn(train, val, MAX_EPOCHS))
    return _LAST_RUN["run"]


@student_check
def check_early_stopping(
    run: Any, budget: int = MAX_EPOCHS, threshold: float = VAL_ACCURACY, split: str = "val"
) -> None:
    """Check a (model, history, early_stopping) run: the callback watched validation data,
    restored the best weights and could stop within the budget (patience < epochs), ``fit`` was
    given ``budget`` epochs with that callback, and the model reaches ``threshold`` accuracy on
    the digits' ``split``. Whether the validation quantity stopped improving before the budget
    depends on the recipe and the seed, not on the code: a run that used the whole budget is
    not failed for it (measured: dense 64 with Adam 1e-3 ran all 100 epochs for 1 seed of 10)."""
    import keras

    call = "fit_with_early_stopping(train, val, max_epochs)"
    assert isinstance(run, tuple | list) and len(run) == 3, (
        f"{call} returned {_describe(run)}; expected a tuple (model, history, early_stopping)."
    )
    model, history, early_stopping = run
    for value, kind, what in [
        (model, keras.Model, "model: a keras.Model"),
        (history, keras.callbacks.History, "history: what model.fit returns"),
        (early_stopping, keras.callbacks.EarlyStopping, "early_stopping: the callback"),
    ]:
        assert isinstance(value, kind), (
            f"{call} returned {_describe(value)} as {what.split(':')[0]}; expected {what}."
        )
    assert early_stopping.monitor.startswith("val_"), (
        f"early_stopping monitors {early_stopping.monitor!r}, a training quantity; it should "
        "watch the validation data (a name starting with 'val_')."
    )
    assert early_stopping.restore_best_weights, (
        "early_stopping has restore_best_weights=False: the model keeps the weights of the "
        "last epoch, not of the best one."
    )
    assert early_stopping.model is model and history.model is model, (
        "the returned history and early_stopping do not both come from the returned model's "
        "fit: pass callbacks=[early_stopping] to model.fit and return what it returns."
    )
    assert any(key.startswith("val_") for key in history.history), (
        f"the fit recorded {sorted(history.history)}: no validation values. Pass "
        "validation_data=val to fit."
    )
    planned = history.params.get("epochs")
    assert planned is not None and planned >= budget, (
        f"the fit was given epochs={planned}; give it the whole budget, epochs=max_epochs "
        f"({budget}), and let early stopping end it."
    )
    ran = len(history.epoch)
    assert early_stopping.patience < planned, (
        f"early_stopping has patience={early_stopping.patience} for a fit of {planned} epochs: "
        "it can never stop the training. Give it a patience of a few epochs."
    )
    assert ran == planned or early_stopping.stopped_epoch == history.epoch[-1], (
        f"the returned fit ran {ran} of its {planned} epochs and ended at epoch "
        f"{history.epoch[-1]}, but early stopping stopped at epoch "
        f"{early_stopping.stopped_epoch}."
    )
    accuracy = digits_accuracy(model, split)
    name = {"val": "validation", "test": "test"}[split]
    assert accuracy >= threshold, (
        f"the early-stopped model classifies {accuracy:.1%} of the {name} digits correctly "
        f"(after {ran} epochs); it should reach {threshold:.0%}."
    )


@student_check
def check_fit_with_early_stopping(
    fn: Callable, budget: int = MAX_EPOCHS, threshold: float = VAL_ACCURACY, split: str = "val"
) -> None:
    """Train ``fn`` once (see train_early_stopping), then check_early_stopping on its run."""
    check_early_stopping(train_early_stopping(fn), budget, threshold, split)


# --- the questions of the notebook ------------------------------------------------------

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
