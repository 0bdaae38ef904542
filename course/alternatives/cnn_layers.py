"""Correct answers to notebook 02-cnn-layers, written independently of the reference solution.

Each gets full marks (hidden tests included); the tests plant every one of them.
"""

ASSIGNMENT = "02-cnn-layers"

_VGG_TOP = """
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        x = layers.Dense(num_classes, activation="softmax", name="predictions")(x)
"""

ALTERNATIVES: dict[str, dict[str, str]] = {
    "conv2d": {
        "einsum over sliding windows": """
def conv2d(x, kernel, bias, stride=1, padding=0):
    f = kernel.shape[0]
    xp = np.pad(x, [(padding, padding), (padding, padding), (0, 0)])
    windows = np.lib.stride_tricks.sliding_window_view(xp, (f, f), axis=(0, 1))
    windows = windows[::stride, ::stride]  # (H', W', D, F, F)
    return np.einsum("ijdab,abdk->ijk", windows, kernel) + bias
""",
        "pure loops, one filter at a time": """
def conv2d(x, kernel, bias, stride=1, padding=0):
    height, width, depth = x.shape
    f, _, _, filters = kernel.shape
    padded = np.zeros((height + 2 * padding, width + 2 * padding, depth))
    padded[padding : padding + height, padding : padding + width] = x
    out_h = (padded.shape[0] - f) // stride + 1
    out_w = (padded.shape[1] - f) // stride + 1
    out = np.zeros((out_h, out_w, filters))
    for k in range(filters):
        for i in range(out_h):
            for j in range(out_w):
                total = bias[k]
                for a in range(f):
                    for b in range(f):
                        for d in range(depth):
                            total += padded[i * stride + a, j * stride + b, d] * kernel[a, b, d, k]
                out[i, j, k] = total
    return out
""",
        "im2col and a matrix product": """
def conv2d(x, kernel, bias, stride=1, padding=0):
    f, _, depth, filters = kernel.shape
    xp = np.pad(x, ((padding,) * 2, (padding,) * 2, (0, 0)), mode="constant")
    rows = range(0, xp.shape[0] - f + 1, stride)
    cols = range(0, xp.shape[1] - f + 1, stride)
    columns = [xp[i : i + f, j : j + f, :].reshape(-1) for i in rows for j in cols]
    out = np.stack(columns) @ kernel.reshape(f * f * depth, filters) + bias
    return out.reshape(len(rows), len(cols), filters).astype(np.float32)
""",
    },
    "conv_output_size": {
        "math.floor with explicit 'valid' and 'same'": """
def conv_output_size(size, kernel_size, stride=1, padding=0):
    if isinstance(padding, str):
        if padding.lower() == "same":
            return -(-size // stride)
        padding = 0
    return math.floor((size + 2 * padding - kernel_size) / stride) + 1
""",
        "NumPy, returns np.float64": """
def conv_output_size(size, kernel_size, stride=1, padding=0):
    if padding == "same":
        return np.ceil(size / stride)
    p = 0 if padding == "valid" else padding
    return np.floor((size - kernel_size + 2 * p) / stride) + 1
""",
        "int(...) arithmetic and a lookup of the padding": """
def conv_output_size(size, kernel_size, stride=1, padding=0):
    if padding == "same":
        return int((size + stride - 1) / stride) if (size % stride) else size // stride
    pad = {"valid": 0}.get(padding, padding)
    return int((size - kernel_size + 2 * pad) / stride) + 1
""",
        "NumPy integers": """
def conv_output_size(size, kernel_size, stride=1, padding=0):
    size, kernel_size, stride = np.int64(size), np.int64(kernel_size), np.int64(stride)
    if padding == "same":
        return (size + stride - 1) // stride
    padding = np.int64(0 if padding == "valid" else padding)
    return (size - kernel_size + 2 * padding) // stride + 1
""",
    },
    "batch_norm": {
        "np.mean and np.var with keepdims": """
def batch_norm(x, gamma, beta, eps=1e-3):
    mu = np.mean(x, axis=(0, 1, 2), keepdims=True)
    sigma2 = np.var(x, axis=(0, 1, 2), keepdims=True)
    x_hat = (x - mu) / np.sqrt(sigma2 + eps)
    return x_hat * gamma.reshape(1, 1, 1, -1) + beta.reshape(1, 1, 1, -1)
""",
        "manual sums": """
def batch_norm(x, gamma, beta, eps=1e-3):
    m = x.shape[0] * x.shape[1] * x.shape[2]
    mean = x.sum(axis=(0, 1, 2)) / m
    var = ((x - mean) ** 2).sum(axis=(0, 1, 2)) / m
    return gamma * (x - mean) / (var + eps) ** 0.5 + beta
""",
        "a loop over the channels": """
def batch_norm(x, gamma, beta, eps=1e-3):
    out = np.empty_like(x, dtype=np.float64)
    for c in range(x.shape[-1]):
        channel = x[..., c].astype(np.float64)
        out[..., c] = gamma[c] * (channel - channel.mean()) / math.sqrt(channel.var() + eps)
        out[..., c] += beta[c]
    return out
""",
    },
    "pool_output_size": {
        "math.floor and math.ceil": """
def pool_output_size(size, pool_size, stride=None, padding="valid"):
    s = stride or pool_size
    if padding == "valid":
        return math.floor((size - pool_size) / s) + 1
    return math.ceil(size / s)
""",
        "NumPy, returns np.float64": """
def pool_output_size(size, pool_size, stride=None, padding="valid"):
    if stride is None:
        stride = pool_size
    if padding == "same":
        return np.ceil(size / stride)
    return np.floor((size - pool_size) / stride) + 1
""",
        "counting the windows with a loop": """
def pool_output_size(size, pool_size, stride=None, padding="valid"):
    stride = pool_size if stride is None else stride
    if padding == "same":
        return len(range(0, size, stride))
    return len(range(0, size - pool_size + 1, stride))
""",
    },
    "conv_params": {
        "np.prod of the kernel shape": """
def conv_params(kernel_size, in_channels, filters, use_bias=True):
    kernel = np.broadcast_to(np.asarray(kernel_size), (2,))
    weights = np.prod(kernel) * in_channels * filters
    return weights + filters * int(use_bias)
""",
        "tuple unpacking and math.prod": """
def conv_params(kernel_size, in_channels, filters, use_bias=True):
    if not isinstance(kernel_size, (tuple, list)):
        kernel_size = (kernel_size, kernel_size)
    per_filter = math.prod(kernel_size) * in_channels + (1 if use_bias else 0)
    return per_filter * filters
""",
        "float arithmetic": """
def conv_params(kernel_size, in_channels, filters, use_bias=True):
    h, w = kernel_size if isinstance(kernel_size, tuple) else (kernel_size,) * 2
    total = float(h) * w * in_channels * filters
    if use_bias:
        total += filters
    return total
""",
    },
    "dense_params": {
        "(inputs + bias) per unit": """
def dense_params(in_features, units, use_bias=True):
    return (in_features + int(bool(use_bias))) * units
""",
        "NumPy integers": """
def dense_params(in_features, units, use_bias=True):
    weights = np.int64(in_features) * np.int64(units)
    return weights + np.int64(units) if use_bias else weights
""",
        "shapes of the weight matrices": """
def dense_params(in_features, units, use_bias=True):
    shapes = [(in_features, units)] + ([(units,)] if use_bias else [])
    return sum(math.prod(shape) for shape in shapes)
""",
    },
    "build_vgg16": {
        "keras.Sequential without an Input": """
def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    model = keras.Sequential(name="vgg16_sequential")
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(convs):
            model.add(layers.Conv2D(filters, (3, 3), padding="same", activation="relu"))
        model.add(layers.MaxPooling2D((2, 2), strides=(2, 2)))
    if include_top:
        model.add(layers.Flatten())
        model.add(layers.Dense(4096, activation="relu"))
        model.add(layers.Dense(4096, activation="relu"))
        model.add(layers.Dense(num_classes, activation="softmax"))
    return model
""",
        "keras.Sequential with an Input and separate activations": """
def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    stack = [keras.Input(shape=input_shape)]
    for filters, convs in zip([64, 128, 256, 512, 512], [2, 2, 3, 3, 3]):
        for _ in range(convs):
            stack += [layers.Conv2D(filters, 3, padding="same"), layers.ReLU()]
        stack.append(layers.MaxPool2D())
    if include_top:
        stack += [layers.Flatten(), layers.Dense(4096), layers.Activation("relu")]
        stack += [layers.Dense(4096), layers.ReLU(), layers.Dense(num_classes)]
        stack.append(layers.Softmax())
    return keras.Sequential(stack)
""",
        "functional, written out with keras.applications' layer names": """
def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    inputs = keras.Input(shape=input_shape, name="input_layer")
    x = inputs
    blocks = {1: (64, 2), 2: (128, 2), 3: (256, 3), 4: (512, 3), 5: (512, 3)}
    for block, (filters, convs) in blocks.items():
        for conv in range(1, convs + 1):
            x = layers.Conv2D(
                filters, 3, activation="relu", padding="same", name=f"block{block}_conv{conv}"
            )(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
"""
        + _VGG_TOP
        + """    return keras.Model(inputs, x, name="vgg16")
""",
        "subclassed keras.Model": """
class VGG16(keras.Model):
    def __init__(self, num_classes=1000, include_top=True):
        super().__init__()
        self.features = []
        for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
            for _ in range(convs):
                self.features.append(layers.Conv2D(filters, 3, padding="same", activation="relu"))
            self.features.append(layers.MaxPooling2D(2))
        self.top = []
        if include_top:
            self.top = [
                layers.Flatten(),
                layers.Dense(4096, activation="relu"),
                layers.Dense(4096, activation="relu"),
                layers.Dense(num_classes, activation="softmax"),
            ]

    def call(self, x):
        for layer in self.features + self.top:
            x = layer(x)
        return x


def build_vgg16(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    model = VGG16(num_classes, include_top)
    model(keras.ops.zeros((1, *input_shape)))
    return model
""",
    },
}
