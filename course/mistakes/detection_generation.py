"""Typical wrong answers for notebook 06 (detection and generation), as a student would write them.

The function exercises (encoding, decoding, the two GAN losses, instance matching) are graded
by cells that run on their own; ``build_detector`` and ``build_generator`` are graded after
training, so their mistakes are ones the untrained check catches (none of them is in ``DEMO``).
"""

ASSIGNMENT = "06-detection-and-generation"

_ENCODE = """
def encode_targets(boxes, labels, image_size=64, grid_size=8, num_classes=3):
    grid = np.zeros((grid_size, grid_size, 5 + num_classes), dtype="float32")
    cell = image_size / grid_size
    for (x, y, w, h), label in zip(np.asarray(boxes, dtype=float).reshape(-1, 4), labels):
        cx, cy = x + w / 2, y + h / 2
        column, row = int(cx // cell), int(cy // cell)
{body}
    return grid
"""

_DECODE = """
def decode_grid(grid, image_size=64, score_threshold=0.5):
    grid = np.asarray(grid, dtype=float)
    cell = image_size / grid.shape[0]
    rows, columns = np.nonzero(grid[..., 0] > score_threshold)
    found = grid[rows, columns]
    w, h = found[:, 3] * image_size, found[:, 4] * image_size
{body}
"""

_DETECTOR = """
def build_detector(image_size=64, grid_size=8, num_classes=3):
    inputs = keras.Input(shape=(image_size, image_size, 3))
    x = inputs
{body}
"""

