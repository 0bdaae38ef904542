"""Tests for the course_scenes TensorFlow Datasets builder and course.datasets.load.

Both configs are prepared once, in a temporary folder, with network connections forbidden.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import numpy as np
import pytest

import course.datasets
from course.boxes import tfds_to_xywh, xywh_to_tfds
from course.datasets import scenes

tfds = pytest.importorskip("tensorflow_datasets")
course.datasets.register()
from course.datasets import course_scenes  # noqa: E402

CONFIGS = {config.name: config for config in course_scenes.CourseScenes.BUILDER_CONFIGS}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A folder with both configs prepared; fails if anything opens a network connection."""
    path = tmp_path_factory.mktemp("tensorflow_datasets")
    attempts = []

    def no_network(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError(f"the course_scenes builder tried to connect to {address}")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", no_network)
        patch.setattr(socket.socket, "connect_ex", no_network)
        for name in CONFIGS:
            start = time.perf_counter()
            tfds.builder(f"course_scenes/{name}", data_dir=path).download_and_prepare()
            print(f"course_scenes/{name}: prepared in {time.perf_counter() - start:.1f} s")
    assert attempts == []
    return path


def _numpy_split(name: str, split: str) -> dict[str, np.ndarray]:
    """The course.datasets.scenes arrays the given config's split is made from."""
    config = CONFIGS[name]
    n, seed = next((n, seed) for s, n, seed in config.splits if s == split)
    return scenes.make_scenes(n, seed=seed, size=64, num_objects=config.num_objects)


def _as_arrays(ds) -> list[dict]:
    return list(tfds.as_numpy(ds))


def test_importing_course_datasets_is_light():
    """Does `import course.datasets` leave TensorFlow and TFDS unimported?"""
    code = (
        "import sys, course.datasets; "
        "print(any(m in sys.modules for m in ('tensorflow', 'tensorflow_datasets')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_builder_is_registered():
    """Is "course_scenes" a TFDS builder, with the single and multi configs?"""
    assert "course_scenes" in tfds.list_builders(with_community_datasets=False)
    assert set(CONFIGS) == {"single", "multi"}


def test_default_data_dir(monkeypatch, tmp_path):
    """Is the data folder ~/.cache/cv-course/tensorflow_datasets unless COURSE_DATA_DIR says?"""
    monkeypatch.delenv(course.datasets.DATA_DIR_ENV, raising=False)
    default = course.datasets.default_data_dir()
    assert default.parts[-3:] == (".cache", "cv-course", "tensorflow_datasets")
    monkeypatch.setenv(course.datasets.DATA_DIR_ENV, str(tmp_path))
    assert course.datasets.default_data_dir() == tmp_path


@pytest.mark.parametrize("name", ["single", "multi"])
def test_split_sizes(data_dir, name):
    """Do the train and test splits hold the number of examples the config declares?"""
    builder = tfds.builder(f"course_scenes/{name}", data_dir=data_dir)
    for split, n, _ in CONFIGS[name].splits:
        assert builder.info.splits[split].num_examples == n
        ds = tfds.load(f"course_scenes/{name}", split=split, data_dir=data_dir)
        assert int(ds.cardinality()) == n


@pytest.mark.parametrize("name", ["single", "multi"])
def test_feature_shapes_and_dtypes(data_dir, name):
    """Are images (64, 64, 3) uint8, masks (64, 64, 1) uint8, boxes 4 floats, labels int64?"""
    ds = tfds.load(f"course_scenes/{name}", split="test", data_dir=data_dir)
    spec = ds.element_spec
    assert spec["image"].shape == (64, 64, 3) and spec["image"].dtype.name == "uint8"
    assert spec["segmentation_mask"].shape == (64, 64, 1)
    assert spec["segmentation_mask"].dtype.name == "uint8"
    assert spec["label"].shape == () and spec["label"].dtype.name == "int64"
    assert spec["bbox"].shape == (4,) and spec["bbox"].dtype.name == "float32"
    assert spec["objects"]["bbox"].shape.as_list() == [None, 4]
    assert spec["objects"]["label"].shape.as_list() == [None]


def test_single_examples_match_course_scenes(data_dir):
    """Is test example i scene i of make_scenes with the config's seed, boxes normalised as
    (y_min, x_min, y_max, x_max) / 64?"""
    arrays = _numpy_split("single", "test")
    ds = tfds.load("course_scenes/single", split="test", data_dir=data_dir)
    examples = _as_arrays(ds)
    assert len(examples) == len(arrays["labels"])
    for i, ex in enumerate(examples):
        np.testing.assert_array_equal(ex["image"], np.round(arrays["images"][i] * 255))
        np.testing.assert_array_equal(ex["segmentation_mask"][:, :, 0], arrays["semantic_masks"][i])
        assert ex["label"] == arrays["labels"][i]
        x, y, w, h = arrays["boxes"][i]
        expected = np.array([y, x, y + h, x + w]) / 64
        np.testing.assert_allclose(ex["bbox"], expected, atol=1e-6)
        np.testing.assert_allclose(tfds_to_xywh(ex["bbox"], 64), arrays["boxes"][i])
        assert ex["objects"]["label"].tolist() == [ex["label"]]
        np.testing.assert_allclose(ex["objects"]["bbox"], [ex["bbox"]])


def test_multi_examples_match_course_scenes(data_dir):
    """Does each multi-object example hold the same objects, boxes and mask as the scenes?"""
    arrays = _numpy_split("multi", "test")
    ds = tfds.load("course_scenes/multi", split="test", data_dir=data_dir)
    for i, ex in enumerate(_as_arrays(ds)):
        k = arrays["counts"][i]
        np.testing.assert_array_equal(ex["image"], np.round(arrays["images"][i] * 255))
        np.testing.assert_array_equal(ex["segmentation_mask"][:, :, 0], arrays["semantic_masks"][i])
        np.testing.assert_array_equal(ex["objects"]["label"], arrays["labels"][i, :k])
        expected = xywh_to_tfds(arrays["boxes"][i, :k], 64)
        np.testing.assert_allclose(ex["objects"]["bbox"], expected, atol=1e-6)
        assert ex["label"] == arrays["labels"][i, 0]
        np.testing.assert_allclose(ex["bbox"], expected[0], atol=1e-6)


def test_boxes_are_normalised(data_dir):
    """Are all boxes in [0, 1] with y_min < y_max and x_min < x_max?"""
    ds = tfds.load("course_scenes/multi", split="train", data_dir=data_dir)
    boxes = np.concatenate([ex["objects"]["bbox"] for ex in tfds.as_numpy(ds)])
    assert boxes.min() >= 0 and boxes.max() <= 1
    assert np.all(boxes[:, 0] < boxes[:, 2]) and np.all(boxes[:, 1] < boxes[:, 3])


def test_load_helper_reads_course_data_dir(data_dir, monkeypatch):
    """Does course.datasets.load read from $COURSE_DATA_DIR, supervised pairs included?"""
    monkeypatch.setenv(course.datasets.DATA_DIR_ENV, str(data_dir))
    before = sorted(p.name for p in data_dir.iterdir())
    ds, info = course.datasets.load(
        "course_scenes/single", split="test", as_supervised=True, with_info=True
    )
    image, label = next(iter(tfds.as_numpy(ds)))
    assert image.shape == (64, 64, 3) and image.dtype == np.uint8
    assert 0 <= label < len(scenes.CLASS_NAMES)
    assert info.features["label"].names == list(scenes.CLASS_NAMES)
    assert sorted(p.name for p in data_dir.iterdir()) == before
