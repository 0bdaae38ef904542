"""Tests for course.models.vgg: VGG16 against keras.applications, and the shipped pretrained
small VGG."""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import keras
import pytest

from course import transfer
from course.models.vgg import (
    build_vgg16,
    load_pretrained,
    parameter_table,
    pretrained_path,
    pretrained_record,
)


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


def test_shipped_weights_match_their_checksum():
    """Do the weights in data/ have the SHA-256 their record and data/README.md give?"""
    path = pretrained_path()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    record = pretrained_record()
    assert digest == record["sha256"]
    assert digest in (path.parent / "README.md").read_text()
    assert path.stat().st_size < 2_000_000  # a few hundred KB, not ImageNet's 528 MB


def test_loaded_base_is_the_recorded_network():
    """Does load_pretrained give the 72,080-weight small VGG with exactly the recorded weights?"""
    base = load_pretrained()
    record = pretrained_record()
    assert base.count_params() == record["parameters"] == 72_080
    assert tuple(base.output_shape) == (None, 4, 4, 64)
    assert transfer.weights_digest(base) == record["weights_sha256"]
    assert record["source_accuracy"] > 0.95  # the source task is learnt (chance: 1/3)


def test_corrupted_or_missing_weights_say_what_to_do(tmp_path):
    """Does a changed file raise ValueError, and a missing one FileNotFoundError, naming the fix?"""
    path = tmp_path / pretrained_path().name
    shutil.copy(pretrained_path(), path)
    record = pretrained_record()
    (tmp_path / path.name.replace(".weights.h5", ".json")).write_text(json.dumps(record))
    load_pretrained(path)  # an exact copy loads
    with path.open("r+b") as handle:
        handle.seek(-16, os.SEEK_END)
        handle.write(b"\0" * 16)
    with pytest.raises(ValueError, match="course pretrain"):
        load_pretrained(path)
    with pytest.raises(FileNotFoundError, match="course pretrain"):
        load_pretrained(tmp_path / "nowhere.weights.h5")
