"""Typical wrong answers to notebook 04 (transfer learning), keyed by solution cell grade_id.

Each must lose exactly its own question's points. The tests plant every one of them; the
demo class's "mistakes" student submits the ones in ``DEMO``.
"""

ASSIGNMENT = "04-transfer"

_VGG_COUNTS = """
def vgg16_layer_params(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    height, width, depth = input_shape
    counts = []
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            counts.append({conv})
            depth = filters
        height, width = height // 2, width // 2
    if include_top:
        inputs = {flat}
        for units in (4096, 4096, num_classes):
            counts.append({dense})
            inputs = units
    return counts
"""


def _vgg_counts(
    conv="3 * 3 * depth * filters + filters",
    flat="height * width * depth",
    dense="inputs * units + units",
) -> str:
    return _VGG_COUNTS.format(conv=conv, flat=flat, dense=dense)


_TRAINABLE = """
def trainable_params(strategy, input_shape=(224, 224, 3), num_classes=10):
    height, width, depth = input_shape
    convs = []
    for filters, n in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(n):
            convs.append(3 * 3 * depth * filters + filters)
            depth = filters
        height, width = height // 2, width // 2
    head = {head}
    if strategy == "all":
        return sum(convs) + head
    if strategy == "head":
        return {head_only}
    return sum(convs[{first}:]) + head
"""


def _trainable(
    head="height * width * depth * num_classes + num_classes", head_only="head", first="3"
) -> str:
    return _TRAINABLE.format(head=head, head_only=head_only, first=first)


_CLASSIFIER = """
def add_classifier(base, num_classes):
    {base}
    x = layers.Flatten()(x){flatten}
    outputs = layers.Dense(num_classes, activation={activation})(x)
    return keras.Model(inputs, outputs)
"""

_FINE_TUNE = """
def fine_tune(base, x_train, y_train, num_classes):
    {base}
    base.trainable = {frozen}
    inputs = keras.Input(shape=base.input_shape[1:])
    x = base(inputs, training=False)
    x = layers.Flatten()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)

    base.trainable = True
    for layer in base.layers:
        layer.trainable = layer.name.startswith("block3_")
{recompile}    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)
    return model
"""
_RECOMPILE = """    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
"""


def _fine_tune(base="", frozen="False", recompile=_RECOMPILE) -> str:
    return _FINE_TUNE.format(base=base, frozen=frozen, recompile=recompile)


