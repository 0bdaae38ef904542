"""Typical wrong answers to notebook 02 (CNN layers), keyed by solution cell grade_id.

Each must lose exactly its own question's points. The tests plant every one of
them; the demo class's "mistakes" student submits the ones in ``DEMO``.
"""

ASSIGNMENT = "02-cnn-layers"

MISTAKES: dict[str, dict[str, str]] = {
    "conv2d": {
        "flips the kernel (textbook convolution)": """
def conv2d(x, kernel, bias, stride=1, padding=0):
    f, _, _, k = kernel.shape
    kernel = kernel[::-1, ::-1]
    x = np.pad(x, ((padding, padding), (padding, padding), (0, 0)))
    h_out = (x.shape[0] - f) // stride + 1
    w_out = (x.shape[1] - f) // stride + 1
    out = np.empty((h_out, w_out, k), dtype=x.dtype)
    for i in range(h_out):
        for j in range(w_out):
            patch = x[i * stride : i * stride + f, j * stride : j * stride + f, :]
            out[i, j] = np.tensordot(patch, kernel, axes=3) + bias
    return out
""",
        "forgets the bias": """
def conv2d(x, kernel, bias, stride=1, padding=0):
    f, _, _, k = kernel.shape
    x = np.pad(x, ((padding, padding), (padding, padding), (0, 0)))
    h_out = (x.shape[0] - f) // stride + 1
    w_out = (x.shape[1] - f) // stride + 1
    out = np.empty((h_out, w_out, k), dtype=x.dtype)
    for i in range(h_out):
        for j in range(w_out):
            patch = x[i * stride : i * stride + f, j * stride : j * stride + f, :]
            out[i, j] = np.tensordot(patch, kernel, axes=3)
    return out
""",
        "ignores the stride": """
def conv2d(x, kernel, bias, stride=1, padding=0):
    f, _, _, k = kernel.shape
    x = np.pad(x, ((padding, padding), (padding, padding), (0, 0)))
    h_out, w_out = x.shape[0] - f + 1, x.shape[1] - f + 1
    out = np.empty((h_out, w_out, k), dtype=x.dtype)
    for i in range(h_out):
        for j in range(w_out):
            out[i, j] = np.tensordot(x[i : i + f, j : j + f, :], kernel, axes=3) + bias
    return out
""",
        "ignores the padding": """
def conv2d(x, kernel, bias, stride=1, padding=0):
    f, _, _, k = kernel.shape
    h_out = (x.shape[0] - f) // stride + 1
    w_out = (x.shape[1] - f) // stride + 1
    out = np.empty((h_out, w_out, k), dtype=x.dtype)
    for i in range(h_out):
        for j in range(w_out):
            patch = x[i * stride : i * stride + f, j * stride : j * stride + f, :]
            out[i, j] = np.tensordot(patch, kernel, axes=3) + bias
    return out
""",
    },
    "conv_output_size": {
        "total instead of per-side padding": """
def conv_output_size(size, kernel_size, stride=1, padding=0):
    if padding == "same":
        return math.ceil(size / stride)
    if padding == "valid":
        padding = 0
    return (size - kernel_size + padding) // stride + 1
""",
        "no floor (the slide's formula as written)": """
def conv_output_size(size, kernel_size, stride=1, padding=0):
    if padding == "same":
        return math.ceil(size / stride)
    if padding == "valid":
        padding = 0
    return (size - kernel_size + 2 * padding) / stride + 1
""",
        "ceil instead of floor": """
def conv_output_size(size, kernel_size, stride=1, padding=0):
    if padding == "same":
        return math.ceil(size / stride)
    if padding == "valid":
        padding = 0
    return math.ceil((size - kernel_size + 2 * padding) / stride) + 1
""",
        "'same' keeps the size whatever the stride": """
def conv_output_size(size, kernel_size, stride=1, padding=0):
    if padding == "same":
        return size
    if padding == "valid":
        padding = 0
    return (size - kernel_size + 2 * padding) // stride + 1
""",
        "forgets the +1": """
def conv_output_size(size, kernel_size, stride=1, padding=0):
    if padding == "same":
        return math.ceil(size / stride)
    if padding == "valid":
        padding = 0
    return (size - kernel_size + 2 * padding) // stride
""",
        "'same' with floor instead of ceil": """
def conv_output_size(size, kernel_size, stride=1, padding=0):
    if padding == "same":
        return size // stride
    if padding == "valid":
        padding = 0
    return (size - kernel_size + 2 * padding) // stride + 1
""",
        "divides before subtracting the kernel": """
def conv_output_size(size, kernel_size, stride=1, padding=0):
    if padding == "same":
        return math.ceil(size / stride)
    if padding == "valid":
        padding = 0
    return (size + 2 * padding) // stride - kernel_size + 1
""",
    },
    "batch_norm": {
        "unbiased variance (ddof=1)": """
def batch_norm(x, gamma, beta, eps=1e-3):
    mean = x.mean(axis=(0, 1, 2))
    var = x.var(axis=(0, 1, 2), ddof=1)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta
""",
        "normalises each sample (layer norm)": """
def batch_norm(x, gamma, beta, eps=1e-3):
    mean = x.mean(axis=(1, 2, 3), keepdims=True)
    var = x.var(axis=(1, 2, 3), keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta
""",
        "eps added to the std": """
def batch_norm(x, gamma, beta, eps=1e-3):
    mean = x.mean(axis=(0, 1, 2))
    return gamma * (x - mean) / (x.std(axis=(0, 1, 2)) + eps) + beta
""",
        "forgets gamma and beta": """
def batch_norm(x, gamma, beta, eps=1e-3):
    mean = x.mean(axis=(0, 1, 2))
    var = x.var(axis=(0, 1, 2))
    return (x - mean) / np.sqrt(var + eps)
""",
        "mean and variance over the batch axis only": """
def batch_norm(x, gamma, beta, eps=1e-3):
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta
""",
        "one mean and variance for all channels": """
def batch_norm(x, gamma, beta, eps=1e-3):
    return gamma * (x - x.mean()) / np.sqrt(x.var() + eps) + beta
""",
    },
    "pool_output_size": {
        "stride defaults to 1": """
def pool_output_size(size, pool_size, stride=None, padding="valid"):
    stride = 1 if stride is None else stride
    if padding == "same":
        return math.ceil(size / stride)
    return (size - pool_size) // stride + 1
""",
        "no floor": """
def pool_output_size(size, pool_size, stride=None, padding="valid"):
    stride = pool_size if stride is None else stride
    if padding == "same":
        return math.ceil(size / stride)
    return (size - pool_size) / stride + 1
""",
        "ignores 'same' padding": """
def pool_output_size(size, pool_size, stride=None, padding="valid"):
    stride = pool_size if stride is None else stride
    return (size - pool_size) // stride + 1
""",
        "'same' with floor instead of ceil": """
def pool_output_size(size, pool_size, stride=None, padding="valid"):
    stride = pool_size if stride is None else stride
    if padding == "same":
        return size // stride
    return (size - pool_size) // stride + 1
""",
        "size divided by the pool size": """
def pool_output_size(size, pool_size, stride=None, padding="valid"):
    stride = pool_size if stride is None else stride
    if padding == "same":
        return math.ceil(size / stride)
    return size // stride
""",
    },
    "conv_params": {
        "forgets the input depth D (the slide's F*F*K + K)": """
def conv_params(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return kh * kw * filters + (filters if use_bias else 0)
""",
        "forgets the biases": """
def conv_params(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return kh * kw * in_channels * filters
""",
        "ignores use_bias": """
def conv_params(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return kh * kw * in_channels * filters + filters
""",
        "one bias per input channel": """
def conv_params(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return kh * kw * in_channels * filters + (in_channels if use_bias else 0)
""",
        "kernel pair: only its first side": """
def conv_params(kernel_size, in_channels, filters, use_bias=True):
    f = kernel_size if isinstance(kernel_size, int) else kernel_size[0]
    return f * f * in_channels * filters + (filters if use_bias else 0)
""",
    },
    "dense_params": {
        "forgets the biases": """
def dense_params(in_features, units, use_bias=True):
    return in_features * units
""",
        "ignores use_bias": """
def dense_params(in_features, units, use_bias=True):
    return in_features * units + units
""",
        "one bias per input": """
def dense_params(in_features, units, use_bias=True):
    return in_features * units + (in_features if use_bias else 0)
""",
        "one extra input for the bias (inputs + 1) * units always": """
def dense_params(in_features, units, use_bias=True):
    return (in_features + 1) * units
""",
    },
    "build_vgg16": {
        "no Flatten before the dense layers": """
def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(pool_size=2, strides=2)(x)
    if include_top:
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, x)
""",
        "'valid' convolutions": """
def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            x = layers.Conv2D(filters, 3, activation="relu")(x)
        x = layers.MaxPooling2D(pool_size=2, strides=2)(x)
    if include_top:
        x = layers.Flatten()(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, x)
""",
        "two convolutions in every block (VGG11-like)": """
def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters in [64, 128, 256, 512, 512]:
        for _ in range(2):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(pool_size=2, strides=2)(x)
    if include_top:
        x = layers.Flatten()(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, x)
""",
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
        "sigmoid instead of softmax": """
def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(pool_size=2, strides=2)(x)
    if include_top:
        x = layers.Flatten()(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(num_classes, activation="sigmoid")(x)
    return keras.Model(inputs, x)
""",
        "no softmax (logits)": """
def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(pool_size=2, strides=2)(x)
    if include_top:
        x = layers.Flatten()(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(num_classes, activation=None)(x)
    return keras.Model(inputs, x)
""",
        "no ReLU on the hidden dense layers": """
def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(pool_size=2, strides=2)(x)
    if include_top:
        x = layers.Flatten()(x)
        x = layers.Dense(4096, activation=None)(x)
        x = layers.Dense(4096, activation=None)(x)
        x = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, x)
""",
        "no ReLU on the convolutions": """
def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            x = layers.Conv2D(filters, 3, padding="same", activation=None)(x)
        x = layers.MaxPooling2D(pool_size=2, strides=2)(x)
    if include_top:
        x = layers.Flatten()(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, x)
""",
        "two convolutions in block 3": """
def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, convs in [(64, 2), (128, 2), (256, 2), (512, 3), (512, 3)]:
        for _ in range(convs):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(pool_size=2, strides=2)(x)
    if include_top:
        x = layers.Flatten()(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, x)
""",
        "pooling with padding 'same'": """
def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(2, strides=2, padding="same")(x)
    if include_top:
        x = layers.Flatten()(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, x)
""",
        "average pooling": """
def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.AveragePooling2D(2)(x)
    if include_top:
        x = layers.Flatten()(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(4096, activation="relu")(x)
        x = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, x)
""",
    },
}

#: The mistakes the demo class's third student makes: (solution grade_id, mistake label).
DEMO = (
    ("conv_output_size", "total instead of per-side padding"),
    ("conv_params", "forgets the input depth D (the slide's F*F*K + K)"),
    ("dense_params", "forgets the biases"),
)
