"""Correct answers to notebook 03-compilation, written independently of the reference solution.

Each gets full marks (hidden tests included); the tests plant every one of them.
"""

ASSIGNMENT = "03-compilation"

ALTERNATIVES: dict[str, dict[str, str]] = {
    "categorical_crossentropy": {
        "explicit loops over samples and classes, Python float": """
import math

def categorical_crossentropy(y_true, y_pred, eps=1e-7):
    total = 0.0
    for row_true, row_pred in zip(y_true, y_pred):
        for t, p in zip(row_true, row_pred):
            p = min(max(float(p), eps), 1 - eps)
            total -= float(t) * math.log(p)
    return total / len(y_true)
""",
        "np.maximum / np.minimum, returns an np.float64": """
def categorical_crossentropy(y_true, y_pred, eps=1e-7):
    p = np.minimum(np.maximum(y_pred, eps), 1 - eps)
    per_sample = -(y_true * np.log(p)).sum(axis=1)
    return per_sample.mean()
""",
        "keras.ops, returns a 0-d array": """
def categorical_crossentropy(y_true, y_pred, eps=1e-7):
    p = keras.ops.clip(y_pred, eps, 1 - eps)
    loss = -keras.ops.sum(y_true * keras.ops.log(p), axis=-1)
    return keras.ops.convert_to_numpy(keras.ops.mean(loss))
""",
        "renormalises the rows as Keras does, np.float32": """
def categorical_crossentropy(y_true, y_pred, eps=1e-7):
    y_pred = y_pred / y_pred.sum(axis=-1, keepdims=True)
    logs = np.log(np.clip(y_pred, eps, 1.0 - eps))
    return np.float32(-np.einsum("nc,nc->n", y_true, logs).mean())
""",
    },
    "sparse_categorical_crossentropy": {
        "one-hot via np.eye, then the categorical formula": """
def sparse_categorical_crossentropy(labels, y_pred, eps=1e-7):
    one_hot = np.eye(y_pred.shape[1])[labels]
    p = np.clip(y_pred, eps, 1 - eps)
    return float(np.mean(-np.sum(one_hot * np.log(p), axis=1)))
""",
        "a loop with Python floats": """
import math

def sparse_categorical_crossentropy(labels, y_pred, eps=1e-7):
    losses = []
    for label, row in zip(labels, y_pred):
        p = min(max(float(row[int(label)]), eps), 1 - eps)
        losses.append(-math.log(p))
    return sum(losses) / len(losses)
""",
        "np.take_along_axis, returns an np.float64": """
def sparse_categorical_crossentropy(labels, y_pred, eps=1e-7):
    picked = np.take_along_axis(y_pred, np.asarray(labels)[:, None], axis=1)[:, 0]
    return np.mean(-np.log(np.maximum(np.minimum(picked, 1 - eps), eps)))
""",
    },
    "mean_squared_error": {
        "mean over the last axis, then over the rest (Keras's two steps)": """
def mean_squared_error(y_true, y_pred):
    per_sample = np.mean(np.square(y_pred - y_true), axis=-1)
    return per_sample.mean()
""",
        "sum divided by the count, Python float": """
def mean_squared_error(y_true, y_pred):
    diff = (np.asarray(y_true, dtype=np.float64) - y_pred).ravel()
    return float(diff @ diff) / diff.size
""",
        "keras.ops": """
def mean_squared_error(y_true, y_pred):
    return float(keras.ops.mean(keras.ops.square(y_true - y_pred)))
""",
    },
    "huber": {
        "boolean masks instead of np.where": """
def huber(y_true, y_pred, delta=1.0):
    e = np.abs(y_true - y_pred).astype(np.float64)
    small = e <= delta
    values = np.empty_like(e)
    values[small] = 0.5 * e[small] ** 2
    values[~small] = delta * e[~small] - 0.5 * delta**2
    return values.mean()
""",
        "quadratic part plus linear part (np.minimum)": """
def huber(y_true, y_pred, delta=1.0):
    e = np.abs(y_pred - y_true)
    quadratic = np.minimum(e, delta)
    linear = e - quadratic
    return float(np.mean(np.mean(0.5 * quadratic**2 + delta * linear, axis=-1)))
""",
        "explicit loops, Python float": """
def huber(y_true, y_pred, delta=1.0):
    total, count = 0.0, 0
    for row_true, row_pred in zip(y_true, y_pred):
        for t, p in zip(row_true, row_pred):
            e = abs(float(p) - float(t))
            total += 0.5 * e * e if e <= delta else delta * (e - 0.5 * delta)
            count += 1
    return total / count
""",
    },
    "iou_loss": {
        "explicit corners (x0, y0, x1, y1), np.maximum at 0": """
def iou_loss(boxes_true, boxes_pred):
    def corners(b):
        return b[:, 0], b[:, 1], b[:, 0] + b[:, 2], b[:, 1] + b[:, 3]
    ax0, ay0, ax1, ay1 = corners(boxes_true)
    bx0, by0, bx1, by1 = corners(boxes_pred)
    iw = np.maximum(0.0, np.minimum(ax1, bx1) - np.maximum(ax0, bx0))
    ih = np.maximum(0.0, np.minimum(ay1, by1) - np.maximum(ay0, by0))
    inter = iw * ih
    union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
    return np.mean(1.0 - inter / union)
""",
        "a loop over box pairs, Python floats": """
def iou_loss(boxes_true, boxes_pred):
    losses = []
    for (xt, yt, wt, ht), (xp, yp, wp, hp) in zip(boxes_true.tolist(), boxes_pred.tolist()):
        iw = max(0.0, min(xt + wt, xp + wp) - max(xt, xp))
        ih = max(0.0, min(yt + ht, yp + hp) - max(yt, yp))
        inter = iw * ih
        losses.append(1.0 - inter / (wt * ht + wp * hp - inter))
    return sum(losses) / len(losses)
""",
        "keras's compute_iou": """
def iou_loss(boxes_true, boxes_pred):
    table = keras.utils.bounding_boxes.compute_iou(boxes_true, boxes_pred, "xywh")
    return float(keras.ops.mean(1.0 - keras.ops.diagonal(table)))
""",
    },
    "dice_loss": {
        "per-image Dice by a loop when axis is given": """
def dice_loss(y_true, y_pred, axis=None, eps=1e-7):
    def dice(t, p):
        return 2 * np.sum(t * p) / (np.sum(t) + np.sum(p) + eps)
    if axis is None:
        return float(1 - dice(y_true, y_pred))
    return float(np.mean([1 - dice(t, p) for t, p in zip(y_true, y_pred)]))
""",
        "keras.ops with keepdims": """
def dice_loss(y_true, y_pred, axis=None, eps=1e-7):
    inter = keras.ops.sum(y_true * y_pred, axis=axis, keepdims=True)
    total = keras.ops.sum(y_true, axis=axis, keepdims=True) + keras.ops.sum(
        y_pred, axis=axis, keepdims=True)
    return keras.ops.convert_to_numpy(keras.ops.mean(1.0 - 2.0 * inter / (total + eps)))
""",
        "sum of (t + p) in the denominator, np.float64": """
def dice_loss(y_true, y_pred, axis=None, eps=1e-7):
    t = y_true.astype(np.float64)
    p = y_pred.astype(np.float64)
    score = (2.0 * (t * p).sum(axis=axis)) / ((t + p).sum(axis=axis) + eps)
    return np.mean(1.0 - score)
""",
    },
    "losses_for": {
        "if-chain after normalising, returns a set": """
def losses_for(task, one_hot=False):
    words = task.strip().lower().replace("_", " ").replace("-", " ").split()
    name = " ".join(words)
    ce = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"
    if name == "classification":
        return {ce}
    if name == "detection":
        return {"huber", "iou"}
    if name == "generation":
        return {"mean_squared_error", "adversarial"}
    if name == "semantic segmentation":
        return {"dice", ce}
    if name == "instance segmentation":
        return {ce, "huber", "binary_crossentropy", "dice"}
    raise ValueError(task)
""",
        "re normalisation, dict of tuples": """
import re

def losses_for(task, one_hot=False):
    key = re.sub(r"[\\s_-]+", "_", task.strip().lower())
    ce = ("sparse_categorical_crossentropy", "categorical_crossentropy")[bool(one_hot)]
    table = {
        "classification": (ce,),
        "detection": ("iou", "huber"),
        "generation": ("adversarial", "mean_squared_error"),
        "semantic_segmentation": (ce, "dice"),
        "instance_segmentation": (ce, "huber", "binary_crossentropy", "dice"),
    }
    return table[key]
""",
        "match statement on the words": """
def losses_for(task, one_hot=False):
    for sep in "-_":
        task = task.replace(sep, " ")
    ce = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"
    match task.casefold().split():
        case ["classification"]:
            return [ce]
        case ["detection"]:
            return ["iou", "huber"]
        case ["generation"]:
            return ["adversarial", "mean_squared_error"]
        case ["semantic", "segmentation"]:
            return [ce, "dice"]
        case ["instance", "segmentation"]:
            return [ce, "huber", "binary_crossentropy", "dice"]
    raise ValueError(task)
""",
    },
    "diagnose": {
        "plain Python loop for the lowest value": """
def diagnose(history, target=0.9, rise=0.1):
    lowest = history["val_loss"][0]
    for value in history["val_loss"]:
        if value < lowest:
            lowest = value
    if history["val_loss"][-1] > lowest * (1 + rise):
        return "overfitting"
    return "underfitting" if history["accuracy"][-1] < target else "good fit"
""",
        "relative rise from np.min, one return": """
def diagnose(history, target=0.9, rise=0.1):
    val_loss = np.array(history["val_loss"], dtype=float)
    overfits = val_loss[-1] / np.min(val_loss) - 1 > rise
    underfits = history["accuracy"][-1] < target
    return "overfitting" if overfits else ("underfitting" if underfits else "good fit")
""",
        "min() builtin and a dict of verdicts": """
def diagnose(history, target=0.9, rise=0.1):
    best = min(history["val_loss"])
    verdicts = [
        (history["val_loss"][-1] - best > rise * best, "overfitting"),
        (history["accuracy"][-1] < target, "underfitting"),
        (True, "good fit"),
    ]
    return next(label for condition, label in verdicts if condition)
""",
    },
    "fit_with_early_stopping": {
        "the notebook's dense_network (64 units), Adam 1e-3, no seed of its own": """
def dense_network(widths=(64,), activation="relu"):
    # section 5's network (the grader runs only the setup cell, so it is repeated here)
    stack = [keras.Input((8, 8, 1)), layers.Flatten()]
    stack += [layers.Dense(width, activation=activation) for width in widths]
    return keras.Sequential(stack + [layers.Dense(10, activation="softmax")])

def fit_with_early_stopping(train, val, max_epochs):
    model = dense_network(widths=(64,))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=5, restore_best_weights=True)
    history = model.fit(train, validation_data=val, epochs=max_epochs,
                        callbacks=[early_stopping], verbose=0)
    return model, history, early_stopping
""",
        "a small functional CNN, RMSprop": """
def fit_with_early_stopping(train, val, max_epochs):
    inputs = keras.Input((8, 8, 1))
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPooling2D()(x)
    outputs = layers.Dense(10, activation="softmax")(layers.Flatten()(x))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=5, restore_best_weights=True)
    history = model.fit(train, validation_data=val, epochs=max_epochs,
                        callbacks=[early_stopping], verbose=0)
    return model, history, early_stopping
""",
        "a subclassed model, SGD with momentum, Sequential-free": """
class DigitNet(keras.Model):
    def __init__(self):
        super().__init__()
        self.flatten = layers.Flatten()
        self.hidden = layers.Dense(64, activation="relu")
        self.out = layers.Dense(10, activation="softmax")

    def call(self, x):
        return self.out(self.hidden(self.flatten(x)))

def fit_with_early_stopping(train, val, max_epochs):
    model = DigitNet()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=5, restore_best_weights=True)
    history = model.fit(train, validation_data=val, epochs=max_epochs,
                        callbacks=[early_stopping], verbose=0)
    return model, history, early_stopping
""",
    },
}
