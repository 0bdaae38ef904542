"""Correct answers to notebook 05-architectures, written independently of the reference solution.

Each gets full marks (hidden tests included); the tests plant every one of them.
"""

ASSIGNMENT = "05-architectures"

ALTERNATIVES: dict[str, dict[str, str]] = {
    "inception_output_shape": {
        "a list of NumPy ints": """
def inception_output_shape(input_shape, filters):
    f = np.asarray(filters)
    h, w = np.asarray(input_shape)[:2]
    return [h, w, f[[0, 2, 4, 5]].sum()]
""",
        "sum of the branches' last layers, by index": """
def inception_output_shape(input_shape, filters):
    last_of_each_branch = (0, 2, 4, 5)
    depth = 0
    for i in last_of_each_branch:
        depth += filters[i]
    return tuple(input_shape[:2]) + (depth,)
""",
        "built with Keras and read through compute_output_shape": """
def inception_output_shape(input_shape, filters):
    inputs = keras.Input(shape=input_shape)
    module = keras.Model(inputs, models.classic.inception_module(inputs, filters))
    _, h, w, c = module.compute_output_shape((None, *input_shape))
    return (h, w, c)
""",
        "a 1-D NumPy array": """
def inception_output_shape(input_shape, filters):
    f1, _, f3, _, f5, fp = filters
    return np.array([input_shape[0], input_shape[1], f1 + f3 + f5 + fp])
""",
    },
    "inception_params": {
        "closed form without formulas": """
def inception_params(in_channels, filters):
    f1, f3r, f3, f5r, f5, fp = filters
    d = in_channels
    weights = d * (f1 + f3r + f5r + fp) + 9 * f3r * f3 + 25 * f5r * f5
    biases = f1 + f3r + f3 + f5r + f5 + fp
    return weights + biases
""",
        "a loop over (kernel, input depth, filters)": """
def inception_params(in_channels, filters):
    f1, f3r, f3, f5r, f5, fp = filters
    d = in_channels
    convs = [(1, d, f1), (1, d, f3r), (3, f3r, f3), (1, d, f5r), (5, f5r, f5), (1, d, fp)]
    total = 0
    for k, depth, n in convs:
        total += k * k * depth * n + n
    return total
""",
        "NumPy dot product (a NumPy int)": """
def inception_params(in_channels, filters):
    f = np.array(filters)
    ins = np.array([in_channels, in_channels, f[1], in_channels, f[3], in_channels])
    ks = np.array([1, 1, 3, 1, 5, 1])
    return np.sum(ks**2 * ins * f + f)
""",
        "an integral float": """
def inception_params(in_channels, filters):
    f1, f3r, f3, f5r, f5, fp = map(float, filters)
    d = float(in_channels)
    return (d * f1 + f1) + (d * f3r + f3r) + (9 * f3r * f3 + f3) + (d * f5r + f5r) \\
        + (25 * f5r * f5 + f5) + (d * fp + fp)
""",
    },
    "separable_conv_params": {
        "np.prod of the kernel size, broadcast to a pair": """
def separable_conv_params(kernel_size, in_channels, filters, use_bias=True):
    area = np.prod(np.broadcast_to(kernel_size, (2,)))
    return area * in_channels + in_channels * filters + (filters if use_bias else 0)
""",
        "ask Keras": """
def separable_conv_params(kernel_size, in_channels, filters, use_bias=True):
    layer = layers.SeparableConv2D(filters, kernel_size, use_bias=use_bias)
    layer.build((None, 32, 32, in_channels))
    return layer.count_params()
""",
        "tuple check the other way round": """
def separable_conv_params(kernel_size, in_channels, filters, use_bias=True):
    if isinstance(kernel_size, (tuple, list)):
        kh, kw = kernel_size
    else:
        kh = kw = kernel_size
    total = kh * kw * in_channels
    total += in_channels * filters
    if use_bias:
        total += filters
    return total
""",
    },
    "separable_cost_ratio": {
        "simplified: 1/K + 1/F**2": """
def separable_cost_ratio(kernel_size, in_channels, filters):
    return 1 / filters + 1 / kernel_size**2
""",
        "NumPy float64": """
def separable_cost_ratio(kernel_size, in_channels, filters):
    f, d, k = np.float64(kernel_size), np.float64(in_channels), np.float64(filters)
    return (f * f * d + d * k) / (f * f * d * k)
""",
        "ratio of Keras's weight counts": """
def separable_cost_ratio(kernel_size, in_channels, filters):
    sep = layers.SeparableConv2D(filters, kernel_size, use_bias=False)
    std = layers.Conv2D(filters, kernel_size, use_bias=False)
    sep.build((None, 16, 16, in_channels))
    std.build((None, 16, 16, in_channels))
    return sep.count_params() / std.count_params()
""",
    },
    "residual_block": {
        "keras.ops and Activation, shortcut first": """
def residual_block(x, filters, stride=1):
    if stride == 1 and x.shape[-1] == filters:
        shortcut = x
    else:
        shortcut = layers.BatchNormalization()(
            layers.Conv2D(filters, (1, 1), strides=(stride, stride), use_bias=False)(x)
        )
    y = layers.Conv2D(filters, (3, 3), strides=stride, padding="same", use_bias=False)(x)
    y = layers.Activation("relu")(layers.BatchNormalization()(y))
    y = layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same", use_bias=False)(y))
    return keras.ops.relu(keras.ops.add(shortcut, y))
""",
        "a subclassed Layer": """
class BasicBlock(layers.Layer):
    def __init__(self, filters, stride=1, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.stride = filters, stride
        self.conv1 = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)
        self.bn1 = layers.BatchNormalization()
        self.conv2 = layers.Conv2D(filters, 3, padding="same", use_bias=False)
        self.bn2 = layers.BatchNormalization()
        self.proj = None

    def build(self, input_shape):
        if self.stride != 1 or input_shape[-1] != self.filters:
            self.proj = layers.Conv2D(self.filters, 1, strides=self.stride, use_bias=False)
            self.proj_bn = layers.BatchNormalization()

    def call(self, inputs, training=None):
        y = keras.ops.relu(self.bn1(self.conv1(inputs), training=training))
        y = self.bn2(self.conv2(y), training=training)
        shortcut = inputs
        if self.proj is not None:
            shortcut = self.proj_bn(self.proj(inputs), training=training)
        return keras.ops.relu(y + shortcut)


def residual_block(x, filters, stride=1):
    return BasicBlock(filters, stride)(x)
""",
        "a nested functional Model": """
def residual_block(x, filters, stride=1):
    inputs = keras.Input(shape=x.shape[1:])
    main = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(inputs)
    main = layers.ReLU()(layers.BatchNormalization()(main))
    main = layers.Conv2D(filters, 3, padding="same", use_bias=False)(main)
    main = layers.BatchNormalization()(main)
    needs_projection = stride > 1 or inputs.shape[-1] != filters
    shortcut = inputs
    if needs_projection:
        shortcut = layers.Conv2D(filters, 1, strides=stride, padding="same", use_bias=False)(inputs)
        shortcut = layers.BatchNormalization()(shortcut)
    out = layers.Activation("relu")(layers.add([shortcut, main]))
    return keras.Model(inputs, out)(x)
""",
    },
    "compound_scaling": {
        "a NumPy array": """
def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    return np.array([alpha, beta, gamma]) ** phi
""",
        "math.pow in a list": """
def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    return [math.pow(alpha, phi), math.pow(beta, phi), math.pow(gamma, phi)]
""",
        "exp and log": """
def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    depth = math.exp(phi * math.log(alpha))
    width = math.exp(phi * math.log(beta))
    resolution = math.exp(phi * math.log(gamma))
    return depth, width, resolution
""",
    },
}