MISTAKES: dict[str, dict[str, str]] = {
    "vgg16_layer_params": {
        "forgets the biases": _vgg_counts(conv="3 * 3 * depth * filters", dense="inputs * units"),
        "the slide's conv formula F*F*K + K (no input depth)": _vgg_counts(
            conv="3 * 3 * filters + filters"
        ),
        "first dense input 7*7, not 7*7*512": _vgg_counts(flat="height * width"),
        "assumes 224x224 inputs (7x7 maps) whatever the input": _vgg_counts(flat="7 * 7 * depth"),
        "pooling rounds up (ceil), not down": """
def vgg16_layer_params(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    height, width, depth = input_shape
    counts = []
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            counts.append(3 * 3 * depth * filters + filters)
            depth = filters
        height, width = -(-height // 2), -(-width // 2)
    if include_top:
        inputs = height * width * depth
        for units in (4096, 4096, num_classes):
            counts.append(inputs * units + units)
            inputs = units
    return counts
""",
        "ignores include_top": """
def vgg16_layer_params(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    height, width, depth = input_shape
    counts = []
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            counts.append(3 * 3 * depth * filters + filters)
            depth = filters
        height, width = height // 2, width // 2
    inputs = height * width * depth
    for units in (4096, 4096, num_classes):
        counts.append(inputs * units + units)
        inputs = units
    return counts
""",
        "lists the pooling layers too (0 weights)": """
def vgg16_layer_params(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    height, width, depth = input_shape
    counts = []
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            counts.append(3 * 3 * depth * filters + filters)
            depth = filters
        counts.append(0)
        height, width = height // 2, width // 2
    if include_top:
        inputs = height * width * depth
        for units in (4096, 4096, num_classes):
            counts.append(inputs * units + units)
            inputs = units
    return counts
""",
    },
    "add_classifier": {
        "Dense straight on the feature maps (the slide's code)": """
def add_classifier(base, num_classes):
    x = base.output
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(base.input, outputs)
""",
        "no softmax: outputs scores, not probabilities": _CLASSIFIER.format(
            base="inputs = base.input\n    x = base.output", flatten="", activation="None"
        ),
        "sigmoid instead of softmax": _CLASSIFIER.format(
            base="inputs = base.input\n    x = base.output", flatten="", activation='"sigmoid"'
        ),
        "Sequential with pooling but no softmax": """
def add_classifier(base, num_classes):
    return keras.Sequential([base, layers.GlobalAveragePooling2D(), layers.Dense(num_classes)])
""",
        "ReLU output, not softmax": """
def add_classifier(base, num_classes):
    x = layers.GlobalAveragePooling2D()(base.output)
    return keras.Model(base.input, layers.Dense(num_classes, activation="relu")(x))
""",
        "keeps the base but classifies the raw image": """
class Head(keras.Model):
    def __init__(self, base, num_classes):
        super().__init__()
        self.base = base
        self.flatten = layers.Flatten()
        self.dense = layers.Dense(num_classes, activation="softmax")

    def call(self, images, training=False):
        self.base(images)  # computed, but not used
        return self.dense(self.flatten(images))


def add_classifier(base, num_classes):
    return Head(base, num_classes)
""",
        "rebuilds the base (new weights) instead of reusing it": _CLASSIFIER.format(
            base="copy = keras.models.clone_model(base)\n    inputs = copy.input\n"
            "    x = copy.output",
            flatten="",
            activation='"softmax"',
        ),
    },
    "trainable_params": {
        "first5 = five convolutions (the InputLayer and pooling are layers too)": _trainable(
            first="5"
        ),
        "first5 skips the InputLayer (freezes layers 1 to 5)": _trainable(first="4"),
        "head frozen too (the slide's strategy 2 as written)": _trainable(head_only="0"),
        "head's Dense on 512 inputs, not H/32 * W/32 * 512": _trainable(
            head="depth * num_classes + num_classes"
        ),
        "forgets the head's biases": _trainable(head="height * width * depth * num_classes"),
        "the head on 7x7 maps whatever the input size": _trainable(
            head="7 * 7 * depth * num_classes + num_classes"
        ),
    },
    "fine_tune": {
        "unfreezes the top block without recompiling": _fine_tune(recompile=""),
        "base trainable at a high learning rate from the start": _fine_tune(
            frozen="True", recompile=""
        ).replace(
            "    base.trainable = True\n    for layer in base.layers:\n"
            '        layer.trainable = layer.name.startswith("block3_")\n',
            "",
        ),
        "a new, randomly initialised base instead of the pretrained one": _fine_tune(
            base="base = models.vgg.build_small_vgg()\n"
        ),
        "forgets to freeze the base while the head trains": _fine_tune(frozen="True"),
        "unfreezes the whole base for fine-tuning (block1 too)": _fine_tune().replace(
            'layer.trainable = layer.name.startswith("block3_")', "layer.trainable = True"
        ),
        "trains only the head (never fine-tunes the top block)": _fine_tune(recompile="").replace(
            "    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)\n    return",
            "    return",
        ),
        "fine-tunes at the head's high learning rate (no lower rate)": _fine_tune(
            recompile=_RECOMPILE.replace("Adam(1e-3)", "Adam(1e-2)")
        ),
        "fine-tunes blocks 2 and 3 (block2 is not the top block)": _fine_tune().replace(
            'layer.trainable = layer.name.startswith("block3_")',
            'layer.trainable = layer.name.startswith(("block2_", "block3_"))',
        ),
        "phases in the wrong order: the top block first, then the head on a frozen base": """
def fine_tune(base, x_train, y_train, num_classes):
    inputs = keras.Input(shape=base.input_shape[1:])
    x = layers.Flatten()(base(inputs, training=False))
    model = keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
    for layer in base.layers:
        layer.trainable = layer.name.startswith("block3_")
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)

    base.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)
    return model
""",
        "phases in the wrong order, the same learning rate 1e-3 for both": """
def fine_tune(base, x_train, y_train, num_classes):
    model = keras.Sequential([base, layers.GlobalAveragePooling2D(),
                              layers.Dense(num_classes, activation="softmax")])
    for layer in base.layers:
        layer.trainable = layer.name.startswith("block3")
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)
    base.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)
    return model
""",
        "returns the model before training it": """
def fine_tune(base, x_train, y_train, num_classes):
    base.trainable = False
    inputs = keras.Input(shape=base.input_shape[1:])
    outputs = layers.Dense(num_classes, activation="softmax")(layers.Flatten()(base(inputs)))
    return keras.Model(inputs, outputs)
""",
    },
}

#: What the demo class's "mistakes" student submits (each loses exactly its question's points).
DEMO: tuple[tuple[str, str], ...] = (
    ("vgg16_layer_params", "forgets the biases"),
    ("add_classifier", "Dense straight on the feature maps (the slide's code)"),
    ("fine_tune", "unfreezes the top block without recompiling"),
)
