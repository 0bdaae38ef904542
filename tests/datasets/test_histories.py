"""Tests for course.datasets.histories: realistic recorded runs with clear-cut labels."""

from __future__ import annotations

import numpy as np
import pytest

from course.datasets import histories as recorded

KEYS = {"loss", "accuracy", "val_loss", "val_accuracy"}


def _rise(history) -> float:
    val_loss = np.asarray(history["val_loss"])
    return float(val_loss[-1] / val_loss.min() - 1)


def test_visible_and_hidden_are_disjoint_and_known():
    """Are the visible and hidden histories different runs, all of them recorded?"""
    assert not set(recorded.VISIBLE) & set(recorded.HIDDEN)
    assert set(recorded.VISIBLE) | set(recorded.HIDDEN) == set(recorded.HISTORIES)
    labels = {recorded.HISTORIES[name]["label"] for name in recorded.VISIBLE}
    assert labels == {"underfitting", "overfitting", "good fit"}


@pytest.mark.parametrize("name", sorted(recorded.HISTORIES))
def test_curves_are_well_formed(name):
    """Does each history hold four same-length curves of finite numbers from a known recipe?"""
    record = recorded.HISTORIES[name]
    history = record["history"]
    assert set(history) == KEYS and record["recipe"] in recorded.RECIPES
    assert {len(values) for values in history.values()} == {
        recorded.RECIPES[record["recipe"]]["epochs"]
    }
    values = np.array([history[key] for key in sorted(KEYS)])
    assert np.isfinite(values).all() and (values >= 0).all()
    assert max(history["accuracy"] + history["val_accuracy"]) <= 1.0


@pytest.mark.parametrize("name", sorted(recorded.HISTORIES))
def test_labels_follow_the_rule_with_a_margin(name):
    """Is each label what the notebook's rule says, far from its thresholds?"""
    record = recorded.HISTORIES[name]
    history, label, target = record["history"], record["label"], record["target"]
    rise, accuracy = _rise(history), history["accuracy"][-1]
    if label == "overfitting":
        assert rise >= 0.15
    else:
        assert rise <= 0.05
        assert abs(accuracy - target) >= 0.008
        assert (accuracy < target) == (label == "underfitting")


@pytest.mark.parametrize("names", [recorded.VISIBLE, recorded.HIDDEN], ids=["visible", "hidden"])
def test_some_history_meets_both_rules(names):
    """Does a history meet both rules (validation loss rose, training accuracy below target),
    so that the rule order the notebook states is tested, visibly and hidden?"""
    both = [
        name
        for name in names
        if _rise(recorded.HISTORIES[name]["history"]) > 0.15
        and recorded.HISTORIES[name]["history"]["accuracy"][-1] < recorded.HISTORIES[name]["target"]
    ]
    assert both and all(recorded.HISTORIES[name]["label"] == "overfitting" for name in both)


def test_file_matches_its_checksum_in_data_readme():
    """Does data/README.md give the SHA-256 of the shipped histories, and is the file found
    where the course finds data/ (course.paths.DATA_DIR)?"""
    import hashlib
    import re

    from course import paths

    path = recorded.histories_path()
    assert path.parent == paths.DATA_DIR and path.is_file()
    row = next(
        line
        for line in (paths.DATA_DIR / "README.md").read_text().splitlines()
        if line.startswith(f"| `{recorded.HISTORIES_FILE}` |")
    )
    listed = re.findall(r"`([0-9a-f]{64})`", row)
    assert listed == [hashlib.sha256(path.read_bytes()).hexdigest()]


def test_save_and_load_round_trip(tmp_path):
    """Does save write what load reads back, the same numbers in the same order?"""
    path = recorded.save(recorded.HISTORIES, tmp_path / "copy.json")
    again = recorded.load(path)
    assert again == recorded.HISTORIES and list(again) == list(recorded.HISTORIES)
    assert path.read_text() == recorded.histories_path().read_text()
