"""Tests for course.transfer: the new classifier, and `course pretrain` reproducing the shipped
base."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

from course import transfer
from course.models.vgg import load_pretrained, pretrained_path, pretrained_record


def test_add_classifier_keeps_the_base_in_inference_mode():
    """Is the new classifier (N, 4) softmax on the base's own weights?"""
    base = load_pretrained()
    model = transfer.add_classifier(base, 4)
    assert tuple(model.output_shape) == (None, 4)
    own = {id(w) for w in model.weights}
    assert all(id(w) in own for w in base.weights)
    assert model.count_params() == 72_080 + 4 * 4 * 64 * 4 + 4


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
    full, quick = transfer.ACCURACY_TOLERANCE["full"], transfer.ACCURACY_TOLERANCE["quick"]
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
