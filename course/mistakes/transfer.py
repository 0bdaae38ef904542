"""Typical wrong answers to notebook 04 (transfer learning), keyed by solution cell grade_id.

Each must lose exactly its own question's points. The tests plant every one of them; the
demo class's "mistakes" student submits the ones in ``DEMO``.
"""

from course.mistakes.edits import Edit, replace, resolve

ASSIGNMENT = "04-transfer"

#: The head put on the base's own graph (base.input, base.output) instead of calling the base.
_BASE_GRAPH = (
    "inputs = keras.Input(shape=base.input_shape[1:])\n"
    "    x = base(inputs, training=False)  # inference mode for BatchNormalization / Dropout",
    "inputs = base.input\n    x = base.output",
)

#: grade_id -> label -> the mistake: an edit of the solution cell, or a full cell source.
WRITTEN: dict[str, dict[str, Edit | str]] = {
    "vgg16_layer_params": {
        "forgets the biases": replace(
            "counts.append(3 * 3 * depth * filters + filters)",
            "counts.append(3 * 3 * depth * filters)",
            "counts.append(inputs * units + units)",
            "counts.append(inputs * units)",
        ),
        "the slide's conv formula F*F*K + K (no input depth)": replace(
            "counts.append(3 * 3 * depth * filters + filters)",
            "counts.append(3 * 3 * filters + filters)",
        ),
        "first dense input 7*7, not 7*7*512": replace(
            "inputs = height * width * depth  # the flattened 7x7x512 maps at 224x224",
            "inputs = height * width",
        ),
        "assumes 224x224 inputs (7x7 maps) whatever the input": replace(
            "inputs = height * width * depth  # the flattened 7x7x512 maps at 224x224",
            "inputs = 7 * 7 * depth",
        ),
        "pooling rounds up (ceil), not down": replace(
            "height, width = height // 2, width // 2",
            "height, width = -(-height // 2), -(-width // 2)",
        ),
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
        "lists the pooling layers too (0 weights)": replace(
            "depth = filters",
            "depth = filters\n        counts.append(0)",
        ),
    },
    "add_classifier": {
        "Dense straight on the feature maps (the slide's code)": """
def add_classifier(base, num_classes):
    x = base.output
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(base.input, outputs)
""",
        "no softmax: outputs scores, not probabilities": replace(
            *_BASE_GRAPH,
            'outputs = layers.Dense(num_classes, activation="softmax")(x)',
            "outputs = layers.Dense(num_classes, activation=None)(x)",
        ),
        "sigmoid instead of softmax": replace(
            *_BASE_GRAPH,
            'outputs = layers.Dense(num_classes, activation="softmax")(x)',
            'outputs = layers.Dense(num_classes, activation="sigmoid")(x)',
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
        "rebuilds the base (new weights) instead of reusing it": replace(
            "inputs = keras.Input(shape=base.input_shape[1:])\n"
            "    x = base(inputs, training=False)  # inference mode for"
            " BatchNormalization / Dropout",
            "copy = keras.models.clone_model(base)\n    inputs = copy.input\n    x = copy.output",
        ),
    },
    "trainable_params": {
        "first5 = five convolutions (the InputLayer and pooling are layers too)": replace(
            "# layers[:5]: InputLayer, block1_conv1, block1_conv2, block1_pool, block2_conv1\n"
            "    return sum(convs[3:]) + head",
            "return sum(convs[5:]) + head",
        ),
        "first5 skips the InputLayer (freezes layers 1 to 5)": replace(
            "# layers[:5]: InputLayer, block1_conv1, block1_conv2, block1_pool, block2_conv1\n"
            "    return sum(convs[3:]) + head",
            "return sum(convs[4:]) + head",
        ),
        "head frozen too (the slide's strategy 2 as written)": replace(
            "return head\n"
            "    # layers[:5]: InputLayer, block1_conv1, block1_conv2, block1_pool, block2_conv1",
            "return 0",
        ),
        "head's Dense on 512 inputs, not H/32 * W/32 * 512": replace(
            "head = height * width * depth * num_classes + num_classes",
            "head = depth * num_classes + num_classes",
        ),
        "forgets the head's biases": replace(
            "head = height * width * depth * num_classes + num_classes",
            "head = height * width * depth * num_classes",
        ),
        "the head on 7x7 maps whatever the input size": replace(
            "head = height * width * depth * num_classes + num_classes",
            "head = 7 * 7 * depth * num_classes + num_classes",
        ),
    },
    "fine_tune": {
        "unfreezes the top block without recompiling": replace(
            "\n"
            "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),  #"
            " again, 10x lower\n"
            '                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])',
            "",
        ),
        "base trainable at a high learning rate from the start": """
def fine_tune(base, x_train, y_train, num_classes):

    base.trainable = True
    inputs = keras.Input(shape=base.input_shape[1:])
    x = base(inputs, training=False)
    x = layers.Flatten()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)

    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)
    return model
""",
        "a new, randomly initialised base instead of the pretrained one": replace(
            '"""The Keras recipe on a pretrained base: returns the fine-tuned keras.Model."""',
            '"""The Keras recipe on a pretrained base: returns the fine-tuned'
            ' keras.Model."""\n'
            "    base = models.vgg.build_small_vgg()\n",
        ),
        "forgets to freeze the base while the head trains": replace(
            "base.trainable = False",
            "base.trainable = True",
        ),
        "unfreezes the whole base for fine-tuning (block1 too)": replace(
            'layer.trainable = layer.name.startswith("block3_")',
            "layer.trainable = True",
        ),
        "trains only the head (never fine-tunes the top block)": replace(
            "\n"
            "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),  #"
            " again, 10x lower\n"
            '                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])\n'
            "    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)",
            "",
        ),
        "fine-tunes at the head's high learning rate (no lower rate)": replace(
            "model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),  # again,"
            " 10x lower",
            "model.compile(optimizer=keras.optimizers.Adam(1e-2),",
        ),
        "fine-tunes blocks 2 and 3 (block2 is not the top block)": replace(
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

#: grade_id -> label -> source of the wrong cell (edits applied to solutions/).
MISTAKES: dict[str, dict[str, str]] = resolve(ASSIGNMENT, WRITTEN)

#: What the demo class's "mistakes" student submits (each loses exactly its question's points).
DEMO: tuple[tuple[str, str], ...] = (
    ("vgg16_layer_params", "forgets the biases"),
    ("add_classifier", "Dense straight on the feature maps (the slide's code)"),
    ("fine_tune", "unfreezes the top block without recompiling"),
)
