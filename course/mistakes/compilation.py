"""Typical wrong answers to notebook 03 (compilation), keyed by solution cell grade_id.

Each must lose exactly its own question's points. The tests plant every one of them; the
demo class's "mistakes" student submits the ones in ``DEMO``, all in exercises that train
nothing. ``fit_with_early_stopping``'s mistakes each train a model for a few seconds.
"""

ASSIGNMENT = "03-compilation"

MISTAKES: dict[str, dict[str, str]] = {
    "categorical_crossentropy": {
        "no clipping (log(0) on a confident wrong prediction)": """
def categorical_crossentropy(y_true, y_pred, eps=1e-7):
    return float(np.mean(-np.sum(y_true * np.log(y_pred), axis=-1)))
""",
        "sums over the batch instead of averaging": """
def categorical_crossentropy(y_true, y_pred, eps=1e-7):
    p = np.clip(y_pred, eps, 1 - eps)
    return float(np.sum(-np.sum(y_true * np.log(p), axis=-1)))
""",
        "averages over the classes too": """
def categorical_crossentropy(y_true, y_pred, eps=1e-7):
    p = np.clip(y_pred, eps, 1 - eps)
    return float(np.mean(-y_true * np.log(p)))
""",
        "clips with a much smaller epsilon": """
def categorical_crossentropy(y_true, y_pred, eps=1e-7):
    p = np.clip(y_pred, 1e-12, 1 - 1e-12)
    return float(np.mean(-np.sum(y_true * np.log(p), axis=-1)))
""",
    },
    "sparse_categorical_crossentropy": {
        "no clipping": """
def sparse_categorical_crossentropy(labels, y_pred, eps=1e-7):
    p = y_pred[np.arange(len(labels)), labels]
    return float(np.mean(-np.log(p)))
""",
        "sums over the batch instead of averaging": """
def sparse_categorical_crossentropy(labels, y_pred, eps=1e-7):
    p = np.clip(y_pred[np.arange(len(labels)), labels], eps, 1 - eps)
    return float(np.sum(-np.log(p)))
""",
        "indexes the rows only, y_pred[labels] (an N x C table)": """
def sparse_categorical_crossentropy(labels, y_pred, eps=1e-7):
    p = np.clip(y_pred[labels], eps, 1 - eps)
    return float(np.mean(-np.sum(np.log(p), axis=-1)))
""",
        "indexes with y_pred[:, labels] (an N x N table)": """
def sparse_categorical_crossentropy(labels, y_pred, eps=1e-7):
    p = np.clip(y_pred[:, labels], eps, 1 - eps)
    return float(np.mean(-np.log(p)))
""",
    },
    "mean_squared_error": {
        "sums over the batch instead of averaging": """
def mean_squared_error(y_true, y_pred):
    return float(np.sum(np.mean((y_true - y_pred) ** 2, axis=-1)))
""",
        "sums the squared errors of each sample": """
def mean_squared_error(y_true, y_pred):
    return float(np.mean(np.sum((y_true - y_pred) ** 2, axis=-1)))
""",
        "root of the mean (RMSE)": """
def mean_squared_error(y_true, y_pred):
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))
""",
        "absolute instead of squared errors": """
def mean_squared_error(y_true, y_pred):
    return float(np.mean(np.abs(y_true - y_pred)))
""",
    },
    "huber": {
        "forgets the 0.5 of the quadratic part": """
def huber(y_true, y_pred, delta=1.0):
    e = np.abs(y_pred - y_true)
    per_value = np.where(e <= delta, e**2, delta * (e - 0.5 * delta))
    return float(np.mean(per_value))
""",
        "smooth L1 with delta = 1 whatever delta": """
def huber(y_true, y_pred, delta=1.0):
    e = np.abs(y_pred - y_true)
    per_value = np.where(e <= 1.0, 0.5 * e**2, e - 0.5)
    return float(np.mean(per_value))
""",
        "sums over the 4 box coordinates": """
def huber(y_true, y_pred, delta=1.0):
    e = np.abs(y_pred - y_true)
    per_value = np.where(e <= delta, 0.5 * e**2, delta * (e - 0.5 * delta))
    return float(np.mean(np.sum(per_value, axis=-1)))
""",
        "linear part without the -0.5 * delta": """
def huber(y_true, y_pred, delta=1.0):
    e = np.abs(y_pred - y_true)
    per_value = np.where(e <= delta, 0.5 * e**2, delta * e)
    return float(np.mean(per_value))
""",
    },
    "iou_loss": {
        "intersection not clipped at 0 (boxes apart)": """
def iou_loss(boxes_true, boxes_pred):
    x0t, y0t, wt, ht = np.moveaxis(boxes_true, -1, 0)
    x0p, y0p, wp, hp = np.moveaxis(boxes_pred, -1, 0)
    iw = np.minimum(x0t + wt, x0p + wp) - np.maximum(x0t, x0p)
    ih = np.minimum(y0t + ht, y0p + hp) - np.maximum(y0t, y0p)
    inter = iw * ih
    union = wt * ht + wp * hp - inter
    return float(np.mean(1 - inter / union))
""",
        "union without subtracting the intersection": """
def iou_loss(boxes_true, boxes_pred):
    x0t, y0t, wt, ht = np.moveaxis(boxes_true, -1, 0)
    x0p, y0p, wp, hp = np.moveaxis(boxes_pred, -1, 0)
    iw = np.clip(np.minimum(x0t + wt, x0p + wp) - np.maximum(x0t, x0p), 0, None)
    ih = np.clip(np.minimum(y0t + ht, y0p + hp) - np.maximum(y0t, y0p), 0, None)
    inter = iw * ih
    union = wt * ht + wp * hp
    return float(np.mean(1 - inter / union))
""",
        "reads (x, y) as the box centre": """
def iou_loss(boxes_true, boxes_pred):
    cxt, cyt, wt, ht = np.moveaxis(boxes_true, -1, 0)
    cxp, cyp, wp, hp = np.moveaxis(boxes_pred, -1, 0)
    right = np.minimum(cxt + wt / 2, cxp + wp / 2)
    bottom = np.minimum(cyt + ht / 2, cyp + hp / 2)
    iw = np.clip(right - np.maximum(cxt - wt / 2, cxp - wp / 2), 0, None)
    ih = np.clip(bottom - np.maximum(cyt - ht / 2, cyp - hp / 2), 0, None)
    inter = iw * ih
    union = wt * ht + wp * hp - inter
    return float(np.mean(1 - inter / union))
""",
        "returns the IoU, not 1 - IoU": """
def iou_loss(boxes_true, boxes_pred):
    x0t, y0t, wt, ht = np.moveaxis(boxes_true, -1, 0)
    x0p, y0p, wp, hp = np.moveaxis(boxes_pred, -1, 0)
    iw = np.clip(np.minimum(x0t + wt, x0p + wp) - np.maximum(x0t, x0p), 0, None)
    ih = np.clip(np.minimum(y0t + ht, y0p + hp) - np.maximum(y0t, y0p), 0, None)
    inter = iw * ih
    union = wt * ht + wp * hp - inter
    return float(np.mean(inter / union))
""",
    },
    "dice_loss": {
        "forgets the factor 2": """
def dice_loss(y_true, y_pred, axis=None, eps=1e-7):
    inter = np.sum(y_true * y_pred, axis=axis)
    dice = inter / (np.sum(y_true, axis=axis) + np.sum(y_pred, axis=axis) + eps)
    return float(np.mean(1 - dice))
""",
        "squares in the denominator (the V-Net variant)": """
def dice_loss(y_true, y_pred, axis=None, eps=1e-7):
    inter = np.sum(y_true * y_pred, axis=axis)
    dice = 2 * inter / (np.sum(y_true**2, axis=axis) + np.sum(y_pred**2, axis=axis) + eps)
    return float(np.mean(1 - dice))
""",
        "one Dice per image even when axis=None": """
def dice_loss(y_true, y_pred, axis=None, eps=1e-7):
    axes = tuple(range(1, y_true.ndim))
    inter = np.sum(y_true * y_pred, axis=axes)
    dice = 2 * inter / (np.sum(y_true, axis=axes) + np.sum(y_pred, axis=axes) + eps)
    return float(np.mean(1 - dice))
""",
        "no epsilon (0 / 0 on an empty mask)": """
def dice_loss(y_true, y_pred, axis=None, eps=1e-7):
    inter = np.sum(y_true * y_pred, axis=axis)
    dice = 2 * inter / (np.sum(y_true, axis=axis) + np.sum(y_pred, axis=axis))
    return float(np.mean(1 - dice))
""",
    },
    "losses_for": {
        "always the sparse cross-entropy (ignores one_hot)": """
def losses_for(task, one_hot=False):
    task = " ".join(task.lower().replace("-", " ").replace("_", " ").split())
    ce = "sparse_categorical_crossentropy"
    table = {
        "classification": [ce],
        "detection": ["iou", "huber"],
        "generation": ["adversarial", "mean_squared_error"],
        "semantic segmentation": [ce, "dice"],
        "instance segmentation": [ce, "huber", "binary_crossentropy", "dice"],
    }
    return table[task]
""",
        "MSE for detection instead of smooth L1": """
def losses_for(task, one_hot=False):
    task = " ".join(task.lower().replace("-", " ").replace("_", " ").split())
    ce = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"
    table = {
        "classification": [ce],
        "detection": ["iou", "mean_squared_error"],
        "generation": ["adversarial", "mean_squared_error"],
        "semantic segmentation": [ce, "dice"],
        "instance segmentation": [ce, "huber", "binary_crossentropy", "dice"],
    }
    return table[task]
""",
        "binary cross-entropy for semantic segmentation": """
def losses_for(task, one_hot=False):
    task = " ".join(task.lower().replace("-", " ").replace("_", " ").split())
    ce = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"
    table = {
        "classification": [ce],
        "detection": ["iou", "huber"],
        "generation": ["adversarial", "mean_squared_error"],
        "semantic segmentation": ["binary_crossentropy", "dice"],
        "instance segmentation": [ce, "huber", "binary_crossentropy", "dice"],
    }
    return table[task]
""",
        "task names only as written in the table": """
def losses_for(task, one_hot=False):
    ce = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"
    table = {
        "classification": [ce],
        "detection": ["iou", "huber"],
        "generation": ["adversarial", "mean_squared_error"],
        "semantic segmentation": [ce, "dice"],
        "instance segmentation": [ce, "huber", "binary_crossentropy", "dice"],
    }
    return table[task]
""",
        "keeps the spaces around the name": """
def losses_for(task, one_hot=False):
    task = task.lower().replace("-", " ").replace("_", " ")
    ce = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"
    table = {
        "classification": [ce],
        "detection": ["iou", "huber"],
        "generation": ["adversarial", "mean_squared_error"],
        "semantic segmentation": [ce, "dice"],
        "instance segmentation": [ce, "huber", "binary_crossentropy", "dice"],
    }
    return table[task]
""",
    },
    "diagnose": {
        "only looks at the last epoch (accuracy gap)": """
def diagnose(history, target=0.9, rise=0.1):
    if history["accuracy"][-1] - history["val_accuracy"][-1] > rise:
        return "overfitting"
    if history["accuracy"][-1] < target:
        return "underfitting"
    return "good fit"
""",
        "only looks at the last epoch (validation loss above training loss)": """
def diagnose(history, target=0.9, rise=0.1):
    if history["val_loss"][-1] > (1 + rise) * history["loss"][-1]:
        return "overfitting"
    if history["accuracy"][-1] < target:
        return "underfitting"
    return "good fit"
""",
        "compares the last two epochs only": """
def diagnose(history, target=0.9, rise=0.1):
    if history["val_loss"][-1] > history["val_loss"][-2]:
        return "overfitting"
    if history["accuracy"][-1] < target:
        return "underfitting"
    return "good fit"
""",
        "ignores target (always 0.9)": """
def diagnose(history, target=0.9, rise=0.1):
    val_loss = np.asarray(history["val_loss"])
    if val_loss[-1] > (1 + rise) * val_loss.min():
        return "overfitting"
    if history["accuracy"][-1] < 0.9:
        return "underfitting"
    return "good fit"
""",
        "tests underfitting before overfitting (wrong rule order)": """
def diagnose(history, target=0.9, rise=0.1):
    val_loss = np.asarray(history["val_loss"])
    if history["accuracy"][-1] < target:
        return "underfitting"
    if val_loss[-1] > (1 + rise) * val_loss.min():
        return "overfitting"
    return "good fit"
""",
        "rise measured from the first epoch, not from the lowest value": """
def diagnose(history, target=0.9, rise=0.1):
    val_loss = np.asarray(history["val_loss"])
    if val_loss[-1] > (1 + rise) * val_loss[0]:
        return "overfitting"
    if history["accuracy"][-1] < target:
        return "underfitting"
    return "good fit"
""",
    },
    "fit_with_early_stopping": {
        "keeps the last epoch's weights (restore_best_weights=False)": """
def fit_with_early_stopping(train, val, max_epochs):
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=5, restore_best_weights=False
    )
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=3e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(
        train, validation_data=val, epochs=max_epochs, callbacks=[early_stopping], verbose=0
    )
    return model, history, early_stopping
""",
        "a budget of its own (epochs=20, not max_epochs)": """
def fit_with_early_stopping(train, val, max_epochs):
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=5, restore_best_weights=True
    )
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=3e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(
        train, validation_data=val, epochs=20, callbacks=[early_stopping], verbose=0
    )
    return model, history, early_stopping
""",
        "mode='min' on the validation accuracy (keeps the worst epoch)": """
def fit_with_early_stopping(train, val, max_epochs):
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_accuracy", mode="min", patience=5, restore_best_weights=True
    )
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=3e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(
        train, validation_data=val, epochs=max_epochs, callbacks=[early_stopping], verbose=0
    )
    return model, history, early_stopping
""",
        "patience as large as the budget (can never stop)": """
def fit_with_early_stopping(train, val, max_epochs):
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=max_epochs, restore_best_weights=True
    )
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=3e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(
        train, validation_data=val, epochs=max_epochs, callbacks=[early_stopping], verbose=0
    )
    return model, history, early_stopping
""",
        "watches the training loss (monitor='loss')": """
def fit_with_early_stopping(train, val, max_epochs):
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="loss", patience=5, restore_best_weights=True
    )
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=3e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(
        train, validation_data=val, epochs=max_epochs, callbacks=[early_stopping], verbose=0
    )
    return model, history, early_stopping
""",
        "a softmax layer that learned nothing (learning rate 0)": """
def fit_with_early_stopping(train, val, max_epochs):
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=5, restore_best_weights=True
    )
    model = keras.Sequential([keras.Input((8, 8, 1)), layers.Flatten(),
                              layers.Dense(10, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(
        train, validation_data=val, epochs=max_epochs, callbacks=[early_stopping], verbose=0
    )
    return model, history, early_stopping
""",
    },
}

#: The mistakes the demo class's third student makes: (solution grade_id, mistake label).
DEMO = (
    ("categorical_crossentropy", "no clipping (log(0) on a confident wrong prediction)"),
    ("mean_squared_error", "sums over the batch instead of averaging"),
    ("diagnose", "only looks at the last epoch (accuracy gap)"),
)
