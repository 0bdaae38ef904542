"""course.models.classic: the reference builders against Keras and the papers' numbers."""

from __future__ import annotations

import keras
import pytest
from keras import layers

from course import benchmarks, formulas
from course.models import classic


def test_lenet5_weights_by_formula():
    """Does LeNet-5 have 61,706 weights, layer by layer as the formulas count them?"""
    model = classic.lenet5()
    counts = {layer.name: layer.count_params() for layer in model.layers}
    assert counts["C1"] == formulas.conv_params(5, 1, 6) == 156
    assert counts["C3"] == formulas.conv_params(5, 6, 16) == 2_416
    assert counts["C5"] == formulas.dense_params(400, 120)
    assert counts["F6"] == formulas.dense_params(120, 84)
    assert model.count_params() == 61_706
    assert model.output_shape == (None, 10)


def test_inception_3a_shape_and_weights():
    """Does inception (3a) turn 28x28x192 into 28x28x256 with 163,696 weights, named by branch?"""
    inputs = keras.Input(shape=(28, 28, 192))
    model = keras.Model(inputs, classic.inception_module(inputs, (64, 96, 128, 16, 32, 32)))
    assert model.output_shape == (None, 28, 28, 256)
    assert model.count_params() == 163_696
    named = keras.Model(inputs, classic.inception_module(inputs, (1, 2, 3, 4, 5, 6), "3a"))
    assert {"3a_1x1", "3a_3x3_reduce", "3a_5x5", "3a_pool_proj", "3a_concat"} <= {
        layer.name for layer in named.layers
    }


@pytest.mark.parametrize(
    ("shape", "filters", "stride", "projection"),
    [((8, 8, 16), 16, 1, False), ((8, 8, 16), 32, 2, True), ((8, 8, 8), 16, 1, True)],
)
def test_residual_block_shapes_and_projection(shape, filters, stride, projection):
    """Does the block project exactly when the shape changes, and end with Add then ReLU?"""
    inputs = keras.Input(shape=shape)
    model = keras.Model(inputs, classic.residual_block(inputs, filters, stride))
    size = -(-shape[0] // stride)
    assert model.output_shape == (None, size, size, filters)
    convs = [layer for layer in model.layers if isinstance(layer, layers.Conv2D)]
    main = formulas.conv_params(3, shape[2], filters, False) + formulas.conv_params(
        3, filters, filters, False
    )
    extra = formulas.conv_params(1, shape[2], filters, False) + 4 * filters if projection else 0
    assert len(convs) == (3 if projection else 2)
    assert model.count_params() == main + 2 * 4 * filters + extra
    assert isinstance(model.layers[-1], layers.ReLU) and isinstance(model.layers[-2], layers.Add)


def test_small_resnet_plain_and_residual_twins():
    """Are the plain and residual networks 20 weight layers deep, the residual one only adding
    the shortcuts (two 1x1 projections, no other weights)?"""
    plain = classic.small_resnet(residual=False)
    residual = classic.small_resnet(residual=True)
    assert benchmarks.weight_layers(plain) == 20
    assert benchmarks.weight_layers(residual) == 22
    assert not any(isinstance(layer, layers.Add) for layer in plain.layers)
    assert sum(isinstance(layer, layers.Add) for layer in residual.layers) == 9
    projections = formulas.conv_params(1, 8, 16, False) + formulas.conv_params(1, 16, 32, False)
    assert residual.count_params() - plain.count_params() == projections + 4 * (16 + 32)
    assert plain.output_shape == residual.output_shape == (None, 10)
    assert (plain.name, residual.name) == ("plain20", "resnet20")


def test_compound_multipliers_double_the_flops():
    """Do EfficientNet's coefficients give alpha * beta^2 * gamma^2 close to 2?"""
    depth, width, resolution = classic.compound_multipliers(1)
    assert (depth, width, resolution) == (1.2, 1.1, 1.15)
    assert depth * width**2 * resolution**2 == pytest.approx(1.92, abs=0.01)
    assert classic.compound_multipliers(0) == (1, 1, 1)
    assert classic.compound_multipliers(2, 2, 3, 4) == (4, 9, 16)


def test_efficientnet_variants_are_keras_defaults():
    """Is the table's resolution what Keras builds by default (B0 224, B1 240)?"""
    assert [v[2] for v in classic.EFFICIENTNET_VARIANTS.values()] == [
        224,
        240,
        260,
        300,
        380,
        456,
        528,
        600,
    ]
    model = keras.applications.EfficientNetB1(weights=None)
    assert model.input_shape == (None, 240, 240, 3)
