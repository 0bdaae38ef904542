"""Typical wrong answers to notebook 05 (architectures), keyed by solution cell grade_id.

Each must lose exactly its own question's points. The tests plant every one of
them; the demo class's "mistakes" student submits the ones in ``DEMO``.
"""

ASSIGNMENT = "05-architectures"

_BLOCK_START = """
def residual_block(x, filters, stride=1):
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    y = layers.BatchNormalization()(y)
    y = layers.ReLU()(y)
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)
    y = layers.BatchNormalization()(y)
"""

MISTAKES: dict[str, dict[str, str]] = {
    "inception_output_shape": {
        "forgets the pooling branch": """
def inception_output_shape(input_shape, filters):
    h, w, _ = input_shape
    f1, f3r, f3, f5r, f5, fp = filters
    return (h, w, f1 + f3 + f5)
""",
        "counts the 1x1 reductions as outputs": """
def inception_output_shape(input_shape, filters):
    h, w, _ = input_shape
    return (h, w, sum(filters))
""",
        "the pooling branch keeps the input depth": """
def inception_output_shape(input_shape, filters):
    h, w, d = input_shape
    f1, f3r, f3, f5r, f5, fp = filters
    return (h, w, f1 + f3 + f5 + d)
""",
        "H and W of the 'valid' 5x5 convolution": """
def inception_output_shape(input_shape, filters):
    h, w, _ = input_shape
    f1, f3r, f3, f5r, f5, fp = filters
    return (h - 4, w - 4, f1 + f3 + f5 + fp)
""",
        "pooling halves the size": """
def inception_output_shape(input_shape, filters):
    h, w, _ = input_shape
    f1, f3r, f3, f5r, f5, fp = filters
    return (h // 2, w // 2, f1 + f3 + f5 + fp)
""",
    },
    "inception_params": {
        "forgets the 1x1 reductions (3x3 and 5x5 on the input)": """
def inception_params(in_channels, filters):
    f1, f3r, f3, f5r, f5, fp = filters
    d = in_channels
    return (formulas.conv_params(1, d, f1) + formulas.conv_params(3, d, f3)
            + formulas.conv_params(5, d, f5) + formulas.conv_params(1, d, fp))
""",
        "3x3 and 5x5 read the input depth, not the reduction": """
def inception_params(in_channels, filters):
    f1, f3r, f3, f5r, f5, fp = filters
    d = in_channels
    return (formulas.conv_params(1, d, f1)
            + formulas.conv_params(1, d, f3r) + formulas.conv_params(3, d, f3)
            + formulas.conv_params(1, d, f5r) + formulas.conv_params(5, d, f5)
            + formulas.conv_params(1, d, fp))
""",
        "forgets the biases": """
def inception_params(in_channels, filters):
    f1, f3r, f3, f5r, f5, fp = filters
    d = in_channels
    return (d * f1 + d * f3r + 9 * f3r * f3 + d * f5r + 25 * f5r * f5 + d * fp)
""",
        "forgets the pool projection": """
def inception_params(in_channels, filters):
    f1, f3r, f3, f5r, f5, fp = filters
    d = in_channels
    return (formulas.conv_params(1, d, f1)
            + formulas.conv_params(1, d, f3r) + formulas.conv_params(3, f3r, f3)
            + formulas.conv_params(1, d, f5r) + formulas.conv_params(5, f5r, f5))
""",
    },
    "separable_conv_params": {
        "forgets the pointwise part": """
def separable_conv_params(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return kh * kw * in_channels + (filters if use_bias else 0)
""",
        "a standard convolution's count": """
def separable_conv_params(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return kh * kw * in_channels * filters + (filters if use_bias else 0)
""",
        "a bias on the depthwise part too": """
def separable_conv_params(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    bias = in_channels + filters if use_bias else 0
    return kh * kw * in_channels + in_channels * filters + bias
""",
        "ignores use_bias": """
def separable_conv_params(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return kh * kw * in_channels + in_channels * filters + filters
""",
    },
    "separable_cost_ratio": {
        "inverted (standard / separable)": """
def separable_cost_ratio(kernel_size, in_channels, filters):
    standard = kernel_size**2 * in_channels * filters
    separable = kernel_size**2 * in_channels + in_channels * filters
    return standard / separable
""",
        "forgets the pointwise cost (1/K)": """
def separable_cost_ratio(kernel_size, in_channels, filters):
    return 1 / filters
""",
        "forgets the depthwise cost (1/F**2)": """
def separable_cost_ratio(kernel_size, in_channels, filters):
    return 1 / kernel_size**2
""",
        "the saving (1 - ratio) instead of the ratio": """
def separable_cost_ratio(kernel_size, in_channels, filters):
    return 1 - (1 / filters + 1 / kernel_size**2)
""",
    },
    "residual_block": {
        "adds after the final activation": _BLOCK_START
        + """
    y = layers.ReLU()(y)
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)
        shortcut = layers.BatchNormalization()(shortcut)
    return layers.Add()([y, shortcut])
""",
        "no projection shortcut": _BLOCK_START
        + """
    y = layers.Add()([y, x])
    return layers.ReLU()(y)
""",
        "projects only when the stride changes": _BLOCK_START
        + """
    shortcut = x
    if stride != 1:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)
        shortcut = layers.BatchNormalization()(shortcut)
    y = layers.Add()([y, shortcut])
    return layers.ReLU()(y)
""",
        "projection without batch normalisation": _BLOCK_START
        + """
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)
    y = layers.Add()([y, shortcut])
    return layers.ReLU()(y)
""",
        "always projects": _BLOCK_START
        + """
    shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)
    shortcut = layers.BatchNormalization()(shortcut)
    y = layers.Add()([y, shortcut])
    return layers.ReLU()(y)
""",
        "stride on the second convolution": """
def residual_block(x, filters, stride=1):
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    y = layers.BatchNormalization()(y)
    y = layers.ReLU()(y)
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(y)
    y = layers.BatchNormalization()(y)
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)
        shortcut = layers.BatchNormalization()(shortcut)
    y = layers.Add()([y, shortcut])
    return layers.ReLU()(y)
""",
        "no ReLU between the two convolutions": """
def residual_block(x, filters, stride=1):
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    y = layers.BatchNormalization()(y)
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)
    y = layers.BatchNormalization()(y)
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)
        shortcut = layers.BatchNormalization()(shortcut)
    y = layers.Add()([y, shortcut])
    return layers.ReLU()(y)
""",
        "no skip connection (the plain block)": _BLOCK_START
        + """
    return layers.ReLU()(y)
""",
        "no final ReLU": _BLOCK_START
        + """
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)
        shortcut = layers.BatchNormalization()(shortcut)
    return layers.Add()([y, shortcut])
""",
        "ReLU on the main branch before the addition too": _BLOCK_START
        + """
    y = layers.ReLU()(y)
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)
        shortcut = layers.BatchNormalization()(shortcut)
    y = layers.Add()([y, shortcut])
    return layers.ReLU()(y)
""",
        "ReLU on the shortcut before the addition": _BLOCK_START
        + """
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)
        shortcut = layers.BatchNormalization()(shortcut)
    y = layers.Add()([y, layers.ReLU()(shortcut)])
    return layers.ReLU()(y)
""",
        "'valid' padding": """
def residual_block(x, filters, stride=1):
    y = layers.Conv2D(filters, 3, strides=stride, use_bias=False)(x)
    y = layers.ReLU()(layers.BatchNormalization()(y))
    y = layers.BatchNormalization()(layers.Conv2D(filters, 3, use_bias=False)(y))
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)
        shortcut = layers.BatchNormalization()(shortcut)
    y = layers.Add()([y, shortcut])
    return layers.ReLU()(y)
""",
        "a 3x3 projection": _BLOCK_START
        + """
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
        shortcut = layers.BatchNormalization()(shortcut)
    y = layers.Add()([y, shortcut])
    return layers.ReLU()(y)
""",
        "adds the block's input to the first convolution's output": """
def residual_block(x, filters, stride=1):
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    y = layers.BatchNormalization()(y)
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)
        shortcut = layers.BatchNormalization()(shortcut)
    y = layers.ReLU()(layers.Add()([y, shortcut]))
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)
    return layers.ReLU()(layers.BatchNormalization()(y))
""",
        "BatchNormalization after the ReLU": """
def residual_block(x, filters, stride=1):
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    y = layers.BatchNormalization()(layers.ReLU()(y))
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)
    y = layers.BatchNormalization()(y)
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)
        shortcut = layers.BatchNormalization()(shortcut)
    y = layers.Add()([y, shortcut])
    return layers.ReLU()(y)
""",
    },
    "compound_scaling": {
        "multiplies by phi instead of raising to the power phi": """
def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    return alpha * phi, beta * phi, gamma * phi
""",
        "squares the width and resolution exponents (the FLOPs constraint)": """
def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    return alpha**phi, beta ** (2 * phi), gamma ** (2 * phi)
""",
        "exponent on the wrong side (phi**alpha)": """
def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    return phi**alpha, phi**beta, phi**gamma
""",
        "width and depth swapped": """
def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    return beta**phi, alpha**phi, gamma**phi
""",
    },
}

#: The mistakes the demo class's third student makes: (solution grade_id, mistake label).
DEMO = (
    ("inception_output_shape", "forgets the pooling branch"),
    ("separable_conv_params", "forgets the pointwise part"),
    ("compound_scaling", "multiplies by phi instead of raising to the power phi"),
)
