"""Correct answers to notebook 01-tasks, written independently of the reference solution.

Each gets full marks (hidden tests included); the tests plant every one of them. The model
builders and ``sample_digits`` are graded on the models the notebook trains (``stateful``):
tests/exercises/test_tasks.py runs their untrained checks on every alternative here.
"""

ASSIGNMENT = "01-tasks"

ALTERNATIVES: dict[str, dict[str, str]] = {
    "corners_to_center": {
        "unpacking the last axis (np.moveaxis)": """
def corners_to_center(boxes):
    x_min, y_min, x_max, y_max = np.moveaxis(np.asarray(boxes, dtype=np.float64), -1, 0)
    return np.stack([(x_min + x_max) / 2, (y_min + y_max) / 2, x_max - x_min, y_max - y_min],
                    axis=-1)
""",
        "a matrix product on the last axis": """
def corners_to_center(boxes):
    m = np.array([[0.5, 0, -1, 0], [0, 0.5, 0, -1], [0.5, 0, 1, 0], [0, 0.5, 0, 1]])
    return np.asarray(boxes, dtype=float) @ m
""",
        "a loop over the flattened boxes": """
def corners_to_center(boxes):
    array = np.asarray(boxes, dtype=np.float32)
    out = []
    for x0, y0, x1, y1 in array.reshape(-1, 4).tolist():
        out.append([x0 + (x1 - x0) / 2, y0 + (y1 - y0) / 2, x1 - x0, y1 - y0])
    return np.array(out, dtype=np.float32).reshape(array.shape)
""",
        "keras.ops on float32": """
def corners_to_center(boxes):
    b = keras.ops.convert_to_tensor(np.asarray(boxes, dtype="float32"))
    wh = b[..., 2:] - b[..., :2]
    return keras.ops.convert_to_numpy(keras.ops.concatenate([b[..., :2] + wh / 2, wh], axis=-1))
""",
    },
    "center_to_corners": {
        "concatenating the halves": """
def center_to_corners(boxes):
    b = np.asarray(boxes, dtype=float)
    half = b[..., 2:] / 2
    return np.concatenate([b[..., :2] - half, b[..., :2] + half], axis=-1)
""",
        "a matrix product on the last axis": """
def center_to_corners(boxes):
    m = np.array([[1, 0, 1, 0], [0, 1, 0, 1], [-0.5, 0, 0.5, 0], [0, -0.5, 0, 0.5]])
    return np.asarray(boxes, dtype=np.float64) @ m
""",
        "a loop over the flattened boxes": """
def center_to_corners(boxes):
    array = np.asarray(boxes, dtype=float)
    rows = [[cx - w * 0.5, cy - h * 0.5, cx + w * 0.5, cy + h * 0.5]
            for cx, cy, w, h in array.reshape(-1, 4)]
    return np.array(rows).reshape(array.shape)
""",
    },
    "iou": {
        "corners first, Python floats": """
def iou(box_a, box_b):
    ax0, ay0, aw, ah = map(float, box_a)
    bx0, by0, bw, bh = map(float, box_b)
    ax1, ay1, bx1, by1 = ax0 + aw, ay0 + ah, bx0 + bw, by0 + bh
    iw = min(ax1, bx1) - max(ax0, bx0)
    ih = min(ay1, by1) - max(ay0, by0)
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    return inter / (aw * ah + bw * bh - inter)
""",
        "NumPy, returns a NumPy float": """
def iou(box_a, box_b):
    a = np.asarray(box_a, dtype=np.float64)
    b = np.asarray(box_b, dtype=np.float64)
    low = np.maximum(a[:2], b[:2])
    high = np.minimum(a[:2] + a[2:], b[:2] + b[2:])
    inter = np.prod(np.clip(high - low, 0, None))
    union = np.prod(a[2:]) + np.prod(b[2:]) - inter
    return inter / union if union > 0 else np.float64(0.0)
""",
        "overlap of intervals, one axis at a time": """
def iou(box_a, box_b):
    def overlap(start_a, length_a, start_b, length_b):
        return max(0, min(start_a + length_a, start_b + length_b) - max(start_a, start_b))

    inter = overlap(box_a[0], box_a[2], box_b[0], box_b[2]) * overlap(
        box_a[1], box_a[3], box_b[1], box_b[3])
    union = box_a[2] * box_a[3] + box_b[2] * box_b[3] - inter
    if union == 0:
        return 0
    return inter / union
""",
    },
    "pixel_accuracy": {
        "counts right pixels by hand": """
def pixel_accuracy(y_true, y_pred):
    t = np.asarray(y_true).astype(bool)
    p = np.asarray(y_pred) > 0.5
    right = np.sum(t & p) + np.sum(~t & ~p)
    return right / t.size
""",
        "keras.metrics.BinaryAccuracy": """
def pixel_accuracy(y_true, y_pred):
    metric = keras.metrics.BinaryAccuracy(threshold=0.5)
    metric.update_state(np.reshape(y_true, (-1, 1)), np.reshape(y_pred, (-1, 1)))
    return float(metric.result())
""",
        "a loop over the pixels": """
def pixel_accuracy(y_true, y_pred):
    right = total = 0
    for t, p in zip(np.ravel(y_true).tolist(), np.ravel(y_pred).tolist()):
        right += int((p > 0.5) == (t == 1))
        total += 1
    return right / total
""",
        "1 - mean absolute error of the 0/1 predictions": """
def pixel_accuracy(y_true, y_pred):
    hard = np.where(np.asarray(y_pred) > 0.5, 1.0, 0.0)
    return 1.0 - np.abs(hard - np.asarray(y_true, dtype=float)).mean()
""",
    },
    "dice": {
        "keras.losses.Dice": """
def dice(y_true, y_pred):
    loss = keras.losses.Dice()(np.asarray(y_true, "float32"), np.asarray(y_pred, "float32"))
    return 1.0 - float(keras.ops.convert_to_numpy(loss))
""",
        "np.dot on flattened masks, NumPy float": """
def dice(y_true, y_pred):
    t = np.ravel(y_true).astype(np.float64)
    p = np.ravel(y_pred).astype(np.float64)
    return 2 * np.dot(t, p) / (t.sum() + p.sum())
""",
        "a loop over the images, sums added up": """
def dice(y_true, y_pred):
    inter = total = 0.0
    for t, p in zip(np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)):
        inter += float((t * p).sum())
        total += float(t.sum() + p.sum())
    return 2 * inter / total
""",
    },
    "build_classifier": {
        "keras.Sequential, two wider blocks": """
def build_classifier(input_shape=(32, 32, 3), num_classes=3):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(16, 3, activation="relu", padding="same"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu", padding="same"),
        layers.MaxPooling2D(),
        layers.GlobalMaxPooling2D(),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
""",
        "keras.Sequential without Input, separate softmax layer": """
def build_classifier(input_shape=(32, 32, 3), num_classes=3):
    model = keras.Sequential([
        layers.Conv2D(8, 3, activation="relu", padding="same"),
        layers.MaxPooling2D(),
        layers.Conv2D(16, 3, activation="relu", padding="same"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu", padding="same"),
        layers.GlobalMaxPooling2D(),
        layers.Dense(num_classes),
        layers.Softmax(),
    ])
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
    return model
""",
        "subclassed keras.Model": """
class ShapeClassifier(keras.Model):
    def __init__(self, num_classes):
        super().__init__()
        self.convs = [layers.Conv2D(f, 3, activation="relu", padding="same") for f in (8, 16, 32)]
        self.pool = layers.MaxPooling2D()
        self.gmp = layers.GlobalMaxPooling2D()
        self.head = layers.Dense(num_classes, activation="softmax")

    def call(self, x):
        for conv in self.convs:
            x = self.pool(conv(x))
        return self.head(self.gmp(x))


def build_classifier(input_shape=(32, 32, 3), num_classes=3):
    model = ShapeClassifier(num_classes)
    model.build((None, *input_shape))
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
""",
    },
    "build_localizer": {
        "functional, two Dense layers shared": """
def build_localizer(input_shape=(32, 32, 3), num_classes=3):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(inputs)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(32, 3, activation="relu", padding="same")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    x = layers.Dense(128, activation="relu")(x)
    label = layers.Dense(num_classes, activation="softmax")(x)
    box = layers.Dense(4, activation="sigmoid")(x)
    model = keras.Model(inputs, {"label": label, "box": box})
    model.compile(optimizer="adam",
                  loss={"label": "sparse_categorical_crossentropy", "box": "mae"},
                  loss_weights={"label": 1.0, "box": 10.0})
    return model
""",
        "subclassed keras.Model returning a dict": """
class ShapeLocalizer(keras.Model):
    def __init__(self, num_classes):
        super().__init__()
        self.body = [layers.Conv2D(8, 3, activation="relu", padding="same"), layers.MaxPooling2D(),
                     layers.Conv2D(16, 3, activation="relu", padding="same"), layers.MaxPooling2D(),
                     layers.Flatten(), layers.Dense(64, activation="relu")]
        self.label = layers.Dense(num_classes, activation="softmax")
        self.box = layers.Dense(4, activation="sigmoid")

    def call(self, x):
        for layer in self.body:
            x = layer(x)
        return {"label": self.label(x), "box": self.box(x)}


def build_localizer(input_shape=(32, 32, 3), num_classes=3):
    model = ShapeLocalizer(num_classes)
    model.build((None, *input_shape))
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss={"label": "sparse_categorical_crossentropy", "box": "mse"},
                  loss_weights={"label": 1.0, "box": 20.0})
    return model
""",
        "functional, separate branches for the two heads": """
def build_localizer(input_shape=(32, 32, 3), num_classes=3):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters in (8, 16, 32):
        x = layers.Conv2D(filters, 3, activation="relu", padding="same")(x)
        x = layers.MaxPooling2D()(x)
    features = layers.Flatten()(x)
    label = layers.Dense(num_classes, activation="softmax", name="label")(
        layers.Dense(32, activation="relu")(features))
    box = layers.Activation("sigmoid", name="box")(
        layers.Dense(4)(layers.Dense(64, activation="relu")(features)))
    model = keras.Model(inputs=inputs, outputs={"box": box, "label": label})
    model.compile(optimizer="adam",
                  loss={"label": keras.losses.SparseCategoricalCrossentropy(),
                        "box": keras.losses.MeanSquaredError()},
                  loss_weights={"label": 1.0, "box": 20.0})
    return model
""",
    },
    "build_unet": {
        "functional, Add skip connections": """
def build_unet(input_shape=(32, 32, 3)):
    inputs = keras.Input(shape=input_shape)
    s1 = layers.Conv2D(16, 3, activation="relu", padding="same")(inputs)
    x = layers.MaxPooling2D()(s1)
    s2 = layers.Conv2D(32, 3, activation="relu", padding="same")(x)
    x = layers.MaxPooling2D()(s2)
    x = layers.Conv2D(32, 3, activation="relu", padding="same")(x)
    x = layers.Add()([layers.UpSampling2D()(x), s2])
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(x)
    x = layers.Add()([layers.UpSampling2D()(x), s1])
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(x)
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model
""",
        "functional, Conv2DTranspose and a loop": """
def build_unet(input_shape=(32, 32, 3)):
    inputs = keras.Input(shape=input_shape)
    x, skips = inputs, []
    for filters in (8, 16):
        x = layers.Conv2D(filters, 3, activation="relu", padding="same")(x)
        skips.append(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(32, 3, activation="relu", padding="same")(x)
    for filters, skip in zip((16, 8), reversed(skips)):
        x = layers.Conv2DTranspose(filters, 2, strides=2, padding="same")(x)
        x = layers.concatenate([x, skip])
        x = layers.Conv2D(filters, 3, activation="relu", padding="same")(x)
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss=keras.losses.BinaryCrossentropy())
    return model
""",
        "subclassed keras.Model": """
class SmallUNet(keras.Model):
    def __init__(self):
        super().__init__()
        self.enc1 = layers.Conv2D(8, 3, activation="relu", padding="same")
        self.enc2 = layers.Conv2D(16, 3, activation="relu", padding="same")
        self.mid = layers.Conv2D(32, 3, activation="relu", padding="same")
        self.dec2 = layers.Conv2D(16, 3, activation="relu", padding="same")
        self.dec1 = layers.Conv2D(8, 3, activation="relu", padding="same")
        self.out = layers.Conv2D(1, 1, activation="sigmoid")
        self.pool = layers.MaxPooling2D()
        self.up = layers.UpSampling2D()
        self.cat = layers.Concatenate()

    def call(self, x):
        s1 = self.enc1(x)
        s2 = self.enc2(self.pool(s1))
        x = self.mid(self.pool(s2))
        x = self.dec2(self.cat([self.up(x), s2]))
        x = self.dec1(self.cat([self.up(x), s1]))
        return self.out(x)


def build_unet(input_shape=(32, 32, 3)):
    model = SmallUNet()
    model.build((None, *input_shape))
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy")
    return model
""",
    },
    "sample_digits": {
        "rng.normal and keras.ops": """
def sample_digits(decoder, n, latent_dim, seed=0):
    rng = np.random.default_rng(seed)
    z = rng.normal(0.0, 1.0, size=(n, latent_dim)).astype("float32")
    return keras.ops.convert_to_numpy(decoder(z))
""",
        "decoder.predict": """
def sample_digits(decoder, n, latent_dim, seed=0):
    z = np.random.default_rng(seed).standard_normal((n, latent_dim), dtype=np.float32)
    return decoder.predict(z, verbose=0)
""",
        "one code at a time": """
def sample_digits(decoder, n, latent_dim, seed=0):
    rng = np.random.default_rng(seed)
    images = []
    for _ in range(n):
        z = rng.standard_normal((1, latent_dim)).astype("float32")
        images.append(np.asarray(decoder(z))[0])
    return np.stack(images)
""",
    },
}
