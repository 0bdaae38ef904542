"""course.models against keras.applications."""

from __future__ import annotations

import keras
import pytest

from course.models import build_vgg16, parameter_table


def _layers(model):
    return [
        (layer.name, layer.count_params(), tuple(layer.output.shape)) for layer in model.layers[1:]
    ]


@pytest.mark.parametrize(
    ("kwargs", "total"),
    [({}, 138_357_544), ({"include_top": False}, 14_714_688)],
)
def test_vgg16_matches_keras_applications_layer_by_layer(kwargs, total):
    """Does build_vgg16 have keras.applications.VGG16's layer names, counts and shapes?"""
    ours = build_vgg16(**kwargs)
    theirs = keras.applications.VGG16(weights=None, input_shape=(224, 224, 3), **kwargs)
    assert ours.count_params() == theirs.count_params() == total
    assert _layers(ours) == _layers(theirs)


def test_vgg16_other_input_and_classes():
    """With 64x96 inputs and 10 classes, does only the dense part change, as in Keras?"""
    ours = build_vgg16((64, 96, 3), num_classes=10)
    theirs = keras.applications.VGG16(weights=None, input_shape=(64, 96, 3), classes=10)
    assert ours.count_params() == theirs.count_params()
    assert ours.output_shape == (None, 10)


def test_parameter_table_groups_blocks():
    """Does parameter_table sum VGG16's weights per block and dense layer?"""
    table = parameter_table(build_vgg16(include_top=True))
    assert list(table) == [
        "block1",
        "block2",
        "block3",
        "block4",
        "block5",
        "fc1",
        "fc2",
        "predictions",
    ]
    assert table["block1"] == 1_792 + 36_928
    assert table["fc1"] == 25_088 * 4_096 + 4_096
    assert sum(table.values()) == 138_357_544
