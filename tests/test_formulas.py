"""course.formulas against real Keras layers."""

from __future__ import annotations

import itertools

import pytest
from keras import layers

from course.formulas import conv_output_size, conv_params, dense_params, pool_output_size

SIZES = (1, 2, 3, 5, 7, 8, 13, 28, 32, 224)
KERNELS = (1, 2, 3, 5, 7)
STRIDES = (1, 2, 3, 4)
PADDINGS = (0, 1, 2, 3, "valid", "same")


def keras_conv_length(size, kernel, stride, padding):
    shape = (1, size, size + 1, 1)  # non-square: width = height + 1
    if isinstance(padding, int):
        shape = layers.ZeroPadding2D(padding).compute_output_shape(shape)
        padding = "valid"
    return layers.Conv2D(1, kernel, strides=stride, padding=padding).compute_output_shape(shape)


@pytest.mark.parametrize("padding", PADDINGS)
def test_conv_output_size_matches_keras_conv2d(padding):
    """Does conv_output_size give Keras's Conv2D height and width over a grid of settings?"""
    for size, kernel, stride in itertools.product(SIZES, KERNELS, STRIDES):
        try:
            _, height, width, _ = keras_conv_length(size, kernel, stride, padding)
        except ValueError:  # Keras refuses: the kernel does not fit
            with pytest.raises(ValueError):
                conv_output_size(size, kernel, stride, padding)
            continue
        assert conv_output_size(size, kernel, stride, padding) == height
        assert conv_output_size(size + 1, kernel, stride, padding) == width


@pytest.mark.parametrize("padding", ("valid", "same"))
def test_pool_output_size_matches_keras_pooling(padding):
    """Does pool_output_size match Max/AveragePooling2D, the stride defaulting to the pool?"""
    for size, pool, stride in itertools.product(SIZES, (1, 2, 3), (None, 1, 2, 3)):
        for layer_class in (layers.MaxPooling2D, layers.AveragePooling2D):
            layer = layer_class(pool_size=pool, strides=stride, padding=padding)
            try:
                expected = layer.compute_output_shape((1, size, size, 1))[1]
            except ValueError:
                with pytest.raises(ValueError):
                    pool_output_size(size, pool, stride, padding)
                continue
            assert pool_output_size(size, pool, stride, padding) == expected


def test_formulas_return_ints():
    """Are the sizes ints (floor division), never floats?"""
    assert type(conv_output_size(224, 3, 2)) is int
    assert conv_output_size(224, 3, 2) == 111
    assert type(pool_output_size(7, 2)) is int


@pytest.mark.parametrize(
    ("kernel", "depth", "filters", "use_bias"),
    [
        (3, 3, 64, True),
        (3, 64, 64, True),
        (1, 512, 10, False),
        ((3, 5), 7, 2, True),
        (7, 1, 1, False),
    ],
)
def test_conv_params_matches_keras(kernel, depth, filters, use_bias):
    """Is conv_params F*F*D*K (+K), as Conv2D.count_params() says?"""
    layer = layers.Conv2D(filters, kernel, use_bias=use_bias)
    layer.build((None, 9, 9, depth))
    assert conv_params(kernel, depth, filters, use_bias) == layer.count_params()


@pytest.mark.parametrize(
    ("inputs", "units", "use_bias"), [(25088, 4096, True), (4096, 1000, True), (3, 2, False)]
)
def test_dense_params_matches_keras(inputs, units, use_bias):
    """Is dense_params inputs*units (+units), as Dense.count_params() says?"""
    layer = layers.Dense(units, use_bias=use_bias)
    layer.build((None, inputs))
    assert dense_params(inputs, units, use_bias) == layer.count_params()


def test_slide_formula_is_wrong_unless_depth_is_one():
    """Does F*F*K + K (the slide) differ from Keras as soon as the input has depth > 1?"""
    assert conv_params(3, 1, 64) == 3 * 3 * 64 + 64
    assert conv_params(3, 64, 64) == 36_928 != 3 * 3 * 64 + 64


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: conv_output_size(0, 3), "size must be a positive integer"),
        (lambda: conv_output_size(5, 3, stride=0), "stride must be a positive integer"),
        (lambda: conv_output_size(5, 3, padding=-1), "padding must be"),
        (lambda: conv_output_size(5, 3, padding="full"), "padding must be"),
        (lambda: conv_output_size(3, 7, padding=1), "larger than the padded input"),
        (lambda: conv_output_size(5.0, 3), "size must be a positive integer"),
        (lambda: pool_output_size(2, 3), "pool_size=3 is larger"),
        (lambda: conv_params(3, 0, 8), "in_channels must be"),
        (lambda: dense_params(10, -1), "units must be"),
        (lambda: conv_output_size(True, 1), "size must be a positive integer"),
    ],
)
def test_bad_inputs_raise_value_error(call, words):
    """Do impossible settings raise a ValueError that says what is wrong?"""
    with pytest.raises(ValueError, match=words):
        call()
