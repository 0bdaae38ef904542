"""Does course.datasets.load prepare a dataset in one line of its own, without TFDS's noise
("Downloading and preparing dataset" although nothing is downloaded, absl warnings, progress
bars; issue #12)? A five-example builder stands in for course_scenes (tens of seconds)."""

from __future__ import annotations

import numpy as np
import pytest

tfds = pytest.importorskip("tensorflow_datasets")

import course.datasets  # noqa: E402

NOISE = ("Downloading and preparing", "WARNING:absl", "Generating", "Shuffling")


class TinyQuietScenes(tfds.core.GeneratorBasedBuilder):
    """Five integers: a dataset TFDS prepares in about a second."""

    VERSION = tfds.core.Version("1.0.0")

    def _info(self):
        return self.dataset_info_from_configs(
            features=tfds.features.FeaturesDict({"x": tfds.features.Scalar(np.int64)})
        )

    def _split_generators(self, dl_manager):
        return {"train": self._generate_examples()}

    def _generate_examples(self):
        for i in range(5):
            yield i, {"x": i}


def test_plain_tfds_is_noisy(tmp_path, capfd):
    """(The control) does TFDS itself print its download line for a local builder?"""
    tfds.load("tiny_quiet_scenes", split="train", data_dir=str(tmp_path))
    out, err = capfd.readouterr()
    assert "Downloading and preparing" in out + err


def test_load_prepares_in_one_line(tmp_path, capfd):
    """First load: our one line and the data, none of TFDS's lines; second load: silent."""
    dataset = course.datasets.load("tiny_quiet_scenes", split="train", data_dir=tmp_path)
    out, err = capfd.readouterr()
    assert sorted(int(example["x"]) for example in tfds.as_numpy(dataset)) == [0, 1, 2, 3, 4]
    assert out.startswith("Preparing tiny_quiet_scenes/1.0.0 in ") and "done in" in out
    assert "nothing is downloaded" in out
    for noise in NOISE:
        assert noise not in out + err
    course.datasets.load("tiny_quiet_scenes", split="train", data_dir=tmp_path)
    out, err = capfd.readouterr()
    assert out == "" and not any(noise in err for noise in NOISE)


def test_quiet_tfds_restores_logging(tmp_path):
    """After the block, are absl's log level and TFDS's progress bars as before?"""
    import logging

    from tensorflow_datasets.core.utils import tqdm_utils

    logger = logging.getLogger("absl")
    before = logger.level, tqdm_utils._active
    with course.datasets.quiet_tfds():
        assert logger.level == logging.ERROR and not tqdm_utils._active
    assert (logger.level, tqdm_utils._active) == before
