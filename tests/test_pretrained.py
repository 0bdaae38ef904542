"""The course's pretrained base (notebook 04): shipped weights, their record, the two tasks,
and `course pretrain` reproducing the recorded source accuracy."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from course import pretrained
from course.models import load_pretrained, pretrained_path, pretrained_record


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
    assert pretrained.weights_digest(base) == record["weights_sha256"]
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


def test_target_data_is_balanced_deterministic_and_held_out():
    """Exactly n images per class, the same for a seed, other images for another seed, and a
    test set never equal to a training image?"""
    first = pretrained.target_data(n_per_class=5, seed=1, n_test=200)
    again = pretrained.target_data(n_per_class=5, seed=1, n_test=200)
    other = pretrained.target_data(n_per_class=5, seed=2, n_test=200)
    assert first["x_train"].shape == (20, 32, 32, 3) and first["x_test"].shape == (200, 32, 32, 3)
    assert np.bincount(first["y_train"]).tolist() == [5, 5, 5, 5]
    assert np.array_equal(first["x_train"], again["x_train"])
    assert not np.array_equal(first["x_train"], other["x_train"])
    assert np.array_equal(first["x_test"], other["x_test"])  # one held-out set for all seeds
    train = first["x_train"].reshape(20, -1)
    test = first["x_test"].reshape(200, -1)
    distances = ((train[:, None, :] - test[None, :, :]) ** 2).sum(axis=-1)
    assert distances.min() > 0
    assert first["x_train"].min() >= 0.0 and first["x_train"].max() <= 1.0


def test_target_shapes_are_new_to_the_base():
    """Are the target classes other shapes than the source ones, each drawn as a distinct mask?"""
    assert not set(pretrained.TARGET_CLASSES) & set(pretrained.SOURCE_CLASSES)
    masks = [pretrained._target_template(label, 16) for label in range(4)]
    for i in range(4):
        assert masks[i].any() and not masks[i].all()
        for j in range(i):
            assert not np.array_equal(masks[i], masks[j])


def test_preprocess_input_centres_each_image():
    """Does preprocess_input subtract each image's mean colour, keeping the shape?"""
    images = np.random.default_rng(0).uniform(0, 1, (3, 8, 8, 3)).astype("float32")
    centred = pretrained.preprocess_input(images)
    assert centred.shape == images.shape and centred.dtype == np.float32
    assert np.allclose(centred.mean(axis=(1, 2)), 0, atol=1e-6)


def test_add_classifier_keeps_the_base_in_inference_mode():
    """Is the new classifier (N, 4) softmax on the base's own weights?"""
    base = load_pretrained()
    model = pretrained.add_classifier(base, 4)
    assert tuple(model.output_shape) == (None, 4)
    own = {id(w) for w in model.weights}
    assert all(id(w) in own for w in base.weights)
    assert model.count_params() == 72_080 + 4 * 4 * 64 * 4 + 4


def test_online_says_no_fast_where_nothing_listens():
    """Does the offline probe say False, at once, for a closed port on this machine?"""
    import socket
    import time

    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    start = time.perf_counter()
    assert pretrained.online(host="127.0.0.1", port=port, timeout=0.5) is False
    assert time.perf_counter() - start < 1.5


def test_course_pretrain_reproduces_the_shipped_weights(tmp_path):
    """Does `course pretrain` retrain to the recorded source accuracy (full run and reduced run)
    within the stated tolerances, and write a record with the file's checksum?"""
    output = tmp_path / "again.weights.h5"
    result = subprocess.run(
        [sys.executable, "-m", "course.cli", "pretrain", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    record = json.loads(output.with_name("again.json").read_text())
    assert record["sha256"] == hashlib.sha256(output.read_bytes()).hexdigest()
    shipped = pretrained_record()
    full, quick = pretrained.ACCURACY_TOLERANCE["full"], pretrained.ACCURACY_TOLERANCE["quick"]
    assert abs(record["source_accuracy"] - shipped["source_accuracy"]) <= full
    assert (
        abs(record["quick_run"]["source_accuracy"] - shipped["quick_run"]["source_accuracy"])
        <= quick
    )
    assert "recorded source accuracy" in result.stdout
    same = record["weights_sha256"] == shipped["weights_sha256"]
    print(f"[course pretrain: weights {'identical to' if same else 'differ from'} the shipped]")


def test_course_pretrain_quick_refuses_to_replace_the_shipped_weights(capsys):
    """Does `course pretrain --quick` without --output refuse, leaving data/ untouched?"""
    from course.cli import main

    before = pretrained_path().read_bytes()
    assert main(["pretrain", "--quick"]) == 2
    assert "--output" in capsys.readouterr().err
    assert pretrained_path().read_bytes() == before
