"""Typical wrong answers for notebook 01 (tasks), as the cells a student would write.

The function exercises (box conversions, IoU, pixel accuracy, Dice) are graded by cells that
run on their own; the model builders and ``sample_digits`` are graded after training, so their
mistakes are tested through the check functions (and none of them is in ``DEMO``).
"""

from course.mistakes.edits import Edit, replace, resolve

ASSIGNMENT = "01-tasks"

#: grade_id -> label -> the mistake: an edit of the solution cell, or a full cell source.
WRITTEN: dict[str, dict[str, Edit | str]] = {
    "build_classifier": {
        "no softmax on the output (logits)": replace(
            'outputs = layers.Dense(num_classes, activation="softmax")(x)',
            "outputs = layers.Dense(num_classes)(x)",
        ),
        "categorical cross-entropy on integer labels": replace(
            'loss="sparse_categorical_crossentropy",', 'loss="categorical_crossentropy",'
        ),
        "one output whatever num_classes": replace(
            'layers.Dense(num_classes, activation="softmax")(x)',
            'layers.Dense(1, activation="sigmoid")(x)',
            'loss="sparse_categorical_crossentropy",',
            'loss="binary_crossentropy",',
        ),
        "not compiled": replace(
            "    model.compile(\n"
            "        optimizer=keras.optimizers.Adam(3e-3),\n"
            '        loss="sparse_categorical_crossentropy",\n'
            '        metrics=["accuracy"],\n'
            "    )\n",
            "",
        ),
    },
    "corners_to_center": {
        "forgets to halve the width (centre = x_min + w)": replace(
            "return np.stack([x_min + w / 2, y_min + h / 2, w, h], axis=-1)",
            "return np.stack([x_min + w, y_min + h, w, h], axis=-1)",
        ),
        "integer division": replace(
            "boxes = np.asarray(boxes, dtype=float)",
            "boxes = np.asarray(boxes)",
            "return np.stack([x_min + w / 2, y_min + h / 2, w, h], axis=-1)",
            "return np.stack([x_min + w // 2, y_min + h // 2, w, h], axis=-1)",
        ),
        "pixel-inclusive width (x_max - x_min + 1)": replace(
            "w, h = x_max - x_min, y_max - y_min",
            "w, h = x_max - x_min + 1, y_max - y_min + 1",
        ),
        "only works for one box": replace(
            "boxes = np.asarray(boxes, dtype=float)\n"
            "    x_min, y_min, x_max, y_max = (boxes[..., i] for i in range(4))",
            "x_min, y_min, x_max, y_max = [float(v) for v in np.ravel(boxes)[:4]]",
            "return np.stack([x_min + w / 2, y_min + h / 2, w, h], axis=-1)",
            "return np.array([x_min + w / 2, y_min + h / 2, w, h])",
        ),
        "returns (x_min, y_min, w, h)": """
def corners_to_center(boxes):
    b = np.asarray(boxes, dtype=float)
    return np.concatenate([b[..., :2], b[..., 2:] - b[..., :2]], axis=-1)
""",
    },
    "center_to_corners": {
        "a whole width on each side (cx - w, cx + w)": replace(
            "return np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=-1)",
            "return np.stack([cx - w, cy - h, cx + w, cy + h], axis=-1)",
        ),
        "returns (x_min, y_min, w, h)": replace(
            "return np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=-1)",
            "return np.stack([cx - w / 2, cy - h / 2, w, h], axis=-1)",
        ),
        "integer division": replace(
            "boxes = np.asarray(boxes, dtype=float)",
            "boxes = np.asarray(boxes)",
            "return np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=-1)",
            "return np.stack([cx - w // 2, cy - h // 2, cx + w // 2, cy + h // 2], axis=-1)",
        ),
        "treats the centre as the top-left corner": replace(
            "return np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=-1)",
            "return np.stack([cx, cy, cx + w, cy + h], axis=-1)",
        ),
    },
    "iou": {
        "no clamp of the intersection at 0": replace(
            "inter_w = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))\n"
            "    inter_h = max(0.0, min(ay + ah, by + bh) - max(ay, by))",
            "inter_w = min(ax + aw, bx + bw) - max(ax, bx)\n"
            "    inter_h = min(ay + ah, by + bh) - max(ay, by)",
        ),
        "(x, y, w, h) read as corners": """
def iou(box_a, box_b):
    ax0, ay0, ax1, ay1 = box_a
    bx0, by0, bx1, by1 = box_b
    inter_w = max(0.0, min(ax1, bx1) - max(ax0, bx0))
    inter_h = max(0.0, min(ay1, by1) - max(ay0, by0))
    intersection = inter_w * inter_h
    union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - intersection
    return intersection / union if union > 0 else 0.0
""",
        "union without subtracting the intersection": replace(
            "union = aw * ah + bw * bh - intersection",
            "union = aw * ah + bw * bh",
        ),
        "divides by zero for empty boxes": replace(
            "union = aw * ah + bw * bh - intersection\n"
            "    return intersection / union if union > 0 else 0.0",
            "return intersection / (aw * ah + bw * bh - intersection)",
        ),
        "intersection over the smaller box": """
def iou(box_a, box_b):
    ax, ay, aw, ah = box_a
    bx, by, bw, bh = box_b
    iw = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    ih = max(0, min(ay + ah, by + bh) - max(ay, by))
    smaller = min(aw * ah, bw * bh)
    return iw * ih / smaller if smaller > 0 else 0.0
""",
    },
    "build_localizer": {
        "one output: a box without a class": """
def build_localizer(input_shape=(32, 32, 3), num_classes=3):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters in (8, 16, 32):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(4, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    return model
""",
        "box head without sigmoid, outside [0, 1]": replace(
            '"box": layers.Dense(4, activation="sigmoid", name="box")(x)',
            '"box": layers.Dense(4, name="box")(x)',
        ),
        "a box of two numbers (x, y) without its size": replace(
            'layers.Dense(4, activation="sigmoid", name="box")',
            'layers.Dense(2, activation="sigmoid", name="box")',
        ),
    },
    "pixel_accuracy": {
        "no threshold (compares probabilities with labels)": replace(
            "predicted = np.asarray(y_pred) > 0.5\n"
            "    return float(np.mean(predicted == (np.asarray(y_true) == 1)))",
            "return float(np.mean(np.asarray(y_pred) == np.asarray(y_true)))",
        ),
        "counts only the object pixels": replace(
            '"""Fraction of pixels right. y_true: (N, H, W) 0/1; y_pred: (N, H, W)'
            ' probabilities. Returns a float."""',
            '"""Fraction of pixels right. y_true: (N, H, W) 0/1; y_pred: (N, H, W)'
            ' probabilities. Returns a float."""\n'
            "    y_true = np.asarray(y_true)",
            "return float(np.mean(predicted == (np.asarray(y_true) == 1)))",
            "return float(np.mean(predicted[y_true == 1]))",
        ),
        "the number of right pixels, not the fraction": replace(
            "return float(np.mean(predicted == (np.asarray(y_true) == 1)))",
            "return float(np.sum(predicted == (np.asarray(y_true) == 1)))",
        ),
        ">= 0.5 instead of > 0.5 (0.5 counted as object)": replace(
            "predicted = np.asarray(y_pred) > 0.5",
            "predicted = np.asarray(y_pred) >= 0.5",
        ),
        "rounds the probabilities up at 0.5 (np.floor(p + 0.5))": replace(
            "predicted = np.asarray(y_pred) > 0.5\n"
            "    return float(np.mean(predicted == (np.asarray(y_true) == 1)))",
            "predicted = np.floor(np.asarray(y_pred) + 0.5)\n"
            "    return float(np.mean(predicted == np.asarray(y_true)))",
        ),
    },
    "dice": {
        "no factor 2": replace(
            "return float(2 * np.sum(y_true * y_pred) / (np.sum(y_true) + np.sum(y_pred)))",
            "return float(np.sum(y_true * y_pred) / (np.sum(y_true) + np.sum(y_pred)))",
        ),
        "IoU (Jaccard) instead of Dice": replace(
            "return float(2 * np.sum(y_true * y_pred) / (np.sum(y_true) + np.sum(y_pred)))",
            "intersection = np.sum(y_true * y_pred)\n"
            "    return float(intersection / (np.sum(y_true) + np.sum(y_pred) - intersection))",
        ),
        "returns the Dice loss, 1 - Dice": replace(
            "return float(2 * np.sum(y_true * y_pred) / (np.sum(y_true) + np.sum(y_pred)))",
            "return float(1 - 2 * np.sum(y_true * y_pred) / (np.sum(y_true) + np.sum(y_pred)))",
        ),
        "thresholds the probabilities first": replace(
            "y_pred = np.asarray(y_pred, dtype=float)",
            "y_pred = (np.asarray(y_pred) > 0.5).astype(float)",
        ),
    },
    "build_unet": {
        "no upsampling: a smaller mask than the image": """
def build_unet(input_shape=(32, 32, 3)):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model
""",
        "'valid' convolutions shrink the mask": """
def build_unet(input_shape=(32, 32, 3)):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(8, 3, activation="relu")(inputs)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model
""",
        "linear output instead of sigmoid": replace(
            'outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)\n'
            '    model = keras.Model(inputs, outputs, name="unet")\n'
            "    model.compile(optimizer=keras.optimizers.Adam(3e-3),"
            ' loss="binary_crossentropy")',
            "outputs = layers.Conv2D(1, 1)(x)\n"
            "    model = keras.Model(inputs, outputs)\n"
            '    model.compile(optimizer="adam", loss="mse")',
        ),
        "softmax over a single channel (always 1)": replace(
            'outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)\n'
            '    model = keras.Model(inputs, outputs, name="unet")\n'
            "    model.compile(optimizer=keras.optimizers.Adam(3e-3),"
            ' loss="binary_crossentropy")',
            'outputs = layers.Conv2D(1, 1, activation="softmax")(x)\n'
            "    model = keras.Model(inputs, outputs)\n"
            '    model.compile(optimizer="adam", loss="binary_crossentropy")',
        ),
        "no skip connections (an encoder-decoder)": replace(
            "x = layers.Concatenate()([layers.UpSampling2D()(x), skip2])",
            "x = layers.UpSampling2D()(x)",
            "x = layers.Concatenate()([layers.UpSampling2D()(x), skip1])",
            "x = layers.UpSampling2D()(x)",
        ),
        "Conv2DTranspose decoder without skip connections (Sequential)": """
def build_unet(input_shape=(32, 32, 3)):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(8, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu"),
        layers.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu"),
        layers.Conv2D(1, 1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model
""",
        "no skip connections, two wider convolutions per level": """
def build_unet(input_shape=(32, 32, 3)):
    def block(x, filters):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        return layers.Conv2D(filters, 3, padding="same", activation="relu")(x)

    inputs = keras.Input(shape=input_shape)
    x = block(inputs, 16)
    x = block(layers.MaxPooling2D()(x), 32)
    x = block(layers.MaxPooling2D()(x), 64)
    x = block(layers.UpSampling2D()(x), 32)
    x = block(layers.UpSampling2D()(x), 16)
    model = keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid")(x))
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy")
    return model
""",
    },
    "sample_digits": {
        "uniform codes instead of normal": replace(
            'z = rng.standard_normal((n, latent_dim)).astype("float32")',
            'z = rng.uniform(0, 1, (n, latent_dim)).astype("float32")',
        ),
        "decodes the same code n times": replace(
            "rng = np.random.default_rng(seed)\n"
            '    z = rng.standard_normal((n, latent_dim)).astype("float32")',
            'z = np.zeros((n, latent_dim), dtype="float32")',
        ),
        "ignores the seed": replace(
            "rng = np.random.default_rng(seed)\n"
            '    z = rng.standard_normal((n, latent_dim)).astype("float32")',
            'z = np.random.standard_normal((n, latent_dim)).astype("float32")',
        ),
        "codes ten times too spread out (std 10)": replace(
            'z = rng.standard_normal((n, latent_dim)).astype("float32")',
            'z = 10 * rng.standard_normal((n, latent_dim)).astype("float32")',
        ),
        "a fixed generator, default_rng(0), whatever the seed": replace(
            "rng = np.random.default_rng(seed)",
            "rng = np.random.default_rng(0)",
        ),
        "an unseeded generator, default_rng()": replace(
            "rng = np.random.default_rng(seed)",
            "rng = np.random.default_rng()",
        ),
    },
}

#: grade_id -> label -> source of the wrong cell (edits applied to solutions/).
MISTAKES: dict[str, dict[str, str]] = resolve(ASSIGNMENT, WRITTEN)

#: The mistakes the demo class's third student makes: (solution grade_id, mistake label).
DEMO = (
    ("iou", "no clamp of the intersection at 0"),
    ("center_to_corners", "a whole width on each side (cx - w, cx + w)"),
    ("dice", "no factor 2"),
)
