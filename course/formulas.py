"""Closed-form sizes and weight counts of CNN layers, in pure Python.

Importable without TensorFlow. Every function returns exactly what Keras
computes for the matching layer. Used by notebooks 02 (CNN layers, where they are
introduced) and 05 (architectures):

- ``conv_output_size``  ~ ``keras.layers.Conv2D`` (after ``ZeroPadding2D`` for
  an integer padding),
- ``pool_output_size``  ~ ``keras.layers.MaxPooling2D`` / ``AveragePooling2D``,
- ``conv_params``       ~ ``Conv2D(...).count_params()``,
- ``dense_params``      ~ ``Dense(...).count_params()``.
"""

from __future__ import annotations

import math

Padding = int | str

__all__ = ["conv_output_size", "conv_params", "dense_params", "pool_output_size"]


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    return value


def _window_output_size(size: int, window: int, stride: int, padding: Padding, what: str) -> int:
    """Output length along one axis of a sliding window (convolution or pooling)."""
    size = _positive_int(size, "size")
    window = _positive_int(window, what)
    stride = _positive_int(stride, "stride")
    if padding == "same":
        # Keras pads (possibly unevenly) so that every stride-th position is used.
        return math.ceil(size / stride)
    if padding == "valid":
        padding = 0
    if isinstance(padding, bool) or not isinstance(padding, int) or padding < 0:
        raise ValueError(
            f"padding must be 'valid', 'same' or a non-negative integer number of pixels "
            f"on each side, got {padding!r}."
        )
    padded = size + 2 * padding
    if window > padded:
        raise ValueError(
            f"{what}={window} is larger than the padded input ({size} + 2*{padding} = {padded}): "
            f"use a smaller {what}, more padding, or padding='same'."
        )
    return (padded - window) // stride + 1


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: Padding = 0) -> int:
    """Length of a convolution's output along one spatial axis.

    size: input width or height W (pixels); kernel_size: F; stride: S;
    padding: P pixels of zeros on *each* side, or "valid" (P = 0) or "same".
    Returns floor((W - F + 2P) / S) + 1, or ceil(W / S) for "same".
    Raises ValueError for non-positive sizes or strides, a negative padding,
    or a kernel larger than the padded input.
    """
    return _window_output_size(size, kernel_size, stride, padding, "kernel_size")


def pool_output_size(
    size: int, pool_size: int, stride: int | None = None, padding: Padding = "valid"
) -> int:
    """Length of a pooling layer's output along one spatial axis.

    size: input width or height (pixels); pool_size: F; stride: S, which
    defaults to pool_size as in Keras; padding: "valid", "same" or pixels per side.
    Returns floor((W - F) / S) + 1 for "valid", ceil(W / S) for "same".
    """
    if stride is None:
        stride = pool_size
    return _window_output_size(size, pool_size, stride, padding, "pool_size")


def conv_params(
    kernel_size: int | tuple[int, int], in_channels: int, filters: int, use_bias: bool = True
) -> int:
    """Number of weights of a 2-D convolution: F*F*D*K (+ K biases).

    kernel_size: F, or (F_h, F_w); in_channels: D, the depth of the input;
    filters: K. Each of the K filters spans the whole input depth D, so the
    slide's F*F*K + K leaves out D.
    """
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    kh, kw = (_positive_int(k, "kernel_size") for k in kernel_size)
    in_channels = _positive_int(in_channels, "in_channels")
    filters = _positive_int(filters, "filters")
    return kh * kw * in_channels * filters + (filters if use_bias else 0)


def dense_params(in_features: int, units: int, use_bias: bool = True) -> int:
    """Number of weights of a fully-connected layer: inputs*units (+ units biases).

    in_features: length of the (flattened) input vector, e.g. 7*7*512 for VGG16's fc1.
    """
    in_features = _positive_int(in_features, "in_features")
    units = _positive_int(units, "units")
    return in_features * units + (units if use_bias else 0)
