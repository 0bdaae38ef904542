"""Correct answers to notebook 06-detection-and-generation, written independently of the reference.

Each gets full marks (hidden tests included); the tests plant every one of them. The two model
builders are graded on the models the notebook trains (``stateful``): their untrained checks run
on every alternative here, and benchmarks/sweeps/ trains them over seeds.
"""

ASSIGNMENT = "06-detection-and-generation"

ALTERNATIVES: dict[str, dict[str, str]] = {
    "encode_targets": {
        "vectorised, the last object written last": """
def encode_targets(boxes, labels, image_size=64, grid_size=8, num_classes=3):
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    labels = np.asarray(labels, dtype=int).reshape(-1)
    cell = image_size / grid_size
    centres = boxes[:, :2] + boxes[:, 2:] / 2
    cells = np.floor(centres / cell).astype(int)
    vectors = np.zeros((len(boxes), 5 + num_classes))
    vectors[:, 0] = 1
    vectors[:, 1:3] = centres / cell - cells
    vectors[:, 3:5] = boxes[:, 2:] / image_size
    vectors[np.arange(len(boxes)), 5 + labels] = 1
    grid = np.zeros((grid_size, grid_size, 5 + num_classes))
    for (column, row), vector in zip(cells, vectors):
        grid[row, column] = vector
    return grid
""",
        "keras.utils.bounding_boxes.convert_format and np.eye": """
def encode_targets(boxes, labels, image_size=64, grid_size=8, num_classes=3):
    grid = np.zeros((grid_size, grid_size, 5 + num_classes), dtype="float32")
    boxes = np.asarray(boxes, dtype="float32").reshape(-1, 4)
    if len(boxes) == 0:
        return grid
    centred = keras.ops.convert_to_numpy(
        keras.utils.bounding_boxes.convert_format(boxes, "xywh", "center_xywh"))
    one_hot = np.eye(num_classes)[np.asarray(labels, dtype=int)]
    cell = image_size / grid_size
    for (cx, cy, w, h), classes in zip(centred, one_hot):
        column, row = int(np.floor(cx / cell)), int(np.floor(cy / cell))
        grid[row, column] = np.concatenate([[1.0, cx / cell - column, cy / cell - row,
                                             w / image_size, h / image_size], classes])
    return grid
""",
        "lists, then np.array": """
def encode_targets(boxes, labels, image_size=64, grid_size=8, num_classes=3):
    size = 5 + num_classes
    grid = [[[0.0] * size for _ in range(grid_size)] for _ in range(grid_size)]
    step = image_size / grid_size
    for box, label in zip(np.asarray(boxes).tolist(), np.asarray(labels).tolist()):
        x, y, w, h = box
        u, v = (x + w / 2) / step, (y + h / 2) / step
        column, row = int(u), int(v)
        vector = [1.0, u - column, v - row, w / image_size, h / image_size] + [0.0] * num_classes
        vector[5 + int(label)] = 1.0
        grid[row][column] = vector
    return np.array(grid)
""",
    },
    "decode_grid": {
        "a loop over the cells, lists": """
def decode_grid(grid, image_size=64, score_threshold=0.5):
    grid = np.asarray(grid)
    s = grid.shape[0]
    cell = image_size / s
    boxes, scores, labels = [], [], []
    for row in range(s):
        for column in range(s):
            v = grid[row, column]
            if v[0] > score_threshold:
                w, h = v[3] * image_size, v[4] * image_size
                boxes.append([(column + v[1]) * cell - w / 2, (row + v[2]) * cell - h / 2, w, h])
                scores.append(float(v[0]))
                labels.append(int(np.argmax(v[5:])))
    return np.array(boxes).reshape(-1, 4), np.array(scores), np.array(labels, dtype=int)
""",
        "np.meshgrid and boolean masks, corners via convert_format": """
def decode_grid(grid, image_size=64, score_threshold=0.5):
    grid = np.asarray(grid, dtype="float32")
    s = grid.shape[0]
    columns, rows = np.meshgrid(np.arange(s), np.arange(s))
    keep = grid[..., 0] > score_threshold
    v = grid[keep]
    cell = image_size / s
    centred = np.stack([(columns[keep] + v[:, 1]) * cell, (rows[keep] + v[:, 2]) * cell,
                        v[:, 3] * image_size, v[:, 4] * image_size], axis=-1).reshape(-1, 4)
    boxes = keras.ops.convert_to_numpy(
        keras.utils.bounding_boxes.convert_format(centred, "center_xywh", "xywh"))
    return boxes, v[:, 0], v[:, 5:].argmax(axis=1)
""",
        "keras.ops throughout, cells in reverse order": """
def decode_grid(grid, image_size=64, score_threshold=0.5):
    ops = keras.ops
    g = ops.convert_to_tensor(np.asarray(grid, dtype="float32"))
    s = int(g.shape[0])
    index = np.argwhere(keras.ops.convert_to_numpy(g[..., 0]) > score_threshold)[::-1]
    v = np.asarray(ops.convert_to_numpy(g))[index[:, 0], index[:, 1]]
    cell = image_size / s
    xy = (index[:, ::-1] + v[:, 1:3]) * cell
    wh = v[:, 3:5] * image_size
    return np.concatenate([xy - wh / 2, wh], axis=1), v[:, 0], np.argmax(v[:, 5:], axis=1)
""",
    },
    "build_detector": {
        "strided convolutions instead of pooling": """
def build_detector(image_size=64, grid_size=8, num_classes=3):
    steps = int(np.log2(image_size // grid_size))
    inputs = keras.Input(shape=(image_size, image_size, 3))
    x = inputs
    for i in range(steps):
        x = layers.Conv2D(16 * 2 ** i, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    model = keras.Model(inputs, models.grid_detector.grid_head(x, num_classes))
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss=models.grid_detector.grid_loss)
    return model
""",
        "separate ReLU layers, three extra convolutions, its own head": """
def build_detector(image_size=64, grid_size=8, num_classes=3):
    inputs = keras.Input(shape=(image_size, image_size, 3))
    x = inputs
    filters = 8
    for _ in range(int(round(np.log2(image_size / grid_size)))):
        x = layers.Conv2D(filters, 3, padding="same")(x)
        x = layers.ReLU()(x)
        x = layers.MaxPooling2D(pool_size=2)(x)
        filters *= 2
    for _ in range(3):
        x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    objectness_box = layers.Conv2D(5, 1, activation="sigmoid")(x)
    classes = layers.Conv2D(num_classes, 1, activation="softmax")(x)
    model = keras.Model(inputs, layers.Concatenate()([objectness_box, classes]))
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss=models.grid_detector.grid_loss)
    return model
""",
        "a Sequential body, one extra convolution": """
def build_detector(image_size=64, grid_size=8, num_classes=3):
    body = keras.Sequential([keras.Input(shape=(image_size, image_size, 3))])
    side, filters = image_size, 8
    while side > grid_size:
        body.add(layers.Conv2D(filters, 3, padding="same", activation="relu"))
        body.add(layers.MaxPooling2D())
        side, filters = side // 2, filters * 2
    body.add(layers.Conv2D(64, 3, padding="same", activation="relu"))
    model = keras.Model(body.inputs, models.grid_detector.grid_head(body.outputs[0], num_classes))
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss=models.grid_detector.grid_loss,
                  steps_per_execution=8)
    return model
""",
        "a subclassed model": """
class GridDetector(keras.Model):
    def __init__(self, image_size, grid_size, num_classes):
        super().__init__()
        self.blocks = []
        side, filters = image_size, 8
        while side > grid_size:
            self.blocks += [layers.Conv2D(filters, 3, padding="same", activation="relu"),
                            layers.MaxPooling2D()]
            side, filters = side // 2, filters * 2
        self.blocks += [layers.Conv2D(64, 3, padding="same", activation="relu"),
                        layers.Conv2D(64, 3, padding="same", activation="relu")]
        self.first = layers.Conv2D(5, 1, activation="sigmoid")
        self.classes = layers.Conv2D(num_classes, 1, activation="softmax")

    def call(self, x):
        for block in self.blocks:
            x = block(x)
        return keras.ops.concatenate([self.first(x), self.classes(x)], axis=-1)


def build_detector(image_size=64, grid_size=8, num_classes=3):
    model = GridDetector(image_size, grid_size, num_classes)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss=models.grid_detector.grid_loss)
    return model
""",
    },
    "discriminator_loss": {
        "keras.losses.binary_crossentropy, added": """
def discriminator_loss(real_scores, fake_scores):
    real = np.asarray(real_scores, dtype="float32").reshape(-1, 1)
    fake = np.asarray(fake_scores, dtype="float32").reshape(-1, 1)
    loss = keras.ops.mean(keras.losses.binary_crossentropy(np.ones_like(real), real))
    loss = loss + keras.ops.mean(keras.losses.binary_crossentropy(np.zeros_like(fake), fake))
    return float(loss)
""",
        "keras.ops by hand, returning a tensor": """
def discriminator_loss(real_scores, fake_scores):
    ops = keras.ops
    real = ops.convert_to_tensor(np.asarray(real_scores, dtype="float32"))
    fake = ops.convert_to_tensor(np.asarray(fake_scores, dtype="float32"))
    return -ops.mean(ops.log(real)) - ops.mean(ops.log(1.0 - fake))
""",
        "the general BCE formula, in Python": """
import math


def bce(target, scores):
    return -sum(target * math.log(p) + (1 - target) * math.log(1 - p) for p in scores) / len(scores)


def discriminator_loss(real_scores, fake_scores):
    return bce(1, list(np.ravel(real_scores))) + bce(0, list(np.ravel(fake_scores)))
""",
    },
    "generator_loss": {
        "keras.losses.BinaryCrossentropy": """
def generator_loss(fake_scores):
    fake = np.asarray(fake_scores, dtype="float32").reshape(-1, 1)
    return float(keras.losses.BinaryCrossentropy()(np.ones_like(fake), fake))
""",
        "a softplus of the logits": """
def generator_loss(fake_scores):
    p = np.asarray(fake_scores, dtype=np.float64)
    logits = np.log(p) - np.log1p(-p)
    return float(np.mean(np.logaddexp(0.0, -logits)))
""",
        "a loop in Python": """
import math


def generator_loss(fake_scores):
    values = [float(v) for v in np.ravel(fake_scores)]
    return sum(-math.log(v) for v in values) / len(values)
""",
    },
    "build_generator": {
        "functional, Dense without bias before each BatchNormalization": """
def build_generator(latent_dim=16):
    z = keras.Input(shape=(latent_dim,))
    h = z
    for _ in range(2):
        h = layers.ReLU()(layers.BatchNormalization()(layers.Dense(128, use_bias=False)(h)))
    images = layers.Reshape((8, 8))(layers.Dense(64, activation="sigmoid")(h))
    return keras.Model(z, images)
""",
        "Sequential built with add, wider first layer": """
def build_generator(latent_dim=16):
    model = keras.Sequential([keras.Input(shape=(latent_dim,))])
    for units in (192, 128):
        model.add(layers.Dense(units))
        model.add(layers.BatchNormalization())
        model.add(layers.Activation("relu"))
    model.add(layers.Dense(64))
    model.add(layers.Activation("sigmoid"))
    model.add(layers.Reshape((8, 8)))
    return model
""",
        "a subclassed model": """
class Generator(keras.Model):
    def __init__(self, latent_dim):
        super().__init__()
        self.body = [layers.Dense(128), layers.BatchNormalization(), layers.ReLU(),
                     layers.Dense(128), layers.BatchNormalization(), layers.ReLU()]
        self.pixels = layers.Dense(64, activation="sigmoid")

    def call(self, z, training=False):
        for layer in self.body:
            normalises = isinstance(layer, layers.BatchNormalization)
            z = layer(z, training=training) if normalises else layer(z)
        return keras.ops.reshape(self.pixels(z), (-1, 8, 8))


def build_generator(latent_dim=16):
    return Generator(latent_dim)
""",
    },
    "match_instances": {
        "an IoU matrix from a contingency table": """
def match_instances(true_mask, pred_mask, iou_threshold=0.5):
    t = np.asarray(true_mask).ravel()
    p = np.asarray(pred_mask).ravel()
    t_ids, t_index = np.unique(t, return_inverse=True)
    p_ids, p_index = np.unique(p, return_inverse=True)
    table = np.zeros((len(t_ids), len(p_ids)))
    np.add.at(table, (t_index, p_index), 1)
    union = table.sum(1, keepdims=True) + table.sum(0, keepdims=True) - table
    iou = (table / union)[t_ids != 0][:, p_ids != 0]
    tp = int((iou > iou_threshold).sum())
    return tp, int((p_ids != 0).sum()) - tp, int((t_ids != 0).sum()) - tp
""",
        "greedy one-to-one matching, best IoU first": """
def match_instances(true_mask, pred_mask, iou_threshold=0.5):
    true_mask, pred_mask = np.asarray(true_mask), np.asarray(pred_mask)
    pairs = []
    t_ids = sorted(set(np.unique(true_mask).tolist()) - {0})
    p_ids = sorted(set(np.unique(pred_mask).tolist()) - {0})
    for t in t_ids:
        for p in p_ids:
            a, b = true_mask == t, pred_mask == p
            pairs.append((np.logical_and(a, b).sum() / np.logical_or(a, b).sum(), t, p))
    used_t, used_p = set(), set()
    for value, t, p in sorted(pairs, reverse=True):
        if value > iou_threshold and t not in used_t and p not in used_p:
            used_t.add(t)
            used_p.add(p)
    return len(used_t), len(p_ids) - len(used_p), len(t_ids) - len(used_t)
""",
        "keras.metrics.IoU on each pair": """
def match_instances(true_mask, pred_mask, iou_threshold=0.5):
    true_mask, pred_mask = np.asarray(true_mask), np.asarray(pred_mask)
    t_ids = [int(i) for i in np.unique(true_mask) if i]
    p_ids = [int(i) for i in np.unique(pred_mask) if i]
    tp = 0
    for t in t_ids:
        for p in p_ids:
            metric = keras.metrics.IoU(num_classes=2, target_class_ids=[1])
            metric.update_state((true_mask == t).astype(int), (pred_mask == p).astype(int))
            tp += float(metric.result()) > iou_threshold
    return tp, len(p_ids) - tp, len(t_ids) - tp
""",
    },
}
