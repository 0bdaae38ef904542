"""Typical wrong answers to notebook 03 (compilation), keyed by solution cell grade_id.

Each must lose exactly its own question's points. The tests plant every one of them; the
demo class's "mistakes" student submits the ones in ``DEMO``, all in exercises that train
nothing. ``fit_with_early_stopping``'s mistakes each train a model for a few seconds.
"""

from course.mistakes.edits import Edit, replace, resolve

ASSIGNMENT = "03-compilation"

#: grade_id -> label -> the mistake: an edit of the solution cell, or a full cell source.
WRITTEN: dict[str, dict[str, Edit | str]] = {
    "categorical_crossentropy": {
        "no clipping (log(0) on a confident wrong prediction)": replace(
            "p = np.clip(y_pred, eps, 1 - eps)\n"
            "    return float(np.mean(-np.sum(y_true * np.log(p), axis=-1)))",
            "return float(np.mean(-np.sum(y_true * np.log(y_pred), axis=-1)))",
        ),
        "sums over the batch instead of averaging": replace(
            "return float(np.mean(-np.sum(y_true * np.log(p), axis=-1)))",
            "return float(np.sum(-np.sum(y_true * np.log(p), axis=-1)))",
        ),
        "averages over the classes too": replace(
            "return float(np.mean(-np.sum(y_true * np.log(p), axis=-1)))",
            "return float(np.mean(-y_true * np.log(p)))",
        ),
        "clips with a much smaller epsilon": replace(
            "p = np.clip(y_pred, eps, 1 - eps)",
            "p = np.clip(y_pred, 1e-12, 1 - 1e-12)",
        ),
    },
    "sparse_categorical_crossentropy": {
        "no clipping": replace(
            "p = np.clip(y_pred[np.arange(len(labels)), labels], eps, 1 - eps)",
            "p = y_pred[np.arange(len(labels)), labels]",
        ),
        "sums over the batch instead of averaging": replace(
            "return float(np.mean(-np.log(p)))",
            "return float(np.sum(-np.log(p)))",
        ),
        "indexes the rows only, y_pred[labels] (an N x C table)": replace(
            "p = np.clip(y_pred[np.arange(len(labels)), labels], eps, 1 - eps)\n"
            "    return float(np.mean(-np.log(p)))",
            "p = np.clip(y_pred[labels], eps, 1 - eps)\n"
            "    return float(np.mean(-np.sum(np.log(p), axis=-1)))",
        ),
        "indexes with y_pred[:, labels] (an N x N table)": replace(
            "p = np.clip(y_pred[np.arange(len(labels)), labels], eps, 1 - eps)",
            "p = np.clip(y_pred[:, labels], eps, 1 - eps)",
        ),
    },
    "mean_squared_error": {
        "sums over the batch instead of averaging": replace(
            "return float(np.mean((y_true - y_pred) ** 2))",
            "return float(np.sum(np.mean((y_true - y_pred) ** 2, axis=-1)))",
        ),
        "sums the squared errors of each sample": replace(
            "return float(np.mean((y_true - y_pred) ** 2))",
            "return float(np.mean(np.sum((y_true - y_pred) ** 2, axis=-1)))",
        ),
        "root of the mean (RMSE)": replace(
            "return float(np.mean((y_true - y_pred) ** 2))",
            "return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))",
        ),
        "absolute instead of squared errors": replace(
            "return float(np.mean((y_true - y_pred) ** 2))",
            "return float(np.mean(np.abs(y_true - y_pred)))",
        ),
    },
    "huber": {
        "forgets the 0.5 of the quadratic part": replace(
            "per_value = np.where(e <= delta, 0.5 * e**2, delta * (e - 0.5 * delta))",
            "per_value = np.where(e <= delta, e**2, delta * (e - 0.5 * delta))",
        ),
        "smooth L1 with delta = 1 whatever delta": replace(
            "per_value = np.where(e <= delta, 0.5 * e**2, delta * (e - 0.5 * delta))",
            "per_value = np.where(e <= 1.0, 0.5 * e**2, e - 0.5)",
        ),
        "sums over the 4 box coordinates": replace(
            "return float(np.mean(per_value))",
            "return float(np.mean(np.sum(per_value, axis=-1)))",
        ),
        "linear part without the -0.5 * delta": replace(
            "per_value = np.where(e <= delta, 0.5 * e**2, delta * (e - 0.5 * delta))",
            "per_value = np.where(e <= delta, 0.5 * e**2, delta * e)",
        ),
    },
    "iou_loss": {
        "intersection not clipped at 0 (boxes apart)": replace(
            "iw = np.clip(np.minimum(x0t + wt, x0p + wp) - np.maximum(x0t, x0p), 0, None)\n"
            "    ih = np.clip(np.minimum(y0t + ht, y0p + hp) - np.maximum(y0t, y0p), 0, None)",
            "iw = np.minimum(x0t + wt, x0p + wp) - np.maximum(x0t, x0p)\n"
            "    ih = np.minimum(y0t + ht, y0p + hp) - np.maximum(y0t, y0p)",
        ),
        "union without subtracting the intersection": replace(
            "union = wt * ht + wp * hp - inter",
            "union = wt * ht + wp * hp",
        ),
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
        "returns the IoU, not 1 - IoU": replace(
            "return float(np.mean(1 - inter / union))",
            "return float(np.mean(inter / union))",
        ),
    },
    "dice_loss": {
        "forgets the factor 2": replace(
            "dice = 2 * inter / (np.sum(y_true, axis=axis) + np.sum(y_pred, axis=axis) + eps)",
            "dice = inter / (np.sum(y_true, axis=axis) + np.sum(y_pred, axis=axis) + eps)",
        ),
        "squares in the denominator (the V-Net variant)": replace(
            "dice = 2 * inter / (np.sum(y_true, axis=axis) + np.sum(y_pred, axis=axis) + eps)",
            "dice = 2 * inter / (np.sum(y_true**2, axis=axis) + np.sum(y_pred**2,"
            " axis=axis) + eps)",
        ),
        "one Dice per image even when axis=None": replace(
            "inter = np.sum(y_true * y_pred, axis=axis)\n"
            "    dice = 2 * inter / (np.sum(y_true, axis=axis) + np.sum(y_pred, axis=axis) + eps)",
            "axes = tuple(range(1, y_true.ndim))\n"
            "    inter = np.sum(y_true * y_pred, axis=axes)\n"
            "    dice = 2 * inter / (np.sum(y_true, axis=axes) + np.sum(y_pred, axis=axes) + eps)",
        ),
        "no epsilon (0 / 0 on an empty mask)": replace(
            "dice = 2 * inter / (np.sum(y_true, axis=axis) + np.sum(y_pred, axis=axis) + eps)",
            "dice = 2 * inter / (np.sum(y_true, axis=axis) + np.sum(y_pred, axis=axis))",
        ),
    },
    "losses_for": {
        "always the sparse cross-entropy (ignores one_hot)": replace(
            'ce = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"',
            'ce = "sparse_categorical_crossentropy"',
        ),
        "MSE for detection instead of smooth L1": replace(
            '"detection": ["iou", "huber"],',
            '"detection": ["iou", "mean_squared_error"],',
        ),
        "binary cross-entropy for semantic segmentation": replace(
            '"semantic segmentation": [ce, "dice"],',
            '"semantic segmentation": ["binary_crossentropy", "dice"],',
        ),
        "task names only as written in the table": replace(
            '\n    task = " ".join(task.lower().replace("-", " ").replace("_", " ").split())',
            "",
        ),
        "keeps the spaces around the name": replace(
            'task = " ".join(task.lower().replace("-", " ").replace("_", " ").split())',
            'task = task.lower().replace("-", " ").replace("_", " ")',
        ),
    },
    "diagnose": {
        "only looks at the last epoch (accuracy gap)": replace(
            'val_loss = np.asarray(history["val_loss"])\n'
            "    if val_loss[-1] > (1 + rise) * val_loss.min():",
            'if history["accuracy"][-1] - history["val_accuracy"][-1] > rise:',
        ),
        "only looks at the last epoch (validation loss above training loss)": replace(
            'val_loss = np.asarray(history["val_loss"])\n'
            "    if val_loss[-1] > (1 + rise) * val_loss.min():",
            'if history["val_loss"][-1] > (1 + rise) * history["loss"][-1]:',
        ),
        "compares the last two epochs only": replace(
            'val_loss = np.asarray(history["val_loss"])\n'
            "    if val_loss[-1] > (1 + rise) * val_loss.min():",
            'if history["val_loss"][-1] > history["val_loss"][-2]:',
        ),
        "ignores target (always 0.9)": replace(
            'if history["accuracy"][-1] < target:',
            'if history["accuracy"][-1] < 0.9:',
        ),
        "tests underfitting before overfitting (wrong rule order)": """
def diagnose(history, target=0.9, rise=0.1):
    val_loss = np.asarray(history["val_loss"])
    if history["accuracy"][-1] < target:
        return "underfitting"
    if val_loss[-1] > (1 + rise) * val_loss.min():
        return "overfitting"
    return "good fit"
""",
        "rise measured from the first epoch, not from the lowest value": replace(
            "if val_loss[-1] > (1 + rise) * val_loss.min():",
            "if val_loss[-1] > (1 + rise) * val_loss[0]:",
        ),
    },
    "fit_with_early_stopping": {
        "keeps the last epoch's weights (restore_best_weights=False)": replace(
            'monitor="val_loss", patience=5, restore_best_weights=True',
            'monitor="val_loss", patience=5, restore_best_weights=False',
        ),
        "a budget of its own (epochs=20, not max_epochs)": replace(
            "train, validation_data=val, epochs=max_epochs, callbacks=[early_stopping], verbose=0",
            "train, validation_data=val, epochs=20, callbacks=[early_stopping], verbose=0",
        ),
        "mode='min' on the validation accuracy (keeps the worst epoch)": replace(
            'monitor="val_loss", patience=5, restore_best_weights=True',
            'monitor="val_accuracy", mode="min", patience=5, restore_best_weights=True',
        ),
        "patience as large as the budget (can never stop)": replace(
            'monitor="val_loss", patience=5, restore_best_weights=True',
            'monitor="val_loss", patience=max_epochs, restore_best_weights=True',
        ),
        "watches the training loss (monitor='loss')": replace(
            'monitor="val_loss", patience=5, restore_best_weights=True',
            'monitor="loss", patience=5, restore_best_weights=True',
        ),
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

#: grade_id -> label -> source of the wrong cell (edits applied to solutions/).
MISTAKES: dict[str, dict[str, str]] = resolve(ASSIGNMENT, WRITTEN)

#: The mistakes the demo class's third student makes: (solution grade_id, mistake label).
DEMO = (
    ("categorical_crossentropy", "no clipping (log(0) on a confident wrong prediction)"),
    ("mean_squared_error", "sums over the batch instead of averaging"),
    ("diagnose", "only looks at the last epoch (accuracy gap)"),
)
