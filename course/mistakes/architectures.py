"""Typical wrong answers to notebook 05 (architectures), keyed by solution cell grade_id.

Each must lose exactly its own question's points. The tests plant every one of
them; the demo class's "mistakes" student submits the ones in ``DEMO``.
"""

from course.mistakes.edits import Edit, replace, resolve

ASSIGNMENT = "05-architectures"

#: grade_id -> label -> the mistake: an edit of the solution cell, or a full cell source.
WRITTEN: dict[str, dict[str, Edit | str]] = {
    "inception_output_shape": {
        "forgets the pooling branch": replace(
            "return (h, w, f1 + f3 + f5 + fp)",
            "return (h, w, f1 + f3 + f5)",
        ),
        "counts the 1x1 reductions as outputs": replace(
            "f1, f3r, f3, f5r, f5, fp = filters\n    return (h, w, f1 + f3 + f5 + fp)",
            "return (h, w, sum(filters))",
        ),
        "the pooling branch keeps the input depth": replace(
            "h, w, _ = input_shape",
            "h, w, d = input_shape",
            "return (h, w, f1 + f3 + f5 + fp)",
            "return (h, w, f1 + f3 + f5 + d)",
        ),
        "H and W of the 'valid' 5x5 convolution": replace(
            "return (h, w, f1 + f3 + f5 + fp)",
            "return (h - 4, w - 4, f1 + f3 + f5 + fp)",
        ),
        "pooling halves the size": replace(
            "return (h, w, f1 + f3 + f5 + fp)",
            "return (h // 2, w // 2, f1 + f3 + f5 + fp)",
        ),
    },
    "inception_params": {
        "forgets the 1x1 reductions (3x3 and 5x5 on the input)": replace(
            "+ formulas.conv_params(1, d, f3r)\n        + formulas.conv_params(3, f3r, f3)",
            "+ formulas.conv_params(3, d, f3)",
            "+ formulas.conv_params(1, d, f5r)\n        + formulas.conv_params(5, f5r, f5)",
            "+ formulas.conv_params(5, d, f5)",
        ),
        "3x3 and 5x5 read the input depth, not the reduction": replace(
            "conv_params(3, f3r, f3)",
            "conv_params(3, d, f3)",
            "conv_params(5, f5r, f5)",
            "conv_params(5, d, f5)",
        ),
        "forgets the biases": """
def inception_params(in_channels, filters):
    f1, f3r, f3, f5r, f5, fp = filters
    d = in_channels
    return (d * f1 + d * f3r + 9 * f3r * f3 + d * f5r + 25 * f5r * f5 + d * fp)
""",
        "forgets the pool projection": replace("\n        + formulas.conv_params(1, d, fp)", ""),
    },
    "separable_conv_params": {
        "forgets the pointwise part": replace(
            "depthwise = kh * kw * in_channels\n"
            "    pointwise = in_channels * filters + (filters if use_bias else 0)\n"
            "    return depthwise + pointwise",
            "return kh * kw * in_channels + (filters if use_bias else 0)",
        ),
        "a standard convolution's count": replace(
            "depthwise = kh * kw * in_channels\n"
            "    pointwise = in_channels * filters + (filters if use_bias else 0)\n"
            "    return depthwise + pointwise",
            "return kh * kw * in_channels * filters + (filters if use_bias else 0)",
        ),
        "a bias on the depthwise part too": replace(
            "depthwise = kh * kw * in_channels\n"
            "    pointwise = in_channels * filters + (filters if use_bias else 0)\n"
            "    return depthwise + pointwise",
            "bias = in_channels + filters if use_bias else 0\n"
            "    return kh * kw * in_channels + in_channels * filters + bias",
        ),
        "ignores use_bias": replace(
            "depthwise = kh * kw * in_channels\n"
            "    pointwise = in_channels * filters + (filters if use_bias else 0)\n"
            "    return depthwise + pointwise",
            "return kh * kw * in_channels + in_channels * filters + filters",
        ),
    },
    "separable_cost_ratio": {
        "inverted (standard / separable)": replace(
            "return separable / standard",
            "return standard / separable",
        ),
        "forgets the pointwise cost (1/K)": replace(
            "standard = kernel_size**2 * in_channels * filters\n"
            "    separable = kernel_size**2 * in_channels + in_channels * filters\n"
            "    return separable / standard",
            "return 1 / filters",
        ),
        "forgets the depthwise cost (1/F**2)": replace(
            "standard = kernel_size**2 * in_channels * filters\n"
            "    separable = kernel_size**2 * in_channels + in_channels * filters\n"
            "    return separable / standard",
            "return 1 / kernel_size**2",
        ),
        "the saving (1 - ratio) instead of the ratio": replace(
            "standard = kernel_size**2 * in_channels * filters\n"
            "    separable = kernel_size**2 * in_channels + in_channels * filters\n"
            "    return separable / standard",
            "return 1 - (1 / filters + 1 / kernel_size**2)",
        ),
    },
    "residual_block": {
        "adds after the final activation": replace(
            'y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)\n'
            "    y = layers.BatchNormalization()(y)",
            'y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)\n'
            "    y = layers.BatchNormalization()(y)\n"
            "    y = layers.ReLU()(y)",
            "y = layers.Add()([y, shortcut])\n    return layers.ReLU()(y)",
            "return layers.Add()([y, shortcut])",
        ),
        "no projection shortcut": replace(
            "shortcut = x\n"
            "    if stride != 1 or x.shape[-1] != filters:\n"
            "        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)\n"
            "        shortcut = layers.BatchNormalization()(shortcut)\n"
            "    y = layers.Add()([y, shortcut])",
            "y = layers.Add()([y, x])",
        ),
        "projects only when the stride changes": replace(
            "if stride != 1 or x.shape[-1] != filters:",
            "if stride != 1:",
        ),
        "projection without batch normalisation": replace(
            "\n        shortcut = layers.BatchNormalization()(shortcut)",
            "",
        ),
        "always projects": replace(
            "shortcut = x\n"
            "    if stride != 1 or x.shape[-1] != filters:\n"
            "        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)\n"
            "        shortcut = layers.BatchNormalization()(shortcut)",
            "shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)\n"
            "    shortcut = layers.BatchNormalization()(shortcut)",
        ),
        "stride on the second convolution": replace(
            'y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)',
            'y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)',
            'y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)',
            'y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(y)',
        ),
        "no ReLU between the two convolutions": replace(
            "\n    y = layers.ReLU()(y)",
            "",
        ),
        "no skip connection (the plain block)": replace(
            "\n"
            "    shortcut = x\n"
            "    if stride != 1 or x.shape[-1] != filters:\n"
            "        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)\n"
            "        shortcut = layers.BatchNormalization()(shortcut)\n"
            "    y = layers.Add()([y, shortcut])",
            "",
        ),
        "no final ReLU": replace(
            "y = layers.Add()([y, shortcut])\n    return layers.ReLU()(y)",
            "return layers.Add()([y, shortcut])",
        ),
        "ReLU on the main branch before the addition too": replace(
            'y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)\n'
            "    y = layers.BatchNormalization()(y)",
            'y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)\n'
            "    y = layers.BatchNormalization()(y)\n"
            "    y = layers.ReLU()(y)",
        ),
        "ReLU on the shortcut before the addition": replace(
            "y = layers.Add()([y, shortcut])",
            "y = layers.Add()([y, layers.ReLU()(shortcut)])",
        ),
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
        "a 3x3 projection": replace(
            "shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)",
            'shortcut = layers.Conv2D(filters, 3, strides=stride, padding="same",'
            " use_bias=False)(x)",
        ),
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
        "BatchNormalization after the ReLU": replace(
            "y = layers.BatchNormalization()(y)\n    y = layers.ReLU()(y)",
            "y = layers.BatchNormalization()(layers.ReLU()(y))",
        ),
    },
    "compound_scaling": {
        "multiplies by phi instead of raising to the power phi": replace(
            "return alpha**phi, beta**phi, gamma**phi",
            "return alpha * phi, beta * phi, gamma * phi",
        ),
        "squares the width and resolution exponents (the FLOPs constraint)": replace(
            "return alpha**phi, beta**phi, gamma**phi",
            "return alpha**phi, beta ** (2 * phi), gamma ** (2 * phi)",
        ),
        "exponent on the wrong side (phi**alpha)": replace(
            "return alpha**phi, beta**phi, gamma**phi",
            "return phi**alpha, phi**beta, phi**gamma",
        ),
        "width and depth swapped": replace(
            "return alpha**phi, beta**phi, gamma**phi",
            "return beta**phi, alpha**phi, gamma**phi",
        ),
    },
}

#: grade_id -> label -> source of the wrong cell (edits applied to solutions/).
MISTAKES: dict[str, dict[str, str]] = resolve(ASSIGNMENT, WRITTEN)

#: The mistakes the demo class's third student makes: (solution grade_id, mistake label).
DEMO = (
    ("inception_output_shape", "forgets the pooling branch"),
    ("separable_conv_params", "forgets the pointwise part"),
    ("compound_scaling", "multiplies by phi instead of raising to the power phi"),
)
