"""Typical wrong answers to notebook 02 (CNN layers), keyed by solution cell grade_id.

Each must lose exactly its own question's points. The tests plant every one of
them; the demo class's "mistakes" student submits the ones in ``DEMO``.
"""

from course.mistakes.edits import Edit, replace, resolve

ASSIGNMENT = "02-cnn-layers"

#: grade_id -> label -> the mistake: an edit of the solution cell, or a full cell source.
WRITTEN: dict[str, dict[str, Edit | str]] = {
    "conv2d": {
        "flips the kernel (textbook convolution)": replace(
            "f, _, _, k = kernel.shape",
            "f, _, _, k = kernel.shape\n    kernel = kernel[::-1, ::-1]",
        ),
        "forgets the bias": replace(
            "out[i, j] = np.tensordot(patch, kernel, axes=3) + bias",
            "out[i, j] = np.tensordot(patch, kernel, axes=3)",
        ),
        "ignores the stride": replace(
            "h_out = (x.shape[0] - f) // stride + 1\n    w_out = (x.shape[1] - f) // stride + 1",
            "h_out, w_out = x.shape[0] - f + 1, x.shape[1] - f + 1",
            "patch = x[i * stride : i * stride + f, j * stride : j * stride + f, :]",
            "patch = x[i : i + f, j : j + f, :]",
        ),
        "ignores the padding": replace(
            "\n    x = np.pad(x, ((padding, padding), (padding, padding), (0, 0)))",
            "",
        ),
    },
    "conv_output_size": {
        "total instead of per-side padding": replace(
            "if kernel_size > size + 2 * padding:\n"
            '        raise ValueError(f"kernel {kernel_size} is larger than the padded input")\n'
            "    return (size - kernel_size + 2 * padding) // stride + 1",
            "return (size - kernel_size + padding) // stride + 1",
        ),
        "no floor (the slide's formula as written)": replace(
            "if kernel_size > size + 2 * padding:\n"
            '        raise ValueError(f"kernel {kernel_size} is larger than the padded input")\n'
            "    return (size - kernel_size + 2 * padding) // stride + 1",
            "return (size - kernel_size + 2 * padding) / stride + 1",
        ),
        "ceil instead of floor": replace(
            "if kernel_size > size + 2 * padding:\n"
            '        raise ValueError(f"kernel {kernel_size} is larger than the padded input")\n'
            "    return (size - kernel_size + 2 * padding) // stride + 1",
            "return math.ceil((size - kernel_size + 2 * padding) / stride) + 1",
        ),
        "'same' keeps the size whatever the stride": replace(
            "return math.ceil(size / stride)",
            "return size",
            "\n"
            "    if kernel_size > size + 2 * padding:\n"
            '        raise ValueError(f"kernel {kernel_size} is larger than the padded input")',
            "",
        ),
        "forgets the +1": replace(
            "if kernel_size > size + 2 * padding:\n"
            '        raise ValueError(f"kernel {kernel_size} is larger than the padded input")\n'
            "    return (size - kernel_size + 2 * padding) // stride + 1",
            "return (size - kernel_size + 2 * padding) // stride",
        ),
        "'same' with floor instead of ceil": replace(
            "return math.ceil(size / stride)",
            "return size // stride",
            "\n"
            "    if kernel_size > size + 2 * padding:\n"
            '        raise ValueError(f"kernel {kernel_size} is larger than the padded input")',
            "",
        ),
        "divides before subtracting the kernel": replace(
            "if kernel_size > size + 2 * padding:\n"
            '        raise ValueError(f"kernel {kernel_size} is larger than the padded input")\n'
            "    return (size - kernel_size + 2 * padding) // stride + 1",
            "return (size + 2 * padding) // stride - kernel_size + 1",
        ),
    },
    "batch_norm": {
        "unbiased variance (ddof=1)": replace(
            "var = x.var(axis=(0, 1, 2))",
            "var = x.var(axis=(0, 1, 2), ddof=1)",
        ),
        "normalises each sample (layer norm)": replace(
            "mean = x.mean(axis=(0, 1, 2))\n    var = x.var(axis=(0, 1, 2))",
            "mean = x.mean(axis=(1, 2, 3), keepdims=True)\n"
            "    var = x.var(axis=(1, 2, 3), keepdims=True)",
        ),
        "eps added to the std": replace(
            "var = x.var(axis=(0, 1, 2))\n"
            "    return gamma * (x - mean) / np.sqrt(var + eps) + beta",
            "return gamma * (x - mean) / (x.std(axis=(0, 1, 2)) + eps) + beta",
        ),
        "forgets gamma and beta": replace(
            "return gamma * (x - mean) / np.sqrt(var + eps) + beta",
            "return (x - mean) / np.sqrt(var + eps)",
        ),
        "mean and variance over the batch axis only": replace(
            "mean = x.mean(axis=(0, 1, 2))\n    var = x.var(axis=(0, 1, 2))",
            "mean = x.mean(axis=0)\n    var = x.var(axis=0)",
        ),
        "one mean and variance for all channels": replace(
            "mean = x.mean(axis=(0, 1, 2))\n"
            "    var = x.var(axis=(0, 1, 2))\n"
            "    return gamma * (x - mean) / np.sqrt(var + eps) + beta",
            "return gamma * (x - x.mean()) / np.sqrt(x.var() + eps) + beta",
        ),
    },
    "pool_output_size": {
        "stride defaults to 1": replace(
            "stride = pool_size if stride is None else stride",
            "stride = 1 if stride is None else stride",
        ),
        "no floor": replace(
            "return (size - pool_size) // stride + 1",
            "return (size - pool_size) / stride + 1",
        ),
        "ignores 'same' padding": replace(
            '\n    if padding == "same":\n        return math.ceil(size / stride)',
            "",
        ),
        "'same' with floor instead of ceil": replace(
            "return math.ceil(size / stride)",
            "return size // stride",
        ),
        "size divided by the pool size": replace(
            "return (size - pool_size) // stride + 1",
            "return size // stride",
        ),
    },
    "conv_params": {
        "forgets the input depth D (the slide's F*F*K + K)": replace(
            "return kh * kw * in_channels * filters + (filters if use_bias else 0)",
            "return kh * kw * filters + (filters if use_bias else 0)",
        ),
        "forgets the biases": replace(
            "return kh * kw * in_channels * filters + (filters if use_bias else 0)",
            "return kh * kw * in_channels * filters",
        ),
        "ignores use_bias": replace(
            "return kh * kw * in_channels * filters + (filters if use_bias else 0)",
            "return kh * kw * in_channels * filters + filters",
        ),
        "one bias per input channel": replace(
            "return kh * kw * in_channels * filters + (filters if use_bias else 0)",
            "return kh * kw * in_channels * filters + (in_channels if use_bias else 0)",
        ),
        "kernel pair: only its first side": replace(
            "kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else"
            " kernel_size\n"
            "    return kh * kw * in_channels * filters + (filters if use_bias else 0)",
            "f = kernel_size if isinstance(kernel_size, int) else kernel_size[0]\n"
            "    return f * f * in_channels * filters + (filters if use_bias else 0)",
        ),
    },
    "dense_params": {
        "forgets the biases": replace(
            "return in_features * units + (units if use_bias else 0)",
            "return in_features * units",
        ),
        "ignores use_bias": replace(
            "return in_features * units + (units if use_bias else 0)",
            "return in_features * units + units",
        ),
        "one bias per input": replace(
            "return in_features * units + (units if use_bias else 0)",
            "return in_features * units + (in_features if use_bias else 0)",
        ),
        "one extra input for the bias (inputs + 1) * units always": replace(
            "return in_features * units + (units if use_bias else 0)",
            "return (in_features + 1) * units",
        ),
    },
    "build_vgg16": {
        "no Flatten before the dense layers": replace(
            "\n        x = layers.Flatten()(x)",
            "",
            'return keras.Model(inputs, x, name="my_vgg16")',
            "return keras.Model(inputs, x)",
        ),
        "'valid' convolutions": replace(
            'x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)',
            'x = layers.Conv2D(filters, 3, activation="relu")(x)',
            'return keras.Model(inputs, x, name="my_vgg16")',
            "return keras.Model(inputs, x)",
        ),
        "two convolutions in every block (VGG11-like)": replace(
            "for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:\n"
            "        for _ in range(convs):",
            "for filters in [64, 128, 256, 512, 512]:\n        for _ in range(2):",
            'return keras.Model(inputs, x, name="my_vgg16")',
            "return keras.Model(inputs, x)",
        ),
        "ignores include_top": """
def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(pool_size=2, strides=2)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(4096, activation="relu")(x)
    x = layers.Dense(4096, activation="relu")(x)
    x = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, x)
""",
        "no ReLU anywhere and no softmax": """
def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            x = layers.Conv2D(filters, 3, padding="same", activation=None)(x)
        x = layers.MaxPooling2D(pool_size=2, strides=2)(x)
    if include_top:
        x = layers.Flatten()(x)
        x = layers.Dense(4096, activation=None)(x)
        x = layers.Dense(4096, activation=None)(x)
        x = layers.Dense(num_classes, activation=None)(x)
    return keras.Model(inputs, x)
""",
        "sigmoid instead of softmax": replace(
            'x = layers.Dense(num_classes, activation="softmax")(x)\n'
            '    return keras.Model(inputs, x, name="my_vgg16")',
            'x = layers.Dense(num_classes, activation="sigmoid")(x)\n'
            "    return keras.Model(inputs, x)",
        ),
        "no softmax (logits)": replace(
            'x = layers.Dense(num_classes, activation="softmax")(x)\n'
            '    return keras.Model(inputs, x, name="my_vgg16")',
            "x = layers.Dense(num_classes, activation=None)(x)\n    return keras.Model(inputs, x)",
        ),
        "no ReLU on the hidden dense layers": replace(
            'x = layers.Dense(4096, activation="relu")(x)\n'
            '        x = layers.Dense(4096, activation="relu")(x)',
            "x = layers.Dense(4096, activation=None)(x)\n"
            "        x = layers.Dense(4096, activation=None)(x)",
            'return keras.Model(inputs, x, name="my_vgg16")',
            "return keras.Model(inputs, x)",
        ),
        "no ReLU on the convolutions": replace(
            'x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)',
            'x = layers.Conv2D(filters, 3, padding="same", activation=None)(x)',
            'return keras.Model(inputs, x, name="my_vgg16")',
            "return keras.Model(inputs, x)",
        ),
        "two convolutions in block 3": replace(
            "for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:",
            "for filters, convs in [(64, 2), (128, 2), (256, 2), (512, 3), (512, 3)]:",
            'return keras.Model(inputs, x, name="my_vgg16")',
            "return keras.Model(inputs, x)",
        ),
        "pooling with padding 'same'": replace(
            "x = layers.MaxPooling2D(pool_size=2, strides=2)(x)",
            'x = layers.MaxPooling2D(2, strides=2, padding="same")(x)',
            'return keras.Model(inputs, x, name="my_vgg16")',
            "return keras.Model(inputs, x)",
        ),
        "average pooling": replace(
            "x = layers.MaxPooling2D(pool_size=2, strides=2)(x)",
            "x = layers.AveragePooling2D(2)(x)",
            'return keras.Model(inputs, x, name="my_vgg16")',
            "return keras.Model(inputs, x)",
        ),
    },
}

#: grade_id -> label -> source of the wrong cell (edits applied to solutions/).
MISTAKES: dict[str, dict[str, str]] = resolve(ASSIGNMENT, WRITTEN)

#: The mistakes the demo class's third student makes: (solution grade_id, mistake label).
DEMO = (
    ("conv_output_size", "total instead of per-side padding"),
    ("conv_params", "forgets the input depth D (the slide's F*F*K + K)"),
    ("dense_params", "forgets the biases"),
)