MISTAKES: dict[str, dict[str, str]] = {
    "encode_targets": {
        "x, y relative to the image, not the cell": _ENCODE.format(
            body="""
        grid[row, column] = 0.0
        grid[row, column, :5] = [1.0, cx / image_size, cy / image_size,
                                 w / image_size, h / image_size]
        grid[row, column, 5 + int(label)] = 1.0"""
        ),
        "w, h in pixels": _ENCODE.format(
            body="""
        grid[row, column] = 0.0
        grid[row, column, :5] = [1.0, cx / cell - column, cy / cell - row, w, h]
        grid[row, column, 5 + int(label)] = 1.0"""
        ),
        "rows and columns swapped (grid[column, row])": _ENCODE.format(
            body="""
        grid[column, row] = 0.0
        grid[column, row, :5] = [1.0, cx / cell - column, cy / cell - row,
                                 w / image_size, h / image_size]
        grid[column, row, 5 + int(label)] = 1.0"""
        ),
        "the top-left corner picks the cell": """
def encode_targets(boxes, labels, image_size=64, grid_size=8, num_classes=3):
    grid = np.zeros((grid_size, grid_size, 5 + num_classes), dtype="float32")
    cell = image_size / grid_size
    for (x, y, w, h), label in zip(np.asarray(boxes, dtype=float).reshape(-1, 4), labels):
        column, row = int(x // cell), int(y // cell)
        grid[row, column] = 0.0
        grid[row, column, :5] = [1.0, x / cell - column, y / cell - row,
                                 w / image_size, h / image_size]
        grid[row, column, 5 + int(label)] = 1.0
    return grid
""",
        "the class index instead of a one-hot": _ENCODE.format(
            body="""
        grid[row, column] = 0.0
        grid[row, column, :5] = [1.0, cx / cell - column, cy / cell - row,
                                 w / image_size, h / image_size]
        grid[row, column, 5] = label"""
        ),
        "a later object keeps the earlier one's class": _ENCODE.format(
            body="""
        grid[row, column, :5] = [1.0, cx / cell - column, cy / cell - row,
                                 w / image_size, h / image_size]
        grid[row, column, 5 + int(label)] = 1.0"""
        ),
    },
    "decode_grid": {
        "forgets the cell's position (offset only)": _DECODE.format(
            body="""
    cx, cy = found[:, 1] * cell, found[:, 2] * cell
    boxes = np.stack([cx - w / 2, cy - h / 2, w, h], axis=-1)
    return boxes, found[:, 0], np.argmax(found[:, 5:], -1)"""
        ),
        "returns the centre form (cx, cy, w, h)": _DECODE.format(
            body="""
    cx, cy = (columns + found[:, 1]) * cell, (rows + found[:, 2]) * cell
    return np.stack([cx, cy, w, h], axis=-1), found[:, 0], np.argmax(found[:, 5:], -1)"""
        ),
        "rows and columns swapped": _DECODE.format(
            body="""
    cx, cy = (rows + found[:, 1]) * cell, (columns + found[:, 2]) * cell
    boxes = np.stack([cx - w / 2, cy - h / 2, w, h], axis=-1)
    return boxes, found[:, 0], np.argmax(found[:, 5:], -1)"""
        ),
        "score is the class probability, not the objectness": _DECODE.format(
            body="""
    cx, cy = (columns + found[:, 1]) * cell, (rows + found[:, 2]) * cell
    boxes = np.stack([cx - w / 2, cy - h / 2, w, h], axis=-1)
    return boxes, found[:, 5:].max(-1), np.argmax(found[:, 5:], -1)"""
        ),
        "w, h times the cell, not the image": """
def decode_grid(grid, image_size=64, score_threshold=0.5):
    grid = np.asarray(grid, dtype=float)
    cell = image_size / grid.shape[0]
    rows, columns = np.nonzero(grid[..., 0] > score_threshold)
    found = grid[rows, columns]
    w, h = found[:, 3] * cell, found[:, 4] * cell
    cx, cy = (columns + found[:, 1]) * cell, (rows + found[:, 2]) * cell
    boxes = np.stack([cx - w / 2, cy - h / 2, w, h], axis=-1)
    return boxes, found[:, 0], np.argmax(found[:, 5:], -1)
""",
    },
    "build_detector": {
        "one pooling too few (a 16x16 grid)": _DETECTOR.format(
            body="""
    for filters in (8, 16):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    model = keras.Model(inputs, models.grid_detector.grid_head(x, num_classes))
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss=models.grid_detector.grid_loss)
    return model"""
        ),
        "a softmax over all channels": _DETECTOR.format(
            body="""
    for filters in (8, 16, 32):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    outputs = layers.Conv2D(5 + num_classes, 1, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss=models.grid_detector.grid_loss)
    return model"""
        ),
        "linear outputs (no sigmoid or softmax)": _DETECTOR.format(
            body="""
    for filters in (8, 16, 32):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    outputs = layers.Conv2D(5 + num_classes, 1)(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss=models.grid_detector.grid_loss)
    return model"""
        ),
        "not compiled": _DETECTOR.format(
            body="""
    for filters in (8, 16, 32):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    return keras.Model(inputs, models.grid_detector.grid_head(x, num_classes))"""
        ),
        "three poolings and three classes, whatever the arguments": _DETECTOR.format(
            body="""
    for filters in (8, 16, 32):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    model = keras.Model(inputs, models.grid_detector.grid_head(x, 3))
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss=models.grid_detector.grid_loss)
    return model"""
        ),
    },
    "discriminator_loss": {
        "the mean of the two terms, not their sum": """
def discriminator_loss(real_scores, fake_scores):
    real, fake = np.asarray(real_scores), np.asarray(fake_scores)
    return float((-np.mean(np.log(real)) - np.mean(np.log(1 - fake))) / 2)
""",
        "targets swapped (real -> 0, fake -> 1)": """
def discriminator_loss(real_scores, fake_scores):
    real, fake = np.asarray(real_scores), np.asarray(fake_scores)
    return float(-np.mean(np.log(1 - real)) - np.mean(np.log(fake)))
""",
        "forgets the fake images' term": """
def discriminator_loss(real_scores, fake_scores):
    return float(-np.mean(np.log(np.asarray(real_scores))))
""",
        "no minus sign": """
def discriminator_loss(real_scores, fake_scores):
    real, fake = np.asarray(real_scores), np.asarray(fake_scores)
    return float(np.mean(np.log(real)) + np.mean(np.log(1 - fake)))
""",
        "one mean over both batches together": """
def discriminator_loss(real_scores, fake_scores):
    real, fake = np.asarray(real_scores), np.asarray(fake_scores)
    return float(-np.mean(np.concatenate([np.log(real), np.log(1 - fake)])))
""",
    },
    "generator_loss": {
        "the saturating minimax form, mean(log(1 - D))": """
def generator_loss(fake_scores):
    return float(np.mean(np.log(1 - np.asarray(fake_scores))))
""",
        "the discriminator's target (fake -> 0)": """
def generator_loss(fake_scores):
    return float(-np.mean(np.log(1 - np.asarray(fake_scores))))
""",
        "a sum over the batch, not a mean": """
def generator_loss(fake_scores):
    return float(-np.sum(np.log(np.asarray(fake_scores))))
""",
        "log base 10": """
def generator_loss(fake_scores):
    return float(-np.mean(np.log10(np.asarray(fake_scores))))
""",
    },
    "build_generator": {
        "no Reshape: (N, 64) images": """
def build_generator(latent_dim=16):
    return keras.Sequential([
        keras.Input(shape=(latent_dim,)),
        layers.Dense(128, activation="relu"),
        layers.Dense(64, activation="sigmoid"),
    ])
""",
        "tanh output, pixels in [-1, 1]": """
def build_generator(latent_dim=16):
    return keras.Sequential([
        keras.Input(shape=(latent_dim,)),
        layers.Dense(128, activation="relu"),
        layers.Dense(64, activation="tanh"),
        layers.Reshape((8, 8)),
    ])
""",
        "a fixed code size of 16": """
def build_generator(latent_dim=16):
    return keras.Sequential([
        keras.Input(shape=(16,)),
        layers.Dense(128, activation="relu"),
        layers.Dense(64, activation="sigmoid"),
        layers.Reshape((8, 8)),
    ])
""",
        "linear output (no sigmoid)": """
def build_generator(latent_dim=16):
    return keras.Sequential([
        keras.Input(shape=(latent_dim,)),
        layers.Dense(128, activation="relu"),
        layers.Dense(64),
        layers.Reshape((8, 8)),
    ])
""",
    },
    "match_instances": {
        "IoU >= the threshold, not above it": """
def match_instances(true_mask, pred_mask, iou_threshold=0.5):
    true_mask, pred_mask = np.asarray(true_mask), np.asarray(pred_mask)
    t_ids = [i for i in np.unique(true_mask) if i != 0]
    p_ids = [i for i in np.unique(pred_mask) if i != 0]
    tp = sum(np.sum((true_mask == t) & (pred_mask == p))
             / np.sum((true_mask == t) | (pred_mask == p)) >= iou_threshold
             for t in t_ids for p in p_ids)
    return int(tp), len(p_ids) - int(tp), len(t_ids) - int(tp)
""",
        "counts the background as an instance": """
def match_instances(true_mask, pred_mask, iou_threshold=0.5):
    true_mask, pred_mask = np.asarray(true_mask), np.asarray(pred_mask)
    t_ids, p_ids = np.unique(true_mask), np.unique(pred_mask)
    tp = sum(np.sum((true_mask == t) & (pred_mask == p))
             / np.sum((true_mask == t) | (pred_mask == p)) > iou_threshold
             for t in t_ids for p in p_ids)
    return int(tp), len(p_ids) - int(tp), len(t_ids) - int(tp)
""",
        "any overlap is a match": """
def match_instances(true_mask, pred_mask, iou_threshold=0.5):
    true_mask, pred_mask = np.asarray(true_mask), np.asarray(pred_mask)
    t_ids = [i for i in np.unique(true_mask) if i != 0]
    p_ids = [i for i in np.unique(pred_mask) if i != 0]
    matched_t = {t for t in t_ids for p in p_ids if np.any((true_mask == t) & (pred_mask == p))}
    matched_p = {p for t in t_ids for p in p_ids if np.any((true_mask == t) & (pred_mask == p))}
    tp = len(matched_t)
    return tp, len(p_ids) - len(matched_p), len(t_ids) - tp
""",
        "overlap over the true area, not over the union": """
def match_instances(true_mask, pred_mask, iou_threshold=0.5):
    true_mask, pred_mask = np.asarray(true_mask), np.asarray(pred_mask)
    t_ids = [i for i in np.unique(true_mask) if i != 0]
    p_ids = [i for i in np.unique(pred_mask) if i != 0]
    tp = sum(np.sum((true_mask == t) & (pred_mask == p)) / np.sum(true_mask == t) > iou_threshold
             for t in t_ids for p in p_ids)
    return int(tp), len(p_ids) - int(tp), len(t_ids) - int(tp)
""",
        "false positives and false negatives swapped": """
def match_instances(true_mask, pred_mask, iou_threshold=0.5):
    true_mask, pred_mask = np.asarray(true_mask), np.asarray(pred_mask)
    t_ids = [i for i in np.unique(true_mask) if i != 0]
    p_ids = [i for i in np.unique(pred_mask) if i != 0]
    tp = sum(np.sum((true_mask == t) & (pred_mask == p))
             / np.sum((true_mask == t) | (pred_mask == p)) > iou_threshold
             for t in t_ids for p in p_ids)
    return int(tp), len(t_ids) - int(tp), len(p_ids) - int(tp)
""",
    },
}

DEMO = (
    ("encode_targets", "w, h in pixels"),
    ("generator_loss", "the saturating minimax form, mean(log(1 - D))"),
    ("match_instances", "counts the background as an instance"),
)
