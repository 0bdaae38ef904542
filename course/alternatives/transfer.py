"""Correct answers to notebook 04-transfer, written independently of the reference solution.

Each gets full marks (hidden tests included); the tests plant every one of them.
"""

ASSIGNMENT = "04-transfer"

_FINE_TUNE_SEQUENTIAL = """
def fine_tune(base, x_train, y_train, num_classes):
    base.trainable = False
    model = keras.Sequential([
        base,
        layers.GlobalAveragePooling2D(),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)
    base.trainable = True
    for layer in base.layers:
        if not layer.name.startswith("block3"):
            layer.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)
    return model
"""

_FINE_TUNE_SUBCLASSED = """
class Classifier(keras.Model):
    def __init__(self, base, num_classes):
        super().__init__()
        self.base = base
        self.pool = layers.GlobalMaxPooling2D()
        self.head = layers.Dense(num_classes, activation="softmax")

    def call(self, images, training=False):
        return self.head(self.pool(self.base(images, training=False)))


def fine_tune(base, x_train, y_train, num_classes):
    model = Classifier(base, num_classes)
    base.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)
    base.trainable = True
    for layer in base.layers:
        layer.trainable = "block3" in layer.name
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001),
                  loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)
    return model
"""

_FINE_TUNE_LOW_LR = """
def fine_tune(base, x_train, y_train, num_classes):
    for layer in base.layers:
        layer.trainable = False
    features = layers.Flatten()(base.output)
    model = keras.Model(base.input, layers.Dense(num_classes, activation="softmax")(features))
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=20, batch_size=16, verbose=0)
    for layer in base.layers:
        layer.trainable = layer.name in {"block3_conv1", "block3_conv2"}
    model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)
    return model
"""

_FINE_TUNE_SGD = """
def fine_tune(base, x_train, y_train, num_classes):
    base.trainable = False
    inputs = keras.Input(shape=(32, 32, 3))
    x = layers.GlobalAveragePooling2D()(base(inputs, training=False))
    model = keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e-2, momentum=0.9),
                  loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)
    base.trainable = True  # (sets every layer of base), then freeze all but block3
    for layer in base.layers:
        layer.trainable = layer.name.startswith("block3")
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e-3, momentum=0.9),
                  loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)
    return model
"""

ALTERNATIVES: dict[str, dict[str, str]] = {
    "vgg16_layer_params": {
        "a NumPy array of counts": """
def vgg16_layer_params(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    plan = [64, 64, "pool", 128, 128, "pool", 256, 256, 256, "pool",
            512, 512, 512, "pool", 512, 512, 512, "pool"]
    h, w, d = input_shape
    counts = []
    for step in plan:
        if step == "pool":
            h, w = h // 2, w // 2
        else:
            counts.append(9 * d * step + step)
            d = step
    if include_top:
        sizes = np.array([h * w * d, 4096, 4096, num_classes])
        counts.extend(sizes[:-1] * sizes[1:] + sizes[1:])
    return np.array(counts)
""",
        "integral floats from np.floor": """
def vgg16_layer_params(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    h, w, d = (float(v) for v in input_shape)
    out = []
    for filters, convs in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)):
        for _ in range(convs):
            out.append((3 * 3 * d + 1) * filters)
            d = float(filters)
        h, w = np.floor(h / 2), np.floor(w / 2)
    if include_top:
        n_in = h * w * d
        for units in (4096, 4096, num_classes):
            out.append((n_in + 1) * units)
            n_in = units
    return out
""",
        "a tuple from a comprehension": """
def vgg16_layer_params(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    filters = [64] * 2 + [128] * 2 + [256] * 3 + [512] * 6
    depths = [input_shape[2]] + filters[:-1]
    convs = tuple(3 * 3 * d * k + k for d, k in zip(depths, filters))
    if not include_top:
        return convs
    flat = (input_shape[0] >> 5) * (input_shape[1] >> 5) * 512
    return convs + (flat * 4096 + 4096, 4096 * 4096 + 4096, 4096 * num_classes + num_classes)
""",
    },
    "add_classifier": {
        "Sequential with global average pooling": """
def add_classifier(base, num_classes):
    return keras.Sequential([
        base,
        layers.GlobalAveragePooling2D(),
        layers.Dense(num_classes, activation="softmax"),
    ])
""",
        "functional on base.output, GlobalMaxPooling and a Softmax layer": """
def add_classifier(base, num_classes):
    x = layers.GlobalMaxPooling2D()(base.output)
    x = layers.Dense(num_classes)(x)
    return keras.Model(base.input, layers.Softmax()(x))
""",
        "a subclassed Model": """
class WithHead(keras.Model):
    def __init__(self, base, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.base = base
        self.flatten = layers.Flatten()
        self.dense = layers.Dense(num_classes, activation="softmax")

    def call(self, inputs, training=False):
        return self.dense(self.flatten(self.base(inputs, training=training)))


def add_classifier(base, num_classes):
    return WithHead(base, num_classes)
""",
        "Sequential with an Input, Flatten and a separate Activation": """
def add_classifier(base, num_classes):
    model = keras.Sequential(name="transfer")
    model.add(keras.Input(shape=base.input_shape[1:]))
    model.add(base)
    model.add(layers.Flatten())
    model.add(layers.Dense(num_classes))
    model.add(layers.Activation("softmax"))
    return model
""",
    },
    "trainable_params": {
        "the model's layers as a list, frozen by index": """
def trainable_params(strategy, input_shape=(224, 224, 3), num_classes=10):
    h, w, d = input_shape
    weights = [0]  # InputLayer
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            weights.append(9 * d * filters + filters)
            d = filters
        weights.append(0)  # pooling
        h, w = h // 2, w // 2
    weights += [0, h * w * d * num_classes + num_classes]  # Flatten, Dense
    frozen = {"all": 0, "head": len(weights) - 2, "first5": 5}[strategy]
    return sum(weights[frozen:])
""",
        "a NumPy integer": """
def trainable_params(strategy, input_shape=(224, 224, 3), num_classes=10):
    k = np.array([64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512])
    d = np.concatenate([[input_shape[2]], k[:-1]])
    convs = 9 * d * k + k
    head = np.prod(np.array(input_shape[:2]) // 32) * 512 * num_classes + num_classes
    if strategy == "head":
        return head
    if strategy == "first5":
        return convs[3:].sum() + head
    return convs.sum() + head
""",
        "asks Keras (builds the model and freezes it)": """
def trainable_params(strategy, input_shape=(224, 224, 3), num_classes=10):
    base = keras.applications.VGG16(weights=None, include_top=False, input_shape=input_shape)
    out = layers.Dense(num_classes, activation="softmax")(layers.Flatten()(base.output))
    new_model = keras.Model(base.input, out)
    if strategy == "head":
        for layer in new_model.layers[:-2]:
            layer.trainable = False
    elif strategy == "first5":
        for layer in new_model.layers[:5]:
            layer.trainable = False
    return sum(int(np.prod(v.shape)) for v in new_model.trainable_weights)
""",
    },
    "fine_tune": {
        "Sequential, global average pooling": _FINE_TUNE_SEQUENTIAL,
        "subclassed, global max pooling": _FINE_TUNE_SUBCLASSED,
        "functional on base.output, lower learning rates, longer head phase": _FINE_TUNE_LOW_LR,
        "global average pooling, SGD with momentum": _FINE_TUNE_SGD,
    },
}
